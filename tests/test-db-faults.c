/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-db-faults.c: what goes wrong on a real desk, each with a clear
 * message and nothing half-written: another process holding the write
 * lock beyond the busy timeout, a full disk (a small tmpfs), a read-only
 * file, and a process killed in the middle of a transaction.
 *
 * Helpers run as separate processes of this same program
 * (test-db-faults --hold-lock PATH, --write-forever PATH, --die-in-tx PATH);
 * the tmpfs cases run in a g_test_trap_subprocess() with its own mount
 * namespace, and skip when mounting is impossible (not root). */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "cli-sealer.h"
#include "db-query.h"
#include "db-test-util.h"
#include "db-verify.h"

static const char *self;

/* --- helper processes --------------------------------------------------- */

static int
helper_hold_lock (const char *path)
{
  sqlite3 *raw = dbt_raw_open (path);
  char buf[16];

  dbt_raw_exec (raw, "BEGIN IMMEDIATE;");
  printf ("locked\n");
  fflush (stdout);
  while (fread (buf, 1, sizeof buf, stdin) > 0)
    ;
  dbt_raw_exec (raw, "ROLLBACK;");
  sqlite3_close (raw);
  return 0;
}

/* Appends forever: single rows, groups of 200 in one transaction, a seal
 * every 100; prints the committed total after each commit. */
static int
helper_write_forever (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = db_database_open (path, DB_MODE_TRAINING, DB_OPEN_DEFAULT, &error);
  DbActor actor = dbt_actor ();
  gint64 total = 0;

  g_assert_no_error (error);
  for (int round = 0;; round++)
    {
      if (round % 5 == 4)
        {
          g_assert_true (db_database_begin (db, &error));
          for (int i = 0; i < 200; i++)
            {
              g_autofree char *detail = g_strdup_printf ("group %d", round);

              dbt_append (db, DB_ACTION_IMPORT, NULL, detail);
            }
          g_assert_true (db_database_commit (db, &error));
          total += 200;
        }
      else
        {
          dbt_append (db, DB_ACTION_READ, "8000000000000001", "single");
          total++;
        }
      if (round % 100 == 99)
        {
          g_assert_true (db_audit_seal (db, &actor, cli_soft_sealer (), NULL, NULL, &error));
          total++;
        }
      printf ("%" G_GINT64_FORMAT "\n", total);
      fflush (stdout);
    }
  return 0;
}

static int
helper_die_in_tx (const char *path)
{
  g_autoptr (GError) error = NULL;
  DbDatabase *db = db_database_open (path, DB_MODE_TRAINING, DB_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_true (db_database_begin (db, &error));
  for (int i = 0; i < 50; i++)
    dbt_append (db, DB_ACTION_IMPORT, NULL, "never committed");
  raise (SIGKILL);
  return 1;
}

static GPid
spawn_helper (const char *mode, const char *path, int *in, int *out)
{
  g_autoptr (GError) error = NULL;
  const char *argv[] = { self, mode, path, NULL };
  GPid pid = 0;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, in, out, NULL, &error));
  g_assert_no_error (error);
  return pid;
}

static int
wait_child (GPid pid)
{
  int status = 0;

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  return status;
}

static gint64
count_rows (DbDatabase *db, const DbAuditFilter *filter)
{
  g_autoptr (GError) error = NULL;
  gint64 n = -1;

  g_assert_true (db_audit_count (db, filter, 0, &n, &error));
  g_assert_no_error (error);
  return n;
}

static void
assert_intact (DbDatabase *db)
{
  g_autoptr (GError) error = NULL;
  DbVerifyReport report;

  g_assert_true (db_audit_verify (db, cli_soft_sealer (), &report, &error));
  g_assert_no_error (error);
  g_assert_true (db_verify_report_is_intact (&report));
}

/* --- busy ---------------------------------------------------------------- */

