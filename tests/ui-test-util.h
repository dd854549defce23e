/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui-test-util.h: the widget tests' desk, and acting on it as a person does.
 *
 * The desk: a main window over the in-process simulator with the system of
 * cards made by wf-test-util.h (or none, for the ceremonies that make the
 * first cards); the window runs the reader watch as the application's
 * does, so the readers bar, card waits and the logout when the operator
 * card leaves R1 follow reader events in the tests too.  An operator
 * (the issuing administrator, an auditor) logs in with a scripted
 * interaction.
 *
 * Acting: a person acts on what the screen shows.  Before a click, the
 * tests wait (ui_settle) until the window runs no task and the readers bar
 * shows what is in the readers now, then check that the control is on the
 * screen and sensitive.  A wizard's dialogs are answered as a person would
 * (entries filled, a button pressed).  Every wait runs the main loop until
 * something happens, with a deadline generous enough for a loaded
 * machine; none sleeps a fixed time.
 *
 * Finding: widgets as a screen reader finds them (type and accessible
 * name), or a button by its label, a widget by its type, and a label by
 * its text when it would be on the screen. */
#pragma once

#include <string.h>
#include <gtk/gtk.h>

#include "ic-main-window.h"
#include "ic-pages.h"
#include "ic-readers-bar.h"
#include "wf-audit-util.h"
#include "wf-insurance.h"
#include "wf-session.h"
#include "wf-system-util.h"

#define UI_ID_1 "510402198503172316"

/* Generous: a loaded CI machine may take seconds where a desk takes ms. */
#define UI_DEADLINE_S 60

static GtkApplication *ui_app;

typedef struct {
  WfFixture wf;
  System sys;
  IcMainWindow *window;
  WfSession *session; /* the test's login, or NULL */
  const char *auditor; /* the auditor's card (ui_setup_audit), or NULL */
} UiFixture;

/* -- finding widgets ----------------------------------------------------------------------- */

typedef gboolean (*UiMatch) (GtkWidget *widget, gconstpointer data);

typedef struct {
  UiMatch match;
  gconstpointer data;
  GtkWidget *found;
} UiFind;

static void
ui_find_cb (GtkWidget *widget, gpointer data)
{
  UiFind *find = data;

  if (find->found != NULL)
    return;
  if (find->match (widget, find->data))
    find->found = widget;
  /* A tree view's column headers are its own (a table's, to a screen
   * reader), not controls or labels of the page. */
  else if (GTK_IS_CONTAINER (widget) && !GTK_IS_TREE_VIEW (widget))
    gtk_container_forall (GTK_CONTAINER (widget), ui_find_cb, find);
}

/* The first widget under root (root too, internal children too, depth
 * first) that matches, or NULL. */
static G_GNUC_UNUSED GtkWidget *
ui_find_match (GtkWidget *root, UiMatch match, gconstpointer data)
{
  UiFind find = { match, data, NULL };

  ui_find_cb (root, &find);
  return find.found;
}

static G_GNUC_UNUSED const char *
ui_accessible_name (GtkWidget *widget)
{
  return atk_object_get_name (gtk_widget_get_accessible (widget));
}

typedef struct {
  GType type;
  const char *name;
} UiNamed;

static gboolean
ui_is_named (GtkWidget *widget, gconstpointer data)
{
  const UiNamed *n = data;

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, n->type)
         && g_strcmp0 (ui_accessible_name (widget), n->name) == 0;
}

/* The widget of this type a screen reader calls name, or NULL. */
static G_GNUC_UNUSED GtkWidget *
ui_lookup (GtkWidget *root, GType type, const char *name)
{
  UiNamed n = { type, name };

  return ui_find_match (root, ui_is_named, &n);
}

/* The widget of this type a screen reader calls name; fails if none. */
static G_GNUC_UNUSED GtkWidget *
ui_find (GtkWidget *root, GType type, const char *name)
{
  GtkWidget *found = ui_lookup (root, type, name);

  if (found == NULL)
    g_error ("no %s named “%s”", g_type_name (type), name);
  return found;
}

