/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-fmcos-rules.c: where the FMCOS model must be no kinder than a
 * chip (docs/card-formats.md, "FMCOS simulator"): reply lengths, image
 * limits, the EF write flag, and tries spent before any comparison and
 * kept through a tear.  Driven APDU by APDU through cs_card_transmit, and
 * through a deck slot where the image on disk is what counts. */
#include "cs-deck.h"
#include "cs-slot.h"
#include "sim-fmcos-util.h"
#include "test-util.h"

/* Replies never exceed a short R-APDU (256 bytes and the SW), whatever the
 * file size or Le; docs/card-formats.md, "FMCOS simulator", "Lengths". */
static void
test_large_reads (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  guint8 data[600], rec[251], expect[248];

  for (guint i = 0; i < sizeof data; i++)
    data[i] = i * 7 + 3;
  for (guint i = 0; i < sizeof rec; i++)
    rec[i] = 0xFF - i;
  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  /* 0009: 600 bytes, MAC on reads and writes; 000A: 600 bytes, plain;
   * 000B: MAC-protected fixed records of 251 bytes. */
  g_assert_cmphex (send_hex (card, "80E00009 07 A8 0258 F0 F0 FF 7F"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E0000A 07 28 0258 F0 F0 FF FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E0000B 07 AA 02FB F0 F0 FF 7F"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00A40000 02 0009"), ==, 0x9000);
  for (guint off = 0; off < sizeof data; off += 200)
    g_assert_cmphex (
        send_sm (card, k_line, 16, 0x04, 0xD6, off >> 8, off & 0xFF, data + off, 200, FALSE), ==,
        0x9000);

  /* SM read without Le (T=0 case 4): to the end of the file, at most 256
   * bytes, fetched with GET RESPONSE Le 00. */
  g_assert_cmphex (send_sm (card, k_line, 16, 0x04, 0xB0, 0x00, 0x00, NULL, 0, FALSE), ==, 0x6100);
  g_assert_cmphex (send_hex (card, "00C00000 10"), ==, 0x6C00);
  g_assert_cmphex (send_hex (card, "00C00000 00"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, data, 256);
  g_assert_cmphex (send_sm (card, k_line, 16, 0x04, 0xB0, 0x02, 0x00, NULL, 0, FALSE), ==, 0x6158);
  g_assert_cmphex (fetch (card, 0x6158), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, data + 0x200, 0x58);
  /* With Le: Le bytes; Le beyond the end: what there is. */
  g_assert_cmphex (send_sm_le (card, k_line, 16, 0x04, 0xB0, 0x00, 0x10, NULL, 0, FALSE, 0x20), ==,
                   0x6120);
  g_assert_cmphex (fetch (card, 0x6120), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, data + 0x10, 0x20);
  g_assert_cmphex (send_sm_le (card, k_line, 16, 0x04, 0xB0, 0x02, 0x00, NULL, 0, FALSE, 0x00), ==,
                   0x6158);
  g_assert_cmphex (send_sm_le (card, k_line, 16, 0x04, 0xB0, 0x01, 0x00, NULL, 0, FALSE, 0x00), ==,
                   0x6100);
  g_assert_cmphex (fetch (card, 0x6100), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, data + 0x100, 256);

  /* Plain case 2 (000A): Le 00 = 256; Le beyond the end 6Cxx. */
  g_assert_cmphex (send_hex (card, "00A40000 02 000A"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00B00000 00"), ==, 0x9000);
  g_assert_cmpuint (resp_len, ==, 256);
  g_assert_cmphex (send_hex (card, "00B00200 00"), ==, 0x6C58);
  g_assert_cmphex (send_hex (card, "00B00000"), ==, 0x6700);

  /* A 251-byte MAC-protected record (the most a MAC'd APPEND carries):
   * 61FB without Le. */
  g_assert_cmphex (send_hex (card, "00A40000 02 000B"), ==, 0x9000);
  g_assert_cmphex (send_sm (card, k_line, 16, 0x04, 0xE2, 0x00, 0x04, rec, 251, FALSE), ==, 0x9000);
  g_assert_cmphex (send_sm (card, k_line, 16, 0x04, 0xB2, 0x01, 0x04, NULL, 0, FALSE), ==, 0x61FB);
  g_assert_cmphex (fetch (card, 0x61FB), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, rec, 251);

  /* INTERNAL AUTHENTICATE of 248 bytes: 61F8; GET CHALLENGE Le 00: 6700. */
  {
    guint8 in[248];

    for (guint i = 0; i < sizeof in; i++)
      in[i] = i;
    des_ecb (TRUE, k_enc, 16, in, sizeof in, expect);
    g_assert_cmphex (send_data (card, 0x00, 0x88, 0x00, 0x00, in, sizeof in), ==, 0x61F8);
    g_assert_cmphex (fetch (card, 0x61F8), ==, 0x9000);
    g_assert_cmpmem (resp, resp_len, expect, sizeof expect);
  }
  g_assert_cmphex (send_hex (card, "00840000 00"), ==, 0x6700);
}

/* An image may not hold an EF that CREATE FILE would refuse: no records,
 * records of 0 bytes, or a binary EF of 0 bytes.  (An APPEND RECORD to a
 * cyclic file without records used to write past its empty data.) */
static void
test_image_empty_ef (void)
{
  static const char head[] = "[card]\nformat=1\nkind=cpu\nserial=8610000012345678\n"
                             "[file 3F00]\ntype=df\nspace=8192\ncreate=F0\nerase=F0\n"
                             "app-id=00\nname=\n";
  static const char *const efs[] = {
    "type=cyclic\ntype-byte=2E\nrecords=0\nrecord-length=4\nused=0\nhead=0\ndata=\n",
    "type=fixed\ntype-byte=2A\nrecords=0\nrecord-length=4\nused=0\ndata=\n",
    "type=fixed\ntype-byte=2A\nrecords=3\nrecord-length=0\nused=0\ndata=\n",
    "type=cyclic\ntype-byte=2E\nrecords=3\nrecord-length=0\nused=0\nhead=0\ndata=\n",
    "type=binary\ntype-byte=28\nsize=0\ndata=\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (efs); i++)
    {
      g_autofree char *text = g_strdup_printf ("%s[file 3F00/0005]\n%sread=F0\nwrite=F0\n"
                                               "access=FF\n",
                                               head, efs[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (CsCard) card = cs_card_new_from_image (text, strlen (text), &error);

      g_test_message ("EF %s", efs[i]);
      if (card != NULL)
        {
          /* What used to crash: an append to the empty file. */
          cs_card_power (card, CS_POWER_ON);
          send_hex (card, "00E2002C 04 01020304");
        }
      g_assert_null (card);
      g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
    }
}

/* Group names that would save under another name (and so merge with a
 * group of that name) are refused: a key group of a DF that is not the MF
 * but names one component, a duplicate key, a FID with a sign. */
static void
test_image_strict_names (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  g_autofree char *text = cs_card_to_image (card, NULL);
  static const char *const extra[] = {
    "[key 8F00 30/00]\ntype=30\nuse=F0\nchange=FF\nversion=00\nalgorithm=00\n"
    "value=A0A1A2A3A4A5A6A7A8A9AAABACADAEAF\n",
    "[key 3F00 30/0]\ntype=30\nuse=F0\nchange=FF\nversion=00\nalgorithm=00\n"
    "value=A0A1A2A3A4A5A6A7A8A9AAABACADAEAF\n",
    "[key 3F00 30/00 ]\ntype=30\nuse=F0\nchange=FF\nversion=00\nalgorithm=00\n"
    "value=A0A1A2A3A4A5A6A7A8A9AAABACADAEAF\n",
    "[key 3f00 30/00]\ntype=30\nuse=F0\nchange=FF\nversion=00\nalgorithm=00\n"
    "value=A0A1A2A3A4A5A6A7A8A9AAABACADAEAF\n",
    "[file 3F00/+001]\ntype=binary\ntype-byte=28\nsize=1\nread=F0\nwrite=F0\naccess=FF\ndata=00\n",
    "[file 3F00/FFFF]\ntype=binary\ntype-byte=28\nsize=1\nread=F0\nwrite=F0\naccess=FF\ndata=00\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (extra); i++)
    {
      g_autofree char *bad = g_strconcat (text, "\n", extra[i], NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (CsCard) none = cs_card_new_from_image (bad, strlen (bad), &error);

      g_test_message ("%s", extra[i]);
      g_assert_null (none);
      g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
    }
}

/* ---- the write flag (CREATE FILE data byte 5) ---- */

static void
test_write_flag (void)
{
  g_autoptr (CsCard) card = personalised_card ();

  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  /* 01: one update, under the write right; then 6985, also after a power
   * event (the flag is in EEPROM). */
  g_assert_cmphex (send_hex (card, "80E00008 07 28 0004 F0 F0 01 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00D68800 02 1234"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00D68802 02 5678"), ==, 0x6985);
  g_assert_cmphex (send_hex (card, "00D68800 02 1234"), ==, 0x6985);
  cs_card_power (card, CS_POWER_RESET);
  g_assert_cmphex (send_hex (card, "00D68800 04 00000000"), ==, 0x6985);
  g_assert_cmphex (send_hex (card, "00B08800 04"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\x12\x34\x00\x00", 4);

  /* The write right still rules the one update: FF needs state F. */
  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E0000C 07 28 0004 F0 FF 01 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00A4000C 02 3F00"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00D68C00 02 AAAA"), ==, 0x6982);
  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00D68C00 02 AAAA"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00D68C00 02 BBBB"), ==, 0x6985);

  /* Write right EF: never, not even right after creation. */
  g_assert_cmphex (send_hex (card, "80E0000D 07 28 0004 F0 EF 00 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00D68D00 02 1234"), ==, 0x6982);
  g_assert_cmphex (send_hex (card, "80E0000E 07 28 0004 F0 EF 01 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00D68E00 02 1234"), ==, 0x6982);

  /* 00 and FF (older hosts): as many updates as the right allows. */
  g_assert_cmphex (send_hex (card, "80E0000F 07 28 0004 F0 F0 00 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00010 07 28 0004 F0 F0 FF FF"), ==, 0x9000);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmphex (send_hex (card, "00D68F00 02 1234"), ==, 0x9000);
      g_assert_cmphex (send_hex (card, "00D69000 02 1234"), ==, 0x9000);
    }

  /* Record files: the first APPEND or UPDATE RECORD is the one update. */
  g_assert_cmphex (send_hex (card, "80E00011 07 2A 0202 F0 F0 01 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00E2008C 02 0102"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00E2008C 02 0304"), ==, 0x6985);
  g_assert_cmphex (send_hex (card, "00DC018C 02 0506"), ==, 0x6985);
  g_assert_cmphex (send_hex (card, "00B2018C 02"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\x01\x02", 2);

  /* A refused update (wrong length) does not use the flag up. */
  g_assert_cmphex (send_hex (card, "80E00012 07 28 0004 F0 F0 01 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00D69203 02 1234"), ==, 0x6700);
  g_assert_cmphex (send_hex (card, "00D69200 02 1234"), ==, 0x9000);

  /* Other flag values are refused. */
  g_assert_cmphex (send_hex (card, "80E00013 07 28 0004 F0 F0 02 FF"), ==, 0x6A80);
  g_assert_cmphex (send_hex (card, "80E00013 07 28 0004 F0 F0 80 FF"), ==, 0x6A80);
}

/* A torn update of a write-once EF counts as its one update. */
static void
test_write_flag_tear (void)
{
  g_autoptr (CsCard) card = personalised_card ();

  g_assert_cmphex (send_hex (card, "80E00008 07 28 0004 F0 F0 01 FF"), ==, 0x6982);
  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00008 07 28 0004 F0 F0 01 FF"), ==, 0x9000);
  cs_card_set_tear (card, 1);
  g_assert_cmphex (send_hex (card, "00D68800 04 11223344"), ==, 0x6581);
  cs_card_set_tear (card, -1);
  cs_card_power (card, CS_POWER_ON);
  g_assert_cmphex (send_hex (card, "00D68800 04 11223344"), ==, 0x6985);
  g_assert_cmphex (send_hex (card, "00B08800 04"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\x11\x00\x00\x00", 4);
}

/* The flag and whether the update happened survive the image; an image
 * from before the flag (no write-flag=) updates repeatedly. */
static void
test_write_flag_image (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  g_autoptr (CsCard) copy = NULL;
  g_autoptr (CsCard) old = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL, *describe = NULL;
  g_autoptr (GString) edited = NULL;
  gsize len = 0;

  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00008 07 28 0004 F0 F0 01 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00009 07 28 0004 F0 F0 01 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00D68800 02 1234"), ==, 0x9000);
  text = cs_card_to_image (card, &len);
  g_assert_nonnull (strstr (text, "write-flag=01\nwritten=true\n"));
  g_assert_nonnull (strstr (text, "write-flag=01\nwritten=false\n"));
  g_assert_nonnull (strstr (text, "write-flag=FF\n"));
  describe = cs_card_describe (card);
  g_assert_nonnull (strstr (describe, "EF 0008 binary 4 bytes read F0 write F0 once (used)"));
  g_assert_nonnull (strstr (describe, "EF 0009 binary 4 bytes read F0 write F0 once access"));

  copy = cs_card_new_from_image (text, len, &error);
  g_assert_no_error (error);
  cs_card_power (copy, CS_POWER_ON);
  g_assert_cmphex (send_hex (copy, "00D68800 02 5678"), ==, 0x6985);
  g_assert_cmphex (send_hex (copy, "00D68900 02 5678"), ==, 0x9000);
  g_assert_cmphex (send_hex (copy, "00D68900 02 5678"), ==, 0x6985);

  /* Without write-flag= (and written=): an older image, FF. */
  edited = g_string_new (text);
  g_assert_cmpint (g_string_replace (edited, "write-flag=01\nwritten=true\n", "", 0), ==, 1);
  old = cs_card_new_from_image (edited->str, edited->len, &error);
  g_assert_no_error (error);
  cs_card_power (old, CS_POWER_ON);
  for (guint i = 0; i < 2; i++)
    g_assert_cmphex (send_hex (old, "00D68800 02 5678"), ==, 0x9000);

  /* written= only with write-flag=01; flags other than 00 01 FF refused. */
  g_string_assign (edited, text);
  g_string_replace (edited, "write-flag=01\nwritten=false\n", "write-flag=00\nwritten=false\n", 0);
  g_clear_pointer (&old, cs_card_free);
  old = cs_card_new_from_image (edited->str, edited->len, &error);
  g_assert_null (old);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_string_assign (edited, text);
  g_string_replace (edited, "write-flag=01\nwritten=false\n", "write-flag=02\n", 0);
  old = cs_card_new_from_image (edited->str, edited->len, &error);
  g_assert_null (old);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
}

/* ---- tries: spent before the comparison, given back only on a match ---- */

/* Tries left of PIN 3A/01 (the ISO probe: VERIFY without data). */
static guint
pin_tries (CsCard *card)
{
  guint16 sw = send_hex (card, "00200001");

  g_assert_true ((sw & 0xFFF0) == 0x63C0 || sw == 0x6983);
  return sw == 0x6983 ? 0 : sw & 0x0F;
}

/* A VERIFY torn during its counter write costs the try, even with the
 * right PIN: the give-back comes only after the comparison. */
static void
test_torn_verify (void)
{
  g_autoptr (CsCard) card = personalised_card ();

  g_assert_cmpuint (pin_tries (card), ==, 3);
  cs_card_set_tear (card, 1);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x6581);
  g_assert_true (cs_card_was_torn (card));
  cs_card_set_tear (card, -1);
  cs_card_power (card, CS_POWER_ON);
  g_assert_cmpuint (pin_tries (card), ==, 2);
  /* Torn before the counter byte landed: nothing spent, nothing compared,
   * and no state gained. */
  cs_card_set_tear (card, 0);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x6581);
  cs_card_set_tear (card, -1);
  cs_card_power (card, CS_POWER_ON);
  g_assert_cmpuint (pin_tries (card), ==, 2);
  g_assert_cmphex (send_hex (card, "00B08200 02"), ==, 0x6982);
  /* A match gives the try back (and the rest). */
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x9000);
  g_assert_cmpuint (pin_tries (card), ==, 3);
}

static void
test_torn_ext_auth (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  guint8 wrong[16];

  memset (wrong, 0xEE, sizeof wrong);
  /* The right cryptogram, torn: the try is gone (3 -> 2), no state F. */
  get_challenge (card, 4, (guint8[8]){ 0 });
  {
    guint8 block[8] = { 0 }, crypt[8];

    memcpy (block, resp, 4);
    des_ecb (TRUE, k_master, 16, block, 8, crypt);
    cs_card_set_tear (card, 1);
    g_assert_cmphex (send_data (card, 0x00, 0x82, 0x00, 0x00, crypt, 8), ==, 0x6581);
    cs_card_set_tear (card, -1);
  }
  cs_card_power (card, CS_POWER_ON);
  g_assert_cmphex (send_hex (card, "800E0000"), ==, 0x6982);
  g_assert_cmphex (ext_auth (card, 0x00, wrong, 16), ==, 0x63C1);
  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  g_assert_cmphex (ext_auth (card, 0x00, wrong, 16), ==, 0x63C2);
}

/* The spent try is on disk before the comparison: the slot's commit hook
 * saves the image in the middle of the APDU. */
static void
on_commit (CsCard *card, gpointer data)
{
  GPtrArray *seen = data;
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree char *text = cs_card_to_image (card, NULL);

  g_assert_true (g_key_file_load_from_data (kf, text, -1, 0, NULL));
  g_ptr_array_add (seen, g_key_file_get_string (kf, "key 3F00 3A/01", "errors", NULL));
}

static void
test_try_committed_before_compare (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  g_autoptr (GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  cs_card_set_commit_func (card, on_commit, seen);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x9000);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "32");
  /* No comparison, no commit: the probe, a blocked or unusable key. */
  g_assert_cmpuint (pin_tries (card), ==, 3);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x07, pin, 6), ==, 0x6A88);
  g_assert_cmpuint (seen->len, ==, 1);
}

/* CHANGE PIN: an old PIN of another length is a wrong PIN and costs a
 * try (it used to answer 6A80 for free). */
static void
test_change_pin_wrong_length (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  static const guint8 short_old[] = { '1', '2', '3', '4', 0xFF, '9', '9', '9', '9' };
  static const guint8 long_old[] = { '1', '2', '3', '4', '5', '6', '7', 0xFF, '9', '9' };
  static const guint8 no_sep[] = { '1', '2', '3', '4', '5', '6', '9', '9' };
  static const guint8 right_short_new[] = { '1', '2', '3', '4', '5', '6', 0xFF, '9' };
  guint8 good[6 + 1 + 4];

  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x01, 0x01, short_old, sizeof short_old), ==,
                   0x63C2);
  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x01, 0x01, long_old, sizeof long_old), ==, 0x63C1);
  /* Malformed (no FF separator): refused before any comparison. */
  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x01, 0x01, no_sep, sizeof no_sep), ==, 0x6A80);
  g_assert_cmpuint (pin_tries (card), ==, 1);
  /* The right old PIN with a new PIN too short: the try comes back. */
  g_assert_cmphex (
      send_data (card, 0x80, 0x5E, 0x01, 0x01, right_short_new, sizeof right_short_new), ==,
      0x6700);
  g_assert_cmpuint (pin_tries (card), ==, 3);
  memcpy (good, pin, 6);
  good[6] = 0xFF;
  memcpy (good + 7, "\x12\x34\x56\x78", 4);
  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x01, 0x01, good, sizeof good), ==, 0x9000);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, good + 7, 4), ==, 0x9000);
}

