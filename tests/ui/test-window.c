/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drives the real KoersWindow: create a vault through the form, see the
 * recovery key, lock, fail and succeed to unlock. */
#include "config.h"

#define G_LOG_DOMAIN "test-window"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "koers-recovery-page.h"
#include "koers-setup-page.h"
#include "koers-test-util.h"
#include "koers-secret-entry.h"
#include "koers-unlock-page.h"
#include "koers-window.h"

#define STEUNPUNT  "Steunpunt Zuid"
#define NAME       "Amina"
#define PASSPHRASE "rustig water heeft diepe gronden"

typedef KoersWindowFixture Fixture;

static GtkWidget *
setup_child (Fixture    *fixture,
             const char *name)
{
  GtkWidget *page = koers_test_child (fixture->window, KOERS_TYPE_WINDOW, "setup_page");

  return koers_test_child (page, KOERS_TYPE_SETUP_PAGE, name);
}

static GtkWidget *
recovery_child (Fixture    *fixture,
                const char *name)
{
  GtkWidget *page = koers_test_child (fixture->window, KOERS_TYPE_WINDOW, "recovery_page");

  return koers_test_child (page, KOERS_TYPE_RECOVERY_PAGE, name);
}

static GtkWidget *
unlock_child (Fixture    *fixture,
              const char *name)
{
  GtkWidget *page = koers_test_child (fixture->window, KOERS_TYPE_WINDOW, "unlock_page");

  return koers_test_child (page, KOERS_TYPE_UNLOCK_PAGE, name);
}

static void
set_text (GtkWidget  *editable,
          const char *text)
{
  koers_test_set_text (editable, text);
}

static gboolean
widget_is_visible (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data));
}

/* No editable anywhere in the window (visible page or not) keeps text. */
static void
assert_no_text_left (GtkWidget *widget)
{
  if (GTK_IS_EDITABLE (widget) || KOERS_IS_SECRET_ENTRY (widget))
    g_assert_cmpstr (koers_test_get_text (widget), ==, "");

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_no_text_left (child);
}

static gboolean
focus_is_within (GtkWindow *window,
                 GtkWidget *ancestor)
{
  GtkWidget *focus = gtk_window_get_focus (window);

  return focus != NULL && (focus == ancestor || gtk_widget_is_ancestor (focus, ancestor));
}

static void
fill_setup_form (Fixture *fixture)
{
  set_text (setup_child (fixture, "steunpunt_row"), STEUNPUNT);
  set_text (setup_child (fixture, "name_row"), NAME);
  set_text (setup_child (fixture, "passphrase_row"), PASSPHRASE);
  set_text (setup_child (fixture, "repeat_row"), PASSPHRASE);
}

static void
create_vault_through_form (Fixture *fixture)
{
  GtkWidget *create = setup_child (fixture, "create_button");

  fill_setup_form (fixture);
  g_assert_true (gtk_widget_is_sensitive (create));
  g_signal_emit_by_name (create, "clicked");

  /* The KDF runs in a worker: the page shows it is busy meanwhile. */
  g_assert_true (gtk_widget_get_visible (setup_child (fixture, "spinner")));
  koers_test_wait_for_page (fixture->window, "recovery");
}

