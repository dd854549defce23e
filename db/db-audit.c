/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-audit.c: the action vocabulary, appending rows, sealing the chain. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "db-audit.h"
#include "db-chain.h"
#include "db-private.h"

typedef struct {
  const char *name;
  const char *label; /* N_ */
} ActionInfo;

static const ActionInfo actions[DB_ACTION_N] = {
  [DB_ACTION_LOGIN] = { "login", N_ ("Log in") },
  [DB_ACTION_LOGIN_FAILED] = { "login-failed", N_ ("Failed login") },
  [DB_ACTION_LOGOUT] = { "logout", N_ ("Log out") },
  [DB_ACTION_SEAL] = { "seal", N_ ("Seal the log") },
  [DB_ACTION_MCC_CREATE] = { "mcc-create", N_ ("Make the master control card") },
  [DB_ACTION_KTC_CREATE] = { "ktc-create", N_ ("Make the key transport card") },
  [DB_ACTION_KTC_REBUILD] = { "ktc-rebuild", N_ ("Rebuild a key transport card") },
  [DB_ACTION_CARD_CREATE] = { "card-create", N_ ("Make an administrator or key card") },
  [DB_ACTION_CARD_WASH] = { "card-wash", N_ ("Wash a CPU card") },
  [DB_ACTION_CARD_CHECK] = { "card-check", N_ ("Check a CPU card is genuine") },
  [DB_ACTION_PIN_UNBLOCK] = { "pin-unblock", N_ ("Unblock a PIN") },
  [DB_ACTION_PIN_CHANGE] = { "pin-change", N_ ("Change a PIN") },
  [DB_ACTION_ISSUE] = { "issue", N_ ("Start issuing a card") },
  [DB_ACTION_ISSUE_UNDO] = { "issue-undo", N_ ("Undo an issuance") },
  [DB_ACTION_ISSUE_FINISH] = { "issue-finish", N_ ("Finish issuing a card") },
  [DB_ACTION_READ] = { "read", N_ ("Read a card") },
  [DB_ACTION_REWRITE] = { "rewrite", N_ ("Rewrite a card") },
  [DB_ACTION_CLEAR] = { "clear", N_ ("Clear a card") },
  [DB_ACTION_REPORT_LOST] = { "report-lost", N_ ("Report a card lost") },
  [DB_ACTION_REPLACE] = { "replace", N_ ("Replace a card") },
  [DB_ACTION_CANCEL] = { "cancel", N_ ("Cancel a card") },
  [DB_ACTION_WITHDRAW] = { "withdraw", N_ ("Withdraw a card") },
  [DB_ACTION_BLACKLIST] = { "blacklist", N_ ("Blacklist a card") },
  [DB_ACTION_IMPORT] = { "import", N_ ("Import a batch") },
  [DB_ACTION_EXPORT] = { "export", N_ ("Export data") },
  [DB_ACTION_DB_BACKUP] = { "db-backup", N_ ("Back up the database") },
  [DB_ACTION_VERIFY] = { "verify", N_ ("Verify the log") },
};

static const char *const outcomes[] = { NULL, "ok", "refused", "failed" };

const char *
db_action_to_string (DbAction action)
{
  return action > DB_ACTION_ANY && action < DB_ACTION_N ? actions[action].name : NULL;
}

DbAction
db_action_from_string (const char *text)
{
  for (int i = DB_ACTION_ANY + 1; text != NULL && i < DB_ACTION_N; i++)
    if (strcmp (actions[i].name, text) == 0)
      return i;
  return DB_ACTION_ANY;
}

const char *
db_action_get_label (DbAction action)
{
  g_return_val_if_fail (action > DB_ACTION_ANY && action < DB_ACTION_N, NULL);
  return g_dgettext (GETTEXT_PACKAGE, actions[action].label);
}

const char *
db_outcome_to_string (DbOutcome outcome)
{
  return outcome > DB_OUTCOME_ANY && outcome <= DB_OUTCOME_FAILED ? outcomes[outcome] : NULL;
}

const char *
db_outcome_get_label (DbOutcome outcome)
{
  static const char *const labels[] = { NULL, N_ ("done"), N_ ("refused"), N_ ("failed") };

  g_return_val_if_fail (outcome > DB_OUTCOME_ANY && outcome <= DB_OUTCOME_FAILED, NULL);
  return g_dgettext (GETTEXT_PACKAGE, labels[outcome]);
}

DbOutcome
db_outcome_from_string (const char *text)
{
  for (int i = DB_OUTCOME_OK; text != NULL && i <= DB_OUTCOME_FAILED; i++)
    if (strcmp (outcomes[i], text) == 0)
      return i;
  return DB_OUTCOME_ANY;
}

