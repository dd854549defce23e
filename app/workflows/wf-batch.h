/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-batch.h: issuing the cards of an import file (docs/import.md), row
 * after row as the clerk feeds blanks, resumable where it stopped.
 *
 * Every row is checked first, against the card layout, the other rows and
 * the registry, and every bad row is reported with its line before any
 * card is touched.  The batch and its rows are then stored; each row is
 * pending until its card is issued (journalled like any issuance). */
#pragma once

#include "db-batch.h"
#include "wf-desk.h"
#include "wf-import.h"
#include "wf-interaction.h"

G_BEGIN_DECLS

typedef struct {
  gint64 batch_id;
  guint rows; /* in the batch */
  guint issued;
  guint bad; /* refused at the check: never issued */
  guint pending; /* still to issue */
} WfBatchSummary;

/* Reads and checks the file (no card, nothing stored); rows whose holder
 * already has a card in the registry are moved to the problems.  Needs an
 * operator logged in who may issue. */
WfImport *wf_batch_check (WfDesk *desk, WfInteraction *interaction, const char *path,
                          GError **error);

/* Issues the pending rows of a new batch from path (its bad rows stored as
 * bad), or of batch resume_id (path NULL), one blank after the other.
 * Stops at the first row that cannot be issued (the row stays pending:
 * resume goes on there) with the error; the summary is set either way. */
gboolean wf_batch_issue (WfDesk *desk, WfInteraction *interaction, const char *path,
                         gint64 resume_id, WfBatchSummary *summary, GCancellable *cancellable,
                         GError **error);

/* How the desk steers a batch being issued. */
typedef struct {
  /* Cancelled: the batch stops before the next card (at once while it
   * waits for a blank, after the card being written otherwise, never
   * half-way through one) with G_IO_ERROR_CANCELLED; the rows left stay
   * pending, to resume. */
  GCancellable *stop;
  /* In the task's thread, once the batch is stored and after each row's
   * outcome is stored: the desk re-reads the rows (wf_batch_get_rows). */
  void (*changed) (gint64 batch_id, gpointer user_data);
  gpointer user_data;
  /* A new batch is stored only while its file still has this content
   * (wf_batch_checksum): the one the clerk saw checked.  NULL: any. */
  const char *expect_sha256;
} WfBatchControl;

/* wf_batch_issue() steered by control (NULL: as wf_batch_issue()).  The
 * blank of each row is asked for as "Card n of N" with the holder's name. */
gboolean wf_batch_issue_full (WfDesk *desk, WfInteraction *interaction, const char *path,
                              gint64 resume_id, const WfBatchControl *control,
                              WfBatchSummary *summary, GCancellable *cancellable, GError **error);

/* One row of a batch as the desk lists it, from the checked file
 * (wf_batch_preview) or from the registry (wf_batch_get_rows).  Strings
 * are never NULL ("" when not known). */
typedef struct {
  guint line;
  DbBatchRowStatus status; /* pending: can be issued, or waits for its card */
  char *id_number; /* a bad row's as the file wrote it */
  char *name;
  char *sex; /* a good row's GB/T 2261.1 code (1 male, 2 female, 0, 9) */
  char *birth_date; /* a good row's YYYY-MM-DD */
  char *insurance_category; /* a good row's code (wf_icard_category_label) */
  char *employer_code;
  char *card_number; /* issued */
  char *sn; /* issued */
  char *reason; /* bad: what is wrong, one problem a line */
} WfBatchRow;

void wf_batch_row_free (WfBatchRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WfBatchRow, wf_batch_row_free)

/* Every row of a checked file (wf_batch_check) in file order: the good
 * ones pending and completed (sex and birth date from the ID number), the
 * bad ones as written with every problem of their line.  Problems of the
 * whole file or its header are not rows (wf_import_get_problem). */
GPtrArray *wf_batch_preview (const WfImport *imp);

/* The rows of a stored batch with their outcomes (WfBatchRow), in line
 * order. */
GPtrArray *wf_batch_get_rows (WfDesk *desk, gint64 batch_id, GError **error);

/* The file's SHA-256 (hex), which tells batches apart. */
char *wf_batch_checksum (const char *path, GError **error);

/* The batch a file was imported as (the same content), or 0. */
gboolean wf_batch_find_file (WfDesk *desk, const char *path, gint64 *batch_id, GError **error);

typedef struct {
  WfBatchSummary summary;
  char *source_name; /* the file's name */
  char *imported_at; /* as the registry keeps it */
  char *imported_by; /* the operator's name */
} WfBatchInfo;

void wf_batch_info_free (WfBatchInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WfBatchInfo, wf_batch_info_free)

/* The batches with rows still to issue (WfBatchInfo), newest first. */
GPtrArray *wf_batch_list_unfinished (WfDesk *desk, GError **error);

/* Every row with its outcome: line, id_number, name, outcome (issued, bad,
 * pending), card_number, sn, reason; CSV (UTF-8, RFC 4180), written whole
 * or not at all.  For an issuer logged in at this desk only. */
gboolean wf_batch_write_report (WfDesk *desk, gint64 batch_id, const char *path, GError **error);

/* The batch's sign-off list of the cards issued (PDF, docs/receipts.md). */
gboolean wf_batch_write_signoff (WfDesk *desk, WfInteraction *interaction, gint64 batch_id,
                                 const char *path, GError **error);

G_END_DECLS
