/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-query.c: building the auditor's queries; pages and counts. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "db-chain.h"
#include "db-query-private.h"

#define MAX_PAGE 10000

/* The SQL of one filter; values go into texts (bound in order) or, for
 * the shell, into the text itself as quoted literals. */
typedef struct {
  GString *sql;
  GPtrArray *texts;
  gboolean literal;
} Query;

static void
add_value (Query *q, const char *value)
{
  if (q->literal)
    {
      char *quoted = sqlite3_mprintf ("%Q", value);

      g_string_append (q->sql, quoted);
      sqlite3_free (quoted);
    }
  else
    {
      g_string_append_c (q->sql, '?');
      g_ptr_array_add (q->texts, g_strdup (value));
    }
}

/* column = value; for the subject columns also column <> '', the
 * condition of their partial indexes, so that the planner may use them. */
static void
add_equal (Query *q, const char *column, const char *value, gboolean partial)
{
  if (value == NULL || *value == '\0')
    return;
  g_string_append_printf (q->sql, " AND %s = ", column);
  add_value (q, value);
  if (partial)
    g_string_append_printf (q->sql, " AND %s <> ''", column);
}

static void
add_time (Query *q, const char *op, GDateTime *t)
{
  g_autofree char *text = NULL;

  if (t == NULL)
    return;
  text = db_time_format (t);
  g_string_append_printf (q->sql, " AND at %s ", op);
  add_value (q, text);
}

/* cursor_at: the time of the row after which the page starts, or NULL;
 * ordered: rows in order (pages, exports), not only counted. */
static void
build (Query *q, const char *select, const DbAuditFilter *f, DbOrder order, const char *cursor_at,
       gboolean ordered, guint limit)
{
  gboolean newest = order == DB_ORDER_NEWEST_FIRST;

  g_string_append_printf (q->sql, "%s FROM audit_log WHERE 1 = 1", select);
  add_equal (q, "operator_serial", f->operator_serial, FALSE);
  add_equal (q, "workstation", f->workstation, FALSE);
  add_equal (q, "action", db_action_to_string (f->action), FALSE);
  add_equal (q, "outcome", db_outcome_to_string (f->outcome), FALSE);
  add_equal (q, "card_number", f->card_number, TRUE);
  add_equal (q, "card_sn", f->card_sn, TRUE);
  add_equal (q, "holder_id", f->holder_id, TRUE);
  add_time (q, ">=", f->since);
  add_time (q, "<", f->until);
  if (cursor_at != NULL)
    {
      g_string_append_printf (q->sql, " AND (at, seq) %s (", newest ? "<" : ">");
      add_value (q, cursor_at);
      g_string_append (q->sql, ", ?)");
    }
  if (ordered)
    g_string_append (q->sql, newest ? " ORDER BY at DESC, seq DESC" : " ORDER BY at, seq");
  if (limit > 0)
    g_string_append_printf (q->sql, " LIMIT %u", limit);
}

static gboolean
cursor_time (DbDatabase *db, gint64 seq, char **at, GError **error)
{
  g_autoptr (DbStmt) stmt = db_stmt (db, "SELECT at FROM audit_log WHERE seq = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *at = db_column_dup (stmt, 0);
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    {
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, seq);

      g_set_error (error, DB_ERROR, DB_ERROR_NOT_FOUND,
                   _ ("The log has no row %s to continue after."), n);
    }
  else
    db_set_error (db, error, rc, _ ("Could not read the audit log"));
  return FALSE;
}

static DbStmt *
prepare (DbDatabase *db, const char *select, const DbAuditFilter *filter, DbOrder order,
         gint64 after_seq, guint limit, GError **error)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *at = NULL;
  Query q = { sql, texts, FALSE };
  DbStmt *stmt;

  if (after_seq > 0 && !cursor_time (db, after_seq, &at, error))
    return NULL;
  build (&q, select, filter, order, at, TRUE, limit);
  stmt = db_stmt (db, sql->str, error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < texts->len; i++)
    db_bind_text (stmt, i + 1, texts->pdata[i]);
  if (at != NULL)
    sqlite3_bind_int64 (stmt, texts->len + 1, after_seq);
  return stmt;
}

