/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-receipt.c: hand-over receipts and batch sign-off lists as PDF.
 *
 * Each call has its own PangoCairo font map (workflows run in worker
 * threads; the default map is per thread anyway) at 72 dpi, so a point in
 * a font size is a point on the A4 page.  The wording is a fixed document
 * in both languages, not the program's translation.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <cairo-pdf.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "wf-icard.h"
#include "wf-receipt.h"

#define A4_W WF_RECEIPT_PAGE_WIDTH
#define A4_H WF_RECEIPT_PAGE_HEIGHT
#define MARGIN 56.0
#define BODY_PT 10.5

typedef struct {
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoFontMap *fonts;
  PangoContext *context;
  double y; /* the pen, from the top of the page */
} Doc;

static const char *const statement_zh =
    "本人已当面领取上述医疗保险卡，并核对卡面及卡内信息无误。本人承诺：妥善保管本卡，"
    "不出借、不转让、不让他人冒用，本卡仅限本人就医结算使用；卡片遗失时立即到经办机构"
    "办理挂失；因保管不善造成的损失由本人承担。";
static const char *const statement_en =
    "I have received the medical insurance card above in person and checked that its details "
    "are correct. I undertake to keep the card safe, not to lend or transfer it nor let "
    "anyone else use it, and to use it only for my own medical settlements; to report its "
    "loss to the issuing office at once; and to bear any loss caused by careless keeping.";

/* Text is set with a font map of its own at 72 dpi on cr, whatever cr
 * draws on (a PDF surface or a printer's page). */
static void
doc_begin (Doc *d, cairo_t *cr)
{
  d->cr = cr;
  d->fonts = pango_cairo_font_map_new ();
  d->context = pango_font_map_create_context (d->fonts);
  pango_cairo_context_set_resolution (d->context, 72.0);
  pango_cairo_update_context (d->cr, d->context);
  d->y = MARGIN;
}

static gboolean
doc_open (Doc *d, const char *path, GError **error)
{
  cairo_status_t st;

  memset (d, 0, sizeof *d);
  d->surface = cairo_pdf_surface_create (path, A4_W, A4_H);
  st = cairo_surface_status (d->surface);
  if (st != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _ ("The receipt could not be written to %s (%s). Choose another folder."), path,
                   cairo_status_to_string (st));
      cairo_surface_destroy (d->surface);
      d->surface = NULL;
      return FALSE;
    }
  cairo_pdf_surface_set_metadata (d->surface, CAIRO_PDF_METADATA_CREATOR, "insucard");
  doc_begin (d, cairo_create (d->surface));
  return TRUE;
}

/* Finishes the PDF; FALSE (with the reason) when anything failed. */
static gboolean
doc_close (Doc *d, const char *path, GError **error)
{
  cairo_status_t st = CAIRO_STATUS_SUCCESS;

  if (d->cr)
    {
      st = cairo_status (d->cr);
      cairo_destroy (d->cr);
    }
  if (d->surface)
    {
      cairo_surface_finish (d->surface);
      if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status (d->surface);
      cairo_surface_destroy (d->surface);
    }
  g_clear_object (&d->context);
  g_clear_object (&d->fonts);
  if (st != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _ ("The receipt could not be written to %s (%s). Choose another folder."), path,
                   cairo_status_to_string (st));
      return FALSE;
    }
  return TRUE;
}

