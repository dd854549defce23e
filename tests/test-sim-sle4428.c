/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-sle4428: the SLE4428 chip model behind its ACS-style reader,
 * and card images (docs/card-formats.md, "SLE4428 simulator"). */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cs-card.h"

static const guint8 test_serial[CS_SERIAL_LEN] = { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80 };

/* Sends an APDU written in hex; returns the SW, stores the data part. */
static guint16
xfer (CsCard *card, const char *hex, GByteArray **data)
{
  g_autofree guint8 *r = g_malloc (CS_MAX_RESPONSE);
  g_autoptr (GByteArray) c = g_byte_array_new ();
  gsize rlen;

  for (const char *p = hex; *p;)
    {
      guint8 b;

      if (*p == ' ')
        {
          p++;
          continue;
        }
      g_assert_true (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]));
      b = (g_ascii_xdigit_value (p[0]) << 4) | g_ascii_xdigit_value (p[1]);
      g_byte_array_append (c, &b, 1);
      p += 2;
    }
  rlen = cs_card_transmit (card, c->data, c->len, r);
  /* Never more than a short R-APDU: 256 data bytes and the SW. */
  g_assert_cmpuint (rlen, >=, 2);
  g_assert_cmpuint (rlen, <=, CS_SHORT_RESPONSE_MAX);
  if (data)
    {
      *data = g_byte_array_new ();
      g_byte_array_append (*data, r, rlen - 2);
    }
  return (r[rlen - 2] << 8) | r[rlen - 1];
}

#define assert_sw(card, hex, want) g_assert_cmphex (xfer ((card), (hex), NULL), ==, (want))

static CsCard *
new_selected (void)
{
  CsCard *card = cs_card_new_sle4428 (test_serial);

  cs_card_power (card, CS_POWER_ON);
  assert_sw (card, "FF A4 00 00 01 05", 0x9000);
  return card;
}

static guint8
read_byte (CsCard *card, guint addr)
{
  g_autofree char *apdu = g_strdup_printf ("FF B0 %02X %02X 01", addr >> 8, addr & 0xff);
  g_autoptr (GByteArray) d = NULL;

  g_assert_cmphex (xfer (card, apdu, &d), ==, 0x9000);
  g_assert_cmpuint (d->len, ==, 1);
  return d->data[0];
}

static guint8
read_errcnt (CsCard *card)
{
  g_autoptr (GByteArray) d = NULL;

  g_assert_cmphex (xfer (card, "FF B1 00 00 03", &d), ==, 0x9000);
  g_assert_cmpuint (d->len, ==, 3);
  return d->data[0];
}

static void
verify_ffff (CsCard *card)
{
  assert_sw (card, "FF 20 00 00 02 FF FF", 0x90FF);
}

static void
test_atr (void)
{
  g_autoptr (CsCard) card = cs_card_new_sle4428 (test_serial);
  g_autoptr (GBytes) atr = cs_card_get_atr (card);
  static const guint8 want[] = { 0x3B, 0x04, 0x92, 0x23, 0x10, 0x91 };
  gsize len;
  const guint8 *p = g_bytes_get_data (atr, &len);

  g_assert_cmpmem (p, len, want, sizeof want);
  g_assert_cmpint (cs_card_get_kind (card), ==, CS_CARD_SLE4428);
  g_assert_cmpmem (cs_card_get_serial (card), CS_SERIAL_LEN, test_serial, CS_SERIAL_LEN);
}

