/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-ceremony-assistant.c: what every ceremony wizard shares
 * (ic-ceremony-assistant.h). */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ic-ceremony-assistant.h"
#include "ic-gtk-interaction.h"
#include "ic-main-window.h"
#include "wf-error.h"
#include "wf-report.h"

typedef struct {
  WfDesk *desk;
  IcGtkInteraction *interaction;
  GCancellable *cancellable; /* the running task's */
  gboolean started;
  gboolean running;
  gboolean disposed;
  gboolean written; /* a card is being written since the last one finished */
  char *title; /* the ceremony's, as the subclass set it */
  GPtrArray *made; /* Made, for the summary */
  char *outcome_title;
  char *outcome_text;
  GtkWidget *stop_button;

  GtkWidget *intro_page;
  GtkLabel *intro_who;
  GtkLabel *intro_ready;
  GtkLabel *intro_steps;
  GtkWidget *run_page;
  GtkSpinner *run_spinner;
  GtkLabel *run_instruction;
  GtkProgressBar *run_progress;
  GtkLabel *run_note;
  GtkWidget *made_box;
  GtkListBox *made_list;
  GtkWidget *summary_page;
  GtkLabel *outcome_title_label;
  GtkLabel *outcome_text_label;
  GtkLabel *state_text;
  GtkWidget *summary_box;
  GtkLabel *summary_heading;
  GtkListBox *summary_list;
} IcCeremonyAssistantPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (IcCeremonyAssistant, ic_ceremony_assistant, GTK_TYPE_ASSISTANT)

enum { PROP_0, PROP_DESK, N_PROPS };
static GParamSpec *props[N_PROPS];

/* A card for the summary, and what state it is in. */
typedef struct {
  WfCardMade *made;
  char *state;
} Made;

static void
made_free (Made *m)
{
  wf_card_made_free (m->made);
  g_free (m->state);
  g_free (m);
}

char *
ic_ceremony_format_kcv (const char *kcv)
{
  if (kcv == NULL || strlen (kcv) != 6)
    return g_strdup (kcv != NULL ? kcv : "");
  return g_strdup_printf ("%.2s %.2s %.2s", kcv, kcv + 2, kcv + 4);
}

char *
ic_ceremony_format_time (const char *iso)
{
  g_autoptr (GDateTime) utc = iso != NULL ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup (iso);
}

WfDesk *
ic_ceremony_assistant_get_desk (IcCeremonyAssistant *self)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  return priv->desk;
}

WfInteraction *
ic_ceremony_assistant_get_interaction (IcCeremonyAssistant *self)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  return WF_INTERACTION (priv->interaction);
}

void
ic_ceremony_assistant_set_intro (IcCeremonyAssistant *self, const char *who, const char *ready,
                                 const char *steps)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  gtk_label_set_text (priv->intro_who, who);
  gtk_label_set_text (priv->intro_ready, ready);
  gtk_label_set_text (priv->intro_steps, steps);
}

void
ic_ceremony_assistant_add_page (IcCeremonyAssistant *self, GtkWidget *page, const char *title,
                                gboolean complete)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);
  GtkAssistant *assistant = GTK_ASSISTANT (self);
  int run = -1;

  for (int i = 0; i < gtk_assistant_get_n_pages (assistant); i++)
    if (gtk_assistant_get_nth_page (assistant, i) == priv->run_page)
      run = i;
  gtk_assistant_insert_page (assistant, page, run);
  gtk_assistant_set_page_title (assistant, page, title);
  gtk_assistant_set_page_type (assistant, page, GTK_ASSISTANT_PAGE_CONTENT);
  gtk_assistant_set_page_complete (assistant, page, complete);
}

void
ic_ceremony_assistant_set_outcome (IcCeremonyAssistant *self, const char *title, const char *text)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  g_free (priv->outcome_title);
  g_free (priv->outcome_text);
  priv->outcome_title = g_strdup (title);
  priv->outcome_text = g_strdup (text);
}

