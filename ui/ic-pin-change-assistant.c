/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-pin-change-assistant.c: a PIN changed with the PIN in use now
 * (wf_pin_change); on a key transport card, the custodian's own PIN by its
 * number. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-pin-change-assistant.h"

struct _IcPinChangeAssistant {
  IcCeremonyAssistant parent_instance;

  GtkWidget *whose_page;
  GtkToggleButton *holder_radio;
  GtkToggleButton *pin1_radio;
  GtkToggleButton *pin2_radio;
  GtkToggleButton *pin3_radio;
};

G_DEFINE_FINAL_TYPE (IcPinChangeAssistant, ic_pin_change_assistant, IC_TYPE_CEREMONY_ASSISTANT)

/* 0: the card's only PIN; 1 to 3: a key transport card's. */
static guint
pin_index (IcPinChangeAssistant *self)
{
  if (gtk_toggle_button_get_active (self->pin1_radio))
    return 1;
  if (gtk_toggle_button_get_active (self->pin2_radio))
    return 2;
  if (gtk_toggle_button_get_active (self->pin3_radio))
    return 3;
  return 0;
}

static void
ic_pin_change_assistant_start (IcCeremonyAssistant *assistant, WfDesk *desk,
                               WfInteraction *interaction, GCancellable *cancellable,
                               GAsyncReadyCallback callback, gpointer user_data)
{
  IcPinChangeAssistant *self = IC_PIN_CHANGE_ASSISTANT (assistant);

  wf_pin_change_async (desk, interaction, pin_index (self), cancellable, callback, user_data);
}

static gboolean
ic_pin_change_assistant_finish (IcCeremonyAssistant *self, WfDesk *desk, GAsyncResult *result,
                                GError **error)
{
  if (!wf_pin_change_finish (desk, result, error))
    return FALSE;
  ic_ceremony_assistant_set_outcome (self, _ ("The PIN is changed"),
                                     _ ("From now on the card takes the new PIN only."));
  return TRUE;
}

static char *
ic_pin_change_assistant_describe_stop (IcCeremonyAssistant *self, const GError *error,
                                       gboolean written)
{
  return g_strdup (_ ("The PIN was not changed: the card takes the PIN it took before. A wrong "
                      "PIN in use now costs one of its tries."));
}

static void
ic_pin_change_assistant_class_init (IcPinChangeAssistantClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  IcCeremonyAssistantClass *ceremony_class = IC_CEREMONY_ASSISTANT_CLASS (klass);

  ceremony_class->start = ic_pin_change_assistant_start;
  ceremony_class->finish = ic_pin_change_assistant_finish;
  ceremony_class->describe_stop = ic_pin_change_assistant_describe_stop;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-pin-change-assistant.ui");
  gtk_widget_class_bind_template_child (widget_class, IcPinChangeAssistant, whose_page);
  gtk_widget_class_bind_template_child (widget_class, IcPinChangeAssistant, holder_radio);
  gtk_widget_class_bind_template_child (widget_class, IcPinChangeAssistant, pin1_radio);
  gtk_widget_class_bind_template_child (widget_class, IcPinChangeAssistant, pin2_radio);
  gtk_widget_class_bind_template_child (widget_class, IcPinChangeAssistant, pin3_radio);
}

static void
ic_pin_change_assistant_init (IcPinChangeAssistant *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_window_set_title (GTK_WINDOW (self), _ ("Change a PIN"));
  ic_ceremony_assistant_set_intro (
      IC_CEREMONY_ASSISTANT (self),
      _ ("The holder of the PIN, alone at the keyboard. No master control card is needed."),
      _ ("The card, and the PIN it takes now. An administrator or key card takes 6 to 8 digits; "
         "a key transport card's PINs 2 to 8."),
      _ ("Say whose PIN it is, put the card into R2, type the PIN in use now, then the new PIN "
         "twice."));
  ic_ceremony_assistant_add_page (IC_CEREMONY_ASSISTANT (self), self->whose_page, _ ("Whose PIN"),
                                  TRUE);
}

GtkWidget *
ic_pin_change_assistant_new (GtkWindow *parent, WfDesk *desk)
{
  return g_object_new (IC_TYPE_PIN_CHANGE_ASSISTANT, "transient-for", parent, "desk", desk, NULL);
}
