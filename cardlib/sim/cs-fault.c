/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cs-fault.c: parsing the fault specs of deck.ini and the environment. */
#include "cs-fault.h"

#include <string.h>

void
cs_faults_init (CsFaults *faults)
{
  g_return_if_fail (faults != NULL);
  faults->pull_after = 0;
  faults->tear_write = -1;
  faults->garbage_after = 0;
  faults->short_after = 0;
  faults->delay_ms = 0;
}

/* One key=value; unknown keys and bad numbers are errors, so a typo in a
 * test's fault spec fails loudly instead of silently testing nothing. */
static gboolean
set_one (CsFaults *faults, const char *key, const char *value, GError **error)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT, &v, error))
    {
      g_prefix_error (error, "fault %s: ", key);
      return FALSE;
    }
  if (strcmp (key, "pull-after") == 0)
    faults->pull_after = v;
  else if (strcmp (key, "tear-write") == 0)
    faults->tear_write = v;
  else if (strcmp (key, "garbage-after") == 0)
    faults->garbage_after = v;
  else if (strcmp (key, "short-after") == 0)
    faults->short_after = v;
  else if (strcmp (key, "delay-ms") == 0)
    faults->delay_ms = v;
  else
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                   "unknown fault “%s” (pull-after, tear-write, garbage-after, short-after, "
                   "delay-ms)",
                   key);
      return FALSE;
    }
  return TRUE;
}

gboolean
cs_faults_parse (CsFaults *faults, const char *spec, GError **error)
{
  g_auto (GStrv) items = NULL;
  CsFaults parsed = *faults;

  g_return_val_if_fail (faults != NULL, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  items = g_strsplit (spec, ";", -1);
  for (guint i = 0; items[i]; i++)
    {
      char *item = g_strstrip (items[i]);
      char *eq;

      if (*item == '\0')
        continue;
      eq = strchr (item, '=');
      if (eq == NULL)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE,
                       "fault “%s”: expected key=value", item);
          return FALSE;
        }
      *eq = '\0';
      if (!set_one (&parsed, g_strstrip (item), g_strstrip (eq + 1), error))
        return FALSE;
    }
  *faults = parsed; /* all or nothing */
  return TRUE;
}

void
cs_faults_from_keyfile (CsFaults *faults, GKeyFile *kf, guint slot)
{
  g_autofree char *group = g_strdup_printf ("faults.slot%u", slot);
  g_auto (GStrv) keys = NULL;

  g_return_if_fail (faults != NULL);

  if (kf == NULL)
    return;
  keys = g_key_file_get_keys (kf, group, NULL, NULL);
  for (guint i = 0; keys && keys[i]; i++)
    {
      g_autofree char *value = g_key_file_get_value (kf, group, keys[i], NULL);
      g_autoptr (GError) error = NULL;

      if (value && !set_one (faults, keys[i], g_strstrip (value), &error))
        g_message ("deck.ini [%s]: %s (ignored)", group, error->message);
    }
}

void
cs_faults_from_env (CsFaults *faults, guint slot)
{
  g_autofree char *name = g_strdup_printf ("INSUCARD_SIM_FAULTS_SLOT%u", slot);
  const char *spec = g_getenv (name);
  g_autoptr (GError) error = NULL;

  g_return_if_fail (faults != NULL);

  if (spec && !cs_faults_parse (faults, spec, &error))
    g_message ("%s: %s (ignored)", name, error->message);
}

gboolean
cs_faults_any (const CsFaults *faults)
{
  return faults->pull_after > 0 || faults->tear_write >= 0 || faults->garbage_after > 0
         || faults->short_after > 0 || faults->delay_ms > 0;
}
