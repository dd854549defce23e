/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-card-quirks.c: cards and readers the simulator does not model, over
 * a fake backend (fake-backend.h): old ACR38 firmware where FF B2 reads
 * memory, and CPU cards whose ATR carries no serial. */
#include "config.h"

#include <string.h>

#include "cl-error.h"
#include "cl-kind.h"
#include "cl-sle4428.h"
#include "fake-backend.h"

/* -- an SLE4428 behind old ACR38 firmware --------------------------------------------- */

typedef struct {
  guint8 mem[CL_SLE4428_SIZE];
  gboolean prot[CL_SLE4428_SIZE];
} Legacy;

static void
legacy_init (Legacy *c)
{
  /* A serial that starts with 00: one byte of FF B2 cannot tell memory
   * from eight protect bits here. */
  static const guint8 head[16] = { 0xA2, 0x13, 0x10, 0x91, 0xFF, 0xFF, 0x81, 0x15,
                                   0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77 };

  memset (c->mem, 0xFF, sizeof c->mem);
  memcpy (c->mem, head, sizeof head);
  for (guint i = 0; i < CL_SLE4428_SIZE; i++)
    c->prot[i] = i < 16 || (i >= 0x20 && i < 0x24);
}

/* Old firmware (Reference Manual v1.9/v2.2): FF B0 = memory followed by
 * 1 + INT(N/8) protect bytes (bit 1 = writable), FF B2 = memory alone. */
static void
legacy_respond (const guint8 *c, gsize clen, guint8 *r, gsize *rlen, gpointer data)
{
  Legacy *card = data;
  guint addr = clen >= 4 ? ((c[2] & 0x03) << 8) | c[3] : 0;
  gsize n = clen >= 5 ? (c[4] == 0 ? 256 : c[4]) : 0;

  if (c[0] != 0xFF || clen < 5)
    {
      tu_fake_reply (r, rlen, "6E00");
      return;
    }
  if (c[1] == 0xA4)
    tu_fake_reply (r, rlen, "9000");
  else if (c[1] == 0xB1)
    tu_fake_reply (r, rlen, "FF00009000");
  else if ((c[1] == 0xB0 || c[1] == 0xB2) && addr + n <= CL_SLE4428_SIZE)
    {
      gsize len = n;

      memcpy (r, card->mem + addr, n);
      if (c[1] == 0xB0)
        {
          gsize pbytes = 1 + n / 8;

          memset (r + n, 0, pbytes);
          for (gsize i = 0; i < n; i++)
            if (!card->prot[addr + i])
              r[n + i / 8] |= 1 << (i % 8);
          len += pbytes;
        }
      r[len] = 0x90;
      r[len + 1] = 0x00;
      *rlen = len + 2;
    }
  else
    tu_fake_reply (r, rlen, "6B00");
}

static void
test_acr38_b2_is_memory (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  gboolean map[48];
  Legacy c;

  legacy_init (&c);
  card = tu_fake_card_new ("3B0492231091", legacy_respond, &c, NULL);
  g_assert_true (cl_sle4428_read_protection (card, 0, G_N_ELEMENTS (map), map, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    g_assert_cmpint (map[i], ==, c.prot[i]);
}

/* -- CPU cards and their info file -------------------------------------------------------- */

static const guint8 info_serial[8] = { 0xC0, 0xFF, 0xEE, 0x00, 0x11, 0x22, 0x33, 0x44 };

typedef struct {
  guint8 info[CL_INFO_LEN];
  guint16 selected;
} CpuCard;

/* A CPU card with an MF, the info EF 0003 of a KTC, nothing else. */
static void
cpu_respond (const guint8 *c, gsize clen, guint8 *r, gsize *rlen, gpointer data)
{
  CpuCard *card = data;

  if (clen == 7 && c[0] == 0x00 && c[1] == 0xA4 && c[2] == 0x00 && c[4] == 0x02)
    {
      guint16 fid = (c[5] << 8) | c[6];

      if (fid == 0x3F00 || fid == CL_INFO_EF)
        {
          card->selected = fid;
          tu_fake_reply (r, rlen, "9000");
        }
      else
        tu_fake_reply (r, rlen, "6A82");
    }
  else if (clen == 5 && c[0] == 0x00 && c[1] == 0xB0 && card->selected == CL_INFO_EF)
    tu_fake_reply_bytes (r, rlen, card->info, MIN (c[4], CL_INFO_LEN), 0x9000);
  else
    tu_fake_reply (r, rlen, "6D00");
}

static ClCardKind
detect_with_atr (const char *atr)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autofree guint8 *d = NULL;
  ClCardInfo info = { .kind = CL_CARD_KIND_KTC }, found;
  CpuCard c = { { 0 } };
  gsize len = 0;

  memcpy (info.serial, info_serial, 8);
  d = cl_card_info_build (&info, &len);
  memcpy (c.info, d, len);
  card = tu_fake_card_new (atr, cpu_respond, &c, NULL);
  g_assert_true (cl_card_detect (card, &found, NULL, &error));
  g_assert_no_error (error);
  return found.kind;
}

static void
test_info_needs_atr_serial (void)
{
  /* The ATR names the serial the info file names: ours. */
  g_assert_cmpint (detect_with_atr ("3B0A4943C0FFEE0011223344"), ==, CL_CARD_KIND_KTC);
  /* Another serial in the ATR: a copied info file. */
  g_assert_cmpint (detect_with_atr ("3B0A4943C0FFEE0011223345"), ==, CL_CARD_KIND_CPU_OTHER);
  /* No serial in the ATR at all: the copy cannot be told apart, so it is
   * not taken for one of ours. */
  g_assert_cmpint (detect_with_atr ("3B021450"), ==, CL_CARD_KIND_CPU_OTHER);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();
  g_test_add_func ("/card-quirks/acr38-b2-is-memory", test_acr38_b2_is_memory);
  g_test_add_func ("/card-quirks/info-needs-atr-serial", test_info_needs_atr_serial);
  return g_test_run ();
}
