/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-application.c: command-line options, training mode, the preferences,
 * the application's actions and accelerators, the main window. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-application.h"
#include "ic-card-drawer.h"
#include "ic-main-window.h"
#include "ic-pages.h"
#include "ic-preferences-dialog.h"
#include "ic-training.h"
#include "wf-desk.h"

struct _IcApplication {
  GtkApplication parent_instance;

  gboolean training;
  IcConfig *config;
  ClContext *context;
  WfDesk *desk;
  GError *desk_error; /* why the desk could not open */
  GSettings *settings; /* NULL when the schema is not installed */
  GtkWidget *preferences; /* the open dialog, if any */
};

G_DEFINE_TYPE (IcApplication, ic_application, GTK_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "version", 'v', 0, G_OPTION_ARG_NONE, NULL, N_ ("Show the version and exit"), NULL },
  { "training", 't', 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Training mode: simulated readers and cards, a separate database"), NULL },
  { NULL }
};

/* -- preferences --------------------------------------------------------------------------- */

/* Without the schema installed (a build run by hand) the desk still runs,
 * on the environment and the defaults. */
static GSettings *
settings_new_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema =
      source != NULL ? g_settings_schema_source_lookup (source, APP_ID, TRUE) : NULL;

  if (schema == NULL)
    {
      g_message ("The preferences (GSettings schema %s) are not installed: running on the "
                 "environment and the defaults. In a build directory, use “meson devenv” or set "
                 "GSETTINGS_SCHEMA_DIR.",
                 APP_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

/* Precedence: command line > environment > preferences > defaults.  The
 * configuration is read once: the readers, the desk's name and the
 * database are the desk's for its life (the readers bar, the session and
 * the database's mode are bound to them), so a change applies at the next
 * start.  Training has simulated readers and its own database whatever
 * the preferences say. */
static void
apply_preferences (IcApplication *self)
{
  g_autofree char *r1 = NULL, *r2 = NULL, *workstation = NULL, *db_path = NULL;
  IcPreferences prefs;

  if (self->settings == NULL)
    return;
  r1 = g_settings_get_string (self->settings, "reader-r1");
  r2 = g_settings_get_string (self->settings, "reader-r2");
  workstation = g_settings_get_string (self->settings, "workstation");
  db_path = g_settings_get_string (self->settings, "db-path");
  prefs = (IcPreferences){ self->training ? NULL : r1, self->training ? NULL : r2, workstation,
                           self->training ? NULL : db_path };
  ic_config_apply_preferences (self->config, &prefs);
}

static guint
idle_logout_ms (IcApplication *self)
{
  return self->settings != NULL
             ? g_settings_get_uint (self->settings, "idle-logout-minutes") * 60 * 1000
             : 15 * 60 * 1000;
}

static void
idle_logout_changed_cb (GSettings *settings, const char *key, IcApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (IC_IS_MAIN_WINDOW (l->data))
      ic_main_window_set_idle_logout (l->data, idle_logout_ms (self));
}

static void
preferences_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  IcApplication *self = data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  IcPreferencesDialog *dialog;
  IcConfig defaults = { 0 };
  g_autofree char *default_db = ic_config_resolve_db_path (&defaults, NULL, FALSE);
  const struct {
    IcConfigField field;
    const char *key, *variable, *value;
  } overrides[] = {
    { IC_CONFIG_READER_R1, "reader-r1", "INSUCARD_READER_R1",
      self->config != NULL ? self->config->reader_r1 : NULL },
    { IC_CONFIG_READER_R2, "reader-r2", "INSUCARD_READER_R2",
      self->config != NULL ? self->config->reader_r2 : NULL },
    { IC_CONFIG_WORKSTATION, "workstation", "INSUCARD_WORKSTATION",
      self->config != NULL ? self->config->workstation : NULL },
    { IC_CONFIG_DB_PATH, "db-path", "INSUCARD_DB",
      self->config != NULL ? self->config->db_path : NULL },
  };

  if (self->settings == NULL)
    return;
  if (self->preferences != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->preferences));
      return;
    }
  dialog = ic_preferences_dialog_new (parent, self->settings, self->context, self->training);
  ic_preferences_dialog_set_defaults (dialog, g_get_host_name (), default_db);
  if (self->config != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (overrides); i++)
        if ((self->config->from_environment & overrides[i].field) && overrides[i].value != NULL)
          {
            g_autofree char *note = g_strdup_printf (
                _ ("For now the environment variable %s overrides this setting: “%s”."),
                overrides[i].variable, overrides[i].value);

            ic_preferences_dialog_set_note (dialog, overrides[i].key, note);
          }
      if (self->config->workstation_fixed)
        ic_preferences_dialog_set_fixed_workstation (dialog, self->config->workstation,
                                                     IC_WORKSTATION_FILE);
    }
  self->preferences = GTK_WIDGET (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->preferences);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* -- application actions ------------------------------------------------------------------- */

