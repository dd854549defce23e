/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-batch-page.c: the batch page (ic-batch-page.h).
 *
 * Why this file is long: preview, issuing, unfinished batches and saving
 * share one list store and one state of the page.  The next split is the
 * unfinished-batches list and the saving dialogs into files of their own.
 *
 * One list store holds the rows of the file or batch on show; the rows
 * view (before and while cards are issued) and the summary view (after)
 * show different columns of it.  While a batch runs, the workflow says
 * when a row's outcome is stored and the rows are read again from the
 * registry, so what the page shows is what the registry holds. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ic-batch-page.h"
#include "ic-main-window.h"
#include "ic-page-util.h"
#include "wf-batch.h"
#include "wf-icard.h"

typedef enum {
  END_NONE, /* no batch ran: a batch opened to look at */
  END_FINISHED,
  END_PAUSED,
  END_STOPPED,
  END_FAILED,
} BatchEnd;

struct _IcBatchPage {
  GtkBox parent_instance;

  GtkButton *open_button;
  GtkStack *stack;
  GtkListBox *resume_list;
  GtkLabel *file_label;
  GtkLabel *encoding_label;
  GtkLabel *file_problems_label;
  GtkLabel *count_label;
  GtkTreeView *rows_view;
  GtkButton *back_button;
  GtkButton *issue_button;
  GtkButton *pause_button;
  GtkLabel *summary_title;
  GtkLabel *summary_detail;
  GtkTreeView *summary_view;
  GtkButton *save_report_button;
  GtkButton *save_signoff_button;
  GtkButton *done_button;
  GtkButton *resume_button;

  GtkListStore *store;
  GPtrArray *rows; /* WfBatchRow on show */
  char *path; /* the file of a batch not stored yet */
  char *checksum; /* its content as checked */
  char *source_name; /* the file's name, for titles and file names */
  char *folder; /* where the last file was opened from: reports go there too */
  gint64 batch_id; /* the stored batch, or 0 */
  guint pending, bad, issued;
  gboolean running;
  gboolean pausing;
  GCancellable *stop; /* the running batch's */
  GCancellable *list_cancellable; /* the unfinished batches being read */
  IcMainWindow *window; /* weak: the toplevel the page is in */
};

G_DEFINE_FINAL_TYPE (IcBatchPage, ic_batch_page, GTK_TYPE_BOX)

static void refresh_resume_list (IcBatchPage *self);

/* -- helpers ------------------------------------------------------------------------------- */

static IcMainWindow *
get_window (IcBatchPage *self)
{
  GtkWidget *top = gtk_widget_get_toplevel (GTK_WIDGET (self));

  return IC_IS_MAIN_WINDOW (top) ? IC_MAIN_WINDOW (top) : NULL;
}

/* Runs a task of the window; done gets the page as user_data (a
 * reference it drops). */
static gboolean
run (IcBatchPage *self, const char *title, IcTaskFunc func, gpointer data, GDestroyNotify data_free,
     GDestroyNotify result_free, IcTaskDone done)
{
  IcMainWindow *window = get_window (self);

  if (window == NULL)
    {
      if (data_free != NULL && data != NULL)
        data_free (data);
      return FALSE;
    }
  if (!ic_main_window_run_task (window, title, func, data, data_free, result_free, done,
                                g_object_ref (self)))
    {
      g_object_unref (self);
      ic_main_window_show_message (window, GTK_MESSAGE_INFO,
                                   _ ("Another task is running. Wait until it ends, then try "
                                      "again."));
      return FALSE;
    }
  return TRUE;
}

static const char *
sex_label (const char *code)
{
  if (g_strcmp0 (code, "1") == 0)
    return _ ("Male");
  if (g_strcmp0 (code, "2") == 0)
    return _ ("Female");
  if (g_strcmp0 (code, "0") == 0)
    return _ ("Unknown");
  if (g_strcmp0 (code, "9") == 0)
    return _ ("Not stated");
  return code; /* a bad row's, as written */
}

static char *
category_text (const char *code)
{
  const char *label = wf_icard_category_label (code);

  if (label == NULL || label[0] == '\0')
    return g_strdup (code);
  /* TRANSLATORS: an insurance category's name and its code. */
  return g_strdup_printf (_ ("%s (%s)"), label, code);
}

/* "2024-05-01T02:03:04Z" as the clerk's local time. */
static char *
local_time (const char *iso)
{
  g_autoptr (GDateTime) t = g_date_time_new_from_iso8601 (iso, NULL);
  g_autoptr (GDateTime) local = t != NULL ? g_date_time_to_local (t) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (iso);
}

/* -- the rows ------------------------------------------------------------------------------ */

#define MIN_WRAP 150

