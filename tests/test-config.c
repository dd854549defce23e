/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-config.c: the environment is read once, in app/ (ic-config), and
 * handed to cardlib explicitly. */
#include "config.h"

#include <glib/gstdio.h>

#include "cl-error.h"
#include "ic-config.h"

static void
clear_env (void)
{
  g_unsetenv ("INSUCARD_READER_BACKEND");
  g_unsetenv ("INSUCARD_SIM_DECK");
  g_unsetenv ("INSUCARD_READER_R1");
  g_unsetenv ("INSUCARD_READER_R2");
  g_unsetenv ("INSUCARD_WORKSTATION");
  g_unsetenv ("INSUCARD_DB");
}

static void
test_defaults (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (IcConfig) config = NULL;

  clear_env ();
  config = ic_config_new_from_environment (&error);
  g_assert_no_error (error);
  g_assert_cmpint (config->backend, ==, CL_READER_BACKEND_PCSC);
  g_assert_null (config->deck_dir);
  g_assert_null (config->reader_r1);
  g_assert_null (config->reader_r2);
}

static void
test_backend (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (IcConfig) config = NULL;

  clear_env ();
  g_setenv ("INSUCARD_READER_BACKEND", "sim", TRUE);
  g_setenv ("INSUCARD_SIM_DECK", "/tmp/some-deck", TRUE);
  config = ic_config_new_from_environment (&error);
  g_assert_no_error (error);
  g_assert_cmpint (config->backend, ==, CL_READER_BACKEND_SIM);
  g_assert_cmpstr (config->deck_dir, ==, "/tmp/some-deck");
  g_clear_pointer (&config, ic_config_free);

  g_setenv ("INSUCARD_READER_BACKEND", "pcsc", TRUE);
  config = ic_config_new_from_environment (&error);
  g_assert_no_error (error);
  g_assert_cmpint (config->backend, ==, CL_READER_BACKEND_PCSC);
  g_clear_pointer (&config, ic_config_free);

  g_setenv ("INSUCARD_READER_BACKEND", "floppy", TRUE);
  config = ic_config_new_from_environment (&error);
  g_assert_null (config);
  g_assert_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "floppy"));
  clear_env ();
}

/* The reader names from the environment reach the context; the context
 * itself reads nothing (it still has no binding after the environment
 * changes). */
static void
test_roles_reach_context (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (IcConfig) config = NULL;
  g_autoptr (ClContext) ctx = NULL;
  g_autoptr (ClContext) bare = NULL;
  g_autofree char *r1 = NULL, *r2 = NULL, *none = NULL;

  clear_env ();
  g_setenv ("INSUCARD_READER_R1", "ACS ACR39U ICC Reader 00 00", TRUE);
  g_setenv ("INSUCARD_READER_R2", "ACS ACR39U ICC Reader 01 00", TRUE);
  config = ic_config_new_from_environment (&error);
  g_assert_no_error (error);
  ctx = ic_config_create_context (config);
  r1 = cl_context_dup_reader_name (ctx, CL_READER_ROLE_R1);
  r2 = cl_context_dup_reader_name (ctx, CL_READER_ROLE_R2);
  g_assert_cmpstr (r1, ==, "ACS ACR39U ICC Reader 00 00");
  g_assert_cmpstr (r2, ==, "ACS ACR39U ICC Reader 01 00");

  bare = cl_context_new (CL_READER_BACKEND_PCSC, NULL);
  none = cl_context_dup_reader_name (bare, CL_READER_ROLE_R1);
  g_assert_null (none);
  clear_env ();
}

/* The administrator's file names the desk for good with real readers;
 * training desks may go by any name. */
