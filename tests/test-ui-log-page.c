/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-log-page.c: the auditor's log page in the desk's window over the
 * simulator: the list holds only the rows on the screen and fetches a row
 * far down on demand (the queries counted); keys and the scroll bar move
 * through the whole log; a filter typed narrows the rows; verify after the
 * database file was tampered with names the altered row and selects it,
 * also when the filters hid it; verify of an intact log says how far it is
 * intact and sealed; the rows shown as CSV and the report as PDF; nothing
 * of the log stays after a logout, and an issuing administrator never
 * sees the page. */
#include "config.h"

#include <string.h>

#include "ic-log-page.h"
#include "ic-reports-page.h"
#include "db-test-util.h"
#include "ui-test-util.h"
#include "wf-audit-seal.h"

#define N_FILL 3000

typedef struct {
  UiFixture ui;
  IcLogPage *page;
} Fx;

/* The reader asks for no rows and has counted them. */
static gboolean
reader_idle (UiFixture *f, gconstpointer data)
{
  const Fx *fx = data;
  WfLogReader *reader = ic_log_page_get_reader (fx->page);

  return reader != NULL && wf_log_reader_is_idle (reader) && wf_log_reader_get_n_rows (reader) >= 0;
}

/* Waits until the rows the list wants are there and on the screen: the
 * reader idle after a frame (whose layout may ask for more rows). */
static void
wait_rows (Fx *fx)
{
  do
    {
      ui_wait_until (&fx->ui, reader_idle, fx, "the log's rows");
      ui_frame (&fx->ui);
    }
  while (!reader_idle (&fx->ui, fx));
}

static void
setup (Fx *fx, gconstpointer data)
{
  ui_setup_audit (&fx->ui, N_FILL);
  fx->page = IC_LOG_PAGE (ui_find_type (GTK_WIDGET (fx->ui.window), IC_TYPE_LOG_PAGE));
  ic_main_window_show_page (fx->ui.window, "audit-log");
  ui_settle (&fx->ui);
  g_assert_true (ui_is_shown (GTK_WIDGET (fx->page), GTK_WIDGET (fx->ui.window)));
  wait_rows (fx);
}

static void
teardown (Fx *fx, gconstpointer data)
{
  ui_teardown (&fx->ui, data);
}

static gint64
db_count (Fx *fx, const DbAuditFilter *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = wf_desk_open_db (fx->ui.wf.desk, &error);
  gint64 n = -1;

  g_assert_true (db_audit_count (db, f, 0, &n, &error));
  return n;
}

/* The seq shown in row i of the tree view. */
static gint64
shown_seq (Fx *fx, gint i)
{
  GtkTreeModel *model = GTK_TREE_MODEL (ic_log_view_get_model (ic_log_page_get_view (fx->page)));
  GtkTreeIter iter;
  gint64 seq = -1;

  g_assert_true (gtk_tree_model_iter_nth_child (model, &iter, NULL, i));
  gtk_tree_model_get (model, &iter, IC_LOG_COLUMN_SEQ, &seq, -1);
  return seq;
}

static const char *
label_text (Fx *fx, const char *name)
{
  return gtk_label_get_text (GTK_LABEL (ui_find (GTK_WIDGET (fx->page), GTK_TYPE_LABEL, name)));
}

static void
press (Fx *fx, guint keyval)
{
  GtkWidget *tv = GTK_WIDGET (ic_log_view_get_tree_view (ic_log_page_get_view (fx->page)));
  GdkEvent *event = gdk_event_new (GDK_KEY_PRESS);

  event->key.window = g_object_ref (gtk_widget_get_window (tv));
  event->key.keyval = keyval;
  event->key.send_event = TRUE;
  gdk_event_set_device (
      event, gdk_seat_get_keyboard (gdk_display_get_default_seat (gtk_widget_get_display (tv))));
  gtk_widget_grab_focus (tv);
  gtk_widget_event (tv, event);
  gdk_event_free (event);
  wait_rows (fx);
}

