/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-context.c: readers, R1/R2 roles, connections, and the event watch.
 *
 * Operations use one backend context, re-established after pcscd went away.
 * The watch runs on a second backend context in its own thread, because a
 * blocking SCardGetStatusChange holds its context; it is woken by
 * SCardCancel and reports to the GMainContext it was started from.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-card-private.h"
#include "cl-context.h"
#include "cl-error.h"

#define WATCH_TIMEOUT_MS 2000 /* bounds the stop latency if a cancel is lost */
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000

enum {
  SIGNAL_READER_ADDED,
  SIGNAL_READER_REMOVED,
  SIGNAL_CARD_INSERTED,
  SIGNAL_CARD_REMOVED,
  SIGNAL_SERVICE_LOST,
  SIGNAL_SERVICE_RESTORED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct _Watch Watch;

struct _ClContext {
  GObject parent_instance;

  ClReaderBackend kind;
  GMutex lock; /* backend, role names */
  ClBackend *backend; /* NULL until first needed or after the service went away */
  char *roles[2];
  Watch *watch;
  GCancellable *cancellable;
};

G_DEFINE_TYPE (ClContext, cl_context, G_TYPE_OBJECT)

/* -- backend handling ------------------------------------------------------- */

static ClBackendKind
backend_kind (ClContext *self)
{
  return self->kind == CL_READER_BACKEND_SIM ? CL_BACKEND_SIM : CL_BACKEND_PCSC;
}

/* A reference on the operations backend, establishing it when needed. */
static ClBackend *
acquire_backend (ClContext *self, LONG *rv)
{
  ClBackend *backend = NULL;

  g_mutex_lock (&self->lock);
  if (self->backend == NULL)
    *rv = cl_backend_establish (backend_kind (self), &self->backend);
  else
    *rv = SCARD_S_SUCCESS;
  if (self->backend != NULL)
    backend = cl_backend_ref (self->backend);
  g_mutex_unlock (&self->lock);
  return backend;
}

/* The service went away under `dead`: forget it so the next call
 * establishes a new context (cards still holding it fail cleanly). */
static void
drop_backend (ClContext *self, ClBackend *dead)
{
  g_mutex_lock (&self->lock);
  if (self->backend == dead)
    g_clear_pointer (&self->backend, cl_backend_unref);
  g_mutex_unlock (&self->lock);
}

/* After a call through backend failed with rv: TRUE when pcscd went away
 * under it, which is worth once more with a fresh context. */
static gboolean
retry_after_restart (ClContext *self, ClBackend *backend, LONG rv)
{
  if (!cl_scard_is_service_gone (rv) || backend == NULL)
    return FALSE;
  drop_backend (self, backend);
  return TRUE;
}

/* -- the watch thread -------------------------------------------------------- */

typedef struct {
  char *name;
  DWORD state; /* last dwEventState */
} KnownReader;

struct _Watch {
  GThread *thread;
  GMutex lock;
  GCond cond;
  gboolean stop; /* under lock */
  ClBackend *backend; /* under lock: the thread's own context, for cancel */
  ClBackendKind kind;
  GMainContext *main_context;
  GWeakRef owner;
  GPtrArray *known; /* KnownReader, thread-private */
};

typedef struct {
  GWeakRef *owner;
  guint signal;
  char *reader;
} Emission;

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
  g_autoptr (ClContext) self = g_weak_ref_get (e->owner);

  if (self != NULL)
    {
      if (e->reader != NULL)
        g_signal_emit (self, signals[e->signal], 0, e->reader);
      else
        g_signal_emit (self, signals[e->signal], 0);
    }
  return G_SOURCE_REMOVE;
}

static void
emission_free (gpointer data)
{
  Emission *e = data;

  g_free (e->reader);
  g_free (e);
}

static void
watch_emit (Watch *w, guint signal, const char *reader)
{
  Emission *e = g_new0 (Emission, 1);
  GSource *source = g_idle_source_new ();

  e->owner = &w->owner; /* the Watch outlives every source: stop joins, then flushes */
  e->signal = signal;
  e->reader = g_strdup (reader);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_in_main, e, emission_free);
  g_source_set_static_name (source, "[cardlib] reader event");
  g_source_attach (source, w->main_context);
  g_source_unref (source);
}

