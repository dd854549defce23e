/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-card.c: one connection to the card in one reader.  (Some 740 lines:
 * the ownership rules and every call that must follow them stay together.)
 *
 * The ATR and the reader's event counter are remembered at connect; every
 * transaction and every reconnect checks them, so a card swapped in between
 * is refused (CL_ERROR_CARD_CHANGED) instead of being written.  A reset by
 * another client is reported (CL_ERROR_CARD_RESET) and never papered over:
 * the caller reconnects and redoes its security state.
 *
 * Ownership (cl-card.h): `owner` is the thread in a transaction or an
 * exchange; other threads wait on `cond`.  No lock is held across a
 * blocking backend call: the PC/SC handle lives in a reference-counted ClLink
 * that whoever is using it holds, so disconnecting never waits, and the last
 * holder ends the transaction and disconnects.  SCardBeginTransaction blocks
 * for as long as another program holds the card and cannot be interrupted,
 * so it runs in a thread of its own (cl-link.c); a cancelled caller leaves
 * it behind, and the next begin on the card adopts it instead of piling up
 * a second call.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-card-private.h"
#include "cl-link.h"
#include "cl-t0.h"
#include "cl-error.h"
#include "cl-key.h"
#include "cl-log.h"

/* How often a waiting thread looks at its cancellable. */
#define WAIT_POLL_MS 20

struct _ClCard {
  GObject parent_instance;

  char *reader;
  DWORD protocol;
  DWORD share_mode;
  GBytes *atr;
  guint event_counter;

  GMutex lock; /* everything below */
  GCond cond; /* the owner let go */
  ClLink *link; /* NULL once disconnected */
  GThread *owner;
  guint claims; /* the owner's nested begins and exchanges */
  guint txn_depth; /* the owner's nested begins */
  gboolean changed; /* a reconnect found another card: refuse all I/O */
  ClBeginWait *pending; /* a begin still blocked in the backend */
  GCancellable *cancellable; /* cancelled by dispose and disconnect */

  ClCardDriverState driver; /* only the owner touches it */
};

G_DEFINE_TYPE (ClCard, cl_card, G_TYPE_OBJECT)

static void set_closed_error (ClCard *self, GError **error);

/* The caller gave up, or the connection was closed under it. */
static gboolean
cancelled (ClCard *self, GCancellable *cancellable, GError **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return TRUE;
  if (!g_cancellable_is_cancelled (self->cancellable))
    return FALSE;
  set_closed_error (self, error);
  return TRUE;
}

/* -- helpers ---------------------------------------------------------------------------- */

static void
set_error_from_scard (ClCard *self, GError **error, LONG rv)
{
  g_autofree char *what = g_strdup_printf (_ ("Card in “%s”"), self->reader);

  cl_set_error_from_scard (error, rv, what);
}

static void
set_changed_error (ClCard *self, GError **error)
{
  g_set_error (error, CL_ERROR, CL_ERROR_CARD_CHANGED,
               _ ("A different card is in “%s” now. Put the original card back, or start the "
                  "step again with this card."),
               self->reader);
}

static void
set_closed_error (ClCard *self, GError **error)
{
  g_set_error (error, CL_ERROR, CL_ERROR_FAILED,
               _ ("The connection to the card in “%s” was closed. Connect to the card again."),
               self->reader);
}

/* The link for the owner's next call, or NULL with the reason (lock held). */
static ClLink *
usable_link_locked (ClCard *self, GError **error)
{
  if (self->link == NULL)
    {
      set_closed_error (self, error);
      return NULL;
    }
  if (self->changed)
    {
      set_changed_error (self, error);
      return NULL;
    }
  return cl_link_ref (self->link);
}

/* After the backend said "removed": is another card there now?  Then the
 * honest answer is CARD_CHANGED, else CARD_REMOVED. */
static void
set_removed_or_changed (ClCard *self, ClLink *link, LONG rv, GError **error)
{
  gboolean present = FALSE;
  guint counter = 0;

  if ((rv == SCARD_W_REMOVED_CARD || rv == SCARD_E_NO_SMARTCARD)
      && cl_backend_probe_reader (link->backend, self->reader, &present, &counter, NULL)
             == SCARD_S_SUCCESS
      && present && counter != self->event_counter)
    {
      set_changed_error (self, error);
      return;
    }
  set_error_from_scard (self, error, rv);
}

