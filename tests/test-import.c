/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-import.c: the holder import file (docs/import.md): the samples
 * under data/ in UTF-8 and GBK, a BOM, files that mix or are neither,
 * RFC 4180 quoting, the header, every bad row with its line, duplicates,
 * and rows rejected later by the caller. */
#include "config.h"

#include "test-util.h"
#include "wf-import.h"

static char *
sample_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", name, NULL);
}

static WfImport *
load_sample (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = sample_path (name);
  WfImport *imp = wf_import_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (imp);
  return imp;
}

static WfImport *
parse (const char *text)
{
  return wf_import_parse (text, strlen (text));
}

/* The problems as "line:column:message" lines, for exact asserts. */
static char *
problems (const WfImport *imp)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < wf_import_get_n_problems (imp); i++)
    {
      const WfImportProblem *p = wf_import_get_problem (imp, i);

      g_string_append_printf (s, "%u:%s:%s\n", p->line, p->column ? p->column : "", p->message);
    }
  return g_string_free (s, FALSE);
}

static void
assert_one_problem (const WfImport *imp, guint line, const char *column, const char *in_message)
{
  g_autofree char *all = problems (imp);
  const WfImportProblem *p;

  g_test_message ("%s", all);
  g_assert_cmpuint (wf_import_get_n_problems (imp), ==, 1);
  p = wf_import_get_problem (imp, 0);
  g_assert_cmpuint (p->line, ==, line);
  g_assert_cmpstr (p->column, ==, column);
  g_assert_nonnull (strstr (p->message, in_message));
  g_assert_false (wf_import_ok (imp));
}

static void
test_sample_utf8 (void)
{
  g_autoptr (WfImport) imp = load_sample ("import-sample-utf8.csv");
  const WfImportRow *r;

  g_assert_cmpuint (wf_import_get_n_problems (imp), ==, 0);
  g_assert_true (wf_import_ok (imp));
  g_assert_cmpint (wf_import_get_encoding (imp), ==, WF_IMPORT_ENCODING_UTF8);
  g_assert_cmpuint (wf_import_get_n_rows (imp), ==, 11);

  r = wf_import_get_row (imp, 0);
  g_assert_cmpuint (r->line, ==, 2);
  g_assert_cmpstr (r->holder.name, ==, "张伟");
  g_assert_cmpstr (r->holder.sex, ==, "1");
  g_assert_cmpstr (r->holder.birth_date, ==, "19850317");
  g_assert_cmpstr (r->holder.personal_number, ==, "51040000000789");
  /* Derived from the ID number; the category by default. */
  r = wf_import_get_row (imp, 1);
  g_assert_cmpstr (r->holder.name, ==, "李娜");
  g_assert_cmpstr (r->holder.birth_date, ==, "19900722");
  g_assert_cmpstr (r->holder.insurance_category, ==, "390");
  g_assert_cmpstr (r->holder.valid_until, ==, "");
  r = wf_import_get_row (imp, 2);
  g_assert_cmpstr (r->holder.id_number, ==, "51041119781105003X");
  g_assert_cmpstr (r->holder.insurance_category, ==, "310");
  g_assert_cmpstr (r->holder.ethnicity, ==, "");
  r = wf_import_get_row (imp, 4);
  g_assert_cmpstr (r->holder.valid_until, ==, "20311231");
  r = wf_import_get_row (imp, 7);
  g_assert_cmpstr (r->holder.name, ==, "欧阳秀英");
  g_assert_cmpstr (r->holder.sex, ==, "2");
  r = wf_import_find_id (imp, "510411199308153065");
  g_assert_nonnull (r);
  g_assert_cmpuint (r->line, ==, 10);
  g_assert_cmpstr (r->holder.name, ==, "阿依古丽·买买提");
  g_assert_cmpstr (r->holder.ethnicity, ==, "05");
  g_assert_null (wf_import_find_id (imp, "110105194912310021"));
}

