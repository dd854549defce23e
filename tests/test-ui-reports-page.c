/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-reports-page.c: the issuance reports in the desk's window over
 * the simulator: cards per day, operator and office of the period typed,
 * the lost card and its replacement, the key card's quota; a wrong date
 * said; nothing for an issuing administrator, nothing after a logout. */
#include "config.h"

#include <string.h>

#include "db-issuance.h"
#include "ic-reports-page.h"
#include "ui-audit-util.h"
#include "wf-system-util.h"

typedef struct {
  UiFixture ui;
  IcReportsPage *page;
} Fx;

#define ID_1 "510402198503172316"
#define ID_2 "510402199007221021"

static void
card (DbDatabase *db, int n, const char *holder, const char *date, const DbActor *actor)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbCard) c = db_card_new ();

  c->sn = g_strdup_printf ("80000000000000%02d", n);
  c->card_number = g_strdup_printf ("51000000%02d", n);
  c->holder_id = g_strdup (holder);
  c->region_code = g_strdup ("510402");
  c->card_type = g_strdup ("1");
  c->issue_date = g_strdup (date);
  c->valid_until = g_strdup ("2036-12-31");
  g_assert_true (db_cards_insert_issued (db, c, actor, &error));
  g_assert_no_error (error);
}

static void
holder (DbDatabase *db, const char *id, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbHolder) h = db_holder_new ();

  h->id_number = g_strdup (id);
  h->name = g_strdup (name);
  h->sex = g_strdup ("1");
  h->birth_date = g_strdup ("1985-03-17");
  h->insurance_category = g_strdup ("employee");
  h->region_code = g_strdup ("510402");
  g_assert_true (db_holders_save (db, h, &error));
  g_assert_no_error (error);
}

/* Four cards by the issuing administrator on 1 and 2 June, one by a card
 * the registry does not know; card 2 lost and replaced by card 9. */
static void
fill_registry (Fx *fx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = wf_desk_open_db (fx->ui.wf.desk, &error);
  g_autoptr (DbCard) repl = db_card_new ();
  DbActor ac = { .workstation = "DESK-01",
                 .operator_serial = serial_of (&fx->ui.wf, fx->ui.sys.ac),
                 .operator_name = "张三" };
  DbActor other = { .workstation = "DESK-02",
                    .operator_serial = "8600000000000099",
                    .operator_name = "钱七" };
  gint64 id = 0;

  holder (db, ID_1, "王五");
  holder (db, ID_2, "赵六");
  card (db, 1, ID_1, "2026-06-01", &ac);
  card (db, 2, ID_2, "2026-06-01", &ac);
  card (db, 3, ID_1, "2026-06-02", &ac);
  card (db, 4, ID_2, "2026-06-02", &other);
  card (db, 5, ID_1, "2026-07-01", &ac);
  g_assert_true (db_cards_set_status (db, "8000000000000002", DB_CARD_LOST, &error));
  repl->sn = g_strdup ("8000000000000009");
  repl->card_number = g_strdup ("5100000009");
  repl->holder_id = g_strdup (ID_2);
  repl->region_code = g_strdup ("510402");
  repl->card_type = g_strdup ("2");
  repl->issue_date = g_strdup ("2026-06-02");
  repl->valid_until = g_strdup ("2036-12-31");
  g_assert_true (db_issuance_begin (db, repl, "8000000000000002", &ac, &id, &error));
  g_assert_true (db_issuance_complete (db, id, &error));
  g_assert_no_error (error);
}

static void
setup (Fx *fx, gconstpointer data)
{
  GtkWidget *found;

  ui_setup (&fx->ui, 0);
  fill_registry (fx);
  ui_log_in (&fx->ui, fx->ui.auditor);
  found = ui_find (GTK_WIDGET (fx->ui.window), "Cards issued per day");
  g_assert_nonnull (found);
  fx->page = IC_REPORTS_PAGE (gtk_widget_get_ancestor (found, IC_TYPE_REPORTS_PAGE));
  ic_main_window_show_page (fx->ui.window, "reports");
  ui_settle ();
  ui_wait (ui_task_done, fx->ui.window);
}

static void
teardown (Fx *fx, gconstpointer data)
{
  ui_teardown (&fx->ui);
}

static void
type_into (Fx *fx, const char *name, const char *text)
{
  GtkWidget *entry = ui_find (GTK_WIDGET (fx->page), name);

  g_assert_true (GTK_IS_ENTRY (entry));
  gtk_entry_set_text (GTK_ENTRY (entry), text);
}

/* Row i of a store: its columns as texts joined by "|". */
static char *
row_text (GtkListStore *store, gint i)
{
  GtkTreeModel *model = GTK_TREE_MODEL (store);
  GString *s = g_string_new (NULL);
  GtkTreeIter iter;

  g_assert_true (gtk_tree_model_iter_nth_child (model, &iter, NULL, i));
  for (gint c = 0; c < gtk_tree_model_get_n_columns (model); c++)
    {
      GValue v = G_VALUE_INIT;
      GValue text = G_VALUE_INIT;

      gtk_tree_model_get_value (model, &iter, c, &v);
      g_value_init (&text, G_TYPE_STRING);
      g_value_transform (&v, &text);
      g_string_append_printf (s, "%s%s", c > 0 ? "|" : "", g_value_get_string (&text));
      g_value_unset (&v);
      g_value_unset (&text);
    }
  return g_string_free (s, FALSE);
}

