/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-opcard-assistant.c: a batch of administrator and key cards
 * (wf_opcard_create_each_async): each card's holder entered and checked
 * here, the cards listed as they are made, the KTC's keys wiped when the
 * batch ends or is cancelled. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-opcard-assistant.h"

struct _IcOpcardAssistant {
  IcCeremonyAssistant parent_instance;

  GtkWidget *cards_page;
  GtkComboBoxText *kind_combo;
  GtkEntry *name_entry;
  GtkEntry *staff_entry;
  GtkEntry *office_entry;
  GtkEntry *from_entry;
  GtkEntry *until_entry;
  GtkEntry *workstation_entry;
  GtkSpinButton *quota_spin;
  GtkToggleButton *no_limit_check;
  GtkWidget *add_button;
  GtkLabel *problem_label;
  GtkLabel *count_label;
  GtkListBox *batch_list;

  GArray *requests; /* WfOpRequest */
  guint made; /* cards made so far */
};

G_DEFINE_FINAL_TYPE (IcOpcardAssistant, ic_opcard_assistant, IC_TYPE_CEREMONY_ASSISTANT)

static gboolean
is_key_card (IcOpcardAssistant *self)
{
  return g_strcmp0 (gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->kind_combo)), "key") == 0;
}

static void
kind_changed_cb (GtkWidget *widget, IcOpcardAssistant *self)
{
  gboolean key = is_key_card (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->workstation_entry), key);
  gtk_widget_set_sensitive (GTK_WIDGET (self->no_limit_check), key);
  gtk_widget_set_sensitive (GTK_WIDGET (self->quota_spin),
                            key && !gtk_toggle_button_get_active (self->no_limit_check));
}

static void
no_limit_toggled_cb (GtkToggleButton *button, IcOpcardAssistant *self)
{
  kind_changed_cb (NULL, self);
}

/* An entry's text, or NULL when empty. */
static char *
entry_text (GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_entry_get_text (entry)));

  return *text != '\0' ? g_steal_pointer (&text) : NULL;
}

static const char *
describe_request (const WfOpRequest *r)
{
  return r->key_card ? _ ("key card") : wf_role_describe (r->holder.role);
}

/* -- the batch ------------------------------------------------------------------------------ */

static void rebuild_list (IcOpcardAssistant *self);

static void
remove_clicked_cb (GtkButton *button, IcOpcardAssistant *self)
{
  guint n = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "request"));

  g_array_remove_index (self->requests, n);
  rebuild_list (self);
}

static GtkWidget *
request_row (IcOpcardAssistant *self, guint n)
{
  const WfOpRequest *r = &g_array_index (self->requests, WfOpRequest, n);
  g_autofree char *text = NULL;
  g_autofree char *remove_name = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label, *remove;

  if (r->key_card)
    {
      g_autofree char *quota = r->ident.quota == WF_QUOTA_NONE
                                   ? g_strdup (_ ("no limit"))
                                   : g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) r->ident.quota);

      text = g_strdup_printf (_ ("%u. Key card of %s (%s), office %s, workstation %s, quota %s"),
                              n + 1, r->holder.name, r->holder.staff_number, r->holder.office,
                              r->ident.workstation, quota);
    }
  else
    text = g_strdup_printf (_ ("%u. Administrator card (%s) of %s (%s), office %s"), n + 1,
                            describe_request (r), r->holder.name, r->holder.staff_number,
                            r->holder.office);
  label = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  remove = gtk_button_new_with_mnemonic (_ ("_Remove"));
  remove_name = g_strdup_printf (_ ("Remove card %u"), n + 1);
  atk_object_set_name (gtk_widget_get_accessible (remove), remove_name);
  g_object_set_data (G_OBJECT (remove), "request", GUINT_TO_POINTER (n));
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  gtk_container_set_border_width (GTK_CONTAINER (box), 6);
  gtk_container_add (GTK_CONTAINER (box), label);
  gtk_container_add (GTK_CONTAINER (box), remove);
  atk_object_set_name (gtk_widget_get_accessible (box), text);
  gtk_widget_show_all (box);
  return box;
}

