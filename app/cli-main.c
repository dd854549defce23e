/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-main.c: insucard-cli: finds the subcommand and runs it. */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cl-key.h"
#include "cli.h"

static const CliCommand commands[] = {
  { "key kcv", N_ ("Read a key (hex) without echo and print its check value (KCV)"), cli_key_kcv },
  { "key derive-kcv", N_ ("Read code 1, code 2, PSUB and DSUB and print KCV(Pkey), KCV(Dkey)"),
    cli_key_derive_kcv },
  { "readers", N_ ("List readers, the cards in them, their ATR and kind"), cli_readers },
  { "card info", N_ ("Show what a card tells without keys"), cli_card_info },
  { "support-report", N_ ("Write one file for the help desk (versions, readers, redacted log)"),
    cli_support_report },
  { "log list", N_ ("List audit rows, filtered, a page at a time"), cli_log_list },
  { "log verify", N_ ("Check the audit log's hash chain and seals; name the first bad row"),
    cli_log_verify },
  { "log export", N_ ("Export filtered audit rows as CSV"), cli_log_export },
  { "log seal", N_ ("Seal the audit log now (software test key: training only)"), cli_log_seal },
  { "db info", N_ ("Show the database's path, schema, mode, counts and last seal"), cli_db_info },
  { "db backup", N_ ("Copy the database into a new file while it is in use"), cli_db_backup },
  { "db make-demo", N_ ("Create a training database full of demo data"), cli_db_make_demo },
  { "mcc create", N_ ("Make the master control card from the master key (ceremony)"),
    cli_mcc_create },
  { "ktc create", N_ ("Make the key transport card: two leaders and the administrator (ceremony)"),
    cli_ktc_create },
  { "ktc rebuild", N_ ("Make a new key transport card from the old one and its three PINs"),
    cli_ktc_rebuild },
  { "card create", N_ ("Make administrator cards or workstation key cards"), cli_card_create },
  { "card wash", N_ ("Wash a CPU card of this system back to blank"), cli_card_wash },
  { "card check", N_ ("Check that a CPU card is one of this system's"), cli_card_check },
  { "pin unblock", N_ ("Unblock a CPU card's PIN with the master control card"), cli_pin_unblock },
  { "pin change", N_ ("Change the PIN of a CPU card"), cli_pin_change },
  { "login", N_ ("Check an operator card and its PIN: log in and out"), cli_login },
  { "cards list", N_ ("List the CPU cards made at this desk (registry)"), cli_cards_list },
  { "issue", N_ ("Issue an insurance card to a holder"), cli_issue },
  { "read", N_ ("Read and verify an insurance card"), cli_read },
  { "rewrite", N_ ("Rewrite the holder data on an insurance card"), cli_rewrite },
  { "clear", N_ ("Wipe an insurance card's holder data"), cli_clear },
  { "cancel", N_ ("Cancel an insurance card for good"), cli_cancel },
  { "report-lost", N_ ("Report an insurance card lost (blacklist it)"), cli_report_lost },
  { "replace", N_ ("Replace a lost or damaged insurance card"), cli_replace },
  { "history", N_ ("The cards of a holder, or one card, and their log"), cli_history },
  { "import", N_ ("Issue cards to every holder of a CSV file"), cli_import },
  { "journal", N_ ("Interrupted issuances: list, finish, undo"), cli_journal },
  { "receipt", N_ ("Write a card's hand-over receipt (PDF)"), cli_receipt },
};

static IcConfig *config;

const IcConfig *
cli_get_config (void)
{
  return config;
}

