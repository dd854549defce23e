/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-crypto.c: the published KATs (tests/data/crypto-kat.txt) through
 * cl-crypto, plus MAC, padding, diversification and KCV behaviour. */
#include "config.h"

#include <string.h>

#include "cl-codec.h"
#include "cl-crypto.h"
#include "cl-error.h"
#include "cl-key.h"
#include "test-util.h"

typedef struct {
  guint line;
  char *kind;
  char *key;
  char *input;
  char *expected;
} Kat;

static void
kat_free (gpointer data)
{
  Kat *kat = data;

  g_free (kat->kind);
  g_free (kat->key);
  g_free (kat->input);
  g_free (kat->expected);
  g_free (kat);
}

static void
assert_hex (const guint8 *data, gsize len, const char *expected)
{
  g_autofree char *got = cl_hex_encode (data, len);

  g_assert_cmpstr (got, ==, expected);
}

static void
kat_ecb (const Kat *kat)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key = tu_key_from_hex (kat->key);
  gsize len;
  g_autofree guint8 *in = tu_unhex (kat->input, &len);
  g_autofree guint8 *out = g_malloc (len);
  g_autofree guint8 *back = g_malloc (len);

  if (strcmp (kat->kind, "des") == 0)
    g_assert_cmpuint (cl_key_get_length (key), ==, 8);
  else
    g_assert_true (cl_key_get_length (key) == 16 || cl_key_get_length (key) == 24);

  g_assert_true (cl_des_ecb_encrypt (key, in, len, out, &error));
  g_assert_no_error (error);
  assert_hex (out, len, kat->expected);
  g_assert_true (cl_des_ecb_decrypt (key, out, len, back, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (back, len, in, len);
}

static void
kat_mac (const Kat *kat, ClPadding padding)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key = tu_key_from_hex (kat->key);
  gsize len;
  g_autofree guint8 *in = tu_unhex (kat->input, &len);
  guint8 mac[8];

  g_assert_true (cl_mac3 (key, NULL, padding, in, len, mac, &error));
  g_assert_no_error (error);
  assert_hex (mac, sizeof mac, kat->expected);
}

/* EMV option A: F = rightmost 16 digits of PAN||PSN (left-padded with 0) as BCD. */
static void
kat_emv_a (const Kat *kat)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key = tu_key_from_hex (kat->key);
  g_autoptr (ClKey) derived = NULL;
  gsize n = strlen (kat->input);
  char digits[17];
  guint8 factor[8];

  memset (digits, '0', 16);
  digits[16] = '\0';
  if (n >= 16)
    memcpy (digits, kat->input + n - 16, 16);
  else
    memcpy (digits + 16 - n, kat->input, n);
  g_assert_true (cl_bcd_pack (digits, factor, sizeof factor, &error));
  g_assert_no_error (error);

  derived = cl_diversify (key, factor, &error);
  g_assert_no_error (error);
  g_assert_nonnull (derived);
  assert_hex (cl_key_get_data (derived), cl_key_get_length (derived), kat->expected);
}

static void
kat_kcv (const Kat *kat)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key = tu_key_from_hex (kat->key);
  g_autofree char *kcv = cl_kcv_hex (key, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (kat->input, ==, "-");
  g_assert_cmpstr (kcv, ==, kat->expected);
}

static void
test_kat (gconstpointer data)
{
  const Kat *kat = data;

  g_test_message ("line %u: %s %s", kat->line, kat->kind, kat->input);
  if (strcmp (kat->kind, "des") == 0 || strcmp (kat->kind, "tdes") == 0)
    kat_ecb (kat);
  else if (strcmp (kat->kind, "mac3-m1") == 0)
    kat_mac (kat, CL_PAD_METHOD_1);
  else if (strcmp (kat->kind, "mac3-m2") == 0)
    kat_mac (kat, CL_PAD_METHOD_2);
  else if (strcmp (kat->kind, "emv-a") == 0)
    kat_emv_a (kat);
  else if (strcmp (kat->kind, "kcv") == 0)
    kat_kcv (kat);
  else
    g_test_fail_printf ("line %u: unknown vector kind “%s”", kat->line, kat->kind);
}

static void
test_kat_file_has_vectors (gconstpointer data)
{
  const GPtrArray *kats = data;

  /* An empty or unreadable file must not pass as "all vectors matched". */
  g_assert_cmpuint (kats->len, >, 0);
}

