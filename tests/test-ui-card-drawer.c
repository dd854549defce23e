/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-card-drawer.c: training's card drawer over a deck stocked with
 * the demo system: it lists the cards as they are, moves them between the
 * readers as the person would (and the readers bar follows), adds blanks,
 * arms a pull, and waits while the training cards are being made. */
#include "config.h"

#include <string.h>
#include <gtk/gtk.h>

#include "cs-deck.h"
#include "ic-card-drawer.h"
#include "ic-main-window.h"
#include "ic-readers-bar.h"
#include "ic-training.h"
#include "test-util.h"

static GtkApplication *app;
static char *dir; /* the deck and the training database */
static char *deck_dir;
static ClContext *ctx;
static WfDesk *desk;

/* -- helpers ----------------------------------------------------------------------------------- */

typedef gboolean (*Condition) (gpointer data);

/* Runs the main loop until cond holds (at most timeout seconds). */
static gboolean
wait_until (Condition cond, gpointer data, guint timeout)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  return TRUE;
}

/* A button's label, also when it is a label of its own inside. */
static const char *
button_label (GtkWidget *button)
{
  GtkWidget *child = gtk_bin_get_child (GTK_BIN (button));

  if (gtk_button_get_label (GTK_BUTTON (button)) != NULL)
    return gtk_button_get_label (GTK_BUTTON (button));
  return GTK_IS_LABEL (child) ? gtk_label_get_label (GTK_LABEL (child)) : NULL;
}

static GtkWidget *
find_widget (GtkWidget *widget, GType type, const char *label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type)
      && (label == NULL || g_strcmp0 (button_label (widget), label) == 0))
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_widget (l->data, type, label);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget *root, const char *label)
{
  GtkWidget *button = find_widget (root, GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  return button;
}

/* The drawer's last word (the label under its buttons). */
static const char *
status_text (GtkWidget *root)
{
  g_autoptr (GList) stack = g_list_prepend (NULL, root);

  while (stack != NULL)
    {
      GtkWidget *w = stack->data;

      stack = g_list_delete_link (stack, stack);
      if (GTK_IS_LABEL (w) && g_strcmp0 (gtk_widget_get_name (w), "status") == 0)
        return gtk_label_get_text (GTK_LABEL (w));
      if (GTK_IS_CONTAINER (w))
        {
          g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (w));

          for (GList *l = children; l != NULL; l = l->next)
            stack = g_list_append (stack, l->data);
        }
    }
  return "";
}

static GtkListBox *
card_list (IcCardDrawer *drawer)
{
  GtkWidget *list = find_widget (GTK_WIDGET (drawer), GTK_TYPE_LIST_BOX, NULL);

  g_assert_nonnull (list);
  return GTK_LIST_BOX (list);
}

/* Each row as people (and screen readers) get it. */
static GPtrArray *
row_names (IcCardDrawer *drawer)
{
  g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (card_list (drawer)));
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (GList *l = rows; l != NULL; l = l->next)
    g_ptr_array_add (names, g_strdup (atk_object_get_name (gtk_widget_get_accessible (l->data))));
  return names;
}

/* The row whose name holds text (and also, if not NULL, also). */
static GtkWidget *
row_with (IcCardDrawer *drawer, const char *text, const char *also)
{
  g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (card_list (drawer)));

  for (GList *l = rows; l != NULL; l = l->next)
    {
      const char *name = atk_object_get_name (gtk_widget_get_accessible (l->data));

      if (strstr (name, text) != NULL && (also == NULL || strstr (name, also) != NULL))
        return l->data;
    }
  return NULL;
}

/* The row's button for a slot (0 R1, 1 R2, -1 take out). */
static GtkWidget *
row_button (GtkWidget *row, const char *name)
{
  GtkWidget *found = NULL;
  GList *stack = g_list_prepend (NULL, row);

  while (stack != NULL && found == NULL)
    {
      GtkWidget *w = stack->data;

      stack = g_list_delete_link (stack, stack);
      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_widget_get_name (w), name) == 0)
        found = w;
      else if (GTK_IS_CONTAINER (w))
        {
          g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (w));

          for (GList *l = children; l != NULL; l = l->next)
            stack = g_list_prepend (stack, l->data);
        }
    }
  g_list_free (stack);
  g_assert_nonnull (found);
  return found;
}

static gboolean
has_row_cond (gpointer data)
{
  gpointer *args = data;

  return row_with (args[0], args[1], args[2]) != NULL;
}

static GtkWidget *
wait_for_row (IcCardDrawer *drawer, const char *text, const char *also)
{
  gpointer args[3] = { drawer, (gpointer) text, (gpointer) also };

  if (!wait_until (has_row_cond, args, 20))
    g_error ("no row with “%s” %s", text, also != NULL ? also : "");
  return row_with (drawer, text, also);
}

