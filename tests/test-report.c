/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-report.c: the support report the CLI prints and the desk saves
 * (wf_report_support()): versions, every reader with its role and card, a
 * card held by a logged-in desk told apart from an error, the transcript;
 * without a reader context still the versions and the errors; saved for
 * its owner only. */
#include "config.h"

#include <sys/stat.h>

#include "cl-log.h"
#include "sim-test-util.h"
#include "wf-report.h"

static void
test_readers_and_cards (Fixture *f, gconstpointer data)
{
  g_autofree char *sle = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autofree char *cpu = tu_sim_new_card (f, 0, CS_CARD_FMCOS, NULL);
  g_autofree char *text = NULL;

  cl_transcript_clear ();
  text = wf_report_support (f->ctx);
  g_assert_nonnull (strstr (text, "[versions]\ninsucard: " PACKAGE_VERSION "\n"));
  g_assert_nonnull (strstr (text, "reader backend: sim\n"));
  g_assert_nonnull (strstr (text, "\n[readers]\n" CL_SIM_READER_R1 " [R1]\n"));
  g_assert_nonnull (strstr (text, CL_SIM_READER_R2 " [R2]\n"));
  g_assert_nonnull (strstr (text, "(sle4428)"));
  g_assert_nonnull (strstr (text, "(cpu-blank)"));
  g_assert_nonnull (strstr (text, "\n[last errors]\n"));
  /* The probes themselves are in the transcript. */
  g_assert_nonnull (strstr (text, "\n[apdu transcript]\n# cardpeek trace file"));
  g_assert_nonnull (strstr (text, "\nR:3B"));
}

/* R1 held by the operator's session: in use, not an error. */
static void
test_card_held (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *cpu = tu_sim_new_card (f, 0, CS_CARD_FMCOS, NULL);
  g_autoptr (ClCard) held =
      cl_context_connect_full (f->ctx, CL_SIM_READER_R1, CL_SHARE_EXCLUSIVE, NULL, &error);
  g_autofree char *text = NULL;
  g_auto (GStrv) before = cl_log_get_recent_errors ();
  g_auto (GStrv) after = NULL;

  g_assert_no_error (error);
  text = wf_report_support (f->ctx);
  g_assert_nonnull (strstr (text, CL_SIM_READER_R1 " [R1]\n  card in use"));
  after = cl_log_get_recent_errors ();
  g_assert_cmpuint (g_strv_length (after), ==, g_strv_length (before));
  cl_card_disconnect (held);
}

static void
test_no_context (void)
{
  g_autofree char *text = wf_report_support (NULL);

  g_assert_nonnull (strstr (text, "insucard: " PACKAGE_VERSION));
  g_assert_nonnull (strstr (text, "reader backend: -\n"));
  g_assert_nonnull (strstr (text, "Readers: not opened"));
  g_assert_nonnull (strstr (text, "[apdu transcript]"));
}

static void
test_save (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, "report.txt", NULL);
  g_autofree char *text = wf_report_support (f->ctx);
  g_autofree char *back = NULL;
  GStatBuf st;

  g_assert_true (wf_report_support_save (text, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &back, NULL, &error));
  g_assert_cmpstr (back, ==, text);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_false (wf_report_support_save (text, "/nonexistent/dir/report.txt", &error));
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/report/readers-and-cards", Fixture, NULL, tu_sim_setup, test_readers_and_cards,
              tu_sim_teardown);
  g_test_add ("/report/card-held", Fixture, NULL, tu_sim_setup, test_card_held, tu_sim_teardown);
  g_test_add_func ("/report/no-context", test_no_context);
  g_test_add ("/report/save", Fixture, NULL, tu_sim_setup, test_save, tu_sim_teardown);
  return g_test_run ();
}
