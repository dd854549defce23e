/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-pcsc-cmd.c: the FMCOS layer and the SLE4428 driver through a real
 * pcscd + vpcd + the card simulator (runs inside pcscd-harness): kind
 * detection, PSC presentation/change/interlock and protection bits on an
 * SLE4428; making a CPU card from blank, PIN VERIFY, line-encrypted read and
 * external authentication computed by an MCC in the other reader. */
#include "config.h"

#include <string.h>

#include "cl-context.h"
#include "cl-crypto.h"
#include "cl-error.h"
#include "cl-authority.h"
#include "cl-fmcos.h"
#include "cl-kind.h"
#include "cl-log.h"
#include "cl-sle4428.h"
#include "cs-deck.h"
#include "fmcos-test-card.h"

typedef struct {
  CsDeck *deck;
  ClContext *ctx;
} Fixture;

static const char *
reader_of (guint slot)
{
  return g_getenv (slot == 0 ? "PCSC_READER_R1" : "PCSC_READER_R2");
}

/* Until pcscd has seen the slot empty (it polls vpcd every 400 ms). */
static void
wait_empty (ClContext *ctx, const char *reader)
{
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ClCard) card = cl_context_connect (ctx, reader, NULL, &error);

      if (card == NULL && g_error_matches (error, CL_ERROR, CL_ERROR_NO_CARD))
        return;
      g_usleep (50 * 1000);
    }
  g_assert_not_reached ();
}

static ClCard *
insert (Fixture *f, guint slot, CsCardKind kind, const guint8 *serial)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  if (cs_deck_get_slot_card (f->deck, slot) != NULL)
    {
      cs_deck_remove (f->deck, slot, &error);
      g_assert_no_error (error);
    }
  wait_empty (f->ctx, reader_of (slot));
  path = cs_deck_new_card (f->deck, kind, serial, &error);
  g_assert_no_error (error);
  cs_deck_insert (f->deck, slot, path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 100; i++)
    {
      ClCard *card;

      g_clear_error (&error);
      card = cl_context_connect (f->ctx, reader_of (slot), NULL, &error);
      if (card != NULL)
        return card;
      g_usleep (50 * 1000);
    }
  g_assert_no_error (error);
  g_assert_not_reached ();
}

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->deck = cs_deck_open (g_getenv ("INSUCARD_SIM_DECK"), &error);
  g_assert_no_error (error);
  f->ctx = cl_context_new (CL_READER_BACKEND_PCSC, NULL);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->ctx);
  g_clear_pointer (&f->deck, cs_deck_free);
}

