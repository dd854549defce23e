/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-session.h: nesting card transactions for the command layer.
 *
 * cl_card_begin() does not nest; every FMCOS/SLE4428/kind call runs inside
 * cl_session_begin()/cl_session_end(), which call it only at the outermost
 * level.  A workflow that needs several such calls to be one transaction
 * (nothing else may touch the card in between) wraps them in its own
 * cl_session_begin()/cl_session_end() pair.
 */
#pragma once

#include <gio/gio.h>
#include "cl-card.h"

G_BEGIN_DECLS

gboolean cl_session_begin (ClCard *card, GCancellable *cancellable, GError **error);
void cl_session_end (ClCard *card);

G_END_DECLS
