/* SPDX-License-Identifier: GPL-3.0-or-later */
/* db-registry.c: cardholders, insurance cards, the blacklist. */
#include "config.h"

#include <stdarg.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "db-registry-private.h"

#define HOLDER_COLUMNS                                                                             \
  "id_number, name, sex, ethnicity, birth_date, insurance_category, employer_code, "               \
  "employer_name, region_code, phone, address, personal_number, created_at, updated_at"
#define CARD_COLUMNS                                                                               \
  "sn, card_number, holder_id, region_code, card_type, status, issue_date, valid_until, "          \
  "rewrite_count, issued_by_serial, issued_by_name, workstation, created_at, "                     \
  "status_changed_at"

static const char *const card_statuses[] = { NULL,        "started",   "issued", "lost",
                                             "withdrawn", "cancelled", "cleared" };

const char *
db_card_status_to_string (DbCardStatus status)
{
  return status >= DB_CARD_STARTED && status <= DB_CARD_CLEARED ? card_statuses[status] : NULL;
}

const char *
db_card_status_get_label (DbCardStatus status)
{
  static const char *const labels[] = { NULL,          N_ ("being issued"), N_ ("in use"),
                                        N_ ("lost"),   N_ ("withdrawn"),    N_ ("cancelled"),
                                        N_ ("cleared") };

  g_return_val_if_fail (status >= DB_CARD_STARTED && status <= DB_CARD_CLEARED, NULL);
  return g_dgettext (GETTEXT_PACKAGE, labels[status]);
}

DbCardStatus
db_card_status_from_string (const char *text)
{
  for (int i = DB_CARD_STARTED; text != NULL && i <= DB_CARD_CLEARED; i++)
    if (strcmp (card_statuses[i], text) == 0)
      return i;
  return 0;
}

DbHolder *
db_holder_new (void)
{
  return g_new0 (DbHolder, 1);
}

void
db_holder_free (DbHolder *h)
{
  if (h == NULL)
    return;
  g_free (h->id_number);
  g_free (h->name);
  g_free (h->sex);
  g_free (h->ethnicity);
  g_free (h->birth_date);
  g_free (h->insurance_category);
  g_free (h->employer_code);
  g_free (h->employer_name);
  g_free (h->region_code);
  g_free (h->phone);
  g_free (h->address);
  g_free (h->personal_number);
  g_free (h->created_at);
  g_free (h->updated_at);
  g_free (h);
}

DbCard *
db_card_new (void)
{
  return g_new0 (DbCard, 1);
}

void
db_card_free (DbCard *c)
{
  if (c == NULL)
    return;
  g_free (c->sn);
  g_free (c->card_number);
  g_free (c->holder_id);
  g_free (c->region_code);
  g_free (c->card_type);
  g_free (c->issue_date);
  g_free (c->valid_until);
  g_free (c->issued_by_serial);
  g_free (c->issued_by_name);
  g_free (c->workstation);
  g_free (c->created_at);
  g_free (c->status_changed_at);
  g_free (c);
}

gboolean
db_id_number_is_valid (const char *id)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const char checks[] = "10X98765432";
  int sum = 0, year, month, day;

  if (id == NULL || strlen (id) != 18)
    return FALSE;
  for (int i = 0; i < 17; i++)
    {
      if (!g_ascii_isdigit (id[i]))
        return FALSE;
      sum += (id[i] - '0') * weights[i];
    }
  year = (id[6] - '0') * 1000 + (id[7] - '0') * 100 + (id[8] - '0') * 10 + (id[9] - '0');
  month = (id[10] - '0') * 10 + (id[11] - '0');
  day = (id[12] - '0') * 10 + (id[13] - '0');
  if (year < 1850 || !g_date_valid_dmy (day, month, year))
    return FALSE;
  return g_ascii_toupper (id[17]) == checks[sum % 11];
}

static gboolean G_GNUC_PRINTF (2, 3) not_found (GError **error, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, DB_ERROR, DB_ERROR_NOT_FOUND, message);
  return FALSE;
}

