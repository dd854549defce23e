/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-holder-form.h: the cardholder's fields (WfIcardHolder) as a form,
 * checked as they are typed by the workflow's own rules
 * (wf_icard_holder_set(), wf_icard_holder_complete()): each field's
 * problem is shown under it, sex and birth date are filled from the ID
 * number, and "valid" says whether the whole would be accepted. */
#pragma once

#include <gtk/gtk.h>

#include "wf-icard.h"

G_BEGIN_DECLS

#define IC_TYPE_HOLDER_FORM (ic_holder_form_get_type ())
G_DECLARE_FINAL_TYPE (IcHolderForm, ic_holder_form, IC, HOLDER_FORM, GtkGrid)

GtkWidget *ic_holder_form_new (void);

/* TRUE when every field is accepted and the whole completes. */
gboolean ic_holder_form_get_valid (IcHolderForm *self);
/* The holder as the form gives it, completed (sex, birth date and
 * category filled); FALSE and *holder untouched while the form is not
 * valid.  Wipe *holder with wf_icard_holder_clear() after use. */
gboolean ic_holder_form_get_holder (IcHolderForm *self, WfIcardHolder *holder);
/* Loads a holder into the fields (a card read for a rewrite). */
void ic_holder_form_set_holder (IcHolderForm *self, const WfIcardHolder *holder);
/* Empties every field (and the text the entries kept). */
void ic_holder_form_clear (IcHolderForm *self);

/* A rewrite keeps the card's person: the ID number is shown, not edited. */
void ic_holder_form_set_id_editable (IcHolderForm *self, gboolean editable);
/* Focuses the first field that can be typed in. */
void ic_holder_form_focus_first (IcHolderForm *self);

/* The entry or combo box of a field (transfer none). */
GtkWidget *ic_holder_form_get_field_widget (IcHolderForm *self, WfIcardField field);
/* The problem shown under a field, or NULL. */
const char *ic_holder_form_get_message (IcHolderForm *self, WfIcardField field);

/* Properties:
 *   valid (gboolean, read-only) */

G_END_DECLS
