/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-slot.h: one simulated reader slot: the card in it, the faults armed
 * on it, and the APDU counter faults count against.
 *
 * Both ways in share this: the in-process cardlib `sim` backend and the vpcd
 * bridge of `insucard-cardsim serve`.  After every APDU that changed the
 * card, the image is saved atomically, so a pulled card keeps what landed.
 */
#pragma once

#include <glib.h>
#include "cs-card.h"
#include "cs-deck.h"

G_BEGIN_DECLS

typedef struct _CsSlot CsSlot;

typedef enum {
  CS_SLOT_REPLY, /* a reply (possibly garbage or short, if a fault says so) */
  CS_SLOT_REMOVED, /* the card was pulled: no reply at all */
  CS_SLOT_EMPTY, /* no card in the slot */
} CsSlotResult;

CsSlot *cs_slot_new (CsDeck *deck, guint index);
/* Follows the deck: loads a newly inserted card, drops a removed one.
 * *changed is TRUE when the card in the slot changed. */
gboolean cs_slot_sync (CsSlot *slot, gboolean *changed, GError **error);
gboolean cs_slot_has_card (CsSlot *slot);
CsCard *cs_slot_get_card (CsSlot *slot);
/* Card-insertion counter: grows by one for every insertion (event counter). */
guint cs_slot_get_generation (CsSlot *slot);
GBytes *cs_slot_get_atr (CsSlot *slot);
void cs_slot_power (CsSlot *slot, CsPower power);
CsSlotResult cs_slot_transmit (CsSlot *slot, const guint8 *capdu, gsize clen, guint8 *rapdu,
                               gsize *rlen);
void cs_slot_free (CsSlot *slot);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsSlot, cs_slot_free)

G_END_DECLS
