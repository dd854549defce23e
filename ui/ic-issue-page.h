/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-issue-page.h: issuing a card: the holder's fields, the Issue button
 * (a blank insurance card in R2), then the card issued with its receipt
 * to save as PDF or print. */
#pragma once

#include "ic-holder-form.h"
#include "ic-main-window.h"

G_BEGIN_DECLS

#define IC_TYPE_ISSUE_PAGE (ic_issue_page_get_type ())
G_DECLARE_FINAL_TYPE (IcIssuePage, ic_issue_page, IC, ISSUE_PAGE, GtkBox)

GtkWidget *ic_issue_page_new (IcMainWindow *window);

IcHolderForm *ic_issue_page_get_form (IcIssuePage *self);
/* The card issued last, shown in the result area (NULL while the form is
 * shown; transfer none). */
const char *ic_issue_page_get_card_number (IcIssuePage *self);

/* Prints the receipt as the Print button does, but into a PDF file with no
 * dialog (GTK_PRINT_OPERATION_ACTION_EXPORT): the same drawing a printer
 * gets.  A task: it ends in the main loop. */
void ic_issue_page_export_receipt (IcIssuePage *self, const char *pdf_path);

G_END_DECLS
