/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-key.c: insucard-cli key kcv / key derive-kcv.
 *
 * Secrets come only from cli_read_secret() (stdin, echo off on a tty).
 * Everything is computed before anything is printed, so a failure leaves
 * stdout empty and scripts can trust any output they get.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cl-crypto.h"
#include "cl-derive.h"
#include "cl-error.h"
#include "cl-key.h"
#include "cli-secret.h"
#include "cli.h"

/* Handles --help and refuses every other argument without repeating it:
 * whatever was typed there might be a key. */
static gboolean
check_args (int argc, char **argv, const char *command, const char *help, int *status)
{
  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          fputs (help, stdout);
          *status = CLI_EXIT_OK;
          return FALSE;
        }
    }
  if (argc > 1)
    {
      fprintf (stderr,
               _ ("insucard-cli %s: this command takes no arguments. Keys and codes are read "
                  "from standard input, never from the command line. Run “insucard-cli %s "
                  "--help”.\n"),
               command, command);
      *status = CLI_EXIT_USAGE;
      return FALSE;
    }
  return TRUE;
}

/* Says which entry failed and why; the message never contains the entry. */
static int
report (const char *entry, const GError *error)
{
  if (g_error_matches (error, CL_ERROR, CL_ERROR_INVALID_INPUT))
    {
      /* TRANSLATORS: %1$s names the entry ("the key", "code 1", "PSUB"), %2$s says why */
      fprintf (stderr, _ ("insucard-cli: %s was not accepted: %s\n"), entry, error->message);
      return CLI_EXIT_USAGE;
    }
  fprintf (stderr, _ ("insucard-cli: %s could not be processed: %s\n"), entry, error->message);
  return CLI_EXIT_FAILURE;
}

int
cli_key_kcv (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (CliSecret) hex = NULL;
  g_autoptr (ClKey) key = NULL;
  g_autofree char *kcv = NULL;
  int status;

  if (!check_args (argc, argv, "key kcv",
                   _ ("Usage: insucard-cli key kcv\n"
                      "\n"
                      "Reads a DES key of 16, 32 or 48 hex digits (8, 16 or 24 bytes; spaces are\n"
                      "ignored) and prints its key check value as “KCV: XXXXXX”: the first 3\n"
                      "bytes of the key's encryption of 8 zero bytes.\n"
                      "\n"
                      "On a terminal the key is typed twice with echo off; otherwise one line is\n"
                      "read from standard input.  The key is never taken from the command line.\n"
                      "\n"
                      "Exit status: 0 done, 1 failure, 2 bad usage or bad input.\n"),
                   &status))
    return status;

  hex = cli_read_secret (_ ("Key (16, 32 or 48 hex digits): "), TRUE, &error);
  if (hex == NULL)
    return report (_ ("the key"), error);
  key = cl_key_new_from_hex (hex, 0, &error);
  g_clear_pointer (&hex, cli_secret_free);
  if (key == NULL)
    return report (_ ("the key"), error);
  kcv = cl_kcv_hex (key, &error);
  if (kcv == NULL)
    return report (_ ("the key"), error);

  printf ("KCV: %s\n", kcv);
  return fflush (stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}

typedef enum {
  ENTRY_CODE, /* 16 decimal digits, packed as BCD */
  ENTRY_HEX8, /* 16 hex digits */
} EntryKind;

typedef struct {
  const char *name; /* for messages (N_) */
  const char *prompt; /* on a terminal (N_) */
  EntryKind kind;
} Entry;

static const Entry entries[] = {
  { N_ ("code 1"), N_ ("Code 1 (16 digits): "), ENTRY_CODE },
  { N_ ("code 2"), N_ ("Code 2 (16 digits): "), ENTRY_CODE },
  { N_ ("PSUB"), N_ ("PSUB (16 hex digits): "), ENTRY_HEX8 },
  { N_ ("DSUB"), N_ ("DSUB (16 hex digits): "), ENTRY_HEX8 },
};

static ClKey *
read_entry (const Entry *entry, GError **error)
{
  g_autoptr (CliSecret) text = cli_read_secret (_ (entry->prompt), TRUE, error);

  if (text == NULL)
    return NULL;
  if (entry->kind == ENTRY_CODE)
    return cl_derive_code_key (text, error);
  return cl_key_new_from_hex (text, 8, error);
}

int
cli_key_derive_kcv (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) pkey = NULL;
  g_autoptr (ClKey) dkey = NULL;
  g_autofree char *pkcv = NULL;
  g_autofree char *dkcv = NULL;
  ClKey *keys[G_N_ELEMENTS (entries)] = { NULL };
  int status = CLI_EXIT_OK;

  if (!check_args (argc, argv, "key derive-kcv",
                   _ ("Usage: insucard-cli key derive-kcv\n"
                      "\n"
                      "Reads, in this order, code 1 and code 2 (16 decimal digits each, the two\n"
                      "leaders' codes) and PSUB and DSUB (16 hex digits each, the administrator's\n"
                      "scatter factors), derives the system keys Pkey and Dkey as the key\n"
                      "transport card does, and prints only their check values:\n"
                      "  KCV(Pkey): XXXXXX\n"
                      "  KCV(Dkey): XXXXXX\n"
                      "\n"
                      "On a terminal each entry is typed twice with echo off; otherwise one entry\n"
                      "a line is read from standard input.  Nothing is taken from the command\n"
                      "line, and nothing is printed unless all four entries are valid.\n"
                      "\n"
                      "Exit status: 0 done, 1 failure, 2 bad usage or bad input.\n"),
                   &status))
    return status;

  for (gsize i = 0; i < G_N_ELEMENTS (entries) && status == CLI_EXIT_OK; i++)
    {
      keys[i] = read_entry (&entries[i], &error);
      if (keys[i] == NULL)
        status = report (_ (entries[i].name), error);
    }
  if (status == CLI_EXIT_OK
      && !cl_derive_system_keys (keys[0], keys[1], keys[2], keys[3], &pkey, &dkey, &error))
    {
      fprintf (stderr, _ ("insucard-cli: the keys were not derived: %s\n"), error->message);
      status = g_error_matches (error, CL_ERROR, CL_ERROR_INVALID_INPUT) ? CLI_EXIT_USAGE
                                                                         : CLI_EXIT_FAILURE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (entries); i++)
    g_clear_pointer (&keys[i], cl_key_free);
  if (status != CLI_EXIT_OK)
    return status;

  pkcv = cl_kcv_hex (pkey, &error);
  if (pkcv != NULL)
    dkcv = cl_kcv_hex (dkey, &error);
  if (dkcv == NULL)
    return report ("Pkey/Dkey", error);

  printf ("KCV(Pkey): %s\nKCV(Dkey): %s\n", pkcv, dkcv);
  return fflush (stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}
