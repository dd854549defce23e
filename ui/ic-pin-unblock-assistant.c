/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-pin-unblock-assistant.c: a blocked PIN reset with the master control
 * card (wf_pin_unblock); never a key transport card's. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-pin-unblock-assistant.h"

struct _IcPinUnblockAssistant {
  IcCeremonyAssistant parent_instance;
};

G_DEFINE_FINAL_TYPE (IcPinUnblockAssistant, ic_pin_unblock_assistant, IC_TYPE_CEREMONY_ASSISTANT)

static void
ic_pin_unblock_assistant_start (IcCeremonyAssistant *self, WfDesk *desk, WfInteraction *interaction,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  wf_pin_unblock_async (desk, interaction, 0, cancellable, callback, user_data);
}

static gboolean
ic_pin_unblock_assistant_finish (IcCeremonyAssistant *self, WfDesk *desk, GAsyncResult *result,
                                 GError **error)
{
  if (!wf_pin_unblock_finish (desk, result, error))
    return FALSE;
  ic_ceremony_assistant_set_outcome (
      self, _ ("The PIN is unblocked"),
      _ ("The card has the new PIN its holder typed and all its tries again. Give the card back "
         "to its holder."));
  return TRUE;
}

static char *
ic_pin_unblock_assistant_describe_stop (IcCeremonyAssistant *self, const GError *error,
                                        gboolean written)
{
  return g_strdup (_ ("The card's PIN was not reset: the card is as it was."));
}

static void
ic_pin_unblock_assistant_class_init (IcPinUnblockAssistantClass *klass)
{
  IcCeremonyAssistantClass *ceremony_class = IC_CEREMONY_ASSISTANT_CLASS (klass);

  ceremony_class->start = ic_pin_unblock_assistant_start;
  ceremony_class->finish = ic_pin_unblock_assistant_finish;
  ceremony_class->describe_stop = ic_pin_unblock_assistant_describe_stop;
}

static void
ic_pin_unblock_assistant_init (IcPinUnblockAssistant *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _ ("Unblock a PIN"));
  ic_ceremony_assistant_set_intro (
      IC_CEREMONY_ASSISTANT (self),
      _ ("The system administrator with the master control card, and the holder of the blocked "
         "card, who sets a new PIN."),
      _ ("The master control card and its PIN, and the blocked card: an administrator card, a "
         "key card, or a master control card (then the system administrator types the master key "
         "instead of using another master control card). A key transport card's PINs are never "
         "unblocked: its custodians make a new one instead."),
      _ ("Put the blocked card into R2 and the master control card into R1, and type its PIN. "
         "The holder then types a new PIN twice; the card's tries are reset."));
}

GtkWidget *
ic_pin_unblock_assistant_new (GtkWindow *parent, WfDesk *desk)
{
  return g_object_new (IC_TYPE_PIN_UNBLOCK_ASSISTANT, "transient-for", parent, "desk", desk, NULL);
}
