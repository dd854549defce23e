/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: the insucard desktop application. */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "cl-key.h"
#include "ic-application.h"

int
main (int argc, char **argv)
{
  g_autoptr (IcApplication) app = NULL;

  cl_secure_init ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ic_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