static void
test_sample_gbk (void)
{
  g_autoptr (WfImport) utf8 = load_sample ("import-sample-utf8.csv");
  g_autoptr (WfImport) gbk = load_sample ("import-sample-gbk.csv");

  g_assert_true (wf_import_ok (gbk));
  g_assert_cmpint (wf_import_get_encoding (gbk), ==, WF_IMPORT_ENCODING_GBK);
  g_assert_cmpstr (wf_import_encoding_to_string (WF_IMPORT_ENCODING_GBK), ==, "GBK");
  g_assert_cmpuint (wf_import_get_n_rows (gbk), ==, wf_import_get_n_rows (utf8));
  for (guint i = 0; i < wf_import_get_n_rows (gbk); i++)
    {
      const WfImportRow *a = wf_import_get_row (utf8, i), *b = wf_import_get_row (gbk, i);

      g_assert_cmpuint (a->line, ==, b->line);
      g_assert_cmpmem (&a->holder, sizeof a->holder, &b->holder, sizeof b->holder);
    }
}

static void
test_sample_bad (void)
{
  g_autoptr (WfImport) imp = load_sample ("import-sample-bad.csv");
  g_autofree char *report = wf_import_format_problems (imp);

  const WfImportRecord *rec;

  assert_one_problem (imp, 7, "id_number", "check character");
  g_assert_cmpuint (wf_import_get_n_rows (imp), ==, 11);
  g_assert_true (g_str_has_prefix (report, "Line 7: ID number: "));
  /* Every row as written, the bad one too. */
  g_assert_cmpuint (wf_import_get_n_records (imp), ==, 12);
  rec = wf_import_get_record (imp, 5);
  g_assert_cmpuint (rec->line, ==, 7);
  g_assert_cmpstr (rec->values[WF_ICARD_FIELD_ID_NUMBER], ==, "510402198012011236");
  g_assert_cmpstr (rec->values[WF_ICARD_FIELD_NAME], ==, "周建国");
  g_assert_cmpstr (rec->values[WF_ICARD_FIELD_SEX], ==, "");
  g_assert_cmpstr (rec->values[WF_ICARD_FIELD_EMPLOYER_CODE], ==, "5104001234");
}

static void
test_bom_and_files (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-import-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "bom.csv", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.csv", NULL);
  g_autoptr (WfImport) imp = NULL;
  g_autoptr (WfImport) none = NULL;
  const char *text = "\xEF\xBB\xBFid_number,name\r\n11010519491231002X,李娜\r\n";

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  imp = wf_import_load (path, &error);
  g_assert_no_error (error);
  g_assert_true (wf_import_ok (imp));
  g_assert_cmpint (wf_import_get_encoding (imp), ==, WF_IMPORT_ENCODING_UTF8_BOM);
  g_assert_cmpstr (wf_import_get_row (imp, 0)->holder.id_number, ==, "11010519491231002X");

  none = wf_import_load (missing, &error);
  g_assert_null (none);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  tu_rm_rf_strict (dir);
}

static void
test_encodings_refused (void)
{
  g_autofree char *gbk_file = NULL;
  g_autofree char *path = sample_path ("import-sample-gbk.csv");
  g_autoptr (GString) mixed = NULL;
  gsize len;

  /* A GBK file with one line pasted from a UTF-8 export. */
  g_assert_true (g_file_get_contents (path, &gbk_file, &len, NULL));
  mixed = g_string_new_len (gbk_file, len);
  g_string_append (mixed, "510402198012011235,周建国,,,,,,,\r\n");
  {
    g_autoptr (WfImport) imp = wf_import_parse (mixed->str, mixed->len);

    assert_one_problem (imp, 13, NULL, "other lines are GBK");
    g_assert_cmpuint (wf_import_get_n_rows (imp), ==, 0);
    g_assert_cmpint (wf_import_get_encoding (imp), ==, WF_IMPORT_ENCODING_UNKNOWN);
  }
  {
    g_autoptr (WfImport) imp = parse ("id_number,name\n11010519491231002X,Li\n"
                                      "510421196209184412,\xFF\xFF\n");

    assert_one_problem (imp, 3, NULL, "neither UTF-8 nor GBK");
  }
  {
    static const char utf16[] = "\xFF\xFEi\0d\0";
    g_autoptr (WfImport) imp = wf_import_parse (utf16, sizeof utf16 - 1);

    assert_one_problem (imp, 1, NULL, "UTF-16");
  }
  {
    static const char nul[] = "id_number,name\n11010519491231002X,Li\0Na\n";
    g_autoptr (WfImport) imp = wf_import_parse (nul, sizeof nul - 1);

    assert_one_problem (imp, 2, NULL, "zero byte");
  }
  {
    g_autoptr (WfImport) imp = parse ("\xEF\xBB\xBFid_number,name\n11010519491231002X,\xC0\xC1\n");

    assert_one_problem (imp, 2, NULL, "not UTF-8 text");
  }
}