static void
test_setup_hints (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWidget *create = setup_child (fixture, "create_button");
  GtkWidget *strength = setup_child (fixture, "strength_label");
  GtkWidget *match = setup_child (fixture, "match_label");
  g_autofree char *empty_hint = NULL;

  g_assert_cmpstr (koers_window_get_page_name (fixture->window), ==, "setup");
  g_assert_false (gtk_widget_is_sensitive (create));
  empty_hint = g_strdup (gtk_label_get_label (GTK_LABEL (strength)));

  set_text (setup_child (fixture, "steunpunt_row"), STEUNPUNT);
  set_text (setup_child (fixture, "name_row"), NAME);
  set_text (setup_child (fixture, "passphrase_row"), "kort");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (strength)), !=, empty_hint);
  g_assert_true (gtk_widget_has_css_class (strength, "error"));
  g_assert_false (gtk_widget_is_sensitive (create));

  /* Typing the repeat: silent while it is the start of the passphrase. */
  set_text (setup_child (fixture, "passphrase_row"), PASSPHRASE);
  set_text (setup_child (fixture, "repeat_row"), "rustig");
  g_assert_false (gtk_widget_get_visible (match));
  set_text (setup_child (fixture, "repeat_row"), "rustig vuur");
  g_assert_true (gtk_widget_get_visible (match));
  g_assert_false (gtk_widget_is_sensitive (create));

  set_text (setup_child (fixture, "repeat_row"), PASSPHRASE);
  g_assert_false (gtk_widget_get_visible (match));
  g_assert_true (gtk_widget_has_css_class (strength, "success"));
  g_assert_true (gtk_widget_is_sensitive (create));

  /* A blank name is not a name. */
  set_text (setup_child (fixture, "name_row"), "   ");
  g_assert_false (gtk_widget_is_sensitive (create));
}

static void
check_recovery_page (Fixture *fixture)
{
  GtkWidget *key_label = recovery_child (fixture, "key_label");
  GtkWidget *stored = recovery_child (fixture, "stored_check");
  GtkWidget *cont = recovery_child (fixture, "continue_button");
  GtkWidget *page = koers_test_child (fixture->window, KOERS_TYPE_WINDOW, "recovery_page");
  g_autofree char *pdf = g_build_filename (fixture->tmp, "key.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  g_assert_cmpuint (strlen (gtk_label_get_label (GTK_LABEL (key_label))), >=, 20);
  g_assert_false (gtk_widget_is_sensitive (cont));

  /* The print sheet renders (to PDF here: no printer, no dialog). */
  g_assert_true (koers_recovery_page_export_pdf (KOERS_RECOVERY_PAGE (page), pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 1000);
  g_assert_true (g_str_has_prefix (contents, "%PDF"));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (stored), TRUE);
  g_assert_true (gtk_widget_is_sensitive (cont));
  g_signal_emit_by_name (cont, "clicked");
  koers_test_wait_for_page (fixture->window, "main");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (key_label)), ==, "");
}

static void
lock_window (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL));
  koers_test_wait_for_page (fixture->window, "unlock");
  g_assert_false (koers_vault_is_unlocked (koers_window_get_vault (fixture->window)));
  assert_no_text_left (GTK_WIDGET (fixture->window));
}

static void
unlock_with (Fixture    *fixture,
             const char *passphrase)
{
  GtkWidget *button = unlock_child (fixture, "unlock_button");

  set_text (unlock_child (fixture, "passphrase_row"), passphrase);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* The lock button lives in the main view's header bar. */
static gboolean
main_lock_button_shown (Fixture *fixture)
{
  KoersMainView *view = koers_window_get_main_view (fixture->window);

  return view != NULL
         && gtk_widget_is_drawable (koers_test_child (view, KOERS_TYPE_MAIN_VIEW, "lock_button"));
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_action (section, action))
        return TRUE;
      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name)
          && g_strcmp0 (name, action) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The main menu's button below @widget (the one with the menu icon). */
static GtkWidget *
find_main_menu_button (GtkWidget *widget)
{
  if (GTK_IS_MENU_BUTTON (widget)
      && g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)), "open-menu-symbolic") == 0)
    return widget;
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_main_menu_button (c);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The first person is the coordinator, and finds Preferences (where they
 * add colleagues) in the main menu. */
static void
assert_first_person_coordinates (Fixture *fixture)
{
  KoersMainView *view = koers_window_get_main_view (fixture->window);
  KoersStore *store = koers_main_view_get_store (view);
  GtkWidget *menu_button = find_main_menu_button (GTK_WIDGET (view));

  g_assert_true (koers_store_is_coordinator (store, koers_store_get_current_worker (store)));
  g_assert_nonnull (menu_button);
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)),
                                  "app.preferences"));
}