static GPtrArray *
load_kats (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  GPtrArray *kats = g_ptr_array_new_with_free_func (kat_free);

  if (!g_file_get_contents (path, &text, NULL, &error))
    {
      g_printerr ("# cannot read %s: %s\n", path, error->message);
      return kats;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *hash = strchr (lines[i], '#');
      g_auto (GStrv) fields = NULL;
      Kat *kat;

      if (hash != NULL)
        *hash = '\0';
      fields = g_strsplit_set (g_strstrip (lines[i]), " \t", -1);
      /* Drop the empty fields that runs of blanks leave. */
      {
        guint n = 0;
        for (guint j = 0; fields[j] != NULL; j++)
          if (fields[j][0] != '\0')
            fields[n++] = fields[j];
          else
            g_free (fields[j]);
        fields[n] = NULL;
      }
      if (fields[0] == NULL)
        continue;
      kat = g_new0 (Kat, 1);
      kat->line = i + 1;
      kat->kind = g_strdup (fields[0]);
      if (g_strv_length (fields) != 4)
        {
          /* Registered anyway, as an unknown kind, so the run fails. */
          g_free (kat->kind);
          kat->kind = g_strdup_printf ("malformed line (%u fields)", g_strv_length (fields));
        }
      else
        {
          kat->key = g_strdup (fields[1]);
          kat->input = g_strdup (fields[2]);
          kat->expected = g_strdup (fields[3]);
        }
      g_ptr_array_add (kats, kat);
    }
  return kats;
}

/* --- behaviour beyond the vectors --- */

static const char *key16_hex = "0123456789ABCDEFFEDCBA9876543210";

