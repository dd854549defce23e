/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-training.c: training mode setup and the demo system (ic-training.h). */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cs-deck.h"
#include "ic-training.h"
#include "wf-ceremonies.h"
#include "wf-error.h"
#include "wf-report.h"
#include "wf-scripted.h"

/* DECK/training.ini, group [stock]: what the stocking made so far.
 *   version=1, complete=true|false
 *   STEP=NAME.card       the blank a step was making its card on
 *   STEP-made=true       that card is finished
 *   blanks=NAME;NAME;…   the blank insurance cards
 *   foreign=true         the deck had cards of its own: never stocked
 * A deck without this file and with cards is stocked only when they are
 * all blanks (a training deck of an older insucard). */
#define STOCK_FILE "training.ini"
#define STOCK_GROUP "stock"
#define STOCK_VERSION 1

typedef enum {
  STEP_MCC,
  STEP_KTC,
  STEP_ADMIN_CARD,
  STEP_KEY_CARD,
} StepKind;

typedef struct {
  const char *id;
  StepKind kind;
  ClCardRole role;
  const char *holder;
  const char *staff_number;
  const char *what; /* for the progress line */
} Step;

static const Step steps[] = {
  { "mcc", STEP_MCC, CL_ROLE_NONE, NULL, NULL, N_ ("Making the master control card…") },
  { "ktc", STEP_KTC, CL_ROLE_NONE, NULL, NULL, N_ ("Making the key transport card…") },
  { "system-admin", STEP_ADMIN_CARD, CL_ROLE_SYSTEM_ADMIN, IC_DEMO_SYSTEM_ADMIN, "DEMO-001",
    N_ ("Making the system administrator’s card…") },
  { "issuing-admin", STEP_ADMIN_CARD, CL_ROLE_ISSUING_ADMIN, IC_DEMO_ISSUING_ADMIN, "DEMO-002",
    N_ ("Making the issuing administrator’s card…") },
  { "auditor", STEP_ADMIN_CARD, CL_ROLE_AUDITOR, IC_DEMO_AUDITOR, "DEMO-003",
    N_ ("Making the auditor’s card…") },
  { "key-card", STEP_KEY_CARD, CL_ROLE_NONE, IC_DEMO_CLERK, "DEMO-004",
    N_ ("Making the key card of this desk…") },
};

/* -- setup ------------------------------------------------------------------------------------- */

/* Can a key card be bound to this name?  (1 to 16 printable ASCII.) */
static gboolean
fits_key_card (const char *workstation)
{
  WfOpIdent ident = { (char *) workstation, (char *) IC_DEMO_OFFICE, IC_DEMO_KEY_QUOTA };

  return workstation != NULL && wf_op_ident_validate (&ident, NULL);
}

gboolean
ic_training_setup (IcConfig *config, GError **error)
{
  g_autofree char *deck = NULL;
  g_autofree char *db = NULL;

  g_return_val_if_fail (config != NULL, FALSE);

  /* An explicitly configured deck (INSUCARD_SIM_DECK) is used as it is;
   * otherwise training has a deck of its own, never the sim default. */
  deck = config->backend == CL_READER_BACKEND_SIM && config->deck_dir != NULL
             ? g_strdup (config->deck_dir)
             : g_build_filename (g_get_user_data_dir (), "insucard", "training-deck", NULL);

  if (g_mkdir_with_parents (deck, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   _ ("Could not create the training deck %s: %s"), deck, g_strerror (saved));
      return FALSE;
    }
  /* Training never touches a real reader. */
  config->backend = CL_READER_BACKEND_SIM;
  ic_config_set (&config->deck_dir, deck);
  ic_config_set (&config->reader_r1, NULL);
  ic_config_set (&config->reader_r2, NULL);
  /* Nor the desk's database, even when INSUCARD_DB names it. */
  ic_config_set (&config->db_path, NULL);
  db = ic_config_resolve_db_path (config, NULL, TRUE);
  ic_config_set (&config->db_path, db);
  if (!fits_key_card (config->workstation))
    ic_config_set (&config->workstation, IC_TRAINING_WORKSTATION);
  return TRUE;
}

char *
ic_training_banner_text (void)
{
  return g_strdup_printf (
      _ ("Training mode: nothing here is real. The readers and cards are simulated and the "
         "database is a training one; no real card, reader or desk database is used. Demo "
         "PINs: administrator cards and the key card %s, master control card %s, key "
         "transport card %s, %s and %s."),
      IC_DEMO_CARD_PIN, IC_DEMO_MCC_PIN, IC_DEMO_KTC_PIN1, IC_DEMO_KTC_PIN2, IC_DEMO_KTC_PIN3);
}

