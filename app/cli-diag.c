/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-diag.c: insucard-cli readers, card info, support-report.
 *
 * Diagnostics a clerk or the help desk can run without any key: which
 * readers are there, what card is in them, and one file with versions, the
 * readers and the redacted APDU transcript of this run.  Works with the sim
 * backend too (INSUCARD_READER_BACKEND=sim, INSUCARD_SIM_DECK=DIR).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "cl-context.h"
#include "cl-error.h"
#include "cl-kind.h"
#include "cl-log.h"
#include "cli-desk.h"
#include "cli.h"
#include "wf-report.h"

static void
fail (const char *what, const GError *error)
{
  fprintf (stderr, "insucard-cli: %s: %s\n", what, error->message);
  cl_log_error (what, error);
  cli_print_hint (error);
}

/* For the commands that need readers; support-report words it itself. */
static ClContext *
open_context (void)
{
  return ic_config_create_context (cli_get_config ());
}

int
cli_readers (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClContext) ctx = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) readers = NULL;
  gboolean any;

  if (argc > 1)
    {
      fprintf (stderr, _ ("Usage: insucard-cli readers\n"));
      return CLI_EXIT_USAGE;
    }
  ctx = open_context ();
  /* A separate listing first, so a missing service gets its own hint. */
  readers = cl_context_list_readers (ctx, NULL, &error);
  if (readers == NULL)
    {
      fail (_ ("Listing readers"), error);
      return CLI_EXIT_FAILURE;
    }
  if (readers[0] == NULL)
    {
      g_autoptr (GError) none =
          g_error_new_literal (CL_ERROR, CL_ERROR_NO_READER, _ ("No smart-card reader found."));

      fail (_ ("Listing readers"), none);
      return CLI_EXIT_FAILURE;
    }
  wf_report_readers (ctx, out, &any);
  fputs (out->str, stdout);
  return CLI_EXIT_OK;
}

/* The one option card info and support-report take: "--NAME VALUE",
 * "--NAME=VALUE" or (short_name) "-X VALUE".  *value is NULL for no
 * argument at all; FALSE for anything else. */
static gboolean
parse_one_option (int argc, char **argv, const char *name, const char *short_name,
                  const char **value)
{
  g_autofree char *long_name = g_strconcat ("--", name, NULL);
  g_autofree char *prefix = g_strconcat (long_name, "=", NULL);

  *value = NULL;
  if (argc == 1)
    return TRUE;
  if (argc == 3
      && (strcmp (argv[1], long_name) == 0 || (short_name && strcmp (argv[1], short_name) == 0)))
    *value = argv[2];
  else if (argc == 2 && g_str_has_prefix (argv[1], prefix))
    *value = argv[1] + strlen (prefix);
  return *value != NULL;
}

int
cli_card_info (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClContext) ctx = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *reader = NULL;
  const char *which;
  ClCardInfo info = { 0 };

  if (!parse_one_option (argc, argv, "reader", NULL, &which))
    {
      fprintf (stderr, _ ("Usage: insucard-cli card info [--reader NAME|R1|R2]\n"));
      return CLI_EXIT_USAGE;
    }
  if (which == NULL)
    which = "R2";
  ctx = open_context ();
  if (g_ascii_strcasecmp (which, "R1") == 0 || g_ascii_strcasecmp (which, "R2") == 0)
    reader = cl_context_resolve_reader (
        ctx, g_ascii_strcasecmp (which, "R1") == 0 ? CL_READER_ROLE_R1 : CL_READER_ROLE_R2, NULL,
        &error);
  else
    reader = g_strdup (which);
  if (reader == NULL)
    {
      fail (_ ("Finding the reader"), error);
      return CLI_EXIT_FAILURE;
    }
  card = wf_report_probe (ctx, reader, &info, &error);
  if (card == NULL)
    {
      fail (reader, error);
      return CLI_EXIT_FAILURE;
    }

  wf_report_card (card, reader, &info, out);
  cl_card_disconnect (card);
  fputs (out->str, stdout);
  return CLI_EXIT_OK;
}

int
cli_support_report (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClContext) ctx = NULL;
  g_autofree char *text = NULL;
  const char *path = NULL;

  if (!parse_one_option (argc, argv, "output", "-o", &path))
    {
      fprintf (stderr, _ ("Usage: insucard-cli support-report [-o FILE]\n"));
      return CLI_EXIT_USAGE;
    }

  ctx = open_context ();
  text = wf_report_support (ctx);
  if (path == NULL)
    {
      fputs (text, stdout);
      return CLI_EXIT_OK;
    }
  if (!wf_report_support_save (text, path, &error))
    {
      fprintf (stderr, "insucard-cli: %s\n", error->message);
      return CLI_EXIT_FAILURE;
    }
  printf (_ ("Support report written to %s\n"), path);
  return CLI_EXIT_OK;
}
