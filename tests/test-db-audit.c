/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-db-audit.c: the audit log: appending, append-only triggers, the hash
 * chain recomputed independently from docs/database.md, seals, and verify
 * against every kind of tampering someone with the sqlite3 shell (or a hex
 * editor) could do. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cl-crypto.h"
#include "cli-sealer.h"
#include "db-query.h"
#include "db-test-util.h"
#include "db-verify.h"

#define DROP_GUARDS                                                                                \
  "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; "                           \
  "DROP TRIGGER audit_seal_no_update; DROP TRIGGER audit_seal_no_delete;"

static void
seal (DbDatabase *db)
{
  g_autoptr (GError) error = NULL;
  DbActor actor = dbt_actor ();

  g_assert_true (db_audit_seal (db, &actor, cli_soft_sealer (), NULL, NULL, &error));
  g_assert_no_error (error);
}

/* 30 rows "row-NN" with a seal after every 9 (rows 10, 20, 30 are seals),
 * then 5 unsealed rows: 35 rows in all. */
static void
make_log (DbDatabase *db)
{
  int n = 0;

  for (int block = 0; block < 3; block++)
    {
      for (int i = 0; i < 9; i++)
        {
          g_autofree char *detail = g_strdup_printf ("row-%02d", ++n);

          dbt_append (db, DB_ACTION_READ, "8000000000000001", detail);
        }
      seal (db);
      n++;
    }
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *detail = g_strdup_printf ("row-%02d", ++n);

      dbt_append (db, DB_ACTION_READ, "8000000000000001", detail);
    }
}

static DbVerifyReport
verify_with (DbDatabase *db, const DbSealer *verifier)
{
  g_autoptr (GError) error = NULL;
  DbVerifyReport report;

  g_assert_true (db_audit_verify (db, verifier, &report, &error));
  g_assert_no_error (error);
  return report;
}

static DbVerifyReport
verify (DbDatabase *db)
{
  return verify_with (db, cli_soft_sealer ());
}

static void
assert_tamper (DbDatabase *db, DbTamper tamper, gint64 seq, gint64 other)
{
  DbVerifyReport r = verify (db);
  g_autofree char *text = db_verify_report_describe_tamper (&r);

  g_test_message ("verify: %s", text != NULL ? text : "(intact)");
  g_assert_cmpint (r.tamper, ==, tamper);
  g_assert_cmpint (r.tamper_seq, ==, seq);
  g_assert_cmpint (r.tamper_other_seq, ==, other);
  g_assert_false (db_verify_report_is_intact (&r));
  g_assert_nonnull (text);
}

