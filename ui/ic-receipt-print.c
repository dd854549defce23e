/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-receipt-print.c: printing a card's receipt (ic-receipt-print.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-receipt-print.h"

/* The printer and its options as chosen last, for the next receipt. */
static GtkPrintSettings *last_settings;

static void
draw_page_cb (GtkPrintOperation *op, GtkPrintContext *context, int page, WfIcardReceipt *receipt)
{
  cairo_t *cr = gtk_print_context_get_cairo_context (context);
  double scale = MIN (gtk_print_context_get_width (context) / WF_RECEIPT_PAGE_WIDTH,
                      gtk_print_context_get_height (context) / WF_RECEIPT_PAGE_HEIGHT);

  /* Letter or a smaller paper: the A4 page shrinks to fit, never cut. */
  cairo_scale (cr, scale, scale);
  wf_receipt_render (cr, &receipt->place, &receipt->card);
}

static void
show_print_error (IcMainWindow *window, const GError *error)
{
  g_autofree char *text =
      g_strdup_printf (_ ("The receipt could not be printed: %s\nCheck the printer, or save the "
                          "receipt as PDF and print that file."),
                       error->message);

  ic_main_window_show_message (window, GTK_MESSAGE_ERROR, text);
}

static void
handle_result (GtkPrintOperation *op, GtkPrintOperationResult result, IcMainWindow *window)
{
  g_autoptr (GError) error = NULL;

  if (result == GTK_PRINT_OPERATION_RESULT_APPLY)
    g_set_object (&last_settings, gtk_print_operation_get_print_settings (op));
  else if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      gtk_print_operation_get_error (op, &error);
      if (error != NULL)
        show_print_error (window, error);
    }
}

static void
done_cb (GtkPrintOperation *op, GtkPrintOperationResult result, IcMainWindow *window)
{
  handle_result (op, result, window);
}

void
ic_receipt_print (IcMainWindow *window, WfIcardReceipt *receipt, const char *export_pdf)
{
  g_autoptr (GtkPrintOperation) op = gtk_print_operation_new ();
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GError) error = NULL;
  GtkPaperSize *a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autofree char *number = wf_icard_format_card_number (receipt->card.card_number);
  g_autofree char *job = g_strdup_printf (_ ("Receipt for card %s"), number);
  GtkPrintOperationResult result;

  g_return_if_fail (IC_IS_MAIN_WINDOW (window));
  g_return_if_fail (receipt != NULL);

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_paper_size_free (a4);
  gtk_print_operation_set_default_page_setup (op, setup);
  if (last_settings != NULL)
    gtk_print_operation_set_print_settings (op, last_settings);
  gtk_print_operation_set_job_name (op, job);
  gtk_print_operation_set_n_pages (op, 1);
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (op, TRUE);
  /* The receipt lives as long as the operation. */
  g_object_set_data_full (G_OBJECT (op), "ic-receipt", receipt,
                          (GDestroyNotify) wf_icard_receipt_free);
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page_cb), receipt);
  if (export_pdf != NULL)
    {
      gtk_print_operation_set_export_filename (op, export_pdf);
      result = gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_EXPORT, GTK_WINDOW (window),
                                        &error);
      if (result == GTK_PRINT_OPERATION_RESULT_ERROR && error != NULL)
        show_print_error (window, error);
      return;
    }
  /* The dialog does not block the desk; "done" tells how it ended. */
  gtk_print_operation_set_allow_async (op, TRUE);
  g_signal_connect_object (op, "done", G_CALLBACK (done_cb), window, 0);
  result = gtk_print_operation_run (op, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    GTK_WINDOW (window), &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR && error != NULL)
    show_print_error (window, error);
}
