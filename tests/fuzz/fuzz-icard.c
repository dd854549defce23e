/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-icard.c: the insurance card decoder (wf_icard_decode) on any
 * memory an SLE4428 can hold (docs/card-formats.md, "The insurance card
 * (SLE4428) as built").  The first input byte is the mode:
 *   bit 0  the decoder gets the data key (else it decodes without)
 *   bit 1  the input's holder block and transaction records are plaintext,
 *          which the harness encrypts with the key first, so that the
 *          parsers behind the encryption are reached
 * the rest is memory from 0x000 (short input: FF after it).
 * Invariants: a decoded card whose data pass wf_icard_data_validate()
 * encodes to the same bytes (number block but its reserved byte, the
 * holder's fields, the status block); the view is wiped by
 * wf_icard_view_clear(). */
#include <string.h>

#include "cl-crypto.h"
#include "cl-key.h"
#include "fuzz-util.h"
#include "wf-icard.h"

static ClKey *dkc;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  static const guint8 key[16] = { 0x5A, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                  0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xA5 };

  fz_quiet_logs ();
  cl_secure_init ();
  dkc = cl_key_new_from_data (key, sizeof key);
  return 0;
}

static void
encrypt_in_place (guint8 *p, gsize len)
{
  static const guint8 iv[8] = { 0 };

  FZ_CHECK (cl_des_cbc_encrypt (dkc, iv, p, len, p, NULL));
}

static void
decrypt (const guint8 *in, gsize len, guint8 *out)
{
  static const guint8 iv[8] = { 0 };

  FZ_CHECK (cl_des_cbc_decrypt (dkc, iv, in, len, out, NULL));
}

/* What decodes and validates encodes to the same bytes. */
static void
check_roundtrip (const guint8 *mem, const WfIcardView *v)
{
  guint8 out[WF_ICARD_DATA_LEN], a[WF_ICARD_HOLDER_LEN], b[WF_ICARD_HOLDER_LEN];
  const guint8 *enc;

  if (v->number_check != WF_ICARD_CHECK_OK || v->holder_check != WF_ICARD_CHECK_OK
      || v->status_check != WF_ICARD_CHECK_OK || !wf_icard_data_validate (&v->data, NULL))
    return;
  FZ_CHECK (wf_icard_encode (&v->data, dkc, out, NULL));
  enc = out + (WF_ICARD_NUMBER_ADDR - WF_ICARD_DATA_START);
  FZ_CHECK (memcmp (enc, mem + WF_ICARD_NUMBER_ADDR, 14) == 0);
  enc = out + (WF_ICARD_STATUS_ADDR - WF_ICARD_DATA_START);
  FZ_CHECK (memcmp (enc, mem + WF_ICARD_STATUS_ADDR, WF_ICARD_STATUS_LEN) == 0);
  /* The holder's fields (0x00-0x4F of the plaintext; then reserved). */
  decrypt (out + (WF_ICARD_HOLDER_ADDR - WF_ICARD_DATA_START), WF_ICARD_HOLDER_LEN, a);
  decrypt (mem + WF_ICARD_HOLDER_ADDR, WF_ICARD_HOLDER_LEN, b);
  FZ_CHECK (memcmp (a, b, 0x50) == 0);
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  guint8 mem[WF_ICARD_MEM_LEN];
  WfIcardView view;
  guint8 mode;

  if (size == 0)
    return 0;
  mode = data[0];
  memset (mem, 0xFF, sizeof mem);
  memcpy (mem, data + 1, MIN (size - 1, sizeof mem));
  if (mode & 2)
    {
      encrypt_in_place (mem + WF_ICARD_HOLDER_ADDR, WF_ICARD_HOLDER_LEN);
      for (guint s = 0; s < WF_ICARD_TXN_SLOTS; s++)
        encrypt_in_place (mem + WF_ICARD_TXN_ADDR + s * WF_ICARD_TXN_LEN, WF_ICARD_TXN_LEN);
    }
  wf_icard_decode (mem, (mode & 1) ? dkc : NULL, &view);
  FZ_CHECK (view.n_records <= WF_ICARD_TXN_SLOTS);
  FZ_CHECK (!view.holder_decrypted || (mode & 1));
  FZ_CHECK (view.holder_decrypted == (view.holder_check == WF_ICARD_CHECK_OK));
  FZ_CHECK (!view.blank || view.number_check == WF_ICARD_CHECK_EMPTY);
  if (mode & 1)
    check_roundtrip (mem, &view);
  wf_icard_view_clear (&view);
  for (gsize i = 0; i < sizeof view; i++)
    FZ_CHECK (((const guint8 *) &view)[i] == 0);
  return 0;
}