/* How many blank insurance cards the drawer's row counts. */
static guint
blanks_in_drawer (IcCardDrawer *drawer)
{
  GtkWidget *row = wait_for_row (drawer, "Blank insurance cards, ", NULL);
  const char *name = atk_object_get_name (gtk_widget_get_accessible (row));

  return (guint) g_ascii_strtoull (name + strlen ("Blank insurance cards, "), NULL, 10);
}

static char *
slot_card (guint slot)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsDeck) deck = cs_deck_open (deck_dir, &error);

  g_assert_no_error (error);
  return g_strdup (cs_deck_get_slot_card (deck, slot));
}

typedef struct {
  IcReadersBar *bar;
  ClReaderRole role;
  const char *text;
} BarWait;

static gboolean
bar_says_cond (gpointer data)
{
  BarWait *w = data;
  const char *now = ic_readers_bar_get_text (w->bar, w->role);

  return now != NULL && strstr (now, w->text) != NULL;
}

static void
assert_bar_says (IcReadersBar *bar, ClReaderRole role, const char *text)
{
  BarWait w = { bar, role, text };

  if (!wait_until (bar_says_cond, &w, 20))
    g_error ("the readers bar says “%s” for R%d, not “%s”", ic_readers_bar_get_text (bar, role),
             role + 1, text);
}

/* -- tests ------------------------------------------------------------------------------------- */

static void
test_lists_deck (void)
{
  g_autoptr (GError) error = NULL;
  IcCardDrawer *drawer = ic_card_drawer_new (deck_dir, &error);
  g_autoptr (GPtrArray) names = NULL;
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);

  g_assert_no_error (error);
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (drawer));
  gtk_widget_show_all (window);
  wait_for_row (drawer, "Blank insurance cards", NULL);
  names = row_names (drawer);
  for (guint i = 0; i < names->len; i++)
    g_test_message ("row: %s", (char *) names->pdata[i]);

  /* The system's cards in their order, wherever they are, then the
   * insurance cards: the one in R2 and one row for the blanks in the
   * drawer. */
  g_assert_cmpuint (names->len, ==, 8);
  g_assert_true (g_str_has_prefix (names->pdata[0], "Master control card, Serial "));
  g_assert_true (g_str_has_prefix (names->pdata[1], "Key transport card, Serial "));
  g_assert_cmpstr (names->pdata[2], ==,
                   "Administrator card, " IC_DEMO_SYSTEM_ADMIN ", system administrator");
  g_assert_cmpstr (names->pdata[3], ==,
                   "Administrator card, " IC_DEMO_ISSUING_ADMIN ", issuing administrator, in R1");
  g_assert_cmpstr (names->pdata[4], ==, "Administrator card, " IC_DEMO_AUDITOR ", auditor");
  g_assert_cmpstr (names->pdata[5], ==, "Key card, " IC_DEMO_CLERK ", works at DESK-01");
  g_assert_true (g_str_has_prefix (names->pdata[6], "Blank insurance card, Serial "));
  g_assert_true (g_str_has_suffix (names->pdata[6], ", in R2"));
  g_assert_cmpstr (names->pdata[7], ==, "Blank insurance cards, 19 in the drawer");
  /* Never a PIN. */
  for (guint i = 0; i < names->len; i++)
    g_assert_null (strstr (names->pdata[i], IC_DEMO_CARD_PIN));

  /* A new blank joins the others. */
  gtk_button_clicked (GTK_BUTTON (find_button (window, "New blank _insurance card")));
  wait_for_row (drawer, "Blank insurance cards, 20 in the drawer", NULL);
  gtk_widget_destroy (window);
}

