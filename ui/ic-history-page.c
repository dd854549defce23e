/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-history-page.c: the "History" page (ic-history-page.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "db-query.h"
#include "ic-history-page.h"
#include "ic-page-util.h"
#include "wf-error.h"
#include "wf-insurance.h"

struct _IcHistoryPage {
  GtkBox parent_instance;

  IcMainWindow *window; /* owns the page */
  GtkEntry *search_entry;
  GtkWidget *search_button;
  GtkToggleButton *by_number_radio;
  GtkLabel *problem_label;
  GtkLabel *summary_label;
  GtkListStore *cards_store;
  GtkListStore *log_store;
  GtkTreeView *cards_view;
  GtkTreeView *log_view;

  struct _Query *searched; /* what the task running looks for */
};

G_DEFINE_FINAL_TYPE (IcHistoryPage, ic_history_page, GTK_TYPE_BOX)

typedef struct _Query {
  char *card_number;
  char *holder_id;
} Query;

typedef struct {
  GPtrArray *cards; /* DbCard */
  GPtrArray *rows; /* DbAuditRow */
  gboolean more; /* the log has older rows than those listed */
} Found;

static void
query_free (Query *q)
{
  g_free (q->card_number);
  g_free (q->holder_id);
  g_free (q);
}

static void
found_free (Found *found)
{
  g_clear_pointer (&found->cards, g_ptr_array_unref);
  g_clear_pointer (&found->rows, g_ptr_array_unref);
  g_free (found);
}

static gpointer
history_func (WfDesk *desk, WfInteraction *interaction, gpointer data, GCancellable *cancellable,
              GError **error)
{
  Query *q = data;
  Found *found = g_new0 (Found, 1);

  if (!wf_icard_history (desk, interaction, q->card_number, q->holder_id, &found->cards,
                         &found->rows, &found->more, error))
    {
      found_free (found);
      return NULL;
    }
  return found;
}

/* The query the entry and the radio buttons make, or NULL and why not. */
static Query *
parse_query (IcHistoryPage *self, GError **error)
{
  const char *text = gtk_entry_get_text (self->search_entry);
  Query *q = g_new0 (Query, 1);

  if (gtk_toggle_button_get_active (self->by_number_radio))
    {
      g_autofree char *sn = NULL;

      if (!wf_icard_parse_card_ref (text, &q->card_number, &sn, error))
        goto refused;
      if (sn != NULL)
        {
          g_set_error_literal (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                               _ ("That is a serial: type the card number (10 digits), or find "
                                  "the card by its holder's ID number."));
          goto refused;
        }
    }
  else
    {
      WfIcardHolder h = { 0 };

      if (!wf_icard_holder_set (&h, WF_ICARD_FIELD_ID_NUMBER, text, error))
        goto refused;
      q->holder_id = g_strdup (h.id_number);
      wf_icard_holder_clear (&h);
    }
  return q;

refused:
  query_free (q);
  return NULL;
}

static void
clear_results (IcHistoryPage *self)
{
  gtk_list_store_clear (self->cards_store);
  gtk_list_store_clear (self->log_store);
  gtk_label_set_text (self->summary_label, "");
  gtk_widget_hide (GTK_WIDGET (self->summary_label));
}

static char *
card_label (const char *card_number)
{
  return card_number != NULL && *card_number != '\0' ? wf_icard_format_card_number (card_number)
                                                     : g_strdup ("");
}

static void
fill (IcHistoryPage *self, const Found *found, const Query *q)
{
  g_autofree char *cards = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *summary = NULL;

  clear_results (self);
  for (guint i = 0; i < found->cards->len; i++)
    {
      const DbCard *c = found->cards->pdata[i];
      g_autofree char *number = card_label (c->card_number);
      const char *status = db_card_status_get_label (c->status);

      gtk_list_store_insert_with_values (
          self->cards_store, NULL, -1, IC_HISTORY_CARD_NUMBER, number, IC_HISTORY_CARD_SN, c->sn,
          IC_HISTORY_CARD_STATUS, status != NULL ? status : "", IC_HISTORY_CARD_ISSUED,
          c->issue_date, IC_HISTORY_CARD_REWRITES, c->rewrite_count, -1);
    }
  for (guint i = 0; i < found->rows->len; i++)
    {
      const DbAuditRow *r = found->rows->pdata[i];
      DbAction action = db_action_from_string (r->action);
      DbOutcome outcome = db_outcome_from_string (r->outcome);
      g_autofree char *time = ic_page_format_time (r->at);
      g_autofree char *number = card_label (r->card_number);
      g_autofree char *detail = NULL;

      /* A failure says why first: the error code, then what the task noted. */
      if (r->error_code != NULL && *r->error_code != '\0')
        detail = r->detail != NULL && *r->detail != '\0'
                     ? g_strdup_printf ("%s: %s", r->error_code, r->detail)
                     : g_strdup (r->error_code);
      else
        detail = g_strdup (r->detail != NULL ? r->detail : "");
      gtk_list_store_insert_with_values (
          self->log_store, NULL, -1, IC_HISTORY_LOG_TIME, time, IC_HISTORY_LOG_ACTION,
          action != DB_ACTION_ANY ? db_action_get_label (action) : r->action, IC_HISTORY_LOG_CARD,
          number, IC_HISTORY_LOG_OUTCOME,
          outcome != DB_OUTCOME_ANY ? db_outcome_get_label (outcome) : r->outcome,
          IC_HISTORY_LOG_OPERATOR, r->operator_name, IC_HISTORY_LOG_WORKSTATION, r->workstation,
          IC_HISTORY_LOG_DETAIL, detail, IC_HISTORY_LOG_SEQ, r->seq, -1);
    }
  cards = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u card", "%u cards", found->cards->len),
                           found->cards->len);
  rows =
      g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u log row", "%u log rows", found->rows->len),
                       found->rows->len);
  if (q->holder_id != NULL && found->cards->len == 0)
    summary = g_strdup_printf (_ ("Holder %s has no card in this desk's registry."), q->holder_id);
  else if (q->holder_id != NULL)
    /* TRANSLATORS: "Holder 510402…: 2 cards, 14 log rows." */
    summary = g_strdup_printf (_ ("Holder %s: %s, %s."), q->holder_id, cards, rows);
  else
    {
      g_autofree char *number = card_label (q->card_number);

      /* TRANSLATORS: "Card 0000 0000 12: 1 card, 6 log rows." */
      summary = g_strdup_printf (_ ("Card %s: %s, %s."), number, cards, rows);
    }
  if (found->more)
    {
      g_autofree char *all = NULL;

      /* TRANSLATORS: after "Card 0000 0000 12: 1 card, 1000 log rows." */
      all = g_strdup_printf (_ ("%s Only the newest %u are listed here; the audit log has the "
                                "older ones."),
                             summary, (guint) WF_ICARD_HISTORY_MAX_ROWS);
      g_free (summary);
      summary = g_steal_pointer (&all);
    }
  gtk_label_set_text (self->summary_label, summary);
  gtk_widget_show (GTK_WIDGET (self->summary_label));
}