static gboolean
watch_should_stop (Watch *w)
{
  gboolean stop;

  g_mutex_lock (&w->lock);
  stop = w->stop;
  g_mutex_unlock (&w->lock);
  return stop;
}

/* Sleeps ms unless stopped; TRUE when stopped. */
static gboolean
watch_sleep (Watch *w, guint ms)
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
watch_find (Watch *w, const char *name)
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
watch_card_events (Watch *w, const char *name, DWORD old, DWORD now)
{
  gboolean was = (old & SCARD_STATE_PRESENT) != 0;
  gboolean is = (now & SCARD_STATE_PRESENT) != 0;
  gboolean moved = (old >> 16) != (now >> 16);

  if (was && (!is || moved))
    watch_emit (w, SIGNAL_CARD_REMOVED, name);
  if (is && (!was || moved))
    watch_emit (w, SIGNAL_CARD_INSERTED, name);
}

/* Re-lists readers: emits reader-added/removed against what was known
 * (silent on the first pass).  Returns the backend code. */
static LONG
watch_refresh_readers (Watch *w, gboolean silent)
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
                watch_emit (w, SIGNAL_CARD_REMOVED, k->name);
              watch_emit (w, SIGNAL_READER_REMOVED, k->name);
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
        watch_emit (w, SIGNAL_READER_ADDED, k->name);
    }
  return SCARD_S_SUCCESS;
}

/* One round of SCardGetStatusChange over PnP + every known reader. */
static LONG
watch_poll (Watch *w, DWORD *pnp_state, gboolean silent)
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
watch_set_backend (Watch *w, ClBackend *backend)
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
watch_establish (Watch *w)
{
  guint delay = BACKOFF_MIN_MS;

  for (;;)
    {
      ClBackend *backend = NULL;
      LONG rv = cl_backend_establish (w->kind, &backend);

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
  Watch *w = data;
  DWORD pnp_state = SCARD_STATE_UNAWARE;
  gboolean lost = FALSE;

  if (!watch_establish (w))
    return NULL;
  /* Baseline: what is there now is not an event. */
  if (watch_refresh_readers (w, TRUE) == SCARD_S_SUCCESS)
    watch_poll (w, &pnp_state, TRUE);

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
        watch_emit (w, SIGNAL_SERVICE_LOST, NULL);
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
      watch_emit (w, SIGNAL_SERVICE_RESTORED, NULL);
    }
  return NULL;
}

static void
watch_free (Watch *w)
{
  g_mutex_lock (&w->lock);
  w->stop = TRUE;
  if (w->backend != NULL)
    w->backend->ops->cancel (w->backend);
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
  g_thread_join (w->thread);

  /* Pending emissions point at w->owner: dispatch them away first. */
  g_weak_ref_set (&w->owner, NULL);
  while (g_main_context_pending (w->main_context) && g_main_context_acquire (w->main_context))
    {
      g_main_context_iteration (w->main_context, FALSE);
      g_main_context_release (w->main_context);
    }

  g_clear_pointer (&w->backend, cl_backend_unref);
  g_ptr_array_unref (w->known);
  g_weak_ref_clear (&w->owner);
  g_main_context_unref (w->main_context);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
  g_free (w);
}

void
cl_context_start_watch (ClContext *self)
{
  Watch *w;

  g_return_if_fail (CL_IS_CONTEXT (self));
  if (self->watch != NULL)
    return;

  w = g_new0 (Watch, 1);
  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  w->kind = backend_kind (self);
  w->main_context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&w->owner, self);
  w->known = g_ptr_array_new_with_free_func ((GDestroyNotify) known_reader_free);
  w->thread = g_thread_new ("cl-reader-watch", watch_thread, w);
  self->watch = w;
}

void
cl_context_stop_watch (ClContext *self)
{
  g_return_if_fail (CL_IS_CONTEXT (self));
  g_clear_pointer (&self->watch, watch_free);
}

/* -- GObject ------------------------------------------------------------------ */

static void
cl_context_dispose (GObject *object)
{
  ClContext *self = CL_CONTEXT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->watch, watch_free);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->backend, cl_backend_unref);
  g_mutex_unlock (&self->lock);
  G_OBJECT_CLASS (cl_context_parent_class)->dispose (object);
}

static void
cl_context_finalize (GObject *object)
{
  ClContext *self = CL_CONTEXT (object);

  g_clear_object (&self->cancellable);
  g_free (self->roles[0]);
  g_free (self->roles[1]);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (cl_context_parent_class)->finalize (object);
}

