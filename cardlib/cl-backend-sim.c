/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-backend-sim.c: the in-process backend over the card simulator.
 *
 * Two virtual readers, R1 and R2, each a CsSlot of one CsDeck (the deck
 * directory the ClContext was made with).  The readers live in a process-wide "server" per
 * deck directory, shared by every context, so two ClContexts meet each other
 * exactly as two pcscd clients do: sharing violations, a reset by one handle
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

#include "cl-backend.h"
#include "cs-deck.h"
#include "cs-slot.h"

#define SIM_POLL_MS 50

static const char *const sim_reader_names[CS_DECK_SLOTS] = { CL_SIM_READER_R1, CL_SIM_READER_R2 };

typedef struct _SimServer SimServer;
typedef struct _SimBackend SimBackend;

typedef struct {
  CsSlot *slot;
  gboolean plugged; /* the reader is there at all */
  guint plug_epoch; /* +1 per unplug; handles of an older epoch are dead */
  gboolean present;
  guint generation; /* slot generation last seen */
  gboolean pulled; /* a fault pulled the card of `generation` */
  guint event_counter; /* +1 per insertion and per removal, as pcscd */
  guint reset_count; /* +1 per warm reset; handles compare against it */
  gboolean powered;
  SCARDHANDLE txn_owner; /* 0 = no transaction */
} SimReader;

typedef struct {
  SCARDHANDLE id;
  SimBackend *owner;
  guint reader;
  DWORD share_mode;
  guint event_counter; /* reader counter at connect: differs => card removed */
  guint reset_count; /* differs => another handle reset the card */
  guint plug_epoch; /* differs => the reader was unplugged since */
} SimHandle;

struct _SimServer {
  char *dir;
  gint users;
  GMutex lock;
  GCond cond;
  CsDeck *deck;
  SimReader readers[CS_DECK_SLOTS];
  GHashTable *handles; /* SCARDHANDLE -> SimHandle */
  SCARDHANDLE next_handle;
};

struct _SimBackend {
  ClBackend parent;
  SimServer *server;
  gboolean cancelled; /* under server->lock */
};

static GMutex servers_lock;
static GHashTable *servers; /* dir -> SimServer */

/* -- the server: deck, slots, handles ------------------------------------ */

static void
sim_server_free (SimServer *server)
{
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    g_clear_pointer (&server->readers[i].slot, cs_slot_free);
  g_clear_pointer (&server->deck, cs_deck_free);
  g_hash_table_unref (server->handles);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->cond);
  g_free (server->dir);
  g_free (server);
}

static SimServer *
sim_server_acquire (const char *deck_dir)
{
  g_autofree char *dir = g_strdup (deck_dir);
  g_autoptr (GError) error = NULL;
  SimServer *server;

  g_mutex_lock (&servers_lock);
  if (servers == NULL)
    servers = g_hash_table_new (g_str_hash, g_str_equal);
  server = g_hash_table_lookup (servers, dir);
  if (server == NULL)
    {
      CsDeck *deck = cs_deck_open (dir, &error);

      if (deck == NULL)
        {
          g_mutex_unlock (&servers_lock);
          g_warning ("Cannot open the simulated card deck %s: %s", dir, error->message);
          return NULL;
        }
      server = g_new0 (SimServer, 1);
      server->dir = g_steal_pointer (&dir);
      server->deck = deck;
      g_mutex_init (&server->lock);
      g_cond_init (&server->cond);
      server->handles = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      server->next_handle = 0x5100;
      for (guint i = 0; i < CS_DECK_SLOTS; i++)
        {
          server->readers[i].slot = cs_slot_new (deck, i);
          server->readers[i].plugged = TRUE; /* the first sync catches up */
        }
      g_hash_table_insert (servers, server->dir, server);
    }
  server->users++;
  g_mutex_unlock (&servers_lock);
  return server;
}

static void
sim_server_release (SimServer *server)
{
  g_mutex_lock (&servers_lock);
  if (--server->users == 0)
    {
      g_hash_table_remove (servers, server->dir);
      sim_server_free (server);
    }
  g_mutex_unlock (&servers_lock);
}

