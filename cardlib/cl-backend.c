/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-backend.c: backend selection and reference counting. */
#include "config.h"

#include "cl-backend.h"

LONG
cl_backend_establish (ClReaderBackend kind, const char *deck_dir, ClBackend **out)
{
  g_return_val_if_fail (out != NULL, SCARD_E_INVALID_PARAMETER);

  *out = NULL;
  switch (kind)
    {
    case CL_READER_BACKEND_SIM:
      g_return_val_if_fail (deck_dir != NULL, SCARD_E_INVALID_PARAMETER);
      return cl_backend_sim_establish (deck_dir, out);
    case CL_READER_BACKEND_PCSC:
    default:
      return cl_backend_pcsc_establish (out);
    }
}

ClBackend *
cl_backend_ref (ClBackend *backend)
{
  g_return_val_if_fail (backend != NULL, NULL);
  g_atomic_int_inc (&backend->ref_count);
  return backend;
}

void
cl_backend_unref (ClBackend *backend)
{
  if (backend == NULL)
    return;
  if (g_atomic_int_dec_and_test (&backend->ref_count))
    backend->ops->free (backend);
}

LONG
cl_backend_probe_reader (ClBackend *backend, const char *reader, gboolean *present,
                         guint *event_counter, GBytes **atr)
{
  SCARD_READERSTATE st = { 0 };
  LONG rv;

  st.szReader = reader;
  st.dwCurrentState = SCARD_STATE_UNAWARE;
  rv = backend->ops->get_status_change (backend, 0, &st, 1);
  if (rv == SCARD_E_TIMEOUT)
    rv = SCARD_S_SUCCESS; /* UNAWARE answers at once; be lenient anyway */
  if (rv != SCARD_S_SUCCESS)
    return rv;
  if (st.dwEventState & (SCARD_STATE_UNKNOWN | SCARD_STATE_IGNORE))
    return SCARD_E_UNKNOWN_READER;
  if (st.dwEventState & SCARD_STATE_UNAVAILABLE)
    return SCARD_E_READER_UNAVAILABLE;
  if (present)
    *present = (st.dwEventState & SCARD_STATE_PRESENT) != 0;
  if (event_counter)
    *event_counter = (st.dwEventState >> 16) & 0xFFFF;
  if (atr)
    *atr = (st.dwEventState & SCARD_STATE_PRESENT)
               ? g_bytes_new (st.rgbAtr, MIN (st.cbAtr, MAX_ATR_SIZE))
               : NULL;
  return SCARD_S_SUCCESS;
}
