/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-crypto.c: DES/3DES, ISO 9797-1 MACs, diversification, KCV.
 *
 * Every key runs through EVP des-ede3 with a 24-byte key (K|K|K for single
 * DES, K1|K2|K1 for 2-key), so only the default provider is needed.  The
 * expanded key lives in a stack buffer that is cleansed before returning.
 */
#include "config.h"

#include <limits.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "cl-codec.h"
#include "cl-crypto.h"
#include "cl-error.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_CIPHER_CTX, EVP_CIPHER_CTX_free)

#define EDE3_KEY_LEN 24

static gboolean
crypto_error (GError **error)
{
  char reason[256] = "";
  unsigned long code = ERR_get_error ();

  if (code != 0)
    ERR_error_string_n (code, reason, sizeof reason);
  ERR_clear_error ();
  g_set_error (error, CL_ERROR, CL_ERROR_CRYPTO,
               _ ("The encryption library refused the operation (%s). Restart the program; if "
                  "it happens again, report it to the help desk."),
               reason[0] != '\0' ? reason : _ ("no detail"));
  return FALSE;
}

static gboolean
bad_key_length (gsize len, GError **error)
{
  g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
               _ ("A DES key has 8, 16 or 24 bytes, this one has %zu. Enter the key again."), len);
  return FALSE;
}

static gboolean
expand_key (const guint8 *k, gsize len, guint8 out[EDE3_KEY_LEN], GError **error)
{
  switch (len)
    {
    case 8:
      memcpy (out, k, 8);
      memcpy (out + 8, k, 8);
      memcpy (out + 16, k, 8);
      return TRUE;
    case 16:
      memcpy (out, k, 16);
      memcpy (out + 16, k, 8);
      return TRUE;
    case 24:
      memcpy (out, k, 24);
      return TRUE;
    default:
      return bad_key_length (len, error);
    }
}

/* The one place that calls EVP: raw key bytes, so MAC halves need no copy. */
static gboolean
des_crypt_raw (const guint8 *k, gsize klen, gboolean cbc, const guint8 *iv, gboolean encrypt,
               const guint8 *in, gsize len, guint8 *out, GError **error)
{
  g_autoptr (EVP_CIPHER_CTX) ctx = NULL;
  guint8 key24[EDE3_KEY_LEN];
  static const guint8 zero_iv[CL_DES_BLOCK] = { 0 };
  int outl = 0;
  int finl = 0;
  gboolean ok;

  if (len % CL_DES_BLOCK != 0 || len > INT_MAX)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("DES works on whole 8-byte blocks, but got %zu bytes. Pad the data first."),
                   len);
      return FALSE;
    }
  if (len == 0)
    return TRUE;
  if (!expand_key (k, klen, key24, error))
    return FALSE;

  ctx = EVP_CIPHER_CTX_new ();
  ok = ctx != NULL
       && EVP_CipherInit_ex (ctx, cbc ? EVP_des_ede3_cbc () : EVP_des_ede3_ecb (), NULL, key24,
                             cbc ? (iv != NULL ? iv : zero_iv) : NULL, encrypt ? 1 : 0)
       && EVP_CIPHER_CTX_set_padding (ctx, 0) && EVP_CipherUpdate (ctx, out, &outl, in, (int) len)
       && EVP_CipherFinal_ex (ctx, out + outl, &finl) && (gsize) (outl + finl) == len;
  OPENSSL_cleanse (key24, sizeof key24);
  if (!ok)
    {
      OPENSSL_cleanse (out, len);
      return crypto_error (error);
    }
  return TRUE;
}

static gboolean
des_crypt (const ClKey *key, gboolean cbc, const guint8 *iv, gboolean encrypt, const guint8 *in,
           gsize len, guint8 *out, GError **error)
{
  return des_crypt_raw (cl_key_get_data (key), cl_key_get_length (key), cbc, iv, encrypt, in, len,
                        out, error);
}

