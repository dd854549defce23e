/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-main.c: the replay driver of the fuzz targets in builds without
 * libFuzzer (gcc, valgrind, ASan): feeds every file named on the command
 * line, or found in a directory named there, to LLVMFuzzerTestOneInput, in
 * name order.  Missing directories are skipped (a target may have no
 * crashes yet); anything else that cannot be read fails.  docs/developing.md,
 * "Fuzzing". */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz-util.h"

static guint replayed;

static void
replay_file (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      exit (1);
    }
  LLVMFuzzerTestOneInput ((const guint8 *) data, len);
  replayed++;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static void
replay_dir (const char *dir_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      exit (1);
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (dir_path, name, NULL));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    if (g_file_test (g_ptr_array_index (names, i), G_FILE_TEST_IS_REGULAR))
      replay_file (g_ptr_array_index (names, i));
}

int
main (int argc, char **argv)
{
  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        replay_dir (argv[i]);
      else if (g_file_test (argv[i], G_FILE_TEST_EXISTS))
        replay_file (argv[i]);
      else
        printf ("%s: not there, skipped\n", argv[i]);
    }
  printf ("%s: replayed %u inputs\n", g_get_prgname () ? g_get_prgname () : argv[0], replayed);
  return 0;
}
