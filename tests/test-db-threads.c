/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-db-threads.c: the threading contract of db-database.h with real
 * threads: one connection per thread; writers (appending and sealing)
 * queue on the write lock while readers page through the log and verify
 * it, always seeing a consistent snapshot. */
#include "config.h"

#include "cli-sealer.h"
#include "db-query.h"
#include "db-test-util.h"
#include "db-verify.h"

#define N_WRITERS 4
#define ROWS_PER_WRITER 100
#define SEAL_EVERY 25
#define N_READERS 2

typedef struct {
  DbDatabase *connections[N_WRITERS + N_READERS];
  gint writers_left;
  gint reads;
} Shared;

typedef struct {
  Shared *shared;
  int index;
} Job;

static gpointer
writer (gpointer data)
{
  Job *job = data;
  DbDatabase *db = job->shared->connections[job->index];
  g_autofree char *desk = g_strdup_printf ("DESK-%d", job->index);
  DbActor actor = dbt_actor ();

  actor.workstation = desk;
  for (int i = 0; i < ROWS_PER_WRITER; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *detail = g_strdup_printf ("%d", i);
      DbAuditEntry e = {
        .actor = actor, .action = DB_ACTION_READ, .outcome = DB_OUTCOME_OK, .detail = detail
      };

      g_assert_true (db_audit_append (db, &e, NULL, &error));
      g_assert_no_error (error);
      if (i % SEAL_EVERY == SEAL_EVERY - 1)
        {
          g_assert_true (db_audit_seal (db, &actor, cli_soft_sealer (), NULL, NULL, &error));
          g_assert_no_error (error);
        }
    }
  g_atomic_int_dec_and_test (&job->shared->writers_left);
  return NULL;
}

static gpointer
reader (gpointer data)
{
  Job *job = data;
  DbDatabase *db = job->shared->connections[job->index];
  DbAuditFilter desk0 = { .workstation = "DESK-0" };

  while (g_atomic_int_get (&job->shared->writers_left) > 0)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) page = NULL;
      DbVerifyReport report;
      gint64 n = 0;

      page = db_audit_query (db, &desk0, DB_ORDER_NEWEST_FIRST, 0, 20, &error);
      g_assert_no_error (error);
      g_assert_true (db_audit_count (db, NULL, 0, &n, &error));
      g_assert_true (db_audit_verify (db, cli_soft_sealer (), &report, &error));
      g_assert_no_error (error);
      g_assert_true (db_verify_report_is_intact (&report));
      /* Rows only grow: the later snapshot has at least the counted ones. */
      g_assert_cmpint (report.rows, >=, n);
      g_atomic_int_inc (&job->shared->reads);
      /* Leave the writers some CPU: under valgrind threads take turns. */
      g_usleep (2000);
    }
  return NULL;
}

static void
test_connection_per_thread (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GThread *threads[N_WRITERS + N_READERS];
  Job jobs[N_WRITERS + N_READERS];
  Shared shared = { .writers_left = N_WRITERS };
  DbVerifyReport report;

  for (int i = 0; i < N_WRITERS + N_READERS; i++)
    {
      shared.connections[i] = db_database_open_sibling (fx->db, &error);
      g_assert_no_error (error);
      /* Under valgrind a writer may wait long for the others. */
      db_database_set_busy_timeout (shared.connections[i], 60000);
      jobs[i] = (Job){ &shared, i };
    }
  for (int i = 0; i < N_WRITERS + N_READERS; i++)
    threads[i] = g_thread_new ("db-test", i < N_WRITERS ? writer : reader, &jobs[i]);
  for (int i = 0; i < N_WRITERS + N_READERS; i++)
    g_thread_join (threads[i]);
  for (int i = 0; i < N_WRITERS + N_READERS; i++)
    db_database_close (shared.connections[i]);
  g_test_message ("%d verifications while writing", g_atomic_int_get (&shared.reads));

  g_assert_true (db_audit_verify (fx->db, cli_soft_sealer (), &report, &error));
  g_assert_true (db_verify_report_is_intact (&report));
  g_assert_cmpint (report.rows, ==, N_WRITERS * (ROWS_PER_WRITER + ROWS_PER_WRITER / SEAL_EVERY));
  g_assert_cmpint (report.seals_genuine, ==, N_WRITERS * ROWS_PER_WRITER / SEAL_EVERY);

  /* Each writer's rows are all there, in the order it wrote them. */
  for (int w = 0; w < N_WRITERS; w++)
    {
      g_autofree char *desk = g_strdup_printf ("DESK-%d", w);
      DbAuditFilter mine = { .workstation = desk, .action = DB_ACTION_READ };
      g_autoptr (GPtrArray) rows =
          db_audit_query (fx->db, &mine, DB_ORDER_OLDEST_FIRST, 0, 1000, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (rows->len, ==, ROWS_PER_WRITER);
      for (guint i = 0; i < rows->len; i++)
        g_assert_cmpint (g_ascii_strtoll (((DbAuditRow *) rows->pdata[i])->detail, NULL, 10), ==,
                         i);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/db/threads/connection-per-thread", DbFixture, NULL, dbt_set_up,
              test_connection_per_thread, dbt_tear_down);
  return g_test_run ();
}
