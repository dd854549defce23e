/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-application.c: command-line options, training mode, the main window. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-application.h"
#include "ic-card-drawer.h"
#include "ic-main-window.h"
#include "ic-pages.h"
#include "ic-training.h"
#include "wf-desk.h"

struct _IcApplication {
  GtkApplication parent_instance;

  gboolean training;
  IcConfig *config;
  ClContext *context;
  WfDesk *desk;
  GError *desk_error; /* why the desk could not open */
};

G_DEFINE_TYPE (IcApplication, ic_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "version", 'v', 0, G_OPTION_ARG_NONE, NULL, N_ ("Show the version and exit"), NULL },
  { "training", 't', 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Training mode: simulated readers and cards, a separate database"), NULL },
  { NULL }
};

static int
ic_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  IcApplication *self = IC_APPLICATION (app);
  g_autoptr (GError) error = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("insucard %s\n", PACKAGE_VERSION);
      return 0;
    }

  self->config = ic_config_new_from_environment (&error);
  if (self->config == NULL)
    {
      g_printerr ("insucard: %s\n", error->message);
      return 2;
    }
  self->training = g_variant_dict_contains (options, "training");
  if (self->training && !ic_training_setup (self->config, &error))
    {
      g_printerr (_ ("Could not prepare training mode: %s\n"), error->message);
      return 1;
    }

  /* The readers and the database follow the configuration; a database of
   * the other mode (training vs real readers) is refused here. */
  {
    g_autofree char *db_path = ic_config_resolve_db_path (self->config, NULL, self->training);

    self->context = ic_config_create_context (self->config);
    self->desk = wf_desk_new (self->context, db_path, self->config->workstation, &self->desk_error);
  }
  return -1;
}

/* The window works on the desk from now on, following its readers. */
static void
attach_desk (IcApplication *self, IcMainWindow *window)
{
  cl_context_start_watch (self->context);
  ic_main_window_set_desk (window, self->desk);
}

/* -- training: the demo cards, made in a worker thread -------------------------------------- */

typedef struct {
  IcMainWindow *window;
  IcCardDrawer *drawer;
} Stocking;

static void
stocking_free (Stocking *st)
{
  g_object_unref (st->window);
  g_object_unref (st->drawer);
  g_free (st);
}

typedef struct {
  IcCardDrawer *drawer;
  double fraction;
  char *step;
} Progress;

static void
progress_free (Progress *p)
{
  g_object_unref (p->drawer);
  g_free (p->step);
  g_free (p);
}

static gboolean
progress_idle (gpointer data)
{
  Progress *p = data;

  ic_card_drawer_set_progress (p->drawer, p->fraction, p->step);
  return G_SOURCE_REMOVE;
}

/* In the stocking thread: shown in the drawer by the main loop. */
static void
stock_progress (double fraction, const char *step, gpointer user_data)
{
  Progress *p = g_new0 (Progress, 1);

  p->drawer = g_object_ref (user_data);
  p->fraction = fraction;
  p->step = g_strdup (step);
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, progress_idle, p,
                              (GDestroyNotify) progress_free);
}

static void
stock_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  IcApplication *self = source;
  Stocking *st = data;
  GError *error = NULL;

  if (ic_training_stock (self->desk, stock_progress, st->drawer, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
stock_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  IcApplication *self = IC_APPLICATION (source);
  Stocking *st = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  if (gtk_widget_in_destruction (GTK_WIDGET (st->window)))
    return;
  ic_card_drawer_set_progress (st->drawer, -1, NULL);
  ic_card_drawer_refresh (st->drawer);
  /* Without the demo cards the desk still works: cards can be made by
   * hand; the next start tries again. */
  attach_desk (self, st->window);
  if (error != NULL)
    ic_main_window_show_error (st->window, error);
  else
    ic_main_window_hide_message (st->window);
}

/* The card drawer, the banner, and the demo cards when the deck has none
 * yet; the desk is the window's once they are there. */
static void
start_training (IcApplication *self, IcMainWindow *window)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *banner = ic_training_banner_text ();
  IcCardDrawer *drawer = ic_card_drawer_new (self->config->deck_dir, &error);
  g_autoptr (GTask) task = NULL;
  Stocking *st;

  ic_main_window_set_banner (window, banner);
  if (drawer != NULL)
    {
      gtk_widget_show (GTK_WIDGET (drawer));
      ic_main_window_set_drawer (window, GTK_WIDGET (drawer));
    }
  if (self->desk == NULL)
    {
      ic_main_window_show_error (window, self->desk_error);
      return;
    }
  if (drawer == NULL)
    {
      ic_main_window_show_error (window, error);
      attach_desk (self, window);
      return;
    }
  if (!ic_training_needs_stock (self->config->deck_dir))
    {
      attach_desk (self, window);
      return;
    }
  ic_card_drawer_set_progress (drawer, 0, NULL);
  ic_main_window_show_message (
      window, GTK_MESSAGE_INFO,
      _ ("Preparing the training cards: the demo cards are being made by the real key "
         "ceremonies. This takes a few seconds, and happens only the first time."));
  st = g_new0 (Stocking, 1);
  st->window = g_object_ref (window);
  st->drawer = g_object_ref (drawer);
  task = g_task_new (self, NULL, stock_done, NULL);
  g_task_set_task_data (task, st, (GDestroyNotify) stocking_free);
  g_task_run_in_thread (task, stock_thread);
}

static void
ic_application_activate (GApplication *app)
{
  IcApplication *self = IC_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      IcMainWindow *main_window = ic_main_window_new (GTK_APPLICATION (app), self->training);

      window = GTK_WINDOW (main_window);
      ic_pages_add_all (main_window, self->training);
      if (self->training)
        start_training (self, main_window);
      else if (self->desk != NULL)
        attach_desk (self, main_window);
      else
        ic_main_window_show_error (main_window, self->desk_error);
    }
  gtk_window_present (window);
}

static void
ic_application_finalize (GObject *object)
{
  IcApplication *self = IC_APPLICATION (object);

  if (self->context != NULL)
    cl_context_stop_watch (self->context);
  g_clear_object (&self->desk);
  g_clear_object (&self->context);
  g_clear_error (&self->desk_error);
  g_clear_pointer (&self->config, ic_config_free);
  G_OBJECT_CLASS (ic_application_parent_class)->finalize (object);
}

static void
ic_application_class_init (IcApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = ic_application_finalize;
  app_class->handle_local_options = ic_application_handle_local_options;
  app_class->activate = ic_application_activate;
}

static void
ic_application_init (IcApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
}

IcApplication *
ic_application_new (void)
{
  return g_object_new (IC_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_NON_UNIQUE, NULL);
}
