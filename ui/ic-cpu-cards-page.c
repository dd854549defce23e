/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-cpu-cards-page.c: the CPU-card registry (ic-cpu-cards-page.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-ceremony-assistant.h"
#include "ic-cpu-cards-page.h"
#include "wf-cpu-cards.h"
#include "wf-opcard-data.h"

enum {
  COL_CARD,
  COL_SERIAL,
  COL_KIND,
  COL_HOLDER,
  COL_ROLE,
  COL_OFFICE,
  COL_WORKSTATION,
  COL_STATUS,
  COL_MADE,
};

enum { HIST_AT, HIST_ACTION, HIST_OUTCOME, HIST_WHO, HIST_WORKSTATION, HIST_DETAIL };

/* The detail pane's fields, in order. */
typedef enum {
  F_SERIAL,
  F_KIND,
  F_STATUS,
  F_HOLDER,
  F_STAFF,
  F_ROLE,
  F_OFFICE,
  F_WORKSTATION,
  F_QUOTA,
  F_VALID,
  F_KCV_MK,
  F_KCV_PKEY,
  F_KCV_DKEY,
  F_KCV_AKEY,
  F_MADE_BY,
  F_MADE_AT,
  F_N
} Field;

struct _IcCpuCardsPage {
  GtkBox parent_instance;

  GtkListStore *cards_store;
  GtkListStore *history_store;
  GtkComboBoxText *kind_filter;
  GtkComboBoxText *role_filter;
  GtkComboBoxText *office_filter;
  GtkComboBoxText *workstation_filter;
  GtkComboBoxText *status_filter;
  GtkLabel *count_label;
  GtkTreeView *cards_view;
  GtkStack *detail_stack;
  GtkGrid *detail_grid;
  GtkTreeView *history_view;
  GtkLabel *names[F_N];
  GtkLabel *values[F_N];

  IcMainWindow *window; /* weak */
  GtkTreeModel *filter_model;
  GPtrArray *cards; /* DbCpuCard, what the store points to */
  char *history_serial; /* the card whose history is shown or asked */
  char *history_wanted; /* asked while another task ran */
  gboolean load_wanted; /* asked while another task ran */
};

G_DEFINE_FINAL_TYPE (IcCpuCardsPage, ic_cpu_cards_page, GTK_TYPE_BOX)

static const struct {
  const char *id;
  DbCpuKind kind;
} kinds[] = {
  { "mcc", DB_CPU_MCC },
  { "ktc", DB_CPU_KTC },
  { "ac", DB_CPU_AC },
  { "kc", DB_CPU_KC },
};

static const struct {
  const char *id;
  DbCpuStatus status;
} statuses[] = {
  { "active", DB_CPU_ACTIVE },
  { "lost", DB_CPU_LOST },
  { "washed", DB_CPU_WASHED },
  { "revoked", DB_CPU_REVOKED },
};

static const char *
or_dash (const char *text)
{
  return text != NULL && *text != '\0' ? text : "—";
}

static const char *
describe_outcome (const char *outcome)
{
  switch (db_outcome_from_string (outcome))
    {
    case DB_OUTCOME_OK:
      return _ ("done");
    case DB_OUTCOME_REFUSED:
      return _ ("refused");
    case DB_OUTCOME_FAILED:
      return _ ("failed");
    default:
      return outcome;
    }
}

static const char *
describe_role (const char *role)
{
  ClCardRole r;

  return role != NULL && wf_role_from_string (role, &r) ? wf_role_describe (r) : "";
}

static gboolean
session_is_admin (IcCpuCardsPage *self)
{
  WfSession *session = self->window != NULL ? ic_main_window_get_session (self->window) : NULL;

  return session != NULL && wf_session_is_active (session)
         && wf_session_require (session, WF_PERM_ADMIN, NULL);
}

/* -- filtering ------------------------------------------------------------------------------ */

static const char *
chosen (GtkComboBoxText *combo)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (combo));

  return id == NULL || g_strcmp0 (id, "any") == 0 ? NULL : id;
}

static void
current_filter (IcCpuCardsPage *self, WfCpuCardFilter *filter)
{
  const char *kind = chosen (self->kind_filter);
  const char *status = chosen (self->status_filter);

  *filter = (WfCpuCardFilter){ 0 };
  for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kind, kinds[i].id) == 0)
      filter->kind = kinds[i].kind;
  for (guint i = 0; status != NULL && i < G_N_ELEMENTS (statuses); i++)
    if (g_strcmp0 (status, statuses[i].id) == 0)
      filter->status = statuses[i].status;
  filter->role = chosen (self->role_filter);
  filter->office = chosen (self->office_filter);
  filter->workstation = chosen (self->workstation_filter);
}

