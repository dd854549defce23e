/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-sqlite.c: the small tools every db/ file uses on a connection:
 * cached prepared statements, stepping, transactions, timestamps. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "db-private.h"

DbStmt *
db_stmt (DbDatabase *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (db->statements, sql);
  int rc;

  if (stmt != NULL)
    return stmt;
  rc = sqlite3_prepare_v3 (db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      db_set_error (db, error, rc, _ ("Could not read the database"));
      return NULL;
    }
  g_hash_table_insert (db->statements, g_strdup (sql), stmt);
  return stmt;
}

void
db_stmt_release (DbStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

void
db_bind_text (DbStmt *stmt, int index, const char *text)
{
  sqlite3_bind_text (stmt, index, text != NULL ? text : "", -1, SQLITE_TRANSIENT);
}

char *
db_column_dup (DbStmt *stmt, int column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return g_strdup (text != NULL ? text : "");
}

gboolean
db_step_done (DbDatabase *db, DbStmt *stmt, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      db_set_error (db, error, rc, what);
      return FALSE;
    }
  return TRUE;
}

gboolean
db_query_int64 (DbDatabase *db, DbStmt *stmt, gint64 *value, const char *what, GError **error)
{
  int rc = sqlite3_step (stmt);

  *value = 0;
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      db_set_error (db, error, rc, what);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
db_collect (DbDatabase *db, DbStmt *stmt, DbRowFunc make, GDestroyNotify free_item,
            const char *what, GError **error)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (free_item);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, make (stmt));
  if (rc != SQLITE_DONE)
    {
      db_set_error (db, error, rc, what);
      return NULL;
    }
  return g_steal_pointer (&items);
}

static gboolean
exec_cached (DbDatabase *db, const char *sql, const char *what, GError **error)
{
  g_autoptr (DbStmt) stmt = db_stmt (db, sql, error);

  return stmt != NULL && db_step_done (db, stmt, what, error);
}

gboolean
db_check_writable (DbDatabase *db, GError **error)
{
  if (!db->read_only)
    return TRUE;
  g_set_error (error, DB_ERROR, DB_ERROR_READ_ONLY,
               _ ("The database “%s” was opened for reading only; nothing was changed."), db->path);
  return FALSE;
}

gboolean
db_tx_begin (DbDatabase *db, const char *what, GError **error)
{
  if (!db_check_writable (db, error))
    return FALSE;
  if (!exec_cached (db, db->tx_depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT db_nested", what, error))
    return FALSE;
  db->tx_depth++;
  return TRUE;
}

gboolean
db_tx_begin_read (DbDatabase *db, const char *what, GError **error)
{
  if (!exec_cached (db, db->tx_depth == 0 ? "BEGIN" : "SAVEPOINT db_nested", what, error))
    return FALSE;
  db->tx_depth++;
  return TRUE;
}

gboolean
db_tx_commit (DbDatabase *db, const char *what, GError **error)
{
  g_return_val_if_fail (db->tx_depth > 0, FALSE);

  if (!exec_cached (db, db->tx_depth == 1 ? "COMMIT" : "RELEASE db_nested", what, error))
    {
      db_tx_rollback (db);
      return FALSE;
    }
  db->tx_depth--;
  return TRUE;
}

void
db_tx_rollback (DbDatabase *db)
{
  g_return_if_fail (db->tx_depth > 0);

  /* Statements still stepping would keep the transaction open. */
  for (sqlite3_stmt *s = sqlite3_next_stmt (db->handle, NULL); s != NULL;
       s = sqlite3_next_stmt (db->handle, s))
    sqlite3_reset (s);
  if (db->tx_depth == 1)
    sqlite3_exec (db->handle, "ROLLBACK", NULL, NULL, NULL);
  else
    sqlite3_exec (db->handle, "ROLLBACK TO db_nested; RELEASE db_nested", NULL, NULL, NULL);
  db->tx_depth--;
  /* Some errors (disk full, I/O) make SQLite roll back the whole
   * transaction on its own: then no savepoint is left either. */
  if (sqlite3_get_autocommit (db->handle))
    db->tx_depth = 0;
}

char *
db_time_format (GDateTime *t)
{
  g_autoptr (GDateTime) utc = g_date_time_to_utc (t);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

char *
db_time_now (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();

  return db_time_format (now);
}
