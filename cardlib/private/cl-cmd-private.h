/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-cmd-private.h: helpers shared by the card command layer (cl-fmcos,
 * cl-sle4428, cl-kind); not installed, not for callers outside cardlib. */
#pragma once

#include <gio/gio.h>
#include "cl-card.h"

G_BEGIN_DECLS

/* Builds the ClApdu and runs cl_card_transmit(). */
ClResponse *cl_cmd_transmit (ClCard *card, guint8 cla, guint8 ins, guint8 p1, guint8 p2,
                             const guint8 *data, gsize lc, gint le, ClApduFlags flags,
                             GCancellable *cancellable, GError **error);

/* TRUE for 9000; otherwise sets the error from the SW (cl-sw) and FALSE. */
gboolean cl_cmd_check (const ClResponse *resp, const char *what, GError **error);

/* Runs func in a thread as a GTask on card; func gets task_data. */
typedef gpointer (*ClCmdThreadFunc) (ClCard *card, gpointer task_data, GCancellable *cancellable,
                                     GError **error);
void cl_cmd_run_async (ClCard *card, gpointer source_tag, ClCmdThreadFunc func, gpointer task_data,
                       GDestroyNotify task_data_free, GDestroyNotify result_free,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
/* The pointer func returned (NULL with *error set on failure). */
gpointer cl_cmd_run_finish (ClCard *card, GAsyncResult *result, gpointer source_tag,
                            GError **error);
/* The task_data given to cl_cmd_run_async(), for outputs that must reach
 * the caller on failure too (tries left). */
gpointer cl_cmd_run_get_data (GAsyncResult *result);

G_END_DECLS