static void
test_create_lock_unlock (Fixture       *fixture,
                         gconstpointer  data)
{
  GtkWidget *error_label;
  GtkWidget *passphrase_row;
  KoersVault *vault;

  create_vault_through_form (fixture);
  vault = koers_window_get_vault (fixture->window);
  g_assert_nonnull (vault);
  g_assert_true (koers_vault_is_unlocked (vault));
  g_assert_true (koers_vault_exists (fixture->vault_dir));
  /* The form forgot the passphrase as soon as the vault was made. */
  g_assert_cmpstr (koers_test_get_text (setup_child (fixture, "passphrase_row")), ==, "");

  check_recovery_page (fixture);
  g_assert_true (main_lock_button_shown (fixture));
  assert_first_person_coordinates (fixture);

  lock_window (fixture);
  g_assert_false (main_lock_button_shown (fixture));
  g_assert_cmpstr (koers_unlock_page_get_name (KOERS_UNLOCK_PAGE (
                     koers_test_child (fixture->window, KOERS_TYPE_WINDOW, "unlock_page"))), ==, NAME);

  /* Wrong passphrase: an inline error, the field keeps the focus. */
  error_label = unlock_child (fixture, "error_label");
  passphrase_row = unlock_child (fixture, "passphrase_row");
  unlock_with (fixture, "dit is niet het wachtwoord");
  koers_test_wait_until (widget_is_visible, error_label, 60);
  g_assert_cmpstr (koers_window_get_page_name (fixture->window), ==, "unlock");
  g_assert_true (gtk_widget_has_css_class (passphrase_row, "error"));
  g_assert_true (focus_is_within (GTK_WINDOW (fixture->window), passphrase_row));
  g_assert_false (koers_vault_is_unlocked (vault));

  /* Typing again hides the error. */
  unlock_with (fixture, PASSPHRASE);
  g_assert_false (gtk_widget_get_visible (error_label));
  koers_test_wait_for_page (fixture->window, "main");
  g_assert_true (koers_vault_is_unlocked (vault));
  assert_no_text_left (GTK_WIDGET (fixture->window));

  lock_window (fixture);
}

static void
test_reopen (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *unlock_page;

  create_vault_through_form (fixture);
  g_assert_true (koers_vault_exists (fixture->vault_dir));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  koers_test_settle ();
  g_assert_true (koers_vault_exists (fixture->vault_dir));

  /* A new window over the same folder asks to unlock. */
  fixture->window = koers_window_new (NULL, fixture->vault_dir);
  gtk_window_present (GTK_WINDOW (fixture->window));
  koers_test_settle ();
  g_assert_cmpstr (koers_window_get_page_name (fixture->window), ==, "unlock");
  g_assert_false (koers_vault_is_unlocked (koers_window_get_vault (fixture->window)));
  unlock_page = koers_test_child (fixture->window, KOERS_TYPE_WINDOW, "unlock_page");
  g_assert_cmpstr (koers_unlock_page_get_name (KOERS_UNLOCK_PAGE (unlock_page)), ==, NAME);
  g_assert_true (focus_is_within (GTK_WINDOW (fixture->window), unlock_child (fixture, "passphrase_row")));

  /* Enter in the passphrase field unlocks. */
  set_text (unlock_child (fixture, "passphrase_row"), PASSPHRASE);
  g_signal_emit_by_name (unlock_child (fixture, "passphrase_row"), "activate");
  koers_test_wait_for_page (fixture->window, "main");
}

