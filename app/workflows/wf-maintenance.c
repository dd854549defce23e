/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-maintenance.c: unblocking and changing PINs, washing CPU cards and
 * checking that they are genuine (wf-ceremonies.h).
 *
 * The card to work on is in R2.  Its master key is what the MCC in R1
 * computes (CMK = DIV(MK, serial)); for a master control card in R2 it is
 * MK itself, which the system administrator types. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <openssl/crypto.h>

#include "cl-crypto.h"
#include "cl-error.h"
#include "cl-fmcos.h"
#include "db-cpu-card.h"
#include "db-error.h"
#include "wf-ceremonies.h"
#include "wf-ceremony.h"
#include "wf-error.h"
#include "wf-layout.h"
#include "wf-opcard-data.h"
#include "wf-personalise.h"

typedef struct {
  guint pin; /* pin change: the KTC PIN number, or 0 */
} Params;

/* The card check's result pointer: never NULL, which means failure. */
#define GENUINE_TO_POINTER(g) GINT_TO_POINTER ((g) ? 2 : 1)
#define POINTER_TO_GENUINE(p) (GPOINTER_TO_INT (p) == 2)

/* The card to work on, in R2: a CPU card of this system (or, to be
 * washed, one whose making was interrupted). */
static gboolean
accept_target (const ClCardInfo *info, GString *problem, gpointer data)
{
  gboolean unfinished_ok = GPOINTER_TO_INT (data);

  if (unfinished_ok && info->kind == CL_CARD_KIND_CPU_UNFINISHED)
    return TRUE;
  return wf_accept_system_cpu (info, problem, NULL);
}

static ClCard *
open_target (WfTask *task, gboolean unfinished_ok, ClCardInfo *info, char serial[17],
             GError **error)
{
  const WfQuestion want = {
    .kind = WF_QUESTION_CARD,
    .name = "target",
    .title = _ ("Card to work on"),
    .text = _ ("Put the CPU card to work on into R2."),
  };
  ClCard *card = wf_task_wait_card (task, CL_READER_ROLE_R2, accept_target,
                                    GINT_TO_POINTER (unfinished_ok), &want, info, error);

  if (card != NULL)
    wf_serial_hex (info->serial, serial);
  return card;
}

/* MK typed by the system administrator, for a master control card in R2. */
static ClAuthority *
typed_mk (WfTask *task, const char *text, GError **error)
{
  const WfQuestion q = {
    .kind = WF_QUESTION_SECRET,
    .name = "mk",
    .title = _ ("Master key (MK)"),
    .text = text,
    .format = WF_SECRET_HEX,
    .min_len = 32,
    .max_len = 32,
  };
  g_autoptr (ClKey) mk =
      wf_interaction_ask_secret (task->interaction, &q, task->cancellable, error);

  return mk != NULL ? cl_authority_new_key (mk) : NULL;
}

/* The MCC in R1, which computes the card's CMK. */
static ClAuthority *
mcc_in_r1 (WfTask *task, ClCard **mcc, GError **error)
{
  ClCardInfo mcc_info;
  ClAuthority *authority = NULL;

  *mcc = wf_ceremony_open_mcc (task, &mcc_info, &authority, error);
  return *mcc != NULL ? authority : NULL;
}

/* Who authenticates to the card in R2: the MCC in R1, or for an MCC the
 * master key typed by the system administrator. */
static ClAuthority *
open_authority (WfTask *task, const ClCardInfo *target, ClCard **mcc, GError **error)
{
  if (target->kind == CL_CARD_KIND_MCC)
    return typed_mk (task,
                     _ ("The card in R2 is a master control card: type the master key (32 "
                        "hexadecimal digits)."),
                     error);
  return mcc_in_r1 (task, mcc, error);
}

/* A half-made card does not say what it was to become: its info file is
 * still empty.  A master control card got MK, any other card its CMK, so
 * the person is asked, and only that one key is tried. */
