/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-batch.c: imported batches and their rows. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "db-batch.h"
#include "db-private.h"

#define BATCH_COLUMNS                                                                              \
  "id, source_name, source_sha256, row_count, imported_at, imported_by_serial, "                   \
  "imported_by_name, workstation"
#define ROW_COLUMNS                                                                                \
  "line_no, id_number, name, sex, ethnicity, birth_date, insurance_category, "                     \
  "employer_code, employer_name, region_code, phone, address, status, reason, card_sn, "           \
  "personal_number"

static const char *const row_statuses[] = { NULL, "pending", "bad", "issued", "skipped" };

const char *
db_batch_row_status_to_string (DbBatchRowStatus status)
{
  return status >= DB_BATCH_ROW_PENDING && status <= DB_BATCH_ROW_SKIPPED ? row_statuses[status]
                                                                          : NULL;
}

DbBatchRow *
db_batch_row_new (void)
{
  DbBatchRow *row = g_new0 (DbBatchRow, 1);

  row->holder = db_holder_new ();
  row->status = DB_BATCH_ROW_PENDING;
  return row;
}

void
db_batch_row_free (DbBatchRow *row)
{
  if (row == NULL)
    return;
  db_holder_free (row->holder);
  g_free (row->reason);
  g_free (row->card_sn);
  g_free (row);
}

void
db_batch_free (DbBatch *b)
{
  if (b == NULL)
    return;
  g_free (b->source_name);
  g_free (b->source_sha256);
  g_free (b->imported_at);
  g_free (b->imported_by_serial);
  g_free (b->imported_by_name);
  g_free (b->workstation);
  g_free (b);
}

static gboolean
insert_row (DbDatabase *db, gint64 batch_id, const DbBatchRow *row, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;
  const DbHolder *h = row->holder;
  const char *texts[] = {
    h->id_number,     h->name,          h->sex,
    h->ethnicity,     h->birth_date,    h->insurance_category,
    h->employer_code, h->employer_name, h->region_code,
    h->phone,         h->address,       db_batch_row_status_to_string (row->status),
    row->reason,      row->card_sn,     h->personal_number
  };

  stmt = db_stmt (db,
                  "INSERT INTO batch_row (batch_id, " ROW_COLUMNS ") "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  sqlite3_bind_int64 (stmt, 2, row->line_no);
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    db_bind_text (stmt, i + 3, texts[i]);
  return db_step_done (db, stmt, _ ("Could not store the batch"), error);
}

static gboolean
import_in_tx (DbDatabase *db, const char *name, const char *sha256, GPtrArray *rows,
              const DbActor *actor, gint64 *batch_id, GError **error)
{
  g_autoptr (DbStmt) seen =
      db_stmt (db, "SELECT count(*) FROM batch WHERE source_sha256 = ?", error);
  g_autoptr (DbStmt) stmt = NULL;
  g_autofree char *now = db_time_now ();
  gint64 n = 0, id;

  if (seen == NULL)
    return FALSE;
  db_bind_text (seen, 1, sha256);
  if (!db_query_int64 (db, seen, &n, _ ("Could not store the batch"), error))
    return FALSE;
  if (n > 0)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_EXISTS,
                   _ ("The file “%s” was imported before (the same content). Open that batch "
                      "instead of importing it again."),
                   name);
      return FALSE;
    }
  stmt = db_stmt (db,
                  "INSERT INTO batch (source_name, source_sha256, row_count, imported_at, "
                  "imported_by_serial, imported_by_name, workstation) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return FALSE;
  db_bind_text (stmt, 1, name);
  db_bind_text (stmt, 2, sha256);
  sqlite3_bind_int64 (stmt, 3, rows->len);
  db_bind_text (stmt, 4, now);
  db_bind_text (stmt, 5, actor->operator_serial);
  db_bind_text (stmt, 6, actor->operator_name);
  db_bind_text (stmt, 7, actor->workstation);
  if (!db_step_done (db, stmt, _ ("Could not store the batch"), error))
    return FALSE;
  id = sqlite3_last_insert_rowid (db->handle);
  for (guint i = 0; i < rows->len; i++)
    if (!insert_row (db, id, rows->pdata[i], error))
      return FALSE;
  if (batch_id != NULL)
    *batch_id = id;
  return TRUE;
}