static void
test_append_numbers_rows (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *long_detail = g_strnfill (600, 'x');
  g_autoptr (GPtrArray) rows = NULL;
  DbAuditState state;

  g_assert_cmpint (dbt_append (fx->db, DB_ACTION_LOGIN, NULL, NULL), ==, 1);
  g_assert_cmpint (dbt_append (fx->db, DB_ACTION_READ, "8000000000000001", long_detail), ==, 2);
  g_assert_cmpint (dbt_append (fx->db, DB_ACTION_READ, NULL, "bad \xff utf-8"), ==, 3);
  g_assert_true (db_audit_get_state (fx->db, &state, &error));
  g_assert_cmpint (state.rows, ==, 3);
  g_assert_cmpint (state.last_seq, ==, 3);
  g_assert_cmpint (state.last_seal_id, ==, 0);
  g_assert_cmpint (state.unsealed, ==, 3);
  db_audit_state_clear (&state);

  /* Long details are cut to DB_AUDIT_DETAIL_MAX characters, and every
   * stored text is valid UTF-8. */
  g_assert_cmpint (dbt_raw_int (fx->path, "SELECT length(detail) FROM audit_log WHERE seq = 2"), ==,
                   DB_AUDIT_DETAIL_MAX);
  g_assert_cmpint (dbt_raw_int (fx->path,
                                "SELECT count(*) FROM audit_log WHERE seq = 1 AND role = "
                                "'issuing-admin' AND action = 'login' AND outcome = 'ok' AND "
                                "at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'"),
                   ==, 1);
  g_assert_cmpint (dbt_raw_int (fx->path, "SELECT length(hash) FROM audit_log WHERE seq = 3"), ==,
                   32);
  rows = db_audit_query (fx->db, NULL, DB_ORDER_OLDEST_FIRST, 2, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (g_utf8_validate (((DbAuditRow *) rows->pdata[0])->detail, -1, NULL));
}

static void
test_vocabulary (void)
{
  for (int a = DB_ACTION_ANY + 1; a < DB_ACTION_N; a++)
    {
      const char *name = db_action_to_string (a);

      g_assert_nonnull (name);
      g_assert_cmpint (db_action_from_string (name), ==, a);
      g_assert_nonnull (db_action_get_label (a));
    }
  g_assert_cmpint (db_action_from_string ("frobnicate"), ==, DB_ACTION_ANY);
  g_assert_null (db_action_to_string (DB_ACTION_ANY));
  g_assert_cmpstr (db_action_to_string (DB_ACTION_REPORT_LOST), ==, "report-lost");
  g_assert_cmpstr (db_outcome_to_string (DB_OUTCOME_REFUSED), ==, "refused");
  g_assert_cmpint (db_outcome_from_string ("failed"), ==, DB_OUTCOME_FAILED);
  g_assert_cmpint (db_outcome_from_string ("maybe"), ==, DB_OUTCOME_ANY);
}

static void
assert_sql_refused (const char *path, const char *sql)
{
  sqlite3 *raw = dbt_raw_open (path);
  char *message = NULL;

  g_assert_cmpint (sqlite3_exec (raw, sql, NULL, NULL, &message), ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (message, "append-only"));
  sqlite3_free (message);
  sqlite3_close (raw);
}

static void
test_append_only (DbFixture *fx, gconstpointer data)
{
  make_log (fx->db);
  assert_sql_refused (fx->path, "UPDATE audit_log SET detail = 'x' WHERE seq = 1");
  assert_sql_refused (fx->path, "DELETE FROM audit_log WHERE seq = 35");
  assert_sql_refused (fx->path, "UPDATE audit_seal SET seal = x'00' WHERE id = 1");
  assert_sql_refused (fx->path, "DELETE FROM audit_seal");
  g_assert_cmpint (dbt_raw_int (fx->path, "SELECT count(*) FROM audit_log"), ==, 35);
}

/* The chain and the seals recomputed from the text of docs/database.md,
 * with GLib's SHA-256 and cardlib's 3DES, not with db/'s code. */
static void
test_chain_matches_documentation (DbFixture *fx, gconstpointer data)
{
  static const char *const columns[] = {
    "at",      "workstation", "operator_serial", "operator_name", "role",       "action",
    "card_sn", "card_number", "holder_id",       "outcome",       "error_code", "detail"
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) dkey = cl_key_new_from_data ((const guint8 *) "INSUCARD-TESTKEY", 16);
  g_autoptr (ClKey) akey = cl_diversify (dkey, (const guint8 *) "AUDITLOG", &error);
  sqlite3 *raw;
  sqlite3_stmt *stmt = NULL;
  guint8 prev[32] = { 0 };
  int rows = 0, seals = 0;

  make_log (fx->db);
  raw = dbt_raw_open (fx->path);
  g_assert_cmpint (sqlite3_prepare_v2 (raw,
                                       "SELECT seq, at, workstation, operator_serial, "
                                       "operator_name, role, action, card_sn, card_number, "
                                       "holder_id, outcome, error_code, detail, hash, "
                                       "(SELECT seal FROM audit_seal s WHERE s.seq = l.seq) "
                                       "FROM audit_log l ORDER BY seq",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      guint64 seq = sqlite3_column_int64 (stmt, 0);
      guint8 be8[8], hash[32];
      gsize len = 32;

      for (int i = 0; i < 8; i++)
        be8[i] = seq >> (56 - 8 * i);
      g_checksum_update (sum, prev, 32);
      g_checksum_update (sum, be8, 8);
      for (gsize f = 0; f < G_N_ELEMENTS (columns); f++)
        {
          guint32 n = sqlite3_column_bytes (stmt, f + 1);
          guint8 be4[4] = { n >> 24, n >> 16, n >> 8, n };

          g_checksum_update (sum, be4, 4);
          g_checksum_update (sum, sqlite3_column_text (stmt, f + 1), n);
        }
      g_checksum_get_digest (sum, hash, &len);
      g_assert_cmpmem (hash, 32, sqlite3_column_blob (stmt, 13), sqlite3_column_bytes (stmt, 13));
      memcpy (prev, hash, 32);
      rows++;

      if (sqlite3_column_type (stmt, 14) == SQLITE_BLOB)
        {
          /* seal = TDES_Akey(M) || TDES_Akey(~M) = DIV(Akey, M) */
          g_autoptr (GChecksum) m_sum = g_checksum_new (G_CHECKSUM_SHA256);
          g_autoptr (ClKey) expected = NULL;
          guint8 digest[32];

          g_checksum_update (m_sum, hash, 32);
          g_checksum_update (m_sum, be8, 8);
          g_checksum_get_digest (m_sum, digest, &len);
          expected = cl_diversify (akey, digest, &error);
          g_assert_no_error (error);
          g_assert_cmpmem (cl_key_get_data (expected), 16, sqlite3_column_blob (stmt, 14),
                           sqlite3_column_bytes (stmt, 14));
          seals++;
        }
    }
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
  g_assert_cmpint (rows, ==, 35);
  g_assert_cmpint (seals, ==, 3);
}

static void
test_seal_due (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gboolean due = TRUE;
  gint64 seq = 0;
  DbActor actor = dbt_actor ();
  DbAuditState state;

  for (int i = 0; i < DB_AUDIT_SEAL_INTERVAL - 1; i++)
    dbt_append (fx->db, DB_ACTION_READ, NULL, NULL);
  g_assert_true (db_audit_seal_due (fx->db, &due, &error));
  g_assert_false (due);
  dbt_append (fx->db, DB_ACTION_READ, NULL, NULL);
  g_assert_true (db_audit_seal_due (fx->db, &due, &error));
  g_assert_true (due);

  g_assert_true (db_audit_seal (fx->db, &actor, cli_soft_sealer (), NULL, &seq, &error));
  g_assert_cmpint (seq, ==, DB_AUDIT_SEAL_INTERVAL + 1);
  g_assert_true (db_audit_seal_due (fx->db, &due, &error));
  g_assert_false (due);
  g_assert_true (db_audit_get_state (fx->db, &state, &error));
  g_assert_cmpint (state.last_seal_id, ==, 1);
  g_assert_cmpint (state.last_seal_seq, ==, seq);
  g_assert_cmpint (state.unsealed, ==, 0);
  g_assert_cmpstr (state.last_seal_sealer, ==, CLI_SOFT_SEALER_ID);
  g_assert_nonnull (state.last_seal_at);
  db_audit_state_clear (&state);
}

static gboolean
failing_seal (const DbSealer *sealer, const guint8 *message, guint8 *out, GError **error)
{
  g_set_error (error, DB_ERROR, DB_ERROR_FAILED, "the operator card was pulled");
  return FALSE;
}

static void
test_failed_seal_writes_nothing (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DbSealer broken = { .id = "card:broken", .seal = failing_seal };
  DbActor actor = dbt_actor ();

  dbt_append (fx->db, DB_ACTION_LOGIN, NULL, NULL);
  g_assert_false (db_audit_seal (fx->db, &actor, &broken, NULL, NULL, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_FAILED);
  g_assert_cmpint (dbt_raw_int (fx->path, "SELECT count(*) FROM audit_log"), ==, 1);
  g_assert_cmpint (dbt_raw_int (fx->path, "SELECT count(*) FROM audit_seal"), ==, 0);
}

static void
test_verify_intact (DbFixture *fx, gconstpointer data)
{
  DbVerifyReport r;

  r = verify (fx->db);
  g_assert_true (db_verify_report_is_intact (&r));
  g_assert_cmpint (r.rows, ==, 0);

  make_log (fx->db);
  r = verify (fx->db);
  g_assert_true (db_verify_report_is_intact (&r));
  g_assert_cmpint (r.rows, ==, 35);
  g_assert_cmpint (r.last_seq, ==, 35);
  g_assert_cmpint (r.broken_links, ==, 0);
  g_assert_cmpint (r.seals, ==, 3);
  g_assert_cmpint (r.seals_genuine, ==, 3);
  g_assert_cmpint (r.last_seal_seq, ==, 30);
  g_assert_cmpint (r.proven_seq, ==, 30);
  g_assert_cmpint (r.unsealed, ==, 5);
  g_assert_false (r.guards_missing);
  g_assert_null (db_verify_report_describe_tamper (&r));
  g_assert_null (db_verify_report_describe_seal_problem (&r));

  /* Without a verifier the seals are not checked: nothing is proven. */
  r = verify_with (fx->db, NULL);
  g_assert_true (db_verify_report_is_intact (&r));
  g_assert_cmpint (r.seals_unchecked, ==, 3);
  g_assert_cmpint (r.seals_genuine, ==, 0);
  g_assert_cmpint (r.proven_seq, ==, 0);
}

static void
test_tamper_altered (DbFixture *fx, gconstpointer data)
{
  DbVerifyReport r;

  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS "UPDATE audit_log SET detail = 'row-99' WHERE seq = 7;");
  assert_tamper (fx->db, DB_TAMPER_ALTERED, 7, 0);
  r = verify (fx->db);
  g_assert_true (r.guards_missing);
  g_assert_cmpint (r.broken_links, ==, 1);
  /* The first seal (row 10) already covers the altered row. */
  g_assert_cmpint (r.proven_seq, ==, 0);
}

static void
test_tamper_altered_last (DbFixture *fx, gconstpointer data)
{
  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS "UPDATE audit_log SET outcome = 'failed' WHERE seq = 35;");
  assert_tamper (fx->db, DB_TAMPER_ALTERED, 35, 0);
}

/* No SQL at all: one byte of the file changed, as a hex editor would. */
static void
test_tamper_file_bytes (DbFixture *fx, gconstpointer data)
{
  g_autofree char *contents = NULL;
  gsize len;
  char *hit;

  make_log (fx->db);
  g_clear_pointer (&fx->db, db_database_close); /* checkpoints the WAL into the file */
  g_assert_true (g_file_get_contents (fx->path, &contents, &len, NULL));
  hit = memmem (contents, len, "row-13", 6);
  g_assert_nonnull (hit);
  hit[5] = '4';
  g_assert_true (g_file_set_contents (fx->path, contents, len, NULL));
  fx->db = db_database_open (fx->path, DB_MODE_TRAINING, DB_OPEN_DEFAULT, NULL);
  g_assert_nonnull (fx->db);
  assert_tamper (fx->db, DB_TAMPER_ALTERED, 13, 0);
}

static void
test_tamper_deleted (DbFixture *fx, gconstpointer data)
{
  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS "DELETE FROM audit_log WHERE seq = 7;");
  assert_tamper (fx->db, DB_TAMPER_REMOVED, 7, 7);
  dbt_tamper (fx->path, "DELETE FROM audit_log WHERE seq IN (1, 2);");
  assert_tamper (fx->db, DB_TAMPER_REMOVED, 1, 2);
}

