/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-ktc-assistant.h: the wizard that makes the key transport card, with
 * leader I, leader II and the system administrator in turn. */
#pragma once

#include "ic-ceremony-assistant.h"

G_BEGIN_DECLS

#define IC_TYPE_KTC_ASSISTANT (ic_ktc_assistant_get_type ())
G_DECLARE_FINAL_TYPE (IcKtcAssistant, ic_ktc_assistant, IC, KTC_ASSISTANT, IcCeremonyAssistant)

GtkWidget *ic_ktc_assistant_new (GtkWindow *parent, WfDesk *desk);

G_END_DECLS
