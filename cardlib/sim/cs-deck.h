/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-deck.h: a drawer of simulated cards and the two reader slots.
 *
 *   DECK/deck.ini          which card sits in which slot, pending faults,
 *                          unplugged readers and the reader order
 *   DECK/cards/NAME.card   one image per card (docs/card-formats.md)
 *
 * Several processes may share a deck (the `insert`/`remove` CLI, the server,
 * the in-process backend): every change is an atomic file replace, and
 * readers of the deck re-read deck.ini when its contents change.
 */
#pragma once

#include <glib.h>
#include "cs-card.h"

G_BEGIN_DECLS

#define CS_DECK_SLOTS 2

typedef struct _CsDeck CsDeck;

CsDeck *cs_deck_open (const char *dir, GError **error); /* creates dir if missing */
const char *cs_deck_get_dir (CsDeck *deck);

/* Creates a blank card with serial (NULL = a fresh random unique one);
 * returns the new image path. */
char *cs_deck_new_card (CsDeck *deck, CsCardKind kind, const guint8 *serial, GError **error);

gboolean cs_deck_insert (CsDeck *deck, guint slot, const char *card_path, GError **error);
gboolean cs_deck_remove (CsDeck *deck, guint slot, GError **error);

/* Re-reads deck.ini; *changed tells whether any slot's card changed. */
gboolean cs_deck_reload (CsDeck *deck, gboolean *changed, GError **error);
/* Absolute path of the image in the slot, or NULL when empty. */
const char *cs_deck_get_slot_card (CsDeck *deck, guint slot);

/* Faults pending for a slot (see cs-fault.h); the deck owns the result. */
GKeyFile *cs_deck_get_keyfile (CsDeck *deck);
gboolean cs_deck_save (CsDeck *deck, GError **error);

/* Added by the simulator itself: */
const char *cs_deck_get_cards_dir (CsDeck *deck);
/* Absolute paths of the images DIR/cards/NAME.card, sorted. */
GPtrArray *cs_deck_list_cards (CsDeck *deck, GError **error);
/* Replaces [faults.slotN] by a spec ("pull-after=3;delay-ms=10", cs-fault.h). */
gboolean cs_deck_set_faults (CsDeck *deck, guint slot, const char *spec, GError **error);
/* Drops one fired fault key from [faults.slotN] (locked read-modify-write). */
gboolean cs_deck_clear_fault (CsDeck *deck, guint slot, const char *key, GError **error);

/* The readers themselves (replug tests): deck.ini [readers].
 *   unplugged=1     slots whose reader is unplugged (a list: "0;1")
 *   order=reversed  the order the sim backend lists its readers in
 * A slot keeps its card while its reader is unplugged. */
typedef enum {
  CS_READER_ORDER_NORMAL, /* R1, R2 */
  CS_READER_ORDER_REVERSED, /* R2, R1: names stay the same */
} CsReaderOrder;

gboolean cs_reader_order_from_string (const char *text, CsReaderOrder *order);
const char *cs_reader_order_to_string (CsReaderOrder order);

/* Both setters are locked read-modify-writes; the getters answer from
 * deck.ini as last read (cs_deck_reload). */
gboolean cs_deck_set_reader_plugged (CsDeck *deck, guint slot, gboolean plugged, GError **error);
gboolean cs_deck_get_reader_plugged (CsDeck *deck, guint slot);
gboolean cs_deck_set_reader_order (CsDeck *deck, CsReaderOrder order, GError **error);
CsReaderOrder cs_deck_get_reader_order (CsDeck *deck);

void cs_deck_free (CsDeck *deck);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsDeck, cs_deck_free)

G_END_DECLS
