/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-icard-manage.c: an issued insurance card's life: read and verify,
 * rewrite the holder data, clear, report lost, cancel, and its history
 * (wf-insurance.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cl-sle4428.h"
#include "db-query.h"
#include "wf-error.h"
#include "wf-icard-io.h"
#include "wf-insurance.h"
#include "wf-session.h"

void
wf_icard_report_free (WfIcardReport *report)
{
  if (report == NULL)
    return;
  wf_icard_view_clear (&report->view);
  g_free (report->protection);
  g_clear_pointer (&report->record, db_card_free);
  g_free (report);
}

static gboolean
require (WfTask *task, WfPermission permission, GError **error)
{
  if (task->session == NULL || !wf_session_is_active (task->session))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN,
                           _ ("Log in first: your administrator or key card in R1 and its PIN."));
      return FALSE;
    }
  return wf_session_require (task->session, permission, error);
}

/* The card in R2 read whole (in one transaction). */
static ClCard *
open_card (WfTask *task, WfIcardImage *img, GError **error)
{
  g_autoptr (ClCard) card = NULL;
  ClCardInfo info;
  gboolean ok;

  card = wf_icard_wait (task, "insurance-card", _ ("Put the insurance card into R2."), NULL, NULL,
                        &info, error);
  if (card == NULL || !cl_card_begin (card, task->cancellable, error))
    return NULL;
  ok = wf_icard_image_read (task, card, img, error);
  cl_card_end (card);
  return ok ? g_steal_pointer (&card) : NULL;
}

/* The registry's record of an issued card, or a refusal saying what the
 * card is instead. */
static DbCard *
issued_record (DbDatabase *db, const char *sn, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (DbCard) rec = db_cards_get_by_sn (db, sn, &local);

  if (rec == NULL)
    {
      if (g_error_matches (local, DB_ERROR, DB_ERROR_NOT_FOUND))
        g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
                     _ ("Card %s is not in this desk's registry: it was not issued here. Read it "
                        "to see what it holds."),
                     sn);
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (rec->status != DB_CARD_ISSUED)
    {
      g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
                   _ ("Card %s is recorded as %s: it cannot be changed."), rec->card_number,
                   db_card_status_to_string (rec->status));
      return NULL;
    }
  return g_steal_pointer (&rec);
}

/* Destructive steps name the card and its holder and ask. */
static gboolean
confirm (WfTask *task, const char *name, const char *title, const DbCard *rec, const char *what,
         GError **error)
{
  g_autofree char *number = wf_icard_format_card_number (rec->card_number);
  g_autofree char *text = g_strdup_printf (_ ("Card %s of %s: %s"), number, rec->holder_id, what);
  const WfQuestion q = {
    .kind = WF_QUESTION_CONFIRM,
    .name = name,
    .title = title,
    .text = text,
    .confirm = WF_CONFIRM_DESTRUCTIVE,
    .irreversible = TRUE,
    .yes_label = title,
  };

  return wf_interaction_confirm (task->interaction, &q, task->cancellable, error);
}

/* The record as it is after a change, for the caller to say what became
 * of which card; the change is done, so a failed re-read is no failure. */
static DbCard *
now_recorded (DbDatabase *db, DbCard *before, DbCardStatus status)
{
  DbCard *now = db_cards_get_by_sn (db, before->sn, NULL);

  if (now == NULL)
    {
      before->status = status;
      return before;
    }
  db_card_free (before);
  return now;
}

/* Writes wanted with the card's own PSC (one try), then reads it back. */
static gboolean
write_with_own_psc (WfTask *task, ClCard *card, const WfIcardImage *img, const WfIcardKeys *keys,
                    const guint8 wanted[WF_ICARD_DATA_LEN], gboolean back_to_factory, WfIssued *out,
                    GError **error)
{
  g_autoptr (ClKey) factory = wf_icard_factory_psc ();
  gboolean own = FALSE, ok;

  if (!cl_card_begin (card, task->cancellable, error))
    return FALSE;
  ok = wf_icard_present (task, card, keys, WF_PSC_OWN, &own, error)
       && wf_icard_write_data (task, card, img, wanted, &out->apdus_written, &out->bytes_written,
                               error)
       && (!back_to_factory
           || cl_sle4428_change_psc (card, keys->psc, factory, FALSE, task->cancellable, error));
  cl_card_end (card);
  return ok;
}

/* -- read ---------------------------------------------------------------------------------- */

