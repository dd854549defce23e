/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-rewrite-page.c: the Rewrite card page over a simulated desk:
 * the card read into the form (the ID number not editable), a rewrite
 * with nothing changed writes nothing and says so, a new name is written
 * to the card and the registry. */
#include "config.h"

#include "ic-holder-form.h"
#include "ic-rewrite-page.h"
#include "ui-test-util.h"

static void
test_rewrite (UiFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfIssued) issued = ui_issue (f, UI_ID_1, "张伟", NULL);
  g_autoptr (WfIcardReport) report = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (DbHolder) holder = NULL;
  IcRewritePage *page;
  IcHolderForm *form;
  GtkWidget *rewrite, *id, *name;

  ic_main_window_show_page (f->window, "rewrite");
  ui_settle (f);
  page = IC_REWRITE_PAGE (ui_find_type (GTK_WIDGET (f->window), IC_TYPE_REWRITE_PAGE));
  form = ic_rewrite_page_get_form (page);
  rewrite = ui_button (GTK_WIDGET (page), "Re_write card");
  id = ic_holder_form_get_field_widget (form, WF_ICARD_FIELD_ID_NUMBER);
  name = ic_holder_form_get_field_widget (form, WF_ICARD_FIELD_NAME);
  /* Nothing to rewrite before the card is read. */
  g_assert_false (gtk_widget_get_sensitive (rewrite));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (form)));

  ui_press (f, ui_button (GTK_WIDGET (page), "_Read card"));
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (id)), ==, UI_ID_1);
  g_assert_cmpstr (gtk_entry_get_text (GTK_ENTRY (name)), ==, "张伟");
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (id)));
  g_assert_true (gtk_widget_get_sensitive (rewrite));
  g_assert_nonnull (strstr (ic_rewrite_page_get_status (page), "张伟"));

  /* Unchanged: nothing written, and the page says so. */
  ui_press (f, rewrite);
  g_assert_nonnull (strstr (ic_rewrite_page_get_status (page), "nothing was written"));

  /* A name too long stops the button; a good one is written. */
  gtk_entry_set_text (GTK_ENTRY (name), "张伟张伟张伟张伟张伟张");
  ui_iterate ();
  g_assert_false (gtk_widget_get_sensitive (rewrite));
  gtk_entry_set_text (GTK_ENTRY (name), "张伟明");
  ui_iterate ();
  g_assert_true (gtk_widget_get_sensitive (rewrite));
  ui_press (f, rewrite);
  g_assert_nonnull (strstr (ic_rewrite_page_get_status (page), "is rewritten"));

  /* The card and the registry both say so. */
  report = wf_icard_read (f->wf.desk, WF_INTERACTION (f->wf.ia), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (report->view.holder_decrypted);
  g_assert_cmpstr (report->view.data.holder.name, ==, "张伟明");
  g_assert_cmpuint (report->view.data.rewrite_counter, ==, 1);
  db = wf_desk_open_db (f->wf.desk, &error);
  g_assert_no_error (error);
  holder = db_holders_get (db, UI_ID_1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (holder->name, ==, "张伟明");
}

/* A blank card is not rewritten: the page sends the clerk to Issue. */
static void
test_blank (UiFixture *f, gconstpointer data)
{
  IcRewritePage *page;

  ic_main_window_show_page (f->window, "rewrite");
  ui_settle (f);
  page = IC_REWRITE_PAGE (ui_find_type (GTK_WIDGET (f->window), IC_TYPE_REWRITE_PAGE));
  ui_put_in_r2 (f, tu_wf_new_card (&f->wf, CS_CARD_SLE4428));
  ui_press (f, ui_button (GTK_WIDGET (page), "_Read card"));
  g_assert_nonnull (strstr (ic_rewrite_page_get_status (page), "blank"));
  g_assert_false (gtk_widget_get_sensitive (ui_button (GTK_WIDGET (page), "Re_write card")));
}

int
main (int argc, char **argv)
{
  ui_init (&argc, &argv);
#define ADD(path, fn) g_test_add (path, UiFixture, NULL, ui_setup_desk, fn, ui_teardown)
  ADD ("/ui/rewrite-page/rewrite", test_rewrite);
  ADD ("/ui/rewrite-page/blank", test_blank);
#undef ADD
  return ui_run ();
}
