/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-key.c: key bytes in OpenSSL's secure heap, wiped when freed.
 *
 * If the secure heap cannot be set up or is full, a key gets its own
 * mlock'ed, MADV_DONTDUMP mapping instead: whole pages, because mlock does
 * not nest and unlocking one key must not unlock a neighbour on the same
 * page.  cl_key_is_secure() tells the two apart.
 */
#include "config.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#include <glib/gi18n-lib.h>
#include <openssl/crypto.h>
#include <openssl/err.h>

#include "cl-codec.h"
#include "cl-error.h"
#include "cl-key.h"

/* Enough for hundreds of keys; the minimum block keeps small keys cheap. */
#define SECURE_HEAP_SIZE (64 * 1024)
#define SECURE_HEAP_MIN 16

struct _ClKey {
  guint8 *data;
  gsize len;
  gsize map_len; /* > 0: fallback mapping of this many bytes */
  gboolean is_secure; /* data is in OpenSSL's secure heap */
};

void
cl_secure_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      /* Transient copies of PINs and PSCs pass through ordinary stack and
       * APDU buffers before they are wiped: a process that handles them
       * writes no core file. */
      struct rlimit no_core = { 0, 0 };

      if (setrlimit (RLIMIT_CORE, &no_core) != 0)
        g_debug ("could not switch off core dumps");
      /* Someone else (a test, a library) may have set it up already. */
      if (!CRYPTO_secure_malloc_initialized ()
          && CRYPTO_secure_malloc_init (SECURE_HEAP_SIZE, SECURE_HEAP_MIN) == 0)
        g_debug ("OpenSSL secure heap unavailable; keys use mlock'ed pages");
      g_once_init_leave (&initialized, 1);
    }
}

static gboolean
key_alloc (ClKey *key, gsize len)
{
  long page = sysconf (_SC_PAGESIZE);
  void *p;

  cl_secure_init ();
  key->len = len;
  if (CRYPTO_secure_malloc_initialized ())
    {
      /* A full heap queues an OpenSSL error; drop it so that a later
       * crypto failure does not report this stale reason. */
      ERR_set_mark ();
      key->data = OPENSSL_secure_zalloc (len);
      ERR_pop_to_mark ();
      if (key->data != NULL && CRYPTO_secure_allocated (key->data))
        {
          key->is_secure = TRUE;
          return TRUE;
        }
      OPENSSL_secure_clear_free (key->data, len);
      key->data = NULL;
    }

  key->map_len = (len + (gsize) page - 1) / (gsize) page * (gsize) page;
  p = mmap (NULL, key->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return FALSE;
  if (mlock (p, key->map_len) != 0)
    g_debug ("mlock of a key page failed; it may be swapped out");
#ifdef MADV_DONTDUMP
  madvise (p, key->map_len, MADV_DONTDUMP);
#endif
  key->data = p; /* anonymous mappings are zero-filled */
  return TRUE;
}

ClKey *
cl_key_new (gsize len)
{
  ClKey *key;

  g_return_val_if_fail (len > 0 && len <= CL_KEY_MAX_LEN, NULL);

  key = g_new0 (ClKey, 1);
  if (!key_alloc (key, len))
    g_error ("Cannot allocate memory for a key");
  return key;
}

ClKey *
cl_key_new_from_data (const guint8 *data, gsize len)
{
  ClKey *key;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (len > 0 && len <= CL_KEY_MAX_LEN, NULL);

  key = cl_key_new (len);
  memcpy (key->data, data, len);
  return key;
}

/* expected_len 0 accepts any DES key length: 8, 16 or 24 bytes. */
ClKey *
cl_key_new_from_hex (const char *hex, gsize expected_len, GError **error)
{
  g_autoptr (ClKey) key = NULL;
  gsize n_digits;

  g_return_val_if_fail (hex != NULL, NULL);
  g_return_val_if_fail (expected_len <= CL_KEY_MAX_LEN, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (expected_len == 0)
    {
      if (!cl_hex_count_digits (hex, &n_digits, error))
        return NULL;
      if (n_digits != 16 && n_digits != 32 && n_digits != 48)
        {
          g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                       _ ("Got %zu hex digits; a key has 16, 32 or 48. Check the entry for a "
                          "missing or extra digit and type it again."),
                       n_digits);
          return NULL;
        }
      expected_len = n_digits / 2;
    }

  /* Decode straight into locked memory: no plain-heap copy of the key. */
  key = cl_key_new (expected_len);
  if (!cl_hex_decode (hex, key->data, key->len, error))
    return NULL;
  return g_steal_pointer (&key);
}

ClKey *
cl_key_concat (const ClKey *left, const ClKey *right)
{
  ClKey *key;

  g_return_val_if_fail (left != NULL, NULL);
  g_return_val_if_fail (right != NULL, NULL);
  g_return_val_if_fail (left->len + right->len <= CL_KEY_MAX_LEN, NULL);

  key = cl_key_new (left->len + right->len);
  memcpy (key->data, left->data, left->len);
  memcpy (key->data + left->len, right->data, right->len);
  return key;
}

ClKey *
cl_key_dup (const ClKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return cl_key_new_from_data (key->data, key->len);
}

const guint8 *
cl_key_get_data (const ClKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return key->data;
}

guint8 *
cl_key_get_data_mutable (ClKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);

  return key->data;
}

gsize
cl_key_get_length (const ClKey *key)
{
  g_return_val_if_fail (key != NULL, 0);

  return key->len;
}

gboolean
cl_key_is_secure (const ClKey *key)
{
  g_return_val_if_fail (key != NULL, FALSE);

  return key->is_secure;
}

gboolean
cl_key_equal (const ClKey *a, const ClKey *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  /* Lengths are not secret; the bytes are compared in constant time. */
  if (a->len != b->len)
    return FALSE;
  return CRYPTO_memcmp (a->data, b->data, a->len) == 0;
}

void
cl_key_free (ClKey *key)
{
  if (key == NULL)
    return;

  OPENSSL_cleanse (key->data, key->len);
  if (key->map_len > 0)
    {
      munlock (key->data, key->map_len);
      munmap (key->data, key->map_len);
    }
  else
    OPENSSL_secure_clear_free (key->data, key->len);
  g_free (key);
}

void
cl_secure_wipe (gpointer data, gsize len)
{
  if (data != NULL && len > 0)
    OPENSSL_cleanse (data, len);
}
