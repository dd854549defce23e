#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-issue.sh: the issuing clerk's insurance-card commands run from
# insucard-cli through a real pcscd + vpcd with simulated SLE4428 cards,
# each card checked independently of the code under test: its raw memory
# read with scriptor, its PSC and data key computed here with openssl(1)
# from the ceremony's inputs, the holder block decrypted with openssl and
# every check byte recomputed in shell.  Then what writing costs (the
# simulator's wear counts and pcscd's APDU log), every refusal with its
# exit status and message (a used, blacklisted, locked, foreign or CPU
# card in R2; an auditor, a key card past its quota, a wrong and a blocked
# operator PIN; bad usage), SIGKILL at every SLE4428 APDU of an issuance
# and a card pulled mid-write, each followed by journal finish/undo, and
# the rest of a card's life and of a batch (--resume after a pulled card).
# Run under pcscd-harness (it sets PCSC_READER_R1/R2 and INSUCARD_SIM_DECK).
# Prints TAP; exit 0 = all passed, 77 = skipped.
set -u

# shellcheck source=tests/integration/cli-test-lib.sh
. "$(dirname "$0")/cli-test-lib.sh"
export LC_ALL=C.UTF-8 INSUCARD_WORKSTATION=DESK-07
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
today=$(date +%Y%m%d)

# -- holders ----------------------------------------------------------------------

# A valid GB 11643 ID number: the 17 digits given and their check character.
gb11643() { # 17 digits
  sum=0
  i=0
  for w in 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; do
    i=$((i + 1))
    d=$(printf '%s' "$1" | cut -c$i)
    sum=$((sum + w * d))
  done
  echo "$1$(printf '10X98765432' | cut -c$((sum % 11 + 1)))"
}
# The Nth holder of the test: born 1985-03-17 in Panzhihua, sequence N.
holder_id() { # n
  gb11643 "51040219850317$(printf '%03d' "$1")"
}
# A holder file in the import format (docs/import.md): one row.
holder_file() { # file id name [employer_code]
  printf 'id_number,name,employer_code\n%s,%s,%s\n' "$2" "$3" "${4:-}" >"$1"
}

# -- the insurance card as this test reads it ----------------------------------------

# The check byte of docs/card-formats.md over hex bytes: high digit
# (sum of i * b_i) mod 10, low digit (b_1 xor ... xor b_n) mod 10.
check_byte() { # hex
  i=0
  w=0
  x=0
  for b in $(printf '%s' "$1" | sed 's/../& /g'); do
    i=$((i + 1))
    w=$((w + i * 0x$b))
    x=$((x ^ 0x$b))
  done
  printf '%d%d' $((w % 10)) $((x % 10))
}
# Bytes of the hex string $mem: from address, count.
bytes() { # addr count
  printf '%s' "$mem" | cut -c$((2 * $1 + 1))-$((2 * ($1 + $2)))
}
repeat() { # count hex-byte
  i=0
  while [ $i -lt "$1" ]; do
    printf '%s' "$2"
    i=$((i + 1))
  done
}
# The card's PSC from its serial: C = TDES_Pkey(SN), PSC = fold of C.
psc_of() { # sn
  c=$(tdes "$PKEY" "$1")
  p1=0
  p2=0
  for pk in 0 2 4 6; do
    p1=$((p1 ^ 0x$(printf '%s' "$c" | cut -c$((2 * pk + 1))-$((2 * pk + 2)))))
    p2=$((p2 ^ 0x$(printf '%s' "$c" | cut -c$((2 * pk + 3))-$((2 * pk + 4)))))
  done
  printf '%02X%02X' $p1 $p2
}

# The writes "Writing only what differs" (docs/card-formats.md) plans from
# the bytes that change: runs of changed bytes, merged when at most 2 bytes
# apart (the data area is shorter than the reader's 255-byte chunk).
plan_writes() { # old-hex new-hex: "apdus bytes"
  awk -v a="$1" -v b="$2" 'BEGIN {
    start = -1
    for (i = 0; i < length(a) / 2; i++) {
      if (substr(a, 2 * i + 1, 2) == substr(b, 2 * i + 1, 2)) continue
      if (start >= 0 && i - last - 1 <= 2) { last = i; continue }
      if (start >= 0) { runs++; bytes += last - start + 1 }
      start = i; last = i
    }
    if (start >= 0) { runs++; bytes += last - start + 1 }
    printf "%d %d\n", runs, bytes
  }'
}

# Reads the card in R2 with scriptor: $mem = 0x000-0x3FD, $prot = the
# protection bitmap of all 1024 bytes, $sn; $read_sw the status words.
read_card() {
  r=$(apdus "$PCSC_READER_R2" "FF A4 00 00 01 05" "FF B0 00 00 00" "FF B0 01 00 00" \
    "FF B0 02 00 00" "FF B0 03 00 FE" "FF B2 00 00 20" "FF B2 01 00 20" "FF B2 02 00 20" \
    "FF B2 03 00 20")
  mem=""
  prot=""
  read_sw=""
  rk=0
  for resp in $r; do
    rk=$((rk + 1))
    read_sw="$read_sw$(printf '%s' "$resp" | sed 's/.*\(....\)$/\1/')"
    data=$(printf '%s' "$resp" | sed 's/....$//')
    if [ $rk -ge 2 ] && [ $rk -le 5 ]; then mem=$mem$data; fi
    if [ $rk -ge 6 ]; then prot=$prot$data; fi
  done
  sn=$(bytes 8 8)
}

# The independent check of an issued card in R2 (docs/card-formats.md, "The
# insurance card (SLE4428) as built"), each finding a TAP line prefixed
# with what: the memory, PSC, decrypted holder block, check bytes and
# protection.  Sets $sn, $card_number and $mem.
verify_card() { # what id name [status]
  what=$1
  want_status=${4:-01}
  read_card
  check "$what: memory and protection read (9000 x 9)" "$read_sw" "^(9000){9}$"
  check "$what: 0x000-0x3FD is 1022 bytes" "${#mem}" "^2044$"
  psc=$(psc_of "$sn")
  r=$(apdus "$PCSC_READER_R2" "FFA400000105" "FF20000002$psc" "FFB1000003")
  check "$what: the PSC openssl computes is the card's (90 FF: counter full)" "$(line 2 "$r")" \
    "^90FF$"
  check "$what: error counter FF after the PSC" "$(line 3 "$r")" "^FF00009000$"
  # Card-number block 0x010, clear.
  nb=$(bytes 16 16)
  card_number=$(printf '%s' "$nb" | cut -c9-18)
  check "$what: number block: version 01, region 510400, issued today, type 01" "$nb" \
    "^01510400[0-9]{10}${today}${CARD_TYPE}FF[0-9A-F]{2}$"
  check "$what: number block check byte" "$(bytes 31 1)" "^$(check_byte "$(bytes 16 15)")$"
  # Cardholder block 0x020, TDES-CBC under DKc = DIV(Dkey, SN), IV 0.
  dkc=$(div "$DKEY" "$sn")
  plain=$(bytes 32 128 | xxd -r -p |
    openssl enc -d -des-ede-cbc -K "$dkc" -iv 0000000000000000 -nopad 2>/dev/null | xxd -p -c 256 |
    tr a-f A-F)
  check "$what: holder block decrypts to 128 bytes" "${#plain}" "^256$"
  check "$what: holder block: the ID number" "$(printf '%s' "$plain" | cut -c1-36 | xxd -r -p)" \
    "^$2$"
  name_hex=$(printf '%s' "$3" | xxd -p | tr a-f A-F)
  check "$what: holder block: the UTF-8 name, 00-padded" "$(printf '%s' "$plain" | cut -c37-96)" \
    "^${name_hex}(00)*$"
  check "$what: holder block check byte (over the plaintext)" \
    "$(printf '%s' "$plain" | cut -c255-256)" \
    "^$(check_byte "$(printf '%s' "$plain" | cut -c1-254)")$"
  # Status block 0x0A0 and transaction header 0x0A8, clear.
  sb=$(bytes 160 8)
  check "$what: status block: status $want_status" "$sb" "^${want_status}[0-9A-F]{14}$"
  check "$what: status block check byte" "$(bytes 167 1)" "^$(check_byte "$(bytes 160 7)")$"
  check "$what: transaction header empty (00 00 FF x5)" "$(bytes 168 7)" "^0000FFFFFFFFFF$"
  check "$what: transaction header check byte" "$(bytes 175 1)" \
    "^$(check_byte "$(bytes 168 7)")$"
  check "$what: records and reserved area 0x0B0-0x3FC all FF" "$(bytes 176 845)" \
    "^(FF)+$"
  # Protection: 0x000-0x01F protected (bits 0), everything else writable.
  check "$what: 0x000-0x01F protected, the rest writable" "$prot" \
    "^00000000$(repeat 124 FF)$"
}