/* The problems wrap at the width their column has, not at a fixed one
 * that would push them out of sight. */
static void
wrap_to_column_cb (GtkTreeViewColumn *column, GParamSpec *pspec, GtkCellRenderer *cell)
{
  int start = 0, xpad = 0, wrap = 0;
  int width = gtk_tree_view_column_get_width (column);

  gtk_tree_view_column_cell_get_position (column, cell, &start, NULL);
  gtk_cell_renderer_get_padding (cell, &xpad, NULL);
  g_object_get (cell, "wrap-width", &wrap, NULL);
  width = MAX (MIN_WRAP, width - start - 2 * xpad);
  /* Only real changes: a new wrap width resizes the column again. */
  if (ABS (width - wrap) > 4)
    {
      g_object_set (cell, "wrap-width", width, NULL);
      gtk_tree_view_column_queue_resize (column);
    }
}

static void
set_row (IcBatchPage *self, GtkTreeIter *iter, const WfBatchRow *row, gboolean current)
{
  static const GdkRGBA bad_tint = { 0.88, 0.11, 0.14, 0.15 };
  static const GdkRGBA current_tint = { 0.21, 0.52, 0.89, 0.18 };
  g_autofree char *category = category_text (row->insurance_category);
  g_autofree char *number =
      row->card_number[0] != '\0' ? wf_icard_format_card_number (row->card_number) : g_strdup ("");
  g_autofree char *status = NULL;
  const char *icon = NULL, *outcome = "";
  const GdkRGBA *tint = NULL;

  switch (row->status)
    {
    case DB_BATCH_ROW_BAD:
      icon = "dialog-warning-symbolic";
      status = g_strdup_printf (_ ("Cannot be issued:\n%s"), row->reason);
      outcome = _ ("Not issued");
      tint = &bad_tint;
      break;
    case DB_BATCH_ROW_ISSUED:
      icon = "emblem-ok-symbolic";
      status = g_strdup_printf (_ ("Issued: card %s"), number);
      outcome = _ ("Issued");
      break;
    case DB_BATCH_ROW_SKIPPED:
      icon = "action-unavailable-symbolic";
      status = g_strdup (_ ("Skipped"));
      outcome = _ ("Skipped");
      break;
    case DB_BATCH_ROW_PENDING:
    default:
      icon = current ? "media-playback-start-symbolic" : NULL;
      status = g_strdup (current ? _ ("In progress") : _ ("To issue"));
      outcome = _ ("To issue");
      tint = current ? &current_tint : NULL;
      break;
    }
  gtk_list_store_set (
      self->store, iter, IC_BATCH_COL_LINE, row->line, IC_BATCH_COL_ID_NUMBER, row->id_number,
      IC_BATCH_COL_NAME, row->name, IC_BATCH_COL_SEX, sex_label (row->sex), IC_BATCH_COL_BIRTH_DATE,
      row->birth_date, IC_BATCH_COL_CATEGORY, category, IC_BATCH_COL_EMPLOYER, row->employer_code,
      IC_BATCH_COL_ICON, icon, IC_BATCH_COL_STATUS, status, IC_BATCH_COL_OUTCOME, outcome,
      IC_BATCH_COL_CARD_NUMBER, number, IC_BATCH_COL_SN, row->sn, IC_BATCH_COL_TINT, tint,
      IC_BATCH_COL_REASON, row->reason, IC_BATCH_COL_STATE, row->status, -1);
}

/* Shows rows (the page keeps them); while a batch runs, its first
 * pending row is the one being issued.  Rows already listed are updated
 * in place, so the view keeps its place. */
static void
show_rows (IcBatchPage *self, GPtrArray *rows)
{
  GtkTreeModel *model = GTK_TREE_MODEL (self->store);
  gboolean same = rows != NULL && self->rows != NULL && rows->len == self->rows->len;
  gboolean current_seen = FALSE;
  GtkTreeIter iter;

  for (guint i = 0; same && i < rows->len; i++)
    same = ((WfBatchRow *) rows->pdata[i])->line == ((WfBatchRow *) self->rows->pdata[i])->line;
  if (rows != self->rows)
    {
      g_clear_pointer (&self->rows, g_ptr_array_unref);
      self->rows = rows;
    }
  if (!same)
    gtk_list_store_clear (self->store);
  self->pending = self->bad = self->issued = 0;
  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    {
      const WfBatchRow *row = self->rows->pdata[i];
      gboolean current = self->running && !current_seen && row->status == DB_BATCH_ROW_PENDING;

      if (same)
        gtk_tree_model_iter_nth_child (model, &iter, NULL, (int) i);
      else
        gtk_list_store_append (self->store, &iter);
      set_row (self, &iter, row, current);
      if (current)
        {
          g_autoptr (GtkTreePath) path = gtk_tree_model_get_path (model, &iter);

          current_seen = TRUE;
          if (gtk_widget_get_realized (GTK_WIDGET (self->rows_view)))
            gtk_tree_view_scroll_to_cell (self->rows_view, path, NULL, FALSE, 0, 0);
        }
      self->pending += row->status == DB_BATCH_ROW_PENDING;
      self->bad += row->status == DB_BATCH_ROW_BAD;
      self->issued += row->status == DB_BATCH_ROW_ISSUED;
    }
}

