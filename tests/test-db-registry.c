/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-db-registry.c: cardholders, insurance cards and their status rules,
 * the issuance journal (begin, steps, complete, fail, resume, undo), the
 * blacklist, the CPU-card registry and its quota, imported batches; and
 * that no table has a column for a secret. */
#include "config.h"

#include <string.h>

#include "db-batch.h"
#include "db-cpu-card.h"
#include "db-info.h"
#include "db-issuance.h"
#include "db-test-util.h"

#define ID_A "11010519491231002X" /* the GB 11643 example */
#define ID_B "510402199001010012"

static DbHolder *
holder (const char *id, const char *name)
{
  DbHolder *h = db_holder_new ();

  h->id_number = g_strdup (id);
  h->name = g_strdup (name);
  h->sex = g_strdup ("1");
  h->birth_date = g_strdup ("1990-01-01");
  h->insurance_category = g_strdup ("employee");
  h->region_code = g_strdup ("510402");
  return h;
}

static DbCard *
card (const char *sn, const char *number, const char *holder_id)
{
  DbCard *c = db_card_new ();

  c->sn = g_strdup (sn);
  c->card_number = g_strdup (number);
  c->holder_id = g_strdup (holder_id);
  c->region_code = g_strdup ("510402");
  c->card_type = g_strdup ("1");
  c->issue_date = g_strdup ("2026-11-21");
  c->valid_until = g_strdup ("2036-11-21");
  return c;
}

static void
save_holder (DbDatabase *db, const char *id, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbHolder) h = holder (id, name);

  g_assert_true (db_holders_save (db, h, &error));
  g_assert_no_error (error);
}

static void
test_id_numbers (void)
{
  g_assert_true (db_id_number_is_valid (ID_A));
  g_assert_true (db_id_number_is_valid ("11010519491231002x"));
  g_assert_true (db_id_number_is_valid (ID_B));
  g_assert_false (db_id_number_is_valid ("110105194912310021")); /* check digit */
  g_assert_false (db_id_number_is_valid ("11010519491331002X")); /* month 13 */
  g_assert_false (db_id_number_is_valid ("11010519491231002"));
  g_assert_false (db_id_number_is_valid ("1101051949123100AX"));
  g_assert_false (db_id_number_is_valid (NULL));
}

/* Every status and state has a word for screens. */
static void
test_labels (void)
{
  for (int s = DB_CARD_STARTED; s <= DB_CARD_CLEARED; s++)
    g_assert_nonnull (db_card_status_get_label (s));
  for (int s = DB_ISSUANCE_STARTED; s <= DB_ISSUANCE_FAILED; s++)
    g_assert_nonnull (db_issuance_state_get_label (s));
  g_assert_cmpstr (db_card_status_get_label (DB_CARD_ISSUED), ==, "in use");
  g_assert_cmpstr (db_issuance_state_get_label (DB_ISSUANCE_STARTED), ==, "started");
}

static void
test_holders (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbHolder) bad = holder ("110105194912310021", "张三");
  g_autoptr (DbHolder) got = NULL;
  g_autoptr (DbHolder) changed = holder (ID_A, "张三丰");

  save_holder (fx->db, ID_A, "张三");
  got = db_holders_get (fx->db, ID_A, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->name, ==, "张三");
  g_assert_cmpstr (got->region_code, ==, "510402");
  g_assert_cmpstr (got->employer_code, ==, "");
  g_assert_true (g_str_has_suffix (got->created_at, "Z"));
  g_clear_pointer (&got, db_holder_free);

  /* Saving again updates. */
  g_assert_true (db_holders_save (fx->db, changed, &error));
  got = db_holders_get (fx->db, ID_A, &error);
  g_assert_cmpstr (got->name, ==, "张三丰");

  g_assert_false (db_holders_save (fx->db, bad, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "110105194912310021"));
  g_clear_error (&error);
  g_assert_null (db_holders_get (fx->db, ID_B, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_NOT_FOUND);
}

