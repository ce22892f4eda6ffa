/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: koers-office, the national office's headless program. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <sodium.h>

#include "koers-office-cli.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (sodium_init () < 0)
    return 70;
  return koers_office_cli_run (argc, argv);
}
