/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-insurance.h: the issuing clerk's tasks on SLE4428 insurance cards.
 *
 * Each needs the operator logged in at the desk (wf_login()) with a role
 * that may do it, checked in the task; each writes the audit log; the
 * card goes in R2.  The card's PSC and data key are computed by the
 * operator's card and live only in locked memory during the task; they
 * never reach the screen, a log or the database.  Writes are read first
 * and only the bytes that differ are sent (docs/card-formats.md). */
#pragma once

#include "db-issuance.h"
#include "db-registry.h"
#include "wf-desk.h"
#include "wf-icard.h"
#include "wf-interaction.h"
#include "wf-receipt.h"

G_BEGIN_DECLS

/* A card issued, replaced or finished. */
typedef struct {
  char sn[17];
  char card_number[11];
  char holder_id[19];
  char holder_name[WF_ICARD_NAME_MAX + 1];
  char issue_date[9]; /* YYYYMMDD */
  char valid_until[9];
  char replaces_sn[17]; /* "" unless a replacement */
  gint64 journal_id;
  guint apdus_written; /* FF D0 and FF D1 sent, and the PSC change */
  gsize bytes_written;
} WfIssued;

void wf_issued_free (WfIssued *issued);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WfIssued, wf_issued_free)

/* Issue: a blank SLE4428 in R2 for holder (completed with
 * wf_icard_holder_complete()).  Refuses a holder who already has a card
 * (replace it instead), a card the registry knows or has blacklisted, a
 * key card's used-up quota.  Journal: started before the first write,
 * completed after the read-back. */
WfIssued *wf_icard_issue (WfDesk *desk, WfInteraction *interaction, const WfIcardHolder *holder,
                          GCancellable *cancellable, GError **error);

typedef enum {
  WF_REPLACE_LOST, /* the old card is blacklisted */
  WF_REPLACE_DAMAGED, /* the old card is withdrawn (taken back), not blacklisted */
} WfReplaceReason;

/* A new card for a holder whose card is lost or damaged: the holder data
 * of the registry, card type "replacement". */
WfIssued *wf_icard_replace (WfDesk *desk, WfInteraction *interaction, const char *holder_id,
                            WfReplaceReason reason, GCancellable *cancellable, GError **error);

/* Unfinished issuances (the journal's started and failed attempts) of this
 * workstation, oldest first (DbIssuance). */
GPtrArray *wf_journal_list (WfDesk *desk, GError **error);
/* Finishes attempt id with its card back in R2: resumes from what the card
 * holds. */
WfIssued *wf_journal_finish (WfDesk *desk, WfInteraction *interaction, gint64 id,
                             GCancellable *cancellable, GError **error);
/* Undoes attempt id: its card, back in R2, is cleared to an issuable card
 * and the attempt closed; the card may then be issued anew. */
gboolean wf_journal_undo (WfDesk *desk, WfInteraction *interaction, gint64 id,
                          GCancellable *cancellable, GError **error);
/* What a journal row's step (DbIssuance.step) means, translated: how far
 * the attempt got. */
const char *wf_journal_step_label (const char *step);

/* What a card says and what the registry knows of it. */
typedef struct {
  WfIcardView view; /* holder decrypted when the operator's card holds Dkey */
  gboolean protected_number; /* 0x010-0x01F write-protected */
  char *protection; /* cl_sle4428_protection_summary() */
  DbCard *record; /* NULL: unknown to the registry */
  gboolean blacklisted;
} WfIcardReport;

void wf_icard_report_free (WfIcardReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WfIcardReport, wf_icard_report_free)

/* Reads and verifies the card in R2 (every role). */
WfIcardReport *wf_icard_read (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                              GError **error);

/* New holder data on the card in R2 (the same person: the ID number cannot
 * change); the rewrite counter goes up by one.  Writes nothing when nothing
 * changed. */
WfIssued *wf_icard_rewrite (WfDesk *desk, WfInteraction *interaction, const WfIcardHolder *holder,
                            GCancellable *cancellable, GError **error);

/* Wipes the holder data and transactions of the card in R2 (the protected
 * number block stays); the registry marks it cleared. */
gboolean wf_icard_clear (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                         GError **error);

/* Blacklists a card by number or serial (one of them NULL); no card needed. */
gboolean wf_icard_report_lost (WfDesk *desk, WfInteraction *interaction, const char *card_number,
                               const char *sn, GCancellable *cancellable, GError **error);

/* Cancels the card in R2 for good: its status block says cancelled, the
 * registry too. */
gboolean wf_icard_cancel (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                          GError **error);

/* As wf_icard_clear(), wf_icard_report_lost() and wf_icard_cancel(), and
 * the card's registry record afterwards (db_card_free()): which card it
 * was, whose, and its status now. */
DbCard *wf_icard_clear_record (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                               GError **error);
DbCard *wf_icard_report_lost_record (WfDesk *desk, WfInteraction *interaction,
                                     const char *card_number, const char *sn,
                                     GCancellable *cancellable, GError **error);
DbCard *wf_icard_cancel_record (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                                GError **error);

/* The hand-over receipt (PDF, docs/receipts.md) of the card with this
 * number: holder, card, date, the operator and this desk. */
gboolean wf_icard_write_receipt (WfDesk *desk, WfInteraction *interaction, const char *card_number,
                                 const char *path, GError **error);

/* The same receipt as data, to draw with wf_receipt_render() (printing):
 * the strings are the receipt's own. */
typedef struct {
  WfReceiptPlace place;
  WfReceiptCard card;
  GStringChunk *strings;
} WfIcardReceipt;

void wf_icard_receipt_free (WfIcardReceipt *receipt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WfIcardReceipt, wf_icard_receipt_free)

WfIcardReceipt *wf_icard_get_receipt (WfDesk *desk, WfInteraction *interaction,
                                      const char *card_number, GError **error);

/* Most log rows a history lists: a screen of them, not the whole log
 * (the auditor's log browser pages through all of it). */
#define WF_ICARD_HISTORY_MAX_ROWS 1000

/* The cards of a holder, or the card with a number (DbCard), and their
 * audit rows (DbAuditRow), newest first: at most
 * WF_ICARD_HISTORY_MAX_ROWS; *more says whether the log holds older ones. */
gboolean wf_icard_history (WfDesk *desk, WfInteraction *interaction, const char *card_number,
                           const char *holder_id, GPtrArray **cards, GPtrArray **rows,
                           gboolean *more, GError **error);

G_END_DECLS
