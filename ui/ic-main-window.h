/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-main-window.h: the application's main window. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define IC_TYPE_MAIN_WINDOW (ic_main_window_get_type ())
G_DECLARE_FINAL_TYPE (IcMainWindow, ic_main_window, IC, MAIN_WINDOW, GtkApplicationWindow)

IcMainWindow *ic_main_window_new (GtkApplication *app, gboolean training);
gboolean ic_main_window_get_training (IcMainWindow *self);

G_END_DECLS
