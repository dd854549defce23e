/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-issue.c: issuing an insurance card, replacing one, and finishing or
 * undoing an issuance that was interrupted (wf-insurance.h).
 *
 * Why this file is long: issue, replace and the journal's finish/undo are
 * one state machine over the same journal steps and write helpers; split
 * apart, each would need those steps exported.  The journal section is
 * the first to move out (wf-journal.c) if it grows.
 *
 * The journal is the safety net: the attempt is recorded "started" (on
 * disk) before the first byte goes to the card, each step reached is
 * noted, and "completed" comes only after the card was read back and
 * checked.  Every write is idempotent (only what differs is written), so
 * finishing an attempt is the same sequence run again on the same card. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cl-error.h"
#include "cl-sle4428.h"
#include "db-cpu-card.h"
#include "wf-error.h"
#include "wf-icard-io.h"
#include "wf-insurance.h"
#include "wf-session.h"

#define STEP_STARTED "started"
#define STEP_WRITTEN "written"
#define STEP_PSC "psc"
#define STEP_PROTECTED "protected"
#define STEP_VERIFIED "verified"

void
wf_issued_free (WfIssued *issued)
{
  g_free (issued);
}

typedef struct {
  WfIcardHolder holder; /* issue */
  char *holder_id; /* replace */
  WfReplaceReason reason;
  gint64 journal_id; /* finish, undo */
} Params;

static void
params_free (Params *p)
{
  wf_icard_holder_clear (&p->holder);
  g_free (p->holder_id);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Params, params_free)

/* The attempt in the journal, the last step it reached, and whether the
 * card took a PSC (from then on, writes may have landed). */
typedef struct {
  gint64 id;
  const char *step;
  gboolean card_open;
} Progress;

static gboolean
reach (WfTask *task, Progress *progress, const char *step, GError **error)
{
  DbDatabase *db = wf_task_db (task, error);

  if (db == NULL || !db_issuance_set_step (db, progress->id, step, error))
    return FALSE;
  progress->step = step;
  return TRUE;
}

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

/* A key card issues at most its quota; the registry counts. */
static gboolean
check_quota (WfTask *task, GError **error)
{
  g_autoptr (DbCpuCard) rec = NULL;
  g_autoptr (GError) local = NULL;
  DbDatabase *db = wf_task_db (task, error);

  if (db == NULL)
    return FALSE;
  if (wf_session_get_card_kind (task->session) != CL_CARD_KIND_KC)
    return TRUE;
  rec = db_cpu_cards_get (db, wf_session_get_serial (task->session), &local);
  if (rec == NULL)
    {
      if (g_error_matches (local, DB_ERROR, DB_ERROR_NOT_FOUND))
        return TRUE; /* made at another desk: its own registry counts */
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (rec->quota >= 0 && rec->issued_count >= rec->quota)
    {
      g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
                   _ ("This key card has issued all the %lld cards it may. The system "
                      "administrator can make you a new key card."),
                   (long long) rec->quota);
      return FALSE;
    }
  return TRUE;
}

/* A holder has one card at a time: a lost or damaged one is replaced
 * (replaces_sn: the card being replaced, which does not count). */
static gboolean
holder_may_get_card (DbDatabase *db, const char *id_number, const char *replaces_sn, GError **error)
{
  g_autoptr (GPtrArray) cards = db_cards_list_for_holder (db, id_number, error);

  if (cards == NULL)
    return FALSE;
  for (guint i = 0; i < cards->len; i++)
    {
      const DbCard *c = cards->pdata[i];

      if (g_strcmp0 (c->sn, replaces_sn) == 0)
        continue;
      if (c->status == DB_CARD_ISSUED || c->status == DB_CARD_LOST)
        {
          g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
                       _ ("%s already has card %s (%s). Replace that card instead of issuing "
                          "another."),
                       id_number, c->card_number, db_card_status_to_string (c->status));
          return FALSE;
        }
      if (c->status == DB_CARD_STARTED)
        {
          g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
                       _ ("The issuance of card %s to %s was interrupted. Finish or undo it "
                          "first (unfinished issuances)."),
                       c->card_number, id_number);
          return FALSE;
        }
    }
  return TRUE;
}

