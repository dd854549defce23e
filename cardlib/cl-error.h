/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-error.h: the one error domain of cardlib.
 *
 * Every failure below the workflow layer is a CL_ERROR: PC/SC codes, card
 * status words, malformed replies and crypto failures are mapped here, and
 * the message is one a clerk can act on (translated through gettext).
 * Cancellation stays G_IO_ERROR_CANCELLED, as GIO callers expect.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CL_ERROR (cl_error_quark ())

typedef enum {
  CL_ERROR_FAILED, /* anything without a better code */
  CL_ERROR_INVALID_INPUT, /* bad hex, BCD, length or argument from the caller */
  CL_ERROR_CRYPTO, /* OpenSSL refused an operation */
  CL_ERROR_NO_SERVICE, /* pcscd is not running or not reachable */
  CL_ERROR_NO_READER, /* the named reader is not there */
  CL_ERROR_READER_GONE, /* the reader disappeared during the work */
  CL_ERROR_NO_CARD, /* no card in the reader */
  CL_ERROR_CARD_REMOVED, /* the card was pulled during the work */
  CL_ERROR_CARD_RESET, /* another process reset the card: state lost */
  CL_ERROR_CARD_CHANGED, /* a different card is in the reader now */
  CL_ERROR_SHARING_VIOLATION, /* another program holds the card */
  CL_ERROR_WRONG_CARD, /* a card, but not of the kind this step needs */
  CL_ERROR_BAD_RESPONSE, /* malformed reply: too short, wrong length, garbage */
  CL_ERROR_STATUS, /* the card answered an error status word */
  CL_ERROR_WRONG_PIN, /* wrong PIN / PSC; the message says tries left */
  CL_ERROR_LOCKED, /* PIN, PSC or key blocked for good */
  CL_ERROR_LAST_TRY, /* refused to spend the last try without consent */
  CL_ERROR_AUTH_FAILED, /* external/internal authentication failed */
  CL_ERROR_SECURITY, /* security state not satisfied */
  CL_ERROR_MAC, /* secure-messaging MAC did not verify */
  CL_ERROR_NOT_FOUND, /* file or record not found on the card */
  CL_ERROR_WRITE_PROTECTED, /* SLE4428 byte protected or EF never rewritable */
  CL_ERROR_TIMEOUT,
} ClError;

GQuark cl_error_quark (void);

G_END_DECLS
