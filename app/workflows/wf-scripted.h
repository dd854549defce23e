/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-scripted.h: an interaction that answers from a script and records
 * every question, for tests and for stocking the training deck with real
 * ceremonies from documented demo inputs.
 *
 * Secrets come from "name=value" entries, one queue per name (a value is
 * hex or digits, as the question wants; a double entry takes it once).
 * Confirmations are answered yes unless "name=no" was scripted for them,
 * except the last-try interlock, which needs "last-try=yes", and questions
 * of fact (WF_CONFIRM_CHOICE), which need "name=yes" or "name=no".  Card requests
 * call the card handler, which puts the card in place (a test inserts a
 * simulated card into the deck) and returns TRUE, or FALSE to give up. */
#pragma once

#include "wf-interaction.h"

G_BEGIN_DECLS

#define WF_TYPE_SCRIPTED (wf_scripted_get_type ())
G_DECLARE_FINAL_TYPE (WfScripted, wf_scripted, WF, SCRIPTED, WfInteraction)

/* Called in the interaction's main context for each card request. */
typedef gboolean (*WfScriptedCardFunc) (WfScripted *self, const WfQuestion *question,
                                        gpointer user_data);

WfScripted *wf_scripted_new (void);

/* Appends "name=value" entries (NULL-terminated). */
void wf_scripted_add (WfScripted *self, const char *first_entry, ...) G_GNUC_NULL_TERMINATED;
void wf_scripted_set_card_func (WfScripted *self, WfScriptedCardFunc func, gpointer user_data,
                                GDestroyNotify destroy);
/* Cancels `cancellable` when question number n (from 1) is asked, before
 * it is answered: a person pressing Cancel at that prompt. */
void wf_scripted_cancel_at (WfScripted *self, guint n, GCancellable *cancellable);

/* Every question asked so far, as "kind:name" ("secret:mk",
 * "confirm:kcv-mk", "card:blank-cpu", "hand-over:hand-over",
 * "notice:notice"). */
GPtrArray *wf_scripted_get_asked (WfScripted *self);
/* The text of the last question with that name, or NULL. */
const char *wf_scripted_get_text (WfScripted *self, const char *name);
/* Secrets scripted but never asked for. */
guint wf_scripted_count_unused (WfScripted *self);

G_END_DECLS
