/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-host.c: the host's card drivers (cl-card.c's T=0 handling, the
 * SLE4428 driver, the FMCOS layer, detection) against a fake reader whose
 * replies come from the input, so that every reply parser meets every
 * kind of answer without a parser being factored out of its driver.
 *
 * Input: one byte choosing the operation; the ATR (a length byte, then
 * the bytes); then the replies, each a length byte (FF: 255 plus the next
 * byte) and its bytes, handed out in order.  When the replies run out the
 * card is gone (SCARD_W_REMOVED_CARD); a reply shorter than two bytes
 * makes it gone too, as a card that died mid-exchange.
 *
 * The fake reader is a ClBackend (cardlib/cl-backend.h) with one reader,
 * given to cl_card_new_for_handle; it depends on those cardlib-internal
 * interfaces on purpose.
 */
#include <string.h>

#include "cl-authority.h"
#include "cl-backend.h"
#include "cl-card-private.h"
#include "cl-fmcos.h"
#include "cl-key.h"
#include "cl-kind.h"
#include "cl-sle4428.h"
#include "fuzz-util.h"

#define READER "Fuzz Reader"

typedef struct {
  ClBackend parent;
  FzInput in;
  guint8 atr[MAX_ATR_SIZE];
  gsize atr_len;
  gboolean gone;
} FakeBackend;

static void
fake_free (ClBackend *backend)
{
  g_free (backend);
}

static LONG
fake_list_readers (ClBackend *backend, char ***readers)
{
  *readers = g_new0 (char *, 2);
  (*readers)[0] = g_strdup (READER);
  return SCARD_S_SUCCESS;
}

static LONG
fake_get_status_change (ClBackend *backend, DWORD timeout_ms, SCARD_READERSTATE *states, DWORD n)
{
  FakeBackend *self = (FakeBackend *) backend;

  for (DWORD i = 0; i < n; i++)
    {
      if (g_strcmp0 (states[i].szReader, READER) != 0)
        {
          states[i].dwEventState = SCARD_STATE_UNKNOWN;
          continue;
        }
      /* Event counter 1 in the high 16 bits: one insertion so far. */
      states[i].dwEventState = (1u << 16) | (self->gone ? SCARD_STATE_EMPTY : SCARD_STATE_PRESENT);
      states[i].cbAtr = self->gone ? 0 : self->atr_len;
      memcpy (states[i].rgbAtr, self->atr, self->atr_len);
    }
  return SCARD_S_SUCCESS;
}

static LONG
fake_ok (ClBackend *backend)
{
  return SCARD_S_SUCCESS;
}

static LONG
fake_connect (ClBackend *backend, const char *reader, DWORD share, DWORD protocols,
              SCARDHANDLE *handle, DWORD *active)
{
  return SCARD_E_UNKNOWN_READER; /* the card is made with cl_card_new_for_handle */
}

static LONG
fake_reconnect (ClBackend *backend, SCARDHANDLE handle, DWORD share, DWORD protocols, DWORD init,
                DWORD *active)
{
  FakeBackend *self = (FakeBackend *) backend;

  if (active)
    *active = SCARD_PROTOCOL_T0;
  return self->gone ? SCARD_W_REMOVED_CARD : SCARD_S_SUCCESS;
}

static LONG
fake_disconnect (ClBackend *backend, SCARDHANDLE handle, DWORD disposition)
{
  return SCARD_S_SUCCESS;
}

static LONG
fake_handle_ok (ClBackend *backend, SCARDHANDLE handle)
{
  return ((FakeBackend *) backend)->gone ? SCARD_W_REMOVED_CARD : SCARD_S_SUCCESS;
}

static LONG
fake_end (ClBackend *backend, SCARDHANDLE handle, DWORD disposition)
{
  return SCARD_S_SUCCESS;
}

