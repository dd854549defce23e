/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-ceremonies-page.h: the "Ceremonies" page: every ceremony and
 * maintenance wizard with a sentence on what it is for and a button that
 * starts it.  Shown while nobody is logged in and to system administrators
 * (IC_PAGE_CEREMONY): the master control card authorises the ceremonies,
 * not a login. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IC_TYPE_CEREMONIES_PAGE (ic_ceremonies_page_get_type ())
G_DECLARE_FINAL_TYPE (IcCeremoniesPage, ic_ceremonies_page, IC, CEREMONIES_PAGE, GtkBox)

GtkWidget *ic_ceremonies_page_new (void);

/* The wizard open, or NULL (one at a time: they share the readers). */
GtkWidget *ic_ceremonies_page_get_assistant (IcCeremoniesPage *self);

G_END_DECLS
