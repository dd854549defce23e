/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-log-report.c: the audit log exported as CSV, and the auditor's report
 * of a period, laid out and drawn with cairo and Pango (wf-log-report.h).
 *
 * Why this file is long: the report's data, its layout walk and its PDF /
 * print output are one flow; the CSV export (80 lines) could move out.
 *
 * The renderer lays the report out as a flow of headings, paragraphs and
 * table rows; the same walk measures (cr NULL) and draws the one page
 * asked for, so that a PDF and a printer get the same pages.  Texts are in
 * the program's language; names may be Chinese whatever it is, so the
 * fonts are the receipts' CJK-capable ones. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#include "db-export.h"
#include "wf-error.h"
#include "wf-log-reader.h"
#include "wf-log-report.h"
#include "wf-receipt.h"
#include "wf-session.h"
#include "wf-task.h"

static gboolean
require (WfTask *task, GError **error)
{
  if (task->session == NULL || !wf_session_is_active (task->session))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN,
                           _ ("Log in first: your administrator or key card in R1 and its PIN."));
      return FALSE;
    }
  return wf_session_require (task->session, WF_PERM_AUDIT, error);
}

/* -- CSV ----------------------------------------------------------------------------------- */

typedef struct {
  const DbAuditFilter *filter;
  const char *path;
  gboolean bom;
  gint64 rows;
} ExportParams;

