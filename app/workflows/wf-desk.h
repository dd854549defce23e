/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-desk.h: one workstation: its readers, its database, its name, and the
 * operator logged in at it.  Every task runs against a desk.
 *
 * The database follows the readers: the sim backend (training) opens a
 * training database, real readers a production one, and a production file
 * refuses simulated readers (and the other way round).  Each task opens
 * its own connection in its worker thread (one connection per thread,
 * docs/database.md). */
#pragma once

#include <gio/gio.h>

#include "cl-context.h"
#include "cl-key.h"
#include "db-actor.h"
#include "db-database.h"

G_BEGIN_DECLS

typedef struct _WfSession WfSession;

#define WF_TYPE_DESK (wf_desk_get_type ())
G_DECLARE_FINAL_TYPE (WfDesk, wf_desk, WF, DESK, GObject)

/* Opens (creating if needed) the database at db_path in the mode the
 * readers call for, and checks it can be used.  workstation: this desk's
 * name, as key cards are bound to it. */
WfDesk *wf_desk_new (ClContext *context, const char *db_path, const char *workstation,
                     GError **error);

ClContext *wf_desk_get_context (WfDesk *self);
const char *wf_desk_get_workstation (WfDesk *self);
const char *wf_desk_get_db_path (WfDesk *self);
DbMode wf_desk_get_mode (WfDesk *self);

/* A new connection for the calling thread; close it when done. */
DbDatabase *wf_desk_open_db (WfDesk *self, GError **error);

/* The transport key of the blank CPU cards (default 16 x FF). */
void wf_desk_set_transport_key (WfDesk *self, const ClKey *key);
ClKey *wf_desk_dup_transport_key (WfDesk *self);

/* The operator logged in here, or NULL (a new reference). */
WfSession *wf_desk_dup_session (WfDesk *self);
void wf_desk_set_session (WfDesk *self, WfSession *session);

/* The actor for audit rows when nobody is logged in: this workstation. */
void wf_desk_get_anonymous_actor (WfDesk *self, DbActor *actor);

G_END_DECLS
