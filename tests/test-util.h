/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-util.h: small helpers every test program shares (GLib and the
 * cardlib core only, so that every test program can include it). */
#pragma once

#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "cl-codec.h"
#include "cl-key.h"

static inline void
tu_rm_rf_full (const char *path, gboolean strict)
{
  int rc;

  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          tu_rm_rf_full (child, strict);
        }
      rc = g_rmdir (path);
    }
  else
    rc = g_remove (path);
  if (strict)
    g_assert_cmpint (rc, ==, 0);
}

/* Removes a test sandbox made with g_dir_make_tmp(), depth first; links are
 * removed, not followed. */
static inline void
tu_rm_rf (const char *path)
{
  tu_rm_rf_full (path, FALSE);
}

/* The same, and asserts that every entry (and path itself) went away. */
static inline void
tu_rm_rf_strict (const char *path)
{
  tu_rm_rf_full (path, TRUE);
}

/* Decodes hex that the test itself wrote (it must be valid). */
static inline guint8 *
tu_unhex (const char *hex, gsize *len)
{
  g_autoptr (GError) error = NULL;
  guint8 *out = cl_hex_decode_alloc (hex, len, &error);

  g_assert_no_error (error);
  g_assert_nonnull (out);
  return out;
}

/* A key of strlen(hex) / 2 bytes from hex the test itself wrote. */
static inline ClKey *
tu_key_from_hex (const char *hex)
{
  g_autoptr (GError) error = NULL;
  ClKey *key = cl_key_new_from_hex (hex, strlen (hex) / 2, &error);

  g_assert_no_error (error);
  g_assert_nonnull (key);
  return key;
}
