/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-mcc.c: making the master control card (wf-ceremonies.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cl-crypto.h"
#include "cl-fmcos.h"
#include "wf-ceremonies.h"
#include "wf-ceremony.h"
#include "wf-error.h"
#include "wf-layout.h"
#include "wf-personalise.h"

void
wf_card_made_free (WfCardMade *made)
{
  if (made == NULL)
    return;
  g_free (made->holder_name);
  g_free (made->kcv1);
  g_free (made->kcv2);
  g_free (made->kcv3);
  g_free (made);
}

/* The card computes KCV(MK) itself: its DES-encrypt key 01 over eight 00
 * bytes, after its PIN. */
static gboolean
check_mcc (WfTask *task, ClCard *card, const ClKey *pin, const char *want_kcv, GError **error)
{
  static const guint8 zeros[8] = { 0 };
  g_autoptr (ClKey) out = NULL;
  ClCardInfo info;
  g_autofree char *got = NULL;
  gboolean answers;

  /* One transaction: R2 is shared, and another connection's SELECT (the
   * desk's readers bar) between the PIN and the key would undo the PIN. */
  if (!cl_card_begin (card, task->cancellable, error))
    return FALSE;
  if (!cl_card_detect (card, &info, task->cancellable, error))
    {
      cl_card_end (card);
      return FALSE;
    }
  answers = info.kind == CL_CARD_KIND_MCC
            && cl_fmcos_verify (card, WF_KID_PIN, pin, FALSE, NULL, task->cancellable, error);
  if (answers)
    out = cl_fmcos_internal_authenticate (card, WF_KID_MCC_ENCRYPT, zeros, sizeof zeros,
                                          task->cancellable, error);
  cl_card_end (card);
  if (!answers)
    goto bad;
  if (out == NULL)
    return FALSE;
  got = g_strdup_printf ("%02X%02X%02X", cl_key_get_data (out)[0], cl_key_get_data (out)[1],
                         cl_key_get_data (out)[2]);
  if (strcmp (got, want_kcv) == 0)
    return TRUE;
bad:
  g_clear_error (error);
  g_set_error_literal (error, WF_ERROR, WF_ERROR_FAILED,
                       _ ("The new master control card does not answer as it should. Wash it "
                          "and make it again, or use another blank."));
  return FALSE;
}

static gpointer
mcc_create_task (WfTask *task, gpointer data, GError **error)
{
  const WfQuestion blank = {
    .kind = WF_QUESTION_CARD,
    .name = "blank-cpu",
    .title = _ ("Blank CPU card"),
    .text = _ ("Put a blank CPU card into R2: it becomes the master control card."),
  };
  const WfQuestion mk_question = {
    .kind = WF_QUESTION_SECRET,
    .name = "mk",
    .title = _ ("Master key (MK)"),
    .text = _ ("Type the master key: 32 hexadecimal digits, twice."),
    .format = WF_SECRET_HEX,
    .min_len = 32,
    .max_len = 32,
    .twice = TRUE,
  };
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClKey) mk = NULL;
  g_autoptr (ClKey) pin = NULL;
  g_autoptr (ClKey) info_file = NULL;
  g_autoptr (WfCardMade) made = g_new0 (WfCardMade, 1);
  g_autoptr (DbCpuCard) record = db_cpu_card_new ();
  g_autoptr (GError) local = NULL;
  ClCardInfo info;
  WfMaterial m = { { 0 } };

  made->kind = CL_CARD_KIND_MCC;
  card = wf_ceremony_wait_blank (task, &blank, &info, &local);
  if (card == NULL)
    goto failed;
  wf_serial_hex (info.serial, made->serial);
  wf_task_audit (task, DB_ACTION_MCC_CREATE, DB_OUTCOME_OK, made->serial, NULL, NULL, NULL,
                 _ ("started"), NULL);

  mk = wf_ceremony_ask_key (task, &mk_question, "kcv-mk", &local);
  if (mk == NULL)
    goto failed;
  pin = wf_ceremony_ask_pin (task, "mcc-pin", _ ("the master control card"), WF_MCC_PIN_MIN,
                             WF_MCC_PIN_MAX, TRUE, &local);
  if (pin == NULL)
    goto failed;
  made->kcv1 = cl_kcv_hex (mk, &local);
  info_file = wf_ceremony_info_file (CL_CARD_KIND_MCC, CL_ROLE_NONE, info.serial, mk, NULL, &local);
  if (made->kcv1 == NULL || info_file == NULL)
    goto failed;

  m.keys[WF_KEY_MK] = mk;
  m.keys[WF_KEY_PIN] = pin;
  m.files[WF_FILE_INFO] = info_file;
  if (!wf_personalise (task, card, &info, wf_layout_get (CL_CARD_KIND_MCC, CL_ROLE_NONE), &m,
                       &local)
      || !check_mcc (task, card, pin, made->kcv1, &local))
    goto failed;

  record->serial = g_strdup (made->serial);
  record->kind = DB_CPU_MCC;
  record->kcv_mk = g_strdup (made->kcv1);
  record->quota = -1;
  if (!wf_ceremony_register (task, record, &local)
      || !wf_task_audit (task, DB_ACTION_MCC_CREATE, DB_OUTCOME_OK, made->serial, NULL, NULL, NULL,
                         _ ("made"), &local))
    goto failed;
  return g_steal_pointer (&made);

failed:
  wf_task_audit_failure (task, DB_ACTION_MCC_CREATE, made->serial[0] ? made->serial : NULL, local);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

WfCardMade *
wf_mcc_create (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable, GError **error)
{
  return wf_task_run (desk, interaction, mcc_create_task, NULL, cancellable, error);
}

void
wf_mcc_create_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  wf_task_run_async (desk, interaction, wf_mcc_create_async, mcc_create_task, NULL, NULL,
                     (GDestroyNotify) wf_card_made_free, cancellable, callback, user_data);
}

WfCardMade *
wf_mcc_create_finish (WfDesk *desk, GAsyncResult *result, GError **error)
{
  return wf_task_run_finish (result, wf_mcc_create_async, error);
}