/* A handle whose reader was unplugged since its connect is dead: pcscd
 * drops it with the reader.  It stays in the table until disconnected, but
 * counts for nothing (sharing, power, state). */
static gboolean
sim_handle_live (SimServer *server, SimHandle *h)
{
  SimReader *r = &server->readers[h->reader];

  return r->plugged && h->plug_epoch == r->plug_epoch;
}

/* Live handles on the reader. */
static guint
sim_reader_handles (SimServer *server, guint reader, gboolean *exclusive)
{
  GHashTableIter iter;
  SimHandle *h;
  guint n = 0;

  if (exclusive)
    *exclusive = FALSE;
  g_hash_table_iter_init (&iter, server->handles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &h))
    if (h->reader == reader && sim_handle_live (server, h))
      {
        n++;
        if (exclusive && h->share_mode == SCARD_SHARE_EXCLUSIVE)
          *exclusive = TRUE;
      }
  return n;
}

/* The card left: the counter moves, a held transaction is dropped (its
 * owner learns it from SCARD_W_REMOVED_CARD). */
static void
sim_reader_mark_removed (SimServer *server, SimReader *r)
{
  if (!r->present)
    return;
  r->present = FALSE;
  r->powered = FALSE;
  r->event_counter++;
  r->txn_owner = 0;
  g_cond_broadcast (&server->cond);
}

static void
sim_reader_power (SimReader *r, CsPower power)
{
  cs_slot_power (r->slot, power);
  r->powered = power != CS_POWER_OFF;
}

/* The reader is unplugged: its card leaves with it (for the clients), the
 * card loses power, and every handle on it dies. */
static void
sim_reader_unplug (SimServer *server, SimReader *r)
{
  if (r->powered)
    sim_reader_power (r, CS_POWER_OFF);
  sim_reader_mark_removed (server, r);
  r->plugged = FALSE;
  r->plug_epoch++;
  r->txn_owner = 0;
  g_cond_broadcast (&server->cond);
}

/* Follows the deck (under server->lock). */
static void
sim_server_sync (SimServer *server)
{
  g_autoptr (GError) error = NULL;
  gboolean changed = FALSE;

  /* cs_slot_sync re-reads deck.ini itself. */
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    {
      SimReader *r = &server->readers[i];
      gboolean has, present;
      guint gen;

      if (!cs_slot_sync (r->slot, &changed, &error))
        {
          g_debug ("sim: slot %u sync failed: %s", i, error->message);
          g_clear_error (&error);
        }
      /* cs_slot_sync re-read deck.ini, so [readers] is fresh too. */
      if (r->plugged && !cs_deck_get_reader_plugged (server->deck, i))
        sim_reader_unplug (server, r);
      else if (!r->plugged && cs_deck_get_reader_plugged (server->deck, i))
        {
          r->plugged = TRUE; /* a fresh reader: the card in it is unpowered */
          g_cond_broadcast (&server->cond);
        }
      has = cs_slot_has_card (r->slot);
      gen = cs_slot_get_generation (r->slot);
      if (gen != r->generation)
        {
          /* Another card (or the same one again): removal then insertion. */
          sim_reader_mark_removed (server, r);
          r->generation = gen;
          r->pulled = FALSE;
        }
      present = r->plugged && has && !r->pulled;
      if (present && !r->present)
        {
          r->present = TRUE;
          r->powered = FALSE;
          r->event_counter++;
          g_cond_broadcast (&server->cond);
        }
      else if (!present && r->present)
        sim_reader_mark_removed (server, r);
    }
}

static gsize
sim_reader_atr (SimReader *r, guint8 *atr)
{
  g_autoptr (GBytes) bytes = NULL;
  gsize len = 0;
  const guint8 *data;

  if (!r->present)
    return 0;
  bytes = cs_slot_get_atr (r->slot);
  if (bytes == NULL)
    return 0;
  data = g_bytes_get_data (bytes, &len);
  len = MIN (len, MAX_ATR_SIZE);
  memcpy (atr, data, len);
  return len;
}

