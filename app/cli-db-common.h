/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-db-common.h: what the log and db commands share: --db/--training,
 * the auditor's filter options, opening the database with a message a
 * clerk can act on, and the sealed-length line every report ends with. */
#pragma once

#include <stdio.h>
#include <glib.h>

#include "db-audit.h"
#include "db-query.h"

G_BEGIN_DECLS

typedef struct {
  char *db_path; /* --db */
  gboolean training; /* --training: the training database by default */
} CliDbOptions;

typedef struct {
  char *since;
  char *until;
  char *operator_serial;
  char *workstation;
  char *action;
  char *outcome;
  char *card_number;
  char *card_sn;
  char *holder_id;
} CliFilterOptions;

/* A context for "insucard-cli COMMAND" with --db and --training. */
GOptionContext *cli_db_context (const char *parameters, const char *summary,
                                CliDbOptions *db_options);
void cli_db_options_clear (CliDbOptions *options);
void cli_filter_add_options (GOptionContext *context, CliFilterOptions *options);
void cli_filter_options_clear (CliFilterOptions *options);

/* Parses argv, allowing at most max_args positional arguments (left in
 * argv after argv[0]); on bad usage prints why and returns FALSE (exit 2). */
gboolean cli_parse (GOptionContext *context, const char *command, int max_args, int *argc,
                    char ***argv);
/* The filter of the options; on bad values prints why and returns FALSE. */
gboolean cli_filter_build (const CliFilterOptions *options, const char *command,
                           DbAuditFilter *filter);
void cli_filter_clear (DbAuditFilter *filter);

/* With DB_OPEN_DEFAULT: open read-only when the file cannot be written. */
#define CLI_OPEN_OR_READ_ONLY (1 << 8)

/* Opens the database of options (--db, $INSUCARD_DB, the default) in any
 * mode; prints why not and returns NULL (exit 1). */
DbDatabase *cli_db_open (const CliDbOptions *options, const char *command, DbOpenFlags flags);
void cli_fail (const char *command, const GError *error);

/* "Log: N rows, sealed through row M (seal K, TIME, SEALER); R rows not
 * yet sealed." so that a log cut after its last seal is noticed. */
gboolean cli_print_sealed_length (FILE *out, DbDatabase *db, const char *command);

/* This desk, no operator card: the command line has none yet. */
DbActor cli_actor (void);
/* Appends an audit row for a command that let data leave the desk. */
void cli_log_action (DbDatabase *db, const char *command, DbAction action, DbOutcome outcome,
                     const char *detail);

G_END_DECLS
