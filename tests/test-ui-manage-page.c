/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-manage-page.c: the "Card actions" page over the in-process
 * simulator: report lost blacklists the card named in the search entry;
 * replace issues a new card to the holder and offers the receipt; cancel
 * asks first, in a dialog naming the card, and does nothing when refused. */
#include "config.h"

#include "ic-manage-page.h"
#include "ui-test-util.h"

static DbCard *
record (UiFixture *f, const char *sn)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = wf_desk_open_db (f->wf.desk, &error);
  DbCard *rec;

  g_assert_no_error (error);
  rec = db_cards_get_by_sn (db, sn, &error);
  g_assert_no_error (error);
  return rec;
}

static gboolean
blacklisted (UiFixture *f, const char *sn)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = wf_desk_open_db (f->wf.desk, &error);
  gboolean listed = FALSE;

  g_assert_no_error (error);
  g_assert_true (db_blacklist_contains (db, sn, &listed, &error));
  g_assert_no_error (error);
  return listed;
}

static GtkWidget *
set_up_page (UiFixture *f)
{
  GtkWidget *page = ic_manage_page_new (f->window);

  ic_main_window_add_page (f->window, page, "actions", "Card actions", WF_PERM_ISSUE);
  gtk_widget_show (GTK_WIDGET (f->window));
  ui_log_in (f);
  g_assert_true (gtk_widget_get_visible (page));
  return page;
}

/* Answers the workflow's confirmation dialog, once it names the card. */
typedef struct {
  const char *card_number;
  int response;
  gboolean answered;
} Answer;

