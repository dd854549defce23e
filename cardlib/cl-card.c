/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-card.c: one connection to the card in one reader.
 *
 * The ATR and the reader's event counter are remembered at connect; every
 * transaction and every reconnect checks them, so a card swapped in between
 * is refused (CL_ERROR_CARD_CHANGED) instead of being written.  A reset by
 * another client is reported (CL_ERROR_CARD_RESET) and never papered over:
 * the caller reconnects and redoes its security state.
 *
 * Ownership (cl-card.h): `owner` is the thread in a transaction or an
 * exchange; other threads wait on `cond`.  No lock is held across a
 * blocking backend call: the PC/SC handle lives in a reference-counted Link
 * that whoever is using it holds, so disconnecting never waits, and the last
 * holder ends the transaction and disconnects.  SCardBeginTransaction blocks
 * for as long as another program holds the card and cannot be interrupted,
 * so it runs in a thread of its own (BeginWait); a cancelled caller leaves
 * it behind, and the next begin on the card adopts it instead of piling up
 * a second call.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-card-private.h"
#include "cl-error.h"
#include "cl-key.h"
#include "cl-log.h"

/* GET RESPONSE chains longer than this are a broken card, not data. */
#define MAX_CHAINED 256
/* How long to look for a vanished card after a failed exchange. */
#define CARD_LEFT_POLLS 12
#define CARD_LEFT_POLL_MS 50
/* How often a waiting thread looks at its cancellable. */
#define WAIT_POLL_MS 20

/* The handle on the connection's own context; see the top of the file. */
typedef struct {
  ClBackend *backend;
  SCARDHANDLE handle;
  gboolean in_txn; /* changed only by the card's owner or the last holder */
} Link;

/* One SCardBeginTransaction in flight. */
typedef struct {
  Link *link;
  GMutex lock;
  GCond cond;
  gboolean done; /* under lock */
  gboolean abandoned; /* under lock: nobody waits; end the transaction when it comes */
  gboolean discarded; /* under lock: it came while abandoned and was ended again */
  LONG rv;
} BeginWait;

struct _ClCard {
  GObject parent_instance;

  char *reader;
  DWORD protocol;
  DWORD share_mode;
  GBytes *atr;
  guint event_counter;

  GMutex lock; /* everything below */
  GCond cond; /* the owner let go */
  Link *link; /* NULL once disconnected */
  GThread *owner;
  guint claims; /* the owner's nested begins and exchanges */
  guint txn_depth; /* the owner's nested begins */
  gboolean changed; /* a reconnect found another card: refuse all I/O */
  BeginWait *pending; /* a begin still blocked in the backend */
  GCancellable *cancellable; /* cancelled by dispose and disconnect */

  ClCardDriverState driver; /* only the owner touches it */
};

G_DEFINE_TYPE (ClCard, cl_card, G_TYPE_OBJECT)

/* -- the link ------------------------------------------------------------------------- */

static void
link_clear (gpointer data)
{
  Link *link = data;

  if (link->in_txn)
    link->backend->ops->end_transaction (link->backend, link->handle, SCARD_LEAVE_CARD);
  link->backend->ops->disconnect (link->backend, link->handle, SCARD_LEAVE_CARD);
  cl_backend_unref (link->backend);
}

static Link *
link_ref (Link *link)
{
  return g_atomic_rc_box_acquire (link);
}