static void
update_count_label (IcBatchPage *self)
{
  g_autofree char *text = NULL;

  if (self->batch_id == 0)
    {
      g_autofree char *a = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u row can be issued.",
                                                         "%u rows can be issued.", self->pending),
                                            self->pending);
      g_autofree char *b = g_strdup_printf (
          g_dngettext (
              GETTEXT_PACKAGE, "%u row has problems: it is marked below and will not be issued.",
              "%u rows have problems: they are marked below and will not be issued.", self->bad),
          self->bad);

      if (self->pending == 0)
        {
          g_free (a);
          a = g_strdup (_ ("No row can be issued: correct the file, save it and open it again."));
        }
      text = self->bad > 0 ? g_strdup_printf ("%s %s", a, b) : g_steal_pointer (&a);
    }
  else
    {
      guint total = self->issued + self->pending;

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u card issued; %u to go.",
                                           "%u of %u cards issued; %u to go.", total),
                              self->issued, total, self->pending);
    }
  gtk_label_set_text (self->count_label, text);
}

static void
update_buttons (IcBatchPage *self)
{
  g_autofree char *issue = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "_Issue %u card", "_Issue %u cards", self->pending),
      self->pending);
  g_autofree char *resume = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "_Resume: issue %u card",
                                                          "_Resume: issue %u cards", self->pending),
                                             self->pending);

  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), !self->running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), !self->running);
  gtk_button_set_label (self->issue_button, issue);
  gtk_widget_set_visible (GTK_WIDGET (self->issue_button), !self->running && self->pending > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->pause_button), self->running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->pause_button), self->running && !self->pausing);
  gtk_button_set_label (self->pause_button, self->pausing ? _ ("Pausing after this card…")
                                                          : _ ("_Pause after this card"));
  gtk_button_set_label (self->resume_button, resume);
  gtk_widget_set_visible (GTK_WIDGET (self->resume_button),
                          self->batch_id > 0 && self->pending > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_report_button), self->batch_id > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->save_signoff_button), self->issued > 0);
}

static void
set_source (IcBatchPage *self, const char *path, const char *name)
{
  g_free (self->path);
  self->path = g_strdup (path);
  g_free (self->source_name);
  self->source_name = g_strdup (name);
  gtk_label_set_text (self->file_label, name);
}

static void
show_page (IcBatchPage *self, const char *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  if (get_window (self) == NULL)
    return;
  if (g_str_equal (name, "rows") && gtk_widget_get_visible (GTK_WIDGET (self->issue_button)))
    gtk_widget_grab_default (GTK_WIDGET (self->issue_button));
  else if (g_str_equal (name, "summary"))
    gtk_widget_grab_default (gtk_widget_get_visible (GTK_WIDGET (self->resume_button))
                                 ? GTK_WIDGET (self->resume_button)
                                 : GTK_WIDGET (self->done_button));
}

/* Back to the start: nothing of the holders stays on show. */
static void
reset (IcBatchPage *self)
{
  if (self->running)
    return;
  gtk_list_store_clear (self->store);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  set_source (self, NULL, "");
  g_clear_pointer (&self->checksum, g_free);
  self->batch_id = 0;
  self->pending = self->bad = self->issued = 0;
  gtk_label_set_text (self->encoding_label, "");
  gtk_widget_hide (GTK_WIDGET (self->file_problems_label));
  update_buttons (self);
  show_page (self, "start");
  refresh_resume_list (self);
}

/* -- the summary --------------------------------------------------------------------------- */

