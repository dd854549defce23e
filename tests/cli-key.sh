#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-key.sh: insucard-cli key kcv / key derive-kcv, fed through stdin as
# scripts use them.  Expected KCVs are computed here with the openssl CLI
# (des-ede3 ECB, K|K|K for single DES), independently of cardlib.
set -u
CLI=${INSUCARD_CLI:?INSUCARD_CLI is not set}
command -v openssl >/dev/null 2>&1 || { echo "# SKIP: openssl CLI not installed"; exit 77; }
command -v xxd >/dev/null 2>&1 || { echo "# SKIP: xxd not installed"; exit 77; }

# No EXIT trap: dash leaks the trap string, which fails the valgrind setup.
tmp=$(mktemp -d) || exit 1
fail=0
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }

# ede3 KEY48 DATAHEX: 3DES-EDE ECB, upper-case hex out.
ede3() {
  printf '%s' "$2" | xxd -r -p | openssl enc -des-ede3 -K "$1" -nopad | xxd -p | tr -d '\n' \
    | tr a-f A-F
}
des() { ede3 "$1$1$1" "$2"; }
kcv_of() { # KEYHEX (16, 32 or 48 digits)
  case ${#1} in
    16) k=$1$1$1 ;;
    32) k=$1$(printf '%s' "$1" | cut -c1-16) ;;
    *) k=$1 ;;
  esac
  ede3 "$k" 0000000000000000 | cut -c1-6
}

# run NAME STDIN ARGS...: leaves $tmp/out, $tmp/err, $status
run() {
  name=$1 input=$2; shift 2
  printf '%s' "$input" | "$CLI" "$@" >"$tmp/out" 2>"$tmp/err"
  status=$?
}
expect_out() { # description expected-stdout
  if [ "$status" -eq 0 ] && [ "$(cat "$tmp/out")" = "$2" ]; then ok "$1"; else
    not_ok "$1: exit $status, stdout “$(cat "$tmp/out")”, wanted “$2”"
    sed 's/^/# /' "$tmp/err"
  fi
}
expect_refused() { # description secret-that-must-not-appear
  if [ "$status" -ne 2 ]; then
    not_ok "$1: exit $status, wanted 2"
  elif [ -s "$tmp/out" ]; then
    not_ok "$1: printed on stdout: $(cat "$tmp/out")"
  elif [ ! -s "$tmp/err" ]; then
    not_ok "$1: no message on stderr"
  elif [ -n "$2" ] && grep -qiF -- "$2" "$tmp/err"; then
    not_ok "$1: stderr repeats the secret"
  else
    ok "$1"; sed 's/^/# /' "$tmp/err"
  fi
}

# --- key kcv ---
K16=0123456789ABCDEFFEDCBA9876543210
[ "$(kcv_of $K16)" = 08D7B4 ] && ok "openssl agrees: KCV($K16) = 08D7B4" \
  || not_ok "openssl KCV of $K16 is $(kcv_of $K16), wanted 08D7B4"
run kcv "$K16
" key kcv
expect_out "key kcv, 2-key" "KCV: 08D7B4"

K8=133457799BBCDFF1
run kcv "$K8" key kcv
expect_out "key kcv, single DES, no final newline" "KCV: $(kcv_of $K8)"

K24=0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123
run kcv "01234567 89abcdef 23456789abcdef01 456789ABCDEF0123
" key kcv
expect_out "key kcv, 3-key with spaces and lower case" "KCV: $(kcv_of $K24)"

run kcv "0123456789ABCDEFFEDCBA987654321G
" key kcv
expect_refused "key kcv, bad hex digit" 0123456789ABCDEFFEDCBA987654321
run kcv "0123456789ABCDEFFEDCBA98765432
" key kcv
expect_refused "key kcv, 30 digits" 0123456789ABCDEFFEDCBA98765432
run kcv "" key kcv
expect_refused "key kcv, no input" ""
run kcv "" key kcv $K16
expect_refused "key kcv, key on the command line" $K16

run help "" key kcv --help
if [ "$status" -eq 0 ] && grep -q "KCV" "$tmp/out"; then ok "key kcv --help"; else
  not_ok "key kcv --help: exit $status"; fi

# --- key derive-kcv ---
C1=1234567890123456 C2=6543210987654321 PSUB=0011223344556677 DSUB=8899AABBCCDDEEFF
PL=$(des $C1 $PSUB) PR=$(des $C2 $PSUB)
DL=$(des $C1 $DSUB) DR=$(des $C2 $DSUB)
PKCV=$(ede3 "$PL$PR$PL" 0000000000000000 | cut -c1-6)
DKCV=$(ede3 "$DL$DR$DL" 0000000000000000 | cut -c1-6)
echo "# expected from openssl: KCV(Pkey) $PKCV, KCV(Dkey) $DKCV"
[ ${#PKCV} -eq 6 ] && [ ${#DKCV} -eq 6 ] || not_ok "openssl computed the expected KCVs"

run derive "$C1
$C2
$PSUB
$DSUB
" key derive-kcv
expect_out "key derive-kcv" "KCV(Pkey): $PKCV
KCV(Dkey): $DKCV"

run derive "$C1
$C2
0011 2233 4455 6677
$(printf '%s' $DSUB | tr A-F a-f)
" key derive-kcv
expect_out "key derive-kcv, hex with spaces and lower case" "KCV(Pkey): $PKCV
KCV(Dkey): $DKCV"

run derive "12345678901234A6
$C2
$PSUB
$DSUB
" key derive-kcv
expect_refused "key derive-kcv, a letter in code 1" 12345678901234A6
grep -q "code 1" "$tmp/err" && ok "the message names code 1" || not_ok "the message names code 1"

run derive "$C1
$C2
$PSUB
8899AABBCCDDEEFG
" key derive-kcv
expect_refused "key derive-kcv, bad hex in DSUB (the last entry)" 8899AABBCCDDEE
grep -q "DSUB" "$tmp/err" && ok "the message names DSUB" || not_ok "the message names DSUB"

run derive "$C1
$C2
$PSUB
" key derive-kcv
expect_refused "key derive-kcv, DSUB missing" ""

run derive "$C1
123456789012345
$PSUB
$DSUB
" key derive-kcv
expect_refused "key derive-kcv, 15 digits in code 2" 123456789012345

run derive "$C1
$C1
$PSUB
$DSUB
" key derive-kcv
expect_refused "key derive-kcv, code 1 = code 2 (weak key)" $C1

run derive "" key derive-kcv $C1
expect_refused "key derive-kcv, code on the command line" $C1

run help "" key derive-kcv --help
if [ "$status" -eq 0 ] && grep -q "PSUB" "$tmp/out"; then ok "key derive-kcv --help"; else
  not_ok "key derive-kcv --help: exit $status"; fi

rm -rf "$tmp"
echo "1..$n"
exit $fail
