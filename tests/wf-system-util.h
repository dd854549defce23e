/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-system-util.h: a whole card system made by the ceremonies for the
 * workflow tests (MCC, KTC, an issuing-admin card and a key card bound to
 * DESK-01), the inputs it was made from, and what the test computes from
 * them with the primitive crypto alone. */
#pragma once

#include <string.h>

#include "cl-codec.h"
#include "cl-crypto.h"
#include "wf-ceremonies.h"
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
static G_GNUC_UNUSED void
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

static G_GNUC_UNUSED void
script_ktc_inputs (WfFixture *f)
{
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, "code1=" CODE1, "pin1=" PIN1, "code2=" CODE2,
                   "pin2=" PIN2, "psub=" PSUB, "dsub=" DSUB, "pin3=" PIN3, NULL);
}

/* MCC, KTC, an issuing-admin card and a key card bound to this desk. */
static G_GNUC_UNUSED void
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
static G_GNUC_UNUSED ClCard *
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

/* The serial of a simulated card, from its image's name (cpu-SERIAL.card). */
static G_GNUC_UNUSED const char *
serial_of (WfFixture *f, const char *path)
{
  static char serial[17];
  g_autofree char *base = g_path_get_basename (path);

  g_assert_true (g_str_has_prefix (base, "cpu-") && strlen (base) == 4 + 16 + 5);
  memcpy (serial, base + 4, 16);
  serial[16] = '\0';
  return serial;
}
