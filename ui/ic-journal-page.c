/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-journal-page.c: the "Unfinished issuances" page (ic-journal-page.h).
 *
 * The list is read by a task, like everything that opens the database; an
 * action reads it again in its own task, because a second task would hide
 * the action's error from the message bar as it starts. */
#include "config.h"

#include <glib/gi18n.h>

#include "db-issuance.h"
#include "ic-journal-page.h"
#include "ic-page-util.h"
#include "wf-insurance.h"

#define RETRY_MS 400 /* while another task runs */

enum { COL_ID, COL_CARD, COL_HOLDER, COL_STATE, COL_STARTED, COL_BUTTONS, N_COLS };

struct _IcJournalPage {
  GtkBox parent_instance;

  IcMainWindow *window; /* owns the page */
  guint session_idle; /* the look after a login, once the login task ended */
  IcOutcome outcome;
  GtkBox *header_box;
  GtkWidget *header_separator;
  GtkListBox *list;

  GtkSizeGroup *columns[N_COLS];
  struct _Action *action; /* the action running, if any */
  gboolean announce; /* the load after a login says how many there are */
  gboolean loaded; /* just loaded: the page shown for it needs no new load */
  guint retry; /* a load waiting for another task to end */
};

G_DEFINE_FINAL_TYPE (IcJournalPage, ic_journal_page, GTK_TYPE_BOX)

typedef struct _Action {
  gint64 id;
  gboolean undo;
  char *card_number;
  WfIssued *issued; /* finished */
  GPtrArray *rows; /* the journal afterwards (DbIssuance), or NULL */
} Action;

static void
action_free (Action *a)
{
  g_free (a->card_number);
  g_clear_pointer (&a->issued, wf_issued_free);
  g_clear_pointer (&a->rows, g_ptr_array_unref);
  g_free (a);
}

static void load (IcJournalPage *self, gboolean announce);

/* -- the outcome --------------------------------------------------------------------------- */

static void
receipt_clicked_cb (IcJournalPage *self)
{
  ic_outcome_save_receipt (&self->outcome, self->window);
}

/* -- the list ------------------------------------------------------------------------------ */

static GtkWidget *
cell (IcJournalPage *self, guint column, const char *first, const char *second)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (first);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_can_focus (label, FALSE);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
  gtk_container_add (GTK_CONTAINER (box), label);
  if (second != NULL)
    {
      GtkWidget *below = gtk_label_new (second);

      gtk_label_set_xalign (GTK_LABEL (below), 0);
      gtk_label_set_selectable (GTK_LABEL (below), TRUE);
      gtk_widget_set_can_focus (below, FALSE);
      gtk_label_set_line_wrap (GTK_LABEL (below), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (below), 24);
      gtk_style_context_add_class (gtk_widget_get_style_context (below), "dim-label");
      gtk_container_add (GTK_CONTAINER (box), below);
    }
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_size_group_add_widget (self->columns[column], box);
  return box;
}

static void finish_clicked_cb (GtkButton *button, IcJournalPage *self);
static void undo_clicked_cb (GtkButton *button, IcJournalPage *self);

