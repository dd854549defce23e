/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-db-query.c: the auditor's queries: every filter alone and combined,
 * keyset pages in both orders, counts, the index each filter uses, and the
 * CSV export (RFC 4180, BOM, formula guard, all or nothing). */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "db-export.h"
#include "db-query-private.h"
#include "db-test-util.h"

#define N_ROWS 600

/* What row i (1-based) holds; the test knows the answer to every filter. */
typedef struct {
  GDateTime *at;
  char workstation[16];
  char operator_serial[20];
  DbAction action;
  DbOutcome outcome;
  char card_sn[20];
  char card_number[12];
  char holder_id[20];
} Spec;

static Spec specs[N_ROWS + 1];
static GDateTime *base;

static const DbAction cycle[] = { DB_ACTION_LOGIN,        DB_ACTION_READ,        DB_ACTION_ISSUE,
                                  DB_ACTION_ISSUE_FINISH, DB_ACTION_REPORT_LOST, DB_ACTION_LOGOUT,
                                  DB_ACTION_READ };

static void
make_specs (void)
{
  base = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  for (int i = 1; i <= N_ROWS; i++)
    {
      Spec *s = &specs[i];

      /* Two rows per hour: ties in time are ordered by seq. */
      s->at = g_date_time_add_hours (base, i / 2);
      g_snprintf (s->workstation, sizeof s->workstation, "DESK-%d", i % 3);
      g_snprintf (s->operator_serial, sizeof s->operator_serial, "86000000000000%02d", i % 4);
      s->action = cycle[i % G_N_ELEMENTS (cycle)];
      s->outcome = i % 10 == 0  ? DB_OUTCOME_FAILED
                   : i % 7 == 0 ? DB_OUTCOME_REFUSED
                                : DB_OUTCOME_OK;
      if (i % 5 != 0)
        {
          g_snprintf (s->card_sn, sizeof s->card_sn, "80000000000000%02d", i % 50);
          g_snprintf (s->card_number, sizeof s->card_number, "51000000%02d", i % 50);
        }
      if (i % 2 == 0)
        g_snprintf (s->holder_id, sizeof s->holder_id, "5104021990010100%02d", i % 20);
    }
}

static void
fill (DbDatabase *db)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (db_database_begin (db, &error));
  for (int i = 1; i <= N_ROWS; i++)
    {
      Spec *s = &specs[i];
      g_autofree char *detail = g_strdup_printf ("row %d", i);
      DbAuditEntry e = {
        .actor = { .workstation = s->workstation,
                   .operator_serial = s->operator_serial,
                   .operator_name = "王芳",
                   .role = "issuing-admin" },
        .action = s->action,
        .card_sn = s->card_sn,
        .card_number = s->card_number,
        .holder_id = s->holder_id,
        .outcome = s->outcome,
        .error_code = s->outcome == DB_OUTCOME_OK ? "" : "E42",
        .detail = detail,
        .at = s->at,
      };
      gint64 seq;

      g_assert_true (db_audit_append (db, &e, &seq, &error));
      g_assert_cmpint (seq, ==, i);
    }
  g_assert_true (db_database_commit (db, &error));
  g_assert_no_error (error);
}

static gboolean
matches (gint64 seq, const DbAuditFilter *f)
{
  const Spec *s = &specs[seq];

  if (f->through_seq > 0 && seq > f->through_seq)
    return FALSE;
  if (f->since != NULL && g_date_time_compare (s->at, f->since) < 0)
    return FALSE;
  if (f->until != NULL && g_date_time_compare (s->at, f->until) >= 0)
    return FALSE;
  return (f->operator_serial == NULL || strcmp (f->operator_serial, s->operator_serial) == 0)
         && (f->workstation == NULL || strcmp (f->workstation, s->workstation) == 0)
         && (f->action == DB_ACTION_ANY || f->action == s->action)
         && (f->outcome == DB_OUTCOME_ANY || f->outcome == s->outcome)
         && (f->card_number == NULL || strcmp (f->card_number, s->card_number) == 0)
         && (f->card_sn == NULL || strcmp (f->card_sn, s->card_sn) == 0)
         && (f->holder_id == NULL || strcmp (f->holder_id, s->holder_id) == 0);
}

