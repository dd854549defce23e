/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-icard.c: insucard-cli issue, read, rewrite, clear, cancel,
 * report-lost, replace, history, journal and receipt: the issuing clerk's
 * tasks on insurance cards (wf-insurance.h).
 *
 * Every command logs in with the operator card in R1 first (its PIN as
 * operator-pin) and out at the end, which seals the log.  Results go to
 * stdout as tab-separated name=value lines (docs/cli.md); the PSC is never
 * printed. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cli-db-common.h"
#include "cli-desk.h"
#include "cli.h"
#include "db-query.h"
#include "wf-error.h"
#include "wf-import.h"
#include "wf-insurance.h"

/* The holder of --holder FILE|-: the import format, one row. */
static gboolean
read_holder (const char *command, const char *source, WfIcardHolder *holder, int *status)
{
  g_autoptr (WfImport) imp = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  *status = CLI_EXIT_USAGE;
  if (source == NULL)
    {
      fprintf (stderr, _ ("insucard-cli %s: --holder FILE is needed (“-” for standard input).\n"),
               command);
      return FALSE;
    }
  if (strcmp (source, "-") == 0)
    {
      GIOChannel *in = g_io_channel_unix_new (0);

      g_io_channel_set_encoding (in, NULL, NULL);
      if (g_io_channel_read_to_end (in, &data, &len, &error) != G_IO_STATUS_NORMAL)
        g_clear_pointer (&data, g_free);
      g_io_channel_unref (in);
    }
  else
    g_file_get_contents (source, &data, &len, &error);
  if (data == NULL)
    {
      fprintf (stderr, "insucard-cli %s: %s\n", command, error->message);
      *status = CLI_EXIT_FAILURE;
      return FALSE;
    }
  imp = wf_import_parse (data, len);
  if (wf_import_get_n_problems (imp) > 0 || wf_import_get_n_rows (imp) != 1)
    {
      g_autofree char *problems = wf_import_format_problems (imp);

      fprintf (stderr,
               _ ("insucard-cli %s: the holder file needs a header line and exactly one good "
                  "row (docs/import.md).\n%s"),
               command, problems != NULL ? problems : "");
      return FALSE;
    }
  *holder = wf_import_get_row (imp, 0)->holder;
  return TRUE;
}

static void
print_issued (const WfIssued *issued, const char *what)
{
  fprintf (stderr, _ ("%s: card %s (serial %s) for %s.\n"), what, issued->card_number, issued->sn,
           issued->holder_name);
  printf ("card_number=%s\tsn=%s\tholder_id=%s\tholder=%s\tissue_date=%s\tvalid_until=%s\t"
          "apdus=%u\tbytes=%zu",
          issued->card_number, issued->sn, issued->holder_id, issued->holder_name,
          issued->issue_date, issued->valid_until, issued->apdus_written, issued->bytes_written);
  if (issued->replaces_sn[0] != '\0')
    printf ("\treplaces_sn=%s", issued->replaces_sn);
  printf ("\n");
}

static gboolean
write_receipt (CliDeskCommand *c, const char *card_number, const char *pdf, GError **error)
{
  if (pdf == NULL)
    return TRUE;
  if (!wf_icard_write_receipt (c->desk, WF_INTERACTION (c->interaction), card_number, pdf, error))
    return FALSE;
  fprintf (stderr, _ ("Receipt written to %s.\n"), pdf);
  return TRUE;
}

/* Opens the desk and logs in; FALSE with *status set. */
static gboolean
start (CliDeskCommand *c, GOptionEntry *entries, int max_args, int *argc, char ***argv, int *status)
{
  if (entries != NULL)
    g_option_context_add_main_entries (c->context, entries, GETTEXT_PACKAGE);
  return cli_desk_command_open (c, max_args, argc, argv, status)
         && cli_desk_command_login (c, status);
}

static int
finish (CliDeskCommand *c, const GError *error)
{
  int status = cli_desk_command_finish (c, error);

  cli_desk_command_clear (c);
  return status;
}

/* The command's options; FALSE when they do not parse (said). */
static gboolean
parse (CliDeskCommand *c, const GOptionEntry *entries, int *argc, char ***argv)
{
  g_option_context_add_main_entries (c->context, entries, GETTEXT_PACKAGE);
  return cli_parse (c->context, c->name, 0, argc, argv);
}

