/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-batch.c: batch issuance from an import file (wf-batch.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "db-batch.h"
#include "db-export.h"
#include "wf-batch.h"
#include "wf-error.h"
#include "wf-icard-io.h"
#include "wf-session.h"

static gboolean
session_may_issue (WfSession *session, GError **error)
{
  if (session == NULL || !wf_session_is_active (session))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN,
                           _ ("Log in first: your administrator or key card in R1 and its PIN."));
      return FALSE;
    }
  return wf_session_require (session, WF_PERM_ISSUE, error);
}

static gboolean
require_issuer (WfTask *task, GError **error)
{
  return session_may_issue (task->session, error);
}

/* The batch lists hold personal data: for operators who may issue. */
static DbDatabase *
open_db_for_issuer (WfDesk *desk, GError **error)
{
  g_autoptr (WfSession) session = wf_desk_dup_session (desk);

  if (!session_may_issue (session, error))
    return NULL;
  return wf_desk_open_db (desk, error);
}

/* Rows whose holder already has a card (in use, lost or being issued)
 * cannot be issued: they go to the problems. */
static gboolean
reject_registered (DbDatabase *db, WfImport *imp, GError **error)
{
  for (guint i = wf_import_get_n_rows (imp); i-- > 0;)
    {
      const WfImportRow *row = wf_import_get_row (imp, i);
      g_autoptr (GPtrArray) cards = db_cards_list_for_holder (db, row->holder.id_number, error);

      if (cards == NULL)
        return FALSE;
      for (guint c = 0; c < cards->len; c++)
        {
          const DbCard *card = cards->pdata[c];

          if (card->status == DB_CARD_ISSUED || card->status == DB_CARD_LOST
              || card->status == DB_CARD_STARTED)
            {
              g_autofree char *message = g_strdup_printf (
                  _ ("ID number: This person already has card %s (%s). Replace that card "
                     "instead of issuing another."),
                  card->card_number, db_card_status_to_string (card->status));

              wf_import_reject (imp, row->line, "id_number", message);
              break;
            }
        }
    }
  return TRUE;
}

static gpointer
check_task (WfTask *task, gpointer data, GError **error)
{
  const char *path = data;
  g_autoptr (WfImport) imp = NULL;
  DbDatabase *db = NULL;

  if (!require_issuer (task, error) || (db = wf_task_db (task, error)) == NULL
      || (imp = wf_import_load (path, error)) == NULL || !reject_registered (db, imp, error))
    return NULL;
  return g_steal_pointer (&imp);
}

WfImport *
wf_batch_check (WfDesk *desk, WfInteraction *interaction, const char *path, GError **error)
{
  return wf_task_run (desk, interaction, check_task, (gpointer) path, NULL, error);
}

/* -- storing and issuing ------------------------------------------------------------------- */

static DbBatchRow *
batch_row (guint line, const WfIcardHolder *h, const char *region)
{
  DbBatchRow *row = db_batch_row_new ();

  row->line_no = line;
  db_holder_free (row->holder);
  row->holder = db_holder_new ();
  wf_icard_holder_to_db (h, region, row->holder);
  return row;
}

/* Every problem of a line, one a line (the messages name their field). */
static char *
line_problems (const WfImport *imp, guint line)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < wf_import_get_n_problems (imp); i++)
    {
      const WfImportProblem *p = wf_import_get_problem (imp, i);

      if (p->line != line)
        continue;
      if (s->len > 0)
        g_string_append_c (s, '\n');
      g_string_append (s, p->message);
    }
  return g_string_free (s, FALSE);
}

static const WfImportRecord *
find_record (const WfImport *imp, guint line)
{
  for (guint i = 0; i < wf_import_get_n_records (imp); i++)
    if (wf_import_get_record (imp, i)->line == line)
      return wf_import_get_record (imp, i);
  return NULL;
}

/* A new batch from the file: good rows pending, bad rows bad (with the
 * ID number and name as written, and every problem of their line). */