# -- the system: MCC, KTC, issuing administrator, auditor, key card -----------------

CARD_TYPE=01 # a production database: regular cards
mcc=$(new_card cpu)
put 1 "$mcc"
SECRETS="mk=$MK
mcc-pin=$MCC_PIN"
run mcc create --yes
check "setup: mcc create" "$rc" "^0$"
put 0 "$mcc"
ktc=$(new_card cpu)
put 1 "$ktc"
SECRETS=$KTC_SECRETS
run ktc create --yes
check "setup: ktc create" "$rc" "^0$"
ia=$(new_card cpu)
ia2=$(new_card cpu)
auditor=$(new_card cpu)
kc=$(new_card cpu)
SECRETS="mcc-pin=$MCC_PIN
holder-pin=$HOLDER_PIN"
put 1 "$ktc"
run_swapping "$ia" card create --kind admin --role issuing-admin --holder-name "田玉琳" \
  --staff-no S-0006 --office 510400
check "setup: an issuing administrator's card" "$rc" "^0$"
put 1 "$ktc"
run_swapping "$ia2" card create --kind admin --role issuing-admin --holder-name "Wang Wu" \
  --staff-no S-0008 --office 510400
check "setup: a second issuing administrator's card (its PIN gets blocked)" "$rc" "^0$"
put 1 "$ktc"
run_swapping "$auditor" card create --kind admin --role auditor --holder-name "Zhao Liu" \
  --staff-no S-0070 --office 510400
check "setup: an auditor's card" "$rc" "^0$"
put 1 "$ktc"
run_swapping "$kc" card create --kind key --workstation DESK-07 --office 510400 --quota 1 \
  --holder-name "Li Si" --staff-no S-0043
check "setup: a key card for DESK-07 with --quota 1" "$rc" "^0$"
SECRETS="operator-pin=$HOLDER_PIN"
take 1
put 0 "$ia"

# ===========================================================================
# a. Issue, and check the card independently
blank1=$(new_card sle4428)
id1=$(holder_id 1)
holder_file "$work/h1.csv" "$id1" "张伟" 5104001234
put 1 "$blank1"
run issue --holder "$work/h1.csv" --receipt "$work/receipt1.pdf"
check "issue: exit 0" "$rc" "^0$"
check "issue: stdout line" "$(cat "$work/out")" \
  "^card_number=[0-9]{10}	sn=[0-9A-F]{16}	holder_id=$id1	holder=张伟	issue_date=$today	valid_until=[0-9]{8}	apdus=[0-9]+	bytes=[0-9]+$"
issue_out=$(cat "$work/out")
verify_card "issue" "$id1" "张伟"
check "issue: the card number on the card is the one printed" "$card_number" \
  "^$(field card_number)$"
check "issue: the serial printed is the card's" "$sn" "^$(field sn)$"
check "issue --receipt: a PDF" "$(head -c 5 "$work/receipt1.pdf" 2>/dev/null)" "^%PDF-$"
card1_number=$card_number
card1_sn=$sn

# ===========================================================================
# b. Byte economy: what the issuance and a rewrite cost the card

# The simulator's wear counts (docs/card-formats.md, "Wear counts").
wear() { # image: "bytes-written protect-bits-set most-written-count"
  "$sim" show "$1" | awk '
    /^writes:/ { b = $2; p = $(NF - 3) }
    /most written:/ { m = $(NF - 1) }
    END { printf "%s %s %s\n", b, p, (m == "" ? 0 : m) }'
}
# The SLE4428 write commands pcscd passed on since line $1 of its log:
# FF D0 (write memory, the PSC change included) and FF D1 (protect).
pcscd_log=${PCSCD_HARNESS_LOGDIR:-}/pcscd.log
log_mark() {
  if [ -f "$pcscd_log" ]; then wc -l <"$pcscd_log"; else echo 0; fi
}
log_apdus() { # from-line pattern
  tail -n +$(($1 + 1)) "$pcscd_log" | grep -c "APDU: $2"
}

w=$(wear "$blank1")
issue_apdus=$(printf '%s\n' "$issue_out" | sed -n 's/.*	apdus=\([0-9]*\).*/\1/p')
issue_bytes=$(printf '%s\n' "$issue_out" | sed -n 's/.*	bytes=\([0-9]*\).*/\1/p')
echo "# issuance: apdus=$issue_apdus bytes=$issue_bytes; wear (bytes, protect bits, most written): $w"
check "issue: every byte written at most once (wear)" "${w##* }" "^1$"
check "issue: 155 data bytes + the 2 PSC bytes written, 16 protect bits set (wear)" \
  "${w% *}" "^157 16$"
check "issue: bytes=155 on stdout" "$issue_bytes" "^155$"
read_card
check "issue: 2 data APDUs, 155 bytes are the plan for a blank" \
  "$(plan_writes "$(repeat 160 FF)" "$(bytes 16 160)")" "^2 155$"
# The minimum (docs/performance.md, "Writing an insurance card"): 2 FF D0
# for the data, 1 for the PSC, 1 FF D1; within 10 %.
ISSUE_MIN_APDUS=4
check "issue: apdus=$issue_apdus within 10 % of the minimum $ISSUE_MIN_APDUS" \
  "$((issue_apdus * 10 <= ISSUE_MIN_APDUS * 11 && issue_apdus >= ISSUE_MIN_APDUS))" "^1$"

# The same issuance counted outside insucard, in pcscd's APDU log.
blank2=$(new_card sle4428)
id2=$(holder_id 2)
holder_file "$work/h2.csv" "$id2" "李娜"
put 1 "$blank2"
mark=$(log_mark)
run issue --holder "$work/h2.csv"
check "issue (second card): exit 0" "$rc" "^0$"
if [ -f "$pcscd_log" ] && grep -q "APDU: " "$pcscd_log"; then
  d0=$(log_apdus "$mark" "FF D0")
  d1=$(log_apdus "$mark" "FF D1")
  all=$(log_apdus "$mark" "FF ")
  echo "# pcscd log of one issuance: $d0 x FF D0, $d1 x FF D1, $all SLE4428 APDUs in all"
  check "issue: pcscd passed 3 FF D0 (data x2, PSC) and 1 FF D1, as apdus= says" \
    "$d0 $d1 $(field apdus)" "^3 1 4$"
