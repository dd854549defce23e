/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-journal-page.c: the "Unfinished issuances" page over the
 * in-process simulator: an issuance cut short by pulling its card shows
 * in the list after the next login (the page shown and the message bar
 * saying so), and its Finish button, with the card back in R2, issues the
 * card and empties the list. */
#include "config.h"

#include "db-issuance.h"
#include "ic-journal-page.h"
#include "ui-test-util.h"

/* An issuance pulled short after the journal recorded it; its attempt. */
static DbIssuance *
interrupt_issuance (UiFixture *f, const char **path)
{
  const char *blank = tu_wf_new_card (&f->wf, CS_CARD_SLE4428);
  WfIcardHolder h;

  ui_holder (&h, UI_ID_1, "张伟");
  for (guint k = 1; k < 200; k++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (WfIssued) issued = NULL;
      g_autoptr (GPtrArray) open = NULL;
      g_autofree char *spec = g_strdup_printf ("pull-after=%u", k);

      tu_wf_empty (&f->wf, 1);
      tu_wf_plan (&f->wf, "blank-sle4428", blank);
      f->wf.fault_card = blank;
      f->wf.fault_spec = spec;
      issued = wf_icard_issue (f->wf.desk, WF_INTERACTION (f->wf.ia), &h, NULL, &error);
      f->wf.fault_card = NULL;
      g_assert_null (issued); /* it ends before the card is done */
      g_assert_nonnull (error);
      g_clear_error (&error);
      open = wf_journal_list (f->wf.desk, &error);
      g_assert_no_error (error);
      if (open->len == 1)
        {
          wf_icard_holder_clear (&h);
          *path = blank;
          return g_ptr_array_steal_index (open, 0);
        }
    }
  g_assert_not_reached ();
}

static GtkListBox *
journal_list (UiFixture *f)
{
  return GTK_LIST_BOX (ui_find (GTK_WIDGET (f->window), GTK_TYPE_LIST_BOX, "Unfinished issuances"));
}

static guint
count_rows (GtkListBox *list)
{
  g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (list));

  return g_list_length (rows);
}

static void
test_finish (UiFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbIssuance) attempt = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (DbCard) rec = NULL;
  g_autoptr (GPtrArray) open = NULL;
  g_autofree char *number = NULL;
  g_autofree char *finish_name = NULL;
  g_autofree char *undo_name = NULL;
  GtkWidget *page = ic_journal_page_new (f->window);
  GtkWidget *finish;
  GtkLabel *message;
  const char *blank = NULL;

  ic_main_window_add_page (f->window, page, "unfinished", "Unfinished issuances", WF_PERM_ISSUE);
  gtk_widget_show (GTK_WIDGET (f->window));

  /* Nothing unfinished at the first login: no page forced, no message. */
  ui_log_in (f);
  g_assert_cmpuint (count_rows (journal_list (f)), ==, 0);
  g_assert_null (ui_find_label (GTK_WIDGET (f->window), "interrupted"));

  attempt = interrupt_issuance (f, &blank);
  number = wf_icard_format_card_number (attempt->card_number);

  /* The next operator is told and shown the page. */
  ui_log_out (f);
  g_assert_false (gtk_widget_get_visible (page));
  ui_log_in (f);
  g_assert_true (gtk_widget_get_visible (page));
  g_assert_true (gtk_stack_get_visible_child (GTK_STACK (gtk_widget_get_parent (page))) == page);
  message = ui_find_label (GTK_WIDGET (f->window), "1 issuance was interrupted");
  g_assert_nonnull (message);
  g_assert_cmpuint (count_rows (journal_list (f)), ==, 1);
  g_assert_nonnull (ui_find_label (page, number));
  g_assert_nonnull (ui_find_label (page, attempt->sn));
  g_assert_nonnull (ui_find_label (page, UI_ID_1));
  g_assert_nonnull (ui_find_label (page, wf_journal_step_label (attempt->step)));

  /* Finish, with the card back in R2. */
  ui_put_in_r2 (f, blank);
  finish_name = g_strdup_printf ("Finish issuing card %s", number);
  finish = ui_find (page, GTK_TYPE_BUTTON, finish_name);
  undo_name = g_strdup_printf ("Undo the issuance of card %s", number);
  g_assert_true (gtk_widget_get_sensitive (ui_find (page, GTK_TYPE_BUTTON, undo_name)));
  ui_press (f, finish);

  /* The card is issued, the journal empty, the list too, and the page says what happened. */
  db = wf_desk_open_db (f->wf.desk, &error);
  g_assert_no_error (error);
  rec = db_cards_get_by_sn (db, attempt->sn, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rec->status, ==, DB_CARD_ISSUED);
  open = wf_journal_list (f->wf.desk, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 0);
  g_assert_cmpuint (count_rows (journal_list (f)), ==, 0);
  g_assert_nonnull (ui_find_label (page, "is issued to 张伟"));
  g_assert_true (gtk_widget_get_visible (ui_find (page, GTK_TYPE_BUTTON, "Save receipt as PDF…")));
}

int
main (int argc, char **argv)
{
  ui_init (&argc, &argv);
  g_test_add ("/ui/journal-page/finish", UiFixture, NULL, ui_setup, test_finish, ui_teardown);
  return ui_run ();
}
