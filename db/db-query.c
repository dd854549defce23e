/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-query.c: building the auditor's queries; pages and counts. */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "db-chain.h"
#include "db-query-private.h"

#define MAX_PAGE 10000

/* The SQL of one filter; values go into values (bound in order, texts as
 * texts and integers as integers) or, for the shell, into the text itself
 * as literals. */
typedef struct {
  gboolean is_int;
  gint64 number;
  char *text;
} Value;

typedef struct {
  GString *sql;
  GArray *values; /* Value */
  gboolean literal;
} Query;

static void
value_clear (Value *v)
{
  g_free (v->text);
}

static void
query_init (Query *q, gboolean literal)
{
  q->sql = g_string_new (NULL);
  q->values = g_array_new (FALSE, TRUE, sizeof (Value));
  g_array_set_clear_func (q->values, (GDestroyNotify) value_clear);
  q->literal = literal;
}

static void
query_clear (Query *q)
{
  if (q->sql != NULL)
    g_string_free (q->sql, TRUE);
  g_clear_pointer (&q->values, g_array_unref);
}

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
      Value v = { FALSE, 0, g_strdup (value) };

      g_string_append_c (q->sql, '?');
      g_array_append_val (q->values, v);
    }
}

/* An integer is bound as one: a text would compare as a text. */
static void
add_int (Query *q, gint64 number)
{
  if (q->literal)
    g_string_append_printf (q->sql, "%" G_GINT64_FORMAT, number);
  else
    {
      Value v = { TRUE, number, NULL };

      g_string_append_c (q->sql, '?');
      g_array_append_val (q->values, v);
    }
}