static gboolean
store_batch (WfTask *task, DbDatabase *db, const char *path, const char *expect_sha256,
             gint64 *batch_id, GError **error)
{
  g_autoptr (WfImport) imp = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) db_batch_row_free);
  g_autoptr (GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *data = NULL;
  g_autofree char *name = g_path_get_basename (path);
  const char *region = wf_session_get_office (task->session);
  gsize len = 0;
  guint last_bad = 0;

  if (!g_file_get_contents (path, &data, &len, error) || (imp = wf_import_parse (data, len)) == NULL
      || !reject_registered (db, imp, error))
    return FALSE;
  if (wf_import_get_n_rows (imp) == 0)
    {
      g_autofree char *problems = wf_import_format_problems (imp);

      g_set_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                   _ ("The file has no row that can be issued.\n%s"), problems);
      return FALSE;
    }
  g_checksum_update (sum, (const guchar *) data, len);
  if (expect_sha256 != NULL && g_ascii_strcasecmp (expect_sha256, g_checksum_get_string (sum)) != 0)
    {
      g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
                   _ ("The file “%s” changed after it was checked. Open it again to check it "
                      "before its cards are issued."),
                   name);
      return FALSE;
    }
  for (guint i = 0; i < wf_import_get_n_rows (imp); i++)
    {
      const WfImportRow *row = wf_import_get_row (imp, i);

      g_ptr_array_add (rows, batch_row (row->line, &row->holder, region));
    }
  for (guint i = 0; i < wf_import_get_n_problems (imp); i++)
    {
      const WfImportProblem *p = wf_import_get_problem (imp, i);
      const WfImportRecord *rec;
      DbBatchRow *row;

      if (p->line <= 1 || p->line == last_bad)
        continue;
      last_bad = p->line;
      row = db_batch_row_new ();
      row->line_no = p->line;
      row->status = DB_BATCH_ROW_BAD;
      row->reason = line_problems (imp, p->line);
      rec = find_record (imp, p->line);
      if (rec != NULL)
        {
          g_free (row->holder->id_number);
          row->holder->id_number = g_strdup (rec->values[WF_ICARD_FIELD_ID_NUMBER]);
          g_free (row->holder->name);
          row->holder->name = g_strdup (rec->values[WF_ICARD_FIELD_NAME]);
        }
      g_ptr_array_add (rows, row);
    }
  return db_batch_import (db, name, g_checksum_get_string (sum), rows, &task->actor, batch_id,
                          error);
}

static void
summarise (GPtrArray *rows, WfBatchSummary *summary)
{
  for (guint i = 0; i < rows->len; i++)
    {
      const DbBatchRow *row = rows->pdata[i];

      summary->rows++;
      if (row->status == DB_BATCH_ROW_ISSUED)
        summary->issued++;
      else if (row->status == DB_BATCH_ROW_BAD)
        summary->bad++;
      else if (row->status == DB_BATCH_ROW_PENDING)
        summary->pending++;
    }
}

typedef struct {
  const char *path;
  gint64 resume_id;
  const WfBatchControl *control;
  WfBatchSummary summary;
} IssueParams;

static void
changed (const IssueParams *p, gint64 batch_id)
{
  if (p->control != NULL && p->control->changed != NULL)
    p->control->changed (batch_id, p->control->user_data);
}

static gboolean
stop_requested (const IssueParams *p)
{
  return p->control != NULL && g_cancellable_is_cancelled (p->control->stop);
}

static void
cancel_other (GCancellable *cancellable, gpointer other)
{
  g_cancellable_cancel (other);
}

typedef struct {
  DbDatabase *db;
  const char *not_sn;
} BlankAccept;

/* An insurance card the registry does not know: the card left in R2 from
 * the row before (or from before a pause) is not taken for the next. */
