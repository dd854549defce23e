/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-authority.h: who computes the external-authentication cryptogram for
 * a CPU card of the system: a key the host holds (the transport key of a
 * blank batch) or the master control card in the other reader. */
#pragma once

#include <gio/gio.h>
#include "cl-card.h"
#include "cl-key.h"

G_BEGIN_DECLS

typedef struct _ClAuthority ClAuthority;

/* The target's key is known to the host (e.g. the transport key). */
ClAuthority *cl_authority_new_key (const ClKey *key);
/* The master control card in another reader, its PIN already verified:
 * CMK(X) = DIV(MK, SN_X) is computed by two INTERNAL AUTHENTICATEs with the
 * MCC's DES-encrypt key mk_kid (docs/card-formats.md, "Key operations via
 * the MCC"). */
ClAuthority *cl_authority_new_mcc (ClCard *mcc, guint8 mk_kid);
/* Reference-counted: an async call keeps its own reference. */
ClAuthority *cl_authority_ref (ClAuthority *authority);
void cl_authority_unref (ClAuthority *authority);

/* The master key of the card with that serial, in locked memory: the
 * authority's key itself, or CMK = DIV(MK, serial) computed by the MCC.
 * For the few steps that need it on the host (a line key, PIN unblock,
 * cipher+MAC WRITE KEY); free it as soon as it is used. */
ClKey *cl_authority_card_key (ClAuthority *authority, const guint8 serial[8],
                              GCancellable *cancellable, GError **error);

/* External authentication to target (serial = its 8-byte serial, used by
 * the MCC authority) with key kid.  Refuses (CL_ERROR_LAST_TRY) when the
 * card's last 63Cx for that key said one try left, unless allow_last_try. */
gboolean cl_authority_external_authenticate (ClAuthority *authority, ClCard *target,
                                             const guint8 serial[8], guint8 kid,
                                             gboolean allow_last_try, GCancellable *cancellable,
                                             GError **error);

/* Async form: runs in a thread, holding its own reference on the
 * authority; the MCC's and the target's connections are owned by that
 * thread while it works (cl-card.h), so other threads wait. */
void cl_authority_external_authenticate_async (ClAuthority *authority, ClCard *target,
                                               const guint8 serial[8], guint8 kid,
                                               gboolean allow_last_try, GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data);
gboolean cl_authority_external_authenticate_finish (ClCard *target, GAsyncResult *result,
                                                    GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClAuthority, cl_authority_unref)

G_END_DECLS
