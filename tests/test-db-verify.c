/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-db-verify.c: verify against every kind of tampering someone with
 * the sqlite3 shell (or a hex editor) could do: rows altered, deleted,
 * renumbered, inserted, swapped; the whole chain rewritten (caught by the
 * seals); rows cut after the last seal (the documented limit); seal
 * records forged, removed or added. */
#include "config.h"

#include <string.h>

#include "db-log-util.h"
#include "db-query.h"
#include "db-verify.h"

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
test_verify_intact (DbFixture *fx, gconstpointer data)
{
  DbVerifyReport r;

  r = verify (fx->db);
  g_assert_true (db_verify_report_is_intact (&r));
  g_assert_cmpint (r.rows, ==, 0);

  dbt_make_log (fx->db);
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

  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS "UPDATE audit_log SET detail = 'row-99' WHERE seq = 7;");
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
  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS "UPDATE audit_log SET outcome = 'failed' WHERE seq = 35;");
  assert_tamper (fx->db, DB_TAMPER_ALTERED, 35, 0);
}

/* No SQL at all: one byte of the file changed, as a hex editor would. */
static void
test_tamper_file_bytes (DbFixture *fx, gconstpointer data)
{
  g_autofree char *contents = NULL;
  gsize len;
  char *hit;

  dbt_make_log (fx->db);
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
  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS "DELETE FROM audit_log WHERE seq = 7;");
  assert_tamper (fx->db, DB_TAMPER_REMOVED, 7, 7);
  dbt_tamper (fx->path, "DELETE FROM audit_log WHERE seq IN (1, 2);");
  assert_tamper (fx->db, DB_TAMPER_REMOVED, 1, 2);
}

static void
test_tamper_deleted_renumbered (DbFixture *fx, gconstpointer data)
{
  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS "DELETE FROM audit_log WHERE seq = 7;"
                                        "UPDATE audit_log SET seq = seq - 1 WHERE seq > 7;");
  assert_tamper (fx->db, DB_TAMPER_REMOVED, 7, 0);
}

static void
test_tamper_inserted (DbFixture *fx, gconstpointer data)
{
  dbt_make_log (fx->db);
  /* Make room at 7, then copy row 6 (with its hash) into it. */
  dbt_tamper (fx->path,
              DBT_DROP_GUARDS "UPDATE audit_log SET seq = -seq - 1 WHERE seq >= 7;"
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
  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS "INSERT INTO audit_log SELECT 0, at, workstation, "
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
  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS);
  swap_rows (fx->path, 7, 8);
  assert_tamper (fx->db, DB_TAMPER_REORDERED, 7, 8);
}

static void
test_tamper_swapped_far (DbFixture *fx, gconstpointer data)
{
  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS);
  swap_rows (fx->path, 4, 25);
  assert_tamper (fx->db, DB_TAMPER_REORDERED, 4, 25);
}

static void
test_tamper_swapped_last_two (DbFixture *fx, gconstpointer data)
{
  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS);
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
      gsize lengths[12];
      guint8 hash[32];
      sqlite3_stmt *stmt = NULL;

      for (int f = 0; f < 12; f++)
        lengths[f] = strlen (fields[f]);
      dbt_doc_hash (prev, row->seq, fields, lengths, hash);
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

  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS "UPDATE audit_log SET detail = 'row-99' WHERE seq = 12;");
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

  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS "UPDATE audit_log SET detail = 'row-99' WHERE seq = 12;");
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

  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS "DELETE FROM audit_log WHERE seq > 30;");
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
  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS "DELETE FROM audit_log WHERE seq > 15;");
  assert_tamper (fx->db, DB_TAMPER_TRUNCATED, 16, 30);
}

static void
test_tamper_truncated_with_seals (DbFixture *fx, gconstpointer data)
{
  DbVerifyReport r;

  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS "DELETE FROM audit_log WHERE seq > 20;"
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

  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS "INSERT INTO audit_log SELECT 36, at, workstation, "
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

  dbt_make_log (fx->db);
  dbt_tamper (fx->path, DBT_DROP_GUARDS "UPDATE audit_seal SET seal = zeroblob(16) WHERE id = 2;");
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

static gboolean
other_card_seal (const DbSealer *sealer, const guint8 *message, guint8 *out, GError **error)
{
  memset (out, 0x5A, DB_SEAL_LEN);
  return TRUE;
}

/* A seal this verifier cannot check is counted as unchecked: neither
 * forged nor proof. */
static void
test_seal_of_another_key (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DbSealer card = { .id = "card:8601000000000042", .seal = other_card_seal };
  DbActor actor = dbt_actor ();
  DbVerifyReport r;

  dbt_make_log (fx->db);
  g_assert_true (db_audit_seal (fx->db, &actor, &card, NULL, NULL, &error));
  r = verify (fx->db);
  g_assert_true (db_verify_report_is_intact (&r));
  g_assert_cmpint (r.seals, ==, 4);
  g_assert_cmpint (r.seals_genuine, ==, 3);
  g_assert_cmpint (r.seals_unchecked, ==, 1);
  g_assert_cmpint (r.last_seal_seq, ==, 36);
  g_assert_cmpint (r.proven_seq, ==, 30);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, DbFixture, NULL, dbt_set_up, fn, dbt_tear_down)
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
  ADD ("/db/audit/verify/seal-of-another-key", test_seal_of_another_key);
#undef ADD

  return g_test_run ();
}
