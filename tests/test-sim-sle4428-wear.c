/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sim-sle4428-wear.c: what writing costs a simulated SLE4428: bytes
 * written, erase+write and write-only cycles, protect bits, per byte; kept
 * in the card image and shown by `insucard-cardsim show`
 * (docs/card-formats.md, "Wear counts"). */
#include <glib.h>
#include <string.h>

#include "cs-card.h"
#include "test-util.h"

static const guint8 sn[CS_SERIAL_LEN] = { 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11 };

static guint16
send (CsCard *card, const char *hex)
{
  g_autofree guint8 *r = g_malloc (CS_MAX_RESPONSE);
  gsize clen, rlen;
  g_autofree guint8 *c = tu_unhex (hex, &clen);

  rlen = cs_card_transmit (card, c, clen, r);
  g_assert_cmpuint (rlen, >=, 2);
  return (r[rlen - 2] << 8) | r[rlen - 1];
}

static CsCard *
new_verified (void)
{
  CsCard *card = cs_card_new_sle4428 (sn);

  cs_card_power (card, CS_POWER_ON);
  g_assert_cmphex (send (card, "FFA4000001 05"), ==, 0x9000);
  g_assert_cmphex (send (card, "FF20000002 FFFF"), ==, 0x90FF);
  return card;
}

static CsSle4428Wear
wear (CsCard *card)
{
  CsSle4428Wear w;

  g_assert_true (cs_card_get_sle4428_wear (card, &w));
  g_assert_cmpuint (w.bytes_written, ==, w.erase_write_cycles + w.write_only_cycles);
  return w;
}

static void
test_cycles (void)
{
  g_autoptr (CsCard) card = new_verified ();
  CsSle4428Wear w = wear (card);

  g_assert_cmpuint (w.bytes_written, ==, 0);
  /* FF -> 12 34 only clears bits: write-only. */
  g_assert_cmphex (send (card, "FFD0002002 1234"), ==, 0x9000);
  w = wear (card);
  g_assert_cmpuint (w.write_only_cycles, ==, 2);
  g_assert_cmpuint (w.erase_write_cycles, ==, 0);
  /* 12 -> 13 sets a bit (erase+write); 34 -> 34 is written all the same. */
  g_assert_cmphex (send (card, "FFD0002002 1334"), ==, 0x9000);
  w = wear (card);
  g_assert_cmpuint (w.erase_write_cycles, ==, 1);
  g_assert_cmpuint (w.write_only_cycles, ==, 3);
  g_assert_cmpuint (w.bytes_written, ==, 4);
  g_assert_cmpuint (cs_card_get_sle4428_byte_writes (card, 0x020), ==, 2);
  g_assert_cmpuint (cs_card_get_sle4428_byte_writes (card, 0x021), ==, 2);
  g_assert_cmpuint (cs_card_get_sle4428_byte_writes (card, 0x022), ==, 0);
  /* The PSC bytes are ordinary bytes for wear. */
  g_assert_cmphex (send (card, "FFD003FE02 A55A"), ==, 0x9000);
  g_assert_cmpuint (wear (card).bytes_written, ==, 6);
  g_assert_cmpuint (cs_card_get_sle4428_byte_writes (card, 0x3FF), ==, 1);
}

static void
test_not_written (void)
{
  g_autoptr (CsCard) card = new_verified ();

  /* Factory-protected bytes and the counter byte are never written. */
  g_assert_cmphex (send (card, "FFD0000801 00"), ==, 0x6581);
  g_assert_cmphex (send (card, "FFD003FD01 00"), ==, 0x6581);
  /* A refused write (no PSC) costs nothing either. */
  cs_card_power (card, CS_POWER_RESET);
  g_assert_cmphex (send (card, "FFA4000001 05"), ==, 0x9000);
  g_assert_cmphex (send (card, "FFD0004001 00"), ==, 0x6982);
  g_assert_cmpuint (wear (card).bytes_written, ==, 0);
  g_assert_cmpuint (cs_card_get_sle4428_byte_writes (card, 0x008), ==, 0);
  g_assert_cmpuint (cs_card_get_sle4428_byte_writes (card, 0x3FD), ==, 0);
}

static void
test_protect_bits (void)
{
  g_autoptr (CsCard) card = new_verified ();
  CsSle4428Wear w;

  g_assert_cmphex (send (card, "FFD0001004 01020304"), ==, 0x9000);
  g_assert_cmphex (send (card, "FFD1001004 01020304"), ==, 0x9000);
  /* Protecting again sets nothing new; a mismatch sets nothing. */
  g_assert_cmphex (send (card, "FFD1001004 01020304"), ==, 0x9000);
  g_assert_cmphex (send (card, "FFD1001401 99"), ==, 0x6581);
  /* Writing a protected byte with its own value is no write. */
  g_assert_cmphex (send (card, "FFD0001001 01"), ==, 0x9000);
  w = wear (card);
  g_assert_cmpuint (w.protect_bits_set, ==, 4);
  g_assert_cmpuint (w.bytes_written, ==, 4);
  g_assert_cmpuint (cs_card_get_sle4428_byte_writes (card, 0x010), ==, 1);
}

