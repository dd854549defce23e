/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-db: the auditor's queries and verify on a large log.
 *
 *   bench-db --db FILE [--runs N] [--page N] [--sqlite3 PROGRAM]
 *
 * FILE is a demo database (insucard-cli db make-demo; tests/bench/run-bench-db
 * makes one of 1,000,000 audit rows and 200,000 cards).  For every auditor
 * filter it times the first page (cold: first run; warm: median of N),
 * the next page by keyset, a capped count, then the same SQL in the
 * sqlite3 shell (.timer), card lookups, verify of the whole chain with
 * every seal checked, and the peak RSS.  Targets: first page < 100 ms,
 * ratio to the shell <= 1.5, verify < 3 s, peak RSS < 150 MB.
 * docs/performance.md has results and how to reproduce them.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <gio/gio.h>

#include "cli-sealer.h"
#include "db-query-private.h"
#include "db-registry.h"
#include "db-verify.h"

typedef struct {
  const char *name;
  DbAuditFilter filter;
} Case;

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v, int n)
{
  qsort (v, n, sizeof *v, compare_double);
  return v[n / 2];
}

/* Wall time in ms of one sqlite3 shell session running script. */
static double
shell_session_ms (const char *shell, const char *path, const char *script)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) proc = NULL;
  double t0 = now_ms ();

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                           &error, shell, "-readonly", path, NULL);
  if (proc == NULL || !g_subprocess_communicate_utf8 (proc, script, NULL, NULL, NULL, &error))
    {
      g_printerr ("bench-db: %s: %s\n", shell, error->message);
      return -1;
    }
  return now_ms () - t0;
}

/* The shell's ".timer" has millisecond resolution, too coarse here: one
 * session runs the query reps times, another "SELECT 1" as often, and
 * the difference per repetition is the query's time (prepare, run,
 * print), without the shell's start and the file's opening. */
static double
shell_ms (const char *shell, const char *path, const char *sql, int reps)
{
  g_autoptr (GString) query = g_string_new (".output /dev/null\n");
  g_autoptr (GString) baseline = g_string_new (".output /dev/null\n");
  double q, b;

  g_string_append_printf (query, "%s;\n", sql); /* warm the cache */
  g_string_append (baseline, "SELECT 1;\n");
  for (int i = 0; i < reps; i++)
    {
      g_string_append_printf (query, "%s;\n", sql);
      g_string_append (baseline, "SELECT 1;\n");
    }
  q = shell_session_ms (shell, path, query->str);
  b = shell_session_ms (shell, path, baseline->str);
  if (q < 0 || b < 0)
    return -1;
  return MAX (q - b, 0.0) / (reps + 1);
}

typedef struct {
  double cold, warm, next, count;
  guint rows;
} Timing;

static Timing
time_case (DbDatabase *db, const DbAuditFilter *f, guint page, int runs)
{
  g_autofree double *warm = g_new0 (double, runs);
  g_autofree double *next = g_new0 (double, runs);
  g_autofree double *count = g_new0 (double, runs);
  Timing t = { 0 };

  for (int i = 0; i <= runs; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) rows = NULL;
      g_autoptr (GPtrArray) more = NULL;
      gint64 n = 0;
      double t0 = now_ms (), t1, t2, t3;

      rows = db_audit_query (db, f, DB_ORDER_NEWEST_FIRST, 0, page, &error);
      t1 = now_ms ();
      if (rows == NULL)
        g_error ("bench-db: %s", error->message);
      if (rows->len > 0)
        more = db_audit_query (db, f, DB_ORDER_NEWEST_FIRST,
                               ((DbAuditRow *) rows->pdata[rows->len - 1])->seq, page, &error);
      t2 = now_ms ();
      if (!db_audit_count (db, f, 10000, &n, &error))
        g_error ("bench-db: %s", error->message);
      t3 = now_ms ();
      if (i == 0)
        {
          t.cold = t1 - t0;
          t.rows = rows->len;
          continue;
        }
      warm[i - 1] = t1 - t0;
      next[i - 1] = t2 - t1;
      count[i - 1] = t3 - t2;
    }
  t.warm = median (warm, runs);
  t.next = median (next, runs);
  t.count = median (count, runs);
  return t;
}

