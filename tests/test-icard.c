/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-icard.c: the insurance card's memory as built (docs/card-formats.md,
 * "The insurance card (SLE4428) as built"): the bytes of every block
 * checked against the document with the primitives (BCD by hand, the check
 * byte's formula, CBC by hand over DES-ECB), decoding and its verdicts on
 * damaged cards, the transaction ring, and every field check. */
#include "config.h"

#include "cl-crypto.h"
#include "cl-derive.h"
#include "test-util.h"
#include "wf-error.h"
#include "wf-icard.h"

static const guint8 sn[8] = { 0x91, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
static const char *dkey_hex = "0123456789ABCDEFFEDCBA9876543210";

static ClKey *
dkc_for_test (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) dkey = tu_key_from_hex (dkey_hex);
  ClKey *dkc = cl_derive_card_data_key (dkey, sn, &error);

  g_assert_no_error (error);
  return dkc;
}

/* The check byte written from docs/card-formats.md, not from cl-codec. */
static guint8
check_byte (const guint8 *b, gsize n)
{
  guint w = 0, x = 0;

  for (gsize i = 0; i < n; i++)
    {
      w += (i + 1) * b[i];
      x ^= b[i];
    }
  return ((w % 10) << 4) | (x % 10);
}

static void
set (WfIcardHolder *h, WfIcardField f, const char *v)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (wf_icard_holder_set (h, f, v, &error));
  g_assert_no_error (error);
}

static void
sample (WfIcardData *d)
{
  g_autoptr (GError) error = NULL;

  memset (d, 0, sizeof *d);
  g_strlcpy (d->region_code, "510400", sizeof d->region_code);
  g_strlcpy (d->card_number, "0000012345", sizeof d->card_number);
  g_strlcpy (d->issue_date, "20240105", sizeof d->issue_date);
  set (&d->holder, WF_ICARD_FIELD_ID_NUMBER, "510402198503172316");
  set (&d->holder, WF_ICARD_FIELD_NAME, "张伟");
  set (&d->holder, WF_ICARD_FIELD_ETHNICITY, "1");
  set (&d->holder, WF_ICARD_FIELD_EMPLOYER_CODE, "5104001234");
  set (&d->holder, WF_ICARD_FIELD_PERSONAL_NUMBER, "51040000000789");
  g_assert_true (wf_icard_data_prepare (d, &error));
  g_assert_no_error (error);
}

/* 0x000-0x3FD of a card holding data at 0x010. */
static void
card_memory (guint8 mem[WF_ICARD_MEM_LEN], const guint8 *data)
{
  static const guint8 header[8] = { 0x92, 0x23, 0x10, 0x91, 0x44, 0x28, 0x00, 0x01 };

  memset (mem, 0xFF, WF_ICARD_MEM_LEN);
  memcpy (mem, header, 8);
  memcpy (mem + 8, sn, 8);
  if (data)
    memcpy (mem + WF_ICARD_DATA_START, data, WF_ICARD_DATA_LEN);
}

static void
test_prepare (void)
{
  WfIcardData d;

  sample (&d);
  g_assert_cmpuint (d.layout_version, ==, 1);
  g_assert_cmpint (d.card_type, ==, WF_ICARD_TYPE_REGULAR);
  g_assert_cmpint (d.status, ==, WF_ICARD_STATUS_ACTIVE);
  g_assert_cmpstr (d.last_change, ==, "20240105");
  g_assert_cmpstr (d.holder.sex, ==, "1");
  g_assert_cmpstr (d.holder.birth_date, ==, "19850317");
  g_assert_cmpstr (d.holder.insurance_category, ==, "310"); /* an employer: employees' */
  g_assert_cmpstr (d.holder.valid_until, ==, "20340105");

  /* Issued on 29 February: valid until 28 February ten years on. */
  memset (&d.holder.valid_until, 0, sizeof d.holder.valid_until);
  g_strlcpy (d.issue_date, "20240229", sizeof d.issue_date);
  g_strlcpy (d.last_change, "20240229", sizeof d.last_change);
  g_assert_true (wf_icard_data_prepare (&d, NULL));
  g_assert_cmpstr (d.holder.valid_until, ==, "20340228");
}