/* -- a card made, as a list row --------------------------------------------------------------- */

static void
add_kcv_row (GtkGrid *grid, int row, const char *name, const char *kcv)
{
  g_autofree char *spaced = NULL;
  g_autofree char *named = NULL;
  GtkWidget *label, *value;

  if (kcv == NULL || *kcv == '\0')
    return;
  spaced = ic_ceremony_format_kcv (kcv);
  /* TRANSLATORS: a field's name before its value, e.g. "Holder:". */
  named = g_strdup_printf (_ ("%s:"), name);
  label = gtk_label_new (named);
  value = gtk_label_new (spaced);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (value), "monospace");
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  atk_object_set_name (gtk_widget_get_accessible (value), name);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), value);
  gtk_grid_attach (grid, label, 0, row, 1, 1);
  gtk_grid_attach (grid, value, 1, row, 1, 1);
}

static GtkWidget *
made_row (const Made *m, guint n)
{
  const WfCardMade *made = m->made;
  gboolean mcc = made->kind == CL_CARD_KIND_MCC;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *grid = gtk_grid_new ();
  g_autofree char *title =
      g_strdup_printf (_ ("Card %u: %s %s"), n, cl_card_kind_describe (made->kind), made->serial);
  GtkWidget *title_label = gtk_label_new (title);
  PangoAttrList *bold = pango_attr_list_new ();
  int row = 0;

  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (GTK_LABEL (title_label), bold);
  pango_attr_list_unref (bold);
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_container_set_border_width (GTK_CONTAINER (box), 8);
  gtk_container_add (GTK_CONTAINER (box), title_label);
  if (made->holder_name != NULL && *made->holder_name != '\0')
    {
      g_autofree char *holder = g_strdup_printf (_ ("Holder: %s"), made->holder_name);
      GtkWidget *label = gtk_label_new (holder);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_container_add (GTK_CONTAINER (box), label);
    }
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
  add_kcv_row (GTK_GRID (grid), row++,
               mcc ? _ ("KCV of the master key (MK)") : _ ("KCV of the issuing key (Pkey)"),
               made->kcv1);
  add_kcv_row (GTK_GRID (grid), row++, _ ("KCV of the data key (Dkey)"), made->kcv2);
  add_kcv_row (GTK_GRID (grid), row++, _ ("KCV of the audit key (Akey)"), made->kcv3);
  gtk_container_add (GTK_CONTAINER (box), grid);
  if (m->state != NULL)
    {
      GtkWidget *label = gtk_label_new (m->state);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_line_wrap (GTK_LABEL (label), TRUE);
      gtk_container_add (GTK_CONTAINER (box), label);
    }
  atk_object_set_name (gtk_widget_get_accessible (box), title);
  gtk_widget_show_all (box);
  return box;
}

static gboolean
has_kcv (const WfCardMade *made)
{
  return (made->kcv1 != NULL && *made->kcv1 != '\0') || (made->kcv2 != NULL && *made->kcv2 != '\0')
         || (made->kcv3 != NULL && *made->kcv3 != '\0');
}

static WfCardMade *
card_made_copy (const WfCardMade *made)
{
  WfCardMade *copy = g_new0 (WfCardMade, 1);

  copy->kind = made->kind;
  memcpy (copy->serial, made->serial, sizeof copy->serial);
  copy->holder_name = g_strdup (made->holder_name);
  copy->kcv1 = g_strdup (made->kcv1);
  copy->kcv2 = g_strdup (made->kcv2);
  copy->kcv3 = g_strdup (made->kcv3);
  return copy;
}

void
ic_ceremony_assistant_add_made (IcCeremonyAssistant *self, const WfCardMade *made)
{
  ic_ceremony_assistant_add_card (self, made, _ ("Made and recorded in the CPU-card registry."));
}

