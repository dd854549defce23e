/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-icard.c: the insurance card's memory image, both ways
 * (docs/card-formats.md, "The insurance card (SLE4428) as built").
 *
 * Every block ends with the seed's check byte over the bytes before it;
 * digits are BCD (a variable number of digits is padded with F nibbles),
 * counters binary big-endian, unused bytes FF.  The holder block and each
 * transaction record are TDES-CBC under DKc with IV 0; their plaintext
 * lives only in ClKey buffers.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-codec.h"
#include "cl-crypto.h"
#include "wf-error.h"
#include "wf-icard.h"

/* Offsets inside each block. */
enum {
  /* card-number block, 0x010 */
  N_VERSION = 0,
  N_REGION = 1, /* 3 bytes, 6 digits */
  N_NUMBER = 4, /* 5 bytes, 10 digits */
  N_ISSUED = 9, /* 4 bytes */
  N_TYPE = 13,
  N_RESERVED = 14,
  N_CHECK = 15,
  /* holder plaintext, 0x020 */
  H_ID = 0x00, /* 18 ASCII */
  H_NAME = 0x12, /* 30 UTF-8, 00-padded */
  H_SEX = 0x30,
  H_ETHNICITY = 0x31,
  H_BIRTH = 0x32, /* 4 */
  H_CATEGORY = 0x36, /* 2, 3 digits F-padded */
  H_EMPLOYER = 0x38, /* 10, F-padded */
  H_VALID = 0x42, /* 4 */
  H_PERSONAL = 0x46, /* 10, F-padded */
  H_RESERVED = 0x50, /* FF up to the check byte */
  H_CHECK = 0x7F,
  /* status block, 0x0A0 */
  S_STATUS = 0,
  S_COUNTER = 1, /* 2, binary */
  S_CHANGED = 3, /* 4 */
  S_CHECK = 7,
  /* transaction header, 0x0A8 */
  T_NEXT = 0,
  T_COUNT = 1,
  T_CHECK = 7,
  /* transaction record plaintext */
  R_DATE = 0, /* 4 */
  R_INSTITUTION = 4, /* 6, 12 digits F-padded */
  R_AMOUNT = 10, /* 4, 8 digits */
  R_TYPE = 14,
  R_CHECK = 15,
};

/* Offsets of the blocks in wf_icard_encode()'s output. */
#define OUT(addr) ((addr) -WF_ICARD_DATA_START)

static const guint8 zero_iv[8] = { 0 };

/* -- BCD */

static void
pack_fixed (const char *digits, guint8 *out, gsize n)
{
  if (!cl_bcd_pack (digits, out, n, NULL))
    g_assert_not_reached (); /* validated before */
}

/* Digits then F nibbles up to n bytes ("310" -> 31 0F). */
static void
pack_f (const char *digits, guint8 *out, gsize n)
{
  gsize len = strlen (digits);

  for (gsize i = 0; i < 2 * n; i++)
    {
      guint8 nib = i < len ? digits[i] - '0' : 0xF;

      if (i % 2 == 0)
        out[i / 2] = nib << 4;
      else
        out[i / 2] |= nib;
    }
}

static gboolean
unpack_fixed (const guint8 *in, gsize n, char *out)
{
  return cl_bcd_unpack (in, n, out, NULL);
}

/* Digits up to the first F; only F after it. */
static gboolean
unpack_f (const guint8 *in, gsize n, char *out)
{
  gsize k = 0;
  gboolean ended = FALSE;

  for (gsize i = 0; i < 2 * n; i++)
    {
      guint8 nib = i % 2 == 0 ? in[i / 2] >> 4 : in[i / 2] & 0xF;

      if (nib == 0xF)
        ended = TRUE;
      else if (nib > 9 || ended)
        return FALSE;
      else
        out[k++] = '0' + nib;
    }
  out[k] = '\0';
  return TRUE;
}

static gboolean
all_ff (const guint8 *p, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (p[i] != 0xFF)
      return FALSE;
  return TRUE;
}

