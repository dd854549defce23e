/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-issuance.h: the issuance journal, which makes issuing resumable.
 *
 * One row per attempt: started, then completed, undone or failed.  The
 * workflow calls db_issuance_begin() before the first byte goes to the
 * card (synchronous=FULL: the record is on disk when it returns), records
 * each step reached, and ends the attempt.  A failed attempt leaves the
 * card "started": it shows in db_issuance_list_open() until it is resumed
 * (a new attempt) or undone (the card restored to blank).
 */
#pragma once

#include <glib.h>

#include "db-registry.h"

G_BEGIN_DECLS

typedef enum {
  DB_ISSUANCE_STARTED = 1,
  DB_ISSUANCE_COMPLETED,
  DB_ISSUANCE_UNDONE,
  DB_ISSUANCE_FAILED,
} DbIssuanceState;

const char *db_issuance_state_to_string (DbIssuanceState state);
const char *db_issuance_state_get_label (DbIssuanceState state); /* translated, for screens */

typedef struct {
  gint64 id;
  char *sn;
  char *card_number;
  char *holder_id;
  char *replaces_sn; /* the card this one replaces, or "" */
  DbIssuanceState state;
  char *step; /* the last step reached, the workflow's own names */
  char *error_code; /* why it failed, or "" */
  char *operator_serial;
  char *operator_name;
  char *workstation;
  char *started_at;
  char *finished_at; /* "" while started */
} DbIssuance;

void db_issuance_free (DbIssuance *issuance);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DbIssuance, db_issuance_free)

/* Registers card (status started) and a started attempt, in one
 * transaction, after the checks of db_cards_insert_issued(). */
gboolean db_issuance_begin (DbDatabase *db, const DbCard *card, const char *replaces_sn,
                            const DbActor *actor, gint64 *id, GError **error);
gboolean db_issuance_set_step (DbDatabase *db, gint64 id, const char *step, GError **error);
/* The attempt completed and the card is issued. */
gboolean db_issuance_complete (DbDatabase *db, gint64 id, GError **error);
/* The attempt failed at step; the card stays started (a half-issue). */
gboolean db_issuance_fail (DbDatabase *db, gint64 id, const char *step, const char *error_code,
                           GError **error);
/* The card was restored to blank: the attempt is undone and the card's
 * record removed, so that the blank card can be issued again. */
gboolean db_issuance_undo (DbDatabase *db, gint64 id, GError **error);
/* A new attempt on the half-issued card of a failed one. */
gboolean db_issuance_resume (DbDatabase *db, gint64 failed_id, const DbActor *actor, gint64 *id,
                             GError **error);
DbIssuance *db_issuance_get (DbDatabase *db, gint64 id, GError **error);
/* The latest attempt of every card still "started", oldest first;
 * workstation NULL: of every desk. */
GPtrArray *db_issuance_list_open (DbDatabase *db, const char *workstation, GError **error);

G_END_DECLS
