/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-audit.h: the append-only, hash-chained, sealed audit log.
 *
 * Every row carries SHA-256(previous row's hash || canonical encoding of
 * the row); a seal row binds the chain head at some row to a 16-byte MAC
 * that only a genuine operator card can compute.  This library computes
 * no seal: the caller passes a DbSealer.  docs/database.md gives the
 * encoding, the seal and what db_audit_verify() proves.
 */
#pragma once

#include <glib.h>

#include "db-actor.h"
#include "db-database.h"

G_BEGIN_DECLS

/* The fixed vocabulary of actions (stored as the strings in comments). */
typedef enum {
  DB_ACTION_ANY = 0, /* filters only: every action */
  DB_ACTION_LOGIN, /* login */
  DB_ACTION_LOGIN_FAILED, /* login-failed */
  DB_ACTION_LOGOUT, /* logout */
  DB_ACTION_SEAL, /* seal: written by db_audit_seal() itself */
  DB_ACTION_MCC_CREATE, /* mcc-create */
  DB_ACTION_KTC_CREATE, /* ktc-create */
  DB_ACTION_KTC_REBUILD, /* ktc-rebuild */
  DB_ACTION_CARD_CREATE, /* card-create: an administrator or key card */
  DB_ACTION_CARD_WASH, /* card-wash */
  DB_ACTION_CARD_CHECK, /* card-check: genuine-card test with the MCC */
  DB_ACTION_PIN_UNBLOCK, /* pin-unblock */
  DB_ACTION_PIN_CHANGE, /* pin-change */
  DB_ACTION_ISSUE, /* issue: an insurance card issuance starts */
  DB_ACTION_ISSUE_UNDO, /* issue-undo */
  DB_ACTION_ISSUE_FINISH, /* issue-finish */
  DB_ACTION_READ, /* read */
  DB_ACTION_REWRITE, /* rewrite */
  DB_ACTION_CLEAR, /* clear */
  DB_ACTION_REPORT_LOST, /* report-lost */
  DB_ACTION_REPLACE, /* replace */
  DB_ACTION_CANCEL, /* cancel */
  DB_ACTION_WITHDRAW, /* withdraw */
  DB_ACTION_BLACKLIST, /* blacklist */
  DB_ACTION_IMPORT, /* import */
  DB_ACTION_EXPORT, /* export */
  DB_ACTION_DB_BACKUP, /* db-backup */
  DB_ACTION_VERIFY, /* verify */
  DB_ACTION_N
} DbAction;

typedef enum {
  DB_OUTCOME_ANY = 0, /* filters only */
  DB_OUTCOME_OK, /* ok */
  DB_OUTCOME_REFUSED, /* refused: a rule or the operator said no */
  DB_OUTCOME_FAILED, /* failed: card, reader or disk error (see error_code) */
} DbOutcome;

const char *db_action_to_string (DbAction action); /* "report-lost"; NULL if invalid */
DbAction db_action_from_string (const char *text); /* DB_ACTION_ANY if unknown */
const char *db_action_get_label (DbAction action); /* translated, for screens */
const char *db_outcome_to_string (DbOutcome outcome); /* "ok", "refused", "failed" */
DbOutcome db_outcome_from_string (const char *text); /* DB_OUTCOME_ANY if unknown */
const char *db_outcome_get_label (DbOutcome outcome); /* translated, for screens */

/* Longest detail text kept, in characters; longer ones are cut with "…". */
#define DB_AUDIT_DETAIL_MAX 500

typedef struct {
  DbActor actor;
  DbAction action;
  const char *card_sn; /* the subject, where there is one */
  const char *card_number;
  const char *holder_id;
  DbOutcome outcome;
  const char *error_code; /* "" when ok; an error name or status word otherwise */
  const char *detail; /* short, never a secret */
  GDateTime *at; /* NULL: now.  Only demo-data generators set it. */
} DbAuditEntry;

/* Appends one row in its own transaction; seq gets its number. */
gboolean db_audit_append (DbDatabase *db, const DbAuditEntry *entry, gint64 *seq, GError **error);

/* Sealing.  The message of a seal at row n with hash H is
 * M = first 8 bytes of SHA-256(H || n as 8 bytes big-endian). */
#define DB_AUDIT_HASH_LEN 32
#define DB_SEAL_MESSAGE_LEN 8
#define DB_SEAL_LEN 16
/* Seal when this many rows are not yet sealed, at the latest. */
#define DB_AUDIT_SEAL_INTERVAL 100

typedef enum {
  DB_SEAL_GENUINE, /* the MAC matches */
  DB_SEAL_FORGED, /* it does not */
  DB_SEAL_UNCHECKED, /* this verifier cannot check seals of that sealer */
} DbSealCheck;

typedef struct _DbSealer DbSealer;

/* A sealer/verifier pair supplied by the caller (the operator card in R1;
 * tests and the CLI stub use a software key).  Either function may be
 * NULL: db_audit_seal() needs seal, db_audit_verify() uses check. */
struct _DbSealer {
  const char *id; /* recorded with each seal, e.g. "card:0102030405060708" */
  gboolean (*seal) (const DbSealer *sealer, const guint8 message[DB_SEAL_MESSAGE_LEN],
                    guint8 seal[DB_SEAL_LEN], GError **error);
  DbSealCheck (*check) (const DbSealer *sealer, const char *sealer_id,
                        const guint8 message[DB_SEAL_MESSAGE_LEN], const guint8 seal[DB_SEAL_LEN],
                        GError **error);
  gpointer user_data;
};

void db_audit_seal_message (const guint8 head[DB_AUDIT_HASH_LEN], gint64 seq,
                            guint8 message[DB_SEAL_MESSAGE_LEN]);

/* Appends a "seal" row for actor and seals the chain through it, in one
 * transaction: if the sealer fails, nothing is written.  seq gets the
 * sealed row's number (the seal's row count).  at as in DbAuditEntry:
 * NULL (now) except in demo-data generators. */
gboolean db_audit_seal (DbDatabase *db, const DbActor *actor, const DbSealer *sealer, GDateTime *at,
                        gint64 *seq, GError **error);

typedef struct {
  gint64 rows; /* rows in the log */
  gint64 last_seq; /* number of the newest row; 0 when empty */
  gint64 last_seal_id; /* 0 when never sealed */
  gint64 last_seal_seq; /* the row the last seal covers: the log's sealed length */
  char *last_seal_at;
  char *last_seal_sealer;
  gint64 unsealed; /* rows after the last seal */
} DbAuditState;

gboolean db_audit_get_state (DbDatabase *db, DbAuditState *state, GError **error);
/* The chain head: the newest row's number and its hash as stored (for a
 * report to print; verify checks it).  *seq 0 when the log is empty. */
gboolean db_audit_get_head (DbDatabase *db, gint64 *seq, guint8 hash[DB_AUDIT_HASH_LEN],
                            GError **error);
void db_audit_state_clear (DbAuditState *state);
/* TRUE when DB_AUDIT_SEAL_INTERVAL or more rows wait for a seal; when to
 * seal is the caller's policy (every logout, and when this says so). */
gboolean db_audit_seal_due (DbDatabase *db, gboolean *due, GError **error);

G_END_DECLS
