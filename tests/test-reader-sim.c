/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-reader-sim.c: ClContext over the in-process sim backend: reader
 * list, R1/R2 binding, backend selection, and the watch thread's signals
 * when cards are inserted and removed from "outside" (a second CsDeck
 * handle on the same directory, as the insucard-cardsim CLI does).
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cl-backend.h"
#include "cl-context.h"
#include "cl-error.h"
#include "cs-deck.h"
#include "sim-test-util.h"

/* A blank SLE4428 in slot, inserted from outside. */
static void
insert_card (Fixture *f, guint slot)
{
  g_free (tu_sim_new_card (f, slot, CS_CARD_SLE4428, NULL));
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the thread-default main context until *flag or ms elapse. */
static gboolean
wait_for (gboolean *flag, guint ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (ms, on_timeout, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return *flag;
}

static void
test_list (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = cl_context_list_readers (f->ctx, NULL, &error);
  g_autofree char *r1 = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, CL_SIM_READER_R1);
  g_assert_cmpstr (names[1], ==, CL_SIM_READER_R2);
  g_assert_cmpint (cl_context_get_backend (f->ctx), ==, CL_READER_BACKEND_SIM);

  /* Sim mode binds the roles by default. */
  tu_assert_role (f->ctx, CL_READER_ROLE_R1, CL_SIM_READER_R1);
  tu_assert_role (f->ctx, CL_READER_ROLE_R2, CL_SIM_READER_R2);
  r1 = cl_context_resolve_reader (f->ctx, CL_READER_ROLE_R1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r1, ==, CL_SIM_READER_R1);
}

static void
test_roles (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *r = NULL;

  /* Swapped roles are allowed: binding is by name, nothing else. */
  cl_context_set_reader_name (f->ctx, CL_READER_ROLE_R1, CL_SIM_READER_R2);
  r = cl_context_resolve_reader (f->ctx, CL_READER_ROLE_R1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r, ==, CL_SIM_READER_R2);
  g_clear_pointer (&r, g_free);

  /* A name that is not connected: NO_READER, naming what is there. */
  cl_context_set_reader_name (f->ctx, CL_READER_ROLE_R1, "ACS ACR38U 00 00");
  r = cl_context_resolve_reader (f->ctx, CL_READER_ROLE_R1, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, CL_ERROR, CL_ERROR_NO_READER);
  g_assert_nonnull (strstr (error->message, CL_SIM_READER_R1));
  g_assert_nonnull (strstr (error->message, "ACS ACR38U 00 00"));
  g_clear_error (&error);

  /* NULL unbinds: back to the sim default. */
  cl_context_set_reader_name (f->ctx, CL_READER_ROLE_R1, NULL);
  tu_assert_role (f->ctx, CL_READER_ROLE_R1, CL_SIM_READER_R1);
}

static void
test_pcsc_never_guesses (void)
{
  g_autoptr (ClContext) ctx = NULL;

  ctx = cl_context_new (CL_READER_BACKEND_PCSC, NULL);
  tu_assert_role (ctx, CL_READER_ROLE_R1, NULL);
  tu_assert_role (ctx, CL_READER_ROLE_R2, NULL);
}

typedef struct {
  GPtrArray *events; /* "signal:reader" */
  GThread *thread;
  gboolean wrong_thread;
} Events;

static void
record (Events *ev, const char *what, const char *reader)
{
  if (g_thread_self () != ev->thread)
    ev->wrong_thread = TRUE;
  g_ptr_array_add (ev->events, g_strdup_printf ("%s:%s", what, reader));
}

static void
on_card_inserted (ClContext *ctx, const char *reader, Events *ev)
{
  record (ev, "inserted", reader);
}

static void
on_card_removed (ClContext *ctx, const char *reader, Events *ev)
{
  record (ev, "removed", reader);
}

static gboolean
has_event (Events *ev, const char *what)
{
  for (guint i = 0; i < ev->events->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ev->events, i), what) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
on_check (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the thread-default main context until the event arrives. */
static void
wait_event (Events *ev, const char *what)
{
  g_autoptr (GMainContext) mc = g_main_context_ref_thread_default ();
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  GSource *tick = g_timeout_source_new (20);

  g_source_set_callback (tick, on_check, NULL, NULL);
  g_source_attach (tick, mc);
  while (!has_event (ev, what) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (mc, TRUE);
  g_source_destroy (tick);
  g_source_unref (tick);
  g_assert_true (has_event (ev, what));
}

static void
test_watch (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  Events ev = { events, g_thread_self (), FALSE };
  gboolean idle = FALSE;
  g_autofree char *r2_in = g_strdup_printf ("inserted:%s", CL_SIM_READER_R2);
  g_autofree char *r2_out = g_strdup_printf ("removed:%s", CL_SIM_READER_R2);

  /* A card already there at start is the baseline, not an event. */
  insert_card (f, 0);
  g_signal_connect (f->ctx, "card-inserted", G_CALLBACK (on_card_inserted), &ev);
  g_signal_connect (f->ctx, "card-removed", G_CALLBACK (on_card_removed), &ev);
  cl_context_start_watch (f->ctx);
  g_timeout_add (300, on_timeout, &idle);
  wait_for (&idle, 1000);
  g_assert_cmpuint (events->len, ==, 0);

  insert_card (f, 1);
  wait_event (&ev, r2_in);
  cs_deck_remove (f->deck, 1, &error);
  g_assert_no_error (error);
  wait_event (&ev, r2_out);
  g_assert_false (ev.wrong_thread);

  /* Swapping a card between two polls still shows as removed + inserted. */
  g_ptr_array_set_size (events, 0);
  insert_card (f, 1);
  wait_event (&ev, r2_in);

  cl_context_stop_watch (f->ctx);
  cl_context_stop_watch (f->ctx); /* idempotent */
}

static void
on_idle_quit (ClContext *ctx, const char *reader, gpointer data)
{
}

/* A context dropped while its watch runs: the thread ends, nothing leaks,
 * and no signal reaches a finalized object. */
static void
test_watch_dispose (Fixture *f, gconstpointer data)
{
  g_autoptr (ClContext) ctx = cl_context_new (CL_READER_BACKEND_SIM, f->dir);

  g_signal_connect (ctx, "card-inserted", G_CALLBACK (on_idle_quit), NULL);
  cl_context_start_watch (ctx);
  insert_card (f, 1);
  g_usleep (200 * 1000);
  g_clear_object (&ctx);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static gpointer
stop_watch_in_thread (gpointer ctx)
{
  cl_context_stop_watch (ctx);
  return NULL;
}

/* Stopped from another thread while events for it still wait in a main
 * context that thread cannot acquire: once the context and its watch are
 * gone, dispatching those events is harmless and reaches no handler. */
static void
test_watch_stop_with_events_queued (Fixture *f, gconstpointer data)
{
  g_autoptr (GMainContext) mc = g_main_context_new ();
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  Events ev = { events, g_thread_self (), FALSE };
  ClContext *ctx = cl_context_new (CL_READER_BACKEND_SIM, f->dir);
  gint64 deadline;

  g_main_context_push_thread_default (mc); /* this thread owns mc from now on */
  g_signal_connect (ctx, "card-inserted", G_CALLBACK (on_card_inserted), &ev);
  cl_context_start_watch (ctx);
  g_usleep (150 * 1000);
  insert_card (f, 1);
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  while (!g_main_context_pending (mc) && g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  g_assert_true (g_main_context_pending (mc));

  g_thread_join (g_thread_new ("stop", stop_watch_in_thread, ctx));
  g_object_unref (ctx);
  while (g_main_context_iteration (mc, FALSE))
    ;
  g_main_context_pop_thread_default (mc);
  g_assert_cmpuint (events->len, ==, 0);
}

/* A watch started in a thread with its own main context reports there. */
static void
test_watch_other_context (Fixture *f, gconstpointer data)
{
  g_autoptr (GMainContext) mc = g_main_context_new ();
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  Events ev = { events, g_thread_self (), FALSE };
  g_autofree char *r1_in = g_strdup_printf ("inserted:%s", CL_SIM_READER_R1);

  g_main_context_push_thread_default (mc);
  g_signal_connect (f->ctx, "card-inserted", G_CALLBACK (on_card_inserted), &ev);
  cl_context_start_watch (f->ctx);
  g_usleep (150 * 1000);
  insert_card (f, 0);
  wait_event (&ev, r1_in);
  cl_context_stop_watch (f->ctx);
  g_main_context_pop_thread_default (mc);
  g_assert_false (ev.wrong_thread);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, tu_sim_setup, fn, tu_sim_teardown)
  ADD ("/reader-sim/list", test_list);
  ADD ("/reader-sim/roles", test_roles);
  ADD ("/reader-sim/watch", test_watch);
  ADD ("/reader-sim/watch-dispose", test_watch_dispose);
  ADD ("/reader-sim/watch-stop-with-events-queued", test_watch_stop_with_events_queued);
  ADD ("/reader-sim/watch-other-context", test_watch_other_context);
#undef ADD
  g_test_add_func ("/reader-sim/pcsc-never-guesses", test_pcsc_never_guesses);

  return g_test_run ();
}
