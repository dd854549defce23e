/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-t0.h: the T=0 exchange rules the host applies itself, because neither
 * pcsc-lite nor vpcd does: 61xx -> GET RESPONSE and concatenate, 6Cxx ->
 * the same request again with Le = xx.  Every buffer that held a command
 * or a reply is wiped.  cardlib-internal. */
#pragma once

#include <glib.h>

#include "cl-apdu.h"

G_BEGIN_DECLS

/* A raw reply: CL_RECV_MAX bytes, wiped by cl_reply_clear(). */
typedef struct {
  guint8 *data;
  gsize len;
} ClReply;

void cl_reply_clear (ClReply *reply);

/* Sends one raw command; on TRUE *reply holds >= 2 bytes. */
typedef gboolean (*ClExchangeFunc) (const guint8 *capdu, gsize clen, ClApduFlags flags,
                                    ClReply *reply, gpointer user_data, GError **error);

/* The full exchange of apdu; reader names the reader in messages. */
ClResponse *cl_t0_transmit (const ClApdu *apdu, const char *reader, ClExchangeFunc exchange,
                            gpointer user_data, GError **error);

G_END_DECLS
