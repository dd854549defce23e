/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-fmcos.c: the FMCOS CPU card model, driven APDU by APDU through
 * cs_card_transmit.  Every expected cryptogram is computed here from the
 * cardlib crypto primitives, never copied from the model's output. */
#include "sim-fmcos-util.h"

/* ---- tests ---- */

static void
test_atr (void)
{
  g_autoptr (CsCard) card = new_card ();
  g_autoptr (GBytes) atr = cs_card_get_atr (card);
  gsize n;
  const guint8 *a = g_bytes_get_data (atr, &n);
  guint hist;

  g_assert_cmphex (a[0], ==, 0x3B);
  g_assert_cmphex (a[1] & 0x80, ==, 0); /* no TD1: T=0 only */
  hist = a[1] & 0x0F;
  g_assert_cmpuint (hist, >=, 8);
  g_assert_cmpuint (hist, <=, 15);
  g_assert_cmpmem (a + n - 8, 8, serial, 8);
  g_assert_cmpuint (cs_card_get_kind (card), ==, CS_CARD_FMCOS);
}

static void
test_blank_ext_auth (void)
{
  g_autoptr (CsCard) card = new_card ();

  cs_card_power (card, CS_POWER_ON);
  /* Blank: only the KEY file with the transport key; erase needs state F. */
  g_assert_cmphex (send_hex (card, "800E0000"), ==, 0x6982);
  g_assert_cmphex (ext_auth (card, 0x00, k_transport, 16), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "800E0000"), ==, 0x9000);
  /* With an 8-byte challenge the whole challenge is the block. */
  cs_card_power (card, CS_POWER_RESET);
  g_assert_cmphex (send_hex (card, "80E00000 07 3F 0100 00 F0 FFFF"), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x00, 0x39, 0xF0, 0xFF, 0x0F, 0x33, k_master, 16), ==, 0x9000);
  g_assert_cmphex (ext_auth_n (card, 0x00, k_master, 16, 8), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00820000 08 0000000000000000"), ==, 0x6985);
}

static void
test_ext_auth_counter (void)
{
  g_autoptr (CsCard) card = new_card ();
  guint8 wrong[16];
  guint8 iv[8], crypt[8];

  memset (wrong, 0xEE, sizeof wrong);
  cs_card_power (card, CS_POWER_ON);
  /* No challenge before: 6985.  A challenge is good for the next
   * command only. */
  g_assert_cmphex (send_hex (card, "00820000 08 0102030405060708"), ==, 0x6985);
  get_challenge (card, 4, iv);
  g_assert_cmphex (send_hex (card, "00A40000 02 3F00"), ==, 0x6117);
  des_ecb (TRUE, k_transport, 16, iv, 8, crypt);
  g_assert_cmphex (send_data (card, 0x00, 0x82, 0x00, 0x00, crypt, 8), ==, 0x6985);
  /* Factory counter: 15 tries. */
  for (guint left = 14; left > 0; left--)
    g_assert_cmphex (ext_auth (card, 0x00, wrong, 16), ==, 0x63C0 | left);
  g_assert_cmphex (ext_auth (card, 0x00, wrong, 16), ==, 0x6983);
  g_assert_cmphex (ext_auth (card, 0x00, k_transport, 16), ==, 0x6983);
  g_assert_cmphex (ext_auth (card, 0x05, k_transport, 16), ==, 0x6A88);
}

