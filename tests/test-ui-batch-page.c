/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui-batch-page.c: the batch page in a real window over the
 * in-process simulator: a file with a bad row previewed (the row flagged
 * with its line and reason, only good rows counted), a batch issued
 * through the window's task and interaction with blanks fed as the desk
 * asks for them, paused and resumed, its summary and CSV report. */
#include "config.h"

#include "ic-batch-page.h"
#include "ui-test-util.h"
#include "wf-batch.h"

typedef struct {
  UiFixture ui;
  IcBatchPage *page;
  GQueue blanks; /* fed into R2 as the desk asks */
  guint inserted;
  guint pause_at; /* press Pause once this many rows are issued (0: never) */
  gboolean paused;
  char *asked; /* the task bar's texts seen, one a line */
} BatchFixture;

static GtkWidget *
find (GtkWidget *widget, const char *name)
{
  if (g_strcmp0 (gtk_buildable_get_name (GTK_BUILDABLE (widget)), name) == 0)
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find (l->data, name);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

/* The page's widget of that name, else the window's (the task bar). */
static GtkWidget *
child (BatchFixture *f, const char *name)
{
  GtkWidget *w = find (GTK_WIDGET (f->page), name);

  if (w == NULL)
    w = find (GTK_WIDGET (f->ui.window), name);

  g_assert_nonnull (w);
  return w;
}

static void
setup (BatchFixture *f, gconstpointer data)
{
  /* ui_setup's desk, in a training window (its banner shown). */
  tu_wf_setup (&f->ui.wf, data);
  make_system (&f->ui.wf, &f->ui.sys);
  g_queue_init (&f->blanks);
  f->ui.window = ic_main_window_new (ui_app, TRUE);
  ic_main_window_set_desk (f->ui.window, f->ui.wf.desk);
  f->page = IC_BATCH_PAGE (ic_batch_page_new ());
  ic_main_window_add_page (f->ui.window, GTK_WIDGET (f->page), "batch", "Batch", WF_PERM_ISSUE);
  gtk_widget_show (GTK_WIDGET (f->ui.window));
  ui_log_in (&f->ui);
  ic_main_window_show_page (f->ui.window, "batch");
  ui_take_out (&f->ui, 1);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (f->page)));
}

static void
teardown (BatchFixture *f, gconstpointer data)
{
  ui_teardown (&f->ui, data);
  g_queue_clear (&f->blanks);
  g_free (f->asked);
}

static guint
count_state (BatchFixture *f, DbBatchRowStatus state)
{
  GtkTreeModel *model = gtk_tree_view_get_model (GTK_TREE_VIEW (child (f, "rows_view")));
  GtkTreeIter iter;
  guint n = 0;

  for (gboolean ok = gtk_tree_model_get_iter_first (model, &iter); ok;
       ok = gtk_tree_model_iter_next (model, &iter))
    {
      int s;

      gtk_tree_model_get (model, &iter, IC_BATCH_COL_STATE, &s, -1);
      n += s == (int) state;
    }
  return n;
}

/* The person at the desk: takes each card out once the page shows it
 * issued and puts the next blank in; presses Pause when told to. */
static gboolean
feed (gpointer data)
{
  BatchFixture *f = data;
  g_autoptr (GError) error = NULL;
  const char *task = gtk_label_get_text (GTK_LABEL (child (f, "task_label")));
  guint issued = count_state (f, DB_BATCH_ROW_ISSUED);

  if (task[0] != '\0' && (f->asked == NULL || strstr (f->asked, task) == NULL))
    {
      g_autofree char *was = f->asked;

      f->asked = g_strconcat (was != NULL ? was : "", task, "\n", NULL);
    }
  if (f->pause_at > 0 && issued == f->pause_at && !f->paused)
    {
      g_assert_true (gtk_widget_get_visible (child (f, "pause_button")));
      gtk_button_clicked (GTK_BUTTON (child (f, "pause_button")));
      f->paused = TRUE;
      return G_SOURCE_CONTINUE;
    }
  if (f->paused && ic_main_window_is_busy (f->ui.window))
    return G_SOURCE_CONTINUE;
  if (issued == f->inserted && !g_queue_is_empty (&f->blanks))
    {
      tu_wf_empty (&f->ui.wf, 1);
      g_assert_true (cs_deck_insert (f->ui.wf.sim.deck, 1, g_queue_pop_head (&f->blanks), &error));
      g_assert_no_error (error);
      f->inserted++;
    }
  return G_SOURCE_CONTINUE;
}

