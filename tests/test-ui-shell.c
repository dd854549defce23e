/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-shell.c: the application shell: its actions and accelerators
 * (the application object itself), the keyboard shortcuts window, the
 * title naming the operator, the login and logout actions following the
 * session, the idle logout (a short timeout, input postponing it), closing
 * while logged in, keyboard focus across the panes, the accessible names
 * of the shell, and the support report, which never holds the PIN typed
 * at login.  The desk is the in-process simulator with a whole system of
 * cards (wf-test-util.h), made once. */
#include "config.h"

#include <sys/stat.h>
#include <gtk/gtk.h>

#include "cl-log.h"
#include "ic-application.h"
#include "ui-test-util.h"

static IcApplication *app;
/* The system of cards is made once; each test has its own window. */
static UiFixture shell;
static gboolean system_made;

static UiFixture *
get_system (void)
{
  if (!system_made)
    {
      tu_wf_setup (&shell.wf, NULL);
      make_system (&shell.wf, &shell.sys);
      /* The operator card in R1 once and for all, before any window
       * watches the readers: no test moves it. */
      ui_put_in (&shell, 0, shell.sys.ac);
      system_made = TRUE;
    }
  return &shell;
}

/* Runs the main loop for ms: for what must not happen meanwhile. */
static void
run_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  guint wake = g_timeout_add (10, ui_wake_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake);
}

/* The widget whose accessible name is `name`, or starts with it when it
 * ends in a space. */
static GtkWidget *
find_named (GtkWidget *widget, const char *name)
{
  const char *its = atk_object_get_name (gtk_widget_get_accessible (widget));

  if (its != NULL
      && (g_str_has_suffix (name, " ") ? g_str_has_prefix (its, name) : strcmp (its, name) == 0))
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_named (l->data, name);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

static gboolean
logged_in (IcMainWindow *window)
{
  WfSession *session = ic_main_window_get_session (window);

  return session != NULL && wf_session_is_active (session);
}

static gboolean
logged_out_and_idle (UiFixture *f, gconstpointer data)
{
  ui_iterate ();
  return !logged_in (f->window) && !ic_main_window_is_busy (f->window);
}

static gboolean
is_null (UiFixture *f, gconstpointer data)
{
  return *(const gpointer *) data == NULL;
}

/* A window on the desk with the issuing administrator logged in (the
 * login first: the readers bar then finds R1 held, as at a real desk),
 * settled: shown, no task running, the readers bar filled. */
static IcMainWindow *
window_logged_in (UiFixture *f)
{
  g_autoptr (GError) error = NULL;

  wf_scripted_add (f->wf.ia, "operator-pin=" HOLDER_PIN, NULL);
  g_clear_object (&f->session);
  f->session = wf_login (f->wf.desk, WF_INTERACTION (f->wf.ia), NULL, &error);
  g_assert_no_error (error);

  f->window = ic_main_window_new (GTK_APPLICATION (app), FALSE);
  ic_pages_add_all (f->window, FALSE);
  ic_main_window_set_desk (f->window, f->wf.desk);
  gtk_widget_show (GTK_WIDGET (f->window));
  ic_main_window_refresh_session (f->window);
  ui_settle (f);
  g_assert_true (logged_in (f->window));
  return f->window;
}

/* Logs out if still logged in, and closes the window. */
static void
finish (UiFixture *f, IcMainWindow *window)
{
  g_autoptr (GError) error = NULL;
  IcReadersBar *bar = IC_READERS_BAR (ui_find_type (GTK_WIDGET (window), IC_TYPE_READERS_BAR));

  ui_wait (f);
  if (logged_in (window))
    {
      g_assert_true (wf_logout (f->wf.desk, WF_INTERACTION (f->wf.ia), NULL, &error));
      g_assert_no_error (error);
    }
  g_clear_object (&f->session);
  /* The readers bar goes when its last look at the readers has ended. */
  g_object_add_weak_pointer (G_OBJECT (bar), (gpointer *) &bar);
  gtk_widget_destroy (GTK_WIDGET (window));
  f->window = NULL;
  ui_wait_until (f, is_null, &bar, "the readers bar to go");
}

static gboolean
action_enabled (IcMainWindow *window, const char *name)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (window), name);
}