static void
test_select (void)
{
  g_autoptr (CsCard) card = cs_card_new_sle4428 (test_serial);

  cs_card_power (card, CS_POWER_ON);
  assert_sw (card, "FF B0 00 00 10", 0x6985);
  assert_sw (card, "FF 20 00 00 02 FF FF", 0x6985);
  assert_sw (card, "FF A4 00 00 01 06", 0x6A80);
  assert_sw (card, "FF A4 00 00 02 05 00", 0x6700);
  assert_sw (card, "FF A4 00 00", 0x6700);
  assert_sw (card, "FF A4 01 00 01 05", 0x6A86);
  assert_sw (card, "FF A4 00 00 01 05", 0x9000);
  assert_sw (card, "FF B0 00 00 10", 0x9000);
  /* every power event forgets the selection */
  cs_card_power (card, CS_POWER_RESET);
  assert_sw (card, "FF B0 00 00 10", 0x6985);
  /* no PSC try was spent by the refused PRESENT CODE */
  assert_sw (card, "FF A4 00 00 01 05", 0x9000);
  g_assert_cmphex (read_errcnt (card), ==, 0xFF);
}

static void
test_blank_and_read (void)
{
  g_autoptr (CsCard) card = new_selected ();
  g_autoptr (GByteArray) d = NULL;
  static const guint8 header[8] = { 0x92, 0x23, 0x10, 0x91, 0x44, 0x28, 0x00, 0x01 };

  g_assert_cmphex (xfer (card, "FF B0 00 00 10", &d), ==, 0x9000);
  g_assert_cmpmem (d->data, 8, header, 8);
  g_assert_cmpmem (d->data + 8, 8, test_serial, 8);
  g_clear_pointer (&d, g_byte_array_unref);

  /* LEN 0 = 256 bytes; the rest of a blank card is FF */
  g_assert_cmphex (xfer (card, "FF B0 01 00 00", &d), ==, 0x9000);
  g_assert_cmpuint (d->len, ==, 256);
  for (guint i = 0; i < d->len; i++)
    g_assert_cmphex (d->data[i], ==, 0xFF);
  g_clear_pointer (&d, g_byte_array_unref);

  /* up to the last byte: 3FD counter, PSC hidden */
  g_assert_cmphex (xfer (card, "FF B0 03 F0 10", &d), ==, 0x9000);
  g_assert_cmpuint (d->len, ==, 16);
  g_assert_cmphex (d->data[13], ==, 0xFF);
  g_assert_cmphex (d->data[14], ==, 0x00);
  g_assert_cmphex (d->data[15], ==, 0x00);

  assert_sw (card, "FF B0 03 F0 11", 0x6B00); /* past the end */
  assert_sw (card, "FF B0 03 01 00", 0x6B00);
  assert_sw (card, "FF B0 04 00 01", 0x6A86); /* P1 holds A9..A8 only */
  assert_sw (card, "FF B0 00 00", 0x6700);
  assert_sw (card, "FF B0 00 00 01 00", 0x6700);
  g_assert_cmphex (read_errcnt (card), ==, 0xFF);
  g_assert_false (cs_card_was_torn (card));
}

static void
test_psc_hidden (void)
{
  g_autoptr (CsCard) card = new_selected ();

  g_assert_cmphex (read_byte (card, 0x3FE), ==, 0x00);
  g_assert_cmphex (read_byte (card, 0x3FF), ==, 0x00);
  verify_ffff (card);
  g_assert_cmphex (read_byte (card, 0x3FE), ==, 0xFF);
  g_assert_cmphex (read_byte (card, 0x3FF), ==, 0xFF);
}

static void
test_write_needs_verify (void)
{
  g_autoptr (CsCard) card = new_selected ();

  assert_sw (card, "FF D0 00 20 02 12 34", 0x6982);
  assert_sw (card, "FF D1 00 20 01 FF", 0x6982);
  g_assert_cmphex (read_byte (card, 0x20), ==, 0xFF);
  g_assert_cmphex (read_byte (card, 0x21), ==, 0xFF);

  verify_ffff (card);
  assert_sw (card, "FF D0 00 20 02 12 34", 0x9000);
  g_assert_cmphex (read_byte (card, 0x20), ==, 0x12);
  g_assert_cmphex (read_byte (card, 0x21), ==, 0x34);
  g_assert_true (cs_card_is_dirty (card));
}

