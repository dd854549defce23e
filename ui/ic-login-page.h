/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-login-page.h: what the desk shows while nobody is logged in. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkWidget *ic_login_page_new (gboolean training);

G_END_DECLS
