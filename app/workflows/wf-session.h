/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-session.h: an operator logged in with an administrator or key card
 * in R1.
 *
 * The session keeps the card connected; tasks that need its keys (the
 * per-card PSC and data key of an insurance card, the audit seal) have the
 * card compute them.  The role printed on the card decides what the
 * session may do; tasks check it with wf_session_require().  The session
 * ends at logout, when the card leaves R1 or is swapped, or when a card
 * operation finds it gone; its derived material dies with it. */
#pragma once

#include <gio/gio.h>

#include "cl-card.h"
#include "cl-kind.h"
#include "db-audit.h"
#include "wf-desk.h"
#include "wf-interaction.h"

G_BEGIN_DECLS

#define WF_TYPE_SESSION (wf_session_get_type ())
G_DECLARE_FINAL_TYPE (WfSession, wf_session, WF, SESSION, GObject)

/* What a task needs the operator to be allowed. */
typedef enum {
  WF_PERM_READ, /* read a card's clear data: every role */
  WF_PERM_ISSUE, /* issue and manage insurance cards: system-admin, issuing-admin, key cards */
  WF_PERM_AUDIT, /* verify and export the log: auditor, system-admin */
  WF_PERM_ADMIN, /* everything else: system-admin */
} WfPermission;

ClCardKind wf_session_get_card_kind (WfSession *self); /* AC or KC */
ClCardRole wf_session_get_role (WfSession *self); /* CL_ROLE_NONE on a key card */
const char *wf_session_get_serial (WfSession *self); /* 16 hex digits */
const char *wf_session_get_holder_name (WfSession *self);
const char *wf_session_get_staff_number (WfSession *self);
const char *wf_session_get_office (WfSession *self);
/* A key card's quota as printed on it (WF_QUOTA_NONE otherwise). */
gint64 wf_session_get_quota (WfSession *self);
/* The tries the PIN had left when it was asked at login (-1: the card
 * does not tell). */
gint wf_session_get_pin_tries (WfSession *self);
/* The operator card, connected in R1 (transfer none). */
ClCard *wf_session_get_card (WfSession *self);
gboolean wf_session_is_active (WfSession *self);
/* Who the audit log names: borrowed strings, valid while the session lives. */
void wf_session_get_actor (WfSession *self, DbActor *actor);

/* TRUE when the session may do it; else WF_ERROR_ROLE saying who may. */
gboolean wf_session_require (WfSession *self, WfPermission permission, GError **error);

/* data encrypted inside the operator card with its key kid of the
 * application DF (Pkey, Dkey or Akey; wf-layout.h), into locked memory.
 * data: a multiple of 8 bytes. */
ClKey *wf_session_encrypt (WfSession *self, guint8 kid, const guint8 *data, gsize len,
                           GCancellable *cancellable, GError **error);

/* The sealer of this session's card: seals with its audit key and checks
 * any seal of the system. */
const DbSealer *wf_session_get_sealer (WfSession *self);
/* A key card keeps the serials of the last 32 insurance cards it issued
 * (EF 0018, cyclic): appends one.  Nothing to do on an administrator card. */
gboolean wf_session_record_issued (WfSession *self, const guint8 serial[8],
                                   GCancellable *cancellable, GError **error);
/* Seals the audit chain with the card, after checking the last seal: a
 * forged one (or, on a production log, one no card made) is refused. */
gboolean wf_session_seal (WfSession *self, DbDatabase *db, const DbActor *actor, gint64 *seq,
                          GError **error);
/* Seals the audit chain when 100 rows wait (db_audit_seal_due()); a
 * failure is logged, not fatal. */
void wf_session_seal_if_due (WfSession *self, DbDatabase *db, GCancellable *cancellable);

/* Ends the session: the card is let go and nothing derived survives.
 * Emits "ended" (in the thread that calls it). */
void wf_session_end (WfSession *self);

/* Login: an administrator or key card in R1 and its PIN (the question
 * shows the tries left before anything is typed; the last try needs an
 * explicit yes).  A key card works only on its own workstation.  Writes
 * login or login-failed to the audit log and makes the session the desk's. */
WfSession *wf_login (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                     GError **error);
void wf_login_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data);
WfSession *wf_login_finish (WfDesk *desk, GAsyncResult *result, GError **error);

/* Logout: seals the audit chain with the card (when it is still there),
 * writes logout and ends the desk's session. */
gboolean wf_logout (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                    GError **error);
void wf_logout_async (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                      GAsyncReadyCallback callback, gpointer user_data);
gboolean wf_logout_finish (WfDesk *desk, GAsyncResult *result, GError **error);

G_END_DECLS
