/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-cpu-cards.c: the Ceremonies and CPU cards pages in the window:
 * who sees them; the registry page lists the cards a system administrator
 * may see, each filter narrows the list as the registry says, the card
 * chosen shows the check values the test computes itself and its audit
 * history, and nothing of it stays after logout. */
#include "config.h"

#include <string.h>

#include "cl-crypto.h"
#include "ic-ceremonies-page.h"
#include "ic-cpu-cards-page.h"
#include "ic-pages.h"
#include "ui-test-util.h"
#include "wf-cpu-cards.h"
#include "wf-session.h"
#include "wf-system-util.h"

typedef struct {
  UiFixture ui;
  const char *sysadmin; /* a system administrator's card */
  GtkWidget *ceremonies;
  GtkWidget *cpu_cards;
} Fx;

static const char *
make_sysadmin (WfFixture *wf, const System *sys)
{
  return make_admin_card (wf, sys, CL_ROLE_SYSTEM_ADMIN, "赵六", "S-0001", "510401");
}

/* The system of cards and a system administrator's card, then every page
 * of the desk, shown, nobody logged in. */
static void
setup (Fx *fx, gconstpointer data)
{
  tu_wf_setup (&fx->ui.wf, data);
  make_system (&fx->ui.wf, &fx->ui.sys);
  fx->sysadmin = make_sysadmin (&fx->ui.wf, &fx->ui.sys);
  ui_setup_window (&fx->ui);
  ic_pages_add_all (fx->ui.window, FALSE);
  gtk_widget_show (GTK_WIDGET (fx->ui.window));
  fx->ceremonies = ui_find_type (GTK_WIDGET (fx->ui.window), IC_TYPE_CEREMONIES_PAGE);
  fx->cpu_cards = ui_find_type (GTK_WIDGET (fx->ui.window), IC_TYPE_CPU_CARDS_PAGE);
  ui_settle (&fx->ui);
}

static void
teardown (Fx *fx, gconstpointer data)
{
  ui_teardown (&fx->ui, data);
}

static GtkTreeModel *
cards_model (Fx *f)
{
  return gtk_tree_view_get_model (
      GTK_TREE_VIEW (ui_find (f->cpu_cards, GTK_TYPE_TREE_VIEW, "CPU cards")));
}

static guint
rows_shown (Fx *f)
{
  return gtk_tree_model_iter_n_children (cards_model (f), NULL);
}

static gboolean
loaded (UiFixture *ui, gconstpointer data)
{
  return rows_shown ((Fx *) data) > 0 && !ic_main_window_is_busy (ui->window);
}

static void
choose (Fx *f, const char *combo, const char *id)
{
  GtkComboBox *c = GTK_COMBO_BOX (ui_find (f->cpu_cards, GTK_TYPE_COMBO_BOX, combo));

  g_assert_true (gtk_combo_box_set_active_id (c, id));
}

static guint
shown_with (Fx *f, const char *combo, const char *id)
{
  guint n;

  choose (f, combo, id);
  n = rows_shown (f);
  choose (f, combo, "any");
  return n;
}

static gboolean
history_loaded (UiFixture *ui, gconstpointer data)
{
  const Fx *f = data;
  GtkTreeView *view =
      GTK_TREE_VIEW (ui_find (f->cpu_cards, GTK_TYPE_TREE_VIEW, "History of the card"));

  return gtk_tree_model_iter_n_children (gtk_tree_view_get_model (view), NULL) > 0
         && !ic_main_window_is_busy (ui->window);
}

static void
select_serial (Fx *f, const char *serial)
{
  GtkTreeView *view = GTK_TREE_VIEW (ui_find (f->cpu_cards, GTK_TYPE_TREE_VIEW, "CPU cards"));
  GtkTreeModel *model = gtk_tree_view_get_model (view);
  GtkTreeIter iter;
  gboolean valid = gtk_tree_model_get_iter_first (model, &iter);

  for (; valid; valid = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *s = NULL;

      gtk_tree_model_get (model, &iter, 1, &s, -1);
      if (g_strcmp0 (s, serial) == 0)
        {
          gtk_tree_selection_select_iter (gtk_tree_view_get_selection (view), &iter);
          return;
        }
    }
  g_error ("card %s is not in the list", serial);
}

static char *
test_kcv (const ClKey *key)
{
  guint8 kcv[3];

  g_assert_true (cl_kcv (key, kcv, NULL));
  return g_strdup_printf ("%02X %02X %02X", kcv[0], kcv[1], kcv[2]);
}

