/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-db-path.c: the database path from option, environment or default. */
#include "config.h"

#include "ic-db-path.h"

char *
ic_db_path_resolve (const char *option, gboolean training)
{
  const char *env = g_getenv ("INSUCARD_DB");

  if (option != NULL && *option != '\0')
    return g_strdup (option);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "insucard",
                           training ? "training.db" : "insucard.db", NULL);
}