gboolean
cl_des_ecb_encrypt (const ClKey *key, const guint8 *in, gsize len, guint8 *out, GError **error)
{
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (in != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return des_crypt (key, FALSE, NULL, TRUE, in, len, out, error);
}

gboolean
cl_des_ecb_decrypt (const ClKey *key, const guint8 *in, gsize len, guint8 *out, GError **error)
{
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (in != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return des_crypt (key, FALSE, NULL, FALSE, in, len, out, error);
}

gboolean
cl_des_cbc_encrypt (const ClKey *key, const guint8 iv[8], const guint8 *in, gsize len, guint8 *out,
                    GError **error)
{
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (in != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return des_crypt (key, TRUE, iv, TRUE, in, len, out, error);
}

gboolean
cl_des_cbc_decrypt (const ClKey *key, const guint8 iv[8], const guint8 *in, gsize len, guint8 *out,
                    GError **error)
{
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (in != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return des_crypt (key, TRUE, iv, FALSE, in, len, out, error);
}

guint8 *
cl_pad (const guint8 *in, gsize len, ClPadding padding, gsize *out_len)
{
  gsize padded;
  guint8 *out;

  g_return_val_if_fail (in != NULL || len == 0, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  switch (padding)
    {
    case CL_PAD_NONE:
      g_return_val_if_fail (len % CL_DES_BLOCK == 0, NULL);
      padded = len;
      break;
    case CL_PAD_METHOD_1:
      /* ISO 9797-1: the result is a positive multiple, so empty data gets a block. */
      padded = len == 0 ? CL_DES_BLOCK : (len + CL_DES_BLOCK - 1) / CL_DES_BLOCK * CL_DES_BLOCK;
      break;
    case CL_PAD_METHOD_2:
      padded = (len / CL_DES_BLOCK + 1) * CL_DES_BLOCK;
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  out = g_malloc0 (MAX (padded, 1));
  if (len > 0)
    memcpy (out, in, len);
  if (padding == CL_PAD_METHOD_2)
    out[len] = 0x80;
  *out_len = padded;
  return out;
}

gboolean
cl_mac3 (const ClKey *key, const guint8 *iv, ClPadding padding, const guint8 *data, gsize len,
         guint8 mac[8], GError **error)
{
  const guint8 *k;
  gsize klen;
  g_autofree guint8 *padded = NULL;
  g_autofree guint8 *chain = NULL;
  gsize plen = 0;
  guint8 last[CL_DES_BLOCK];
  gboolean ok;

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (mac != NULL, FALSE);
  g_return_val_if_fail (padding <= CL_PAD_METHOD_2, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  k = cl_key_get_data (key);
  klen = cl_key_get_length (key);
  if (klen != 8 && klen != 16)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("A MAC key has 8 or 16 bytes, this one has %zu. Use the session's MAC key."),
                   klen);
      return FALSE;
    }
  if (padding == CL_PAD_NONE && (len == 0 || len % CL_DES_BLOCK != 0))
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Unpadded MAC data must be whole 8-byte blocks, but got %zu bytes. Choose a "
                      "padding method."),
                   len);
      return FALSE;
    }

  padded = cl_pad (data, len, padding, &plen);
  chain = g_malloc (plen);
  /* Single-DES CBC with K1 (the whole key if it has 8 bytes). */
  ok = des_crypt_raw (k, 8, TRUE, iv, TRUE, padded, plen, chain, error);
  if (ok)
    {
      memcpy (last, chain + plen - CL_DES_BLOCK, CL_DES_BLOCK);
      /* Algorithm 3's output transformation: decrypt with K2, encrypt with K1. */
      if (klen == 16)
        ok = des_crypt_raw (k + 8, 8, FALSE, NULL, FALSE, last, CL_DES_BLOCK, last, error)
             && des_crypt_raw (k, 8, FALSE, NULL, TRUE, last, CL_DES_BLOCK, last, error);
      if (ok)
        memcpy (mac, last, CL_DES_BLOCK);
    }
  OPENSSL_cleanse (last, sizeof last);
  OPENSSL_cleanse (chain, plen);
  OPENSSL_cleanse (padded, plen);
  return ok;
}

ClKey *
cl_diversify (const ClKey *key, const guint8 factor[8], GError **error)
{
  g_autoptr (ClKey) out = NULL;
  guint8 f[2 * CL_DES_BLOCK];

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (factor != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  for (gsize i = 0; i < CL_DES_BLOCK; i++)
    {
      f[i] = factor[i];
      f[i + CL_DES_BLOCK] = (guint8) ~factor[i];
    }
  out = cl_key_new (sizeof f);
  if (!cl_des_ecb_encrypt (key, f, sizeof f, cl_key_get_data_mutable (out), error))
    g_clear_pointer (&out, cl_key_free);
  OPENSSL_cleanse (f, sizeof f);
  return g_steal_pointer (&out);
}

gboolean
cl_kcv (const ClKey *key, guint8 kcv[3], GError **error)
{
  static const guint8 zeros[CL_DES_BLOCK] = { 0 };
  guint8 block[CL_DES_BLOCK];

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (kcv != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!cl_des_ecb_encrypt (key, zeros, sizeof zeros, block, error))
    return FALSE;
  memcpy (kcv, block, 3);
  OPENSSL_cleanse (block, sizeof block);
  return TRUE;
}

char *
cl_kcv_hex (const ClKey *key, GError **error)
{
  guint8 kcv[3];

  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cl_kcv (key, kcv, error))
    return NULL;
  return cl_hex_encode (kcv, sizeof kcv);
}

gboolean
cl_random_bytes (guint8 *out, gsize len, GError **error)
{
  g_return_val_if_fail (out != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (len > INT_MAX)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Asked for %zu random bytes, more than can be made at once."), len);
      return FALSE;
    }
  if (len > 0 && RAND_bytes (out, (int) len) != 1)
    return crypto_error (error);
  return TRUE;
}
