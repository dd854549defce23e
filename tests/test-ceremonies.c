/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ceremonies.c: the key ceremonies as tasks, with the scripted
 * interaction over the in-process simulator; the cards made are checked
 * with the primitive crypto, independently of the ceremony code. */
#include "config.h"

#include <sqlite3.h>

#include "cl-authority.h"
#include "cl-codec.h"
#include "cl-crypto.h"
#include "cl-error.h"
#include "cl-derive.h"
#include "cl-fmcos.h"
#include "cl-kind.h"
#include "db-cpu-card.h"
#include "db-query.h"
#include "db-verify.h"
#include "wf-audit-seal.h"
#include "wf-session.h"
#include "wf-ceremonies.h"
#include "wf-error.h"
#include "wf-system-util.h"
#include "wf-test-util.h"

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
  cl_fmcos_select_fid (card, 0x3F00, NULL, NULL, &error);
  g_assert_no_error (error);
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

/* Login: tries left shown before the PIN, a wrong PIN, the last-try
 * interlock, a key card on the wrong workstation; logout seals the log
 * with the card, and the seals check with any operator card. */
static void
test_login (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfSession) session = NULL;
  g_autoptr (DbDatabase) db = NULL;
  DbAuditState state = { 0 };
  System sys;

  make_system (f, &sys);

  /* A wrong PIN: refused, tries counted down, logged. */
  tu_wf_plan (f, "operator-card", sys.ac);
  wf_scripted_add (f->ia, "operator-pin=999999", NULL);
  session = wf_login (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_null (session);
  g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_PIN);
  g_assert_nonnull (strstr (error->message, "4"));
  g_assert_true (has_audit (f, DB_ACTION_LOGIN_FAILED, DB_OUTCOME_REFUSED));
  g_clear_error (&error);
  g_assert_nonnull (strstr (wf_scripted_get_text (f->ia, "operator-pin"), "5 tries"));

  /* Three more wrong ones: the fifth and last try needs an explicit yes. */
  for (guint i = 0; i < 3; i++)
    {
      wf_scripted_add (f->ia, "operator-pin=999999", NULL);
      g_assert_null (wf_login (f->desk, WF_INTERACTION (f->ia), NULL, &error));
      g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_PIN);
      g_clear_error (&error);
    }
  g_assert_null (wf_login (f->desk, WF_INTERACTION (f->ia), NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_DECLINED);
  g_clear_error (&error);
  wf_scripted_add (f->ia, "last-try=yes", "operator-pin=" HOLDER_PIN, NULL);
  session = wf_login (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wf_session_get_role (session), ==, CL_ROLE_ISSUING_ADMIN);
  g_assert_cmpstr (wf_session_get_holder_name (session), ==, "张三");
  g_assert_true (wf_session_require (session, WF_PERM_ISSUE, NULL));
  g_assert_false (wf_session_require (session, WF_PERM_ADMIN, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_ROLE);
  g_clear_error (&error);

  /* Logout seals the chain with the operator card. */
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (f->ia), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (wf_session_is_active (session));
  db = wf_desk_open_db (f->desk, &error);
  g_assert_true (db_audit_get_state (db, &state, &error));
  g_assert_cmpint (state.last_seal_seq, >, 0);
  g_assert_true (g_str_has_prefix (state.last_seal_sealer, "card:"));
  db_audit_state_clear (&state);
  g_clear_object (&session);

  /* The key card logs in here (DESK-01) ... */
  tu_sim_remove (&f->sim, 0);
  tu_wf_plan (f, "operator-card", sys.kc);
  wf_scripted_add (f->ia, "operator-pin=" HOLDER_PIN, NULL);
  session = wf_login (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wf_session_get_card_kind (session), ==, CL_CARD_KIND_KC);
  g_assert_cmpint (wf_session_get_quota (session), ==, 500);
  {
    /* ... and any operator card checks every seal. */
    DbVerifyReport report = { 0 };

    g_assert_true (db_audit_verify (db, wf_session_get_sealer (session), &report, &error));
    g_assert_no_error (error);
    g_assert_cmpint (report.seals_genuine, >, 0);
    g_assert_cmpint (report.seals_unchecked, ==, 0);
    g_assert_cmpint (report.seal_problem, ==, DB_SEAL_PROBLEM_NONE);
    g_assert_true (db_verify_report_is_intact (&report));
  }
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (f->ia), NULL, &error));
  g_clear_object (&session);

  /* ... but not on another workstation. */
  {
    g_autoptr (WfDesk) other = wf_desk_new (f->sim.ctx, f->db_path, "DESK-99", &error);

    g_assert_no_error (error);
    tu_wf_plan (f, "operator-card", sys.kc);
    session = wf_login (other, WF_INTERACTION (f->ia), NULL, &error);
    g_assert_null (session);
    g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
    g_assert_nonnull (strstr (error->message, "another workstation"));
    g_assert_null (strstr (error->message, "DESK-01"));
  }
}

