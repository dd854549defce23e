/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-receipt.c: hand-over receipts and batch sign-off lists as real PDF
 * files, read back with poppler's pdftotext, pdfinfo and pdffonts
 * (tools/bootstrap installs poppler-utils): the Chinese and English
 * wording, the holder, the grouped card number, the SN, who and where; the
 * ID number masked; a CJK font embedded; one page per receipt. */
#include "config.h"

#include <cairo-pdf.h>
#include <gio/gio.h>

#include "test-util.h"
#include "wf-receipt.h"

static const WfReceiptPlace place = {
  .office = "攀枝花市医疗保障事务中心 东区经办大厅",
  .operator_name = "王丽 (A1024)",
  .workstation = "WS-DQ-03",
  .batch_id = "B20240105-01",
};

static const WfReceiptCard cards[] = {
  { WF_RECEIPT_ISSUANCE, "张伟", "510402198503172316", "0000012345", "9122334455667788", "20240105",
    "20340105" },
  { WF_RECEIPT_REPLACEMENT_LOST, "阿依古丽·买买提", "510411199308153065", "0000012346",
    "91223344556677AA", "20240105", NULL },
};

/* Runs a poppler tool on a file (pdftotext: -raw FILE -); its standard
 * output. */
static char *
run (const char *tool, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *prog = g_find_program_in_path (tool);
  gboolean text = strcmp (tool, "pdftotext") == 0;
  const char *argv[] = { tool, text ? "-raw" : path, text ? path : NULL, "-", NULL };
  int status = 0;

  if (prog == NULL)
    g_error ("%s is missing: install poppler-utils (tools/bootstrap)", tool);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s %s: %s", tool, err, error->message);
  return g_steal_pointer (&out);
}

static char *
pdf_text (const char *path)
{
  return run ("pdftotext", path);
}

/* Without spaces and line breaks: pdftotext breaks lines where the page
 * does, in Chinese between any two characters. */
static char *
squeeze (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s; s++)
    if (*s != ' ' && *s != '\n')
      g_string_append_c (out, *s);
  return g_string_free (out, FALSE);
}

static guint
pdf_pages (const char *path)
{
  g_autofree char *info = run ("pdfinfo", path);
  const char *p = strstr (info, "Pages:");

  g_assert_nonnull (p);
  return (guint) g_ascii_strtoull (p + 6 + strspn (p + 6, " "), NULL, 10);
}

/* pdffonts lists every font with "emb yes|no": a CJK one must be
 * embedded, and every font must be. */
static void
assert_cjk_embedded (const char *path)
{
  g_autofree char *fonts = run ("pdffonts", path);
  g_auto (GStrv) lines = g_strsplit (fonts, "\n", -1);
  gboolean cjk = FALSE;

  g_test_message ("%s", fonts);
  for (guint i = 2; lines[i] && lines[i][0]; i++)
    {
      gboolean is_cjk = strstr (lines[i], "ZenHei") || strstr (lines[i], "MicroHei")
                        || strstr (lines[i], "CJK") || strstr (lines[i], "SourceHan")
                        || strstr (lines[i], "DroidSansFallback") || strstr (lines[i], "UMing");

      /* The columns "emb sub uni" read "yes yes yes" for an embedded
       * subset with a ToUnicode map (the text can be searched). */
      g_assert_nonnull (strstr (lines[i], " yes yes yes "));
      cjk |= is_cjk;
    }
  g_assert_true (cjk);
}