static void
show_summary (IcBatchPage *self, BatchEnd end)
{
  g_autoptr (GString) detail = g_string_new (NULL);
  const char *title;

  switch (end)
    {
    case END_FINISHED:
      title = _ ("The batch is finished.");
      break;
    case END_PAUSED:
      title = _ ("The batch is paused.");
      break;
    case END_STOPPED:
      title = _ ("The batch was stopped.");
      break;
    case END_FAILED:
      title = _ ("The batch stopped at a card that could not be issued (see the message above).");
      break;
    case END_NONE:
    default:
      title = self->pending > 0 ? _ ("This file was imported before: its batch is not finished.")
                                : _ ("This file was imported before: its batch is finished.");
      break;
    }
  g_string_append_printf (
      detail,
      g_dngettext (GETTEXT_PACKAGE, "%u card was issued.", "%u cards were issued.", self->issued),
      self->issued);
  if (self->bad > 0)
    {
      g_string_append_c (detail, '\n');
      g_string_append_printf (
          detail,
          g_dngettext (GETTEXT_PACKAGE, "%u row was not issued because of problems.",
                       "%u rows were not issued because of problems.", self->bad),
          self->bad);
    }
  if (self->pending > 0)
    {
      g_string_append_c (detail, '\n');
      g_string_append_printf (
          detail,
          g_dngettext (GETTEXT_PACKAGE, "%u row is still to issue: Resume goes on with it.",
                       "%u rows are still to issue: Resume goes on with them.", self->pending),
          self->pending);
    }
  gtk_label_set_text (self->summary_title, title);
  gtk_label_set_text (self->summary_detail, detail->str);
  update_buttons (self);
  show_page (self, "summary");
}

/* -- opening a file ------------------------------------------------------------------------ */

typedef struct {
  char *path;
  char *checksum;
  gint64 existing; /* the batch the file was imported as */
  GPtrArray *rows; /* its rows, or the file's preview */
  WfImport *imp;
} Checked;

static void
checked_free (Checked *c)
{
  g_free (c->path);
  g_free (c->checksum);
  g_clear_pointer (&c->rows, g_ptr_array_unref);
  g_clear_pointer (&c->imp, wf_import_free);
  g_free (c);
}

static gpointer
check_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable,
            GError **error)
{
  Checked *c = g_new0 (Checked, 1);

  c->path = g_strdup (data);
  /* The checksum first: what is checked next is this content or newer,
   * and a newer one is refused when the batch is stored. */
  if ((c->checksum = wf_batch_checksum (c->path, error)) == NULL
      || !wf_batch_find_file (desk, c->path, &c->existing, error))
    goto fail;
  if (c->existing > 0)
    c->rows = wf_batch_get_rows (desk, c->existing, error);
  else if ((c->imp = wf_batch_check (desk, ia, c->path, error)) != NULL)
    c->rows = wf_batch_preview (c->imp);
  if (c->rows != NULL)
    return c;
fail:
  checked_free (c);
  return NULL;
}

/* Problems that are no row's: the file's encoding, its header. */
static char *
file_problems (const WfImport *imp, GPtrArray *rows)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < wf_import_get_n_problems (imp); i++)
    {
      const WfImportProblem *p = wf_import_get_problem (imp, i);
      gboolean a_row = FALSE;

      for (guint r = 0; r < rows->len && !a_row; r++)
        a_row = ((WfBatchRow *) rows->pdata[r])->line == p->line;
      if (a_row)
        continue;
      if (s->len > 0)
        g_string_append_c (s, '\n');
      if (p->line == 0)
        g_string_append (s, p->message);
      else
        g_string_append_printf (s, _ ("Line %u: %s"), p->line, p->message);
    }
  if (wf_import_get_n_problems (imp) == 0 && rows->len == 0)
    g_string_append (s, _ ("The file names the columns but holds no rows."));
  return g_string_free (s, FALSE);
}

static void
check_done (IcMainWindow *window, gpointer result, const GError *error, gpointer user_data)
{
  g_autoptr (IcBatchPage) self = user_data;
  Checked *c = result;
  g_autofree char *name = NULL;

  if (c == NULL)
    return;
  name = g_filename_display_basename (c->path);
  g_free (self->folder);
  self->folder = g_path_get_dirname (c->path);
  set_source (self, c->existing > 0 ? NULL : c->path, name);
  g_free (self->checksum);
  self->checksum = g_steal_pointer (&c->checksum);
  self->batch_id = c->existing;
  show_rows (self, g_steal_pointer (&c->rows));
  if (c->existing > 0)
    {
      gtk_label_set_text (self->encoding_label, "");
      gtk_widget_hide (GTK_WIDGET (self->file_problems_label));
      update_count_label (self);
      show_summary (self, END_NONE);
      return;
    }
  {
    WfImportEncoding enc = wf_import_get_encoding (c->imp);
    g_autofree char *encoding = g_strdup_printf (
        _ ("Encoding: %s"), enc == WF_IMPORT_ENCODING_UNKNOWN ? _ ("not recognised")
                                                              : wf_import_encoding_to_string (enc));
    g_autofree char *problems = file_problems (c->imp, self->rows);

    gtk_label_set_text (self->encoding_label, encoding);
    gtk_label_set_text (self->file_problems_label, problems);
    gtk_widget_set_visible (GTK_WIDGET (self->file_problems_label), problems[0] != '\0');
  }
  update_count_label (self);
  update_buttons (self);
  show_page (self, "rows");
  gtk_widget_grab_focus (GTK_WIDGET (self->rows_view));
}

