/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pcsc-test-util.h: small libpcsclite helpers for the integration tests and
 * the benchmark, which run inside tests/integration/pcscd-harness. */
#pragma once

#include <glib.h>
#include <winscard.h>

G_BEGIN_DECLS

/* The reader of slot n (0 = R1, 1 = R2), from the harness's environment. */
const char *pt_reader_name (guint slot);

/* SCardEstablishContext, retried for a while: right after pcscd starts it
 * answers SCARD_E_NO_SERVICE (docs/readers.md). */
gboolean pt_establish (SCARDCONTEXT *ctx, GError **error);

/* Waits until the reader reports a card (present = TRUE) or none. */
gboolean pt_wait_card (SCARDCONTEXT ctx, const char *reader, gboolean present, guint timeout_ms,
                       GError **error);

/* SCardConnect, shared, T=0 only (both simulated cards are T=0). */
gboolean pt_connect (SCARDCONTEXT ctx, const char *reader, SCARDHANDLE *card, GError **error);

/* One APDU given as hex ("FF B1 00 00 03"); returns the whole R-APDU,
 * NULL with error on a transport failure or a reply shorter than 2 bytes. */
GBytes *pt_transmit_hex (SCARDHANDLE card, const char *capdu_hex, GError **error);
gboolean pt_transmit (SCARDHANDLE card, const guint8 *capdu, gsize clen, guint8 *rapdu, gsize *rlen,
                      GError **error);

/* Last two bytes of an R-APDU as one number, e.g. 0x9000. */
guint16 pt_sw (GBytes *rapdu);
/* The R-APDU as upper-case hex with spaces, for messages and comparisons. */
char *pt_hex (GBytes *bytes);

G_END_DECLS
