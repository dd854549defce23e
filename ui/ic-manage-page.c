/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-manage-page.c: the "Card actions" page (ic-manage-page.h).  The
 * destructive steps are confirmed by the workflows themselves, through the
 * window's interaction, with the card named; errors go to the message bar. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ic-manage-page.h"
#include "ic-page-util.h"
#include "wf-insurance.h"

struct _IcManagePage {
  GtkScrolledWindow parent_instance;

  IcMainWindow *window; /* owns the page */
  IcOutcome outcome;
  GtkEntry *lost_entry;
  GtkWidget *lost_button;
  GtkLabel *lost_problem;
  GtkEntry *replace_entry;
  GtkToggleButton *replace_lost_radio;
  GtkLabel *replace_problem;
  GtkWidget *replace_button;
  GtkWidget *cancel_button;
  GtkWidget *clear_button;

  WfReplaceReason reason; /* of the replacement running */
};

G_DEFINE_FINAL_TYPE (IcManagePage, ic_manage_page, GTK_TYPE_SCROLLED_WINDOW)

/* -- the outcome --------------------------------------------------------------------------- */

static void
receipt_clicked_cb (IcManagePage *self)
{
  ic_outcome_save_receipt (&self->outcome, self->window);
}

/* -- report lost --------------------------------------------------------------------------- */

typedef struct {
  char *card_number;
  char *sn;
} Lost;

static void
lost_free (Lost *l)
{
  g_free (l->card_number);
  g_free (l->sn);
  g_free (l);
}

static gpointer
lost_func (WfDesk *desk, WfInteraction *interaction, gpointer data, GCancellable *cancellable,
           GError **error)
{
  Lost *l = data;

  return wf_icard_report_lost_record (desk, interaction, l->card_number, l->sn, cancellable, error);
}

static void
lost_done (IcMainWindow *window, gpointer result, const GError *error, gpointer data)
{
  IcManagePage *self = IC_MANAGE_PAGE (data);
  const DbCard *rec = result;
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  if (rec == NULL)
    return;
  number = wf_icard_format_card_number (rec->card_number);
  text = g_strdup_printf (_ ("Card %s (serial %s) of holder %s is reported lost and blacklisted: "
                             "no desk accepts it any more. To give the holder a new card, "
                             "replace it below."),
                          number, rec->sn, rec->holder_id);
  ic_outcome_show (&self->outcome, text, NULL);
  gtk_entry_set_text (self->lost_entry, "");
  gtk_entry_set_text (self->replace_entry, rec->holder_id);
}

/* What the entry names, or NULL with the reason. */
static Lost *
lost_parse (IcManagePage *self, GError **error)
{
  Lost *l = g_new0 (Lost, 1);

  if (!wf_icard_parse_card_ref (gtk_entry_get_text (self->lost_entry), &l->card_number, &l->sn,
                                error))
    {
      lost_free (l);
      return NULL;
    }
  return l;
}

static void
lost_changed_cb (IcManagePage *self)
{
  g_autoptr (GError) error = NULL;
  const char *text = gtk_entry_get_text (self->lost_entry);
  Lost *l = lost_parse (self, &error);

  gtk_widget_set_sensitive (self->lost_button, l != NULL);
  /* Not while a number is still being typed: only once it is too long. */
  ic_page_set_problem (self->lost_problem, l == NULL && strlen (text) >= 16 ? error->message : "");
  if (l != NULL)
    lost_free (l);
}

static void
lost_clicked_cb (IcManagePage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  Lost *l = lost_parse (self, &error);

  if (l == NULL)
    {
      ic_page_set_problem (self->lost_problem, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->lost_entry));
      return;
    }
  ic_page_set_problem (self->lost_problem, "");
  ic_outcome_hide (&self->outcome);
  if (l->card_number != NULL)
    {
      g_autofree char *number = wf_icard_format_card_number (l->card_number);

      title = g_strdup_printf (_ ("Reporting card %s lost"), number);
    }
  else
    title = g_strdup_printf (_ ("Reporting the card with serial %s lost"), l->sn);
  ic_page_run_task (GTK_WIDGET (self), self->window, title, lost_func, l,
                    (GDestroyNotify) lost_free, (GDestroyNotify) db_card_free, lost_done);
}

