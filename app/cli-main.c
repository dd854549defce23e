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
  g_autoptr (GError) error = NULL;
  int consumed = 0;
  int status;

  cl_secure_init ();
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

  command = find_command (argc - 1, argv + 1, &consumed);
  if (command == NULL)
    {
      fprintf (stderr, _ ("insucard-cli: unknown command “%s”. Run “insucard-cli --help”.\n"),
               argv[1]);
      return CLI_EXIT_USAGE;
    }
  /* The subcommand sees its own name as argv[0], like a program. */
  status = command->run (argc - consumed, argv + consumed);
  g_clear_pointer (&config, ic_config_free);
  return status;
}
