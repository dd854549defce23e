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

static IcIssuePage *
issue_page (UiFixture *f)
{
  return IC_ISSUE_PAGE (ui_find_type (GTK_WIDGET (f->window), IC_TYPE_ISSUE_PAGE));
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
test_issue (UiFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (DbCard) rec = NULL;
  g_autoptr (DbHolder) holder = NULL;
  g_autofree char *grouped = NULL;
  g_autofree char *receipt = g_build_filename (f->wf.sim.dir, "printed.pdf", NULL);
  g_autofree char *text = NULL;
  IcIssuePage *page = issue_page (f);
  GtkWidget *issue = ui_button (GTK_WIDGET (page), "_Issue card");
  const char *number;

  /* The page is in the sidebar for this operator, and shown. */
  ic_main_window_show_page (f->window, "issue");
  ui_settle (f);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (page)));
  g_assert_false (gtk_widget_get_sensitive (issue));

  fill (page, UI_ID_1, "张伟");
  g_assert_true (gtk_widget_get_sensitive (issue));
  /* The blank insurance card is in R2 before Issue is pressed. */
  ui_put_in_r2 (f, tu_wf_new_card (&f->wf, CS_CARD_SLE4428));
  ui_press (f, issue);

  number = ic_issue_page_get_card_number (page);
  if (number == NULL)
    {
      g_autofree char *screen = ui_screen_text (GTK_WIDGET (f->window));

      g_error ("no card issued; the message bar says: %s; the screen says: %s",
               ic_main_window_get_message (f->window), screen);
    }
  g_assert_cmpuint (strlen (number), ==, 10);
  /* The result area shows the card number grouped, the SN and the holder. */
  grouped = wf_icard_format_card_number (number);
  g_assert_nonnull (ui_find_label (GTK_WIDGET (page), grouped));
  g_assert_nonnull (ui_find_label (GTK_WIDGET (page), "张伟 (" UI_ID_1 ")"));
  g_assert_false (ui_is_shown (issue, GTK_WIDGET (f->window)));

  /* The registry has the card, issued to this holder. */
  db = wf_desk_open_db (f->wf.desk, &error);
  g_assert_no_error (error);
  rec = db_cards_get_by_number (db, number, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rec->status, ==, DB_CARD_ISSUED);
  g_assert_cmpstr (rec->holder_id, ==, UI_ID_1);
  g_assert_nonnull (ui_find_label (GTK_WIDGET (page), rec->sn));
  holder = db_holders_get (db, UI_ID_1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (holder->name, ==, "张伟");
  g_assert_cmpstr (holder->employer_code, ==, "5104001234");

  /* Printing draws the receipt of this card (exported, no dialog). */
  ui_settle (f);
  ic_issue_page_export_receipt (page, receipt);
  g_assert_true (ic_main_window_is_busy (f->window));
  ui_wait (f);
  g_assert_true (g_file_test (receipt, G_FILE_TEST_EXISTS));
  text = pdf_text (receipt);
  g_assert_nonnull (strstr (text, grouped));
  g_assert_nonnull (strstr (text, rec->sn));
  g_assert_nonnull (strstr (text, "510402********2316"));

  /* Issue another: an empty form again. */
  ui_click (f, ui_button (GTK_WIDGET (page), "Issue _another"));
  ui_iterate ();
  g_assert_null (ic_issue_page_get_card_number (page));
  g_assert_true (ui_is_shown (issue, GTK_WIDGET (f->window)));
  g_assert_false (gtk_widget_get_sensitive (issue));
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (ic_holder_form_get_field_widget (
                       ic_issue_page_get_form (page), WF_ICARD_FIELD_ID_NUMBER))),
                   ==, "");

  /* The same holder again: refused, said in the message bar; the form
   * stays as typed for the clerk. */
  fill (page, UI_ID_1, "张伟");
  ui_put_in_r2 (f, tu_wf_new_card (&f->wf, CS_CARD_SLE4428));
  ui_press (f, issue);
  g_assert_null (ic_issue_page_get_card_number (page));
  g_assert_nonnull (ui_find_label (GTK_WIDGET (f->window), "Replace"));
  g_assert_true (gtk_widget_get_sensitive (issue));

  /* Logging out takes the holder's data off the screen. */
  wf_session_end (f->session);
  ic_main_window_refresh_session (f->window);
  ui_iterate ();
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (ic_holder_form_get_field_widget (
                       ic_issue_page_get_form (page), WF_ICARD_FIELD_NAME))),
                   ==, "");
}

int
main (int argc, char **argv)
{
  ui_init (&argc, &argv);
  g_test_add ("/ui/issue-page/issue", UiFixture, NULL, ui_setup_desk, test_issue, ui_teardown);
  return ui_run ();
}