static void
test_mac_iv_is_first_block_xor (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key = tu_key_from_hex (key16_hex);
  const guint8 iv[8] = { 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0 }; /* challenge || 0000 */
  guint8 data[13] = "04D6960008AB";
  guint8 xored[13];
  guint8 mac_iv[8], mac_zero[8], mac_xored[8];

  g_assert_true (cl_mac3 (key, iv, CL_PAD_METHOD_2, data, sizeof data, mac_iv, &error));
  g_assert_true (cl_mac3 (key, NULL, CL_PAD_METHOD_2, data, sizeof data, mac_zero, &error));
  g_assert_no_error (error);
  g_assert_true (memcmp (mac_iv, mac_zero, 8) != 0);

  /* CBC with IV v over D1.. equals CBC with IV 0 over (D1 ^ v).. */
  memcpy (xored, data, sizeof data);
  for (gsize i = 0; i < 8; i++)
    xored[i] ^= iv[i];
  g_assert_true (cl_mac3 (key, NULL, CL_PAD_METHOD_2, xored, sizeof xored, mac_xored, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (mac_iv, 8, mac_xored, 8);
}

static void
test_mac_single_des_is_cbc_mac (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key = tu_key_from_hex ("0123456789ABCDEF");
  const guint8 iv[8] = { 1, 2, 3, 4, 0, 0, 0, 0 };
  const guint8 data[16] = "Now is the time ";
  guint8 chain[16], mac[8];

  g_assert_true (cl_mac3 (key, iv, CL_PAD_NONE, data, sizeof data, mac, &error));
  g_assert_true (cl_des_cbc_encrypt (key, iv, data, sizeof data, chain, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (mac, 8, chain + 8, 8);
}

static void
test_mac_rejects (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key24 = tu_key_from_hex ("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123");
  g_autoptr (ClKey) key16 = tu_key_from_hex (key16_hex);
  const guint8 data[9] = { 0 };
  guint8 mac[8];

  g_assert_false (cl_mac3 (key24, NULL, CL_PAD_METHOD_2, data, 8, mac, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (cl_mac3 (key16, NULL, CL_PAD_NONE, data, 9, mac, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
}

static void
test_pad (void)
{
  const guint8 data[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  g_autofree guint8 *m1_aligned = NULL, *m1_short = NULL, *m2_aligned = NULL, *m2_short = NULL;
  g_autofree guint8 *m1_empty = NULL, *m2_empty = NULL;
  gsize len;

  m1_aligned = cl_pad (data, 8, CL_PAD_METHOD_1, &len);
  assert_hex (m1_aligned, len, "0102030405060708");
  m1_short = cl_pad (data, 3, CL_PAD_METHOD_1, &len);
  assert_hex (m1_short, len, "0102030000000000");
  m1_empty = cl_pad (NULL, 0, CL_PAD_METHOD_1, &len);
  assert_hex (m1_empty, len, "0000000000000000");
  m2_aligned = cl_pad (data, 8, CL_PAD_METHOD_2, &len);
  assert_hex (m2_aligned, len, "01020304050607088000000000000000");
  m2_short = cl_pad (data, 7, CL_PAD_METHOD_2, &len);
  assert_hex (m2_short, len, "0102030405060780");
  m2_empty = cl_pad (NULL, 0, CL_PAD_METHOD_2, &len);
  assert_hex (m2_empty, len, "8000000000000000");
}

static void
test_cbc_roundtrip (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key = tu_key_from_hex (key16_hex);
  const guint8 iv[8] = { 9, 8, 7, 6, 5, 4, 3, 2 };
  const guint8 plain[24] = "The qufck brown fox jump";
  guint8 cbc[24], ecb[8], block[8], back[24];

  g_assert_true (cl_des_cbc_encrypt (key, iv, plain, sizeof plain, cbc, &error));
  g_assert_no_error (error);
  /* First block by hand: E(P1 ^ IV). */
  for (gsize i = 0; i < 8; i++)
    block[i] = plain[i] ^ iv[i];
  g_assert_true (cl_des_ecb_encrypt (key, block, 8, ecb, &error));
  g_assert_cmpmem (cbc, 8, ecb, 8);
  g_assert_true (cl_des_cbc_decrypt (key, iv, cbc, sizeof cbc, back, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (back, sizeof back, plain, sizeof plain);
  /* In place works as well. */
  memcpy (back, plain, sizeof back);
  g_assert_true (cl_des_cbc_encrypt (key, iv, back, sizeof back, back, &error));
  g_assert_cmpmem (back, sizeof back, cbc, sizeof cbc);
}

static void
test_bad_lengths (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key12 = cl_key_new (12);
  g_autoptr (ClKey) key = tu_key_from_hex (key16_hex);
  const guint8 in[12] = { 0 };
  guint8 out[12];

  g_assert_false (cl_des_ecb_encrypt (key12, in, 8, out, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (cl_des_ecb_encrypt (key, in, 12, out, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "12"));
}

static void
test_diversify (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key = tu_key_from_hex (key16_hex);
  g_autoptr (ClKey) div = NULL;
  const guint8 f[8] = { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80 };
  const guint8 not_f[8] = { 0xEF, 0xDF, 0xCF, 0xBF, 0xAF, 0x9F, 0x8F, 0x7F };
  guint8 left[8], right[8];

  div = cl_diversify (key, f, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cl_key_get_length (div), ==, 16);
  g_assert_true (cl_key_is_secure (div));
  g_assert_true (cl_des_ecb_encrypt (key, f, 8, left, &error));
  g_assert_true (cl_des_ecb_encrypt (key, not_f, 8, right, &error));
  g_assert_cmpmem (cl_key_get_data (div), 8, left, 8);
  g_assert_cmpmem (cl_key_get_data (div) + 8, 8, right, 8);
}

static void
test_kcv_single_des (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key = tu_key_from_hex ("0123456789ABCDEF");
  g_autoptr (ClKey) key16 = tu_key_from_hex ("0123456789ABCDEF0123456789ABCDEF");
  g_autofree char *kcv8 = cl_kcv_hex (key, &error);
  g_autofree char *kcv16 = cl_kcv_hex (key16, &error);
  const guint8 zeros[8] = { 0 };
  guint8 block[8];

  g_assert_no_error (error);
  /* DES_K(0) and TDES_{K|K}(0) agree: EDE with equal keys is single DES. */
  g_assert_true (cl_des_ecb_encrypt (key, zeros, 8, block, &error));
  assert_hex (block, 3, kcv8);
  g_assert_cmpstr (kcv8, ==, kcv16);
  g_assert_cmpstr (kcv8, ==, "D5D44F");
}

static void
test_random (void)
{
  g_autoptr (GError) error = NULL;
  guint8 a[16] = { 0 }, b[16] = { 0 };

  g_assert_true (cl_random_bytes (a, sizeof a, &error));
  g_assert_true (cl_random_bytes (b, sizeof b, &error));
  g_assert_no_error (error);
  g_assert_true (memcmp (a, b, sizeof a) != 0);
}

int
main (int argc, char **argv)
{
  g_autofree char *path = NULL;
  g_autoptr (GPtrArray) kats = NULL;

  g_test_init (&argc, &argv, NULL);

  path = g_test_build_filename (G_TEST_DIST, "data", "crypto-kat.txt", NULL);
  kats = load_kats (path);
  g_test_add_data_func ("/crypto/kat/file-has-vectors", kats, test_kat_file_has_vectors);
  for (guint i = 0; i < kats->len; i++)
    {
      const Kat *kat = g_ptr_array_index (kats, i);
      g_autofree char *kind = g_strdelimit (g_strdup (kat->kind), " ()", '-');
      g_autofree char *name = g_strdup_printf ("/crypto/kat/line-%u-%s", kat->line, kind);

      g_test_add_data_func (name, kat, test_kat);
    }

  g_test_add_func ("/crypto/mac/iv-is-first-block-xor", test_mac_iv_is_first_block_xor);
  g_test_add_func ("/crypto/mac/single-des-is-cbc-mac", test_mac_single_des_is_cbc_mac);
  g_test_add_func ("/crypto/mac/rejects", test_mac_rejects);
  g_test_add_func ("/crypto/pad", test_pad);
  g_test_add_func ("/crypto/cbc/roundtrip", test_cbc_roundtrip);
  g_test_add_func ("/crypto/bad-lengths", test_bad_lengths);
  g_test_add_func ("/crypto/diversify", test_diversify);
  g_test_add_func ("/crypto/kcv/single-des", test_kcv_single_des);
  g_test_add_func ("/crypto/random", test_random);

  return g_test_run ();
}