static void
test_maintenance (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfCardMade) washed = NULL;
  g_autoptr (ClCard) card = NULL;
  gboolean genuine = FALSE;
  ClCardInfo info;
  System sys;

  make_system (f, &sys);

  /* A blocked PIN: five wrong tries, then the MCC unblocks it. */
  card = insert (f, 1, sys.ac);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr (ClKey) wrong = cl_key_new_from_hex ("999999", 3, NULL);

      cl_fmcos_verify (card, 0, wrong, TRUE, NULL, NULL, NULL);
    }
  g_assert_cmpint (cl_fmcos_get_pin_tries (card, 0, NULL, NULL), ==, 0);
  g_clear_object (&card);
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "mcc", sys.mcc);
  tu_wf_plan (f, "target", sys.ac);
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, "new-pin=112233", NULL);
  g_assert_true (wf_pin_unblock (f->desk, WF_INTERACTION (f->ia), 0, NULL, &error));
  g_assert_no_error (error);

  /* The holder changes it again (the card is still in R2). */
  wf_scripted_add (f->ia, "operator-pin=112233", "new-pin=" HOLDER_PIN, NULL);
  g_assert_true (wf_pin_change (f->desk, WF_INTERACTION (f->ia), 0, NULL, &error));
  g_assert_no_error (error);
  check_opcard (f, sys.ac, TRUE);

  /* Genuine. */
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "mcc", sys.mcc);
  tu_wf_plan (f, "target", sys.kc);
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, NULL);
  g_assert_true (wf_card_check (f->desk, WF_INTERACTION (f->ia), &genuine, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (genuine);

  /* Wash the administrator card: confirmed, back to blank, registry
   * says so, and it can be made again. */
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "target", sys.ac);
  tu_wf_plan (f, "mcc", sys.mcc);
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, NULL);
  washed = wf_card_wash (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (wf_scripted_get_text (f->ia, "wash"), "张三"));
  card = insert (f, 1, sys.ac);
  g_assert_true (cl_card_detect (card, &info, NULL, &error));
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_CPU_BLANK);
  {
    g_autoptr (DbDatabase) db = wf_desk_open_db (f->desk, &error);
    g_autoptr (DbCpuCard) rec = db_cpu_cards_get (db, washed->serial, &error);

    g_assert_cmpint (rec->status, ==, DB_CPU_WASHED);
  }

  /* The last KTC asks twice; a no leaves it as it is. */
  g_clear_object (&card);
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "target", sys.ktc);
  wf_scripted_add (f->ia, "wash-again=no", NULL);
  g_assert_null (wf_card_wash (f->desk, WF_INTERACTION (f->ia), NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_DECLINED);
  g_assert_true (has_audit (f, DB_ACTION_CARD_WASH, DB_OUTCOME_REFUSED));
}

