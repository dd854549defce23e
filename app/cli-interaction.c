/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-interaction.c: the workflows' questions on a terminal or from a
 * secrets input (cli-interaction.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>

#include "cli-interaction.h"
#include "cl-error.h"
#include "cli-secret.h"
#include "wf-error.h"

#define CARD_POLL_MS 500
#define TTY_TRIES 3 /* a mistyped entry is asked again this often on a terminal */

struct _CliInteraction {
  WfInteraction parent;
  CliInteractionOptions options;
  gboolean tty; /* standard input is a terminal */
  GHashTable *stash; /* name -> GQueue of CliSecret: secrets read ahead */
  guint line; /* lines read from the secrets input */
  gboolean stream_ended;
  char *card_wanted; /* the card question being waited on, and since when */
  gint64 card_since;
};

G_DEFINE_FINAL_TYPE (CliInteraction, cli_interaction, WF_TYPE_INTERACTION)

static void
queue_free (GQueue *queue)
{
  g_queue_free_full (queue, (GDestroyNotify) cli_secret_free);
}

/* -- the secrets input ------------------------------------------------------------------------ */

/* The next value named `name` from the secrets input, reading ahead and
 * keeping the others; NULL with no error when the input has none. */
static CliSecret *
stream_take (CliInteraction *self, const char *name, GError **error)
{
  GQueue *queue = g_hash_table_lookup (self->stash, name);

  if (queue != NULL && !g_queue_is_empty (queue))
    return g_queue_pop_head (queue);
  while (!self->stream_ended)
    {
      CliSecret *line = cli_read_secret_line (self->options.secrets_fd, &self->stream_ended, error);
      g_autofree char *key = NULL;
      char *eq;
      gsize value_len;

      if (line == NULL)
        return NULL;
      self->line++;
      if (line[0] == '\0' || line[0] == '#')
        {
          cli_secret_free (line);
          continue;
        }
      eq = strchr (line, '=');
      if (eq == NULL || eq == line)
        {
          cli_secret_free (line);
          /* The line is not echoed: it may be a bare secret. */
          g_set_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                       _ ("Line %u of the secrets input is not “name=value”. Give each secret "
                          "as its name, “=” and the value (docs/cli.md lists the names)."),
                       self->line);
          return NULL;
        }
      key = g_strndup (line, eq - line);
      /* The value moves to the front of its locked buffer; the rest is wiped. */
      value_len = strlen (eq + 1);
      memmove (line, eq + 1, value_len);
      memset (line + value_len, 0, CLI_SECRET_MAX - value_len);
      if (strcmp (key, name) == 0)
        return line;
      queue = g_hash_table_lookup (self->stash, key);
      if (queue == NULL)
        {
          queue = g_queue_new ();
          g_hash_table_insert (self->stash, g_strdup (key), queue);
        }
      g_queue_push_tail (queue, line);
    }
  return NULL;
}

char *
cli_interaction_dup_unused (CliInteraction *self)
{
  g_autoptr (GString) names = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (CLI_IS_INTERACTION (self), NULL);

  g_hash_table_iter_init (&iter, self->stash);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_queue_is_empty (value))
      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", (const char *) key);
  return names->len > 0 ? g_string_free (g_steal_pointer (&names), FALSE) : NULL;
}

/* -- the terminal ------------------------------------------------------------------------------ */

static void
say (const char *title, const char *text)
{
  if (title != NULL && text != NULL)
    fprintf (stderr, "%s: %s\n", title, text);
  else
    fprintf (stderr, "%s\n", title != NULL ? title : text);
  fflush (stderr);
}

/* A line typed on the terminal, echoed (a yes or an Enter). */
static char *
read_reply (const char *prompt, GError **error)
{
  gboolean at_end = FALSE;
  CliSecret *line;
  char *reply;

  fputs (prompt, stderr);
  fflush (stderr);
  line = cli_read_secret_line (STDIN_FILENO, &at_end, error);
  if (line == NULL)
    {
      if (at_end)
        g_set_error_literal (error, WF_ERROR, WF_ERROR_NO_ANSWER,
                             _ ("The terminal closed before an answer was given."));
      return NULL;
    }
  reply = g_strstrip (g_strdup (line));
  cli_secret_free (line);
  return reply;
}

static gboolean
is_yes (const char *reply, gboolean word_only)
{
  /* TRANSLATORS: the word a person types to say yes at a terminal prompt. */
  const char *yes = _ ("yes");

  if (g_ascii_strcasecmp (reply, "yes") == 0 || strcmp (reply, yes) == 0)
    return TRUE;
  return !word_only && (g_ascii_strcasecmp (reply, "y") == 0);
}

/* -- the questions ----------------------------------------------------------------------------- */

