/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-history-page.h: the "History" page: the cards of a holder, or one
 * card, and the log rows about them (wf_icard_history()). */
#pragma once

#include "ic-main-window.h"

G_BEGIN_DECLS

#define IC_TYPE_HISTORY_PAGE (ic_history_page_get_type ())
G_DECLARE_FINAL_TYPE (IcHistoryPage, ic_history_page, IC, HISTORY_PAGE, GtkBox)

GtkWidget *ic_history_page_new (IcMainWindow *window);

/* The columns of the two lists, for tests. */
enum {
  IC_HISTORY_CARD_NUMBER,
  IC_HISTORY_CARD_SN,
  IC_HISTORY_CARD_STATUS,
  IC_HISTORY_CARD_ISSUED,
  IC_HISTORY_CARD_REWRITES,
};
enum {
  IC_HISTORY_LOG_TIME,
  IC_HISTORY_LOG_ACTION,
  IC_HISTORY_LOG_CARD,
  IC_HISTORY_LOG_OUTCOME,
  IC_HISTORY_LOG_OPERATOR,
  IC_HISTORY_LOG_WORKSTATION,
  IC_HISTORY_LOG_DETAIL,
  IC_HISTORY_LOG_SEQ,
};

G_END_DECLS
