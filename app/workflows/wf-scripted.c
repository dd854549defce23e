/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-scripted.c: the scripted interaction (wf-scripted.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "cl-codec.h"
#include "wf-error.h"
#include "wf-scripted.h"

struct _WfScripted {
  WfInteraction parent_instance;

  GHashTable *entries; /* name -> GQueue of char* values */
  GPtrArray *asked; /* "kind:name" */
  GHashTable *texts; /* name -> last text */
  WfScriptedCardFunc card_func;
  gpointer card_data;
  GDestroyNotify card_destroy;
  guint cancel_at;
  GCancellable *cancel;
};

G_DEFINE_TYPE (WfScripted, wf_scripted, WF_TYPE_INTERACTION)

static const char *const kind_names[] = { "secret", "confirm", "card", "hand-over", "notice" };

static void
free_queue (gpointer data)
{
  GQueue *q = data;
  char *v;

  while ((v = g_queue_pop_head (q)) != NULL)
    {
      memset (v, 0, strlen (v));
      g_free (v);
    }
  g_queue_free (q);
}

static char *
take_entry (WfScripted *self, const char *name)
{
  GQueue *q = g_hash_table_lookup (self->entries, name);

  return q != NULL ? g_queue_pop_head (q) : NULL;
}

static WfAnswer *
answer (WfScripted *self, const WfQuestion *q, GError **error)
{
  g_autofree char *value = take_entry (self, q->name);
  ClKey *secret;

  switch (q->kind)
    {
    case WF_QUESTION_SECRET:
      if (value == NULL)
        {
          g_set_error (error, WF_ERROR, WF_ERROR_NO_ANSWER, _ ("No scripted answer for “%s”."),
                       q->name);
          return NULL;
        }
      secret = wf_question_parse_secret (q, value, error);
      memset (value, 0, strlen (value));
      return secret != NULL ? wf_answer_new (TRUE, secret) : NULL;
    case WF_QUESTION_CONFIRM:
      if (q->confirm == WF_CONFIRM_LAST_TRY)
        return wf_answer_new (g_strcmp0 (value, "yes") == 0, NULL);
      if (q->confirm == WF_CONFIRM_CHOICE)
        {
          if (g_strcmp0 (value, "yes") != 0 && g_strcmp0 (value, "no") != 0)
            {
              g_set_error (error, WF_ERROR, WF_ERROR_NO_ANSWER,
                           _ ("No scripted answer for “%s”: script “%s=yes” or “%s=no”."), q->name,
                           q->name, q->name);
              return NULL;
            }
          return wf_answer_new (strcmp (value, "yes") == 0, NULL);
        }
      return wf_answer_new (g_strcmp0 (value, "no") != 0, NULL);
    case WF_QUESTION_CARD:
      if (self->card_func == NULL || !self->card_func (self, q, self->card_data))
        {
          g_set_error (error, WF_ERROR, WF_ERROR_TIMEOUT, _ ("No card came into the reader."));
          return NULL;
        }
      return wf_answer_new (TRUE, NULL);
    case WF_QUESTION_HAND_OVER:
    case WF_QUESTION_NOTICE:
    default:
      return wf_answer_new (g_strcmp0 (value, "no") != 0, NULL);
    }
}

static void
wf_scripted_ask (WfInteraction *interaction, const WfQuestion *q, GCancellable *cancellable,
                 GAsyncReadyCallback callback, gpointer user_data)
{
  WfScripted *self = WF_SCRIPTED (interaction);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;
  WfAnswer *a;

  g_ptr_array_add (self->asked, g_strdup_printf ("%s:%s", kind_names[q->kind], q->name));
  g_hash_table_insert (self->texts, g_strdup (q->name), g_strdup (q->text));
  if (self->cancel != NULL && self->asked->len == self->cancel_at)
    g_cancellable_cancel (self->cancel);
  if (g_task_return_error_if_cancelled (task))
    return;
  a = answer (self, q, &error);
  if (a != NULL)
    g_task_return_pointer (task, a, (GDestroyNotify) wf_answer_free);
  else
    g_task_return_error (task, error);
}

static WfAnswer *
wf_scripted_ask_finish (WfInteraction *interaction, GAsyncResult *result, GError **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
wf_scripted_finalize (GObject *object)
{
  WfScripted *self = WF_SCRIPTED (object);

  if (self->card_destroy != NULL)
    self->card_destroy (self->card_data);
  g_hash_table_unref (self->entries);
  g_hash_table_unref (self->texts);
  g_ptr_array_unref (self->asked);
  g_clear_object (&self->cancel);
  G_OBJECT_CLASS (wf_scripted_parent_class)->finalize (object);
}

static void
wf_scripted_class_init (WfScriptedClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wf_scripted_finalize;
  WF_INTERACTION_CLASS (klass)->ask = wf_scripted_ask;
  WF_INTERACTION_CLASS (klass)->ask_finish = wf_scripted_ask_finish;
}

static void
wf_scripted_init (WfScripted *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_queue);
  self->texts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->asked = g_ptr_array_new_with_free_func (g_free);
}

WfScripted *
wf_scripted_new (void)
{
  return g_object_new (WF_TYPE_SCRIPTED, NULL);
}

void
wf_scripted_add (WfScripted *self, const char *first_entry, ...)
{
  va_list ap;

  g_return_if_fail (WF_IS_SCRIPTED (self));

  va_start (ap, first_entry);
  for (const char *e = first_entry; e != NULL; e = va_arg (ap, const char *))
    {
      const char *eq = strchr (e, '=');
      g_autofree char *name = NULL;
      GQueue *q;

      g_return_if_fail (eq != NULL);
      name = g_strndup (e, eq - e);
      q = g_hash_table_lookup (self->entries, name);
      if (q == NULL)
        {
          q = g_queue_new ();
          g_hash_table_insert (self->entries, g_strdup (name), q);
        }
      g_queue_push_tail (q, g_strdup (eq + 1));
    }
  va_end (ap);
}

void
wf_scripted_set_card_func (WfScripted *self, WfScriptedCardFunc func, gpointer user_data,
                           GDestroyNotify destroy)
{
  g_return_if_fail (WF_IS_SCRIPTED (self));

  if (self->card_destroy != NULL)
    self->card_destroy (self->card_data);
  self->card_func = func;
  self->card_data = user_data;
  self->card_destroy = destroy;
}

void
wf_scripted_cancel_at (WfScripted *self, guint n, GCancellable *cancellable)
{
  g_return_if_fail (WF_IS_SCRIPTED (self));

  g_set_object (&self->cancel, cancellable);
  self->cancel_at = n;
}

GPtrArray *
wf_scripted_get_asked (WfScripted *self)
{
  g_return_val_if_fail (WF_IS_SCRIPTED (self), NULL);
  return self->asked;
}

const char *
wf_scripted_get_text (WfScripted *self, const char *name)
{
  g_return_val_if_fail (WF_IS_SCRIPTED (self), NULL);
  return g_hash_table_lookup (self->texts, name);
}

guint
wf_scripted_count_unused (WfScripted *self)
{
  GHashTableIter iter;
  GQueue *q;
  guint n = 0;

  g_return_val_if_fail (WF_IS_SCRIPTED (self), 0);

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &q))
    n += g_queue_get_length (q);
  return n;
}
