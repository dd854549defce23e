/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-key.h: key material in locked memory.
 *
 * A ClKey's bytes live in OpenSSL's secure heap (mlock'ed, excluded from
 * core dumps) and are wiped with OPENSSL_cleanse when freed.  Nothing else
 * in the project holds keys, PINs or PSCs in ordinary heap memory for longer
 * than a stack frame, and those frames cleanse their buffers too.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Keys, PINs and PSCs, and the secret buffers that contain them (a
 * line-decrypted file, a whole SLE4428 read with its PSC). */
#define CL_KEY_MAX_LEN 1024

typedef struct _ClKey ClKey;

/* Sets up the secure heap and switches off core dumps, once per process;
 * safe to call again.  Programs call it first thing in main(). */
void cl_secure_init (void);

ClKey *cl_key_new (gsize len); /* zero-filled */
ClKey *cl_key_new_from_data (const guint8 *data, gsize len);
/* expected_len 0 accepts any DES key length (16, 32 or 48 hex digits). */
ClKey *cl_key_new_from_hex (const char *hex, gsize expected_len, GError **error);
ClKey *cl_key_concat (const ClKey *left, const ClKey *right);
ClKey *cl_key_dup (const ClKey *key);
const guint8 *cl_key_get_data (const ClKey *key);
guint8 *cl_key_get_data_mutable (ClKey *key);
gsize cl_key_get_length (const ClKey *key);
gboolean cl_key_is_secure (const ClKey *key); /* lives in the secure heap */
gboolean cl_key_equal (const ClKey *a, const ClKey *b); /* constant time */
void cl_key_free (ClKey *key);

/* Wipes any buffer that held a secret (OPENSSL_cleanse). */
void cl_secure_wipe (gpointer data, gsize len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClKey, cl_key_free)

G_END_DECLS