static gboolean
ui_is_button (GtkWidget *widget, gconstpointer label)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* The button labelled label (with its mnemonic underscore); fails if none. */
static G_GNUC_UNUSED GtkWidget *
ui_button (GtkWidget *root, const char *label)
{
  GtkWidget *button = ui_find_match (root, ui_is_button, label);

  if (button == NULL)
    g_error ("no button labelled “%s”", label);
  return button;
}

static gboolean
ui_is_type (GtkWidget *widget, gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

/* The first widget of this type; fails if none. */
static G_GNUC_UNUSED GtkWidget *
ui_find_type (GtkWidget *root, GType type)
{
  GtkWidget *found = ui_find_match (root, ui_is_type, GSIZE_TO_POINTER (type));

  if (found == NULL)
    g_error ("no %s", g_type_name (type));
  return found;
}

/* Would the widget be on the screen: it and everything up to root
 * visible, every revealer around it revealed and every stack showing it?
 * (A revealer shows its child only at the next frame, which a test need
 * not wait for: it asks what the window has decided to show.) */
static G_GNUC_UNUSED gboolean
ui_is_shown (GtkWidget *widget, GtkWidget *root)
{
  for (GtkWidget *w = widget; w != NULL && w != root; w = gtk_widget_get_parent (w))
    {
      GtkWidget *parent = gtk_widget_get_parent (w);

      if (!gtk_widget_get_visible (w)
          || (GTK_IS_REVEALER (w) && !gtk_revealer_get_reveal_child (GTK_REVEALER (w)))
          || (GTK_IS_STACK (parent) && gtk_stack_get_visible_child (GTK_STACK (parent)) != w))
        return FALSE;
    }
  return gtk_widget_get_visible (root);
}

typedef struct {
  const char *text;
  GtkWidget *root;
} UiText;

static gboolean
ui_is_label_shown (GtkWidget *widget, gconstpointer data)
{
  const UiText *t = data;

  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), t->text) != NULL
         && ui_is_shown (widget, t->root);
}

/* A label on the screen whose text holds text, or NULL. */
static G_GNUC_UNUSED GtkLabel *
ui_find_label (GtkWidget *root, const char *text)
{
  UiText t = { text, root };

  return GTK_LABEL (ui_find_match (root, ui_is_label_shown, &t));
}

