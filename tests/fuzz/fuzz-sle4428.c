/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-sle4428.c: random reader pseudo-APDUs against a personalised
 * simulated SLE4428 (written memory, protected bytes, a PSC of its own).
 *
 * The input is a program of operations, each one byte and its operands:
 *   0-3  raw APDU: length, bytes
 *   4    power event (off, on, reset)
 *   5    PRESENT CODE with the right PSC
 *   6    SELECT CARD TYPE 05
 *   7    a tear of the next write after B bytes
 * Invariants: every reply is 2..258 bytes; the image a changed card saves
 * loads again and saves to the same text.
 */
#include <string.h>

#include "cs-card.h"
#include "fuzz-util.h"
#include "test-util.h"

static const guint8 serial[CS_SERIAL_LEN] = { 0x44, 0x28, 0x00, 0x00, 0xF0, 0x22, 0x00, 0x01 };
static const guint8 psc[2] = { 0x12, 0x34 };

static char *image;
static gsize image_len;

static guint16
fz_xmit (CsCard *card, const guint8 *c, gsize n)
{
  guint8 r[CS_MAX_RESPONSE];
  gsize rlen = cs_card_transmit (card, c, n, r);

  FZ_CHECK (rlen >= 2 && rlen <= CS_SHORT_RESPONSE_MAX);
  if (cs_card_was_torn (card))
    {
      cs_card_set_tear (card, -1);
      cs_card_power (card, CS_POWER_ON);
    }
  return (r[rlen - 2] << 8) | r[rlen - 1];
}

static void
setup_apdu (CsCard *card, const char *hex)
{
  gsize n = 0;
  g_autofree guint8 *c = tu_unhex (hex, &n);

  g_assert_cmphex (fz_xmit (card, c, n) >> 8, ==, 0x90);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr (CsCard) card = NULL;

  fz_quiet_logs ();
  cl_secure_init ();
  card = cs_card_new_sle4428 (serial);
  cs_card_power (card, CS_POWER_ON);
  setup_apdu (card, "FFA4000001 05");
  setup_apdu (card, "FF20000002 FFFF");
  /* A card-number block, protected; a status block; the new PSC. */
  setup_apdu (card, "FFD0001010 01330100123456789020260101010000");
  setup_apdu (card, "FFD1001010 01330100123456789020260101010000");
  setup_apdu (card, "FFD000A008 0100000000000000");
  setup_apdu (card, "FFD003FE02 1234");
  cs_card_power (card, CS_POWER_RESET);
  image = cs_card_to_image (card, &image_len);
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (CsCard) card = cs_card_new_from_image (image, image_len, NULL);
  g_autoptr (CsCard) copy = NULL;
  g_autofree char *text = NULL, *text2 = NULL;
  FzInput in = { data, size };
  gsize len = 0, len2 = 0;

  g_assert (card != NULL);
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
        case 3:
          n = fz_take (&in, fz_byte (&in), &apdu);
          fz_xmit (card, apdu, n);
          break;
        case 4:
          cs_card_power (card, fz_byte (&in) % 3);
          break;
        case 5:
          {
            guint8 c[7] = { 0xFF, 0x20, 0x00, 0x00, 0x02, psc[0], psc[1] };

            fz_xmit (card, c, sizeof c);
          }
          break;
        case 6:
          {
            static const guint8 c[6] = { 0xFF, 0xA4, 0x00, 0x00, 0x01, 0x05 };

            fz_xmit (card, c, sizeof c);
          }
          break;
        default:
          cs_card_set_tear (card, fz_byte (&in) % 32);
          break;
        }
    }

  if (!cs_card_is_dirty (card))
    return 0;
  text = cs_card_to_image (card, &len);
  copy = cs_card_new_from_image (text, len, NULL);
  FZ_CHECK (copy != NULL);
  text2 = cs_card_to_image (copy, &len2);
  FZ_CHECK (g_strcmp0 (text, text2) == 0);
  return 0;
}
