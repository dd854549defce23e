/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-log-view.h: the audit log as a list of any length: a GtkTreeView
 * over an IcLogModel window and a scroll bar for the whole log.  Wheel,
 * keys (arrows, Page Up/Down, Home, End) and the scroll bar move through
 * all rows; the tree view only ever has the rows on the screen. */
#pragma once

#include <gtk/gtk.h>

#include "ic-log-model.h"

G_BEGIN_DECLS

#define IC_TYPE_LOG_VIEW (ic_log_view_get_type ())
G_DECLARE_FINAL_TYPE (IcLogView, ic_log_view, IC, LOG_VIEW, GtkBox)

GtkWidget *ic_log_view_new (void);

/* The log to show (NULL: none). */
void ic_log_view_set_reader (IcLogView *self, WfLogReader *reader);
IcLogModel *ic_log_view_get_model (IcLogView *self);
GtkTreeView *ic_log_view_get_tree_view (IcLogView *self);
GtkAdjustment *ic_log_view_get_adjustment (IcLogView *self);

/* The rows that fit on the screen now. */
gint64 ic_log_view_get_page_rows (IcLogView *self);

/* The selected row's index in the reader, or -1; its row when loaded. */
gint64 ic_log_view_get_selected (IcLogView *self);
const DbAuditRow *ic_log_view_get_selected_row (IcLogView *self);
/* Selects row index (scrolling to it); -1: none. */
void ic_log_view_select (IcLogView *self, gint64 index);

/* Signals:
 *   selection-changed (): another row selected, or the selected row arrived */

G_END_DECLS