static gboolean
card_visible (GtkTreeModel *model, GtkTreeIter *iter, gpointer data)
{
  IcCpuCardsPage *self = data;
  DbCpuCard *card = NULL;
  WfCpuCardFilter filter;

  gtk_tree_model_get (model, iter, COL_CARD, &card, -1);
  if (card == NULL)
    return FALSE;
  current_filter (self, &filter);
  return wf_cpu_card_filter_match (&filter, card);
}

static void
update_count (IcCpuCardsPage *self)
{
  guint total = self->cards != NULL ? self->cards->len : 0;
  guint shown = gtk_tree_model_iter_n_children (self->filter_model, NULL);
  g_autofree char *text = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u of %u card shown", "%u of %u cards shown", total), shown,
      total);

  gtk_label_set_text (self->count_label, text);
}

static void
filter_changed_cb (GtkComboBox *combo, IcCpuCardsPage *self)
{
  gtk_tree_model_filter_refilter (GTK_TREE_MODEL_FILTER (self->filter_model));
  update_count (self);
}

/* The distinct values of a field as a filter's choices; the choice made
 * stays when it is still there. */
static void
fill_choices (GtkComboBoxText *combo, GPtrArray *cards, gsize offset)
{
  g_autofree char *was = g_strdup (gtk_combo_box_get_active_id (GTK_COMBO_BOX (combo)));
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GList) values = NULL;
  g_autofree char *any = NULL;

  /* The first row is "all …": keep its text. */
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), "any");
  any = gtk_combo_box_text_get_active_text (combo);
  gtk_combo_box_text_remove_all (combo);
  gtk_combo_box_text_append (combo, "any", any);
  for (guint i = 0; i < cards->len; i++)
    {
      const char *value = G_STRUCT_MEMBER (const char *, cards->pdata[i], offset);

      if (value != NULL && *value != '\0' && g_hash_table_add (seen, (gpointer) value))
        values = g_list_prepend (values, (gpointer) value);
    }
  values = g_list_sort (values, (GCompareFunc) g_strcmp0);
  for (GList *l = values; l != NULL; l = l->next)
    gtk_combo_box_text_append (combo, l->data, l->data);
  if (was == NULL || !gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), was))
    gtk_combo_box_set_active_id (GTK_COMBO_BOX (combo), "any");
}

/* -- the detail pane ------------------------------------------------------------------------ */

/* A field the card has no value for is not shown (an MCC has no holder). */
static void
set_value (IcCpuCardsPage *self, Field f, const char *text)
{
  gboolean has = text != NULL && *text != '\0';

  gtk_label_set_text (self->values[f], has ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->names[f]), has);
  gtk_widget_set_visible (GTK_WIDGET (self->values[f]), has);
}

static void
set_kcv (IcCpuCardsPage *self, Field f, const char *kcv)
{
  g_autofree char *spaced = ic_ceremony_format_kcv (kcv);

  set_value (self, f, spaced);
}

static void
show_card (IcCpuCardsPage *self, const DbCpuCard *c)
{
  g_autofree char *status = NULL;
  g_autofree char *quota = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *made_by = NULL;
  g_autofree char *made_at = NULL;

  if (c == NULL)
    {
      for (guint f = 0; f < F_N; f++)
        set_value (self, f, NULL);
      gtk_stack_set_visible_child_name (self->detail_stack, "none");
      return;
    }
  if (c->status != DB_CPU_ACTIVE && c->status_changed_at != NULL && *c->status_changed_at != '\0')
    {
      g_autofree char *since = ic_ceremony_format_time (c->status_changed_at);

      status = g_strdup_printf (_ ("%s since %s"), wf_cpu_status_describe (c->status), since);
    }
  else
    status = g_strdup (wf_cpu_status_describe (c->status));
  made_at = ic_ceremony_format_time (c->made_at);
  if (c->kind == DB_CPU_KC)
    quota = c->quota < 0
                ? g_strdup_printf (_ ("no limit (%lld issued)"), (long long) c->issued_count)
                : g_strdup_printf (_ ("%lld issued of %lld"), (long long) c->issued_count,
                                   (long long) c->quota);
  if ((c->valid_from != NULL && *c->valid_from != '\0')
      || (c->valid_until != NULL && *c->valid_until != '\0'))
    valid =
        g_strdup_printf (_ ("from %s until %s"), or_dash (c->valid_from), or_dash (c->valid_until));
  made_by = g_strdup_printf ("%s (%s)", or_dash (c->made_by_name), or_dash (c->made_by_serial));

  set_value (self, F_SERIAL, c->serial);
  set_value (self, F_KIND, wf_cpu_kind_describe (c->kind));
  set_value (self, F_STATUS, status);
  set_value (self, F_HOLDER, c->holder_name);
  set_value (self, F_STAFF, c->staff_number);
  set_value (self, F_ROLE, describe_role (c->role));
  set_value (self, F_OFFICE, c->office_code);
  set_value (self, F_WORKSTATION, c->workstation);
  set_value (self, F_QUOTA, quota);
  set_value (self, F_VALID, valid);
  set_kcv (self, F_KCV_MK, c->kcv_mk);
  set_kcv (self, F_KCV_PKEY, c->kcv_pkey);
  set_kcv (self, F_KCV_DKEY, c->kcv_dkey);
  set_kcv (self, F_KCV_AKEY, c->kcv_akey);
  set_value (self, F_MADE_BY, made_by);
  set_value (self, F_MADE_AT, made_at);
  gtk_stack_set_visible_child_name (self->detail_stack, "card");
}