static GtkWidget *
row_new (IcJournalPage *self, const DbIssuance *j)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *finish = gtk_button_new_with_label (_ ("Finish"));
  GtkWidget *undo = gtk_button_new_with_label (_ ("Undo"));
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, j->id);
  g_autofree char *number = wf_icard_format_card_number (j->card_number);
  g_autofree char *started = ic_page_format_time (j->started_at);
  g_autofree char *finish_name = NULL;
  g_autofree char *undo_name = NULL;
  g_autofree char *row_name = NULL;
  const char *state = db_issuance_state_get_label (j->state);
  const char *step = wf_journal_step_label (j->step);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data_full (G_OBJECT (finish), "ic-card-number", g_strdup (j->card_number), g_free);
  g_object_set_data_full (G_OBJECT (undo), "ic-card-number", g_strdup (j->card_number), g_free);
  g_object_set_data_full (G_OBJECT (finish), "ic-journal-id", g_memdup2 (&j->id, sizeof j->id),
                          g_free);
  g_object_set_data_full (G_OBJECT (undo), "ic-journal-id", g_memdup2 (&j->id, sizeof j->id),
                          g_free);

  /* Read aloud: which card each button acts on. */
  finish_name = g_strdup_printf (_ ("Finish issuing card %s"), number);
  undo_name = g_strdup_printf (_ ("Undo the issuance of card %s"), number);
  /* TRANSLATORS: a row read aloud: card number, serial, holder's ID number, the
   * state ("failed"), the step reached ("data written") and when it started. */
  row_name = g_strdup_printf (_ ("Card %s, serial %s, holder %s, %s after: %s, started %s"), number,
                              j->sn, j->holder_id, state, step, started);
  atk_object_set_name (gtk_widget_get_accessible (finish), finish_name);
  atk_object_set_name (gtk_widget_get_accessible (undo), undo_name);
  atk_object_set_name (gtk_widget_get_accessible (row), row_name);
  gtk_widget_set_tooltip_text (finish, _ ("Put the card back into R2 and finish writing it"));
  gtk_widget_set_tooltip_text (
      undo, _ ("Put the card back into R2: it is cleared and may be issued again"));
  gtk_style_context_add_class (gtk_widget_get_style_context (finish), "suggested-action");
  g_signal_connect (finish, "clicked", G_CALLBACK (finish_clicked_cb), self);
  g_signal_connect (undo, "clicked", G_CALLBACK (undo_clicked_cb), self);

  g_object_set (box, "margin-start", 12, "margin-end", 12, "margin-top", 6, "margin-bottom", 6,
                NULL);
  gtk_container_add (GTK_CONTAINER (box), cell (self, COL_ID, id, NULL));
  gtk_container_add (GTK_CONTAINER (box), cell (self, COL_CARD, number, j->sn));
  gtk_container_add (GTK_CONTAINER (box), cell (self, COL_HOLDER, j->holder_id, NULL));
  gtk_container_add (GTK_CONTAINER (box), cell (self, COL_STATE, state, step));
  gtk_container_add (GTK_CONTAINER (box), cell (self, COL_STARTED, started, NULL));
  gtk_widget_set_hexpand (buttons, TRUE);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_valign (buttons, GTK_ALIGN_CENTER);
  gtk_container_add (GTK_CONTAINER (buttons), finish);
  gtk_container_add (GTK_CONTAINER (buttons), undo);
  gtk_size_group_add_widget (self->columns[COL_BUTTONS], buttons);
  gtk_container_add (GTK_CONTAINER (box), buttons);
  gtk_container_add (GTK_CONTAINER (row), box);
  gtk_widget_show_all (row);
  return row;
}

static void
fill (IcJournalPage *self, GPtrArray *rows)
{
  g_autoptr (GList) old = gtk_container_get_children (GTK_CONTAINER (self->list));

  for (GList *l = old; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    gtk_container_add (GTK_CONTAINER (self->list), row_new (self, rows->pdata[i]));
  /* Headings over nothing would only puzzle: the placeholder says it all. */
  gtk_widget_set_visible (GTK_WIDGET (self->header_box), rows != NULL && rows->len > 0);
  gtk_widget_set_visible (self->header_separator, rows != NULL && rows->len > 0);
}

static gpointer
list_func (WfDesk *desk, WfInteraction *interaction, gpointer data, GCancellable *cancellable,
           GError **error)
{
  return wf_journal_list (desk, error);
}

/* The page shown for the load is not loaded again as it maps. */
static void
show_self (IcJournalPage *self)
{
  GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (self));
  g_autofree char *name = NULL;

  if (!GTK_IS_STACK (stack))
    return;
  gtk_container_child_get (GTK_CONTAINER (stack), GTK_WIDGET (self), "name", &name, NULL);
  self->loaded = TRUE;
  ic_main_window_show_page (self->window, name);
  self->loaded = FALSE;
}

static void
list_done (IcMainWindow *window, gpointer result, const GError *error, gpointer data)
{
  IcJournalPage *self = IC_JOURNAL_PAGE (data);
  GPtrArray *rows = result;
  gboolean announce = self->announce;

  self->announce = FALSE;
  if (rows == NULL)
    return;
  fill (self, rows);
  if (announce && rows->len > 0)
    {
      g_autofree char *text = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%u issuance was interrupted: finish or undo it.",
                       "%u issuances were interrupted: finish or undo them.", rows->len),
          rows->len);

      show_self (self);
      ic_main_window_show_message (window, GTK_MESSAGE_WARNING, text);
    }
}