static void
test_pages_on_demand (Fx *fx, gconstpointer data)
{
  IcLogView *view = ic_log_page_get_view (fx->page);
  WfLogReader *reader = ic_log_page_get_reader (fx->page);
  GtkTreeModel *model = GTK_TREE_MODEL (ic_log_view_get_model (view));
  GtkAdjustment *adj = ic_log_view_get_adjustment (view);
  gint64 n = wf_log_reader_get_n_rows (reader), page_rows = ic_log_view_get_page_rows (view);
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = wf_desk_open_db (fx->ui.wf.desk, &error);
  const DbAuditFilter *snapshot = wf_log_reader_get_filter (reader);
  gint64 want = 0, target;
  guint queries;

  /* Every row of the log counted; the tree view has those on the screen. */
  g_assert_cmpint (n, ==, db_count (fx, snapshot));
  g_assert_cmpint (n, >, N_FILL);
  g_assert_cmpint (page_rows, >, 10);
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, page_rows);
  g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==, (double) n);
  g_assert_cmpint (wf_log_reader_get_cached_pages (reader), ==, 1);
  g_assert_true (db_audit_seek (db, snapshot, DB_ORDER_NEWEST_FIRST, 0, &want, &error));
  g_assert_cmpint (shown_seq (fx, 0), ==, want);
  g_assert_cmpstr (label_text (fx, "Rows found"), !=, "");
  ui_shot (&fx->ui, "log-page");

  /* Dragged far down: a seek and the pages on the screen, not the rows
   * before them. */
  queries = wf_log_reader_get_queries (reader);
  target = n - page_rows - 7;
  gtk_adjustment_set_value (adj, (double) target);
  wait_rows (fx);
  g_assert_cmpuint (wf_log_reader_get_queries (reader) - queries, <=, 3);
  g_assert_cmpuint (wf_log_reader_get_cached_pages (reader), <=, 3);
  g_assert_true (db_audit_seek (db, snapshot, DB_ORDER_NEWEST_FIRST, target, &want, &error));
  g_assert_cmpint (shown_seq (fx, 0), ==, want);
  g_assert_true (
      db_audit_seek (db, snapshot, DB_ORDER_NEWEST_FIRST, target + page_rows - 1, &want, &error));
  g_assert_cmpint (shown_seq (fx, page_rows - 1), ==, want);

  /* Keys move through the whole log: End, Up, Home, Page Down. */
  press (fx, GDK_KEY_End);
  g_assert_cmpint (ic_log_view_get_selected (view), ==, n - 1);
  g_assert_cmpint (shown_seq (fx, gtk_tree_model_iter_n_children (model, NULL) - 1), ==,
                   ic_log_view_get_selected_row (view)->seq);
  press (fx, GDK_KEY_Up);
  g_assert_cmpint (ic_log_view_get_selected (view), ==, n - 2);
  press (fx, GDK_KEY_Home);
  g_assert_cmpint (ic_log_view_get_selected (view), ==, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), ==, 0);
  press (fx, GDK_KEY_Page_Down);
  g_assert_cmpint (ic_log_view_get_selected (view), ==, page_rows - 1);
  press (fx, GDK_KEY_Page_Down);
  g_assert_cmpint (ic_log_view_get_selected (view), ==, 2 * (page_rows - 1));
  g_assert_cmpfloat (gtk_adjustment_get_value (adj), >, 0);
  /* The detail pane shows the selected row. */
  {
    g_autofree char *seq =
        g_strdup_printf ("%" G_GINT64_FORMAT, ic_log_view_get_selected_row (view)->seq);

    g_assert_cmpstr (label_text (fx, "Row"), ==, seq);
  }
}

static void
type_into (Fx *fx, const char *name, const char *text)
{
  gtk_entry_set_text (GTK_ENTRY (ui_find (GTK_WIDGET (fx->page), GTK_TYPE_ENTRY, name)), text);
}

