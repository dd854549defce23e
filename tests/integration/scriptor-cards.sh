#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# scriptor-cards.sh: both simulated cards through a real pcscd, driven by an
# outside PC/SC client (pcsc-tools' scriptor), as a desk installer would.
# Run under pcscd-harness: it sets PCSC_READER_R1/R2 and INSUCARD_SIM_DECK.
# Prints TAP; exit 0 = all passed, 77 = skipped.
set -eu

if ! command -v scriptor >/dev/null 2>&1; then
  echo "1..0 # SKIP scriptor (pcsc-tools) not installed"
  exit 77
fi
if [ -z "${PCSC_READER_R1:-}" ] || [ -z "${INSUCARD_SIM_DECK:-}" ]; then
  echo "1..0 # SKIP run me under tests/integration/pcscd-harness"
  exit 77
fi

sim=$INSUCARD_CARDSIM
deck=$INSUCARD_SIM_DECK
# shellcheck source=tests/integration/tap-lib.sh
. "$(dirname "$0")/tap-lib.sh"

# Polls pcsc_scan until READER shows a card (bounded to ~10 s).
wait_card() { # reader
  i=0
  while [ $i -lt 200 ]; do
    if pcsc_scan -c 2>/dev/null | awk -v r="$1" '
        index($0, "Reader") && index($0, r) { mine = 1; next }
        index($0, "Reader") { mine = 0 }
        mine && /Card state:/ && /Card inserted/ { found = 1 }
        END { exit !found }'; then
      return 0
    fi
    sleep 0.05
    i=$((i + 1))
  done
  echo "# no card in $1 after 10 s"
  return 1
}

# One scriptor session (one connection) with the given APDUs; prints only
# the responses, one per line, without scriptor's "< " and explanation.
session() { # reader apdu...
  reader=$1
  shift
  printf '%s\n' "$@" | scriptor -r "$reader" 2>&1 | sed -n 's/^< \([0-9A-F ]*[0-9A-F]\).*/\1/p'
}

# check_line DESCRIPTION ACTUAL-LINE EXPECTED-REGEX: the whole line matches.
check_line() {
  check "$1" "$2" "^($3)\$"
}

line() { # n text: the nth line of text
  printf '%s\n' "$2" | sed -n "${1}p"
}

# --- cards: the CPU card into slot 0 (R1), the SLE4428 into slot 1 (R2)
sle=$("$sim" new sle4428 --deck "$deck")
cpu=$("$sim" new cpu --deck "$deck")
"$sim" insert --deck "$deck" 1 "$sle"
"$sim" insert --deck "$deck" 0 "$cpu"
wait_card "$PCSC_READER_R2"
wait_card "$PCSC_READER_R1"

# --- SLE4428 in R2, one session so the verification holds across commands.
r=$(session "$PCSC_READER_R2" \
  "FF A4 00 00 01 05" \
  "FF B0 00 08 08" \
  "FF B1 00 00 03" \
  "FF B0 03 FE 02" \
  "FF D0 00 40 01 AA" \
  "FF 20 00 00 02 12 34" \
  "FF B1 00 00 03" \
  "FF 20 00 00 02 FF FF" \
  "FF B1 00 00 03" \
  "FF B0 03 FE 02" \
  "FF D0 00 40 01 AA" \
  "FF B0 00 40 01")
check_line "sle4428: select card type" "$(line 1 "$r")" "90 00"
check_line "sle4428: read serial at 0x008" "$(line 2 "$r")" "([0-9A-F]{2} ){8}90 00"
# The serial through pcscd is the one in the card image (memory line 000).
serial=$(sed -n 's/^000=\(\([0-9A-F]\{2\} \)\{8\}\)\(\([0-9A-F]\{2\} \)\{7\}[0-9A-F]\{2\}\)$/\3/p' "$sle")
check_line "sle4428: serial matches the card image" "$(line 2 "$r")" "$serial 90 00"
check_line "sle4428: FF B1 counter of a blank card" "$(line 3 "$r")" "FF 00 00 90 00"
check_line "sle4428: PSC reads as 00 00 before verification" "$(line 4 "$r")" "00 00 90 00"
check_line "sle4428: write refused before verification" "$(line 5 "$r")" "69 82"
check_line "sle4428: wrong PSC answers 90 with one bit fewer" "$(line 6 "$r")" "90 FE"
check_line "sle4428: counter lowered" "$(line 7 "$r")" "FE 00 00 90 00"
check_line "sle4428: right PSC answers 90 FF" "$(line 8 "$r")" "90 FF"
check_line "sle4428: counter restored" "$(line 9 "$r")" "FF 00 00 90 00"
check_line "sle4428: PSC readable once verified" "$(line 10 "$r")" "FF FF 90 00"
check_line "sle4428: write accepted after verification" "$(line 11 "$r")" "90 00"
check_line "sle4428: written byte reads back" "$(line 12 "$r")" "AA 90 00"

# A card reset (vpcd RESET) forgets the card type and the verification;
# pcscd keeps the card powered between sessions, so reset explicitly.
r=$(session "$PCSC_READER_R2" "reset" "FF B0 00 40 01" "FF A4 00 00 01 05" \
  "FF D0 00 41 01 BB" "FF B0 00 40 02")
check_line "sle4428: card type forgotten at reset" "$(line 1 "$r")" "69 85"
check_line "sle4428: verification lost at reset" "$(line 3 "$r")" "69 82"
check_line "sle4428: data kept across the reset" "$(line 4 "$r")" "AA FF 90 00"

# --- CPU card in R1
r=$(session "$PCSC_READER_R1" \
  "00 84 00 00 04" \
  "00 A4 00 00 02 3F 00" \
  "00 7A 00 00 00")
check_line "cpu: GET CHALLENGE gives 4 bytes + 9000" "$(line 1 "$r")" "([0-9A-F]{2} ){4}90 00"
check_line "cpu: SELECT MF answers 61xx (T=0)" "$(line 2 "$r")" "61 [0-9A-F]{2}"
check_line "cpu: unknown INS answers 6D00" "$(line 3 "$r")" "6D 00"

# --- removal is seen by pcscd
"$sim" remove --deck "$deck" 1
i=0
while pcsc_scan -c 2>/dev/null | awk -v r="$PCSC_READER_R2" '
    index($0, "Reader") && index($0, r) { mine = 1; next }
    index($0, "Reader") { mine = 0 }
    mine && /Card inserted/ { found = 1 }
    END { exit !found }' && [ $i -lt 200 ]; do
  sleep 0.05
  i=$((i + 1))
done
if [ $i -lt 200 ]; then ok "removing the SLE4428 empties R2"; else not_ok "removing the SLE4428 empties R2" "still present after 10 s"; fi

echo "1..$n"
[ "$failed" -eq 0 ]
