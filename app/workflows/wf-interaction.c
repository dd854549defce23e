/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-interaction.c: marshalling questions from worker threads to the
 * interaction's main context (wf-interaction.h), as GTlsInteraction does. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "wf-error.h"
#include "wf-interaction.h"

typedef struct {
  GMainContext *context;
} WfInteractionPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (WfInteraction, wf_interaction, G_TYPE_OBJECT)

ClKey *
wf_question_parse_secret (const WfQuestion *q, const char *text, GError **error)
{
  gsize n = strlen (text);

  g_return_val_if_fail (q != NULL && q->kind == WF_QUESTION_SECRET, NULL);

  if (n < q->min_len || n > q->max_len)
    {
      if (q->min_len == q->max_len)
        g_set_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                     _ ("%s: %zu characters were typed; exactly %u are needed."), q->title, n,
                     q->min_len);
      else
        g_set_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                     _ ("%s: %zu characters were typed; %u to %u are needed."), q->title, n,
                     q->min_len, q->max_len);
      return NULL;
    }
  for (gsize i = 0; i < n; i++)
    if (q->format == WF_SECRET_HEX ? !g_ascii_isxdigit (text[i]) : !g_ascii_isdigit (text[i]))
      {
        g_set_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                     q->format == WF_SECRET_HEX
                         ? _ ("%s: only the hexadecimal digits 0-9 and A-F are allowed.")
                         : _ ("%s: only digits are allowed."),
                     q->title);
        return NULL;
      }
  if (q->format == WF_SECRET_HEX)
    {
      if (n % 2 != 0)
        {
          g_set_error (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                       _ ("%s: an even number of hexadecimal digits is needed."), q->title);
          return NULL;
        }
      return cl_key_new_from_hex (text, n / 2, error);
    }
  return cl_key_new_from_data ((const guint8 *) text, n);
}

WfAnswer *
wf_answer_new (gboolean yes, ClKey *secret)
{
  WfAnswer *answer = g_new0 (WfAnswer, 1);

  answer->yes = yes;
  answer->secret = secret;
  return answer;
}

void
wf_answer_free (WfAnswer *answer)
{
  if (answer == NULL)
    return;
  g_clear_pointer (&answer->secret, cl_key_free);
  g_free (answer);
}

static void
wf_interaction_finalize (GObject *object)
{
  WfInteractionPrivate *priv = wf_interaction_get_instance_private (WF_INTERACTION (object));

  g_main_context_unref (priv->context);
  G_OBJECT_CLASS (wf_interaction_parent_class)->finalize (object);
}

static void
wf_interaction_class_init (WfInteractionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wf_interaction_finalize;
}

static void
wf_interaction_init (WfInteraction *self)
{
  WfInteractionPrivate *priv = wf_interaction_get_instance_private (self);

  priv->context = g_main_context_ref_thread_default ();
}

GMainContext *
wf_interaction_get_context (WfInteraction *self)
{
  WfInteractionPrivate *priv = wf_interaction_get_instance_private (self);

  g_return_val_if_fail (WF_IS_INTERACTION (self), NULL);
  return priv->context;
}

/* -- invoking from another thread ------------------------------------------------------- */

typedef struct {
  WfInteraction *self;
  const WfQuestion *question;
  GCancellable *cancellable;
  GMutex lock;
  GCond cond;
  gboolean complete; /* under lock */
  WfAnswer *answer;
  GError *error;
} Invocation;

/* Shared by the asking thread and the main context: reference-counted, so
 * neither frees it under the other. */
static void
invocation_clear (gpointer data)
{
  Invocation *inv = data;

  g_mutex_clear (&inv->lock);
  g_cond_clear (&inv->cond);
  g_clear_pointer (&inv->answer, wf_answer_free);
  g_clear_error (&inv->error);
  g_clear_object (&inv->cancellable);
  g_object_unref (inv->self);
}

static void
invocation_unref (Invocation *inv)
{
  g_atomic_rc_box_release_full (inv, invocation_clear);
}

static void
on_ask_ready (GObject *source, GAsyncResult *result, gpointer data)
{
  Invocation *inv = data;
  WfInteractionClass *klass = WF_INTERACTION_GET_CLASS (inv->self);
  GError *error = NULL;
  WfAnswer *answer = klass->ask_finish (inv->self, result, &error);

  g_mutex_lock (&inv->lock);
  inv->answer = answer;
  inv->error = error;
  inv->complete = TRUE;
  g_cond_signal (&inv->cond);
  g_mutex_unlock (&inv->lock);
  invocation_unref (inv);
}

static gboolean
start_ask (gpointer data)
{
  Invocation *inv = data;

  WF_INTERACTION_GET_CLASS (inv->self)->ask (inv->self, inv->question, inv->cancellable,
                                             on_ask_ready, inv);
  return G_SOURCE_REMOVE;
}