static void
seal (guint8 *block, gsize len)
{
  block[len - 1] = cl_check_byte (block, len - 1);
}

static gboolean
sealed (const guint8 *block, gsize len)
{
  return cl_check_byte (block, len - 1) == block[len - 1];
}

/* -- validation */

static gboolean
bad_data (GError **error, const char *what)
{
  g_set_error_literal (error, WF_ERROR, WF_ERROR_INVALID_INPUT, what);
  return FALSE;
}

static gboolean
digits_of_len (const char *s, gsize n)
{
  if (strlen (s) != n)
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

static gboolean
is_date (const char *s)
{
  char d[9];

  return digits_of_len (s, 8) && wf_icard_date_parse (s, d, NULL);
}

/* Every holder field through the same checks as typed input. */
static gboolean
validate_holder (const WfIcardHolder *h, GError **error)
{
  WfIcardHolder scratch = { 0 };
  gboolean ok = TRUE;

  for (guint f = 0; ok && f < WF_ICARD_N_FIELDS; f++)
    {
      const char *value = wf_icard_holder_get (h, f);

      ok = wf_icard_holder_set (&scratch, f, value, error);
      if (ok && f != WF_ICARD_FIELD_ETHNICITY && f != WF_ICARD_FIELD_EMPLOYER_CODE
          && f != WF_ICARD_FIELD_PERSONAL_NUMBER && value[0] == '\0')
        {
          g_set_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                       _ ("%s: this field must be filled in."), wf_icard_field_label (f));
          ok = FALSE;
        }
    }
  wf_icard_holder_clear (&scratch);
  return ok;
}

gboolean
wf_icard_data_validate (const WfIcardData *d, GError **error)
{
  g_return_val_if_fail (d != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (d->layout_version != WF_ICARD_LAYOUT_VERSION)
    return bad_data (error, _ ("This program writes insurance cards of layout version 1 only."));
  if (!digits_of_len (d->region_code, 6) || d->region_code[0] == '0')
    return bad_data (error, _ ("The region code must be a 6-digit division code such as 510400. "
                               "Check the office settings."));
  if (!digits_of_len (d->card_number, 10))
    return bad_data (error, _ ("The card number must have 10 digits."));
  if (!is_date (d->issue_date))
    return bad_data (error, _ ("The issue date is not a date."));
  if (d->card_type != WF_ICARD_TYPE_REGULAR && d->card_type != WF_ICARD_TYPE_REPLACEMENT
      && d->card_type != WF_ICARD_TYPE_TRAINING)
    return bad_data (error, _ ("Unknown card type."));
  if (d->status < WF_ICARD_STATUS_ACTIVE || d->status > WF_ICARD_STATUS_WITHDRAWN)
    return bad_data (error, _ ("Unknown card status."));
  if (d->rewrite_counter > G_MAXUINT16)
    return bad_data (error, _ ("The card has been rewritten too often; issue a new card."));
  if (!is_date (d->last_change) || strcmp (d->last_change, d->issue_date) < 0)
    return bad_data (error, _ ("The date of the last change is not a date on or after the issue "
                               "date."));
  if (!validate_holder (&d->holder, error))
    return FALSE;
  if (strcmp (d->holder.valid_until, d->issue_date) <= 0)
    return bad_data (error, _ ("Valid until: the date must be after the issue date."));
  return TRUE;
}

gboolean
wf_icard_data_prepare (WfIcardData *d, GError **error)
{
  g_return_val_if_fail (d != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (d->layout_version == 0)
    d->layout_version = WF_ICARD_LAYOUT_VERSION;
  if (d->card_type == 0)
    d->card_type = WF_ICARD_TYPE_REGULAR;
  if (d->status == 0)
    d->status = WF_ICARD_STATUS_ACTIVE;
  if (!is_date (d->issue_date))
    return bad_data (error, _ ("The issue date is not a date."));
  if (d->last_change[0] == '\0')
    g_strlcpy (d->last_change, d->issue_date, sizeof d->last_change);
  if (!wf_icard_holder_complete (&d->holder, error))
    return FALSE;
  if (d->holder.valid_until[0] == '\0')
    {
      GDate date;
      guint v = g_ascii_strtoull (d->issue_date, NULL, 10);

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, v % 100, (v / 100) % 100, v / 10000);
      g_date_add_years (&date, WF_ICARD_VALID_YEARS);
      g_snprintf (d->holder.valid_until, sizeof d->holder.valid_until, "%04u%02u%02u",
                  g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date));
    }
  return wf_icard_data_validate (d, error);
}

