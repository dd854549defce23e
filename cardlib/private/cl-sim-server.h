/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-sim-server.h: the simulated readers behind the sim backend, one
 * server per deck directory shared by every context of the process, as
 * pcscd is shared by its clients (cl-sim-server.c).  cardlib-internal. */
#pragma once

#include "cl-backend.h"
#include "cs-deck.h"
#include "cs-slot.h"

G_BEGIN_DECLS

#define CL_SIM_POLL_MS 50

typedef struct _SimServer ClSimServer;

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
} ClSimReader;

typedef struct {
  SCARDHANDLE id;
  gpointer owner; /* the backend context that connected */
  guint reader;
  DWORD share_mode;
  guint event_counter; /* reader counter at connect: differs => card removed */
  guint reset_count; /* differs => another handle reset the card */
  guint plug_epoch; /* differs => the reader was unplugged since */
} ClSimHandle;

struct _SimServer {
  char *dir;
  gint users;
  GMutex lock;
  GCond cond;
  CsDeck *deck;
  ClSimReader readers[CS_DECK_SLOTS];
  GHashTable *handles; /* SCARDHANDLE -> ClSimHandle */
  SCARDHANDLE next_handle;
};

ClSimServer *cl_sim_server_acquire (const char *deck_dir);
void cl_sim_server_release (ClSimServer *server);
gboolean cl_sim_handle_live (ClSimServer *server, ClSimHandle *h);
guint cl_sim_reader_handles (ClSimServer *server, guint reader, gboolean *exclusive);
void cl_sim_reader_mark_removed (ClSimServer *server, ClSimReader *r);
void cl_sim_reader_power (ClSimReader *r, CsPower power);
void cl_sim_server_sync (ClSimServer *server);
gsize cl_sim_reader_atr (ClSimReader *r, guint8 *atr);
void cl_sim_reader_reset (ClSimServer *server, ClSimReader *r, ClSimHandle *by);
LONG cl_sim_handle_check (ClSimServer *server, ClSimHandle *h);
gint cl_sim_reader_index (const char *name);
const char *cl_sim_reader_name (guint i);
gboolean cl_sim_fill_states (ClSimServer *server, SCARD_READERSTATE *states, DWORD n_states);

G_END_DECLS
