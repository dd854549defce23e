/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-error.c: SQLite result codes as DB_ERROR with what to do about them. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "db-private.h"

G_DEFINE_QUARK (insucard_db_error, db_error)

void
db_set_error (DbDatabase *db, GError **error, int rc, const char *what)
{
  const char *path = db != NULL && db->path != NULL ? db->path : "";
  const char *detail =
      db != NULL && db->handle != NULL ? sqlite3_errmsg (db->handle) : sqlite3_errstr (rc);
  g_autofree char *hint = NULL;
  DbError code = DB_ERROR_FAILED;

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      code = DB_ERROR_BUSY;
      hint = g_strdup_printf (
          _ ("Another program kept the database locked for more than %g seconds (another "
             "insucard, a backup or an sqlite3 shell). Close it and try again; nothing was "
             "changed."),
          (db != NULL ? db->busy_timeout_ms : 0) / 1000.0);
      break;
    case SQLITE_FULL:
      code = DB_ERROR_FULL;
      hint = g_strdup (_ ("The disk that holds the database is full. Free some space, then try "
                          "again; nothing was saved."));
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = DB_ERROR_CORRUPT;
      hint = g_strdup_printf (_ ("“%s” is not an insucard database, or it is damaged. Check the "
                                 "path; if it is the desk's database, ask the administrator to "
                                 "restore the last backup."),
                              path);
      break;
    case SQLITE_READONLY:
      code = DB_ERROR_READ_ONLY;
      hint = g_strdup_printf (_ ("“%s” cannot be written (a read-only file, folder or disk). "
                                 "Ask the administrator to make it writable; nothing was "
                                 "changed."),
                              path);
      break;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      code = DB_ERROR_OPEN;
      hint = g_strdup_printf (_ ("“%s” or its folder cannot be opened. Check that the folder "
                                 "exists and that this account may write to it."),
                              path);
      break;
    case SQLITE_IOERR:
      hint = g_strdup_printf (_ ("The disk reported an error on “%s”. Check the disk and try "
                                 "again; the last backup is the safe copy."),
                              path);
      break;
    case SQLITE_CONSTRAINT:
      code = DB_ERROR_REFUSED;
      hint = g_strdup (_ ("The database refused the change because it breaks one of its rules; "
                          "nothing was changed."));
      break;
    default:
      hint = g_strdup (_ ("Try again; if it keeps failing, make a support report."));
      break;
    }
  g_set_error (error, DB_ERROR, code, "%s: %s (SQLite: %s)", what, hint, detail);
}