/* -- encoding */

static void
encode_number (const WfIcardData *d, guint8 b[WF_ICARD_NUMBER_LEN])
{
  char v[3];

  g_snprintf (v, sizeof v, "%02u", d->layout_version);
  pack_fixed (v, b + N_VERSION, 1);
  pack_fixed (d->region_code, b + N_REGION, 3);
  pack_fixed (d->card_number, b + N_NUMBER, 5);
  pack_fixed (d->issue_date, b + N_ISSUED, 4);
  g_snprintf (v, sizeof v, "%02u", d->card_type);
  pack_fixed (v, b + N_TYPE, 1);
  b[N_RESERVED] = 0xFF;
  seal (b, WF_ICARD_NUMBER_LEN);
}

static void
encode_holder_plain (const WfIcardHolder *h, guint8 p[WF_ICARD_HOLDER_LEN])
{
  memset (p, 0xFF, WF_ICARD_HOLDER_LEN);
  memcpy (p + H_ID, h->id_number, 18);
  memset (p + H_NAME, 0, WF_ICARD_NAME_MAX);
  memcpy (p + H_NAME, h->name, strlen (h->name));
  p[H_SEX] = h->sex[0] - '0';
  if (h->ethnicity[0])
    pack_fixed (h->ethnicity, p + H_ETHNICITY, 1);
  pack_fixed (h->birth_date, p + H_BIRTH, 4);
  pack_f (h->insurance_category, p + H_CATEGORY, 2);
  pack_f (h->employer_code, p + H_EMPLOYER, 10);
  pack_fixed (h->valid_until, p + H_VALID, 4);
  pack_f (h->personal_number, p + H_PERSONAL, 10);
  seal (p, WF_ICARD_HOLDER_LEN);
}

static void
encode_status (const WfIcardData *d, guint8 b[WF_ICARD_STATUS_LEN])
{
  char v[3];

  g_snprintf (v, sizeof v, "%02u", d->status);
  pack_fixed (v, b + S_STATUS, 1);
  b[S_COUNTER] = d->rewrite_counter >> 8;
  b[S_COUNTER + 1] = d->rewrite_counter & 0xFF;
  pack_fixed (d->last_change, b + S_CHANGED, 4);
  seal (b, WF_ICARD_STATUS_LEN);
}

static void
encode_txn_header (guint next, guint count, guint8 b[WF_ICARD_TXN_HEADER_LEN])
{
  memset (b, 0xFF, WF_ICARD_TXN_HEADER_LEN);
  b[T_NEXT] = next;
  b[T_COUNT] = count;
  seal (b, WF_ICARD_TXN_HEADER_LEN);
}

static gboolean
check_key (const ClKey *dkc, GError **error)
{
  if (dkc != NULL && cl_key_get_length (dkc) == 16)
    return TRUE;
  return bad_data (error, _ ("The card's data key is missing or not a 16-byte key."));
}

