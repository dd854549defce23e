/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-fmcos-sm.c: FMCOS secure messaging: the PBOC MAC, line encryption,
 * MAC-protected and encrypted file access, and cipher+MAC commands. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-cmd-private.h"
#include "cl-crypto.h"
#include "cl-error.h"
#include "cl-fmcos-private.h"
#include "cl-fmcos.h"

gboolean
cl_fmcos_sm_mac (const ClKey *key, const guint8 challenge[4], guint8 cla, guint8 ins, guint8 p1,
                 guint8 p2, const guint8 *data, gsize len, guint8 mac[4], GError **error)
{
  g_autofree guint8 *buf = NULL;
  guint8 iv[8] = { 0 }, full[8];
  gboolean ok;

  g_return_val_if_fail (key != NULL && challenge != NULL && mac != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (len + 4 <= 255, FALSE);

  memcpy (iv, challenge, 4);
  buf = g_malloc (5 + len);
  buf[0] = cla;
  buf[1] = ins;
  buf[2] = p1;
  buf[3] = p2;
  buf[4] = len + 4;
  if (len > 0)
    memcpy (buf + 5, data, len);
  ok = cl_mac3 (key, iv, CL_PAD_METHOD_2, buf, 5 + len, full, error);
  if (ok)
    memcpy (mac, full, 4);
  cl_secure_wipe (buf, 5 + len);
  cl_secure_wipe (full, sizeof full);
  return ok;
}

guint8 *
cl_fmcos_line_encrypt (const ClKey *key, const guint8 *data, gsize len, gsize *out_len,
                       GError **error)
{
  g_autofree guint8 *plain = NULL;
  guint8 *padded, *cipher;
  gsize plen;

  g_return_val_if_fail (key != NULL && out_len != NULL, NULL);
  g_return_val_if_fail (len <= 255, NULL);

  plain = g_malloc (len + 1);
  plain[0] = len;
  if (len > 0)
    memcpy (plain + 1, data, len);
  padded = cl_pad (plain, len + 1, CL_PAD_METHOD_2, &plen);
  cl_secure_wipe (plain, len + 1);
  cipher = g_malloc (plen);
  if (!cl_des_ecb_encrypt (key, padded, plen, cipher, error))
    {
      cl_secure_wipe (padded, plen);
      g_free (padded);
      g_free (cipher);
      return NULL;
    }
  cl_secure_wipe (padded, plen);
  g_free (padded);
  *out_len = plen;
  return cipher;
}

ClKey *
cl_fmcos_line_decrypt (const ClKey *key, const guint8 *cipher, gsize len, GError **error)
{
  guint8 p[256]; /* the cipher may be longer than any ClKey: wiped below */
  ClKey *plain = NULL;
  gsize ld;

  g_return_val_if_fail (key != NULL && cipher != NULL, NULL);

  if (len == 0 || len % 8 != 0 || len > sizeof p)
    goto bad;
  if (!cl_des_ecb_decrypt (key, cipher, len, p, error))
    {
      cl_secure_wipe (p, sizeof p);
      return NULL;
    }
  ld = p[0];
  /* LD ‖ data ‖ 80 00..: the 80 must follow the data, zeros after it.
   * The plaintext becomes a ClKey: 1..CL_KEY_MAX_LEN bytes. */
  if (ld == 0 || ld > CL_KEY_MAX_LEN || ld + 2 > len || p[1 + ld] != 0x80)
    goto bad;
  for (gsize i = ld + 2; i < len; i++)
    if (p[i] != 0)
      goto bad;
  plain = cl_key_new_from_data (p + 1, ld);
  cl_secure_wipe (p, sizeof p);
  return plain;
bad:
  cl_secure_wipe (p, sizeof p);
  g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
               _ ("The encrypted data from the card does not decrypt correctly: wrong key?"));
  return NULL;
}

gboolean
cl_fmcos_update_binary_mac (ClCard *card, guint8 sfi, guint offset, const guint8 *data, gsize len,
                            const ClKey *mac_key, GCancellable *cancellable, GError **error)
{
  guint8 chal[4], mac[4];
  g_autofree guint8 *buf = NULL;
  gboolean ok = FALSE;
  guint8 p1 = sfi != 0 ? 0x80 | sfi : (offset >> 8) & 0x7F, p2 = offset & 0xFF;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (data != NULL && len > 0 && mac_key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len > CL_FMCOS_CHUNK - 4)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Too much data for one protected write (%zu bytes)."), len);
      return FALSE;
    }
  if (!cl_fmcos_check_sfi (sfi, offset, error) || !cl_card_begin (card, cancellable, error))
    return FALSE;
  if (cl_fmcos_get_challenge (card, chal, 4, cancellable, error)
      && cl_fmcos_sm_mac (mac_key, chal, 0x04, 0xD6, p1, p2, data, len, mac, error))
    {
      buf = g_malloc (len + 4);
      memcpy (buf, data, len);
      memcpy (buf + len, mac, 4);
      ok = cl_fmcos_simple (card, _ ("Writing a protected file"), 0x04, 0xD6, p1, p2, buf, len + 4,
                            CL_LE_NONE, 0, NULL, cancellable, error);
    }
  cl_card_end (card);
  return ok;
}

