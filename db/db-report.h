/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-report.h: what the registry says about issuing, for the auditor's
 * reports: cards issued per day, operator, office or workstation; the
 * cards lost or taken back and what replaced them.
 *
 * A period is [since, until): since inclusive, until exclusive, either NULL
 * for an open end.  Timestamps compare in UTC; a card's issue date (a
 * date, not a time) compares with the dates of since and until in their
 * own time zone, so pass local midnights for local days.
 */
#pragma once

#include <glib.h>

#include "db-registry.h"

G_BEGIN_DECLS

typedef enum {
  DB_ISSUED_BY_DAY, /* key: the issue date, YYYY-MM-DD, oldest first */
  DB_ISSUED_BY_OPERATOR, /* key: the operator card's serial; name: its holder */
  DB_ISSUED_BY_OFFICE, /* key: the office code of that card in the CPU-card
                        * registry ("" when the card is not recorded there) */
  DB_ISSUED_BY_WORKSTATION, /* key: the workstation */
} DbIssuedGroup;

typedef struct {
  char *key;
  char *name; /* BY_OPERATOR: the holder's name as recorded with the cards; else "" */
  gint64 cards;
} DbIssuedCount;

void db_issued_count_free (DbIssuedCount *count);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbIssuedCount, db_issued_count_free)

/* The insurance cards issued in the period (by issue date; every card that
 * was issued, whatever its status now; half-issued ones are not), grouped:
 * a GPtrArray of DbIssuedCount, most cards first (BY_DAY: by date). */
GPtrArray *db_report_issued (DbDatabase *db, GDateTime *since, GDateTime *until,
                             DbIssuedGroup group, GError **error);

/* A card reported lost or taken back, or replaced, in the period. */
typedef struct {
  char *sn;
  char *card_number;
  char *holder_id;
  char *holder_name;
  DbCardStatus status; /* now: lost, withdrawn, or what came after */
  char *status_changed_at;
  char *replaced_by_sn; /* the card that replaced it, or "" */
  char *replaced_by_number;
  char *replaced_at; /* when that issuance completed, or "" */
} DbCardChange;

void db_card_change_free (DbCardChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbCardChange, db_card_change_free)

/* Cards whose status became lost or withdrawn in the period (still so
 * now), and cards replaced in the period (whatever their status now),
 * each once, oldest change first: a GPtrArray of DbCardChange. */
GPtrArray *db_report_lost_replaced (DbDatabase *db, GDateTime *since, GDateTime *until,
                                    GError **error);

G_END_DECLS