/* Options missing or not going together: says how they go; the usage
 * status, the command cleared. */
static int
usage (CliDeskCommand *c, const char *message)
{
  fputs (message, stderr);
  cli_desk_command_clear (c);
  return CLI_EXIT_USAGE;
}

/* The desk open and the operator logged in; FALSE with *status, the
 * command finished. */
static gboolean
open_logged_in (CliDeskCommand *c, int *status)
{
  c->desk = cli_desk_open (&c->options, c->name, &c->interaction, status);
  if (c->desk != NULL && cli_desk_command_login (c, status))
    return TRUE;
  finish (c, NULL);
  return FALSE;
}

/* -- issue, rewrite, replace --------------------------------------------------------------- */

/* What issue and rewrite do first: the options, the holder file, the desk
 * and the login.  FALSE with the command's exit status when one of them
 * fails (the command then has nothing left to free). */
static gboolean
start_with_holder (CliDeskCommand *c, const GOptionEntry *entries, char **source,
                   WfIcardHolder *holder, int *argc, char ***argv, int *status)
{
  memset (holder, 0, sizeof *holder);
  if (!parse (c, entries, argc, argv) || !read_holder (c->name, *source, holder, status))
    {
      *status = usage (c, "");
      return FALSE;
    }
  if (!open_logged_in (c, status))
    {
      wf_icard_holder_clear (holder);
      return FALSE;
    }
  return TRUE;
}

int
cli_issue (int argc, char **argv)
{
  CliDeskCommand c = { 0 };
  g_autofree char *source = NULL;
  g_autofree char *pdf = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (WfIssued) issued = NULL;
  WfIcardHolder holder;
  int status;
  GOptionEntry entries[] = {
    { "holder", 0, 0, G_OPTION_ARG_FILENAME, &source,
      N_ ("The holder: a CSV file in the import format with one row, or - for standard input"),
      N_ ("FILE") },
    { "receipt", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_ ("Also write the hand-over receipt (PDF)"),
      N_ ("FILE") },
    { NULL },
  };

  cli_desk_command_init (
      &c, "issue",
      _ ("Issues an insurance card to a holder on the blank card in R2, with the "
         "operator card in R1. Secrets: operator-pin."));
  if (!start_with_holder (&c, entries, &source, &holder, &argc, &argv, &status))
    return status;
  issued =
      wf_icard_issue (c.desk, WF_INTERACTION (c.interaction), &holder, c.run.cancellable, &error);
  wf_icard_holder_clear (&holder);
  if (issued != NULL)
    {
      print_issued (issued, _ ("Issued"));
      write_receipt (&c, issued->card_number, pdf, &error);
    }
  return finish (&c, error);
}

int
cli_rewrite (int argc, char **argv)
{
  CliDeskCommand c = { 0 };
  g_autofree char *source = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (WfIssued) done = NULL;
  WfIcardHolder holder;
  int status;
  GOptionEntry entries[] = {
    { "holder", 0, 0, G_OPTION_ARG_FILENAME, &source,
      N_ ("The new holder data (same ID number): the import format, one row; - for standard "
          "input"),
      N_ ("FILE") },
    { NULL },
  };

  cli_desk_command_init (
      &c, "rewrite",
      _ ("Rewrites the holder data of the insurance card in R2 (the same person; "
         "only what changed is written). Secrets: operator-pin."));
  if (!start_with_holder (&c, entries, &source, &holder, &argc, &argv, &status))
    return status;
  done =
      wf_icard_rewrite (c.desk, WF_INTERACTION (c.interaction), &holder, c.run.cancellable, &error);
  wf_icard_holder_clear (&holder);
  if (done != NULL)
    print_issued (done, done->apdus_written > 0 ? _ ("Rewritten") : _ ("Nothing changed"));
  return finish (&c, error);
}

