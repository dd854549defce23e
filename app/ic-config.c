/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-config.c: the desk's configuration from the environment (ic-config.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ic-config.h"

void
ic_config_set (char **field, const char *value)
{
  g_free (*field);
  *field = value != NULL && *value != '\0' ? g_strdup (value) : NULL;
}

IcConfig *
ic_config_new_from_environment (GError **error)
{
  g_autoptr (IcConfig) config = g_new0 (IcConfig, 1);

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!cl_reader_backend_from_string (g_getenv ("INSUCARD_READER_BACKEND"), &config->backend,
                                      error))
    return NULL;
  ic_config_set (&config->deck_dir, g_getenv ("INSUCARD_SIM_DECK"));
  ic_config_set (&config->reader_r1, g_getenv ("INSUCARD_READER_R1"));
  ic_config_set (&config->reader_r2, g_getenv ("INSUCARD_READER_R2"));
  ic_config_set (&config->db_path, g_getenv ("INSUCARD_DB"));
  if (!ic_config_load_workstation_file (config, IC_WORKSTATION_FILE, error))
    return NULL;
  if (!config->workstation_fixed)
    ic_config_set (&config->workstation, g_getenv ("INSUCARD_WORKSTATION"));
  config->from_environment =
      (config->reader_r1 != NULL ? IC_CONFIG_READER_R1 : 0)
      | (config->reader_r2 != NULL ? IC_CONFIG_READER_R2 : 0)
      | (config->db_path != NULL ? IC_CONFIG_DB_PATH : 0)
      | (config->workstation != NULL && !config->workstation_fixed ? IC_CONFIG_WORKSTATION : 0);
  if (config->workstation == NULL)
    config->workstation = g_strdup (g_get_host_name ());
  return g_steal_pointer (&config);
}

static void
apply_one (IcConfig *config, IcConfigField field, char **value, const char *pref)
{
  if ((config->from_environment & field) == 0 && pref != NULL && *pref != '\0')
    ic_config_set (value, pref);
}

void
ic_config_apply_preferences (IcConfig *config, const IcPreferences *prefs)
{
  g_return_if_fail (config != NULL && prefs != NULL);

  apply_one (config, IC_CONFIG_READER_R1, &config->reader_r1, prefs->reader_r1);
  apply_one (config, IC_CONFIG_READER_R2, &config->reader_r2, prefs->reader_r2);
  apply_one (config, IC_CONFIG_DB_PATH, &config->db_path, prefs->db_path);
  if (!config->workstation_fixed)
    apply_one (config, IC_CONFIG_WORKSTATION, &config->workstation, prefs->workstation);
}

void
ic_config_free (IcConfig *config)
{
  if (config == NULL)
    return;
  g_free (config->deck_dir);
  g_free (config->reader_r1);
  g_free (config->reader_r2);
  g_free (config->db_path);
  g_free (config->workstation);
  g_free (config);
}

gboolean
ic_config_load_workstation_file (IcConfig *config, const char *path, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  char *end;

  if (!g_file_get_contents (path, &text, NULL, &local))
    {
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      g_propagate_prefixed_error (error, g_steal_pointer (&local), "%s: ", path);
      return FALSE;
    }
  end = strchr (text, '\n');
  if (end != NULL)
    *end = '\0';
  g_strstrip (text);
  if (*text == '\0')
    return TRUE;
  ic_config_set (&config->workstation, text);
  config->workstation_fixed = TRUE;
  return TRUE;
}

gboolean
ic_config_check_workstation (const IcConfig *config, ClReaderBackend backend, const char *name,
                             GError **error)
{
  if (!config->workstation_fixed || backend == CL_READER_BACKEND_SIM
      || g_strcmp0 (name, config->workstation) == 0)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _ ("This desk is “%s”, as the system administrator set in %s; with real readers "
                  "it cannot go by another name."),
               config->workstation, IC_WORKSTATION_FILE);
  return FALSE;
}

char *
ic_config_resolve_db_path (const IcConfig *config, const char *option, gboolean training)
{
  if (option != NULL && *option != '\0')
    return g_strdup (option);
  if (config->db_path != NULL)
    return g_strdup (config->db_path);
  return g_build_filename (g_get_user_data_dir (), "insucard",
                           training ? "training.db" : "insucard.db", NULL);
}

ClContext *
ic_config_create_context (const IcConfig *config)
{
  ClContext *ctx;

  g_return_val_if_fail (config != NULL, NULL);

  ctx = cl_context_new (config->backend, config->deck_dir);
  cl_context_set_reader_name (ctx, CL_READER_ROLE_R1, config->reader_r1);
  cl_context_set_reader_name (ctx, CL_READER_ROLE_R2, config->reader_r2);
  return ctx;
}