/* A card the registry knows (recycled) or blacklisted is never issued. */
static gboolean
card_is_new (DbDatabase *db, const char *sn, GError **error)
{
  gboolean listed = FALSE, known = FALSE;

  if (!db_blacklist_contains (db, sn, &listed, error) || !db_cards_sn_known (db, sn, &known, error))
    return FALSE;
  if (listed)
    g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
                 _ ("Card %s is on the blacklist (reported lost or stolen). Do not issue it: keep "
                    "it aside and tell the system administrator."),
                 sn);
  else if (known)
    g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
                 _ ("Card %s was issued before: a used card is never issued again. Take a new "
                    "blank card."),
                 sn);
  return !listed && !known;
}

static gboolean
all_ff (const guint8 *d, gsize len)
{
  for (gsize i = 0; i < len; i++)
    if (d[i] != 0xFF)
      return FALSE;
  return TRUE;
}

/* Blank, or cleared by an undo with its number block already protected:
 * then that number is the card's for good (view says which). */
static gboolean
check_issuable (const WfIcardImage *img, WfIcardView *view, gboolean *reuse_number, GError **error)
{
  gboolean number_protected = TRUE;

  wf_icard_decode (img->mem, NULL, view);
  *reuse_number = FALSE;
  if (view->blank)
    return TRUE;
  for (guint a = WF_ICARD_NUMBER_ADDR; a < WF_ICARD_NUMBER_ADDR + WF_ICARD_NUMBER_LEN; a++)
    number_protected = number_protected && img->protected_map[a];
  if (number_protected && view->number_check == WF_ICARD_CHECK_OK
      && all_ff (img->mem + WF_ICARD_HOLDER_ADDR, WF_ICARD_DATA_END - WF_ICARD_HOLDER_ADDR))
    {
      *reuse_number = TRUE;
      return TRUE;
    }
  g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
               view->number_check == WF_ICARD_CHECK_OK
                   ? _ ("The card in R2 is already written (card number %s): it is not a blank "
                        "card. Take a blank card; to see what this one holds, read it.")
                   : _ ("The card in R2 is already written%s: it is not a blank card. Take a "
                        "blank card; to see what this one holds, read it."),
               view->number_check == WF_ICARD_CHECK_OK ? view->data.card_number : "");
  return FALSE;
}

static gboolean
protect_number (WfTask *task, ClCard *card, const WfIcardImage *img,
                const guint8 wanted[WF_ICARD_DATA_LEN], WfIssued *out, GError **error)
{
  guint apdus = 0;

  if (!cl_sle4428_protect_changes (card, WF_ICARD_NUMBER_ADDR, wanted,
                                   img->protected_map + WF_ICARD_NUMBER_ADDR, WF_ICARD_NUMBER_LEN,
                                   &apdus, task->cancellable, error))
    return FALSE;
  out->apdus_written += apdus;
  return TRUE;
}

/* The card as read now must decrypt and check, hold exactly what was
 * written, keep the PSC counter full and the number block protected. */
static gboolean
read_back (WfTask *task, ClCard *card, const WfIcardKeys *keys,
           const guint8 wanted[WF_ICARD_DATA_LEN], GError **error)
{
  g_autofree WfIcardImage *img = g_new0 (WfIcardImage, 1);
  WfIcardView view;
  gboolean ok;

  if (!wf_icard_image_read (task, card, img, error))
    return FALSE;
  wf_icard_decode (img->mem, keys->dkc, &view);
  ok = wf_icard_view_ok (&view) && view.holder_decrypted
       && memcmp (img->mem + WF_ICARD_DATA_START, wanted, WF_ICARD_DATA_LEN) == 0
       && img->tries_left == CL_SLE4428_MAX_TRIES && img->protected_map[WF_ICARD_NUMBER_ADDR]
       && img->protected_map[WF_ICARD_NUMBER_ADDR + WF_ICARD_NUMBER_LEN - 1];
  wf_icard_view_clear (&view);
  if (!ok)
    g_set_error_literal (error, WF_ERROR, WF_ERROR_FAILED,
                         _ ("The card does not read back as it was written: it may be faulty. "
                            "Undo this issuance (unfinished issuances) and use another card."));
  return ok;
}

