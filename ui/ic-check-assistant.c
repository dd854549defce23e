/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-check-assistant.c: the genuine-card check (wf_card_check): the card
 * in R2 proves its key to the master control card. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-check-assistant.h"

struct _IcCheckAssistant {
  IcCeremonyAssistant parent_instance;
};

G_DEFINE_FINAL_TYPE (IcCheckAssistant, ic_check_assistant, IC_TYPE_CEREMONY_ASSISTANT)

static void
ic_check_assistant_start (IcCeremonyAssistant *self, WfDesk *desk, WfInteraction *interaction,
                          GCancellable *cancellable, GAsyncReadyCallback callback,
                          gpointer user_data)
{
  wf_card_check_async (desk, interaction, cancellable, callback, user_data);
}

static gboolean
ic_check_assistant_finish (IcCeremonyAssistant *self, WfDesk *desk, GAsyncResult *result,
                           GError **error)
{
  gboolean genuine = FALSE;

  if (!wf_card_check_finish (desk, result, &genuine, error))
    return FALSE;
  if (genuine)
    ic_ceremony_assistant_set_outcome (
        self, _ ("The card is genuine"),
        _ ("It answered with the key this system's master control card computes for it: it is "
           "one of this system's cards. The check is in the audit log."));
  else
    ic_ceremony_assistant_set_outcome (
        self, _ ("The card is NOT genuine"),
        _ ("It does not hold the key this system gives a card with its serial number: it is a "
           "copy or another system's card. Do not use it; keep it aside and report it. The check "
           "is in the audit log."));
  return TRUE;
}

static char *
ic_check_assistant_describe_stop (IcCeremonyAssistant *self, const GError *error, gboolean written)
{
  return g_strdup (_ ("The check writes nothing to the card: it is as it was. Whether it is "
                      "genuine is not known yet; check it again."));
}

static void
ic_check_assistant_class_init (IcCheckAssistantClass *klass)
{
  IcCeremonyAssistantClass *ceremony_class = IC_CEREMONY_ASSISTANT_CLASS (klass);

  ceremony_class->start = ic_check_assistant_start;
  ceremony_class->finish = ic_check_assistant_finish;
  ceremony_class->describe_stop = ic_check_assistant_describe_stop;
}

static void
ic_check_assistant_init (IcCheckAssistant *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _ ("Check a card"));
  ic_ceremony_assistant_set_intro (
      IC_CEREMONY_ASSISTANT (self), _ ("The system administrator with the master control card."),
      _ ("The master control card and its PIN, and the CPU card you are not sure of. To check a "
         "master control card, have the master key ready instead."),
      _ ("Put the card to check into R2 and the master control card into R1, and type its PIN. "
         "The card is asked to prove its key; nothing is written to it."));
}

GtkWidget *
ic_check_assistant_new (GtkWindow *parent, WfDesk *desk)
{
  return g_object_new (IC_TYPE_CHECK_ASSISTANT, "transient-for", parent, "desk", desk, NULL);
}
