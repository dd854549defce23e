/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ic-login-page.c: the logged-out page: what to do, and the button that
 * starts the login task (win.login). */
#include "config.h"

#include <glib/gi18n.h>

#include "ic-login-page.h"

GtkWidget *
ic_login_page_new (gboolean training)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *title = gtk_label_new (_ ("Welcome"));
  GtkWidget *text = gtk_label_new (
      _ ("Put your administrator card or key card into R1, the key reader, then log in. "
         "You will be asked for your PIN."));
  GtkWidget *button = gtk_button_new_with_mnemonic (_ ("_Log in"));
  PangoAttrList *big = pango_attr_list_new ();

  pango_attr_list_insert (big, pango_attr_scale_new (1.6));
  pango_attr_list_insert (big, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_attributes (GTK_LABEL (title), big);
  pango_attr_list_unref (big);
  gtk_label_set_line_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 50);
  gtk_label_set_justify (GTK_LABEL (text), GTK_JUSTIFY_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.login");
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_style_context_add_class (gtk_widget_get_style_context (button), "suggested-action");
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_container_add (GTK_CONTAINER (box), title);
  gtk_container_add (GTK_CONTAINER (box), text);
  if (training)
    {
      GtkWidget *demo = gtk_label_new (
          _ ("Training: the demo cards are in the card drawer on the right. Put the issuing "
             "administrator's card into R1; its PIN is 123456."));

      gtk_label_set_line_wrap (GTK_LABEL (demo), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (demo), 50);
      gtk_label_set_justify (GTK_LABEL (demo), GTK_JUSTIFY_CENTER);
      gtk_container_add (GTK_CONTAINER (box), demo);
    }
  gtk_container_add (GTK_CONTAINER (box), button);
  gtk_widget_show_all (box);
  return box;
}