static void
test_erase_fresh_keyfile (void)
{
  g_autoptr (CsCard) card = new_card ();
  g_autofree char *dump = NULL;

  cs_card_power (card, CS_POWER_ON);
  g_assert_cmphex (ext_auth (card, 0x00, k_transport, 16), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "800E0000 00"), ==, 0x9000);
  /* The KEY file went with the erase: the old key is gone ... */
  g_assert_cmphex (ext_auth (card, 0x00, k_transport, 16), ==, 0x6A88);
  /* ... and without a KEY file nothing is enforced, even after power. */
  cs_card_power (card, CS_POWER_RESET);
  g_assert_cmphex (send_hex (card, "80E03F00 0D 38 FFFF F0 FF 00 FFFF 4D46 4B4559"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00001 07 28 0010 F0 F0 FF FF"), ==, 0x9000);
  /* The KEY file must come first. */
  g_assert_cmphex (send_hex (card, "80E00000 07 3F 0100 00 F0 FFFF"), ==, 0x6985);
  g_assert_cmphex (send_hex (card, "800E0000"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00000 07 3F 0100 00 F0 FFFF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00009 07 3F 0100 00 F0 FFFF"), ==, 0x6A89);
  g_assert_cmphex (add_key (card, 0x00, 0x39, 0xF0, 0xFF, 0x0F, 0x33, k_master, 16), ==, 0x9000);
  /* The MF header was redefined: erase now needs state F (erase FF). */
  g_assert_cmphex (send_hex (card, "800E0000"), ==, 0x6982);
  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  /* The MF's name is "MFKEY" now. */
  g_assert_cmphex (fetch (card, send_hex (card, "00A40400 05 4D464B4559")), ==, 0x9000);
  dump = cs_card_describe (card);
  g_assert_nonnull (strstr (dump, "external-auth"));
  g_assert_null (strstr (dump, "0123456789ABCDEF"));
  g_assert_null (strstr (dump, "0123456789abcdef"));
}

/* ERASE DF keeps the security state the issuer reached, so a new KEY file
 * can be made with a strict add right (FF) and filled at once; a reset
 * drops the state, and then adding is refused. */
static void
test_erase_keeps_state (void)
{
  g_autoptr (CsCard) card = new_card ();

  cs_card_power (card, CS_POWER_ON);
  g_assert_cmphex (ext_auth (card, 0x00, k_transport, 16), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "800E0000"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E03F00 0D 38 FFFF FF FF 00 FFFF 4D46 4B4559"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00000 07 3F 0100 00 FF FFFF"), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x00, 0x39, 0xF0, 0xFF, 0x0F, 0x33, k_master, 16), ==, 0x9000);
  cs_card_power (card, CS_POWER_RESET);
  g_assert_cmphex (add_key (card, 0x01, 0x39, 0xF0, 0xFF, 0x0F, 0x33, k_master, 16), ==, 0x6982);
  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x01, 0x39, 0xF0, 0xFF, 0x0F, 0x33, k_master, 16), ==, 0x9000);
}

static void
test_create_select (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  g_autoptr (GByteArray) fci = NULL;

  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  /* ADF DF01, 0x0200 bytes, create F0 erase F0, app-id 95, name. */
  g_assert_cmphex (send_hex (card, "80E0DF01 10 38 0200 F0 F0 95 FFFF 494E535543415244"), ==,
                   0x9000);
  /* Creating a DF enters it: its KEY file comes next. */
  g_assert_cmphex (send_hex (card, "80E00000 07 3F 0080 95 F0 FFFF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00015 07 28 0020 F0 F0 FF FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00015 07 28 0020 F0 F0 FF FF"), ==, 0x6A89);
  g_assert_cmphex (send_hex (card, "80E00016 07 28 1000 F0 F0 FF FF"), ==, 0x6A84);
  g_assert_cmphex (send_hex (card, "80E00017 07 2C 0020 F0 F0 FF FF"), ==, 0x6A80);
  g_assert_cmphex (send_hex (card, "80E00017 06 28 0020 F0 F0 FF"), ==, 0x6700);

  /* SELECT by FID: 61xx, the FCI by GET RESPONSE; a wrong Le gets 6Cxx. */
  g_assert_cmphex (send_hex (card, "00A40000 02 3F00"), ==, 0x6117);
  g_assert_cmphex (send_hex (card, "00C00000 10"), ==, 0x6C17);
  g_assert_cmphex (send_hex (card, "00C00000 17"), ==, 0x9000);
  fci = hex_bytes ("6F15 840E 315041592E5359532E4444463031 A503 880100");
  g_assert_cmpmem (resp, resp_len, fci->data, fci->len);
  g_assert_cmphex (send_hex (card, "00C00000 17"), ==, 0x6985);
  g_assert_cmphex (send_hex (card, "00A40000 02 DF01"), ==, 0x6111);
  g_assert_cmphex (send_hex (card, "00A40000 02 0015"), ==, 0x9000); /* EF: no FCI */
  g_assert_cmphex (send_hex (card, "00A40000 02 0099"), ==, 0x6A82);
  g_assert_cmphex (send_hex (card, "00A40000 02 0000"), ==, 0x6A82); /* KEY file */
  g_assert_cmphex (send_hex (card, "00A40200 02 0015"), ==, 0x6A86);
  g_assert_cmphex (send_hex (card, "00A40000 03 001500"), ==, 0x6700);
  /* By name, from anywhere. */
  g_assert_cmphex (send_hex (card, "00A40000 02 3F00"), ==, 0x6117);
  g_assert_cmphex (fetch (card, send_hex (card, "00A40400 08 494E535543415244")), ==, 0x9000);
  g_byte_array_unref (fci);
  fci = hex_bytes ("6F0F 8408 494E535543415244 A503 880195");
  g_assert_cmpmem (resp, resp_len, fci->data, fci->len);
  g_assert_cmphex (send_hex (card, "00A40400 03 414243"), ==, 0x6A82);
  /* P2 0C: no FCI. */
  g_assert_cmphex (send_hex (card, "00A4000C 02 3F00"), ==, 0x9000);
  /* Sibling and parent lookups from inside the ADF. */
  g_assert_cmphex (send_hex (card, "00A40000 02 DF01"), ==, 0x6111);
  g_assert_cmphex (send_hex (card, "00A40000 02 3F00"), ==, 0x6117);
}

