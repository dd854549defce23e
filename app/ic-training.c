/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-training.c: training mode setup. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "cs-deck.h"
#include "ic-training.h"

/* A new trainee finds a blank CPU card in R1 and a blank insurance card in
 * R2, like a desk fresh from the supplier. */
static gboolean
stock_new_deck (const char *dir, GError **error)
{
  g_autoptr (CsDeck) deck = cs_deck_open (dir, error);
  g_autoptr (GPtrArray) cards = NULL;
  g_autofree char *cpu = NULL;
  g_autofree char *sle = NULL;

  if (deck == NULL)
    return FALSE;
  cards = cs_deck_list_cards (deck, error);
  if (cards == NULL)
    return FALSE;
  if (cards->len > 0)
    return TRUE;

  cpu = cs_deck_new_card (deck, CS_CARD_FMCOS, NULL, error);
  if (cpu == NULL)
    return FALSE;
  sle = cs_deck_new_card (deck, CS_CARD_SLE4428, NULL, error);
  if (sle == NULL)
    return FALSE;
  return cs_deck_insert (deck, 0, cpu, error) && cs_deck_insert (deck, 1, sle, error);
}

gboolean
ic_training_setup (IcConfig *config, GError **error)
{
  g_autofree char *deck = NULL;

  g_return_val_if_fail (config != NULL, FALSE);

  /* An explicitly configured deck (INSUCARD_SIM_DECK) is used as it is;
   * otherwise training has a deck of its own, never the sim default. */
  deck = config->backend == CL_READER_BACKEND_SIM && config->deck_dir != NULL
             ? g_strdup (config->deck_dir)
             : g_build_filename (g_get_user_data_dir (), "insucard", "training-deck", NULL);

  if (g_mkdir_with_parents (deck, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("Could not create the training deck %s: %s"), deck, g_strerror (saved));
      return FALSE;
    }
  if (!stock_new_deck (deck, error))
    return FALSE;
  /* Training never touches a real reader. */
  config->backend = CL_READER_BACKEND_SIM;
  ic_config_set (&config->deck_dir, deck);
  ic_config_set (&config->reader_r1, NULL);
  ic_config_set (&config->reader_r2, NULL);
  return TRUE;
}
