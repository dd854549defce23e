/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-personalise.h: making a CPU card of the system from a blank, by its
 * layout (wf-layout.h), in one card transaction.  The sequence and why:
 * docs/card-formats.md, "The CPU cards as built". */
#pragma once

#include "cl-card.h"
#include "cl-key.h"
#include "wf-layout.h"
#include "wf-task.h"

G_BEGIN_DECLS

#define WF_N_FILE_CONTENTS (WF_FILE_TRAIL + 1)

/* The values a card gets, borrowed: a key per source the layout uses, and
 * the contents of its files (NULL: the file starts empty). */
typedef struct {
  const ClKey *keys[WF_N_KEY_SOURCES];
  const ClKey *files[WF_N_FILE_CONTENTS];
} WfMaterial;

/* card: the blank (or half-made card), connected; info: what
 * cl_card_detect() found on it (its kind and serial). */
gboolean wf_personalise (WfTask *task, ClCard *card, const ClCardInfo *info, const WfLayout *layout,
                         const WfMaterial *material, GError **error);

/* Back to the factory state (ERASE DF, then the transport key), the
 * card's own master key already authenticated (state F). */
gboolean wf_personalise_wash (WfTask *task, ClCard *card, GError **error);

G_END_DECLS