/* -- ownership -------------------------------------------------------------------------- */

/* Makes the calling thread the owner (one more claim), waiting for another
 * owner to let go. */
static gboolean
acquire (ClCard *self, GCancellable *cancellable, GError **error)
{
  GThread *me = g_thread_self ();

  g_mutex_lock (&self->lock);
  while (self->owner != NULL && self->owner != me)
    {
      if (cancelled (self, cancellable, error))
        {
          g_mutex_unlock (&self->lock);
          return FALSE;
        }
      g_cond_wait_until (&self->cond, &self->lock,
                         g_get_monotonic_time () + WAIT_POLL_MS * G_TIME_SPAN_MILLISECOND);
    }
  self->owner = me;
  self->claims++;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
release (ClCard *self)
{
  g_mutex_lock (&self->lock);
  g_warn_if_fail (self->owner == g_thread_self () && self->claims > 0);
  if (--self->claims == 0)
    {
      self->owner = NULL;
      g_cond_broadcast (&self->cond);
    }
  g_mutex_unlock (&self->lock);
}

/* The link to use, after any begin left behind by a cancelled caller has
 * finished (until then the backend context is busy with it; it ends its
 * own transaction). */
static ClLink *
settled_link (ClCard *self, GCancellable *cancellable, GError **error)
{
  ClBeginWait *w;
  ClLink *link;
  LONG rv;

  g_mutex_lock (&self->lock);
  w = self->pending != NULL ? cl_begin_wait_ref (self->pending) : NULL;
  g_mutex_unlock (&self->lock);
  if (w != NULL)
    {
      gboolean ok = cl_begin_wait_finish (w, cancellable, self->cancellable, &rv);

      g_mutex_lock (&self->lock);
      if (ok && self->pending == w)
        g_clear_pointer (&self->pending, cl_begin_wait_unref);
      g_mutex_unlock (&self->lock);
      cl_begin_wait_unref (w);
      if (!ok)
        return NULL;
    }
  g_mutex_lock (&self->lock);
  link = usable_link_locked (self, error);
  g_mutex_unlock (&self->lock);
  return link;
}

/* -- GObject ------------------------------------------------------------------------------ */

static void
cl_card_dispose (GObject *object)
{
  ClCard *self = CL_CARD (object);

  cl_card_disconnect (self);
  G_OBJECT_CLASS (cl_card_parent_class)->dispose (object);
}

static void
cl_card_finalize (GObject *object)
{
  ClCard *self = CL_CARD (object);

  g_clear_pointer (&self->pending, cl_begin_wait_unref);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->atr, g_bytes_unref);
  g_free (self->reader);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (cl_card_parent_class)->finalize (object);
}

static void
cl_card_class_init (ClCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cl_card_dispose;
  object_class->finalize = cl_card_finalize;
}

static void
cl_card_init (ClCard *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->cancellable = g_cancellable_new ();
}

ClCard *
cl_card_new_for_handle (ClBackend *backend, const char *reader, SCARDHANDLE handle, DWORD protocol,
                        DWORD share_mode, GError **error)
{
  g_autoptr (ClCard) self = g_object_new (CL_TYPE_CARD, NULL);
  guint8 atr[MAX_ATR_SIZE];
  gsize atr_len = 0;
  gboolean present = FALSE;
  LONG rv;

  self->link = cl_link_new (backend, handle);
  /* What an exclusive connection unlocked (a PIN, an authentication) must
   * not outlive it: the card is reset when it closes. */
  if (share_mode == SCARD_SHARE_EXCLUSIVE)
    self->link->close_disposition = SCARD_RESET_CARD;
  self->reader = g_strdup (reader);
  self->protocol = protocol;
  self->share_mode = share_mode;

  rv = backend->ops->status (backend, handle, NULL, NULL, atr, &atr_len);
  if (rv == SCARD_S_SUCCESS)
    rv = cl_backend_probe_reader (backend, reader, &present, &self->event_counter, NULL);
  if (rv == SCARD_S_SUCCESS && !present)
    rv = SCARD_W_REMOVED_CARD;
  if (rv != SCARD_S_SUCCESS)
    {
      set_error_from_scard (self, error, rv);
      return NULL; /* dispose disconnects */
    }
  self->atr = g_bytes_new (atr, atr_len);
  return g_steal_pointer (&self);
}

