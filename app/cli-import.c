/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-import.c: insucard-cli import (batch issuance from a CSV file) and
 * journal list|finish|undo (interrupted issuances). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cli-db-common.h"
#include "cli-desk.h"
#include "cli.h"
#include "wf-batch.h"
#include "wf-insurance.h"

static int
finish (CliDeskCommand *c, const GError *error)
{
  int status = cli_desk_command_finish (c, error);

  cli_desk_command_clear (c);
  return status;
}

int
cli_import (int argc, char **argv)
{
  CliDeskCommand c = { 0 };
  g_autofree char *report = NULL;
  g_autofree char *signoff = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (WfImport) imp = NULL;
  gboolean check_only = FALSE;
  gint64 resume = 0;
  WfBatchSummary summary = { 0 };
  const char *path = NULL;
  int status;
  GOptionEntry entries[] = {
    { "check-only", 0, 0, G_OPTION_ARG_NONE, &check_only,
      N_ ("Check every row and report the bad ones; issue nothing"), NULL },
    { "resume", 0, 0, G_OPTION_ARG_INT64, &resume,
      N_ ("Go on with batch N where it stopped (no FILE then)"), N_ ("N") },
    { "report", 0, 0, G_OPTION_ARG_FILENAME, &report,
      N_ ("Write every row's outcome as CSV to FILE at the end"), N_ ("FILE") },
    { "signoff", 0, 0, G_OPTION_ARG_FILENAME, &signoff,
      N_ ("Write the batch's sign-off list (PDF) to FILE at the end"), N_ ("FILE") },
    { NULL },
  };

  cli_desk_command_init (&c, "import",
                         _ ("Issues a card to every holder of an import file (docs/import.md), one "
                            "blank after the other in R2. Every row is checked first; bad rows are "
                            "listed with their line and nothing is issued for them. Secrets: "
                            "operator-pin."));
  g_option_context_add_main_entries (c.context, entries, GETTEXT_PACKAGE);
  if (!cli_parse (c.context, c.name, 1, &argc, &argv) || (argc == 2) == (resume > 0)
      || (check_only && resume > 0))
    {
      fprintf (stderr, _ ("insucard-cli import: give FILE.csv, or --resume N without a file. Run "
                          "“insucard-cli import --help”.\n"));
      cli_desk_command_clear (&c);
      return CLI_EXIT_USAGE;
    }
  path = argc == 2 ? argv[1] : NULL;
  c.desk = cli_desk_open (&c.options, c.name, &c.interaction, &status);
  if (c.desk == NULL || !cli_desk_command_login (&c, &status))
    {
      finish (&c, NULL);
      return status;
    }
  if (path != NULL)
    {
      imp = wf_batch_check (c.desk, WF_INTERACTION (c.interaction), path, &error);
      if (imp == NULL)
        return finish (&c, error);
      if (wf_import_get_n_problems (imp) > 0)
        {
          g_autofree char *problems = wf_import_format_problems (imp);

          fprintf (stderr, "%s", problems);
        }
      printf ("encoding=%s\trows=%u\tbad=%u\n",
              wf_import_encoding_to_string (wf_import_get_encoding (imp)),
              wf_import_get_n_rows (imp), wf_import_get_n_problems (imp));
      if (check_only)
        {
          status = finish (&c, NULL);
          return status == CLI_EXIT_OK && !wf_import_ok (imp) ? CLI_EXIT_USAGE : status;
        }
    }
  if (!wf_batch_issue (c.desk, WF_INTERACTION (c.interaction), path, resume, &summary,
                       c.run.cancellable, &error)
      && summary.batch_id > 0)
    fprintf (stderr,
             _ ("The batch stopped; go on later with “insucard-cli import --resume %lld”.\n"),
             (long long) summary.batch_id);
  if (summary.batch_id > 0)
    {
      g_autoptr (GError) output_error = NULL;

      printf ("batch=%lld\trows=%u\tissued=%u\tbad=%u\tpending=%u\n", (long long) summary.batch_id,
              summary.rows, summary.issued, summary.bad, summary.pending);
      /* Also when the batch stopped: the report says which rows are left. */
      if ((report != NULL
           && !wf_batch_write_report (c.desk, summary.batch_id, report, &output_error))
          || (signoff != NULL && summary.issued > 0
              && !wf_batch_write_signoff (c.desk, WF_INTERACTION (c.interaction), summary.batch_id,
                                          signoff, &output_error)))
        {
          if (error == NULL)
            error = g_steal_pointer (&output_error);
          else
            cli_report_error (c.name, output_error);
        }
    }
  return finish (&c, error);
}

int
cli_journal (int argc, char **argv)
{
  CliDeskCommand c = { 0 };
  g_autoptr (GError) error = NULL;
  const char *verb;
  gint64 id = 0;
  int status;

  cli_desk_command_init (&c, "journal",
                         _ ("list: the issuances that were interrupted at this workstation. finish "
                            "ID: completes one, its card back in R2. undo ID: clears its card back "
                            "to an issuable blank. Secrets: operator-pin."));
  g_option_context_set_summary (c.context, NULL);
  g_option_context_set_description (
      c.context, _ ("list: the issuances that were interrupted at this workstation. finish ID: "
                    "completes one, its card back in R2. undo ID: clears its card back to an "
                    "issuable blank. Secrets: operator-pin."));
  if (!cli_parse (c.context, c.name, 2, &argc, &argv) || argc < 2
      || !((strcmp (argv[1], "list") == 0 && argc == 2)
           || ((strcmp (argv[1], "finish") == 0 || strcmp (argv[1], "undo") == 0) && argc == 3
               && (id = g_ascii_strtoll (argv[2], NULL, 10)) > 0)))
    {
      fprintf (stderr, _ ("Usage: insucard-cli journal list | finish ID | undo ID\n"));
      cli_desk_command_clear (&c);
      return CLI_EXIT_USAGE;
    }
  verb = argv[1];
  c.desk = cli_desk_open (&c.options, c.name, &c.interaction, &status);
  if (c.desk == NULL)
    {
      finish (&c, NULL);
      return status;
    }
  if (strcmp (verb, "list") == 0)
    {
      g_autoptr (GPtrArray) open = wf_journal_list (c.desk, &error);

      for (guint i = 0; open != NULL && i < open->len; i++)
        {
          const DbIssuance *j = open->pdata[i];

          printf ("id=%lld\tstate=%s\tstep=%s\tcard_number=%s\tsn=%s\tholder_id=%s\tstarted=%s\n",
                  (long long) j->id, db_issuance_state_to_string (j->state), j->step,
                  j->card_number, j->sn, j->holder_id, j->started_at);
        }
      return finish (&c, error);
    }
  if (!cli_desk_command_login (&c, &status))
    {
      finish (&c, NULL);
      return status;
    }
  if (strcmp (verb, "finish") == 0)
    {
      g_autoptr (WfIssued) issued =
          wf_journal_finish (c.desk, WF_INTERACTION (c.interaction), id, c.run.cancellable, &error);

      if (issued != NULL)
        printf ("card_number=%s\tsn=%s\tholder_id=%s\n", issued->card_number, issued->sn,
                issued->holder_id);
    }
  else if (wf_journal_undo (c.desk, WF_INTERACTION (c.interaction), id, c.run.cancellable, &error))
    fprintf (stderr, _ ("Undone: the card is blank again and may be issued.\n"));
  return finish (&c, error);
}
