/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-holder-form.c: the cardholder's fields, checked as they are typed
 * (ic-holder-form.h).  Every rule is the workflow's: the form only says
 * where the problem is. */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "ic-holder-form.h"

struct _IcHolderForm {
  GtkGrid parent_instance;

  GtkWidget *id_entry, *name_entry, *sex_combo, *ethnicity_entry, *birth_entry;
  GtkWidget *category_combo, *employer_entry, *valid_entry, *personal_entry;
  GtkLabel *id_message, *name_message, *sex_message, *ethnicity_message, *birth_message;
  GtkLabel *category_message, *employer_message, *valid_message, *personal_message;

  GtkWidget *fields[WF_ICARD_N_FIELDS];
  GtkLabel *messages[WF_ICARD_N_FIELDS];
  WfIcardHolder holder; /* every field as last accepted */
  gboolean ok[WF_ICARD_N_FIELDS];
  char *problem[WF_ICARD_N_FIELDS]; /* the field's own, or NULL */
  gboolean touched[WF_ICARD_N_FIELDS]; /* typed in: an empty required field is a problem */
  gboolean filled[WF_ICARD_N_FIELDS]; /* sex and birth date as the ID number gave them */
  gboolean filling; /* the form writes into its fields */
  gboolean valid;
};

G_DEFINE_FINAL_TYPE (IcHolderForm, ic_holder_form, GTK_TYPE_GRID)

enum { PROP_0, PROP_VALID, N_PROPS };
static GParamSpec *props[N_PROPS];

/* -- the fields ---------------------------------------------------------------------------- */

static int
field_of (IcHolderForm *self, GtkWidget *widget)
{
  for (int f = 0; f < WF_ICARD_N_FIELDS; f++)
    if (self->fields[f] == widget)
      return f;
  return -1;
}

static gboolean
is_date (WfIcardField f)
{
  return f == WF_ICARD_FIELD_BIRTH_DATE || f == WF_ICARD_FIELD_VALID_UNTIL;
}

/* What the field holds as the workflow wants it ("" when empty). */
static const char *
field_text (IcHolderForm *self, WfIcardField f)
{
  GtkWidget *w = self->fields[f];

  if (GTK_IS_COMBO_BOX (w))
    {
      const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (w));

      return id != NULL ? id : "";
    }
  return gtk_entry_get_text (GTK_ENTRY (w));
}

/* Writes a field without it counting as typed. */
static void
field_set_text (IcHolderForm *self, WfIcardField f, const char *value)
{
  GtkWidget *w = self->fields[f];
  g_autofree char *shown = is_date (f) && value[0] != '\0' ? wf_icard_date_format (value) : NULL;

  self->filling = TRUE;
  if (GTK_IS_COMBO_BOX (w))
    {
      if (!gtk_combo_box_set_active_id (GTK_COMBO_BOX (w), value))
        gtk_combo_box_set_active_id (GTK_COMBO_BOX (w), "");
    }
  else
    gtk_entry_set_text (GTK_ENTRY (w), shown != NULL ? shown : value);
  self->filling = FALSE;
}

/* "Name: The name …" under the name field reads "The name …". */
static const char *
without_label (WfIcardField f, const char *message)
{
  const char *label = wf_icard_field_label (f);
  gsize n = strlen (label);

  if (strncmp (message, label, n) == 0 && message[n] == ':')
    return message + n + 1 + strspn (message + n + 1, " ");
  return message;
}

static void
show_problem (IcHolderForm *self, WfIcardField f, const char *text)
{
  GtkWidget *w = self->fields[f];
  GtkStyleContext *style = gtk_widget_get_style_context (w);

  gtk_label_set_text (self->messages[f], text != NULL ? text : "");
  /* Under its field, taking room only when there is a problem: beside it,
   * the messages' column made the issue page too wide for a 1280-pixel
   * screen with the training drawer. */
  gtk_widget_set_visible (GTK_WIDGET (self->messages[f]), text != NULL);
  if (text != NULL)
    gtk_style_context_add_class (style, "error");
  else
    gtk_style_context_remove_class (style, "error");
  if (GTK_IS_ENTRY (w))
    {
      gtk_entry_set_icon_from_icon_name (GTK_ENTRY (w), GTK_ENTRY_ICON_SECONDARY,
                                         text != NULL ? "dialog-warning-symbolic" : NULL);
      gtk_entry_set_icon_tooltip_text (GTK_ENTRY (w), GTK_ENTRY_ICON_SECONDARY, text);
    }
}

