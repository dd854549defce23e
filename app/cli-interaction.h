/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-interaction.h: the person at a terminal, or a script, answering the
 * workflows' questions (wf-interaction.h).
 *
 * Secrets come from the terminal with echo off, or, with a secrets input
 * (--secrets-fd, or standard input when it is not a terminal), as
 * name=value lines: each question takes the next value of its name
 * (docs/cli.md lists the names).  Confirmations are asked on the terminal;
 * without one they need --yes, and the last try of a PIN or key needs
 * --allow-last-try.  A question of fact (WF_CONFIRM_CHOICE) is answered
 * by "name=yes|no" on the secrets input or on the terminal, never by --yes.  A card is waited for,
 * looking at the reader twice a second, for at most the card timeout.  Chatter goes to stderr;
 * commands print their results on stdout. */
#pragma once

#include "wf-interaction.h"

G_BEGIN_DECLS

typedef struct {
  int secrets_fd; /* -1: the terminal */
  gboolean yes; /* ordinary and destructive confirmations are answered yes */
  gboolean allow_last_try; /* the last try may be spent without asking */
  guint card_timeout; /* seconds to wait for a card; 0: do not wait */
} CliInteractionOptions;

#define CLI_TYPE_INTERACTION (cli_interaction_get_type ())
G_DECLARE_FINAL_TYPE (CliInteraction, cli_interaction, CLI, INTERACTION, WfInteraction)

/* Made in the thread whose main context the tasks report to. */
CliInteraction *cli_interaction_new (const CliInteractionOptions *options);

/* Secrets of the input that no question took (a script's mistake):
 * their names, comma-separated, or NULL. */
char *cli_interaction_dup_unused (CliInteraction *self);

G_END_DECLS
