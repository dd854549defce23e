/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli.h: insucard-cli subcommands.
 *
 * Each subcommand gets argv after its own name and returns the exit status:
 * 0 success, 1 failure (card, reader, database), 2 bad usage or bad input.
 * Secrets are never taken from argv: they are read by cli_read_secret().
 */
#pragma once

#include <glib.h>
#include "ic-config.h"

G_BEGIN_DECLS

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAILURE 1
#define CLI_EXIT_USAGE 2

typedef int (*CliCommandFunc) (int argc, char **argv);

typedef struct {
  const char *name; /* "key kcv" */
  const char *summary; /* translatable (N_) */
  CliCommandFunc run;
} CliCommand;

/* The configuration main() read once (ic-config.h). */
const IcConfig *cli_get_config (void);

int cli_key_kcv (int argc, char **argv);
int cli_key_derive_kcv (int argc, char **argv);
int cli_readers (int argc, char **argv);
int cli_card_info (int argc, char **argv);
int cli_support_report (int argc, char **argv);
int cli_log_list (int argc, char **argv);
int cli_log_verify (int argc, char **argv);
int cli_log_export (int argc, char **argv);
int cli_log_seal (int argc, char **argv);
int cli_db_info (int argc, char **argv);
int cli_db_backup (int argc, char **argv);
int cli_db_make_demo (int argc, char **argv);
int cli_mcc_create (int argc, char **argv);
int cli_ktc_create (int argc, char **argv);
int cli_ktc_rebuild (int argc, char **argv);
int cli_card_create (int argc, char **argv);
int cli_card_wash (int argc, char **argv);
int cli_card_check (int argc, char **argv);
int cli_pin_unblock (int argc, char **argv);
int cli_pin_change (int argc, char **argv);
int cli_login (int argc, char **argv);
int cli_cards_list (int argc, char **argv);
int cli_issue (int argc, char **argv);
int cli_read (int argc, char **argv);
int cli_rewrite (int argc, char **argv);
int cli_clear (int argc, char **argv);
int cli_cancel (int argc, char **argv);
int cli_report_lost (int argc, char **argv);
int cli_replace (int argc, char **argv);
int cli_history (int argc, char **argv);
int cli_import (int argc, char **argv);
int cli_journal (int argc, char **argv);
int cli_receipt (int argc, char **argv);

G_END_DECLS