/* The whole: every field accepted, then wf_icard_holder_complete() on a
 * copy; its problem (sex or birth date against the ID number) is shown
 * at the field it names. */
static void
update_valid (IcHolderForm *self)
{
  g_autoptr (GError) error = NULL;
  int whole_field = -1;
  gboolean valid = TRUE;

  for (int f = 0; f < WF_ICARD_N_FIELDS; f++)
    valid &= self->ok[f];
  if (valid)
    {
      WfIcardHolder copy = self->holder;

      valid = wf_icard_holder_complete (&copy, &error);
      wf_icard_holder_clear (&copy);
      for (int f = 0; !valid && f < WF_ICARD_N_FIELDS; f++)
        if (without_label (f, error->message) != error->message)
          whole_field = f;
    }
  for (int f = 0; f < WF_ICARD_N_FIELDS; f++)
    {
      const char *text = self->problem[f];

      if (f == whole_field)
        text = without_label (f, error->message);
      else if (text != NULL && !self->touched[f] && field_text (self, f)[0] == '\0')
        text = NULL; /* "must be filled in" waits until the clerk was there */
      show_problem (self, f, text);
    }
  if (valid != self->valid)
    {
      self->valid = valid;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VALID]);
    }
}

/* One field through wf_icard_holder_set(). */
static void
check_field (IcHolderForm *self, WfIcardField f)
{
  g_autoptr (GError) error = NULL;

  g_clear_pointer (&self->problem[f], g_free);
  self->ok[f] = wf_icard_holder_set (&self->holder, f, field_text (self, f), &error);
  if (!self->ok[f])
    self->problem[f] = g_strdup (without_label (f, error->message));
}

/* Sex and birth date from a valid ID number, into the fields the clerk
 * left empty or the form filled before; emptied again when the number
 * is no longer valid. */
static void
fill_from_id (IcHolderForm *self)
{
  static const WfIcardField given[] = { WF_ICARD_FIELD_SEX, WF_ICARD_FIELD_BIRTH_DATE };
  WfIcardHolder from_id = { 0 };
  gboolean ok = self->ok[WF_ICARD_FIELD_ID_NUMBER];

  if (ok)
    {
      memcpy (from_id.id_number, self->holder.id_number, sizeof from_id.id_number);
      g_strlcpy (from_id.name, "-", sizeof from_id.name); /* complete() wants one */
      ok = wf_icard_holder_complete (&from_id, NULL);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (given); i++)
    {
      WfIcardField f = given[i];

      if (!self->filled[f] && field_text (self, f)[0] != '\0')
        continue;
      field_set_text (self, f, ok ? wf_icard_holder_get (&from_id, f) : "");
      self->filled[f] = ok;
      check_field (self, f);
    }
  wf_icard_holder_clear (&from_id);
}

static void
field_changed_cb (GtkWidget *widget, IcHolderForm *self)
{
  int f = field_of (self, widget);

  if (f < 0 || self->filling)
    return;
  self->touched[f] = TRUE;
  self->filled[f] = FALSE;
  check_field (self, f);
  if (f == WF_ICARD_FIELD_ID_NUMBER)
    fill_from_id (self);
  update_valid (self);
}

/* -- the API ------------------------------------------------------------------------------- */

gboolean
ic_holder_form_get_valid (IcHolderForm *self)
{
  g_return_val_if_fail (IC_IS_HOLDER_FORM (self), FALSE);
  return self->valid;
}

gboolean
ic_holder_form_get_holder (IcHolderForm *self, WfIcardHolder *holder)
{
  WfIcardHolder copy;

  g_return_val_if_fail (IC_IS_HOLDER_FORM (self), FALSE);
  g_return_val_if_fail (holder != NULL, FALSE);

  if (!self->valid)
    return FALSE;
  copy = self->holder;
  if (!wf_icard_holder_complete (&copy, NULL))
    {
      wf_icard_holder_clear (&copy);
      return FALSE;
    }
  *holder = copy;
  wf_icard_holder_clear (&copy);
  return TRUE;
}

