/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-log.c: insucard-cli log list / verify / export / seal.
 *
 * list, verify and export read the database without changing it (export
 * adds one audit row saying what left the desk).  With --card, verify and
 * seal use the operator card in R1 (wf-audit-seal.h); without it, seal
 * uses the software test key (cli-sealer.h) and therefore works on
 * training databases only.  docs/cli.md is the contract.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cli-db-common.h"
#include "cli-desk.h"
#include "cli-sealer.h"
#include "cli.h"
#include "db-export.h"
#include "db-verify.h"
#include "wf-audit-seal.h"

#define DEFAULT_LIMIT 50

static void
print_row (const DbAuditRow *r)
{
  g_autoptr (GString) subject = g_string_new (NULL);
  const char *parts[] = { r->card_number, r->card_sn, r->holder_id };

  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    if (*parts[i] != '\0')
      g_string_append_printf (subject, "%s%s", subject->len > 0 ? " " : "", parts[i]);
  printf ("%lld\t%s\t%s\t%s %s\t%s\t%s\t%s\t%s%s%s\t%s\n", (long long) r->seq, r->at,
          r->workstation, r->operator_name, r->operator_serial, r->role, r->action,
          subject->len > 0 ? subject->str : "-", r->outcome, *r->error_code != '\0' ? " " : "",
          r->error_code, r->detail);
}

int
cli_log_list (int argc, char **argv)
{
  CliDbOptions db_options = { 0 };
  CliFilterOptions filter_options = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) error = NULL;
  DbAuditFilter filter = { 0 };
  gint limit = DEFAULT_LIMIT;
  gint64 after = 0;
  gboolean newest = FALSE;
  int status = CLI_EXIT_USAGE;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_ ("Show at most N rows (1 to 10000, default 50)"),
      N_ ("N") },
    { "after", 0, 0, G_OPTION_ARG_INT64, &after,
      N_ ("Start after row ID (the last row of the previous page)"), N_ ("ID") },
    { "newest-first", 0, 0, G_OPTION_ARG_NONE, &newest, N_ ("Newest rows first"), NULL },
    { NULL },
  };

  context =
      cli_db_context (NULL, _ ("Lists audit rows in time order, a page at a time."), &db_options);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_filter_add_options (context, &filter_options);
  if (!cli_parse (context, "log list", 0, &argc, &argv)
      || !cli_filter_build (&filter_options, "log list", &filter))
    goto out;
  if (limit < 1 || limit > 10000 || after < 0)
    {
      fprintf (stderr, _ ("insucard-cli log list: bad arguments. Run “insucard-cli log list "
                          "--help”.\n"));
      goto out;
    }
  status = CLI_EXIT_FAILURE;
  db = cli_db_open (&db_options, "log list", DB_OPEN_READ_ONLY);
  if (db == NULL)
    goto out;
  rows = db_audit_query (db, &filter, newest ? DB_ORDER_NEWEST_FIRST : DB_ORDER_OLDEST_FIRST, after,
                         limit, &error);
  if (rows == NULL)
    {
      cli_fail ("log list", error);
      goto out;
    }
  printf ("%s\n", _ ("ROW\tTIME (UTC)\tWORKSTATION\tOPERATOR\tROLE\tACTION\tSUBJECT\tOUTCOME\t"
                     "DETAIL"));
  for (guint i = 0; i < rows->len; i++)
    print_row (rows->pdata[i]);
  if (rows->len == (guint) limit)
    printf (_ ("-- more rows: add --after %lld\n"),
            (long long) ((DbAuditRow *) rows->pdata[rows->len - 1])->seq);
  if (cli_print_sealed_length (stdout, db, "log list"))
    status = fflush (stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;

out:
  cli_filter_clear (&filter);
  cli_filter_options_clear (&filter_options);
  cli_db_options_clear (&db_options);
  return status;
}

static void
print_verify_report (DbDatabase *db, const DbVerifyReport *r, gboolean checked_seals)
{
  printf (_ ("Database: %s (%s)\n"), db_database_get_path (db),
          db_database_get_mode (db) == DB_MODE_ANY ? _ ("mode not recorded")
                                                   : db_mode_to_string (db_database_get_mode (db)));
  printf (_ ("Rows checked: %lld (last row %lld)\n"), (long long) r->rows, (long long) r->last_seq);
  printf (_ ("Seals: %lld, of which %lld checked and genuine\n"), (long long) r->seals,
          (long long) r->seals_genuine);
  if (checked_seals && r->seals_unchecked > 0)
    printf (_ ("%lld seals were made with another key (an operator card) and could not be "
               "checked here.\n"),
            (long long) r->seals_unchecked);
  if (!checked_seals && r->seals > 0)
    printf (_ ("The seals were not checked: checking the seals of a production database needs "
               "an auditor's or system administrator's card in R1 (--card). The chain and the "
               "sealed heads were checked.\n"));
  if (r->proven_seq > 0)
    printf (_ ("Proven: rows 1 to %lld are intact and under a genuine seal.\n"),
            (long long) r->proven_seq);
  if (r->unsealed > 0)
    printf (_ ("Not yet sealed: %lld rows after row %lld; they are chained but not proven.\n"),
            (long long) r->unsealed, (long long) r->last_seal_seq);
}

