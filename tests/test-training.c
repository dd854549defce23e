/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-training.c: training mode points cardlib at the simulator and the
 * training database, and stocks its deck with the demo system by the real
 * ceremonies: once, and to the end after an interruption. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cl-error.h"
#include "cs-deck.h"
#include "db-cpu-card.h"
#include "db-issuance.h"
#include "ic-training.h"
#include "test-util.h"
#include "wf-insurance.h"
#include "wf-report.h"
#include "wf-scripted.h"
#include "wf-session.h"

/* -- setup ------------------------------------------------------------------------------------- */

static void
test_setup (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("insucard-training-XXXXXX", &error);
  g_autofree char *deck_dir = g_build_filename (dir, "deck", NULL);
  g_autofree char *production =
      g_build_filename (g_get_user_data_dir (), "insucard", "insucard.db", NULL);
  g_autofree char *training_db =
      g_build_filename (g_get_user_data_dir (), "insucard", "training.db", NULL);
  g_autofree char *default_deck =
      g_build_filename (g_get_user_data_dir (), "insucard", "training-deck", NULL);
  g_autoptr (IcConfig) config = g_new0 (IcConfig, 1);
  g_autoptr (IcConfig) pcsc = g_new0 (IcConfig, 1);

  g_assert_no_error (error);
  config->backend = CL_READER_BACKEND_SIM;
  ic_config_set (&config->deck_dir, deck_dir);
  ic_config_set (&config->reader_r1, "Some Real Reader 00 00");
  ic_config_set (&config->db_path, production); /* INSUCARD_DB naming the desk's database */
  ic_config_set (&config->workstation, "DESK-07");

  g_assert_true (ic_training_setup (config, &error));
  g_assert_no_error (error);
  g_assert_cmpint (config->backend, ==, CL_READER_BACKEND_SIM);
  g_assert_cmpstr (config->deck_dir, ==, deck_dir); /* an explicit sim deck is kept */
  g_assert_true (g_file_test (deck_dir, G_FILE_TEST_IS_DIR));
  g_assert_null (config->reader_r1); /* training never binds a real reader */
  g_assert_cmpstr (config->db_path, ==, training_db); /* nor opens the desk's database */
  g_assert_cmpstr (config->workstation, ==, "DESK-07");
  g_assert_true (ic_training_needs_stock (deck_dir));

  /* Real readers configured: training goes to its own deck all the same;
   * a host name too long for a key card gives way to a training name. */
  pcsc->backend = CL_READER_BACKEND_PCSC;
  ic_config_set (&pcsc->deck_dir, deck_dir);
  ic_config_set (&pcsc->workstation, "a-very-long-host-name.example.org");
  g_assert_true (ic_training_setup (pcsc, &error));
  g_assert_cmpint (pcsc->backend, ==, CL_READER_BACKEND_SIM);
  g_assert_cmpstr (pcsc->deck_dir, ==, default_deck);
  g_assert_cmpstr (pcsc->workstation, ==, IC_TRAINING_WORKSTATION);

  tu_rm_rf (dir);
}

/* -- stocking ---------------------------------------------------------------------------------- */

typedef struct {
  IcConfig *config;
  ClContext *ctx;
  WfDesk *desk;
  CsDeck *deck; /* the "outside" handle, as the card drawer has */
  double last_fraction;
  guint reports;
  double cancel_at; /* cancel when a step with this fraction starts; < 0: never */
  GCancellable *cancellable;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* The user data directory is the test's own (G_TEST_OPTION_ISOLATE_DIRS). */
  f->config = g_new0 (IcConfig, 1);
  ic_config_set (&f->config->workstation, "DESK-01");
  g_assert_true (ic_training_setup (f->config, &error));
  g_assert_no_error (error);
  f->ctx = ic_config_create_context (f->config);
  f->desk = wf_desk_new (f->ctx, f->config->db_path, f->config->workstation, &error);
  g_assert_no_error (error);
  f->deck = cs_deck_open (f->config->deck_dir, &error);
  g_assert_no_error (error);
  f->cancel_at = -1;
  f->cancellable = g_cancellable_new ();
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "insucard", NULL);

  g_clear_object (&f->cancellable);
  g_clear_pointer (&f->deck, cs_deck_free);
  g_clear_object (&f->desk);
  g_clear_object (&f->ctx);
  g_clear_pointer (&f->config, ic_config_free);
  tu_rm_rf (dir);
}