/* -- replace ------------------------------------------------------------------------------- */

typedef struct {
  WfIcardHolder holder; /* only the ID number */
  WfReplaceReason reason;
} Replace;

static void
replace_free (Replace *r)
{
  wf_icard_holder_clear (&r->holder);
  g_free (r);
}

static gpointer
replace_func (WfDesk *desk, WfInteraction *interaction, gpointer data, GCancellable *cancellable,
              GError **error)
{
  Replace *r = data;

  return wf_icard_replace (desk, interaction, r->holder.id_number, r->reason, cancellable, error);
}

static void
replace_done (IcMainWindow *window, gpointer result, const GError *error, gpointer data)
{
  IcManagePage *self = IC_MANAGE_PAGE (data);
  const WfIssued *issued = result;
  g_autofree char *number = NULL;
  g_autofree char *until = NULL;
  g_autofree char *text = NULL;

  if (issued == NULL)
    return;
  number = wf_icard_format_card_number (issued->card_number);
  until = wf_icard_date_format (issued->valid_until);
  text = g_strdup_printf (
      self->reason == WF_REPLACE_LOST
          ? _ ("Card %s (serial %s) is issued to %s (%s), valid until %s. It replaces the card "
               "with serial %s, which is blacklisted. Hand the new card over.")
          : _ ("Card %s (serial %s) is issued to %s (%s), valid until %s. It replaces the card "
               "with serial %s, which is withdrawn: keep it. Hand the new card over."),
      number, issued->sn, issued->holder_name, issued->holder_id, until, issued->replaces_sn);
  ic_outcome_show (&self->outcome, text, issued->card_number);
  gtk_entry_set_text (self->replace_entry, "");
  gtk_widget_grab_focus (self->outcome.receipt_button);
}

static Replace *
replace_parse (IcManagePage *self, GError **error)
{
  Replace *r = g_new0 (Replace, 1);

  if (!wf_icard_holder_set (&r->holder, WF_ICARD_FIELD_ID_NUMBER,
                            gtk_entry_get_text (self->replace_entry), error))
    {
      replace_free (r);
      return NULL;
    }
  r->reason = gtk_toggle_button_get_active (self->replace_lost_radio) ? WF_REPLACE_LOST
                                                                      : WF_REPLACE_DAMAGED;
  return r;
}

static void
replace_changed_cb (IcManagePage *self)
{
  g_autoptr (GError) error = NULL;
  const char *text = gtk_entry_get_text (self->replace_entry);
  Replace *r = *text != '\0' ? replace_parse (self, &error) : NULL;

  gtk_widget_set_sensitive (self->replace_button, r != NULL);
  ic_page_set_problem (self->replace_problem,
                       r == NULL && error != NULL && strlen (text) >= 18 ? error->message : "");
  if (r != NULL)
    replace_free (r);
}

static void
replace_clicked_cb (IcManagePage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *title = NULL;
  Replace *r = replace_parse (self, &error);

  if (r == NULL)
    {
      ic_page_set_problem (self->replace_problem, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->replace_entry));
      return;
    }
  ic_page_set_problem (self->replace_problem, "");
  ic_outcome_hide (&self->outcome);
  self->reason = r->reason;
  title = g_strdup_printf (_ ("Replacing the card of %s: a blank insurance card in R2"),
                           r->holder.id_number);
  ic_page_run_task (GTK_WIDGET (self), self->window, title, replace_func, r,
                    (GDestroyNotify) replace_free, (GDestroyNotify) wf_issued_free, replace_done);
}

