/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-preferences-dialog.h: the desk's preferences (the GSettings schema
 * org.insucard.Insucard): the two readers, chosen from the readers the
 * reader context lists (never typed or guessed), this desk's name, the
 * database file and the idle logout.  Changes are saved at once; the
 * readers, the name and the database apply at the next start, the idle
 * logout at once.  Keys an administrator locked (dconf) are read-only. */
#pragma once

#include <gtk/gtk.h>

#include "cl-context.h"

G_BEGIN_DECLS

#define IC_TYPE_PREFERENCES_DIALOG (ic_preferences_dialog_get_type ())
G_DECLARE_FINAL_TYPE (IcPreferencesDialog, ic_preferences_dialog, IC, PREFERENCES_DIALOG, GtkDialog)

/* context: where the readers are listed (NULL: none can be chosen).
 * training: the readers and the database settings are for the real desk
 * only; shown, not editable. */
IcPreferencesDialog *ic_preferences_dialog_new (GtkWindow *parent, GSettings *settings,
                                                ClContext *context, gboolean training);

/* The name the system administrator fixed for this desk (shown instead of
 * the setting, read-only); file: where it is set. */
void ic_preferences_dialog_set_fixed_workstation (IcPreferencesDialog *self, const char *name,
                                                  const char *file);
/* What an empty setting means (the host name; the default database file). */
void ic_preferences_dialog_set_defaults (IcPreferencesDialog *self, const char *workstation,
                                         const char *db_path);
/* A note under the setting `key`, e.g. that the environment overrides it. */
void ic_preferences_dialog_set_note (IcPreferencesDialog *self, const char *key, const char *note);

/* Looks for the readers again (also done when the dialog opens); emits
 * "readers-listed" when the list is in the combo boxes. */
void ic_preferences_dialog_list_readers (IcPreferencesDialog *self);

G_END_DECLS
