/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-issuance-report.h: issuing in numbers for auditors and system
 * administrators (WF_PERM_AUDIT), from the registry (db-report.h): cards
 * issued per day, per operator and per office in a period; the cards lost
 * or taken back and what replaced them; how much of each key card's quota
 * is used. */
#pragma once

#include "db-cpu-card.h"
#include "db-report.h"
#include "wf-desk.h"
#include "wf-interaction.h"

G_BEGIN_DECLS

typedef struct {
  gint64 issued; /* cards issued in the period */
  GPtrArray *per_day; /* DbIssuedCount, oldest day first */
  GPtrArray *per_operator; /* DbIssuedCount, most first */
  GPtrArray *per_office; /* DbIssuedCount, most first */
  GPtrArray *lost_replaced; /* DbCardChange */
  GPtrArray *key_cards; /* DbCpuCard: every key card, whatever the period */
} WfIssuanceReport;

void wf_issuance_report_free (WfIssuanceReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WfIssuanceReport, wf_issuance_report_free)

/* The period [since, until) (NULL: open); pass local midnights for days. */
WfIssuanceReport *wf_issuance_report (WfDesk *desk, WfInteraction *interaction, GDateTime *since,
                                      GDateTime *until, GCancellable *cancellable, GError **error);

G_END_DECLS