/* Waits for the window's task, the person feeding blanks meanwhile. */
static void
wait_task (BatchFixture *f)
{
  guint feeder = g_timeout_add (50, feed, f);

  ui_wait (&f->ui);
  g_source_remove (feeder);
}

static char *
sample_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", name, NULL);
}

/* The model row of a file line. */
static gboolean
row_of_line (BatchFixture *f, guint line, GtkTreeIter *iter)
{
  GtkTreeModel *model = gtk_tree_view_get_model (GTK_TREE_VIEW (child (f, "rows_view")));

  for (gboolean ok = gtk_tree_model_get_iter_first (model, iter); ok;
       ok = gtk_tree_model_iter_next (model, iter))
    {
      guint l;

      gtk_tree_model_get (model, iter, IC_BATCH_COL_LINE, &l, -1);
      if (l == line)
        return TRUE;
    }
  return FALSE;
}

static void
test_preview_bad_row (BatchFixture *f, gconstpointer data)
{
  g_autofree char *path = sample_path ("import-sample-bad.csv");
  GtkTreeModel *model = gtk_tree_view_get_model (GTK_TREE_VIEW (child (f, "rows_view")));
  GtkWidget *issue = child (f, "issue_button");
  g_autofree char *status = NULL;
  g_autofree char *id = NULL;
  g_autofree char *icon = NULL;
  GdkRGBA *tint = NULL;
  GtkTreeIter iter;
  int state;

  ui_settle (&f->ui);
  ic_batch_page_open_file (f->page, path);
  g_assert_true (ic_main_window_is_busy (f->ui.window));
  wait_task (f);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), ==, "rows");
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 12);
  /* Line 7 flagged: icon, text, the problem's reason, tinted. */
  g_assert_true (row_of_line (f, 7, &iter));
  gtk_tree_model_get (model, &iter, IC_BATCH_COL_STATE, &state, IC_BATCH_COL_STATUS, &status,
                      IC_BATCH_COL_ID_NUMBER, &id, IC_BATCH_COL_ICON, &icon, IC_BATCH_COL_TINT,
                      &tint, -1);
  g_assert_cmpint (state, ==, DB_BATCH_ROW_BAD);
  g_assert_cmpstr (id, ==, "510402198012011236");
  g_assert_cmpstr (icon, ==, "dialog-warning-symbolic");
  g_assert_true (g_str_has_prefix (status, "Cannot be issued"));
  g_assert_nonnull (strstr (status, "ID number: "));
  g_assert_nonnull (strstr (status, "check character"));
  g_assert_nonnull (tint);
  gdk_rgba_free (tint);
  /* A good row: completed from the ID number, not tinted. */
  g_assert_true (row_of_line (f, 3, &iter));
  g_clear_pointer (&status, g_free);
  gtk_tree_model_get (model, &iter, IC_BATCH_COL_STATE, &state, IC_BATCH_COL_TINT, &tint,
                      IC_BATCH_COL_BIRTH_DATE, &status, -1);
  g_assert_cmpint (state, ==, DB_BATCH_ROW_PENDING);
  g_assert_null (tint);
  g_assert_cmpstr (status, ==, "1990-07-22");

  /* Only the good rows are counted. */
  g_assert_true (gtk_widget_get_visible (issue));
  g_assert_true (gtk_widget_is_sensitive (issue));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (issue)), ==, "_Issue 11 cards");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child (f, "count_label"))),
                            "11 rows can be issued. 1 row has problems"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (f, "encoding_label"))), ==,
                   "Encoding: UTF-8");
  g_assert_false (gtk_widget_get_visible (child (f, "file_problems_label")));

  /* Closing the file leaves nothing of the holders on show. */
  ui_click (&f->ui, child (f, "back_button"));
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), ==, "start");
}

static const char three_rows[] = "id_number,name,employer_code\n"
                                 "510402198503172316,张伟,5104001234\n"
                                 "510402199007221022,坏号,\n"
                                 "51041119781105003X,王强,5104005678\n";

static char *
write_three_rows (BatchFixture *f)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (f->ui.wf.sim.dir, "three.csv", NULL);

  g_assert_true (g_file_set_contents (path, three_rows, -1, &error));
  g_assert_no_error (error);
  return path;
}

