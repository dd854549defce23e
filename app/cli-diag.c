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

#include "cl-codec.h"
#include "cl-context.h"
#include "cl-error.h"
#include "cl-fmcos.h"
#include "cl-kind.h"
#include "cl-log.h"
#include "cl-sle4428.h"
#include "cli-desk.h"
#include "cli.h"

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

static char *
hex_of (GBytes *b)
{
  return b != NULL ? cl_hex_encode (g_bytes_get_data (b, NULL), g_bytes_get_size (b))
                   : g_strdup ("-");
}

/* Connects and detects; on NO_CARD returns NULL with no error printed. */
static ClCard *
probe (ClContext *ctx, const char *reader, ClCardInfo *info, GError **error)
{
  g_autoptr (ClCard) card = cl_context_connect (ctx, reader, NULL, error);

  if (card == NULL)
    return NULL;
  if (!cl_card_detect (card, info, NULL, error))
    return NULL;
  return g_steal_pointer (&card);
}

static void
describe_readers (ClContext *ctx, GString *out, gboolean *any)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) readers = cl_context_list_readers (ctx, NULL, &error);
  g_autofree char *r1 = cl_context_dup_reader_name (ctx, CL_READER_ROLE_R1);
  g_autofree char *r2 = cl_context_dup_reader_name (ctx, CL_READER_ROLE_R2);

  *any = FALSE;
  if (readers == NULL)
    {
      g_string_append_printf (out, _ ("Readers: none (%s)\n"), error->message);
      cl_log_error (_ ("Listing readers"), error);
      return;
    }
  if (readers[0] == NULL)
    g_string_append (out, _ ("Readers: none found\n"));
  for (guint i = 0; readers[i] != NULL; i++)
    {
      g_autoptr (GError) local = NULL;
      g_autoptr (ClCard) card = NULL;
      g_autofree char *atr = NULL;
      const char *role = "";
      ClCardInfo info = { 0 };

      *any = TRUE;
      if (g_strcmp0 (readers[i], r1) == 0)
        role = " [R1]";
      else if (g_strcmp0 (readers[i], r2) == 0)
        role = " [R2]";
      g_string_append_printf (out, "%s%s\n", readers[i], role);
      card = probe (ctx, readers[i], &info, &local);
      if (card == NULL)
        {
          if (g_error_matches (local, CL_ERROR, CL_ERROR_NO_CARD))
            g_string_append_printf (out, "  %s\n", _ ("no card"));
          else
            {
              g_string_append_printf (out, "  %s: %s\n", _ ("error"), local->message);
              cl_log_error (readers[i], local);
            }
          continue;
        }
      atr = hex_of (cl_card_get_atr (card));
      g_string_append_printf (out, "  ATR:  %s\n  %s: %s (%s)\n", atr, _ ("kind"),
                              cl_card_kind_describe (info.kind),
                              cl_card_kind_to_string (info.kind));
      cl_card_disconnect (card);
    }
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
  describe_readers (ctx, out, &any);
  fputs (out->str, stdout);
  return CLI_EXIT_OK;
}

/* Free-read EFs of the MF an operator may want to see listed. */
static void
cpu_files (ClCard *card, GString *out)
{
  static const guint16 fids[] = { 0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0005,
                                  0x0006, 0x0015, 0x0016, 0x0017, 0x0018 };

  gsize before;

  g_string_append_printf (out, "%s:", _ ("Files in the MF"));
  before = out->len;
  for (gsize i = 0; i < G_N_ELEMENTS (fids); i++)
    {
      g_autoptr (GError) error = NULL;

      if (cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, NULL, NULL)
          && cl_fmcos_select_fid (card, fids[i], NULL, NULL, &error))
        {
          g_autoptr (GBytes) b =
              fids[i] == 0x0000 ? NULL : cl_fmcos_read_binary (card, 0, 0, 1, NULL, NULL);

          g_string_append_printf (out, " %04X%s", fids[i],
                                  fids[i] == 0x0000 ? _ ("(keys)")
                                  : b != NULL       ? _ ("(free read)")
                                                    : _ ("(protected)"));
        }
    }
  if (out->len == before)
    g_string_append_printf (out, " %s", _ ("none visible"));
  g_string_append_c (out, '\n');
}

static void
sle_details (ClCard *card, GString *out)
{
  g_autoptr (GError) error = NULL;
  g_autofree gboolean *map = g_new0 (gboolean, CL_SLE4428_SIZE);
  guint tries = 0;
  guint8 raw = 0;

  if (cl_sle4428_read_error_counter (card, &raw, &tries, NULL, &error))
    g_string_append_printf (out, "%s: %u/%u%s\n", _ ("PSC tries left"), tries, CL_SLE4428_MAX_TRIES,
                            tries == 0 ? _ (" (locked)") : "");
  else
    g_string_append_printf (out, "%s: %s\n", _ ("PSC tries left"), error->message);
  g_clear_error (&error);
  if (cl_sle4428_read_protection (card, 0, CL_SLE4428_SIZE, map, NULL, &error))
    {
      g_autofree char *summary = cl_sle4428_protection_summary (map);

      g_string_append_printf (out, "%s: %s\n", _ ("Protection"), summary);
    }
  else
    g_string_append_printf (out, "%s: %s\n", _ ("Protection"), error->message);
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
  g_autofree char *sn = NULL;
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
  card = probe (ctx, reader, &info, &error);
  if (card == NULL)
    {
      fail (reader, error);
      return CLI_EXIT_FAILURE;
    }

  sn = info.has_serial ? cl_hex_encode (info.serial, 8) : g_strdup ("-");
  g_string_append_printf (out, "%s: %s\n%s: %s (%s)\n%s: %s\n", _ ("Reader"), reader, _ ("Kind"),
                          cl_card_kind_describe (info.kind), cl_card_kind_to_string (info.kind),
                          _ ("Serial"), sn);
  if (info.has_info)
    {
      g_autofree char *date = cl_hex_encode (info.created, 4);
      g_autofree char *kcv1 = cl_hex_encode (info.kcv1, 3);
      g_autofree char *kcv2 = cl_hex_encode (info.kcv2, 3);

      g_string_append_printf (out, "%s: %u\n%s: %s\nKCV: %s %s\n", _ ("Layout version"),
                              info.layout_version, _ ("Created"), date, kcv1, kcv2);
    }
  if (info.kind == CL_CARD_KIND_SLE4428)
    sle_details (card, out);
  else if (info.kind != CL_CARD_KIND_UNKNOWN)
    cpu_files (card, out);
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
  describe_readers (ctx, out, &any);

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