static void
test_wrong_psc (void)
{
  g_autoptr (CsCard) card = new_selected ();

  assert_sw (card, "FF 20 00 00 02 12 34", 0x90FE);
  g_assert_cmphex (read_errcnt (card), ==, 0xFE);
  g_assert_cmphex (read_byte (card, 0x3FD), ==, 0xFE);
  assert_sw (card, "FF 20 00 00 02 12 34", 0x90FC);
  g_assert_cmphex (read_errcnt (card), ==, 0xFC);
  g_assert_cmphex (read_byte (card, 0x3FD), ==, 0xFC);
  /* still not verified */
  assert_sw (card, "FF D0 00 20 01 00", 0x6982);
  /* the right code restores all eight tries */
  verify_ffff (card);
  g_assert_cmphex (read_errcnt (card), ==, 0xFF);
  g_assert_cmphex (read_byte (card, 0x3FD), ==, 0xFF);
  /* a wrong code after a right one drops the verification */
  assert_sw (card, "FF 20 00 00 02 00 00", 0x90FE);
  assert_sw (card, "FF D0 00 20 01 00", 0x6982);
  /* wrong APDU shapes spend no try */
  assert_sw (card, "FF 20 00 00 03 FF FF FF", 0x6700);
  assert_sw (card, "FF 20 00 00 02 FF", 0x6700);
  assert_sw (card, "FF 20 00 01 02 FF FF", 0x6A86);
  g_assert_cmphex (read_errcnt (card), ==, 0xFE);
}

static void
test_last_try (void)
{
  g_autoptr (CsCard) card = new_selected ();

  for (guint i = 0; i < 7; i++)
    assert_sw (card, "FF 20 00 00 02 00 00", 0x9000 | (0xFF << (i + 1) & 0xFF));
  g_assert_cmphex (read_errcnt (card), ==, 0x80);
  verify_ffff (card); /* one try left is still a try */
  g_assert_cmphex (read_errcnt (card), ==, 0xFF);
}

static void
test_locked (void)
{
  g_autoptr (CsCard) card = new_selected ();

  for (guint i = 0; i < 8; i++)
    xfer (card, "FF 20 00 00 02 00 00", NULL);
  g_assert_cmphex (read_errcnt (card), ==, 0x00);
  g_assert_cmphex (read_byte (card, 0x3FD), ==, 0x00);
  assert_sw (card, "FF 20 00 00 02 FF FF", 0x6983);
  assert_sw (card, "FF D0 00 20 01 00", 0x6983);
  assert_sw (card, "FF D1 00 20 01 FF", 0x6983);
  g_assert_cmphex (read_byte (card, 0x20), ==, 0xFF); /* reading still works */
  g_assert_cmphex (read_byte (card, 0x3FE), ==, 0x00);
  /* for ever: a power cycle does not help */
  cs_card_power (card, CS_POWER_OFF);
  cs_card_power (card, CS_POWER_ON);
  assert_sw (card, "FF A4 00 00 01 05", 0x9000);
  assert_sw (card, "FF 20 00 00 02 FF FF", 0x6983);
  g_assert_cmphex (read_errcnt (card), ==, 0x00);
}

static void
test_protect (void)
{
  g_autoptr (CsCard) card = new_selected ();
  g_autoptr (GByteArray) d = NULL;

  verify_ffff (card);
  assert_sw (card, "FF D0 00 10 04 11 22 33 44", 0x9000);
  /* compare matches: protected */
  assert_sw (card, "FF D1 00 10 02 11 22", 0x9000);
  /* mismatch on the second byte: only the first is protected */
  assert_sw (card, "FF D1 00 12 02 33 99", 0x6581);
  g_assert_cmphex (xfer (card, "FF B2 00 10 01", &d), ==, 0x9000);
  g_assert_cmpuint (d->len, ==, 1);
  g_assert_cmphex (d->data[0], ==, 0xF8); /* bits 0..2 = bytes 10..12 protected */
  g_clear_pointer (&d, g_byte_array_unref);

  /* a protected byte never changes; the others are written */
  assert_sw (card, "FF D0 00 10 04 AA BB CC DD", 0x6581);
  g_assert_cmphex (read_byte (card, 0x10), ==, 0x11);
  g_assert_cmphex (read_byte (card, 0x11), ==, 0x22);
  g_assert_cmphex (read_byte (card, 0x12), ==, 0x33);
  g_assert_cmphex (read_byte (card, 0x13), ==, 0xDD);
  /* writing the same value to a protected byte is fine */
  assert_sw (card, "FF D0 00 10 02 11 22", 0x9000);
  /* factory header and serial are protected */
  assert_sw (card, "FF D0 00 08 01 00", 0x6581);
  g_assert_cmphex (read_byte (card, 0x08), ==, test_serial[0]);
  /* the counter byte is card logic, not memory */
  assert_sw (card, "FF D0 03 FD 01 00", 0x6581);
  g_assert_cmphex (read_errcnt (card), ==, 0xFF);
  /* protecting again is harmless */
  assert_sw (card, "FF D1 00 10 01 11", 0x9000);
}