static void
test_binary (void)
{
  g_autoptr (CsCard) card = personalised_card ();

  /* No current EF yet. */
  g_assert_cmphex (send_hex (card, "00B00000 04"), ==, 0x6986);
  /* By SFI 01: write 4 bytes at 2, read back. */
  g_assert_cmphex (send_hex (card, "00D68102 04 CAFEBABE"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00B00000 08"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\x00\x00\xCA\xFE\xBA\xBE\x00\x00", 8);
  g_assert_cmphex (send_hex (card, "00B08103 02"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\xFE\xBA", 2);
  /* Le beyond the end: 6Cxx with what is there; 00 asks for all. */
  g_assert_cmphex (send_hex (card, "00B0000C 08"), ==, 0x6C04);
  g_assert_cmphex (send_hex (card, "00B0000C 00"), ==, 0x6C04);
  g_assert_cmphex (send_hex (card, "00B00010 01"), ==, 0x6B00);
  g_assert_cmphex (send_hex (card, "00D6000E 04 01020304"), ==, 0x6700);
  g_assert_cmphex (send_hex (card, "00B09F00 01"), ==, 0x6A82);
  g_assert_cmphex (send_hex (card, "00B0A100 01"), ==, 0x6A86);
  g_assert_cmphex (send_hex (card, "00B08400 01"), ==, 0x6981);
  g_assert_cmphex (send_hex (card, "00B08100 01"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00B20104 04"), ==, 0x6981); /* 0001 is binary */
}

static void
test_records (void)
{
  g_autoptr (CsCard) card = personalised_card ();

  /* Fixed 3 x 4 (SFI 04). */
  g_assert_cmphex (send_hex (card, "00B20124 04"), ==, 0x6A83);
  g_assert_cmphex (send_hex (card, "00E20024 04 11111111"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00E20020 04 22222222"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00E20024 03 333333"), ==, 0x6700);
  g_assert_cmphex (send_hex (card, "00E20024 04 33333333"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00E20024 04 44444444"), ==, 0x6A84);
  g_assert_cmphex (send_hex (card, "00DC0224 04 2A2A2A2A"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00B20224 04"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\x2A\x2A\x2A\x2A", 4);
  g_assert_cmphex (send_hex (card, "00B20324 00"), ==, 0x6C04);
  g_assert_cmphex (send_hex (card, "00B20424 04"), ==, 0x6A83);
  g_assert_cmphex (send_hex (card, "00B20025 04"), ==, 0x6A86);
  g_assert_cmphex (send_hex (card, "00DC0424 04 01020304"), ==, 0x6A83);
  /* Current EF (SFI 0) after the SFI access. */
  g_assert_cmphex (send_hex (card, "00B20104 04"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\x11\x11\x11\x11", 4);

  /* Cyclic 3 x 4 (SFI 05): five appends; record 1 is the newest. */
  for (guint8 i = 1; i <= 5; i++)
    {
      guint8 rec[4] = { i, i, i, i };

      g_assert_cmphex (send_data (card, 0x00, 0xE2, 0x00, 0x05 << 3, rec, 4), ==, 0x9000);
    }
  g_assert_cmphex (send_hex (card, "00B2012C 04"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\x05\x05\x05\x05", 4);
  g_assert_cmphex (send_hex (card, "00B2022C 04"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\x04\x04\x04\x04", 4);
  g_assert_cmphex (send_hex (card, "00B2032C 04"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\x03\x03\x03\x03", 4);
  g_assert_cmphex (send_hex (card, "00B2042C 04"), ==, 0x6A83);
  g_assert_cmphex (send_hex (card, "00B00000 04"), ==, 0x6981);
}

static void
test_rights (void)
{
  g_autoptr (CsCard) card = personalised_card ();

  /* Free read and write. */
  g_assert_cmphex (send_hex (card, "00D68100 02 AAAA"), ==, 0x9000);
  /* 0002: read 11 (state 1 only), write FF (state F only). */
  g_assert_cmphex (send_hex (card, "00B08200 04"), ==, 0x6982);
  g_assert_cmphex (send_hex (card, "00D68200 02 BBBB"), ==, 0x6982);
  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00D68200 02 BBBB"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00B08200 02"), ==, 0x6982); /* state F > 1 */
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00B08200 02"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\xBB\xBB", 2);
  g_assert_cmphex (send_hex (card, "00D68200 02 CCCC"), ==, 0x6982); /* state 1 < F */
  /* 0003: write right EF = never, from the first moment. */
  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00D68300 02 0101"), ==, 0x6982);
  g_assert_cmphex (send_hex (card, "00B08300 08"), ==, 0x9000);
}

static void
test_x0_right (void)
{
  g_autoptr (CsCard) card = personalised_card ();

  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  /* X = 0: MF state >= Y, checked from inside an ADF. */
  g_assert_cmphex (send_hex (card, "80E0DF02 0A 38 0100 F0 F0 95 FFFF 4144"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00000 07 3F 0040 95 F0 FFFF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00011 07 28 0004 01 F0 FF FF"), ==, 0x9000);
  /* A keyless KEY file enforces nothing yet: the read right 01 is ignored. */
  g_assert_cmphex (send_hex (card, "00B09100 04"), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x01, 0x30, 0xF0, 0xF0, 0x00, 0x00, k_master, 16), ==, 0x9000);
  cs_card_power (card, CS_POWER_RESET);
  g_assert_cmphex (send_hex (card, "00A4000C 02 DF02"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00B09100 04"), ==, 0x6982);
  g_assert_cmphex (send_hex (card, "00A4000C 02 3F00"), ==, 0x9000);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00A4000C 02 DF02"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00B09100 04"), ==, 0x9000);
}

static void
test_verify (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  guint8 bad[6] = { '0', '0', '0', '0', '0', '0' };
  guint8 newpin[4] = { 0x12, 0x34, 0x56, 0x78 };
  guint8 change[6 + 1 + 4];
  guint8 cipher[16], zero_iv[8] = { 0 };
  guint8 reload[4 + 4];
  gsize clen;

  g_assert_cmphex (send_hex (card, "00200001"), ==, 0x63C3);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, bad, 6), ==, 0x63C2);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x9000); /* refills */
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, bad, 6), ==, 0x63C2);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, bad, 5), ==, 0x63C1);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, bad, 6), ==, 0x6983);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x6983);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x07, pin, 6), ==, 0x6A88);

  /* UNBLOCK (84 24 pin-kid unblock-kid): E_K37(LD||PIN||80..) + MAC. */
  clen = line_encrypt (k_unblock, 16, newpin, 4, cipher);
  g_assert_cmphex (send_sm (card, k_unblock, 16, 0x84, 0x24, 0x01, 0x00, cipher, clen, TRUE), ==,
                   0x9302);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x6983);
  g_assert_cmphex (send_sm (card, k_unblock, 16, 0x84, 0x24, 0x01, 0x00, cipher, clen, FALSE), ==,
                   0x9000);
  g_assert_cmphex (send_hex (card, "00200001"), ==, 0x63C3);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, newpin, 4), ==, 0x9000);

  /* CHANGE PIN: old FF new; a wrong old PIN costs a try. */
  memcpy (change, "\x12\x34\x56\x79", 4);
  change[4] = 0xFF;
  memcpy (change + 5, pin, 6);
  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x01, 0x01, change, 11), ==, 0x63C2);
  memcpy (change, newpin, 4);
  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x01, 0x01, change, 11), ==, 0x9000);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x9000);

  /* RELOAD PIN: new PIN || MAC4 under the 38 key, IV 0, over the PIN. */
  memcpy (reload, newpin, 4);
  mac_first4 (k_reload, 16, zero_iv, newpin, 4, reload + 4);
  reload[7] ^= 0x80;
  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x00, 0x01, reload, 8), ==, 0x9302);
  reload[7] ^= 0x80;
  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x00, 0x01, reload, 8), ==, 0x9000);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x63C2);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, newpin, 4), ==, 0x9000);
  g_assert_cmphex (send_data (card, 0x80, 0x5E, 0x02, 0x01, reload, 8), ==, 0x6A86);
}

