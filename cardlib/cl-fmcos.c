/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-fmcos.c: FMCOS 2.0 commands, secure messaging and authorities.
 *
 * Command formats: docs/card-formats.md, "FMCOS simulator"; choices the sources leave open are the
 * simulator's (docs/card-formats.md, "FMCOS CPU card simulator").  The
 * last-try interlock and the MCC authority are described in
 * docs/card-formats.md, "Key operations via the MCC".
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-cmd-private.h"
#include "cl-crypto.h"
#include "cl-error.h"
#include "cl-fmcos.h"
#include "cl-log.h"
#include "cl-session.h"
#include "cl-sw.h"

#define CHUNK 250 /* bytes per READ/UPDATE BINARY */
#define LINE_MAX_PLAIN 239 /* so that the cipher of LD ‖ data ‖ pad fits 256 */
#define MAX_PIN 8

/* -- tries bookkeeping (per connection, on the ClCard) */

static char *
tries_key (gboolean is_pin, guint8 kid)
{
  return g_strdup_printf ("cl-fmcos-tries-%s-%02X", is_pin ? "pin" : "key", kid);
}

static void
set_known_tries (ClCard *card, gboolean is_pin, guint8 kid, gint tries)
{
  g_autofree char *k = tries_key (is_pin, kid);

  /* Stored +1 so that 0 means "unknown". */
  g_object_set_data (G_OBJECT (card), k, GINT_TO_POINTER (tries < 0 ? 0 : tries + 1));
}

gint
cl_fmcos_get_known_tries (ClCard *card, gboolean is_pin, guint8 kid)
{
  g_autofree char *k = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), CL_FMCOS_TRIES_UNKNOWN);

  k = tries_key (is_pin, kid);
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (card), k)) - 1;
}

/* Refuses to spend a last try, or any try on a blocked PIN/key. */
static gboolean
interlock (gint tries, gboolean allow_last_try, gboolean is_pin, GError **error)
{
  if (tries == 0)
    {
      g_set_error_literal (error, CL_ERROR, CL_ERROR_LOCKED,
                           is_pin ? _ ("The PIN is blocked: no tries are left. It must be "
                                       "unblocked with the master control card.")
                                  : _ ("The card's key is blocked: no tries are left."));
      return FALSE;
    }
  if (tries == 1 && !allow_last_try)
    {
      g_set_error_literal (error, CL_ERROR, CL_ERROR_LAST_TRY,
                           is_pin ? _ ("Only one PIN try is left. A wrong PIN now would block "
                                       "the card; confirm explicitly to go on.")
                                  : _ ("Only one authentication try is left for this card's "
                                       "key. A failure now would block it; confirm explicitly "
                                       "to go on."));
      return FALSE;
    }
  return TRUE;
}

/* -- helpers */

static ClResponse *
tx (ClCard *card, guint8 cla, guint8 ins, guint8 p1, guint8 p2, const guint8 *data, gsize lc,
    gint le, ClApduFlags flags, GCancellable *cancellable, GError **error)
{
  return cl_cmd_transmit (card, cla, ins, p1, p2, data, lc, le, flags, cancellable, error);
}

/* One command expecting 9000; optionally returns the reply data. */
static gboolean
simple (ClCard *card, const char *what, guint8 cla, guint8 ins, guint8 p1, guint8 p2,
        const guint8 *data, gsize lc, gint le, ClApduFlags flags, GBytes **out,
        GCancellable *cancellable, GError **error)
{
  g_autoptr (ClResponse) resp = NULL;
  gboolean ok;

  if (!cl_session_begin (card, cancellable, error))
    return FALSE;
  resp = tx (card, cla, ins, p1, p2, data, lc, le, flags, cancellable, error);
  ok = resp != NULL && cl_cmd_check (resp, what, error);
  if (ok && out != NULL)
    *out = g_bytes_new (resp->data, resp->len);
  cl_session_end (card);
  return ok;
}

static gboolean
check_sfi (guint8 sfi, guint offset, GError **error)
{
  if (sfi > 0x1F || (sfi != 0 && offset > 0xFF) || offset > 0x7FFF)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Invalid short file id %u or offset %u."), sfi, offset);
      return FALSE;
    }
  return TRUE;
}

/* -- files */