static void
test_tamper_deleted_renumbered (DbFixture *fx, gconstpointer data)
{
  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS "DELETE FROM audit_log WHERE seq = 7;"
                                    "UPDATE audit_log SET seq = seq - 1 WHERE seq > 7;");
  assert_tamper (fx->db, DB_TAMPER_REMOVED, 7, 0);
}

static void
test_tamper_inserted (DbFixture *fx, gconstpointer data)
{
  make_log (fx->db);
  /* Make room at 7, then copy row 6 (with its hash) into it. */
  dbt_tamper (fx->path, DROP_GUARDS "UPDATE audit_log SET seq = -seq - 1 WHERE seq >= 7;"
                                    "UPDATE audit_log SET seq = -seq WHERE seq < 0;"
                                    "INSERT INTO audit_log SELECT 7, at, workstation, "
                                    "operator_serial, operator_name, role, action, card_sn, "
                                    "card_number, holder_id, outcome, error_code, 'forged', hash "
                                    "FROM audit_log WHERE seq = 6;");
  assert_tamper (fx->db, DB_TAMPER_INSERTED, 7, 0);
}

static void
test_tamper_inserted_before_first (DbFixture *fx, gconstpointer data)
{
  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS "INSERT INTO audit_log SELECT 0, at, workstation, "
                                    "operator_serial, operator_name, role, action, card_sn, "
                                    "card_number, holder_id, outcome, error_code, detail, hash "
                                    "FROM audit_log WHERE seq = 1;");
  assert_tamper (fx->db, DB_TAMPER_INSERTED, 0, 0);
}

