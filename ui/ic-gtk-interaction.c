/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-gtk-interaction.c: the workflows' questions as GTK dialogs and the
 * window's task bar (ic-gtk-interaction.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ic-gtk-interaction.h"
#include "wf-error.h"

#define CARD_POLL_MS 1000

struct _IcGtkInteraction {
  WfInteraction parent;
  GtkWindow *parent_window; /* weak */
  GTask *card_task; /* the card question waiting, if any */
  ClReaderRole card_role;
  guint card_timer;
};

G_DEFINE_FINAL_TYPE (IcGtkInteraction, ic_gtk_interaction, WF_TYPE_INTERACTION)

enum { SIGNAL_CARD_WANTED, SIGNAL_PROGRESS, SIGNAL_NOTICE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* -- secrets ------------------------------------------------------------------------------- */

typedef struct {
  const WfQuestion *q;
  GtkWidget *entry;
  GtkWidget *again;
  GtkWidget *problem;
  GtkWidget *ok;
} SecretDialog;

static void
secret_changed (GtkEditable *editable, gpointer data)
{
  SecretDialog *d = data;
  const char *first = gtk_entry_get_text (GTK_ENTRY (d->entry));
  const char *second = d->again != NULL ? gtk_entry_get_text (GTK_ENTRY (d->again)) : first;
  g_autoptr (GError) error = NULL;
  g_autoptr (ClKey) key = NULL;
  gboolean ok;

  key = wf_question_parse_secret (d->q, first, &error);
  ok = key != NULL && strcmp (first, second) == 0;
  gtk_label_set_text (GTK_LABEL (d->problem), *first == '\0' ? ""
                                              : key == NULL  ? error->message
                                              : strcmp (first, second) != 0 && *second != '\0'
                                                  ? _ ("The two entries differ.")
                                                  : "");
  gtk_widget_set_sensitive (d->ok, ok);
}

static GtkWidget *
secret_entry (const WfQuestion *q, const char *accessible_name)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_entry_set_max_length (GTK_ENTRY (entry), (gint) q->max_len);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), q->format == WF_SECRET_DIGITS
                                                      ? GTK_INPUT_PURPOSE_PIN
                                                      : GTK_INPUT_PURPOSE_PASSWORD);
  atk_object_set_name (gtk_widget_get_accessible (entry), accessible_name);
  return entry;
}

/* The typed text goes straight into locked memory; the entries are
 * cleared before the dialog goes. */
static WfAnswer *
ask_secret (IcGtkInteraction *self, const WfQuestion *q, GError **error)
{
  SecretDialog d = { q };
  GtkWidget *dialog, *box, *label;
  WfAnswer *answer = NULL;
  int response;

  dialog = gtk_dialog_new_with_buttons (q->title, self->parent_window,
                                        GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                        _ ("_Cancel"), GTK_RESPONSE_CANCEL, NULL);
  d.ok = gtk_dialog_add_button (GTK_DIALOG (dialog), _ ("_OK"), GTK_RESPONSE_OK);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK);
  gtk_widget_set_sensitive (d.ok, FALSE);
  box = gtk_dialog_get_content_area (GTK_DIALOG (dialog));
  gtk_container_set_border_width (GTK_CONTAINER (box), 12);
  gtk_box_set_spacing (GTK_BOX (box), 8);
  label = gtk_label_new (q->text);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 50);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_container_add (GTK_CONTAINER (box), label);
  d.entry = secret_entry (q, q->title);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), d.entry);
  gtk_container_add (GTK_CONTAINER (box), d.entry);
  if (q->twice)
    {
      GtkWidget *again_label = gtk_label_new_with_mnemonic (_ ("Type it _again:"));

      gtk_label_set_xalign (GTK_LABEL (again_label), 0);
      d.again = secret_entry (q, _ ("Type it again"));
      gtk_label_set_mnemonic_widget (GTK_LABEL (again_label), d.again);
      gtk_container_add (GTK_CONTAINER (box), again_label);
      gtk_container_add (GTK_CONTAINER (box), d.again);
      g_signal_connect (d.again, "changed", G_CALLBACK (secret_changed), &d);
    }
  d.problem = gtk_label_new ("");
  gtk_label_set_xalign (GTK_LABEL (d.problem), 0);
  gtk_label_set_line_wrap (GTK_LABEL (d.problem), TRUE);
  gtk_style_context_add_class (gtk_widget_get_style_context (d.problem), "error");
  gtk_container_add (GTK_CONTAINER (box), d.problem);
  g_signal_connect (d.entry, "changed", G_CALLBACK (secret_changed), &d);
  gtk_widget_show_all (dialog);

  response = gtk_dialog_run (GTK_DIALOG (dialog));
  if (response == GTK_RESPONSE_OK)
    {
      ClKey *key = wf_question_parse_secret (q, gtk_entry_get_text (GTK_ENTRY (d.entry)), error);

      if (key != NULL)
        answer = wf_answer_new (TRUE, key);
    }
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Cancelled."));
  /* GtkEntryBuffer keeps its text in plain memory: overwrite it. */
  gtk_entry_set_text (GTK_ENTRY (d.entry), "");
  if (d.again != NULL)
    gtk_entry_set_text (GTK_ENTRY (d.again), "");
  gtk_widget_destroy (dialog);
  return answer;
}

