/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-receipt.h: hand-over receipts as PDF (cairo + PangoCairo, no GTK):
 * one page per card issued or replaced, to be signed by the holder, and a
 * sign-off list for a batch, as offices keep their signed 发卡责任书.
 * Chinese with English, whatever the program's language; the CJK font is
 * found through fontconfig (docs/receipts.md). */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  WF_RECEIPT_ISSUANCE,
  WF_RECEIPT_REPLACEMENT_LOST,
  WF_RECEIPT_REPLACEMENT_DAMAGED,
} WfReceiptKind;

/* One card handed over.  The ID number is printed masked. */
typedef struct {
  WfReceiptKind kind;
  const char *holder_name;
  const char *id_number;
  const char *card_number; /* 10 digits, printed grouped */
  const char *serial_hex; /* the card's SN, 16 hex digits */
  const char *date; /* YYYYMMDD */
  const char *valid_until; /* YYYYMMDD, or NULL */
} WfReceiptCard;

/* Where and by whom. */
typedef struct {
  const char *office;
  const char *operator_name;
  const char *workstation;
  const char *batch_id; /* the sign-off list's reference, or NULL */
} WfReceiptPlace;

/* The families tried in order (fontconfig, then Pango's own fallback). */
#define WF_RECEIPT_FONTS                                                                           \
  "Noto Sans CJK SC, Source Han Sans SC, WenQuanYi Zen Hei, WenQuanYi Micro Hei, "                 \
  "Droid Sans Fallback, AR PL UMing CN, sans-serif"

/* A4 in points: the page every receipt is drawn on. */
#define WF_RECEIPT_PAGE_WIDTH 595.276
#define WF_RECEIPT_PAGE_HEIGHT 841.89

/* Draws one card's receipt on cr exactly as wf_receipt_write() puts it on
 * its page: in points from cr's origin on an A4 page (scale cr to fit
 * another paper).  The page is not ended.  Printing uses it. */
void wf_receipt_render (cairo_t *cr, const WfReceiptPlace *place, const WfReceiptCard *card);

/* One A4 page per card; written to a temporary file and renamed, so path
 * never holds half a receipt. */
gboolean wf_receipt_write (const char *path, const WfReceiptPlace *place,
                           const WfReceiptCard *cards, guint n_cards, GError **error);
/* A sign-off list: a row per card, as many A4 pages as needed. */
gboolean wf_receipt_write_batch (const char *path, const WfReceiptPlace *place,
                                 const WfReceiptCard *cards, guint n_cards, GError **error);

/* "510402********2316": the first 6 and last 4 characters. */
char *wf_receipt_mask_id (const char *id_number);

G_END_DECLS
