/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-crypto.h: DES/3DES, MACs, diversification and KCV over OpenSSL 3 EVP.
 *
 * Key lengths: 8 bytes = single DES (run as 3DES with K|K|K, so no legacy
 * provider is needed), 16 bytes = 2-key 3DES (K1|K2|K1), 24 bytes = 3-key.
 * Data lengths for ECB/CBC must be multiples of 8; padding is explicit.
 */
#pragma once

#include <glib.h>
#include "cl-key.h"

G_BEGIN_DECLS

#define CL_DES_BLOCK 8

typedef enum {
  CL_PAD_NONE = 0, /* caller guarantees a multiple of 8 */
  CL_PAD_METHOD_1 = 1, /* ISO 9797-1 method 1: zeros, none when already aligned */
  CL_PAD_METHOD_2 = 2, /* ISO 9797-1 method 2: 80 00.., always added (PBOC) */
} ClPadding;

gboolean cl_des_ecb_encrypt (const ClKey *key, const guint8 *in, gsize len, guint8 *out,
                             GError **error);
gboolean cl_des_ecb_decrypt (const ClKey *key, const guint8 *in, gsize len, guint8 *out,
                             GError **error);
gboolean cl_des_cbc_encrypt (const ClKey *key, const guint8 iv[8], const guint8 *in, gsize len,
                             guint8 *out, GError **error);
gboolean cl_des_cbc_decrypt (const ClKey *key, const guint8 iv[8], const guint8 *in, gsize len,
                             guint8 *out, GError **error);

/* Pads in place into a new buffer; returns it (g_free, wipe if secret). */
guint8 *cl_pad (const guint8 *in, gsize len, ClPadding padding, gsize *out_len);

/* ISO 9797-1 MAC algorithm 3 (retail MAC) for a 16-byte key: single-DES CBC
 * with the left half, final block 3DES; for an 8-byte key, plain DES CBC-MAC
 * (FMCOS single-DES MAC).  iv may be NULL for zeros.  The PBOC/FMCOS
 * secure-messaging MAC is the first 4 bytes with CL_PAD_METHOD_2 and
 * iv = challenge(4) || 00000000. */
gboolean cl_mac3 (const ClKey *key, const guint8 *iv, ClPadding padding, const guint8 *data,
                  gsize len, guint8 mac[8], GError **error);

/* DIV(K, F) = TDES_K(F) || TDES_K(~F): PBOC "one card one key". */
ClKey *cl_diversify (const ClKey *key, const guint8 factor[8], GError **error);

/* KCV: first 3 bytes of E_K(00..00). */
gboolean cl_kcv (const ClKey *key, guint8 kcv[3], GError **error);
char *cl_kcv_hex (const ClKey *key, GError **error); /* "08D7B4" */

gboolean cl_random_bytes (guint8 *out, gsize len, GError **error);

G_END_DECLS
