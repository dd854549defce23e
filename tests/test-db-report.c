/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-db-report.c: issuing in numbers from the registry: cards per day,
 * operator, office and workstation in a period; cards lost, taken back
 * and replaced. */
#include "config.h"

#include <string.h>

#include "db-cpu-card.h"
#include "db-issuance.h"
#include "db-report.h"
#include "db-test-util.h"

#define ID_1 "11010519491231002X"
#define ID_2 "510402199001010012"
#define ID_3 "510402198503172316"

#define OP_A "8600000000000001"
#define OP_B "8600000000000002"
#define OP_C "8600000000000003" /* not in the CPU-card registry */

static void
save_holder (DbDatabase *db, const char *id, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbHolder) h = db_holder_new ();

  h->id_number = g_strdup (id);
  h->name = g_strdup (name);
  h->sex = g_strdup ("1");
  h->birth_date = g_strdup ("1990-01-01");
  h->insurance_category = g_strdup ("employee");
  h->region_code = g_strdup ("510402");
  g_assert_true (db_holders_save (db, h, &error));
  g_assert_no_error (error);
}

static void
add_operator (DbDatabase *db, const char *serial, const char *name, const char *office)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbCpuCard) ac = db_cpu_card_new ();
  DbActor actor = dbt_actor ();

  ac->serial = g_strdup (serial);
  ac->kind = DB_CPU_AC;
  ac->role = g_strdup ("issuing-admin");
  ac->holder_name = g_strdup (name);
  ac->office_code = g_strdup (office);
  ac->kcv_pkey = g_strdup ("08D7B4");
  ac->kcv_dkey = g_strdup ("1A2B3C");
  ac->kcv_akey = g_strdup ("ABCDEF");
  g_assert_true (db_cpu_cards_add (db, ac, &actor, &error));
  g_assert_no_error (error);
}

static DbCard *
card (int n, const char *holder_id, const char *issue_date)
{
  DbCard *c = db_card_new ();

  c->sn = g_strdup_printf ("80000000000000%02d", n);
  c->card_number = g_strdup_printf ("51000000%02d", n);
  c->holder_id = g_strdup (holder_id);
  c->region_code = g_strdup ("510402");
  c->card_type = g_strdup ("1");
  c->issue_date = g_strdup (issue_date);
  c->valid_until = g_strdup ("2036-12-31");
  return c;
}

static void
issued (DbDatabase *db, int n, const char *holder_id, const char *date, const char *op,
        const char *op_name, const char *desk)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbCard) c = card (n, holder_id, date);
  DbActor actor = { .workstation = desk, .operator_serial = op, .operator_name = op_name };

  g_assert_true (db_cards_insert_issued (db, c, &actor, &error));
  g_assert_no_error (error);
}

/* Nine cards over three days by three operators at two desks. */
static void
fill (DbDatabase *db)
{
  save_holder (db, ID_1, "张三");
  save_holder (db, ID_2, "李四");
  save_holder (db, ID_3, "王五");
  add_operator (db, OP_A, "王芳", "510402");
  add_operator (db, OP_B, "赵六", "510411");
  issued (db, 1, ID_1, "2026-06-01", OP_A, "王芳", "DESK-1");
  issued (db, 2, ID_2, "2026-06-01", OP_A, "王芳", "DESK-1");
  issued (db, 3, ID_3, "2026-06-01", OP_B, "赵六", "DESK-2");
  issued (db, 4, ID_1, "2026-06-02", OP_B, "赵六", "DESK-2");
  issued (db, 5, ID_2, "2026-06-02", OP_C, "钱七", "DESK-2");
  issued (db, 6, ID_3, "2026-06-03", OP_A, "王芳", "DESK-1");
  issued (db, 7, ID_1, "2026-06-03", OP_A, "王芳", "DESK-1");
  issued (db, 8, ID_2, "2026-06-03", OP_C, "钱七", "DESK-2");
  issued (db, 9, ID_3, "2026-05-31", OP_B, "赵六", "DESK-1");
}

static GDateTime *
local_day (int y, int m, int d)
{
  return g_date_time_new_local (y, m, d, 0, 0, 0);
}

static void
check (GPtrArray *counts, guint i, const char *key, const char *name, gint64 cards)
{
  DbIssuedCount *c;

  g_assert_cmpuint (i, <, counts->len);
  c = counts->pdata[i];
  g_assert_cmpstr (c->key, ==, key);
  g_assert_cmpstr (c->name, ==, name);
  g_assert_cmpint (c->cards, ==, cards);
}

