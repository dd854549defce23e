/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-preferences.c: the preferences dialog over GSettings (the memory
 * backend and the schema from the build directory, tests/meson.build):
 * the readers are offered from the reader context's list, never typed;
 * every control writes its key and follows it; a workstation name fixed
 * by the administrator is shown read-only and not written; training and
 * keys an administrator locked leave the controls read-only.  Controls are
 * found by their accessible names, so those are checked too. */
#include "config.h"

#include <gtk/gtk.h>

#include "ic-preferences-dialog.h"
#include "sim-test-util.h"

static GtkWidget *
find_label (GtkWidget *widget, const char *needle)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), needle) != NULL)
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_label (l->data, needle);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

/* The control a label with this text names (its mnemonic widget), of
 * `type`; a screen reader finds the label through the relation. */
static GtkWidget *
find_named (GtkWidget *dialog, GType type, const char *label_text)
{
  GtkWidget *label = find_label (dialog, label_text);
  GtkWidget *widget;
  AtkRelationSet *relations;

  g_assert_nonnull (label);
  g_assert_true (gtk_label_get_use_underline (GTK_LABEL (label)));
  widget = gtk_label_get_mnemonic_widget (GTK_LABEL (label));
  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (widget, type));
  relations = atk_object_ref_relation_set (gtk_widget_get_accessible (widget));
  g_assert_true (atk_relation_set_contains (relations, ATK_RELATION_LABELLED_BY));
  g_object_unref (relations);
  return widget;
}

static void
flush (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
listed_cb (IcPreferencesDialog *dialog, gboolean *listed)
{
  *listed = TRUE;
}

static IcPreferencesDialog *
open_dialog (GSettings *settings, ClContext *ctx, gboolean training)
{
  IcPreferencesDialog *dialog = ic_preferences_dialog_new (NULL, settings, ctx, training);
  gboolean listed = training;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_signal_connect (dialog, "readers-listed", G_CALLBACK (listed_cb), &listed);
  gtk_widget_show (GTK_WIDGET (dialog));
  while (!listed && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (listed);
  g_signal_handlers_disconnect_by_func (dialog, listed_cb, &listed);
  flush ();
  return dialog;
}

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);
  g_autoptr (GSettingsSchema) schema = NULL;
  g_auto (GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
  return settings;
}

static int
combo_count (GtkComboBox *combo)
{
  return gtk_tree_model_iter_n_children (gtk_combo_box_get_model (combo), NULL);
}

/* The readers offered are the context's, plus the saved one that is not
 * connected; choosing writes the key. */
static void
test_readers (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = fresh_settings ();
  IcPreferencesDialog *dialog;
  GtkComboBox *r1, *r2;
  g_autofree char *saved = NULL;

  g_settings_set_string (settings, "reader-r2", "Gone Reader 00 00");
  dialog = open_dialog (settings, f->ctx, FALSE);
  r1 = GTK_COMBO_BOX (find_named (GTK_WIDGET (dialog), GTK_TYPE_COMBO_BOX, "Key reader (R1):"));
  r2 = GTK_COMBO_BOX (find_named (GTK_WIDGET (dialog), GTK_TYPE_COMBO_BOX, "User reader (R2):"));
  g_assert_nonnull (r1);
  g_assert_nonnull (r2);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (r1)));

  /* Not chosen, and the two simulated readers. */
  g_assert_cmpint (combo_count (r1), ==, 3);
  g_assert_cmpstr (gtk_combo_box_get_active_id (r1), ==, "");
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "2 readers connected"));
  /* The saved R2 stays offered (and chosen) although it is not there. */
  g_assert_cmpint (combo_count (r2), ==, 4);
  g_assert_cmpstr (gtk_combo_box_get_active_id (r2), ==, "Gone Reader 00 00");

  g_assert_true (gtk_combo_box_set_active_id (r1, CL_SIM_READER_R1));
  saved = g_settings_get_string (settings, "reader-r1");
  g_assert_cmpstr (saved, ==, CL_SIM_READER_R1);
  g_clear_pointer (&saved, g_free);
  g_assert_true (gtk_combo_box_set_active_id (r2, CL_SIM_READER_R2));
  saved = g_settings_get_string (settings, "reader-r2");
  g_assert_cmpstr (saved, ==, CL_SIM_READER_R2);
  /* A name nobody listed cannot be chosen. */
  g_assert_false (gtk_combo_box_set_active_id (r1, "Guessed Reader"));

  gtk_widget_destroy (GTK_WIDGET (dialog));
  flush ();
}

