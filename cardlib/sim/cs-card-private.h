/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-card-private.h: how a chip model plugs into CsCard. */
#pragma once

#include "cs-card.h"

G_BEGIN_DECLS

typedef struct {
  CsCardKind kind;
  GBytes *(*get_atr) (CsCard *card);
  void (*power) (CsCard *card, CsPower power);
  gsize (*transmit) (CsCard *card, const guint8 *capdu, gsize clen, guint8 *rapdu);
  void (*save) (CsCard *card, GKeyFile *image); /* model state -> image */
  /* image -> model state.  image == NULL: build the blank (factory) card for
   * card->serial; cs_card_new_sle4428/_fmcos in cs-card.c call it that way. */
  gboolean (*load) (CsCard *card, GKeyFile *image, GError **error);
  char *(*describe) (CsCard *card);
  void (*free_model) (CsCard *card);
} CsCardOps;

struct _CsCard {
  const CsCardOps *ops;
  guint8 serial[CS_SERIAL_LEN];
  gboolean dirty;
  gint tear_bytes; /* -1 = no tear pending */
  gboolean torn;
  gpointer model; /* the chip model's own state */
  CsCardCommitFunc commit;
  gpointer commit_data;
};

/* Models call this after any change to persistent state. */
static inline void
cs_card_mark_dirty (CsCard *card)
{
  card->dirty = TRUE;
}

/* Models call this where a real chip's EEPROM write must be durable before
 * the command goes on (a spent try before the comparison): the owner of
 * the image saves it now, not only after the APDU. */
static inline void
cs_card_commit (CsCard *card)
{
  if (card->dirty && card->commit)
    card->commit (card, card->commit_data);
}

/* Tear support for models: how many bytes of an n-byte write may land.
 * Returns n when no tear is pending; otherwise the pending count (and marks
 * the card torn, so the model must stop and answer nothing useful). */
gsize cs_card_consume_tear (CsCard *card, gsize n);

/* Status-word helper: writes SW1 SW2 at rapdu[off], returns off + 2. */
static inline gsize
cs_sw (guint8 *rapdu, gsize off, guint16 sw)
{
  rapdu[off] = sw >> 8;
  rapdu[off + 1] = sw & 0xff;
  return off + 2;
}

extern const CsCardOps cs_sle4428_ops;
extern const CsCardOps cs_fmcos_ops;

G_END_DECLS
