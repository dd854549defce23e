/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-issue.c: issuing insurance cards with the workflow tasks over the
 * in-process simulator, each card then checked by the test alone: the PSC
 * and data key computed here from the ceremony's inputs with the
 * primitive crypto, the raw memory read, the holder block decrypted, every
 * check byte and the protection bits looked at; a card pulled at every
 * APDU of an issuance, then finished or undone. */
#include "config.h"

#include <string.h>

#include "cl-error.h"
#include "cl-sle4428.h"
#include "db-issuance.h"
#include "wf-batch.h"
#include "wf-error.h"
#include "wf-insurance.h"
#include "wf-session.h"
#include "wf-system-util.h"

#define ID_1 "510402198503172316"
#define ID_2 "510402199007221021"

/* Not derived from anything else: a finish or a replacement that took the
 * holder from the registry carries it only if the registry kept it. */
#define TEST_PERSONAL "310512345678"

static void
holder (WfIcardHolder *h, const char *id, const char *name)
{
  g_autoptr (GError) error = NULL;

  memset (h, 0, sizeof *h);
  g_assert_true (wf_icard_holder_set (h, WF_ICARD_FIELD_ID_NUMBER, id, &error));
  g_assert_true (wf_icard_holder_set (h, WF_ICARD_FIELD_NAME, name, &error));
  g_assert_true (wf_icard_holder_set (h, WF_ICARD_FIELD_EMPLOYER_CODE, "5104001234", &error));
  g_assert_true (wf_icard_holder_set (h, WF_ICARD_FIELD_PERSONAL_NUMBER, TEST_PERSONAL, &error));
  g_assert_no_error (error);
}