static void
test_prot_bitmap (void)
{
  g_autoptr (CsCard) card = new_selected ();
  g_autoptr (GByteArray) d = NULL;

  /* bit0 of PROT1 = first byte; 0 = protected; 0x000-0x00F from the factory */
  g_assert_cmphex (xfer (card, "FF B2 00 00 04", &d), ==, 0x9000);
  g_assert_cmpuint (d->len, ==, 4);
  g_assert_cmphex (d->data[0], ==, 0x00);
  g_assert_cmphex (d->data[1], ==, 0x00);
  g_assert_cmphex (d->data[2], ==, 0xFF);
  g_assert_cmphex (d->data[3], ==, 0xFF);
  g_clear_pointer (&d, g_byte_array_unref);

  /* an unaligned start: 0C..0F protected (bits 0..3), 10..13 writable */
  g_assert_cmphex (xfer (card, "FF B2 00 0C 01", &d), ==, 0x9000);
  g_assert_cmphex (d->data[0], ==, 0xF0);
  g_clear_pointer (&d, g_byte_array_unref);

  verify_ffff (card);
  assert_sw (card, "FF D1 00 31 01 FF", 0x9000);
  g_assert_cmphex (xfer (card, "FF B2 00 30 01", &d), ==, 0x9000);
  g_assert_cmphex (d->data[0], ==, 0xFD);
  g_clear_pointer (&d, g_byte_array_unref);

  g_assert_cmphex (xfer (card, "FF B2 03 00 20", &d), ==, 0x9000); /* max 32 */
  g_assert_cmpuint (d->len, ==, 32);
  assert_sw (card, "FF B2 00 00 21", 0x6700);
  assert_sw (card, "FF B2 00 00 00", 0x6700);
  assert_sw (card, "FF B2 03 F9 01", 0x6B00);
  assert_sw (card, "FF B2 08 00 01", 0x6A86);
}

static void
test_power_loses_verification (void)
{
  g_autoptr (CsCard) card = new_selected ();

  verify_ffff (card);
  assert_sw (card, "FF D0 00 40 01 01", 0x9000);
  cs_card_power (card, CS_POWER_RESET);
  assert_sw (card, "FF A4 00 00 01 05", 0x9000);
  assert_sw (card, "FF D0 00 40 01 02", 0x6982);
  g_assert_cmphex (read_byte (card, 0x40), ==, 0x01);
  g_assert_cmphex (read_byte (card, 0x3FE), ==, 0x00);
  /* power off + on (implicit on at the next APDU) as well */
  verify_ffff (card);
  cs_card_power (card, CS_POWER_OFF);
  assert_sw (card, "FF B0 00 00 01", 0x6985);
  assert_sw (card, "FF A4 00 00 01 05", 0x9000);
  assert_sw (card, "FF D0 00 40 01 02", 0x6982);
}

