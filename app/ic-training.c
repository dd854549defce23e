/* ic-training.c: training mode setup. */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "ic-training.h"

char *
ic_training_get_deck_dir (void)
{
  const char *env = g_getenv ("INSUCARD_SIM_DECK");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "insucard", "training-deck", NULL);
}

gboolean
ic_training_setup (GError **error)
{
  g_autofree char *deck = ic_training_get_deck_dir ();

  if (g_mkdir_with_parents (deck, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _("Could not create the training deck %s: %s"), deck, g_strerror (saved));
      return FALSE;
    }
  g_setenv ("INSUCARD_READER_BACKEND", "sim", TRUE);
  g_setenv ("INSUCARD_SIM_DECK", deck, TRUE);
  return TRUE;
}
