/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers"

#include <glib/gi18n.h>
#include <locale.h>

#include "koers-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KoersApplication) app = NULL;
  const char *localedir = g_getenv ("KOERS_LOCALEDIR"); /* uninstalled runs */

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name ("Koers");
  app = koers_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
