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
require_issuer (WfTask *task, GError **error)
{
  if (task->session == NULL || !wf_session_is_active (task->session))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_NOT_LOGGED_IN,
                           _ ("Log in first: your administrator or key card in R1 and its PIN."));
      return FALSE;
    }
  return wf_session_require (task->session, WF_PERM_ISSUE, error);
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
                  _ ("already has card %s (%s): replace it instead of issuing another"),
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
  g_free (row->holder->id_number);
  row->holder->id_number = g_strdup (h->id_number);
  g_free (row->holder->name);
  row->holder->name = g_strdup (h->name);
  row->holder->sex = g_strdup (h->sex);
  row->holder->ethnicity = g_strdup (h->ethnicity);
  row->holder->birth_date = wf_icard_date_format (h->birth_date);
  row->holder->insurance_category = g_strdup (h->insurance_category);
  row->holder->employer_code = g_strdup (h->employer_code);
  row->holder->region_code = g_strdup (region);
  return row;
}

/* A new batch from the file: good rows pending, bad rows bad (with the
 * first reason each). */
static gboolean
store_batch (WfTask *task, DbDatabase *db, const char *path, gint64 *batch_id, GError **error)
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
  for (guint i = 0; i < wf_import_get_n_rows (imp); i++)
    {
      const WfImportRow *row = wf_import_get_row (imp, i);

      g_ptr_array_add (rows, batch_row (row->line, &row->holder, region));
    }
  for (guint i = 0; i < wf_import_get_n_problems (imp); i++)
    {
      const WfImportProblem *p = wf_import_get_problem (imp, i);
      DbBatchRow *row;

      if (p->line <= 1 || p->line == last_bad)
        continue;
      last_bad = p->line;
      row = db_batch_row_new ();
      row->line_no = p->line;
      row->status = DB_BATCH_ROW_BAD;
      row->reason = g_strdup_printf ("%s%s%s", p->column != NULL ? p->column : "",
                                     p->column != NULL ? ": " : "", p->message);
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
  WfBatchSummary summary;
} IssueParams;

static gpointer
issue_task (WfTask *task, gpointer data, GError **error)
{
  IssueParams *p = data;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GError) local = NULL;
  DbDatabase *db = NULL;
  gint64 id = p->resume_id;
  guint done = 0, todo = 0;
  char last_sn[17] = "";

  if (!require_issuer (task, &local) || (db = wf_task_db (task, &local)) == NULL
      || (p->path != NULL && !store_batch (task, db, p->path, &id, &local))
      || (rows = db_batch_get_rows (db, id, &local)) == NULL)
    goto out;
  p->summary.batch_id = id;
  wf_task_audit (task, DB_ACTION_IMPORT, DB_OUTCOME_OK, NULL, NULL, NULL, NULL,
                 p->path != NULL ? p->path : _ ("resumed"), NULL);
  for (guint i = 0; i < rows->len; i++)
    todo += ((DbBatchRow *) rows->pdata[i])->status == DB_BATCH_ROW_PENDING;
  for (guint i = 0; i < rows->len; i++)
    {
      const DbBatchRow *row = rows->pdata[i];
      g_autoptr (WfIssued) issued = NULL;
      g_autofree char *step = NULL;
      WfIcardHolder h;

      if (row->status != DB_BATCH_ROW_PENDING)
        continue;
      step = g_strdup_printf (_ ("Card %u of %u: %s"), ++done, todo, row->holder->name);
      wf_interaction_progress (task->interaction, (double) done / todo, step);
      if (!wf_icard_holder_from_db (row->holder, &h, &local))
        {
          db_batch_set_row (db, id, row->line_no, DB_BATCH_ROW_BAD, local->message, NULL, NULL);
          g_clear_error (&local);
          continue;
        }
      issued = wf_issue_in_task (task, &h, last_sn[0] ? last_sn : NULL, &local);
      wf_icard_holder_clear (&h);
      if (issued == NULL
          || !db_batch_set_row (db, id, row->line_no, DB_BATCH_ROW_ISSUED, NULL, issued->sn,
                                &local))
        goto out;
      g_strlcpy (last_sn, issued->sn, sizeof last_sn);
    }

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
wf_batch_issue (WfDesk *desk, WfInteraction *interaction, const char *path, gint64 resume_id,
                WfBatchSummary *summary, GCancellable *cancellable, GError **error)
{
  IssueParams p = { path, resume_id, { 0 } };
  gboolean ok;

  g_return_val_if_fail ((path != NULL) != (resume_id > 0), FALSE);

  ok = wf_task_run (desk, interaction, issue_task, &p, cancellable, error) != NULL;
  *summary = p.summary;
  return ok;
}

/* -- the report ---------------------------------------------------------------------------- */

gboolean
wf_batch_write_report (WfDesk *desk, gint64 batch_id, const char *path, GError **error)
{
  g_autoptr (DbDatabase) db = wf_desk_open_db (desk, error);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GString) csv = g_string_new ("line,id_number,name,outcome,card_number,sn,reason\r\n");

  if (db == NULL || (rows = db_batch_get_rows (db, batch_id, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      const DbBatchRow *row = rows->pdata[i];
      g_autoptr (DbCard) card = NULL;
      g_autofree char *line = g_strdup_printf ("%" G_GINT64_FORMAT, row->line_no);

      if (row->card_sn != NULL && row->card_sn[0] != '\0')
        card = db_cards_get_by_sn (db, row->card_sn, NULL);
      db_csv_append_field (csv, line);
      g_string_append_c (csv, ',');
      db_csv_append_field (csv, row->holder->id_number != NULL ? row->holder->id_number : "");
      g_string_append_c (csv, ',');
      db_csv_append_field (csv, row->holder->name != NULL ? row->holder->name : "");
      g_string_append_c (csv, ',');
      db_csv_append_field (csv, db_batch_row_status_to_string (row->status));
      g_string_append_c (csv, ',');
      db_csv_append_field (csv, card != NULL ? card->card_number : "");
      g_string_append_c (csv, ',');
      db_csv_append_field (csv, row->card_sn != NULL ? row->card_sn : "");
      g_string_append_c (csv, ',');
      db_csv_append_field (csv, row->reason != NULL ? row->reason : "");
      g_string_append (csv, "\r\n");
    }
  return g_file_set_contents (path, csv->str, csv->len, error);
}
