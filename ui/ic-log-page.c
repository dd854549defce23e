/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-log-page.c: the auditor's page (ic-log-page.h).
 *
 * Why this file is long: filters, the list, verify and the exports all
 * follow the one reader and session of the page; printing (the next to
 * move out) shares the page's filter state.
 *
 * The list reads through a WfLogReader, whose worker thread has its own
 * connection: typing a filter never waits for the database.  Verify,
 * the exports and the report are workflow tasks run by the window. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-log-page.h"
#include "ic-main-window.h"
#include "ic-page-util.h"
#include "wf-audit-seal.h"
#include "wf-log-report.h"
#include "wf-session.h"

#define DEBOUNCE_MS 200

typedef enum {
  DETAIL_SEQ,
  DETAIL_TIME,
  DETAIL_TIME_UTC,
  DETAIL_WORKSTATION,
  DETAIL_OPERATOR,
  DETAIL_OPERATOR_CARD,
  DETAIL_ROLE,
  DETAIL_ACTION,
  DETAIL_CARD_NUMBER,
  DETAIL_CARD_SN,
  DETAIL_HOLDER,
  DETAIL_OUTCOME,
  DETAIL_DETAIL,
  N_DETAILS
} Detail;

static const char *const detail_titles[N_DETAILS] = {
  N_ ("Row"),           N_ ("Time"),    N_ ("Time (UTC)"), N_ ("Workstation"), N_ ("Operator"),
  N_ ("Operator card"), N_ ("Role"),    N_ ("Action"),     N_ ("Card number"), N_ ("Card SN"),
  N_ ("Holder ID"),     N_ ("Outcome"), N_ ("Detail"),
};

struct _IcLogPage {
  GtkBox parent_instance;

  GtkEntry *since_entry;
  GtkEntry *until_entry;
  GtkComboBoxText *action_combo;
  GtkComboBoxText *outcome_combo;
  GtkEntry *operator_entry;
  GtkEntry *workstation_entry;
  GtkEntry *card_number_entry;
  GtkEntry *sn_entry;
  GtkEntry *holder_entry;
  GtkLabel *filter_problem_label;
  GtkLabel *count_label;
  GtkSpinner *spinner;
  GtkRevealer *verdict_revealer;
  GtkInfoBar *verdict_bar;
  GtkLabel *verdict_label;
  IcLogView *view;
  GtkGrid *detail_grid;
  GtkWidget *verify_button;
  GtkWidget *refresh_button;
  GtkWidget *csv_button;
  GtkWidget *pdf_button;
  GtkWidget *print_button;
  GtkLabel *details[N_DETAILS];

  IcMainWindow *window; /* the toplevel, when it is the desk's window */
  WfLogReader *reader;
  guint debounce;
  gint64 filter_start; /* monotonic µs of the last filter; 0 once its rows came */
  double filter_ms;
  gint64 locate_seq; /* a verdict's row to select, or 0 */
  gboolean locate_cleared; /* the filters were cleared to find it */
};

G_DEFINE_TYPE (IcLogPage, ic_log_page, GTK_TYPE_BOX)

/* -- the reader follows the session -------------------------------------------------------- */

static gboolean
may_audit (IcLogPage *self)
{
  WfSession *session = self->window != NULL ? ic_main_window_get_session (self->window) : NULL;

  return session != NULL && wf_session_is_active (session)
         && wf_session_require (session, WF_PERM_AUDIT, NULL);
}

static void
set_sensitive (IcLogPage *self)
{
  gboolean on = self->reader != NULL;

  gtk_widget_set_sensitive (self->verify_button, on);
  gtk_widget_set_sensitive (self->refresh_button, on);
  gtk_widget_set_sensitive (self->csv_button, on);
  gtk_widget_set_sensitive (self->pdf_button, on);
  gtk_widget_set_sensitive (self->print_button, on);
}

/* "2026-06-01T15:07:00Z" as "2026-06-01 15:07:00", or as stored. */
static char *
utc_time (const char *iso)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_iso8601 (iso, NULL);

  return t != NULL ? g_date_time_format (t, "%Y-%m-%d %H:%M:%S") : g_strdup (iso);
}

