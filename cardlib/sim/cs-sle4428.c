/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-sle4428.c: an SLE4428 memory card behind an ACS-CCID-style reader.
 *
 * The reader firmware and the chip are modelled as one: the host speaks the
 * ACS pseudo-APDUs (CLA FF) of docs/card-formats.md ("Pseudo-APDUs") and this file
 * answers them as the chip would behave (§1).  The status words the ACS
 * manuals leave open are chosen in docs/card-formats.md, "SLE4428
 * simulator"; keep the two in step.
 */
#include "cs-card-private.h"
#include "cs-sle4428-wear.h"
#include "cl-codec.h"

#include <string.h>

#define MEM_SIZE 1024
#define ADDR_SERIAL 0x008
#define ADDR_ERRCNT 0x3FD
#define ADDR_PSC 0x3FE
#define LINE_BYTES 16
#define ERRCNT_FULL 0xFF
#define CARD_TYPE_SLE4428 0x05
#define MAX_PROT_BYTES 32

#define SW_OK 0x9000
#define SW_WRITE_FAILED 0x6581
#define SW_WRONG_LENGTH 0x6700
#define SW_SECURITY 0x6982
#define SW_LOCKED 0x6983
#define SW_NOT_SELECTED 0x6985
#define SW_WRONG_DATA 0x6A80
#define SW_WRONG_P1P2 0x6A86
#define SW_OUT_OF_RANGE 0x6B00
#define SW_WRONG_INS 0x6D00
#define SW_WRONG_CLA 0x6E00

/* Bytes 0-3 are the chip's synchronous ATR (H1..H4), which the reader wraps
 * into the ISO ATR below; 4-7 name the chip type and mask revision. */
static const guint8 factory_header[8] = { 0x92, 0x23, 0x10, 0x91, 0x44, 0x28, 0x00, 0x01 };

/* What an ACS reader presents for every card of this type: an ISO-looking
 * ATR (TS 3B, no TD1, so T=0 only); the serial is read from memory. */
static const guint8 reader_atr[] = { 0x3B, 0x04, 0x92, 0x23, 0x10, 0x91 };

typedef struct {
  guint8 mem[MEM_SIZE];
  gboolean prot[MEM_SIZE]; /* TRUE = write-protected, for good */
  guint8 errcnt; /* FF = 8 tries; one bit cleared per failure; 00 = locked */
  CsSle4428WearState wear; /* persistent: what writing has cost */
  /* volatile: lost at every power event */
  gboolean selected;
  gboolean verified;
} Sle4428;

static Sle4428 *
model (CsCard *card)
{
  return card->model;
}

static GBytes *
sle_get_atr (CsCard *card)
{
  return g_bytes_new_static (reader_atr, sizeof reader_atr);
}

static void
sle_power (CsCard *card, CsPower power)
{
  Sle4428 *m = model (card);

  /* Off, on and reset alike: the reader forgets the card type, the chip
   * forgets the PSC verification. */
  m->selected = FALSE;
  m->verified = FALSE;
}

static guint
tries_left (guint8 errcnt)
{
  return __builtin_popcount (errcnt);
}

static void
set_errcnt (CsCard *card, guint8 value)
{
  Sle4428 *m = model (card);

  m->errcnt = value;
  m->mem[ADDR_ERRCNT] = value; /* the counter byte reflects the counter */
  cs_card_mark_dirty (card);
}

/* ---- pseudo-APDUs ---------------------------------------------------- */

static gsize
do_select (Sle4428 *m, const guint8 *apdu, gsize clen, guint8 *r)
{
  if (clen != 6 || apdu[4] != 1)
    return cs_sw (r, 0, SW_WRONG_LENGTH);
  if (apdu[2] != 0 || apdu[3] != 0)
    return cs_sw (r, 0, SW_WRONG_P1P2);
  if (apdu[5] != CARD_TYPE_SLE4428)
    return cs_sw (r, 0, SW_WRONG_DATA);
  m->selected = TRUE;
  return cs_sw (r, 0, SW_OK);
}

