/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-read-page.c: the Read card page over a simulated desk: a blank
 * card, a card in use with its holder decrypted and every check, then
 * the same card reported lost: a red banner that says LOST and the
 * blacklist. */
#include "config.h"

#include "ic-issue-page.h"
#include "ic-read-page.h"
#include "ui-test-util.h"

static IcReadPage *
read_page (UiFixture *f)
{
  ic_main_window_show_page (f->window, "read");
  ui_settle (f);
  return IC_READ_PAGE (ui_find_type (GTK_WIDGET (f->window), IC_TYPE_READ_PAGE));
}

static void
press_read (UiFixture *f, IcReadPage *page)
{
  ui_press (f, ui_button (GTK_WIDGET (page), "_Read card"));
}

static void
assert_has (const char *text, const char *line)
{
  if (strstr (text, line) == NULL)
    g_error ("“%s” is not shown; the page shows:\n%s", line, text);
}

/* The banner is drawn red (Adwaita draws every infobar type alike: the
 * page's CSS colours it), its text white. */
static void
assert_red_banner (IcReadPage *page)
{
  GtkWidget *bar = ui_find_type (GTK_WIDGET (page), GTK_TYPE_INFO_BAR);
  GtkWidget *box = gtk_info_bar_get_content_area (GTK_INFO_BAR (bar));
  GtkStyleContext *style = gtk_widget_get_style_context (gtk_widget_get_parent (box));
  g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (box));
  GdkRGBA *bg = NULL;
  GdkRGBA fg;

  g_assert_true (gtk_widget_is_drawable (bar));
  gtk_style_context_get (style, gtk_style_context_get_state (style), "background-color", &bg, NULL);
  g_assert_cmpfloat (bg->red, >, 0.6);
  g_assert_cmpfloat (bg->green, <, 0.3);
  g_assert_cmpfloat (bg->blue, <, 0.3);
  gdk_rgba_free (bg);
  for (GList *l = children; l != NULL; l = l->next)
    if (GTK_IS_LABEL (l->data))
      {
        GtkStyleContext *ls = gtk_widget_get_style_context (l->data);

        gtk_style_context_get_color (ls, gtk_style_context_get_state (ls), &fg);
        g_assert_cmpfloat (fg.red, >, 0.9);
        g_assert_cmpfloat (fg.blue, >, 0.9);
      }
}

static void
test_blank (UiFixture *f, gconstpointer data)
{
  IcReadPage *page = read_page (f);
  g_autofree char *text = NULL;
  GtkMessageType type;

  g_assert_null (ic_read_page_get_banner (page, &type));
  ui_put_in_r2 (f, tu_wf_new_card (&f->wf, CS_CARD_SLE4428));
  press_read (f, page);
  g_assert_nonnull (strstr (ic_read_page_get_banner (page, &type), "blank"));
  g_assert_cmpint (type, ==, GTK_MESSAGE_INFO);
  text = ic_read_page_get_text (page);
  assert_has (text, "Card number: none: the card is blank");
  assert_has (text, "Registry status: not in this office's registry");
  assert_has (text, "PSC tries left: 8 of 8");
}

static void
test_in_use_then_lost (UiFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfIssued) issued = ui_issue (f, UI_ID_1, "张伟", NULL);
  g_autofree char *grouped = wf_icard_format_card_number (issued->card_number);
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  IcReadPage *page = read_page (f);
  const char *banner;
  GtkMessageType type;

  press_read (f, page);
  banner = ic_read_page_get_banner (page, &type);
  g_assert_cmpint (type, ==, GTK_MESSAGE_INFO);
  g_assert_cmpstr (banner, ==, "The card checks and is in use.");
  text = ic_read_page_get_text (page);
  g_test_message ("%s", text);
  line = g_strdup_printf ("Card number: %s", grouped);
  assert_has (text, line);
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("Serial (SN): %s", issued->sn);
  assert_has (text, line);
  assert_has (text, "Name: 张伟");
  assert_has (text, "ID number: " UI_ID_1);
  assert_has (text, "Birth date: 1985-03-17");
  assert_has (text, "Sex: male (1)");
  assert_has (text, "Status on the card: active");
  assert_has (text, "Rewritten: 0 times");
  assert_has (text, "Transactions: 0");
  assert_has (text, "PSC tries left: 8 of 8");
  assert_has (text, "Card number protected: yes");
  assert_has (text, "Card number block: correct");
  assert_has (text, "Holder block: correct");
  assert_has (text, "Status block: correct");
  assert_has (text, "Transaction header: correct");
  assert_has (text, "Registry status: issued, in use");
  assert_has (text, "Blacklist: not listed");
  /* What the page shows is on the screen. */
  g_assert_nonnull (ui_find_label (GTK_WIDGET (page), "张伟"));

  /* Reported lost (no card needed): the next read says so, unmissably. */
  g_assert_true (wf_icard_report_lost (f->wf.desk, WF_INTERACTION (f->wf.ia), issued->card_number,
                                       NULL, NULL, &error));
  g_assert_no_error (error);
  press_read (f, page);
  banner = ic_read_page_get_banner (page, &type);
  g_assert_cmpint (type, ==, GTK_MESSAGE_ERROR);
  g_assert_true (g_str_has_prefix (banner, "LOST — do not accept this card"));
  assert_red_banner (page);
  g_assert_nonnull (strstr (banner, "BLACKLISTED"));
  g_assert_nonnull (ui_find_label (GTK_WIDGET (page), "LOST — do not accept this card"));
  g_clear_pointer (&text, g_free);
  text = ic_read_page_get_text (page);
  assert_has (text, "Registry status: reported lost");
  assert_has (text, "Blacklist: BLACKLISTED");

  /* Logged out: the holder's data leave the screen. */
  wf_session_end (f->session);
  ic_main_window_refresh_session (f->window);
  ui_iterate ();
  g_assert_null (ic_read_page_get_banner (page, NULL));
  g_clear_pointer (&text, g_free);
  text = ic_read_page_get_text (page);
  g_assert_cmpstr (text, ==, "");
}