static void
progress_cb (double fraction, const char *step, gpointer data)
{
  Fixture *f = data;

  g_assert_cmpfloat (fraction, >=, f->last_fraction);
  g_assert_cmpfloat (fraction, <=, 1);
  g_assert_nonnull (step);
  f->last_fraction = fraction;
  f->reports++;
  if (f->cancel_at >= 0 && fraction >= f->cancel_at)
    g_cancellable_cancel (f->cancellable);
}

static gboolean
stock (Fixture *f, GError **error)
{
  f->last_fraction = 0;
  return ic_training_stock (f->desk, progress_cb, f, f->cancellable, error);
}

static GPtrArray *
list_cards (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *cards = cs_deck_list_cards (f->deck, &error);

  g_assert_no_error (error);
  return cards;
}

/* What a card image is, seen in R2 (it is taken out of R1 for that). */
static void
facts_of (Fixture *f, const char *path, WfCardFacts *facts)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;

  g_assert_true (cs_deck_reload (f->deck, NULL, &error));
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    if (cs_deck_get_slot_card (f->deck, i) != NULL)
      g_assert_true (cs_deck_remove (f->deck, i, &error));
  g_assert_true (cs_deck_insert (f->deck, 1, path, &error));
  card = cl_context_connect (f->ctx, CL_SIM_READER_R2, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wf_report_card_facts (card, facts, NULL, &error));
  g_assert_no_error (error);
  cl_card_disconnect (card);
}

/* The demo system, every card detected as cardlib sees it; R1 holds the
 * issuing administrator's card and R2 a blank insurance card. */
static void
check_demo_system (Fixture *f, guint extra_cpu_blanks, guint extra_blanks)
{
  g_autoptr (GPtrArray) cards = list_cards (f);
  g_autofree char *r1 = NULL;
  g_autofree char *r2 = NULL;
  guint mcc = 0, ktc = 0, kc = 0, cpu_blanks = 0, blanks = 0, roles[4] = { 0 };
  const char *holders[4] = { NULL };

  g_assert_false (ic_training_needs_stock (f->config->deck_dir));
  g_assert_true (cs_deck_reload (f->deck, NULL, NULL));
  r1 = g_strdup (cs_deck_get_slot_card (f->deck, 0));
  r2 = g_strdup (cs_deck_get_slot_card (f->deck, 1));
  g_assert_nonnull (r1);
  g_assert_nonnull (r2);

  g_assert_cmpuint (cards->len, ==, 6 + IC_DEMO_BLANKS + extra_cpu_blanks + extra_blanks);
  for (guint i = 0; i < cards->len; i++)
    {
      g_auto (WfCardFacts) facts = { 0 };

      facts_of (f, cards->pdata[i], &facts);
      switch (facts.info.kind)
        {
        case CL_CARD_KIND_MCC:
          mcc++;
          break;
        case CL_CARD_KIND_KTC:
          ktc++;
          break;
        case CL_CARD_KIND_AC:
          g_assert_cmpint (facts.info.role, ==, facts.role);
          roles[facts.role]++;
          holders[facts.role] = g_intern_string (facts.holder_name);
          if (g_strcmp0 (cards->pdata[i], r1) == 0)
            g_assert_cmpint (facts.role, ==, CL_ROLE_ISSUING_ADMIN);
          break;
        case CL_CARD_KIND_KC:
          kc++;
          g_assert_cmpstr (facts.holder_name, ==, IC_DEMO_CLERK);
          g_assert_cmpstr (facts.workstation, ==, wf_desk_get_workstation (f->desk));
          break;
        case CL_CARD_KIND_SLE4428:
          g_assert_true (facts.blank);
          blanks++;
          break;
        case CL_CARD_KIND_CPU_BLANK:
          cpu_blanks++;
          break;
        default:
          g_assert_not_reached ();
        }
      if (g_strcmp0 (cards->pdata[i], r2) == 0)
        g_assert_cmpint (facts.info.kind, ==, CL_CARD_KIND_SLE4428);
      if (g_strcmp0 (cards->pdata[i], r1) == 0)
        g_assert_cmpint (facts.info.kind, ==, CL_CARD_KIND_AC);
    }
  g_assert_cmpuint (mcc, ==, 1);
  g_assert_cmpuint (ktc, ==, 1);
  g_assert_cmpuint (kc, ==, 1);
  g_assert_cmpuint (blanks, ==, IC_DEMO_BLANKS + extra_blanks);
  g_assert_cmpuint (cpu_blanks, ==, extra_cpu_blanks);
  g_assert_cmpuint (roles[CL_ROLE_SYSTEM_ADMIN], ==, 1);
  g_assert_cmpuint (roles[CL_ROLE_ISSUING_ADMIN], ==, 1);
  g_assert_cmpuint (roles[CL_ROLE_AUDITOR], ==, 1);
  g_assert_cmpstr (holders[CL_ROLE_SYSTEM_ADMIN], ==, IC_DEMO_SYSTEM_ADMIN);
  g_assert_cmpstr (holders[CL_ROLE_ISSUING_ADMIN], ==, IC_DEMO_ISSUING_ADMIN);
  g_assert_cmpstr (holders[CL_ROLE_AUDITOR], ==, IC_DEMO_AUDITOR);

  /* Back as the stocking left them. */
  g_assert_true (cs_deck_remove (f->deck, 1, NULL));
  g_assert_true (cs_deck_insert (f->deck, 0, r1, NULL));
  g_assert_true (cs_deck_insert (f->deck, 1, r2, NULL));
}

