/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-icard-io.h: what the insurance-card tasks share (workflows-internal):
 * the card in R2 read whole, its per-card keys computed by the operator's
 * card, presenting its PSC without spending tries blindly, and writing only
 * what differs.  The memory map is wf-icard.h's. */
#pragma once

#include "cl-card.h"
#include "cl-sle4428.h"
#include "wf-icard.h"
#include "wf-insurance.h"
#include "wf-task.h"

G_BEGIN_DECLS

/* The per-card secrets, in locked memory: psc (2 bytes) = the fold of
 * TDES_Pkey(SN); dkc (16) = DIV(Dkey, SN).  Either may be NULL when the
 * operator's card has no such key (auditors). */
typedef struct {
  ClKey *psc;
  ClKey *dkc;
} WfIcardKeys;

void wf_icard_keys_clear (WfIcardKeys *keys);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WfIcardKeys, wf_icard_keys_clear)

/* The session's card computes them; need_psc: fail without Pkey. */
gboolean wf_icard_keys_compute (WfTask *task, const guint8 serial[8], gboolean need_psc,
                                WfIcardKeys *keys, GError **error);

/* The whole card as read now (PSC excluded): memory 0x000-0x3FD, the
 * protection of every byte, and the PSC tries left. */
typedef struct {
  guint8 serial[8];
  char sn[17];
  guint8 mem[WF_ICARD_MEM_LEN];
  gboolean protected_map[CL_SLE4428_SIZE];
  guint tries_left;
} WfIcardImage;

gboolean wf_icard_image_read (WfTask *task, ClCard *card, WfIcardImage *image, GError **error);

/* Waits for an SLE4428 in R2.  want_sn (may be NULL): only that card is
 * accepted; not_sn (may be NULL): any card but that one (the one just
 * issued, still in the reader). */
ClCard *wf_icard_wait (WfTask *task, const char *question_name, const char *text,
                       const char *want_sn, const char *not_sn, ClCardInfo *info, GError **error);

/* Which PSC the card should take, tried in this order, each at most once:
 * the factory's FFFF and/or the card's own.  Locked cards and a last try
 * are refused (the person is asked before the last one). */
typedef enum {
  WF_PSC_FACTORY = 1 << 0,
  WF_PSC_OWN = 1 << 1,
  WF_PSC_OWN_FIRST = 1 << 2,
} WfPscChoice;

/* Presents a PSC the card takes; *is_own tells which one it was. */
gboolean wf_icard_present (WfTask *task, ClCard *card, const WfIcardKeys *keys, WfPscChoice choice,
                           gboolean *is_own, GError **error);

/* Writes wanted over 0x010-0x3AF where it differs from image (counts
 * added to the task's totals), then reads the range back and compares. */
gboolean wf_icard_write_data (WfTask *task, ClCard *card, const WfIcardImage *image,
                              const guint8 wanted[WF_ICARD_DATA_LEN], guint *apdus, gsize *bytes,
                              GError **error);

/* An issuance as a step of another task (a batch): role, quota, holder
 * completed, the blank in R2, journal (wf-issue.c). */
WfIssued *wf_issue_in_task (WfTask *task, const WfIcardHolder *holder, const char *not_sn,
                            GError **error);

/* The registry's holder as card data. */
gboolean wf_icard_holder_from_db (const DbHolder *db_holder, WfIcardHolder *holder, GError **error);
/* The registry's record of the holder (fields the card does not carry
 * stay NULL); region is the issuing office's. */
void wf_icard_holder_to_db (const WfIcardHolder *holder, const char *region, DbHolder *db_holder);

/* The factory PSC as a key. */
ClKey *wf_icard_factory_psc (void);

G_END_DECLS