static void
test_registry (Fx *f, gconstpointer data)
{
  g_autoptr (ClKey) pkey = NULL, dkey = NULL, akey = NULL;
  g_autofree char *want_akey = NULL;
  const System *sys = &f->ui.sys;

  expected_keys (&pkey, &dkey, &akey);
  want_akey = test_kcv (akey);

  /* Logged out: the ceremonies, not the registry. */
  g_assert_true (gtk_widget_get_visible (f->ceremonies));
  g_assert_false (gtk_widget_get_visible (f->cpu_cards));
  ui_assert_named (f->ceremonies);

  /* An issuing administrator sees neither. */
  ui_log_in (&f->ui);
  g_assert_false (gtk_widget_get_visible (f->ceremonies));
  g_assert_false (gtk_widget_get_visible (f->cpu_cards));
  g_assert_cmpuint (rows_shown (f), ==, 0);
  ui_log_out (&f->ui);

  /* A system administrator sees both, and the registry's five cards. */
  ui_log_in_with (&f->ui, f->sysadmin);
  g_assert_true (gtk_widget_get_visible (f->ceremonies));
  g_assert_true (gtk_widget_get_visible (f->cpu_cards));
  ic_main_window_show_page (f->ui.window, "cpu-cards");
  ui_wait_until (&f->ui, loaded, f, "the registry's cards");
  g_assert_cmpuint (rows_shown (f), ==, 5);
  g_assert_cmpstr (
      gtk_label_get_text (GTK_LABEL (ui_find (f->cpu_cards, GTK_TYPE_LABEL, "Cards shown"))), ==,
      "5 of 5 cards shown");
  ui_assert_named (f->cpu_cards);

  /* Each filter narrows the list as the registry says. */
  g_assert_cmpuint (shown_with (f, "Kind", "ac"), ==, 2);
  g_assert_cmpuint (shown_with (f, "Kind", "mcc"), ==, 1);
  g_assert_cmpuint (shown_with (f, "Role", "issuing-admin"), ==, 1);
  g_assert_cmpuint (shown_with (f, "Role", "auditor"), ==, 0);
  g_assert_cmpuint (shown_with (f, "Office", "510401"), ==, 1);
  g_assert_cmpuint (shown_with (f, "Office", "510400"), ==, 2);
  g_assert_cmpuint (shown_with (f, "Workstation", "DESK-01"), ==, 1);
  g_assert_cmpuint (shown_with (f, "Status", "active"), ==, 5);
  g_assert_cmpuint (shown_with (f, "Status", "revoked"), ==, 0);
  /* Filters combine. */
  choose (f, "Kind", "ac");
  choose (f, "Office", "510400");
  g_assert_cmpuint (rows_shown (f), ==, 1);
  choose (f, "Kind", "any");
  choose (f, "Office", "any");
  /* Offices and workstations offered are those of the registry. */
  g_assert_false (gtk_combo_box_set_active_id (
      GTK_COMBO_BOX (ui_find (f->cpu_cards, GTK_TYPE_COMBO_BOX, "Office")), "999999"));

  /* The issuing administrator's card: its KCVs and its history. */
  select_serial (f, serial_of (&f->ui.wf, sys->ac));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (
                       ui_find (f->cpu_cards, GTK_TYPE_LABEL, "KCV of the audit key (Akey)"))),
                   ==, want_akey);
  g_assert_cmpstr (
      gtk_label_get_text (GTK_LABEL (ui_find (f->cpu_cards, GTK_TYPE_LABEL, "Holder"))), ==,
      "张三");
  ui_wait_until (&f->ui, history_loaded, f, "the card's history");
  {
    GtkTreeModel *history = gtk_tree_view_get_model (
        GTK_TREE_VIEW (ui_find (f->cpu_cards, GTK_TYPE_TREE_VIEW, "History of the card")));
    GtkTreeIter iter;
    gboolean made = FALSE;
    gboolean valid = gtk_tree_model_get_iter_first (history, &iter);

    for (; valid; valid = gtk_tree_model_iter_next (history, &iter))
      {
        g_autofree char *action = NULL;

        gtk_tree_model_get (history, &iter, 1, &action, -1);
        made |= g_strcmp0 (action, db_action_get_label (DB_ACTION_CARD_CREATE)) == 0;
      }
    g_assert_true (made);
  }

  /* A card with more rows than a history lists: its last row says so. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (DbDatabase) db = wf_desk_open_db (f->ui.wf.desk, &error);
    DbAuditEntry entry = { .actor = { .workstation = "TEST", .operator_name = "test" },
                           .action = DB_ACTION_LOGIN,
                           .card_sn = serial_of (&f->ui.wf, sys->mcc),
                           .outcome = DB_OUTCOME_OK };
    GtkTreeModel *history = gtk_tree_view_get_model (
        GTK_TREE_VIEW (ui_find (f->cpu_cards, GTK_TYPE_TREE_VIEW, "History of the card")));
    GtkTreeIter last;
    g_autofree char *action = NULL;
    int n;

    g_assert_no_error (error);
    for (guint i = 0; i < WF_CPU_CARD_HISTORY_MAX_ROWS; i++)
      g_assert_true (db_audit_append (db, &entry, NULL, &error));
    select_serial (f, serial_of (&f->ui.wf, sys->mcc));
    ui_wait_until (&f->ui, history_loaded, f, "the master control card's history");
    n = gtk_tree_model_iter_n_children (history, NULL);
    g_assert_cmpint (n, ==, WF_CPU_CARD_HISTORY_MAX_ROWS + 1);
    g_assert_true (gtk_tree_model_iter_nth_child (history, &last, NULL, n - 1));
    gtk_tree_model_get (history, &last, 1, &action, -1);
    g_assert_cmpstr (action, ==, "Older rows");
  }

  /* Logged out: nothing of the registry stays. */
  ui_log_out (&f->ui);
  g_assert_false (gtk_widget_get_visible (f->cpu_cards));
  g_assert_cmpuint (rows_shown (f), ==, 0);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (
                       ui_find (f->cpu_cards, GTK_TYPE_LABEL, "KCV of the audit key (Akey)"))),
                   !=, want_akey);
}

int
main (int argc, char **argv)
{
  ui_init (&argc, &argv);
  g_test_add ("/ui/cpu-cards/registry", Fx, NULL, setup, test_registry, teardown);
  return ui_run ();
}