/* The writing sequence, the same for a new issuance and a finished one. */
static gboolean
write_card (WfTask *task, ClCard *card, const WfIcardImage *img, const WfIcardData *data,
            const WfIcardKeys *keys, WfPscChoice choice, Progress *progress, WfIssued *out,
            GError **error)
{
  guint8 wanted[WF_ICARD_DATA_LEN];
  g_autoptr (ClKey) factory = wf_icard_factory_psc ();
  gboolean own = FALSE;
  gboolean ok;

  if (!wf_icard_encode (data, keys->dkc, wanted, error)
      || !cl_card_begin (card, task->cancellable, error))
    return FALSE;
  wf_interaction_progress (task->interaction, 0.2, _ ("Writing the card"));
  progress->card_open = wf_icard_present (task, card, keys, choice, &own, error);
  ok = progress->card_open
       && wf_icard_write_data (task, card, img, wanted, &out->apdus_written, &out->bytes_written,
                               error)
       && reach (task, progress, STEP_WRITTEN, error);
  if (ok && !own)
    {
      ok = cl_sle4428_change_psc (card, factory, keys->psc, FALSE, task->cancellable, error);
      out->apdus_written += ok ? 1 : 0;
    }
  ok = ok && reach (task, progress, STEP_PSC, error);
  wf_interaction_progress (task->interaction, 0.7, _ ("Protecting the card number"));
  ok = ok && protect_number (task, card, img, wanted, out, error)
       && reach (task, progress, STEP_PROTECTED, error);
  wf_interaction_progress (task->interaction, 0.9, _ ("Checking the card"));
  ok = ok && read_back (task, card, keys, wanted, error)
       && reach (task, progress, STEP_VERIFIED, error);
  cl_card_end (card);
  return ok;
}

static char *
iso_date (const char *yyyymmdd)
{
  return wf_icard_date_format (yyyymmdd);
}

/* YYYY-MM-DD (the registry's) to YYYYMMDD (the card's). */
static void
compact_date (const char *iso, char out[9])
{
  guint n = 0;

  for (const char *c = iso; c != NULL && *c != '\0' && n < 8; c++)
    if (g_ascii_isdigit (*c))
      out[n++] = *c;
  out[n] = '\0';
}

void
wf_icard_holder_to_db (const WfIcardHolder *h, const char *region, DbHolder *d)
{
  d->id_number = g_strdup (h->id_number);
  d->name = g_strdup (h->name);
  d->sex = g_strdup (h->sex);
  d->ethnicity = g_strdup (h->ethnicity);
  d->birth_date = iso_date (h->birth_date);
  d->insurance_category = g_strdup (h->insurance_category);
  d->employer_code = g_strdup (h->employer_code);
  d->personal_number = g_strdup (h->personal_number);
  d->region_code = g_strdup (region);
}

/* The card data of the registry's holder (replace, finish, batches). */
gboolean
wf_icard_holder_from_db (const DbHolder *d, WfIcardHolder *h, GError **error)
{
  char birth[9];

  memset (h, 0, sizeof *h);
  compact_date (d->birth_date, birth);
  return wf_icard_holder_set (h, WF_ICARD_FIELD_ID_NUMBER, d->id_number, error)
         && wf_icard_holder_set (h, WF_ICARD_FIELD_NAME, d->name, error)
         && wf_icard_holder_set (h, WF_ICARD_FIELD_SEX, d->sex, error)
         && (d->ethnicity[0] == '\0'
             || wf_icard_holder_set (h, WF_ICARD_FIELD_ETHNICITY, d->ethnicity, error))
         && wf_icard_holder_set (h, WF_ICARD_FIELD_BIRTH_DATE, birth, error)
         && (d->insurance_category[0] == '\0'
             || wf_icard_holder_set (h, WF_ICARD_FIELD_INSURANCE_CATEGORY, d->insurance_category,
                                     error))
         && (d->employer_code[0] == '\0'
             || wf_icard_holder_set (h, WF_ICARD_FIELD_EMPLOYER_CODE, d->employer_code, error))
         && (d->personal_number[0] == '\0'
             || wf_icard_holder_set (h, WF_ICARD_FIELD_PERSONAL_NUMBER, d->personal_number, error));
}

