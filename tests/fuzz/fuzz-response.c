/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-response.c: the host's pure parsers of what comes from a card or a
 * file.  The first input byte picks one, the rest is its input:
 *   0  R-APDUs (cl_response_new)
 *   1  C-APDUs (cl_apdu_parse): what parses encodes and parses the same
 *   2  CPU card info files (cl_card_info_parse): one of ours builds back
 *   3  ATRs (cl_card_kind_from_atr)
 *   4  exchange redaction (cl_log_redact), command and reply split at a
 *      byte of the input, with input flags
 *   5  saved transcripts (cl_replay_new_from_data), whose own commands are
 *      then replayed
 *   6  status words (cl_sw_describe, cl_set_error_from_sw)
 *   7  line-encrypted replies (cl_fmcos_line_decrypt: padding, LD)
 * The SLE4428 reader replies are parsed inside the driver's transactions
 * (cl-sle4428.c); fuzz-host drives them through a fake reader.
 */
#include <string.h>

#include "cl-apdu.h"
#include "cl-fmcos.h"
#include "cl-key.h"
#include "cl-kind.h"
#include "cl-log.h"
#include "cl-redact.h"
#include "cl-sw.h"
#include "fuzz-util.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fz_quiet_logs ();
  cl_secure_init ();
  return 0;
}

static void
fuzz_response (const guint8 *d, gsize n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClResponse) r = cl_response_new (d, n, &error);

  FZ_CHECK ((r == NULL) == (n < 2));
  if (r == NULL)
    return;
  FZ_CHECK (r->len == n - 2 && r->sw == ((d[n - 2] << 8) | d[n - 1]));
  FZ_CHECK (memcmp (r->data, d, r->len) == 0);
  FZ_CHECK (cl_response_ok (r) == (r->sw == 0x9000));
}

static gboolean
same_apdu (const ClApdu *a, const ClApdu *b)
{
  return a->cla == b->cla && a->ins == b->ins && a->p1 == b->p1 && a->p2 == b->p2 && a->lc == b->lc
         && a->le == b->le && (a->lc == 0 || memcmp (a->data, b->data, a->lc) == 0);
}

static void
fuzz_apdu (const guint8 *d, gsize n)
{
  g_autoptr (GError) error = NULL;
  g_autofree guint8 *enc = NULL;
  ClApdu a, b;
  gsize len = 0;

  if (!cl_apdu_parse (d, n, &a, &error))
    return;
  FZ_CHECK (a.lc <= n && (a.lc == 0 || (a.data >= d && a.data + a.lc <= d + n)));
  enc = cl_apdu_encode (&a, &len, &error);
  FZ_CHECK (enc != NULL);
  FZ_CHECK (cl_apdu_parse (enc, len, &b, NULL));
  FZ_CHECK (same_apdu (&a, &b));
}

static void
fuzz_info (const guint8 *d, gsize n)
{
  ClCardInfo info = { 0 }, back = { 0 };
  g_autofree guint8 *built = NULL;
  gsize len = 0;

  if (!cl_card_info_parse (d, n, &info, NULL))
    return;
  FZ_CHECK (info.has_info && info.has_serial);
  if (info.kind < CL_CARD_KIND_MCC || info.kind > CL_CARD_KIND_KC)
    return;
  built = cl_card_info_build (&info, &len);
  FZ_CHECK (built != NULL && len == CL_INFO_LEN);
  FZ_CHECK (cl_card_info_parse (built, len, &back, NULL));
  FZ_CHECK (back.kind == info.kind && back.role == info.role);
  FZ_CHECK (memcmp (back.serial, info.serial, 8) == 0);
  FZ_CHECK (memcmp (back.created, info.created, 4) == 0);
  FZ_CHECK (memcmp (back.kcv1, info.kcv1, 3) == 0 && memcmp (back.kcv2, info.kcv2, 3) == 0);
}

static void
fuzz_atr (const guint8 *d, gsize n)
{
  g_autoptr (GBytes) atr = g_bytes_new (d, n);
  guint8 serial[8];
  gboolean has_serial = FALSE;
  ClCardKind kind = cl_card_kind_from_atr (atr, serial, &has_serial);

  /* A serial only with our CPU card's "IC" historical bytes. */
  FZ_CHECK (!has_serial || (kind == CL_CARD_KIND_CPU_OTHER && n >= 2 + 10));
}