/* -- accessors ---------------------------------------------------------------------------- */

const char *
cl_card_get_reader_name (ClCard *card)
{
  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  return card->reader;
}

GBytes *
cl_card_get_atr (ClCard *card)
{
  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  return card->atr;
}

guint
cl_card_get_event_counter (ClCard *card)
{
  g_return_val_if_fail (CL_IS_CARD (card), 0);
  return card->event_counter;
}

ClCardDriverState *
cl_card_get_driver_state (ClCard *card)
{
  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  return &card->driver;
}

/* -- transactions ---------------------------------------------------------------------------- */

/* The outermost begin: a PC/SC transaction on the same card. */
static gboolean
start_transaction (ClCard *self, GCancellable *cancellable, GError **error)
{
  g_autoptr (ClLink) link = NULL;
  ClBeginWait *w;
  gboolean same = FALSE;
  LONG rv;

  g_mutex_lock (&self->lock);
  link = usable_link_locked (self, error);
  if (link == NULL)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  /* Adopt a begin a cancelled caller left behind, or start one. */
  if (self->pending != NULL && !cl_begin_wait_adopt (self->pending))
    g_clear_pointer (&self->pending, cl_begin_wait_unref);
  if (self->pending == NULL)
    {
      self->pending = cl_begin_wait_start (link, error);
      if (self->pending == NULL)
        {
          g_mutex_unlock (&self->lock);
          return FALSE;
        }
    }
  w = cl_begin_wait_ref (self->pending);
  g_mutex_unlock (&self->lock);

  if (!cl_begin_wait_finish (w, cancellable, self->cancellable, &rv))
    {
      cancelled (self, cancellable, error);
      cl_begin_wait_unref (w); /* stays pending on the card, abandoned */
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  if (self->pending == w)
    g_clear_pointer (&self->pending, cl_begin_wait_unref);
  g_mutex_unlock (&self->lock);
  cl_begin_wait_unref (w);

  if (rv != SCARD_S_SUCCESS)
    {
      set_removed_or_changed (self, link, rv, error);
      return FALSE;
    }
  rv = cl_link_verify_same_card (link, self->reader, self->event_counter, self->atr, &same);
  if (rv != SCARD_S_SUCCESS || !same)
    {
      link->backend->ops->end_transaction (link->backend, link->handle, SCARD_LEAVE_CARD);
      if (rv != SCARD_S_SUCCESS)
        set_removed_or_changed (self, link, rv, error);
      else
        set_changed_error (self, error);
      return FALSE;
    }
  link->in_txn = TRUE;
  return TRUE;
}

gboolean
cl_card_begin (ClCard *card, GCancellable *cancellable, GError **error)
{
  gboolean nested;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!acquire (card, cancellable, error))
    return FALSE;
  g_mutex_lock (&card->lock);
  nested = card->txn_depth > 0;
  g_mutex_unlock (&card->lock);
  if (!nested
      && (cancelled (card, cancellable, error) || !start_transaction (card, cancellable, error)))
    {
      release (card);
      return FALSE;
    }
  g_mutex_lock (&card->lock);
  card->txn_depth++;
  g_mutex_unlock (&card->lock);
  return TRUE;
}

void
cl_card_end (ClCard *card)
{
  g_autoptr (ClLink) link = NULL;

  g_return_if_fail (CL_IS_CARD (card));

  g_mutex_lock (&card->lock);
  if (card->owner != g_thread_self () || card->txn_depth == 0)
    {
      g_mutex_unlock (&card->lock);
      g_critical ("cl_card_end() without a matching cl_card_begin() in this thread");
      return;
    }
  if (--card->txn_depth == 0 && card->link != NULL && card->link->in_txn)
    link = cl_link_ref (card->link);
  g_mutex_unlock (&card->lock);

  if (link != NULL)
    {
      LONG rv = link->backend->ops->end_transaction (link->backend, link->handle, SCARD_LEAVE_CARD);

      if (rv != SCARD_S_SUCCESS)
        g_debug ("%s: end of transaction: 0x%08lX", card->reader, (unsigned long) rv);
      link->in_txn = FALSE;
    }
  release (card);
}

