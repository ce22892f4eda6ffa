/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The shortcuts window: Ctrl+? and F1 open it, on the unlock page and in
 * the main view, through the application's help overlay. */
#include "config.h"

#define G_LOG_DOMAIN "test-shortcuts"

#include <adwaita.h>

#include "koers-application.h"
#include "koers-client-page.h"
#include "koers-conversation-editor.h"
#include "koers-main-view.h"
#include "koers-test-util.h"
#include "koers-unlock-page.h"
#include "session/koers-session.h"
#include "koers-window.h"

#define NAME       "Amina"
#define PASSPHRASE "rustig water heeft diepe gronden"

typedef struct
{
  KoersWindowFixture  base;
  KoersApplication   *app;
} Fixture;

/* A real vault, a window on it inside the real application. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) vault = NULL;
  g_autofree char *dir = NULL;
  KoersKdfParams params = koers_session_kdf_params ();
  KoersVaultSecret *recovery = NULL;

  f->base.tmp = g_dir_make_tmp ("koers-shortcuts-XXXXXX", NULL);
  f->base.vault_dir = g_build_filename (f->base.tmp, "vault", NULL);
  vault = koers_vault_create (f->base.vault_dir, NAME, PASSPHRASE, &params, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
  koers_vault_lock (vault);

  f->app = koers_application_new ();
  g_application_set_flags (G_APPLICATION (f->app), G_APPLICATION_NON_UNIQUE);
  /* One process, one exported application per id: a second test takes
   * another. */
  if (data != NULL)
    g_application_set_application_id (G_APPLICATION (f->app), data);
  g_assert_true (g_application_register (G_APPLICATION (f->app), NULL, &error));
  g_assert_no_error (error);
  f->base.window = koers_window_new (GTK_APPLICATION (f->app), f->base.vault_dir);
  gtk_window_present (GTK_WINDOW (f->base.window));
  koers_test_settle ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  koers_window_fixture_tear_down (&f->base, data);
  g_clear_object (&f->app);
}

static gboolean
strv_has (char       **strv,
          const char  *wanted)
{
  return strv != NULL && g_strv_contains ((const char * const *) strv, wanted);
}

static GtkWidget *
shortcuts_window (Fixture *f)
{
  return GTK_WIDGET (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (f->base.window)));
}

/* Opens the shortcuts from @widget (the action is found up the tree) and
 * closes it again. */
static void
open_and_close_from (Fixture   *f,
                     GtkWidget *widget)
{
  GtkWidget *overlay = shortcuts_window (f);

  g_assert_false (gtk_widget_get_visible (overlay));
  g_assert_true (gtk_widget_activate_action (widget, "win.show-help-overlay", NULL));
  koers_test_settle ();
  g_assert_true (gtk_widget_get_visible (overlay));
  gtk_window_close (GTK_WINDOW (overlay));
  koers_test_settle ();
  g_assert_false (gtk_widget_get_visible (overlay));
}

static void
test_shortcuts_window (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(GStrv) question = gtk_application_get_actions_for_accel (GTK_APPLICATION (f->app), "<Control>question");
  g_auto(GStrv) f1 = gtk_application_get_actions_for_accel (GTK_APPLICATION (f->app), "F1");
  GtkWidget *unlock = koers_test_child (f->base.window, KOERS_TYPE_WINDOW, "unlock_page");
  GtkWidget *passphrase = koers_test_child (unlock, KOERS_TYPE_UNLOCK_PAGE, "passphrase_row");

  g_assert_true (strv_has (question, "win.show-help-overlay"));
  g_assert_true (strv_has (f1, "win.show-help-overlay"));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (shortcuts_window (f)));

  g_assert_cmpstr (koers_window_get_page_name (f->base.window), ==, "unlock");
  open_and_close_from (f, passphrase);

  koers_test_set_text (passphrase, PASSPHRASE);
  g_assert_true (gtk_widget_activate_action (unlock, "unlock.unlock", NULL));
  koers_test_wait_for_page (f->base.window, "main");
  open_and_close_from (f, GTK_WIDGET (koers_window_get_main_view (f->base.window)));
}

