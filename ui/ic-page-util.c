/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-page-util.c: helpers shared by the pages (ic-page-util.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-page-util.h"
#include "wf-insurance.h"

typedef struct {
  GtkWidget *page;
  IcTaskDone done;
} PageTask;

static void
page_task_done (IcMainWindow *window, gpointer result, const GError *error, gpointer data)
{
  PageTask *pt = data;

  /* The window may outlive the page (and a task may end after a logout
   * that rebuilt nothing): a page no longer in its window shows nothing. */
  if (pt->done != NULL && gtk_widget_get_parent (pt->page) != NULL
      && !gtk_widget_in_destruction (pt->page))
    pt->done (window, result, error, pt->page);
  g_object_unref (pt->page);
  g_free (pt);
}

gboolean
ic_page_run_task (GtkWidget *page, IcMainWindow *window, const char *title, IcTaskFunc func,
                  gpointer data, GDestroyNotify data_free, GDestroyNotify result_free,
                  IcTaskDone done)
{
  PageTask *pt;

  g_return_val_if_fail (GTK_IS_WIDGET (page), FALSE);
  g_return_val_if_fail (IC_IS_MAIN_WINDOW (window), FALSE);

  pt = g_new0 (PageTask, 1);
  pt->page = g_object_ref (page);
  pt->done = done;
  if (!ic_main_window_run_task (window, title, func, data, data_free, result_free, page_task_done,
                                pt))
    {
      g_object_unref (pt->page);
      g_free (pt);
      return FALSE;
    }
  return TRUE;
}

static void
follow_focus_cb (GtkWidget *widget, gpointer data)
{
  ic_page_follow_focus (widget);
}

void
ic_page_follow_focus (GtkWidget *page)
{
  if (GTK_IS_VIEWPORT (page) && GTK_IS_CONTAINER (gtk_bin_get_child (GTK_BIN (page))))
    {
      GtkContainer *content = GTK_CONTAINER (gtk_bin_get_child (GTK_BIN (page)));

      gtk_container_set_focus_vadjustment (content,
                                           gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (page)));
      gtk_container_set_focus_hadjustment (content,
                                           gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (page)));
    }
  if (GTK_IS_CONTAINER (page))
    gtk_container_foreach (GTK_CONTAINER (page), follow_focus_cb, NULL);
}

void
ic_outcome_show (IcOutcome *outcome, const char *text, const char *receipt_card_number)
{
  g_free (outcome->receipt_card_number);
  outcome->receipt_card_number = g_strdup (receipt_card_number);
  gtk_label_set_text (outcome->label, text);
  gtk_widget_set_visible (outcome->receipt_button, receipt_card_number != NULL);
  gtk_revealer_set_reveal_child (outcome->revealer, TRUE);
}

void
ic_outcome_hide (IcOutcome *outcome)
{
  g_clear_pointer (&outcome->receipt_card_number, g_free);
  gtk_label_set_text (outcome->label, "");
  gtk_widget_hide (outcome->receipt_button);
  gtk_revealer_set_reveal_child (outcome->revealer, FALSE);
}

void
ic_outcome_save_receipt (IcOutcome *outcome, IcMainWindow *window)
{
  if (outcome->receipt_card_number != NULL && window != NULL)
    ic_page_save_receipt (window, outcome->receipt_card_number);
}

void
ic_outcome_clear (IcOutcome *outcome)
{
  g_clear_pointer (&outcome->receipt_card_number, g_free);
}

void
ic_page_say_not_saved (IcMainWindow *window)
{
  if (window != NULL)
    ic_main_window_show_message (window, GTK_MESSAGE_WARNING,
                                 _ ("Nothing was saved: you were logged out. Log in again, then "
                                    "save."));
}