static gboolean
answer_cb (gpointer data)
{
  Answer *a = data;
  g_autoptr (GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (GTK_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      {
        g_autofree char *secondary = NULL;

        g_object_get (l->data, "secondary-text", &secondary, NULL);
        g_assert_nonnull (strstr (secondary, a->card_number));
        gtk_dialog_response (l->data, a->response);
        a->answered = TRUE;
        return G_SOURCE_REMOVE;
      }
  return G_SOURCE_CONTINUE;
}

static void
test_report_lost (UiFixture *f, gconstpointer data)
{
  GtkWidget *page = set_up_page (f);
  g_autoptr (WfIssued) issued = ui_issue (f, UI_ID_1, "张伟", NULL);
  g_autoptr (DbCard) rec = NULL;
  g_autofree char *grouped = wf_icard_format_card_number (issued->card_number);
  GtkEntry *entry = GTK_ENTRY (ui_find (page, GTK_TYPE_ENTRY, "Lost card's number or serial"));
  GtkWidget *button = ui_find (page, GTK_TYPE_BUTTON, "Report lost");
  Answer no = { grouped, GTK_RESPONSE_NO, FALSE };
  Answer yes = { grouped, GTK_RESPONSE_YES, FALSE };

  tu_wf_empty (&f->wf, 1); /* no card needed */
  g_assert_false (blacklisted (f, issued->sn));

  /* Neither a number nor a serial: nothing to click, and a reason once it is long. */
  gtk_entry_set_text (entry, "123");
  g_assert_false (gtk_widget_get_sensitive (button));
  gtk_entry_set_text (entry, "12345678901234567");
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_nonnull (ui_find_label (page, "16 characters"));

  gtk_entry_set_text (entry, issued->card_number);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_assert_null (ui_find_label (page, "16 characters"));
  /* Asked first, naming the card: a mistyped number blacklists nobody. */
  g_timeout_add (50, answer_cb, &no);
  ui_press (f, button);
  g_assert_true (no.answered);
  g_assert_false (blacklisted (f, issued->sn));
  gtk_entry_set_text (entry, issued->card_number);
  g_timeout_add (50, answer_cb, &yes);
  ui_press (f, button);
  g_assert_true (yes.answered);

  g_assert_true (blacklisted (f, issued->sn));
  rec = record (f, issued->sn);
  g_assert_cmpint (rec->status, ==, DB_CARD_LOST);
  /* The page says which card, by number and serial. */
  g_assert_nonnull (ui_find_label (page, grouped));
  g_assert_nonnull (ui_find_label (page, issued->sn));
  g_assert_nonnull (ui_find_label (page, "reported lost and blacklisted"));
  g_assert_cmpstr (gtk_entry_get_text (entry), ==, "");
}

static void
test_replace (UiFixture *f, gconstpointer data)
{
  GtkWidget *page = set_up_page (f);
  g_autoptr (WfIssued) issued = ui_issue (f, UI_ID_1, "张伟", NULL);
  g_autoptr (DbCard) old = NULL;
  g_autoptr (GPtrArray) cards = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = NULL;
  GtkEntry *entry = GTK_ENTRY (ui_find (page, GTK_TYPE_ENTRY, "Holder's ID number"));
  GtkWidget *button = ui_find (page, GTK_TYPE_BUTTON, "Replace the card…");
  GtkWidget *receipt = ui_find (page, GTK_TYPE_BUTTON, "Save receipt as PDF…");
  const char *blank = tu_wf_new_card (&f->wf, CS_CARD_SLE4428);

  /* A wrong check digit: the field is named. */
  gtk_entry_set_text (entry, "510402198503172317");
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_nonnull (ui_find_label (page, wf_icard_field_label (WF_ICARD_FIELD_ID_NUMBER)));

  gtk_entry_set_text (entry, UI_ID_1);
  g_assert_true (gtk_widget_get_sensitive (button));
  gtk_toggle_button_set_active (
      GTK_TOGGLE_BUTTON (ui_find (page, GTK_TYPE_RADIO_BUTTON,
                                  "The old card is damaged: withdraw it (take it back)")),
      TRUE);
  ui_put_in_r2 (f, blank);
  ui_press (f, button);

  /* Damaged: the old card withdrawn, not blacklisted; a new card for the holder. */
  old = record (f, issued->sn);
  g_assert_cmpint (old->status, ==, DB_CARD_WITHDRAWN);
  g_assert_false (blacklisted (f, issued->sn));
  db = wf_desk_open_db (f->wf.desk, &error);
  cards = db_cards_list_for_holder (db, UI_ID_1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 2);
  g_assert_nonnull (ui_find_label (page, "which is withdrawn"));
  g_assert_nonnull (ui_find_label (page, issued->sn));
  g_assert_true (gtk_widget_get_visible (receipt));
}

static void
test_cancel (UiFixture *f, gconstpointer data)
{
  GtkWidget *page = set_up_page (f);
  const char *path = NULL;
  g_autoptr (WfIssued) issued = ui_issue (f, UI_ID_1, "张伟", &path);
  g_autoptr (DbCard) rec = NULL;
  g_autofree char *grouped = wf_icard_format_card_number (issued->card_number);
  GtkWidget *button = ui_find (page, GTK_TYPE_BUTTON, "Cancel the card…");
  Answer no = { grouped, GTK_RESPONSE_NO, FALSE };
  Answer yes = { grouped, GTK_RESPONSE_YES, FALSE };
  guint source;

  /* Refused in the dialog: nothing changes. */
  ui_put_in_r2 (f, path);
  source = g_timeout_add (50, answer_cb, &no);
  ui_press (f, button);
  g_assert_true (no.answered);
  rec = record (f, issued->sn);
  g_assert_cmpint (rec->status, ==, DB_CARD_ISSUED);
  g_clear_pointer (&rec, db_card_free);
  g_assert_null (ui_find_label (page, "is cancelled"));

  source = g_timeout_add (50, answer_cb, &yes);
  ui_press (f, button);
  g_assert_true (yes.answered);
  rec = record (f, issued->sn);
  g_assert_cmpint (rec->status, ==, DB_CARD_CANCELLED);
  g_assert_nonnull (ui_find_label (page, "is cancelled"));
  g_assert_nonnull (ui_find_label (page, issued->sn));
  (void) source;
}

int
main (int argc, char **argv)
{
  ui_init (&argc, &argv);
#define ADD(path, fn) g_test_add (path, UiFixture, NULL, ui_setup, fn, ui_teardown)
  ADD ("/ui/manage-page/report-lost", test_report_lost);
  ADD ("/ui/manage-page/replace", test_replace);
  ADD ("/ui/manage-page/cancel", test_cancel);
#undef ADD
  return ui_run ();
}
