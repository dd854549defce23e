/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-apdu.c: APDU encoding and parsing (cases 1-4, short and extended,
 * and the errors), ClResponse, the status-word table, log redaction, the
 * transcript in cardpeek format and its replayer. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cl-apdu.h"
#include "cl-codec.h"
#include "cl-error.h"
#include "cl-log.h"
#include "cl-sw.h"

static char *
encode_hex (const ClApdu *apdu, GError **error)
{
  gsize len = 0;
  g_autofree guint8 *raw = cl_apdu_encode (apdu, &len, error);

  return raw != NULL ? cl_hex_encode (raw, len) : NULL;
}

static void
check_roundtrip (const ClApdu *apdu, const char *want_hex)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *hex = encode_hex (apdu, &error);
  g_autofree guint8 *raw = NULL;
  gsize len = 0;
  ClApdu back;

  g_assert_no_error (error);
  g_assert_cmpstr (hex, ==, want_hex);
  raw = cl_apdu_encode (apdu, &len, &error);
  g_assert_true (cl_apdu_parse (raw, len, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (back.cla, ==, apdu->cla);
  g_assert_cmpuint (back.ins, ==, apdu->ins);
  g_assert_cmpuint (back.p1, ==, apdu->p1);
  g_assert_cmpuint (back.p2, ==, apdu->p2);
  g_assert_cmpuint (back.lc, ==, apdu->lc);
  /* le 0 means "all", the same bytes as 256 (short) */
  g_assert_cmpint (back.le, ==, apdu->le == 0 ? 256 : apdu->le);
  if (apdu->lc > 0)
    g_assert_cmpmem (back.data, back.lc, apdu->data, apdu->lc);
}

static void
test_encode_short (void)
{
  static const guint8 fid[2] = { 0x3F, 0x00 };
  ClApdu c1 = { 0x80, 0x0E, 0x00, 0x00, NULL, 0, CL_LE_NONE, 0 };
  ClApdu c2 = { 0x00, 0x84, 0x00, 0x00, NULL, 0, 8, 0 };
  ClApdu c2_256 = { 0x00, 0xB0, 0x00, 0x00, NULL, 0, 256, 0 };
  ClApdu c2_0 = { 0x00, 0xB0, 0x00, 0x00, NULL, 0, 0, 0 };
  ClApdu c3 = { 0x00, 0xA4, 0x00, 0x00, fid, 2, CL_LE_NONE, 0 };
  ClApdu c4 = { 0x00, 0xA4, 0x00, 0x00, fid, 2, 256, 0 };

  check_roundtrip (&c1, "800E0000");
  check_roundtrip (&c2, "0084000008");
  check_roundtrip (&c2_256, "00B0000000");
  check_roundtrip (&c2_0, "00B0000000");
  check_roundtrip (&c3, "00A40000023F00");
  check_roundtrip (&c4, "00A40000023F0000");
}

static void
test_encode_extended (void)
{
  g_autofree guint8 *big = g_malloc (300);
  g_autoptr (GError) error = NULL;
  g_autofree char *hex = NULL;
  ClApdu c2e = { 0x00, 0xB0, 0x00, 0x00, NULL, 0, 257, 0 };
  ClApdu c2all = { 0x00, 0xB0, 0x00, 0x00, NULL, 0, 65536, 0 };
  ClApdu c3e = { 0x00, 0xD6, 0x00, 0x00, big, 300, CL_LE_NONE, 0 };
  ClApdu c4e = { 0x00, 0xD6, 0x00, 0x00, big, 300, 256, 0 };
  ClApdu c4e_le = { 0x00, 0x88, 0x00, 0x00, big, 8, 1000, 0 };

  memset (big, 0xAB, 300);
  check_roundtrip (&c2e, "00B00000000101");
  check_roundtrip (&c2all, "00B00000000000");

  hex = encode_hex (&c3e, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hex, "00D6000000012CABAB"));
  g_assert_cmpuint (strlen (hex), ==, 2 * (7 + 300));
  check_roundtrip (&c3e, hex);
  g_clear_pointer (&hex, g_free);

  hex = encode_hex (&c4e, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (hex, "AB0100"));
  g_assert_cmpuint (strlen (hex), ==, 2 * (9 + 300));
  check_roundtrip (&c4e, hex);
  g_clear_pointer (&hex, g_free);

  /* Le > 256 forces the extended form of Lc too. */
  check_roundtrip (&c4e_le, "00880000000008ABABABABABABABAB03E8");
}