void
ic_page_set_problem (GtkLabel *label, const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

char *
ic_page_format_time (const char *iso8601)
{
  g_autoptr (GDateTime) utc = NULL;
  g_autoptr (GDateTime) local = NULL;

  if (iso8601 == NULL)
    return g_strdup ("");
  utc = g_date_time_new_from_iso8601 (iso8601, NULL);
  if (utc == NULL)
    return g_strdup (iso8601);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

/* -- receipts ------------------------------------------------------------------------------ */

typedef struct {
  char *card_number;
  char *path;
} Receipt;

static void
receipt_free (Receipt *r)
{
  g_free (r->card_number);
  g_free (r->path);
  g_free (r);
}

static gpointer
receipt_func (WfDesk *desk, WfInteraction *interaction, gpointer data, GCancellable *cancellable,
              GError **error)
{
  Receipt *r = data;

  return wf_icard_write_receipt (desk, interaction, r->card_number, r->path, error)
             ? GINT_TO_POINTER (1)
             : NULL;
}

static void
receipt_done (IcMainWindow *window, gpointer result, const GError *error, gpointer data)
{
  Receipt *r = data;

  if (result != NULL)
    {
      g_autofree char *number = wf_icard_format_card_number (r->card_number);
      g_autofree char *shown = g_filename_display_name (r->path);
      g_autofree char *text = g_strdup_printf (
          _ ("The receipt of card %s is saved as %s. Print it for the holder to sign."), number,
          shown);

      ic_main_window_show_message (window, GTK_MESSAGE_INFO, text);
    }
  receipt_free (r);
}

typedef struct {
  IcPageSaveFunc save;
  gpointer data;
  GDestroyNotify data_free;
} SaveAsked;

static void
save_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  SaveAsked *asked = user_data;

  /* No parent any more: the window closed while the dialog was open. */
  if (response == GTK_RESPONSE_ACCEPT && gtk_native_dialog_get_transient_for (chooser) != NULL)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));

      if (path != NULL)
        asked->save (gtk_native_dialog_get_transient_for (chooser), path, asked->data);
    }
  if (asked->data_free != NULL)
    asked->data_free (asked->data);
  g_free (asked);
  g_object_unref (chooser);
}

void
ic_page_ask_save_path (GtkWindow *parent, const char *title, const char *folder, const char *name,
                       const char *filter_name, const char *pattern, IcPageSaveFunc save,
                       gpointer data, GDestroyNotify data_free)
{
  GtkFileChooserNative *chooser;
  SaveAsked *asked;

  if (!GTK_IS_WINDOW (parent))
    {
      g_critical ("%s: no window to ask over", G_STRFUNC);
      if (data_free != NULL)
        data_free (data);
      return;
    }
  asked = g_new0 (SaveAsked, 1);
  if (folder == NULL)
    folder = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  if (folder == NULL || !g_file_test (folder, G_FILE_TEST_IS_DIR))
    folder = g_get_home_dir ();
  chooser = gtk_file_chooser_native_new (title, parent, GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"),
                                         _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), folder);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (pattern != NULL)
    {
      GtkFileFilter *filter = gtk_file_filter_new ();

      gtk_file_filter_set_name (filter, filter_name);
      gtk_file_filter_add_pattern (filter, pattern);
      gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
    }
  asked->save = save;
  asked->data = data;
  asked->data_free = data_free;
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), asked);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
save_receipt (GtkWindow *parent, const char *path, gpointer data)
{
  IcMainWindow *window = IC_MAIN_WINDOW (parent);
  const char *card_number = data;
  Receipt *r = g_new0 (Receipt, 1);
  g_autofree char *number = wf_icard_format_card_number (card_number);
  g_autofree char *title = g_strdup_printf (_ ("Saving the receipt of card %s"), number);

  r->card_number = g_strdup (card_number);
  r->path = g_strdup (path);
  /* r is freed by receipt_done, which always runs once the task started;
   * a busy window says why it refused. */
  if (!ic_main_window_run_task (window, title, receipt_func, r, NULL, NULL, receipt_done, r))
    receipt_free (r);
}

void
ic_page_save_receipt (IcMainWindow *window, const char *card_number)
{
  g_autofree char *name = NULL;

  g_return_if_fail (IC_IS_MAIN_WINDOW (window));
  g_return_if_fail (card_number != NULL);

  /* TRANSLATORS: the receipt's suggested file name; %s is the card number. */
  name = g_strdup_printf (_ ("receipt-%s.pdf"), card_number);
  ic_page_ask_save_path (GTK_WINDOW (window), _ ("Save the Hand-over Receipt"), NULL, name,
                         _ ("PDF documents"), "*.pdf", save_receipt, g_strdup (card_number),
                         g_free);
}
