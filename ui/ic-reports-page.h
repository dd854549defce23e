/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-reports-page.h: issuing in numbers for auditors and system
 * administrators (WF_PERM_AUDIT): cards issued per day, per operator and
 * per office in a period, the cards lost or taken back and what replaced
 * them, and each key card's quota used and left. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IC_TYPE_REPORTS_PAGE (ic_reports_page_get_type ())
G_DECLARE_FINAL_TYPE (IcReportsPage, ic_reports_page, IC, REPORTS_PAGE, GtkBox)

GtkWidget *ic_reports_page_new (void);

/* Asks for the report of the period typed (the Show button); FALSE when a
 * date is wrong (the page says which) or another task runs. */
gboolean ic_reports_page_show (IcReportsPage *self);
/* The list store of a tab: "day", "operator", "office", "lost", "quota". */
GtkListStore *ic_reports_page_get_store (IcReportsPage *self, const char *name);

G_END_DECLS