/* The card options of verify and seal: --card and the desk's. */
typedef struct {
  gboolean card;
  CliDeskOptions desk;
} CardOptions;

static void
add_card_options (GOptionContext *context, CardOptions *o)
{
  GOptionEntry entries[] = {
    { "card", 0, 0, G_OPTION_ARG_NONE, &o->card,
      N_ ("Use the operator card in R1 and its PIN (the reader and secrets options below "
          "apply)"),
      NULL },
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_desk_add_options (context, &o->desk, CLI_DESK_NO_DB);
}

/* The desk for a --card task, over the database the command works on
 * (its login and verdict rows go there too). */
static WfDesk *
open_card_desk (CardOptions *o, const char *db_path, const char *command,
                CliInteraction **interaction, int *status)
{
  g_free (o->desk.db_path);
  o->desk.db_path = g_strdup (db_path);
  return cli_desk_open (&o->desk, command, interaction, status);
}

/* Runs wf_log_verify() with the card; FALSE when it could not (printed). */
static gboolean
verify_with_card (CardOptions *o, const char *db_path, DbVerifyReport *report)
{
  g_autoptr (WfDesk) desk = NULL;
  g_autoptr (CliInteraction) interaction = NULL;
  g_autoptr (GError) error = NULL;
  CliRun run;
  gboolean ok;
  int status;

  desk = open_card_desk (o, db_path, "log verify", &interaction, &status);
  if (desk == NULL)
    return FALSE;
  cli_run_init (&run);
  wf_log_verify_async (desk, WF_INTERACTION (interaction), db_path, run.cancellable, cli_run_done,
                       &run);
  ok = wf_log_verify_finish (desk, cli_run_wait (&run), report, &error);
  cli_run_clear (&run);
  if (!ok)
    cli_report_error ("log verify", error);
  return ok;
}

int
cli_log_verify (int argc, char **argv)
{
  CliDbOptions db_options = { 0 };
  CardOptions card_options = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *tamper = NULL;
  g_autofree char *seal = NULL;
  const DbSealer *verifier = NULL;
  DbVerifyReport report;
  gboolean foreign;
  int status = CLI_EXIT_USAGE;

  context = cli_db_context (NULL,
                            _ ("Walks the whole audit log: its hash chain, its seals and its "
                               "append-only guards. Exit status 1 names the first bad row. With "
                               "--card, an auditor's or system administrator's card in R1 checks "
                               "every seal."),
                            &db_options);
  add_card_options (context, &card_options);
  if (!cli_parse (context, "log verify", 0, &argc, &argv))
    goto out;
  status = CLI_EXIT_FAILURE;
  db = cli_db_open (&db_options, "log verify", DB_OPEN_READ_ONLY);
  if (db == NULL)
    goto out;
  if (card_options.card)
    {
      if (!verify_with_card (&card_options, db_database_get_path (db), &report))
        goto out;
    }
  else
    {
      /* The test key proves nothing on a real desk: a forger could use it. */
      if (db_database_get_mode (db) == DB_MODE_TRAINING)
        verifier = cli_soft_sealer ();
      if (!db_audit_verify (db, verifier, &report, &error))
        {
          cli_fail ("log verify", error);
          goto out;
        }
    }
  print_verify_report (db, &report, card_options.card || verifier != NULL);
  if (!cli_print_sealed_length (stdout, db, "log verify"))
    goto out;
  tamper = db_verify_report_describe_tamper (&report);
  seal = db_verify_report_describe_seal_problem (&report);
  if (tamper != NULL)
    fprintf (stderr, _ ("insucard-cli log verify: the log was tampered with. %s\n"), tamper);
  if (seal != NULL)
    fprintf (stderr, _ ("insucard-cli log verify: a seal is wrong. %s\n"), seal);
  if (report.guards_missing)
    fprintf (stderr, _ ("insucard-cli log verify: the log's append-only guards were removed: "
                        "someone changed the database outside insucard.\n"));
  /* On a real desk every seal is a card's: another one is a forgery. */
  foreign = card_options.card && db_database_get_mode (db) != DB_MODE_TRAINING
            && report.seals_unchecked > 0;
  if (foreign)
    fprintf (stderr,
             _ ("insucard-cli log verify: %lld seals were not made by an operator card of this "
                "system: the log cannot be trusted. Keep the file and call the auditor.\n"),
             (long long) report.seals_unchecked);
  if (tamper == NULL && seal == NULL && !report.guards_missing && !foreign)
    {
      printf (_ ("The log is intact.\n"));
      status = fflush (stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
    }

out:
  cli_desk_options_clear (&card_options.desk);
  cli_db_options_clear (&db_options);
  return status;
}

int
cli_log_export (int argc, char **argv)
{
  CliDbOptions db_options = { 0 };
  CliFilterOptions filter_options = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *detail = NULL;
  DbAuditFilter filter = { 0 };
  gboolean bom = FALSE;
  gint64 rows = 0;
  int status = CLI_EXIT_USAGE;
  GOptionEntry entries[] = {
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &csv,
      N_ ("Write the rows to FILE as CSV (UTF-8, RFC 4180); FILE is replaced"), N_ ("FILE") },
    { "bom", 0, 0, G_OPTION_ARG_NONE, &bom,
      N_ ("Start the file with a byte order mark, for spreadsheet programs"), NULL },
    { NULL },
  };

  context =
      cli_db_context (NULL, _ ("Exports the audit rows that match the filters."), &db_options);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_filter_add_options (context, &filter_options);
  if (!cli_parse (context, "log export", 0, &argc, &argv)
      || !cli_filter_build (&filter_options, "log export", &filter))
    goto out;
  if (csv == NULL)
    {
      fprintf (stderr, _ ("insucard-cli log export: give the file with --csv FILE. Run "
                          "“insucard-cli log export --help”.\n"));
      goto out;
    }
  status = CLI_EXIT_FAILURE;
  db = cli_db_open (&db_options, "log export", DB_OPEN_DEFAULT | CLI_OPEN_OR_READ_ONLY);
  if (db == NULL)
    goto out;
  if (!db_audit_export_csv (db, &filter, csv, bom ? DB_CSV_BOM : DB_CSV_DEFAULT, &rows, &error))
    {
      cli_fail ("log export", error);
      goto out;
    }
  detail = g_strdup_printf ("%lld rows to %s", (long long) rows, csv);
  cli_log_action (db, "log export", DB_ACTION_EXPORT, DB_OUTCOME_OK, detail);
  printf (_ ("Exported %lld rows to %s.\n"), (long long) rows, csv);
  if (cli_print_sealed_length (stdout, db, "log export"))
    status = fflush (stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;

out:
  cli_filter_clear (&filter);
  cli_filter_options_clear (&filter_options);
  cli_db_options_clear (&db_options);
  return status;
}

/* Seals with the card; FALSE when it could not (printed). */
static gboolean
seal_with_card (CardOptions *o, const char *db_path, gint64 *seq)
{
  g_autoptr (WfDesk) desk = NULL;
  g_autoptr (CliInteraction) interaction = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  desk = open_card_desk (o, db_path, "log seal", &interaction, &status);
  if (desk == NULL)
    return FALSE;
  if (!wf_log_seal (desk, WF_INTERACTION (interaction), seq, NULL, &error))
    {
      cli_report_error ("log seal", error);
      return FALSE;
    }
  return TRUE;
}

int
cli_log_seal (int argc, char **argv)
{
  CliDbOptions db_options = { 0 };
  CardOptions card_options = { 0 };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (GError) error = NULL;
  DbActor actor = cli_actor ();
  gint64 seq = 0;
  int status = CLI_EXIT_USAGE;

  context = cli_db_context (
      NULL,
      _ ("Seals the audit log now with the operator card in R1 (--card). Without --card it uses "
         "a software test key whose seals prove nothing, so it works on training databases "
         "only."),
      &db_options);
  add_card_options (context, &card_options);
  if (!cli_parse (context, "log seal", 0, &argc, &argv))
    goto out;
  status = CLI_EXIT_FAILURE;
  db = cli_db_open (&db_options, "log seal", DB_OPEN_DEFAULT);
  if (db == NULL)
    goto out;
  if (card_options.card)
    {
      if (!seal_with_card (&card_options, db_database_get_path (db), &seq))
        goto out;
      printf (_ ("Sealed rows 1 to %lld with the operator card.\n"), (long long) seq);
    }
  else
    {
      if (db_database_get_mode (db) != DB_MODE_TRAINING)
        {
          fprintf (stderr,
                   _ ("insucard-cli log seal: %s is not a training database. Seal its log with "
                      "an operator card in R1 (--card); the software test key is for training "
                      "only.\n"),
                   db_database_get_path (db));
          goto out;
        }
      if (!db_audit_seal (db, &actor, cli_soft_sealer (), NULL, &seq, &error))
        {
          cli_fail ("log seal", error);
          goto out;
        }
      printf (_ ("Sealed rows 1 to %lld with the software test key (training only).\n"),
              (long long) seq);
    }
  if (cli_print_sealed_length (stdout, db, "log seal"))
    status = fflush (stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;

out:
  cli_desk_options_clear (&card_options.desk);
  cli_db_options_clear (&db_options);
  return status;
}
