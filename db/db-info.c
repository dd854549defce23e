/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-info.c: counts of every table, in one read transaction. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "db-info.h"
#include "db-private.h"

static gboolean
count (DbDatabase *db, const char *sql, gint64 *n, GError **error)
{
  g_autoptr (DbStmt) stmt = db_stmt (db, sql, error);

  return stmt != NULL && db_query_int64 (db, stmt, n, _ ("Could not read the database"), error);
}

static gboolean
read_created (DbDatabase *db, DbInfo *info, GError **error)
{
  g_autoptr (DbStmt) stmt = db_stmt (db, "SELECT value FROM meta WHERE key = 'created'", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  info->created_at = rc == SQLITE_ROW ? db_column_dup (stmt, 0) : g_strdup ("");
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      db_set_error (db, error, rc, _ ("Could not read the database"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_counts (DbDatabase *db, DbInfo *info, GError **error)
{
  return read_created (db, info, error)
         && count (db, "SELECT count(*) FROM cardholder", &info->holders, error)
         && count (db, "SELECT count(*) FROM insurance_card", &info->cards, error)
         && count (db, "SELECT count(*) FROM insurance_card WHERE status = 'issued'",
                   &info->cards_issued, error)
         && count (db, "SELECT count(*) FROM insurance_card WHERE status = 'started'",
                   &info->issuances_open, error)
         && count (db, "SELECT count(*) FROM blacklist", &info->blacklist, error)
         && count (db, "SELECT count(*) FROM cpu_card", &info->cpu_cards, error)
         && count (db, "SELECT count(*) FROM batch", &info->batches, error)
         && db_audit_get_state (db, &info->audit, error);
}

gboolean
db_info_get (DbDatabase *db, DbInfo *info, GError **error)
{
  const char *what = _ ("Could not read the database");

  g_return_val_if_fail (db != NULL && info != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (info, 0, sizeof *info);
  info->path = g_strdup (db_database_get_path (db));
  info->schema_version = db_database_get_schema_version (db);
  info->mode = db_database_get_mode (db);
  if (!db_tx_begin_read (db, what, error))
    {
      db_info_clear (info);
      return FALSE;
    }
  if (!read_counts (db, info, error))
    {
      db_tx_rollback (db);
      db_info_clear (info);
      return FALSE;
    }
  return db_tx_commit (db, what, error);
}

void
db_info_clear (DbInfo *info)
{
  g_return_if_fail (info != NULL);

  g_free (info->path);
  g_free (info->created_at);
  db_audit_state_clear (&info->audit);
  memset (info, 0, sizeof *info);
}
