/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-log-reader.h: the auditor's view of the audit log for a list that
 * shows any part of millions of rows without holding them.
 *
 * A reader answers "row i of the filtered log" from a small cache of
 * pages (the most recently used WF_LOG_READER_CACHE_PAGES pages of
 * WF_LOG_READER_PAGE_ROWS rows).  A row that is not there is fetched by
 * the reader's own worker thread, which has its own read-only connection
 * (one connection per thread, docs/database.md); "rows-loaded" says when
 * it arrived.  Pages follow each other by keyset; a jump far away seeks
 * from the nearer end (db_audit_seek()).  A filter is a snapshot: rows
 * written after it was set do not move the rows on the screen, until
 * wf_log_reader_refresh().
 *
 * The reader lives in one thread (the GUI's): call it there, and its
 * signals come there.  Only an operator who may audit (WF_PERM_AUDIT) may
 * make one; a reader keeps reading after a logout, so drop it then.
 */
#pragma once

#include <gio/gio.h>

#include "db-query.h"
#include "wf-desk.h"

G_BEGIN_DECLS

/* A filter kept: its strings and times copied (wf_audit_filter_clear()
 * frees them). */
void wf_audit_filter_copy (DbAuditFilter *dest, const DbAuditFilter *src);
void wf_audit_filter_clear (DbAuditFilter *filter);

#define WF_LOG_READER_PAGE_ROWS 100
#define WF_LOG_READER_CACHE_PAGES 32

#define WF_TYPE_LOG_READER (wf_log_reader_get_type ())
G_DECLARE_FINAL_TYPE (WfLogReader, wf_log_reader, WF, LOG_READER, GObject)

/* A reader of the desk's log, all rows newest first; WF_ERROR_NOT_LOGGED_IN
 * or WF_ERROR_ROLE unless the desk's operator may audit. */
WfLogReader *wf_log_reader_new (WfDesk *desk, GError **error);

/* A new query (filter is copied; NULL: every row): every row is unknown
 * again, the visible rows are none (a list starts again at the top),
 * "reset" is emitted, and the first page and the count are asked for.
 * The snapshot is taken by the first query that runs. */
void wf_log_reader_set_filter (WfLogReader *self, const DbAuditFilter *filter, DbOrder order);
/* The same filter over a new snapshot (rows written since then appear). */
void wf_log_reader_refresh (WfLogReader *self);
/* The query, with through_seq set once the snapshot was taken (0 before):
 * an export of it has exactly the rows of the list.  Valid until the next
 * set_filter or refresh. */
const DbAuditFilter *wf_log_reader_get_filter (WfLogReader *self);
DbOrder wf_log_reader_get_order (WfLogReader *self);

/* The rows of the query; -1 until known ("counted"). */
gint64 wf_log_reader_get_n_rows (WfLogReader *self);
/* Row index of the query (from 0), or NULL when it is not loaded: then its
 * page is asked for.  Valid until the page leaves the cache, which pages
 * in the visible range never do. */
const DbAuditRow *wf_log_reader_get_row (WfLogReader *self, gint64 index);
/* The rows on the screen: their pages are asked for first and stay in the
 * cache; queued requests for pages far from them are dropped. */
void wf_log_reader_set_visible (WfLogReader *self, gint64 first, gint64 count);
/* Where row seq stands in the query: "located" (seq, index; -1 when the
 * filter leaves it out). */
void wf_log_reader_locate (WfLogReader *self, gint64 seq);

/* Nothing asked for is still on its way (for tests and benchmarks). */
gboolean wf_log_reader_is_idle (WfLogReader *self);
/* Database queries run for this reader so far, and pages held now. */
guint wf_log_reader_get_queries (WfLogReader *self);
guint wf_log_reader_get_cached_pages (WfLogReader *self);

/* Signals (in the reader's thread):
 *   reset ()                          a new query: every row unknown
 *   counted (gint64 n_rows)           the query's row count is known
 *   rows-loaded (gint64 first, gint64 n)  rows first .. first + n - 1 arrived
 *   located (gint64 seq, gint64 index)    the answer to wf_log_reader_locate()
 *   failed (GError *error)            a query failed (the list stays as it was) */

G_END_DECLS
