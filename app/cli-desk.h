/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-desk.h: what the commands that work with cards share: the desk's
 * options (readers, database, workstation, how questions are answered),
 * opening the desk, running a task off the main loop so Ctrl+C stops it
 * at a safe point, and reporting its error with what to do. */
#pragma once

#include <glib.h>

#include "cli-interaction.h"
#include "wf-desk.h"

G_BEGIN_DECLS

typedef struct {
  char *readers; /* --readers pcsc|sim */
  char *deck; /* --deck */
  char *r1; /* --r1, --r2 */
  char *r2;
  char *db_path; /* --db */
  char *workstation; /* --workstation */
  int secrets_fd; /* --secrets-fd; -1 = the terminal (or stdin when it is none) */
  gboolean yes; /* --yes */
  gboolean allow_last_try; /* --allow-last-try */
  int card_timeout; /* --card-timeout, seconds */
  gboolean ask_transport_key; /* --ask-transport-key */
} CliDeskOptions;

typedef enum {
  CLI_DESK_NO_DB = 1 << 0, /* the command has its own --db */
  CLI_DESK_NO_WORKSTATION = 1 << 1, /* the command's --workstation means something else */
} CliDeskFlags;

/* A context for "insucard-cli COMMAND" with the desk's options. */
GOptionContext *cli_desk_context (const char *parameters, const char *summary,
                                  CliDeskOptions *options);
GOptionContext *cli_desk_context_full (const char *parameters, const char *summary,
                                       CliDeskOptions *options, CliDeskFlags flags);
/* The desk's options added to another command's context. */
void cli_desk_add_options (GOptionContext *context, CliDeskOptions *options, CliDeskFlags flags);
void cli_desk_options_clear (CliDeskOptions *options);

/* The desk and its interaction, as the options and the configuration say;
 * prints why not and returns NULL (exit 1, or 2 for bad option values). */
WfDesk *cli_desk_open (CliDeskOptions *options, const char *command, CliInteraction **interaction,
                       int *status);

/* A task started with an _async function, waited for on a main loop.
 * SIGINT, SIGTERM and SIGHUP cancel it: it stops between two card
 * commands and cleans up. */
typedef struct {
  GMainLoop *loop;
  GCancellable *cancellable;
  GAsyncResult *result;
  guint signal_sources[3];
} CliRun;

void cli_run_init (CliRun *run);
/* The callback to give the _async function, with the CliRun as data. */
void cli_run_done (GObject *source, GAsyncResult *result, gpointer data);
/* Runs the loop until the task reports; the result for its _finish. */
GAsyncResult *cli_run_wait (CliRun *run);
void cli_run_clear (CliRun *run);

/* One card command being run: its options, desk, interaction and run. */
typedef struct {
  const char *name;
  CliDeskOptions options;
  GOptionContext *context;
  WfDesk *desk;
  CliInteraction *interaction;
  CliRun run;
  gboolean logged_in; /* by cli_desk_command_login() */
} CliDeskCommand;

void cli_desk_command_init (CliDeskCommand *c, const char *name, const char *summary);
/* Parses argv (at most max_args positional arguments) and opens the desk;
 * FALSE with *status set when it cannot. */
gboolean cli_desk_command_open (CliDeskCommand *c, int max_args, int *argc, char ***argv,
                                int *status);
/* Logs in with the operator card in R1 (its PIN: operator-pin); FALSE
 * with the error printed and *status set. */
gboolean cli_desk_command_login (CliDeskCommand *c, int *status);
/* The exit status of a task that ended with error (or none); warns about
 * secrets the input gave that no question took; logs out (sealing the
 * log) if the command logged in. */
int cli_desk_command_finish (CliDeskCommand *c, const GError *error);
void cli_desk_command_clear (CliDeskCommand *c);

/* Prints "insucard-cli COMMAND: message" and, for the reader stack's
 * errors, what to check; returns the exit status (2 for bad input, else 1). */
int cli_report_error (const char *command, const GError *error);
/* The reader stack's hint alone (cli-diag uses it too). */
void cli_print_hint (const GError *error);

G_END_DECLS