static LONG
fake_transmit (ClBackend *backend, SCARDHANDLE handle, DWORD protocol, const guint8 *capdu,
               gsize clen, guint8 *rbuf, gsize *rlen)
{
  FakeBackend *self = (FakeBackend *) backend;
  const guint8 *reply;
  gsize want;

  if (self->gone || self->in.left == 0)
    {
      self->gone = TRUE;
      return SCARD_W_REMOVED_CARD;
    }
  want = fz_byte (&self->in);
  if (want == 0xFF)
    want += fz_byte (&self->in);
  *rlen = fz_take (&self->in, want, &reply);
  memcpy (rbuf, reply, *rlen);
  if (*rlen < 2)
    self->gone = TRUE;
  return SCARD_S_SUCCESS;
}

static LONG
fake_status (ClBackend *backend, SCARDHANDLE handle, DWORD *state, DWORD *protocol, guint8 *atr,
             gsize *atr_len)
{
  FakeBackend *self = (FakeBackend *) backend;

  if (self->gone)
    return SCARD_W_REMOVED_CARD;
  if (state)
    *state = SCARD_SPECIFIC;
  if (protocol)
    *protocol = SCARD_PROTOCOL_T0;
  memcpy (atr, self->atr, self->atr_len);
  *atr_len = self->atr_len;
  return SCARD_S_SUCCESS;
}

static const ClBackendOps fake_ops = {
  .name = "fuzz",
  .free = fake_free,
  .list_readers = fake_list_readers,
  .get_status_change = fake_get_status_change,
  .cancel = fake_ok,
  .connect = fake_connect,
  .reconnect = fake_reconnect,
  .disconnect = fake_disconnect,
  .begin_transaction = fake_handle_ok,
  .end_transaction = fake_end,
  .transmit = fake_transmit,
  .status = fake_status,
};

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fz_quiet_logs ();
  cl_secure_init ();
  return 0;
}

static ClKey *
key_fill (guint8 byte, gsize len)
{
  guint8 v[16];

  memset (v, byte, sizeof v);
  return cl_key_new_from_data (v, len);
}

static void
run_sle4428 (ClCard *card, guint op, FzInput *in)
{
  g_autoptr (ClKey) psc = key_fill (0xFF, 2);
  g_autoptr (ClKey) psc2 = key_fill (0x12, 2);
  g_autoptr (GBytes) b = NULL;
  gboolean prot[CL_SLE4428_SIZE];
  guint8 errcnt = 0, data[16] = { 0 };
  guint tries = 0;

  switch (op)
    {
    case 0:
      if (cl_sle4428_read_error_counter (card, &errcnt, &tries, NULL, NULL))
        FZ_CHECK (tries <= 8);
      cl_sle4428_present_psc (card, psc, TRUE, &tries, NULL, NULL);
      break;
    case 1:
      {
        guint addr = fz_byte (in) << 8;
        gsize len;

        addr = (addr | fz_byte (in)) & 0x3FF;
        len = fz_byte (in) << 8;
        len = 1 + (len | fz_byte (in)) % CL_SLE4428_SIZE;

        cl_sle4428_set_chunk_size (card, 1 + fz_byte (in) % 255);
        b = cl_sle4428_read (card, addr, len, NULL, NULL);
        FZ_CHECK (b == NULL || g_bytes_get_size (b) == len);
      }
      break;
    case 2:
      {
        g_autofree char *summary = NULL;

        if (cl_sle4428_read_protection (card, 0, CL_SLE4428_SIZE, prot, NULL, NULL))
          summary = cl_sle4428_protection_summary (prot);
        cl_sle4428_read_protection (card, 0x3F0, 16, prot, NULL, NULL);
      }
      break;
    case 3:
      cl_sle4428_write_protect (card, 0x10, data, sizeof data, NULL, NULL);
      break;
    default:
      cl_sle4428_change_psc (card, psc, psc2, TRUE, NULL, NULL);
      break;
    }
}