static gint
rows (GtkListStore *store)
{
  return gtk_tree_model_iter_n_children (GTK_TREE_MODEL (store), NULL);
}

static void
test_period (Fx *fx, gconstpointer data)
{
  GtkListStore *day = ic_reports_page_get_store (fx->page, "day");
  GtkListStore *op = ic_reports_page_get_store (fx->page, "operator");
  GtkListStore *office = ic_reports_page_get_store (fx->page, "office");
  GtkListStore *lost = ic_reports_page_get_store (fx->page, "lost");
  GtkListStore *quota = ic_reports_page_get_store (fx->page, "quota");
  g_autofree char *text = NULL;
  g_autofree char *want = NULL;

  type_into (fx, "From (date)", "2026-06-01");
  type_into (fx, "To (date)", "2026-06-02");
  g_assert_true (ic_reports_page_show (fx->page));
  ui_wait (ui_task_done, fx->ui.window);
  ui_settle ();

  /* Per day: 1 June two, 2 June three (with the replacement). */
  g_assert_cmpint (rows (day), ==, 2);
  text = row_text (day, 0);
  g_assert_cmpstr (text, ==, "2026-06-01|2");
  g_clear_pointer (&text, g_free);
  text = row_text (day, 1);
  g_assert_cmpstr (text, ==, "2026-06-02|3");
  g_clear_pointer (&text, g_free);
  /* Per operator: the administrator's four, the unknown card's one. */
  g_assert_cmpint (rows (op), ==, 2);
  text = row_text (op, 0);
  want = g_strdup_printf ("张三|%s|4", serial_of (&fx->ui.wf, fx->ui.sys.ac));
  g_assert_cmpstr (text, ==, want);
  g_clear_pointer (&text, g_free);
  /* Per office: the administrator card's office; the unknown card's none. */
  g_assert_cmpint (rows (office), ==, 2);
  text = row_text (office, 0);
  g_assert_cmpstr (text, ==, "510400|4");
  g_clear_pointer (&text, g_free);
  text = row_text (office, 1);
  g_assert_cmpstr (text, ==, "(not in the registry)|1");
  g_clear_pointer (&text, g_free);
  /* Nothing was lost in June: the card was lost today. */
  g_assert_cmpint (rows (lost), ==, 0);
  /* The key card: quota 500, none used. */
  g_assert_cmpint (rows (quota), ==, 1);
  text = row_text (quota, 0);
  g_clear_pointer (&want, g_free);
  want =
      g_strdup_printf ("李四|%s|DESK-01|500|0|500|in use", serial_of (&fx->ui.wf, fx->ui.sys.kc));
  g_assert_cmpstr (text, ==, want);
  g_clear_pointer (&text, g_free);
  g_assert_nonnull (
      strstr (gtk_label_get_text (GTK_LABEL (ui_find (GTK_WIDGET (fx->page), "Summary"))),
              "5 cards issued"));

  /* From June to today: the lost card, replaced. */
  type_into (fx, "To (date)", "");
  g_assert_true (ic_reports_page_show (fx->page));
  ui_wait (ui_task_done, fx->ui.window);
  ui_settle ();
  g_assert_cmpint (rows (day), ==, 3);
  g_assert_cmpint (rows (lost), ==, 1);
  text = row_text (lost, 0);
  g_assert_true (g_str_has_prefix (text, "5100000002|8000000000000002|赵六|lost|"));
  g_assert_nonnull (strstr (text, "|5100000009|"));
  ui_shot (&fx->ui, "reports-page");
  gtk_stack_set_visible_child_name (
      GTK_STACK (gtk_widget_get_ancestor (
          ui_find (GTK_WIDGET (fx->page), "Key cards and their quota"), GTK_TYPE_STACK)),
      "lost");
  ui_shot (&fx->ui, "reports-page-lost");
}

static void
test_bad_date (Fx *fx, gconstpointer data)
{
  type_into (fx, "From (date)", "2026-02-30");
  g_assert_false (ic_reports_page_show (fx->page));
  g_assert_false (ic_main_window_is_busy (fx->ui.window));
  type_into (fx, "From (date)", "2026-06-05");
  type_into (fx, "To (date)", "2026-06-01");
  g_assert_false (ic_reports_page_show (fx->page));
}

static void
test_not_for_issuers (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (wf_logout (fx->ui.wf.desk, WF_INTERACTION (fx->ui.wf.ia), NULL, &error));
  ic_main_window_refresh_session (fx->ui.window);
  ui_settle ();
  g_assert_cmpint (rows (ic_reports_page_get_store (fx->page, "quota")), ==, 0);
  ui_log_in (&fx->ui, fx->ui.sys.ac);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fx->page)));
  g_assert_false (ic_reports_page_show (fx->page));
}

static void
test_accessible_names (Fx *fx, gconstpointer data)
{
  const char *names[] = { "From (date)",
                          "To (date)",
                          "Show",
                          "Summary",
                          "Cards issued per day",
                          "Cards issued per operator",
                          "Cards issued per office",
                          "Cards lost or taken back, and what replaced them",
                          "Key cards and their quota" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_nonnull (ui_find (GTK_WIDGET (fx->page), names[i]));
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fx, NULL, setup, fn, teardown)
  ADD ("/ui/reports-page/period", test_period);
  ADD ("/ui/reports-page/bad-date", test_bad_date);
  ADD ("/ui/reports-page/not-for-issuers", test_not_for_issuers);
  ADD ("/ui/reports-page/accessible-names", test_accessible_names);
#undef ADD
  return g_test_run ();
}
