/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-image.c: the card image loader (cs_card_new_from_image), both chip
 * models.  The input is image text.  An image that loads must save to text
 * that loads to the same card, describe itself, and survive a fixed round
 * of commands touching every file it can name: selects, reads, writes and
 * appends of several lengths by every SFI (an image that loads is a card
 * the simulator will serve).  Seeds: tests/fuzz/corpus/fuzz-image.
 */
#include <string.h>

#include "cl-key.h"
#include "cs-card.h"
#include "fuzz-util.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fz_quiet_logs ();
  cl_secure_init ();
  return 0;
}

static void
fz_xmit (CsCard *card, const guint8 *c, gsize n)
{
  guint8 r[CS_MAX_RESPONSE];
  gsize rlen = cs_card_transmit (card, c, n, r);

  FZ_CHECK (rlen >= 2 && rlen <= CS_SHORT_RESPONSE_MAX);
}

static void
fz_send (CsCard *card, guint8 cla, guint8 ins, guint8 p1, guint8 p2, gsize lc, gint le)
{
  guint8 c[5 + 255 + 1] = { cla, ins, p1, p2 };
  gsize n = 4;

  if (lc > 0)
    {
      c[n++] = lc;
      for (gsize i = 0; i < lc; i++)
        c[n++] = i;
    }
  if (le >= 0)
    c[n++] = le;
  fz_xmit (card, c, n);
}

static void
exercise_fmcos (CsCard *card)
{
  static const gsize lengths[] = { 1, 2, 4, 8, 16, 32, 100, 255 };

  for (guint sfi = 1; sfi <= 0x1F; sfi++)
    {
      guint8 fid[2] = { 0x00, sfi };
      guint8 select[7] = { 0x00, 0xA4, 0x00, 0x00, 0x02, fid[0], fid[1] };

      fz_send (card, 0x00, 0xB0, 0x80 | sfi, 0x00, 0, 0x00);
      fz_send (card, 0x00, 0xB2, 0x01, sfi << 3 | 4, 0, 0x00);
      for (gsize i = 0; i < G_N_ELEMENTS (lengths); i++)
        {
          fz_send (card, 0x00, 0xE2, 0x00, sfi << 3 | 4, lengths[i], -1);
          fz_send (card, 0x00, 0xDC, 0x01, sfi << 3 | 4, lengths[i], -1);
          fz_send (card, 0x00, 0xD6, 0x80 | sfi, 0x00, lengths[i], -1);
        }
      fz_send (card, 0x00, 0xB2, 0x02, sfi << 3 | 4, 0, 0x00);
      fz_xmit (card, select, sizeof select);
      fz_send (card, 0x00, 0xB0, 0x00, 0x00, 0, 0x00);
    }
  /* Keys: probes and wrong proofs of PINs and external keys 00-03. */
  for (guint kid = 0; kid < 4; kid++)
    {
      fz_send (card, 0x00, 0x20, 0x00, kid, 0, -1);
      fz_send (card, 0x00, 0x20, 0x00, kid, 6, -1);
      fz_send (card, 0x00, 0x84, 0x00, 0x00, 0, 0x04);
      fz_send (card, 0x00, 0x82, 0x00, kid, 8, -1);
      fz_send (card, 0x00, 0x88, 0x00, kid, 8, -1);
    }
  fz_send (card, 0x80, 0x0E, 0x00, 0x00, 0, -1);
  fz_send (card, 0x80, 0xE0, 0x00, 0x01, 7, -1);
}

static void
exercise_sle4428 (CsCard *card)
{
  static const guint8 select[6] = { 0xFF, 0xA4, 0x00, 0x00, 0x01, 0x05 };
  static const guint8 present[7] = { 0xFF, 0x20, 0x00, 0x00, 0x02, 0xFF, 0xFF };

  fz_xmit (card, select, sizeof select);
  for (guint a = 0; a < 0x400; a += 0x100)
    fz_send (card, 0xFF, 0xB0, a >> 8, a & 0xFF, 0, 0x00);
  fz_send (card, 0xFF, 0xB1, 0x00, 0x00, 0, 0x03);
  fz_send (card, 0xFF, 0xB2, 0x00, 0x00, 0, 0x20);
  fz_xmit (card, present, sizeof present);
  fz_send (card, 0xFF, 0xD0, 0x00, 0x20, 16, -1);
  fz_send (card, 0xFF, 0xD1, 0x00, 0x20, 16, -1);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (CsCard) card = NULL;
  g_autoptr (CsCard) copy = NULL;
  g_autofree char *text = NULL, *text2 = NULL, *d1 = NULL, *d2 = NULL;
  gsize len = 0, len2 = 0;

  card = cs_card_new_from_image ((const char *) data, size, NULL);
  if (card == NULL)
    return 0;
  text = cs_card_to_image (card, &len);
  copy = cs_card_new_from_image (text, len, NULL);
  FZ_CHECK (copy != NULL);
  text2 = cs_card_to_image (copy, &len2);
  FZ_CHECK (g_strcmp0 (text, text2) == 0);
  d1 = cs_card_describe (card);
  d2 = cs_card_describe (copy);
  FZ_CHECK (g_strcmp0 (d1, d2) == 0);

  cs_card_power (card, CS_POWER_ON);
  if (cs_card_get_kind (card) == CS_CARD_FMCOS)
    exercise_fmcos (card);
  else
    exercise_sle4428 (card);
  /* What the commands left is still a card that saves and loads. */
  g_clear_pointer (&text, g_free);
  g_clear_pointer (&copy, cs_card_free);
  text = cs_card_to_image (card, &len);
  copy = cs_card_new_from_image (text, len, NULL);
  FZ_CHECK (copy != NULL);
  return 0;
}