/* Every signal is run-last with no return value; the reader ones carry the
 * reader's name. */
static guint
signal_new (ClContextClass *klass, const char *name, gboolean with_reader)
{
  if (with_reader)
    return g_signal_new (name, G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                         G_TYPE_NONE, 1, G_TYPE_STRING);
  return g_signal_new (name, G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                       G_TYPE_NONE, 0);
}

static void
cl_context_class_init (ClContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cl_context_dispose;
  object_class->finalize = cl_context_finalize;

  signals[SIGNAL_READER_ADDED] = signal_new (klass, "reader-added", TRUE);
  signals[SIGNAL_READER_REMOVED] = signal_new (klass, "reader-removed", TRUE);
  signals[SIGNAL_CARD_INSERTED] = signal_new (klass, "card-inserted", TRUE);
  signals[SIGNAL_CARD_REMOVED] = signal_new (klass, "card-removed", TRUE);
  signals[SIGNAL_SERVICE_LOST] = signal_new (klass, "service-lost", FALSE);
  signals[SIGNAL_SERVICE_RESTORED] = signal_new (klass, "service-restored", FALSE);
}

static void
cl_context_init (ClContext *self)
{
  g_mutex_init (&self->lock);
  self->cancellable = g_cancellable_new ();
}

ClContext *
cl_context_new_for_backend (ClReaderBackend backend)
{
  ClContext *self = g_object_new (CL_TYPE_CONTEXT, NULL);

  self->kind = backend;
  self->roles[CL_READER_ROLE_R1] = g_strdup (g_getenv ("INSUCARD_READER_R1"));
  self->roles[CL_READER_ROLE_R2] = g_strdup (g_getenv ("INSUCARD_READER_R2"));
  for (guint i = 0; i < 2; i++)
    if (self->roles[i] != NULL && *self->roles[i] == '\0')
      g_clear_pointer (&self->roles[i], g_free);
  return self;
}

ClContext *
cl_context_new (GError **error)
{
  const char *env = g_getenv ("INSUCARD_READER_BACKEND");

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (env == NULL || *env == '\0' || g_strcmp0 (env, "pcsc") == 0)
    return cl_context_new_for_backend (CL_READER_BACKEND_PCSC);
  if (g_strcmp0 (env, "sim") == 0)
    return cl_context_new_for_backend (CL_READER_BACKEND_SIM);
  g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
               _ ("Unknown reader backend “%s” in INSUCARD_READER_BACKEND. Use “pcsc” or “sim”."),
               env);
  return NULL;
}

ClReaderBackend
cl_context_get_backend (ClContext *self)
{
  g_return_val_if_fail (CL_IS_CONTEXT (self), CL_READER_BACKEND_PCSC);
  return self->kind;
}

/* -- readers and roles ---------------------------------------------------------- */

char **
cl_context_list_readers (ClContext *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (ClBackend) backend = NULL;
  char **names = NULL;
  LONG rv;

  g_return_val_if_fail (CL_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_clear_pointer (&backend, cl_backend_unref);
      backend = acquire_backend (self, &rv);
      if (backend != NULL)
        rv = backend->ops->list_readers (backend, &names);
      if (rv == SCARD_E_NO_READERS_AVAILABLE)
        return g_new0 (char *, 1);
      if (!retry_after_restart (self, backend, rv))
        break;
    }
  if (rv != SCARD_S_SUCCESS)
    {
      cl_set_error_from_scard (error, rv, _ ("Listing card readers"));
      return NULL;
    }
  return names;
}

void
cl_context_set_reader_name (ClContext *self, ClReaderRole role, const char *reader)
{
  g_return_if_fail (CL_IS_CONTEXT (self));
  g_return_if_fail (role == CL_READER_ROLE_R1 || role == CL_READER_ROLE_R2);

  g_mutex_lock (&self->lock);
  g_free (self->roles[role]);
  self->roles[role] = reader != NULL && *reader != '\0' ? g_strdup (reader) : NULL;
  g_mutex_unlock (&self->lock);
}