static void
link_unref (Link *link)
{
  g_atomic_rc_box_release_full (link, link_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Link, link_unref)

/* -- the begin thread ------------------------------------------------------------------- */

static void
begin_wait_clear (gpointer data)
{
  BeginWait *w = data;

  g_clear_pointer (&w->link, link_unref);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
}

static void
begin_wait_unref (BeginWait *w)
{
  g_atomic_rc_box_release_full (w, begin_wait_clear);
}

static gpointer
begin_thread (gpointer data)
{
  BeginWait *w = data;
  Link *link = w->link;
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
  g_clear_pointer (&w->link, link_unref);
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
  begin_wait_unref (w);
  return NULL;
}

static BeginWait *
begin_wait_start (Link *link, GError **error)
{
  BeginWait *w = g_atomic_rc_box_new0 (BeginWait);
  g_autoptr (GThread) thread = NULL;

  w->link = link_ref (link);
  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  thread = g_thread_try_new ("cl-card-begin", begin_thread, g_atomic_rc_box_acquire (w), error);
  if (thread == NULL)
    {
      begin_wait_unref (w); /* the thread's reference */
      begin_wait_unref (w);
      return NULL;
    }
  return w;
}

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

/* Waits for the begin to finish; a cancelled caller leaves it abandoned,
 * so it ends its transaction itself when that comes. */
static gboolean
begin_wait_finish (ClCard *self, BeginWait *w, LONG *rv, GCancellable *cancellable, GError **error)
{
  gboolean ok = TRUE;

  g_mutex_lock (&w->lock);
  while (!w->done)
    {
      if (cancelled (self, cancellable, error))
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

/* Takes over an abandoned begin, unless it already finished without anyone
 * to take its transaction (then it is of no use). */
static gboolean
begin_wait_adopt (BeginWait *w)
{
  gboolean usable;

  g_mutex_lock (&w->lock);
  usable = !(w->done && (w->discarded || w->rv != SCARD_S_SUCCESS));
  if (usable)
    w->abandoned = FALSE;
  g_mutex_unlock (&w->lock);
  return usable;
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
static Link *
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
  return link_ref (self->link);
}

/* After the backend said "removed": is another card there now?  Then the
 * honest answer is CARD_CHANGED, else CARD_REMOVED. */
static void
set_removed_or_changed (ClCard *self, Link *link, LONG rv, GError **error)
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

/* The card is the one we connected to: same ATR, same insertion. */
static LONG
verify_same_card (ClCard *self, Link *link, gboolean *same)
{
  guint8 atr[MAX_ATR_SIZE];
  gsize atr_len = 0;
  gboolean present = FALSE;
  guint counter = 0;
  LONG rv;

  *same = FALSE;
  rv = link->backend->ops->status (link->backend, link->handle, NULL, NULL, atr, &atr_len);
  if (rv != SCARD_S_SUCCESS)
    return rv;
  rv = cl_backend_probe_reader (link->backend, self->reader, &present, &counter, NULL);
  if (rv != SCARD_S_SUCCESS)
    return rv;
  *same = present && counter == self->event_counter && atr_len == g_bytes_get_size (self->atr)
          && memcmp (atr, g_bytes_get_data (self->atr, NULL), atr_len) == 0;
  return SCARD_S_SUCCESS;
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
static Link *
settled_link (ClCard *self, GCancellable *cancellable, GError **error)
{
  BeginWait *w;
  Link *link;
  LONG rv;

  g_mutex_lock (&self->lock);
  w = self->pending != NULL ? g_atomic_rc_box_acquire (self->pending) : NULL;
  g_mutex_unlock (&self->lock);
  if (w != NULL)
    {
      gboolean ok = begin_wait_finish (self, w, &rv, cancellable, error);

      g_mutex_lock (&self->lock);
      if (ok && self->pending == w)
        g_clear_pointer (&self->pending, begin_wait_unref);
      g_mutex_unlock (&self->lock);
      begin_wait_unref (w);
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

  g_clear_pointer (&self->pending, begin_wait_unref);
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

  self->link = g_atomic_rc_box_new0 (Link);
  self->link->backend = backend;
  self->link->handle = handle;
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
  g_autoptr (Link) link = NULL;
  BeginWait *w;
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
  if (self->pending != NULL && !begin_wait_adopt (self->pending))
    g_clear_pointer (&self->pending, begin_wait_unref);
  if (self->pending == NULL)
    {
      self->pending = begin_wait_start (link, error);
      if (self->pending == NULL)
        {
          g_mutex_unlock (&self->lock);
          return FALSE;
        }
    }
  w = g_atomic_rc_box_acquire (self->pending);
  g_mutex_unlock (&self->lock);

  if (!begin_wait_finish (self, w, &rv, cancellable, error))
    {
      begin_wait_unref (w); /* stays pending on the card, abandoned */
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  if (self->pending == w)
    g_clear_pointer (&self->pending, begin_wait_unref);
  g_mutex_unlock (&self->lock);
  begin_wait_unref (w);

  if (rv != SCARD_S_SUCCESS)
    {
      set_removed_or_changed (self, link, rv, error);
      return FALSE;
    }
  rv = verify_same_card (self, link, &same);
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
  g_autoptr (Link) link = NULL;

  g_return_if_fail (CL_IS_CARD (card));

  g_mutex_lock (&card->lock);
  if (card->owner != g_thread_self () || card->txn_depth == 0)
    {
      g_mutex_unlock (&card->lock);
      g_critical ("cl_card_end() without a matching cl_card_begin() in this thread");
      return;
    }
  if (--card->txn_depth == 0 && card->link != NULL && card->link->in_txn)
    link = link_ref (card->link);
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

/* After a failed or empty exchange: did the card leave?  pcscd notices a
 * card that vanished mid-APDU only at its next presence poll (~400 ms), so
 * look for a little while before calling it anything else. */
static gboolean
card_left (ClCard *self, Link *link)
{
  for (guint i = 0; i < CARD_LEFT_POLLS; i++)
    {
      gboolean present = FALSE;
      guint counter = 0;
      LONG rv = cl_backend_probe_reader (link->backend, self->reader, &present, &counter, NULL);

      if (rv != SCARD_S_SUCCESS)
        return FALSE;
      if (!present || counter != self->event_counter)
        return TRUE;
      g_usleep (CARD_LEFT_POLL_MS * 1000);
    }
  return FALSE;
}

/* Codes a card pulled mid-exchange may come back as, besides REMOVED. */
static gboolean
maybe_pulled (LONG rv)
{
  return rv == SCARD_E_NOT_TRANSACTED || rv == SCARD_W_UNRESPONSIVE_CARD
         || rv == SCARD_W_UNPOWERED_CARD || rv == SCARD_F_UNKNOWN_ERROR;
}

/* A reply buffer: CL_RECV_MAX bytes, wiped before it is freed. */
typedef struct {
  guint8 *data;
  gsize len;
} Reply;

static void
reply_clear (Reply *r)
{
  if (r->data != NULL)
    cl_secure_wipe (r->data, CL_RECV_MAX);
  g_clear_pointer (&r->data, g_free);
  r->len = 0;
}

/* One raw exchange by the owner; the reply is >= 2 bytes or an error. */
static gboolean
exchange (ClCard *self, Link *link, const guint8 *capdu, gsize clen, ClApduFlags flags,
          Reply *reply, GError **error)
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
      set_error_from_scard (
          self, error, maybe_pulled (rv) && card_left (self, link) ? SCARD_W_REMOVED_CARD : rv);
      reply_clear (reply);
      return FALSE;
    }
  if (reply->len < 2)
    {
      /* A card that died mid-exchange can give "success" with no bytes. */
      if (card_left (self, link))
        set_error_from_scard (self, error, SCARD_W_REMOVED_CARD);
      else
        g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                     _ ("The card in “%s” gave an incomplete answer (%zu bytes). Remove and insert "
                        "the card, then start the step again."),
                     self->reader, reply->len);
      reply_clear (reply);
      return FALSE;
    }
  return TRUE;
}

/* Claims the card for one exchange: ownership and a usable link. */
static Link *
claim_for_exchange (ClCard *self, GCancellable *cancellable, GError **error)
{
  Link *link;

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
  g_autoptr (Link) link = NULL;
  Reply reply = { 0 };
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
  reply_clear (&reply);
  return out;
}

/* Appends to a buffer that may hold secrets: growing copies and wipes, so
 * no unwiped copy is left behind by a realloc. */
static void
secure_append (guint8 **buf, gsize *len, gsize *cap, const guint8 *data, gsize n)
{
  if (*len + n > *cap)
    {
      gsize new_cap = MAX (*cap * 2, *len + n);
      guint8 *grown = g_malloc (new_cap);

      if (*len > 0)
        memcpy (grown, *buf, *len);
      if (*buf != NULL)
        cl_secure_wipe (*buf, *cap);
      g_free (*buf);
      *buf = grown;
      *cap = new_cap;
    }
  memcpy (*buf + *len, data, n);
  *len += n;
}

static guint8 *
encode_le (const ClApdu *apdu, gint le, gsize *len, GError **error)
{
  ClApdu again = *apdu;

  again.le = le;
  return cl_apdu_encode (&again, len, error);
}

static void
wipe_command (guint8 **cmd, gsize len)
{
  if (*cmd != NULL)
    cl_secure_wipe (*cmd, len);
  g_clear_pointer (cmd, g_free);
}

ClResponse *
cl_card_transmit (ClCard *card, const ClApdu *apdu, GCancellable *cancellable, GError **error)
{
  static const guint8 get_response[4] = { 0x00, 0xC0, 0x00, 0x00 };
  g_autoptr (Link) link = NULL;
  guint8 *cmd = NULL, *acc = NULL;
  gsize clen = 0, acc_len = 0, acc_cap = 0;
  ClResponse *resp = NULL;
  gboolean resent = FALSE, fetching = FALSE;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (apdu != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cmd = cl_apdu_encode (apdu, &clen, error);
  if (cmd == NULL)
    return NULL;
  link = claim_for_exchange (card, cancellable, error);
  if (link == NULL)
    {
      wipe_command (&cmd, clen);
      return NULL;
    }

  for (guint round = 0; round < MAX_CHAINED; round++)
    {
      Reply r = { 0 };
      guint8 sw1, sw2;

      if (!exchange (card, link, cmd, clen, apdu->flags, &r, error))
        goto out;
      sw1 = r.data[r.len - 2];
      sw2 = r.data[r.len - 1];
      wipe_command (&cmd, clen);

      if (sw1 == 0x6C && !resent)
        {
          /* T=0 "wrong Le": the same request again with Le = xx.  After a
           * GET RESPONSE that is the GET RESPONSE, never the original
           * command, which may not be repeatable (INTERNAL AUTHENTICATE,
           * APPEND RECORD). */
          resent = TRUE;
          if (fetching)
            {
              cmd = g_malloc (5);
              memcpy (cmd, get_response, 4);
              cmd[4] = sw2;
              clen = 5;
            }
          else
            cmd = encode_le (apdu, sw2 == 0 ? 256 : sw2, &clen, error);
          reply_clear (&r);
          if (cmd == NULL)
            goto out;
          continue;
        }
      secure_append (&acc, &acc_len, &acc_cap, r.data, r.len - 2);
      if (sw1 == 0x61)
        {
          /* T=0 "more data": fetch it with GET RESPONSE and concatenate. */
          cmd = g_malloc (5);
          memcpy (cmd, get_response, 4);
          cmd[4] = sw2;
          clen = 5;
          fetching = TRUE;
          resent = FALSE;
          reply_clear (&r);
          continue;
        }
      secure_append (&acc, &acc_len, &acc_cap, r.data + r.len - 2, 2);
      reply_clear (&r);
      resp = cl_response_new (acc, acc_len, error);
      goto out;
    }
  g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
               _ ("The card in “%s” kept asking to fetch more data. Remove and insert the card, "
                  "then start the step again."),
               card->reader);
out:
  release (card);
  wipe_command (&cmd, clen);
  if (acc != NULL)
    cl_secure_wipe (acc, acc_cap);
  g_free (acc);
  return resp;
}

/* -- reconnect, reset, disconnect ------------------------------------------------------------ */

static gboolean
reconnect_with (ClCard *self, DWORD initialization, GCancellable *cancellable, GError **error)
{
  g_autoptr (Link) link = NULL;
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
  rv = verify_same_card (self, link, &same);
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
  Link *link;

  g_return_if_fail (CL_IS_CARD (card));

  g_cancellable_cancel (card->cancellable); /* wakes every waiter */
  g_mutex_lock (&card->lock);
  link = g_steal_pointer (&card->link);
  if (card->pending != NULL)
    {
      g_mutex_lock (&card->pending->lock);
      card->pending->abandoned = TRUE;
      g_mutex_unlock (&card->pending->lock);
    }
  g_mutex_unlock (&card->lock);
  /* Whoever still uses the link (an exchange, a begin thread) closes it. */
  if (link != NULL)
    link_unref (link);
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
