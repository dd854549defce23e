/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-wash-assistant.c: washing a CPU card (wf_card_wash).  Before anything
 * is asked, the card in R2 is read without a key (wf_cpu_card_identify)
 * and its kind, holder and registry record shown; the wash itself names
 * the card again in its confirmation. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-wash-assistant.h"
#include "wf-cpu-cards.h"
#include "wf-error.h"
#include "wf-opcard-data.h"

struct _IcWashAssistant {
  IcCeremonyAssistant parent_instance;

  GtkWidget *card_page;
  GtkSpinner *card_spinner;
  GtkLabel *card_instruction;
  GtkWidget *card_grid;
  GtkLabel *kind_value;
  GtkLabel *serial_value;
  GtkLabel *holder_value;
  GtkLabel *registry_value;
  GtkLabel *card_warning;
  GtkWidget *read_button;

  GCancellable *identify; /* the reading running, if any */
};

G_DEFINE_FINAL_TYPE (IcWashAssistant, ic_wash_assistant, IC_TYPE_CEREMONY_ASSISTANT)

/* -- what the card is ----------------------------------------------------------------------- */

static void
show_seen (IcWashAssistant *self, const WfCpuCardSeen *seen)
{
  g_autofree char *holder = NULL;
  g_autofree char *registry = NULL;
  const char *warning = NULL;

  gtk_label_set_text (self->kind_value, cl_card_kind_describe (seen->kind));
  gtk_label_set_text (self->serial_value, seen->serial);
  if (seen->holder_name == NULL)
    holder = g_strdup (_ ("none (this kind of card has no holder file)"));
  else if (seen->kind == CL_CARD_KIND_AC)
    holder = g_strdup_printf ("%s (%s)", seen->holder_name, wf_role_describe (seen->role));
  else
    holder = g_strdup (seen->holder_name);
  gtk_label_set_text (self->holder_value, holder);
  if (seen->record == NULL)
    registry = g_strdup (_ ("not recorded in this desk's registry"));
  else
    {
      g_autofree char *made_at = ic_ceremony_format_time (seen->record->made_at);

      registry = g_strdup_printf (
          _ ("%s, %s; made %s by %s"), wf_cpu_kind_describe (seen->record->kind),
          wf_cpu_status_describe (seen->record->status), made_at, seen->record->made_by_name);
    }
  gtk_label_set_text (self->registry_value, registry);

  switch (seen->kind)
    {
    case CL_CARD_KIND_MCC:
      warning = _ ("This is a master control card. Without one, no card of the system can be "
                   "made, washed or unblocked until a new one is made from the master key. You "
                   "will type the master key to wash it, and be asked twice.");
      break;
    case CL_CARD_KIND_KTC:
      warning = _ ("This is a key transport card. If it is the last one in use, no administrator "
                   "or key card can be made until it is made again from the custodians' papers; "
                   "you will be asked twice.");
      break;
    case CL_CARD_KIND_CPU_UNFINISHED:
      warning = _ ("This card's making was interrupted; it does not say what it was to become. "
                   "You will be asked whether it was being made into a master control card: "
                   "answer carefully, a wrong answer costs the card a try.");
      break;
    default:
      warning = _ ("Washing erases its keys, PIN and files; the master control card in R1 "
                   "authorises it.");
      break;
    }
  gtk_label_set_text (self->card_warning, warning);
  gtk_widget_show (GTK_WIDGET (self->card_warning));
  gtk_widget_show (self->card_grid);
}

typedef struct {
  IcWashAssistant *self;
  GCancellable *cancellable; /* this reading's */
} Reading;

static void
identify_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Reading *r = user_data;
  g_autoptr (IcWashAssistant) self = r->self;
  g_autoptr (GCancellable) cancellable = r->cancellable;
  g_autoptr (GError) error = NULL;
  g_autoptr (WfCpuCardSeen) seen = wf_cpu_card_identify_finish (
      ic_ceremony_assistant_get_desk (IC_CEREMONY_ASSISTANT (self)), result, &error);

  g_free (r);
  /* A reading cancelled (the page was left, the wizard closed) or replaced
   * by a newer one says nothing. */
  if (cancellable != self->identify || g_cancellable_is_cancelled (cancellable))
    return;
  g_clear_object (&self->identify);
  gtk_spinner_stop (self->card_spinner);
  gtk_widget_hide (GTK_WIDGET (self->card_spinner));
  gtk_widget_set_sensitive (self->read_button, TRUE);
  if (seen == NULL)
    {
      gtk_label_set_text (self->card_instruction, error->message);
      return;
    }
  gtk_label_set_text (self->card_instruction,
                      _ ("Check that this is the card to wash. Next asks for the master control "
                         "card and confirms once more."));
  show_seen (self, seen);
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->card_page, TRUE);
  /* Return goes on (Next is the default), not to whichever button had
   * the focus while the card was read. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
}

static void
card_wanted_cb (WfInteraction *ia, const char *title, const char *text, IcWashAssistant *self)
{
  if (self->identify != NULL && text != NULL)
    gtk_label_set_text (self->card_instruction, text);
}

static void
identify (IcWashAssistant *self)
{
  IcCeremonyAssistant *assistant = IC_CEREMONY_ASSISTANT (self);
  Reading *r;

  if (self->identify != NULL && !g_cancellable_is_cancelled (self->identify))
    return;
  g_clear_object (&self->identify);
  self->identify = g_cancellable_new ();
  r = g_new0 (Reading, 1);
  r->self = g_object_ref (self);
  r->cancellable = g_object_ref (self->identify);
  gtk_assistant_set_page_complete (GTK_ASSISTANT (self), self->card_page, FALSE);
  gtk_widget_hide (self->card_grid);
  gtk_widget_hide (GTK_WIDGET (self->card_warning));
  gtk_widget_set_sensitive (self->read_button, FALSE);
  gtk_widget_show (GTK_WIDGET (self->card_spinner));
  gtk_spinner_start (self->card_spinner);
  gtk_label_set_text (self->card_instruction, _ ("Reading the card in R2…"));
  wf_cpu_card_identify_async (ic_ceremony_assistant_get_desk (assistant),
                              ic_ceremony_assistant_get_interaction (assistant), self->identify,
                              identify_done, r);
}

static void
stop_identify (IcWashAssistant *self)
{
  if (self->identify != NULL)
    {
      g_cancellable_cancel (self->identify);
      gtk_spinner_stop (self->card_spinner);
      gtk_widget_hide (GTK_WIDGET (self->card_spinner));
      gtk_widget_set_sensitive (self->read_button, TRUE);
    }
}

static void
read_clicked_cb (GtkButton *button, IcWashAssistant *self)
{
  identify (self);
}

/* -- the wash ------------------------------------------------------------------------------- */