/* Filter values taken from a row in the middle of the log. */
static GPtrArray *
make_cases (DbDatabase *db, DbAuditRow **sample)
{
  g_autoptr (GError) error = NULL;
  DbAuditFilter card_row = { .action = DB_ACTION_READ };
  g_autoptr (GPtrArray) rows = NULL;
  GPtrArray *cases = g_ptr_array_new_with_free_func (g_free);
  DbAuditState state;
  DbAuditRow *r;
  GDateTime *mid;
  Case *c;

  if (!db_audit_get_state (db, &state, &error))
    g_error ("bench-db: %s", error->message);
  rows = db_audit_query (db, &card_row, DB_ORDER_OLDEST_FIRST, state.last_seq / 2, 1, &error);
  db_audit_state_clear (&state);
  if (rows == NULL || rows->len == 0)
    g_error ("bench-db: the log has no read row in its second half");
  r = *sample = g_ptr_array_steal_index (rows, 0);
  mid = g_date_time_new_from_iso8601 (r->at, NULL);

#define CASE(label) (c = g_new0 (Case, 1), c->name = label, g_ptr_array_add (cases, c))
  CASE ("no filter");
  CASE ("date range (30 days)");
  c->filter.since = g_date_time_add_days (mid, -15);
  c->filter.until = g_date_time_add_days (mid, 15);
  CASE ("operator");
  c->filter.operator_serial = r->operator_serial;
  CASE ("workstation");
  c->filter.workstation = r->workstation;
  CASE ("action (report-lost)");
  c->filter.action = DB_ACTION_REPORT_LOST;
  CASE ("outcome (failed)");
  c->filter.outcome = DB_OUTCOME_FAILED;
  CASE ("card number");
  c->filter.card_number = r->card_number;
  CASE ("card SN");
  c->filter.card_sn = r->card_sn;
  CASE ("holder ID");
  c->filter.holder_id = r->holder_id;
  CASE ("workstation + action + outcome");
  c->filter.workstation = r->workstation;
  c->filter.action = DB_ACTION_CLEAR;
  c->filter.outcome = DB_OUTCOME_FAILED;
  CASE ("operator + date range (7 days)");
  c->filter.operator_serial = r->operator_serial;
  c->filter.since = g_date_time_add_days (mid, -7);
  c->filter.until = mid;
  mid = NULL;
  CASE ("holder + outcome ok");
  c->filter.holder_id = r->holder_id;
  c->filter.outcome = DB_OUTCOME_OK;
  CASE ("SN that matches nothing");
  c->filter.card_sn = "FFFFFFFFFFFFFFFF";
#undef CASE
  return cases;
}

static void
lookups (DbDatabase *db, const DbAuditRow *r, int runs)
{
  g_autofree double *by_sn = g_new0 (double, runs);
  g_autofree double *by_number = g_new0 (double, runs);

  for (int i = 0; i < runs; i++)
    {
      g_autoptr (DbCard) a = NULL;
      g_autoptr (DbCard) b = NULL;
      double t0 = now_ms (), t1;

      a = db_cards_get_by_sn (db, r->card_sn, NULL);
      t1 = now_ms ();
      b = db_cards_get_by_number (db, r->card_number, NULL);
      by_sn[i] = t1 - t0;
      by_number[i] = now_ms () - t1;
      g_assert (a != NULL && b != NULL);
    }
  g_print ("\ncard lookup by SN: %.3f ms, by card number: %.3f ms (median of %d)\n",
           median (by_sn, runs), median (by_number, runs), runs);
}

