/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-import.c: reading the holder import file (docs/import.md).
 *
 * Three passes, each reporting by line: the bytes become UTF-8 text
 * (UTF-8 as is, else GB18030 through g_convert, refusing a file that mixes
 * the two); the text becomes records (RFC 4180: quotes, doubled quotes,
 * line breaks inside quotes, CRLF or LF); the header names the columns and
 * each record becomes a holder through wf_icard_holder_set(), the same
 * checks as the form's.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "wf-import.h"

struct _WfImport {
  WfImportEncoding encoding;
  GArray *rows; /* WfImportRow */
  GArray *records; /* WfImportRecord: every row as written */
  GArray *problems; /* WfImportProblem */
};

typedef struct {
  guint line;
  GPtrArray *fields; /* char * */
  gboolean broken; /* a syntax error, reported */
} Record;

/* Column names besides wf_icard_field_name(): the headings of Chinese
 * offices' spreadsheets. */
static const struct {
  const char *name;
  WfIcardField field;
} aliases[] = {
  { "身份证号", WF_ICARD_FIELD_ID_NUMBER },
  { "身份证号码", WF_ICARD_FIELD_ID_NUMBER },
  { "公民身份号码", WF_ICARD_FIELD_ID_NUMBER },
  { "姓名", WF_ICARD_FIELD_NAME },
  { "性别", WF_ICARD_FIELD_SEX },
  { "民族", WF_ICARD_FIELD_ETHNICITY },
  { "出生日期", WF_ICARD_FIELD_BIRTH_DATE },
  { "险种", WF_ICARD_FIELD_INSURANCE_CATEGORY },
  { "险种类型", WF_ICARD_FIELD_INSURANCE_CATEGORY },
  { "单位编号", WF_ICARD_FIELD_EMPLOYER_CODE },
  { "有效期至", WF_ICARD_FIELD_VALID_UNTIL },
  { "个人编号", WF_ICARD_FIELD_PERSONAL_NUMBER },
};

/* Kept in line order, a line's problems in the order found. */
static void
problem (WfImport *imp, guint line, const char *column, const char *message)
{
  WfImportProblem p = { line, g_strdup (column), g_strdup (message) };
  guint at = imp->problems->len;

  while (at > 0 && g_array_index (imp->problems, WfImportProblem, at - 1).line > line)
    at--;
  g_array_insert_val (imp->problems, at, p);
}

static void
problem_free (WfImportProblem *p)
{
  g_free (p->column);
  g_free (p->message);
}

static void
row_wipe (WfImportRow *r)
{
  wf_icard_holder_clear (&r->holder);
}

/* Personal data: wiped like the rows. */
static void
import_record_wipe (WfImportRecord *r)
{
  for (guint f = 0; f < WF_ICARD_N_FIELDS; f++)
    {
      if (r->values[f] != NULL)
        memset (r->values[f], 0, strlen (r->values[f]));
      g_clear_pointer (&r->values[f], g_free);
    }
}

static void
record_free (Record *r)
{
  g_ptr_array_unref (r->fields);
  g_free (r);
}

static guint
line_at (const char *data, gsize offset)
{
  guint line = 1;

  for (gsize i = 0; i < offset; i++)
    line += data[i] == '\n';
  return line;
}

/* -- bytes to text */

/* The first line of a non-UTF-8 file that is UTF-8 with non-ASCII bytes:
 * a file pasted together from two exports.  0 if none. */
static guint
utf8_line_in_gbk (const char *data, gsize len)
{
  guint line = 1;

  for (gsize start = 0; start < len;)
    {
      const char *nl = memchr (data + start, '\n', len - start);
      gsize end = nl ? (gsize) (nl - data) : len;
      gboolean high = FALSE;

      for (gsize i = start; i < end; i++)
        high |= (guchar) data[i] >= 0x80;
      if (high && g_utf8_validate (data + start, end - start, NULL))
        return line;
      start = end + 1;
      line++;
    }
  return 0;
}

