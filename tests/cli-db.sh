#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-db.sh: insucard-cli db make-demo / info / backup as users run them:
# the database path from --db, $INSUCARD_DB or the default, exit statuses
# 0 (done), 1 (failure) and 2 (bad usage), messages that name the file.
set -u
CLI=${INSUCARD_CLI:?INSUCARD_CLI is not set}

# No EXIT trap: dash leaks the trap string, which fails the valgrind setup.
tmp=$(mktemp -d) || exit 1
. "$(dirname "$0")/cli-lib.sh"

# A private data folder: the default paths land in the sandbox.
XDG_DATA_HOME=$tmp/data
export XDG_DATA_HOME
unset INSUCARD_DB

db=$tmp/demo.db
run db make-demo --db "$db" --holders 200 --audit-rows 1000 --seed 7
expect 0 "db make-demo"
has "$tmp/out" "sealed through row 1000" "make-demo seals its last row"
run db make-demo --db "$db"
expect 1 "db make-demo refuses an existing file"
has "$tmp/err" "$db" "the refusal names the file"
run db make-demo --db "$tmp/x.db" --holders 0
expect 2 "db make-demo --holders 0 is bad usage"

run db info --db "$db"
expect 0 "db info"
has "$tmp/out" "Schema version: *3" "db info: schema version"
has "$tmp/out" "Mode: *training" "db info: mode"
has "$tmp/out" "Cardholders: *200" "db info: holders"
has "$tmp/out" "Audit rows: *1000 (last row 1000)" "db info: audit rows"
has "$tmp/out" "Last seal: *seal [0-9]* covers rows 1 to 1000" "db info: the last seal's row count"

# --db, else $INSUCARD_DB, else the default.
INSUCARD_DB=$db "$CLI" db info >"$tmp/out" 2>"$tmp/err"
status=$?
expect 0 "db info from \$INSUCARD_DB"
has "$tmp/out" "Database: *$db" "\$INSUCARD_DB names the file"
INSUCARD_DB=$tmp/nothing.db "$CLI" db info --db "$db" >"$tmp/out" 2>"$tmp/err"
status=$?
expect 0 "--db wins over \$INSUCARD_DB"
run db info
expect 1 "db info without a database"
has "$tmp/err" "$tmp/data/insucard/insucard.db" "the message names the default path"
run db info --training
expect 1 "db info --training without a database"
has "$tmp/err" "$tmp/data/insucard/training.db" "training has its own default path"
[ ! -e "$tmp/data/insucard/insucard.db" ] && ok "reading never creates a database" \
  || not_ok "db info created a database"

run db make-demo --holders 10 --audit-rows 50
expect 0 "db make-demo without --db writes the training database"
[ -f "$tmp/data/insucard/training.db" ] && ok "…at the training path" \
  || not_ok "no training.db in the data folder"

run db backup --db "$db" "$tmp/copy.db"
expect 0 "db backup"
run db info --db "$tmp/copy.db"
has "$tmp/out" "Audit rows: *1000" "the backup holds the log"
run log verify --db "$tmp/copy.db"
expect 0 "the backup verifies"
run db info --db "$db"
has "$tmp/out" "Audit rows: *1001" "the backup is in the original's log"
run log list --db "$db" --action db-backup
has "$tmp/out" "db-backup.*copy.db" "the db-backup row names the file"
run db backup --db "$db" "$tmp/copy.db"
expect 1 "db backup never overwrites"
has "$tmp/err" "already exists" "the refusal says why"
run db backup --db "$db"
expect 2 "db backup without FILE"
run db backup --db "$db" "$tmp/no/such/dir/copy.db"
expect 1 "db backup into a missing folder"

printf 'not a database, only text, long enough to be read as a header.\n' >"$tmp/text.db"
run db info --db "$tmp/text.db"
expect 1 "db info on a text file"
has "$tmp/err" "not an insucard database" "the message says what the file is not"

run db info --db "$db" --frobnicate
expect 2 "an unknown option"
run db info --db "$db" extra
expect 2 "an extra argument"
run db info --help
expect 0 "db info --help"
has "$tmp/out" "\-\-db" "the help names --db"

rm -rf "$tmp"
echo "1..$n"
exit $fail