static WfSession *
log_in (WfFixture *f, const char *card)
{
  g_autoptr (GError) error = NULL;
  WfSession *session;

  tu_wf_plan (f, "operator-card", card);
  wf_scripted_add (f->ia, "operator-pin=" HOLDER_PIN, NULL);
  session = wf_login (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  return session;
}

/* Reads the card's raw memory through cardlib and judges it with keys the
 * test derived itself. */
static void
check_issued_card (WfFixture *f, const char *path, const WfIssued *issued, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = insert (f, 1, path);
  g_autoptr (ClKey) pkey = NULL, dkey = NULL, akey = NULL;
  g_autoptr (ClKey) dkc = NULL;
  g_autoptr (ClKey) psc = NULL;
  g_autoptr (GBytes) mem = NULL;
  gboolean prot[CL_SLE4428_SIZE];
  guint8 c[8], plain[WF_ICARD_HOLDER_LEN];
  const guint8 *m;
  guint8 errcnt = 0;
  guint tries = 0;

  expected_keys (&pkey, &dkey, &akey);
  mem = cl_sle4428_read (card, 0, WF_ICARD_MEM_LEN, NULL, &error);
  g_assert_no_error (error);
  m = g_bytes_get_data (mem, NULL);
  /* PSC = fold of TDES_Pkey(SN); DKc = DIV(Dkey, SN). */
  g_assert_true (cl_des_ecb_encrypt (pkey, m + 8, 8, c, NULL));
  {
    guint8 p[2] = { c[0] ^ c[2] ^ c[4] ^ c[6], c[1] ^ c[3] ^ c[5] ^ c[7] };

    psc = cl_key_new_from_data (p, 2);
  }
  dkc = cl_diversify (dkey, m + 8, NULL);
  cl_sle4428_present_psc (card, psc, FALSE, &tries, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cl_sle4428_read_error_counter (card, &errcnt, &tries, NULL, &error));
  g_assert_cmpuint (tries, ==, CL_SLE4428_MAX_TRIES);

  /* The number block in clear BCD, with its check byte, protected. */
  {
    g_autofree char *digits = cl_hex_encode (m + 0x010 + 4, 5);

    g_assert_cmpstr (digits, ==, issued->card_number);
    g_assert_true (cl_check_byte_verify (m + 0x010, 15, m[0x01F], NULL));
  }
  g_assert_true (cl_sle4428_read_protection (card, 0, CL_SLE4428_SIZE, prot, NULL, &error));
  for (guint a = 0x000; a < 0x020; a++)
    g_assert_true (prot[a]);
  for (guint a = 0x020; a < 0x3FD; a++)
    g_assert_false (prot[a]);
  /* The holder block: TDES-CBC under DKc, IV 0, its check byte last. */
  g_assert_true (cl_des_cbc_decrypt (dkc, NULL, m + 0x020, WF_ICARD_HOLDER_LEN, plain, NULL));
  g_assert_cmpmem (plain, 18, issued->holder_id, 18);
  g_assert_cmpmem (plain + 0x12, strlen (name), name, strlen (name));
  {
    g_autofree char *personal = cl_hex_encode (plain + 0x46, 10);

    g_assert_cmpstr (personal, ==, TEST_PERSONAL "FFFFFFFF");
  }
  g_assert_true (
      cl_check_byte_verify (plain, WF_ICARD_HOLDER_LEN - 1, plain[WF_ICARD_HOLDER_LEN - 1], NULL));
  /* The status block and the empty transaction header check too. */
  g_assert_true (cl_check_byte_verify (m + 0x0A0, 7, m[0x0A7], NULL));
  g_assert_true (cl_check_byte_verify (m + 0x0A8, 7, m[0x0AF], NULL));
  memset (plain, 0, sizeof plain);
}

static void
test_issue (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfSession) session = NULL;
  g_autoptr (WfIssued) issued = NULL;
  g_autoptr (WfIssued) again = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (DbCard) rec = NULL;
  g_autoptr (CsCard) sim = NULL;
  WfIcardHolder h;
  const char *blank, *second;
  System sys;

  make_system (f, &sys);
  holder (&h, ID_1, "张伟");
  blank = tu_wf_new_card (f, CS_CARD_SLE4428);

  /* Nobody logged in: refused before any card. */
  g_assert_null (wf_icard_issue (f->desk, WF_INTERACTION (f->ia), &h, NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN);
  g_clear_error (&error);

  session = log_in (f, sys.ac);
  tu_wf_plan (f, "blank-sle4428", blank);
  issued = wf_icard_issue (f->desk, WF_INTERACTION (f->ia), &h, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (issued->holder_id, ==, ID_1);
  g_assert_cmpuint (strlen (issued->card_number), ==, 10);
  check_issued_card (f, blank, issued, "张伟");

  /* Every byte written at most once. */
  sim = cs_card_load (blank, &error);
  g_assert_no_error (error);
  for (guint a = 0; a < CL_SLE4428_SIZE; a++)
    g_assert_cmpuint (cs_card_get_sle4428_byte_writes (sim, a), <=, 1);

  db = wf_desk_open_db (f->desk, &error);
  rec = db_cards_get_by_sn (db, issued->sn, &error);
  g_assert_no_error (error);
  g_assert_cmpint (rec->status, ==, DB_CARD_ISSUED);
  g_assert_cmpstr (rec->card_number, ==, issued->card_number);

  /* The same holder again: replace, not issue; nothing touched. */
  second = tu_wf_new_card (f, CS_CARD_SLE4428);
  tu_wf_plan (f, "blank-sle4428", second);
  g_assert_null (wf_icard_issue (f->desk, WF_INTERACTION (f->ia), &h, NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "Replace"));
  g_clear_error (&error);
  g_hash_table_remove_all (f->plan); /* no card was asked for */

  /* Another holder on the issued card: a used card is never issued again. */
  holder (&h, ID_2, "李娜");
  tu_wf_plan (f, "blank-sle4428", blank);
  g_assert_null (wf_icard_issue (f->desk, WF_INTERACTION (f->ia), &h, NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  g_clear_error (&error);

  /* A blacklisted blank is refused. */
  {
    g_autoptr (ClCard) c = insert (f, 1, second);
    guint8 sn[8];
    char hex[17];

    g_assert_true (cl_sle4428_read_serial (c, sn, NULL, &error));
    for (guint i = 0; i < 8; i++)
      g_snprintf (hex + 2 * i, 3, "%02X", sn[i]);
    g_assert_true (
        db_blacklist_add (db, hex, "test", &(DbActor){ .workstation = "DESK-01" }, &error));
    g_assert_no_error (error);
  }
  tu_wf_plan (f, "blank-sle4428", second);
  g_assert_null (wf_icard_issue (f->desk, WF_INTERACTION (f->ia), &h, NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "blacklist"));
  g_clear_error (&error);

  /* Replace the first card as lost: blacklisted, a new card issued. */
  {
    const char *third = tu_wf_new_card (f, CS_CARD_SLE4428);
    gboolean listed = FALSE;

    tu_wf_empty (f, 1);
    g_hash_table_remove_all (f->plan);
    tu_wf_plan (f, "blank-sle4428", third);
    again = wf_icard_replace (f->desk, WF_INTERACTION (f->ia), ID_1, WF_REPLACE_LOST, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again->replaces_sn, ==, issued->sn);
    g_assert_cmpstr (again->card_number, !=, issued->card_number);
    check_issued_card (f, third, again, "张伟");
    g_assert_true (db_blacklist_contains (db, issued->sn, &listed, &error));
    g_assert_true (listed);
  }
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (f->ia), NULL, &error));
}

/* The blank pulled at each APDU of an issuance: the journal holds the
 * attempt, and finishing (even k) or undoing then issuing again (odd k)
 * leaves a card the test can check and a registry that knows it. */
static void
test_pulled_at_each_apdu (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfSession) session = NULL;
  g_autoptr (DbDatabase) db = NULL;
  System sys;
  guint pulls = 0;

  make_system (f, &sys);
  session = log_in (f, sys.ac);
  db = wf_desk_open_db (f->desk, &error);
  for (guint k = 1;; k++)
    {
      g_autoptr (WfIssued) issued = NULL;
      g_autoptr (GPtrArray) open = NULL;
      g_autofree char *spec = g_strdup_printf ("pull-after=%u", k);
      g_autofree char *id = g_strdup_printf ("51040219850317%03u?", k);
      const char *blank = tu_wf_new_card (f, CS_CARD_SLE4428);
      WfIcardHolder h;

      /* A valid GB 11643 number per round: fix the check digit. */
      memset (&h, 0, sizeof h);
      for (char x = '0'; x <= '9' + 1; x++)
        {
          id[17] = x > '9' ? 'X' : x;
          if (db_id_number_is_valid (id))
            break;
        }
      holder (&h, id, "赵六");
      tu_wf_empty (f, 1); /* the clerk takes the last card out */
      g_hash_table_remove_all (f->plan);
      tu_wf_plan (f, "blank-sle4428", blank);
      f->fault_card = blank;
      f->fault_spec = spec;
      issued = wf_icard_issue (f->desk, WF_INTERACTION (f->ia), &h, NULL, &error);
      f->fault_card = NULL;
      if (error == NULL)
        {
          g_assert_true (cs_deck_set_faults (f->sim.deck, 1, "", &error));
          check_issued_card (f, blank, issued, "赵六");
          break;
        }
      pulls++;
      g_clear_error (&error);
      open = wf_journal_list (f->desk, &error);
      g_assert_no_error (error);
      if (open->len == 0)
        {
          /* Pulled before anything was recorded: the card is still blank. */
          g_autoptr (GBytes) mem = NULL;
          g_autoptr (ClCard) c = insert (f, 1, blank);

          mem = cl_sle4428_read (c, 0x010, WF_ICARD_DATA_LEN, NULL, &error);
          g_assert_no_error (error);
          for (gsize i = 0; i < WF_ICARD_DATA_LEN; i++)
            g_assert_cmpuint (((const guint8 *) g_bytes_get_data (mem, NULL))[i], ==, 0xFF);
          continue;
        }
      g_assert_cmpuint (open->len, ==, 1);
      g_test_message ("pulled at APDU %u, after step %s: %s", k,
                      ((DbIssuance *) open->pdata[0])->step, k % 2 == 0 ? "finish" : "undo");
      /* Every step the journal records has words for the clerk. */
      g_assert_cmpstr (wf_journal_step_label (((DbIssuance *) open->pdata[0])->step), !=,
                       ((DbIssuance *) open->pdata[0])->step);
      tu_wf_plan (f, "journal-card", blank);
      if (k % 2 == 0)
        {
          g_autoptr (WfIssued) done = wf_journal_finish (
              f->desk, WF_INTERACTION (f->ia), ((DbIssuance *) open->pdata[0])->id, NULL, &error);

          g_assert_no_error (error);
          check_issued_card (f, blank, done, "赵六");
        }
      else
        {
          g_autoptr (WfIssued) redo = NULL;

          g_assert_true (wf_journal_undo (f->desk, WF_INTERACTION (f->ia),
                                          ((DbIssuance *) open->pdata[0])->id, NULL, &error));
          g_assert_no_error (error);
          tu_wf_plan (f, "blank-sle4428", blank);
          redo = wf_icard_issue (f->desk, WF_INTERACTION (f->ia), &h, NULL, &error);
          g_assert_no_error (error);

          check_issued_card (f, blank, redo, "赵六");
        }
      g_clear_pointer (&open, g_ptr_array_unref);
      open = wf_journal_list (f->desk, &error);
      g_assert_cmpuint (open->len, ==, 0);
    }
  g_assert_cmpuint (pulls, >, 10);
}

static CsSle4428Wear
wear_of (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CsCard) sim = cs_card_load (path, &error);
  CsSle4428Wear wear = { 0 };

  g_assert_no_error (error);
  g_assert_true (cs_card_get_sle4428_wear (sim, &wear));
  return wear;
}

