/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-watch.c: the reader watch thread (cl-watch.h).
 *
 * The thread keeps the list of known readers and their last state, asks the
 * backend for changes over all of them plus the PnP pseudo-reader, and
 * re-establishes its context with back-off when pcscd goes away and comes
 * back (pcscd may hand out a context before it answers).
 */
#include "config.h"

#include <string.h>

#include "cl-backend.h"
#include "cl-watch.h"

#define WATCH_TIMEOUT_MS 2000 /* bounds the stop latency if a cancel is lost */
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

typedef struct {
  char *name;
  DWORD state; /* last dwEventState */
} KnownReader;

/* Where events go; shared by the watch and every queued emission, so a
 * stopped watch can cut them all off at once. */
typedef struct {
  GWeakRef owner;
  ClWatchFunc func;
} Target;

struct _ClWatch {
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean stop; /* under lock */
  ClBackend *backend; /* under lock: the thread's own context, for cancel */
  ClReaderBackend kind;
  char *deck_dir;
  GMainContext *main_context;
  Target *target;
  GPtrArray *known; /* KnownReader, thread-private */
};

typedef struct {
  Target *target;
  ClWatchEvent event;
  char *reader;
} Emission;

static void
target_clear (gpointer data)
{
  g_weak_ref_clear (&((Target *) data)->owner);
}

static void
known_reader_free (KnownReader *k)
{
  g_free (k->name);
  g_free (k);
}

static gboolean
emit_in_main (gpointer data)
{
  Emission *e = data;
  g_autoptr (GObject) owner = g_weak_ref_get (&e->target->owner);

  if (owner != NULL)
    e->target->func (owner, e->event, e->reader);
  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *e = data;

  g_atomic_rc_box_release_full (e->target, target_clear);
  g_free (e->reader);
  g_free (e);
}

static void
watch_emit (ClWatch *w, ClWatchEvent event, const char *reader)
{
  Emission *e = g_new0 (Emission, 1);
  GSource *source = g_idle_source_new ();

  e->target = g_atomic_rc_box_acquire (w->target);
  e->event = event;
  e->reader = g_strdup (reader);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_in_main, e, emission_free);
  g_source_set_static_name (source, "[cardlib] reader event");
  g_source_attach (source, w->main_context);
  g_source_unref (source);
}

static gboolean
watch_should_stop (ClWatch *w)
{
  gboolean stop;

  g_mutex_lock (&w->lock);
  stop = w->stop;
  g_mutex_unlock (&w->lock);
  return stop;
}

/* Sleeps ms unless stopped; TRUE when stopped. */
static gboolean
watch_sleep (ClWatch *w, guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * G_TIME_SPAN_MILLISECOND;
  gboolean stop;

  g_mutex_lock (&w->lock);
  while (!w->stop && g_cond_wait_until (&w->cond, &w->lock, until))
    ;
  stop = w->stop;
  g_mutex_unlock (&w->lock);
  return stop;
}

static KnownReader *
watch_find (ClWatch *w, const char *name)
{
  for (guint i = 0; i < w->known->len; i++)
    {
      KnownReader *k = g_ptr_array_index (w->known, i);

      if (strcmp (k->name, name) == 0)
        return k;
    }
  return NULL;
}

/* Card events from one reader's old and new state. */
static void
watch_card_events (ClWatch *w, const char *name, DWORD old, DWORD now)
{
  gboolean was = (old & SCARD_STATE_PRESENT) != 0;
  gboolean is = (now & SCARD_STATE_PRESENT) != 0;
  gboolean moved = (old >> 16) != (now >> 16);

  if (was && (!is || moved))
    watch_emit (w, CL_WATCH_CARD_REMOVED, name);
  if (is && (!was || moved))
    watch_emit (w, CL_WATCH_CARD_INSERTED, name);
}

/* Re-lists readers: emits reader-added/removed against what was known
 * (silent on the first pass).  Returns the backend code. */