int
cli_replace (int argc, char **argv)
{
  CliDeskCommand c = { 0 };
  g_autofree char *reason = NULL;
  g_autofree char *holder_id = NULL;
  g_autofree char *pdf = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (WfIssued) issued = NULL;
  int status;
  GOptionEntry entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_ ("lost (the old card is blacklisted) or damaged (it is withdrawn)"), N_ ("REASON") },
    { "holder-id", 0, 0, G_OPTION_ARG_STRING, &holder_id, N_ ("The holder's ID number"),
      N_ ("ID") },
    { "receipt", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_ ("Also write the hand-over receipt (PDF)"),
      N_ ("FILE") },
    { NULL },
  };

  cli_desk_command_init (&c, "replace",
                         _ ("Issues a replacement card, on the blank in R2, to a holder whose card "
                            "is lost or damaged. Secrets: operator-pin."));
  if (!parse (&c, entries, &argc, &argv) || holder_id == NULL
      || (g_strcmp0 (reason, "lost") != 0 && g_strcmp0 (reason, "damaged") != 0))
    return usage (&c, _ ("insucard-cli replace: --reason lost|damaged and --holder-id ID are "
                         "needed.\n"));
  if (!open_logged_in (&c, &status))
    return status;
  issued = wf_icard_replace (c.desk, WF_INTERACTION (c.interaction), holder_id,
                             strcmp (reason, "lost") == 0 ? WF_REPLACE_LOST : WF_REPLACE_DAMAGED,
                             c.run.cancellable, &error);
  if (issued != NULL)
    {
      print_issued (issued, _ ("Replaced"));
      write_receipt (&c, issued->card_number, pdf, &error);
    }
  return finish (&c, error);
}

/* -- read ---------------------------------------------------------------------------------- */

static const char *
record_status (const WfIcardReport *r)
{
  return r->record != NULL ? db_card_status_to_string (r->record->status) : "unknown";
}

static void
print_report_text (const WfIcardReport *r)
{
  const WfIcardView *v = &r->view;
  char sn[17];

  for (guint i = 0; i < 8; i++)
    g_snprintf (sn + 2 * i, 3, "%02X", v->serial[i]);
  printf (_ ("Serial: %s\n"), sn);
  printf (_ ("Registry: %s%s\n"), record_status (r), r->blacklisted ? _ (", BLACKLISTED") : "");
  if (v->blank)
    printf (_ ("The card is blank.\n"));
  printf (_ ("Card number block: %s\n"), wf_icard_check_to_string (v->number_check));
  if (v->number_check == WF_ICARD_CHECK_OK)
    printf (_ ("Card number: %s, issued %s, region %s\n"), v->data.card_number, v->data.issue_date,
            v->data.region_code);
  printf (_ ("Holder block: %s\n"), wf_icard_check_to_string (v->holder_check));
  if (v->holder_decrypted)
    printf (_ ("Holder: %s, %s, born %s, valid until %s\n"), v->data.holder.name,
            v->data.holder.id_number, v->data.holder.birth_date, v->data.holder.valid_until);
  printf (_ ("Status block: %s\n"), wf_icard_check_to_string (v->status_check));
  if (v->status_check == WF_ICARD_CHECK_OK)
    printf (_ ("Status: %s, rewritten %u times\n"), wf_icard_status_to_string (v->data.status),
            v->data.rewrite_counter);
  printf (_ ("Transactions: %u (header: %s)\n"), v->txn_count,
          wf_icard_check_to_string (v->txn_header_check));
  printf (_ ("PSC tries left: %u of 8\n"), v->tries_left);
  printf (_ ("Protection: %s\n"), r->protection);
}

/* Stable names for scripts (the text output translates them). */
static const char *
check_name (WfIcardCheck check)
{
  static const char *const names[] = { "ok", "bad", "invalid", "empty", "no-key" };

  return check < G_N_ELEMENTS (names) ? names[check] : "unknown";
}