WfAnswer *
wf_interaction_invoke (WfInteraction *self, const WfQuestion *question, GCancellable *cancellable,
                       GError **error)
{
  WfInteractionPrivate *priv;
  Invocation *inv;
  WfAnswer *answer;
  gboolean complete;

  g_return_val_if_fail (WF_IS_INTERACTION (self), NULL);
  g_return_val_if_fail (question != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (WF_INTERACTION_GET_CLASS (self)->ask == NULL)
    {
      g_set_error (error, WF_ERROR, WF_ERROR_NO_ANSWER, _ ("Nobody can answer “%s” here."),
                   question->title);
      return NULL;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  priv = wf_interaction_get_instance_private (self);
  inv = g_atomic_rc_box_new0 (Invocation);
  inv->self = g_object_ref (self);
  inv->question = question; /* lives until we return, and we wait */
  inv->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_mutex_init (&inv->lock);
  g_cond_init (&inv->cond);
  g_main_context_invoke (priv->context, start_ask, g_atomic_rc_box_acquire (inv));
  /* Called from the main context's own thread, or nobody runs that context
   * (a CLI task run synchronously): run it here until answered, as a
   * modal dialog would.  Otherwise its loop answers, and we wait. */
  if (g_main_context_acquire (priv->context))
    {
      for (;;)
        {
          g_mutex_lock (&inv->lock);
          complete = inv->complete;
          g_mutex_unlock (&inv->lock);
          if (complete)
            break;
          g_main_context_iteration (priv->context, TRUE);
        }
      g_main_context_release (priv->context);
    }
  else
    {
      g_mutex_lock (&inv->lock);
      while (!inv->complete)
        g_cond_wait (&inv->cond, &inv->lock);
      g_mutex_unlock (&inv->lock);
    }

  answer = g_steal_pointer (&inv->answer);
  if (inv->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&inv->error));
      g_clear_pointer (&answer, wf_answer_free);
    }
  else if (answer == NULL)
    g_set_error (error, WF_ERROR, WF_ERROR_NO_ANSWER, _ ("No answer to “%s”."), question->title);
  invocation_unref (inv);
  return answer;
}

/* -- typed forms ----------------------------------------------------------------------------- */

ClKey *
wf_interaction_ask_secret (WfInteraction *self, const WfQuestion *question,
                           GCancellable *cancellable, GError **error)
{
  g_autoptr (WfAnswer) answer = NULL;

  g_return_val_if_fail (question != NULL && question->kind == WF_QUESTION_SECRET, NULL);

  answer = wf_interaction_invoke (self, question, cancellable, error);
  if (answer == NULL)
    return NULL;
  if (answer->secret == NULL)
    {
      g_set_error (error, WF_ERROR, WF_ERROR_NO_ANSWER, _ ("No answer to “%s”."), question->title);
      return NULL;
    }
  return g_steal_pointer (&answer->secret);
}

static gboolean
ask_yes (WfInteraction *self, const WfQuestion *question, GCancellable *cancellable, GError **error)
{
  g_autoptr (WfAnswer) answer = wf_interaction_invoke (self, question, cancellable, error);

  if (answer == NULL)
    return FALSE;
  if (!answer->yes)
    {
      g_set_error (error, WF_ERROR, WF_ERROR_DECLINED,
                   _ ("“%s” was answered no; nothing was changed."), question->title);
      return FALSE;
    }
  return TRUE;
}

gboolean
wf_interaction_confirm (WfInteraction *self, const WfQuestion *question, GCancellable *cancellable,
                        GError **error)
{
  g_return_val_if_fail (question != NULL && question->kind == WF_QUESTION_CONFIRM, FALSE);
  return ask_yes (self, question, cancellable, error);
}

gboolean
wf_interaction_choose (WfInteraction *self, const WfQuestion *question, gboolean *yes,
                       GCancellable *cancellable, GError **error)
{
  g_autoptr (WfAnswer) answer = NULL;

  g_return_val_if_fail (question != NULL && question->kind == WF_QUESTION_CONFIRM
                            && question->confirm == WF_CONFIRM_CHOICE,
                        FALSE);
  answer = wf_interaction_invoke (self, question, cancellable, error);
  if (answer == NULL)
    return FALSE;
  *yes = answer->yes;
  return TRUE;
}

gboolean
wf_interaction_request_card (WfInteraction *self, const WfQuestion *question,
                             GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (question != NULL && question->kind == WF_QUESTION_CARD, FALSE);
  return ask_yes (self, question, cancellable, error);
}

gboolean
wf_interaction_hand_over (WfInteraction *self, const char *to_whom, GCancellable *cancellable,
                          GError **error)
{
  g_autofree char *text = g_strdup_printf (_ ("Pass the keyboard to %s."), to_whom);
  const WfQuestion q = {
    .kind = WF_QUESTION_HAND_OVER,
    .name = "hand-over",
    .title = _ ("Next person"),
    .text = text,
  };

  return ask_yes (self, &q, cancellable, error);
}

gboolean
wf_interaction_notice (WfInteraction *self, const char *title, const char *text,
                       GCancellable *cancellable, GError **error)
{
  const WfQuestion q = {
    .kind = WF_QUESTION_NOTICE, .name = "notice", .title = title, .text = text
  };
  g_autoptr (WfAnswer) answer = wf_interaction_invoke (self, &q, cancellable, error);

  return answer != NULL;
}

typedef struct {
  WfInteraction *self;
  double fraction;
  char *step;
} Progress;

static gboolean
run_progress (gpointer data)
{
  Progress *p = data;

  WF_INTERACTION_GET_CLASS (p->self)->progress (p->self, p->fraction, p->step);
  g_object_unref (p->self);
  g_free (p->step);
  g_free (p);
  return G_SOURCE_REMOVE;
}

void
wf_interaction_progress (WfInteraction *self, double fraction, const char *step)
{
  Progress *p;

  g_return_if_fail (WF_IS_INTERACTION (self));

  if (WF_INTERACTION_GET_CLASS (self)->progress == NULL)
    return;
  p = g_new0 (Progress, 1);
  p->self = g_object_ref (self);
  p->fraction = fraction;
  p->step = g_strdup (step);
  g_main_context_invoke (wf_interaction_get_context (self), run_progress, p);
}
