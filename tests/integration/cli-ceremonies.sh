#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-ceremonies.sh: every key ceremony and maintenance task run from
# insucard-cli through a real pcscd + vpcd with simulated cards, the way a
# system administrator runs them, and the cards made checked independently
# of the code under test: the expected keys and check values are computed
# here with openssl(1) from the test's own inputs, and the cards are asked
# with raw APDUs through pcsc-tools' scriptor.  Then the bad inputs of
# docs/cli.md, each with its exit status and message.
# Run under pcscd-harness (it sets PCSC_READER_R1/R2 and INSUCARD_SIM_DECK).
# Prints TAP; exit 0 = all passed, 77 = skipped.
set -u

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
export LC_ALL=C INSUCARD_WORKSTATION=DESK-07
unset INSUCARD_DB INSUCARD_READER_BACKEND
n=0
failed=0

ok() {
  n=$((n + 1))
  echo "ok $n - $1"
}

not_ok() { # description details
  n=$((n + 1))
  failed=$((failed + 1))
  echo "not ok $n - $1"
  printf '%s\n' "$2" | sed 's/^/# /'
}

check() { # description actual expected-regex
  if printf '%s\n' "$2" | grep -Eq "$3"; then
    ok "$1"
  else
    not_ok "$1" "got '$2', wanted /$3/"
  fi
}

# The test's inputs.
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

# -- independent crypto (openssl) -------------------------------------------

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

# -- cards and the CLI ------------------------------------------------------

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

# Runs the CLI against pcscd with the secrets lines in $SECRETS on stdin;
# stdout in $work/out, stderr in $work/err, status in $rc.
run() { # args...
  printf '%s\n' "$SECRETS" | "$cli" --readers pcsc --r1 "$PCSC_READER_R1" --r2 "$PCSC_READER_R2" \
    --db "$db" --card-timeout 20 "$@" >"$work/out" 2>"$work/err"
  rc=$?
  return $rc
}

# As run, in the background: swaps R2 to each image in turn whenever the
# CLI asks for a blank, then waits for it.
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