/* -- the stocking record ---------------------------------------------------------------------- */

static char *
stock_file (const char *deck_dir)
{
  return g_build_filename (deck_dir, STOCK_FILE, NULL);
}

/* NULL when the deck has no record. */
static GKeyFile *
load_record (const char *deck_dir)
{
  g_autofree char *path = stock_file (deck_dir);
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL)
      || !g_key_file_has_group (kf, STOCK_GROUP))
    return NULL;
  return g_steal_pointer (&kf);
}

static gboolean
record_complete (GKeyFile *kf)
{
  /* A record from a newer insucard is not ours to change. */
  return g_key_file_get_integer (kf, STOCK_GROUP, "version", NULL) > STOCK_VERSION
         || g_key_file_get_boolean (kf, STOCK_GROUP, "complete", NULL);
}

/* Any card image in the deck? */
static gboolean
deck_has_cards (const char *deck_dir)
{
  g_autofree char *cards = g_build_filename (deck_dir, "cards", NULL);
  g_autoptr (GDir) dir = g_dir_open (cards, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".card"))
      return TRUE;
  return FALSE;
}

gboolean
ic_training_needs_stock (const char *deck_dir)
{
  g_autoptr (GKeyFile) kf = NULL;

  g_return_val_if_fail (deck_dir != NULL, FALSE);

  kf = load_record (deck_dir);
  if (kf != NULL)
    return !record_complete (kf);
  /* A deck with cards but no record may still be all blanks (then it is
   * stocked); ic_training_stock() looks. */
  return TRUE;
}

/* -- stocking ---------------------------------------------------------------------------------- */

typedef struct {
  WfDesk *desk;
  ClContext *ctx;
  CsDeck *deck;
  char *record_path;
  GKeyFile *record;
  GHashTable *plan; /* question name -> GQueue of image paths */
  GCancellable *cancellable;
  IcTrainingProgress progress;
  gpointer user_data;
} Stock;

static void
stock_clear (Stock *s)
{
  g_clear_pointer (&s->deck, cs_deck_free);
  g_clear_pointer (&s->record, g_key_file_unref);
  g_clear_pointer (&s->record_path, g_free);
  g_clear_pointer (&s->plan, g_hash_table_unref);
}

static void
report (Stock *s, double fraction, const char *step)
{
  if (s->progress != NULL)
    s->progress (fraction, step, s->user_data);
}

static gboolean
save_record (Stock *s, GError **error)
{
  return g_key_file_save_to_file (s->record, s->record_path, error);
}

static char *
image_path (Stock *s, const char *name)
{
  return g_build_filename (cs_deck_get_cards_dir (s->deck), name, NULL);
}

/* Is the card in the slot this image? */
static gboolean
slot_holds (Stock *s, guint slot, const char *path)
{
  const char *there = cs_deck_get_slot_card (s->deck, slot);
  g_autofree char *a = there != NULL ? g_canonicalize_filename (there, NULL) : NULL;
  g_autofree char *b = g_canonicalize_filename (path, NULL);

  return g_strcmp0 (a, b) == 0;
}

/* The person puts the card into a reader: out of the other reader first,
 * and whatever is in this one goes back to the drawer. */
static gboolean
put_card (Stock *s, guint slot, const char *path, GError **error)
{
  if (!cs_deck_reload (s->deck, NULL, error))
    return FALSE;
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    if (cs_deck_get_slot_card (s->deck, i) != NULL && (i == slot || slot_holds (s, i, path))
        && !cs_deck_remove (s->deck, i, error))
      return FALSE;
  return cs_deck_insert (s->deck, slot, path, error);
}

/* Out of both readers (a card about to be thrown away). */
static gboolean
take_out (Stock *s, const char *path, GError **error)
{
  if (!cs_deck_reload (s->deck, NULL, error))
    return FALSE;
  for (guint i = 0; i < CS_DECK_SLOTS; i++)
    if (slot_holds (s, i, path) && !cs_deck_remove (s->deck, i, error))
      return FALSE;
  return TRUE;
}