static gboolean
accept_blank (const ClCardInfo *info, GString *problem, gpointer data)
{
  BlankAccept *a = data;
  g_autoptr (DbCard) known = NULL;
  char sn[17];

  if (info->kind != CL_CARD_KIND_SLE4428)
    {
      g_string_append_printf (problem, _ ("The card there now is a %s, not an insurance card."),
                              cl_card_kind_describe (info->kind));
      return FALSE;
    }
  wf_serial_hex (info->serial, sn);
  if (a->not_sn == NULL || g_ascii_strcasecmp (sn, a->not_sn) != 0)
    known = db_cards_get_by_sn (a->db, sn, NULL);
  if (known == NULL && (a->not_sn == NULL || g_ascii_strcasecmp (sn, a->not_sn) != 0))
    return TRUE;
  g_string_append_printf (problem, _ ("Card %s is done: take it out."), sn);
  return FALSE;
}

/* Waits for the blank of card n of N, which a stop ends too: nothing is
 * written yet.  The issuance then finds it in R2 without asking again. */
static gboolean
wait_blank (WfTask *task, DbDatabase *db, const IssueParams *p, guint n, guint of, const char *name,
            const char *not_sn, GError **error)
{
  g_autoptr (GCancellable) waiting = g_cancellable_new ();
  g_autoptr (ClCard) card = NULL;
  g_autofree char *text = g_strdup_printf (
      _ ("Card %u of %u, for %s: put a blank insurance card into R2."), n, of, name);
  const WfQuestion q = {
    .kind = WF_QUESTION_CARD,
    .name = "blank-sle4428",
    .title = _ ("Insurance card"),
    .text = text,
  };
  BlankAccept accept = { db, not_sn };
  GCancellable *own = task->cancellable;
  GCancellable *stop = p->control != NULL ? p->control->stop : NULL;
  gulong own_id = 0, stop_id = 0;
  ClCardInfo info;

  if (own != NULL)
    own_id = g_cancellable_connect (own, G_CALLBACK (cancel_other), waiting, NULL);
  if (stop != NULL)
    stop_id = g_cancellable_connect (stop, G_CALLBACK (cancel_other), waiting, NULL);
  task->cancellable = waiting;
  card = wf_task_wait_card (task, CL_READER_ROLE_R2, accept_blank, &accept, &q, &info, error);
  task->cancellable = own;
  if (own != NULL)
    g_cancellable_disconnect (own, own_id);
  if (stop != NULL)
    g_cancellable_disconnect (stop, stop_id);
  return card != NULL;
}

static void
set_stopped (GError **error, guint left)
{
  g_clear_error (error);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
               g_dngettext (GETTEXT_PACKAGE,
                            "The batch stopped: %u row is still to issue. Resume the batch to go "
                            "on.",
                            "The batch stopped: %u rows are still to issue. Resume the batch to "
                            "go on.",
                            left),
               left);
}

/* The card a pending row's holder got after the batch was stored (rows
 * whose holder had one were refused then): its interrupted issuance
 * finished from the journal, as a stopped batch asks, or the holder served
 * at the desk meanwhile.  NULL in *sn when there is none. */
static gboolean
issued_meanwhile (DbDatabase *db, const char *id_number, char **sn, GError **error)
{
  g_autoptr (GPtrArray) cards = db_cards_list_for_holder (db, id_number, error);

  *sn = NULL;
  if (cards == NULL)
    return FALSE;
  for (guint c = 0; c < cards->len && *sn == NULL; c++)
    {
      const DbCard *card = cards->pdata[c];

      if (card->status == DB_CARD_ISSUED)
        *sn = g_strdup (card->sn);
    }
  return TRUE;
}

