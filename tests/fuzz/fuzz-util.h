/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-util.h: what every fuzz target shares: the libFuzzer entry points,
 * reading the input as a stream of bytes, the invariant check, and quiet
 * logs in which a g_critical() (a broken precondition: a bug) still
 * aborts.  Targets and corpora: docs/developing.md, "Fuzzing". */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* An invariant of the code under test; failing it is a finding. */
#define FZ_CHECK(cond)                                                                             \
  G_STMT_START                                                                                     \
  {                                                                                                \
    if (!(cond))                                                                                   \
      {                                                                                            \
        fprintf (stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);              \
        abort ();                                                                                  \
      }                                                                                            \
  }                                                                                                \
  G_STMT_END

typedef struct {
  const guint8 *p;
  gsize left;
} FzInput;

static inline guint8
fz_byte (FzInput *in)
{
  if (in->left == 0)
    return 0;
  in->left--;
  return *in->p++;
}

/* Up to n bytes (fewer at the end of the input). */
static inline gsize
fz_take (FzInput *in, gsize n, const guint8 **out)
{
  n = MIN (n, in->left);
  *out = in->p;
  in->p += n;
  in->left -= n;
  return n;
}

/* abort(), not GLib's fatal-log breakpoint: libFuzzer catches SIGABRT and
 * keeps the input, it does not catch SIGTRAP. */
static GLogWriterOutput
fz_log_writer (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  if (!(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)))
    return G_LOG_WRITER_HANDLED;
  g_log_writer_standard_streams (level, fields, n_fields, data);
  abort ();
}

static void
fz_log_handler (const char *domain, GLogLevelFlags level, const char *message, gpointer data)
{
  if (!(level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)))
    return;
  fprintf (stderr, "%s: %s\n", domain ? domain : "", message);
  abort ();
}

/* Warnings and debug output about odd input are expected and dropped;
 * criticals abort (whatever G_DEBUG says about warnings). */
static inline void
fz_quiet_logs (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK);
  g_log_set_default_handler (fz_log_handler, NULL);
  g_log_set_writer_func (fz_log_writer, NULL, NULL);
}