static void
sim_reader_reset (SimServer *server, SimReader *r, SimHandle *by)
{
  if (!r->present)
    return;
  sim_reader_power (r, CS_POWER_RESET);
  r->reset_count++;
  if (by)
    by->reset_count = r->reset_count;
}

/* -- handle checks -------------------------------------------------------- */

static SimHandle *
sim_lookup (SimBackend *self, SCARDHANDLE id)
{
  SimHandle *h = g_hash_table_lookup (self->server->handles, GSIZE_TO_POINTER ((gsize) id));

  return h != NULL && h->owner == self ? h : NULL;
}

/* Takes server->lock, catches up with the deck and finds the handle; on
 * NULL (SCARD_E_INVALID_HANDLE for the caller) the lock is released again. */
static SimHandle *
sim_lock_handle (SimBackend *self, SCARDHANDLE id)
{
  SimHandle *h;

  g_mutex_lock (&self->server->lock);
  sim_server_sync (self->server);
  h = sim_lookup (self, id);
  if (h == NULL)
    g_mutex_unlock (&self->server->lock);
  return h;
}

/* What pcscd answers a handle whose reader or card went away or whose card
 * was reset. */
static LONG
sim_handle_check (SimServer *server, SimHandle *h)
{
  SimReader *r = &server->readers[h->reader];

  if (!sim_handle_live (server, h))
    return SCARD_E_READER_UNAVAILABLE;
  if (h->event_counter != r->event_counter)
    return SCARD_W_REMOVED_CARD;
  if (h->reset_count != r->reset_count)
    return SCARD_W_RESET_CARD;
  return SCARD_S_SUCCESS;
}

static gint
sim_reader_index (const char *name)
{
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    if (g_strcmp0 (name, sim_reader_names[i]) == 0)
      return i;
  return -1;
}

/* -- the ops --------------------------------------------------------------- */

static void
sim_free (ClBackend *backend)
{
  SimBackend *self = (SimBackend *) backend;
  SimServer *server = self->server;
  GHashTableIter iter;
  SimHandle *h;

  /* Like SCardReleaseContext: the context's handles go with it. */
  g_mutex_lock (&server->lock);
  g_hash_table_iter_init (&iter, server->handles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &h))
    if (h->owner == self)
      {
        guint reader = h->reader; /* h is freed by the removal */
        SimReader *r = &server->readers[reader];

        if (r->txn_owner == h->id)
          r->txn_owner = 0;
        g_hash_table_iter_remove (&iter);
        if (sim_reader_handles (server, reader, NULL) == 0 && r->powered)
          sim_reader_power (r, CS_POWER_OFF);
      }
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);

  sim_server_release (server);
  g_free (self);
}

/* The plugged readers, in the deck's order (as pcscd lists them in the
 * order they were plugged in). */
