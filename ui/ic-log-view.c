/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-log-view.c: the audit log as a list of any length (ic-log-view.h).
 *
 * The scroll bar's adjustment counts rows: its value is the first row on
 * the screen, its page the rows that fit.  Moving it moves the model's
 * window; the tree view never scrolls itself. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-log-view.h"

struct _IcLogView {
  GtkBox parent_instance;

  GtkScrolledWindow *scrolled;
  GtkTreeView *tree_view;
  GtkTreeSelection *selection;
  GtkTreeViewColumn *seq_column;
  GtkCellRenderer *seq_renderer;
  GtkAdjustment *adjustment;

  IcLogModel *model;
  gint64 page_rows; /* rows that fit */
  gint64 selected; /* reader index, or -1 */
  double scroll_rest; /* smooth scrolling below a row */
  gboolean updating; /* selection changes of our own */
};

G_DEFINE_TYPE (IcLogView, ic_log_view, GTK_TYPE_BOX)

enum { SIGNAL_SELECTION_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static gint64
n_rows (IcLogView *self)
{
  return self->model != NULL ? ic_log_model_get_n_rows (self->model) : 0;
}

static gint64
first_row (IcLogView *self)
{
  return (gint64) (gtk_adjustment_get_value (self->adjustment) + 0.5);
}

/* Rows per wheel click: the page's rows to the power 2/3, as GTK scrolls. */
static double
wheel_step (IcLogView *self)
{
  gint64 square = self->page_rows * self->page_rows, step = 1;

  while ((step + 1) * (step + 1) * (step + 1) <= square)
    step++;
  return (double) step;
}

/* The selection shows self->selected when it is on the screen. */
static void
show_selected (IcLogView *self)
{
  gint64 rel = self->selected - first_row (self);
  GtkTreeModel *model = GTK_TREE_MODEL (self->model);

  self->updating = TRUE;
  if (self->model != NULL && self->selected >= 0 && rel >= 0
      && rel < gtk_tree_model_iter_n_children (model, NULL))
    {
      g_autoptr (GtkTreePath) path = gtk_tree_path_new_from_indices ((gint) rel, -1);

      gtk_tree_view_set_cursor (self->tree_view, path, NULL, FALSE);
      gtk_tree_selection_select_path (self->selection, path);
    }
  else
    gtk_tree_selection_unselect_all (self->selection);
  self->updating = FALSE;
}

static void
update_window (IcLogView *self)
{
  GtkAdjustment *inner = gtk_scrolled_window_get_vadjustment (self->scrolled);

  if (self->model == NULL)
    return;
  /* Rows leaving the window move the tree view's cursor: not a choice. */
  self->updating = TRUE;
  ic_log_model_set_window (self->model, first_row (self), self->page_rows);
  self->updating = FALSE;
  /* The tree view has no more rows than fit: it must not scroll itself. */
  gtk_adjustment_set_value (inner, gtk_adjustment_get_lower (inner));
  show_selected (self);
}

/* The scroll bar's range follows the rows and the space. */
static void
update_range (IcLogView *self)
{
  gint64 n = n_rows (self);
  double page = (double) MIN (self->page_rows, MAX (n, 1));
  double value = CLAMP (gtk_adjustment_get_value (self->adjustment), 0, MAX (n - page, 0));

  gtk_adjustment_configure (self->adjustment, value, 0, (double) MAX (n, 1), 1, MAX (page - 1, 1),
                            page);
  update_window (self);
}

static void
adjustment_value_changed_cb (GtkAdjustment *adjustment, IcLogView *self)
{
  update_window (self);
}

/* The height of a row: the tree view's own once it laid one out. */
static int
row_height (IcLogView *self)
{
  GdkRectangle area = { 0 };
  int height = 0, separator = 0;

  if (self->model != NULL && gtk_tree_model_iter_n_children (GTK_TREE_MODEL (self->model), NULL))
    {
      g_autoptr (GtkTreePath) path = gtk_tree_path_new_first ();

      gtk_tree_view_get_background_area (self->tree_view, path, NULL, &area);
      if (area.height > 0)
        return area.height;
    }
  gtk_cell_renderer_get_preferred_height (self->seq_renderer, GTK_WIDGET (self->tree_view), NULL,
                                          &height);
  gtk_widget_style_get (GTK_WIDGET (self->tree_view), "vertical-separator", &separator, NULL);
  return MAX (height + separator, 1);
}

static void
size_allocate_cb (GtkWidget *widget, GdkRectangle *allocation, IcLogView *self)
{
  GdkRectangle visible;
  gint64 rows;

  gint64 first = first_row (self);

  gtk_tree_view_get_visible_rect (self->tree_view, &visible);
  rows = MAX (visible.height / row_height (self), 1);
  if (rows == self->page_rows)
    return;
  /* The selected row stays on the screen when the list gets shorter. */
  if (self->selected >= first && self->selected < first + self->page_rows
      && self->selected >= first + rows)
    gtk_adjustment_set_value (self->adjustment, (double) (self->selected - rows + 1));
  self->page_rows = rows;
  update_range (self);
}

/* Moves by delta rows (the wheel). */
static void
move_by (IcLogView *self, double delta)
{
  gtk_adjustment_set_value (self->adjustment, gtk_adjustment_get_value (self->adjustment) + delta);
}

static gboolean
scroll_cb (GtkWidget *widget, GdkEventScroll *event, IcLogView *self)
{
  double step = wheel_step (self);
  double dx = 0, dy = 0, whole;

  switch (event->direction)
    {
    case GDK_SCROLL_UP:
      move_by (self, -step);
      return TRUE;
    case GDK_SCROLL_DOWN:
      move_by (self, step);
      return TRUE;
    case GDK_SCROLL_SMOOTH:
      gdk_event_get_scroll_deltas ((GdkEvent *) event, &dx, &dy);
      if (dy == 0)
        return FALSE; /* sideways: the tree view's own */
      self->scroll_rest += dy * step;
      whole = (double) (gint64) self->scroll_rest;
      move_by (self, whole);
      self->scroll_rest -= whole;
      return TRUE;
    default:
      return FALSE;
    }
}

void
ic_log_view_select (IcLogView *self, gint64 index)
{
  gint64 n, first;

  g_return_if_fail (IC_IS_LOG_VIEW (self));

  n = n_rows (self);
  if (index >= n)
    index = n - 1;
  self->selected = index < 0 ? -1 : index;
  if (self->selected >= 0)
    {
      first = first_row (self);
      if (self->selected < first)
        gtk_adjustment_set_value (self->adjustment, (double) self->selected);
      else if (self->selected >= first + self->page_rows)
        gtk_adjustment_set_value (self->adjustment,
                                  (double) (self->selected - self->page_rows + 1));
    }
  show_selected (self);
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

/* The keys that move through the list move through the whole log. */
static gboolean
key_press_cb (GtkWidget *widget, GdkEventKey *event, IcLogView *self)
{
  GdkModifierType mods = event->state & gtk_accelerator_get_default_mod_mask ();
  gint64 from = self->selected >= 0 ? self->selected : first_row (self) - 1;
  gint64 page = MAX (self->page_rows - 1, 1);
  gint64 to;

  if (mods != 0 && mods != GDK_CONTROL_MASK)
    return FALSE;
  switch (event->keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      to = MAX (from - 1, 0);
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      to = from + 1;
      break;
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      to = MAX (from - page, 0);
      break;
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      to = from + page;
      break;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      to = 0;
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      to = n_rows (self) - 1;
      break;
    default:
      return FALSE;
    }
  if (n_rows (self) > 0)
    ic_log_view_select (self, to);
  return TRUE;
}

static void
selection_changed_cb (GtkTreeSelection *selection, IcLogView *self)
{
  GtkTreeModel *model = NULL;
  GtkTreeIter iter;
  g_autoptr (GtkTreePath) path = NULL;

  /* Rows leaving the window take the selection along: not a choice. */
  if (self->updating || !gtk_tree_selection_get_selected (selection, &model, &iter))
    return;
  path = gtk_tree_model_get_path (model, &iter);
  self->selected = ic_log_model_get_index (self->model, path);
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

static void
seq_data_func (GtkTreeViewColumn *column, GtkCellRenderer *cell, GtkTreeModel *model,
               GtkTreeIter *iter, gpointer data)
{
  gint64 seq = 0;
  int weight = PANGO_WEIGHT_NORMAL;
  g_autofree char *text = NULL;

  gtk_tree_model_get (model, iter, IC_LOG_COLUMN_SEQ, &seq, IC_LOG_COLUMN_WEIGHT, &weight, -1);
  text = seq > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, seq) : g_strdup ("");
  g_object_set (cell, "text", text, "weight", weight, NULL);
}

static void
reader_reset_cb (WfLogReader *reader, IcLogView *self)
{
  self->selected = -1;
  gtk_adjustment_set_value (self->adjustment, 0);
  update_range (self);
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

static void
reader_counted_cb (WfLogReader *reader, gint64 n, IcLogView *self)
{
  update_range (self);
}

static void
reader_rows_loaded_cb (WfLogReader *reader, gint64 first, gint64 n, IcLogView *self)
{
  /* Before the count, the rows known so far make the range. */
  if (wf_log_reader_get_n_rows (reader) < 0)
    update_range (self);
  else
    show_selected (self);
  if (self->selected >= first && self->selected < first + n)
    g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

void
ic_log_view_set_reader (IcLogView *self, WfLogReader *reader)
{
  g_return_if_fail (IC_IS_LOG_VIEW (self));

  if (self->model != NULL)
    {
      g_signal_handlers_disconnect_by_data (ic_log_model_get_reader (self->model), self);
      gtk_tree_view_set_model (self->tree_view, NULL);
      g_clear_object (&self->model);
    }
  self->selected = -1;
  if (reader != NULL)
    {
      self->model = ic_log_model_new (reader);
      g_signal_connect (reader, "reset", G_CALLBACK (reader_reset_cb), self);
      g_signal_connect (reader, "counted", G_CALLBACK (reader_counted_cb), self);
      g_signal_connect (reader, "rows-loaded", G_CALLBACK (reader_rows_loaded_cb), self);
      gtk_tree_view_set_model (self->tree_view, GTK_TREE_MODEL (self->model));
    }
  gtk_adjustment_set_value (self->adjustment, 0);
  update_range (self);
  g_signal_emit (self, signals[SIGNAL_SELECTION_CHANGED], 0);
}

IcLogModel *
ic_log_view_get_model (IcLogView *self)
{
  g_return_val_if_fail (IC_IS_LOG_VIEW (self), NULL);
  return self->model;
}

GtkTreeView *
ic_log_view_get_tree_view (IcLogView *self)
{
  g_return_val_if_fail (IC_IS_LOG_VIEW (self), NULL);
  return self->tree_view;
}

GtkAdjustment *
ic_log_view_get_adjustment (IcLogView *self)
{
  g_return_val_if_fail (IC_IS_LOG_VIEW (self), NULL);
  return self->adjustment;
}

gint64
ic_log_view_get_page_rows (IcLogView *self)
{
  g_return_val_if_fail (IC_IS_LOG_VIEW (self), 0);
  return self->page_rows;
}

gint64
ic_log_view_get_selected (IcLogView *self)
{
  g_return_val_if_fail (IC_IS_LOG_VIEW (self), -1);
  return self->selected;
}

const DbAuditRow *
ic_log_view_get_selected_row (IcLogView *self)
{
  g_return_val_if_fail (IC_IS_LOG_VIEW (self), NULL);
  if (self->model == NULL || self->selected < 0)
    return NULL;
  return wf_log_reader_get_row (ic_log_model_get_reader (self->model), self->selected);
}

static void
ic_log_view_dispose (GObject *object)
{
  IcLogView *self = IC_LOG_VIEW (object);

  if (self->model != NULL)
    {
      g_signal_handlers_disconnect_by_data (ic_log_model_get_reader (self->model), self);
      g_clear_object (&self->model);
    }
  G_OBJECT_CLASS (ic_log_view_parent_class)->dispose (object);
}

static void
ic_log_view_class_init (IcLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ic_log_view_dispose;
  signals[SIGNAL_SELECTION_CHANGED] =
      g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                    NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IcLogView, scrolled);
  gtk_widget_class_bind_template_child (widget_class, IcLogView, tree_view);
  gtk_widget_class_bind_template_child (widget_class, IcLogView, selection);
  gtk_widget_class_bind_template_child (widget_class, IcLogView, seq_column);
  gtk_widget_class_bind_template_child (widget_class, IcLogView, seq_renderer);
  gtk_widget_class_bind_template_child (widget_class, IcLogView, adjustment);
  gtk_widget_class_bind_template_callback (widget_class, adjustment_value_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, key_press_cb);
  gtk_widget_class_bind_template_callback (widget_class, scroll_cb);
  gtk_widget_class_bind_template_callback (widget_class, size_allocate_cb);
  gtk_widget_class_bind_template_callback (widget_class, selection_changed_cb);
}

static void
ic_log_view_init (IcLogView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->selected = -1;
  self->page_rows = 1;
  gtk_tree_view_column_set_cell_data_func (self->seq_column, self->seq_renderer, seq_data_func,
                                           NULL, NULL);
}

GtkWidget *
ic_log_view_new (void)
{
  return g_object_new (IC_TYPE_LOG_VIEW, NULL);
}
