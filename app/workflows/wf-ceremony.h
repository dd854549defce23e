/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-ceremony.h: steps the key ceremonies share (workflows-internal): the
 * master control card and its PIN, key entries with their KCV shown and
 * confirmed, PINs typed twice, the system keys read from the key transport
 * card, and the CPU-card registry. */
#pragma once

#include "cl-authority.h"
#include "cl-card.h"
#include "cl-kind.h"
#include "db-cpu-card.h"
#include "wf-task.h"

G_BEGIN_DECLS

#define WF_MCC_PIN_MIN 6
#define WF_MCC_PIN_MAX 8
#define WF_HOLDER_PIN_MIN 6
#define WF_HOLDER_PIN_MAX 8
#define WF_KTC_PIN_MIN 2
#define WF_KTC_PIN_MAX 8

/* The MCC in R1, its PIN verified; the audit rows name it from now on.
 * *authority: computes the keys of the other cards. */
ClCard *wf_ceremony_open_mcc (WfTask *task, ClCardInfo *info, ClAuthority **authority,
                              GError **error);

/* The blank (or half-made card) for a new card, in R2, asked for with
 * `question`.  Refused (WF_ERROR_REFUSED) when the CPU-card registry holds
 * its serial as a card that was not washed; then no key was derived or
 * written. */
ClCard *wf_ceremony_wait_blank (WfTask *task, const WfQuestion *question, ClCardInfo *info,
                                GError **error);

/* A PIN as the card holds it, typed (twice when `twice`) by `who`. */
ClKey *wf_ceremony_ask_pin (WfTask *task, const char *name, const char *who, guint min_len,
                            guint max_len, gboolean twice, GError **error);

/* A key entry (hex digits, or a 16-digit code that becomes a DES key),
 * typed twice; its KCV is shown and must be confirmed against the paper. */
ClKey *wf_ceremony_ask_key (WfTask *task, const WfQuestion *question, const char *kcv_name,
                            GError **error);

/* Pkey and Dkey from the KTC in R2, read line-encrypted after external
 * authentication through the MCC, and checked against the KCVs the KTC
 * prints in its info file. */
gboolean wf_ceremony_read_system_keys (WfTask *task, ClAuthority *mcc, ClCard *ktc,
                                       const ClCardInfo *ktc_info, ClKey **pkey, ClKey **dkey,
                                       GError **error);

/* "08 D7 B4" */
char *wf_kcv_spaced (const ClKey *key, GError **error);
/* The info file of a new card, dated today. */
ClKey *wf_ceremony_info_file (ClCardKind kind, ClCardRole role, const guint8 serial[8],
                              const ClKey *kcv1_key, const ClKey *kcv2_key, GError **error);

/* Records a card just made; ktc/ac/kc fields by kind. */
gboolean wf_ceremony_register (WfTask *task, DbCpuCard *card, GError **error);

G_END_DECLS