static void
rebuild_list (IcOpcardAssistant *self)
{
  g_autoptr (GList) rows = gtk_container_get_children (GTK_CONTAINER (self->batch_list));
  g_autofree char *count = NULL;

  for (GList *l = rows; l != NULL; l = l->next)
    gtk_widget_destroy (l->data);
  for (guint i = 0; i < self->requests->len; i++)
    gtk_container_add (GTK_CONTAINER (self->batch_list), request_row (self, i));
  count = self->requests->len == 0
              ? g_strdup (_ ("No card in the batch yet."))
              : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u card to make:",
                                              "%u cards to make:", self->requests->len),
                                 self->requests->len);
  gtk_label_set_text (self->count_label, count);
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->cards_page, self->requests->len > 0);
}

/* Checks the form as the workflow will (one field at a time, the message
 * naming it) and adds the card to the batch. */
static void
add_clicked_cb (GtkButton *button, IcOpcardAssistant *self)
{
  const char *kind = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->kind_combo));
  WfOpRequest r = { 0 };
  g_autoptr (GError) error = NULL;

  r.key_card = is_key_card (self);
  r.holder.name = entry_text (self->name_entry);
  r.holder.staff_number = entry_text (self->staff_entry);
  r.holder.office = entry_text (self->office_entry);
  r.holder.valid_from = entry_text (self->from_entry);
  r.holder.valid_until = entry_text (self->until_entry);
  if (r.key_card)
    {
      r.holder.role = CL_ROLE_NONE;
      r.ident.workstation = entry_text (self->workstation_entry);
      r.ident.office = g_strdup (r.holder.office);
      r.ident.quota = gtk_toggle_button_get_active (self->no_limit_check)
                          ? WF_QUOTA_NONE
                          : gtk_spin_button_get_value_as_int (self->quota_spin);
    }
  else if (!wf_role_from_string (kind, &r.holder.role))
    r.holder.role = CL_ROLE_NONE;
  if (!wf_op_holder_validate (&r.holder, &error)
      || (r.key_card && !wf_op_ident_validate (&r.ident, &error)))
    {
      gtk_label_set_text (self->problem_label, error->message);
      wf_op_request_clear (&r);
      return;
    }
  gtk_label_set_text (self->problem_label, "");
  g_array_append_val (self->requests, r);
  rebuild_list (self);
  /* The next holder is usually of the same office and kind. */
  gtk_entry_set_text (self->name_entry, "");
  gtk_entry_set_text (self->staff_entry, "");
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
}

/* -- the task ------------------------------------------------------------------------------- */

static void
card_made_cb (const WfCardMade *made, gpointer data)
{
  IcOpcardAssistant *self = data;

  self->made++;
  ic_ceremony_assistant_add_made (IC_CEREMONY_ASSISTANT (self), made);
}

static void
ic_opcard_assistant_start (IcCeremonyAssistant *assistant, WfDesk *desk, WfInteraction *interaction,
                           GCancellable *cancellable, GAsyncReadyCallback callback,
                           gpointer user_data)
{
  IcOpcardAssistant *self = IC_OPCARD_ASSISTANT (assistant);

  /* The assistant is kept alive until the callback: card_made_cb comes
   * before it. */
  wf_opcard_create_each_async (desk, interaction, (const WfOpRequest *) self->requests->data,
                               self->requests->len, card_made_cb, self, cancellable, callback,
                               user_data);
}

static gboolean
ic_opcard_assistant_finish (IcCeremonyAssistant *assistant, WfDesk *desk, GAsyncResult *result,
                            GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GPtrArray) made = wf_opcard_create_each_finish (desk, result, &local);
  g_autofree char *title = NULL;

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  title = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%u card is made", "%u cards are made", made->len), made->len);
  ic_ceremony_assistant_set_outcome (
      assistant, title,
      _ ("Each was checked with its holder's PIN and recorded. The system keys read from the key "
         "transport card were wiped from memory; take the key transport card out of R2 and put "
         "it away."));
  return TRUE;
}

