# SPDX-License-Identifier: GPL-3.0-or-later
# tap-lib.sh: TAP output for the integration scripts; sourced, not run
# (cli-test-lib.sh, scriptor-cards.sh).  Defines ok, not_ok, check
# DESCRIPTION ACTUAL REGEX, begin_group/end_group DESCRIPTION (many checks
# as one line), and the counts $n and $failed.  The script ends with:
# echo "1..$n"; [ $failed -eq 0 ]
# shellcheck shell=sh

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
    if [ -z "${group:-}" ]; then ok "$1"; fi
  elif [ -n "${group:-}" ]; then
    group_failures="$group_failures$1: got '$2', wanted /$3/
"
  else
    not_ok "$1" "got '$2', wanted /$3/"
  fi
}

# Many checks as one TAP line: begin_group, check..., end_group DESCRIPTION
# (ok when every check passed, else not ok listing the failures).
begin_group() {
  group=1
  group_failures=""
}
end_group() { # description
  group=""
  if [ -z "$group_failures" ]; then
    ok "$1"
  else
    not_ok "$1" "$group_failures"
  fi
}