static GtkComboBox *
combo (Fx *fx, const char *name)
{
  return GTK_COMBO_BOX (ui_find (GTK_WIDGET (fx->page), GTK_TYPE_COMBO_BOX, name));
}

static gboolean
filter_applied (UiFixture *f, gconstpointer data)
{
  const Fx *fx = data;

  return ic_log_page_get_filter_ms (fx->page) >= 0 && reader_idle (f, fx);
}

static void
wait_filter (Fx *fx)
{
  ui_wait_until (&fx->ui, filter_applied, fx, "the filter to be applied");
  wait_rows (fx);
}

static void
test_filter (Fx *fx, gconstpointer data)
{
  WfLogReader *reader = ic_log_page_get_reader (fx->page);
  IcLogView *view = ic_log_page_get_view (fx->page);
  GtkTreeModel *model = GTK_TREE_MODEL (ic_log_view_get_model (view));
  DbAuditFilter f = { .workstation = "DESK-B", .outcome = DB_OUTCOME_FAILED };
  gint64 all = wf_log_reader_get_n_rows (reader);
  GtkWidget *outcome;
  gint shown;

  /* Far down the log, then typed: applied when the keys pause, and the
   * list starts again at the top. */
  gtk_adjustment_set_value (ic_log_view_get_adjustment (view), (double) (all - 50));
  wait_rows (fx);
  type_into (fx, "Workstation", "DESK-B");
  outcome = GTK_WIDGET (combo (fx, "Outcome"));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (outcome), "failed");
  wait_filter (fx);
  g_assert_cmpint (wf_log_reader_get_n_rows (reader), ==, db_count (fx, &f));
  g_assert_cmpint (wf_log_reader_get_n_rows (reader), <, all);
  g_assert_cmpint (wf_log_reader_get_n_rows (reader), >, 0);
  g_assert_cmpfloat (gtk_adjustment_get_value (ic_log_view_get_adjustment (view)), ==, 0);
  shown = gtk_tree_model_iter_n_children (model, NULL);
  g_assert_cmpint (shown, ==,
                   MIN (ic_log_view_get_page_rows (view), wf_log_reader_get_n_rows (reader)));
  for (gint i = 0; i < shown; i++)
    {
      GtkTreeIter iter;
      g_autofree char *desk = NULL;
      g_autofree char *result = NULL;

      g_assert_true (gtk_tree_model_iter_nth_child (model, &iter, NULL, i));
      gtk_tree_model_get (model, &iter, IC_LOG_COLUMN_WORKSTATION, &desk, IC_LOG_COLUMN_OUTCOME,
                          &result, -1);
      g_assert_cmpstr (desk, ==, "DESK-B");
      g_assert_true (g_str_has_prefix (result, "Failed"));
    }
  ui_shot (&fx->ui, "log-page-filtered");

  /* A date that is not one: said, and the list stays as it was. */
  type_into (fx, "From (date)", "2026-13-01");
  g_assert_false (ic_log_page_apply_filters (fx->page));
  g_assert_nonnull (strstr (label_text (fx, "Filter problem"), "From date"));
  type_into (fx, "From (date)", "2026-06-02");
  type_into (fx, "To (date)", "2026-06-02");
  g_assert_true (ic_log_page_apply_filters (fx->page));
  g_assert_cmpstr (label_text (fx, "Filter problem"), ==, "");
  wait_filter (fx);
  f.since = g_date_time_new_local (2026, 6, 2, 0, 0, 0);
  f.until = g_date_time_new_local (2026, 6, 3, 0, 0, 0);
  g_assert_cmpint (wf_log_reader_get_n_rows (reader), ==, db_count (fx, &f));
  g_date_time_unref (f.since);
  g_date_time_unref (f.until);
}

static gboolean
selected_loaded (UiFixture *f, gconstpointer data)
{
  const Fx *fx = data;

  return ic_log_view_get_selected_row (ic_log_page_get_view (fx->page)) != NULL;
}

