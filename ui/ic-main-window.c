/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-main-window.c: the desk's window (ic-main-window.h).
 *
 * Why this file is long: messages, pages, tasks, login/logout, idle
 * logout, the support report and keyboard handling all act on the one
 * window state; the support report is the next part to move out. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-gtk-interaction.h"
#include "ic-main-window.h"
#include "ic-page-util.h"
#include "ic-readers-bar.h"
#include "wf-opcard-data.h"
#include "wf-report.h"

struct _IcMainWindow {
  GtkApplicationWindow parent_instance;

  GtkRevealer *training_revealer;
  GtkLabel *training_label;
  GtkBox *readers_box;
  GtkRevealer *message_revealer;
  GtkInfoBar *message_bar;
  GtkLabel *message_label;
  GtkStack *stack;
  GtkRevealer *drawer_revealer;
  GtkBox *drawer_box;
  GtkRevealer *task_revealer;
  GtkSpinner *task_spinner;
  GtkLabel *task_label;
  GtkProgressBar *task_progress;
  GtkButton *task_cancel;
  GtkWidget *login_button;
  GtkWidget *logout_button;
  GtkHeaderBar *header_bar;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkMenuButton *menu_button;
  GtkWidget *sidebar;

  gboolean training;
  WfDesk *desk;
  ClContext *context;
  IcGtkInteraction *interaction;
  IcReadersBar *readers_bar;
  GCancellable *task_cancellable; /* the running task's, or NULL */
  char *task_title;
  gboolean logout_pending; /* the operator card left during a task */
  gboolean close_after_logout; /* the window was closed while logged in */

  guint idle_timeout_ms; /* 0: never */
  guint idle_source;
  gint64 last_input; /* monotonic, µs */
  gboolean idle_logout; /* the logout running is the idle one */
  gulong event_hook;
};

G_DEFINE_TYPE (IcMainWindow, ic_main_window, GTK_TYPE_APPLICATION_WINDOW)

enum { PROP_0, PROP_TRAINING, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { SIGNAL_SESSION_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

#define PAGE_PERMISSION "ic-page-permission"

/* -- messages ------------------------------------------------------------------------------ */

void
ic_main_window_show_message (IcMainWindow *self, GtkMessageType type, const char *text)
{
  g_return_if_fail (IC_IS_MAIN_WINDOW (self));

  gtk_info_bar_set_message_type (self->message_bar, type);
  gtk_label_set_text (self->message_label, text);
  gtk_revealer_set_reveal_child (self->message_revealer, TRUE);
  /* Read out: the bar appears without taking the focus. */
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->message_bar)), text);
}

void
ic_main_window_show_error (IcMainWindow *self, const GError *error)
{
  const char *hint = wf_error_hint (error);
  g_autofree char *text =
      hint != NULL ? g_strdup_printf ("%s\n%s", error->message, hint) : g_strdup (error->message);

  ic_main_window_show_message (self, GTK_MESSAGE_ERROR, text);
}

void
ic_main_window_hide_message (IcMainWindow *self)
{
  gtk_revealer_set_reveal_child (self->message_revealer, FALSE);
}

const char *
ic_main_window_get_message (IcMainWindow *self)
{
  g_return_val_if_fail (IC_IS_MAIN_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->message_revealer))
    return NULL;
  return gtk_label_get_text (self->message_label);
}

static void
message_bar_response_cb (GtkInfoBar *bar, int response, IcMainWindow *self)
{
  ic_main_window_hide_message (self);
}

/* -- pages --------------------------------------------------------------------------------- */

WfSession *
ic_main_window_get_session (IcMainWindow *self)
{
  g_autoptr (WfSession) session = NULL;

  g_return_val_if_fail (IC_IS_MAIN_WINDOW (self), NULL);
  if (self->desk == NULL)
    return NULL;
  session = wf_desk_dup_session (self->desk);
  /* The desk keeps its reference: transfer none is safe in the main thread. */
  return session;
}