static gpointer
export_task (WfTask *task, gpointer data, GError **error)
{
  ExportParams *p = data;
  g_autoptr (GError) local = NULL;
  g_autofree char *detail = NULL;
  DbDatabase *db;

  if (!require (task, &local) || (db = wf_task_db (task, &local)) == NULL
      || !db_audit_export_csv (db, p->filter, p->path, p->bom ? DB_CSV_BOM : DB_CSV_DEFAULT,
                               &p->rows, &local))
    {
      if (!g_error_matches (local, WF_ERROR, WF_ERROR_NOT_LOGGED_IN))
        wf_task_audit_failure (task, DB_ACTION_EXPORT, NULL, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  /* Not translated: the audit log keeps one language. */
  detail = g_strdup_printf ("%lld audit rows as CSV to %s", (long long) p->rows, p->path);
  if (!wf_task_audit (task, DB_ACTION_EXPORT, DB_OUTCOME_OK, NULL, NULL, NULL, NULL, detail, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

gboolean
wf_log_export (WfDesk *desk, WfInteraction *interaction, const DbAuditFilter *filter,
               const char *path, gboolean bom, gint64 *rows, GCancellable *cancellable,
               GError **error)
{
  ExportParams p = { filter, path, bom, 0 };

  g_return_val_if_fail (path != NULL, FALSE);

  if (wf_task_run (desk, interaction, export_task, &p, cancellable, error) == NULL)
    return FALSE;
  if (rows != NULL)
    *rows = p.rows;
  return TRUE;
}

/* -- gathering the report ------------------------------------------------------------------ */

struct _WfLogReport {
  DbAuditFilter filter;
  char *period; /* "from … to …" */
  char *conditions; /* the filter's other conditions, or NULL */
  char *made; /* by whom, where, when */
  char *database;
  gint64 rows, ok, refused, failed;
  GPtrArray *by_action; /* DbAuditTotal */
  GPtrArray *by_operator; /* DbAuditTotal */
  GPtrArray *problems; /* DbAuditRow: refused and failed rows, oldest first */
  gint64 problems_total;
  gint64 head_seq;
  char head_hex[2 * DB_AUDIT_HASH_LEN + 1];
  DbAuditState state;
  guint n_pages;
};

void
wf_log_report_free (WfLogReport *r)
{
  if (r == NULL)
    return;
  wf_audit_filter_clear (&r->filter);
  g_free (r->period);
  g_free (r->conditions);
  g_free (r->made);
  g_free (r->database);
  g_clear_pointer (&r->by_action, g_ptr_array_unref);
  g_clear_pointer (&r->by_operator, g_ptr_array_unref);
  g_clear_pointer (&r->problems, g_ptr_array_unref);
  db_audit_state_clear (&r->state);
  g_free (r);
}

gint64
wf_log_report_get_rows (WfLogReport *report)
{
  g_return_val_if_fail (report != NULL, 0);
  return report->rows;
}

static char *
local_time (const char *iso)
{
  g_autoptr (GDateTime) t = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr (GDateTime) local = t != NULL ? g_date_time_to_local (t) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup (iso);
}

static char *
describe_period (const DbAuditFilter *f)
{
  g_autoptr (GDateTime) since = f->since != NULL ? g_date_time_to_local (f->since) : NULL;
  /* until is the first moment after the period: its last day is before. */
  g_autoptr (GDateTime) last = f->until != NULL ? g_date_time_add_seconds (f->until, -1) : NULL;
  g_autoptr (GDateTime) last_local = last != NULL ? g_date_time_to_local (last) : NULL;
  g_autofree char *from = since != NULL ? g_date_time_format (since, "%Y-%m-%d") : NULL;
  g_autofree char *to = last_local != NULL ? g_date_time_format (last_local, "%Y-%m-%d") : NULL;

  if (from != NULL && to != NULL)
    return g_strdup_printf (_ ("From %s to %s"), from, to);
  if (from != NULL)
    return g_strdup_printf (_ ("From %s to the newest row"), from);
  if (to != NULL)
    return g_strdup_printf (_ ("From the first row to %s"), to);
  return g_strdup (_ ("The whole log"));
}

static void
add_condition (GString *s, const char *label, const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  if (s->len > 0)
    g_string_append (s, "; ");
  g_string_append_printf (s, "%s %s", label, value);
}

static char *
describe_conditions (const DbAuditFilter *f)
{
  GString *s = g_string_new (NULL);

  add_condition (s, _ ("workstation"), f->workstation);
  add_condition (s, _ ("operator card"), f->operator_serial);
  if (f->action != DB_ACTION_ANY)
    add_condition (s, _ ("action"), db_action_get_label (f->action));
  if (f->outcome != DB_OUTCOME_ANY)
    add_condition (s, _ ("outcome"), db_outcome_to_string (f->outcome));
  add_condition (s, _ ("card number"), f->card_number);
  add_condition (s, _ ("SN"), f->card_sn);
  add_condition (s, _ ("holder ID"), f->holder_id);
  if (s->len == 0)
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  return g_string_free (s, FALSE);
}

static int
compare_rows (gconstpointer a, gconstpointer b)
{
  const DbAuditRow *x = *(const DbAuditRow **) a, *y = *(const DbAuditRow **) b;
  int c = strcmp (x->at, y->at);

  return c != 0 ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* The refused and failed rows of the filter, oldest first, at most MAX. */
static gboolean
gather_problems (WfLogReport *r, DbDatabase *db, GError **error)
{
  static const DbOutcome outcomes[] = { DB_OUTCOME_REFUSED, DB_OUTCOME_FAILED };

  r->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) db_audit_row_free);
  for (gsize i = 0; i < G_N_ELEMENTS (outcomes); i++)
    {
      DbAuditFilter f = r->filter;
      gint64 after = 0;

      if (f.outcome != DB_OUTCOME_ANY && f.outcome != outcomes[i])
        continue;
      f.outcome = outcomes[i];
      while (r->problems->len < 2 * WF_LOG_REPORT_MAX_ROWS)
        {
          g_autoptr (GPtrArray) page =
              db_audit_query (db, &f, DB_ORDER_OLDEST_FIRST, after, 1000, error);

          if (page == NULL)
            return FALSE;
          for (guint k = 0; k < page->len; k++)
            g_ptr_array_add (r->problems, g_steal_pointer (&page->pdata[k]));
          if (page->len < 1000 || r->problems->len >= WF_LOG_REPORT_MAX_ROWS * (i + 1))
            break;
          after = ((DbAuditRow *) r->problems->pdata[r->problems->len - 1])->seq;
        }
    }
  g_ptr_array_sort (r->problems, compare_rows);
  if (r->problems->len > WF_LOG_REPORT_MAX_ROWS)
    g_ptr_array_set_size (r->problems, WF_LOG_REPORT_MAX_ROWS);
  r->problems_total = r->refused + r->failed;
  return TRUE;
}

static gpointer
gather_task (WfTask *task, gpointer data, GError **error)
{
  g_autoptr (WfLogReport) r = g_new0 (WfLogReport, 1);
  const DbAuditFilter *filter = data;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  guint8 head[DB_AUDIT_HASH_LEN];
  DbDatabase *db;

  if (!require (task, error) || (db = wf_task_db (task, error)) == NULL)
    return NULL;
  if (filter != NULL)
    wf_audit_filter_copy (&r->filter, filter);
  /* The chain head first: through it, every number below counts the same
   * rows, however many are written meanwhile. */
  if (!db_audit_get_head (db, &r->head_seq, head, error))
    return NULL;
  if (r->filter.through_seq == 0)
    r->filter.through_seq = r->head_seq > 0 ? r->head_seq : -1;
  r->by_action = db_audit_totals (db, &r->filter, DB_AUDIT_BY_ACTION, error);
  if (r->by_action == NULL)
    return NULL;
  for (guint i = 0; i < r->by_action->len; i++)
    {
      DbAuditTotal *t = r->by_action->pdata[i];

      r->rows += t->rows;
      r->ok += t->ok;
      r->refused += t->refused;
      r->failed += t->failed;
    }
  r->by_operator = db_audit_totals (db, &r->filter, DB_AUDIT_BY_OPERATOR, error);
  if (r->by_operator == NULL || !gather_problems (r, db, error)
      || !db_audit_get_state (db, &r->state, error))
    return NULL;
  for (int i = 0; i < DB_AUDIT_HASH_LEN; i++)
    g_snprintf (r->head_hex + 2 * i, 3, "%02x", head[i]);
  r->period = describe_period (&r->filter);
  r->conditions = describe_conditions (&r->filter);
  r->made = g_strdup_printf (
      _ ("Made by %s (card %s) at %s, %s"), wf_session_get_holder_name (task->session),
      wf_session_get_serial (task->session), wf_desk_get_workstation (task->desk), when);
  r->database = g_strdup (wf_desk_get_db_path (task->desk));
  return g_steal_pointer (&r);
}

WfLogReport *
wf_log_report_new (WfDesk *desk, WfInteraction *interaction, const DbAuditFilter *filter,
                   GCancellable *cancellable, GError **error)
{
  return wf_task_run (desk, interaction, gather_task, (gpointer) filter, cancellable, error);
}

/* -- the renderer -------------------------------------------------------------------------- */

#define MARGIN 42.0
#define FOOTER_H 46.0
#define BODY_PT 9.0
#define SMALL_PT 7.0
#define ROW_GAP 2.0

typedef struct {
  const char *title;
  double width; /* a share of the text width */
  PangoAlignment align;
} Column;

typedef struct {
  WfLogReport *r;
  cairo_t *cr; /* NULL while laying out */
  PangoContext *pc;
  double w, h;
  guint page; /* the page the pen is on */
  guint target; /* the page to draw */
  double y;
  const Column *table; /* the table being drawn, its header repeated */
  guint n_columns;
  double table_pt;
} Pen;

static double
bottom (const Pen *p)
{
  return p->h - MARGIN - FOOTER_H;
}

static gboolean
drawing (const Pen *p)
{
  return p->cr != NULL && p->page == p->target;
}

static PangoLayout *
layout (Pen *p, const char *text, double pt, gboolean bold, gboolean mono, double width,
        gboolean one_line, PangoAlignment align)
{
  PangoLayout *l = pango_layout_new (p->pc);
  PangoFontDescription *fd =
      pango_font_description_from_string (mono ? "Monospace" : WF_RECEIPT_FONTS);

  pango_font_description_set_size (fd, (gint) (pt * PANGO_SCALE));
  pango_font_description_set_weight (fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description (l, fd);
  pango_font_description_free (fd);
  pango_layout_set_width (l, (int) (width * PANGO_SCALE));
  if (one_line)
    pango_layout_set_ellipsize (l, PANGO_ELLIPSIZE_END);
  else
    pango_layout_set_wrap (l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (l, align);
  pango_layout_set_text (l, text != NULL ? text : "", -1);
  return l;
}

static double
layout_height (PangoLayout *l)
{
  int w, h;

  pango_layout_get_size (l, &w, &h);
  return (double) h / PANGO_SCALE;
}

static void
show (Pen *p, PangoLayout *l, double x, double y)
{
  if (!drawing (p))
    return;
  cairo_move_to (p->cr, x, y);
  pango_cairo_show_layout (p->cr, l);
}

static void
rule (Pen *p, double y, double width)
{
  if (!drawing (p))
    return;
  cairo_set_line_width (p->cr, width);
  cairo_move_to (p->cr, MARGIN, y);
  cairo_line_to (p->cr, p->w - MARGIN, y);
  cairo_stroke (p->cr);
}

static void table_header (Pen *p);

static void
new_page (Pen *p)
{
  p->page++;
  p->y = MARGIN;
  if (p->table != NULL)
    table_header (p);
}

/* Makes room for height points on this page, or starts the next one. */
static void
need (Pen *p, double height)
{
  if (p->y + height > bottom (p) && p->y > MARGIN)
    new_page (p);
}

static void
para (Pen *p, const char *text, double pt, gboolean bold, double after)
{
  g_autoptr (PangoLayout) l =
      layout (p, text, pt, bold, FALSE, p->w - 2 * MARGIN, FALSE, PANGO_ALIGN_LEFT);
  double h = layout_height (l);

  need (p, h);
  show (p, l, MARGIN, p->y);
  p->y += h + after;
}

/* One table row of cells; the header row is bold over a rule. */
static void
table_row (Pen *p, const char *const *cells, gboolean bold)
{
  double text_w = p->w - 2 * MARGIN, x = MARGIN, h = 0;
  PangoLayout *ls[16];

  g_assert (p->n_columns <= G_N_ELEMENTS (ls));
  for (guint c = 0; c < p->n_columns; c++)
    {
      ls[c] = layout (p, cells[c], p->table_pt, bold, FALSE, p->table[c].width * text_w - 4, TRUE,
                      p->table[c].align);
      h = MAX (h, layout_height (ls[c]));
    }
  if (!bold)
    need (p, h + ROW_GAP);
  for (guint c = 0; c < p->n_columns; c++)
    {
      show (p, ls[c], x, p->y);
      x += p->table[c].width * text_w;
      g_object_unref (ls[c]);
    }
  p->y += h + ROW_GAP;
  if (bold)
    {
      rule (p, p->y, 0.5);
      p->y += ROW_GAP;
    }
}

static void
table_header (Pen *p)
{
  const char *titles[16];

  for (guint c = 0; c < p->n_columns; c++)
    titles[c] = _ (p->table[c].title);
  table_row (p, titles, TRUE);
}

static void
table_begin (Pen *p, const Column *columns, guint n, double pt)
{
  p->table = NULL;
  p->n_columns = n;
  p->table_pt = pt;
  /* The header and two rows together, or none of them on this page. */
  need (p, 4 * (BODY_PT * 1.5 + ROW_GAP));
  p->table = columns;
  table_header (p);
}

static void
table_end (Pen *p, double after)
{
  p->table = NULL;
  p->y += after;
}

static char *
number (gint64 n)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

static const Column action_columns[] = {
  { N_ ("Action"), 0.40, PANGO_ALIGN_LEFT },  { N_ ("Rows"), 0.15, PANGO_ALIGN_RIGHT },
  { N_ ("OK"), 0.15, PANGO_ALIGN_RIGHT },     { N_ ("Refused"), 0.15, PANGO_ALIGN_RIGHT },
  { N_ ("Failed"), 0.15, PANGO_ALIGN_RIGHT },
};

static const Column operator_columns[] = {
  { N_ ("Operator"), 0.25, PANGO_ALIGN_LEFT }, { N_ ("Card"), 0.23, PANGO_ALIGN_LEFT },
  { N_ ("Rows"), 0.13, PANGO_ALIGN_RIGHT },    { N_ ("OK"), 0.13, PANGO_ALIGN_RIGHT },
  { N_ ("Refused"), 0.13, PANGO_ALIGN_RIGHT }, { N_ ("Failed"), 0.13, PANGO_ALIGN_RIGHT },
};

static const Column problem_columns[] = {
  { N_ ("Row"), 0.07, PANGO_ALIGN_RIGHT },
  { N_ ("Time"), 0.19, PANGO_ALIGN_LEFT },
  { N_ ("Workstation"), 0.10, PANGO_ALIGN_LEFT },
  { N_ ("Operator"), 0.09, PANGO_ALIGN_LEFT },
  { N_ ("Action"), 0.14, PANGO_ALIGN_LEFT },
  { N_ ("Outcome"), 0.17, PANGO_ALIGN_LEFT },
  { N_ ("Subject and detail"), 0.24, PANGO_ALIGN_LEFT },
};

static void
totals_table (Pen *p, GPtrArray *totals, gboolean operators)
{
  g_autofree char *rows = number (p->r->rows), *ok = number (p->r->ok);
  g_autofree char *refused = number (p->r->refused), *failed = number (p->r->failed);

  if (operators)
    table_begin (p, operator_columns, G_N_ELEMENTS (operator_columns), BODY_PT);
  else
    table_begin (p, action_columns, G_N_ELEMENTS (action_columns), BODY_PT);
  for (guint i = 0; i < totals->len; i++)
    {
      DbAuditTotal *t = totals->pdata[i];
      g_autofree char *n = number (t->rows), *o = number (t->ok);
      g_autofree char *rf = number (t->refused), *f = number (t->failed);
      DbAction action = db_action_from_string (t->key);
      const char *label = action != DB_ACTION_ANY ? db_action_get_label (action) : t->key;
      const char *who = *t->name != '\0' ? t->name : _ ("(no operator card)");
      const char *by_action[] = { label, n, o, rf, f };
      const char *by_operator[] = { who, t->key, n, o, rf, f };

      table_row (p, operators ? by_operator : by_action, FALSE);
    }
  {
    const char *by_action[] = { _ ("Total"), rows, ok, refused, failed };
    const char *by_operator[] = { _ ("Total"), "", rows, ok, refused, failed };

    rule (p, p->y, 0.3);
    p->y += ROW_GAP;
    table_row (p, operators ? by_operator : by_action, FALSE);
  }
  table_end (p, 12);
}

/* "Refused (card-removed)", as the log page shows it. */
static char *
outcome_text (const DbAuditRow *row)
{
  const char *label;

  switch (db_outcome_from_string (row->outcome))
    {
    case DB_OUTCOME_REFUSED:
      label = _ ("Refused");
      break;
    case DB_OUTCOME_FAILED:
      label = _ ("Failed");
      break;
    case DB_OUTCOME_OK:
      label = _ ("OK");
      break;
    default:
      label = row->outcome;
    }
  return *row->error_code != '\0' ? g_strdup_printf ("%s (%s)", label, row->error_code)
                                  : g_strdup (label);
}

static void
problems_table (Pen *p)
{
  WfLogReport *r = p->r;

  /* The widest table: a point smaller, so that times fit whole. */
  table_begin (p, problem_columns, G_N_ELEMENTS (problem_columns), BODY_PT - 1);
  for (guint i = 0; i < r->problems->len; i++)
    {
      DbAuditRow *row = r->problems->pdata[i];
      g_autofree char *seq = number (row->seq);
      g_autofree char *at = local_time (row->at);
      g_autofree char *outcome = outcome_text (row);
      g_autoptr (GString) subject = g_string_new (NULL);
      DbAction action = db_action_from_string (row->action);
      const char *cells[7];

      for (const char *const *part = (const char *const[]){ row->card_number, row->card_sn,
                                                            row->holder_id, row->detail, NULL };
           *part != NULL; part++)
        if (**part != '\0')
          g_string_append_printf (subject, "%s%s", subject->len > 0 ? " · " : "", *part);
      cells[0] = seq;
      cells[1] = at;
      cells[2] = row->workstation;
      cells[3] = row->operator_name;
      cells[4] = action != DB_ACTION_ANY ? db_action_get_label (action) : row->action;
      cells[5] = outcome;
      cells[6] = subject->str;
      table_row (p, cells, FALSE);
    }
  table_end (p, 8);
}

/* The whole report, page after page; draws p->target when p->cr is set. */
static void
render (Pen *p)
{
  WfLogReport *r = p->r;
  g_autofree char *summary = NULL;

  p->page = 0;
  p->y = MARGIN;
  p->table = NULL;
  para (p, _ ("Audit log report"), 16, TRUE, 4);
  para (p, r->period, 11, FALSE, 2);
  if (r->conditions != NULL)
    {
      g_autofree char *only = g_strdup_printf (_ ("Only rows with %s."), r->conditions);

      para (p, only, BODY_PT, FALSE, 2);
    }
  para (p, r->made, BODY_PT, FALSE, 2);
  para (p, r->database, SMALL_PT, FALSE, 10);
  summary =
      g_strdup_printf (_ ("%lld rows: %lld ok, %lld refused, %lld failed."), (long long) r->rows,
                       (long long) r->ok, (long long) r->refused, (long long) r->failed);
  para (p, summary, 11, TRUE, 10);

  para (p, _ ("Per action"), 12, TRUE, 4);
  totals_table (p, r->by_action, FALSE);
  para (p, _ ("Per operator"), 12, TRUE, 4);
  totals_table (p, r->by_operator, TRUE);

  para (p, _ ("Refused and failed"), 12, TRUE, 4);
  if (r->problems->len == 0)
    para (p, _ ("None."), BODY_PT, FALSE, 8);
  else
    {
      problems_table (p);
      if (r->problems_total > r->problems->len)
        {
          g_autofree char *more = g_strdup_printf (
              _ ("The first %u of %lld rows are listed; export the rows as CSV for all of "
                 "them."),
              r->problems->len, (long long) r->problems_total);

          para (p, more, BODY_PT, FALSE, 8);
        }
    }
}

/* Every page: the chain head, the last seal, the page number. */
static void
footer (Pen *p, guint page)
{
  WfLogReport *r = p->r;
  double y = p->h - MARGIN - FOOTER_H + 10, width = p->w - 2 * MARGIN;
  g_autofree char *head = NULL;
  g_autofree char *seal = NULL;
  g_autofree char *page_text = NULL;
  g_autofree char *seal_at = NULL;
  g_autoptr (PangoLayout) l1 = NULL;
  g_autoptr (PangoLayout) l2 = NULL;
  g_autoptr (PangoLayout) l3 = NULL;

  head = r->head_seq > 0 ? g_strdup_printf (_ ("Chain head: row %lld, SHA-256 %s"),
                                            (long long) r->head_seq, r->head_hex)
                         : g_strdup (_ ("Chain head: the log is empty."));
  seal_at = local_time (r->state.last_seal_at);
  seal =
      r->state.last_seal_id > 0
          ? g_strdup_printf (_ ("Last seal: %lld, through row %lld, at %s by %s; %lld rows "
                                "not yet sealed."),
                             (long long) r->state.last_seal_id, (long long) r->state.last_seal_seq,
                             seal_at, r->state.last_seal_sealer, (long long) r->state.unsealed)
          : g_strdup (_ ("Last seal: the log was never sealed."));
  page_text = g_strdup_printf (_ ("Page %u of %u"), page + 1, r->n_pages);
  rule (p, y - 4, 0.5);
  l1 = layout (p, head, SMALL_PT, FALSE, TRUE, width, TRUE, PANGO_ALIGN_LEFT);
  show (p, l1, MARGIN, y);
  y += layout_height (l1) + 1;
  l2 = layout (p, seal, SMALL_PT, FALSE, FALSE, width, TRUE, PANGO_ALIGN_LEFT);
  show (p, l2, MARGIN, y);
  y += layout_height (l2) + 1;
  l3 = layout (p, page_text, SMALL_PT, FALSE, FALSE, width, TRUE, PANGO_ALIGN_RIGHT);
  show (p, l3, MARGIN, y);
}

guint
wf_log_report_paginate (WfLogReport *report, PangoContext *context, double width, double height)
{
  Pen p = { report, NULL, context, width, height, 0, 0, 0, NULL, 0, BODY_PT };

  g_return_val_if_fail (report != NULL && PANGO_IS_CONTEXT (context), 0);

  render (&p);
  report->n_pages = p.page + 1;
  return report->n_pages;
}

void
wf_log_report_draw_page (WfLogReport *report, cairo_t *cr, PangoContext *context, double width,
                         double height, guint page)
{
  Pen p = { report, cr, context, width, height, 0, page, 0, NULL, 0, BODY_PT };

  g_return_if_fail (report != NULL && cr != NULL && PANGO_IS_CONTEXT (context));

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  render (&p);
  p.page = page;
  footer (&p, page);
  cairo_restore (cr);
}

/* -- PDF and printing ---------------------------------------------------------------------- */

#define A4_W 595.276
#define A4_H 841.89

static gboolean
pdf_failed (const char *path, const char *reason, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _ ("The report could not be written to %s (%s). Choose another folder."), path,
               reason);
  return FALSE;
}

/* Draws every page into a PDF at tmp; FALSE with the reason. */
static gboolean
draw_pdf (WfLogReport *r, const char *tmp, const char *path, GError **error)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (tmp, A4_W, A4_H);
  PangoFontMap *fonts;
  PangoContext *context;
  cairo_status_t st = cairo_surface_status (surface);
  cairo_t *cr;

  if (st != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      return pdf_failed (path, cairo_status_to_string (st), error);
    }
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "insucard");
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _ ("Audit log report"));
  cr = cairo_create (surface);
  /* Its own font map: this runs in a worker thread (as wf-receipt.c). */
  fonts = pango_cairo_font_map_new ();
  context = pango_font_map_create_context (fonts);
  pango_cairo_context_set_resolution (context, 72.0);
  pango_cairo_update_context (cr, context);
  wf_log_report_paginate (r, context, A4_W, A4_H);
  for (guint page = 0; page < r->n_pages; page++)
    {
      wf_log_report_draw_page (r, cr, context, A4_W, A4_H, page);
      cairo_show_page (cr);
    }
  g_object_unref (context);
  g_object_unref (fonts);
  st = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (st == CAIRO_STATUS_SUCCESS)
    st = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  return st == CAIRO_STATUS_SUCCESS || pdf_failed (path, cairo_status_to_string (st), error);
}

typedef struct {
  WfLogReport *report;
  const char *path; /* the PDF, or NULL: printed */
  const char *printer;
} SaveParams;

static gpointer
save_task (WfTask *task, gpointer data, GError **error)
{
  SaveParams *p = data;
  g_autoptr (GError) local = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *detail = NULL;

  if (!require (task, &local))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (p->path != NULL)
    {
      tmp = g_strconcat (p->path, ".part", NULL);
      if (!draw_pdf (p->report, tmp, p->path, &local))
        g_unlink (tmp);
      else if (g_rename (tmp, p->path) != 0)
        {
          int e = errno;

          g_unlink (tmp);
          pdf_failed (p->path, g_strerror (e), &local);
        }
      if (local != NULL)
        {
          wf_task_audit_failure (task, DB_ACTION_EXPORT, NULL, local);
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
  /* Not translated: the audit log keeps one language. */
  detail = g_strdup_printf (
      "audit report of %lld rows (%s), chain head row %lld, %s %s", (long long) p->report->rows,
      p->report->period, (long long) p->report->head_seq, p->path != NULL ? "PDF to" : "printed on",
      p->path != NULL ? p->path : p->printer);
  if (!wf_task_audit (task, DB_ACTION_EXPORT, DB_OUTCOME_OK, NULL, NULL, NULL, NULL, detail, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

gboolean
wf_log_report_write_pdf (WfDesk *desk, WfInteraction *interaction, WfLogReport *report,
                         const char *path, GCancellable *cancellable, GError **error)
{
  SaveParams p = { report, path, NULL };

  g_return_val_if_fail (report != NULL && path != NULL, FALSE);
  return wf_task_run (desk, interaction, save_task, &p, cancellable, error) != NULL;
}

gboolean
wf_log_report_note_printed (WfDesk *desk, WfInteraction *interaction, WfLogReport *report,
                            const char *printer, GCancellable *cancellable, GError **error)
{
  SaveParams p = { report, NULL, printer != NULL ? printer : "" };

  g_return_val_if_fail (report != NULL, FALSE);
  return wf_task_run (desk, interaction, save_task, &p, cancellable, error) != NULL;
}