static LONG
watch_refresh_readers (ClWatch *w, gboolean silent)
{
  g_auto (GStrv) names = NULL;
  LONG rv = w->backend->ops->list_readers (w->backend, &names);

  if (rv == SCARD_E_NO_READERS_AVAILABLE)
    {
      names = g_new0 (char *, 1);
      rv = SCARD_S_SUCCESS;
    }
  if (rv != SCARD_S_SUCCESS)
    return rv;

  for (guint i = w->known->len; i > 0; i--)
    {
      KnownReader *k = g_ptr_array_index (w->known, i - 1);

      if (!g_strv_contains ((const char *const *) names, k->name))
        {
          if (!silent)
            {
              if (k->state & SCARD_STATE_PRESENT)
                watch_emit (w, CL_WATCH_CARD_REMOVED, k->name);
              watch_emit (w, CL_WATCH_READER_REMOVED, k->name);
            }
          g_ptr_array_remove_index (w->known, i - 1);
        }
    }
  for (guint i = 0; names[i] != NULL; i++)
    {
      KnownReader *k;

      if (watch_find (w, names[i]) != NULL)
        continue;
      k = g_new0 (KnownReader, 1);
      k->name = g_strdup (names[i]);
      k->state = SCARD_STATE_UNAWARE;
      g_ptr_array_add (w->known, k);
      if (!silent)
        watch_emit (w, CL_WATCH_READER_ADDED, k->name);
    }
  return SCARD_S_SUCCESS;
}

/* One round of SCardGetStatusChange over PnP + every known reader. */
static LONG
watch_poll (ClWatch *w, DWORD *pnp_state, gboolean silent)
{
  guint n = w->known->len + 1;
  g_autofree SCARD_READERSTATE *st = g_new0 (SCARD_READERSTATE, n);
  gboolean relist = FALSE;
  LONG rv;

  st[0].szReader = CL_PNP_READER;
  st[0].dwCurrentState = *pnp_state;
  for (guint i = 1; i < n; i++)
    {
      KnownReader *k = g_ptr_array_index (w->known, i - 1);

      st[i].szReader = k->name;
      st[i].dwCurrentState = k->state;
    }

  rv = w->backend->ops->get_status_change (w->backend, silent ? 0 : WATCH_TIMEOUT_MS, st, n);
  if (rv == SCARD_E_TIMEOUT || rv == SCARD_E_CANCELLED)
    return SCARD_S_SUCCESS;
  if (rv == SCARD_E_UNKNOWN_READER || rv == SCARD_E_READER_UNAVAILABLE)
    return watch_refresh_readers (w, silent);
  if (rv != SCARD_S_SUCCESS)
    return rv;

  if (st[0].dwEventState & SCARD_STATE_CHANGED)
    relist = TRUE;
  *pnp_state = st[0].dwEventState & ~SCARD_STATE_CHANGED;
  for (guint i = 1; i < n; i++)
    {
      KnownReader *k = g_ptr_array_index (w->known, i - 1);
      DWORD now = st[i].dwEventState & ~SCARD_STATE_CHANGED;

      if (!(st[i].dwEventState & SCARD_STATE_CHANGED))
        continue;
      if (now & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE | SCARD_STATE_IGNORE))
        {
          relist = TRUE; /* the reader left (suspend, unplug) */
          continue;
        }
      if (!silent)
        watch_card_events (w, k->name, k->state, now);
      k->state = now;
    }
  return relist ? watch_refresh_readers (w, silent) : SCARD_S_SUCCESS;
}

static gboolean
watch_set_backend (ClWatch *w, ClBackend *backend)
{
  gboolean stop;

  g_mutex_lock (&w->lock);
  g_clear_pointer (&w->backend, cl_backend_unref);
  w->backend = backend;
  stop = w->stop;
  g_mutex_unlock (&w->lock);
  return !stop;
}

