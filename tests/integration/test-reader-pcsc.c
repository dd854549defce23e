/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-reader-pcsc: ClContext / ClCard through a real pcscd + vpcd.
 *
 * Runs inside tests/integration/pcscd-harness (PCSC_READER_R1/R2,
 * INSUCARD_SIM_DECK, PCSCD_HARNESS_LOGDIR exported; the simulator serves
 * the deck to vpcd).  Cards are inserted and swapped through the deck.  The
 * service test stops pcscd through its pid file (/run/pcscd is private to
 * the harness's namespace) and starts it again with the harness's private
 * reader.conf.d; that pcscd is ours, so we stop it before exiting.
 */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <winscard.h>

#include "cl-context.h"
#include "cl-error.h"
#include "cl-sle4428.h"
#include "cs-deck.h"

#define WAIT_MS 10000
#define PID_FILE "/run/pcscd/pcscd.pid"

static const guint8 select_sle4428[] = { 0xFF, 0xA4, 0x00, 0x00, 0x01, 0x05 };

static GPid our_pcscd; /* a pcscd this program started (service test) */

typedef struct {
  CsDeck *deck;
  ClContext *ctx;
  const char *r2;
} Fixture;

static void
wait_empty (ClContext *ctx, const char *reader)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  for (;;)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (ClCard) card = cl_context_connect (ctx, reader, NULL, &error);

      if (g_error_matches (error, CL_ERROR, CL_ERROR_NO_CARD))
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->deck = cs_deck_open (g_getenv ("INSUCARD_SIM_DECK"), &error);
  g_assert_no_error (error);
  f->r2 = g_getenv ("PCSC_READER_R2");
  g_assert_nonnull (f->r2);
  f->ctx = cl_context_new (CL_READER_BACKEND_PCSC, NULL);
  if (cs_deck_get_slot_card (f->deck, 1) != NULL)
    {
      cs_deck_remove (f->deck, 1, &error);
      g_assert_no_error (error);
    }
  /* A swap faster than pcscd's presence poll (400 ms) is invisible to it:
   * wait until the reader is seen empty before the next insertion. */
  wait_empty (f->ctx, f->r2);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->ctx);
  g_clear_pointer (&f->deck, cs_deck_free);
}

static void
insert_new_card (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = cs_deck_new_card (f->deck, CS_CARD_SLE4428, NULL, &error);

  g_assert_no_error (error);
  cs_deck_insert (f->deck, 1, path, &error);
  g_assert_no_error (error);
}

/* Connects as soon as pcscd reports the card (vpcd polls every 400 ms). */
static ClCard *
connect_within (ClContext *ctx, const char *reader, guint ms, guint min_counter)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;
  g_autoptr (GError) error = NULL;

  for (;;)
    {
      ClCard *card;

      g_clear_error (&error);
      card = cl_context_connect (ctx, reader, NULL, &error);
      if (card != NULL && cl_card_get_event_counter (card) >= min_counter)
        return card;
      g_clear_object (&card);
      if (g_get_monotonic_time () > deadline)
        break;
      g_usleep (50 * 1000);
    }
  g_assert_no_error (error);
  g_assert_not_reached ();
}

static void
assert_select (ClCard *card)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) r =
      cl_card_transmit_raw (card, select_sle4428, sizeof select_sle4428, NULL, &error);
  const guint8 *d;
  gsize len;

  g_assert_no_error (error);
  d = g_bytes_get_data (r, &len);
  g_assert_cmpuint (len, ==, 2);
  g_assert_cmphex (d[0] << 8 | d[1], ==, 0x9000);
}

static void
test_connect_transmit (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = cl_context_list_readers (f->ctx, NULL, &error);
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClResponse) resp = NULL;
  ClApdu read = { .cla = 0xFF, .ins = 0xB0, .le = 32 };

  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char *const *) names, g_getenv ("PCSC_READER_R1")));
  g_assert_true (g_strv_contains ((const char *const *) names, f->r2));

  insert_new_card (f);
  card = connect_within (f->ctx, f->r2, WAIT_MS, 0);
  g_assert_true (cl_card_begin (card, NULL, &error));
  g_assert_no_error (error);
  assert_select (card);
  resp = cl_card_transmit (card, &read, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmphex (resp->sw, ==, 0x9000);
  g_assert_cmpuint (resp->len, ==, 32);
  cl_card_end (card);
}

