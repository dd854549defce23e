/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui-desk-util.h: the page tests' window over the in-process simulator:
 * the system of CPU cards (wf-test-util.h), a window on its desk, the
 * issuing administrator logged in with a scripted interaction, and ways to
 * find widgets as a screen reader does, by their accessible names. */
#pragma once

#include <gtk/gtk.h>

#include "ic-main-window.h"
#include "wf-insurance.h"
#include "wf-system-util.h"

#define UI_ID_1 "510402198503172316"

typedef struct {
  WfFixture wf;
  System sys;
  IcMainWindow *window;
  WfSession *session;
} UiFixture;

static GtkApplication *ui_app;

/* Runs the main loop until the window's task and everything it started
 * have ended. */
static G_GNUC_UNUSED void
ui_wait (UiFixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  for (;;)
    {
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      /* Nothing pending: no idle queued by the task's end either (a page's next load). */
      if (!ic_main_window_is_busy (f->window))
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* The issuing administrator logs in (scripted PIN) and the window learns. */
static G_GNUC_UNUSED void
ui_log_in (UiFixture *f)
{
  g_autoptr (GError) error = NULL;

  g_clear_object (&f->session);
  tu_wf_plan (&f->wf, "operator-card", f->sys.ac);
  wf_scripted_add (f->wf.ia, "operator-pin=" HOLDER_PIN, NULL);
  f->session = wf_login (f->wf.desk, WF_INTERACTION (f->wf.ia), NULL, &error);
  g_assert_no_error (error);
  ic_main_window_refresh_session (f->window);
  ui_wait (f);
}

static G_GNUC_UNUSED void
ui_log_out (UiFixture *f)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (wf_logout (f->wf.desk, WF_INTERACTION (f->wf.ia), NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&f->session);
  ic_main_window_refresh_session (f->window);
  ui_wait (f);
}

/* The person puts this card into R2. */
static G_GNUC_UNUSED void
ui_put_in_r2 (UiFixture *f, const char *path)
{
  tu_wf_plan (&f->wf, "manual", path);
  g_assert_true (tu_wf_card_func (
      f->wf.ia, &(WfQuestion){ .name = "manual", .reader = CL_READER_ROLE_R2 }, &f->wf));
}

static G_GNUC_UNUSED void
ui_holder (WfIcardHolder *h, const char *id, const char *name)
{
  g_autoptr (GError) error = NULL;

  memset (h, 0, sizeof *h);
  g_assert_true (wf_icard_holder_set (h, WF_ICARD_FIELD_ID_NUMBER, id, &error));
  g_assert_true (wf_icard_holder_set (h, WF_ICARD_FIELD_NAME, name, &error));
  g_assert_no_error (error);
}

/* A card issued by the workflow itself (scripted), left in R2. */
static G_GNUC_UNUSED WfIssued *
ui_issue (UiFixture *f, const char *id, const char *name, const char **path)
{
  g_autoptr (GError) error = NULL;
  const char *blank = tu_wf_new_card (&f->wf, CS_CARD_SLE4428);
  WfIcardHolder h;
  WfIssued *issued;

  ui_holder (&h, id, name);
  tu_wf_plan (&f->wf, "blank-sle4428", blank);
  issued = wf_icard_issue (f->wf.desk, WF_INTERACTION (f->wf.ia), &h, NULL, &error);
  g_assert_no_error (error);
  wf_icard_holder_clear (&h);
  if (path != NULL)
    *path = blank;
  return issued;
}

static G_GNUC_UNUSED void
ui_setup (UiFixture *f, gconstpointer data)
{
  tu_wf_setup (&f->wf, data);
  make_system (&f->wf, &f->sys);
  f->window = ic_main_window_new (ui_app, FALSE);
  ic_main_window_set_desk (f->window, f->wf.desk);
}

static G_GNUC_UNUSED void
ui_teardown (UiFixture *f, gconstpointer data)
{
  WfSession *session = ic_main_window_get_session (f->window);

  ui_wait (f);
  if (session != NULL && wf_session_is_active (session))
    ui_log_out (f);
  g_clear_object (&f->session);
  gtk_widget_destroy (GTK_WIDGET (f->window));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  tu_wf_teardown (&f->wf, data);
}

static G_GNUC_UNUSED const char *
ui_accessible_name (GtkWidget *widget)
{
  return atk_object_get_name (gtk_widget_get_accessible (widget));
}

typedef struct {
  const char *name;
  GType type;
  GtkWidget *found;
} UiFind;

static void
ui_find_cb (GtkWidget *widget, gpointer data)
{
  UiFind *find = data;

  if (find->found != NULL)
    return;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, find->type)
      && g_strcmp0 (ui_accessible_name (widget), find->name) == 0)
    {
      find->found = widget;
      return;
    }
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), ui_find_cb, find);
}

/* The widget of this type a screen reader calls name; fails if none. */
static G_GNUC_UNUSED GtkWidget *
ui_find (GtkWidget *root, GType type, const char *name)
{
  UiFind find = { name, type, NULL };

  ui_find_cb (root, &find);
  if (find.found == NULL)
    g_error ("no %s named “%s”", g_type_name (type), name);
  return find.found;
}

static void
ui_label_cb (GtkWidget *widget, gpointer data)
{
  UiFind *find = data;

  if (find->found != NULL)
    return;
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
      && strstr (gtk_label_get_text (GTK_LABEL (widget)), find->name) != NULL)
    {
      find->found = widget;
      return;
    }
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), ui_label_cb, find);
}

/* A label whose text holds text, or NULL: one that would be on screen,
 * every revealer around it revealed (they show their child only at the
 * next frame, which a test does not wait for). */
static G_GNUC_UNUSED GtkLabel *
ui_find_label (GtkWidget *root, const char *text)
{
  UiFind find = { text, GTK_TYPE_LABEL, NULL };

  ui_label_cb (root, &find);
  if (find.found == NULL)
    return NULL;
  for (GtkWidget *w = find.found; w != NULL && w != root; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_visible (w)
        || (GTK_IS_REVEALER (w) && !gtk_revealer_get_reveal_child (GTK_REVEALER (w))))
      return NULL;
  return GTK_LABEL (find.found);
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
