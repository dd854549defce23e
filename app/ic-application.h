/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-application.h: the insucard GtkApplication. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IC_TYPE_APPLICATION (ic_application_get_type ())
G_DECLARE_FINAL_TYPE (IcApplication, ic_application, IC, APPLICATION, GtkApplication)

IcApplication *ic_application_new (void);

G_END_DECLS
