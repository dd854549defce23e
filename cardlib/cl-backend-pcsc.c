/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-backend-pcsc.c: the real backend, a thin skin over libpcsclite.
 *
 * Nothing clever here: the upper layers do the T=0 rules, the event-counter
 * checks and the error mapping, so the sim backend can share them.
 */
#include "config.h"

#include <string.h>

#include "cl-backend.h"

typedef struct {
  ClBackend parent;
  SCARDCONTEXT hcontext;
} ClBackendPcsc;

static void
pcsc_free (ClBackend *backend)
{
  ClBackendPcsc *self = (ClBackendPcsc *) backend;

  SCardReleaseContext (self->hcontext);
  g_free (self);
}

static LONG
pcsc_list_readers (ClBackend *backend, char ***readers)
{
  ClBackendPcsc *self = (ClBackendPcsc *) backend;
  DWORD len = 0;
  g_autofree char *buf = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  LONG rv;

  *readers = NULL;
  rv = SCardListReaders (self->hcontext, NULL, NULL, &len);
  if (rv == SCARD_S_SUCCESS && len > 0)
    {
      buf = g_malloc0 (len + 1);
      rv = SCardListReaders (self->hcontext, NULL, buf, &len);
    }
  if (rv != SCARD_S_SUCCESS)
    return rv;

  /* A multi-string: names separated by NUL, ended by an empty name. */
  for (const char *p = buf; p != NULL && *p != '\0'; p += strlen (p) + 1)
    g_ptr_array_add (names, g_strdup (p));
  g_ptr_array_add (names, NULL);
  *readers = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  return SCARD_S_SUCCESS;
}

static LONG
pcsc_get_status_change (ClBackend *backend, DWORD timeout_ms, SCARD_READERSTATE *states,
                        DWORD n_states)
{
  ClBackendPcsc *self = (ClBackendPcsc *) backend;

  return SCardGetStatusChange (self->hcontext, timeout_ms, states, n_states);
}

static LONG
pcsc_cancel (ClBackend *backend)
{
  ClBackendPcsc *self = (ClBackendPcsc *) backend;

  return SCardCancel (self->hcontext);
}

static LONG
pcsc_connect (ClBackend *backend, const char *reader, DWORD share_mode, DWORD protocols,
              SCARDHANDLE *handle, DWORD *active_protocol)
{
  ClBackendPcsc *self = (ClBackendPcsc *) backend;

  return SCardConnect (self->hcontext, reader, share_mode, protocols, handle, active_protocol);
}

static LONG
pcsc_reconnect (ClBackend *backend, SCARDHANDLE handle, DWORD share_mode, DWORD protocols,
                DWORD initialization, DWORD *active_protocol)
{
  return SCardReconnect (handle, share_mode, protocols, initialization, active_protocol);
}

static LONG
pcsc_disconnect (ClBackend *backend, SCARDHANDLE handle, DWORD disposition)
{
  return SCardDisconnect (handle, disposition);
}

static LONG
pcsc_begin_transaction (ClBackend *backend, SCARDHANDLE handle)
{
  return SCardBeginTransaction (handle);
}

static LONG
pcsc_end_transaction (ClBackend *backend, SCARDHANDLE handle, DWORD disposition)
{
  return SCardEndTransaction (handle, disposition);
}

static LONG
pcsc_transmit (ClBackend *backend, SCARDHANDLE handle, DWORD protocol, const guint8 *capdu,
               gsize clen, guint8 *rbuf, gsize *rlen)
{
  const SCARD_IO_REQUEST *pci;
  DWORD len = CL_RECV_MAX;
  LONG rv;

  switch (protocol)
    {
    case SCARD_PROTOCOL_T0:
      pci = SCARD_PCI_T0;
      break;
    case SCARD_PROTOCOL_T1:
      pci = SCARD_PCI_T1;
      break;
    default:
      pci = SCARD_PCI_RAW;
      break;
    }
  rv = SCardTransmit (handle, pci, capdu, clen, NULL, rbuf, &len);
  *rlen = rv == SCARD_S_SUCCESS ? len : 0;
  return rv;
}

static LONG
pcsc_status (ClBackend *backend, SCARDHANDLE handle, DWORD *state, DWORD *protocol, guint8 *atr,
             gsize *atr_len)
{
  DWORD st = 0, proto = 0, alen = MAX_ATR_SIZE, rlen = 0;
  LONG rv;

  rv = SCardStatus (handle, NULL, &rlen, &st, &proto, atr, &alen);
  if (state)
    *state = st;
  if (protocol)
    *protocol = proto;
  *atr_len = rv == SCARD_S_SUCCESS ? alen : 0;
  return rv;
}

static const ClBackendOps pcsc_ops = {
  .name = "pcsc",
  .free = pcsc_free,
  .list_readers = pcsc_list_readers,
  .get_status_change = pcsc_get_status_change,
  .cancel = pcsc_cancel,
  .connect = pcsc_connect,
  .reconnect = pcsc_reconnect,
  .disconnect = pcsc_disconnect,
  .begin_transaction = pcsc_begin_transaction,
  .end_transaction = pcsc_end_transaction,
  .transmit = pcsc_transmit,
  .status = pcsc_status,
};

LONG
cl_backend_pcsc_establish (ClBackend **out)
{
  SCARDCONTEXT hcontext = 0;
  ClBackendPcsc *self;
  LONG rv;

  rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &hcontext);
  if (rv != SCARD_S_SUCCESS)
    return rv;

  self = g_new0 (ClBackendPcsc, 1);
  self->parent.ops = &pcsc_ops;
  self->parent.ref_count = 1;
  self->hcontext = hcontext;
  *out = &self->parent;
  return SCARD_S_SUCCESS;
}
