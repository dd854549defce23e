/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-read-page.c: reading a card (ic-read-page.h).  wf_icard_read() does
 * the reading and checking in a task; the page lays out the report. */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-read-page.h"
#include "wf-insurance.h"

struct _IcReadPage {
  GtkBox parent_instance;

  GtkWidget *read_button;
  GtkInfoBar *banner;
  GtkImage *banner_icon;
  GtkLabel *banner_label;
  GtkGrid *left, *right; /* the card and its holder; its state, checks, registry */

  IcMainWindow *window; /* weak */
  GtkGrid *grid; /* where rows go now */
  int rows[2];
};

G_DEFINE_FINAL_TYPE (IcReadPage, ic_read_page, GTK_TYPE_BOX)

/* -- the layout ---------------------------------------------------------------------------- */

static int *
rows_of (IcReadPage *self)
{
  return &self->rows[self->grid == self->left ? 0 : 1];
}

static void
clear_details (IcReadPage *self)
{
  GtkGrid *grids[] = { self->left, self->right };

  /* The holder's data leave the screen with their labels. */
  for (guint i = 0; i < G_N_ELEMENTS (grids); i++)
    {
      g_autoptr (GList) children = gtk_container_get_children (GTK_CONTAINER (grids[i]));

      for (GList *l = children; l != NULL; l = l->next)
        gtk_widget_destroy (l->data);
      self->rows[i] = 0;
    }
  self->grid = self->left;
  gtk_widget_hide (GTK_WIDGET (self->banner));
}

static void
add_section (IcReadPage *self, const char *title)
{
  int *rows = rows_of (self);
  GtkWidget *label = gtk_label_new (title);
  PangoAttrList *bold = pango_attr_list_new ();

  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (GTK_LABEL (label), bold);
  pango_attr_list_unref (bold);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_margin_top (label, *rows > 0 ? 12 : 0);
  gtk_grid_attach (self->grid, label, 0, (*rows)++, 2, 1);
  gtk_widget_show (label);
}

/* A "label  value" row; the value can be selected and copied. */
static void
add_row (IcReadPage *self, const char *name, const char *value)
{
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *text = gtk_label_new (value != NULL && value[0] != '\0' ? value : "—");
  int *rows = rows_of (self);

  gtk_label_set_xalign (GTK_LABEL (label), 1);
  gtk_label_set_yalign (GTK_LABEL (label), 0);
  gtk_style_context_add_class (gtk_widget_get_style_context (label), "dim-label");
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_line_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 40);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  /* Screen readers read the value with its name. */
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), text);
  gtk_grid_attach (self->grid, label, 0, *rows, 1, 1);
  gtk_grid_attach (self->grid, text, 1, (*rows)++, 1, 1);
  gtk_widget_show (label);
  gtk_widget_show (text);
}

static void
add_row_take (IcReadPage *self, const char *name, char *value)
{
  add_row (self, name, value);
  g_free (value);
}

static const char *
yes_no (gboolean b)
{
  return b ? _ ("yes") : _ ("no");
}

static const char *
registry_status (DbCardStatus status)
{
  switch (status)
    {
    case DB_CARD_STARTED:
      return _ ("issuance unfinished");
    case DB_CARD_ISSUED:
      return _ ("issued, in use");
    case DB_CARD_LOST:
      return _ ("reported lost");
    case DB_CARD_WITHDRAWN:
      return _ ("withdrawn (replaced)");
    case DB_CARD_CANCELLED:
      return _ ("cancelled");
    case DB_CARD_CLEARED:
      return _ ("cleared");
    default:
      return _ ("unknown");
    }
}

static const char *
card_type (WfIcardType type)
{
  switch (type)
    {
    case WF_ICARD_TYPE_REGULAR:
      return _ ("regular");
    case WF_ICARD_TYPE_REPLACEMENT:
      return _ ("replacement");
    case WF_ICARD_TYPE_TRAINING:
      return _ ("training (worthless)");
    default:
      return _ ("unknown");
    }
}

static const char *
sex_name (const char *code)
{
  switch (code[0])
    {
    case '1':
      return _ ("male");
    case '2':
      return _ ("female");
    case '9':
      return _ ("not stated");
    case '0':
      return _ ("unknown");
    default:
      return "";
    }
}

/* "2024-01-05 14:03", local time, from the registry's UTC timestamp. */
static char *
local_time (const char *iso)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (iso, NULL);
  g_autoptr (GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (iso);
}

