/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-receipt-print.h: a card's hand-over receipt on the printer, drawn by
 * the workflow's receipt code (wf_receipt_render()) on each printer page,
 * so the paper is the PDF's page. */
#pragma once

#include "ic-main-window.h"
#include "wf-insurance.h"

G_BEGIN_DECLS

/* Shows the print dialog and prints; takes receipt.  With export_pdf, no
 * dialog: the pages go into that PDF file at once (tests).  Problems are
 * shown in the window's message bar. */
void ic_receipt_print (IcMainWindow *window, WfIcardReceipt *receipt, const char *export_pdf);

G_END_DECLS