/* Bad input changes nothing and says why. */
static void
test_bad_input (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) made = NULL;
  WfOpHolder holder = { (char *) "王五", (char *) "S-1", CL_ROLE_NONE, (char *) "510400" };
  WfOpIdent ident = { (char *) "DESK-01", (char *) "51040", 10 };
  System sys;

  make_system (f, &sys);
  /* An administrator card without a role; a key card with a bad office. */
  made = wf_opcard_create (f->desk, WF_INTERACTION (f->ia), &holder, NULL, 1, NULL, &error);
  g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
  g_assert_cmpuint (made->len, ==, 0);
  g_clear_error (&error);
  g_clear_pointer (&made, g_ptr_array_unref);
  made = wf_opcard_create (f->desk, WF_INTERACTION (f->ia), &holder, &ident, 1, NULL, &error);
  g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_clear_pointer (&made, g_ptr_array_unref);

  /* A KTC where the blank belongs: the person is asked again, then it
   * times out (the script has no other card). */
  tu_wf_plan (f, "mcc", sys.mcc);
  tu_wf_plan (f, "blank-cpu", sys.ktc);
  script_ktc_inputs (f);
  wf_scripted_add (f->ia, "second-ktc=yes", NULL);
  g_assert_null (wf_ktc_create (f->desk, WF_INTERACTION (f->ia), NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (wf_scripted_get_text (f->ia, "blank-cpu"), "key transport card"));
  g_clear_error (&error);

  /* Equal codes are refused before any card is touched. */
  {
    const char *blank = tu_wf_new_card (f, CS_CARD_FMCOS);
    g_autoptr (WfScripted) ia = wf_scripted_new ();

    wf_scripted_set_card_func (ia, tu_wf_card_func, f, NULL);
    tu_wf_plan (f, "mcc", sys.mcc);
    tu_wf_plan (f, "blank-cpu", blank);
    wf_scripted_add (ia, "mcc-pin=" MCC_PIN, "second-ktc=yes", "code1=" CODE1, "pin1=" PIN1,
                     "code2=" CODE1, "pin2=" PIN2, "psub=" PSUB, "dsub=" DSUB, "pin3=" PIN3, NULL);
    g_assert_null (wf_ktc_create (f->desk, WF_INTERACTION (ia), NULL, &error));
    g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
    g_clear_error (&error);
    /* A PIN of one digit, a code with a letter. */
    wf_scripted_add (ia, "mcc-pin=" MCC_PIN, "second-ktc=yes", "code1=83164927506182A3", NULL);
    g_assert_null (wf_ktc_create (f->desk, WF_INTERACTION (ia), NULL, &error));
    g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
    g_clear_error (&error);
    wf_scripted_add (ia, "mcc-pin=" MCC_PIN, "second-ktc=yes", "code1=" CODE1, "pin1=1", NULL);
    g_assert_null (wf_ktc_create (f->desk, WF_INTERACTION (ia), NULL, &error));
    g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
    g_clear_error (&error);
    /* The blank was never touched. */
    {
      g_autoptr (ClCard) card = insert (f, 1, blank);
      ClCardInfo info;

      g_assert_true (cl_card_detect (card, &info, NULL, NULL));
      g_assert_cmpint (info.kind, ==, CL_CARD_KIND_CPU_BLANK);
    }
  }
}

/* Cancel pressed at each prompt of the KTC ceremony in turn: the task ends
 * cancelled, and the blank stays blank or unfinished (never a KTC nobody
 * recorded). */
static void
test_cancel_at_each_prompt (WfFixture *f, gconstpointer data)
{
  System sys;
  guint n_questions;

  make_system (f, &sys);
  n_questions = 0;
  for (guint at = 1;; at++)
    {
      g_autoptr (GCancellable) cancel = g_cancellable_new ();
      g_autoptr (WfScripted) ia = wf_scripted_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (WfCardMade) made = NULL;
      const char *blank = tu_wf_new_card (f, CS_CARD_FMCOS);

      wf_scripted_set_card_func (ia, tu_wf_card_func, f, NULL);
      tu_wf_plan (f, "mcc", sys.mcc);
      tu_wf_plan (f, "blank-cpu", blank);
      wf_scripted_add (ia, "mcc-pin=" MCC_PIN, "second-ktc=yes", "code1=" CODE1, "pin1=" PIN1,
                       "code2=" CODE2, "pin2=" PIN2, "psub=" PSUB, "dsub=" DSUB, "pin3=" PIN3,
                       NULL);
      wf_scripted_cancel_at (ia, at, cancel);
      made = wf_ktc_create (f->desk, WF_INTERACTION (ia), cancel, &error);
      g_hash_table_remove_all (f->plan);
      if (made != NULL)
        {
          n_questions = wf_scripted_get_asked (ia)->len;
          g_assert_cmpuint (at, >, n_questions);
          break;
        }
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_true (has_audit (f, DB_ACTION_KTC_CREATE, DB_OUTCOME_REFUSED));
    }
  g_assert_cmpuint (n_questions, >=, 15);
}

/* The blank pulled out at each APDU of making an administrator card in
 * turn: the ceremony fails saying so, the card is a blank or an unfinished
 * card of this system (never one nobody recorded), and the next attempt
 * makes it. */
