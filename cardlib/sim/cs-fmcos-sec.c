/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-fmcos-sec.c: FMCOS security: access rights XY, keys, GET CHALLENGE,
 * EXTERNAL/INTERNAL AUTHENTICATE, VERIFY and the PIN commands, WRITE KEY,
 * and the secure-messaging MAC and line encryption. */
#include "cs-fmcos-private.h"

#include <string.h>

#define KEY_HEADER 5 /* type use change b3 b4 */

/* ---- rights ---- */

/* XY: X = 1..F allows Y <= state of the current DF <= X; X = 0 allows MF
 * state >= Y; X < Y never.  A DF without KEY file, or whose KEY file holds
 * no key yet, enforces nothing: no key of its own can have granted a
 * state (docs/card-formats.md, "Security state and rights"). */
gboolean
cs_fmcos_right_ok (FmModel *m, guint8 right)
{
  guint x = right >> 4, y = right & 0x0F;
  guint state = m->cur_df->state;
  FmFile *kf = cs_fmcos_df_keyfile (m->cur_df);

  if (kf == NULL || kf->keys->len == 0)
    return TRUE;
  if (x == 0)
    return m->mf->state >= y;
  return x >= y && state >= y && state <= x;
}

/* ---- keys ---- */

void
cs_fmcos_key_free (FmKey *k)
{
  cl_secure_wipe (k, sizeof *k);
  g_free (k);
}

FmKey *
cs_fmcos_find_key (FmFile *df, guint8 base_type, guint8 id)
{
  FmFile *kf = cs_fmcos_df_keyfile (df);

  if (kf == NULL)
    return NULL;
  for (guint i = 0; i < kf->keys->len; i++)
    {
      FmKey *k = g_ptr_array_index (kf->keys, i);

      if (FM_KT_BASE (k->type) == base_type && k->id == id)
        return k;
    }
  return NULL;
}

gboolean
cs_fmcos_key_has_counter (guint8 base_type)
{
  return base_type >= FM_KT_LINE && base_type <= FM_KT_PIN;
}

/* Error counter byte: high nibble the maximum, low nibble what is left. */
guint8
cs_fmcos_key_tries (const FmKey *k)
{
  return k->b4 & 0x0F;
}

/* Spends one try of k before its secret is compared, and makes that
 * durable first (cs_card_commit saves the image), so that a command torn
 * after the comparison can never be a free try.  The counter byte is the
 * command's first EEPROM write: a pending tear lands here (B >= 1: the
 * decrement lands; B = 0: nothing does) and no comparison follows.
 * FALSE: torn.  The caller has checked that a try is left. */
static gboolean
spend_try (CsCard *card, FmKey *k)
{
  if (cs_card_consume_tear (card, 1) == 1)
    {
      k->b4--;
      cs_card_mark_dirty (card);
    }
  if (card->torn)
    return FALSE;
  cs_card_commit (card);
  return TRUE;
}

static void
counter_reset (CsCard *card, FmKey *k)
{
  guint8 full = (k->b4 & 0xF0) | (k->b4 >> 4);

  if (k->b4 != full)
    {
      k->b4 = full;
      cs_card_mark_dirty (card);
    }
}

static guint16
fail_sw (const FmKey *k)
{
  guint8 left = cs_fmcos_key_tries (k);

  return left ? FM_SW_TRIES (left) : FM_SW_BLOCKED;
}

static gboolean
equal_ct (const guint8 *a, const guint8 *b, gsize n)
{
  guint8 d = 0;

  for (gsize i = 0; i < n; i++)
    d |= a[i] ^ b[i];
  return d == 0;
}

static gboolean
key_len_ok (guint8 base, gsize len)
{
  if (base == FM_KT_PIN)
    return len >= FM_MIN_PIN && len <= FM_MAX_PIN;
  return len == 8 || len == 16;
}

/* ---- crypto glue ---- */

static gboolean
ecb (gboolean encrypt, const guint8 *key, gsize key_len, const guint8 *in, gsize len, guint8 *out)
{
  g_autoptr (ClKey) k = cl_key_new_from_data (key, key_len);

  return encrypt ? cl_des_ecb_encrypt (k, in, len, out, NULL)
                 : cl_des_ecb_decrypt (k, in, len, out, NULL);
}

