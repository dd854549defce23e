/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pcsc-sle4428: the SLE4428 rules, seen through a real pcscd.
 *
 * Runs inside tests/integration/pcscd-harness: the simulator serves the
 * deck in $INSUCARD_SIM_DECK to vpcd, and this program talks libpcsclite
 * only (SCardConnect T=0, SCardTransmit) to reader R2, like the app does.
 * Every test takes a fresh blank card (PSC FFFF, counter FF) into slot 1.
 */
#include "config.h"

#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "cs-card.h"
#include "cs-deck.h"
#include "pcsc-test-util.h"

#define SLOT 1
#define WAIT_MS 5000

typedef struct {
  SCARDCONTEXT ctx;
  const char *reader;
  CsDeck *deck;
  char *card_path;
  SCARDHANDLE card;
  gboolean connected;
} Fixture;

/* Sends an APDU and checks the whole reply against expected hex. */
#define assert_apdu(f, capdu, want)                                                                \
  G_STMT_START                                                                                     \
  {                                                                                                \
    g_autoptr (GError) _e = NULL;                                                                  \
    g_autoptr (GBytes) _r = pt_transmit_hex ((f)->card, (capdu), &_e);                             \
    g_autofree char *_hex = NULL;                                                                  \
    g_assert_no_error (_e);                                                                        \
    _hex = pt_hex (_r);                                                                            \
    g_assert_cmpstr (_hex, ==, (want));                                                            \
  }                                                                                                \
  G_STMT_END

static void
connect_and_select (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  pt_connect (f->ctx, f->reader, &f->card, &error);
  g_assert_no_error (error);
  f->connected = TRUE;
  /* The ACS-style reader forgets the card type at every power-up. */
  assert_apdu (f, "FF A4 00 00 01 05", "90 00");
}

/* A power cycle through pcscd: vpcd sends POWER_OFF + POWER_ON. */
static void
power_cycle (Fixture *f)
{
  DWORD proto = 0;
  LONG rv =
      SCardReconnect (f->card, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0, SCARD_UNPOWER_CARD, &proto);

  g_assert_cmphex (rv, ==, SCARD_S_SUCCESS);
  assert_apdu (f, "FF A4 00 00 01 05", "90 00");
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->reader = pt_reader_name (SLOT);
  pt_establish (&f->ctx, &error);
  g_assert_no_error (error);
  f->deck = cs_deck_open (g_getenv ("INSUCARD_SIM_DECK"), &error);
  g_assert_no_error (error);

  /* Take out what a previous test left, so pcscd sees a new insertion. */
  if (cs_deck_get_slot_card (f->deck, SLOT))
    {
      cs_deck_remove (f->deck, SLOT, &error);
      g_assert_no_error (error);
      pt_wait_card (f->ctx, f->reader, FALSE, WAIT_MS, &error);
      g_assert_no_error (error);
    }
  f->card_path = cs_deck_new_card (f->deck, CS_CARD_SLE4428, NULL, &error);
  g_assert_no_error (error);
  cs_deck_insert (f->deck, SLOT, f->card_path, &error);
  g_assert_no_error (error);
  pt_wait_card (f->ctx, f->reader, TRUE, WAIT_MS, &error);
  g_assert_no_error (error);
  connect_and_select (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->connected)
    SCardDisconnect (f->card, SCARD_LEAVE_CARD);
  SCardReleaseContext (f->ctx);
  g_clear_pointer (&f->deck, cs_deck_free);
  g_clear_pointer (&f->card_path, g_free);
}

static void
test_psc_hidden_until_verified (Fixture *f, gconstpointer data)
{
  assert_apdu (f, "FF B0 03 FE 02", "00 00 90 00");
  assert_apdu (f, "FF 20 00 00 02 FF FF", "90 FF");
  assert_apdu (f, "FF B0 03 FE 02", "FF FF 90 00");
  /* Verification is volatile: a power cycle hides the PSC again. */
  power_cycle (f);
  assert_apdu (f, "FF B0 03 FE 02", "00 00 90 00");
}