static void
check_summary (BatchFixture *f, guint issued, guint bad)
{
  GtkTreeModel *model = gtk_tree_view_get_model (GTK_TREE_VIEW (child (f, "summary_view")));
  GtkTreeIter iter;

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), ==,
                   "summary");
  g_assert_cmpuint (count_state (f, DB_BATCH_ROW_ISSUED), ==, issued);
  g_assert_cmpuint (count_state (f, DB_BATCH_ROW_BAD), ==, bad);
  for (gboolean ok = gtk_tree_model_get_iter_first (model, &iter); ok;
       ok = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *number = NULL, *sn = NULL, *reason = NULL, *outcome = NULL;
      int state;

      gtk_tree_model_get (model, &iter, IC_BATCH_COL_STATE, &state, IC_BATCH_COL_CARD_NUMBER,
                          &number, IC_BATCH_COL_SN, &sn, IC_BATCH_COL_REASON, &reason,
                          IC_BATCH_COL_OUTCOME, &outcome, -1);
      if (state == DB_BATCH_ROW_ISSUED)
        {
          g_assert_cmpuint (strlen (number), ==, 12); /* "0000 0000 01" */
          g_assert_cmpuint (strlen (sn), ==, 16);
          g_assert_cmpstr (outcome, ==, "Issued");
        }
      else if (state == DB_BATCH_ROW_BAD)
        {
          g_assert_nonnull (strstr (reason, "check character"));
          g_assert_cmpstr (number, ==, "");
        }
    }
}

static void
test_issue_batch (BatchFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = write_three_rows (f);
  g_autofree char *report_path = g_build_filename (f->ui.wf.sim.dir, "three-report.csv", NULL);
  g_autofree char *report = NULL;
  g_auto (GStrv) lines = NULL;
  guint n_issued = 0, n_bad = 0;

  ui_settle (&f->ui);
  ic_batch_page_open_file (f->page, path);
  g_assert_true (ic_main_window_is_busy (f->ui.window));
  wait_task (f);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (child (f, "issue_button"))), ==,
                   "_Issue 2 cards");

  for (guint i = 0; i < 2; i++)
    g_queue_push_tail (&f->blanks, (gpointer) tu_wf_new_card (&f->ui.wf, CS_CARD_SLE4428));
  ui_click (&f->ui, child (f, "issue_button"));
  g_assert_true (ic_main_window_is_busy (f->ui.window));
  g_assert_true (gtk_widget_get_visible (child (f, "pause_button")));
  g_assert_false (gtk_widget_is_sensitive (child (f, "open_button")));
  wait_task (f);

  /* The task bar asked for each blank by its place in the batch. */
  g_test_message ("asked:\n%s", f->asked);
  g_assert_nonnull (strstr (f->asked, "Card 1 of 2, for 张伟: put a blank insurance card"));
  g_assert_nonnull (strstr (f->asked, "Card 2 of 2, for 王强"));
  check_summary (f, 2, 1);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (f, "summary_title"))), ==,
                   "The batch is finished.");
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (child (f, "summary_detail"))),
                            "2 cards were issued."));
  g_assert_false (gtk_widget_get_visible (child (f, "resume_button")));
  g_assert_true (gtk_widget_is_sensitive (child (f, "save_signoff_button")));

  /* The report as saved through the page. */
  ui_settle (&f->ui);
  ic_batch_page_save_report (f->page, report_path);
  g_assert_true (ic_main_window_is_busy (f->ui.window));
  wait_task (f);
  g_assert_true (g_file_get_contents (report_path, &report, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (report, "\r\n", -1);
  g_assert_cmpstr (lines[0], ==, "line,id_number,name,outcome,card_number,sn,reason");
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      n_issued += strstr (lines[i], ",issued,") != NULL;
      n_bad += g_str_has_prefix (lines[i], "3,510402199007221022,坏号,bad,,,");
    }
  g_assert_cmpuint (n_issued, ==, 2);
  g_assert_cmpuint (n_bad, ==, 1);
  g_assert_nonnull (strstr (report, "2,510402198503172316,张伟,issued,"));

  /* Logged out: nothing of the holders stays on show. */
  ui_log_out (&f->ui);
  g_assert_cmpint (gtk_tree_model_iter_n_children (
                       gtk_tree_view_get_model (GTK_TREE_VIEW (child (f, "summary_view"))), NULL),
                   ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), ==, "start");
}

static gboolean
list_has_rows (UiFixture *f, gconstpointer list)
{
  return gtk_list_box_get_row_at_index ((GtkListBox *) list, 0) != NULL;
}

static gboolean
list_is_empty (UiFixture *f, gconstpointer list)
{
  return !list_has_rows (f, list);
}

/* Pause after the first card; the batch then waits in the list and
 * resumes where it stopped. */
