/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-backend-sim.c: the in-process backend over the card simulator.
 *
 * Two virtual readers, R1 and R2, each a CsSlot of one CsDeck (the deck
 * directory the ClContext was made with).  The readers live in a
 * process-wide server per deck directory (cl-sim-server.c), shared by every
 * context, so two ClContexts meet each other exactly as two pcscd clients
 * do: sharing violations, a reset by one handle
 * seen as SCARD_W_RESET_CARD by the others, a pulled card seen as
 * SCARD_W_REMOVED_CARD until reconnect, an event counter that grows on every
 * insertion and removal.  The deck is re-read on every call, so
 * `insucard-cardsim insert/remove` from another process is noticed.
 *
 * A reader can be unplugged (deck.ini [readers] unplugged=N, as after
 * suspend or a pulled cable): it leaves the reader list and the PnP count,
 * its handles get SCARD_E_READER_UNAVAILABLE for good, and connecting to it
 * is SCARD_E_UNKNOWN_READER.  Plugged again, it comes back under the same
 * name with the card powered off; only new connections reach it.  The list
 * order follows [readers] order=normal|reversed.
 */
#include "config.h"

#include <string.h>

#include "cl-sim-server.h"

/* One context on the server, as SCardEstablishContext gives. */
typedef struct {
  ClBackend parent;
  ClSimServer *server;
  gboolean cancelled; /* under server->lock */
} SimBackend;

/* -- handle checks -------------------------------------------------------- */

static ClSimHandle *
sim_lookup (SimBackend *self, SCARDHANDLE id)
{
  ClSimHandle *h = g_hash_table_lookup (self->server->handles, GSIZE_TO_POINTER ((gsize) id));

  return h != NULL && h->owner == self ? h : NULL;
}

/* Takes server->lock, catches up with the deck and finds the handle; on
 * NULL (SCARD_E_INVALID_HANDLE for the caller) the lock is released again. */
static ClSimHandle *
sim_lock_handle (SimBackend *self, SCARDHANDLE id)
{
  ClSimHandle *h;

  g_mutex_lock (&self->server->lock);
  cl_sim_server_sync (self->server);
  h = sim_lookup (self, id);
  if (h == NULL)
    g_mutex_unlock (&self->server->lock);
  return h;
}

/* -- the ops --------------------------------------------------------------- */

static void
sim_free (ClBackend *backend)
{
  SimBackend *self = (SimBackend *) backend;
  ClSimServer *server = self->server;
  GHashTableIter iter;
  ClSimHandle *h;

  /* Like SCardReleaseContext: the context's handles go with it. */
  g_mutex_lock (&server->lock);
  g_hash_table_iter_init (&iter, server->handles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &h))
    if (h->owner == self)
      {
        guint reader = h->reader; /* h is freed by the removal */
        ClSimReader *r = &server->readers[reader];

        if (r->txn_owner == h->id)
          r->txn_owner = 0;
        g_hash_table_iter_remove (&iter);
        if (cl_sim_reader_handles (server, reader, NULL) == 0 && r->powered)
          cl_sim_reader_power (r, CS_POWER_OFF);
      }
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);

  cl_sim_server_release (server);
  g_free (self);
}

/* The plugged readers, in the deck's order (as pcscd lists them in the
 * order they were plugged in). */
static LONG
sim_list_readers (ClBackend *backend, char ***readers)
{
  ClSimServer *server = ((SimBackend *) backend)->server;
  GPtrArray *names = g_ptr_array_new ();
  gboolean reversed;

  g_mutex_lock (&server->lock);
  cl_sim_server_sync (server);
  reversed = cs_deck_get_reader_order (server->deck) == CS_READER_ORDER_REVERSED;
  for (guint k = 0; k < CS_DECK_SLOTS; k++)
    {
      guint i = reversed ? CS_DECK_SLOTS - 1 - k : k;

      if (server->readers[i].plugged)
        g_ptr_array_add (names, g_strdup (cl_sim_reader_name (i)));
    }
  g_mutex_unlock (&server->lock);

  if (names->len == 0)
    {
      g_ptr_array_unref (names);
      *readers = NULL;
      return SCARD_E_NO_READERS_AVAILABLE;
    }
  g_ptr_array_add (names, NULL);
  *readers = (char **) g_ptr_array_free (names, FALSE);
  return SCARD_S_SUCCESS;
}

