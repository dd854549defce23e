/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-interaction.c: questions asked from a worker thread are answered in
 * the interaction's main context (as GTlsInteraction does), the scripted
 * interaction answers from its script and records what it was asked, and
 * cancelling at a prompt ends the question. */
#include "config.h"

#include <gio/gio.h>

#include "cl-error.h"
#include "wf-error.h"
#include "wf-scripted.h"

static const WfQuestion mk_question = {
  .kind = WF_QUESTION_SECRET,
  .name = "mk",
  .title = "Master key",
  .text = "Type the master key",
  .format = WF_SECRET_HEX,
  .min_len = 32,
  .max_len = 32,
  .twice = TRUE,
};

static const WfQuestion pin_question = {
  .kind = WF_QUESTION_SECRET,
  .name = "mcc-pin",
  .title = "PIN",
  .format = WF_SECRET_DIGITS,
  .min_len = 6,
  .max_len = 8,
};

static const WfQuestion kcv_question = {
  .kind = WF_QUESTION_CONFIRM,
  .name = "kcv-mk",
  .title = "KCV",
  .text = "KCV 08 D7 B4",
  .confirm = WF_CONFIRM_ORDINARY,
};

static const WfQuestion last_try_question = {
  .kind = WF_QUESTION_CONFIRM,
  .name = "last-try",
  .title = "Last try",
  .confirm = WF_CONFIRM_LAST_TRY,
};

typedef struct {
  WfInteraction *interaction;
  GCancellable *cancellable;
  GThread *main_thread;
  gboolean done;
  ClKey *mk;
  ClKey *pin;
  GError *kcv_error;
  GError *last_try_error;
  GError *missing_error;
} Worker;

static gpointer
worker (gpointer data)
{
  Worker *w = data;
  g_autoptr (GError) error = NULL;

  w->mk = wf_interaction_ask_secret (w->interaction, &mk_question, w->cancellable, &error);
  g_assert_no_error (error);
  w->pin = wf_interaction_ask_secret (w->interaction, &pin_question, w->cancellable, &error);
  g_assert_no_error (error);
  wf_interaction_confirm (w->interaction, &kcv_question, w->cancellable, &w->kcv_error);
  wf_interaction_confirm (w->interaction, &last_try_question, w->cancellable, &w->last_try_error);
  wf_interaction_ask_secret (w->interaction, &pin_question, w->cancellable, &w->missing_error);
  w->done = TRUE;
  g_main_context_wakeup (NULL);
  return NULL;
}

static void
test_from_worker (void)
{
  g_autoptr (WfScripted) scripted = wf_scripted_new ();
  Worker w = { WF_INTERACTION (scripted), NULL, g_thread_self () };
  GPtrArray *asked;
  GThread *t;

  wf_scripted_add (scripted, "mk=0123456789ABCDEFFEDCBA9876543210", "mcc-pin=123456", "kcv-mk=no",
                   NULL);
  t = g_thread_new ("task", worker, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (t);

  g_assert_cmpuint (cl_key_get_length (w.mk), ==, 16);
  g_assert_cmphex (cl_key_get_data (w.mk)[0], ==, 0x01);
  g_assert_cmpmem (cl_key_get_data (w.pin), 6, "123456", 6);
  g_assert_error (w.kcv_error, WF_ERROR, WF_ERROR_DECLINED);
  /* The last-try interlock is never answered yes by default. */
  g_assert_error (w.last_try_error, WF_ERROR, WF_ERROR_DECLINED);
  g_assert_error (w.missing_error, WF_ERROR, WF_ERROR_NO_ANSWER);

  asked = wf_scripted_get_asked (scripted);
  g_assert_cmpuint (asked->len, ==, 5);
  g_assert_cmpstr (asked->pdata[0], ==, "secret:mk");
  g_assert_cmpstr (asked->pdata[2], ==, "confirm:kcv-mk");
  g_assert_cmpstr (wf_scripted_get_text (scripted, "kcv-mk"), ==, "KCV 08 D7 B4");
  g_assert_cmpuint (wf_scripted_count_unused (scripted), ==, 0);

  cl_key_free (w.mk);
  cl_key_free (w.pin);
  g_error_free (w.kcv_error);
  g_error_free (w.last_try_error);
  g_error_free (w.missing_error);
}

/* From the thread that owns the main context (a CLI running a task
 * synchronously): the call iterates the context itself. */
static void
test_from_owner (void)
{
  g_autoptr (WfScripted) scripted = wf_scripted_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) pin = NULL;

  wf_scripted_add (scripted, "mcc-pin=87654321", NULL);
  g_assert_true (g_main_context_acquire (g_main_context_default ()));
  pin = wf_interaction_ask_secret (WF_INTERACTION (scripted), &pin_question, NULL, &error);
  g_main_context_release (g_main_context_default ());
  g_assert_no_error (error);
  g_assert_cmpmem (cl_key_get_data (pin), 8, "87654321", 8);
}

/* Bad entries are refused, not guessed at. */
static void
test_bad_entries (void)
{
  g_autoptr (WfScripted) scripted = wf_scripted_new ();
  g_autoptr (GError) error = NULL;
  ClKey *k;

  wf_scripted_add (scripted, "mcc-pin=12345", "mcc-pin=12a456", "mk=0123", NULL);
  k = wf_interaction_ask_secret (WF_INTERACTION (scripted), &pin_question, NULL, &error);
  g_assert_null (k);
  g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  k = wf_interaction_ask_secret (WF_INTERACTION (scripted), &pin_question, NULL, &error);
  g_assert_null (k);
  g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  k = wf_interaction_ask_secret (WF_INTERACTION (scripted), &mk_question, NULL, &error);
  g_assert_null (k);
  g_assert_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT);
}

/* A person pressing Cancel at the second prompt. */
static void
test_cancel_at_prompt (void)
{
  g_autoptr (WfScripted) scripted = wf_scripted_new ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) mk = NULL;
  ClKey *pin;

  wf_scripted_add (scripted, "mk=0123456789ABCDEFFEDCBA9876543210", "mcc-pin=123456", NULL);
  wf_scripted_cancel_at (scripted, 2, cancellable);
  mk = wf_interaction_ask_secret (WF_INTERACTION (scripted), &mk_question, cancellable, &error);
  g_assert_no_error (error);
  pin = wf_interaction_ask_secret (WF_INTERACTION (scripted), &pin_question, cancellable, &error);
  g_assert_null (pin);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (wf_scripted_count_unused (scripted), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();
  g_test_add_func ("/interaction/from-worker", test_from_worker);
  g_test_add_func ("/interaction/from-owner", test_from_owner);
  g_test_add_func ("/interaction/bad-entries", test_bad_entries);
  g_test_add_func ("/interaction/cancel-at-prompt", test_cancel_at_prompt);
  return g_test_run ();
}
