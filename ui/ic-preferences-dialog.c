/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-preferences-dialog.c: the desk's preferences (ic-preferences-dialog.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-preferences-dialog.h"

struct _IcPreferencesDialog {
  GtkDialog parent_instance;

  GtkComboBoxText *r1_combo;
  GtkComboBoxText *r2_combo;
  GtkLabel *r1_note;
  GtkLabel *r2_note;
  GtkLabel *readers_status;
  GtkWidget *refresh_button;
  GtkEntry *workstation_entry;
  GtkLabel *workstation_note;
  GtkEntry *db_entry;
  GtkWidget *db_choose;
  GtkLabel *db_note;
  GtkSpinButton *idle_spin;
  GtkLabel *idle_unit;

  GSettings *settings;
  ClContext *context;
  gboolean training;
  gboolean filling; /* the combo boxes are being filled: no writes */
  GCancellable *listing;
};

G_DEFINE_TYPE (IcPreferencesDialog, ic_preferences_dialog, GTK_TYPE_DIALOG)

enum { SIGNAL_READERS_LISTED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
set_note (GtkLabel *label, const char *text)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

/* -- readers ------------------------------------------------------------------------------- */

static const char *
combo_key (IcPreferencesDialog *self, GtkComboBoxText *combo)
{
  return combo == self->r1_combo ? "reader-r1" : "reader-r2";
}

/* The choices: "not chosen", every reader present, and the saved one
 * even when it is not connected now (so it is never lost by opening the
 * dialog). */
static void
fill_combo (IcPreferencesDialog *self, GtkComboBoxText *combo, char **readers)
{
  g_autofree char *saved = g_settings_get_string (self->settings, combo_key (self, combo));
  gboolean found = *saved == '\0';

  self->filling = TRUE;
  gtk_combo_box_text_remove_all (combo);
  gtk_combo_box_text_append (combo, "", _ ("Not chosen"));
  for (guint i = 0; readers != NULL && readers[i] != NULL; i++)
    {
      gtk_combo_box_text_append (combo, readers[i], readers[i]);
      found = found || g_strcmp0 (readers[i], saved) == 0;
    }
  if (!found)
    {
      g_autofree char *text = g_strdup_printf (_ ("%s (not connected now)"), saved);

      gtk_combo_box_text_append (combo, saved, text);
    }
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), saved);
  self->filling = FALSE;
}

static void
reader_changed_cb (GtkComboBox *combo, IcPreferencesDialog *self)
{
  const char *id = gtk_combo_box_get_active_id (combo);

  if (self->filling || id == NULL)
    return;
  g_settings_set_string (self->settings, combo_key (self, GTK_COMBO_BOX_TEXT (combo)), id);
}

static void
list_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  char **readers = cl_context_list_readers (data, cancellable, &error);

  if (readers == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, readers, (GDestroyNotify) g_strfreev);
}

static void
list_done (GObject *source, GAsyncResult *result, gpointer data)
{
  IcPreferencesDialog *self = IC_PREFERENCES_DIALOG (source);
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) readers = g_task_propagate_pointer (G_TASK (result), &error);
  guint n = readers != NULL ? g_strv_length (readers) : 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->listing);
  gtk_widget_set_sensitive (self->refresh_button, TRUE);
  fill_combo (self, self->r1_combo, readers);
  fill_combo (self, self->r2_combo, readers);
  if (error != NULL)
    {
      g_autofree char *text =
          g_strdup_printf (_ ("The readers cannot be listed: %s"), error->message);

      gtk_label_set_text (self->readers_status, text);
    }
  else if (n == 0)
    gtk_label_set_text (self->readers_status,
                        _ ("No reader is connected. Plug in the readers, then press Look again."));
  else
    {
      g_autofree char *text = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%u reader connected.", "%u readers connected.", n), n);

      gtk_label_set_text (self->readers_status, text);
    }
  g_signal_emit (self, signals[SIGNAL_READERS_LISTED], 0);
}

void
ic_preferences_dialog_list_readers (IcPreferencesDialog *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (IC_IS_PREFERENCES_DIALOG (self));

  if (self->context == NULL || self->listing != NULL)
    return;
  self->listing = g_cancellable_new ();
  gtk_widget_set_sensitive (self->refresh_button, FALSE);
  gtk_label_set_text (self->readers_status, _ ("Looking for readers…"));
  task = g_task_new (self, self->listing, list_done, NULL);
  g_task_set_task_data (task, g_object_ref (self->context), g_object_unref);
  g_task_run_in_thread (task, list_thread);
}

static void
refresh_clicked_cb (GtkButton *button, IcPreferencesDialog *self)
{
  ic_preferences_dialog_list_readers (self);
}

/* -- the database file --------------------------------------------------------------------- */

static void
db_chooser_response_cb (GtkNativeDialog *chooser, int response, IcPreferencesDialog *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (chooser));

      if (path != NULL)
        gtk_entry_set_text (self->db_entry, path);
    }
  g_object_unref (chooser);
}

