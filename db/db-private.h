/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-private.h: what the db/ files share and callers never see: the
 * connection, cached prepared statements, transactions, error mapping. */
#pragma once

#include <sqlite3.h>

#include "db-database.h"
#include "db-error.h"

G_BEGIN_DECLS

struct _DbDatabase {
  sqlite3 *handle;
  char *path;
  DbMode mode; /* as recorded in the file; DB_MODE_ANY when not recorded */
  gboolean read_only;
  gboolean opened; /* accepted: identity, version and mode checked */
  int busy_timeout_ms;
  GHashTable *statements; /* SQL text -> sqlite3_stmt, prepared once per connection */
  guint tx_depth; /* 0: none; 1: BEGIN; more: savepoints inside it */
};

/* The schema: migrations[i] moves the file from version i to i + 1
 * (db-schema.c, the SQLite dialect of the schema). */
extern const char *const db_schema_migrations[];
extern const int db_schema_n_migrations;

/* A statement from the connection's cache, reset and with no bindings.
 * Hold it in a g_autoptr (DbStmt) so that it is reset when the scope ends
 * (an unreset statement keeps its read snapshot open). */
typedef sqlite3_stmt DbStmt;
DbStmt *db_stmt (DbDatabase *db, const char *sql, GError **error);
void db_stmt_release (DbStmt *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbStmt, db_stmt_release)

/* Binds NULL as "": every text column of the schema is NOT NULL. */
void db_bind_text (DbStmt *stmt, int index, const char *text);
char *db_column_dup (DbStmt *stmt, int column);
/* Steps a statement that returns no rows. */
gboolean db_step_done (DbDatabase *db, DbStmt *stmt, const char *what, GError **error);
/* Steps stmt to its end, turning each row into an item with make;
 * NULL (and error) if a step fails. */
typedef gpointer (*DbRowFunc) (DbStmt *stmt);
GPtrArray *db_collect (DbDatabase *db, DbStmt *stmt, DbRowFunc make, GDestroyNotify free_item,
                       const char *what, GError **error);

/* Runs a statement whose first column of its one row is an integer;
 * absent rows give 0. */
gboolean db_query_int64 (DbDatabase *db, DbStmt *stmt, gint64 *value, const char *what,
                         GError **error);

/* Write transactions take the write lock at once (BEGIN IMMEDIATE), so a
 * writer waits in busy_timeout instead of failing on upgrade; inside an
 * open transaction they become savepoints. */
gboolean db_tx_begin (DbDatabase *db, const char *what, GError **error);
/* A read transaction: one snapshot for several statements. */
gboolean db_tx_begin_read (DbDatabase *db, const char *what, GError **error);
gboolean db_tx_commit (DbDatabase *db, const char *what, GError **error);
void db_tx_rollback (DbDatabase *db);

/* Maps an SQLite result code to DB_ERROR with "what: what to do". */
void db_set_error (DbDatabase *db, GError **error, int rc, const char *what);
gboolean db_check_writable (DbDatabase *db, GError **error);

/* "YYYY-MM-DDTHH:MM:SSZ" of now, or of t (UTC). */
char *db_time_now (void);
char *db_time_format (GDateTime *t);

gboolean db_audit_guards_present (DbDatabase *db, gboolean *present, GError **error);

G_END_DECLS