/* -- the history of a card ------------------------------------------------------------------ */

static void ask_history (IcCpuCardsPage *self, const char *serial);

static gpointer
history_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable,
              GError **error)
{
  gboolean more = FALSE;
  GPtrArray *rows = wf_cpu_card_history (desk, data, &more, error);

  /* The last row says when the log holds older ones. */
  if (rows != NULL && more)
    g_ptr_array_add (rows, NULL);
  return rows;
}

static void
history_done (IcMainWindow *window, gpointer result, const GError *error, gpointer user_data)
{
  g_autoptr (IcCpuCardsPage) self = user_data;
  GPtrArray *rows = result;
  g_autofree char *wanted = g_steal_pointer (&self->history_wanted);

  gtk_list_store_clear (self->history_store);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      DbAuditRow *row = rows->pdata[i];
      DbAction action;
      g_autofree char *who = NULL;
      g_autofree char *at = NULL;

      if (row == NULL)
        {
          g_autofree char *detail = g_strdup_printf (
              _ ("Only the newest %u rows are listed here; the audit log has the older ones."),
              (guint) WF_CPU_CARD_HISTORY_MAX_ROWS);

          gtk_list_store_insert_with_values (self->history_store, NULL, -1, HIST_AT, "…",
                                             HIST_ACTION, _ ("Older rows"), HIST_DETAIL, detail,
                                             -1);
          continue;
        }
      action = db_action_from_string (row->action);
      who =
          g_strdup_printf ("%s (%s)", or_dash (row->operator_name), or_dash (row->operator_serial));
      at = ic_ceremony_format_time (row->at);
      gtk_list_store_insert_with_values (
          self->history_store, NULL, -1, HIST_AT, at, HIST_ACTION,
          action != DB_ACTION_ANY ? db_action_get_label (action) : row->action, HIST_OUTCOME,
          describe_outcome (row->outcome), HIST_WHO, who, HIST_WORKSTATION, row->workstation,
          HIST_DETAIL, row->detail, -1);
    }
  if (wanted != NULL && g_strcmp0 (wanted, self->history_serial) != 0)
    ask_history (self, wanted);
}

static void
ask_history (IcCpuCardsPage *self, const char *serial)
{
  g_free (self->history_serial);
  self->history_serial = g_strdup (serial);
  gtk_list_store_clear (self->history_store);
  if (self->window == NULL || serial == NULL)
    return;
  if (!ic_main_window_run_task (self->window, _ ("Reading the card's history"), history_func,
                                g_strdup (serial), g_free, (GDestroyNotify) g_ptr_array_unref,
                                history_done, g_object_ref (self)))
    {
      /* Another task runs: the history follows when this page asks again. */
      g_object_unref (self);
      g_free (self->history_wanted);
      self->history_wanted = g_strdup (serial);
    }
}

static void
selection_changed_cb (GtkTreeSelection *selection, IcCpuCardsPage *self)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  DbCpuCard *card = NULL;

  if (gtk_tree_selection_get_selected (selection, &model, &iter))
    gtk_tree_model_get (model, &iter, COL_CARD, &card, -1);
  show_card (self, card);
  if (card != NULL && g_strcmp0 (card->serial, self->history_serial) != 0)
    ask_history (self, card->serial);
  else if (card == NULL)
    {
      g_clear_pointer (&self->history_serial, g_free);
      gtk_list_store_clear (self->history_store);
    }
}