static void
test_busy (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DbActor actor = dbt_actor ();
  DbAuditEntry entry = { .actor = actor, .action = DB_ACTION_READ, .outcome = DB_OUTCOME_OK };
  char line[16] = { 0 };
  int in = -1, out = -1;
  gint64 t0, waited;
  GPid pid;

  dbt_append (fx->db, DB_ACTION_LOGIN, NULL, NULL);
  pid = spawn_helper ("--hold-lock", fx->path, &in, &out);
  g_assert_cmpint (read (out, line, sizeof line - 1), >, 0);
  g_assert_cmpstr (line, ==, "locked\n");

  db_database_set_busy_timeout (fx->db, 300);
  t0 = g_get_monotonic_time ();
  g_assert_false (db_audit_append (fx->db, &entry, NULL, &error));
  waited = g_get_monotonic_time () - t0;
  g_assert_error (error, DB_ERROR, DB_ERROR_BUSY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "Close it and try again"));
  g_assert_cmpint (waited, >=, 250 * 1000);
  g_clear_error (&error);
  g_assert_false (db_audit_seal (fx->db, &actor, cli_soft_sealer (), NULL, NULL, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_BUSY);
  g_clear_error (&error);
  /* Reading goes on while the other process writes (WAL). */
  g_assert_cmpint (count_rows (fx->db, NULL), ==, 1);

  close (in);
  close (out);
  g_assert_cmpint (wait_child (pid), ==, 0);
  g_assert_true (db_audit_append (fx->db, &entry, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fx->db, NULL), ==, 2);
  assert_intact (fx->db);
}

/* --- crashes ------------------------------------------------------------- */

static void
test_killed_mid_transaction (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GPid pid;

  dbt_append (fx->db, DB_ACTION_LOGIN, NULL, NULL);
  pid = spawn_helper ("--die-in-tx", fx->path, NULL, NULL);
  g_assert_true (WIFSIGNALED (wait_child (pid)));
  g_clear_pointer (&fx->db, db_database_close);
  fx->db = db_database_open (fx->path, DB_MODE_TRAINING, DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fx->db, NULL), ==, 1);
  assert_intact (fx->db);
  dbt_append (fx->db, DB_ACTION_LOGOUT, NULL, NULL);
  assert_intact (fx->db);
}

static void
test_killed_while_writing (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GIOChannel) channel = NULL;
  gint64 committed = 0, rows;
  int out = -1;
  GPid pid;

  g_clear_pointer (&fx->db, db_database_close);
  pid = spawn_helper ("--write-forever", fx->path, NULL, &out);
  channel = g_io_channel_unix_new (out);
  g_io_channel_set_close_on_unref (channel, TRUE);
  while (committed < 1000)
    {
      g_autofree char *line = NULL;

      g_assert_cmpint (g_io_channel_read_line (channel, &line, NULL, NULL, &error), ==,
                       G_IO_STATUS_NORMAL);
      committed = g_ascii_strtoll (line, NULL, 10);
    }
  kill (pid, SIGKILL);
  g_assert_true (WIFSIGNALED (wait_child (pid)));

  fx->db = db_database_open (fx->path, DB_MODE_TRAINING, DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  rows = count_rows (fx->db, NULL);
  g_test_message ("killed after %" G_GINT64_FORMAT " committed rows; %" G_GINT64_FORMAT
                  " in the file",
                  committed, rows);
  g_assert_cmpint (rows, >=, committed);
  assert_intact (fx->db);
  /* Every group of 200 is there whole or not at all. */
  for (int round = 4; round < 1000; round += 5)
    {
      g_autofree char *detail = g_strdup_printf ("group %d", round);
      g_autoptr (GPtrArray) page = NULL;
      DbAuditFilter imports = { .action = DB_ACTION_IMPORT };
      gint64 n = 0, after = 0;

      do
        {
          g_clear_pointer (&page, g_ptr_array_unref);
          page = db_audit_query (fx->db, &imports, DB_ORDER_OLDEST_FIRST, after, 1000, &error);
          g_assert_no_error (error);
          for (guint i = 0; i < page->len; i++)
            n += g_strcmp0 (((DbAuditRow *) page->pdata[i])->detail, detail) == 0;
          if (page->len > 0)
            after = ((DbAuditRow *) page->pdata[page->len - 1])->seq;
        }
      while (page->len == 1000);
      g_assert_true (n == 0 || n == 200);
      if (n == 0)
        break;
    }
}

