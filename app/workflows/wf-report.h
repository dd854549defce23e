/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-report.h: what a desk says about its readers and cards without any
 * key, and what a person should check after a reader-stack error: shared
 * by the CLI's diagnostics and the GUI. */
#pragma once

#include "cl-context.h"
#include "cl-kind.h"
#include "wf-icard.h"

G_BEGIN_DECLS

/* What to check, in the clerk's words, for the errors that mean "no reader
 * stack" rather than "bad card" (translated), or NULL. */
const char *wf_error_hint (const GError *error);

/* Connects to the card in reader and detects it; NULL with the error
 * (CL_ERROR_NO_CARD for an empty reader). */
ClCard *wf_report_probe (ClContext *context, const char *reader, ClCardInfo *info, GError **error);

/* Every reader, its role (R1/R2), and the card in it: ATR and kind.
 * *any: at least one reader was found. */
void wf_report_readers (ClContext *context, GString *out, gboolean *any);

/* What the card tells without keys: kind, serial, its info file, and for
 * an SLE4428 the PSC tries and protection, for a CPU card the MF's files. */
void wf_report_card (ClCard *card, const char *reader, const ClCardInfo *info, GString *out);

/* The support report for the help desk, as `insucard-cli support-report`
 * prints it and the desk's menu saves it: versions, every reader and its
 * card (context NULL: the readers are not known), the last errors and the
 * redacted APDU transcript of this process.  Keys, PINs and PSCs never
 * appear.  Blocks: it probes every reader and runs `pcscd --version`. */
char *wf_report_support (ClContext *context);
/* Writes a report to path, readable by its owner only. */
gboolean wf_report_support_save (const char *text, const char *path, GError **error);

/* What a card tells about itself without keys, in a few words (the
 * training card drawer): an administrator or key card its holder from the
 * free-read holder file (a key card also its workstation), an insurance
 * card whether it is blank and, once issued, its number and status.
 * Nothing here is a key, a PIN or the encrypted cardholder data. */
typedef struct {
  ClCardInfo info; /* from cl_card_detect() */
  char *holder_name; /* AC, KC: NULL when the holder file is unreadable */
  ClCardRole role; /* AC */
  char *workstation; /* KC */
  gboolean blank; /* SLE4428: never issued (0x010 up to the counter all FF) */
  char card_number[11]; /* SLE4428: 10 digits when the number block checks, else "" */
  WfIcardStatus status; /* SLE4428: 0 when unknown */
} WfCardFacts;

/* Detects the card and reads those files (one transaction).  FALSE only
 * when the card could not be read at all (removed, no answer). */
gboolean wf_report_card_facts (ClCard *card, WfCardFacts *facts, GCancellable *cancellable,
                               GError **error);
void wf_card_facts_clear (WfCardFacts *facts);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WfCardFacts, wf_card_facts_clear)

G_END_DECLS