# Raw APDUs through pcscd: the responses, one per line.
apdus() { # reader apdu...
  reader=$1
  shift
  printf '%s\n' "$@" | scriptor -r "$reader" 2>&1 | sed -n 's/^< \([0-9A-F ]*[0-9A-F]\).*/\1/p' |
    tr -d ' '
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
ADF_SELECT=00A4040008$(printf INSUCARD | xxd -p | tr a-f A-F)
ZEROS=0000000000000000

# ===========================================================================
# 1. The master control card
mcc=$(new_card cpu)
put 1 "$mcc"
SECRETS="mk=$MK
mcc-pin=$MCC_PIN"
run mcc create --yes
check "mcc create: exit 0" "$rc" "^0$"
check "mcc create: KCV(MK) is what openssl computes" "$(field kcv-mk)" "^$(kcv "$MK")$"
r=$(apdus "$PCSC_READER_R2" "00A40000023F00" "$(verify_apdu 0 "$MCC_PIN")" \
  "0088000108$ZEROS" "00C0000008")
check "mcc: the PIN works" "$(line 2 "$r")" "^9000$"
check "mcc: the card encrypts with MK" "$(line 4 "$r")" "^$(tdes "$MK" "$ZEROS")9000$"
r=$(apdus "$PCSC_READER_R2" "00A40000023F00" "0088000108$ZEROS")
check "mcc: no encryption without the PIN" "$(line 2 "$r")" "^6982$"

# 2. The key transport card: MCC in R1, a blank in R2
put 0 "$mcc"
ktc=$(new_card cpu)
put 1 "$ktc"
SECRETS="mcc-pin=$MCC_PIN
code1=$CODE1
pin1=$PIN1
code2=$CODE2
pin2=$PIN2
psub=$PSUB
dsub=$DSUB
pin3=$PIN3"
run ktc create --yes
check "ktc create: exit 0" "$rc" "^0$"
check "ktc create: KCV(Pkey) is what openssl computes" "$(field kcv-pkey)" "^$(kcv "$PKEY")$"
check "ktc create: KCV(Dkey) is what openssl computes" "$(field kcv-dkey)" "^$(kcv "$DKEY")$"
code1_bcd=$CODE1
r=$(apdus "$PCSC_READER_R2" "00A40000023F00" "00B0840008" "$(verify_apdu 1 "$PIN1")" \
  "00B0840008" "00D6840008$code1_bcd" "00B0820010" "00B0810010")
check "ktc: code 1 unreadable without PIN 1" "$(line 2 "$r")" "^6982$"
check "ktc: PIN 1 works" "$(line 3 "$r")" "^9000$"
check "ktc: code 1 reads back with PIN 1" "$(line 4 "$r")" "^${code1_bcd}9000$"
check "ktc: code 1 is never rewritten" "$(line 5 "$r")" "^69"
check "ktc: Pkey (EF 0002) unreadable in the clear" "$(line 6 "$r")" "^69"
check "ktc: Dkey (EF 0001) unreadable in the clear" "$(line 7 "$r")" "^69"
r=$(apdus "$PCSC_READER_R2" "00A40000023F00" "$(verify_apdu 3 "$PIN3")" "00B0860008" \
  "00B0860808")
check "ktc: PSUB read with PIN 3" "$(line 3 "$r")" "^${PSUB}9000$"
check "ktc: DSUB read with PIN 3" "$(line 4 "$r")" "^${DSUB}9000$"

# A second KTC needs a yes even when the cards are right.
ktc2=$(new_card cpu)
put 1 "$ktc2"
run ktc create
check "ktc create again without --yes: refused (exit 1)" "$rc" "^1$"
check "ktc create again: says a KTC exists" "$(cat "$work/err")" "[Aa]nother key transport card|already"

# 3. Administrator and key cards: MCC in R1, KTC in R2, then the blanks
ac1=$(new_card cpu)
ac2=$(new_card cpu)
put 1 "$ktc"
SECRETS="mcc-pin=$MCC_PIN
holder-pin=$HOLDER_PIN
holder-pin=$HOLDER_PIN"
run_swapping "$ac1 $ac2" card create --kind admin --role system-admin --holder-name "Wang Wu" \
  --staff-no S-0050 --office 510400 --count 2
check "card create admin --count 2: exit 0" "$rc" "^0$"
check "card create admin: two cards" "$(grep -c '^kind=ac' "$work/out")" "^2$"
check "card create admin: KCV(Akey) is what openssl computes" "$(field kcv-akey)" \
  "^$(kcv "$AKEY")$"
ac_serial=$(field serial)
for pair in "1 $PKEY" "2 $DKEY" "3 $AKEY"; do
  kid=${pair% *}
  key=${pair#* }
  r=$(apdus "$PCSC_READER_R2" "00A40000023F00" "$(verify_apdu 0 "$HOLDER_PIN")" "$ADF_SELECT" \
    "0088000${kid}08$ZEROS" "00C0000008")
  check "admin card: key $kid of the application answers as openssl predicts" "$(line 5 "$r")" \
    "^$(tdes "$key" "$ZEROS")9000$"
done
r=$(apdus "$PCSC_READER_R2" "00A40000023F00" "$ADF_SELECT" "0088000108$ZEROS")
check "admin card: no key use without the PIN" "$(line 3 "$r")" "^6982$"

auditor=$(new_card cpu)
put 1 "$ktc"
SECRETS="mcc-pin=$MCC_PIN
holder-pin=$HOLDER_PIN"
run_swapping "$auditor" card create --kind admin --role auditor --holder-name "Zhao Liu" \
  --staff-no S-0070 --office 510400
check "card create auditor: exit 0" "$rc" "^0$"
r=$(apdus "$PCSC_READER_R2" "00A40000023F00" "$(verify_apdu 0 "$HOLDER_PIN")" "$ADF_SELECT" \
  "0088000108$ZEROS" "0088000308$ZEROS" "00C0000008")
check "auditor card: carries no Pkey" "$(line 4 "$r")" "^6A88$|^6A83$|^6982$"
check "auditor card: carries the audit seal key" "$(line 6 "$r")" "^$(tdes "$AKEY" "$ZEROS")9000$"

kc=$(new_card cpu)
put 1 "$ktc"
SECRETS="mcc-pin=$MCC_PIN
holder-pin=$HOLDER_PIN"
run_swapping "$kc" card create --kind key --workstation DESK-07 --office 510400 --quota 500 \
  --holder-name "Li Si" --staff-no S-0043
check "card create key: exit 0" "$rc" "^0$"

# 4. Login with each operator card in R1
put 0 "$kc"
SECRETS="operator-pin=$HOLDER_PIN"
run login
check "login with the key card: exit 0" "$rc" "^0$"
check "login: prints role, holder and tries left" "$(cat "$work/out")" \
  "role=key-card.*tries-left=5|holder=Li Si.*role=key-card"
INSUCARD_WORKSTATION=DESK-99 run login
check "key card at another workstation: refused (exit 1)" "$rc" "^1$"
check "key card at another workstation: says so, not where it belongs" "$(cat "$work/err")" "another workstation.*DESK-99"
SECRETS="operator-pin=000000"
run login
check "login with a wrong PIN: exit 1" "$rc" "^1$"
check "login with a wrong PIN: tries left shown" "$(cat "$work/err")" "4 tries left"

# 5. The log: sealed at each logout; only auditors and system administrators check seals
SECRETS="operator-pin=$HOLDER_PIN"
run log verify --card
check "log verify --card with a key card: refused (exit 1)" "$rc" "^1$"
check "log verify --card with a key card: says who may" "$(cat "$work/err")" "auditor"
put 0 "$auditor"
run log verify --card
check "log verify --card with the auditor card: exit 0" "$rc" "^0$"
check "log verify --card: every seal checked" "$(cat "$work/out")" "Seals: ([0-9]+), of which \\1 checked"
check "log verify --card: intact" "$(cat "$work/out")" "The log is intact"

# 6. Maintenance: check, PIN change, PIN unblock, wash
put 0 "$mcc"
put 1 "$ac1"
SECRETS="mcc-pin=$MCC_PIN"
run card check
check "card check of our card: genuine (exit 0)" "$rc" "^0$"
check "card check prints genuine=yes" "$(cat "$work/out")" "^genuine=yes$"
stranger=$(new_card cpu)
put 1 "$stranger"
run card check
check "card check of a blank: not ours (exit 1)" "$rc" "^1$"

put 1 "$ac1"
SECRETS="operator-pin=$HOLDER_PIN
new-pin=$NEW_PIN"
run pin change
check "pin change: exit 0" "$rc" "^0$"
r=$(apdus "$PCSC_READER_R2" "00A40000023F00" "$(verify_apdu 0 "$NEW_PIN")")
check "pin change: the new PIN works" "$(line 2 "$r")" "^9000$"

# Lock the PIN with wrong tries, then unblock it with the MCC.
wrong=$(verify_apdu 0 999999)
apdus "$PCSC_READER_R2" "00A40000023F00" "$wrong" "$wrong" "$wrong" "$wrong" "$wrong" >/dev/null
put 0 "$ac1"
SECRETS="operator-pin=$NEW_PIN"
run login
check "login with a locked card: exit 1" "$rc" "^1$"
check "login with a locked card: see the system administrator" "$(cat "$work/err")" \
  "blocked.*system administrator"
put 0 "$mcc"
put 1 "$ac1"
SECRETS="mcc-pin=$MCC_PIN
new-pin=$HOLDER_PIN"
run pin unblock
check "pin unblock: exit 0" "$rc" "^0$"
r=$(apdus "$PCSC_READER_R2" "00A40000023F00" "$(verify_apdu 0 "$HOLDER_PIN")")
check "pin unblock: the PIN set anew works" "$(line 2 "$r")" "^9000$"

SECRETS="mcc-pin=$MCC_PIN"
run card wash
check "card wash without --yes: refused (exit 1)" "$rc" "^1$"
run card wash --yes
check "card wash --yes: exit 0" "$rc" "^0$"
"$cli" --readers pcsc card info --reader "$PCSC_READER_R2" >"$work/out" 2>&1
check "card info: the washed card is blank" "$(cat "$work/out")" "[Bb]lank"

# 7. KTC rebuild from the old card and its three PINs
ktc3=$(new_card cpu)
put 0 "$mcc"
put 1 "$ktc"
SECRETS="mcc-pin=$MCC_PIN
pin1=$PIN1
pin2=$PIN2
pin3=$PIN3"
run_swapping "$ktc3" ktc rebuild --yes
check "ktc rebuild: exit 0" "$rc" "^0$"
check "ktc rebuild: same KCV(Pkey)" "$(field kcv-pkey)" "^$(kcv "$PKEY")$"

# ===========================================================================
# Bad input: a clear message, the right exit status, nothing changed.
SECRETS="mk=$MK
mcc-pin=$MCC_PIN"
sle=$(new_card sle4428)
put 1 "$sle"
run mcc create --yes --card-timeout 1
check "an insurance card where a blank belongs: exit 1" "$rc" "^1$"
check "an insurance card where a blank belongs: says what is there" "$(cat "$work/err")" \
  "[Ii]nsurance card|SLE4428|memory card"

put 0 "$sle"
put 1 "$(new_card cpu)"
SECRETS="mcc-pin=$MCC_PIN"
run card create --kind admin --role auditor --holder-name X --staff-no S-1 --office 510400 \
  --card-timeout 1
check "an insurance card where the MCC belongs: exit 1" "$rc" "^1$"

put 0 "$mcc"
put 1 "$(new_card cpu)"
SECRETS="mcc-pin=$MCC_PIN
code1=12345678901234AB"
run ktc create --yes
check "a code with letters: exit 2" "$rc" "^2$"
check "a code with letters: only digits" "$(cat "$work/err")" "only digits"
SECRETS="mcc-pin=$MCC_PIN
code1=$CODE1
pin1=1
"
run ktc create --yes
check "a PIN of one digit: exit 2" "$rc" "^2$"
SECRETS="mcc-pin=$MCC_PIN
code1=$CODE1
pin1=$PIN1
code2=$CODE1
pin2=$PIN2
psub=$PSUB
dsub=$DSUB
pin3=$PIN3"
run ktc create --yes
check "equal codes: exit 2" "$rc" "^2$"
check "equal codes: says so" "$(cat "$work/err")" "same"
SECRETS="mcc-pin=$MCC_PIN"
run card create --kind admin --role boss --holder-name X --staff-no S-1 --office 510400
check "an unknown role: exit 2" "$rc" "^2$"
run card create --kind key --holder-name X --staff-no S-1 --office 510400
check "a key card without a workstation: exit 2" "$rc" "^2$"
printf 'mk=%s\n' "$MK" | "$cli" mcc create --bogus >/dev/null 2>&1
check "an unknown option: exit 2" "$?" "^2$"

# A card pulled out in the middle of making: recognisable, washable, made again.
half=$(new_card cpu)
put 0 "$mcc"
put 1 "$ktc"
SECRETS="mcc-pin=$MCC_PIN
holder-pin=$HOLDER_PIN"
: >"$work/err"
run card create --kind admin --role auditor --holder-name Y --staff-no S-2 --office 510400 &
pid=$!
i=0
while ! grep -q 'into R2' "$work/err" 2>/dev/null && [ $i -lt 400 ]; do
  sleep 0.05
  i=$((i + 1))
done
take 1
"$sim" fault --deck "$deck" 1 "pull-after=30" >/dev/null
put 1 "$half"
wait $pid
rc=$?
check "card pulled while being made: exit 1" "$rc" "^1$"
put 1 "$half"
"$cli" --readers pcsc card info --reader "$PCSC_READER_R2" >"$work/out" 2>&1
check "card info: the half-made card says so" "$(cat "$work/out")" "[Uu]nfinished|half"
SECRETS="mcc-pin=$MCC_PIN"
run card wash --yes
check "a half-made card: --yes does not say whether it was an MCC (exit 1)" "$rc" "^1$"
check "a half-made card: says how to answer" "$(cat "$work/err")" "unfinished-mcc=no"
SECRETS="mcc-pin=$MCC_PIN
unfinished-mcc=no"
run card wash --yes
check "the half-made card washes (exit 0)" "$rc" "^0$"

echo "1..$n"
[ $failed -eq 0 ]
