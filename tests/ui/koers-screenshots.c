/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Renders each page of the real app to a PNG (build-aux/screenshots).
 *
 *   koers-screenshots OUTDIR [SUFFIX] [--dark]
 *   koers-screenshots --check-accessible
 *   koers-screenshots --serve-accessible
 *
 * The second form walks the same screens and fails on any control a screen
 * reader could not name (the "accessible" test). The third stops at each
 * screen: it prints "screen NAME" and runs the main loop (so an AT-SPI
 * client can walk and drive it) until a line comes on standard input
 * (tests/a11y/koers-a11y-check.py). After the last screen it serves one
 * more, "play": the demo vault locked on the unlock page, for the check to
 * play a consultation hour with the keyboard alone; then it prints
 * "play-stored N", N the demo client's conversations whose notes hold
 * what the check typed, as read from the store.
 *
 * Runs the application with a throw-away vault (KOERS_VAULT_DIR is set to a
 * temporary folder), walks through first run, the recovery key, the open
 * vault and the unlock page, and saves OUTDIR/<page>SUFFIX.png. */
#include "config.h"

#define G_LOG_DOMAIN "koers-screenshots"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "koers-application.h"
#include "koers-recovery-page.h"
#include "koers-screenshots-pages.h"
#include "koers-screenshots-clients.h"
#include "koers-screenshots-conflicts.h"
#include "koers-setup-page.h"
#include "koers-test-util.h"
#include "koers-unlock-page.h"
#include "koers-window.h"

#define PASSPHRASE "rustig water heeft diepe gronden"
/* Whom the AT-SPI check looks up in the play, and the note it types
 * (tests/a11y/koers-a11y-check.py). */
#define PLAY_CLIENT "Amadou Diallo"
#define PLAY_NOTE "Wil weten wat terugkeer naar Guinee betekent"

static const char *out_dir;
static const char *suffix = "";
static gboolean dark;
static gboolean check_accessible;
static gboolean serve_accessible;
static int status = 0;

static void
save_png (GtkWidget  *toplevel,
          const char *page)
{
  g_autofree char *name = g_strconcat (page, suffix, ".png", NULL);
  g_autofree char *path = g_build_filename (out_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!koers_test_save_png (toplevel, path, &error))
    {
      g_printerr ("%s\n", error->message);
      status = 1;
      return;
    }
  g_print ("%s\n", path);
}

static void
check_accessible_controls (GtkWidget  *toplevel,
             const char *page)
{
  g_autoptr(GPtrArray) problems = koers_test_inaccessible_controls (toplevel);

  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s: %s\n", page, (char *) g_ptr_array_index (problems, i));
  if (problems->len > 0)
    status = 1;
  else
    g_print ("%s: every control has a name and takes the keyboard focus\n", page);
}

static gboolean
on_stdin_line (GIOChannel   *channel,
               GIOCondition  condition,
               gpointer      data)
{
  gboolean *answered = data;
  g_autofree char *line = NULL;

  if (g_io_channel_read_line (channel, &line, NULL, NULL, NULL) != G_IO_STATUS_NORMAL)
    g_error ("The AT-SPI check went away");
  *answered = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Holds the screen (the main loop runs: AT-SPI calls are answered) until
 * the checker on the other end of stdin says it is done with it. */
static void
serve_screen (const char *page)
{
  static GIOChannel *channel;
  gboolean answered = FALSE;

  if (channel == NULL)
    channel = g_io_channel_unix_new (STDIN_FILENO);
  g_io_add_watch (channel, G_IO_IN | G_IO_HUP, on_stdin_line, &answered);
  g_print ("screen %s\n", page);
  fflush (stdout);
  koers_test_wait_until (is_true, &answered, 600);
}

static void
save (GtkWidget  *toplevel,
      const char *page)
{
  koers_test_settle ();
  if (serve_accessible)
    serve_screen (page);
  else if (check_accessible)
    check_accessible_controls (toplevel, page);
  else
    save_png (toplevel, page);
}

static GtkWidget *
page_child (KoersWindow *window,
            const char  *page,
            GType        page_type,
            const char  *name)
{
  return koers_test_child (koers_test_child (window, KOERS_TYPE_WINDOW, page), page_type, name);
}

static gboolean
widget_is_visible (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data));
}

