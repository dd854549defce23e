/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-watch.h: the reader watch thread behind ClContext's signals.
 *
 * A thread with its own backend context blocks in SCardGetStatusChange over
 * the PnP pseudo-reader and every known reader, is woken by SCardCancel,
 * and reports each event to `func` on the GMainContext that was
 * thread-default when the watch started.  After cl_watch_stop() no further
 * call of `func` happens, even for events still queued on that context. */
#pragma once

#include <glib-object.h>
#include "cl-context.h"

G_BEGIN_DECLS

typedef enum {
  CL_WATCH_READER_ADDED,
  CL_WATCH_READER_REMOVED,
  CL_WATCH_CARD_INSERTED,
  CL_WATCH_CARD_REMOVED,
  CL_WATCH_SERVICE_LOST,
  CL_WATCH_SERVICE_RESTORED,
  CL_WATCH_STARTED, /* the baseline is taken: every change from now on is an event */
} ClWatchEvent;

/* reader is NULL for the service events. */
typedef void (*ClWatchFunc) (GObject *owner, ClWatchEvent event, const char *reader);

typedef struct _ClWatch ClWatch;

/* `owner` is held weakly: events for a finalized owner are dropped. */
ClWatch *cl_watch_start (ClReaderBackend kind, const char *deck_dir, GObject *owner,
                         ClWatchFunc func);
/* Stops and joins the thread; never waits for the main context. */
void cl_watch_stop (ClWatch *watch);

G_END_DECLS
