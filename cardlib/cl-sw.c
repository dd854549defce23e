/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-sw.c: status words of ISO 7816-4, FMCOS and the reader pseudo-APDUs,
 * in sentences a clerk can act on, and their CL_ERROR codes.
 *
 * Exact SWs first; then families with a count in SW2 (61xx, 63Cx, 6Cxx);
 * then the SW1 class alone.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "cl-error.h"
#include "cl-sw.h"

typedef struct {
  guint16 sw;
  ClError code;
  const char *message; /* N_() */
} SwEntry;

static const SwEntry sw_table[] = {
  { 0x9000, CL_ERROR_FAILED, N_ ("Done.") },
  { 0x6281, CL_ERROR_STATUS, N_ ("Part of the data the card returned may be corrupted.") },
  { 0x6282, CL_ERROR_STATUS,
    N_ ("The card reached the end of the file or memory before all data was read.") },
  { 0x6283, CL_ERROR_STATUS, N_ ("The selected file or application is invalidated.") },
  { 0x6300, CL_ERROR_AUTH_FAILED, N_ ("The card refused the authentication.") },
  { 0x63C0, CL_ERROR_LOCKED,
    N_ ("Wrong PIN, code or key, and no tries are left: it is now blocked.") },
  { 0x6400, CL_ERROR_STATUS,
    N_ ("The card could not carry out the command; its memory is unchanged.") },
  { 0x6581, CL_ERROR_WRITE_PROTECTED,
    N_ ("The card could not write: the memory is faulty or write-protected.") },
  { 0x6700, CL_ERROR_STATUS, N_ ("The card refused the length of the command.") },
  { 0x6882, CL_ERROR_STATUS, N_ ("The card does not support secure messaging for this command.") },
  { 0x6981, CL_ERROR_STATUS, N_ ("The command does not fit the type of the file.") },
  { 0x6982, CL_ERROR_SECURITY, N_ ("Access denied: log in or authenticate first.") },
  { 0x6983, CL_ERROR_LOCKED, N_ ("Blocked: the PIN, code or key has no tries left.") },
  { 0x6984, CL_ERROR_AUTH_FAILED,
    N_ ("The card has no valid challenge: the authentication must start again.") },
  { 0x6985, CL_ERROR_SECURITY, N_ ("The conditions for this command are not met on the card.") },
  { 0x6986, CL_ERROR_STATUS, N_ ("The command is not allowed now: no file is selected.") },
  { 0x6987, CL_ERROR_MAC, N_ ("The secure-messaging data is missing.") },
  { 0x6988, CL_ERROR_MAC, N_ ("The secure-messaging data is wrong.") },
  { 0x6A80, CL_ERROR_STATUS, N_ ("The card refused the data of the command.") },
  { 0x6A81, CL_ERROR_STATUS, N_ ("The card does not support this function.") },
  { 0x6A82, CL_ERROR_NOT_FOUND, N_ ("The file or application is not on the card.") },
  { 0x6A83, CL_ERROR_NOT_FOUND, N_ ("The record is not in the file.") },
  { 0x6A84, CL_ERROR_STATUS, N_ ("There is not enough space on the card or in the file.") },
  { 0x6A86, CL_ERROR_STATUS, N_ ("The card refused the parameters P1/P2 of the command.") },
  { 0x6A88, CL_ERROR_NOT_FOUND, N_ ("The key or data referred to is not on the card.") },
  { 0x6B00, CL_ERROR_STATUS, N_ ("The offset or address is outside the file or memory.") },
  { 0x6D00, CL_ERROR_STATUS, N_ ("The card does not know this command.") },
  { 0x6E00, CL_ERROR_STATUS, N_ ("The card does not support this command class.") },
  { 0x6F00, CL_ERROR_STATUS, N_ ("The card reported an internal error.") },
  { 0x9302, CL_ERROR_MAC, N_ ("The MAC is wrong: the protected command was rejected.") },
  { 0x9303, CL_ERROR_LOCKED, N_ ("The application on the card is permanently locked.") },
  { 0x9401, CL_ERROR_STATUS, N_ ("The balance on the card is not sufficient.") },
  { 0x9403, CL_ERROR_NOT_FOUND, N_ ("The key is not on the card.") },
  { 0x9406, CL_ERROR_MAC, N_ ("The MAC is not available.") },
};

static const SwEntry *
find_exact (guint16 sw)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sw_table); i++)
    if (sw_table[i].sw == sw)
      return &sw_table[i];
  return NULL;
}

int
cl_sw_error_code (guint16 sw)
{
  const SwEntry *e = find_exact (sw);

  if (e != NULL)
    return e->code;
  if ((sw & 0xFFF0) == 0x63C0)
    return CL_ERROR_WRONG_PIN;
  if ((sw >> 8) == 0x6C || (sw >> 8) == 0x61)
    return CL_ERROR_BAD_RESPONSE;
  return CL_ERROR_STATUS;
}

const char *
cl_sw_describe (guint16 sw)
{
  const SwEntry *e = find_exact (sw);
  g_autofree char *msg = NULL;

  if (e != NULL)
    return _ (e->message);

  /* Families with a number in SW2: interned, so the pointer stays valid. */
  if ((sw & 0xFFF0) == 0x63C0)
    msg = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Wrong PIN, code or key: %u try left.",
                                        "Wrong PIN, code or key: %u tries left.", sw & 0x0F),
                           sw & 0x0F);
  else if ((sw >> 8) == 0x61)
    msg = g_strdup_printf (_ ("The card has %u more bytes to send."), sw & 0xFF);
  else if ((sw >> 8) == 0x6C)
    msg = g_strdup_printf (_ ("The card expected a length of %u bytes."), sw & 0xFF);
  else
    switch (sw >> 8)
      {
      case 0x62:
      case 0x63:
        return _ ("The card warns that the command did not complete normally.");
      case 0x64:
      case 0x65:
        return _ ("The card could not carry out the command.");
      case 0x67:
        return _ ("The card refused the length of the command.");
      case 0x68:
        return _ ("The card does not support this function of the command class.");
      case 0x69:
        return _ ("The card does not allow this command now.");
      case 0x6A:
        return _ ("The card refused the parameters of the command.");
      default:
        return _ ("The card answered with an unknown status.");
      }
  return g_intern_string (msg);
}

void
cl_set_error_from_sw (GError **error, guint16 sw, const char *what)
{
  g_autoptr (GError) local = NULL;

  /* Not recorded with cl_log_error(): many SWs are expected answers to
   * probes; callers record the errors that reach the operator. */
  local = g_error_new (CL_ERROR, cl_sw_error_code (sw), "%s: %s (SW %04X)",
                       what ? what : _ ("Card"), cl_sw_describe (sw), sw);
  g_propagate_error (error, g_steal_pointer (&local));
}
