/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-derive.c: the system's key derivations (docs/card-formats.md, "Keys and algorithms"). */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>

#include "cl-codec.h"
#include "cl-crypto.h"
#include "cl-derive.h"
#include "cl-error.h"

#define DES_KEY_LEN 8
#define TDES_KEY_LEN 16

static gboolean
check_length (const ClKey *key, gsize want, const char *what, GError **error)
{
  if (cl_key_get_length (key) == want)
    return TRUE;
  /* TRANSLATORS: %1$s names the key, e.g. "PSUB" */
  g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
               _ ("%s must have %zu bytes but has %zu. Enter it again."), what, want,
               cl_key_get_length (key));
  return FALSE;
}

ClKey *
cl_derive_code_key (const char *digits16, GError **error)
{
  g_autoptr (ClKey) key = NULL;

  g_return_val_if_fail (digits16 != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  key = cl_key_new (DES_KEY_LEN);
  if (!cl_bcd_pack (digits16, cl_key_get_data_mutable (key), DES_KEY_LEN, error))
    return NULL;
  return g_steal_pointer (&key);
}

/* Copies the typed digits out of locked memory into a NUL-terminated
 * buffer in locked memory too. */
static ClKey *
digits_string (const ClKey *digits)
{
  gsize n = cl_key_get_length (digits);
  ClKey *s = cl_key_new (n + 1);

  memcpy (cl_key_get_data_mutable (s), cl_key_get_data (digits), n);
  return s;
}

ClKey *
cl_derive_code_key_from_digits (const ClKey *digits16, GError **error)
{
  g_autoptr (ClKey) s = NULL;

  g_return_val_if_fail (digits16 != NULL, NULL);

  s = digits_string (digits16);
  return cl_derive_code_key ((const char *) cl_key_get_data (s), error);
}

ClKey *
cl_pin_from_digits (const ClKey *digits, GError **error)
{
  const guint8 *d;
  gsize n, len;
  g_autoptr (ClKey) pin = NULL;
  guint8 *out;

  g_return_val_if_fail (digits != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  d = cl_key_get_data (digits);
  n = cl_key_get_length (digits);
  if (n < 2 || n > 16)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("A PIN has 2 to 16 digits; this one has %zu."), n);
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (d[i]))
      {
        g_set_error_literal (error, CL_ERROR, CL_ERROR_INVALID_INPUT, _ ("A PIN has digits only."));
        return NULL;
      }
  len = MAX ((n + 1) / 2, 2);
  pin = cl_key_new (len);
  out = cl_key_get_data_mutable (pin);
  memset (out, 0xFF, len);
  for (gsize i = 0; i < n; i++)
    {
      guint8 v = d[i] - '0';

      out[i / 2] = i % 2 == 0 ? (v << 4) | 0x0F : (out[i / 2] & 0xF0) | v;
    }
  return g_steal_pointer (&pin);
}

ClKey *
cl_derive_audit_key (const ClKey *dkey, GError **error)
{
  static const guint8 factor[8] = { 'A', 'U', 'D', 'I', 'T', 'L', 'O', 'G' };

  g_return_val_if_fail (dkey != NULL, NULL);

  if (!check_length (dkey, TDES_KEY_LEN, "Dkey", error))
    return NULL;
  return cl_diversify (dkey, factor, error);
}

/* out = DES_left(sub) || DES_right(sub) */
static ClKey *
derive_pair (const ClKey *left, const ClKey *right, const ClKey *sub, GError **error)
{
  g_autoptr (ClKey) out = cl_key_new (TDES_KEY_LEN);
  guint8 *d = cl_key_get_data_mutable (out);
  const guint8 *s = cl_key_get_data (sub);

  if (!cl_des_ecb_encrypt (left, s, DES_KEY_LEN, d, error)
      || !cl_des_ecb_encrypt (right, s, DES_KEY_LEN, d + DES_KEY_LEN, error))
    return NULL;
  return g_steal_pointer (&out);
}

gboolean
cl_derive_system_keys (const ClKey *code1, const ClKey *code2, const ClKey *psub, const ClKey *dsub,
                       ClKey **pkey, ClKey **dkey, GError **error)
{
  g_autoptr (ClKey) p = NULL;
  g_autoptr (ClKey) d = NULL;

  g_return_val_if_fail (code1 != NULL && code2 != NULL, FALSE);
  g_return_val_if_fail (psub != NULL && dsub != NULL, FALSE);
  g_return_val_if_fail (pkey != NULL && dkey != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_length (code1, DES_KEY_LEN, _ ("Code 1"), error)
      || !check_length (code2, DES_KEY_LEN, _ ("Code 2"), error)
      || !check_length (psub, DES_KEY_LEN, "PSUB", error)
      || !check_length (dsub, DES_KEY_LEN, "DSUB", error))
    return FALSE;

  p = derive_pair (code1, code2, psub, error);
  if (p == NULL)
    return FALSE;
  /* DES ignores each byte's low bit, so codes equal up to those bits give
   * PkeyL == PkeyR: a 2-key TDES key that is really single DES. */
  if (CRYPTO_memcmp (cl_key_get_data (p), cl_key_get_data (p) + DES_KEY_LEN, DES_KEY_LEN) == 0)
    {
      g_set_error_literal (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                           _ ("Code 1 and code 2 give the same DES key, which would make a weak "
                              "system key. Both leaders must choose new, unrelated codes."));
      return FALSE;
    }
  d = derive_pair (code1, code2, dsub, error);
  if (d == NULL)
    return FALSE;

  *pkey = g_steal_pointer (&p);
  *dkey = g_steal_pointer (&d);
  return TRUE;
}

void
cl_psc_fold (const guint8 c[8], guint8 psc[CL_PSC_LEN])
{
  g_return_if_fail (c != NULL);
  g_return_if_fail (psc != NULL);

  psc[0] = c[0] ^ c[2] ^ c[4] ^ c[6];
  psc[1] = c[1] ^ c[3] ^ c[5] ^ c[7];
}

gboolean
cl_derive_psc (const ClKey *pkey, const guint8 sn[CL_SERIAL_LEN], guint8 psc[CL_PSC_LEN],
               GError **error)
{
  guint8 c[CL_SERIAL_LEN];

  g_return_val_if_fail (pkey != NULL, FALSE);
  g_return_val_if_fail (sn != NULL, FALSE);
  g_return_val_if_fail (psc != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_length (pkey, TDES_KEY_LEN, "Pkey", error)
      || !cl_des_ecb_encrypt (pkey, sn, CL_SERIAL_LEN, c, error))
    return FALSE;
  cl_psc_fold (c, psc);
  OPENSSL_cleanse (c, sizeof c);
  return TRUE;
}

ClKey *
cl_derive_card_data_key (const ClKey *dkey, const guint8 sn[CL_SERIAL_LEN], GError **error)
{
  g_return_val_if_fail (dkey != NULL, NULL);
  g_return_val_if_fail (sn != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_length (dkey, TDES_KEY_LEN, "Dkey", error))
    return NULL;
  return cl_diversify (dkey, sn, error);
}

ClKey *
cl_derive_cmk (const ClKey *mk, const guint8 sn[CL_SERIAL_LEN], GError **error)
{
  g_return_val_if_fail (mk != NULL, NULL);
  g_return_val_if_fail (sn != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_length (mk, TDES_KEY_LEN, "MK", error))
    return NULL;
  return cl_diversify (mk, sn, error);
}