static void
test_sle4428 (Fixture *f, gconstpointer data)
{
  static const guint8 sn[8] = { 0x44, 0x28, 0, 0, 0, 0, 0, 0x01 };
  static const guint8 block[4] = { 0x20, 0x26, 0x11, 0x21 };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = insert (f, 1, CS_CARD_SLE4428, sn);
  g_autoptr (ClKey) ff = cl_key_new_from_hex ("FFFF", 2, NULL);
  g_autoptr (ClKey) psc = cl_key_new_from_hex ("5AC3", 2, NULL);
  g_autoptr (ClKey) wrong = cl_key_new_from_hex ("1234", 2, NULL);
  g_autoptr (GBytes) back = NULL;
  g_autofree gboolean *map = g_new0 (gboolean, CL_SLE4428_SIZE);
  ClCardInfo info;
  guint tries = 0;

  g_assert_true (cl_card_detect (card, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_SLE4428);
  g_assert_cmpmem (info.serial, 8, sn, 8);

  g_assert_true (cl_sle4428_present_psc (card, ff, FALSE, &tries, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_sle4428_write (card, 0x10, block, 4, NULL, &error));
  g_assert_true (cl_sle4428_write_protect (card, 0x10, block, 4, NULL, &error));
  g_assert_no_error (error);
  back = cl_sle4428_read (card, 0, CL_SLE4428_PSC_ADDR, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (back, NULL) + 0x10, 4, block, 4);
  g_assert_true (cl_sle4428_read_protection (card, 0, CL_SLE4428_SIZE, map, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (map[0x13]);
  g_assert_false (map[0x14]);

  g_assert_true (cl_sle4428_change_psc (card, ff, psc, FALSE, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 7; i++)
    {
      g_assert_false (cl_sle4428_present_psc (card, wrong, FALSE, &tries, NULL, &error));
      g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_PIN);
      g_clear_error (&error);
    }
  g_assert_cmpuint (tries, ==, 1);
  g_assert_false (cl_sle4428_present_psc (card, psc, FALSE, &tries, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_LAST_TRY);
  g_clear_error (&error);
  g_assert_true (cl_sle4428_present_psc (card, psc, TRUE, &tries, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tries, ==, 8);
}

/* A card of ours: ext-auth 00, PIN 00, DES-encrypt 01, line 00, the info
 * EF 0003 holding kind and the line-encrypted EF 0005. */
static void
make_card (ClCard *card, const guint8 *sn, const ClKey *ext, const ClKey *enc, const ClKey *pin,
           const ClKey *line, ClCardKind kind)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) transport = tu_fmcos_transport_key ();
  const TuFmcosKey keys[] = {
    { { 0x39, 0xF0, 0xF0, 0x0F, 0x33 }, 0x00, ext },
    { { 0x3A, 0xF0, 0xEF, 0x01, 0x33 }, 0x00, pin },
    { { 0x30, 0xF1, 0xF0, 0x00, 0x00 }, 0x01, enc },
    { { 0x36, 0xF0, 0xF0, 0xFF, 0x33 }, 0x00, line },
  };
  static const TuFmcosEf efs[] = {
    { CL_INFO_EF, 0x28, CL_INFO_LEN, 0xF0, 0xF0, CL_FMCOS_WRITE_ONCE, 0xFF },
    { 0x0005, 0xE8, 16, 0xF0, 0xF0, CL_FMCOS_WRITE_ONCE, 0x7F },
  };
  const TuFmcosLayout layout = { keys, G_N_ELEMENTS (keys), efs, G_N_ELEMENTS (efs) };
  ClCardInfo info = { .kind = kind };
  g_autofree guint8 *d = NULL;
  gsize len = 0;

  tu_fmcos_make_card (card, sn, transport, &layout, ext);
  memcpy (info.serial, sn, 8);
  d = cl_card_info_build (&info, &len);
  g_assert_true (cl_fmcos_update_binary (card, 3, 0, d, len, NULL, &error));
  g_assert_no_error (error);
}

static void
test_cpu_and_mcc (Fixture *f, gconstpointer data)
{
  static const guint8 mcc_sn[8] = { 0xCC, 0, 0, 0, 0, 0, 0, 0x01 };
  static const guint8 kc_sn[8] = { 0xCC, 0, 0, 0, 0, 0, 0, 0x02 };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) mk = cl_key_new_from_hex ("0123456789ABCDEFFEDCBA9876543210", 16, NULL);
  g_autoptr (ClKey) junk = cl_key_new_from_hex ("42424242424242424242424242424242", 16, NULL);
  g_autoptr (ClKey) line = cl_key_new_from_hex ("36363636363636363636363636363636", 16, NULL);
  g_autoptr (ClKey) pin = cl_key_new_from_hex ("123456", 3, NULL);
  g_autoptr (ClKey) secret = cl_key_new_from_hex ("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF", 16, NULL);
  g_autoptr (ClKey) cmk = NULL;
  g_autoptr (ClKey) back = NULL;
  g_autoptr (ClCard) mcc = insert (f, 0, CS_CARD_FMCOS, mcc_sn);
  g_autoptr (ClCard) kc = insert (f, 1, CS_CARD_FMCOS, kc_sn);
  g_autoptr (ClAuthority) via_mcc = NULL;
  ClCardInfo info;
  gint tries = 0;

  g_assert_true (cl_card_detect (kc, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_CPU_BLANK);

  make_card (mcc, mcc_sn, mk, mk, pin, line, CL_CARD_KIND_MCC);
  cmk = cl_diversify (mk, kc_sn, &error);
  g_assert_no_error (error);
  make_card (kc, kc_sn, cmk, junk, pin, line, CL_CARD_KIND_KC);

  g_assert_true (cl_fmcos_update_binary_encrypt (kc, 5, 0, secret, line, NULL, &error));
  g_assert_no_error (error);
  back = cl_fmcos_read_binary_decrypt (kc, 5, 0, 16, line, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cl_key_equal (back, secret));

  g_assert_true (cl_card_reset (mcc, NULL, &error));
  g_assert_true (cl_card_reset (kc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_card_detect (mcc, &info, NULL, &error));
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_MCC);
  g_assert_true (cl_card_detect (kc, &info, NULL, &error));
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_KC);

  g_assert_true (cl_fmcos_verify (mcc, 0x00, pin, FALSE, &tries, NULL, &error));
  g_assert_no_error (error);
  via_mcc = cl_authority_new_mcc (mcc, 0x01);
  g_assert_true (cl_fmcos_select_fid (kc, CL_FMCOS_MF, NULL, NULL, &error));
  g_assert_true (cl_authority_external_authenticate (via_mcc, kc, kc_sn, 0, FALSE, NULL, &error));
  g_assert_no_error (error);
  /* State F: creating a file in the MF is allowed now. */
  g_assert_true (cl_fmcos_create_ef (kc, 0x0009, 0x28, 8, 0xF0, 0xF0, CL_FMCOS_WRITE_REPEAT, 0xFF,
                                     NULL, &error));
  g_assert_no_error (error);

  /* The transcript of all this holds no key, PIN or data in clear. */
  {
    g_autofree char *t = cl_transcript_to_string ();

    g_assert_null (strstr (t, "A0A1A2A3"));
    g_assert_null (strstr (t, "0123456789ABCDEF"));
    g_assert_null (strstr (t, "0020000003123456"));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("PCSC_READER_R2") == NULL)
    {
      g_print ("1..0 # SKIP not running inside pcscd-harness\n");
      return 0;
    }
  cl_secure_init ();
  g_test_add ("/pcsc-cmd/sle4428", Fixture, NULL, setup, test_sle4428, teardown);
  g_test_add ("/pcsc-cmd/cpu-and-mcc", Fixture, NULL, setup, test_cpu_and_mcc, teardown);
  return g_test_run ();
}
