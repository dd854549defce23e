/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-fmcos.c: random APDUs against a personalised simulated FMCOS card.
 *
 * The input is a program of operations, each one byte and its operands:
 *   0-2  raw APDU: length, bytes
 *   3    power event (off, on, reset)
 *   4    secure-messaging APDU built by the harness, which knows the keys:
 *        key/flags byte, CLA INS P1 P2, length, data; GET CHALLENGE first,
 *        line encryption if asked, the MAC appended, an optional trailing Le
 *   5    EXTERNAL AUTHENTICATE with the right cryptogram of a known key
 *   6    VERIFY with the right PIN (DF 3F00, key 01)
 *   7    a tear of the next write after B bytes
 * so that the fuzzer reaches the commands behind a MAC or a key.
 * Invariants: every reply is 2..258 bytes; the image saved at the end (and
 * at every mid-APDU commit) loads again and saves to the same text.
 * 0009 and 000A hold 288 bytes: more than one reply carries.
 */
#include "fuzz-util.h"
#include "sim-fmcos-util.h"

static char *image; /* the personalised card, as image text */
static gsize image_len;

typedef struct {
  const guint8 *key;
  gsize len;
} FzKey;

static const FzKey keys[] = {
  { k_transport, 16 }, { k_master, 16 }, { k_line, 16 }, { k_unblock, 16 },
  { k_reload, 16 },    { k_enc, 16 },    { k_dec, 16 },  { k_mac8, 8 },
};

/* More files than the tests' card: large binary and record EFs behind a
 * MAC, a line-encrypted one, a write-once one, and an ADF with keys. */
static CsCard *
fuzz_card (void)
{
  CsCard *card = personalised_card ();

  g_assert_cmphex (ext_auth (card, 0x00, k_master, 16), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00009 07 A8 0120 F0 F0 00 7F"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E0000A 07 28 0120 F0 F0 00 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E0000B 07 AA 02FB F0 F0 00 7F"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E0000C 07 E8 0100 F0 F0 00 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E0000D 07 28 0010 F0 F0 01 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E0000E 07 2E 03FF F0 F0 00 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E0DF01 10 38 0400 F0 F0 95 FFFF 494E535543415244"), ==,
                   0x9000);
  g_assert_cmphex (send_hex (card, "80E00000 07 3F 0100 95 F0 FFFF"), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x00, 0x39, 0xF0, 0xF0, 0x02, 0x55, k_master, 16), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x01, 0x3A, 0xF0, 0xEF, 0x01, 0x22, pin, 6), ==, 0x9000);
  g_assert_cmphex (add_key (card, 0x00, 0x36, 0xF0, 0xF0, 0xFF, 0x33, k_line, 16), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00015 07 28 0040 01 12 00 FF"), ==, 0x9000);
  g_assert_cmphex (send_hex (card, "80E00016 07 2A 0520 F0 F0 00 FF"), ==, 0x9000);
  cs_card_power (card, CS_POWER_RESET);
  return card;
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr (CsCard) card = NULL;

  fz_quiet_logs ();
  cl_secure_init ();
  card = fuzz_card ();
  image = cs_card_to_image (card, &image_len);
  return 0;
}

static guint16
fz_xmit (CsCard *card, const guint8 *c, gsize n, GByteArray *data)
{
  guint8 r[CS_MAX_RESPONSE];
  gsize rlen = cs_card_transmit (card, c, n, r);

  FZ_CHECK (rlen >= 2 && rlen <= CS_SHORT_RESPONSE_MAX);
  if (data)
    g_byte_array_append (g_byte_array_set_size (data, 0), r, rlen - 2);
  if (cs_card_was_torn (card))
    {
      /* The slot would pull the card; put it back in, powered. */
      cs_card_set_tear (card, -1);
      cs_card_power (card, CS_POWER_ON);
    }
  return (r[rlen - 2] << 8) | r[rlen - 1];
}

/* The challenge of a GET CHALLENGE, as an 8-byte IV or auth block. */
static void
fz_challenge (CsCard *card, guint8 n, guint8 block[8])
{
  g_autoptr (GByteArray) rnd = g_byte_array_new ();
  guint8 c[5] = { 0x00, 0x84, 0x00, 0x00, n };

  memset (block, 0, 8);
  if (fz_xmit (card, c, sizeof c, rnd) == 0x9000 && rnd->len == n)
    memcpy (block, rnd->data, n);
}

