/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-log.h: the APDU log and the transcript recorder.
 *
 * Every exchange is logged with GLib structured logging at debug level
 * (G_MESSAGES_DEBUG=cardlib).  Bytes that carry a key, PIN or PSC (flagged
 * by the caller with CL_APDU_FLAG_SECRET_*, and recognised by command for
 * PRESENT CODE, VERIFY, WRITE KEY, PIN commands, SLE4428 writes to the PSC)
 * are replaced by "**" before anything is formatted, so no secret reaches a
 * log handler, the transcript or a support report.
 */
#pragma once

#include <glib.h>
#include "cl-apdu.h"
#include "cl-redact.h"

G_BEGIN_DECLS

/* Logs one exchange (rapdu may be NULL when the card gave no reply) and
 * appends it, redacted, to the in-memory transcript ring. */
void cl_log_exchange (const char *reader, const guint8 *capdu, gsize clen, ClApduFlags flags,
                      const guint8 *rapdu, gsize rlen);

/* Notes the ATR of the card just connected in `reader` (an R: line). */
void cl_log_atr (const char *reader, const guint8 *atr, gsize len);

/* Remembers an error for the support report (its message only; messages
 * never carry secrets).  cl_set_error_from_sw() records its errors here. */
void cl_log_error (const char *what, const GError *error);
/* The last errors, oldest first, "what: message" (g_strfreev). */
char **cl_log_get_recent_errors (void);

/* The transcript: a ring of the last exchanges (default 512), redacted. */
void cl_transcript_set_capacity (guint capacity);
void cl_transcript_clear (void);
/* cardpeek's trace format: "# cardpeek trace file", "R:<ATR>",
 * "C:<command>:<SW>:<response>", "# end"; redacted bytes are "**". */
char *cl_transcript_to_string (void);
gboolean cl_transcript_save (const char *path, GError **error);

/* The transcript replayer: answers the commands of a saved transcript in
 * order, without any reader (bug reports, tests).  A redacted command byte
 * matches any byte; a redacted response byte is answered as 00. */
typedef struct _ClReplay ClReplay;

ClReplay *cl_replay_new_from_file (const char *path, GError **error);
ClReplay *cl_replay_new_from_data (const char *text, gssize len, GError **error);
GBytes *cl_replay_get_atr (ClReplay *replay); /* first R: line, or NULL */
/* The recorded reply (data ‖ SW) to the next command, or an error when the
 * command differs from the recording or the recording is used up. */
GBytes *cl_replay_transmit (ClReplay *replay, const guint8 *capdu, gsize clen, GError **error);
guint cl_replay_get_remaining (ClReplay *replay);
void cl_replay_free (ClReplay *replay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClReplay, cl_replay_free)

G_END_DECLS
