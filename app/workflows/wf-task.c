/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-task.c: what every operator task shares (wf-task.h). */
#include "config.h"

#include <glib/gi18n.h>
#include <openssl/crypto.h>

#include "cl-error.h"
#include "wf-error.h"
#include "wf-session.h"
#include "wf-task.h"

void
wf_task_init (WfTask *task, WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable)
{
  memset (task, 0, sizeof *task);
  task->desk = g_object_ref (desk);
  task->interaction = g_object_ref (interaction);
  task->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  task->session = wf_desk_dup_session (desk);
  if (task->session != NULL)
    wf_session_get_actor (task->session, &task->actor);
  else
    wf_desk_get_anonymous_actor (desk, &task->actor);
}

void
wf_task_clear (WfTask *task)
{
  g_clear_pointer (&task->db, db_database_close);
  g_clear_object (&task->session);
  g_clear_object (&task->cancellable);
  g_clear_object (&task->interaction);
  g_clear_object (&task->desk);
  g_clear_pointer (&task->actor_serial, g_free);
  g_clear_pointer (&task->actor_name, g_free);
  g_clear_pointer (&task->actor_role, g_free);
}

gpointer
wf_task_run (WfDesk *desk, WfInteraction *interaction, WfTaskFunc func, gpointer data,
             GCancellable *cancellable, GError **error)
{
  WfTask task;
  gpointer result;

  g_return_val_if_fail (WF_IS_DESK (desk), NULL);
  g_return_val_if_fail (WF_IS_INTERACTION (interaction), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  wf_task_init (&task, desk, interaction, cancellable);
  result = func (&task, data, error);
  wf_task_clear (&task);
  return result;
}

typedef struct {
  WfDesk *desk;
  WfInteraction *interaction;
  WfTaskFunc func;
  gpointer data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} RunData;

static void
run_data_free (RunData *rd)
{
  if (rd->data_free != NULL && rd->data != NULL)
    rd->data_free (rd->data);
  g_clear_object (&rd->desk);
  g_clear_object (&rd->interaction);
  g_free (rd);
}

static void
run_thread (GTask *gtask, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RunData *rd = task_data;
  GError *error = NULL;
  gpointer result;

  result = wf_task_run (rd->desk, rd->interaction, rd->func, rd->data, cancellable, &error);
  /* Pool threads outlive the task: release OpenSSL's per-thread state. */
  OPENSSL_thread_stop ();
  /* The pool thread drops its GTask only after the caller has had the
   * result, perhaps after the program returned from main: let go of the
   * desk (its PC/SC context) now, while the caller is still waiting. */
  g_clear_object (&rd->desk);
  g_clear_object (&rd->interaction);
  if (result == NULL)
    g_task_return_error (gtask, error);
  else
    g_task_return_pointer (gtask, result, rd->result_free);
}

void
wf_task_run_async (WfDesk *desk, WfInteraction *interaction, gpointer source_tag, WfTaskFunc func,
                   gpointer data, GDestroyNotify data_free, GDestroyNotify result_free,
                   GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  /* No source object: the GTask must not keep the desk (see run_thread). */
  g_autoptr (GTask) gtask = g_task_new (NULL, cancellable, callback, user_data);
  RunData *rd = g_new0 (RunData, 1);

  rd->desk = g_object_ref (desk);
  rd->interaction = g_object_ref (interaction);
  rd->func = func;
  rd->data = data;
  rd->data_free = data_free;
  rd->result_free = result_free;
  g_task_set_source_tag (gtask, source_tag);
  g_task_set_task_data (gtask, rd, (GDestroyNotify) run_data_free);
  /* A cancelled task still finishes its own cleanup before it reports. */
  g_task_set_return_on_cancel (gtask, FALSE);
  g_task_run_in_thread (gtask, run_thread);
}

gpointer
wf_task_run_finish (GAsyncResult *result, gpointer source_tag, GError **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gpointer
wf_task_run_get_data (GAsyncResult *result)
{
  RunData *rd;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  rd = g_task_get_task_data (G_TASK (result));
  return rd->data;
}

DbDatabase *
wf_task_db (WfTask *task, GError **error)
{
  if (task->db == NULL)
    task->db = wf_desk_open_db (task->desk, error);
  return task->db;
}

void
wf_task_set_actor (WfTask *task, const char *serial, const char *name, const char *role)
{
  g_free (task->actor_serial);
  g_free (task->actor_name);
  g_free (task->actor_role);
  task->actor_serial = g_strdup (serial);
  task->actor_name = g_strdup (name);
  task->actor_role = g_strdup (role);
  task->actor.operator_serial = task->actor_serial;
  task->actor.operator_name = task->actor_name;
  task->actor.role = task->actor_role;
}

gboolean
wf_task_audit (WfTask *task, DbAction action, DbOutcome outcome, const char *card_sn,
               const char *card_number, const char *holder_id, const GError *error,
               const char *detail, GError **audit_error)
{
  DbAuditEntry entry = {
    .actor = task->actor,
    .action = action,
    .card_sn = card_sn,
    .card_number = card_number,
    .holder_id = holder_id,
    .outcome = outcome,
    .error_code = error != NULL ? wf_error_code (error) : "",
    .detail = detail,
  };
  DbDatabase *db = wf_task_db (task, audit_error);

  if (db == NULL || !db_audit_append (db, &entry, NULL, audit_error))
    return FALSE;
  if (task->session != NULL)
    wf_session_seal_if_due (task->session, db, task->cancellable);
  return TRUE;
}

void
wf_task_audit_failure (WfTask *task, DbAction action, const char *card_sn, const GError *error)
{
  g_autoptr (GError) local = NULL;
  gboolean refused = error->domain == WF_ERROR
                     || g_error_matches (error, CL_ERROR, CL_ERROR_WRONG_CARD)
                     || g_error_matches (error, CL_ERROR, CL_ERROR_LAST_TRY)
                     || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (!wf_task_audit (task, action, refused ? DB_OUTCOME_REFUSED : DB_OUTCOME_FAILED, card_sn, NULL,
                      NULL, error, error->message, &local))
    g_warning ("The audit log could not record a failure: %s", local->message);
}

/* -- asking for a card ----------------------------------------------------------------------- */

static void
describe_found (const ClCardInfo *info, GString *problem)
{
  char sn[17];

  if (info->has_serial)
    {
      wf_serial_hex (info->serial, sn);
      g_string_printf (problem, _ ("The card there now is a %s (%s)."),
                       cl_card_kind_describe (info->kind), sn);
    }
  else
    g_string_printf (problem, _ ("The card there now is a %s."),
                     cl_card_kind_describe (info->kind));
}

static gboolean
accept_kind (const ClCardInfo *info, GString *problem, ClCardKind kind)
{
  if (info->kind == kind)
    return TRUE;
  describe_found (info, problem);
  return FALSE;
}

/* A card whose making was interrupted is made again from where it is. */
gboolean
wf_accept_blank_cpu (const ClCardInfo *info, GString *problem, gpointer data)
{
  if (info->kind == CL_CARD_KIND_CPU_UNFINISHED)
    return TRUE;
  return accept_kind (info, problem, CL_CARD_KIND_CPU_BLANK);
}

gboolean
wf_accept_mcc (const ClCardInfo *info, GString *problem, gpointer data)
{
  return accept_kind (info, problem, CL_CARD_KIND_MCC);
}

gboolean
wf_accept_ktc (const ClCardInfo *info, GString *problem, gpointer data)
{
  return accept_kind (info, problem, CL_CARD_KIND_KTC);
}

gboolean
wf_accept_system_cpu (const ClCardInfo *info, GString *problem, gpointer data)
{
  switch (info->kind)
    {
    case CL_CARD_KIND_MCC:
    case CL_CARD_KIND_KTC:
    case CL_CARD_KIND_AC:
    case CL_CARD_KIND_KC:
      return TRUE;
    default:
      describe_found (info, problem);
      return FALSE;
    }
}

#define SHARED_RETRIES 40
#define SHARED_RETRY_MS 50

/* Connects to the card in the role's reader and detects it; NULL with
 * the reason in problem when there is none, or an error that ends the
 * wait (cancelled, pcscd gone). */
static ClCard *
try_reader (WfTask *task, ClReaderRole role, ClCardInfo *info, GString *problem, GError **error)
{
  ClContext *ctx = wf_desk_get_context (task->desk);
  g_autofree char *reader = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (ClCard) card = NULL;

  reader = cl_context_resolve_reader (ctx, role, task->cancellable, &local);
  /* R1 holds cards whose PIN or authentication unlocks keys: no other
   * program may use them meanwhile, and they are reset when let go.
   * Another connection may look at the card for a moment (the desk's
   * readers bar, a diagnostic): wait that out rather than ask the person. */
  for (guint tries = 0; reader != NULL; tries++)
    {
      g_clear_error (&local);
      card = cl_context_connect_full (
          ctx, reader, role == CL_READER_ROLE_R1 ? CL_SHARE_EXCLUSIVE : CL_SHARE_SHARED,
          task->cancellable, &local);
      if (card != NULL || !g_error_matches (local, CL_ERROR, CL_ERROR_SHARING_VIOLATION)
          || tries == SHARED_RETRIES)
        break;
      g_usleep (SHARED_RETRY_MS * 1000);
    }
  if (card != NULL && cl_card_detect (card, info, task->cancellable, &local))
    return g_steal_pointer (&card);
  if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_error_matches (local, CL_ERROR, CL_ERROR_NO_SERVICE))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (g_error_matches (local, CL_ERROR, CL_ERROR_NO_CARD))
    g_string_assign (problem, "");
  else
    g_string_assign (problem, local->message);
  return NULL;
}

ClCard *
wf_task_wait_card (WfTask *task, ClReaderRole role, WfAcceptFunc accept, gpointer accept_data,
                   const WfQuestion *question, ClCardInfo *info, GError **error)
{
  g_autoptr (GString) problem = g_string_new (NULL);

  for (;;)
    {
      g_autoptr (ClCard) card = NULL;
      g_autofree char *text = NULL;
      WfQuestion q = *question;
      GError *local = NULL;

      g_string_truncate (problem, 0);
      card = try_reader (task, role, info, problem, &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
      if (card != NULL && accept (info, problem, accept_data))
        return g_steal_pointer (&card);
      text = problem->len > 0 ? g_strdup_printf ("%s %s", question->text, problem->str)
                              : g_strdup (question->text);
      q.text = text;
      q.reader = role;
      if (!wf_interaction_request_card (task->interaction, &q, task->cancellable, error))
        return NULL;
    }
}

void
wf_serial_hex (const guint8 serial[8], char out[17])
{
  for (guint i = 0; i < 8; i++)
    g_snprintf (out + 2 * i, 3, "%02X", serial[i]);
}