static char *
decode_text (WfImport *imp, const char *data, gsize len)
{
  g_autoptr (GError) error = NULL;
  const char *bad = NULL;
  gsize read = 0;
  guint line;
  char *text;

  if (len >= 2 && ((guchar) data[0] == 0xFF || (guchar) data[0] == 0xFE)
      && ((guchar) data[1] == 0xFE || (guchar) data[1] == 0xFF))
    {
      problem (imp, 1, NULL,
               _ ("The file is UTF-16 (“Unicode text”). In Excel, save it with “Save As” as "
                  "“CSV UTF-8 (comma delimited)” or “CSV (comma delimited)”."));
      return NULL;
    }
  bad = memchr (data, '\0', len);
  if (bad != NULL)
    {
      problem (imp, line_at (data, bad - data), NULL,
               _ ("This line contains a zero byte: the file is not a CSV text file. Save it "
                  "from Excel as CSV."));
      return NULL;
    }
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      imp->encoding = WF_IMPORT_ENCODING_UTF8_BOM;
      if (g_utf8_validate (data + 3, len - 3, &bad))
        return g_strndup (data + 3, len - 3);
      problem (imp, line_at (data, bad - data), NULL,
               _ ("This line is not UTF-8 text, although the file starts as UTF-8. Save the "
                  "whole file again in one encoding."));
      imp->encoding = WF_IMPORT_ENCODING_UNKNOWN;
      return NULL;
    }
  if (g_utf8_validate (data, len, NULL))
    {
      imp->encoding = WF_IMPORT_ENCODING_UTF8;
      return g_strndup (data, len);
    }
  line = utf8_line_in_gbk (data, len);
  if (line != 0)
    {
      problem (imp, line, NULL,
               _ ("This line is UTF-8 text, but other lines are GBK. Save the whole file again "
                  "in one encoding."));
      return NULL;
    }
  text = g_convert (data, len, "UTF-8", "GB18030", &read, NULL, &error);
  if (text == NULL)
    {
      problem (imp, line_at (data, MIN (read, len)), NULL,
               _ ("This line is neither UTF-8 nor GBK text. Save the file again from Excel as "
                  "CSV."));
      return NULL;
    }
  imp->encoding = WF_IMPORT_ENCODING_GBK;
  return text;
}

/* -- text to records */

/* One record from *p; NULL at the end of the text.  A syntax error is
 * reported and the rest of its line skipped. */
static Record *
next_record (WfImport *imp, const char **p, guint *line)
{
  const char *s = *p;
  Record *rec;
  GString *field;

  if (*s == '\0')
    return NULL;
  rec = g_new0 (Record, 1);
  rec->line = *line;
  rec->fields = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);
  for (;;)
    {
      if (*s == '"' && field->len == 0)
        {
          guint opened = *line;

          for (s++;; s++)
            {
              if (*s == '\0')
                {
                  problem (imp, opened, NULL,
                           _ ("A quoted field opened on this line is never closed. Add the "
                              "closing quotation mark."));
                  g_string_free (field, TRUE);
                  rec->broken = TRUE;
                  *p = s;
                  return rec;
                }
              if (*s == '"' && s[1] == '"')
                s++;
              else if (*s == '"')
                break;
              else if (*s == '\n')
                (*line)++;
              g_string_append_c (field, *s);
            }
          s++;
          if (*s != ',' && *s != '\n' && *s != '\0' && !(*s == '\r' && s[1] == '\n'))
            goto syntax;
          continue;
        }
      if (*s == ',' || *s == '\n' || *s == '\0' || (*s == '\r' && s[1] == '\n'))
        {
          g_ptr_array_add (rec->fields, g_string_free (field, FALSE));
          if (*s == ',')
            {
              field = g_string_new (NULL);
              s++;
              continue;
            }
          s += *s == '\r' ? 2 : *s == '\n' ? 1 : 0;
          if (s[-1] == '\n')
            (*line)++;
          *p = s;
          return rec;
        }
      if (*s == '"')
        goto syntax;
      g_string_append_c (field, *s++);
    }

syntax:
  problem (imp, *line, NULL,
           _ ("A quotation mark stands inside a field. Put the whole field in quotation marks "
              "and double the quotation mark inside it."));
  g_string_free (field, TRUE);
  rec->broken = TRUE;
  while (*s != '\0' && *s != '\n')
    s++;
  if (*s == '\n')
    {
      s++;
      (*line)++;
    }
  *p = s;
  return rec;
}

static gboolean
record_empty (const Record *r)
{
  for (guint i = 0; i < r->fields->len; i++)
    {
      g_autofree char *v = g_strstrip (g_strdup (g_ptr_array_index (r->fields, i)));

      if (v[0] != '\0')
        return FALSE;
    }
  return TRUE;
}

/* -- records to rows */