static gboolean
page_allowed (IcMainWindow *self, GtkWidget *page)
{
  int permission = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (page), PAGE_PERMISSION));
  WfSession *session = ic_main_window_get_session (self);

  if (session == NULL || !wf_session_is_active (session))
    return permission == IC_PAGE_LOGGED_OUT || permission == IC_PAGE_CEREMONY;
  if (permission == IC_PAGE_CEREMONY)
    return wf_session_require (session, WF_PERM_ADMIN, NULL);
  return permission != IC_PAGE_LOGGED_OUT
         && wf_session_require (session, (WfPermission) permission, NULL);
}

static void
set_action_enabled (IcMainWindow *self, const char *name, gboolean enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

/* The window title (task bar, window switcher, screen readers) names the
 * operator; the header bar shows it under the desk's name. */
static void
update_title (IcMainWindow *self, WfSession *session)
{
  const char *desk =
      self->training ? _ ("Insurance Card Desk (training)") : _ ("Insurance Card Desk");
  g_autofree char *who = NULL;
  g_autofree char *title = NULL;

  if (session != NULL)
    who = g_strdup_printf ("%s (%s)", wf_session_get_holder_name (session),
                           wf_session_get_role (session) != CL_ROLE_NONE
                               ? wf_role_describe (wf_session_get_role (session))
                               : _ ("key card"));
  /* TRANSLATORS: the window title: the operator logged in, then the desk. */
  title = who != NULL ? g_strdup_printf (_ ("%s — %s"), who, desk) : g_strdup (desk);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_label_set_text (self->title_label, desk);
  gtk_label_set_text (self->subtitle_label, who != NULL ? who : _ ("Nobody is logged in"));
}

/* The sidebar shows only what the operator may use. */
static void
update_pages (IcMainWindow *self)
{
  g_autoptr (GList) pages = gtk_container_get_children (GTK_CONTAINER (self->stack));
  WfSession *session = ic_main_window_get_session (self);
  GtkWidget *visible = gtk_stack_get_visible_child (self->stack);
  GtkWidget *first = NULL;
  gboolean active = session != NULL && wf_session_is_active (session);

  for (GList *l = pages; l != NULL; l = l->next)
    {
      gboolean allowed = page_allowed (self, l->data);

      gtk_widget_set_visible (l->data, allowed);
      if (allowed && first == NULL)
        first = l->data;
    }
  if (first != NULL && (visible == NULL || !gtk_widget_get_visible (visible)))
    gtk_stack_set_visible_child (self->stack, first);
  gtk_widget_set_visible (self->login_button, !active);
  gtk_widget_set_visible (self->logout_button, active);
  set_action_enabled (self, "login", !active);
  set_action_enabled (self, "logout", active);
  update_title (self, active ? session : NULL);
}

void
ic_main_window_add_page (IcMainWindow *self, GtkWidget *page, const char *name, const char *title,
                         int permission)
{
  g_return_if_fail (IC_IS_MAIN_WINDOW (self));

  g_object_set_data (G_OBJECT (page), PAGE_PERMISSION, GINT_TO_POINTER (permission));
  ic_page_follow_focus (page);
  gtk_stack_add_titled (self->stack, page, name, title);
  update_pages (self);
}

void
ic_main_window_show_page (IcMainWindow *self, const char *name)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, name);

  if (page != NULL && gtk_widget_get_visible (page))
    gtk_stack_set_visible_child (self->stack, page);
}

void
ic_main_window_set_drawer (IcMainWindow *self, GtkWidget *drawer)
{
  gtk_container_add (GTK_CONTAINER (self->drawer_box), drawer);
  gtk_revealer_set_reveal_child (self->drawer_revealer, drawer != NULL);
}

void
ic_main_window_set_banner (IcMainWindow *self, const char *text)
{
  g_return_if_fail (IC_IS_MAIN_WINDOW (self));
  gtk_label_set_text (self->training_label, text);
}

/* -- tasks --------------------------------------------------------------------------------- */

typedef struct {
  IcTaskFunc func;
  gpointer data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
  IcTaskDone done;
  gpointer user_data;
  WfDesk *desk;
  WfInteraction *interaction;
} TaskData;