static void
test_put_in_r2 (void)
{
  g_autoptr (GError) error = NULL;
  IcMainWindow *window = ic_main_window_new (app, TRUE);
  IcCardDrawer *drawer = ic_card_drawer_new (deck_dir, &error);
  IcReadersBar *bar;
  g_autofree char *blank = slot_card (1);
  g_autofree char *in_r2 = NULL;
  g_autofree char *mcc = NULL;
  g_autofree char *admin = NULL;
  guint blanks;
  GtkWidget *row;

  g_assert_no_error (error);
  gtk_widget_show (GTK_WIDGET (drawer));
  ic_main_window_set_drawer (window, GTK_WIDGET (drawer));
  cl_context_start_watch (ctx);
  ic_main_window_set_desk (window, desk);
  gtk_widget_show (GTK_WIDGET (window));
  bar = IC_READERS_BAR (find_widget (GTK_WIDGET (window), IC_TYPE_READERS_BAR, NULL));
  g_assert_nonnull (bar);
  assert_bar_says (bar, CL_READER_ROLE_R1, "administrator card");
  assert_bar_says (bar, CL_READER_ROLE_R2, "insurance card");

  /* "Put in R2" on the master control card: the blank goes back to the
   * drawer, the MCC into R2, and the readers bar says so. */
  blanks = blanks_in_drawer (drawer);
  row = wait_for_row (drawer, "Master control card", NULL);
  mcc = g_strdup (g_object_get_data (G_OBJECT (row), "ic-card"));
  gtk_button_clicked (GTK_BUTTON (row_button (row, "put-r2")));
  in_r2 = slot_card (1);
  g_assert_cmpstr (in_r2, ==, mcc);
  wait_for_row (drawer, "Master control card, Serial", ", in R2");
  g_assert_cmpuint (blanks_in_drawer (drawer), ==, blanks + 1);
  assert_bar_says (bar, CL_READER_ROLE_R2, "master control card");

  /* A card in R1 put into R2 leaves R1. */
  row = wait_for_row (drawer, "issuing administrator, in R1", NULL);
  admin = g_strdup (g_object_get_data (G_OBJECT (row), "ic-card"));
  gtk_button_clicked (GTK_BUTTON (row_button (row, "put-r2")));
  g_clear_pointer (&in_r2, g_free);
  in_r2 = slot_card (1);
  g_assert_cmpstr (in_r2, ==, admin);
  g_assert_null (slot_card (0));
  wait_for_row (drawer, "issuing administrator, in R2", NULL);
  assert_bar_says (bar, CL_READER_ROLE_R1, "empty");
  assert_bar_says (bar, CL_READER_ROLE_R2, "administrator card");

  /* Taken out: R2 is empty, and the MCC came back to the drawer. */
  row = wait_for_row (drawer, "issuing administrator, in R2", NULL);
  gtk_button_clicked (GTK_BUTTON (row_button (row, "take-out")));
  g_assert_null (slot_card (1));
  g_assert_null (row_with (drawer, "in R2", NULL));
  assert_bar_says (bar, CL_READER_ROLE_R2, "empty");

  /* As the stocking left them, for the other tests. */
  g_assert_true (ic_card_drawer_put_card (drawer, admin, 0, &error));
  g_assert_true (ic_card_drawer_put_card (drawer, blank, 1, &error));
  g_assert_no_error (error);
  assert_bar_says (bar, CL_READER_ROLE_R1, "administrator card");
  cl_context_stop_watch (ctx);
  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
test_pull (void)
{
  g_autoptr (GError) error = NULL;
  IcCardDrawer *drawer = ic_card_drawer_new (deck_dir, &error);
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  g_autofree char *blank = slot_card (1);
  g_autoptr (CsDeck) deck = NULL;
  GtkWidget *arm, *disarm, *now;

  g_assert_no_error (error);
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (drawer));
  gtk_widget_show_all (window);
  wait_for_row (drawer, "in R2", NULL);
  arm = find_button (window, "Pull it during the next _write");
  disarm = find_button (window, "_Disarm");
  now = find_button (window, "_Pull the card in R2 now");

  /* Armed in deck.ini for R2 until it fires or is taken back. */
  gtk_button_clicked (GTK_BUTTON (arm));
  deck = cs_deck_open (deck_dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (
      g_key_file_get_integer (cs_deck_get_keyfile (deck), "faults.slot1", "tear-write", NULL), ==,
      1);
  g_assert_false (gtk_widget_get_sensitive (arm));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (disarm)));
  gtk_button_clicked (GTK_BUTTON (disarm));
  g_assert_true (cs_deck_reload (deck, NULL, &error));
  g_assert_false (g_key_file_has_group (cs_deck_get_keyfile (deck), "faults.slot1"));
  g_assert_true (gtk_widget_get_sensitive (arm));

  /* Armed again, and it fires (as the simulated reader does it: the fault
   * is spent and the card leaves R2): the drawer says what happened. */
  gtk_button_clicked (GTK_BUTTON (arm));
  g_assert_true (cs_deck_clear_fault (deck, 1, "tear-write", &error));
  g_assert_true (cs_deck_remove (deck, 1, &error));
  ic_card_drawer_refresh (drawer);
  g_assert_nonnull (strstr (status_text (window), "pulled out in the middle of a write"));
  g_assert_true (gtk_widget_get_sensitive (arm));
  g_assert_true (ic_card_drawer_put_card (drawer, blank, 1, &error));

  /* Pulled now: R2 is empty; the button waits for a card. */
  g_assert_true (gtk_widget_get_sensitive (now));
  gtk_button_clicked (GTK_BUTTON (now));
  g_assert_null (slot_card (1));
  g_assert_false (gtk_widget_get_sensitive (now));
  g_assert_true (ic_card_drawer_put_card (drawer, blank, 1, &error));
  g_assert_true (gtk_widget_get_sensitive (now));
  gtk_widget_destroy (window);
}

