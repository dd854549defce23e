/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-read-page.h: reading and verifying the insurance card in R2
 * (wf_icard_read()): everything the card says and the registry knows of
 * it, and a banner no one can miss when the card must not be accepted. */
#pragma once

#include "ic-main-window.h"

G_BEGIN_DECLS

#define IC_TYPE_READ_PAGE (ic_read_page_get_type ())
G_DECLARE_FINAL_TYPE (IcReadPage, ic_read_page, IC, READ_PAGE, GtkBox)

GtkWidget *ic_read_page_new (IcMainWindow *window);

/* The banner's text and kind (NULL and GTK_MESSAGE_OTHER when none). */
const char *ic_read_page_get_banner (IcReadPage *self, GtkMessageType *type);
/* What the page shows, a "label: value" line each (g_free). */
char *ic_read_page_get_text (IcReadPage *self);

G_END_DECLS