static void
task_data_free (TaskData *t)
{
  if (t->data_free != NULL && t->data != NULL)
    t->data_free (t->data);
  g_object_unref (t->desk);
  g_object_unref (t->interaction);
  g_free (t);
}

static void
task_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  TaskData *t = task_data;
  GError *error = NULL;
  gpointer result = t->func (t->desk, t->interaction, t->data, cancellable, &error);

  if (result == NULL)
    g_task_return_error (task, error != NULL ? error
                                             : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                                    _ ("The task failed.")));
  else
    g_task_return_pointer (task, result, t->result_free);
}

static void logout_now (IcMainWindow *self);
static void idle_arm (IcMainWindow *self);
static void idle_disarm (IcMainWindow *self);

static void
task_finished (GObject *source, GAsyncResult *res, gpointer user_data)
{
  IcMainWindow *self = IC_MAIN_WINDOW (source);
  TaskData *t = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  gpointer result = g_task_propagate_pointer (G_TASK (res), &error);

  gtk_spinner_stop (self->task_spinner);
  gtk_revealer_set_reveal_child (self->task_revealer, FALSE);
  g_clear_object (&self->task_cancellable);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ic_main_window_show_error (self, error);
  if (t->done != NULL)
    t->done (self, result, error, t->user_data);
  if (result != NULL && t->result_free != NULL)
    t->result_free (result);
  update_pages (self);
  if (self->logout_pending)
    logout_now (self);
  /* The end of a task counts as input: the clock restarts. */
  self->last_input = g_get_monotonic_time ();
  idle_arm (self);
}

gboolean
ic_main_window_is_busy (IcMainWindow *self)
{
  return self->task_cancellable != NULL;
}

gboolean
ic_main_window_run_task (IcMainWindow *self, const char *title, IcTaskFunc func, gpointer data,
                         GDestroyNotify data_free, GDestroyNotify result_free, IcTaskDone done,
                         gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  TaskData *t;

  g_return_val_if_fail (IC_IS_MAIN_WINDOW (self), FALSE);

  if (self->desk == NULL || ic_main_window_is_busy (self))
    {
      if (data_free != NULL && data != NULL)
        data_free (data);
      /* A click that does nothing reads as a broken button: say why. */
      if (self->desk != NULL)
        ic_main_window_show_message (
            self, GTK_MESSAGE_INFO,
            _ ("Another task is running: wait until it ends (or cancel it), then try again."));
      return FALSE;
    }
  ic_main_window_hide_message (self);
  /* No idle logout during a task: it may be writing a card. */
  idle_disarm (self);
  self->task_cancellable = g_cancellable_new ();
  g_free (self->task_title);
  self->task_title = g_strdup (title);
  gtk_label_set_text (self->task_label, title);
  gtk_progress_bar_set_fraction (self->task_progress, 0);
  gtk_progress_bar_set_text (self->task_progress, NULL);
  gtk_spinner_start (self->task_spinner);
  gtk_revealer_set_reveal_child (self->task_revealer, TRUE);

  t = g_new0 (TaskData, 1);
  *t = (TaskData){ func,
                   data,
                   data_free,
                   result_free,
                   done,
                   user_data,
                   g_object_ref (self->desk),
                   g_object_ref (WF_INTERACTION (self->interaction)) };
  task = g_task_new (self, self->task_cancellable, task_finished, NULL);
  g_task_set_task_data (task, t, (GDestroyNotify) task_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, task_thread);
  return TRUE;
}

static void
task_cancel_clicked_cb (GtkButton *button, IcMainWindow *self)
{
  if (self->task_cancellable != NULL)
    g_cancellable_cancel (self->task_cancellable);
}

static void
card_wanted_cb (IcGtkInteraction *ia, const char *title, const char *text, IcMainWindow *self)
{
  gtk_label_set_text (self->task_label, text != NULL ? text : self->task_title);
}