static void
print_report_json (const WfIcardReport *r)
{
  const WfIcardView *v = &r->view;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;
  char sn[17];

  for (guint i = 0; i < 8; i++)
    g_snprintf (sn + 2 * i, 3, "%02X", v->serial[i]);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "sn");
  json_builder_add_string_value (b, sn);
  json_builder_set_member_name (b, "blank");
  json_builder_add_boolean_value (b, v->blank);
  json_builder_set_member_name (b, "registry_status");
  json_builder_add_string_value (b, record_status (r));
  json_builder_set_member_name (b, "blacklisted");
  json_builder_add_boolean_value (b, r->blacklisted);
  json_builder_set_member_name (b, "checks");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "number");
  json_builder_add_string_value (b, check_name (v->number_check));
  json_builder_set_member_name (b, "holder");
  json_builder_add_string_value (b, check_name (v->holder_check));
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, check_name (v->status_check));
  json_builder_set_member_name (b, "transactions");
  json_builder_add_string_value (b, check_name (v->txn_header_check));
  json_builder_end_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, wf_icard_view_ok (v));
  if (v->number_check == WF_ICARD_CHECK_OK)
    {
      json_builder_set_member_name (b, "card_number");
      json_builder_add_string_value (b, v->data.card_number);
      json_builder_set_member_name (b, "issue_date");
      json_builder_add_string_value (b, v->data.issue_date);
      json_builder_set_member_name (b, "region_code");
      json_builder_add_string_value (b, v->data.region_code);
    }
  if (v->holder_decrypted)
    {
      json_builder_set_member_name (b, "holder");
      json_builder_begin_object (b);
      for (guint f = 0; f < WF_ICARD_N_FIELDS; f++)
        {
          json_builder_set_member_name (b, wf_icard_field_name (f));
          json_builder_add_string_value (b, wf_icard_holder_get (&v->data.holder, f));
        }
      json_builder_end_object (b);
    }
  if (v->status_check == WF_ICARD_CHECK_OK)
    {
      json_builder_set_member_name (b, "status");
      json_builder_add_int_value (b, v->data.status);
      json_builder_set_member_name (b, "rewrite_counter");
      json_builder_add_int_value (b, v->data.rewrite_counter);
    }
  json_builder_set_member_name (b, "transactions");
  json_builder_add_int_value (b, v->txn_count);
  json_builder_set_member_name (b, "psc_tries_left");
  json_builder_add_int_value (b, v->tries_left);
  json_builder_set_member_name (b, "number_protected");
  json_builder_add_boolean_value (b, r->protected_number);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
  /* The decrypted holder left the card only for this output. */
  memset (text, 0, strlen (text));
}

int
cli_read (int argc, char **argv)
{
  CliDeskCommand c = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (WfIcardReport) report = NULL;
  gboolean json = FALSE;
  int status;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_ ("Print a JSON object instead of text"), NULL },
    { NULL },
  };

  cli_desk_command_init (&c, "read",
                         _ ("Reads and verifies the insurance card in R2: every check byte, the "
                            "holder (when your card holds the data key), its PSC tries, protection "
                            "and what the registry says. Secrets: operator-pin."));
  if (!start (&c, entries, 0, &argc, &argv, &status))
    {
      finish (&c, NULL);
      return status;
    }
  report = wf_icard_read (c.desk, WF_INTERACTION (c.interaction), c.run.cancellable, &error);
  if (report != NULL)
    {
      if (json)
        print_report_json (report);
      else
        print_report_text (report);
      /* A card that must not be used says so where it is seen. */
      if (report->blacklisted
          || (report->record != NULL && report->record->status != DB_CARD_ISSUED))
        fprintf (stderr,
                 _ ("WARNING: this card is %s%s. Do not accept it; keep it and follow the "
                    "office's rules.\n"),
                 record_status (report), report->blacklisted ? _ (" and blacklisted") : "");
    }
  return finish (&c, error);
}

/* -- clear, cancel, report-lost ------------------------------------------------------------ */

typedef gboolean (*CardChange) (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                                GError **error);

static int
run_change (int argc, char **argv, const char *name, const char *summary, CardChange change,
            const char *done)
{
  CliDeskCommand c = { 0 };
  g_autoptr (GError) error = NULL;
  int status;

  cli_desk_command_init (&c, name, summary);
  if (!start (&c, NULL, 0, &argc, &argv, &status))
    {
      finish (&c, NULL);
      return status;
    }
  if (change (c.desk, WF_INTERACTION (c.interaction), c.run.cancellable, &error))
    fprintf (stderr, "%s\n", done);
  return finish (&c, error);
}

int
cli_clear (int argc, char **argv)
{
  return run_change (argc, argv, "clear",
                     _ ("Wipes the holder data and transactions of the insurance card in R2, after "
                        "asking; the card number stays and the card is not issued again. "
                        "Secrets: operator-pin."),
                     wf_icard_clear, _ ("The card was cleared."));
}

int
cli_cancel (int argc, char **argv)
{
  return run_change (argc, argv, "cancel",
                     _ ("Cancels the insurance card in R2 for good, after asking. Secrets: "
                        "operator-pin."),
                     wf_icard_cancel, _ ("The card was cancelled."));
}

