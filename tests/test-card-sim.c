/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-card-sim.c: ClCard over the in-process sim backend, and the T=0
 * rules over a scripted fake backend.
 *
 * Cards are inserted, swapped and pulled from "outside" through a second
 * CsDeck handle on the deck directory, and faults are armed in deck.ini,
 * exactly as `insucard-cardsim insert/remove/fault` would do.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cl-backend.h"
#include "cl-card-private.h"
#include "cl-context.h"
#include "cl-error.h"
#include "cs-deck.h"
#include "fake-backend.h"
#include "sim-test-util.h"

#define R1 CL_SIM_READER_R1
#define R2 CL_SIM_READER_R2

static const guint8 sle_atr[] = { 0x3B, 0x04, 0x92, 0x23, 0x10, 0x91 };
static const guint8 select_sle4428[] = { 0xFF, 0xA4, 0x00, 0x00, 0x01, 0x05 };

/* READ MAIN MEMORY (ACS pseudo-APDU) of n bytes at 0. */
static ClResponse *
read_memory (ClCard *card, guint n, GError **error)
{
  ClApdu apdu = { .cla = 0xFF, .ins = 0xB0, .p1 = 0, .p2 = 0, .le = (gint) n };

  return cl_card_transmit (card, &apdu, NULL, error);
}

static void
select_card_type (ClCard *card)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) r =
      cl_card_transmit_raw (card, select_sle4428, sizeof select_sle4428, NULL, &error);
  const guint8 *d;
  gsize len;

  g_assert_no_error (error);
  d = g_bytes_get_data (r, &len);
  g_assert_cmpuint (len, ==, 2);
  g_assert_cmphex (d[0], ==, 0x90);
  g_assert_cmphex (d[1], ==, 0x00);
}

/* -- basic connection ------------------------------------------------------- */

