/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-icard-receipt.c: the hand-over receipt of a card issued or replaced,
 * and a batch's sign-off list, made from the registry (wf-insurance.h,
 * wf-batch.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "db-batch.h"
#include "wf-batch.h"
#include "wf-error.h"
#include "wf-icard-io.h"
#include "wf-insurance.h"
#include "wf-receipt.h"
#include "wf-session.h"

static const char *
digits_of (GStringChunk *keep, const char *iso_date)
{
  char out[9];
  guint n = 0;

  for (const char *c = iso_date; c != NULL && *c != '\0' && n < 8; c++)
    if (g_ascii_isdigit (*c))
      out[n++] = *c;
  out[n] = '\0';
  return g_string_chunk_insert (keep, out);
}

/* A receipt line for a registered card; its strings live in keep. */
static gboolean
receipt_card (DbDatabase *db, const DbCard *rec, GStringChunk *keep, WfReceiptCard *out,
              GError **error)
{
  g_autoptr (DbHolder) holder = db_holders_get (db, rec->holder_id, error);

  if (holder == NULL)
    return FALSE;
  out->kind = WF_RECEIPT_ISSUANCE;
  /* A replacement: for a lost card if the holder has one marked lost. */
  if (g_strcmp0 (rec->card_type, "2") == 0)
    {
      g_autoptr (GPtrArray) cards = db_cards_list_for_holder (db, rec->holder_id, error);

      if (cards == NULL)
        return FALSE;
      out->kind = WF_RECEIPT_REPLACEMENT_DAMAGED;
      for (guint i = 0; i < cards->len; i++)
        if (((DbCard *) cards->pdata[i])->status == DB_CARD_LOST)
          out->kind = WF_RECEIPT_REPLACEMENT_LOST;
    }
  out->holder_name = g_string_chunk_insert (keep, holder->name);
  out->id_number = g_string_chunk_insert (keep, rec->holder_id);
  out->card_number = g_string_chunk_insert (keep, rec->card_number);
  out->serial_hex = g_string_chunk_insert (keep, rec->sn);
  out->date = digits_of (keep, rec->issue_date);
  out->valid_until = digits_of (keep, rec->valid_until);
  return TRUE;
}

static const char *
kept (GStringChunk *keep, const char *s)
{
  return s != NULL ? g_string_chunk_insert (keep, s) : NULL;
}

/* Copied into keep: a receipt may outlive the session (printing). */
static void
place_of (WfTask *task, GStringChunk *keep, WfReceiptPlace *place)
{
  place->office = kept (keep, wf_session_get_office (task->session));
  place->operator_name = kept (keep, wf_session_get_holder_name (task->session));
  place->workstation = kept (keep, wf_desk_get_workstation (task->desk));
}

typedef struct {
  const char *card_number;
  gint64 batch_id;
  const char *path; /* NULL: the receipt is returned as data (out) */
  WfIcardReceipt *out;
} ReceiptParams;

static gpointer
receipt_task (WfTask *task, gpointer data, GError **error)
{
  ReceiptParams *p = data;
  g_autoptr (GStringChunk) own = g_string_chunk_new (256);
  GStringChunk *keep = own;
  g_autoptr (GArray) cards = g_array_new (FALSE, TRUE, sizeof (WfReceiptCard));
  g_autofree char *batch_ref = NULL;
  WfReceiptPlace place = { 0 };
  DbDatabase *db = NULL;

  if (task->session == NULL || !wf_session_is_active (task->session))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN,
                           _ ("Log in first: your administrator or key card in R1 and its PIN."));
      return NULL;
    }
  if (!wf_session_require (task->session, WF_PERM_ISSUE, error)
      || (db = wf_task_db (task, error)) == NULL)
    return NULL;
  if (p->out != NULL)
    keep = p->out->strings;
  place_of (task, keep, &place);
  if (p->card_number != NULL)
    {
      g_autoptr (DbCard) rec = db_cards_get_by_number (db, p->card_number, error);
      WfReceiptCard card = { 0 };

      if (rec == NULL || !receipt_card (db, rec, keep, &card, error))
        return NULL;
      if (p->out != NULL)
        {
          p->out->place = place;
          p->out->card = card;
          return GINT_TO_POINTER (1);
        }
      g_array_append_val (cards, card);
      if (!wf_receipt_write (p->path, &place, (WfReceiptCard *) cards->data, cards->len, error))
        return NULL;
    }
  else
    {
      g_autoptr (GPtrArray) rows = db_batch_get_rows (db, p->batch_id, error);

      if (rows == NULL)
        return NULL;
      for (guint i = 0; i < rows->len; i++)
        {
          const DbBatchRow *row = rows->pdata[i];
          g_autoptr (DbCard) rec = NULL;
          WfReceiptCard card = { 0 };

          if (row->status != DB_BATCH_ROW_ISSUED)
            continue;
          rec = db_cards_get_by_sn (db, row->card_sn, error);
          if (rec == NULL || !receipt_card (db, rec, keep, &card, error))
            return NULL;
          g_array_append_val (cards, card);
        }
      batch_ref = g_strdup_printf ("%" G_GINT64_FORMAT, p->batch_id);
      place.batch_id = batch_ref;
      if (!wf_receipt_write_batch (p->path, &place, (WfReceiptCard *) cards->data, cards->len,
                                   error))
        return NULL;
    }
  return GINT_TO_POINTER (1);
}

gboolean
wf_icard_write_receipt (WfDesk *desk, WfInteraction *interaction, const char *card_number,
                        const char *path, GError **error)
{
  ReceiptParams p = { card_number, 0, path, NULL };

  return wf_task_run (desk, interaction, receipt_task, &p, NULL, error) != NULL;
}

void
wf_icard_receipt_free (WfIcardReceipt *receipt)
{
  if (receipt == NULL)
    return;
  g_string_chunk_free (receipt->strings);
  g_free (receipt);
}

WfIcardReceipt *
wf_icard_get_receipt (WfDesk *desk, WfInteraction *interaction, const char *card_number,
                      GError **error)
{
  g_autoptr (WfIcardReceipt) out = g_new0 (WfIcardReceipt, 1);
  ReceiptParams p = { card_number, 0, NULL, out };

  g_return_val_if_fail (card_number != NULL, NULL);

  out->strings = g_string_chunk_new (256);
  if (wf_task_run (desk, interaction, receipt_task, &p, NULL, error) == NULL)
    return NULL;
  return g_steal_pointer (&out);
}

gboolean
wf_batch_write_signoff (WfDesk *desk, WfInteraction *interaction, gint64 batch_id, const char *path,
                        GError **error)
{
  ReceiptParams p = { NULL, batch_id, path, NULL };

  return wf_task_run (desk, interaction, receipt_task, &p, NULL, error) != NULL;
}