static void
test_encode_errors (void)
{
  guint8 d[1] = { 0 };
  ClApdu too_long = { 0x00, 0xD6, 0, 0, d, 65536, CL_LE_NONE, 0 };
  ClApdu le_big = { 0x00, 0xB0, 0, 0, NULL, 0, 65537, 0 };
  ClApdu le_neg = { 0x00, 0xB0, 0, 0, NULL, 0, -2, 0 };
  ClApdu no_data = { 0x00, 0xD6, 0, 0, NULL, 3, CL_LE_NONE, 0 };
  const ClApdu *bad[] = { &too_long, &le_big, &le_neg, &no_data };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      gsize len = 0;
      guint8 *raw = cl_apdu_encode (bad[i], &len, &error);

      g_assert_null (raw);
      g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
    }
}

static void
test_parse_errors (void)
{
  static const char *bad[] = {
    "00A400", /* < 4 bytes */
    "00A40000033F00", /* Lc 3, 2 data bytes */
    "00A40000023F000000", /* two bytes after the data */
    "00D6000000000001", /* extended Lc 0 */
    "00D60000000002AABBCC", /* extended Lc 2, 3 bytes */
    "00B0000000", /* fine: case 2, Le 256 (marker) */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree guint8 *raw = NULL;
      gsize len = 0;
      ClApdu out;
      gboolean ok;

      raw = cl_hex_decode_alloc (bad[i], &len, &error);
      g_assert_no_error (error);
      ok = cl_apdu_parse (raw, len, &out, &error);
      if (i == G_N_ELEMENTS (bad) - 1)
        {
          g_assert_true (ok);
          g_assert_cmpint (out.le, ==, 256);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE);
        }
    }
}

static void
test_response (void)
{
  static const guint8 ok[] = { 0x12, 0x34, 0x90, 0x00 };
  static const guint8 sw_only[] = { 0x6A, 0x82 };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClResponse) r1 = cl_response_new (ok, sizeof ok, &error);
  g_autoptr (ClResponse) r2 = cl_response_new (sw_only, sizeof sw_only, &error);
  ClResponse *r3;

  g_assert_no_error (error);
  g_assert_true (cl_response_ok (r1));
  g_assert_cmpmem (r1->data, r1->len, ok, 2);
  g_assert_false (cl_response_ok (r2));
  g_assert_cmpuint (r2->len, ==, 0);
  g_assert_cmphex (r2->sw, ==, 0x6A82);
  r3 = cl_response_new (ok, 1, &error);
  g_assert_null (r3);
  g_assert_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE);
}

static void
test_sw_table (void)
{
  static const struct {
    guint16 sw;
    int code;
  } cases[] = {
    { 0x6281, CL_ERROR_STATUS },      { 0x6283, CL_ERROR_STATUS },
    { 0x63C2, CL_ERROR_WRONG_PIN },   { 0x63C1, CL_ERROR_WRONG_PIN },
    { 0x63C0, CL_ERROR_LOCKED },      { 0x6581, CL_ERROR_WRITE_PROTECTED },
    { 0x6700, CL_ERROR_STATUS },      { 0x6981, CL_ERROR_STATUS },
    { 0x6982, CL_ERROR_SECURITY },    { 0x6983, CL_ERROR_LOCKED },
    { 0x6984, CL_ERROR_AUTH_FAILED }, { 0x6985, CL_ERROR_SECURITY },
    { 0x6986, CL_ERROR_STATUS },      { 0x6A80, CL_ERROR_STATUS },
    { 0x6A81, CL_ERROR_STATUS },      { 0x6A82, CL_ERROR_NOT_FOUND },
    { 0x6A83, CL_ERROR_NOT_FOUND },   { 0x6A84, CL_ERROR_STATUS },
    { 0x6A86, CL_ERROR_STATUS },      { 0x6A88, CL_ERROR_NOT_FOUND },
    { 0x6B00, CL_ERROR_STATUS },      { 0x6C10, CL_ERROR_BAD_RESPONSE },
    { 0x6D00, CL_ERROR_STATUS },      { 0x6E00, CL_ERROR_STATUS },
    { 0x6F00, CL_ERROR_STATUS },      { 0x9302, CL_ERROR_MAC },
    { 0x9303, CL_ERROR_LOCKED },      { 0x9401, CL_ERROR_STATUS },
    { 0x9403, CL_ERROR_NOT_FOUND },   { 0x6A89, CL_ERROR_STATUS },
  };
  const char *unknown = cl_sw_describe (0x1234);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *tag = g_strdup_printf ("(SW %04X)", cases[i].sw);
      const char *text = cl_sw_describe (cases[i].sw);

      g_assert_nonnull (text);
      g_assert_cmpstr (text, !=, "");
      g_assert_cmpstr (text, !=, unknown);
      g_assert_cmpint (cl_sw_error_code (cases[i].sw), ==, cases[i].code);
      cl_set_error_from_sw (&error, cases[i].sw, "Step");
      g_assert_error (error, CL_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, "Step: "));
      g_assert_nonnull (strstr (error->message, tag));
    }
  g_assert_nonnull (strstr (cl_sw_describe (0x63C2), "2"));
  /* Same pointer for the same SW: safe to keep. */
  g_assert_true (cl_sw_describe (0x63C3) == cl_sw_describe (0x63C3));
  /* Errors shown to the operator are kept for the support report. */
  {
    g_autoptr (GError) error = NULL;
    g_auto (GStrv) recent = NULL;

    cl_set_error_from_sw (&error, 0x6A82, "Step");
    cl_log_error (NULL, error);
    recent = cl_log_get_recent_errors ();

    g_assert_cmpuint (g_strv_length (recent), >, 0);
    g_assert_nonnull (strstr (recent[g_strv_length (recent) - 1], "Step: "));
  }
}

