/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-log-report.c: what an auditor takes away: the filtered rows as CSV,
 * the report of a period as PDF read back with pdftotext and pdfinfo
 * (totals per action and per operator as the test counts them, the chain
 * head and the last seal on every page), each leaving an export row; the
 * chain checked without a card; issuing in numbers; and none of it for an
 * issuing administrator. */
#include "config.h"

#include <string.h>

#include "db-cpu-card.h"
#include "wf-audit-seal.h"
#include "wf-audit-util.h"
#include "wf-error.h"
#include "wf-issuance-report.h"
#include "wf-log-report.h"
#include "wf-system-util.h"

#define N_FILL 3000 /* one minute apart: 1 June 00:00 to 3 June 02:00 (UTC) */

typedef struct {
  WfFixture wf;
  System sys;
  const char *auditor;
  WfSession *session;
} Fx;

static void
setup (Fx *fx, gconstpointer data)
{
  tu_wf_setup (&fx->wf, data);
  make_system (&fx->wf, &fx->sys);
  fx->auditor = make_auditor (&fx->wf, &fx->sys);
  fill_log (&fx->wf, N_FILL);
}

static void
teardown (Fx *fx, gconstpointer data)
{
  g_clear_object (&fx->session);
  tu_wf_teardown (&fx->wf, data);
}

static char *
run (const char *tool, const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gboolean text = strcmp (tool, "pdftotext") == 0;
  const char *argv[] = { tool, text ? "-layout" : path, text ? path : NULL, "-", NULL };
  g_autofree char *prog = g_find_program_in_path (tool);
  int status = 0;

  if (prog == NULL)
    g_error ("%s is missing: install poppler-utils (tools/bootstrap)", tool);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s %s: %s", tool, err, error->message);
  return g_steal_pointer (&out);
}

/* Runs of spaces as one: table cells stay apart, widths do not matter. */
static char *
one_space (const char *s)
{
  GString *out = g_string_new (NULL);

  for (; *s; s++)
    if (*s != ' ' || (out->len > 0 && out->str[out->len - 1] != ' '))
      g_string_append_c (out, *s);
  return g_string_free (out, FALSE);
}

static guint
count_of (const char *haystack, const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* The newest export row's detail, or NULL. */
static char *
last_export (Fx *fx, DbOutcome outcome)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = wf_desk_open_db (fx->wf.desk, &error);
  DbAuditFilter f = { .action = DB_ACTION_EXPORT, .outcome = outcome };
  g_autoptr (GPtrArray) rows = db_audit_query (db, &f, DB_ORDER_NEWEST_FIRST, 0, 1, &error);

  g_assert_no_error (error);
  return rows->len > 0 ? g_strdup (((DbAuditRow *) rows->pdata[0])->detail) : NULL;
}

