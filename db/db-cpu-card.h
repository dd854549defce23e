/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-cpu-card.h: the registry of the desk's CPU cards (MCC, KTC,
 * administrator and key cards): who holds them, what they may do, and the
 * check values of the keys they carry.  Never a key, PIN, code or PSC:
 * a KCV is 6 hex digits, and anything else is refused. */
#pragma once

#include <glib.h>

#include "db-actor.h"
#include "db-database.h"

G_BEGIN_DECLS

typedef enum {
  DB_CPU_MCC = 1, /* master control card */
  DB_CPU_KTC, /* key transport card */
  DB_CPU_AC, /* administrator card */
  DB_CPU_KC, /* key card (terminal) */
} DbCpuKind;

typedef enum {
  DB_CPU_ACTIVE = 1,
  DB_CPU_LOST,
  DB_CPU_WASHED, /* back to blank; may be made again */
  DB_CPU_REVOKED,
} DbCpuStatus;

const char *db_cpu_kind_to_string (DbCpuKind kind); /* "mcc", "ktc", "ac", "kc" */
const char *db_cpu_status_to_string (DbCpuStatus status);

typedef struct {
  char *serial; /* the card's 8-byte serial, 16 hex digits */
  DbCpuKind kind;
  char *role; /* AC/KC: "system-admin", "issuing-admin", "auditor" */
  char *holder_name;
  char *staff_number;
  char *office_code;
  char *workstation; /* KC: the workstation it is bound to */
  gint64 quota; /* KC: cards it may issue; -1: no limit */
  gint64 issued_count;
  char *kcv_mk; /* MCC */
  char *kcv_pkey; /* KTC, AC, KC */
  char *kcv_dkey;
  char *kcv_akey; /* AC, KC: the audit seal key */
  DbCpuStatus status;
  char *valid_from; /* YYYY-MM-DD or "" */
  char *valid_until;
  char *made_by_serial; /* set from the actor */
  char *made_by_name;
  char *made_at;
  char *status_changed_at;
} DbCpuCard;

DbCpuCard *db_cpu_card_new (void);
void db_cpu_card_free (DbCpuCard *card);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbCpuCard, db_cpu_card_free)

/* Records a card just made (status active).  A serial already recorded
 * is refused, unless that card was washed: then its record is replaced. */
gboolean db_cpu_cards_add (DbDatabase *db, const DbCpuCard *card, const DbActor *actor,
                           GError **error);
DbCpuCard *db_cpu_cards_get (DbDatabase *db, const char *serial, GError **error);
GPtrArray *db_cpu_cards_list (DbDatabase *db, GError **error);
gboolean db_cpu_cards_set_status (DbDatabase *db, const char *serial, DbCpuStatus status,
                                  GError **error);
/* Counts one issued card against a key card's quota; refused when the
 * quota is used up.  left gets what remains (-1: no limit). */
gboolean db_cpu_cards_take_quota (DbDatabase *db, const char *serial, gint64 *left, GError **error);

G_END_DECLS