/* A holder field as people read it. */
static char *
holder_value (const WfIcardHolder *h, WfIcardField f)
{
  const char *v = wf_icard_holder_get (h, f);

  if (v[0] == '\0')
    return g_strdup ("");
  switch (f)
    {
    case WF_ICARD_FIELD_SEX:
      return g_strdup_printf ("%s (%s)", sex_name (v), v);
    case WF_ICARD_FIELD_BIRTH_DATE:
    case WF_ICARD_FIELD_VALID_UNTIL:
      return wf_icard_date_format (v);
    case WF_ICARD_FIELD_INSURANCE_CATEGORY:
      return g_strdup_printf ("%s %s", v, wf_icard_category_label (v));
    default:
      return g_strdup (v);
    }
}

/* -- the banner ---------------------------------------------------------------------------- */

/* What the clerk must do with this card, most serious first. */
static void
show_verdict (IcReadPage *self, const WfIcardReport *r)
{
  const WfIcardView *v = &r->view;
  DbCardStatus reg = r->record != NULL ? r->record->status : 0;
  WfIcardStatus on_card = v->status_check == WF_ICARD_CHECK_OK ? v->data.status : 0;
  g_autoptr (GString) text = g_string_new (NULL);
  GtkMessageType type = GTK_MESSAGE_INFO;

#define LINE(s) g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", (s))
  if (reg == DB_CARD_LOST || on_card == WF_ICARD_STATUS_LOST)
    LINE (_ ("LOST — do not accept this card. It was reported lost: keep it and follow the "
             "office's rules."));
  if (reg == DB_CARD_CANCELLED || on_card == WF_ICARD_STATUS_CANCELLED)
    LINE (_ ("CANCELLED — do not accept this card. It was cancelled for good: keep it."));
  if (reg == DB_CARD_WITHDRAWN || on_card == WF_ICARD_STATUS_WITHDRAWN)
    LINE (_ ("WITHDRAWN — do not accept this card. It was replaced: keep it."));
  if (r->blacklisted)
    LINE (_ ("BLACKLISTED — do not accept this card. It is on the blacklist: keep it and follow "
             "the office's rules."));
  if (reg == DB_CARD_CLEARED)
    LINE (_ ("CLEARED — this card holds no holder data and is not valid for use."));
  if (text->len > 0)
    type = GTK_MESSAGE_ERROR;
  else if (v->blank)
    LINE (_ ("This card is blank: it has not been issued."));
  else if (!wf_icard_view_ok (v))
    {
      type = GTK_MESSAGE_ERROR;
      LINE (_ ("DAMAGED — a block of this card does not check (see below): it was damaged or "
               "altered. Do not accept it; replace the card."));
    }
  else if (r->record == NULL)
    {
      type = GTK_MESSAGE_WARNING;
      LINE (_ ("NOT IN THE REGISTRY — this office has no record of this card. Find out where it "
               "was issued before accepting it."));
    }
  else if (reg == DB_CARD_STARTED)
    {
      type = GTK_MESSAGE_WARNING;
      LINE (_ ("UNFINISHED — the issuance of this card did not end. Finish or undo it on the "
               "Unfinished issuances page."));
    }
  else
    LINE (_ ("The card checks and is in use."));
#undef LINE

  gtk_info_bar_set_message_type (self->banner, type);
  if (type == GTK_MESSAGE_INFO && !v->blank)
    gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (self->banner)), "ic-ok");
  else
    gtk_style_context_remove_class (gtk_widget_get_style_context (GTK_WIDGET (self->banner)),
                                    "ic-ok");
  gtk_image_set_from_icon_name (self->banner_icon,
                                type == GTK_MESSAGE_ERROR     ? "dialog-error-symbolic"
                                : type == GTK_MESSAGE_WARNING ? "dialog-warning-symbolic"
                                : v->blank                    ? "dialog-information-symbolic"
                                                              : "emblem-ok-symbolic",
                                GTK_ICON_SIZE_DIALOG);
  gtk_label_set_text (self->banner_label, text->str);
  atk_object_set_role (gtk_widget_get_accessible (GTK_WIDGET (self->banner)),
                       type == GTK_MESSAGE_ERROR ? ATK_ROLE_ALERT : ATK_ROLE_INFO_BAR);
  gtk_widget_show (GTK_WIDGET (self->banner));
}

/* -- the report ---------------------------------------------------------------------------- */

