/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-opcard.c: making administrator and key cards (wf-ceremonies.h).
 *
 * The MCC in R1 opens the KTC in R2; Pkey and Dkey are read
 * line-encrypted into locked memory and the audit seal key derived from
 * Dkey.  Then the operator swaps R2 to each blank in turn; its holder sets
 * a PIN.  The keys are wiped when the batch ends, fails or is cancelled. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cl-crypto.h"
#include "cl-derive.h"
#include "cl-fmcos.h"
#include "db-cpu-card.h"
#include "wf-ceremonies.h"
#include "wf-ceremony.h"
#include "wf-error.h"
#include "wf-layout.h"
#include "wf-personalise.h"

/* One card to make: what holder and ident point to (the caller's, or the
 * batch's own copies). */
typedef struct {
  const WfOpHolder *holder;
  const WfOpIdent *ident; /* key cards */
} Item;

typedef struct {
  Item *items;
  guint count;
  GPtrArray *made; /* WfCardMade */
  WfOpRequest *copies; /* an async or per-card batch: its own copies, count of them */
  WfCardMadeFunc made_func;
  gpointer made_data;
  GMainContext *made_context; /* where made_func runs */
  char current[17]; /* the card being made, for the failure row */
} Batch;

void
wf_op_request_clear (WfOpRequest *request)
{
  wf_op_holder_clear (&request->holder);
  wf_op_ident_clear (&request->ident);
  request->key_card = FALSE;
}

static Batch *
batch_new (guint count)
{
  Batch *b = g_new0 (Batch, 1);

  b->items = g_new0 (Item, MAX (count, 1));
  b->count = count;
  b->made = g_ptr_array_new_with_free_func ((GDestroyNotify) wf_card_made_free);
  return b;
}

/* The batch keeps its own copies of the requests. */
static void
batch_copy_requests (Batch *b, const WfOpRequest *requests)
{
  b->copies = g_new0 (WfOpRequest, MAX (b->count, 1));
  for (guint i = 0; i < b->count; i++)
    {
      wf_op_holder_copy (&b->copies[i].holder, &requests[i].holder);
      b->copies[i].key_card = requests[i].key_card;
      if (requests[i].key_card)
        wf_op_ident_copy (&b->copies[i].ident, &requests[i].ident);
      b->items[i].holder = &b->copies[i].holder;
      b->items[i].ident = requests[i].key_card ? &b->copies[i].ident : NULL;
    }
}

static void
batch_free (Batch *b)
{
  for (guint i = 0; b->copies != NULL && i < b->count; i++)
    wf_op_request_clear (&b->copies[i]);
  g_free (b->copies);
  g_free (b->items);
  g_ptr_array_unref (b->made);
  g_clear_pointer (&b->made_context, g_main_context_unref);
  g_free (b);
}

static WfCardMade *
card_made_copy (const WfCardMade *made)
{
  WfCardMade *copy = g_new0 (WfCardMade, 1);

  copy->kind = made->kind;
  memcpy (copy->serial, made->serial, sizeof copy->serial);
  copy->holder_name = g_strdup (made->holder_name);
  copy->kcv1 = g_strdup (made->kcv1);
  copy->kcv2 = g_strdup (made->kcv2);
  copy->kcv3 = g_strdup (made->kcv3);
  return copy;
}

typedef struct {
  WfCardMadeFunc func;
  gpointer data;
  WfCardMade *made;
} MadeCall;

static gboolean
made_call_run (gpointer data)
{
  MadeCall *call = data;

  call->func (call->made, call->data);
  return G_SOURCE_REMOVE;
}

static void
made_call_free (gpointer data)
{
  MadeCall *call = data;

  wf_card_made_free (call->made);
  g_free (call);
}

/* Tells the caller of a card made, in the interaction's main context: it is
 * queued there before the task's own result, so it comes first. */
static void
report_made (Batch *b, const WfCardMade *made)
{
  MadeCall *call;

  if (b->made_func == NULL)
    return;
  call = g_new0 (MadeCall, 1);
  call->func = b->made_func;
  call->data = b->made_data;
  call->made = card_made_copy (made);
  g_main_context_invoke_full (b->made_context, G_PRIORITY_DEFAULT, made_call_run, call,
                              made_call_free);
}

typedef struct {
  ClKey *pkey;
  ClKey *dkey;
  ClKey *akey;
} SystemKeys;

