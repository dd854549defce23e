#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# cli-log.sh: insucard-cli log list / verify / export / seal on a demo
# database, and log verify against tampering done with the sqlite3 shell:
# each case must exit 1 and name the first bad row.  A python3 re-reading
# of docs/database.md's chain encoding must agree with every stored hash.
set -u
CLI=${INSUCARD_CLI:?INSUCARD_CLI is not set}
command -v sqlite3 >/dev/null 2>&1 || { echo "# SKIP: sqlite3 shell not installed"; exit 77; }

# No EXIT trap: dash leaks the trap string, which fails the valgrind setup.
tmp=$(mktemp -d) || exit 1
. "$(dirname "$0")/cli-lib.sh"
rows() { grep -c '^[0-9]' "$tmp/out"; }
TZ=UTC
export TZ

db=$tmp/demo.db
"$CLI" db make-demo --db "$db" --holders 100 --audit-rows 600 >/dev/null || exit 1
cp "$db" "$tmp/pristine.db"

# --- list ---
run log list --db "$db" --limit 5
expect 0 "log list"
[ "$(rows)" -eq 5 ] && ok "five rows" || not_ok "log list --limit 5 printed $(rows) rows"
has "$tmp/out" "^1	" "the first row is row 1"
has "$tmp/out" "more rows: add --after 5" "the next page is named"
has "$tmp/out" "sealed through row 600" "the report ends with the sealed length"
run log list --db "$db" --limit 5 --after 5
has "$tmp/out" "^6	" "--after 5 starts at row 6"
run log list --db "$db" --limit 1 --newest-first
has "$tmp/out" "^600	" "--newest-first starts at the last row"
run log list --db "$db" --action seal --limit 10000
expect 0 "log list --action seal"
[ "$(rows)" -eq "$(sqlite3 "$db" "SELECT count(*) FROM audit_seal")" ] \
  && ok "one seal row per seal record" || not_ok "seal rows: $(rows)"
sn=$(sqlite3 "$db" "SELECT card_sn FROM audit_log WHERE card_sn <> '' LIMIT 1")
run log list --db "$db" --sn "$sn" --limit 10000
[ "$(rows)" -eq "$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE card_sn = '$sn'")" ] \
  && ok "--sn finds every row of the card" || not_ok "--sn $sn: $(rows) rows"
since=$(sqlite3 "$db" "SELECT substr(at, 1, 10) FROM audit_log WHERE seq = 300")
run log list --db "$db" --since "$since" --outcome ok --limit 10000
want=$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE at >= '${since}T00:00:00Z' AND outcome = 'ok'")
[ "$(rows)" -eq "$want" ] && ok "--since with --outcome" || not_ok "--since: $(rows), wanted $want"
run log list --db "$db" --action frobnicate
expect 2 "an unknown action is bad usage"
has "$tmp/err" "frobnicate" "the message repeats the bad value"
run log list --db "$db" --since yesterday
expect 2 "a bad date is bad usage"
run log list --db "$db" --limit 0
expect 2 "--limit 0 is bad usage"
run log list --db "$db" --after 99999
expect 1 "--after a row that does not exist"
run log list --help
expect 0 "log list --help"
has "$tmp/out" "report-lost" "the help lists the actions"

# --- export ---
run log export --db "$db" --csv "$tmp/read.csv" --bom --action read
expect 0 "log export"
want=$(sqlite3 "$db" "SELECT count(*) FROM audit_log WHERE action = 'read'")
has "$tmp/out" "Exported $want rows" "export says how many rows"
[ "$(head -c 3 "$tmp/read.csv" | od -An -tx1 | tr -d ' ')" = efbbbf ] && ok "--bom" \
  || not_ok "no BOM"
[ "$(grep -c ',read,' "$tmp/read.csv")" -eq "$want" ] && ok "every read row is in the file" \
  || not_ok "read rows in the CSV: $(grep -c ',read,' "$tmp/read.csv")"
run log list --db "$db" --action export --newest-first --limit 1
has "$tmp/out" "read.csv" "the export is in the log"
run log export --db "$db"
expect 2 "log export without --csv"

# --- seal ---
run log seal --db "$db"
expect 0 "log seal on a training database"
has "$tmp/out" "software test key" "log seal says which key"
sqlite3 "$db" "UPDATE meta SET value = 'production' WHERE key = 'mode'"
run log seal --db "$db"
expect 1 "log seal refuses a production database"
has "$tmp/err" "training" "the refusal says why"
run log verify --db "$db"
expect 0 "log verify of a production database"
has "$tmp/out" "not checked" "its seals are not checked with the test key"

# --- the chain as docs/database.md describes it, re-implemented ---
if command -v python3 >/dev/null 2>&1; then
  if python3 - "$tmp/pristine.db" <<'PY'
import hashlib, sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
cols = ("at, workstation, operator_serial, operator_name, role, action, card_sn, "
        "card_number, holder_id, outcome, error_code, detail")
prev = bytes(32)
for row in db.execute(f"SELECT seq, {cols}, hash FROM audit_log ORDER BY seq"):
    seq, fields, stored = row[0], row[1:13], row[13]
    data = prev + struct.pack(">Q", seq)
    for f in fields:
        b = f.encode("utf-8")
        data += struct.pack(">I", len(b)) + b
    prev = hashlib.sha256(data).digest()
    if prev != stored:
        sys.exit(f"row {seq}: hash differs")
