/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-report.c: readers and cards described without keys, and hints for
 * the reader stack's errors (wf-report.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <pcsclite.h>

#include "cl-codec.h"
#include "cl-error.h"
#include "cl-fmcos.h"
#include "cl-log.h"
#include "cl-sle4428.h"
#include "wf-layout.h"
#include "wf-opcard-data.h"
#include "wf-report.h"

const char *
wf_error_hint (const GError *error)
{
  if (g_error_matches (error, CL_ERROR, CL_ERROR_NO_SERVICE))
    return _ ("Check: “systemctl status pcscd” shows whether the service runs (package pcscd). "
              "For a training desk without readers, set INSUCARD_READER_BACKEND=sim.");
  if (g_error_matches (error, CL_ERROR, CL_ERROR_NO_READER))
    return _ ("Check: is the reader plugged in (try another USB port) and its driver installed "
              "(libccid)? “pcsc_scan” lists the readers the system sees. Set "
              "INSUCARD_READER_R1/INSUCARD_READER_R2 to the full reader names.");
  if (g_error_matches (error, CL_ERROR, CL_ERROR_NO_CARD))
    return _ ("Check: is a card inserted, chip first and facing up?");
  return NULL;
}

static char *
hex_of (GBytes *b)
{
  return b != NULL ? cl_hex_encode (g_bytes_get_data (b, NULL), g_bytes_get_size (b))
                   : g_strdup ("-");
}

ClCard *
wf_report_probe (ClContext *ctx, const char *reader, ClCardInfo *info, GError **error)
{
  g_autoptr (ClCard) card = cl_context_connect (ctx, reader, NULL, error);

  if (card == NULL)
    return NULL;
  if (!cl_card_detect (card, info, NULL, error))
    return NULL;
  return g_steal_pointer (&card);
}

