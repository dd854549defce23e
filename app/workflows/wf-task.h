/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-task.h: what every operator task shares (workflows-internal): the
 * context a task runs in, the runner that puts it in a worker thread, asking
 * for a card of the right kind, and writing the audit log. */
#pragma once

#include <gio/gio.h>

#include "cl-card.h"
#include "cl-kind.h"
#include "db-audit.h"
#include "wf-desk.h"
#include "wf-interaction.h"

G_BEGIN_DECLS

typedef struct {
  WfDesk *desk;
  WfInteraction *interaction;
  GCancellable *cancellable;
  DbDatabase *db; /* this thread's connection, opened by wf_task_db() */
  WfSession *session; /* the operator logged in, or NULL */
  DbActor actor; /* who the audit rows name */
  char *actor_serial; /* storage for actor fields not owned elsewhere */
  char *actor_name;
  char *actor_role;
} WfTask;

/* The body of a task: runs in a worker thread (or the caller's thread for
 * the blocking form); returns a result, or NULL with *error set. */
typedef gpointer (*WfTaskFunc) (WfTask *task, gpointer data, GError **error);

void wf_task_init (WfTask *task, WfDesk *desk, WfInteraction *interaction,
                   GCancellable *cancellable);
void wf_task_clear (WfTask *task);

/* Runs func blocking, in the calling thread. */
gpointer wf_task_run (WfDesk *desk, WfInteraction *interaction, WfTaskFunc func, gpointer data,
                      GCancellable *cancellable, GError **error);
/* The same in a worker thread; data is freed with data_free, the result
 * with result_free if nobody takes it. */
void wf_task_run_async (WfDesk *desk, WfInteraction *interaction, gpointer source_tag,
                        WfTaskFunc func, gpointer data, GDestroyNotify data_free,
                        GDestroyNotify result_free, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data);
gpointer wf_task_run_finish (GAsyncResult *result, gpointer source_tag, GError **error);
/* The data an async run was given (for results a task leaves in it). */
gpointer wf_task_run_get_data (GAsyncResult *result);

/* Login and logout as steps of another task (wf-session.c): login makes
 * the session the desk's and the task's actor; logout ends task->session. */
gpointer wf_session_login_task (WfTask *task, gpointer data, GError **error);
gpointer wf_session_logout_task (WfTask *task, gpointer data, GError **error);

/* This thread's database connection. */
DbDatabase *wf_task_db (WfTask *task, GError **error);

/* The audit actor: someone other than the logged-in operator (the MCC in a
 * ceremony).  Strings are copied. */
void wf_task_set_actor (WfTask *task, const char *serial, const char *name, const char *role);

/* Appends an audit row (never a secret in detail); seals the chain when the
 * logged-in operator's card can and 100 rows wait. */
gboolean wf_task_audit (WfTask *task, DbAction action, DbOutcome outcome, const char *card_sn,
                        const char *card_number, const char *holder_id, const GError *error,
                        const char *detail, GError **audit_error);
/* The outcome row of a task that failed: refused for a person's no, a
 * wrong card or a rule, failed for everything else.  Errors writing it are
 * logged; the task's own error stays the one reported. */
void wf_task_audit_failure (WfTask *task, DbAction action, const char *card_sn,
                            const GError *error);

/* Waits for a card in reader role that accept() takes.  Asks the person
 * with `question` (its text completed by the reason the card there now is
 * not right) until one comes; the interaction decides how long it waits
 * (the CLI's --card-timeout).  *info gets the card's kind and serial. */
typedef gboolean (*WfAcceptFunc) (const ClCardInfo *info, GString *problem, gpointer data);

ClCard *wf_task_wait_card (WfTask *task, ClReaderRole role, WfAcceptFunc accept,
                           gpointer accept_data, const WfQuestion *question, ClCardInfo *info,
                           GError **error);

/* Accept functions for the usual cases; data is unused. */
gboolean wf_accept_blank_cpu (const ClCardInfo *info, GString *problem, gpointer data);
gboolean wf_accept_mcc (const ClCardInfo *info, GString *problem, gpointer data);
gboolean wf_accept_ktc (const ClCardInfo *info, GString *problem, gpointer data);
gboolean wf_accept_system_cpu (const ClCardInfo *info, GString *problem, gpointer data);

/* The serial as 16 hex digits (static buffer per call site: out). */
void wf_serial_hex (const guint8 serial[8], char out[17]);

G_END_DECLS