static WfIcardType
card_type_for (WfTask *task, gboolean replacement)
{
  if (wf_desk_get_mode (task->desk) == DB_MODE_TRAINING)
    return WF_ICARD_TYPE_TRAINING;
  return replacement ? WF_ICARD_TYPE_REPLACEMENT : WF_ICARD_TYPE_REGULAR;
}

static void
fill_issued (WfIssued *out, const char *sn, const WfIcardData *d, const char *replaces_sn,
             gint64 id)
{
  g_strlcpy (out->sn, sn, sizeof out->sn);
  g_strlcpy (out->card_number, d->card_number, sizeof out->card_number);
  g_strlcpy (out->holder_id, d->holder.id_number, sizeof out->holder_id);
  g_strlcpy (out->holder_name, d->holder.name, sizeof out->holder_name);
  g_strlcpy (out->issue_date, d->issue_date, sizeof out->issue_date);
  g_strlcpy (out->valid_until, d->holder.valid_until, sizeof out->valid_until);
  g_strlcpy (out->replaces_sn, replaces_sn != NULL ? replaces_sn : "", sizeof out->replaces_sn);
  out->journal_id = id;
}

/* The end of a completed attempt: journal, key card quota and trail, log. */
static gboolean
complete (WfTask *task, DbDatabase *db, const WfIssued *out, GError **error)
{
  g_autoptr (GError) quota_error = NULL;
  g_autofree char *detail = NULL;
  gint64 left = 0;

  if (!db_issuance_complete (db, out->journal_id, error))
    return FALSE;
  if (wf_session_get_card_kind (task->session) == CL_CARD_KIND_KC)
    {
      guint8 serial[8];

      /* The card's own trail first: a failure is logged, the card stays issued. */
      for (guint i = 0; i < 8; i++)
        serial[i] = (guint8) g_ascii_xdigit_value (out->sn[2 * i]) << 4
                    | (guint8) g_ascii_xdigit_value (out->sn[2 * i + 1]);
      if (!wf_session_record_issued (task->session, serial, task->cancellable, &quota_error)
          || (!db_cpu_cards_take_quota (db, wf_session_get_serial (task->session), &left,
                                        &quota_error)
              && !g_error_matches (quota_error, DB_ERROR, DB_ERROR_NOT_FOUND)))
        g_message ("The key card's trail or quota could not be updated: %s", quota_error->message);
    }
  detail =
      g_strdup_printf (_ ("%u write commands, %zu bytes"), out->apdus_written, out->bytes_written);
  return wf_task_audit (task, DB_ACTION_ISSUE_FINISH, DB_OUTCOME_OK, out->sn, out->card_number,
                        out->holder_id, NULL, detail, error);
}

/* Issue or replace: the card in R2 made from the data.  replaces_sn: the
 * replaced card, or NULL. */
