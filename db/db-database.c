/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-database.c: opening the database and running its migrations. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "db-database.h"

struct _DbDatabase {
  sqlite3 *handle;
};

G_DEFINE_QUARK (insucard_db_error, db_error)

/* Each entry moves the schema from version i to i + 1; never edit a
 * released entry, append a new one. */
static const char *const migrations[] = {
  /* 0 -> 1: bookkeeping of the desk itself. */
  "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "INSERT INTO meta (key, value) VALUES ('created', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));",
};

static void
set_error_from_sqlite (GError **error, sqlite3 *handle, int rc, const char *what)
{
  DbError code = DB_ERROR_FAILED;
  const char *hint = _ ("Try again; if it keeps failing, make a support report.");

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = DB_ERROR_BUSY;
      hint =
          _ ("Another program is using the database. Close other insucard windows and try again.");
      break;
    case SQLITE_FULL:
      code = DB_ERROR_FULL;
      hint = _ ("The disk is full. Free some space, then try again; nothing was saved.");
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = DB_ERROR_CORRUPT;
      hint = _ ("The database file is damaged. Restore it from the last backup.");
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      code = DB_ERROR_OPEN;
      hint = _ ("Check that the folder exists and that you may write to it.");
      break;
    default:
      break;
    }
  g_set_error (error, DB_ERROR, code, "%s: %s (%s). %s", what,
               handle ? sqlite3_errmsg (handle) : sqlite3_errstr (rc), sqlite3_errstr (rc), hint);
}

static gboolean
exec (DbDatabase *db, const char *sql, const char *what, GError **error)
{
  int rc = sqlite3_exec (db->handle, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_error_from_sqlite (error, db->handle, rc, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (DbDatabase *db, GError **error)
{
  int version = db_database_get_schema_version (db);
  int latest = G_N_ELEMENTS (migrations);

  if (version > latest)
    {
      g_set_error (
          error, DB_ERROR, DB_ERROR_TOO_NEW,
          _ ("The database was written by a newer insucard (schema %d, this one knows %d). "
             "Update insucard on this desk."),
          version, latest);
      return FALSE;
    }

  for (int i = version; i < latest; i++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d;", i + 1);

      /* One transaction per step: a failed step leaves the previous version intact. */
      if (!exec (db, "BEGIN IMMEDIATE;", _ ("Could not upgrade the database"), error))
        return FALSE;
      if (!exec (db, migrations[i], _ ("Could not upgrade the database"), error)
          || !exec (db, bump, _ ("Could not upgrade the database"), error)
          || !exec (db, "COMMIT;", _ ("Could not upgrade the database"), error))
        {
          sqlite3_exec (db->handle, "ROLLBACK;", NULL, NULL, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

DbDatabase *
db_database_open (const char *path, GError **error)
{
  g_autoptr (DbDatabase) db = g_new0 (DbDatabase, 1);
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  rc = sqlite3_open_v2 (path, &db->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_sqlite (error, db->handle, rc, _ ("Could not open the database"));
      return NULL;
    }
  sqlite3_busy_timeout (db->handle, 5000);

  if (!exec (db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;",
             _ ("Could not open the database"), error))
    return NULL;
  if (!migrate (db, error))
    return NULL;

  return g_steal_pointer (&db);
}

int
db_database_get_schema_version (DbDatabase *db)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int version = 0;

  g_return_val_if_fail (db != NULL, -1);

  if (sqlite3_prepare_v2 (db->handle, "PRAGMA user_version;", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  return version;
}

sqlite3 *
db_database_get_handle (DbDatabase *db)
{
  g_return_val_if_fail (db != NULL, NULL);
  return db->handle;
}

void
db_database_close (DbDatabase *db)
{
  if (db == NULL)
    return;
  sqlite3_close (db->handle);
  g_free (db);
}