static gboolean
mac4 (const guint8 *key, gsize key_len, const guint8 iv[8], const guint8 *in, gsize len,
      guint8 out[4])
{
  g_autoptr (ClKey) k = cl_key_new_from_data (key, key_len);
  guint8 mac[8];
  gboolean ok = cl_mac3 (k, iv, CL_PAD_METHOD_2, in, len, mac, NULL);

  memcpy (out, mac, 4);
  cl_secure_wipe (mac, sizeof mac);
  return ok;
}

/* The last challenge as an 8-byte IV or auth block: 4 bytes are padded
 * with 00000000, 8 bytes are used whole. */
static void
challenge_block (FmModel *m, guint8 out[8])
{
  memset (out, 0, 8);
  memcpy (out, m->chal, m->chal_len);
}

/* Secure-messaging MAC: the last 4 data bytes are the first 4 bytes of
 * ISO 9797-1 alg. 3 (pad 80..) over CLA INS P1 P2 Lc || data, with
 * IV = challenge.  Lc counts the MAC. */
guint16
cs_fmcos_check_mac (FmApdu *a, const guint8 *key, gsize key_len)
{
  guint8 buf[5 + 255];
  guint8 iv[8], mac[4];
  gsize n = a->lc >= 4 ? a->lc - 4 : 0;
  gboolean ok;

  if (a->lc < 4)
    return FM_SW_WRONG_LENGTH;
  if (!a->chal_ok)
    return FM_SW_CONDITIONS;
  buf[0] = a->cla;
  buf[1] = a->ins;
  buf[2] = a->p1;
  buf[3] = a->p2;
  buf[4] = a->lc;
  memcpy (buf + 5, a->data, n);
  challenge_block (a->m, iv);
  ok = mac4 (key, key_len, iv, buf, 5 + n, mac) && equal_ct (mac, a->data + n, 4);
  cl_secure_wipe (buf, sizeof buf);
  return ok ? FM_SW_OK : FM_SW_MAC;
}

/* Line decryption: TDES-ECB (DES for 8-byte keys) of LD || data || 80 00..,
 * the 80 always present (FM_LINE_PAD). */
guint16
cs_fmcos_line_decrypt (const guint8 *key, gsize key_len, const guint8 *in, gsize len, guint8 *out,
                       gsize *out_len)
{
  guint8 p[256];
  gsize ld;
  guint16 sw = FM_SW_OK;

  if (len == 0 || len % 8 != 0 || len > sizeof p)
    return FM_SW_WRONG_LENGTH;
  if (!ecb (FALSE, key, key_len, in, len, p))
    return FM_SW_WRONG_DATA;
  ld = p[0];
  if ((ld + 2 + 7) / 8 * 8 != len || p[1 + ld] != 0x80)
    sw = FM_SW_WRONG_DATA;
  for (gsize i = ld + 2; sw == FM_SW_OK && i < len; i++)
    if (p[i] != 0)
      sw = FM_SW_WRONG_DATA;
  if (sw == FM_SW_OK)
    {
      memcpy (out, p + 1, ld);
      *out_len = ld;
    }
  cl_secure_wipe (p, sizeof p);
  return sw;
}

gboolean
cs_fmcos_line_encrypt (const guint8 *key, gsize key_len, const guint8 *in, gsize len, guint8 *out,
                       gsize *out_len)
{
  guint8 buf[256];
  g_autofree guint8 *padded = NULL;
  gsize plen = 0;
  gboolean ok;

  /* LD || data || 80.. must fit the answer buffer (FM_RESP_MAX). */
  g_return_val_if_fail (len <= FM_LINE_MAX_PLAIN, FALSE);
  buf[0] = len;
  memcpy (buf + 1, in, len);
  padded = cl_pad (buf, len + 1, FM_LINE_PAD, &plen);
  ok = ecb (TRUE, key, key_len, padded, plen, out);
  *out_len = plen;
  cl_secure_wipe (buf, sizeof buf);
  cl_secure_wipe (padded, plen);
  return ok;
}

/* ---- GET CHALLENGE ---- */