gboolean
db_holders_save (DbDatabase *db, const DbHolder *h, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;
  g_autofree char *now = db_time_now ();
  const char *values[] = { h->id_number,
                           h->name,
                           h->sex,
                           h->ethnicity,
                           h->birth_date,
                           h->insurance_category,
                           h->employer_code,
                           h->employer_name,
                           h->region_code,
                           h->phone,
                           h->address,
                           h->personal_number,
                           now,
                           now };

  g_return_val_if_fail (db != NULL && h != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!db_id_number_is_valid (h->id_number))
    {
      g_set_error (error, DB_ERROR, DB_ERROR_INVALID,
                   _ ("“%s” is not a valid ID number (18 characters, GB 11643 check digit). "
                      "Check it against the ID card."),
                   h->id_number != NULL ? h->id_number : "");
      return FALSE;
    }
  if (h->name == NULL || *h->name == '\0')
    {
      g_set_error (error, DB_ERROR, DB_ERROR_INVALID, _ ("The cardholder's name is missing."));
      return FALSE;
    }
  if (!db_check_writable (db, error))
    return FALSE;
  stmt = db_stmt (db,
                  "INSERT INTO cardholder (" HOLDER_COLUMNS ") VALUES "
                  "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (id_number) DO UPDATE SET name = excluded.name, "
                  "sex = excluded.sex, ethnicity = excluded.ethnicity, "
                  "birth_date = excluded.birth_date, "
                  "insurance_category = excluded.insurance_category, "
                  "employer_code = excluded.employer_code, "
                  "employer_name = excluded.employer_name, region_code = excluded.region_code, "
                  "phone = excluded.phone, address = excluded.address, "
                  "personal_number = excluded.personal_number, "
                  "updated_at = excluded.updated_at",
                  error);
  if (stmt == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    db_bind_text (stmt, i + 1, values[i]);
  return db_step_done (db, stmt, _ ("Could not save the cardholder"), error);
}

DbHolder *
db_holders_get (DbDatabase *db, const char *id_number, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;
  DbHolder *h;
  int rc;

  g_return_val_if_fail (db != NULL && id_number != NULL, NULL);

  stmt = db_stmt (db, "SELECT " HOLDER_COLUMNS " FROM cardholder WHERE id_number = ?", error);
  if (stmt == NULL)
    return NULL;
  db_bind_text (stmt, 1, id_number);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      not_found (error, _ ("There is no cardholder with ID number %s."), id_number);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      db_set_error (db, error, rc, _ ("Could not read the cardholder"));
      return NULL;
    }
  h = db_holder_new ();
  {
    char **fields[] = { &h->id_number,     &h->name,          &h->sex,
                        &h->ethnicity,     &h->birth_date,    &h->insurance_category,
                        &h->employer_code, &h->employer_name, &h->region_code,
                        &h->phone,         &h->address,       &h->personal_number,
                        &h->created_at,    &h->updated_at };

    for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
      *fields[i] = db_column_dup (stmt, i);
  }
  return h;
}

static gpointer
card_from_stmt (DbStmt *stmt)
{
  DbCard *c = db_card_new ();
  char **fields[] = { &c->sn,
                      &c->card_number,
                      &c->holder_id,
                      &c->region_code,
                      &c->card_type,
                      NULL,
                      &c->issue_date,
                      &c->valid_until,
                      NULL,
                      &c->issued_by_serial,
                      &c->issued_by_name,
                      &c->workstation,
                      &c->created_at,
                      &c->status_changed_at };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (fields[i] != NULL)
      *fields[i] = db_column_dup (stmt, i);
  c->status = db_card_status_from_string ((const char *) sqlite3_column_text (stmt, 5));
  c->rewrite_count = sqlite3_column_int64 (stmt, 8);
  return c;
}

