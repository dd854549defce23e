/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-verify.c: one pass over the chain and the seals.
 *
 * Each row is checked against the stored hash of the row before it, so an
 * altered row breaks one link and the rest of the chain still checks.  At
 * the first broken link the next rows tell what happened: the chain goes
 * on (altered), the next row was written in this place (inserted, or two
 * rows swapped), or the next row follows this one with its old number
 * (removed and renumbered); failing those, a later row that was written
 * here (reordered).  docs/database.md, "What verify proves".
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "db-chain.h"
#include "db-private.h"
#include "db-verify.h"

typedef struct {
  gint64 id;
  gint64 seq;
  GBytes *head;
  GBytes *seal;
  char *sealer;
} Seal;

/* A row kept for classifying the first broken link. */
typedef struct {
  gint64 seq;
  GByteArray *encoded;
  guint8 stored[DB_AUDIT_HASH_LEN];
  gsize stored_len;
  guint8 prev[DB_AUDIT_HASH_LEN]; /* the stored hash of the row before it */
  gsize prev_len;
} Kept;

typedef enum {
  FIRST_NONE, /* no problem yet */
  FIRST_PENDING, /* a broken link at first.seq; the next row decides */
  FIRST_SEARCH, /* looking for the row that was written at first.seq */
  FIRST_DONE,
} FirstState;

typedef struct {
  DbVerifyReport *report;
  const DbSealer *verifier;
  GChecksum *sum;
  guint8 prev[DB_AUDIT_HASH_LEN];
  gsize prev_len;
  gint64 expected;
  FirstState state;
  Kept first;
  GArray *seals;
  guint next_seal;
} Walk;

static void
seal_clear (gpointer data)
{
  Seal *s = data;

  g_bytes_unref (s->head);
  g_bytes_unref (s->seal);
  g_free (s->sealer);
}

static gboolean
links_as (Walk *w, const guint8 *prev, gsize prev_len, gint64 seq, const GByteArray *encoded,
          const guint8 *stored, gsize stored_len)
{
  guint8 hash[DB_AUDIT_HASH_LEN];

  db_chain_link (w->sum, prev, prev_len, seq, encoded->data, encoded->len, hash);
  return stored_len == DB_AUDIT_HASH_LEN && memcmp (hash, stored, DB_AUDIT_HASH_LEN) == 0;
}

static void
set_tamper (Walk *w, DbTamper tamper, gint64 seq, gint64 other)
{
  w->report->tamper = tamper;
  w->report->tamper_seq = seq;
  w->report->tamper_other_seq = other;
  w->state = FIRST_DONE;
}

static void
set_seal_problem (Walk *w, DbSealProblem problem, const Seal *s, gint64 seq)
{
  if (w->report->seal_problem != DB_SEAL_PROBLEM_NONE)
    return;
  w->report->seal_problem = problem;
  w->report->bad_seal_id = s != NULL ? s->id : 0;
  w->report->bad_seal_seq = seq;
}

/* The row after the first broken link, itself linking (ok) or not. */
static void
classify_next (Walk *w, gint64 seq, const GByteArray *encoded, const guint8 *stored,
               gsize stored_len, gboolean ok)
{
  Kept *f = &w->first;

  if (ok)
    set_tamper (w, DB_TAMPER_ALTERED, f->seq, 0);
  else if (links_as (w, f->prev, f->prev_len, f->seq, encoded, stored, stored_len))
    {
      /* This row was written where the first bad one sits. */
      if (links_as (w, stored, stored_len, f->seq + 1, f->encoded, f->stored, f->stored_len))
        set_tamper (w, DB_TAMPER_REORDERED, f->seq, seq);
      else
        set_tamper (w, DB_TAMPER_INSERTED, f->seq, 0);
    }
  else if (links_as (w, f->stored, f->stored_len, seq + 1, encoded, stored, stored_len))
    set_tamper (w, DB_TAMPER_REMOVED, f->seq, 0);
  else
    w->state = FIRST_SEARCH;
}