/* -- the application ----------------------------------------------------------------------- */

static void
assert_accel (const char *action, const char *accel)
{
  g_auto (GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);
  guint want_key, key;
  GdkModifierType want_mods, mods;

  gtk_accelerator_parse (accel, &want_key, &want_mods);
  g_assert_cmpuint (want_key, !=, 0);
  g_assert_nonnull (accels[0]);
  gtk_accelerator_parse (accels[0], &key, &mods);
  g_assert_cmpuint (key, ==, want_key);
  g_assert_cmpuint (mods, ==, want_mods);
}

static void
test_accelerators (void)
{
  IcMainWindow *window = ic_main_window_new (GTK_APPLICATION (app), FALSE);
  g_auto (GStrv) f10 = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), "F10");

  for (guint i = 0; i < 3; i++)
    g_assert_true (g_action_map_lookup_action (
        G_ACTION_MAP (app), (const char *[]){ "quit", "preferences", "about" }[i]));
  assert_accel ("app.quit", "<Primary>q");
  assert_accel ("app.preferences", "<Primary>comma");
  assert_accel ("win.login", "<Primary>l");
  assert_accel ("win.logout", "<Primary><Shift>l");
  assert_accel ("win.show-help-overlay", "<Primary>question");
  assert_accel ("win.show-menu", "F10");
  assert_accel ("win.focus-next-pane", "F6");
  assert_accel ("win.focus-previous-pane", "<Shift>F6");
  g_assert_true (g_strv_contains ((const char *const *) f10, "win.show-menu"));

  /* Every win. action the accelerators and the menu name exists. */
  for (guint i = 0; i < 7; i++)
    g_assert_true (g_action_group_has_action (
        G_ACTION_GROUP (window),
        (const char *[]){ "login", "logout", "support-report", "show-help-overlay", "show-menu",
                          "focus-next-pane", "focus-previous-pane" }[i]));
  /* The shortcuts window came from gtk/help-overlay.ui in the resources. */
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (
      gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window))));
  /* Nobody logged in, no desk: log in yes, log out no. */
  g_assert_true (action_enabled (window, "login"));
  g_assert_false (action_enabled (window, "logout"));
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* -- the session in the shell -------------------------------------------------------------- */

static void
test_title_and_actions (void)
{
  UiFixture *f = get_system ();
  IcMainWindow *window = window_logged_in (f);
  const char *title = gtk_window_get_title (GTK_WINDOW (window));

  g_assert_nonnull (strstr (title, "张三"));
  g_assert_nonnull (strstr (title, "Insurance Card Desk"));
  g_assert_false (action_enabled (window, "login"));
  g_assert_true (action_enabled (window, "logout"));

  g_action_group_activate_action (G_ACTION_GROUP (window), "logout", NULL);
  ui_wait_until (f, logged_out_and_idle, NULL, "the logout");
  g_assert_null (strstr (gtk_window_get_title (GTK_WINDOW (window)), "张三"));
  g_assert_true (action_enabled (window, "login"));
  g_assert_false (action_enabled (window, "logout"));
  finish (f, window);
}

static void
send_key (IcMainWindow *window)
{
  GdkEvent *event = gdk_event_new (GDK_KEY_PRESS);
  GdkSeat *seat = gdk_display_get_default_seat (gdk_display_get_default ());

  event->key.window = g_object_ref (gtk_widget_get_window (GTK_WIDGET (window)));
  event->key.send_event = TRUE;
  event->key.time = GDK_CURRENT_TIME;
  event->key.keyval = GDK_KEY_Shift_L;
  gdk_event_set_device (event, gdk_seat_get_keyboard (seat));
  gtk_main_do_event (event);
  gdk_event_free (event);
}

/* 0 is never; then the window logs out after the timeout without input,
 * input postponing it, and says why. */
