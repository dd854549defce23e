/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-pages.c: the desk's pages in sidebar order, each shown to the roles
 * that may use it (ic-main-window.h).  One line per page. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-log-page.h"
#include "ic-login-page.h"
#include "ic-pages.h"
#include "ic-reports-page.h"

void
ic_pages_add_all (IcMainWindow *window, gboolean training)
{
  ic_main_window_add_page (window, ic_login_page_new (training), "login", _ ("Log in"),
                           IC_PAGE_LOGGED_OUT);
  ic_main_window_add_page (window, ic_log_page_new (), "audit-log", _ ("Audit log"), WF_PERM_AUDIT);
  ic_main_window_add_page (window, ic_reports_page_new (), "reports", _ ("Issuance reports"),
                           WF_PERM_AUDIT);
}
