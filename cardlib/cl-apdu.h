/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-apdu.h: command and response APDUs (ISO 7816-4 cases 1-4, short and
 * extended lengths), and the T=0 exchange rules the host must apply itself
 * because neither pcsc-lite nor vpcd does: 61xx -> GET RESPONSE, 6Cxx ->
 * resend with Le = xx, and a reply shorter than two bytes is an error.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CL_LE_NONE (-1)

typedef enum {
  CL_APDU_FLAG_NONE = 0,
  CL_APDU_FLAG_SECRET_DATA = 1 << 0, /* data carries a key/PIN/PSC: redact in logs */
  CL_APDU_FLAG_SECRET_RESPONSE = 1 << 1, /* reply carries secret material */
} ClApduFlags;

typedef struct {
  guint8 cla, ins, p1, p2;
  const guint8 *data; /* Lc bytes, may be NULL when lc == 0 */
  gsize lc;
  gint le; /* CL_LE_NONE, or 0..65536 (256 short / 65536 extended = "all") */
  ClApduFlags flags;
} ClApdu;

typedef struct {
  guint8 *data;
  gsize len;
  guint16 sw;
} ClResponse;

/* Encodes the shortest valid form (short unless lc > 255 or le > 256). */
guint8 *cl_apdu_encode (const ClApdu *apdu, gsize *out_len, GError **error);
/* Parses raw C-APDU bytes (used by the simulator and the transcript replayer). */
gboolean cl_apdu_parse (const guint8 *raw, gsize len, ClApdu *out, GError **error);

ClResponse *cl_response_new (const guint8 *raw, gsize len, GError **error); /* len >= 2 */
void cl_response_free (ClResponse *resp); /* wipes data */
gboolean cl_response_ok (const ClResponse *resp); /* 9000 */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ClResponse, cl_response_free)

G_END_DECLS
