/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-log-model.c: a window on the audit log for a GtkTreeView
 * (ic-log-model.h).  Iters carry the row's place in the window. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "ic-log-model.h"

struct _IcLogModel {
  GObject parent_instance;

  WfLogReader *reader;
  gint64 first;
  gint64 size;
  gint shown; /* rows the view has now */
  gint64 known; /* rows known to exist while the count is not */
  gint stamp;
};

static void ic_log_model_tree_model_init (GtkTreeModelIface *iface);

G_DEFINE_TYPE_WITH_CODE (IcLogModel, ic_log_model, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (GTK_TYPE_TREE_MODEL, ic_log_model_tree_model_init))

/* -- texts --------------------------------------------------------------------------------- */

char *
ic_log_format_time (const char *iso)
{
  g_autoptr (GDateTime) t = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr (GDateTime) local = t != NULL ? g_date_time_to_local (t) : NULL;

  /* A row whose time is not a time was changed outside insucard: as it is. */
  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup (iso);
}

char *
ic_log_format_subject (const DbAuditRow *row)
{
  GString *s = g_string_new (NULL);
  const char *parts[] = { row->card_number, row->card_sn, row->holder_id };

  for (gsize i = 0; i < G_N_ELEMENTS (parts); i++)
    if (parts[i] != NULL && *parts[i] != '\0')
      g_string_append_printf (s, "%s%s", s->len > 0 ? " · " : "", parts[i]);
  return g_string_free (s, FALSE);
}

char *
ic_log_format_outcome (const DbAuditRow *row)
{
  const char *label;

  switch (db_outcome_from_string (row->outcome))
    {
    case DB_OUTCOME_OK:
      label = _ ("OK");
      break;
    case DB_OUTCOME_REFUSED:
      label = _ ("Refused");
      break;
    case DB_OUTCOME_FAILED:
      label = _ ("Failed");
      break;
    default:
      label = row->outcome;
    }
  if (row->error_code != NULL && *row->error_code != '\0')
    return g_strdup_printf ("%s (%s)", label, row->error_code);
  return g_strdup (label);
}

const char *
ic_log_format_action (const DbAuditRow *row)
{
  DbAction action = db_action_from_string (row->action);

  return action != DB_ACTION_ANY ? db_action_get_label (action) : row->action;
}

char *
ic_log_format_count (gint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n < 0 ? -n : n);
  GString *s = g_string_new (n < 0 ? "-" : "");
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

gboolean
ic_log_parse_day (const char *text, GDateTime **day)
{
  int y, m, d;
  char end;

  *day = NULL;
  while (*text == ' ')
    text++;
  if (*text == '\0')
    return TRUE;
  if (sscanf (text, "%4d-%2d-%2d %c", &y, &m, &d, &end) != 3 || y < 1900
      || !g_date_valid_dmy (d, m, y))
    return FALSE;
  *day = g_date_time_new_local (y, m, d, 0, 0, 0);
  return *day != NULL;
}

/* -- the window ---------------------------------------------------------------------------- */

gint64
ic_log_model_get_n_rows (IcLogModel *self)
{
  gint64 n;

  g_return_val_if_fail (IC_IS_LOG_MODEL (self), 0);
  n = wf_log_reader_get_n_rows (self->reader);
  return n >= 0 ? n : self->known;
}

/* Tells the view how the window's rows changed: all of them may show
 * other rows now; some came or went at the end. */
static void
sync_window (IcLogModel *self)
{
  gint64 n = ic_log_model_get_n_rows (self);
  gint want = (gint) CLAMP (n - self->first, 0, self->size);
  gint common = MIN (want, self->shown);
  GtkTreeIter iter = { self->stamp };

  for (gint i = 0; i < common; i++)
    {
      g_autoptr (GtkTreePath) path = gtk_tree_path_new_from_indices (i, -1);

      iter.user_data = GINT_TO_POINTER (i);
      gtk_tree_model_row_changed (GTK_TREE_MODEL (self), path, &iter);
    }
  for (gint i = self->shown; i < want; i++)
    {
      g_autoptr (GtkTreePath) path = gtk_tree_path_new_from_indices (i, -1);

      self->shown = i + 1;
      iter.user_data = GINT_TO_POINTER (i);
      gtk_tree_model_row_inserted (GTK_TREE_MODEL (self), path, &iter);
    }
  while (self->shown > want)
    {
      g_autoptr (GtkTreePath) path = gtk_tree_path_new_from_indices (self->shown - 1, -1);

      self->shown--;
      gtk_tree_model_row_deleted (GTK_TREE_MODEL (self), path);
    }
  wf_log_reader_set_visible (self->reader, self->first, want);
}

