/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-apdu.c: ISO 7816-4 command APDU encoding/parsing and response APDUs.
 *
 * Short form: Lc 1..255 in one byte, Le 1..256 in one byte (256 = 00).
 * Extended form (Lc > 255 or Le > 256): a 00 byte, then Lc in two bytes, and
 * Le in two bytes (65536 = 00 00); when both are present both are extended.
 * le == 0 is accepted as "00" (all available), i.e. the same as 256 short.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-apdu.h"
#include "cl-error.h"
#include "cl-key.h"

#define SHORT_LC_MAX 255
#define SHORT_LE_MAX 256
#define EXT_LC_MAX 65535
#define EXT_LE_MAX 65536

guint8 *
cl_apdu_encode (const ClApdu *apdu, gsize *out_len, GError **error)
{
  gboolean has_le, extended;
  gsize len, pos = 0;
  guint8 *out;

  g_return_val_if_fail (apdu != NULL, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (apdu->lc > EXT_LC_MAX || apdu->le < CL_LE_NONE || apdu->le > EXT_LE_MAX
      || (apdu->lc > 0 && apdu->data == NULL))
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Invalid command for the card (data length %zu, expected length %d)."),
                   apdu->lc, apdu->le);
      return NULL;
    }

  has_le = apdu->le != CL_LE_NONE;
  extended = apdu->lc > SHORT_LC_MAX || (has_le && apdu->le > SHORT_LE_MAX);

  len = 4;
  if (apdu->lc > 0)
    len += (extended ? 3 : 1) + apdu->lc;
  if (has_le)
    len += extended ? (apdu->lc > 0 ? 2 : 3) : 1;

  out = g_malloc (len);
  out[pos++] = apdu->cla;
  out[pos++] = apdu->ins;
  out[pos++] = apdu->p1;
  out[pos++] = apdu->p2;
  if (apdu->lc > 0)
    {
      if (extended)
        {
          out[pos++] = 0x00;
          out[pos++] = (apdu->lc >> 8) & 0xFF;
        }
      out[pos++] = apdu->lc & 0xFF;
      memcpy (out + pos, apdu->data, apdu->lc);
      pos += apdu->lc;
    }
  if (has_le)
    {
      /* 256 and 65536 both encode as zeros, by truncation. */
      if (extended)
        {
          if (apdu->lc == 0)
            out[pos++] = 0x00;
          out[pos++] = (apdu->le >> 8) & 0xFF;
        }
      out[pos++] = apdu->le & 0xFF;
    }
  g_assert (pos == len);
  *out_len = len;
  return out;
}

static gboolean
set_parse_error (GError **error, gsize len)
{
  g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE, _ ("Malformed card command (%zu bytes)."),
               len);
  return FALSE;
}

gboolean
cl_apdu_parse (const guint8 *raw, gsize len, ClApdu *out, GError **error)
{
  g_return_val_if_fail (raw != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len < 4)
    return set_parse_error (error, len);

  memset (out, 0, sizeof *out);
  out->cla = raw[0];
  out->ins = raw[1];
  out->p1 = raw[2];
  out->p2 = raw[3];
  out->le = CL_LE_NONE;

  if (len == 4) /* case 1 */
    return TRUE;
  if (len == 5) /* case 2 short; also the T=0 form of case 1 (P3 = 00 = 256) */
    {
      out->le = raw[4] == 0 ? SHORT_LE_MAX : raw[4];
      return TRUE;
    }
  if (raw[4] != 0) /* case 3 or 4 short */
    {
      gsize lc = raw[4];

      if (len == 5 + lc)
        ;
      else if (len == 6 + lc)
        out->le = raw[5 + lc] == 0 ? SHORT_LE_MAX : raw[5 + lc];
      else
        return set_parse_error (error, len);
      out->lc = lc;
      out->data = raw + 5;
      return TRUE;
    }
  if (len == 7) /* case 2 extended */
    {
      guint le = (raw[5] << 8) | raw[6];

      out->le = le == 0 ? EXT_LE_MAX : (gint) le;
      return TRUE;
    }
  if (len > 7) /* case 3 or 4 extended */
    {
      gsize lc = (raw[5] << 8) | raw[6];

      if (lc == 0)
        return set_parse_error (error, len);
      if (len == 7 + lc)
        ;
      else if (len == 9 + lc)
        {
          guint le = (raw[7 + lc] << 8) | raw[8 + lc];

          out->le = le == 0 ? EXT_LE_MAX : (gint) le;
        }
      else
        return set_parse_error (error, len);
      out->lc = lc;
      out->data = raw + 7;
      return TRUE;
    }
  return set_parse_error (error, len);
}

ClResponse *
cl_response_new (const guint8 *raw, gsize len, GError **error)
{
  ClResponse *resp;

  g_return_val_if_fail (raw != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len < 2)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                   _ ("The card gave a reply too short to carry a status (%zu bytes)."), len);
      return NULL;
    }
  resp = g_new0 (ClResponse, 1);
  resp->len = len - 2;
  /* Always a buffer, so callers may read data[0..len) without NULL checks. */
  resp->data = g_malloc (resp->len + 1);
  memcpy (resp->data, raw, resp->len);
  resp->sw = (raw[len - 2] << 8) | raw[len - 1];
  return resp;
}

void
cl_response_free (ClResponse *resp)
{
  if (resp == NULL)
    return;
  /* Replies may carry key material (line-encrypted keys, PSCs). */
  cl_secure_wipe (resp->data, resp->len);
  g_free (resp->data);
  g_free (resp);
}

gboolean
cl_response_ok (const ClResponse *resp)
{
  g_return_val_if_fail (resp != NULL, FALSE);
  return resp->sw == 0x9000;
}
