/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-card.h: one simulated card (chip + its ATR), as the simulator sees it.
 *
 * A card answers a C-APDU with an R-APDU of at least two bytes, always: the
 * chip models never return an empty reply.  Its whole state (memory, files,
 * keys, counters) round-trips through a human-readable card image
 * (GKeyFile text, docs/card-formats.md), written atomically.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CS_SERIAL_LEN 8
#define CS_MAX_RESPONSE (65536 + 2)
/* Both chips speak short APDUs only: no reply exceeds 256 data bytes + SW. */
#define CS_SHORT_RESPONSE_MAX (256 + 2)

typedef enum {
  CS_CARD_SLE4428, /* SLE4428 behind an ACS-CCID-style reader */
  CS_CARD_FMCOS, /* FMCOS-2.0-style CPU card, T=0 */
} CsCardKind;

typedef enum {
  CS_POWER_OFF,
  CS_POWER_ON,
  CS_POWER_RESET,
} CsPower;

typedef struct _CsCard CsCard;

CsCard *cs_card_new_sle4428 (const guint8 serial[CS_SERIAL_LEN]);
CsCard *cs_card_new_fmcos (const guint8 serial[CS_SERIAL_LEN]);

CsCard *cs_card_load (const char *path, GError **error);
gboolean cs_card_save (CsCard *card, const char *path, GError **error); /* atomic */
char *cs_card_to_image (CsCard *card, gsize *length); /* image text */
CsCard *cs_card_new_from_image (const char *text, gsize length, GError **error);

CsCardKind cs_card_get_kind (CsCard *card);
const char *cs_card_kind_to_string (CsCardKind kind); /* "sle4428", "cpu" */
gboolean cs_card_kind_from_string (const char *str, CsCardKind *kind);
const guint8 *cs_card_get_serial (CsCard *card);
GBytes *cs_card_get_atr (CsCard *card);

/* Power events reset the volatile state (verification, security state,
 * selected file, challenge), exactly as a real chip loses it. */
void cs_card_power (CsCard *card, CsPower power);

/* Returns the R-APDU length (2 .. CS_SHORT_RESPONSE_MAX); rapdu must hold
 * CS_MAX_RESPONSE bytes. */
gsize cs_card_transmit (CsCard *card, const guint8 *capdu, gsize clen, guint8 *rapdu);

/* TRUE once persistent state changed since the last save/load. */
gboolean cs_card_is_dirty (CsCard *card);

/* Fault injection: the next write-type command lands only its first
 * `bytes` bytes, then the card is torn (cs_card_was_torn() turns TRUE and the
 * slot treats the card as pulled). -1 disables. */
void cs_card_set_tear (CsCard *card, gint bytes);
gboolean cs_card_was_torn (CsCard *card);

/* Called in the middle of an APDU when the chip has made a change that
 * must be durable before it goes on (a try spent before a PIN or key is
 * compared); the func saves the image (cs_slot does).  Without one the
 * change is saved with the rest after the APDU. */
typedef void (*CsCardCommitFunc) (CsCard *card, gpointer data);
void cs_card_set_commit_func (CsCard *card, CsCardCommitFunc func, gpointer data);

/* The EEPROM wear of an SLE4428 since it left the factory, kept in its
 * image (docs/card-formats.md, "Wear counts").  A byte written by FF D0
 * costs an erase+write cycle when any of its bits goes 0 -> 1, else a
 * write-only cycle (even when it already held the value); protected bytes
 * and the counter byte are not written. */
typedef struct {
  guint64 bytes_written; /* = erase_write_cycles + write_only_cycles */
  guint64 erase_write_cycles;
  guint64 write_only_cycles;
  guint64 protect_bits_set; /* FF D1 that protected a byte still writable */
} CsSle4428Wear;

/* FALSE (and zeros) for a card of another kind. */
gboolean cs_card_get_sle4428_wear (CsCard *card, CsSle4428Wear *wear);
/* How often the byte at addr (0 .. 1023) has been written. */
guint cs_card_get_sle4428_byte_writes (CsCard *card, guint addr);

/* A dump for `insucard-cardsim show`: memory with protection bits and
 * counters, or the file tree with keys' metadata (never key bytes). */
char *cs_card_describe (CsCard *card);

void cs_card_free (CsCard *card);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CsCard, cs_card_free)

G_END_DECLS
