/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wf-desk.c: one workstation (wf-desk.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "db-error.h"
#include "wf-desk.h"
#include "wf-error.h"
#include "wf-session.h"

#define TRANSPORT_KEY_LEN 16

struct _WfDesk {
  GObject parent_instance;

  ClContext *context;
  char *db_path;
  char *workstation;
  DbMode mode;
  GMutex lock; /* transport key, session */
  ClKey *transport_key;
  WfSession *session;
};

G_DEFINE_TYPE (WfDesk, wf_desk, G_TYPE_OBJECT)

static void
wf_desk_finalize (GObject *object)
{
  WfDesk *self = WF_DESK (object);

  g_clear_object (&self->session);
  g_clear_object (&self->context);
  g_clear_pointer (&self->transport_key, cl_key_free);
  g_free (self->db_path);
  g_free (self->workstation);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (wf_desk_parent_class)->finalize (object);
}

static void
wf_desk_class_init (WfDeskClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wf_desk_finalize;
}

static void
wf_desk_init (WfDesk *self)
{
  g_mutex_init (&self->lock);
  self->transport_key = cl_key_new (TRANSPORT_KEY_LEN);
  memset (cl_key_get_data_mutable (self->transport_key), 0xFF, TRANSPORT_KEY_LEN);
}

WfDesk *
wf_desk_new (ClContext *context, const char *db_path, const char *workstation, GError **error)
{
  g_autoptr (WfDesk) self = NULL;
  g_autoptr (DbDatabase) db = NULL;
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (CL_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (workstation == NULL || *workstation == '\0')
    {
      g_set_error_literal (error, WF_ERROR, WF_ERROR_INVALID_INPUT,
                           _ ("This desk has no workstation name. Set one in the settings."));
      return NULL;
    }
  self = g_object_new (WF_TYPE_DESK, NULL);
  self->context = g_object_ref (context);
  self->db_path = g_strdup (db_path);
  self->workstation = g_strdup (workstation);
  /* Simulated readers are training, whatever else is configured. */
  self->mode = cl_context_get_backend (context) == CL_READER_BACKEND_SIM ? DB_MODE_TRAINING
                                                                         : DB_MODE_PRODUCTION;
  db = db_database_open (db_path, self->mode, DB_OPEN_CREATE, &local);
  if (db == NULL)
    {
      if (g_error_matches (local, DB_ERROR, DB_ERROR_MODE))
        g_set_error (error, WF_ERROR, WF_ERROR_REFUSED, "%s %s", local->message,
                     self->mode == DB_MODE_TRAINING
                         ? _ ("Simulated card readers (training) never use a real desk's "
                              "database: choose the training database, or real readers.")
                         : _ ("Real card readers never use a training database: choose the "
                              "desk's database."));
      else
        g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&self);
}

ClContext *
wf_desk_get_context (WfDesk *self)
{
  g_return_val_if_fail (WF_IS_DESK (self), NULL);
  return self->context;
}

const char *
wf_desk_get_workstation (WfDesk *self)
{
  g_return_val_if_fail (WF_IS_DESK (self), NULL);
  return self->workstation;
}

const char *
wf_desk_get_db_path (WfDesk *self)
{
  g_return_val_if_fail (WF_IS_DESK (self), NULL);
  return self->db_path;
}

DbMode
wf_desk_get_mode (WfDesk *self)
{
  g_return_val_if_fail (WF_IS_DESK (self), DB_MODE_ANY);
  return self->mode;
}

DbDatabase *
wf_desk_open_db (WfDesk *self, GError **error)
{
  g_return_val_if_fail (WF_IS_DESK (self), NULL);
  return db_database_open (self->db_path, self->mode, DB_OPEN_DEFAULT, error);
}

void
wf_desk_set_transport_key (WfDesk *self, const ClKey *key)
{
  g_return_if_fail (WF_IS_DESK (self));
  g_return_if_fail (key != NULL);

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->transport_key, cl_key_free);
  self->transport_key = cl_key_dup (key);
  g_mutex_unlock (&self->lock);
}

ClKey *
wf_desk_dup_transport_key (WfDesk *self)
{
  ClKey *key;

  g_return_val_if_fail (WF_IS_DESK (self), NULL);

  g_mutex_lock (&self->lock);
  key = cl_key_dup (self->transport_key);
  g_mutex_unlock (&self->lock);
  return key;
}

WfSession *
wf_desk_dup_session (WfDesk *self)
{
  WfSession *session;

  g_return_val_if_fail (WF_IS_DESK (self), NULL);

  g_mutex_lock (&self->lock);
  session = self->session != NULL ? g_object_ref (self->session) : NULL;
  g_mutex_unlock (&self->lock);
  return session;
}

void
wf_desk_set_session (WfDesk *self, WfSession *session)
{
  g_return_if_fail (WF_IS_DESK (self));

  g_mutex_lock (&self->lock);
  g_set_object (&self->session, session);
  g_mutex_unlock (&self->lock);
}

void
wf_desk_get_anonymous_actor (WfDesk *self, DbActor *actor)
{
  g_return_if_fail (WF_IS_DESK (self));
  g_return_if_fail (actor != NULL);

  actor->workstation = self->workstation;
  actor->operator_serial = "";
  actor->operator_name = "";
  actor->role = "";
}
