/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui-audit-util.h: the desk's window over the in-process simulator for the
 * page tests: the whole system of cards, an auditor logged in with a
 * scripted interaction, the main loop run until something holds, and a
 * screenshot of the window when INSUCARD_TEST_SHOTS names a folder. */
#pragma once

#include <gtk/gtk.h>

#include "ic-main-window.h"
#include "ic-pages.h"
#include "wf-audit-util.h"

typedef struct {
  WfFixture wf;
  System sys;
  const char *auditor;
  WfSession *session;
  IcMainWindow *window;
} UiFixture;

/* One application per process: it registers on the session bus once. */
static inline GtkApplication *
ui_app (void)
{
  static GtkApplication *app;

  if (app == NULL)
    {
      g_autoptr (GError) error = NULL;

      app = gtk_application_new ("org.insucard.Test", G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
    }
  return app;
}

typedef gboolean (*UiCondition) (gpointer data);

/* Runs the main loop until condition holds (at most 30 s). */
static inline void
ui_wait (UiCondition condition, gpointer data)
{
  gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
      g_assert_cmpint (g_get_monotonic_time (), <, end);
    }
}

/* Runs the main loop until nothing is pending for a moment. */
static inline void
ui_settle (void)
{
  for (int quiet = 0; quiet < 20;)
    {
      if (g_main_context_iteration (NULL, FALSE))
        quiet = 0;
      else
        {
          quiet++;
          g_usleep (2000);
        }
    }
}

static inline gboolean
ui_task_done (gpointer data)
{
  return !ic_main_window_is_busy (IC_MAIN_WINDOW (data));
}

static inline void
ui_setup (UiFixture *fx, int fill_rows)
{
  tu_wf_setup (&fx->wf, NULL);
  make_system (&fx->wf, &fx->sys);
  fx->auditor = make_auditor (&fx->wf, &fx->sys);
  if (fill_rows > 0)
    fill_log (&fx->wf, fill_rows);
  fx->window = ic_main_window_new (ui_app (), TRUE);
  ic_pages_add_all (fx->window, TRUE);
  ic_main_window_set_desk (fx->window, fx->wf.desk);
  gtk_window_set_default_size (GTK_WINDOW (fx->window), 1200, 720);
  gtk_widget_show (GTK_WIDGET (fx->window));
  ui_settle ();
}

/* Logs in with card, as the window's login would, and shows its pages. */
static inline void
ui_log_in (UiFixture *fx, const char *card)
{
  g_clear_object (&fx->session);
  fx->session = log_in_with (&fx->wf, card);
  ic_main_window_refresh_session (fx->window);
  ui_settle ();
}

static inline void
ui_teardown (UiFixture *fx)
{
  if (fx->window != NULL)
    {
      ui_wait (ui_task_done, fx->window);
      gtk_widget_destroy (GTK_WIDGET (fx->window));
    }
  ui_settle ();
  g_clear_object (&fx->session);
  tu_wf_teardown (&fx->wf, NULL);
}

/* The window as it is on the screen, as name.png in $INSUCARD_TEST_SHOTS. */
static inline void
ui_shot (UiFixture *fx, const char *name)
{
  const char *dir = g_getenv ("INSUCARD_TEST_SHOTS");
  GdkWindow *win = gtk_widget_get_window (GTK_WIDGET (fx->window));
  g_autoptr (GdkPixbuf) pixbuf = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL || win == NULL)
    return;
  ui_settle ();
  gdk_display_sync (gdk_window_get_display (win));
  pixbuf = gdk_pixbuf_get_from_window (win, 0, 0, gdk_window_get_width (win),
                                       gdk_window_get_height (win));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_pixbuf_save (pixbuf, path, "png", NULL, NULL));
}

/* A widget in the window by its accessible name (as dogtail finds it). */
static inline GtkWidget *
ui_find (GtkWidget *root, const char *name)
{
  AtkObject *acc = gtk_widget_get_accessible (root);

  if (acc != NULL && g_strcmp0 (atk_object_get_name (acc), name) == 0)
    return root;
  if (GTK_IS_CONTAINER (root))
    {
      g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (root));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = ui_find (l->data, name);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}
