/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sle4428.c: the SLE4428 driver against the simulated card: reads,
 * writes, compare-and-protect, the error counter, PSC presentation with the
 * last-try interlock, a locked card, PSC change, protection map, a card
 * pulled mid-operation, async, and kind detection. */
#include "config.h"

#include "cl-kind.h"
#include "cl-sle4428.h"
#include "sim-test-util.h"

static const guint8 default_psc[2] = { 0xFF, 0xFF };
static const guint8 wrong_psc[2] = { 0x12, 0x34 };
static const guint8 serial[8] = { 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80 };

static void
setup (Fixture *f, gconstpointer data)
{
  tu_sim_open (f);
  f->card = tu_sim_insert (f, 1, CS_CARD_SLE4428, serial);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  tu_sim_close (f);
}

static void
present (Fixture *f, const guint8 *code, gboolean allow, guint *tries, GError **error)
{
  g_autoptr (ClKey) psc = cl_key_new_from_data (code, 2);

  cl_sle4428_present_psc (f->card, psc, allow, tries, NULL, error);
}

static guint
tries_now (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  guint tries = 99;
  guint8 raw = 0;

  g_assert_true (cl_sle4428_read_error_counter (f->card, &raw, &tries, NULL, &error));
  g_assert_no_error (error);
  return tries;
}

