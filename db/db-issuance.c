/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-issuance.c: the journal of issuance attempts. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "db-issuance.h"
#include "db-registry-private.h"

#define COLUMNS                                                                                    \
  "id, sn, card_number, holder_id, replaces_sn, state, step, error_code, operator_serial, "        \
  "operator_name, workstation, started_at, finished_at"

static const char *const states[] = { NULL, "started", "completed", "undone", "failed" };

const char *
db_issuance_state_to_string (DbIssuanceState state)
{
  return state >= DB_ISSUANCE_STARTED && state <= DB_ISSUANCE_FAILED ? states[state] : NULL;
}

const char *
db_issuance_state_get_label (DbIssuanceState state)
{
  static const char *const labels[] = { NULL, N_ ("started"), N_ ("completed"), N_ ("undone"),
                                        N_ ("failed") };

  g_return_val_if_fail (state >= DB_ISSUANCE_STARTED && state <= DB_ISSUANCE_FAILED, NULL);
  return g_dgettext (GETTEXT_PACKAGE, labels[state]);
}

static DbIssuanceState
state_from_string (const char *text)
{
  for (int i = DB_ISSUANCE_STARTED; text != NULL && i <= DB_ISSUANCE_FAILED; i++)
    if (strcmp (states[i], text) == 0)
      return i;
  return 0;
}

void
db_issuance_free (DbIssuance *j)
{
  if (j == NULL)
    return;
  g_free (j->sn);
  g_free (j->card_number);
  g_free (j->holder_id);
  g_free (j->replaces_sn);
  g_free (j->step);
  g_free (j->error_code);
  g_free (j->operator_serial);
  g_free (j->operator_name);
  g_free (j->workstation);
  g_free (j->started_at);
  g_free (j->finished_at);
  g_free (j);
}

static gpointer
from_stmt (DbStmt *stmt)
{
  DbIssuance *j = g_new0 (DbIssuance, 1);
  char **fields[] = { NULL,
                      &j->sn,
                      &j->card_number,
                      &j->holder_id,
                      &j->replaces_sn,
                      NULL,
                      &j->step,
                      &j->error_code,
                      &j->operator_serial,
                      &j->operator_name,
                      &j->workstation,
                      &j->started_at,
                      &j->finished_at };

  j->id = sqlite3_column_int64 (stmt, 0);
  j->state = state_from_string ((const char *) sqlite3_column_text (stmt, 5));
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i] != NULL)
      *fields[i] = db_column_dup (stmt, i);
  return j;
}