static gpointer
read_task (WfTask *task, gpointer data, GError **error)
{
  g_autoptr (WfIcardReport) report = g_new0 (WfIcardReport, 1);
  g_autofree WfIcardImage *img = g_new0 (WfIcardImage, 1);
  g_auto (WfIcardKeys) keys = { 0 };
  g_autoptr (ClCard) card = NULL;
  g_autoptr (GError) local = NULL;
  DbDatabase *db = NULL;

  if (!require (task, WF_PERM_READ, &local) || (card = open_card (task, img, &local)) == NULL
      || !wf_icard_keys_compute (task, img->serial, FALSE, &keys, &local)
      || (db = wf_task_db (task, &local)) == NULL
      || !db_blacklist_contains (db, img->sn, &report->blacklisted, &local))
    goto failed;
  wf_icard_decode (img->mem, keys.dkc, &report->view);
  report->protection = cl_sle4428_protection_summary (img->protected_map);
  report->protected_number = img->protected_map[WF_ICARD_NUMBER_ADDR];
  report->record = db_cards_get_by_sn (db, img->sn, &local);
  if (report->record == NULL && !g_error_matches (local, DB_ERROR, DB_ERROR_NOT_FOUND))
    goto failed;
  g_clear_error (&local);
  wf_task_audit (task, DB_ACTION_READ, DB_OUTCOME_OK, img->sn,
                 report->record != NULL ? report->record->card_number : NULL,
                 report->record != NULL ? report->record->holder_id : NULL, NULL, NULL, NULL);
  return g_steal_pointer (&report);

failed:
  if (!g_error_matches (local, WF_ERROR, WF_ERROR_NOT_LOGGED_IN))
    wf_task_audit_failure (task, DB_ACTION_READ, img->sn[0] ? img->sn : NULL, local);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

WfIcardReport *
wf_icard_read (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable, GError **error)
{
  return wf_task_run (desk, interaction, read_task, NULL, cancellable, error);
}

/* -- rewrite ------------------------------------------------------------------------------- */

static gpointer
rewrite_task (WfTask *task, gpointer data, GError **error)
{
  const WfIcardHolder *holder = data;
  g_autoptr (WfIssued) out = g_new0 (WfIssued, 1);
  g_autofree WfIcardImage *img = g_new0 (WfIcardImage, 1);
  g_auto (WfIcardKeys) keys = { 0 };
  g_autoptr (ClCard) card = NULL;
  g_autoptr (DbCard) rec = NULL;
  g_autoptr (DbHolder) dbh = db_holder_new ();
  g_autoptr (GError) local = NULL;
  guint8 wanted[WF_ICARD_DATA_LEN];
  WfIcardView view = { 0 };
  WfIcardData d;
  DbDatabase *db = NULL;
  gboolean changed;

  memset (&d, 0, sizeof d);
  if (!require (task, WF_PERM_ISSUE, &local) || (card = open_card (task, img, &local)) == NULL
      || (db = wf_task_db (task, &local)) == NULL
      || (rec = issued_record (db, img->sn, &local)) == NULL
      || !wf_icard_keys_compute (task, img->serial, TRUE, &keys, &local))
    goto failed;
  wf_icard_decode (img->mem, keys.dkc, &view);
  if (!wf_icard_view_ok (&view) || !view.holder_decrypted)
    {
      g_set_error_literal (&local, WF_ERROR, WF_ERROR_REFUSED,
                           _ ("The card's data do not check: it is damaged or was altered. Read "
                              "it to see which block, and replace the card."));
      goto failed;
    }
  d = view.data;
  if (g_strcmp0 (holder->id_number, d.holder.id_number) != 0)
    {
      g_set_error (&local, WF_ERROR, WF_ERROR_REFUSED,
                   _ ("This card belongs to %s; its ID number cannot change. Issue a card to the "
                      "other person instead."),
                   d.holder.id_number);
      goto failed;
    }
  d.holder = *holder;
  if (d.holder.valid_until[0] == '\0')
    memcpy (d.holder.valid_until, view.data.holder.valid_until, sizeof d.holder.valid_until);
  if (!wf_icard_holder_complete (&d.holder, &local))
    goto failed;
  changed = memcmp (&d.holder, &view.data.holder, sizeof d.holder) != 0;
  if (changed)
    {
      d.rewrite_counter++;
      wf_icard_today (d.last_change);
    }
  /* The transactions stay as they are. */
  if (!wf_icard_encode (&d, keys.dkc, wanted, &local))
    goto failed;
  memcpy (wanted + (WF_ICARD_TXN_HEADER_ADDR - WF_ICARD_DATA_START),
          img->mem + WF_ICARD_TXN_HEADER_ADDR, WF_ICARD_DATA_END - WF_ICARD_TXN_HEADER_ADDR);
  if (changed && !write_with_own_psc (task, card, img, &keys, wanted, FALSE, out, &local))
    goto failed;
  dbh->id_number = g_strdup (d.holder.id_number);
  dbh->name = g_strdup (d.holder.name);
  dbh->sex = g_strdup (d.holder.sex);
  dbh->ethnicity = g_strdup (d.holder.ethnicity);
  dbh->birth_date = wf_icard_date_format (d.holder.birth_date);
  dbh->insurance_category = g_strdup (d.holder.insurance_category);
  dbh->employer_code = g_strdup (d.holder.employer_code);
  dbh->region_code = g_strdup (d.region_code);
  if (changed
      && (!db_holders_save (db, dbh, &local) || !db_cards_count_rewrite (db, img->sn, &local)))
    goto failed;
  g_strlcpy (out->sn, img->sn, sizeof out->sn);
  g_strlcpy (out->card_number, d.card_number, sizeof out->card_number);
  g_strlcpy (out->holder_id, d.holder.id_number, sizeof out->holder_id);
  g_strlcpy (out->holder_name, d.holder.name, sizeof out->holder_name);
  g_strlcpy (out->issue_date, d.issue_date, sizeof out->issue_date);
  g_strlcpy (out->valid_until, d.holder.valid_until, sizeof out->valid_until);
  wf_task_audit (
      task, DB_ACTION_REWRITE, DB_OUTCOME_OK, img->sn, d.card_number, d.holder.id_number, NULL,
      changed ? _ ("holder data rewritten") : _ ("nothing changed: nothing written"), NULL);
  wf_icard_view_clear (&view);
  wf_icard_holder_clear (&d.holder);
  return g_steal_pointer (&out);

failed:
  wf_icard_view_clear (&view);
  wf_icard_holder_clear (&d.holder);
  wf_task_audit_failure (task, DB_ACTION_REWRITE, img->sn[0] ? img->sn : NULL, local);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

WfIssued *
wf_icard_rewrite (WfDesk *desk, WfInteraction *interaction, const WfIcardHolder *holder,
                  GCancellable *cancellable, GError **error)
{
  WfIcardHolder copy = *holder;
  WfIssued *out = wf_task_run (desk, interaction, rewrite_task, &copy, cancellable, error);

  wf_icard_holder_clear (&copy);
  return out;
}

/* -- clear and cancel ---------------------------------------------------------------------- */

typedef enum {
  CHANGE_CLEAR,
  CHANGE_CANCEL,
} Change;

static gpointer
change_task (WfTask *task, gpointer data, GError **error)
{
  Change change = GPOINTER_TO_INT (data);
  DbAction action = change == CHANGE_CLEAR ? DB_ACTION_CLEAR : DB_ACTION_CANCEL;
  g_autoptr (WfIssued) out = g_new0 (WfIssued, 1);
  g_autofree WfIcardImage *img = g_new0 (WfIcardImage, 1);
  g_auto (WfIcardKeys) keys = { 0 };
  g_autoptr (ClCard) card = NULL;
  g_autoptr (DbCard) rec = NULL;
  g_autoptr (GError) local = NULL;
  guint8 wanted[WF_ICARD_DATA_LEN];
  WfIcardView view = { 0 };
  DbDatabase *db = NULL;

  if (!require (task, WF_PERM_ISSUE, &local) || (card = open_card (task, img, &local)) == NULL
      || (db = wf_task_db (task, &local)) == NULL
      || (rec = db_cards_get_by_sn (db, img->sn, &local)) == NULL)
    goto failed;
  if (change == CHANGE_CANCEL && rec->status != DB_CARD_ISSUED)
    {
      g_set_error (&local, WF_ERROR, WF_ERROR_REFUSED,
                   _ ("Card %s is recorded as %s: only a card in use is cancelled."),
                   rec->card_number, db_card_status_to_string (rec->status));
      goto failed;
    }
  if (!confirm (task, change == CHANGE_CLEAR ? "clear" : "cancel",
                change == CHANGE_CLEAR ? _ ("Clear the card") : _ ("Cancel the card"), rec,
                change == CHANGE_CLEAR
                    ? _ ("the holder's data and transactions are wiped from the card; the card "
                         "number stays, and the card is never issued again.")
                    : _ ("the card stops working for good."),
                &local)
      || !wf_icard_keys_compute (task, img->serial, TRUE, &keys, &local))
    goto failed;
  if (change == CHANGE_CLEAR)
    {
      memset (wanted, 0xFF, sizeof wanted);
      for (guint a = WF_ICARD_NUMBER_ADDR; a < WF_ICARD_NUMBER_ADDR + WF_ICARD_NUMBER_LEN; a++)
        if (img->protected_map[a])
          wanted[a - WF_ICARD_DATA_START] = img->mem[a];
    }
  else
    {
      WfIcardData d;

      wf_icard_decode (img->mem, keys.dkc, &view);
      if (!wf_icard_view_ok (&view) || !view.holder_decrypted)
        {
          g_set_error_literal (&local, WF_ERROR, WF_ERROR_REFUSED,
                               _ ("The card's data do not check: it is damaged or was altered. "
                                  "Replace it as damaged instead."));
          goto failed;
        }
      d = view.data;
      d.status = WF_ICARD_STATUS_CANCELLED;
      wf_icard_today (d.last_change);
      if (!wf_icard_encode (&d, keys.dkc, wanted, &local))
        {
          wf_icard_holder_clear (&d.holder);
          goto failed;
        }
      wf_icard_holder_clear (&d.holder);
      memcpy (wanted + (WF_ICARD_TXN_HEADER_ADDR - WF_ICARD_DATA_START),
              img->mem + WF_ICARD_TXN_HEADER_ADDR, WF_ICARD_DATA_END - WF_ICARD_TXN_HEADER_ADDR);
    }
  if (!write_with_own_psc (task, card, img, &keys, wanted, change == CHANGE_CLEAR, out, &local)
      || !db_cards_set_status (
          db, img->sn, change == CHANGE_CLEAR ? DB_CARD_CLEARED : DB_CARD_CANCELLED, &local))
    goto failed;
  wf_icard_view_clear (&view);
  wf_task_audit (task, action, DB_OUTCOME_OK, img->sn, rec->card_number, rec->holder_id, NULL, NULL,
                 NULL);
  return now_recorded (db, g_steal_pointer (&rec),
                       change == CHANGE_CLEAR ? DB_CARD_CLEARED : DB_CARD_CANCELLED);

failed:
  wf_icard_view_clear (&view);
  wf_task_audit_failure (task, action, img->sn[0] ? img->sn : NULL, local);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

DbCard *
wf_icard_clear_record (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                       GError **error)
{
  return wf_task_run (desk, interaction, change_task, GINT_TO_POINTER (CHANGE_CLEAR), cancellable,
                      error);
}

DbCard *
wf_icard_cancel_record (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                        GError **error)
{
  return wf_task_run (desk, interaction, change_task, GINT_TO_POINTER (CHANGE_CANCEL), cancellable,
                      error);
}

gboolean
wf_icard_clear (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable, GError **error)
{
  g_autoptr (DbCard) rec = wf_icard_clear_record (desk, interaction, cancellable, error);

  return rec != NULL;
}

gboolean
wf_icard_cancel (WfDesk *desk, WfInteraction *interaction, GCancellable *cancellable,
                 GError **error)
{
  g_autoptr (DbCard) rec = wf_icard_cancel_record (desk, interaction, cancellable, error);

  return rec != NULL;
}

/* -- report lost --------------------------------------------------------------------------- */

typedef struct {
  const char *card_number;
  const char *sn;
} Lookup;

static DbCard *
look_up (DbDatabase *db, const Lookup *l, GError **error)
{
  return l->sn != NULL ? db_cards_get_by_sn (db, l->sn, error)
                       : db_cards_get_by_number (db, l->card_number, error);
}

static gpointer
lost_task (WfTask *task, gpointer data, GError **error)
{
  const Lookup *l = data;
  g_autoptr (DbCard) rec = NULL;
  g_autoptr (GError) local = NULL;
  DbDatabase *db = NULL;
  gboolean listed = FALSE;

  if (!require (task, WF_PERM_ISSUE, &local) || (db = wf_task_db (task, &local)) == NULL
      || (rec = look_up (db, l, &local)) == NULL)
    goto failed;
  if (rec->status != DB_CARD_ISSUED && rec->status != DB_CARD_LOST)
    {
      g_set_error (&local, WF_ERROR, WF_ERROR_REFUSED,
                   _ ("Card %s is recorded as %s: only a card in use can be reported lost."),
                   rec->card_number, db_card_status_to_string (rec->status));
      goto failed;
    }
  /* A mistyped number would blacklist somebody else's card: ask first. */
  if (rec->status == DB_CARD_ISSUED
      && !confirm (task, "report-lost", _ ("Report the card lost"), rec,
                   _ ("the card is blacklisted and stops working; its holder gets a replacement."),
                   &local))
    goto failed;
  if (!db_blacklist_contains (db, rec->sn, &listed, &local)
      || (!listed && !db_blacklist_add (db, rec->sn, _ ("reported lost"), &task->actor, &local))
      || (rec->status != DB_CARD_LOST && !db_cards_set_status (db, rec->sn, DB_CARD_LOST, &local)))
    goto failed;
  wf_task_audit (task, DB_ACTION_REPORT_LOST, DB_OUTCOME_OK, rec->sn, rec->card_number,
                 rec->holder_id, NULL, NULL, NULL);
  return now_recorded (db, g_steal_pointer (&rec), DB_CARD_LOST);

failed:
  wf_task_audit_failure (task, DB_ACTION_REPORT_LOST, rec != NULL ? rec->sn : l->sn, local);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

DbCard *
wf_icard_report_lost_record (WfDesk *desk, WfInteraction *interaction, const char *card_number,
                             const char *sn, GCancellable *cancellable, GError **error)
{
  Lookup l = { card_number, sn };

  g_return_val_if_fail ((card_number != NULL) != (sn != NULL), NULL);
  return wf_task_run (desk, interaction, lost_task, &l, cancellable, error);
}

gboolean
wf_icard_report_lost (WfDesk *desk, WfInteraction *interaction, const char *card_number,
                      const char *sn, GCancellable *cancellable, GError **error)
{
  g_autoptr (DbCard) rec =
      wf_icard_report_lost_record (desk, interaction, card_number, sn, cancellable, error);

  return rec != NULL;
}

/* -- history ------------------------------------------------------------------------------- */

typedef struct {
  const char *card_number;
  const char *holder_id;
  GPtrArray *cards;
  GPtrArray *rows;
  gboolean more;
} History;

static gpointer
history_task (WfTask *task, gpointer data, GError **error)
{
  History *h = data;
  DbAuditFilter filter = { 0 };
  DbDatabase *db = NULL;

  if (!require (task, WF_PERM_READ, error) || (db = wf_task_db (task, error)) == NULL)
    return NULL;
  if (h->card_number != NULL)
    {
      DbCard *rec = db_cards_get_by_number (db, h->card_number, error);

      if (rec == NULL)
        return NULL;
      h->cards = g_ptr_array_new_with_free_func ((GDestroyNotify) db_card_free);
      g_ptr_array_add (h->cards, rec);
      filter.card_number = h->card_number;
    }
  else
    {
      h->cards = db_cards_list_for_holder (db, h->holder_id, error);
      if (h->cards == NULL)
        return NULL;
      filter.holder_id = h->holder_id;
    }
  /* One row more than is listed tells whether there are older ones. */
  h->rows =
      db_audit_query (db, &filter, DB_ORDER_NEWEST_FIRST, 0, WF_ICARD_HISTORY_MAX_ROWS + 1, error);
  if (h->rows == NULL)
    return NULL;
  h->more = h->rows->len > WF_ICARD_HISTORY_MAX_ROWS;
  if (h->more)
    g_ptr_array_set_size (h->rows, WF_ICARD_HISTORY_MAX_ROWS);
  return GINT_TO_POINTER (1);
}

gboolean
wf_icard_history (WfDesk *desk, WfInteraction *interaction, const char *card_number,
                  const char *holder_id, GPtrArray **cards, GPtrArray **rows, gboolean *more,
                  GError **error)
{
  History h = { card_number, holder_id, NULL, NULL, FALSE };

  g_return_val_if_fail ((card_number != NULL) != (holder_id != NULL), FALSE);
  if (wf_task_run (desk, interaction, history_task, &h, NULL, error) == NULL)
    {
      g_clear_pointer (&h.cards, g_ptr_array_unref);
      g_clear_pointer (&h.rows, g_ptr_array_unref);
      return FALSE;
    }
  *cards = h.cards;
  *rows = h.rows;
  if (more != NULL)
    *more = h.more;
  return TRUE;
}
