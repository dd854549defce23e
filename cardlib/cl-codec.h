/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-codec.h: hex, BCD, the seed's check byte and GB 11643 ID numbers.
 *
 * All parsers are strict: a bad digit, an odd length or a wrong length is a
 * CL_ERROR_INVALID_INPUT naming the position, and nothing is written to out.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Hex: whitespace between digits is ignored; anything else but 0-9a-fA-F
 * is an error; the digit count must be exactly 2 * out_len. */
gboolean cl_hex_decode (const char *hex, guint8 *out, gsize out_len, GError **error);
/* Counts the hex digits, ignoring whitespace; fails on any other character. */
gboolean cl_hex_count_digits (const char *hex, gsize *n_digits, GError **error);
guint8 *cl_hex_decode_alloc (const char *hex, gsize *out_len, GError **error);
char *cl_hex_encode (const guint8 *data, gsize len); /* "0A1B", upper case */
char *cl_hex_encode_spaced (const guint8 *data, gsize len); /* "0A 1B" */

/* BCD: exactly 2 * out_len decimal digits, high nibble first. */
gboolean cl_bcd_pack (const char *digits, guint8 *out, gsize out_len, GError **error);
/* out must hold 2 * len + 1 chars; a nibble above 9 is an error. */
gboolean cl_bcd_unpack (const guint8 *bcd, gsize len, char *out, GError **error);

/* Seed 002 check byte: high BCD digit (sum i*b_i, i from 1) mod 10,
 * low digit (b_1 ^ .. ^ b_n) mod 10. */
guint8 cl_check_byte (const guint8 *data, gsize len);
gboolean cl_check_byte_verify (const guint8 *data, gsize len, guint8 check, GError **error);

/* GB 11643-1999 (ISO 7064 MOD 11-2): check character of the first 17 digits. */
char cl_gb11643_check_char (const char *first17, GError **error); /* '0'..'9','X' or 0 */
gboolean cl_gb11643_validate (const char *id18, GError **error);

G_END_DECLS