else
  ok "issue: pcscd's APDU log # SKIP pcscd runs without --apdu (PCSCD_HARNESS_QUIET)"
fi

# Rewriting with the data the card holds writes nothing.
put 1 "$blank1"
before=$(wear "$blank1")
mark=$(log_mark)
run rewrite --holder "$work/h1.csv"
check "rewrite, same data: exit 0" "$rc" "^0$"
check "rewrite, same data: apdus=0 bytes=0" "$(field apdus) $(field bytes)" "^0 0$"
check "rewrite, same data: says nothing changed" "$(cat "$work/err")" "Nothing changed"
check "rewrite, same data: the wear counts do not move" "$(wear "$blank1")" "^$before$"
if [ -f "$pcscd_log" ] && grep -q "APDU: " "$pcscd_log"; then
  check "rewrite, same data: no write command reached pcscd" \
    "$(log_apdus "$mark" "FF D[01]")" "^0$"
fi

# A new employer code: the holder block from its 8-byte block on (CBC),
# and the status block (rewrite counter + 1).  On the day of issue the date
# of the last change stays, and its 4 bytes are a gap too wide to write
# over: the check byte after it goes in a second APDU (a third when a
# ciphertext byte near the end happens to stay the same); plan_writes
# works the plan out from the bytes that changed.
read_card
old_data=$(bytes 16 160)
holder_file "$work/h1b.csv" "$id1" "张伟" 5104009999
export G_MESSAGES_DEBUG=cardlib
run rewrite --holder "$work/h1b.csv"
unset G_MESSAGES_DEBUG
check "rewrite, new employer code: exit 0" "$rc" "^0$"
read_card
plan=$(plan_writes "$old_data" "$(bytes 16 160)")
check "rewrite, new employer code: apdus= and bytes= are the plan of the bytes that changed" \
  "$(field apdus) $(field bytes)" "^$plan$"
check "rewrite, new employer code: 2 or 3 APDUs from 0x058, at most 80 bytes" \
  "$plan $(grep -o ' > FF D0 .. .. ..' "$work/err" | head -n 1)" "^[23] ([1-7][0-9]|80)  > FF D0 00 58 "
check "rewrite: the debug log went to stderr, stdout is the result line only" \
  "$(wc -l <"$work/out")" "^1$"
verify_card "rewrite" "$id1" "张伟"
check "rewrite: the rewrite counter is 1" "$(bytes 160 3)" "^010001$"
plain_employer=$(printf '%s' "$plain" | cut -c113-132)
check "rewrite: the new employer code is on the card" "$plain_employer" "^5104009999F*$"
w=$(wear "$blank1")
check "rewrite: no byte written more than twice in the card's life" "${w##* }" "^[12]$"
run rewrite --holder "$work/h1.csv"
check "rewrite back: exit 0" "$rc" "^0$"

# What each command costs the card, counted outside insucard in pcscd's
# APDU log (docs/performance.md, "Writing an insurance card"): the SLE4428
# commands (class FF) in all, the writes (FF D0: memory and the PSC
# change; FF D1: write protection) and the bytes they carry (their Lc).
cost() { # from-line: "all d0 d0-bytes d1 d1-bytes"
  tail -n +$(($1 + 1)) "$pcscd_log" | awk '
    function hex(h,   i, v) {
      v = 0
      for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789ABCDEF", substr(h, i, 1)) - 1
      return v
    }
    /APDU: FF / {
      sub(/.*APDU: /, "")
      all++
      if ($2 == "D0") { d0++; d0b += hex($5) }
      if ($2 == "D1") { d1++; d1b += hex($5) }
    }
    END { printf "%d %d %d %d %d\n", all, d0, d0b, d1, d1b }'
}
if [ -f "$pcscd_log" ] && grep -q "APDU: " "$pcscd_log"; then
  blank_c=$(new_card sle4428)
  id60=$(holder_id 60)
  holder_file "$work/h60.csv" "$id60" "吴敏" 5104001234
  put 1 "$blank_c"
  mark=$(log_mark)
  run issue --holder "$work/h60.csv"
  c=$(cost "$mark")
  echo "# cost of issue (all, FF D0, bytes, FF D1, bytes): $c"
  check "cost of issue: 3 FF D0 with 157 bytes (155 data + 2 PSC), 1 FF D1 of 16: the wear" \
    "$rc ${c#* } | $(wear "$blank_c")" "^0 3 157 1 16 \| 157 16 1$"
  mark=$(log_mark)
  run read
  c=$(cost "$mark")
  echo "# cost of read: $c"
  check "cost of read: no write" "$rc ${c#* }" "^0 0 0 0 0$"
  mark=$(log_mark)
  run rewrite --holder "$work/h60.csv"
  c=$(cost "$mark")
  echo "# cost of rewrite, same data: $c"
  check "cost of rewrite, same data: no write" "$rc ${c#* }" "^0 0 0 0 0$"
  holder_file "$work/h60b.csv" "$id60" "吴敏" 5104009999
  mark=$(log_mark)
  run rewrite --holder "$work/h60b.csv"
  c=$(cost "$mark")
  echo "# cost of rewrite, new employer code: $c; stdout apdus=$(field apdus) bytes=$(field bytes)"
  check "cost of rewrite, new employer code: the FF D0 in the log are apdus= and bytes=" \
    "$rc ${c#* }" "^0 $(field apdus) $(field bytes) 0 0$"
  mark=$(log_mark)
  run journal list
  check "journal list: no card touched" "$(cost "$mark")" "^0 0 0 0 0$"
else
  ok "cost per command from pcscd's APDU log # SKIP pcscd runs without --apdu (PCSCD_HARNESS_QUIET)"
fi

# ===========================================================================
# c. Refusals: each with its exit status and a message that says what to do

journal_empty() { # what
  run journal list
  check "$1: journal list exit 0" "$rc" "^0$"
  check "$1: nothing half-recorded (journal list empty)" "$(cat "$work/out")" "^$"
}
tries_of_r2() { # the SLE4428 in R2's error counter, as FF B1 gives it
  apdus "$PCSC_READER_R2" "FFA400000105" "FFB1000003" | sed -n '2s/^\(..\).*/\1/p'
}

# A card already issued (recycled SN), another holder.
id3=$(holder_id 3)
holder_file "$work/h3.csv" "$id3" "王强"
put 1 "$blank2"
run issue --holder "$work/h3.csv"
check "recycled SN: exit 1" "$rc" "^1$"
check "recycled SN: says so and to take a new blank" "$(cat "$work/err")" \
  "issued before.*Take a new blank card"

# A blacklisted SN: card 2 reported lost, then offered as a blank.
card2_sn=$(apdus "$PCSC_READER_R2" "FFA400000105" "FFB0000808" | sed -n '2s/9000$//p')
take 1
run report-lost --sn "$card2_sn"
check "report-lost without --yes: exit 1" "$rc" "^1$"
check "report-lost without --yes: names the card and needs a yes" "$(tr '\n' ' ' <"$work/err")" \
  "Card [0-9 ]+ of $id2: the card is blacklisted.*this needs a yes.*give --yes"