void
ic_batch_page_open_file (IcBatchPage *self, const char *path)
{
  g_return_if_fail (IC_IS_BATCH_PAGE (self));
  g_return_if_fail (path != NULL);

  if (self->running)
    return;
  run (self, _ ("Checking the file"), check_func, g_strdup (path), g_free,
       (GDestroyNotify) checked_free, check_done);
}

static void
open_response_cb (GtkNativeDialog *dialog, int response, IcBatchPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (dialog));

      if (path != NULL)
        ic_batch_page_open_file (self, path);
    }
  g_object_unref (dialog);
}

static void
open_clicked_cb (GtkButton *button, IcBatchPage *self)
{
  GtkFileChooserNative *chooser;
  GtkFileFilter *csv = gtk_file_filter_new ();
  GtkFileFilter *all = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_ ("Open a Holder File"),
                                         GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));
  gtk_file_filter_set_name (csv, _ ("Holder files (CSV)"));
  gtk_file_filter_add_pattern (csv, "*.csv");
  gtk_file_filter_add_pattern (csv, "*.CSV");
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_set_name (all, _ ("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  /* Start in a folder, not in GTK's Recent list: a holder file is
     usually handed over, not one the desk opened before. */
  if (self->folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), self->folder);
  else
    {
      const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser),
                                           documents != NULL ? documents : g_get_home_dir ());
    }
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (open_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
back_clicked_cb (GtkButton *button, IcBatchPage *self)
{
  reset (self);
}

/* -- issuing ------------------------------------------------------------------------------- */

typedef struct {
  IcBatchPage *page; /* a reference */
  char *path; /* a new batch */
  char *checksum; /* its content as checked */
  gint64 batch_id; /* or the batch resumed */
  GCancellable *stop;
  WfDesk *desk; /* while the task runs */
  WfBatchSummary summary;
  GPtrArray *rows; /* as the batch ended */
} Run;

static void
run_free (Run *r)
{
  g_object_unref (r->page);
  g_free (r->path);
  g_free (r->checksum);
  g_object_unref (r->stop);
  g_clear_pointer (&r->rows, g_ptr_array_unref);
  g_free (r);
}

typedef struct {
  IcBatchPage *page;
  GPtrArray *rows;
  gint64 batch_id;
} Update;

static void
update_free (Update *u)
{
  g_object_unref (u->page);
  g_clear_pointer (&u->rows, g_ptr_array_unref);
  g_free (u);
}

static gboolean
apply_update (gpointer data)
{
  Update *u = data;
  IcBatchPage *self = u->page;

  if (!self->running || u->rows == NULL)
    return G_SOURCE_REMOVE;
  self->batch_id = u->batch_id;
  show_rows (self, g_steal_pointer (&u->rows));
  update_count_label (self);
  update_buttons (self);
  return G_SOURCE_REMOVE;
}

/* In the task's thread: the rows as the registry now has them. */
static void
batch_changed_cb (gint64 batch_id, gpointer data)
{
  Run *r = data;
  Update *u = g_new0 (Update, 1);

  u->page = g_object_ref (r->page);
  u->rows = wf_batch_get_rows (r->desk, batch_id, NULL);
  u->batch_id = batch_id;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, apply_update, u,
                              (GDestroyNotify) update_free);
}

static void
cancel_other (GCancellable *cancellable, gpointer other)
{
  g_cancellable_cancel (other);
}

/* The task bar's Cancel stops like Pause: never half-way through a card. */
static gpointer
run_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable, GError **error)
{
  Run *r = data;
  WfBatchControl control = { r->stop, batch_changed_cb, r, r->checksum };
  gulong handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_other), r->stop, NULL);
  gboolean ok;

  r->desk = desk;
  ok = wf_batch_issue_full (desk, ia, r->path, r->path != NULL ? 0 : r->batch_id, &control,
                            &r->summary, NULL, error);
  g_cancellable_disconnect (cancellable, handler);
  if (r->summary.batch_id > 0)
    r->rows = wf_batch_get_rows (desk, r->summary.batch_id, NULL);
  r->desk = NULL;
  return ok ? GINT_TO_POINTER (1) : NULL;
}

