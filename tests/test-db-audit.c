/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-db-audit.c: the audit log: appending, the vocabulary, append-only
 * triggers, the hash chain and seals recomputed from docs/database.md, the
 * sealing policy helper, a failing sealer.  Tampering: test-db-verify.c. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cl-crypto.h"
#include "db-log-util.h"
#include "db-query.h"

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
  /* Screens say "done" where the log says "ok". */
  g_assert_cmpstr (db_outcome_get_label (DB_OUTCOME_OK), ==, "done");
  g_assert_cmpstr (db_outcome_get_label (DB_OUTCOME_FAILED), ==, "failed");
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
  dbt_make_log (fx->db);
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
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) dkey = cl_key_new_from_data ((const guint8 *) "INSUCARD-TESTKEY", 16);
  g_autoptr (ClKey) akey = cl_diversify (dkey, (const guint8 *) "AUDITLOG", &error);
  sqlite3 *raw;
  sqlite3_stmt *stmt = NULL;
  guint8 prev[32] = { 0 };
  int rows = 0, seals = 0;

  dbt_make_log (fx->db);
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
      guint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *texts[12];
      gsize lengths[12];
      guint8 be8[8], hash[32];
      gsize len = 32;

      for (int f = 0; f < 12; f++)
        {
          texts[f] = (const char *) sqlite3_column_text (stmt, f + 1);
          lengths[f] = sqlite3_column_bytes (stmt, f + 1);
        }
      dbt_doc_hash (prev, seq, texts, lengths, hash);
      dbt_be (seq, be8, 8);
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
#undef ADD

  return g_test_run ();
}