static void
test_auto_lock (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *stored;

  g_object_set (fixture->window, "auto-lock-seconds", 1, NULL);
  create_vault_through_form (fixture);
  stored = recovery_child (fixture, "stored_check");

  /* Never locks while the recovery key is on screen. */
  g_usleep (1500 * 1000);
  koers_test_settle ();
  koers_test_settle ();
  g_assert_cmpstr (koers_window_get_page_name (fixture->window), ==, "recovery");

  gtk_check_button_set_active (GTK_CHECK_BUTTON (stored), TRUE);
  g_signal_emit_by_name (recovery_child (fixture, "continue_button"), "clicked");
  koers_test_wait_for_page (fixture->window, "main");
  koers_test_wait_for_page (fixture->window, "unlock");
  g_assert_false (koers_vault_is_unlocked (koers_window_get_vault (fixture->window)));
  assert_no_text_left (GTK_WIDGET (fixture->window));
}

/* The recovery key as a person might type it from the sheet. */
static char *
sloppy_key (const char *key)
{
  g_autofree char *lower = g_strdelimit (g_ascii_strdown (key, -1), "-", ' ');
  g_auto(GStrv) groups = g_strsplit (lower, " ", -1);

  return g_strjoinv ("  ", groups);
}

static void
press (Fixture    *fixture,
       const char *button_name)
{
  GtkWidget *button = unlock_child (fixture, button_name);

  g_assert_true (gtk_widget_get_visible (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static KoersUnlockPage *
unlock_page (Fixture *fixture)
{
  return KOERS_UNLOCK_PAGE (koers_test_child (fixture->window, KOERS_TYPE_WINDOW, "unlock_page"));
}

static gboolean
page_not_busy (gpointer data)
{
  return !gtk_widget_get_visible (unlock_child (data, "spinner"));
}

static void
use_recovery_key (Fixture    *fixture,
                  const char *typed)
{
  GtkWidget *busy_label = unlock_child (fixture, "busy_label");

  set_text (unlock_child (fixture, "key_row"), typed);
  press (fixture, "use_key_button");
  g_assert_true (gtk_widget_get_visible (unlock_child (fixture, "spinner")));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (busy_label)), ==, "Opening the vault…");
  koers_test_wait_until (page_not_busy, fixture, 60);
}

static const char *
current_worker_name (Fixture *fixture)
{
  KoersStore *store = koers_main_view_get_store (koers_window_get_main_view (fixture->window));
  static char name[64];
  g_autoptr(KoersWorker) worker = NULL;

  worker = koers_store_get_worker (store, koers_store_get_current_worker (store), NULL);
  g_assert_nonnull (worker);
  g_strlcpy (name, worker->name, sizeof name);
  return name;
}

static void
test_recovery_unlock (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *new_passphrase = "een nieuwe dag aan de haven";
  g_autofree char *key = NULL;
  g_autofree char *typed = NULL;
  KoersVault *vault;

  create_vault_through_form (fixture);
  key = g_strdup (gtk_label_get_label (GTK_LABEL (recovery_child (fixture, "key_label"))));
  check_recovery_page (fixture);
  vault = koers_window_get_vault (fixture->window);
  lock_window (fixture);

  press (fixture, "forgot_button");
  g_assert_cmpint (koers_unlock_page_get_mode (unlock_page (fixture)), ==, KOERS_UNLOCK_MODE_RECOVERY_KEY);
  g_assert_true (focus_is_within (GTK_WINDOW (fixture->window), unlock_child (fixture, "key_row")));

  /* A wrong key: a message, the vault stays shut, the key can be fixed. */
  use_recovery_key (fixture, "aaaaa bbbbb ccccc ddddd eeeee fffff ggggg hhhhh");
  g_assert_true (gtk_widget_get_visible (unlock_child (fixture, "error_label")));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (unlock_child (fixture, "error_label"))), !=, "");
  g_assert_true (gtk_widget_has_css_class (unlock_child (fixture, "key_row"), "error"));
  g_assert_false (koers_vault_is_unlocked (vault));
  g_assert_cmpint (koers_unlock_page_get_mode (unlock_page (fixture)), ==, KOERS_UNLOCK_MODE_RECOVERY_KEY);

  /* The right key in lower case with extra spaces. */
  typed = sloppy_key (key);
  g_assert_nonnull (strstr (typed, "  "));
  g_assert_cmpstr (typed, !=, key);
  use_recovery_key (fixture, typed);
  g_assert_true (koers_vault_is_unlocked (vault));
  g_assert_null (koers_vault_get_unlocked_by (vault));
  g_assert_cmpint (koers_unlock_page_get_mode (unlock_page (fixture)), ==, KOERS_UNLOCK_MODE_NEW_PASSPHRASE);
  /* No client data yet, and the key is gone from the field. */
  g_assert_cmpstr (koers_window_get_page_name (fixture->window), ==, "unlock");
  g_assert_null (koers_window_get_main_view (fixture->window));
  g_assert_cmpstr (koers_test_get_text (unlock_child (fixture, "key_row")), ==, "");

  /* Their own name, a new passphrase: the save waits for a good repeat. */
  g_assert_cmpstr (koers_unlock_page_get_new_name (unlock_page (fixture)), ==, NAME);
  set_text (unlock_child (fixture, "new_passphrase_row"), new_passphrase);
  set_text (unlock_child (fixture, "repeat_row"), "een nieuwe nacht");
  g_assert_true (gtk_widget_get_visible (unlock_child (fixture, "match_label")));
  g_assert_false (gtk_widget_is_sensitive (unlock_child (fixture, "save_button")));
  set_text (unlock_child (fixture, "repeat_row"), new_passphrase);
  press (fixture, "save_button");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (unlock_child (fixture, "busy_label"))), !=,
                   "Opening the vault…");
  koers_test_wait_for_page (fixture->window, "main");
  g_assert_cmpstr (koers_vault_get_unlocked_by (vault), ==, NAME);
  g_assert_cmpstr (current_worker_name (fixture), ==, NAME);
  assert_no_text_left (GTK_WIDGET (fixture->window));

  /* The new passphrase opens it, the old one no longer does. */
  lock_window (fixture);
  unlock_with (fixture, PASSPHRASE);
  koers_test_wait_until (widget_is_visible, unlock_child (fixture, "error_label"), 60);
  g_assert_false (koers_vault_is_unlocked (vault));
  unlock_with (fixture, new_passphrase);
  koers_test_wait_for_page (fixture->window, "main");
  g_assert_cmpstr (current_worker_name (fixture), ==, NAME);
  lock_window (fixture);
}