static void
run_done (IcMainWindow *window, gpointer result, const GError *error, gpointer user_data)
{
  Run *r = user_data;
  IcBatchPage *self = r->page;
  gboolean stopped = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  self->running = FALSE;
  g_clear_object (&self->stop);
  if (r->summary.batch_id == 0)
    {
      /* Not stored (the file changed, or was imported meanwhile): the
       * window shows why; the preview stays. */
      show_rows (self, self->rows);
      update_buttons (self);
      return;
    }
  self->batch_id = r->summary.batch_id;
  g_clear_pointer (&self->path, g_free);
  /* The last outcome, and no row marked as being issued any more. */
  show_rows (self, r->rows != NULL ? g_steal_pointer (&r->rows) : self->rows);
  update_count_label (self);
  show_summary (self, self->pending == 0 ? END_FINISHED
                      : self->pausing    ? END_PAUSED
                      : stopped          ? END_STOPPED
                                         : END_FAILED);
  self->pausing = FALSE;
  update_buttons (self);
  refresh_resume_list (self);
}

static void
start_batch (IcBatchPage *self)
{
  Run *r;

  if (self->running || (self->path == NULL && self->batch_id == 0))
    return;
  r = g_new0 (Run, 1);
  r->page = g_object_ref (self);
  r->path = self->batch_id == 0 ? g_strdup (self->path) : NULL;
  r->checksum = g_strdup (self->checksum);
  r->batch_id = self->batch_id;
  r->stop = g_cancellable_new ();
  self->running = TRUE;
  self->pausing = FALSE;
  g_set_object (&self->stop, r->stop);
  show_rows (self, self->rows);
  update_buttons (self);
  show_page (self, "rows");
  /* The run's data also reaches run_done: it lives until after it. */
  if (!ic_main_window_run_task (get_window (self), _ ("Issuing the batch"), run_func, r,
                                (GDestroyNotify) run_free, NULL, run_done, r))
    {
      self->running = FALSE;
      g_clear_object (&self->stop);
      update_buttons (self);
      ic_main_window_show_message (get_window (self), GTK_MESSAGE_INFO,
                                   _ ("Another task is running. Wait until it ends, then try "
                                      "again."));
    }
}

static void
issue_clicked_cb (GtkButton *button, IcBatchPage *self)
{
  if (get_window (self) != NULL)
    start_batch (self);
}

static void
pause_clicked_cb (GtkButton *button, IcBatchPage *self)
{
  if (!self->running || self->stop == NULL)
    return;
  self->pausing = TRUE;
  g_cancellable_cancel (self->stop);
  update_buttons (self);
}

/* -- batches not finished ------------------------------------------------------------------ */

#define ROW_BATCH_ID "ic-batch-id"
#define ROW_SOURCE "ic-batch-source"

static void
resume_batch (IcBatchPage *self, GtkWidget *row)
{
  gint64 *id = g_object_get_data (G_OBJECT (row), ROW_BATCH_ID);

  if (id == NULL || self->running || get_window (self) == NULL)
    return;
  reset (self);
  set_source (self, NULL, g_object_get_data (G_OBJECT (row), ROW_SOURCE));
  self->batch_id = *id;
  start_batch (self);
}

static void
resume_row_activated_cb (GtkListBox *box, GtkListBoxRow *row, IcBatchPage *self)
{
  resume_batch (self, GTK_WIDGET (row));
}

static void
resume_button_clicked_cb (GtkButton *button, IcBatchPage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);

  if (row != NULL)
    resume_batch (self, row);
}

static GtkWidget *
resume_row_new (IcBatchPage *self, const WfBatchInfo *info)
{
  const WfBatchSummary *s = &info->summary;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *button = gtk_button_new_with_label (_ ("Resume"));
  g_autofree char *when = local_time (info->imported_at);
  g_autofree char *counts = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u of %u card issued, %u still to issue",
                   "%u of %u cards issued, %u still to issue", s->issued + s->pending),
      s->issued, s->issued + s->pending, s->pending);
  /* TRANSLATORS: when a batch was imported and by whom. */
  g_autofree char *imported = g_strdup_printf (_ ("Imported %s by %s"), when, info->imported_by);
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>\n%s\n<small>%s</small>",
                                                     info->source_name, counts, imported);
  g_autofree char *accessible = g_strdup_printf (_ ("Resume batch %s"), info->source_name);
  gint64 *id = g_new (gint64, 1);

  *id = s->batch_id;
  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  atk_object_set_name (gtk_widget_get_accessible (button), accessible);
  atk_object_set_name (gtk_widget_get_accessible (row), accessible);
  g_signal_connect_object (button, "clicked", G_CALLBACK (resume_button_clicked_cb), self, 0);
  g_object_set (box, "margin", 8, NULL);
  gtk_container_add (GTK_CONTAINER (box), label);
  gtk_container_add (GTK_CONTAINER (box), button);
  gtk_container_add (GTK_CONTAINER (row), box);
  g_object_set_data_full (G_OBJECT (row), ROW_BATCH_ID, id, g_free);
  g_object_set_data_full (G_OBJECT (row), ROW_SOURCE, g_strdup (info->source_name), g_free);
  gtk_widget_show_all (row);
  return row;
}

