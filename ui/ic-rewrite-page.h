/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-rewrite-page.h: new holder data on an issued card: the card in R2 is
 * read first (wf_icard_read()) to fill the form, the ID number stays, then
 * wf_icard_rewrite() writes what changed. */
#pragma once

#include "ic-holder-form.h"
#include "ic-main-window.h"

G_BEGIN_DECLS

#define IC_TYPE_REWRITE_PAGE (ic_rewrite_page_get_type ())
G_DECLARE_FINAL_TYPE (IcRewritePage, ic_rewrite_page, IC, REWRITE_PAGE, GtkBox)

GtkWidget *ic_rewrite_page_new (IcMainWindow *window);

IcHolderForm *ic_rewrite_page_get_form (IcRewritePage *self);
/* What the page says of the last read or rewrite (transfer none). */
const char *ic_rewrite_page_get_status (IcRewritePage *self);

G_END_DECLS