check "report-lost without --yes: the registry still says issued, nothing blacklisted" \
  "$(sqlite3 -readonly "$db" "SELECT status FROM insurance_card WHERE sn = '$card2_sn'; SELECT count(*) FROM blacklist WHERE sn = '$card2_sn'" | tr '\n' ' ')" \
  "^issued 0 $"
run report-lost --sn "$card2_sn" --yes
check "report-lost --sn --yes: exit 0" "$rc" "^0$"
check "report-lost: says blacklisted" "$(cat "$work/err")" "reported lost and blacklisted"
put 1 "$blank2"
run issue --holder "$work/h3.csv"
check "blacklisted SN: exit 1" "$rc" "^1$"
check "blacklisted SN: says so and what to do" "$(cat "$work/err")" \
  "blacklist.*Do not issue it: keep it aside"

# The auditor may not issue.
put 0 "$auditor"
blank3=$(new_card sle4428)
put 1 "$blank3"
run issue --holder "$work/h3.csv"
check "auditor card: exit 1" "$rc" "^1$"
check "auditor card: says who may issue" "$(cat "$work/err")" \
  "may not issue.*issuing administrator, a system administrator or a key card may"

# The key card with --quota 1: one card, then no more.
put 0 "$kc"
run issue --holder "$work/h3.csv"
check "key card, quota 1: the first card issues (exit 0)" "$rc" "^0$"
card3_number=$(field card_number)
id4=$(holder_id 4)
holder_file "$work/h4.csv" "$id4" "刘洋"
blank4=$(new_card sle4428)
put 1 "$blank4"
run issue --holder "$work/h4.csv"
check "key card, quota used up: exit 1" "$rc" "^1$"
check "key card, quota used up: says to get a new key card" "$(cat "$work/err")" \
  "issued all the 1 cards it may.*new key card"
put 0 "$ia"

# A wrong operator PIN: refused with the tries left, nothing written; the
# card's own counter (login's tries-left) shows the try spent.
put 0 "$ia2"
SECRETS="operator-pin=999999"
run issue --holder "$work/h4.csv"
check "wrong operator PIN: exit 1" "$rc" "^1$"
check "wrong operator PIN: says so, 4 tries left" "$(cat "$work/err")" \
  "Wrong PIN, code or key: 4 tries left"
check "wrong operator PIN: the blank stays blank" \
  "$(apdus "$PCSC_READER_R2" "FFA400000105" "FFB0001090" | sed -n 2p)" "^(FF){144}9000$"
SECRETS="operator-pin=$HOLDER_PIN"
run login
check "after a wrong PIN: login with the right one, tries-left=4" "$rc $(cat "$work/out")" \
  "^0 serial=.*	holder=Wang Wu	.*	tries-left=4$"

# The operator card locked: 4 wrong PINs, the 5th (the last try) needs
# --allow-last-try and blocks the PIN; then even the right PIN is refused.
SECRETS="operator-pin=999999"
for k in 1 2 3 4; do run issue --holder "$work/h4.csv"; done
check "4 wrong PINs: 1 try left" "$rc $(cat "$work/err")" "^1 .*1 try left"
run issue --holder "$work/h4.csv"
check "the last PIN try without --allow-last-try: exit 1" "$rc $(tr '\n' ' ' <"$work/err")" \
  "^1 .*Only one PIN try is left.*give --allow-last-try"
run issue --holder "$work/h4.csv" --allow-last-try
check "a wrong PIN on the last try: exit 1, blocked" "$rc $(tr '\n' ' ' <"$work/err")" \
  "^1 .*Blocked: the PIN, code or key has no tries left"
SECRETS="operator-pin=$HOLDER_PIN"
run issue --holder "$work/h4.csv"
check "a blocked operator card, right PIN: exit 1" "$rc" "^1$"
check "a blocked operator card: says to see the system administrator" "$(cat "$work/err")" \
  "PIN is blocked. See the system administrator"
check "a blocked operator card: the blank stays blank" \
  "$(apdus "$PCSC_READER_R2" "FFA400000105" "FFB0001090" | sed -n 2p)" "^(FF){144}9000$"
journal_empty "a blocked operator card"
put 0 "$ia"

# Bad usage: exit 2 before any card or PIN.
take 1
usage() { # description expected-stderr-regex args...
  u_what=$1
  u_want=$2
  shift 2
  run "$@"
  check "usage: $u_what: exit 2" "$rc $(cat "$work/err" | tr '\n' ' ')" "^2 .*$u_want"
}
usage "issue without --holder" "--holder FILE is needed" issue
printf 'id_number,name\n%s,A\n%s,B\n' "$(holder_id 8)" "$(holder_id 9)" >"$work/two.csv"
usage "issue --holder with two rows" "exactly one good row" issue --holder "$work/two.csv"
usage "rewrite without --holder" "--holder FILE is needed" rewrite
usage "replace --reason stolen" "--reason lost\|damaged" replace --reason stolen --holder-id "$id1"
usage "replace without --holder-id" "--holder-id ID are needed" replace --reason lost
usage "report-lost with --sn and --card-number" "give --card-number N or --sn SN" \
  report-lost --sn 0011223344556677 --card-number 0000000001
usage "history without --card-number or --holder-id" "give --card-number N or --holder-id ID" \
  history
usage "receipt without --pdf" "give --card-number N and --pdf FILE" receipt --card-number 1
usage "import with FILE and --resume" "give FILE.csv, or --resume N" import "$work/h1.csv" \
  --resume 1
usage "import --check-only --resume" "give FILE.csv, or --resume N" import --check-only --resume 1
usage "journal frob" "journal list \| finish ID \| undo ID" journal frob
usage "journal finish without an ID" "journal list \| finish ID \| undo ID" journal finish
usage "read --bogus" "" read --bogus

# A CPU card in R2 where an insurance card belongs.
cpu_blank=$(new_card cpu)
put 1 "$cpu_blank"
card_timeout=2
run issue --holder "$work/h4.csv"
card_timeout=20
check "a CPU card in R2: exit 1" "$rc" "^1$"
check "a CPU card in R2: says it is not an insurance card" "$(cat "$work/err")" \
  "not an insurance card"
journal_empty "a CPU card in R2"

# A locked SLE4428: 8 wrong PSCs through scriptor first.
locked=$(new_card sle4428)
put 1 "$locked"
wrong="FF200000020000"
r=$(apdus "$PCSC_READER_R2" "FFA400000105" "$wrong" "$wrong" "$wrong" "$wrong" "$wrong" "$wrong" \
  "$wrong" "$wrong")
check "scriptor: the 8th wrong PSC locks the card (90 00)" "$(line 9 "$r")" "^9000$"
run issue --holder "$work/h4.csv"
check "a locked SLE4428: exit 1" "$rc" "^1$"
check "a locked SLE4428: says locked, take another blank" "$(cat "$work/err")" \
  "locked.*take another blank card"
journal_empty "a locked SLE4428"

# A card of another system: its PSC changed with scriptor.  The issuance
# presents FFFF once and stops: one try spent, 7 left.
foreign=$(new_card sle4428)
put 1 "$foreign"
r=$(apdus "$PCSC_READER_R2" "FFA400000105" "FF20000002FFFF" "FFD003FE021234")
check "scriptor: the foreign card gets PSC 1234" "$(line 2 "$r") $(line 3 "$r")" "^90FF 9000$"
run issue --holder "$work/h4.csv"
check "a card of another system: exit 1" "$rc" "^1$"
check "a card of another system: says so, 7 tries left, give it back" "$(cat "$work/err")" \
  "another system.*Nothing was written.*7 tries left.*Give it back"