/* What the card in the image is, seen in R2. */
static gboolean
probe (Stock *s, const char *path, WfCardFacts *facts, GError **error)
{
  g_autofree char *reader = NULL;
  g_autoptr (ClCard) card = NULL;
  gboolean ok;

  if (!put_card (s, 1, path, error))
    return FALSE;
  reader = cl_context_resolve_reader (s->ctx, CL_READER_ROLE_R2, s->cancellable, error);
  if (reader == NULL)
    return FALSE;
  card = cl_context_connect (s->ctx, reader, s->cancellable, error);
  if (card == NULL)
    return FALSE;
  ok = wf_report_card_facts (card, facts, s->cancellable, error);
  cl_card_disconnect (card);
  return ok;
}

static void
plan (Stock *s, const char *question, const char *path)
{
  GQueue *queue = g_hash_table_lookup (s->plan, question);

  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (s->plan, g_strdup (question), queue);
    }
  g_queue_push_tail (queue, g_strdup (path));
}

static void
free_queue (gpointer queue)
{
  g_queue_free_full (queue, g_free);
}

/* The scripted person: each card asked for is put in once, as planned. */
static gboolean
card_func (WfScripted *ia, const WfQuestion *q, gpointer data)
{
  Stock *s = data;
  GQueue *queue = g_hash_table_lookup (s->plan, q->name);
  g_autofree char *path = queue != NULL ? g_queue_pop_head (queue) : NULL;
  g_autoptr (GError) error = NULL;

  if (path == NULL)
    return FALSE;
  if (!put_card (s, q->reader == CL_READER_ROLE_R1 ? 0 : 1, path, &error))
    {
      g_warning ("training: could not put %s in: %s", path, error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_made (const Step *step, const ClCardInfo *info)
{
  switch (step->kind)
    {
    case STEP_MCC:
      return info->kind == CL_CARD_KIND_MCC;
    case STEP_KTC:
      return info->kind == CL_CARD_KIND_KTC;
    case STEP_ADMIN_CARD:
      return info->kind == CL_CARD_KIND_AC && info->role == step->role;
    case STEP_KEY_CARD:
    default:
      return info->kind == CL_CARD_KIND_KC;
    }
}

/* The image of a finished step's card. */
static char *
step_image (Stock *s, const char *id)
{
  g_autofree char *made = g_strconcat (id, "-made", NULL);
  g_autofree char *name = g_key_file_get_string (s->record, STOCK_GROUP, id, NULL);
  g_autofree char *path = name != NULL ? image_path (s, name) : NULL;

  if (path == NULL || !g_key_file_get_boolean (s->record, STOCK_GROUP, made, NULL)
      || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_steal_pointer (&path);
}

static gboolean
run_ceremony (Stock *s, const Step *step, const char *blank, GError **error)
{
  g_autoptr (WfScripted) ia = wf_scripted_new ();
  g_autofree char *mcc = step_image (s, "mcc");
  g_autofree char *ktc = step_image (s, "ktc");
  g_autoptr (WfCardMade) made = NULL;
  g_autoptr (GPtrArray) cards = NULL;
  WfOpHolder holder = { (char *) step->holder, (char *) step->staff_number, step->role,
                        (char *) IC_DEMO_OFFICE };
  WfOpIdent ident = { (char *) wf_desk_get_workstation (s->desk), (char *) IC_DEMO_OFFICE,
                      IC_DEMO_KEY_QUOTA };

  g_hash_table_remove_all (s->plan);
  wf_scripted_set_card_func (ia, card_func, s, NULL);
  /* The steps run in order, so these are there; a record edited by hand
   * may say otherwise. */
  if ((step->kind != STEP_MCC && mcc == NULL) || (step->kind > STEP_KTC && ktc == NULL))
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_FAILED,
                           _ ("The demo master control card or key transport card is missing."));
      return FALSE;
    }

  switch (step->kind)
    {
    case STEP_MCC:
      plan (s, "blank-cpu", blank);
      wf_scripted_add (ia, "mk=" IC_DEMO_MK, "mcc-pin=" IC_DEMO_MCC_PIN, NULL);
      made = wf_mcc_create (s->desk, WF_INTERACTION (ia), s->cancellable, error);
      return made != NULL;
    case STEP_KTC:
      plan (s, "mcc", mcc);
      plan (s, "blank-cpu", blank);
      wf_scripted_add (ia, "mcc-pin=" IC_DEMO_MCC_PIN, "code1=" IC_DEMO_CODE1,
                       "pin1=" IC_DEMO_KTC_PIN1, "code2=" IC_DEMO_CODE2, "pin2=" IC_DEMO_KTC_PIN2,
                       "psub=" IC_DEMO_PSUB, "dsub=" IC_DEMO_DSUB, "pin3=" IC_DEMO_KTC_PIN3, NULL);
      made = wf_ktc_create (s->desk, WF_INTERACTION (ia), s->cancellable, error);
      return made != NULL;
    case STEP_ADMIN_CARD:
    case STEP_KEY_CARD:
    default:
      plan (s, "mcc", mcc);
      plan (s, "ktc", ktc);
      plan (s, "blank-cpu", blank);
      wf_scripted_add (ia, "mcc-pin=" IC_DEMO_MCC_PIN, "holder-pin=" IC_DEMO_CARD_PIN, NULL);
      cards =
          wf_opcard_create (s->desk, WF_INTERACTION (ia), &holder,
                            step->kind == STEP_KEY_CARD ? &ident : NULL, 1, s->cancellable, error);
      return cards != NULL && cards->len == 1;
    }
}

/* One card of the demo system: kept when already made (also when the
 * stocking stopped after the ceremony but before it was recorded); a
 * half-made one is thrown away and the card made on a new blank. */
static gboolean
run_step (Stock *s, const Step *step, GError **error)
{
  g_autofree char *made_key = g_strconcat (step->id, "-made", NULL);
  g_autofree char *name = g_key_file_get_string (s->record, STOCK_GROUP, step->id, NULL);
  g_autofree char *path = name != NULL ? image_path (s, name) : NULL;
  g_autofree char *blank = NULL;
  g_autofree char *blank_name = NULL;

  if (path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_auto (WfCardFacts) facts = { 0 };

      if (g_key_file_get_boolean (s->record, STOCK_GROUP, made_key, NULL))
        return TRUE;
      if (!probe (s, path, &facts, error))
        return FALSE;
      if (is_made (step, &facts.info))
        {
          g_key_file_set_boolean (s->record, STOCK_GROUP, made_key, TRUE);
          return save_record (s, error);
        }
      g_info ("training: throwing away the half-made card %s", name);
      if (!take_out (s, path, error))
        return FALSE;
      if (g_unlink (path) != 0)
        {
          int saved = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path,
                       g_strerror (saved));
          return FALSE;
        }
    }

  blank = cs_deck_new_card (s->deck, CS_CARD_FMCOS, NULL, error);
  if (blank == NULL)
    return FALSE;
  blank_name = g_path_get_basename (blank);
  g_key_file_set_string (s->record, STOCK_GROUP, step->id, blank_name);
  g_key_file_set_boolean (s->record, STOCK_GROUP, made_key, FALSE);
  if (!save_record (s, error) || !run_ceremony (s, step, blank, error))
    return FALSE;
  g_key_file_set_boolean (s->record, STOCK_GROUP, made_key, TRUE);
  return save_record (s, error);
}

/* The blank insurance cards that are still there. */
static GPtrArray *
blank_names (Stock *s)
{
  g_auto (GStrv) names = g_key_file_get_string_list (s->record, STOCK_GROUP, "blanks", NULL, NULL);
  GPtrArray *there = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      g_autofree char *path = image_path (s, names[i]);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (there, g_strdup (names[i]));
    }
  return there;
}

