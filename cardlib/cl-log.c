/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-log.c: the redacted APDU log, the transcript ring and the error ring.
 *
 * Every exchange goes through cl_log_redact() (cl-redact.c) before any
 * string exists; this file adds what needs memory of earlier exchanges: the
 * GET RESPONSE that fetches a secret reply under T=0 is secret too.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-apdu.h"
#include "cl-error.h"
#include "cl-codec.h"
#include "cl-log.h"
#include "cl-redact.h"

#define DEFAULT_CAPACITY 512
#define ERRORS_CAPACITY 32

typedef struct {
  char *reader;
  char *atr; /* non-NULL for an R: entry */
  char *cmd;
  char *resp; /* NULL: no reply (card pulled) */
  guint16 sw;
} Entry;

static GMutex log_lock;
static GQueue transcript = G_QUEUE_INIT;
static guint transcript_capacity = DEFAULT_CAPACITY;
static GQueue errors = G_QUEUE_INIT;
/* Reader whose last command returned a secret reply still waiting in 61xx. */
static char *pending_secret_reader;

static void
entry_free (Entry *e)
{
  g_free (e->reader);
  g_free (e->atr);
  g_free (e->cmd);
  g_free (e->resp);
  g_free (e);
}

static void
transcript_push_locked (Entry *e)
{
  g_queue_push_tail (&transcript, e);
  while (transcript.length > transcript_capacity)
    entry_free (g_queue_pop_head (&transcript));
}

void
cl_log_exchange (const char *reader, const guint8 *capdu, gsize clen, ClApduFlags flags,
                 const guint8 *rapdu, gsize rlen)
{
  g_autofree char *cmd = NULL, *resp = NULL, *cmd_sp = NULL, *resp_sp = NULL;
  gboolean get_response;
  char sw_text[5];
  guint16 sw = 0;
  Entry *e;

  g_return_if_fail (capdu != NULL);

  if (reader == NULL)
    reader = "?";
  if (rapdu != NULL && rlen >= 2)
    sw = (rapdu[rlen - 2] << 8) | rapdu[rlen - 1];

  g_mutex_lock (&log_lock);
  /* A GET RESPONSE inherits the secrecy of the command that left 61xx. */
  get_response = clen >= 2 && capdu[1] == 0xC0 && capdu[0] != 0xFF;
  if (get_response && g_strcmp0 (pending_secret_reader, reader) == 0)
    flags |= CL_APDU_FLAG_SECRET_RESPONSE;
  g_clear_pointer (&pending_secret_reader, g_free);
  if (clen >= 4
      && ((flags & CL_APDU_FLAG_SECRET_RESPONSE) || cl_redact_reply_is_secret (capdu, clen))
      && (sw >> 8) == 0x61)
    pending_secret_reader = g_strdup (reader);

  cl_log_redact (capdu, clen, flags, rapdu, rlen, FALSE, &cmd, &resp);
  cl_log_redact (capdu, clen, flags, rapdu, rlen, TRUE, &cmd_sp, &resp_sp);

  e = g_new0 (Entry, 1);
  e->reader = g_strdup (reader);
  e->cmd = g_steal_pointer (&cmd);
  e->resp = rapdu != NULL && rlen >= 2 ? g_steal_pointer (&resp) : NULL;
  e->sw = sw;
  transcript_push_locked (e);
  g_mutex_unlock (&log_lock);

  /* Structured fields are plain strings; only MESSAGE takes a format. */
  g_snprintf (sw_text, sizeof sw_text, "%04X", sw);
  if (rapdu == NULL || rlen < 2)
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "CARDLIB_READER", reader, "CARDLIB_APDU",
                      cmd_sp, "MESSAGE", "%s > %s < (no reply)", reader, cmd_sp);
  else
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "CARDLIB_READER", reader, "CARDLIB_APDU",
                      cmd_sp, "CARDLIB_RESPONSE", resp_sp, "CARDLIB_SW", sw_text, "MESSAGE",
                      "%s > %s < %s%s%s", reader, cmd_sp, resp_sp, *resp_sp ? " " : "", sw_text);
}

void
cl_log_atr (const char *reader, const guint8 *atr, gsize len)
{
  Entry *e;

  g_return_if_fail (atr != NULL || len == 0);

  e = g_new0 (Entry, 1);
  e->reader = g_strdup (reader != NULL ? reader : "?");
  e->atr = len > 0 ? cl_hex_encode (atr, len) : g_strdup ("");
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_DEBUG, "CARDLIB_READER", e->reader, "CARDLIB_ATR",
                    e->atr, "MESSAGE", "%s: card ATR %s", e->reader, e->atr);
  g_mutex_lock (&log_lock);
  transcript_push_locked (e);
  g_mutex_unlock (&log_lock);
}

void
cl_log_error (const char *what, const GError *error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
  char *line;

  if (error == NULL)
    return;
  line = g_strdup_printf ("%s %s%s%s", stamp, what ? what : "", what ? ": " : "", error->message);
  g_mutex_lock (&log_lock);
  g_queue_push_tail (&errors, line);
  while (errors.length > ERRORS_CAPACITY)
    g_free (g_queue_pop_head (&errors));
  g_mutex_unlock (&log_lock);
}

char **
cl_log_get_recent_errors (void)
{
  GPtrArray *out = g_ptr_array_new ();

  g_mutex_lock (&log_lock);
  for (GList *l = errors.head; l != NULL; l = l->next)
    g_ptr_array_add (out, g_strdup (l->data));
  g_mutex_unlock (&log_lock);
  g_ptr_array_add (out, NULL);
  return (char **) g_ptr_array_free (out, FALSE);
}

void
cl_transcript_set_capacity (guint capacity)
{
  g_return_if_fail (capacity > 0);

  g_mutex_lock (&log_lock);
  transcript_capacity = capacity;
  while (transcript.length > transcript_capacity)
    entry_free (g_queue_pop_head (&transcript));
  g_mutex_unlock (&log_lock);
}

void
cl_transcript_clear (void)
{
  g_mutex_lock (&log_lock);
  g_queue_clear_full (&transcript, (GDestroyNotify) entry_free);
  g_clear_pointer (&pending_secret_reader, g_free);
  g_mutex_unlock (&log_lock);
}

char *
cl_transcript_to_string (void)
{
  GString *s = g_string_new ("# cardpeek trace file\n# version 0\n"
                             "# insucard APDU transcript; redacted bytes are shown as **\n");
  const char *last_reader = NULL;

  g_mutex_lock (&log_lock);
  for (GList *l = transcript.head; l != NULL; l = l->next)
    {
      Entry *e = l->data;

      if (g_strcmp0 (last_reader, e->reader) != 0)
        g_string_append_printf (s, "# reader: %s\n", e->reader);
      last_reader = e->reader;
      if (e->atr != NULL)
        g_string_append_printf (s, "R:%s\n", e->atr);
      else if (e->resp == NULL)
        g_string_append_printf (s, "# C:%s: no reply (card removed or reader gone)\n", e->cmd);
      else
        g_string_append_printf (s, "C:%s:%04X:%s\n", e->cmd, e->sw, e->resp);
    }
  g_mutex_unlock (&log_lock);
  g_string_append (s, "# end\n");
  return g_string_free (s, FALSE);
}

gboolean
cl_transcript_save (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  text = cl_transcript_to_string ();
  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local))
    {
      g_set_error (error, CL_ERROR, CL_ERROR_FAILED, _ ("Could not save the transcript: %s"),
                   local->message);
      return FALSE;
    }
  return TRUE;
}
