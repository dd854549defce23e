/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-manage-page.h: the "Card actions" page: report a card lost (no card
 * needed), replace a lost or damaged card, cancel or clear the card in R2;
 * each says what it did to which card. */
#pragma once

#include "ic-main-window.h"

G_BEGIN_DECLS

#define IC_TYPE_MANAGE_PAGE (ic_manage_page_get_type ())
G_DECLARE_FINAL_TYPE (IcManagePage, ic_manage_page, IC, MANAGE_PAGE, GtkScrolledWindow)

GtkWidget *ic_manage_page_new (IcMainWindow *window);

G_END_DECLS
