/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-desk.c: the desk's options, the task runner and error reports of the
 * card commands (cli-desk.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <glib-unix.h>
#include <glib/gi18n.h>

#include "cl-error.h"
#include "cl-log.h"
#include "cli-db-common.h"
#include "cli-desk.h"
#include "cli.h"
#include "wf-error.h"
#include "wf-report.h"
#include "wf-session.h"

#define DEFAULT_CARD_TIMEOUT 120

void
cli_desk_add_options (GOptionContext *context, CliDeskOptions *o, CliDeskFlags flags)
{
  GOptionEntry entries[] = {
    { "readers", 0, 0, G_OPTION_ARG_STRING, &o->readers,
      N_ ("pcsc for the real readers, sim for the simulated training readers (default: "
          "$INSUCARD_READER_BACKEND, else pcsc)"),
      N_ ("BACKEND") },
    { "deck", 0, 0, G_OPTION_ARG_FILENAME, &o->deck,
      N_ ("The simulated cards' deck (sim; default: $INSUCARD_SIM_DECK)"), N_ ("DIR") },
    { "r1", 0, 0, G_OPTION_ARG_STRING, &o->r1,
      N_ ("Full name of the key reader R1 (default: $INSUCARD_READER_R1)"), N_ ("READER") },
    { "r2", 0, 0, G_OPTION_ARG_STRING, &o->r2,
      N_ ("Full name of the user reader R2 (default: $INSUCARD_READER_R2)"), N_ ("READER") },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &o->db_path,
      N_ ("The database file (default: $INSUCARD_DB, else the desk's database, or the "
          "training one with sim readers, in the user data folder)"),
      N_ ("PATH") },
    { "workstation", 0, 0, G_OPTION_ARG_STRING, &o->workstation,
      N_ ("This desk's name in the log and for key cards (default: $INSUCARD_WORKSTATION, else "
          "the host name)"),
      N_ ("NAME") },
    { "secrets-fd", 0, 0, G_OPTION_ARG_INT, &o->secrets_fd,
      N_ ("Read keys, codes and PINs as name=value lines from file descriptor N instead of "
          "the terminal (default: standard input when it is not a terminal)"),
      N_ ("N") },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &o->yes,
      N_ ("Answer yes to confirmations (not the last try of a PIN, nor a question of fact such as "
          "unfinished-mcc)"),
      NULL },
    { "allow-last-try", 0, 0, G_OPTION_ARG_NONE, &o->allow_last_try,
      N_ ("Go on when a PIN or key has one try left (it locks if wrong)"), NULL },
    { "card-timeout", 0, 0, G_OPTION_ARG_INT, &o->card_timeout,
      N_ ("Seconds to wait for each card to be put in (default: 120; 0: do not wait)"),
      N_ ("SECONDS") },
    { "ask-transport-key", 0, 0, G_OPTION_ARG_NONE, &o->ask_transport_key,
      N_ ("Blank CPU cards have a transport key other than the factory's 16 × FF: ask for it "
          "(secret name transport-key)"),
      NULL },
    { NULL },
  };
  GOptionEntry chosen[G_N_ELEMENTS (entries)];
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    if (!((flags & CLI_DESK_NO_DB) && g_strcmp0 (entries[i].long_name, "db") == 0)
        && !((flags & CLI_DESK_NO_WORKSTATION)
             && g_strcmp0 (entries[i].long_name, "workstation") == 0))
      chosen[n++] = entries[i];
  o->secrets_fd = -1;
  o->card_timeout = DEFAULT_CARD_TIMEOUT;
  g_option_context_add_main_entries (context, chosen, GETTEXT_PACKAGE);
}

GOptionContext *
cli_desk_context_full (const char *parameters, const char *summary, CliDeskOptions *o,
                       CliDeskFlags flags)
{
  GOptionContext *context = g_option_context_new (parameters);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context, summary);
  cli_desk_add_options (context, o, flags);
  return context;
}

GOptionContext *
cli_desk_context (const char *parameters, const char *summary, CliDeskOptions *o)
{
  return cli_desk_context_full (parameters, summary, o, 0);
}

void
cli_desk_options_clear (CliDeskOptions *o)
{
  g_clear_pointer (&o->readers, g_free);
  g_clear_pointer (&o->deck, g_free);
  g_clear_pointer (&o->r1, g_free);
  g_clear_pointer (&o->r2, g_free);
  g_clear_pointer (&o->db_path, g_free);
  g_clear_pointer (&o->workstation, g_free);
}