static void
db_choose_clicked_cb (GtkButton *button, IcPreferencesDialog *self)
{
  GtkFileChooserNative *chooser =
      gtk_file_chooser_native_new (_ ("Choose the Database File"), GTK_WINDOW (self),
                                   GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Choose"), _ ("_Cancel"));
  GtkFileFilter *filter = gtk_file_filter_new ();
  const char *current = gtk_entry_get_text (self->db_entry);

  /* SAVE: the file may not exist yet (the desk creates it). */
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), FALSE);
  gtk_file_filter_set_name (filter, _ ("Databases (*.db)"));
  gtk_file_filter_add_pattern (filter, "*.db");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  if (*current == '\0')
    current = gtk_entry_get_placeholder_text (self->db_entry);
  if (current != NULL && *current != '\0')
    gtk_file_chooser_set_filename (GTK_FILE_CHOOSER (chooser), current);
  else
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "insucard.db");
  g_signal_connect (chooser, "response", G_CALLBACK (db_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* -- setters ------------------------------------------------------------------------------- */

void
ic_preferences_dialog_set_fixed_workstation (IcPreferencesDialog *self, const char *name,
                                             const char *file)
{
  g_autofree char *note = NULL;

  g_return_if_fail (IC_IS_PREFERENCES_DIALOG (self));

  /* Shown, not bound: the setting cannot change what the administrator
   * fixed, and typing into it would only mislead.  It stays focusable so
   * a screen reader can read it. */
  g_settings_unbind (self->workstation_entry, "text");
  gtk_entry_set_text (self->workstation_entry, name);
  gtk_editable_set_editable (GTK_EDITABLE (self->workstation_entry), FALSE);
  note = g_strdup_printf (_ ("Fixed by the system administrator in %s."), file);
  set_note (self->workstation_note, note);
}

void
ic_preferences_dialog_set_defaults (IcPreferencesDialog *self, const char *workstation,
                                    const char *db_path)
{
  g_return_if_fail (IC_IS_PREFERENCES_DIALOG (self));

  gtk_entry_set_placeholder_text (self->workstation_entry, workstation);
  gtk_entry_set_placeholder_text (self->db_entry, db_path);
}

void
ic_preferences_dialog_set_note (IcPreferencesDialog *self, const char *key, const char *note)
{
  g_return_if_fail (IC_IS_PREFERENCES_DIALOG (self));

  if (g_strcmp0 (key, "reader-r1") == 0)
    set_note (self->r1_note, note);
  else if (g_strcmp0 (key, "reader-r2") == 0)
    set_note (self->r2_note, note);
  else if (g_strcmp0 (key, "workstation") == 0)
    set_note (self->workstation_note, note);
  else if (g_strcmp0 (key, "db-path") == 0)
    set_note (self->db_note, note);
  else
    g_return_if_reached ();
}

/* -- GObject ------------------------------------------------------------------------------- */

static void
ic_preferences_dialog_dispose (GObject *object)
{
  IcPreferencesDialog *self = IC_PREFERENCES_DIALOG (object);

  if (self->listing != NULL)
    g_cancellable_cancel (self->listing);
  g_clear_object (&self->listing);
  g_clear_object (&self->settings);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (ic_preferences_dialog_parent_class)->dispose (object);
}

static void
ic_preferences_dialog_class_init (IcPreferencesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ic_preferences_dialog_dispose;
  signals[SIGNAL_READERS_LISTED] =
      g_signal_new ("readers-listed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-preferences-dialog.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcPreferencesDialog, name)
  CHILD (r1_combo);
  CHILD (r2_combo);
  CHILD (r1_note);
  CHILD (r2_note);
  CHILD (readers_status);
  CHILD (refresh_button);
  CHILD (workstation_entry);
  CHILD (workstation_note);
  CHILD (db_entry);
  CHILD (db_choose);
  CHILD (db_note);
  CHILD (idle_spin);
  CHILD (idle_unit);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, reader_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, db_choose_clicked_cb);
}

static void
ic_preferences_dialog_init (IcPreferencesDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->idle_spin)),
                              gtk_label_get_text (self->idle_unit));
  /* Escape and the window's close button give a response; Close ends it. */
  g_signal_connect (self, "response", G_CALLBACK (gtk_widget_destroy), NULL);
}

IcPreferencesDialog *
ic_preferences_dialog_new (GtkWindow *parent, GSettings *settings, ClContext *context,
                           gboolean training)
{
  IcPreferencesDialog *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (IC_TYPE_PREFERENCES_DIALOG, "transient-for", parent, NULL);
  self->settings = g_object_ref (settings);
  self->context = context != NULL ? g_object_ref (context) : NULL;
  self->training = training;

  /* Bound: sensitive only while the key is writable (an administrator may
   * lock it with dconf). */
  g_settings_bind (settings, "workstation", self->workstation_entry, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "db-path", self->db_entry, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "idle-logout-minutes", self->idle_spin, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_object_bind_property (self->db_entry, "sensitive", self->db_choose, "sensitive",
                          G_BINDING_SYNC_CREATE);

  fill_combo (self, self->r1_combo, NULL);
  fill_combo (self, self->r2_combo, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->r1_combo),
                            !training && g_settings_is_writable (settings, "reader-r1"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->r2_combo),
                            !training && g_settings_is_writable (settings, "reader-r2"));
  if (training)
    {
      /* Training has its simulated readers and its own database: these
       * settings are the real desk's, shown but not changed here. */
      gtk_widget_set_sensitive (self->refresh_button, FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->db_entry), FALSE);
      gtk_label_set_text (self->readers_status,
                          _ ("Training mode uses its simulated readers and its own database; "
                             "these settings are for the real desk."));
    }
  else if (context != NULL)
    ic_preferences_dialog_list_readers (self);
  else
    {
      gtk_widget_set_sensitive (self->refresh_button, FALSE);
      gtk_label_set_text (self->readers_status, _ ("The readers cannot be listed."));
    }
  return self;
}
