/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-verify.h: walking the audit chain and its seals.
 *
 * db_audit_verify() reads the whole log in one snapshot and reports the
 * first place where it was tampered with, even after the append-only
 * triggers were dropped and rows edited with the sqlite3 shell.  What it
 * proves and what no chain can see (rows cut after the last seal) is in
 * docs/database.md, "What verify proves".
 */
#pragma once

#include <glib.h>

#include "db-audit.h"

G_BEGIN_DECLS

typedef enum {
  DB_TAMPER_NONE,
  DB_TAMPER_ALTERED, /* the row no longer matches its hash */
  DB_TAMPER_REMOVED, /* rows missing: tamper_seq..tamper_other_seq, or one row
                      * at tamper_seq and the later rows renumbered (other 0) */
  DB_TAMPER_INSERTED, /* a row that was never written there */
  DB_TAMPER_REORDERED, /* tamper_seq and tamper_other_seq changed places */
  DB_TAMPER_TRUNCATED, /* the log ends at tamper_seq - 1, yet a seal covers
                        * row tamper_other_seq */
} DbTamper;

typedef enum {
  DB_SEAL_PROBLEM_NONE,
  DB_SEAL_PROBLEM_HEAD, /* the sealed head is not the row's hash: rewritten chain */
  DB_SEAL_PROBLEM_FORGED, /* the verifier says the MAC does not match */
  DB_SEAL_PROBLEM_MISSING, /* a "seal" row whose seal record is gone */
  DB_SEAL_PROBLEM_STRAY, /* a seal record on no "seal" row */
} DbSealProblem;

typedef struct {
  gint64 rows; /* rows read */
  gint64 last_seq; /* the newest row's number */
  DbTamper tamper; /* the first problem along the chain */
  gint64 tamper_seq; /* the first bad row */
  gint64 tamper_other_seq; /* see DbTamper */
  gint64 broken_links; /* rows that do not follow their predecessor, in all */
  gint64 seals; /* seal records */
  gint64 seals_genuine; /* checked by the verifier and matching */
  gint64 seals_unchecked; /* no verifier, or it cannot check that sealer */
  DbSealProblem seal_problem; /* the first bad seal */
  gint64 bad_seal_id;
  gint64 bad_seal_seq;
  gint64 last_seal_seq; /* the row the last seal covers: the sealed length */
  gint64 proven_seq; /* rows 1..proven_seq: intact and under a genuine seal */
  gint64 unsealed; /* rows after the last seal: chained, not proven */
  gboolean guards_missing; /* the append-only triggers were dropped */
} DbVerifyReport;

/* FALSE only when the log could not be read (or the verifier failed);
 * tampering is reported in report.  verifier may be NULL (no MAC check)
 * or have check == NULL. */
gboolean db_audit_verify (DbDatabase *db, const DbSealer *verifier, DbVerifyReport *report,
                          GError **error);

gboolean db_verify_report_is_intact (const DbVerifyReport *report);
/* One translated sentence naming the first bad row / seal; NULL if none. */
char *db_verify_report_describe_tamper (const DbVerifyReport *report);
char *db_verify_report_describe_seal_problem (const DbVerifyReport *report);

/* The newest seal alone, checked by verifier: its head must be the hash
 * of the row it names, and its MAC must match.  *sealed FALSE: the log was
 * never sealed (*check UNCHECKED).  Cheap: callers use it before sealing
 * over a head, and to prove a card holds the system's audit key. */
gboolean db_audit_check_last_seal (DbDatabase *db, const DbSealer *verifier, gboolean *sealed,
                                   DbSealCheck *check, GError **error);

G_END_DECLS