int
cli_report_lost (int argc, char **argv)
{
  CliDeskCommand c = { 0 };
  g_autofree char *number = NULL;
  g_autofree char *sn = NULL;
  g_autoptr (GError) error = NULL;
  int status;
  GOptionEntry entries[] = {
    { "card-number", 0, 0, G_OPTION_ARG_STRING, &number, N_ ("The card's number"), N_ ("N") },
    { "sn", 0, 0, G_OPTION_ARG_STRING, &sn, N_ ("The card's serial"), N_ ("SN") },
    { NULL },
  };

  cli_desk_command_init (&c, "report-lost",
                         _ ("Reports a card lost: blacklisted, without the card. Secrets: "
                            "operator-pin."));
  if (!parse (&c, entries, &argc, &argv) || (number == NULL) == (sn == NULL))
    return usage (&c, _ ("insucard-cli report-lost: give --card-number N or --sn SN.\n"));
  if (!open_logged_in (&c, &status))
    return status;
  if (wf_icard_report_lost (c.desk, WF_INTERACTION (c.interaction), number, sn, c.run.cancellable,
                            &error))
    fprintf (stderr, _ ("The card is reported lost and blacklisted.\n"));
  return finish (&c, error);
}

/* -- history ------------------------------------------------------------------------------- */

int
cli_history (int argc, char **argv)
{
  CliDeskCommand c = { 0 };
  g_autofree char *number = NULL;
  g_autofree char *holder_id = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cards = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  gboolean more = FALSE;
  int status;
  GOptionEntry entries[] = {
    { "card-number", 0, 0, G_OPTION_ARG_STRING, &number, N_ ("A card's number"), N_ ("N") },
    { "holder-id", 0, 0, G_OPTION_ARG_STRING, &holder_id, N_ ("A holder's ID number"), N_ ("ID") },
    { NULL },
  };

  cli_desk_command_init (&c, "history",
                         _ ("The cards of a holder, or one card, and everything the log says was "
                            "done to them, newest first. Secrets: operator-pin."));
  if (!parse (&c, entries, &argc, &argv) || (number == NULL) == (holder_id == NULL))
    return usage (&c, _ ("insucard-cli history: give --card-number N or --holder-id ID.\n"));
  if (!open_logged_in (&c, &status))
    return status;
  if (wf_icard_history (c.desk, WF_INTERACTION (c.interaction), number, holder_id, &cards, &rows,
                        &more, &error))
    {
      for (guint i = 0; i < cards->len; i++)
        {
          const DbCard *card = cards->pdata[i];

          printf (
              "card\tcard_number=%s\tsn=%s\tstatus=%s\tissue_date=%s\trewrites=%" G_GINT64_FORMAT
              "\n",
              card->card_number, card->sn, db_card_status_to_string (card->status),
              card->issue_date, card->rewrite_count);
        }
      for (guint i = 0; i < rows->len; i++)
        {
          const DbAuditRow *r = rows->pdata[i];

          printf ("log\tseq=%" G_GINT64_FORMAT "\tat=%s\taction=%s\toutcome=%s\tsn=%s\toperator=%s"
                  "\tworkstation=%s\tdetail=%s\n",
                  r->seq, r->at, r->action, r->outcome, r->card_sn, r->operator_name,
                  r->workstation, r->detail);
        }
      if (more)
        printf ("more\tshown=%u\n", rows->len);
    }
  return finish (&c, error);
}

/* -- receipt ------------------------------------------------------------------------------- */

int
cli_receipt (int argc, char **argv)
{
  CliDeskCommand c = { 0 };
  g_autofree char *number = NULL;
  g_autofree char *pdf = NULL;
  g_autoptr (GError) error = NULL;
  int status;
  GOptionEntry entries[] = {
    { "card-number", 0, 0, G_OPTION_ARG_STRING, &number, N_ ("The card's number"), N_ ("N") },
    { "pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf, N_ ("Where to write the receipt"), N_ ("FILE") },
    { NULL },
  };

  cli_desk_command_init (&c, "receipt",
                         _ ("Writes the hand-over receipt (PDF) of a card issued or replaced. "
                            "Secrets: operator-pin."));
  if (!parse (&c, entries, &argc, &argv) || number == NULL || pdf == NULL)
    return usage (&c, _ ("insucard-cli receipt: give --card-number N and --pdf FILE.\n"));
  if (!open_logged_in (&c, &status))
    return status;
  write_receipt (&c, number, pdf, &error);
  return finish (&c, error);
}