/* -- exchanges ------------------------------------------------------------------------------- */

/* Codes a card pulled mid-exchange may come back as, besides REMOVED. */
static gboolean
maybe_pulled (LONG rv)
{
  return rv == SCARD_E_NOT_TRANSACTED || rv == SCARD_W_UNRESPONSIVE_CARD
         || rv == SCARD_W_UNPOWERED_CARD || rv == SCARD_F_UNKNOWN_ERROR;
}

/* One raw exchange by the owner; the reply is >= 2 bytes or an error. */
static gboolean
exchange (ClCard *self, ClLink *link, const guint8 *capdu, gsize clen, ClApduFlags flags,
          ClReply *reply, GError **error)
{
  LONG rv;

  reply->data = g_malloc (CL_RECV_MAX);
  reply->len = 0;
  rv = link->backend->ops->transmit (link->backend, link->handle, self->protocol, capdu, clen,
                                     reply->data, &reply->len);
  cl_log_exchange (self->reader, capdu, clen, flags, rv == SCARD_S_SUCCESS ? reply->data : NULL,
                   rv == SCARD_S_SUCCESS ? reply->len : 0);
  if (rv != SCARD_S_SUCCESS)
    {
      set_error_from_scard (self, error,
                            maybe_pulled (rv)
                                    && cl_link_card_left (link, self->reader, self->event_counter)
                                ? SCARD_W_REMOVED_CARD
                                : rv);
      cl_reply_clear (reply);
      return FALSE;
    }
  if (reply->len < 2)
    {
      /* A card that died mid-exchange can give "success" with no bytes. */
      if (cl_link_card_left (link, self->reader, self->event_counter))
        set_error_from_scard (self, error, SCARD_W_REMOVED_CARD);
      else
        g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                     _ ("The card in “%s” gave an incomplete answer (%zu bytes). Remove and insert "
                        "the card, then start the step again."),
                     self->reader, reply->len);
      cl_reply_clear (reply);
      return FALSE;
    }
  return TRUE;
}

/* Claims the card for one exchange: ownership and a usable link. */
static ClLink *
claim_for_exchange (ClCard *self, GCancellable *cancellable, GError **error)
{
  ClLink *link;

  if (!acquire (self, cancellable, error))
    return NULL;
  if (cancelled (self, cancellable, error)
      || (link = settled_link (self, cancellable, error)) == NULL)
    {
      release (self);
      return NULL;
    }
  return link;
}