gboolean
wf_icard_encode (const WfIcardData *data, const ClKey *dkc, guint8 out[WF_ICARD_DATA_LEN],
                 GError **error)
{
  g_autoptr (ClKey) plain = NULL;

  g_return_val_if_fail (data != NULL && out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_key (dkc, error) || !wf_icard_data_validate (data, error))
    return FALSE;
  memset (out, 0xFF, WF_ICARD_DATA_LEN);
  encode_number (data, out + OUT (WF_ICARD_NUMBER_ADDR));
  plain = cl_key_new (WF_ICARD_HOLDER_LEN);
  encode_holder_plain (&data->holder, cl_key_get_data_mutable (plain));
  if (!cl_des_cbc_encrypt (dkc, zero_iv, cl_key_get_data (plain), WF_ICARD_HOLDER_LEN,
                           out + OUT (WF_ICARD_HOLDER_ADDR), error))
    return FALSE;
  encode_status (data, out + OUT (WF_ICARD_STATUS_ADDR));
  encode_txn_header (0, 0, out + OUT (WF_ICARD_TXN_HEADER_ADDR));
  return TRUE;
}

gboolean
wf_icard_add_transaction (guint8 data[WF_ICARD_DATA_LEN], const WfIcardTransaction *txn,
                          const ClKey *dkc, GError **error)
{
  guint8 *hdr = data + OUT (WF_ICARD_TXN_HEADER_ADDR);
  g_autoptr (ClKey) plain = NULL;
  guint8 *p;
  char v[9];
  guint next;

  g_return_val_if_fail (data != NULL && txn != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_key (dkc, error))
    return FALSE;
  if (!sealed (hdr, WF_ICARD_TXN_HEADER_LEN) || hdr[T_NEXT] >= WF_ICARD_TXN_SLOTS
      || hdr[T_COUNT] > WF_ICARD_TXN_SLOTS)
    return bad_data (error, _ ("The card's transaction area is damaged."));
  if (!is_date (txn->date) || txn->institution[0] == '\0' || strlen (txn->institution) > 12
      || strspn (txn->institution, "0123456789") != strlen (txn->institution)
      || txn->amount_fen > 99999999 || txn->type < WF_ICARD_TXN_OUTPATIENT
      || txn->type > WF_ICARD_TXN_REFUND)
    return bad_data (error, _ ("The transaction has a bad date, institution, amount or type."));

  plain = cl_key_new (WF_ICARD_TXN_LEN);
  p = cl_key_get_data_mutable (plain);
  pack_fixed (txn->date, p + R_DATE, 4);
  pack_f (txn->institution, p + R_INSTITUTION, 6);
  g_snprintf (v, sizeof v, "%08u", txn->amount_fen);
  pack_fixed (v, p + R_AMOUNT, 4);
  g_snprintf (v, sizeof v, "%02u", txn->type);
  pack_fixed (v, p + R_TYPE, 1);
  seal (p, WF_ICARD_TXN_LEN);

  next = hdr[T_NEXT];
  if (!cl_des_cbc_encrypt (dkc, zero_iv, p, WF_ICARD_TXN_LEN,
                           data + OUT (WF_ICARD_TXN_ADDR) + next * WF_ICARD_TXN_LEN, error))
    return FALSE;
  encode_txn_header ((next + 1) % WF_ICARD_TXN_SLOTS, MIN (hdr[T_COUNT] + 1u, WF_ICARD_TXN_SLOTS),
                     hdr);
  return TRUE;
}

/* -- decoding */

static WfIcardCheck
decode_number (const guint8 *b, WfIcardData *d)
{
  char v[3];

  if (all_ff (b, WF_ICARD_NUMBER_LEN))
    return WF_ICARD_CHECK_EMPTY;
  if (!sealed (b, WF_ICARD_NUMBER_LEN))
    return WF_ICARD_CHECK_BAD;
  if (!unpack_fixed (b + N_VERSION, 1, v) || !unpack_fixed (b + N_REGION, 3, d->region_code)
      || !unpack_fixed (b + N_NUMBER, 5, d->card_number)
      || !unpack_fixed (b + N_ISSUED, 4, d->issue_date) || !is_date (d->issue_date))
    return WF_ICARD_CHECK_INVALID;
  d->layout_version = g_ascii_strtoull (v, NULL, 10);
  if (d->layout_version != WF_ICARD_LAYOUT_VERSION || !unpack_fixed (b + N_TYPE, 1, v))
    return WF_ICARD_CHECK_INVALID;
  d->card_type = g_ascii_strtoull (v, NULL, 10);
  if (d->card_type != WF_ICARD_TYPE_REGULAR && d->card_type != WF_ICARD_TYPE_REPLACEMENT
      && d->card_type != WF_ICARD_TYPE_TRAINING)
    return WF_ICARD_CHECK_INVALID;
  return WF_ICARD_CHECK_OK;
}