check "a card of another system: one try spent, 7 left (FE)" "$(tries_of_r2)" "^FE$"
check "a card of another system: nothing written" \
  "$(apdus "$PCSC_READER_R2" "FFA400000105" "FFB0001090" | sed -n 2p)" "^(FF){144}9000$"
journal_empty "a card of another system"

# The same holder again: one card at a time.
put 1 "$blank4"
run issue --holder "$work/h1.csv"
check "a holder who has a card: exit 1" "$rc" "^1$"
check "a holder who has a card: says to replace it" "$(cat "$work/err")" \
  "already has card $card1_number.*Replace that card"
check "a holder who has a card: the blank stays blank" \
  "$(apdus "$PCSC_READER_R2" "FFA400000105" "FFB0001090" | sed -n 2p)" "^(FF){144}9000$"

# Bad rows: every one listed with its line, nothing issued (exit 2).
cat >"$work/bad.csv" <<'EOF'
id_number,name,sex,birth_date,insurance_category
510402198503172316,张伟,男,1985-03-17,310
510402198503172317,坏号,,,
510402199007221021,欧阳娜娜欧阳娜娜欧阳娜,,,
51041119781105003X,王强,3,,
510421196209184412,刘洋,,1962-09-19,
510403200112305675,陈浩然,,,311
510402198503172316,张伟,,,
EOF
run import --check-only "$work/bad.csv"
check "import --check-only, bad rows: exit 2" "$rc" "^2$"
check "import --check-only: counts" "$(cat "$work/out")" "^encoding=UTF-8	rows=1	bad=6$"
for pair in "3:ID number" "4:Name" "5:Sex" "6:Birth date" "7:Insurance category" \
  "8:ID number: the same person is already on line 2"; do
  check "import --check-only: line ${pair%%:*} named (${pair#*:})" "$(cat "$work/err")" \
    "Line ${pair%%:*}: ${pair#*:}"
done
run import --check-only "$srcdir/data/import-sample-bad.csv"
check "import --check-only data/import-sample-bad.csv: exit 2, line 7" "$rc $(cat "$work/err")" \
  "^2 .*Line 7: "

# GBK (Excel on Chinese Windows) reads; a file that mixes GBK and UTF-8 does not.
run import --check-only "$srcdir/data/import-sample-gbk.csv"
check "import --check-only data/import-sample-gbk.csv: exit 0" "$rc" "^0$"
check "import --check-only, GBK: every row good" "$(cat "$work/out")" \
  "^encoding=GBK	rows=11	bad=0$"
{
  cat "$srcdir/data/import-sample-gbk.csv"
  printf '%s,赵六,,,,,,,\n' "$(holder_id 5)"
} >"$work/mixed.csv"
run import --check-only "$work/mixed.csv"
check "import, UTF-8 line in a GBK file: exit 2" "$rc" "^2$"
check "import, UTF-8 line in a GBK file: the line and what to do" "$(cat "$work/err")" \
  "Line 13: This line is UTF-8 text, but other lines are GBK. Save the whole file again in one encoding"

# The database locked by another program past the busy timeout (5 s): the
# issuance stops with a message, and nothing is left half-recorded.
id6=$(holder_id 6)
holder_file "$work/h6.csv" "$id6" "陈浩然"
take 1
: >"$work/err"
run issue --holder "$work/h6.csv" &
pid=$!
i=0
while ! grep -q 'into R2' "$work/err" 2>/dev/null && [ $i -lt 400 ]; do
  sleep 0.05
  i=$((i + 1))
done
{
  echo 'BEGIN EXCLUSIVE;'
  echo 'SELECT 1;'
  sleep 8
  echo 'COMMIT;'
} | sqlite3 "$db" >/dev/null 2>&1 &
lock_pid=$!
sleep 0.5
put 1 "$blank4"
wait $pid
rc=$?
check "database locked: exit 1" "$rc" "^1$"
check "database locked: says another program holds it, nothing changed" "$(cat "$work/err")" \
  "locked for more than 5 seconds.*Close it and try again; nothing was changed"
wait $lock_pid
journal_empty "database locked"
check "database locked: the blank stays blank" \
  "$(apdus "$PCSC_READER_R2" "FFA400000105" "FFB0001090" | sed -n 2p)" "^(FF){144}9000$"
run issue --holder "$work/h6.csv"
check "database unlocked again: the same issuance goes through" "$rc" "^0$"

# ===========================================================================
# d. SIGKILL right after the Nth SLE4428 APDU of an issuance, N = 1, 2, ...
#    until an issuance ends first; then journal finish (odd N) or undo and
#    issue again (even N), and the card checked as in (a).

# Runs issue with cardlib's APDU log on stderr and kills it (-9) as soon
# as the Nth line with " > FF " (an APDU to the SLE4428) appears.  Sets
# $killed (1, or 0 when the issuance ended first) and $rc.
issue_killed_at() { # n holder-file
  rm -f "$work/log.fifo"
  mkfifo "$work/log.fifo"
  : >"$work/err"
  export G_MESSAGES_DEBUG=cardlib
  printf '%s\n' "$SECRETS" | "$cli" --readers pcsc --r1 "$PCSC_READER_R1" \
    --r2 "$PCSC_READER_R2" --db "$db" --card-timeout 20 issue --holder "$2" \
    >"$work/out" 2>"$work/log.fifo" &
  pid=$!
  unset G_MESSAGES_DEBUG
  count=0
  killed=0
  while IFS= read -r l; do
    printf '%s\n' "$l" >>"$work/err"
    case $l in
      *" > FF "*)
        count=$((count + 1))
        if [ $count -ge "$1" ]; then
          kill -9 $pid
          killed=1
          break
        fi
        ;;
    esac
  done <"$work/log.fifo"
  { wait $pid; } 2>/dev/null # no "Killed" from the shell
  rc=$?
}
# The journal's row for a holder, straight from the database: its id and
# state, or nothing.
journal_row() { # holder-id
  sqlite3 -readonly "$db" \
    "SELECT id || ' ' || state FROM issuance_journal WHERE holder_id = '$1' ORDER BY id DESC LIMIT 1"
}
# The registry agrees with an issued card in R2: read --json and history.
registry_agrees() { # what card-number
  run read --json
  check "$1: read --json exit 0" "$rc" "^0$"
  check "$1: read --json: registry_status issued, every block ok" \
    "$(tr -d ' \n' <"$work/out")" \
    "\"registry_status\":\"issued\",\"blacklisted\":false,.*\"ok\":true,\"card_number\":\"$2\""
  run history --card-number "$2"
  check "$1: history: the card is issued" "$(grep '^card' "$work/out")" \
    "^card	card_number=$2	sn=$sn	status=issued	"
}

