/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cl-cmd.c: small helpers of the card command layer: one-call APDUs, SW
 * checks, and the generic _async/_finish runner over g_task_run_in_thread. */
#include "config.h"

#include <openssl/crypto.h>

#include "cl-cmd-private.h"
#include "cl-sw.h"

ClResponse *
cl_cmd_transmit (ClCard *card, guint8 cla, guint8 ins, guint8 p1, guint8 p2, const guint8 *data,
                 gsize lc, gint le, ClApduFlags flags, GCancellable *cancellable, GError **error)
{
  ClApdu apdu = { cla, ins, p1, p2, data, lc, le, flags };

  return cl_card_transmit (card, &apdu, cancellable, error);
}

gboolean
cl_cmd_check (const ClResponse *resp, const char *what, GError **error)
{
  if (resp->sw == 0x9000)
    return TRUE;
  cl_set_error_from_sw (error, resp->sw, what);
  return FALSE;
}

typedef struct {
  ClCmdThreadFunc func;
  gpointer data;
  GDestroyNotify data_free;
  GDestroyNotify result_free;
} RunData;

static void
run_data_free (RunData *rd)
{
  if (rd->data_free != NULL && rd->data != NULL)
    rd->data_free (rd->data);
  g_free (rd);
}

static void
run_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  RunData *rd = task_data;
  GError *error = NULL;
  gpointer result;

  result = rd->func (CL_CARD (source), rd->data, cancellable, &error);
  /* GTask's pool threads outlive the task: release OpenSSL's per-thread
   * state now rather than leave it to a thread exit that may never come. */
  OPENSSL_thread_stop ();
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, rd->result_free);
}

void
cl_cmd_run_async (ClCard *card, gpointer source_tag, ClCmdThreadFunc func, gpointer task_data,
                  GDestroyNotify task_data_free, GDestroyNotify result_free,
                  GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = g_task_new (card, cancellable, callback, user_data);
  RunData *rd = g_new0 (RunData, 1);

  rd->func = func;
  rd->data = task_data;
  rd->data_free = task_data_free;
  rd->result_free = result_free;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, rd, (GDestroyNotify) run_data_free);
  /* A cancelled operation reports G_IO_ERROR_CANCELLED even if it finished. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_in_thread);
}

gpointer
cl_cmd_run_finish (ClCard *card, GAsyncResult *result, gpointer source_tag, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, card), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gpointer
cl_cmd_run_get_data (GAsyncResult *result)
{
  RunData *rd;

  g_return_val_if_fail (G_IS_TASK (result), NULL);

  rd = g_task_get_task_data (G_TASK (result));
  return rd->data;
}
