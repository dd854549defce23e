/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-codec.c: strict hex and BCD, the seed's check byte, GB 11643. */
#include "config.h"

#include <string.h>

#include "cl-codec.h"
#include "cl-error.h"

static void
test_hex_decode (void)
{
  g_autoptr (GError) error = NULL;
  guint8 out[4];

  g_assert_true (cl_hex_decode ("0a1B 2c\t3D\n", out, sizeof out, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (out, 4, "\x0a\x1b\x2c\x3d", 4);
}

static void
test_hex_bad_char (void)
{
  g_autoptr (GError) error = NULL;
  guint8 out[4] = { 0xAA, 0xAA, 0xAA, 0xAA };

  /* 'G' is the 5th character: position 5, named in the message. */
  g_assert_false (cl_hex_decode ("0a1bG2c3", out, sizeof out, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "“G”"));
  g_assert_nonnull (strstr (error->message, "position 5"));
  /* Nothing written on failure. */
  g_assert_cmpmem (out, 4, "\xaa\xaa\xaa\xaa", 4);
  g_clear_error (&error);

  /* Positions count characters, not bytes; whitespace counts too. */
  g_assert_false (cl_hex_decode ("é 0a1b2c3d", out, sizeof out, &error));
  g_assert_nonnull (strstr (error->message, "“é”"));
  g_assert_nonnull (strstr (error->message, "position 1"));
  g_clear_error (&error);
  g_assert_false (cl_hex_decode ("00 é0a1b2c", out, sizeof out, &error));
  g_assert_nonnull (strstr (error->message, "position 4"));
  g_clear_error (&error);

  /* Invalid UTF-8 and control characters are shown escaped. */
  g_assert_false (cl_hex_decode ("00\xff", out, sizeof out, &error));
  g_assert_nonnull (strstr (error->message, "\\xFF"));
  g_clear_error (&error);
  g_assert_false (cl_hex_decode ("00\x01", out, sizeof out, &error));
  g_assert_nonnull (strstr (error->message, "U+0001"));
  g_assert_cmpmem (out, 4, "\xaa\xaa\xaa\xaa", 4);
}

static void
test_hex_wrong_length (void)
{
  g_autoptr (GError) error = NULL;
  guint8 out[4] = { 0 };

  g_assert_false (cl_hex_decode ("0a1b2c3", out, sizeof out, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Expected 8 hex digits but got 7"));
  g_clear_error (&error);
  g_assert_false (cl_hex_decode ("0a1b2c3d4e", out, sizeof out, &error));
  g_assert_nonnull (strstr (error->message, "got 10"));
  g_clear_error (&error);
  g_assert_false (cl_hex_decode ("", out, sizeof out, &error));
  g_assert_nonnull (strstr (error->message, "got 0"));
}

static void
test_hex_alloc (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *out = NULL;
  g_autofree guint8 *empty = NULL;
  gsize len = 99;

  out = cl_hex_decode_alloc ("DE AD be ef 01", &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (out, len, "\xde\xad\xbe\xef\x01", 5);

  empty = cl_hex_decode_alloc ("  ", &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, 0);

  g_assert_null (cl_hex_decode_alloc ("ABC", &len, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "odd"));
}

static void
test_hex_encode (void)
{
  const guint8 data[] = { 0x0a, 0x1b, 0xff, 0x00 };
  g_autofree char *plain = cl_hex_encode (data, sizeof data);
  g_autofree char *spaced = cl_hex_encode_spaced (data, sizeof data);
  g_autofree char *empty = cl_hex_encode (NULL, 0);
  g_autofree char *empty_spaced = cl_hex_encode_spaced (NULL, 0);

  g_assert_cmpstr (plain, ==, "0A1BFF00");
  g_assert_cmpstr (spaced, ==, "0A 1B FF 00");
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (empty_spaced, ==, "");
}

static void
test_bcd (void)
{
  g_autoptr (GError) error = NULL;
  guint8 out[8];
  char digits[17];

  g_assert_true (cl_bcd_pack ("1234567890123456", out, sizeof out, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (out, 8, "\x12\x34\x56\x78\x90\x12\x34\x56", 8);
  g_assert_true (cl_bcd_unpack (out, sizeof out, digits, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (digits, ==, "1234567890123456");
}

static void
test_bcd_rejects (void)
{
  g_autoptr (GError) error = NULL;
  guint8 out[8] = { 0 };
  const guint8 with_a[2] = { 0x12, 0x3A };
  const guint8 with_f[2] = { 0xF1, 0x23 };
  char digits[5] = "keep";

  /* Hex letters are not BCD digits, in either case. */
  g_assert_false (cl_bcd_pack ("123456789012345A", out, sizeof out, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "position 16"));
  g_assert_cmpmem (out, 8, "\0\0\0\0\0\0\0\0", 8);
  g_clear_error (&error);
  g_assert_false (cl_bcd_pack ("f234567890123456", out, sizeof out, &error));
  g_assert_nonnull (strstr (error->message, "position 1"));
  g_clear_error (&error);
  /* Whitespace is not skipped in BCD. */
  g_assert_false (cl_bcd_pack ("12345678 90123456", out, sizeof out, &error));
  g_clear_error (&error);
  /* Wrong lengths. */
  g_assert_false (cl_bcd_pack ("123456789012345", out, sizeof out, &error));
  g_assert_nonnull (strstr (error->message, "Expected 16 digits but got 15"));
  g_clear_error (&error);
  g_assert_false (cl_bcd_pack ("12345678901234567", out, sizeof out, &error));
  g_assert_nonnull (strstr (error->message, "got 17"));
  g_clear_error (&error);

  /* Unpacking refuses nibbles A-F, naming the byte, and writes nothing. */
  g_assert_false (cl_bcd_unpack (with_a, sizeof with_a, digits, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "Byte 2 (3A)"));
  g_assert_cmpstr (digits, ==, "keep");
  g_clear_error (&error);
  g_assert_false (cl_bcd_unpack (with_f, sizeof with_f, digits, &error));
  g_assert_nonnull (strstr (error->message, "Byte 1 (F1)"));
  g_assert_cmpstr (digits, ==, "keep");
}

static void
test_check_byte (void)
{
  g_autoptr (GError) error = NULL;
  const guint8 abc[] = { 0x01, 0x02, 0x03 };
  const guint8 pair[] = { 0x12, 0x34 };
  const guint8 ff[] = { 0xFF };
  guint8 ten[10];

  /* 01 02 03: W = 1*1 + 2*2 + 3*3 = 14 -> 4; X = 01^02^03 = 0 -> 0: 0x40 */
  g_assert_cmpuint (cl_check_byte (abc, sizeof abc), ==, 0x40);
  /* 12 34: W = 1*18 + 2*52 = 122 -> 2; X = 0x12^0x34 = 0x26 = 38 -> 8: 0x28 */
  g_assert_cmpuint (cl_check_byte (pair, sizeof pair), ==, 0x28);
  /* FF: W = 255 -> 5; X = 255 -> 5: 0x55 */
  g_assert_cmpuint (cl_check_byte (ff, sizeof ff), ==, 0x55);
  /* Nothing: W = 0, X = 0. */
  g_assert_cmpuint (cl_check_byte (NULL, 0), ==, 0x00);
  /* Ten bytes of 0xFF: W = 255 * (1+..+10) = 255 * 55 = 14025 -> 5;
   * X = 0 (an even number of FF) -> 0: 0x50 */
  memset (ten, 0xFF, sizeof ten);
  g_assert_cmpuint (cl_check_byte (ten, sizeof ten), ==, 0x50);

  g_assert_true (cl_check_byte_verify (pair, sizeof pair, 0x28, &error));
  g_assert_no_error (error);
  g_assert_false (cl_check_byte_verify (pair, sizeof pair, 0x27, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "27"));
  g_assert_nonnull (strstr (error->message, "28"));
}

static void
test_check_byte_long (void)
{
  guint8 data[1000];
  guint64 w = 0;
  guint8 x = 0;

  /* The running mod-10 sum must equal the plain sum for long data. */
  for (gsize i = 0; i < sizeof data; i++)
    {
      data[i] = (guint8) (i * 37 + 11);
      w += (guint64) (i + 1) * data[i];
      x ^= data[i];
    }
  g_assert_cmpuint (cl_check_byte (data, sizeof data), ==, (w % 10) << 4 | (x % 10));
}

static void
test_gb11643_valid (void)
{
  g_autoptr (GError) error = NULL;

  /* Examples from the GB 11643-1999 text and public samples. */
  g_assert_true (cl_gb11643_validate ("11010519491231002X", &error));
  g_assert_no_error (error);
  g_assert_true (cl_gb11643_validate ("440524188001010014", &error));
  g_assert_no_error (error);
  g_assert_cmpint (cl_gb11643_check_char ("11010519491231002", &error), ==, 'X');
  g_assert_cmpint (cl_gb11643_check_char ("44052418800101001", &error), ==, '4');
  g_assert_no_error (error);
}

static void
test_gb11643_invalid (void)
{
  const char *bad[] = {
    "110105194912310021", /* wrong check char (X expected) */
    "440524188001010015", /* wrong check char (4 expected) */
    "440524188001010041", /* two digits swapped */
    "11010519491231002x", /* lower-case x */
    "11010519491231002", /* 17 characters */
    "11010519491231002XX", /* 19 characters */
    "1101051949123A002X", /* letter among the digits */
    "11010519491231002?", /* neither digit nor X */
    "",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", bad[i]);
      g_assert_false (cl_gb11643_validate (bad[i], &error));
      g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
    }
}

static void
test_gb11643_messages (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (cl_gb11643_validate ("11010519491231002x", &error));
  g_assert_nonnull (strstr (error->message, "upper-case"));
  g_clear_error (&error);
  g_assert_false (cl_gb11643_validate ("1101051949123A002X", &error));
  g_assert_nonnull (strstr (error->message, "position 14"));
  g_clear_error (&error);
  g_assert_false (cl_gb11643_validate ("1101051949", &error));
  g_assert_nonnull (strstr (error->message, "10 characters"));
  g_clear_error (&error);
  g_assert_cmpint (cl_gb11643_check_char ("1101051949123100", &error), ==, 0);
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpint (cl_gb11643_check_char ("110105194912310021", &error), ==, 0);
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crypto/codec/hex/decode", test_hex_decode);
  g_test_add_func ("/crypto/codec/hex/bad-char", test_hex_bad_char);
  g_test_add_func ("/crypto/codec/hex/wrong-length", test_hex_wrong_length);
  g_test_add_func ("/crypto/codec/hex/alloc", test_hex_alloc);
  g_test_add_func ("/crypto/codec/hex/encode", test_hex_encode);
  g_test_add_func ("/crypto/codec/bcd/roundtrip", test_bcd);
  g_test_add_func ("/crypto/codec/bcd/rejects", test_bcd_rejects);
  g_test_add_func ("/crypto/codec/check-byte/examples", test_check_byte);
  g_test_add_func ("/crypto/codec/check-byte/long", test_check_byte_long);
  g_test_add_func ("/crypto/codec/gb11643/valid", test_gb11643_valid);
  g_test_add_func ("/crypto/codec/gb11643/invalid", test_gb11643_invalid);
  g_test_add_func ("/crypto/codec/gb11643/messages", test_gb11643_messages);

  return g_test_run ();
}