static void
test_connect_transmit (Fixture *f, gconstpointer data)
{
  g_autofree char *path = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (GError) error = NULL;
  g_autoptr (ClResponse) resp = NULL;
  GBytes *atr;

  g_assert_cmpstr (cl_card_get_reader_name (card), ==, R2);
  atr = cl_card_get_atr (card);
  g_assert_cmpmem (g_bytes_get_data (atr, NULL), g_bytes_get_size (atr), sle_atr, sizeof sle_atr);
  g_assert_cmpuint (cl_card_get_event_counter (card), >, 0);

  g_assert_true (cl_card_begin (card, NULL, &error));
  g_assert_no_error (error);
  select_card_type (card);
  resp = read_memory (card, 8, &error);
  g_assert_no_error (error);
  g_assert_cmphex (resp->sw, ==, 0x9000);
  g_assert_cmpuint (resp->len, ==, 8);
  cl_card_end (card);

  /* Disconnect is idempotent, and later calls say so. */
  cl_card_disconnect (card);
  cl_card_disconnect (card);
  g_assert_false (cl_card_begin (card, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_FAILED);
}

static void
test_no_card (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;

  card = cl_context_connect (f->ctx, R1, NULL, &error);
  g_assert_null (card);
  g_assert_error (error, CL_ERROR, CL_ERROR_NO_CARD);
  g_clear_error (&error);

  card = cl_context_connect (f->ctx, "No Such Reader 00 00", NULL, &error);
  g_assert_null (card);
  g_assert_error (error, CL_ERROR, CL_ERROR_NO_READER);
}

/* -- swapped, pulled, reset, shared ------------------------------------------ */

static void
test_card_changed (Fixture *f, gconstpointer data)
{
  g_autofree char *p1 = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autofree char *p2 = NULL;
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) raw = NULL;

  g_assert_true (cl_card_begin (card, NULL, &error));
  select_card_type (card);
  cl_card_end (card);

  /* Between two operations the clerk swaps the card. */
  tu_sim_remove (f, 1);
  p2 = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);

  g_assert_false (cl_card_begin (card, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_CHANGED);
  g_clear_error (&error);

  /* A raw exchange on the old connection does not reach the new card. */
  raw = cl_card_transmit_raw (card, select_sle4428, sizeof select_sle4428, NULL, &error);
  g_assert_null (raw);
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_REMOVED);
  g_clear_error (&error);

  /* Reconnecting finds the other card: refused for good on this object. */
  g_assert_false (cl_card_reconnect (card, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_CHANGED);
  g_clear_error (&error);
  g_assert_false (cl_card_begin (card, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_CHANGED);
  g_clear_error (&error);

  /* A fresh connection works with the new card. */
  g_clear_object (&card);
  card = tu_connect (f->ctx, R2);
  g_assert_true (cl_card_begin (card, NULL, &error));
  g_assert_no_error (error);
  cl_card_end (card);
}

static void
test_card_removed_between (Fixture *f, gconstpointer data)
{
  g_autofree char *p1 = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (GError) error = NULL;

  tu_sim_remove (f, 1);
  g_assert_false (cl_card_begin (card, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_REMOVED);
  g_clear_error (&error);
  g_assert_false (cl_card_reconnect (card, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_NO_CARD);
}

static void
test_pulled_mid_operation (Fixture *f, gconstpointer data)
{
  g_autofree char *p1 = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (ClContext) other = cl_context_new (CL_READER_BACKEND_SIM, f->dir);
  g_autoptr (GError) error = NULL;
  g_autoptr (ClResponse) r1 = NULL;
  ClResponse *r2;
  guint i;

  tu_sim_arm_fault (f, 1, "pull-after=3");
  g_assert_true (cl_card_begin (card, NULL, &error));
  select_card_type (card);
  r1 = read_memory (card, 16, &error);
  g_assert_no_error (error);
  for (i = 0; i < 5; i++)
    {
      r2 = read_memory (card, 16, &error);
      if (r2 == NULL)
        break;
      cl_response_free (r2);
    }
  g_assert_cmpuint (i, ==, 0); /* the third APDU of the insertion */
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_REMOVED);
  g_clear_error (&error);
  cl_card_end (card);

  /* Nothing is left locked: another client finds the reader empty, not
   * held; and dropping the card object releases its handle (ASan). */
  g_clear_object (&card);
  card = cl_context_connect (other, R2, NULL, &error);
  g_assert_null (card);
  g_assert_error (error, CL_ERROR, CL_ERROR_NO_CARD);
}

/* A card object dropped inside a transaction ends it (no stuck reader). */
static void
test_dispose_ends_transaction (Fixture *f, gconstpointer data)
{
  g_autofree char *p1 = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClContext) other = cl_context_new (CL_READER_BACKEND_SIM, f->dir);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (ClCard) card2 = tu_connect (other, R2);
  g_autoptr (GError) error = NULL;

  g_assert_true (cl_card_begin (card, NULL, &error));
  g_clear_object (&card);
  g_assert_true (cl_card_begin (card2, NULL, &error));
  g_assert_no_error (error);
  cl_card_end (card2);
}

static void
test_reset_by_other (Fixture *f, gconstpointer data)
{
  g_autofree char *p1 = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClContext) other = cl_context_new (CL_READER_BACKEND_SIM, f->dir);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (ClCard) intruder = tu_connect (other, R2);
  g_autoptr (GError) error = NULL;
  g_autoptr (ClResponse) resp = NULL;

  select_card_type (card);
  g_assert_true (cl_card_reset (intruder, NULL, &error));
  g_assert_no_error (error);

  resp = read_memory (card, 4, &error);
  g_assert_null (resp);
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_RESET);
  g_clear_error (&error);
  /* Not "continue blindly": it stays reset until the caller reconnects. */
  g_assert_false (cl_card_begin (card, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_RESET);
  g_clear_error (&error);

  g_assert_true (cl_card_reconnect (card, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_card_begin (card, NULL, &error));
  select_card_type (card);
  cl_card_end (card);

  /* The intruder itself was not reset by its own reset. */
  select_card_type (intruder);
}

static void
test_sharing_violation (Fixture *f, gconstpointer data)
{
  g_autofree char *p1 = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClContext) other = cl_context_new (CL_READER_BACKEND_SIM, f->dir);
  g_autoptr (ClCard) holder = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (GError) error = NULL;

  holder = cl_context_connect_full (other, R2, CL_SHARE_EXCLUSIVE, NULL, &error);
  g_assert_no_error (error);

  card = cl_context_connect (f->ctx, R2, NULL, &error);
  g_assert_null (card);
  g_assert_error (error, CL_ERROR, CL_ERROR_SHARING_VIOLATION);
  g_assert_nonnull (strstr (error->message, "pcsc_scan"));
  g_assert_nonnull (strstr (error->message, "PKCS#11"));
  g_clear_error (&error);

  /* Released: the reader is free again. */
  g_clear_object (&holder);
  card = tu_connect (f->ctx, R2);

  /* And exclusive is refused while someone shares. */
  holder = cl_context_connect_full (other, R2, CL_SHARE_EXCLUSIVE, NULL, &error);
  g_assert_null (holder);
  g_assert_error (error, CL_ERROR, CL_ERROR_SHARING_VIOLATION);
}

