# SPDX-License-Identifier: GPL-3.0-or-later
# cli-test-lib.sh: what the insucard-cli integration scripts share; sourced,
# not run (cli-ceremonies.sh, cli-issue.sh).  They run under pcscd-harness,
# which sets PCSC_READER_R1/R2 and INSUCARD_SIM_DECK.
#
# Sourcing it checks the tools (scriptor, openssl, xxd; else TAP skip, exit
# 77), makes the work directory $work (removed at exit) with the database
# path $db, and defines:
#   TAP          (tap-lib.sh) ok, not_ok, check DESCRIPTION ACTUAL REGEX, $n, $failed;
#                begin_group/end_group DESCRIPTION: many checks as one line
#   crypto       tdes, des, kcv, div (openssl, nothing of insucard), and the
#                system keys PKEY, DKEY, AKEY of the test's ceremony inputs
#                (MK, MCC_PIN, CODE1, CODE2, PSUB, DSUB, PIN1-3, HOLDER_PIN),
#                and KTC_SECRETS: the KTC ceremony's answers
#   cards        new_card, put SLOT IMAGE, take SLOT (each waits until pcscd
#                sees it), reader_of SLOT
#   the CLI      run ARGS (secrets from $SECRETS, cards waited for
#                $card_timeout s; $work/out, $work/err, $rc),
#                run_swapping "IMAGES" ARGS, field NAME
#   raw APDUs    apdus READER APDU..., line N TEXT, verify_apdu KID PIN
#
# The script ends with: echo "1..$n"; [ $failed -eq 0 ]
# shellcheck shell=sh disable=SC2034 # variables used by the scripts

for tool in scriptor openssl xxd; do
  if ! command -v $tool >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool not installed"
    exit 77
  fi
done
if [ -z "${PCSC_READER_R1:-}" ] || [ -z "${INSUCARD_SIM_DECK:-}" ]; then
  echo "1..0 # SKIP run me under tests/integration/pcscd-harness"
  exit 77
fi

sim=$INSUCARD_CARDSIM
cli=$INSUCARD_CLI
deck=$INSUCARD_SIM_DECK
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db=$work/desk.db
unset INSUCARD_DB INSUCARD_READER_BACKEND
# shellcheck source=tests/integration/tap-lib.sh
. "$(dirname "$0")/tap-lib.sh"

# -- the ceremony's inputs ----------------------------------------------------

MK=00112233445566778899AABBCCDDEEFF
MCC_PIN=12345678
CODE1=1234567890123456
CODE2=6543210987654321
PSUB=0011223344556677
DSUB=8899AABBCCDDEEFF
PIN1=1111
PIN2=2222
PIN3=3333
HOLDER_PIN=246810
NEW_PIN=135790
# What the KTC ceremony reads, in its order: the MCC's PIN, then each
# custodian's entries.
KTC_SECRETS="mcc-pin=$MCC_PIN
code1=$CODE1
pin1=$PIN1
code2=$CODE2
pin2=$PIN2
psub=$PSUB
dsub=$DSUB
pin3=$PIN3"

# -- independent crypto (openssl) ---------------------------------------------

# TDES-ECB (2-key) of hex data under a 16-byte hex key, as hex.
tdes() { # key data
  printf '%s' "$2" | xxd -r -p | openssl enc -des-ede -K "$1" -nopad 2>/dev/null | xxd -p -c 64 |
    tr a-f A-F
}
# Single DES is TDES with both halves equal.
des() { # key8 data
  tdes "$1$1" "$2"
}
kcv() { # key
  tdes "$1" 0000000000000000 | cut -c1-6
}
# DIV(K, F) = TDES_K(F) || TDES_K(~F) (docs/card-formats.md)
div() { # key factor
  not=""
  for byte in $(printf '%s' "$2" | sed 's/../& /g'); do
    not=$not$(printf '%02X' $((255 - 0x$byte)))
  done
  echo "$(tdes "$1" "$2")$(tdes "$1" "$not")"
}
PKEY=$(des "$CODE1" "$PSUB")$(des "$CODE2" "$PSUB")
DKEY=$(des "$CODE1" "$DSUB")$(des "$CODE2" "$DSUB")
AKEY=$(div "$DKEY" "$(printf AUDITLOG | xxd -p)")

# -- cards ----------------------------------------------------------------------