static void
test_export_csv (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = g_build_filename (fx->wf.sim.dir, "desk-a.csv", NULL);
  g_autofree char *csv = NULL;
  g_autofree char *detail = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (WfSession) issuer = NULL;
  DbAuditFilter f = { .workstation = "DESK-A", .through_seq = 2000 };
  gint64 rows = 0, want = 0;

  /* Nobody logged in; then an issuing administrator. */
  g_assert_false (wf_log_export (fx->wf.desk, WF_INTERACTION (fx->wf.ia), &f, path, FALSE, &rows,
                                 NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN);
  g_clear_error (&error);
  issuer = log_in_with (&fx->wf, fx->sys.ac);
  g_assert_false (wf_log_export (fx->wf.desk, WF_INTERACTION (fx->wf.ia), &f, path, FALSE, &rows,
                                 NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_ROLE);
  g_clear_error (&error);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  detail = last_export (fx, DB_OUTCOME_REFUSED);
  g_assert_nonnull (detail);
  g_clear_pointer (&detail, g_free);
  g_assert_true (wf_logout (fx->wf.desk, WF_INTERACTION (fx->wf.ia), NULL, NULL));

  fx->session = log_in_with (&fx->wf, fx->auditor);
  wf_log_export (fx->wf.desk, WF_INTERACTION (fx->wf.ia), &f, path, TRUE, &rows, NULL, &error);
  g_assert_no_error (error);
  /* The ceremonies' rows come first (seq 1..); fill_log's i is seq - first. */
  {
    g_autoptr (GPtrArray) all = all_rows (&fx->wf, &f, DB_ORDER_OLDEST_FIRST);

    want = all->len;
  }
  g_assert_cmpint (rows, ==, want);
  g_assert_cmpint (rows, >, 400);
  g_assert_true (g_file_get_contents (path, &csv, NULL, &error));
  g_assert_true (g_str_has_prefix (csv, "\xEF\xBB\xBFseq,at,workstation,"));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, rows + 2);
  for (guint i = 1; i <= rows; i++)
    g_assert_nonnull (strstr (lines[i], ",DESK-A,"));
  detail = last_export (fx, DB_OUTCOME_OK);
  g_assert_nonnull (strstr (detail, path));
  g_assert_nonnull (strstr (detail, "CSV"));
}

static void
test_pdf_report (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) since = g_date_time_new_utc (2026, 6, 1, 0, 0, 0);
  g_autoptr (GDateTime) until = g_date_time_new_utc (2026, 6, 2, 0, 0, 0);
  g_autofree char *path = g_build_filename (fx->wf.sim.dir, "report.pdf", NULL);
  g_autofree char *raw = NULL;
  g_autofree char *text = NULL;
  g_autofree char *info = NULL;
  g_autofree char *line = NULL;
  g_autofree char *detail = NULL;
  g_autoptr (WfLogReport) report = NULL;
  DbAuditFilter f = { .since = since, .until = until };
  gint64 issue = 0, read = 0, ok = 0, refused = 0, failed = 0, wang = 0;
  guint pages;

  fx->session = log_in_with (&fx->wf, fx->auditor);
  report = wf_log_report_new (fx->wf.desk, WF_INTERACTION (fx->wf.ia), &f, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wf_log_report_get_rows (report), ==, 1440);
  g_assert_true (wf_log_report_write_pdf (fx->wf.desk, WF_INTERACTION (fx->wf.ia), report, path,
                                          NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (path, G_FILE_TEST_IS_DIR));

  /* What the test counts of 1 June's rows (fill_log's first 1440). */
  for (int i = 0; i < 1440; i++)
    {
      issue += FILL_ACTION (i) == DB_ACTION_ISSUE;
      read += FILL_ACTION (i) == DB_ACTION_READ;
      ok += FILL_OUTCOME (i) == DB_OUTCOME_OK;
      refused += FILL_OUTCOME (i) == DB_OUTCOME_REFUSED;
      failed += FILL_OUTCOME (i) == DB_OUTCOME_FAILED;
      wang += i % 2 == 1;
    }
  raw = run ("pdftotext", path);
  text = one_space (raw);
  g_test_message ("%s", text);
  g_assert_nonnull (strstr (text, "Audit log report"));
  g_assert_nonnull (strstr (text, "From 2026-06-01 to 2026-06-01"));
  line = g_strdup_printf ("1440 rows: %lld ok, %lld refused, %lld failed.", (long long) ok,
                          (long long) refused, (long long) failed);
  g_assert_nonnull (strstr (text, line));
  g_clear_pointer (&line, g_free);
  /* Per action: the label, rows, then ok / refused / failed. */
  line = g_strdup_printf ("Read a card %lld ", (long long) read);
  g_assert_nonnull (strstr (text, line));
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("Start issuing a card %lld ", (long long) issue);
  g_assert_nonnull (strstr (text, line));
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("Total 1440 %lld %lld %lld", (long long) ok, (long long) refused,
                          (long long) failed);
  g_assert_cmpuint (count_of (text, line), ==, 2);
  g_clear_pointer (&line, g_free);
  /* Per operator: name, card, rows. */
  line = g_strdup_printf ("王芳 8600000000000011 %lld ", (long long) wang);
  g_assert_nonnull (strstr (text, line));
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("赵六 8600000000000012 %lld ", (long long) (1440 - wang));
  g_assert_nonnull (strstr (text, line));
  /* The refused and failed rows, and on every page the head and the seal. */
  g_assert_nonnull (strstr (text, "Refused and failed"));
  g_assert_nonnull (strstr (text, "card-removed"));
  info = run ("pdfinfo", path);
  pages = (guint) g_ascii_strtoull (
      strstr (info, "Pages:") + 6 + strspn (strstr (info, "Pages:") + 6, " "), NULL, 10);
  g_assert_cmpuint (pages, >, 2);
  g_assert_cmpuint (count_of (text, "Chain head: row "), ==, pages);
  g_assert_cmpuint (count_of (text, "Last seal: "), ==, pages);
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("Page %u of %u", pages, pages);
  g_assert_nonnull (strstr (text, line));
  detail = last_export (fx, DB_OUTCOME_OK);
  g_assert_nonnull (strstr (detail, path));
  g_assert_nonnull (strstr (detail, "audit report of 1440 rows"));

  /* Printed: the export row names the printer. */
  g_assert_true (wf_log_report_note_printed (fx->wf.desk, WF_INTERACTION (fx->wf.ia), report,
                                             "Office printer", NULL, &error));
  g_clear_pointer (&detail, g_free);
  detail = last_export (fx, DB_OUTCOME_OK);
  g_assert_nonnull (strstr (detail, "printed on Office printer"));
}

/* The head printed is the newest row of the log and its hash. */
static void
test_chain_head (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (WfLogReport) report = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autofree char *path = g_build_filename (fx->wf.sim.dir, "all.pdf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *want = NULL;
  guint8 hash[DB_AUDIT_HASH_LEN];
  GString *hex = g_string_new (NULL);
  gint64 seq = 0;

  fx->session = log_in_with (&fx->wf, fx->auditor);
  db = wf_desk_open_db (fx->wf.desk, &error);
  g_assert_true (db_audit_get_head (db, &seq, hash, &error));
  for (int i = 0; i < DB_AUDIT_HASH_LEN; i++)
    g_string_append_printf (hex, "%02x", hash[i]);
  report = wf_log_report_new (fx->wf.desk, WF_INTERACTION (fx->wf.ia),
                              &(DbAuditFilter){ .outcome = DB_OUTCOME_FAILED }, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wf_log_report_write_pdf (fx->wf.desk, WF_INTERACTION (fx->wf.ia), report, path,
                                          NULL, &error));
  text = run ("pdftotext", path);
  want = g_strdup_printf ("Chain head: row %lld, SHA-256 %s", (long long) seq, hex->str);
  g_assert_nonnull (strstr (text, want));
  g_assert_nonnull (strstr (text, "Only rows with outcome failed."));
  g_string_free (hex, TRUE);
}

static void
test_verify_chain (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  DbVerifyReport r;

  /* A logout seals the log with the card. */
  fx->session = log_in_with (&fx->wf, fx->auditor);
  g_assert_true (wf_logout (fx->wf.desk, WF_INTERACTION (fx->wf.ia), NULL, &error));
  g_assert_true (wf_log_verify_chain (fx->wf.desk, &r, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (db_verify_report_is_intact (&r));
  g_assert_cmpint (r.seals, >, 0);
  g_assert_cmpint (r.seals_unchecked, ==, r.seals);
  g_assert_cmpint (r.seals_genuine, ==, 0);
  g_assert_cmpint (r.proven_seq, ==, 0);
}

static void
add_card (DbDatabase *db, int n, const char *holder, const char *date, const DbActor *actor)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbCard) c = db_card_new ();

  c->sn = g_strdup_printf ("80000000000000%02d", n);
  c->card_number = g_strdup_printf ("51000000%02d", n);
  c->holder_id = g_strdup (holder);
  c->region_code = g_strdup ("510402");
  c->card_type = g_strdup ("1");
  c->issue_date = g_strdup (date);
  c->valid_until = g_strdup ("2036-12-31");
  g_assert_true (db_cards_insert_issued (db, c, actor, &error));
  g_assert_no_error (error);
}

static void
test_issuance_report (Fx *fx, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (DbDatabase) db = wf_desk_open_db (fx->wf.desk, &error);
  g_autoptr (DbHolder) h = db_holder_new ();
  g_autoptr (WfIssuanceReport) r = NULL;
  g_autoptr (WfSession) issuer = NULL;
  g_autoptr (GDateTime) since = g_date_time_new_local (2026, 6, 1, 0, 0, 0);
  g_autoptr (GDateTime) until = g_date_time_new_local (2026, 6, 3, 0, 0, 0);
  DbActor at_desk = { .workstation = "DESK-01",
                      .operator_serial = serial_of (&fx->wf, fx->sys.ac),
                      .operator_name = "张三" };
  DbCpuCard *kc;

  h->id_number = g_strdup ("510402198503172316");
  h->name = g_strdup ("王五");
  h->sex = g_strdup ("1");
  h->birth_date = g_strdup ("1985-03-17");
  h->insurance_category = g_strdup ("employee");
  h->region_code = g_strdup ("510402");
  g_assert_true (db_holders_save (db, h, &error));
  add_card (db, 1, h->id_number, "2026-06-01", &at_desk);
  add_card (db, 2, h->id_number, "2026-06-02", &at_desk);
  add_card (db, 3, h->id_number, "2026-06-02", &at_desk);
  add_card (db, 4, h->id_number, "2026-06-05", &at_desk);
  g_assert_true (db_cards_set_status (db, "8000000000000002", DB_CARD_LOST, &error));

  issuer = log_in_with (&fx->wf, fx->sys.ac);
  g_assert_null (
      wf_issuance_report (fx->wf.desk, WF_INTERACTION (fx->wf.ia), since, until, NULL, &error));
  g_assert_error (error, WF_ERROR, WF_ERROR_ROLE);
  g_clear_error (&error);
  g_assert_true (wf_logout (fx->wf.desk, WF_INTERACTION (fx->wf.ia), NULL, NULL));

  fx->session = log_in_with (&fx->wf, fx->auditor);
  r = wf_issuance_report (fx->wf.desk, WF_INTERACTION (fx->wf.ia), since, until, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (r->issued, ==, 3);
  g_assert_cmpuint (r->per_day->len, ==, 2);
  g_assert_cmpint (((DbIssuedCount *) r->per_day->pdata[1])->cards, ==, 2);
  g_assert_cmpuint (r->per_operator->len, ==, 1);
  g_assert_cmpstr (((DbIssuedCount *) r->per_operator->pdata[0])->name, ==, "张三");
  /* The issuing administrator's card was made with office 510400. */
  g_assert_cmpuint (r->per_office->len, ==, 1);
  g_assert_cmpstr (((DbIssuedCount *) r->per_office->pdata[0])->key, ==, "510400");
  /* The lost card: lost today, outside June's first days. */
  g_assert_cmpuint (r->lost_replaced->len, ==, 0);
  g_clear_pointer (&r, wf_issuance_report_free);
  r = wf_issuance_report (fx->wf.desk, WF_INTERACTION (fx->wf.ia), NULL, NULL, NULL, &error);
  g_assert_cmpint (r->issued, ==, 4);
  g_assert_cmpuint (r->lost_replaced->len, ==, 1);
  g_assert_cmpstr (((DbCardChange *) r->lost_replaced->pdata[0])->holder_name, ==, "王五");
  /* The key card of make_system(): quota 500, none used. */
  g_assert_cmpuint (r->key_cards->len, ==, 1);
  kc = r->key_cards->pdata[0];
  g_assert_cmpstr (kc->serial, ==, serial_of (&fx->wf, fx->sys.kc));
  g_assert_cmpint (kc->quota, ==, 500);
  g_assert_cmpint (kc->issued_count, ==, 0);
}

int
main (int argc, char **argv)
{
  /* Dates on the report are local: make local UTC, as the rows are. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fx, NULL, setup, fn, teardown)
  ADD ("/log-report/export-csv", test_export_csv);
  ADD ("/log-report/pdf", test_pdf_report);
  ADD ("/log-report/chain-head", test_chain_head);
  ADD ("/log-report/verify-chain", test_verify_chain);
  ADD ("/log-report/issuance", test_issuance_report);
#undef ADD
  return g_test_run ();
}
