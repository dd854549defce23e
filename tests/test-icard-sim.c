/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-icard-sim.c: the building blocks of an issuance together on a
 * simulated SLE4428 (docs/card-formats.md, "The insurance card (SLE4428)
 * as built" and "Writing only what differs"): the card's own bytes from
 * wf_icard_encode written with cl_sle4428_write_changes, the number block
 * protected, the per-card PSC set, everything read back and decoded; the
 * APDUs and the bytes the card counted; a rewrite of identical data costs
 * nothing, a changed name only what changed.  Keys here are the test's own
 * (the real task computes DKc and the PSC inside the operator's card). */
#include "config.h"

#include "cl-derive.h"
#include "cl-sle4428.h"
#include "cs-card.h"
#include "sim-test-util.h"
#include "wf-icard.h"

static const guint8 sn[8] = { 0x19, 0x8A, 0xC1, 0x7F, 0x81, 0x40, 0xA0, 0x99 };

typedef struct {
  Fixture f;
  char *path;
  ClKey *dkc, *psc;
  WfIcardData data;
} Issue;

static void
setup (Issue *t, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) dkey = tu_key_from_hex ("0123456789ABCDEFFEDCBA9876543210");
  g_autoptr (ClKey) pkey = tu_key_from_hex ("F0E1D2C3B4A5968778695A4B3C2D1E0F");
  guint8 psc[2];

  tu_sim_open (&t->f);
  t->path = tu_sim_new_card (&t->f, 1, CS_CARD_SLE4428, sn);
  t->f.card = tu_connect (t->f.ctx, CL_SIM_READER_R2);
  t->dkc = cl_derive_card_data_key (dkey, sn, &error);
  g_assert_no_error (error);
  g_assert_true (cl_derive_psc (pkey, sn, psc, &error));
  t->psc = cl_key_new_from_data (psc, 2);

  g_strlcpy (t->data.region_code, "510400", sizeof t->data.region_code);
  g_strlcpy (t->data.card_number, "0000012345", sizeof t->data.card_number);
  g_strlcpy (t->data.issue_date, "20240105", sizeof t->data.issue_date);
  g_assert_true (
      wf_icard_holder_set (&t->data.holder, WF_ICARD_FIELD_ID_NUMBER, "510402198806142624", NULL));
  g_assert_true (wf_icard_holder_set (&t->data.holder, WF_ICARD_FIELD_NAME, "吉克阿依", NULL));
  g_assert_true (wf_icard_holder_set (&t->data.holder, WF_ICARD_FIELD_ETHNICITY, "07", NULL));
  g_assert_true (wf_icard_data_prepare (&t->data, &error));
  g_assert_no_error (error);
}

static void
teardown (Issue *t, gconstpointer unused)
{
  tu_sim_close (&t->f);
  g_free (t->path);
  cl_key_free (t->dkc);
  cl_key_free (t->psc);
}

static CsSle4428Wear
wear (Issue *t)
{
  g_autoptr (CsCard) card = cs_card_load (t->path, NULL);
  CsSle4428Wear w;

  g_assert_nonnull (card);
  g_assert_true (cs_card_get_sle4428_wear (card, &w));
  for (guint a = 0; a < CL_SLE4428_SIZE; a++)
    g_assert_cmpuint (cs_card_get_sle4428_byte_writes (card, a), <=, 1);
  return w;
}

/* Writes data's bytes over what the card holds; returns the FF D0 sent. */
static guint
write_data (Issue *t, const WfIcardData *data, gsize *bytes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) now = NULL;
  guint8 want[WF_ICARD_DATA_LEN];
  guint apdus = 0;

  g_assert_true (wf_icard_encode (data, t->dkc, want, &error));
  now = cl_sle4428_read (t->f.card, WF_ICARD_DATA_START, WF_ICARD_DATA_LEN, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cl_sle4428_write_changes (t->f.card, WF_ICARD_DATA_START, want,
                                           g_bytes_get_data (now, NULL), WF_ICARD_DATA_LEN, &apdus,
                                           bytes, NULL, &error));
  g_assert_no_error (error);
  return apdus;
}

static void
decode_card (Issue *t, WfIcardView *view)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) mem = cl_sle4428_read (t->f.card, 0, WF_ICARD_MEM_LEN, NULL, &error);

  g_assert_no_error (error);
  wf_icard_decode (g_bytes_get_data (mem, NULL), t->dkc, view);
}

