/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-fmcos.c: FMCOS 2.0 file commands: select, read and update binary
 * files and records, create files, erase a DF, get a challenge.
 *
 * Command formats and the choices the sources leave open: docs/card-formats.md,
 * "FMCOS simulator". */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-cmd-private.h"
#include "cl-error.h"
#include "cl-fmcos-private.h"
#include "cl-fmcos.h"

/* One command expecting 9000; optionally returns the reply data. */
gboolean
cl_fmcos_simple (ClCard *card, const char *what, guint8 cla, guint8 ins, guint8 p1, guint8 p2,
                 const guint8 *data, gsize lc, gint le, ClApduFlags flags, GBytes **out,
                 GCancellable *cancellable, GError **error)
{
  g_autoptr (ClResponse) resp = NULL;
  gboolean ok;

  if (!cl_card_begin (card, cancellable, error))
    return FALSE;
  resp = cl_cmd_transmit (card, cla, ins, p1, p2, data, lc, le, flags, cancellable, error);
  ok = resp != NULL && cl_cmd_check (resp, what, error);
  if (ok && out != NULL)
    *out = g_bytes_new (resp->data, resp->len);
  cl_card_end (card);
  return ok;
}

gboolean
cl_fmcos_check_sfi (guint8 sfi, guint offset, GError **error)
{
  if (sfi > 0x1F || (sfi != 0 && offset > 0xFF) || offset > 0x7FFF)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Invalid short file id %u or offset %u."), sfi, offset);
      return FALSE;
    }
  return TRUE;
}

gboolean
cl_fmcos_select_fid (ClCard *card, guint16 fid, GBytes **fci, GCancellable *cancellable,
                     GError **error)
{
  guint8 d[2] = { fid >> 8, fid & 0xFF };
  g_autofree char *what = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  what = g_strdup_printf (_ ("Selecting file %04X"), fid);
  return cl_fmcos_simple (card, what, 0x00, 0xA4, 0x00, 0x00, d, 2, CL_LE_NONE, 0, fci, cancellable,
                          error);
}

gboolean
cl_fmcos_select_name (ClCard *card, const guint8 *name, gsize len, GBytes **fci,
                      GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (name != NULL && len > 0 && len <= 16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return cl_fmcos_simple (card, _ ("Selecting the application"), 0x00, 0xA4, 0x04, 0x00, name, len,
                          CL_LE_NONE, 0, fci, cancellable, error);
}

/* READ BINARY in chunks into out; flags mark the replies secret. */
static gboolean
read_binary_into (ClCard *card, guint8 sfi, guint offset, gsize len, guint8 *out, ClApduFlags flags,
                  GCancellable *cancellable, GError **error)
{
  gboolean ok = TRUE;

  if (!cl_fmcos_check_sfi (sfi, offset, error) || !cl_card_begin (card, cancellable, error))
    return FALSE;
  for (gsize done = 0; ok && done < len;)
    {
      guint off = offset + done;
      gsize n = MIN (len - done, CL_FMCOS_CHUNK);
      g_autoptr (ClResponse) resp = NULL;
      /* The first read by SFI makes that EF current; go on by offset. */
      gboolean by_sfi = sfi != 0 && done == 0;

      resp = cl_cmd_transmit (card, 0x00, 0xB0, by_sfi ? 0x80 | sfi : (off >> 8) & 0x7F, off & 0xFF,
                              NULL, 0, n, flags, cancellable, error);
      ok = resp != NULL && cl_cmd_check (resp, _ ("Reading a file"), error);
      if (ok && (resp->len == 0 || resp->len > n))
        {
          g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                       _ ("The card returned %zu bytes instead of %zu."), resp->len, n);
          ok = FALSE;
        }
      if (ok)
        {
          memcpy (out + done, resp->data, resp->len);
          done += resp->len;
        }
    }
  cl_card_end (card);
  return ok;
}

