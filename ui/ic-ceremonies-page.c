/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-ceremonies-page.c: the wizards of the key ceremonies and of the CPU
 * cards' upkeep, one button each (ic-ceremonies-page.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-ceremonies-page.h"
#include "ic-check-assistant.h"
#include "ic-ktc-assistant.h"
#include "ic-ktc-rebuild-assistant.h"
#include "ic-main-window.h"
#include "ic-mcc-assistant.h"
#include "ic-opcard-assistant.h"
#include "ic-pin-change-assistant.h"
#include "ic-pin-unblock-assistant.h"
#include "ic-wash-assistant.h"

typedef GtkWidget *(*AssistantNew) (GtkWindow *parent, WfDesk *desk);

struct _IcCeremoniesPage {
  GtkBox parent_instance;

  GtkWidget *mcc_button;
  GtkWidget *ktc_button;
  GtkWidget *opcard_button;
  GtkWidget *unblock_button;
  GtkWidget *change_button;
  GtkWidget *wash_button;
  GtkWidget *check_button;
  GtkWidget *rebuild_button;

  GtkWidget *assistant; /* weak */
};

G_DEFINE_FINAL_TYPE (IcCeremoniesPage, ic_ceremonies_page, GTK_TYPE_BOX)

GtkWidget *
ic_ceremonies_page_get_assistant (IcCeremoniesPage *self)
{
  g_return_val_if_fail (IC_IS_CEREMONIES_PAGE (self), NULL);
  return self->assistant;
}

static void
start_clicked_cb (GtkButton *button, IcCeremoniesPage *self)
{
  AssistantNew new_assistant = g_object_get_data (G_OBJECT (button), "assistant-new");
  GtkWidget *toplevel = gtk_widget_get_toplevel (GTK_WIDGET (self));
  IcMainWindow *window = IC_IS_MAIN_WINDOW (toplevel) ? IC_MAIN_WINDOW (toplevel) : NULL;
  WfDesk *desk = window != NULL ? ic_main_window_get_desk (window) : NULL;

  /* One wizard at a time: they all use both readers. */
  if (self->assistant != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->assistant));
      return;
    }
  if (desk == NULL)
    {
      if (window != NULL)
        ic_main_window_show_message (
            window, GTK_MESSAGE_ERROR,
            _ ("The readers or the database could not be opened, so no ceremony can run. See "
               "the message above, then restart insucard."));
      return;
    }
  if (ic_main_window_is_busy (window))
    {
      ic_main_window_show_message (window, GTK_MESSAGE_INFO,
                                   _ ("Wait until the task running has finished, then start the "
                                      "ceremony."));
      return;
    }
  ic_main_window_hide_message (window);
  self->assistant = new_assistant (GTK_WINDOW (window), desk);
  g_object_add_weak_pointer (G_OBJECT (self->assistant), (gpointer *) &self->assistant);
  gtk_window_present (GTK_WINDOW (self->assistant));
}

static void
ic_ceremonies_page_dispose (GObject *object)
{
  IcCeremoniesPage *self = IC_CEREMONIES_PAGE (object);

  if (self->assistant != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->assistant), (gpointer *) &self->assistant);
      self->assistant = NULL;
    }
  G_OBJECT_CLASS (ic_ceremonies_page_parent_class)->dispose (object);
}

static void
ic_ceremonies_page_class_init (IcCeremoniesPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ic_ceremonies_page_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-ceremonies-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcCeremoniesPage, name)
  CHILD (mcc_button);
  CHILD (ktc_button);
  CHILD (opcard_button);
  CHILD (unblock_button);
  CHILD (change_button);
  CHILD (wash_button);
  CHILD (check_button);
  CHILD (rebuild_button);
#undef CHILD
}

static void
connect_buttons (IcCeremoniesPage *self)
{
  const struct {
    GtkWidget *button;
    AssistantNew new_assistant;
  } starts[] = {
    { self->mcc_button, ic_mcc_assistant_new },
    { self->ktc_button, ic_ktc_assistant_new },
    { self->opcard_button, ic_opcard_assistant_new },
    { self->unblock_button, ic_pin_unblock_assistant_new },
    { self->change_button, ic_pin_change_assistant_new },
    { self->wash_button, ic_wash_assistant_new },
    { self->check_button, ic_check_assistant_new },
    { self->rebuild_button, ic_ktc_rebuild_assistant_new },
  };

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    {
      g_object_set_data (G_OBJECT (starts[i].button), "assistant-new", starts[i].new_assistant);
      g_signal_connect (starts[i].button, "clicked", G_CALLBACK (start_clicked_cb), self);
    }
}

static void
ic_ceremonies_page_init (IcCeremoniesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  connect_buttons (self);
}

GtkWidget *
ic_ceremonies_page_new (void)
{
  return g_object_new (IC_TYPE_CEREMONIES_PAGE, NULL);
}
