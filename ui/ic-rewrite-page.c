/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-rewrite-page.c: rewriting a card's holder data (ic-rewrite-page.h).
 * The card is read before anything is typed, so the form starts from
 * what the card holds and the clerk changes only what is wrong. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-rewrite-page.h"
#include "wf-insurance.h"

struct _IcRewritePage {
  GtkBox parent_instance;

  GtkWidget *read_button;
  GtkLabel *status_label;
  IcHolderForm *form;
  GtkWidget *rewrite_button;

  IcMainWindow *window; /* weak */
  char card_number[11]; /* the card read into the form, "" before */
};

G_DEFINE_FINAL_TYPE (IcRewritePage, ic_rewrite_page, GTK_TYPE_BOX)

static void
update_buttons (IcRewritePage *self)
{
  gboolean loaded = self->card_number[0] != '\0';

  gtk_widget_set_sensitive (GTK_WIDGET (self->form), loaded);
  gtk_widget_set_sensitive (self->rewrite_button, loaded && ic_holder_form_get_valid (self->form));
  /* Enter reads a card until one is loaded, then rewrites it. */
  gtk_style_context_remove_class (
      gtk_widget_get_style_context (loaded ? self->read_button : self->rewrite_button),
      "suggested-action");
  gtk_style_context_add_class (
      gtk_widget_get_style_context (loaded ? self->rewrite_button : self->read_button),
      "suggested-action");
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_default (loaded ? self->rewrite_button : self->read_button);
}

static void
unload (IcRewritePage *self, const char *status)
{
  self->card_number[0] = '\0';
  ic_holder_form_clear (self->form);
  gtk_label_set_text (self->status_label, status != NULL ? status : "");
  update_buttons (self);
}

static void
valid_changed_cb (IcHolderForm *form, GParamSpec *pspec, IcRewritePage *self)
{
  update_buttons (self);
}

static void
map_cb (GtkWidget *widget, IcRewritePage *self)
{
  update_buttons (self);
}

/* -- reading ------------------------------------------------------------------------------- */

static gpointer
read_func (WfDesk *desk, WfInteraction *interaction, gpointer data, GCancellable *cancellable,
           GError **error)
{
  return wf_icard_read (desk, interaction, cancellable, error);
}

static void
read_done (IcMainWindow *window, gpointer result, const GError *error, gpointer user_data)
{
  g_autoptr (IcRewritePage) self = user_data;
  const WfIcardReport *r = result;
  g_autofree char *number = NULL;
  g_autofree char *status = NULL;

  if (r == NULL)
    return;
  if (r->view.blank)
    {
      unload (self, _ ("This card is blank: issue it on the Issue card page instead."));
      return;
    }
  if (r->view.number_check != WF_ICARD_CHECK_OK)
    {
      unload (self, _ ("The card's number block does not check: the card cannot be rewritten. "
                       "Read it on the Read card page, and replace it."));
      return;
    }
  if (!r->view.holder_decrypted)
    {
      unload (self, _ ("Your card cannot decrypt the holder's data (it holds no data key): log "
                       "in with an issuing administrator's card or a key card."));
      return;
    }
  if (r->view.holder_check != WF_ICARD_CHECK_OK)
    {
      g_autofree char *text = g_strdup_printf (
          _ ("The holder's data on the card do not check (%s): the card cannot be rewritten. "
             "Replace it."),
          wf_icard_check_to_string (r->view.holder_check));

      unload (self, text);
      return;
    }
  g_strlcpy (self->card_number, r->view.data.card_number, sizeof self->card_number);
  ic_holder_form_set_holder (self->form, &r->view.data.holder);
  number = wf_icard_format_card_number (self->card_number);
  status = g_strdup_printf (_ ("Card %s of %s: correct the data below, then rewrite the card."),
                            number, r->view.data.holder.name);
  gtk_label_set_text (self->status_label, status);
  update_buttons (self);
  gtk_widget_grab_focus (ic_holder_form_get_field_widget (self->form, WF_ICARD_FIELD_NAME));
}

static void
read_clicked_cb (GtkButton *button, IcRewritePage *self)
{
  if (self->window == NULL)
    return;
  if (ic_main_window_run_task (self->window, _ ("Reading the card in R2"), read_func, NULL, NULL,
                               (GDestroyNotify) wf_icard_report_free, read_done,
                               g_object_ref (self)))
    unload (self, NULL);
  else
    g_object_unref (self);
}