static void
test_verify_tampered (Fx *fx, gconstpointer data)
{
  g_autofree char *sql = NULL;
  g_autofree char *want = NULL;
  g_autofree char *seq_text = NULL;
  GtkWidget *outcome;
  const DbAuditRow *row;
  gint64 altered;

  /* An "ok" row far from the newest. */
  {
    g_autoptr (GPtrArray) ok_rows =
        all_rows (&fx->ui.wf, &(DbAuditFilter){ .outcome = DB_OUTCOME_OK }, DB_ORDER_OLDEST_FIRST);

    altered = ((DbAuditRow *) ok_rows->pdata[700])->seq;
  }

  /* A filter that hides the row to be altered (it is "ok"). */
  outcome = GTK_WIDGET (combo (fx, "Outcome"));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (outcome), "failed");
  wait_filter (fx);

  /* What someone with the sqlite3 shell does. */
  sql = g_strdup_printf ("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; "
                         "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = %lld;",
                         (long long) altered);
  dbt_tamper (fx->ui.wf.db_path, sql);

  g_assert_true (ic_log_page_verify (fx->page));
  ui_wait (&fx->ui);
  ui_wait_until (&fx->ui, selected_loaded, fx, "the altered row to be selected");
  want = g_strdup_printf ("Row %lld was altered", (long long) altered);
  g_assert_nonnull (strstr (label_text (fx, "Verdict of the check"), want));
  g_assert_nonnull (strstr (label_text (fx, "Verdict of the check"), "append-only guards"));
  /* Selected in the whole log: the filter was cleared to show it. */
  row = ic_log_view_get_selected_row (ic_log_page_get_view (fx->page));
  g_assert_cmpint (row->seq, ==, altered);
  g_assert_cmpstr (row->detail, ==, "nothing happened");
  g_assert_cmpstr (gtk_combo_box_get_active_id (GTK_COMBO_BOX (outcome)), ==, "");
  seq_text = g_strdup_printf ("%lld", (long long) altered);
  g_assert_cmpstr (label_text (fx, "Row"), ==, seq_text);
  g_assert_cmpstr (label_text (fx, "Detail"), ==, "nothing happened");
  ui_shot (&fx->ui, "log-page-tampered");
}

static gboolean
verdict_given (UiFixture *f, gconstpointer data)
{
  const Fx *fx = data;

  ui_iterate ();
  return !ic_main_window_is_busy (f->window)
         && *label_text ((Fx *) fx, "Verdict of the check") != '\0';
}

/* The verify task ended and the page has its verdict (on the screen
 * while the auditor is logged in). */
static void
wait_verdict (Fx *fx)
{
  ui_wait_until (&fx->ui, verdict_given, fx, "the verdict");
}

static void
test_verify_intact (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *want = NULL;
  gint64 sealed = 0;
  const char *verdict;

  /* Sealed with the auditor's card, then two more rows. */
  g_assert_true (
      wf_log_seal (fx->ui.wf.desk, WF_INTERACTION (fx->ui.wf.ia), &sealed, NULL, &error));
  g_assert_no_error (error);
  fill_log (&fx->ui.wf, 2);
  g_assert_true (ic_log_page_verify (fx->page));
  wait_verdict (fx);
  verdict = label_text (fx, "Verdict of the check");
  g_test_message ("verdict: %s", verdict);
  g_assert_true (
      ui_is_shown (ui_find (GTK_WIDGET (fx->page), GTK_TYPE_LABEL, "Verdict of the check"),
                   GTK_WIDGET (fx->ui.window)));
  {
    g_autofree char *last = ic_log_format_count (sealed + 2);
    g_autofree char *seal = ic_log_format_count (sealed);

    want =
        g_strdup_printf ("The log is intact through row %s and sealed through row %s.", last, seal);
    g_assert_nonnull (strstr (verdict, want));
    g_clear_pointer (&want, g_free);
    want = g_strdup_printf ("rows 1 to %s are proven", seal);
    g_assert_nonnull (strstr (verdict, want));
    g_clear_pointer (&want, g_free);
    want = g_strdup_printf ("2 rows after row %s are not sealed yet", seal);
    g_assert_nonnull (strstr (verdict, want));
  }
  g_assert_true (gtk_info_bar_get_message_type (GTK_INFO_BAR (gtk_widget_get_ancestor (
                     ui_find (GTK_WIDGET (fx->page), GTK_TYPE_LABEL, "Verdict of the check"),
                     GTK_TYPE_INFO_BAR)))
                 == GTK_MESSAGE_INFO);
  ui_shot (&fx->ui, "log-page-intact");
}