static WfAnswer *
answer_secret (CliInteraction *self, const WfQuestion *q, GError **error)
{
  ClKey *secret = NULL;

  if (self->options.secrets_fd >= 0)
    {
      g_autoptr (CliSecret) value = stream_take (self, q->name, error);

      if (value == NULL)
        {
          if (error == NULL || *error == NULL)
            g_set_error (error, WF_ERROR, WF_ERROR_NO_ANSWER,
                         _ ("The secrets input has no “%s” (%s). Add a line “%s=…”."), q->name,
                         q->title, q->name);
          return NULL;
        }
      secret = wf_question_parse_secret (q, value, error);
      return secret != NULL ? wf_answer_new (TRUE, secret) : NULL;
    }
  if (!self->tty)
    {
      g_set_error (error, WF_ERROR, WF_ERROR_NO_ANSWER,
                   _ ("“%s” must be typed on a terminal, or given as “%s=…” on the secrets "
                      "input (--secrets-fd)."),
                   q->title, q->name);
      return NULL;
    }
  for (guint attempt = 1;; attempt++)
    {
      g_autofree char *prompt = g_strdup_printf ("%s\n%s: ", q->text, q->title);
      g_autoptr (CliSecret) typed = NULL;
      GError *local = NULL;

      typed = cli_read_secret (prompt, q->twice, &local);
      if (typed != NULL)
        secret = wf_question_parse_secret (q, typed, &local);
      if (secret != NULL)
        return wf_answer_new (TRUE, secret);
      /* A mistyped entry is asked again; a failing terminal is not. */
      if (attempt == TTY_TRIES
          || !(g_error_matches (local, CL_ERROR, CL_ERROR_INVALID_INPUT)
               || g_error_matches (local, WF_ERROR, WF_ERROR_INVALID_INPUT)))
        {
          g_propagate_error (error, local);
          return NULL;
        }
      say (local->message, NULL);
      g_error_free (local);
    }
}

static gboolean
is_no (const char *reply)
{
  /* TRANSLATORS: the word a person types to say no at a terminal prompt. */
  const char *no = _ ("no");

  return g_ascii_strcasecmp (reply, "no") == 0 || g_ascii_strcasecmp (reply, "n") == 0
         || strcmp (reply, no) == 0;
}

/* A question of fact: both answers go on, so --yes answers neither.  The
 * secrets input answers it ("name=yes" or "name=no"), else the terminal. */
static WfAnswer *
answer_choice (CliInteraction *self, const WfQuestion *q, GError **error)
{
  g_autoptr (CliSecret) value = NULL;

  say (q->title, q->text);
  if (self->options.secrets_fd >= 0)
    {
      GError *local = NULL;

      value = stream_take (self, q->name, &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
      if (value != NULL && (strcmp (value, "yes") == 0 || strcmp (value, "no") == 0))
        return wf_answer_new (strcmp (value, "yes") == 0, NULL);
    }
  if (self->tty && value == NULL)
    for (guint attempt = 1; attempt <= TTY_TRIES; attempt++)
      {
        g_autofree char *reply = read_reply (_ ("Answer yes or no: "), error);

        if (reply == NULL)
          return NULL;
        if (is_yes (reply, FALSE) || is_no (reply))
          return wf_answer_new (is_yes (reply, FALSE), NULL);
      }
  g_set_error (error, WF_ERROR, WF_ERROR_NO_ANSWER,
               _ ("%s: this question needs a yes or a no, which --yes does not give. Answer it "
                  "on a terminal, or give “%s=yes” or “%s=no” on the secrets input."),
               q->title, q->name, q->name);
  return NULL;
}

static WfAnswer *
answer_confirm (CliInteraction *self, const WfQuestion *q, GError **error)
{
  gboolean last_try = q->confirm == WF_CONFIRM_LAST_TRY;
  gboolean granted = last_try ? self->options.allow_last_try : self->options.yes;
  g_autofree char *reply = NULL;

  if (q->confirm == WF_CONFIRM_CHOICE)
    return answer_choice (self, q, error);
  say (q->title, q->text);
  if (granted)
    {
      say (last_try ? _ ("Going on: --allow-last-try was given.")
                    : _ ("Going on: --yes was given."),
           NULL);
      return wf_answer_new (TRUE, NULL);
    }
  if (!self->tty)
    {
      g_set_error (error, WF_ERROR, WF_ERROR_DECLINED,
                   last_try ? _ ("%s: the last try is spent only when you say so. Answer on a "
                                 "terminal, or give --allow-last-try.")
                            : _ ("%s: this needs a yes. Answer on a terminal, or give --yes."),
                   q->title);
      return NULL;
    }
  reply = read_reply (
      q->confirm == WF_CONFIRM_ORDINARY ? _ ("Go on? [y/N] ") : _ ("Type “yes” to go on: "), error);
  if (reply == NULL)
    return NULL;
  return wf_answer_new (is_yes (reply, q->confirm != WF_CONFIRM_ORDINARY), NULL);
}

/* What the previous person saw leaves the screen and its scrollback. */
static void
clear_screen (void)
{
  if (isatty (STDERR_FILENO))
    {
      fputs ("\033[H\033[2J\033[3J", stderr);
      fflush (stderr);
    }
}

static void
hand_over (CliInteraction *self, const WfQuestion *q, GError **error)
{
  g_autofree char *reply = NULL;

  /* Secrets from a file: nobody presses Enter, but the screen (the check
   * values shown, the prompts) is still cleared before the next person's
   * turn. */
  if (!self->tty || self->options.secrets_fd >= 0)
    {
      clear_screen ();
      say (q->title, q->text);
      return;
    }
  say (q->title, q->text);
  reply = read_reply (_ ("Press Enter when the next person is at the keyboard. "), error);
  if (reply != NULL)
    clear_screen ();
}

static gboolean
card_poll_done (gpointer data)
{
  GTask *task = data;

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, wf_answer_new (TRUE, NULL), (GDestroyNotify) wf_answer_free);
  return G_SOURCE_REMOVE;
}

