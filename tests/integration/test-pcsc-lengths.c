/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pcsc-lengths: reply lengths of both simulated cards through a real
 * pcscd + vpcd.  No reply may exceed a short R-APDU (256 data bytes and the
 * SW), whatever the file size or Le (docs/card-formats.md, "FMCOS
 * simulator", "Lengths").  tools/run-tests also runs this program against
 * the AddressSanitizer build of the simulator, where an answer copied past
 * its buffer kills the simulator instead of passing unnoticed.
 */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "cl-codec.h"
#include "cl-crypto.h"
#include "cs-card.h"
#include "cs-deck.h"
#include "pcsc-test-util.h"

#define WAIT_MS 5000
#define BIG 600 /* bytes of the MAC-protected EF: more than one reply holds */

static const guint8 line_key[16] = { 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22,
                                     0x33, 0x33, 0x33, 0x33, 0x44, 0x44, 0x44, 0x44 };

typedef struct {
  SCARDCONTEXT ctx;
  CsDeck *deck;
  SCARDHANDLE card;
  gboolean connected;
  guint8 data[BIG];
} Fixture;

static guint8
data_byte (guint i)
{
  return i * 7 + 3;
}

/* A CPU card whose MF holds a line key 36/00 and EF 0009: binary, BIG
 * bytes, MAC on reads and writes (type A8, access 7F: line key 00). */
static char *
cpu_image (void)
{
  g_autoptr (GString) s = g_string_new (NULL);
  g_autofree char *key = cl_hex_encode (line_key, sizeof line_key);

  g_string_append (s, "[card]\nformat=1\nkind=cpu\nserial=C0FFEE0000000009\n"
                      "[file 3F00]\ntype=df\nspace=8192\ncreate=F0\nerase=F0\napp-id=00\nname=\n"
                      "[file 3F00/0000]\ntype=key\nspace=256\napp-id=00\nadd=F0\n"
                      "[key 3F00 36/00]\ntype=36\nuse=F0\nchange=F0\nreserved=FF\nerrors=33\n");
  g_string_append_printf (s, "value=%s\n", key);
  g_string_append_printf (s,
                          "[file 3F00/0009]\ntype=binary\ntype-byte=A8\nsize=%u\nread=F0\n"
                          "write=F0\naccess=7F\ndata=",
                          BIG);
  for (guint i = 0; i < BIG; i++)
    g_string_append_printf (s, "%02X", data_byte (i));
  g_string_append_c (s, '\n');
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
insert (Fixture *f, guint slot, const char *path)
{
  g_autoptr (GError) error = NULL;
  const char *reader = pt_reader_name (slot);

  cs_deck_insert (f->deck, slot, path, &error);
  g_assert_no_error (error);
  pt_wait_card (f->ctx, reader, TRUE, WAIT_MS, &error);
  g_assert_no_error (error);
  pt_connect (f->ctx, reader, &f->card, &error);
  g_assert_no_error (error);
  f->connected = TRUE;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  pt_establish (&f->ctx, &error);
  g_assert_no_error (error);
  f->deck = cs_deck_open (g_getenv ("INSUCARD_SIM_DECK"), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < BIG; i++)
    f->data[i] = data_byte (i);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  if (f->connected)
    SCardDisconnect (f->card, SCARD_LEAVE_CARD);
  SCardReleaseContext (f->ctx);
  g_clear_pointer (&f->deck, cs_deck_free);
}

/* One exchange with a receive buffer far larger than a short reply, so an
 * over-long reply shows as such; returns the SW, the data in *out. */
static guint16
xfer (Fixture *f, const guint8 *c, gsize clen, GByteArray **out)
{
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *r = g_malloc (CS_MAX_RESPONSE);
  gsize rlen = CS_MAX_RESPONSE;

  g_assert_true (pt_transmit (f->card, c, clen, r, &rlen, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rlen, <=, CS_SHORT_RESPONSE_MAX);
  if (out)
    {
      *out = g_byte_array_new ();
      g_byte_array_append (*out, r, rlen - 2);
    }
  return (r[rlen - 2] << 8) | r[rlen - 1];
}

/* 04 B0 P1 P2 04 MAC4 (no Le, as T=0 sends case 4) after GET CHALLENGE. */
static guint16
sm_read (Fixture *f, guint offset)
{
  static const guint8 challenge[5] = { 0x00, 0x84, 0x00, 0x00, 0x04 };
  g_autoptr (GByteArray) rnd = NULL;
  g_autoptr (ClKey) key = cl_key_new_from_data (line_key, sizeof line_key);
  g_autoptr (GError) error = NULL;
  guint8 c[9] = { 0x04, 0xB0, offset >> 8, offset & 0xFF, 0x04 };
  guint8 iv[8] = { 0 }, mac[8];

  g_assert_cmphex (xfer (f, challenge, sizeof challenge, &rnd), ==, 0x9000);
  g_assert_cmpuint (rnd->len, ==, 4);
  memcpy (iv, rnd->data, 4);
  g_assert_true (cl_mac3 (key, iv, CL_PAD_METHOD_2, c, 5, mac, &error));
  g_assert_no_error (error);
  memcpy (c + 5, mac, 4);
  return xfer (f, c, sizeof c, NULL);
}

static guint16
get_response (Fixture *f, guint8 le, GByteArray **out)
{
  const guint8 c[5] = { 0x00, 0xC0, 0x00, 0x00, le };

  return xfer (f, c, sizeof c, out);
}

/* The overflow: a MAC'd READ BINARY without Le of an EF larger than one
 * reply used to copy the whole file into the answer buffer. */
static void
test_cpu_sm_read_big_ef (Fixture *f, gconstpointer data)
{
  static const guint8 select_ef[7] = { 0x00, 0xA4, 0x00, 0x0C, 0x02, 0x00, 0x09 };
  g_autoptr (GError) error = NULL;
  g_autofree char *text = cpu_image ();
  g_autofree char *path = g_build_filename (g_getenv ("INSUCARD_SIM_DECK"), "big-ef.card", NULL);
  g_autoptr (GByteArray) got = NULL;
  g_autoptr (GByteArray) tail = NULL;

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  insert (f, 0, path);

  g_assert_cmphex (xfer (f, select_ef, sizeof select_ef, NULL), ==, 0x9000);
  /* To the end of the file within 256 bytes: 61 00, then Le 00. */
  g_assert_cmphex (sm_read (f, 0), ==, 0x6100);
  g_assert_cmphex (get_response (f, 0x00, &got), ==, 0x9000);
  g_assert_cmpmem (got->data, got->len, f->data, 256);
  /* The rest from 0x200: 88 bytes. */
  g_assert_cmphex (sm_read (f, 0x200), ==, 0x6158);
  g_assert_cmphex (get_response (f, 0x58, &tail), ==, 0x9000);
  g_assert_cmpmem (tail->data, tail->len, f->data + 0x200, BIG - 0x200);
  /* The simulator is still there and answers. */
  g_assert_cmphex (xfer (f, select_ef, sizeof select_ef, NULL), ==, 0x9000);
}

static void
test_sle4428_long_reads (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = cs_deck_new_card (f->deck, CS_CARD_SLE4428, NULL, &error);
  static const guint8 select_type[6] = { 0xFF, 0xA4, 0x00, 0x00, 0x01, 0x05 };
  static const guint8 read_256[5] = { 0xFF, 0xB0, 0x03, 0x00, 0x00 };
  static const guint8 read_past[5] = { 0xFF, 0xB0, 0x03, 0x01, 0x00 };
  static const guint8 prot_max[5] = { 0xFF, 0xB2, 0x00, 0x00, 0x20 };
  static const guint8 prot_zero[5] = { 0xFF, 0xB2, 0x00, 0x00, 0x00 };
  static const guint8 errcnt_zero[5] = { 0xFF, 0xB1, 0x00, 0x00, 0x00 };
  g_autoptr (GByteArray) got = NULL;
  g_autoptr (GByteArray) bits = NULL;

  g_assert_no_error (error);
  insert (f, 1, path);
  g_assert_cmphex (xfer (f, select_type, sizeof select_type, NULL), ==, 0x9000);
  /* Le 00 = 256: the whole last quarter, PSC bytes hidden. */
  g_assert_cmphex (xfer (f, read_256, sizeof read_256, &got), ==, 0x9000);
  g_assert_cmpuint (got->len, ==, 256);
  g_assert_cmphex (got->data[0xFE], ==, 0x00);
  g_assert_cmphex (xfer (f, read_past, sizeof read_past, NULL), ==, 0x6B00);
  g_assert_cmphex (xfer (f, prot_max, sizeof prot_max, &bits), ==, 0x9000);
  g_assert_cmpuint (bits->len, ==, 32);
  g_assert_cmphex (xfer (f, prot_zero, sizeof prot_zero, NULL), ==, 0x6700);
  g_assert_cmphex (xfer (f, errcnt_zero, sizeof errcnt_zero, NULL), ==, 0x6700);
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
  cl_secure_init ();

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/pcsc/lengths/cpu-sm-read-big-ef", test_cpu_sm_read_big_ef);
  ADD ("/pcsc/lengths/sle4428-long-reads", test_sle4428_long_reads);
#undef ADD
  return g_test_run ();
}
