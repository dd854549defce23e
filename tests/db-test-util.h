/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-test-util.h: a training database in a g_dir_make_tmp() sandbox, a
 * fixed operator, quick audit rows, and raw SQLite access for tampering
 * the way someone with the sqlite3 shell would. */
#pragma once

#include <sqlite3.h>
#include <glib.h>

#include "db-audit.h"
#include "db-database.h"
#include "test-util.h"

typedef struct {
  char *dir;
  char *path;
  DbDatabase *db;
} DbFixture;

static inline void
dbt_set_up (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fx->dir = g_dir_make_tmp ("insucard-db-XXXXXX", &error);
  g_assert_no_error (error);
  fx->path = g_build_filename (fx->dir, "insucard.db", NULL);
  fx->db = db_database_open (fx->path, DB_MODE_TRAINING, DB_OPEN_CREATE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->db);
}

static inline void
dbt_tear_down (DbFixture *fx, gconstpointer data)
{
  g_clear_pointer (&fx->db, db_database_close);
  tu_rm_rf (fx->dir);
  g_free (fx->path);
  g_free (fx->dir);
}

static inline DbActor
dbt_actor (void)
{
  DbActor actor = {
    .workstation = "PZH-DESK-01",
    .operator_serial = "8600000000000042",
    .operator_name = "李四",
    .role = "issuing-admin",
  };
  return actor;
}

/* Appends one row and returns its number. */
static inline gint64
dbt_append (DbDatabase *db, DbAction action, const char *card_sn, const char *detail)
{
  g_autoptr (GError) error = NULL;
  DbAuditEntry entry = {
    .actor = dbt_actor (),
    .action = action,
    .card_sn = card_sn,
    .outcome = DB_OUTCOME_OK,
    .detail = detail,
  };
  gint64 seq = 0;

  g_assert_true (db_audit_append (db, &entry, &seq, &error));
  g_assert_no_error (error);
  return seq;
}

/* A connection outside the library, as the sqlite3 shell would open. */
static inline sqlite3 *
dbt_raw_open (const char *path)
{
  sqlite3 *raw = NULL;

  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  sqlite3_busy_timeout (raw, 5000);
  return raw;
}

static inline void
dbt_raw_exec (sqlite3 *raw, const char *sql)
{
  char *message = NULL;
  int rc = sqlite3_exec (raw, sql, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Runs sql on the file from outside and closes the connection. */
static inline void
dbt_tamper (const char *path, const char *sql)
{
  sqlite3 *raw = dbt_raw_open (path);

  dbt_raw_exec (raw, sql);
  sqlite3_close (raw);
}

static inline gint64
dbt_raw_int (const char *path, const char *sql)
{
  sqlite3 *raw = dbt_raw_open (path);
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (raw, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
  return value;
}
