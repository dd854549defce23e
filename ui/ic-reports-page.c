/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-reports-page.c: issuing in numbers (ic-reports-page.h).  The numbers
 * come from one workflow task (wf_issuance_report()); the page fills its
 * lists with them. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-log-model.h"
#include "ic-main-window.h"
#include "ic-reports-page.h"
#include "wf-issuance-report.h"
#include "wf-session.h"

struct _IcReportsPage {
  GtkBox parent_instance;

  GtkEntry *since_entry;
  GtkEntry *until_entry;
  GtkWidget *show_button;
  GtkStackSwitcher *switcher;
  GtkStack *stack;
  GtkLabel *problem_label;
  GtkLabel *summary_label;
  GtkListStore *day_store;
  GtkListStore *operator_store;
  GtkListStore *office_store;
  GtkListStore *lost_store;
  GtkListStore *quota_store;

  IcMainWindow *window;
  gboolean shown; /* a report was asked for in this session */
};

G_DEFINE_TYPE (IcReportsPage, ic_reports_page, GTK_TYPE_BOX)

typedef struct {
  GDateTime *since;
  GDateTime *until;
} Period;

static void
period_free (Period *p)
{
  g_clear_pointer (&p->since, g_date_time_unref);
  g_clear_pointer (&p->until, g_date_time_unref);
  g_free (p);
}

static gboolean
may_audit (IcReportsPage *self)
{
  WfSession *session = self->window != NULL ? ic_main_window_get_session (self->window) : NULL;

  return session != NULL && wf_session_is_active (session)
         && wf_session_require (session, WF_PERM_AUDIT, NULL);
}

static void
clear (IcReportsPage *self)
{
  gtk_list_store_clear (self->day_store);
  gtk_list_store_clear (self->operator_store);
  gtk_list_store_clear (self->office_store);
  gtk_list_store_clear (self->lost_store);
  gtk_list_store_clear (self->quota_store);
  gtk_label_set_text (self->summary_label, "");
}

static gpointer
report_func (WfDesk *desk, WfInteraction *ia, gpointer data, GCancellable *cancellable,
             GError **error)
{
  Period *p = data;

  return wf_issuance_report (desk, ia, p->since, p->until, cancellable, error);
}

static const char *
card_status (DbCardStatus status)
{
  switch (status)
    {
    case DB_CARD_LOST:
      return _ ("lost");
    case DB_CARD_WITHDRAWN:
      return _ ("taken back");
    case DB_CARD_CANCELLED:
      return _ ("cancelled");
    case DB_CARD_CLEARED:
      return _ ("cleared");
    case DB_CARD_ISSUED:
      return _ ("issued (found again)");
    default:
      return "";
    }
}

static const char *
cpu_status (DbCpuStatus status)
{
  switch (status)
    {
    case DB_CPU_ACTIVE:
      return _ ("in use");
    case DB_CPU_LOST:
      return _ ("lost");
    case DB_CPU_WASHED:
      return _ ("washed");
    case DB_CPU_REVOKED:
      return _ ("revoked");
    default:
      return "";
    }
}

static void
fill_counts (GtkListStore *store, GPtrArray *counts, gboolean with_name, const char *none)
{
  for (guint i = 0; i < counts->len; i++)
    {
      DbIssuedCount *c = counts->pdata[i];
      const char *key = *c->key != '\0' ? c->key : none;

      if (with_name)
        gtk_list_store_insert_with_values (store, NULL, -1, 0, *c->name != '\0' ? c->name : key, 1,
                                           c->key, 2, c->cards, -1);
      else
        gtk_list_store_insert_with_values (store, NULL, -1, 0, key, 1, c->cards, -1);
    }
}

static void
report_done (IcMainWindow *window, gpointer result, const GError *error, gpointer data)
{
  IcReportsPage *self = data;
  WfIssuanceReport *r = result;
  g_autofree char *issued = NULL;
  g_autofree char *summary = NULL;
  gint64 replaced = 0;

  if (r == NULL)
    return;
  clear (self);
  fill_counts (self->day_store, r->per_day, FALSE, "");
  fill_counts (self->operator_store, r->per_operator, TRUE, "");
  fill_counts (self->office_store, r->per_office, FALSE, _ ("(not in the registry)"));
  for (guint i = 0; i < r->lost_replaced->len; i++)
    {
      DbCardChange *c = r->lost_replaced->pdata[i];
      g_autofree char *since = ic_log_format_time (c->status_changed_at);
      g_autofree char *on = ic_log_format_time (c->replaced_at);

      replaced += *c->replaced_by_sn != '\0';
      gtk_list_store_insert_with_values (self->lost_store, NULL, -1, 0, c->card_number, 1, c->sn, 2,
                                         *c->holder_name != '\0' ? c->holder_name : c->holder_id, 3,
                                         card_status (c->status), 4, since, 5,
                                         c->replaced_by_number, 6, on, -1);
    }
  for (guint i = 0; i < r->key_cards->len; i++)
    {
      DbCpuCard *kc = r->key_cards->pdata[i];
      g_autofree char *quota =
          kc->quota >= 0 ? ic_log_format_count (kc->quota) : g_strdup (_ ("no limit"));
      g_autofree char *left = kc->quota >= 0
                                  ? ic_log_format_count (MAX (kc->quota - kc->issued_count, 0))
                                  : g_strdup ("—");

      gtk_list_store_insert_with_values (self->quota_store, NULL, -1, 0, kc->holder_name, 1,
                                         kc->serial, 2, kc->workstation, 3, quota, 4,
                                         kc->issued_count, 5, left, 6, cpu_status (kc->status), -1);
    }
  issued = ic_log_format_count (r->issued);
  /* The counts of lost and replaced cards follow in the same sentence. */
  summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "%s card issued in the period; %lld reported lost or "
                                          "taken back, %lld replaced.",
                                          "%s cards issued in the period; %lld reported lost or "
                                          "taken back, %lld replaced.",
                                          r->issued),
                             issued, (long long) r->lost_replaced->len, (long long) replaced);
  gtk_label_set_text (self->summary_label, summary);
}

