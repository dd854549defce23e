/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-database.h: the insucard database file and connections to it.
 *
 * One SQLite file per desk: WAL journal, foreign keys on, synchronous=FULL
 * (a record is on disk before the call returns), a busy timeout, schema
 * upgrades through PRAGMA user_version migrations that run in one
 * transaction after an online backup to PATH.bak-vN.  The file records
 * whether it belongs to a real desk (production) or to training; opening
 * it with the other mode is refused.  docs/database.md describes the file.
 *
 * Threads: a DbDatabase is one connection.  Use one connection per thread
 * (db_database_open_sibling() gives a worker its own); a connection may
 * move between threads but must never be used by two at once.  WAL lets
 * any number of readers run while one writer writes; writers queue on the
 * busy timeout.  Every call is one transaction, unless the caller groups
 * calls with db_database_begin() / db_database_commit() on its connection.
 */
#pragma once

#include <glib.h>

#include "db-error.h"

G_BEGIN_DECLS

/* The schema version this library writes (PRAGMA user_version). */
#define DB_SCHEMA_VERSION 3

typedef enum {
  DB_MODE_ANY, /* as an expectation: accept either; as a record: none yet */
  DB_MODE_PRODUCTION, /* a real desk: real cards and readers only */
  DB_MODE_TRAINING, /* simulated cards; never the production file */
} DbMode;

typedef enum {
  DB_OPEN_DEFAULT = 0, /* open an existing file for reading and writing */
  DB_OPEN_CREATE = 1 << 0, /* create the file (and its folder) if missing */
  DB_OPEN_READ_ONLY = 1 << 1, /* never write: no upgrade, no mode record */
} DbOpenFlags;

typedef struct _DbDatabase DbDatabase;

/* Opens PATH.  mode is what the caller expects: a file recorded with the
 * other mode is refused (DB_ERROR_MODE); a file with no record gets mode
 * written into it.  DB_OPEN_CREATE needs a definite mode.  A read-only open
 * works on read-only media too (an audit copy on a CD). */
DbDatabase *db_database_open (const char *path, DbMode mode, DbOpenFlags flags, GError **error);
/* Another connection to the same file with the same mode, for a thread. */
DbDatabase *db_database_open_sibling (DbDatabase *db, GError **error);
void db_database_close (DbDatabase *db);

const char *db_database_get_path (DbDatabase *db);
DbMode db_database_get_mode (DbDatabase *db);
const char *db_mode_to_string (DbMode mode); /* "production", "training", "" */
int db_database_get_schema_version (DbDatabase *db);
gboolean db_database_is_read_only (DbDatabase *db);

/* How long a call waits for another connection's write lock before it
 * fails with DB_ERROR_BUSY (default 5000 ms). */
void db_database_set_busy_timeout (DbDatabase *db, int milliseconds);
int db_database_get_busy_timeout (DbDatabase *db);

/* Groups the calls in between into one transaction on this connection
 * (all or nothing): an issuance record with its audit row, or a bulk
 * load.  Holds the write lock until commit or rollback. */
gboolean db_database_begin (DbDatabase *db, GError **error);
gboolean db_database_commit (DbDatabase *db, GError **error);
void db_database_rollback (DbDatabase *db);

/* Refreshes the query planner's statistics (ANALYZE), after a bulk load;
 * closing a connection refreshes them a little at a time anyway. */
gboolean db_database_analyze (DbDatabase *db, GError **error);

/* Online backup (sqlite3_backup) into a new file DEST, written as
 * DEST.part and renamed when complete; an existing DEST is refused. */
gboolean db_database_backup (DbDatabase *db, const char *dest, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbDatabase, db_database_close)

G_END_DECLS
