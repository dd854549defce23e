/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-sle4428.c: the SLE4428 driver over reader pseudo-APDUs.
 *
 * The PSC interlock: the error counter is read before every presentation,
 * because an SLE4428 with a zero counter is locked for writing forever.
 * With a single 1 bit left we refuse unless the caller says the operator
 * consented (allow_last_try).
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-card-private.h"
#include "cl-cmd-private.h"
#include "cl-sle4428-private.h"
#include "cl-error.h"
#include "cl-log.h"
#include "cl-sle4428.h"
#include "cl-sw.h"

guint
cl_sle4428_get_chunk (ClCard *card)
{
  guint chunk = cl_card_get_driver_state (card)->sle_chunk;

  return chunk != 0 ? chunk : DEFAULT_CHUNK;
}

void
cl_sle4428_set_chunk_size (ClCard *card, guint chunk)
{
  g_return_if_fail (CL_IS_CARD (card));
  g_return_if_fail (chunk > 0 && chunk <= DEFAULT_CHUNK);
  cl_card_get_driver_state (card)->sle_chunk = chunk;
}

gboolean
cl_sle4428_check_range (guint addr, gsize len, GError **error)
{
  if (len == 0 || addr >= CL_SLE4428_SIZE || len > CL_SLE4428_SIZE - addr)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Address range 0x%03X+%zu is outside the card's memory."), addr, len);
      return FALSE;
    }
  return TRUE;
}

gboolean
cl_sle4428_touches_psc (guint addr, gsize len)
{
  return addr + len > CL_SLE4428_PSC_ADDR;
}

/* -- single steps, called inside a transaction */

gboolean
cl_sle4428_do_select (ClCard *card, GCancellable *cancellable, GError **error)
{
  static const guint8 type = CARD_TYPE_SLE4428;
  g_autoptr (ClResponse) resp = NULL;

  resp = cl_cmd_transmit (card, CLA_READER, INS_SELECT_TYPE, 0, 0, &type, 1, CL_LE_NONE, 0,
                          cancellable, error);
  if (resp == NULL)
    return FALSE;
  if (resp->sw != 0x9000)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_WRONG_CARD,
                   _ ("This is not an SLE4428 memory card, or the reader cannot handle one "
                      "(SW %04X)."),
                   resp->sw);
      return FALSE;
    }
  return TRUE;
}

/* A reply may carry more than asked (callers keep the first n), never less. */
gboolean
cl_sle4428_check_resp_len (const ClResponse *resp, gsize n, GError **error)
{
  if (resp->len >= n)
    return TRUE;
  g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
               _ ("The reader returned %zu bytes instead of %zu."), resp->len, n);
  return FALSE;
}

/* Reads into out; the PSC bytes' replies are flagged secret. */
static gboolean
do_read_into (ClCard *card, guint addr, gsize len, guint8 *out, GCancellable *cancellable,
              GError **error)
{
  guint chunk = cl_sle4428_get_chunk (card);

  for (gsize done = 0; done < len;)
    {
      guint a = addr + done;
      gsize n = MIN (len - done, chunk);
      ClApduFlags flags = cl_sle4428_touches_psc (a, n) ? CL_APDU_FLAG_SECRET_RESPONSE : 0;
      g_autoptr (ClResponse) resp = NULL;

      resp = cl_cmd_transmit (card, CLA_READER, INS_READ, (a >> 8) & 0x03, a & 0xFF, NULL, 0, n,
                              flags, cancellable, error);
      if (resp == NULL || !cl_cmd_check (resp, _ ("Reading the card"), error))
        return FALSE;
      /* Old ACR38 firmware appends protect bytes: keep only the data. */
      if (!cl_sle4428_check_resp_len (resp, n, error))
        return FALSE;
      memcpy (out + done, resp->data, n);
      done += n;
    }
  return TRUE;
}

GBytes *
cl_sle4428_do_read (ClCard *card, guint addr, gsize len, GCancellable *cancellable, GError **error)
{
  g_autofree guint8 *out = g_malloc (len);

  g_assert (!cl_sle4428_touches_psc (addr, len));
  if (!do_read_into (card, addr, len, out, cancellable, error))
    return NULL;
  return g_bytes_new_take (g_steal_pointer (&out), len);
}