static void
ic_wash_assistant_prepare (GtkAssistant *assistant, GtkWidget *page)
{
  IcWashAssistant *self = IC_WASH_ASSISTANT (assistant);

  if (page == self->card_page)
    identify (self);
  else
    stop_identify (self);
  GTK_ASSISTANT_CLASS (ic_wash_assistant_parent_class)->prepare (assistant, page);
}

static void
ic_wash_assistant_start (IcCeremonyAssistant *self, WfDesk *desk, WfInteraction *interaction,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  wf_card_wash_async (desk, interaction, cancellable, callback, user_data);
}

static gboolean
ic_wash_assistant_finish (IcCeremonyAssistant *self, WfDesk *desk, GAsyncResult *result,
                          GError **error)
{
  g_autoptr (WfCardMade) washed = wf_card_wash_finish (desk, result, error);

  if (washed == NULL)
    return FALSE;
  ic_ceremony_assistant_add_card (self, washed,
                                  _ ("Washed back to a blank card; the registry marks it washed."));
  ic_ceremony_assistant_set_outcome (
      self, _ ("The card is washed"),
      _ ("It is a blank CPU card again and can be made into any card of the system."));
  return TRUE;
}

static char *
ic_wash_assistant_describe_stop (IcCeremonyAssistant *self, const GError *error, gboolean written)
{
  /* No is answered before anything is erased. */
  if (g_error_matches (error, WF_ERROR, WF_ERROR_DECLINED))
    return g_strdup (_ ("The card was not washed: it is as it was."));
  return g_strdup (_ ("If the card was being erased when this stopped, it may be half-washed: "
                      "wash it again. Otherwise it is as it was; Wash a card shows what it is."));
}

static void
ic_wash_assistant_dispose (GObject *object)
{
  IcWashAssistant *self = IC_WASH_ASSISTANT (object);

  if (self->identify != NULL)
    g_cancellable_cancel (self->identify);
  g_clear_object (&self->identify);
  G_OBJECT_CLASS (ic_wash_assistant_parent_class)->dispose (object);
}

static void
ic_wash_assistant_class_init (IcWashAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkAssistantClass *assistant_class = GTK_ASSISTANT_CLASS (klass);
  IcCeremonyAssistantClass *ceremony_class = IC_CEREMONY_ASSISTANT_CLASS (klass);

  object_class->dispose = ic_wash_assistant_dispose;
  assistant_class->prepare = ic_wash_assistant_prepare;
  ceremony_class->start = ic_wash_assistant_start;
  ceremony_class->finish = ic_wash_assistant_finish;
  ceremony_class->describe_stop = ic_wash_assistant_describe_stop;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-wash-assistant.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcWashAssistant, name)
  CHILD (card_page);
  CHILD (card_spinner);
  CHILD (card_instruction);
  CHILD (card_grid);
  CHILD (kind_value);
  CHILD (serial_value);
  CHILD (holder_value);
  CHILD (registry_value);
  CHILD (card_warning);
  CHILD (read_button);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, read_clicked_cb);
}

static void
ic_wash_assistant_init (IcWashAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_window_set_title (GTK_WINDOW (self), _ ("Wash a card"));
  ic_ceremony_assistant_set_intro (
      IC_CEREMONY_ASSISTANT (self), _ ("The system administrator with the master control card."),
      _ ("The card to wash, the master control card and its PIN. To wash a master control card "
         "(or a half-made card that was to become one), the master key instead."),
      _ ("Put the card to wash into R2: insucard shows what it is, its holder and what the "
         "registry says of it. Then the master control card goes into R1 (its PIN), you confirm "
         "the wash, and the card is erased back to a blank."));
  ic_ceremony_assistant_add_page (IC_CEREMONY_ASSISTANT (self), self->card_page,
                                  _ ("The card to wash"), FALSE);
  g_signal_connect_object (ic_ceremony_assistant_get_interaction (IC_CEREMONY_ASSISTANT (self)),
                           "card-wanted", G_CALLBACK (card_wanted_cb), self, 0);
}

GtkWidget *
ic_wash_assistant_new (GtkWindow *parent, WfDesk *desk)
{
  return g_object_new (IC_TYPE_WASH_ASSISTANT, "transient-for", parent, "desk", desk, NULL);
}
