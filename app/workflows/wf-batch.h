/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-batch.h: issuing the cards of an import file (docs/import.md), row
 * after row as the clerk feeds blanks, resumable where it stopped.
 *
 * Every row is checked first, against the card layout, the other rows and
 * the registry, and every bad row is reported with its line before any
 * card is touched.  The batch and its rows are then stored; each row is
 * pending until its card is issued (journalled like any issuance). */
#pragma once

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

/* Every row with its outcome: line, id_number, name, outcome (issued, bad,
 * pending), card_number, sn, reason; CSV (UTF-8, RFC 4180), written whole
 * or not at all. */
gboolean wf_batch_write_report (WfDesk *desk, gint64 batch_id, const char *path, GError **error);

/* The batch's sign-off list of the cards issued (PDF, docs/receipts.md). */
gboolean wf_batch_write_signoff (WfDesk *desk, WfInteraction *interaction, gint64 batch_id,
                                 const char *path, GError **error);

G_END_DECLS
