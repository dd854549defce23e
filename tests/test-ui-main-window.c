/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-main-window.c: the main window builds from its template and shows
 * the training banner only in training mode. */
#include "config.h"

#include <gtk/gtk.h>

#include "ic-main-window.h"

static GtkWidget *
find_revealer (GtkWidget *widget)
{
  if (GTK_IS_REVEALER (widget))
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (widget));
      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_revealer (l->data);
          if (found)
            return found;
        }
    }
  return NULL;
}

static GtkApplication *app;

static void
check_banner (gboolean training)
{
  IcMainWindow *window;
  GtkWidget *revealer;

  window = ic_main_window_new (app, training);
  g_assert_true (IC_IS_MAIN_WINDOW (window));
  g_assert_cmpint (ic_main_window_get_training (window), ==, training);

  revealer = find_revealer (GTK_WIDGET (window));
  g_assert_nonnull (revealer);
  g_assert_cmpint (gtk_revealer_get_reveal_child (GTK_REVEALER (revealer)), ==, training);

  gtk_widget_show (GTK_WIDGET (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  gtk_widget_destroy (GTK_WIDGET (window));
}

static void
test_training_banner_shown (void)
{
  check_banner (TRUE);
}

static void
test_training_banner_hidden (void)
{
  check_banner (FALSE);
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

  g_test_add_func ("/ui/main-window/training-banner-shown", test_training_banner_shown);
  g_test_add_func ("/ui/main-window/training-banner-hidden", test_training_banner_hidden);

  status = g_test_run ();
  g_object_unref (app);
  return status;
}
