/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences: a coordinator adds a person (the KDF runs in a worker), and
 * the vault opens with the new name and passphrase; a reset passphrase
 * opens it too, the old one no longer; a mismatch is shown inline. */
#include "config.h"

#define G_LOG_DOMAIN "test-preferences"

#include <adwaita.h>

#include "koers-preferences-window.h"
#include "koers-test-util.h"
#include "vault/koers-vault.h"

#define NEW_NAME  "Nieuwe Vrijwilliger"
#define NEW_PASS  "de kat krabt de krullen van de trap"
#define NEXT_PASS "een nieuwe zin van zeven lange woorden"

typedef struct
{
  char       *tmp;
  char       *dir;
  KoersVault *vault;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  KoersKdfParams params = koers_kdf_params_minimum ();
  char *recovery = NULL;

  f->tmp = g_dir_make_tmp ("koers-prefs-XXXXXX", NULL);
  f->dir = g_build_filename (f->tmp, "vault", NULL);
  f->vault = koers_vault_create (f->dir, "Coördinator", "eerste lange wachtzin", &params, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  koers_vault_lock (f->vault);
  g_clear_object (&f->vault);
  koers_test_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->dir);
}

static gboolean
not_busy (gpointer data)
{
  return !koers_preferences_window_is_busy (KOERS_PREFERENCES_WINDOW (data));
}

static void
fill (KoersPreferencesWindow *window,
      const char             *name,
      const char             *value)
{
  gtk_editable_set_text (GTK_EDITABLE (koers_test_child (window, KOERS_TYPE_PREFERENCES_WINDOW, name)), value);
}

static guint
count_people (KoersPreferencesWindow *window)
{
  GtkWidget *list = koers_test_child (window, KOERS_TYPE_PREFERENCES_WINDOW, "people_list");
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    n++;
  return n;
}

static void
test_add_and_reset (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) reopened = NULL;
  g_auto(GStrv) names = NULL;
  KoersPreferencesWindow *window = koers_preferences_window_new (NULL, f->vault, NULL, TRUE);
  GtkWidget *error_label = koers_test_child (window, KOERS_TYPE_PREFERENCES_WINDOW, "error_label");

  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();
  g_assert_true (gtk_widget_get_visible (koers_test_child (window, KOERS_TYPE_PREFERENCES_WINDOW, "people_page")));
  g_assert_cmpuint (count_people (window), ==, 1);

  /* A mismatch is said inline; nothing is added. */
  fill (window, "name_row", NEW_NAME);
  fill (window, "passphrase_row", NEW_PASS);
  fill (window, "repeat_row", "iets anders");
  gtk_widget_activate_action (GTK_WIDGET (window), "prefs.add-person", NULL);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (error_label)), ==, "The two passphrases are not the same.");

  fill (window, "repeat_row", NEW_PASS);
  gtk_widget_activate_action (GTK_WIDGET (window), "prefs.add-person", NULL);
  g_assert_true (koers_preferences_window_is_busy (window));
  koers_test_wait_until (not_busy, window, 60);
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_cmpuint (count_people (window), ==, 2);
  names = koers_vault_list_slots (f->vault);
  g_assert_true (g_strv_contains ((const char * const *) names, NEW_NAME));

  /* The vault opens with the new person's passphrase. */
  reopened = koers_vault_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (koers_vault_unlock (reopened, NEW_NAME, NEW_PASS, &error));
  g_assert_no_error (error);
  koers_vault_lock (reopened);
  g_clear_object (&reopened);

  /* Reset: the new passphrase opens it, the old one does not. */
  {
    GtkWidget *list = koers_test_child (window, KOERS_TYPE_PREFERENCES_WINDOW, "people_list");
    GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));

    g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, NEW_NAME);
  }
  {
    GtkWidget *list = koers_test_child (window, KOERS_TYPE_PREFERENCES_WINDOW, "people_list");
    GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
    GtkWidget *button = NULL;

    /* Find the suffix button named after the reset. */
    for (GtkWidget *w = row; w != NULL;)
      {
        GtkWidget *next = gtk_widget_get_first_child (w);

        if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (w)), "dialog-password-symbolic") == 0)
          {
            button = w;
            break;
          }
        while (next == NULL && w != row)
          {
            next = gtk_widget_get_next_sibling (w);
            if (next == NULL)
              w = gtk_widget_get_parent (w);
          }
        w = next;
      }
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
  }
  g_assert_false (gtk_widget_get_visible (koers_test_child (window, KOERS_TYPE_PREFERENCES_WINDOW, "name_row")));
  fill (window, "passphrase_row", NEXT_PASS);
  fill (window, "repeat_row", NEXT_PASS);
  gtk_widget_activate_action (GTK_WIDGET (window), "prefs.add-person", NULL);
  koers_test_wait_until (not_busy, window, 60);
  g_assert_false (gtk_widget_get_visible (error_label));

  reopened = koers_vault_open (f->dir, &error);
  g_assert_false (koers_vault_unlock (reopened, NEW_NAME, NEW_PASS, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  g_assert_true (koers_vault_unlock (reopened, NEW_NAME, NEXT_PASS, &error));
  g_assert_no_error (error);
  koers_vault_lock (reopened);

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

static void
test_not_coordinator (Fixture       *f,
                      gconstpointer  data)
{
  KoersPreferencesWindow *window = koers_preferences_window_new (NULL, f->vault, NULL, FALSE);

  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();
  g_assert_false (gtk_widget_get_visible (koers_test_child (window, KOERS_TYPE_PREFERENCES_WINDOW, "people_page")));
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/preferences/add-and-reset", Fixture, NULL, fixture_set_up, test_add_and_reset, fixture_tear_down);
  g_test_add ("/ui/preferences/not-coordinator", Fixture, NULL, fixture_set_up, test_not_coordinator, fixture_tear_down);
  return g_test_run ();
}