typedef struct {
  const char *cmd;
  ClApduFlags flags;
  const char *resp;
  const char *want_cmd;
  const char *want_resp;
} RedactCase;

static void
test_redact (void)
{
  static const RedactCase cases[] = {
    { "00A40000023F00", 0, "9000", "00A40000023F00", "" },
    { "FF200000021234", 0, "90FF", "FF20000002****", "" },
    { "FF200000021234", 0, "FF12349000", "FF20000002****", "FF****" }, /* old ACR38 echo */
    { "0020000103123456", 0, "9000", "0020000103******", "" },
    { "80D401000739F0AA0A661122", 0, "9000", "80D4010007**************", "" },
    /* unparsable: everything after the header */
    { "80D401000539F0AA0A661122", 0, "9000", "80D40100****************", "" },
    { "84240100080102030405060708", 0, "9000", "8424010008****************", "" },
    { "805E010007112233FF445566", 0, "9000", "805E010007**************", "" },
    { "FFD003FC04AABBCCDD", 0, "9000", "FFD003FC04AABB****", "" },
    { "FFD0001002AABB", 0, "9000", "FFD0001002AABB", "" },
    { "FFB003FC04", 0, "AABBCCDD9000", "FFB003FC04", "AABB****" },
    { "00B0000004", CL_APDU_FLAG_SECRET_RESPONSE, "112233449000", "00B0000004", "********" },
    { "0088000108A1A2A3A4A5A6A7A8", 0, "B1B2B3B4B5B6B7B89000", "0088000108A1A2A3A4A5A6A7A8",
      "****************" },
    { "00DC0104031122FF", CL_APDU_FLAG_SECRET_DATA, "9000", "00DC010403******", "" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree guint8 *c = NULL, *r = NULL;
      g_autofree char *cmd = NULL, *resp = NULL;
      gsize clen = 0, rlen = 0;

      c = cl_hex_decode_alloc (cases[i].cmd, &clen, NULL);
      r = cl_hex_decode_alloc (cases[i].resp, &rlen, NULL);
      g_assert_nonnull (c);
      g_assert_nonnull (r);
      cl_log_redact (c, clen, cases[i].flags, r, rlen, FALSE, &cmd, &resp);
      g_assert_cmpstr (cmd, ==, cases[i].want_cmd);
      g_assert_cmpstr (resp, ==, cases[i].want_resp);
    }
}

static void
exchange (const char *reader, const char *cmd, ClApduFlags flags, const char *resp)
{
  g_autofree guint8 *c = NULL, *r = NULL;
  gsize clen = 0, rlen = 0;

  c = cl_hex_decode_alloc (cmd, &clen, NULL);
  r = resp != NULL ? cl_hex_decode_alloc (resp, &rlen, NULL) : NULL;
  cl_log_exchange (reader, c, clen, flags, r, rlen);
}

static void
test_transcript_and_replay (void)
{
  static const guint8 atr[] = { 0x3B, 0x04, 0x92, 0x23, 0x10, 0x91 };
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("insucard-apdu-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "trace.txt", NULL);
  g_autofree char *text = NULL;
  g_autoptr (ClReplay) replay = NULL;
  g_autoptr (GBytes) ratr = NULL;
  g_autoptr (GBytes) reply = NULL;
  g_autofree guint8 *c = NULL;
  gsize clen = 0;

  cl_transcript_clear ();
  cl_log_atr ("R2", atr, sizeof atr);
  exchange ("R2", "FFA400000105", 0, "9000");
  exchange ("R2", "FF200000021234", CL_APDU_FLAG_SECRET_DATA, "90FF");
  exchange ("R2", "FFB0000808", 0, "01020304050607089000");
  /* T=0: a secret reply fetched by GET RESPONSE stays secret */
  exchange ("R1", "0088000108A1A2A3A4A5A6A7A8", 0, "6108");
  exchange ("R1", "00C0000008", 0, "C1C2C3C4C5C6C7C89000");
  exchange ("R1", "00C0000008", 0, "D1D2D3D4D5D6D7D89000");
  exchange ("R2", "FFB0000808", 0, NULL);

  text = cl_transcript_to_string ();
  g_assert_true (g_str_has_prefix (text, "# cardpeek trace file\n"));
  g_assert_nonnull (strstr (text, "R:3B0492231091"));
  g_assert_nonnull (strstr (text, "C:FF20000002****:90FF:\n"));
  g_assert_nonnull (strstr (text, "C:FFB0000808:9000:0102030405060708\n"));
  g_assert_nonnull (strstr (text, "C:00C0000008:9000:****************\n"));
  /* The next GET RESPONSE is not after a secret command any more. */
  g_assert_nonnull (strstr (text, "C:00C0000008:9000:D1D2D3D4D5D6D7D8\n"));
  g_assert_null (strstr (text, "1234"));
  g_assert_null (strstr (text, "C1C2"));
  g_assert_true (g_str_has_suffix (text, "# end\n"));

  g_assert_true (cl_transcript_save (path, &error));
  g_assert_no_error (error);

  replay = cl_replay_new_from_file (path, &error);
  g_assert_no_error (error);
  ratr = cl_replay_get_atr (replay);
  g_assert_cmpmem (g_bytes_get_data (ratr, NULL), g_bytes_get_size (ratr), atr, sizeof atr);
  g_assert_cmpuint (cl_replay_get_remaining (replay), ==, 6);

  c = cl_hex_decode_alloc ("FFA400000105", &clen, NULL);
  reply = cl_replay_transmit (replay, c, clen, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (reply), ==, 2);
  g_clear_pointer (&reply, g_bytes_unref);
  g_clear_pointer (&c, g_free);

  /* A redacted PSC matches whatever code is presented. */
  c = cl_hex_decode_alloc ("FF20000002ABCD", &clen, NULL);
  reply = cl_replay_transmit (replay, c, clen, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (reply, NULL), 2, "\x90\xFF", 2);
  g_clear_pointer (&reply, g_bytes_unref);
  g_clear_pointer (&c, g_free);

  /* A different command is refused. */
  c = cl_hex_decode_alloc ("FFB0001008", &clen, NULL);
  reply = cl_replay_transmit (replay, c, clen, &error);
  g_assert_null (reply);
  g_assert_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  g_clear_pointer (&c, g_free);

  c = cl_hex_decode_alloc ("FFB0000808", &clen, NULL);
  reply = cl_replay_transmit (replay, c, clen, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (reply), ==, 10);
  g_clear_pointer (&reply, g_bytes_unref);

  g_unlink (path);
  g_rmdir (dir);

  /* Garbage is refused with the line number. */
  g_clear_pointer (&replay, cl_replay_free);
  replay = cl_replay_new_from_data ("# cardpeek trace file\nC:00A4:90:\n", -1, &error);
  g_assert_null (replay);
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
}

static void
test_transcript_ring (void)
{
  g_autofree char *text = NULL;

  cl_transcript_clear ();
  cl_transcript_set_capacity (3);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *cmd = g_strdup_printf ("00B00000%02X", i + 1);

      exchange ("R2", cmd, 0, "9000");
    }
  text = cl_transcript_to_string ();
  g_assert_null (strstr (text, "00B0000007"));
  g_assert_nonnull (strstr (text, "00B0000008"));
  g_assert_nonnull (strstr (text, "00B000000A"));
  cl_transcript_set_capacity (512);
  cl_transcript_clear ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/apdu/encode/short", test_encode_short);
  g_test_add_func ("/apdu/encode/extended", test_encode_extended);
  g_test_add_func ("/apdu/encode/errors", test_encode_errors);
  g_test_add_func ("/apdu/parse/errors", test_parse_errors);
  g_test_add_func ("/apdu/response", test_response);
  g_test_add_func ("/sw/table", test_sw_table);
  g_test_add_func ("/log/redact", test_redact);
  g_test_add_func ("/log/transcript-replay", test_transcript_and_replay);
  g_test_add_func ("/log/transcript-ring", test_transcript_ring);
  return g_test_run ();
}
