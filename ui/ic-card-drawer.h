/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-card-drawer.h: training's card drawer, a side panel: the simulated
 * cards of the training deck (what each is, as far as it tells without
 * keys, and which reader it is in), put into R1 or R2 or taken out by
 * button or by dragging a card onto a reader; new blanks; and a card
 * pulled out of R2 now or in the middle of the next write, to practise
 * recovery.  It works on the deck directory (cs-deck.h) as a person at
 * the desk would, and follows it (deck.ini is looked at every second). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IC_TYPE_CARD_DRAWER (ic_card_drawer_get_type ())
G_DECLARE_FINAL_TYPE (IcCardDrawer, ic_card_drawer, IC, CARD_DRAWER, GtkBox)

/* NULL with *error when the deck cannot be opened. */
IcCardDrawer *ic_card_drawer_new (const char *deck_dir, GError **error);

/* While the training cards are being made: how far (0 to 1) and what is
 * being done; the drawer's actions wait meanwhile.  fraction < 0: done. */
void ic_card_drawer_set_progress (IcCardDrawer *self, double fraction, const char *step);

/* Looks at the deck now (it also does every second). */
void ic_card_drawer_refresh (IcCardDrawer *self);

/* What the buttons and a drop do: the card (its image) into slot 0 (R1)
 * or 1 (R2), out of the other reader first and the card there back into
 * the drawer; slot -1 takes it out. */
gboolean ic_card_drawer_put_card (IcCardDrawer *self, const char *path, int slot, GError **error);

/* Signals:
 *   cards-changed (): the list shows the deck anew */

G_END_DECLS
