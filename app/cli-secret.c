/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli-secret.c: one line from stdin into the secure heap, echo off on a tty.
 *
 * Reads byte by byte with read(2), so no stdio buffer ever holds the secret
 * and nothing past the newline is consumed (the next entry stays readable).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <openssl/crypto.h>

#include "cl-error.h"
#include "cl-key.h"
#include "cli-secret.h"

static const int restore_signals[] = { SIGINT, SIGTERM, SIGQUIT, SIGHUP };

static struct termios saved_termios;
static volatile sig_atomic_t echo_is_off = 0;

/* Async-signal-safe: put the terminal back, then die of the same signal. */
static void
on_fatal_signal (int sig)
{
  if (echo_is_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      echo_is_off = 0;
      if (write (STDERR_FILENO, "\n", 1) < 0)
        {
          /* nothing left to do in a signal handler */
        }
    }
  signal (sig, SIG_DFL);
  raise (sig);
}

typedef struct {
  struct sigaction old[G_N_ELEMENTS (restore_signals)];
  struct sigaction old_tstp;
} SignalState;

static gboolean
echo_off (SignalState *state, GError **error)
{
  struct termios quiet;
  struct sigaction sa;
  struct sigaction ignore;

  if (tcgetattr (STDIN_FILENO, &saved_termios) != 0)
    {
      int err = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err),
                   _ ("Cannot set up the terminal (%s). Run the command in a normal terminal "
                      "window, or feed the input through a pipe."),
                   g_strerror (err));
      return FALSE;
    }

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_fatal_signal;
  sigemptyset (&sa.sa_mask);
  for (gsize i = 0; i < G_N_ELEMENTS (restore_signals); i++)
    sigaction (restore_signals[i], &sa, &state->old[i]);
  /* A suspended prompt would leave the shell without echo. */
  memset (&ignore, 0, sizeof ignore);
  ignore.sa_handler = SIG_IGN;
  sigemptyset (&ignore.sa_mask);
  sigaction (SIGTSTP, &ignore, &state->old_tstp);

  quiet = saved_termios;
  quiet.c_lflag &= ~(tcflag_t) (ECHO | ECHOE | ECHOK);
  quiet.c_lflag |= ECHONL;
  echo_is_off = 1;
  if (tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) != 0)
    {
      int err = errno;
      echo_is_off = 0;
      for (gsize i = 0; i < G_N_ELEMENTS (restore_signals); i++)
        sigaction (restore_signals[i], &state->old[i], NULL);
      sigaction (SIGTSTP, &state->old_tstp, NULL);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err),
                   _ ("Cannot turn off the terminal echo (%s), so the entry would be visible. "
                      "Run the command in a normal terminal window."),
                   g_strerror (err));
      return FALSE;
    }
  return TRUE;
}

static void
echo_restore (SignalState *state)
{
  tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
  echo_is_off = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (restore_signals); i++)
    sigaction (restore_signals[i], &state->old[i], NULL);
  sigaction (SIGTSTP, &state->old_tstp, NULL);
}

/* One line of fd into buf (CLI_SECRET_MAX bytes), without the line ending.
 * at_end (may be NULL): set when the input ended before any byte. */
static gboolean
read_line (int fd, char *buf, gboolean *at_end, GError **error)
{
  gsize len = 0;
  gboolean any = FALSE;
  char c = 0;

  for (;;)
    {
      ssize_t n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int err = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (err),
                       fd == STDIN_FILENO ? _ ("Cannot read standard input (%s).")
                                          : _ ("Cannot read the secrets input (%s)."),
                       g_strerror (err));
          return FALSE;
        }
      if (n == 0)
        break;
      any = TRUE;
      if (c == '\n')
        break;
      if (len + 1 >= CLI_SECRET_MAX)
        {
          c = 0;
          g_set_error (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                       _ ("The entry is longer than %d characters. Check that the right value "
                          "was typed or pasted."),
                       CLI_SECRET_MAX - 1);
          return FALSE;
        }
      buf[len++] = c;
    }
  c = 0;
  if (at_end != NULL)
    *at_end = !any;
  if (!any)
    {
      g_set_error_literal (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                           _ ("The input ended before this entry. Give one value per line."));
      return FALSE;
    }
  if (len > 0 && buf[len - 1] == '\r')
    len--;
  buf[len] = '\0';
  return TRUE;
}

static void
print_prompt (const char *prompt)
{
  fputs (prompt, stderr);
  fflush (stderr);
}

CliSecret *
cli_read_secret (const char *prompt, gboolean confirm, GError **error)
{
  char *first = NULL;
  char *second = NULL;
  SignalState state;
  gboolean tty;
  gboolean ok;

  g_return_val_if_fail (prompt != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  cl_secure_init ();
  tty = isatty (STDIN_FILENO);
  if (tty && !echo_off (&state, error))
    return NULL;

  first = OPENSSL_secure_zalloc (CLI_SECRET_MAX);
  if (first == NULL)
    g_error ("Cannot allocate memory for an entry");
  if (tty)
    print_prompt (prompt);
  ok = read_line (STDIN_FILENO, first, NULL, error);
  if (ok && tty && confirm)
    {
      second = OPENSSL_secure_zalloc (CLI_SECRET_MAX);
      if (second == NULL)
        g_error ("Cannot allocate memory for an entry");
      print_prompt (_ ("Type it again: "));
      ok = read_line (STDIN_FILENO, second, NULL, error);
      if (ok
          && (strlen (first) != strlen (second)
              || CRYPTO_memcmp (first, second, strlen (first)) != 0))
        {
          g_set_error_literal (error, CL_ERROR, CL_ERROR_INVALID_INPUT,
                               _ ("The two entries differ. Type the same value twice."));
          ok = FALSE;
        }
      cli_secret_free (second);
    }
  if (tty)
    echo_restore (&state);
  if (!ok)
    {
      cli_secret_free (first);
      return NULL;
    }
  return first;
}

CliSecret *
cli_read_secret_line (int fd, gboolean *at_end, GError **error)
{
  CliSecret *line;
  g_autoptr (GError) local = NULL;

  cl_secure_init ();
  line = OPENSSL_secure_zalloc (CLI_SECRET_MAX);
  if (line == NULL)
    g_error ("Cannot allocate memory for an entry");
  *at_end = FALSE;
  if (read_line (fd, line, at_end, &local))
    return line;
  cli_secret_free (line);
  if (!*at_end)
    g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

void
cli_secret_free (CliSecret *secret)
{
  if (secret != NULL)
    OPENSSL_secure_clear_free (secret, CLI_SECRET_MAX);
}