void
ic_ceremony_assistant_add_card (IcCeremonyAssistant *self, const WfCardMade *made,
                                const char *state)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);
  Made *m = g_new0 (Made, 1);

  m->made = card_made_copy (made);
  m->state = g_strdup (state);
  g_ptr_array_add (priv->made, m);
  priv->written = FALSE;
  /* The next card's progress starts from nothing. */
  gtk_progress_bar_set_fraction (priv->run_progress, 0);
  gtk_progress_bar_set_show_text (priv->run_progress, FALSE);
  gtk_container_add (GTK_CONTAINER (priv->made_list), made_row (m, priv->made->len));
  gtk_widget_show (priv->made_box);
}

/* -- running the task ----------------------------------------------------------------------- */

/* While a ceremony runs, the window starts no login or logout of its own:
 * both would want R1, where the MCC is. */
static void
set_window_actions (IcCeremonyAssistant *self, gboolean enabled)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  const char *names[] = { "login", "logout" };

  if (parent == NULL || !G_IS_ACTION_MAP (parent))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (parent), names[i]);

      if (G_IS_SIMPLE_ACTION (action))
        g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
    }
}

static int
page_index (GtkAssistant *assistant, GtkWidget *page)
{
  for (int i = 0; i < gtk_assistant_get_n_pages (assistant); i++)
    if (gtk_assistant_get_nth_page (assistant, i) == page)
      return i;
  return -1;
}

static void
show_summary (IcCeremonyAssistant *self, const GError *error)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);
  IcCeremonyAssistantClass *klass = IC_CEREMONY_ASSISTANT_GET_CLASS (self);
  GtkAssistant *assistant = GTK_ASSISTANT (self);
  g_autofree char *state = NULL;
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  gboolean declined = g_error_matches (error, WF_ERROR, WF_ERROR_DECLINED);
  gboolean any_kcv = FALSE;

  if (error == NULL)
    {
      gtk_label_set_text (priv->outcome_title_label,
                          priv->outcome_title != NULL ? priv->outcome_title : _ ("Done"));
      gtk_label_set_text (priv->outcome_text_label, priv->outcome_text);
      gtk_widget_set_visible (GTK_WIDGET (priv->outcome_text_label), priv->outcome_text != NULL);
      gtk_assistant_set_page_title (assistant, priv->summary_page, _ ("Done"));
    }
  else
    {
      const char *hint = wf_error_hint (error);
      g_autofree char *text = hint != NULL ? g_strdup_printf ("%s\n%s", error->message, hint)
                                           : g_strdup (error->message);

      gtk_label_set_text (priv->outcome_title_label, cancelled  ? _ ("Cancelled")
                                                     : declined ? _ ("Stopped at your answer")
                                                                : _ ("The task stopped"));
      gtk_label_set_text (priv->outcome_text_label,
                          cancelled ? _ ("You cancelled the task.") : text);
      gtk_widget_show (GTK_WIDGET (priv->outcome_text_label));
      gtk_assistant_set_page_title (assistant, priv->summary_page,
                                    cancelled ? _ ("Cancelled") : _ ("Stopped"));
      if (klass->describe_stop != NULL)
        state = klass->describe_stop (self, error, priv->written);
    }
  gtk_label_set_text (priv->state_text, state);
  gtk_widget_set_visible (GTK_WIDGET (priv->state_text), state != NULL);

  for (guint i = 0; i < priv->made->len; i++)
    {
      Made *m = priv->made->pdata[i];

      any_kcv |= has_kcv (m->made);
      gtk_container_add (GTK_CONTAINER (priv->summary_list), made_row (m, i + 1));
    }
  gtk_label_set_text (priv->summary_heading,
                      any_kcv ? _ ("Compare each check value with your paper before the card is "
                                   "put away.")
                              : _ ("Cards"));
  gtk_widget_set_visible (priv->summary_box, priv->made->len > 0);

  gtk_assistant_set_page_complete (assistant, priv->run_page, TRUE);
  gtk_assistant_set_current_page (assistant, page_index (assistant, priv->summary_page));
}