static LONG
sim_list_readers (ClBackend *backend, char ***readers)
{
  SimServer *server = ((SimBackend *) backend)->server;
  GPtrArray *names = g_ptr_array_new ();
  gboolean reversed;

  g_mutex_lock (&server->lock);
  sim_server_sync (server);
  reversed = cs_deck_get_reader_order (server->deck) == CS_READER_ORDER_REVERSED;
  for (guint k = 0; k < CS_DECK_SLOTS; k++)
    {
      guint i = reversed ? CS_DECK_SLOTS - 1 - k : k;

      if (server->readers[i].plugged)
        g_ptr_array_add (names, g_strdup (sim_reader_names[i]));
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

static guint
sim_plugged_count (SimServer *server)
{
  guint n = 0;

  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    n += server->readers[i].plugged ? 1 : 0;
  return n;
}

static DWORD
sim_reader_state (SimServer *server, guint i)
{
  SimReader *r = &server->readers[i];
  gboolean exclusive;
  DWORD state;

  if (r->present)
    {
      state = SCARD_STATE_PRESENT;
      if (sim_reader_handles (server, i, &exclusive) > 0)
        state |= exclusive ? SCARD_STATE_EXCLUSIVE : SCARD_STATE_INUSE;
    }
  else
    state = SCARD_STATE_EMPTY;
  return state | ((DWORD) (r->event_counter & 0xFFFF) << 16);
}

/* Fills the event states; TRUE when at least one differs from what the
 * caller knew (its dwCurrentState). */
static gboolean
sim_fill_states (SimServer *server, SCARD_READERSTATE *states, DWORD n_states)
{
  const DWORD mask = ~(DWORD) (SCARD_STATE_CHANGED | SCARD_STATE_IGNORE | SCARD_STATE_ATRMATCH);
  gboolean changed = FALSE;

  for (DWORD k = 0; k < n_states; k++)
    {
      SCARD_READERSTATE *s = &states[k];
      DWORD now;
      gint i;

      if (s->dwCurrentState & SCARD_STATE_IGNORE)
        {
          s->dwEventState = SCARD_STATE_IGNORE;
          continue;
        }
      if (g_strcmp0 (s->szReader, CL_PNP_READER) == 0)
        {
          /* pcsc-lite: the high word counts the readers. */
          now = (DWORD) sim_plugged_count (server) << 16;
          s->cbAtr = 0;
        }
      else if ((i = sim_reader_index (s->szReader)) < 0 || !server->readers[i].plugged)
        {
          /* As pcsc-lite for a reader that is not (or no longer) there. */
          now = SCARD_STATE_UNKNOWN;
          s->cbAtr = 0;
        }
      else
        {
          now = sim_reader_state (server, i);
          s->cbAtr = sim_reader_atr (&server->readers[i], s->rgbAtr);
        }
      if ((now & mask) != (s->dwCurrentState & mask))
        {
          s->dwEventState = now | SCARD_STATE_CHANGED;
          changed = TRUE;
        }
      else
        s->dwEventState = now;
    }
  return changed;
}

static LONG
sim_get_status_change (ClBackend *backend, DWORD timeout_ms, SCARD_READERSTATE *states,
                       DWORD n_states)
{
  SimBackend *self = (SimBackend *) backend;
  SimServer *server = self->server;
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
      sim_server_sync (server);
      if (sim_fill_states (server, states, n_states))
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
      until = MIN (deadline, now + SIM_POLL_MS * G_TIME_SPAN_MILLISECOND);
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
sim_check_share (SimServer *server, guint reader, DWORD share_mode, SimHandle *except)
{
  GHashTableIter iter;
  SimHandle *h;

  g_hash_table_iter_init (&iter, server->handles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &h))
    {
      if (h == except || h->reader != reader || !sim_handle_live (server, h))
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
  SimServer *server = self->server;
  gint i = sim_reader_index (reader);
  SimReader *r;
  SimHandle *h;
  LONG rv;

  if (i < 0)
    return SCARD_E_UNKNOWN_READER;
  if (share_mode == SCARD_SHARE_DIRECT)
    return SCARD_E_INVALID_VALUE;

  g_mutex_lock (&server->lock);
  sim_server_sync (server);
  r = &server->readers[i];
  if (!r->plugged)
    rv = SCARD_E_UNKNOWN_READER;
  else if (!r->present)
    rv = SCARD_E_NO_SMARTCARD;
  else if ((rv = sim_check_share (server, i, share_mode, NULL)) == SCARD_S_SUCCESS
           && (rv = sim_protocol (protocols, active_protocol)) == SCARD_S_SUCCESS)
    {
      if (!r->powered)
        sim_reader_power (r, CS_POWER_ON);
      h = g_new0 (SimHandle, 1);
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
  SimServer *server = self->server;
  SimHandle *h;
  SimReader *r;
  LONG rv;

  h = sim_lock_handle (self, handle);
  if (h == NULL)
    return SCARD_E_INVALID_HANDLE;
  r = &server->readers[h->reader];
  if (!sim_handle_live (server, h))
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
        sim_reader_power (r, CS_POWER_ON);
      else if (initialization == SCARD_RESET_CARD || initialization == SCARD_UNPOWER_CARD)
        sim_reader_reset (server, r, h);
      g_cond_broadcast (&server->cond);
    }
  g_mutex_unlock (&server->lock);
  return rv;
}

static LONG
sim_disconnect (ClBackend *backend, SCARDHANDLE handle, DWORD disposition)
{
  SimBackend *self = (SimBackend *) backend;
  SimServer *server = self->server;
  SimHandle *h;
  SimReader *r;
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
      && sim_handle_check (server, h) == SCARD_S_SUCCESS)
    sim_reader_reset (server, r, NULL);
  g_hash_table_remove (server->handles, GSIZE_TO_POINTER ((gsize) handle));
  if (r->present && r->powered && sim_reader_handles (server, reader, NULL) == 0)
    sim_reader_power (r, CS_POWER_OFF); /* volatile state lost, as after vpcd's power-down */
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);
  return SCARD_S_SUCCESS;
}

/* Waits (server->lock held) until no other handle holds the reader's
 * transaction; returns the handle's state once it may proceed. */
static LONG
sim_wait_turn (SimServer *server, SimBackend *self, SCARDHANDLE id, SimHandle **out)
{
  for (;;)
    {
      SimHandle *h;
      SimReader *r;
      LONG rv;

      sim_server_sync (server);
      h = sim_lookup (self, id);
      if (h == NULL)
        return SCARD_E_INVALID_HANDLE;
      if ((rv = sim_handle_check (server, h)) != SCARD_S_SUCCESS)
        return rv;
      r = &server->readers[h->reader];
      if (r->txn_owner == 0 || r->txn_owner == id)
        {
          *out = h;
          return SCARD_S_SUCCESS;
        }
      g_cond_wait_until (&server->cond, &server->lock,
                         g_get_monotonic_time () + SIM_POLL_MS * G_TIME_SPAN_MILLISECOND);
    }
}

static LONG
sim_begin_transaction (ClBackend *backend, SCARDHANDLE handle)
{
  SimBackend *self = (SimBackend *) backend;
  SimServer *server = self->server;
  SimHandle *h = NULL;
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
  SimServer *server = self->server;
  SimHandle *h;
  SimReader *r;
  LONG rv;

  h = sim_lock_handle (self, handle);
  if (h == NULL)
    return SCARD_E_INVALID_HANDLE;
  r = &server->readers[h->reader];
  rv = sim_handle_check (server, h);
  if (r->txn_owner == handle)
    r->txn_owner = 0;
  else if (rv == SCARD_S_SUCCESS)
    rv = SCARD_E_NOT_TRANSACTED;
  if (rv == SCARD_S_SUCCESS
      && (disposition == SCARD_RESET_CARD || disposition == SCARD_UNPOWER_CARD))
    sim_reader_reset (server, r, h);
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);
  return rv;
}

static LONG
sim_transmit (ClBackend *backend, SCARDHANDLE handle, DWORD protocol, const guint8 *capdu,
              gsize clen, guint8 *rbuf, gsize *rlen)
{
  SimBackend *self = (SimBackend *) backend;
  SimServer *server = self->server;
  SimHandle *h = NULL;
  SimReader *r;
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
      sim_reader_mark_removed (server, r);
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
  SimServer *server = self->server;
  SimHandle *h;
  LONG rv;

  *atr_len = 0;
  h = sim_lock_handle (self, handle);
  if (h == NULL)
    return SCARD_E_INVALID_HANDLE;
  if ((rv = sim_handle_check (server, h)) == SCARD_S_SUCCESS)
    {
      if (state)
        *state = SCARD_SPECIFIC;
      if (protocol)
        *protocol = SCARD_PROTOCOL_T0;
      *atr_len = sim_reader_atr (&server->readers[h->reader], atr);
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
  SimServer *server = sim_server_acquire (deck_dir);
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
