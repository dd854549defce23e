/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-opcard-assistant.h: the wizard that makes a batch of administrator
 * and key cards, each for its own holder. */
#pragma once

#include "ic-ceremony-assistant.h"

G_BEGIN_DECLS

#define IC_TYPE_OPCARD_ASSISTANT (ic_opcard_assistant_get_type ())
G_DECLARE_FINAL_TYPE (IcOpcardAssistant, ic_opcard_assistant, IC, OPCARD_ASSISTANT,
                      IcCeremonyAssistant)

GtkWidget *ic_opcard_assistant_new (GtkWindow *parent, WfDesk *desk);

G_END_DECLS