static void
test_idle_logout (void)
{
  UiFixture *f = get_system ();
  IcMainWindow *window = window_logged_in (f);
  gint64 input_at;
  const char *message;

  ic_main_window_set_idle_logout (window, 0);
  run_for (300);
  g_assert_true (logged_in (window));

  /* 2 s without input; a key after 1 s (a second of slack for a loaded
   * machine) postpones it. */
  send_key (window);
  ic_main_window_set_idle_logout (window, 2000);
  run_for (1000);
  g_assert_true (logged_in (window));
  send_key (window);
  input_at = g_get_monotonic_time ();
  run_for (1000); /* 2 s after the first key, 1 s after the second */
  g_assert_true (logged_in (window));
  ui_wait_until (f, logged_out_and_idle, NULL, "the idle logout");
  g_assert_cmpint (g_get_monotonic_time () - input_at, >=, 2000 * 1000);
  message = ic_main_window_get_message (window);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "You were logged out"));
  g_assert_true (action_enabled (window, "login"));
  finish (f, window);
}

/* Closing while logged in logs out first, then the window goes. */
static void
test_close_logs_out (void)
{
  UiFixture *f = get_system ();
  IcMainWindow *window = window_logged_in (f);
  IcMainWindow *watch = window;

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &watch);
  gtk_window_close (GTK_WINDOW (window));
  f->window = NULL; /* it goes by itself */
  ui_wait_until (f, is_null, &watch, "the window to log out and close");
  g_clear_object (&f->session);
  g_assert_null (wf_desk_dup_session (f->wf.desk));
  g_assert_true (has_audit (&f->wf, DB_ACTION_LOGOUT, DB_OUTCOME_OK));
}

/* app.quit closes a window nobody is logged in at at once. */
static void
test_quit (void)
{
  IcMainWindow *window = ic_main_window_new (GTK_APPLICATION (app), FALSE);

  gtk_widget_show (GTK_WIDGET (window));
  ui_iterate ();
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  ui_iterate ();
  g_assert_null (window);
}

/* -- keyboard and accessibility ------------------------------------------------------------ */

static GtkWidget *
focus (IcMainWindow *window)
{
  return gtk_window_get_focus (GTK_WINDOW (window));
}

static gboolean
focus_in (IcMainWindow *window, const char *pane)
{
  GtkWidget *widget = find_named (GTK_WIDGET (window), pane);

  g_assert_nonnull (widget);
  return focus (window) != NULL && gtk_widget_is_ancestor (focus (window), widget);
}

/* The window gets the keyboard, as when the person clicks into it: the
 * focus-in X sends.  (Under a test runner, another test's window on the
 * same display may have it; GtkListBox does not take the focus by Tab in
 * a window without it.)  The keys below run no main loop, so it stays. */
static void
give_keyboard (IcMainWindow *window)
{
  GdkEvent *event = gdk_event_new (GDK_FOCUS_CHANGE);

  event->focus_change.window = g_object_ref (gtk_widget_get_window (GTK_WIDGET (window)));
  event->focus_change.send_event = TRUE;
  event->focus_change.in = TRUE;
  gtk_widget_event (GTK_WIDGET (window), event);
  gdk_event_free (event);
  g_assert_true (gtk_window_is_active (GTK_WINDOW (window)));
}

/* Tab (or Shift+Tab) as its key binding has the window do it. */
static void
tab (IcMainWindow *window, GtkDirectionType direction)
{
  g_signal_emit_by_name (window, "move-focus", direction);
}

/* Down (count 1) or Up (-1) as its key binding has the focused list do
 * it. */
static void
arrow (IcMainWindow *window, int count)
{
  GtkWidget *list = gtk_widget_get_ancestor (focus (window), GTK_TYPE_LIST_BOX);

  g_assert_nonnull (list);
  g_signal_emit_by_name (list, "move-cursor", GTK_MOVEMENT_DISPLAY_LINES, count);
}

static const char *
page_shown (IcMainWindow *window)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (find_named (GTK_WIDGET (window), "Page")));
}

/* Logged out, the sidebar has two pages (Log in, Ceremonies).  It is one
 * stop of Tab: the arrows choose the page, Tab goes into the page chosen,
 * Shift+Tab back; every page can be entered. */