static void
run_fmcos (ClCard *card, guint op, FzInput *in)
{
  static const guint8 sn[8] = { 0x86, 0x10, 0x00, 0x00, 0x12, 0x34, 0x56, 0x78 };
  static const guint8 name[14] = "1PAY.SYS.DDF01";
  static const guint8 header[5] = { 0x39, 0xF0, 0xF0, 0x0F, 0x33 };
  g_autoptr (ClKey) key = key_fill (0x36, 16);
  g_autoptr (ClKey) pin = key_fill (0x31, 6);
  g_autoptr (ClKey) res = NULL;
  g_autoptr (GBytes) b = NULL;
  g_autoptr (GBytes) fci = NULL;
  g_autoptr (ClAuthority) authority = NULL;
  guint8 chal[8], block[16] = { 0 };
  gint tries = 0;

  switch (op)
    {
    case 0:
      cl_fmcos_select_fid (card, CL_FMCOS_MF, &fci, NULL, NULL);
      b = cl_fmcos_read_binary (card, 3, 0, 1 + fz_byte (in) * 2, NULL, NULL);
      g_clear_pointer (&b, g_bytes_unref);
      b = cl_fmcos_read_record (card, 7, 1 + fz_byte (in) % 4, NULL, NULL);
      break;
    case 1:
      cl_fmcos_verify (card, 0x00, pin, TRUE, &tries, NULL, NULL);
      FZ_CHECK (tries >= CL_FMCOS_TRIES_UNKNOWN && tries <= 15);
      cl_fmcos_pin_change (card, 0x00, pin, pin, TRUE, &tries, NULL, NULL);
      break;
    case 2:
      res = cl_fmcos_read_binary_decrypt (card, 5, 0, 1 + fz_byte (in) % 239, key, NULL, NULL);
      cl_fmcos_update_binary_mac (card, 6, 0, block, 8, key, NULL, NULL);
      break;
    case 3:
      res = cl_fmcos_internal_authenticate (card, 0x01, block, 16, NULL, NULL);
      authority = cl_authority_new_key (key);
      cl_authority_external_authenticate (authority, card, sn, 0x00, TRUE, NULL, NULL);
      break;
    default:
      cl_fmcos_get_challenge (card, chal, 4 + (fz_byte (in) & 4), NULL, NULL);
      cl_fmcos_write_key_secure (card, 0x01, 0x00, header, sizeof header, key, key, NULL, NULL);
      cl_fmcos_select_name (card, name, sizeof name, &fci, NULL, NULL);
      break;
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  FakeBackend *fake = g_new0 (FakeBackend, 1);
  g_autoptr (ClBackend) backend = (ClBackend *) fake;
  g_autoptr (ClCard) card = NULL;
  const guint8 *atr;
  guint8 op;

  fake->parent.ops = &fake_ops;
  fake->parent.ref_count = 1;
  fake->in = (FzInput){ data, size };
  op = fz_byte (&fake->in);
  fake->atr_len = fz_take (&fake->in, fz_byte (&fake->in) % (MAX_ATR_SIZE + 1), &atr);
  memcpy (fake->atr, atr, fake->atr_len);

  /* The card takes a reference of its own (it owns its context). */
  card = cl_card_new_for_handle (cl_backend_ref (backend), READER, 1, SCARD_PROTOCOL_T0,
                                 SCARD_SHARE_SHARED, NULL);
  if (card == NULL)
    return 0;
  switch (op % 3)
    {
    case 0:
      {
        ClCardInfo info;

        if (cl_card_detect (card, &info, NULL, NULL))
          FZ_CHECK (info.kind >= CL_CARD_KIND_UNKNOWN && info.kind <= CL_CARD_KIND_SLE4428);
      }
      break;
    case 1:
      run_sle4428 (card, (op / 3) % 5, &fake->in);
      break;
    default:
      run_fmcos (card, (op / 3) % 5, &fake->in);
      break;
    }
  cl_card_disconnect (card);
  return 0;
}