/* Reads every page of page_size rows and checks them against specs. */
/* The rows of f in order, as the test computes them (seq numbers). */
static GArray *
wanted (const DbAuditFilter *f, DbOrder order)
{
  GArray *want = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (gint64 i = 1; i <= N_ROWS; i++)
    if (matches (i, f))
      g_array_append_val (want, i);
  if (order == DB_ORDER_NEWEST_FIRST)
    for (guint a = 0, b = want->len; a + 1 < b; a++, b--)
      {
        gint64 t = g_array_index (want, gint64, a);

        g_array_index (want, gint64, a) = g_array_index (want, gint64, b - 1);
        g_array_index (want, gint64, b - 1) = t;
      }
  return want;
}

static void
check_filter (DbDatabase *db, const DbAuditFilter *f, DbOrder order, guint page_size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) want = wanted (f, order);
  gint64 after = 0, count = 0;
  guint got = 0;

  for (;;)
    {
      g_autoptr (GPtrArray) page = db_audit_query (db, f, order, after, page_size, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, <=, page_size);
      for (guint i = 0; i < page->len; i++)
        {
          DbAuditRow *row = page->pdata[i];
          g_autofree char *detail = g_strdup_printf ("row %" G_GINT64_FORMAT, row->seq);

          g_assert_cmpuint (got, <, want->len);
          g_assert_cmpint (row->seq, ==, g_array_index (want, gint64, got));
          g_assert_cmpstr (row->detail, ==, detail);
          g_assert_cmpstr (row->workstation, ==, specs[row->seq].workstation);
          g_assert_cmpstr (row->action, ==, db_action_to_string (specs[row->seq].action));
          got++;
        }
      if (page->len < page_size)
        break;
      after = ((DbAuditRow *) page->pdata[page->len - 1])->seq;
    }
  g_assert_cmpuint (got, ==, want->len);

  g_assert_true (db_audit_count (db, f, 0, &count, &error));
  g_assert_cmpint (count, ==, want->len);
  g_assert_true (db_audit_count (db, f, 5, &count, &error));
  g_assert_cmpint (count, ==, MIN (5, want->len));
}

typedef struct {
  const char *name;
  DbAuditFilter filter;
  gboolean one_index; /* served by one index in time order: no sorting */
} Case;

static GPtrArray *
cases (void)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_free);
  Case *c;

#define CASE(n, one)                                                                               \
  (c = g_new0 (Case, 1), c->name = n, c->one_index = one, g_ptr_array_add (list, c))
  CASE ("everything", TRUE);
  CASE ("date range", TRUE);
  c->filter.since = g_date_time_add_hours (base, 40);
  c->filter.until = g_date_time_add_hours (base, 100);
  CASE ("operator", TRUE);
  c->filter.operator_serial = "8600000000000003";
  CASE ("workstation", TRUE);
  c->filter.workstation = "DESK-1";
  CASE ("action", TRUE);
  c->filter.action = DB_ACTION_REPORT_LOST;
  CASE ("outcome", TRUE);
  c->filter.outcome = DB_OUTCOME_FAILED;
  CASE ("card number", TRUE);
  c->filter.card_number = "5100000007";
  CASE ("card SN", TRUE);
  c->filter.card_sn = "8000000000000013";
  CASE ("holder", TRUE);
  c->filter.holder_id = "510402199001010004";
  CASE ("workstation + action + outcome", FALSE);
  c->filter.workstation = "DESK-2";
  c->filter.action = DB_ACTION_READ;
  c->filter.outcome = DB_OUTCOME_OK;
  CASE ("SN + since", FALSE);
  c->filter.card_sn = "8000000000000021";
  c->filter.since = g_date_time_add_hours (base, 120);
  CASE ("operator + holder + until", FALSE);
  c->filter.operator_serial = "8600000000000002";
  c->filter.holder_id = "510402199001010002";
  c->filter.until = g_date_time_add_hours (base, 200);
  CASE ("no such SN", TRUE);
  c->filter.card_sn = "FFFFFFFFFFFFFFFF";
  CASE ("through row 400", TRUE);
  c->filter.through_seq = 400;
  CASE ("action through row 333", TRUE);
  c->filter.action = DB_ACTION_READ;
  c->filter.through_seq = 333;
