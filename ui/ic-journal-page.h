/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-journal-page.h: the "Unfinished issuances" page: the journal's open
 * attempts of this desk, each with Finish and Undo (its card back in R2).
 * When an operator logs in and there are some, the window shows this page
 * and says so in the message bar. */
#pragma once

#include "ic-main-window.h"

G_BEGIN_DECLS

#define IC_TYPE_JOURNAL_PAGE (ic_journal_page_get_type ())
G_DECLARE_FINAL_TYPE (IcJournalPage, ic_journal_page, IC, JOURNAL_PAGE, GtkBox)

GtkWidget *ic_journal_page_new (IcMainWindow *window);

G_END_DECLS