static void
test_internal_auth (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  static const guint8 data[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
  guint8 expect[16], zero_iv[8] = { 0 };

  des_ecb (TRUE, k_enc, 16, data, 16, expect);
  g_assert_cmphex (fetch (card, send_data (card, 0x00, 0x88, 0x00, 0x00, data, 16)), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, expect, 16);
  des_ecb (FALSE, k_dec, 16, data, 8, expect);
  g_assert_cmphex (send_data (card, 0x00, 0x88, 0x01, 0x00, data, 8), ==, 0x6108);
  g_assert_cmphex (fetch (card, 0x6108), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, expect, 8);
  mac_first4 (k_mac8, 8, zero_iv, data, 13, expect);
  g_assert_cmphex (fetch (card, send_data (card, 0x00, 0x88, 0x02, 0x00, data, 13)), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, expect, 4);
  g_assert_cmphex (send_data (card, 0x00, 0x88, 0x00, 0x00, data, 7), ==, 0x6700);
  g_assert_cmphex (send_data (card, 0x00, 0x88, 0x00, 0x09, data, 8), ==, 0x6A88);
  g_assert_cmphex (send_data (card, 0x00, 0x88, 0x03, 0x00, data, 8), ==, 0x6A86);
  /* Key 30/02: usable in state 1 only. */
  g_assert_cmphex (send_data (card, 0x00, 0x88, 0x00, 0x02, data, 8), ==, 0x6982);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x9000);
  des_ecb (TRUE, k_enc, 16, data, 8, expect);
  g_assert_cmphex (fetch (card, send_data (card, 0x00, 0x88, 0x00, 0x02, data, 8)), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, expect, 8);
}