static void
test_short_reply (Fixture *f, gconstpointer data)
{
  g_autofree char *p1 = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) raw = NULL;

  tu_sim_arm_fault (f, 1, "short-after=1");
  raw = cl_card_transmit_raw (card, select_sle4428, sizeof select_sle4428, NULL, &error);
  g_assert_null (raw);
  g_assert_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE);
}

/* Transactions are exclusive across contexts of the process. */
typedef struct {
  ClCard *card;
  gint done;
} Blocked;

static gpointer
blocked_thread (gpointer data)
{
  Blocked *b = data;
  g_autoptr (GError) error = NULL;

  g_assert_true (cl_card_begin (b->card, NULL, &error));
  g_atomic_int_set (&b->done, 1);
  cl_card_end (b->card);
  return NULL;
}

static void
test_transaction_exclusive (Fixture *f, gconstpointer data)
{
  g_autofree char *p1 = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (ClContext) other = cl_context_new (CL_READER_BACKEND_SIM, f->dir);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (ClCard) card2 = tu_connect (other, R2);
  g_autoptr (GError) error = NULL;
  Blocked b = { card2, 0 };
  GThread *t;

  g_assert_true (cl_card_begin (card, NULL, &error));
  t = g_thread_new ("blocked", blocked_thread, &b);
  g_usleep (200 * 1000);
  g_assert_cmpint (g_atomic_int_get (&b.done), ==, 0);
  cl_card_end (card);
  g_thread_join (t);
  g_assert_cmpint (g_atomic_int_get (&b.done), ==, 1);
}

/* -- async and cancellation ---------------------------------------------------- */

typedef struct {
  GMainContext *mc;
  GThread *thread;
  gboolean wrong_context;
  GAsyncResult *result;
} AsyncWait;

static void
on_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  AsyncWait *w = data;

  if (g_thread_self () != w->thread || !g_main_context_is_owner (w->mc))
    w->wrong_context = TRUE;
  w->result = g_object_ref (result);
}

static GAsyncResult *
wait_result (AsyncWait *w)
{
  while (w->result == NULL)
    g_main_context_iteration (w->mc, TRUE);
  return w->result;
}

