/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-cpu-card.c: the CPU-card registry. */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "db-cpu-card.h"
#include "db-private.h"

#define COLUMNS                                                                                    \
  "serial, kind, role, holder_name, staff_number, office_code, workstation, quota, "               \
  "issued_count, kcv_mk, kcv_pkey, kcv_dkey, kcv_akey, status, valid_from, valid_until, "          \
  "made_by_serial, made_by_name, made_at, status_changed_at"

static const char *const kinds[] = { NULL, "mcc", "ktc", "ac", "kc" };
static const char *const statuses[] = { NULL, "active", "lost", "washed", "revoked" };

const char *
db_cpu_kind_to_string (DbCpuKind kind)
{
  return kind >= DB_CPU_MCC && kind <= DB_CPU_KC ? kinds[kind] : NULL;
}

const char *
db_cpu_status_to_string (DbCpuStatus status)
{
  return status >= DB_CPU_ACTIVE && status <= DB_CPU_REVOKED ? statuses[status] : NULL;
}

static int
index_of (const char *const *names, int n, const char *text)
{
  for (int i = 1; text != NULL && i < n; i++)
    if (strcmp (names[i], text) == 0)
      return i;
  return 0;
}

DbCpuCard *
db_cpu_card_new (void)
{
  DbCpuCard *card = g_new0 (DbCpuCard, 1);

  card->quota = -1;
  return card;
}

void
db_cpu_card_free (DbCpuCard *c)
{
  if (c == NULL)
    return;
  g_free (c->serial);
  g_free (c->role);
  g_free (c->holder_name);
  g_free (c->staff_number);
  g_free (c->office_code);
  g_free (c->workstation);
  g_free (c->kcv_mk);
  g_free (c->kcv_pkey);
  g_free (c->kcv_dkey);
  g_free (c->kcv_akey);
  g_free (c->valid_from);
  g_free (c->valid_until);
  g_free (c->made_by_serial);
  g_free (c->made_by_name);
  g_free (c->made_at);
  g_free (c->status_changed_at);
  g_free (c);
}

/* A KCV is 3 bytes: 6 hex digits.  Anything longer might be a key. */
static gboolean
kcv_is_valid (const char *kcv)
{
  if (kcv == NULL || *kcv == '\0')
    return TRUE;
  if (strlen (kcv) != 6)
    return FALSE;
  for (int i = 0; i < 6; i++)
    if (!g_ascii_isxdigit (kcv[i]))
      return FALSE;
  return TRUE;
}

static gboolean
check_card (const DbCpuCard *c, GError **error)
{
  if (c->serial == NULL || *c->serial == '\0' || db_cpu_kind_to_string (c->kind) == NULL)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_INVALID,
                   _ ("The CPU card's serial or kind is missing."));
      return FALSE;
    }
  if (!kcv_is_valid (c->kcv_mk) || !kcv_is_valid (c->kcv_pkey) || !kcv_is_valid (c->kcv_dkey)
      || !kcv_is_valid (c->kcv_akey))
    {
      g_set_error (error, DB_ERROR, DB_ERROR_INVALID,
                   _ ("A key check value must be 6 hex digits; nothing else about a key is "
                      "recorded."));
      return FALSE;
    }
  return TRUE;
}

static gpointer
from_stmt (DbStmt *stmt)
{
  DbCpuCard *c = db_cpu_card_new ();
  char **fields[] = { &c->serial,
                      NULL,
                      &c->role,
                      &c->holder_name,
                      &c->staff_number,
                      &c->office_code,
                      &c->workstation,
                      NULL,
                      NULL,
                      &c->kcv_mk,
                      &c->kcv_pkey,
                      &c->kcv_dkey,
                      &c->kcv_akey,
                      NULL,
                      &c->valid_from,
                      &c->valid_until,
                      &c->made_by_serial,
                      &c->made_by_name,
                      &c->made_at,
                      &c->status_changed_at };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i] != NULL)
      *fields[i] = db_column_dup (stmt, i);
  c->kind = index_of (kinds, G_N_ELEMENTS (kinds), (const char *) sqlite3_column_text (stmt, 1));
  c->quota = sqlite3_column_type (stmt, 7) == SQLITE_NULL ? -1 : sqlite3_column_int64 (stmt, 7);
  c->issued_count = sqlite3_column_int64 (stmt, 8);
  c->status =
      index_of (statuses, G_N_ELEMENTS (statuses), (const char *) sqlite3_column_text (stmt, 13));
  return c;
}

DbCpuCard *
db_cpu_cards_get (DbDatabase *db, const char *serial, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (db != NULL && serial != NULL, NULL);

  stmt = db_stmt (db, "SELECT " COLUMNS " FROM cpu_card WHERE serial = ?", error);
  if (stmt == NULL)
    return NULL;
  db_bind_text (stmt, 1, serial);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return from_stmt (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, DB_ERROR, DB_ERROR_NOT_FOUND,
                 _ ("No CPU card with serial %s is registered."), serial);
  else
    db_set_error (db, error, rc, _ ("Could not read the CPU card registry"));
  return NULL;
}

GPtrArray *
db_cpu_cards_list (DbDatabase *db, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;

  g_return_val_if_fail (db != NULL, NULL);

  stmt = db_stmt (db, "SELECT " COLUMNS " FROM cpu_card ORDER BY made_at, serial", error);
  if (stmt == NULL)
    return NULL;
  return db_collect (db, stmt, from_stmt, (GDestroyNotify) db_cpu_card_free,
                     _ ("Could not read the CPU card registry"), error);
}