static void
test_change_psc (void)
{
  g_autoptr (CsCard) card = new_selected ();

  verify_ffff (card);
  assert_sw (card, "FF D0 03 FE 02 A5 5A", 0x9000);
  g_assert_cmphex (read_byte (card, 0x3FE), ==, 0xA5); /* still verified */
  assert_sw (card, "FF D0 00 40 01 01", 0x9000);
  cs_card_power (card, CS_POWER_RESET);
  assert_sw (card, "FF A4 00 00 01 05", 0x9000);
  assert_sw (card, "FF 20 00 00 02 FF FF", 0x90FE);
  assert_sw (card, "FF 20 00 00 02 A5 5A", 0x90FF);
  assert_sw (card, "FF D0 00 40 01 02", 0x9000);
}

static void
test_bad_apdus (void)
{
  g_autoptr (CsCard) card = new_selected ();

  verify_ffff (card);
  assert_sw (card, "00 B0 00 00 01", 0x6E00);
  assert_sw (card, "80 A4 00 00 01 05", 0x6E00);
  assert_sw (card, "FF CA 00 00 00", 0x6D00);
  assert_sw (card, "FF D2 00 01 03 FF FF FF", 0x6D00); /* 4442's CHANGE CODE */
  assert_sw (card, "FF", 0x6700);
  assert_sw (card, "", 0x6700);
  assert_sw (card, "FF B1 00 00 04", 0x6700);
  assert_sw (card, "FF B1 00 00", 0x6700);
  assert_sw (card, "FF B1 00 01 03", 0x6A86);
  assert_sw (card, "FF D0 00 20 02 12", 0x6700); /* Lc says 2, 1 byte */
  assert_sw (card, "FF D0 00 20 01 12 34", 0x6700); /* Lc says 1, 2 bytes */
  assert_sw (card, "FF D0 00 20 00", 0x6700);
  assert_sw (card, "FF D0 03 FF 02 12 34", 0x6B00);
  assert_sw (card, "FF D1 00 20 02 FF", 0x6700);
  g_assert_cmphex (read_byte (card, 0x20), ==, 0xFF);
  /* unselected: CLA/INS errors still come first */
  cs_card_power (card, CS_POWER_RESET);
  assert_sw (card, "00 A4 00 00 02 3F 00", 0x6E00);
  assert_sw (card, "FF CA 00 00 00", 0x6D00);
}

/* Le 00 and the largest Le of each read: exactly what the table in
 * docs/card-formats.md promises, never more than a short reply. */
static void
test_read_lengths (void)
{
  g_autoptr (CsCard) card = new_selected ();
  g_autoptr (GByteArray) d = NULL;
  g_autoptr (GByteArray) bits = NULL;

  g_assert_cmphex (xfer (card, "FF B0 03 00 00", &d), ==, 0x9000);
  g_assert_cmpuint (d->len, ==, 256);
  g_assert_cmphex (d->data[0xFD], ==, 0xFF); /* the counter */
  g_assert_cmphex (d->data[0xFE], ==, 0x00); /* the PSC, hidden */
  assert_sw (card, "FF B0 03 01 00", 0x6B00);
  assert_sw (card, "FF B0 00 00", 0x6700);
  g_assert_cmphex (xfer (card, "FF B2 00 00 20", &bits), ==, 0x9000);
  g_assert_cmpuint (bits->len, ==, 32);
  assert_sw (card, "FF B2 00 00 00", 0x6700);
  assert_sw (card, "FF B2 00 00 21", 0x6700);
  assert_sw (card, "FF B2 03 01 20", 0x6B00);
  assert_sw (card, "FF B1 00 00 00", 0x6700);
  assert_sw (card, "FF B1 00 00 FF", 0x6700);
}

