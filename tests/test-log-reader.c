/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-log-reader.c: the audit log a page at a time for the auditor's
 * list: only an auditor may read it; the first page and the count come
 * first; a row far down costs a seek and one page, not the rows before
 * it; neighbouring pages follow by keyset; the cache stays small; a
 * filter and its snapshot hold while rows are written; a row is located. */
#include "config.h"

#include "wf-audit-util.h"
#include "wf-error.h"
#include "wf-log-reader.h"

#define N_FILL 4000 /* more pages than the cache holds */

/* Runs the main loop until the reader has every answer. */
static void
wait_idle (WfLogReader *reader)
{
  gint64 end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!wf_log_reader_is_idle (reader))
    {
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpint (g_get_monotonic_time (), <, end);
      g_usleep (500);
    }
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct {
  WfFixture wf;
  System sys;
  const char *auditor;
  WfSession *session;
  WfLogReader *reader;
} Fx;

static void
setup (Fx *fx, gconstpointer data)
{
  tu_wf_setup (&fx->wf, data);
  make_system (&fx->wf, &fx->sys);
  fx->auditor = make_auditor (&fx->wf, &fx->sys);
  fill_log (&fx->wf, N_FILL);
}

static void
teardown (Fx *fx, gconstpointer data)
{
  g_clear_object (&fx->reader);
  g_clear_object (&fx->session);
  tu_wf_teardown (&fx->wf, data);
}

static void
open_reader (Fx *fx)
{
  g_autoptr (GError) error = NULL;

  fx->session = log_in_with (&fx->wf, fx->auditor);
  fx->reader = wf_log_reader_new (fx->wf.desk, &error);
  g_assert_no_error (error);
  wait_idle (fx->reader);
}

static void
assert_same_row (const DbAuditRow *got, const DbAuditRow *want)
{
  g_assert_nonnull (got);
  g_assert_cmpint (got->seq, ==, want->seq);
  g_assert_cmpstr (got->at, ==, want->at);
  g_assert_cmpstr (got->detail, ==, want->detail);
  g_assert_cmpstr (got->action, ==, want->action);
}