static void
show_detail (IcLogPage *self)
{
  const DbAuditRow *row = ic_log_view_get_selected_row (self->view);
  g_autofree char *seq = NULL;
  g_autofree char *at = NULL;
  g_autofree char *outcome = NULL;
  g_autofree char *utc = NULL;
  const char *values[N_DETAILS] = { NULL };

  if (row != NULL)
    {
      seq = g_strdup_printf ("%" G_GINT64_FORMAT, row->seq);
      at = ic_log_format_time (row->at);
      outcome = ic_log_format_outcome (row);
      values[DETAIL_SEQ] = seq;
      values[DETAIL_TIME] = at;
      values[DETAIL_TIME_UTC] = utc = utc_time (row->at);
      values[DETAIL_WORKSTATION] = row->workstation;
      values[DETAIL_OPERATOR] = row->operator_name;
      values[DETAIL_OPERATOR_CARD] = row->operator_serial;
      values[DETAIL_ROLE] = row->role;
      values[DETAIL_ACTION] = ic_log_format_action (row);
      values[DETAIL_CARD_NUMBER] = row->card_number;
      values[DETAIL_CARD_SN] = row->card_sn;
      values[DETAIL_HOLDER] = row->holder_id;
      values[DETAIL_OUTCOME] = outcome;
      values[DETAIL_DETAIL] = row->detail;
    }
  for (int i = 0; i < N_DETAILS; i++)
    gtk_label_set_text (self->details[i],
                        values[i] != NULL && *values[i] != '\0' ? values[i] : "—");
}

static void
view_selection_changed_cb (IcLogPage *self)
{
  show_detail (self);
}

static void
reader_reset_cb (WfLogReader *reader, IcLogPage *self)
{
  gtk_spinner_start (self->spinner);
  gtk_label_set_text (self->count_label, _ ("Counting the rows…"));
}

static void
reader_counted_cb (WfLogReader *reader, gint64 n, IcLogPage *self)
{
  g_autofree char *count = ic_log_format_count (n);
  g_autofree char *text = NULL;
  gint64 through = wf_log_reader_get_filter (reader)->through_seq;

  gtk_spinner_stop (self->spinner);
  if (n == 0)
    text = g_strdup (_ ("No row matches these filters."));
  else if (through > 0)
    {
      g_autofree char *last = ic_log_format_count (through);

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s row, newest first (the log up to row %s)",
                                           "%s rows, newest first (the log up to row %s)", n),
                              count, last);
    }
  else
    text = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%s row, newest first", "%s rows, newest first", n), count);
  gtk_label_set_text (self->count_label, text);
}

static void
reader_rows_loaded_cb (WfLogReader *reader, gint64 first, gint64 n, IcLogPage *self)
{
  if (self->filter_start != 0)
    {
      self->filter_ms = (g_get_monotonic_time () - self->filter_start) / 1000.0;
      self->filter_start = 0;
    }
}

static void
reader_failed_cb (WfLogReader *reader, const GError *error, IcLogPage *self)
{
  gtk_spinner_stop (self->spinner);
  if (self->window != NULL)
    ic_main_window_show_error (self->window, error);
}

static void apply_filters (IcLogPage *self);
static void clear_filters (IcLogPage *self);

static void
reader_located_cb (WfLogReader *reader, gint64 seq, gint64 index, IcLogPage *self)
{
  if (seq != self->locate_seq)
    return;
  if (index >= 0)
    {
      self->locate_seq = 0;
      ic_log_view_select (self->view, index);
      gtk_widget_grab_focus (GTK_WIDGET (ic_log_view_get_tree_view (self->view)));
      return;
    }
  /* The filters hide it: look in the whole log. */
  if (!self->locate_cleared)
    {
      self->locate_cleared = TRUE;
      clear_filters (self);
      wf_log_reader_locate (self->reader, seq);
      return;
    }
  self->locate_seq = 0;
}

static void
drop_reader (IcLogPage *self)
{
  if (self->reader == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->reader, self);
  ic_log_view_set_reader (self->view, NULL);
  g_clear_object (&self->reader);
  gtk_spinner_stop (self->spinner);
  gtk_label_set_text (self->count_label, "");
  gtk_revealer_set_reveal_child (self->verdict_revealer, FALSE);
  show_detail (self);
  set_sensitive (self);
}

/* A reader while an auditor is logged in and the page was shown; none
 * otherwise: log rows stay on the screen no longer than the session. */
