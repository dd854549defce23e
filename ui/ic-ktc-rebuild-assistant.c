/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-ktc-rebuild-assistant.c: a worn key transport card copied to a new
 * one (wf_ktc_rebuild).  As in the KTC ceremony, each custodian types in a
 * dialog of their own, handed over between them. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-ktc-rebuild-assistant.h"

struct _IcKtcRebuildAssistant {
  IcCeremonyAssistant parent_instance;
};

G_DEFINE_FINAL_TYPE (IcKtcRebuildAssistant, ic_ktc_rebuild_assistant, IC_TYPE_CEREMONY_ASSISTANT)

static void
ic_ktc_rebuild_assistant_start (IcCeremonyAssistant *self, WfDesk *desk, WfInteraction *interaction,
                                GCancellable *cancellable, GAsyncReadyCallback callback,
                                gpointer user_data)
{
  wf_ktc_rebuild_async (desk, interaction, cancellable, callback, user_data);
}

static gboolean
ic_ktc_rebuild_assistant_finish (IcCeremonyAssistant *self, WfDesk *desk, GAsyncResult *result,
                                 GError **error)
{
  g_autoptr (WfCardMade) made = wf_ktc_rebuild_finish (desk, result, error);

  if (made == NULL)
    return FALSE;
  ic_ceremony_assistant_add_made (self, made);
  ic_ceremony_assistant_set_outcome (
      self, _ ("The new key transport card is made"),
      _ ("It holds the same codes, factors and PINs as the old one, and the same keys: compare "
         "the check values below with your papers. The old card is marked revoked in the "
         "registry; wash it (Ceremonies, Wash a card) so that it cannot be used again."));
  return TRUE;
}

static char *
ic_ktc_rebuild_assistant_describe_stop (IcCeremonyAssistant *self, const GError *error,
                                        gboolean written)
{
  if (written)
    return g_strdup (_ ("The blank in R2 may be half-made or made but not recorded: wash it "
                        "(Ceremonies, Wash a card) and start again. The old key transport card "
                        "is unchanged and still in use."));
  return g_strdup (_ ("Nothing was written to a card. The old key transport card is unchanged "
                      "and still in use."));
}

static void
ic_ktc_rebuild_assistant_class_init (IcKtcRebuildAssistantClass *klass)
{
  IcCeremonyAssistantClass *ceremony_class = IC_CEREMONY_ASSISTANT_CLASS (klass);

  ceremony_class->start = ic_ktc_rebuild_assistant_start;
  ceremony_class->finish = ic_ktc_rebuild_assistant_finish;
  ceremony_class->describe_stop = ic_ktc_rebuild_assistant_describe_stop;
}

static void
ic_ktc_rebuild_assistant_init (IcKtcRebuildAssistant *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _ ("Rebuild the key transport card"));
  ic_ceremony_assistant_set_intro (
      IC_CEREMONY_ASSISTANT (self),
      _ ("Leader I, leader II and the system administrator: each types their own PIN of the old "
         "card alone while the others look away."),
      _ ("The master control card and its PIN, the old key transport card, and a blank CPU "
         "card. All three PINs of the old card must still be known; if one is forgotten or "
         "blocked, make a new key transport card from the custodians' papers instead."),
      _ ("The master control card goes into R1 (its PIN), the old key transport card into R2. "
         "Each custodian in turn types their PIN, and their part is read from the old card. "
         "Then the blank goes into R2 and gets the same contents; the old card is marked "
         "revoked."));
}

GtkWidget *
ic_ktc_rebuild_assistant_new (GtkWindow *parent, WfDesk *desk)
{
  return g_object_new (IC_TYPE_KTC_REBUILD_ASSISTANT, "transient-for", parent, "desk", desk, NULL);
}