static void
load (IcHolderForm *self, const WfIcardHolder *holder, gboolean touched)
{
  for (int f = 0; f < WF_ICARD_N_FIELDS; f++)
    {
      field_set_text (self, f, holder != NULL ? wf_icard_holder_get (holder, f) : "");
      self->touched[f] = touched;
      self->filled[f] = FALSE;
      check_field (self, f);
    }
  update_valid (self);
}

void
ic_holder_form_set_holder (IcHolderForm *self, const WfIcardHolder *holder)
{
  g_return_if_fail (IC_IS_HOLDER_FORM (self));
  g_return_if_fail (holder != NULL);

  load (self, holder, TRUE);
}

void
ic_holder_form_clear (IcHolderForm *self)
{
  g_return_if_fail (IC_IS_HOLDER_FORM (self));

  load (self, NULL, FALSE);
  wf_icard_holder_clear (&self->holder);
}

void
ic_holder_form_set_id_editable (IcHolderForm *self, gboolean editable)
{
  g_return_if_fail (IC_IS_HOLDER_FORM (self));

  /* Still focusable: the number can be read and copied. */
  gtk_editable_set_editable (GTK_EDITABLE (self->id_entry), editable);
  gtk_entry_set_icon_from_icon_name (GTK_ENTRY (self->id_entry), GTK_ENTRY_ICON_PRIMARY,
                                     editable ? NULL : "changes-prevent-symbolic");
  gtk_widget_set_tooltip_text (self->id_entry,
                               editable ? NULL
                                        : _ ("The card's person cannot change: issue a card to "
                                             "another person instead."));
}

void
ic_holder_form_focus_first (IcHolderForm *self)
{
  g_return_if_fail (IC_IS_HOLDER_FORM (self));

  gtk_widget_grab_focus (gtk_editable_get_editable (GTK_EDITABLE (self->id_entry))
                             ? self->id_entry
                             : self->name_entry);
}

GtkWidget *
ic_holder_form_get_field_widget (IcHolderForm *self, WfIcardField field)
{
  g_return_val_if_fail (IC_IS_HOLDER_FORM (self), NULL);
  g_return_val_if_fail (field < WF_ICARD_N_FIELDS, NULL);
  return self->fields[field];
}

const char *
ic_holder_form_get_message (IcHolderForm *self, WfIcardField field)
{
  const char *text;

  g_return_val_if_fail (IC_IS_HOLDER_FORM (self), NULL);
  g_return_val_if_fail (field < WF_ICARD_N_FIELDS, NULL);

  text = gtk_label_get_text (self->messages[field]);
  return text[0] != '\0' ? text : NULL;
}

/* -- GObject ------------------------------------------------------------------------------- */

static void
ic_holder_form_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  IcHolderForm *self = IC_HOLDER_FORM (object);

  switch (prop_id)
    {
    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ic_holder_form_finalize (GObject *object)
{
  IcHolderForm *self = IC_HOLDER_FORM (object);

  wf_icard_holder_clear (&self->holder);
  for (int f = 0; f < WF_ICARD_N_FIELDS; f++)
    g_free (self->problem[f]);
  G_OBJECT_CLASS (ic_holder_form_parent_class)->finalize (object);
}

static void
ic_holder_form_dispose (GObject *object)
{
  IcHolderForm *self = IC_HOLDER_FORM (object);

  /* GtkEntryBuffer keeps its text in plain memory: empty it. */
  for (int f = 0; f < WF_ICARD_N_FIELDS; f++)
    if (self->fields[f] != NULL && GTK_IS_ENTRY (self->fields[f]))
      {
        self->filling = TRUE;
        gtk_entry_set_text (GTK_ENTRY (self->fields[f]), "");
      }
  G_OBJECT_CLASS (ic_holder_form_parent_class)->dispose (object);
}

static void
ic_holder_form_class_init (IcHolderFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = ic_holder_form_get_property;
  object_class->dispose = ic_holder_form_dispose;
  object_class->finalize = ic_holder_form_finalize;

  props[PROP_VALID] =
      g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/insucard/Insucard/ic-holder-form.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, IcHolderForm, name)
  CHILD (id_entry);
  CHILD (name_entry);
  CHILD (sex_combo);
  CHILD (ethnicity_entry);
  CHILD (birth_entry);
  CHILD (category_combo);
  CHILD (employer_entry);
  CHILD (valid_entry);
  CHILD (personal_entry);
  CHILD (id_message);
  CHILD (name_message);
  CHILD (sex_message);
  CHILD (ethnicity_message);
  CHILD (birth_message);
  CHILD (category_message);
  CHILD (employer_message);
  CHILD (valid_message);
  CHILD (personal_message);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
}