DbIssuance *
db_issuance_get (DbDatabase *db, gint64 id, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = db_stmt (db, "SELECT " COLUMNS " FROM issuance_journal WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return from_stmt (stmt);
  if (rc == SQLITE_DONE)
    {
      g_autofree char *n = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_set_error (error, DB_ERROR, DB_ERROR_NOT_FOUND,
                   _ ("The issuance journal has no attempt %s."), n);
    }
  else
    db_set_error (db, error, rc, _ ("Could not read the issuance journal"));
  return NULL;
}

static gboolean
insert_attempt (DbDatabase *db, const char *sn, const char *card_number, const char *holder_id,
                const char *replaces_sn, const DbActor *actor, gint64 *id, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;
  g_autofree char *now = db_time_now ();
  const char *values[] = { sn,
                           card_number,
                           holder_id,
                           replaces_sn,
                           actor->operator_serial,
                           actor->operator_name,
                           actor->workstation,
                           now };

  stmt = db_stmt (db,
                  "INSERT INTO issuance_journal (sn, card_number, holder_id, replaces_sn, state, "
                  "step, error_code, operator_serial, operator_name, workstation, started_at, "
                  "finished_at) VALUES (?, ?, ?, ?, 'started', '', '', ?, ?, ?, ?, '')",
                  error);
  if (stmt == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    db_bind_text (stmt, i + 1, values[i]);
  if (!db_step_done (db, stmt, _ ("Could not record the issuance"), error))
    return FALSE;
  if (id != NULL)
    *id = sqlite3_last_insert_rowid (db->handle);
  return TRUE;
}

gboolean
db_issuance_begin (DbDatabase *db, const DbCard *card, const char *replaces_sn,
                   const DbActor *actor, gint64 *id, GError **error)
{
  const char *what = _ ("Could not record the issuance");

  g_return_val_if_fail (db != NULL && card != NULL && actor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!db_tx_begin (db, what, error))
    return FALSE;
  if (!db_registry_check_new_card (db, card, error)
      || !db_registry_insert_card (db, card, DB_CARD_STARTED, actor, error)
      || !insert_attempt (db, card->sn, card->card_number, card->holder_id, replaces_sn, actor, id,
                          error))
    {
      db_tx_rollback (db);
      return FALSE;
    }
  return db_tx_commit (db, what, error);
}

/* The attempt, which must be in one of the states in the mask. */
static DbIssuance *
get_in_state (DbDatabase *db, gint64 id, guint allowed, GError **error)
{
  g_autoptr (DbIssuance) j = db_issuance_get (db, id, error);

  if (j == NULL)
    return NULL;
  if (!(allowed & (1u << j->state)))
    {
      g_set_error (error, DB_ERROR, DB_ERROR_REFUSED,
                   _ ("The issuance of card %s is already %s; it cannot change now."),
                   j->card_number, db_issuance_state_to_string (j->state));
      return NULL;
    }
  return g_steal_pointer (&j);
}

static gboolean
finish_attempt (DbDatabase *db, gint64 id, DbIssuanceState state, const char *step,
                const char *error_code, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;
  g_autofree char *now = db_time_now ();

  stmt = db_stmt (db,
                  "UPDATE issuance_journal SET state = ?, step = coalesce(?, step), "
                  "error_code = ?, finished_at = ? WHERE id = ?",
                  error);
  if (stmt == NULL)
    return FALSE;
  db_bind_text (stmt, 1, db_issuance_state_to_string (state));
  if (step != NULL)
    db_bind_text (stmt, 2, step);
  db_bind_text (stmt, 3, error_code);
  db_bind_text (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, id);
  return db_step_done (db, stmt, _ ("Could not record the issuance"), error);
}

/* Runs sql on the card row; its parameters are the time (when stamped)
 * and the SN. */
static gboolean
card_statement (DbDatabase *db, const char *sql, gboolean stamped, const char *sn, GError **error)
{
  g_autoptr (DbStmt) stmt = db_stmt (db, sql, error);
  g_autofree char *now = db_time_now ();
  int i = 1;

  if (stmt == NULL)
    return FALSE;
  if (stamped)
    db_bind_text (stmt, i++, now);
  db_bind_text (stmt, i, sn);
  return db_step_done (db, stmt, _ ("Could not record the issuance"), error);
}

typedef enum {
  END_COMPLETE,
  END_FAIL,
  END_UNDO,
} End;

static gboolean
end_in_tx (DbDatabase *db, gint64 id, End end, const char *step, const char *error_code,
           GError **error)
{
  guint started = 1u << DB_ISSUANCE_STARTED;
  guint allowed = end == END_UNDO ? started | (1u << DB_ISSUANCE_FAILED) : started;
  g_autoptr (DbIssuance) j = get_in_state (db, id, allowed, error);

  if (j == NULL)
    return FALSE;
  switch (end)
    {
    case END_COMPLETE:
      return finish_attempt (db, id, DB_ISSUANCE_COMPLETED, NULL, "", error)
             && card_statement (db,
                                "UPDATE insurance_card SET status = 'issued', "
                                "status_changed_at = ? WHERE sn = ? AND status = 'started'",
                                TRUE, j->sn, error);
    case END_FAIL:
      return finish_attempt (db, id, DB_ISSUANCE_FAILED, step, error_code, error);
    case END_UNDO:
    default:
      return finish_attempt (db, id, DB_ISSUANCE_UNDONE, NULL, j->error_code, error)
             && card_statement (db,
                                "DELETE FROM insurance_card WHERE status = 'started' AND sn = ?",
                                FALSE, j->sn, error);
    }
}

static gboolean
end_attempt (DbDatabase *db, gint64 id, End end, const char *step, const char *error_code,
             GError **error)
{
  const char *what = _ ("Could not record the issuance");

  if (!db_tx_begin (db, what, error))
    return FALSE;
  if (!end_in_tx (db, id, end, step, error_code, error))
    {
      db_tx_rollback (db);
      return FALSE;
    }
  return db_tx_commit (db, what, error);
}

gboolean
db_issuance_complete (DbDatabase *db, gint64 id, GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  return end_attempt (db, id, END_COMPLETE, NULL, NULL, error);
}

gboolean
db_issuance_fail (DbDatabase *db, gint64 id, const char *step, const char *error_code,
                  GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  return end_attempt (db, id, END_FAIL, step != NULL ? step : "", error_code, error);
}

gboolean
db_issuance_undo (DbDatabase *db, gint64 id, GError **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  return end_attempt (db, id, END_UNDO, NULL, NULL, error);
}

gboolean
db_issuance_set_step (DbDatabase *db, gint64 id, const char *step, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && step != NULL, FALSE);

  if (!db_check_writable (db, error))
    return FALSE;
  stmt = db_stmt (db, "UPDATE issuance_journal SET step = ? WHERE id = ? AND state = 'started'",
                  error);
  if (stmt == NULL)
    return FALSE;
  db_bind_text (stmt, 1, step);
  sqlite3_bind_int64 (stmt, 2, id);
  if (!db_step_done (db, stmt, _ ("Could not record the issuance"), error))
    return FALSE;
  if (sqlite3_changes (db->handle) == 0)
    {
      g_autoptr (DbIssuance) j = get_in_state (db, id, 1u << DB_ISSUANCE_STARTED, error);

      return j != NULL; /* not reached: get_in_state reports why */
    }
  return TRUE;
}

static gboolean
resume_in_tx (DbDatabase *db, gint64 failed_id, const DbActor *actor, gint64 *id, GError **error)
{
  g_autoptr (DbIssuance) j = get_in_state (db, failed_id, 1u << DB_ISSUANCE_FAILED, error);
  g_autoptr (DbCard) card = NULL;

  if (j == NULL)
    return FALSE;
  card = db_cards_get_by_sn (db, j->sn, error);
  if (card == NULL)
    return FALSE;
  if (card->status != DB_CARD_STARTED)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_REFUSED,
                   _ ("Card %s is %s: there is no half-issued card to resume."), card->card_number,
                   db_card_status_to_string (card->status));
      return FALSE;
    }
  return insert_attempt (db, j->sn, j->card_number, j->holder_id, j->replaces_sn, actor, id, error);
}