static void
system_keys_clear (SystemKeys *k)
{
  g_clear_pointer (&k->pkey, cl_key_free);
  g_clear_pointer (&k->dkey, cl_key_free);
  g_clear_pointer (&k->akey, cl_key_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SystemKeys, system_keys_clear)

static gboolean
validate_item (const Item *item, GError **error)
{
  if (!wf_op_holder_validate (item->holder, error)
      || (item->ident != NULL && !wf_op_ident_validate (item->ident, error)))
    return FALSE;
  if (item->ident == NULL && item->holder->role == CL_ROLE_NONE)
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                           _ ("An administrator card needs a role: system administrator, issuing "
                              "administrator or auditor."));
      return FALSE;
    }
  if (item->ident != NULL && item->holder->role != CL_ROLE_NONE)
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                           _ ("A key card carries no role: it is bound to its workstation."));
      return FALSE;
    }
  return TRUE;
}

/* Every card's entries are checked before the first card is touched. */
static gboolean
validate (const Batch *b, GError **error)
{
  if (b->count == 0 || b->count > 100)
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                           _ ("Make 1 to 100 cards in one batch."));
      return FALSE;
    }
  for (guint i = 0; i < b->count; i++)
    {
      g_autoptr (GError) local = NULL;

      if (!validate_item (&b->items[i], &local))
        {
          /* Which card of the batch, when there are several. */
          if (b->count > 1)
            g_set_error (error, local->domain, local->code, _ ("Card %u of %u: %s"), i + 1,
                         b->count, local->message);
          else
            g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
open_ktc (WfTask *task, ClAuthority *mcc, SystemKeys *keys, GError **error)
{
  const WfQuestion want = {
    .kind = WF_QUESTION_CARD,
    .name = "ktc",
    .title = _ ("Key transport card"),
    .text = _ ("Put the key transport card into R2."),
  };
  g_autoptr (ClCard) ktc = NULL;
  ClCardInfo info;

  ktc = wf_task_wait_card (task, CL_READER_ROLE_R2, wf_accept_ktc, NULL, &want, &info, error);
  if (ktc == NULL
      || !wf_ceremony_read_system_keys (task, mcc, ktc, &info, &keys->pkey, &keys->dkey, error))
    return FALSE;
  keys->akey = cl_derive_audit_key (keys->dkey, error);
  return keys->akey != NULL;
}

/* The card computes KCV(Pkey), KCV(Dkey), KCV(Akey) itself: its keys over
 * eight 00 bytes, after the holder's PIN. */
static gboolean
check_opcard (WfTask *task, ClCard *card, const ClKey *pin, gboolean auditor, WfCardMade *made,
              GError **error)
{
  static const guint8 zeros[8] = { 0 };
  const guint8 kids[3] = { WF_KID_PKEY, WF_KID_DKEY, WF_KID_AKEY };
  const char *want[3] = { made->kcv1, made->kcv2, made->kcv3 };
  gboolean ok;

  if (!cl_card_begin (card, task->cancellable, error))
    return FALSE;
  ok = cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, task->cancellable, error)
       && cl_fmcos_verify (card, WF_KID_PIN, pin, FALSE, NULL, task->cancellable, error)
       && cl_fmcos_select_name (card, (const guint8 *) WF_ADF_NAME, strlen (WF_ADF_NAME), NULL,
                                task->cancellable, error);
  for (guint i = auditor ? 2 : 0; ok && i < 3; i++)
    {
      g_autoptr (ClKey) out = cl_fmcos_internal_authenticate (card, kids[i], zeros, sizeof zeros,
                                                              task->cancellable, error);
      g_autofree char *got = NULL;

      ok = out != NULL;
      if (ok)
        {
          got = g_strdup_printf ("%02X%02X%02X", cl_key_get_data (out)[0], cl_key_get_data (out)[1],
                                 cl_key_get_data (out)[2]);
          ok = g_strcmp0 (got, want[i]) == 0;
          if (!ok)
            g_set_error_literal (error, WF_ERROR, WF_ERROR_FAILED,
                                 _ ("The new card does not compute with the system's keys. Wash "
                                    "it and make it again, or use another blank."));
        }
    }
  cl_card_end (card);
  return ok;
}

static WfCardMade *
make_one (WfTask *task, ClAuthority *mcc, Batch *b, const SystemKeys *keys, guint n, GError **error)
{
  g_autofree char *blank_text =
      g_strdup_printf (_ ("Put blank CPU card %u of %u into R2."), n, b->count);
  const WfQuestion blank = {
    .kind = WF_QUESTION_CARD,
    .name = "blank-cpu",
    .title = _ ("Blank CPU card"),
    .text = blank_text,
  };
  const WfOpHolder *holder = b->items[n - 1].holder;
  const WfOpIdent *ident = b->items[n - 1].ident;
  ClCardKind kind = ident != NULL ? CL_CARD_KIND_KC : CL_CARD_KIND_AC;
  gboolean auditor = holder->role == CL_ROLE_AUDITOR;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClKey) cmk = NULL;
  g_autoptr (ClKey) pin = NULL;
  g_autoptr (ClKey) info_file = NULL;
  g_autoptr (ClKey) holder_file = NULL;
  g_autoptr (ClKey) status_file = NULL;
  g_autoptr (ClKey) ident_file = NULL;
  g_autofree guint8 *h = NULL;
  g_autofree guint8 *s = wf_op_status_encode_active ();
  g_autofree char *who = NULL;
  g_autoptr (WfCardMade) made = g_new0 (WfCardMade, 1);
  g_autoptr (DbCpuCard) record = db_cpu_card_new ();
  ClCardInfo info;
  WfMaterial m = { { 0 } };

  card = wf_ceremony_wait_blank (task, &blank, &info, error);
  if (card == NULL)
    return NULL;
  made->kind = kind;
  wf_serial_hex (info.serial, made->serial);
  memcpy (b->current, made->serial, sizeof b->current);
  made->holder_name = g_strdup (holder->name);
  made->kcv1 = auditor ? g_strdup ("") : cl_kcv_hex (keys->pkey, NULL);
  made->kcv2 = auditor ? g_strdup ("") : cl_kcv_hex (keys->dkey, NULL);
  made->kcv3 = cl_kcv_hex (keys->akey, NULL);

  who = g_strdup_printf (_ ("%s (card %u of %u)"), holder->name, n, b->count);
  if (!wf_interaction_hand_over (task->interaction, who, task->cancellable, error))
    return NULL;
  pin = wf_ceremony_ask_pin (task, "holder-pin", who, WF_HOLDER_PIN_MIN, WF_HOLDER_PIN_MAX, TRUE,
                             error);
  cmk = pin != NULL ? cl_authority_card_key (mcc, info.serial, task->cancellable, error) : NULL;
  h = cmk != NULL ? wf_op_holder_encode (holder, error) : NULL;
  if (h == NULL)
    return NULL;
  holder_file = cl_key_new_from_data (h, WF_HOLDER_LEN);
  status_file = cl_key_new_from_data (s, WF_STATUS_LEN);
  if (ident != NULL)
    {
      g_autofree guint8 *i = wf_op_ident_encode (ident, error);

      if (i == NULL)
        return NULL;
      ident_file = cl_key_new_from_data (i, WF_IDENT_LEN);
    }
  info_file = wf_ceremony_info_file (kind, holder->role, info.serial, auditor ? NULL : keys->pkey,
                                     auditor ? NULL : keys->dkey, error);
  if (info_file == NULL)
    return NULL;

  m.keys[WF_KEY_CMK] = cmk;
  m.keys[WF_KEY_PIN] = pin;
  m.keys[WF_KEY_PKEY] = keys->pkey;
  m.keys[WF_KEY_DKEY] = keys->dkey;
  m.keys[WF_KEY_AKEY] = keys->akey;
  m.files[WF_FILE_INFO] = info_file;
  m.files[WF_FILE_HOLDER] = holder_file;
  m.files[WF_FILE_STATUS] = status_file;
  m.files[WF_FILE_IDENT] = ident_file;
  if (!wf_personalise (task, card, &info, wf_layout_get (kind, holder->role), &m, error)
      || !check_opcard (task, card, pin, auditor, made, error))
    return NULL;

  record->serial = g_strdup (made->serial);
  record->kind = kind == CL_CARD_KIND_KC ? DB_CPU_KC : DB_CPU_AC;
  record->role = g_strdup (kind == CL_CARD_KIND_KC ? "" : wf_role_to_string (holder->role));
  record->holder_name = g_strdup (holder->name);
  record->staff_number = g_strdup (holder->staff_number);
  record->office_code = g_strdup (holder->office);
  record->workstation = g_strdup (ident != NULL ? ident->workstation : "");
  record->quota = ident != NULL ? ident->quota : -1;
  record->kcv_pkey = g_strdup (made->kcv1);
  record->kcv_dkey = g_strdup (made->kcv2);
  record->kcv_akey = g_strdup (made->kcv3);
  record->valid_from = g_strdup (holder->valid_from ? holder->valid_from : "");
  record->valid_until = g_strdup (holder->valid_until ? holder->valid_until : "");
  if (!wf_ceremony_register (task, record, error)
      || !wf_task_audit (
          task, DB_ACTION_CARD_CREATE, DB_OUTCOME_OK, made->serial, NULL, NULL, NULL,
          kind == CL_CARD_KIND_KC ? _ ("key card made") : _ ("administrator card made"), error))
    return NULL;
  return g_steal_pointer (&made);
}