static void
swap_rows (const char *path, int a, int b)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE audit_log SET seq = -1 WHERE seq = %d;"
                                          "UPDATE audit_log SET seq = %d WHERE seq = %d;"
                                          "UPDATE audit_log SET seq = %d WHERE seq = -1;",
                                          a, a, b, b);

  dbt_tamper (path, sql);
}

static void
test_tamper_swapped (DbFixture *fx, gconstpointer data)
{
  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS);
  swap_rows (fx->path, 7, 8);
  assert_tamper (fx->db, DB_TAMPER_REORDERED, 7, 8);
}

static void
test_tamper_swapped_far (DbFixture *fx, gconstpointer data)
{
  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS);
  swap_rows (fx->path, 4, 25);
  assert_tamper (fx->db, DB_TAMPER_REORDERED, 4, 25);
}

static void
test_tamper_swapped_last_two (DbFixture *fx, gconstpointer data)
{
  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS);
  swap_rows (fx->path, 34, 35);
  assert_tamper (fx->db, DB_TAMPER_REORDERED, 34, 35);
}

/* Recomputes every hash from row `from` on with SQL-shell-level access,
 * as a careful forger would; optionally fixes the sealed heads too. */
static void
rechain (DbDatabase *db, const char *path, gint64 from, gboolean fix_heads)
{
  sqlite3 *raw = dbt_raw_open (path);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  guint8 prev[32] = { 0 };

  rows = db_audit_query (db, NULL, DB_ORDER_OLDEST_FIRST, 0, 10000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      DbAuditRow *row = rows->pdata[i];
      const char *fields[] = {
        row->at,        row->workstation, row->operator_serial, row->operator_name,
        row->role,      row->action,      row->card_sn,         row->card_number,
        row->holder_id, row->outcome,     row->error_code,      row->detail
      };
      g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
      guint8 be8[8], hash[32];
      gsize len = 32;
      sqlite3_stmt *stmt = NULL;

      for (int b = 0; b < 8; b++)
        be8[b] = (guint64) row->seq >> (56 - 8 * b);
      g_checksum_update (sum, prev, 32);
      g_checksum_update (sum, be8, 8);
      for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          guint32 n = strlen (fields[f]);
          guint8 be4[4] = { n >> 24, n >> 16, n >> 8, n };

          g_checksum_update (sum, be4, 4);
          g_checksum_update (sum, (const guchar *) fields[f], n);
        }
      g_checksum_get_digest (sum, hash, &len);
      memcpy (prev, hash, 32);
      if (row->seq < from)
        continue;
      sqlite3_prepare_v2 (raw, "UPDATE audit_log SET hash = ? WHERE seq = ?", -1, &stmt, NULL);
      sqlite3_bind_blob (stmt, 1, hash, 32, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, row->seq);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_finalize (stmt);
      if (fix_heads)
        {
          sqlite3_prepare_v2 (raw, "UPDATE audit_seal SET head = ? WHERE seq = ?", -1, &stmt, NULL);
          sqlite3_bind_blob (stmt, 1, hash, 32, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (stmt, 2, row->seq);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
          sqlite3_finalize (stmt);
        }
    }
  sqlite3_close (raw);
}

