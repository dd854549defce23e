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
  gboolean in_use[2]; /* the reader's card was held by another connection */
  guint recheck; /* the look again at the readers in use, if due */
};

G_DEFINE_TYPE (IcReadersBar, ic_readers_bar, GTK_TYPE_BOX)

typedef struct {
  ClContext *context;
  gboolean look[2]; /* the readers to look at */
  char *texts[2];
  gboolean ok[2];
  gboolean in_use[2];
} Probe;

static void
probe_free (Probe *p)
{
  g_clear_object (&p->context);
  g_free (p->texts[0]);
  g_free (p->texts[1]);
  g_free (p);
}

/* One reader, as a sentence: in the worker thread. */
static char *
describe (ClContext *context, ClReaderRole role, gboolean *ok, gboolean *in_use,
          GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *reader = cl_context_resolve_reader (context, role, cancellable, &error);
  g_autoptr (ClCard) card = NULL;
  const char *hint;
  ClCardInfo info;
  char sn[17] = "";

  *ok = FALSE;
  *in_use = FALSE;
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
          *in_use = TRUE;
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
  return sn[0] != '\0' ? g_strdup_printf (C_ ("card kind, serial", "%s, %s"),
                                          cl_card_kind_describe (info.kind), sn)
                       : g_strdup (cl_card_kind_describe (info.kind));
}

/* With the probe's own reference to the context, never the bar's: the
 * window may go, and the bar's dispose drop its context, while a probe
 * still looks at the readers. */
static void
probe_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Probe *p = g_task_get_task_data (task);

  for (guint r = 0; r < 2; r++)
    if (p->look[r])
      p->texts[r] = describe (p->context, r, &p->ok[r], &p->in_use[r], cancellable);
  g_task_return_boolean (task, TRUE);
}

static void probe_start (IcReadersBar *self, const gboolean look[2]);

/* No reader event tells that a connection let go of a card: while one
 * was held, the bar looks at that reader again every second. */
static gboolean
recheck_cb (gpointer data)
{
  IcReadersBar *self = data;

  self->recheck = 0;
  if (self->probe == NULL)
    probe_start (self, self->in_use);
  return G_SOURCE_REMOVE;
}

static void
probe_done (GObject *source, GAsyncResult *result, gpointer data)
{
  IcReadersBar *self = IC_READERS_BAR (source);
  g_autoptr (GError) error = NULL;
  Probe *p = g_task_get_task_data (G_TASK (result));
  static const char *const names[2] = { N_ ("R1 (key reader)"), N_ ("R2 (user reader)") };

  g_clear_object (&self->probe);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    return; /* disposed */
  for (guint r = 0; r < 2; r++)
    {
      g_autofree char *text = NULL;

      if (!p->look[r])
        continue;
      text = g_strdup_printf ("%s: %s", _ (names[r]), p->texts[r]);
      self->in_use[r] = p->in_use[r];
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
  if (self->again)
    ic_readers_bar_refresh (self);
  else if ((self->in_use[0] || self->in_use[1]) && self->recheck == 0)
    self->recheck = g_timeout_add (1000, recheck_cb, self);
}

static void
probe_start (IcReadersBar *self, const gboolean look[2])
{
  g_autoptr (GTask) task = NULL;
  Probe *p = g_new0 (Probe, 1);

  self->again = FALSE;
  self->probe = g_cancellable_new ();
  p->context = g_object_ref (self->context);
  p->look[0] = look[0];
  p->look[1] = look[1];
  task = g_task_new (self, self->probe, probe_done, NULL);
  g_task_set_task_data (task, p, (GDestroyNotify) probe_free);
  g_task_run_in_thread (task, probe_thread);
}

void
ic_readers_bar_refresh (IcReadersBar *self)
{
  static const gboolean both[2] = { TRUE, TRUE };

  g_return_if_fail (IC_IS_READERS_BAR (self));

  if (self->context == NULL) /* disposed */
    return;
  if (self->probe != NULL)
    {
      self->again = TRUE;
      return;
    }
  probe_start (self, both);
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
  g_clear_handle_id (&self->recheck, g_source_remove);
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
  g_signal_connect_object (context, "watch-started", G_CALLBACK (service_cb), self, 0);
  ic_readers_bar_refresh (self);
  return self;
}
