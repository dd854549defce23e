/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-history-page.c: the "History" page over the in-process
 * simulator: after an issuance, finding the card by its number and by its
 * holder's ID number lists the card and its log rows; what cannot be
 * searched is said before any task. */
#include "config.h"

#include "ic-history-page.h"
#include "ui-test-util.h"

static gboolean
log_has (GtkTreeModel *model, const char *action, const char *outcome)
{
  GtkTreeIter iter;

  for (gboolean ok = gtk_tree_model_get_iter_first (model, &iter); ok;
       ok = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *a = NULL;
      g_autofree char *o = NULL;
      g_autofree char *op = NULL;
      g_autofree char *ws = NULL;

      gtk_tree_model_get (model, &iter, IC_HISTORY_LOG_ACTION, &a, IC_HISTORY_LOG_OUTCOME, &o,
                          IC_HISTORY_LOG_OPERATOR, &op, IC_HISTORY_LOG_WORKSTATION, &ws, -1);
      if (g_strcmp0 (a, action) == 0 && g_strcmp0 (o, outcome) == 0)
        {
          g_assert_cmpstr (op, ==, "张三");
          g_assert_cmpstr (ws, ==, "DESK-01");
          return TRUE;
        }
    }
  return FALSE;
}

static void
assert_card_row (GtkTreeModel *cards, const WfIssued *issued)
{
  g_autofree char *number = NULL;
  g_autofree char *sn = NULL;
  g_autofree char *status = NULL;
  g_autofree char *issued_on = NULL;
  g_autofree char *grouped = wf_icard_format_card_number (issued->card_number);
  g_autofree char *date = wf_icard_date_format (issued->issue_date);
  gint64 rewrites = -1;
  GtkTreeIter iter;

  g_assert_cmpint (gtk_tree_model_iter_n_children (cards, NULL), ==, 1);
  g_assert_true (gtk_tree_model_get_iter_first (cards, &iter));
  gtk_tree_model_get (cards, &iter, IC_HISTORY_CARD_NUMBER, &number, IC_HISTORY_CARD_SN, &sn,
                      IC_HISTORY_CARD_STATUS, &status, IC_HISTORY_CARD_ISSUED, &issued_on,
                      IC_HISTORY_CARD_REWRITES, &rewrites, -1);
  g_assert_cmpstr (number, ==, grouped);
  g_assert_cmpstr (sn, ==, issued->sn);
  g_assert_cmpstr (status, ==, db_card_status_get_label (DB_CARD_ISSUED));
  g_assert_cmpstr (issued_on, ==, date);
  g_assert_cmpint (rewrites, ==, 0);
}

