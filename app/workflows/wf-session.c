/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-session.c: login, the logged-in operator, logout (wf-session.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include <openssl/crypto.h>

#include "cl-crypto.h"
#include "cl-derive.h"
#include "cl-error.h"
#include "cl-fmcos.h"
#include "wf-error.h"
#include "wf-layout.h"
#include "wf-opcard-data.h"
#include "db-cpu-card.h"
#include "db-verify.h"
#include "wf-session.h"
#include "wf-task.h"

#define PIN_MIN 6
#define PIN_MAX 8

struct _WfSession {
  GObject parent_instance;

  GMutex lock; /* card, active */
  ClCard *card;
  gboolean active;
  ClCardKind kind;
  ClCardRole role;
  char serial[17];
  char *workstation;
  char *role_name;
  WfOpHolder holder;
  gint64 quota;
  gint pin_tries; /* tries the PIN had left when it was asked */
  DbSealer sealer;
};

enum { SIGNAL_ENDED, N_SIGNALS };

static guint signals[N_SIGNALS];

G_DEFINE_TYPE (WfSession, wf_session, G_TYPE_OBJECT)

static void
wf_session_finalize (GObject *object)
{
  WfSession *self = WF_SESSION (object);

  g_clear_object (&self->card);
  wf_op_holder_clear (&self->holder);
  g_free (self->workstation);
  g_free (self->role_name);
  g_free ((char *) self->sealer.id);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (wf_session_parent_class)->finalize (object);
}

static void
wf_session_class_init (WfSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wf_session_finalize;

  signals[SIGNAL_ENDED] = g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
wf_session_init (WfSession *self)
{
  g_mutex_init (&self->lock);
  self->quota = WF_QUOTA_NONE;
}

/* -- accessors ---------------------------------------------------------------------------- */

ClCardKind
wf_session_get_card_kind (WfSession *self)
{
  g_return_val_if_fail (WF_IS_SESSION (self), CL_CARD_KIND_UNKNOWN);
  return self->kind;
}

ClCardRole
wf_session_get_role (WfSession *self)
{
  g_return_val_if_fail (WF_IS_SESSION (self), CL_ROLE_NONE);
  return self->role;
}

const char *
wf_session_get_serial (WfSession *self)
{
  g_return_val_if_fail (WF_IS_SESSION (self), NULL);
  return self->serial;
}

const char *
wf_session_get_holder_name (WfSession *self)
{
  g_return_val_if_fail (WF_IS_SESSION (self), NULL);
  return self->holder.name;
}

const char *
wf_session_get_staff_number (WfSession *self)
{
  g_return_val_if_fail (WF_IS_SESSION (self), NULL);
  return self->holder.staff_number;
}

const char *
wf_session_get_office (WfSession *self)
{
  g_return_val_if_fail (WF_IS_SESSION (self), NULL);
  return self->holder.office;
}

gint64
wf_session_get_quota (WfSession *self)
{
  g_return_val_if_fail (WF_IS_SESSION (self), WF_QUOTA_NONE);
  return self->quota;
}

gint
wf_session_get_pin_tries (WfSession *self)
{
  g_return_val_if_fail (WF_IS_SESSION (self), -1);
  return self->pin_tries;
}

ClCard *
wf_session_get_card (WfSession *self)
{
  g_return_val_if_fail (WF_IS_SESSION (self), NULL);
  return self->card;
}

gboolean
wf_session_is_active (WfSession *self)
{
  gboolean active;

  g_return_val_if_fail (WF_IS_SESSION (self), FALSE);

  g_mutex_lock (&self->lock);
  active = self->active;
  g_mutex_unlock (&self->lock);
  return active;
}

void
wf_session_get_actor (WfSession *self, DbActor *actor)
{
  g_return_if_fail (WF_IS_SESSION (self));

  actor->workstation = self->workstation;
  actor->operator_serial = self->serial;
  actor->operator_name = self->holder.name;
  actor->role = self->role_name;
}

gboolean
wf_session_require (WfSession *self, WfPermission permission, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (WF_IS_SESSION (self), FALSE);

  if (!wf_session_is_active (self))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN,
                           _ ("The operator has logged out. Log in again with your card."));
      return FALSE;
    }
  switch (permission)
    {
    case WF_PERM_READ:
      ok = TRUE;
      break;
    case WF_PERM_ISSUE:
      ok = self->kind == CL_CARD_KIND_KC || self->role == CL_ROLE_SYSTEM_ADMIN
           || self->role == CL_ROLE_ISSUING_ADMIN;
      break;
    case WF_PERM_AUDIT:
      ok = self->role == CL_ROLE_AUDITOR || self->role == CL_ROLE_SYSTEM_ADMIN;
      break;
    case WF_PERM_ADMIN:
    default:
      ok = self->role == CL_ROLE_SYSTEM_ADMIN;
      break;
    }
  if (!ok)
    g_set_error (error, WF_ERROR, WF_ERROR_ROLE,
                 permission == WF_PERM_ISSUE
                     ? _ ("Your card (%s) may not issue or change insurance cards: an issuing "
                          "administrator, a system administrator or a key card may.")
                 : permission == WF_PERM_AUDIT
                     ? _ ("Your card (%s) may not do this: an auditor or a system administrator "
                          "may.")
                     : _ ("Your card (%s) may not do this: only a system administrator may."),
                 self->role_name);
  return ok;
}