/* P1 carries A9..A8 only; the rest of P1 must be zero. */
static gboolean
parse_address (const guint8 *apdu, guint *addr)
{
  if (apdu[2] & 0xFC)
    return FALSE;
  *addr = (apdu[2] << 8) | apdu[3];
  return TRUE;
}

static gsize
do_read (Sle4428 *m, const guint8 *apdu, gsize clen, guint8 *r)
{
  guint addr, len;

  if (clen != 5)
    return cs_sw (r, 0, SW_WRONG_LENGTH);
  if (!parse_address (apdu, &addr))
    return cs_sw (r, 0, SW_WRONG_P1P2);
  len = apdu[4] ? apdu[4] : 256;
  if (addr + len > MEM_SIZE)
    return cs_sw (r, 0, SW_OUT_OF_RANGE);
  for (guint i = 0; i < len; i++)
    {
      guint a = addr + i;

      /* The PSC reads as 00 until it has been presented correctly. */
      r[i] = (a >= ADDR_PSC && !m->verified) ? 0x00 : m->mem[a];
    }
  return cs_sw (r, len, SW_OK);
}

static gsize
do_read_errcnt (Sle4428 *m, const guint8 *apdu, gsize clen, guint8 *r)
{
  if (clen != 5 || apdu[4] != 3)
    return cs_sw (r, 0, SW_WRONG_LENGTH);
  if (apdu[2] != 0 || apdu[3] != 0)
    return cs_sw (r, 0, SW_WRONG_P1P2);
  r[0] = m->errcnt;
  r[1] = 0x00; /* DUMMY1, DUMMY2 */
  r[2] = 0x00;
  return cs_sw (r, 3, SW_OK);
}

static gsize
do_read_prot (Sle4428 *m, const guint8 *apdu, gsize clen, guint8 *r)
{
  guint addr, nbytes;

  if (clen != 5 || apdu[4] == 0 || apdu[4] > MAX_PROT_BYTES)
    return cs_sw (r, 0, SW_WRONG_LENGTH);
  if (!parse_address (apdu, &addr))
    return cs_sw (r, 0, SW_WRONG_P1P2);
  nbytes = apdu[4];
  if (addr + 8 * nbytes > MEM_SIZE)
    return cs_sw (r, 0, SW_OUT_OF_RANGE);
  for (guint i = 0; i < nbytes; i++)
    {
      guint8 bits = 0;

      /* bit0 of PROT1 = first byte; 1 = writable, 0 = protected */
      for (guint j = 0; j < 8; j++)
        if (!m->prot[addr + 8 * i + j])
          bits |= 1u << j;
      r[i] = bits;
    }
  return cs_sw (r, nbytes, SW_OK);
}

/* Common checks of FF D0 / FF D1: length, address range, security. */
static guint16
check_write (Sle4428 *m, const guint8 *apdu, gsize clen, guint *addr, guint *len)
{
  if (clen < 6 || apdu[4] == 0 || clen != 5u + apdu[4])
    return SW_WRONG_LENGTH;
  if (!parse_address (apdu, addr))
    return SW_WRONG_P1P2;
  *len = apdu[4];
  if (*addr + *len > MEM_SIZE)
    return SW_OUT_OF_RANGE;
  if (m->errcnt == 0)
    return SW_LOCKED;
  if (!m->verified)
    return SW_SECURITY;
  return SW_OK;
}

/* FF D0 writes; it never changes a protected byte, nor the counter byte
 * (card logic).  FALSE: the byte was refused.  Every byte written costs a
 * cycle, even one that already held the value. */
static gboolean
write_byte (CsCard *card, guint a, guint8 v)
{
  Sle4428 *m = model (card);

  if (m->prot[a] || a == ADDR_ERRCNT)
    return m->mem[a] == v;
  cs_sle4428_wear_count_write (&m->wear, a, m->mem[a], v);
  m->mem[a] = v;
  cs_card_mark_dirty (card);
  return TRUE;
}