static ClAuthority *
open_unfinished_authority (WfTask *task, ClCard **mcc, GError **error)
{
  const WfQuestion q = {
    .kind = WF_QUESTION_CONFIRM,
    .name = "unfinished-mcc",
    .title = _ ("Half-made card"),
    .text =
        _ ("The making of the card in R2 stopped before it was finished. Was this card being "
           "made into a master control card? Yes: you type the master key. No: the master "
           "control card in R1 is used. A wrong answer can cost the card one of its five tries."),
    .confirm = WF_CONFIRM_CHOICE,
  };
  gboolean was_mcc = FALSE;

  if (!wf_interaction_choose (task->interaction, &q, &was_mcc, task->cancellable, error))
    return NULL;
  if (was_mcc)
    return typed_mk (task,
                     _ ("The card in R2 was being made into a master control card: type the "
                        "master key (32 hexadecimal digits)."),
                     error);
  return mcc_in_r1 (task, mcc, error);
}

static gboolean
authenticate (WfTask *task, ClAuthority *authority, ClCard *card, const ClCardInfo *info,
              GError **error)
{
  return cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, task->cancellable, error)
         && cl_authority_external_authenticate (authority, card, info->serial, WF_KID_MASTER, FALSE,
                                                task->cancellable, error);
}

/* -- PIN unblock ------------------------------------------------------------------------------- */

/* The KTC's PINs keep its codes apart: leader I's, leader II's and the
 * system administrator's.  An unblock by the MCC would let one person
 * reset the others' PINs, so a KTC is refused (its layout has no unblock
 * key either; older KTCs still carry one). */
static gboolean
refuse_ktc (const ClCardInfo *info, GError **error)
{
  if (info->kind != CL_CARD_KIND_KTC)
    return TRUE;
  g_set_error_literal (error, WF_ERROR, WF_ERROR_REFUSED,
                       _ ("The PINs of a key transport card are never unblocked: the master "
                          "control card alone must not be able to reset a custodian's PIN. If "
                          "a custodian forgot their PIN, make the key transport card again from "
                          "the custodians' papers (insucard-cli ktc create) and wash the old "
                          "one. While all three PINs are still known, insucard-cli ktc rebuild "
                          "copies it to a new card."));
  return FALSE;
}

static gpointer
pin_unblock_task (WfTask *task, gpointer data, GError **error)
{
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClCard) mcc = NULL;
  g_autoptr (ClAuthority) authority = NULL;
  g_autoptr (ClKey) key = NULL;
  g_autoptr (ClKey) pin = NULL;
  g_autoptr (GError) local = NULL;
  ClCardInfo info;
  char serial[17] = "";
  gboolean ok = FALSE;

  card = open_target (task, FALSE, &info, serial, &local);
  if (card == NULL || !refuse_ktc (&info, &local))
    goto out;
  authority = open_authority (task, &info, &mcc, &local);
  if (authority == NULL)
    goto out;
  pin = wf_ceremony_ask_pin (task, "new-pin", _ ("the card's holder"), WF_HOLDER_PIN_MIN,
                             WF_HOLDER_PIN_MAX, TRUE, &local);
  if (pin == NULL || !cl_card_begin (card, task->cancellable, &local))
    goto out;
  /* The unblock key is the card's master key; its use right, state F. */
  ok = authenticate (task, authority, card, &info, &local)
       && (key = cl_authority_card_key (authority, info.serial, task->cancellable, &local)) != NULL
       && cl_fmcos_pin_unblock (card, WF_KID_PIN, WF_KID_MASTER, key, pin, task->cancellable,
                                &local);
  cl_card_end (card);