static void
test_encode_bytes (void)
{
  gsize n;
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) dkc = dkc_for_test ();
  g_autofree guint8 *out = g_malloc (WF_ICARD_DATA_LEN);
  g_autofree guint8 *want_number = tu_unhex ("01 510400 0000012345 20240105 01 FF", &n);
  g_autofree guint8 *want_status = tu_unhex ("01 0000 20240105", &n);
  g_autofree guint8 *want_plain_tail = NULL;
  guint8 plain[WF_ICARD_HOLDER_LEN], prev[8];
  const guint8 *number, *holder, *status, *txh;
  WfIcardData d;

  sample (&d);
  g_assert_true (wf_icard_encode (&d, dkc, out, &error));
  g_assert_no_error (error);

  number = out + (WF_ICARD_NUMBER_ADDR - WF_ICARD_DATA_START);
  g_assert_cmpmem (number, 15, want_number, 15);
  g_assert_cmphex (number[15], ==, check_byte (number, 15));

  /* The holder block, CBC by hand over DES-ECB with IV 0. */
  holder = out + (WF_ICARD_HOLDER_ADDR - WF_ICARD_DATA_START);
  memset (prev, 0, sizeof prev);
  for (guint b = 0; b < WF_ICARD_HOLDER_LEN; b += 8)
    {
      g_assert_true (cl_des_ecb_decrypt (dkc, holder + b, 8, plain + b, &error));
      for (guint i = 0; i < 8; i++)
        plain[b + i] ^= prev[i];
      memcpy (prev, holder + b, 8);
    }
  g_assert_cmpmem (plain, 18, "510402198503172316", 18);
  g_assert_cmpmem (plain + 0x12, 6, "张伟", 6);
  for (guint i = 0x12 + 6; i < 0x30; i++)
    g_assert_cmphex (plain[i], ==, 0x00);
  want_plain_tail = tu_unhex ("01 01 19850317 310F 5104001234FFFFFFFFFF 20340105"
                              " 51040000000789FFFFFF",
                              &n);
  g_assert_cmpmem (plain + 0x30, 0x50 - 0x30, want_plain_tail, 0x50 - 0x30);
  for (guint i = 0x50; i < 0x7F; i++)
    g_assert_cmphex (plain[i], ==, 0xFF);
  g_assert_cmphex (plain[0x7F], ==, check_byte (plain, 0x7F));

  status = out + (WF_ICARD_STATUS_ADDR - WF_ICARD_DATA_START);
  g_assert_cmpmem (status, 7, want_status, 7);
  g_assert_cmphex (status[7], ==, check_byte (status, 7));
  txh = out + (WF_ICARD_TXN_HEADER_ADDR - WF_ICARD_DATA_START);
  g_assert_cmphex (txh[0], ==, 0);
  g_assert_cmphex (txh[1], ==, 0);
  for (guint i = 2; i < 7; i++)
    g_assert_cmphex (txh[i], ==, 0xFF);
  g_assert_cmphex (txh[7], ==, check_byte (txh, 7));
  g_assert_cmphex (txh[7], ==, 0x55); /* as docs/card-formats.md says */
  for (guint a = WF_ICARD_TXN_ADDR; a < WF_ICARD_DATA_END; a++)
    g_assert_cmphex (out[a - WF_ICARD_DATA_START], ==, 0xFF);
  cl_secure_wipe (plain, sizeof plain);
}

