/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-pages.c: the desk's pages in sidebar order, each shown to the roles
 * that may use it (ic-main-window.h).  One line per page. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-ceremonies-page.h"
#include "ic-cpu-cards-page.h"
#include "ic-login-page.h"
#include "ic-pages.h"

void
ic_pages_add_all (IcMainWindow *window, gboolean training)
{
  ic_main_window_add_page (window, ic_login_page_new (training), "login", _ ("Log in"),
                           IC_PAGE_LOGGED_OUT);
  ic_main_window_add_page (window, ic_ceremonies_page_new (), "ceremonies", _ ("Ceremonies"),
                           IC_PAGE_CEREMONY);
  ic_main_window_add_page (window, ic_cpu_cards_page_new (window), "cpu-cards", _ ("CPU cards"),
                           WF_PERM_ADMIN);
}