static gboolean
retry_cb (gpointer data)
{
  IcJournalPage *self = data;

  self->retry = 0;
  load (self, self->announce);
  return G_SOURCE_REMOVE;
}

/* Reads the journal; when another task runs, once it has ended. */
static void
load (IcJournalPage *self, gboolean announce)
{
  WfSession *session = ic_main_window_get_session (self->window);

  g_clear_handle_id (&self->retry, g_source_remove);
  self->announce = announce;
  /* The page is visible only to those who may use it (the window decides). */
  if (session == NULL || !wf_session_is_active (session)
      || !gtk_widget_get_visible (GTK_WIDGET (self)))
    {
      self->announce = FALSE;
      return;
    }
  if (ic_main_window_is_busy (self->window))
    {
      self->retry = g_timeout_add (RETRY_MS, retry_cb, self);
      return;
    }
  ic_page_run_task (GTK_WIDGET (self), self->window, _ ("Looking for unfinished issuances"),
                    list_func, NULL, NULL, (GDestroyNotify) g_ptr_array_unref, list_done);
}

static void
refresh_clicked_cb (IcJournalPage *self)
{
  load (self, FALSE);
}

static void
map_cb (GtkWidget *widget, gpointer data)
{
  IcJournalPage *self = IC_JOURNAL_PAGE (widget);

  if (!self->loaded && self->action == NULL)
    load (self, FALSE);
}

static void
unmap_cb (GtkWidget *widget, gpointer data)
{
  IcJournalPage *self = IC_JOURNAL_PAGE (widget);

  /* A login's announcement still waits; a mere refresh does not. */
  if (!self->announce)
    g_clear_handle_id (&self->retry, g_source_remove);
}

/* -- finish and undo ----------------------------------------------------------------------- */

static gpointer
action_func (WfDesk *desk, WfInteraction *interaction, gpointer data, GCancellable *cancellable,
             GError **error)
{
  Action *a = data;
  gpointer result;

  if (a->undo)
    result =
        wf_journal_undo (desk, interaction, a->id, cancellable, error) ? GINT_TO_POINTER (1) : NULL;
  else
    result = a->issued = wf_journal_finish (desk, interaction, a->id, cancellable, error);
  /* Whatever happened, the list as it is now. */
  a->rows = wf_journal_list (desk, NULL);
  return result;
}

static void
action_done (IcMainWindow *window, gpointer result, const GError *error, gpointer data)
{
  IcJournalPage *self = IC_JOURNAL_PAGE (data);
  Action *a = g_steal_pointer (&self->action);
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  if (a == NULL)
    return;
  if (a->rows != NULL)
    fill (self, a->rows);
  number = wf_icard_format_card_number (a->card_number);
  if (result != NULL && a->undo)
    {
      text = g_strdup_printf (_ ("The issuance of card %s is undone: the card is cleared and may "
                                 "be issued again, under a new number."),
                              number);
      ic_outcome_show (&self->outcome, text, NULL);
    }
  else if (result != NULL)
    {
      g_autofree char *until = wf_icard_date_format (a->issued->valid_until);

      text = g_strdup_printf (_ ("Card %s (serial %s) is issued to %s (%s), valid until %s. Hand "
                                 "it over."),
                              number, a->issued->sn, a->issued->holder_name, a->issued->holder_id,
                              until);
      ic_outcome_show (&self->outcome, text, a->issued->card_number);
    }
  action_free (a);
}

static void
act (IcJournalPage *self, GtkButton *button, gboolean undo)
{
  const char *card_number = g_object_get_data (G_OBJECT (button), "ic-card-number");
  const gint64 *id = g_object_get_data (G_OBJECT (button), "ic-journal-id");
  g_autofree char *number = wf_icard_format_card_number (card_number);
  g_autofree char *title = NULL;
  Action *a;

  if (self->action != NULL)
    return;
  a = g_new0 (Action, 1);
  a->id = *id;
  a->undo = undo;
  a->card_number = g_strdup (card_number);
  title = g_strdup_printf (undo ? _ ("Undoing the issuance of card %s: the card back in R2")
                                : _ ("Finishing card %s: the card back in R2"),
                           number);
  ic_outcome_hide (&self->outcome);
  /* The page owns the action: done needs what the task found. */
  self->action = a;
  if (!ic_page_run_task (GTK_WIDGET (self), self->window, title, action_func, a, NULL, NULL,
                         action_done))
    {
      self->action = NULL;
      action_free (a);
    }
}

