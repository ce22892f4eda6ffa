/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers"

#include <gtk/gtk.h>

#include "koers-application.h"
#include "koers-settings.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KoersApplication) app = NULL;
  const char *localedir = g_getenv ("KOERS_LOCALEDIR"); /* uninstalled runs */

  /* Koers sets the locale itself, with the language chosen in Preferences;
   * GTK would reset it when it initialises. */
  gtk_disable_setlocale ();
  koers_settings_setup_language (localedir != NULL ? localedir : LOCALEDIR);

  g_set_application_name ("Koers");
  app = koers_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