static void
progress_cb (IcGtkInteraction *ia, double fraction, const char *step, IcMainWindow *self)
{
  gtk_progress_bar_set_fraction (self->task_progress, CLAMP (fraction, 0, 1));
  gtk_progress_bar_set_show_text (self->task_progress, step != NULL);
  gtk_progress_bar_set_text (self->task_progress, step);
}

static void
notice_cb (IcGtkInteraction *ia, const char *title, const char *text, IcMainWindow *self)
{
  g_autofree char *both = g_strdup_printf ("%s: %s", title, text);

  ic_main_window_show_message (self, GTK_MESSAGE_INFO, both);
}

/* -- login and logout ---------------------------------------------------------------------- */

static gpointer
login_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable,
            GError **error)
{
  return wf_login (desk, ia, cancellable, error);
}

static void
session_changed (IcMainWindow *self)
{
  update_pages (self);
  /* What the bar says of R1 depends on the login holding the card there,
   * and no reader event tells of a login or a logout. */
  if (self->readers_bar != NULL)
    ic_readers_bar_refresh (self->readers_bar);
  self->last_input = g_get_monotonic_time ();
  idle_arm (self);
  g_signal_emit (self, signals[SIGNAL_SESSION_CHANGED], 0);
}

void
ic_main_window_refresh_session (IcMainWindow *self)
{
  g_return_if_fail (IC_IS_MAIN_WINDOW (self));
  session_changed (self);
}

static void
login_done (IcMainWindow *self, gpointer result, const GError *error, gpointer user_data)
{
  session_changed (self);
}

static gpointer
logout_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable,
             GError **error)
{
  return wf_logout (desk, ia, NULL, error) ? GINT_TO_POINTER (1) : NULL;
}

static gboolean
destroy_idle_cb (gpointer data)
{
  gtk_widget_destroy (data);
  return G_SOURCE_REMOVE;
}

static void
logout_done (IcMainWindow *self, gpointer result, const GError *error, gpointer user_data)
{
  if (self->idle_logout && error == NULL)
    {
      guint minutes = MAX (1, (self->idle_timeout_ms + 30000) / 60000);
      g_autofree char *text = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE,
                       "You were logged out: nobody used the desk for %u minute. Log in again "
                       "with your card in R1.",
                       "You were logged out: nobody used the desk for %u minutes. Log in again "
                       "with your card in R1.",
                       minutes),
          minutes);

      ic_main_window_show_message (self, GTK_MESSAGE_INFO, text);
    }
  self->idle_logout = FALSE;
  session_changed (self);
  /* Out of the task's callback: the window goes after the task ends. */
  if (self->close_after_logout)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, destroy_idle_cb, g_object_ref (self), g_object_unref);
}

static void
logout_now (IcMainWindow *self)
{
  self->logout_pending = FALSE;
  ic_main_window_run_task (self, _ ("Logging out"), logout_func, NULL, NULL, NULL, logout_done,
                           NULL);
}

static void
login_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  IcMainWindow *self = data;

  ic_main_window_run_task (self, _ ("Logging in: your card in R1"), login_func, NULL, NULL,
                           g_object_unref, login_done, NULL);
}

static void
logout_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  logout_now (data);
}

/* The operator card left R1: the session ends at once; the task running
 * (if any) is cancelled and the logout follows it. */
static void
card_removed_cb (ClContext *context, const char *reader, IcMainWindow *self)
{
  g_autofree char *r1 = cl_context_dup_reader_name (context, CL_READER_ROLE_R1);
  g_autofree char *r2 = cl_context_dup_reader_name (context, CL_READER_ROLE_R2);
  WfSession *session = ic_main_window_get_session (self);

  if (g_strcmp0 (reader, r2) == 0)
    ic_gtk_interaction_card_event (self->interaction, CL_READER_ROLE_R2);
  if (g_strcmp0 (reader, r1) != 0)
    return;
  ic_gtk_interaction_card_event (self->interaction, CL_READER_ROLE_R1);
  if (session == NULL || !wf_session_is_active (session))
    return;
  wf_session_end (session);
  if (ic_main_window_is_busy (self))
    {
      self->logout_pending = TRUE;
      g_cancellable_cancel (self->task_cancellable);
    }
  else
    logout_now (self);
  ic_main_window_show_message (self, GTK_MESSAGE_INFO,
                               _ ("Your card left R1: you are logged out."));
  update_pages (self);
}

