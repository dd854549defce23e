/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-cpu-cards.h: the CPU-card registry as the system administrator sees
 * it: every MCC, KTC, administrator and key card made at this desk's
 * database, what narrows the list, and each card's audit history.
 *
 * The desk's operator must be a system administrator (WF_PERM_ADMIN); the
 * registry holds check values and holders, never a key or PIN. */
#pragma once

#include "db-cpu-card.h"
#include "db-query.h"
#include "wf-desk.h"

G_BEGIN_DECLS

/* Every card recorded (DbCpuCard), in the registry's order. */
GPtrArray *wf_cpu_cards_list (WfDesk *desk, GError **error);

/* What narrows the list; zero and NULL fields match every card.  Strings
 * match exactly ("" matches the cards without one: an MCC's role). */
typedef struct {
  DbCpuKind kind; /* 0: every kind */
  const char *role; /* "system-admin", "issuing-admin", "auditor" */
  const char *office; /* the holder's office code */
  const char *workstation; /* a key card's workstation */
  DbCpuStatus status; /* 0: every status */
} WfCpuCardFilter;

gboolean wf_cpu_card_filter_match (const WfCpuCardFilter *filter, const DbCpuCard *card);

/* Most rows a card's history lists (the log browser has them all). */
#define WF_CPU_CARD_HISTORY_MAX_ROWS 1000

/* The audit rows naming this card (DbAuditRow), newest first, at most
 * WF_CPU_CARD_HISTORY_MAX_ROWS; *more says whether the log holds older
 * ones. */
GPtrArray *wf_cpu_card_history (WfDesk *desk, const char *serial, gboolean *more, GError **error);

/* For screens (translated): "master control card", "in use". */
const char *wf_cpu_kind_describe (DbCpuKind kind);
const char *wf_cpu_status_describe (DbCpuStatus status);

G_END_DECLS
