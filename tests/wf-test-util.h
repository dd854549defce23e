/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-test-util.h: a desk over the in-process simulator for the workflow
 * tests: a temporary deck and training database, a scripted interaction,
 * and a plan of which card the "person" puts into which reader when a task
 * asks for one. */
#pragma once

#include "sim-test-util.h"
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