static void
task_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (IcCeremonyAssistant) self = user_data;
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);
  g_autoptr (GError) error = NULL;
  gboolean ok;

  ok = IC_CEREMONY_ASSISTANT_GET_CLASS (self)->finish (self, priv->desk, result, &error);
  priv->running = FALSE;
  g_clear_object (&priv->cancellable);
  if (priv->disposed)
    return;
  gtk_spinner_stop (priv->run_spinner);
  gtk_widget_hide (priv->stop_button);
  set_window_actions (self, TRUE);
  if (!ok && error == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, _ ("The task failed."));
  show_summary (self, ok ? NULL : error);
}

static void
start_task (IcCeremonyAssistant *self)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  priv->started = TRUE;
  if (IC_IS_MAIN_WINDOW (parent) && ic_main_window_is_busy (IC_MAIN_WINDOW (parent)))
    {
      g_autoptr (GError) error = g_error_new_literal (
          G_IO_ERROR, G_IO_ERROR_BUSY,
          _ ("The desk is busy with another task. Wait until it has finished, then start "
             "again."));

      show_summary (self, error);
      return;
    }
  priv->running = TRUE;
  priv->cancellable = g_cancellable_new ();
  gtk_spinner_start (priv->run_spinner);
  gtk_widget_show (priv->stop_button);
  gtk_widget_set_sensitive (priv->stop_button, TRUE);
  set_window_actions (self, FALSE);
  IC_CEREMONY_ASSISTANT_GET_CLASS (self)->start (self, priv->desk,
                                                 WF_INTERACTION (priv->interaction),
                                                 priv->cancellable, task_done, g_object_ref (self));
}

static void
stop_task (IcCeremonyAssistant *self)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  if (!priv->running)
    return;
  g_cancellable_cancel (priv->cancellable);
  gtk_widget_set_sensitive (priv->stop_button, FALSE);
  gtk_label_set_text (priv->run_instruction, _ ("Cancelling…"));
}

static void
stop_clicked_cb (GtkButton *button, IcCeremonyAssistant *self)
{
  stop_task (self);
}

/* -- what the interaction tells ---------------------------------------------------------------- */

static void
card_wanted_cb (IcGtkInteraction *ia, const char *title, const char *text,
                IcCeremonyAssistant *self)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  if (!priv->running || g_cancellable_is_cancelled (priv->cancellable))
    return;
  gtk_label_set_text (priv->run_instruction,
                      text != NULL ? text : _ ("Working. Answer the windows that open."));
  /* Every question (a hand-over too) starts afresh: a notice shown for
   * the previous person does not stay for the next. */
  if (text == NULL)
    gtk_label_set_text (priv->run_note, "");
}

static void
progress_cb (IcGtkInteraction *ia, double fraction, const char *step, IcCeremonyAssistant *self)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  /* The cards are written between the first step and the card's record. */
  if (fraction > 0)
    priv->written = TRUE;
  gtk_progress_bar_set_fraction (priv->run_progress, CLAMP (fraction, 0, 1));
  gtk_progress_bar_set_show_text (priv->run_progress, step != NULL);
  gtk_progress_bar_set_text (priv->run_progress, step);
}

static void
notice_cb (IcGtkInteraction *ia, const char *title, const char *text, IcCeremonyAssistant *self)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);
  g_autofree char *both = g_strdup_printf ("%s: %s", title, text);

  gtk_label_set_text (priv->run_note, both);
}

/* A card came or went: a card wait on that reader looks again at once. */
static void
card_event (IcCeremonyAssistant *self, const char *reader)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);
  ClContext *context = wf_desk_get_context (priv->desk);
  g_autofree char *r1 = cl_context_dup_reader_name (context, CL_READER_ROLE_R1);

  ic_gtk_interaction_card_event (
      priv->interaction, g_strcmp0 (reader, r1) == 0 ? CL_READER_ROLE_R1 : CL_READER_ROLE_R2);
}

