/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-ceremony-assistant.h: what every ceremony and maintenance wizard
 * shares: an intro page (who must be present, what to have ready, what
 * happens), the subclass's own pages, a page that runs the workflow task,
 * and a summary that says what state each card is in.
 *
 * The task runs with the _async form of its workflow function and the
 * assistant's own GTK interaction (dialogs transient for the assistant;
 * card waits answered by the desk's reader events), so the wizard stays
 * responsive and its Cancel button (and Escape) cancel the task at any
 * card wait; a secret or confirmation dialog has its own Cancel.  Nothing
 * a person typed, nor a check value they confirmed, is kept on the
 * assistant's pages: the dialogs are destroyed after each entry, and the
 * running page shows only which card goes where and the step. */
#pragma once

#include <gtk/gtk.h>

#include "wf-ceremonies.h"
#include "wf-desk.h"

G_BEGIN_DECLS

#define IC_TYPE_CEREMONY_ASSISTANT (ic_ceremony_assistant_get_type ())
G_DECLARE_DERIVABLE_TYPE (IcCeremonyAssistant, ic_ceremony_assistant, IC, CEREMONY_ASSISTANT,
                          GtkAssistant)

struct _IcCeremonyAssistantClass {
  GtkAssistantClass parent_class;

  /* Starts the task: the workflow function's _async form. */
  void (*start) (IcCeremonyAssistant *self, WfDesk *desk, WfInteraction *interaction,
                 GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data);
  /* Its _finish: records the cards made (ic_ceremony_assistant_add_made())
   * and the outcome; FALSE with the error that stopped it. */
  gboolean (*finish) (IcCeremonyAssistant *self, WfDesk *desk, GAsyncResult *result,
                      GError **error);
  /* After an error or Cancel: what state the cards are in and what to do,
   * one or two sentences (translated; NULL: nothing to say).  written:
   * the task had begun writing a card since the last one it finished. */
  char *(*describe_stop) (IcCeremonyAssistant *self, const GError *error, gboolean written);
};

WfDesk *ic_ceremony_assistant_get_desk (IcCeremonyAssistant *self);

/* The intro page, in three short paragraphs. */
void ic_ceremony_assistant_set_intro (IcCeremonyAssistant *self, const char *who, const char *ready,
                                      const char *steps);
/* A page of the subclass, after the intro and before the task runs. */
void ic_ceremony_assistant_add_page (IcCeremonyAssistant *self, GtkWidget *page, const char *title,
                                     gboolean complete);

/* A card made: listed while the task runs and on the summary with its
 * check values, as made and recorded. */
void ic_ceremony_assistant_add_made (IcCeremonyAssistant *self, const WfCardMade *made);
/* The same with another state (translated): "Washed back to a blank card." */
void ic_ceremony_assistant_add_card (IcCeremonyAssistant *self, const WfCardMade *made,
                                     const char *state);

/* The assistant's GTK interaction, for a subclass's own tasks (such as
 * reading the card in R2 before the real task). */
WfInteraction *ic_ceremony_assistant_get_interaction (IcCeremonyAssistant *self);
/* The summary's headline and a sentence under it (for tasks that make no
 * card: a PIN unblocked, a card checked). */
void ic_ceremony_assistant_set_outcome (IcCeremonyAssistant *self, const char *title,
                                        const char *text);

/* "08 D7 B4", as the KCV dialogs show it (from "08D7B4"). */
char *ic_ceremony_format_kcv (const char *kcv);
/* A time of the registry or the log (ISO 8601, UTC) in the desk's local
 * time, "2026-12-01 17:45:29"; the text itself if it is not one. */
char *ic_ceremony_format_time (const char *iso);

G_END_DECLS
