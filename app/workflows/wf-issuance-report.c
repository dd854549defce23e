/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-issuance-report.c: issuing in numbers (wf-issuance-report.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "wf-error.h"
#include "wf-issuance-report.h"
#include "wf-session.h"
#include "wf-task.h"

void
wf_issuance_report_free (WfIssuanceReport *r)
{
  if (r == NULL)
    return;
  g_clear_pointer (&r->per_day, g_ptr_array_unref);
  g_clear_pointer (&r->per_operator, g_ptr_array_unref);
  g_clear_pointer (&r->per_office, g_ptr_array_unref);
  g_clear_pointer (&r->lost_replaced, g_ptr_array_unref);
  g_clear_pointer (&r->key_cards, g_ptr_array_unref);
  g_free (r);
}

typedef struct {
  GDateTime *since;
  GDateTime *until;
} Period;

static gpointer
report_task (WfTask *task, gpointer data, GError **error)
{
  Period *p = data;
  g_autoptr (WfIssuanceReport) r = g_new0 (WfIssuanceReport, 1);
  g_autoptr (GPtrArray) cpu = NULL;
  DbDatabase *db;

  if (task->session == NULL || !wf_session_is_active (task->session))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN,
                           _ ("Log in first: your administrator or key card in R1 and its PIN."));
      return NULL;
    }
  if (!wf_session_require (task->session, WF_PERM_AUDIT, error)
      || (db = wf_task_db (task, error)) == NULL
      || (r->per_day = db_report_issued (db, p->since, p->until, DB_ISSUED_BY_DAY, error)) == NULL
      || (r->per_operator = db_report_issued (db, p->since, p->until, DB_ISSUED_BY_OPERATOR, error))
             == NULL
      || (r->per_office = db_report_issued (db, p->since, p->until, DB_ISSUED_BY_OFFICE, error))
             == NULL
      || (r->lost_replaced = db_report_lost_replaced (db, p->since, p->until, error)) == NULL
      || (cpu = db_cpu_cards_list (db, error)) == NULL)
    return NULL;
  for (guint i = 0; i < r->per_day->len; i++)
    r->issued += ((DbIssuedCount *) r->per_day->pdata[i])->cards;
  r->key_cards = g_ptr_array_new_with_free_func ((GDestroyNotify) db_cpu_card_free);
  for (guint i = 0; i < cpu->len; i++)
    if (((DbCpuCard *) cpu->pdata[i])->kind == DB_CPU_KC)
      g_ptr_array_add (r->key_cards, g_steal_pointer (&cpu->pdata[i]));
  return g_steal_pointer (&r);
}

WfIssuanceReport *
wf_issuance_report (WfDesk *desk, WfInteraction *interaction, GDateTime *since, GDateTime *until,
                    GCancellable *cancellable, GError **error)
{
  Period p = { since, until };

  return wf_task_run (desk, interaction, report_task, &p, cancellable, error);
}