/* -- confirmations ------------------------------------------------------------------------- */

static WfAnswer *
ask_confirm (IcGtkInteraction *self, const WfQuestion *q, GError **error)
{
  /* A question of fact: yes and no both go on, each its own way, so
   * neither is a Cancel nor the default. */
  gboolean choice = q->confirm == WF_CONFIRM_CHOICE;
  gboolean destructive = q->confirm != WF_CONFIRM_ORDINARY && !choice;
  GtkWidget *dialog, *yes;
  int response;

  dialog = gtk_message_dialog_new (
      self->parent_window, GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
      destructive ? GTK_MESSAGE_WARNING : GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, "%s", q->title);
  /* An irreversible question's text says so itself (wf-interaction.h). */
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", q->text);
  if (choice)
    gtk_dialog_add_button (GTK_DIALOG (dialog), _ ("_Cancel"), GTK_RESPONSE_CANCEL);
  gtk_dialog_add_button (GTK_DIALOG (dialog), destructive ? _ ("_Keep it as it is") : _ ("_No"),
                         GTK_RESPONSE_NO);
  yes = gtk_dialog_add_button (GTK_DIALOG (dialog),
                               q->yes_label != NULL                ? q->yes_label
                               : q->confirm == WF_CONFIRM_LAST_TRY ? _ ("Use the _last try")
                               : destructive                       ? _ ("_Go on")
                                                                   : _ ("_Yes"),
                               GTK_RESPONSE_YES);
  if (destructive)
    gtk_style_context_add_class (gtk_widget_get_style_context (yes), "destructive-action");
  /* Destructive steps need a deliberate click: the default is no. */
  if (!choice)
    gtk_dialog_set_default_response (GTK_DIALOG (dialog),
                                     destructive ? GTK_RESPONSE_NO : GTK_RESPONSE_YES);
  response = gtk_dialog_run (GTK_DIALOG (dialog));
  gtk_widget_destroy (dialog);
  if (response != GTK_RESPONSE_YES && response != GTK_RESPONSE_NO)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Cancelled."));
      return NULL;
    }
  return wf_answer_new (response == GTK_RESPONSE_YES, NULL);
}

static WfAnswer *
hand_over (IcGtkInteraction *self, const WfQuestion *q, GError **error)
{
  GtkWidget *dialog;
  int response;

  dialog = gtk_message_dialog_new (self->parent_window,
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_INFO, GTK_BUTTONS_NONE, "%s", q->title);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", q->text);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _ ("_Cancel"), GTK_RESPONSE_CANCEL);
  gtk_dialog_add_button (GTK_DIALOG (dialog), _ ("I am _ready"), GTK_RESPONSE_OK);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_OK);
  response = gtk_dialog_run (GTK_DIALOG (dialog));
  gtk_widget_destroy (dialog);
  if (response != GTK_RESPONSE_OK)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Cancelled."));
      return NULL;
    }
  return wf_answer_new (TRUE, NULL);
}

/* -- cards --------------------------------------------------------------------------------- */

