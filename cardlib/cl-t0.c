/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-t0.c: the T=0 exchange rules (cl-t0.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "cl-backend.h"
#include "cl-error.h"
#include "cl-key.h"
#include "cl-t0.h"

/* GET RESPONSE chains longer than this are a broken card, not data. */
#define MAX_CHAINED 256

void
cl_reply_clear (ClReply *reply)
{
  if (reply->data != NULL)
    cl_secure_wipe (reply->data, CL_RECV_MAX);
  g_clear_pointer (&reply->data, g_free);
  reply->len = 0;
}

/* Appends to a buffer that may hold secrets: growing copies and wipes, so
 * no unwiped copy is left behind by a realloc. */
static void
secure_append (guint8 **buf, gsize *len, gsize *cap, const guint8 *data, gsize n)
{
  if (n == 0)
    return;
  if (*len + n > *cap)
    {
      gsize new_cap = MAX (*cap * 2, *len + n);
      guint8 *grown = g_malloc (new_cap);

      if (*len > 0)
        memcpy (grown, *buf, *len);
      if (*buf != NULL)
        cl_secure_wipe (*buf, *cap);
      g_free (*buf);
      *buf = grown;
      *cap = new_cap;
    }
  memcpy (*buf + *len, data, n);
  *len += n;
}

static void
wipe_command (guint8 **cmd, gsize len)
{
  if (*cmd != NULL)
    cl_secure_wipe (*cmd, len);
  g_clear_pointer (cmd, g_free);
}

static guint8 *
get_response (guint8 le, gsize *len)
{
  guint8 *cmd = g_malloc (5);

  cmd[0] = 0x00;
  cmd[1] = 0xC0;
  cmd[2] = 0x00;
  cmd[3] = 0x00;
  cmd[4] = le;
  *len = 5;
  return cmd;
}

ClResponse *
cl_t0_transmit (const ClApdu *apdu, const char *reader, ClExchangeFunc exchange, gpointer user_data,
                GError **error)
{
  guint8 *cmd = NULL, *acc = NULL;
  gsize clen = 0, acc_len = 0, acc_cap = 0;
  ClResponse *resp = NULL;
  gboolean resent = FALSE, fetching = FALSE;

  cmd = cl_apdu_encode (apdu, &clen, error);
  if (cmd == NULL)
    return NULL;

  for (guint round = 0; round < MAX_CHAINED; round++)
    {
      ClReply r = { 0 };
      guint8 sw1, sw2;

      if (!exchange (cmd, clen, apdu->flags, &r, user_data, error))
        goto out;
      sw1 = r.data[r.len - 2];
      sw2 = r.data[r.len - 1];
      wipe_command (&cmd, clen);

      if (sw1 == 0x6C && !resent)
        {
          /* "Wrong Le": the same request again with Le = xx.  After a GET
           * RESPONSE that is the GET RESPONSE, never the original command,
           * which may not be repeatable (INTERNAL AUTHENTICATE, APPEND
           * RECORD). */
          ClApdu again = *apdu;

          resent = TRUE;
          again.le = sw2 == 0 ? 256 : sw2;
          cmd = fetching ? get_response (sw2, &clen) : cl_apdu_encode (&again, &clen, error);
          cl_reply_clear (&r);
          if (cmd == NULL)
            goto out;
          continue;
        }
      secure_append (&acc, &acc_len, &acc_cap, r.data, r.len - 2);
      if (sw1 == 0x61)
        {
          /* "More data": fetch it with GET RESPONSE and concatenate. */
          cmd = get_response (sw2, &clen);
          fetching = TRUE;
          resent = FALSE;
          cl_reply_clear (&r);
          continue;
        }
      secure_append (&acc, &acc_len, &acc_cap, r.data + r.len - 2, 2);
      cl_reply_clear (&r);
      resp = cl_response_new (acc, acc_len, error);
      goto out;
    }
  g_set_error (error, CL_ERROR, CL_ERROR_BAD_RESPONSE,
               _ ("The card in “%s” kept asking to fetch more data. Remove and insert the card, "
                  "then start the step again."),
               reader);
out:
  wipe_command (&cmd, clen);
  if (acc != NULL)
    cl_secure_wipe (acc, acc_cap);
  g_free (acc);
  return resp;
}
