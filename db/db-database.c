/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-database.c: opening the file, its migrations and mode, backups.
 *
 * The one file that speaks to SQLite as SQLite (pragmas, the backup API,
 * sqlite_schema); the other files use portable SQL through db-sqlite.c.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "db-private.h"

/* PRAGMA application_id: "ICRD", so that `file` and SQLite tools can tell
 * an insucard database from any other SQLite file. */
#define APPLICATION_ID 0x49435244

#define DEFAULT_BUSY_TIMEOUT_MS 5000

static gboolean
exec (DbDatabase *db, const char *sql, const char *what, GError **error)
{
  int rc = sqlite3_exec (db->handle, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      db_set_error (db, error, rc, what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_int (DbDatabase *db, const char *sql, gint64 *value, GError **error)
{
  g_autoptr (DbStmt) stmt = db_stmt (db, sql, error);

  return stmt != NULL && db_query_int64 (db, stmt, value, _ ("Could not read the database"), error);
}

const char *
db_mode_to_string (DbMode mode)
{
  switch (mode)
    {
    case DB_MODE_PRODUCTION:
      return "production";
    case DB_MODE_TRAINING:
      return "training";
    case DB_MODE_ANY:
    default:
      return "";
    }
}

static DbMode
mode_from_string (const char *text)
{
  if (g_strcmp0 (text, "production") == 0)
    return DB_MODE_PRODUCTION;
  if (g_strcmp0 (text, "training") == 0)
    return DB_MODE_TRAINING;
  return DB_MODE_ANY;
}

static gboolean
read_mode (DbDatabase *db, DbMode *mode, GError **error)
{
  g_autoptr (DbStmt) stmt = db_stmt (db, "SELECT value FROM meta WHERE key = 'mode'", error);
  int rc;

  *mode = DB_MODE_ANY;
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *mode = mode_from_string ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    {
      db_set_error (db, error, rc, _ ("Could not read the database"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_mode (DbDatabase *db, DbMode expected, GError **error)
{
  if (expected == DB_MODE_ANY || db->mode == DB_MODE_ANY || db->mode == expected)
    return TRUE;
  if (db->mode == DB_MODE_PRODUCTION)
    g_set_error (error, DB_ERROR, DB_ERROR_MODE,
                 _ ("“%s” is the database of a real desk; training never opens it. Start "
                    "training with its own database (the default in training mode)."),
                 db->path);
  else
    g_set_error (error, DB_ERROR, DB_ERROR_MODE,
                 _ ("“%s” is a training database; a real desk cannot work on it. Point insucard "
                    "at the desk's own database."),
                 db->path);
  return FALSE;
}

static gboolean
record_mode (DbDatabase *db, DbMode mode, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;

  if (db->read_only || db->mode != DB_MODE_ANY || mode == DB_MODE_ANY)
    return TRUE;
  stmt = db_stmt (db,
                  "INSERT INTO meta (key, value) VALUES ('mode', ?) "
                  "ON CONFLICT (key) DO NOTHING",
                  error);
  if (stmt == NULL)
    return FALSE;
  db_bind_text (stmt, 1, db_mode_to_string (mode));
  if (!db_step_done (db, stmt, _ ("Could not prepare the database"), error))
    return FALSE;
  g_clear_pointer (&stmt, db_stmt_release);
  /* Another program may have recorded it first: believe the file. */
  return read_mode (db, &db->mode, error) && check_mode (db, mode, error);
}

/* Our file, an older one of ours (version 1 had no application id), or an
 * empty one; anything else is another program's database. */
static gboolean
check_identity (DbDatabase *db, gint64 version, GError **error)
{
  gint64 app_id = 0, objects = 0;

  if (!read_int (db, "PRAGMA application_id", &app_id, error))
    return FALSE;
  if (app_id == APPLICATION_ID || (app_id == 0 && version >= 1))
    return TRUE;
  if (app_id == 0 && !read_int (db, "SELECT count(*) FROM sqlite_schema", &objects, error))
    return FALSE;
  if (app_id == 0 && objects == 0)
    return TRUE;
  g_set_error (error, DB_ERROR, DB_ERROR_CORRUPT,
               _ ("“%s” is a database of another program, not insucard's. Check the path."),
               db->path);
  return FALSE;
}

static gboolean
backup_to (DbDatabase *db, const char *dest, GError **error)
{
  g_autofree char *part = g_strconcat (dest, ".part", NULL);
  const char *what = _ ("Could not back up the database");
  sqlite3 *out = NULL;
  sqlite3_backup *backup;
  int rc;

  g_unlink (part);
  rc = sqlite3_open_v2 (part, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (out, "main", db->handle, "main");
      if (backup == NULL)
        rc = sqlite3_errcode (out);
      else
        {
          do
            {
              rc = sqlite3_backup_step (backup, -1);
              if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
                sqlite3_sleep (50);
            }
          while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
          sqlite3_backup_finish (backup);
          if (rc == SQLITE_DONE)
            rc = sqlite3_errcode (out);
        }
    }
  if (rc != SQLITE_OK)
    {
      /* Names the backup file, not the database, in the message. */
      DbDatabase target = { .path = (char *) dest, .busy_timeout_ms = db->busy_timeout_ms };

      sqlite3_close (out);
      g_unlink (part);
      db_set_error (&target, error, rc, what);
      return FALSE;
    }
  rc = sqlite3_close (out);
  if (rc != SQLITE_OK || g_rename (part, dest) != 0)
    {
      int saved = errno;

      g_unlink (part);
      g_set_error (error, DB_ERROR, DB_ERROR_FAILED, "%s: %s", what, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
db_database_backup (DbDatabase *db, const char *dest, GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (dest != NULL && *dest != '\0', FALSE);

  if (g_file_test (dest, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, DB_ERROR, DB_ERROR_EXISTS,
                   _ ("“%s” already exists. Choose a new file name: a backup never overwrites a "
                      "file."),
                   dest);
      return FALSE;
    }
  return backup_to (db, dest, error);
}

/* All pending migrations in one transaction, version re-read under the
 * write lock in case another program upgraded the file meanwhile. */
static gboolean
migrate (DbDatabase *db, GError **error)
{
  const char *what = _ ("Could not upgrade the database");
  g_autofree char *stamp = NULL;
  gint64 version = 0;

  if (!db_tx_begin (db, what, error))
    return FALSE;
  if (!read_int (db, "PRAGMA user_version", &version, error))
    goto fail;
  for (gint64 i = version; i < db_schema_n_migrations; i++)
    if (!exec (db, db_schema_migrations[i], what, error))
      goto fail;
  stamp = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;", APPLICATION_ID,
                           DB_SCHEMA_VERSION);
  if (!exec (db, stamp, what, error))
    goto fail;
  return db_tx_commit (db, what, error);

fail:
  db_tx_rollback (db);
  return FALSE;
}

static gboolean
upgrade (DbDatabase *db, gint64 version, GError **error)
{
  g_autofree char *bak = NULL;

  if (version >= DB_SCHEMA_VERSION)
    return TRUE;
  if (db->read_only)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_READ_ONLY,
                   _ ("“%s” was written by an older insucard and must be upgraded first. Open it "
                      "once with write access (the desk does this on start)."),
                   db->path);
      return FALSE;
    }
  /* A file with content is copied first: the copy is the way back. */
  if (version >= 1)
    {
      bak = g_strdup_printf ("%s.bak-v%d", db->path, (int) version);
      if (!backup_to (db, bak, error))
        return FALSE;
    }
  return migrate (db, error);
}

static int
open_handle (DbDatabase *db, DbOpenFlags flags, gboolean immutable)
{
  int sqlite_flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  g_autofree char *uri = NULL;
  int rc;

  if (flags & DB_OPEN_READ_ONLY)
    sqlite_flags |= SQLITE_OPEN_READONLY;
  else
    sqlite_flags |= SQLITE_OPEN_READWRITE | ((flags & DB_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
  if (immutable)
    {
      g_autofree char *absolute = g_canonicalize_filename (db->path, NULL);
      g_autofree char *base = g_filename_to_uri (absolute, NULL, NULL);

      uri = g_strconcat (base, "?immutable=1", NULL);
    }
  else
    /* A plain path: "file:" would otherwise be read as a URI. */
    uri = g_str_has_prefix (db->path, "file:") ? g_strconcat ("./", db->path, NULL)
                                               : g_strdup (db->path);
  rc = sqlite3_open_v2 (uri, &db->handle, sqlite_flags, NULL);
  if (rc == SQLITE_OK)
    sqlite3_extended_result_codes (db->handle, 1);
  return rc;
}

/* A WAL file on read-only media cannot get its -shm; when no WAL content
 * is pending, reading it as immutable is exact. */
static gboolean
wal_is_empty (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st;

  return g_stat (wal, &st) != 0 || st.st_size == 0;
}

static gboolean
open_connection (DbDatabase *db, DbOpenFlags flags, gint64 *version, GError **error)
{
  const char *what = _ ("Could not open the database");
  int rc = open_handle (db, flags, FALSE);

  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db->handle, db->busy_timeout_ms);
      if (!db->read_only && sqlite3_db_readonly (db->handle, "main") == 1)
        {
          g_set_error (error, DB_ERROR, DB_ERROR_READ_ONLY,
                       _ ("%s: “%s” cannot be written (a read-only file, folder or disk). Ask the "
                          "administrator to make it writable; nothing was changed."),
                       what, db->path);
          return FALSE;
        }
      rc = sqlite3_exec (db->handle, "PRAGMA user_version", NULL, NULL, NULL);
      if ((rc & 0xff) == SQLITE_CANTOPEN && db->read_only && wal_is_empty (db->path))
        {
          sqlite3_close (db->handle);
          db->handle = NULL;
          rc = open_handle (db, flags, TRUE);
        }
    }
  if (rc != SQLITE_OK)
    {
      db_set_error (db, error, rc, what);
      return FALSE;
    }
  if (!read_int (db, "PRAGMA user_version", version, error))
    return FALSE;
  if (!db->read_only
      && !exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;", what, error))
    return FALSE;
  return exec (db, "PRAGMA foreign_keys = ON;", what, error);
}

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static DbDatabase *
open_database (const char *path, DbMode mode, DbOpenFlags flags, int busy_timeout_ms,
               GError **error)
{
  g_autoptr (DbDatabase) db = g_new0 (DbDatabase, 1);
  gint64 version = 0;

  db->path = g_strdup (path);
  db->read_only = (flags & DB_OPEN_READ_ONLY) != 0;
  db->busy_timeout_ms = busy_timeout_ms;
  db->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_stmt);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (!(flags & DB_OPEN_CREATE))
        {
          g_set_error (error, DB_ERROR, DB_ERROR_OPEN,
                       _ ("There is no insucard database at “%s”. Check the path."), path);
          return NULL;
        }
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, DB_ERROR, DB_ERROR_OPEN,
                       _ ("Could not create the folder “%s” for the database: %s. Check that "
                          "this account may write there."),
                       dir, g_strerror (saved));
          return NULL;
        }
    }

  if (!open_connection (db, flags, &version, error) || !check_identity (db, version, error))
    return NULL;
  if (version > DB_SCHEMA_VERSION)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_TOO_NEW,
                   _ ("“%s” was written by a newer insucard (schema %d; this one knows up to %d). "
                      "Update insucard on this desk; the file was not changed."),
                   path, (int) version, DB_SCHEMA_VERSION);
      return NULL;
    }
  /* The mode is checked before any upgrade: training never touches a
   * production file, not even to upgrade it. */
  if (version >= 1 && (!read_mode (db, &db->mode, error) || !check_mode (db, mode, error)))
    return NULL;
  if (!upgrade (db, version, error) || !record_mode (db, mode, error))
    return NULL;
  db->opened = TRUE;
  return g_steal_pointer (&db);
}

DbDatabase *
db_database_open (const char *path, DbMode mode, DbOpenFlags flags, GError **error)
{
  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (!(flags & DB_OPEN_CREATE) || mode != DB_MODE_ANY, NULL);
  g_return_val_if_fail (!((flags & DB_OPEN_CREATE) && (flags & DB_OPEN_READ_ONLY)), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return open_database (path, mode, flags, DEFAULT_BUSY_TIMEOUT_MS, error);
}

DbDatabase *
db_database_open_sibling (DbDatabase *db, GError **error)
{
  g_return_val_if_fail (db != NULL, NULL);

  return open_database (db->path, db->mode, db->read_only ? DB_OPEN_READ_ONLY : DB_OPEN_DEFAULT,
                        db->busy_timeout_ms, error);
}

void
db_database_close (DbDatabase *db)
{
  if (db == NULL)
    return;
  while (db->tx_depth > 0)
    db_tx_rollback (db);
  g_clear_pointer (&db->statements, g_hash_table_unref);
  /* Only a file we accepted: a refused one is left exactly as it was. */
  if (db->opened && !db->read_only)
    {
      /* Keeps the planner's statistics fresh as the log grows (SQLite's
       * advice for long-lived connections); never waits for a lock. */
      sqlite3_busy_timeout (db->handle, 0);
      sqlite3_exec (db->handle, "PRAGMA analysis_limit = 1000; PRAGMA optimize;", NULL, NULL, NULL);
    }
  sqlite3_close (db->handle);
  g_free (db->path);
  g_free (db);
}

const char *
db_database_get_path (DbDatabase *db)
{
  g_return_val_if_fail (db != NULL, NULL);
  return db->path;
}

DbMode
db_database_get_mode (DbDatabase *db)
{
  g_return_val_if_fail (db != NULL, DB_MODE_ANY);
  return db->mode;
}

gboolean
db_database_is_read_only (DbDatabase *db)
{
  g_return_val_if_fail (db != NULL, TRUE);
  return db->read_only;
}

int
db_database_get_schema_version (DbDatabase *db)
{
  gint64 version = -1;

  g_return_val_if_fail (db != NULL, -1);
  if (!read_int (db, "PRAGMA user_version", &version, NULL))
    return -1;
  return (int) version;
}

void
db_database_set_busy_timeout (DbDatabase *db, int milliseconds)
{
  g_return_if_fail (db != NULL);
  g_return_if_fail (milliseconds >= 0);

  db->busy_timeout_ms = milliseconds;
  sqlite3_busy_timeout (db->handle, milliseconds);
}

int
db_database_get_busy_timeout (DbDatabase *db)
{
  g_return_val_if_fail (db != NULL, 0);
  return db->busy_timeout_ms;
}

gboolean
db_database_begin (DbDatabase *db, GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (db->tx_depth == 0, FALSE);

  return db_tx_begin (db, _ ("Could not start saving"), error);
}

gboolean
db_database_commit (DbDatabase *db, GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);

  if (db->tx_depth == 0)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_FAILED,
                   _ ("The changes were not saved: the database undid them after an error. "
                      "Do the work again."));
      return FALSE;
    }
  return db_tx_commit (db, _ ("Could not save the changes"), error);
}

void
db_database_rollback (DbDatabase *db)
{
  g_return_if_fail (db != NULL);

  if (db->tx_depth > 0)
    db_tx_rollback (db);
}

gboolean
db_database_analyze (DbDatabase *db, GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);

  return db_check_writable (db, error)
         && exec (db, "ANALYZE;", _ ("Could not update the database's statistics"), error);
}

gboolean
db_audit_guards_present (DbDatabase *db, gboolean *present, GError **error)
{
  gint64 n = 0;

  if (!read_int (db,
                 "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name IN "
                 "('audit_log_no_update', 'audit_log_no_delete', 'audit_seal_no_update', "
                 "'audit_seal_no_delete')",
                 &n, error))
    return FALSE;
  *present = n == 4;
  return TRUE;
}
