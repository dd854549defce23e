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

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, gpointer data)
{
  IcMainWindow *window = IC_MAIN_WINDOW (gtk_native_dialog_get_transient_for (chooser));
  g_autofree char *card_number = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      Receipt *r = g_new0 (Receipt, 1);
      g_autofree char *number = wf_icard_format_card_number (card_number);
      g_autofree char *title = g_strdup_printf (_ ("Saving the receipt of card %s"), number);

      r->card_number = g_steal_pointer (&card_number);
      r->path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));
      /* r is freed by receipt_done, which always runs once the task started. */
      /* A busy window says why it refused. */
      if (r->path == NULL
          || !ic_main_window_run_task (window, title, receipt_func, r, NULL, NULL, receipt_done, r))
        receipt_free (r);
    }
  g_object_unref (chooser);
}

void
ic_page_save_receipt (IcMainWindow *window, const char *card_number)
{
  GtkFileChooserNative *chooser;
  GtkFileFilter *filter;
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  g_autofree char *name = NULL;

  g_return_if_fail (IC_IS_MAIN_WINDOW (window));
  g_return_if_fail (card_number != NULL);

  chooser = gtk_file_chooser_native_new (_ ("Save the Hand-over Receipt"), GTK_WINDOW (window),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _ ("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_filter_add_pattern (filter, "*.pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), documents);
  /* TRANSLATORS: the receipt's suggested file name; %s is the card number. */
  name = g_strdup_printf (_ ("receipt-%s.pdf"), card_number);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_strdup (card_number));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
