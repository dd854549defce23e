/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-kind.h: what kind of card is in a reader.
 *
 * From the ATR first (our CPU cards: historical bytes "IC" ‖ serial; a
 * memory-card reader's ATR is only a hint), then confirmed on the card:
 * SELECT CARD TYPE for an SLE4428; for a CPU card, SELECT MF and the free-read
 * info EF (0003 for KTC, AC and KC, 0001 for the MCC; layout in
 * docs/card-formats.md, "CPU card info files").  Nothing here needs a key.
 */
#pragma once

#include <gio/gio.h>
#include "cl-card.h"

G_BEGIN_DECLS

typedef enum {
  CL_CARD_KIND_UNKNOWN, /* no answer we understand */
  CL_CARD_KIND_CPU_BLANK, /* factory state: MF with only the transport KEY file */
  CL_CARD_KIND_CPU_OTHER, /* a CPU card, but not one of ours */
  CL_CARD_KIND_CPU_UNFINISHED, /* ours, but its making was interrupted: wash it, make it again */
  CL_CARD_KIND_MCC,
  CL_CARD_KIND_KTC,
  CL_CARD_KIND_AC,
  CL_CARD_KIND_KC,
  CL_CARD_KIND_SLE4428,
} ClCardKind;

#define CL_INFO_EF_MCC 0x0001
#define CL_INFO_EF 0x0003
#define CL_INFO_LEN 32
#define CL_INFO_VERSION 1

typedef enum {
  CL_ROLE_NONE = 0,
  CL_ROLE_SYSTEM_ADMIN = 1,
  CL_ROLE_ISSUING_ADMIN = 2,
  CL_ROLE_AUDITOR = 3,
} ClCardRole;

typedef struct {
  ClCardKind kind;
  gboolean has_serial;
  guint8 serial[8];
  /* from the info EF (CPU cards of the system) */
  gboolean has_info;
  guint8 layout_version;
  ClCardRole role;
  guint8 created[4]; /* BCD YYYYMMDD */
  guint8 kcv1[3]; /* MCC: KCV(MK); KTC, AC, KC: KCV(Pkey) */
  guint8 kcv2[3]; /* KTC, AC, KC: KCV(Dkey); MCC: 000000 */
} ClCardInfo;

const char *cl_card_kind_to_string (ClCardKind kind); /* "mcc", "sle4428", … */
const char *cl_card_kind_describe (ClCardKind kind); /* translated */

/* The hint from the ATR alone: CPU_OTHER with the serial for our CPU ATR,
 * SLE4428 for memory-card reader ATRs, else UNKNOWN. */
ClCardKind cl_card_kind_from_atr (GBytes *atr, guint8 serial[8], gboolean *has_serial);

/* Info EF codec (32 bytes; last byte = the check byte of docs/card-formats.md). */
gboolean cl_card_info_parse (const guint8 *data, gsize len, ClCardInfo *info, GError **error);
guint8 *cl_card_info_build (const ClCardInfo *info, gsize *len);

/* Detects the kind on the card (one transaction). */
gboolean cl_card_detect (ClCard *card, ClCardInfo *info, GCancellable *cancellable, GError **error);
void cl_card_detect_async (ClCard *card, GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data);
gboolean cl_card_detect_finish (ClCard *card, GAsyncResult *result, ClCardInfo *info,
                                GError **error);

G_END_DECLS
