/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-batch-page.h: issuing the cards of an import file (docs/import.md):
 * every row checked and shown before any card, the cards issued one blank
 * after the other with Pause and Resume, the outcome of every row saved as
 * CSV and the sign-off list as PDF; batches not finished resumed. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IC_TYPE_BATCH_PAGE (ic_batch_page_get_type ())
G_DECLARE_FINAL_TYPE (IcBatchPage, ic_batch_page, IC, BATCH_PAGE, GtkBox)

GtkWidget *ic_batch_page_new (void);

/* The columns of the rows the page shows (its views' model). */
enum {
  IC_BATCH_COL_LINE, /* guint */
  IC_BATCH_COL_ID_NUMBER,
  IC_BATCH_COL_NAME,
  IC_BATCH_COL_SEX,
  IC_BATCH_COL_BIRTH_DATE,
  IC_BATCH_COL_CATEGORY,
  IC_BATCH_COL_EMPLOYER,
  IC_BATCH_COL_ICON,
  IC_BATCH_COL_STATUS, /* the rows view: what happens to the row, with its problems */
  IC_BATCH_COL_OUTCOME, /* the summary view */
  IC_BATCH_COL_CARD_NUMBER,
  IC_BATCH_COL_SN,
  IC_BATCH_COL_TINT, /* GdkRGBA: rows with problems, the row being issued */
  IC_BATCH_COL_REASON,
  IC_BATCH_COL_STATE, /* int: DbBatchRowStatus */
  IC_BATCH_N_COLUMNS
};

/* What the file choosers' answers start (tests call them directly): each
 * runs as a task of the window the page is in. */
void ic_batch_page_open_file (IcBatchPage *self, const char *path);
void ic_batch_page_save_report (IcBatchPage *self, const char *path);
void ic_batch_page_save_signoff (IcBatchPage *self, const char *path);

G_END_DECLS