/* -- the card's keys ----------------------------------------------------------------------------
 */

ClKey *
wf_session_encrypt (WfSession *self, guint8 kid, const guint8 *data, gsize len,
                    GCancellable *cancellable, GError **error)
{
  ClKey *out = NULL;

  g_return_val_if_fail (WF_IS_SESSION (self), NULL);
  g_return_val_if_fail (data != NULL && len > 0 && len % 8 == 0, NULL);

  if (!wf_session_require (self, WF_PERM_READ, error)
      || !cl_card_begin (self->card, cancellable, error))
    return NULL;
  if (cl_fmcos_select_name (self->card, (const guint8 *) WF_ADF_NAME, strlen (WF_ADF_NAME), NULL,
                            cancellable, error))
    out = cl_fmcos_internal_authenticate (self->card, kid, data, len, cancellable, error);
  cl_card_end (self->card);
  return out;
}

/* seal = TDES_Akey(M) ‖ TDES_Akey(~M) (docs/database.md, "The seal"). */
static gboolean
compute_seal (WfSession *self, const guint8 message[DB_SEAL_MESSAGE_LEN], guint8 seal[DB_SEAL_LEN],
              GError **error)
{
  guint8 both[2 * DB_SEAL_MESSAGE_LEN];
  g_autoptr (ClKey) out = NULL;

  memcpy (both, message, DB_SEAL_MESSAGE_LEN);
  for (guint i = 0; i < DB_SEAL_MESSAGE_LEN; i++)
    both[DB_SEAL_MESSAGE_LEN + i] = ~message[i];
  /* ECB: one INTERNAL AUTHENTICATE of both blocks is the two halves. */
  out = wf_session_encrypt (self, WF_KID_AKEY, both, sizeof both, NULL, error);
  if (out == NULL)
    return FALSE;
  memcpy (seal, cl_key_get_data (out), DB_SEAL_LEN);
  return TRUE;
}

static gboolean
sealer_seal (const DbSealer *sealer, const guint8 message[DB_SEAL_MESSAGE_LEN],
             guint8 seal[DB_SEAL_LEN], GError **error)
{
  return compute_seal (sealer->user_data, message, seal, error);
}

/* Every operator card of the system holds the same Akey, so one card
 * checks the seals of all. */
static DbSealCheck
sealer_check (const DbSealer *sealer, const char *sealer_id,
              const guint8 message[DB_SEAL_MESSAGE_LEN], const guint8 seal[DB_SEAL_LEN],
              GError **error)
{
  guint8 want[DB_SEAL_LEN];
  DbSealCheck result;

  if (!g_str_has_prefix (sealer_id, "card:"))
    return DB_SEAL_UNCHECKED;
  if (!compute_seal (sealer->user_data, message, want, error))
    return DB_SEAL_UNCHECKED;
  result = CRYPTO_memcmp (want, seal, DB_SEAL_LEN) == 0 ? DB_SEAL_GENUINE : DB_SEAL_FORGED;
  cl_secure_wipe (want, sizeof want);
  return result;
}

