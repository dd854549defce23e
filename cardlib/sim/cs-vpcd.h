/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-vpcd.h: the vpcd bridge of `insucard-cardsim serve`.
 *
 * vsmartcard's vpcd driver (inside pcscd) listens on one TCP port per slot;
 * the simulator is the TCP client.  Deck slot 0 is served on `port`, slot 1
 * on `port + 1`.  A connected socket is an inserted card for pcscd; closing
 * it is removing the card.  Protocol and pitfalls:
 * docs/card-formats.md, "Through pcscd (vpcd bridge)".
 */
#pragma once

#include <gio/gio.h>
#include "cs-deck.h"

G_BEGIN_DECLS

/* Runs until cancellable is cancelled or SIGTERM/SIGINT arrives, then
 * closes both connections and returns TRUE.  FALSE only for setup errors
 * (bad host name). */
gboolean cs_vpcd_serve (CsDeck *deck, const char *host, guint16 port, GCancellable *cancellable,
                        GError **error);

G_END_DECLS