static void
test_read_serial (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) all = NULL;
  g_autoptr (ClKey) whole = NULL;
  guint8 sn[8];
  const guint8 *mem;

  g_assert_true (cl_sle4428_read_serial (f->card, sn, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (sn, 8, serial, 8);

  /* The whole card, in chunks (255 by default, then 64).  A range with
   * the PSC comes back only in locked memory. */
  all = cl_sle4428_read (f->card, 0, CL_SLE4428_SIZE, NULL, &error);
  g_assert_null (all);
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  whole = cl_sle4428_read_secret (f->card, 0, CL_SLE4428_SIZE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cl_key_is_secure (whole));
  g_assert_cmpuint (cl_key_get_length (whole), ==, CL_SLE4428_SIZE);
  mem = cl_key_get_data (whole);
  g_assert_cmpmem (mem + 8, 8, serial, 8);
  g_assert_cmphex (mem[0x100], ==, 0xFF);
  /* Before presentation the PSC reads as 00 00. */
  g_assert_cmphex (mem[0x3FE], ==, 0x00);
  all = cl_sle4428_read (f->card, 0, CL_SLE4428_PSC_ADDR, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (all, NULL), CL_SLE4428_PSC_ADDR, mem, CL_SLE4428_PSC_ADDR);
  g_clear_pointer (&all, g_bytes_unref);

  cl_sle4428_set_chunk_size (f->card, 64);
  all = cl_sle4428_read (f->card, 0x3C0, 62, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (all), ==, 62);

  /* Out of range: refused before the card is asked. */
  g_clear_pointer (&all, g_bytes_unref);
  all = cl_sle4428_read (f->card, 0x3FF, 2, NULL, &error);
  g_assert_null (all);
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
}

static void
test_write_needs_psc (Fixture *f, gconstpointer data)
{
  static const guint8 block[4] = { 0x01, 0x23, 0x45, 0x67 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) back = NULL;
  guint tries = 0;

  g_assert_false (cl_sle4428_write (f->card, 0x20, block, 4, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_SECURITY);
  g_clear_error (&error);

  present (f, default_psc, FALSE, &tries, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tries, ==, 8);
  g_assert_true (cl_sle4428_write (f->card, 0x20, block, 4, NULL, &error));
  g_assert_no_error (error);
  back = cl_sle4428_read (f->card, 0x20, 4, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (back, NULL), 4, block, 4);
}

static void
test_protect (Fixture *f, gconstpointer data)
{
  static const guint8 block[4] = { 0xA1, 0xA2, 0xA3, 0xA4 };
  static const guint8 other[4] = { 0xB1, 0xB2, 0xB3, 0xB4 };
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = NULL;
  gboolean map[CL_SLE4428_SIZE];

  present (f, default_psc, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cl_sle4428_write (f->card, 0x10, block, 4, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_sle4428_write_protect (f->card, 0x10, block, 4, NULL, &error));
  g_assert_no_error (error);

  /* Protected bytes never change again. */
  g_assert_false (cl_sle4428_write (f->card, 0x10, other, 4, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_WRITE_PROTECTED);
  g_clear_error (&error);

  /* Compare-and-protect with different contents fails. */
  g_assert_false (cl_sle4428_write_protect (f->card, 0x30, other, 4, NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (cl_sle4428_read_protection (f->card, 0, CL_SLE4428_SIZE, map, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 0x10; i++)
    g_assert_true (map[i]); /* factory header and serial */
  for (guint i = 0x10; i < 0x14; i++)
    g_assert_true (map[i]);
  g_assert_false (map[0x14]);
  g_assert_false (map[0x3FF]);
  summary = cl_sle4428_protection_summary (map);
  g_assert_cmpstr (summary, ==, "0x000-0x013 protected; 0x014-0x3FF writable");

  /* A range at the very end of memory. */
  g_assert_true (cl_sle4428_read_protection (f->card, 0x3FD, 3, map, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (map[0]);
}

static void
test_last_try_and_lock (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint tries = 0;

  for (guint i = 0; i < 7; i++)
    {
      present (f, wrong_psc, FALSE, &tries, &error);
      g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_PIN);
      g_assert_cmpuint (tries, ==, 7 - i);
      g_clear_error (&error);
    }
  g_assert_cmpuint (tries_now (f), ==, 1);

  /* One bit left: refused without consent, and the card is not touched,
   * even for the right code. */
  present (f, default_psc, FALSE, &tries, &error);
  g_assert_error (error, CL_ERROR, CL_ERROR_LAST_TRY);
  g_assert_cmpuint (tries, ==, 1);
  g_clear_error (&error);
  g_assert_cmpuint (tries_now (f), ==, 1);

  /* With consent, a wrong code locks the card for good. */
  present (f, wrong_psc, TRUE, &tries, &error);
  g_assert_error (error, CL_ERROR, CL_ERROR_LOCKED);
  g_assert_cmpuint (tries, ==, 0);
  g_clear_error (&error);

  present (f, default_psc, TRUE, &tries, &error);
  g_assert_error (error, CL_ERROR, CL_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_cmpuint (tries_now (f), ==, 0);
}

static void
test_last_try_consent_right_code (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  guint tries = 0;

  for (guint i = 0; i < 7; i++)
    {
      present (f, wrong_psc, FALSE, NULL, &error);
      g_clear_error (&error);
    }
  present (f, default_psc, TRUE, &tries, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tries, ==, 8);
  g_assert_cmpuint (tries_now (f), ==, 8);
}

static void
test_change_psc (Fixture *f, gconstpointer data)
{
  static const guint8 new_code[2] = { 0x5A, 0xC3 };
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) old_psc = cl_key_new_from_data (default_psc, 2);
  g_autoptr (ClKey) new_psc = cl_key_new_from_data (new_code, 2);

  g_assert_true (cl_sle4428_change_psc (f->card, old_psc, new_psc, FALSE, NULL, &error));
  g_assert_no_error (error);

  /* The old code no longer works; the new one does. */
  cl_card_reconnect (f->card, NULL, NULL);
  present (f, default_psc, FALSE, NULL, &error);
  g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_PIN);
  g_clear_error (&error);
  present (f, new_code, FALSE, NULL, &error);
  g_assert_no_error (error);

  /* Wrong old code: no change. */
  g_assert_false (cl_sle4428_change_psc (f->card, old_psc, new_psc, FALSE, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_PIN);
}

static void
test_pulled (Fixture *f, gconstpointer data)
{
  static const guint8 block[16] = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) b = NULL;

  present (f, default_psc, FALSE, NULL, &error);
  g_assert_no_error (error);
  tu_sim_arm_fault (f, 1, "pull-after=2");
  cl_sle4428_set_chunk_size (f->card, 4);
  g_assert_false (cl_sle4428_write (f->card, 0x40, block, sizeof block, NULL, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_CARD_REMOVED);
  g_clear_error (&error);
  b = cl_sle4428_read (f->card, 0, 16, NULL, &error);
  g_assert_null (b);
  g_assert_nonnull (error);
}

static void
on_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_async (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) psc = cl_key_new_from_data (default_psc, 2);
  g_autoptr (GBytes) b = NULL;
  GAsyncResult *res = NULL;
  guint tries = 0;

  cl_sle4428_present_psc_async (f->card, psc, FALSE, NULL, on_ready, &res);
  g_assert_true (cl_sle4428_present_psc_finish (f->card, wait_result (&res), &tries, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tries, ==, 8);
  g_clear_object (&res);

  /* A wrong PSC: the failure carries the tries left. */
  {
    static const guint8 wrong[2] = { 0x12, 0x34 };
    g_autoptr (ClKey) bad = cl_key_new_from_data (wrong, 2);

    tries = 99;
    cl_sle4428_present_psc_async (f->card, bad, FALSE, NULL, on_ready, &res);
    g_assert_false (cl_sle4428_present_psc_finish (f->card, wait_result (&res), &tries, &error));
    g_assert_error (error, CL_ERROR, CL_ERROR_WRONG_PIN);
    g_assert_cmpuint (tries, ==, 7);
    g_clear_error (&error);
    g_clear_object (&res);
  }

  cl_sle4428_read_async (f->card, 8, 8, NULL, on_ready, &res);
  b = cl_sle4428_read_finish (f->card, wait_result (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (b, NULL), 8, serial, 8);
  g_clear_object (&res);

  /* Cancelled before it runs. */
  {
    g_autoptr (GCancellable) c = g_cancellable_new ();
    g_autoptr (GBytes) none = NULL;

    g_cancellable_cancel (c);
    cl_sle4428_read_async (f->card, 8, 8, c, on_ready, &res);
    none = cl_sle4428_read_finish (f->card, wait_result (&res), &error);
    g_assert_null (none);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_object (&res);
  }
}

static void
test_kind (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  ClCardInfo info;

  g_assert_true (cl_card_detect (f->card, &info, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.kind, ==, CL_CARD_KIND_SLE4428);
  g_assert_true (info.has_serial);
  g_assert_cmpmem (info.serial, 8, serial, 8);
  g_assert_cmpstr (cl_card_kind_to_string (info.kind), ==, "sle4428");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();
#define ADD(path, fn) g_test_add (path, Fixture, NULL, setup, fn, teardown)
  ADD ("/sle4428/read", test_read_serial);
  ADD ("/sle4428/write-needs-psc", test_write_needs_psc);
  ADD ("/sle4428/protect", test_protect);
  ADD ("/sle4428/last-try-and-lock", test_last_try_and_lock);
  ADD ("/sle4428/last-try-consent", test_last_try_consent_right_code);
  ADD ("/sle4428/change-psc", test_change_psc);
  ADD ("/sle4428/pulled", test_pulled);
  ADD ("/sle4428/async", test_async);
  ADD ("/sle4428/kind", test_kind);
  return g_test_run ();
}