static void
test_card_changed (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClCard) probe = NULL;
  g_autoptr (ClContext) other = cl_context_new (CL_READER_BACKEND_PCSC, NULL);
  guint counter;

  insert_new_card (f);
  card = connect_within (f->ctx, f->r2, WAIT_MS, 0);
  counter = cl_card_get_event_counter (card);
  g_assert_true (cl_card_begin (card, NULL, &error));
  assert_select (card);
  cl_card_end (card);

  /* The clerk swaps the card between two operations. */
  cs_deck_remove (f->deck, 1, &error);
  g_assert_no_error (error);
  wait_empty (other, f->r2);
  insert_new_card (f);
  /* Wait until pcscd saw both events (a later insertion). */
  probe = connect_within (other, f->r2, WAIT_MS, counter + 2);
  g_clear_object (&probe);

  g_assert_false (cl_card_begin (card, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_CHANGED);
  g_clear_error (&error);
  g_assert_false (cl_card_reconnect (card, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_CHANGED);
}

static void
on_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
spin (GAsyncResult **result, guint ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  while (*result == NULL && g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }
}

/* Another PC/SC client holds the card's transaction: our operation waits
 * without holding up the main loop, gives up when cancelled, and dropping
 * the card then does not wait either. */
static void
test_other_holds_transaction (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClCard) later = NULL;
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (GBytes) got = NULL;
  GAsyncResult *result = NULL;
  SCARDCONTEXT hctx = 0;
  SCARDHANDLE h = 0;
  DWORD proto = 0;
  gint64 t0;

  insert_new_card (f);
  card = connect_within (f->ctx, f->r2, WAIT_MS, 0);
  g_assert_cmpint (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &hctx), ==,
                   SCARD_S_SUCCESS);
  g_assert_cmpint (SCardConnect (hctx, f->r2, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0, &h, &proto),
                   ==, SCARD_S_SUCCESS);
  g_assert_cmpint (SCardBeginTransaction (h), ==, SCARD_S_SUCCESS);

  cl_sle4428_read_async (card, 0x08, 8, cancel, on_ready, &result);
  spin (&result, 600);
  g_assert_null (result);
  g_cancellable_cancel (cancel);
  spin (&result, WAIT_MS);
  g_assert_nonnull (result);
  got = cl_sle4428_read_finish (card, result, &error);
  g_assert_null (got);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  t0 = g_get_monotonic_time ();
  g_clear_object (&card);
  /* A liveness bound, not a speed target: a blocked dispose would wait for
   * the other client for ever. */
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 2 * G_USEC_PER_SEC);

  g_assert_cmpint (SCardEndTransaction (h, SCARD_LEAVE_CARD), ==, SCARD_S_SUCCESS);
  SCardDisconnect (h, SCARD_LEAVE_CARD);
  SCardReleaseContext (hctx);
  later = connect_within (f->ctx, f->r2, WAIT_MS, 0);
  g_assert_true (cl_card_begin (later, NULL, &error));
  g_assert_no_error (error);
  assert_select (later);
  cl_card_end (later);
}

static void
test_reset_by_other (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  SCARDCONTEXT hctx = 0;
  SCARDHANDLE h = 0;
  DWORD proto = 0;
  g_autoptr (GBytes) r = NULL;

  insert_new_card (f);
  card = connect_within (f->ctx, f->r2, WAIT_MS, 0);
  assert_select (card);

  /* A second PC/SC client resets the card. */
  g_assert_cmphex (SCardEstablishContext (SCARD_SCOPE_SYSTEM, NULL, NULL, &hctx), ==,
                   SCARD_S_SUCCESS);
  g_assert_cmphex (SCardConnect (hctx, f->r2, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0, &h, &proto),
                   ==, SCARD_S_SUCCESS);
  g_assert_cmphex (
      SCardReconnect (h, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0, SCARD_RESET_CARD, &proto), ==,
      SCARD_S_SUCCESS);

  r = cl_card_transmit_raw (card, select_sle4428, sizeof select_sle4428, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_RESET);
  g_clear_error (&error);

  g_assert_true (cl_card_reconnect (card, NULL, &error));
  g_assert_no_error (error);
  assert_select (card);

  SCardDisconnect (h, SCARD_LEAVE_CARD);
  SCardReleaseContext (hctx);
}

static void
test_pulled (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  static const guint8 sel[] = { 0x05 };
  ClApdu apdus[] = {
    { .cla = 0xFF, .ins = 0xA4, .data = sel, .lc = 1, .le = CL_LE_NONE },
    { .cla = 0xFF, .ins = 0xB0, .le = 8 },
  };
  ClResponse *resp = NULL;
  guint i;

  insert_new_card (f);
  card = connect_within (f->ctx, f->r2, WAIT_MS, 0);
  cs_deck_set_faults (f->deck, 1, "pull-after=3", &error);
  g_assert_no_error (error);
  g_assert_true (cl_card_begin (card, NULL, &error));
  g_assert_no_error (error);
  /* A multi-APDU operation; the card leaves part-way through. */
  for (i = 0; i < 8; i++)
    {
      resp = cl_card_transmit (card, &apdus[i == 0 ? 0 : 1], NULL, &error);
      if (resp == NULL)
        break;
      cl_response_free (resp);
    }
  /* Whatever pcscd says (P8 empty reply, NOT_TRANSACTED, REMOVED): REMOVED. */
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_REMOVED);
  cl_card_end (card);
}