static void
test_roundtrip (void)
{
  g_autoptr (ClKey) dkc = dkc_for_test ();
  g_autofree guint8 *out = g_malloc (WF_ICARD_DATA_LEN);
  g_autofree guint8 *mem = g_malloc (WF_ICARD_MEM_LEN);
  WfIcardData d;
  WfIcardView v;

  sample (&d);
  g_assert_true (wf_icard_encode (&d, dkc, out, NULL));
  card_memory (mem, out);
  wf_icard_decode (mem, dkc, &v);
  g_assert_false (v.blank);
  g_assert_cmpmem (v.serial, 8, sn, 8);
  g_assert_cmpuint (v.tries_left, ==, 8);
  g_assert_cmpint (v.number_check, ==, WF_ICARD_CHECK_OK);
  g_assert_cmpint (v.holder_check, ==, WF_ICARD_CHECK_OK);
  g_assert_cmpint (v.status_check, ==, WF_ICARD_CHECK_OK);
  g_assert_cmpint (v.txn_header_check, ==, WF_ICARD_CHECK_OK);
  g_assert_true (v.holder_decrypted);
  g_assert_true (v.reserved_clean);
  g_assert_true (wf_icard_view_ok (&v));
  g_assert_cmpuint (v.n_records, ==, 0);
  g_assert_cmpmem (&v.data, sizeof v.data, &d, sizeof d);
  wf_icard_view_clear (&v);

  /* Without the key: the clear blocks, and the holder unchecked. */
  wf_icard_decode (mem, NULL, &v);
  g_assert_cmpint (v.holder_check, ==, WF_ICARD_CHECK_NO_KEY);
  g_assert_false (v.holder_decrypted);
  g_assert_cmpstr (v.data.holder.name, ==, "");
  g_assert_cmpstr (v.data.card_number, ==, "0000012345");
  g_assert_cmpint (v.data.status, ==, WF_ICARD_STATUS_ACTIVE);
  g_assert_true (wf_icard_view_ok (&v));
}

static void
test_blank (void)
{
  g_autofree guint8 *mem = g_malloc (WF_ICARD_MEM_LEN);
  WfIcardView v;

  card_memory (mem, NULL);
  wf_icard_decode (mem, NULL, &v);
  g_assert_true (v.blank);
  g_assert_false (wf_icard_view_ok (&v));
  g_assert_cmpint (v.number_check, ==, WF_ICARD_CHECK_EMPTY);
  g_assert_cmpint (v.holder_check, ==, WF_ICARD_CHECK_EMPTY);
  g_assert_cmpint (v.status_check, ==, WF_ICARD_CHECK_EMPTY);
  g_assert_cmpint (v.txn_header_check, ==, WF_ICARD_CHECK_EMPTY);
  /* A card with a locked counter is still described. */
  mem[WF_ICARD_ERRCNT_ADDR] = 0x00;
  wf_icard_decode (mem, NULL, &v);
  g_assert_cmpuint (v.tries_left, ==, 0);
  g_assert_true (v.blank);
}

/* Decodes data with one byte XORed with 0x01. */
static void
decode_damaged (const guint8 *data, guint addr, const ClKey *dkc, WfIcardView *v)
{
  g_autofree guint8 *mem = g_malloc (WF_ICARD_MEM_LEN);

  card_memory (mem, data);
  mem[addr] ^= 0x01;
  wf_icard_decode (mem, dkc, v);
}

static void
test_damage (void)
{
  g_autoptr (ClKey) dkc = dkc_for_test ();
  g_autoptr (ClKey) other = tu_key_from_hex ("00112233445566778899AABBCCDDEEFF");
  g_autofree guint8 *out = g_malloc (WF_ICARD_DATA_LEN);
  g_autofree guint8 *mem = g_malloc (WF_ICARD_MEM_LEN);
  guint8 *number;
  WfIcardView v;
  WfIcardData d;

  sample (&d);
  g_assert_true (wf_icard_encode (&d, dkc, out, NULL));
  decode_damaged (out, 0x015, dkc, &v);
  g_assert_cmpint (v.number_check, ==, WF_ICARD_CHECK_BAD);
  g_assert_cmpstr (v.data.card_number, ==, "");
  g_assert_cmpint (v.holder_check, ==, WF_ICARD_CHECK_OK);
  g_assert_false (wf_icard_view_ok (&v));
  decode_damaged (out, 0x050, dkc, &v);
  g_assert_cmpint (v.holder_check, ==, WF_ICARD_CHECK_BAD);
  g_assert_false (v.holder_decrypted);
  g_assert_cmpstr (v.data.holder.id_number, ==, "");
  decode_damaged (out, 0x0A3, dkc, &v);
  g_assert_cmpint (v.status_check, ==, WF_ICARD_CHECK_BAD);
  decode_damaged (out, 0x0A8, dkc, &v);
  g_assert_cmpint (v.txn_header_check, ==, WF_ICARD_CHECK_BAD);
  decode_damaged (out, 0x3C0, dkc, &v);
  g_assert_false (v.reserved_clean);
  g_assert_true (wf_icard_view_ok (&v));

  /* Another card's key: the holder block does not check. */
  card_memory (mem, out);
  wf_icard_decode (mem, other, &v);
  g_assert_cmpint (v.holder_check, ==, WF_ICARD_CHECK_BAD);

  /* A right check byte over a non-BCD field is malformed, not damaged. */
  number = out + (WF_ICARD_NUMBER_ADDR - WF_ICARD_DATA_START);
  number[5] = 0xA1;
  number[15] = check_byte (number, 15);
  card_memory (mem, out);
  wf_icard_decode (mem, dkc, &v);
  g_assert_cmpint (v.number_check, ==, WF_ICARD_CHECK_INVALID);
  g_assert_cmpstr (wf_icard_check_to_string (v.number_check), ==, "malformed contents");
}

