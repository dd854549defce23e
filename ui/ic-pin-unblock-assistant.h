/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-pin-unblock-assistant.h: the wizard that unblocks the PIN of an
 * administrator, key or master control card with the MCC. */
#pragma once

#include "ic-ceremony-assistant.h"

G_BEGIN_DECLS

#define IC_TYPE_PIN_UNBLOCK_ASSISTANT (ic_pin_unblock_assistant_get_type ())
G_DECLARE_FINAL_TYPE (IcPinUnblockAssistant, ic_pin_unblock_assistant, IC, PIN_UNBLOCK_ASSISTANT,
                      IcCeremonyAssistant)

GtkWidget *ic_pin_unblock_assistant_new (GtkWindow *parent, WfDesk *desk);

G_END_DECLS
