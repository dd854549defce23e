#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-lib.sh: TAP helpers for the insucard-cli scripts; sourced, not run.
#   run ARGS...          runs insucard-cli, leaves $tmp/out, $tmp/err, $status
#   expect STATUS TEXT   ok when the last run exited with STATUS
#   has FILE PATTERN TEXT  ok when FILE matches the grep PATTERN
# The script sets CLI and tmp first, and ends with: echo "1..$n"; exit $fail
fail=0
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; }
run() { "$CLI" "$@" >"$tmp/out" 2>"$tmp/err"; status=$?; }
expect() {
  if [ "$status" -eq "$1" ]; then ok "$2"; else
    not_ok "$2: exit $status, wanted $1"; sed 's/^/# /' "$tmp/out" "$tmp/err"; fi
}
has() {
  if grep -q -- "$2" "$1"; then ok "$3"; else not_ok "$3: no “$2” in"; sed 's/^/# /' "$1"; fi
}