guint16
cs_fmcos_cmd_get_challenge (FmApdu *a)
{
  FmModel *m = a->m;

  if (a->p1 != 0 || a->p2 != 0)
    return FM_SW_WRONG_P1P2;
  if (!a->has_le || a->lc != 0 || (a->le != 4 && a->le != 8))
    return FM_SW_WRONG_LENGTH;
  if (!cl_random_bytes (m->chal, a->le, NULL))
    return FM_SW_WRITE_FAILED;
  m->chal_len = a->le;
  m->chal_next = TRUE;
  memcpy (a->out, m->chal, a->le);
  a->out_len = a->le;
  return FM_SW_OK;
}

/* ---- EXTERNAL AUTHENTICATE and VERIFY ---- */

/* A key may be used when the DF's state grants its use right and it has
 * tries left. */
static guint16
key_usable (FmModel *m, FmKey *k)
{
  if (!cs_fmcos_right_ok (m, k->use))
    return FM_SW_SECURITY;
  if (cs_fmcos_key_tries (k) == 0)
    return FM_SW_BLOCKED;
  return FM_SW_OK;
}

/* After spend_try: a wrong proof keeps the try spent; a right one gives
 * it back (refills the counter) and lifts the DF's security state to the
 * key's. */
static guint16
auth_outcome (FmApdu *a, FmKey *k, gboolean ok)
{
  if (!ok)
    return fail_sw (k);
  counter_reset (a->card, k);
  a->m->cur_df->state = k->b3 & 0x0F;
  return FM_SW_OK;
}

/* MAC failure of a counted key (unblock 37, reload 38): 9302 while tries
 * are left, 6983 once the last one is spent. */
static guint16
mac_fail_sw (const FmKey *k)
{
  return cs_fmcos_key_tries (k) ? FM_SW_MAC : FM_SW_BLOCKED;
}

/* ---- EXTERNAL AUTHENTICATE: 00 82 00 kid 08 E_K(challenge block) ---- */

guint16
cs_fmcos_cmd_external_auth (FmApdu *a)
{
  FmModel *m = a->m;
  FmKey *k;
  guint8 block[8], expect[8];
  gboolean ok;
  guint16 sw;

  if (a->p1 != 0)
    return FM_SW_WRONG_P1P2;
  if (a->lc != 8)
    return FM_SW_WRONG_LENGTH;
  k = cs_fmcos_find_key (m->cur_df, FM_KT_EXTERNAL, a->p2);
  if (k == NULL)
    return FM_SW_KEY_NOT_FOUND;
  if ((sw = key_usable (m, k)) != FM_SW_OK)
    return sw;
  if (!a->chal_ok)
    return FM_SW_CONDITIONS;
  if (!spend_try (a->card, k))
    return FM_SW_WRITE_FAILED;
  challenge_block (m, block);
  ok = ecb (TRUE, k->value, k->len, block, 8, expect) && equal_ct (expect, a->data, 8);
  cl_secure_wipe (expect, sizeof expect);
  return auth_outcome (a, k, ok);
}

/* ---- INTERNAL AUTHENTICATE: 00 88 P1 kid Lc data ----
 * P1 00 encrypts (key type 34, else 30), 01 decrypts (31), 02 MACs (32:
 * 4 bytes, IV 0, pad 80..). */
guint16
cs_fmcos_cmd_internal_auth (FmApdu *a)
{
  FmModel *m = a->m;
  FmKey *k = NULL;
  static const guint8 zero_iv[8] = { 0 };

  switch (a->p1)
    {
    case 0x00:
      k = cs_fmcos_find_key (m->cur_df, FM_KT_INTERNAL, a->p2);
      if (k == NULL)
        k = cs_fmcos_find_key (m->cur_df, FM_KT_DES_ENC, a->p2);
      break;
    case 0x01:
      k = cs_fmcos_find_key (m->cur_df, FM_KT_DES_DEC, a->p2);
      break;
    case 0x02:
      k = cs_fmcos_find_key (m->cur_df, FM_KT_DES_MAC, a->p2);
      break;
    default:
      return FM_SW_WRONG_P1P2;
    }
  if (a->lc == 0)
    return FM_SW_WRONG_LENGTH;
  if (k == NULL)
    return FM_SW_KEY_NOT_FOUND;
  if (!cs_fmcos_right_ok (m, k->use))
    return FM_SW_SECURITY;
  a->out_later = TRUE;
  if (a->p1 == 0x02)
    {
      if (!mac4 (k->value, k->len, zero_iv, a->data, a->lc, a->out))
        return FM_SW_WRITE_FAILED;
      a->out_len = 4;
      return FM_SW_OK;
    }
  if (a->lc % 8 != 0)
    return FM_SW_WRONG_LENGTH;
  if (!ecb (a->p1 == 0x00, k->value, k->len, a->data, a->lc, a->out))
    return FM_SW_WRITE_FAILED;
  a->out_len = a->lc;
  return FM_SW_OK;
}