static WfIssued *
issue_on_blank (WfTask *task, WfIcardData *data, const char *replaces_sn, const char *not_sn,
                GError **error)
{
  g_autoptr (WfIssued) out = g_new0 (WfIssued, 1);
  g_autofree WfIcardImage *img = g_new0 (WfIcardImage, 1);
  g_autoptr (ClCard) card = NULL;
  g_autoptr (DbCard) rec = db_card_new ();
  g_autoptr (DbHolder) holder = db_holder_new ();
  g_auto (WfIcardKeys) keys = { 0 };
  g_autoptr (GError) local = NULL;
  g_autofree char *number = NULL;
  Progress progress = { 0, STEP_STARTED, FALSE };
  gboolean reuse = FALSE;
  WfIcardView view;
  ClCardInfo info;
  DbDatabase *db = wf_task_db (task, error);
  gboolean ok;

  if (db == NULL || !holder_may_get_card (db, data->holder.id_number, replaces_sn, error))
    return NULL;
  card = wf_icard_wait (task, "blank-sle4428", _ ("Put a blank insurance card into R2."), NULL,
                        not_sn, &info, error);
  if (card == NULL)
    return NULL;
  ok = cl_card_begin (card, task->cancellable, error);
  ok = ok && wf_icard_image_read (task, card, img, error);
  if (ok)
    cl_card_end (card);
  if (!ok || !card_is_new (db, img->sn, error) || !check_issuable (img, &view, &reuse, error))
    return NULL;
  if (img->tries_left == 0)
    {
      g_set_error_literal (error, CL_ERROR, CL_ERROR_LOCKED,
                           _ ("The card's PSC is locked: it can never be written. Keep it aside "
                              "and take another blank card."));
      return NULL;
    }
  if (!wf_icard_keys_compute (task, img->serial, TRUE, &keys, error))
    return NULL;

  if (reuse)
    {
      g_strlcpy (data->card_number, view.data.card_number, sizeof data->card_number);
      g_strlcpy (data->issue_date, view.data.issue_date, sizeof data->issue_date);
      data->card_type = view.data.card_type;
      g_strlcpy (data->region_code, view.data.region_code, sizeof data->region_code);
    }
  else
    {
      if (!db_cards_allocate_number (db, &number, error))
        return NULL;
      g_strlcpy (data->card_number, number, sizeof data->card_number);
    }
  if (!wf_icard_data_prepare (data, error))
    return NULL;

  wf_icard_holder_to_db (&data->holder, data->region_code, holder);
  rec->sn = g_strdup (img->sn);
  rec->card_number = g_strdup (data->card_number);
  rec->holder_id = g_strdup (data->holder.id_number);
  rec->region_code = g_strdup (data->region_code);
  rec->card_type = g_strdup_printf ("%u", data->card_type);
  rec->issue_date = iso_date (data->issue_date);
  rec->valid_until = iso_date (data->holder.valid_until);
  if (!db_holders_save (db, holder, error)
      || !db_issuance_begin (db, rec, replaces_sn, &task->actor, &progress.id, error))
    return NULL;
  wf_task_audit (task, DB_ACTION_ISSUE, DB_OUTCOME_OK, img->sn, data->card_number,
                 data->holder.id_number, NULL, _ ("started"), NULL);
  fill_issued (out, img->sn, data, replaces_sn, progress.id);
  if (!write_card (task, card, img, data, &keys, WF_PSC_FACTORY, &progress, out, &local)
      || !complete (task, db, out, &local))
    {
      /* A card that never took the PSC (another system's) holds nothing of
       * this attempt: it is closed as undone, with nothing to finish or undo
       * (an undo would spend more of the card's tries). */
      if (progress.card_open)
        db_issuance_fail (db, progress.id, progress.step, wf_error_code (local), NULL);
      else
        db_issuance_undo (db, progress.id, NULL);
      wf_task_audit_failure (task, DB_ACTION_ISSUE, img->sn, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&out);
}

static WfIcardData *
new_card_data (WfTask *task, WfIcardType type)
{
  WfIcardData *d = g_new0 (WfIcardData, 1);

  d->layout_version = WF_ICARD_LAYOUT_VERSION;
  g_strlcpy (d->region_code, wf_session_get_office (task->session), sizeof d->region_code);
  wf_icard_today (d->issue_date);
  d->card_type = type;
  d->status = WF_ICARD_STATUS_ACTIVE;
  return d;
}

static void
card_data_free (WfIcardData *d)
{
  wf_icard_holder_clear (&d->holder);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WfIcardData, card_data_free)

WfIssued *
wf_issue_in_task (WfTask *task, const WfIcardHolder *holder, const char *not_sn, GError **error)
{
  g_autoptr (WfIcardData) d = NULL;
  g_autoptr (GError) local = NULL;
  WfIssued *out = NULL;

  if (require_issuer (task, &local) && check_quota (task, &local))
    {
      d = new_card_data (task, card_type_for (task, FALSE));
      d->holder = *holder;
      if (wf_icard_holder_complete (&d->holder, &local))
        out = issue_on_blank (task, d, NULL, not_sn, &local);
    }
  if (out == NULL)
    {
      if (local != NULL && !g_error_matches (local, WF_ERROR, WF_ERROR_NOT_LOGGED_IN))
        wf_task_audit_failure (task, DB_ACTION_ISSUE, NULL, local);
      g_propagate_error (error, g_steal_pointer (&local));
    }
  return out;
}

static gpointer
issue_task (WfTask *task, gpointer data, GError **error)
{
  Params *p = data;

  return wf_issue_in_task (task, &p->holder, NULL, error);
}

WfIssued *
wf_icard_issue (WfDesk *desk, WfInteraction *interaction, const WfIcardHolder *holder,
                GCancellable *cancellable, GError **error)
{
  g_autoptr (Params) p = g_new0 (Params, 1);

  p->holder = *holder;
  return wf_task_run (desk, interaction, issue_task, p, cancellable, error);
}

/* -- replace ------------------------------------------------------------------------------- */

/* The holder's current card, marked lost (and blacklisted) or withdrawn. */
static char *
retire_old_card (WfTask *task, DbDatabase *db, const char *holder_id, WfReplaceReason reason,
                 GError **error)
{
  g_autoptr (GPtrArray) cards = db_cards_list_for_holder (db, holder_id, error);
  DbCardStatus to = reason == WF_REPLACE_LOST ? DB_CARD_LOST : DB_CARD_WITHDRAWN;

  if (cards == NULL)
    return NULL;
  for (guint i = 0; i < cards->len; i++)
    {
      const DbCard *c = cards->pdata[i];

      if (c->status != DB_CARD_ISSUED && c->status != DB_CARD_LOST)
        continue;
      if (reason == WF_REPLACE_LOST)
        {
          gboolean listed = FALSE;

          if (!db_blacklist_contains (db, c->sn, &listed, error)
              || (!listed
                  && !db_blacklist_add (db, c->sn, _ ("lost, replaced"), &task->actor, error)))
            return NULL;
        }
      if (c->status != to && !db_cards_set_status (db, c->sn, to, error))
        return NULL;
      wf_task_audit (task, reason == WF_REPLACE_LOST ? DB_ACTION_REPORT_LOST : DB_ACTION_WITHDRAW,
                     DB_OUTCOME_OK, c->sn, c->card_number, holder_id, NULL,
                     _ ("replaced by a new card"), NULL);
      return g_strdup (c->sn);
    }
  g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
               _ ("%s has no card in use to replace. Issue a card instead."), holder_id);
  return NULL;
}