static void
show_report (IcReadPage *self, const WfIcardReport *r)
{
  const WfIcardView *v = &r->view;
  const WfIcardData *d = &v->data;
  char sn[17];
  guint bad_records = 0;

  clear_details (self);
  show_verdict (self, r);
  for (guint i = 0; i < 8; i++)
    g_snprintf (sn + 2 * i, 3, "%02X", v->serial[i]);

  add_section (self, _ ("Card"));
  if (v->number_check == WF_ICARD_CHECK_OK)
    {
      add_row_take (self, _ ("Card number"), wf_icard_format_card_number (d->card_number));
      add_row (self, _ ("Serial (SN)"), sn);
      add_row_take (self, _ ("Issue date"), wf_icard_date_format (d->issue_date));
      add_row (self, _ ("Region"), d->region_code);
      add_row (self, _ ("Card type"), card_type (d->card_type));
      add_row_take (self, _ ("Layout version"), g_strdup_printf ("%u", d->layout_version));
    }
  else
    {
      add_row (self, _ ("Serial (SN)"), sn);
      add_row (self, _ ("Card number"),
               v->blank ? _ ("none: the card is blank")
                        : _ ("unreadable: the card number block does not check"));
    }

  add_section (self, _ ("Holder"));
  if (v->holder_decrypted && v->holder_check == WF_ICARD_CHECK_OK)
    for (guint f = 0; f < WF_ICARD_N_FIELDS; f++)
      add_row_take (self, wf_icard_field_label (f), holder_value (&d->holder, f));
  else if (!v->holder_decrypted && !v->blank)
    add_row (self, _ ("Holder"),
             _ ("Your card cannot decrypt the holder's data (it holds no data key). An issuing "
                "administrator's card or a key card can."));
  else
    add_row (self, _ ("Holder"), wf_icard_check_to_string (v->holder_check));

  self->grid = self->right;
  add_section (self, _ ("State"));
  if (v->status_check == WF_ICARD_CHECK_OK)
    {
      add_row (self, _ ("Status on the card"), wf_icard_status_to_string (d->status));
      add_row_take (self, _ ("Rewritten"),
                    g_strdup_printf (ngettext ("%u time", "%u times", d->rewrite_counter),
                                     d->rewrite_counter));
      add_row_take (self, _ ("Last change"), wf_icard_date_format (d->last_change));
    }
  else
    add_row (self, _ ("Status on the card"), wf_icard_check_to_string (v->status_check));
  add_row_take (self, _ ("Transactions"),
                v->txn_header_check == WF_ICARD_CHECK_OK
                    ? g_strdup_printf ("%u", v->txn_count)
                    : g_strdup (wf_icard_check_to_string (v->txn_header_check)));
  add_row_take (self, _ ("PSC tries left"), g_strdup_printf (_ ("%u of 8"), v->tries_left));
  add_row (self, _ ("Protection"), r->protection);
  add_row (self, _ ("Card number protected"), yes_no (r->protected_number));

  add_section (self, _ ("Checks"));
  add_row (self, _ ("Card number block"), wf_icard_check_to_string (v->number_check));
  add_row (self, _ ("Holder block"), wf_icard_check_to_string (v->holder_check));
  add_row (self, _ ("Status block"), wf_icard_check_to_string (v->status_check));
  add_row (self, _ ("Transaction header"), wf_icard_check_to_string (v->txn_header_check));
  for (guint i = 0; i < v->n_records; i++)
    if (v->records[i].check != WF_ICARD_CHECK_OK && v->records[i].check != WF_ICARD_CHECK_NO_KEY)
      bad_records++;
  if (v->n_records > 0)
    add_row_take (self, _ ("Transaction records"),
                  bad_records == 0
                      ? g_strdup (_ ("all correct"))
                      : g_strdup_printf (_ ("%u of %u do not check"), bad_records, v->n_records));
  add_row (self, _ ("Reserved area"),
           v->reserved_clean ? _ ("empty, as it should be") : _ ("written: not as issued"));

  add_section (self, _ ("Registry"));
  if (r->record != NULL)
    {
      g_autofree char *number = wf_icard_format_card_number (r->record->card_number);

      add_row (self, _ ("Registry status"), registry_status (r->record->status));
      add_row (self, _ ("Card number"), number);
      add_row (self, _ ("Holder's ID number"), r->record->holder_id);
      add_row (self, _ ("Issued on"), r->record->issue_date);
      add_row (self, _ ("Valid until"), r->record->valid_until);
      add_row_take (self, _ ("Issued by"),
                    g_strdup_printf (_ ("%s at %s"),
                                     r->record->issued_by_name ? r->record->issued_by_name : "—",
                                     r->record->workstation ? r->record->workstation : "—"));
      if (r->record->status_changed_at != NULL)
        add_row_take (self, _ ("Status since"), local_time (r->record->status_changed_at));
    }
  else
    add_row (self, _ ("Registry status"), _ ("not in this office's registry"));
  add_row (self, _ ("Blacklist"), r->blacklisted ? _ ("BLACKLISTED") : _ ("not listed"));
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
  g_autoptr (IcReadPage) self = user_data;

  if (result != NULL)
    show_report (self, result);
}

