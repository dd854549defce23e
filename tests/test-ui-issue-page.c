/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-issue-page.c: the Issue card page end to end in one process: a
 * window on a simulated desk with the issuing administrator logged in,
 * the form filled, Issue pressed, the main loop run until the task ends;
 * then the result area, the registry, the printed receipt (exported as
 * PDF through the same GtkPrintOperation) and a refusal shown in the
 * message bar. */
#include "config.h"

#include "db-registry.h"
#include "ic-holder-form.h"
#include "ic-issue-page.h"
#include "ui-test-util.h"

#define ID_1 "510402198503172316"

static IcIssuePage *
issue_page (UiDesk *u)
{
  return IC_ISSUE_PAGE (ui_find_type (GTK_WIDGET (u->window), IC_TYPE_ISSUE_PAGE));
}

static void
fill (IcIssuePage *page, const char *id, const char *name)
{
  IcHolderForm *form = ic_issue_page_get_form (page);

  gtk_entry_set_text (GTK_ENTRY (ic_holder_form_get_field_widget (form, WF_ICARD_FIELD_ID_NUMBER)),
                      id);
  gtk_entry_set_text (GTK_ENTRY (ic_holder_form_get_field_widget (form, WF_ICARD_FIELD_NAME)),
                      name);
  gtk_entry_set_text (
      GTK_ENTRY (ic_holder_form_get_field_widget (form, WF_ICARD_FIELD_EMPLOYER_CODE)),
      "5104001234");
  ui_iterate ();
}

static char *
pdf_text (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  const char *argv[] = { "pdftotext", "-raw", path, "-", NULL };
  int status = 0;

  if (g_find_program_in_path ("pdftotext") == NULL)
    g_error ("pdftotext is missing: install poppler-utils (tools/bootstrap)");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&out);
}

static void
test_issue (UiDesk *u, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (DbCard) rec = NULL;
  g_autoptr (DbHolder) holder = NULL;
  g_autofree char *grouped = NULL;
  g_autofree char *receipt = g_build_filename (u->wf.sim.dir, "printed.pdf", NULL);
  g_autofree char *text = NULL;
  IcIssuePage *page = issue_page (u);
  GtkWidget *issue = ui_button (GTK_WIDGET (page), "_Issue card");
  const char *number;

  /* The page is in the sidebar for this operator, and shown. */
  ic_main_window_show_page (u->window, "issue");
  ui_iterate ();
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (page)));
  g_assert_false (gtk_widget_get_sensitive (issue));

  fill (page, ID_1, "张伟");
  g_assert_true (gtk_widget_get_sensitive (issue));
  /* The blank insurance card is in R2 before Issue is pressed. */
  ui_put_in_r2 (u, tu_wf_new_card (&u->wf, CS_CARD_SLE4428));
  gtk_button_clicked (GTK_BUTTON (issue));
  ui_wait_task (u->window);

  number = ic_issue_page_get_card_number (page);
  if (number == NULL)
    {
      g_autofree char *screen = ui_screen_text (GTK_WIDGET (u->window));

      g_error ("no card issued; the screen says: %s", screen);
    }
  g_assert_cmpuint (strlen (number), ==, 10);
  /* The result area shows the card number grouped, the SN and the holder. */
  grouped = wf_icard_format_card_number (number);
  g_assert_nonnull (ui_shown_label (GTK_WIDGET (page), grouped));
  g_assert_nonnull (ui_shown_label (GTK_WIDGET (page), "张伟 (" ID_1 ")"));
  g_assert_false (gtk_widget_is_drawable (issue));

  /* The registry has the card, issued to this holder. */
  db = wf_desk_open_db (u->wf.desk, &error);
  g_assert_no_error (error);
  rec = db_cards_get_by_number (db, number, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rec->status, ==, DB_CARD_ISSUED);
  g_assert_cmpstr (rec->holder_id, ==, ID_1);
  g_assert_nonnull (ui_shown_label (GTK_WIDGET (page), rec->sn));
  holder = db_holders_get (db, ID_1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (holder->name, ==, "张伟");
  g_assert_cmpstr (holder->employer_code, ==, "5104001234");

  /* Printing draws the receipt of this card (exported, no dialog). */
  ic_issue_page_export_receipt (page, receipt);
  ui_wait_task (u->window);
  g_assert_true (g_file_test (receipt, G_FILE_TEST_EXISTS));
  text = pdf_text (receipt);
  g_assert_nonnull (strstr (text, grouped));
  g_assert_nonnull (strstr (text, rec->sn));
  g_assert_nonnull (strstr (text, "510402********2316"));

  /* Issue another: an empty form again. */
  gtk_button_clicked (GTK_BUTTON (ui_button (GTK_WIDGET (page), "Issue _another")));
  ui_iterate ();
  g_assert_null (ic_issue_page_get_card_number (page));
  g_assert_true (gtk_widget_is_drawable (issue));
  g_assert_false (gtk_widget_get_sensitive (issue));
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (ic_holder_form_get_field_widget (
                       ic_issue_page_get_form (page), WF_ICARD_FIELD_ID_NUMBER))),
                   ==, "");

  /* The same holder again: refused, said in the message bar; the form
   * stays as typed for the clerk. */
  fill (page, ID_1, "张伟");
  ui_put_in_r2 (u, tu_wf_new_card (&u->wf, CS_CARD_SLE4428));
  gtk_button_clicked (GTK_BUTTON (issue));
  ui_wait_task (u->window);
  g_assert_null (ic_issue_page_get_card_number (page));
  g_assert_nonnull (ui_wait_shown_label (GTK_WIDGET (u->window), "Replace"));
  g_assert_true (gtk_widget_get_sensitive (issue));

  /* Logging out takes the holder's data off the screen. */
  wf_session_end (u->session);
  ic_main_window_refresh_session (u->window);
  ui_iterate ();
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (ic_holder_form_get_field_widget (
                       ic_issue_page_get_form (page), WF_ICARD_FIELD_NAME))),
                   ==, "");
}

int
main (int argc, char **argv)
{
  int status;

  ui_test_init (&argc, &argv);
  g_test_add ("/ui/issue-page/issue", UiDesk, NULL, ui_desk_setup, test_issue, ui_desk_teardown);
  status = g_test_run ();
  g_object_unref (ui_app);
  return status;
}
