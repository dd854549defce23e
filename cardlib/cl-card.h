/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-card.h: a connection to the card in one reader.
 *
 * Obtained from ClContext (cl-context.h).  The raw exchange goes through the
 * backend (pcsc or sim); cl_card_transmit() adds the T=0 rules, the status
 * word mapping and the redacted APDU log.  Multi-APDU operations run inside
 * cl_card_begin()/cl_card_end() (SCardBeginTransaction), which also checks
 * that the card is still the one that was connected (ATR + insertion
 * counter), so a swapped card is refused rather than written.
 */
#pragma once

#include <gio/gio.h>
#include "cl-apdu.h"

G_BEGIN_DECLS

#define CL_TYPE_CARD (cl_card_get_type ())
G_DECLARE_FINAL_TYPE (ClCard, cl_card, CL, CARD, GObject)

const char *cl_card_get_reader_name (ClCard *card);
GBytes *cl_card_get_atr (ClCard *card); /* transfer none: the ATR seen at connect */
/* The reader's event counter when the card was connected (pcsc: high 16
 * bits of dwEventState; grows on every insertion and removal). */
guint cl_card_get_event_counter (ClCard *card);

/* The functions without a suffix are the blocking (_sync) forms; never call
 * them on the main loop, use the _async/_finish pairs there. */

gboolean cl_card_begin (ClCard *card, GCancellable *cancellable, GError **error);
void cl_card_end (ClCard *card);

/* Bytes in, bytes out (>= 2 bytes or an error); no T=0 handling. */
GBytes *cl_card_transmit_raw (ClCard *card, const guint8 *capdu, gsize len,
                              GCancellable *cancellable, GError **error);

/* The full exchange: encode, T=0 61xx/6Cxx handling, log (redacted). The
 * status word is returned as is; callers decide which SWs are errors. */
ClResponse *cl_card_transmit (ClCard *card, const ClApdu *apdu, GCancellable *cancellable,
                              GError **error);

/* Re-establishes the connection after a reset by another process; the
 * card's security state is gone, callers must redo authentication. */
gboolean cl_card_reconnect (ClCard *card, GCancellable *cancellable, GError **error);
/* Warm-resets the card (SCardReconnect with SCARD_RESET_CARD): every other
 * connection to it gets CL_ERROR_CARD_RESET. */
gboolean cl_card_reset (ClCard *card, GCancellable *cancellable, GError **error);
/* Ends a transaction still open and disconnects; idempotent.  Later calls
 * fail.  Dispose does the same. */
void cl_card_disconnect (ClCard *card);

void cl_card_begin_async (ClCard *card, GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data);
gboolean cl_card_begin_finish (ClCard *card, GAsyncResult *result, GError **error);
/* The APDU is copied (with its data) before the call returns. */
void cl_card_transmit_async (ClCard *card, const ClApdu *apdu, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
ClResponse *cl_card_transmit_finish (ClCard *card, GAsyncResult *result, GError **error);
void cl_card_reconnect_async (ClCard *card, GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data);
gboolean cl_card_reconnect_finish (ClCard *card, GAsyncResult *result, GError **error);

G_END_DECLS
