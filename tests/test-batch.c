/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-batch.c: what the desk's batch page uses of the batch workflow: the
 * preview of a checked file (good rows completed, bad rows as written with
 * their problems), a batch stopped before the next card (at once while it
 * waits for a blank) and resumed, the rows re-read as they are issued, the
 * unfinished batches, and a file found as the batch it was imported as. */
#include "config.h"

#include <string.h>

#include "wf-batch.h"
#include "wf-error.h"
#include "wf-insurance.h"
#include "wf-session.h"
#include "wf-system-util.h"

static const char people_csv[] = "id_number,name,employer_code\n"
                                 "510402198503172316,张伟,5104001234\n"
                                 "510402199007221021,李娜,\n"
                                 "510402199007221022,坏号,\n"
                                 "51041119781105003X,王强,5104005678\n";

static const WfBatchRow *
row_at_line (GPtrArray *rows, guint line)
{
  for (guint i = 0; i < rows->len; i++)
    if (((WfBatchRow *) rows->pdata[i])->line == line)
      return rows->pdata[i];
  g_assert_not_reached ();
}

static void
test_preview (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path =
      g_test_build_filename (G_TEST_DIST, "..", "data", "import-sample-bad.csv", NULL);
  g_autoptr (WfImport) imp = wf_import_load (path, &error);
  g_autoptr (GPtrArray) rows = NULL;
  const WfBatchRow *r;
  guint bad = 0;

  g_assert_no_error (error);
  rows = wf_batch_preview (imp);
  g_assert_cmpuint (rows->len, ==, 12);
  for (guint i = 0; i < rows->len; i++)
    {
      r = rows->pdata[i];
      g_assert_cmpuint (r->line, ==, i + 2);
      bad += r->status == DB_BATCH_ROW_BAD;
    }
  g_assert_cmpuint (bad, ==, 1);

  /* The bad row as the file wrote it, with the problem of its line. */
  r = row_at_line (rows, 7);
  g_assert_cmpint (r->status, ==, DB_BATCH_ROW_BAD);
  g_assert_cmpstr (r->id_number, ==, "510402198012011236");
  g_assert_cmpstr (r->name, ==, "周建国");
  g_assert_cmpstr (r->insurance_category, ==, "310");
  g_assert_nonnull (strstr (r->reason, "check character"));
  g_assert_true (g_str_has_prefix (r->reason, "ID number: "));

  /* Good rows completed from the ID number, dates for people. */
  r = row_at_line (rows, 3);
  g_assert_cmpint (r->status, ==, DB_BATCH_ROW_PENDING);
  g_assert_cmpstr (r->name, ==, "李娜");
  g_assert_cmpstr (r->sex, ==, "2");
  g_assert_cmpstr (r->birth_date, ==, "1990-07-22");
  g_assert_cmpstr (r->insurance_category, ==, "390");
  g_assert_cmpstr (r->reason, ==, "");
  g_assert_cmpstr (r->card_number, ==, "");
}

/* A row with two problems lists both; a syntax error is a row too. */
static void
test_preview_problems (void)
{
  static const char csv[] = "id_number,name,sex,birth_date\n"
                            "510402198503172316,张伟,x,85-02-20\n"
                            "510402199007221021,\"李\"娜,,\n"
                            "510402199007221021,李娜,,\n";
  g_autoptr (WfImport) imp = wf_import_parse (csv, strlen (csv));
  g_autoptr (GPtrArray) rows = wf_batch_preview (imp);
  const WfBatchRow *r;

  g_assert_cmpuint (rows->len, ==, 3);
  r = row_at_line (rows, 2);
  g_assert_cmpint (r->status, ==, DB_BATCH_ROW_BAD);
  g_assert_nonnull (strchr (r->reason, '\n'));
  g_assert_cmpstr (r->sex, ==, "x");
  g_assert_cmpstr (r->birth_date, ==, "85-02-20");
  r = row_at_line (rows, 3);
  g_assert_cmpint (r->status, ==, DB_BATCH_ROW_BAD);
  g_assert_nonnull (strstr (r->reason, "quotation mark"));
  g_assert_cmpstr (r->id_number, ==, "510402199007221021");
  r = row_at_line (rows, 4);
  g_assert_cmpint (r->status, ==, DB_BATCH_ROW_PENDING);
}

