/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-pcsc-error.c: SCARD_* codes to CL_ERROR, in one place.
 *
 * Each message says what happened in the clerk's words and what to do
 * about it; the raw code is appended for support.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "cl-backend.h"
#include "cl-error.h"

gboolean
cl_scard_is_service_gone (LONG rv)
{
  return rv == SCARD_E_NO_SERVICE || rv == SCARD_E_SERVICE_STOPPED || rv == SCARD_E_INVALID_HANDLE
         || rv == SCARD_F_COMM_ERROR;
}

void
cl_set_error_from_scard (GError **error, LONG rv, const char *what)
{
  ClError code = CL_ERROR_FAILED;
  const char *msg = NULL;

  if (rv == SCARD_E_CANCELLED)
    {
      /* GIO callers expect cancellation in G_IO_ERROR. */
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Operation was cancelled"));
      return;
    }

  switch (rv)
    {
    case SCARD_E_NO_SERVICE:
    case SCARD_E_SERVICE_STOPPED:
    case SCARD_F_COMM_ERROR:
    case SCARD_E_INVALID_HANDLE:
      code = CL_ERROR_NO_SERVICE;
      msg = _ ("The smart-card service (pcscd) is not running. Start it with "
               "“sudo systemctl start pcscd.socket” (or “sudo service pcscd start”), "
               "then try again.");
      break;
    case SCARD_E_NO_READERS_AVAILABLE:
    case SCARD_E_UNKNOWN_READER:
      code = CL_ERROR_NO_READER;
      msg = _ ("The card reader is not connected. Plug it in, check the reader settings "
               "(R1/R2), then try again.");
      break;
    case SCARD_E_READER_UNAVAILABLE:
    case SCARD_W_UNSUPPORTED_CARD:
      code = CL_ERROR_READER_GONE;
      msg = _ ("The card reader disappeared during the work. Check its cable, wait until it "
               "is back, then start the step again.");
      break;
    case SCARD_E_NO_SMARTCARD:
      code = CL_ERROR_NO_CARD;
      msg = _ ("There is no card in the reader. Insert the card, then try again.");
      break;
    case SCARD_W_REMOVED_CARD:
      code = CL_ERROR_CARD_REMOVED;
      msg = _ ("The card was removed during the work. Put it back and start the step again; "
               "leave the card in the reader until the step is finished.");
      break;
    case SCARD_W_RESET_CARD:
      code = CL_ERROR_CARD_RESET;
      msg = _ ("Another program reset the card, so its login state is lost. Close other "
               "smart-card programs and start the step again.");
      break;
    case SCARD_E_SHARING_VIOLATION:
      code = CL_ERROR_SHARING_VIOLATION;
      msg = _ ("Another program is using the card. Close other insucard windows, pcsc_scan, "
               "scriptor, opensc-tool, browser smart-card plug-ins or programs using a PKCS#11 "
               "module, then try again.");
      break;
    case SCARD_W_UNRESPONSIVE_CARD:
    case SCARD_W_UNPOWERED_CARD:
    case SCARD_E_PROTO_MISMATCH:
    case SCARD_E_CARD_UNSUPPORTED:
      code = CL_ERROR_WRONG_CARD;
      msg = _ ("The card does not answer as expected. Check that it is inserted the right way "
               "round and is the right kind of card, then try again.");
      break;
    case SCARD_E_TIMEOUT:
      code = CL_ERROR_TIMEOUT;
      msg = _ ("The reader did not answer in time. Check the reader, then try again.");
      break;
    case SCARD_E_NOT_TRANSACTED:
    case SCARD_F_INTERNAL_ERROR:
    case SCARD_F_UNKNOWN_ERROR:
    default:
      code = CL_ERROR_FAILED;
      msg = _ ("The card reader reported an error. Remove and insert the card, then try "
               "again; if it persists, restart the reader.");
      break;
    }

  if (what != NULL)
    g_set_error (error, CL_ERROR, code, "%s: %s (0x%08lX)", what, msg, (unsigned long) rv);
  else
    g_set_error (error, CL_ERROR, code, "%s (0x%08lX)", msg, (unsigned long) rv);
}
