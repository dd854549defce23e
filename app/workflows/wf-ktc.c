/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-ktc.c: making and rebuilding the key transport card
 * (wf-ceremonies.h).
 *
 * Three people enter their parts in turn: leader I (code 1, PIN 1), leader
 * II (code 2, PIN 2) and the system administrator (PSUB, DSUB, PIN 3).
 * Between them the keyboard is handed over and nothing of the previous
 * person's entry stays on screen. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cl-codec.h"
#include "cl-crypto.h"
#include "cl-derive.h"
#include "cl-error.h"
#include "cl-fmcos.h"
#include "db-cpu-card.h"
#include "wf-ceremonies.h"
#include "wf-ceremony.h"
#include "wf-error.h"
#include "wf-layout.h"
#include "wf-personalise.h"

/* What the three custodians hold: their codes and factors as the card
 * stores them, and their PINs. */
typedef struct {
  ClKey *code1; /* 8 BCD bytes: the DES key */
  ClKey *code2;
  ClKey *subs; /* PSUB ‖ DSUB */
  ClKey *pins[3];
} Inputs;

static void
inputs_clear (Inputs *in)
{
  g_clear_pointer (&in->code1, cl_key_free);
  g_clear_pointer (&in->code2, cl_key_free);
  g_clear_pointer (&in->subs, cl_key_free);
  for (guint i = 0; i < 3; i++)
    g_clear_pointer (&in->pins[i], cl_key_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Inputs, inputs_clear)

static ClKey *
ask_code (WfTask *task, const char *name, const char *title, GError **error)
{
  g_autofree char *text = g_strdup_printf (_ ("%s: 16 digits, typed twice."), title);
  const WfQuestion q = {
    .kind = WF_QUESTION_SECRET,
    .name = name,
    .title = title,
    .text = text,
    .format = WF_SECRET_DIGITS,
    .min_len = 16,
    .max_len = 16,
    .twice = TRUE,
  };
  g_autofree char *kcv_name = g_strdup_printf ("kcv-%s", name);

  return wf_ceremony_ask_key (task, &q, kcv_name, error);
}

static ClKey *
ask_factor (WfTask *task, const char *name, const char *title, GError **error)
{
  g_autofree char *text = g_strdup_printf (_ ("%s: 16 hexadecimal digits, typed twice."), title);
  const WfQuestion q = {
    .kind = WF_QUESTION_SECRET,
    .name = name,
    .title = title,
    .text = text,
    .format = WF_SECRET_HEX,
    .min_len = 16,
    .max_len = 16,
    .twice = TRUE,
  };
  g_autofree char *kcv_name = g_strdup_printf ("kcv-%s", name);

  return wf_ceremony_ask_key (task, &q, kcv_name, error);
}

/* The three people's entries, the keyboard handed over between them. */
static gboolean
ask_inputs (WfTask *task, Inputs *in, GError **error)
{
  g_autoptr (ClKey) psub = NULL;
  g_autoptr (ClKey) dsub = NULL;

  if (!wf_interaction_hand_over (task->interaction, _ ("leader I"), task->cancellable, error)
      || (in->code1 = ask_code (task, "code1", _ ("Code 1 (leader I)"), error)) == NULL
      || (in->pins[0] = wf_ceremony_ask_pin (task, "pin1", _ ("leader I"), WF_KTC_PIN_MIN,
                                             WF_KTC_PIN_MAX, TRUE, error))
             == NULL
      || !wf_interaction_hand_over (task->interaction, _ ("leader II"), task->cancellable, error)
      || (in->code2 = ask_code (task, "code2", _ ("Code 2 (leader II)"), error)) == NULL
      || (in->pins[1] = wf_ceremony_ask_pin (task, "pin2", _ ("leader II"), WF_KTC_PIN_MIN,
                                             WF_KTC_PIN_MAX, TRUE, error))
             == NULL
      || !wf_interaction_hand_over (task->interaction, _ ("the system administrator"),
                                    task->cancellable, error)
      || (psub = ask_factor (task, "psub", _ ("PSUB (system administrator)"), error)) == NULL
      || (dsub = ask_factor (task, "dsub", _ ("DSUB (system administrator)"), error)) == NULL
      || (in->pins[2] = wf_ceremony_ask_pin (task, "pin3", _ ("the system administrator"),
                                             WF_KTC_PIN_MIN, WF_KTC_PIN_MAX, TRUE, error))
             == NULL)
    return FALSE;
  /* Equal factors would make Pkey and Dkey the same key. */
  if (cl_key_equal (psub, dsub))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                           _ ("PSUB and DSUB are the same, which would make the issuing key and "
                              "the data key one key. Choose two different factors and start "
                              "again."));
      return FALSE;
    }
  in->subs = cl_key_concat (psub, dsub);
  return TRUE;
}

