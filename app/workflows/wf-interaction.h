/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-interaction.h: how a task running in a worker thread talks to the
 * person at the desk.
 *
 * Modelled on GIO's GTlsInteraction: a subclass implements ask() (async,
 * in the main context the interaction was made in); a task calls the
 * wf_interaction_* functions from its worker thread, which run ask() in
 * that main context and wait for the answer.  Called from the thread that
 * owns the main context, or while no loop runs it (a CLI running a task
 * synchronously), they iterate the context themselves until the answer
 * comes, as a modal dialog would.
 *
 * Implementations: the terminal (app/cli-interaction.c), a scripted one
 * for tests and for stocking the training deck (wf-scripted.c), and the
 * GTK desk's dialogs and pages.
 */
#pragma once

#include <gio/gio.h>

#include "cl-context.h"
#include "cl-key.h"

G_BEGIN_DECLS

typedef enum {
  WF_QUESTION_SECRET, /* a key, code or PIN; answer: the secret */
  WF_QUESTION_CONFIRM, /* yes or no; no is WF_ERROR_DECLINED */
  WF_QUESTION_CARD, /* a card is needed in a reader; answer: look again */
  WF_QUESTION_HAND_OVER, /* the next person takes the keyboard */
  WF_QUESTION_NOTICE, /* something to read: KCVs, a result */
} WfQuestionKind;

typedef enum {
  WF_SECRET_DIGITS,
  WF_SECRET_HEX,
} WfSecretFormat;

typedef enum {
  WF_CONFIRM_ORDINARY, /* a KCV to compare, a card to go on with */
  WF_CONFIRM_DESTRUCTIVE, /* wash, cancel: name the card, say what is lost */
  WF_CONFIRM_LAST_TRY, /* spend the last try of a PIN or key: never answered by default */
  WF_CONFIRM_CHOICE, /* a question of fact: yes and no both go on, each its own way; never
                        answered by default (a wrong answer costs the card a try) */
} WfConfirmKind;

typedef struct {
  WfQuestionKind kind;
  /* A stable id: the secret names of `--secrets-fd` ("mk", "pin1", …), or
   * what is confirmed ("kcv-mk", "wash", "last-try"), or the card wanted
   * ("mcc", "blank-cpu", …). */
  const char *name;
  const char *title; /* short, translated */
  const char *text; /* the question, the card concerned, the KCV: translated */

  /* WF_QUESTION_SECRET */
  WfSecretFormat format;
  guint min_len, max_len; /* characters typed */
  gboolean twice; /* typed twice, the two must match */

  /* WF_QUESTION_CONFIRM */
  WfConfirmKind confirm;
  gboolean irreversible; /* the text says "this cannot be undone" */
  const char *yes_label; /* the verb of the yes button ("Cancel the card"), or NULL */

  /* WF_QUESTION_CARD */
  ClReaderRole reader;
} WfQuestion;

typedef struct {
  gboolean yes;
  ClKey *secret;
} WfAnswer;

WfAnswer *wf_answer_new (gboolean yes, ClKey *secret); /* takes the secret */

/* What a person typed for a secret question, checked against its format
 * and length (the message names the entry; text is NUL-terminated): hex decoded to bytes, digits
 * kept as ASCII. */
ClKey *wf_question_parse_secret (const WfQuestion *question, const char *text, GError **error);
void wf_answer_free (WfAnswer *answer); /* wipes the secret */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WfAnswer, wf_answer_free)

#define WF_TYPE_INTERACTION (wf_interaction_get_type ())
G_DECLARE_DERIVABLE_TYPE (WfInteraction, wf_interaction, WF, INTERACTION, GObject)

struct _WfInteractionClass {
  GObjectClass parent_class;

  /* Runs in the interaction's main context.  The question stays valid
   * until the callback ran.  A cancelled ask completes with
   * G_IO_ERROR_CANCELLED. */
  void (*ask) (WfInteraction *self, const WfQuestion *question, GCancellable *cancellable,
               GAsyncReadyCallback callback, gpointer user_data);
  WfAnswer *(*ask_finish) (WfInteraction *self, GAsyncResult *result, GError **error);
  /* Optional; runs in the main context, nobody waits for it. */
  void (*progress) (WfInteraction *self, double fraction, const char *step);
};

/* The main context the implementation runs in: the thread-default one when
 * the interaction was made. */
GMainContext *wf_interaction_get_context (WfInteraction *self);

/* From any thread: asks and waits.  NULL with an error when cancelled,
 * unanswerable, or (for a confirmation) answered no. */
WfAnswer *wf_interaction_invoke (WfInteraction *self, const WfQuestion *question,
                                 GCancellable *cancellable, GError **error);

/* Typed forms of wf_interaction_invoke(). */
ClKey *wf_interaction_ask_secret (WfInteraction *self, const WfQuestion *question,
                                  GCancellable *cancellable, GError **error);
/* TRUE for yes; a no is WF_ERROR_DECLINED. */
gboolean wf_interaction_confirm (WfInteraction *self, const WfQuestion *question,
                                 GCancellable *cancellable, GError **error);
/* A question of fact (WF_CONFIRM_CHOICE): TRUE with the answer in *yes,
 * FALSE with an error when there is none. */
gboolean wf_interaction_choose (WfInteraction *self, const WfQuestion *question, gboolean *yes,
                                GCancellable *cancellable, GError **error);
/* TRUE when the task should look at the reader again. */
gboolean wf_interaction_request_card (WfInteraction *self, const WfQuestion *question,
                                      GCancellable *cancellable, GError **error);
gboolean wf_interaction_hand_over (WfInteraction *self, const char *to_whom,
                                   GCancellable *cancellable, GError **error);
gboolean wf_interaction_notice (WfInteraction *self, const char *title, const char *text,
                                GCancellable *cancellable, GError **error);
/* Does not wait. */
void wf_interaction_progress (WfInteraction *self, double fraction, const char *step);

G_END_DECLS