const char *
cl_context_get_reader_name (ClContext *self, ClReaderRole role)
{
  const char *name;

  g_return_val_if_fail (CL_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (role == CL_READER_ROLE_R1 || role == CL_READER_ROLE_R2, NULL);

  g_mutex_lock (&self->lock);
  name = self->roles[role];
  g_mutex_unlock (&self->lock);
  if (name == NULL && self->kind == CL_READER_BACKEND_SIM)
    name = role == CL_READER_ROLE_R1 ? CL_SIM_READER_R1 : CL_SIM_READER_R2;
  return name;
}

char *
cl_context_resolve_reader (ClContext *self, ClReaderRole role, GCancellable *cancellable,
                           GError **error)
{
  g_auto (GStrv) names = NULL;
  g_autofree char *bound = NULL;
  g_autofree char *available = NULL;
  const char *role_name = role == CL_READER_ROLE_R1 ? "R1" : "R2";
  const char *env_name = role == CL_READER_ROLE_R1 ? "INSUCARD_READER_R1" : "INSUCARD_READER_R2";

  g_return_val_if_fail (CL_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (role == CL_READER_ROLE_R1 || role == CL_READER_ROLE_R2, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  names = cl_context_list_readers (self, cancellable, error);
  if (names == NULL)
    return NULL;
  bound = g_strdup (cl_context_get_reader_name (self, role));
  if (bound != NULL && g_strv_contains ((const char *const *) names, bound))
    return g_steal_pointer (&bound);

  available = names[0] != NULL ? g_strjoinv ("”, “", names) : NULL;
  if (bound != NULL)
    g_set_error (error, CL_ERROR, CL_ERROR_NO_READER,
                 _ ("Reader %s (“%s”) is not connected. Plug it in, or choose another reader in "
                    "the settings (%s). Connected readers: %s%s%s."),
                 role_name, bound, env_name, available ? "“" : "",
                 available ? available : _ ("none"), available ? "”" : "");
  else
    /* No guessing in pcsc mode: which reader is the key reader is the
     * operator's decision, even with exactly two readers plugged in. */
    g_set_error (error, CL_ERROR, CL_ERROR_NO_READER,
                 _ ("No reader is chosen as %s. Choose it in the settings (%s). Connected "
                    "readers: %s%s%s."),
                 role_name, env_name, available ? "“" : "", available ? available : _ ("none"),
                 available ? "”" : "");
  return NULL;
}

/* -- connections ---------------------------------------------------------------- */

static ClCard *
connect_sync (ClContext *self, const char *reader, ClShareMode mode, GCancellable *cancellable,
              GError **error)
{
  g_autoptr (ClBackend) backend = NULL;
  g_autofree char *what = NULL;
  DWORD share = mode == CL_SHARE_EXCLUSIVE ? SCARD_SHARE_EXCLUSIVE : SCARD_SHARE_SHARED;
  SCARDHANDLE handle = 0;
  DWORD protocol = 0;
  LONG rv = SCARD_S_SUCCESS;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_clear_pointer (&backend, cl_backend_unref);
      backend = acquire_backend (self, &rv);
      if (backend != NULL)
        rv = backend->ops->connect (backend, reader, share, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
                                    &handle, &protocol);
      if (!retry_after_restart (self, backend, rv))
        break;
    }
  if (rv != SCARD_S_SUCCESS)
    {
      what = g_strdup_printf (_ ("Connecting to the card in “%s”"), reader);
      cl_set_error_from_scard (error, rv, what);
      return NULL;
    }
  return cl_card_new_for_handle (backend, reader, handle, protocol, share, error);
}

ClCard *
cl_context_connect_full_sync (ClContext *self, const char *reader, ClShareMode mode,
                              GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return connect_sync (self, reader, mode, cancellable, error);
}

ClCard *
cl_context_connect_sync (ClContext *self, const char *reader, GCancellable *cancellable,
                         GError **error)
{
  g_return_val_if_fail (CL_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return connect_sync (self, reader, CL_SHARE_SHARED, cancellable, error);
}

static void
connect_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  ClCard *card = connect_sync (source, data, CL_SHARE_SHARED, cancellable, &error);

  if (card != NULL)
    g_task_return_pointer (task, card, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
cl_context_connect_async (ClContext *self, const char *reader, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CL_IS_CONTEXT (self));
  g_return_if_fail (reader != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cl_context_connect_async);
  g_task_set_task_data (task, g_strdup (reader), g_free);
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_run_in_thread (task, connect_thread);
}

ClCard *
cl_context_connect_finish (ClContext *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cl_context_connect_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
