#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-smoke.sh: the executables answer --help/--version and refuse unknown
# commands with exit status 2, as users and scripts expect.
set -u
fail=0
check() { # expected-status description command...
  want=$1; what=$2; shift 2
  out=$("$@" 2>&1); got=$?
  if [ "$got" -ne "$want" ]; then
    echo "not ok - $what: exit $got, wanted $want"; echo "$out" | sed 's/^/# /'; fail=1
  else
    echo "ok - $what"
  fi
}
check 0 "insucard-cli --help" "$INSUCARD_CLI" --help
check 0 "insucard-cli --version" "$INSUCARD_CLI" --version
check 2 "insucard-cli without a command" "$INSUCARD_CLI"
check 2 "insucard-cli unknown command" "$INSUCARD_CLI" frobnicate
check 0 "insucard --version" "$INSUCARD_APP" --version
"$INSUCARD_CLI" --help | grep -q "key kcv" || { echo "not ok - help lists key kcv"; fail=1; }
"$INSUCARD_APP" --version | grep -q "^insucard [0-9]" || { echo "not ok - insucard --version prints the version"; fail=1; }
exit $fail