static void
print_usage (FILE *out)
{
  fprintf (out, _ ("Usage: insucard-cli COMMAND [OPTION…]\n\nCommands:\n"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-16s %s\n", commands[i].name, _ (commands[i].summary));
  fprintf (out, _ ("\nOptions:\n  -h, --help       Show this help\n  --version        Show the "
                   "version\n\nKeys, PINs and codes are never given on the command line: each "
                   "command asks for them with echo off, or reads them from standard input.\n"));
}

/* Global options may come before the command ("insucard-cli --readers sim
 * mcc create").  Those of the configuration (readers, database, this
 * desk's name) apply to every command; the others are moved behind the
 * command, which parses them.  These take a value when it is not given
 * with "=". */
static const char *const valued_options[] = {
  "--readers", "--deck", "--r1", "--r2", "--db", "--workstation", "--secrets-fd", "--card-timeout",
};

/* Applies a configuration option to config (a bad value sets error);
 * FALSE if it is none. */
static gboolean
apply_config_option (IcConfig *cfg, const char *name, const char *value, GError **error)
{
  if (strcmp (name, "--readers") == 0)
    {
      if (value == NULL || !cl_reader_backend_from_string (value, &cfg->backend, error))
        g_prefix_error_literal (error, "--readers: ");
      if (value == NULL && error != NULL && *error == NULL)
        g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                             _ ("--readers needs pcsc or sim"));
    }
  else if (strcmp (name, "--deck") == 0)
    ic_config_set (&cfg->deck_dir, value);
  else if (strcmp (name, "--r1") == 0)
    ic_config_set (&cfg->reader_r1, value);
  else if (strcmp (name, "--r2") == 0)
    ic_config_set (&cfg->reader_r2, value);
  else if (strcmp (name, "--db") == 0)
    ic_config_set (&cfg->db_path, value);
  /* A name the administrator fixed is checked by the command, which knows
   * its readers by then. */
  else if (strcmp (name, "--workstation") == 0 && !cfg->workstation_fixed)
    ic_config_set (&cfg->workstation, value);
  else
    return FALSE;
  return TRUE;
}

static char **
take_leading_options (IcConfig *cfg, int argc, char **argv, GError **error)
{
  g_autoptr (GPtrArray) moved = g_ptr_array_new ();
  g_autoptr (GPtrArray) out = g_ptr_array_new ();
  int i = 1;

  g_ptr_array_add (out, argv[0]);
  while (i < argc && g_str_has_prefix (argv[i], "--") && (error == NULL || *error == NULL))
    {
      g_autofree char *name = g_strdup (argv[i]);
      char *eq = strchr (name, '=');
      const char *value = NULL;
      gboolean takes_value = FALSE;
      int start = i++;

      if (eq != NULL)
        {
          *eq = '\0';
          value = eq + 1;
        }
      for (gsize k = 0; k < G_N_ELEMENTS (valued_options); k++)
        takes_value = takes_value || strcmp (name, valued_options[k]) == 0;
      if (takes_value && eq == NULL && i < argc)
        value = argv[i++];
      if (!apply_config_option (cfg, name, value, error))
        for (int k = start; k < i; k++)
          g_ptr_array_add (moved, argv[k]);
    }
  if (error != NULL && *error != NULL)
    return NULL;
  for (; i < argc; i++)
    g_ptr_array_add (out, argv[i]);
  g_ptr_array_extend_and_steal (out, g_steal_pointer (&moved));
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/* Matches one- or two-word command names against argv. */
static const CliCommand *
find_command (int argc, char **argv, int *consumed)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto (GStrv) words = g_strsplit (commands[i].name, " ", -1);
      guint n = g_strv_length (words);
      gboolean match = (guint) argc >= n;

      for (guint w = 0; match && w < n; w++)
        match = strcmp (argv[w], words[w]) == 0;
      if (match)
        {
          *consumed = n;
          return &commands[i];
        }
    }
  return NULL;
}

int
main (int argc, char **argv)
{
  const CliCommand *command;
  g_autofree char **reordered = NULL; /* borrows argv's strings */
  g_autofree char *prgname = NULL;
  g_autoptr (GError) error = NULL;
  int consumed = 0;
  int status;

  cl_secure_init ();
  /* Standard output is the contract's name=value lines: debug messages
   * (G_MESSAGES_DEBUG, e.g. cardlib's APDUs) go to standard error. */
  g_log_writer_default_set_use_stderr (TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("insucard-cli %s\n", PACKAGE_VERSION);
      return CLI_EXIT_OK;
    }

  config = ic_config_new_from_environment (&error);
  if (config == NULL)
    {
      fprintf (stderr, "insucard-cli: %s\n", error->message);
      return CLI_EXIT_USAGE;
    }

  reordered = take_leading_options (config, argc, argv, &error);
  if (reordered == NULL)
    {
      fprintf (stderr, "insucard-cli: %s\n", error->message);
      return CLI_EXIT_USAGE;
    }
  argc = (int) g_strv_length (reordered);
  argv = reordered;
  command = find_command (argc - 1, argv + 1, &consumed);
  if (command == NULL)
    {
      fprintf (stderr, _ ("insucard-cli: unknown command “%s”. Run “insucard-cli --help”.\n"),
               argv[1]);
      return CLI_EXIT_USAGE;
    }
  /* The subcommand sees its own name as argv[0], like a program; its usage
   * line names the whole command. */
  prgname = g_strdup_printf ("insucard-cli %s", command->name);
  g_set_prgname (prgname);
  status = command->run (argc - consumed, argv + consumed);
  g_clear_pointer (&config, ic_config_free);
  return status;
}
