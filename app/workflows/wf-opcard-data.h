/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-opcard-data.h: the files of the administrator and key cards that are
 * not keys: the holder (EF 0015), the card's status (EF 0016) and, on key
 * cards, the workstation binding and quota (EF 0017).  Byte layouts:
 * docs/card-formats.md, "The CPU cards as built". */
#pragma once

#include <glib.h>

#include "cl-kind.h"
#include "wf-layout.h"

G_BEGIN_DECLS

#define WF_NAME_MAX 30 /* bytes of UTF-8 */
#define WF_STAFF_MAX 16
#define WF_WORKSTATION_MAX 16
#define WF_QUOTA_NONE ((gint64) -1)

typedef struct {
  char *name;
  char *staff_number;
  ClCardRole role; /* AC; CL_ROLE_NONE on a key card */
  char *office; /* 6 digits */
  char *valid_from; /* YYYYMMDD, or NULL */
  char *valid_until;
} WfOpHolder;

typedef struct {
  char *workstation;
  char *office;
  gint64 quota; /* cards it may issue, or WF_QUOTA_NONE */
} WfOpIdent;

void wf_op_holder_clear (WfOpHolder *holder);
void wf_op_ident_clear (WfOpIdent *ident);
/* Deep copies into a cleared struct. */
void wf_op_holder_copy (WfOpHolder *dest, const WfOpHolder *src);
void wf_op_ident_copy (WfOpIdent *dest, const WfOpIdent *src);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WfOpHolder, wf_op_holder_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WfOpIdent, wf_op_ident_clear)

/* Checks every field a person types (lengths that fit the card, digits,
 * dates); the message names the field. */
gboolean wf_op_holder_validate (const WfOpHolder *holder, GError **error);
gboolean wf_op_ident_validate (const WfOpIdent *ident, GError **error);

guint8 *wf_op_holder_encode (const WfOpHolder *holder, GError **error); /* WF_HOLDER_LEN */
gboolean wf_op_holder_decode (const guint8 *data, gsize len, WfOpHolder *holder, GError **error);
guint8 *wf_op_ident_encode (const WfOpIdent *ident, GError **error); /* WF_IDENT_LEN */
gboolean wf_op_ident_decode (const guint8 *data, gsize len, WfOpIdent *ident, GError **error);
/* The status file of a card in use, dated today. */
guint8 *wf_op_status_encode_active (void); /* WF_STATUS_LEN */
/* Does a status file say the card is in use (and is it intact)? */
gboolean wf_op_status_is_active (const guint8 *data, gsize len);

/* "system-admin", "issuing-admin", "auditor"; NULL for others. */
const char *wf_role_to_string (ClCardRole role);
gboolean wf_role_from_string (const char *text, ClCardRole *role);
const char *wf_role_describe (ClCardRole role); /* translated */

G_END_DECLS
