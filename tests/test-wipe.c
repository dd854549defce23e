/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-wipe.c: no heap block the host frees still holds a PIN, a key or a
 * cryptogram.
 *
 * This program defines free() and realloc() itself, so every block GLib,
 * OpenSSL or cardlib gives back passes a scan for the test's secrets first
 * (realloc moves by hand, so the block it leaves is scanned too).  The card
 * is a fake backend whose own buffers are wiped, so what is found was left
 * by the code under test.  Under AddressSanitizer or valgrind, which own
 * malloc themselves, the scan cannot run: a canary shows that and the test
 * skips. */
#include "config.h"

#include <malloc.h>
#include <string.h>

#include "cl-error.h"
#include "cl-fmcos.h"
#include "fake-backend.h"

extern void *__libc_malloc (size_t size);
extern void __libc_free (void *ptr);

static const guint8 pin_bytes[6] = { 0x9A, 0x7B, 0x3C, 0x5D, 0x1E, 0x2F };
static const guint8 key_bytes[16] = { 0xD1, 0xE2, 0xF3, 0x04, 0x15, 0x26, 0x37, 0x48,
                                      0x59, 0x6A, 0x7B, 0x8C, 0x9D, 0xAE, 0xBF, 0xC0 };
static const guint8 crypto_bytes[16] = { 0xA5, 0x5A, 0xC3, 0x3C, 0x96, 0x69, 0x0F, 0xF0,
                                         0x5A, 0xA5, 0x3C, 0xC3, 0x69, 0x96, 0xF0, 0x0F };
static const guint8 canary[8] = { 'c', 'a', 'n', 'a', 'r', 'y', '!', '?' };

static volatile gboolean scanning;
static volatile gboolean canary_seen;
static volatile int found; /* which secret was found in a freed block, 0 = none */

/* Each secret, and each 8-byte half of a 16-byte one (a reply may arrive
 * in parts).  The canary counts only while the scan checks itself. */
G_GNUC_UNUSED static void
scan (const void *block, size_t len)
{
  static const struct {
    const guint8 *bytes;
    gsize len;
  } secrets[] = {
    { pin_bytes, 6 },    { key_bytes, 8 },        { key_bytes + 8, 8 },
    { crypto_bytes, 8 }, { crypto_bytes + 8, 8 },
  };

  if (block == NULL)
    return;
  if (!scanning)
    {
      if (memmem (block, len, canary, sizeof canary) != NULL)
        canary_seen = TRUE;
      return;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (secrets); i++)
    if (memmem (block, len, secrets[i].bytes, secrets[i].len) != NULL)
      found = (int) i + 1;
}

#ifndef __SANITIZE_ADDRESS__ /* AddressSanitizer owns free() and realloc() */
void
free (void *ptr)
{
  if (ptr != NULL)
    scan (ptr, malloc_usable_size (ptr));
  __libc_free (ptr);
}

void *
realloc (void *ptr, size_t size)
{
  size_t old;
  void *grown;

  if (ptr == NULL)
    return __libc_malloc (size);
  if (size == 0)
    {
      free (ptr);
      return NULL;
    }
  old = malloc_usable_size (ptr);
  grown = __libc_malloc (size);
  if (grown == NULL)
    return NULL;
  memcpy (grown, ptr, MIN (old, size));
  free (ptr);
  return grown;
}
#endif

/* The card: VERIFY and WRITE KEY answer 9000; INTERNAL AUTHENTICATE
 * answers its 16-byte cryptogram under T=0 in two GET RESPONSE parts. */
static void
respond (const guint8 *c, gsize clen, guint8 *r, gsize *rlen, gpointer data)
{
  guint *fetched = data;

  if (c[1] == 0x88)
    tu_fake_reply (r, rlen, "6108");
  else if (c[1] == 0xC0)
    {
      gboolean last = (*fetched)++ > 0;

      tu_fake_reply_bytes (r, rlen, crypto_bytes + (last ? 8 : 0), 8, last ? 0x9000 : 0x6108);
    }
  else
    tu_fake_reply (r, rlen, "9000");
}

static gboolean
scan_works (void)
{
  guint8 *block = g_malloc (sizeof canary);

  memcpy (block, canary, sizeof canary);
  canary_seen = FALSE;
  g_free (block);
  return canary_seen;
}

static void
test_no_secret_left (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (ClKey) pin = cl_key_new_from_data (pin_bytes, sizeof pin_bytes);
  g_autoptr (ClKey) key = cl_key_new_from_data (key_bytes, sizeof key_bytes);
  g_autoptr (ClKey) result = NULL;
  static const guint8 header[5] = { 0x30, 0xF1, 0xF0, 0x00, 0x00 };
  static const guint8 challenge[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
  guint fetched = 0;

  if (!scan_works ())
    {
      g_test_skip ("free() belongs to a sanitizer or valgrind here; nothing to scan");
      return;
    }
  card = tu_fake_card_new ("3B0A4943C0FFEE0011223344", respond, &fetched, NULL);

  scanning = TRUE;
  g_assert_true (cl_fmcos_verify (card, 0x00, pin, TRUE, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (cl_fmcos_write_key (card, 0x01, 0x02, header, sizeof header, key, NULL, &error));
  g_assert_no_error (error);
  result = cl_fmcos_internal_authenticate (card, 0x01, challenge, 16, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (cl_key_get_data (result), cl_key_get_length (result), crypto_bytes, 16);
  scanning = FALSE;

  g_assert_cmpint (found, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  cl_secure_init ();
  g_test_add_func ("/wipe/no-secret-left-in-freed-memory", test_no_secret_left);
  return g_test_run ();
}