#undef CASE
  return list;
}

static void
case_free_times (Case *c)
{
  g_clear_pointer (&c->filter.since, g_date_time_unref);
  g_clear_pointer (&c->filter.until, g_date_time_unref);
}

static void
test_filters_and_pages (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GPtrArray) list = cases ();

  fill (fx->db);
  for (guint i = 0; i < list->len; i++)
    {
      Case *c = list->pdata[i];

      g_test_message ("filter: %s", c->name);
      check_filter (fx->db, &c->filter, DB_ORDER_OLDEST_FIRST, 7);
      check_filter (fx->db, &c->filter, DB_ORDER_NEWEST_FIRST, 50);
      check_filter (fx->db, &c->filter, DB_ORDER_OLDEST_FIRST, 10000);
      case_free_times (c);
    }
}

/* Each single filter is one index range in time order: the first page
 * never scans the table or sorts it, however large the log. */
static void
test_filters_use_indexes (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GPtrArray) list = cases ();
  sqlite3 *raw;

  fill (fx->db);
  raw = dbt_raw_open (fx->path);
  for (guint i = 0; i < list->len; i++)
    {
      Case *c = list->pdata[i];
      g_autofree char *sql = db_audit_query_sql_literal (&c->filter, DB_ORDER_NEWEST_FIRST, 50);
      g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
      g_autoptr (GString) plan = g_string_new (NULL);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (raw, explain, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (plan, "%s; ", sqlite3_column_text (stmt, 3));
      sqlite3_finalize (stmt);
      g_test_message ("%s: %s", c->name, plan->str);
      g_assert_nonnull (strstr (plan->str, "USING INDEX"));
      if (c->one_index)
        g_assert_null (strstr (plan->str, "TEMP B-TREE"));
      case_free_times (c);
    }
  sqlite3_close (raw);
}

/* Seeking to a position gives the row the pages reach there; a row's
 * position is where the pages have it. */
static void
test_seek_and_position (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GPtrArray) list = cases ();
  g_autoptr (GError) error = NULL;

  fill (fx->db);
  for (guint i = 0; i < list->len; i++)
    {
      Case *c = list->pdata[i];

      g_test_message ("filter: %s", c->name);
      for (DbOrder order = DB_ORDER_OLDEST_FIRST; order <= DB_ORDER_NEWEST_FIRST; order++)
        {
          g_autoptr (GArray) want = wanted (&c->filter, order);
          gint64 seq = -1, position = -1;
          gboolean in = FALSE;

          for (guint k = 0; k < want->len; k += 1 + k / 3)
            {
              g_assert_true (db_audit_seek (fx->db, &c->filter, order, k, &seq, &error));
              g_assert_no_error (error);
              g_assert_cmpint (seq, ==, g_array_index (want, gint64, k));
              g_assert_true (
                  db_audit_position (fx->db, &c->filter, order, seq, &position, &in, &error));
              g_assert_no_error (error);
              g_assert_cmpint (position, ==, k);
              g_assert_true (in);
            }
          g_assert_true (db_audit_seek (fx->db, &c->filter, order, want->len, &seq, &error));
          g_assert_cmpint (seq, ==, 0);
          /* A row outside the filter: where it would stand, and not in. */
          for (gint64 s = 1; s <= N_ROWS; s += 37)
            if (!matches (s, &c->filter))
              {
                gint64 before = 0;

                for (guint k = 0; k < want->len; k++)
                  {
                    gint64 w = g_array_index (want, gint64, k);

                    if (order == DB_ORDER_OLDEST_FIRST
                            ? g_date_time_compare (specs[w].at, specs[s].at) < 0
                                  || (g_date_time_compare (specs[w].at, specs[s].at) == 0 && w < s)
                            : g_date_time_compare (specs[w].at, specs[s].at) > 0
                                  || (g_date_time_compare (specs[w].at, specs[s].at) == 0 && w > s))
                      before++;
                  }
                g_assert_true (
                    db_audit_position (fx->db, &c->filter, order, s, &position, &in, &error));
                g_assert_false (in);
                g_assert_cmpint (position, ==, before);
                break;
              }
        }
      case_free_times (c);
    }
  g_assert_false (db_audit_position (fx->db, NULL, DB_ORDER_NEWEST_FIRST, N_ROWS + 1,
                                     &(gint64){ 0 }, &(gboolean){ FALSE }, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_NOT_FOUND);
}