static void
card_inserted_cb (ClContext *context, const char *reader, IcCeremonyAssistant *self)
{
  card_event (self, reader);
}

static void
card_removed_cb (ClContext *context, const char *reader, IcCeremonyAssistant *self)
{
  card_event (self, reader);
}

/* -- GtkAssistant ----------------------------------------------------------------------------- */

/* GtkAssistant titles its window with each page's title ("Before you
 * start", "Working"): the window keeps the ceremony's own, which tells the
 * wizards apart (window list, screen readers). */
static void
title_changed_cb (GObject *object, GParamSpec *pspec, gpointer data)
{
  IcCeremonyAssistant *self = IC_CEREMONY_ASSISTANT (object);
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  if (priv->title != NULL && g_strcmp0 (gtk_window_get_title (GTK_WINDOW (self)), priv->title) != 0)
    gtk_window_set_title (GTK_WINDOW (self), priv->title);
}

static void
ic_ceremony_assistant_prepare (GtkAssistant *assistant, GtkWidget *page)
{
  IcCeremonyAssistant *self = IC_CEREMONY_ASSISTANT (assistant);
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  gtk_widget_set_visible (priv->stop_button, page == priv->run_page && priv->running);
  if (page == priv->run_page && !priv->started)
    start_task (self);
}

/* Cancel, Escape or the window's close button: stops a running task (the
 * summary then says what state the cards are in); closes otherwise. */
static void
ic_ceremony_assistant_cancel (GtkAssistant *assistant)
{
  IcCeremonyAssistant *self = IC_CEREMONY_ASSISTANT (assistant);
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  if (priv->running)
    stop_task (self);
  else
    gtk_widget_destroy (GTK_WIDGET (assistant));
}

static void
ic_ceremony_assistant_close (GtkAssistant *assistant)
{
  gtk_widget_destroy (GTK_WIDGET (assistant));
}

/* -- GObject ------------------------------------------------------------------------------- */

static void
ic_ceremony_assistant_constructed (GObject *object)
{
  IcCeremonyAssistant *self = IC_CEREMONY_ASSISTANT (object);
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);
  ClContext *context;

  G_OBJECT_CLASS (ic_ceremony_assistant_parent_class)->constructed (object);
  g_return_if_fail (WF_IS_DESK (priv->desk));

  context = wf_desk_get_context (priv->desk);
  g_signal_connect_object (context, "card-inserted", G_CALLBACK (card_inserted_cb), self, 0);
  g_signal_connect_object (context, "card-removed", G_CALLBACK (card_removed_cb), self, 0);
  /* The subclasses' init set it. */
  priv->title = g_strdup (gtk_window_get_title (GTK_WINDOW (self)));
  g_signal_connect (self, "notify::title", G_CALLBACK (title_changed_cb), NULL);
}

