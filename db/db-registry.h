/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-registry.h: cardholders, insurance cards and the blacklist.
 *
 * Strings in these structs are owned (g_free); the database fills the
 * timestamps.  Issuing a card goes through the journal (db-issuance.h);
 * db_cards_insert_issued() records a card issued elsewhere (imports of an
 * older registry, demo data).  Never a key, PIN or PSC here.
 */
#pragma once

#include <glib.h>

#include "db-actor.h"
#include "db-database.h"

G_BEGIN_DECLS

typedef struct {
  char *id_number; /* GB 11643, 18 characters, the key */
  char *name;
  char *sex; /* GB/T 2261.1: "0" unknown, "1" male, "2" female, "9" unstated */
  char *ethnicity; /* GB/T 3304 code, "01" Han */
  char *birth_date; /* YYYY-MM-DD */
  char *insurance_category;
  char *employer_code;
  char *employer_name;
  char *region_code; /* 6 digits, GB/T 2260 */
  char *phone;
  char *address;
  char *personal_number; /* the social-insurance personal number, on the card too */
  char *created_at; /* set by the database */
  char *updated_at;
} DbHolder;

DbHolder *db_holder_new (void);
void db_holder_free (DbHolder *holder);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbHolder, db_holder_free)

/* GB 11643-1999: 17 digits, a valid birth date, the ISO 7064 check digit. */
gboolean db_id_number_is_valid (const char *id_number);

/* Inserts or updates the holder with that ID number. */
gboolean db_holders_save (DbDatabase *db, const DbHolder *holder, GError **error);
DbHolder *db_holders_get (DbDatabase *db, const char *id_number, GError **error);

typedef enum {
  DB_CARD_STARTED = 1, /* an issuance began; the card may be half-written */
  DB_CARD_ISSUED,
  DB_CARD_LOST, /* reported lost */
  DB_CARD_WITHDRAWN, /* taken back from the holder */
  DB_CARD_CANCELLED, /* stops working for good */
  DB_CARD_CLEARED, /* wiped */
} DbCardStatus;

const char *db_card_status_to_string (DbCardStatus status);
const char *db_card_status_get_label (DbCardStatus status); /* translated, for screens */
DbCardStatus db_card_status_from_string (const char *text); /* 0 if unknown */

typedef struct {
  char *sn; /* the SLE4428's 8-byte serial, 16 hex digits */
  char *card_number; /* 10 digits */
  char *holder_id;
  char *region_code;
  char *card_type;
  DbCardStatus status;
  char *issue_date; /* YYYY-MM-DD */
  char *valid_until;
  gint64 rewrite_count;
  char *issued_by_serial; /* set from the actor */
  char *issued_by_name;
  char *workstation;
  char *created_at;
  char *status_changed_at;
} DbCard;

DbCard *db_card_new (void);
void db_card_free (DbCard *card);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbCard, db_card_free)

/* A card already issued (status issued): refuses a known SN or card
 * number (DB_ERROR_EXISTS), a blacklisted SN (DB_ERROR_REFUSED). */
gboolean db_cards_insert_issued (DbDatabase *db, const DbCard *card, const DbActor *actor,
                                 GError **error);
DbCard *db_cards_get_by_sn (DbDatabase *db, const char *sn, GError **error);
DbCard *db_cards_get_by_number (DbDatabase *db, const char *card_number, GError **error);
GPtrArray *db_cards_list_for_holder (DbDatabase *db, const char *id_number, GError **error);
/* Any record of the SN, whatever its status: recycled cards are refused. */
gboolean db_cards_sn_known (DbDatabase *db, const char *sn, gboolean *known, GError **error);
/* A new card number, 10 digits, never given before at this desk (a
 * counter in the database, committed at once: a failed issuance leaves a
 * gap, never a number given twice). */
#define DB_CARD_NUMBER_MAX G_GINT64_CONSTANT (9999999999)
gboolean db_cards_allocate_number (DbDatabase *db, char **card_number, GError **error);
/* Follows the allowed transitions (docs/database.md); others are refused. */
gboolean db_cards_set_status (DbDatabase *db, const char *sn, DbCardStatus status, GError **error);
gboolean db_cards_count_rewrite (DbDatabase *db, const char *sn, GError **error);

gboolean db_blacklist_add (DbDatabase *db, const char *sn, const char *reason, const DbActor *actor,
                           GError **error);
gboolean db_blacklist_contains (DbDatabase *db, const char *sn, gboolean *listed, GError **error);

G_END_DECLS