/* The card gone (the session ended) before the window noticed: the chain
 * is checked, the seals are not, and the page says so. */
static void
test_verify_without_card (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 sealed = 0;
  const char *verdict;

  g_assert_true (
      wf_log_seal (fx->ui.wf.desk, WF_INTERACTION (fx->ui.wf.ia), &sealed, NULL, &error));
  wf_session_end (fx->ui.session);
  g_assert_true (ic_log_page_verify (fx->page));
  wait_verdict (fx);
  verdict = label_text (fx, "Verdict of the check");
  g_test_message ("verdict: %s", verdict);
  g_assert_nonnull (strstr (verdict, "The seals were not checked: no operator card was at hand."));
  g_assert_null (strstr (verdict, "proven"));
  g_assert_true (gtk_info_bar_get_message_type (GTK_INFO_BAR (gtk_widget_get_ancestor (
                     ui_find (GTK_WIDGET (fx->page), GTK_TYPE_LABEL, "Verdict of the check"),
                     GTK_TYPE_INFO_BAR)))
                 == GTK_MESSAGE_WARNING);
}

static void
test_export_csv (Fx *fx, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fx->ui.wf.sim.dir, "rows.csv", NULL);
  g_autofree char *csv = NULL;
  g_auto (GStrv) lines = NULL;
  DbAuditFilter f = { .workstation = "DESK-C" };
  g_autoptr (GError) error = NULL;

  type_into (fx, "Workstation", "DESK-C");
  /* Exported at once: what is typed counts, applied or not. */
  g_assert_true (ic_log_page_export_csv (fx->page, path));
  ui_wait (&fx->ui);
  g_assert_true (g_file_get_contents (path, &csv, NULL, &error));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpint (g_strv_length (lines) - 2, ==, db_count (fx, &f));
  for (guint i = 1; lines[i + 1] != NULL; i++)
    g_assert_nonnull (strstr (lines[i], ",DESK-C,"));
}

static gchar *
pdf_text (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  const char *argv[] = { "pdftotext", "-layout", path, "-", NULL };
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&out);
}

static void
test_pdf_report (Fx *fx, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fx->ui.wf.sim.dir, "report.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *total = NULL;

  type_into (fx, "From (date)", "2026-06-01");
  type_into (fx, "To (date)", "2026-06-01");
  g_assert_true (ic_log_page_save_report (fx->page, path));
  ui_wait (&fx->ui);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  text = pdf_text (path);
  /* 1 June: fill_log's first 1440 rows, 360 of them issues. */
  g_assert_nonnull (strstr (text, "Per action"));
  g_assert_nonnull (strstr (text, "Per operator"));
  g_assert_nonnull (strstr (text, "1440 rows:"));
  g_assert_nonnull (strstr (text, "Chain head: row"));
  total = g_strdup_printf ("%d", 360);
  g_assert_nonnull (strstr (text, total));
}

/* Printed through GtkPrintOperation with the same renderer: GTK's own
 * "print to file" makes the pages a PDF. */
