/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-redact.c: which bytes of an APDU exchange are secret, and the exchange
 * as hex with those bytes shown as "**".
 *
 * Redaction happens on the raw bytes, before any string exists: a mask marks
 * every secret byte and the formatter prints "**" for it.  Secret bytes are
 * (a) the data of commands flagged CL_APDU_FLAG_SECRET_DATA, (b) the data of
 * commands recognised as carrying a PSC, PIN or key whatever the flags say,
 * (c) the reply data of commands flagged CL_APDU_FLAG_SECRET_RESPONSE or
 * recognised as returning one (INTERNAL AUTHENTICATE, PRESENT CODE echo,
 * SLE4428 reads of the PSC bytes).  Used by the host's log (cl-log.c) and by
 * the simulator's own debug log (cs-vpcd.c), which flags everything secret.
 */
#include "config.h"

#include <string.h>

#include "cl-apdu.h"
#include "cl-redact.h"

#define SLE_PSC_FIRST 0x3FE
#define SLE_PSC_LAST 0x3FF

static gboolean
is_sle_cla (guint8 cla)
{
  return cla == 0xFF;
}

static gboolean
command_data_is_secret (const guint8 *h)
{
  guint8 cla = h[0], ins = h[1];

  if (is_sle_cla (cla))
    return ins == 0x20 || ins == 0x21; /* PRESENT CODE; OMNIKEY MODIFY */
  if (ins == 0x20 || ins == 0x24) /* VERIFY, (PIN) UNBLOCK */
    return TRUE;
  if ((cla & 0xF0) == 0x80) /* proprietary class: FMCOS */
    return ins == 0x5E || ins == 0xD4; /* PIN RELOAD/CHANGE, WRITE KEY */
  return FALSE;
}

static gboolean
response_is_secret (const guint8 *h)
{
  /* INTERNAL AUTHENTICATE answers can be PSCs and key halves. */
  return !is_sle_cla (h[0]) && h[1] == 0x88;
}

static guint
sle_address (const guint8 *h)
{
  return ((h[2] & 0x03) << 8) | h[3];
}

/* Marks the bytes of an SLE4428 transfer starting at `addr` that fall on
 * the PSC (0x3FE-0x3FF). */
static void
mask_sle_psc (gboolean *mask, gsize offset, gsize count, guint addr)
{
  for (gsize i = 0; i < count; i++)
    if (addr + i >= SLE_PSC_FIRST && addr + i <= SLE_PSC_LAST)
      mask[offset + i] = TRUE;
}

static char *
format_hex (const guint8 *bytes, const gboolean *mask, gsize len, gboolean spaced)
{
  GString *s = g_string_sized_new (len * 3 + 1);

  for (gsize i = 0; i < len; i++)
    {
      if (spaced && i > 0)
        g_string_append_c (s, ' ');
      if (mask[i])
        g_string_append (s, "**");
      else
        g_string_append_printf (s, "%02X", bytes[i]);
    }
  return g_string_free (s, FALSE);
}

void
cl_log_redact (const guint8 *capdu, gsize clen, ClApduFlags flags, const guint8 *rapdu, gsize rlen,
               gboolean spaced, char **cmd_hex, char **resp_hex)
{
  g_autofree gboolean *cmask = g_new0 (gboolean, clen + 1);
  g_autofree gboolean *rmask = g_new0 (gboolean, rlen + 1);
  gsize data_off = 0, data_len = 0, rdata_len = rlen >= 2 ? rlen - 2 : rlen;
  ClApdu parsed;

  g_return_if_fail (capdu != NULL || clen == 0);
  g_return_if_fail (cmd_hex != NULL);

  if (clen >= 4)
    {
      if (cl_apdu_parse (capdu, clen, &parsed, NULL))
        {
          data_off = parsed.lc > 0 ? (gsize) (parsed.data - capdu) : 0;
          data_len = parsed.lc;
        }
      else if (clen > 5)
        {
          /* Unparsable: treat everything after the header as data. */
          data_off = 4;
          data_len = clen - 4;
        }

      if ((flags & CL_APDU_FLAG_SECRET_DATA) || command_data_is_secret (capdu))
        for (gsize i = 0; i < data_len; i++)
          cmask[data_off + i] = TRUE;
      else if (is_sle_cla (capdu[0]) && (capdu[1] == 0xD0 || capdu[1] == 0xD1 || capdu[1] == 0xD6))
        mask_sle_psc (cmask, data_off, data_len, sle_address (capdu));

      if ((flags & CL_APDU_FLAG_SECRET_RESPONSE) || response_is_secret (capdu))
        for (gsize i = 0; i < rdata_len; i++)
          rmask[i] = TRUE;
      else if (is_sle_cla (capdu[0]) && (capdu[1] == 0x20 || capdu[1] == 0x21))
        {
          /* Old ACR38 firmware echoes the code: ERRCNT CODE1 CODE2 90 00. */
          for (gsize i = 1; i < rdata_len; i++)
            rmask[i] = TRUE;
        }
      else if (is_sle_cla (capdu[0]) && (capdu[1] == 0xB0 || capdu[1] == 0xB2))
        mask_sle_psc (rmask, 0, rdata_len, sle_address (capdu));
    }
  else if (flags & CL_APDU_FLAG_SECRET_RESPONSE)
    for (gsize i = 0; i < rdata_len; i++)
      rmask[i] = TRUE;

  *cmd_hex = format_hex (capdu, cmask, clen, spaced);
  if (resp_hex != NULL)
    *resp_hex = rapdu != NULL ? format_hex (rapdu, rmask, rdata_len, spaced) : NULL;
}

gboolean
cl_redact_reply_is_secret (const guint8 *capdu, gsize clen)
{
  return clen >= 2 && response_is_secret (capdu);
}
