/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-wash-assistant.h: the wizard that washes a CPU card back to a blank,
 * showing first what the card is. */
#pragma once

#include "ic-ceremony-assistant.h"

G_BEGIN_DECLS

#define IC_TYPE_WASH_ASSISTANT (ic_wash_assistant_get_type ())
G_DECLARE_FINAL_TYPE (IcWashAssistant, ic_wash_assistant, IC, WASH_ASSISTANT, IcCeremonyAssistant)

GtkWidget *ic_wash_assistant_new (GtkWindow *parent, WfDesk *desk);

G_END_DECLS