static void
test_tamper_rechained_caught_by_seals (DbFixture *fx, gconstpointer data)
{
  DbVerifyReport r;
  g_autofree char *text = NULL;

  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS "UPDATE audit_log SET detail = 'row-99' WHERE seq = 12;");
  rechain (fx->db, fx->path, 12, TRUE);
  /* The chain is consistent again... */
  r = verify (fx->db);
  g_assert_cmpint (r.tamper, ==, DB_TAMPER_NONE);
  g_assert_cmpint (r.broken_links, ==, 0);
  /* ...but the first seal after the change is not genuine. */
  g_assert_cmpint (r.seal_problem, ==, DB_SEAL_PROBLEM_FORGED);
  g_assert_cmpint (r.bad_seal_id, ==, 2);
  g_assert_cmpint (r.bad_seal_seq, ==, 20);
  g_assert_cmpint (r.proven_seq, ==, 10);
  g_assert_false (db_verify_report_is_intact (&r));
  text = db_verify_report_describe_seal_problem (&r);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "row 20"));

  /* Without a verifier it cannot be told: the documented limit. */
  r = verify_with (fx->db, NULL);
  g_assert_true (db_verify_report_is_intact (&r));
  g_assert_cmpint (r.proven_seq, ==, 0);
}

static void
test_tamper_rechained_heads_kept (DbFixture *fx, gconstpointer data)
{
  DbVerifyReport r;

  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS "UPDATE audit_log SET detail = 'row-99' WHERE seq = 12;");
  rechain (fx->db, fx->path, 12, FALSE);
  /* Even without a verifier: the sealed head is not the chain's. */
  r = verify_with (fx->db, NULL);
  g_assert_cmpint (r.tamper, ==, DB_TAMPER_NONE);
  g_assert_cmpint (r.seal_problem, ==, DB_SEAL_PROBLEM_HEAD);
  g_assert_cmpint (r.bad_seal_seq, ==, 20);
}

