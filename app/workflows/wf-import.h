/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-import.h: the holder import file (CSV, docs/import.md): decoded
 * (UTF-8 with or without BOM, or GBK as Excel saves it on Chinese
 * Windows), parsed (RFC 4180), every row checked against the card layout
 * (wf-icard.h) and against the other rows, every problem kept with its
 * line before anything else happens.  No card, no database: duplicates
 * against the registry are the caller's, reported through
 * wf_import_reject() into the same list.
 */
#pragma once

#include <glib.h>

#include "wf-icard.h"

G_BEGIN_DECLS

#define WF_IMPORT_MAX_BYTES (16 * 1024 * 1024)

typedef enum {
  WF_IMPORT_ENCODING_UNKNOWN, /* not decoded: see the problems */
  WF_IMPORT_ENCODING_UTF8,
  WF_IMPORT_ENCODING_UTF8_BOM,
  WF_IMPORT_ENCODING_GBK, /* decoded as GB18030, GBK's superset */
} WfImportEncoding;

typedef struct {
  guint line; /* where the row starts (the header is line 1) */
  WfIcardHolder holder; /* checked and completed (wf_icard_holder_complete) */
} WfImportRow;

typedef struct {
  guint line; /* 0 = the file as a whole */
  char *column; /* the column as the file names it; NULL = the whole row */
  char *message; /* for the clerk: what is wrong and what to do */
} WfImportProblem;

typedef struct _WfImport WfImport;

/* Never NULL: a file that cannot be read as CSV gives problems, not an
 * error. */
WfImport *wf_import_parse (const char *data, gsize len);
/* NULL only when the file cannot be read (G_FILE_ERROR) or is larger than
 * WF_IMPORT_MAX_BYTES. */
WfImport *wf_import_load (const char *path, GError **error);
void wf_import_free (WfImport *imp); /* wipes the rows */

WfImportEncoding wf_import_get_encoding (const WfImport *imp);
const char *wf_import_encoding_to_string (WfImportEncoding encoding); /* "UTF-8", "GBK" */

/* The good rows, in file order (rows with problems are left out). */
guint wf_import_get_n_rows (const WfImport *imp);
const WfImportRow *wf_import_get_row (const WfImport *imp, guint i);
/* The good row holding an ID number (as normalised: upper-case X). */
const WfImportRow *wf_import_find_id (const WfImport *imp, const char *id_number);

/* Every row of the file as written, good or bad, in file order: what a
 * preview shows of a row that cannot be issued.  values[field] is the
 * trimmed text of the field's column, "" where the header does not name
 * it or the row ends early.  Only after a usable header. */
typedef struct {
  guint line;
  char *values[WF_ICARD_N_FIELDS];
} WfImportRecord;

guint wf_import_get_n_records (const WfImport *imp);
const WfImportRecord *wf_import_get_record (const WfImport *imp, guint i);

/* Every problem, sorted by line (file-wide ones first). */
guint wf_import_get_n_problems (const WfImport *imp);
const WfImportProblem *wf_import_get_problem (const WfImport *imp, guint i);
gboolean wf_import_ok (const WfImport *imp); /* no problems and at least one row */
/* Moves the good row of line into the problems (e.g. its ID number already
 * holds a card in the registry).  FALSE when no good row starts there. */
gboolean wf_import_reject (WfImport *imp, guint line, const char *column, const char *message);
/* One problem a line: "Line 3: ID number: …". */
char *wf_import_format_problems (const WfImport *imp);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WfImport, wf_import_free)

G_END_DECLS
