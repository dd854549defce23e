/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-database.h: the insucard SQLite database file.
 *
 * One file per office desk, WAL journal, foreign keys on, schema upgraded
 * through PRAGMA user_version migrations.  The tables themselves arrive with
 * the issuance and audit issues; this is the handle they build on.
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define DB_ERROR (db_error_quark ())

typedef enum {
  DB_ERROR_FAILED,
  DB_ERROR_OPEN, /* cannot open or create the file */
  DB_ERROR_BUSY, /* another program holds the database */
  DB_ERROR_FULL, /* disk full */
  DB_ERROR_CORRUPT, /* not a database, or damaged */
  DB_ERROR_TOO_NEW, /* written by a newer insucard */
} DbError;

GQuark db_error_quark (void);

typedef struct _DbDatabase DbDatabase;

DbDatabase *db_database_open (const char *path, GError **error);
int db_database_get_schema_version (DbDatabase *db);
sqlite3 *db_database_get_handle (DbDatabase *db);
void db_database_close (DbDatabase *db);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbDatabase, db_database_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

G_END_DECLS
