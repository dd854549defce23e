/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-context.h: the reader context: which readers exist, which one is R1
 * (key reader) and R2 (user reader), reader/card events, and connections.
 *
 * The caller says which backend to use (pcsc, or sim with its deck
 * directory); cardlib reads no environment.  Roles are bound by FULL reader
 * name (cl_context_set_reader_name()); in sim mode they default to the two
 * simulated readers, in pcsc mode they are never guessed (see
 * docs/readers.md).
 *
 * Signals (emitted on the GMainContext that was thread-default when
 * cl_context_start_watch() was called):
 *   reader-added (const char *reader), reader-removed (const char *reader),
 *   card-inserted (const char *reader), card-removed (const char *reader),
 *   service-lost (), service-restored (),
 *   watch-started (): the watch has taken stock of the readers; what was
 *   seen before it may have changed without an event, so look again.
 */
#pragma once

#include <gio/gio.h>
#include "cl-card.h"

G_BEGIN_DECLS

typedef enum {
  CL_READER_BACKEND_PCSC,
  CL_READER_BACKEND_SIM,
} ClReaderBackend;

/* The two readers of the sim backend. */
#define CL_SIM_READER_R1 "Insucard Simulated Reader R1"
#define CL_SIM_READER_R2 "Insucard Simulated Reader R2"

typedef enum {
  CL_READER_ROLE_R1, /* key reader: the operator's card */
  CL_READER_ROLE_R2, /* user reader: the card being worked on */
} ClReaderRole;

typedef enum {
  CL_SHARE_SHARED,
  CL_SHARE_EXCLUSIVE, /* no other connection meanwhile; the card is reset at the end */
} ClShareMode;

#define CL_TYPE_CONTEXT (cl_context_get_type ())
G_DECLARE_FINAL_TYPE (ClContext, cl_context, CL, CONTEXT, GObject)

/* pcscd not running yet is not an error here (it is retried).  deck_dir:
 * the sim backend's card deck; NULL = insucard/sim-deck in the user data
 * dir.  Ignored for pcsc. */
ClContext *cl_context_new (ClReaderBackend backend, const char *deck_dir);

/* "pcsc" or "sim" (NULL or "" = pcsc), as the CLI and settings spell it. */
gboolean cl_reader_backend_from_string (const char *name, ClReaderBackend *backend, GError **error);
const char *cl_reader_backend_to_string (ClReaderBackend backend);

ClReaderBackend cl_context_get_backend (ClContext *self);
const char *cl_context_get_deck_dir (ClContext *self); /* NULL for pcsc */

/* Names of the readers present now (NULL-terminated; empty when none). */
char **cl_context_list_readers (ClContext *self, GCancellable *cancellable, GError **error);

/* Role binding by full reader name; NULL unbinds (back to the default). */
void cl_context_set_reader_name (ClContext *self, ClReaderRole role, const char *reader);
/* A copy of the bound name (or the sim default), or NULL when unbound. */
char *cl_context_dup_reader_name (ClContext *self, ClReaderRole role);
/* The reader for a role, checked to be present now; the error says what is
 * available and how to configure it (CL_ERROR_NO_READER). */
char *cl_context_resolve_reader (ClContext *self, ClReaderRole role, GCancellable *cancellable,
                                 GError **error);

/* The watch thread (SCardGetStatusChange + the PnP pseudo-reader). */
void cl_context_start_watch (ClContext *self);
void cl_context_stop_watch (ClContext *self);

/* Connects to the card in `reader` (shared mode, T=0 or T=1); blocks. */
ClCard *cl_context_connect (ClContext *self, const char *reader, GCancellable *cancellable,
                            GError **error);
ClCard *cl_context_connect_full (ClContext *self, const char *reader, ClShareMode mode,
                                 GCancellable *cancellable, GError **error);
void cl_context_connect_async (ClContext *self, const char *reader, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data);
ClCard *cl_context_connect_finish (ClContext *self, GAsyncResult *result, GError **error);

G_END_DECLS