/* Rows after the last seal cut off, seals untouched: no chain can see
 * this; the sealed length stays visible, so a cut below it shows. */
static void
test_tamper_truncated_after_last_seal (DbFixture *fx, gconstpointer data)
{
  DbVerifyReport r;

  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS "DELETE FROM audit_log WHERE seq > 30;");
  r = verify (fx->db);
  g_assert_true (db_verify_report_is_intact (&r));
  g_assert_cmpint (r.last_seq, ==, 30);
  g_assert_cmpint (r.last_seal_seq, ==, 30);
  g_assert_cmpint (r.proven_seq, ==, 30);
  g_assert_cmpint (r.unsealed, ==, 0);
}

static void
test_tamper_truncated_with_seals_left (DbFixture *fx, gconstpointer data)
{
  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS "DELETE FROM audit_log WHERE seq > 15;");
  assert_tamper (fx->db, DB_TAMPER_TRUNCATED, 16, 30);
}

static void
test_tamper_truncated_with_seals (DbFixture *fx, gconstpointer data)
{
  DbVerifyReport r;

  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS "DELETE FROM audit_log WHERE seq > 20;"
                                    "DELETE FROM audit_seal WHERE seq > 20;");
  /* Consistent, but the sealed length dropped from 30 to 20: that is what
   * db info and every report show, for the auditor to compare. */
  r = verify (fx->db);
  g_assert_true (db_verify_report_is_intact (&r));
  g_assert_cmpint (r.last_seal_seq, ==, 20);
}

