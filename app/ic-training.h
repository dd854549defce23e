/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-training.h: training mode: simulated readers over a private deck. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Points cardlib at the in-process simulator (INSUCARD_READER_BACKEND=sim)
 * with a training deck under the user's data directory, made on first use:
 * one blank CPU card and one blank SLE4428 card. */
gboolean ic_training_setup (GError **error);
char *ic_training_get_deck_dir (void);

G_END_DECLS