/* Draws text at (x, d->y) within width; returns its height. */
static double
text_at (Doc *d, double x, double width, const char *text, double pt, gboolean bold,
         PangoAlignment align)
{
  g_autoptr (PangoLayout) layout = pango_layout_new (d->context);
  PangoFontDescription *fd = pango_font_description_from_string (WF_RECEIPT_FONTS);
  int w, h;

  pango_font_description_set_size (fd, (gint) (pt * PANGO_SCALE));
  pango_font_description_set_weight (fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (layout, fd);
  pango_font_description_free (fd);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (d->cr, x, d->y);
  pango_cairo_show_layout (d->cr, layout);
  pango_layout_get_size (layout, &w, &h);
  return (double) h / PANGO_SCALE;
}

/* A paragraph across the page; the pen moves below it. */
static void
para (Doc *d, const char *text, double pt, gboolean bold, PangoAlignment align, double after)
{
  d->y += text_at (d, MARGIN, A4_W - 2 * MARGIN, text, pt, bold, align) + after;
}

static void
hline (Doc *d, double x0, double x1, double y)
{
  cairo_set_line_width (d->cr, 0.6);
  cairo_move_to (d->cr, x0, y);
  cairo_line_to (d->cr, x1, y);
  cairo_stroke (d->cr);
}

/* "label zh / label en" on the left, the value on the right. */
static void
field (Doc *d, const char *zh, const char *en, const char *value)
{
  g_autofree char *label = g_strdup_printf ("%s  %s", zh, en);
  double h1 = text_at (d, MARGIN, 190, label, BODY_PT, FALSE, PANGO_ALIGN_LEFT);
  double h2 = text_at (d, MARGIN + 200, A4_W - 2 * MARGIN - 200, value ? value : "—", BODY_PT + 1,
                       TRUE, PANGO_ALIGN_LEFT);

  d->y += MAX (h1, h2) + 7;
}

static const char *
kind_text (WfReceiptKind kind)
{
  switch (kind)
    {
    case WF_RECEIPT_REPLACEMENT_LOST:
      return "补卡（原卡遗失，已挂失）  Replacement: the old card was lost and is blocked";
    case WF_RECEIPT_REPLACEMENT_DAMAGED:
      return "换卡（原卡损坏，已收回）  Replacement: the old card was damaged and withdrawn";
    default:
      return "新发卡  First issue";
    }
}

static char *
masked (const char *id)
{
  gsize n = id ? strlen (id) : 0;
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < n; i++)
    g_string_append_c (s, (i < 6 || i + 4 >= n) ? id[i] : '*');
  return g_string_free (s, FALSE);
}

char *
wf_receipt_mask_id (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);
  return masked (id);
}

/* One receipt on the page, in A4 points from the origin; the page is not
 * ended. */
static void
receipt_draw (Doc *d, const WfReceiptPlace *place, const WfReceiptCard *c)
{
  g_autofree char *number = wf_icard_format_card_number (c->card_number ? c->card_number : "");
  g_autofree char *id = masked (c->id_number);
  g_autofree char *date = wf_icard_date_format (c->date ? c->date : "");
  g_autofree char *valid = c->valid_until ? wf_icard_date_format (c->valid_until) : NULL;
  double sig;

  d->y = MARGIN;
  para (d, place->office ? place->office : "", BODY_PT, FALSE, PANGO_ALIGN_CENTER, 6);
  para (d, "医疗保险卡领取回执", 20, TRUE, PANGO_ALIGN_CENTER, 2);
  para (d, "Medical insurance card: hand-over receipt", 13, FALSE, PANGO_ALIGN_CENTER, 18);
  hline (d, MARGIN, A4_W - MARGIN, d->y);
  d->y += 14;
  field (d, "办理事项", "Service", kind_text (c->kind));
  field (d, "持卡人", "Holder", c->holder_name);
  field (d, "公民身份号码", "ID number", id);
  field (d, "卡号", "Card number", number);
  field (d, "卡片序列号", "Card serial (SN)", c->serial_hex);
  field (d, "发卡日期", "Date of issue", date);
  if (valid)
    field (d, "有效期至", "Valid until", valid);
  field (d, "经办人", "Operator", place->operator_name);
  field (d, "工作站", "Workstation", place->workstation);
  field (d, "经办机构", "Issuing office", place->office);
  d->y += 6;
  hline (d, MARGIN, A4_W - MARGIN, d->y);
  d->y += 14;
  para (d, "持卡人承诺  Holder's undertaking", BODY_PT + 1, TRUE, PANGO_ALIGN_LEFT, 6);
  para (d, statement_zh, BODY_PT, FALSE, PANGO_ALIGN_LEFT, 6);
  para (d, statement_en, BODY_PT - 1, FALSE, PANGO_ALIGN_LEFT, 40);

  sig = d->y;
  text_at (d, MARGIN, 250, "领卡人签字  Signature of the holder", BODY_PT, FALSE, PANGO_ALIGN_LEFT);
  text_at (d, MARGIN + 300, 180, "日期  Date", BODY_PT, FALSE, PANGO_ALIGN_LEFT);
  hline (d, MARGIN, MARGIN + 270, sig + 44);
  hline (d, MARGIN + 300, A4_W - MARGIN, sig + 44);
  d->y = sig + 70;
  sig = d->y;
  text_at (d, MARGIN, 250, "经办人签字  Signature of the operator", BODY_PT, FALSE,
           PANGO_ALIGN_LEFT);
  hline (d, MARGIN, MARGIN + 270, sig + 44);
  d->y = A4_H - MARGIN - 14;
  para (d, "本回执由经办机构存档。  The issuing office keeps this receipt on file.", BODY_PT - 2,
        FALSE, PANGO_ALIGN_CENTER, 0);
}