static gpointer
issue_task (WfTask *task, gpointer data, GError **error)
{
  IssueParams *p = data;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) local = NULL;
  DbDatabase *db = NULL;
  gint64 id = p->resume_id;
  guint done = 0, todo = 0, before = 0; /* issued before a resume */
  char last_sn[17] = "";

  if (!require_issuer (task, &local) || (db = wf_task_db (task, &local)) == NULL
      || (p->path != NULL
          && !store_batch (task, db, p->path, p->control != NULL ? p->control->expect_sha256 : NULL,
                           &id, &local))
      || (rows = db_batch_get_rows (db, id, &local)) == NULL)
    goto out;
  p->summary.batch_id = id;
  changed (p, id);
  wf_task_audit (task, DB_ACTION_IMPORT, DB_OUTCOME_OK, NULL, NULL, NULL, NULL,
                 p->path != NULL ? p->path : _ ("resumed"), NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      todo += ((DbBatchRow *) rows->pdata[i])->status == DB_BATCH_ROW_PENDING;
      before += ((DbBatchRow *) rows->pdata[i])->status == DB_BATCH_ROW_ISSUED;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      const DbBatchRow *row = rows->pdata[i];
      g_autoptr (WfIssued) issued = NULL;
      g_autofree char *step = NULL;
      g_autofree char *had_sn = NULL;
      WfIcardHolder h;

      if (row->status != DB_BATCH_ROW_PENDING)
        continue;
      if (stop_requested (p))
        {
          set_stopped (&local, todo - done);
          goto out;
        }
      /* Already done: recorded, no blank asked for (it would be refused as
       * a second card of the holder, and the batch could never end). */
      if (!issued_meanwhile (db, row->holder->id_number, &had_sn, &local))
        goto out;
      if (had_sn != NULL)
        {
          done++;
          if (!db_batch_set_row (db, id, row->line_no, DB_BATCH_ROW_ISSUED, NULL, had_sn, &local))
            goto out;
          changed (p, id);
          continue;
        }
      /* Counted over the whole batch: a resumed one goes on at card n + 1. */
      step = g_strdup_printf (_ ("Card %u of %u: %s"), before + ++done, before + todo,
                              row->holder->name);
      wf_interaction_progress (task->interaction, (double) (before + done - 1) / (before + todo),
                               step);
      if (!wf_icard_holder_from_db (row->holder, &h, &local))
        {
          db_batch_set_row (db, id, row->line_no, DB_BATCH_ROW_BAD, local->message, NULL, NULL);
          g_clear_error (&local);
          changed (p, id);
          continue;
        }
      if (!wait_blank (task, db, p, before + done, before + todo, row->holder->name,
                       last_sn[0] ? last_sn : NULL, &local))
        {
          wf_icard_holder_clear (&h);
          if (g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            set_stopped (&local, todo - done + 1);
          goto out;
        }
      issued = wf_issue_in_task (task, &h, last_sn[0] ? last_sn : NULL, &local);
      wf_icard_holder_clear (&h);
      if (issued == NULL
          || !db_batch_set_row (db, id, row->line_no, DB_BATCH_ROW_ISSUED, NULL, issued->sn,
                                &local))
        goto out;
      g_strlcpy (last_sn, issued->sn, sizeof last_sn);
      changed (p, id);
    }
  wf_interaction_progress (task->interaction, 1.0, NULL);

out:
  if (db != NULL && id > 0)
    {
      g_autoptr (GPtrArray) now = db_batch_get_rows (db, id, NULL);

      memset (&p->summary, 0, sizeof p->summary);
      p->summary.batch_id = id;
      if (now != NULL)
        summarise (now, &p->summary);
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return GINT_TO_POINTER (1);
}

gboolean
wf_batch_issue_full (WfDesk *desk, WfInteraction *interaction, const char *path, gint64 resume_id,
                     const WfBatchControl *control, WfBatchSummary *summary,
                     GCancellable *cancellable, GError **error)
{
  IssueParams p = { path, resume_id, control, { 0 } };
  gboolean ok;

  g_return_val_if_fail ((path != NULL) != (resume_id > 0), FALSE);

  ok = wf_task_run (desk, interaction, issue_task, &p, cancellable, error) != NULL;
  *summary = p.summary;
  return ok;
}

gboolean
wf_batch_issue (WfDesk *desk, WfInteraction *interaction, const char *path, gint64 resume_id,
                WfBatchSummary *summary, GCancellable *cancellable, GError **error)
{
  return wf_batch_issue_full (desk, interaction, path, resume_id, NULL, summary, cancellable,
                              error);
}

/* -- the rows as the desk lists them ------------------------------------------------------- */

void
wf_batch_row_free (WfBatchRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id_number);
  g_free (row->name);
  g_free (row->sex);
  g_free (row->birth_date);
  g_free (row->insurance_category);
  g_free (row->employer_code);
  g_free (row->card_number);
  g_free (row->sn);
  g_free (row->reason);
  g_free (row);
}