static void
test_quoting (void)
{
  g_autoptr (WfImport) imp = parse ("id_number,name,employer_code\r\n"
                                    "\"11010519491231002X\",\"Li \"\"Na\"\"\",\"\"\r\n"
                                    "510421196209184412,\"Wang\nMing\",\r\n"
                                    "510402198503172316,\"Zhang, Wei\",123\r\n");
  g_autofree char *all = problems (imp);

  g_assert_cmpuint (wf_import_get_n_rows (imp), ==, 2);
  g_assert_cmpstr (wf_import_get_row (imp, 0)->holder.name, ==, "Li \"Na\"");
  g_assert_cmpstr (wf_import_get_row (imp, 0)->holder.employer_code, ==, "");
  /* The line break inside quotes: the next row starts on line 5. */
  g_assert_cmpuint (wf_import_get_row (imp, 1)->line, ==, 5);
  g_assert_cmpstr (wf_import_get_row (imp, 1)->holder.name, ==, "Zhang, Wei");
  g_assert_cmpstr (all, ==, "3:name:Name: The name contains a control character. Type it again.\n");
}

static void
test_syntax (void)
{
  {
    g_autoptr (WfImport) imp = parse ("id_number,name\n11010519491231002X,Li\"Na\n"
                                      "510421196209184412,Wang\n");

    assert_one_problem (imp, 2, NULL, "quotation mark stands inside a field");
    g_assert_cmpuint (wf_import_get_n_rows (imp), ==, 1);
  }
  {
    g_autoptr (WfImport) imp = parse ("id_number,name\n11010519491231002X,\"Li\"Na\n");

    assert_one_problem (imp, 2, NULL, "quotation mark stands inside a field");
  }
  {
    g_autoptr (WfImport) imp = parse ("id_number,name\n11010519491231002X,Li\n"
                                      "510421196209184412,\"Wang\n\n");

    assert_one_problem (imp, 3, NULL, "never closed");
    g_assert_cmpuint (wf_import_get_n_rows (imp), ==, 1);
  }
  {
    g_autoptr (WfImport) imp = parse ("id_number,\"name\n11010519491231002X,Li\n");

    assert_one_problem (imp, 1, NULL, "never closed");
  }
}

static void
test_header (void)
{
  {
    g_autoptr (WfImport) imp = parse ("id_number,name,phone\n11010519491231002X,Li,123\n");

    assert_one_problem (imp, 1, "phone", "Unknown column “phone”");
    g_assert_cmpuint (wf_import_get_n_rows (imp), ==, 0);
  }
  {
    g_autoptr (WfImport) imp = parse ("id_number,name,Name\n");

    assert_one_problem (imp, 1, "Name", "appears twice");
  }
  {
    g_autoptr (WfImport) imp = parse ("id_number\n11010519491231002X\n");

    assert_one_problem (imp, 1, NULL, "the column “name” is missing");
  }
  {
    g_autoptr (WfImport) imp = parse ("id_number;name\n11010519491231002X;Li\n");
    g_autofree char *all = problems (imp);

    g_assert_nonnull (strstr (all, "separated by commas"));
  }
  {
    g_autoptr (WfImport) imp = parse ("\n\n");

    assert_one_problem (imp, 0, NULL, "The file is empty");
  }
  {
    g_autoptr (WfImport) imp = parse ("id_number,name\n,,\n");
    g_autofree char *report = wf_import_format_problems (imp);

    g_assert_cmpuint (wf_import_get_n_problems (imp), ==, 0);
    g_assert_false (wf_import_ok (imp));
    g_assert_cmpstr (report, ==, "The file names the columns but holds no rows.\n");
  }
  {
    /* The headings of a Chinese office's spreadsheet; blank Excel rows. */
    g_autoptr (WfImport) imp = parse ("身份证号,姓名,性别,民族,险种\n"
                                      "11010519491231002X,李娜,女,01,392\n"
                                      ",,,,\n");

    g_assert_true (wf_import_ok (imp));
    g_assert_cmpstr (wf_import_get_row (imp, 0)->holder.insurance_category, ==, "392");
  }
}