gboolean
cl_fmcos_select_fid (ClCard *card, guint16 fid, GBytes **fci, GCancellable *cancellable,
                     GError **error)
{
  guint8 d[2] = { fid >> 8, fid & 0xFF };
  g_autofree char *what = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  what = g_strdup_printf (_ ("Selecting file %04X"), fid);
  return simple (card, what, 0x00, 0xA4, 0x00, 0x00, d, 2, CL_LE_NONE, 0, fci, cancellable, error);
}

gboolean
cl_fmcos_select_name (ClCard *card, const guint8 *name, gsize len, GBytes **fci,
                      GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (name != NULL && len > 0 && len <= 16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return simple (card, _ ("Selecting the application"), 0x00, 0xA4, 0x04, 0x00, name, len,
                 CL_LE_NONE, 0, fci, cancellable, error);
}

GBytes *
cl_fmcos_read_binary (ClCard *card, guint8 sfi, guint offset, gsize len, GCancellable *cancellable,
                      GError **error)
{
  g_autoptr (GByteArray) out = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (len > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_sfi (sfi, offset, error) || !cl_session_begin (card, cancellable, error))
    return NULL;
  out = g_byte_array_sized_new (len);
  while (out->len < len)
    {
      guint off = offset + out->len;
      gsize n = MIN (len - out->len, CHUNK);
      g_autoptr (ClResponse) resp = NULL;
      /* The first read by SFI makes that EF current; go on by offset. */
      gboolean by_sfi = sfi != 0 && out->len == 0;

      resp = tx (card, 0x00, 0xB0, by_sfi ? 0x80 | sfi : (off >> 8) & 0x7F, off & 0xFF, NULL, 0, n,
                 0, cancellable, error);
      if (resp == NULL || !cl_cmd_check (resp, _ ("Reading a file"), error))
        goto fail;
      if (resp->len == 0 || resp->len > n)
        {
          g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                       _ ("The card returned %zu bytes instead of %zu."), resp->len, n);
          goto fail;
        }
      g_byte_array_append (out, resp->data, resp->len);
    }
  cl_session_end (card);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
fail:
  cl_session_end (card);
  return NULL;
}

gboolean
cl_fmcos_update_binary (ClCard *card, guint8 sfi, guint offset, const guint8 *data, gsize len,
                        GCancellable *cancellable, GError **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (data != NULL && len > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_sfi (sfi, offset, error) || !cl_session_begin (card, cancellable, error))
    return FALSE;
  for (gsize done = 0; ok && done < len;)
    {
      guint off = offset + done;
      gsize n = MIN (len - done, CHUNK);
      gboolean by_sfi = sfi != 0 && done == 0;
      g_autoptr (ClResponse) resp = NULL;

      resp = tx (card, 0x00, 0xD6, by_sfi ? 0x80 | sfi : (off >> 8) & 0x7F, off & 0xFF, data + done,
                 n, CL_LE_NONE, 0, cancellable, error);
      ok = resp != NULL && cl_cmd_check (resp, _ ("Writing a file"), error);
      done += n;
    }
  cl_session_end (card);
  return ok;
}

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
  g_autoptr (ClKey) plain = NULL;
  const guint8 *p;
  gsize ld;

  g_return_val_if_fail (key != NULL && cipher != NULL, NULL);

  if (len == 0 || len % 8 != 0 || len > 256)
    goto bad;
  plain = cl_key_new (len);
  if (!cl_des_ecb_decrypt (key, cipher, len, cl_key_get_data_mutable (plain), error))
    return NULL;
  p = cl_key_get_data (plain);
  ld = p[0];
  /* LD ‖ data ‖ 80 00..: the 80 must follow the data, zeros after it. */
  if (ld + 2 > len || p[1 + ld] != 0x80)
    goto bad;
  for (gsize i = ld + 2; i < len; i++)
    if (p[i] != 0)
      goto bad;
  return cl_key_new_from_data (p + 1, ld);
bad:
  g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
               _ ("The encrypted data from the card does not decrypt correctly: wrong key?"));
  return NULL;
}