gboolean
cl_sle4428_do_write (ClCard *card, guint8 ins, guint addr, const guint8 *data, gsize len,
                     GCancellable *cancellable, GError **error)
{
  guint chunk = cl_sle4428_get_chunk (card);

  for (gsize done = 0; done < len;)
    {
      guint a = addr + done;
      gsize n = MIN (len - done, chunk);
      g_autoptr (ClResponse) resp = NULL;
      ClApduFlags flags = cl_sle4428_touches_psc (a, n) ? CL_APDU_FLAG_SECRET_DATA : 0;

      resp = cl_cmd_transmit (card, CLA_READER, ins, (a >> 8) & 0x03, a & 0xFF, data + done, n,
                              CL_LE_NONE, flags, cancellable, error);
      if (resp == NULL)
        return FALSE;
      if (resp->sw != 0x9000)
        {
          /* Without a presented PSC or on a protected byte, readers answer
           * 6982/6581 or similar; say so in the clerk's words. */
          cl_set_error_from_sw (error, resp->sw, _ ("Writing the card"));
          return FALSE;
        }
      done += n;
    }
  return TRUE;
}

static guint
count_bits (guint8 b)
{
  guint n = 0;

  for (; b; b &= b - 1)
    n++;
  return n;
}

static gboolean
do_read_errcnt (ClCard *card, guint8 *errcnt, GCancellable *cancellable, GError **error)
{
  /* Le 03 (ACS CCID), 04 (SLE4442-style firmware) or 00 (old ACR38). */
  static const gint les[] = { 3, 4, 256 };

  for (gsize i = 0; i < G_N_ELEMENTS (les); i++)
    {
      g_autoptr (ClResponse) resp = NULL;

      resp = cl_cmd_transmit (card, CLA_READER, INS_READ_ERRCNT, 0, 0, NULL, 0, les[i], 0,
                              cancellable, error);
      if (resp == NULL)
        return FALSE;
      if (resp->sw == 0x9000 && resp->len >= 1)
        {
          *errcnt = resp->data[0];
          return TRUE;
        }
      if (resp->sw != 0x6700 && (resp->sw >> 8) != 0x6C)
        break;
    }
  /* No FF B1 at all: the counter is an ordinary, always readable byte. */
  {
    g_autoptr (GBytes) b = cl_sle4428_do_read (card, CL_SLE4428_ERRCNT_ADDR, 1, cancellable, error);

    if (b == NULL)
      return FALSE;
    *errcnt = *(const guint8 *) g_bytes_get_data (b, NULL);
  }
  return TRUE;
}

static gboolean
refuse_if_unsafe (guint tries, gboolean allow_last_try, GError **error)
{
  if (tries == 0)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_LOCKED,
                   _ ("The card is locked: its PSC error counter is used up. The card can still "
                      "be read, but never written again."));
      return FALSE;
    }
  if (tries == 1 && !allow_last_try)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_LAST_TRY,
                   _ ("Only one PSC try is left on this card. A wrong code now would lock it "
                      "for good; confirm explicitly to go on."));
      return FALSE;
    }
  return TRUE;
}

/* Sends PRESENT CODE and works out the counter after it from whichever
 * reply format the reader uses; *errcnt_after is valid on TRUE. */