static void
bind_values (DbStmt *stmt, const Query *q)
{
  for (guint i = 0; i < q->values->len; i++)
    {
      const Value *v = &g_array_index (q->values, Value, i);

      if (v->is_int)
        sqlite3_bind_int64 (stmt, i + 1, v->number);
      else
        db_bind_text (stmt, i + 1, v->text);
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

/* cursor_at: the time of the row cursor_seq, after which the page starts,
 * or NULL; ordered: rows in order (pages, exports), not only counted. */
static void
build (Query *q, const char *select, const DbAuditFilter *f, DbOrder order, const char *cursor_at,
       gint64 cursor_seq, gboolean ordered, guint limit)
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
  /* "+seq": a condition on the index entries, never a reason to walk the
   * table by its key instead of the filter's index in time order. */
  if (f->through_seq != 0)
    {
      g_string_append (q->sql, " AND +seq <= ");
      add_int (q, f->through_seq);
    }
  if (cursor_at != NULL)
    {
      g_string_append_printf (q->sql, " AND (at, seq) %s (", newest ? "<" : ">");
      add_value (q, cursor_at);
      g_string_append (q->sql, ", ");
      add_int (q, cursor_seq);
      g_string_append (q->sql, ")");
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

/* The statement of q, its values bound. */
static DbStmt *
query_stmt (DbDatabase *db, const Query *q, GError **error)
{
  DbStmt *stmt = db_stmt (db, q->sql->str, error);

  if (stmt != NULL)
    bind_values (stmt, q);
  return stmt;
}

static DbStmt *
prepare (DbDatabase *db, const char *select, const DbAuditFilter *filter, DbOrder order,
         gint64 after_seq, guint limit, GError **error)
{
  g_autofree char *at = NULL;
  Query q;
  DbStmt *stmt;

  if (after_seq > 0 && !cursor_time (db, after_seq, &at, error))
    return NULL;
  query_init (&q, FALSE);
  build (&q, select, filter, order, at, after_seq, TRUE, limit);
  stmt = query_stmt (db, &q, error);
  query_clear (&q);
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
  Query q;
  char *sql;

  query_init (&q, TRUE);
  build (&q, "SELECT seq, " DB_CHAIN_COLUMNS, filter, order, NULL, 0, TRUE, limit);
  sql = g_string_free (g_steal_pointer (&q.sql), FALSE);
  query_clear (&q);
  return sql;
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

/* Runs "SELECT count(*) FROM (inner)"; q holds the inner query. */
static gboolean
count_query (DbDatabase *db, Query *q, gint64 *count, GError **error)
{
  g_autofree char *inner = g_string_free (g_steal_pointer (&q->sql), FALSE);
  g_autoptr (DbStmt) stmt = NULL;

  q->sql = g_string_new (NULL);
  g_string_printf (q->sql, "SELECT count(*) FROM (%s) AS matching", inner);
  stmt = query_stmt (db, q, error);
  return stmt != NULL
         && db_query_int64 (db, stmt, count, _ ("Could not count the audit log"), error);
}

gboolean
db_audit_count (DbDatabase *db, const DbAuditFilter *filter, gint64 cap, gint64 *count,
                GError **error)
{
  static const DbAuditFilter all = { 0 };
  Query q;
  gboolean ok;

  g_return_val_if_fail (db != NULL && count != NULL, FALSE);
  g_return_val_if_fail (cap >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  query_init (&q, FALSE);
  build (&q, "SELECT 1", filter != NULL ? filter : &all, DB_ORDER_OLDEST_FIRST, NULL, 0, FALSE, 0);
  if (cap > 0)
    g_string_append_printf (q.sql, " LIMIT %" G_GINT64_FORMAT, cap);
  ok = count_query (db, &q, count, error);
  query_clear (&q);
  return ok;
}

gboolean
db_audit_seek (DbDatabase *db, const DbAuditFilter *filter, DbOrder order, gint64 offset,
               gint64 *seq, GError **error)
{
  static const DbAuditFilter all = { 0 };
  g_autoptr (DbStmt) stmt = NULL;
  Query q;

  g_return_val_if_fail (db != NULL && seq != NULL, FALSE);
  g_return_val_if_fail (offset >= 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  query_init (&q, FALSE);
  build (&q, "SELECT seq", filter != NULL ? filter : &all, order, NULL, 0, TRUE, 1);
  g_string_append (q.sql, " OFFSET ");
  add_int (&q, offset);
  stmt = query_stmt (db, &q, error);
  query_clear (&q);
  return stmt != NULL && db_query_int64 (db, stmt, seq, _ ("Could not read the audit log"), error);
}

gboolean
db_audit_position (DbDatabase *db, const DbAuditFilter *filter, DbOrder order, gint64 seq,
                   gint64 *position, gboolean *matches, GError **error)
{
  static const DbAuditFilter all = { 0 };
  const char *what = _ ("Could not read the audit log");
  g_autofree char *at = NULL;
  gint64 n = 0;
  gboolean ok;
  Query q;

  g_return_val_if_fail (db != NULL && position != NULL && matches != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (filter == NULL)
    filter = &all;
  if (!db_tx_begin_read (db, what, error))
    return FALSE;
  ok = cursor_time (db, seq, &at, error);
  if (ok)
    {
      /* The rows before it in this order are the rows after it in the other. */
      query_init (&q, FALSE);
      build (&q, "SELECT 1", filter,
             order == DB_ORDER_NEWEST_FIRST ? DB_ORDER_OLDEST_FIRST : DB_ORDER_NEWEST_FIRST, at,
             seq, FALSE, 0);
      ok = count_query (db, &q, position, error);
      query_clear (&q);
    }
  if (ok)
    {
      query_init (&q, FALSE);
      build (&q, "SELECT 1", filter, order, NULL, 0, FALSE, 0);
      g_string_append (q.sql, " AND seq = ");
      add_int (&q, seq);
      ok = count_query (db, &q, &n, error);
      query_clear (&q);
      *matches = n > 0;
    }
  if (ok)
    return db_tx_commit (db, what, error);
  db_tx_rollback (db);
  return FALSE;
}

void
db_audit_total_free (DbAuditTotal *total)
{
  if (total == NULL)
    return;
  g_free (total->key);
  g_free (total->name);
  g_free (total);
}

static gpointer
total_from_stmt (DbStmt *stmt)
{
  DbAuditTotal *t = g_new0 (DbAuditTotal, 1);

  t->key = db_column_dup (stmt, 0);
  t->name = db_column_dup (stmt, 1);
  t->rows = sqlite3_column_int64 (stmt, 2);
  t->ok = sqlite3_column_int64 (stmt, 3);
  t->refused = sqlite3_column_int64 (stmt, 4);
  t->failed = sqlite3_column_int64 (stmt, 5);
  return t;
}

GPtrArray *
db_audit_totals (DbDatabase *db, const DbAuditFilter *filter, DbAuditGroup group, GError **error)
{
  static const DbAuditFilter all = { 0 };
  const char *key = group == DB_AUDIT_BY_OPERATOR ? "operator_serial" : "action";
  g_autofree char *select = NULL;
  g_autoptr (DbStmt) stmt = NULL;
  Query q;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  select = g_strdup_printf ("SELECT %s, %s, count(*), "
                            "sum(CASE WHEN outcome = 'ok' THEN 1 ELSE 0 END), "
                            "sum(CASE WHEN outcome = 'refused' THEN 1 ELSE 0 END), "
                            "sum(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END)",
                            key, group == DB_AUDIT_BY_OPERATOR ? "max(operator_name)" : "''");
  query_init (&q, FALSE);
  build (&q, select, filter != NULL ? filter : &all, DB_ORDER_OLDEST_FIRST, NULL, 0, FALSE, 0);
  g_string_append_printf (q.sql, " GROUP BY %s ORDER BY count(*) DESC, %s", key, key);
  stmt = query_stmt (db, &q, error);
  query_clear (&q);
  if (stmt == NULL)
    return NULL;
  return db_collect (db, stmt, total_from_stmt, (GDestroyNotify) db_audit_total_free,
                     _ ("Could not count the audit log"), error);
}
