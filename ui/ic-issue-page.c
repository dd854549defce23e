/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-issue-page.c: issuing a card (ic-issue-page.h).  wf_icard_issue()
 * does the work in a task; the page shows the form, then the card. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ic-issue-page.h"
#include "ic-page-util.h"
#include "ic-receipt-print.h"
#include "wf-insurance.h"

struct _IcIssuePage {
  GtkBox parent_instance;

  GtkStack *stack;
  IcHolderForm *form;
  GtkWidget *issue_button;
  GtkLabel *result_number;
  GtkLabel *result_sn;
  GtkLabel *result_holder;
  GtkLabel *result_dates;
  GtkWidget *print_button;
  GtkWidget *save_button;
  GtkWidget *another_button;

  IcMainWindow *window; /* weak */
  WfIssued *issued; /* the card shown in the result area */
};

G_DEFINE_FINAL_TYPE (IcIssuePage, ic_issue_page, GTK_TYPE_BOX)

/* -- the form ------------------------------------------------------------------------------ */

static void
show_form (IcIssuePage *self)
{
  g_clear_pointer (&self->issued, wf_issued_free);
  gtk_stack_set_visible_child_name (self->stack, "form");
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      gtk_widget_grab_default (self->issue_button);
      ic_holder_form_focus_first (self->form);
    }
}

static void
map_cb (GtkWidget *widget, IcIssuePage *self)
{
  /* Enter in a field issues the card; Enter on the result prints. */
  gtk_widget_grab_default (self->issued != NULL ? self->print_button : self->issue_button);
}

/* -- issuing ------------------------------------------------------------------------------- */

static void
holder_free (gpointer holder)
{
  wf_icard_holder_clear (holder);
  g_free (holder);
}

static gpointer
issue_func (WfDesk *desk, WfInteraction *interaction, gpointer data, GCancellable *cancellable,
            GError **error)
{
  return wf_icard_issue (desk, interaction, data, cancellable, error);
}

static void
issue_done (IcMainWindow *window, gpointer result, const GError *error, gpointer user_data)
{
  g_autoptr (IcIssuePage) self = user_data;
  WfIssued *issued = result;
  g_autofree char *number = NULL;
  g_autofree char *holder = NULL;
  g_autofree char *issued_on = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *dates = NULL;

  if (issued == NULL)
    return; /* the window shows why; the form stays for another try */
  g_clear_pointer (&self->issued, wf_issued_free);
  self->issued = g_memdup2 (issued, sizeof *issued);
  number = wf_icard_format_card_number (issued->card_number);
  holder = g_strdup_printf ("%s (%s)", issued->holder_name, issued->holder_id);
  issued_on = wf_icard_date_format (issued->issue_date);
  valid = wf_icard_date_format (issued->valid_until);
  dates = g_strdup_printf (_ ("%s, valid until %s"), issued_on, valid);
  gtk_label_set_text (self->result_number, number);
  gtk_label_set_text (self->result_sn, issued->sn);
  gtk_label_set_text (self->result_holder, holder);
  gtk_label_set_text (self->result_dates, dates);
  gtk_stack_set_visible_child_name (self->stack, "result");
  gtk_widget_grab_default (self->print_button);
  gtk_widget_grab_focus (self->print_button);
  /* The focus passed a selectable label on its way: nothing stays selected. */
  gtk_label_select_region (self->result_number, 0, 0);
  gtk_label_select_region (self->result_sn, 0, 0);
  gtk_label_select_region (self->result_holder, 0, 0);
  gtk_label_select_region (self->result_dates, 0, 0);
}

static void
issue_clicked_cb (GtkButton *button, IcIssuePage *self)
{
  WfIcardHolder *holder = g_new0 (WfIcardHolder, 1);

  if (self->window == NULL || !ic_holder_form_get_holder (self->form, holder))
    {
      holder_free (holder);
      return;
    }
  if (!ic_main_window_run_task (self->window, _ ("Issuing the card: a blank insurance card in R2"),
                                issue_func, holder, holder_free, (GDestroyNotify) wf_issued_free,
                                issue_done, g_object_ref (self)))
    g_object_unref (self);
}

/* -- the receipt --------------------------------------------------------------------------- */