static void
test_print (Fx *fx, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fx->ui.wf.sim.dir, "printed.pdf", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  type_into (fx, "From (date)", "2026-06-02");
  type_into (fx, "To (date)", "2026-06-02");
  g_assert_true (ic_log_page_print (fx->page, path));
  ui_wait (&fx->ui);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  text = pdf_text (path);
  if (g_getenv ("INSUCARD_TEST_SHOTS") != NULL)
    {
      g_autofree char *copy =
          g_build_filename (g_getenv ("INSUCARD_TEST_SHOTS"), "printed.pdf", NULL);
      g_autofree char *contents = NULL;
      gsize len = 0;

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      g_assert_true (g_file_set_contents (copy, contents, len, NULL));
    }
  g_assert_nonnull (strstr (text, "From 2026-06-02 to 2026-06-02"));
  g_assert_nonnull (strstr (text, "1440 rows:"));
  g_assert_nonnull (strstr (text, "Chain head: row"));
  g_assert_nonnull (strstr (text, "Last seal:"));
  /* Recorded as an export. */
  db = wf_desk_open_db (fx->ui.wf.desk, &error);
  rows = db_audit_query (db, &(DbAuditFilter){ .action = DB_ACTION_EXPORT }, DB_ORDER_NEWEST_FIRST,
                         0, 1, &error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_nonnull (strstr (((DbAuditRow *) rows->pdata[0])->detail, "printed on a PDF file"));
}

static void
test_logout_forgets (Fx *fx, gconstpointer data)
{
  IcLogView *view = ic_log_page_get_view (fx->page);

  g_autofree char *path = g_build_filename (fx->ui.wf.sim.dir, "late.csv", NULL);

  ui_log_out (&fx->ui);
  g_assert_null (ic_log_page_get_reader (fx->page));
  g_assert_null (ic_log_view_get_model (view));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fx->page)));
  /* A save dialog answered after the logout: nothing saved, and said so. */
  g_assert_false (ic_log_page_export_csv (fx->page, path));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (ic_main_window_get_message (fx->ui.window), "Nothing was saved"));

  /* An issuing administrator: no audit pages. */
  ui_log_in (&fx->ui);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fx->page)));
  g_assert_null (ic_log_page_get_reader (fx->page));
}

/* Every control has an accessible name. */
static void
test_accessible_names (Fx *fx, gconstpointer data)
{
  const char *names[] = { "From (date)",    "To (date)",           "Action",
                          "Outcome",        "Operator card",       "Workstation",
                          "Card number",    "Card serial number",  "Holder ID number",
                          "Audit log rows", "Position in the log", "Verdict of the check",
                          "Rows found",     "Selected row" };
  const char *buttons[] = { "Verify the log", "Refresh",       "Export CSV…",
                            "PDF report…",    "Print report…", "Clear filters" };

  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    ui_find (GTK_WIDGET (fx->page), GTK_TYPE_WIDGET, names[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (buttons); i++)
    ui_find (GTK_WIDGET (fx->page), GTK_TYPE_BUTTON, buttons[i]);
}

int
main (int argc, char **argv)
{
  g_setenv ("TZ", "UTC", TRUE);
  ui_init (&argc, &argv);

#define ADD(path, fn) g_test_add (path, Fx, NULL, setup, fn, teardown)
  ADD ("/ui/log-page/pages-on-demand", test_pages_on_demand);
  ADD ("/ui/log-page/filter", test_filter);
  ADD ("/ui/log-page/verify-tampered", test_verify_tampered);
  ADD ("/ui/log-page/verify-intact", test_verify_intact);
  ADD ("/ui/log-page/verify-without-card", test_verify_without_card);
  ADD ("/ui/log-page/export-csv", test_export_csv);
  ADD ("/ui/log-page/pdf-report", test_pdf_report);
  ADD ("/ui/log-page/print", test_print);
  ADD ("/ui/log-page/logout-forgets", test_logout_forgets);
  ADD ("/ui/log-page/accessible-names", test_accessible_names);
#undef ADD
  return ui_run ();
}