# Each reply held back 5 ms: the kill lands while the CLI waits for the
# next APDU, so the card is where APDU N (or N+1) left it.
seen_steps=""
pulls=0
round=0
while [ $round -lt 200 ]; do
  round=$((round + 1))
  blank=$(new_card sle4428)
  id=$(holder_id $((100 + round)))
  holder_file "$work/k.csv" "$id" "赵六"
  put 1 "$blank"
  "$sim" fault --deck "$deck" 1 "delay-ms=5" >/dev/null
  issue_killed_at $round "$work/k.csv"
  "$sim" fault --deck "$deck" 1 "" >/dev/null
  if [ $killed = 0 ]; then
    check "SIGKILL: the issuance that ends before APDU $round: exit 0" "$rc" "^0$"
    verify_card "SIGKILL: the issuance that ends before APDU $round" "$id" "赵六"
    break
  fi
  pulls=$((pulls + 1))
  begin_group
  check "killed" "$rc" "^137$"
  row=$(journal_row "$id")
  run journal list
  listed=$(grep "holder_id=$id" "$work/out")
  case $row in
    *" started")
      step=$(printf '%s' "$listed" | sed -n 's/.*	step=\([a-z]*\)	.*/\1/p')
      seen_steps="$seen_steps ${step:--}"
      check "journal list shows the started row" "$listed" "^id=${row%% *}	state=started	"
      if [ $((round % 2)) = 1 ]; then
        how="journal finish"
        run journal finish --yes "${row%% *}"
        check "journal finish: exit 0" "$rc" "^0$"
        check "journal finish: its line" "$(cat "$work/out")" \
          "^card_number=[0-9]{10}	sn=[0-9A-F]{16}	holder_id=$id$"
      else
        how="journal undo + issue"
        run journal undo --yes "${row%% *}"
        check "journal undo: exit 0" "$rc" "^0$"
        check "journal undo: says the card may be issued" "$(cat "$work/err")" "blank again"
        run issue --holder "$work/k.csv"
        check "issue after the undo: exit 0" "$rc" "^0$"
      fi
      number=$(field card_number)
      verify_card "after $how" "$id" "赵六"
      check "the card number on the card is the one printed" "$card_number" "^$number$"
      registry_agrees "after $how" "$number"
      run journal list
      check "journal list is empty again" "$(cat "$work/out")" "^$"
      ;;
    *" completed")
      how="none: killed after the journal completed"
      check "journal list shows nothing" "$listed" "^$"
      verify_card "completed" "$id" "赵六"
      registry_agrees "completed" "$card_number"
      ;;
    *)
      how="none: killed before any journal row"
      check "no journal row: journal list shows nothing" "$listed" "^$"
      read_card
      check "no journal row: the card is still all FF from 0x010" "$(bytes 16 1006)" \
        "^(FF)+$"
      ;;
  esac
  end_group "SIGKILL after SLE4428 APDU $round (journal: ${row:-none}; ${how})"
done
check "SIGKILL: more than 20 APDUs of an issuance were each cut" "$pulls" \
  "^([2-9][0-9]|[1-9][0-9][0-9])$"
echo "# journal steps the kills left: $seen_steps"
check "SIGKILL: kills left the journal at each step (none yet, written, psc, protected)" \
  "$seen_steps" "^ -( -)* written( written)* psc( psc)* protected"

# ===========================================================================
# d2. The card pulled out in the middle of a write (the simulator's
#     tear-write: the first write lands that many bytes, then the card
#     leaves): the issuance stops, journal list shows it failed; journal
#     finish completes it with the card back, journal undo makes the card
#     blank again and it is issued anew.

pulled_issue() { # image holder-file bytes
  take 1
  "$sim" fault --deck "$deck" 1 "tear-write=$3" >/dev/null
  put 1 "$1"
  run issue --holder "$2"
  "$sim" fault --deck "$deck" 1 "" >/dev/null
}
t1=$(new_card sle4428)
id40=$(holder_id 40)
holder_file "$work/h40.csv" "$id40" "孙丽"
pulled_issue "$t1" "$work/h40.csv" 40
check "card pulled mid-write: exit 1" "$rc" "^1$"
check "card pulled mid-write: says the card was removed" "$(cat "$work/err")" \
  "The card was removed during the work"
check "card pulled mid-write: 40 bytes landed (the simulator's wear)" "$(wear "$t1")" "^40 0 1$"
run journal list
check "card pulled mid-write: journal list shows it failed at the first step" \
  "$(cat "$work/out")" \
  "^id=[0-9]+	state=failed	step=started	card_number=[0-9]{10}	sn=$(basename "$t1" .card | sed 's/.*-//')	holder_id=$id40	started="
jid=$(sed -n 's/^id=\([0-9]*\).*/\1/p' "$work/out")
take 1
card_timeout=2
run journal finish "$jid"
card_timeout=20
check "journal finish without the card: exit 1, asks for it" "$rc $(cat "$work/err")" "^1 .*R2"
other=$(new_card sle4428)
put 1 "$other"
card_timeout=2
run journal finish "$jid"
card_timeout=20
check "journal finish with another blank in R2: exit 1" "$rc" "^1$"
check "journal finish with another blank: the other card untouched" \
  "$(apdus "$PCSC_READER_R2" "FFA400000105" "FFB0001090" | sed -n 2p)" "^(FF){144}9000$"
put 1 "$t1"
run journal finish "$jid"
check "journal finish (no --yes needed): exit 0" "$rc" "^0$"
check "journal finish: its line" "$(cat "$work/out")" \
  "^card_number=[0-9]{10}	sn=[0-9A-F]{16}	holder_id=$id40$"
t1_number=$(field card_number)
verify_card "pulled, then journal finish" "$id40" "孙丽"
check "pulled, then journal finish: the number printed is the card's" "$card_number" \
  "^$t1_number$"
registry_agrees "pulled, then journal finish" "$t1_number"
journal_empty "after journal finish"

t2=$(new_card sle4428)
id41=$(holder_id 41)
holder_file "$work/h41.csv" "$id41" "周杰"
pulled_issue "$t2" "$work/h41.csv" 100
check "card pulled mid-write (100 bytes): exit 1" "$rc" "^1$"
run journal list
jid=$(sed -n 's/^id=\([0-9]*\).*/\1/p' "$work/out")
check "card pulled mid-write (100 bytes): journal list shows it" "$(cat "$work/out")" \
  "^id=$jid	state=failed	step=started	.*	holder_id=$id41	"
put 1 "$t2"
run journal undo "$jid"
check "journal undo: exit 0" "$rc" "^0$"
check "journal undo: says the card is blank again" "$(cat "$work/err")" "blank again"
read_card
check "journal undo: 0x010-0x3FD all FF again" "$(bytes 16 1006)" "^(FF)+$"
check "journal undo: the factory PSC (90 FF)" \
  "$(apdus "$PCSC_READER_R2" "FFA400000105" "FF20000002FFFF" | sed -n 2p)" "^90FF$"
journal_empty "after journal undo"
run journal undo "$jid"
check "journal undo twice: exit 1, nothing to undo" "$rc $(cat "$work/err")" \
  "^1 .*nothing to finish or undo"
run issue --holder "$work/h41.csv"
check "the undone card issued anew: exit 0" "$rc" "^0$"
verify_card "undone, then issued" "$id41" "周杰"

# ===========================================================================
# e. A card's life: read --json, history, replace (lost, damaged), cancel,
#    clear, receipt; a batch from a GBK file with --report, --signoff and
#    --resume.

json() { # the last stdout as one line without blanks
  tr -d ' \n' <"$work/out"
}