/* Establishes the watch context with back-off (P3: pcscd may be starting). */
static gboolean
watch_establish (ClWatch *w)
{
  guint delay = BACKOFF_MIN_MS;

  for (;;)
    {
      ClBackend *backend = NULL;
      LONG rv = cl_backend_establish (w->kind, w->deck_dir, &backend);

      if (rv == SCARD_S_SUCCESS)
        {
          /* pcsc-lite may hand out a context before pcscd answers: probe. */
          g_auto (GStrv) names = NULL;

          rv = backend->ops->list_readers (backend, &names);
          if (rv == SCARD_S_SUCCESS || rv == SCARD_E_NO_READERS_AVAILABLE)
            return watch_set_backend (w, backend);
          cl_backend_unref (backend);
        }
      g_debug ("reader watch: no service yet (0x%08lX), retrying in %u ms", (unsigned long) rv,
               delay);
      if (watch_sleep (w, delay))
        return FALSE;
      delay = MIN (delay * 2, BACKOFF_MAX_MS);
    }
}

static gpointer
watch_thread (gpointer data)
{
  ClWatch *w = data;
  DWORD pnp_state = SCARD_STATE_UNAWARE;
  gboolean lost = FALSE;

  if (!watch_establish (w))
    return NULL;
  /* Baseline: what is there now is not an event. */
  if (watch_refresh_readers (w, TRUE) == SCARD_S_SUCCESS)
    watch_poll (w, &pnp_state, TRUE);
  /* A card moved between the owner's first look and the baseline is no
   * event: the owner looks again now. */
  watch_emit (w, CL_WATCH_STARTED, NULL);

  while (!watch_should_stop (w))
    {
      LONG rv = watch_poll (w, &pnp_state, FALSE);

      if (rv == SCARD_S_SUCCESS)
        continue;
      if (!cl_scard_is_service_gone (rv))
        {
          g_debug ("reader watch: 0x%08lX", (unsigned long) rv);
          if (watch_sleep (w, BACKOFF_MIN_MS))
            break;
          continue;
        }
      /* pcscd went away: say so, wait for it, then tell what changed. */
      if (!lost)
        watch_emit (w, CL_WATCH_SERVICE_LOST, NULL);
      lost = TRUE;
      watch_set_backend (w, NULL);
      if (!watch_establish (w))
        break;
      lost = FALSE;
      pnp_state = SCARD_STATE_UNAWARE;
      for (guint i = 0; i < w->known->len; i++)
        {
          KnownReader *k = g_ptr_array_index (w->known, i);

          /* Keep the old card state, so the first poll reports differences. */
          k->state &= SCARD_STATE_PRESENT;
          k->state |= SCARD_STATE_CHANGED; /* never equal to a real state */
        }
      watch_refresh_readers (w, FALSE);
      watch_emit (w, CL_WATCH_SERVICE_RESTORED, NULL);
    }
  return NULL;
}

ClWatch *
cl_watch_start (ClReaderBackend kind, const char *deck_dir, GObject *owner, ClWatchFunc func)
{
  ClWatch *w = g_new0 (ClWatch, 1);

  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  w->kind = kind;
  w->deck_dir = g_strdup (deck_dir);
  w->main_context = g_main_context_ref_thread_default ();
  w->target = g_atomic_rc_box_new0 (Target);
  g_weak_ref_init (&w->target->owner, owner);
  w->target->func = func;
  w->known = g_ptr_array_new_with_free_func ((GDestroyNotify) known_reader_free);
  w->thread = g_thread_new ("cl-reader-watch", watch_thread, w);
  return w;
}

void
cl_watch_stop (ClWatch *w)
{
  if (w == NULL)
    return;
  g_mutex_lock (&w->lock);
  w->stop = TRUE;
  if (w->backend != NULL)
    w->backend->ops->cancel (w->backend);
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
  g_thread_join (w->thread);

  /* Emissions still queued hold the target: make them no-ops. */
  g_weak_ref_set (&w->target->owner, NULL);
  g_atomic_rc_box_release_full (w->target, target_clear);

  g_clear_pointer (&w->backend, cl_backend_unref);
  g_ptr_array_unref (w->known);
  g_main_context_unref (w->main_context);
  g_free (w->deck_dir);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
  g_free (w);
}