static void
set_text (KoersWindow *window,
          const char  *page,
          GType        page_type,
          const char  *name,
          const char  *text)
{
  koers_test_set_text (page_child (window, page, page_type, name), text);
}

static void
scroll_to_end (KoersWindow *window,
               const char  *page,
               GType        page_type)
{
  GtkWidget *scroller = page_child (window, page, page_type, "scroller");
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj));
}

static void
shoot_setup (KoersWindow *window)
{
  const GType t = KOERS_TYPE_SETUP_PAGE;

  save (GTK_WIDGET (window), "first-run-empty");
  set_text (window, "setup_page", t, "steunpunt_row", "Steunpunt Utrecht");
  set_text (window, "setup_page", t, "name_row", "Fatima");
  set_text (window, "setup_page", t, "passphrase_row", PASSPHRASE);
  set_text (window, "setup_page", t, "repeat_row", "rustig water heeft diepe grenzen");
  gtk_widget_grab_focus (page_child (window, "setup_page", t, "repeat_row"));
  koers_test_settle ();
  scroll_to_end (window, "setup_page", t);
  save (GTK_WIDGET (window), "first-run-mismatch");

  set_text (window, "setup_page", t, "repeat_row", PASSPHRASE);
  koers_test_settle ();
  scroll_to_end (window, "setup_page", t);
  save (GTK_WIDGET (window), "first-run");
  /* The real cost for this one vault, so the busy state stays on screen. */
  g_unsetenv ("KOERS_KDF");
  g_signal_emit_by_name (page_child (window, "setup_page", t, "create_button"), "clicked");
  g_setenv ("KOERS_KDF", "minimum", TRUE);
  save (GTK_WIDGET (window), "first-run-busy");
}

/* A person who forgot the passphrase: the recovery key typed (lower case,
 * as people do), then a new passphrase chosen before anything is shown. */
static void
shoot_recovery_unlock (KoersWindow *window,
                       const char  *recovery_key)
{
  const GType t = KOERS_TYPE_UNLOCK_PAGE;
  g_autofree char *typed = g_strdelimit (g_ascii_strdown (recovery_key, -1), "\n", ' ');

  gtk_widget_activate_action (page_child (window, "unlock_page", t, "forgot_button"), "unlock.forgot", NULL);
  set_text (window, "unlock_page", t, "key_row", typed);
  save (GTK_WIDGET (window), "unlock-recovery");
  gtk_widget_activate_action (page_child (window, "unlock_page", t, "use_key_button"), "unlock.use-key", NULL);
  koers_test_wait_until (widget_is_visible, page_child (window, "unlock_page", t, "save_button"), 60);
  set_text (window, "unlock_page", t, "new_passphrase_row", PASSPHRASE);
  set_text (window, "unlock_page", t, "repeat_row", PASSPHRASE);
  save (GTK_WIDGET (window), "unlock-new-passphrase");
  gtk_widget_activate_action (page_child (window, "unlock_page", t, "cancel_button"), "unlock.cancel", NULL);
  koers_test_wait_for_page (window, "unlock");
}

static void
shoot (KoersWindow *window)
{
  GtkWidget *error_label;
  g_autofree char *recovery_key = NULL;

  shoot_setup (window);

  koers_test_wait_for_page (window, "recovery");
  save (GTK_WIDGET (window), "recovery-key");
  recovery_key = g_strdup (gtk_label_get_text (GTK_LABEL (page_child (window, "recovery_page", KOERS_TYPE_RECOVERY_PAGE,
                                                                      "key_label"))));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (page_child (window, "recovery_page", KOERS_TYPE_RECOVERY_PAGE,
                                                             "stored_check")), TRUE);
  g_signal_emit_by_name (page_child (window, "recovery_page", KOERS_TYPE_RECOVERY_PAGE, "continue_button"), "clicked");
  koers_test_wait_for_page (window, "main");
  save (GTK_WIDGET (window), "vault-open");
  koers_screenshots_clients (window, save);
  koers_screenshots_conflicts (window, save);

  koers_window_lock (window);
  save (GTK_WIDGET (window), "unlock");

  error_label = page_child (window, "unlock_page", KOERS_TYPE_UNLOCK_PAGE, "error_label");
  set_text (window, "unlock_page", KOERS_TYPE_UNLOCK_PAGE, "passphrase_row", "verkeerd");
  g_signal_emit_by_name (page_child (window, "unlock_page", KOERS_TYPE_UNLOCK_PAGE, "unlock_button"), "clicked");
  koers_test_wait_until (widget_is_visible, error_label, 60);
  save (GTK_WIDGET (window), "unlock-error");
  shoot_recovery_unlock (window, recovery_key);
}

