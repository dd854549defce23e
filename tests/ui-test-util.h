/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui-test-util.h: the widget tests' desk: a main window with every page,
 * on a desk over the in-process simulator with the system of cards made
 * by wf-test-util.h, the issuing administrator logged in; and finding
 * widgets as a user finds them (by their label). */
#pragma once

#include <string.h>
#include <gtk/gtk.h>

#include "ic-main-window.h"
#include "ic-pages.h"
#include "ic-readers-bar.h"
#include "wf-insurance.h"
#include "wf-session.h"
#include "wf-test-util.h"

static GtkApplication *ui_app;

typedef struct {
  WfFixture wf;
  System sys;
  IcMainWindow *window;
  WfSession *session;
} UiDesk;

/* -- finding widgets ----------------------------------------------------------------------- */

typedef gboolean (*UiMatch) (GtkWidget *widget, gconstpointer data);

static void
ui_find_cb (GtkWidget *widget, gpointer data)
{
  gpointer *args = data;

  if (args[2] != NULL)
    return;
  if (((UiMatch) args[0]) (widget, args[1]))
    args[2] = widget;
  else if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), ui_find_cb, args);
}

/* The first widget under root (internal children too) that matches. */
static G_GNUC_UNUSED GtkWidget *
ui_find (GtkWidget *root, UiMatch match, gconstpointer data)
{
  gpointer args[3] = { (gpointer) match, (gpointer) data, NULL };

  ui_find_cb (root, args);
  return args[2];
}

static gboolean
ui_is_button (GtkWidget *widget, gconstpointer label)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static G_GNUC_UNUSED GtkWidget *
ui_button (GtkWidget *root, const char *label)
{
  GtkWidget *button = ui_find (root, ui_is_button, label);

  g_assert_nonnull (button);
  return button;
}

static gboolean
ui_is_type (GtkWidget *widget, gconstpointer type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static G_GNUC_UNUSED GtkWidget *
ui_find_type (GtkWidget *root, GType type)
{
  GtkWidget *found = ui_find (root, ui_is_type, GSIZE_TO_POINTER (type));

  g_assert_nonnull (found);
  return found;
}

static gboolean
ui_is_label_text (GtkWidget *widget, gconstpointer text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget)
         && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

/* A label on the screen (drawn) whose text contains text. */
static G_GNUC_UNUSED GtkWidget *
ui_shown_label (GtkWidget *root, const char *text)
{
  return ui_find (root, ui_is_label_text, text);
}

static void
ui_collect_cb (GtkWidget *widget, gpointer data)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_drawable (widget))
    g_string_append_printf (data, "[%s] ", gtk_label_get_text (GTK_LABEL (widget)));
  if (GTK_IS_CONTAINER (widget))
    gtk_container_forall (GTK_CONTAINER (widget), ui_collect_cb, data);
}

/* Every label on the screen, to tell what went wrong. */
static G_GNUC_UNUSED char *
ui_screen_text (GtkWidget *root)
{
  GString *s = g_string_new (NULL);

  ui_collect_cb (root, s);
  return g_string_free (s, FALSE);
}

static G_GNUC_UNUSED void
ui_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Runs the main loop until a label with text is on the screen (the
 * message bar's revealer shows it on a later frame); NULL after 5 s. */
static G_GNUC_UNUSED GtkWidget *
ui_wait_shown_label (GtkWidget *root, const char *text)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  GtkWidget *label;

  while ((label = ui_shown_label (root, text)) == NULL && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return label;
}

/* Runs the main loop until the window's task ended (a minute at most). */
static G_GNUC_UNUSED void
ui_wait_task (IcMainWindow *window)
{
  gint64 end = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_assert_true (ic_main_window_is_busy (window));
  while (ic_main_window_is_busy (window))
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
      g_assert_cmpint (g_get_monotonic_time (), <, end);
    }
  ui_iterate ();
}

/* -- the desk ------------------------------------------------------------------------------ */

/* The person puts the card at path into R2 (slot 1) from outside. */
static G_GNUC_UNUSED void
ui_put_in_r2 (UiDesk *u, const char *path)
{
  tu_wf_plan (&u->wf, "manual", path);
  g_assert_true (tu_wf_card_func (
      u->wf.ia, &(WfQuestion){ .name = "manual", .reader = CL_READER_ROLE_R2 }, &u->wf));
}

static G_GNUC_UNUSED void
ui_desk_setup (UiDesk *u, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  IcReadersBar *bar;
  gint64 end;

  tu_wf_setup (&u->wf, data);
  make_system (&u->wf, &u->sys);
  u->window = ic_main_window_new (ui_app, FALSE);
  ic_pages_add_all (u->window, FALSE);

  /* The issuing administrator logs in directly, as a test may; before the
   * window has the desk, whose readers bar probes the readers in a thread. */
  tu_wf_plan (&u->wf, "operator-card", u->sys.ac);
  wf_scripted_add (u->wf.ia, "operator-pin=" HOLDER_PIN, NULL);
  u->session = wf_login (u->wf.desk, WF_INTERACTION (u->wf.ia), NULL, &error);
  g_assert_no_error (error);
  ic_main_window_set_desk (u->window, u->wf.desk);
  ic_main_window_refresh_session (u->window);
  gtk_widget_show (GTK_WIDGET (u->window));
  /* The probe done, no card is touched by anyone but the test's tasks. */
  bar = IC_READERS_BAR (ui_find_type (GTK_WIDGET (u->window), IC_TYPE_READERS_BAR));
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (ic_readers_bar_get_text (bar, CL_READER_ROLE_R2) == NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
      g_assert_cmpint (g_get_monotonic_time (), <, end);
    }
  ui_iterate ();
}

static G_GNUC_UNUSED void
ui_desk_teardown (UiDesk *u, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  if (wf_session_is_active (u->session))
    {
      g_assert_true (wf_logout (u->wf.desk, WF_INTERACTION (u->wf.ia), NULL, &error));
      g_assert_no_error (error);
    }
  g_clear_object (&u->session);
  gtk_widget_destroy (GTK_WIDGET (u->window));
  ui_iterate ();
  tu_wf_teardown (&u->wf, data);
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

/* Issues a card with the workflow itself (not the page): the blank at a
 * new path (*path, if asked), left in R2. */
static G_GNUC_UNUSED WfIssued *
ui_issue_directly (UiDesk *u, const char *id, const char *name, const char **path)
{
  g_autoptr (GError) error = NULL;
  const char *blank = tu_wf_new_card (&u->wf, CS_CARD_SLE4428);
  WfIcardHolder h;
  WfIssued *issued;

  ui_holder (&h, id, name);
  tu_wf_plan (&u->wf, "blank-sle4428", blank);
  issued = wf_icard_issue (u->wf.desk, WF_INTERACTION (u->wf.ia), &h, NULL, &error);
  g_assert_no_error (error);
  if (path != NULL)
    *path = blank;
  return issued;
}

/* The main for a ui test: GTK on the test's display, an application for
 * the windows. */
static G_GNUC_UNUSED void
ui_test_init (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  gtk_test_init (argc, argv, NULL);
  cl_secure_init ();
  ui_app = gtk_application_new ("org.insucard.Test", G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (ui_app), NULL, &error);
  g_assert_no_error (error);
}