static void
update_reader (IcLogPage *self)
{
  g_autoptr (GError) error = NULL;

  if (!may_audit (self))
    {
      drop_reader (self);
      return;
    }
  if (self->reader != NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  self->reader = wf_log_reader_new (ic_main_window_get_desk (self->window), &error);
  if (self->reader == NULL)
    {
      ic_main_window_show_error (self->window, error);
      return;
    }
  g_signal_connect (self->reader, "reset", G_CALLBACK (reader_reset_cb), self);
  g_signal_connect (self->reader, "counted", G_CALLBACK (reader_counted_cb), self);
  g_signal_connect (self->reader, "rows-loaded", G_CALLBACK (reader_rows_loaded_cb), self);
  g_signal_connect (self->reader, "failed", G_CALLBACK (reader_failed_cb), self);
  g_signal_connect (self->reader, "located", G_CALLBACK (reader_located_cb), self);
  ic_log_view_set_reader (self->view, self->reader);
  set_sensitive (self);
  apply_filters (self);
}

static void
session_changed_cb (IcMainWindow *window, IcLogPage *self)
{
  update_reader (self);
}

static void
ic_log_page_hierarchy_changed (GtkWidget *widget, GtkWidget *previous)
{
  IcLogPage *self = IC_LOG_PAGE (widget);
  GtkWidget *top = gtk_widget_get_toplevel (widget);
  IcMainWindow *window = IC_IS_MAIN_WINDOW (top) ? IC_MAIN_WINDOW (top) : NULL;

  if (window == self->window)
    return;
  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  self->window = window;
  if (window != NULL)
    g_signal_connect_object (window, "session-changed", G_CALLBACK (session_changed_cb), self, 0);
  update_reader (self);
}

static void
ic_log_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ic_log_page_parent_class)->map (widget);
  update_reader (IC_LOG_PAGE (widget));
}

/* -- filters ------------------------------------------------------------------------------- */

static gboolean
parse_day (GtkEntry *entry, GDateTime **day)
{
  return ic_log_parse_day (gtk_entry_get_text (entry), day);
}

static char *
entry_text (GtkEntry *entry, gboolean upper)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_entry_get_text (entry)));

  if (*text == '\0')
    return NULL;
  /* Serials are stored in capitals, as is an ID number's X. */
  return upper ? g_ascii_strup (text, -1) : g_steal_pointer (&text);
}

static void
mark (GtkEntry *entry, gboolean bad)
{
  GtkStyleContext *style = gtk_widget_get_style_context (GTK_WIDGET (entry));

  if (bad)
    gtk_style_context_add_class (style, GTK_STYLE_CLASS_ERROR);
  else
    gtk_style_context_remove_class (style, GTK_STYLE_CLASS_ERROR);
}

static void
filter_clear (DbAuditFilter *f)
{
  g_clear_pointer (&f->since, g_date_time_unref);
  g_clear_pointer (&f->until, g_date_time_unref);
  g_free ((char *) f->operator_serial);
  g_free ((char *) f->workstation);
  g_free ((char *) f->card_number);
  g_free ((char *) f->card_sn);
  g_free ((char *) f->holder_id);
}

/* The filter the fields say; FALSE (and the problem shown) when a date is
 * not one. */
static gboolean
build_filter (IcLogPage *self, DbAuditFilter *f)
{
  g_autoptr (GDateTime) until_day = NULL;
  gboolean since_ok = parse_day (self->since_entry, &f->since);
  gboolean until_ok = parse_day (self->until_entry, &until_day);
  const char *action = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->action_combo));
  const char *outcome = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->outcome_combo));

  mark (self->since_entry, !since_ok);
  mark (self->until_entry, !until_ok);
  if (!since_ok || !until_ok)
    {
      gtk_label_set_text (self->filter_problem_label,
                          !since_ok ? _ ("Type the From date as year-month-day, like 2026-06-01.")
                                    : _ ("Type the To date as year-month-day, like 2026-06-30."));
      g_clear_pointer (&f->since, g_date_time_unref);
      return FALSE;
    }
  /* To a day means to the end of it. */
  f->until = until_day != NULL ? g_date_time_add_days (until_day, 1) : NULL;
  f->action = action != NULL ? db_action_from_string (action) : DB_ACTION_ANY;
  f->outcome = outcome != NULL ? db_outcome_from_string (outcome) : DB_OUTCOME_ANY;
  f->operator_serial = entry_text (self->operator_entry, TRUE);
  f->workstation = entry_text (self->workstation_entry, FALSE);
  f->card_number = entry_text (self->card_number_entry, FALSE);
  f->card_sn = entry_text (self->sn_entry, TRUE);
  f->holder_id = entry_text (self->holder_entry, TRUE);
  if (f->since != NULL && f->until != NULL && g_date_time_compare (f->since, f->until) >= 0)
    {
      gtk_label_set_text (self->filter_problem_label, _ ("The To date is before the From date."));
      mark (self->until_entry, TRUE);
      filter_clear (f);
      return FALSE;
    }
  gtk_label_set_text (self->filter_problem_label, "");
  return TRUE;
}

static void
apply_filters (IcLogPage *self)
{
  DbAuditFilter f = { 0 };

  g_clear_handle_id (&self->debounce, g_source_remove);
  if (!build_filter (self, &f) || self->reader == NULL)
    {
      filter_clear (&f);
      return;
    }
  self->filter_start = g_get_monotonic_time ();
  self->filter_ms = -1;
  wf_log_reader_set_filter (self->reader, &f, DB_ORDER_NEWEST_FIRST);
  filter_clear (&f);
}