/* Valid UTF-8, at most DB_AUDIT_DETAIL_MAX characters. */
static char *
clean_detail (const char *detail)
{
  g_autofree char *valid = g_utf8_make_valid (detail != NULL ? detail : "", -1);

  if (g_utf8_strlen (valid, -1) <= DB_AUDIT_DETAIL_MAX)
    return g_steal_pointer (&valid);
  *g_utf8_offset_to_pointer (valid, DB_AUDIT_DETAIL_MAX - 1) = '\0';
  return g_strconcat (valid, "…", NULL);
}

/* Appends inside the caller's transaction; head gets the new row's hash. */
static gboolean
append_in_tx (DbDatabase *db, const DbAuditEntry *entry, gint64 *seq_out,
              guint8 head[DB_AUDIT_HASH_LEN], GError **error)
{
  const char *what = _ ("Could not write the audit log");
  g_autoptr (DbStmt) last =
      db_stmt (db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", error);
  g_autoptr (DbStmt) insert = NULL;
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GByteArray) encoded = g_byte_array_new ();
  g_autofree char *at = entry->at != NULL ? db_time_format (entry->at) : db_time_now ();
  g_autofree char *detail = clean_detail (entry->detail);
  const char *fields[DB_CHAIN_N_FIELDS] = {
    at,
    entry->actor.workstation,
    entry->actor.operator_serial,
    entry->actor.operator_name,
    entry->actor.role,
    db_action_to_string (entry->action),
    entry->card_sn,
    entry->card_number,
    entry->holder_id,
    db_outcome_to_string (entry->outcome),
    entry->error_code,
    detail,
  };
  gsize lengths[DB_CHAIN_N_FIELDS];
  guint8 prev[DB_AUDIT_HASH_LEN] = { 0 };
  gsize prev_len = 0;
  gint64 seq = 1;
  int rc;

  if (last == NULL)
    return FALSE;
  rc = sqlite3_step (last);
  if (rc == SQLITE_ROW)
    {
      seq = sqlite3_column_int64 (last, 0) + 1;
      prev_len = MIN ((gsize) sqlite3_column_bytes (last, 1), sizeof prev);
      if (prev_len > 0)
        memcpy (prev, sqlite3_column_blob (last, 1), prev_len);
    }
  else if (rc != SQLITE_DONE)
    {
      db_set_error (db, error, rc, what);
      return FALSE;
    }
  g_clear_pointer (&last, db_stmt_release);

  for (int i = 0; i < DB_CHAIN_N_FIELDS; i++)
    {
      if (fields[i] == NULL)
        fields[i] = "";
      lengths[i] = strlen (fields[i]);
    }
  db_chain_encode (encoded, fields, lengths);
  db_chain_link (sum, prev, sizeof prev, seq, encoded->data, encoded->len, head);

  insert = db_stmt (db,
                    "INSERT INTO audit_log (seq, " DB_CHAIN_COLUMNS ", hash) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_int64 (insert, 1, seq);
  for (int i = 0; i < DB_CHAIN_N_FIELDS; i++)
    sqlite3_bind_text (insert, i + 2, fields[i], (int) lengths[i], SQLITE_STATIC);
  sqlite3_bind_blob (insert, DB_CHAIN_N_FIELDS + 2, head, DB_AUDIT_HASH_LEN, SQLITE_STATIC);
  if (!db_step_done (db, insert, what, error))
    return FALSE;
  if (seq_out != NULL)
    *seq_out = seq;
  return TRUE;
}

static gboolean
entry_is_valid (const DbAuditEntry *entry)
{
  return db_action_to_string (entry->action) != NULL
         && db_outcome_to_string (entry->outcome) != NULL;
}

gboolean
db_audit_append (DbDatabase *db, const DbAuditEntry *entry, gint64 *seq, GError **error)
{
  const char *what = _ ("Could not write the audit log");
  guint8 head[DB_AUDIT_HASH_LEN];

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (entry != NULL && entry_is_valid (entry), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!db_tx_begin (db, what, error))
    return FALSE;
  if (!append_in_tx (db, entry, seq, head, error))
    {
      db_tx_rollback (db);
      return FALSE;
    }
  return db_tx_commit (db, what, error);
}

static gboolean
seal_in_tx (DbDatabase *db, const DbActor *actor, const DbSealer *sealer, GDateTime *at,
            gint64 *seq_out, GError **error)
{
  DbAuditEntry entry = {
    .actor = *actor,
    .action = DB_ACTION_SEAL,
    .outcome = DB_OUTCOME_OK,
    .detail = sealer->id,
    .at = at,
  };
  g_autoptr (DbStmt) insert = NULL;
  guint8 head[DB_AUDIT_HASH_LEN];
  guint8 message[DB_SEAL_MESSAGE_LEN];
  guint8 seal[DB_SEAL_LEN];
  gint64 seq;

  if (!append_in_tx (db, &entry, &seq, head, error))
    return FALSE;
  db_audit_seal_message (head, seq, message);
  if (!sealer->seal (sealer, message, seal, error))
    return FALSE;
  insert = db_stmt (db,
                    "INSERT INTO audit_seal (seq, head, seal, sealer, at) "
                    "SELECT seq, ?, ?, ?, at FROM audit_log WHERE seq = ?",
                    error);
  if (insert == NULL)
    return FALSE;
  sqlite3_bind_blob (insert, 1, head, sizeof head, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 2, seal, sizeof seal, SQLITE_STATIC);
  db_bind_text (insert, 3, sealer->id);
  sqlite3_bind_int64 (insert, 4, seq);
  if (!db_step_done (db, insert, _ ("Could not seal the audit log"), error))
    return FALSE;
  if (seq_out != NULL)
    *seq_out = seq;
  return TRUE;
}

gboolean
db_audit_seal (DbDatabase *db, const DbActor *actor, const DbSealer *sealer, GDateTime *at,
               gint64 *seq, GError **error)
{
  const char *what = _ ("Could not seal the audit log");

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);
  g_return_val_if_fail (sealer != NULL && sealer->seal != NULL && sealer->id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!db_tx_begin (db, what, error))
    return FALSE;
  if (!seal_in_tx (db, actor, sealer, at, seq, error))
    {
      db_tx_rollback (db);
      return FALSE;
    }
  return db_tx_commit (db, what, error);
}