/* The trainee's first step: log in with the card in R1 and PIN 123456. */
static void
check_login (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfScripted) ia = wf_scripted_new ();
  g_autoptr (WfSession) session = NULL;

  wf_scripted_add (ia, "operator-pin=" IC_DEMO_CARD_PIN, NULL);
  session = wf_login (f->desk, WF_INTERACTION (ia), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (session);
  g_assert_cmpstr (wf_session_get_holder_name (session), ==, IC_DEMO_ISSUING_ADMIN);
  g_assert_cmpint (wf_session_get_role (session), ==, CL_ROLE_ISSUING_ADMIN);
  g_assert_true (wf_session_require (session, WF_PERM_ISSUE, NULL));
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (ia), NULL, &error));
  g_assert_no_error (error);
}

/* And the first card of the training: the blank in R2 issued by the
 * issuing administrator; the drawer's facts then give its number. */
static void
check_issue (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfScripted) ia = wf_scripted_new ();
  g_autoptr (WfSession) session = NULL;
  g_autoptr (WfIssued) issued = NULL;
  g_autoptr (ClCard) card = NULL;
  g_auto (WfCardFacts) facts = { 0 };
  WfIcardHolder holder = { 0 };

  g_assert_true (
      wf_icard_holder_set (&holder, WF_ICARD_FIELD_ID_NUMBER, "510402198503172316", &error));
  g_assert_true (wf_icard_holder_set (&holder, WF_ICARD_FIELD_NAME, "张伟", &error));
  g_assert_no_error (error);
  wf_scripted_add (ia, "operator-pin=" IC_DEMO_CARD_PIN, NULL);
  session = wf_login (f->desk, WF_INTERACTION (ia), NULL, &error);
  g_assert_no_error (error);
  issued = wf_icard_issue (f->desk, WF_INTERACTION (ia), &holder, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (ia), NULL, &error));
  g_assert_no_error (error);
  wf_icard_holder_clear (&holder);

  card = cl_context_connect (f->ctx, CL_SIM_READER_R2, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wf_report_card_facts (card, &facts, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (facts.info.kind, ==, CL_CARD_KIND_SLE4428);
  g_assert_false (facts.blank);
  g_assert_cmpstr (facts.card_number, ==, issued->card_number);
  g_assert_cmpint (facts.status, ==, WF_ICARD_STATUS_ACTIVE);
  cl_card_disconnect (card);
}

static guint
registered_cpu_cards (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = wf_desk_open_db (f->desk, &error);
  g_autoptr (GPtrArray) rows = NULL;

  g_assert_no_error (error);
  rows = db_cpu_cards_list (db, &error);
  g_assert_no_error (error);
  return rows->len;
}

static void
test_stock (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (ic_training_needs_stock (f->config->deck_dir));
  g_assert_true (stock (f, &error));
  g_assert_no_error (error);
  g_test_message ("stocking took %.2f s",
                  (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
  g_assert_cmpfloat (f->last_fraction, ==, 1);
  g_assert_cmpuint (f->reports, >=, 7);
  g_assert_cmpuint (registered_cpu_cards (f), ==, 6);
  check_demo_system (f, 0, 0);
  check_login (f);
  check_issue (f);

  /* Stocking again adds nothing and moves nothing. */
  before = list_cards (f);
  f->reports = 0;
  g_assert_true (stock (f, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->reports, ==, 0);
  after = list_cards (f);
  g_assert_cmpuint (after->len, ==, before->len);
  for (guint i = 0; i < after->len; i++)
    g_assert_cmpstr (after->pdata[i], ==, before->pdata[i]);
  g_assert_cmpuint (registered_cpu_cards (f), ==, 6);
}

/* What the drawer's "Pull it during the next write" is for: the blank in
 * R2 leaves in the middle of its issuance, and the trainee finishes the
 * interrupted issuance with the card back. */
static void
test_practise_pull (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfScripted) ia = wf_scripted_new ();
  g_autoptr (WfSession) session = NULL;
  g_autoptr (WfIssued) issued = NULL;
  g_autoptr (GPtrArray) journal = NULL;
  g_autofree char *blank = NULL;
  WfIcardHolder holder = { 0 };
  const DbIssuance *attempt;

  g_assert_true (stock (f, &error));
  g_assert_no_error (error);
  g_assert_true (cs_deck_reload (f->deck, NULL, &error));
  blank = g_strdup (cs_deck_get_slot_card (f->deck, 1));
  g_assert_true (
      wf_icard_holder_set (&holder, WF_ICARD_FIELD_ID_NUMBER, "510402199007221021", &error));
  g_assert_true (wf_icard_holder_set (&holder, WF_ICARD_FIELD_NAME, "李娜", &error));
  wf_scripted_add (ia, "operator-pin=" IC_DEMO_CARD_PIN, NULL);
  session = wf_login (f->desk, WF_INTERACTION (ia), NULL, &error);
  g_assert_no_error (error);

  g_assert_true (cs_deck_set_faults (f->deck, 1, "tear-write=1", &error));
  g_assert_null (wf_icard_issue (f->desk, WF_INTERACTION (ia), &holder, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_REMOVED);
  g_clear_error (&error);
  g_assert_true (cs_deck_reload (f->deck, NULL, &error));
  g_assert_null (cs_deck_get_slot_card (f->deck, 1));
  journal = wf_journal_list (f->desk, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (journal->len, ==, 1);
  attempt = journal->pdata[0];

  g_assert_true (cs_deck_insert (f->deck, 1, blank, &error));
  issued = wf_journal_finish (f->desk, WF_INTERACTION (ia), attempt->id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (issued->holder_id, ==, "510402199007221021");
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (ia), NULL, &error));
  wf_icard_holder_clear (&holder);
}

static void
test_stock_interrupted (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* The blank for the MCC is pulled in the middle of its first write. */
  g_assert_true (cs_deck_set_faults (f->deck, 1, "tear-write=1", &error));
  g_assert_false (stock (f, &error));
  g_assert_nonnull (error);
  g_test_message ("first try: %s", error->message);
  g_clear_error (&error);
  g_assert_true (ic_training_needs_stock (f->config->deck_dir));

  /* Then closed while the KTC was being made (step 2 of 7). */
  f->cancel_at = 1.0 / 7;
  g_assert_false (stock (f, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (ic_training_needs_stock (f->config->deck_dir));

  /* The next start finishes it: the half-made cards are gone, each card of
   * the system is there once. */
  f->cancel_at = -1;
  g_cancellable_reset (f->cancellable);
  g_assert_true (stock (f, &error));
  g_assert_no_error (error);
  check_demo_system (f, 0, 0);
  check_login (f);
}

/* A training deck of an older insucard (blank cards only) is stocked, its
 * blanks kept; a deck with cards of its own is left alone. */
static void
test_stock_existing_deck (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *cpu = cs_deck_new_card (f->deck, CS_CARD_FMCOS, NULL, &error);
  g_autofree char *sle = cs_deck_new_card (f->deck, CS_CARD_SLE4428, NULL, &error);
  g_autofree char *record = g_build_filename (f->config->deck_dir, "training.ini", NULL);
  g_autofree char *other_dir = g_build_filename (g_get_user_data_dir (), "other-deck", NULL);
  g_autofree char *junk = NULL;
  g_autoptr (CsDeck) other = NULL;
  g_autoptr (IcConfig) config = g_new0 (IcConfig, 1);
  g_autoptr (ClContext) ctx = NULL;
  g_autoptr (WfDesk) desk = NULL;

  g_assert_no_error (error);
  g_assert_true (cs_deck_insert (f->deck, 0, cpu, &error));
  g_assert_true (cs_deck_insert (f->deck, 1, sle, &error));
  g_assert_true (stock (f, &error));
  g_assert_no_error (error);
  check_demo_system (f, 1, 1);
  g_assert_true (g_file_test (cpu, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (record, G_FILE_TEST_EXISTS));

  /* A deck with a card that is no blank: not touched. */
  other = cs_deck_open (other_dir, &error);
  g_assert_no_error (error);
  junk = g_build_filename (cs_deck_get_cards_dir (other), "mine.card", NULL);
  g_assert_true (g_file_set_contents (junk, "not a card image\n", -1, &error));
  g_clear_pointer (&sle, g_free);
  sle = cs_deck_new_card (other, CS_CARD_SLE4428, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cs_deck_insert (other, 1, sle, &error));
  config->backend = CL_READER_BACKEND_SIM;
  ic_config_set (&config->deck_dir, other_dir);
  ic_config_set (&config->workstation, "DESK-01");
  g_assert_true (ic_training_setup (config, &error));
  ctx = ic_config_create_context (config);
  desk = wf_desk_new (ctx, config->db_path, config->workstation, &error);
  g_assert_no_error (error);
  g_assert_true (ic_training_stock (desk, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cs_deck_reload (other, NULL, &error));
  g_assert_cmpstr (cs_deck_get_slot_card (other, 1), ==, sle);
  g_assert_null (cs_deck_get_slot_card (other, 0));
  /* Recorded as someone's deck: not looked at again. */
  g_assert_false (ic_training_needs_stock (other_dir));
  g_assert_true (ic_training_stock (desk, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cs_deck_reload (other, NULL, &error));
  g_assert_cmpstr (cs_deck_get_slot_card (other, 1), ==, sle);
  {
    g_autoptr (GPtrArray) cards = cs_deck_list_cards (other, &error);

    g_assert_cmpuint (cards->len, ==, 2);
  }
}

static void
test_banner (void)
{
  g_autofree char *text = ic_training_banner_text ();

  /* Says plainly that nothing is real, and gives every demo PIN. */
  g_assert_nonnull (strstr (text, "nothing here is real"));
  g_assert_nonnull (strstr (text, IC_DEMO_CARD_PIN));
  g_assert_nonnull (strstr (text, IC_DEMO_KTC_PIN1));
  g_assert_nonnull (strstr (text, IC_DEMO_KTC_PIN2));
  g_assert_nonnull (strstr (text, IC_DEMO_KTC_PIN3));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/training/setup", test_setup);
  g_test_add_func ("/training/banner", test_banner);
  g_test_add ("/training/stock", Fixture, NULL, setup, test_stock, teardown);
  g_test_add ("/training/stock-interrupted", Fixture, NULL, setup, test_stock_interrupted,
              teardown);
  g_test_add ("/training/stock-existing-deck", Fixture, NULL, setup, test_stock_existing_deck,
              teardown);
  g_test_add ("/training/practise-pull", Fixture, NULL, setup, test_practise_pull, teardown);
  return g_test_run ();
}
