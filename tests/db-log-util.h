/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-log-util.h: a sealed demo log for the audit and verify tests, and
 * the chain hash written again from docs/database.md alone (GLib's
 * SHA-256, none of db/'s code), as someone re-implementing verify would. */
#pragma once

#include <string.h>

#include "cli-sealer.h"
#include "db-test-util.h"

/* What someone with the sqlite3 shell does first. */
#define DBT_DROP_GUARDS                                                                            \
  "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; "                           \
  "DROP TRIGGER audit_seal_no_update; DROP TRIGGER audit_seal_no_delete;"

static inline void
dbt_seal (DbDatabase *db)
{
  g_autoptr (GError) error = NULL;
  DbActor actor = dbt_actor ();

  g_assert_true (db_audit_seal (db, &actor, cli_soft_sealer (), NULL, NULL, &error));
  g_assert_no_error (error);
}

/* 30 rows "row-NN" with a seal after every 9 (rows 10, 20, 30 are seals),
 * then 5 unsealed rows: 35 rows in all. */
static inline void
dbt_make_log (DbDatabase *db)
{
  int n = 0;

  for (int block = 0; block < 3; block++)
    {
      for (int i = 0; i < 9; i++)
        {
          g_autofree char *detail = g_strdup_printf ("row-%02d", ++n);

          dbt_append (db, DB_ACTION_READ, "8000000000000001", detail);
        }
      dbt_seal (db);
      n++;
    }
  for (int i = 0; i < 5; i++)
    {
      g_autofree char *detail = g_strdup_printf ("row-%02d", ++n);

      dbt_append (db, DB_ACTION_READ, "8000000000000001", detail);
    }
}

static inline void
dbt_be (guint64 value, guint8 *out, int bytes)
{
  for (int i = 0; i < bytes; i++)
    out[i] = value >> (8 * (bytes - 1 - i));
}

/* H(n) = SHA-256(H(n-1) || seq as 8 bytes || for each of the 12 texts in
 * the documented order: its length as 4 bytes, its bytes). */
static inline void
dbt_doc_hash (const guint8 prev[32], guint64 seq, const char *const texts[12],
              const gsize lengths[12], guint8 hash[32])
{
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 be8[8];
  gsize len = 32;

  dbt_be (seq, be8, 8);
  g_checksum_update (sum, prev, 32);
  g_checksum_update (sum, be8, 8);
  for (int f = 0; f < 12; f++)
    {
      guint8 be4[4];

      dbt_be (lengths[f], be4, 4);
      g_checksum_update (sum, be4, 4);
      g_checksum_update (sum, (const guchar *) texts[f], lengths[f]);
    }
  g_checksum_get_digest (sum, hash, &len);
}