/* The key binding of @widget's class for @accel, or NULL. */
static GtkShortcut *
class_shortcut (GtkWidget  *widget,
                const char *accel)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint key;
  GdkModifierType mods;

  g_assert_true (gtk_accelerator_parse (accel, &key, &mods));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gdk_keyval_to_lower (gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger))) == gdk_keyval_to_lower (key)
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == mods)
            return shortcut;
        }
    }
  return NULL;
}

/* Presses @accel on @widget the way GTK would: its class binding runs. */
static void
press (GtkWidget  *widget,
       const char *accel)
{
  GtkShortcut *shortcut = class_shortcut (widget, accel);

  g_assert_nonnull (shortcut);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                               gtk_shortcut_get_arguments (shortcut)));
  koers_test_settle ();
}

/* The shortcuts window lists @accel. */
static gboolean
overlay_lists (GtkWidget  *widget,
               const char *accel)
{
  g_autofree char *shown = NULL;

  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_object_get (widget, "accelerator", &shown, NULL);
      if (g_strcmp0 (shown, accel) == 0)
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (overlay_lists (child, accel))
      return TRUE;
  return FALSE;
}

/* Ctrl+Shift+N on a client's file starts a conversation; Alt+1 and Alt+2
 * go to Today and Clients from anywhere; the shortcuts window says so. */
static void
test_navigation_shortcuts (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *unlock = koers_test_child (f->base.window, KOERS_TYPE_WINDOW, "unlock_page");
  KoersMainView *view;
  AdwViewStack *tabs;
  g_autofree char *client_id = NULL;

  koers_test_set_text (koers_test_child (unlock, KOERS_TYPE_UNLOCK_PAGE, "passphrase_row"), PASSPHRASE);
  g_assert_true (gtk_widget_activate_action (unlock, "unlock.unlock", NULL));
  koers_test_wait_for_page (f->base.window, "main");
  view = koers_window_get_main_view (f->base.window);
  tabs = ADW_VIEW_STACK (koers_test_child (view, KOERS_TYPE_MAIN_VIEW, "view_stack"));
  client_id = koers_test_add_client (koers_main_view_get_store (view), "Yonas Tesfay", KOERS_PHASE_INTAKE);

  /* Nowhere to start a conversation from the tabs: nothing happens. */
  press (GTK_WIDGET (view), "<Control><Shift>n");
  g_assert_true (koers_main_view_get_visible_page (view) == koers_test_child (view, KOERS_TYPE_MAIN_VIEW, "home"));

  koers_main_view_show_client (view, client_id);
  koers_test_settle ();
  g_assert_true (KOERS_IS_CLIENT_PAGE (koers_main_view_get_visible_page (view)));
  press (GTK_WIDGET (view), "<Control><Shift>n");
  g_assert_true (KOERS_IS_CONVERSATION_EDITOR (koers_main_view_get_visible_page (view)));

  press (GTK_WIDGET (view), "<Alt>2");
  g_assert_true (koers_main_view_get_visible_page (view) == koers_test_child (view, KOERS_TYPE_MAIN_VIEW, "home"));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (tabs), ==, "clients");
  press (GTK_WIDGET (view), "<Alt>1");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (tabs), ==, "today");
  press (GTK_WIDGET (view), "<Alt>2");
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (tabs), ==, "clients");

  g_assert_true (overlay_lists (shortcuts_window (f), "<Control><Shift>n"));
  g_assert_true (overlay_lists (shortcuts_window (f), "<Alt>1"));
  g_assert_true (overlay_lists (shortcuts_window (f), "<Alt>2"));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/shortcuts/window", Fixture, NULL,
              fixture_set_up, test_shortcuts_window, fixture_tear_down);
  g_test_add ("/ui/shortcuts/navigation", Fixture, "nl.koers.Koers.TestNavigation",
              fixture_set_up, test_navigation_shortcuts, fixture_tear_down);

  return g_test_run ();
}
