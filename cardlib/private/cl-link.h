/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-link.h: the PC/SC handle of one ClCard, shared with whoever still uses
 * it, and SCardBeginTransaction in a thread of its own (cl-card.c explains
 * why).  cardlib-internal. */
#pragma once

#include <gio/gio.h>

#include "cl-backend.h"

G_BEGIN_DECLS

/* The handle on the connection's own context.  Reference-counted: the last
 * holder ends the transaction (in_txn) and disconnects. */
typedef struct {
  ClBackend *backend;
  SCARDHANDLE handle;
  gboolean in_txn; /* changed only by the card's owner or the last holder */
  DWORD close_disposition; /* SCARD_LEAVE_CARD, or RESET for exclusive links */
} ClLink;

/* Takes ownership of backend and handle. */
ClLink *cl_link_new (ClBackend *backend, SCARDHANDLE handle);
ClLink *cl_link_ref (ClLink *link);
void cl_link_unref (ClLink *link);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClLink, cl_link_unref)

/* The card is the one seen at connect: same ATR, same insertion counter. */
LONG cl_link_verify_same_card (ClLink *link, const char *reader, guint event_counter, GBytes *atr,
                               gboolean *same);
/* After a failed or empty exchange: did the card leave (polls briefly)? */
gboolean cl_link_card_left (ClLink *link, const char *reader, guint event_counter);

/* One SCardBeginTransaction in flight, in its own thread. */
typedef struct _ClBeginWait ClBeginWait;

ClBeginWait *cl_begin_wait_start (ClLink *link, GError **error);
ClBeginWait *cl_begin_wait_ref (ClBeginWait *w);
void cl_begin_wait_unref (ClBeginWait *w);
/* Waits until the begin is done (TRUE, its result in *rv) or either
 * cancellable fires (FALSE): then the begin is abandoned and ends its
 * transaction itself when that comes. */
gboolean cl_begin_wait_finish (ClBeginWait *w, GCancellable *cancellable, GCancellable *closing,
                               LONG *rv);
/* Takes over an abandoned begin; FALSE when it already finished without
 * anyone to take its transaction (it is of no use then). */
gboolean cl_begin_wait_adopt (ClBeginWait *w);
void cl_begin_wait_abandon (ClBeginWait *w);

G_END_DECLS