static void
test_wrong_psc_counter (Fixture *f, gconstpointer data)
{
  assert_apdu (f, "FF B1 00 00 03", "FF 00 00 90 00");
  /* Each wrong code clears one counter bit, and it shows in both places. */
  assert_apdu (f, "FF 20 00 00 02 12 34", "90 FE");
  assert_apdu (f, "FF B1 00 00 03", "FE 00 00 90 00");
  assert_apdu (f, "FF 20 00 00 02 FF FE", "90 FC");
  assert_apdu (f, "FF B0 03 FE 02", "00 00 90 00");
  /* The counter survives a power cycle (it is EEPROM). */
  power_cycle (f);
  assert_apdu (f, "FF B1 00 00 03", "FC 00 00 90 00");
  /* The right code restores all eight tries. */
  assert_apdu (f, "FF 20 00 00 02 FF FF", "90 FF");
  assert_apdu (f, "FF B1 00 00 03", "FF 00 00 90 00");
}

static void
test_locked_after_eight (Fixture *f, gconstpointer data)
{
  static const char *const left[] = { "90 FE", "90 FC", "90 F8", "90 F0",
                                      "90 E0", "90 C0", "90 80", "90 00" };

  for (guint i = 0; i < G_N_ELEMENTS (left); i++)
    assert_apdu (f, "FF 20 00 00 02 00 00", left[i]);
  /* Locked for good: not even the right code, and no writes. */
  assert_apdu (f, "FF 20 00 00 02 FF FF", "69 83");
  assert_apdu (f, "FF D0 00 40 01 AA", "69 83");
  assert_apdu (f, "FF B0 00 40 01", "FF 90 00"); /* reading still works */
  assert_apdu (f, "FF B1 00 00 03", "00 00 00 90 00");
}

static void
test_write_needs_psc (Fixture *f, gconstpointer data)
{
  assert_apdu (f, "FF D0 00 40 02 AA 55", "69 82");
  assert_apdu (f, "FF B0 00 40 02", "FF FF 90 00");
  assert_apdu (f, "FF 20 00 00 02 FF FF", "90 FF");
  assert_apdu (f, "FF D0 00 40 02 AA 55", "90 00");
  assert_apdu (f, "FF B0 00 40 02", "AA 55 90 00");
  /* The factory header and serial are protected from the start. */
  assert_apdu (f, "FF B2 00 00 02", "00 00 90 00");
  assert_apdu (f, "FF D0 00 00 01 00", "65 81");
}

static void
test_protection_one_time (Fixture *f, gconstpointer data)
{
  assert_apdu (f, "FF 20 00 00 02 FF FF", "90 FF");
  assert_apdu (f, "FF D0 00 40 02 AA 55", "90 00");
  assert_apdu (f, "FF B2 00 40 01", "FF 90 00");
  /* Compare-and-protect: a mismatching byte stays writable. */
  assert_apdu (f, "FF D1 00 42 01 00", "65 81");
  assert_apdu (f, "FF D1 00 40 02 AA 55", "90 00");
  assert_apdu (f, "FF B2 00 40 01", "FC 90 00");
  assert_apdu (f, "FF D0 00 40 02 00 00", "65 81");
  assert_apdu (f, "FF B0 00 40 03", "AA 55 FF 90 00");
  /* Still protected after a power cycle and a fresh verification. */
  power_cycle (f);
  assert_apdu (f, "FF 20 00 00 02 FF FF", "90 FF");
  assert_apdu (f, "FF B2 00 40 01", "FC 90 00");
  assert_apdu (f, "FF D0 00 40 01 00", "65 81");
  assert_apdu (f, "FF D0 00 42 01 42", "90 00");
}

/* Reads the image back from disk, as another process would. */
static GBytes *
image_apdu (CsCard *card, const guint8 *capdu, gsize clen)
{
  g_autofree guint8 *rapdu = g_malloc (CS_MAX_RESPONSE);
  gsize rlen = cs_card_transmit (card, capdu, clen, rapdu);

  return g_bytes_new (rapdu, rlen);
}

static void
assert_image_apdu (CsCard *card, const guint8 *capdu, gsize clen, const char *want)
{
  g_autoptr (GBytes) r = image_apdu (card, capdu, clen);
  g_autofree char *hex = pt_hex (r);

  g_assert_cmpstr (hex, ==, want);
}

