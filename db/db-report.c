/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-report.c: issuing in numbers, from the registry (db-report.h). */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "db-private.h"
#include "db-report.h"

/* Open ends as bounds that every value passes: "" is before any text, and
 * no date or time of the schema sorts after "9". */
#define OPEN_SINCE ""
#define OPEN_UNTIL "9"

static char *
bound_time (GDateTime *t, const char *open)
{
  return t != NULL ? db_time_format (t) : g_strdup (open);
}

static char *
bound_date (GDateTime *t, const char *open)
{
  return t != NULL ? g_date_time_format (t, "%Y-%m-%d") : g_strdup (open);
}

void
db_issued_count_free (DbIssuedCount *count)
{
  if (count == NULL)
    return;
  g_free (count->key);
  g_free (count->name);
  g_free (count);
}

static gpointer
issued_from_stmt (DbStmt *stmt)
{
  DbIssuedCount *c = g_new0 (DbIssuedCount, 1);

  c->key = db_column_dup (stmt, 0);
  c->name = db_column_dup (stmt, 1);
  c->cards = sqlite3_column_int64 (stmt, 2);
  return c;
}

GPtrArray *
db_report_issued (DbDatabase *db, GDateTime *since, GDateTime *until, DbIssuedGroup group,
                  GError **error)
{
  /* Every card that was issued: "started" ones never were (yet). */
  static const char *const sql[] = {
    [DB_ISSUED_BY_DAY] = "SELECT issue_date, '', count(*) FROM insurance_card "
                         "WHERE status <> 'started' AND issue_date >= ? AND issue_date < ? "
                         "GROUP BY issue_date ORDER BY issue_date",
    [DB_ISSUED_BY_OPERATOR] = "SELECT issued_by_serial, max(issued_by_name), count(*) "
                              "FROM insurance_card "
                              "WHERE status <> 'started' AND issue_date >= ? AND issue_date < ? "
                              "GROUP BY issued_by_serial ORDER BY 3 DESC, 1",
    [DB_ISSUED_BY_OFFICE] = "SELECT coalesce(o.office_code, ''), '', count(*) "
                            "FROM insurance_card c LEFT JOIN cpu_card o "
                            "ON o.serial = c.issued_by_serial "
                            "WHERE c.status <> 'started' AND c.issue_date >= ? "
                            "AND c.issue_date < ? GROUP BY 1 ORDER BY 3 DESC, 1",
    [DB_ISSUED_BY_WORKSTATION] = "SELECT workstation, '', count(*) FROM insurance_card "
                                 "WHERE status <> 'started' AND issue_date >= ? "
                                 "AND issue_date < ? GROUP BY workstation ORDER BY 3 DESC, 1",
  };
  g_autofree char *from = bound_date (since, OPEN_SINCE);
  g_autofree char *to = bound_date (until, OPEN_UNTIL);
  g_autoptr (DbStmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (group <= DB_ISSUED_BY_WORKSTATION, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = db_stmt (db, sql[group], error);
  if (stmt == NULL)
    return NULL;
  db_bind_text (stmt, 1, from);
  db_bind_text (stmt, 2, to);
  return db_collect (db, stmt, issued_from_stmt, (GDestroyNotify) db_issued_count_free,
                     _ ("Could not read the card registry"), error);
}

void
db_card_change_free (DbCardChange *change)
{
  if (change == NULL)
    return;
  g_free (change->sn);
  g_free (change->card_number);
  g_free (change->holder_id);
  g_free (change->holder_name);
  g_free (change->status_changed_at);
  g_free (change->replaced_by_sn);
  g_free (change->replaced_by_number);
  g_free (change->replaced_at);
  g_free (change);
}

static gpointer
change_from_stmt (DbStmt *stmt)
{
  DbCardChange *c = g_new0 (DbCardChange, 1);
  g_autofree char *status = db_column_dup (stmt, 4);

  c->sn = db_column_dup (stmt, 0);
  c->card_number = db_column_dup (stmt, 1);
  c->holder_id = db_column_dup (stmt, 2);
  c->holder_name = db_column_dup (stmt, 3);
  c->status = db_card_status_from_string (status);
  c->status_changed_at = db_column_dup (stmt, 5);
  c->replaced_by_sn = db_column_dup (stmt, 6);
  c->replaced_by_number = db_column_dup (stmt, 7);
  c->replaced_at = db_column_dup (stmt, 8);
  return c;
}

GPtrArray *
db_report_lost_replaced (DbDatabase *db, GDateTime *since, GDateTime *until, GError **error)
{
  /* The journal has no index on replaces_sn; SQLite builds a transient one
   * for the join, once per query. */
  static const char *const sql =
      "SELECT c.sn, c.card_number, c.holder_id, coalesce(h.name, ''), c.status, "
      "c.status_changed_at, coalesce(j.sn, ''), coalesce(j.card_number, ''), "
      "coalesce(j.finished_at, '') "
      "FROM insurance_card c "
      "LEFT JOIN cardholder h ON h.id_number = c.holder_id "
      "LEFT JOIN issuance_journal j ON j.replaces_sn = c.sn AND j.state = 'completed' "
      "WHERE (c.status IN ('lost', 'withdrawn') AND c.status_changed_at >= ?1 "
      "AND c.status_changed_at < ?2) OR (j.finished_at >= ?1 AND j.finished_at < ?2) "
      "ORDER BY c.status_changed_at, c.sn, j.id";
  g_autofree char *from = bound_time (since, OPEN_SINCE);
  g_autofree char *to = bound_time (until, OPEN_UNTIL);
  g_autoptr (DbStmt) stmt = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GHashTable) seen = NULL;
  GPtrArray *once;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stmt = db_stmt (db, sql, error);
  if (stmt == NULL)
    return NULL;
  db_bind_text (stmt, 1, from);
  db_bind_text (stmt, 2, to);
  rows = db_collect (db, stmt, change_from_stmt, (GDestroyNotify) db_card_change_free,
                     _ ("Could not read the card registry"), error);
  if (rows == NULL)
    return NULL;
  /* Should two replacements name the same card, it is listed once, with
   * the first. */
  seen = g_hash_table_new (g_str_hash, g_str_equal);
  once = g_ptr_array_new_with_free_func ((GDestroyNotify) db_card_change_free);
  for (guint i = 0; i < rows->len; i++)
    {
      DbCardChange *c = rows->pdata[i];

      if (g_hash_table_contains (seen, c->sn))
        continue;
      g_hash_table_add (seen, c->sn);
      g_ptr_array_add (once, g_steal_pointer (&rows->pdata[i]));
    }
  return once;
}
