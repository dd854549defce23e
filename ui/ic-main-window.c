/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-main-window.c: the desk's window (ic-main-window.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-gtk-interaction.h"
#include "ic-main-window.h"
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
  GtkLabel *operator_label;

  gboolean training;
  WfDesk *desk;
  ClContext *context;
  IcGtkInteraction *interaction;
  IcReadersBar *readers_bar;
  GCancellable *task_cancellable; /* the running task's, or NULL */
  char *task_title;
  gboolean logout_pending; /* the operator card left during a task */
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
    return permission == IC_PAGE_LOGGED_OUT;
  return permission != IC_PAGE_LOGGED_OUT
         && wf_session_require (session, (WfPermission) permission, NULL);
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
  if (active)
    {
      g_autofree char *who = g_strdup_printf ("%s (%s)", wf_session_get_holder_name (session),
                                              wf_session_get_role (session) != CL_ROLE_NONE
                                                  ? wf_role_describe (wf_session_get_role (session))
                                                  : _ ("key card"));

      gtk_label_set_text (self->operator_label, who);
    }
  else
    gtk_label_set_text (self->operator_label, "");
}

void
ic_main_window_add_page (IcMainWindow *self, GtkWidget *page, const char *name, const char *title,
                         int permission)
{
  g_return_if_fail (IC_IS_MAIN_WINDOW (self));

  g_object_set_data (G_OBJECT (page), PAGE_PERMISSION, GINT_TO_POINTER (permission));
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
      return FALSE;
    }
  ic_main_window_hide_message (self);
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

static void
logout_done (IcMainWindow *self, gpointer result, const GError *error, gpointer user_data)
{
  session_changed (self);
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

/* -- the desk ------------------------------------------------------------------------------ */

void
ic_main_window_set_desk (IcMainWindow *self, WfDesk *desk)
{
  g_return_if_fail (IC_IS_MAIN_WINDOW (self));
  g_return_if_fail (self->desk == NULL);

  self->desk = g_object_ref (desk);
  self->context = g_object_ref (wf_desk_get_context (desk));
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
  CHILD (operator_label);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, message_bar_response_cb);
  gtk_widget_class_bind_template_callback (widget_class, task_cancel_clicked_cb);
}

static const GActionEntry win_actions[] = {
  { "login", login_activated },
  { "logout", logout_activated },
};

static void
ic_main_window_init (IcMainWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions),
                                   self);
  self->interaction = ic_gtk_interaction_new (GTK_WINDOW (self));
  g_signal_connect_object (self->interaction, "card-wanted", G_CALLBACK (card_wanted_cb), self, 0);
  g_signal_connect_object (self->interaction, "progress", G_CALLBACK (progress_cb), self, 0);
  g_signal_connect_object (self->interaction, "notice", G_CALLBACK (notice_cb), self, 0);
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
