/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-sle4428-prot.c: the SLE4428's protection bits through the reader's
 * pseudo-APDUs, in both dialects of FF B2 (docs/card-formats.md,
 * "Pseudo-APDUs"). */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-card-private.h"
#include "cl-cmd-private.h"
#include "cl-error.h"
#include "cl-sle4428-private.h"
#include "cl-sle4428.h"

/* FF B2 on CCID firmware returns bits (1 = writable); on old ACR38 firmware
 * it returns memory.  Tell them apart once per connection on the 16
 * factory-protected bytes (header and serial): as bits they read 00 00 and
 * then the bits of 0x010-0x07F, as memory they equal what FF B0 reads.  One
 * byte would not do: a serial byte of 00 looks like eight protect bits. */
#define B2_PROBE_LEN 16

static gboolean
prot_is_bits (ClCard *card, GCancellable *cancellable, GError **error, gboolean *bits)
{
  ClCardDriverState *st = cl_card_get_driver_state (card);
  g_autoptr (ClResponse) resp = NULL;
  g_autoptr (GBytes) mem = NULL;

  if (st->sle_b2 != CL_SLE4428_B2_UNKNOWN)
    {
      *bits = st->sle_b2 == CL_SLE4428_B2_PROTECTION_BITS;
      return TRUE;
    }
  resp = cl_cmd_transmit (card, CLA_READER, INS_READ_PROT, 0, 0, NULL, 0, B2_PROBE_LEN, 0,
                          cancellable, error);
  if (resp == NULL || !cl_cmd_check (resp, _ ("Reading the protection bits"), error))
    return FALSE;
  mem = cl_sle4428_do_read (card, 0, B2_PROBE_LEN, cancellable, error);
  if (mem == NULL)
    return FALSE;
  *bits = !(resp->len >= B2_PROBE_LEN
            && memcmp (resp->data, g_bytes_get_data (mem, NULL), B2_PROBE_LEN) == 0);
  st->sle_b2 = *bits ? CL_SLE4428_B2_PROTECTION_BITS : CL_SLE4428_B2_MEMORY;
  return TRUE;
}

/* Old firmware: FF B0 returns data followed by 1+INT(N/8) protect bytes. */
static gboolean
read_prot_legacy (ClCard *card, guint addr, gsize count, gboolean *out, GCancellable *cancellable,
                  GError **error)
{
  for (gsize done = 0; done < count;)
    {
      guint a = addr + done;
      gsize n = MIN (count - done, 0xEC);
      g_autoptr (ClResponse) resp = NULL;

      resp = cl_cmd_transmit (card, CLA_READER, INS_READ, (a >> 8) & 0x03, a & 0xFF, NULL, 0, n,
                              cl_sle4428_touches_psc (a, n) ? CL_APDU_FLAG_SECRET_RESPONSE : 0,
                              cancellable, error);
      if (resp == NULL || !cl_cmd_check (resp, _ ("Reading the protection bits"), error))
        return FALSE;
      if (resp->len < n + 1 + (n - 1) / 8)
        {
          g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                       _ ("This reader does not report the protection bits of a memory card."));
          return FALSE;
        }
      for (gsize i = 0; i < n; i++)
        out[done + i] = !(resp->data[n + i / 8] & (1 << (i % 8)));
      done += n;
    }
  return TRUE;
}

gboolean
cl_sle4428_read_protection (ClCard *card, guint addr, gsize count, gboolean *protected_out,
                            GCancellable *cancellable, GError **error)
{
  gboolean ok = FALSE, bits = TRUE;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (protected_out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cl_sle4428_check_range (addr, count, error))
    return FALSE;
  BEGIN_OR_RETURN (card, cancellable, error, FALSE);
  if (!cl_sle4428_do_select (card, cancellable, error)
      || !prot_is_bits (card, cancellable, error, &bits))
    goto out;
  if (!bits)
    {
      ok = read_prot_legacy (card, addr, count, protected_out, cancellable, error);
      goto out;
    }
  for (gsize done = 0; done < count;)
    {
      guint a = addr + done;
      gsize nbits = MIN (count - done, MAX_PROT_BYTES * 8 - 8);
      gsize nbytes = 1 + (nbits - 1) / 8;
      guint base = a, shift;
      g_autoptr (ClResponse) resp = NULL;

      /* The reader reads whole bytes of bits: near the end, start earlier. */
      if (base + 8 * nbytes > CL_SLE4428_SIZE)
        base = CL_SLE4428_SIZE - 8 * nbytes;
      shift = a - base;
      resp = cl_cmd_transmit (card, CLA_READER, INS_READ_PROT, (base >> 8) & 0x03, base & 0xFF,
                              NULL, 0, nbytes, 0, cancellable, error);
      if (resp == NULL || !cl_cmd_check (resp, _ ("Reading the protection bits"), error))
        goto out;
      if (!cl_sle4428_check_resp_len (resp, nbytes, error))
        goto out;
      /* PROT1 bit0 = first byte; 0 = write-protected. */
      for (gsize i = 0; i < nbits; i++)
        protected_out[done + i] = !(resp->data[(i + shift) / 8] & (1 << ((i + shift) % 8)));
      done += nbits;
    }
  ok = TRUE;
out:
  cl_card_end (card);
  return ok;
}

gboolean
cl_sle4428_check_protected (ClCard *card, guint addr, gsize len, GCancellable *cancellable,
                            GError **error)
{
  g_autofree gboolean *prot = g_new0 (gboolean, len);

  if (!cl_sle4428_read_protection (card, addr, len, prot, cancellable, error))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!prot[i])
      {
        g_set_error (error, CL_ERROR, CL_ERROR_WRITE_PROTECTED,
                     _ ("Byte 0x%03X could not be write-protected: its contents differ from "
                        "what was expected."),
                     (guint) (addr + i));
        return FALSE;
      }
  return TRUE;
}

char *
cl_sle4428_protection_summary (const gboolean protected_map[CL_SLE4428_SIZE])
{
  GString *s = g_string_new (NULL);
  guint start = 0;

  g_return_val_if_fail (protected_map != NULL, NULL);

  for (guint i = 1; i <= CL_SLE4428_SIZE; i++)
    if (i == CL_SLE4428_SIZE || protected_map[i] != protected_map[start])
      {
        if (s->len > 0)
          g_string_append (s, "; ");
        g_string_append_printf (s, "0x%03X-0x%03X %s", start, i - 1,
                                protected_map[start] ? _ ("protected") : _ ("writable"));
        start = i;
      }
  return g_string_free (s, FALSE);
}