static LONG
sim_get_status_change (ClBackend *backend, DWORD timeout_ms, SCARD_READERSTATE *states,
                       DWORD n_states)
{
  SimBackend *self = (SimBackend *) backend;
  ClSimServer *server = self->server;
  gint64 deadline = timeout_ms == INFINITE
                        ? G_MAXINT64
                        : g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  LONG rv;

  g_mutex_lock (&server->lock);
  for (;;)
    {
      gint64 now, until;

      if (self->cancelled)
        {
          self->cancelled = FALSE;
          rv = SCARD_E_CANCELLED;
          break;
        }
      cl_sim_server_sync (server);
      if (cl_sim_fill_states (server, states, n_states))
        {
          rv = SCARD_S_SUCCESS;
          break;
        }
      now = g_get_monotonic_time ();
      if (now >= deadline)
        {
          rv = SCARD_E_TIMEOUT;
          break;
        }
      /* Other processes change the deck file: poll it every ~50 ms. */
      until = MIN (deadline, now + CL_SIM_POLL_MS * G_TIME_SPAN_MILLISECOND);
      g_cond_wait_until (&server->cond, &server->lock, until);
    }
  g_mutex_unlock (&server->lock);
  return rv;
}

static LONG
sim_cancel (ClBackend *backend)
{
  SimBackend *self = (SimBackend *) backend;

  g_mutex_lock (&self->server->lock);
  self->cancelled = TRUE;
  g_cond_broadcast (&self->server->cond);
  g_mutex_unlock (&self->server->lock);
  return SCARD_S_SUCCESS;
}

static LONG
sim_check_share (ClSimServer *server, guint reader, DWORD share_mode, ClSimHandle *except)
{
  GHashTableIter iter;
  ClSimHandle *h;

  g_hash_table_iter_init (&iter, server->handles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &h))
    {
      if (h == except || h->reader != reader || !cl_sim_handle_live (server, h))
        continue;
      if (share_mode == SCARD_SHARE_EXCLUSIVE || h->share_mode == SCARD_SHARE_EXCLUSIVE)
        return SCARD_E_SHARING_VIOLATION;
    }
  return SCARD_S_SUCCESS;
}

static LONG
sim_protocol (DWORD protocols, DWORD *active)
{
  /* Both simulated chips present T=0-only ATRs (docs/readers.md, "Backends"). */
  if (protocols & SCARD_PROTOCOL_T0)
    *active = SCARD_PROTOCOL_T0;
  else if (protocols & SCARD_PROTOCOL_RAW)
    *active = SCARD_PROTOCOL_RAW;
  else
    return SCARD_E_PROTO_MISMATCH;
  return SCARD_S_SUCCESS;
}

static LONG
sim_connect (ClBackend *backend, const char *reader, DWORD share_mode, DWORD protocols,
             SCARDHANDLE *handle, DWORD *active_protocol)
{
  SimBackend *self = (SimBackend *) backend;
  ClSimServer *server = self->server;
  gint i = cl_sim_reader_index (reader);
  ClSimReader *r;
  ClSimHandle *h;
  LONG rv;

  if (i < 0)
    return SCARD_E_UNKNOWN_READER;
  if (share_mode == SCARD_SHARE_DIRECT)
    return SCARD_E_INVALID_VALUE;

  g_mutex_lock (&server->lock);
  cl_sim_server_sync (server);
  r = &server->readers[i];
  if (!r->plugged)
    rv = SCARD_E_UNKNOWN_READER;
  else if (!r->present)
    rv = SCARD_E_NO_SMARTCARD;
  else if ((rv = sim_check_share (server, i, share_mode, NULL)) == SCARD_S_SUCCESS
           && (rv = sim_protocol (protocols, active_protocol)) == SCARD_S_SUCCESS)
    {
      if (!r->powered)
        cl_sim_reader_power (r, CS_POWER_ON);
      h = g_new0 (ClSimHandle, 1);
      h->id = server->next_handle++;
      h->owner = self;
      h->reader = i;
      h->share_mode = share_mode;
      h->event_counter = r->event_counter;
      h->reset_count = r->reset_count;
      h->plug_epoch = r->plug_epoch;
      g_hash_table_insert (server->handles, GSIZE_TO_POINTER ((gsize) h->id), h);
      *handle = h->id;
    }
  g_mutex_unlock (&server->lock);
  return rv;
}

