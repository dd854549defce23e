/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-reader-replug.c: readers that come and go (docs/readers.md, issue
 * "cardlib: readers", item 5) over the in-process sim backend.
 *
 * A reader is unplugged and plugged again from "outside" through a second
 * CsDeck handle on the deck (deck.ini [readers] unplugged=N), or with
 * `insucard-cardsim unplug/plug`, as after a suspend or a pulled cable:
 * handles on it die for good (CL_ERROR_READER_GONE), the watch reports
 * reader-removed and reader-added, and the R2 binding applies again by
 * name.  [readers] order=reversed lists the readers the other way round, as
 * two identical readers may come back after a replug: R1/R2 must not move.
 */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <glib/gstdio.h>

#include "cl-backend.h"
#include "cl-context.h"
#include "cl-error.h"
#include "cs-deck.h"
#include "sim-test-util.h"

#define R1 CL_SIM_READER_R1
#define R2 CL_SIM_READER_R2

static const guint8 select_sle4428[] = { 0xFF, 0xA4, 0x00, 0x00, 0x01, 0x05 };

static void
set_plugged (Fixture *f, guint slot, gboolean plugged)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_deck_set_reader_plugged (f->deck, slot, plugged, &error));
  g_assert_no_error (error);
}

static void
set_order (Fixture *f, CsReaderOrder order)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (cs_deck_set_reader_order (f->deck, order, &error));
  g_assert_no_error (error);
}

/* SELECT CARD TYPE then READ MAIN MEMORY of 4 bytes; returns the status
 * word of the read, or 0 with *error set. */
static guint
select_and_read (ClCard *card, GError **error)
{
  g_autoptr (GBytes) r = NULL;
  g_autoptr (ClResponse) resp = NULL;
  ClApdu read = { .cla = 0xFF, .ins = 0xB0, .le = 4 };

  r = cl_card_transmit_raw (card, select_sle4428, sizeof select_sle4428, NULL, error);
  if (r == NULL)
    return 0;
  resp = cl_card_transmit (card, &read, NULL, error);
  return resp ? resp->sw : 0;
}

