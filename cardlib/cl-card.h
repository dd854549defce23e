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
GBytes *cl_card_get_atr (ClCard *card);

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
void cl_card_disconnect (ClCard *card);

G_END_DECLS