/* -- loading -------------------------------------------------------------------------------- */

static void
clear (IcCpuCardsPage *self)
{
  gtk_list_store_clear (self->cards_store);
  gtk_list_store_clear (self->history_store);
  g_clear_pointer (&self->cards, g_ptr_array_unref);
  g_clear_pointer (&self->history_serial, g_free);
  show_card (self, NULL);
  update_count (self);
}

static void
fill (IcCpuCardsPage *self, GPtrArray *cards)
{
  g_autofree char *selected = g_strdup (self->history_serial);
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->cards_view);

  clear (self);
  self->cards = g_ptr_array_ref (cards);
  fill_choices (self->office_filter, cards, G_STRUCT_OFFSET (DbCpuCard, office_code));
  fill_choices (self->workstation_filter, cards, G_STRUCT_OFFSET (DbCpuCard, workstation));
  for (guint i = 0; i < cards->len; i++)
    {
      DbCpuCard *c = cards->pdata[i];
      g_autofree char *made_at = ic_ceremony_format_time (c->made_at);

      gtk_list_store_insert_with_values (
          self->cards_store, NULL, -1, COL_CARD, c, COL_SERIAL, c->serial, COL_KIND,
          wf_cpu_kind_describe (c->kind), COL_HOLDER, c->holder_name, COL_ROLE,
          describe_role (c->role), COL_OFFICE, c->office_code, COL_WORKSTATION, c->workstation,
          COL_STATUS, wf_cpu_status_describe (c->status), COL_MADE, made_at, -1);
    }
  update_count (self);
  /* The card that was chosen stays chosen. */
  if (selected != NULL)
    {
      GtkTreeModel *model = gtk_tree_view_get_model (self->cards_view);
      GtkTreeIter iter;
      gboolean valid = gtk_tree_model_get_iter_first (model, &iter);

      for (; valid; valid = gtk_tree_model_iter_next (model, &iter))
        {
          g_autofree char *serial = NULL;

          gtk_tree_model_get (model, &iter, COL_SERIAL, &serial, -1);
          if (g_strcmp0 (serial, selected) == 0)
            gtk_tree_selection_select_iter (selection, &iter);
        }
    }
}

static gpointer
list_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable,
           GError **error)
{
  return wf_cpu_cards_list (desk, error);
}

static void
list_done (IcMainWindow *window, gpointer result, const GError *error, gpointer user_data)
{
  g_autoptr (IcCpuCardsPage) self = user_data;

  /* The operator may have logged out meanwhile. */
  if (result != NULL && session_is_admin (self))
    fill (self, result);
  if (self->history_wanted != NULL)
    {
      g_autofree char *wanted = g_steal_pointer (&self->history_wanted);

      ask_history (self, wanted);
    }
}

static void
load (IcCpuCardsPage *self)
{
  if (self->window == NULL || !session_is_admin (self))
    return;
  self->load_wanted = !ic_main_window_run_task (
      self->window, _ ("Reading the CPU-card registry"), list_func, NULL, NULL,
      (GDestroyNotify) g_ptr_array_unref, list_done, g_object_ref (self));
  if (self->load_wanted)
    g_object_unref (self);
}

void
ic_cpu_cards_page_reload (IcCpuCardsPage *self)
{
  g_return_if_fail (IC_IS_CPU_CARDS_PAGE (self));
  load (self);
}

static void
reload_clicked_cb (GtkButton *button, IcCpuCardsPage *self)
{
  load (self);
}

/* Logged in as a system administrator: the registry is read; logged out
 * (or another role): nothing of it stays in the page. */
static void
session_changed_cb (IcMainWindow *window, IcCpuCardsPage *self)
{
  if (session_is_admin (self))
    load (self);
  else
    clear (self);
}

/* Shown again (after a ceremony, say): read it anew. */
static void
ic_cpu_cards_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ic_cpu_cards_page_parent_class)->map (widget);
  load (IC_CPU_CARDS_PAGE (widget));
}

/* -- GObject ------------------------------------------------------------------------------- */

static void
ic_cpu_cards_page_dispose (GObject *object)
{
  IcCpuCardsPage *self = IC_CPU_CARDS_PAGE (object);

  g_clear_weak_pointer (&self->window);
  G_OBJECT_CLASS (ic_cpu_cards_page_parent_class)->dispose (object);
}

static void
ic_cpu_cards_page_finalize (GObject *object)
{
  IcCpuCardsPage *self = IC_CPU_CARDS_PAGE (object);

  g_clear_object (&self->filter_model);
  g_clear_pointer (&self->cards, g_ptr_array_unref);
  g_free (self->history_serial);
  g_free (self->history_wanted);
  G_OBJECT_CLASS (ic_cpu_cards_page_parent_class)->finalize (object);
}