gboolean
db_batch_import (DbDatabase *db, const char *source_name, const char *source_sha256,
                 GPtrArray *rows, const DbActor *actor, gint64 *batch_id, GError **error)
{
  const char *what = _ ("Could not store the batch");

  g_return_val_if_fail (db != NULL && source_name != NULL && source_sha256 != NULL, FALSE);
  g_return_val_if_fail (rows != NULL && actor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!db_tx_begin (db, what, error))
    return FALSE;
  if (!import_in_tx (db, source_name, source_sha256, rows, actor, batch_id, error))
    {
      db_tx_rollback (db);
      return FALSE;
    }
  return db_tx_commit (db, what, error);
}

static gpointer
batch_from_stmt (DbStmt *stmt)
{
  DbBatch *b = g_new0 (DbBatch, 1);

  b->id = sqlite3_column_int64 (stmt, 0);
  b->source_name = db_column_dup (stmt, 1);
  b->source_sha256 = db_column_dup (stmt, 2);
  b->row_count = sqlite3_column_int64 (stmt, 3);
  b->imported_at = db_column_dup (stmt, 4);
  b->imported_by_serial = db_column_dup (stmt, 5);
  b->imported_by_name = db_column_dup (stmt, 6);
  b->workstation = db_column_dup (stmt, 7);
  return b;
}

DbBatch *
db_batch_get (DbDatabase *db, gint64 batch_id, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = db_stmt (db, "SELECT " BATCH_COLUMNS " FROM batch WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return batch_from_stmt (stmt);
  if (rc == SQLITE_DONE)
    {
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, batch_id);

      g_set_error (error, DB_ERROR, DB_ERROR_NOT_FOUND, _ ("There is no batch %s."), n);
    }
  else
    db_set_error (db, error, rc, _ ("Could not read the batch"));
  return NULL;
}

GPtrArray *
db_batch_list (DbDatabase *db, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = db_stmt (db, "SELECT " BATCH_COLUMNS " FROM batch ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  return db_collect (db, stmt, batch_from_stmt, (GDestroyNotify) db_batch_free,
                     _ ("Could not read the batch"), error);
}

static gpointer
row_from_stmt (DbStmt *stmt)
{
  DbBatchRow *row = db_batch_row_new ();
  DbHolder *h = row->holder;
  char **fields[] = { &h->id_number,     &h->name,          &h->sex,
                      &h->ethnicity,     &h->birth_date,    &h->insurance_category,
                      &h->employer_code, &h->employer_name, &h->region_code,
                      &h->phone,         &h->address };
  const char *status;

  row->line_no = sqlite3_column_int64 (stmt, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    *fields[i] = db_column_dup (stmt, i + 1);
  status = (const char *) sqlite3_column_text (stmt, 12);
  for (int i = DB_BATCH_ROW_PENDING; status != NULL && i <= DB_BATCH_ROW_SKIPPED; i++)
    if (strcmp (row_statuses[i], status) == 0)
      row->status = i;
  row->reason = db_column_dup (stmt, 13);
  row->card_sn = db_column_dup (stmt, 14);
  h->personal_number = db_column_dup (stmt, 15);
  return row;
}

GPtrArray *
db_batch_get_rows (DbDatabase *db, gint64 batch_id, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = db_stmt (db, "SELECT " ROW_COLUMNS " FROM batch_row WHERE batch_id = ? ORDER BY line_no",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, batch_id);
  return db_collect (db, stmt, row_from_stmt, (GDestroyNotify) db_batch_row_free,
                     _ ("Could not read the batch"), error);
}

gboolean
db_batch_set_row (DbDatabase *db, gint64 batch_id, gint64 line_no, DbBatchRowStatus status,
                  const char *reason, const char *card_sn, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (db_batch_row_status_to_string (status) != NULL, FALSE);

  if (!db_check_writable (db, error))
    return FALSE;
  stmt = db_stmt (db,
                  "UPDATE batch_row SET status = ?, reason = ?, card_sn = ? "
                  "WHERE batch_id = ? AND line_no = ?",
                  error);
  if (stmt == NULL)
    return FALSE;
  db_bind_text (stmt, 1, db_batch_row_status_to_string (status));
  db_bind_text (stmt, 2, reason);
  db_bind_text (stmt, 3, card_sn);
  sqlite3_bind_int64 (stmt, 4, batch_id);
  sqlite3_bind_int64 (stmt, 5, line_no);
  if (!db_step_done (db, stmt, _ ("Could not update the batch"), error))
    return FALSE;
  if (sqlite3_changes (db->handle) == 0)
    {
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, line_no);

      g_set_error (error, DB_ERROR, DB_ERROR_NOT_FOUND, _ ("The batch has no line %s."), n);
      return FALSE;
    }
  return TRUE;
}
