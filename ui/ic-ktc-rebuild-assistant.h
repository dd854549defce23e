/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-ktc-rebuild-assistant.h: the wizard that copies a worn key transport
 * card to a new one with its three custodians' PINs. */
#pragma once

#include "ic-ceremony-assistant.h"

G_BEGIN_DECLS

#define IC_TYPE_KTC_REBUILD_ASSISTANT (ic_ktc_rebuild_assistant_get_type ())
G_DECLARE_FINAL_TYPE (IcKtcRebuildAssistant, ic_ktc_rebuild_assistant, IC, KTC_REBUILD_ASSISTANT,
                      IcCeremonyAssistant)

GtkWidget *ic_ktc_rebuild_assistant_new (GtkWindow *parent, WfDesk *desk);

G_END_DECLS