const DbSealer *
wf_session_get_sealer (WfSession *self)
{
  g_return_val_if_fail (WF_IS_SESSION (self), NULL);
  return &self->sealer;
}

gboolean
wf_session_record_issued (WfSession *self, const guint8 serial[8], GCancellable *cancellable,
                          GError **error)
{
  gboolean ok = FALSE;

  g_return_val_if_fail (WF_IS_SESSION (self), FALSE);

  if (self->kind != CL_CARD_KIND_KC)
    return TRUE;
  if (!wf_session_require (self, WF_PERM_ISSUE, error)
      || !cl_card_begin (self->card, cancellable, error))
    return FALSE;
  if (cl_fmcos_select_name (self->card, (const guint8 *) WF_ADF_NAME, strlen (WF_ADF_NAME), NULL,
                            cancellable, error))
    ok = cl_fmcos_append_record (self->card, 0x18, serial, WF_TRAIL_RECORD_LEN, cancellable, error);
  cl_card_end (self->card);
  return ok;
}

gboolean
wf_session_seal (WfSession *self, DbDatabase *db, const DbActor *actor, gint64 *seq, GError **error)
{
  gboolean sealed = FALSE;
  DbSealCheck check = DB_SEAL_UNCHECKED;

  if (!db_audit_check_last_seal (db, &self->sealer, &sealed, &check, error))
    return FALSE;
  /* Sealing over a forged head would make the forgery look proven. */
  if (sealed
      && (check == DB_SEAL_FORGED
          || (check == DB_SEAL_UNCHECKED && db_database_get_mode (db) != DB_MODE_TRAINING)))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_REFUSED,
                           _ ("The audit log's last seal is not genuine, so the log was not sealed "
                              "again. An auditor must verify the log with the auditor card now."));
      return FALSE;
    }
  return db_audit_seal (db, actor, &self->sealer, NULL, seq, error);
}

void
wf_session_seal_if_due (WfSession *self, DbDatabase *db, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  gboolean due = FALSE;
  DbActor actor;

  if (!wf_session_is_active (self) || !db_audit_seal_due (db, &due, &error) || !due)
    return;
  wf_session_get_actor (self, &actor);
  if (!wf_session_seal (self, db, &actor, NULL, &error))
    g_message ("The audit log could not be sealed now: %s", error->message);
}

void
wf_session_end (WfSession *self)
{
  gboolean was;

  g_return_if_fail (WF_IS_SESSION (self));

  g_mutex_lock (&self->lock);
  was = self->active;
  self->active = FALSE;
  g_mutex_unlock (&self->lock);
  if (!was)
    return;
  /* The card forgets its PIN state at power off; we let it go. */
  cl_card_disconnect (self->card);
  g_signal_emit (self, signals[SIGNAL_ENDED], 0);
}

/* -- login ----------------------------------------------------------------------------------------
 */

static gboolean
accept_operator (const ClCardInfo *info, GString *problem, gpointer data)
{
  if (info->kind == CL_CARD_KIND_AC || info->kind == CL_CARD_KIND_KC)
    return TRUE;
  g_string_printf (problem, _ ("The card there now is a %s, not an administrator or key card."),
                   cl_card_kind_describe (info->kind));
  return FALSE;
}

/* Holder (and, on a key card, its workstation and quota) from the card's
 * free-read files. */
