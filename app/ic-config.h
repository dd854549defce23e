/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-config.h: how this desk reaches its readers and its database, and its
 * name, read once at start-up.
 *
 * The environment is read here and nowhere else; command-line options and
 * training mode then override the fields, and the result is passed down
 * explicitly (cardlib and db read no environment).  Variables:
 *   INSUCARD_READER_BACKEND  pcsc (default) or sim
 *   INSUCARD_SIM_DECK        the simulated card deck (sim)
 *   INSUCARD_READER_R1/_R2   full names of the key and user readers
 *   INSUCARD_DB              the database file
 *   INSUCARD_WORKSTATION     this desk's name (default: the host name)
 * then the user's preferences (the desk's GSettings, ic_config_apply_preferences())
 * fill what the environment left unset,
 * and one file, which the system administrator sets as root:
 *   SYSCONFDIR/insucard/workstation   this desk's name, fixed: key cards are
 *                                     bound to it, so real readers take no
 *                                     other (docs/user-guide.md)
 */
#pragma once

#include <glib.h>
#include "cl-context.h"

G_BEGIN_DECLS

/* The fields the environment or the preferences may set. */
typedef enum {
  IC_CONFIG_READER_R1 = 1 << 0,
  IC_CONFIG_READER_R2 = 1 << 1,
  IC_CONFIG_WORKSTATION = 1 << 2,
  IC_CONFIG_DB_PATH = 1 << 3,
} IcConfigField;

typedef struct {
  ClReaderBackend backend;
  char *deck_dir; /* sim: the deck; NULL = cardlib's default */
  char *reader_r1; /* NULL = not chosen (sim: the simulated R1) */
  char *reader_r2;
  char *db_path; /* NULL = the default (ic_config_resolve_db_path()) */
  char *workstation; /* never NULL */
  gboolean workstation_fixed; /* read from the administrator's file */
  IcConfigField from_environment; /* what the environment set */
} IcConfig;

/* The user's preferences; NULL or "" = not set. */
typedef struct {
  const char *reader_r1;
  const char *reader_r2;
  const char *workstation;
  const char *db_path;
} IcPreferences;

/* Fails only for an unknown INSUCARD_READER_BACKEND. */
IcConfig *ic_config_new_from_environment (GError **error);
void ic_config_free (IcConfig *config);

/* Fills each field from prefs unless the environment set it; a
 * workstation name fixed by the administrator stays whatever prefs say.
 * Precedence: command line > environment > preferences > defaults (the
 * command line is applied after this). */
void ic_config_apply_preferences (IcConfig *config, const IcPreferences *prefs);

/* The administrator's file of this desk's name (IC_WORKSTATION_FILE by
 * default): its first line, when the file exists. */
#define IC_WORKSTATION_FILE SYSCONFDIR "/insucard/workstation"
gboolean ic_config_load_workstation_file (IcConfig *config, const char *path, GError **error);

/* May this desk go by `name` with this backend?  With real readers a name
 * fixed by the administrator cannot be changed by an option. */
gboolean ic_config_check_workstation (const IcConfig *config, ClReaderBackend backend,
                                      const char *name, GError **error);

/* Replaces a string field (NULL or "" clears it). */
void ic_config_set (char **field, const char *value);

/* option (a --db value) if given, else db_path, else
 * $XDG_DATA_HOME/insucard/insucard.db (training: training.db beside it, so
 * training never opens the production file by default). */
char *ic_config_resolve_db_path (const IcConfig *config, const char *option, gboolean training);

/* A reader context as configured, with R1/R2 bound. */
ClContext *ic_config_create_context (const IcConfig *config);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IcConfig, ic_config_free)

G_END_DECLS
