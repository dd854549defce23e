/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pcsc-test-util.c: see pcsc-test-util.h. */
#include "config.h"

#include "pcsc-test-util.h"

#include <stdlib.h>
#include <string.h>

#define PT_ERROR (g_quark_from_static_string ("pcsc-test-error"))

static gboolean
set_scard_error (GError **error, const char *what, LONG rv)
{
  g_set_error (error, PT_ERROR, (gint) rv, "%s: %s (0x%08lX)", what, pcsc_stringify_error (rv),
               (unsigned long) rv);
  return FALSE;
}

const char *
pt_reader_name (guint slot)
{
  const char *name = g_getenv (slot == 0 ? "PCSC_READER_R1" : "PCSC_READER_R2");

  if (name && *name)
    return name;
  return slot == 0 ? "Virtual PCD 00 00" : "Virtual PCD 00 01";
}

gboolean
pt_establish (SCARDCONTEXT *ctx, GError **error)
{
  LONG rv = SCARD_E_NO_SERVICE;

  for (guint i = 0; i < 100; i++)
    {
      rv = SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, ctx);
      if (rv == SCARD_S_SUCCESS)
        return TRUE;
      if (rv != SCARD_E_NO_SERVICE)
        break;
      g_usleep (50 * 1000);
    }
  return set_scard_error (error, "SCardEstablishContext", rv);
}

gboolean
pt_wait_card (SCARDCONTEXT ctx, const char *reader, gboolean present, guint timeout_ms,
              GError **error)
{
  SCARD_READERSTATE state = { .szReader = reader, .dwCurrentState = SCARD_STATE_UNAWARE };
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
      LONG rv;

      if (left_ms < 0)
        left_ms = 0;
      rv = SCardGetStatusChange (ctx, (DWORD) left_ms, &state, 1);
      if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT)
        return set_scard_error (error, "SCardGetStatusChange", rv);
      if (rv == SCARD_S_SUCCESS)
        {
          gboolean is_present = (state.dwEventState & SCARD_STATE_PRESENT) != 0;

          if (is_present == present)
            return TRUE;
          state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
        }
      if (g_get_monotonic_time () >= deadline)
        {
          g_set_error (error, PT_ERROR, 0, "%s: no card %s within %u ms", reader,
                       present ? "inserted" : "removed", timeout_ms);
          return FALSE;
        }
    }
}

gboolean
pt_connect (SCARDCONTEXT ctx, const char *reader, SCARDHANDLE *card, GError **error)
{
  DWORD proto = 0;
  LONG rv = SCardConnect (ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0, card, &proto);

  if (rv != SCARD_S_SUCCESS)
    return set_scard_error (error, "SCardConnect", rv);
  return TRUE;
}

gboolean
pt_transmit (SCARDHANDLE card, const guint8 *capdu, gsize clen, guint8 *rapdu, gsize *rlen,
             GError **error)
{
  DWORD len = (DWORD) *rlen;
  LONG rv = SCardTransmit (card, SCARD_PCI_T0, capdu, (DWORD) clen, NULL, rapdu, &len);

  if (rv != SCARD_S_SUCCESS)
    return set_scard_error (error, "SCardTransmit", rv);
  /* docs/readers.md: a dead card can give "success" with no bytes. */
  if (len < 2)
    {
      g_set_error (error, PT_ERROR, 0, "SCardTransmit: %lu-byte reply", (unsigned long) len);
      return FALSE;
    }
  *rlen = len;
  return TRUE;
}

GBytes *
pt_transmit_hex (SCARDHANDLE card, const char *capdu_hex, GError **error)
{
  g_autoptr (GByteArray) capdu = g_byte_array_new ();
  guint8 rapdu[258 + 2];
  gsize rlen = sizeof rapdu;

  for (const char *p = capdu_hex; *p;)
    {
      char *end;
      gulong b;

      while (*p == ' ')
        p++;
      if (!*p)
        break;
      b = strtoul (p, &end, 16);
      g_assert (end == p + 2 && b <= 0xff); /* a typo in a test, not a card fault */
      g_byte_array_append (capdu, (const guint8[]){ (guint8) b }, 1);
      p = end;
    }
  if (!pt_transmit (card, capdu->data, capdu->len, rapdu, &rlen, error))
    return NULL;
  return g_bytes_new (rapdu, rlen);
}

guint16
pt_sw (GBytes *rapdu)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (rapdu, &len);

  g_assert (len >= 2);
  return (d[len - 2] << 8) | d[len - 1];
}

char *
pt_hex (GBytes *bytes)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (bytes, &len);
  GString *s = g_string_sized_new (len * 3 + 1);

  for (gsize i = 0; i < len; i++)
    g_string_append_printf (s, i ? " %02X" : "%02X", d[i]);
  return g_string_free (s, FALSE);
}
