/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-readers-bar.h: R1 and R2 as the clerk sees them, always visible:
 * which reader is bound, what card is in it (its kind and what it tells
 * without keys), and what to do when a reader or pcscd is missing.  It
 * follows the reader context's events live. */
#pragma once

#include <gtk/gtk.h>

#include "cl-context.h"

G_BEGIN_DECLS

#define IC_TYPE_READERS_BAR (ic_readers_bar_get_type ())
G_DECLARE_FINAL_TYPE (IcReadersBar, ic_readers_bar, IC, READERS_BAR, GtkBox)

IcReadersBar *ic_readers_bar_new (ClContext *context);

/* What the bar shows for a role now (for tests and accessibility). */
const char *ic_readers_bar_get_text (IcReadersBar *self, ClReaderRole role);

/* Looks at both readers again (also done on every reader event). */
void ic_readers_bar_refresh (IcReadersBar *self);

G_END_DECLS