static void
read_clicked_cb (GtkButton *button, IcReadPage *self)
{
  if (self->window == NULL)
    return;
  if (ic_main_window_run_task (self->window, _ ("Reading the card in R2"), read_func, NULL, NULL,
                               (GDestroyNotify) wf_icard_report_free, read_done,
                               g_object_ref (self)))
    clear_details (self);
  else
    g_object_unref (self);
}

static void
map_cb (GtkWidget *widget, IcReadPage *self)
{
  gtk_widget_grab_default (self->read_button);
}

static void
session_changed_cb (IcMainWindow *window, IcReadPage *self)
{
  WfSession *session = ic_main_window_get_session (window);

  if (session == NULL || !wf_session_is_active (session))
    clear_details (self);
}

/* -- the API ------------------------------------------------------------------------------- */

const char *
ic_read_page_get_banner (IcReadPage *self, GtkMessageType *type)
{
  g_return_val_if_fail (IC_IS_READ_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->banner)))
    {
      if (type != NULL)
        *type = GTK_MESSAGE_OTHER;
      return NULL;
    }
  if (type != NULL)
    *type = gtk_info_bar_get_message_type (self->banner);
  return gtk_label_get_text (self->banner_label);
}

char *
ic_read_page_get_text (IcReadPage *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (IC_IS_READ_PAGE (self), NULL);

  for (guint i = 0; i < 2; i++)
    for (int row = 0; row < self->rows[i]; row++)
      {
        GtkGrid *grid = i == 0 ? self->left : self->right;
        GtkWidget *name = gtk_grid_get_child_at (grid, 0, row);
        GtkWidget *value = gtk_grid_get_child_at (grid, 1, row);

        if (value == NULL || value == name)
          g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (name)));
        else
          g_string_append_printf (out, "%s: %s\n", gtk_label_get_text (GTK_LABEL (name)),
                                  gtk_label_get_text (GTK_LABEL (value)));
      }
  return g_string_free (out, FALSE);
}

/* -- GObject ------------------------------------------------------------------------------- */

static void
ic_read_page_dispose (GObject *object)
{
  IcReadPage *self = IC_READ_PAGE (object);

  g_clear_weak_pointer (&self->window);
  G_OBJECT_CLASS (ic_read_page_parent_class)->dispose (object);
}

static void
ic_read_page_class_init (IcReadPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = ic_read_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-read-page.ui");
  gtk_widget_class_bind_template_child (widget_class, IcReadPage, read_button);
  gtk_widget_class_bind_template_child (widget_class, IcReadPage, banner);
  gtk_widget_class_bind_template_child (widget_class, IcReadPage, banner_icon);
  gtk_widget_class_bind_template_child (widget_class, IcReadPage, banner_label);
  gtk_widget_class_bind_template_child (widget_class, IcReadPage, left);
  gtk_widget_class_bind_template_child (widget_class, IcReadPage, right);
  gtk_widget_class_bind_template_callback (widget_class, map_cb);
  gtk_widget_class_bind_template_callback (widget_class, read_clicked_cb);
}

/* The banner's colours, once for the screen (scoped by .ic-verdict). */
static void
load_css (void)
{
  static gboolean loaded;
  g_autoptr (GtkCssProvider) css = NULL;

  if (loaded || gdk_screen_get_default () == NULL)
    return;
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/org/insucard/Insucard/ic-read-page.css");
  gtk_style_context_add_provider_for_screen (gdk_screen_get_default (), GTK_STYLE_PROVIDER (css),
                                             GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  loaded = TRUE;
}

static void
ic_read_page_init (IcReadPage *self)
{
  load_css ();
  gtk_widget_init_template (GTK_WIDGET (self));
  self->grid = self->left;
}

GtkWidget *
ic_read_page_new (IcMainWindow *window)
{
  IcReadPage *self = g_object_new (IC_TYPE_READ_PAGE, NULL);

  g_set_weak_pointer (&self->window, window);
  g_signal_connect_object (window, "session-changed", G_CALLBACK (session_changed_cb), self, 0);
  return GTK_WIDGET (self);
}