/* -- rewriting ----------------------------------------------------------------------------- */

static void
holder_free (gpointer holder)
{
  wf_icard_holder_clear (holder);
  g_free (holder);
}

static gpointer
rewrite_func (WfDesk *desk, WfInteraction *interaction, gpointer data, GCancellable *cancellable,
              GError **error)
{
  return wf_icard_rewrite (desk, interaction, data, cancellable, error);
}

static void
rewrite_done (IcMainWindow *window, gpointer result, const GError *error, gpointer user_data)
{
  g_autoptr (IcRewritePage) self = user_data;
  const WfIssued *done = result;
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  if (done == NULL)
    return;
  number = wf_icard_format_card_number (done->card_number);
  if (done->apdus_written == 0)
    text = g_strdup_printf (_ ("Nothing changed: nothing was written to card %s."), number);
  else
    text = g_strdup_printf (_ ("Card %s is rewritten: %zu bytes changed."), number,
                            done->bytes_written);
  gtk_label_set_text (self->status_label, text);
}

static void
rewrite_clicked_cb (GtkButton *button, IcRewritePage *self)
{
  WfIcardHolder *holder = g_new0 (WfIcardHolder, 1);

  if (self->window == NULL || self->card_number[0] == '\0'
      || !ic_holder_form_get_holder (self->form, holder))
    {
      holder_free (holder);
      return;
    }
  gtk_label_set_text (self->status_label, "");
  if (!ic_main_window_run_task (self->window, _ ("Rewriting the card in R2"), rewrite_func, holder,
                                holder_free, (GDestroyNotify) wf_issued_free, rewrite_done,
                                g_object_ref (self)))
    g_object_unref (self);
}

static void
session_changed_cb (IcMainWindow *window, IcRewritePage *self)
{
  WfSession *session = ic_main_window_get_session (window);

  if (session == NULL || !wf_session_is_active (session))
    unload (self, NULL);
}

/* -- the API ------------------------------------------------------------------------------- */

IcHolderForm *
ic_rewrite_page_get_form (IcRewritePage *self)
{
  g_return_val_if_fail (IC_IS_REWRITE_PAGE (self), NULL);
  return self->form;
}

const char *
ic_rewrite_page_get_status (IcRewritePage *self)
{
  g_return_val_if_fail (IC_IS_REWRITE_PAGE (self), NULL);
  return gtk_label_get_text (self->status_label);
}

/* -- GObject ------------------------------------------------------------------------------- */

static void
ic_rewrite_page_dispose (GObject *object)
{
  IcRewritePage *self = IC_REWRITE_PAGE (object);

  g_clear_weak_pointer (&self->window);
  G_OBJECT_CLASS (ic_rewrite_page_parent_class)->dispose (object);
}

static void
ic_rewrite_page_class_init (IcRewritePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ic_rewrite_page_dispose;

  g_type_ensure (IC_TYPE_HOLDER_FORM);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-rewrite-page.ui");
  gtk_widget_class_bind_template_child (widget_class, IcRewritePage, read_button);
  gtk_widget_class_bind_template_child (widget_class, IcRewritePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, IcRewritePage, form);
  gtk_widget_class_bind_template_child (widget_class, IcRewritePage, rewrite_button);
  gtk_widget_class_bind_template_callback (widget_class, map_cb);
  gtk_widget_class_bind_template_callback (widget_class, read_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, rewrite_clicked_cb);
}

static void
ic_rewrite_page_init (IcRewritePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  ic_holder_form_set_id_editable (self->form, FALSE);
  g_signal_connect_object (self->form, "notify::valid", G_CALLBACK (valid_changed_cb), self, 0);
}

GtkWidget *
ic_rewrite_page_new (IcMainWindow *window)
{
  IcRewritePage *self = g_object_new (IC_TYPE_REWRITE_PAGE, NULL);

  g_set_weak_pointer (&self->window, window);
  g_signal_connect_object (window, "session-changed", G_CALLBACK (session_changed_cb), self, 0);
  return GTK_WIDGET (self);
}
