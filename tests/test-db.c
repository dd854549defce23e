/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-db.c: the database file: creation, pragmas, migrations from every
 * earlier version, refusals (newer schema, other files, wrong mode),
 * read-only opens, grouped transactions, online backup. */
#include "config.h"

#include <glib/gstdio.h>

#include "db-info.h"
#include "db-private.h"
#include "db-registry.h"
#include "db-verify.h"
#include "db-test-util.h"

/* The schema of version 1 exactly as released: only the meta table. */
static const char v1_schema[] =
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "INSERT INTO meta (key, value) VALUES ('created', '2026-01-02T03:04:05Z');"
    "INSERT INTO meta (key, value) VALUES ('desk', 'D1');"
    "PRAGMA user_version = 1;";

static char *
pragma_text (DbDatabase *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db->handle, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static void
test_open_creates_and_migrates (DbFixture *fx, gconstpointer data)
{
  g_autofree char *journal = pragma_text (fx->db, "PRAGMA journal_mode");
  g_autofree char *fk = pragma_text (fx->db, "PRAGMA foreign_keys");
  g_autofree char *sync = pragma_text (fx->db, "PRAGMA synchronous");
  g_autofree char *bak = g_strconcat (fx->path, ".bak-v0", NULL);

  g_assert_true (g_file_test (fx->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (db_database_get_schema_version (fx->db), ==, DB_SCHEMA_VERSION);
  g_assert_cmpstr (journal, ==, "wal");
  g_assert_cmpstr (fk, ==, "1");
  g_assert_cmpstr (sync, ==, "2"); /* FULL */
  g_assert_cmpint (db_database_get_busy_timeout (fx->db), ==, 5000);
  g_assert_cmpint (db_database_get_mode (fx->db), ==, DB_MODE_TRAINING);
  g_assert_cmpint (dbt_raw_int (fx->path, "PRAGMA application_id"), ==, 0x49435244);
  /* A new file has nothing to back up. */
  g_assert_false (g_file_test (bak, G_FILE_TEST_EXISTS));
}

static void
test_open_creates_folder (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("insucard-db-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "a", "b", "insucard.db", NULL);
  g_autoptr (DbDatabase) db = db_database_open (path, DB_MODE_PRODUCTION, DB_OPEN_CREATE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_cmpint (db_database_get_mode (db), ==, DB_MODE_PRODUCTION);
  g_clear_pointer (&db, db_database_close);
  tu_rm_rf (dir);
}

static void
write_v1_file (const char *path)
{
  dbt_tamper (path, v1_schema);
}

static void
test_migrates_from_v1 (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *v1 = g_build_filename (fx->dir, "old.db", NULL);
  g_autofree char *bak = g_strconcat (v1, ".bak-v1", NULL);
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (DbDatabase) copy = NULL;

  write_v1_file (v1);
  db = db_database_open (v1, DB_MODE_TRAINING, DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (db_database_get_schema_version (db), ==, DB_SCHEMA_VERSION);
  g_assert_cmpint (db_database_get_mode (db), ==, DB_MODE_TRAINING);
  /* The old data survives, and the new tables work. */
  g_assert_cmpint (dbt_raw_int (v1, "SELECT count(*) FROM meta WHERE value = 'D1'"), ==, 1);
  g_assert_cmpint (dbt_append (db, DB_ACTION_LOGIN, NULL, "after upgrade"), ==, 1);

  /* The backup is the version-1 file as it was. */
  g_assert_true (g_file_test (bak, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (dbt_raw_int (bak, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (dbt_raw_int (bak, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit_log'"),
                   ==, 0);
  g_assert_cmpint (dbt_raw_int (bak, "SELECT count(*) FROM meta WHERE value = 'D1'"), ==, 1);

  /* Opening again migrates nothing. */
  g_clear_pointer (&db, db_database_close);
  g_assert_true (g_remove (bak) == 0);
  copy = db_database_open (v1, DB_MODE_TRAINING, DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (bak, G_FILE_TEST_EXISTS));
}

/* Version 2 as released (migrations 0 and 1 are frozen), with a holder and
 * a batch row: version 3 gives both a personal number, empty for the old. */
static void
test_migrates_from_v2 (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *v2 = g_build_filename (fx->dir, "v2.db", NULL);
  g_autofree char *bak = g_strconcat (v2, ".bak-v2", NULL);
  g_autofree char *v2_schema = g_strconcat (
      db_schema_migrations[0], db_schema_migrations[1],
      "INSERT INTO cardholder VALUES ('11010519491231002X', 'Li Na', '2', '01', '1949-12-31', "
      "'', '', '', '510400', '', '', '2026-01-02T03:04:05Z', '2026-01-02T03:04:05Z');"
      "PRAGMA user_version = 2;",
      NULL);
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (DbHolder) old = NULL;
  g_autoptr (DbHolder) h = db_holder_new ();
  g_autoptr (DbHolder) again = NULL;

  dbt_tamper (v2, v2_schema);
  db = db_database_open (v2, DB_MODE_TRAINING, DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (db_database_get_schema_version (db), ==, 3);
  g_assert_cmpint (dbt_raw_int (bak, "PRAGMA user_version"), ==, 2);
  old = db_holders_get (db, "11010519491231002X", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (old->name, ==, "Li Na");
  g_assert_cmpstr (old->personal_number, ==, "");

  h->id_number = g_strdup ("11010519491231002X");
  h->name = g_strdup ("Li Na");
  h->personal_number = g_strdup ("1234567890");
  g_assert_true (db_holders_save (db, h, &error));
  g_assert_no_error (error);
  again = db_holders_get (db, "11010519491231002X", &error);
  g_assert_cmpstr (again->personal_number, ==, "1234567890");
  g_assert_cmpint (dbt_raw_int (v2, "SELECT count(*) FROM pragma_table_info('batch_row') "
                                    "WHERE name = 'personal_number'"),
                   ==, 1);
}

static void
test_migrates_from_empty_file (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "empty.db", NULL);
  g_autoptr (DbDatabase) db = NULL;

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  db = db_database_open (path, DB_MODE_PRODUCTION, DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (db_database_get_schema_version (db), ==, DB_SCHEMA_VERSION);
  g_assert_cmpint (db_database_get_mode (db), ==, DB_MODE_PRODUCTION);
}

/* A migration that fails part-way leaves the file at its old version,
 * without any of the new tables: all steps are one transaction. */
static void
test_failed_migration_changes_nothing (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *v1 = g_build_filename (fx->dir, "old.db", NULL);

  write_v1_file (v1);
  /* A stray object with the name of a table a later step creates. */
  dbt_tamper (v1, "CREATE TABLE audit_seal (x);");
  g_assert_null (db_database_open (v1, DB_MODE_TRAINING, DB_OPEN_DEFAULT, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_FAILED);
  g_test_message ("%s", error->message);
  g_assert_cmpint (dbt_raw_int (v1, "PRAGMA user_version"), ==, 1);
  g_assert_cmpint (dbt_raw_int (v1, "SELECT count(*) FROM sqlite_schema WHERE name IN "
                                    "('cardholder', 'audit_log', 'audit_log_at')"),
                   ==, 0);
}

static void
test_refuses_newer_schema (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_len, after_len;

  g_clear_pointer (&fx->db, db_database_close);
  dbt_tamper (fx->path, "PRAGMA user_version = 99;");
  g_assert_true (g_file_get_contents (fx->path, &before, &before_len, NULL));
  g_assert_null (db_database_open (fx->path, DB_MODE_TRAINING, DB_OPEN_DEFAULT, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "Update insucard"));
  g_assert_true (g_file_get_contents (fx->path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
}

static void
test_not_a_database (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "notes.txt", NULL);

  g_assert_true (g_file_set_contents (path, "this is not sqlite, just text........", -1, NULL));
  g_assert_null (db_database_open (path, DB_MODE_TRAINING, DB_OPEN_DEFAULT, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "backup"));
}

static void
test_foreign_database (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "other.db", NULL);

  dbt_tamper (path, "CREATE TABLE recipes (name TEXT);");
  g_assert_null (db_database_open (path, DB_MODE_TRAINING, DB_OPEN_DEFAULT, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "another program"));
  g_assert_cmpint (dbt_raw_int (path, "PRAGMA user_version"), ==, 0);
}

static void
test_missing_file (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "nothing.db", NULL);

  g_assert_null (db_database_open (path, DB_MODE_ANY, DB_OPEN_DEFAULT, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_OPEN);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  g_assert_null (db_database_open (path, DB_MODE_ANY, DB_OPEN_READ_ONLY, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_OPEN);
}

static void
test_mode_enforced (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *prod = g_build_filename (fx->dir, "desk.db", NULL);
  g_autoptr (DbDatabase) any = NULL;
  g_autoptr (DbDatabase) p = NULL;

  g_clear_pointer (&fx->db, db_database_close);
  /* The training file refuses production... */
  g_assert_null (db_database_open (fx->path, DB_MODE_PRODUCTION, DB_OPEN_DEFAULT, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_MODE);
  g_assert_nonnull (strstr (error->message, "training database"));
  g_clear_error (&error);
  /* ...and says what it is to a caller that accepts either. */
  any = db_database_open (fx->path, DB_MODE_ANY, DB_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (db_database_get_mode (any), ==, DB_MODE_TRAINING);

  /* A production file refuses training, even to read it. */
  p = db_database_open (prod, DB_MODE_PRODUCTION, DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_clear_pointer (&p, db_database_close);
  g_assert_null (db_database_open (prod, DB_MODE_TRAINING, DB_OPEN_READ_ONLY, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_MODE);
  g_assert_nonnull (strstr (error->message, "real desk"));
  g_assert_cmpstr (db_mode_to_string (DB_MODE_PRODUCTION), ==, "production");
}

static void
test_read_only_open (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) ro = NULL;
  DbAuditState state = { 0 };
  DbAuditEntry entry = { .actor = dbt_actor (),
                         .action = DB_ACTION_READ,
                         .outcome = DB_OUTCOME_OK };

  dbt_append (fx->db, DB_ACTION_LOGIN, NULL, NULL);
  ro = db_database_open (fx->path, DB_MODE_TRAINING, DB_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (db_database_is_read_only (ro));
  g_assert_true (db_audit_get_state (ro, &state, &error));
  g_assert_cmpint (state.rows, ==, 1);
  db_audit_state_clear (&state);
  g_assert_false (db_audit_append (ro, &entry, NULL, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_READ_ONLY);
}

static void
test_read_only_refuses_upgrade (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *v1 = g_build_filename (fx->dir, "old.db", NULL);

  write_v1_file (v1);
  g_assert_null (db_database_open (v1, DB_MODE_ANY, DB_OPEN_READ_ONLY, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_READ_ONLY);
  g_assert_cmpint (dbt_raw_int (v1, "PRAGMA user_version"), ==, 1);
}

static void
test_grouped_transaction (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DbAuditState state = { 0 };

  g_assert_true (db_database_begin (fx->db, &error));
  dbt_append (fx->db, DB_ACTION_ISSUE, "1111", NULL);
  dbt_append (fx->db, DB_ACTION_ISSUE_FINISH, "1111", NULL);
  db_database_rollback (fx->db);
  g_assert_true (db_audit_get_state (fx->db, &state, &error));
  g_assert_cmpint (state.rows, ==, 0);
  db_audit_state_clear (&state);

  g_assert_true (db_database_begin (fx->db, &error));
  dbt_append (fx->db, DB_ACTION_ISSUE, "1111", NULL);
  /* Another connection sees nothing before the commit. */
  g_assert_cmpint (dbt_raw_int (fx->path, "SELECT count(*) FROM audit_log"), ==, 0);
  dbt_append (fx->db, DB_ACTION_ISSUE_FINISH, "1111", NULL);
  g_assert_true (db_database_commit (fx->db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dbt_raw_int (fx->path, "SELECT count(*) FROM audit_log"), ==, 2);
}

static void
test_backup_online (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dest = g_build_filename (fx->dir, "copy.db", NULL);
  g_autofree char *part = g_strconcat (dest, ".part", NULL);
  g_autoptr (DbDatabase) writer = NULL;
  g_autoptr (DbDatabase) copy = NULL;
  DbVerifyReport report;
  DbInfo info;

  for (int i = 0; i < 50; i++)
    dbt_append (fx->db, DB_ACTION_READ, "8000000000000001", "backup test");
  /* A writer in the middle of a transaction does not stop the backup;
   * its uncommitted row is not in the copy. */
  writer = db_database_open_sibling (fx->db, &error);
  g_assert_no_error (error);
  g_assert_true (db_database_begin (writer, &error));
  dbt_append (writer, DB_ACTION_READ, NULL, "uncommitted");

  g_assert_true (db_database_backup (fx->db, dest, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_true (db_database_commit (writer, &error));

  copy = db_database_open (dest, DB_MODE_TRAINING, DB_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (db_info_get (copy, &info, &error));
  g_assert_cmpint (info.audit.rows, ==, 50);
  g_assert_cmpint (info.schema_version, ==, DB_SCHEMA_VERSION);
  g_assert_cmpint (info.mode, ==, DB_MODE_TRAINING);
  db_info_clear (&info);
  g_assert_true (db_audit_verify (copy, NULL, &report, &error));
  g_assert_true (db_verify_report_is_intact (&report));

  /* A backup never overwrites. */
  g_assert_false (db_database_backup (fx->db, dest, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_EXISTS);
}

static void
test_backup_bad_folder (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dest = g_build_filename (fx->dir, "no", "such", "copy.db", NULL);

  g_assert_false (db_database_backup (fx->db, dest, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, dest));
}

static void
test_info_counts (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DbInfo info;

  dbt_append (fx->db, DB_ACTION_LOGIN, NULL, NULL);
  g_assert_true (db_info_get (fx->db, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (info.path, ==, fx->path);
  g_assert_cmpint (info.audit.rows, ==, 1);
  g_assert_cmpint (info.audit.last_seal_seq, ==, 0);
  g_assert_cmpint (info.audit.unsealed, ==, 1);
  g_assert_cmpint (info.holders, ==, 0);
  g_assert_true (g_str_has_suffix (info.created_at, "Z"));
  db_info_clear (&info);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, DbFixture, NULL, dbt_set_up, fn, dbt_tear_down)
  ADD ("/db/open/creates-and-migrates", test_open_creates_and_migrates);
  g_test_add_func ("/db/open/creates-folder", test_open_creates_folder);
  ADD ("/db/open/migrates-from-v1", test_migrates_from_v1);
  ADD ("/db/open/migrates-from-v2", test_migrates_from_v2);
  ADD ("/db/open/migrates-from-empty-file", test_migrates_from_empty_file);
  ADD ("/db/open/failed-migration-changes-nothing", test_failed_migration_changes_nothing);
  ADD ("/db/open/refuses-newer-schema", test_refuses_newer_schema);
  ADD ("/db/open/not-a-database", test_not_a_database);
  ADD ("/db/open/foreign-database", test_foreign_database);
  ADD ("/db/open/missing-file", test_missing_file);
  ADD ("/db/open/mode-enforced", test_mode_enforced);
  ADD ("/db/open/read-only", test_read_only_open);
  ADD ("/db/open/read-only-refuses-upgrade", test_read_only_refuses_upgrade);
  ADD ("/db/transaction/grouped", test_grouped_transaction);
  ADD ("/db/backup/online", test_backup_online);
  ADD ("/db/backup/bad-folder", test_backup_bad_folder);
  ADD ("/db/info/counts", test_info_counts);
#undef ADD

  return g_test_run ();
}
