/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-mcc-assistant.c: the master control card ceremony (wf_mcc_create). */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-mcc-assistant.h"

struct _IcMccAssistant {
  IcCeremonyAssistant parent_instance;
};

G_DEFINE_FINAL_TYPE (IcMccAssistant, ic_mcc_assistant, IC_TYPE_CEREMONY_ASSISTANT)

static void
ic_mcc_assistant_start (IcCeremonyAssistant *self, WfDesk *desk, WfInteraction *interaction,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  wf_mcc_create_async (desk, interaction, cancellable, callback, user_data);
}

static gboolean
ic_mcc_assistant_finish (IcCeremonyAssistant *self, WfDesk *desk, GAsyncResult *result,
                         GError **error)
{
  g_autoptr (WfCardMade) made = wf_mcc_create_finish (desk, result, error);

  if (made == NULL)
    return FALSE;
  ic_ceremony_assistant_add_made (self, made);
  ic_ceremony_assistant_set_outcome (
      self, _ ("The master control card is made"),
      _ ("It was read back and recorded. Compare its check value with your paper, then put the "
         "card in the safe."));
  return TRUE;
}

static char *
ic_mcc_assistant_describe_stop (IcCeremonyAssistant *self, const GError *error, gboolean written)
{
  if (written)
    return g_strdup (_ ("The card in R2 may be half-made or made but not recorded: wash it "
                        "(Ceremonies, Wash a card; answer that it was being made into a master "
                        "control card) and start again."));
  return g_strdup (_ ("Nothing was written to the card in R2: it is still blank."));
}

static void
ic_mcc_assistant_class_init (IcMccAssistantClass *klass)
{
  IcCeremonyAssistantClass *ceremony_class = IC_CEREMONY_ASSISTANT_CLASS (klass);

  ceremony_class->start = ic_mcc_assistant_start;
  ceremony_class->finish = ic_mcc_assistant_finish;
  ceremony_class->describe_stop = ic_mcc_assistant_describe_stop;
}

static void
ic_mcc_assistant_init (IcMccAssistant *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _ ("Make the master control card"));
  ic_ceremony_assistant_set_intro (
      IC_CEREMONY_ASSISTANT (self), _ ("The system administrator, alone at the keyboard."),
      _ ("A blank CPU card, and your paper with the master key (32 hexadecimal digits) and its "
         "check value. Choose the card's PIN (6 to 8 digits) beforehand."),
      _ ("Put the blank card into R2. You type the master key twice and compare its check value "
         "with your paper, then the PIN twice. insucard writes the card, reads it back (the card "
         "computes the check value itself) and records it."));
}

GtkWidget *
ic_mcc_assistant_new (GtkWindow *parent, WfDesk *desk)
{
  return g_object_new (IC_TYPE_MCC_ASSISTANT, "transient-for", parent, "desk", desk, NULL);
}