static gboolean
do_present (ClCard *card, const ClKey *psc, guint8 *errcnt_after, GCancellable *cancellable,
            GError **error)
{
  g_autoptr (ClResponse) resp = NULL;

  resp = cl_cmd_transmit (
      card, CLA_READER, INS_PRESENT, 0, 0, cl_key_get_data (psc), CL_SLE4428_PSC_LEN, CL_LE_NONE,
      CL_APDU_FLAG_SECRET_DATA | CL_APDU_FLAG_SECRET_RESPONSE, cancellable, error);
  if (resp == NULL)
    return FALSE;

  if (resp->len >= 1 && resp->sw == 0x9000)
    *errcnt_after = resp->data[0]; /* ERRCNT CODE1 CODE2 90 00 */
  else if (resp->len == 0 && resp->sw == 0x9000)
    return do_read_errcnt (card, errcnt_after, cancellable, error); /* ambiguous: ask */
  else if (resp->len == 0 && (resp->sw >> 8) == 0x90)
    *errcnt_after = resp->sw & 0xFF; /* 90 ErrCnt */
  else if ((resp->sw & 0xFFF0) == 0x63C0 || resp->sw == 0x6983)
    return do_read_errcnt (card, errcnt_after, cancellable, error);
  else
    {
      cl_set_error_from_sw (error, resp->sw, _ ("Presenting the PSC"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
present_locked (ClCard *card, const ClKey *psc, gboolean allow_last_try, guint *tries_left,
                GCancellable *cancellable, GError **error)
{
  guint8 before, after;
  guint tries;

  if (!cl_sle4428_do_select (card, cancellable, error)
      || !do_read_errcnt (card, &before, cancellable, error))
    return FALSE;
  tries = count_bits (before);
  if (tries_left)
    *tries_left = tries;
  if (!refuse_if_unsafe (tries, allow_last_try, error))
    return FALSE;
  if (!do_present (card, psc, &after, cancellable, error))
    return FALSE;
  if (tries_left)
    *tries_left = count_bits (after);
  if (after == 0xFF || count_bits (after) == CL_SLE4428_MAX_TRIES)
    return TRUE;
  if (after == 0)
    g_set_error (error, CL_ERROR, CL_ERROR_LOCKED,
                 _ ("Wrong PSC. No tries are left: the card is now locked for writing."));
  else
    g_set_error (error, CL_ERROR, CL_ERROR_WRONG_PIN,
                 g_dngettext (GETTEXT_PACKAGE, "Wrong PSC: %u try left.",
                              "Wrong PSC: %u tries left.", count_bits (after)),
                 count_bits (after));
  if (error != NULL && *error != NULL)
    cl_log_error (_ ("Presenting the PSC"), *error);
  return FALSE;
}

/* -- public entry points: each one transaction */

gboolean
cl_sle4428_select (ClCard *card, GCancellable *cancellable, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  BEGIN_OR_RETURN (card, cancellable, error, FALSE);
  ok = cl_sle4428_do_select (card, cancellable, error);
  cl_card_end (card);
  return ok;
}

GBytes *
cl_sle4428_read (ClCard *card, guint addr, gsize len, GCancellable *cancellable, GError **error)
{
  GBytes *out = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cl_sle4428_check_range (addr, len, error))
    return NULL;
  if (cl_sle4428_touches_psc (addr, len))
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("The range 0x%03X+%zu includes the PSC; it is read only into locked memory."),
                   addr, len);
      return NULL;
    }
  BEGIN_OR_RETURN (card, cancellable, error, NULL);
  if (cl_sle4428_do_select (card, cancellable, error))
    out = cl_sle4428_do_read (card, addr, len, cancellable, error);
  cl_card_end (card);
  return out;
}

ClKey *
cl_sle4428_read_secret (ClCard *card, guint addr, gsize len, GCancellable *cancellable,
                        GError **error)
{
  g_autoptr (ClKey) out = NULL;
  gboolean ok;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cl_sle4428_check_range (addr, len, error))
    return NULL;
  out = cl_key_new (len);
  BEGIN_OR_RETURN (card, cancellable, error, NULL);
  ok = cl_sle4428_do_select (card, cancellable, error)
       && do_read_into (card, addr, len, cl_key_get_data_mutable (out), cancellable, error);
  cl_card_end (card);
  return ok ? g_steal_pointer (&out) : NULL;
}

gboolean
cl_sle4428_read_serial (ClCard *card, guint8 serial[CL_SLE4428_SERIAL_LEN],
                        GCancellable *cancellable, GError **error)
{
  g_autoptr (GBytes) b = NULL;

  g_return_val_if_fail (serial != NULL, FALSE);

  b = cl_sle4428_read (card, CL_SLE4428_SERIAL_ADDR, CL_SLE4428_SERIAL_LEN, cancellable, error);
  if (b == NULL)
    return FALSE;
  memcpy (serial, g_bytes_get_data (b, NULL), CL_SLE4428_SERIAL_LEN);
  return TRUE;
}

static gboolean
write_common (ClCard *card, guint8 ins, guint addr, const guint8 *data, gsize len,
              GCancellable *cancellable, GError **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cl_sle4428_check_range (addr, len, error))
    return FALSE;
  BEGIN_OR_RETURN (card, cancellable, error, FALSE);
  ok = cl_sle4428_do_select (card, cancellable, error)
       && cl_sle4428_do_write (card, ins, addr, data, len, cancellable, error);
  cl_card_end (card);
  return ok;
}

gboolean
cl_sle4428_write (ClCard *card, guint addr, const guint8 *data, gsize len,
                  GCancellable *cancellable, GError **error)
{
  return write_common (card, INS_WRITE, addr, data, len, cancellable, error);
}

gboolean
cl_sle4428_write_protect (ClCard *card, guint addr, const guint8 *data, gsize len,
                          GCancellable *cancellable, GError **error)
{
  /* The reader says 9000 even when a byte did not compare: check. */
  return write_common (card, INS_WRITE_PROT, addr, data, len, cancellable, error)
         && cl_sle4428_check_protected (card, addr, len, cancellable, error);
}

gboolean
cl_sle4428_read_error_counter (ClCard *card, guint8 *errcnt, guint *tries_left,
                               GCancellable *cancellable, GError **error)
{
  guint8 value = 0;
  gboolean ok;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  BEGIN_OR_RETURN (card, cancellable, error, FALSE);
  ok = cl_sle4428_do_select (card, cancellable, error)
       && do_read_errcnt (card, &value, cancellable, error);
  cl_card_end (card);
  if (!ok)
    return FALSE;
  if (errcnt)
    *errcnt = value;
  if (tries_left)
    *tries_left = count_bits (value);
  return TRUE;
}

