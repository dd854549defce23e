/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-check-assistant.h: the wizard that checks whether a CPU card is one
 * of this system's. */
#pragma once

#include "ic-ceremony-assistant.h"

G_BEGIN_DECLS

#define IC_TYPE_CHECK_ASSISTANT (ic_check_assistant_get_type ())
G_DECLARE_FINAL_TYPE (IcCheckAssistant, ic_check_assistant, IC, CHECK_ASSISTANT,
                      IcCeremonyAssistant)

GtkWidget *ic_check_assistant_new (GtkWindow *parent, WfDesk *desk);

G_END_DECLS