GBytes *
cl_card_transmit_raw (ClCard *card, const guint8 *capdu, gsize len, GCancellable *cancellable,
                      GError **error)
{
  g_autoptr (ClLink) link = NULL;
  ClReply reply = { 0 };
  GBytes *out;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (capdu != NULL && len >= 4, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  link = claim_for_exchange (card, cancellable, error);
  if (link == NULL)
    return NULL;
  if (!exchange (card, link, capdu, len, CL_APDU_FLAG_NONE, &reply, error))
    {
      release (card);
      return NULL;
    }
  release (card);
  out = g_bytes_new (reply.data, reply.len);
  cl_reply_clear (&reply);
  return out;
}

typedef struct {
  ClCard *card;
  ClLink *link;
} Exchange;

static gboolean
exchange_cb (const guint8 *capdu, gsize clen, ClApduFlags flags, ClReply *reply, gpointer data,
             GError **error)
{
  Exchange *x = data;

  return exchange (x->card, x->link, capdu, clen, flags, reply, error);
}

ClResponse *
cl_card_transmit (ClCard *card, const ClApdu *apdu, GCancellable *cancellable, GError **error)
{
  g_autoptr (ClLink) link = NULL;
  ClResponse *resp;
  Exchange x;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (apdu != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  link = claim_for_exchange (card, cancellable, error);
  if (link == NULL)
    return NULL;
  x.card = card;
  x.link = link;
  resp = cl_t0_transmit (apdu, card->reader, exchange_cb, &x, error);
  release (card);
  return resp;
}

/* -- reconnect, reset, disconnect ------------------------------------------------------------ */

static gboolean
reconnect_with (ClCard *self, DWORD initialization, GCancellable *cancellable, GError **error)
{
  g_autoptr (ClLink) link = NULL;
  gboolean same = FALSE;
  DWORD protocol = 0;
  LONG rv;

  link = claim_for_exchange (self, cancellable, error);
  if (link == NULL)
    return FALSE;
  rv = link->backend->ops->reconnect (link->backend, link->handle, self->share_mode,
                                      SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, initialization,
                                      &protocol);
  if (rv != SCARD_S_SUCCESS)
    {
      set_error_from_scard (self, error, rv);
      goto fail;
    }
  link->in_txn = FALSE; /* a reconnect ends the transaction */
  self->protocol = protocol;
  rv = cl_link_verify_same_card (link, self->reader, self->event_counter, self->atr, &same);
  if (rv != SCARD_S_SUCCESS)
    {
      set_error_from_scard (self, error, rv);
      goto fail;
    }
  if (!same)
    {
      /* Never continue on another card with this object's assumptions. */
      g_mutex_lock (&self->lock);
      self->changed = TRUE;
      g_mutex_unlock (&self->lock);
      set_changed_error (self, error);
      goto fail;
    }
  release (self);
  return TRUE;
fail:
  release (self);
  return FALSE;
}

gboolean
cl_card_reconnect (ClCard *card, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return reconnect_with (card, SCARD_LEAVE_CARD, cancellable, error);
}

gboolean
cl_card_reset (ClCard *card, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return reconnect_with (card, SCARD_RESET_CARD, cancellable, error);
}

void
cl_card_disconnect (ClCard *card)
{
  ClLink *link;

  g_return_if_fail (CL_IS_CARD (card));

  g_cancellable_cancel (card->cancellable); /* wakes every waiter */
  g_mutex_lock (&card->lock);
  link = g_steal_pointer (&card->link);
  if (card->pending != NULL)
    cl_begin_wait_abandon (card->pending);
  g_mutex_unlock (&card->lock);
  /* Whoever still uses the link (an exchange, a begin thread) closes it. */
  if (link != NULL)
    cl_link_unref (link);
}

/* -- async forms over g_task_run_in_thread ------------------------------------------------ */

typedef struct {
  ClApdu apdu;
  guint8 *data;
} TransmitData;

static void
transmit_data_free (TransmitData *td)
{
  if (td->data != NULL)
    cl_secure_wipe (td->data, td->apdu.lc);
  g_free (td->data);
  g_free (td);
}

static void
transmit_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  TransmitData *td = data;
  GError *error = NULL;
  ClResponse *resp;

  resp = cl_card_transmit (source, &td->apdu, cancellable, &error);
  if (resp != NULL)
    g_task_return_pointer (task, resp, (GDestroyNotify) cl_response_free);
  else
    g_task_return_error (task, error);
}

/* An async call from the owner would wait for the owner: a deadlock. */
static gboolean
owned_by_caller (ClCard *self)
{
  gboolean mine;

  g_mutex_lock (&self->lock);
  mine = self->owner == g_thread_self ();
  g_mutex_unlock (&self->lock);
  return mine;
}

void
cl_card_transmit_async (ClCard *card, const ClApdu *apdu, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  TransmitData *td;

  g_return_if_fail (CL_IS_CARD (card));
  g_return_if_fail (apdu != NULL);
  g_return_if_fail (!owned_by_caller (card));

  task = g_task_new (card, cancellable, callback, user_data);
  g_task_set_source_tag (task, cl_card_transmit_async);
  td = g_new0 (TransmitData, 1);
  td->apdu = *apdu;
  td->data = apdu->lc > 0 && apdu->data != NULL ? g_memdup2 (apdu->data, apdu->lc) : NULL;
  td->apdu.data = td->data;
  g_task_set_task_data (task, td, (GDestroyNotify) transmit_data_free);
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_run_in_thread (task, transmit_thread);
}

ClResponse *
cl_card_transmit_finish (ClCard *card, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, card), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cl_card_transmit_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
reconnect_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (cl_card_reconnect (source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cl_card_reconnect_async (ClCard *card, GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CL_IS_CARD (card));
  g_return_if_fail (!owned_by_caller (card));

  task = g_task_new (card, cancellable, callback, user_data);
  g_task_set_source_tag (task, cl_card_reconnect_async);
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_run_in_thread (task, reconnect_thread);
}

gboolean
cl_card_reconnect_finish (ClCard *card, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, card), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cl_card_reconnect_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
