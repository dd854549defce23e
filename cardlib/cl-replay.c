/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-replay.c: answers the commands of a saved transcript, in order.
 *
 * Reads cardpeek trace files as written by cl_transcript_save() (and by
 * cardpeek itself).  Redacted bytes ("**") in a recorded command match any
 * byte, so a bug report's redacted PSC presentation still replays; a
 * redacted reply byte comes back as 00.
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-error.h"
#include "cl-log.h"

#define WILDCARD (-1)

typedef struct {
  GArray *cmd; /* gint16: byte value, or WILDCARD */
  GBytes *reply; /* data ‖ SW */
} Exchange;

struct _ClReplay {
  GBytes *atr;
  GPtrArray *exchanges;
  guint next;
};

static void
exchange_free (Exchange *x)
{
  g_array_unref (x->cmd);
  g_bytes_unref (x->reply);
  g_free (x);
}

/* "00A4**" -> {0x00, 0xA4, WILDCARD}; spaces are ignored. */
static GArray *
parse_pattern (const char *hex, gboolean *ok)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint16));
  const char *p = hex;

  *ok = TRUE;
  while (*p)
    {
      gint16 v;

      if (*p == ' ')
        {
          p++;
          continue;
        }
      if (p[1] == '\0')
        {
          *ok = FALSE;
          break;
        }
      if (p[0] == '*' && p[1] == '*')
        v = WILDCARD;
      else if (g_ascii_isxdigit (p[0]) && g_ascii_isxdigit (p[1]))
        v = (g_ascii_xdigit_value (p[0]) << 4) | g_ascii_xdigit_value (p[1]);
      else
        {
          *ok = FALSE;
          break;
        }
      g_array_append_val (out, v);
      p += 2;
    }
  return out;
}

static gboolean
bad_line (GError **error, guint lineno)
{
  g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
               _ ("The transcript is not readable (line %u)."), lineno);
  return FALSE;
}

static gboolean
parse_line (ClReplay *replay, const char *line, guint lineno, GError **error)
{
  gboolean ok;

  if (line[0] == '\0' || line[0] == '#')
    return TRUE;
  if (g_str_has_prefix (line, "R:"))
    {
      g_autoptr (GArray) atr = parse_pattern (line + 2, &ok);
      g_autoptr (GByteArray) bytes = g_byte_array_new ();

      if (!ok)
        return bad_line (error, lineno);
      for (guint i = 0; i < atr->len; i++)
        {
          guint8 b = MAX (g_array_index (atr, gint16, i), 0);

          g_byte_array_append (bytes, &b, 1);
        }
      if (replay->atr == NULL)
        replay->atr = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
      return TRUE;
    }
  if (g_str_has_prefix (line, "C:"))
    {
      g_auto (GStrv) f = g_strsplit (line + 2, ":", 3);
      g_autoptr (GArray) resp = NULL;
      g_autoptr (GByteArray) reply = g_byte_array_new ();
      Exchange *x;
      guint64 sw;
      guint8 swb[2];

      if (g_strv_length (f) < 2 || strlen (g_strstrip (f[1])) != 4
          || !g_ascii_string_to_unsigned (f[1], 16, 0, 0xFFFF, &sw, NULL))
        return bad_line (error, lineno);
      resp = parse_pattern (f[2] != NULL ? g_strstrip (f[2]) : "", &ok);
      if (!ok)
        return bad_line (error, lineno);
      x = g_new0 (Exchange, 1);
      x->cmd = parse_pattern (f[0], &ok);
      if (!ok || x->cmd->len < 4)
        {
          exchange_free (x);
          return bad_line (error, lineno);
        }
      for (guint i = 0; i < resp->len; i++)
        {
          guint8 b = MAX (g_array_index (resp, gint16, i), 0);

          g_byte_array_append (reply, &b, 1);
        }
      swb[0] = sw >> 8;
      swb[1] = sw & 0xFF;
      g_byte_array_append (reply, swb, 2);
      x->reply = g_byte_array_free_to_bytes (g_steal_pointer (&reply));
      g_ptr_array_add (replay->exchanges, x);
      return TRUE;
    }
  return bad_line (error, lineno);
}

ClReplay *
cl_replay_new_from_data (const char *text, gssize len, GError **error)
{
  g_autofree char *copy = NULL;
  g_auto (GStrv) lines = NULL;
  ClReplay *replay;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  copy = len < 0 ? g_strdup (text) : g_strndup (text, len);
  lines = g_strsplit (copy, "\n", -1);
  replay = g_new0 (ClReplay, 1);
  replay->exchanges = g_ptr_array_new_with_free_func ((GDestroyNotify) exchange_free);
  for (guint i = 0; lines[i] != NULL; i++)
    if (!parse_line (replay, g_strstrip (lines[i]), i + 1, error))
      {
        cl_replay_free (replay);
        return NULL;
      }
  return replay;
}

ClReplay *
cl_replay_new_from_file (const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &text, &len, &local))
    {
      g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT, _ ("Could not read the transcript: %s"),
                   local->message);
      return NULL;
    }
  return cl_replay_new_from_data (text, len, error);
}

GBytes *
cl_replay_get_atr (ClReplay *replay)
{
  g_return_val_if_fail (replay != NULL, NULL);
  return replay->atr != NULL ? g_bytes_ref (replay->atr) : NULL;
}

static gboolean
matches (GArray *pattern, const guint8 *capdu, gsize clen)
{
  if (pattern->len != clen)
    return FALSE;
  for (gsize i = 0; i < clen; i++)
    {
      gint16 v = g_array_index (pattern, gint16, i);

      if (v != WILDCARD && v != capdu[i])
        return FALSE;
    }
  return TRUE;
}

GBytes *
cl_replay_transmit (ClReplay *replay, const guint8 *capdu, gsize clen, GError **error)
{
  Exchange *x;

  g_return_val_if_fail (replay != NULL, NULL);
  g_return_val_if_fail (capdu != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (replay->next >= replay->exchanges->len)
    {
      g_set_error (error, CL_ERROR, CL_ERROR_CARD_REMOVED,
                   _ ("The transcript has no more exchanges (after %u)."), replay->next);
      return NULL;
    }
  x = g_ptr_array_index (replay->exchanges, replay->next);
  if (!matches (x->cmd, capdu, clen))
    {
      g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
                   _ ("The command differs from the transcript at exchange %u."), replay->next + 1);
      return NULL;
    }
  replay->next++;
  return g_bytes_ref (x->reply);
}

guint
cl_replay_get_remaining (ClReplay *replay)
{
  g_return_val_if_fail (replay != NULL, 0);
  return replay->exchanges->len - replay->next;
}

void
cl_replay_free (ClReplay *replay)
{
  if (replay == NULL)
    return;
  g_clear_pointer (&replay->atr, g_bytes_unref);
  g_ptr_array_unref (replay->exchanges);
  g_free (replay);
}