static void
test_image_updated (Fixture *f, gconstpointer data)
{
  static const guint8 select[] = { 0xFF, 0xA4, 0x00, 0x00, 0x01, 0x05 };
  static const guint8 read_data[] = { 0xFF, 0xB0, 0x00, 0x80, 0x04 };
  static const guint8 read_prot[] = { 0xFF, 0xB2, 0x00, 0x80, 0x01 };
  static const guint8 read_errcnt[] = { 0xFF, 0xB1, 0x00, 0x00, 0x03 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) serial = NULL;
  g_autoptr (CsCard) card = NULL;

  serial = pt_transmit_hex (f->card, "FF B0 00 08 08", &error);
  g_assert_no_error (error);
  assert_apdu (f, "FF 20 00 00 02 FF FF", "90 FF");
  assert_apdu (f, "FF D0 00 80 04 11 22 33 44", "90 00");
  assert_apdu (f, "FF D1 00 80 02 11 22", "90 00");
  assert_apdu (f, "FF 20 00 00 02 00 01", "90 FE"); /* leave one try spent */
  SCardDisconnect (f->card, SCARD_LEAVE_CARD);
  f->connected = FALSE;

  card = cs_card_load (f->card_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cs_card_get_kind (card), ==, CS_CARD_SLE4428);
  g_assert_cmpmem (cs_card_get_serial (card), CS_SERIAL_LEN, g_bytes_get_data (serial, NULL),
                   CS_SERIAL_LEN);
  cs_card_power (card, CS_POWER_ON);
  assert_image_apdu (card, select, sizeof select, "90 00");
  assert_image_apdu (card, read_data, sizeof read_data, "11 22 33 44 90 00");
  assert_image_apdu (card, read_prot, sizeof read_prot, "FC 90 00");
  assert_image_apdu (card, read_errcnt, sizeof read_errcnt, "FE 00 00 90 00");
}

/* A card pulled mid-command (fault pull-after) is a removal for pcscd; the
 * same card put back is a new insertion and keeps what landed before. */
static void
test_pulled_card (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) r = NULL;

  assert_apdu (f, "FF 20 00 00 02 FF FF", "90 FF"); /* APDU 2 of this insertion */
  assert_apdu (f, "FF D0 00 40 01 5A", "90 00"); /* 3 */
  cs_deck_set_faults (f->deck, SLOT, "pull-after=4", &error);
  g_assert_no_error (error);
  r = pt_transmit_hex (f->card, "FF B0 00 40 01", &error);
  g_assert_null (r);
  g_assert_nonnull (error);
  g_test_message ("transmit to a pulled card: %s", error->message);
  g_clear_error (&error);
  pt_wait_card (f->ctx, f->reader, FALSE, WAIT_MS, &error);
  g_assert_no_error (error);
  cs_deck_reload (f->deck, NULL, &error); /* the simulator took it out of deck.ini */
  g_assert_no_error (error);
  g_assert_null (cs_deck_get_slot_card (f->deck, SLOT));
  SCardDisconnect (f->card, SCARD_LEAVE_CARD);
  f->connected = FALSE;

  cs_deck_insert (f->deck, SLOT, f->card_path, &error);
  g_assert_no_error (error);
  pt_wait_card (f->ctx, f->reader, TRUE, WAIT_MS, &error);
  g_assert_no_error (error);
  connect_and_select (f);
  assert_apdu (f, "FF B0 00 40 01", "5A 90 00");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (!g_getenv ("PCSCD_HARNESS_PORT") || !g_getenv ("INSUCARD_SIM_DECK"))
    {
      g_printerr ("run me under tests/integration/pcscd-harness\n");
      return 77;
    }

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/pcsc/sle4428/psc-hidden-until-verified", test_psc_hidden_until_verified);
  ADD ("/pcsc/sle4428/wrong-psc-counter", test_wrong_psc_counter);
  ADD ("/pcsc/sle4428/locked-after-eight", test_locked_after_eight);
  ADD ("/pcsc/sle4428/write-needs-psc", test_write_needs_psc);
  ADD ("/pcsc/sle4428/protection-one-time", test_protection_one_time);
  ADD ("/pcsc/sle4428/image-updated", test_image_updated);
  ADD ("/pcsc/sle4428/pulled-card", test_pulled_card);
#undef ADD
  return g_test_run ();
}
