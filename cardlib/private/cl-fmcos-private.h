/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-fmcos-private.h: what the FMCOS command files (cl-fmcos.c,
 * cl-fmcos-sm.c, cl-fmcos-keys.c) and the authorities share; cardlib-internal. */
#pragma once

#include <gio/gio.h>
#include "cl-apdu.h"
#include "cl-card.h"
#include "cl-key.h"

G_BEGIN_DECLS

#define CL_FMCOS_CHUNK 250 /* bytes per READ/UPDATE BINARY */
#define CL_FMCOS_LINE_MAX_PLAIN 239 /* so that the cipher of LD ‖ data ‖ pad fits 256 */
#define CL_FMCOS_MAX_PIN 8

/* One command in its own transaction, expecting 9000; optionally returns
 * the reply data. */
gboolean cl_fmcos_simple (ClCard *card, const char *what, guint8 cla, guint8 ins, guint8 p1,
                          guint8 p2, const guint8 *data, gsize lc, gint le, ClApduFlags flags,
                          GBytes **out, GCancellable *cancellable, GError **error);
gboolean cl_fmcos_check_sfi (guint8 sfi, guint offset, GError **error);

/* Cipher+MAC command: challenge, E_enc(LD ‖ plain), MAC4 under mac_key. */
gboolean cl_fmcos_secure_command (ClCard *card, const char *what, guint8 cla, guint8 ins, guint8 p1,
                                  guint8 p2, const guint8 *plain, gsize plain_len,
                                  const ClKey *enc_key, const ClKey *mac_key,
                                  GCancellable *cancellable, GError **error);

/* The tries the card last reported for a PIN or key on this connection. */
void cl_fmcos_set_known_tries (ClCard *card, gboolean is_pin, guint8 kid, gint tries);
/* Refuses to spend a last try (unless allowed), or any try on a blocked
 * PIN or key. */
gboolean cl_fmcos_interlock (gint tries, gboolean allow_last_try, gboolean is_pin, GError **error);

G_END_DECLS
