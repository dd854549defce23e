/* test-util.h: small helpers every test program shares. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>

/* Removes a test sandbox made with g_dir_make_tmp(), depth first. */
static inline void
tu_rm_rf (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        tu_rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