/* FF D1 compares first: only a byte that already holds the data is frozen. */
static gboolean
protect_byte (CsCard *card, guint a, guint8 v)
{
  Sle4428 *m = model (card);

  if (m->mem[a] != v)
    return FALSE;
  if (!m->prot[a])
    {
      m->prot[a] = TRUE;
      m->wear.totals.protect_bits_set++;
      cs_card_mark_dirty (card);
    }
  return TRUE;
}

typedef gboolean (*ByteOp) (CsCard *card, guint addr, guint8 value);

/* FF D0 and FF D1 alike: byte by byte until a tear, 6581 if any byte was
 * refused. */
static gsize
do_write (CsCard *card, const guint8 *apdu, gsize clen, guint8 *r, ByteOp op)
{
  Sle4428 *m = model (card);
  gboolean refused = FALSE;
  guint addr, len;
  guint16 sw;
  gsize landed;

  sw = check_write (m, apdu, clen, &addr, &len);
  if (sw != SW_OK)
    return cs_sw (r, 0, sw);

  landed = cs_card_consume_tear (card, len);
  for (gsize i = 0; i < landed; i++)
    if (!op (card, addr + i, apdu[5 + i]))
      refused = TRUE;
  if (card->torn)
    return cs_sw (r, 0, SW_WRITE_FAILED);
  return cs_sw (r, 0, refused ? SW_WRITE_FAILED : SW_OK);
}

static gsize
do_present_code (CsCard *card, const guint8 *apdu, gsize clen, guint8 *r)
{
  Sle4428 *m = model (card);

  if (clen != 7 || apdu[4] != 2)
    return cs_sw (r, 0, SW_WRONG_LENGTH);
  if (apdu[2] != 0 || apdu[3] != 0)
    return cs_sw (r, 0, SW_WRONG_P1P2);
  if (m->errcnt == 0)
    return cs_sw (r, 0, SW_LOCKED);

  /* ACS order: spend a try first (clear the lowest 1 bit), durably, then
   * compare, then erase the counter back to FF only if the code was
   * right. */
  set_errcnt (card, m->errcnt & (m->errcnt - 1));
  cs_card_commit (card);
  if (apdu[5] == m->mem[ADDR_PSC] && apdu[6] == m->mem[ADDR_PSC + 1])
    {
      set_errcnt (card, ERRCNT_FULL);
      m->verified = TRUE;
    }
  else
    m->verified = FALSE;
  r[0] = 0x90;
  r[1] = m->errcnt;
  return 2;
}

static gsize
sle_transmit (CsCard *card, const guint8 *apdu, gsize clen, guint8 *r)
{
  Sle4428 *m = model (card);

  if (clen < 4)
    return cs_sw (r, 0, SW_WRONG_LENGTH);
  if (apdu[0] != 0xFF)
    return cs_sw (r, 0, SW_WRONG_CLA);
  switch (apdu[1])
    {
    case 0xA4:
    case 0xB0:
    case 0xB1:
    case 0xB2:
    case 0xD0:
    case 0xD1:
    case 0x20:
      break;
    default:
      return cs_sw (r, 0, SW_WRONG_INS);
    }
  /* The ACS reader needs SELECT_CARD_TYPE after every power-up before it
   * knows how to talk to a synchronous card. */
  if (apdu[1] != 0xA4 && !m->selected)
    return cs_sw (r, 0, SW_NOT_SELECTED);

  switch (apdu[1])
    {
    case 0xA4:
      return do_select (m, apdu, clen, r);
    case 0xB0:
      return do_read (m, apdu, clen, r);
    case 0xB1:
      return do_read_errcnt (m, apdu, clen, r);
    case 0xB2:
      return do_read_prot (m, apdu, clen, r);
    case 0xD0:
      return do_write (card, apdu, clen, r, write_byte);
    case 0xD1:
      return do_write (card, apdu, clen, r, protect_byte);
    case 0x20:
      return do_present_code (card, apdu, clen, r);
    default:
      g_assert_not_reached ();
    }
}