static void
card_inserted_cb (ClContext *context, const char *reader, IcMainWindow *self)
{
  g_autofree char *r1 = cl_context_dup_reader_name (context, CL_READER_ROLE_R1);

  ic_gtk_interaction_card_event (
      self->interaction, g_strcmp0 (reader, r1) == 0 ? CL_READER_ROLE_R1 : CL_READER_ROLE_R2);
}

/* -- idle logout --------------------------------------------------------------------------- */

/* Every event GTK hands to a widget passes here; input in this window or
 * in a dialog of it restarts the clock.  An emission hook sees clicks a
 * button consumed, which never reach the window's own handlers. */
static gboolean
input_hook (GSignalInvocationHint *hint, guint n_params, const GValue *params, gpointer data)
{
  IcMainWindow *self = data;
  GtkWidget *widget = g_value_get_object (&params[0]);
  GdkEvent *event = g_value_get_boxed (&params[1]);
  GtkWidget *top;

  switch (gdk_event_get_event_type (event))
    {
    case GDK_KEY_PRESS:
    case GDK_BUTTON_PRESS:
    case GDK_MOTION_NOTIFY:
    case GDK_SCROLL:
    case GDK_TOUCH_BEGIN:
      break;
    default:
      return TRUE;
    }
  top = gtk_widget_get_toplevel (widget);
  if (top == GTK_WIDGET (self)
      || (GTK_IS_WINDOW (top)
          && gtk_window_get_transient_for (GTK_WINDOW (top)) == GTK_WINDOW (self)))
    self->last_input = g_get_monotonic_time ();
  return TRUE;
}

static void
idle_disarm (IcMainWindow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
}

static gboolean
idle_cb (gpointer data)
{
  IcMainWindow *self = data;
  gint64 idle_ms = (g_get_monotonic_time () - self->last_input) / 1000;

  self->idle_source = 0;
  if (idle_ms < self->idle_timeout_ms)
    {
      idle_arm (self);
      return G_SOURCE_REMOVE;
    }
  if (!g_action_group_get_action_enabled (G_ACTION_GROUP (self), "logout"))
    return G_SOURCE_REMOVE;
  self->idle_logout = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (self), "logout", NULL);
  return G_SOURCE_REMOVE;
}

/* One timer at the deadline; input only moves last_input, and the timer
 * looks again when it fires. */
static void
idle_arm (IcMainWindow *self)
{
  WfSession *session = ic_main_window_get_session (self);
  gint64 left_ms;

  idle_disarm (self);
  if (self->idle_timeout_ms == 0 || session == NULL || !wf_session_is_active (session)
      || ic_main_window_is_busy (self))
    return;
  left_ms = (gint64) self->idle_timeout_ms - (g_get_monotonic_time () - self->last_input) / 1000;
  self->idle_source = g_timeout_add ((guint) CLAMP (left_ms, 1, G_MAXUINT), idle_cb, self);
  g_source_set_name_by_id (self->idle_source, "[insucard] idle logout");
}

void
ic_main_window_set_idle_logout (IcMainWindow *self, guint timeout_ms)
{
  g_return_if_fail (IC_IS_MAIN_WINDOW (self));

  self->idle_timeout_ms = timeout_ms;
  idle_arm (self);
}

/* -- the support report -------------------------------------------------------------------- */

static gpointer
report_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable,
             GError **error)
{
  g_autofree char *text = wf_report_support (desk != NULL ? wf_desk_get_context (desk) : NULL);

  return wf_report_support_save (text, data, error) ? g_strdup (data) : NULL;
}

