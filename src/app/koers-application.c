/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-application"

#include <glib/gi18n.h>

#include "koers-application.h"
#include "koers-main-view.h"
#include "koers-preferences-window.h"
#include "koers-settings.h"
#include "koers-window.h"

struct _KoersApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (KoersApplication, koers_application, ADW_TYPE_APPLICATION)

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  static const char *developers[] = { "The Koers developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (app),
                         "application-name", "Koers",
                         "application-icon", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "developer-name", "The Koers developers",
                         "developers", developers,
                         "comments", _("Client files for consultation hours, encrypted on your laptop"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         /* Translators: your name(s), one per line. */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Closing each window locks its vault before the process ends. */
  for (GList *l = windows; l != NULL;)
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }
  g_application_quit (app);
}

/* The people page needs the vault open and, when the window knows who
 * opened it, a coordinator's worker record. */
static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  KoersVault *vault = KOERS_IS_WINDOW (window) ? koers_window_get_vault (KOERS_WINDOW (window)) : NULL;
  KoersMainView *view = KOERS_IS_WINDOW (window) ? koers_window_get_main_view (KOERS_WINDOW (window)) : NULL;
  KoersStore *store = view != NULL ? koers_main_view_get_store (view) : NULL;
  gboolean unlocked = vault != NULL && koers_vault_is_unlocked (vault);
  gboolean coordinator = unlocked;

  if (store != NULL && koers_store_get_current_worker (store) != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KoersWorker) worker = koers_store_get_worker (store, koers_store_get_current_worker (store), &error);

      /* Unreadable: no coordinator's pages; the lists show the error. */
      if (worker == NULL)
        g_message ("Reading the current worker failed: %s", error->message);

      coordinator = unlocked && worker != NULL && worker->role == KOERS_ROLE_COORDINATOR;
    }
  gtk_window_present (GTK_WINDOW (koers_preferences_window_new (window, unlocked ? vault : NULL,
                                                                unlocked ? store : NULL, coordinator)));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = about_action },
  { .name = "quit", .activate = quit_action },
  { .name = "preferences", .activate = preferences_action },
};

static void
koers_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  /* GTK gives the shortcuts window Ctrl+? (gtk/help-overlay.ui); Koers has
   * no manual, so F1 shows the shortcuts too. */
  static const char *shortcuts_accels[] = { "<Control>question", "F1", NULL };

  G_APPLICATION_CLASS (koers_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.show-help-overlay", shortcuts_accels);
}

static void
koers_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      g_autoptr(GSettings) settings = koers_settings_new ();
      g_autofree char *vault_dir = koers_settings_dup_vault_dir (settings);

      window = GTK_WINDOW (koers_window_new (GTK_APPLICATION (application), vault_dir));
    }
  gtk_window_present (window);
}

static void
koers_application_class_init (KoersApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = koers_application_startup;
  app_class->activate = koers_application_activate;
}

static void
koers_application_init (KoersApplication *self)
{
}

KoersApplication *
koers_application_new (void)
{
  return g_object_new (KOERS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/nl/koers/Koers",
                       NULL);
}