static void
test_write_key (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  static const guint8 data[8] = { 0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE };
  guint8 newkey[16], rec[5 + 16] = { 0xF0, 0xF0, 0xFF, 0x00, 0x00 };
  guint8 cipher[32], expect[8], iv[8], c[5 + 64];
  gsize clen;

  for (guint i = 0; i < 16; i++)
    newkey[i] = 0x5A ^ i;
  memcpy (rec + 5, newkey, 16);
  /* Plain update of 30/00, key bytes only (change right FF: state F). */
  g_assert_cmphex (send_data (card, 0x80, 0xD4, 0x30, 0x00, newkey, 16), ==, 0x6982);
  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  g_assert_cmphex (send_data (card, 0x80, 0xD4, 0x30, 0x00, newkey, 16), ==, 0x9000);
  des_ecb (TRUE, newkey, 16, data, 8, expect);
  g_assert_cmphex (fetch (card, send_data (card, 0x00, 0x88, 0x00, 0x00, data, 8)), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, expect, 8);
  g_assert_cmphex (send_data (card, 0x80, 0xD4, 0x30, 0x07, newkey, 16), ==, 0x6A88);
  g_assert_cmphex (add_key (card, 0x00, 0x30, 0xF0, 0xFF, 0x00, 0x00, k_enc, 16), ==, 0x6A89);
  g_assert_cmphex (add_key (card, 0x05, 0x30, 0xF0, 0xFF, 0x00, 0x00, k_enc, 7), ==, 0x6700);

  /* Type F0 (top bits 11): a DES-encrypt key only writable in cipher+MAC. */
  g_assert_cmphex (send_data (card, 0x80, 0xD4, 0x01, 0x03, rec, sizeof rec), ==, 0x6982);
  clen = line_encrypt (k_master, 16, rec, sizeof rec, cipher);
  g_assert_cmpuint (clen, ==, 24);
  g_assert_cmphex (send_sm (card, k_master, 16, 0x84, 0xD4, 0x01, 0x03, cipher, clen, TRUE), ==,
                   0x9302);
  /* A challenge serves one command: the second try with it gets 6985. */
  get_challenge (card, 4, iv);
  c[0] = 0x84, c[1] = 0xD4, c[2] = 0x01, c[3] = 0x03, c[4] = clen + 4;
  memcpy (c + 5, cipher, clen);
  mac_first4 (k_master, 16, iv, c, 5 + clen, c + 5 + clen);
  g_assert_cmphex (xmit (card, c, 5 + clen + 4), ==, 0x9000);
  g_assert_cmphex (xmit (card, c, 5 + clen + 4), ==, 0x6985);
  des_ecb (TRUE, newkey, 16, data, 8, expect);
  g_assert_cmphex (fetch (card, send_data (card, 0x00, 0x88, 0x00, 0x03, data, 8)), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, expect, 8);
  /* Its plain update is refused, the cipher one accepted (key only). */
  g_assert_cmphex (send_data (card, 0x80, 0xD4, 0xF0, 0x03, k_enc, 16), ==, 0x6982);
  clen = line_encrypt (k_master, 16, k_enc, 16, cipher);
  g_assert_cmphex (send_sm (card, k_master, 16, 0x84, 0xD4, 0xF0, 0x03, cipher, clen, FALSE), ==,
                   0x9000);
  des_ecb (TRUE, k_enc, 16, data, 8, expect);
  g_assert_cmphex (fetch (card, send_data (card, 0x00, 0x88, 0x00, 0x03, data, 8)), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, expect, 8);
  /* Cipher form with no challenge at all. */
  c[4] = clen + 4;
  memcpy (c + 5, cipher, clen);
  g_assert_cmphex (xmit (card, c, 5 + clen + 4), ==, 0x6985);
}

