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

G_BEGIN_DECLS

/* Logs one exchange (rapdu may be NULL when the card gave no reply) and
 * appends it, redacted, to the in-memory transcript ring. */
void cl_log_exchange (const char *reader, const guint8 *capdu, gsize clen, ClApduFlags flags,
                      const guint8 *rapdu, gsize rlen);

G_END_DECLS