/* Field by field through wf_icard_holder_set(), so that a card never says
 * more than a clerk could have typed; and in its normal form (NFC, upper
 * case X, no spaces), so that what decodes encodes to the same bytes. */
static WfIcardCheck
decode_holder_plain (const guint8 *p, WfIcardHolder *h)
{
  char id[19], name[WF_ICARD_NAME_MAX + 1], sex[2], eth[3], birth[9], cat[5], emp[21], valid[9],
      pers[21];
  const char *values[WF_ICARD_N_FIELDS] = { id, name, sex, eth, birth, cat, emp, valid, pers };
  gsize name_len;
  WfIcardCheck verdict = WF_ICARD_CHECK_OK;

  if (!sealed (p, WF_ICARD_HOLDER_LEN))
    return WF_ICARD_CHECK_BAD;
  memcpy (id, p + H_ID, 18);
  id[18] = '\0';
  memcpy (name, p + H_NAME, WF_ICARD_NAME_MAX);
  name[WF_ICARD_NAME_MAX] = '\0';
  name_len = strlen (name);
  for (gsize i = name_len; i < WF_ICARD_NAME_MAX; i++)
    if (p[H_NAME + i] != 0)
      verdict = WF_ICARD_CHECK_INVALID;
  sex[0] = p[H_SEX] <= 9 ? '0' + p[H_SEX] : '?';
  sex[1] = '\0';
  eth[0] = '\0';
  if (p[H_ETHNICITY] != 0xFF && !unpack_fixed (p + H_ETHNICITY, 1, eth))
    verdict = WF_ICARD_CHECK_INVALID;
  if (!unpack_fixed (p + H_BIRTH, 4, birth) || !unpack_f (p + H_CATEGORY, 2, cat)
      || !unpack_f (p + H_EMPLOYER, 10, emp) || !unpack_fixed (p + H_VALID, 4, valid)
      || !unpack_f (p + H_PERSONAL, 10, pers))
    verdict = WF_ICARD_CHECK_INVALID;
  for (guint f = 0; verdict == WF_ICARD_CHECK_OK && f < WF_ICARD_N_FIELDS; f++)
    if (!wf_icard_holder_set (h, f, values[f], NULL)
        || strcmp (wf_icard_holder_get (h, f), values[f]) != 0)
      verdict = WF_ICARD_CHECK_INVALID;
  if (verdict == WF_ICARD_CHECK_OK && (h->birth_date[0] == '\0' || h->valid_until[0] == '\0'))
    verdict = WF_ICARD_CHECK_INVALID;
  cl_secure_wipe (id, sizeof id);
  cl_secure_wipe (name, sizeof name);
  cl_secure_wipe (birth, sizeof birth);
  cl_secure_wipe (emp, sizeof emp);
  cl_secure_wipe (pers, sizeof pers);
  if (verdict != WF_ICARD_CHECK_OK)
    wf_icard_holder_clear (h);
  return verdict;
}

static WfIcardCheck
decode_holder (const guint8 *b, const ClKey *dkc, WfIcardView *out)
{
  g_autoptr (ClKey) plain = NULL;
  WfIcardCheck verdict;

  if (all_ff (b, WF_ICARD_HOLDER_LEN))
    return WF_ICARD_CHECK_EMPTY;
  if (dkc == NULL || cl_key_get_length (dkc) != 16)
    return WF_ICARD_CHECK_NO_KEY;
  plain = cl_key_new (WF_ICARD_HOLDER_LEN);
  if (!cl_des_cbc_decrypt (dkc, zero_iv, b, WF_ICARD_HOLDER_LEN, cl_key_get_data_mutable (plain),
                           NULL))
    return WF_ICARD_CHECK_BAD;
  verdict = decode_holder_plain (cl_key_get_data (plain), &out->data.holder);
  out->holder_decrypted = verdict == WF_ICARD_CHECK_OK;
  return verdict;
}

