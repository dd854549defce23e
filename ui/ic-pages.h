/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-pages.h: every page of the desk, added to a window in sidebar order. */
#pragma once

#include "ic-main-window.h"

G_BEGIN_DECLS

void ic_pages_add_all (IcMainWindow *window, gboolean training);

G_END_DECLS