static void
fuzz_redact (const guint8 *d, gsize n)
{
  gsize split, clen;
  ClApduFlags flags;
  g_autofree char *cmd = NULL, *resp = NULL, *cmd_sp = NULL, *resp_sp = NULL;

  if (n < 2)
    return;
  flags = d[0] & (CL_APDU_FLAG_SECRET_DATA | CL_APDU_FLAG_SECRET_RESPONSE);
  split = d[1];
  d += 2;
  n -= 2;
  clen = MIN (split, n);
  cl_log_redact (d, clen, flags, n - clen >= 2 ? d + clen : NULL, n - clen, FALSE, &cmd, &resp);
  cl_log_redact (d, clen, flags, d + clen, n - clen, TRUE, &cmd_sp, &resp_sp);
  FZ_CHECK (cmd != NULL && cmd_sp != NULL);
  /* Two characters per command byte, hex or "**". */
  FZ_CHECK (strlen (cmd) == 2 * clen);
  cl_redact_reply_is_secret (d, clen);
}

static void
fuzz_transcript (const guint8 *d, gsize n)
{
  g_autoptr (ClReplay) replay = cl_replay_new_from_data ((const char *) d, n, NULL);
  g_autoptr (GBytes) atr = NULL;
  guint left;

  if (replay == NULL)
    return;
  atr = cl_replay_get_atr (replay);
  left = cl_replay_get_remaining (replay);
  /* Junk commands never match, and an error consumes nothing. */
  for (guint i = 0; i < 3; i++)
    {
      static const guint8 junk[5] = { 0xEE, 0xEE, 0xEE, 0xEE, 0xEE };
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) r = cl_replay_transmit (replay, junk, sizeof junk, &error);

      if (r != NULL)
        {
          FZ_CHECK (g_bytes_get_size (r) >= 2);
          FZ_CHECK (cl_replay_get_remaining (replay) + 1 == left);
          left--;
        }
    }
}

static void
fuzz_sw (const guint8 *d, gsize n)
{
  g_autoptr (GError) error = NULL;
  guint16 sw;

  if (n < 2)
    return;
  sw = (d[0] << 8) | d[1];
  FZ_CHECK (cl_sw_describe (sw) != NULL);
  cl_set_error_from_sw (&error, sw, n > 2 ? "step" : NULL);
  FZ_CHECK (sw == 0x9000 || (error != NULL && error->message != NULL));
  (void) cl_sw_error_code (sw);
}

/* Decrypts under a fixed key; what comes out is at most LD bytes. */
static void
fuzz_line_decrypt (const guint8 *d, gsize n)
{
  static const guint8 k[16] = { 0x36, 0x36, 0x36, 0x36, 0x36, 0x36, 0x36, 0x36,
                                0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63, 0x63 };
  g_autoptr (ClKey) key = cl_key_new_from_data (k, sizeof k);
  g_autoptr (ClKey) plain = cl_fmcos_line_decrypt (key, d, n, NULL);
  g_autofree guint8 *again = NULL;
  gsize len = 0;

  if (plain == NULL)
    return;
  FZ_CHECK (cl_key_get_length (plain) < n);
  /* Encrypting the plaintext gives the input back (one padding only). */
  again =
      cl_fmcos_line_encrypt (key, cl_key_get_data (plain), cl_key_get_length (plain), &len, NULL);
  FZ_CHECK (again != NULL && len == n && memcmp (again, d, n) == 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  if (size == 0)
    return 0;
  switch (data[0] % 8)
    {
    case 0:
      fuzz_response (data + 1, size - 1);
      break;
    case 1:
      fuzz_apdu (data + 1, size - 1);
      break;
    case 2:
      fuzz_info (data + 1, size - 1);
      break;
    case 3:
      fuzz_atr (data + 1, size - 1);
      break;
    case 4:
      fuzz_redact (data + 1, size - 1);
      break;
    case 5:
      fuzz_transcript (data + 1, size - 1);
      break;
    case 6:
      fuzz_sw (data + 1, size - 1);
      break;
    default:
      fuzz_line_decrypt (data + 1, size - 1);
      break;
    }
  return 0;
}
