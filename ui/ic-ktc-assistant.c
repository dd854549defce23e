/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-ktc-assistant.c: the key transport card ceremony (wf_ktc_create).
 *
 * The three custodians type in turn.  Each entry and each check value is
 * in a dialog of its own, destroyed when answered; the keyboard is handed
 * over in a dialog that nothing of the previous person's is left behind,
 * and this assistant's pages show only where the cards go. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-ktc-assistant.h"

struct _IcKtcAssistant {
  IcCeremonyAssistant parent_instance;
};

G_DEFINE_FINAL_TYPE (IcKtcAssistant, ic_ktc_assistant, IC_TYPE_CEREMONY_ASSISTANT)

static void
ic_ktc_assistant_start (IcCeremonyAssistant *self, WfDesk *desk, WfInteraction *interaction,
                        GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  wf_ktc_create_async (desk, interaction, cancellable, callback, user_data);
}

static gboolean
ic_ktc_assistant_finish (IcCeremonyAssistant *self, WfDesk *desk, GAsyncResult *result,
                         GError **error)
{
  g_autoptr (WfCardMade) made = wf_ktc_create_finish (desk, result, error);

  if (made == NULL)
    return FALSE;
  ic_ceremony_assistant_add_made (self, made);
  ic_ceremony_assistant_set_outcome (
      self, _ ("The key transport card is made"),
      _ ("Its keys were read back through the card's own encryption and it was recorded. Each "
         "of the three writes down both check values below."));
  return TRUE;
}

static char *
ic_ktc_assistant_describe_stop (IcCeremonyAssistant *self, const GError *error, gboolean written)
{
  if (written)
    return g_strdup (_ ("The card in R2 may be half-made or made but not recorded: wash it "
                        "(Ceremonies, Wash a card, with the master control card in R1) and start "
                        "again. The three custodians then type their parts anew."));
  return g_strdup (_ ("Nothing was written to the card in R2: it is still blank. Everything "
                      "typed so far was wiped; start again with all three custodians."));
}

static void
ic_ktc_assistant_class_init (IcKtcAssistantClass *klass)
{
  IcCeremonyAssistantClass *ceremony_class = IC_CEREMONY_ASSISTANT_CLASS (klass);

  ceremony_class->start = ic_ktc_assistant_start;
  ceremony_class->finish = ic_ktc_assistant_finish;
  ceremony_class->describe_stop = ic_ktc_assistant_describe_stop;
}

static void
ic_ktc_assistant_init (IcKtcAssistant *self)
{
  gtk_window_set_title (GTK_WINDOW (self), _ ("Make the key transport card"));
  ic_ceremony_assistant_set_intro (
      IC_CEREMONY_ASSISTANT (self),
      _ ("Leader I, leader II and the system administrator. Each types alone while the others "
         "look away."),
      _ ("The master control card and its PIN, a blank CPU card, and each person's paper: leader "
         "I code 1, leader II code 2 (16 digits each), the system administrator PSUB and DSUB "
         "(16 hexadecimal digits each), with their check values. Each chooses a PIN of 2 to 8 "
         "digits."),
      _ ("The system administrator puts the master control card into R1 and types its PIN, then "
         "a blank card into R2. Leader I types code 1 twice, compares its check value, and sets "
         "PIN 1; a window then asks for leader II, who does the same with code 2 and PIN 2; then "
         "the system administrator types PSUB, DSUB and PIN 3. insucard writes the card, reads "
         "the keys back and shows their check values."));
}

GtkWidget *
ic_ktc_assistant_new (GtkWindow *parent, WfDesk *desk)
{
  return g_object_new (IC_TYPE_KTC_ASSISTANT, "transient-for", parent, "desk", desk, NULL);
}