static gboolean
add_in_tx (DbDatabase *db, const DbCpuCard *c, const DbActor *actor, GError **error)
{
  g_autoptr (DbCpuCard) old = db_cpu_cards_get (db, c->serial, NULL);
  g_autoptr (DbStmt) stmt = NULL;
  g_autofree char *now = db_time_now ();
  const char *texts[] = { c->serial,
                          db_cpu_kind_to_string (c->kind),
                          c->role,
                          c->holder_name,
                          c->staff_number,
                          c->office_code,
                          c->workstation,
                          c->kcv_mk,
                          c->kcv_pkey,
                          c->kcv_dkey,
                          c->kcv_akey,
                          c->valid_from,
                          c->valid_until,
                          actor->operator_serial,
                          actor->operator_name,
                          now,
                          now };

  if (old != NULL && old->status != DB_CPU_WASHED)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_EXISTS,
                   _ ("The CPU card %s is already registered (%s). Wash it before making it "
                      "again."),
                   c->serial, db_cpu_status_to_string (old->status));
      return FALSE;
    }
  stmt = db_stmt (db,
                  "INSERT INTO cpu_card (serial, kind, role, holder_name, staff_number, "
                  "office_code, workstation, kcv_mk, kcv_pkey, kcv_dkey, kcv_akey, valid_from, "
                  "valid_until, made_by_serial, made_by_name, made_at, status_changed_at, "
                  "quota, issued_count, status) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'active') "
                  "ON CONFLICT (serial) DO UPDATE SET kind = excluded.kind, role = excluded.role, "
                  "holder_name = excluded.holder_name, staff_number = excluded.staff_number, "
                  "office_code = excluded.office_code, workstation = excluded.workstation, "
                  "kcv_mk = excluded.kcv_mk, kcv_pkey = excluded.kcv_pkey, "
                  "kcv_dkey = excluded.kcv_dkey, kcv_akey = excluded.kcv_akey, "
                  "valid_from = excluded.valid_from, valid_until = excluded.valid_until, "
                  "made_by_serial = excluded.made_by_serial, "
                  "made_by_name = excluded.made_by_name, made_at = excluded.made_at, "
                  "status_changed_at = excluded.status_changed_at, quota = excluded.quota, "
                  "issued_count = 0, status = 'active'",
                  error);
  if (stmt == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (texts); i++)
    db_bind_text (stmt, i + 1, texts[i]);
  if (c->quota >= 0)
    sqlite3_bind_int64 (stmt, G_N_ELEMENTS (texts) + 1, c->quota);
  return db_step_done (db, stmt, _ ("Could not record the CPU card"), error);
}

gboolean
db_cpu_cards_add (DbDatabase *db, const DbCpuCard *card, const DbActor *actor, GError **error)
{
  const char *what = _ ("Could not record the CPU card");

  g_return_val_if_fail (db != NULL && card != NULL && actor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_card (card, error) || !db_tx_begin (db, what, error))
    return FALSE;
  if (!add_in_tx (db, card, actor, error))
    {
      db_tx_rollback (db);
      return FALSE;
    }
  return db_tx_commit (db, what, error);
}

gboolean
db_cpu_cards_set_status (DbDatabase *db, const char *serial, DbCpuStatus status, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;
  g_autofree char *now = db_time_now ();

  g_return_val_if_fail (db != NULL && serial != NULL, FALSE);
  g_return_val_if_fail (db_cpu_status_to_string (status) != NULL, FALSE);

  if (!db_check_writable (db, error))
    return FALSE;
  stmt =
      db_stmt (db, "UPDATE cpu_card SET status = ?, status_changed_at = ? WHERE serial = ?", error);
  if (stmt == NULL)
    return FALSE;
  db_bind_text (stmt, 1, db_cpu_status_to_string (status));
  db_bind_text (stmt, 2, now);
  db_bind_text (stmt, 3, serial);
  if (!db_step_done (db, stmt, _ ("Could not change the CPU card's status"), error))
    return FALSE;
  if (sqlite3_changes (db->handle) == 0)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_NOT_FOUND,
                   _ ("No CPU card with serial %s is registered."), serial);
      return FALSE;
    }
  return TRUE;
}

static gboolean
take_in_tx (DbDatabase *db, const char *serial, gint64 *left, GError **error)
{
  g_autoptr (DbCpuCard) card = db_cpu_cards_get (db, serial, error);
  g_autoptr (DbStmt) stmt = NULL;

  if (card == NULL)
    return FALSE;
  if (card->status != DB_CPU_ACTIVE)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_REFUSED,
                   _ ("The operator card %s is %s and may not issue cards."), serial,
                   db_cpu_status_to_string (card->status));
      return FALSE;
    }
  if (card->quota >= 0 && card->issued_count >= card->quota)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_REFUSED,
                   _ ("The key card %s has used its whole quota of %d cards. Ask the system "
                      "administrator for a new key card."),
                   serial, (int) card->quota);
      return FALSE;
    }
  stmt =
      db_stmt (db, "UPDATE cpu_card SET issued_count = issued_count + 1 WHERE serial = ?", error);
  if (stmt == NULL)
    return FALSE;
  db_bind_text (stmt, 1, serial);
  if (!db_step_done (db, stmt, _ ("Could not count the issued card"), error))
    return FALSE;
  if (left != NULL)
    *left = card->quota >= 0 ? card->quota - card->issued_count - 1 : -1;
  return TRUE;
}

gboolean
db_cpu_cards_take_quota (DbDatabase *db, const char *serial, gint64 *left, GError **error)
{
  const char *what = _ ("Could not count the issued card");

  g_return_val_if_fail (db != NULL && serial != NULL, FALSE);

  if (!db_tx_begin (db, what, error))
    return FALSE;
  if (!take_in_tx (db, serial, left, error))
    {
      db_tx_rollback (db);
      return FALSE;
    }
  return db_tx_commit (db, what, error);
}