static gboolean
make_blanks (Stock *s, GError **error)
{
  g_autoptr (GPtrArray) names = blank_names (s);

  while (names->len < IC_DEMO_BLANKS)
    {
      g_autofree char *path = cs_deck_new_card (s->deck, CS_CARD_SLE4428, NULL, error);

      if (path == NULL)
        return FALSE;
      g_ptr_array_add (names, g_path_get_basename (path));
      /* Recorded after each: an interruption leaves no blank unaccounted. */
      g_key_file_set_string_list (s->record, STOCK_GROUP, "blanks",
                                  (const char *const *) names->pdata, names->len);
      if (!save_record (s, error))
        return FALSE;
    }
  return TRUE;
}

/* Ready to log in: the issuing administrator's card in R1, a blank
 * insurance card in R2. */
static gboolean
place_cards (Stock *s, GError **error)
{
  g_autofree char *admin = step_image (s, "issuing-admin");
  g_autoptr (GPtrArray) names = blank_names (s);
  g_autofree char *blank = names->len > 0 ? image_path (s, names->pdata[0]) : NULL;

  if (admin == NULL || blank == NULL)
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_FAILED,
                           _ ("The demo cards are incomplete; restart insucard to finish them."));
      return FALSE;
    }
  return put_card (s, 0, admin, error) && put_card (s, 1, blank, error);
}

