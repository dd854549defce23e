/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-redact.h: APDU exchanges as hex with every secret byte shown as "**"
 * (keys, PINs, PSCs, and replies that are key material). */
#pragma once

#include <glib.h>
#include "cl-apdu.h"

G_BEGIN_DECLS

/* The exchange as hex strings
 * ("00A4…", redacted bytes "**"; spaced = "00 A4 …").  *resp_hex is NULL
 * when rapdu is NULL; otherwise it excludes the two SW bytes. */
void cl_log_redact (const guint8 *capdu, gsize clen, ClApduFlags flags, const guint8 *rapdu,
                    gsize rlen, gboolean spaced, char **cmd_hex, char **resp_hex);

/* TRUE when the command's reply is key material whatever its flags say
 * (INTERNAL AUTHENTICATE). */
gboolean cl_redact_reply_is_secret (const guint8 *capdu, gsize clen);

G_END_DECLS