void
wf_receipt_render (cairo_t *cr, const WfReceiptPlace *place, const WfReceiptCard *card)
{
  Doc d = { 0 };

  g_return_if_fail (cr != NULL && place != NULL && card != NULL);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  doc_begin (&d, cr);
  receipt_draw (&d, place, card);
  g_clear_object (&d.context);
  g_clear_object (&d.fonts);
  cairo_restore (cr);
}

/* Writes to a temporary file beside path, then renames it over path. */
typedef void (*DrawFunc) (Doc *d, const WfReceiptPlace *place, const WfReceiptCard *cards, guint n);

static gboolean
write_pdf (const char *path, const WfReceiptPlace *place, const WfReceiptCard *cards, guint n,
           DrawFunc draw, GError **error)
{
  g_autofree char *tmp = g_strconcat (path, ".part", NULL);
  Doc d;

  if (!doc_open (&d, tmp, error))
    return FALSE;
  draw (&d, place, cards, n);
  if (!doc_close (&d, tmp, error))
    {
      g_unlink (tmp);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int e = errno;

      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e),
                   _ ("The receipt could not be written to %s (%s). Choose another folder."), path,
                   g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

static void
draw_receipts (Doc *d, const WfReceiptPlace *place, const WfReceiptCard *cards, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      receipt_draw (d, place, &cards[i]);
      cairo_show_page (d->cr);
    }
}

