/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-query-private.h: the one query builder, shared by pages, counts and
 * the CSV export; and its SQL text for the benchmark's sqlite3 comparison. */
#pragma once

#include "db-private.h"
#include "db-query.h"

G_BEGIN_DECLS

/* A bound statement over the rows of filter (columns: seq, then
 * DB_CHAIN_COLUMNS); limit 0 means all rows.  Release with
 * db_stmt_release (g_autoptr (DbStmt)). */
DbStmt *db_audit_select (DbDatabase *db, const DbAuditFilter *filter, DbOrder order,
                         gint64 after_seq, guint limit, GError **error);
DbAuditRow *db_audit_row_from_stmt (DbStmt *stmt);

/* The same query with its values written in as SQL literals, for running
 * in the sqlite3 shell (tests/bench only). */
char *db_audit_query_sql_literal (const DbAuditFilter *filter, DbOrder order, guint limit);

G_END_DECLS