/* ---- VERIFY: 00 20 00 kid Lc PIN (no data: ask the tries left) ---- */

static void
set_pin (CsCard *card, FmKey *pin, const guint8 *value, gsize len)
{
  memset (pin->value, 0, sizeof pin->value);
  memcpy (pin->value, value, len);
  pin->len = len;
  counter_reset (card, pin);
  cs_card_mark_dirty (card);
}

guint16
cs_fmcos_cmd_verify (FmApdu *a)
{
  FmModel *m = a->m;
  FmKey *k;
  guint16 sw;

  if (a->p1 != 0)
    return FM_SW_WRONG_P1P2;
  k = cs_fmcos_find_key (m->cur_df, FM_KT_PIN, a->p2);
  if (k == NULL)
    return FM_SW_KEY_NOT_FOUND;
  if (a->lc == 0)
    return fail_sw (k);
  if (a->lc > FM_MAX_PIN)
    return FM_SW_WRONG_LENGTH;
  if ((sw = key_usable (m, k)) != FM_SW_OK)
    return sw;
  if (!spend_try (a->card, k))
    return FM_SW_WRITE_FAILED;
  return auth_outcome (a, k, a->lc == k->len && equal_ct (a->data, k->value, k->len));
}

/* ---- PIN UNBLOCK: 84 24 pin-kid unblock-kid Lc E_K37(LD||PIN||80..) MAC ----
 * Sets the PIN to the one sent and refills its counter. */
guint16
cs_fmcos_cmd_unblock (FmApdu *a)
{
  FmModel *m = a->m;
  FmKey *pin, *uk;
  guint8 plain[256];
  gsize plen = 0;
  guint16 sw;

  pin = cs_fmcos_find_key (m->cur_df, FM_KT_PIN, a->p1);
  uk = cs_fmcos_find_key (m->cur_df, FM_KT_UNBLOCK, a->p2);
  if (pin == NULL || uk == NULL)
    return FM_SW_KEY_NOT_FOUND;
  if ((sw = key_usable (m, uk)) != FM_SW_OK)
    return sw;
  /* The MAC proves the unblock key: a wrong one costs a try of it. */
  if (a->lc < 4)
    return FM_SW_WRONG_LENGTH;
  if (!a->chal_ok)
    return FM_SW_CONDITIONS;
  if (!spend_try (a->card, uk))
    return FM_SW_WRITE_FAILED;
  if ((sw = cs_fmcos_check_mac (a, uk->value, uk->len)) != FM_SW_OK)
    return sw == FM_SW_MAC ? mac_fail_sw (uk) : sw;
  counter_reset (a->card, uk);
  sw = cs_fmcos_line_decrypt (uk->value, uk->len, a->data, a->lc - 4, plain, &plen);
  if (sw == FM_SW_OK && !key_len_ok (FM_KT_PIN, plen))
    sw = FM_SW_WRONG_DATA;
  if (sw == FM_SW_OK)
    set_pin (a->card, pin, plain, plen);
  cl_secure_wipe (plain, sizeof plain);
  return sw;
}

/* ---- 80 5E: RELOAD PIN (P1 00: new PIN || MAC4 under the type-38 key of
 * the PIN's id, IV 0, over the PIN) and CHANGE PIN (P1 01: old FF new) ---- */
