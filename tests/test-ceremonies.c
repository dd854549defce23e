/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ceremonies.c: the key ceremonies as tasks, with the scripted
 * interaction over the in-process simulator; the cards made are checked
 * with the primitive crypto, independently of the ceremony code. */
#include "config.h"

#include "cl-authority.h"
#include "cl-codec.h"
#include "cl-crypto.h"
#include "cl-error.h"
#include "cl-derive.h"
#include "cl-fmcos.h"
#include "cl-kind.h"
#include "db-cpu-card.h"
#include "wf-ceremonies.h"
#include "wf-error.h"
#include "wf-test-util.h"

#define MK_HEX "0123456789ABCDEFFEDCBA9876543210"
#define MCC_PIN "135790"
#define CODE1 "8316492750618243"
#define CODE2 "2749361058274613"
#define PSUB "4E2B9D07C15A83F6"
#define DSUB "E8173D25AC6F9B04"
#define PIN1 "1234"
#define PIN2 "56"
#define PIN3 "98765432"
#define HOLDER_PIN "246810"

typedef struct {
  const char *mcc, *ktc, *ac, *kc;
} System;

/* What the test computes itself, with the primitive crypto, from its own
 * inputs: the ceremonies' code is not used for it. */
static void
expected_keys (ClKey **pkey, ClKey **dkey, ClKey **akey)
{
  g_autoptr (ClKey) c1 = tu_key_from_hex (CODE1);
  g_autoptr (ClKey) c2 = tu_key_from_hex (CODE2);
  guint8 psub[8], dsub[8], p[16], d[16];
  static const guint8 auditlog[8] = { 0x41, 0x55, 0x44, 0x49, 0x54, 0x4C, 0x4F, 0x47 };

  g_assert_true (cl_hex_decode (PSUB, psub, 8, NULL));
  g_assert_true (cl_hex_decode (DSUB, dsub, 8, NULL));
  g_assert_true (cl_des_ecb_encrypt (c1, psub, 8, p, NULL));
  g_assert_true (cl_des_ecb_encrypt (c2, psub, 8, p + 8, NULL));
  g_assert_true (cl_des_ecb_encrypt (c1, dsub, 8, d, NULL));
  g_assert_true (cl_des_ecb_encrypt (c2, dsub, 8, d + 8, NULL));
  *pkey = cl_key_new_from_data (p, 16);
  *dkey = cl_key_new_from_data (d, 16);
  *akey = cl_diversify (*dkey, auditlog, NULL);
}

static void
script_ktc_inputs (WfFixture *f)
{
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, "code1=" CODE1, "pin1=" PIN1, "code2=" CODE2,
                   "pin2=" PIN2, "psub=" PSUB, "dsub=" DSUB, "pin3=" PIN3, NULL);
}

/* MCC, KTC, an issuing-admin card and a key card bound to this desk. */
static void
make_system (WfFixture *f, System *sys)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfCardMade) mcc = NULL;
  g_autoptr (WfCardMade) ktc = NULL;
  g_autoptr (GPtrArray) acs = NULL;
  g_autoptr (GPtrArray) kcs = NULL;
  WfOpHolder holder = { (char *) "张三", (char *) "S-0042", CL_ROLE_ISSUING_ADMIN,
                        (char *) "510400" };
  WfOpHolder kc_holder = { (char *) "李四", (char *) "S-0043", CL_ROLE_NONE, (char *) "510400" };
  WfOpIdent ident = { (char *) "DESK-01", (char *) "510400", 500 };

  sys->mcc = tu_wf_new_card (f, CS_CARD_FMCOS);
  sys->ktc = tu_wf_new_card (f, CS_CARD_FMCOS);
  sys->ac = tu_wf_new_card (f, CS_CARD_FMCOS);
  sys->kc = tu_wf_new_card (f, CS_CARD_FMCOS);

  tu_wf_plan (f, "blank-cpu", sys->mcc);
  wf_scripted_add (f->ia, "mk=" MK_HEX, "mcc-pin=" MCC_PIN, NULL);
  mcc = wf_mcc_create (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);

  tu_wf_plan (f, "mcc", sys->mcc);
  tu_wf_plan (f, "blank-cpu", sys->ktc);
  script_ktc_inputs (f);
  ktc = wf_ktc_create (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);

  tu_wf_plan (f, "mcc", sys->mcc);
  tu_wf_plan (f, "ktc", sys->ktc);
  tu_wf_plan (f, "blank-cpu", sys->ac);
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, "holder-pin=" HOLDER_PIN, NULL);
  acs = wf_opcard_create (f->desk, WF_INTERACTION (f->ia), &holder, NULL, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (acs->len, ==, 1);

  tu_wf_plan (f, "mcc", sys->mcc);
  tu_wf_plan (f, "ktc", sys->ktc);
  tu_wf_plan (f, "blank-cpu", sys->kc);
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, "holder-pin=" HOLDER_PIN, NULL);
  kcs = wf_opcard_create (f->desk, WF_INTERACTION (f->ia), &kc_holder, &ident, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kcs->len, ==, 1);
  g_assert_cmpuint (wf_scripted_count_unused (f->ia), ==, 0);
}