gboolean
ic_log_page_apply_filters (IcLogPage *self)
{
  DbAuditFilter f = { 0 };
  gboolean ok;

  g_return_val_if_fail (IC_IS_LOG_PAGE (self), FALSE);

  ok = build_filter (self, &f);
  filter_clear (&f);
  if (ok)
    apply_filters (self);
  return ok;
}

static gboolean
debounce_cb (gpointer data)
{
  IcLogPage *self = data;

  self->debounce = 0;
  apply_filters (self);
  return G_SOURCE_REMOVE;
}

/* Typing: the filter applies when the keys pause. */
static void
filter_changed_cb (IcLogPage *self)
{
  g_clear_handle_id (&self->debounce, g_source_remove);
  self->debounce = g_timeout_add (DEBOUNCE_MS, debounce_cb, self);
}

static void
filter_activate_cb (IcLogPage *self)
{
  apply_filters (self);
}

static void
clear_filters (IcLogPage *self)
{
  GtkEntry *entries[] = { self->since_entry,       self->until_entry,       self->operator_entry,
                          self->workstation_entry, self->card_number_entry, self->sn_entry,
                          self->holder_entry };

  for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_signal_handlers_block_by_func (entries[i], filter_changed_cb, self);
      gtk_entry_set_text (entries[i], "");
      g_signal_handlers_unblock_by_func (entries[i], filter_changed_cb, self);
    }
  g_signal_handlers_block_by_func (self->action_combo, filter_activate_cb, self);
  g_signal_handlers_block_by_func (self->outcome_combo, filter_activate_cb, self);
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->action_combo), "");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->outcome_combo), "");
  g_signal_handlers_unblock_by_func (self->action_combo, filter_activate_cb, self);
  g_signal_handlers_unblock_by_func (self->outcome_combo, filter_activate_cb, self);
  apply_filters (self);
}

static void
clear_clicked_cb (IcLogPage *self)
{
  clear_filters (self);
}

static void
refresh_clicked_cb (IcLogPage *self)
{
  if (self->reader != NULL)
    wf_log_reader_refresh (self->reader);
}

/* -- tasks --------------------------------------------------------------------------------- */

static gboolean
run (IcLogPage *self, const char *title, IcTaskFunc func, gpointer data, GDestroyNotify data_free,
     GDestroyNotify result_free, IcTaskDone done)
{
  if (self->window == NULL || self->reader == NULL)
    {
      if (data_free != NULL)
        data_free (data);
      return FALSE;
    }
  if (!ic_main_window_run_task (self->window, title, func, data, data_free, result_free, done,
                                self))
    {
      ic_main_window_show_message (self->window, GTK_MESSAGE_INFO,
                                   _ ("Another task is running: wait until it has finished."));
      return FALSE;
    }
  return TRUE;
}

/* What a task needs of the list's query: its filter, kept. */
typedef struct {
  DbAuditFilter filter;
  char *path;
} Job;

static void
job_free (Job *job)
{
  wf_audit_filter_clear (&job->filter);
  g_free (job->path);
  g_free (job);
}

static Job *
job_new (IcLogPage *self, const char *path)
{
  Job *job = g_new0 (Job, 1);

  /* What is typed but not applied yet counts. */
  if (self->debounce != 0)
    apply_filters (self);
  wf_audit_filter_copy (&job->filter, wf_log_reader_get_filter (self->reader));
  job->path = g_strdup (path);
  return job;
}

/* A file written: how many rows went where. */
typedef struct {
  gint64 rows;
  char *path;
} Saved;

static void
saved_free (Saved *saved)
{
  g_free (saved->path);
  g_free (saved);
}

static Saved *
saved_new (gint64 rows, const char *path)
{
  Saved *saved = g_new0 (Saved, 1);

  saved->rows = rows;
  saved->path = g_strdup (path);
  return saved;
}

static gpointer
csv_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable, GError **error)
{
  Job *job = data;
  gint64 rows = 0;

  if (!wf_log_export (desk, ia, &job->filter, job->path, TRUE, &rows, cancellable, error))
    return NULL;
  return saved_new (rows, job->path);
}

static void
csv_done (IcMainWindow *window, gpointer result, const GError *error, gpointer data)
{
  Saved *saved = result;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (saved == NULL)
    return;
  count = ic_log_format_count (saved->rows);
  text = g_strdup_printf (_ ("%s rows were saved to %s."), count, saved->path);
  ic_main_window_show_message (window, GTK_MESSAGE_INFO, text);
}