static void
test_issued (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) since = local_day (2026, 6, 1);
  g_autoptr (GDateTime) until = local_day (2026, 6, 3);
  g_autoptr (GPtrArray) days = NULL;
  g_autoptr (GPtrArray) all_days = NULL;
  g_autoptr (GPtrArray) ops = NULL;
  g_autoptr (GPtrArray) offices = NULL;
  g_autoptr (GPtrArray) desks = NULL;
  g_autoptr (DbCard) half = NULL;
  DbActor actor = dbt_actor ();
  gint64 id = 0;

  fill (fx->db);
  /* A half-issued card is not issued. */
  half = card (10, ID_1, "2026-06-01");
  g_assert_true (db_issuance_begin (fx->db, half, NULL, &actor, &id, &error));
  g_assert_no_error (error);

  /* [1 June, 3 June): the first two days. */
  days = db_report_issued (fx->db, since, until, DB_ISSUED_BY_DAY, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, ==, 2);
  check (days, 0, "2026-06-01", "", 3);
  check (days, 1, "2026-06-02", "", 2);

  all_days = db_report_issued (fx->db, NULL, NULL, DB_ISSUED_BY_DAY, &error);
  g_assert_cmpuint (all_days->len, ==, 4);
  check (all_days, 0, "2026-05-31", "", 1);
  check (all_days, 3, "2026-06-03", "", 3);

  ops = db_report_issued (fx->db, since, NULL, DB_ISSUED_BY_OPERATOR, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 3);
  check (ops, 0, OP_A, "王芳", 4);
  check (ops, 1, OP_B, "赵六", 2);
  check (ops, 2, OP_C, "钱七", 2);

  /* The office is the operator card's, from the CPU-card registry. */
  offices = db_report_issued (fx->db, since, NULL, DB_ISSUED_BY_OFFICE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (offices->len, ==, 3);
  check (offices, 0, "510402", "", 4);
  check (offices, 1, "", "", 2);
  check (offices, 2, "510411", "", 2);

  desks = db_report_issued (fx->db, NULL, until, DB_ISSUED_BY_WORKSTATION, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (desks->len, ==, 2);
  check (desks, 0, "DESK-1", "", 3);
  check (desks, 1, "DESK-2", "", 3);
}

static void
test_lost_replaced (DbFixture *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr (GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autoptr (GPtrArray) changes = NULL;
  g_autoptr (GPtrArray) past = NULL;
  g_autoptr (DbCard) repl = NULL;
  DbActor actor = dbt_actor ();
  DbCardChange *c;
  gint64 id = 0;

  fill (fx->db);
  /* Card 2 lost and replaced by card 11; card 3 lost only; card 4 taken
   * back (damaged) and replaced by card 12, which is not finished yet;
   * card 5 lost, then found again. */
  g_assert_true (db_cards_set_status (fx->db, "8000000000000002", DB_CARD_LOST, &error));
  repl = card (11, ID_2, "2026-06-04");
  g_assert_true (db_issuance_begin (fx->db, repl, "8000000000000002", &actor, &id, &error));
  g_assert_true (db_issuance_complete (fx->db, id, &error));
  g_assert_true (db_cards_set_status (fx->db, "8000000000000003", DB_CARD_LOST, &error));
  g_assert_true (db_cards_set_status (fx->db, "8000000000000004", DB_CARD_WITHDRAWN, &error));
  g_clear_pointer (&repl, db_card_free);
  repl = card (12, ID_1, "2026-06-04");
  g_assert_true (db_issuance_begin (fx->db, repl, "8000000000000004", &actor, &id, &error));
  g_assert_true (db_cards_set_status (fx->db, "8000000000000005", DB_CARD_LOST, &error));
  g_assert_true (db_cards_set_status (fx->db, "8000000000000005", DB_CARD_ISSUED, &error));
  g_assert_no_error (error);

  changes = db_report_lost_replaced (fx->db, yesterday, tomorrow, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changes->len, ==, 3);
  for (guint i = 0; i < changes->len; i++)
    {
      c = changes->pdata[i];
      if (strcmp (c->sn, "8000000000000002") == 0)
        {
          g_assert_cmpint (c->status, ==, DB_CARD_LOST);
          g_assert_cmpstr (c->holder_name, ==, "李四");
          g_assert_cmpstr (c->card_number, ==, "5100000002");
          g_assert_cmpstr (c->replaced_by_sn, ==, "8000000000000011");
          g_assert_cmpstr (c->replaced_by_number, ==, "5100000011");
          g_assert_cmpstr (c->replaced_at, !=, "");
        }
      else if (strcmp (c->sn, "8000000000000003") == 0)
        {
          g_assert_cmpint (c->status, ==, DB_CARD_LOST);
          g_assert_cmpstr (c->replaced_by_sn, ==, "");
        }
      else
        {
          g_assert_cmpstr (c->sn, ==, "8000000000000004");
          g_assert_cmpint (c->status, ==, DB_CARD_WITHDRAWN);
          g_assert_cmpstr (c->replaced_by_sn, ==, "");
        }
    }
  /* Nothing changed last year. */
  past = db_report_lost_replaced (fx->db, NULL, yesterday, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (past->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, DbFixture, NULL, dbt_set_up, fn, dbt_tear_down)
  ADD ("/db/report/issued", test_issued);
  ADD ("/db/report/lost-replaced", test_lost_replaced);
#undef ADD
  return g_test_run ();
}