out:
  if (ok)
    ok = wf_task_audit (task, DB_ACTION_PIN_UNBLOCK, DB_OUTCOME_OK, serial, NULL, NULL, NULL, NULL,
                        &local);
  if (!ok)
    {
      wf_task_audit_failure (task, DB_ACTION_PIN_UNBLOCK, serial[0] ? serial : NULL, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return GINT_TO_POINTER (1);
}

gboolean
wf_pin_unblock (WfDesk *desk, WfInteraction *interaction, guint pin, GCancellable *cancellable,
                GError **error)
{
  return wf_task_run (desk, interaction, pin_unblock_task, NULL, cancellable, error) != NULL;
}

void
wf_pin_unblock_async (WfDesk *desk, WfInteraction *interaction, guint pin,
                      GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  wf_task_run_async (desk, interaction, wf_pin_unblock_async, pin_unblock_task, NULL, NULL, NULL,
                     cancellable, callback, user_data);
}

gboolean
wf_pin_unblock_finish (WfDesk *desk, GAsyncResult *result, GError **error)
{
  return wf_task_run_finish (result, wf_pin_unblock_async, error) != NULL;
}

/* -- PIN change ----------------------------------------------------------------------------------
 */

/* The PIN to change: a KTC's by its number (each custodian changes their
 * own), any other card's only PIN. */
static guint8
pin_kid (const ClCardInfo *info, guint pin, GError **error)
{
  if (info->kind != CL_CARD_KIND_KTC)
    {
      if (pin == 0)
        return WF_KID_PIN;
      g_set_error_literal (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                           _ ("Only a key transport card has a PIN for each custodian; this card "
                              "has one PIN. Change it without choosing a custodian."));
      return 0xFF;
    }
  if (pin < 1 || pin > 3)
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                           _ ("A key transport card has three PINs: say which one (1 for leader "
                              "I, 2 for leader II, 3 for the system administrator)."));
      return 0xFF;
    }
  return pin;
}

static gpointer
pin_change_task (WfTask *task, gpointer data, GError **error)
{
  Params *p = data;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClKey) old_pin = NULL;
  g_autoptr (ClKey) new_pin = NULL;
  g_autoptr (GError) local = NULL;
  ClCardInfo info;
  char serial[17] = "";
  g_autofree char *who_old = NULL;
  g_autofree char *who_new = NULL;
  g_autofree char *detail = NULL;
  guint8 kid;
  guint min_len, max_len;
  gboolean ok = FALSE;

  card = open_target (task, FALSE, &info, serial, &local);
  if (card == NULL || (kid = pin_kid (&info, p->pin, &local)) == 0xFF)
    goto out;
  if (info.kind == CL_CARD_KIND_KTC)
    {
      const char *custodian = kid == 1   ? _ ("leader I")
                              : kid == 2 ? _ ("leader II")
                                         : _ ("the system administrator");

      min_len = WF_KTC_PIN_MIN;
      max_len = WF_KTC_PIN_MAX;
      who_old =
          g_strdup_printf (_ ("%s on the key transport card (the PIN in use now)"), custodian);
      who_new = g_strdup_printf (_ ("%s on the key transport card"), custodian);
      detail = g_strdup_printf (_ ("PIN %u"), kid);
    }
  else
    {
      min_len = WF_HOLDER_PIN_MIN;
      max_len = WF_HOLDER_PIN_MAX;
      who_old = g_strdup (_ ("the card (the PIN in use now)"));
      who_new = g_strdup (_ ("the card"));
    }
  old_pin = wf_ceremony_ask_pin (task, "operator-pin", who_old, min_len, max_len, FALSE, &local);
  if (old_pin == NULL)
    goto out;
  new_pin = wf_ceremony_ask_pin (task, "new-pin", who_new, min_len, max_len, TRUE, &local);
  ok = new_pin != NULL && cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, task->cancellable, &local)
       && cl_fmcos_pin_change (card, kid, old_pin, new_pin, FALSE, NULL, task->cancellable, &local);
