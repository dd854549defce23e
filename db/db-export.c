/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-export.c: RFC 4180 CSV of the audit log. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "db-chain.h"
#include "db-export.h"
#include "db-query-private.h"

static const char header[] =
    "seq,at,workstation,operator_serial,operator_name,role,action,card_sn,card_number,"
    "holder_id,outcome,error_code,detail\r\n";

void
db_csv_append_field (GString *line, const char *text)
{
  gboolean formula = strchr ("=+-@", text[0]) != NULL && text[0] != '\0';

  if (strpbrk (text, ",\"\r\n") == NULL && !formula)
    {
      g_string_append (line, text);
      return;
    }
  g_string_append_c (line, '"');
  if (formula)
    g_string_append_c (line, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static void
format_row (GString *line, DbStmt *stmt)
{
  g_string_truncate (line, 0);
  g_string_append_printf (line, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));
  for (int i = 1; i <= DB_CHAIN_N_FIELDS; i++)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, i);

      g_string_append_c (line, ',');
      db_csv_append_field (line, text != NULL ? text : "");
    }
  g_string_append (line, "\r\n");
}

static void
set_file_error (GError **error, int saved, const char *path)
{
  if (saved == ENOSPC)
    g_set_error (error, DB_ERROR, DB_ERROR_FULL,
                 _ ("Could not write “%s”: the disk is full. Free some space or choose another "
                    "disk; no file was written."),
                 path);
  else
    g_set_error (error, DB_ERROR, DB_ERROR_FAILED,
                 _ ("Could not write “%s”: %s. Check the folder; no file was written."), path,
                 g_strerror (saved));
}

static gboolean
write_rows (DbDatabase *db, const DbAuditFilter *filter, FILE *out, DbCsvFlags flags, gint64 *rows,
            GError **error)
{
  g_autoptr (DbStmt) stmt = db_audit_select (db, filter, DB_ORDER_OLDEST_FIRST, 0, 0, error);
  g_autoptr (GString) line = g_string_sized_new (256);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if ((flags & DB_CSV_BOM) && fputs ("\xEF\xBB\xBF", out) == EOF)
    return TRUE; /* ferror() tells the caller */
  fputs (header, out);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      format_row (line, stmt);
      if (fwrite (line->str, 1, line->len, out) != line->len)
        return TRUE;
      (*rows)++;
    }
  if (rc != SQLITE_DONE)
    {
      db_set_error (db, error, rc, _ ("Could not read the audit log"));
      return FALSE;
    }
  return TRUE;
}

gboolean
db_audit_export_csv (DbDatabase *db, const DbAuditFilter *filter, const char *path,
                     DbCsvFlags flags, gint64 *rows, GError **error)
{
  static const DbAuditFilter all = { 0 };
  const char *what = _ ("Could not read the audit log");
  g_autofree char *part = NULL;
  gint64 written = 0;
  gboolean ok;
  FILE *out;
  int saved = 0;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (path != NULL && *path != '\0', FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  part = g_strconcat (path, ".part", NULL);
  out = g_fopen (part, "wb");
  if (out == NULL)
    {
      set_file_error (error, errno, path);
      return FALSE;
    }
  /* One snapshot: rows appended meanwhile are not half in the file. */
  ok = db_tx_begin_read (db, what, error);
  if (ok)
    {
      ok = write_rows (db, filter != NULL ? filter : &all, out, flags, &written, error);
      if (ok)
        ok = db_tx_commit (db, what, error);
      else
        db_tx_rollback (db);
    }
  errno = 0;
  if (ok && (fflush (out) != 0 || ferror (out) || fsync (fileno (out)) != 0))
    saved = errno != 0 ? errno : EIO;
  if (fclose (out) != 0 && ok && saved == 0)
    saved = errno;
  if (ok && saved == 0 && g_rename (part, path) != 0)
    saved = errno;
  if (!ok || saved != 0)
    {
      g_unlink (part);
      if (ok)
        set_file_error (error, saved, path);
      return FALSE;
    }
  if (rows != NULL)
    *rows = written;
  return TRUE;
}