GBytes *
cl_fmcos_read_binary (ClCard *card, guint8 sfi, guint offset, gsize len, GCancellable *cancellable,
                      GError **error)
{
  g_autofree guint8 *out = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (len > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = g_malloc (len);
  if (!read_binary_into (card, sfi, offset, len, out, 0, cancellable, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&out), len);
}

ClKey *
cl_fmcos_read_binary_secret (ClCard *card, guint8 sfi, guint offset, gsize len,
                             GCancellable *cancellable, GError **error)
{
  g_autoptr (ClKey) out = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (len > 0 && len <= CL_KEY_MAX_LEN, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  out = cl_key_new (len);
  if (!read_binary_into (card, sfi, offset, len, cl_key_get_data_mutable (out),
                         CL_APDU_FLAG_SECRET_RESPONSE, cancellable, error))
    return NULL;
  return g_steal_pointer (&out);
}

static gboolean
update_binary (ClCard *card, guint8 sfi, guint offset, const guint8 *data, gsize len,
               ClApduFlags flags, GCancellable *cancellable, GError **error)
{
  gboolean ok = TRUE;

  if (!cl_fmcos_check_sfi (sfi, offset, error) || !cl_card_begin (card, cancellable, error))
    return FALSE;
  for (gsize done = 0; ok && done < len;)
    {
      guint off = offset + done;
      gsize n = MIN (len - done, CL_FMCOS_CHUNK);
      gboolean by_sfi = sfi != 0 && done == 0;
      g_autoptr (ClResponse) resp = NULL;

      resp = cl_cmd_transmit (card, 0x00, 0xD6, by_sfi ? 0x80 | sfi : (off >> 8) & 0x7F, off & 0xFF,
                              data + done, n, CL_LE_NONE, flags, cancellable, error);
      ok = resp != NULL && cl_cmd_check (resp, _ ("Writing a file"), error);
      done += n;
    }
  cl_card_end (card);
  return ok;
}

gboolean
cl_fmcos_update_binary (ClCard *card, guint8 sfi, guint offset, const guint8 *data, gsize len,
                        GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (data != NULL && len > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return update_binary (card, sfi, offset, data, len, 0, cancellable, error);
}

gboolean
cl_fmcos_update_binary_secret (ClCard *card, guint8 sfi, guint offset, const ClKey *data,
                               GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return update_binary (card, sfi, offset, cl_key_get_data (data), cl_key_get_length (data),
                        CL_APDU_FLAG_SECRET_DATA, cancellable, error);
}

gboolean
cl_fmcos_get_challenge (ClCard *card, guint8 *out, gsize len, GCancellable *cancellable,
                        GError **error)
{
  g_autoptr (GBytes) b = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (out != NULL && (len == 4 || len == 8), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cl_fmcos_simple (card, _ ("Getting a random number from the card"), 0x00, 0x84, 0, 0, NULL,
                        0, len, 0, &b, cancellable, error))
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

GBytes *
cl_fmcos_read_record (ClCard *card, guint8 sfi, guint8 record, GCancellable *cancellable,
                      GError **error)
{
  GBytes *out = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (sfi <= 0x1F && record > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Le 00: the card answers 6Cxx with the record length, resent below us. */
  if (!cl_fmcos_simple (card, _ ("Reading a record"), 0x00, 0xB2, record, (sfi << 3) | 0x04, NULL,
                        0, 256, 0, &out, cancellable, error))
    return NULL;
  return out;
}

ClKey *
cl_fmcos_read_record_secret (ClCard *card, guint8 sfi, guint8 record, GCancellable *cancellable,
                             GError **error)
{
  g_autoptr (ClResponse) resp = NULL;
  ClKey *out = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (sfi <= 0x1F && record > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  resp = cl_cmd_transmit (card, 0x00, 0xB2, record, (sfi << 3) | 0x04, NULL, 0, 256,
                          CL_APDU_FLAG_SECRET_RESPONSE, cancellable, error);
  if (resp != NULL && cl_cmd_check (resp, _ ("Reading a record"), error))
    {
      if (resp->len == 0)
        g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                     _ ("The card returned an empty record."));
      else
        out = cl_key_new_from_data (resp->data, resp->len);
    }
  return out;
}

gboolean
cl_fmcos_update_record_secret (ClCard *card, guint8 sfi, guint8 record, const ClKey *data,
                               GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (
      sfi <= 0x1F && record > 0 && data != NULL && cl_key_get_length (data) <= 255, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return cl_fmcos_simple (card, _ ("Writing a record"), 0x00, 0xDC, record, (sfi << 3) | 0x04,
                          cl_key_get_data (data), cl_key_get_length (data), CL_LE_NONE,
                          CL_APDU_FLAG_SECRET_DATA, NULL, cancellable, error);
}

gboolean
cl_fmcos_update_record (ClCard *card, guint8 sfi, guint8 record, const guint8 *data, gsize len,
                        GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (sfi <= 0x1F && record > 0 && data != NULL && len > 0 && len <= 255, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return cl_fmcos_simple (card, _ ("Writing a record"), 0x00, 0xDC, record, (sfi << 3) | 0x04, data,
                          len, CL_LE_NONE, 0, NULL, cancellable, error);
}

gboolean
cl_fmcos_append_record (ClCard *card, guint8 sfi, const guint8 *data, gsize len,
                        GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (sfi <= 0x1F && data != NULL && len > 0 && len <= 255, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return cl_fmcos_simple (card, _ ("Adding a record"), 0x00, 0xE2, 0x00, sfi << 3, data, len,
                          CL_LE_NONE, 0, NULL, cancellable, error);
}

/* -- creation */

static gboolean
create (ClCard *card, guint16 fid, const guint8 *d, gsize len, GCancellable *cancellable,
        GError **error)
{
  g_autofree char *what = g_strdup_printf (_ ("Creating file %04X"), fid);

  return cl_fmcos_simple (card, what, 0x80, 0xE0, fid >> 8, fid & 0xFF, d, len, CL_LE_NONE, 0, NULL,
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
                    guint8 write_right, ClFmcosWriteFlag write_flag, guint8 access,
                    GCancellable *cancellable, GError **error)
{
  guint8 d[7] = { type, size >> 8, size & 0xFF, read_right, write_right, write_flag, access };

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (write_flag == CL_FMCOS_WRITE_REPEAT || write_flag == CL_FMCOS_WRITE_ONCE,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return create (card, fid, d, sizeof d, cancellable, error);
}

gboolean
cl_fmcos_erase_df (ClCard *card, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return cl_fmcos_simple (card, _ ("Erasing the card's files"), 0x80, 0x0E, 0, 0, NULL, 0,
                          CL_LE_NONE, 0, NULL, cancellable, error);
}
