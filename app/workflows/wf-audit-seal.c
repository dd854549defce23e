/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-audit-seal.c: the audit log sealed and its seals checked with an
 * operator card (wf-audit-seal.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "wf-audit-seal.h"
#include "wf-session.h"
#include "wf-task.h"

typedef struct {
  char *db_path;
  DbVerifyReport report;
  gint64 seq;
} Params;

static void
params_free (Params *p)
{
  g_free (p->db_path);
  g_free (p);
}

/* The desk's session, or a login for this task alone (*own set). */
static gboolean
ensure_session (WfTask *task, gboolean *own, GError **error)
{
  g_autoptr (WfSession) session = NULL;

  *own = FALSE;
  if (task->session != NULL && wf_session_is_active (task->session))
    return TRUE;
  session = wf_session_login_task (task, NULL, error);
  if (session == NULL)
    return FALSE;
  g_set_object (&task->session, session);
  *own = TRUE;
  return TRUE;
}

static void
end_own_session (WfTask *task, gboolean own)
{
  if (own)
    wf_session_logout_task (task, NULL, NULL);
}

/* The database to check: the desk's connection, or a read-only copy. */
static DbDatabase *
open_checked_db (WfTask *task, const char *db_path, gboolean *borrowed, GError **error)
{
  *borrowed = db_path == NULL || g_strcmp0 (db_path, wf_desk_get_db_path (task->desk)) == 0;
  if (*borrowed)
    return wf_task_db (task, error);
  return db_database_open (db_path, DB_MODE_ANY, DB_OPEN_READ_ONLY, error);
}

static gpointer
verify_task (WfTask *task, gpointer data, GError **error)
{
  Params *p = data;
  g_autoptr (GError) local = NULL;
  g_autofree char *detail = NULL;
  DbDatabase *db = NULL;
  gboolean own = FALSE, borrowed = TRUE, ok = FALSE, intact;
  DbMode mode = DB_MODE_ANY;

  if (!ensure_session (task, &own, &local)
      || !wf_session_require (task->session, WF_PERM_AUDIT, &local)
      || (db = open_checked_db (task, p->db_path, &borrowed, &local)) == NULL)
    goto out;
  ok = db_audit_verify (db, wf_session_get_sealer (task->session), &p->report, &local);
  mode = db_database_get_mode (db);
  if (!borrowed)
    g_object_unref (db);
  if (!ok)
    goto out;
  /* On a real desk every seal must be a card's; only training logs carry
   * seals of the software test key. */
  intact = db_verify_report_is_intact (&p->report) && !p->report.guards_missing
           && (p->report.seals_unchecked == 0 || mode == DB_MODE_TRAINING);
  detail =
      g_strdup_printf (_ ("%s: %lld rows, %lld seals checked, rows 1 to %lld proven; %s"),
                       p->db_path != NULL ? p->db_path : wf_desk_get_db_path (task->desk),
                       (long long) p->report.rows, (long long) p->report.seals_genuine,
                       (long long) p->report.proven_seq, intact ? _ ("intact") : _ ("NOT intact"));
  ok = wf_task_audit (task, DB_ACTION_VERIFY, intact ? DB_OUTCOME_OK : DB_OUTCOME_REFUSED, NULL,
                      NULL, NULL, NULL, detail, &local);

out:
  if (!ok)
    wf_task_audit_failure (task, DB_ACTION_VERIFY, NULL, local);
  end_own_session (task, own);
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return GINT_TO_POINTER (1);
}

gboolean
wf_log_verify (WfDesk *desk, WfInteraction *interaction, const char *db_path,
               DbVerifyReport *report, GCancellable *cancellable, GError **error)
{
  Params p = { (char *) db_path };

  if (wf_task_run (desk, interaction, verify_task, &p, cancellable, error) == NULL)
    return FALSE;
  *report = p.report;
  return TRUE;
}

void
wf_log_verify_async (WfDesk *desk, WfInteraction *interaction, const char *db_path,
                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  Params *p = g_new0 (Params, 1);

  p->db_path = g_strdup (db_path);
  wf_task_run_async (desk, interaction, wf_log_verify_async, verify_task, p,
                     (GDestroyNotify) params_free, NULL, cancellable, callback, user_data);
}

gboolean
wf_log_verify_finish (WfDesk *desk, GAsyncResult *result, DbVerifyReport *report, GError **error)
{
  Params *p = wf_task_run_get_data (result);

  if (wf_task_run_finish (result, wf_log_verify_async, error) == NULL)
    return FALSE;
  *report = p->report;
  return TRUE;
}

gboolean
wf_log_verify_chain (WfDesk *desk, DbVerifyReport *report, GCancellable *cancellable,
                     GError **error)
{
  g_autoptr (DbDatabase) db = NULL;

  g_return_val_if_fail (WF_IS_DESK (desk), FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  db = db_database_open (wf_desk_get_db_path (desk), wf_desk_get_mode (desk), DB_OPEN_READ_ONLY,
                         error);
  return db != NULL && db_audit_verify (db, NULL, report, error);
}

static gpointer
seal_task (WfTask *task, gpointer data, GError **error)
{
  Params *p = data;
  g_autoptr (GError) local = NULL;
  DbDatabase *db;
  gboolean own = FALSE, ok = FALSE;

  if (ensure_session (task, &own, &local) && (db = wf_task_db (task, &local)) != NULL)
    ok = wf_session_seal (task->session, db, &task->actor, &p->seq, &local);
  end_own_session (task, own);
  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return GINT_TO_POINTER (1);
}

gboolean
wf_log_seal (WfDesk *desk, WfInteraction *interaction, gint64 *seq, GCancellable *cancellable,
             GError **error)
{
  Params p = { 0 };

  if (wf_task_run (desk, interaction, seal_task, &p, cancellable, error) == NULL)
    return FALSE;
  if (seq != NULL)
    *seq = p.seq;
  return TRUE;
}
