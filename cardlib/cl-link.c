/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-link.c: the shared PC/SC handle of a ClCard and the begin thread
 * (cl-link.h). */
#include "config.h"

#include <string.h>

#include "cl-link.h"

/* How long to look for a vanished card after a failed exchange. */
#define CARD_LEFT_POLLS 12
#define CARD_LEFT_POLL_MS 50
/* How often a waiting thread looks at its cancellables. */
#define WAIT_POLL_MS 20

/* -- the link ---------------------------------------------------------------------------- */

static void
link_clear (gpointer data)
{
  ClLink *link = data;

  if (link->in_txn)
    link->backend->ops->end_transaction (link->backend, link->handle, SCARD_LEAVE_CARD);
  link->backend->ops->disconnect (link->backend, link->handle, link->close_disposition);
  cl_backend_unref (link->backend);
}

ClLink *
cl_link_new (ClBackend *backend, SCARDHANDLE handle)
{
  ClLink *link = g_atomic_rc_box_new0 (ClLink);

  link->backend = backend;
  link->handle = handle;
  link->close_disposition = SCARD_LEAVE_CARD;
  return link;
}

ClLink *
cl_link_ref (ClLink *link)
{
  return g_atomic_rc_box_acquire (link);
}

void
cl_link_unref (ClLink *link)
{
  g_atomic_rc_box_release_full (link, link_clear);
}

LONG
cl_link_verify_same_card (ClLink *link, const char *reader, guint event_counter, GBytes *atr,
                          gboolean *same)
{
  guint8 now[MAX_ATR_SIZE];
  gsize now_len = 0;
  gboolean present = FALSE;
  guint counter = 0;
  LONG rv;

  *same = FALSE;
  rv = link->backend->ops->status (link->backend, link->handle, NULL, NULL, now, &now_len);
  if (rv != SCARD_S_SUCCESS)
    return rv;
  rv = cl_backend_probe_reader (link->backend, reader, &present, &counter, NULL);
  if (rv != SCARD_S_SUCCESS)
    return rv;
  /* An empty GBytes has no data pointer: no memcmp with NULL. */
  *same = present && counter == event_counter && now_len == g_bytes_get_size (atr)
          && (now_len == 0 || memcmp (now, g_bytes_get_data (atr, NULL), now_len) == 0);
  return SCARD_S_SUCCESS;
}

/* pcscd notices a card that vanished mid-APDU only at its next presence
 * poll (~400 ms), so look for a little while before calling it anything
 * else. */
gboolean
cl_link_card_left (ClLink *link, const char *reader, guint event_counter)
{
  for (guint i = 0; i < CARD_LEFT_POLLS; i++)
    {
      gboolean present = FALSE;
      guint counter = 0;
      LONG rv = cl_backend_probe_reader (link->backend, reader, &present, &counter, NULL);

      if (rv != SCARD_S_SUCCESS)
        return FALSE;
      if (!present || counter != event_counter)
        return TRUE;
      g_usleep (CARD_LEFT_POLL_MS * 1000);
    }
  return FALSE;
}

/* -- the begin thread -------------------------------------------------------------------- */

struct _ClBeginWait {
  ClLink *link; /* until the begin is done */
  GMutex lock;
  GCond cond;
  gboolean done; /* under lock */
  gboolean abandoned; /* under lock: nobody waits; end the transaction when it comes */
  gboolean discarded; /* under lock: it came while abandoned and was ended again */
  LONG rv;
};

static void
begin_wait_clear (gpointer data)
{
  ClBeginWait *w = data;

  g_clear_pointer (&w->link, cl_link_unref);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
}

ClBeginWait *
cl_begin_wait_ref (ClBeginWait *w)
{
  return g_atomic_rc_box_acquire (w);
}

void
cl_begin_wait_unref (ClBeginWait *w)
{
  g_atomic_rc_box_release_full (w, begin_wait_clear);
}

static gpointer
begin_thread (gpointer data)
{
  ClBeginWait *w = data;
  ClLink *link = w->link;
  LONG rv = link->backend->ops->begin_transaction (link->backend, link->handle);

  g_mutex_lock (&w->lock);
  w->rv = rv;
  w->done = TRUE;
  if (w->abandoned && rv == SCARD_S_SUCCESS)
    {
      link->backend->ops->end_transaction (link->backend, link->handle, SCARD_LEAVE_CARD);
      w->discarded = TRUE;
    }
  /* Let go of the link before anyone learns we are done, so that a card
   * dropped right after its begin closes at once. */
  g_clear_pointer (&w->link, cl_link_unref);
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
  cl_begin_wait_unref (w);
  return NULL;
}

ClBeginWait *
cl_begin_wait_start (ClLink *link, GError **error)
{
  ClBeginWait *w = g_atomic_rc_box_new0 (ClBeginWait);
  g_autoptr (GThread) thread = NULL;

  w->link = cl_link_ref (link);
  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  thread = g_thread_try_new ("cl-card-begin", begin_thread, cl_begin_wait_ref (w), error);
  if (thread == NULL)
    {
      cl_begin_wait_unref (w); /* the thread's reference */
      cl_begin_wait_unref (w);
      return NULL;
    }
  return w;
}

gboolean
cl_begin_wait_finish (ClBeginWait *w, GCancellable *cancellable, GCancellable *closing, LONG *rv)
{
  gboolean ok = TRUE;

  g_mutex_lock (&w->lock);
  while (!w->done)
    {
      if (g_cancellable_is_cancelled (cancellable) || g_cancellable_is_cancelled (closing))
        {
          w->abandoned = TRUE;
          ok = FALSE;
          break;
        }
      g_cond_wait_until (&w->cond, &w->lock,
                         g_get_monotonic_time () + WAIT_POLL_MS * G_TIME_SPAN_MILLISECOND);
    }
  *rv = w->rv;
  g_mutex_unlock (&w->lock);
  return ok;
}

gboolean
cl_begin_wait_adopt (ClBeginWait *w)
{
  gboolean usable;

  g_mutex_lock (&w->lock);
  usable = !(w->done && (w->discarded || w->rv != SCARD_S_SUCCESS));
  if (usable)
    w->abandoned = FALSE;
  g_mutex_unlock (&w->lock);
  return usable;
}

void
cl_begin_wait_abandon (ClBeginWait *w)
{
  g_mutex_lock (&w->lock);
  w->abandoned = TRUE;
  g_mutex_unlock (&w->lock);
}