static gboolean
ui_collect_label (GtkWidget *widget, gconstpointer data)
{
  const UiText *t = data;

  if (GTK_IS_LABEL (widget) && ui_is_shown (widget, t->root)
      && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    g_string_append_printf ((GString *) t->text, "[%s] ", gtk_label_get_text (GTK_LABEL (widget)));
  return FALSE;
}

/* Every label on the screen, to tell what went wrong. */
static G_GNUC_UNUSED char *
ui_screen_text (GtkWidget *root)
{
  GString *s = g_string_new (NULL);
  UiText t = { (const char *) s, root };

  ui_find_match (root, ui_collect_label, &t);
  return g_string_free (s, FALSE);
}

static gboolean
ui_collect (GtkWidget *widget, gconstpointer all)
{
  g_ptr_array_add ((GPtrArray *) all, widget);
  return FALSE;
}

/* Every widget under root that ui_find_match() looks at, in its order. */
static G_GNUC_UNUSED GPtrArray *
ui_widgets (GtkWidget *root)
{
  GPtrArray *all = g_ptr_array_new ();

  ui_find_match (root, ui_collect, all);
  return all;
}

/* Every control a person can reach under root has a name: the visible
 * buttons, entries, combos, spin buttons, lists and trees. */
static G_GNUC_UNUSED void
ui_assert_named (GtkWidget *root)
{
  g_autoptr (GPtrArray) all = ui_widgets (root);

  for (guint i = 0; i < all->len; i++)
    {
      GtkWidget *w = all->pdata[i];
      GtkWidget *parent = gtk_widget_get_parent (w);
      const char *name;

      if (!(GTK_IS_BUTTON (w) || GTK_IS_ENTRY (w) || GTK_IS_COMBO_BOX (w) || GTK_IS_TREE_VIEW (w)
            || GTK_IS_LIST_BOX (w))
          || !gtk_widget_get_visible (w))
        continue;
      /* A combo's own toggle and entry are named by the combo. */
      if (parent != NULL && gtk_widget_get_ancestor (parent, GTK_TYPE_COMBO_BOX) != NULL)
        continue;
      name = ui_accessible_name (w);
      if (name == NULL || *name == '\0')
        g_error ("a %s without an accessible name", G_OBJECT_TYPE_NAME (w));
    }
}

/* Every column of a list can be sorted, and the list has a name. */
static G_GNUC_UNUSED void
ui_assert_sortable (GtkTreeView *view)
{
  g_autoptr (GList) columns = gtk_tree_view_get_columns (view);

  g_assert_nonnull (columns);
  for (GList *l = columns; l != NULL; l = l->next)
    {
      g_assert_cmpint (gtk_tree_view_column_get_sort_column_id (l->data), >=, 0);
      g_assert_nonnull (gtk_tree_view_column_get_title (l->data));
    }
  g_assert_nonnull (ui_accessible_name (GTK_WIDGET (view)));
}

/* -- waiting ------------------------------------------------------------------------------- */

/* Dispatches what is due now, without waiting. */
static G_GNUC_UNUSED void
ui_iterate (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

typedef gboolean (*UiCondition) (UiFixture *f, gconstpointer data);

static gboolean
ui_wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until cond holds; it sleeps until something happens
 * (a task's end, a reader event, a frame), or 50 ms to look at the
 * deadline.  Fails after UI_DEADLINE_S naming what it waited for and what
 * the screen says. */
static G_GNUC_UNUSED void
ui_wait_until (UiFixture *f, UiCondition cond, gconstpointer data, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + UI_DEADLINE_S * G_USEC_PER_SEC;
  guint wake = g_timeout_add (50, ui_wake_cb, NULL);

  while (!cond (f, data))
    {
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *screen =
              f->window != NULL ? ui_screen_text (GTK_WIDGET (f->window)) : g_strdup ("");
          const char *message = f->window != NULL ? ic_main_window_get_message (f->window) : NULL;

          g_error ("waited %d s for %s; the message bar says: %s; the screen says: %s",
                   UI_DEADLINE_S, what, message != NULL ? message : "nothing", screen);
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

/* No task runs, and nothing its end queued (a page's next load) waits. */
static gboolean
ui_is_idle (UiFixture *f, gconstpointer data)
{
  ui_iterate ();
  return !ic_main_window_is_busy (f->window);
}

/* Runs the main loop until the window's task and everything it started
 * have ended. */
static G_GNUC_UNUSED void
ui_wait (UiFixture *f)
{
  ui_wait_until (f, ui_is_idle, NULL, "the task to end");
}

/* What the readers bar says of a reader: the card the deck has there (its
 * serial), "empty", or that the card is in use when held (the operator's
 * in R1, while logged in); in the test's language (a test may run in
 * another than C, test-ui-main-window). */
static gboolean
ui_bar_shows (const char *text, const char *serial, gboolean held)
{
  if (text == NULL)
    return FALSE;
  if (serial == NULL)
    return g_str_equal (text, g_dgettext (GETTEXT_PACKAGE, "empty"));
  if (held)
    return g_str_equal (
        text, g_dgettext (GETTEXT_PACKAGE, "card in use (logged in, or a task is working on it)"));
  return strstr (text, serial) != NULL;
}

typedef struct {
  IcReadersBar *bar;
  char *serials[2]; /* of the card in each slot, NULL: empty */
} UiReaders;

static gboolean
ui_drawn_cb (GtkWidget *widget, cairo_t *cr, gpointer data)
{
  g_object_set_data (G_OBJECT (widget), "ui-drawn", GINT_TO_POINTER (TRUE));
  return FALSE;
}

static gboolean
ui_is_settled (UiFixture *f, gconstpointer data)
{
  const UiReaders *r = data;
  GObject *window = G_OBJECT (f->window);
  WfSession *session;

  if (!ui_is_idle (f, NULL)
      || (gtk_widget_get_visible (GTK_WIDGET (window))
          && g_object_get_data (window, "ui-drawn") == NULL))
    return FALSE;
  session = ic_main_window_get_session (f->window);
  for (guint slot = 0; r->bar != NULL && slot < 2; slot++)
    if (!ui_bar_shows (ic_readers_bar_get_text (r->bar, slot), r->serials[slot],
                       slot == 0 && session != NULL && wf_session_is_active (session)))
      return FALSE;
  return TRUE;
}

/* What a person looks at before acting: the window on the screen (laid
 * out and drawn), no task running, and the readers bar (with a desk)
 * showing the cards in the readers now. */
static G_GNUC_UNUSED void
ui_settle (UiFixture *f)
{
  g_autoptr (GError) error = NULL;
  UiReaders r = { NULL };

  if (g_object_get_data (G_OBJECT (f->window), "ui-draw-watched") == NULL)
    {
      g_signal_connect_after (f->window, "draw", G_CALLBACK (ui_drawn_cb), NULL);
      g_object_set_data (G_OBJECT (f->window), "ui-draw-watched", GINT_TO_POINTER (TRUE));
      if (gtk_widget_get_mapped (GTK_WIDGET (f->window)))
        gtk_widget_queue_draw (GTK_WIDGET (f->window));
    }
  if (ic_main_window_get_desk (f->window) != NULL)
    {
      r.bar = IC_READERS_BAR (ui_find_type (GTK_WIDGET (f->window), IC_TYPE_READERS_BAR));
      g_assert_true (cs_deck_reload (f->wf.sim.deck, NULL, &error));
      g_assert_no_error (error);
    }
  for (guint slot = 0; r.bar != NULL && slot < 2; slot++)
    {
      const char *path = cs_deck_get_slot_card (f->wf.sim.deck, slot);
      g_autoptr (CsCard) card = path != NULL ? cs_card_load (path, &error) : NULL;

      g_assert_no_error (error);
      if (card != NULL)
        {
          const guint8 *serial = cs_card_get_serial (card);

          r.serials[slot] = g_malloc0 (2 * CS_SERIAL_LEN + 1);
          for (guint i = 0; i < CS_SERIAL_LEN; i++)
            g_snprintf (r.serials[slot] + 2 * i, 3, "%02X", serial[i]);
        }
    }
  ui_wait_until (f, ui_is_settled, &r,
                 "the window to be idle and the readers bar to show the cards");
  g_free (r.serials[0]);
  g_free (r.serials[1]);
}

/* The pointer at data is NULL: a weak pointer's object is gone. */
static G_GNUC_UNUSED gboolean
ui_is_null (UiFixture *f, gconstpointer data)
{
  return *(const gpointer *) data == NULL;
}

static gboolean
ui_count_frame_cb (GtkWidget *widget, cairo_t *cr, gpointer data)
{
  (*(guint *) data)++;
  return FALSE;
}

static gboolean
ui_is_past (UiFixture *f, gconstpointer data)
{
  const guint *frames = data;

  return frames[0] > frames[1];
}

/* Runs the main loop until the shown window has been laid out and drawn
 * once more: what a change queued (a resize, rows that came) is then on
 * the screen, and what its layout started has started. */
static G_GNUC_UNUSED void
ui_frame (UiFixture *f)
{
  guint frames[2] = { 0, 0 }; /* drawn so far, drawn before */
  gulong id = g_signal_connect_after (f->window, "draw", G_CALLBACK (ui_count_frame_cb), frames);

  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  gtk_widget_queue_draw (GTK_WIDGET (f->window));
  ui_wait_until (f, ui_is_past, frames, "the window to be drawn");
  g_signal_handler_disconnect (f->window, id);
}

/* -- acting -------------------------------------------------------------------------------- */

/* The person clicks the button, seen on the screen and sensitive once the
 * window has settled (what a click starts is left running). */
static G_GNUC_UNUSED void
ui_click (UiFixture *f, GtkWidget *button)
{
  ui_settle (f);
  if (!ui_is_shown (button, GTK_WIDGET (f->window)) || !gtk_widget_is_sensitive (button))
    {
      g_autofree char *screen = ui_screen_text (GTK_WIDGET (f->window));

      g_error ("“%s” cannot be clicked (%s); the screen says: %s", ui_accessible_name (button),
               gtk_widget_is_sensitive (button) ? "not on the screen" : "insensitive", screen);
    }
  gtk_button_clicked (GTK_BUTTON (button));
}

/* Clicks a button that starts a task, and waits until the task (with what
 * its end started) is over. */
static G_GNUC_UNUSED void
ui_press (UiFixture *f, GtkWidget *button)
{
  ui_click (f, button);
  g_assert_true (ic_main_window_is_busy (f->window));
  ui_wait (f);
}

/* The card at path goes into the reader of slot (0: R1, 1: R2), what was
 * there taken out; nothing to do when it is there already.  Nobody looks
 * at the screen: for a card swapped while a task waits for it. */
static G_GNUC_UNUSED void
ui_insert (UiFixture *f, guint slot, const char *path)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_deck_reload (f->wf.sim.deck, NULL, &error));
  g_assert_no_error (error);
  if (g_strcmp0 (cs_deck_get_slot_card (f->wf.sim.deck, slot), path) != 0)
    {
      tu_wf_plan (&f->wf, "manual", path);
      g_assert_true (tu_wf_card_func (
          f->wf.ia,
          &(WfQuestion){ .name = "manual",
                         .reader = slot == 0 ? CL_READER_ROLE_R1 : CL_READER_ROLE_R2 },
          &f->wf));
    }
}

/* A card event of the window's reader watch, awaited. */
typedef struct {
  const char *reader;
  gboolean heard;
} UiHeard;

static void
ui_heard_cb (ClContext *context, const char *reader, gpointer data)
{
  UiHeard *h = data;

  if (g_strcmp0 (reader, h->reader) == 0)
    h->heard = TRUE;
}

static void
ui_heard_start_cb (ClContext *context, gpointer data)
{
  ((UiHeard *) data)->heard = TRUE;
}

static gboolean
ui_has_heard (UiFixture *f, gconstpointer data)
{
  return ((const UiHeard *) data)->heard;
}

/* The person puts the card into the reader of slot and looks at the
 * readers bar until it shows the card.  The window has heard of the card
 * by then: the bar may show it (a probe of its own) before the watch's
 * events come, and a late "removed" of the card it replaced in R1 would
 * end the session the test is about to open. */
static G_GNUC_UNUSED void
ui_put_in (UiFixture *f, guint slot, const char *path)
{
  g_autoptr (GError) error = NULL;
  ClContext *context = NULL;
  g_autofree char *reader = NULL;
  UiHeard heard = { NULL };
  gulong id = 0;

  if (f->window != NULL && ic_main_window_get_desk (f->window) != NULL)
    {
      context = wf_desk_get_context (ic_main_window_get_desk (f->window));
      g_assert_true (cs_deck_reload (f->wf.sim.deck, NULL, &error));
      g_assert_no_error (error);
      if (g_strcmp0 (cs_deck_get_slot_card (f->wf.sim.deck, slot), path) != 0)
        {
          reader = cl_context_dup_reader_name (context,
                                               slot == 0 ? CL_READER_ROLE_R1 : CL_READER_ROLE_R2);
          heard.reader = reader;
          id = g_signal_connect (context, "card-inserted", G_CALLBACK (ui_heard_cb), &heard);
        }
    }
  ui_insert (f, slot, path);
  if (id != 0)
    {
      ui_wait_until (f, ui_has_heard, &heard, "the reader watch to hear of the card");
      g_signal_handler_disconnect (context, id);
    }
  if (context != NULL)
    ui_settle (f);
}

/* The person takes the card out of the reader of slot, if any. */
static G_GNUC_UNUSED void
ui_take_out (UiFixture *f, guint slot)
{
  tu_wf_empty (&f->wf, slot);
  ui_settle (f);
}

static G_GNUC_UNUSED void
ui_put_in_r2 (UiFixture *f, const char *path)
{
  ui_put_in (f, 1, path);
}

/* The visible dialogs, topmost last. */
static G_GNUC_UNUSED GPtrArray *
ui_dialogs (void)
{
  GPtrArray *dialogs = g_ptr_array_new ();
  g_autoptr (GList) tops = gtk_window_list_toplevels ();

  for (GList *l = tops; l != NULL; l = l->next)
    if (GTK_IS_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      g_ptr_array_add (dialogs, l->data);
  return dialogs;
}

/* A dialog's title and texts, a line each. */
static G_GNUC_UNUSED char *
ui_dialog_text (GtkDialog *dialog)
{
  g_autoptr (GPtrArray) all = ui_widgets (GTK_WIDGET (dialog));
  GString *text = g_string_new (gtk_window_get_title (GTK_WINDOW (dialog)));

  for (guint i = 0; i < all->len; i++)
    if (GTK_IS_LABEL (all->pdata[i]))
      g_string_append_printf (text, "\n%s", gtk_label_get_text (all->pdata[i]));
  return g_string_free (text, FALSE);
}

/* The person presses the button of a dialog's response (sensitive). */
static G_GNUC_UNUSED void
ui_respond (GtkDialog *dialog, int response)
{
  GtkWidget *button = gtk_dialog_get_widget_for_response (dialog, response);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  gtk_button_clicked (GTK_BUTTON (button));
}

/* The person types text into every entry of a secret dialog (the secret
 * and its "again"), masked, then presses OK. */
static G_GNUC_UNUSED void
ui_answer_secret (GtkDialog *dialog, const char *text)
{
  g_autoptr (GPtrArray) all = ui_widgets (GTK_WIDGET (dialog));
  guint entries = 0;

  for (guint i = 0; i < all->len; i++)
    if (GTK_IS_ENTRY (all->pdata[i]))
      {
        g_assert_false (gtk_entry_get_visibility (all->pdata[i]));
        gtk_entry_set_text (all->pdata[i], text);
        entries++;
      }
  g_assert_cmpuint (entries, >=, 1);
  ui_respond (dialog, GTK_RESPONSE_OK);
}

/* -- the desk ------------------------------------------------------------------------------ */

/* An operator logs in with the card (scripted PIN), as a person does: the
 * card in R1 first, then the login; the window learns. */
static G_GNUC_UNUSED void
ui_log_in_with (UiFixture *f, const char *card)
{
  g_autoptr (GError) error = NULL;

  ui_put_in (f, 0, card);
  g_clear_object (&f->session);
  wf_scripted_add (f->wf.ia, "operator-pin=" HOLDER_PIN, NULL);
  f->session = wf_login (f->wf.desk, WF_INTERACTION (f->wf.ia), NULL, &error);
  g_assert_no_error (error);
  ic_main_window_refresh_session (f->window);
  ui_settle (f);
}

/* The issuing administrator logs in. */
static G_GNUC_UNUSED void
ui_log_in (UiFixture *f)
{
  ui_log_in_with (f, f->sys.ac);
}

static G_GNUC_UNUSED void
ui_log_out (UiFixture *f)
{
  g_autoptr (GError) error = NULL;

  ui_settle (f);
  g_assert_true (wf_logout (f->wf.desk, WF_INTERACTION (f->wf.ia), NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->session);
  ic_main_window_refresh_session (f->window);
  ui_settle (f);
}

/* A holder as the tests give one. */
static G_GNUC_UNUSED void
ui_holder (WfIcardHolder *h, const char *id, const char *name)
{
  g_autoptr (GError) error = NULL;

  memset (h, 0, sizeof *h);
  g_assert_true (wf_icard_holder_set (h, WF_ICARD_FIELD_ID_NUMBER, id, &error));
  g_assert_true (wf_icard_holder_set (h, WF_ICARD_FIELD_NAME, name, &error));
  g_assert_no_error (error);
}

/* A card issued by the workflow itself (scripted, not the page), left in
 * R2; its image path in *path if asked. */
static G_GNUC_UNUSED WfIssued *
ui_issue (UiFixture *f, const char *id, const char *name, const char **path)
{
  g_autoptr (GError) error = NULL;
  const char *blank = tu_wf_new_card (&f->wf, CS_CARD_SLE4428);
  WfIcardHolder h;
  WfIssued *issued;

  ui_holder (&h, id, name);
  ui_put_in_r2 (f, blank);
  issued = wf_icard_issue (f->wf.desk, WF_INTERACTION (f->wf.ia), &h, NULL, &error);
  g_assert_no_error (error);
  wf_icard_holder_clear (&h);
  if (path != NULL)
    *path = blank;
  ui_settle (f);
  return issued;
}

/* A window on the desk made so far (f->wf); not shown, no page.  Its
 * readers bar looks at the readers from now on: cards made before are
 * made while nobody watches, as at a desk before the program starts. */
static G_GNUC_UNUSED void
ui_setup_window (UiFixture *f)
{
  ClContext *context = wf_desk_get_context (f->wf.desk);
  UiHeard started = { NULL };
  gulong id = g_signal_connect (context, "watch-started", G_CALLBACK (ui_heard_start_cb), &started);

  f->window = ic_main_window_new (ui_app, FALSE);
  ic_main_window_set_desk (f->window, f->wf.desk);
  /* From here on every card moved is an event the window hears. */
  ui_wait_until (f, ui_has_heard, &started, "the reader watch to take stock");
  g_signal_handler_disconnect (context, id);
}

/* A window on a desk over the simulator with no card made yet (for the
 * ceremonies that make the first); not shown, no page. */
static G_GNUC_UNUSED void
ui_setup_blank (UiFixture *f, gconstpointer data)
{
  tu_wf_setup (&f->wf, data);
  ui_setup_window (f);
}

/* A window on a desk over the simulator with the system of cards; not
 * shown, no page, nobody logged in. */
static G_GNUC_UNUSED void
ui_setup (UiFixture *f, gconstpointer data)
{
  tu_wf_setup (&f->wf, data);
  make_system (&f->wf, &f->sys);
  ui_setup_window (f);
}

/* The desk as the issuing administrator has it: every page, shown, logged
 * in. */
static G_GNUC_UNUSED void
ui_setup_desk (UiFixture *f, gconstpointer data)
{
  ui_setup (f, data);
  ic_pages_add_all (f->window, FALSE);
  gtk_widget_show (GTK_WIDGET (f->window));
  ui_log_in (f);
}

/* The desk as an auditor has it: the system of cards, an auditor's card
 * (f->auditor), fill_rows rows of fill_log() in the audit log; every
 * page, shown as large as an auditor's screen, the auditor logged in. */
static G_GNUC_UNUSED void
ui_setup_audit (UiFixture *f, int fill_rows)
{
  tu_wf_setup (&f->wf, NULL);
  make_system (&f->wf, &f->sys);
  f->auditor = make_auditor (&f->wf, &f->sys);
  if (fill_rows > 0)
    fill_log (&f->wf, fill_rows);
  ui_setup_window (f);
  ic_pages_add_all (f->window, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 720);
  gtk_widget_show (GTK_WIDGET (f->window));
  ui_log_in_with (f, f->auditor);
}

/* The window as it is on the screen, as name.png in $INSUCARD_TEST_SHOTS
 * (when set). */
static G_GNUC_UNUSED void
ui_shot (UiFixture *f, const char *name)
{
  const char *dir = g_getenv ("INSUCARD_TEST_SHOTS");
  GdkWindow *win = gtk_widget_get_window (GTK_WIDGET (f->window));
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || win == NULL)
    return;
  ui_frame (f);
  gdk_display_sync (gdk_window_get_display (win));
  pixbuf = gdk_pixbuf_get_from_window (win, 0, 0, gdk_window_get_width (win),
                                       gdk_window_get_height (win));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
}

static G_GNUC_UNUSED void
ui_teardown (UiFixture *f, gconstpointer data)
{
  WfSession *session = ic_main_window_get_session (f->window);
  IcReadersBar *bar = IC_READERS_BAR (ui_find_type (GTK_WIDGET (f->window), IC_TYPE_READERS_BAR));

  ui_wait (f);
  if (session != NULL && wf_session_is_active (session))
    ui_log_out (f);
  g_clear_object (&f->session);
  /* The readers bar goes when its last look at the readers has ended. */
  g_object_add_weak_pointer (G_OBJECT (bar), (gpointer *) &bar);
  gtk_widget_destroy (GTK_WIDGET (f->window));
  f->window = NULL;
  ui_wait_until (f, ui_is_null, &bar, "the readers bar to go");
  ui_iterate ();
  tu_wf_teardown (&f->wf, data);
}

/* gtk_test_init, the application, the main context held by this thread
 * (so that no task's question runs GTK in a worker thread), locked memory. */
static G_GNUC_UNUSED void
ui_init (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  cl_secure_init ();
  gtk_test_init (argc, argv, NULL);
  g_assert_true (g_main_context_acquire (NULL));
  ui_app = gtk_application_new ("org.insucard.Test", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (ui_app), NULL, &error);
  g_assert_no_error (error);
}

/* g_test_run, then the application goes. */
static G_GNUC_UNUSED int
ui_run (void)
{
  int status = g_test_run ();

  g_clear_object (&ui_app);
  return status;
}
