/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-error.c: the workflow error domain and short error codes. */
#include "config.h"

#include <gio/gio.h>

#include "cl-error.h"
#include "wf-error.h"

G_DEFINE_QUARK (insucard - workflow - error - quark, wf_error)

static const char *const cl_codes[] = {
  [CL_ERROR_FAILED] = "card-failed",
  [CL_ERROR_INVALID_INPUT] = "invalid-input",
  [CL_ERROR_CRYPTO] = "crypto",
  [CL_ERROR_NO_SERVICE] = "no-pcscd",
  [CL_ERROR_NO_READER] = "no-reader",
  [CL_ERROR_READER_GONE] = "reader-gone",
  [CL_ERROR_NO_CARD] = "no-card",
  [CL_ERROR_CARD_REMOVED] = "card-removed",
  [CL_ERROR_CARD_RESET] = "card-reset",
  [CL_ERROR_CARD_CHANGED] = "card-changed",
  [CL_ERROR_SHARING_VIOLATION] = "card-busy",
  [CL_ERROR_WRONG_CARD] = "wrong-card",
  [CL_ERROR_BAD_RESPONSE] = "bad-response",
  [CL_ERROR_STATUS] = "card-status",
  [CL_ERROR_WRONG_PIN] = "wrong-pin",
  [CL_ERROR_LOCKED] = "locked",
  [CL_ERROR_LAST_TRY] = "last-try",
  [CL_ERROR_AUTH_FAILED] = "auth-failed",
  [CL_ERROR_SECURITY] = "security",
  [CL_ERROR_MAC] = "mac",
  [CL_ERROR_NOT_FOUND] = "not-found",
  [CL_ERROR_WRITE_PROTECTED] = "write-protected",
  [CL_ERROR_TIMEOUT] = "timeout",
};

static const char *const wf_codes[] = {
  [WF_ERROR_FAILED] = "failed",
  [WF_ERROR_DECLINED] = "declined",
  [WF_ERROR_NOT_LOGGED_IN] = "not-logged-in",
  [WF_ERROR_ROLE] = "role",
  [WF_ERROR_REFUSED] = "refused",
  [WF_ERROR_INVALID_INPUT] = "invalid-input",
  [WF_ERROR_TIMEOUT] = "timeout",
  [WF_ERROR_NO_ANSWER] = "no-answer",
};

const char *
wf_error_code (const GError *error)
{
  if (error == NULL)
    return NULL;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return "cancelled";
  if (error->domain == CL_ERROR && error->code >= 0 && error->code < (int) G_N_ELEMENTS (cl_codes))
    return cl_codes[error->code];
  if (error->domain == WF_ERROR && error->code >= 0 && error->code < (int) G_N_ELEMENTS (wf_codes))
    return wf_codes[error->code];
  return "failed";
}