/* How many conversations of PLAY_CLIENT hold PLAY_NOTE in the store (0
 * while the window is locked). */
static guint
count_played_notes (KoersWindow *window)
{
  KoersMainView *view = koers_window_get_main_view (window);
  KoersStore *store = view != NULL ? koers_main_view_get_store (view) : NULL;
  g_autoptr(GPtrArray) clients = NULL;
  guint found = 0;

  if (store == NULL)
    return 0;
  clients = koers_store_list (store, KOERS_ENTITY_CLIENT, NULL, NULL);
  for (guint i = 0; clients != NULL && i < clients->len; i++)
    {
      KoersClient *client = g_ptr_array_index (clients, i);
      g_autoptr(GPtrArray) conversations = NULL;

      if (g_strcmp0 (client->name, PLAY_CLIENT) != 0)
        continue;
      conversations = koers_store_list (store, KOERS_ENTITY_CONVERSATION, client->id, NULL);
      for (guint j = 0; conversations != NULL && j < conversations->len; j++)
        {
          KoersConversation *conversation = g_ptr_array_index (conversations, j);

          if (conversation->notes != NULL && strstr (conversation->notes, PLAY_NOTE) != NULL)
            found++;
        }
    }
  return found;
}

/* The window as a volunteer finds it at the start of an hour (locked),
 * for the AT-SPI check to play with key events; then what it stored. */
static void
serve_play (KoersWindow *window)
{
  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();
  serve_screen ("play");
  koers_test_settle ();
  g_print ("play-stored %u\n", count_played_notes (window));
  fflush (stdout);
}

static void
on_activate (GApplication *app)
{
  KoersWindow *window = KOERS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));

  /* Xvfb has no XSETTINGS: use what a GNOME desktop sets. */
  g_object_set (gtk_settings_get_default (),
                "gtk-xft-antialias", 1,
                "gtk-xft-hinting", 1,
                "gtk-xft-hintstyle", "hintslight",
                "gtk-xft-rgba", "none",
                "gtk-hint-font-metrics", FALSE,
                NULL);
  if (dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  koers_test_settle ();
  shoot (window);
  koers_screenshots_pages (save);
  if (serve_accessible)
    serve_play (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KoersApplication) app = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *vault_dir = NULL;
  const char *localedir = g_getenv ("KOERS_LOCALEDIR");

  check_accessible = argc == 2 && g_str_equal (argv[1], "--check-accessible");
  serve_accessible = argc == 2 && g_str_equal (argv[1], "--serve-accessible");
  if (argc < 2 || (!check_accessible && !serve_accessible && g_str_has_prefix (argv[1], "--")))
    {
      g_printerr ("Usage: %s OUTDIR [SUFFIX] [--dark]\n"
                  "       %s --check-accessible\n"
                  "       %s --serve-accessible\n", argv[0], argv[0], argv[0]);
      return 2;
    }
  out_dir = argv[1];
  for (int i = 2; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--dark"))
        dark = TRUE;
      else
        suffix = argv[i];
    }

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  tmp = g_dir_make_tmp ("koers-shots-XXXXXX", NULL);
  vault_dir = g_build_filename (tmp, "vault", NULL);
  g_setenv ("KOERS_VAULT_DIR", vault_dir, TRUE);
  g_setenv ("KOERS_KDF", "minimum", TRUE);

  app = koers_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  if (g_application_run (G_APPLICATION (app), 1, argv) != 0)
    status = 1;

  koers_test_rm_rf (tmp);
  return status;
}