# read --json: every field of the contract, the holder decrypted.
put 1 "$blank1"
run read --json
check "read --json: exit 0" "$rc" "^0$"
check "read --json: is JSON" "$(jq -e . <"$work/out" >/dev/null && echo yes)" "^yes$"
check "read --json: the card and the registry" "$(json)" \
  "^\{\"sn\":\"$card1_sn\",\"blank\":false,\"registry_status\":\"issued\",\"blacklisted\":false,\"checks\":\{\"number\":\"ok\",\"holder\":\"ok\",\"status\":\"ok\",\"transactions\":\"ok\"\},\"ok\":true,\"card_number\":\"$card1_number\",\"issue_date\":\"$today\",\"region_code\":\"510400\","
check "read --json: the holder" "$(jq -c .holder <"$work/out")" \
  "^\{\"id_number\":\"$id1\",\"name\":\"张伟\",\"sex\":\"1\",\"ethnicity\":\"\",\"birth_date\":\"19850317\",\"insurance_category\":\"310\",\"employer_code\":\"5104001234\",\"valid_until\":\"[0-9]{8}\",\"personal_number\":\"\"\}$"
check "read --json: status, rewrites, transactions, tries, protection" \
  "$(jq -c '[.status, .rewrite_counter, .transactions, .psc_tries_left, .number_protected]' \
    <"$work/out")" '^\[1,2,0,8,true\]$'
run read
check "read (text): the holder, every block correct" "$(cat "$work/out")" \
  "Holder: 张伟, $id1, born 19850317"
put 0 "$auditor"
run read --json
check "read --json with the auditor's card: exit 0" "$rc" "^0$"
check "read --json with the auditor's card: no Dkey, the holder not shown" \
  "$(jq -c '[.checks.holder, .holder]' <"$work/out")" '^\["no-key",null\]$'
put 0 "$ia"

# history: the holder's card and what the log says.
run history --holder-id "$id1"
check "history --holder-id: exit 0" "$rc" "^0$"
check "history: the card line" "$(grep '^card' "$work/out")" \
  "^card	card_number=$card1_number	sn=$card1_sn	status=issued	issue_date=[0-9-]{10}	rewrites=2$"
for action in issue issue-finish rewrite read; do
  check "history: a log line for $action" "$(grep '^log' "$work/out")" \
    "	action=$action	outcome=ok	sn=$card1_sn	operator=田玉琳	workstation=DESK-07	"
done

# replace --reason lost: the old card blacklisted, a replacement (type 02).
blank5=$(new_card sle4428)
put 1 "$blank5"
run replace --reason lost --holder-id "$id1" --receipt "$work/replace.pdf"
check "replace --reason lost: exit 0" "$rc" "^0$"
check "replace --reason lost: the line names the card replaced" "$(cat "$work/out")" \
  "	holder_id=$id1	holder=张伟	.*	replaces_sn=$card1_sn$"
check "replace --receipt: a PDF" "$(head -c 5 "$work/replace.pdf" 2>/dev/null)" "^%PDF-$"
new_number=$(field card_number)
CARD_TYPE=02
verify_card "replacement (lost)" "$id1" "张伟"
CARD_TYPE=01
check "replacement: a new card number" "$card_number" "^$new_number$"
registry_agrees "replacement (lost)" "$new_number"
put 1 "$blank1"
run read --json
check "replace lost: the old card is lost and blacklisted" \
  "$(jq -c '[.registry_status, .blacklisted]' <"$work/out")" '^\["lost",true\]$'
check "replace lost: reading it warns not to accept it" "$(cat "$work/err")" \
  "WARNING: this card is lost and blacklisted"
id7=$(holder_id 7)
holder_file "$work/h7.csv" "$id7" "杨帆"
run issue --holder "$work/h7.csv"
check "replace lost, then the old card offered as a blank: refused as blacklisted (exit 1)" \
  "$rc $(cat "$work/err")" "^1 .*blacklist"

# replace --reason damaged: the old card withdrawn, not blacklisted.
blank6=$(new_card sle4428)
put 1 "$blank6"
run replace --reason damaged --holder-id "$id6"
check "replace --reason damaged: exit 0" "$rc" "^0$"
CARD_TYPE=02
verify_card "replacement (damaged)" "$id6" "陈浩然"
CARD_TYPE=01
put 1 "$blank4"
run read --json
check "replace damaged: the old card is withdrawn, not blacklisted" \
  "$(jq -c '[.registry_status, .blacklisted]' <"$work/out")" '^\["withdrawn",false\]$'

# cancel: asks; --yes; the status block says cancelled (03).
put 1 "$blank3"
run cancel
check "cancel without --yes: exit 1" "$rc" "^1$"
check "cancel without --yes: names the card and asks for a yes" "$(cat "$work/err")" \
  "Card $(printf '%s' "$card3_number" | sed 's/^\(....\)\(....\)/\1 \2 /') of $id3: the card stops working for good"
check "cancel without --yes: the card still says issued (01)" \
  "$(apdus "$PCSC_READER_R2" "FFA400000105" "FFB000A001" | sed -n 2p)" "^019000$"
check "cancel without --yes: needs a yes" "$(cat "$work/err")" "this needs a yes.*give --yes"
run cancel --yes
check "cancel --yes: exit 0" "$rc" "^0$"
verify_card "cancelled" "$id3" "王强" 03
run read --json
check "cancel: the registry says cancelled" "$(jq -r .registry_status <"$work/out")" \
  "^cancelled$"

# clear: the holder data and transactions wiped, the number block stays
# (protected), the PSC back to FFFF.
card3_sn=$sn
run clear --yes
check "clear --yes: exit 0" "$rc" "^0$"
read_card
check "clear: the number block stays" "$(bytes 16 16)" "^01510400${card3_number}"
check "clear: 0x020-0x3FC all FF" "$(bytes 32 989)" "^(FF)+$"
check "clear: 0x000-0x01F still protected, the rest writable" "$prot" \
  "^00000000$(repeat 124 FF)$"
r=$(apdus "$PCSC_READER_R2" "FFA400000105" "FF20000002FFFF")
check "clear: the factory PSC again (90 FF)" "$(line 2 "$r")" "^90FF$"
run read --json
check "clear: the registry says cleared" "$(jq -r .registry_status <"$work/out")" "^cleared$"
run issue --holder "$work/h7.csv"
check "a cleared card is never issued again (exit 1)" "$rc $(cat "$work/err")" \
  "^1 .*issued before"

# receipt of a card already issued.
run receipt --card-number "$new_number" --pdf "$work/receipt.pdf"
check "receipt: exit 0" "$rc" "^0$"
check "receipt: a PDF" "$(head -c 5 "$work/receipt.pdf" 2>/dev/null)" "^%PDF-$"
run receipt --card-number 9999999999 --pdf "$work/none.pdf"
check "receipt of an unknown card: exit 1" "$rc" "^1$"