static WfSession *
log_in (WfFixture *f, const char *card)
{
  g_autoptr (GError) error = NULL;
  WfSession *session;

  tu_wf_plan (f, "operator-card", card);
  wf_scripted_add (f->ia, "operator-pin=" HOLDER_PIN, NULL);
  session = wf_login (f->desk, WF_INTERACTION (f->ia), NULL, &error);
  g_assert_no_error (error);
  return session;
}

typedef struct {
  WfFixture *f;
  GCancellable *stop;
  gint64 batch_id;
  guint changes;
  guint stop_at_issued; /* cancel stop once this many rows are issued (0: never) */
} Steer;

static void
changed_cb (gint64 batch_id, gpointer data)
{
  Steer *s = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = wf_batch_get_rows (s->f->desk, batch_id, &error);
  guint issued = 0;

  g_assert_no_error (error);
  s->batch_id = batch_id;
  s->changes++;
  for (guint i = 0; i < rows->len; i++)
    issued += ((WfBatchRow *) rows->pdata[i])->status == DB_BATCH_ROW_ISSUED;
  if (s->stop_at_issued > 0 && issued == s->stop_at_issued)
    g_cancellable_cancel (s->stop);
}

/* The clerk presses Pause while the desk waits for the blank. */
static gboolean
pause_at_card (WfScripted *ia, const WfQuestion *q, gpointer data)
{
  Steer *s = data;

  g_cancellable_cancel (s->stop);
  return TRUE;
}