static void
clear_resume_list (IcBatchPage *self)
{
  g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (self->resume_list));

  for (GList *l = children; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
}

static void
list_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *infos = wf_batch_list_unfinished (data, &error);

  if (infos == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, infos, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_ready (GObject *source, GAsyncResult *res, gpointer data)
{
  IcBatchPage *self = IC_BATCH_PAGE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) infos = g_task_propagate_pointer (G_TASK (res), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  clear_resume_list (self);
  /* Logged out meanwhile, or the registry unreadable: the list stays
   * empty; a task shows the registry's error when one is run. */
  for (guint i = 0; infos != NULL && i < infos->len; i++)
    gtk_container_add (GTK_CONTAINER (self->resume_list), resume_row_new (self, infos->pdata[i]));
}

/* The batches with rows to issue, read in a thread (no task: the page
 * reads them whenever it is shown). */
static void
refresh_resume_list (IcBatchPage *self)
{
  IcMainWindow *window = get_window (self);
  WfSession *session = window != NULL ? ic_main_window_get_session (window) : NULL;
  g_autoptr (GTask) task = NULL;

  if (self->list_cancellable != NULL)
    g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  if (session == NULL || !wf_session_is_active (session))
    {
      clear_resume_list (self);
      return;
    }
  self->list_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->list_cancellable, list_ready, NULL);
  g_task_set_task_data (task, g_object_ref (ic_main_window_get_desk (window)), g_object_unref);
  g_task_run_in_thread (task, list_thread);
}

/* -- the window ---------------------------------------------------------------------------- */

static void
session_changed_cb (IcMainWindow *window, IcBatchPage *self)
{
  WfSession *session = ic_main_window_get_session (window);

  /* Logged out: the holders' data go with the operator. */
  if (session == NULL || !wf_session_is_active (session))
    {
      if (!self->running)
        reset (self);
      else
        clear_resume_list (self);
      return;
    }
  refresh_resume_list (self);
}

static void
ic_batch_page_hierarchy_changed (GtkWidget *widget, GtkWidget *previous)
{
  IcBatchPage *self = IC_BATCH_PAGE (widget);
  IcMainWindow *window = get_window (self);

  if (window == self->window)
    return;
  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  g_set_weak_pointer (&self->window, window);
  if (window != NULL)
    g_signal_connect_object (window, "session-changed", G_CALLBACK (session_changed_cb), self, 0);
}

static void
ic_batch_page_map (GtkWidget *widget)
{
  IcBatchPage *self = IC_BATCH_PAGE (widget);

  GTK_WIDGET_CLASS (ic_batch_page_parent_class)->map (widget);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "start") == 0)
    refresh_resume_list (self);
}

/* -- saving -------------------------------------------------------------------------------- */

typedef struct {
  gint64 batch_id;
  char *path;
} Save;

static void
save_free (Save *s)
{
  g_free (s->path);
  g_free (s);
}

static gpointer
report_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable,
             GError **error)
{
  Save *s = data;

  return wf_batch_write_report (desk, s->batch_id, s->path, error) ? g_strdup (s->path) : NULL;
}

static gpointer
signoff_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable,
              GError **error)
{
  Save *s = data;

  return wf_batch_write_signoff (desk, ia, s->batch_id, s->path, error) ? g_strdup (s->path) : NULL;
}

static void
report_done (IcMainWindow *window, gpointer result, const GError *error, gpointer user_data)
{
  g_autoptr (IcBatchPage) self = user_data;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (result == NULL)
    return;
  name = g_filename_display_name (result);
  text = g_strdup_printf (_ ("The outcome of every row was saved as %s."), name);
  ic_main_window_show_message (window, GTK_MESSAGE_INFO, text);
}

static void
signoff_done (IcMainWindow *window, gpointer result, const GError *error, gpointer user_data)
{
  g_autoptr (IcBatchPage) self = user_data;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;

  if (result == NULL)
    return;
  name = g_filename_display_name (result);
  text = g_strdup_printf (
      _ ("The sign-off list was saved as %s. Print it for the holders to sign when they take "
         "their cards."),
      name);
  ic_main_window_show_message (window, GTK_MESSAGE_INFO, text);
}

static Save *
save_new (IcBatchPage *self, const char *path)
{
  Save *s = g_new0 (Save, 1);

  s->batch_id = self->batch_id;
  s->path = g_strdup (path);
  return s;
}

void
ic_batch_page_save_report (IcBatchPage *self, const char *path)
{
  g_return_if_fail (IC_IS_BATCH_PAGE (self));
  g_return_if_fail (path != NULL);

  if (self->batch_id > 0)
    run (self, _ ("Saving the outcome of every row"), report_func, save_new (self, path),
         (GDestroyNotify) save_free, g_free, report_done);
  else
    ic_page_say_not_saved (get_window (self));
}