static gpointer
replace_task (WfTask *task, gpointer data, GError **error)
{
  Params *p = data;
  g_autoptr (WfIcardData) d = NULL;
  g_autoptr (DbHolder) holder = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *old_sn = NULL;
  WfIssued *out = NULL;
  DbDatabase *db = NULL;

  if (!require_issuer (task, &local) || !check_quota (task, &local)
      || (db = wf_task_db (task, &local)) == NULL
      || (holder = db_holders_get (db, p->holder_id, &local)) == NULL)
    goto out;
  d = new_card_data (task, card_type_for (task, TRUE));
  if (!wf_icard_holder_from_db (holder, &d->holder, &local)
      || !wf_icard_holder_complete (&d->holder, &local)
      || (old_sn = retire_old_card (task, db, p->holder_id, p->reason, &local)) == NULL)
    goto out;
  out = issue_on_blank (task, d, old_sn, NULL, &local);
  if (out != NULL)
    wf_task_audit (
        task, DB_ACTION_REPLACE, DB_OUTCOME_OK, out->sn, out->card_number, out->holder_id, NULL,
        p->reason == WF_REPLACE_LOST ? _ ("replaces a lost card") : _ ("replaces a damaged card"),
        NULL);
out:
  if (out == NULL)
    {
      wf_task_audit_failure (task, DB_ACTION_REPLACE, NULL, local);
      g_propagate_error (error, g_steal_pointer (&local));
    }
  return out;
}

WfIssued *
wf_icard_replace (WfDesk *desk, WfInteraction *interaction, const char *holder_id,
                  WfReplaceReason reason, GCancellable *cancellable, GError **error)
{
  g_autoptr (Params) p = g_new0 (Params, 1);

  p->holder_id = g_strdup (holder_id);
  p->reason = reason;
  return wf_task_run (desk, interaction, replace_task, p, cancellable, error);
}

/* -- the journal --------------------------------------------------------------------------- */

GPtrArray *
wf_journal_list (WfDesk *desk, GError **error)
{
  g_autoptr (DbDatabase) db = wf_desk_open_db (desk, error);

  return db != NULL ? db_issuance_list_open (db, wf_desk_get_workstation (desk), error) : NULL;
}