/* Totals per action and per operator add up to what the test wrote. */
static void
test_totals (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) by_action = NULL;
  g_autoptr (GPtrArray) by_operator = NULL;
  DbAuditFilter f = { .since = g_date_time_add_hours (base, 10), .through_seq = 500 };
  g_autoptr (GArray) all = wanted (&f, DB_ORDER_OLDEST_FIRST);
  gint64 sum = 0;

  fill (fx->db);
  by_action = db_audit_totals (fx->db, &f, DB_AUDIT_BY_ACTION, &error);
  g_assert_no_error (error);
  by_operator = db_audit_totals (fx->db, &f, DB_AUDIT_BY_OPERATOR, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < by_action->len; i++)
    {
      DbAuditTotal *t = by_action->pdata[i];
      gint64 rows = 0, ok = 0, refused = 0, failed = 0;

      for (gint64 s = 1; s <= N_ROWS; s++)
        if (matches (s, &f) && g_strcmp0 (db_action_to_string (specs[s].action), t->key) == 0)
          {
            rows++;
            ok += specs[s].outcome == DB_OUTCOME_OK;
            refused += specs[s].outcome == DB_OUTCOME_REFUSED;
            failed += specs[s].outcome == DB_OUTCOME_FAILED;
          }
      g_assert_cmpint (t->rows, ==, rows);
      g_assert_cmpint (t->ok, ==, ok);
      g_assert_cmpint (t->refused, ==, refused);
      g_assert_cmpint (t->failed, ==, failed);
      g_assert_cmpstr (t->name, ==, "");
      if (i > 0)
        g_assert_cmpint (((DbAuditTotal *) by_action->pdata[i - 1])->rows, >=, t->rows);
      sum += t->rows;
    }
  g_assert_cmpint (sum, ==, all->len);
  g_assert_cmpuint (by_operator->len, ==, 4);
  sum = 0;
  for (guint i = 0; i < by_operator->len; i++)
    {
      DbAuditTotal *t = by_operator->pdata[i];
      gint64 rows = 0;

      for (gint64 s = 1; s <= N_ROWS; s++)
        rows += matches (s, &f) && g_strcmp0 (specs[s].operator_serial, t->key) == 0;
      g_assert_cmpint (t->rows, ==, rows);
      g_assert_cmpint (t->ok + t->refused + t->failed, ==, rows);
      g_assert_cmpstr (t->name, ==, "王芳");
      sum += t->rows;
    }
  g_assert_cmpint (sum, ==, all->len);
  g_date_time_unref (f.since);
}

/* The chain head is the newest row and the hash stored with it. */
static void
test_head (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint8 hash[DB_AUDIT_HASH_LEN], want[DB_AUDIT_HASH_LEN];
  gint64 seq = -1;
  sqlite3 *raw;
  sqlite3_stmt *stmt = NULL;

  g_assert_true (db_audit_get_head (fx->db, &seq, hash, &error));
  g_assert_cmpint (seq, ==, 0);
  fill (fx->db);
  g_assert_true (db_audit_get_head (fx->db, &seq, hash, &error));
  g_assert_no_error (error);
  g_assert_cmpint (seq, ==, N_ROWS);
  raw = dbt_raw_open (fx->path);
  g_assert_cmpint (
      sqlite3_prepare_v2 (raw, "SELECT hash FROM audit_log WHERE seq = 600", -1, &stmt, NULL), ==,
      SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_bytes (stmt, 0), ==, DB_AUDIT_HASH_LEN);
  memcpy (want, sqlite3_column_blob (stmt, 0), DB_AUDIT_HASH_LEN);
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
  g_assert_cmpmem (hash, sizeof hash, want, sizeof want);
}