/* Puts a card into a reader from outside and connects to it. */
static ClCard *
insert (WfFixture *f, guint slot, const char *path)
{
  g_autoptr (GError) error = NULL;

  tu_wf_plan (f, "manual", path);
  g_assert_true (
      tu_wf_card_func (f->ia,
                       &(WfQuestion){ .name = "manual",
                                      .reader = slot == 0 ? CL_READER_ROLE_R1 : CL_READER_ROLE_R2 },
                       f));
  return tu_connect (f->sim.ctx, slot == 0 ? CL_SIM_READER_R1 : CL_SIM_READER_R2);
}

static void
get_serial (ClCard *card, guint8 serial[8])
{
  ClCardInfo info;

  g_assert_true (cl_card_detect (card, &info, NULL, NULL));
  g_assert_true (info.has_serial);
  memcpy (serial, info.serial, 8);
}

/* The KTC, checked by the test alone: external authentication with
 * DIV(MK, SN), Pkey and Dkey read line-encrypted, code 1 read with PIN 1,
 * and files that refuse rewriting and unauthenticated reads. */
static void
check_ktc (WfFixture *f, const System *sys)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = insert (f, 1, sys->ktc);
  g_autoptr (ClKey) mk = tu_key_from_hex (MK_HEX);
  g_autoptr (ClKey) cmk = NULL;
  g_autoptr (ClKey) pkey = NULL, dkey = NULL, akey = NULL;
  g_autoptr (ClKey) got = NULL;
  g_autoptr (ClKey) pin1 = cl_key_new_from_hex (PIN1, 2, NULL);
  g_autoptr (ClAuthority) auth = NULL;
  g_autoptr (GBytes) none = NULL;
  guint8 sn[8], code1[8];

  expected_keys (&pkey, &dkey, &akey);
  get_serial (card, sn);
  cmk = cl_diversify (mk, sn, NULL);
  auth = cl_authority_new_key (cmk);

  /* Without authentication nothing secret reads. */
  g_assert_true (cl_fmcos_select_fid (card, 0x3F00, NULL, NULL, &error));
  none = cl_fmcos_read_binary (card, 4, 0, 8, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, CL_ERROR, CL_ERROR_SECURITY);
  g_clear_error (&error);
  g_assert_null (cl_fmcos_read_binary_decrypt (card, 2, 0, 16, cmk, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (cl_authority_external_authenticate (auth, card, sn, 0, FALSE, NULL, &error));
  g_assert_no_error (error);
  got = cl_fmcos_read_binary_decrypt (card, 2, 0, 16, cmk, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cl_key_equal (got, pkey));
  g_clear_pointer (&got, cl_key_free);
  got = cl_fmcos_read_binary_decrypt (card, 1, 0, 16, cmk, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cl_key_equal (got, dkey));
  g_clear_pointer (&got, cl_key_free);
  /* Never rewritable, even in state F. */
  g_assert_false (cl_fmcos_update_binary_encrypt (card, 2, 0, dkey, cmk, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (cl_fmcos_select_fid (card, 0x3F00, NULL, NULL, &error));
  g_assert_true (cl_fmcos_verify (card, 1, pin1, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
  got = cl_fmcos_read_binary_secret (card, 4, 0, 8, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cl_bcd_pack (CODE1, code1, 8, NULL));
  g_assert_cmpmem (cl_key_get_data (got), 8, code1, 8);
  g_assert_false (cl_fmcos_update_binary (card, 4, 0, code1, 8, NULL, &error));
  g_assert_nonnull (error);
}

/* An operator card, checked by the test alone: its PIN, then its keys in
 * the application DF over eight 00 bytes. */
static void
check_opcard (WfFixture *f, const char *path, gboolean has_pd)
{
  static const guint8 zeros[8] = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = insert (f, 1, path);
  g_autoptr (ClKey) pkey = NULL, dkey = NULL, akey = NULL;
  g_autoptr (ClKey) pin = cl_key_new_from_hex (HOLDER_PIN, 3, NULL);
  const ClKey *keys[3];
  guint8 want[8];

  expected_keys (&pkey, &dkey, &akey);
  keys[0] = pkey;
  keys[1] = dkey;
  keys[2] = akey;
  g_assert_true (cl_fmcos_select_fid (card, 0x3F00, NULL, NULL, &error));
  g_assert_true (cl_fmcos_verify (card, 0, pin, FALSE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_fmcos_select_name (card, (const guint8 *) "INSUCARD", 8, NULL, NULL, &error));
  for (guint i = has_pd ? 0 : 2; i < 3; i++)
    {
      g_autoptr (ClKey) out = cl_fmcos_internal_authenticate (card, i + 1, zeros, 8, NULL, &error);

      g_assert_no_error (error);
      g_assert_true (cl_des_ecb_encrypt (keys[i], zeros, 8, want, NULL));
      g_assert_cmpmem (cl_key_get_data (out), 8, want, 8);
    }
}

static void
test_system (WfFixture *f, gconstpointer data)
{
  System sys;

  make_system (f, &sys);
  check_ktc (f, &sys);
  check_opcard (f, sys.ac, TRUE);
  check_opcard (f, sys.kc, TRUE);
}

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
  ADD ("/ceremonies/system", test_system);
#undef ADD
  return g_test_run ();
}