gboolean
ic_reports_page_show (IcReportsPage *self)
{
  g_autoptr (GDateTime) until_day = NULL;
  Period *p;
  gboolean since_ok, until_ok;

  g_return_val_if_fail (IC_IS_REPORTS_PAGE (self), FALSE);

  if (self->window == NULL || !may_audit (self))
    return FALSE;
  p = g_new0 (Period, 1);
  since_ok = ic_log_parse_day (gtk_entry_get_text (self->since_entry), &p->since);
  until_ok = ic_log_parse_day (gtk_entry_get_text (self->until_entry), &until_day);
  if (!since_ok || !until_ok)
    {
      gtk_label_set_text (self->problem_label,
                          !since_ok ? _ ("Type the From date as year-month-day, like 2026-06-01.")
                                    : _ ("Type the To date as year-month-day, like 2026-06-30."));
      gtk_widget_grab_focus (GTK_WIDGET (!since_ok ? self->since_entry : self->until_entry));
      period_free (p);
      return FALSE;
    }
  /* To a day means to the end of it. */
  p->until = until_day != NULL ? g_date_time_add_days (until_day, 1) : NULL;
  if (p->since != NULL && p->until != NULL && g_date_time_compare (p->since, p->until) >= 0)
    {
      gtk_label_set_text (self->problem_label, _ ("The To date is before the From date."));
      period_free (p);
      return FALSE;
    }
  gtk_label_set_text (self->problem_label, "");
  self->shown = TRUE;
  if (!ic_main_window_run_task (self->window, _ ("Counting the cards issued"), report_func, p,
                                (GDestroyNotify) period_free,
                                (GDestroyNotify) wf_issuance_report_free, report_done, self))
    {
      ic_main_window_show_message (self->window, GTK_MESSAGE_INFO,
                                   _ ("Another task is running: wait until it has finished."));
      return FALSE;
    }
  return TRUE;
}

static void
show_clicked_cb (IcReportsPage *self)
{
  ic_reports_page_show (self);
}

GtkListStore *
ic_reports_page_get_store (IcReportsPage *self, const char *name)
{
  g_return_val_if_fail (IC_IS_REPORTS_PAGE (self), NULL);

  if (g_strcmp0 (name, "day") == 0)
    return self->day_store;
  if (g_strcmp0 (name, "operator") == 0)
    return self->operator_store;
  if (g_strcmp0 (name, "office") == 0)
    return self->office_store;
  if (g_strcmp0 (name, "lost") == 0)
    return self->lost_store;
  if (g_strcmp0 (name, "quota") == 0)
    return self->quota_store;
  return NULL;
}

/* The numbers stay no longer than the session; the first time the page
 * shows, the month so far is counted. */
static void
update (IcReportsPage *self)
{
  if (!may_audit (self))
    {
      clear (self);
      self->shown = FALSE;
      return;
    }
  if (!self->shown && gtk_widget_get_mapped (GTK_WIDGET (self))
      && !ic_main_window_is_busy (self->window))
    ic_reports_page_show (self);
}

static void
session_changed_cb (IcMainWindow *window, IcReportsPage *self)
{
  update (self);
}

static void
ic_reports_page_hierarchy_changed (GtkWidget *widget, GtkWidget *previous)
{
  IcReportsPage *self = IC_REPORTS_PAGE (widget);
  GtkWidget *top = gtk_widget_get_toplevel (widget);
  IcMainWindow *window = IC_IS_MAIN_WINDOW (top) ? IC_MAIN_WINDOW (top) : NULL;

  if (window == self->window)
    return;
  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  self->window = window;
  if (window != NULL)
    g_signal_connect_object (window, "session-changed", G_CALLBACK (session_changed_cb), self, 0);
  update (self);
}

static void
ic_reports_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (ic_reports_page_parent_class)->map (widget);
  update (IC_REPORTS_PAGE (widget));
}

static void
ic_reports_page_dispose (GObject *object)
{
  IcReportsPage *self = IC_REPORTS_PAGE (object);

  if (self->window != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->window, self);
      self->window = NULL;
    }
  G_OBJECT_CLASS (ic_reports_page_parent_class)->dispose (object);
}

static void
ic_reports_page_class_init (IcReportsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ic_reports_page_dispose;
  widget_class->hierarchy_changed = ic_reports_page_hierarchy_changed;
  widget_class->map = ic_reports_page_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-reports-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcReportsPage, name)
  CHILD (since_entry);
  CHILD (until_entry);
  CHILD (show_button);
  CHILD (switcher);
  CHILD (stack);
  CHILD (problem_label);
  CHILD (summary_label);
  CHILD (day_store);
  CHILD (operator_store);
  CHILD (office_store);
  CHILD (lost_store);
  CHILD (quota_store);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, show_clicked_cb);
}

static void
ic_reports_page_init (IcReportsPage *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *first = g_date_time_format (now, "%Y-%m-01");
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The month so far. */
  gtk_entry_set_text (self->since_entry, first);
  gtk_entry_set_text (self->until_entry, today);
}

GtkWidget *
ic_reports_page_new (void)
{
  return g_object_new (IC_TYPE_REPORTS_PAGE, NULL);
}