gboolean
ic_log_page_export_csv (IcLogPage *self, const char *path)
{
  g_return_val_if_fail (IC_IS_LOG_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->reader == NULL)
    {
      ic_page_say_not_saved (self->window);
      return FALSE;
    }
  return run (self, _ ("Exporting the rows as CSV"), csv_func, job_new (self, path),
              (GDestroyNotify) job_free, (GDestroyNotify) saved_free, csv_done);
}

static gpointer
pdf_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable, GError **error)
{
  Job *job = data;
  g_autoptr (WfLogReport) report = wf_log_report_new (desk, ia, &job->filter, cancellable, error);

  if (report == NULL || !wf_log_report_write_pdf (desk, ia, report, job->path, cancellable, error))
    return NULL;
  return saved_new (wf_log_report_get_rows (report), job->path);
}

static void
pdf_done (IcMainWindow *window, gpointer result, const GError *error, gpointer data)
{
  Saved *saved = result;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (saved == NULL)
    return;
  count = ic_log_format_count (saved->rows);
  text = g_strdup_printf (_ ("The report of %s rows was saved to %s."), count, saved->path);
  ic_main_window_show_message (window, GTK_MESSAGE_INFO, text);
}

gboolean
ic_log_page_save_report (IcLogPage *self, const char *path)
{
  g_return_val_if_fail (IC_IS_LOG_PAGE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->reader == NULL)
    {
      ic_page_say_not_saved (self->window);
      return FALSE;
    }
  return run (self, _ ("Saving the report"), pdf_func, job_new (self, path),
              (GDestroyNotify) job_free, (GDestroyNotify) saved_free, pdf_done);
}

static void
export_csv_to (GtkWindow *parent, const char *path, gpointer self)
{
  ic_log_page_export_csv (self, path);
}

static void
save_report_to (GtkWindow *parent, const char *path, gpointer self)
{
  ic_log_page_save_report (self, path);
}

static char *
file_name (const char *stem, const char *extension)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y%m%d");

  return g_strdup_printf ("%s-%s.%s", stem, day, extension);
}

static void
csv_clicked_cb (IcLogPage *self)
{
  g_autofree char *name = file_name (_ ("audit-log"), "csv");

  ic_page_ask_save_path (GTK_WINDOW (self->window), _ ("Export the Rows as CSV"), NULL, name,
                         _ ("CSV files (for spreadsheets)"), "*.csv", export_csv_to,
                         g_object_ref (self), g_object_unref);
}

static void
pdf_clicked_cb (IcLogPage *self)
{
  g_autofree char *name = file_name (_ ("audit-report"), "pdf");

  ic_page_ask_save_path (GTK_WINDOW (self->window), _ ("Save the Report as PDF"), NULL, name,
                         _ ("PDF files"), "*.pdf", save_report_to, g_object_ref (self),
                         g_object_unref);
}

/* -- printing ------------------------------------------------------------------------------ */

/* A report gathered for printing, and where to (NULL: the print dialog). */
typedef struct {
  WfLogReport *report;
  char *export_path;
} Gathered;

static gpointer
gather_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable,
             GError **error)
{
  Job *job = data;
  WfLogReport *report = wf_log_report_new (desk, ia, &job->filter, cancellable, error);
  Gathered *g;

  if (report == NULL)
    return NULL;
  g = g_new0 (Gathered, 1);
  g->report = report;
  g->export_path = g_strdup (job->path);
  return g;
}

/* The print context's unit is the point (set below), as the renderer's. */
static void
begin_print_cb (GtkPrintOperation *op, GtkPrintContext *context, WfLogReport *report)
{
  PangoContext *pc = gtk_print_context_create_pango_context (context);

  gtk_print_operation_set_n_pages (
      op, (gint) wf_log_report_paginate (report, pc, gtk_print_context_get_width (context),
                                         gtk_print_context_get_height (context)));
  g_object_unref (pc);
}

static void
draw_page_cb (GtkPrintOperation *op, GtkPrintContext *context, gint page, WfLogReport *report)
{
  PangoContext *pc = gtk_print_context_create_pango_context (context);

  wf_log_report_draw_page (report, gtk_print_context_get_cairo_context (context), pc,
                           gtk_print_context_get_width (context),
                           gtk_print_context_get_height (context), (guint) page);
  g_object_unref (pc);
}

typedef struct {
  WfLogReport *report;
  char *printer;
} Printed;

static void
printed_free (Printed *p)
{
  wf_log_report_free (p->report);
  g_free (p->printer);
  g_free (p);
}

static gpointer
printed_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable,
              GError **error)
{
  Printed *p = data;

  return wf_log_report_note_printed (desk, ia, p->report, p->printer, cancellable, error)
             ? GINT_TO_POINTER (1)
             : NULL;
}

/* The report is ours (the task frees no result): printed, it goes on to
 * the task that records it. */
