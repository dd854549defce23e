/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-audit-seal.h: sealing the audit log and checking its seals with an
 * operator card, as operator tasks.
 *
 * Both use the session of the desk when someone is logged in, else log in
 * with the card in R1 for the task and out again after it.  Checking the
 * seals is for auditors and system administrators (WF_PERM_AUDIT);
 * sealing, for any operator card. */
#pragma once

#include "db-verify.h"
#include "wf-desk.h"
#include "wf-interaction.h"

G_BEGIN_DECLS

/* Walks the log of db_path (NULL: the desk's own; another file, such as an
 * auditor's copy, is opened read-only) and checks every seal with the
 * card.  TRUE when the walk ran: what it found is in report.  The verdict
 * is written to the desk's audit log. */
gboolean wf_log_verify (WfDesk *desk, WfInteraction *interaction, const char *db_path,
                        DbVerifyReport *report, GCancellable *cancellable, GError **error);
void wf_log_verify_async (WfDesk *desk, WfInteraction *interaction, const char *db_path,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data);
gboolean wf_log_verify_finish (WfDesk *desk, GAsyncResult *result, DbVerifyReport *report,
                               GError **error);

/* The desk's log walked without a card: the chain, the sealed heads and
 * the append-only guards are checked, the seals' MACs are not (every seal
 * counts in report.seals_unchecked).  Reads only; writes no verdict. */
gboolean wf_log_verify_chain (WfDesk *desk, DbVerifyReport *report, GCancellable *cancellable,
                              GError **error);

/* Seals the desk's log now; *seq gets the last row sealed. */
gboolean wf_log_seal (WfDesk *desk, WfInteraction *interaction, gint64 *seq,
                      GCancellable *cancellable, GError **error);

G_END_DECLS