static void
history_done (IcMainWindow *window, gpointer result, const GError *error, gpointer data)
{
  IcHistoryPage *self = IC_HISTORY_PAGE (data);
  const Found *found = result;

  if (found != NULL && self->searched != NULL)
    fill (self, found, self->searched);
  g_clear_pointer (&self->searched, query_free);
}

static void
search_changed_cb (IcHistoryPage *self)
{
  g_autoptr (GError) error = NULL;
  const char *text = gtk_entry_get_text (self->search_entry);
  Query *q = parse_query (self, &error);
  gboolean by_number = gtk_toggle_button_get_active (self->by_number_radio);

  gtk_entry_set_placeholder_text (self->search_entry, by_number
                                                          ? _ ("10 digits, as printed on the card")
                                                          : _ ("18 characters"));
  gtk_widget_set_sensitive (self->search_button, q != NULL);
  /* Only once enough is typed, not at every key of a number on its way. */
  ic_page_set_problem (self->problem_label,
                       q == NULL && strlen (text) >= (by_number ? 11 : 18) ? error->message : "");
  if (q != NULL)
    query_free (q);
}

static void
search_clicked_cb (IcHistoryPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  Query *q = parse_query (self, &error);
  Query *copy;

  if (q == NULL)
    {
      ic_page_set_problem (self->problem_label, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
      return;
    }
  ic_page_set_problem (self->problem_label, "");
  clear_results (self);
  if (q->card_number != NULL)
    {
      g_autofree char *number = wf_icard_format_card_number (q->card_number);

      title = g_strdup_printf (_ ("Finding the history of card %s"), number);
    }
  else
    title = g_strdup_printf (_ ("Finding the cards of holder %s"), q->holder_id);
  /* The page keeps its own copy to say what was searched for. */
  copy = g_new0 (Query, 1);
  copy->card_number = g_strdup (q->card_number);
  copy->holder_id = g_strdup (q->holder_id);
  if (ic_page_run_task (GTK_WIDGET (self), self->window, title, history_func, q,
                        (GDestroyNotify) query_free, (GDestroyNotify) found_free, history_done))
    {
      g_clear_pointer (&self->searched, query_free);
      self->searched = copy;
    }
  else
    query_free (copy);
}

/* A new operator sees nothing of the last one's search. */
static void
session_changed_cb (IcHistoryPage *self)
{
  clear_results (self);
  gtk_entry_set_text (self->search_entry, "");
  ic_page_set_problem (self->problem_label, "");
}

static void
ic_history_page_finalize (GObject *object)
{
  IcHistoryPage *self = IC_HISTORY_PAGE (object);

  g_clear_pointer (&self->searched, query_free);
  G_OBJECT_CLASS (ic_history_page_parent_class)->finalize (object);
}

static void
ic_history_page_class_init (IcHistoryPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ic_history_page_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-history-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcHistoryPage, name)
  CHILD (search_entry);
  CHILD (search_button);
  CHILD (by_number_radio);
  CHILD (problem_label);
  CHILD (summary_label);
  CHILD (cards_store);
  CHILD (log_store);
  CHILD (cards_view);
  CHILD (log_view);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_clicked_cb);
}

static void
ic_history_page_init (IcHistoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  search_changed_cb (self);
}

GtkWidget *
ic_history_page_new (IcMainWindow *window)
{
  IcHistoryPage *self;

  g_return_val_if_fail (IC_IS_MAIN_WINDOW (window), NULL);

  self = g_object_new (IC_TYPE_HISTORY_PAGE, NULL);
  self->window = window;
  g_signal_connect_object (window, "session-changed", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_show (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}
