/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-card-private.h: how ClContext hands a fresh connection to ClCard, and
 * the per-connection state the card drivers keep on it. */
#pragma once

#include "cl-backend.h"
#include "cl-card.h"

G_BEGIN_DECLS

/* What FF B2 means on this reader (docs/card-formats.md, "Pseudo-APDUs"). */
typedef enum {
  CL_SLE4428_B2_UNKNOWN,
  CL_SLE4428_B2_PROTECTION_BITS, /* CCID firmware */
  CL_SLE4428_B2_MEMORY, /* old ACR38 firmware: memory without protect bits */
} ClSle4428B2Mode;

/* Driver state of one connection.  Only the thread that owns the card (in
 * a transaction or an exchange) reads or writes it. */
typedef struct {
  /* FMCOS: the tries the card last reported for PIN or key kid, +1 so that
   * 0 means unknown. */
  guint8 pin_tries[256];
  guint8 key_tries[256];
  /* SLE4428: bytes per APDU (0 = the default) and the FF B2 dialect. */
  guint sle_chunk;
  ClSle4428B2Mode sle_b2;
} ClCardDriverState;

/* Takes ownership of `backend` (the connection's own context) and of
 * `handle` (disconnected on failure too). */
ClCard *cl_card_new_for_handle (ClBackend *backend, const char *reader, SCARDHANDLE handle,
                                DWORD protocol, DWORD share_mode, GError **error);

ClCardDriverState *cl_card_get_driver_state (ClCard *card);

G_END_DECLS
