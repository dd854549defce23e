/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-chain.h: the canonical encoding of an audit row and the hash chain
 * (docs/database.md, "The hash chain"), shared by append and verify. */
#pragma once

#include <glib.h>

#include "db-audit.h"

G_BEGIN_DECLS

/* The text columns in canonical order, as SQL.  Every query of audit rows
 * selects them in this order, so column i is field i. */
#define DB_CHAIN_COLUMNS                                                                           \
  "at, workstation, operator_serial, operator_name, role, action, card_sn, card_number, "          \
  "holder_id, outcome, error_code, detail"
#define DB_CHAIN_N_FIELDS 12

/* Appends 4-byte big-endian length + bytes of each field. */
void db_chain_encode (GByteArray *out, const char *const fields[DB_CHAIN_N_FIELDS],
                      const gsize lengths[DB_CHAIN_N_FIELDS]);

/* hash = SHA-256(prev || seq as 8 bytes big-endian || encoded); sum is a
 * SHA-256 GChecksum reused across calls.  prev shorter than 32 bytes (a
 * damaged row) is padded with zeros. */
void db_chain_link (GChecksum *sum, const guint8 *prev, gsize prev_len, gint64 seq,
                    const guint8 *encoded, gsize encoded_len, guint8 hash[DB_AUDIT_HASH_LEN]);

G_END_DECLS