static void
test_pulled_at_each_apdu (WfFixture *f, gconstpointer data)
{
  WfOpHolder holder = { (char *) "赵六", (char *) "S-0007", CL_ROLE_AUDITOR, (char *) "510400" };
  const char *blank;
  System sys;
  guint pulls = 0;

  make_system (f, &sys);
  blank = tu_wf_new_card (f, CS_CARD_FMCOS);
  for (guint k = 1;; k++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) made = NULL;
      g_autofree char *spec = g_strdup_printf ("pull-after=%u", k);
      g_autoptr (ClCard) card = NULL;
      ClCardInfo info;

      tu_wf_plan (f, "mcc", sys.mcc);
      tu_wf_plan (f, "ktc", sys.ktc);
      tu_wf_plan (f, "blank-cpu", blank);
      f->fault_card = blank;
      f->fault_spec = spec;
      wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, "holder-pin=" HOLDER_PIN, NULL);
      made = wf_opcard_create (f->desk, WF_INTERACTION (f->ia), &holder, NULL, 1, NULL, &error);
      g_hash_table_remove_all (f->plan);
      f->fault_card = NULL;
      if (error == NULL)
        {
          g_assert_cmpuint (made->len, ==, 1);
          /* The pull never came: disarm it. */
          g_assert_true (cs_deck_set_faults (f->sim.deck, 1, "", &error));
          break;
        }
      pulls++;
      g_assert_true (g_error_matches (error, CL_ERROR, CL_ERROR_CARD_REMOVED)
                     || g_error_matches (error, WF_ERROR, WF_ERROR_TIMEOUT));
      /* Unspent secrets of the failed run are not carried over. */
      g_object_unref (f->ia);
      f->ia = wf_scripted_new ();
      wf_scripted_set_card_func (f->ia, tu_wf_card_func, f, NULL);

      card = insert (f, 1, blank);
      g_assert_true (cl_card_detect (card, &info, NULL, NULL));
      if (info.kind == CL_CARD_KIND_AC)
        {
          /* Pulled after the card was complete, before it was recorded:
           * the failure row names it, and it is washed and made again. */
          g_autoptr (WfCardMade) washed = NULL;
          g_autoptr (DbDatabase) db = NULL;
          g_autoptr (GPtrArray) rows = NULL;
          DbAuditFilter filter = { 0 };

          g_clear_error (&error);
          db = wf_desk_open_db (f->desk, &error);

          filter.action = DB_ACTION_CARD_CREATE;
          filter.card_sn = serial_of (f, blank);
          rows = db_audit_query (db, &filter, DB_ORDER_NEWEST_FIRST, 0, 1, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (rows->len, ==, 1);
          g_assert_cmpstr (((DbAuditRow *) rows->pdata[0])->outcome, !=, "ok");

          g_clear_object (&card);
          g_clear_error (&error);
          tu_wf_plan (f, "target", blank);
          tu_wf_plan (f, "mcc", sys.mcc);
          wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, NULL);
          washed = wf_card_wash (f->desk, WF_INTERACTION (f->ia), NULL, &error);
          g_assert_no_error (error);
        }
      else
        g_assert_true (info.kind == CL_CARD_KIND_CPU_BLANK
                       || info.kind == CL_CARD_KIND_CPU_UNFINISHED);
    }
  g_assert_cmpuint (pulls, >, 30);
  check_opcard (f, blank, FALSE);
}

static WfSession *
login_with (WfFixture *f, const char *card, GError **error)
{
  tu_sim_remove (&f->sim, 0);
  tu_wf_plan (f, "operator-card", card);
  wf_scripted_add (f->ia, "operator-pin=" HOLDER_PIN, NULL);
  return wf_login (f->desk, WF_INTERACTION (f->ia), NULL, error);
}

/* A junk seal under a card's name: what a forger with the file can add. */
static gboolean
forged_seal (const DbSealer *sealer, const guint8 message[DB_SEAL_MESSAGE_LEN],
             guint8 seal[DB_SEAL_LEN], GError **error)
{
  memset (seal, 0x5A, DB_SEAL_LEN);
  return TRUE;
}

/* The registry and the card's own files decide who may log in; the card
 * in R1 belongs to the session alone; nobody seals over a forged seal. */
