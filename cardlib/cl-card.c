/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-card.c: one connection to the card in one reader.
 *
 * The ATR and the reader's event counter are remembered at connect; every
 * transaction (cl_card_begin) and every reconnect checks them, so a card
 * swapped in between is refused (CL_ERROR_CARD_CHANGED) instead of being
 * written.  A reset by another client is reported (CL_ERROR_CARD_RESET) and
 * never papered over: the caller reconnects and redoes its security state.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-card-private.h"
#include "cl-error.h"
#include "cl-log.h"

/* GET RESPONSE chains longer than this are a broken card, not data. */
#define MAX_CHAINED 256
/* How long to look for a vanished card after a failed exchange. */
#define CARD_LEFT_POLLS 12
#define CARD_LEFT_POLL_MS 50

struct _ClCard {
  GObject parent_instance;

  ClBackend *backend;
  char *reader;
  SCARDHANDLE handle;
  DWORD protocol;
  DWORD share_mode;
  GBytes *atr;
  guint event_counter;

  GMutex io_lock; /* one exchange (incl. its 61xx chain) at a time */
  gboolean connected; /* under io_lock */
  gboolean in_txn; /* under io_lock */
  gboolean changed; /* a reconnect found another card: refuse all I/O */
  GCancellable *cancellable;
};

G_DEFINE_TYPE (ClCard, cl_card, G_TYPE_OBJECT)

/* -- helpers -------------------------------------------------------------- */

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

static gboolean
check_usable (ClCard *self, GCancellable *cancellable, GError **error)
{
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!self->connected)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_FAILED,
                   _ ("The connection to the card in “%s” was closed. Connect to the card again."),
                   self->reader);
      return FALSE;
    }
  if (self->changed)
    {
      set_changed_error (self, error);
      return FALSE;
    }
  return TRUE;
}

/* After the backend said "removed": is another card there now?  Then the
 * honest answer is CARD_CHANGED, else CARD_REMOVED. */