static void
test_pause_and_resume (BatchFixture *f, gconstpointer data)
{
  g_autofree char *path = write_three_rows (f);
  GtkWidget *resume = child (f, "resume_button");
  GtkListBox *list = GTK_LIST_BOX (child (f, "resume_list"));

  ui_settle (&f->ui);
  ic_batch_page_open_file (f->page, path);
  g_assert_true (ic_main_window_is_busy (f->ui.window));
  wait_task (f);
  for (guint i = 0; i < 2; i++)
    g_queue_push_tail (&f->blanks, (gpointer) tu_wf_new_card (&f->ui.wf, CS_CARD_SLE4428));
  f->pause_at = 1;
  ui_click (&f->ui, child (f, "issue_button"));
  g_assert_true (ic_main_window_is_busy (f->ui.window));
  wait_task (f);

  g_assert_true (f->paused);
  check_summary (f, 1, 1);
  g_assert_cmpuint (count_state (f, DB_BATCH_ROW_PENDING), ==, 1);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (f, "summary_title"))), ==,
                   "The batch is paused.");
  g_assert_true (gtk_widget_get_visible (resume));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (resume)), ==, "_Resume: issue 1 card");

  /* Done: the batch is listed as not finished (the list is read in a
   * thread; it is filled at once when read). */
  ui_click (&f->ui, child (f, "done_button"));
  ui_wait_until (&f->ui, list_has_rows, list, "the unfinished batches to be listed");
  g_assert_null (gtk_list_box_get_row_at_index (list, 1));

  /* Resumed from the list: the last row issued, the list empty again. */
  f->pause_at = 0;
  f->paused = FALSE;
  ui_settle (&f->ui);
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));
  g_assert_true (ic_main_window_is_busy (f->ui.window));
  wait_task (f);
  check_summary (f, 2, 1);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (child (f, "summary_title"))), ==,
                   "The batch is finished.");
  /* The list, read again, no longer has it. */
  ui_click (&f->ui, child (f, "done_button"));
  ui_wait_until (&f->ui, list_is_empty, list, "the finished batch to leave the list");
}

static gboolean
asks_for_card (UiFixture *ui, gconstpointer data)
{
  const BatchFixture *f = data;

  return strstr (gtk_label_get_text (GTK_LABEL (child ((BatchFixture *) f, "task_label"))),
                 "put a blank insurance card into R2")
         != NULL;
}

/* The operator's card pulled while the batch waits for a card: the
 * session ends, the batch stops, and nothing of the holders stays on the
 * page for whoever logs in next; a report saved after that is refused. */
static void
test_logout_while_running (BatchFixture *f, gconstpointer data)
{
  g_autofree char *path = write_three_rows (f);
  g_autofree char *report_path = g_build_filename (f->ui.wf.sim.dir, "late-report.csv", NULL);
  GtkTreeModel *rows = gtk_tree_view_get_model (GTK_TREE_VIEW (child (f, "rows_view")));

  ui_settle (&f->ui);
  ic_batch_page_open_file (f->page, path);
  wait_task (f);
  tu_wf_empty (&f->ui.wf, 1);
  ui_click (&f->ui, child (f, "issue_button"));
  ui_wait_until (&f->ui, asks_for_card, f, "the batch to ask for a card");
  g_assert_cmpint (gtk_tree_model_iter_n_children (rows, NULL), >, 0);
  tu_wf_empty (&f->ui.wf, 0);
  ui_wait (&f->ui);
  g_assert_false (ic_main_window_is_busy (f->ui.window));
  g_assert_cmpint (gtk_tree_model_iter_n_children (rows, NULL), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (child (f, "stack"))), ==, "start");
  /* Its report asked for before the logout, saved after: refused, said. */
  ic_batch_page_save_report (f->page, report_path);
  g_assert_false (g_file_test (report_path, G_FILE_TEST_EXISTS));
  g_assert_nonnull (strstr (ic_main_window_get_message (f->ui.window), "Nothing was saved"));
}

int
main (int argc, char **argv)
{
  ui_init (&argc, &argv);
#define ADD(path, fn) g_test_add (path, BatchFixture, NULL, setup, fn, teardown)
  ADD ("/ui/batch-page/preview-bad-row", test_preview_bad_row);
  ADD ("/ui/batch-page/issue-batch", test_issue_batch);
  ADD ("/ui/batch-page/pause-and-resume", test_pause_and_resume);
  ADD ("/ui/batch-page/logout-while-running", test_logout_while_running);
#undef ADD
  return ui_run ();
}
