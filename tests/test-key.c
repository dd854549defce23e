/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-key.c: ClKey lives in the secure heap, compares in constant time and
 * is wiped; run under ASan/valgrind (tests setups) to catch leaks. */
#include "config.h"

#include <string.h>
#include <sys/resource.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "cl-error.h"
#include "cl-key.h"

static void
test_new (void)
{
  g_autoptr (ClKey) key = cl_key_new (16);
  const guint8 zeros[16] = { 0 };

  g_assert_cmpuint (cl_key_get_length (key), ==, 16);
  g_assert_cmpmem (cl_key_get_data (key), 16, zeros, 16);
  g_assert_true (cl_key_get_data_mutable (key) == cl_key_get_data (key));
}

static void
test_secure_heap (void)
{
  g_autoptr (ClKey) key = cl_key_new_from_data ((const guint8 *) "0123456789abcdef", 16);

  g_assert_true (CRYPTO_secure_malloc_initialized ());
  g_assert_true (CRYPTO_secure_allocated (cl_key_get_data (key)));
  g_assert_true (cl_key_is_secure (key));
}

static void
test_many_keys (void)
{
  g_autoptr (GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) cl_key_free);

  /* More than the secure heap holds: the rest fall back to locked pages
   * and must still work and free cleanly. */
  for (guint i = 0; i < 64 * 1024 / CL_KEY_MAX_LEN + 50; i++)
    {
      ClKey *key = cl_key_new (CL_KEY_MAX_LEN);

      memset (cl_key_get_data_mutable (key), (int) (i & 0xFF), CL_KEY_MAX_LEN);
      g_ptr_array_add (keys, key);
    }
  g_assert_true (cl_key_is_secure (g_ptr_array_index (keys, 0)));
  g_assert_false (cl_key_is_secure (g_ptr_array_index (keys, keys->len - 1)));
  /* The full heap left no stale error for later crypto calls to report. */
  g_assert_cmpuint (ERR_peek_error (), ==, 0);
  for (guint i = 0; i < keys->len; i++)
    g_assert_cmpuint (cl_key_get_data (g_ptr_array_index (keys, i))[CL_KEY_MAX_LEN - 1], ==,
                      i & 0xFF);
  g_ptr_array_set_size (keys, 0);

  /* Freed secure-heap space is reused. */
  {
    g_autoptr (ClKey) again = cl_key_new (16);
    g_assert_true (cl_key_is_secure (again));
  }
}

static void
test_from_hex (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key = cl_key_new_from_hex ("01 23 45 67 89 ab cd ef", 8, &error);
  g_autoptr (ClKey) any = NULL;

  g_assert_no_error (error);
  g_assert_cmpmem (cl_key_get_data (key), 8, "\x01\x23\x45\x67\x89\xab\xcd\xef", 8);
  g_assert_true (cl_key_is_secure (key));

  /* expected_len 0: any DES key length. */
  any = cl_key_new_from_hex ("0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cl_key_get_length (any), ==, 24);

  g_assert_null (cl_key_new_from_hex ("0123456789ABCDE", 8, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (cl_key_new_from_hex ("0123456789ABCDEZ", 8, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (cl_key_new_from_hex ("0123456789ABCDEF01", 0, &error));
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "18"));
  g_clear_error (&error);
  /* A bad character is reported before the length. */
  g_assert_null (cl_key_new_from_hex ("0123x", 0, &error));
  g_assert_nonnull (strstr (error->message, "position 5"));
}

static void
test_concat_dup_equal (void)
{
  g_autoptr (ClKey) left = cl_key_new_from_data ((const guint8 *) "AAAAAAAA", 8);
  g_autoptr (ClKey) right = cl_key_new_from_data ((const guint8 *) "BBBBBBBB", 8);
  g_autoptr (ClKey) both = cl_key_concat (left, right);
  g_autoptr (ClKey) copy = cl_key_dup (both);
  g_autoptr (ClKey) other = cl_key_new_from_data ((const guint8 *) "AAAAAAAABBBBBBBC", 16);

  g_assert_cmpmem (cl_key_get_data (both), 16, "AAAAAAAABBBBBBBB", 16);
  g_assert_true (cl_key_is_secure (both));
  g_assert_true (cl_key_get_data (copy) != cl_key_get_data (both));
  g_assert_true (cl_key_equal (both, copy));
  g_assert_false (cl_key_equal (both, other));
  g_assert_false (cl_key_equal (both, left));
}

static void
test_wipe (void)
{
  guint8 buf[32];
  const guint8 zeros[32] = { 0 };

  memset (buf, 0x5A, sizeof buf);
  cl_secure_wipe (buf, sizeof buf);
  g_assert_cmpmem (buf, sizeof buf, zeros, sizeof zeros);
  cl_secure_wipe (NULL, 0);
}

static void
test_free_null (void)
{
  cl_key_free (NULL);
}

/* A process holding secrets must not leave them in a core file. */
static void
test_no_core_dumps (void)
{
  struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

  cl_secure_init ();
  g_assert_cmpint (getrlimit (RLIMIT_CORE, &rl), ==, 0);
  g_assert_cmpuint (rl.rlim_cur, ==, 0);
  g_assert_cmpuint (rl.rlim_max, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/crypto/key/new", test_new);
  g_test_add_func ("/crypto/key/secure-heap", test_secure_heap);
  g_test_add_func ("/crypto/key/many-keys", test_many_keys);
  g_test_add_func ("/crypto/key/from-hex", test_from_hex);
  g_test_add_func ("/crypto/key/concat-dup-equal", test_concat_dup_equal);
  g_test_add_func ("/crypto/key/wipe", test_wipe);
  g_test_add_func ("/crypto/key/free-null", test_free_null);
  g_test_add_func ("/crypto/key/no-core-dumps", test_no_core_dumps);

  return g_test_run ();
}