static void
gather_done (IcMainWindow *window, gpointer result, const GError *error, gpointer data)
{
  IcLogPage *self = data;
  Gathered *gathered = result;
  g_autoptr (WfLogReport) report = NULL;
  g_autofree char *export_path = NULL;
  g_autoptr (GtkPrintOperation) op = NULL;
  g_autoptr (GError) print_error = NULL;
  GtkPrintOperationResult res;
  Printed *printed;

  if (gathered == NULL)
    return;
  report = gathered->report;
  export_path = gathered->export_path;
  g_free (gathered);
  op = gtk_print_operation_new ();
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (op, _ ("Audit log report"));
  gtk_print_operation_set_embed_page_setup (op, TRUE);
  g_signal_connect (op, "begin-print", G_CALLBACK (begin_print_cb), report);
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page_cb), report);
  if (export_path != NULL)
    gtk_print_operation_set_export_filename (op, export_path);
  res = gtk_print_operation_run (op,
                                 export_path != NULL ? GTK_PRINT_OPERATION_ACTION_EXPORT
                                                     : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                 GTK_WINDOW (window), &print_error);
  if (res == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      ic_main_window_show_error (window, print_error);
      return;
    }
  if (res != GTK_PRINT_OPERATION_RESULT_APPLY)
    return;
  printed = g_new0 (Printed, 1);
  printed->report = g_steal_pointer (&report);
  printed->printer =
      export_path != NULL
          ? g_strdup_printf ("a PDF file, %s", export_path)
          : g_strdup (gtk_print_settings_get_printer (gtk_print_operation_get_print_settings (op)));
  run (self, _ ("Recording the printed report"), printed_func, printed,
       (GDestroyNotify) printed_free, NULL, NULL);
}

gboolean
ic_log_page_print (IcLogPage *self, const char *export_path)
{
  g_return_val_if_fail (IC_IS_LOG_PAGE (self), FALSE);

  if (self->reader == NULL)
    return FALSE;
  return run (self, _ ("Preparing the report"), gather_func, job_new (self, export_path),
              (GDestroyNotify) job_free, NULL, gather_done);
}

static void
print_clicked_cb (IcLogPage *self)
{
  ic_log_page_print (self, NULL);
}

/* -- verify -------------------------------------------------------------------------------- */

typedef struct {
  DbVerifyReport report;
  gboolean with_card;
  DbMode mode;
} Verdict;

static gpointer
verify_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable,
             GError **error)
{
  g_autoptr (WfSession) session = wf_desk_dup_session (desk);
  Verdict *v = g_new0 (Verdict, 1);
  gboolean ok;

  /* Without a card (the session ended) the seals stay unchecked. */
  v->with_card = session != NULL && wf_session_is_active (session);
  v->mode = wf_desk_get_mode (desk);
  ok = v->with_card ? wf_log_verify (desk, ia, NULL, &v->report, cancellable, error)
                    : wf_log_verify_chain (desk, &v->report, cancellable, error);
  if (!ok)
    {
      g_free (v);
      return NULL;
    }
  return v;
}

/* The row a verdict points at: the first bad one, or the nearest that is
 * still there. */
static gint64
verdict_row (const DbVerifyReport *r)
{
  switch (r->tamper)
    {
    case DB_TAMPER_ALTERED:
    case DB_TAMPER_INSERTED:
    case DB_TAMPER_REORDERED:
      return r->tamper_seq;
    case DB_TAMPER_REMOVED:
      /* The row after the gap (renumbered: the row now at that number). */
      return r->tamper_other_seq > 0 ? r->tamper_other_seq + 1 : r->tamper_seq;
    case DB_TAMPER_TRUNCATED:
      return r->tamper_seq - 1;
    case DB_TAMPER_NONE:
    default:
      return r->seal_problem != DB_SEAL_PROBLEM_NONE ? r->bad_seal_seq : 0;
    }
}

