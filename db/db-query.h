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

G_END_DECLS
