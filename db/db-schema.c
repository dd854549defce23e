/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-schema.c: the schema, as the migrations that build it (SQLite dialect).
 *
 * Each entry moves the file from version i to i + 1; all pending entries
 * run in one transaction.  Never edit a released entry: append a new one
 * and raise DB_SCHEMA_VERSION.  Types stay INTEGER/TEXT/BLOB so that a
 * PostgreSQL backend can declare the same tables; only the triggers (and
 * entry 0's strftime) are SQLite's own.  docs/database.md documents every
 * table and column.
 */
#include "config.h"

#include "db-private.h"

const char *const db_schema_migrations[] = {
  /* 0 -> 1: bookkeeping of the desk itself. */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "INSERT INTO meta (key, value) VALUES ('created', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));",

  /* 1 -> 2: the registry and the sealed audit log. */
  "CREATE TABLE cardholder ("
  "  id_number TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  sex TEXT NOT NULL,"
  "  ethnicity TEXT NOT NULL,"
  "  birth_date TEXT NOT NULL,"
  "  insurance_category TEXT NOT NULL,"
  "  employer_code TEXT NOT NULL,"
  "  employer_name TEXT NOT NULL,"
  "  region_code TEXT NOT NULL,"
  "  phone TEXT NOT NULL,"
  "  address TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL);"
  "CREATE INDEX cardholder_name ON cardholder (name);"

  "CREATE TABLE insurance_card ("
  "  sn TEXT PRIMARY KEY,"
  "  card_number TEXT NOT NULL UNIQUE,"
  "  holder_id TEXT NOT NULL REFERENCES cardholder (id_number),"
  "  region_code TEXT NOT NULL,"
  "  card_type TEXT NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN"
  "    ('started', 'issued', 'lost', 'withdrawn', 'cancelled', 'cleared')),"
  "  issue_date TEXT NOT NULL,"
  "  valid_until TEXT NOT NULL,"
  "  rewrite_count INTEGER NOT NULL DEFAULT 0,"
  "  issued_by_serial TEXT NOT NULL,"
  "  issued_by_name TEXT NOT NULL,"
  "  workstation TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  status_changed_at TEXT NOT NULL);"
  "CREATE INDEX insurance_card_holder ON insurance_card (holder_id);"

  "CREATE TABLE issuance_journal ("
  "  id INTEGER PRIMARY KEY,"
  "  sn TEXT NOT NULL,"
  "  card_number TEXT NOT NULL,"
  "  holder_id TEXT NOT NULL REFERENCES cardholder (id_number),"
  "  replaces_sn TEXT NOT NULL,"
  "  state TEXT NOT NULL CHECK (state IN ('started', 'completed', 'undone', 'failed')),"
  "  step TEXT NOT NULL,"
  "  error_code TEXT NOT NULL,"
  "  operator_serial TEXT NOT NULL,"
  "  operator_name TEXT NOT NULL,"
  "  workstation TEXT NOT NULL,"
  "  started_at TEXT NOT NULL,"
  "  finished_at TEXT NOT NULL);"
  "CREATE INDEX issuance_journal_state ON issuance_journal (state, workstation);"
  "CREATE INDEX issuance_journal_sn ON issuance_journal (sn);"

  "CREATE TABLE blacklist ("
  "  sn TEXT PRIMARY KEY,"
  "  reason TEXT NOT NULL,"
  "  added_at TEXT NOT NULL,"
  "  added_by_serial TEXT NOT NULL,"
  "  added_by_name TEXT NOT NULL,"
  "  workstation TEXT NOT NULL);"

  "CREATE TABLE cpu_card ("
  "  serial TEXT PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('mcc', 'ktc', 'ac', 'kc')),"
  "  role TEXT NOT NULL,"
  "  holder_name TEXT NOT NULL,"
  "  staff_number TEXT NOT NULL,"
  "  office_code TEXT NOT NULL,"
  "  workstation TEXT NOT NULL,"
  "  quota INTEGER,"
  "  issued_count INTEGER NOT NULL DEFAULT 0,"
  "  kcv_mk TEXT NOT NULL,"
  "  kcv_pkey TEXT NOT NULL,"
  "  kcv_dkey TEXT NOT NULL,"
  "  kcv_akey TEXT NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN ('active', 'lost', 'washed', 'revoked')),"
  "  valid_from TEXT NOT NULL,"
  "  valid_until TEXT NOT NULL,"
  "  made_by_serial TEXT NOT NULL,"
  "  made_by_name TEXT NOT NULL,"
  "  made_at TEXT NOT NULL,"
  "  status_changed_at TEXT NOT NULL);"

  "CREATE TABLE batch ("
  "  id INTEGER PRIMARY KEY,"
  "  source_name TEXT NOT NULL,"
  "  source_sha256 TEXT NOT NULL,"
  "  row_count INTEGER NOT NULL,"
  "  imported_at TEXT NOT NULL,"
  "  imported_by_serial TEXT NOT NULL,"
  "  imported_by_name TEXT NOT NULL,"
  "  workstation TEXT NOT NULL);"
  "CREATE INDEX batch_source ON batch (source_sha256);"
  "CREATE TABLE batch_row ("
  "  batch_id INTEGER NOT NULL REFERENCES batch (id),"
  "  line_no INTEGER NOT NULL,"
  "  id_number TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  sex TEXT NOT NULL,"
  "  ethnicity TEXT NOT NULL,"
  "  birth_date TEXT NOT NULL,"
  "  insurance_category TEXT NOT NULL,"
  "  employer_code TEXT NOT NULL,"
  "  employer_name TEXT NOT NULL,"
  "  region_code TEXT NOT NULL,"
  "  phone TEXT NOT NULL,"
  "  address TEXT NOT NULL,"
  "  status TEXT NOT NULL CHECK (status IN ('pending', 'bad', 'issued', 'skipped')),"
  "  reason TEXT NOT NULL,"
  "  card_sn TEXT NOT NULL,"
  "  PRIMARY KEY (batch_id, line_no));"

  /* The audit log: append-only, hash-chained, sealed (db-audit.c). */
  "CREATE TABLE audit_log ("
  "  seq INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  workstation TEXT NOT NULL,"
  "  operator_serial TEXT NOT NULL,"
  "  operator_name TEXT NOT NULL,"
  "  role TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  card_sn TEXT NOT NULL,"
  "  card_number TEXT NOT NULL,"
  "  holder_id TEXT NOT NULL,"
  "  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),"
  "  error_code TEXT NOT NULL,"
  "  detail TEXT NOT NULL,"
  "  hash BLOB NOT NULL);"
  /* One index per auditor filter, each ending in (at, seq): the order of
   * every listing, so that a filter plus a date range plus the keyset of
   * the next page is one index range.  Subjects are empty on most rows:
   * partial indexes keep those out. */
  "CREATE INDEX audit_log_at ON audit_log (at, seq);"
  "CREATE INDEX audit_log_operator ON audit_log (operator_serial, at, seq);"
  "CREATE INDEX audit_log_workstation ON audit_log (workstation, at, seq);"
  "CREATE INDEX audit_log_action ON audit_log (action, at, seq);"
  "CREATE INDEX audit_log_outcome ON audit_log (outcome, at, seq);"
  /* "every failed clear": two common values whose combination is rare
   * would otherwise walk all rows of one of them. */
  "CREATE INDEX audit_log_outcome_action ON audit_log (outcome, action, at, seq);"
  "CREATE INDEX audit_log_card_sn ON audit_log (card_sn, at, seq) WHERE card_sn <> '';"
  "CREATE INDEX audit_log_card_number ON audit_log (card_number, at, seq)"
  "  WHERE card_number <> '';"
  "CREATE INDEX audit_log_holder ON audit_log (holder_id, at, seq) WHERE holder_id <> '';"
  "CREATE TABLE audit_seal ("
  "  id INTEGER PRIMARY KEY,"
  "  seq INTEGER NOT NULL UNIQUE REFERENCES audit_log (seq),"
  "  head BLOB NOT NULL,"
  "  seal BLOB NOT NULL,"
  "  sealer TEXT NOT NULL,"
  "  at TEXT NOT NULL);"
  "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
  "  BEGIN SELECT RAISE (ABORT, 'the audit log is append-only'); END;"
  "CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_seal"
  "  BEGIN SELECT RAISE (ABORT, 'the audit seals are append-only'); END;"
  "CREATE TRIGGER audit_seal_no_delete BEFORE DELETE ON audit_seal"
  "  BEGIN SELECT RAISE (ABORT, 'the audit seals are append-only'); END;",

  /* 2 -> 3: the personal number, so that a card finished or replaced from
   * the registry carries it as the first write did. */
  "ALTER TABLE cardholder ADD COLUMN personal_number TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE batch_row ADD COLUMN personal_number TEXT NOT NULL DEFAULT '';",
};

const int db_schema_n_migrations = G_N_ELEMENTS (db_schema_migrations);

G_STATIC_ASSERT (G_N_ELEMENTS (db_schema_migrations) == DB_SCHEMA_VERSION);