/* -- cancel and clear ---------------------------------------------------------------------- */

static gpointer
cancel_func (WfDesk *desk, WfInteraction *interaction, gpointer data, GCancellable *cancellable,
             GError **error)
{
  return wf_icard_cancel_record (desk, interaction, cancellable, error);
}

static gpointer
clear_func (WfDesk *desk, WfInteraction *interaction, gpointer data, GCancellable *cancellable,
            GError **error)
{
  return wf_icard_clear_record (desk, interaction, cancellable, error);
}

static void
changed_done (IcMainWindow *window, gpointer result, const GError *error, gpointer data)
{
  IcManagePage *self = IC_MANAGE_PAGE (data);
  const DbCard *rec = result;
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  if (rec == NULL)
    return;
  number = wf_icard_format_card_number (rec->card_number);
  if (rec->status == DB_CARD_CANCELLED)
    text = g_strdup_printf (_ ("Card %s (serial %s) of holder %s is cancelled: it no longer "
                               "works, and the registry says so."),
                            number, rec->sn, rec->holder_id);
  else
    text = g_strdup_printf (_ ("Card %s (serial %s) of holder %s is cleared: the holder's data "
                               "and transactions are wiped; the card number stays and the card "
                               "is never issued again."),
                            number, rec->sn, rec->holder_id);
  ic_outcome_show (&self->outcome, text, NULL);
}

static void
cancel_clicked_cb (IcManagePage *self)
{
  ic_outcome_hide (&self->outcome);
  ic_page_run_task (GTK_WIDGET (self), self->window, _ ("Cancelling the card in R2"), cancel_func,
                    NULL, NULL, (GDestroyNotify) db_card_free, changed_done);
}

static void
clear_clicked_cb (IcManagePage *self)
{
  ic_outcome_hide (&self->outcome);
  ic_page_run_task (GTK_WIDGET (self), self->window, _ ("Clearing the card in R2"), clear_func,
                    NULL, NULL, (GDestroyNotify) db_card_free, changed_done);
}

/* -- the page ------------------------------------------------------------------------------ */

/* A new operator sees nothing of the last one's work. */
static void
session_changed_cb (IcManagePage *self)
{
  ic_outcome_hide (&self->outcome);
  gtk_entry_set_text (self->lost_entry, "");
  gtk_entry_set_text (self->replace_entry, "");
  gtk_toggle_button_set_active (self->replace_lost_radio, TRUE);
  ic_page_set_problem (self->lost_problem, "");
  ic_page_set_problem (self->replace_problem, "");
}

static void
ic_manage_page_finalize (GObject *object)
{
  IcManagePage *self = IC_MANAGE_PAGE (object);

  ic_outcome_clear (&self->outcome);
  G_OBJECT_CLASS (ic_manage_page_parent_class)->finalize (object);
}

static void
ic_manage_page_class_init (IcManagePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = ic_manage_page_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-manage-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcManagePage, name)
  IC_OUTCOME_BIND (widget_class, IcManagePage, outcome);
  CHILD (lost_entry);
  CHILD (lost_button);
  CHILD (lost_problem);
  CHILD (replace_entry);
  CHILD (replace_lost_radio);
  CHILD (replace_problem);
  CHILD (replace_button);
  CHILD (cancel_button);
  CHILD (clear_button);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, receipt_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, lost_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, lost_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, replace_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, replace_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
}

static void
ic_manage_page_init (IcManagePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
ic_manage_page_new (IcMainWindow *window)
{
  IcManagePage *self;

  g_return_val_if_fail (IC_IS_MAIN_WINDOW (window), NULL);

  self = g_object_new (IC_TYPE_MANAGE_PAGE, NULL);
  self->window = window;
  g_signal_connect_object (window, "session-changed", G_CALLBACK (session_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_show (GTK_WIDGET (self));
  return GTK_WIDGET (self);
}
