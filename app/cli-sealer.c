/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-sealer.c: the audit seal with a public test key (docs/database.md,
 * "The seal"): Akey_test = DIV(Dkey_test, "AUDITLOG") with
 * Dkey_test = the 16 ASCII bytes "INSUCARD-TESTKEY". */
#include "config.h"

#include <string.h>
#include <openssl/crypto.h>

#include "cl-crypto.h"
#include "cli-sealer.h"

static ClKey *
test_akey (GError **error)
{
  static const guint8 dkey[16] = { 'I', 'N', 'S', 'U', 'C', 'A', 'R', 'D',
                                   '-', 'T', 'E', 'S', 'T', 'K', 'E', 'Y' };
  static const guint8 factor[8] = { 'A', 'U', 'D', 'I', 'T', 'L', 'O', 'G' };
  g_autoptr (ClKey) d = cl_key_new_from_data (dkey, sizeof dkey);

  return cl_diversify (d, factor, error);
}

static gboolean
compute (const guint8 message[DB_SEAL_MESSAGE_LEN], guint8 seal[DB_SEAL_LEN], GError **error)
{
  g_autoptr (ClKey) akey = test_akey (error);
  guint8 inverted[DB_SEAL_MESSAGE_LEN];

  if (akey == NULL)
    return FALSE;
  for (int i = 0; i < DB_SEAL_MESSAGE_LEN; i++)
    inverted[i] = ~message[i];
  return cl_des_ecb_encrypt (akey, message, DB_SEAL_MESSAGE_LEN, seal, error)
         && cl_des_ecb_encrypt (akey, inverted, DB_SEAL_MESSAGE_LEN, seal + DB_SEAL_MESSAGE_LEN,
                                error);
}

static gboolean
soft_seal (const DbSealer *sealer, const guint8 message[DB_SEAL_MESSAGE_LEN],
           guint8 seal[DB_SEAL_LEN], GError **error)
{
  return compute (message, seal, error);
}

static DbSealCheck
soft_check (const DbSealer *sealer, const char *sealer_id,
            const guint8 message[DB_SEAL_MESSAGE_LEN], const guint8 seal[DB_SEAL_LEN],
            GError **error)
{
  guint8 expected[DB_SEAL_LEN];

  if (g_strcmp0 (sealer_id, CLI_SOFT_SEALER_ID) != 0)
    return DB_SEAL_UNCHECKED;
  if (!compute (message, expected, error))
    return DB_SEAL_UNCHECKED;
  return CRYPTO_memcmp (expected, seal, DB_SEAL_LEN) == 0 ? DB_SEAL_GENUINE : DB_SEAL_FORGED;
}

const DbSealer *
cli_soft_sealer (void)
{
  static const DbSealer sealer = {
    .id = CLI_SOFT_SEALER_ID,
    .seal = soft_seal,
    .check = soft_check,
  };

  return &sealer;
}