static const char *const categories[] = { "310", "320", "330", "340", "390", "392" };

static void
ic_holder_form_init (IcHolderForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->fields[WF_ICARD_FIELD_ID_NUMBER] = self->id_entry;
  self->fields[WF_ICARD_FIELD_NAME] = self->name_entry;
  self->fields[WF_ICARD_FIELD_SEX] = self->sex_combo;
  self->fields[WF_ICARD_FIELD_ETHNICITY] = self->ethnicity_entry;
  self->fields[WF_ICARD_FIELD_BIRTH_DATE] = self->birth_entry;
  self->fields[WF_ICARD_FIELD_INSURANCE_CATEGORY] = self->category_combo;
  self->fields[WF_ICARD_FIELD_EMPLOYER_CODE] = self->employer_entry;
  self->fields[WF_ICARD_FIELD_VALID_UNTIL] = self->valid_entry;
  self->fields[WF_ICARD_FIELD_PERSONAL_NUMBER] = self->personal_entry;
  self->messages[WF_ICARD_FIELD_ID_NUMBER] = self->id_message;
  self->messages[WF_ICARD_FIELD_NAME] = self->name_message;
  self->messages[WF_ICARD_FIELD_SEX] = self->sex_message;
  self->messages[WF_ICARD_FIELD_ETHNICITY] = self->ethnicity_message;
  self->messages[WF_ICARD_FIELD_BIRTH_DATE] = self->birth_message;
  self->messages[WF_ICARD_FIELD_INSURANCE_CATEGORY] = self->category_message;
  self->messages[WF_ICARD_FIELD_EMPLOYER_CODE] = self->employer_message;
  self->messages[WF_ICARD_FIELD_VALID_UNTIL] = self->valid_message;
  self->messages[WF_ICARD_FIELD_PERSONAL_NUMBER] = self->personal_message;

  /* The codes the card stores, named for people. */
  self->filling = TRUE;
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->sex_combo), "", _ ("From the ID number"));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->sex_combo), "1", _ ("Male"));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->sex_combo), "2", _ ("Female"));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->sex_combo), "0", _ ("Unknown"));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->sex_combo), "9", _ ("Not stated"));
  gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->category_combo), "",
                             _ ("Default: 310 with an employer code, else 390"));
  for (gsize i = 0; i < G_N_ELEMENTS (categories); i++)
    {
      g_autofree char *text =
          g_strdup_printf ("%s %s", categories[i], wf_icard_category_label (categories[i]));

      gtk_combo_box_text_append (GTK_COMBO_BOX_TEXT (self->category_combo), categories[i], text);
    }
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->sex_combo), "");
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->category_combo), "");
  self->filling = FALSE;

  /* Each problem describes its field for screen readers. */
  for (int f = 0; f < WF_ICARD_N_FIELDS; f++)
    {
      AtkObject *field = gtk_widget_get_accessible (self->fields[f]);
      AtkObject *message = gtk_widget_get_accessible (GTK_WIDGET (self->messages[f]));

      atk_object_add_relationship (field, ATK_RELATION_DESCRIBED_BY, message);
      atk_object_add_relationship (message, ATK_RELATION_DESCRIPTION_FOR, field);
    }
  load (self, NULL, FALSE);
}

GtkWidget *
ic_holder_form_new (void)
{
  return g_object_new (IC_TYPE_HOLDER_FORM, NULL);
}
