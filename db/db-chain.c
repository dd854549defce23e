/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-chain.c: canonical encoding of audit rows, chain links, seal messages. */
#include "config.h"

#include <string.h>

#include "db-chain.h"

void
db_chain_encode (GByteArray *out, const char *const fields[DB_CHAIN_N_FIELDS],
                 const gsize lengths[DB_CHAIN_N_FIELDS])
{
  for (int i = 0; i < DB_CHAIN_N_FIELDS; i++)
    {
      guint32 be = GUINT32_TO_BE ((guint32) lengths[i]);

      g_byte_array_append (out, (const guint8 *) &be, 4);
      g_byte_array_append (out, (const guint8 *) fields[i], lengths[i]);
    }
}

static void
put_seq (GChecksum *sum, gint64 seq)
{
  guint64 be = GUINT64_TO_BE ((guint64) seq);

  g_checksum_update (sum, (const guchar *) &be, 8);
}

void
db_chain_link (GChecksum *sum, const guint8 *prev, gsize prev_len, gint64 seq,
               const guint8 *encoded, gsize encoded_len, guint8 hash[DB_AUDIT_HASH_LEN])
{
  guint8 padded[DB_AUDIT_HASH_LEN] = { 0 };
  gsize len = DB_AUDIT_HASH_LEN;

  memcpy (padded, prev, MIN (prev_len, (gsize) DB_AUDIT_HASH_LEN));
  g_checksum_reset (sum);
  g_checksum_update (sum, padded, DB_AUDIT_HASH_LEN);
  put_seq (sum, seq);
  g_checksum_update (sum, encoded, encoded_len);
  g_checksum_get_digest (sum, hash, &len);
}

void
db_audit_seal_message (const guint8 head[DB_AUDIT_HASH_LEN], gint64 seq,
                       guint8 message[DB_SEAL_MESSAGE_LEN])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[DB_AUDIT_HASH_LEN];
  gsize len = sizeof digest;

  g_return_if_fail (head != NULL && message != NULL);

  g_checksum_update (sum, head, DB_AUDIT_HASH_LEN);
  put_seq (sum, seq);
  g_checksum_get_digest (sum, digest, &len);
  memcpy (message, digest, DB_SEAL_MESSAGE_LEN);
}
