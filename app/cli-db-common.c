/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-db-common.c: options, opening and reporting for log and db commands. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cli-db-common.h"
#include "cli.h"

GOptionContext *
cli_db_context (const char *parameters, const char *summary, CliDbOptions *db_options)
{
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_options->db_path,
      N_ ("The database file (default: $INSUCARD_DB, else the desk's database in the user data "
          "folder)"),
      N_ ("PATH") },
    { "training", 0, 0, G_OPTION_ARG_NONE, &db_options->training,
      N_ ("Use the training database when no --db or $INSUCARD_DB is given"), NULL },
    { NULL },
  };
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  return context;
}

void
cli_db_options_clear (CliDbOptions *options)
{
  g_clear_pointer (&options->db_path, g_free);
}

void
cli_filter_add_options (GOptionContext *context, CliFilterOptions *o)
{
  GOptionEntry entries[] = {
    { "since", 0, 0, G_OPTION_ARG_STRING, &o->since,
      N_ ("Rows at or after DATE (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, local time unless a zone "
          "is given)"),
      N_ ("DATE") },
    { "until", 0, 0, G_OPTION_ARG_STRING, &o->until, N_ ("Rows before DATE"), N_ ("DATE") },
    { "operator", 0, 0, G_OPTION_ARG_STRING, &o->operator_serial,
      N_ ("Rows of the operator card with this serial"), N_ ("SERIAL") },
    { "workstation", 0, 0, G_OPTION_ARG_STRING, &o->workstation, N_ ("Rows of this workstation"),
      N_ ("NAME") },
    { "action", 0, 0, G_OPTION_ARG_STRING, &o->action, N_ ("Rows of this action (see below)"),
      N_ ("ACTION") },
    { "outcome", 0, 0, G_OPTION_ARG_STRING, &o->outcome,
      N_ ("Rows with this outcome: ok, refused or failed"), N_ ("OUTCOME") },
    { "card-number", 0, 0, G_OPTION_ARG_STRING, &o->card_number,
      N_ ("Rows about the insurance card with this number"), N_ ("NUMBER") },
    { "sn", 0, 0, G_OPTION_ARG_STRING, &o->card_sn,
      N_ ("Rows about the card with this serial (SN)"), N_ ("SN") },
    { "holder", 0, 0, G_OPTION_ARG_STRING, &o->holder_id,
      N_ ("Rows about the cardholder with this ID number"), N_ ("ID") },
    { NULL },
  };
  g_autoptr (GString) actions = g_string_new (_ ("Actions:"));

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  for (int a = DB_ACTION_ANY + 1; a < DB_ACTION_N; a++)
    g_string_append_printf (actions, "%s%s", a % 6 == 1 ? "\n  " : " ", db_action_to_string (a));
  g_option_context_set_description (context, actions->str);
}

void
cli_filter_options_clear (CliFilterOptions *o)
{
  g_clear_pointer (&o->since, g_free);
  g_clear_pointer (&o->until, g_free);
  g_clear_pointer (&o->operator_serial, g_free);
  g_clear_pointer (&o->workstation, g_free);
  g_clear_pointer (&o->action, g_free);
  g_clear_pointer (&o->outcome, g_free);
  g_clear_pointer (&o->card_number, g_free);
  g_clear_pointer (&o->card_sn, g_free);
  g_clear_pointer (&o->holder_id, g_free);
}

gboolean
cli_parse (GOptionContext *context, const char *command, int max_args, int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      fprintf (stderr, _ ("insucard-cli %s: %s. Run “insucard-cli %s --help”.\n"), command,
               error->message, command);
      return FALSE;
    }
  if (*argc - 1 > max_args)
    {
      fprintf (stderr,
               _ ("insucard-cli %s: unexpected argument “%s”. Run “insucard-cli %s "
                  "--help”.\n"),
               command, (*argv)[1 + max_args], command);
      return FALSE;
    }
  return TRUE;
}

/* YYYY-MM-DD (local midnight) or ISO 8601 with a time (local unless it
 * names a zone). */