static void
test_tamper_forged_row_appended (DbFixture *fx, gconstpointer data)
{
  DbVerifyReport r;

  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS "INSERT INTO audit_log SELECT 36, at, workstation, "
                                    "operator_serial, operator_name, role, action, card_sn, "
                                    "card_number, holder_id, outcome, error_code, 'forged', "
                                    "hash FROM audit_log WHERE seq = 35;");
  assert_tamper (fx->db, DB_TAMPER_ALTERED, 36, 0);
  /* With a correctly computed hash it is only "not yet sealed". */
  rechain (fx->db, fx->path, 36, FALSE);
  r = verify (fx->db);
  g_assert_true (db_verify_report_is_intact (&r));
  g_assert_cmpint (r.unsealed, ==, 6);
  g_assert_cmpint (r.proven_seq, ==, 30);
}

static void
test_tamper_seal_records (DbFixture *fx, gconstpointer data)
{
  DbVerifyReport r;

  make_log (fx->db);
  dbt_tamper (fx->path, DROP_GUARDS "UPDATE audit_seal SET seal = zeroblob(16) WHERE id = 2;");
  r = verify (fx->db);
  g_assert_cmpint (r.seal_problem, ==, DB_SEAL_PROBLEM_FORGED);
  g_assert_cmpint (r.bad_seal_id, ==, 2);
  g_assert_cmpint (r.proven_seq, ==, 10);

  dbt_tamper (fx->path, "DELETE FROM audit_seal WHERE id = 1;");
  r = verify (fx->db);
  g_assert_cmpint (r.seal_problem, ==, DB_SEAL_PROBLEM_MISSING);
  g_assert_cmpint (r.bad_seal_seq, ==, 10);
  g_assert_cmpint (r.tamper, ==, DB_TAMPER_NONE);

  dbt_tamper (fx->path, "INSERT INTO audit_seal (seq, head, seal, sealer, at) SELECT 3, hash, "
                        "zeroblob(16), 'x', at FROM audit_log WHERE seq = 3;");
  r = verify (fx->db);
  g_assert_cmpint (r.seal_problem, ==, DB_SEAL_PROBLEM_STRAY);
  g_assert_cmpint (r.bad_seal_seq, ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, DbFixture, NULL, dbt_set_up, fn, dbt_tear_down)
  ADD ("/db/audit/append-numbers-rows", test_append_numbers_rows);
  g_test_add_func ("/db/audit/vocabulary", test_vocabulary);
  ADD ("/db/audit/append-only", test_append_only);
  ADD ("/db/audit/chain-matches-documentation", test_chain_matches_documentation);
  ADD ("/db/audit/seal-due", test_seal_due);
  ADD ("/db/audit/failed-seal-writes-nothing", test_failed_seal_writes_nothing);
  ADD ("/db/audit/verify/intact", test_verify_intact);
  ADD ("/db/audit/verify/altered", test_tamper_altered);
  ADD ("/db/audit/verify/altered-last", test_tamper_altered_last);
  ADD ("/db/audit/verify/file-bytes", test_tamper_file_bytes);
  ADD ("/db/audit/verify/deleted", test_tamper_deleted);
  ADD ("/db/audit/verify/deleted-renumbered", test_tamper_deleted_renumbered);
  ADD ("/db/audit/verify/inserted", test_tamper_inserted);
  ADD ("/db/audit/verify/inserted-before-first", test_tamper_inserted_before_first);
  ADD ("/db/audit/verify/swapped", test_tamper_swapped);
  ADD ("/db/audit/verify/swapped-far", test_tamper_swapped_far);
  ADD ("/db/audit/verify/swapped-last-two", test_tamper_swapped_last_two);
  ADD ("/db/audit/verify/rechained-caught-by-seals", test_tamper_rechained_caught_by_seals);
  ADD ("/db/audit/verify/rechained-heads-kept", test_tamper_rechained_heads_kept);
  ADD ("/db/audit/verify/truncated-after-last-seal", test_tamper_truncated_after_last_seal);
  ADD ("/db/audit/verify/truncated-seals-left", test_tamper_truncated_with_seals_left);
  ADD ("/db/audit/verify/truncated-with-seals", test_tamper_truncated_with_seals);
  ADD ("/db/audit/verify/forged-row-appended", test_tamper_forged_row_appended);
  ADD ("/db/audit/verify/seal-records", test_tamper_seal_records);
#undef ADD

  return g_test_run ();
}