static void
test_session_guards (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfSession) session = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (ClCard) other = NULL;
  g_autoptr (ClCard) after = NULL;
  g_autoptr (ClKey) out = NULL;
  static const guint8 zeros[8] = { 0 };
  DbSealer forger = { "card:0000000000000001", forged_seal, NULL, NULL };
  DbActor actor = { 0 };
  DbAuditState state = { 0 };
  System sys;

  make_system (f, &sys);
  db = wf_desk_open_db (f->desk, &error);
  g_assert_no_error (error);

  /* While a session holds the card, no other connection gets it ... */
  session = login_with (f, sys.ac, &error);
  g_assert_no_error (error);
  other = cl_context_connect (f->sim.ctx, CL_SIM_READER_R1, NULL, &error);
  g_assert_null (other);
  g_assert_error (error, CL_ERROR, CL_ERROR_SHARING_VIOLATION);
  g_clear_error (&error);
  /* ... and after logout, nothing the PIN unlocked is left. */
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (f->ia), NULL, &error));
  g_clear_object (&session);
  after = tu_connect (f->sim.ctx, CL_SIM_READER_R1);
  g_assert_true (cl_fmcos_select_name (after, (const guint8 *) "INSUCARD", 8, NULL, NULL, &error));
  out = cl_fmcos_internal_authenticate (after, 1, zeros, 8, NULL, &error);
  g_assert_null (out);
  g_assert_error (error, CL_ERROR, CL_ERROR_SECURITY);
  g_clear_error (&error);
  g_clear_object (&after);

  /* A card the registry marks revoked may not log in: no PIN try spent. */
  g_assert_true (db_cpu_cards_set_status (db, serial_of (f, sys.kc), DB_CPU_REVOKED, &error));
  g_assert_null (login_with (f, sys.kc, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "revoked"));
  g_clear_error (&error);
  g_assert_cmpuint (wf_scripted_count_unused (f->ia), ==, 1);
  g_object_unref (f->ia);
  f->ia = wf_scripted_new ();
  wf_scripted_set_card_func (f->ia, tu_wf_card_func, f, NULL);

  /* An expired card is refused before its PIN. */
  {
    WfOpHolder old = { (char *) "钱七",   (char *) "S-0099",   CL_ROLE_ISSUING_ADMIN,
                       (char *) "510400", (char *) "20190101", (char *) "20201231" };
    const char *blank = tu_wf_new_card (f, CS_CARD_FMCOS);
    g_autoptr (GPtrArray) made = NULL;

    tu_wf_plan (f, "mcc", sys.mcc);
    tu_wf_plan (f, "ktc", sys.ktc);
    tu_wf_plan (f, "blank-cpu", blank);
    wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, "holder-pin=" HOLDER_PIN, NULL);
    made = wf_opcard_create (f->desk, WF_INTERACTION (f->ia), &old, NULL, 1, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (login_with (f, blank, &error));
    g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
    g_assert_nonnull (strstr (error->message, "expired"));
    g_clear_error (&error);
    g_object_unref (f->ia);
    f->ia = wf_scripted_new ();
    wf_scripted_set_card_func (f->ia, tu_wf_card_func, f, NULL);
  }

  /* A card whose audit key is not the one the registry knows (a card of
   * another system, or a forged one) is refused after its PIN. */
  {
    g_autoptr (DbCpuCard) rec = db_cpu_cards_get (db, serial_of (f, sys.ac), &error);
    g_autofree char *restore = NULL;
    sqlite3 *raw = NULL;

    g_assert_no_error (error);
    restore = g_strdup_printf ("UPDATE cpu_card SET kcv_akey = '%s'", rec->kcv_akey);
    g_assert_cmpint (sqlite3_open (f->db_path, &raw), ==, SQLITE_OK);
    g_assert_cmpint (
        sqlite3_exec (raw, "UPDATE cpu_card SET kcv_akey = '000000'", NULL, NULL, NULL), ==,
        SQLITE_OK);
    g_assert_null (login_with (f, sys.ac, &error));
    g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
    g_assert_nonnull (strstr (error->message, "keys"));
    g_clear_error (&error);
    g_assert_cmpint (sqlite3_exec (raw, restore, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (raw);
  }

  /* A forged seal: logout does not seal over it, nor does log seal. */
  actor.workstation = "DESK-01";
  g_assert_true (db_audit_seal (db, &actor, &forger, NULL, NULL, &error));
  g_assert_no_error (error);
  session = login_with (f, sys.ac, &error);
  g_assert_no_error (error);
  g_assert_false (wf_log_seal (f->desk, WF_INTERACTION (f->ia), NULL, NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (f->ia), NULL, &error));
  g_assert_true (db_audit_get_state (db, &state, &error));
  g_assert_cmpstr (state.last_seal_sealer, ==, "card:0000000000000001");
  db_audit_state_clear (&state);
}

/* The async forms run the same tasks in a worker thread while the main
 * loop turns (the GUI's way): a card made, checked and washed. */
static void
got_result (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_async (WfFixture *f, gconstpointer data)
{
  WfOpHolder holder = { (char *) "王五", (char *) "S-0050", CL_ROLE_SYSTEM_ADMIN,
                        (char *) "510400" };
  g_autoptr (GError) error = NULL;
  g_autoptr (GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL;
  g_autoptr (WfCardMade) mcc = NULL;
  g_autoptr (WfCardMade) washed = NULL;
  g_autoptr (GPtrArray) made = NULL;
  const char *mcc_path = tu_wf_new_card (f, CS_CARD_FMCOS);
  const char *ktc_path = tu_wf_new_card (f, CS_CARD_FMCOS);
  const char *ac_path = tu_wf_new_card (f, CS_CARD_FMCOS);
  gboolean genuine = FALSE;

  tu_wf_plan (f, "blank-cpu", mcc_path);
  wf_scripted_add (f->ia, "mk=" MK_HEX, "mcc-pin=" MCC_PIN, NULL);
  wf_mcc_create_async (f->desk, WF_INTERACTION (f->ia), NULL, got_result, &r1);
  mcc = wf_mcc_create_finish (f->desk, wait_result (&r1), &error);
  g_assert_no_error (error);
  g_assert_cmpint (mcc->kind, ==, CL_CARD_KIND_MCC);

  tu_wf_plan (f, "mcc", mcc_path);
  tu_wf_plan (f, "blank-cpu", ktc_path);
  script_ktc_inputs (f);
  wf_ktc_create_async (f->desk, WF_INTERACTION (f->ia), NULL, got_result, &r2);
  g_clear_pointer (&mcc, wf_card_made_free);
  mcc = wf_ktc_create_finish (f->desk, wait_result (&r2), &error);
  g_assert_no_error (error);

  tu_wf_plan (f, "mcc", mcc_path);
  tu_wf_plan (f, "ktc", ktc_path);
  tu_wf_plan (f, "blank-cpu", ac_path);
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, "holder-pin=" HOLDER_PIN, NULL);
  wf_opcard_create_async (f->desk, WF_INTERACTION (f->ia), &holder, NULL, 1, NULL, got_result, &r3);
  holder.name = NULL; /* the batch works on its own copy */
  made = wf_opcard_create_finish (f->desk, wait_result (&r3), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (made->len, ==, 1);
  g_assert_cmpstr (((WfCardMade *) made->pdata[0])->holder_name, ==, "王五");

  tu_wf_plan (f, "target", ac_path);
  tu_wf_plan (f, "mcc", mcc_path);
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, NULL);
  wf_card_check_async (f->desk, WF_INTERACTION (f->ia), NULL, got_result, &r4);
  g_assert_true (wf_card_check_finish (f->desk, wait_result (&r4), &genuine, &error));
  g_assert_no_error (error);
  g_assert_true (genuine);

  tu_wf_plan (f, "target", ac_path);
  tu_wf_plan (f, "mcc", mcc_path);
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, NULL);
  wf_card_wash_async (f->desk, WF_INTERACTION (f->ia), NULL, got_result, &r5);
  washed = wf_card_wash_finish (f->desk, wait_result (&r5), &error);
  g_assert_no_error (error);
  g_assert_cmpint (washed->kind, ==, CL_CARD_KIND_AC);
  g_assert_cmpuint (wf_scripted_count_unused (f->ia), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();
#define ADD(path, fn) g_test_add (path, WfFixture, NULL, tu_wf_setup, fn, tu_wf_teardown)
  ADD ("/ceremonies/mcc-create", test_mcc_create);
  ADD ("/ceremonies/system", test_system);
  ADD ("/ceremonies/login", test_login);
  ADD ("/ceremonies/maintenance", test_maintenance);
  ADD ("/ceremonies/bad-input", test_bad_input);
  ADD ("/ceremonies/cancel-at-each-prompt", test_cancel_at_each_prompt);
  ADD ("/ceremonies/pulled-at-each-apdu", test_pulled_at_each_apdu);
  ADD ("/ceremonies/async", test_async);
  ADD ("/ceremonies/session-guards", test_session_guards);
#undef ADD
  return g_test_run ();
}
