/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ui-wizard-util.h: for the wizards' widget tests: a main window on a desk over the
 * in-process simulator (wf-test-util.h), widgets found by their accessible
 * names (as dogtail finds them), the desk's dialogs answered as a person
 * would (entries filled, the button pressed), and waiting for the main
 * loop. */
#pragma once

#include <gtk/gtk.h>

#include "ic-main-window.h"
#include "wf-test-util.h"

/* Runs the main loop until done (data) is TRUE, failing after timeout_s. */
static G_GNUC_UNUSED void
tu_ui_wait_until (gboolean (*done) (gpointer), gpointer data, guint timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("timed out after %u s", timeout_s);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static G_GNUC_UNUSED void
tu_ui_flush (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static G_GNUC_UNUSED const char *
tu_ui_name (GtkWidget *widget)
{
  return atk_object_get_name (gtk_widget_get_accessible (widget));
}

static void
tu_ui_collect_cb (GtkWidget *widget, gpointer data)
{
  GPtrArray *out = data;

  g_ptr_array_add (out, widget);
  /* A tree view's column headers are its own (a table's, to a screen
   * reader), not labels of the page. */
  if (GTK_IS_CONTAINER (widget) && !GTK_IS_TREE_VIEW (widget))
    gtk_container_forall (GTK_CONTAINER (widget), tu_ui_collect_cb, out);
}

/* Every widget under root (root included), depth first. */
static G_GNUC_UNUSED GPtrArray *
tu_ui_widgets (GtkWidget *root)
{
  GPtrArray *out = g_ptr_array_new ();

  tu_ui_collect_cb (root, out);
  return out;
}

/* The first widget of type under root whose accessible name is name. */
static G_GNUC_UNUSED GtkWidget *
tu_ui_find (GtkWidget *root, GType type, const char *name)
{
  g_autoptr (GPtrArray) all = tu_ui_widgets (root);

  for (guint i = 0; i < all->len; i++)
    if (G_TYPE_CHECK_INSTANCE_TYPE (all->pdata[i], type)
        && g_strcmp0 (tu_ui_name (all->pdata[i]), name) == 0)
      return all->pdata[i];
  return NULL;
}

/* Like tu_ui_find(), asserting it is there. */
static G_GNUC_UNUSED GtkWidget *
tu_ui_get (GtkWidget *root, GType type, const char *name)
{
  GtkWidget *w = tu_ui_find (root, type, name);

  if (w == NULL)
    g_error ("no %s named “%s”", g_type_name (type), name);
  return w;
}

/* Every control a person can reach has a name: buttons, entries, combos,
 * toggles, lists and trees under root that are visible. */
static G_GNUC_UNUSED void
tu_ui_assert_named (GtkWidget *root)
{
  g_autoptr (GPtrArray) all = tu_ui_widgets (root);

  for (guint i = 0; i < all->len; i++)
    {
      GtkWidget *w = all->pdata[i];
      const char *name;

      if (!(GTK_IS_BUTTON (w) || GTK_IS_ENTRY (w) || GTK_IS_COMBO_BOX (w) || GTK_IS_TREE_VIEW (w)
            || GTK_IS_LIST_BOX (w) || GTK_IS_SPIN_BUTTON (w))
          || !gtk_widget_get_visible (w))
        continue;
      /* The combo's own inner toggle button and a tree's column headers
       * are named by their owner. */
      if (gtk_widget_get_parent (w) != NULL
          && (gtk_widget_get_ancestor (gtk_widget_get_parent (w), GTK_TYPE_COMBO_BOX) != NULL
              || GTK_IS_TREE_VIEW (gtk_widget_get_parent (w))))
        continue;
      name = tu_ui_name (w);
      if (name == NULL || *name == '\0')
        g_error ("a %s without an accessible name", G_OBJECT_TYPE_NAME (w));
    }
}

/* The visible dialogs, topmost last. */
static G_GNUC_UNUSED GPtrArray *
tu_ui_dialogs (void)
{
  GPtrArray *out = g_ptr_array_new ();
  g_autoptr (GList) tops = gtk_window_list_toplevels ();

  for (GList *l = tops; l != NULL; l = l->next)
    if (GTK_IS_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      g_ptr_array_add (out, l->data);
  return out;
}

/* A message dialog's two texts, joined. */
static G_GNUC_UNUSED char *
tu_ui_dialog_text (GtkDialog *dialog)
{
  g_autoptr (GPtrArray) all = tu_ui_widgets (GTK_WIDGET (dialog));
  GString *text = g_string_new (gtk_window_get_title (GTK_WINDOW (dialog)));

  for (guint i = 0; i < all->len; i++)
    if (GTK_IS_LABEL (all->pdata[i]))
      g_string_append_printf (text, "\n%s", gtk_label_get_text (all->pdata[i]));
  return g_string_free (text, FALSE);
}

/* Types text into every entry of a secret dialog (the entry and its
 * "again"), then presses OK, which must be sensitive now. */
static G_GNUC_UNUSED void
tu_ui_answer_secret (GtkDialog *dialog, const char *text)
{
  g_autoptr (GPtrArray) all = tu_ui_widgets (GTK_WIDGET (dialog));
  GtkWidget *ok = gtk_dialog_get_widget_for_response (dialog, GTK_RESPONSE_OK);
  guint entries = 0;

  for (guint i = 0; i < all->len; i++)
    if (GTK_IS_ENTRY (all->pdata[i]))
      {
        g_assert_false (gtk_entry_get_visibility (all->pdata[i])); /* masked */
        gtk_entry_set_text (all->pdata[i], text);
        entries++;
      }
  g_assert_cmpuint (entries, >=, 1);
  g_assert_nonnull (ok);
  g_assert_true (gtk_widget_get_sensitive (ok));
  gtk_button_clicked (GTK_BUTTON (ok));
}

/* Presses the button of a dialog's response. */
static G_GNUC_UNUSED void
tu_ui_press (GtkDialog *dialog, int response)
{
  GtkWidget *button = gtk_dialog_get_widget_for_response (dialog, response);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  gtk_button_clicked (GTK_BUTTON (button));
}

/* A GtkApplication for the windows of a test. */
static G_GNUC_UNUSED GtkApplication *
tu_ui_app (void)
{
  static GtkApplication *app;
  g_autoptr (GError) error = NULL;

  if (app == NULL)
    {
      app = gtk_application_new ("org.insucard.Test", G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
    }
  return app;
}

/* Puts a card into a slot (0: R1, 1: R2) from outside, taking out what
 * was there and the card from the other slot if it was there. */
static G_GNUC_UNUSED void
tu_ui_put (WfFixture *f, guint slot, const char *path)
{
  tu_wf_plan (f, "ui-put", path);
  g_assert_true (
      tu_wf_card_func (f->ia,
                       &(WfQuestion){ .name = "ui-put",
                                      .reader = slot == 0 ? CL_READER_ROLE_R1 : CL_READER_ROLE_R2 },
                       f));
}