static WfBatchRow *
row_new (guint line, DbBatchRowStatus status)
{
  WfBatchRow *row = g_new0 (WfBatchRow, 1);

  row->line = line;
  row->status = status;
  return row;
}

static char *
dup_or_empty (const char *s)
{
  return g_strdup (s != NULL ? s : "");
}

GPtrArray *
wf_batch_preview (const WfImport *imp)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) wf_batch_row_free);
  guint next_good = 0;

  g_return_val_if_fail (imp != NULL, NULL);

  for (guint i = 0; i < wf_import_get_n_records (imp); i++)
    {
      const WfImportRecord *rec = wf_import_get_record (imp, i);
      const WfImportRow *good = NULL;
      WfBatchRow *row;

      /* Both lists are in file order: the good rows are a subsequence. */
      if (next_good < wf_import_get_n_rows (imp)
          && wf_import_get_row (imp, next_good)->line == rec->line)
        good = wf_import_get_row (imp, next_good++);
      if (good != NULL)
        {
          const WfIcardHolder *h = &good->holder;

          row = row_new (rec->line, DB_BATCH_ROW_PENDING);
          row->id_number = g_strdup (h->id_number);
          row->name = g_strdup (h->name);
          row->sex = g_strdup (h->sex);
          row->birth_date = h->birth_date[0] ? wf_icard_date_format (h->birth_date) : g_strdup ("");
          row->insurance_category = g_strdup (h->insurance_category);
          row->employer_code = g_strdup (h->employer_code);
          row->reason = g_strdup ("");
        }
      else
        {
          row = row_new (rec->line, DB_BATCH_ROW_BAD);
          row->id_number = g_strdup (rec->values[WF_ICARD_FIELD_ID_NUMBER]);
          row->name = g_strdup (rec->values[WF_ICARD_FIELD_NAME]);
          row->sex = g_strdup (rec->values[WF_ICARD_FIELD_SEX]);
          row->birth_date = g_strdup (rec->values[WF_ICARD_FIELD_BIRTH_DATE]);
          row->insurance_category = g_strdup (rec->values[WF_ICARD_FIELD_INSURANCE_CATEGORY]);
          row->employer_code = g_strdup (rec->values[WF_ICARD_FIELD_EMPLOYER_CODE]);
          row->reason = line_problems (imp, rec->line);
        }
      row->card_number = g_strdup ("");
      row->sn = g_strdup ("");
      g_ptr_array_add (out, row);
    }
  return out;
}

static WfBatchRow *
row_from_db (DbDatabase *db, const DbBatchRow *r)
{
  WfBatchRow *row = row_new ((guint) r->line_no, r->status);
  g_autoptr (DbCard) card = NULL;

  if (r->card_sn != NULL && r->card_sn[0] != '\0')
    card = db_cards_get_by_sn (db, r->card_sn, NULL);
  row->id_number = dup_or_empty (r->holder->id_number);
  row->name = dup_or_empty (r->holder->name);
  row->sex = dup_or_empty (r->holder->sex);
  row->birth_date = dup_or_empty (r->holder->birth_date);
  row->insurance_category = dup_or_empty (r->holder->insurance_category);
  row->employer_code = dup_or_empty (r->holder->employer_code);
  row->card_number = dup_or_empty (card != NULL ? card->card_number : NULL);
  row->sn = dup_or_empty (r->card_sn);
  row->reason = dup_or_empty (r->reason);
  return row;
}