gboolean
wf_receipt_write (const char *path, const WfReceiptPlace *place, const WfReceiptCard *cards,
                  guint n_cards, GError **error)
{
  g_return_val_if_fail (path != NULL && place != NULL, FALSE);
  g_return_val_if_fail (cards != NULL && n_cards > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return write_pdf (path, place, cards, n_cards, draw_receipts, error);
}

/* -- the batch sign-off list */

#define ROW_H 30.0
static const struct {
  const char *zh, *en;
  double width;
} columns[] = {
  { "序号", "No.", 26 },
  { "姓名", "Name", 82 },
  { "公民身份号码", "ID number", 100 },
  { "卡号", "Card number", 76 },
  { "序列号", "SN", 88 },
  { "签字", "Signature", 62 },
  { "日期", "Date", 0 /* the rest */ },
};

static double
column_x (guint c)
{
  double x = MARGIN;

  for (guint i = 0; i < c; i++)
    x += columns[i].width;
  return x;
}

static double
column_w (guint c)
{
  return columns[c].width > 0 ? columns[c].width : A4_W - MARGIN - column_x (c);
}

static void
batch_header (Doc *d, const WfReceiptPlace *place, guint page, guint pages, guint n)
{
  g_autofree char *ref =
      g_strdup_printf ("批次 Batch: %s    共 %u 张 Cards: %u    第 %u/%u 页 Page %u of %u",
                       place->batch_id ? place->batch_id : "—", n, n, page, pages, page, pages);
  g_autofree char *who = g_strdup_printf ("经办机构 Office: %s    经办人 Operator: %s    工作站 "
                                          "Workstation: %s",
                                          place->office ? place->office : "—",
                                          place->operator_name ? place->operator_name : "—",
                                          place->workstation ? place->workstation : "—");

  d->y = MARGIN;
  para (d, "医疗保险卡批量发放签收单", 18, TRUE, PANGO_ALIGN_CENTER, 2);
  para (d, "Medical insurance cards: batch hand-over sign-off list", 12, FALSE, PANGO_ALIGN_CENTER,
        10);
  para (d, who, BODY_PT - 1, FALSE, PANGO_ALIGN_LEFT, 2);
  para (d, ref, BODY_PT - 1, FALSE, PANGO_ALIGN_LEFT, 6);
  para (d,
        "下列人员已当面领取本人的医疗保险卡，核对信息无误，并承诺妥善保管、不出借、不转让。"
        "  The persons below received their own medical insurance cards in person, checked "
        "their details, and undertake to keep them safe and not to lend or transfer them.",
        BODY_PT - 1.5, FALSE, PANGO_ALIGN_LEFT, 8);
  for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
    {
      g_autofree char *t = g_strdup_printf ("%s\n%s", columns[c].zh, columns[c].en);

      text_at (d, column_x (c) + 3, column_w (c) - 6, t, BODY_PT - 2, TRUE, PANGO_ALIGN_LEFT);
    }
  d->y += 26;
  hline (d, MARGIN, A4_W - MARGIN, d->y);
}

static void
batch_row (Doc *d, guint i, const WfReceiptCard *c)
{
  g_autofree char *no = g_strdup_printf ("%u", i + 1);
  g_autofree char *id = masked (c->id_number);
  g_autofree char *number = wf_icard_format_card_number (c->card_number ? c->card_number : "");
  const char *cells[] = { no, c->holder_name, id, number, c->serial_hex, "", "" };
  double y = d->y;

  d->y = y + 9;
  for (guint col = 0; col < G_N_ELEMENTS (cells); col++)
    text_at (d, column_x (col) + 3, column_w (col) - 6, cells[col] ? cells[col] : "", BODY_PT - 1.5,
             FALSE, PANGO_ALIGN_LEFT);
  d->y = y + ROW_H;
  hline (d, MARGIN, A4_W - MARGIN, d->y);
}

static void
draw_batch (Doc *d, const WfReceiptPlace *place, const WfReceiptCard *cards, guint n)
{
  const double first_row = 230.0; /* below the header, with room to spare */
  guint per_page = (guint) ((A4_H - MARGIN - 40 - first_row) / ROW_H);
  guint pages = (n + per_page - 1) / per_page;

  for (guint p = 0; p < pages; p++)
    {
      batch_header (d, place, p + 1, pages, n);
      for (guint i = p * per_page; i < MIN (n, (p + 1) * per_page); i++)
        batch_row (d, i, &cards[i]);
      d->y = A4_H - MARGIN - 14;
      para (d, "经办人签字  Signature of the operator: ____________________", BODY_PT - 1, FALSE,
            PANGO_ALIGN_RIGHT, 0);
      cairo_show_page (d->cr);
    }
}

gboolean
wf_receipt_write_batch (const char *path, const WfReceiptPlace *place, const WfReceiptCard *cards,
                        guint n_cards, GError **error)
{
  g_return_val_if_fail (path != NULL && place != NULL, FALSE);
  g_return_val_if_fail (cards != NULL && n_cards > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return write_pdf (path, place, cards, n_cards, draw_batch, error);
}