static gboolean
derive (const Inputs *in, ClKey **pkey, ClKey **dkey, GError **error)
{
  g_autoptr (ClKey) psub = cl_key_new_from_data (cl_key_get_data (in->subs), 8);
  g_autoptr (ClKey) dsub = cl_key_new_from_data (cl_key_get_data (in->subs) + 8, 8);

  return cl_derive_system_keys (in->code1, in->code2, psub, dsub, pkey, dkey, error);
}

/* Is a KTC of this system already in use?  Then making another is
 * confirmed (a spare, or a replacement of a lost one) and logged. */
static gboolean
confirm_second_ktc (WfTask *task, GError **error)
{
  DbDatabase *db = wf_task_db (task, error);
  g_autoptr (GPtrArray) cards = NULL;
  g_autofree char *text = NULL;
  const char *serial = NULL;

  if (db == NULL || (cards = db_cpu_cards_list (db, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < cards->len; i++)
    {
      DbCpuCard *c = cards->pdata[i];

      if (c->kind == DB_CPU_KTC && c->status == DB_CPU_ACTIVE)
        serial = c->serial;
    }
  if (serial == NULL)
    return TRUE;
  text = g_strdup_printf (_ ("Key transport card %s of this system is registered and in use. Make "
                             "another one all the same?"),
                          serial);
  {
    const WfQuestion q = {
      .kind = WF_QUESTION_CONFIRM,
      .name = "second-ktc",
      .title = _ ("Another key transport card"),
      .text = text,
      .confirm = WF_CONFIRM_ORDINARY,
    };

    return wf_interaction_confirm (task->interaction, &q, task->cancellable, error);
  }
}

/* Reads the inputs back after the card was made: KCV(Pkey) and KCV(Dkey)
 * through its line-encrypted files must be what the entries give. */
static gboolean
check_ktc (WfTask *task, ClAuthority *mcc, ClCard *card, const ClKey *pkey, const ClKey *dkey,
           GError **error)
{
  g_autoptr (ClKey) p = NULL;
  g_autoptr (ClKey) d = NULL;
  ClCardInfo info;

  if (!cl_card_detect (card, &info, task->cancellable, error))
    return FALSE;
  if (info.kind != CL_CARD_KIND_KTC
      || !wf_ceremony_read_system_keys (task, mcc, card, &info, &p, &d, error)
      || !cl_key_equal (p, pkey) || !cl_key_equal (d, dkey))
    {
      g_clear_error (error);
      g_set_error_literal (error, WF_ERROR, WF_ERROR_FAILED,
                           _ ("The new key transport card does not read back as it was written. "
                              "Wash it and make it again, or use another blank."));
      return FALSE;
    }
  return TRUE;
}

static WfCardMade *
make_ktc (WfTask *task, ClAuthority *mcc, DbAction action, const Inputs *in, char serial[17],
          GError **error)
{
  const WfQuestion blank = {
    .kind = WF_QUESTION_CARD,
    .name = "blank-cpu",
    .title = _ ("Blank CPU card"),
    .text = _ ("Put a blank CPU card into R2: it becomes the key transport card."),
  };
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClKey) pkey = NULL;
  g_autoptr (ClKey) dkey = NULL;
  g_autoptr (ClKey) cmk = NULL;
  g_autoptr (ClKey) info_file = NULL;
  g_autoptr (ClKey) code1 = NULL;
  g_autoptr (ClKey) code2 = NULL;
  g_autoptr (WfCardMade) made = g_new0 (WfCardMade, 1);
  g_autoptr (DbCpuCard) record = db_cpu_card_new ();
  ClCardInfo info;
  WfMaterial m = { { 0 } };

  made->kind = CL_CARD_KIND_KTC;
  if (!derive (in, &pkey, &dkey, error))
    return NULL;
  card = wf_ceremony_wait_blank (task, &blank, &info, error);
  if (card == NULL)
    return NULL;
  wf_serial_hex (info.serial, made->serial);
  memcpy (serial, made->serial, 17); /* for the failure row, should it come */
  cmk = cl_authority_card_key (mcc, info.serial, task->cancellable, error);
  info_file =
      wf_ceremony_info_file (CL_CARD_KIND_KTC, CL_ROLE_NONE, info.serial, pkey, dkey, error);
  if (cmk == NULL || info_file == NULL)
    return NULL;
  m.keys[WF_KEY_CMK] = cmk;
  m.keys[WF_KEY_PIN1] = in->pins[0];
  m.keys[WF_KEY_PIN2] = in->pins[1];
  m.keys[WF_KEY_PIN3] = in->pins[2];
  m.files[WF_FILE_INFO] = info_file;
  m.files[WF_FILE_CODE1] = in->code1;
  m.files[WF_FILE_CODE2] = in->code2;
  m.files[WF_FILE_SUBS] = in->subs;
  m.files[WF_FILE_DKEY] = dkey;
  m.files[WF_FILE_PKEY] = pkey;
  if (!wf_personalise (task, card, &info, wf_layout_get (CL_CARD_KIND_KTC, CL_ROLE_NONE), &m, error)
      || !check_ktc (task, mcc, card, pkey, dkey, error))
    return NULL;

  made->kcv1 = cl_kcv_hex (pkey, NULL);
  made->kcv2 = cl_kcv_hex (dkey, NULL);
  record->serial = g_strdup (made->serial);
  record->kind = DB_CPU_KTC;
  record->kcv_pkey = g_strdup (made->kcv1);
  record->kcv_dkey = g_strdup (made->kcv2);
  record->quota = -1;
  if (!wf_ceremony_register (task, record, error)
      || !wf_task_audit (task, action, DB_OUTCOME_OK, made->serial, NULL, NULL, NULL, _ ("made"),
                         error))
    return NULL;
  return g_steal_pointer (&made);
}

static gpointer
ktc_create_task (WfTask *task, gpointer data, GError **error)
{
  g_autoptr (ClCard) mcc_card = NULL;
  g_autoptr (ClAuthority) mcc = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (Inputs) in = { 0 };
  ClCardInfo mcc_info;
  WfCardMade *made = NULL;
  char serial[17] = "";

  mcc_card = wf_ceremony_open_mcc (task, &mcc_info, &mcc, &local);
  if (mcc_card != NULL
      && wf_task_audit (task, DB_ACTION_KTC_CREATE, DB_OUTCOME_OK, NULL, NULL, NULL, NULL,
                        _ ("started"), &local)
      && confirm_second_ktc (task, &local) && ask_inputs (task, &in, &local))
    made = make_ktc (task, mcc, DB_ACTION_KTC_CREATE, &in, serial, &local);
  if (made == NULL)
    {
      wf_task_audit_failure (task, DB_ACTION_KTC_CREATE, serial[0] ? serial : NULL, local);
      g_propagate_error (error, g_steal_pointer (&local));
    }
  return made;
}

WfCardMade *
wf_ktc_create (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable, GError **error)
{
  return wf_task_run (desk, interaction, ktc_create_task, NULL, cancellable, error);
}

void
wf_ktc_create_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  wf_task_run_async (desk, interaction, wf_ktc_create_async, ktc_create_task, NULL, NULL,
                     (GDestroyNotify) wf_card_made_free, cancellable, callback, user_data);
}