static void
report_saved (IcMainWindow *self, const char *path, const GError *error)
{
  g_autofree char *text = NULL;

  if (path == NULL)
    return;
  text = g_strdup_printf (_ ("The support report is saved in %s. Send this file to your support "
                             "desk: it holds no keys, PINs or PSCs."),
                          path);
  ic_main_window_show_message (self, GTK_MESSAGE_INFO, text);
}

static void
report_done (IcMainWindow *self, gpointer result, const GError *error, gpointer user_data)
{
  report_saved (self, result, error);
}

/* Without a desk (it could not open) the report still has the versions
 * and the errors: made outside the task bar, which needs a desk. */
static void
report_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  char *path = report_func (NULL, NULL, data, cancellable, &error);

  if (path == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

static void
report_thread_done (GObject *source, GAsyncResult *result, gpointer data)
{
  IcMainWindow *self = IC_MAIN_WINDOW (source);
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_task_propagate_pointer (G_TASK (result), &error);

  if (error != NULL)
    ic_main_window_show_error (self, error);
  report_saved (self, path, error);
}

gboolean
ic_main_window_save_support_report (IcMainWindow *self, const char *path)
{
  g_autoptr (GTask) task = NULL;

  g_return_val_if_fail (IC_IS_MAIN_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (ic_main_window_is_busy (self))
    {
      ic_main_window_show_message (self, GTK_MESSAGE_WARNING,
                                   _ ("Wait until the task ends, or cancel it, then make the "
                                      "support report: it looks at the readers."));
      return FALSE;
    }
  if (self->desk != NULL)
    return ic_main_window_run_task (self, _ ("Making the support report"), report_func,
                                    g_strdup (path), g_free, g_free, report_done, NULL);
  task = g_task_new (self, NULL, report_thread_done, NULL);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, report_thread);
  return TRUE;
}

static void
save_support_report_to (GtkWindow *parent, const char *path, gpointer data)
{
  ic_main_window_save_support_report (IC_MAIN_WINDOW (parent), path);
}

static void
support_report_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  IcMainWindow *self = data;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "insucard-support-report-%Y%m%d-%H%M%S.txt");

  if (ic_main_window_is_busy (self))
    {
      ic_main_window_save_support_report (self, name); /* says why not */
      return;
    }
  ic_page_ask_save_path (GTK_WINDOW (self), _ ("Save the Support Report"), NULL, name, NULL, NULL,
                         save_support_report_to, NULL, NULL);
}

/* -- keyboard ------------------------------------------------------------------------------ */

static void
show_menu_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  IcMainWindow *self = data;
  GtkToggleButton *button = GTK_TOGGLE_BUTTON (self->menu_button);

  gtk_toggle_button_set_active (button, !gtk_toggle_button_get_active (button));
}

/* F6: the parts of the window in reading order; hidden ones are skipped. */
static void
focus_pane (IcMainWindow *self, gboolean forward)
{
  GtkWidget *panes[] = { GTK_WIDGET (self->header_bar),
                         GTK_WIDGET (self->message_revealer),
                         self->sidebar,
                         GTK_WIDGET (self->stack),
                         GTK_WIDGET (self->drawer_revealer),
                         GTK_WIDGET (self->task_revealer) };
  int n = G_N_ELEMENTS (panes);
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (self));
  int current = forward ? -1 : n;

  for (int i = 0; i < n; i++)
    if (focus != NULL && (focus == panes[i] || gtk_widget_is_ancestor (focus, panes[i])))
      current = i;
  for (int step = 1; step <= n; step++)
    {
      int i = ((current + (forward ? step : -step)) % n + n) % n;

      if (GTK_IS_REVEALER (panes[i]) && !gtk_revealer_get_child_revealed (GTK_REVEALER (panes[i])))
        continue;
      if (gtk_widget_is_drawable (panes[i])
          && gtk_widget_child_focus (panes[i], GTK_DIR_TAB_FORWARD))
        return;
    }
}

static void
focus_next_pane_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  focus_pane (data, TRUE);
}

static void
focus_previous_pane_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  focus_pane (data, FALSE);
}

