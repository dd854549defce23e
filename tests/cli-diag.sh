#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-diag.sh: insucard-cli readers, card info and support-report with the
# sim backend and a temporary deck: output, exit status, hints, and that
# the support report carries versions and a transcript but no PSC.
set -u
fail=0
deck=$(mktemp -d)
trap 'rm -rf "$deck"' EXIT INT TERM
export INSUCARD_READER_BACKEND=sim INSUCARD_SIM_DECK="$deck"
unset INSUCARD_READER_R1 INSUCARD_READER_R2
sim=$INSUCARD_CARDSIM
cli=$INSUCARD_CLI

ok() { echo "ok - $1"; }
bad() { echo "not ok - $1"; echo "$2" | sed 's/^/# /'; fail=1; }
expect() { # description status-wanted pattern command...
  what=$1; want=$2; pat=$3; shift 3
  out=$("$@" 2>&1); got=$?
  if [ "$got" -ne "$want" ]; then bad "$what: exit $got, wanted $want" "$out"
  elif ! printf '%s\n' "$out" | grep -q -- "$pat"; then bad "$what: no '$pat'" "$out"
  else ok "$what"; fi
}

expect "readers with empty slots" 0 "no card" "$cli" readers
expect "card info without a card" 1 "card" "$cli" card info
expect "card info bad usage" 2 "Usage" "$cli" card info --frob

sle=$("$sim" new sle4428 --serial 0102030405060708) && "$sim" insert 1 "$sle" >/dev/null
cpu=$("$sim" new cpu --serial A1A2A3A4A5A6A7A8) && "$sim" insert 0 "$cpu" >/dev/null

expect "readers lists R2 with an SLE4428" 0 "sle4428" "$cli" readers
expect "readers lists R1 with a blank CPU card" 0 "cpu-blank" "$cli" readers
expect "readers shows the CPU ATR" 0 "ATR:  3B6A00004943A1A2A3A4A5A6A7A8" "$cli" readers
expect "card info R2: serial" 0 "Serial: 0102030405060708" "$cli" card info
expect "card info R2: tries" 0 "PSC tries left: 8/8" "$cli" card info --reader R2
expect "card info R2: protection map" 0 "0x000-0x00F protected" "$cli" card info
expect "card info R1: blank CPU" 0 "blank CPU card" "$cli" card info --reader R1
expect "card info by full name" 0 "cpu-blank" "$cli" card info --reader "Insucard Simulated Reader R1"
expect "card info unknown reader" 1 "reader" "$cli" card info --reader "No Such Reader"

report="$deck/report.txt"
expect "support-report -o" 0 "report.txt" "$cli" support-report -o "$report"
for pat in "^insucard: " "^pcsc-lite: " "^OpenSSL: " "^SQLite: " "^GLib: " "# cardpeek trace file" \
           "^R:3B0492231091" "^C:FFA400000105:9000:" "\[last errors\]"; do
  if grep -q -- "$pat" "$report"; then ok "report has $pat"; else bad "report lacks $pat" "$(cat "$report")"; fi
done
# the factory PSC is FFFF: the report never presents it, and holds no FF20 data
if grep -q "^C:FF20000002FFFF" "$report"; then bad "report holds a PSC" ""; else ok "report holds no PSC"; fi
expect "support-report to stdout" 0 "\[apdu transcript\]" "$cli" support-report
expect "support-report bad usage" 2 "Usage" "$cli" support-report -x

# No reader stack at all: a hint, exit 1.
expect "pcsc without pcscd says what to check" 1 "Check:" env INSUCARD_READER_BACKEND=pcsc PCSCLITE_CSOCK_NAME="$deck/nosuch.comm" "$cli" readers
exit $fail
