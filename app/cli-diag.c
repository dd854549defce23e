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
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <pcsclite.h>

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

static char *
pcscd_runtime_version (void)
{
  g_autofree char *out = NULL;
  g_autofree char *path = g_find_program_in_path ("pcscd");
  const char *argv[] = { NULL, "--version", NULL };
  char *nl;

  if (path == NULL)
    path = g_strdup ("/usr/sbin/pcscd");
  argv[0] = path;
  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE)
      || !g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                        NULL, NULL, NULL)
      || out == NULL)
    return g_strdup (_ ("pcscd not found"));
  nl = strchr (out, '\n');
  if (nl)
    *nl = '\0';
  return g_strdup (out);
}

int
cli_support_report (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ClContext) ctx = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  g_autofree char *pcscd = pcscd_runtime_version ();
  g_autofree char *transcript = NULL;
  g_auto (GStrv) errors = NULL;
  const char *path = NULL;
  gboolean any = FALSE;

  if (!parse_one_option (argc, argv, "output", "-o", &path))
    {
      fprintf (stderr, _ ("Usage: insucard-cli support-report [-o FILE]\n"));
      return CLI_EXIT_USAGE;
    }

  g_string_append_printf (out, "# insucard support report, %s\n", stamp);
  g_string_append (out, "# Keys, PINs and PSCs are never included: secret bytes show as **.\n\n");
  g_string_append (out, "[versions]\n");
  g_string_append_printf (out, "insucard: %s\n", PACKAGE_VERSION);
  g_string_append_printf (out, "pcsc-lite: %s (built against), %s\n", PCSCLITE_VERSION_NUMBER,
                          pcscd);
  g_string_append_printf (out, "OpenSSL: %s\n", OpenSSL_version (OPENSSL_VERSION));
  g_string_append_printf (out, "SQLite: %s\n", sqlite3_libversion ());
  g_string_append_printf (out, "GLib: %u.%u.%u\n", glib_major_version, glib_minor_version,
                          glib_micro_version);
  g_string_append_printf (out, "reader backend: %s\n",
                          cl_reader_backend_to_string (cli_get_config ()->backend));

  g_string_append (out, "\n[readers]\n");
  ctx = open_context ();
  wf_report_readers (ctx, out, &any);

  g_string_append (out, "\n[last errors]\n");
  errors = cl_log_get_recent_errors ();
  if (errors[0] == NULL)
    g_string_append (out, _ ("none\n"));
  for (guint i = 0; errors[i] != NULL; i++)
    g_string_append_printf (out, "%s\n", errors[i]);

  g_string_append (out, "\n[apdu transcript]\n");
  transcript = cl_transcript_to_string ();
  g_string_append (out, transcript);

  if (path == NULL)
    {
      fputs (out->str, stdout);
      return CLI_EXIT_OK;
    }
  if (!g_file_set_contents_full (path, out->str, out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                 &error))
    {
      fprintf (stderr, "insucard-cli: %s\n", error->message);
      return CLI_EXIT_FAILURE;
    }
  printf (_ ("Support report written to %s\n"), path);
  return CLI_EXIT_OK;
}