static char *
describe_verdict (const Verdict *v, GtkMessageType *type)
{
  const DbVerifyReport *r = &v->report;
  g_autofree char *tamper = db_verify_report_describe_tamper (r);
  g_autofree char *seal = db_verify_report_describe_seal_problem (r);
  g_autofree char *last = ic_log_format_count (r->last_seq);
  g_autofree char *sealed = ic_log_format_count (r->last_seal_seq);
  GString *s = g_string_new (NULL);
  gboolean foreign = v->with_card && v->mode != DB_MODE_TRAINING && r->seals_unchecked > 0;

  *type = GTK_MESSAGE_INFO;
  if (tamper != NULL || seal != NULL)
    {
      *type = GTK_MESSAGE_ERROR;
      g_string_append (s, tamper != NULL ? tamper : seal);
      if (tamper != NULL && seal != NULL)
        g_string_append_printf (s, " %s", seal);
      g_string_append_printf (s, " %s",
                              _ ("Keep the database file as it is: it is the evidence. The row "
                                 "is selected below."));
    }
  else if (foreign)
    {
      *type = GTK_MESSAGE_ERROR;
      g_string_append_printf (s,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%lld seal was not made by an operator card of this "
                                           "system: the log cannot be trusted. Keep the file.",
                                           "%lld seals were not made by an operator card of this "
                                           "system: the log cannot be trusted. Keep the file.",
                                           r->seals_unchecked),
                              (long long) r->seals_unchecked);
    }
  else if (r->last_seal_seq > 0)
    g_string_append_printf (s, _ ("The log is intact through row %s and sealed through row %s."),
                            last, sealed);
  else
    g_string_append_printf (s, _ ("The log is intact through row %s; it was never sealed."), last);
  if (*type == GTK_MESSAGE_INFO)
    {
      if (r->proven_seq > 0)
        {
          g_autofree char *proven = ic_log_format_count (r->proven_seq);

          g_string_append_c (s, ' ');
          g_string_append_printf (s, _ ("Your card checked the seals: rows 1 to %s are proven."),
                                  proven);
        }
      if (r->unsealed > 0 && r->last_seal_seq > 0)
        {
          g_autofree char *n = ic_log_format_count (r->unsealed);

          g_string_append_c (s, ' ');
          g_string_append_printf (s,
                                  _ ("%s rows after row %s are not sealed yet: they are chained, "
                                     "not proven."),
                                  n, sealed);
        }
      if (!v->with_card && r->seals > 0)
        {
          g_string_append_c (s, ' ');
          g_string_append (s, _ ("The seals were not checked: no operator card was at hand. Log "
                                 "in with your card in R1 to check them."));
          *type = GTK_MESSAGE_WARNING;
        }
      else if (r->seals_unchecked > 0)
        {
          g_autofree char *n = ic_log_format_count (r->seals_unchecked);

          g_string_append_c (s, ' ');
          g_string_append_printf (s,
                                  _ ("%s seals were made with the software test key of training "
                                     "and could not be checked with your card."),
                                  n);
        }
    }
  if (r->guards_missing)
    {
      g_string_append_c (s, ' ');
      g_string_append (s, _ ("The log's append-only guards were removed: someone changed the "
                             "database outside insucard."));
      if (*type != GTK_MESSAGE_ERROR)
        *type = GTK_MESSAGE_WARNING;
    }
  return g_string_free (s, FALSE);
}

static void
verify_done (IcMainWindow *window, gpointer result, const GError *error, gpointer data)
{
  IcLogPage *self = data;
  Verdict *v = result;
  g_autofree char *text = NULL;
  GtkMessageType type;
  gint64 row;

  if (v == NULL)
    return;
  text = describe_verdict (v, &type);
  gtk_info_bar_set_message_type (self->verdict_bar, type);
  gtk_label_set_text (self->verdict_label, text);
  gtk_revealer_set_reveal_child (self->verdict_revealer, TRUE);
  row = verdict_row (&v->report);
  if (row > 0 && self->reader != NULL)
    {
      /* The file changed under the list: its rows are read again, so that
       * the row selected shows what the file holds now, not what it held. */
      wf_log_reader_refresh (self->reader);
      self->locate_seq = row;
      self->locate_cleared = FALSE;
      wf_log_reader_locate (self->reader, row);
    }
}

gboolean
ic_log_page_verify (IcLogPage *self)
{
  g_return_val_if_fail (IC_IS_LOG_PAGE (self), FALSE);
  return run (self, _ ("Verifying the audit log"), verify_func, NULL, NULL, g_free, verify_done);
}

static void
verify_clicked_cb (IcLogPage *self)
{
  ic_log_page_verify (self);
}

static void
verdict_response_cb (IcLogPage *self)
{
  gtk_revealer_set_reveal_child (self->verdict_revealer, FALSE);
}

/* -- API and GObject ----------------------------------------------------------------------- */

IcLogView *
ic_log_page_get_view (IcLogPage *self)
{
  g_return_val_if_fail (IC_IS_LOG_PAGE (self), NULL);
  return self->view;
}

WfLogReader *
ic_log_page_get_reader (IcLogPage *self)
{
  g_return_val_if_fail (IC_IS_LOG_PAGE (self), NULL);
  return self->reader;
}

double
ic_log_page_get_filter_ms (IcLogPage *self)
{
  g_return_val_if_fail (IC_IS_LOG_PAGE (self), -1);
  return self->filter_ms;
}

/* Long action labels would make the page too wide for the desk's window:
 * the shown choice is cut, the list shows them whole. */