static void
test_async (Fixture *f, gconstpointer data)
{
  g_autofree char *p1 = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (GMainContext) mc = g_main_context_new ();
  AsyncWait w = { mc, g_thread_self (), FALSE, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClResponse) resp = NULL;
  guint8 select[] = { 0x05 };
  ClApdu apdu = { .cla = 0xFF, .ins = 0xA4, .data = select, .lc = 1, .le = CL_LE_NONE };

  g_main_context_push_thread_default (mc);

  cl_context_connect_async (f->ctx, R2, NULL, on_ready, &w);
  card = cl_context_connect_finish (f->ctx, wait_result (&w), &error);
  g_assert_no_error (error);
  g_assert_nonnull (card);
  g_clear_object (&w.result);

  cl_card_transmit_async (card, &apdu, NULL, on_ready, &w);
  select[0] = 0xEE; /* the call copied the APDU */
  resp = cl_card_transmit_finish (card, wait_result (&w), &error);
  g_assert_no_error (error);
  g_assert_cmphex (resp->sw, ==, 0x9000);
  g_clear_object (&w.result);

  cl_card_reconnect_async (card, NULL, on_ready, &w);
  g_assert_true (cl_card_reconnect_finish (card, wait_result (&w), &error));
  g_assert_no_error (error);
  g_clear_object (&w.result);

  g_main_context_pop_thread_default (mc);
  g_assert_false (w.wrong_context);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autofree char *p1 = tu_sim_new_card (f, 1, CS_CARD_SLE4428, NULL);
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_autoptr (GMainContext) mc = g_main_context_new ();
  AsyncWait w = { mc, g_thread_self (), FALSE, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = tu_connect (f->ctx, R2);
  g_autoptr (ClCard) none = NULL;
  g_autoptr (GBytes) raw = NULL;
  ClApdu apdu = { .cla = 0xFF, .ins = 0xB0, .le = 4 };

  g_cancellable_cancel (cancel);
  none = cl_context_connect (f->ctx, R2, cancel, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  raw = cl_card_transmit_raw (card, select_sle4428, sizeof select_sle4428, cancel, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (cl_card_begin (card, cancel, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_main_context_push_thread_default (mc);
  cl_context_connect_async (f->ctx, R2, cancel, on_ready, &w);
  none = cl_context_connect_finish (f->ctx, wait_result (&w), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&w.result);
  cl_card_transmit_async (card, &apdu, cancel, on_ready, &w);
  g_assert_null (cl_card_transmit_finish (card, wait_result (&w), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&w.result);
  g_main_context_pop_thread_default (mc);

  /* The connection is still good after cancelled calls. */
  select_card_type (card);
}

/* -- T=0 rules over a scripted backend ------------------------------------------- */

typedef struct {
  const char *command; /* expected C-APDU, hex */
  const char *response; /* R-APDU to give, hex */
} Step;

typedef struct {
  const Step *steps;
  guint n_steps, pos;
  gboolean mismatch;
} Script;

static void
script_respond (const guint8 *c, gsize clen, guint8 *rbuf, gsize *rlen, gpointer data)
{
  Script *sc = data;
  g_autofree guint8 *want = NULL;
  gsize wlen;

  if (sc->pos >= sc->n_steps)
    {
      sc->mismatch = TRUE;
      tu_fake_reply (rbuf, rlen, "6F00");
      return;
    }
  want = tu_unhex (sc->steps[sc->pos].command, &wlen);
  if (wlen != clen || memcmp (want, c, clen) != 0)
    sc->mismatch = TRUE;
  tu_fake_reply (rbuf, rlen, sc->steps[sc->pos].response);
  sc->pos++;
}

static ClResponse *
run_script (const Step *steps, guint n, const ClApdu *apdu, GError **error)
{
  Script sc = { steps, n, 0, FALSE };
  g_autoptr (ClCard) card = tu_fake_card_new ("3B0492231091", script_respond, &sc, NULL);
  ClResponse *resp;

  resp = cl_card_transmit (card, apdu, NULL, error);
  g_assert_false (sc.mismatch);
  g_assert_cmpuint (sc.pos, ==, n);
  return resp;
}

static void
test_t0_get_response (void)
{
  static const guint8 mf[] = { 0x3F, 0x00 };
  const ClApdu select = { .cla = 0x00, .ins = 0xA4, .data = mf, .lc = 2, .le = CL_LE_NONE };
  static const Step steps[] = {
    { "00A40000023F00", "6104" },
    { "00C0000004", "A1A2A3A46102" },
    { "00C0000002", "B1B29000" },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClResponse) resp = run_script (steps, G_N_ELEMENTS (steps), &select, &error);
  static const guint8 want[] = { 0xA1, 0xA2, 0xA3, 0xA4, 0xB1, 0xB2 };

  g_assert_no_error (error);
  g_assert_cmphex (resp->sw, ==, 0x9000);
  g_assert_cmpmem (resp->data, resp->len, want, sizeof want);
}

static void
test_t0_wrong_le (void)
{
  const ClApdu get = { .cla = 0x80, .ins = 0xCA, .le = 256 };
  static const Step steps[] = {
    { "80CA000000", "6C03" },
    { "80CA000003", "0102039000" },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClResponse) resp = run_script (steps, G_N_ELEMENTS (steps), &get, &error);
  static const guint8 want[] = { 0x01, 0x02, 0x03 };

  g_assert_no_error (error);
  g_assert_cmphex (resp->sw, ==, 0x9000);
  g_assert_cmpmem (resp->data, resp->len, want, sizeof want);
}

static void
test_t0_wrong_le_then_more (void)
{
  const ClApdu get = { .cla = 0x00, .ins = 0xB0, .le = 1 };
  static const Step steps[] = {
    { "00B0000001", "6C02" },
    { "00B0000002", "AABB6101" },
    { "00C0000001", "CC6A82" },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClResponse) resp = run_script (steps, G_N_ELEMENTS (steps), &get, &error);

  g_assert_no_error (error);
  /* The status word is returned as is; callers decide. */
  g_assert_cmphex (resp->sw, ==, 0x6A82);
  g_assert_cmpuint (resp->len, ==, 3);
}

/* A GET RESPONSE answered 6Cxx is repeated with Le = xx; the original
 * command is never sent again (INTERNAL AUTHENTICATE would compute twice,
 * APPEND RECORD would append twice). */
static void
test_t0_get_response_wrong_le (void)
{
  static const guint8 rnd[] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 };
  const ClApdu auth = { .cla = 0x00, .ins = 0x88, .data = rnd, .lc = 8, .le = CL_LE_NONE };
  static const Step steps[] = {
    { "00880000081122334455667788", "6110" },
    { "00C0000010", "6C08" },
    { "00C0000008", "01020304050607089000" },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClResponse) resp = run_script (steps, G_N_ELEMENTS (steps), &auth, &error);
  static const guint8 want[] = { 1, 2, 3, 4, 5, 6, 7, 8 };

  g_assert_no_error (error);
  g_assert_cmphex (resp->sw, ==, 0x9000);
  g_assert_cmpmem (resp->data, resp->len, want, sizeof want);
}

static void
test_t0_short_reply (void)
{
  const ClApdu get = { .cla = 0x00, .ins = 0xB0, .le = 1 };
  static const Step steps[] = {
    { "00B0000001", "90" },
  };
  g_autoptr (GError) error = NULL;
  ClResponse *resp = run_script (steps, G_N_ELEMENTS (steps), &get, &error);

  g_assert_null (resp);
  g_assert_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE);
}

/* -- FMCOS CPU card (when the model answers SELECT with 61xx) --------------------- */

static void
test_fmcos_select (Fixture *f, gconstpointer data)
{
  g_autofree char *p = tu_sim_new_card (f, 0, CS_CARD_FMCOS, NULL);
  g_autoptr (ClCard) card = tu_connect (f->ctx, R1);
  static const guint8 mf[] = { 0x3F, 0x00 };
  const ClApdu select = { .cla = 0x00, .ins = 0xA4, .data = mf, .lc = 2, .le = CL_LE_NONE };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) raw = NULL;
  g_autoptr (ClResponse) resp = NULL;
  const guint8 *d;
  gsize len;

  raw = cl_card_transmit_raw (card, (const guint8[]){ 0x00, 0xA4, 0x00, 0x00, 0x02, 0x3F, 0x00 }, 7,
                              NULL, &error);
  g_assert_no_error (error);
  d = g_bytes_get_data (raw, &len);
  if (len != 2 || d[0] != 0x61)
    {
      g_test_skip ("the FMCOS model does not answer SELECT MF with 61xx (yet)");
      return;
    }
  resp = cl_card_transmit (card, &select, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmphex (resp->sw, ==, 0x9000);
  g_assert_cmpuint (resp->len, ==, d[1] == 0 ? 256 : d[1]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, tu_sim_setup, fn, tu_sim_teardown)
  ADD ("/card-sim/connect-transmit", test_connect_transmit);
  ADD ("/card-sim/no-card", test_no_card);
  ADD ("/card-sim/changed", test_card_changed);
  ADD ("/card-sim/removed-between", test_card_removed_between);
  ADD ("/card-sim/pulled-mid-operation", test_pulled_mid_operation);
  ADD ("/card-sim/dispose-ends-transaction", test_dispose_ends_transaction);
  ADD ("/card-sim/reset-by-other", test_reset_by_other);
  ADD ("/card-sim/sharing-violation", test_sharing_violation);
  ADD ("/card-sim/short-reply", test_short_reply);
  ADD ("/card-sim/transaction-exclusive", test_transaction_exclusive);
  ADD ("/card-sim/async", test_async);
  ADD ("/card-sim/cancel", test_cancel);
  ADD ("/card-sim/fmcos-select", test_fmcos_select);
#undef ADD
  g_test_add_func ("/card-t0/get-response", test_t0_get_response);
  g_test_add_func ("/card-t0/wrong-le", test_t0_wrong_le);
  g_test_add_func ("/card-t0/wrong-le-then-more", test_t0_wrong_le_then_more);
  g_test_add_func ("/card-t0/get-response-wrong-le", test_t0_get_response_wrong_le);
  g_test_add_func ("/card-t0/short-reply", test_t0_short_reply);

  return g_test_run ();
}
