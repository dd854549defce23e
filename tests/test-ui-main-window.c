/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-main-window.c: the main window builds from its template and shows
 * the training banner only in training mode; in training mode, with the
 * banner and the card drawer, it fits a 1280×800 screen on every page,
 * logged out and logged in as each role (the system administrator sees
 * every page but the login), the drawer not cut off.  The pages' and the
 * window's least sizes are in the test's messages (--verbose); in Chinese:
 * LANGUAGE=zh_CN LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8
 * INSUCARD_LOCALEDIR=_build/po; pictures of each page with
 * INSUCARD_TEST_SHOTS=DIR. */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "ic-card-drawer.h"
#include "ic-main-window.h"
#include "ic-training.h"
#include "ui-test-util.h"

/* The smallest screen the desk is made for. */
#define SCREEN_WIDTH 1280
#define SCREEN_HEIGHT 800

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

static void
check_banner (gboolean training)
{
  IcMainWindow *window;
  GtkWidget *revealer;

  window = ic_main_window_new (ui_app, training);
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

/* -- the window on a 1280×800 screen ------------------------------------------------------- */

/* A system administrator's card (PIN HOLDER_PIN), made with the MCC and
 * the KTC of sys. */
static const char *
make_system_admin (WfFixture *f, const System *sys)
{
  return make_admin_card (f, sys, CL_ROLE_SYSTEM_ADMIN, "系统管理员", "S-0078", "510400");
}

static gboolean
stack_still (UiFixture *f, gconstpointer stack)
{
  return !gtk_stack_get_transition_running (GTK_STACK (stack));
}

/* The window's least size, with every page the operator may use: a
 * homogeneous stack is as wide as its widest page, shown or not; each page
 * is shown in turn, as it may load more when shown. */
static void
assert_fits (UiFixture *f, const char *who)
{
  GtkWidget *window = GTK_WIDGET (f->window);
  GtkStack *stack = gtk_stack_sidebar_get_stack (
      GTK_STACK_SIDEBAR (ui_find_type (window, GTK_TYPE_STACK_SIDEBAR)));
  g_autoptr (GList) pages = gtk_container_get_children (GTK_CONTAINER (stack));
  g_autofree char *widest = NULL; /* the widest page's name */
  int widest_width = 0, window_width = 0, window_height = 0;
  GtkWidget *drawer;

  for (GList *l = pages; l != NULL; l = l->next)
    {
      g_autofree char *name = NULL;
      g_autofree char *shot = NULL;
      int width, height, natural;

      if (!gtk_widget_get_visible (l->data))
        continue;
      gtk_stack_set_visible_child (stack, l->data);
      ui_settle (f);
      ui_wait_until (f, stack_still, stack, "the page to be shown");
      gtk_container_child_get (GTK_CONTAINER (stack), l->data, "name", &name, NULL);
      shot = g_strdelimit (g_strdup_printf ("fits-%s-%s", who, name), " ", '-');
      ui_shot (f, shot);
      gtk_widget_get_preferred_width (l->data, &width, &natural);
      g_test_message ("%s, page %s: at least %d pixels wide (natural %d)", who, name, width,
                      natural);
      if (width > widest_width)
        {
          widest_width = width;
          g_free (widest);
          widest = g_strdup (name);
        }
      gtk_widget_get_preferred_width (window, &width, &natural);
      gtk_widget_get_preferred_height_for_width (window, width, &height, NULL);
      window_width = MAX (window_width, width);
      window_height = MAX (window_height, height);
    }
  g_test_message ("%s: the window is at least %dx%d pixels; the widest page, %s, %d", who,
                  window_width, window_height, widest, widest_width);
  /* Every role told before the test fails. */
  if (window_width > SCREEN_WIDTH || window_height > SCREEN_HEIGHT)
    g_test_fail_printf ("%s: the window needs at least %dx%d pixels, more than a %dx%d screen "
                        "(the widest page: %s, %d pixels)",
                        who, window_width, window_height, SCREEN_WIDTH, SCREEN_HEIGHT, widest,
                        widest_width);

  /* The drawer is laid out in the width it is given, none of it cut off
   * (a sliding revealer gives its child its natural width). */
  ui_frame (f);
  drawer = gtk_widget_get_parent (ui_find_type (window, IC_TYPE_CARD_DRAWER));
  g_assert_cmpint (gtk_widget_get_allocated_width (drawer), <=,
                   gtk_widget_get_allocated_width (gtk_widget_get_parent (drawer)));
}

static void
test_fits_screen (UiFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *banner = ic_training_banner_text ();
  const char *auditor, *system_admin;
  IcCardDrawer *drawer;

  tu_wf_setup (&f->wf, NULL);
  make_system (&f->wf, &f->sys);
  auditor = make_auditor (&f->wf, &f->sys);
  system_admin = make_system_admin (&f->wf, &f->sys);

  /* As the application starts a training desk (ic-application.c). */
  f->window = ic_main_window_new (ui_app, TRUE);
  ic_main_window_set_banner (f->window, banner);
  drawer = ic_card_drawer_new (f->wf.sim.dir, &error);
  g_assert_no_error (error);
  gtk_widget_show (GTK_WIDGET (drawer));
  ic_main_window_set_drawer (f->window, GTK_WIDGET (drawer));
  ic_pages_add_all (f->window, TRUE);
  ic_main_window_set_desk (f->window, f->wf.desk);
  gtk_widget_show (GTK_WIDGET (f->window));
  ui_settle (f);

  assert_fits (f, "logged out");
  ui_log_in (f);
  assert_fits (f, "issuing administrator");
  ui_log_out (f);
  ui_log_in_with (f, auditor);
  assert_fits (f, "auditor");
  ui_log_out (f);
  ui_log_in_with (f, system_admin);
  assert_fits (f, "system administrator");
}

int
main (int argc, char **argv)
{
  ui_init (&argc, &argv);
  /* A language other than the tests' (the labels' widths differ), from
   * the build's catalogues: INSUCARD_LOCALEDIR as for the application. */
  if (g_getenv ("INSUCARD_LOCALEDIR") != NULL)
    {
      /* gtk_test_init() set the C locale. */
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("INSUCARD_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }

  g_test_add_func ("/ui/main-window/training-banner-shown", test_training_banner_shown);
  g_test_add_func ("/ui/main-window/training-banner-hidden", test_training_banner_hidden);
  g_test_add ("/ui/main-window/fits-screen", UiFixture, NULL, NULL, test_fits_screen, ui_teardown);

  return ui_run ();
}
