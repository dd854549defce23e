/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-application.c: command-line options, training mode, the main window. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-application.h"
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
      if (self->desk != NULL)
        {
          cl_context_start_watch (self->context);
          ic_main_window_set_desk (main_window, self->desk);
        }
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