/* Someone new takes over: a new key slot and a new worker record. */
static void
test_recovery_new_person (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *passphrase = "zeven bruggen over de rivier";
  g_autofree char *key = NULL;
  g_auto(GStrv) slots = NULL;

  create_vault_through_form (fixture);
  key = g_strdup (gtk_label_get_label (GTK_LABEL (recovery_child (fixture, "key_label"))));
  check_recovery_page (fixture);
  lock_window (fixture);

  press (fixture, "forgot_button");
  use_recovery_key (fixture, key);
  adw_combo_row_set_selected (ADW_COMBO_ROW (unlock_child (fixture, "person_row")), 1);  /* Someone New */
  g_assert_true (koers_unlock_page_get_new_person (unlock_page (fixture)));
  g_assert_true (gtk_widget_get_visible (unlock_child (fixture, "new_name_row")));
  set_text (unlock_child (fixture, "new_passphrase_row"), passphrase);
  set_text (unlock_child (fixture, "repeat_row"), passphrase);
  g_assert_false (gtk_widget_is_sensitive (unlock_child (fixture, "save_button")));  /* no name yet */
  set_text (unlock_child (fixture, "new_name_row"), "  Joost ");
  press (fixture, "save_button");
  koers_test_wait_for_page (fixture->window, "main");

  g_assert_cmpstr (current_worker_name (fixture), ==, "Joost");
  slots = koers_vault_list_slots (koers_window_get_vault (fixture->window));
  g_assert_cmpuint (g_strv_length (slots), ==, 2);
  g_assert_cmpstr (slots[1], ==, "Joost");
  lock_window (fixture);
}