static gpointer
opcard_task (WfTask *task, gpointer data, GError **error)
{
  Batch *b = data;
  g_autoptr (ClCard) mcc_card = NULL;
  g_autoptr (ClAuthority) mcc = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (SystemKeys) keys = { 0 };
  ClCardInfo mcc_info;

  if (!validate (b, &local))
    goto failed;
  mcc_card = wf_ceremony_open_mcc (task, &mcc_info, &mcc, &local);
  if (mcc_card == NULL
      || !wf_task_audit (task, DB_ACTION_CARD_CREATE, DB_OUTCOME_OK, NULL, NULL, NULL, NULL,
                         _ ("started"), &local)
      || !open_ktc (task, mcc, &keys, &local))
    goto failed;
  for (guint n = 1; n <= b->count; n++)
    {
      WfCardMade *made = make_one (task, mcc, b, &keys, n, &local);

      if (made == NULL)
        goto failed;
      g_ptr_array_add (b->made, made);
      report_made (b, made);
    }
  return g_ptr_array_ref (b->made);

failed:
  wf_task_audit_failure (task, DB_ACTION_CARD_CREATE, b->current[0] ? b->current : NULL, local);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

GPtrArray *
wf_opcard_create (WfDesk *desk, WfInteraction *interaction, const WfOpHolder *holder,
                  const WfOpIdent *ident, guint count, GCancellable *cancellable, GError **error)
{
  Batch *b;
  GPtrArray *made;

  g_return_val_if_fail (holder != NULL, NULL);

  b = batch_new (count);
  for (guint i = 0; i < count; i++)
    b->items[i] = (Item){ holder, ident };
  made = wf_task_run (desk, interaction, opcard_task, b, cancellable, error);
  if (made == NULL)
    made = g_ptr_array_ref (b->made); /* the complete cards of a batch that stopped */
  batch_free (b);
  return made;
}

static WfOpRequest *
requests_for (const WfOpHolder *holder, const WfOpIdent *ident, guint count)
{
  WfOpRequest *requests = g_new0 (WfOpRequest, MAX (count, 1));

  /* Shallow: batch_copy_requests() copies them again. */
  for (guint i = 0; i < count; i++)
    {
      requests[i].holder = *holder;
      requests[i].key_card = ident != NULL;
      if (ident != NULL)
        requests[i].ident = *ident;
    }
  return requests;
}

void
wf_opcard_create_async (WfDesk *desk, WfInteraction *interaction, const WfOpHolder *holder,
                        const WfOpIdent *ident, guint count, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree WfOpRequest *requests = NULL;
  Batch *b;

  g_return_if_fail (holder != NULL);

  requests = requests_for (holder, ident, count);
  b = batch_new (count);
  batch_copy_requests (b, requests);
  wf_task_run_async (desk, interaction, wf_opcard_create_async, opcard_task, b,
                     (GDestroyNotify) batch_free, (GDestroyNotify) g_ptr_array_unref, cancellable,
                     callback, user_data);
}

GPtrArray *
wf_opcard_create_finish (WfDesk *desk, GAsyncResult *result, GError **error)
{
  GPtrArray *made = wf_task_run_finish (result, wf_opcard_create_async, error);
  Batch *b = wf_task_run_get_data (result);

  return made != NULL ? made : g_ptr_array_ref (b->made);
}

void
wf_opcard_create_each_async (WfDesk *desk, WfInteraction *interaction, const WfOpRequest *requests,
                             guint n_requests, WfCardMadeFunc made_func, gpointer made_data,
                             GCancellable *cancellable, GAsyncReadyCallback callback,
                             gpointer user_data)
{
  Batch *b;

  g_return_if_fail (requests != NULL || n_requests == 0);

  b = batch_new (n_requests);
  batch_copy_requests (b, requests);
  b->made_func = made_func;
  b->made_data = made_data;
  b->made_context = g_main_context_ref (wf_interaction_get_context (interaction));
  wf_task_run_async (desk, interaction, wf_opcard_create_each_async, opcard_task, b,
                     (GDestroyNotify) batch_free, (GDestroyNotify) g_ptr_array_unref, cancellable,
                     callback, user_data);
}

GPtrArray *
wf_opcard_create_each_finish (WfDesk *desk, GAsyncResult *result, GError **error)
{
  GPtrArray *made = wf_task_run_finish (result, wf_opcard_create_each_async, error);
  Batch *b = wf_task_run_get_data (result);

  return made != NULL ? made : g_ptr_array_ref (b->made);
}