for seq, head in db.execute("SELECT seq, head FROM audit_seal"):
    stored = db.execute("SELECT hash FROM audit_log WHERE seq = ?", (seq,)).fetchone()[0]
    if head != stored:
        sys.exit(f"seal at {seq}: head differs")
PY
  then ok "python3 recomputes every hash from the documented encoding"
  else not_ok "python3 disagrees with the stored chain"; fi
fi

# --- tampering ---
tamper() { # description sql expected-message
  cp "$tmp/pristine.db" "$tmp/t.db"
  sqlite3 "$tmp/t.db" "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
    DROP TRIGGER audit_seal_no_update; DROP TRIGGER audit_seal_no_delete; $2"
  run log verify --db "$tmp/t.db"
  expect 1 "log verify: $1"
  has "$tmp/err" "$3" "…names it: $3"
}
run log verify --db "$tmp/pristine.db"
expect 0 "log verify of the untouched log"
has "$tmp/out" "Proven: rows 1 to 600" "every row is proven"
tamper "a row's text changed" "UPDATE audit_log SET detail = 'x' WHERE seq = 77" "Row 77 was altered"
tamper "a row deleted" "DELETE FROM audit_log WHERE seq = 77" "Row 77 was removed"
tamper "a row deleted, the rest renumbered" \
  "DELETE FROM audit_log WHERE seq = 77; UPDATE audit_log SET seq = seq - 1 WHERE seq > 77" \
  "Row 77 was removed and the rows after it renumbered"
tamper "a row inserted" \
  "UPDATE audit_log SET seq = -seq - 1 WHERE seq >= 77; UPDATE audit_log SET seq = -seq WHERE seq < 0;
   INSERT INTO audit_log SELECT 77, at, workstation, operator_serial, operator_name, role, action,
   card_sn, card_number, holder_id, outcome, error_code, 'forged', hash FROM audit_log WHERE seq = 76" \
  "Row 77 was inserted"
tamper "two rows swapped" \
  "UPDATE audit_log SET seq = -1 WHERE seq = 77; UPDATE audit_log SET seq = 77 WHERE seq = 78;
   UPDATE audit_log SET seq = 78 WHERE seq = -1" "Rows 77 and 78 changed places"
tamper "rows cut, their seals left" "DELETE FROM audit_log WHERE seq > 500" "rows from 501 on were cut off"
tamper "a seal forged" "UPDATE audit_seal SET seal = zeroblob(16) WHERE id = 3" "is not genuine"
tamper "a seal record removed" "DELETE FROM audit_seal WHERE id = 3" "seal record of row"
tamper "only the guards dropped" "" "append-only guards"

# The whole chain rewritten consistently after an edit, sealed heads too:
# only the seals' MACs can tell.
if command -v python3 >/dev/null 2>&1; then
  cp "$tmp/pristine.db" "$tmp/t.db"
  sqlite3 "$tmp/t.db" "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_seal_no_update;
    UPDATE audit_log SET detail = 'forged' WHERE seq = 77"
  python3 - "$tmp/t.db" <<'PY'
import hashlib, sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
cols = ("at, workstation, operator_serial, operator_name, role, action, card_sn, "
        "card_number, holder_id, outcome, error_code, detail")
prev = bytes(32)
for row in db.execute(f"SELECT seq, {cols} FROM audit_log ORDER BY seq").fetchall():
    data = prev + struct.pack(">Q", row[0])
    for f in row[1:]:
        b = f.encode("utf-8")
        data += struct.pack(">I", len(b)) + b
    prev = hashlib.sha256(data).digest()
    db.execute("UPDATE audit_log SET hash = ? WHERE seq = ?", (prev, row[0]))
    db.execute("UPDATE audit_seal SET head = ? WHERE seq = ?", (prev, row[0]))
db.commit()
PY
  run log verify --db "$tmp/t.db"
  expect 1 "log verify: the chain rewritten consistently"
  has "$tmp/err" "is not genuine" "…the first seal after the edit is named"
fi

# Cut after the last seal together with the seals: consistent, but the
# sealed length that every report prints goes down.
cp "$tmp/pristine.db" "$tmp/t.db"
last=$(sqlite3 "$tmp/t.db" "SELECT max(seq) FROM audit_seal WHERE seq < 400")
sqlite3 "$tmp/t.db" "DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_seal_no_delete;
  DELETE FROM audit_log WHERE seq > $last; DELETE FROM audit_seal WHERE seq > $last;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE (ABORT, 'x'); END;
  CREATE TRIGGER audit_seal_no_delete BEFORE DELETE ON audit_seal BEGIN SELECT RAISE (ABORT, 'x'); END;"
run log verify --db "$tmp/t.db"
expect 0 "a cut with its seals and guards restored is not visible to the chain"
has "$tmp/out" "sealed through row $last" "…but the sealed length shows the cut"

run log verify --db "$tmp/none.db"
expect 1 "log verify without a database"

rm -rf "$tmp"
echo "1..$n"
exit $fail