void
ic_log_model_set_window (IcLogModel *self, gint64 first, gint64 size)
{
  g_return_if_fail (IC_IS_LOG_MODEL (self));

  first = MAX (first, 0);
  size = MAX (size, 0);
  if (first == self->first && size == self->size)
    return;
  self->first = first;
  self->size = size;
  sync_window (self);
}

gint64
ic_log_model_get_first (IcLogModel *self)
{
  g_return_val_if_fail (IC_IS_LOG_MODEL (self), 0);
  return self->first;
}

gint64
ic_log_model_get_index (IcLogModel *self, GtkTreePath *path)
{
  g_return_val_if_fail (IC_IS_LOG_MODEL (self), -1);
  g_return_val_if_fail (path != NULL && gtk_tree_path_get_depth (path) == 1, -1);
  return self->first + gtk_tree_path_get_indices (path)[0];
}

WfLogReader *
ic_log_model_get_reader (IcLogModel *self)
{
  g_return_val_if_fail (IC_IS_LOG_MODEL (self), NULL);
  return self->reader;
}

static void
reset_cb (WfLogReader *reader, IcLogModel *self)
{
  self->known = 0;
  sync_window (self);
}

static void
counted_cb (WfLogReader *reader, gint64 n, IcLogModel *self)
{
  sync_window (self);
}

static void
rows_loaded_cb (WfLogReader *reader, gint64 first, gint64 n, IcLogModel *self)
{
  gint64 known = MAX (self->known, first + n);

  /* Rows that arrive in the window: their texts changed. */
  if (known != self->known && wf_log_reader_get_n_rows (reader) < 0)
    {
      self->known = known;
      sync_window (self);
      return;
    }
  self->known = known;
  for (gint64 i = MAX (first, self->first); i < MIN (first + n, self->first + self->shown); i++)
    {
      g_autoptr (GtkTreePath) path = gtk_tree_path_new_from_indices ((gint) (i - self->first), -1);
      GtkTreeIter iter = { self->stamp, GINT_TO_POINTER ((gint) (i - self->first)) };

      gtk_tree_model_row_changed (GTK_TREE_MODEL (self), path, &iter);
    }
}

/* -- GtkTreeModel -------------------------------------------------------------------------- */

static GtkTreeModelFlags
get_flags (GtkTreeModel *model)
{
  return GTK_TREE_MODEL_LIST_ONLY;
}

static gint
get_n_columns (GtkTreeModel *model)
{
  return IC_LOG_N_COLUMNS;
}

static GType
get_column_type (GtkTreeModel *model, gint column)
{
  switch (column)
    {
    case IC_LOG_COLUMN_SEQ:
      return G_TYPE_INT64;
    case IC_LOG_COLUMN_WEIGHT:
      return G_TYPE_INT;
    default:
      return G_TYPE_STRING;
    }
}

static gboolean
make_iter (IcLogModel *self, GtkTreeIter *iter, gint i)
{
  if (i < 0 || i >= self->shown)
    return FALSE;
  iter->stamp = self->stamp;
  iter->user_data = GINT_TO_POINTER (i);
  return TRUE;
}

static gboolean
get_iter (GtkTreeModel *model, GtkTreeIter *iter, GtkTreePath *path)
{
  if (gtk_tree_path_get_depth (path) != 1)
    return FALSE;
  return make_iter (IC_LOG_MODEL (model), iter, gtk_tree_path_get_indices (path)[0]);
}

static GtkTreePath *
get_path (GtkTreeModel *model, GtkTreeIter *iter)
{
  return gtk_tree_path_new_from_indices (GPOINTER_TO_INT (iter->user_data), -1);
}