/* Each window closes as its close button would: a running task keeps it
 * open, a logged-in operator is logged out first. */
static void
quit_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (data)));

  for (GList *l = windows; l != NULL; l = l->next)
    g_object_ref (l->data);
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);
}

static void
about_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  static const char *authors[] = { "The insucard developers", NULL };
  /* Not installed (a build run by hand): a themed icon, not a broken one. */
  const char *logo =
      gtk_icon_theme_has_icon (gtk_icon_theme_get_default (), APP_ID) ? APP_ID : "media-flash";

  gtk_show_about_dialog (
      gtk_application_get_active_window (GTK_APPLICATION (data)), "program-name",
      _ ("Insurance Card Desk"), "version", PACKAGE_VERSION, "comments",
      _ ("Issues and manages medical-insurance IC cards: operator cards, a card registry and a "
         "sealed audit log."),
      "logo-icon-name", logo, "license-type", GTK_LICENSE_GPL_3_0, "authors", authors,
      /* TRANSLATORS: your names, one per line */
      "translator-credits", _ ("translator-credits"), NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "preferences", preferences_activated },
  { "about", about_activated },
};

/* Kept in step with ui/help-overlay.ui.  win.show-help-overlay (Ctrl+?)
 * comes with GtkApplication, which loads gtk/help-overlay.ui from the
 * resource base path. */
static const struct {
  const char *action;
  const char *accels[3];
} accelerators[] = {
  { "app.quit", { "<Primary>q", NULL } },
  { "app.preferences", { "<Primary>comma", NULL } },
  { "win.login", { "<Primary>l", NULL } },
  { "win.logout", { "<Primary><Shift>l", NULL } },
  { "win.show-menu", { "F10", NULL } },
  { "win.show-help-overlay", { "<Primary>question", NULL } },
  { "win.focus-next-pane", { "F6", NULL } },
  { "win.focus-previous-pane", { "<Shift>F6", NULL } },
};

static void
ic_application_startup (GApplication *app)
{
  IcApplication *self = IC_APPLICATION (app);

  G_APPLICATION_CLASS (ic_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  for (guint i = 0; i < G_N_ELEMENTS (accelerators); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accelerators[i].action,
                                           accelerators[i].accels);
  gtk_window_set_default_icon_name (APP_ID);

  if (self->settings == NULL)
    self->settings = settings_new_if_installed ();
  if (self->settings != NULL)
    g_signal_connect_object (self->settings, "changed::idle-logout-minutes",
                             G_CALLBACK (idle_logout_changed_cb), self, 0);
  else
    g_simple_action_set_enabled (
        G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (app), "preferences")), FALSE);
}

/* -- start-up ------------------------------------------------------------------------------ */

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

  /* One desk per mode and user session: a second `insucard` shows the desk
   * already running (two desks would fight over R1 and R2 and write one
   * database).  Training is a separate application: a clerk may practise
   * beside the real desk, since training uses only simulated readers and
   * its own database, and `insucard --training` must never bring up the
   * real desk (a trainee would then work on real cards). */
  if (self->training)
    g_application_set_application_id (app, APP_ID ".Training");
  if (!g_application_register (app, NULL, &error))
    {
      g_printerr ("insucard: %s\n", error->message);
      return 1;
    }
  if (g_application_get_is_remote (app))
    {
      /* Its own environment and preferences, not ours, stay in force. */
      g_print (self->training ? _ ("The training desk is already open; showing it.\n")
                              : _ ("The desk is already open; showing it.\n"));
      g_application_activate (app);
      return 0;
    }

  apply_preferences (self);
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
      if (self->desk_error != NULL)
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
      ic_main_window_set_idle_logout (main_window, idle_logout_ms (self));
      if (self->training)
        start_training (self, main_window);
      else if (self->desk != NULL)
        attach_desk (self, main_window);
      else if (self->desk_error != NULL)
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
  g_clear_object (&self->settings);
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
  app_class->startup = ic_application_startup;
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
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path", "/org/insucard/Insucard",
                       NULL);
}