/* The entries and the spin button write their keys and follow them. */
static void
test_read_write (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = fresh_settings ();
  IcPreferencesDialog *dialog;
  GtkEntry *workstation, *db;
  GtkSpinButton *idle;
  g_autofree char *value = NULL;

  g_settings_set_string (settings, "db-path", "/srv/insucard/desk.db");
  dialog = open_dialog (settings, f->ctx, FALSE);
  ic_preferences_dialog_set_defaults (dialog, "HOST-1", "/home/x/insucard.db");
  workstation = GTK_ENTRY (find_named (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, "Desk name:"));
  db = GTK_ENTRY (find_named (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, "Database file:"));
  idle = GTK_SPIN_BUTTON (find_named (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON, "Log out after:"));
  g_assert_nonnull (workstation);
  g_assert_nonnull (db);
  g_assert_nonnull (idle);

  /* Read. */
  g_assert_cmpstr (gtk_entry_get_text (db), ==, "/srv/insucard/desk.db");
  g_assert_cmpstr (gtk_entry_get_text (workstation), ==, "");
  g_assert_cmpstr (gtk_entry_get_placeholder_text (workstation), ==, "HOST-1");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (idle), ==, 15);
  g_settings_set_uint (settings, "idle-logout-minutes", 30);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (idle), ==, 30);

  /* Write. */
  gtk_entry_set_text (workstation, "DESK-03");
  value = g_settings_get_string (settings, "workstation");
  g_assert_cmpstr (value, ==, "DESK-03");
  g_clear_pointer (&value, g_free);
  gtk_entry_set_text (db, "");
  value = g_settings_get_string (settings, "db-path");
  g_assert_cmpstr (value, ==, "");
  gtk_spin_button_set_value (idle, 0);
  g_assert_cmpuint (g_settings_get_uint (settings, "idle-logout-minutes"), ==, 0);
  /* The range of the key is the spin button's. */
  gtk_spin_button_set_value (idle, 10000);
  g_assert_cmpuint (g_settings_get_uint (settings, "idle-logout-minutes"), ==, 480);

  /* A note (the application's: the environment overrides a key). */
  ic_preferences_dialog_set_note (dialog, "db-path", "INSUCARD_DB overrides this.");
  g_assert_true (gtk_widget_get_visible (find_label (GTK_WIDGET (dialog), "INSUCARD_DB")));

  gtk_widget_destroy (GTK_WIDGET (dialog));
  flush ();
}

/* The administrator's name is shown, read-only, and the setting is left
 * alone whatever is typed or stored. */
static void
test_fixed_workstation (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = fresh_settings ();
  IcPreferencesDialog *dialog;
  GtkEntry *workstation;
  GtkWidget *note;
  g_autofree char *value = NULL;

  g_settings_set_string (settings, "workstation", "MINE");
  dialog = open_dialog (settings, f->ctx, FALSE);
  ic_preferences_dialog_set_fixed_workstation (dialog, "DESK-07", "/etc/insucard/workstation");
  workstation = GTK_ENTRY (find_named (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, "Desk name:"));
  g_assert_cmpstr (gtk_entry_get_text (workstation), ==, "DESK-07");
  g_assert_false (gtk_editable_get_editable (GTK_EDITABLE (workstation)));
  note = find_label (GTK_WIDGET (dialog), "/etc/insucard/workstation");
  g_assert_nonnull (note);
  g_assert_true (gtk_widget_get_visible (note));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (note)), "system administrator"));

  value = g_settings_get_string (settings, "workstation");
  g_assert_cmpstr (value, ==, "MINE");
  g_clear_pointer (&value, g_free);
  g_settings_set_string (settings, "workstation", "OTHER");
  g_assert_cmpstr (gtk_entry_get_text (workstation), ==, "DESK-07");

  gtk_widget_destroy (GTK_WIDGET (dialog));
  flush ();
}

/* Training: the readers and the database are the real desk's settings,
 * shown, not changed; the idle logout applies to training too. */
static void
test_training (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = fresh_settings ();
  IcPreferencesDialog *dialog = open_dialog (settings, f->ctx, TRUE);
  GtkWidget *r1 = find_named (GTK_WIDGET (dialog), GTK_TYPE_COMBO_BOX, "Key reader (R1):");
  GtkWidget *db = find_named (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, "Database file:");
  GtkWidget *idle = find_named (GTK_WIDGET (dialog), GTK_TYPE_SPIN_BUTTON, "Log out after:");

  g_assert_false (gtk_widget_is_sensitive (r1));
  g_assert_false (gtk_widget_is_sensitive (db));
  g_assert_true (gtk_widget_is_sensitive (idle));
  g_assert_nonnull (find_label (GTK_WIDGET (dialog), "Training mode"));

  gtk_widget_destroy (GTK_WIDGET (dialog));
  flush ();
}

/* Escape closes the dialog (a response destroys it). */
static void
test_escape (Fixture *f, gconstpointer data)
{
  g_autoptr (GSettings) settings = fresh_settings ();
  IcPreferencesDialog *dialog = open_dialog (settings, f->ctx, FALSE);

  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_signal_emit_by_name (dialog, "close");
  flush ();
  g_assert_null (dialog);
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/ui/preferences/readers", Fixture, NULL, tu_sim_setup, test_readers,
              tu_sim_teardown);
  g_test_add ("/ui/preferences/read-write", Fixture, NULL, tu_sim_setup, test_read_write,
              tu_sim_teardown);
  g_test_add ("/ui/preferences/fixed-workstation", Fixture, NULL, tu_sim_setup,
              test_fixed_workstation, tu_sim_teardown);
  g_test_add ("/ui/preferences/training", Fixture, NULL, tu_sim_setup, test_training,
              tu_sim_teardown);
  g_test_add ("/ui/preferences/escape", Fixture, NULL, tu_sim_setup, test_escape, tu_sim_teardown);
  return g_test_run ();
}