/* MAC failures of the unblock (37) and reload (38) keys count against
 * those keys: three wrong MACs block them, the right one refills. */
static void
test_unblock_reload_mac_tries (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  static const guint8 newpin[4] = { 0x12, 0x34, 0x56, 0x78 };
  guint8 cipher[16], reload[4 + 4], zero_iv[8] = { 0 };
  gsize clen = line_encrypt (k_unblock, 16, newpin, 4, cipher);

  g_assert_cmphex (send_sm (card, k_unblock, 16, 0x84, 0x24, 0x01, 0x00, cipher, clen, TRUE), ==,
                   0x9302);
  g_assert_cmphex (send_sm (card, k_unblock, 16, 0x84, 0x24, 0x01, 0x00, cipher, clen, FALSE), ==,
                   0x9000);
  for (guint i = 0; i < 2; i++)
    g_assert_cmphex (send_sm (card, k_unblock, 16, 0x84, 0x24, 0x01, 0x00, cipher, clen, TRUE), ==,
                     0x9302);
  g_assert_cmphex (send_sm (card, k_unblock, 16, 0x84, 0x24, 0x01, 0x00, cipher, clen, TRUE), ==,
                   0x6983);
  g_assert_cmphex (send_sm (card, k_unblock, 16, 0x84, 0x24, 0x01, 0x00, cipher, clen, FALSE), ==,
                   0x6983);

  memcpy (reload, newpin, 4);
  mac_first4 (k_reload, 16, zero_iv, newpin, 4, reload + 4);
  reload[7] ^= 0x01;
  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x00, 0x01, reload, 8), ==, 0x9302);
  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x00, 0x01, reload, 8), ==, 0x9302);
  reload[7] ^= 0x01;
  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x00, 0x01, reload, 8), ==, 0x9000);
  reload[7] ^= 0x01;
  for (guint i = 0; i < 2; i++)
    g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x00, 0x01, reload, 8), ==, 0x9302);
  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x00, 0x01, reload, 8), ==, 0x6983);
  reload[7] ^= 0x01;
  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x00, 0x01, reload, 8), ==, 0x6983);
}