static void
finish_clicked_cb (GtkButton *button, IcJournalPage *self)
{
  act (self, button, FALSE);
}

static void
undo_clicked_cb (GtkButton *button, IcJournalPage *self)
{
  act (self, button, TRUE);
}

/* -- the page ------------------------------------------------------------------------------ */

/* Logged in: look, and say so when issuances wait.  Logged out: nothing of
 * the last operator's work stays. */
static gboolean
session_idle_cb (gpointer data)
{
  IcJournalPage *self = data;

  self->session_idle = 0;
  load (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
session_changed_cb (IcJournalPage *self)
{
  WfSession *session = ic_main_window_get_session (self->window);

  ic_outcome_hide (&self->outcome);
  fill (self, NULL);
  g_clear_handle_id (&self->retry, g_source_remove);
  self->announce = FALSE;
  /* After the login task has quite ended (the window may still log out). */
  g_clear_handle_id (&self->session_idle, g_source_remove);
  if (session != NULL && wf_session_is_active (session))
    self->session_idle = g_idle_add (session_idle_cb, self);
}

static void
header (IcJournalPage *self, guint column, const char *first, const char *second)
{
  GtkWidget *box = cell (self, column, first, second);
  g_autoptr (GList) labels = gtk_container_get_children (GTK_CONTAINER (box));

  for (GList *l = labels; l != NULL; l = l->next)
    {
      PangoAttrList *bold = pango_attr_list_new ();

      pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      gtk_label_set_attributes (l->data, bold);
      gtk_label_set_selectable (l->data, FALSE);
      pango_attr_list_unref (bold);
    }
  gtk_container_add (GTK_CONTAINER (self->header_box), box);
}

static void
ic_journal_page_dispose (GObject *object)
{
  IcJournalPage *self = IC_JOURNAL_PAGE (object);

  g_clear_handle_id (&self->retry, g_source_remove);
  g_clear_handle_id (&self->session_idle, g_source_remove);
  for (guint i = 0; i < N_COLS; i++)
    g_clear_object (&self->columns[i]);
  G_OBJECT_CLASS (ic_journal_page_parent_class)->dispose (object);
}

static void
ic_journal_page_finalize (GObject *object)
{
  IcJournalPage *self = IC_JOURNAL_PAGE (object);

  ic_outcome_clear (&self->outcome);
  g_clear_pointer (&self->action, action_free);
  G_OBJECT_CLASS (ic_journal_page_parent_class)->finalize (object);
}

static void
ic_journal_page_class_init (IcJournalPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ic_journal_page_dispose;
  object_class->finalize = ic_journal_page_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-journal-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcJournalPage, name)
  IC_OUTCOME_BIND (widget_class, IcJournalPage, outcome);
  CHILD (header_box);
  CHILD (header_separator);
  CHILD (list);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, receipt_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, map_cb);
  gtk_widget_class_bind_template_callback (widget_class, unmap_cb);
}

static void
ic_journal_page_init (IcJournalPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < N_COLS; i++)
    self->columns[i] = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  /* TRANSLATORS: the journal row's number, a column heading. */
  header (self, COL_ID, C_ ("journal", "No."), NULL);
  header (self, COL_CARD, _ ("Card number"), _ ("Serial"));
  header (self, COL_HOLDER, _ ("Holder's ID number"), NULL);
  header (self, COL_STATE, _ ("State"), _ ("Step reached"));
  header (self, COL_STARTED, _ ("Started"), NULL);
  {
    GtkWidget *spacer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

    gtk_widget_set_hexpand (spacer, TRUE);
    gtk_size_group_add_widget (self->columns[COL_BUTTONS], spacer);
    gtk_container_add (GTK_CONTAINER (self->header_box), spacer);
  }
  gtk_widget_show_all (GTK_WIDGET (self->header_box));
  gtk_widget_hide (self->outcome.receipt_button);
  fill (self, NULL);
}

GtkWidget *
ic_journal_page_new (IcMainWindow *window)
{
  IcJournalPage *self;

  g_return_val_if_fail (IC_IS_MAIN_WINDOW (window), NULL);

  self = g_object_new (IC_TYPE_JOURNAL_PAGE, NULL);
  self->window = window;
  g_signal_connect_object (window, "session-changed", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_show (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}
