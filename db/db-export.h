/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-export.h: a filtered part of the audit log as a CSV file.
 *
 * UTF-8, RFC 4180 (CRLF line ends, fields with a comma, quote or line
 * break quoted, quotes doubled), one header line of column names, rows in
 * time order.  Text that a spreadsheet would run as a formula (= + - @ at
 * the start) gets a leading apostrophe.  The file appears complete or not
 * at all: it is written as PATH.part and renamed.
 */
#pragma once

#include <glib.h>

#include "db-query.h"

G_BEGIN_DECLS

typedef enum {
  DB_CSV_DEFAULT = 0,
  DB_CSV_BOM = 1 << 0, /* start with a UTF-8 byte order mark (for Excel) */
} DbCsvFlags;

/* Writes the rows of filter (NULL: all) to path, replacing it; rows gets
 * how many were written. */
gboolean db_audit_export_csv (DbDatabase *db, const DbAuditFilter *filter, const char *path,
                              DbCsvFlags flags, gint64 *rows, GError **error);

/* One CSV field as the exports write it (RFC 4180; a text starting with
 * = + - @ gets a leading ' so that spreadsheets never run it). */
void db_csv_append_field (GString *line, const char *text);

G_END_DECLS
