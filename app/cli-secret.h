/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-secret.h: reading keys, codes and PINs from the terminal or stdin. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest accepted line, in bytes, including the terminating NUL. */
#define CLI_SECRET_MAX 256

typedef char CliSecret;

/* Reads one line from standard input, never from argv.  On a terminal the
 * prompt goes to stderr, echo is off (restored on return and on SIGINT,
 * SIGTERM, SIGQUIT and SIGHUP), and with confirm the entry is asked for twice
 * and must match.  Not on a terminal, one line is read and confirm is
 * ignored.  The result lives in OpenSSL's secure heap: free it with
 * cli_secret_free(), which wipes it.  Bad input (no line, too long, the two
 * entries differ) is CL_ERROR_INVALID_INPUT; a failing terminal or read is a
 * G_IO_ERROR. */
CliSecret *cli_read_secret (const char *prompt, gboolean confirm, GError **error);
/* One line of fd (no prompt, no echo handling): for name=value secrets
 * streams.  NULL at the end of the input (*at_end set, no error) or on an
 * error. */
CliSecret *cli_read_secret_line (int fd, gboolean *at_end, GError **error);
void cli_secret_free (CliSecret *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliSecret, cli_secret_free)

G_END_DECLS