static DbCard *
get_card (DbDatabase *db, const char *sql, const char *key, gboolean by_sn, GError **error)
{
  g_autoptr (DbStmt) stmt = db_stmt (db, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  db_bind_text (stmt, 1, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return card_from_stmt (stmt);
  if (rc == SQLITE_DONE && by_sn)
    not_found (error, _ ("No insurance card with serial %s is registered."), key);
  else if (rc == SQLITE_DONE)
    not_found (error, _ ("No insurance card numbered %s is registered."), key);
  else
    db_set_error (db, error, rc, _ ("Could not read the card registry"));
  return NULL;
}

DbCard *
db_cards_get_by_sn (DbDatabase *db, const char *sn, GError **error)
{
  g_return_val_if_fail (db != NULL && sn != NULL, NULL);
  return get_card (db, "SELECT " CARD_COLUMNS " FROM insurance_card WHERE sn = ?", sn, TRUE, error);
}

DbCard *
db_cards_get_by_number (DbDatabase *db, const char *card_number, GError **error)
{
  g_return_val_if_fail (db != NULL && card_number != NULL, NULL);
  return get_card (db, "SELECT " CARD_COLUMNS " FROM insurance_card WHERE card_number = ?",
                   card_number, FALSE, error);
}

GPtrArray *
db_cards_list_for_holder (DbDatabase *db, const char *id_number, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && id_number != NULL, NULL);

  stmt = db_stmt (db,
                  "SELECT " CARD_COLUMNS " FROM insurance_card WHERE holder_id = ? "
                  "ORDER BY created_at, sn",
                  error);
  if (stmt == NULL)
    return NULL;
  db_bind_text (stmt, 1, id_number);
  return db_collect (db, stmt, card_from_stmt, (GDestroyNotify) db_card_free,
                     _ ("Could not read the card registry"), error);
}

static gboolean
exists (DbDatabase *db, const char *sql, const char *key, gboolean *found, GError **error)
{
  g_autoptr (DbStmt) stmt = db_stmt (db, sql, error);
  gint64 n = 0;

  if (stmt == NULL)
    return FALSE;
  db_bind_text (stmt, 1, key);
  if (!db_query_int64 (db, stmt, &n, _ ("Could not read the card registry"), error))
    return FALSE;
  *found = n > 0;
  return TRUE;
}

gboolean
db_cards_sn_known (DbDatabase *db, const char *sn, gboolean *known, GError **error)
{
  g_return_val_if_fail (db != NULL && sn != NULL && known != NULL, FALSE);
  return exists (db, "SELECT count(*) FROM insurance_card WHERE sn = ?", sn, known, error);
}

/* The next number from the meta counter, never below the numbers the
 * registry already holds (cards imported or made by an older desk). */
gboolean
db_cards_allocate_number (DbDatabase *db, char **card_number, GError **error)
{
  const char *what = _ ("Could not give the card a number");
  g_autoptr (DbStmt) max = NULL;
  g_autoptr (DbStmt) counter = NULL;
  g_autoptr (DbStmt) save = NULL;
  gint64 highest = 0, next = 0;

  g_return_val_if_fail (db != NULL && card_number != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!db_tx_begin (db, what, error))
    return FALSE;
  max = db_stmt (db, "SELECT coalesce(max(CAST(card_number AS INTEGER)), 0) FROM insurance_card",
                 error);
  counter = max != NULL ? db_stmt (db,
                                   "SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta "
                                   "WHERE key = 'next_card_number'), 1)",
                                   error)
                        : NULL;
  if (counter == NULL || !db_query_int64 (db, max, &highest, what, error)
      || !db_query_int64 (db, counter, &next, what, error))
    goto failed;
  next = MAX (next, highest + 1);
  if (next > DB_CARD_NUMBER_MAX)
    {
      g_set_error_literal (error, DB_ERROR, DB_ERROR_REFUSED,
                           _ ("Every 10-digit card number is used up. Call the help desk."));
      goto failed;
    }
  save = db_stmt (db,
                  "INSERT INTO meta (key, value) VALUES ('next_card_number', ?) "
                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                  error);
  if (save == NULL)
    goto failed;
  sqlite3_bind_int64 (save, 1, next + 1);
  if (!db_step_done (db, save, what, error))
    goto failed;
  g_clear_pointer (&max, db_stmt_release);
  g_clear_pointer (&counter, db_stmt_release);
  g_clear_pointer (&save, db_stmt_release);
  if (!db_tx_commit (db, what, error))
    return FALSE;
  *card_number = g_strdup_printf ("%010" G_GINT64_FORMAT, next);
  return TRUE;

failed:
  g_clear_pointer (&max, db_stmt_release);
  g_clear_pointer (&counter, db_stmt_release);
  g_clear_pointer (&save, db_stmt_release);
  db_tx_rollback (db);
  return FALSE;
}

gboolean
db_blacklist_contains (DbDatabase *db, const char *sn, gboolean *listed, GError **error)
{
  g_return_val_if_fail (db != NULL && sn != NULL && listed != NULL, FALSE);
  return exists (db, "SELECT count(*) FROM blacklist WHERE sn = ?", sn, listed, error);
}

gboolean
db_registry_check_new_card (DbDatabase *db, const DbCard *card, GError **error)
{
  gboolean found = FALSE;

  if (card->sn == NULL || *card->sn == '\0' || card->card_number == NULL
      || *card->card_number == '\0' || card->holder_id == NULL)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_INVALID,
                   _ ("The card's serial, number or holder is missing."));
      return FALSE;
    }
  if (!db_blacklist_contains (db, card->sn, &found, error))
    return FALSE;
  if (found)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_REFUSED,
                   _ ("The card with serial %s is on the blacklist. Do not issue it; keep it "
                      "aside and take another blank card."),
                   card->sn);
      return FALSE;
    }
  if (!db_cards_sn_known (db, card->sn, &found, error))
    return FALSE;
  if (found)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_EXISTS,
                   _ ("The card with serial %s is already registered: a used card cannot be "
                      "issued again. Take another blank card."),
                   card->sn);
      return FALSE;
    }
  if (!exists (db, "SELECT count(*) FROM insurance_card WHERE card_number = ?", card->card_number,
               &found, error))
    return FALSE;
  if (found)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_EXISTS,
                   _ ("Card number %s is already in use. Give the card a new number."),
                   card->card_number);
      return FALSE;
    }
  if (!exists (db, "SELECT count(*) FROM cardholder WHERE id_number = ?", card->holder_id, &found,
               error))
    return FALSE;
  if (!found)
    return not_found (error, _ ("There is no cardholder with ID number %s."), card->holder_id);
  return TRUE;
}

