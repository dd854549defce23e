/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-sle4428-private.h: what the SLE4428 driver's files share (cl-sle4428.c:
 * memory, PSC; cl-sle4428-prot.c: protection bits).  cardlib-internal. */
#pragma once

#include <gio/gio.h>
#include "cl-apdu.h"
#include "cl-card.h"

G_BEGIN_DECLS

#define CLA_READER 0xFF
#define INS_SELECT_TYPE 0xA4
#define INS_READ 0xB0
#define INS_READ_ERRCNT 0xB1
#define INS_READ_PROT 0xB2
#define INS_WRITE 0xD0
#define INS_WRITE_PROT 0xD1
#define INS_PRESENT 0x20
#define CARD_TYPE_SLE4428 0x05
#define DEFAULT_CHUNK 255
#define MAX_PROT_BYTES 32 /* FF B2: at most 32 bytes = 256 bits per APDU */

#define BEGIN_OR_RETURN(card, cancellable, error, ret)                                             \
  if (!cl_card_begin ((card), (cancellable), (error)))                                             \
    return ret;

/* Single steps, called inside a transaction. */
gboolean cl_sle4428_do_select (ClCard *card, GCancellable *cancellable, GError **error);
/* Any range without the PSC. */
GBytes *cl_sle4428_do_read (ClCard *card, guint addr, gsize len, GCancellable *cancellable,
                            GError **error);
gboolean cl_sle4428_check_range (guint addr, gsize len, GError **error);
/* A reply may carry more than asked (callers keep the first n), never less. */
gboolean cl_sle4428_check_resp_len (const ClResponse *resp, gsize n, GError **error);
gboolean cl_sle4428_touches_psc (guint addr, gsize len);
/* The reader's largest transfer per APDU (cl_sle4428_set_chunk_size). */
guint cl_sle4428_get_chunk (ClCard *card);
/* FF D0 (ins INS_WRITE) or FF D1 (INS_WRITE_PROT) in chunks. */
gboolean cl_sle4428_do_write (ClCard *card, guint8 ins, guint addr, const guint8 *data, gsize len,
                              GCancellable *cancellable, GError **error);

/* After FF D1: the reader says 9000 even when a byte did not compare, so
 * read the bits back; CL_ERROR_WRITE_PROTECTED names the first byte left
 * writable. */
gboolean cl_sle4428_check_protected (ClCard *card, guint addr, gsize len, GCancellable *cancellable,
                                     GError **error);

G_END_DECLS