/* ---- image ----------------------------------------------------------- */

static void
sle_save (CsCard *card, GKeyFile *kf)
{
  Sle4428 *m = model (card);
  char key[8];

  for (guint line = 0; line < MEM_SIZE; line += LINE_BYTES)
    {
      g_autofree char *hex = cl_hex_encode_spaced (m->mem + line, LINE_BYTES);
      char bits[LINE_BYTES + 1];

      for (guint i = 0; i < LINE_BYTES; i++)
        bits[i] = m->prot[line + i] ? '0' : '1';
      bits[LINE_BYTES] = '\0';
      g_snprintf (key, sizeof key, "%03X", line);
      g_key_file_set_string (kf, "memory", key, hex);
      g_key_file_set_string (kf, "protection", key, bits);
    }
  g_key_file_set_comment (kf, "memory", NULL,
                          " 64 lines of 16 bytes: <address>=<hex bytes>; 3FD counter, 3FE-3FF PSC",
                          NULL);
  g_key_file_set_comment (kf, "protection", NULL,
                          " one char per byte, as the chip's protect bit: 1 writable, 0 protected",
                          NULL);
  g_snprintf (key, sizeof key, "%02X", m->errcnt);
  g_key_file_set_string (kf, "counter", "error-counter", key);
  g_key_file_set_comment (kf, "counter", NULL,
                          " presentation error counter: FF = 8 tries, one bit cleared per failure",
                          NULL);
  cs_sle4428_wear_save (&m->wear, kf);
}

static gboolean
parse_hex_line (const char *text, guint8 out[LINE_BYTES])
{
  g_auto (GStrv) parts = g_strsplit_set (g_strstrip ((char *) text), " \t", -1);
  guint n = 0;

  for (guint i = 0; parts[i]; i++)
    {
      guint64 v;

      if (parts[i][0] == '\0')
        continue;
      if (n == LINE_BYTES || strlen (parts[i]) != 2
          || !g_ascii_string_to_unsigned (parts[i], 16, 0, 0xFF, &v, NULL))
        return FALSE;
      out[n++] = v;
    }
  return n == LINE_BYTES;
}

static gboolean
invalid (GError **error, const char *what, guint line)
{
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
               "SLE4428 image: bad or missing %s line %03X", what, line);
  return FALSE;
}

static void
build_blank (CsCard *card)
{
  Sle4428 *m = model (card);

  memset (m->mem, 0xFF, sizeof m->mem);
  memcpy (m->mem, factory_header, sizeof factory_header);
  memcpy (m->mem + ADDR_SERIAL, card->serial, CS_SERIAL_LEN);
  for (guint i = 0; i < ADDR_SERIAL + CS_SERIAL_LEN; i++)
    m->prot[i] = TRUE; /* factory-protected header and serial */
  m->errcnt = ERRCNT_FULL;
  m->mem[ADDR_ERRCNT] = ERRCNT_FULL;
  /* PSC FF FF is already there. */
}