/* Cancel after the key locks the vault again and forgets the key step. */
static void
test_recovery_cancel (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *key = NULL;

  create_vault_through_form (fixture);
  key = g_strdup (gtk_label_get_label (GTK_LABEL (recovery_child (fixture, "key_label"))));
  check_recovery_page (fixture);
  lock_window (fixture);

  press (fixture, "forgot_button");
  press (fixture, "back_button");
  g_assert_cmpint (koers_unlock_page_get_mode (unlock_page (fixture)), ==, KOERS_UNLOCK_MODE_PASSPHRASE);
  press (fixture, "forgot_button");
  use_recovery_key (fixture, key);
  set_text (unlock_child (fixture, "new_passphrase_row"), "half getypt");
  press (fixture, "cancel_button");
  koers_test_wait_for_page (fixture->window, "unlock");
  g_assert_false (koers_vault_is_unlocked (koers_window_get_vault (fixture->window)));
  g_assert_cmpint (koers_unlock_page_get_mode (unlock_page (fixture)), ==, KOERS_UNLOCK_MODE_PASSPHRASE);
  assert_no_text_left (GTK_WIDGET (fixture->window));
}

static gboolean
vault_is_locked (gpointer data)
{
  return !koers_vault_is_unlocked (data);
}

/* Opened with the key and left at the new-passphrase step: it locks. */
static void
test_recovery_auto_lock (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *key = NULL;
  KoersVault *vault;

  create_vault_through_form (fixture);
  key = g_strdup (gtk_label_get_label (GTK_LABEL (recovery_child (fixture, "key_label"))));
  check_recovery_page (fixture);
  vault = koers_window_get_vault (fixture->window);
  lock_window (fixture);

  g_object_set (fixture->window, "auto-lock-seconds", 1, NULL);
  press (fixture, "forgot_button");
  use_recovery_key (fixture, key);
  g_assert_true (koers_vault_is_unlocked (vault));
  set_text (unlock_child (fixture, "new_passphrase_row"), "half getypt");
  koers_test_wait_until (vault_is_locked, vault, 10);
  koers_test_settle ();
  g_assert_cmpint (koers_unlock_page_get_mode (unlock_page (fixture)), ==, KOERS_UNLOCK_MODE_PASSPHRASE);
  assert_no_text_left (GTK_WIDGET (fixture->window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/window/setup-hints", Fixture, NULL,
              koers_window_fixture_set_up, test_setup_hints, koers_window_fixture_tear_down);
  g_test_add ("/ui/window/create-lock-unlock", Fixture, NULL,
              koers_window_fixture_set_up, test_create_lock_unlock, koers_window_fixture_tear_down);
  g_test_add ("/ui/window/reopen", Fixture, NULL,
              koers_window_fixture_set_up, test_reopen, koers_window_fixture_tear_down);
  g_test_add ("/ui/window/auto-lock", Fixture, NULL,
              koers_window_fixture_set_up, test_auto_lock, koers_window_fixture_tear_down);
  g_test_add ("/ui/window/recovery-unlock", Fixture, NULL,
              koers_window_fixture_set_up, test_recovery_unlock, koers_window_fixture_tear_down);
  g_test_add ("/ui/window/recovery-new-person", Fixture, NULL,
              koers_window_fixture_set_up, test_recovery_new_person, koers_window_fixture_tear_down);
  g_test_add ("/ui/window/recovery-cancel", Fixture, NULL,
              koers_window_fixture_set_up, test_recovery_cancel, koers_window_fixture_tear_down);
  g_test_add ("/ui/window/recovery-auto-lock", Fixture, NULL,
              koers_window_fixture_set_up, test_recovery_auto_lock, koers_window_fixture_tear_down);

  return g_test_run ();
}
