/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-training.c: training mode stocks a private deck once and points
 * cardlib at the simulator. */
#include "config.h"

#include <glib/gstdio.h>

#include "cs-deck.h"
#include "ic-training.h"
#include "test-util.h"

static void
test_stocks_deck_once (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("insucard-training-XXXXXX", &error);
  g_autofree char *deck_dir = g_build_filename (dir, "deck", NULL);
  g_autoptr (CsDeck) deck = NULL;
  g_autoptr (GPtrArray) cards = NULL;
  IcConfig config = { .backend = CL_READER_BACKEND_SIM };

  g_assert_no_error (error);
  ic_config_set (&config.deck_dir, deck_dir);
  ic_config_set (&config.reader_r1, "Some Real Reader 00 00");

  g_assert_true (ic_training_setup (&config, &error));
  g_assert_no_error (error);
  g_assert_cmpint (config.backend, ==, CL_READER_BACKEND_SIM);
  g_assert_cmpstr (config.deck_dir, ==, deck_dir);
  g_assert_null (config.reader_r1); /* training never binds a real reader */

  deck = cs_deck_open (deck_dir, &error);
  g_assert_no_error (error);
  cards = cs_deck_list_cards (deck, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cards->len, ==, 2);
  g_assert_nonnull (cs_deck_get_slot_card (deck, 0));
  g_assert_nonnull (cs_deck_get_slot_card (deck, 1));

  /* A trainee's cards survive the next start: no new blanks appear. */
  g_assert_true (cs_deck_remove (deck, 0, &error));
  g_assert_true (ic_training_setup (&config, &error));
  g_clear_pointer (&cards, g_ptr_array_unref);
  cards = cs_deck_list_cards (deck, &error);
  g_assert_cmpuint (cards->len, ==, 2);

  g_free (config.deck_dir);
  tu_rm_rf (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/training/stocks-deck-once", test_stocks_deck_once);
  return g_test_run ();
}