/* Read, rewrite (nothing when nothing changed), cancel, clear, report
 * lost and the history, each on the registry and on the card. */
static void
test_life_cycle (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfSession) session = NULL;
  g_autoptr (WfIssued) issued = NULL;
  g_autoptr (WfIssued) second = NULL;
  g_autoptr (WfIssued) same = NULL;
  g_autoptr (WfIssued) changed = NULL;
  g_autoptr (WfIcardReport) report = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (DbCard) rec = NULL;
  g_autoptr (GPtrArray) cards = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  gboolean more = TRUE;
  gint64 newest = 0;
  CsSle4428Wear before, after;
  const char *card1, *card2;
  WfIcardHolder h;
  System sys;

  make_system (f, &sys);
  session = log_in (f, sys.ac);
  db = wf_desk_open_db (f->desk, &error);
  card1 = tu_wf_new_card (f, CS_CARD_SLE4428);
  card2 = tu_wf_new_card (f, CS_CARD_SLE4428);
  holder (&h, ID_1, "张伟");
  tu_wf_plan (f, "blank-sle4428", card1);
  issued = wf_icard_issue (f->desk, WF_INTERACTION (f->ia), &h, NULL, &error);
  g_assert_no_error (error);

  /* Read: every block checks, the holder decrypted, the registry agrees. */
  report = wf_icard_read (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wf_icard_view_ok (&report->view));
  g_assert_true (report->view.holder_decrypted);
  g_assert_cmpstr (report->view.data.holder.name, ==, "张伟");
  g_assert_cmpuint (report->view.tries_left, ==, CL_SLE4428_MAX_TRIES);
  g_assert_true (report->protected_number);
  g_assert_nonnull (report->record);
  g_assert_cmpint (report->record->status, ==, DB_CARD_ISSUED);
  g_assert_false (report->blacklisted);

  /* Rewriting the same data writes nothing at all. */
  before = wear_of (card1);
  same = wf_icard_rewrite (f->desk, WF_INTERACTION (f->ia), &h, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (same->apdus_written, ==, 0);
  after = wear_of (card1);
  g_assert_cmpuint (after.bytes_written, ==, before.bytes_written);

  /* A new employer code: a few bytes, the counter up by one. */
  g_assert_true (wf_icard_holder_set (&h, WF_ICARD_FIELD_EMPLOYER_CODE, "5104009999", &error));
  changed = wf_icard_rewrite (f->desk, WF_INTERACTION (f->ia), &h, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed->apdus_written, >, 0);
  g_assert_cmpuint (changed->bytes_written, <=, WF_ICARD_HOLDER_LEN + WF_ICARD_STATUS_LEN + 2);
  g_clear_pointer (&report, wf_icard_report_free);
  report = wf_icard_read (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_cmpstr (report->view.data.holder.employer_code, ==, "5104009999");
  g_assert_cmpuint (report->view.data.rewrite_counter, ==, 1);
  rec = db_cards_get_by_sn (db, issued->sn, &error);
  g_assert_cmpint (rec->rewrite_count, ==, 1);
  g_clear_pointer (&rec, db_card_free);

  /* Another person's ID on this card is refused. */
  {
    WfIcardHolder other;

    holder (&other, ID_2, "李娜");
    g_assert_null (wf_icard_rewrite (f->desk, WF_INTERACTION (f->ia), &other, NULL, &error));
    g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
    g_clear_error (&error);
  }

  /* Cancel: asked first; the status block and the registry say so. */
  wf_scripted_add (f->ia, "cancel=no", NULL);
  g_assert_false (wf_icard_cancel (f->desk, WF_INTERACTION (f->ia), NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_DECLINED);
  g_clear_error (&error);
  wf_scripted_add (f->ia, "cancel=yes", NULL);
  rec = wf_icard_cancel_record (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  /* Which card became what, for the screen that says so. */
  g_assert_cmpstr (rec->card_number, ==, issued->card_number);
  g_assert_cmpstr (rec->holder_id, ==, ID_1);
  g_assert_cmpint (rec->status, ==, DB_CARD_CANCELLED);
  g_clear_pointer (&rec, db_card_free);
  g_clear_pointer (&report, wf_icard_report_free);
  report = wf_icard_read (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_cmpint (report->view.data.status, ==, WF_ICARD_STATUS_CANCELLED);
  g_assert_cmpint (report->record->status, ==, DB_CARD_CANCELLED);

  /* Clear: the data gone, the number block stays, the PSC back to FFFF. */
  wf_scripted_add (f->ia, "clear=yes", NULL);
  rec = wf_icard_clear_record (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec->sn, ==, issued->sn);
  g_assert_cmpint (rec->status, ==, DB_CARD_CLEARED);
  g_clear_pointer (&rec, db_card_free);
  {
    g_autoptr (ClCard) c = insert (f, 1, card1);
    g_autoptr (ClKey) factory = cl_key_new_from_hex ("FFFF", 2, NULL);
    g_autoptr (GBytes) mem = NULL;
    guint tries = 0;

    mem = cl_sle4428_read (c, WF_ICARD_HOLDER_ADDR, WF_ICARD_DATA_END - WF_ICARD_HOLDER_ADDR, NULL,
                           &error);
    for (gsize i = 0; i < g_bytes_get_size (mem); i++)
      g_assert_cmpuint (((const guint8 *) g_bytes_get_data (mem, NULL))[i], ==, 0xFF);
    g_assert_true (cl_sle4428_present_psc (c, factory, FALSE, &tries, NULL, &error));
  }
  rec = db_cards_get_by_sn (db, issued->sn, &error);
  g_assert_cmpint (rec->status, ==, DB_CARD_CLEARED);
  g_clear_pointer (&rec, db_card_free);

  /* Report lost by number: blacklisted, without the card. */
  holder (&h, ID_2, "李娜");
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "blank-sle4428", card2);
  second = wf_icard_issue (f->desk, WF_INTERACTION (f->ia), &h, NULL, &error);
  g_assert_no_error (error);
  tu_wf_empty (f, 1);
  rec = wf_icard_report_lost_record (f->desk, WF_INTERACTION (f->ia), second->card_number, NULL,
                                     NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rec->sn, ==, second->sn);
  g_assert_cmpint (rec->status, ==, DB_CARD_LOST);
  g_clear_pointer (&rec, db_card_free);
  /* Again by serial: already lost, still blacklisted, nothing refused. */
  g_assert_true (
      wf_icard_report_lost (f->desk, WF_INTERACTION (f->ia), NULL, second->sn, NULL, &error));
  g_assert_no_error (error);
  {
    gboolean listed = FALSE;

    g_assert_true (db_blacklist_contains (db, second->sn, &listed, &error));
    g_assert_true (listed);
  }

  /* History: the holder's cards and what was done to them. */
  g_assert_true (
      wf_icard_history (f->desk, WF_INTERACTION (f->ia), NULL, ID_1, &cards, &rows, &more, &error));
  g_assert_cmpuint (cards->len, ==, 1);
  g_assert_cmpuint (rows->len, >=, 5); /* issue, finish, read, rewrites, cancel, clear */
  g_assert_false (more);
  /* A history is a screenful: the newest rows, and word of older ones. */
  for (guint i = 0; i < WF_ICARD_HISTORY_MAX_ROWS; i++)
    {
      DbAuditEntry entry = { .actor = { .workstation = "TEST", .operator_name = "test" },
                             .action = DB_ACTION_READ,
                             .holder_id = ID_1,
                             .outcome = DB_OUTCOME_OK,
                             .detail = "filler" };

      g_assert_true (db_audit_append (db, &entry, &newest, &error));
    }
  g_clear_pointer (&cards, g_ptr_array_unref);
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_assert_true (
      wf_icard_history (f->desk, WF_INTERACTION (f->ia), NULL, ID_1, &cards, &rows, &more, &error));
  g_assert_cmpuint (rows->len, ==, WF_ICARD_HISTORY_MAX_ROWS);
  g_assert_true (more);
  g_assert_cmpint (((DbAuditRow *) rows->pdata[0])->seq, ==, newest);
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (f->ia), NULL, &error));
}

/* A batch: every bad row reported before any card; issued row after row;
 * stopped when no card comes, resumed where it stopped; the report. */
static void
test_batch (WfFixture *f, gconstpointer data)
{
  static const char csv[] = "id_number,name,employer_code\n"
                            "510402198503172316,张伟,5104001234\n"
                            "510402199007221021,李娜,\n"
                            "510402199007221022,坏号,\n"
                            "51041119781105003X,王强,5104005678\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (WfSession) session = NULL;
  g_autoptr (WfImport) imp = NULL;
  g_autofree char *path = g_build_filename (f->sim.dir, "people.csv", NULL);
  g_autofree char *report_path = g_build_filename (f->sim.dir, "report.csv", NULL);
  g_autofree char *report = NULL;
  WfBatchSummary summary = { 0 };
  gint64 batch_id;
  System sys;

  make_system (f, &sys);
  session = log_in (f, sys.ac);
  g_assert_true (g_file_set_contents (path, csv, -1, &error));

  imp = wf_batch_check (f->desk, WF_INTERACTION (f->ia), path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wf_import_get_n_rows (imp), ==, 3);
  g_assert_cmpuint (wf_import_get_n_problems (imp), ==, 1);
  g_assert_cmpuint (wf_import_get_problem (imp, 0)->line, ==, 4);

  /* One blank only: the second row waits for its card in vain. */
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "blank-sle4428", tu_wf_new_card (f, CS_CARD_SLE4428));
  g_assert_false (
      wf_batch_issue (f->desk, WF_INTERACTION (f->ia), path, 0, &summary, NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_TIMEOUT);
  g_clear_error (&error);
  g_assert_cmpint (summary.batch_id, >, 0);
  g_assert_cmpuint (summary.rows, ==, 4);
  g_assert_cmpuint (summary.issued, ==, 1);
  g_assert_cmpuint (summary.bad, ==, 1);
  g_assert_cmpuint (summary.pending, ==, 2);

  /* The same file again is refused: resume it instead. */
  batch_id = summary.batch_id;
  g_assert_false (
      wf_batch_issue (f->desk, WF_INTERACTION (f->ia), path, 0, &summary, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  for (guint i = 0; i < 2; i++)
    tu_wf_plan (f, "blank-sle4428", tu_wf_new_card (f, CS_CARD_SLE4428));
  tu_wf_empty (f, 1);
  g_assert_true (
      wf_batch_issue (f->desk, WF_INTERACTION (f->ia), NULL, batch_id, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.issued, ==, 3);
  g_assert_cmpuint (summary.pending, ==, 0);

  g_assert_true (wf_batch_write_report (f->desk, summary.batch_id, report_path, &error));
  g_assert_true (g_file_get_contents (report_path, &report, NULL, &error));
  g_assert_true (
      g_str_has_prefix (report, "line,id_number,name,outcome,card_number,sn,reason\r\n"));
  g_assert_nonnull (strstr (report, "张伟,issued,00000000"));
  g_assert_nonnull (strstr (report, ",bad,"));

  /* The sign-off list and one card's receipt, as PDF. */
  {
    g_autofree char *signoff = g_build_filename (f->sim.dir, "signoff.pdf", NULL);
    g_autofree char *receipt = g_build_filename (f->sim.dir, "receipt.pdf", NULL);
    g_autofree char *pdf = NULL;
    gsize len = 0;

    g_assert_true (
        wf_batch_write_signoff (f->desk, WF_INTERACTION (f->ia), batch_id, signoff, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (signoff, &pdf, &len, &error));
    g_assert_true (len > 1000 && g_str_has_prefix (pdf, "%PDF-"));
    g_clear_pointer (&pdf, g_free);
    g_assert_true (
        wf_icard_write_receipt (f->desk, WF_INTERACTION (f->ia), "0000000001", receipt, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (receipt, &pdf, &len, &error));
    g_assert_true (len > 1000 && g_str_has_prefix (pdf, "%PDF-"));
  }
  /* The same receipt as data, for printing: the registry's card and
   * holder, the operator and this desk. */
  {
    g_autoptr (WfIcardReceipt) r = NULL;
    g_autoptr (DbDatabase) db = wf_desk_open_db (f->desk, &error);
    g_autoptr (DbCard) rec = db_cards_get_by_number (db, "0000000001", &error);
    g_autoptr (DbHolder) who = NULL;

    g_assert_no_error (error);
    who = db_holders_get (db, rec->holder_id, &error);
    g_assert_no_error (error);
    r = wf_icard_get_receipt (f->desk, WF_INTERACTION (f->ia), "0000000001", &error);
    g_assert_no_error (error);
    g_assert_cmpint (r->card.kind, ==, WF_RECEIPT_ISSUANCE);
    g_assert_cmpstr (r->card.card_number, ==, "0000000001");
    g_assert_cmpstr (r->card.serial_hex, ==, rec->sn);
    g_assert_cmpstr (r->card.id_number, ==, rec->holder_id);
    g_assert_cmpstr (r->card.holder_name, ==, who->name);
    g_assert_cmpuint (strlen (r->card.date), ==, 8);
    g_assert_cmpstr (r->place.operator_name, ==, "张三");
    g_assert_cmpstr (r->place.workstation, ==, "DESK-01");
    g_assert_null (wf_icard_get_receipt (f->desk, WF_INTERACTION (f->ia), "0000009999", &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (f->ia), NULL, &error));
  /* Logged out: the holders of the batch are nobody's to write out. */
  g_assert_true (g_unlink (report_path) == 0);
  g_assert_false (wf_batch_write_report (f->desk, summary.batch_id, report_path, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN);
  g_assert_false (g_file_test (report_path, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();
#define ADD(path, fn) g_test_add (path, WfFixture, NULL, tu_wf_setup, fn, tu_wf_teardown)
  ADD ("/issue/issue", test_issue);
  ADD ("/issue/pulled-at-each-apdu", test_pulled_at_each_apdu);
  ADD ("/issue/life-cycle", test_life_cycle);
  ADD ("/issue/batch", test_batch);
#undef ADD
  return g_test_run ();
}