gboolean
cl_fmcos_get_challenge (ClCard *card, guint8 *out, gsize len, GCancellable *cancellable,
                        GError **error)
{
  g_autoptr (GBytes) b = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (out != NULL && (len == 4 || len == 8), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!simple (card, _ ("Getting a random number from the card"), 0x00, 0x84, 0, 0, NULL, 0, len, 0,
               &b, cancellable, error))
    return FALSE;
  if (g_bytes_get_size (b) != len)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                   _ ("The card returned a random number of the wrong length."));
      return FALSE;
    }
  memcpy (out, g_bytes_get_data (b, NULL), len);
  return TRUE;
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

  if (len > CHUNK - 4)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Too much data for one protected write (%zu bytes)."), len);
      return FALSE;
    }
  if (!check_sfi (sfi, offset, error) || !cl_session_begin (card, cancellable, error))
    return FALSE;
  if (cl_fmcos_get_challenge (card, chal, 4, cancellable, error)
      && cl_fmcos_sm_mac (mac_key, chal, 0x04, 0xD6, p1, p2, data, len, mac, error))
    {
      buf = g_malloc (len + 4);
      memcpy (buf, data, len);
      memcpy (buf + len, mac, 4);
      ok = simple (card, _ ("Writing a protected file"), 0x04, 0xD6, p1, p2, buf, len + 4,
                   CL_LE_NONE, 0, NULL, cancellable, error);
    }
  cl_session_end (card);
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

  if (len > LINE_MAX_PLAIN)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Too much data for one encrypted read (%zu bytes)."), len);
      return NULL;
    }
  if (!check_sfi (sfi, offset, error) || !cl_session_begin (card, cancellable, error))
    return NULL;
  /* 04 B0 p1 p2 04 MAC4 Le: the MAC (line key, challenge IV) proves the
   * host; the reply is the cipher, fetched by GET RESPONSE below us. */
  if (cl_fmcos_get_challenge (card, chal, 4, cancellable, error)
      && cl_fmcos_sm_mac (line_key, chal, 0x04, 0xB0, p1, p2, NULL, 0, mac, error))
    resp = tx (card, 0x04, 0xB0, p1, p2, mac, 4, len, CL_APDU_FLAG_SECRET_RESPONSE, cancellable,
               error);
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
  cl_session_end (card);
  return plain;
}

