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
#include "ui-wizard-util.h"
#include "wf-session.h"
#include "wf-system-util.h"

typedef struct {
  WfFixture wf;
  IcMainWindow *window;
  GtkWidget *ceremonies;
  GtkWidget *cpu_cards;
} UiFixture;

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  g_autoptr (GPtrArray) all = tu_ui_widgets (root);

  for (guint i = 0; i < all->len; i++)
    if (G_TYPE_CHECK_INSTANCE_TYPE (all->pdata[i], type))
      return all->pdata[i];
  return NULL;
}

static void
ui_setup (UiFixture *f, gconstpointer data)
{
  tu_wf_setup (&f->wf, data);
  f->window = ic_main_window_new (tu_ui_app (), FALSE);
  ic_pages_add_all (f->window, FALSE);
  ic_main_window_set_desk (f->window, f->wf.desk);
  gtk_widget_show (GTK_WIDGET (f->window));
  f->ceremonies = find_type (GTK_WIDGET (f->window), IC_TYPE_CEREMONIES_PAGE);
  f->cpu_cards = find_type (GTK_WIDGET (f->window), IC_TYPE_CPU_CARDS_PAGE);
  g_assert_nonnull (f->ceremonies);
  g_assert_nonnull (f->cpu_cards);
  tu_ui_flush ();
}

static void
ui_teardown (UiFixture *f, gconstpointer data)
{
  gtk_widget_destroy (GTK_WIDGET (f->window));
  tu_ui_flush ();
  tu_wf_teardown (&f->wf, data);
}

static void
login (UiFixture *f, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfSession) session = NULL;

  tu_wf_empty (&f->wf, 0);
  tu_wf_plan (&f->wf, "operator-card", path);
  wf_scripted_add (f->wf.ia, "operator-pin=" HOLDER_PIN, NULL);
  session = wf_login (f->wf.desk, WF_INTERACTION (f->wf.ia), NULL, &error);
  g_assert_no_error (error);
  ic_main_window_refresh_session (f->window);
}

static void
logout (UiFixture *f)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (wf_logout (f->wf.desk, WF_INTERACTION (f->wf.ia), NULL, &error));
  g_assert_no_error (error);
  ic_main_window_refresh_session (f->window);
}

static const char *
make_sysadmin (UiFixture *f, const System *sys)
{
  WfOpHolder holder = { (char *) "赵六", (char *) "S-0001", CL_ROLE_SYSTEM_ADMIN,
                        (char *) "510401" };
  const char *path = tu_wf_new_card (&f->wf, CS_CARD_FMCOS);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) made = NULL;

  tu_wf_plan (&f->wf, "mcc", sys->mcc);
  tu_wf_plan (&f->wf, "ktc", sys->ktc);
  tu_wf_plan (&f->wf, "blank-cpu", path);
  wf_scripted_add (f->wf.ia, "mcc-pin=" MCC_PIN, "holder-pin=" HOLDER_PIN, NULL);
  made = wf_opcard_create (f->wf.desk, WF_INTERACTION (f->wf.ia), &holder, NULL, 1, NULL, &error);
  g_assert_no_error (error);
  return path;
}

static GtkTreeModel *
cards_model (UiFixture *f)
{
  return gtk_tree_view_get_model (
      GTK_TREE_VIEW (tu_ui_get (f->cpu_cards, GTK_TYPE_TREE_VIEW, "CPU cards")));
}

static guint
rows_shown (UiFixture *f)
{
  return gtk_tree_model_iter_n_children (cards_model (f), NULL);
}

static gboolean
loaded (gpointer data)
{
  UiFixture *f = data;

  return rows_shown (f) > 0 && !ic_main_window_is_busy (f->window);
}

static void
choose (UiFixture *f, const char *combo, const char *id)
{
  GtkComboBox *c = GTK_COMBO_BOX (tu_ui_get (f->cpu_cards, GTK_TYPE_COMBO_BOX, combo));

  g_assert_true (gtk_combo_box_set_active_id (c, id));
}

