/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-db.c: the database file: creation, migration, refusal of newer schemas. */
#include "config.h"

#include <glib/gstdio.h>

#include "db-database.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fx->dir = g_dir_make_tmp ("insucard-db-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "desk.sqlite", NULL);
}

static void
fixture_tear_down (Fixture *fx, gconstpointer data)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *p = g_strconcat (fx->path, suffixes[i], NULL);
      g_unlink (p);
    }
  g_rmdir (fx->dir);
  g_free (fx->path);
  g_free (fx->dir);
}

static void
test_open_creates_and_migrates (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = db_database_open (fx->path, &error);
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (db);
  g_assert_true (g_file_test (fx->path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (db_database_get_schema_version (db), ==, 1);

  g_assert_cmpint (
      sqlite3_prepare_v2 (db_database_get_handle (db), "PRAGMA journal_mode;", -1, &stmt, NULL), ==,
      SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
}

static void
test_reopen_keeps_data (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DbDatabase *db = db_database_open (fx->path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (db_database_get_handle (db),
                                 "INSERT INTO meta (key, value) VALUES ('desk', 'D1');", NULL, NULL,
                                 NULL),
                   ==, SQLITE_OK);
  db_database_close (db);

  db = db_database_open (fx->path, &error);
  g_assert_no_error (error);
  {
    g_autoptr (sqlite3_stmt) stmt = NULL;
    sqlite3_prepare_v2 (db_database_get_handle (db), "SELECT value FROM meta WHERE key='desk';", -1,
                        &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "D1");
  }
  db_database_close (db);
}

static void
test_refuses_newer_schema (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *raw = NULL;

  g_assert_cmpint (sqlite3_open (fx->path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "PRAGMA user_version = 99;", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  sqlite3_close (raw);

  g_assert_null (db_database_open (fx->path, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_TOO_NEW);
}

static void
test_not_a_database (Fixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (g_file_set_contents (fx->path, "this is not sqlite, just text........", -1, NULL));
  g_assert_null (db_database_open (fx->path, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_CORRUPT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/db/open/creates-and-migrates", Fixture, NULL, fixture_set_up,
              test_open_creates_and_migrates, fixture_tear_down);
  g_test_add ("/db/open/reopen-keeps-data", Fixture, NULL, fixture_set_up, test_reopen_keeps_data,
              fixture_tear_down);
  g_test_add ("/db/open/refuses-newer-schema", Fixture, NULL, fixture_set_up,
              test_refuses_newer_schema, fixture_tear_down);
  g_test_add ("/db/open/not-a-database", Fixture, NULL, fixture_set_up, test_not_a_database,
              fixture_tear_down);

  return g_test_run ();
}
