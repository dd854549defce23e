/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-sle4428-wear.h: the SLE4428 model's write counts, their image group
 * [wear] and their lines in `insucard-cardsim show` (docs/card-formats.md,
 * "Wear counts"). */
#pragma once

#include <glib.h>

#include "cs-card.h"

G_BEGIN_DECLS

#define CS_SLE4428_MEM_SIZE 1024

typedef struct {
  CsSle4428Wear totals;
  guint32 byte_writes[CS_SLE4428_MEM_SIZE];
} CsSle4428WearState;

/* Counts one FF D0 write of a writable byte from old to new. */
void cs_sle4428_wear_count_write (CsSle4428WearState *w, guint addr, guint8 old, guint8 new_value);
void cs_sle4428_wear_save (const CsSle4428WearState *w, GKeyFile *kf);
/* A missing [wear] group is a card never written since wear was counted:
 * all zeros.  Totals that disagree with the per-byte lines are refused. */
gboolean cs_sle4428_wear_load (CsSle4428WearState *w, GKeyFile *kf, GError **error);
void cs_sle4428_wear_describe (const CsSle4428WearState *w, GString *out);

G_END_DECLS