/* The sidebar is one stop of Tab, as a list is: the arrow keys choose a
 * page, Tab goes on into the page shown.  (GtkListBox moves Tab from row
 * to row, and a row focused is a page shown: Tab from the sidebar showed
 * the next page, and only the last page could be entered.) */
static gboolean
sidebar_focus_cb (GtkWidget *list, GtkDirectionType direction, gpointer data)
{
  if ((direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD)
      && gtk_container_get_focus_child (GTK_CONTAINER (list)) != NULL)
    g_signal_stop_emission_by_name (list, "focus"); /* leaves the sidebar */
  return FALSE;
}

static void
sidebar_tab_stop (GtkWidget *widget, gpointer data)
{
  if (GTK_IS_LIST_BOX (widget))
    g_signal_connect (widget, "focus", G_CALLBACK (sidebar_focus_cb), NULL);
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), sidebar_tab_stop, NULL);
}

/* Closing while a task writes a card could leave it half made; closing
 * while logged in logs out first, so the log is sealed with the card. */
static gboolean
ic_main_window_delete_event (GtkWidget *widget, GdkEventAny *event)
{
  IcMainWindow *self = IC_MAIN_WINDOW (widget);
  WfSession *session = ic_main_window_get_session (self);

  if (ic_main_window_is_busy (self))
    {
      ic_main_window_show_message (self, GTK_MESSAGE_WARNING,
                                   _ ("A task is running. Wait until it ends, or cancel it, "
                                      "before closing the desk."));
      return TRUE;
    }
  if (session != NULL && wf_session_is_active (session))
    {
      self->close_after_logout = TRUE;
      logout_now (self);
      return TRUE;
    }
  if (GTK_WIDGET_CLASS (ic_main_window_parent_class)->delete_event != NULL)
    return GTK_WIDGET_CLASS (ic_main_window_parent_class)->delete_event (widget, event);
  return FALSE;
}

/* -- the desk ------------------------------------------------------------------------------ */

void
ic_main_window_set_desk (IcMainWindow *self, WfDesk *desk)
{
  g_return_if_fail (IC_IS_MAIN_WINDOW (self));
  g_return_if_fail (self->desk == NULL);

  self->desk = g_object_ref (desk);
  self->context = g_object_ref (wf_desk_get_context (desk));
  /* The readers bar, card waits and the logout when the operator card
   * leaves R1 all follow reader events: without the watch there are none. */
  cl_context_start_watch (self->context);
  g_signal_connect_object (self->context, "card-removed", G_CALLBACK (card_removed_cb), self, 0);
  g_signal_connect_object (self->context, "card-inserted", G_CALLBACK (card_inserted_cb), self, 0);
  self->readers_bar = ic_readers_bar_new (self->context);
  gtk_container_add (GTK_CONTAINER (self->readers_box), GTK_WIDGET (self->readers_bar));
  gtk_widget_show (GTK_WIDGET (self->readers_bar));
  update_pages (self);
}

WfDesk *
ic_main_window_get_desk (IcMainWindow *self)
{
  g_return_val_if_fail (IC_IS_MAIN_WINDOW (self), NULL);
  return self->desk;
}

/* -- GObject ------------------------------------------------------------------------------- */