static guint
shown_with (UiFixture *f, const char *combo, const char *id)
{
  guint n;

  choose (f, combo, id);
  n = rows_shown (f);
  choose (f, combo, "any");
  return n;
}

static gboolean
history_loaded (gpointer data)
{
  UiFixture *f = data;
  GtkTreeView *view =
      GTK_TREE_VIEW (tu_ui_get (f->cpu_cards, GTK_TYPE_TREE_VIEW, "History of the card"));

  return gtk_tree_model_iter_n_children (gtk_tree_view_get_model (view), NULL) > 0
         && !ic_main_window_is_busy (f->window);
}

static void
select_serial (UiFixture *f, const char *serial)
{
  GtkTreeView *view = GTK_TREE_VIEW (tu_ui_get (f->cpu_cards, GTK_TYPE_TREE_VIEW, "CPU cards"));
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
test_registry (UiFixture *f, gconstpointer data)
{
  g_autoptr (ClKey) pkey = NULL, dkey = NULL, akey = NULL;
  g_autofree char *want_akey = NULL;
  const char *sysadmin;
  System sys;

  make_system (&f->wf, &sys);
  sysadmin = make_sysadmin (f, &sys);
  expected_keys (&pkey, &dkey, &akey);
  want_akey = test_kcv (akey);

  /* Logged out: the ceremonies, not the registry. */
  g_assert_true (gtk_widget_get_visible (f->ceremonies));
  g_assert_false (gtk_widget_get_visible (f->cpu_cards));
  tu_ui_assert_named (f->ceremonies);

  /* An issuing administrator sees neither. */
  login (f, sys.ac);
  g_assert_false (gtk_widget_get_visible (f->ceremonies));
  g_assert_false (gtk_widget_get_visible (f->cpu_cards));
  g_assert_cmpuint (rows_shown (f), ==, 0);
  logout (f);

  /* A system administrator sees both, and the registry's five cards. */
  login (f, sysadmin);
  g_assert_true (gtk_widget_get_visible (f->ceremonies));
  g_assert_true (gtk_widget_get_visible (f->cpu_cards));
  ic_main_window_show_page (f->window, "cpu-cards");
  tu_ui_wait_until (loaded, f, 30);
  g_assert_cmpuint (rows_shown (f), ==, 5);
  g_assert_cmpstr (
      gtk_label_get_text (GTK_LABEL (tu_ui_get (f->cpu_cards, GTK_TYPE_LABEL, "Cards shown"))), ==,
      "5 of 5 cards shown");
  tu_ui_assert_named (f->cpu_cards);

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
      GTK_COMBO_BOX (tu_ui_get (f->cpu_cards, GTK_TYPE_COMBO_BOX, "Office")), "999999"));

  /* The issuing administrator's card: its KCVs and its history. */
  select_serial (f, serial_of (&f->wf, sys.ac));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (
                       tu_ui_get (f->cpu_cards, GTK_TYPE_LABEL, "KCV of the audit key (Akey)"))),
                   ==, want_akey);
  g_assert_cmpstr (
      gtk_label_get_text (GTK_LABEL (tu_ui_get (f->cpu_cards, GTK_TYPE_LABEL, "Holder"))), ==,
      "张三");
  tu_ui_wait_until (history_loaded, f, 30);
  {
    GtkTreeModel *history = gtk_tree_view_get_model (
        GTK_TREE_VIEW (tu_ui_get (f->cpu_cards, GTK_TYPE_TREE_VIEW, "History of the card")));
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

  /* Logged out: nothing of the registry stays. */
  logout (f);
  g_assert_false (gtk_widget_get_visible (f->cpu_cards));
  g_assert_cmpuint (rows_shown (f), ==, 0);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (
                       tu_ui_get (f->cpu_cards, GTK_TYPE_LABEL, "KCV of the audit key (Akey)"))),
                   !=, want_akey);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  cl_secure_init ();
  g_test_add ("/ui/cpu-cards/registry", UiFixture, NULL, ui_setup, test_registry, ui_teardown);
  return g_test_run ();
}