static void
test_issue (Issue *t, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) ffff = cl_key_new_from_data ((const guint8 *) "\xFF\xFF", 2);
  guint8 number[WF_ICARD_NUMBER_LEN];
  gboolean prot[WF_ICARD_NUMBER_LEN];
  WfIcardView view;
  CsSle4428Wear w;
  gsize bytes = 0;
  guint apdus;

  g_assert_true (cl_sle4428_present_psc (t->f.card, ffff, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
  /* 0x010-0x0A9 in one APDU (the number block's reserved FF is a gap of
   * 1); the transaction header's five reserved bytes are FF already, so
   * its check byte at 0x0AF goes alone; the records stay FF. */
  apdus = write_data (t, &t->data, &bytes);
  g_assert_cmpuint (apdus, ==, 2);
  g_assert_cmpuint (bytes, ==, (0x0AA - 0x010) + 1);
  g_assert_true (cl_sle4428_change_psc (t->f.card, ffff, t->psc, FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_sle4428_read_protection (t->f.card, WF_ICARD_NUMBER_ADDR, WF_ICARD_NUMBER_LEN,
                                             prot, NULL, &error));
  {
    guint8 all[WF_ICARD_DATA_LEN];

    g_assert_true (wf_icard_encode (&t->data, t->dkc, all, NULL));
    memcpy (number, all, sizeof number);
  }
  g_assert_true (cl_sle4428_protect_changes (t->f.card, WF_ICARD_NUMBER_ADDR, number, prot,
                                             WF_ICARD_NUMBER_LEN, &apdus, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (apdus, ==, 1);

  decode_card (t, &view);
  g_assert_true (wf_icard_view_ok (&view));
  g_assert_true (view.holder_decrypted);
  g_assert_cmpmem (&view.data, sizeof view.data, &t->data, sizeof t->data);
  g_assert_cmpuint (view.tries_left, ==, 8);
  wf_icard_view_clear (&view);

  w = wear (t);
  g_assert_cmpuint (w.bytes_written, ==, bytes + 2); /* and the PSC */
  g_assert_cmpuint (w.erase_write_cycles, ==, 0); /* a blank card: bits only go 1 -> 0 */
  g_assert_cmpuint (w.protect_bits_set, ==, WF_ICARD_NUMBER_LEN);

  /* The same data again: not one APDU, not one byte. */
  g_assert_cmpuint (write_data (t, &t->data, &bytes), ==, 0);
  g_assert_cmpuint (bytes, ==, 0);
  g_assert_cmpuint (wear (t).bytes_written, ==, w.bytes_written);
}

static void
test_rewrite (Issue *t, gconstpointer unused)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) ffff = cl_key_new_from_data ((const guint8 *) "\xFF\xFF", 2);
  WfIcardData changed = t->data;
  WfIcardView view;
  gsize bytes = 0;
  guint apdus;

  g_assert_true (cl_sle4428_present_psc (t->f.card, ffff, FALSE, NULL, NULL, &error));
  write_data (t, &t->data, &bytes);

  /* A new employer: the holder block from the 8-byte block holding the
   * employer code (plaintext 0x38) to its end (CBC), and the status block;
   * the blocks before, with the ID number and the name, stay. */
  g_assert_true (
      wf_icard_holder_set (&changed.holder, WF_ICARD_FIELD_EMPLOYER_CODE, "5104007788", NULL));
  changed.rewrite_counter++;
  g_strlcpy (changed.last_change, "20250301", sizeof changed.last_change);
  apdus = write_data (t, &changed, &bytes);
  g_assert_cmpuint (apdus, ==, 1);
  g_assert_cmpuint (bytes, <=, 0x0A7 - (0x020 + 0x38) + 1);
  g_assert_cmpuint (bytes, >=, 0x0A0 - (0x020 + 0x38));
  decode_card (t, &view);
  g_assert_true (wf_icard_view_ok (&view));
  g_assert_cmpstr (view.data.holder.employer_code, ==, "5104007788");
  g_assert_cmpuint (view.data.rewrite_counter, ==, 1);
  wf_icard_view_clear (&view);
}

int
main (int argc, char **argv)
{
  cl_secure_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/icard/sim/issue", Issue, NULL, setup, test_issue, teardown);
  g_test_add ("/icard/sim/rewrite", Issue, NULL, setup, test_rewrite, teardown);
  return g_test_run ();
}