static GDateTime *
parse_time (const char *text)
{
  g_autoptr (GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *full = NULL;

  if (strlen (text) == 10)
    full = g_strconcat (text, "T00:00:00", NULL);
  return g_date_time_new_from_iso8601 (full != NULL ? full : text, local);
}

static gboolean
bad_value (const char *command, const char *option, const char *value, const char *hint)
{
  /* TRANSLATORS: insucard-cli COMMAND: --OPTION VALUE: what is accepted */
  fprintf (stderr, _ ("insucard-cli %s: --%s “%s” is not valid: %s\n"), command, option, value,
           hint);
  return FALSE;
}

gboolean
cli_filter_build (const CliFilterOptions *o, const char *command, DbAuditFilter *f)
{
  memset (f, 0, sizeof *f);
  f->operator_serial = o->operator_serial;
  f->workstation = o->workstation;
  f->card_number = o->card_number;
  f->card_sn = o->card_sn;
  f->holder_id = o->holder_id;
  if (o->since != NULL && (f->since = parse_time (o->since)) == NULL)
    return bad_value (command, "since", o->since, _ ("give a date as YYYY-MM-DD."));
  if (o->until != NULL && (f->until = parse_time (o->until)) == NULL)
    return bad_value (command, "until", o->until, _ ("give a date as YYYY-MM-DD."));
  if (o->action != NULL && (f->action = db_action_from_string (o->action)) == DB_ACTION_ANY)
    return bad_value (command, "action", o->action, _ ("use one of the actions listed by --help."));
  if (o->outcome != NULL && (f->outcome = db_outcome_from_string (o->outcome)) == DB_OUTCOME_ANY)
    return bad_value (command, "outcome", o->outcome, _ ("use ok, refused or failed."));
  return TRUE;
}

void
cli_filter_clear (DbAuditFilter *f)
{
  g_clear_pointer (&f->since, g_date_time_unref);
  g_clear_pointer (&f->until, g_date_time_unref);
}

void
cli_fail (const char *command, const GError *error)
{
  fprintf (stderr, "insucard-cli %s: %s\n", command, error->message);
}

DbDatabase *
cli_db_open (const CliDbOptions *options, const char *command, DbOpenFlags flags)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path =
      ic_config_resolve_db_path (cli_get_config (), options->db_path, options->training);
  DbDatabase *db = db_database_open (path, DB_MODE_ANY, flags & ~CLI_OPEN_OR_READ_ONLY, &error);

  /* A read-only copy (an auditor's CD) can still be read; the command
   * then says that it could not log itself. */
  if (db == NULL && (flags & CLI_OPEN_OR_READ_ONLY)
      && g_error_matches (error, DB_ERROR, DB_ERROR_READ_ONLY))
    {
      g_clear_error (&error);
      db = db_database_open (path, DB_MODE_ANY, DB_OPEN_READ_ONLY, &error);
    }
  if (db == NULL)
    {
      cli_fail (command, error);
      if (g_error_matches (error, DB_ERROR, DB_ERROR_OPEN))
        fprintf (stderr, _ ("The database path comes from --db, else $INSUCARD_DB, else %s.\n"),
                 path);
    }
  return db;
}

gboolean
cli_print_sealed_length (FILE *out, DbDatabase *db, const char *command)
{
  g_autoptr (GError) error = NULL;
  DbAuditState state;

  if (!db_audit_get_state (db, &state, &error))
    {
      cli_fail (command, error);
      return FALSE;
    }
  if (state.last_seal_id == 0)
    fprintf (out, _ ("Log: %lld rows, never sealed.\n"), (long long) state.rows);
  else
    fprintf (out,
             _ ("Log: %lld rows, sealed through row %lld (seal %lld, %s, by %s); %lld rows not "
                "yet sealed.\n"),
             (long long) state.rows, (long long) state.last_seal_seq,
             (long long) state.last_seal_id, state.last_seal_at, state.last_seal_sealer,
             (long long) state.unsealed);
  db_audit_state_clear (&state);
  return TRUE;
}

DbActor
cli_actor (void)
{
  DbActor actor = { .workstation = g_get_host_name () };

  return actor;
}

void
cli_log_action (DbDatabase *db, const char *command, DbAction action, DbOutcome outcome,
                const char *detail)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *full = g_strdup_printf ("insucard-cli %s: %s", command, detail);
  DbAuditEntry entry = {
    .actor = cli_actor (),
    .action = action,
    .outcome = outcome,
    .detail = full,
  };

  if (db_database_is_read_only (db))
    fprintf (stderr,
             _ ("insucard-cli %s: the database is read-only, so this was not written to "
                "its audit log.\n"),
             command);
  else if (!db_audit_append (db, &entry, NULL, &error))
    cli_fail (command, error);
}