static void
test_after_missing_row (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  dbt_append (fx->db, DB_ACTION_LOGIN, NULL, NULL);
  g_assert_null (db_audit_query (fx->db, NULL, DB_ORDER_OLDEST_FIRST, 99, 10, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "99"));
}

static char *
read_file (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

static void
test_export_csv (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "log.csv", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *expected = NULL;
  g_auto (GStrv) lines = NULL;
  const char *details[] = { "plain",    "a,b", "say \"hi\"", "line1\nline2", "=HYPERLINK(\"x\")",
                            "张三 补卡" };
  DbAuditFilter only_ok = { .outcome = DB_OUTCOME_OK };
  gint64 rows = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (details); i++)
    dbt_append (fx->db, DB_ACTION_READ, "8000000000000001", details[i]);

  g_assert_true (db_audit_export_csv (fx->db, NULL, path, DB_CSV_DEFAULT, &rows, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rows, ==, 6);
  csv = read_file (path);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==,
                   "seq,at,workstation,operator_serial,operator_name,role,action,card_sn,"
                   "card_number,holder_id,outcome,error_code,detail");
  g_assert_true (g_str_has_suffix (lines[1], ",read,8000000000000001,,,ok,,plain"));
  g_assert_true (g_str_has_prefix (lines[1], "1,20"));
  g_assert_true (g_str_has_suffix (lines[2], ",\"a,b\""));
  g_assert_true (g_str_has_suffix (lines[3], ",\"say \"\"hi\"\"\""));
  g_assert_true (g_str_has_suffix (lines[4], ",\"line1\nline2\""));
  g_assert_true (g_str_has_suffix (lines[5], ",\"'=HYPERLINK(\"\"x\"\")\""));
  g_assert_true (g_str_has_suffix (lines[6], ",张三 补卡"));
  g_assert_nonnull (strstr (lines[6], ",李四,issuing-admin,"));
  g_assert_cmpstr (lines[7], ==, "");
  g_assert_null (lines[8]);

  /* With a BOM, and filtered; an existing file is replaced whole. */
  g_assert_true (db_audit_export_csv (fx->db, &only_ok, path, DB_CSV_BOM, &rows, &error));
  g_assert_cmpint (rows, ==, 6);
  g_clear_pointer (&csv, g_free);
  csv = read_file (path);
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBFseq,at,"));
  only_ok.outcome = DB_OUTCOME_FAILED;
  g_assert_true (db_audit_export_csv (fx->db, &only_ok, path, DB_CSV_DEFAULT, &rows, &error));
  g_assert_cmpint (rows, ==, 0);
  g_clear_pointer (&csv, g_free);
  csv = read_file (path);
  expected = g_strconcat (strchr (lines[0], 's'), "\r\n", NULL);
  g_assert_cmpstr (csv, ==, expected);
}

static void
test_export_bad_folder (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "missing", "log.csv", NULL);

  dbt_append (fx->db, DB_ACTION_READ, NULL, NULL);
  g_assert_false (db_audit_export_csv (fx->db, NULL, path, DB_CSV_DEFAULT, NULL, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, path));
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  make_specs ();

#define ADD(path, fn) g_test_add (path, DbFixture, NULL, dbt_set_up, fn, dbt_tear_down)
  ADD ("/db/query/filters-and-pages", test_filters_and_pages);
  ADD ("/db/query/filters-use-indexes", test_filters_use_indexes);
  ADD ("/db/query/seek-and-position", test_seek_and_position);
  ADD ("/db/query/totals", test_totals);
  ADD ("/db/query/head", test_head);
  ADD ("/db/query/after-missing-row", test_after_missing_row);
  ADD ("/db/export/csv", test_export_csv);
  ADD ("/db/export/bad-folder", test_export_bad_folder);
#undef ADD

  rc = g_test_run ();
  for (int i = 1; i <= N_ROWS; i++)
    g_date_time_unref (specs[i].at);
  g_date_time_unref (base);
  return rc;
}