static void
card_answer (IcGtkInteraction *self)
{
  g_autoptr (GTask) task = g_steal_pointer (&self->card_task);

  g_clear_handle_id (&self->card_timer, g_source_remove);
  if (task != NULL && !g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, wf_answer_new (TRUE, NULL), (GDestroyNotify) wf_answer_free);
}

static gboolean
card_poll (gpointer data)
{
  IcGtkInteraction *self = data;

  self->card_timer = 0;
  card_answer (self);
  return G_SOURCE_REMOVE;
}

static void
card_cancelled (GCancellable *cancellable, gpointer data)
{
  card_answer (data);
}

void
ic_gtk_interaction_card_event (IcGtkInteraction *self, ClReaderRole role)
{
  g_return_if_fail (IC_IS_GTK_INTERACTION (self));

  if (self->card_task != NULL && self->card_role == role)
    card_answer (self);
}

/* -- the interaction ----------------------------------------------------------------------- */

static void
ic_gtk_interaction_ask (WfInteraction *interaction, const WfQuestion *q, GCancellable *cancellable,
                        GAsyncReadyCallback callback, gpointer user_data)
{
  IcGtkInteraction *self = IC_GTK_INTERACTION (interaction);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  WfAnswer *answer = NULL;

  if (q->kind != WF_QUESTION_CARD)
    g_signal_emit (self, signals[SIGNAL_CARD_WANTED], 0, NULL, NULL);
  switch (q->kind)
    {
    case WF_QUESTION_SECRET:
      answer = ask_secret (self, q, &error);
      break;
    case WF_QUESTION_CONFIRM:
      answer = ask_confirm (self, q, &error);
      break;
    case WF_QUESTION_HAND_OVER:
      answer = hand_over (self, q, &error);
      break;
    case WF_QUESTION_CARD:
      g_signal_emit (self, signals[SIGNAL_CARD_WANTED], 0, q->title, q->text);
      g_clear_object (&self->card_task);
      self->card_task = g_object_ref (task);
      self->card_role = q->reader;
      self->card_timer = g_timeout_add (CARD_POLL_MS, card_poll, self);
      if (cancellable != NULL)
        g_cancellable_connect (cancellable, G_CALLBACK (card_cancelled), self, NULL);
      return;
    case WF_QUESTION_NOTICE:
    default:
      g_signal_emit (self, signals[SIGNAL_NOTICE], 0, q->title, q->text);
      answer = wf_answer_new (TRUE, NULL);
      break;
    }
  if (answer != NULL)
    g_task_return_pointer (task, answer, (GDestroyNotify) wf_answer_free);
  else
    g_task_return_error (task, error);
}

static WfAnswer *
ic_gtk_interaction_ask_finish (WfInteraction *interaction, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
ic_gtk_interaction_progress (WfInteraction *interaction, double fraction, const char *step)
{
  g_signal_emit (interaction, signals[SIGNAL_PROGRESS], 0, fraction, step);
}

static void
ic_gtk_interaction_dispose (GObject *object)
{
  IcGtkInteraction *self = IC_GTK_INTERACTION (object);

  g_clear_handle_id (&self->card_timer, g_source_remove);
  g_clear_object (&self->card_task);
  g_clear_weak_pointer (&self->parent_window);
  G_OBJECT_CLASS (ic_gtk_interaction_parent_class)->dispose (object);
}

static void
ic_gtk_interaction_class_init (IcGtkInteractionClass *klass)
{
  WfInteractionClass *interaction_class = WF_INTERACTION_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ic_gtk_interaction_dispose;
  interaction_class->ask = ic_gtk_interaction_ask;
  interaction_class->ask_finish = ic_gtk_interaction_ask_finish;
  interaction_class->progress = ic_gtk_interaction_progress;

  signals[SIGNAL_CARD_WANTED] =
      g_signal_new ("card-wanted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_PROGRESS] =
      g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_STRING);
  signals[SIGNAL_NOTICE] =
      g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                    G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
ic_gtk_interaction_init (IcGtkInteraction *self)
{
}

IcGtkInteraction *
ic_gtk_interaction_new (GtkWindow *parent)
{
  IcGtkInteraction *self = g_object_new (IC_TYPE_GTK_INTERACTION, NULL);

  g_set_weak_pointer (&self->parent_window, parent);
  return self;
}