static gboolean
read_card_files (WfTask *task, ClCard *card, ClCardKind kind, WfOpHolder *holder, WfOpIdent *ident,
                 GError **error)
{
  g_autoptr (GBytes) h = NULL;
  g_autoptr (GBytes) i = NULL;
  g_autoptr (GBytes) s = NULL;
  gboolean ok = FALSE;

  if (!cl_card_begin (card, task->cancellable, error))
    return FALSE;
  if (!cl_fmcos_select_name (card, (const guint8 *) WF_ADF_NAME, strlen (WF_ADF_NAME), NULL,
                             task->cancellable, error))
    goto out;
  h = cl_fmcos_read_binary (card, 0x15, 0, WF_HOLDER_LEN, task->cancellable, error);
  if (h == NULL
      || !wf_op_holder_decode (g_bytes_get_data (h, NULL), g_bytes_get_size (h), holder, error))
    goto out;
  s = cl_fmcos_read_binary (card, 0x16, 0, WF_STATUS_LEN, task->cancellable, error);
  if (s == NULL)
    goto out;
  if (!wf_op_status_is_active (g_bytes_get_data (s, NULL), g_bytes_get_size (s)))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_REFUSED,
                           _ ("This card is not in use (its status file says so, or is damaged). "
                              "See the system administrator."));
      goto out;
    }
  if (kind == CL_CARD_KIND_KC)
    {
      i = cl_fmcos_read_binary (card, 0x17, 0, WF_IDENT_LEN, task->cancellable, error);
      if (i == NULL
          || !wf_op_ident_decode (g_bytes_get_data (i, NULL), g_bytes_get_size (i), ident, error))
        goto out;
    }
  ok = cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, task->cancellable, error);
out:
  cl_card_end (card);
  return ok;
}

static gboolean
refuse (GError **error, const char *message)
{
  g_set_error_literal (error, WF_ERROR, WF_ERROR_REFUSED, message);
  return FALSE;
}

/* Before any PIN try: the card's dates, and what this desk's registry says
 * of it.  A card the registry does not know was made at another desk and
 * is judged by its keys (prove_keys()). */
