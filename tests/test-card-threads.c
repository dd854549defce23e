/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-card-threads.c: the threading contract of ClCard (cl-card.h) over
 * the in-process sim backend: one owner at a time, no command of one thread
 * inside another thread's transaction, waiting for a transaction another
 * program holds is cancellable, and closing never waits for it. */
#include "config.h"

#include <string.h>

#include "cl-backend.h"
#include "cl-log.h"
#include "cl-sle4428.h"
#include "sim-test-util.h"

#define R2 CL_SIM_READER_R2

/* READ MEMORY CARD of one byte at addr: a harmless, recognisable command. */
static void
read_byte (ClCard *card, guint addr, GCancellable *cancellable, GError **error)
{
  ClApdu apdu = { .cla = 0xFF, .ins = 0xB0, .p1 = addr >> 8, .p2 = addr & 0xFF, .le = 1 };
  g_autoptr (ClResponse) resp = cl_card_transmit (card, &apdu, cancellable, error);
}

/* The addresses of the read commands in the transcript, in order. */
static GArray *
transcript_reads (void)
{
  g_autofree char *text = cl_transcript_to_string ();
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "C:FFB0"))
      {
        guint addr = g_ascii_strtoull (lines[i] + 6, NULL, 16) >> 8; /* P1P2 of P1P2Le */

        g_array_append_val (out, addr);
      }
  return out;
}

typedef struct {
  ClCard *card;
  GMutex lock;
  GCond cond;
  gboolean a_inside; /* A has begun and sent its first command */
} Shared;

static gpointer
thread_a (gpointer data)
{
  Shared *sh = data;
  g_autoptr (GError) error = NULL;

  g_assert_true (cl_card_begin (sh->card, NULL, &error));
  g_assert_no_error (error);
  read_byte (sh->card, 0x10, NULL, &error); /* "GET CHALLENGE" */
  g_assert_no_error (error);
  g_mutex_lock (&sh->lock);
  sh->a_inside = TRUE;
  g_cond_broadcast (&sh->cond);
  g_mutex_unlock (&sh->lock);
  g_usleep (150 * 1000); /* a slow host computing a MAC */
  read_byte (sh->card, 0x11, NULL, &error); /* "the MAC'd command" */
  g_assert_no_error (error);
  cl_card_end (sh->card);
  return NULL;
}

static gpointer
thread_b (gpointer data)
{
  Shared *sh = data;

  g_mutex_lock (&sh->lock);
  while (!sh->a_inside)
    g_cond_wait (&sh->cond, &sh->lock);
  g_mutex_unlock (&sh->lock);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr (GError) error = NULL;

      read_byte (sh->card, 0x20, NULL, &error);
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_no_interleave (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (GArray) reads = NULL;
  Shared sh = { card };
  GThread *a, *b;
  gint first = -1, second = -1;

  g_mutex_init (&sh.lock);
  g_cond_init (&sh.cond);
  cl_transcript_clear ();
  a = g_thread_new ("a", thread_a, &sh);
  b = g_thread_new ("b", thread_b, &sh);
  g_thread_join (a);
  g_thread_join (b);
  g_mutex_clear (&sh.lock);
  g_cond_clear (&sh.cond);

  reads = transcript_reads ();
  g_assert_cmpuint (reads->len, ==, 7);
  for (guint i = 0; i < reads->len; i++)
    {
      guint addr = g_array_index (reads, guint, i);

      if (addr == 0x10)
        first = i;
      else if (addr == 0x11)
        second = i;
    }
  /* A's two commands are adjacent: nothing of B's in between. */
  g_assert_cmpint (first, >=, 0);
  g_assert_cmpint (second, ==, first + 1);
}

/* -- another program holds the card's transaction ---------------------------------- */

typedef struct {
  GAsyncResult *result;
} Wait;

static void
on_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  ((Wait *) data)->result = g_object_ref (result);
}

/* Iterates the main context for ms, or until the result came. */
static void
spin (Wait *w, guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (w->result == NULL && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE), g_usleep (5000);
}

static ClCard *
hold_transaction (Fixture *f, ClContext **other)
{
  g_autoptr (GError) error = NULL;
  ClCard *holder;

  *other = cl_context_new (CL_READER_BACKEND_SIM, f->dir);
  holder = tu_connect (*other, R2);
  g_assert_true (cl_card_begin (holder, NULL, &error));
  g_assert_no_error (error);
  return holder;
}

