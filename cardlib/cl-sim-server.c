/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-sim-server.c: the simulated readers behind the sim backend.
 *
 * One server per deck directory, shared by every context of the process,
 * so two contexts meet each other exactly as two pcscd clients do.  It
 * follows the deck (re-read on every call, so insucard-cardsim in another
 * process is noticed) and answers what pcscd would for each handle: a
 * removed, reset or unplugged card, sharing, transactions.
 */
#include "config.h"

#include <string.h>

#include "cl-sim-server.h"

static const char *const sim_reader_names[CS_DECK_SLOTS] = { CL_SIM_READER_R1, CL_SIM_READER_R2 };

static GMutex servers_lock;
static GHashTable *servers; /* dir -> SimServer */

/* -- the server: deck, slots, handles ------------------------------------ */

static void
cl_sim_server_free (ClSimServer *server)
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

ClSimServer *
cl_sim_server_acquire (const char *deck_dir)
{
  g_autofree char *dir = g_strdup (deck_dir);
  g_autoptr (GError) error = NULL;
  ClSimServer *server;

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
      server = g_new0 (ClSimServer, 1);
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

void
cl_sim_server_release (ClSimServer *server)
{
  g_mutex_lock (&servers_lock);
  if (--server->users == 0)
    {
      g_hash_table_remove (servers, server->dir);
      cl_sim_server_free (server);
    }
  g_mutex_unlock (&servers_lock);
}

/* A handle whose reader was unplugged since its connect is dead: pcscd
 * drops it with the reader.  It stays in the table until disconnected, but
 * counts for nothing (sharing, power, state). */
gboolean
cl_sim_handle_live (ClSimServer *server, ClSimHandle *h)
{
  ClSimReader *r = &server->readers[h->reader];

  return r->plugged && h->plug_epoch == r->plug_epoch;
}

/* Live handles on the reader. */
guint
cl_sim_reader_handles (ClSimServer *server, guint reader, gboolean *exclusive)
{
  GHashTableIter iter;
  ClSimHandle *h;
  guint n = 0;

  if (exclusive)
    *exclusive = FALSE;
  g_hash_table_iter_init (&iter, server->handles);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &h))
    if (h->reader == reader && cl_sim_handle_live (server, h))
      {
        n++;
        if (exclusive && h->share_mode == SCARD_SHARE_EXCLUSIVE)
          *exclusive = TRUE;
      }
  return n;
}

/* The card left: the counter moves, a held transaction is dropped (its
 * owner learns it from SCARD_W_REMOVED_CARD). */
void
cl_sim_reader_mark_removed (ClSimServer *server, ClSimReader *r)
{
  if (!r->present)
    return;
  r->present = FALSE;
  r->powered = FALSE;
  r->event_counter++;
  r->txn_owner = 0;
  g_cond_broadcast (&server->cond);
}

void
cl_sim_reader_power (ClSimReader *r, CsPower power)
{
  cs_slot_power (r->slot, power);
  r->powered = power != CS_POWER_OFF;
}

/* The reader is unplugged: its card leaves with it (for the clients), the
 * card loses power, and every handle on it dies. */
static void
cl_sim_reader_unplug (ClSimServer *server, ClSimReader *r)
{
  if (r->powered)
    cl_sim_reader_power (r, CS_POWER_OFF);
  cl_sim_reader_mark_removed (server, r);
  r->plugged = FALSE;
  r->plug_epoch++;
  r->txn_owner = 0;
  g_cond_broadcast (&server->cond);
}

/* Follows the deck (under server->lock). */
void
cl_sim_server_sync (ClSimServer *server)
{
  g_autoptr (GError) error = NULL;
  gboolean changed = FALSE;

  /* cs_slot_sync re-reads deck.ini itself. */
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    {
      ClSimReader *r = &server->readers[i];
      gboolean has, present;
      guint gen;

      if (!cs_slot_sync (r->slot, &changed, &error))
        {
          g_debug ("sim: slot %u sync failed: %s", i, error->message);
          g_clear_error (&error);
        }
      /* cs_slot_sync re-read deck.ini, so [readers] is fresh too. */
      if (r->plugged && !cs_deck_get_reader_plugged (server->deck, i))
        cl_sim_reader_unplug (server, r);
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
          cl_sim_reader_mark_removed (server, r);
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
        cl_sim_reader_mark_removed (server, r);
    }
}

gsize
cl_sim_reader_atr (ClSimReader *r, guint8 *atr)
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

void
cl_sim_reader_reset (ClSimServer *server, ClSimReader *r, ClSimHandle *by)
{
  if (!r->present)
    return;
  cl_sim_reader_power (r, CS_POWER_RESET);
  r->reset_count++;
  if (by)
    by->reset_count = r->reset_count;
}

/* What pcscd answers a handle whose reader or card went away or whose card
 * was reset. */
LONG
cl_sim_handle_check (ClSimServer *server, ClSimHandle *h)
{
  ClSimReader *r = &server->readers[h->reader];

  if (!cl_sim_handle_live (server, h))
    return SCARD_E_READER_UNAVAILABLE;
  if (h->event_counter != r->event_counter)
    return SCARD_W_REMOVED_CARD;
  if (h->reset_count != r->reset_count)
    return SCARD_W_RESET_CARD;
  return SCARD_S_SUCCESS;
}

gint
cl_sim_reader_index (const char *name)
{
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    if (g_strcmp0 (name, sim_reader_names[i]) == 0)
      return i;
  return -1;
}

static guint
cl_sim_plugged_count (ClSimServer *server)
{
  guint n = 0;

  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    n += server->readers[i].plugged ? 1 : 0;
  return n;
}

static DWORD
cl_sim_reader_state (ClSimServer *server, guint i)
{
  ClSimReader *r = &server->readers[i];
  gboolean exclusive;
  DWORD state;

  if (r->present)
    {
      state = SCARD_STATE_PRESENT;
      if (cl_sim_reader_handles (server, i, &exclusive) > 0)
        state |= exclusive ? SCARD_STATE_EXCLUSIVE : SCARD_STATE_INUSE;
    }
  else
    state = SCARD_STATE_EMPTY;
  return state | ((DWORD) (r->event_counter & 0xFFFF) << 16);
}

/* Fills the event states; TRUE when at least one differs from what the
 * caller knew (its dwCurrentState). */
gboolean
cl_sim_fill_states (ClSimServer *server, SCARD_READERSTATE *states, DWORD n_states)
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
          now = (DWORD) cl_sim_plugged_count (server) << 16;
          s->cbAtr = 0;
        }
      else if ((i = cl_sim_reader_index (s->szReader)) < 0 || !server->readers[i].plugged)
        {
          /* As pcsc-lite for a reader that is not (or no longer) there. */
          now = SCARD_STATE_UNKNOWN;
          s->cbAtr = 0;
        }
      else
        {
          now = cl_sim_reader_state (server, i);
          s->cbAtr = cl_sim_reader_atr (&server->readers[i], s->rgbAtr);
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

const char *
cl_sim_reader_name (guint i)
{
  g_return_val_if_fail (i < CS_DECK_SLOTS, NULL);
  return sim_reader_names[i];
}