static gboolean
check_standing (WfTask *task, WfSession *self, const WfOpIdent *ident, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *today = g_date_time_format (now, "%Y%m%d");
  g_autoptr (DbCpuCard) rec = NULL;
  g_autoptr (GError) local = NULL;
  DbDatabase *db = wf_task_db (task, error);
  DbCpuKind kind = self->kind == CL_CARD_KIND_KC ? DB_CPU_KC : DB_CPU_AC;

  if (db == NULL)
    return FALSE;
  if (self->holder.valid_from != NULL && strcmp (today, self->holder.valid_from) < 0)
    return refuse (error, _ ("This card is not valid yet. See the system administrator."));
  if (self->holder.valid_until != NULL && strcmp (today, self->holder.valid_until) > 0)
    return refuse (error, _ ("This card has expired. See the system administrator for a new one."));
  rec = db_cpu_cards_get (db, self->serial, &local);
  if (rec == NULL)
    {
      if (g_error_matches (local, DB_ERROR, DB_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (rec->status != DB_CPU_ACTIVE)
    {
      g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
                   _ ("This card is recorded as %s and may no longer be used. See the system "
                      "administrator."),
                   db_cpu_status_to_string (rec->status));
      return FALSE;
    }
  if (rec->kind != kind
      || (self->kind == CL_CARD_KIND_AC && g_strcmp0 (rec->role, self->role_name) != 0)
      || (self->kind == CL_CARD_KIND_KC && g_strcmp0 (rec->workstation, ident->workstation) != 0))
    return refuse (error, _ ("This card does not match its record in the registry. Keep it and "
                             "tell the system administrator."));
  return TRUE;
}

/* After the PIN: the card holds this system's audit key, as every operator
 * card of the system does: its check value must be the one the registry
 * keeps for the cards made here.  A desk that has made no card yet has
 * nothing to compare with. */
static gboolean
prove_keys (WfTask *task, WfSession *self, GError **error)
{
  static const guint8 zeros[8] = { 0 };
  g_autoptr (GPtrArray) cards = NULL;
  g_autoptr (ClKey) out = NULL;
  g_autofree char *kcv = NULL;
  const char *want = NULL;
  DbDatabase *db = wf_task_db (task, error);

  if (db == NULL || (cards = db_cpu_cards_list (db, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < cards->len && want == NULL; i++)
    {
      const DbCpuCard *c = cards->pdata[i];

      if ((c->kind == DB_CPU_AC || c->kind == DB_CPU_KC) && c->kcv_akey != NULL
          && c->kcv_akey[0] != '\0')
        want = c->kcv_akey;
    }
  if (want == NULL)
    return TRUE;
  out = wf_session_encrypt (self, WF_KID_AKEY, zeros, sizeof zeros, task->cancellable, error);
  if (out == NULL)
    return FALSE;
  kcv = g_strdup_printf ("%02X%02X%02X", cl_key_get_data (out)[0], cl_key_get_data (out)[1],
                         cl_key_get_data (out)[2]);
  if (g_ascii_strcasecmp (kcv, want) != 0)
    return refuse (error, _ ("This card does not carry this system's keys. Keep it and tell the "
                             "system administrator."));
  return TRUE;
}

static gboolean
verify_pin (WfTask *task, ClCard *card, const char *who, gint *tries_out, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (ClKey) digits = NULL;
  g_autoptr (ClKey) pin = NULL;
  gboolean last = FALSE;
  gint tries;
  WfQuestion q = {
    .kind = WF_QUESTION_SECRET,
    .name = "operator-pin",
    .title = _ ("Your PIN"),
    .format = WF_SECRET_DIGITS,
    .min_len = PIN_MIN,
    .max_len = PIN_MAX,
  };

  tries = cl_fmcos_get_pin_tries (card, WF_KID_PIN, task->cancellable, error);
  if (tries == -2)
    return FALSE;
  *tries_out = tries;
  if (tries == 0)
    {
      g_set_error_literal (error, CL_ERROR, CL_ERROR_LOCKED,
                           _ ("Your card's PIN is blocked. See the system administrator: the PIN "
                              "can be unblocked with the master control card."));
      return FALSE;
    }
  if (tries == 1)
    {
      const WfQuestion last_try = {
        .kind = WF_QUESTION_CONFIRM,
        .name = "last-try",
        .title = _ ("Last PIN try"),
        .text = _ ("Only one PIN try is left. A wrong PIN now blocks the card until the system "
                   "administrator unblocks it. Type the PIN only if you are sure of it."),
        .confirm = WF_CONFIRM_LAST_TRY,
      };

      if (!wf_interaction_confirm (task->interaction, &last_try, task->cancellable, error))
        return FALSE;
      last = TRUE;
    }
  text = tries > 0
             ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "PIN of %s's card: %d try left.",
                                             "PIN of %s's card: %d tries left.", tries),
                                who, tries)
             : g_strdup_printf (_ ("PIN of %s's card."), who);
  q.text = text;
  digits = wf_interaction_ask_secret (task->interaction, &q, task->cancellable, error);
  if (digits == NULL)
    return FALSE;
  pin = cl_pin_from_digits (digits, error);
  return pin != NULL
         && cl_fmcos_verify (card, WF_KID_PIN, pin, last, NULL, task->cancellable, error);
}

gpointer
wf_session_login_task (WfTask *task, gpointer data, GError **error)
{
  const WfQuestion want = {
    .kind = WF_QUESTION_CARD,
    .name = "operator-card",
    .title = _ ("Operator card"),
    .text = _ ("Put your administrator card or key card into R1."),
  };
  g_autoptr (WfSession) self = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (GError) local = NULL;
  g_auto (WfOpIdent) ident = { 0 };
  ClCardInfo info;
  const char *workstation = wf_desk_get_workstation (task->desk);

  card = wf_task_wait_card (task, CL_READER_ROLE_R1, accept_operator, NULL, &want, &info, error);
  if (card == NULL)
    return NULL;
  self = g_object_new (WF_TYPE_SESSION, NULL);
  self->kind = info.kind;
  self->role = info.kind == CL_CARD_KIND_AC ? info.role : CL_ROLE_NONE;
  wf_serial_hex (info.serial, self->serial);
  self->workstation = g_strdup (workstation);
  self->role_name =
      g_strdup (info.kind == CL_CARD_KIND_KC ? "key-card" : wf_role_to_string (self->role));
  wf_task_set_actor (task, self->serial, NULL, self->role_name);

  if (!read_card_files (task, card, info.kind, &self->holder, &ident, &local))
    goto failed;
  wf_task_set_actor (task, self->serial, self->holder.name, self->role_name);
  if (info.kind == CL_CARD_KIND_KC)
    {
      if (g_strcmp0 (ident.workstation, workstation) != 0)
        {
          g_set_error (&local, WF_ERROR, WF_ERROR_REFUSED,
                       _ ("This key card belongs to another workstation; this is “%s”. Use it "
                          "there, or log in with a card of this workstation."),
                       workstation);
          goto failed;
        }
      self->quota = ident.quota;
    }
  if (!check_standing (task, self, &ident, &local)
      || !verify_pin (task, card, self->holder.name, &self->pin_tries, &local))
    goto failed;

  self->card = g_steal_pointer (&card);
  self->active = TRUE;
  self->sealer.id = g_strdup_printf ("card:%s", self->serial);
  self->sealer.seal = sealer_seal;
  self->sealer.check = sealer_check;
  self->sealer.user_data = self;
  if (!prove_keys (task, self, &local))
    {
      wf_session_end (self);
      goto failed;
    }
  if (!wf_task_audit (task, DB_ACTION_LOGIN, DB_OUTCOME_OK, NULL, NULL, NULL, NULL, NULL, error))
    {
      wf_session_end (self);
      return NULL;
    }
  wf_desk_set_session (task->desk, self);
  return g_steal_pointer (&self);

failed:
  if (!g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    wf_task_audit (task, DB_ACTION_LOGIN_FAILED,
                   g_error_matches (local, CL_ERROR, CL_ERROR_WRONG_PIN)
                           || g_error_matches (local, WF_ERROR, WF_ERROR_REFUSED)
                       ? DB_OUTCOME_REFUSED
                       : DB_OUTCOME_FAILED,
                   self->serial, NULL, NULL, local, NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

WfSession *
wf_login (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable, GError **error)
{
  return wf_task_run (desk, interaction, wf_session_login_task, NULL, cancellable, error);
}

void
wf_login_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                GAsyncReadyCallback callback, gpointer user_data)
{
  wf_task_run_async (desk, interaction, wf_login_async, wf_session_login_task, NULL, NULL,
                     g_object_unref, cancellable, callback, user_data);
}

WfSession *
wf_login_finish (WfDesk *desk, GAsyncResult *result, GError **error)
{
  return wf_task_run_finish (result, wf_login_async, error);
}

/* -- logout -------------------------------------------------------------------------------------
 */

gpointer
wf_session_logout_task (WfTask *task, gpointer data, GError **error)
{
  g_autoptr (GError) seal_error = NULL;
  DbDatabase *db;
  gboolean sealed = FALSE;

  if (task->session == NULL)
    return GINT_TO_POINTER (1); /* nobody is logged in: nothing to do */
  db = wf_task_db (task, error);
  if (db == NULL)
    return NULL;
  if (wf_session_is_active (task->session))
    sealed = wf_session_seal (task->session, db, &task->actor, NULL, &seal_error);
  wf_task_audit (task, DB_ACTION_LOGOUT, DB_OUTCOME_OK, NULL, NULL, NULL, NULL,
                 sealed               ? NULL
                 : seal_error != NULL ? seal_error->message
                                      : _ ("the log could not be sealed: the card was gone"),
                 NULL);
  wf_session_end (task->session);
  wf_desk_set_session (task->desk, NULL);
  return GINT_TO_POINTER (1);
}

gboolean
wf_logout (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable, GError **error)
{
  return wf_task_run (desk, interaction, wf_session_logout_task, NULL, cancellable, error) != NULL;
}

void
wf_logout_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                 GAsyncReadyCallback callback, gpointer user_data)
{
  wf_task_run_async (desk, interaction, wf_logout_async, wf_session_logout_task, NULL, NULL, NULL,
                     cancellable, callback, user_data);
}

gboolean
wf_logout_finish (WfDesk *desk, GAsyncResult *result, GError **error)
{
  return wf_task_run_finish (result, wf_logout_async, error) != NULL;
}
