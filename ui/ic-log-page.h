/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-log-page.h: the auditor's page: the audit log with filters that apply
 * as one types, the selected row in full, "Verify the log" with the
 * operator's card and its verdict in words (the first bad row selected),
 * and the rows shown exported as CSV, saved as a PDF report or printed.
 * For auditors and system administrators (WF_PERM_AUDIT).  It reads the
 * log only while someone who may audit is logged in and the page has
 * been shown. */
#pragma once

#include <gtk/gtk.h>

#include "ic-log-view.h"

G_BEGIN_DECLS

#define IC_TYPE_LOG_PAGE (ic_log_page_get_type ())
G_DECLARE_FINAL_TYPE (IcLogPage, ic_log_page, IC, LOG_PAGE, GtkBox)

GtkWidget *ic_log_page_new (void);

IcLogView *ic_log_page_get_view (IcLogPage *self);
/* The reader of the logged-in auditor, or NULL. */
WfLogReader *ic_log_page_get_reader (IcLogPage *self);
/* Applies the filters typed now (the page does it 200 ms after the last
 * key); FALSE when one of them is not valid (the page says which). */
gboolean ic_log_page_apply_filters (IcLogPage *self);
/* The time from the last filter applied to its first rows on the screen,
 * in milliseconds (-1 before they came). */
double ic_log_page_get_filter_ms (IcLogPage *self);

/* What the buttons do once a file is chosen: the rows shown as CSV, the
 * report of the rows shown as PDF.  Tasks: FALSE when another one runs. */
gboolean ic_log_page_export_csv (IcLogPage *self, const char *path);
gboolean ic_log_page_save_report (IcLogPage *self, const char *path);
/* Prints the report of the rows shown: through the print dialog, or with
 * export_path straight into that PDF file (GTK's "print to file", without
 * asking: for tests). */
gboolean ic_log_page_print (IcLogPage *self, const char *export_path);
/* Runs "Verify the log". */
gboolean ic_log_page_verify (IcLogPage *self);

G_END_DECLS