static char **
list_readers (ClContext *ctx)
{
  g_autoptr (GError) error = NULL;
  char **names = cl_context_list_readers (ctx, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (names);
  return names;
}

/* -- handles on an unplugged reader ------------------------------------------- */

static void
test_gone_between (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (ClCard) again = NULL;
  g_autoptr (ClResponse) resp = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *r2 = NULL;
  g_auto (GStrv) names = NULL;
  ClApdu read = { .cla = 0xFF, .ins = 0xB0, .le = 4 };

  g_assert_true (cl_card_begin (card, NULL, &error));
  g_assert_cmphex (select_and_read (card, &error), ==, 0x9000);
  g_assert_no_error (error);
  cl_card_end (card);

  /* Between two operations the reader goes (suspend, cable). */
  set_plugged (f, 1, FALSE);

  resp = cl_card_transmit (card, &read, NULL, &error);
  g_assert_null (resp);
  g_assert_error (error, CL_ERROR, CL_ERROR_READER_GONE);
  g_clear_error (&error);
  g_assert_false (cl_card_begin (card, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_READER_GONE);
  g_clear_error (&error);
  g_assert_false (cl_card_reconnect (card, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_READER_GONE);
  g_clear_error (&error);

  /* It is not listed, R2 does not resolve, and connecting says so. */
  names = list_readers (f->ctx);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, R1);
  r2 = cl_context_resolve_reader (f->ctx, CL_READER_ROLE_R2, NULL, &error);
  g_assert_null (r2);
  g_assert_error (error, CL_ERROR, CL_ERROR_NO_READER);
  g_assert_nonnull (strstr (error->message, R2));
  g_clear_error (&error);
  again = cl_context_connect (f->ctx, R2, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, CL_ERROR, CL_ERROR_NO_READER);
  g_clear_error (&error);

  /* Back under the same name: the binding applies with nothing to do. */
  set_plugged (f, 1, TRUE);
  g_clear_pointer (&names, g_strfreev);
  names = list_readers (f->ctx);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  r2 = cl_context_resolve_reader (f->ctx, CL_READER_ROLE_R2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r2, ==, R2);

  /* The old connection stays dead: the caller must connect again. */
  resp = cl_card_transmit (card, &read, NULL, &error);
  g_assert_null (resp);
  g_assert_error (error, CL_ERROR, CL_ERROR_READER_GONE);
  g_clear_error (&error);
  g_assert_false (cl_card_begin (card, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_READER_GONE);
  g_clear_error (&error);

  /* A new connection works, and the card was powered off meanwhile: the
   * reader wants SELECT CARD TYPE again before a read. */
  again = tu_connect (f->ctx, r2);
  resp = cl_card_transmit (again, &read, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmphex (resp->sw, !=, 0x9000);
  g_assert_true (cl_card_begin (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmphex (select_and_read (again, &error), ==, 0x9000);
  g_assert_no_error (error);
  cl_card_end (again);

  /* The dead handle holds nothing: an exclusive connect from another
   * context is refused only while the new connection lives. */
  {
    g_autoptr (ClContext) other = cl_context_new (CL_READER_BACKEND_SIM, f->dir);
    g_autoptr (ClCard) excl = NULL;

    excl = cl_context_connect_full (other, R2, CL_SHARE_EXCLUSIVE, NULL, &error);
    g_assert_null (excl);
    g_assert_error (error, CL_ERROR, CL_ERROR_SHARING_VIOLATION);
    g_clear_error (&error);
    g_clear_object (&again);
    excl = cl_context_connect_full (other, R2, CL_SHARE_EXCLUSIVE, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (excl);
  }
  /* Disconnecting the dead one is quiet (dispose does it too). */
  cl_card_disconnect (card);
}

/* Unplugged inside a transaction: the transaction goes with the reader, so
 * after the replug nobody waits for it. */
static void
test_gone_in_transaction (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClContext) other = cl_context_new (CL_READER_BACKEND_SIM, f->dir);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (ClCard) card2 = NULL;
  g_autoptr (GBytes) raw = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_true (cl_card_begin (card, NULL, &error));
  g_assert_no_error (error);
  set_plugged (f, 1, FALSE);
  raw = cl_card_transmit_raw (card, select_sle4428, sizeof select_sle4428, NULL, &error);
  g_assert_null (raw);
  g_assert_error (error, CL_ERROR, CL_ERROR_READER_GONE);
  g_clear_error (&error);
  set_plugged (f, 1, TRUE);

  /* The stale object still thinks it is in a transaction; the reader does
   * not.  Another client begins at once. */
  card2 = tu_connect (other, R2);
  g_assert_true (cl_card_begin (card2, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmphex (select_and_read (card2, &error), ==, 0x9000);
  g_assert_no_error (error);
  cl_card_end (card2);

  /* Ending and dropping the stale one leaks nothing (valgrind, ASan). */
  cl_card_end (card);
  g_clear_object (&card);
  g_clear_object (&card2);
  card2 = cl_context_connect_full (other, R2, CL_SHARE_EXCLUSIVE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (card2);
}

/* Every reader unplugged: an empty list, not an error. */
static void
test_all_gone (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = NULL;
  g_autofree char *r1 = NULL;

  set_plugged (f, 0, FALSE);
  set_plugged (f, 1, FALSE);
  names = list_readers (f->ctx);
  g_assert_cmpuint (g_strv_length (names), ==, 0);
  r1 = cl_context_resolve_reader (f->ctx, CL_READER_ROLE_R1, NULL, &error);
  g_assert_null (r1);
  g_assert_error (error, CL_ERROR, CL_ERROR_NO_READER);
}

/* -- the watch --------------------------------------------------------------- */

typedef struct {
  GPtrArray *events; /* "signal:reader" */
} Events;

static void
on_event (ClContext *ctx, const char *reader, gpointer data)
{
  Events *ev = g_object_get_data (G_OBJECT (ctx), "events");
  const char *what = data;

  g_ptr_array_add (ev->events, g_strdup_printf ("%s:%s", what, reader));
}

static gint
event_index (Events *ev, const char *what)
{
  for (guint i = 0; i < ev->events->len; i++)
    if (g_strcmp0 (g_ptr_array_index (ev->events, i), what) == 0)
      return i;
  return -1;
}

static gboolean
on_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until the event arrives (5 s at most). */
static void
wait_event (Events *ev, const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;
  guint tick = g_timeout_add (20, on_tick, NULL);

  while (event_index (ev, what) < 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  if (event_index (ev, what) < 0)
    {
      g_autofree char *seen = NULL;

      g_ptr_array_add (ev->events, NULL);
      seen = g_strjoinv (", ", (char **) ev->events->pdata);
      g_error ("no %s event; seen: %s", what, seen);
    }
}

/* Runs the main context for ms. */
static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  guint tick = g_timeout_add (20, on_tick, NULL);

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

/* Writable, so they can be signal user data; each is its signal's name. */
static char signal_names[][16] = { "reader-added", "reader-removed", "card-inserted",
                                   "card-removed" };

static void
test_watch_replug (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
  Events ev = { events };
  g_autoptr (ClCard) card = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *r2 = NULL;
  gint removed, gone, added, inserted;

  g_object_set_data (G_OBJECT (f->ctx), "events", &ev);
  for (guint i = 0; i < G_N_ELEMENTS (signal_names); i++)
    g_signal_connect (f->ctx, signal_names[i], G_CALLBACK (on_event), signal_names[i]);
  cl_context_start_watch (f->ctx);
  settle (300);
  g_assert_cmpuint (events->len, ==, 0); /* the baseline is no event */

  set_plugged (f, 1, FALSE);
  wait_event (&ev, "reader-removed:" R2);
  removed = event_index (&ev, "card-removed:" R2);
  gone = event_index (&ev, "reader-removed:" R2);
  g_assert_cmpint (removed, >=, 0);
  g_assert_cmpint (removed, <, gone); /* the card leaves with its reader, first */
  g_assert_cmpint (event_index (&ev, "reader-removed:" R1), <, 0);

  set_plugged (f, 1, TRUE);
  wait_event (&ev, "card-inserted:" R2);
  added = event_index (&ev, "reader-added:" R2);
  inserted = event_index (&ev, "card-inserted:" R2);
  g_assert_cmpint (added, >, gone);
  g_assert_cmpint (added, <, inserted);

  /* The binding by name applies again, and the card answers. */
  r2 = cl_context_dup_reader_name (f->ctx, CL_READER_ROLE_R2);
  card = tu_connect (f->ctx, r2);
  g_assert_cmphex (select_and_read (card, &error), ==, 0x9000);
  g_assert_no_error (error);

  /* R1, with no card, comes and goes too. */
  g_ptr_array_set_size (events, 0);
  set_plugged (f, 0, FALSE);
  wait_event (&ev, "reader-removed:" R1);
  set_plugged (f, 0, TRUE);
  wait_event (&ev, "reader-added:" R1);
  g_assert_cmpint (event_index (&ev, "card-removed:" R1), <, 0);
  g_assert_cmpint (event_index (&ev, "card-inserted:" R1), <, 0);

  cl_context_stop_watch (f->ctx);
}

/* -- reader order ------------------------------------------------------------ */

static void
test_order_reversed (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) names = NULL;
  g_autofree char *r1 = NULL;
  g_autofree char *r2 = NULL;
  g_autofree char *path = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClContext) pinned = NULL;

  names = list_readers (f->ctx);
  g_assert_cmpstr (names[0], ==, R1);
  g_assert_cmpstr (names[1], ==, R2);
  g_clear_pointer (&names, g_strfreev);

  /* Two identical readers came back the other way round. */
  set_order (f, CS_READER_ORDER_REVERSED);
  g_assert_cmpint (cs_deck_get_reader_order (f->deck), ==, CS_READER_ORDER_REVERSED);
  names = list_readers (f->ctx);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, R2);
  g_assert_cmpstr (names[1], ==, R1);

  /* The roles follow the names, never the positions. */
  r1 = cl_context_resolve_reader (f->ctx, CL_READER_ROLE_R1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r1, ==, R1);
  r2 = cl_context_resolve_reader (f->ctx, CL_READER_ROLE_R2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r2, ==, R2);

  /* Bound explicitly (as from the settings): the same. */
  pinned = cl_context_new (CL_READER_BACKEND_SIM, f->dir);
  cl_context_set_reader_name (pinned, CL_READER_ROLE_R1, R1);
  cl_context_set_reader_name (pinned, CL_READER_ROLE_R2, R2);
  g_clear_pointer (&r2, g_free);
  r2 = cl_context_resolve_reader (pinned, CL_READER_ROLE_R2, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r2, ==, R2);

  /* And R2 reaches the card in slot 1: the user card, not the key card. */
  path = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  card = tu_connect (pinned, r2);
  g_assert_cmphex (select_and_read (card, &error), ==, 0x9000);
  g_assert_no_error (error);
  g_clear_object (&card);
  card = cl_context_connect (pinned, r1, NULL, &error);
  g_assert_null (card);
  g_assert_error (error, CL_ERROR, CL_ERROR_NO_CARD);
  g_clear_error (&error);

  /* Reversed with one reader gone: the other is still found by name. */
  set_plugged (f, 0, FALSE);
  g_clear_pointer (&names, g_strfreev);
  names = list_readers (f->ctx);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, R2);
  g_clear_pointer (&r1, g_free);
  r1 = cl_context_resolve_reader (pinned, CL_READER_ROLE_R1, NULL, &error);
  g_assert_null (r1);
  g_assert_error (error, CL_ERROR, CL_ERROR_NO_READER);
  g_clear_error (&error);

  set_order (f, CS_READER_ORDER_NORMAL);
  set_plugged (f, 0, TRUE);
  g_clear_pointer (&names, g_strfreev);
  names = list_readers (f->ctx);
  g_assert_cmpstr (names[0], ==, R1);
}

/* -- deck.ini [readers] ------------------------------------------------------- */

static gboolean
ini_has (Fixture *f, const char *needle)
{
  g_autofree char *ini = g_build_filename (f->dir, "deck.ini", NULL);
  g_autofree char *text = NULL;

  if (!g_file_get_contents (ini, &text, NULL, NULL))
    return FALSE;
  return strstr (text, needle) != NULL;
}

static void
test_deck_readers (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *ini = g_build_filename (f->dir, "deck.ini", NULL);
  g_autoptr (CsDeck) other = NULL;
  CsReaderOrder order;

  g_assert_true (cs_deck_get_reader_plugged (f->deck, 0));
  g_assert_true (cs_deck_get_reader_plugged (f->deck, 1));
  g_assert_cmpint (cs_deck_get_reader_order (f->deck), ==, CS_READER_ORDER_NORMAL);

  set_plugged (f, 1, FALSE);
  set_plugged (f, 1, FALSE); /* idempotent */
  g_assert_false (cs_deck_get_reader_plugged (f->deck, 1));
  g_assert_true (ini_has (f, "[readers]"));
  g_assert_true (ini_has (f, "unplugged=1\n"));
  set_plugged (f, 0, FALSE);
  g_assert_true (ini_has (f, "unplugged=0;1\n"));
  set_order (f, CS_READER_ORDER_REVERSED);
  g_assert_true (ini_has (f, "order=reversed"));

  /* Another handle (another process) sees it after a reload. */
  other = cs_deck_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_false (cs_deck_get_reader_plugged (other, 0));
  g_assert_false (cs_deck_get_reader_plugged (other, 1));
  g_assert_cmpint (cs_deck_get_reader_order (other), ==, CS_READER_ORDER_REVERSED);
  /* ... and its change does not lose ours (locked read-modify-write). */
  g_assert_true (cs_deck_set_reader_plugged (other, 0, TRUE, &error));
  g_assert_true (cs_deck_reload (f->deck, NULL, &error));
  g_assert_true (cs_deck_get_reader_plugged (f->deck, 0));
  g_assert_false (cs_deck_get_reader_plugged (f->deck, 1));
  g_assert_cmpint (cs_deck_get_reader_order (f->deck), ==, CS_READER_ORDER_REVERSED);

  /* Back to the defaults: the group goes away. */
  set_plugged (f, 1, TRUE);
  set_order (f, CS_READER_ORDER_NORMAL);
  g_assert_false (ini_has (f, "[readers]"));

  /* A slot that does not exist. */
  g_assert_false (cs_deck_set_reader_plugged (f->deck, 2, FALSE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Hand-written values: bad ones are ignored, with a message. */
  g_assert_true (g_file_set_contents (ini,
                                      "[slots]\n0=\n1=\n[readers]\nunplugged= 1 , 7\n"
                                      "order=sideways\n",
                                      -1, &error));
  g_test_expect_message ("cardsim", G_LOG_LEVEL_MESSAGE, "*no slot*7*");
  g_test_expect_message ("cardsim", G_LOG_LEVEL_MESSAGE, "*sideways*");
  g_assert_true (cs_deck_reload (f->deck, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_true (cs_deck_get_reader_plugged (f->deck, 0));
  g_assert_false (cs_deck_get_reader_plugged (f->deck, 1));
  g_assert_cmpint (cs_deck_get_reader_order (f->deck), ==, CS_READER_ORDER_NORMAL);

  g_assert_true (cs_reader_order_from_string ("reversed", &order));
  g_assert_cmpint (order, ==, CS_READER_ORDER_REVERSED);
  g_assert_false (cs_reader_order_from_string ("Reversed", &order));
  g_assert_cmpstr (cs_reader_order_to_string (CS_READER_ORDER_NORMAL), ==, "normal");
}

/* -- insucard-cardsim unplug / plug / reader-order ----------------------------- */

static int
run_cardsim (char **out, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  int status = 0;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) g_getenv ("INSUCARD_CARDSIM"));
  va_start (ap, out);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  /* The deck comes from INSUCARD_SIM_DECK, which test_cli sets. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out,
                               &err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_cli (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto (GStrv) names = NULL;

  if (g_getenv ("INSUCARD_CARDSIM") == NULL)
    {
      g_test_skip ("INSUCARD_CARDSIM not set");
      return;
    }

  g_setenv ("INSUCARD_SIM_DECK", f->dir, TRUE); /* the tool's own way to find it */
  g_assert_cmpint (run_cardsim (NULL, "unplug", "1", NULL), ==, 0);
  g_assert_true (cs_deck_reload (f->deck, NULL, &error));
  g_assert_false (cs_deck_get_reader_plugged (f->deck, 1));
  names = list_readers (f->ctx);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, R1);

  g_assert_cmpint (run_cardsim (&out, "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "slot 1: [reader unplugged] empty"));
  g_assert_nonnull (strstr (out, "reader order: normal"));
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (run_cardsim (NULL, "plug", "1", "--deck", f->dir, NULL), ==, 0);
  g_assert_cmpint (run_cardsim (NULL, "reader-order", "reversed", NULL), ==, 0);
  g_assert_true (cs_deck_reload (f->deck, NULL, &error));
  g_assert_true (cs_deck_get_reader_plugged (f->deck, 1));
  g_assert_cmpint (cs_deck_get_reader_order (f->deck), ==, CS_READER_ORDER_REVERSED);
  g_clear_pointer (&names, g_strfreev);
  names = list_readers (f->ctx);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, R2);

  g_assert_cmpint (run_cardsim (NULL, "reader-order", "normal", NULL), ==, 0);
  g_assert_true (cs_deck_reload (f->deck, NULL, &error));
  g_assert_cmpint (cs_deck_get_reader_order (f->deck), ==, CS_READER_ORDER_NORMAL);

  /* Usage errors: exit 2, nothing changed. */
  g_assert_cmpint (run_cardsim (NULL, "unplug", NULL), ==, 2);
  g_assert_cmpint (run_cardsim (NULL, "unplug", "2", NULL), ==, 2);
  g_assert_cmpint (run_cardsim (NULL, "unplug", "one", NULL), ==, 2);
  g_assert_cmpint (run_cardsim (NULL, "plug", "0", "1", NULL), ==, 2);
  g_assert_cmpint (run_cardsim (NULL, "reader-order", NULL), ==, 2);
  g_assert_cmpint (run_cardsim (NULL, "reader-order", "sideways", NULL), ==, 2);
  g_assert_cmpint (run_cardsim (NULL, "reader-order", "--bogus", "normal", NULL), ==, 2);
  g_assert_true (cs_deck_reload (f->deck, NULL, &error));
  g_assert_true (cs_deck_get_reader_plugged (f->deck, 0));
  g_assert_true (cs_deck_get_reader_plugged (f->deck, 1));

  g_assert_cmpint (run_cardsim (&out, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "unplug SLOT"));
  g_assert_nonnull (strstr (out, "reader-order normal|reversed"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, tu_sim_setup, fn, tu_sim_teardown)
  ADD ("/reader-replug/gone-between", test_gone_between);
  ADD ("/reader-replug/gone-in-transaction", test_gone_in_transaction);
  ADD ("/reader-replug/all-gone", test_all_gone);
  ADD ("/reader-replug/watch", test_watch_replug);
  ADD ("/reader-replug/order-reversed", test_order_reversed);
  ADD ("/reader-replug/deck-readers", test_deck_readers);
  ADD ("/reader-replug/cli", test_cli);
#undef ADD

  return g_test_run ();
}
