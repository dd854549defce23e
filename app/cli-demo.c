/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-demo.c: insucard-cli db make-demo: a training database full of
 * realistic data for demonstrations and the benchmark
 * (tests/bench/run-bench-db): cardholders with Chinese names and valid
 * GB 11643 ID numbers, one issued card each, the desk's CPU cards, and an
 * audit log of operator sessions sealed at every logout and every 100
 * rows with the software test key.  The same seed gives the same file. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cli-db-common.h"
#include "cli-sealer.h"
#include "cli.h"
#include "db-cpu-card.h"
#include "db-registry.h"

#define N_DESKS 8
#define N_OPERATORS 12
#define GROUP 5000 /* rows per transaction */

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴",
                                        "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
                                        "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩",
                                        "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁" };
static const char *const given[] = { "伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊",
                                     "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "兰",
                                     "霞", "平", "刚", "桂", "华", "文", "建", "国", "志", "红",
                                     "玉", "梅", "云", "飞", "鹏", "辉", "琳", "婷", "雪", "晨" };
/* Panzhihua: 东区, 西区, 仁和区, 米易县, 盐边县. */
static const char *const regions[] = { "510402", "510403", "510411", "510421", "510422" };
static const char *const categories[] = { "employee", "retired", "resident", "student" };
static const char *const failures[] = { "CARD_REMOVED", "WRONG_PIN", "SW_6581", "READER_GONE" };

typedef struct {
  char serial[17];
  char name[16];
  const char *role;
  char desk[16];
} Operator;

typedef struct {
  GRand *rand;
  DbDatabase *db;
  Operator operators[N_OPERATORS];
  GPtrArray *cards; /* DbCard, to refer to in audit rows */
  gint64 time; /* seconds since the epoch of the next audit row */
} Demo;

static const char *
pick (Demo *d, const char *const *list, gsize n)
{
  return list[g_rand_int_range (d->rand, 0, n)];
}

static char *
chinese_name (Demo *d)
{
  return g_strconcat (pick (d, surnames, G_N_ELEMENTS (surnames)),
                      pick (d, given, G_N_ELEMENTS (given)),
                      g_rand_boolean (d->rand) ? pick (d, given, G_N_ELEMENTS (given)) : "", NULL);
}

/* GB 11643: region, birth date, sequence (odd: male), ISO 7064 check. */
static char *
id_number (Demo *d, const char *region, GDate *birth, gboolean male)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  int sequence = g_rand_int_range (d->rand, 0, 500) * 2 + (male ? 1 : 0);
  char id[19];
  int sum = 0;

  g_snprintf (id, sizeof id, "%s%04d%02d%02d%03d", region, g_date_get_year (birth),
              g_date_get_month (birth), g_date_get_day (birth), sequence);
  for (int i = 0; i < 17; i++)
    sum += (id[i] - '0') * weights[i];
  id[17] = "10X98765432"[sum % 11];
  id[18] = '\0';
  return g_strdup (id);
}

static gboolean
add_holder_and_card (Demo *d, GHashTable *ids, gint64 i, GError **error)
{
  g_autoptr (DbHolder) h = db_holder_new ();
  g_autoptr (DbCard) c = db_card_new ();
  DbActor actor = {
    .workstation = d->operators[i % N_OPERATORS].desk,
    .operator_serial = d->operators[i % N_OPERATORS].serial,
    .operator_name = d->operators[i % N_OPERATORS].name,
    .role = "issuing-admin",
  };
  GDate birth;
  gboolean male = g_rand_boolean (d->rand);

  g_date_clear (&birth, 1);
  g_date_set_julian (&birth, g_rand_int_range (d->rand, 708700, 732300)); /* 1941 to 2005 */
  h->region_code = g_strdup (pick (d, regions, G_N_ELEMENTS (regions)));
  do
    {
      g_free (h->id_number);
      h->id_number = id_number (d, h->region_code, &birth, male);
    }
  while (g_hash_table_contains (ids, h->id_number));
  g_hash_table_add (ids, g_strdup (h->id_number));
  h->name = chinese_name (d);
  h->sex = g_strdup (male ? "1" : "2");
  h->ethnicity = g_strdup (g_rand_int_range (d->rand, 0, 10) == 0 ? "24" : "01");
  h->birth_date = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&birth),
                                   g_date_get_month (&birth), g_date_get_day (&birth));
  h->insurance_category = g_strdup (pick (d, categories, G_N_ELEMENTS (categories)));
  h->employer_code = g_strdup_printf ("PZ%06d", g_rand_int_range (d->rand, 1, 3000));
  if (!db_holders_save (d->db, h, error))
    return FALSE;

  c->sn = g_strdup_printf ("5A%014llX", (unsigned long long) (0x1000000 + i * 7919));
  c->card_number = g_strdup_printf ("51%08lld", (long long) i + 1);
  c->holder_id = g_strdup (h->id_number);
  c->region_code = g_strdup (h->region_code);
  c->card_type = g_strdup ("1");
  c->issue_date =
      g_strdup_printf ("20%02d-%02d-%02d", g_rand_int_range (d->rand, 15, 26),
                       g_rand_int_range (d->rand, 1, 13), g_rand_int_range (d->rand, 1, 29));
  c->valid_until = g_strdup ("2036-12-31");
  if (!db_cards_insert_issued (d->db, c, &actor, error))
    return FALSE;
  g_ptr_array_add (d->cards, g_steal_pointer (&c));
  return TRUE;
}