static WfIcardCheck
decode_status (const guint8 *b, WfIcardData *d)
{
  char v[3];

  if (all_ff (b, WF_ICARD_STATUS_LEN))
    return WF_ICARD_CHECK_EMPTY;
  if (!sealed (b, WF_ICARD_STATUS_LEN))
    return WF_ICARD_CHECK_BAD;
  if (!unpack_fixed (b + S_STATUS, 1, v) || !unpack_fixed (b + S_CHANGED, 4, d->last_change)
      || !is_date (d->last_change))
    return WF_ICARD_CHECK_INVALID;
  d->status = g_ascii_strtoull (v, NULL, 10);
  if (d->status < WF_ICARD_STATUS_ACTIVE || d->status > WF_ICARD_STATUS_WITHDRAWN)
    return WF_ICARD_CHECK_INVALID;
  d->rewrite_counter = (b[S_COUNTER] << 8) | b[S_COUNTER + 1];
  return WF_ICARD_CHECK_OK;
}

static WfIcardCheck
decode_record (const guint8 *b, const ClKey *dkc, WfIcardTransaction *t)
{
  g_autoptr (ClKey) plain = NULL;
  const guint8 *p;
  char amount[9], type[3];

  if (all_ff (b, WF_ICARD_TXN_LEN))
    return WF_ICARD_CHECK_EMPTY;
  if (dkc == NULL || cl_key_get_length (dkc) != 16)
    return WF_ICARD_CHECK_NO_KEY;
  plain = cl_key_new (WF_ICARD_TXN_LEN);
  if (!cl_des_cbc_decrypt (dkc, zero_iv, b, WF_ICARD_TXN_LEN, cl_key_get_data_mutable (plain),
                           NULL))
    return WF_ICARD_CHECK_BAD;
  p = cl_key_get_data (plain);
  if (!sealed (p, WF_ICARD_TXN_LEN))
    return WF_ICARD_CHECK_BAD;
  if (!unpack_fixed (p + R_DATE, 4, t->date) || !is_date (t->date)
      || !unpack_f (p + R_INSTITUTION, 6, t->institution) || t->institution[0] == '\0'
      || !unpack_fixed (p + R_AMOUNT, 4, amount) || !unpack_fixed (p + R_TYPE, 1, type))
    return WF_ICARD_CHECK_INVALID;
  t->amount_fen = g_ascii_strtoull (amount, NULL, 10);
  t->type = g_ascii_strtoull (type, NULL, 10);
  if (t->type < WF_ICARD_TXN_OUTPATIENT || t->type > WF_ICARD_TXN_REFUND)
    return WF_ICARD_CHECK_INVALID;
  return WF_ICARD_CHECK_OK;
}

static void
decode_transactions (const guint8 *mem, const ClKey *dkc, WfIcardView *out)
{
  const guint8 *hdr = mem + WF_ICARD_TXN_HEADER_ADDR;

  if (all_ff (hdr, WF_ICARD_TXN_HEADER_LEN))
    {
      out->txn_header_check = WF_ICARD_CHECK_EMPTY;
      return;
    }
  if (!sealed (hdr, WF_ICARD_TXN_HEADER_LEN))
    {
      out->txn_header_check = WF_ICARD_CHECK_BAD;
      return;
    }
  if (hdr[T_NEXT] >= WF_ICARD_TXN_SLOTS || hdr[T_COUNT] > WF_ICARD_TXN_SLOTS)
    {
      out->txn_header_check = WF_ICARD_CHECK_INVALID;
      return;
    }
  out->txn_header_check = WF_ICARD_CHECK_OK;
  out->txn_next = hdr[T_NEXT];
  out->txn_count = hdr[T_COUNT];
  out->n_records = out->txn_count;
  for (guint i = 0; i < out->n_records; i++)
    {
      WfIcardRecordView *r = &out->records[i];

      r->slot = (out->txn_next + WF_ICARD_TXN_SLOTS - out->txn_count + i) % WF_ICARD_TXN_SLOTS;
      r->check = decode_record (mem + WF_ICARD_TXN_ADDR + r->slot * WF_ICARD_TXN_LEN, dkc, &r->txn);
      if (r->check != WF_ICARD_CHECK_OK)
        memset (&r->txn, 0, sizeof r->txn);
    }
}

