/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-gtk-interaction.h: the workflows' questions as the desk's dialogs.
 *
 * Secrets are asked in a modal dialog with masked entries (typed twice
 * where the task asks); confirmations in a modal message dialog that names
 * the card and says when something cannot be undone; a card wanted is not
 * modal: the window's task bar shows what to put where, and the question
 * is answered ("look again") when a card arrives in that reader or after a
 * second.  The window owns the task bar: it listens to the signals. */
#pragma once

#include <gtk/gtk.h>

#include "wf-interaction.h"

G_BEGIN_DECLS

#define IC_TYPE_GTK_INTERACTION (ic_gtk_interaction_get_type ())
G_DECLARE_FINAL_TYPE (IcGtkInteraction, ic_gtk_interaction, IC, GTK_INTERACTION, WfInteraction)

/* Made in the main thread; dialogs are transient for parent. */
IcGtkInteraction *ic_gtk_interaction_new (GtkWindow *parent);

/* A reader's card changed: a card question on it is answered at once. */
void ic_gtk_interaction_card_event (IcGtkInteraction *self, ClReaderRole role);

/* Signals (main thread):
 *   card-wanted (const char *title, const char *text): a task waits for a card;
 *     NULL text when it no longer does
 *   progress (double fraction, const char *step)
 *   notice (const char *title, const char *text) */

G_END_DECLS