# A batch from a GBK file (3 good rows, 1 bad): two blanks, then no card
# comes: the batch stops; --resume with one more blank finishes it.
{
  head -n 1 "$srcdir/data/import-sample-utf8.csv"
  grep -E '^(510402199501011230|510402198806142624|510422197203031846),' \
    "$srcdir/data/import-sample-utf8.csv"
  printf '510402198012011237,周建国,,01,,310,,,\n'
} | iconv -f UTF-8 -t GBK >"$work/batch.csv"
sn_of() { # image: the serial from its file name (cards/sle4428-SN.card)
  basename "$1" .card | sed 's/.*-//'
}
# Puts each image into R2, the next one after the one before it is
# recorded as issued (the batch takes whatever card is in R2 when it starts
# a row, and stops at one it cannot issue).
feed_batch() { # "images" args...
  images=$1
  shift
  put 1 "${images%% *}"
  : >"$work/err"
  run "$@" &
  pid=$!
  for image in $images; do
    [ "$image" = "${images%% *}" ] || put 1 "$image"
    i=0
    while [ "$(sqlite3 -readonly "$db" "SELECT status FROM insurance_card WHERE sn = '$(sn_of "$image")'" 2>/dev/null)" != issued ] &&
      [ $i -lt 400 ]; do
      sleep 0.05
      i=$((i + 1))
    done
  done
  wait $pid
  rc=$?
}
b1=$(new_card sle4428)
b2=$(new_card sle4428)
b3=$(new_card sle4428)
card_timeout=3
feed_batch "$b1 $b2" import "$work/batch.csv" --report "$work/report1.csv"
card_timeout=20
check "import: stops when no blank comes (exit 1)" "$rc" "^1$"
check "import: says how to go on" "$(cat "$work/err")" "insucard-cli import --resume [0-9]+"
check "import: the bad row named with its line" "$(cat "$work/err")" "Line 5: ID number"
check "import: the file's line" "$(head -n 1 "$work/out")" "^encoding=GBK	rows=3	bad=1$"
check "import: the batch's line" "$(tail -n 1 "$work/out")" \
  "^batch=[0-9]+	rows=4	issued=2	bad=1	pending=1$"
batch=$(tail -n 1 "$work/out" | sed 's/^batch=\([0-9]*\).*/\1/')
check "import --report (stopped): every row with its outcome" \
  "$(tr -d '\r' <"$work/report1.csv" | cut -d, -f1,2,4 | tr '\n' ' ')" \
  "^line,id_number,outcome 2,510402199501011230,issued 3,510402198806142624,issued 4,510422197203031846,pending 5,510402198012011237,bad $"
put 1 "$b3"
run import --resume "$batch" --report "$work/report.csv" --signoff "$work/signoff.pdf"
check "import --resume: exit 0" "$rc" "^0$"
check "import --resume: the batch's line" "$(cat "$work/out")" \
  "^batch=$batch	rows=4	issued=3	bad=1	pending=0$"
check "import --report: lines end in CRLF (RFC 4180)" \
  "$(head -n 1 "$work/report.csv" | tail -c 2 | xxd -p)" "^0d0a$"
check "import --report: the rows" \
  "$(tr -d '\r' <"$work/report.csv" | cut -d, -f1-4 | tr '\n' ' ')" \
  "^line,id_number,name,outcome 2,510402199501011230,杨帆,issued 3,510402198806142624,吉克阿依,issued 4,510422197203031846,欧阳秀英,issued 5,510402198012011237,周建国,bad $"
check "import --report: the bad row's reason" "$(tr -d '\r' <"$work/report.csv" | grep '^5,')" \
  "^5,510402198012011237,周建国,bad,,,ID number: The ID number's check character does not match"
check "import --report: card numbers and serials of the issued rows" \
  "$(tr -d '\r' <"$work/report.csv" | grep ",$(sn_of "$b3")," | cut -d, -f5)" "^[0-9]{10}$"
check "import --signoff: a PDF" "$(head -c 5 "$work/signoff.pdf" 2>/dev/null)" "^%PDF-$"
verify_card "the batch's last card" 510422197203031846 "欧阳秀英"
run import --resume "$batch"
check "import --resume of a finished batch: nothing pending (exit 0)" "$rc $(cat "$work/out")" \
  "^0 batch=$batch	rows=4	issued=3	bad=1	pending=0$"

# A batch whose first card is pulled mid-write: it stops with the row
# pending; --resume refuses until the interrupted issuance is finished
# from the journal, then records that card and goes on with the next row.
printf 'id_number,name\n%s,林芳\n%s,郑凯\n' "$(holder_id 50)" "$(holder_id 51)" >"$work/batch2.csv"
p1=$(new_card sle4428)
p2=$(new_card sle4428)
take 1
"$sim" fault --deck "$deck" 1 "tear-write=40" >/dev/null
put 1 "$p1"
rm -f "$work/signoff2.pdf"
run import "$work/batch2.csv" --report "$work/report2.csv" --signoff "$work/signoff2.pdf"
"$sim" fault --deck "$deck" 1 "" >/dev/null
check "import, card pulled mid-write: exit 1" "$rc" "^1$"
check "import, card pulled mid-write: the card was removed; how to go on" \
  "$(cat "$work/err" | tr '\n' ' ')" \
  "insucard-cli import --resume [0-9]+.*The card was removed during the work"
batch2=$(tail -n 1 "$work/out" | sed 's/^batch=\([0-9]*\).*/\1/')
check "import, card pulled: the batch's line" "$(tail -n 1 "$work/out")" \
  "^batch=$batch2	rows=2	issued=0	bad=0	pending=2$"
check "import, card pulled: --report written anyway, both rows pending" \
  "$(tr -d '\r' <"$work/report2.csv" | cut -d, -f1,4 | tr '\n' ' ')" \
  "^line,outcome 2,pending 3,pending $"
check "import, card pulled: no --signoff (no card issued)" \
  "$([ -e "$work/signoff2.pdf" ] && echo written || echo none)" "^none$"
run journal list
check "import, card pulled: the journal shows the row's issuance" "$(cat "$work/out")" \
  "^id=[0-9]+	state=failed	step=started	.*	sn=$(sn_of "$p1")	holder_id=$(holder_id 50)	"
jid=$(sed -n 's/^id=\([0-9]*\).*/\1/p' "$work/out")
put 1 "$p2"
run import --resume "$batch2"
check "import --resume before the journal is settled: exit 1" "$rc" "^1$"
check "import --resume before the journal is settled: says to finish or undo it" \
  "$(cat "$work/err")" "was interrupted. Finish or undo it first"
check "import --resume before the journal is settled: the blank stays blank" \
  "$(apdus "$PCSC_READER_R2" "FFA400000105" "FFB0001090" | sed -n 2p)" "^(FF){144}9000$"
put 1 "$p1"
run journal finish "$jid"
check "import, card pulled: journal finish of its card: exit 0" "$rc" "^0$"
verify_card "the batch's pulled card, finished" "$(holder_id 50)" "林芳"
put 1 "$p2"
run import --resume "$batch2" --report "$work/report2.csv" --signoff "$work/signoff2.pdf"
check "import --resume after journal finish: exit 0" "$rc" "^0$"
check "import --resume after journal finish: both rows issued" "$(cat "$work/out")" \
  "^batch=$batch2	rows=2	issued=2	bad=0	pending=0$"
check "import --resume after journal finish: the report names both cards" \
  "$(tr -d '\r' <"$work/report2.csv" | cut -d, -f1,4,6 | tr '\n' ' ')" \
  "^line,outcome,sn 2,issued,$(sn_of "$p1") 3,issued,$(sn_of "$p2") $"
check "import --resume after journal finish: --signoff a PDF" \
  "$(head -c 5 "$work/signoff2.pdf" 2>/dev/null)" "^%PDF-$"
verify_card "the batch's second card" "$(holder_id 51)" "郑凯"
journal_empty "after the resumed batch"

echo "1..$n"
[ $failed -eq 0 ]
