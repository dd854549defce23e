/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-context.c: readers, R1/R2 roles, connections, and the event signals.
 *
 * Listing readers uses one backend context, re-established after pcscd went
 * away.  Every connection gets a context of its own (a call blocked on one
 * card must not hold up another: pcsc-lite serialises the calls on a
 * context).  The watch (cl-watch.c) runs on yet another context in its own
 * thread.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-card-private.h"
#include "cl-context.h"
#include "cl-error.h"
#include "cl-watch.h"

enum {
  SIGNAL_READER_ADDED,
  SIGNAL_READER_REMOVED,
  SIGNAL_CARD_INSERTED,
  SIGNAL_CARD_REMOVED,
  SIGNAL_SERVICE_LOST,
  SIGNAL_SERVICE_RESTORED,
  SIGNAL_WATCH_STARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

struct _ClContext {
  GObject parent_instance;

  ClReaderBackend kind;
  char *deck_dir; /* sim only */
  GMutex lock; /* backend, role names */
  ClBackend *backend; /* NULL until first needed or after the service went away */
  char *roles[2];
  ClWatch *watch;
  GCancellable *cancellable;
};

G_DEFINE_TYPE (ClContext, cl_context, G_TYPE_OBJECT)

/* -- backend handling ------------------------------------------------------- */

/* A reference on the operations backend, establishing it when needed. */
static ClBackend *
acquire_backend (ClContext *self, LONG *rv)
{
  ClBackend *backend = NULL;

  g_mutex_lock (&self->lock);
  if (self->backend == NULL)
    *rv = cl_backend_establish (self->kind, self->deck_dir, &self->backend);
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

/* -- GObject ------------------------------------------------------------------ */

static void
cl_context_dispose (GObject *object)
{
  ClContext *self = CL_CONTEXT (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->watch, cl_watch_stop);
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
  g_free (self->deck_dir);
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
  signals[SIGNAL_WATCH_STARTED] = signal_new (klass, "watch-started", FALSE);
}

static void
cl_context_init (ClContext *self)
{
  g_mutex_init (&self->lock);
  self->cancellable = g_cancellable_new ();
}

ClContext *
cl_context_new (ClReaderBackend backend, const char *deck_dir)
{
  ClContext *self;

  g_return_val_if_fail (backend == CL_READER_BACKEND_PCSC || backend == CL_READER_BACKEND_SIM,
                        NULL);

  self = g_object_new (CL_TYPE_CONTEXT, NULL);
  self->kind = backend;
  if (backend == CL_READER_BACKEND_SIM)
    self->deck_dir = deck_dir != NULL && *deck_dir != '\0'
                         ? g_strdup (deck_dir)
                         : g_build_filename (g_get_user_data_dir (), "insucard", "sim-deck", NULL);
  return self;
}

gboolean
cl_reader_backend_from_string (const char *name, ClReaderBackend *backend, GError **error)
{
  g_return_val_if_fail (backend != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name == NULL || *name == '\0' || g_strcmp0 (name, "pcsc") == 0)
    *backend = CL_READER_BACKEND_PCSC;
  else if (g_strcmp0 (name, "sim") == 0)
    *backend = CL_READER_BACKEND_SIM;
  else
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                   _ ("Unknown reader backend “%s”. Use “pcsc” (card readers) or “sim” "
                      "(simulated cards, for training and tests)."),
                   name);
      return FALSE;
    }
  return TRUE;
}

const char *
cl_reader_backend_to_string (ClReaderBackend backend)
{
  return backend == CL_READER_BACKEND_SIM ? "sim" : "pcsc";
}

ClReaderBackend
cl_context_get_backend (ClContext *self)
{
  g_return_val_if_fail (CL_IS_CONTEXT (self), CL_READER_BACKEND_PCSC);
  return self->kind;
}

