/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-fmcos.c: the FMCOS layer against the simulated CPU card: making a
 * card from blank (transport key, ERASE DF, KEY file, keys, EFs), files and
 * records, PIN VERIFY with the last-try interlock, UNBLOCK/RELOAD/CHANGE,
 * WRITE KEY in cipher+MAC form, MAC and line-encrypted files, INTERNAL
 * AUTHENTICATE, the MCC authority, kind detection, a pulled card, async. */
#include "config.h"

#include "cl-crypto.h"
#include "cl-authority.h"
#include "cl-fmcos.h"
#include "cl-kind.h"
#include "fmcos-test-card.h"
#include "sim-test-util.h"

#define PIN_KID 0x00
#define ENC_KID 0x01

static const guint8 target_sn[8] = { 0xC0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };
static const guint8 mcc_sn[8] = { 0xCC, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };
static const guint8 pin_bytes[3] = { 0x12, 0x34, 0x56 };
static const guint8 wrong_pin_bytes[3] = { 0x65, 0x43, 0x21 };

static ClKey *
key_fill (guint8 b, gsize len)
{
  ClKey *k = cl_key_new (len);

  memset (cl_key_get_data_mutable (k), b, len);
  return k;
}

static ClKey *
mk (void)
{
  static const guint8 v[16] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF,
                                0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32, 0x10 };
  return cl_key_new_from_data (v, 16);
}

static void
setup (Fixture *f, gconstpointer data)
{
  tu_sim_open (f);
  f->card = tu_sim_insert (f, 1, CS_CARD_FMCOS, target_sn);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  tu_sim_close (f);
}

/* Makes a card of ours from blank: ext-auth 00 = ext_key, PIN 00 (3 tries),
 * DES-encrypt 01 = enc_key (state >= 1), unblock 00, reload 00, line 00,
 * EFs 0003 (info, write once), 0005 (line-encrypted, write once), 0006
 * (MAC), 0007 (records), 0008 (cyclic); then, unless kind is unknown, the
 * card information in EF 0003. */