WfCardMade *
wf_ktc_create_finish (WfDesk *desk, GAsyncResult *result, GError **error)
{
  return wf_task_run_finish (result, wf_ktc_create_async, error);
}

/* -- rebuild ------------------------------------------------------------------------------- */

/* One custodian's part of the old KTC: their PIN, then their file. */
static ClKey *
read_part (WfTask *task, ClCard *ktc, guint n, const char *who, gsize len, ClKey **pin,
           GError **error)
{
  g_autofree char *name = g_strdup_printf ("pin%u", n);
  ClKey *part = NULL;

  if (!wf_interaction_hand_over (task->interaction, who, task->cancellable, error))
    return NULL;
  *pin = wf_ceremony_ask_pin (task, name, who, WF_KTC_PIN_MIN, WF_KTC_PIN_MAX, FALSE, error);
  if (*pin == NULL || !cl_card_begin (ktc, task->cancellable, error))
    return NULL;
  if (cl_fmcos_select_fid (ktc, CL_FMCOS_MF, NULL, task->cancellable, error)
      && cl_fmcos_verify (ktc, n, *pin, FALSE, NULL, task->cancellable, error))
    part = cl_fmcos_read_binary_secret (ktc, 0x03 + n, 0, len, task->cancellable, error);
  cl_card_end (ktc);
  return part;
}

