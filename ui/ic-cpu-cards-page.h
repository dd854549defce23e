/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-cpu-cards-page.h: the "CPU cards" page for the system administrator
 * (WF_PERM_ADMIN): every master control, key transport, administrator and
 * key card recorded, narrowed by kind, role, office, workstation and
 * status, and for the card chosen its check values, quota, who made it
 * and when, and its audit history.  Read through the workflow layer
 * (wf-cpu-cards.h) in the window's task runner; cleared at logout. */
#pragma once

#include "ic-main-window.h"

G_BEGIN_DECLS

#define IC_TYPE_CPU_CARDS_PAGE (ic_cpu_cards_page_get_type ())
G_DECLARE_FINAL_TYPE (IcCpuCardsPage, ic_cpu_cards_page, IC, CPU_CARDS_PAGE, GtkBox)

GtkWidget *ic_cpu_cards_page_new (IcMainWindow *window);
/* Reads the registry again (also done when the page is shown). */
void ic_cpu_cards_page_reload (IcCpuCardsPage *self);

G_END_DECLS
