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

# shellcheck source=tests/integration/cli-test-lib.sh
. "$(dirname "$0")/cli-test-lib.sh"
export LC_ALL=C INSUCARD_WORKSTATION=DESK-07

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
SECRETS=$KTC_SECRETS
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
