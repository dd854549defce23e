/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-log-report.h: what an auditor takes away from the desk: the rows of
 * a filter as CSV, and a report of a period on paper or as PDF.
 *
 * The report gives totals per action and per operator, lists the refused
 * and failed rows, and prints on every page the chain head (the newest
 * row and its hash) and the last seal, so that the next report shows
 * whether the log was cut since (docs/database.md, "What verify proves").
 * It is drawn with cairo and Pango alone, on any cairo context whose unit
 * is the point: a PDF file here, a GtkPrintContext in the GUI.  Saving or
 * printing it, like the CSV, writes an export row to the audit log.
 * All of it is for auditors and system administrators (WF_PERM_AUDIT).
 */
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include "db-query.h"
#include "wf-desk.h"
#include "wf-interaction.h"

G_BEGIN_DECLS

/* The rows of filter (NULL: all) as CSV (db-export.h; bom: start with a
 * byte order mark for spreadsheet programs); *rows gets how many. */
gboolean wf_log_export (WfDesk *desk, WfInteraction *interaction, const DbAuditFilter *filter,
                        const char *path, gboolean bom, gint64 *rows, GCancellable *cancellable,
                        GError **error);

/* The refused and failed rows a report lists at most (the CSV has all). */
#define WF_LOG_REPORT_MAX_ROWS 2000

typedef struct _WfLogReport WfLogReport;

/* Gathers the report of filter's rows: a period (since, until) and any
 * other condition of the filter.  Reads only. */
WfLogReport *wf_log_report_new (WfDesk *desk, WfInteraction *interaction,
                                const DbAuditFilter *filter, GCancellable *cancellable,
                                GError **error);
void wf_log_report_free (WfLogReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WfLogReport, wf_log_report_free)

/* What it found: rows in all and per outcome. */
gint64 wf_log_report_get_rows (WfLogReport *report);

/* Lays the report out on pages of width x height points with context
 * (whose resolution makes a point a point); returns the page count. */
guint wf_log_report_paginate (WfLogReport *report, PangoContext *context, double width,
                              double height);
/* Draws page (from 0) on cr, laid out by wf_log_report_paginate() with the
 * same context and size. */
void wf_log_report_draw_page (WfLogReport *report, cairo_t *cr, PangoContext *context, double width,
                              double height, guint page);

/* The report as an A4 PDF at path (written as a temporary file and
 * renamed, so path never holds half a report). */
gboolean wf_log_report_write_pdf (WfDesk *desk, WfInteraction *interaction, WfLogReport *report,
                                  const char *path, GCancellable *cancellable, GError **error);
/* Writes the export row of a report printed on printer. */
gboolean wf_log_report_note_printed (WfDesk *desk, WfInteraction *interaction, WfLogReport *report,
                                     const char *printer, GCancellable *cancellable,
                                     GError **error);

G_END_DECLS