out:
  if (ok)
    ok = wf_task_audit (task, DB_ACTION_PIN_CHANGE, DB_OUTCOME_OK, serial, NULL, NULL, NULL, detail,
                        &local);
  if (!ok)
    {
      wf_task_audit_failure (task, DB_ACTION_PIN_CHANGE, serial[0] ? serial : NULL, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return GINT_TO_POINTER (1);
}

gboolean
wf_pin_change (WfDesk *desk, WfInteraction *interaction, guint pin, GCancellable *cancellable,
               GError **error)
{
  Params p = { pin };

  return wf_task_run (desk, interaction, pin_change_task, &p, cancellable, error) != NULL;
}

void
wf_pin_change_async (WfDesk *desk, WfInteraction *interaction, guint pin, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  Params *p = g_new0 (Params, 1);

  p->pin = pin;
  wf_task_run_async (desk, interaction, wf_pin_change_async, pin_change_task, p, g_free, NULL,
                     cancellable, callback, user_data);
}

gboolean
wf_pin_change_finish (WfDesk *desk, GAsyncResult *result, GError **error)
{
  return wf_task_run_finish (result, wf_pin_change_async, error) != NULL;
}

/* -- wash
 * ------------------------------------------------------------------------------------------- */

/* The holder of an administrator or key card, from its free-read file
 * (checked as it is decoded); role may be NULL. */
static char *
holder_of (WfTask *task, ClCard *card, const ClCardInfo *info, ClCardRole *role)
{
  g_autoptr (GBytes) h = NULL;
  g_auto (WfOpHolder) holder = { 0 };

  if (info->kind != CL_CARD_KIND_AC && info->kind != CL_CARD_KIND_KC)
    return NULL;
  if (!cl_fmcos_select_name (card, (const guint8 *) WF_ADF_NAME, strlen (WF_ADF_NAME), NULL,
                             task->cancellable, NULL))
    return NULL;
  h = cl_fmcos_read_binary (card, 0x15, 0, WF_HOLDER_LEN, task->cancellable, NULL);
  if (h == NULL
      || !wf_op_holder_decode (g_bytes_get_data (h, NULL), g_bytes_get_size (h), &holder, NULL))
    return NULL;
  if (role != NULL)
    *role = holder.role;
  return g_steal_pointer (&holder.name);
}

/* The last key transport card of the system in use? */
static gboolean
is_last_ktc (WfTask *task, const char *serial)
{
  DbDatabase *db = wf_task_db (task, NULL);
  g_autoptr (GPtrArray) cards = db != NULL ? db_cpu_cards_list (db, NULL) : NULL;
  guint others = 0;

  for (guint i = 0; cards != NULL && i < cards->len; i++)
    {
      DbCpuCard *c = cards->pdata[i];

      if (c->kind == DB_CPU_KTC && c->status == DB_CPU_ACTIVE && g_strcmp0 (c->serial, serial) != 0)
        others++;
    }
  return others == 0;
}

static gboolean
confirm_wash (WfTask *task, const ClCardInfo *info, const char *serial, const char *holder,
              GError **error)
{
  g_autofree char *text = NULL;
  WfQuestion q = {
    .kind = WF_QUESTION_CONFIRM,
    .name = "wash",
    .title = _ ("Wash the card"),
    .confirm = WF_CONFIRM_DESTRUCTIVE,
    .irreversible = TRUE,
  };

  text = holder != NULL
             ? g_strdup_printf (_ ("Wash %s %s of %s back to a blank card? Its keys, PIN and "
                                   "files are erased. This cannot be undone."),
                                cl_card_kind_describe (info->kind), serial, holder)
             : g_strdup_printf (_ ("Wash %s %s back to a blank card? Its keys, PINs and files "
                                   "are erased. This cannot be undone."),
                                cl_card_kind_describe (info->kind), serial);
  q.text = text;
  if (!wf_interaction_confirm (task->interaction, &q, task->cancellable, error))
    return FALSE;
  if (info->kind == CL_CARD_KIND_MCC
      || (info->kind == CL_CARD_KIND_KTC && is_last_ktc (task, serial)))
    {
      q.name = "wash-again";
      q.text = info->kind == CL_CARD_KIND_MCC
                   ? _ ("This is a master control card. Without one, no card of the system can be "
                        "made, washed or unblocked until a new one is made from the master key. "
                        "Wash it all the same?")
                   : _ ("This is the last key transport card of the system. Without it no "
                        "administrator or key card can be made until it is rebuilt from the "
                        "custodians' codes. Wash it all the same?");
      return wf_interaction_confirm (task->interaction, &q, task->cancellable, error);
    }
  return TRUE;
}

/* A half-made card holds the master key it was given, or no key yet
 * (then it enforces no right and needs none).  Only that one key is
 * tried: each wrong key costs one of the card's tries. */
static gboolean
authenticate_unfinished (WfTask *task, ClAuthority *authority, ClCard *card, const ClCardInfo *info,
                         GError **error)
{
  g_autoptr (GError) local = NULL;

  if (authenticate (task, authority, card, info, &local)
      || g_error_matches (local, CL_ERROR, CL_ERROR_NOT_FOUND))
    return TRUE;
  if (g_error_matches (local, CL_ERROR, CL_ERROR_AUTH_FAILED))
    {
      g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
                   _ ("The half-made card refused the key (%s). No other key was tried, so "
                      "that no more tries are spent. If the answer to whether it was being made "
                      "into a master control card was wrong, wash it again with the other "
                      "answer."),
                   local->message);
      return FALSE;
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

static gpointer
wash_task (WfTask *task, gpointer data, GError **error)
{
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClCard) mcc = NULL;
  g_autoptr (ClAuthority) authority = NULL;
  g_autoptr (WfCardMade) made = g_new0 (WfCardMade, 1);
  g_autoptr (GError) local = NULL;
  ClCardInfo info;
  gboolean ok = FALSE;

  card = open_target (task, TRUE, &info, made->serial, &local);
  if (card == NULL)
    goto out;
  made->kind = info.kind;
  made->holder_name = holder_of (task, card, &info, NULL);
  if (!confirm_wash (task, &info, made->serial, made->holder_name, &local))
    goto out;
  authority = info.kind == CL_CARD_KIND_CPU_UNFINISHED
                  ? open_unfinished_authority (task, &mcc, &local)
                  : open_authority (task, &info, &mcc, &local);
  if (authority == NULL || !cl_card_begin (card, task->cancellable, &local))
    goto out;
  ok = (info.kind == CL_CARD_KIND_CPU_UNFINISHED
            ? authenticate_unfinished (task, authority, card, &info, &local)
            : authenticate (task, authority, card, &info, &local))
       && wf_personalise_wash (task, card, &local);
  cl_card_end (card);
  if (ok)
    {
      DbDatabase *db = wf_task_db (task, &local);
      g_autoptr (DbCpuCard) rec = db != NULL ? db_cpu_cards_get (db, made->serial, NULL) : NULL;

      ok = db != NULL
           && (rec == NULL || db_cpu_cards_set_status (db, made->serial, DB_CPU_WASHED, &local))
           && wf_task_audit (task, DB_ACTION_CARD_WASH, DB_OUTCOME_OK, made->serial, NULL, NULL,
                             NULL, cl_card_kind_to_string (info.kind), &local);
    }
out:
  if (!ok)
    {
      wf_task_audit_failure (task, DB_ACTION_CARD_WASH, made->serial[0] ? made->serial : NULL,
                             local);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&made);
}

WfCardMade *
wf_card_wash (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable, GError **error)
{
  return wf_task_run (desk, interaction, wash_task, NULL, cancellable, error);
}

void
wf_card_wash_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                    GAsyncReadyCallback callback, gpointer user_data)
{
  wf_task_run_async (desk, interaction, wf_card_wash_async, wash_task, NULL, NULL,
                     (GDestroyNotify) wf_card_made_free, cancellable, callback, user_data);
}

