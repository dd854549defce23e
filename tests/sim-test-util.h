/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sim-test-util.h: fixture for the tests over the in-process sim backend
 * (test-card-sim, test-reader-sim, test-sle4428, test-fmcos, test-secrets):
 * a temporary deck, an "outside" CsDeck handle on it (as insucard-cardsim
 * would have), a ClContext on the sim backend, and the cards a test keeps. */
#pragma once

#include <string.h>
#include <glib/gstdio.h>

#include "cl-context.h"
#include "cl-error.h"
#include "cs-deck.h"
#include "test-util.h"

typedef struct {
  char *dir;
  CsDeck *deck; /* the "outside" handle */
  ClContext *ctx;
  ClCard *card; /* R2, when a test keeps one here */
  ClCard *r1; /* R1, when a test keeps one here */
  guint8 serial[8];
} Fixture;

static inline void
tu_sim_open (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *prog = g_path_get_basename (g_get_prgname ());
  g_autofree char *tmpl = g_strdup_printf ("insucard-%s-XXXXXX", prog);

  f->dir = g_dir_make_tmp (tmpl, &error);
  g_assert_no_error (error);
  f->deck = cs_deck_open (f->dir, &error);
  g_assert_no_error (error);
  f->ctx = cl_context_new (CL_READER_BACKEND_SIM, f->dir);
}

static inline void
tu_sim_close (Fixture *f)
{
  if (f->card)
    cl_card_disconnect (f->card);
  if (f->r1)
    cl_card_disconnect (f->r1);
  g_clear_object (&f->card);
  g_clear_object (&f->r1);
  g_clear_object (&f->ctx);
  g_clear_pointer (&f->deck, cs_deck_free);
  tu_rm_rf (f->dir);
  g_clear_pointer (&f->dir, g_free);
}

/* The role's bound reader name (NULL = unbound). */
static inline void
tu_assert_role (ClContext *ctx, ClReaderRole role, const char *expected)
{
  g_autofree char *name = cl_context_dup_reader_name (ctx, role);

  g_assert_cmpstr (name, ==, expected);
}

/* For g_test_add() when the fixture needs nothing more. */
static inline void
tu_sim_setup (Fixture *f, gconstpointer data)
{
  tu_sim_open (f);
}

static inline void
tu_sim_teardown (Fixture *f, gconstpointer data)
{
  tu_sim_close (f);
}

/* Makes a blank card (serial NULL: the deck picks one) and inserts it in
 * slot from outside; returns its path. */
static inline char *
tu_sim_new_card (Fixture *f, guint slot, CsCardKind kind, const guint8 *serial)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = cs_deck_new_card (f->deck, kind, serial, &error);

  g_assert_no_error (error);
  cs_deck_insert (f->deck, slot, path, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static inline void
tu_sim_remove (Fixture *f, guint slot)
{
  g_autoptr (GError) error = NULL;

  cs_deck_remove (f->deck, slot, &error);
  g_assert_no_error (error);
}

static inline void
tu_sim_arm_fault (Fixture *f, guint slot, const char *spec)
{
  g_autoptr (GError) error = NULL;

  cs_deck_set_faults (f->deck, slot, spec, &error);
  g_assert_no_error (error);
}

static inline ClCard *
tu_connect (ClContext *ctx, const char *reader)
{
  g_autoptr (GError) error = NULL;
  ClCard *card = cl_context_connect (ctx, reader, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (card);
  return card;
}

/* tu_sim_new_card() and a connection to it. */
static inline ClCard *
tu_sim_insert (Fixture *f, guint slot, CsCardKind kind, const guint8 *serial)
{
  g_autofree char *path = tu_sim_new_card (f, slot, kind, serial);

  return tu_connect (f->ctx, slot == 0 ? CL_SIM_READER_R1 : CL_SIM_READER_R2);
}
