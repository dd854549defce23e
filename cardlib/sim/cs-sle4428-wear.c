/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-sle4428-wear.c: what writing cost an SLE4428 (docs/card-formats.md,
 * "Wear counts"), so that tests can assert how many bytes a task wrote and
 * the clerk's trainer can see it in `insucard-cardsim show`.
 *
 * Per ISSI's IS23SC4428 datasheet (erase = 0 -> 1, write = 1 -> 0): a byte
 * whose new value needs any bit erased costs an erase+write cycle, any
 * other write a write-only cycle.
 */
#include "cs-sle4428-wear.h"

#include <string.h>

#define LINE_BYTES 16
#define GROUP "wear"

static const char *const total_keys[] = { "bytes-written", "erase-write-cycles",
                                          "write-only-cycles", "protect-bits-set", NULL };

void
cs_sle4428_wear_count_write (CsSle4428WearState *w, guint addr, guint8 old, guint8 new_value)
{
  g_assert (addr < CS_SLE4428_MEM_SIZE);
  w->byte_writes[addr]++;
  w->totals.bytes_written++;
  if (new_value & ~old)
    w->totals.erase_write_cycles++;
  else
    w->totals.write_only_cycles++;
}

void
cs_sle4428_wear_save (const CsSle4428WearState *w, GKeyFile *kf)
{
  char key[8];

  /* A card never written keeps the image as it was before wear was
   * counted. */
  if (w->totals.bytes_written == 0 && w->totals.protect_bits_set == 0)
    return;
  g_key_file_set_uint64 (kf, GROUP, "bytes-written", w->totals.bytes_written);
  g_key_file_set_uint64 (kf, GROUP, "erase-write-cycles", w->totals.erase_write_cycles);
  g_key_file_set_uint64 (kf, GROUP, "write-only-cycles", w->totals.write_only_cycles);
  g_key_file_set_uint64 (kf, GROUP, "protect-bits-set", w->totals.protect_bits_set);
  for (guint line = 0; line < CS_SLE4428_MEM_SIZE; line += LINE_BYTES)
    {
      GString *s;
      gboolean any = FALSE;

      for (guint i = 0; i < LINE_BYTES; i++)
        any |= w->byte_writes[line + i] != 0;
      if (!any)
        continue;
      s = g_string_new (NULL);
      for (guint i = 0; i < LINE_BYTES; i++)
        g_string_append_printf (s, "%s%u", i ? " " : "", w->byte_writes[line + i]);
      g_snprintf (key, sizeof key, "%03X", line);
      g_key_file_set_string (kf, GROUP, key, s->str);
      g_string_free (s, TRUE);
    }
  g_key_file_set_comment (kf, GROUP, NULL,
                          " totals since the factory; then per line of 16 bytes, how often each "
                          "byte was written (lines never written are left out)",
                          NULL);
}

static gboolean
bad (GError **error, const char *what)
{
  g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE, "SLE4428 image: [wear] %s",
               what);
  return FALSE;
}

static gboolean
get_total (GKeyFile *kf, const char *key, guint64 *out, GError **error)
{
  g_autofree char *text = g_key_file_get_string (kf, GROUP, key, NULL);

  if (text == NULL
      || !g_ascii_string_to_unsigned (g_strstrip (text), 10, 0, G_MAXUINT64 / 2, out, NULL))
    return bad (error, "has a bad or missing total");
  return TRUE;
}

static gboolean
parse_line (const char *text, guint32 out[LINE_BYTES])
{
  g_auto (GStrv) parts = g_strsplit (text, " ", -1);
  guint n = 0;

  for (guint i = 0; parts[i]; i++)
    {
      guint64 v;

      if (parts[i][0] == '\0')
        continue;
      if (n == LINE_BYTES || !g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT32, &v, NULL))
        return FALSE;
      out[n++] = v;
    }
  return n == LINE_BYTES;
}

gboolean
cs_sle4428_wear_load (CsSle4428WearState *w, GKeyFile *kf, GError **error)
{
  g_auto (GStrv) keys = NULL;
  guint64 sum = 0;

  memset (w, 0, sizeof *w);
  if (!g_key_file_has_group (kf, GROUP))
    return TRUE;
  if (!get_total (kf, "bytes-written", &w->totals.bytes_written, error)
      || !get_total (kf, "erase-write-cycles", &w->totals.erase_write_cycles, error)
      || !get_total (kf, "write-only-cycles", &w->totals.write_only_cycles, error)
      || !get_total (kf, "protect-bits-set", &w->totals.protect_bits_set, error))
    return FALSE;
  keys = g_key_file_get_keys (kf, GROUP, NULL, NULL);
  for (guint k = 0; keys != NULL && keys[k]; k++)
    {
      g_autofree char *text = NULL;
      guint64 line;

      if (g_strv_contains (total_keys, keys[k]))
        continue;
      if (strlen (keys[k]) != 3 || !g_ascii_string_to_unsigned (keys[k], 16, 0, 0x3F0, &line, NULL)
          || line % LINE_BYTES != 0)
        return bad (error, "has a key that is neither a total nor a line address");
      text = g_key_file_get_string (kf, GROUP, keys[k], NULL);
      if (text == NULL || !parse_line (text, w->byte_writes + line))
        return bad (error, "has a bad line");
    }
  for (guint i = 0; i < CS_SLE4428_MEM_SIZE; i++)
    sum += w->byte_writes[i];
  if (sum != w->totals.bytes_written
      || w->totals.erase_write_cycles + w->totals.write_only_cycles != w->totals.bytes_written)
    return bad (error, "totals disagree with each other or with the lines");
  return TRUE;
}

void
cs_sle4428_wear_describe (const CsSle4428WearState *w, GString *out)
{
  guint most = 0;

  for (guint i = 1; i < CS_SLE4428_MEM_SIZE; i++)
    if (w->byte_writes[i] > w->byte_writes[most])
      most = i;
  g_string_append_printf (out,
                          "writes:  %" G_GUINT64_FORMAT " bytes written (%" G_GUINT64_FORMAT
                          " erase+write, %" G_GUINT64_FORMAT
                          " write-only cycles), %" G_GUINT64_FORMAT " protect bits set\n",
                          w->totals.bytes_written, w->totals.erase_write_cycles,
                          w->totals.write_only_cycles, w->totals.protect_bits_set);
  if (w->byte_writes[most] > 0)
    g_string_append_printf (out, "         most written: byte %03X, %u times\n", most,
                            w->byte_writes[most]);
}