static void
test_cancel_while_other_holds (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClContext) other = NULL;
  g_autoptr (ClCard) holder = hold_transaction (f, &other);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (ClCard) later = NULL;
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) got = NULL;
  Wait w = { NULL };

  cl_sle4428_read_async (card, 0x10, 4, cancel, on_ready, &w);
  spin (&w, 300);
  g_assert_null (w.result); /* waiting for the other program, main loop free */

  g_cancellable_cancel (cancel);
  spin (&w, 5000);
  g_assert_nonnull (w.result);
  got = cl_sle4428_read_finish (card, w.result, &error);
  g_assert_null (got);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&w.result);

  /* Dropping the card returns at once, though its begin still waits. */
  g_clear_object (&card);

  /* The other program lets go: the abandoned begin gets the transaction
   * and ends it, so a new connection can have one. */
  cl_card_end (holder);
  later = tu_connect (f->ctx, R2);
  g_assert_true (cl_card_begin (later, NULL, &error));
  g_assert_no_error (error);
  cl_card_end (later);
}

/* A caller that gave up, then comes back: the next begin adopts the
 * abandoned one and succeeds once the other program lets go. */
static void
test_begin_again_after_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClContext) other = NULL;
  g_autoptr (ClCard) holder = hold_transaction (f, &other);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (GError) error = NULL;

  g_cancellable_cancel (cancel);
  g_assert_false (cl_card_begin (card, cancel, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  cl_card_end (holder);
  g_assert_true (cl_card_begin (card, NULL, &error));
  g_assert_no_error (error);
  read_byte (card, 0x10, NULL, &error);
  g_assert_no_error (error);
  cl_card_end (card);
}

static gpointer
begin_in_thread (gpointer data)
{
  GError *error = NULL;

  if (cl_card_begin (data, NULL, &error))
    cl_card_end (data);
  return error;
}

static void
test_disconnect_while_waiting (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClContext) other = NULL;
  g_autoptr (ClCard) holder = hold_transaction (f, &other);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (GError) error = NULL;
  GThread *t;

  t = g_thread_new ("begin", begin_in_thread, card);
  g_usleep (200 * 1000);
  cl_card_disconnect (card);
  error = g_thread_join (t);
  g_assert_error (error, CL_ERROR, CL_ERROR_FAILED); /* "the connection was closed" */
  cl_card_end (holder);
}

/* -- a second thread of this program waits for the owner, cancellably ------------- */

typedef struct {
  ClCard *card;
  GCancellable *cancel;
  GError *error;
} Waiter;

static gpointer
transmit_in_thread (gpointer data)
{
  Waiter *wt = data;

  read_byte (wt->card, 0x20, wt->cancel, &wt->error);
  return NULL;
}

static void
test_other_thread_cancellable (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  Waiter wt = { card, cancel, NULL };
  GThread *t;

  g_assert_true (cl_card_begin (card, NULL, &error)); /* this thread owns the card */
  t = g_thread_new ("waiter", transmit_in_thread, &wt);
  g_usleep (100 * 1000);
  g_cancellable_cancel (cancel);
  g_thread_join (t);
  g_assert_error (wt.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wt.error);

  /* Nested begins stay with the owner; the card is free after the last end. */
  g_assert_true (cl_card_begin (card, NULL, &error));
  cl_card_end (card);
  cl_card_end (card);
  g_cancellable_reset (cancel);
  t = g_thread_new ("waiter", transmit_in_thread, &wt);
  g_thread_join (t);
  g_assert_no_error (wt.error);
}

/* -- the sim backend, released with live handles ---------------------------------- */

static void
test_release_with_live_handles (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) excl = NULL;
  ClBackend *backend = NULL;
  SCARDHANDLE handles[2];
  DWORD proto;

  g_assert_cmpint (cl_backend_establish (CL_READER_BACKEND_SIM, f->dir, &backend), ==,
                   SCARD_S_SUCCESS);
  for (guint i = 0; i < 2; i++)
    g_assert_cmpint (backend->ops->connect (backend, R2, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0,
                                            &handles[i], &proto),
                     ==, SCARD_S_SUCCESS);
  g_assert_cmpint (backend->ops->begin_transaction (backend, handles[0]), ==, SCARD_S_SUCCESS);
  /* Like SCardReleaseContext: its handles and their transaction go too. */
  cl_backend_unref (backend);

  excl = cl_context_connect_full (f->ctx, R2, CL_SHARE_EXCLUSIVE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cl_card_begin (excl, NULL, &error));
  g_assert_no_error (error);
  cl_card_end (excl);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add (path, Fixture, NULL, tu_sim_setup, func, tu_sim_teardown)
  ADD ("/card-threads/no-interleave", test_no_interleave);
  ADD ("/card-threads/cancel-while-other-holds", test_cancel_while_other_holds);
  ADD ("/card-threads/begin-again-after-cancel", test_begin_again_after_cancel);
  ADD ("/card-threads/disconnect-while-waiting", test_disconnect_while_waiting);
  ADD ("/card-threads/other-thread-cancellable", test_other_thread_cancellable);
  ADD ("/card-threads/release-with-live-handles", test_release_with_live_handles);
#undef ADD
  return g_test_run ();
}