static gboolean
sle_load (CsCard *card, GKeyFile *kf, GError **error)
{
  Sle4428 *m = g_new0 (Sle4428, 1);
  g_autofree char *counter = NULL;
  guint64 v;
  char key[8];

  g_free (card->model);
  card->model = m;
  if (kf == NULL)
    {
      build_blank (card);
      return TRUE;
    }

  for (guint line = 0; line < MEM_SIZE; line += LINE_BYTES)
    {
      g_autofree char *hex = NULL;
      g_autofree char *bits = NULL;

      g_snprintf (key, sizeof key, "%03X", line);
      hex = g_key_file_get_string (kf, "memory", key, NULL);
      if (hex == NULL || !parse_hex_line (hex, m->mem + line))
        return invalid (error, "[memory]", line);
      bits = g_key_file_get_string (kf, "protection", key, NULL);
      if (bits == NULL || strlen (g_strstrip (bits)) != LINE_BYTES
          || strspn (bits, "01") != LINE_BYTES)
        return invalid (error, "[protection]", line);
      for (guint i = 0; i < LINE_BYTES; i++)
        m->prot[line + i] = bits[i] == '0';
    }

  counter = g_key_file_get_string (kf, "counter", "error-counter", NULL);
  if (counter == NULL || !g_ascii_string_to_unsigned (g_strstrip (counter), 16, 0, 0xFF, &v, NULL))
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                           "SLE4428 image: bad or missing [counter] error-counter");
      return FALSE;
    }
  m->errcnt = v;
  /* Hand edits must keep the image self-consistent. */
  if (m->mem[ADDR_ERRCNT] != m->errcnt)
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "SLE4428 image: byte 3FD (%02X) differs from error-counter (%02X)",
                   m->mem[ADDR_ERRCNT], m->errcnt);
      return FALSE;
    }
  if (memcmp (m->mem + ADDR_SERIAL, card->serial, CS_SERIAL_LEN) != 0)
    {
      g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                           "SLE4428 image: serial in [card] differs from memory 008-00F");
      return FALSE;
    }
  return cs_sle4428_wear_load (&m->wear, kf, error);
}

static char *
sle_describe (CsCard *card)
{
  Sle4428 *m = model (card);
  GString *out = g_string_new (NULL);
  guint nprot = 0;

  for (guint i = 0; i < MEM_SIZE; i++)
    nprot += m->prot[i];
  g_string_append (out, "chip:    SLE4428, 1024 bytes (ACS card type 05)\n");
  if (m->errcnt == 0)
    g_string_append (out, "counter: 00 (locked: no writes, no more PSC tries)\n");
  else
    g_string_append_printf (out, "counter: %02X (%u of 8 tries left)\n", m->errcnt,
                            tries_left (m->errcnt));
  g_string_append (out, "psc:     ** ** (never shown)\n");
  g_string_append_printf (out, "protect: %u bytes protected, marked * below\n", nprot);
  cs_sle4428_wear_describe (&m->wear, out);
  g_string_append (out, "memory:\n");
  for (guint line = 0; line < MEM_SIZE; line += LINE_BYTES)
    {
      g_string_append_printf (out, "  %03X ", line);
      for (guint i = 0; i < LINE_BYTES; i++)
        {
          guint a = line + i;

          if (a >= ADDR_PSC)
            g_string_append (out, " **");
          else
            g_string_append_printf (out, " %02X", m->mem[a]);
          g_string_append_c (out, m->prot[a] ? '*' : ' ');
        }
      g_string_truncate (out, out->len - (m->prot[line + LINE_BYTES - 1] ? 0 : 1));
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static void
sle_free_model (CsCard *card)
{
  if (card->model)
    explicit_bzero (card->model, sizeof (Sle4428)); /* the PSC is in there */
  g_clear_pointer (&card->model, g_free);
}

gboolean
cs_card_get_sle4428_wear (CsCard *card, CsSle4428Wear *wear)
{
  g_return_val_if_fail (card != NULL && wear != NULL, FALSE);

  memset (wear, 0, sizeof *wear);
  if (card->ops != &cs_sle4428_ops)
    return FALSE;
  *wear = model (card)->wear.totals;
  return TRUE;
}

guint
cs_card_get_sle4428_byte_writes (CsCard *card, guint addr)
{
  g_return_val_if_fail (card != NULL && addr < MEM_SIZE, 0);

  if (card->ops != &cs_sle4428_ops)
    return 0;
  return model (card)->wear.byte_writes[addr];
}

const CsCardOps cs_sle4428_ops = {
  .kind = CS_CARD_SLE4428,
  .get_atr = sle_get_atr,
  .power = sle_power,
  .transmit = sle_transmit,
  .save = sle_save,
  .load = sle_load,
  .describe = sle_describe,
  .free_model = sle_free_model,
};
