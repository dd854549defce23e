/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-pages.c: the desk's pages in sidebar order, each shown to the roles
 * that may use it (ic-main-window.h).  One line per page. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-batch-page.h"
#include "ic-ceremonies-page.h"
#include "ic-cpu-cards-page.h"
#include "ic-history-page.h"
#include "ic-issue-page.h"
#include "ic-journal-page.h"
#include "ic-log-page.h"
#include "ic-login-page.h"
#include "ic-manage-page.h"
#include "ic-pages.h"
#include "ic-read-page.h"
#include "ic-reports-page.h"
#include "ic-rewrite-page.h"

void
ic_pages_add_all (IcMainWindow *window, gboolean training)
{
  ic_main_window_add_page (window, ic_login_page_new (training), "login", _ ("Log in"),
                           IC_PAGE_LOGGED_OUT);
  ic_main_window_add_page (window, ic_issue_page_new (window), "issue", _ ("Issue card"),
                           WF_PERM_ISSUE);
  ic_main_window_add_page (window, ic_read_page_new (window), "read", _ ("Read card"),
                           WF_PERM_READ);
  ic_main_window_add_page (window, ic_rewrite_page_new (window), "rewrite", _ ("Rewrite card"),
                           WF_PERM_ISSUE);
  ic_main_window_add_page (window, ic_manage_page_new (window), "actions", _ ("Card actions"),
                           WF_PERM_ISSUE);
  ic_main_window_add_page (window, ic_history_page_new (window), "history", _ ("History"),
                           WF_PERM_READ);
  ic_main_window_add_page (window, ic_batch_page_new (), "batch", _ ("Batch"), WF_PERM_ISSUE);
  ic_main_window_add_page (window, ic_journal_page_new (window), "unfinished",
                           _ ("Unfinished issuances"), WF_PERM_ISSUE);
  ic_main_window_add_page (window, ic_ceremonies_page_new (), "ceremonies", _ ("Ceremonies"),
                           IC_PAGE_CEREMONY);
  ic_main_window_add_page (window, ic_cpu_cards_page_new (window), "cpu-cards", _ ("CPU cards"),
                           WF_PERM_ADMIN);
  ic_main_window_add_page (window, ic_log_page_new (), "audit-log", _ ("Audit log"), WF_PERM_AUDIT);
  ic_main_window_add_page (window, ic_reports_page_new (), "reports", _ ("Issuance reports"),
                           WF_PERM_AUDIT);
}