/* Looks again after a pause; says what is wanted once per card. */
static void
wait_card (CliInteraction *self, const WfQuestion *q, GTask *task)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr (GSource) pause = NULL;

  if (g_strcmp0 (self->card_wanted, q->name) != 0)
    {
      g_free (self->card_wanted);
      self->card_wanted = g_strdup (q->name);
      self->card_since = now;
      say (q->title, q->text);
    }
  if (self->options.card_timeout == 0)
    {
      g_task_return_new_error (task, WF_ERROR, WF_ERROR_TIMEOUT,
                               _ ("%s: the card is not in the reader, and --card-timeout 0 "
                                  "does not wait for it."),
                               q->title);
      return;
    }
  if (now - self->card_since >= (gint64) self->options.card_timeout * G_USEC_PER_SEC)
    {
      g_task_return_new_error (
          task, WF_ERROR, WF_ERROR_TIMEOUT,
          g_dngettext (GETTEXT_PACKAGE,
                       "%s: no suitable card came within %u second. Put the card in and run the "
                       "command again, or give a longer --card-timeout.",
                       "%s: no suitable card came within %u seconds. Put the card in and run the "
                       "command again, or give a longer --card-timeout.",
                       self->options.card_timeout),
          q->title, self->options.card_timeout);
      return;
    }
  pause = g_timeout_source_new (CARD_POLL_MS);
  g_task_attach_source (task, pause, card_poll_done);
}

static void
cli_interaction_ask (WfInteraction *interaction, const WfQuestion *q, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  CliInteraction *self = CLI_INTERACTION (interaction);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  WfAnswer *answer = NULL;

  if (q->kind != WF_QUESTION_CARD)
    g_clear_pointer (&self->card_wanted, g_free);
  switch (q->kind)
    {
    case WF_QUESTION_SECRET:
      answer = answer_secret (self, q, &error);
      break;
    case WF_QUESTION_CONFIRM:
      answer = answer_confirm (self, q, &error);
      break;
    case WF_QUESTION_CARD:
      wait_card (self, q, task);
      return;
    case WF_QUESTION_HAND_OVER:
      hand_over (self, q, &error);
      answer = error == NULL ? wf_answer_new (TRUE, NULL) : NULL;
      break;
    case WF_QUESTION_NOTICE:
    default:
      say (q->title, q->text);
      answer = wf_answer_new (TRUE, NULL);
      break;
    }
  if (answer != NULL)
    g_task_return_pointer (task, answer, (GDestroyNotify) wf_answer_free);
  else
    g_task_return_error (task, error);
}

static WfAnswer *
cli_interaction_ask_finish (WfInteraction *interaction, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
cli_interaction_progress (WfInteraction *interaction, double fraction, const char *step)
{
  CliInteraction *self = CLI_INTERACTION (interaction);

  if (self->tty && step != NULL)
    say (step, NULL);
}

static void
cli_interaction_finalize (GObject *object)
{
  CliInteraction *self = CLI_INTERACTION (object);

  g_hash_table_unref (self->stash);
  g_free (self->card_wanted);
  G_OBJECT_CLASS (cli_interaction_parent_class)->finalize (object);
}

static void
cli_interaction_class_init (CliInteractionClass *klass)
{
  WfInteractionClass *interaction_class = WF_INTERACTION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = cli_interaction_finalize;
  interaction_class->ask = cli_interaction_ask;
  interaction_class->ask_finish = cli_interaction_ask_finish;
  interaction_class->progress = cli_interaction_progress;
}

static void
cli_interaction_init (CliInteraction *self)
{
  self->stash =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) queue_free);
}

CliInteraction *
cli_interaction_new (const CliInteractionOptions *options)
{
  CliInteraction *self = g_object_new (CLI_TYPE_INTERACTION, NULL);

  self->options = *options;
  self->tty = isatty (STDIN_FILENO);
  return self;
}