static void
ic_main_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  IcMainWindow *self = IC_MAIN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TRAINING:
      self->training = g_value_get_boolean (value);
      gtk_revealer_set_reveal_child (self->training_revealer, self->training);
      update_title (self, NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ic_main_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  IcMainWindow *self = IC_MAIN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TRAINING:
      g_value_set_boolean (value, self->training);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ic_main_window_dispose (GObject *object)
{
  IcMainWindow *self = IC_MAIN_WINDOW (object);

  if (self->task_cancellable != NULL)
    g_cancellable_cancel (self->task_cancellable);
  idle_disarm (self);
  if (self->event_hook != 0)
    g_signal_remove_emission_hook (g_signal_lookup ("event", GTK_TYPE_WIDGET), self->event_hook);
  self->event_hook = 0;
  g_clear_object (&self->interaction);
  g_clear_object (&self->context);
  g_clear_object (&self->desk);
  g_clear_pointer (&self->task_title, g_free);
  G_OBJECT_CLASS (ic_main_window_parent_class)->dispose (object);
}

static void
ic_main_window_class_init (IcMainWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = ic_main_window_set_property;
  object_class->get_property = ic_main_window_get_property;
  object_class->dispose = ic_main_window_dispose;
  widget_class->delete_event = ic_main_window_delete_event;

  props[PROP_TRAINING] =
      g_param_spec_boolean ("training", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
  signals[SIGNAL_SESSION_CHANGED] =
      g_signal_new ("session-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-main-window.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcMainWindow, name)
  CHILD (training_revealer);
  CHILD (training_label);
  CHILD (readers_box);
  CHILD (message_revealer);
  CHILD (message_bar);
  CHILD (message_label);
  CHILD (stack);
  CHILD (drawer_revealer);
  CHILD (drawer_box);
  CHILD (task_revealer);
  CHILD (task_spinner);
  CHILD (task_label);
  CHILD (task_progress);
  CHILD (task_cancel);
  CHILD (login_button);
  CHILD (logout_button);
  CHILD (header_bar);
  CHILD (title_label);
  CHILD (subtitle_label);
  CHILD (menu_button);
  CHILD (sidebar);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, message_bar_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, task_cancel_clicked_cb);
}

static const GActionEntry win_actions[] = {
  { "login", login_activated },
  { "logout", logout_activated },
  { "support-report", support_report_activated },
  { "show-menu", show_menu_activated },
  { "focus-next-pane", focus_next_pane_activated },
  { "focus-previous-pane", focus_previous_pane_activated },
};

static void
set_accessible_name (gpointer widget, const char *name)
{
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (widget)), name);
}

/* The message bar's close button (GtkInfoBar's own, an icon only). */
static void
name_close_button (GtkWidget *widget, gpointer data)
{
  if (GTK_IS_BUTTON (widget))
    {
      set_accessible_name (widget, _ ("Close the message"));
      gtk_widget_set_tooltip_text (widget, _ ("Close the message"));
    }
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), name_close_button, NULL);
}

static void
ic_main_window_init (IcMainWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);
  set_action_enabled (self, "logout", FALSE);
  self->interaction = ic_gtk_interaction_new (GTK_WINDOW (self));
  g_signal_connect_object (self->interaction, "card-wanted", G_CALLBACK (card_wanted_cb), self, 0);
  g_signal_connect_object (self->interaction, "progress", G_CALLBACK (progress_cb), self, 0);
  g_signal_connect_object (self->interaction, "notice", G_CALLBACK (notice_cb), self, 0);

  set_accessible_name (self->message_bar, _ ("Message"));
  name_close_button (GTK_WIDGET (self->message_bar), NULL);
  set_accessible_name (self->task_spinner, _ ("Working"));
  set_accessible_name (self->task_progress, _ ("Progress of the task"));
  set_accessible_name (self->task_cancel, _ ("Cancel the task"));
  set_accessible_name (self->sidebar, _ ("Pages"));
  set_accessible_name (self->stack, _ ("Page"));
  sidebar_tab_stop (self->sidebar, NULL);
  set_accessible_name (self->readers_box, _ ("Readers"));
  gtk_widget_add_events (GTK_WIDGET (self), GDK_POINTER_MOTION_MASK | GDK_SCROLL_MASK);
  self->event_hook = g_signal_add_emission_hook (g_signal_lookup ("event", GTK_TYPE_WIDGET), 0,
                                                 input_hook, self, NULL);
  self->last_input = g_get_monotonic_time ();
  update_title (self, NULL);
}

IcMainWindow *
ic_main_window_new (GtkApplication *app, gboolean training)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);

  return g_object_new (IC_TYPE_MAIN_WINDOW, "application", app, "training", training, NULL);
}

gboolean
ic_main_window_get_training (IcMainWindow *self)
{
  g_return_val_if_fail (IC_IS_MAIN_WINDOW (self), FALSE);
  return self->training;
}