static void
personalize (ClCard *card, const guint8 *sn, const ClKey *ext_key, const ClKey *enc_key,
             ClCardKind kind)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) transport = tu_fmcos_transport_key ();
  g_autoptr (ClKey) pin = cl_key_new_from_data (pin_bytes, 3);
  g_autoptr (ClKey) unblock = key_fill (0x37, 16);
  g_autoptr (ClKey) reload = key_fill (0x38, 16);
  g_autoptr (ClKey) line = key_fill (0x36, 16);
  const TuFmcosKey keys[] = {
    { { 0x39, 0xF0, 0xF0, 0x0F, 0x33 }, 0x00, ext_key },
    { { 0x3A, 0xF0, 0xEF, 0x01, 0x33 }, PIN_KID, pin },
    { { 0x30, 0xF1, 0xF0, 0x00, 0x00 }, ENC_KID, enc_key },
    { { 0x37, 0xF0, 0xF0, 0xFF, 0x33 }, 0x00, unblock },
    { { 0x38, 0xF0, 0xF0, 0xFF, 0x33 }, 0x00, reload },
    { { 0x36, 0xF0, 0xF0, 0xFF, 0x33 }, 0x00, line },
  };
  static const TuFmcosEf efs[] = {
    { CL_INFO_EF, 0x28, CL_INFO_LEN, 0xF0, 0xF0, CL_FMCOS_WRITE_ONCE, 0xFF },
    { 0x0005, 0x28 | 0xC0, 16, 0xF0, 0xF0, CL_FMCOS_WRITE_ONCE, 0x7F },
    { 0x0006, 0x28 | 0x80, 16, 0xF0, 0xF0, CL_FMCOS_WRITE_REPEAT, 0xFF },
    { 0x0007, 0x2A, 0x0310, 0xF0, 0xF0, CL_FMCOS_WRITE_REPEAT, 0xFF },
    { 0x0008, 0x2E, 0x0410, 0xF0, 0xF0, CL_FMCOS_WRITE_REPEAT, 0xFF },
  };
  const TuFmcosLayout layout = { keys, G_N_ELEMENTS (keys), efs, G_N_ELEMENTS (efs) };

  tu_fmcos_make_card (card, sn, transport, &layout, ext_key);

  if (kind != CL_CARD_KIND_UNKNOWN)
    {
      ClCardInfo info = { .kind = kind };
      g_autofree guint8 *d = NULL;
      gsize len = 0;

      memcpy (info.serial, sn, 8);
      info.created[0] = 0x20;
      info.created[1] = 0x26;
      info.created[2] = 0x11;
      info.created[3] = 0x21;
      d = cl_card_info_build (&info, &len);
      g_assert_true (cl_fmcos_update_binary (card, 3, 0, d, len, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
reconnect (ClCard *card)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cl_card_reset (card, NULL, &error));
  g_assert_no_error (error);
}

static void
test_blank (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  ClCardInfo info;

  g_assert_true (cl_card_detect (f->card, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_CPU_BLANK);
  g_assert_true (info.has_serial);
  g_assert_cmpmem (info.serial, 8, target_sn, 8);
}

static void
test_transport_key_wrong (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) wrong = key_fill (0x11, 16);
  g_autoptr (ClAuthority) a = cl_authority_new_key (wrong);
  gint tries;

  g_assert_false (
      cl_authority_external_authenticate (a, f->card, target_sn, 0, FALSE, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_AUTH_FAILED);
  tries = cl_fmcos_get_known_tries (f->card, FALSE, 0);
  g_assert_cmpint (tries, ==, 14);
  /* Without the transport state, ERASE DF is refused. */
  g_clear_error (&error);
  g_assert_false (cl_fmcos_erase_df (f->card, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_SECURITY);
}

static void
test_files (Fixture *f, gconstpointer data)
{
  static const guint8 rec1[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
  static const guint8 rec2[16] = { 0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
                                   0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) ext = mk ();
  g_autoptr (ClKey) enc = key_fill (0x30, 16);
  g_autoptr (GBytes) b = NULL;
  g_autoptr (GBytes) fci = NULL;
  ClCardInfo info;

  personalize (f->card, target_sn, ext, enc, CL_CARD_KIND_AC);

  /* Info EF by SFI, then by current EF. */
  b = cl_fmcos_read_binary (f->card, 3, 0, CL_INFO_LEN, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (
      cl_card_info_parse (g_bytes_get_data (b, NULL), g_bytes_get_size (b), &info, &error));
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_AC);
  g_clear_pointer (&b, g_bytes_unref);
  b = cl_fmcos_read_binary (f->card, 0, 4, 8, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (b, NULL), 8, target_sn, 8);
  g_clear_pointer (&b, g_bytes_unref);
  /* Its write flag is ONCE: the issuance wrote it, nothing rewrites it. */
  g_assert_false (cl_fmcos_update_binary (f->card, 3, 4, target_sn, 8, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_SECURITY);
  g_clear_error (&error);

  /* Records: fixed (update/read) and cyclic (append, newest first). */
  g_assert_true (cl_fmcos_select_fid (f->card, 0x0007, NULL, NULL, &error));
  g_assert_no_error (error);
  /* Record 1 does not exist until it is appended. */
  g_assert_false (cl_fmcos_update_record (f->card, 7, 1, rec1, 16, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (cl_fmcos_append_record (f->card, 7, rec1, 16, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_fmcos_update_record (f->card, 7, 1, rec2, 16, NULL, &error));
  g_assert_no_error (error);
  b = cl_fmcos_read_record (f->card, 7, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (b, NULL), g_bytes_get_size (b), rec2, 16);
  g_clear_pointer (&b, g_bytes_unref);
  b = cl_fmcos_read_record (f->card, 7, 9, NULL, &error);
  g_assert_null (b);
  g_assert_error (error, CL_ERROR, CL_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (cl_fmcos_append_record (f->card, 8, rec1, 16, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_fmcos_append_record (f->card, 8, rec2, 16, NULL, &error));
  g_assert_no_error (error);
  b = cl_fmcos_read_record (f->card, 8, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (b, NULL), g_bytes_get_size (b), rec2, 16);
  g_clear_pointer (&b, g_bytes_unref);

  /* Errors. */
  g_assert_false (cl_fmcos_select_fid (f->card, 0x0099, NULL, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_NOT_FOUND);
  g_clear_error (&error);
  b = cl_fmcos_read_binary (f->card, 3, 200, 4, NULL, &error);
  g_assert_null (b);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* An ADF with a name: created last (it becomes the current DF). */
  g_assert_true (cl_fmcos_create_df (f->card, 0x1001, 0x0400, 0xF0, 0xF0, 0x95,
                                     (const guint8 *) "INSUCARD", 8, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_fmcos_select_fid (f->card, CL_FMCOS_MF, NULL, NULL, &error));
  g_assert_true (
      cl_fmcos_select_name (f->card, (const guint8 *) "INSUCARD", 8, &fci, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (fci);
  g_assert_cmphex (((const guint8 *) g_bytes_get_data (fci, NULL))[0], ==, 0x6F);

  /* Detection now says AC. */
  g_assert_true (cl_card_detect (f->card, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_AC);
}

static void
verify (Fixture *f, const guint8 *code, gboolean allow, gint *tries, GError **error)
{
  g_autoptr (ClKey) pin = cl_key_new_from_data (code, 3);

  cl_fmcos_verify (f->card, PIN_KID, pin, allow, tries, NULL, error);
}

static void
test_pin (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) ext = mk ();
  g_autoptr (ClKey) enc = key_fill (0x30, 16);
  g_autoptr (ClKey) unblock = key_fill (0x37, 16);
  g_autoptr (ClKey) reload = key_fill (0x38, 16);
  g_autoptr (ClKey) pin = cl_key_new_from_data (pin_bytes, 3);
  g_autoptr (ClKey) wrong = cl_key_new_from_data (wrong_pin_bytes, 3);
  g_autoptr (ClKey) other = cl_key_new_from_hex ("778899", 3, NULL);
  gint tries = 99;

  personalize (f->card, target_sn, ext, enc, CL_CARD_KIND_AC);
  reconnect (f->card);

  verify (f, pin_bytes, FALSE, &tries, &error);
  g_assert_no_error (error);

  verify (f, wrong_pin_bytes, FALSE, &tries, &error);
  g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_PIN);
  g_assert_cmpint (tries, ==, 2);
  g_clear_error (&error);
  verify (f, wrong_pin_bytes, FALSE, &tries, &error);
  g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_PIN);
  g_assert_cmpint (tries, ==, 1);
  g_clear_error (&error);

  /* One try left: refused, even after a reconnect (the card's probe
   * tells); the card keeps its one try. */
  reconnect (f->card);
  verify (f, pin_bytes, FALSE, &tries, &error);
  g_assert_error (error, CL_ERROR, CL_ERROR_LAST_TRY);
  g_assert_cmpint (tries, ==, 1);
  g_clear_error (&error);
  g_assert_false (cl_fmcos_pin_change (f->card, PIN_KID, pin, other, FALSE, &tries, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_LAST_TRY);
  g_clear_error (&error);

  /* With consent: a wrong PIN blocks it. */
  verify (f, wrong_pin_bytes, TRUE, &tries, &error);
  g_assert_error (error, CL_ERROR, CL_ERROR_LOCKED);
  g_assert_cmpint (tries, ==, 0);
  g_clear_error (&error);
  verify (f, pin_bytes, TRUE, &tries, &error);
  g_assert_error (error, CL_ERROR, CL_ERROR_LOCKED);
  g_clear_error (&error);

  /* Unblock (cipher + MAC under the unblock key) sets a new PIN. */
  g_assert_true (cl_fmcos_pin_unblock (f->card, PIN_KID, 0x00, unblock, pin, NULL, &error));
  g_assert_no_error (error);
  verify (f, pin_bytes, FALSE, &tries, &error);
  g_assert_no_error (error);
  /* A wrong unblock key: MAC error. */
  g_assert_false (cl_fmcos_pin_unblock (f->card, PIN_KID, 0x00, reload, pin, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_MAC);
  g_clear_error (&error);

  /* Change, then reload. */
  g_assert_true (cl_fmcos_pin_change (f->card, PIN_KID, pin, other, FALSE, &tries, NULL, &error));
  g_assert_no_error (error);
  verify (f, pin_bytes, FALSE, &tries, &error);
  g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_PIN);
  g_clear_error (&error);
  g_assert_true (cl_fmcos_verify (f->card, PIN_KID, other, FALSE, &tries, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_fmcos_pin_reload (f->card, PIN_KID, reload, pin, NULL, &error));
  g_assert_no_error (error);
  verify (f, pin_bytes, FALSE, &tries, &error);
  g_assert_no_error (error);
  g_assert_false (cl_fmcos_pin_reload (f->card, PIN_KID, unblock, pin, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_MAC);
  (void) wrong;
}

static void
test_keys_and_sm (Fixture *f, gconstpointer data)
{
  static const guint8 h_new[5] = { 0x30, 0xF0, 0xF0, 0x00, 0x00 };
  static const guint8 block[8] = { 0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) ext = mk ();
  g_autoptr (ClKey) enc = key_fill (0x30, 16);
  g_autoptr (ClKey) line = key_fill (0x36, 16);
  g_autoptr (ClKey) new_key = cl_key_new_from_hex ("00112233445566778899AABBCCDDEEFF", 16, NULL);
  g_autoptr (ClKey) secret = cl_key_new_from_hex ("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF", 16, NULL);
  g_autoptr (ClKey) got = NULL;
  g_autoptr (ClKey) res = NULL;
  g_autoptr (GBytes) b = NULL;
  guint8 want[8];

  personalize (f->card, target_sn, ext, enc, CL_CARD_KIND_KTC);

  /* WRITE KEY in cipher+MAC form under the master key (ext-auth 00). */
  g_assert_true (
      cl_fmcos_write_key_secure (f->card, 0x01, 0x03, h_new, 5, new_key, ext, NULL, &error));
  g_assert_no_error (error);
  /* The wrong protect key: MAC error. */
  g_assert_false (
      cl_fmcos_write_key_secure (f->card, 0x01, 0x04, h_new, 5, new_key, enc, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_MAC);
  g_clear_error (&error);

  /* INTERNAL AUTHENTICATE with the new key = host encryption. */
  res = cl_fmcos_internal_authenticate (f->card, 0x03, block, 8, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cl_des_ecb_encrypt (new_key, block, 8, want, NULL));
  g_assert_cmpmem (cl_key_get_data (res), cl_key_get_length (res), want, 8);
  /* Key 01 needs state >= 1: refused before the PIN. */
  reconnect (f->card);
  g_clear_pointer (&res, cl_key_free);
  res = cl_fmcos_internal_authenticate (f->card, ENC_KID, block, 8, NULL, &error);
  g_assert_null (res);
  g_assert_error (error, CL_ERROR, CL_ERROR_SECURITY);
  g_clear_error (&error);

  /* Line-encrypted EF: written and read back through line encryption. */
  g_assert_true (cl_fmcos_select_fid (f->card, 0x0005, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_fmcos_update_binary_encrypt (f->card, 0, 0, secret, line, NULL, &error));
  g_assert_no_error (error);
  got = cl_fmcos_read_binary_decrypt (f->card, 5, 0, 16, line, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cl_key_equal (got, secret));
  /* Plain reads of it are refused. */
  b = cl_fmcos_read_binary (f->card, 5, 0, 16, NULL, &error);
  g_assert_null (b);
  g_assert_error (error, CL_ERROR, CL_ERROR_SECURITY);
  g_clear_error (&error);

  /* MAC-protected EF: plain write refused, MAC write accepted. */
  g_assert_false (cl_fmcos_update_binary (f->card, 6, 0, block, 8, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_SECURITY);
  g_clear_error (&error);
  g_assert_true (cl_fmcos_update_binary_mac (f->card, 6, 0, block, 8, line, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (cl_fmcos_update_binary_mac (f->card, 6, 0, block, 8, enc, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_MAC);
  g_clear_error (&error);
  b = cl_fmcos_read_binary (f->card, 6, 0, 8, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (b, NULL), 8, block, 8);
}

static void
test_line_codec (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key = key_fill (0x36, 16);
  g_autoptr (ClKey) plain = NULL;
  static const guint8 data[7] = { 1, 2, 3, 4, 5, 6, 7 };
  g_autofree guint8 *c = NULL;
  gsize clen = 0;

  /* LD ‖ 7 bytes = 8: a whole padding block is added (always 80). */
  c = cl_fmcos_line_encrypt (key, data, 7, &clen, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clen, ==, 16);
  plain = cl_fmcos_line_decrypt (key, c, clen, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (cl_key_get_data (plain), cl_key_get_length (plain), data, 7);
  c[3] ^= 1;
  g_clear_pointer (&plain, cl_key_free);
  plain = cl_fmcos_line_decrypt (key, c, clen, &error);
  g_assert_null (plain);
  g_assert_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE);
}

static void
test_sm_mac_vector (void)
{
  /* Recomputed from the primitive: MAC3(K, chal‖0, pad2, hdr‖data)[0..4]. */
  g_autoptr (ClKey) key = key_fill (0x5A, 16);
  static const guint8 chal[4] = { 0x11, 0x22, 0x33, 0x44 };
  static const guint8 data[3] = { 0xAA, 0xBB, 0xCC };
  static const guint8 msg[8] = { 0x04, 0xD6, 0x86, 0x00, 0x07, 0xAA, 0xBB, 0xCC };
  guint8 iv[8] = { 0x11, 0x22, 0x33, 0x44, 0, 0, 0, 0 };
  guint8 mac[4], full[8];

  g_assert_true (cl_fmcos_sm_mac (key, chal, 0x04, 0xD6, 0x86, 0x00, data, 3, mac, NULL));
  g_assert_true (cl_mac3 (key, iv, CL_PAD_METHOD_2, msg, 8, full, NULL));
  g_assert_cmpmem (mac, 4, full, 4);
}

static void
on_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
test_mcc_authority (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) master = mk ();
  g_autoptr (ClKey) cmk = NULL;
  g_autoptr (ClKey) junk = key_fill (0x42, 16);
  g_autoptr (ClKey) mcc_pin = cl_key_new_from_data (pin_bytes, 3);
  g_autoptr (ClAuthority) via_mcc = NULL;
  g_autoptr (ClAuthority) bad = NULL;
  ClCardInfo info;

  /* MCC in R1: ext-auth 00 = MK, DES-encrypt 01 = MK (state >= 1 by PIN). */
  f->r1 = tu_sim_insert (f, 0, CS_CARD_FMCOS, mcc_sn);
  personalize (f->r1, mcc_sn, master, master, CL_CARD_KIND_MCC);
  /* The target: ext-auth 00 = CMK = DIV(MK, SN). */
  cmk = cl_diversify (master, target_sn, &error);
  g_assert_no_error (error);
  personalize (f->card, target_sn, cmk, junk, CL_CARD_KIND_KC);
  reconnect (f->r1);
  reconnect (f->card);

  g_assert_true (cl_card_detect (f->r1, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_MCC);
  g_assert_true (cl_card_detect (f->card, &info, NULL, &error));
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_KC);

  via_mcc = cl_authority_new_mcc (f->r1, ENC_KID);
  /* Before the MCC's PIN, its key is not usable. */
  g_assert_false (
      cl_authority_external_authenticate (via_mcc, f->card, target_sn, 0, FALSE, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_SECURITY);
  g_clear_error (&error);

  g_assert_true (cl_fmcos_verify (f->r1, PIN_KID, mcc_pin, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_fmcos_select_fid (f->card, CL_FMCOS_MF, NULL, NULL, &error));
  g_assert_true (
      cl_authority_external_authenticate (via_mcc, f->card, target_sn, 0, FALSE, NULL, &error));
  g_assert_no_error (error);
  /* State F now: ERASE DF is allowed (rights FF = state F only). */
  g_assert_true (cl_fmcos_create_ef (f->card, 0x0009, 0x28, 8, 0xF0, 0xF0, CL_FMCOS_WRITE_REPEAT,
                                     0xFF, NULL, &error));
  g_assert_no_error (error);

  /* The MCC cannot authenticate to itself. */
  g_assert_false (
      cl_authority_external_authenticate (via_mcc, f->r1, mcc_sn, 0, FALSE, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_CARD);
  g_clear_error (&error);

  /* A wrong key twice: 63C1 is remembered, the third try needs consent. */
  bad = cl_authority_new_key (junk);
  g_assert_false (
      cl_authority_external_authenticate (bad, f->card, target_sn, 0, FALSE, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_AUTH_FAILED);
  g_clear_error (&error);
  g_assert_false (
      cl_authority_external_authenticate (bad, f->card, target_sn, 0, FALSE, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_AUTH_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (cl_fmcos_get_known_tries (f->card, FALSE, 0), ==, 1);
  g_assert_false (
      cl_authority_external_authenticate (via_mcc, f->card, target_sn, 0, FALSE, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_LAST_TRY);
  g_clear_error (&error);
  /* With consent and the right key (async form): fine, and the count is
   * cleared.  The caller may drop its authority at once: the task keeps its
   * own reference. */
  {
    GAsyncResult *res = NULL;

    cl_authority_external_authenticate_async (via_mcc, f->card, target_sn, 0, TRUE, NULL, on_ready,
                                              &res);
    g_clear_pointer (&via_mcc, cl_authority_unref);
    while (res == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (cl_authority_external_authenticate_finish (f->card, res, &error));
    g_assert_no_error (error);
    g_object_unref (res);
  }
  g_assert_cmpint (cl_fmcos_get_known_tries (f->card, FALSE, 0), ==, CL_FMCOS_TRIES_UNKNOWN);
}

static void
test_pulled (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) transport = key_fill (0xFF, 16);
  g_autoptr (ClAuthority) a = cl_authority_new_key (transport);

  tu_sim_arm_fault (f, 1, "pull-after=1");
  g_assert_false (
      cl_authority_external_authenticate (a, f->card, target_sn, 0, FALSE, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_REMOVED);
  g_clear_error (&error);
  /* The session is closed: later calls fail cleanly, not "in progress". */
  g_assert_false (cl_fmcos_select_fid (f->card, CL_FMCOS_MF, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, CL_ERROR, CL_ERROR_FAILED));
}

static void
test_async (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) ext = mk ();
  g_autoptr (ClKey) enc = key_fill (0x30, 16);
  g_autoptr (ClKey) pin = cl_key_new_from_data (pin_bytes, 3);
  g_autoptr (ClKey) wrong = cl_key_new_from_data (wrong_pin_bytes, 3);
  GAsyncResult *res = NULL;
  ClCardInfo info;
  gint tries = 99;

  personalize (f->card, target_sn, ext, enc, CL_CARD_KIND_AC);
  cl_fmcos_verify_async (f->card, PIN_KID, pin, FALSE, NULL, on_ready, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cl_fmcos_verify_finish (f->card, res, &tries, &error));
  g_assert_no_error (error);
  g_clear_object (&res);

  /* A wrong PIN: the failure says how many tries are left, and so does the
   * refusal to spend the last one. */
  for (gint expect = 2; expect >= 1; expect--)
    {
      tries = 99;
      cl_fmcos_verify_async (f->card, PIN_KID, wrong, FALSE, NULL, on_ready, &res);
      while (res == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_false (cl_fmcos_verify_finish (f->card, res, &tries, &error));
      g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_PIN);
      g_assert_cmpint (tries, ==, expect);
      g_clear_error (&error);
      g_clear_object (&res);
    }
  tries = 99;
  cl_fmcos_verify_async (f->card, PIN_KID, pin, FALSE, NULL, on_ready, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (cl_fmcos_verify_finish (f->card, res, &tries, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_LAST_TRY);
  g_assert_cmpint (tries, ==, 1);
  g_clear_error (&error);
  g_clear_object (&res);

  cl_card_detect_async (f->card, NULL, on_ready, &res);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cl_card_detect_finish (f->card, res, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_AC);
  g_clear_object (&res);
}

static void
test_info_codec (void)
{
  ClCardInfo in = { .kind = CL_CARD_KIND_KTC, .role = CL_ROLE_NONE }, out;
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *d = NULL;
  gsize len = 0;

  memcpy (in.serial, target_sn, 8);
  in.kcv1[0] = 0x08;
  in.kcv2[2] = 0xB4;
  d = cl_card_info_build (&in, &len);
  g_assert_cmpuint (len, ==, CL_INFO_LEN);
  g_assert_true (cl_card_info_parse (d, len, &out, &error));
  g_assert_no_error (error);
  g_assert_cmpint (out.kind, ==, CL_CARD_KIND_KTC);
  g_assert_cmpmem (out.serial, 8, target_sn, 8);
  g_assert_cmphex (out.kcv1[0], ==, 0x08);
  g_assert_cmphex (out.kcv2[2], ==, 0xB4);
  d[10] ^= 1; /* check byte catches it */
  g_assert_false (cl_card_info_parse (d, len, &out, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_CARD);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();
#define ADD(path, fn) g_test_add (path, Fixture, NULL, setup, fn, teardown)
  ADD ("/fmcos/blank", test_blank);
  ADD ("/fmcos/transport-key-wrong", test_transport_key_wrong);
  ADD ("/fmcos/files", test_files);
  ADD ("/fmcos/pin", test_pin);
  ADD ("/fmcos/keys-and-sm", test_keys_and_sm);
  ADD ("/fmcos/mcc-authority", test_mcc_authority);
  ADD ("/fmcos/pulled", test_pulled);
  ADD ("/fmcos/async", test_async);
  g_test_add_func ("/fmcos/line-codec", test_line_codec);
  g_test_add_func ("/fmcos/sm-mac", test_sm_mac_vector);
  g_test_add_func ("/fmcos/info-codec", test_info_codec);
  return g_test_run ();
}
