/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-readers-bar.c: the readers bar (ic-readers-bar.h). */
#include "config.h"

#include <glib/gi18n.h>

#include "cl-error.h"
#include "cl-kind.h"
#include "ic-readers-bar.h"
#include "wf-report.h"

struct _IcReadersBar {
  GtkBox parent_instance;

  ClContext *context;
  GtkLabel *labels[2];
  GtkImage *icons[2];
  char *texts[2];
  GCancellable *probe; /* the probe running, if any */
  gboolean again; /* an event came while probing */
};

G_DEFINE_TYPE (IcReadersBar, ic_readers_bar, GTK_TYPE_BOX)

typedef struct {
  char *texts[2];
  gboolean ok[2];
} Probe;

static void
probe_free (Probe *p)
{
  g_free (p->texts[0]);
  g_free (p->texts[1]);
  g_free (p);
}

/* One reader, as a sentence: in the worker thread. */
static char *
describe (ClContext *context, ClReaderRole role, gboolean *ok, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *reader = cl_context_resolve_reader (context, role, cancellable, &error);
  g_autoptr (ClCard) card = NULL;
  const char *hint;
  ClCardInfo info;
  char sn[17] = "";

  *ok = FALSE;
  if (reader != NULL)
    card = wf_report_probe (context, reader, &info, &error);
  if (card == NULL)
    {
      if (g_error_matches (error, CL_ERROR, CL_ERROR_NO_CARD))
        {
          *ok = TRUE;
          return g_strdup (_ ("empty"));
        }
      if (g_error_matches (error, CL_ERROR, CL_ERROR_SHARING_VIOLATION))
        {
          *ok = TRUE;
          return g_strdup (_ ("card in use (logged in, or a task is working on it)"));
        }
      hint = wf_error_hint (error);
      return hint != NULL ? g_strdup_printf ("%s %s", error->message, hint)
                          : g_strdup (error->message);
    }
  *ok = TRUE;
  if (info.has_serial)
    for (guint i = 0; i < 8; i++)
      g_snprintf (sn + 2 * i, 3, "%02X", info.serial[i]);
  return sn[0] != '\0' ? g_strdup_printf ("%s, %s", cl_card_kind_describe (info.kind), sn)
                       : g_strdup (cl_card_kind_describe (info.kind));
}

/* The task's own reference to the context (data), never the bar's: the
 * window may go, and the bar's dispose drop its context, while a probe
 * still looks at the readers. */
static void
probe_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ClContext *context = data;
  Probe *p = g_new0 (Probe, 1);

  for (guint r = 0; r < 2; r++)
    p->texts[r] = describe (context, r, &p->ok[r], cancellable);
  g_task_return_pointer (task, p, (GDestroyNotify) probe_free);
}

static void
probe_done (GObject *source, GAsyncResult *result, gpointer data)
{
  IcReadersBar *self = IC_READERS_BAR (source);
  g_autoptr (GError) error = NULL;
  Probe *p = g_task_propagate_pointer (G_TASK (result), &error);
  static const char *const names[2] = { N_ ("R1 (key reader)"), N_ ("R2 (user reader)") };

  g_clear_object (&self->probe);
  if (p == NULL)
    return;
  for (guint r = 0; r < 2; r++)
    {
      g_autofree char *text = g_strdup_printf ("%s: %s", _ (names[r]), p->texts[r]);

      g_free (self->texts[r]);
      self->texts[r] = g_strdup (p->texts[r]);
      gtk_label_set_text (self->labels[r], text);
      gtk_image_set_from_icon_name (self->icons[r],
                                    p->ok[r] ? "media-flash-symbolic" : "dialog-warning-symbolic",
                                    GTK_ICON_SIZE_BUTTON);
      /* A screen reader reads the reader as one item: its name and state. */
      atk_object_set_name (
          gtk_widget_get_accessible (gtk_widget_get_parent (GTK_WIDGET (self->labels[r]))), text);
      atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->icons[r])),
                           p->ok[r] ? _ ("ready") : _ ("needs attention"));
    }
  probe_free (p);
  if (self->again)
    ic_readers_bar_refresh (self);
}

void
ic_readers_bar_refresh (IcReadersBar *self)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (IC_IS_READERS_BAR (self));

  if (self->context == NULL) /* disposed */
    return;
  if (self->probe != NULL)
    {
      self->again = TRUE;
      return;
    }
  self->again = FALSE;
  self->probe = g_cancellable_new ();
  task = g_task_new (self, self->probe, probe_done, NULL);
  g_task_set_task_data (task, g_object_ref (self->context), g_object_unref);
  g_task_run_in_thread (task, probe_thread);
}

const char *
ic_readers_bar_get_text (IcReadersBar *self, ClReaderRole role)
{
  g_return_val_if_fail (IC_IS_READERS_BAR (self), NULL);
  return self->texts[role];
}

static void
event_cb (ClContext *context, const char *reader, IcReadersBar *self)
{
  ic_readers_bar_refresh (self);
}

static void
service_cb (ClContext *context, IcReadersBar *self)
{
  ic_readers_bar_refresh (self);
}

static void
ic_readers_bar_dispose (GObject *object)
{
  IcReadersBar *self = IC_READERS_BAR (object);

  if (self->probe != NULL)
    g_cancellable_cancel (self->probe);
  g_clear_object (&self->probe);
  g_clear_object (&self->context);
  g_clear_pointer (&self->texts[0], g_free);
  g_clear_pointer (&self->texts[1], g_free);
  G_OBJECT_CLASS (ic_readers_bar_parent_class)->dispose (object);
}

static void
ic_readers_bar_class_init (IcReadersBarClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ic_readers_bar_dispose;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "readersbar");
}

static void
ic_readers_bar_init (IcReadersBar *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 24);
  gtk_container_set_border_width (GTK_CONTAINER (self), 6);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), _ ("Readers"));
  for (guint r = 0; r < 2; r++)
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

      self->icons[r] = GTK_IMAGE (gtk_image_new ());
      self->labels[r] =
          GTK_LABEL (gtk_label_new (r == 0 ? _ ("R1 (key reader): …") : _ ("R2 (user reader): …")));
      gtk_label_set_ellipsize (self->labels[r], PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (self->labels[r], 0);
      gtk_container_add (GTK_CONTAINER (box), GTK_WIDGET (self->icons[r]));
      gtk_container_add (GTK_CONTAINER (box), GTK_WIDGET (self->labels[r]));
      gtk_widget_set_hexpand (box, TRUE);
      atk_object_set_name (gtk_widget_get_accessible (box), gtk_label_get_text (self->labels[r]));
      gtk_container_add (GTK_CONTAINER (self), box);
      gtk_widget_show_all (box);
    }
}

IcReadersBar *
ic_readers_bar_new (ClContext *context)
{
  IcReadersBar *self = g_object_new (IC_TYPE_READERS_BAR, NULL);

  self->context = g_object_ref (context);
  g_signal_connect_object (context, "card-inserted", G_CALLBACK (event_cb), self, 0);
  g_signal_connect_object (context, "card-removed", G_CALLBACK (event_cb), self, 0);
  g_signal_connect_object (context, "reader-added", G_CALLBACK (event_cb), self, 0);
  g_signal_connect_object (context, "reader-removed", G_CALLBACK (event_cb), self, 0);
  g_signal_connect_object (context, "service-lost", G_CALLBACK (service_cb), self, 0);
  g_signal_connect_object (context, "service-restored", G_CALLBACK (service_cb), self, 0);
  ic_readers_bar_refresh (self);
  return self;
}
