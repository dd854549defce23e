/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fake-backend.h: a ClCard over a backend whose card is a C function, for
 * reader behaviour the simulator does not model (old ACR38 firmware, a
 * CPU card without a serial in its ATR, exact T=0 chains) and for tests
 * that must see every buffer the host touches.  White-box: it uses
 * cardlib/private/. */
#pragma once

#include <string.h>

#include "cl-card-private.h"
#include "cl-key.h"
#include "test-util.h"

/* Answers one C-APDU: fills rbuf (CL_RECV_MAX bytes) and *rlen. */
typedef void (*FakeRespond) (const guint8 *capdu, gsize clen, guint8 *rbuf, gsize *rlen,
                             gpointer user_data);

typedef struct {
  ClBackend parent;
  guint8 atr[MAX_ATR_SIZE];
  gsize atr_len;
  FakeRespond respond;
  gpointer user_data;
  guint exchanges;
} FakeBackend;

static void
fake_free (ClBackend *b)
{
  g_free (b);
}

static LONG
fake_gsc (ClBackend *b, DWORD timeout, SCARD_READERSTATE *st, DWORD n)
{
  FakeBackend *fb = (FakeBackend *) b;

  for (DWORD i = 0; i < n; i++)
    {
      st[i].dwEventState = SCARD_STATE_PRESENT | (7u << 16);
      memcpy (st[i].rgbAtr, fb->atr, fb->atr_len);
      st[i].cbAtr = fb->atr_len;
    }
  return SCARD_S_SUCCESS;
}

static LONG
fake_ok (void)
{
  return SCARD_S_SUCCESS;
}

static LONG
fake_status (ClBackend *b, SCARDHANDLE h, DWORD *state, DWORD *proto, guint8 *atr, gsize *len)
{
  FakeBackend *fb = (FakeBackend *) b;

  memcpy (atr, fb->atr, fb->atr_len);
  *len = fb->atr_len;
  return SCARD_S_SUCCESS;
}

static LONG
fake_transmit (ClBackend *b, SCARDHANDLE h, DWORD proto, const guint8 *c, gsize clen, guint8 *rbuf,
               gsize *rlen)
{
  FakeBackend *fb = (FakeBackend *) b;

  fb->exchanges++;
  *rlen = 0;
  fb->respond (c, clen, rbuf, rlen, fb->user_data);
  return SCARD_S_SUCCESS;
}

static const ClBackendOps fake_ops = {
  .name = "fake",
  .free = fake_free,
  .get_status_change = fake_gsc,
  .disconnect = (gpointer) fake_ok,
  .begin_transaction = (gpointer) fake_ok,
  .end_transaction = (gpointer) fake_ok,
  .status = fake_status,
  .transmit = fake_transmit,
};

/* A connection to the fake card; *out_backend (may be NULL) lets the test
 * count exchanges while the card lives. */
static inline ClCard *
tu_fake_card_new (const char *atr_hex, FakeRespond respond, gpointer user_data,
                  FakeBackend **out_backend)
{
  FakeBackend *fb = g_new0 (FakeBackend, 1);
  g_autofree guint8 *atr = NULL;
  ClCard *card;

  fb->parent.ops = &fake_ops;
  fb->parent.ref_count = 1;
  atr = tu_unhex (atr_hex, &fb->atr_len);
  g_assert_cmpuint (fb->atr_len, <=, MAX_ATR_SIZE);
  memcpy (fb->atr, atr, fb->atr_len);
  fb->respond = respond;
  fb->user_data = user_data;
  if (out_backend != NULL)
    *out_backend = fb;
  card = cl_card_new_for_handle (&fb->parent, "Fake Reader", 1, SCARD_PROTOCOL_T0,
                                 SCARD_SHARE_SHARED, NULL);
  g_assert_nonnull (card);
  return card;
}

/* Sets the reply to hex (data ‖ SW). */
static inline void
tu_fake_reply (guint8 *rbuf, gsize *rlen, const char *hex)
{
  g_autofree guint8 *bytes = tu_unhex (hex, rlen);

  memcpy (rbuf, bytes, *rlen);
  cl_secure_wipe (bytes, *rlen);
}

static inline void
tu_fake_reply_bytes (guint8 *rbuf, gsize *rlen, const guint8 *data, gsize len, guint16 sw)
{
  if (len > 0)
    memcpy (rbuf, data, len);
  rbuf[len] = sw >> 8;
  rbuf[len + 1] = sw & 0xFF;
  *rlen = len + 2;
}