static void
op_secure (CsCard *card, FzInput *in)
{
  guint8 flags = fz_byte (in);
  const FzKey *k = &keys[flags % G_N_ELEMENTS (keys)];
  guint8 c[5 + 255 + 1], iv[8], payload[256];
  const guint8 *data;
  gsize len, plen;

  for (guint i = 0; i < 4; i++)
    c[i] = fz_byte (in);
  len = fz_take (in, fz_byte (in), &data);
  if (flags & 0x80)
    plen = line_encrypt (k->key, k->len, data, MIN (len, 246), payload);
  else
    memcpy (payload, data, plen = MIN (len, 251));
  fz_challenge (card, flags & 0x40 ? 8 : 4, iv);
  c[4] = plen + 4;
  memcpy (c + 5, payload, plen);
  mac_first4 (k->key, k->len, iv, c, 5 + plen, c + 5 + plen);
  if (flags & 0x20)
    {
      c[5 + plen + 4] = fz_byte (in);
      fz_xmit (card, c, 5 + plen + 4 + 1, NULL);
    }
  else
    fz_xmit (card, c, 5 + plen + 4, NULL);
}

static void
op_ext_auth (CsCard *card, FzInput *in)
{
  guint8 b = fz_byte (in);
  const FzKey *k = &keys[b % G_N_ELEMENTS (keys)];
  guint8 block[8], c[5 + 8] = { 0x00, 0x82, 0x00, fz_byte (in), 0x08 };

  fz_challenge (card, b & 0x80 ? 8 : 4, block);
  des_ecb (TRUE, k->key, k->len, block, 8, c + 5);
  fz_xmit (card, c, sizeof c, NULL);
}

/* The image saved mid-APDU must be a loadable one.  Checked at the first
 * commit of an input only: a program of many VERIFYs would otherwise spend
 * its time saving and loading. */
static void
on_commit (CsCard *card, gpointer data)
{
  gboolean *checked = data;
  gsize len = 0;
  g_autofree char *text = NULL;
  g_autoptr (CsCard) copy = NULL;

  if (*checked)
    return;
  *checked = TRUE;
  text = cs_card_to_image (card, &len);
  copy = cs_card_new_from_image (text, len, NULL);
  FZ_CHECK (copy != NULL);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (CsCard) card = cs_card_new_from_image (image, image_len, NULL);
  g_autoptr (CsCard) copy = NULL;
  g_autofree char *text = NULL, *text2 = NULL, *d1 = NULL, *d2 = NULL;
  FzInput in = { data, size };
  gsize len = 0, len2 = 0;
  gboolean commit_checked = FALSE;

  g_assert (card != NULL);
  cs_card_set_commit_func (card, on_commit, &commit_checked);
  cs_card_power (card, CS_POWER_ON);
  while (in.left > 0)
    {
      guint8 op = fz_byte (&in);
      const guint8 *apdu;
      gsize n;

      switch (op % 8)
        {
        case 0:
        case 1:
        case 2:
          n = fz_take (&in, fz_byte (&in), &apdu);
          fz_xmit (card, apdu, n, NULL);
          break;
        case 3:
          cs_card_power (card, fz_byte (&in) % 3);
          break;
        case 4:
          op_secure (card, &in);
          break;
        case 5:
          op_ext_auth (card, &in);
          break;
        case 6:
          {
            guint8 c[5 + 6] = { 0x00, 0x20, 0x00, 0x01, 0x06 };

            memcpy (c + 5, pin, 6);
            fz_xmit (card, c, sizeof c, NULL);
          }
          break;
        default:
          cs_card_set_tear (card, fz_byte (&in) % 32);
          break;
        }
    }

  /* Whatever happened, the card saves an image that loads as the same
   * (unchanged cards are the image they were loaded from). */
  if (!cs_card_is_dirty (card))
    return 0;
  text = cs_card_to_image (card, &len);
  copy = cs_card_new_from_image (text, len, NULL);
  FZ_CHECK (copy != NULL);
  text2 = cs_card_to_image (copy, &len2);
  FZ_CHECK (g_strcmp0 (text, text2) == 0);
  d1 = cs_card_describe (card);
  d2 = cs_card_describe (copy);
  FZ_CHECK (g_strcmp0 (d1, d2) == 0);
  return 0;
}
