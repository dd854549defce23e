/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-cpu-cards.c: the CPU-card registry for the system administrator
 * (wf-cpu-cards.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "cl-kind.h"
#include "wf-cpu-cards.h"
#include "wf-error.h"
#include "wf-session.h"

/* Only a system administrator logged in at this desk reads the registry. */
static gboolean
require_admin (WfDesk *desk, GError **error)
{
  g_autoptr (WfSession) session = wf_desk_dup_session (desk);

  if (session == NULL || !wf_session_is_active (session))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN,
                           _ ("Log in first: your administrator card in R1 and its PIN."));
      return FALSE;
    }
  return wf_session_require (session, WF_PERM_ADMIN, error);
}

GPtrArray *
wf_cpu_cards_list (WfDesk *desk, GError **error)
{
  g_autoptr (DbDatabase) db = NULL;

  g_return_val_if_fail (WF_IS_DESK (desk), NULL);

  if (!require_admin (desk, error) || (db = wf_desk_open_db (desk, error)) == NULL)
    return NULL;
  return db_cpu_cards_list (db, error);
}

static gboolean
text_matches (const char *want, const char *have)
{
  return want == NULL || g_strcmp0 (want, have != NULL ? have : "") == 0;
}

gboolean
wf_cpu_card_filter_match (const WfCpuCardFilter *filter, const DbCpuCard *card)
{
  g_return_val_if_fail (card != NULL, FALSE);

  if (filter == NULL)
    return TRUE;
  return (filter->kind == 0 || filter->kind == card->kind)
         && (filter->status == 0 || filter->status == card->status)
         && text_matches (filter->role, card->role)
         && text_matches (filter->office, card->office_code)
         && text_matches (filter->workstation, card->workstation);
}

GPtrArray *
wf_cpu_card_history (WfDesk *desk, const char *serial, gboolean *more, GError **error)
{
  g_autoptr (DbDatabase) db = NULL;
  DbAuditFilter filter = { 0 };
  GPtrArray *rows;

  g_return_val_if_fail (WF_IS_DESK (desk), NULL);
  g_return_val_if_fail (serial != NULL, NULL);

  if (!require_admin (desk, error) || (db = wf_desk_open_db (desk, error)) == NULL)
    return NULL;
  filter.card_sn = serial;
  /* One row more than is listed tells whether there are older ones. */
  rows = db_audit_query (db, &filter, DB_ORDER_NEWEST_FIRST, 0, WF_CPU_CARD_HISTORY_MAX_ROWS + 1,
                         error);
  if (rows == NULL)
    return NULL;
  if (more != NULL)
    *more = rows->len > WF_CPU_CARD_HISTORY_MAX_ROWS;
  if (rows->len > WF_CPU_CARD_HISTORY_MAX_ROWS)
    g_ptr_array_set_size (rows, WF_CPU_CARD_HISTORY_MAX_ROWS);
  return rows;
}

const char *
wf_cpu_kind_describe (DbCpuKind kind)
{
  switch (kind)
    {
    case DB_CPU_MCC:
      return cl_card_kind_describe (CL_CARD_KIND_MCC);
    case DB_CPU_KTC:
      return cl_card_kind_describe (CL_CARD_KIND_KTC);
    case DB_CPU_AC:
      return cl_card_kind_describe (CL_CARD_KIND_AC);
    case DB_CPU_KC:
      return cl_card_kind_describe (CL_CARD_KIND_KC);
    default:
      return cl_card_kind_describe (CL_CARD_KIND_UNKNOWN);
    }
}

const char *
wf_cpu_status_describe (DbCpuStatus status)
{
  switch (status)
    {
    case DB_CPU_ACTIVE:
      return _ ("in use");
    case DB_CPU_LOST:
      return _ ("reported lost");
    case DB_CPU_WASHED:
      return _ ("washed");
    case DB_CPU_REVOKED:
      return _ ("revoked");
    default:
      return _ ("unknown");
    }
}