/* The exact "N rows" of a list: all rows, and one workstation's. */
static void
exact_counts (DbDatabase *db, const DbAuditRow *r)
{
  DbAuditFilter all = { 0 }, desk = { .workstation = r->workstation };
  const DbAuditFilter *filters[] = { &all, &desk };

  for (gsize i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      gint64 n = 0;
      double t0 = now_ms ();

      if (!db_audit_count (db, filters[i], 0, &n, NULL))
        g_error ("bench-db: count failed");
      g_print ("exact count%s: %lld rows in %.1f ms\n", i == 0 ? "" : " of one workstation",
               (long long) n, now_ms () - t0);
    }
}

static void
verify (DbDatabase *db)
{
  g_autoptr (GError) error = NULL;
  DbVerifyReport report;
  double t0 = now_ms (), t;

  if (!db_audit_verify (db, cli_soft_sealer (), &report, &error))
    g_error ("bench-db: %s", error->message);
  t = now_ms () - t0;
  g_print ("verify: %lld rows, %lld seals checked, %s, %.0f ms (%.0f rows/s)\n",
           (long long) report.rows, (long long) report.seals_genuine,
           db_verify_report_is_intact (&report) ? "intact" : "NOT INTACT", t,
           report.rows / (t / 1000.0));
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) options = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (GPtrArray) cases = NULL;
  g_autoptr (DbAuditRow) sample = NULL;
  g_autofree char *path = NULL;
  g_autofree char *shell = g_strdup ("sqlite3");
  gint runs = 5, page = 100;
  struct rusage usage;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &path, "The demo database", "FILE" },
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Warm runs per query (default 5)", "N" },
    { "page", 0, 0, G_OPTION_ARG_INT, &page, "Rows per page (default 100)", "N" },
    { "sqlite3", 0, 0, G_OPTION_ARG_FILENAME, &shell, "The sqlite3 shell", "PROGRAM" },
    { NULL },
  };

  options = g_option_context_new ("- time the auditor's queries and verify");
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || path == NULL || runs < 1
      || page < 1)
    {
      g_printerr ("bench-db: %s\n", error != NULL ? error->message : "give --db FILE");
      return 2;
    }
  db = db_database_open (path, DB_MODE_TRAINING, DB_OPEN_READ_ONLY, &error);
  if (db == NULL)
    {
      g_printerr ("bench-db: %s\n", error->message);
      return 1;
    }
  {
    g_autofree char *found = g_find_program_in_path (shell);

    if (found == NULL)
      g_clear_pointer (&shell, g_free);
  }

  cases = make_cases (db, &sample);
  g_print ("bench-db: %s, first page of %d rows newest first; warm = median of %d runs\n\n", path,
           page, runs);
  g_print ("| filter | rows | cold ms | warm ms | next page ms | count<=10k ms | sqlite3 ms | "
           "ratio |\n|---|---|---|---|---|---|---|---|\n");
  for (guint i = 0; i < cases->len; i++)
    {
      Case *c = cases->pdata[i];
      Timing t = time_case (db, &c->filter, page, runs);
      g_autofree char *sql = db_audit_query_sql_literal (&c->filter, DB_ORDER_NEWEST_FIRST, page);
      double s = shell != NULL ? shell_ms (shell, path, sql, runs * 20) : -1;

      g_print ("| %s | %u | %.2f | %.2f | %.2f | %.2f | ", c->name, t.rows, t.cold, t.warm, t.next,
               t.count);
      if (s > 0.005)
        g_print ("%.2f | %.2f |\n", s, t.warm / s);
      else if (s >= 0)
        g_print ("< 0.01 | - |\n"); /* below what the shell's timing can tell */
      else
        g_print ("- | - |\n");
      g_clear_pointer (&c->filter.since, g_date_time_unref);
      g_clear_pointer (&c->filter.until, g_date_time_unref);
    }
  lookups (db, sample, runs * 20);
  exact_counts (db, sample);
  verify (db);
  getrusage (RUSAGE_SELF, &usage);
  g_print ("peak RSS: %.1f MB\n", usage.ru_maxrss / 1024.0);
  return 0;
}