static void
test_cards (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbCard) c1 = card ("8000000000000001", "5100000001", ID_A);
  g_autoptr (DbCard) same_sn = card ("8000000000000001", "5100000002", ID_A);
  g_autoptr (DbCard) same_number = card ("8000000000000002", "5100000001", ID_A);
  g_autoptr (DbCard) no_holder = card ("8000000000000003", "5100000003", ID_B);
  g_autoptr (DbCard) got = NULL;
  g_autoptr (GPtrArray) list = NULL;
  DbActor actor = dbt_actor ();
  gboolean known = FALSE;

  save_holder (fx->db, ID_A, "张三");
  g_assert_true (db_cards_insert_issued (fx->db, c1, &actor, &error));
  g_assert_no_error (error);
  got = db_cards_get_by_number (fx->db, "5100000001", &error);
  g_assert_cmpstr (got->sn, ==, "8000000000000001");
  g_assert_cmpint (got->status, ==, DB_CARD_ISSUED);
  g_assert_cmpstr (got->issued_by_serial, ==, actor.operator_serial);
  g_assert_cmpstr (got->workstation, ==, actor.workstation);
  g_clear_pointer (&got, db_card_free);

  g_assert_false (db_cards_insert_issued (fx->db, same_sn, &actor, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (db_cards_insert_issued (fx->db, same_number, &actor, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "5100000001"));
  g_clear_error (&error);
  g_assert_false (db_cards_insert_issued (fx->db, no_holder, &actor, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (db_cards_sn_known (fx->db, "8000000000000001", &known, &error));
  g_assert_true (known);
  g_assert_true (db_cards_sn_known (fx->db, "8000000000000009", &known, &error));
  g_assert_false (known);
  list = db_cards_list_for_holder (fx->db, ID_A, &error);
  g_assert_cmpuint (list->len, ==, 1);

  /* Status rules. */
  g_assert_true (db_cards_count_rewrite (fx->db, c1->sn, &error));
  g_assert_no_error (error);
  g_assert_no_error (error);
  g_assert_true (db_cards_set_status (fx->db, c1->sn, DB_CARD_LOST, &error));
  g_assert_false (db_cards_count_rewrite (fx->db, c1->sn, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (db_cards_set_status (fx->db, c1->sn, DB_CARD_CANCELLED, &error));
  g_assert_false (db_cards_set_status (fx->db, c1->sn, DB_CARD_ISSUED, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_true (db_cards_set_status (fx->db, c1->sn, DB_CARD_CLEARED, &error));
  g_assert_false (db_cards_set_status (fx->db, c1->sn, DB_CARD_LOST, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_REFUSED);
  g_clear_error (&error);
  got = db_cards_get_by_sn (fx->db, c1->sn, &error);
  g_assert_cmpint (got->status, ==, DB_CARD_CLEARED);
  g_assert_cmpint (got->rewrite_count, ==, 1);
  g_assert_null (db_cards_get_by_sn (fx->db, "0000", &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_NOT_FOUND);
}

static void
test_blacklist (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbCard) c = card ("8000000000000005", "5100000005", ID_A);
  DbActor actor = dbt_actor ();
  gboolean listed = TRUE;
  gint64 id = 0;

  save_holder (fx->db, ID_A, "张三");
  g_assert_true (db_blacklist_contains (fx->db, c->sn, &listed, &error));
  g_assert_false (listed);
  g_assert_true (db_blacklist_add (fx->db, c->sn, "stolen batch", &actor, &error));
  g_assert_true (db_blacklist_contains (fx->db, c->sn, &listed, &error));
  g_assert_true (listed);
  g_assert_false (db_blacklist_add (fx->db, c->sn, "again", &actor, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (db_issuance_begin (fx->db, c, NULL, &actor, &id, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "blacklist"));
  g_assert_cmpint (dbt_raw_int (fx->path, "SELECT count(*) FROM issuance_journal"), ==, 0);
}

static void
test_issuance (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbCard) c = card ("8000000000000007", "5100000007", ID_A);
  g_autoptr (DbCard) got = NULL;
  g_autoptr (DbIssuance) j = NULL;
  g_autoptr (GPtrArray) open = NULL;
  DbActor actor = dbt_actor ();
  gint64 first = 0, second = 0;

  save_holder (fx->db, ID_A, "张三");
  g_assert_true (db_issuance_begin (fx->db, c, NULL, &actor, &first, &error));
  g_assert_no_error (error);
  got = db_cards_get_by_sn (fx->db, c->sn, &error);
  g_assert_cmpint (got->status, ==, DB_CARD_STARTED);
  g_clear_pointer (&got, db_card_free);
  g_assert_true (db_issuance_set_step (fx->db, first, "psc-set", &error));
  g_assert_true (db_issuance_fail (fx->db, first, "blocks-written", "CARD_REMOVED", &error));
  g_assert_no_error (error);

  /* A failed attempt leaves a half-issue to resume. */
  open = db_issuance_list_open (fx->db, actor.workstation, &error);
  g_assert_cmpuint (open->len, ==, 1);
  j = g_ptr_array_steal_index (open, 0);
  g_assert_cmpint (j->id, ==, first);
  g_assert_cmpint (j->state, ==, DB_ISSUANCE_FAILED);
  g_assert_cmpstr (j->step, ==, "blocks-written");
  g_assert_cmpstr (j->error_code, ==, "CARD_REMOVED");
  g_assert_cmpstr (j->finished_at, !=, "");
  g_clear_pointer (&j, db_issuance_free);
  g_clear_pointer (&open, g_ptr_array_unref);
  open = db_issuance_list_open (fx->db, "ANOTHER-DESK", &error);
  g_assert_cmpuint (open->len, ==, 0);
  g_clear_pointer (&open, g_ptr_array_unref);

  g_assert_false (db_issuance_set_step (fx->db, first, "late", &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_true (db_issuance_resume (fx->db, first, &actor, &second, &error));
  g_assert_cmpint (second, >, first);
  g_assert_true (db_issuance_complete (fx->db, second, &error));
  g_assert_no_error (error);
  got = db_cards_get_by_sn (fx->db, c->sn, &error);
  g_assert_cmpint (got->status, ==, DB_CARD_ISSUED);
  open = db_issuance_list_open (fx->db, NULL, &error);
  g_assert_cmpuint (open->len, ==, 0);

  /* A finished attempt cannot change again. */
  g_assert_false (db_issuance_complete (fx->db, second, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (db_issuance_resume (fx->db, second, &actor, NULL, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_null (db_issuance_get (fx->db, 999, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_NOT_FOUND);
}

static void
test_issuance_undo (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbCard) c = card ("8000000000000008", "5100000008", ID_A);
  g_autoptr (DbIssuance) j = NULL;
  DbActor actor = dbt_actor ();
  gboolean known = TRUE;
  gint64 id = 0;

  save_holder (fx->db, ID_A, "张三");
  g_assert_true (db_issuance_begin (fx->db, c, NULL, &actor, &id, &error));
  g_assert_true (db_issuance_undo (fx->db, id, &error));
  g_assert_no_error (error);
  /* The blank card may be issued again; the journal keeps the attempt. */
  g_assert_true (db_cards_sn_known (fx->db, c->sn, &known, &error));
  g_assert_false (known);
  j = db_issuance_get (fx->db, id, &error);
  g_assert_cmpint (j->state, ==, DB_ISSUANCE_UNDONE);
  g_assert_true (db_issuance_begin (fx->db, c, NULL, &actor, &id, &error));
  g_assert_no_error (error);
}

static void
test_cpu_cards (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbCpuCard) kc = db_cpu_card_new ();
  g_autoptr (DbCpuCard) got = NULL;
  g_autoptr (GPtrArray) list = NULL;
  DbActor actor = dbt_actor ();
  gint64 left = 0;

  kc->serial = g_strdup ("8600000000000099");
  kc->kind = DB_CPU_KC;
  kc->role = g_strdup ("issuing-admin");
  kc->holder_name = g_strdup ("王芳");
  kc->workstation = g_strdup ("PZH-DESK-01");
  kc->quota = 2;
  kc->kcv_pkey = g_strdup ("08D7B4");
  kc->kcv_dkey = g_strdup ("1A2B3C");
  kc->kcv_akey = g_strdup ("ABCDEF");

  g_assert_true (db_cpu_cards_add (fx->db, kc, &actor, &error));
  g_assert_no_error (error);
  got = db_cpu_cards_get (fx->db, kc->serial, &error);
  g_assert_cmpint (got->kind, ==, DB_CPU_KC);
  g_assert_cmpint (got->status, ==, DB_CPU_ACTIVE);
  g_assert_cmpint (got->quota, ==, 2);
  g_assert_cmpstr (got->kcv_pkey, ==, "08D7B4");
  g_assert_cmpstr (got->made_by_name, ==, actor.operator_name);
  g_clear_pointer (&got, db_cpu_card_free);

  g_assert_true (db_cpu_cards_take_quota (fx->db, kc->serial, &left, &error));
  g_assert_cmpint (left, ==, 1);
  g_assert_true (db_cpu_cards_take_quota (fx->db, kc->serial, &left, &error));
  g_assert_cmpint (left, ==, 0);
  g_assert_false (db_cpu_cards_take_quota (fx->db, kc->serial, &left, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "quota"));
  g_clear_error (&error);

  /* Made twice only after a wash; the new record starts afresh. */
  g_assert_false (db_cpu_cards_add (fx->db, kc, &actor, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (db_cpu_cards_set_status (fx->db, kc->serial, DB_CPU_WASHED, &error));
  kc->kind = DB_CPU_AC;
  kc->quota = -1;
  g_assert_true (db_cpu_cards_add (fx->db, kc, &actor, &error));
  got = db_cpu_cards_get (fx->db, kc->serial, &error);
  g_assert_cmpint (got->kind, ==, DB_CPU_AC);
  g_assert_cmpint (got->issued_count, ==, 0);
  g_assert_cmpint (got->quota, ==, -1);
  g_assert_true (db_cpu_cards_take_quota (fx->db, kc->serial, &left, &error));
  g_assert_cmpint (left, ==, -1);

  /* Only a check value fits where a check value goes. */
  g_free (kc->serial);
  kc->serial = g_strdup ("8600000000000100");
  g_free (kc->kcv_dkey);
  kc->kcv_dkey = g_strdup ("0123456789ABCDEFFEDCBA9876543210");
  g_assert_false (db_cpu_cards_add (fx->db, kc, &actor, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_INVALID);
  g_clear_error (&error);
  list = db_cpu_cards_list (fx->db, &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_false (db_cpu_cards_set_status (fx->db, "nope", DB_CPU_LOST, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_NOT_FOUND);
}

static void
test_batches (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) db_batch_row_free);
  g_autoptr (GPtrArray) got = NULL;
  g_autoptr (GPtrArray) batches = NULL;
  g_autoptr (DbBatch) batch = NULL;
  DbActor actor = dbt_actor ();
  gint64 id = 0;

  for (int i = 1; i <= 3; i++)
    {
      DbBatchRow *row = db_batch_row_new ();

      row->line_no = i + 1;
      db_holder_free (row->holder);
      row->holder = holder (i == 2 ? "bad-id" : ID_B, "赵六");
      if (i == 2)
        {
          row->status = DB_BATCH_ROW_BAD;
          row->reason = g_strdup ("ID number check digit");
        }
      g_ptr_array_add (rows, row);
    }
  g_assert_true (db_batch_import (fx->db, "march.csv", "aa11", rows, &actor, &id, &error));
  g_assert_no_error (error);
  g_assert_false (db_batch_import (fx->db, "march-copy.csv", "aa11", rows, &actor, NULL, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (
      db_batch_set_row (fx->db, id, 2, DB_BATCH_ROW_ISSUED, NULL, "8000000000000011", &error));
  g_assert_false (db_batch_set_row (fx->db, id, 99, DB_BATCH_ROW_SKIPPED, NULL, NULL, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_NOT_FOUND);
  g_clear_error (&error);

  batch = db_batch_get (fx->db, id, &error);
  g_assert_cmpstr (batch->source_name, ==, "march.csv");
  g_assert_cmpint (batch->row_count, ==, 3);
  got = db_batch_get_rows (fx->db, id, &error);
  g_assert_cmpuint (got->len, ==, 3);
  g_assert_cmpint (((DbBatchRow *) got->pdata[0])->status, ==, DB_BATCH_ROW_ISSUED);
  g_assert_cmpstr (((DbBatchRow *) got->pdata[0])->card_sn, ==, "8000000000000011");
  g_assert_cmpint (((DbBatchRow *) got->pdata[1])->status, ==, DB_BATCH_ROW_BAD);
  g_assert_cmpstr (((DbBatchRow *) got->pdata[1])->reason, ==, "ID number check digit");
  g_assert_cmpstr (((DbBatchRow *) got->pdata[2])->holder->name, ==, "赵六");
  batches = db_batch_list (fx->db, &error);
  g_assert_cmpuint (batches->len, ==, 1);
  g_assert_null (db_batch_get (fx->db, 42, &error));
  g_assert_error (error, DB_ERROR, DB_ERROR_NOT_FOUND);
}

/* Keys, PINs, codes and PSCs never get a column: only check values. */
static void
test_no_secret_columns (DbFixture *fx, gconstpointer data)
{
  static const char *const forbidden[] = { "pin",   "psc",  "password", "secret", "code1",
                                           "code2", "psub", "dsub",     "_key",   "mk" };
  sqlite3 *raw = dbt_raw_open (fx->path);
  sqlite3_stmt *stmt = NULL;
  int columns = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (raw,
                                       "SELECT m.name, p.name FROM sqlite_schema m, "
                                       "pragma_table_info(m.name) p WHERE m.type = 'table'",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (stmt, 0);
      const char *column = (const char *) sqlite3_column_text (stmt, 1);

      columns++;
      for (gsize i = 0; i < G_N_ELEMENTS (forbidden); i++)
        if (strstr (column, forbidden[i]) != NULL && !g_str_has_prefix (column, "kcv_"))
          g_error ("%s.%s looks like a column for a secret", table, column);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (raw);
  g_assert_cmpint (columns, >, 80);
}

static void
test_info (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbCard) c = card ("8000000000000001", "5100000001", ID_A);
  g_autoptr (DbCard) half = card ("8000000000000002", "5100000002", ID_A);
  DbActor actor = dbt_actor ();
  DbInfo info;

  save_holder (fx->db, ID_A, "张三");
  g_assert_true (db_cards_insert_issued (fx->db, c, &actor, &error));
  g_assert_true (db_issuance_begin (fx->db, half, NULL, &actor, NULL, &error));
  g_assert_true (db_blacklist_add (fx->db, "8000000000000003", "test", &actor, &error));
  g_assert_true (db_info_get (fx->db, &info, &error));
  g_assert_cmpint (info.holders, ==, 1);
  g_assert_cmpint (info.cards, ==, 2);
  g_assert_cmpint (info.cards_issued, ==, 1);
  g_assert_cmpint (info.issuances_open, ==, 1);
  g_assert_cmpint (info.blacklist, ==, 1);
  g_assert_cmpint (info.cpu_cards, ==, 0);
  db_info_clear (&info);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, DbFixture, NULL, dbt_set_up, fn, dbt_tear_down)
  g_test_add_func ("/db/registry/id-numbers", test_id_numbers);
  g_test_add_func ("/db/registry/labels", test_labels);
  ADD ("/db/registry/holders", test_holders);
  ADD ("/db/registry/cards", test_cards);
  ADD ("/db/registry/blacklist", test_blacklist);
  ADD ("/db/registry/issuance", test_issuance);
  ADD ("/db/registry/issuance-undo", test_issuance_undo);
  ADD ("/db/registry/cpu-cards", test_cpu_cards);
  ADD ("/db/registry/batches", test_batches);
  ADD ("/db/registry/no-secret-columns", test_no_secret_columns);
  ADD ("/db/registry/info", test_info);
#undef ADD

  return g_test_run ();
}