void
db_audit_state_clear (DbAuditState *state)
{
  g_clear_pointer (&state->last_seal_at, g_free);
  g_clear_pointer (&state->last_seal_sealer, g_free);
  memset (state, 0, sizeof *state);
}

static gboolean
read_state (DbDatabase *db, DbAuditState *state, gboolean count_rows, GError **error)
{
  const char *what = _ ("Could not read the audit log");
  g_autoptr (DbStmt) last = db_stmt (db, "SELECT max(seq) FROM audit_log", error);
  g_autoptr (DbStmt) count = NULL;
  g_autoptr (DbStmt) seal = NULL;
  int rc;

  if (last == NULL || !db_query_int64 (db, last, &state->last_seq, what, error))
    return FALSE;
  if (count_rows)
    {
      count = db_stmt (db, "SELECT count(*) FROM audit_log", error);
      if (count == NULL || !db_query_int64 (db, count, &state->rows, what, error))
        return FALSE;
    }
  seal = db_stmt (db, "SELECT id, seq, at, sealer FROM audit_seal ORDER BY id DESC LIMIT 1", error);
  if (seal == NULL)
    return FALSE;
  rc = sqlite3_step (seal);
  if (rc == SQLITE_ROW)
    {
      state->last_seal_id = sqlite3_column_int64 (seal, 0);
      state->last_seal_seq = sqlite3_column_int64 (seal, 1);
      state->last_seal_at = db_column_dup (seal, 2);
      state->last_seal_sealer = db_column_dup (seal, 3);
    }
  else if (rc != SQLITE_DONE)
    {
      db_set_error (db, error, rc, what);
      return FALSE;
    }
  state->unsealed = MAX (0, state->last_seq - state->last_seal_seq);
  return TRUE;
}

gboolean
db_audit_get_state (DbDatabase *db, DbAuditState *state, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (db != NULL && state != NULL, FALSE);

  memset (state, 0, sizeof *state);
  if (!db_tx_begin_read (db, _ ("Could not read the audit log"), error))
    return FALSE;
  ok = read_state (db, state, TRUE, error);
  if (ok)
    return db_tx_commit (db, _ ("Could not read the audit log"), error);
  db_tx_rollback (db);
  db_audit_state_clear (state);
  return FALSE;
}

gboolean
db_audit_get_head (DbDatabase *db, gint64 *seq, guint8 hash[DB_AUDIT_HASH_LEN], GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (db != NULL && seq != NULL && hash != NULL, FALSE);

  *seq = 0;
  memset (hash, 0, DB_AUDIT_HASH_LEN);
  stmt = db_stmt (db, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      const void *blob = sqlite3_column_blob (stmt, 1);
      int len = sqlite3_column_bytes (stmt, 1);

      *seq = sqlite3_column_int64 (stmt, 0);
      /* A damaged row's hash may be short: what is there, zero-padded. */
      if (blob != NULL)
        memcpy (hash, blob, MIN (len, DB_AUDIT_HASH_LEN));
      return TRUE;
    }
  if (rc == SQLITE_DONE)
    return TRUE;
  db_set_error (db, error, rc, _ ("Could not read the audit log"));
  return FALSE;
}

gboolean
db_audit_seal_due (DbDatabase *db, gboolean *due, GError **error)
{
  DbAuditState state = { 0 };
  gboolean ok;

  g_return_val_if_fail (db != NULL && due != NULL, FALSE);

  ok = read_state (db, &state, FALSE, error);
  *due = ok && state.unsealed >= DB_AUDIT_SEAL_INTERVAL;
  db_audit_state_clear (&state);
  return ok;
}