GBytes *
cl_fmcos_read_record (ClCard *card, guint8 sfi, guint8 record, GCancellable *cancellable,
                      GError **error)
{
  GBytes *out = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (sfi <= 0x1F && record > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Le 00: the card answers 6Cxx with the record length, resent below us. */
  if (!simple (card, _ ("Reading a record"), 0x00, 0xB2, record, (sfi << 3) | 0x04, NULL, 0, 256, 0,
               &out, cancellable, error))
    return NULL;
  return out;
}

gboolean
cl_fmcos_update_record (ClCard *card, guint8 sfi, guint8 record, const guint8 *data, gsize len,
                        GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (sfi <= 0x1F && record > 0 && data != NULL && len > 0 && len <= 255, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return simple (card, _ ("Writing a record"), 0x00, 0xDC, record, (sfi << 3) | 0x04, data, len,
                 CL_LE_NONE, 0, NULL, cancellable, error);
}

gboolean
cl_fmcos_append_record (ClCard *card, guint8 sfi, const guint8 *data, gsize len,
                        GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (sfi <= 0x1F && data != NULL && len > 0 && len <= 255, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return simple (card, _ ("Adding a record"), 0x00, 0xE2, 0x00, sfi << 3, data, len, CL_LE_NONE, 0,
                 NULL, cancellable, error);
}

/* -- creation */

static gboolean
create (ClCard *card, guint16 fid, const guint8 *d, gsize len, GCancellable *cancellable,
        GError **error)
{
  g_autofree char *what = g_strdup_printf (_ ("Creating file %04X"), fid);

  return simple (card, what, 0x80, 0xE0, fid >> 8, fid & 0xFF, d, len, CL_LE_NONE, 0, NULL,
                 cancellable, error);
}

gboolean
cl_fmcos_create_df (ClCard *card, guint16 fid, guint16 space, guint8 create_right,
                    guint8 erase_right, guint8 app_id, const guint8 *name, gsize name_len,
                    GCancellable *cancellable, GError **error)
{
  guint8 d[9 + 16] = {
    0x38, space >> 8, space & 0xFF, create_right, erase_right, app_id, 0xFF, 0xFF
  };

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (name_len <= 16 && (name != NULL || name_len == 0), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name_len > 0)
    memcpy (d + 8, name, name_len);
  return create (card, fid, d, 8 + name_len, cancellable, error);
}

gboolean
cl_fmcos_create_key_file (ClCard *card, guint16 fid, guint16 space, guint8 df_sfi, guint8 add_right,
                          GCancellable *cancellable, GError **error)
{
  guint8 d[7] = { 0x3F, space >> 8, space & 0xFF, df_sfi, add_right, 0xFF, 0xFF };

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return create (card, fid, d, sizeof d, cancellable, error);
}

gboolean
cl_fmcos_create_ef (ClCard *card, guint16 fid, guint8 type, guint16 size, guint8 read_right,
                    guint8 write_right, guint8 access, GCancellable *cancellable, GError **error)
{
  guint8 d[7] = { type, size >> 8, size & 0xFF, read_right, write_right, 0xFF, access };

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return create (card, fid, d, sizeof d, cancellable, error);
}

gboolean
cl_fmcos_erase_df (ClCard *card, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return simple (card, _ ("Erasing the card's files"), 0x80, 0x0E, 0, 0, NULL, 0, CL_LE_NONE, 0,
                 NULL, cancellable, error);
}

/* -- authentication and PINs */

/* Maps the answer to a PIN/key check; records the tries the card gave. */
static gboolean
check_tries_reply (ClCard *card, const ClResponse *resp, gboolean is_pin, guint8 kid,
                   const char *what, gint *tries_left, GError **error)
{
  if (resp->sw == 0x9000)
    {
      set_known_tries (card, is_pin, kid, CL_FMCOS_TRIES_UNKNOWN);
      return TRUE;
    }
  if ((resp->sw & 0xFFF0) == 0x63C0 || resp->sw == 0x6983)
    {
      gint n = resp->sw == 0x6983 ? 0 : resp->sw & 0x0F;

      set_known_tries (card, is_pin, kid, n);
      if (tries_left)
        *tries_left = n;
      if (!is_pin && n > 0)
        {
          g_autoptr (GError) local = NULL;

          local = g_error_new (CL_ERROR, CL_ERROR_AUTH_FAILED,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "%s: the card refused the authentication; %d try "
                                            "left.",
                                            "%s: the card refused the authentication; %d tries "
                                            "left.",
                                            n),
                               what, n);
          cl_log_error (NULL, local);
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  cl_set_error_from_sw (error, resp->sw, what);
  return FALSE;
}

gboolean
cl_fmcos_external_authenticate (ClCard *card, guint8 kid, const guint8 cryptogram[8],
                                gint *tries_left, GCancellable *cancellable, GError **error)
{
  g_autoptr (ClResponse) resp = NULL;
  gboolean ok = FALSE;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (cryptogram != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (tries_left)
    *tries_left = CL_FMCOS_TRIES_UNKNOWN;
  if (!cl_session_begin (card, cancellable, error))
    return FALSE;
  resp = tx (card, 0x00, 0x82, 0x00, kid, cryptogram, 8, CL_LE_NONE, 0, cancellable, error);
  if (resp != NULL)
    ok = check_tries_reply (card, resp, FALSE, kid, _ ("External authentication"), tries_left,
                            error);
  cl_session_end (card);
  return ok;
}

ClKey *
cl_fmcos_internal_authenticate (ClCard *card, guint8 kid, const guint8 *data, gsize len,
                                GCancellable *cancellable, GError **error)
{
  g_autoptr (ClResponse) resp = NULL;
  ClKey *out = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (data != NULL && len > 0 && len <= 255, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cl_session_begin (card, cancellable, error))
    return NULL;
  resp = tx (card, 0x00, 0x88, 0x00, kid, data, len, CL_LE_NONE,
             CL_APDU_FLAG_SECRET_DATA | CL_APDU_FLAG_SECRET_RESPONSE, cancellable, error);
  if (resp != NULL && cl_cmd_check (resp, _ ("Computing with the card's key"), error))
    {
      if (resp->len == 0)
        g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                     _ ("The card returned no result for the computation."));
      else
        out = cl_key_new_from_data (resp->data, resp->len);
    }
  cl_session_end (card);
  return out;
}

/* The ISO probe: VERIFY without data reports the tries left (63Cx). */
static gint
probe_pin_tries (ClCard *card, guint8 kid, GCancellable *cancellable, GError **error)
{
  g_autoptr (ClResponse) resp = NULL;

  resp = tx (card, 0x00, 0x20, 0x00, kid, NULL, 0, CL_LE_NONE, 0, cancellable, error);
  if (resp == NULL)
    return -2;
  if ((resp->sw & 0xFFF0) == 0x63C0)
    return resp->sw & 0x0F;
  if (resp->sw == 0x6983)
    return 0;
  return cl_fmcos_get_known_tries (card, TRUE, kid);
}

static gboolean
verify_in_session (ClCard *card, guint8 kid, const ClKey *pin, gboolean allow_last_try,
                   gint *tries_left, GCancellable *cancellable, GError **error)
{
  g_autoptr (ClResponse) resp = NULL;
  gint tries;

  tries = probe_pin_tries (card, kid, cancellable, error);
  if (tries == -2)
    return FALSE;
  if (tries_left)
    *tries_left = tries;
  if (!interlock (tries, allow_last_try, TRUE, error))
    return FALSE;
  resp = tx (card, 0x00, 0x20, 0x00, kid, cl_key_get_data (pin), cl_key_get_length (pin),
             CL_LE_NONE, CL_APDU_FLAG_SECRET_DATA, cancellable, error);
  if (resp == NULL)
    return FALSE;
  return check_tries_reply (card, resp, TRUE, kid, _ ("Checking the PIN"), tries_left, error);
}

gboolean
cl_fmcos_verify (ClCard *card, guint8 kid, const ClKey *pin, gboolean allow_last_try,
                 gint *tries_left, GCancellable *cancellable, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (
      pin != NULL && cl_key_get_length (pin) > 0 && cl_key_get_length (pin) <= MAX_PIN, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (tries_left)
    *tries_left = CL_FMCOS_TRIES_UNKNOWN;
  if (!cl_session_begin (card, cancellable, error))
    return FALSE;
  ok = verify_in_session (card, kid, pin, allow_last_try, tries_left, cancellable, error);
  cl_session_end (card);
  return ok;
}

gboolean
cl_fmcos_pin_change (ClCard *card, guint8 kid, const ClKey *old_pin, const ClKey *new_pin,
                     gboolean allow_last_try, gint *tries_left, GCancellable *cancellable,
                     GError **error)
{
  g_autoptr (ClKey) d = NULL;
  g_autoptr (ClResponse) resp = NULL;
  gsize ol, nl;
  gint tries;
  gboolean ok = FALSE;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (old_pin != NULL && new_pin != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ol = cl_key_get_length (old_pin);
  nl = cl_key_get_length (new_pin);
  g_return_val_if_fail (ol > 0 && ol <= MAX_PIN && nl > 0 && nl <= MAX_PIN, FALSE);

  if (tries_left)
    *tries_left = CL_FMCOS_TRIES_UNKNOWN;
  if (!cl_session_begin (card, cancellable, error))
    return FALSE;
  tries = probe_pin_tries (card, kid, cancellable, error);
  if (tries == -2 || !interlock (tries, allow_last_try, TRUE, error))
    goto out;
  d = cl_key_new (ol + 1 + nl);
  memcpy (cl_key_get_data_mutable (d), cl_key_get_data (old_pin), ol);
  cl_key_get_data_mutable (d)[ol] = 0xFF;
  memcpy (cl_key_get_data_mutable (d) + ol + 1, cl_key_get_data (new_pin), nl);
  resp = tx (card, 0x80, 0x5E, 0x01, kid, cl_key_get_data (d), ol + 1 + nl, CL_LE_NONE,
             CL_APDU_FLAG_SECRET_DATA, cancellable, error);
  if (resp != NULL)
    ok = check_tries_reply (card, resp, TRUE, kid, _ ("Changing the PIN"), tries_left, error);
out:
  cl_session_end (card);
  return ok;
}

gboolean
cl_fmcos_pin_reload (ClCard *card, guint8 kid, const ClKey *reload_key, const ClKey *new_pin,
                     GCancellable *cancellable, GError **error)
{
  g_autoptr (ClKey) d = NULL;
  guint8 mac[8];
  gsize nl;
  gboolean ok;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (reload_key != NULL && new_pin != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  nl = cl_key_get_length (new_pin);
  g_return_val_if_fail (nl > 0 && nl <= MAX_PIN, FALSE);

  /* PBOC reload: MAC of the new PIN under the reload key, IV 0. */
  if (!cl_mac3 (reload_key, NULL, CL_PAD_METHOD_2, cl_key_get_data (new_pin), nl, mac, error))
    return FALSE;
  d = cl_key_new (nl + 4);
  memcpy (cl_key_get_data_mutable (d), cl_key_get_data (new_pin), nl);
  memcpy (cl_key_get_data_mutable (d) + nl, mac, 4);
  cl_secure_wipe (mac, sizeof mac);
  ok = simple (card, _ ("Resetting the PIN"), 0x80, 0x5E, 0x00, kid, cl_key_get_data (d), nl + 4,
               CL_LE_NONE, CL_APDU_FLAG_SECRET_DATA, NULL, cancellable, error);
  if (ok)
    set_known_tries (card, TRUE, kid, CL_FMCOS_TRIES_UNKNOWN);
  return ok;
}

/* Cipher+MAC command: challenge, E_k(LD ‖ plain), MAC4 over the header. */
static gboolean
secure_command (ClCard *card, const char *what, guint8 cla, guint8 ins, guint8 p1, guint8 p2,
                const guint8 *plain, gsize plain_len, const ClKey *enc_key, const ClKey *mac_key,
                GCancellable *cancellable, GError **error)
{
  g_autofree guint8 *cipher = NULL;
  g_autofree guint8 *buf = NULL;
  guint8 chal[4], mac[4];
  gsize clen = 0;
  gboolean ok = FALSE;

  if (!cl_session_begin (card, cancellable, error))
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
  ok = simple (card, what, cla, ins, p1, p2, buf, clen + 4, CL_LE_NONE, CL_APDU_FLAG_SECRET_DATA,
               NULL, cancellable, error);
out:
  cl_session_end (card);
  return ok;
}

gboolean
cl_fmcos_update_binary_encrypt (ClCard *card, guint8 sfi, guint offset, const ClKey *data,
                                const ClKey *line_key, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (data != NULL && line_key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_sfi (sfi, offset, error))
    return FALSE;
  if (cl_key_get_length (data) == 0 || cl_key_get_length (data) > LINE_MAX_PLAIN)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Too much data for one encrypted write (%zu bytes)."),
                   cl_key_get_length (data));
      return FALSE;
    }
  return secure_command (card, _ ("Writing an encrypted file"), 0x04, 0xD6,
                         sfi != 0 ? 0x80 | sfi : (offset >> 8) & 0x7F, offset & 0xFF,
                         cl_key_get_data (data), cl_key_get_length (data), line_key, line_key,
                         cancellable, error);
}

gboolean
cl_fmcos_pin_unblock (ClCard *card, guint8 kid, guint8 unblock_kid, const ClKey *unblock_key,
                      const ClKey *new_pin, GCancellable *cancellable, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (unblock_key != NULL && new_pin != NULL, FALSE);
  g_return_val_if_fail (cl_key_get_length (new_pin) > 0 && cl_key_get_length (new_pin) <= MAX_PIN,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  ok = secure_command (card, _ ("Unblocking the PIN"), 0x84, 0x24, kid, unblock_kid,
                       cl_key_get_data (new_pin), cl_key_get_length (new_pin), unblock_key,
                       unblock_key, cancellable, error);
  if (ok)
    set_known_tries (card, TRUE, kid, CL_FMCOS_TRIES_UNKNOWN);
  return ok;
}

static ClKey *
key_data (const guint8 *header, gsize header_len, const ClKey *key)
{
  ClKey *d = cl_key_new (header_len + cl_key_get_length (key));

  memcpy (cl_key_get_data_mutable (d), header, header_len);
  memcpy (cl_key_get_data_mutable (d) + header_len, cl_key_get_data (key), cl_key_get_length (key));
  return d;
}

gboolean
cl_fmcos_write_key (ClCard *card, guint8 p1, guint8 kid, const guint8 *header, gsize header_len,
                    const ClKey *key, GCancellable *cancellable, GError **error)
{
  g_autoptr (ClKey) d = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (header != NULL && header_len > 0 && header_len <= 8 && key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  d = key_data (header, header_len, key);
  return simple (card, _ ("Writing a key"), 0x80, 0xD4, p1, kid, cl_key_get_data (d),
                 cl_key_get_length (d), CL_LE_NONE, CL_APDU_FLAG_SECRET_DATA, NULL, cancellable,
                 error);
}

gboolean
cl_fmcos_write_key_secure (ClCard *card, guint8 p1, guint8 kid, const guint8 *header,
                           gsize header_len, const ClKey *key, const ClKey *protect_key,
                           GCancellable *cancellable, GError **error)
{
  g_autoptr (ClKey) d = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (header != NULL && header_len > 0 && header_len <= 8 && key != NULL
                            && protect_key != NULL,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  d = key_data (header, header_len, key);
  return secure_command (card, _ ("Writing a key"), 0x84, 0xD4, p1, kid, cl_key_get_data (d),
                         cl_key_get_length (d), protect_key, protect_key, cancellable, error);
}

/* -- authorities */

typedef enum {
  AUTH_KEY,
  AUTH_MCC,
} AuthorityKind;

struct _ClAuthority {
  AuthorityKind kind;
  ClKey *key; /* AUTH_KEY */
  ClCard *mcc; /* AUTH_MCC */
  guint8 mk_kid;
};

ClAuthority *
cl_authority_new_key (const ClKey *key)
{
  ClAuthority *a;

  g_return_val_if_fail (key != NULL, NULL);

  a = g_new0 (ClAuthority, 1);
  a->kind = AUTH_KEY;
  a->key = cl_key_dup (key);
  return a;
}

ClAuthority *
cl_authority_new_mcc (ClCard *mcc, guint8 mk_kid)
{
  ClAuthority *a;

  g_return_val_if_fail (CL_IS_CARD (mcc), NULL);

  a = g_new0 (ClAuthority, 1);
  a->kind = AUTH_MCC;
  a->mcc = g_object_ref (mcc);
  a->mk_kid = mk_kid;
  return a;
}

void
cl_authority_free (ClAuthority *authority)
{
  if (authority == NULL)
    return;
  g_clear_pointer (&authority->key, cl_key_free);
  g_clear_object (&authority->mcc);
  g_free (authority);
}

/* CMK(X) = E_MK(SN) ‖ E_MK(~SN), each half computed by the MCC.  The key
 * exists on the host only in locked memory, for one cryptogram. */
static ClKey *
mcc_card_key (ClAuthority *a, const guint8 serial[8], GCancellable *cancellable, GError **error)
{
  g_autoptr (ClKey) left = NULL;
  g_autoptr (ClKey) right = NULL;
  guint8 inv[8];

  for (guint i = 0; i < 8; i++)
    inv[i] = ~serial[i];
  if (!cl_session_begin (a->mcc, cancellable, error))
    return NULL;
  left = cl_fmcos_internal_authenticate (a->mcc, a->mk_kid, serial, 8, cancellable, error);
  if (left != NULL)
    right = cl_fmcos_internal_authenticate (a->mcc, a->mk_kid, inv, 8, cancellable, error);
  cl_session_end (a->mcc);
  cl_secure_wipe (inv, sizeof inv);
  if (right == NULL)
    return NULL;
  if (cl_key_get_length (left) != 8 || cl_key_get_length (right) != 8)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                   _ ("The master control card returned a result of the wrong length."));
      return NULL;
    }
  return cl_key_concat (left, right);
}

gboolean
cl_authority_external_authenticate (ClAuthority *authority, ClCard *target, const guint8 serial[8],
                                    guint8 kid, gboolean allow_last_try, GCancellable *cancellable,
                                    GError **error)
{
  g_autoptr (ClKey) card_key = NULL;
  guint8 chal[8], crypt[8];
  gboolean ok = FALSE;

  g_return_val_if_fail (authority != NULL, FALSE);
  g_return_val_if_fail (CL_IS_CARD (target), FALSE);
  g_return_val_if_fail (authority->kind != AUTH_MCC || serial != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (authority->kind == AUTH_MCC && target == authority->mcc)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_WRONG_CARD,
                   _ ("The master control card cannot authenticate to itself; put the other "
                      "card in the user reader."));
      return FALSE;
    }
  if (!interlock (cl_fmcos_get_known_tries (target, FALSE, kid), allow_last_try, FALSE, error))
    return FALSE;

  /* The card key first: the challenge must be the card's last command. */
  if (authority->kind == AUTH_MCC)
    card_key = mcc_card_key (authority, serial, cancellable, error);
  else
    card_key = cl_key_dup (authority->key);
  if (card_key == NULL)
    return FALSE;

  if (!cl_session_begin (target, cancellable, error))
    return FALSE;
  if (cl_fmcos_get_challenge (target, chal, 8, cancellable, error)
      && cl_des_ecb_encrypt (card_key, chal, 8, crypt, error))
    ok = cl_fmcos_external_authenticate (target, kid, crypt, NULL, cancellable, error);
  cl_session_end (target);
  cl_secure_wipe (crypt, sizeof crypt);
  return ok;
}

/* -- async */

typedef struct {
  ClAuthority *authority; /* borrowed: the caller keeps it alive */
  guint8 serial[8];
  gboolean has_serial;
  guint8 kid;
  gboolean allow_last_try;
} ExtAuthData;

static gpointer
ext_auth_thread (ClCard *card, gpointer data, GCancellable *cancellable, GError **error)
{
  ExtAuthData *d = data;

  if (!cl_authority_external_authenticate (d->authority, card, d->has_serial ? d->serial : NULL,
                                           d->kid, d->allow_last_try, cancellable, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

void
cl_authority_external_authenticate_async (ClAuthority *authority, ClCard *target,
                                          const guint8 serial[8], guint8 kid,
                                          gboolean allow_last_try, GCancellable *cancellable,
                                          GAsyncReadyCallback callback, gpointer user_data)
{
  ExtAuthData *d;

  g_return_if_fail (authority != NULL);
  g_return_if_fail (CL_IS_CARD (target));

  d = g_new0 (ExtAuthData, 1);
  d->authority = authority;
  d->has_serial = serial != NULL;
  if (serial != NULL)
    memcpy (d->serial, serial, 8);
  d->kid = kid;
  d->allow_last_try = allow_last_try;
  cl_cmd_run_async (target, cl_authority_external_authenticate_async, ext_auth_thread, d, g_free,
                    NULL, cancellable, callback, user_data);
}

gboolean
cl_authority_external_authenticate_finish (ClCard *target, GAsyncResult *result, GError **error)
{
  return cl_cmd_run_finish (target, result, cl_authority_external_authenticate_async, error)
         != NULL;
}

typedef struct {
  guint8 kid;
  ClKey *pin;
  gboolean allow_last_try;
} VerifyData;

typedef struct {
  gint tries_left;
} VerifyResult;

static void
verify_data_free (VerifyData *d)
{
  g_clear_pointer (&d->pin, cl_key_free);
  g_free (d);
}

static gpointer
verify_thread (ClCard *card, gpointer data, GCancellable *cancellable, GError **error)
{
  VerifyData *d = data;
  VerifyResult *r = g_new0 (VerifyResult, 1);

  if (!cl_fmcos_verify (card, d->kid, d->pin, d->allow_last_try, &r->tries_left, cancellable,
                        error))
    {
      g_free (r);
      return NULL;
    }
  return r;
}

void
cl_fmcos_verify_async (ClCard *card, guint8 kid, const ClKey *pin, gboolean allow_last_try,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  VerifyData *d;

  g_return_if_fail (CL_IS_CARD (card));
  g_return_if_fail (pin != NULL);

  d = g_new0 (VerifyData, 1);
  d->kid = kid;
  d->pin = cl_key_dup (pin);
  d->allow_last_try = allow_last_try;
  cl_cmd_run_async (card, cl_fmcos_verify_async, verify_thread, d,
                    (GDestroyNotify) verify_data_free, g_free, cancellable, callback, user_data);
}

gboolean
cl_fmcos_verify_finish (ClCard *card, GAsyncResult *result, gint *tries_left, GError **error)
{
  g_autofree VerifyResult *r = NULL;

  r = cl_cmd_run_finish (card, result, cl_fmcos_verify_async, error);
  if (r == NULL)
    return FALSE;
  if (tries_left)
    *tries_left = r->tries_left;
  return TRUE;
}