static void
test_line_encryption (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  static const guint8 secret[16] = { 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7,
                                     0xD8, 0xD9, 0xDA, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF };
  guint8 cipher[32], plain[32], mac_payload[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
  gsize clen;

  /* 0006 (E8): plain writes refused; cipher + MAC under the 36 key. */
  g_assert_cmphex (send_data (card, 0x00, 0xD6, 0x86, 0x00, secret, 16), ==, 0x6982);
  clen = line_encrypt (k_line, 16, secret, 16, cipher);
  g_assert_cmphex (send_sm (card, k_line, 16, 0x04, 0xD6, 0x86, 0x00, cipher, clen, TRUE), ==,
                   0x9302);
  g_assert_cmphex (send_sm (card, k_line, 16, 0x04, 0xD6, 0x86, 0x00, cipher, clen, FALSE), ==,
                   0x9000);
  /* A read (plain CLA allowed by access bit 7) comes back encrypted. */
  g_assert_cmphex (send_hex (card, "00B08600 10"), ==, 0x6118);
  g_assert_cmphex (fetch (card, 0x6118), ==, 0x9000);
  g_assert_cmpuint (resp_len, ==, 24);
  des_ecb (FALSE, k_line, 16, resp, 24, plain);
  g_assert_cmphex (plain[0], ==, 16);
  g_assert_cmpmem (plain + 1, 16, secret, 16);
  g_assert_cmphex (plain[17], ==, 0x80);
  g_assert_cmpmem (plain + 18, 6, "\0\0\0\0\0\0", 6);
  /* Part of it, from offset 4. */
  g_assert_cmphex (fetch (card, send_hex (card, "00B08604 03")), ==, 0x9000);
  g_assert_cmpuint (resp_len, ==, 8);
  des_ecb (FALSE, k_line, 16, resp, 8, plain);
  g_assert_cmpmem (plain, 5, "\x03\xD4\xD5\xD6\x80", 5);

  /* 0007 (A8, access 7F): MAC on writes and on reads. */
  g_assert_cmphex (send_data (card, 0x00, 0xD6, 0x87, 0x00, mac_payload, 8), ==, 0x6982);
  g_assert_cmphex (send_sm (card, k_line, 16, 0x04, 0xD6, 0x87, 0x00, mac_payload, 8, FALSE), ==,
                   0x9000);
  g_assert_cmphex (send_hex (card, "00B08700 08"), ==, 0x6982);
  g_assert_cmphex (fetch (card, send_sm (card, k_line, 16, 0x04, 0xB0, 0x87, 0x00, NULL, 0, FALSE)),
                   ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, mac_payload, 8);
  g_assert_cmphex (send_sm (card, k_line, 16, 0x04, 0xB0, 0x87, 0x00, NULL, 0, TRUE), ==, 0x9302);
}

static void
test_power_resets_state (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  guint8 iv[8], crypt[8];

  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00B08200 02"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00A40000 02 3F00"), ==, 0x6117);
  cs_card_power (card, CS_POWER_OFF);
  cs_card_power (card, CS_POWER_ON);
  g_assert_cmphex (send_hex (card, "00C00000 17"), ==, 0x6985); /* pending answer lost */
  g_assert_cmphex (send_hex (card, "00B00000 02"), ==, 0x6986); /* no current EF */
  g_assert_cmphex (send_hex (card, "00B08200 02"), ==, 0x6982);
  get_challenge (card, 4, iv);
  cs_card_power (card, CS_POWER_RESET);
  des_ecb (TRUE, k_master, 16, iv, 8, crypt);
  g_assert_cmphex (send_data (card, 0x00, 0x82, 0x00, 0x00, crypt, 8), ==, 0x6985);
  /* Selecting the DF again also drops its state. */
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, pin, 6), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00A4000C 02 3F00"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00B08200 02"), ==, 0x6982);
}

