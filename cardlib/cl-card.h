/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-card.h: a connection to the card in one reader.
 *
 * Obtained from ClContext (cl-context.h); each connection has its own
 * PC/SC context, so a call blocked on one card never holds up another.
 * cl_card_transmit() adds the T=0 rules, the status word mapping and the
 * redacted APDU log.
 *
 * Threads: a ClCard has one owner at a time.  cl_card_begin() makes the
 * calling thread the owner until its matching cl_card_end(); begin/end
 * pairs nest within that thread, and only the outermost pair holds a PC/SC
 * transaction (SCardBeginTransaction), which also checks that the card is
 * still the one that was connected (ATR + insertion counter), so a swapped
 * card is refused rather than written.  An exchange outside a transaction
 * owns the card for its duration.  Any other thread that calls in meanwhile
 * waits until the owner is done, or until its cancellable fires, so no
 * command of one thread ever lands inside another thread's transaction
 * (say between GET CHALLENGE and the MAC'd command).  Waiting for a
 * transaction that another program holds is cancellable too, and
 * disconnecting or dropping the last reference never waits for it.
 *
 * Naming: a function without a suffix blocks; never call it on the main
 * loop, use its _async/_finish pair there.
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

/* Makes the calling thread the card's owner (waiting, cancellably, while
 * another thread owns it) and, at the outermost level, starts a PC/SC
 * transaction.  Every successful call needs one cl_card_end() in the same
 * thread. */
gboolean cl_card_begin (ClCard *card, GCancellable *cancellable, GError **error);
void cl_card_end (ClCard *card);

/* Bytes in, bytes out (>= 2 bytes or an error); no T=0 handling. */
GBytes *cl_card_transmit_raw (ClCard *card, const guint8 *capdu, gsize len,
                              GCancellable *cancellable, GError **error);

/* The full exchange: encode, T=0 61xx/6Cxx handling, log (redacted). The
 * status word is returned as is; callers decide which SWs are errors.
 * Every buffer that held the command or the reply is wiped. */
ClResponse *cl_card_transmit (ClCard *card, const ClApdu *apdu, GCancellable *cancellable,
                              GError **error);

/* Re-establishes the connection after a reset by another process; the
 * card's security state is gone, callers must redo authentication. */
gboolean cl_card_reconnect (ClCard *card, GCancellable *cancellable, GError **error);
/* Warm-resets the card (SCardReconnect with SCARD_RESET_CARD): every other
 * connection to it gets CL_ERROR_CARD_RESET. */
gboolean cl_card_reset (ClCard *card, GCancellable *cancellable, GError **error);
/* Closes the connection; idempotent, never blocks.  A call running in
 * another thread finishes its current APDU, then fails; the transaction and
 * the handle are released by whoever uses them last.  Dispose does the same. */
void cl_card_disconnect (ClCard *card);

/* A transaction belongs to the thread that runs it, so there is no
 * begin_async: run the whole multi-APDU operation in one task instead.
 * The APDU is copied (with its data) before the call returns.  Never call
 * these while the calling thread owns the card (they would wait for it). */
void cl_card_transmit_async (ClCard *card, const ClApdu *apdu, GCancellable *cancellable,
                             GAsyncReadyCallback callback, gpointer user_data);
ClResponse *cl_card_transmit_finish (ClCard *card, GAsyncResult *result, GError **error);
void cl_card_reconnect_async (ClCard *card, GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data);
gboolean cl_card_reconnect_finish (ClCard *card, GAsyncResult *result, GError **error);

G_END_DECLS
