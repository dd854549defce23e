/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-icard-io.c: the insurance card in R2, its keys, its PSC and its
 * writes (wf-icard-io.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <openssl/crypto.h>

#include "cl-crypto.h"
#include "cl-error.h"
#include "cl-sle4428.h"
#include "wf-error.h"
#include "wf-icard-io.h"
#include "wf-layout.h"
#include "wf-session.h"

void
wf_icard_keys_clear (WfIcardKeys *keys)
{
  g_clear_pointer (&keys->psc, cl_key_free);
  g_clear_pointer (&keys->dkc, cl_key_free);
}

ClKey *
wf_icard_factory_psc (void)
{
  static const guint8 factory[CL_SLE4428_PSC_LEN] = { 0xFF, 0xFF };

  return cl_key_new_from_data (factory, sizeof factory);
}

/* Operator cards without the key (auditors) answer "not found". */
static gboolean
no_such_key (const GError *error)
{
  return g_error_matches (error, CL_ERROR, CL_ERROR_NOT_FOUND)
         || g_error_matches (error, CL_ERROR, CL_ERROR_STATUS);
}

gboolean
wf_icard_keys_compute (WfTask *task, const guint8 serial[8], gboolean need_psc, WfIcardKeys *keys,
                       GError **error)
{
  guint8 factor[16];
  g_autoptr (ClKey) c = NULL;
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (task->session != NULL, FALSE);

  c = wf_session_encrypt (task->session, WF_KID_PKEY, serial, 8, task->cancellable, &local);
  if (c != NULL)
    {
      const guint8 *b = cl_key_get_data (c);
      guint8 psc[CL_SLE4428_PSC_LEN] = { b[0] ^ b[2] ^ b[4] ^ b[6], b[1] ^ b[3] ^ b[5] ^ b[7] };

      keys->psc = cl_key_new_from_data (psc, sizeof psc);
      OPENSSL_cleanse (psc, sizeof psc);
    }
  else if (need_psc || !no_such_key (local))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  g_clear_error (&local);

  /* DIV(Dkey, SN) = TDES_Dkey(SN) || TDES_Dkey(~SN): one ECB over both. */
  for (guint i = 0; i < 8; i++)
    {
      factor[i] = serial[i];
      factor[i + 8] = (guint8) ~serial[i];
    }
  keys->dkc = wf_session_encrypt (task->session, WF_KID_DKEY, factor, sizeof factor,
                                  task->cancellable, &local);
  if (keys->dkc == NULL && (need_psc || !no_such_key (local)))
    {
      wf_icard_keys_clear (keys);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

gboolean
wf_icard_image_read (WfTask *task, ClCard *card, WfIcardImage *image, GError **error)
{
  g_autoptr (GBytes) mem = NULL;
  guint8 errcnt = 0;

  mem = cl_sle4428_read (card, 0, WF_ICARD_MEM_LEN, task->cancellable, error);
  if (mem == NULL || g_bytes_get_size (mem) != WF_ICARD_MEM_LEN)
    {
      if (mem != NULL)
        g_set_error_literal (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                             _ ("The card gave back less memory than was asked for."));
      return FALSE;
    }
  memcpy (image->mem, g_bytes_get_data (mem, NULL), WF_ICARD_MEM_LEN);
  memcpy (image->serial, image->mem + WF_ICARD_SERIAL_ADDR, 8);
  wf_serial_hex (image->serial, image->sn);
  return cl_sle4428_read_protection (card, 0, CL_SLE4428_SIZE, image->protected_map,
                                     task->cancellable, error)
         && cl_sle4428_read_error_counter (card, &errcnt, &image->tries_left, task->cancellable,
                                           error);
}

typedef struct {
  const char *want_sn;
  const char *not_sn;
} AcceptData;

static gboolean
accept_sle4428 (const ClCardInfo *info, GString *problem, gpointer data)
{
  AcceptData *a = data;
  char sn[17];

  if (info->kind != CL_CARD_KIND_SLE4428)
    {
      g_string_append_printf (problem, _ ("The card there now is a %s, not an insurance card."),
                              cl_card_kind_describe (info->kind));
      return FALSE;
    }
  wf_serial_hex (info->serial, sn);
  if (a->not_sn != NULL && g_ascii_strcasecmp (sn, a->not_sn) == 0)
    {
      g_string_append_printf (problem, _ ("Card %s is done: take it out."), sn);
      return FALSE;
    }
  if (a->want_sn == NULL)
    return TRUE;
  if (info->has_serial && g_ascii_strcasecmp (sn, a->want_sn) == 0)
    return TRUE;
  g_string_append_printf (problem, _ ("The card there now is card %s, not card %s."), sn,
                          a->want_sn);
  return FALSE;
}

ClCard *
wf_icard_wait (WfTask *task, const char *question_name, const char *text, const char *want_sn,
               const char *not_sn, ClCardInfo *info, GError **error)
{
  AcceptData a = { want_sn, not_sn };
  const WfQuestion q = {
    .kind = WF_QUESTION_CARD,
    .name = question_name,
    .title = _ ("Insurance card"),
    .text = text,
  };

  return wf_task_wait_card (task, CL_READER_ROLE_R2, accept_sle4428, &a, &q, info, error);
}

/* One try of one PSC; TRUE when the card took it.  A wrong PSC is not an
 * error here: *wrong is set and *tries updated. */
static gboolean
try_psc (WfTask *task, ClCard *card, const ClKey *psc, guint *tries, gboolean *wrong,
         GError **error)
{
  g_autoptr (GError) local = NULL;
  gboolean allow = FALSE;
  guint left = *tries;

  *wrong = FALSE;
  if (*tries == 1)
    {
      const WfQuestion last = {
        .kind = WF_QUESTION_CONFIRM,
        .name = "last-try",
        .title = _ ("Last PSC try"),
        .text = _ ("The insurance card has one PSC try left. If it is not the PSC this system "
                   "gives it, the card locks for good. Go on only if this card was issued here."),
        .confirm = WF_CONFIRM_LAST_TRY,
      };

      if (!wf_interaction_confirm (task->interaction, &last, task->cancellable, error))
        return FALSE;
      allow = TRUE;
    }
  if (cl_sle4428_present_psc (card, psc, allow, &left, task->cancellable, &local))
    return TRUE;
  if (!g_error_matches (local, CL_ERROR, CL_ERROR_WRONG_PIN))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  *tries = left;
  *wrong = TRUE;
  return FALSE;
}

gboolean
wf_icard_present (WfTask *task, ClCard *card, const WfIcardKeys *keys, WfPscChoice choice,
                  gboolean *is_own, GError **error)
{
  g_autoptr (ClKey) factory = wf_icard_factory_psc ();
  const ClKey *order[2] = { NULL, NULL };
  gboolean own_order[2] = { FALSE, FALSE };
  guint n = 0, tries = 0;
  guint8 errcnt = 0;

  if ((choice & WF_PSC_OWN_FIRST) && keys->psc != NULL)
    {
      order[n] = keys->psc;
      own_order[n++] = TRUE;
    }
  if (choice & WF_PSC_FACTORY)
    order[n++] = factory;
  if ((choice & WF_PSC_OWN) && !(choice & WF_PSC_OWN_FIRST) && keys->psc != NULL)
    {
      order[n] = keys->psc;
      own_order[n++] = TRUE;
    }
  if (!cl_sle4428_read_error_counter (card, &errcnt, &tries, task->cancellable, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      gboolean wrong = FALSE;

      if (tries == 0)
        break;
      if (i > 0)
        {
          /* The first PSC was wrong: a card of another system, or one in
           * an unexpected state.  Another try only with consent. */
          const WfQuestion again = {
            .kind = WF_QUESTION_CONFIRM,
            .name = "psc-other-try",
            .title = _ ("Insurance card PSC"),
            .text = _ ("The card did not take the PSC expected at this step. Try the other PSC "
                       "this system uses? This spends one more of the card's tries."),
            .confirm = WF_CONFIRM_ORDINARY,
          };

          if (!wf_interaction_confirm (task->interaction, &again, task->cancellable, error))
            return FALSE;
        }
      if (try_psc (task, card, order[i], &tries, &wrong, error))
        {
          *is_own = own_order[i];
          return TRUE;
        }
      if (!wrong)
        return FALSE;
    }
  if (tries == 0)
    g_set_error_literal (error, CL_ERROR, CL_ERROR_LOCKED,
                         _ ("The insurance card's PSC is locked: the card can never be written "
                            "again. Keep it aside, take another card, and report it."));
  else
    g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
                 g_dngettext (GETTEXT_PACKAGE,
                              "The insurance card takes neither the factory PSC nor this "
                              "system's: it belongs to another system. Nothing was written; it "
                              "has %u try left. Give it back to its owner.",
                              "The insurance card takes neither the factory PSC nor this "
                              "system's: it belongs to another system. Nothing was written; it "
                              "has %u tries left. Give it back to its owner.",
                              tries),
                 tries);
  return FALSE;
}

gboolean
wf_icard_write_data (WfTask *task, ClCard *card, const WfIcardImage *image,
                     const guint8 wanted[WF_ICARD_DATA_LEN], guint *apdus, gsize *bytes,
                     GError **error)
{
  g_autoptr (GBytes) back = NULL;
  guint n_apdus = 0;
  gsize n_bytes = 0;

  if (!cl_sle4428_write_changes (card, WF_ICARD_DATA_START, wanted,
                                 image->mem + WF_ICARD_DATA_START, WF_ICARD_DATA_LEN, &n_apdus,
                                 &n_bytes, task->cancellable, error))
    return FALSE;
  *apdus += n_apdus;
  *bytes += n_bytes;
  back = cl_sle4428_read (card, WF_ICARD_DATA_START, WF_ICARD_DATA_LEN, task->cancellable, error);
  if (back == NULL)
    return FALSE;
  if (g_bytes_get_size (back) != WF_ICARD_DATA_LEN
      || memcmp (g_bytes_get_data (back, NULL), wanted, WF_ICARD_DATA_LEN) != 0)
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_FAILED,
                           _ ("The card did not keep what was written: it may be worn out. Keep "
                              "it aside and take another card."));
      return FALSE;
    }
  return TRUE;
}
