/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The recovery key goes to paper only (issue 14, item 14): while its print
 * dialog is open GTK offers no "Print to File" (a virtual printer of the
 * "file" backend), and once the dialog is closed the app's other
 * printouts get it back. The page says why. */
#include "config.h"

#define G_LOG_DOMAIN "test-print-key"

#include <adwaita.h>
#include <gtk/gtkunixprint.h>
#include <string.h>

#include "koers-recovery-page.h"
#include "koers-test-util.h"

#define KEY "7K3QD-7K3QD-7K3QD-7K3QD-7K3QD-7K3QD-7K3QD-7K3QD"

static gboolean
note_printer (GtkPrinter *printer,
              gpointer    data)
{
  gboolean *file_printer = data;

  if (gtk_printer_is_virtual (printer) && g_strcmp0 (gtk_printer_get_backend (printer) ?
      G_OBJECT_TYPE_NAME (gtk_printer_get_backend (printer)) : "", "GtkPrintBackendFile") == 0)
    *file_printer = TRUE;
  return FALSE;
}

/* Whether GTK, enumerating its printers now, offers Print to File. */
static gboolean
print_to_file_offered (void)
{
  gboolean file_printer = FALSE;

  gtk_enumerate_printers (note_printer, &file_printer, NULL, TRUE);
  return file_printer;
}

/* Whether a label inside @widget holds @text. */
static gboolean
says (GtkWidget  *widget,
      const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (says (c, text))
      return TRUE;
  return FALSE;
}

static gboolean
dialog_open (gpointer data)
{
  return koers_test_find_toplevel (GTK_TYPE_PRINT_UNIX_DIALOG) != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return !koers_recovery_page_hides_print_to_file ();
}

static void
test_paper_only (void)
{
  GtkWidget *window = gtk_window_new ();
  KoersRecoveryPage *page = g_object_new (KOERS_TYPE_RECOVERY_PAGE, NULL);
  GtkWidget *dialog;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gboolean offered_before;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  koers_recovery_page_set_key (page, KEY, "Steunpunt Test");
  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();
  g_object_get (gtk_settings_get_default (), "gtk-print-backends", &before, NULL);
  offered_before = print_to_file_offered ();
  if (!offered_before)
    {
      g_test_skip ("GTK's file print backend is not installed");
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }

  /* The page says why there is no file. */
  g_assert_true (says (GTK_WIDGET (page), "does not print it to a file"));

  gtk_widget_activate_action (GTK_WIDGET (page), "recovery.print", NULL);
  koers_test_wait_until (dialog_open, NULL, 30);
  g_assert_true (koers_recovery_page_hides_print_to_file ());
  g_assert_false (print_to_file_offered ());

  dialog = koers_test_find_toplevel (GTK_TYPE_PRINT_UNIX_DIALOG);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  koers_test_wait_until (dialog_gone, NULL, 30);
  g_object_get (gtk_settings_get_default (), "gtk-print-backends", &after, NULL);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (print_to_file_offered ());
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/ui/print-key/paper-only", test_paper_only);
  return g_test_run ();
}