static void
ic_cpu_cards_page_class_init (IcCpuCardsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ic_cpu_cards_page_dispose;
  object_class->finalize = ic_cpu_cards_page_finalize;
  widget_class->map = ic_cpu_cards_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-cpu-cards-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcCpuCardsPage, name)
  CHILD (cards_store);
  CHILD (history_store);
  CHILD (kind_filter);
  CHILD (role_filter);
  CHILD (office_filter);
  CHILD (workstation_filter);
  CHILD (status_filter);
  CHILD (count_label);
  CHILD (cards_view);
  CHILD (detail_stack);
  CHILD (detail_grid);
  CHILD (history_view);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, reload_clicked_cb);
}

static void
add_fields (IcCpuCardsPage *self)
{
  const char *names[F_N] = {
    [F_SERIAL] = N_ ("Serial number"),
    [F_KIND] = N_ ("Kind"),
    [F_STATUS] = N_ ("Status"),
    [F_HOLDER] = N_ ("Holder"),
    [F_STAFF] = N_ ("Staff number"),
    [F_ROLE] = N_ ("Role"),
    [F_OFFICE] = N_ ("Office code"),
    [F_WORKSTATION] = N_ ("Workstation"),
    [F_QUOTA] = N_ ("Quota"),
    [F_VALID] = N_ ("Valid"),
    [F_KCV_MK] = N_ ("KCV of the master key (MK)"),
    [F_KCV_PKEY] = N_ ("KCV of the issuing key (Pkey)"),
    [F_KCV_DKEY] = N_ ("KCV of the data key (Dkey)"),
    [F_KCV_AKEY] = N_ ("KCV of the audit key (Akey)"),
    [F_MADE_BY] = N_ ("Made by"),
    [F_MADE_AT] = N_ ("Made at"),
  };

  for (guint f = 0; f < F_N; f++)
    {
      /* TRANSLATORS: a field's name before its value, e.g. "Holder:". */
      g_autofree char *named = g_strdup_printf (_ ("%s:"), _ (names[f]));
      GtkWidget *name = gtk_label_new (named);
      GtkWidget *value = gtk_label_new ("");

      gtk_label_set_xalign (GTK_LABEL (name), 1);
      gtk_label_set_yalign (GTK_LABEL (name), 0);
      gtk_style_context_add_class (gtk_widget_get_style_context (name), "dim-label");
      gtk_label_set_xalign (GTK_LABEL (value), 0);
      gtk_label_set_selectable (GTK_LABEL (value), TRUE);
      gtk_label_set_line_wrap (GTK_LABEL (value), TRUE);
      gtk_widget_set_hexpand (value, TRUE);
      if (f >= F_KCV_MK && f <= F_KCV_AKEY)
        gtk_style_context_add_class (gtk_widget_get_style_context (value), "monospace");
      if (f == F_SERIAL)
        gtk_style_context_add_class (gtk_widget_get_style_context (value), "monospace");
      atk_object_set_name (gtk_widget_get_accessible (value), _ (names[f]));
      gtk_label_set_mnemonic_widget (GTK_LABEL (name), value);
      gtk_grid_attach (self->detail_grid, name, 0, f, 1, 1);
      gtk_grid_attach (self->detail_grid, value, 1, f, 1, 1);
      self->names[f] = GTK_LABEL (name);
      self->values[f] = GTK_LABEL (value);
    }
}

static void
ic_cpu_cards_page_init (IcCpuCardsPage *self)
{
  g_autoptr (GtkTreeModel) sorted = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  add_fields (self);
  self->filter_model = gtk_tree_model_filter_new (GTK_TREE_MODEL (self->cards_store), NULL);
  gtk_tree_model_filter_set_visible_func (GTK_TREE_MODEL_FILTER (self->filter_model), card_visible,
                                          self, NULL);
  sorted = gtk_tree_model_sort_new_with_model (self->filter_model);
  gtk_tree_view_set_model (self->cards_view, sorted);
  update_count (self);
}

GtkWidget *
ic_cpu_cards_page_new (IcMainWindow *window)
{
  IcCpuCardsPage *self = g_object_new (IC_TYPE_CPU_CARDS_PAGE, NULL);

  g_set_weak_pointer (&self->window, window);
  g_signal_connect_object (window, "session-changed", G_CALLBACK (session_changed_cb), self, 0);
  return GTK_WIDGET (self);
}