static void
test_tear (void)
{
  g_autoptr (CsCard) card = new_selected ();
  g_autoptr (GByteArray) d = NULL;

  verify_ffff (card);
  cs_card_set_tear (card, 3);
  assert_sw (card, "FF B0 00 40 08", 0x9000); /* reads do not tear */
  g_assert_false (cs_card_was_torn (card));
  xfer (card, "FF D0 00 40 08 01 02 03 04 05 06 07 08", NULL);
  g_assert_true (cs_card_was_torn (card));
  g_assert_cmphex (xfer (card, "FF B0 00 40 08", &d), ==, 0x9000);
  g_assert_cmphex (d->data[0], ==, 0x01);
  g_assert_cmphex (d->data[2], ==, 0x03);
  g_assert_cmphex (d->data[3], ==, 0xFF);
  g_assert_cmphex (d->data[7], ==, 0xFF);

  cs_card_set_tear (card, -1);
  g_assert_false (cs_card_was_torn (card));
  assert_sw (card, "FF D0 00 40 08 01 02 03 04 05 06 07 08", 0x9000);
}

static char *
make_sandbox (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-sim-sle4428-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
rm_sandbox (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_assert_cmpint (g_remove (p), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static guint
count_entries (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d))
    n++;
  return n;
}

static void
test_image_roundtrip (void)
{
  g_autofree char *dir = make_sandbox ();
  g_autofree char *path = g_build_filename (dir, "a.card", NULL);
  g_autoptr (CsCard) card = new_selected ();
  g_autoptr (CsCard) back = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) d = NULL;
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;
  g_autofree char *file = NULL;

  verify_ffff (card);
  assert_sw (card, "FF D0 00 10 03 01 02 03", 0x9000);
  assert_sw (card, "FF D1 00 10 02 01 02", 0x9000);
  assert_sw (card, "FF D0 03 FE 02 A5 5A", 0x9000);
  assert_sw (card, "FF 20 00 00 02 00 00", 0x90FE);
  assert_sw (card, "FF 20 00 00 02 00 00", 0x90FC);
  g_assert_true (cs_card_is_dirty (card));

  g_assert_true (cs_card_save (card, path, &error));
  g_assert_no_error (error);
  g_assert_false (cs_card_is_dirty (card));
  g_assert_cmpuint (count_entries (dir), ==, 1); /* no temp file left */
  g_assert_true (cs_card_save (card, path, &error)); /* replacing works too */
  g_assert_cmpuint (count_entries (dir), ==, 1);

  g_assert_true (g_file_get_contents (path, &file, NULL, NULL));
  g_assert_nonnull (strstr (file, "kind=sle4428"));
  g_assert_nonnull (strstr (file, "serial=1020304050607080"));
  g_assert_nonnull (strstr (file, "010=01 02 03 FF"));
  g_assert_nonnull (strstr (file, "error-counter=FC"));

  back = cs_card_load (path, &error);
  g_assert_no_error (error);
  g_assert_false (cs_card_is_dirty (back));
  text1 = cs_card_to_image (card, NULL);
  text2 = cs_card_to_image (back, NULL);
  g_assert_cmpstr (text1, ==, text2);

  /* and it behaves the same */
  assert_sw (back, "FF A4 00 00 01 05", 0x9000);
  g_assert_cmphex (read_errcnt (back), ==, 0xFC);
  g_assert_cmphex (xfer (back, "FF B2 00 10 01", &d), ==, 0x9000);
  g_assert_cmphex (d->data[0], ==, 0xFC);
  g_assert_cmphex (read_byte (back, 0x12), ==, 0x03);
  assert_sw (back, "FF 20 00 00 02 FF FF", 0x90F8);
  assert_sw (back, "FF 20 00 00 02 A5 5A", 0x90FF);
  assert_sw (back, "FF D0 00 10 01 77", 0x6581);

  rm_sandbox (dir);
}

static void
expect_bad_image (const char *text, const char *from, const char *to)
{
  g_autoptr (GString) s = g_string_new (text);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsCard) card = NULL;

  g_assert_cmpint (g_string_replace (s, from, to, 1), ==, 1);
  card = cs_card_new_from_image (s->str, s->len, &error);
  g_assert_null (card);
  g_assert_nonnull (error);
}