/* By keyboard alone: Tab reaches the rows' buttons, and the buttons under
 * the list. */
static void
test_keyboard (void)
{
  g_autoptr (GError) error = NULL;
  IcCardDrawer *drawer = ic_card_drawer_new (deck_dir, &error);
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  gboolean row_button_seen = FALSE, new_button_seen = FALSE;

  g_assert_no_error (error);
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (drawer));
  gtk_widget_show_all (window);
  wait_for_row (drawer, "Master control card", NULL);
  /* Xvfb has no window manager to give the window the focus. */
  {
    GdkEvent *event = gdk_event_new (GDK_FOCUS_CHANGE);

    event->focus_change.window = g_object_ref (gtk_widget_get_window (window));
    event->focus_change.send_event = TRUE;
    event->focus_change.in = TRUE;
    gtk_widget_send_focus_change (window, event);
    gdk_event_free (event);
  }
  for (guint i = 0; i < 40; i++)
    {
      GtkWidget *focus;

      g_signal_emit_by_name (window, "move-focus", GTK_DIR_TAB_FORWARD);
      focus = gtk_window_get_focus (GTK_WINDOW (window));
      g_test_message ("tab %u: %s %s %s", i, focus ? G_OBJECT_TYPE_NAME (focus) : "-",
                      focus && GTK_IS_BUTTON (focus) ? button_label (focus) : "",
                      focus ? gtk_widget_get_name (focus) : "");
      if (focus != NULL && g_strcmp0 (gtk_widget_get_name (focus), "put-r2") == 0)
        row_button_seen = TRUE;
      if (focus != NULL && GTK_IS_BUTTON (focus)
          && g_strcmp0 (button_label (focus), "New blank _insurance card") == 0)
        new_button_seen = TRUE;
    }
  g_assert_true (row_button_seen);
  g_assert_true (new_button_seen);
  gtk_widget_destroy (window);
}

static void
test_preparing (void)
{
  g_autoptr (GError) error = NULL;
  IcCardDrawer *drawer = ic_card_drawer_new (deck_dir, &error);
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  GtkWidget *progress;

  g_assert_no_error (error);
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (drawer));
  gtk_widget_show_all (window);

  /* While the demo cards are made, nothing can be moved. */
  ic_card_drawer_set_progress (drawer, 0.5, "Making the key transport card…");
  progress = find_widget (window, GTK_TYPE_PROGRESS_BAR, NULL);
  g_assert_true (gtk_widget_is_visible (progress));
  g_assert_cmpstr (gtk_progress_bar_get_text (GTK_PROGRESS_BAR (progress)), ==,
                   "Making the key transport card…");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (card_list (drawer))));
  g_assert_false (gtk_widget_get_sensitive (find_button (window, "New blank _CPU card")));
  {
    g_autofree char *blank = slot_card (1);

    g_assert_false (ic_card_drawer_put_card (drawer, blank, -1, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_free (blank);
    blank = slot_card (1);
    g_assert_nonnull (blank);
  }

  ic_card_drawer_set_progress (drawer, -1, NULL);
  g_assert_false (gtk_widget_is_visible (progress));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (card_list (drawer))));
  g_assert_true (gtk_widget_get_sensitive (find_button (window, "New blank _CPU card")));
  gtk_widget_destroy (window);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  app = gtk_application_new ("org.insucard.Test", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  /* One demo system for all the tests, made as training mode makes it. */
  dir = g_dir_make_tmp ("insucard-ui-drawer-XXXXXX", &error);
  g_assert_no_error (error);
  deck_dir = g_build_filename (dir, "deck", NULL);
  {
    g_autofree char *db = g_build_filename (dir, "training.db", NULL);

    ctx = cl_context_new (CL_READER_BACKEND_SIM, deck_dir);
    desk = wf_desk_new (ctx, db, "DESK-01", &error);
    g_assert_no_error (error);
    g_assert_true (ic_training_stock (desk, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }

  g_test_add_func ("/ui/card-drawer/lists-deck", test_lists_deck);
  g_test_add_func ("/ui/card-drawer/put-in-r2", test_put_in_r2);
  g_test_add_func ("/ui/card-drawer/pull", test_pull);
  g_test_add_func ("/ui/card-drawer/keyboard", test_keyboard);
  g_test_add_func ("/ui/card-drawer/preparing", test_preparing);

  status = g_test_run ();
  g_clear_object (&desk);
  g_clear_object (&ctx);
  g_object_unref (app);
  tu_rm_rf (dir);
  g_free (deck_dir);
  g_free (dir);
  return status;
}