static void
test_transactions (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) dkc = dkc_for_test ();
  g_autofree guint8 *out = g_malloc (WF_ICARD_DATA_LEN);
  g_autofree guint8 *mem = g_malloc (WF_ICARD_MEM_LEN);
  WfIcardTransaction t = { "20240301", "510402001", 12345, WF_ICARD_TXN_OUTPATIENT };
  WfIcardView v;
  WfIcardData d;

  sample (&d);
  g_assert_true (wf_icard_encode (&d, dkc, out, NULL));
  /* 50 records in a ring of 48: the first two are gone. */
  for (guint i = 0; i < 50; i++)
    {
      t.amount_fen = 100 + i;
      g_assert_true (wf_icard_add_transaction (out, &t, dkc, &error));
      g_assert_no_error (error);
    }
  card_memory (mem, out);
  wf_icard_decode (mem, dkc, &v);
  g_assert_cmpint (v.txn_header_check, ==, WF_ICARD_CHECK_OK);
  g_assert_cmpuint (v.txn_next, ==, 2);
  g_assert_cmpuint (v.txn_count, ==, 48);
  g_assert_cmpuint (v.n_records, ==, 48);
  g_assert_cmpuint (v.records[0].slot, ==, 2);
  g_assert_cmpuint (v.records[0].txn.amount_fen, ==, 102);
  g_assert_cmpuint (v.records[47].slot, ==, 1);
  g_assert_cmpuint (v.records[47].txn.amount_fen, ==, 149);
  g_assert_cmpstr (v.records[47].txn.institution, ==, "510402001");
  g_assert_cmpstr (v.records[47].txn.date, ==, "20240301");
  g_assert_cmpint (v.records[47].txn.type, ==, WF_ICARD_TXN_OUTPATIENT);
  g_assert_true (wf_icard_view_ok (&v));

  /* One damaged record is named; the others still read. */
  mem[WF_ICARD_TXN_ADDR + 5 * WF_ICARD_TXN_LEN + 3] ^= 0x80;
  wf_icard_decode (mem, dkc, &v);
  g_assert_cmpint (v.records[3].check, ==, WF_ICARD_CHECK_BAD);
  g_assert_cmpint (v.records[4].check, ==, WF_ICARD_CHECK_OK);
  g_assert_false (wf_icard_view_ok (&v));
  wf_icard_decode (mem, NULL, &v);
  g_assert_cmpint (v.records[3].check, ==, WF_ICARD_CHECK_NO_KEY);

  t.amount_fen = 100000000;
  g_assert_false (wf_icard_add_transaction (out, &t, dkc, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
}

static void
expect_refused (WfIcardField f, const char *value, const char *in_message)
{
  g_autoptr (GError) error = NULL;
  WfIcardHolder h = { 0 };

  g_assert_false (wf_icard_holder_set (&h, f, value, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, in_message));
  g_assert_cmpstr (h.id_number, ==, "");
  g_assert_cmpstr (h.name, ==, "");
}

static void
test_fields (void)
{
  g_autofree char *long_name = NULL;
  WfIcardHolder h = { 0 };

  set (&h, WF_ICARD_FIELD_ID_NUMBER, " 11010519491231002x ");
  g_assert_cmpstr (h.id_number, ==, "11010519491231002X");
  expect_refused (WF_ICARD_FIELD_ID_NUMBER, "110105194912310021", "ID number: ");
  expect_refused (WF_ICARD_FIELD_ID_NUMBER, "110105491231002", "15-digit");
  /* A valid check character does not make a birth in 2185 possible. */
  expect_refused (WF_ICARD_FIELD_ID_NUMBER, "110105218503170015", "in the future");
  expect_refused (WF_ICARD_FIELD_ID_NUMBER, "", "must be filled in");

  /* 30 bytes fit (ten Chinese characters); 31 are refused, not cut. */
  set (&h, WF_ICARD_FIELD_NAME, "欧阳娜娜欧阳娜娜欧阳");
  g_assert_cmpuint (strlen (h.name), ==, 30);
  expect_refused (WF_ICARD_FIELD_NAME, "欧阳娜娜欧阳娜娜欧阳A", "takes 31 bytes");
  long_name = g_strdup ("阿依古丽·买买提江");
  set (&h, WF_ICARD_FIELD_NAME, long_name);
  g_assert_cmpstr (h.name, ==, long_name);
  /* NFC: e + combining acute becomes one character of 2 bytes. */
  set (&h, WF_ICARD_FIELD_NAME, "Ren\u00e9e");
  set (&h, WF_ICARD_FIELD_NAME, "Rene\u0301e");
  g_assert_cmpstr (h.name, ==, "Ren\u00e9e");
  expect_refused (WF_ICARD_FIELD_NAME, "Li\tMing", "control character");
  expect_refused (WF_ICARD_FIELD_NAME, "\xB7\xE4\xD2\xBB", "not readable text");

  set (&h, WF_ICARD_FIELD_SEX, "女");
  g_assert_cmpstr (h.sex, ==, "2");
  expect_refused (WF_ICARD_FIELD_SEX, "F", "2 or 女");
  set (&h, WF_ICARD_FIELD_ETHNICITY, "3");
  g_assert_cmpstr (h.ethnicity, ==, "03");
  set (&h, WF_ICARD_FIELD_ETHNICITY, "97");
  expect_refused (WF_ICARD_FIELD_ETHNICITY, "57", "GB 3304");
  set (&h, WF_ICARD_FIELD_INSURANCE_CATEGORY, "392");
  expect_refused (WF_ICARD_FIELD_INSURANCE_CATEGORY, "311", "310, 320");
  expect_refused (WF_ICARD_FIELD_EMPLOYER_CODE, "123456789012345678901", "at most 20 digits");
  expect_refused (WF_ICARD_FIELD_PERSONAL_NUMBER, "12A", "at most 20 digits");
  set (&h, WF_ICARD_FIELD_VALID_UNTIL, "2034/1/5");
  g_assert_cmpstr (h.valid_until, ==, "20340105");
  set (&h, WF_ICARD_FIELD_VALID_UNTIL, "");
  g_assert_cmpstr (h.valid_until, ==, "");
  expect_refused (WF_ICARD_FIELD_BIRTH_DATE, "2199-01-01", "in the future");
  expect_refused (WF_ICARD_FIELD_BIRTH_DATE, "1985-02-29", "not a date of the calendar");
  expect_refused (WF_ICARD_FIELD_BIRTH_DATE, "85-02-20", "Write it as 20240105");
  wf_icard_holder_clear (&h);
  g_assert_cmpstr (h.name, ==, "");
}

static void
test_complete (void)
{
  g_autoptr (GError) error = NULL;
  WfIcardHolder h = { 0 };

  set (&h, WF_ICARD_FIELD_ID_NUMBER, "11010519491231002X");
  g_assert_false (wf_icard_holder_complete (&h, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  set (&h, WF_ICARD_FIELD_NAME, "李娜");
  g_assert_true (wf_icard_holder_complete (&h, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (h.sex, ==, "2"); /* digit 17 is even */
  g_assert_cmpstr (h.birth_date, ==, "19491231");
  g_assert_cmpstr (h.insurance_category, ==, "390"); /* no employer: residents' */

  set (&h, WF_ICARD_FIELD_SEX, "1");
  g_assert_false (wf_icard_holder_complete (&h, &error));
  g_assert_nonnull (strstr (error->message, "differs from the one in the ID number"));
  g_clear_error (&error);
  set (&h, WF_ICARD_FIELD_SEX, "9"); /* "not stated" is the holder's choice */
  set (&h, WF_ICARD_FIELD_BIRTH_DATE, "1949-12-30");
  g_assert_false (wf_icard_holder_complete (&h, &error));
  g_assert_nonnull (strstr (error->message, "Birth date"));
}

static void
test_validate (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) dkc = dkc_for_test ();
  g_autoptr (ClKey) short_key = tu_key_from_hex ("0123456789ABCDEF");
  g_autofree guint8 *out = g_malloc (WF_ICARD_DATA_LEN);
  WfIcardData d;

  sample (&d);
  g_strlcpy (d.holder.valid_until, "20240105", sizeof d.holder.valid_until);
  g_assert_false (wf_icard_encode (&d, dkc, out, &error));
  g_assert_nonnull (strstr (error->message, "after the issue date"));
  g_clear_error (&error);
  sample (&d);
  g_strlcpy (d.region_code, "51040", sizeof d.region_code);
  g_assert_false (wf_icard_data_validate (&d, &error));
  g_assert_nonnull (strstr (error->message, "region code"));
  g_clear_error (&error);
  sample (&d);
  g_strlcpy (d.holder.id_number, "510402198503172317", sizeof d.holder.id_number);
  g_assert_false (wf_icard_encode (&d, dkc, out, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  sample (&d);
  g_assert_false (wf_icard_encode (&d, short_key, out, &error));
  g_assert_nonnull (strstr (error->message, "16-byte"));
}

static void
test_format (void)
{
  g_autofree char *n = wf_icard_format_card_number ("0000012345");
  g_autofree char *date = wf_icard_date_format ("20240105");
  char d[9];

  g_assert_cmpstr (n, ==, "0000 0123 45");
  g_assert_cmpstr (date, ==, "2024-01-05");
  g_assert_true (wf_icard_date_parse ("2024.1.5", d, NULL));
  g_assert_cmpstr (d, ==, "20240105");
  g_assert_cmpstr (wf_icard_category_label ("390"), ==, "Residents' basic medical insurance");
  g_assert_cmpstr (wf_icard_category_label ("999"), ==, "");
  g_assert_cmpstr (wf_icard_status_to_string (WF_ICARD_STATUS_LOST), ==, "reported lost");
}

/* A card named by the clerk: its number or its serial, nothing else. */
static void
test_card_ref (void)
{
  g_autoptr (GError) error = NULL;
  char *number = NULL, *serial = NULL;

  g_assert_true (wf_icard_parse_card_ref (" 0000 0123 45 ", &number, &serial, &error));
  g_assert_cmpstr (number, ==, "0000012345");
  g_assert_null (serial);
  g_free (number);
  g_assert_true (wf_icard_parse_card_ref ("a1b2c3d4e5f60718", &number, &serial, &error));
  g_assert_null (number);
  g_assert_cmpstr (serial, ==, "A1B2C3D4E5F60718");
  g_free (serial);
  for (guint i = 0; i < 4; i++)
    {
      static const char *const bad[] = { "", "000001234", "00000123456", "A1B2C3D4E5F6071G" };

      g_assert_false (wf_icard_parse_card_ref (bad[i], &number, &serial, &error));
      g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
      g_assert_nonnull (strstr (error->message, "10 digits"));
      g_assert_null (number);
      g_assert_null (serial);
      g_clear_error (&error);
    }
}

int
main (int argc, char **argv)
{
  cl_secure_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/icard/prepare", test_prepare);
  g_test_add_func ("/icard/encode-bytes", test_encode_bytes);
  g_test_add_func ("/icard/roundtrip", test_roundtrip);
  g_test_add_func ("/icard/blank", test_blank);
  g_test_add_func ("/icard/damage", test_damage);
  g_test_add_func ("/icard/transactions", test_transactions);
  g_test_add_func ("/icard/fields", test_fields);
  g_test_add_func ("/icard/complete", test_complete);
  g_test_add_func ("/icard/validate", test_validate);
  g_test_add_func ("/icard/format", test_format);
  g_test_add_func ("/icard/card-ref", test_card_ref);
  return g_test_run ();
}
