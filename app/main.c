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
  const char *localedir;

  cl_secure_init ();
  setlocale (LC_ALL, "");
  /* INSUCARD_LOCALEDIR: the translations from elsewhere than the installed
   * LOCALEDIR, such as a build tree's po/ (its zh_CN/LC_MESSAGES/insucard.mo),
   * so that an uninstalled build can be run, tested and shown translated
   * (tools/screenshots).  Unset or empty: the installed ones. */
  localedir = g_getenv ("INSUCARD_LOCALEDIR");
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ic_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
