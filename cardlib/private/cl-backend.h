/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-backend.h: the reader backend vtable (cardlib-internal, not installed).
 *
 * Both backends speak the PC/SC vocabulary (LONG SCARD_* codes, SCARDHANDLE,
 * SCARD_READERSTATE) so that the in-process simulator behaves like pcscd for
 * removal, reset and sharing, and so that one mapping (cl_set_error_from_scard)
 * turns every code into a clerk-readable CL_ERROR.  The layers above never
 * see which backend they run on.
 */
#pragma once

#include <glib.h>
#include <gio/gio.h>
#include <winscard.h>

#include "cl-context.h"

G_BEGIN_DECLS

/* Name of the PnP pseudo-reader: its state changes when readers come or go. */
#define CL_PNP_READER "\\\\?PnP?\\Notification"

/* pcsc-lite caps: 258 is enough for short APDUs, extended needs 65536 + 2. */
#define CL_RECV_MAX (65536 + 2)

typedef struct _ClBackend ClBackend;
typedef struct _ClBackendOps ClBackendOps;

struct _ClBackend {
  const ClBackendOps *ops;
  gint ref_count;
};

struct _ClBackendOps {
  const char *name;
  void (*free) (ClBackend *backend); /* releases the context; all handles are gone */
  /* *readers: NULL-terminated; an empty list is SCARD_E_NO_READERS_AVAILABLE. */
  LONG (*list_readers) (ClBackend *backend, char ***readers);
  LONG (*get_status_change)
  (ClBackend *backend, DWORD timeout_ms, SCARD_READERSTATE *states, DWORD n_states);
  LONG (*cancel) (ClBackend *backend); /* wakes get_status_change (SCARD_E_CANCELLED) */
  LONG (*connect)
  (ClBackend *backend, const char *reader, DWORD share_mode, DWORD protocols, SCARDHANDLE *handle,
   DWORD *active_protocol);
  LONG (*reconnect)
  (ClBackend *backend, SCARDHANDLE handle, DWORD share_mode, DWORD protocols, DWORD initialization,
   DWORD *active_protocol);
  LONG (*disconnect) (ClBackend *backend, SCARDHANDLE handle, DWORD disposition);
  LONG (*begin_transaction) (ClBackend *backend, SCARDHANDLE handle);
  LONG (*end_transaction) (ClBackend *backend, SCARDHANDLE handle, DWORD disposition);
  /* rbuf holds CL_RECV_MAX bytes; *rlen may come back < 2 (P7/P8). */
  LONG (*transmit)
  (ClBackend *backend, SCARDHANDLE handle, DWORD protocol, const guint8 *capdu, gsize clen,
   guint8 *rbuf, gsize *rlen);
  /* atr holds MAX_ATR_SIZE bytes. */
  LONG (*status)
  (ClBackend *backend, SCARDHANDLE handle, DWORD *state, DWORD *protocol, guint8 *atr,
   gsize *atr_len);
};

/* Establishes a new context on the backend (SCardEstablishContext);
 * deck_dir is the simulated card deck of the sim backend. */
LONG cl_backend_pcsc_establish (ClBackend **out);
LONG cl_backend_sim_establish (const char *deck_dir, ClBackend **out);
LONG cl_backend_establish (ClReaderBackend kind, const char *deck_dir, ClBackend **out);

ClBackend *cl_backend_ref (ClBackend *backend);
void cl_backend_unref (ClBackend *backend);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClBackend, cl_backend_unref)

/* Reads the reader's event counter and current ATR without a handle
 * (SCardGetStatusChange, timeout 0).  present is FALSE when empty. */
LONG cl_backend_probe_reader (ClBackend *backend, const char *reader, gboolean *present,
                              guint *event_counter, GBytes **atr);

/* The one place SCARD_* codes become CL_ERROR (cl-pcsc-error.c).  `what`
 * names the step for the clerk ("connecting to the card in R2"); may be NULL. */
void cl_set_error_from_scard (GError **error, LONG rv, const char *what);
/* Codes meaning the pcscd connection is dead and the context must be
 * re-established. */
gboolean cl_scard_is_service_gone (LONG rv);

G_END_DECLS
