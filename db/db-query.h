/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-query.h: the auditor's view of the log: filters, pages, counts.
 *
 * Filters combine (all given conditions must hold).  Rows come in time
 * order (at, then seq).  Pages use the keyset of the previous page's last
 * row, never an offset, so page 10,000 costs what page 1 costs; every
 * filter has an index (docs/performance.md has the numbers).
 */
#pragma once

#include <glib.h>

#include "db-audit.h"

G_BEGIN_DECLS

/* A zero-filled filter matches every row.  Strings match exactly. */
typedef struct {
  GDateTime *since; /* at or after; NULL: from the start */
  GDateTime *until; /* before; NULL: to the end */
  const char *operator_serial;
  const char *workstation;
  DbAction action; /* DB_ACTION_ANY: every action */
  DbOutcome outcome; /* DB_OUTCOME_ANY: every outcome */
  const char *card_number;
  const char *card_sn;
  const char *holder_id;
  /* Rows numbered up to this one only: a snapshot of a log that grows
   * while someone reads it, so that positions stay put.  0: every row;
   * negative: none (the snapshot of an empty log). */
  gint64 through_seq;
} DbAuditFilter;

typedef enum {
  DB_ORDER_OLDEST_FIRST,
  DB_ORDER_NEWEST_FIRST,
} DbOrder;

/* One row as stored (texts exactly as in the file, even unknown ones). */
typedef struct {
  gint64 seq;
  char *at;
  char *workstation;
  char *operator_serial;
  char *operator_name;
  char *role;
  char *action;
  char *card_sn;
  char *card_number;
  char *holder_id;
  char *outcome;
  char *error_code;
  char *detail;
} DbAuditRow;

void db_audit_row_free (DbAuditRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbAuditRow, db_audit_row_free)

/* Up to limit rows (1..10000) of filter in order, starting after the row
 * numbered after_seq (0: from the first).  For the next page pass the
 * last row's seq.  Returns a GPtrArray of DbAuditRow (possibly empty). */
GPtrArray *db_audit_query (DbDatabase *db, const DbAuditFilter *filter, DbOrder order,
                           gint64 after_seq, guint limit, GError **error);

/* Counts the rows of filter, stopping at cap (0: no cap); a result equal
 * to cap means "cap or more".  Cheap enough for a "N rows" label. */
gboolean db_audit_count (DbDatabase *db, const DbAuditFilter *filter, gint64 cap, gint64 *count,
                         GError **error);

/* Jumping to a position (a list's scroll bar dragged half-way): *seq gets
 * the number of the row `offset` rows into filter's rows in order (0: the
 * first), or 0 past the end.  It walks offset entries of one index, so
 * page on from there with db_audit_query() (the keyset), never with more
 * offsets; the rows near the end are cheaper counted from the other end
 * in the other order. */
gboolean db_audit_seek (DbDatabase *db, const DbAuditFilter *filter, DbOrder order, gint64 offset,
                        gint64 *seq, GError **error);

/* Where row seq stands in filter's rows in order: *position gets how many
 * of them come before it, *matches whether it is one of them.  A row the
 * log does not have is DB_ERROR_NOT_FOUND. */
gboolean db_audit_position (DbDatabase *db, const DbAuditFilter *filter, DbOrder order, gint64 seq,
                            gint64 *position, gboolean *matches, GError **error);

/* Totals of filter's rows, per action or per operator card, most rows
 * first: for reports. */
typedef enum {
  DB_AUDIT_BY_ACTION, /* key: the action ("report-lost") */
  DB_AUDIT_BY_OPERATOR, /* key: the operator card's serial ("" none); name: its holder */
} DbAuditGroup;

typedef struct {
  char *key;
  char *name; /* BY_OPERATOR: the card holder's name in its rows; else "" */
  gint64 rows;
  gint64 ok;
  gint64 refused;
  gint64 failed;
} DbAuditTotal;

void db_audit_total_free (DbAuditTotal *total);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbAuditTotal, db_audit_total_free)

/* A GPtrArray of DbAuditTotal, or NULL with error. */
GPtrArray *db_audit_totals (DbDatabase *db, const DbAuditFilter *filter, DbAuditGroup group,
                            GError **error);

G_END_DECLS