WfCardMade *
wf_card_wash_finish (WfDesk *desk, GAsyncResult *result, GError **error)
{
  return wf_task_run_finish (result, wf_card_wash_async, error);
}

/* -- genuine card check
 * ---------------------------------------------------------------------------- */

/* The card encrypts a fresh random number with its internal-authentication
 * key (its CMK); the MCC gives CMK and the host compares.  A master
 * control card proves MK by external authentication instead. */
static gboolean
genuine (WfTask *task, ClAuthority *authority, ClCard *card, const ClCardInfo *info,
         gboolean *result, GError **error)
{
  guint8 challenge[8], want[8];
  g_autoptr (ClKey) cmk = NULL;
  g_autoptr (ClKey) got = NULL;
  g_autoptr (GError) local = NULL;

  if (info->kind == CL_CARD_KIND_MCC)
    {
      *result = authenticate (task, authority, card, info, &local);
      if (*result || g_error_matches (local, CL_ERROR, CL_ERROR_AUTH_FAILED))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!cl_random_bytes (challenge, sizeof challenge, error)
      || !cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, task->cancellable, error))
    return FALSE;
  got = cl_fmcos_internal_authenticate (card, WF_KID_MASTER, challenge, sizeof challenge,
                                        task->cancellable, &local);
  cmk = cl_authority_card_key (authority, info->serial, task->cancellable, error);
  if (cmk == NULL || !cl_des_ecb_encrypt (cmk, challenge, sizeof challenge, want, error))
    return FALSE;
  *result = got != NULL && CRYPTO_memcmp (cl_key_get_data (got), want, sizeof want) == 0;
  cl_secure_wipe (want, sizeof want);
  return TRUE;
}