static void
test_fixed_workstation (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (IcConfig) config = NULL;
  g_autofree char *dir = g_dir_make_tmp ("insucard-config-XXXXXX", &error);
  g_autofree char *file = g_build_filename (dir, "workstation", NULL);
  g_autofree char *missing = g_build_filename (dir, "none", NULL);

  g_assert_no_error (error);
  clear_env ();
  g_setenv ("INSUCARD_WORKSTATION", "FROM-ENV", TRUE);
  config = ic_config_new_from_environment (&error);
  g_assert_no_error (error);
  g_assert_true (ic_config_load_workstation_file (config, missing, &error));
  g_assert_false (config->workstation_fixed);
  g_assert_cmpstr (config->workstation, ==, "FROM-ENV");
  g_assert_true (ic_config_check_workstation (config, CL_READER_BACKEND_PCSC, "ANY", &error));

  g_assert_true (g_file_set_contents (file, "  DESK-07 \nignored\n", -1, &error));
  g_assert_true (ic_config_load_workstation_file (config, file, &error));
  g_assert_true (config->workstation_fixed);
  g_assert_cmpstr (config->workstation, ==, "DESK-07");
  g_assert_true (ic_config_check_workstation (config, CL_READER_BACKEND_PCSC, "DESK-07", &error));
  g_assert_false (ic_config_check_workstation (config, CL_READER_BACKEND_PCSC, "DESK-99", &error));
  g_assert_nonnull (strstr (error->message, "DESK-07"));
  g_clear_error (&error);
  g_assert_true (ic_config_check_workstation (config, CL_READER_BACKEND_SIM, "DESK-99", &error));
  g_assert_no_error (error);

  g_remove (file);
  g_rmdir (dir);
  clear_env ();
}

/* The preferences fill what the environment left unset, never more; an
 * empty preference leaves the default; a fixed workstation name stays. */
static void
test_preferences (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (IcConfig) config = NULL;
  g_autofree char *dir = g_dir_make_tmp ("insucard-config-XXXXXX", &error);
  g_autofree char *file = g_build_filename (dir, "workstation", NULL);
  const IcPreferences prefs = { "Pref Reader 00", "Pref Reader 01", "PREF-DESK", "/pref/db" };
  const IcPreferences empty = { "", NULL, "", "" };

  g_assert_no_error (error);
  clear_env ();
  config = ic_config_new_from_environment (&error);
  g_assert_no_error (error);
  g_assert_cmpint (config->from_environment, ==, 0);
  ic_config_apply_preferences (config, &empty);
  g_assert_null (config->reader_r1);
  g_assert_null (config->db_path);
  g_assert_cmpstr (config->workstation, ==, g_get_host_name ());
  ic_config_apply_preferences (config, &prefs);
  g_assert_cmpstr (config->reader_r1, ==, "Pref Reader 00");
  g_assert_cmpstr (config->reader_r2, ==, "Pref Reader 01");
  g_assert_cmpstr (config->workstation, ==, "PREF-DESK");
  g_assert_cmpstr (config->db_path, ==, "/pref/db");
  g_clear_pointer (&config, ic_config_free);

  /* The environment wins over the preferences, field by field. */
  g_setenv ("INSUCARD_READER_R1", "Env Reader 00", TRUE);
  g_setenv ("INSUCARD_WORKSTATION", "ENV-DESK", TRUE);
  g_setenv ("INSUCARD_DB", "/env/db", TRUE);
  config = ic_config_new_from_environment (&error);
  g_assert_no_error (error);
  g_assert_cmpint (config->from_environment, ==,
                   IC_CONFIG_READER_R1 | IC_CONFIG_WORKSTATION | IC_CONFIG_DB_PATH);
  ic_config_apply_preferences (config, &prefs);
  g_assert_cmpstr (config->reader_r1, ==, "Env Reader 00");
  g_assert_cmpstr (config->reader_r2, ==, "Pref Reader 01");
  g_assert_cmpstr (config->workstation, ==, "ENV-DESK");
  g_assert_cmpstr (config->db_path, ==, "/env/db");
  g_clear_pointer (&config, ic_config_free);

  /* The administrator's name wins over both. */
  clear_env ();
  config = ic_config_new_from_environment (&error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (file, "DESK-07\n", -1, &error));
  g_assert_true (ic_config_load_workstation_file (config, file, &error));
  ic_config_apply_preferences (config, &prefs);
  g_assert_true (config->workstation_fixed);
  g_assert_cmpstr (config->workstation, ==, "DESK-07");

  g_remove (file);
  g_rmdir (dir);
  clear_env ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/backend", test_backend);
  g_test_add_func ("/config/roles-reach-context", test_roles_reach_context);
  g_test_add_func ("/config/fixed-workstation", test_fixed_workstation);
  g_test_add_func ("/config/preferences", test_preferences);
  return g_test_run ();
}