const char *
cl_context_get_deck_dir (ClContext *self)
{
  g_return_val_if_fail (CL_IS_CONTEXT (self), NULL);
  return self->deck_dir;
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

char *
cl_context_dup_reader_name (ClContext *self, ClReaderRole role)
{
  char *name;

  g_return_val_if_fail (CL_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (role == CL_READER_ROLE_R1 || role == CL_READER_ROLE_R2, NULL);

  g_mutex_lock (&self->lock);
  name = g_strdup (self->roles[role]);
  g_mutex_unlock (&self->lock);
  if (name == NULL && self->kind == CL_READER_BACKEND_SIM)
    name = g_strdup (role == CL_READER_ROLE_R1 ? CL_SIM_READER_R1 : CL_SIM_READER_R2);
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

  g_return_val_if_fail (CL_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (role == CL_READER_ROLE_R1 || role == CL_READER_ROLE_R2, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  names = cl_context_list_readers (self, cancellable, error);
  if (names == NULL)
    return NULL;
  bound = cl_context_dup_reader_name (self, role);
  if (bound != NULL && g_strv_contains ((const char *const *) names, bound))
    return g_steal_pointer (&bound);

  available = names[0] != NULL ? g_strjoinv ("”, “", names) : NULL;
  if (bound != NULL)
    g_set_error (error, CL_ERROR, CL_ERROR_NO_READER,
                 _ ("Reader %s (“%s”) is not connected. Plug it in, or choose another reader in "
                    "the settings. Connected readers: %s%s%s."),
                 role_name, bound, available ? "“" : "", available ? available : _ ("none"),
                 available ? "”" : "");
  else
    /* No guessing in pcsc mode: which reader is the key reader is the
     * operator's decision, even with exactly two readers plugged in. */
    g_set_error (error, CL_ERROR, CL_ERROR_NO_READER,
                 _ ("No reader is chosen as %s. Choose it in the settings. Connected "
                    "readers: %s%s%s."),
                 role_name, available ? "“" : "", available ? available : _ ("none"),
                 available ? "”" : "");
  return NULL;
}

/* -- the watch ------------------------------------------------------------------------ */

static void
on_watch_event (GObject *owner, ClWatchEvent event, const char *reader)
{
  static const guint to_signal[] = {
    [CL_WATCH_READER_ADDED] = SIGNAL_READER_ADDED,
    [CL_WATCH_READER_REMOVED] = SIGNAL_READER_REMOVED,
    [CL_WATCH_CARD_INSERTED] = SIGNAL_CARD_INSERTED,
    [CL_WATCH_CARD_REMOVED] = SIGNAL_CARD_REMOVED,
    [CL_WATCH_SERVICE_LOST] = SIGNAL_SERVICE_LOST,
    [CL_WATCH_SERVICE_RESTORED] = SIGNAL_SERVICE_RESTORED,
    [CL_WATCH_STARTED] = SIGNAL_WATCH_STARTED,
  };

  if (reader != NULL)
    g_signal_emit (owner, signals[to_signal[event]], 0, reader);
  else
    g_signal_emit (owner, signals[to_signal[event]], 0);
}

void
cl_context_start_watch (ClContext *self)
{
  g_return_if_fail (CL_IS_CONTEXT (self));

  if (self->watch == NULL)
    self->watch = cl_watch_start (self->kind, self->deck_dir, G_OBJECT (self), on_watch_event);
}

void
cl_context_stop_watch (ClContext *self)
{
  g_return_if_fail (CL_IS_CONTEXT (self));
  g_clear_pointer (&self->watch, cl_watch_stop);
}

/* -- connections ------------------------------------------------------------------------ */

/* Each connection on a context of its own (see the top of the file); a
 * fresh context also finds a restarted pcscd by itself. */
static ClCard *
connect_card (ClContext *self, const char *reader, ClShareMode mode, GCancellable *cancellable,
              GError **error)
{
  ClBackend *backend = NULL;
  g_autofree char *what = NULL;
  DWORD share = mode == CL_SHARE_EXCLUSIVE ? SCARD_SHARE_EXCLUSIVE : SCARD_SHARE_SHARED;
  SCARDHANDLE handle = 0;
  DWORD protocol = 0;
  LONG rv;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  rv = cl_backend_establish (self->kind, self->deck_dir, &backend);
  if (rv == SCARD_S_SUCCESS)
    rv = backend->ops->connect (backend, reader, share, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
                                &handle, &protocol);
  if (rv != SCARD_S_SUCCESS)
    {
      g_clear_pointer (&backend, cl_backend_unref);
      what = g_strdup_printf (_ ("Connecting to the card in “%s”"), reader);
      cl_set_error_from_scard (error, rv, what);
      return NULL;
    }
  return cl_card_new_for_handle (backend, reader, handle, protocol, share, error);
}

ClCard *
cl_context_connect_full (ClContext *self, const char *reader, ClShareMode mode,
                         GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return connect_card (self, reader, mode, cancellable, error);
}

ClCard *
cl_context_connect (ClContext *self, const char *reader, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CONTEXT (self), NULL);
  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  return connect_card (self, reader, CL_SHARE_SHARED, cancellable, error);
}

static void
connect_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;
  ClCard *card = connect_card (source, data, CL_SHARE_SHARED, cancellable, &error);

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