/* Through a deck slot with the fault injector (tear-write=1): the torn
 * VERIFY is not answered, the card leaves the deck, and the image on disk
 * holds the spent try although the PIN was right. */
static void
test_torn_verify_in_slot (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("insucard-fmcos-rules-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree guint8 *r = g_malloc (CS_MAX_RESPONSE);
  g_autoptr (CsDeck) deck = NULL;
  g_autoptr (CsSlot) slot = NULL;
  g_autoptr (CsCard) card = personalised_card ();
  g_autoptr (CsCard) after = NULL;
  guint8 verify[5 + 6] = { 0x00, 0x20, 0x00, 0x01, 0x06 };
  gsize rlen = 0;

  g_assert_no_error (error);
  path = g_build_filename (dir, "cpu.card", NULL);
  g_assert_true (cs_card_save (card, path, &error));
  deck = cs_deck_open (dir, &error);
  g_assert_no_error (error);
  g_assert_true (cs_deck_insert (deck, 1, path, &error));
  slot = cs_slot_new (deck, 1);
  g_assert_true (cs_slot_sync (slot, NULL, &error));
  g_assert_no_error (error);
  cs_slot_power (slot, CS_POWER_ON);
  g_assert_true (cs_deck_set_faults (deck, 1, "tear-write=1", &error));

  memcpy (verify + 5, pin, 6);
  g_assert_cmpint (cs_slot_transmit (slot, verify, sizeof verify, r, &rlen), ==, CS_SLOT_REMOVED);
  g_assert_false (cs_slot_has_card (slot));

  after = cs_card_load (path, &error);
  g_assert_no_error (error);
  cs_card_power (after, CS_POWER_ON);
  g_assert_cmpuint (pin_tries (after), ==, 2);
  tu_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();

  g_test_add_func ("/sim/fmcos-rules/large-reads", test_large_reads);
  g_test_add_func ("/sim/fmcos-rules/image-empty-ef", test_image_empty_ef);
  g_test_add_func ("/sim/fmcos-rules/image-strict-names", test_image_strict_names);
  g_test_add_func ("/sim/fmcos-rules/write-flag", test_write_flag);
  g_test_add_func ("/sim/fmcos-rules/write-flag-tear", test_write_flag_tear);
  g_test_add_func ("/sim/fmcos-rules/write-flag-image", test_write_flag_image);
  g_test_add_func ("/sim/fmcos-rules/torn-verify", test_torn_verify);
  g_test_add_func ("/sim/fmcos-rules/torn-ext-auth", test_torn_ext_auth);
  g_test_add_func ("/sim/fmcos-rules/try-committed-before-compare",
                   test_try_committed_before_compare);
  g_test_add_func ("/sim/fmcos-rules/change-pin-wrong-length", test_change_pin_wrong_length);
  g_test_add_func ("/sim/fmcos-rules/unblock-reload-mac-tries", test_unblock_reload_mac_tries);
  g_test_add_func ("/sim/fmcos-rules/torn-verify-in-slot", test_torn_verify_in_slot);
  return g_test_run ();
}
