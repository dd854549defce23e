/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-error.h: the error domain of the workflow layer.  Card, reader and
 * database failures keep their own domains (CL_ERROR, DB_ERROR); these are
 * the refusals and outcomes that belong to operator tasks. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WF_ERROR (wf_error_quark ())

typedef enum {
  WF_ERROR_FAILED,
  WF_ERROR_DECLINED, /* the person answered no: nothing was changed */
  WF_ERROR_NOT_LOGGED_IN, /* the task needs a session */
  WF_ERROR_ROLE, /* the session's role may not do this */
  WF_ERROR_REFUSED, /* the task refuses this card or this input */
  WF_ERROR_INVALID_INPUT, /* an entry of the wrong form, length or content */
  WF_ERROR_TIMEOUT, /* the card asked for did not come */
  WF_ERROR_NO_ANSWER, /* the interaction cannot answer this question */
} WfError;

GQuark wf_error_quark (void);

/* A short, stable code for the audit log and the CLI ("card-removed",
 * "wrong-pin", "declined"…), from any domain cardlib, db or the workflows
 * use. */
const char *wf_error_code (const GError *error);

G_END_DECLS