static void
set_removed_or_changed (ClCard *self, LONG rv, GError **error)
{
  gboolean present = FALSE;
  guint counter = 0;

  if ((rv == SCARD_W_REMOVED_CARD || rv == SCARD_E_NO_SMARTCARD)
      && cl_backend_probe_reader (self->backend, self->reader, &present, &counter, NULL)
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
verify_same_card (ClCard *self, gboolean *same)
{
  guint8 atr[MAX_ATR_SIZE];
  gsize atr_len = 0;
  gboolean present = FALSE;
  guint counter = 0;
  LONG rv;

  *same = FALSE;
  rv = self->backend->ops->status (self->backend, self->handle, NULL, NULL, atr, &atr_len);
  if (rv != SCARD_S_SUCCESS)
    return rv;
  rv = cl_backend_probe_reader (self->backend, self->reader, &present, &counter, NULL);
  if (rv != SCARD_S_SUCCESS)
    return rv;
  /* An empty GBytes has no data pointer: no memcmp with NULL. */
  *same = present && counter == self->event_counter && atr_len == g_bytes_get_size (self->atr)
          && (atr_len == 0 || memcmp (atr, g_bytes_get_data (self->atr, NULL), atr_len) == 0);
  return SCARD_S_SUCCESS;
}

static void
close_locked (ClCard *self)
{
  if (!self->connected)
    return;
  if (self->in_txn)
    self->backend->ops->end_transaction (self->backend, self->handle, SCARD_LEAVE_CARD);
  self->in_txn = FALSE;
  self->backend->ops->disconnect (self->backend, self->handle, SCARD_LEAVE_CARD);
  self->connected = FALSE;
}

/* -- GObject -------------------------------------------------------------- */

static void
cl_card_dispose (GObject *object)
{
  ClCard *self = CL_CARD (object);

  g_cancellable_cancel (self->cancellable);
  if (self->backend != NULL)
    {
      g_mutex_lock (&self->io_lock);
      close_locked (self); /* no handle or transaction outlives the object */
      g_mutex_unlock (&self->io_lock);
    }
  g_clear_pointer (&self->backend, cl_backend_unref);
  G_OBJECT_CLASS (cl_card_parent_class)->dispose (object);
}

static void
cl_card_finalize (GObject *object)
{
  ClCard *self = CL_CARD (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->atr, g_bytes_unref);
  g_free (self->reader);
  g_mutex_clear (&self->io_lock);
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
  g_mutex_init (&self->io_lock);
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

  self->backend = cl_backend_ref (backend);
  self->reader = g_strdup (reader);
  self->handle = handle;
  self->protocol = protocol;
  self->share_mode = share_mode;
  self->connected = TRUE;

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

/* -- accessors ------------------------------------------------------------ */

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

/* -- transactions ---------------------------------------------------------- */

gboolean
cl_card_begin (ClCard *card, GCancellable *cancellable, GError **error)
{
  gboolean same = FALSE;
  gboolean ok = FALSE;
  LONG rv;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&card->io_lock);
  if (!check_usable (card, cancellable, error))
    goto out;
  if (card->in_txn)
    {
      g_set_error_literal (error, CL_ERROR, CL_ERROR_FAILED,
                           _ ("A card step is already in progress. Finish it first."));
      goto out;
    }
  rv = card->backend->ops->begin_transaction (card->backend, card->handle);
  if (rv != SCARD_S_SUCCESS)
    {
      set_removed_or_changed (card, rv, error);
      goto out;
    }
  rv = verify_same_card (card, &same);
  if (rv != SCARD_S_SUCCESS || !same)
    {
      card->backend->ops->end_transaction (card->backend, card->handle, SCARD_LEAVE_CARD);
      if (rv != SCARD_S_SUCCESS)
        set_removed_or_changed (card, rv, error);
      else
        set_changed_error (card, error);
      goto out;
    }
  card->in_txn = TRUE;
  ok = TRUE;
out:
  g_mutex_unlock (&card->io_lock);
  return ok;
}

void
cl_card_end (ClCard *card)
{
  LONG rv;

  g_return_if_fail (CL_IS_CARD (card));

  g_mutex_lock (&card->io_lock);
  if (card->connected && card->in_txn)
    {
      rv = card->backend->ops->end_transaction (card->backend, card->handle, SCARD_LEAVE_CARD);
      if (rv != SCARD_S_SUCCESS)
        g_debug ("%s: end of transaction: 0x%08lX", card->reader, (unsigned long) rv);
    }
  card->in_txn = FALSE;
  g_mutex_unlock (&card->io_lock);
}

/* -- exchanges --------------------------------------------------------------- */

/* After a failed or empty exchange: did the card leave?  pcscd notices a
 * card that vanished mid-APDU only at its next presence poll (~400 ms), so
 * look for a little while before calling it anything else. */
static gboolean
card_left (ClCard *self)
{
  for (guint i = 0; i < CARD_LEFT_POLLS; i++)
    {
      gboolean present = FALSE;
      guint counter = 0;
      LONG rv = cl_backend_probe_reader (self->backend, self->reader, &present, &counter, NULL);

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

/* One raw exchange (io_lock held); the reply is >= 2 bytes or an error. */
static guint8 *
exchange_locked (ClCard *self, const guint8 *capdu, gsize clen, ClApduFlags flags, gsize *rlen,
                 GError **error)
{
  g_autofree guint8 *rbuf = g_malloc (CL_RECV_MAX);
  gsize len = 0;
  LONG rv;

  rv = self->backend->ops->transmit (self->backend, self->handle, self->protocol, capdu, clen, rbuf,
                                     &len);
  cl_log_exchange (self->reader, capdu, clen, flags, rv == SCARD_S_SUCCESS ? rbuf : NULL,
                   rv == SCARD_S_SUCCESS ? len : 0);
  if (rv != SCARD_S_SUCCESS)
    {
      set_error_from_scard (self, error,
                            maybe_pulled (rv) && card_left (self) ? SCARD_W_REMOVED_CARD : rv);
      return NULL;
    }
  if (len < 2)
    {
      /* P8: a card that died mid-exchange gives "success" with no bytes. */
      if (card_left (self))
        set_error_from_scard (self, error, SCARD_W_REMOVED_CARD);
      else
        g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                     _ ("The card in “%s” gave an incomplete answer (%zu bytes). Remove and insert "
                        "the card, then start the step again."),
                     self->reader, len);
      return NULL;
    }
  *rlen = len;
  return g_steal_pointer (&rbuf);
}

GBytes *
cl_card_transmit_raw (ClCard *card, const guint8 *capdu, gsize len, GCancellable *cancellable,
                      GError **error)
{
  g_autofree guint8 *rbuf = NULL;
  gsize rlen = 0;
  GBytes *out = NULL;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (capdu != NULL && len >= 4, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&card->io_lock);
  if (check_usable (card, cancellable, error))
    rbuf = exchange_locked (card, capdu, len, CL_APDU_FLAG_NONE, &rlen, error);
  g_mutex_unlock (&card->io_lock);
  if (rbuf != NULL)
    out = g_bytes_new_take (g_realloc (g_steal_pointer (&rbuf), rlen), rlen);
  return out;
}

static void
wipe_array (GByteArray *arr)
{
  if (arr->len > 0)
    memset (arr->data, 0, arr->len);
  g_byte_array_unref (arr);
}

ClResponse *
cl_card_transmit (ClCard *card, const ClApdu *apdu, GCancellable *cancellable, GError **error)
{
  g_autofree guint8 *cmd = NULL;
  gsize clen = 0;
  GByteArray *acc = NULL;
  ClResponse *resp = NULL;
  gboolean resent = FALSE;

  g_return_val_if_fail (CL_IS_CARD (card), NULL);
  g_return_val_if_fail (apdu != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cmd = cl_apdu_encode (apdu, &clen, error);
  if (cmd == NULL)
    return NULL;

  acc = g_byte_array_new ();
  g_mutex_lock (&card->io_lock);
  if (!check_usable (card, cancellable, error))
    goto out;

  for (guint round = 0; round < MAX_CHAINED; round++)
    {
      g_autofree guint8 *r = NULL;
      gsize rlen = 0;
      guint8 sw1, sw2;

      r = exchange_locked (card, cmd, clen, apdu->flags, &rlen, error);
      if (r == NULL)
        goto out;
      sw1 = r[rlen - 2];
      sw2 = r[rlen - 1];

      if (sw1 == 0x6C && !resent)
        {
          /* T=0 "wrong Le": send the same command again with Le = xx. */
          ClApdu again = *apdu;

          again.le = sw2 == 0 ? 256 : sw2;
          resent = TRUE;
          g_clear_pointer (&cmd, g_free);
          cmd = cl_apdu_encode (&again, &clen, error);
          memset (r, 0, rlen);
          if (cmd == NULL)
            goto out;
          continue;
        }
      g_byte_array_append (acc, r, rlen - 2);
      if (sw1 == 0x61)
        {
          /* T=0 "more data": fetch it with GET RESPONSE and concatenate. */
          static const guint8 get_response[4] = { 0x00, 0xC0, 0x00, 0x00 };

          memset (r, 0, rlen);
          g_clear_pointer (&cmd, g_free);
          cmd = g_malloc (5);
          memcpy (cmd, get_response, 4);
          cmd[4] = sw2;
          clen = 5;
          continue;
        }
      g_byte_array_append (acc, r + rlen - 2, 2);
      memset (r, 0, rlen);
      resp = cl_response_new (acc->data, acc->len, error);
      goto out;
    }
  g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
               _ ("The card in “%s” kept asking to fetch more data. Remove and insert the card, "
                  "then start the step again."),
               card->reader);
out:
  g_mutex_unlock (&card->io_lock);
  wipe_array (acc);
  return resp;
}

/* -- reconnect, reset, disconnect ------------------------------------------------ */

static gboolean
reconnect_with (ClCard *self, DWORD initialization, GCancellable *cancellable, GError **error)
{
  gboolean same = FALSE;
  gboolean ok = FALSE;
  DWORD protocol = 0;
  LONG rv;

  g_mutex_lock (&self->io_lock);
  if (!check_usable (self, cancellable, error))
    goto out;
  rv = self->backend->ops->reconnect (self->backend, self->handle, self->share_mode,
                                      SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, initialization,
                                      &protocol);
  if (rv != SCARD_S_SUCCESS)
    {
      set_error_from_scard (self, error, rv);
      goto out;
    }
  self->in_txn = FALSE; /* a reconnect ends the transaction */
  self->protocol = protocol;
  rv = verify_same_card (self, &same);
  if (rv != SCARD_S_SUCCESS)
    {
      set_error_from_scard (self, error, rv);
      goto out;
    }
  if (!same)
    {
      /* Never continue on another card with this object's assumptions. */
      self->changed = TRUE;
      set_changed_error (self, error);
      goto out;
    }
  ok = TRUE;
out:
  g_mutex_unlock (&self->io_lock);
  return ok;
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
  g_return_if_fail (CL_IS_CARD (card));

  g_mutex_lock (&card->io_lock);
  close_locked (card);
  g_mutex_unlock (&card->io_lock);
}

/* -- async forms over g_task_run_in_thread ------------------------------------------ */

static void
begin_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  GError *error = NULL;

  if (cl_card_begin (source, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cl_card_begin_async (ClCard *card, GCancellable *cancellable, GAsyncReadyCallback callback,
                     gpointer user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (CL_IS_CARD (card));

  task = g_task_new (card, cancellable, callback, user_data);
  g_task_set_source_tag (task, cl_card_begin_async);
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_run_in_thread (task, begin_thread);
}

gboolean
cl_card_begin_finish (ClCard *card, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, card), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cl_card_begin_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct {
  ClApdu apdu;
  guint8 *data;
} TransmitData;

static void
transmit_data_free (TransmitData *td)
{
  if (td->data != NULL)
    memset (td->data, 0, td->apdu.lc);
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

void
cl_card_transmit_async (ClCard *card, const ClApdu *apdu, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  TransmitData *td;

  g_return_if_fail (CL_IS_CARD (card));
  g_return_if_fail (apdu != NULL);

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