guint16
cs_fmcos_cmd_change_reload (FmApdu *a)
{
  FmModel *m = a->m;
  FmKey *pin = cs_fmcos_find_key (m->cur_df, FM_KT_PIN, a->p2);
  static const guint8 zero_iv[8] = { 0 };
  guint16 sw;

  if (a->p1 != 0x00 && a->p1 != 0x01)
    return FM_SW_WRONG_P1P2;
  if (pin == NULL)
    return FM_SW_KEY_NOT_FOUND;
  if (a->p1 == 0x00)
    {
      FmKey *rk = cs_fmcos_find_key (m->cur_df, FM_KT_RELOAD, a->p2);
      gsize n = a->lc >= 4 ? a->lc - 4 : 0;
      guint8 mac[4];

      if (rk == NULL)
        return FM_SW_KEY_NOT_FOUND;
      if ((sw = key_usable (m, rk)) != FM_SW_OK)
        return sw;
      if (!key_len_ok (FM_KT_PIN, n))
        return FM_SW_WRONG_LENGTH;
      /* The MAC proves the reload key: a wrong one costs a try of it. */
      if (!spend_try (a->card, rk))
        return FM_SW_WRITE_FAILED;
      if (!mac4 (rk->value, rk->len, zero_iv, a->data, n, mac) || !equal_ct (mac, a->data + n, 4))
        return mac_fail_sw (rk);
      counter_reset (a->card, rk);
      set_pin (a->card, pin, a->data, n);
      return FM_SW_OK;
    }

  /* old FF new.  Only the form is checked before the try is spent: an old
   * PIN of any other length or value is a wrong PIN, as in VERIFY. */
  if ((sw = key_usable (m, pin)) != FM_SW_OK)
    return sw;
  if (a->lc < 1 + 1 + FM_MIN_PIN || a->lc > FM_MAX_PIN + 1 + FM_MAX_PIN)
    return FM_SW_WRONG_LENGTH;
  if (memchr (a->data, 0xFF, a->lc) == NULL)
    return FM_SW_WRONG_DATA;
  if (!spend_try (a->card, pin))
    return FM_SW_WRITE_FAILED;
  if (a->lc <= pin->len || a->data[pin->len] != 0xFF || !equal_ct (a->data, pin->value, pin->len))
    return fail_sw (pin);
  counter_reset (a->card, pin);
  if (!key_len_ok (FM_KT_PIN, a->lc - pin->len - 1))
    return FM_SW_WRONG_LENGTH;
  set_pin (a->card, pin, a->data + pin->len + 1, a->lc - pin->len - 1);
  return FM_SW_OK;
}

/* ---- WRITE KEY ---- */

static gsize
key_serialise (const FmKey *k, guint8 *out)
{
  out[0] = k->type;
  out[1] = k->use;
  out[2] = k->change;
  out[3] = k->b3;
  out[4] = k->b4;
  memcpy (out + KEY_HEADER, k->value, k->len);
  return KEY_HEADER + k->len;
}

static void
key_deserialise (FmKey *k, const guint8 *in, gsize len)
{
  k->type = in[0];
  k->use = in[1];
  k->change = in[2];
  k->b3 = in[3];
  k->b4 = in[4];
  k->len = len - KEY_HEADER;
  memset (k->value, 0, sizeof k->value);
  memcpy (k->value, in + KEY_HEADER, k->len);
}

static gsize
keys_used (FmFile *kf)
{
  gsize used = 0;

  for (guint i = 0; i < kf->keys->len; i++)
    used += FM_KEY_RECORD_OVERHEAD + ((FmKey *) g_ptr_array_index (kf->keys, i))->len;
  return used;
}

/* Key 00 of the DF (ext-auth), else of the nearest DF above: the master
 * key that protects WRITE KEY in cipher+MAC form. */
static FmKey *
master_key (FmFile *df)
{
  for (; df; df = df->parent)
    {
      FmKey *k = cs_fmcos_find_key (df, FM_KT_EXTERNAL, 0x00);

      if (k)
        return k;
    }
  return NULL;
}

static guint16
tear_result (CsCard *card, gsize n, gsize *landed)
{
  gboolean pending = card->tear_bytes >= 0;

  *landed = cs_card_consume_tear (card, n);
  return pending ? FM_SW_WRITE_FAILED : FM_SW_OK;
}