void
wf_report_readers (ClContext *ctx, GString *out, gboolean *any)
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
      card = wf_report_probe (ctx, readers[i], &info, &local);
      if (card == NULL)
        {
          if (g_error_matches (local, CL_ERROR, CL_ERROR_NO_CARD))
            g_string_append_printf (out, "  %s\n", _ ("no card"));
          /* Held by a logged-in desk (its operator card) or another
           * program: the card is fine, so not an error to report. */
          else if (g_error_matches (local, CL_ERROR, CL_ERROR_SHARING_VIOLATION))
            g_string_append_printf (out, "  %s\n",
                                    _ ("card in use (an operator is logged in, or another "
                                       "program holds it)"));
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

void
wf_report_card (ClCard *card, const char *reader, const ClCardInfo *info, GString *out)
{
  g_autofree char *sn = info->has_serial ? cl_hex_encode (info->serial, 8) : g_strdup ("-");

  g_string_append_printf (out, "%s: %s\n%s: %s (%s)\n%s: %s\n", _ ("Reader"), reader, _ ("Kind"),
                          cl_card_kind_describe (info->kind), cl_card_kind_to_string (info->kind),
                          _ ("Serial"), sn);
  if (info->has_info)
    {
      g_autofree char *date = cl_hex_encode (info->created, 4);
      g_autofree char *kcv1 = cl_hex_encode (info->kcv1, 3);
      g_autofree char *kcv2 = cl_hex_encode (info->kcv2, 3);

      g_string_append_printf (out, "%s: %u\n%s: %s\nKCV: %s %s\n", _ ("Layout version"),
                              info->layout_version, _ ("Created"), date, kcv1, kcv2);
    }
  if (info->kind == CL_CARD_KIND_SLE4428)
    sle_details (card, out);
  else if (info->kind != CL_CARD_KIND_UNKNOWN)
    cpu_files (card, out);
}

/* The pcscd this system would run (the library linked is only what we
 * were built against). */
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

char *
wf_report_support (ClContext *context)
{
  GString *out = g_string_new (NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  g_autofree char *pcscd = pcscd_runtime_version ();
  g_autofree char *transcript = NULL;
  g_auto (GStrv) errors = NULL;
  gboolean any = FALSE;

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
  g_string_append_printf (
      out, "reader backend: %s\n",
      context != NULL ? cl_reader_backend_to_string (cl_context_get_backend (context)) : "-");

  g_string_append (out, "\n[readers]\n");
  if (context != NULL)
    wf_report_readers (context, out, &any);
  else
    g_string_append (out, _ ("Readers: not opened (the desk could not start)\n"));

  g_string_append (out, "\n[last errors]\n");
  errors = cl_log_get_recent_errors ();
  if (errors[0] == NULL)
    g_string_append (out, _ ("none\n"));
  for (guint i = 0; errors[i] != NULL; i++)
    g_string_append_printf (out, "%s\n", errors[i]);

  g_string_append (out, "\n[apdu transcript]\n");
  transcript = cl_transcript_to_string ();
  g_string_append (out, transcript);
  return g_string_free (out, FALSE);
}

gboolean
wf_report_support_save (const char *text, const char *path, GError **error)
{
  g_return_val_if_fail (text != NULL && path != NULL, FALSE);

  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* -- a card's facts --------------------------------------------------------------------------- */

void
wf_card_facts_clear (WfCardFacts *facts)
{
  g_clear_pointer (&facts->holder_name, g_free);
  g_clear_pointer (&facts->workstation, g_free);
  memset (facts, 0, sizeof *facts);
}

/* The holder file (and a key card's identification file) of the ADF; a
 * file that cannot be read or does not check leaves the fields NULL. */
static gboolean
opcard_facts (ClCard *card, WfCardFacts *facts, GCancellable *cancellable, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GBytes) h = NULL;
  g_autoptr (GBytes) i = NULL;
  g_auto (WfOpHolder) holder = { 0 };
  g_auto (WfOpIdent) ident = { 0 };

  if (!cl_fmcos_select_name (card, (const guint8 *) WF_ADF_NAME, strlen (WF_ADF_NAME), NULL,
                             cancellable, &local))
    goto unreadable;
  h = cl_fmcos_read_binary (card, 0x15, 0, WF_HOLDER_LEN, cancellable, &local);
  if (h == NULL)
    goto unreadable;
  if (wf_op_holder_decode (g_bytes_get_data (h, NULL), g_bytes_get_size (h), &holder, NULL))
    {
      facts->holder_name = g_steal_pointer (&holder.name);
      facts->role = holder.role;
    }
  if (facts->info.kind == CL_CARD_KIND_KC)
    {
      i = cl_fmcos_read_binary (card, 0x17, 0, WF_IDENT_LEN, cancellable, &local);
      if (i == NULL)
        goto unreadable;
      if (wf_op_ident_decode (g_bytes_get_data (i, NULL), g_bytes_get_size (i), &ident, NULL))
        facts->workstation = g_steal_pointer (&ident.workstation);
    }
  return cl_fmcos_select_fid (card, CL_FMCOS_MF, NULL, cancellable, error);

unreadable:
  /* A file missing or refused says only that the card is damaged; a card
   * that left the reader is an error. */
  if (g_error_matches (local, CL_ERROR, CL_ERROR_CARD_REMOVED)
      || g_error_matches (local, CL_ERROR, CL_ERROR_CARD_CHANGED)
      || g_error_matches (local, CL_ERROR, CL_ERROR_READER_GONE)
      || g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

/* The clear blocks of an insurance card: its number and status. */
static gboolean
sle_facts (ClCard *card, WfCardFacts *facts, GCancellable *cancellable, GError **error)
{
  g_autoptr (GBytes) mem = cl_sle4428_read (card, 0, WF_ICARD_MEM_LEN, cancellable, error);
  WfIcardView view;

  if (mem == NULL)
    return FALSE;
  wf_icard_decode (g_bytes_get_data (mem, NULL), NULL, &view);
  facts->blank = view.blank;
  if (view.number_check == WF_ICARD_CHECK_OK)
    g_strlcpy (facts->card_number, view.data.card_number, sizeof facts->card_number);
  if (view.status_check == WF_ICARD_CHECK_OK)
    facts->status = view.data.status;
  wf_icard_view_clear (&view);
  return TRUE;
}

gboolean
wf_report_card_facts (ClCard *card, WfCardFacts *facts, GCancellable *cancellable, GError **error)
{
  gboolean ok;

  g_return_val_if_fail (CL_IS_CARD (card), FALSE);
  g_return_val_if_fail (facts != NULL, FALSE);

  memset (facts, 0, sizeof *facts);
  if (!cl_card_begin (card, cancellable, error))
    return FALSE;
  ok = cl_card_detect (card, &facts->info, cancellable, error);
  if (ok && (facts->info.kind == CL_CARD_KIND_AC || facts->info.kind == CL_CARD_KIND_KC))
    ok = opcard_facts (card, facts, cancellable, error);
  else if (ok && facts->info.kind == CL_CARD_KIND_SLE4428)
    ok = sle_facts (card, facts, cancellable, error);
  cl_card_end (card);
  if (!ok)
    wf_card_facts_clear (facts);
  return ok;
}