static void
check_chain (Walk *w, gint64 seq, const GByteArray *encoded, const guint8 *stored, gsize stored_len)
{
  DbVerifyReport *r = w->report;
  gboolean ok;

  if (seq != w->expected)
    {
      r->broken_links++;
      if (w->state == FIRST_PENDING || w->state == FIRST_SEARCH)
        set_tamper (w, DB_TAMPER_ALTERED, w->first.seq, 0);
      else if (w->state == FIRST_NONE && seq < w->expected)
        set_tamper (w, DB_TAMPER_INSERTED, seq, 0);
      else if (w->state == FIRST_NONE)
        set_tamper (w, DB_TAMPER_REMOVED, w->expected, seq - 1);
      return;
    }

  ok = links_as (w, w->prev, w->prev_len, seq, encoded, stored, stored_len);
  if (!ok)
    r->broken_links++;
  switch (w->state)
    {
    case FIRST_NONE:
      if (!ok)
        {
          w->first.seq = seq;
          g_byte_array_set_size (w->first.encoded, 0);
          g_byte_array_append (w->first.encoded, encoded->data, encoded->len);
          w->first.stored_len = MIN (stored_len, sizeof w->first.stored);
          memcpy (w->first.stored, stored, w->first.stored_len);
          memcpy (w->first.prev, w->prev, sizeof w->prev);
          w->first.prev_len = w->prev_len;
          w->state = FIRST_PENDING;
        }
      break;
    case FIRST_PENDING:
      classify_next (w, seq, encoded, stored, stored_len, ok);
      break;
    case FIRST_SEARCH:
      if (!ok
          && links_as (w, w->first.prev, w->first.prev_len, w->first.seq, encoded, stored,
                       stored_len))
        set_tamper (w, DB_TAMPER_REORDERED, w->first.seq, seq);
      break;
    case FIRST_DONE:
    default:
      break;
    }
}