static void
test_tear (void)
{
  g_autoptr (CsCard) card = new_verified ();

  cs_card_set_tear (card, 3);
  send (card, "FFD0004008 0102030405060708");
  g_assert_true (cs_card_was_torn (card));
  g_assert_cmpuint (wear (card).bytes_written, ==, 3);
  g_assert_cmpuint (cs_card_get_sle4428_byte_writes (card, 0x042), ==, 1);
  g_assert_cmpuint (cs_card_get_sle4428_byte_writes (card, 0x043), ==, 0);
}

static void
test_image (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsCard) card = new_verified ();
  g_autoptr (CsCard) blank = cs_card_new_sle4428 (sn);
  g_autoptr (CsCard) back = NULL;
  g_autoptr (CsCard) fmcos = cs_card_new_fmcos (sn);
  g_autofree char *text = NULL;
  g_autofree char *blank_text = cs_card_to_image (blank, NULL);
  g_autofree char *shown = NULL;
  CsSle4428Wear w;

  /* A card never written has no [wear] group. */
  g_assert_null (strstr (blank_text, "[wear]"));

  g_assert_cmphex (send (card, "FFD0002002 1234"), ==, 0x9000);
  g_assert_cmphex (send (card, "FFD0002002 1334"), ==, 0x9000);
  g_assert_cmphex (send (card, "FFD0031001 00"), ==, 0x9000);
  g_assert_cmphex (send (card, "FFD1031001 00"), ==, 0x9000);
  text = cs_card_to_image (card, NULL);
  g_assert_nonnull (strstr (text, "bytes-written=5\n"));
  g_assert_nonnull (strstr (text, "erase-write-cycles=1\n"));
  g_assert_nonnull (strstr (text, "write-only-cycles=4\n"));
  g_assert_nonnull (strstr (text, "protect-bits-set=1\n"));
  g_assert_nonnull (strstr (text, "\n020=2 2 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"));
  g_assert_nonnull (strstr (text, "\n310=1 0 0"));

  back = cs_card_new_from_image (text, strlen (text), &error);
  g_assert_no_error (error);
  w = wear (back);
  g_assert_cmpuint (w.bytes_written, ==, 5);
  g_assert_cmpuint (w.erase_write_cycles, ==, 1);
  g_assert_cmpuint (w.protect_bits_set, ==, 1);
  g_assert_cmpuint (cs_card_get_sle4428_byte_writes (back, 0x021), ==, 2);
  g_assert_cmpuint (cs_card_get_sle4428_byte_writes (back, 0x310), ==, 1);

  shown = cs_card_describe (back);
  g_assert_nonnull (strstr (shown, "writes:  5 bytes written (1 erase+write, 4 write-only cycles), "
                                   "1 protect bits set\n"));
  g_assert_nonnull (strstr (shown, "most written: byte 020, 2 times"));

  g_assert_false (cs_card_get_sle4428_wear (fmcos, &w));
  g_assert_cmpuint (w.bytes_written, ==, 0);
}

static void
expect_refused (const char *text, const char *from, const char *to)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) s = g_string_new (text);
  g_autoptr (CsCard) card = NULL;

  g_assert_cmpuint (g_string_replace (s, from, to, 1), ==, 1);
  card = cs_card_new_from_image (s->str, s->len, &error);
  g_assert_null (card);
  g_assert_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE);
}

static void
test_image_errors (void)
{
  g_autoptr (CsCard) card = new_verified ();
  g_autofree char *text = NULL;

  g_assert_cmphex (send (card, "FFD0002002 1234"), ==, 0x9000);
  text = cs_card_to_image (card, NULL);
  expect_refused (text, "bytes-written=2", "bytes-written=3");
  expect_refused (text, "write-only-cycles=2", "write-only-cycles=1");
  expect_refused (text, "020=1 1 0", "020=1 2 0");
  expect_refused (text, "020=1 1 0", "021=1 1 0");
  expect_refused (text, "020=1 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0", "020=1 1");
  expect_refused (text, "bytes-written=2", "bytes-written=-2");
  expect_refused (text, "protect-bits-set=0", "protect-bits=0");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sim/sle4428/wear/cycles", test_cycles);
  g_test_add_func ("/sim/sle4428/wear/not-written", test_not_written);
  g_test_add_func ("/sim/sle4428/wear/protect-bits", test_protect_bits);
  g_test_add_func ("/sim/sle4428/wear/tear", test_tear);
  g_test_add_func ("/sim/sle4428/wear/image", test_image);
  g_test_add_func ("/sim/sle4428/wear/image-errors", test_image_errors);
  return g_test_run ();
}
