/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-sle4428-diff.c: writing and protecting only the bytes that need it
 * (docs/card-formats.md, "Writing only what differs").
 *
 * The plan: maximal runs of bytes that need the command; two neighbouring
 * runs separated by at most CL_SLE4428_COALESCE_GAP bytes are merged
 * (left to right) when the merged run takes fewer APDUs than the two apart;
 * each run is then cut into APDUs of at most chunk bytes.  A gap byte sent
 * again costs a write-only cycle but no bit changes; an APDU saved is worth
 * more than that on every reader we know, a longer gap is not.
 */
#include "config.h"

#include <string.h>

#include "cl-card-private.h"
#include "cl-cmd-private.h"
#include "cl-error.h"
#include "cl-sle4428-private.h"
#include "cl-sle4428.h"

static guint
n_apdus (guint len, guint chunk)
{
  return (len + chunk - 1) / chunk;
}

static void
emit (GArray *plan, guint addr, guint len, guint chunk)
{
  for (guint done = 0; done < len;)
    {
      ClSle4428Run r = { addr + done, MIN (len - done, chunk) };

      g_array_append_val (plan, r);
      done += r.len;
    }
}

/* todo[i]: byte addr + i needs the command. */
static GArray *
plan (guint addr, const gboolean *todo, gsize len, guint chunk)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (ClSle4428Run));
  gboolean have = FALSE;
  guint start = 0, end = 0; /* the run being built, offsets, end exclusive */

  for (guint i = 0; i < len;)
    {
      guint s, e;

      if (!todo[i])
        {
          i++;
          continue;
        }
      for (s = i, e = i; e < len && todo[e]; e++)
        ;
      i = e;
      if (have && s - end <= CL_SLE4428_COALESCE_GAP
          && n_apdus (e - start, chunk) < n_apdus (end - start, chunk) + n_apdus (e - s, chunk))
        {
          end = e;
          continue;
        }
      if (have)
        emit (out, addr + start, end - start, chunk);
      have = TRUE;
      start = s;
      end = e;
    }
  if (have)
    emit (out, addr + start, end - start, chunk);
  return out;
}

GArray *
cl_sle4428_plan_writes (guint addr, const guint8 *wanted, const guint8 *current, gsize len,
                        guint chunk)
{
  g_autofree gboolean *todo = NULL;

  g_return_val_if_fail (wanted != NULL || len == 0, NULL);
  g_return_val_if_fail (current != NULL || len == 0, NULL);
  g_return_val_if_fail (chunk > 0, NULL);
  g_return_val_if_fail (addr + len <= CL_SLE4428_SIZE, NULL);

  todo = g_new (gboolean, MAX (len, 1));
  for (gsize i = 0; i < len; i++)
    todo[i] = wanted[i] != current[i];
  return plan (addr, todo, len, chunk);
}

GArray *
cl_sle4428_plan_protect (guint addr, const gboolean *protected_now, gsize len, guint chunk)
{
  g_autofree gboolean *todo = NULL;

  g_return_val_if_fail (protected_now != NULL || len == 0, NULL);
  g_return_val_if_fail (chunk > 0, NULL);
  g_return_val_if_fail (addr + len <= CL_SLE4428_SIZE, NULL);

  todo = g_new (gboolean, MAX (len, 1));
  for (gsize i = 0; i < len; i++)
    todo[i] = !protected_now[i];
  return plan (addr, todo, len, chunk);
}

/* Sends the plan's runs in one transaction; data is indexed from addr. */
static gboolean
send_plan (ClCard *card, guint8 ins, guint addr, const guint8 *data, GArray *runs,
           GCancellable *cancellable, GError **error)
{
  gboolean ok;

  BEGIN_OR_RETURN (card, cancellable, error, FALSE);
  ok = cl_sle4428_do_select (card, cancellable, error);
  for (guint i = 0; ok && i < runs->len; i++)
    {
      const ClSle4428Run *r = &g_array_index (runs, ClSle4428Run, i);

      ok = cl_sle4428_do_write (card, ins, r->addr, data + (r->addr - addr), r->len, cancellable,
                                error);
    }
  cl_card_end (card);
  return ok;
}

gboolean
cl_sle4428_write_changes (ClCard *card, guint addr, const guint8 *wanted, const guint8 *current,
                          gsize len, guint *apdus, gsize *bytes, GCancellable *cancellable,
                          GError **error)
{
  g_autoptr (GArray) runs = NULL;
  gsize sent = 0;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (wanted != NULL && current != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (apdus)
    *apdus = 0;
  if (bytes)
    *bytes = 0;
  if (!cl_sle4428_check_range (addr, len, error))
    return FALSE;
  runs = cl_sle4428_plan_writes (addr, wanted, current, len, cl_sle4428_get_chunk (card));
  if (runs->len == 0)
    return TRUE;
  for (guint i = 0; i < runs->len; i++)
    sent += g_array_index (runs, ClSle4428Run, i).len;
  if (!send_plan (card, INS_WRITE, addr, wanted, runs, cancellable, error))
    return FALSE;
  if (apdus)
    *apdus = runs->len;
  if (bytes)
    *bytes = sent;
  return TRUE;
}

gboolean
cl_sle4428_protect_changes (ClCard *card, guint addr, const guint8 *data,
                            const gboolean *protected_now, gsize len, guint *apdus,
                            GCancellable *cancellable, GError **error)
{
  g_autoptr (GArray) runs = NULL;
  guint first, span;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (data != NULL && protected_now != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (apdus)
    *apdus = 0;
  if (!cl_sle4428_check_range (addr, len, error))
    return FALSE;
  runs = cl_sle4428_plan_protect (addr, protected_now, len, cl_sle4428_get_chunk (card));
  if (runs->len == 0)
    return TRUE;
  if (!send_plan (card, INS_WRITE_PROT, addr, data, runs, cancellable, error))
    return FALSE;
  if (apdus)
    *apdus = runs->len;

  first = g_array_index (runs, ClSle4428Run, 0).addr;
  span = g_array_index (runs, ClSle4428Run, runs->len - 1).addr
         + g_array_index (runs, ClSle4428Run, runs->len - 1).len - first;
  return cl_sle4428_check_protected (card, first, span, cancellable, error);
}