gboolean
db_registry_insert_card (DbDatabase *db, const DbCard *c, DbCardStatus status, const DbActor *actor,
                         GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;
  g_autofree char *now = db_time_now ();
  const char *values[] = {
    c->sn,
    c->card_number,
    c->holder_id,
    c->region_code,
    c->card_type,
    db_card_status_to_string (status),
    c->issue_date,
    c->valid_until,
    actor->operator_serial,
    actor->operator_name,
    actor->workstation,
    now,
    now,
  };

  stmt = db_stmt (db,
                  "INSERT INTO insurance_card (sn, card_number, holder_id, region_code, "
                  "card_type, status, issue_date, valid_until, issued_by_serial, "
                  "issued_by_name, workstation, created_at, status_changed_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    db_bind_text (stmt, i + 1, values[i]);
  return db_step_done (db, stmt, _ ("Could not record the card"), error);
}

gboolean
db_cards_insert_issued (DbDatabase *db, const DbCard *card, const DbActor *actor, GError **error)
{
  const char *what = _ ("Could not record the card");

  g_return_val_if_fail (db != NULL && card != NULL && actor != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!db_tx_begin (db, what, error))
    return FALSE;
  if (!db_registry_check_new_card (db, card, error)
      || !db_registry_insert_card (db, card, DB_CARD_ISSUED, actor, error))
    {
      db_tx_rollback (db);
      return FALSE;
    }
  return db_tx_commit (db, what, error);
}

/* The allowed moves of a card's status (docs/database.md). */
static gboolean
transition_allowed (DbCardStatus from, DbCardStatus to)
{
  switch (from)
    {
    case DB_CARD_ISSUED:
      return to == DB_CARD_LOST || to == DB_CARD_WITHDRAWN || to == DB_CARD_CANCELLED
             || to == DB_CARD_CLEARED;
    case DB_CARD_LOST:
    case DB_CARD_WITHDRAWN:
      return to == DB_CARD_ISSUED || to == DB_CARD_CANCELLED || to == DB_CARD_CLEARED;
    case DB_CARD_CANCELLED:
      return to == DB_CARD_CLEARED;
    case DB_CARD_STARTED: /* only through the issuance journal */
    case DB_CARD_CLEARED:
    default:
      return FALSE;
    }
}

static gboolean
set_status_in_tx (DbDatabase *db, const char *sn, DbCardStatus status, GError **error)
{
  g_autoptr (DbCard) card = db_cards_get_by_sn (db, sn, error);
  g_autoptr (DbStmt) stmt = NULL;
  g_autofree char *now = db_time_now ();

  if (card == NULL)
    return FALSE;
  if (!transition_allowed (card->status, status))
    {
      g_set_error (error, DB_ERROR, DB_ERROR_REFUSED, _ ("Card %s is %s; it cannot become %s."),
                   card->card_number, db_card_status_to_string (card->status),
                   db_card_status_to_string (status));
      return FALSE;
    }
  stmt = db_stmt (db, "UPDATE insurance_card SET status = ?, status_changed_at = ? WHERE sn = ?",
                  error);
  if (stmt == NULL)
    return FALSE;
  db_bind_text (stmt, 1, db_card_status_to_string (status));
  db_bind_text (stmt, 2, now);
  db_bind_text (stmt, 3, sn);
  return db_step_done (db, stmt, _ ("Could not change the card's status"), error);
}

gboolean
db_cards_set_status (DbDatabase *db, const char *sn, DbCardStatus status, GError **error)
{
  const char *what = _ ("Could not change the card's status");

  g_return_val_if_fail (db != NULL && sn != NULL, FALSE);
  g_return_val_if_fail (db_card_status_to_string (status) != NULL, FALSE);

  if (!db_tx_begin (db, what, error))
    return FALSE;
  if (!set_status_in_tx (db, sn, status, error))
    {
      db_tx_rollback (db);
      return FALSE;
    }
  return db_tx_commit (db, what, error);
}

gboolean
db_cards_count_rewrite (DbDatabase *db, const char *sn, GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;

  g_return_val_if_fail (db != NULL && sn != NULL, FALSE);

  if (!db_check_writable (db, error))
    return FALSE;
  stmt = db_stmt (db,
                  "UPDATE insurance_card SET rewrite_count = rewrite_count + 1 "
                  "WHERE sn = ? AND status = 'issued'",
                  error);
  if (stmt == NULL)
    return FALSE;
  db_bind_text (stmt, 1, sn);
  if (!db_step_done (db, stmt, _ ("Could not record the rewrite"), error))
    return FALSE;
  if (sqlite3_changes (db->handle) == 0)
    return not_found (error, _ ("No issued insurance card with serial %s is registered."), sn);
  return TRUE;
}

gboolean
db_blacklist_add (DbDatabase *db, const char *sn, const char *reason, const DbActor *actor,
                  GError **error)
{
  g_autoptr (DbStmt) stmt = NULL;
  g_autofree char *now = db_time_now ();
  gboolean listed = FALSE;

  g_return_val_if_fail (db != NULL && sn != NULL && *sn != '\0' && actor != NULL, FALSE);

  if (!db_check_writable (db, error) || !db_blacklist_contains (db, sn, &listed, error))
    return FALSE;
  if (listed)
    {
      g_set_error (error, DB_ERROR, DB_ERROR_EXISTS, _ ("The card %s is already blacklisted."), sn);
      return FALSE;
    }
  stmt = db_stmt (db,
                  "INSERT INTO blacklist (sn, reason, added_at, added_by_serial, added_by_name, "
                  "workstation) VALUES (?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return FALSE;
  db_bind_text (stmt, 1, sn);
  db_bind_text (stmt, 2, reason);
  db_bind_text (stmt, 3, now);
  db_bind_text (stmt, 4, actor->operator_serial);
  db_bind_text (stmt, 5, actor->operator_name);
  db_bind_text (stmt, 6, actor->workstation);
  return db_step_done (db, stmt, _ ("Could not add the card to the blacklist"), error);
}