static gboolean
bad_option (const char *command, const char *message)
{
  fprintf (stderr, _ ("insucard-cli %s: %s Run “insucard-cli %s --help”.\n"), command, message,
           command);
  return FALSE;
}

static gboolean
check_options (CliDeskOptions *o, const char *command)
{
  if (o->card_timeout < 0)
    return bad_option (command, _ ("--card-timeout needs 0 or more seconds."));
  if (o->secrets_fd >= 0 && fcntl (o->secrets_fd, F_GETFD) < 0)
    return bad_option (command, _ ("--secrets-fd names a file descriptor that is not open."));
  /* The secrets input is read with echo on: a terminal there would show
   * every key and PIN typed. */
  if (o->secrets_fd >= 0 && isatty (o->secrets_fd))
    return bad_option (command,
                       _ ("--secrets-fd names a terminal, where secrets would show as they are "
                          "typed. To type them on the terminal, leave out --secrets-fd."));
  if (o->secrets_fd < 0 && !isatty (STDIN_FILENO))
    o->secrets_fd = STDIN_FILENO;
  return TRUE;
}

/* The transport key of the blank cards, asked before the task starts. */
static gboolean
ask_transport_key (WfDesk *desk, CliInteraction *interaction, GError **error)
{
  WfQuestion question = {
    .kind = WF_QUESTION_SECRET,
    .name = "transport-key",
    .title = _ ("Transport key"),
    .text = _ ("The transport key of the blank CPU cards, from the card supplier (32 "
               "hexadecimal digits)."),
    .format = WF_SECRET_HEX,
    .min_len = 32,
    .max_len = 32,
  };
  g_autoptr (ClKey) key =
      wf_interaction_ask_secret (WF_INTERACTION (interaction), &question, NULL, error);

  if (key == NULL)
    return FALSE;
  wf_desk_set_transport_key (desk, key);
  return TRUE;
}

WfDesk *
cli_desk_open (CliDeskOptions *o, const char *command, CliInteraction **interaction, int *status)
{
  g_autoptr (IcConfig) config = g_new0 (IcConfig, 1);
  const IcConfig *base = cli_get_config ();
  g_autoptr (ClContext) context = NULL;
  g_autoptr (WfDesk) desk = NULL;
  g_autoptr (CliInteraction) ia = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *db_path = NULL;
  CliInteractionOptions io = { 0 };

  *status = CLI_EXIT_USAGE;
  if (!check_options (o, command))
    return NULL;
  config->backend = base->backend;
  if (o->readers != NULL && !cl_reader_backend_from_string (o->readers, &config->backend, &error))
    {
      bad_option (command, error->message);
      return NULL;
    }
  ic_config_set (&config->deck_dir, o->deck != NULL ? o->deck : base->deck_dir);
  ic_config_set (&config->reader_r1, o->r1 != NULL ? o->r1 : base->reader_r1);
  ic_config_set (&config->reader_r2, o->r2 != NULL ? o->r2 : base->reader_r2);
  ic_config_set (&config->db_path, base->db_path);
  db_path =
      ic_config_resolve_db_path (config, o->db_path, config->backend == CL_READER_BACKEND_SIM);

  if (!ic_config_check_workstation (base, config->backend,
                                    o->workstation != NULL ? o->workstation : base->workstation,
                                    &error))
    {
      bad_option (command, error->message);
      return NULL;
    }
  *status = CLI_EXIT_FAILURE;
  context = ic_config_create_context (config);
  desk = wf_desk_new (context, db_path, o->workstation != NULL ? o->workstation : base->workstation,
                      &error);
  if (desk == NULL)
    {
      *status = cli_report_error (command, error);
      return NULL;
    }
  io.secrets_fd = o->secrets_fd;
  io.yes = o->yes;
  io.allow_last_try = o->allow_last_try;
  io.card_timeout = (guint) o->card_timeout;
  ia = cli_interaction_new (&io);
  if (o->ask_transport_key && !ask_transport_key (desk, ia, &error))
    {
      *status = cli_report_error (command, error);
      return NULL;
    }
  *status = CLI_EXIT_OK;
  *interaction = g_steal_pointer (&ia);
  return g_steal_pointer (&desk);
}

/* -- running a task ---------------------------------------------------------------------------- */