static char *
sandbox (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("test-receipt-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
test_receipts (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = sandbox ();
  g_autofree char *path = g_build_filename (dir, "receipt.pdf", NULL);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autofree char *text = NULL;
  g_autofree char *flat = NULL;

  g_assert_true (wf_receipt_write (path, &place, cards, G_N_ELEMENTS (cards), &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (pdf_pages (path), ==, 2);
  text = pdf_text (path);
  flat = squeeze (text);
  /* The card numbers grouped, each on one line. */
  g_assert_nonnull (strstr (text, "0000 0123 45"));
  g_assert_nonnull (strstr (text, "0000 0123 46"));
  for (const char *const *s =
           (const char *const[]){ "医疗保险卡领取回执", "Medical insurance card: hand-over receipt",
                                  "张伟", "阿依古丽·买买提", "9122334455667788",
                                  "510402********2316", "2024-01-05", "2034-01-05", "王丽 (A1024)",
                                  "WS-DQ-03", "攀枝花市医疗保障事务中心", "妥善保管本卡",
                                  "keep the card safe", "领卡人签字", "Signature of the holder",
                                  "原卡遗失", "the old card was lost", NULL };
       *s; s++)
    {
      g_autofree char *want = squeeze (*s);

      g_assert_nonnull (strstr (flat, want));
    }
  /* The ID number only masked. */
  g_assert_null (strstr (text, "510402198503172316"));
  assert_cjk_embedded (path);
  tu_rm_rf_strict (dir);
}

static void
test_batch (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = sandbox ();
  g_autofree char *path = g_build_filename (dir, "batch.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  WfReceiptCard many[40];

  for (guint i = 0; i < G_N_ELEMENTS (many); i++)
    {
      many[i] = cards[i % 2];
      many[i].card_number = g_strdup_printf ("00000%05u", 20000 + i);
      g_ptr_array_add (keep, (char *) many[i].card_number);
    }
  g_assert_true (wf_receipt_write_batch (path, &place, many, G_N_ELEMENTS (many), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (pdf_pages (path), ==, 3);
  text = pdf_text (path);
  g_assert_nonnull (strstr (text, "医疗保险卡批量发放签收单"));
  g_assert_nonnull (strstr (text, "batch hand-over sign-off list"));
  g_assert_nonnull (strstr (text, "B20240105-01"));
  g_assert_nonnull (strstr (text, "第 3/3 页 Page 3 of 3"));
  /* Every card, its number grouped: 0000 0200 00 … 0000 0200 39. */
  for (guint i = 0; i < G_N_ELEMENTS (many); i++)
    {
      g_autofree char *grouped = g_strdup_printf ("0000 0200 %02u", i);

      g_assert_nonnull (strstr (text, grouped));
    }
  g_assert_nonnull (strstr (text, "签字"));
  assert_cjk_embedded (path);
  tu_rm_rf_strict (dir);
}

static void
test_unwritable (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = sandbox ();
  g_autofree char *path = g_build_filename (dir, "no-such-folder", "receipt.pdf", NULL);

  g_assert_false (wf_receipt_write (path, &place, cards, 1, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Choose another folder"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  tu_rm_rf_strict (dir);
}

/* wf_receipt_render draws the page wf_receipt_write writes: the same
 * text; scaled to a smaller paper it stays inside it. */
static void
test_render (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = sandbox ();
  g_autofree char *written = g_build_filename (dir, "written.pdf", NULL);
  g_autofree char *drawn = g_build_filename (dir, "drawn.pdf", NULL);
  g_autofree char *text_written = NULL;
  g_autofree char *text_drawn = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double x, y, w, h;
  const double scale = 0.5;

  g_assert_true (wf_receipt_write (written, &place, &cards[1], 1, &error));
  g_assert_no_error (error);
  surface = cairo_pdf_surface_create (drawn, WF_RECEIPT_PAGE_WIDTH, WF_RECEIPT_PAGE_HEIGHT);
  cr = cairo_create (surface);
  wf_receipt_render (cr, &place, &cards[1]);
  cairo_show_page (cr);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  cairo_surface_destroy (surface);
  g_assert_cmpuint (pdf_pages (drawn), ==, 1);
  text_written = pdf_text (written);
  text_drawn = pdf_text (drawn);
  g_assert_nonnull (strstr (text_drawn, "阿依古丽·买买提"));
  g_assert_nonnull (strstr (text_drawn, "0000 0123 46"));
  g_assert_cmpstr (text_drawn, ==, text_written);

  /* On a recording surface at half size: ink, all of it inside the half
   * page, and the caller's state (source, matrix) as it was. */
  surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  cairo_set_source_rgb (cr, 1, 0, 0);
  wf_receipt_render (cr, &place, &cards[0]);
  {
    cairo_matrix_t m;
    double r, g, b, a;

    cairo_get_matrix (cr, &m);
    g_assert_cmpfloat (m.xx, ==, scale);
    g_assert_cmpint (cairo_pattern_get_rgba (cairo_get_source (cr), &r, &g, &b, &a), ==,
                     CAIRO_STATUS_SUCCESS);
    g_assert_cmpfloat (r, ==, 1);
  }
  cairo_destroy (cr);
  cairo_recording_surface_ink_extents (surface, &x, &y, &w, &h);
  cairo_surface_destroy (surface);
  g_assert_cmpfloat (w, >, 100 * scale);
  g_assert_cmpfloat (h, >, 400 * scale);
  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (y, >=, 0);
  g_assert_cmpfloat (x + w, <=, WF_RECEIPT_PAGE_WIDTH * scale + 1);
  g_assert_cmpfloat (y + h, <=, WF_RECEIPT_PAGE_HEIGHT * scale + 1);
  tu_rm_rf_strict (dir);
}

static void
test_mask (void)
{
  g_autofree char *m = wf_receipt_mask_id ("11010519491231002X");

  g_assert_cmpstr (m, ==, "110105********002X");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/receipt/receipts", test_receipts);
  g_test_add_func ("/receipt/batch", test_batch);
  g_test_add_func ("/receipt/unwritable", test_unwritable);
  g_test_add_func ("/receipt/render", test_render);
  g_test_add_func ("/receipt/mask", test_mask);
  return g_test_run ();
}