static GPtrArray *
rows_of (DbDatabase *db, gint64 batch_id, GError **error)
{
  g_autoptr (GPtrArray) rows = db_batch_get_rows (db, batch_id, error);
  GPtrArray *out;

  if (rows == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) wf_batch_row_free);
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (out, row_from_db (db, rows->pdata[i]));
  return out;
}

GPtrArray *
wf_batch_get_rows (WfDesk *desk, gint64 batch_id, GError **error)
{
  g_autoptr (DbDatabase) db = open_db_for_issuer (desk, error);
  g_autoptr (DbBatch) batch = NULL;

  /* An unknown batch is an error, not an empty list. */
  if (db == NULL || (batch = db_batch_get (db, batch_id, error)) == NULL)
    return NULL;
  return rows_of (db, batch_id, error);
}

char *
wf_batch_checksum (const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

gboolean
wf_batch_find_file (WfDesk *desk, const char *path, gint64 *batch_id, GError **error)
{
  g_autoptr (DbDatabase) db = open_db_for_issuer (desk, error);
  g_autoptr (GPtrArray) batches = NULL;
  g_autofree char *sum = NULL;

  *batch_id = 0;
  if (db == NULL || (sum = wf_batch_checksum (path, error)) == NULL
      || (batches = db_batch_list (db, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < batches->len; i++)
    {
      const DbBatch *b = batches->pdata[i];

      if (g_strcmp0 (b->source_sha256, sum) == 0)
        {
          *batch_id = b->id;
          break;
        }
    }
  return TRUE;
}

void
wf_batch_info_free (WfBatchInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->source_name);
  g_free (info->imported_at);
  g_free (info->imported_by);
  g_free (info);
}

GPtrArray *
wf_batch_list_unfinished (WfDesk *desk, GError **error)
{
  g_autoptr (DbDatabase) db = open_db_for_issuer (desk, error);
  g_autoptr (GPtrArray) batches = NULL;
  g_autoptr (GPtrArray) out = NULL;

  if (db == NULL || (batches = db_batch_list (db, error)) == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify) wf_batch_info_free);
  for (guint i = 0; i < batches->len; i++)
    {
      const DbBatch *b = batches->pdata[i];
      g_autoptr (GPtrArray) rows = db_batch_get_rows (db, b->id, error);
      WfBatchInfo *info;

      if (rows == NULL)
        return NULL;
      info = g_new0 (WfBatchInfo, 1);
      info->summary.batch_id = b->id;
      summarise (rows, &info->summary);
      if (info->summary.pending == 0)
        {
          wf_batch_info_free (info);
          continue;
        }
      info->source_name = g_strdup (b->source_name);
      info->imported_at = g_strdup (b->imported_at);
      info->imported_by = g_strdup (b->imported_by_name);
      g_ptr_array_add (out, info);
    }
  return g_steal_pointer (&out);
}

/* -- the report ---------------------------------------------------------------------------- */

gboolean
wf_batch_write_report (WfDesk *desk, gint64 batch_id, const char *path, GError **error)
{
  /* Holders' names and ID numbers: for an issuer logged in here only. */
  g_autoptr (DbDatabase) db = open_db_for_issuer (desk, error);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GString) csv = g_string_new ("line,id_number,name,outcome,card_number,sn,reason\r\n");

  if (db == NULL || (rows = rows_of (db, batch_id, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      const WfBatchRow *row = rows->pdata[i];
      g_autofree char *line = g_strdup_printf ("%u", row->line);
      const char *fields[] = { line,
                               row->id_number,
                               row->name,
                               db_batch_row_status_to_string (row->status),
                               row->card_number,
                               row->sn,
                               row->reason };

      for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
        {
          if (f > 0)
            g_string_append_c (csv, ',');
          db_csv_append_field (csv, fields[f]);
        }
      g_string_append (csv, "\r\n");
    }
  return g_file_set_contents (path, csv->str, csv->len, error);
}