static void
test_keyboard (void)
{
  UiFixture f = { .window = ic_main_window_new (GTK_APPLICATION (app), FALSE) };
  IcMainWindow *window = f.window;
  GtkWidget *sidebar;

  ic_pages_add_all (window, FALSE);
  gtk_widget_show (GTK_WIDGET (window));
  /* Tab follows the widgets' places: the window laid out and drawn. */
  ui_settle (&f);
  sidebar = find_named (GTK_WIDGET (window), "Pages");
  g_assert_nonnull (sidebar);
  g_assert_cmpstr (page_shown (window), ==, "login");
  g_assert_true (gtk_widget_get_visible (gtk_stack_get_child_by_name (
      GTK_STACK (find_named (GTK_WIDGET (window), "Page")), "ceremonies")));
  give_keyboard (window);
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  g_assert_true (gtk_widget_child_focus (sidebar, GTK_DIR_TAB_FORWARD));
  g_assert_true (focus_in (window, "Pages"));

  /* Tab: into the Log in page (its button), the page still shown;
   * Shift+Tab: back to the sidebar. */
  tab (window, GTK_DIR_TAB_FORWARD);
  g_assert_cmpstr (page_shown (window), ==, "login");
  g_assert_true (focus_in (window, "Page"));
  g_assert_true (GTK_IS_BUTTON (focus (window)));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (focus (window))), ==,
                   "win.login");
  tab (window, GTK_DIR_TAB_BACKWARD);
  g_assert_true (focus_in (window, "Pages"));
  g_assert_cmpstr (page_shown (window), ==, "login");

  /* Down chooses Ceremonies; Tab goes into it, Shift+Tab back. */
  arrow (window, 1);
  g_assert_true (focus_in (window, "Pages"));
  g_assert_cmpstr (page_shown (window), ==, "ceremonies");
  tab (window, GTK_DIR_TAB_FORWARD);
  g_assert_cmpstr (page_shown (window), ==, "ceremonies");
  g_assert_true (focus_in (window, "Page"));
  tab (window, GTK_DIR_TAB_BACKWARD);
  g_assert_true (focus_in (window, "Pages"));
  g_assert_cmpstr (page_shown (window), ==, "ceremonies");
  arrow (window, -1);
  g_assert_cmpstr (page_shown (window), ==, "login");

  /* F6: the page, then (nothing else shown) round to the header bar. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "focus-next-pane", NULL);
  g_assert_true (focus_in (window, "Page"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "focus-next-pane", NULL);
  g_assert_false (focus_in (window, "Page"));
  g_assert_false (focus_in (window, "Pages"));
  g_assert_true (GTK_IS_BUTTON (focus (window)));
  g_action_group_activate_action (G_ACTION_GROUP (window), "focus-previous-pane", NULL);
  g_assert_true (focus_in (window, "Page"));

  /* F10 opens the menu. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-menu", NULL);
  ui_iterate ();
  g_assert_true (
      gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (find_named (GTK_WIDGET (window), "Menu"))));
  gtk_widget_destroy (GTK_WIDGET (window));
  ui_iterate ();
}

/* A page taller than the window scrolls to the widget Tab gives the focus
 * to: a keyboard user sees where they are. */
static void
test_scroll_to_focus (void)
{
  UiFixture f = { .window = ic_main_window_new (GTK_APPLICATION (app), FALSE) };
  IcMainWindow *window = f.window;
  GtkWidget *last, *scrolled;
  GtkAdjustment *v;

  ic_pages_add_all (window, FALSE);
  gtk_window_resize (GTK_WINDOW (window), 900, 400);
  gtk_widget_show (GTK_WIDGET (window));
  ic_main_window_show_page (window, "ceremonies");
  ui_settle (&f);
  give_keyboard (window);
  last = find_named (GTK_WIDGET (window), "Rebuild the key transport card");
  g_assert_true (GTK_IS_BUTTON (last));
  scrolled = gtk_widget_get_ancestor (last, GTK_TYPE_SCROLLED_WINDOW);
  v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_cmpfloat (gtk_adjustment_get_upper (v) - gtk_adjustment_get_page_size (v), >, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (v), ==, 0);
  gtk_widget_grab_focus (last);
  ui_settle (&f);
  g_assert_cmpfloat (gtk_adjustment_get_value (v), >, 0);
  gtk_widget_destroy (GTK_WIDGET (window));
  ui_iterate ();
}