void
ic_batch_page_save_signoff (IcBatchPage *self, const char *path)
{
  g_return_if_fail (IC_IS_BATCH_PAGE (self));
  g_return_if_fail (path != NULL);

  if (self->batch_id > 0)
    run (self, _ ("Saving the sign-off list"), signoff_func, save_new (self, path),
         (GDestroyNotify) save_free, g_free, signoff_done);
  else
    ic_page_say_not_saved (get_window (self));
}

static void
save_report_to (GtkWindow *parent, const char *path, gpointer self)
{
  ic_batch_page_save_report (self, path);
}

static void
save_signoff_to (GtkWindow *parent, const char *path, gpointer self)
{
  ic_batch_page_save_signoff (self, path);
}

/* A save dialog proposing "<file>-<suffix>", next to the file the batch
 * came from. */
static void
ask_save_path (IcBatchPage *self, const char *title, const char *suffix, const char *filter_name,
               const char *pattern, IcPageSaveFunc save)
{
  g_autofree char *stem = NULL;
  g_autofree char *name = NULL;
  const char *dot;

  stem = g_strdup (self->source_name != NULL && self->source_name[0] ? self->source_name : "batch");
  dot = strrchr (stem, '.');
  if (dot != NULL && dot != stem)
    stem[dot - stem] = '\0';
  name = g_strconcat (stem, suffix, NULL);
  ic_page_ask_save_path (GTK_WINDOW (gtk_widget_get_toplevel (GTK_WIDGET (self))), title,
                         self->folder, name, filter_name, pattern, save, g_object_ref (self),
                         g_object_unref);
}

static void
save_report_clicked_cb (GtkButton *button, IcBatchPage *self)
{
  ask_save_path (self, _ ("Save the Outcome of Every Row"), "-report.csv", _ ("CSV files"), "*.csv",
                 save_report_to);
}

static void
save_signoff_clicked_cb (GtkButton *button, IcBatchPage *self)
{
  ask_save_path (self, _ ("Save the Sign-off List"), "-signoff.pdf", _ ("PDF files"), "*.pdf",
                 save_signoff_to);
}

/* -- GObject ------------------------------------------------------------------------------- */

static void
ic_batch_page_dispose (GObject *object)
{
  IcBatchPage *self = IC_BATCH_PAGE (object);

  if (self->list_cancellable != NULL)
    g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  if (self->stop != NULL)
    g_cancellable_cancel (self->stop);
  g_clear_object (&self->stop);
  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  g_clear_weak_pointer (&self->window);
  g_clear_object (&self->store);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (ic_batch_page_parent_class)->dispose (object);
}

static void
ic_batch_page_finalize (GObject *object)
{
  IcBatchPage *self = IC_BATCH_PAGE (object);

  g_free (self->path);
  g_free (self->checksum);
  g_free (self->source_name);
  g_free (self->folder);
  G_OBJECT_CLASS (ic_batch_page_parent_class)->finalize (object);
}

static void
ic_batch_page_class_init (IcBatchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ic_batch_page_dispose;
  object_class->finalize = ic_batch_page_finalize;
  widget_class->hierarchy_changed = ic_batch_page_hierarchy_changed;
  widget_class->map = ic_batch_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-batch-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcBatchPage, name)
  CHILD (open_button);
  CHILD (stack);
  CHILD (resume_list);
  CHILD (file_label);
  CHILD (encoding_label);
  CHILD (file_problems_label);
  CHILD (count_label);
  CHILD (rows_view);
  CHILD (back_button);
  CHILD (issue_button);
  CHILD (pause_button);
  CHILD (summary_title);
  CHILD (summary_detail);
  CHILD (summary_view);
  CHILD (save_report_button);
  CHILD (save_signoff_button);
  CHILD (done_button);
  CHILD (resume_button);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, wrap_to_column_cb);
  gtk_widget_class_bind_template_callback (widget_class, open_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, issue_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, pause_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, resume_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_report_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_signoff_clicked_cb);
}

static void
ic_batch_page_init (IcBatchPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->store = gtk_list_store_new (IC_BATCH_N_COLUMNS, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_STRING,
                                    G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                    G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                    G_TYPE_STRING, GDK_TYPE_RGBA, G_TYPE_STRING, G_TYPE_INT);
  gtk_tree_view_set_model (self->rows_view, GTK_TREE_MODEL (self->store));
  gtk_tree_view_set_model (self->summary_view, GTK_TREE_MODEL (self->store));
  update_buttons (self);
}

GtkWidget *
ic_batch_page_new (void)
{
  return g_object_new (IC_TYPE_BATCH_PAGE, NULL);
}