static void
test_image_round_trip (void)
{
  g_autoptr (CsCard) card = personalised_card ();
  g_autoptr (CsCard) copy = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL, *text2 = NULL, *d1 = NULL, *d2 = NULL;
  guint8 bad[6] = { 0 };
  gsize len = 0, len2 = 0;

  g_assert_cmphex (send_hex (card, "00D68100 04 01020304"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00E2002C 04 0A0B0C0D"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "00E2002C 04 0E0F1011"), ==, 0x9000);
  g_assert_cmphex (send_data (card, 0x00, 0x20, 0x00, 0x01, bad, 6), ==, 0x63C2);
  text = cs_card_to_image (card, &len);
  g_assert_nonnull (strstr (text, "[file 3F00/0001]"));
  g_assert_nonnull (strstr (text, "[key 3F00 39/00]"));
  copy = cs_card_new_from_image (text, len, &error);
  g_assert_no_error (error);
  g_assert_false (cs_card_is_dirty (copy));
  text2 = cs_card_to_image (copy, &len2);
  g_assert_cmpstr (text, ==, text2);
  d1 = cs_card_describe (card);
  d2 = cs_card_describe (copy);
  g_assert_cmpstr (d1, ==, d2);

  cs_card_power (copy, CS_POWER_ON);
  g_assert_cmphex (send_hex (copy, "00B08100 04"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\x01\x02\x03\x04", 4);
  g_assert_cmphex (send_hex (copy, "00B2012C 04"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\x0E\x0F\x10\x11", 4);
  g_assert_cmphex (send_hex (copy, "00200001"), ==, 0x63C2);
  g_assert_cmphex (ext_auth (copy, 0x00, k_master, 16), ==, 0x9000);
  g_assert_true (cs_card_is_dirty (card));

  /* A damaged image is refused. */
  {
    g_autoptr (GString) broken = g_string_new (text);
    g_autoptr (CsCard) none = NULL;

    g_string_append (broken, "\n[file 3F00/DF09/0001]\ntype=binary\n");
    none = cs_card_new_from_image (broken->str, broken->len, &error);
    g_assert_null (none);
    g_assert_nonnull (error);
  }
  g_clear_error (&error);
  {
    static const char no_mf[] = "[card]\nformat=1\nkind=cpu\nserial=8610000012345678\n";
    g_autoptr (CsCard) none = cs_card_new_from_image (no_mf, strlen (no_mf), &error);

    g_assert_null (none);
    g_assert_nonnull (error);
  }
}

static void
test_tear (void)
{
  g_autoptr (CsCard) card = personalised_card ();

  g_assert_cmphex (send_hex (card, "00D68100 08 1111111111111111"), ==, 0x9000);
  cs_card_set_tear (card, 3);
  g_assert_cmphex (send_hex (card, "00D68100 08 2222222222222222"), ==, 0x6581);
  g_assert_true (cs_card_was_torn (card));
  cs_card_set_tear (card, -1);
  cs_card_power (card, CS_POWER_ON);
  g_assert_cmphex (send_hex (card, "00B08100 08"), ==, 0x9000);
  g_assert_cmpmem (resp, resp_len, "\x22\x22\x22\x11\x11\x11\x11\x11", 8);
  /* A torn WRITE KEY add leaves no key. */
  cs_card_set_tear (card, 10);
  g_assert_cmphex (add_key (card, 0x09, 0x30, 0xF0, 0xFF, 0x00, 0x00, k_enc, 16), ==, 0x6581);
  cs_card_set_tear (card, -1);
  g_assert_cmphex (send_hex (card, "00880009 08 0000000000000000"), ==, 0x6A88);
}

static void
test_errors (void)
{
  g_autoptr (CsCard) card = new_card ();
  guint8 r[CS_MAX_RESPONSE];

  cs_card_power (card, CS_POWER_ON);
  g_assert_cmphex (send_hex (card, "00FF0000"), ==, 0x6D00);
  g_assert_cmphex (send_hex (card, "A0A40000 02 3F00"), ==, 0x6E00);
  g_assert_cmphex (send_hex (card, "80A40000 02 3F00"), ==, 0x6E00);
  g_assert_cmphex (send_hex (card, "00A400"), ==, 0x6700);
  g_assert_cmphex (send_hex (card, "00A40000 05 3F00"), ==, 0x6700);
  g_assert_cmphex (send_hex (card, "00A40000 00 3F00"), ==, 0x6700);
  g_assert_cmphex (send_hex (card, "00840000 05"), ==, 0x6700);
  g_assert_cmphex (send_hex (card, "00840000"), ==, 0x6700);
  g_assert_cmphex (send_hex (card, "00840001 04"), ==, 0x6A86);
  g_assert_cmphex (send_hex (card, "00C00000 04"), ==, 0x6985);
  g_assert_cmphex (send_hex (card, "80E00011 02 2800"), ==, 0x6982);
  g_assert_cmpuint (cs_card_transmit (card, r, 0, r), ==, 2);
  g_assert_cmpuint (cs_card_transmit (card, (const guint8 *) "\x00", 1, r), ==, 2);
  /* Case 4 with a trailing Le is tolerated. */
  g_assert_cmphex (send_hex (card, "00A40000 02 3F00 00"), ==, 0x6117);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();

  g_test_add_func ("/sim/fmcos/atr", test_atr);
  g_test_add_func ("/sim/fmcos/blank-ext-auth", test_blank_ext_auth);
  g_test_add_func ("/sim/fmcos/ext-auth-counter", test_ext_auth_counter);
  g_test_add_func ("/sim/fmcos/erase-fresh-keyfile", test_erase_fresh_keyfile);
  g_test_add_func ("/sim/fmcos/erase-keeps-state", test_erase_keeps_state);
  g_test_add_func ("/sim/fmcos/create-select", test_create_select);
  g_test_add_func ("/sim/fmcos/binary", test_binary);
  g_test_add_func ("/sim/fmcos/records", test_records);
  g_test_add_func ("/sim/fmcos/rights", test_rights);
  g_test_add_func ("/sim/fmcos/x0-right", test_x0_right);
  g_test_add_func ("/sim/fmcos/verify-unblock-reload", test_verify);
  g_test_add_func ("/sim/fmcos/internal-auth", test_internal_auth);
  g_test_add_func ("/sim/fmcos/write-key", test_write_key);
  g_test_add_func ("/sim/fmcos/line-encryption", test_line_encryption);
  g_test_add_func ("/sim/fmcos/power-resets-state", test_power_resets_state);
  g_test_add_func ("/sim/fmcos/image-round-trip", test_image_round_trip);
  g_test_add_func ("/sim/fmcos/tear", test_tear);
  g_test_add_func ("/sim/fmcos/errors", test_errors);
  return g_test_run ();
}
