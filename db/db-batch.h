/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-batch.h: batches of cardholders imported from a CSV file, and the
 * state of each row (pending, bad with the reason, issued, skipped).
 * Parsing the file is the workflow's; this stores what it found. */
#pragma once

#include <glib.h>

#include "db-actor.h"
#include "db-registry.h"

G_BEGIN_DECLS

typedef enum {
  DB_BATCH_ROW_PENDING = 1,
  DB_BATCH_ROW_BAD, /* reason says what is wrong */
  DB_BATCH_ROW_ISSUED, /* card_sn is the card */
  DB_BATCH_ROW_SKIPPED,
} DbBatchRowStatus;

const char *db_batch_row_status_to_string (DbBatchRowStatus status);

typedef struct {
  gint64 line_no; /* in the source file, from 1 */
  DbHolder *holder; /* owned; its timestamps are unused */
  DbBatchRowStatus status;
  char *reason;
  char *card_sn;
} DbBatchRow;

DbBatchRow *db_batch_row_new (void); /* with an empty holder, status pending */
void db_batch_row_free (DbBatchRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbBatchRow, db_batch_row_free)

typedef struct {
  gint64 id;
  char *source_name; /* the file's name */
  char *source_sha256; /* hex SHA-256 of the file: the same file is not imported twice */
  gint64 row_count;
  char *imported_at;
  char *imported_by_serial;
  char *imported_by_name;
  char *workstation;
} DbBatch;

void db_batch_free (DbBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbBatch, db_batch_free)

/* Stores the batch and all its rows in one transaction. */
gboolean db_batch_import (DbDatabase *db, const char *source_name, const char *source_sha256,
                          GPtrArray *rows, const DbActor *actor, gint64 *batch_id, GError **error);
DbBatch *db_batch_get (DbDatabase *db, gint64 batch_id, GError **error);
GPtrArray *db_batch_list (DbDatabase *db, GError **error); /* newest first */
GPtrArray *db_batch_get_rows (DbDatabase *db, gint64 batch_id, GError **error);
gboolean db_batch_set_row (DbDatabase *db, gint64 batch_id, gint64 line_no, DbBatchRowStatus status,
                           const char *reason, const char *card_sn, GError **error);

G_END_DECLS
