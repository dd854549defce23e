/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-pin-change-assistant.h: the wizard in which a holder changes their
 * card's PIN, or a key transport card custodian their own. */
#pragma once

#include "ic-ceremony-assistant.h"

G_BEGIN_DECLS

#define IC_TYPE_PIN_CHANGE_ASSISTANT (ic_pin_change_assistant_get_type ())
G_DECLARE_FINAL_TYPE (IcPinChangeAssistant, ic_pin_change_assistant, IC, PIN_CHANGE_ASSISTANT,
                      IcCeremonyAssistant)

GtkWidget *ic_pin_change_assistant_new (GtkWindow *parent, WfDesk *desk);

G_END_DECLS
