/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-test-util.h: a desk over the in-process simulator for the workflow
 * tests: a temporary deck and training database, a scripted interaction,
 * and a plan of which card the "person" puts into which reader when a task
 * asks for one; and the whole system of CPU cards made from fixed inputs,
 * which the ceremony tests share. */
#pragma once

#include "cl-fmcos.h"
#include "cl-kind.h"
#include "db-query.h"
#include "sim-test-util.h"
#include "wf-ceremonies.h"
#include "wf-desk.h"
#include "wf-scripted.h"

typedef struct {
  Fixture sim; /* deck, context */
  char *db_path;
  WfDesk *desk;
  WfScripted *ia;
  GHashTable *plan; /* question name -> GQueue of card image paths */
  GPtrArray *paths; /* every card image made, to free */
  const char *fault_card; /* when this card is inserted, arm fault_spec on its slot */
  const char *fault_spec;
} WfFixture;

static gboolean
tu_wf_card_func (WfScripted *ia, const WfQuestion *q, gpointer data)
{
  WfFixture *f = data;
  GQueue *queue = g_hash_table_lookup (f->plan, q->name);
  const char *path = queue != NULL ? g_queue_pop_head (queue) : NULL;
  g_autoptr (GError) error = NULL;
  guint slot = q->reader == CL_READER_ROLE_R1 ? 0 : 1;

  if (path == NULL)
    return FALSE;
  g_assert_true (cs_deck_reload (f->sim.deck, NULL, &error));
  /* A card is in one reader at a time: take it out of the other first. */
  for (guint i = 0; i < 2; i++)
    if (g_strcmp0 (cs_deck_get_slot_card (f->sim.deck, i), path) == 0
        || (i == slot && cs_deck_get_slot_card (f->sim.deck, i) != NULL))
      g_assert_true (cs_deck_remove (f->sim.deck, i, &error));
  g_assert_true (cs_deck_insert (f->sim.deck, slot, path, &error));
  g_assert_no_error (error);
  if (f->fault_card != NULL && g_strcmp0 (f->fault_card, path) == 0)
    {
      g_assert_true (cs_deck_set_faults (f->sim.deck, slot, f->fault_spec, &error));
      f->fault_card = NULL;
    }
  return TRUE;
}

static inline void
tu_wf_setup (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  tu_sim_open (&f->sim);
  f->db_path = g_build_filename (f->sim.dir, "training.db", NULL);
  f->desk = wf_desk_new (f->sim.ctx, f->db_path, "DESK-01", &error);
  g_assert_no_error (error);
  f->ia = wf_scripted_new ();
  f->plan = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_queue_free);
  f->paths = g_ptr_array_new_with_free_func (g_free);
  wf_scripted_set_card_func (f->ia, tu_wf_card_func, f, NULL);
}

static inline void
tu_wf_teardown (WfFixture *f, gconstpointer data)
{
  g_clear_object (&f->ia);
  g_clear_object (&f->desk);
  g_hash_table_unref (f->plan);
  g_ptr_array_unref (f->paths);
  g_free (f->db_path);
  tu_sim_close (&f->sim);
}

/* A new card image in the deck, not inserted; the path stays valid for
 * the test. */
static inline const char *
tu_wf_new_card (WfFixture *f, CsCardKind kind)
{
  g_autoptr (GError) error = NULL;
  char *path = cs_deck_new_card (f->sim.deck, kind, NULL, &error);

  g_assert_no_error (error);
  g_ptr_array_add (f->paths, path);
  return path;
}

/* When a task asks for card `question`, the person inserts `path`. */
static inline void
tu_wf_plan (WfFixture *f, const char *question, const char *path)
{
  GQueue *queue = g_hash_table_lookup (f->plan, question);

  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (f->plan, g_strdup (question), queue);
    }
  g_queue_push_tail (queue, (gpointer) path);
}

/* Takes the card out of a slot, if any (the person removes it). */
static inline void
tu_wf_empty (WfFixture *f, guint slot)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_deck_reload (f->sim.deck, NULL, &error));
  if (cs_deck_get_slot_card (f->sim.deck, slot) != NULL)
    g_assert_true (cs_deck_remove (f->sim.deck, slot, &error));
}

/* -- the system of CPU cards ---------------------------------------------------------------- */

/* The ceremonies' inputs, as the custodians' papers give them. */
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

/* The three custodians' entries of a KTC ceremony, and the MCC's PIN. */
static inline void
script_ktc_inputs (WfFixture *f)
{
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, "code1=" CODE1, "pin1=" PIN1, "code2=" CODE2,
                   "pin2=" PIN2, "psub=" PSUB, "dsub=" DSUB, "pin3=" PIN3, NULL);
}

/* MCC, KTC, an issuing-admin card and a key card bound to this desk. */
static inline void
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

/* An administrator card of role for a holder of office (PIN HOLDER_PIN),
 * made with the MCC and the KTC of sys; the card stays in R2. */
static inline const char *
make_admin_card (WfFixture *f, const System *sys, ClCardRole role, const char *name,
                 const char *staff, const char *office)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) acs = NULL;
  WfOpHolder holder = { (char *) name, (char *) staff, role, (char *) office };
  const char *card = tu_wf_new_card (f, CS_CARD_FMCOS);

  tu_wf_plan (f, "mcc", sys->mcc);
  tu_wf_plan (f, "ktc", sys->ktc);
  tu_wf_plan (f, "blank-cpu", card);
  wf_scripted_add (f->ia, "mcc-pin=" MCC_PIN, "holder-pin=" HOLDER_PIN, NULL);
  acs = wf_opcard_create (f->desk, WF_INTERACTION (f->ia), &holder, NULL, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (acs->len, ==, 1);
  return card;
}

/* Puts a card into a reader from outside and connects to it. */
static inline ClCard *
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

/* The serial the card gives in its ATR. */
static inline void
get_serial (ClCard *card, guint8 serial[8])
{
  ClCardInfo info;

  g_assert_true (cl_card_detect (card, &info, NULL, NULL));
  g_assert_true (info.has_serial);
  memcpy (serial, info.serial, 8);
}

/* Has the audit log a row of this action with this outcome? */
static inline gboolean
has_audit (WfFixture *f, DbAction action, DbOutcome outcome)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = wf_desk_open_db (f->desk, &error);
  DbAuditFilter filter = { 0 };
  g_autoptr (GPtrArray) rows = NULL;

  g_assert_no_error (error);
  filter.action = action;
  filter.outcome = outcome;
  rows = db_audit_query (db, &filter, DB_ORDER_NEWEST_FIRST, 0, 10, &error);
  g_assert_no_error (error);
  return rows->len > 0;
}