gboolean
db_issuance_resume (DbDatabase *db, gint64 failed_id, const DbActor *actor, gint64 *id,
                    GError **error)
{
  const char *what = _ ("Could not record the issuance");

  g_return_val_if_fail (db != NULL && actor != NULL, FALSE);

  if (!db_tx_begin (db, what, error))
    return FALSE;
  if (!resume_in_tx (db, failed_id, actor, id, error))
    {
      db_tx_rollback (db);
      return FALSE;
    }
  return db_tx_commit (db, what, error);
}

GPtrArray *
db_issuance_list_open (DbDatabase *db, const char *workstation, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = db_stmt (db,
                  "SELECT " COLUMNS " FROM issuance_journal AS j WHERE j.id = "
                  "(SELECT max(id) FROM issuance_journal AS k WHERE k.sn = j.sn) "
                  "AND j.sn IN (SELECT sn FROM insurance_card WHERE status = 'started') "
                  "AND (? = '' OR j.workstation = ?) ORDER BY j.id",
                  error);
  if (stmt == NULL)
    return NULL;
  db_bind_text (stmt, 1, workstation);
  db_bind_text (stmt, 2, workstation);
  return db_collect (db, stmt, from_stmt, (GDestroyNotify) db_issuance_free,
                     _ ("Could not read the issuance journal"), error);
}