/* --- tmpfs: disk full, read-only ----------------------------------------- */

/* In the trap subprocess: a private mount namespace with a tmpfs on dir. */
static gboolean
mount_tmpfs (const char *dir, const char *options)
{
  return unshare (CLONE_NEWNS) == 0 && mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0
         && mount ("tmpfs", dir, "tmpfs", 0, options) == 0;
}

/* Runs the current test in a subprocess that mounts a tmpfs of size on
 * the sandbox; TRUE in that subprocess.  Skips when mounting fails. */
static gboolean
in_tmpfs_subprocess (DbFixture *fx, const char *options, char **mnt)
{
  const char *sandbox = g_getenv ("DB_TEST_SANDBOX");
  g_autofree char *marker = NULL;

  if (g_test_subprocess ())
    {
      *mnt = g_build_filename (sandbox, "mnt", NULL);
      if (!mount_tmpfs (*mnt, options))
        {
          g_autofree char *skip = g_build_filename (sandbox, "cannot-mount", NULL);

          g_file_set_contents (skip, g_strerror (errno), -1, NULL);
          return FALSE;
        }
      return TRUE;
    }
  *mnt = g_build_filename (fx->dir, "mnt", NULL);
  g_assert_cmpint (g_mkdir (*mnt, 0700), ==, 0);
  g_setenv ("DB_TEST_SANDBOX", fx->dir, TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("DB_TEST_SANDBOX");
  marker = g_build_filename (fx->dir, "cannot-mount", NULL);
  if (g_file_test (marker, G_FILE_TEST_EXISTS))
    {
      g_autofree char *why = NULL;

      g_file_get_contents (marker, &why, NULL, NULL);
      g_test_skip_printf ("cannot mount a tmpfs (needs root): %s", why);
      return FALSE;
    }
  g_test_trap_assert_passed ();
  return FALSE;
}

static void
test_disk_full (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *mnt = NULL;
  g_autofree char *path = NULL;
  g_autofree char *filler = NULL;
  g_autofree char *detail = g_strnfill (400, 'd');
  g_autofree char *zeros = g_malloc0 (64 * 1024);
  g_autoptr (DbDatabase) db = NULL;
  DbFixture fx = { 0 };
  DbActor actor = dbt_actor ();
  gint64 appended = 0, before;
  int i;

  if (!g_test_subprocess ())
    dbt_set_up (&fx, NULL);
  if (!in_tmpfs_subprocess (&fx, "size=512k", &mnt))
    {
      if (!g_test_subprocess ())
        dbt_tear_down (&fx, NULL);
      return;
    }

  path = g_build_filename (mnt, "insucard.db", NULL);
  filler = g_build_filename (mnt, "filler", NULL);
  g_assert_true (g_file_set_contents (filler, zeros, 64 * 1024, NULL));
  db = db_database_open (path, DB_MODE_TRAINING, DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  for (i = 0; i < 100000; i++)
    {
      DbAuditEntry e = {
        .actor = actor, .action = DB_ACTION_READ, .outcome = DB_OUTCOME_OK, .detail = detail
      };

      if (!db_audit_append (db, &e, NULL, &error))
        break;
      appended++;
    }
  g_assert_error (error, DB_ERROR, DB_ERROR_FULL);
  g_test_message ("full after %" G_GINT64_FORMAT " rows: %s", appended, error->message);
  g_assert_nonnull (strstr (error->message, "full"));
  g_assert_nonnull (strstr (error->message, "nothing was saved"));
  g_clear_error (&error);

  /* Nothing half-written, here or after a reopen. */
  before = count_rows (db, NULL);
  g_assert_cmpint (before, ==, appended);
  g_assert_false (db_audit_seal (db, &actor, cli_soft_sealer (), NULL, NULL, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_FULL);
  g_clear_error (&error);
  assert_intact (db);
  g_clear_pointer (&db, db_database_close);
  db = db_database_open (path, DB_MODE_TRAINING, DB_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (db, NULL), ==, before);
  assert_intact (db);

  /* Space again: work goes on. */
  g_assert_cmpint (g_remove (filler), ==, 0);
  g_assert_true (db_audit_seal (db, &actor, cli_soft_sealer (), NULL, NULL, &error));
  g_assert_no_error (error);
  assert_intact (db);
}

static void
check_read_only_file (const char *path, gint64 rows)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = NULL;

  g_assert_null (db_database_open (path, DB_MODE_TRAINING, DB_OPEN_DEFAULT, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_READ_ONLY);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "writable"));
  g_clear_error (&error);

  /* An auditor can still read and verify it. */
  db = db_database_open (path, DB_MODE_ANY, DB_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (db, NULL), ==, rows);
  assert_intact (db);
}

static void
make_small_log (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = db_database_open (path, DB_MODE_TRAINING, DB_OPEN_CREATE, &error);
  DbActor actor = dbt_actor ();

  g_assert_no_error (error);
  for (int i = 0; i < 20; i++)
    dbt_append (db, DB_ACTION_READ, NULL, "read-only test");
  g_assert_true (db_audit_seal (db, &actor, cli_soft_sealer (), NULL, NULL, &error));
}

static void
test_read_only (void)
{
  g_autofree char *mnt = NULL;
  g_autofree char *path = NULL;
  DbFixture fx = { 0 };

  if (!g_test_subprocess () && geteuid () != 0)
    {
      /* Without root, permissions are enough. */
      dbt_set_up (&fx, NULL);
      g_clear_pointer (&fx.db, db_database_close);
      g_assert_cmpint (g_remove (fx.path), ==, 0);
      make_small_log (fx.path);
      g_assert_cmpint (g_chmod (fx.path, 0444), ==, 0);
      g_assert_cmpint (g_chmod (fx.dir, 0555), ==, 0);
      check_read_only_file (fx.path, 21);
      g_chmod (fx.dir, 0700);
      dbt_tear_down (&fx, NULL);
      return;
    }
  if (!g_test_subprocess ())
    dbt_set_up (&fx, NULL);
  if (!in_tmpfs_subprocess (&fx, "size=4m", &mnt))
    {
      if (!g_test_subprocess ())
        dbt_tear_down (&fx, NULL);
      return;
    }
  /* Root writes through file modes: make the whole disk read-only. */
  path = g_build_filename (mnt, "insucard.db", NULL);
  make_small_log (path);
  g_assert_cmpint (mount (NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL), ==, 0);
  check_read_only_file (path, 21);
}

int
main (int argc, char **argv)
{
  self = argv[0];
  if (argc == 3 && strcmp (argv[1], "--hold-lock") == 0)
    return helper_hold_lock (argv[2]);
  if (argc == 3 && strcmp (argv[1], "--write-forever") == 0)
    return helper_write_forever (argv[2]);
  if (argc == 3 && strcmp (argv[1], "--die-in-tx") == 0)
    return helper_die_in_tx (argv[2]);

  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, DbFixture, NULL, dbt_set_up, fn, dbt_tear_down)
  ADD ("/db/fault/busy", test_busy);
  ADD ("/db/fault/killed-mid-transaction", test_killed_mid_transaction);
  ADD ("/db/fault/killed-while-writing", test_killed_while_writing);
  g_test_add_func ("/db/fault/disk-full", test_disk_full);
  g_test_add_func ("/db/fault/read-only", test_read_only);
#undef ADD
  return g_test_run ();
}