static gboolean
column_field (const char *name, WfIcardField *field)
{
  if (wf_icard_field_from_name (name, field))
    return TRUE;
  for (gsize i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (strcmp (name, aliases[i].name) == 0)
      {
        *field = aliases[i].field;
        return TRUE;
      }
  return FALSE;
}

/* Maps each column to a field; FALSE (with problems) when the header is
 * unusable. */
static gboolean
read_header (WfImport *imp, const Record *hdr, WfIcardField *map)
{
  gboolean seen[WF_ICARD_N_FIELDS] = { FALSE };
  gboolean ok = TRUE;

  for (guint i = 0; i < hdr->fields->len; i++)
    {
      g_autofree char *name = g_strstrip (g_strdup (g_ptr_array_index (hdr->fields, i)));
      g_autofree char *msg = NULL;

      if (!column_field (name, &map[i]))
        {
          if (strchr (name, ';') || strchr (name, '\t'))
            msg = g_strdup (_ ("The columns must be separated by commas. Save the file from "
                               "Excel as “CSV (comma delimited)”."));
          else
            msg = g_strdup_printf (
                _ ("Unknown column “%s”. Use the column names of the import guide, such as "
                   "id_number and name, or remove the column."),
                name);
          problem (imp, hdr->line, name, msg);
          ok = FALSE;
          continue;
        }
      if (seen[map[i]])
        {
          msg = g_strdup_printf (_ ("The column “%s” appears twice. Remove one of them."), name);
          problem (imp, hdr->line, name, msg);
          ok = FALSE;
        }
      seen[map[i]] = TRUE;
    }
  for (guint f = 0; f < WF_ICARD_N_FIELDS; f++)
    if (wf_icard_field_required (f) && !seen[f])
      {
        g_autofree char *msg = g_strdup_printf (
            _ ("The first line must name the columns, and the column “%s” is missing."),
            wf_icard_field_name (f));

        problem (imp, hdr->line, NULL, msg);
        ok = FALSE;
      }
  return ok;
}

static void
read_row (WfImport *imp, const Record *rec, const Record *hdr, const WfIcardField *map,
          GHashTable *ids)
{
  g_autoptr (GError) error = NULL;
  WfImportRow row = { rec->line };
  gboolean ok = TRUE;
  guint first;

  if (rec->fields->len != hdr->fields->len)
    {
      g_autofree char *msg = g_strdup_printf (
          _ ("This line has %u fields, but the first line names %u columns. Check for a comma "
             "inside a field that is not in quotation marks."),
          rec->fields->len, hdr->fields->len);

      problem (imp, rec->line, NULL, msg);
      return;
    }
  for (guint i = 0; i < rec->fields->len; i++)
    if (!wf_icard_holder_set (&row.holder, map[i], g_ptr_array_index (rec->fields, i), &error))
      {
        problem (imp, rec->line, g_ptr_array_index (hdr->fields, i), error->message);
        g_clear_error (&error);
        ok = FALSE;
      }
  if (row.holder.id_number[0] != '\0')
    {
      first = GPOINTER_TO_UINT (g_hash_table_lookup (ids, row.holder.id_number));
      if (first != 0)
        {
          g_autofree char *msg = g_strdup_printf (
              _ ("ID number: the same person is already on line %u. Remove one of the two "
                 "lines."),
              first);

          problem (imp, rec->line, wf_icard_field_name (WF_ICARD_FIELD_ID_NUMBER), msg);
          ok = FALSE;
        }
      else
        g_hash_table_insert (ids, g_strdup (row.holder.id_number), GUINT_TO_POINTER (rec->line));
    }
  if (ok && !wf_icard_holder_complete (&row.holder, &error))
    {
      problem (imp, rec->line, NULL, error->message);
      ok = FALSE;
    }
  if (ok)
    g_array_append_val (imp->rows, row);
  else
    row_wipe (&row);
}

static void
keep_record (WfImport *imp, const Record *rec, const Record *hdr, const WfIcardField *map)
{
  WfImportRecord r = { rec->line };

  for (guint i = 0; i < rec->fields->len && i < hdr->fields->len; i++)
    if (r.values[map[i]] == NULL)
      r.values[map[i]] = g_strstrip (g_strdup (g_ptr_array_index (rec->fields, i)));
  for (guint f = 0; f < WF_ICARD_N_FIELDS; f++)
    if (r.values[f] == NULL)
      r.values[f] = g_strdup ("");
  g_array_append_val (imp->records, r);
}

static void
read_records (WfImport *imp, const char *text)
{
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree WfIcardField *map = NULL;
  Record *hdr = NULL, *rec;
  const char *p = text;
  guint line = 1;

  /* The header: the first record that is not empty. */
  while ((hdr = next_record (imp, &p, &line)) != NULL && !hdr->broken && record_empty (hdr))
    g_clear_pointer (&hdr, record_free);
  if (hdr == NULL)
    {
      problem (imp, 0, NULL,
               _ ("The file is empty. Its first line must name the columns, such as "
                  "id_number,name."));
      return;
    }
  map = g_new0 (WfIcardField, MAX (hdr->fields->len, 1));
  if (!hdr->broken && read_header (imp, hdr, map))
    while ((rec = next_record (imp, &p, &line)) != NULL)
      {
        if (!record_empty (rec))
          keep_record (imp, rec, hdr, map);
        if (!rec->broken && !record_empty (rec))
          read_row (imp, rec, hdr, map, ids);
        record_free (rec);
      }
  record_free (hdr);
}

WfImport *
wf_import_parse (const char *data, gsize len)
{
  WfImport *imp = g_new0 (WfImport, 1);
  g_autofree char *text = NULL;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  imp->rows = g_array_new (FALSE, TRUE, sizeof (WfImportRow));
  g_array_set_clear_func (imp->rows, (GDestroyNotify) row_wipe);
  imp->records = g_array_new (FALSE, TRUE, sizeof (WfImportRecord));
  g_array_set_clear_func (imp->records, (GDestroyNotify) import_record_wipe);
  imp->problems = g_array_new (FALSE, TRUE, sizeof (WfImportProblem));
  g_array_set_clear_func (imp->problems, (GDestroyNotify) problem_free);
  if (len > WF_IMPORT_MAX_BYTES)
    problem (imp, 0, NULL, _ ("The file is larger than 16 MB. Split it into several files."));
  else if ((text = decode_text (imp, data ? data : "", len)) != NULL)
    read_records (imp, text);
  /* The passes report in line order already. */
  return imp;
}

WfImport *
wf_import_load (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  return wf_import_parse (data, len);
}

void
wf_import_free (WfImport *imp)
{
  if (imp == NULL)
    return;
  g_array_unref (imp->rows);
  g_array_unref (imp->records);
  g_array_unref (imp->problems);
  g_free (imp);
}

WfImportEncoding
wf_import_get_encoding (const WfImport *imp)
{
  g_return_val_if_fail (imp != NULL, WF_IMPORT_ENCODING_UNKNOWN);
  return imp->encoding;
}

const char *
wf_import_encoding_to_string (WfImportEncoding encoding)
{
  switch (encoding)
    {
    case WF_IMPORT_ENCODING_UTF8:
      return "UTF-8";
    case WF_IMPORT_ENCODING_UTF8_BOM:
      return "UTF-8 (BOM)";
    case WF_IMPORT_ENCODING_GBK:
      return "GBK";
    default:
      return "?";
    }
}

guint
wf_import_get_n_rows (const WfImport *imp)
{
  g_return_val_if_fail (imp != NULL, 0);
  return imp->rows->len;
}

const WfImportRow *
wf_import_get_row (const WfImport *imp, guint i)
{
  g_return_val_if_fail (imp != NULL && i < imp->rows->len, NULL);
  return &g_array_index (imp->rows, WfImportRow, i);
}

const WfImportRow *
wf_import_find_id (const WfImport *imp, const char *id_number)
{
  g_return_val_if_fail (imp != NULL && id_number != NULL, NULL);

  for (guint i = 0; i < imp->rows->len; i++)
    if (strcmp (g_array_index (imp->rows, WfImportRow, i).holder.id_number, id_number) == 0)
      return &g_array_index (imp->rows, WfImportRow, i);
  return NULL;
}

guint
wf_import_get_n_records (const WfImport *imp)
{
  g_return_val_if_fail (imp != NULL, 0);
  return imp->records->len;
}

const WfImportRecord *
wf_import_get_record (const WfImport *imp, guint i)
{
  g_return_val_if_fail (imp != NULL && i < imp->records->len, NULL);
  return &g_array_index (imp->records, WfImportRecord, i);
}

guint
wf_import_get_n_problems (const WfImport *imp)
{
  g_return_val_if_fail (imp != NULL, 0);
  return imp->problems->len;
}

const WfImportProblem *
wf_import_get_problem (const WfImport *imp, guint i)
{
  g_return_val_if_fail (imp != NULL && i < imp->problems->len, NULL);
  return &g_array_index (imp->problems, WfImportProblem, i);
}

gboolean
wf_import_ok (const WfImport *imp)
{
  g_return_val_if_fail (imp != NULL, FALSE);
  return imp->problems->len == 0 && imp->rows->len > 0;
}

gboolean
wf_import_reject (WfImport *imp, guint line, const char *column, const char *message)
{
  g_return_val_if_fail (imp != NULL && message != NULL, FALSE);

  for (guint i = 0; i < imp->rows->len; i++)
    if (g_array_index (imp->rows, WfImportRow, i).line == line)
      {
        g_array_remove_index (imp->rows, i);
        problem (imp, line, column, message);
        return TRUE;
      }
  return FALSE;
}

char *
wf_import_format_problems (const WfImport *imp)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (imp != NULL, NULL);

  for (guint i = 0; i < imp->problems->len; i++)
    {
      const WfImportProblem *p = &g_array_index (imp->problems, WfImportProblem, i);

      if (p->line == 0)
        g_string_append_printf (s, "%s\n", p->message);
      else
        g_string_append_printf (s, _ ("Line %u: %s\n"), p->line, p->message);
    }
  if (imp->problems->len == 0 && imp->rows->len == 0)
    g_string_append_printf (s, "%s\n", _ ("The file names the columns but holds no rows."));
  return g_string_free (s, FALSE);
}