static gpointer
ktc_rebuild_task (WfTask *task, gpointer data, GError **error)
{
  const WfQuestion old_ktc = {
    .kind = WF_QUESTION_CARD,
    .name = "ktc",
    .title = _ ("Key transport card"),
    .text = _ ("Put the old key transport card into R2."),
  };
  g_autoptr (ClCard) mcc_card = NULL;
  g_autoptr (ClCard) ktc = NULL;
  g_autoptr (ClAuthority) mcc = NULL;
  g_autoptr (ClKey) pkey = NULL;
  g_autoptr (ClKey) dkey = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (Inputs) in = { 0 };
  ClCardInfo mcc_info, ktc_info;
  char old_serial[17] = "";
  char new_serial[17] = "";
  WfCardMade *made = NULL;

  mcc_card = wf_ceremony_open_mcc (task, &mcc_info, &mcc, &local);
  if (mcc_card == NULL)
    goto out;
  ktc =
      wf_task_wait_card (task, CL_READER_ROLE_R2, wf_accept_ktc, NULL, &old_ktc, &ktc_info, &local);
  if (ktc == NULL)
    goto out;
  wf_serial_hex (ktc_info.serial, old_serial);
  if (!wf_task_audit (task, DB_ACTION_KTC_REBUILD, DB_OUTCOME_OK, old_serial, NULL, NULL, NULL,
                      _ ("started"), &local)
      || (in.code1 = read_part (task, ktc, 1, _ ("leader I"), 8, &in.pins[0], &local)) == NULL
      || (in.code2 = read_part (task, ktc, 2, _ ("leader II"), 8, &in.pins[1], &local)) == NULL
      || (in.subs =
              read_part (task, ktc, 3, _ ("the system administrator"), 16, &in.pins[2], &local))
             == NULL
      || !wf_ceremony_read_system_keys (task, mcc, ktc, &ktc_info, &pkey, &dkey, &local))
    goto out;
  {
    g_autoptr (ClKey) p = NULL;
    g_autoptr (ClKey) d = NULL;

    if (!derive (&in, &p, &d, &local))
      goto out;
    if (!cl_key_equal (p, pkey) || !cl_key_equal (d, dkey))
      {
        g_set_error_literal (&local, WF_ERROR, WF_ERROR_REFUSED,
                             _ ("The inputs stored on the old key transport card do not give "
                                "its keys: the card is damaged. Make a new one from the "
                                "custodians' papers instead."));
        goto out;
      }
  }
  g_clear_object (&ktc);
  made = make_ktc (task, mcc, DB_ACTION_KTC_REBUILD, &in, new_serial, &local);
  if (made != NULL)
    {
      g_autoptr (GError) revoke_error = NULL;
      DbDatabase *db = wf_task_db (task, &revoke_error);

      /* The old card is replaced (it stays usable until it is washed); the
       * new one is made, so a failure here is reported, not fatal. */
      if (db == NULL || !db_cpu_cards_set_status (db, old_serial, DB_CPU_REVOKED, &revoke_error))
        wf_task_audit (task, DB_ACTION_KTC_REBUILD, DB_OUTCOME_FAILED, old_serial, NULL, NULL,
                       revoke_error, _ ("the old card could not be marked revoked"), NULL);
    }
out:
  if (made == NULL)
    {
      wf_task_audit_failure (task, DB_ACTION_KTC_REBUILD, old_serial[0] ? old_serial : NULL, local);
      g_propagate_error (error, g_steal_pointer (&local));
    }
  return made;
}

WfCardMade *
wf_ktc_rebuild (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable, GError **error)
{
  return wf_task_run (desk, interaction, ktc_rebuild_task, NULL, cancellable, error);
}

void
wf_ktc_rebuild_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data)
{
  wf_task_run_async (desk, interaction, wf_ktc_rebuild_async, ktc_rebuild_task, NULL, NULL,
                     (GDestroyNotify) wf_card_made_free, cancellable, callback, user_data);
}

WfCardMade *
wf_ktc_rebuild_finish (WfDesk *desk, GAsyncResult *result, GError **error)
{
  return wf_task_run_finish (result, wf_ktc_rebuild_async, error);
}