new_card() { # kind
  "$sim" new "$1" --deck "$deck"
}
reader_of() { # slot
  if [ "$1" = 0 ]; then echo "$PCSC_READER_R1"; else echo "$PCSC_READER_R2"; fi
}

# Waits (at most 10 s) until pcscd sees a card in the reader, or none.
wait_reader() { # reader present|absent
  i=0
  while [ $i -lt 200 ]; do
    if pcsc_scan -c 2>/dev/null | awk -v r="$1" '
        index($0, "Reader") && index($0, r) { mine = 1; next }
        index($0, "Reader") { mine = 0 }
        mine && /Card state:/ && /Card inserted/ { found = 1 }
        END { exit !found }'; then
      [ "$2" = present ] && return 0
    else
      [ "$2" = absent ] && return 0
    fi
    sleep 0.05
    i=$((i + 1))
  done
  echo "# $1: still not $2 after 10 s"
}

# Takes a card out, as a person does: pcscd sees the reader empty.
take() { # slot
  if "$sim" remove --deck "$deck" "$1" >/dev/null 2>&1; then
    wait_reader "$(reader_of "$1")" absent
  fi
}

# Puts a card into a slot, taking out what is there and, since a card is
# in one slot at a time, the card itself from the other slot.
put() { # slot image
  for s in 0 1; do
    if "$sim" list --deck "$deck" | grep -q "^slot $s: $2 "; then take $s; fi
  done
  take "$1"
  "$sim" insert --deck "$deck" "$1" "$2"
  wait_reader "$(reader_of "$1")" present
}

# -- the CLI --------------------------------------------------------------------

# Runs the CLI against pcscd with the secrets lines in $SECRETS on stdin;
# stdout in $work/out, stderr in $work/err, status in $rc.  Each card is
# waited for $card_timeout seconds (a --card-timeout before the command
# wins over one after it).
card_timeout=20
run() { # args...
  printf '%s\n' "$SECRETS" | "$cli" --readers pcsc --r1 "$PCSC_READER_R1" --r2 "$PCSC_READER_R2" \
    --db "$db" --card-timeout "$card_timeout" "$@" >"$work/out" 2>"$work/err"
  rc=$?
  return $rc
}

# As run, in the background: swaps R2 to each image in turn whenever the
# CLI asks for a card there, then waits for it.
run_swapping() { # "image image ..." args...
  images=$1
  shift
  : >"$work/err"
  run "$@" &
  pid=$!
  asked=0
  for image in $images; do
    asked=$((asked + 1))
    i=0
    while [ "$(grep -c 'into R2' "$work/err" 2>/dev/null)" -lt $asked ] && [ $i -lt 400 ]; do
      sleep 0.05
      i=$((i + 1))
    done
    put 1 "$image"
  done
  wait $pid
  rc=$?
}

field() { # name: from the last stdout line with it
  sed -n "s/.*\\b$1=\\([^	]*\\).*/\\1/p" "$work/out" | tail -n 1
}

# -- raw APDUs through pcscd ----------------------------------------------------

# One scriptor session: the responses, one per line, without spaces.
# scriptor prints a long response over several lines, the status word and
# its explanation (" : Normal processing.") after the last.
apdus() { # reader apdu...
  reader=$1
  shift
  printf '%s\n' "$@" | scriptor -r "$reader" 2>&1 | awk '
    function flush() {
      if (resp) { gsub(/[^0-9A-F]/, "", buf); print buf; resp = 0 }
    }
    /^< / {
      flush()
      buf = substr($0, 3); resp = 1
      if (buf ~ / : /) { sub(/ : .*/, "", buf); flush() }
      next
    }
    resp && /^[0-9A-F][0-9A-F]( |$)/ {
      l = $0; end = l ~ / : /
      sub(/ : .*/, "", l); buf = buf " " l
      if (end) flush()
      next
    }
    { flush() }
    END { flush() }'
}
line() { # n text
  printf '%s\n' "$2" | sed -n "${1}p"
}
bcd_pin() { # digits: BCD, padded with F to whole bytes
  p=$1
  [ $((${#p} % 2)) -eq 1 ] && p="${p}F"
  echo "$p"
}
verify_apdu() { # kid pin
  p=$(bcd_pin "$2")
  printf '0020000%s%02X%s' "$1" $((${#p} / 2)) "$p"
}
