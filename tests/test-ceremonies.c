/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ceremonies.c: the key ceremonies as tasks, with the scripted
 * interaction over the in-process simulator; the cards made are checked
 * with the primitive crypto, independently of the ceremony code. */
#include "config.h"

#include "cl-crypto.h"
#include "cl-derive.h"
#include "cl-fmcos.h"
#include "cl-kind.h"
#include "db-cpu-card.h"
#include "wf-ceremonies.h"
#include "wf-error.h"
#include "wf-test-util.h"

#define MK_HEX "0123456789ABCDEFFEDCBA9876543210"
#define MCC_PIN "135790"

static void
test_mcc_create (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfCardMade) made = NULL;
  g_autoptr (ClKey) mk = tu_key_from_hex (MK_HEX);
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClKey) out = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (DbCpuCard) rec = NULL;
  g_autofree char *kcv = cl_kcv_hex (mk, NULL);
  static const guint8 zeros[8] = { 0 };
  guint8 want[8];
  ClCardInfo info;

  tu_wf_plan (f, "blank-cpu", tu_wf_new_card (f, CS_CARD_FMCOS));
  wf_scripted_add (f->ia, "mk=" MK_HEX, "mcc-pin=" MCC_PIN, NULL);
  made = wf_mcc_create (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (made);
  g_assert_cmpstr (made->kcv1, ==, kcv);
  g_assert_nonnull (strstr (wf_scripted_get_text (f->ia, "kcv-mk"), "08 D7 B4"));

  /* Independently: the card in R2 is an MCC whose key 01 encrypts with MK. */
  card = tu_connect (f->sim.ctx, CL_SIM_READER_R2);
  g_assert_true (cl_card_detect (card, &info, NULL, &error));
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_MCC);
  {
    g_autoptr (ClKey) pin = cl_key_new_from_hex ("135790", 3, NULL);

    g_assert_true (cl_fmcos_verify (card, 0, pin, FALSE, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  out = cl_fmcos_internal_authenticate (card, 1, zeros, 8, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cl_des_ecb_encrypt (mk, zeros, 8, want, NULL));
  g_assert_cmpmem (cl_key_get_data (out), 8, want, 8);

  db = wf_desk_open_db (f->desk, &error);
  g_assert_no_error (error);
  rec = db_cpu_cards_get (db, made->serial, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rec->kind, ==, DB_CPU_MCC);
  g_assert_cmpstr (rec->kcv_mk, ==, kcv);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();
#define ADD(path, fn) g_test_add (path, WfFixture, NULL, tu_wf_setup, fn, tu_wf_teardown)
  ADD ("/ceremonies/mcc-create", test_mcc_create);
#undef ADD
  return g_test_run ();
}
