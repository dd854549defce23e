/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-fmcos-ef.c: the FMCOS EF commands: READ/UPDATE BINARY, READ/UPDATE/
 * APPEND RECORD, with plain, MAC-protected and line-encrypted access, the
 * write flag and the reply lengths (docs/card-formats.md, "FMCOS
 * simulator"). */
#include "cs-fmcos-private.h"

#include <string.h>

static gboolean
is_ef (FmFile *f)
{
  return f->kind == FM_BINARY || f->kind == FM_FIXED || f->kind == FM_CYCLIC;
}

static guint16
resolve_ef (FmApdu *a, guint sfi, FmFile **out)
{
  FmModel *m = a->m;

  if (sfi != 0)
    {
      /* An EF's SFI is its FID when that is 0001..001F. */
      FmFile *f = cs_fmcos_df_child (m->cur_df, sfi);

      if (f == NULL || !is_ef (f))
        return FM_SW_NOT_FOUND;
      m->cur_ef = f;
    }
  if (m->cur_ef == NULL)
    return FM_SW_NO_CURRENT_EF;
  *out = m->cur_ef;
  return FM_SW_OK;
}

/* Rights and secure messaging of one EF command.  On success the payload
 * (data without MAC; decrypted for a C0 write) is in plain/plain_len, and
 * *line is the line-protection key when the EF needs one. */
typedef struct {
  FmKey *line;
  guint8 plain[256];
  gsize plain_len;
} FmEfAccess;

static guint16
ef_gate (FmApdu *a, FmFile *ef, gboolean write, FmEfAccess *acc)
{
  guint8 prot = ef->type_byte & FM_PROT_MASK;
  gboolean sm = (a->cla == 0x04);
  gboolean allowed;
  guint16 sw;

  allowed = cs_fmcos_right_ok (a->m, write ? ef->write_right : ef->read_right);
  if (!allowed)
    return FM_SW_SECURITY;
  /* A write-once EF whose update has happened takes no other. */
  if (write && ef->write_flag == FM_WRITE_ONCE && ef->written)
    return FM_SW_CONDITIONS;
  /* Protected EFs need CLA 04 for writes, and for reads too unless the
   * access byte's bit 7 allows plain reads. */
  if (!sm && prot != 0 && (write || !(ef->access & FM_ACCESS_PLAIN)))
    return FM_SW_SECURITY;
  if (sm || prot == FM_PROT_ENC)
    {
      acc->line = cs_fmcos_find_key (a->m->cur_df, FM_KT_LINE, FM_ACCESS_KEY_ID (ef->access));
      if (acc->line == NULL)
        return FM_SW_KEY_NOT_FOUND;
    }
  if (!sm)
    {
      acc->plain_len = a->lc;
      if (a->lc)
        memcpy (acc->plain, a->data, a->lc);
      return FM_SW_OK;
    }
  sw = cs_fmcos_check_mac (a, acc->line->value, acc->line->len);
  if (sw != FM_SW_OK)
    return sw;
  if (write && prot == FM_PROT_ENC)
    return cs_fmcos_line_decrypt (acc->line->value, acc->line->len, a->data, a->lc - 4, acc->plain,
                                  &acc->plain_len);
  acc->plain_len = a->lc - 4;
  memcpy (acc->plain, a->data, acc->plain_len);
  return FM_SW_OK;
}

/* Answers a read: plain case 2 directly (6Cxx on a wrong Le), secure or
 * line-encrypted reads as case 4 (61xx).  Never more than a short R-APDU
 * carries: without Le (T=0 sends case 4 so) a read goes to the end of the
 * file within 256 bytes, as ISO 7816-4 reads Le 00 (docs/card-formats.md,
 * "FMCOS simulator", "Lengths"). */
static guint16
put_read (FmApdu *a, FmFile *ef, FmEfAccess *acc, const guint8 *src, gsize avail, gboolean exact)
{
  gboolean enc = (ef->type_byte & FM_PROT_MASK) == FM_PROT_ENC;
  gsize want;

  G_STATIC_ASSERT (sizeof a->out >= FM_RESP_MAX);

  if (a->cla == 0x00 && !enc)
    {
      if (!a->has_le || a->lc != 0)
        return FM_SW_WRONG_LENGTH;
      if (a->le > avail || (exact && a->le != avail))
        return FM_SW_EXACT_LE (avail);
      memcpy (a->out, src, a->le);
      a->out_len = a->le;
      return FM_SW_OK;
    }
  if (a->cla == 0x00 && (!a->has_le || a->lc != 0))
    return FM_SW_WRONG_LENGTH;
  want = (a->has_le && !exact) ? MIN (a->le, avail) : avail;
  want = MIN (want, FM_RESP_MAX);
  a->out_later = TRUE;
  if (!enc)
    {
      memcpy (a->out, src, want);
      a->out_len = want;
      return FM_SW_OK;
    }
  if (want > FM_LINE_MAX_PLAIN)
    {
      if (exact)
        return FM_SW_WRONG_LENGTH;
      want = FM_LINE_MAX_PLAIN;
    }
  if (!cs_fmcos_line_encrypt (acc->line->value, acc->line->len, src, want, a->out, &a->out_len))
    return FM_SW_WRITE_FAILED;
  return FM_SW_OK;
}

/* Starts a write of n bytes that passed every check: how many land, and
 * whether the card tears.  The write flag of a write-once EF is spent
 * with it, also when the write is torn (the chip is not kinder). */
static gboolean
start_write (CsCard *card, FmFile *ef, gsize n, gsize *landed)
{
  gboolean pending = card->tear_bytes >= 0;

  if (ef->write_flag == FM_WRITE_ONCE)
    ef->written = TRUE;
  *landed = cs_card_consume_tear (card, n);
  return pending;
}

/* READ and UPDATE BINARY: P1 P2 name the offset in the current EF, or
 * (P1 bit 8) an SFI and an offset below 256; the EF must be binary. */
static guint16
binary_target (FmApdu *a, FmFile **ef, gsize *off)
{
  guint sfi;
  guint16 sw;

  if (a->p1 & 0x80)
    {
      if (a->p1 & 0x60)
        return FM_SW_WRONG_P1P2;
      sfi = a->p1 & 0x1F;
      *off = a->p2;
    }
  else
    {
      sfi = 0;
      *off = (a->p1 << 8) | a->p2;
    }
  if ((sw = resolve_ef (a, sfi, ef)) != FM_SW_OK)
    return sw;
  if ((*ef)->kind != FM_BINARY)
    return FM_SW_WRONG_FILE_TYPE;
  return FM_SW_OK;
}

guint16
cs_fmcos_cmd_read_binary (FmApdu *a)
{
  g_autofree FmEfAccess *acc = g_new0 (FmEfAccess, 1);
  FmFile *ef = NULL;
  gsize off;
  guint16 sw;

  if ((sw = binary_target (a, &ef, &off)) != FM_SW_OK)
    return sw;
  if ((sw = ef_gate (a, ef, FALSE, acc)) != FM_SW_OK)
    return sw;
  if (off >= ef->data_len)
    return FM_SW_WRONG_OFFSET;
  return put_read (a, ef, acc, ef->data + off, ef->data_len - off, FALSE);
}

guint16
cs_fmcos_cmd_update_binary (FmApdu *a)
{
  g_autofree FmEfAccess *acc = g_new0 (FmEfAccess, 1);
  FmFile *ef = NULL;
  gsize off, landed;
  gboolean torn;
  guint16 sw;

  if ((sw = binary_target (a, &ef, &off)) != FM_SW_OK)
    return sw;
  if (a->lc == 0)
    return FM_SW_WRONG_LENGTH;
  if ((sw = ef_gate (a, ef, TRUE, acc)) != FM_SW_OK)
    return sw;
  if (off >= ef->data_len)
    return FM_SW_WRONG_OFFSET;
  if (acc->plain_len == 0 || off + acc->plain_len > ef->data_len)
    return FM_SW_WRONG_LENGTH;
  torn = start_write (a->card, ef, acc->plain_len, &landed);
  memcpy (ef->data + off, acc->plain, landed);
  cs_card_mark_dirty (a->card);
  cl_secure_wipe (acc, sizeof *acc);
  return torn ? FM_SW_WRITE_FAILED : FM_SW_OK;
}

/* Logical record n (1 = first; for cyclic files 1 = the newest) -> slot. */
static guint8 *
record_at (FmFile *ef, guint n)
{
  guint slot;

  if (ef->kind == FM_CYCLIC)
    slot = (ef->head + ef->nrec - (n - 1)) % ef->nrec;
  else
    slot = n - 1;
  return ef->data + (gsize) slot * ef->reclen;
}

guint16
cs_fmcos_cmd_read_record (FmApdu *a)
{
  g_autofree FmEfAccess *acc = g_new0 (FmEfAccess, 1);
  FmFile *ef = NULL;
  guint16 sw;

  if ((a->p2 & 0x07) != 0x04 || a->p1 == 0)
    return FM_SW_WRONG_P1P2;
  if ((sw = resolve_ef (a, a->p2 >> 3, &ef)) != FM_SW_OK)
    return sw;
  if (ef->kind != FM_FIXED && ef->kind != FM_CYCLIC)
    return FM_SW_WRONG_FILE_TYPE;
  if ((sw = ef_gate (a, ef, FALSE, acc)) != FM_SW_OK)
    return sw;
  if (a->p1 > ef->used)
    return FM_SW_RECORD_NOT_FOUND;
  return put_read (a, ef, acc, record_at (ef, a->p1), ef->reclen, TRUE);
}

/* UPDATE RECORD (DC, P1 = record) and APPEND RECORD (E2, P1 = 00). */
guint16
cs_fmcos_cmd_write_record (FmApdu *a)
{
  g_autofree FmEfAccess *acc = g_new0 (FmEfAccess, 1);
  gboolean append = (a->ins == 0xE2);
  FmFile *ef = NULL;
  guint8 *dst;
  guint slot = 0;
  gsize landed;
  gboolean torn;
  guint16 sw;

  if (append ? (a->p1 != 0 || ((a->p2 & 0x07) != 0x04 && (a->p2 & 0x07) != 0x00))
             : (a->p1 == 0 || (a->p2 & 0x07) != 0x04))
    return FM_SW_WRONG_P1P2;
  if ((sw = resolve_ef (a, a->p2 >> 3, &ef)) != FM_SW_OK)
    return sw;
  if (ef->kind != FM_FIXED && ef->kind != FM_CYCLIC)
    return FM_SW_WRONG_FILE_TYPE;
  if (a->lc == 0)
    return FM_SW_WRONG_LENGTH;
  if ((sw = ef_gate (a, ef, TRUE, acc)) != FM_SW_OK)
    return sw;
  if (acc->plain_len != ef->reclen)
    return FM_SW_WRONG_LENGTH;
  if (!append)
    {
      if (a->p1 > ef->used)
        return FM_SW_RECORD_NOT_FOUND;
      dst = record_at (ef, a->p1);
    }
  else if (ef->kind == FM_FIXED)
    {
      if (ef->used == ef->nrec)
        return FM_SW_NO_SPACE;
      slot = ef->used;
      dst = ef->data + (gsize) slot * ef->reclen;
    }
  else
    {
      /* Cyclic: the new record overwrites the oldest once the file is full. */
      slot = ef->used == 0 ? 0 : (ef->head + 1) % ef->nrec;
      dst = ef->data + (gsize) slot * ef->reclen;
    }
  torn = start_write (a->card, ef, ef->reclen, &landed);
  memcpy (dst, acc->plain, landed);
  /* The record pointer moves only once the whole record has landed. */
  if (append && landed == ef->reclen)
    {
      if (ef->kind == FM_CYCLIC)
        ef->head = slot;
      if (ef->used < ef->nrec)
        ef->used++;
    }
  cs_card_mark_dirty (a->card);
  cl_secure_wipe (acc, sizeof *acc);
  return torn ? FM_SW_WRITE_FAILED : FM_SW_OK;
}