DbStmt *
db_audit_select (DbDatabase *db, const DbAuditFilter *filter, DbOrder order, gint64 after_seq,
                 guint limit, GError **error)
{
  return prepare (db, "SELECT seq, " DB_CHAIN_COLUMNS, filter, order, after_seq, limit, error);
}

char *
db_audit_query_sql_literal (const DbAuditFilter *filter, DbOrder order, guint limit)
{
  Query q = { g_string_new (NULL), NULL, TRUE };

  build (&q, "SELECT seq, " DB_CHAIN_COLUMNS, filter, order, NULL, TRUE, limit);
  return g_string_free (q.sql, FALSE);
}

DbAuditRow *
db_audit_row_from_stmt (DbStmt *stmt)
{
  DbAuditRow *row = g_new0 (DbAuditRow, 1);
  char **fields[DB_CHAIN_N_FIELDS] = {
    &row->at,        &row->workstation, &row->operator_serial, &row->operator_name,
    &row->role,      &row->action,      &row->card_sn,         &row->card_number,
    &row->holder_id, &row->outcome,     &row->error_code,      &row->detail,
  };

  row->seq = sqlite3_column_int64 (stmt, 0);
  for (int i = 0; i < DB_CHAIN_N_FIELDS; i++)
    *fields[i] = db_column_dup (stmt, i + 1);
  return row;
}

void
db_audit_row_free (DbAuditRow *row)
{
  if (row == NULL)
    return;
  g_free (row->at);
  g_free (row->workstation);
  g_free (row->operator_serial);
  g_free (row->operator_name);
  g_free (row->role);
  g_free (row->action);
  g_free (row->card_sn);
  g_free (row->card_number);
  g_free (row->holder_id);
  g_free (row->outcome);
  g_free (row->error_code);
  g_free (row->detail);
  g_free (row);
}

GPtrArray *
db_audit_query (DbDatabase *db, const DbAuditFilter *filter, DbOrder order, gint64 after_seq,
                guint limit, GError **error)
{
  static const DbAuditFilter all = { 0 };
  g_autoptr (DbStmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (limit > 0 && limit <= MAX_PAGE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = db_audit_select (db, filter != NULL ? filter : &all, order, after_seq, limit, error);
  if (stmt == NULL)
    return NULL;
  return db_collect (db, stmt, (DbRowFunc) db_audit_row_from_stmt,
                     (GDestroyNotify) db_audit_row_free, _ ("Could not read the audit log"), error);
}

gboolean
db_audit_count (DbDatabase *db, const DbAuditFilter *filter, gint64 cap, gint64 *count,
                GError **error)
{
  static const DbAuditFilter all = { 0 };
  g_autoptr (GString) inner = g_string_new (NULL);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (DbStmt) stmt = NULL;
  g_autofree char *sql = NULL;
  Query q = { inner, texts, FALSE };

  g_return_val_if_fail (db != NULL && count != NULL, FALSE);
  g_return_val_if_fail (cap >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  build (&q, "SELECT 1", filter != NULL ? filter : &all, DB_ORDER_OLDEST_FIRST, NULL, FALSE, 0);
  if (cap > 0)
    g_string_append_printf (inner, " LIMIT %" G_GINT64_FORMAT, cap);
  sql = g_strdup_printf ("SELECT count(*) FROM (%s) AS matching", inner->str);
  stmt = db_stmt (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < texts->len; i++)
    db_bind_text (stmt, i + 1, texts->pdata[i]);
  return db_query_int64 (db, stmt, count, _ ("Could not count the audit log"), error);
}
