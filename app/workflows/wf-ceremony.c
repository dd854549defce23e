/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-ceremony.c: steps the key ceremonies share (wf-ceremony.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cl-codec.h"
#include "cl-crypto.h"
#include "cl-derive.h"
#include "cl-error.h"
#include "cl-fmcos.h"
#include "db-error.h"
#include "wf-ceremony.h"
#include "wf-error.h"
#include "wf-layout.h"

ClCard *
wf_ceremony_open_mcc (WfTask *task, ClCardInfo *info, ClAuthority **authority, GError **error)
{
  const WfQuestion want = {
    .kind = WF_QUESTION_CARD,
    .name = "mcc",
    .title = _ ("Master control card"),
    .text = _ ("Put the master control card into R1."),
  };
  g_autoptr (ClCard) mcc = NULL;
  g_autoptr (ClKey) pin = NULL;
  g_autofree char *text = NULL;
  char sn[17];
  gint tries;
  gboolean last = FALSE;

  mcc = wf_task_wait_card (task, CL_READER_ROLE_R1, wf_accept_mcc, NULL, &want, info, error);
  if (mcc == NULL)
    return NULL;
  wf_serial_hex (info->serial, sn);
  wf_task_set_actor (task, sn, _ ("master control card"), "system-admin");
  tries = cl_fmcos_get_pin_tries (mcc, WF_KID_PIN, task->cancellable, error);
  if (tries == -2)
    return NULL;
  if (tries == 0)
    {
      g_set_error_literal (error, CL_ERROR, CL_ERROR_LOCKED,
                           _ ("The master control card's PIN is blocked. Unblock it with the "
                              "master key (insucard-cli pin unblock, with the card in R2)."));
      return NULL;
    }
  if (tries == 1)
    {
      const WfQuestion last_try = {
        .kind = WF_QUESTION_CONFIRM,
        .name = "last-try",
        .title = _ ("Last PIN try"),
        .text = _ ("Only one try is left for the master control card's PIN. A wrong PIN now "
                   "blocks it. Type the PIN only if you are sure of it."),
        .confirm = WF_CONFIRM_LAST_TRY,
      };

      if (!wf_interaction_confirm (task->interaction, &last_try, task->cancellable, error))
        return NULL;
      last = TRUE;
    }
  text = g_strdup_printf (_ ("the master control card (%d tries left)"), tries);
  pin = wf_ceremony_ask_pin (task, "mcc-pin", text, WF_MCC_PIN_MIN, WF_MCC_PIN_MAX, FALSE, error);
  if (pin == NULL || !cl_fmcos_verify (mcc, WF_KID_PIN, pin, last, NULL, task->cancellable, error))
    return NULL;
  *authority = cl_authority_new_mcc (mcc, WF_KID_MCC_ENCRYPT);
  return g_steal_pointer (&mcc);
}

static const char *
describe_status (DbCpuStatus status)
{
  switch (status)
    {
    case DB_CPU_ACTIVE:
      return _ ("in use");
    case DB_CPU_LOST:
      return _ ("reported lost");
    case DB_CPU_REVOKED:
      return _ ("revoked");
    case DB_CPU_WASHED:
    default:
      return _ ("washed");
    }
}

static ClCardKind
card_kind_of (DbCpuKind kind)
{
  switch (kind)
    {
    case DB_CPU_MCC:
      return CL_CARD_KIND_MCC;
    case DB_CPU_KTC:
      return CL_CARD_KIND_KTC;
    case DB_CPU_AC:
      return CL_CARD_KIND_AC;
    case DB_CPU_KC:
    default:
      return CL_CARD_KIND_KC;
    }
}

/* A blank gets its master key in plain, so what only says it is blank must
 * not be a copy of a card of the system: a card emulator with the serial
 * of the KTC would be handed CMK(KTC).  A registered card is a blank again
 * only once it was washed. */
static gboolean
check_unregistered (WfTask *task, const ClCardInfo *info, GError **error)
{
  DbDatabase *db = wf_task_db (task, error);
  g_autoptr (DbCpuCard) rec = NULL;
  g_autoptr (GError) local = NULL;
  char serial[17];

  if (db == NULL)
    return FALSE;
  wf_serial_hex (info->serial, serial);
  rec = db_cpu_cards_get (db, serial, &local);
  if (rec == NULL)
    {
      if (g_error_matches (local, DB_ERROR, DB_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (rec->status == DB_CPU_WASHED)
    return TRUE;
  g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
               _ ("This card is registered as %s %s (%s). Wash it with the MCC first."),
               cl_card_kind_describe (card_kind_of (rec->kind)), serial,
               describe_status (rec->status));
  return FALSE;
}

ClCard *
wf_ceremony_wait_blank (WfTask *task, const WfQuestion *question, ClCardInfo *info, GError **error)
{
  g_autoptr (ClCard) card =
      wf_task_wait_card (task, CL_READER_ROLE_R2, wf_accept_blank_cpu, NULL, question, info, error);

  if (card == NULL || !check_unregistered (task, info, error))
    return NULL;
  return g_steal_pointer (&card);
}

ClKey *
wf_ceremony_ask_pin (WfTask *task, const char *name, const char *who, guint min_len, guint max_len,
                     gboolean twice, GError **error)
{
  g_autofree char *text = g_strdup_printf (
      twice ? _ ("New PIN for %s, %u to %u digits, typed twice.") : _ ("PIN of %s."), who, min_len,
      max_len);
  const WfQuestion q = {
    .kind = WF_QUESTION_SECRET,
    .name = name,
    .title = twice ? _ ("New PIN") : _ ("PIN"),
    .text = text,
    .format = WF_SECRET_DIGITS,
    .min_len = min_len,
    .max_len = max_len,
    .twice = twice,
  };
  g_autoptr (ClKey) digits =
      wf_interaction_ask_secret (task->interaction, &q, task->cancellable, error);

  return digits != NULL ? cl_pin_from_digits (digits, error) : NULL;
}

char *
wf_kcv_spaced (const ClKey *key, GError **error)
{
  guint8 kcv[3];

  if (!cl_kcv (key, kcv, error))
    return NULL;
  return g_strdup_printf ("%02X %02X %02X", kcv[0], kcv[1], kcv[2]);
}

ClKey *
wf_ceremony_ask_key (WfTask *task, const WfQuestion *question, const char *kcv_name, GError **error)
{
  g_autoptr (ClKey) typed = NULL;
  g_autoptr (ClKey) key = NULL;
  g_autofree char *kcv = NULL;
  g_autofree char *text = NULL;
  WfQuestion confirm = {
    .kind = WF_QUESTION_CONFIRM,
    .name = kcv_name,
    .title = _ ("Check value (KCV)"),
    .confirm = WF_CONFIRM_ORDINARY,
  };

  typed = wf_interaction_ask_secret (task->interaction, question, task->cancellable, error);
  if (typed == NULL)
    return NULL;
  key = question->format == WF_SECRET_DIGITS ? cl_derive_code_key_from_digits (typed, error)
                                             : g_steal_pointer (&typed);
  if (key == NULL || (kcv = wf_kcv_spaced (key, error)) == NULL)
    return NULL;
  text = g_strdup_printf (_ ("The check value (KCV) of “%s” is %s. Does it match the one on "
                             "your paper?"),
                          question->title, kcv);
  confirm.text = text;
  if (!wf_interaction_confirm (task->interaction, &confirm, task->cancellable, error))
    return NULL;
  return g_steal_pointer (&key);
}

static gboolean
kcv_matches (const ClKey *key, const guint8 want[3], GError **error)
{
  guint8 kcv[3];

  return cl_kcv (key, kcv, error) && memcmp (kcv, want, 3) == 0;
}

gboolean
wf_ceremony_read_system_keys (WfTask *task, ClAuthority *mcc, ClCard *ktc,
                              const ClCardInfo *ktc_info, ClKey **pkey, ClKey **dkey,
                              GError **error)
{
  g_autoptr (ClKey) line = NULL;
  g_autoptr (ClKey) p = NULL;
  g_autoptr (ClKey) d = NULL;
  gboolean ok = FALSE;

  if (!cl_card_begin (ktc, task->cancellable, error))
    return FALSE;
  line = cl_authority_card_key (mcc, ktc_info->serial, task->cancellable, error);
  if (line == NULL || !cl_fmcos_select_fid (ktc, CL_FMCOS_MF, NULL, task->cancellable, error)
      || !cl_authority_external_authenticate (mcc, ktc, ktc_info->serial, WF_KID_MASTER, FALSE,
                                              task->cancellable, error))
    goto out;
  d = cl_fmcos_read_binary_decrypt (ktc, 0x01, 0, 16, line, task->cancellable, error);
  if (d == NULL)
    goto out;
  p = cl_fmcos_read_binary_decrypt (ktc, 0x02, 0, 16, line, task->cancellable, error);
  if (p == NULL)
    goto out;
  if (!kcv_matches (p, ktc_info->kcv1, NULL) || !kcv_matches (d, ktc_info->kcv2, NULL))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_REFUSED,
                           _ ("The keys on the key transport card do not match the check values "
                              "printed on it: the card is damaged or not genuine."));
      goto out;
    }
  *pkey = g_steal_pointer (&p);
  *dkey = g_steal_pointer (&d);
  ok = TRUE;
out:
  cl_card_end (ktc);
  return ok;
}

ClKey *
wf_ceremony_info_file (ClCardKind kind, ClCardRole role, const guint8 serial[8],
                       const ClKey *kcv1_key, const ClKey *kcv2_key, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y%m%d");
  g_autofree guint8 *d = NULL;
  ClCardInfo info = { .kind = kind, .role = role };
  gsize len = 0;
  ClKey *out;

  memcpy (info.serial, serial, 8);
  if (!cl_bcd_pack (today, info.created, 4, error)
      || (kcv1_key != NULL && !cl_kcv (kcv1_key, info.kcv1, error))
      || (kcv2_key != NULL && !cl_kcv (kcv2_key, info.kcv2, error)))
    return NULL;
  d = cl_card_info_build (&info, &len);
  out = cl_key_new_from_data (d, len);
  return out;
}

gboolean
wf_ceremony_register (WfTask *task, DbCpuCard *card, GError **error)
{
  DbDatabase *db = wf_task_db (task, error);

  return db != NULL && db_cpu_cards_add (db, card, &task->actor, error);
}