static void
save_clicked_cb (GtkButton *button, IcIssuePage *self)
{
  if (self->issued != NULL && self->window != NULL)
    ic_page_save_receipt (self->window, self->issued->card_number);
}

static gpointer
receipt_func (WfDesk *desk, WfInteraction *interaction, gpointer data, GCancellable *cancellable,
              GError **error)
{
  const char *card_number = data;

  return wf_icard_get_receipt (desk, interaction, card_number, error);
}

static void
receipt_done (IcMainWindow *window, gpointer result, const GError *error, gpointer user_data)
{
  g_autofree char *export_pdf = user_data;

  /* The print operation takes the receipt (no result_free). */
  if (result != NULL)
    ic_receipt_print (window, result, export_pdf);
}

static void
print_receipt (IcIssuePage *self, const char *export_pdf)
{
  char *export_copy;

  if (self->issued == NULL || self->window == NULL)
    return;
  export_copy = g_strdup (export_pdf);
  if (!ic_main_window_run_task (self->window, _ ("Preparing the receipt"), receipt_func,
                                g_strdup (self->issued->card_number), g_free, NULL, receipt_done,
                                export_copy))
    g_free (export_copy);
}

static void
print_clicked_cb (GtkButton *button, IcIssuePage *self)
{
  print_receipt (self, NULL);
}

void
ic_issue_page_export_receipt (IcIssuePage *self, const char *pdf_path)
{
  g_return_if_fail (IC_IS_ISSUE_PAGE (self));
  g_return_if_fail (pdf_path != NULL);

  print_receipt (self, pdf_path);
}

static void
another_clicked_cb (GtkButton *button, IcIssuePage *self)
{
  ic_holder_form_clear (self->form);
  show_form (self);
}

/* Nobody's data stays on the screen after the operator leaves. */
static void
session_changed_cb (IcMainWindow *window, IcIssuePage *self)
{
  WfSession *session = ic_main_window_get_session (window);

  if (session == NULL || !wf_session_is_active (session))
    {
      ic_holder_form_clear (self->form);
      show_form (self);
    }
}

/* -- the API ------------------------------------------------------------------------------- */

IcHolderForm *
ic_issue_page_get_form (IcIssuePage *self)
{
  g_return_val_if_fail (IC_IS_ISSUE_PAGE (self), NULL);
  return self->form;
}

const char *
ic_issue_page_get_card_number (IcIssuePage *self)
{
  g_return_val_if_fail (IC_IS_ISSUE_PAGE (self), NULL);
  return self->issued != NULL ? self->issued->card_number : NULL;
}

/* -- GObject ------------------------------------------------------------------------------- */

static void
ic_issue_page_dispose (GObject *object)
{
  IcIssuePage *self = IC_ISSUE_PAGE (object);

  g_clear_weak_pointer (&self->window);
  g_clear_pointer (&self->issued, wf_issued_free);
  G_OBJECT_CLASS (ic_issue_page_parent_class)->dispose (object);
}

static void
ic_issue_page_class_init (IcIssuePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ic_issue_page_dispose;

  g_type_ensure (IC_TYPE_HOLDER_FORM);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-issue-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcIssuePage, name)
  CHILD (stack);
  CHILD (form);
  CHILD (issue_button);
  CHILD (result_number);
  CHILD (result_sn);
  CHILD (result_holder);
  CHILD (result_dates);
  CHILD (print_button);
  CHILD (save_button);
  CHILD (another_button);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, map_cb);
  gtk_widget_class_bind_template_callback (widget_class, issue_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, print_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, another_clicked_cb);
}

static void
ic_issue_page_init (IcIssuePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Issuing needs a form the workflow would accept. */
  g_object_bind_property (self->form, "valid", self->issue_button, "sensitive",
                          G_BINDING_SYNC_CREATE);
}

GtkWidget *
ic_issue_page_new (IcMainWindow *window)
{
  IcIssuePage *self = g_object_new (IC_TYPE_ISSUE_PAGE, NULL);

  g_set_weak_pointer (&self->window, window);
  g_signal_connect_object (window, "session-changed", G_CALLBACK (session_changed_cb), self, 0);
  return GTK_WIDGET (self);
}