static void
test_rows (void)
{
  g_autoptr (WfImport) imp = parse ("id_number,name,sex,birth_date\n"
                                    "11010519491231002X,李娜,,\n"
                                    "110105194912310021,王五,,\n"
                                    "510421196209184412,欧阳娜娜欧阳娜娜欧阳娜,,\n"
                                    "510402198503172316,张伟,X,1985-02-30\n"
                                    "11010519491231002x,李娜,,\n"
                                    "510402199007221021,陈红,,1990-07-21\n"
                                    "510402199501011230,杨帆\n");
  g_autofree char *all = problems (imp);

  g_test_message ("%s", all);
  g_assert_cmpuint (wf_import_get_n_rows (imp), ==, 1);
  g_assert_cmpuint (wf_import_get_n_problems (imp), ==, 7);
  g_assert_true (g_str_has_prefix (all, "3:id_number:ID number: "));
  g_assert_nonnull (strstr (all, "\n4:name:Name: “欧阳娜娜欧阳娜娜欧阳娜” takes 33 bytes"));
  /* Every problem of a row, each with its column. */
  g_assert_nonnull (strstr (all, "\n5:sex:Sex: "));
  g_assert_nonnull (strstr (all, "\n5:birth_date:Birth date: “1985-02-30” is not a date"));
  g_assert_nonnull (strstr (all, "\n6:id_number:ID number: the same person is already on line 2"));
  g_assert_nonnull (strstr (all, "\n7::Birth date: The birth date differs"));
  g_assert_nonnull (strstr (all, "\n8::This line has 2 fields, but the first line names 4"));
}

static void
test_reject (void)
{
  g_autoptr (WfImport) imp = load_sample ("import-sample-bad.csv");
  g_autofree char *report = NULL;

  g_assert_true (wf_import_reject (imp, 3, "id_number",
                                   "ID number: this person already holds an active card."));
  g_assert_false (wf_import_reject (imp, 3, NULL, "again"));
  g_assert_false (wf_import_reject (imp, 7, NULL, "a bad row is no good row"));
  g_assert_cmpuint (wf_import_get_n_rows (imp), ==, 10);
  g_assert_null (wf_import_find_id (imp, "510402199007221021"));
  report = wf_import_format_problems (imp);
  g_assert_true (g_str_has_prefix (report, "Line 3: ID number: this person already holds"));
  g_assert_nonnull (strstr (report, "\nLine 7: ID number: "));
}

int
main (int argc, char **argv)
{
  cl_secure_init ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/sample-utf8", test_sample_utf8);
  g_test_add_func ("/import/sample-gbk", test_sample_gbk);
  g_test_add_func ("/import/sample-bad", test_sample_bad);
  g_test_add_func ("/import/bom-and-files", test_bom_and_files);
  g_test_add_func ("/import/encodings-refused", test_encodings_refused);
  g_test_add_func ("/import/quoting", test_quoting);
  g_test_add_func ("/import/syntax", test_syntax);
  g_test_add_func ("/import/header", test_header);
  g_test_add_func ("/import/rows", test_rows);
  g_test_add_func ("/import/reject", test_reject);
  return g_test_run ();
}