/* -- pcscd stopped and started again ------------------------------------------- */

static GPid
read_pcscd_pid (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents (PID_FILE, &text, NULL, NULL))
    return 0;
  return (GPid) g_ascii_strtoll (text, NULL, 10);
}

static void
stop_pcscd (void)
{
  GPid pid = read_pcscd_pid ();

  g_assert_cmpint (pid, >, 1);
  g_assert_cmpint (kill (pid, SIGTERM), ==, 0);
  for (guint i = 0; i < 200 && kill (pid, 0) == 0; i++)
    {
      if (pid == our_pcscd)
        waitpid (pid, NULL, WNOHANG);
      g_usleep (25 * 1000);
    }
  g_assert_cmpint (kill (pid, 0), !=, 0);
  if (pid == our_pcscd)
    our_pcscd = 0;
}

/* Our pcscd must not outlive us, even when an assertion aborts the test. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
start_pcscd (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conf =
      g_build_filename (g_getenv ("PCSCD_HARNESS_LOGDIR"), "reader.conf.d", NULL);
  g_autofree char *log =
      g_build_filename (g_getenv ("PCSCD_HARNESS_LOGDIR"), "pcscd-restarted.log", NULL);
  g_autofree char *help = NULL;
  g_autofree char *cmd = NULL;
  const char *extra = "";

  /* Same flags as the harness: --disable-polkit only where it exists. */
  if (g_spawn_command_line_sync ("pcscd --help", &help, NULL, NULL, NULL) && help != NULL
      && strstr (help, "disable-polkit") != NULL)
    extra = " --disable-polkit";
  cmd = g_strdup_printf ("sh -c 'exec pcscd --foreground --error --config \"%s\"%s >\"%s\" 2>&1'",
                         conf, extra, log);
  {
    g_auto (GStrv) argv = NULL;

    g_assert_true (g_shell_parse_argv (cmd, NULL, &argv, &error));
    g_assert_true (g_spawn_async (NULL, argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                                  die_with_parent, NULL, &our_pcscd, &error));
    g_assert_no_error (error);
  }
}

static void
on_service (ClContext *ctx, gpointer data)
{
  *(gboolean *) data = TRUE;
}

static void
iterate_until (gboolean *flag, guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ms * 1000;

  while (!*flag && g_get_monotonic_time () < deadline)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (20 * 1000);
    }
}

static void
test_service_restart (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClCard) none = NULL;
  g_autoptr (GBytes) r = NULL;
  gboolean lost = FALSE, restored = FALSE;

  insert_new_card (f);
  g_signal_connect (f->ctx, "service-lost", G_CALLBACK (on_service), &lost);
  g_signal_connect (f->ctx, "service-restored", G_CALLBACK (on_service), &restored);
  cl_context_start_watch (f->ctx);
  card = connect_within (f->ctx, f->r2, WAIT_MS, 0);
  assert_select (card);

  stop_pcscd ();
  r = cl_card_transmit_raw (card, select_sle4428, sizeof select_sle4428, NULL, &error);
  g_assert_null (r);
  g_assert_error (error, CL_ERROR, CL_ERROR_NO_SERVICE);
  g_assert_nonnull (strstr (error->message, "pcscd"));
  g_clear_error (&error);
  none = cl_context_connect (f->ctx, f->r2, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, CL_ERROR, CL_ERROR_NO_SERVICE);
  g_clear_error (&error);
  iterate_until (&lost, WAIT_MS);
  g_assert_true (lost);

  start_pcscd ();
  iterate_until (&restored, 2 * WAIT_MS);
  g_assert_true (restored);

  /* The old connection is dead for good; a new one works. */
  g_clear_object (&card);
  card = connect_within (f->ctx, f->r2, 2 * WAIT_MS, 0);
  assert_select (card);
  g_clear_object (&card);
  cl_context_stop_watch (f->ctx);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("PCSC_READER_R2") == NULL)
    {
      g_print ("1..0 # SKIP not running inside pcscd-harness\n");
      return 0;
    }

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/reader-pcsc/connect-transmit", test_connect_transmit);
  ADD ("/reader-pcsc/card-changed", test_card_changed);
  ADD ("/reader-pcsc/reset-by-other", test_reset_by_other);
  ADD ("/reader-pcsc/other-holds-transaction", test_other_holds_transaction);
  ADD ("/reader-pcsc/pulled", test_pulled);
  ADD ("/reader-pcsc/service-restart", test_service_restart);
#undef ADD

  rc = g_test_run ();
  if (our_pcscd > 0)
    {
      /* The harness only knows the pcscd it started. */
      kill (our_pcscd, SIGTERM);
      waitpid (our_pcscd, NULL, 0);
    }
  return rc;
}