ClKey *
cl_fmcos_read_binary_decrypt (ClCard *card, guint8 sfi, guint offset, gsize len,
                              const ClKey *line_key, GCancellable *cancellable, GError **error)
{
  g_autoptr (ClResponse) resp = NULL;
  ClKey *plain = NULL;
  guint8 chal[4], mac[4];
  guint8 p1 = sfi != 0 ? 0x80 | sfi : (offset >> 8) & 0x7F, p2 = offset & 0xFF;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (line_key != NULL && len > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The plaintext comes back as a ClKey, which holds CL_KEY_MAX_LEN bytes. */
  if (len > CL_FMCOS_LINE_MAX_PLAIN || len > CL_KEY_MAX_LEN)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Too much data for one encrypted read (%zu bytes)."), len);
      return NULL;
    }
  if (!cl_fmcos_check_sfi (sfi, offset, error) || !cl_card_begin (card, cancellable, error))
    return NULL;
  /* 04 B0 p1 p2 04 MAC4 Le: the MAC (line key, challenge IV) proves the
   * host; the reply is the cipher, fetched by GET RESPONSE below us. */
  if (cl_fmcos_get_challenge (card, chal, 4, cancellable, error)
      && cl_fmcos_sm_mac (line_key, chal, 0x04, 0xB0, p1, p2, NULL, 0, mac, error))
    resp = cl_cmd_transmit (card, 0x04, 0xB0, p1, p2, mac, 4, len, CL_APDU_FLAG_SECRET_RESPONSE,
                            cancellable, error);
  if (resp != NULL && cl_cmd_check (resp, _ ("Reading an encrypted file"), error))
    {
      plain = cl_fmcos_line_decrypt (line_key, resp->data, resp->len, error);
      if (plain != NULL && cl_key_get_length (plain) != len)
        {
          g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                       _ ("The card returned %zu bytes instead of %zu."), cl_key_get_length (plain),
                       len);
          g_clear_pointer (&plain, cl_key_free);
        }
    }
  cl_card_end (card);
  return plain;
}

/* Cipher+MAC command: challenge, E_k(LD ‖ plain), MAC4 over the header. */
gboolean
cl_fmcos_secure_command (ClCard *card, const char *what, guint8 cla, guint8 ins, guint8 p1,
                         guint8 p2, const guint8 *plain, gsize plain_len, const ClKey *enc_key,
                         const ClKey *mac_key, GCancellable *cancellable, GError **error)
{
  g_autofree guint8 *cipher = NULL;
  g_autofree guint8 *buf = NULL;
  guint8 chal[4], mac[4];
  gsize clen = 0;
  gboolean ok = FALSE;

  if (!cl_card_begin (card, cancellable, error))
    return FALSE;
  if (!cl_fmcos_get_challenge (card, chal, 4, cancellable, error))
    goto out;
  cipher = cl_fmcos_line_encrypt (enc_key, plain, plain_len, &clen, error);
  if (cipher == NULL)
    goto out;
  if (clen + 4 > 255)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT, _ ("Too much data for one command."));
      goto out;
    }
  if (!cl_fmcos_sm_mac (mac_key, chal, cla, ins, p1, p2, cipher, clen, mac, error))
    goto out;
  buf = g_malloc (clen + 4);
  memcpy (buf, cipher, clen);
  memcpy (buf + clen, mac, 4);
  ok = cl_fmcos_simple (card, what, cla, ins, p1, p2, buf, clen + 4, CL_LE_NONE,
                        CL_APDU_FLAG_SECRET_DATA, NULL, cancellable, error);
out:
  cl_card_end (card);
  return ok;
}

gboolean
cl_fmcos_update_binary_encrypt (ClCard *card, guint8 sfi, guint offset, const ClKey *data,
                                const ClKey *line_key, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (data != NULL && line_key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cl_fmcos_check_sfi (sfi, offset, error))
    return FALSE;
  if (cl_key_get_length (data) == 0 || cl_key_get_length (data) > CL_FMCOS_LINE_MAX_PLAIN)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Too much data for one encrypted write (%zu bytes)."),
                   cl_key_get_length (data));
      return FALSE;
    }
  return cl_fmcos_secure_command (card, _ ("Writing an encrypted file"), 0x04, 0xD6,
                                  sfi != 0 ? 0x80 | sfi : (offset >> 8) & 0x7F, offset & 0xFF,
                                  cl_key_get_data (data), cl_key_get_length (data), line_key,
                                  line_key, cancellable, error);
}