void
wf_icard_decode (const guint8 mem[WF_ICARD_MEM_LEN], const ClKey *dkc, WfIcardView *out)
{
  g_return_if_fail (mem != NULL && out != NULL);

  memset (out, 0, sizeof *out);
  memcpy (out->serial, mem + WF_ICARD_SERIAL_ADDR, sizeof out->serial);
  out->error_counter = mem[WF_ICARD_ERRCNT_ADDR];
  out->tries_left = __builtin_popcount (out->error_counter);
  out->reserved_clean =
      all_ff (mem + WF_ICARD_RESERVED_ADDR, WF_ICARD_ERRCNT_ADDR - WF_ICARD_RESERVED_ADDR);
  out->blank = all_ff (mem + WF_ICARD_DATA_START, WF_ICARD_ERRCNT_ADDR - WF_ICARD_DATA_START);
  out->number_check = decode_number (mem + WF_ICARD_NUMBER_ADDR, &out->data);
  if (out->number_check != WF_ICARD_CHECK_OK)
    memset (&out->data, 0, sizeof out->data);
  out->holder_check = decode_holder (mem + WF_ICARD_HOLDER_ADDR, dkc, out);
  out->status_check = decode_status (mem + WF_ICARD_STATUS_ADDR, &out->data);
  if (out->status_check != WF_ICARD_CHECK_OK)
    {
      out->data.status = 0;
      out->data.rewrite_counter = 0;
      out->data.last_change[0] = '\0';
    }
  decode_transactions (mem, dkc, out);
}

gboolean
wf_icard_view_ok (const WfIcardView *v)
{
  g_return_val_if_fail (v != NULL, FALSE);

  if (v->blank || v->number_check != WF_ICARD_CHECK_OK || v->status_check != WF_ICARD_CHECK_OK
      || v->txn_header_check != WF_ICARD_CHECK_OK
      || (v->holder_check != WF_ICARD_CHECK_OK && v->holder_check != WF_ICARD_CHECK_NO_KEY))
    return FALSE;
  for (guint i = 0; i < v->n_records; i++)
    if (v->records[i].check != WF_ICARD_CHECK_OK && v->records[i].check != WF_ICARD_CHECK_NO_KEY)
      return FALSE;
  return TRUE;
}

void
wf_icard_view_clear (WfIcardView *view)
{
  if (view != NULL)
    cl_secure_wipe (view, sizeof *view);
}

const char *
wf_icard_check_to_string (WfIcardCheck check)
{
  switch (check)
    {
    case WF_ICARD_CHECK_OK:
      return _ ("correct");
    case WF_ICARD_CHECK_BAD:
      return _ ("wrong check byte: damaged or altered");
    case WF_ICARD_CHECK_INVALID:
      return _ ("malformed contents");
    case WF_ICARD_CHECK_EMPTY:
      return _ ("empty");
    case WF_ICARD_CHECK_NO_KEY:
      return _ ("encrypted: not checked without the keys");
    default:
      return "?";
    }
}

const char *
wf_icard_status_to_string (WfIcardStatus status)
{
  switch (status)
    {
    case WF_ICARD_STATUS_ACTIVE:
      return _ ("active");
    case WF_ICARD_STATUS_LOST:
      return _ ("reported lost");
    case WF_ICARD_STATUS_CANCELLED:
      return _ ("cancelled");
    case WF_ICARD_STATUS_WITHDRAWN:
      return _ ("withdrawn");
    default:
      return _ ("unknown");
    }
}
