/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-audit-util.h: the auditor's side of the workflow tests: an auditor's
 * card made with the system of wf-test-util.h, logging in with a card,
 * and an audit log filled with rows whose every field the test knows. */
#pragma once

#include "db-query.h"
#include "wf-session.h"
#include "wf-test-util.h"

/* An auditor's administrator card (PIN HOLDER_PIN). */
static inline const char *
make_auditor (WfFixture *f, const System *sys)
{
  return make_admin_card (f, sys, CL_ROLE_AUDITOR, "审计员", "S-0077", "510400");
}

/* Logs in with card in R1 (the card there before taken out); the session
 * is the desk's. */
static inline WfSession *
log_in_with (WfFixture *f, const char *card)
{
  g_autoptr (GError) error = NULL;
  WfSession *session;

  tu_wf_empty (f, 0);
  tu_wf_plan (f, "operator-card", card);
  wf_scripted_add (f->ia, "operator-pin=" HOLDER_PIN, NULL);
  session = wf_login (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  return session;
}

/* Row i (from 0) of the rows fill_log() writes. */
#define FILL_DESK(i) ((i) % 3 == 0 ? "DESK-A" : (i) % 3 == 1 ? "DESK-B" : "DESK-C")
#define FILL_ACTION(i) ((i) % 4 == 0 ? DB_ACTION_ISSUE : DB_ACTION_READ)
#define FILL_OUTCOME(i)                                                                            \
  ((i) % 10 == 9 ? DB_OUTCOME_FAILED : (i) % 7 == 6 ? DB_OUTCOME_REFUSED : DB_OUTCOME_OK)

/* n rows one minute apart from 1 June 2026 (before the ceremonies' own
 * rows, which are "now"), in one transaction. */
static inline void
fill_log (WfFixture *f, int n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = wf_desk_open_db (f->desk, &error);
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 6, 1, 0, 0, 0);

  g_assert_no_error (error);
  g_assert_true (db_database_begin (db, &error));
  for (int i = 0; i < n; i++)
    {
      g_autoptr (GDateTime) at = g_date_time_add_minutes (start, i);
      g_autofree char *number = g_strdup_printf ("51%08d", i % 500);
      g_autofree char *detail = g_strdup_printf ("fill %d", i);
      DbAuditEntry e = {
        .actor = { .workstation = FILL_DESK (i),
                   .operator_serial = i % 2 ? "8600000000000011" : "8600000000000012",
                   .operator_name = i % 2 ? "王芳" : "赵六",
                   .role = "issuing-admin" },
        .action = FILL_ACTION (i),
        .card_number = i % 5 != 0 ? number : "",
        .outcome = FILL_OUTCOME (i),
        .error_code = FILL_OUTCOME (i) == DB_OUTCOME_OK ? "" : "card-removed",
        .detail = detail,
        .at = at,
      };

      g_assert_true (db_audit_append (db, &e, NULL, &error));
    }
  g_assert_true (db_database_commit (db, &error));
  g_assert_no_error (error);
}

/* Every row of filter in order, by keyset pages (DbAuditRow). */
static inline GPtrArray *
all_rows (WfFixture *f, const DbAuditFilter *filter, DbOrder order)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = wf_desk_open_db (f->desk, &error);
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) db_audit_row_free);
  gint64 after = 0;

  g_assert_no_error (error);
  for (;;)
    {
      g_autoptr (GPtrArray) page = db_audit_query (db, filter, order, after, 1000, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (all, g_steal_pointer (&page->pdata[i]));
      if (page->len < 1000)
        break;
      after = ((DbAuditRow *) all->pdata[all->len - 1])->seq;
    }
  return all;
}