/* A deck with cards but without a record: stocked only when every card in
 * it is a blank (a training deck of an older insucard); its slots are put
 * back as they were otherwise. */
static gboolean
only_blanks (Stock *s, gboolean *blanks, GError **error)
{
  g_autoptr (GPtrArray) cards = cs_deck_list_cards (s->deck, error);
  g_autofree char *slot0 = NULL;
  g_autofree char *slot1 = NULL;

  *blanks = TRUE;
  if (cards == NULL || !cs_deck_reload (s->deck, NULL, error))
    return FALSE;
  slot0 = g_strdup (cs_deck_get_slot_card (s->deck, 0));
  slot1 = g_strdup (cs_deck_get_slot_card (s->deck, 1));
  for (guint i = 0; i < cards->len && *blanks; i++)
    {
      g_auto (WfCardFacts) facts = { 0 };

      /* An image the simulator cannot read is no blank either. */
      *blanks = probe (s, cards->pdata[i], &facts, NULL)
                && (facts.info.kind == CL_CARD_KIND_CPU_BLANK
                    || (facts.info.kind == CL_CARD_KIND_SLE4428 && facts.blank));
    }
  if (!*blanks)
    {
      /* Someone's deck: as it was. */
      for (guint i = 0; i < CS_DECK_SLOTS; i++)
        {
          const char *was = i == 0 ? slot0 : slot1;

          if (!cs_deck_reload (s->deck, NULL, error)
              || (cs_deck_get_slot_card (s->deck, i) != NULL && !cs_deck_remove (s->deck, i, error))
              || (was != NULL && !cs_deck_insert (s->deck, i, was, error)))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
stock (Stock *s, GError **error)
{
  const char *deck_dir = cl_context_get_deck_dir (s->ctx);
  const guint n = G_N_ELEMENTS (steps) + 1;

  s->deck = cs_deck_open (deck_dir, error);
  if (s->deck == NULL)
    return FALSE;
  s->record_path = stock_file (deck_dir);
  s->record = load_record (deck_dir);
  if (s->record != NULL && record_complete (s->record))
    return TRUE;
  if (s->record == NULL)
    {
      gboolean blanks = TRUE;

      if (deck_has_cards (deck_dir))
        {
          report (s, 0, _ ("Looking at the cards in the training deck…"));
          if (!only_blanks (s, &blanks, error))
            return FALSE;
        }
      s->record = g_key_file_new ();
      g_key_file_set_integer (s->record, STOCK_GROUP, "version", STOCK_VERSION);
      g_key_file_set_boolean (s->record, STOCK_GROUP, "complete", !blanks);
      if (!blanks)
        {
          /* Recorded, so that its cards are not looked at on every start. */
          g_info ("training: %s holds cards of its own; not stocked", deck_dir);
          g_key_file_set_boolean (s->record, STOCK_GROUP, "foreign", TRUE);
          return save_record (s, error);
        }
      if (!save_record (s, error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      report (s, (double) i / n, _ (steps[i].what));
      if (!run_step (s, &steps[i], error))
        return FALSE;
    }
  report (s, (double) G_N_ELEMENTS (steps) / n, _ ("Unpacking the blank insurance cards…"));
  if (!make_blanks (s, error) || !place_cards (s, error))
    return FALSE;
  g_key_file_set_boolean (s->record, STOCK_GROUP, "complete", TRUE);
  if (!save_record (s, error))
    return FALSE;
  report (s, 1, _ ("The training cards are ready."));
  return TRUE;
}

gboolean
ic_training_stock (WfDesk *desk, IcTrainingProgress progress, gpointer user_data,
                   GCancellable *cancellable, GError **error)
{
  g_autoptr (GMainContext) context = g_main_context_new ();
  Stock s = { 0 };
  gboolean ok;

  g_return_val_if_fail (WF_IS_DESK (desk), FALSE);
  g_return_val_if_fail (
      cl_context_get_backend (wf_desk_get_context (desk)) == CL_READER_BACKEND_SIM, FALSE);

  s.desk = desk;
  s.ctx = wf_desk_get_context (desk);
  s.cancellable = cancellable;
  s.progress = progress;
  s.user_data = user_data;
  s.plan = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_queue);
  /* The scripted interaction answers in this thread's own context. */
  g_main_context_push_thread_default (context);
  ok = stock (&s, error);
  g_main_context_pop_thread_default (context);
  stock_clear (&s);
  if (!ok)
    g_prefix_error (error, _ ("The training cards could not be prepared: "));
  return ok;
}
