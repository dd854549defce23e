/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-kind.c: card kind detection (ATR hint, then the card's own answers).
 *
 * The ATR alone is never trusted for memory cards (it is the reader's, not
 * the card's): an SLE4428 is confirmed by SELECT CARD TYPE and a read of its
 * serial.  A CPU card is ours when its free-read info EF parses and names
 * the same serial as its ATR.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-cmd-private.h"
#include "cl-codec.h"
#include "cl-error.h"
#include "cl-fmcos.h"
#include "cl-kind.h"
#include "cl-log.h"
#include "cl-sle4428.h"

static const guint8 info_magic[2] = { 'I', 'C' };

/* Kind codes in the info EF. */
enum {
  INFO_MCC = 1,
  INFO_KTC = 2,
  INFO_AC = 3,
  INFO_KC = 4,
};

const char *
cl_card_kind_to_string (ClCardKind kind)
{
  switch (kind)
    {
    case CL_CARD_KIND_CPU_BLANK:
      return "cpu-blank";
    case CL_CARD_KIND_CPU_OTHER:
      return "cpu-other";
    case CL_CARD_KIND_CPU_UNFINISHED:
      return "cpu-unfinished";
    case CL_CARD_KIND_MCC:
      return "mcc";
    case CL_CARD_KIND_KTC:
      return "ktc";
    case CL_CARD_KIND_AC:
      return "ac";
    case CL_CARD_KIND_KC:
      return "kc";
    case CL_CARD_KIND_SLE4428:
      return "sle4428";
    case CL_CARD_KIND_UNKNOWN:
    default:
      return "unknown";
    }
}

const char *
cl_card_kind_describe (ClCardKind kind)
{
  switch (kind)
    {
    case CL_CARD_KIND_CPU_BLANK:
      return _ ("blank CPU card");
    case CL_CARD_KIND_CPU_OTHER:
      return _ ("CPU card, not of this system");
    case CL_CARD_KIND_CPU_UNFINISHED:
      return _ ("unfinished card of this system (its making was interrupted)");
    case CL_CARD_KIND_MCC:
      return _ ("master control card");
    case CL_CARD_KIND_KTC:
      return _ ("key transport card");
    case CL_CARD_KIND_AC:
      return _ ("administrator card");
    case CL_CARD_KIND_KC:
      return _ ("key card");
    case CL_CARD_KIND_SLE4428:
      return _ ("insurance card (SLE4428)");
    case CL_CARD_KIND_UNKNOWN:
    default:
      return _ ("unknown card");
    }
}

/* Walks T0/TDi to find the historical bytes (ISO 7816-3 §8.2). */
static gboolean
atr_historical (const guint8 *atr, gsize len, const guint8 **hist, gsize *hlen)
{
  gsize pos = 2;
  guint8 y;

  if (len < 2 || (atr[0] != 0x3B && atr[0] != 0x3F))
    return FALSE;
  *hlen = atr[1] & 0x0F;
  y = atr[1] >> 4;
  for (;;)
    {
      gboolean td = y & 0x08;

      pos += ((y & 1) != 0) + ((y & 2) != 0) + ((y & 4) != 0);
      if (!td)
        break;
      if (pos >= len)
        return FALSE;
      y = atr[pos] >> 4;
      pos++;
    }
  if (pos + *hlen > len)
    return FALSE;
  *hist = atr + pos;
  return TRUE;
}

ClCardKind
cl_card_kind_from_atr (GBytes *atr, guint8 serial[8], gboolean *has_serial)
{
  const guint8 *a, *hist = NULL;
  gsize len, hlen = 0;

  g_return_val_if_fail (atr != NULL, CL_CARD_KIND_UNKNOWN);

  if (has_serial)
    *has_serial = FALSE;
  a = g_bytes_get_data (atr, &len);
  if (!atr_historical (a, len, &hist, &hlen))
    return CL_CARD_KIND_UNKNOWN;
  /* Our CPU cards: "IC" ‖ 8-byte serial as the last historical bytes. */
  if (hlen >= 10 && memcmp (hist + hlen - 10, info_magic, 2) == 0)
    {
      if (serial)
        memcpy (serial, hist + hlen - 8, 8);
      if (has_serial)
        *has_serial = TRUE;
      return CL_CARD_KIND_CPU_OTHER;
    }
  /* Memory-card readers: the chip's 4-byte synchronous ATR as historical
   * bytes (3B 04 92 23 10 91), or "FLOMA"-style text; a hint only. */
  if ((hlen == 4 && hist[0] == 0x92) || (hlen >= 5 && memcmp (hist, "FLOMA", 5) == 0))
    return CL_CARD_KIND_SLE4428;
  return CL_CARD_KIND_UNKNOWN;
}

gboolean
cl_card_info_parse (const guint8 *data, gsize len, ClCardInfo *info, GError **error)
{
  g_return_val_if_fail (data != NULL && info != NULL, FALSE);

  if (len < CL_INFO_LEN || memcmp (data, info_magic, 2) != 0 || data[2] < CL_INFO_VERSION
      || cl_check_byte (data, CL_INFO_LEN - 1) != data[CL_INFO_LEN - 1])
    {
      g_set_error (error, CL_ERROR, CL_ERROR_WRONG_CARD,
                   _ ("The card's information file is not in this system's format."));
      return FALSE;
    }
  switch (data[3])
    {
    case INFO_MCC:
      info->kind = CL_CARD_KIND_MCC;
      break;
    case INFO_KTC:
      info->kind = CL_CARD_KIND_KTC;
      break;
    case INFO_AC:
      info->kind = CL_CARD_KIND_AC;
      break;
    case INFO_KC:
      info->kind = CL_CARD_KIND_KC;
      break;
    default:
      info->kind = CL_CARD_KIND_CPU_OTHER;
      break;
    }
  info->has_info = TRUE;
  info->layout_version = data[2];
  memcpy (info->serial, data + 4, 8);
  info->has_serial = TRUE;
  memcpy (info->created, data + 12, 4);
  memcpy (info->kcv1, data + 16, 3);
  memcpy (info->kcv2, data + 19, 3);
  info->role = data[22] <= CL_ROLE_AUDITOR ? data[22] : CL_ROLE_NONE;
  return TRUE;
}

guint8 *
cl_card_info_build (const ClCardInfo *info, gsize *len)
{
  guint8 *d;

  g_return_val_if_fail (info != NULL && len != NULL, NULL);

  d = g_malloc0 (CL_INFO_LEN);
  memcpy (d, info_magic, 2);
  d[2] = CL_INFO_VERSION;
  switch (info->kind)
    {
    case CL_CARD_KIND_MCC:
      d[3] = INFO_MCC;
      break;
    case CL_CARD_KIND_KTC:
      d[3] = INFO_KTC;
      break;
    case CL_CARD_KIND_AC:
      d[3] = INFO_AC;
      break;
    case CL_CARD_KIND_KC:
      d[3] = INFO_KC;
      break;
    default:
      g_free (d);
      g_return_val_if_reached (NULL);
    }
  memcpy (d + 4, info->serial, 8);
  memcpy (d + 12, info->created, 4);
  memcpy (d + 16, info->kcv1, 3);
  memcpy (d + 19, info->kcv2, 3);
  d[22] = info->role;
  d[CL_INFO_LEN - 1] = cl_check_byte (d, CL_INFO_LEN - 1);
  *len = CL_INFO_LEN;
  return d;
}

/* Reads one info EF: *found when it holds a valid info file, *unwritten
 * when it exists but was never written (all 00: the issuer creates it
 * first and writes it last); FALSE only on an error. */
static gboolean
read_info (ClCard *card, guint16 fid, ClCardInfo *info, gboolean *found, gboolean *unwritten,
           GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GBytes) data = NULL;
  const guint8 *d;
  gsize len;

  *found = *unwritten = FALSE;
  if (!cl_fmcos_select_fid (card, fid, NULL, cancellable, &local))
    {
      if (g_error_matches (local, CL_ERROR, CL_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  data = cl_fmcos_read_binary (card, 0, 0, CL_INFO_LEN, cancellable, &local);
  if (data == NULL)
    {
      /* There, but not free to read: KTC's EF 0001 holds a key. */
      if (g_error_matches (local, CL_ERROR, CL_ERROR_SECURITY)
          || g_error_matches (local, CL_ERROR, CL_ERROR_STATUS))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  d = g_bytes_get_data (data, &len);
  *found = cl_card_info_parse (d, len, info, NULL);
  *unwritten = !*found && len == CL_INFO_LEN && d[0] == 0 && memcmp (d, d + 1, len - 1) == 0;
  return TRUE;
}

static gboolean
detect_cpu (ClCard *card, ClCardInfo *info, GCancellable *cancellable, GError **error)
{
  ClCardInfo found = { 0 };
  gboolean ok = FALSE, any = FALSE, unfinished = FALSE;
  static const guint16 fids[] = { CL_INFO_EF, CL_INFO_EF_MCC };

  if (!cl_fmcos_select_fid (card, 0x3F00, NULL, cancellable, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (fids) && !ok; i++)
    {
      gboolean present, unwritten;

      if (!read_info (card, fids[i], &found, &present, &unwritten, cancellable, error))
        return FALSE;
      unfinished |= unwritten;
      if (!cl_fmcos_select_fid (card, 0x3F00, NULL, cancellable, error))
        return FALSE;
      ok = present;
    }
  /* The info file is free to read, so anyone can copy it to another card:
   * it counts only when it names the serial the card's ATR gives.  Our CPU
   * cards always carry the serial in their ATR; one without cannot be
   * checked and is not ours. */
  if (ok && (!info->has_serial || memcmp (found.serial, info->serial, 8) != 0))
    ok = FALSE;
  if (ok)
    {
      found.has_serial = TRUE;
      *info = found;
      return TRUE;
    }
  /* Blank: the MF has no files besides the KEY file (0000); a card of ours
   * half-made, or someone else's, has some. */
  for (guint16 fid = 0x0001; fid <= 0x0006 && !any; fid++)
    {
      g_autoptr (GError) local = NULL;

      if (cl_fmcos_select_fid (card, fid, NULL, cancellable, &local))
        any = TRUE;
      else if (!g_error_matches (local, CL_ERROR, CL_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  info->kind = unfinished ? CL_CARD_KIND_CPU_UNFINISHED
               : any      ? CL_CARD_KIND_CPU_OTHER
                          : CL_CARD_KIND_CPU_BLANK;
  return cl_fmcos_select_fid (card, 0x3F00, NULL, cancellable, error);
}

static gboolean
detect_sle (ClCard *card, ClCardInfo *info, GCancellable *cancellable, GError **error)
{
  if (!cl_sle4428_read_serial (card, info->serial, cancellable, error))
    return FALSE;
  info->has_serial = TRUE;
  info->kind = CL_CARD_KIND_SLE4428;
  return TRUE;
}

static gboolean
detect_in_session (ClCard *card, ClCardInfo *info, GCancellable *cancellable, GError **error)
{
  GBytes *atr = cl_card_get_atr (card); /* transfer none */
  g_autoptr (GError) first = NULL;
  ClCardKind hint;

  memset (info, 0, sizeof *info);
  if (atr == NULL)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_NO_CARD, _ ("The card did not answer to reset."));
      return FALSE;
    }
  hint = cl_card_kind_from_atr (atr, info->serial, &info->has_serial);
  cl_log_atr (cl_card_get_reader_name (card), g_bytes_get_data (atr, NULL), g_bytes_get_size (atr));

  /* Try the likelier kind first, then the other; removal ends it at once. */
  if (hint == CL_CARD_KIND_SLE4428)
    {
      if (detect_sle (card, info, cancellable, &first))
        return TRUE;
    }
  else if (detect_cpu (card, info, cancellable, &first))
    return TRUE;
  if (g_error_matches (first, CL_ERROR, CL_ERROR_CARD_REMOVED)
      || g_error_matches (first, CL_ERROR, CL_ERROR_CARD_CHANGED)
      || g_error_matches (first, CL_ERROR, CL_ERROR_CARD_RESET)
      || g_error_matches (first, CL_ERROR, CL_ERROR_READER_GONE)
      || g_error_matches (first, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&first));
      return FALSE;
    }
  g_clear_error (&first);
  if (hint == CL_CARD_KIND_SLE4428 ? detect_cpu (card, info, cancellable, NULL)
                                   : detect_sle (card, info, cancellable, NULL))
    return TRUE;
  memset (info, 0, sizeof *info);
  info->kind = CL_CARD_KIND_UNKNOWN;
  return TRUE;
}

gboolean
cl_card_detect (ClCard *card, ClCardInfo *info, GCancellable *cancellable, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cl_card_begin (card, cancellable, error))
    return FALSE;
  ok = detect_in_session (card, info, cancellable, error);
  cl_card_end (card);
  return ok;
}

static gpointer
detect_thread (ClCard *card, gpointer data, GCancellable *cancellable, GError **error)
{
  ClCardInfo *info = g_new0 (ClCardInfo, 1);

  if (!cl_card_detect (card, info, cancellable, error))
    {
      g_free (info);
      return NULL;
    }
  return info;
}

void
cl_card_detect_async (ClCard *card, GCancellable *cancellable, GAsyncReadyCallback callback,
                      gpointer user_data)
{
  g_return_if_fail (CL_IS_CARD (card));
  cl_cmd_run_async (card, cl_card_detect_async, detect_thread, NULL, NULL, g_free, cancellable,
                    callback, user_data);
}

gboolean
cl_card_detect_finish (ClCard *card, GAsyncResult *result, ClCardInfo *info, GError **error)
{
  g_autofree ClCardInfo *r = NULL;

  g_return_val_if_fail (info != NULL, FALSE);

  r = cl_cmd_run_finish (card, result, cl_card_detect_async, error);
  if (r == NULL)
    return FALSE;
  *info = *r;
  return TRUE;
}