static void
ic_ceremony_assistant_set_property (GObject *object, guint prop_id, const GValue *value,
                                    GParamSpec *pspec)
{
  IcCeremonyAssistant *self = IC_CEREMONY_ASSISTANT (object);
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_DESK:
      priv->desk = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ic_ceremony_assistant_get_property (GObject *object, guint prop_id, GValue *value,
                                    GParamSpec *pspec)
{
  IcCeremonyAssistant *self = IC_CEREMONY_ASSISTANT (object);
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_DESK:
      g_value_set_object (value, priv->desk);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ic_ceremony_assistant_dispose (GObject *object)
{
  IcCeremonyAssistant *self = IC_CEREMONY_ASSISTANT (object);
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  if (!priv->disposed && priv->running)
    {
      g_cancellable_cancel (priv->cancellable);
      set_window_actions (self, TRUE);
    }
  priv->disposed = TRUE;
  g_clear_object (&priv->interaction);
  G_OBJECT_CLASS (ic_ceremony_assistant_parent_class)->dispose (object);
}

static void
ic_ceremony_assistant_finalize (GObject *object)
{
  IcCeremonyAssistant *self = IC_CEREMONY_ASSISTANT (object);
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  g_clear_object (&priv->desk);
  g_clear_object (&priv->cancellable);
  g_ptr_array_unref (priv->made);
  g_free (priv->outcome_title);
  g_free (priv->outcome_text);
  g_free (priv->title);
  G_OBJECT_CLASS (ic_ceremony_assistant_parent_class)->finalize (object);
}

static void
ic_ceremony_assistant_class_init (IcCeremonyAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkAssistantClass *assistant_class = GTK_ASSISTANT_CLASS (klass);

  object_class->constructed = ic_ceremony_assistant_constructed;
  object_class->set_property = ic_ceremony_assistant_set_property;
  object_class->get_property = ic_ceremony_assistant_get_property;
  object_class->dispose = ic_ceremony_assistant_dispose;
  object_class->finalize = ic_ceremony_assistant_finalize;
  assistant_class->prepare = ic_ceremony_assistant_prepare;
  assistant_class->cancel = ic_ceremony_assistant_cancel;
  assistant_class->close = ic_ceremony_assistant_close;

  props[PROP_DESK] =
      g_param_spec_object ("desk", NULL, NULL, WF_TYPE_DESK,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-ceremony-assistant.ui");
#define CHILD(name)                                                                                \
  gtk_widget_class_bind_template_child_private (widget_class, IcCeremonyAssistant, name)
  CHILD (intro_page);
  CHILD (intro_who);
  CHILD (intro_ready);
  CHILD (intro_steps);
  CHILD (run_page);
  CHILD (run_spinner);
  CHILD (run_instruction);
  CHILD (run_progress);
  CHILD (run_note);
  CHILD (made_box);
  CHILD (made_list);
  CHILD (summary_page);
  CHILD (state_text);
  CHILD (summary_box);
  CHILD (summary_heading);
  CHILD (summary_list);
#undef CHILD
  gtk_widget_class_bind_template_child_full (
      widget_class, "outcome_title", FALSE,
      G_PRIVATE_OFFSET (IcCeremonyAssistant, outcome_title_label));
  gtk_widget_class_bind_template_child_full (
      widget_class, "outcome_text", FALSE,
      G_PRIVATE_OFFSET (IcCeremonyAssistant, outcome_text_label));
}

static void
ic_ceremony_assistant_init (IcCeremonyAssistant *self)
{
  IcCeremonyAssistantPrivate *priv = ic_ceremony_assistant_get_instance_private (self);

  gtk_widget_init_template (GTK_WIDGET (self));
  priv->made = g_ptr_array_new_with_free_func ((GDestroyNotify) made_free);
  priv->interaction = ic_gtk_interaction_new (GTK_WINDOW (self));
  g_signal_connect_object (priv->interaction, "card-wanted", G_CALLBACK (card_wanted_cb), self, 0);
  g_signal_connect_object (priv->interaction, "progress", G_CALLBACK (progress_cb), self, 0);
  g_signal_connect_object (priv->interaction, "notice", G_CALLBACK (notice_cb), self, 0);

  /* The running page is a custom one: GtkAssistant's own Cancel is
   * insensitive while a progress page is incomplete, and this one must
   * stop the task. */
  priv->stop_button = gtk_button_new_with_mnemonic (_ ("_Cancel"));
  atk_object_set_name (gtk_widget_get_accessible (priv->stop_button), _ ("Cancel the task"));
  g_signal_connect (priv->stop_button, "clicked", G_CALLBACK (stop_clicked_cb), self);
  gtk_assistant_add_action_widget (GTK_ASSISTANT (self), priv->stop_button);
  gtk_widget_hide (priv->stop_button);
}