static void
narrow_combo (GtkComboBox *combo, int chars)
{
  g_autoptr (GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (combo));

  for (GList *l = cells; l != NULL; l = l->next)
    if (GTK_IS_CELL_RENDERER_TEXT (l->data))
      g_object_set (l->data, "ellipsize", PANGO_ELLIPSIZE_END, "width-chars", chars, NULL);
  gtk_combo_box_set_popup_fixed_width (combo, FALSE);
}

static void
fill_combos (IcLogPage *self)
{
  narrow_combo (GTK_COMBO_BOX (self->action_combo), 16);
  /* "Any outcome" whole at the page's least width. */
  narrow_combo (GTK_COMBO_BOX (self->outcome_combo), 13);
  gtk_combo_box_text_append (self->action_combo, "", _ ("Any action"));
  for (DbAction a = DB_ACTION_ANY + 1; a < DB_ACTION_N; a++)
    gtk_combo_box_text_append (self->action_combo, db_action_to_string (a),
                               db_action_get_label (a));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->action_combo), "");
  gtk_combo_box_text_append (self->outcome_combo, "", _ ("Any outcome"));
  gtk_combo_box_text_append (self->outcome_combo, "ok", _ ("OK"));
  gtk_combo_box_text_append (self->outcome_combo, "refused", _ ("Refused"));
  gtk_combo_box_text_append (self->outcome_combo, "failed", _ ("Failed"));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->outcome_combo), "");
}

static void
make_details (IcLogPage *self)
{
  for (int i = 0; i < N_DETAILS; i++)
    {
      GtkWidget *title = gtk_label_new (_ (detail_titles[i]));
      GtkWidget *value = gtk_label_new ("—");

      gtk_label_set_xalign (GTK_LABEL (title), 1);
      gtk_label_set_yalign (GTK_LABEL (title), 0);
      gtk_style_context_add_class (gtk_widget_get_style_context (title), "dim-label");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_line_wrap (GTK_LABEL (value), TRUE);
      gtk_label_set_line_wrap_mode (GTK_LABEL (value), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (value), 28);
      gtk_widget_set_hexpand (value, TRUE);
      /* A selectable label takes Tab: the values are for reading and
       * copying, the keys stay with the list. */
      gtk_widget_set_can_focus (value, FALSE);
      /* Named by its title, so that tests and screen readers find it. */
      atk_object_set_name (gtk_widget_get_accessible (value), _ (detail_titles[i]));
      atk_object_add_relationship (gtk_widget_get_accessible (value), ATK_RELATION_LABELLED_BY,
                                   gtk_widget_get_accessible (title));
      gtk_grid_attach (self->detail_grid, title, 0, i, 1, 1);
      gtk_grid_attach (self->detail_grid, value, 1, i, 1, 1);
      self->details[i] = GTK_LABEL (value);
    }
  gtk_widget_show_all (GTK_WIDGET (self->detail_grid));
}

static void
ic_log_page_dispose (GObject *object)
{
  IcLogPage *self = IC_LOG_PAGE (object);

  g_clear_handle_id (&self->debounce, g_source_remove);
  drop_reader (self);
  if (self->window != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->window, self);
      self->window = NULL;
    }
  G_OBJECT_CLASS (ic_log_page_parent_class)->dispose (object);
}

static void
ic_log_page_class_init (IcLogPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ic_log_page_dispose;
  widget_class->hierarchy_changed = ic_log_page_hierarchy_changed;
  widget_class->map = ic_log_page_map;

  g_type_ensure (IC_TYPE_LOG_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-log-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcLogPage, name)
  CHILD (since_entry);
  CHILD (until_entry);
  CHILD (action_combo);
  CHILD (outcome_combo);
  CHILD (operator_entry);
  CHILD (workstation_entry);
  CHILD (card_number_entry);
  CHILD (sn_entry);
  CHILD (holder_entry);
  CHILD (filter_problem_label);
  CHILD (count_label);
  CHILD (spinner);
  CHILD (verdict_revealer);
  CHILD (verdict_bar);
  CHILD (verdict_label);
  CHILD (view);
  CHILD (detail_grid);
  CHILD (verify_button);
  CHILD (refresh_button);
  CHILD (csv_button);
  CHILD (pdf_button);
  CHILD (print_button);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, verdict_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, view_selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, verify_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, csv_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pdf_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, print_clicked_cb);
}

static void
ic_log_page_init (IcLogPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->filter_ms = -1;
  fill_combos (self);
  make_details (self);
  set_sensitive (self);
}

GtkWidget *
ic_log_page_new (void)
{
  return g_object_new (IC_TYPE_LOG_PAGE, NULL);
}