static LONG
sim_reconnect (ClBackend *backend, SCARDHANDLE handle, DWORD share_mode, DWORD protocols,
               DWORD initialization, DWORD *active_protocol)
{
  SimBackend *self = (SimBackend *) backend;
  ClSimServer *server = self->server;
  ClSimHandle *h;
  ClSimReader *r;
  LONG rv;

  h = sim_lock_handle (self, handle);
  if (h == NULL)
    return SCARD_E_INVALID_HANDLE;
  r = &server->readers[h->reader];
  if (!cl_sim_handle_live (server, h))
    rv = SCARD_E_READER_UNAVAILABLE; /* a new connect is the only way back */
  else if (!r->present)
    rv = SCARD_E_NO_SMARTCARD;
  else if ((rv = sim_check_share (server, h->reader, share_mode, h)) == SCARD_S_SUCCESS
           && (rv = sim_protocol (protocols, active_protocol)) == SCARD_S_SUCCESS)
    {
      if (r->txn_owner == h->id)
        r->txn_owner = 0;
      h->share_mode = share_mode;
      h->event_counter = r->event_counter;
      h->reset_count = r->reset_count;
      if (!r->powered)
        cl_sim_reader_power (r, CS_POWER_ON);
      else if (initialization == SCARD_RESET_CARD || initialization == SCARD_UNPOWER_CARD)
        cl_sim_reader_reset (server, r, h);
      g_cond_broadcast (&server->cond);
    }
  g_mutex_unlock (&server->lock);
  return rv;
}

static LONG
sim_disconnect (ClBackend *backend, SCARDHANDLE handle, DWORD disposition)
{
  SimBackend *self = (SimBackend *) backend;
  ClSimServer *server = self->server;
  ClSimHandle *h;
  ClSimReader *r;
  guint reader;

  g_mutex_lock (&server->lock);
  h = sim_lookup (self, handle);
  if (h == NULL)
    {
      g_mutex_unlock (&server->lock);
      return SCARD_E_INVALID_HANDLE;
    }
  reader = h->reader;
  r = &server->readers[reader];
  if (r->txn_owner == h->id)
    r->txn_owner = 0;
  if ((disposition == SCARD_RESET_CARD || disposition == SCARD_UNPOWER_CARD)
      && cl_sim_handle_check (server, h) == SCARD_S_SUCCESS)
    cl_sim_reader_reset (server, r, NULL);
  g_hash_table_remove (server->handles, GSIZE_TO_POINTER ((gsize) handle));
  if (r->present && r->powered && cl_sim_reader_handles (server, reader, NULL) == 0)
    cl_sim_reader_power (r, CS_POWER_OFF); /* volatile state lost, as after vpcd's power-down */
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);
  return SCARD_S_SUCCESS;
}

/* Waits (server->lock held) until no other handle holds the reader's
 * transaction; returns the handle's state once it may proceed. */
static LONG
sim_wait_turn (ClSimServer *server, SimBackend *self, SCARDHANDLE id, ClSimHandle **out)
{
  for (;;)
    {
      ClSimHandle *h;
      ClSimReader *r;
      LONG rv;

      cl_sim_server_sync (server);
      h = sim_lookup (self, id);
      if (h == NULL)
        return SCARD_E_INVALID_HANDLE;
      if ((rv = cl_sim_handle_check (server, h)) != SCARD_S_SUCCESS)
        return rv;
      r = &server->readers[h->reader];
      if (r->txn_owner == 0 || r->txn_owner == id)
        {
          *out = h;
          return SCARD_S_SUCCESS;
        }
      g_cond_wait_until (&server->cond, &server->lock,
                         g_get_monotonic_time () + CL_SIM_POLL_MS * G_TIME_SPAN_MILLISECOND);
    }
}

