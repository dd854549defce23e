/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-icard.h: the insurance card's SLE4428 memory as built: what each byte
 * means, how the holder's data become those bytes and back, and the checks
 * of every field a clerk or an import file gives.  Byte by byte in
 * docs/card-formats.md, "The insurance card (SLE4428) as built".
 *
 * Pure functions: no card, no database.  The data key DKc = DIV(Dkey, SN)
 * comes from the operator's card; plaintext holder bytes exist only in
 * locked memory (ClKey) and are wiped.
 */
#pragma once

#include <glib.h>

#include "cl-key.h"

G_BEGIN_DECLS

#define WF_ICARD_SERIAL_ADDR 0x008
#define WF_ICARD_NUMBER_ADDR 0x010 /* card-number block, clear, protected at issuance */
#define WF_ICARD_NUMBER_LEN 16
#define WF_ICARD_HOLDER_ADDR 0x020 /* cardholder block, TDES-CBC under DKc */
#define WF_ICARD_HOLDER_LEN 128
#define WF_ICARD_STATUS_ADDR 0x0A0
#define WF_ICARD_STATUS_LEN 8
#define WF_ICARD_TXN_HEADER_ADDR 0x0A8
#define WF_ICARD_TXN_HEADER_LEN 8
#define WF_ICARD_TXN_ADDR 0x0B0 /* 48 records of 16, each TDES-CBC under DKc */
#define WF_ICARD_TXN_LEN 16
#define WF_ICARD_TXN_SLOTS 48
#define WF_ICARD_RESERVED_ADDR 0x3B0 /* FF up to the error counter */
#define WF_ICARD_ERRCNT_ADDR 0x3FD
/* What wf_icard_encode() gives: the bytes 0x010-0x3AF as the card holds them. */
#define WF_ICARD_DATA_START 0x010
#define WF_ICARD_DATA_END 0x3B0
#define WF_ICARD_DATA_LEN (WF_ICARD_DATA_END - WF_ICARD_DATA_START)
/* What wf_icard_decode() reads: 0x000-0x3FD, everything but the PSC. */
#define WF_ICARD_MEM_LEN 0x3FE

#define WF_ICARD_LAYOUT_VERSION 1
#define WF_ICARD_NAME_MAX 30 /* bytes of UTF-8: 10 Chinese characters */
#define WF_ICARD_VALID_YEARS 10 /* default validity from the issue date */

typedef enum {
  WF_ICARD_TYPE_REGULAR = 1, /* 正式卡 */
  WF_ICARD_TYPE_REPLACEMENT = 2, /* 补换卡: issued for a lost or damaged card */
  WF_ICARD_TYPE_TRAINING = 90, /* made in training mode, worthless */
} WfIcardType;

typedef enum {
  WF_ICARD_STATUS_ACTIVE = 1, /* 正常 */
  WF_ICARD_STATUS_LOST = 2, /* 挂失 */
  WF_ICARD_STATUS_CANCELLED = 3, /* 注销 */
  WF_ICARD_STATUS_WITHDRAWN = 4, /* 收回: replaced because damaged */
} WfIcardStatus;

/* The holder's fields, in card order; the import file's column names are
 * wf_icard_field_name(). */
typedef enum {
  WF_ICARD_FIELD_ID_NUMBER,
  WF_ICARD_FIELD_NAME,
  WF_ICARD_FIELD_SEX,
  WF_ICARD_FIELD_ETHNICITY,
  WF_ICARD_FIELD_BIRTH_DATE,
  WF_ICARD_FIELD_INSURANCE_CATEGORY,
  WF_ICARD_FIELD_EMPLOYER_CODE,
  WF_ICARD_FIELD_VALID_UNTIL,
  WF_ICARD_FIELD_PERSONAL_NUMBER,
  WF_ICARD_N_FIELDS
} WfIcardField;

/* Plain C strings, normalised ("" = not given). */
typedef struct {
  char id_number[19]; /* GB 11643, 18 characters, upper-case X */
  char name[WF_ICARD_NAME_MAX + 1]; /* UTF-8, NFC */
  char sex[2]; /* GB/T 2261.1: 0 unknown, 1 male, 2 female, 9 not stated */
  char ethnicity[3]; /* GB 3304: 01-56, 97, 98; "" not recorded */
  char birth_date[9]; /* YYYYMMDD */
  char insurance_category[4]; /* 310, 320, 330, 340, 390, 392 */
  char employer_code[21]; /* up to 20 digits */
  char valid_until[9]; /* YYYYMMDD */
  char personal_number[21]; /* up to 20 digits: the insurance system's person number */
} WfIcardHolder;

typedef struct {
  guint layout_version;
  char region_code[7]; /* GB/T 2260 division code of the issuing area */
  char card_number[11]; /* 10 digits */
  char issue_date[9]; /* YYYYMMDD */
  WfIcardType card_type;
  WfIcardHolder holder;
  WfIcardStatus status;
  guint rewrite_counter; /* 0 at issuance, +1 per rewrite of the holder block */
  char last_change[9]; /* YYYYMMDD */
} WfIcardData;

typedef enum {
  WF_ICARD_TXN_OUTPATIENT = 1,
  WF_ICARD_TXN_INPATIENT = 2,
  WF_ICARD_TXN_PHARMACY = 3,
  WF_ICARD_TXN_REFUND = 4,
} WfIcardTxnType;