static gboolean
add_cpu_cards (Demo *d, GError **error)
{
  static const DbCpuKind kinds[] = { DB_CPU_MCC, DB_CPU_KTC };
  DbActor admin = { .workstation = d->operators[0].desk,
                    .operator_serial = d->operators[0].serial,
                    .operator_name = d->operators[0].name,
                    .role = "system-admin" };
  g_autofree char *kcv_pkey = g_strdup_printf ("%06X", g_rand_int (d->rand) & 0xFFFFFF);
  g_autofree char *kcv_dkey = g_strdup_printf ("%06X", g_rand_int (d->rand) & 0xFFFFFF);

  for (int i = 0; i < N_OPERATORS + 2; i++)
    {
      g_autoptr (DbCpuCard) c = db_cpu_card_new ();
      const Operator *op = i >= 2 ? &d->operators[i - 2] : &d->operators[0];

      c->kind = i < 2 ? kinds[i] : (i % 2 ? DB_CPU_KC : DB_CPU_AC);
      c->serial = i < 2 ? g_strdup_printf ("86000000000000%02d", i + 1) : g_strdup (op->serial);
      c->role = g_strdup (i < 2 ? "" : op->role);
      c->holder_name = g_strdup (op->name);
      c->staff_number = g_strdup_printf ("PZ-%04d", 100 + i);
      c->office_code = g_strdup ("510400");
      c->workstation = g_strdup (c->kind == DB_CPU_KC ? op->desk : "");
      c->quota = c->kind == DB_CPU_KC ? 100000 : -1;
      c->kcv_mk = g_strdup (c->kind == DB_CPU_MCC ? "3C5A0F" : "");
      c->kcv_pkey = g_strdup (c->kind == DB_CPU_MCC ? "" : kcv_pkey);
      c->kcv_dkey = g_strdup (c->kind == DB_CPU_MCC ? "" : kcv_dkey);
      c->kcv_akey = g_strdup (i >= 2 ? "7E21B9" : "");
      if (!db_cpu_cards_add (d->db, c, &admin, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct {
  DbAction action;
  int weight;
} Weighted;

static const Weighted operations[] = {
  { DB_ACTION_READ, 45 },      { DB_ACTION_ISSUE, 10 },      { DB_ACTION_ISSUE_FINISH, 10 },
  { DB_ACTION_REWRITE, 10 },   { DB_ACTION_REPORT_LOST, 5 }, { DB_ACTION_REPLACE, 4 },
  { DB_ACTION_CANCEL, 3 },     { DB_ACTION_CLEAR, 2 },       { DB_ACTION_WITHDRAW, 2 },
  { DB_ACTION_PIN_CHANGE, 2 }, { DB_ACTION_CARD_CHECK, 2 },  { DB_ACTION_EXPORT, 1 },
  { DB_ACTION_IMPORT, 1 },     { DB_ACTION_ISSUE_UNDO, 1 },  { DB_ACTION_BLACKLIST, 1 },
};

static DbAction
pick_operation (Demo *d)
{
  int n = g_rand_int_range (d->rand, 0, 100);

  for (gsize i = 0; i < G_N_ELEMENTS (operations); i++)
    if ((n -= operations[i].weight) < 0)
      return operations[i].action;
  return DB_ACTION_READ;
}

/* One audit row at the demo's clock; cards are subjects of card actions. */
static gboolean
log_row (Demo *d, const Operator *op, DbAction action, gint64 *written, GError **error)
{
  gboolean about_card = action != DB_ACTION_LOGIN && action != DB_ACTION_LOGOUT
                        && action != DB_ACTION_LOGIN_FAILED && action != DB_ACTION_EXPORT
                        && action != DB_ACTION_IMPORT;
  const DbCard *card = d->cards->pdata[g_rand_int_range (d->rand, 0, d->cards->len)];
  int roll = g_rand_int_range (d->rand, 0, 100);
  DbOutcome outcome = roll < 95   ? DB_OUTCOME_OK
                      : roll < 98 ? DB_OUTCOME_REFUSED
                                  : DB_OUTCOME_FAILED;
  g_autoptr (GDateTime) at = g_date_time_new_from_unix_utc (d->time);
  g_autofree char *detail = NULL;
  DbAuditEntry e = {
    .actor = { op->desk, op->serial, op->name, op->role },
    .action = action,
    .card_sn = about_card ? card->sn : NULL,
    .card_number = about_card ? card->card_number : NULL,
    .holder_id = about_card ? card->holder_id : NULL,
    .outcome = action == DB_ACTION_LOGOUT ? DB_OUTCOME_OK : outcome,
    .at = at,
  };

  if (e.outcome == DB_OUTCOME_FAILED)
    e.error_code = pick (d, failures, G_N_ELEMENTS (failures));
  else if (e.outcome == DB_OUTCOME_REFUSED)
    e.error_code = "REFUSED";
  if (action == DB_ACTION_EXPORT || action == DB_ACTION_IMPORT)
    e.detail = detail = g_strdup_printf ("%d rows", g_rand_int_range (d->rand, 10, 5000));
  d->time += g_rand_int_range (d->rand, 1, 60);
  (*written)++;
  return db_audit_append (d->db, &e, NULL, error);
}

static gboolean
seal (Demo *d, const Operator *op, gint64 *written, gint64 *unsealed, GError **error)
{
  DbActor actor = { op->desk, op->serial, op->name, op->role };
  g_autoptr (GDateTime) at = g_date_time_new_from_unix_utc (d->time);

  d->time += 1;
  (*written)++;
  *unsealed = 0;
  return db_audit_seal (d->db, &actor, cli_soft_sealer (), at, NULL, error);
}

/* Sessions: login, operations, logout and seal, until rows are written. */
static gboolean
add_audit_rows (Demo *d, gint64 rows, GError **error)
{
  gint64 written = 0, unsealed = 0, next_commit = GROUP;

  d->time = g_get_real_time () / G_USEC_PER_SEC - rows * 70;
  if (!db_database_begin (d->db, error))
    return FALSE;
  while (written < rows)
    {
      const Operator *op = &d->operators[g_rand_int_range (d->rand, 0, N_OPERATORS)];
      int ops = g_rand_int_range (d->rand, 5, 60);
      gint64 before = written;

      if (g_rand_int_range (d->rand, 0, 20) == 0
          && !log_row (d, op, DB_ACTION_LOGIN_FAILED, &written, error))
        return FALSE;
      if (!log_row (d, op, DB_ACTION_LOGIN, &written, error))
        return FALSE;
      for (int i = 0; i < ops && written < rows - 2; i++)
        {
          if (!log_row (d, op, pick_operation (d), &written, error))
            return FALSE;
          unsealed += 1;
          if (unsealed >= DB_AUDIT_SEAL_INTERVAL - 5 && !seal (d, op, &written, &unsealed, error))
            return FALSE;
        }
      if (!log_row (d, op, DB_ACTION_LOGOUT, &written, error)
          || !seal (d, op, &written, &unsealed, error))
        return FALSE;
      d->time += g_rand_int_range (d->rand, 60, 1800);
      if (written >= next_commit)
        {
          if (!db_database_commit (d->db, error) || !db_database_begin (d->db, error))
            return FALSE;
          next_commit += GROUP;
          if (written / 100000 != before / 100000)
            fprintf (stderr, "make-demo: %lld audit rows\n", (long long) written);
        }
    }
  return db_database_commit (d->db, error);
}

static void
make_operators (Demo *d)
{
  static const char *const roles[] = { "system-admin", "issuing-admin", "issuing-admin",
                                       "auditor" };

  for (int i = 0; i < N_OPERATORS; i++)
    {
      g_autofree char *name = chinese_name (d);
      Operator *op = &d->operators[i];

      g_snprintf (op->serial, sizeof op->serial, "86010000000000%02X", i + 1);
      g_strlcpy (op->name, name, sizeof op->name);
      op->role = roles[i % G_N_ELEMENTS (roles)];
      g_snprintf (op->desk, sizeof op->desk, "PZH-DESK-%02d", i % N_DESKS + 1);
    }
}

static gboolean
make_demo (Demo *d, gint64 holders, gint64 audit_rows, GError **error)
{
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  DbActor admin;

  make_operators (d);
  admin = (DbActor){ d->operators[0].desk, d->operators[0].serial, d->operators[0].name,
                     "system-admin" };
  if (!add_cpu_cards (d, error) || !db_database_begin (d->db, error))
    return FALSE;
  for (gint64 i = 0; i < holders; i++)
    {
      if (!add_holder_and_card (d, ids, i, error))
        return FALSE;
      if (i % GROUP == GROUP - 1
          && (!db_database_commit (d->db, error) || !db_database_begin (d->db, error)))
        return FALSE;
    }
  if (!db_database_commit (d->db, error))
    return FALSE;
  for (guint i = 0; i < MIN (5u, d->cards->len); i++)
    {
      const DbCard *c = d->cards->pdata[g_rand_int_range (d->rand, 0, d->cards->len)];

      if (!db_cards_set_status (d->db, c->sn, DB_CARD_LOST, NULL))
        continue;
      if (!db_blacklist_add (d->db, c->sn, "reported lost and stolen", &admin, error))
        return FALSE;
    }
  return add_audit_rows (d, audit_rows, error) && db_database_analyze (d->db, error);
}

int
cli_db_make_demo (int argc, char **argv)
{
  CliDbOptions db_options = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GPtrArray) cards = g_ptr_array_new_with_free_func ((GDestroyNotify) db_card_free);
  gint64 holders = 1000, audit_rows = 10000;
  gint seed = 1;
  Demo demo = { 0 };
  int status = CLI_EXIT_USAGE;
  GOptionEntry entries[] = {
    { "holders", 0, 0, G_OPTION_ARG_INT64, &holders,
      N_ ("Cardholders, each with an issued card (default 1000)"), N_ ("N") },
    { "audit-rows", 0, 0, G_OPTION_ARG_INT64, &audit_rows,
      N_ ("Audit rows, sealed as a desk seals them (default 10000)"), N_ ("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, N_ ("Seed of the generator (default 1)"), N_ ("N") },
    { NULL },
  };

  context = cli_db_context (NULL,
                            _ ("Creates a new training database filled with realistic demo "
                               "data: cardholders, cards, CPU cards and a sealed audit log. "
                               "Without --db it writes the training database."),
                            &db_options);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cli_parse (context, "db make-demo", 0, &argc, &argv))
    goto out;
  if (holders < 1 || audit_rows < 0)
    {
      fprintf (stderr, _ ("insucard-cli db make-demo: bad arguments. Run “insucard-cli db "
                          "make-demo --help”.\n"));
      goto out;
    }
  status = CLI_EXIT_FAILURE;
  path = ic_config_resolve_db_path (cli_get_config (), db_options.db_path, TRUE);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      fprintf (stderr,
               _ ("insucard-cli db make-demo: %s already exists; demo data goes into a "
                  "new file only.\n"),
               path);
      goto out;
    }
  demo.db = db_database_open (path, DB_MODE_TRAINING, DB_OPEN_CREATE, &error);
  if (demo.db == NULL)
    {
      cli_fail ("db make-demo", error);
      goto out;
    }
  demo.rand = g_rand_new_with_seed (seed);
  demo.cards = cards;
  if (!make_demo (&demo, holders, audit_rows, &error))
    cli_fail ("db make-demo", error);
  else
    {
      printf (_ ("Wrote %s: %lld cardholders and cards, %d CPU cards.\n"), path,
              (long long) holders, N_OPERATORS + 2);
      if (cli_print_sealed_length (stdout, demo.db, "db make-demo"))
        status = fflush (stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
    }
  g_rand_free (demo.rand);
  db_database_close (demo.db);

out:
  cli_db_options_clear (&db_options);
  return status;
}
