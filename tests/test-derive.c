/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-derive.c: the system key derivations against values recomputed here
 * from the primitives (cl_des_ecb_encrypt) and folded by hand. */
#include "config.h"

#include <string.h>

#include "cl-codec.h"
#include "cl-crypto.h"
#include "cl-derive.h"
#include "cl-error.h"
#include "cl-key.h"
#include "test-util.h"

static ClKey *
code_key (const char *digits)
{
  g_autoptr (GError) error = NULL;
  ClKey *key = cl_derive_code_key (digits, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}

static void
des (const ClKey *key, const guint8 *in, guint8 *out)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cl_des_ecb_encrypt (key, in, 8, out, &error));
  g_assert_no_error (error);
}

static void
test_code_key (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key = code_key ("1234567890123456");

  g_assert_cmpuint (cl_key_get_length (key), ==, 8);
  g_assert_cmpmem (cl_key_get_data (key), 8, "\x12\x34\x56\x78\x90\x12\x34\x56", 8);
  g_assert_true (cl_key_is_secure (key));

  g_assert_null (cl_derive_code_key ("123456789012345A", &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (cl_derive_code_key ("123456789012345", &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
}

static void
test_system_keys (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) code1 = code_key ("1234567890123456");
  g_autoptr (ClKey) code2 = code_key ("6543210987654321");
  g_autoptr (ClKey) psub = tu_key_from_hex ("0011223344556677");
  g_autoptr (ClKey) dsub = tu_key_from_hex ("8899AABBCCDDEEFF");
  g_autoptr (ClKey) pkey = NULL;
  g_autoptr (ClKey) dkey = NULL;
  guint8 want[16];

  g_assert_true (cl_derive_system_keys (code1, code2, psub, dsub, &pkey, &dkey, &error));
  g_assert_no_error (error);
  g_assert_true (cl_key_is_secure (pkey));
  g_assert_true (cl_key_is_secure (dkey));

  /* Pkey = DES_code1(PSUB) || DES_code2(PSUB) */
  des (code1, cl_key_get_data (psub), want);
  des (code2, cl_key_get_data (psub), want + 8);
  g_assert_cmpmem (cl_key_get_data (pkey), cl_key_get_length (pkey), want, 16);
  /* Dkey = DES_code1(DSUB) || DES_code2(DSUB) */
  des (code1, cl_key_get_data (dsub), want);
  des (code2, cl_key_get_data (dsub), want + 8);
  g_assert_cmpmem (cl_key_get_data (dkey), cl_key_get_length (dkey), want, 16);
}

static void
test_system_keys_rejects (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) code1 = code_key ("1234567890123456");
  /* Differs from code 1 only in the low bit of the last byte: DES's parity
   * bit, so both give the same DES key. */
  g_autoptr (ClKey) code1b = code_key ("1234567890123457");
  g_autoptr (ClKey) sub = tu_key_from_hex ("0011223344556677");
  g_autoptr (ClKey) sub16 = tu_key_from_hex ("00112233445566778899AABBCCDDEEFF");
  ClKey *pkey = NULL;
  ClKey *dkey = NULL;

  g_assert_false (cl_derive_system_keys (code1, code1, sub, sub, &pkey, &dkey, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (cl_derive_system_keys (code1, code1b, sub, sub, &pkey, &dkey, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (cl_derive_system_keys (code1, code1b, sub16, sub, &pkey, &dkey, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "PSUB"));
  g_assert_null (pkey);
  g_assert_null (dkey);
}

static void
test_psc_fold (void)
{
  const guint8 c[8] = { 0x11, 0x22, 0x44, 0x88, 0x10, 0x20, 0x40, 0x80 };
  guint8 psc[2];

  /* PSC0 = 11^44^10^40 = 55^10^40 = 45^40 = 05
   * PSC1 = 22^88^20^80 = AA^20^80 = 8A^80 = 0A */
  cl_psc_fold (c, psc);
  g_assert_cmpuint (psc[0], ==, 0x05);
  g_assert_cmpuint (psc[1], ==, 0x0A);
}

static void
test_psc (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) pkey = tu_key_from_hex ("0123456789ABCDEFFEDCBA9876543210");
  g_autoptr (ClKey) short_key = tu_key_from_hex ("0123456789ABCDEF");
  const guint8 sn[8] = { 0xA0, 0x00, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78 };
  guint8 c[8], psc[2];

  g_assert_true (cl_derive_psc (pkey, sn, psc, &error));
  g_assert_no_error (error);
  des (pkey, sn, c);
  g_assert_cmpuint (psc[0], ==, c[0] ^ c[2] ^ c[4] ^ c[6]);
  g_assert_cmpuint (psc[1], ==, c[1] ^ c[3] ^ c[5] ^ c[7]);

  g_assert_false (cl_derive_psc (short_key, sn, psc, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
}

/* DIV(K, SN) = TDES_K(SN) || TDES_K(~SN), recomputed from the primitive. */
static void
assert_div (const ClKey *key, const guint8 sn[8], const ClKey *got)
{
  guint8 not_sn[8], want[16];

  for (gsize i = 0; i < 8; i++)
    not_sn[i] = (guint8) ~sn[i];
  des (key, sn, want);
  des (key, not_sn, want + 8);
  g_assert_cmpuint (cl_key_get_length (got), ==, 16);
  g_assert_cmpmem (cl_key_get_data (got), 16, want, 16);
}

static void
test_card_keys (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) dkey = tu_key_from_hex ("00112233445566778899AABBCCDDEEFF");
  g_autoptr (ClKey) mk = tu_key_from_hex ("0123456789ABCDEFFEDCBA9876543210");
  g_autoptr (ClKey) short_key = tu_key_from_hex ("0123456789ABCDEF");
  g_autoptr (ClKey) dkc = NULL;
  g_autoptr (ClKey) cmk = NULL;
  const guint8 sn[8] = { 0x86, 0x00, 0x00, 0x01, 0x23, 0x45, 0x67, 0x89 };

  dkc = cl_derive_card_data_key (dkey, sn, &error);
  g_assert_no_error (error);
  assert_div (dkey, sn, dkc);
  g_assert_true (cl_key_is_secure (dkc));

  cmk = cl_derive_cmk (mk, sn, &error);
  g_assert_no_error (error);
  assert_div (mk, sn, cmk);

  g_assert_null (cl_derive_cmk (short_key, sn, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (cl_derive_card_data_key (short_key, sn, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crypto/derive/code-key", test_code_key);
  g_test_add_func ("/crypto/derive/system-keys", test_system_keys);
  g_test_add_func ("/crypto/derive/system-keys-rejects", test_system_keys_rejects);
  g_test_add_func ("/crypto/derive/psc-fold", test_psc_fold);
  g_test_add_func ("/crypto/derive/psc", test_psc);
  g_test_add_func ("/crypto/derive/card-keys", test_card_keys);

  return g_test_run ();
}
