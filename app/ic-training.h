/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-training.h: training mode: simulated readers over a private deck. */
#pragma once

#include <glib.h>
#include "ic-config.h"

G_BEGIN_DECLS

/* Switches config to the in-process simulator with a training deck
 * (config's sim deck if one was given, else one under the user's data
 * directory), made on first use: one blank CPU card and one blank SLE4428
 * card.  The simulated readers are R1 and R2 whatever config said. */
gboolean ic_training_setup (IcConfig *config, GError **error);

G_END_DECLS