static void
test_auditors_only (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfSession) issuer = NULL;

  /* Nobody logged in. */
  g_assert_null (wf_log_reader_new (fx->wf.desk, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN);
  g_clear_error (&error);
  /* An issuing administrator may not audit. */
  issuer = log_in_with (&fx->wf, fx->sys.ac);
  g_assert_null (wf_log_reader_new (fx->wf.desk, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_ROLE);
  g_assert_true (wf_logout (fx->wf.desk, WF_INTERACTION (fx->wf.ia), NULL, NULL));
}

static void
test_pages_on_demand (Fx *fx, gconstpointer data)
{
  g_autoptr (GPtrArray) want = NULL;
  gint64 n, far;
  guint queries;

  open_reader (fx);
  want = all_rows (&fx->wf, NULL, DB_ORDER_NEWEST_FIRST);
  n = wf_log_reader_get_n_rows (fx->reader);
  /* The ceremonies' and the login's rows, and the filled ones. */
  g_assert_cmpint (n, ==, want->len);
  g_assert_cmpint (n, >, N_FILL);
  g_assert_cmpuint (wf_log_reader_get_cached_pages (fx->reader), ==, 1);
  for (gint64 i = 0; i < WF_LOG_READER_PAGE_ROWS; i++)
    assert_same_row (wf_log_reader_get_row (fx->reader, i), want->pdata[i]);
  /* The snapshot, the first page and the count. */
  g_assert_cmpuint (wf_log_reader_get_queries (fx->reader), ==, 3);

  /* A row far down: a seek (from the nearer end) and its page; not
   * every page before it. */
  queries = wf_log_reader_get_queries (fx->reader);
  far = n - 150;
  g_assert_null (wf_log_reader_get_row (fx->reader, far));
  wait_idle (fx->reader);
  assert_same_row (wf_log_reader_get_row (fx->reader, far), want->pdata[far]);
  g_assert_cmpuint (wf_log_reader_get_queries (fx->reader), ==, queries + 2);
  g_assert_cmpuint (wf_log_reader_get_cached_pages (fx->reader), ==, 2);

  /* Its neighbours follow by keyset: one query each. */
  queries = wf_log_reader_get_queries (fx->reader);
  g_assert_null (wf_log_reader_get_row (fx->reader, far - WF_LOG_READER_PAGE_ROWS));
  g_assert_null (wf_log_reader_get_row (fx->reader, far + WF_LOG_READER_PAGE_ROWS));
  wait_idle (fx->reader);
  g_assert_cmpuint (wf_log_reader_get_queries (fx->reader), ==, queries + 2);
  for (gint64 i = (far / WF_LOG_READER_PAGE_ROWS - 1) * WF_LOG_READER_PAGE_ROWS;
       i < MIN (n, (far / WF_LOG_READER_PAGE_ROWS + 2) * WF_LOG_READER_PAGE_ROWS); i++)
    assert_same_row (wf_log_reader_get_row (fx->reader, i), want->pdata[i]);
  g_assert_null (wf_log_reader_get_row (fx->reader, n));

  /* The middle, from the top. */
  g_assert_null (wf_log_reader_get_row (fx->reader, n / 3));
  wait_idle (fx->reader);
  assert_same_row (wf_log_reader_get_row (fx->reader, n / 3), want->pdata[n / 3]);
  g_assert_cmpuint (wf_log_reader_get_cached_pages (fx->reader), <=, 6);
}

/* Scrolling through every page keeps at most the cache's pages. */
static void
test_cache_bounded (Fx *fx, gconstpointer data)
{
  g_autoptr (GPtrArray) want = NULL;
  guint queries;

  open_reader (fx);
  want = all_rows (&fx->wf, NULL, DB_ORDER_NEWEST_FIRST);
  queries = wf_log_reader_get_queries (fx->reader);
  for (gint64 first = 0; first < (gint64) want->len; first += 30)
    {
      wf_log_reader_set_visible (fx->reader, first, 30);
      wait_idle (fx->reader);
      for (gint64 i = first; i < MIN (first + 30, (gint64) want->len); i++)
        assert_same_row (wf_log_reader_get_row (fx->reader, i), want->pdata[i]);
      g_assert_cmpuint (wf_log_reader_get_cached_pages (fx->reader), <=, WF_LOG_READER_CACHE_PAGES);
    }
  /* One query per page after the first: all by keyset. */
  g_assert_cmpuint (wf_log_reader_get_queries (fx->reader) - queries, ==,
                    (want->len + WF_LOG_READER_PAGE_ROWS - 1) / WF_LOG_READER_PAGE_ROWS - 1);
  /* Back near the start: the page was evicted, and comes back by keyset. */
  queries = wf_log_reader_get_queries (fx->reader);
  g_assert_null (wf_log_reader_get_row (fx->reader, 305));
  wf_log_reader_set_visible (fx->reader, 300, 30);
  wait_idle (fx->reader);
  assert_same_row (wf_log_reader_get_row (fx->reader, 305), want->pdata[305]);
  g_assert_cmpuint (wf_log_reader_get_queries (fx->reader), ==, queries + 1);
}

static void
test_filter_and_snapshot (Fx *fx, gconstpointer data)
{
  DbAuditFilter f = { .workstation = "DESK-B", .outcome = DB_OUTCOME_OK };
  g_autoptr (GPtrArray) want = NULL;
  gint64 n;

  open_reader (fx);
  want = all_rows (&fx->wf, &f, DB_ORDER_OLDEST_FIRST);
  wf_log_reader_set_filter (fx->reader, &f, DB_ORDER_OLDEST_FIRST);
  g_assert_cmpint (wf_log_reader_get_n_rows (fx->reader), ==, -1);
  wait_idle (fx->reader);
  n = wf_log_reader_get_n_rows (fx->reader);
  g_assert_cmpint (n, ==, want->len);
  for (gint64 i = 0; i < n; i++)
    {
      const DbAuditRow *row = wf_log_reader_get_row (fx->reader, i);

      if (row == NULL)
        {
          wait_idle (fx->reader);
          row = wf_log_reader_get_row (fx->reader, i);
        }
      assert_same_row (row, want->pdata[i]);
      g_assert_cmpstr (row->workstation, ==, "DESK-B");
      g_assert_cmpstr (row->outcome, ==, "ok");
    }
  g_assert_cmpint (wf_log_reader_get_filter (fx->reader)->through_seq, >, 0);

  /* Rows written now do not show until a refresh. */
  fill_log (&fx->wf, 30);
  wf_log_reader_set_visible (fx->reader, n - 10, 30);
  wait_idle (fx->reader);
  g_assert_cmpint (wf_log_reader_get_n_rows (fx->reader), ==, n);
  g_assert_null (wf_log_reader_get_row (fx->reader, n));
  wf_log_reader_refresh (fx->reader);
  wait_idle (fx->reader);
  /* fill_log's rows 0..29 at DESK-B (i % 3 == 1) and ok. */
  {
    gint64 more = 0;

    for (int i = 0; i < 30; i++)
      more += i % 3 == 1 && FILL_OUTCOME (i) == DB_OUTCOME_OK;
    g_assert_cmpint (wf_log_reader_get_n_rows (fx->reader), ==, n + more);
  }
}

static void
located_cb (WfLogReader *reader, gint64 seq, gint64 index, gint64 *out)
{
  out[0] = seq;
  out[1] = index;
}

static void
test_locate (Fx *fx, gconstpointer data)
{
  DbAuditFilter f = { .action = DB_ACTION_ISSUE };
  g_autoptr (GPtrArray) want = all_rows (&fx->wf, &f, DB_ORDER_NEWEST_FIRST);
  const DbAuditRow *target = want->pdata[want->len - 40];
  gint64 got[2] = { 0, 0 };

  open_reader (fx);
  g_signal_connect (fx->reader, "located", G_CALLBACK (located_cb), got);
  wf_log_reader_set_filter (fx->reader, &f, DB_ORDER_NEWEST_FIRST);
  wf_log_reader_locate (fx->reader, target->seq);
  wait_idle (fx->reader);
  g_assert_cmpint (got[0], ==, target->seq);
  g_assert_cmpint (got[1], ==, want->len - 40);
  /* A read row is not an issue row; a row that does not exist neither. */
  wf_log_reader_locate (fx->reader, 2);
  wait_idle (fx->reader);
  g_assert_cmpint (got[0], ==, 2);
  g_assert_cmpint (got[1], ==, -1);
  wf_log_reader_locate (fx->reader, 999999);
  wait_idle (fx->reader);
  g_assert_cmpint (got[0], ==, 999999);
  g_assert_cmpint (got[1], ==, -1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fx, NULL, setup, fn, teardown)
  ADD ("/log-reader/auditors-only", test_auditors_only);
  ADD ("/log-reader/pages-on-demand", test_pages_on_demand);
  ADD ("/log-reader/cache-bounded", test_cache_bounded);
  ADD ("/log-reader/filter-and-snapshot", test_filter_and_snapshot);
  ADD ("/log-reader/locate", test_locate);
#undef ADD
  return g_test_run ();
}
