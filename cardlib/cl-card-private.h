/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-card-private.h: how ClContext hands a fresh connection to ClCard. */
#pragma once

#include "cl-backend.h"
#include "cl-card.h"

G_BEGIN_DECLS

/* Takes ownership of `handle` (disconnected on failure too). */
ClCard *cl_card_new_for_handle (ClBackend *backend, const char *reader, SCARDHANDLE handle,
                                DWORD protocol, DWORD share_mode, GError **error);

G_END_DECLS