static char *
ic_opcard_assistant_describe_stop (IcCeremonyAssistant *assistant, const GError *error,
                                   gboolean written)
{
  IcOpcardAssistant *self = IC_OPCARD_ASSISTANT (assistant);
  guint total = self->requests->len;
  g_autoptr (GString) text = g_string_new (NULL);

  if (self->made > 0)
    g_string_append_printf (
        text,
        g_dngettext (GETTEXT_PACKAGE, "%u of %u cards is made and recorded (below). ",
                     "%u of %u cards are made and recorded (below). ", self->made),
        self->made, total);
  else
    g_string_append (text, _ ("No card of the batch was made. "));
  if (written)
    g_string_append_printf (text,
                            _ ("The blank in R2 (card %u of %u) may be half-made: wash it "
                               "(Ceremonies, Wash a card) and make it again. "),
                            self->made + 1, total);
  else if (self->made < total)
    g_string_append (text, _ ("Nothing was written to the card in R2. "));
  if (self->made < total)
    g_string_append (text, _ ("Start a new batch for the cards not made. "));
  g_string_append (text, _ ("The system keys read from the key transport card were wiped from "
                            "memory."));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* -- GObject ------------------------------------------------------------------------------- */

static void
request_clear (gpointer data)
{
  wf_op_request_clear (data);
}

static void
ic_opcard_assistant_finalize (GObject *object)
{
  IcOpcardAssistant *self = IC_OPCARD_ASSISTANT (object);

  g_array_unref (self->requests);
  G_OBJECT_CLASS (ic_opcard_assistant_parent_class)->finalize (object);
}

static void
ic_opcard_assistant_class_init (IcOpcardAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  IcCeremonyAssistantClass *ceremony_class = IC_CEREMONY_ASSISTANT_CLASS (klass);

  object_class->finalize = ic_opcard_assistant_finalize;
  ceremony_class->start = ic_opcard_assistant_start;
  ceremony_class->finish = ic_opcard_assistant_finish;
  ceremony_class->describe_stop = ic_opcard_assistant_describe_stop;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-opcard-assistant.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcOpcardAssistant, name)
  CHILD (cards_page);
  CHILD (kind_combo);
  CHILD (name_entry);
  CHILD (staff_entry);
  CHILD (office_entry);
  CHILD (from_entry);
  CHILD (until_entry);
  CHILD (workstation_entry);
  CHILD (quota_spin);
  CHILD (no_limit_check);
  CHILD (add_button);
  CHILD (problem_label);
  CHILD (count_label);
  CHILD (batch_list);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, kind_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, no_limit_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);
}

static void
ic_opcard_assistant_init (IcOpcardAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->requests = g_array_new (FALSE, TRUE, sizeof (WfOpRequest));
  g_array_set_clear_func (self->requests, request_clear);

  gtk_window_set_title (GTK_WINDOW (self), _ ("Make administrator and key cards"));
  ic_ceremony_assistant_set_intro (
      IC_CEREMONY_ASSISTANT (self),
      _ ("The system administrator, with each card's future holder, who sets their own PIN."),
      _ ("The master control card and its PIN, the key transport card, and one blank CPU card "
         "per card to make. For each holder: name, staff number and office code; for a key card "
         "also the workstation it will work at and how many insurance cards it may issue."),
      _ ("Next you list the cards to make. Then the master control card goes into R1 (its "
         "PIN), the key transport card into R2: its keys are read into protected memory. For "
         "each card you swap the next blank into R2 and its holder types their PIN twice; the "
         "card is written, checked and listed. The keys are wiped when the batch ends."));
  ic_ceremony_assistant_add_page (IC_CEREMONY_ASSISTANT (self), self->cards_page,
                                  _ ("Cards to make"), FALSE);
  rebuild_list (self);
}

GtkWidget *
ic_opcard_assistant_new (GtkWindow *parent, WfDesk *desk)
{
  return g_object_new (IC_TYPE_OPCARD_ASSISTANT, "transient-for", parent, "desk", desk, NULL);
}
