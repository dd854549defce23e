/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-apdu: APDU round trips through pcscd + vpcd + the card simulator.
 *
 *   pcscd-harness -- bench-apdu [-n N] [--card sle4428|cpu]
 *
 * Puts a fresh card of the kind into its usual slot (SLE4428 in R2, CPU
 * card in R1), then times N cheap commands with SCardTransmit (SLE4428:
 * FF B1 read counter; CPU card: GET CHALLENGE) and prints min, median, p95,
 * mean and max in milliseconds.  See docs/performance.md.
 */
#include "config.h"

#include <glib.h>
#include <stdlib.h>
#include <time.h>

#include "cs-deck.h"
#include "pcsc-test-util.h"

#define WARMUP 50

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static gboolean
setup_card (CsCardKind kind, guint slot, SCARDCONTEXT *ctx, SCARDHANDLE *card, GError **error)
{
  g_autoptr (CsDeck) deck = NULL;
  g_autofree char *path = NULL;

  if (!pt_establish (ctx, error))
    return FALSE;
  deck = cs_deck_open (g_getenv ("INSUCARD_SIM_DECK"), error);
  if (!deck)
    return FALSE;
  path = cs_deck_new_card (deck, kind, NULL, error);
  if (!path || !cs_deck_insert (deck, slot, path, error))
    return FALSE;
  if (!pt_wait_card (*ctx, pt_reader_name (slot), TRUE, 10000, error))
    return FALSE;
  return pt_connect (*ctx, pt_reader_name (slot), card, error);
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) options = NULL;
  g_autofree char *card_kind = NULL;
  g_autofree double *ms = NULL;
  gint n = 2000;
  GOptionEntry entries[] = {
    { "count", 'n', 0, G_OPTION_ARG_INT, &n, "Round trips to time (default 2000)", "N" },
    { "card", 0, 0, G_OPTION_ARG_STRING, &card_kind, "sle4428 (default) or cpu", "KIND" },
    { NULL },
  };
  static const guint8 select_sle[] = { 0xFF, 0xA4, 0x00, 0x00, 0x01, 0x05 };
  static const guint8 cmd_sle[] = { 0xFF, 0xB1, 0x00, 0x00, 0x03 };
  static const guint8 cmd_cpu[] = { 0x00, 0x84, 0x00, 0x00, 0x04 };
  const guint8 *cmd;
  gsize cmd_len;
  CsCardKind kind = CS_CARD_SLE4428;
  guint slot;
  SCARDCONTEXT ctx;
  SCARDHANDLE card;
  guint8 rapdu[258];
  gsize rlen;
  double sum = 0;

  options = g_option_context_new ("- time APDU round trips through pcscd");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error)
      || (card_kind && !cs_card_kind_from_string (card_kind, &kind)) || n < 1)
    {
      g_printerr ("bench-apdu: %s\n", error ? error->message : "bad --card or -n");
      return 2;
    }
  if (!g_getenv ("PCSCD_HARNESS_PORT") || !g_getenv ("INSUCARD_SIM_DECK"))
    {
      g_printerr ("bench-apdu: run me under tests/integration/pcscd-harness\n");
      return 77;
    }

  slot = kind == CS_CARD_SLE4428 ? 1 : 0;
  cmd = kind == CS_CARD_SLE4428 ? cmd_sle : cmd_cpu;
  cmd_len = kind == CS_CARD_SLE4428 ? sizeof cmd_sle : sizeof cmd_cpu;
  if (!setup_card (kind, slot, &ctx, &card, &error))
    {
      g_printerr ("bench-apdu: %s\n", error->message);
      return 1;
    }
  rlen = sizeof rapdu;
  if (kind == CS_CARD_SLE4428
      && !pt_transmit (card, select_sle, sizeof select_sle, rapdu, &rlen, &error))
    {
      g_printerr ("bench-apdu: %s\n", error->message);
      return 1;
    }

  ms = g_new (double, n);
  for (gint i = -WARMUP; i < n; i++)
    {
      double t0 = now_ms ();

      rlen = sizeof rapdu;
      if (!pt_transmit (card, cmd, cmd_len, rapdu, &rlen, &error))
        {
          g_printerr ("bench-apdu: round trip %d: %s\n", i, error->message);
          return 1;
        }
      if (rapdu[rlen - 2] != 0x90 || rapdu[rlen - 1] != 0x00)
        {
          g_printerr ("bench-apdu: round trip %d: SW %02X%02X\n", i, rapdu[rlen - 2],
                      rapdu[rlen - 1]);
          return 1;
        }
      if (i >= 0)
        {
          ms[i] = now_ms () - t0;
          sum += ms[i];
        }
    }
  SCardDisconnect (card, SCARD_LEAVE_CARD);
  SCardReleaseContext (ctx);

  qsort (ms, n, sizeof *ms, compare_double);
  g_print ("bench-apdu: %d round trips of %s (%s) through pcscd + vpcd + simulator\n", n,
           kind == CS_CARD_SLE4428 ? "FF B1 00 00 03" : "00 84 00 00 04",
           cs_card_kind_to_string (kind));
  g_print ("min %.3f ms  median %.3f ms  p95 %.3f ms  mean %.3f ms  max %.3f ms\n", ms[0],
           ms[n / 2], ms[(gsize) ((n - 1) * 0.95)], sum / n, ms[n - 1]);
  return 0;
}