static LONG
sim_begin_transaction (ClBackend *backend, SCARDHANDLE handle)
{
  SimBackend *self = (SimBackend *) backend;
  ClSimServer *server = self->server;
  ClSimHandle *h = NULL;
  LONG rv;

  g_mutex_lock (&server->lock);
  rv = sim_wait_turn (server, self, handle, &h);
  if (rv == SCARD_S_SUCCESS)
    server->readers[h->reader].txn_owner = handle;
  g_mutex_unlock (&server->lock);
  return rv;
}

static LONG
sim_end_transaction (ClBackend *backend, SCARDHANDLE handle, DWORD disposition)
{
  SimBackend *self = (SimBackend *) backend;
  ClSimServer *server = self->server;
  ClSimHandle *h;
  ClSimReader *r;
  LONG rv;

  h = sim_lock_handle (self, handle);
  if (h == NULL)
    return SCARD_E_INVALID_HANDLE;
  r = &server->readers[h->reader];
  rv = cl_sim_handle_check (server, h);
  if (r->txn_owner == handle)
    r->txn_owner = 0;
  else if (rv == SCARD_S_SUCCESS)
    rv = SCARD_E_NOT_TRANSACTED;
  if (rv == SCARD_S_SUCCESS
      && (disposition == SCARD_RESET_CARD || disposition == SCARD_UNPOWER_CARD))
    cl_sim_reader_reset (server, r, h);
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);
  return rv;
}

static LONG
sim_transmit (ClBackend *backend, SCARDHANDLE handle, DWORD protocol, const guint8 *capdu,
              gsize clen, guint8 *rbuf, gsize *rlen)
{
  SimBackend *self = (SimBackend *) backend;
  ClSimServer *server = self->server;
  ClSimHandle *h = NULL;
  ClSimReader *r;
  CsSlotResult res;
  LONG rv;

  *rlen = 0;
  g_mutex_lock (&server->lock);
  rv = sim_wait_turn (server, self, handle, &h);
  if (rv != SCARD_S_SUCCESS)
    goto out;
  r = &server->readers[h->reader];
  G_STATIC_ASSERT (CL_RECV_MAX >= CS_MAX_RESPONSE);
  res = cs_slot_transmit (r->slot, capdu, clen, rbuf, rlen);
  if (res != CS_SLOT_REPLY)
    {
      /* Pulled (fault or torn write) or gone: removed for every handle. */
      *rlen = 0;
      r->pulled = TRUE;
      cl_sim_reader_mark_removed (server, r);
      rv = SCARD_W_REMOVED_CARD;
    }
out:
  g_mutex_unlock (&server->lock);
  return rv;
}

static LONG
sim_status (ClBackend *backend, SCARDHANDLE handle, DWORD *state, DWORD *protocol, guint8 *atr,
            gsize *atr_len)
{
  SimBackend *self = (SimBackend *) backend;
  ClSimServer *server = self->server;
  ClSimHandle *h;
  LONG rv;

  *atr_len = 0;
  h = sim_lock_handle (self, handle);
  if (h == NULL)
    return SCARD_E_INVALID_HANDLE;
  if ((rv = cl_sim_handle_check (server, h)) == SCARD_S_SUCCESS)
    {
      if (state)
        *state = SCARD_SPECIFIC;
      if (protocol)
        *protocol = SCARD_PROTOCOL_T0;
      *atr_len = cl_sim_reader_atr (&server->readers[h->reader], atr);
    }
  g_mutex_unlock (&server->lock);
  return rv;
}

static const ClBackendOps sim_ops = {
  .name = "sim",
  .free = sim_free,
  .list_readers = sim_list_readers,
  .get_status_change = sim_get_status_change,
  .cancel = sim_cancel,
  .connect = sim_connect,
  .reconnect = sim_reconnect,
  .disconnect = sim_disconnect,
  .begin_transaction = sim_begin_transaction,
  .end_transaction = sim_end_transaction,
  .transmit = sim_transmit,
  .status = sim_status,
};

LONG
cl_backend_sim_establish (const char *deck_dir, ClBackend **out)
{
  ClSimServer *server = cl_sim_server_acquire (deck_dir);
  SimBackend *self;

  if (server == NULL)
    return SCARD_E_NO_SERVICE;
  self = g_new0 (SimBackend, 1);
  self->parent.ops = &sim_ops;
  self->parent.ref_count = 1;
  self->server = server;
  *out = &self->parent;
  return SCARD_S_SUCCESS;
}