static void
test_image_errors (void)
{
  g_autoptr (CsCard) card = cs_card_new_sle4428 (test_serial);
  g_autofree char *text = cs_card_to_image (card, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (CsCard) ok = cs_card_new_from_image (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (ok);
  expect_bad_image (text, "format=1", "format=2");
  expect_bad_image (text, "kind=sle4428", "kind=floppy");
  expect_bad_image (text, "serial=1020304050607080", "serial=10203040");
  expect_bad_image (text, "serial=1020304050607080", "serial=1020304050607081");
  expect_bad_image (text, "error-counter=FF", "error-counter=7F");
  expect_bad_image (text, "3F0=FF", "3F0=GG");
  expect_bad_image (text, "100=", "101=");
  expect_bad_image (text, "000=92 23", "000=9223");
  expect_bad_image (text, "000=0000000000000000", "000=00000000000000002");
  expect_bad_image (text, "010=1111111111111111", "010=111111111111111x");
  g_assert_null (cs_card_load ("/nonexistent/x.card", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
}

static void
test_describe (void)
{
  g_autoptr (CsCard) card = new_selected ();
  g_autofree char *text = NULL;

  verify_ffff (card);
  assert_sw (card, "FF D0 03 FE 02 A5 5A", 0x9000);
  assert_sw (card, "FF D0 00 20 02 C3 3C", 0x9000);
  assert_sw (card, "FF 20 00 00 02 00 00", 0x90FE);
  text = cs_card_describe (card);
  g_assert_nonnull (strstr (text, "sle4428"));
  g_assert_nonnull (strstr (text, "1020304050607080"));
  g_assert_nonnull (strstr (text, "7 of 8 tries left"));
  g_assert_nonnull (strstr (text, "** **"));
  g_assert_nonnull (strstr (text, "C3  3C"));
  g_assert_null (strstr (text, "A5"));
  g_assert_null (strstr (text, "5A"));
  g_assert_nonnull (strstr (text, "3F0 "));
  g_assert_nonnull (strstr (text, "92*"));
}

static void
test_kind_strings (void)
{
  CsCardKind kind;

  g_assert_cmpstr (cs_card_kind_to_string (CS_CARD_SLE4428), ==, "sle4428");
  g_assert_cmpstr (cs_card_kind_to_string (CS_CARD_FMCOS), ==, "cpu");
  g_assert_true (cs_card_kind_from_string ("sle4428", &kind));
  g_assert_cmpint (kind, ==, CS_CARD_SLE4428);
  g_assert_true (cs_card_kind_from_string ("cpu", &kind));
  g_assert_cmpint (kind, ==, CS_CARD_FMCOS);
  g_assert_false (cs_card_kind_from_string ("sle4442", &kind));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/sle4428/atr", test_atr);
  g_test_add_func ("/sim/sle4428/select", test_select);
  g_test_add_func ("/sim/sle4428/blank-and-read", test_blank_and_read);
  g_test_add_func ("/sim/sle4428/psc-hidden", test_psc_hidden);
  g_test_add_func ("/sim/sle4428/write-needs-verify", test_write_needs_verify);
  g_test_add_func ("/sim/sle4428/wrong-psc", test_wrong_psc);
  g_test_add_func ("/sim/sle4428/last-try", test_last_try);
  g_test_add_func ("/sim/sle4428/locked", test_locked);
  g_test_add_func ("/sim/sle4428/protect", test_protect);
  g_test_add_func ("/sim/sle4428/prot-bitmap", test_prot_bitmap);
  g_test_add_func ("/sim/sle4428/power-loses-verification", test_power_loses_verification);
  g_test_add_func ("/sim/sle4428/change-psc", test_change_psc);
  g_test_add_func ("/sim/sle4428/bad-apdus", test_bad_apdus);
  g_test_add_func ("/sim/sle4428/read-lengths", test_read_lengths);
  g_test_add_func ("/sim/sle4428/tear", test_tear);
  g_test_add_func ("/sim/sle4428/image-roundtrip", test_image_roundtrip);
  g_test_add_func ("/sim/sle4428/image-errors", test_image_errors);
  g_test_add_func ("/sim/sle4428/describe", test_describe);
  g_test_add_func ("/sim/sle4428/kind-strings", test_kind_strings);
  return g_test_run ();
}