const char *
wf_journal_step_label (const char *step)
{
  static const struct {
    const char *step;
    const char *label;
  } steps[] = {
    { STEP_STARTED, N_ ("nothing written yet, or part of the data") },
    { STEP_WRITTEN, N_ ("data written") },
    { STEP_PSC, N_ ("card PSC set") },
    { STEP_PROTECTED, N_ ("card number protected") },
    { STEP_VERIFIED, N_ ("read back and checked") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (g_strcmp0 (step, steps[i].step) == 0)
      return _ (steps[i].label);
  return step != NULL ? step : "";
}

/* Which PSC the card of an attempt has: its own once the PSC step was
 * reached (the change may have landed just before the step was noted). */
static WfPscChoice
psc_choice (const char *step)
{
  gboolean past = g_strcmp0 (step, STEP_PSC) == 0 || g_strcmp0 (step, STEP_PROTECTED) == 0
                  || g_strcmp0 (step, STEP_VERIFIED) == 0;

  return WF_PSC_FACTORY | WF_PSC_OWN | (past ? WF_PSC_OWN_FIRST : 0);
}

/* The open attempt id, its card (want_sn) in R2 read whole, and its keys. */
static ClCard *
open_attempt (WfTask *task, gint64 id, DbIssuance **attempt, WfIcardImage *img, WfIcardKeys *keys,
              GError **error)
{
  g_autoptr (DbIssuance) j = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autofree char *text = NULL;
  DbDatabase *db = wf_task_db (task, error);
  ClCardInfo info;
  gboolean ok;

  if (db == NULL || (j = db_issuance_get (db, id, error)) == NULL)
    return NULL;
  if (j->state != DB_ISSUANCE_STARTED && j->state != DB_ISSUANCE_FAILED)
    {
      g_set_error (error, WF_ERROR, WF_ERROR_REFUSED,
                   _ ("The issuance of card %s is %s: there is nothing to finish or undo."),
                   j->card_number, db_issuance_state_to_string (j->state));
      return NULL;
    }
  text = g_strdup_printf (_ ("Put card %s (serial %s) back into R2."), j->card_number, j->sn);
  card = wf_icard_wait (task, "journal-card", text, j->sn, NULL, &info, error);
  if (card == NULL)
    return NULL;
  ok = cl_card_begin (card, task->cancellable, error);
  ok = ok && wf_icard_image_read (task, card, img, error);
  if (ok)
    cl_card_end (card);
  if (!ok || !wf_icard_keys_compute (task, img->serial, TRUE, keys, error))
    return NULL;
  *attempt = g_steal_pointer (&j);
  return g_steal_pointer (&card);
}

/* A started attempt (the program stopped) is closed as failed first, so
 * that the journal keeps one row per try. */
static gboolean
close_interrupted (DbDatabase *db, const DbIssuance *j, GError **error)
{
  return j->state != DB_ISSUANCE_STARTED
         || db_issuance_fail (db, j->id, j->step, "interrupted", error);
}

static gpointer
finish_task (WfTask *task, gpointer data, GError **error)
{
  Params *p = data;
  g_autoptr (DbIssuance) j = NULL;
  g_autoptr (DbCard) rec = NULL;
  g_autoptr (DbHolder) holder = NULL;
  g_autoptr (WfIcardData) d = NULL;
  g_autoptr (WfIssued) out = g_new0 (WfIssued, 1);
  g_autoptr (ClCard) card = NULL;
  g_autofree WfIcardImage *img = g_new0 (WfIcardImage, 1);
  g_auto (WfIcardKeys) keys = { 0 };
  g_autoptr (GError) local = NULL;
  Progress progress = { 0, STEP_STARTED, FALSE };
  DbDatabase *db = NULL;

  if (!require_issuer (task, &local)
      || (card = open_attempt (task, p->journal_id, &j, img, &keys, &local)) == NULL
      || (db = wf_task_db (task, &local)) == NULL
      || (rec = db_cards_get_by_sn (db, j->sn, &local)) == NULL
      || (holder = db_holders_get (db, j->holder_id, &local)) == NULL)
    goto failed;
  d = new_card_data (task, WF_ICARD_TYPE_REGULAR);
  g_strlcpy (d->card_number, j->card_number, sizeof d->card_number);
  g_strlcpy (d->region_code, rec->region_code, sizeof d->region_code);
  compact_date (rec->issue_date, d->issue_date);
  d->card_type = (WfIcardType) g_ascii_strtoull (rec->card_type, NULL, 10);
  if (!wf_icard_holder_from_db (holder, &d->holder, &local))
    goto failed;
  compact_date (rec->valid_until, d->holder.valid_until);
  if (!wf_icard_holder_complete (&d->holder, &local) || !wf_icard_data_prepare (d, &local)
      || !close_interrupted (db, j, &local)
      || !db_issuance_resume (db, j->id, &task->actor, &progress.id, &local))
    goto failed;
  fill_issued (out, j->sn, d, j->replaces_sn, progress.id);
  if (!write_card (task, card, img, d, &keys, psc_choice (j->step), &progress, out, &local)
      || !complete (task, db, out, &local))
    {
      db_issuance_fail (db, progress.id, progress.step, wf_error_code (local), NULL);
      goto failed;
    }
  return g_steal_pointer (&out);

failed:
  wf_task_audit_failure (task, DB_ACTION_ISSUE_FINISH, j != NULL ? j->sn : NULL, local);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

WfIssued *
wf_journal_finish (WfDesk *desk, WfInteraction *interaction, gint64 id, GCancellable *cancellable,
                   GError **error)
{
  Params p = { .journal_id = id };

  return wf_task_run (desk, interaction, finish_task, &p, cancellable, error);
}

/* Back to issuable: every data byte FF except a number block already
 * protected, and the factory PSC. */
static gboolean
clear_attempt_card (WfTask *task, ClCard *card, const WfIcardImage *img, const WfIcardKeys *keys,
                    const char *step, GError **error)
{
  guint8 wanted[WF_ICARD_DATA_LEN];
  g_autoptr (ClKey) factory = wf_icard_factory_psc ();
  gboolean own = FALSE, ok;
  guint apdus = 0;
  gsize bytes = 0;

  memset (wanted, 0xFF, sizeof wanted);
  for (guint a = WF_ICARD_NUMBER_ADDR; a < WF_ICARD_NUMBER_ADDR + WF_ICARD_NUMBER_LEN; a++)
    if (img->protected_map[a])
      wanted[a - WF_ICARD_DATA_START] = img->mem[a];
  if (!cl_card_begin (card, task->cancellable, error))
    return FALSE;
  ok = wf_icard_present (task, card, keys, psc_choice (step), &own, error)
       && wf_icard_write_data (task, card, img, wanted, &apdus, &bytes, error)
       && (!own
           || cl_sle4428_change_psc (card, keys->psc, factory, FALSE, task->cancellable, error));
  cl_card_end (card);
  return ok;
}

static gpointer
undo_task (WfTask *task, gpointer data, GError **error)
{
  Params *p = data;
  g_autoptr (DbIssuance) j = NULL;
  g_autoptr (ClCard) card = NULL;
  g_autofree WfIcardImage *img = g_new0 (WfIcardImage, 1);
  g_auto (WfIcardKeys) keys = { 0 };
  g_autoptr (GError) local = NULL;
  DbDatabase *db = NULL;

  if (!require_issuer (task, &local)
      || (card = open_attempt (task, p->journal_id, &j, img, &keys, &local)) == NULL
      || (db = wf_task_db (task, &local)) == NULL
      || !clear_attempt_card (task, card, img, &keys, j->step, &local)
      || !db_issuance_undo (db, j->id, &local))
    {
      wf_task_audit_failure (task, DB_ACTION_ISSUE_UNDO, j != NULL ? j->sn : NULL, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  wf_task_audit (task, DB_ACTION_ISSUE_UNDO, DB_OUTCOME_OK, j->sn, j->card_number, j->holder_id,
                 NULL, _ ("the card was cleared and may be issued again"), NULL);
  return GINT_TO_POINTER (1);
}

gboolean
wf_journal_undo (WfDesk *desk, WfInteraction *interaction, gint64 id, GCancellable *cancellable,
                 GError **error)
{
  Params p = { .journal_id = id };

  return wf_task_run (desk, interaction, undo_task, &p, cancellable, error) != NULL;
}