static gboolean
on_stop_signal (gpointer data)
{
  CliRun *run = data;

  if (!g_cancellable_is_cancelled (run->cancellable))
    {
      fprintf (stderr, _ ("Stopping at the next safe point; leave the cards in the readers "
                          "until the command ends.\n"));
      g_cancellable_cancel (run->cancellable);
    }
  return G_SOURCE_CONTINUE;
}

void
cli_run_init (CliRun *run)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };

  run->loop = g_main_loop_new (NULL, FALSE);
  run->cancellable = g_cancellable_new ();
  run->result = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    run->signal_sources[i] = g_unix_signal_add (signals[i], on_stop_signal, run);
}

void
cli_run_done (GObject *source, GAsyncResult *result, gpointer data)
{
  CliRun *run = data;

  run->result = g_object_ref (result);
  g_main_loop_quit (run->loop);
}

GAsyncResult *
cli_run_wait (CliRun *run)
{
  if (run->result == NULL)
    g_main_loop_run (run->loop);
  return run->result;
}

void
cli_run_clear (CliRun *run)
{
  for (guint i = 0; i < G_N_ELEMENTS (run->signal_sources); i++)
    g_clear_handle_id (&run->signal_sources[i], g_source_remove);
  g_clear_object (&run->result);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->loop, g_main_loop_unref);
}

/* -- a command ------------------------------------------------------------------------------- */

void
cli_desk_command_init (CliDeskCommand *c, const char *name, const char *summary)
{
  c->name = name;
  c->context = cli_desk_context (NULL, summary, &c->options);
  cli_run_init (&c->run);
}

gboolean
cli_desk_command_open (CliDeskCommand *c, int max_args, int *argc, char ***argv, int *status)
{
  *status = CLI_EXIT_USAGE;
  if (!cli_parse (c->context, c->name, max_args, argc, argv))
    return FALSE;
  c->desk = cli_desk_open (&c->options, c->name, &c->interaction, status);
  return c->desk != NULL;
}

gboolean
cli_desk_command_login (CliDeskCommand *c, int *status)
{
  g_autoptr (WfSession) session = NULL;
  g_autoptr (GError) error = NULL;

  wf_login_async (c->desk, WF_INTERACTION (c->interaction), c->run.cancellable, cli_run_done,
                  &c->run);
  session = wf_login_finish (c->desk, cli_run_wait (&c->run), &error);
  g_clear_object (&c->run.result);
  if (session == NULL)
    {
      *status = cli_report_error (c->name, error);
      return FALSE;
    }
  c->logged_in = TRUE;
  return TRUE;
}

int
cli_desk_command_finish (CliDeskCommand *c, const GError *error)
{
  g_autofree char *unused = NULL;
  g_autoptr (GError) logout_error = NULL;
  int status;

  if (c->interaction != NULL)
    unused = cli_interaction_dup_unused (c->interaction);
  if (unused != NULL)
    fprintf (stderr,
             _ ("insucard-cli %s: the secrets input had entries no question asked for: "
                "%s.\n"),
             c->name, unused);
  status = error != NULL ? cli_report_error (c->name, error)
                         : (fflush (stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE);
  if (c->logged_in)
    {
      /* Not cancellable: the log is sealed even after Ctrl+C. */
      wf_logout_async (c->desk, WF_INTERACTION (c->interaction), NULL, cli_run_done, &c->run);
      if (!wf_logout_finish (c->desk, cli_run_wait (&c->run), &logout_error))
        cli_report_error (c->name, logout_error);
      g_clear_object (&c->run.result);
      c->logged_in = FALSE;
    }
  return status;
}

void
cli_desk_command_clear (CliDeskCommand *c)
{
  cli_run_clear (&c->run);
  g_clear_object (&c->interaction);
  g_clear_object (&c->desk);
  g_clear_pointer (&c->context, g_option_context_free);
  cli_desk_options_clear (&c->options);
}

/* -- errors ------------------------------------------------------------------------------------ */

void
cli_print_hint (const GError *error)
{
  const char *hint = wf_error_hint (error);

  if (hint != NULL)
    fprintf (stderr, "%s\n", hint);
}

int
cli_report_error (const char *command, const GError *error)
{
  fprintf (stderr, "insucard-cli %s: %s\n", command, error->message);
  cl_log_error (command, error);
  cli_print_hint (error);
  if (g_error_matches (error, WF_ERROR, WF_ERROR_INVALID_INPUT)
      || g_error_matches (error, CL_ERROR, CL_ERROR_INVALID_INPUT))
    return CLI_EXIT_USAGE;
  return CLI_EXIT_FAILURE;
}
