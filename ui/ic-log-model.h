/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-log-model.h: a window on the audit log for a GtkTreeView.
 *
 * A GtkTreeView keeps a node for every row of its model, which for a
 * million rows costs seconds and tens of megabytes before anything shows.
 * So this model holds only the rows on the screen: the rows first to
 * first + size - 1 of a WfLogReader, which fetches them a page at a time
 * and keeps a few pages.  The list that owns it (IcLogView) moves the
 * window as its scroll bar moves.  A row not fetched yet shows "…" until
 * its page arrives. */
#pragma once

#include <gtk/gtk.h>

#include "wf-log-reader.h"

G_BEGIN_DECLS

enum {
  IC_LOG_COLUMN_SEQ, /* gint64: the row's number */
  IC_LOG_COLUMN_TIME, /* local time */
  IC_LOG_COLUMN_WORKSTATION,
  IC_LOG_COLUMN_OPERATOR, /* the holder's name, or the serial */
  IC_LOG_COLUMN_ACTION, /* its label */
  IC_LOG_COLUMN_SUBJECT, /* card number, SN, holder ID */
  IC_LOG_COLUMN_OUTCOME, /* its label, with the error code */
  IC_LOG_COLUMN_DETAIL,
  IC_LOG_COLUMN_WEIGHT, /* int: bold for rows that were refused or failed */
  IC_LOG_N_COLUMNS
};

#define IC_TYPE_LOG_MODEL (ic_log_model_get_type ())
G_DECLARE_FINAL_TYPE (IcLogModel, ic_log_model, IC, LOG_MODEL, GObject)

IcLogModel *ic_log_model_new (WfLogReader *reader);
WfLogReader *ic_log_model_get_reader (IcLogModel *self);

/* The reader's rows first .. first + size - 1 (fewer at the end). */
void ic_log_model_set_window (IcLogModel *self, gint64 first, gint64 size);
gint64 ic_log_model_get_first (IcLogModel *self);
/* The rows of the query: the reader's count, or while it is unknown the
 * rows known to be there. */
gint64 ic_log_model_get_n_rows (IcLogModel *self);
/* The reader's index of a row of the window. */
gint64 ic_log_model_get_index (IcLogModel *self, GtkTreePath *path);

/* Texts of a row as the list shows them (for the detail pane too). */
char *ic_log_format_time (const char *iso);
char *ic_log_format_subject (const DbAuditRow *row);
char *ic_log_format_outcome (const DbAuditRow *row);
const char *ic_log_format_action (const DbAuditRow *row);
/* 1234567 as "1,234,567". */
char *ic_log_format_count (gint64 n);
/* A day typed as YYYY-MM-DD: its local midnight, or NULL for nothing
 * typed; FALSE when the text is not a date. */
gboolean ic_log_parse_day (const char *text, GDateTime **day);

G_END_DECLS