static void
test_search (UiFixture *f, gconstpointer data)
{
  g_autoptr (WfIssued) issued = NULL;
  GtkWidget *page = ic_history_page_new (f->window);
  GtkWidget *root = GTK_WIDGET (f->window);
  GtkEntry *entry;
  GtkWidget *search;
  GtkTreeView *cards_view, *log_view;
  GtkTreeModel *cards, *log;
  g_autofree char *summary = NULL;

  ic_main_window_add_page (f->window, page, "history", "History", WF_PERM_READ);
  gtk_widget_show (root);
  ui_log_in (f);
  g_assert_true (gtk_widget_get_visible (page));
  issued = ui_issue (f, UI_ID_1, "张伟", NULL);

  entry = GTK_ENTRY (ui_find (page, GTK_TYPE_ENTRY, "Card number or holder's ID number to find"));
  search = ui_find (page, GTK_TYPE_BUTTON, "Search");
  cards_view = GTK_TREE_VIEW (ui_find (page, GTK_TYPE_TREE_VIEW, "Cards found"));
  log_view = GTK_TREE_VIEW (
      ui_find (page, GTK_TYPE_TREE_VIEW, "What the log says was done to these cards"));
  cards = gtk_tree_view_get_model (cards_view);
  log = gtk_tree_view_get_model (log_view);
  ui_assert_sortable (cards_view);
  ui_assert_sortable (log_view);

  /* Not a card number yet: no search; too long: said so. */
  gtk_entry_set_text (entry, "12345");
  g_assert_false (gtk_widget_get_sensitive (search));
  g_assert_null (ui_find_label (page, "10 digits"));
  gtk_entry_set_text (entry, "12345678901");
  g_assert_false (gtk_widget_get_sensitive (search));
  g_assert_nonnull (ui_find_label (page, "10 digits"));

  /* By number (typed as printed, in groups). */
  {
    g_autofree char *grouped = wf_icard_format_card_number (issued->card_number);

    gtk_entry_set_text (entry, grouped);
  }
  g_assert_true (gtk_widget_get_sensitive (search));
  g_assert_null (ui_find_label (page, "10 digits"));
  ui_press (f, search);
  assert_card_row (cards, issued);
  g_assert_cmpint (gtk_tree_model_iter_n_children (log, NULL), >=, 1);
  g_assert_true (
      log_has (log, db_action_get_label (DB_ACTION_ISSUE), db_outcome_get_label (DB_OUTCOME_OK)));
  summary = g_strdup_printf ("1 card, %d log row", gtk_tree_model_iter_n_children (log, NULL));
  g_assert_nonnull (ui_find_label (page, summary));

  /* By the holder's ID number: the same card. */
  gtk_toggle_button_set_active (
      GTK_TOGGLE_BUTTON (ui_find (page, GTK_TYPE_RADIO_BUTTON, "By holder's ID number")), TRUE);
  g_assert_false (gtk_widget_get_sensitive (search)); /* a card number is no ID number */
  gtk_entry_set_text (entry, UI_ID_1);
  g_assert_true (gtk_widget_get_sensitive (search));
  /* Enter in the entry searches. */
  ui_settle (f);
  gtk_widget_activate (GTK_WIDGET (entry));
  g_assert_true (ic_main_window_is_busy (f->window));
  ui_wait (f);
  assert_card_row (cards, issued);
  g_assert_true (
      log_has (log, db_action_get_label (DB_ACTION_ISSUE), db_outcome_get_label (DB_OUTCOME_OK)));
  g_assert_nonnull (ui_find_label (page, "Holder " UI_ID_1 ": 1 card"));

  /* Sorting by a column keeps the rows. */
  gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (log), IC_HISTORY_LOG_SEQ,
                                        GTK_SORT_ASCENDING);
  g_assert_true (
      log_has (log, db_action_get_label (DB_ACTION_ISSUE), db_outcome_get_label (DB_OUTCOME_OK)));

  /* A holder with more log rows than a history lists: the newest ones,
   * and the summary says the older ones are in the audit log. */
  g_assert_null (ui_find_label (page, "Only the newest"));
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (DbDatabase) db = wf_desk_open_db (f->wf.desk, &error);
    DbAuditEntry row = { .actor = { .workstation = "TEST", .operator_name = "test" },
                         .action = DB_ACTION_READ,
                         .holder_id = UI_ID_1,
                         .outcome = DB_OUTCOME_OK };

    g_assert_no_error (error);
    for (guint i = 0; i < WF_ICARD_HISTORY_MAX_ROWS; i++)
      g_assert_true (db_audit_append (db, &row, NULL, &error));
  }
  ui_press (f, search);
  g_assert_cmpint (gtk_tree_model_iter_n_children (log, NULL), ==, WF_ICARD_HISTORY_MAX_ROWS);
  g_assert_nonnull (ui_find_label (page, "Only the newest 1000 are listed here"));

  /* Logged out: nothing of it stays on the page. */
  ui_log_out (f);
  g_assert_cmpint (gtk_tree_model_iter_n_children (cards, NULL), ==, 0);
  g_assert_cmpint (gtk_tree_model_iter_n_children (log, NULL), ==, 0);
  g_assert_cmpstr (gtk_entry_get_text (entry), ==, "");
}

int
main (int argc, char **argv)
{
  ui_init (&argc, &argv);
  g_test_add ("/ui/history-page/search", UiFixture, NULL, ui_setup, test_search, ui_teardown);
  return ui_run ();
}