gboolean
cl_sle4428_present_psc (ClCard *card, const ClKey *psc, gboolean allow_last_try, guint *tries_left,
                        GCancellable *cancellable, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (psc != NULL && cl_key_get_length (psc) == CL_SLE4428_PSC_LEN, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  BEGIN_OR_RETURN (card, cancellable, error, FALSE);
  ok = present_locked (card, psc, allow_last_try, tries_left, cancellable, error);
  cl_card_end (card);
  return ok;
}

gboolean
cl_sle4428_change_psc (ClCard *card, const ClKey *old_psc, const ClKey *new_psc,
                       gboolean allow_last_try, GCancellable *cancellable, GError **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (old_psc != NULL && cl_key_get_length (old_psc) == CL_SLE4428_PSC_LEN,
                        FALSE);
  g_return_val_if_fail (new_psc != NULL && cl_key_get_length (new_psc) == CL_SLE4428_PSC_LEN,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  BEGIN_OR_RETURN (card, cancellable, error, FALSE);
  if (present_locked (card, old_psc, allow_last_try, NULL, cancellable, error)
      && cl_sle4428_do_write (card, INS_WRITE, CL_SLE4428_PSC_ADDR, cl_key_get_data (new_psc),
                              CL_SLE4428_PSC_LEN, cancellable, error))
    {
      /* After verification the PSC reads back; compare without logging it. */
      g_autoptr (ClKey) got = cl_key_new (CL_SLE4428_PSC_LEN);

      if (do_read_into (card, CL_SLE4428_PSC_ADDR, CL_SLE4428_PSC_LEN,
                        cl_key_get_data_mutable (got), cancellable, error))
        {
          ok = cl_key_equal (got, new_psc);
          if (!ok)
            g_set_error (error, CL_ERROR, CL_ERROR_FAILED,
                         _ ("The new PSC did not read back correctly; the old one may still "
                            "be in force."));
        }
    }
  cl_card_end (card);
  return ok;
}

/* -- async */

typedef struct {
  ClKey *psc;
  gboolean allow_last_try;
  guint addr;
  gsize len;
  guint tries_left; /* out, kept on failure too */
} AsyncData;

static void
async_data_free (AsyncData *d)
{
  g_clear_pointer (&d->psc, cl_key_free);
  g_free (d);
}

static gpointer
present_thread (ClCard *card, gpointer data, GCancellable *cancellable, GError **error)
{
  AsyncData *d = data;

  if (!cl_sle4428_present_psc (card, d->psc, d->allow_last_try, &d->tries_left, cancellable, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

void
cl_sle4428_present_psc_async (ClCard *card, const ClKey *psc, gboolean allow_last_try,
                              GCancellable *cancellable, GAsyncReadyCallback callback,
                              gpointer user_data)
{
  AsyncData *d;

  g_return_if_fail (CL_IS_CARD (card));
  g_return_if_fail (psc != NULL);

  d = g_new0 (AsyncData, 1);
  d->psc = cl_key_dup (psc);
  d->allow_last_try = allow_last_try;
  cl_cmd_run_async (card, cl_sle4428_present_psc_async, present_thread, d,
                    (GDestroyNotify) async_data_free, NULL, cancellable, callback, user_data);
}

/* The tries left come back on failure too (a wrong PSC: the clerk must
 * see how many remain). */
gboolean
cl_sle4428_present_psc_finish (ClCard *card, GAsyncResult *result, guint *tries_left,
                               GError **error)
{
  gboolean ok = cl_cmd_run_finish (card, result, cl_sle4428_present_psc_async, error) != NULL;
  AsyncData *d = cl_cmd_run_get_data (result);

  if (tries_left)
    *tries_left = d->tries_left;
  return ok;
}

static gpointer
read_thread (ClCard *card, gpointer data, GCancellable *cancellable, GError **error)
{
  AsyncData *d = data;

  return cl_sle4428_read (card, d->addr, d->len, cancellable, error);
}

void
cl_sle4428_read_async (ClCard *card, guint addr, gsize len, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  AsyncData *d;

  g_return_if_fail (CL_IS_CARD (card));

  d = g_new0 (AsyncData, 1);
  d->addr = addr;
  d->len = len;
  cl_cmd_run_async (card, cl_sle4428_read_async, read_thread, d, (GDestroyNotify) async_data_free,
                    (GDestroyNotify) g_bytes_unref, cancellable, callback, user_data);
}

GBytes *
cl_sle4428_read_finish (ClCard *card, GAsyncResult *result, GError **error)
{
  return cl_cmd_run_finish (card, result, cl_sle4428_read_async, error);
}