static gpointer
check_task (WfTask *task, gpointer data, GError **error)
{
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClCard) mcc = NULL;
  g_autoptr (ClAuthority) authority = NULL;
  g_autoptr (GError) local = NULL;
  ClCardInfo info;
  char serial[17] = "";
  gboolean ok = FALSE;
  gboolean is_genuine = FALSE;

  card = open_target (task, FALSE, &info, serial, &local);
  if (card == NULL || (authority = open_authority (task, &info, &mcc, &local)) == NULL
      || !cl_card_begin (card, task->cancellable, &local))
    goto out;
  ok = genuine (task, authority, card, &info, &is_genuine, &local);
  cl_card_end (card);
  if (ok)
    ok = wf_task_audit (task, DB_ACTION_CARD_CHECK, is_genuine ? DB_OUTCOME_OK : DB_OUTCOME_REFUSED,
                        serial, NULL, NULL, NULL, is_genuine ? _ ("genuine") : _ ("not genuine"),
                        &local);
out:
  if (!ok)
    {
      wf_task_audit_failure (task, DB_ACTION_CARD_CHECK, serial[0] ? serial : NULL, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return GENUINE_TO_POINTER (is_genuine);
}

gboolean
wf_card_check (WfDesk *desk, WfInteraction *interaction, gboolean *is_genuine,
               GCancellable *cancellable, GError **error)
{
  gpointer result = wf_task_run (desk, interaction, check_task, NULL, cancellable, error);

  if (result == NULL)
    return FALSE;
  *is_genuine = POINTER_TO_GENUINE (result);
  return TRUE;
}

void
wf_card_check_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  wf_task_run_async (desk, interaction, wf_card_check_async, check_task, NULL, NULL, NULL,
                     cancellable, callback, user_data);
}

gboolean
wf_card_check_finish (WfDesk *desk, GAsyncResult *result, gboolean *is_genuine, GError **error)
{
  gpointer value = wf_task_run_finish (result, wf_card_check_async, error);

  if (value == NULL)
    return FALSE;
  *is_genuine = POINTER_TO_GENUINE (value);
  return TRUE;
}

/* -- what the card in R2 is ----------------------------------------------------------------- */

void
wf_cpu_card_seen_free (WfCpuCardSeen *seen)
{
  if (seen == NULL)
    return;
  g_free (seen->holder_name);
  g_clear_pointer (&seen->record, db_cpu_card_free);
  g_free (seen);
}

static gpointer
identify_task (WfTask *task, gpointer data, GError **error)
{
  g_autoptr (WfCpuCardSeen) seen = g_new0 (WfCpuCardSeen, 1);
  g_autoptr (ClCard) card = NULL;
  g_autoptr (GError) local = NULL;
  DbDatabase *db;
  ClCardInfo info;

  card = open_target (task, TRUE, &info, seen->serial, error);
  if (card == NULL || (db = wf_task_db (task, error)) == NULL)
    return NULL;
  seen->kind = info.kind;
  seen->holder_name = holder_of (task, card, &info, &seen->role);
  seen->record = db_cpu_cards_get (db, seen->serial, &local);
  if (seen->record == NULL && !g_error_matches (local, DB_ERROR, DB_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&seen);
}

WfCpuCardSeen *
wf_cpu_card_identify (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                      GError **error)
{
  return wf_task_run (desk, interaction, identify_task, NULL, cancellable, error);
}

void
wf_cpu_card_identify_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                            GAsyncReadyCallback callback, gpointer user_data)
{
  wf_task_run_async (desk, interaction, wf_cpu_card_identify_async, identify_task, NULL, NULL,
                     (GDestroyNotify) wf_cpu_card_seen_free, cancellable, callback, user_data);
}

WfCpuCardSeen *
wf_cpu_card_identify_finish (WfDesk *desk, GAsyncResult *result, GError **error)
{
  return wf_task_run_finish (result, wf_cpu_card_identify_async, error);
}