static gboolean
readers_described (UiFixture *f, gconstpointer data)
{
  GtkWidget *r1 = find_named (GTK_WIDGET (f->window), "R1 (key reader): ");

  return r1 != NULL
         && !g_str_has_suffix (atk_object_get_name (gtk_widget_get_accessible (r1)), "…");
}

static void
test_accessible_names (void)
{
  UiFixture *f = get_system ();
  IcMainWindow *window = window_logged_in (f);
  GtkWidget *r1;

  for (guint i = 0; i < 6; i++)
    g_assert_nonnull (
        find_named (GTK_WIDGET (window),
                    (const char *[]){ "Message", "Progress of the task", "Cancel the task",
                                      "Readers", "R2 (user reader): ", "Close the message" }[i]));
  /* The readers bar says what is in each reader, as the label does. */
  ui_wait_until (f, readers_described, NULL, "the readers bar to describe R1");
  r1 = find_named (GTK_WIDGET (window), "R1 (key reader): ");
  g_assert_nonnull (strstr (atk_object_get_name (gtk_widget_get_accessible (r1)), "in use"));
  finish (f, window);
}

/* -- the support report -------------------------------------------------------------------- */

static void
test_support_report (void)
{
  UiFixture *f = get_system ();
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  IcMainWindow *window;
  GStatBuf st;
  guint verify = 0;

  /* This session: the login with the PIN typed, then the report. */
  cl_transcript_clear ();
  window = window_logged_in (f);
  path = g_build_filename (f->wf.sim.dir, "support-report.txt", NULL);
  g_assert_true (ic_main_window_save_support_report (window, path));
  ui_wait (f);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (ic_main_window_get_message (window), path));

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_nonnull (strstr (text, "insucard: " PACKAGE_VERSION));
  g_assert_nonnull (strstr (text, "reader backend: sim"));
  g_assert_nonnull (strstr (text, CL_SIM_READER_R1 " [R1]"));
  g_assert_nonnull (strstr (text, "[apdu transcript]"));
  /* The login's PIN went to the card (VERIFY, INS 20, with data; the
   * bare command asks for the tries left), redacted. */
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "C:0020") && strchr (lines[i] + 2, ':') - lines[i] > 2 + 8)
      {
        verify++;
        g_assert_nonnull (strstr (lines[i], "**"));
      }
  g_assert_cmpuint (verify, >, 0);
  /* Nowhere the PIN's digits, packed (BCD) or as text. */
  g_assert_null (strstr (text, HOLDER_PIN));
  g_assert_null (strstr (text, "323436383130"));
  finish (f, window);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  /* As g_application_run() would: no task's question runs GTK in a worker
   * thread (wf_interaction_invoke() runs a context nobody holds). */
  g_assert_true (g_main_context_acquire (NULL));
  /* The application object as the desk has it, under a test id. */
  app =
      g_object_new (IC_TYPE_APPLICATION, "application-id", "org.insucard.Test.Shell", "flags",
                    G_APPLICATION_NON_UNIQUE, "resource-base-path", "/org/insucard/Insucard", NULL);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/ui/shell/accelerators", test_accelerators);
  g_test_add_func ("/ui/shell/keyboard", test_keyboard);
  g_test_add_func ("/ui/shell/scroll-to-focus", test_scroll_to_focus);
  g_test_add_func ("/ui/shell/title-and-actions", test_title_and_actions);
  g_test_add_func ("/ui/shell/idle-logout", test_idle_logout);
  g_test_add_func ("/ui/shell/accessible-names", test_accessible_names);
  g_test_add_func ("/ui/shell/support-report", test_support_report);
  g_test_add_func ("/ui/shell/close-logs-out", test_close_logs_out);
  g_test_add_func ("/ui/shell/quit", test_quit);

  status = g_test_run ();
  if (system_made)
    tu_wf_teardown (&shell.wf, NULL);
  g_object_unref (app);
  return status;
}
