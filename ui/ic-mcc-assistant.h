/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-mcc-assistant.h: the wizard that makes the master control card. */
#pragma once

#include "ic-ceremony-assistant.h"

G_BEGIN_DECLS

#define IC_TYPE_MCC_ASSISTANT (ic_mcc_assistant_get_type ())
G_DECLARE_FINAL_TYPE (IcMccAssistant, ic_mcc_assistant, IC, MCC_ASSISTANT, IcCeremonyAssistant)

GtkWidget *ic_mcc_assistant_new (GtkWindow *parent, WfDesk *desk);

G_END_DECLS
