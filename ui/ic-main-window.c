/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-main-window.c: the main window: a training banner and the desk. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-main-window.h"

struct _IcMainWindow {
  GtkApplicationWindow parent_instance;

  GtkRevealer *training_revealer;
  GtkLabel *status_label;

  gboolean training;
};

G_DEFINE_TYPE (IcMainWindow, ic_main_window, GTK_TYPE_APPLICATION_WINDOW)

enum { PROP_0, PROP_TRAINING, N_PROPS };

static GParamSpec *props[N_PROPS];

static void
ic_main_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  IcMainWindow *self = IC_MAIN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TRAINING:
      self->training = g_value_get_boolean (value);
      gtk_revealer_set_reveal_child (self->training_revealer, self->training);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ic_main_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  IcMainWindow *self = IC_MAIN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_TRAINING:
      g_value_set_boolean (value, self->training);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ic_main_window_class_init (IcMainWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->set_property = ic_main_window_set_property;
  object_class->get_property = ic_main_window_get_property;

  props[PROP_TRAINING] =
      g_param_spec_boolean ("training", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-main-window.ui");
  gtk_widget_class_bind_template_child (widget_class, IcMainWindow, training_revealer);
  gtk_widget_class_bind_template_child (widget_class, IcMainWindow, status_label);
}

static void
ic_main_window_init (IcMainWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

IcMainWindow *
ic_main_window_new (GtkApplication *app, gboolean training)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (app), NULL);

  return g_object_new (IC_TYPE_MAIN_WINDOW, "application", app, "training", training, NULL);
}

gboolean
ic_main_window_get_training (IcMainWindow *self)
{
  g_return_val_if_fail (IC_IS_MAIN_WINDOW (self), FALSE);
  return self->training;
}