typedef struct {
  char date[9]; /* YYYYMMDD */
  char institution[13]; /* up to 12 digits */
  guint32 amount_fen; /* at most 99 999 999 fen */
  WfIcardTxnType type;
} WfIcardTransaction;

/* The verdict on one block. */
typedef enum {
  WF_ICARD_CHECK_OK,
  WF_ICARD_CHECK_BAD, /* the check byte does not match: damaged or altered */
  WF_ICARD_CHECK_INVALID, /* the check byte matches but a field is malformed */
  WF_ICARD_CHECK_EMPTY, /* all FF: never written */
  WF_ICARD_CHECK_NO_KEY, /* encrypted and no data key given: not checked */
} WfIcardCheck;

typedef struct {
  guint slot; /* 0-47 */
  WfIcardCheck check;
  WfIcardTransaction txn; /* when check is OK */
} WfIcardRecordView;

typedef struct {
  guint8 serial[8];
  guint8 error_counter; /* raw byte 0x3FD */
  guint tries_left; /* PSC tries: its 1 bits */
  gboolean blank; /* everything from 0x010 up to the counter is FF */
  WfIcardData data; /* the fields whose block checked OK; holder only when decrypted */
  gboolean holder_decrypted;
  WfIcardCheck number_check, holder_check, status_check, txn_header_check;
  guint txn_next, txn_count;
  guint n_records; /* = txn_count when the header is OK; oldest first */
  WfIcardRecordView records[WF_ICARD_TXN_SLOTS];
  gboolean reserved_clean; /* 0x3B0-0x3FC all FF */
} WfIcardView;

/* -- fields (wf-icard-fields.c) */

const char *wf_icard_field_name (WfIcardField field); /* "id_number" */
const char *wf_icard_field_label (WfIcardField field); /* translated: "ID number" */
gboolean wf_icard_field_from_name (const char *name, WfIcardField *field);
gboolean wf_icard_field_required (WfIcardField field); /* ID number and name */

/* Normalises and checks one field (trimmed; "" for an optional field
 * clears it); the message says what is wrong and what to do.  Nothing is
 * changed on failure. */
gboolean wf_icard_holder_set (WfIcardHolder *holder, WfIcardField field, const char *value,
                              GError **error);
/* The field's value as a string ("" when not given). */
const char *wf_icard_holder_get (const WfIcardHolder *holder, WfIcardField field);
/* Fills what the ID number gives (sex, birth date) and the insurance
 * category's default (310 with an employer code, else 390), then checks the
 * whole: both required fields, sex and birth date agreeing with the ID
 * number.  valid_until may stay "" (wf_icard_data_prepare fills it). */
gboolean wf_icard_holder_complete (WfIcardHolder *holder, GError **error);
void wf_icard_holder_clear (WfIcardHolder *holder); /* wipes */

/* Dates as clerks and Excel write them: 20240105, 2024-01-05, 2024/1/5,
 * 2024.1.5; out is YYYYMMDD.  Years 1900-2199. */
gboolean wf_icard_date_parse (const char *text, char out[9], GError **error);
/* "YYYY-MM-DD" for people, from YYYYMMDD. */
char *wf_icard_date_format (const char *yyyymmdd);
/* Today, local time, as YYYYMMDD. */
void wf_icard_today (char out[9]);
/* "1234 5678 90": the card number grouped for reading aloud. */
char *wf_icard_format_card_number (const char *card_number);
/* A card as a clerk names it: its number (10 digits, spaces allowed) or
 * its serial (16 hex digits, either case).  Sets one of *card_number and
 * *sn (g_free(); the serial upper-case), the other NULL; the message says
 * what to type. */
gboolean wf_icard_parse_card_ref (const char *text, char **card_number, char **sn, GError **error);
/* The insurance category's name, translated ("" for an unknown code). */
const char *wf_icard_category_label (const char *code);

/* -- the card image (wf-icard.c) */

/* Defaults for a card about to be issued: layout version, status active,
 * last change = issue date, valid-until = issue date + 10 years, the
 * holder completed; then wf_icard_data_validate(). */
gboolean wf_icard_data_prepare (WfIcardData *data, GError **error);
gboolean wf_icard_data_validate (const WfIcardData *data, GError **error);

/* The bytes 0x010-0x3AF as they must be on the card: the blocks, each with
 * its check byte, the holder block encrypted under dkc (16 bytes), an empty
 * transaction area (header with count 0, records all FF). */
gboolean wf_icard_encode (const WfIcardData *data, const ClKey *dkc, guint8 out[WF_ICARD_DATA_LEN],
                          GError **error);
/* Appends a record to the transaction area of such bytes (a ring of 48:
 * the oldest is overwritten) and updates the header. */
gboolean wf_icard_add_transaction (guint8 data[WF_ICARD_DATA_LEN], const WfIcardTransaction *txn,
                                   const ClKey *dkc, GError **error);

/* Reads any memory (0x000-0x3FD): clear fields, the holder and the records
 * decrypted when dkc is given, and the verdict of every block.  Never
 * fails: a damaged card is described, not refused. */
void wf_icard_decode (const guint8 mem[WF_ICARD_MEM_LEN], const ClKey *dkc, WfIcardView *out);
/* TRUE when the card is issued and every block checked is OK. */
gboolean wf_icard_view_ok (const WfIcardView *view);
void wf_icard_view_clear (WfIcardView *view); /* wipes the holder */

const char *wf_icard_check_to_string (WfIcardCheck check); /* translated */
const char *wf_icard_status_to_string (WfIcardStatus status); /* translated */

G_END_DECLS