static gboolean
has_batch (GPtrArray *infos, gint64 id, guint pending)
{
  for (guint i = 0; i < infos->len; i++)
    {
      const WfBatchInfo *info = infos->pdata[i];

      if (info->summary.batch_id == id)
        {
          g_assert_cmpuint (info->summary.pending, ==, pending);
          g_assert_cmpstr (info->source_name, ==, "people.csv");
          g_assert_cmpstr (info->imported_by, ==, "张三");
          g_assert_nonnull (info->imported_at);
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_stop_and_resume (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfSession) session = NULL;
  g_autoptr (GCancellable) stop = g_cancellable_new ();
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) infos = NULL;
  g_autofree char *path = g_build_filename (f->sim.dir, "people.csv", NULL);
  g_autofree char *other = g_build_filename (f->sim.dir, "other.csv", NULL);
  g_autofree char *changed = g_build_filename (f->sim.dir, "changed.csv", NULL);
  g_autofree char *sum = NULL;
  Steer steer = { f, stop, 0, 0, 1 };
  WfBatchControl control = { stop, changed_cb, &steer, NULL };
  WfBatchSummary summary = { 0 };
  const WfBatchRow *r;
  gint64 found = -1;
  System sys;

  make_system (f, &sys);
  g_assert_true (g_file_set_contents (path, people_csv, -1, &error));
  g_assert_true (
      g_file_set_contents (other, "id_number,name\n510402199007221021,李娜\n", -1, &error));

  /* Nobody logged in: the lists are refused. */
  g_assert_null (wf_batch_list_unfinished (f->desk, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN);
  g_clear_error (&error);
  session = log_in (f, sys.ac);

  /* A file changed after it was checked is not stored. */
  g_assert_true (g_file_set_contents (changed, people_csv, -1, &error));
  sum = wf_batch_checksum (changed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (sum), ==, 64);
  g_assert_true (
      g_file_set_contents (changed, "id_number,name\n510402199007221021,李娜\n", -1, &error));
  {
    WfBatchControl strict = { NULL, NULL, NULL, sum };

    g_assert_false (wf_batch_issue_full (f->desk, WF_INTERACTION (f->ia), changed, 0, &strict,
                                         &summary, NULL, &error));
    g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
    g_assert_nonnull (strstr (error->message, "changed after it was checked"));
    g_clear_error (&error);
    g_assert_cmpint (summary.batch_id, ==, 0);
  }
  g_clear_pointer (&sum, g_free);
  sum = wf_batch_checksum (path, &error);
  control.expect_sha256 = sum;

  /* Stopped once the first card is issued: the next blank is not asked for. */
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "blank-sle4428", tu_wf_new_card (f, CS_CARD_SLE4428));
  g_assert_false (wf_batch_issue_full (f->desk, WF_INTERACTION (f->ia), path, 0, &control, &summary,
                                       NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_nonnull (strstr (error->message, "2 rows"));
  g_clear_error (&error);
  g_assert_cmpint (summary.batch_id, >, 0);
  g_assert_cmpint (steer.batch_id, ==, summary.batch_id);
  g_assert_cmpuint (steer.changes, ==, 2); /* stored, then row 2 issued */
  g_assert_cmpuint (summary.issued, ==, 1);
  g_assert_cmpuint (summary.bad, ==, 1);
  g_assert_cmpuint (summary.pending, ==, 2);
  g_assert_nonnull (
      strstr (wf_scripted_get_text (f->ia, "blank-sle4428"), "Card 1 of 3, for 张伟"));

  /* The rows as the registry has them: the bad one as the file wrote it. */
  rows = wf_batch_get_rows (f->desk, summary.batch_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 4);
  r = row_at_line (rows, 2);
  g_assert_cmpint (r->status, ==, DB_BATCH_ROW_ISSUED);
  g_assert_cmpuint (strlen (r->card_number), ==, 10);
  g_assert_cmpuint (strlen (r->sn), ==, 16);
  g_assert_cmpstr (r->birth_date, ==, "1985-03-17");
  r = row_at_line (rows, 4);
  g_assert_cmpint (r->status, ==, DB_BATCH_ROW_BAD);
  g_assert_cmpstr (r->id_number, ==, "510402199007221022");
  g_assert_cmpstr (r->name, ==, "坏号");
  g_assert_nonnull (strstr (r->reason, "check character"));
  r = row_at_line (rows, 3);
  g_assert_cmpint (r->status, ==, DB_BATCH_ROW_PENDING);
  g_assert_null (wf_batch_get_rows (f->desk, 999, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Unfinished; the file is known as that batch, another file is not. */
  infos = wf_batch_list_unfinished (f->desk, &error);
  g_assert_no_error (error);
  g_assert_true (has_batch (infos, summary.batch_id, 2));
  g_assert_true (wf_batch_find_file (f->desk, path, &found, &error));
  g_assert_cmpint (found, ==, summary.batch_id);
  g_assert_true (wf_batch_find_file (f->desk, other, &found, &error));
  g_assert_cmpint (found, ==, 0);

  /* Paused while it waits for the blank: stopped at once, nothing issued. */
  g_cancellable_reset (stop);
  steer.stop_at_issued = 0;
  wf_scripted_set_card_func (f->ia, pause_at_card, &steer, NULL);
  g_assert_false (wf_batch_issue_full (f->desk, WF_INTERACTION (f->ia), NULL, summary.batch_id,
                                       &control, &summary, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (summary.issued, ==, 1);
  g_assert_cmpuint (summary.pending, ==, 2);
  g_assert_nonnull (
      strstr (wf_scripted_get_text (f->ia, "blank-sle4428"), "Card 2 of 3, for 李娜"));

  /* Resumed: the rest issued, the batch no longer unfinished. */
  g_cancellable_reset (stop);
  wf_scripted_set_card_func (f->ia, tu_wf_card_func, f, NULL);
  for (guint i = 0; i < 2; i++)
    tu_wf_plan (f, "blank-sle4428", tu_wf_new_card (f, CS_CARD_SLE4428));
  tu_wf_empty (f, 1);
  g_assert_true (wf_batch_issue_full (f->desk, WF_INTERACTION (f->ia), NULL, summary.batch_id,
                                      &control, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.issued, ==, 3);
  g_assert_cmpuint (summary.pending, ==, 0);
  g_clear_pointer (&infos, g_ptr_array_unref);
  infos = wf_batch_list_unfinished (f->desk, &error);
  g_assert_no_error (error);
  g_assert_false (has_batch (infos, summary.batch_id, 0));
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (f->ia), NULL, &error));
}

/* The first row's blank pulled out mid-write: the batch stops with the
 * row pending and the issuance in the journal; resuming is refused until
 * the journal is settled, then finishing it counts for the row (no second
 * card for the holder, no blank asked for) and the next row is issued. */
static void
test_pulled_then_finished (WfFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfSession) session = NULL;
  g_autoptr (GPtrArray) open = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (WfIssued) done = NULL;
  g_autofree char *path = g_build_filename (f->sim.dir, "two.csv", NULL);
  const char *torn = NULL;
  const char *next = NULL;
  WfBatchSummary summary = { 0 };
  gint64 batch;
  System sys;

  make_system (f, &sys);
  session = log_in (f, sys.ac);
  g_assert_true (g_file_set_contents (
      path, "id_number,name\n510402198503172316,张伟\n510402199007221021,李娜\n", -1, &error));
  torn = tu_wf_new_card (f, CS_CARD_SLE4428);
  tu_wf_empty (f, 1);
  tu_wf_plan (f, "blank-sle4428", torn);
  f->fault_card = torn;
  f->fault_spec = "tear-write=40";
  g_assert_false (
      wf_batch_issue (f->desk, WF_INTERACTION (f->ia), path, 0, &summary, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  batch = summary.batch_id;
  g_assert_cmpint (batch, >, 0);
  g_assert_cmpuint (summary.issued, ==, 0);
  g_assert_cmpuint (summary.pending, ==, 2);
  open = wf_journal_list (f->desk, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (open->len, ==, 1);

  /* Not settled: refused before a blank is touched. */
  next = tu_wf_new_card (f, CS_CARD_SLE4428);
  tu_wf_plan (f, "blank-sle4428", next);
  g_assert_false (
      wf_batch_issue (f->desk, WF_INTERACTION (f->ia), NULL, batch, &summary, NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "Finish or undo it first"));
  g_clear_error (&error);
  g_assert_cmpuint (summary.pending, ==, 2);

  /* Finished from the journal, then resumed: both rows issued. */
  tu_wf_plan (f, "journal-card", torn);
  done = wf_journal_finish (f->desk, WF_INTERACTION (f->ia), ((DbIssuance *) open->pdata[0])->id,
                            NULL, &error);
  g_assert_no_error (error);
  tu_wf_plan (f, "blank-sle4428", next);
  g_assert_true (
      wf_batch_issue (f->desk, WF_INTERACTION (f->ia), NULL, batch, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.issued, ==, 2);
  g_assert_cmpuint (summary.pending, ==, 0);
  rows = wf_batch_get_rows (f->desk, batch, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (row_at_line (rows, 2)->sn, ==, done->sn);
  g_assert_cmpstr (row_at_line (rows, 2)->card_number, ==, done->card_number);
  g_assert_cmpint (row_at_line (rows, 3)->status, ==, DB_BATCH_ROW_ISSUED);
  g_assert_cmpstr (row_at_line (rows, 3)->sn, !=, done->sn);
  g_assert_true (wf_logout (f->desk, WF_INTERACTION (f->ia), NULL, &error));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();
  g_test_add_func ("/batch/preview", test_preview);
  g_test_add_func ("/batch/preview-problems", test_preview_problems);
  g_test_add ("/batch/stop-and-resume", WfFixture, NULL, tu_wf_setup, test_stop_and_resume,
              tu_wf_teardown);
  g_test_add ("/batch/pulled-then-finished", WfFixture, NULL, tu_wf_setup,
              test_pulled_then_finished, tu_wf_teardown);
  return g_test_run ();
}