static guint16
add_key (FmApdu *a, FmFile *kf, const guint8 *rec, gsize len, gboolean cipher)
{
  FmKey *k;
  gsize landed;
  guint16 sw;

  if (len < KEY_HEADER + 1 || !key_len_ok (FM_KT_BASE (rec[0]), len - KEY_HEADER))
    return FM_SW_WRONG_LENGTH;
  if (FM_KT_BASE (rec[0]) < 0x30)
    return FM_SW_WRONG_DATA;
  if (FM_KT_CIPHER_ONLY (rec[0]) && !cipher)
    return FM_SW_SECURITY;
  if (!cs_fmcos_right_ok (a->m, kf->add_right))
    return FM_SW_SECURITY;
  if (cs_fmcos_find_key (a->m->cur_df, FM_KT_BASE (rec[0]), a->p2))
    return FM_SW_FILE_EXISTS;
  if (keys_used (kf) + FM_KEY_RECORD_OVERHEAD + (len - KEY_HEADER) > kf->space)
    return FM_SW_NO_SPACE;
  /* The KEY file's record count moves last: a torn add leaves no key. */
  sw = tear_result (a->card, len, &landed);
  if (landed == len)
    {
      k = g_new0 (FmKey, 1);
      key_deserialise (k, rec, len);
      k->id = a->p2;
      g_ptr_array_add (kf->keys, k);
      cs_card_mark_dirty (a->card);
    }
  return sw;
}

static guint16
update_key (FmApdu *a, FmFile *kf, const guint8 *data, gsize len, gboolean cipher)
{
  guint8 base = FM_KT_BASE (a->p1);
  FmKey *k = cs_fmcos_find_key (a->m->cur_df, base, a->p2);
  guint8 rec[KEY_HEADER + FM_MAX_KEY];
  gsize old_len, start, landed;
  gboolean whole;
  guint16 sw;

  if (k == NULL)
    return FM_SW_KEY_NOT_FOUND;
  if (FM_KT_CIPHER_ONLY (k->type) && !cipher)
    return FM_SW_SECURITY;
  if (!cs_fmcos_right_ok (a->m, k->change))
    return FM_SW_SECURITY;
  /* Either the new value alone, or a whole record with the same type. */
  whole = (len != k->len);
  if (whole && (len < KEY_HEADER + 1 || FM_KT_BASE (data[0]) != base))
    return FM_SW_WRONG_DATA;
  if (whole && !key_len_ok (base, len - KEY_HEADER))
    return FM_SW_WRONG_LENGTH;
  if (whole && keys_used (kf) - k->len + (len - KEY_HEADER) > kf->space)
    return FM_SW_NO_SPACE;
  old_len = key_serialise (k, rec);
  start = whole ? 0 : KEY_HEADER;
  sw = tear_result (a->card, len, &landed);
  if (whole && landed == len)
    key_deserialise (k, data, len);
  else
    {
      memcpy (rec + start, data, MIN (landed, old_len - start));
      key_deserialise (k, rec, old_len);
    }
  cl_secure_wipe (rec, sizeof rec);
  cs_card_mark_dirty (a->card);
  return sw;
}

/* 80 D4 01 kid rec: add; 80 D4 type kid value|rec: update.  84 D4: the
 * same data as E_K00(LD || data || 80..) || MAC, K00 the DF's master key. */
guint16
cs_fmcos_cmd_write_key (FmApdu *a)
{
  FmFile *kf = cs_fmcos_df_keyfile (a->m->cur_df);
  gboolean cipher = (a->cla == 0x84);
  guint8 plain[256];
  gsize plen;
  guint16 sw;

  if (a->p1 != 0x01 && (FM_KT_BASE (a->p1) < 0x30 || FM_KT_BASE (a->p1) > 0x3F))
    return FM_SW_WRONG_P1P2;
  if (a->lc == 0)
    return FM_SW_WRONG_LENGTH;
  if (kf == NULL)
    return FM_SW_NOT_FOUND;
  if (cipher)
    {
      FmKey *mk = master_key (a->m->cur_df);

      if (mk == NULL)
        return FM_SW_KEY_NOT_FOUND;
      if ((sw = cs_fmcos_check_mac (a, mk->value, mk->len)) != FM_SW_OK)
        return sw;
      if ((sw = cs_fmcos_line_decrypt (mk->value, mk->len, a->data, a->lc - 4, plain, &plen))
          != FM_SW_OK)
        return sw;
    }
  else
    {
      plen = a->lc;
      memcpy (plain, a->data, plen);
    }
  if (plen == 0)
    sw = FM_SW_WRONG_LENGTH;
  else if (a->p1 == 0x01)
    sw = add_key (a, kf, plain, plen, cipher);
  else
    sw = update_key (a, kf, plain, plen, cipher);
  cl_secure_wipe (plain, sizeof plain);
  return sw;
}