/* An auditor's card holds no data key: the holder stays encrypted and
 * the page says why; the clear blocks are still read and checked. */
static void
test_auditor (UiFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *path = NULL;
  g_autoptr (WfIssued) issued = ui_issue (f, UI_ID_1, "张伟", &path);
  g_autoptr (GPtrArray) made = NULL;
  g_autofree char *text = NULL;
  WfOpHolder auditor = { (char *) "赵六", (char *) "S-0044", CL_ROLE_AUDITOR, (char *) "510400" };
  const char *card = tu_wf_new_card (&f->wf, CS_CARD_FMCOS);
  GtkWidget *issue_page;
  IcReadPage *page;

  ui_log_out (f);
  tu_wf_plan (&f->wf, "mcc", f->sys.mcc);
  tu_wf_plan (&f->wf, "ktc", f->sys.ktc);
  tu_wf_plan (&f->wf, "blank-cpu", card);
  wf_scripted_add (f->wf.ia, "mcc-pin=" MCC_PIN, "holder-pin=" HOLDER_PIN, NULL);
  made = wf_opcard_create (f->wf.desk, WF_INTERACTION (f->wf.ia), &auditor, NULL, 1, NULL, &error);
  g_assert_no_error (error);
  ui_log_in_with (f, card);

  /* An auditor reads cards but does not issue them. */
  issue_page = ui_find_type (GTK_WIDGET (f->window), IC_TYPE_ISSUE_PAGE);
  g_assert_false (gtk_widget_get_visible (issue_page));
  page = read_page (f);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (page)));
  /* The ceremony took the insurance card out of R2: back it goes. */
  ui_put_in_r2 (f, path);
  press_read (f, page);
  text = ic_read_page_get_text (page);
  assert_has (text, "Holder: Your card cannot decrypt the holder's data");
  assert_has (text, "Holder block: encrypted: not checked without the keys");
  assert_has (text, "Card number block: correct");
  assert_has (text, "Registry status: issued, in use");
  g_assert_null (strstr (text, "张伟"));
}

static gboolean
asks_for_card (UiFixture *f, gconstpointer data)
{
  return ui_find_label (GTK_WIDGET (f->window), "Put the insurance card into R2.") != NULL;
}

/* While a task runs, no other starts: a click says why rather than doing
 * nothing.  The read waiting for a card is cancelled from the task bar. */
static void
test_busy (UiFixture *f, gconstpointer data)
{
  IcReadPage *page = read_page (f);
  GtkWidget *read = ui_button (GTK_WIDGET (page), "_Read card");
  GtkWidget *cancel = ui_find (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, "Cancel the task");

  ui_take_out (f, 1);
  ui_click (f, read);
  g_assert_true (ic_main_window_is_busy (f->window));
  ui_wait_until (f, asks_for_card, NULL, "the task bar to ask for the card");
  g_assert_null (ui_find_label (GTK_WIDGET (f->window), "Another task is running"));

  /* Read again, impatient: the message bar says to wait. */
  g_assert_true (gtk_widget_is_sensitive (read));
  gtk_button_clicked (GTK_BUTTON (read));
  g_assert_nonnull (ui_find_label (GTK_WIDGET (f->window), "Another task is running"));
  g_assert_true (ic_main_window_is_busy (f->window));

  g_assert_true (ui_is_shown (cancel, GTK_WIDGET (f->window)));
  gtk_button_clicked (GTK_BUTTON (cancel));
  ui_wait (f);
  g_assert_null (ic_read_page_get_banner (page, NULL));
}

int
main (int argc, char **argv)
{
  ui_init (&argc, &argv);
#define ADD(path, fn) g_test_add (path, UiFixture, NULL, ui_setup_desk, fn, ui_teardown)
  ADD ("/ui/read-page/blank", test_blank);
  ADD ("/ui/read-page/in-use-then-lost", test_in_use_then_lost);
  ADD ("/ui/read-page/auditor", test_auditor);
  ADD ("/ui/read-page/busy", test_busy);
#undef ADD
  return ui_run ();
}