static void
get_value (GtkTreeModel *model, GtkTreeIter *iter, gint column, GValue *value)
{
  IcLogModel *self = IC_LOG_MODEL (model);
  gint64 index = self->first + GPOINTER_TO_INT (iter->user_data);
  const DbAuditRow *row = wf_log_reader_get_row (self->reader, index);

  g_value_init (value, get_column_type (model, column));
  if (row == NULL)
    {
      /* Its page is on the way. */
      if (column == IC_LOG_COLUMN_SEQ)
        g_value_set_int64 (value, 0);
      else if (column == IC_LOG_COLUMN_WEIGHT)
        g_value_set_int (value, PANGO_WEIGHT_NORMAL);
      else if (column == IC_LOG_COLUMN_TIME)
        g_value_set_string (value, "…");
      return;
    }
  switch (column)
    {
    case IC_LOG_COLUMN_SEQ:
      g_value_set_int64 (value, row->seq);
      break;
    case IC_LOG_COLUMN_TIME:
      g_value_take_string (value, ic_log_format_time (row->at));
      break;
    case IC_LOG_COLUMN_WORKSTATION:
      g_value_set_string (value, row->workstation);
      break;
    case IC_LOG_COLUMN_OPERATOR:
      g_value_set_string (value,
                          *row->operator_name != '\0' ? row->operator_name : row->operator_serial);
      break;
    case IC_LOG_COLUMN_ACTION:
      g_value_set_string (value, ic_log_format_action (row));
      break;
    case IC_LOG_COLUMN_SUBJECT:
      g_value_take_string (value, ic_log_format_subject (row));
      break;
    case IC_LOG_COLUMN_OUTCOME:
      g_value_take_string (value, ic_log_format_outcome (row));
      break;
    case IC_LOG_COLUMN_DETAIL:
      g_value_set_string (value, row->detail);
      break;
    case IC_LOG_COLUMN_WEIGHT:
      g_value_set_int (value, db_outcome_from_string (row->outcome) == DB_OUTCOME_OK
                                  ? PANGO_WEIGHT_NORMAL
                                  : PANGO_WEIGHT_BOLD);
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
iter_next (GtkTreeModel *model, GtkTreeIter *iter)
{
  return make_iter (IC_LOG_MODEL (model), iter, GPOINTER_TO_INT (iter->user_data) + 1);
}

static gboolean
iter_previous (GtkTreeModel *model, GtkTreeIter *iter)
{
  return make_iter (IC_LOG_MODEL (model), iter, GPOINTER_TO_INT (iter->user_data) - 1);
}

static gboolean
iter_children (GtkTreeModel *model, GtkTreeIter *iter, GtkTreeIter *parent)
{
  return parent == NULL && make_iter (IC_LOG_MODEL (model), iter, 0);
}

static gboolean
iter_has_child (GtkTreeModel *model, GtkTreeIter *iter)
{
  return FALSE;
}

static gint
iter_n_children (GtkTreeModel *model, GtkTreeIter *iter)
{
  return iter == NULL ? IC_LOG_MODEL (model)->shown : 0;
}

static gboolean
iter_nth_child (GtkTreeModel *model, GtkTreeIter *iter, GtkTreeIter *parent, gint n)
{
  return parent == NULL && make_iter (IC_LOG_MODEL (model), iter, n);
}

static gboolean
iter_parent (GtkTreeModel *model, GtkTreeIter *iter, GtkTreeIter *child)
{
  return FALSE;
}

static void
ic_log_model_tree_model_init (GtkTreeModelIface *iface)
{
  iface->get_flags = get_flags;
  iface->get_n_columns = get_n_columns;
  iface->get_column_type = get_column_type;
  iface->get_iter = get_iter;
  iface->get_path = get_path;
  iface->get_value = get_value;
  iface->iter_next = iter_next;
  iface->iter_previous = iter_previous;
  iface->iter_children = iter_children;
  iface->iter_has_child = iter_has_child;
  iface->iter_n_children = iter_n_children;
  iface->iter_nth_child = iter_nth_child;
  iface->iter_parent = iter_parent;
}

/* -- GObject ------------------------------------------------------------------------------- */

static void
ic_log_model_dispose (GObject *object)
{
  IcLogModel *self = IC_LOG_MODEL (object);

  if (self->reader != NULL)
    g_signal_handlers_disconnect_by_data (self->reader, self);
  g_clear_object (&self->reader);
  G_OBJECT_CLASS (ic_log_model_parent_class)->dispose (object);
}

static void
ic_log_model_class_init (IcLogModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ic_log_model_dispose;
}

static void
ic_log_model_init (IcLogModel *self)
{
  self->stamp = g_random_int ();
}

IcLogModel *
ic_log_model_new (WfLogReader *reader)
{
  IcLogModel *self;

  g_return_val_if_fail (WF_IS_LOG_READER (reader), NULL);

  self = g_object_new (IC_TYPE_LOG_MODEL, NULL);
  self->reader = g_object_ref (reader);
  g_signal_connect (reader, "reset", G_CALLBACK (reset_cb), self);
  g_signal_connect (reader, "counted", G_CALLBACK (counted_cb), self);
  g_signal_connect (reader, "rows-loaded", G_CALLBACK (rows_loaded_cb), self);
  return self;
}