static gboolean
check_mac (Walk *w, const Seal *s, GError **error)
{
  DbVerifyReport *r = w->report;
  guint8 message[DB_SEAL_MESSAGE_LEN];
  g_autoptr (GError) local = NULL;
  DbSealCheck check;

  if (w->verifier == NULL || w->verifier->check == NULL)
    {
      r->seals_unchecked++;
      return TRUE;
    }
  if (g_bytes_get_size (s->seal) != DB_SEAL_LEN)
    {
      set_seal_problem (w, DB_SEAL_PROBLEM_FORGED, s, s->seq);
      return TRUE;
    }
  db_audit_seal_message (g_bytes_get_data (s->head, NULL), s->seq, message);
  check = w->verifier->check (w->verifier, s->sealer, message, g_bytes_get_data (s->seal, NULL),
                              &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (check == DB_SEAL_FORGED)
    set_seal_problem (w, DB_SEAL_PROBLEM_FORGED, s, s->seq);
  else if (check == DB_SEAL_UNCHECKED)
    r->seals_unchecked++;
  else
    {
      r->seals_genuine++;
      if (w->state == FIRST_NONE && r->seal_problem == DB_SEAL_PROBLEM_NONE)
        r->proven_seq = s->seq;
    }
  return TRUE;
}

/* The seal records at or before this row; a "seal" row needs its own. */
static gboolean
check_seals (Walk *w, gint64 seq, gboolean is_seal_row, const guint8 *stored, gsize stored_len,
             GError **error)
{
  const Seal *s;

  while (w->next_seal < w->seals->len && g_array_index (w->seals, Seal, w->next_seal).seq < seq)
    {
      s = &g_array_index (w->seals, Seal, w->next_seal++);
      set_seal_problem (w, DB_SEAL_PROBLEM_STRAY, s, s->seq);
    }
  if (w->next_seal >= w->seals->len || g_array_index (w->seals, Seal, w->next_seal).seq != seq)
    {
      if (is_seal_row)
        set_seal_problem (w, DB_SEAL_PROBLEM_MISSING, NULL, seq);
      return TRUE;
    }
  s = &g_array_index (w->seals, Seal, w->next_seal++);
  w->report->last_seal_seq = seq;
  if (!is_seal_row)
    set_seal_problem (w, DB_SEAL_PROBLEM_STRAY, s, seq);
  else if (stored_len != DB_AUDIT_HASH_LEN || g_bytes_get_size (s->head) != DB_AUDIT_HASH_LEN
           || memcmp (g_bytes_get_data (s->head, NULL), stored, DB_AUDIT_HASH_LEN) != 0)
    set_seal_problem (w, DB_SEAL_PROBLEM_HEAD, s, seq);
  else
    return check_mac (w, s, error);
  return TRUE;
}

static gboolean
load_seals (DbDatabase *db, GArray *seals, GError **error)
{
  g_autoptr (DbStmt) stmt =
      db_stmt (db, "SELECT id, seq, head, seal, sealer FROM audit_seal ORDER BY seq, id", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Seal s = {
        .id = sqlite3_column_int64 (stmt, 0),
        .seq = sqlite3_column_int64 (stmt, 1),
        .head = g_bytes_new (sqlite3_column_blob (stmt, 2), sqlite3_column_bytes (stmt, 2)),
        .seal = g_bytes_new (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3)),
        .sealer = db_column_dup (stmt, 4),
      };

      g_array_append_val (seals, s);
    }
  if (rc != SQLITE_DONE)
    {
      db_set_error (db, error, rc, _ ("Could not read the audit log"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
walk_rows (DbDatabase *db, Walk *w, GError **error)
{
  g_autoptr (DbStmt) stmt =
      db_stmt (db, "SELECT seq, " DB_CHAIN_COLUMNS ", hash FROM audit_log ORDER BY seq", error);
  g_autoptr (GByteArray) encoded = g_byte_array_sized_new (512);
  const char *fields[DB_CHAIN_N_FIELDS];
  gsize lengths[DB_CHAIN_N_FIELDS];
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const guint8 *stored;
      gsize stored_len;

      for (int i = 0; i < DB_CHAIN_N_FIELDS; i++)
        {
          fields[i] = (const char *) sqlite3_column_text (stmt, i + 1);
          lengths[i] = sqlite3_column_bytes (stmt, i + 1);
          if (fields[i] == NULL)
            fields[i] = "";
        }
      stored = sqlite3_column_blob (stmt, DB_CHAIN_N_FIELDS + 1);
      stored_len = sqlite3_column_bytes (stmt, DB_CHAIN_N_FIELDS + 1);
      g_byte_array_set_size (encoded, 0);
      db_chain_encode (encoded, fields, lengths);

      w->report->rows++;
      w->report->last_seq = seq;
      check_chain (w, seq, encoded, stored, stored_len);
      if (!check_seals (w, seq, strcmp (fields[5], "seal") == 0, stored, stored_len, error))
        return FALSE;

      memset (w->prev, 0, sizeof w->prev);
      w->prev_len = MIN (stored_len, sizeof w->prev);
      if (stored != NULL)
        memcpy (w->prev, stored, w->prev_len);
      w->expected = seq + 1;
    }
  if (rc != SQLITE_DONE)
    {
      db_set_error (db, error, rc, _ ("Could not read the audit log"));
      return FALSE;
    }
  return TRUE;
}

static void
finish (Walk *w)
{
  DbVerifyReport *r = w->report;

  if (w->state == FIRST_PENDING || w->state == FIRST_SEARCH)
    set_tamper (w, DB_TAMPER_ALTERED, w->first.seq, 0);
  /* Seals beyond the last row: rows were cut from the end. */
  if (w->next_seal < w->seals->len)
    {
      const Seal *s = &g_array_index (w->seals, Seal, w->seals->len - 1);

      if (r->tamper == DB_TAMPER_NONE)
        set_tamper (w, DB_TAMPER_TRUNCATED, r->last_seq + 1, s->seq);
      r->proven_seq = MIN (r->proven_seq, r->last_seq);
    }
  r->seals = w->seals->len;
  r->unsealed = MAX (0, r->last_seq - r->last_seal_seq);
}

gboolean
db_audit_verify (DbDatabase *db, const DbSealer *verifier, DbVerifyReport *report, GError **error)
{
  const char *what = _ ("Could not read the audit log");
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GArray) seals = g_array_new (FALSE, TRUE, sizeof (Seal));
  g_autoptr (GByteArray) first_encoded = g_byte_array_new ();
  Walk w = { 0 };
  gboolean ok;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (report, 0, sizeof *report);
  g_array_set_clear_func (seals, seal_clear);
  w.report = report;
  w.verifier = verifier;
  w.sum = sum;
  w.expected = 1;
  w.seals = seals;
  w.first.encoded = first_encoded;

  if (!db_tx_begin_read (db, what, error))
    return FALSE;
  ok = db_audit_guards_present (db, &report->guards_missing, error) && load_seals (db, seals, error)
       && walk_rows (db, &w, error);
  if (!ok)
    {
      db_tx_rollback (db);
      return FALSE;
    }
  report->guards_missing = !report->guards_missing;
  finish (&w);
  return db_tx_commit (db, what, error);
}

gboolean
db_verify_report_is_intact (const DbVerifyReport *report)
{
  g_return_val_if_fail (report != NULL, FALSE);
  return report->tamper == DB_TAMPER_NONE && report->seal_problem == DB_SEAL_PROBLEM_NONE;
}

static char *
num (gint64 n)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

char *
db_verify_report_describe_tamper (const DbVerifyReport *report)
{
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_return_val_if_fail (report != NULL, NULL);
  a = num (report->tamper_seq);
  b = num (report->tamper_other_seq);
  switch (report->tamper)
    {
    case DB_TAMPER_ALTERED:
      return g_strdup_printf (_ ("Row %s was altered: it no longer matches its hash (or the row "
                                 "before it was changed together with its hash)."),
                              a);
    case DB_TAMPER_REMOVED:
      if (report->tamper_other_seq == 0)
        return g_strdup_printf (_ ("Row %s was removed and the rows after it renumbered."), a);
      if (report->tamper_other_seq == report->tamper_seq)
        return g_strdup_printf (_ ("Row %s was removed from the log."), a);
      return g_strdup_printf (_ ("Rows %s to %s were removed from the log."), a, b);
    case DB_TAMPER_INSERTED:
      return g_strdup_printf (_ ("Row %s was inserted: insucard never wrote it there."), a);
    case DB_TAMPER_REORDERED:
      return g_strdup_printf (_ ("Rows %s and %s changed places: they are not in the order they "
                                 "were written."),
                              a, b);
    case DB_TAMPER_TRUNCATED:
      return g_strdup_printf (_ ("The rows from %s on were cut off: a seal still covers row %s."),
                              a, b);
    case DB_TAMPER_NONE:
    default:
      return NULL;
    }
}

char *
db_verify_report_describe_seal_problem (const DbVerifyReport *report)
{
  g_autofree char *id = NULL;
  g_autofree char *row = NULL;

  g_return_val_if_fail (report != NULL, NULL);
  id = num (report->bad_seal_id);
  row = num (report->bad_seal_seq);
  switch (report->seal_problem)
    {
    case DB_SEAL_PROBLEM_HEAD:
      return g_strdup_printf (_ ("Seal %s (row %s) does not match the log: the rows up to it were "
                                 "rewritten."),
                              id, row);
    case DB_SEAL_PROBLEM_FORGED:
      return g_strdup_printf (_ ("Seal %s (row %s) is not genuine: the log or the seal was "
                                 "forged."),
                              id, row);
    case DB_SEAL_PROBLEM_MISSING:
      return g_strdup_printf (_ ("The seal record of row %s is missing."), row);
    case DB_SEAL_PROBLEM_STRAY:
      return g_strdup_printf (_ ("Seal %s points at row %s, which is not a seal entry."), id, row);
    case DB_SEAL_PROBLEM_NONE:
    default:
      return NULL;
    }
}

gboolean
db_audit_check_last_seal (DbDatabase *db, const DbSealer *verifier, gboolean *sealed,
                          DbSealCheck *check, GError **error)
{
  const char *what = _ ("Could not read the audit log");
  g_autoptr (DbStmt) stmt = NULL;
  guint8 message[DB_SEAL_MESSAGE_LEN];
  const void *head, *seal, *hash;
  g_autoptr (GError) local = NULL;
  int rc;

  g_return_val_if_fail (db != NULL && verifier != NULL && verifier->check != NULL, FALSE);
  g_return_val_if_fail (sealed != NULL && check != NULL, FALSE);

  *sealed = FALSE;
  *check = DB_SEAL_UNCHECKED;
  stmt = db_stmt (db,
                  "SELECT s.seq, s.head, s.seal, s.sealer, l.hash FROM audit_seal s "
                  "LEFT JOIN audit_log l ON l.seq = s.seq ORDER BY s.seq DESC, s.id DESC LIMIT 1",
                  error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      db_set_error (db, error, rc, what);
      return FALSE;
    }
  *sealed = TRUE;
  head = sqlite3_column_blob (stmt, 1);
  seal = sqlite3_column_blob (stmt, 2);
  hash = sqlite3_column_blob (stmt, 4);
  /* A seal over a head that is not the row's hash seals a rewritten chain. */
  if (sqlite3_column_bytes (stmt, 1) != DB_AUDIT_HASH_LEN
      || sqlite3_column_bytes (stmt, 2) != DB_SEAL_LEN
      || sqlite3_column_bytes (stmt, 4) != DB_AUDIT_HASH_LEN
      || memcmp (head, hash, DB_AUDIT_HASH_LEN) != 0)
    {
      *check = DB_SEAL_FORGED;
      return TRUE;
    }
  db_audit_seal_message (head, sqlite3_column_int64 (stmt, 0), message);
  *check = verifier->check (verifier, (const char *) sqlite3_column_text (stmt, 3), message, seal,
                            &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}
