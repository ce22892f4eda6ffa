/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Preferences: a coordinator adds a person (the KDF runs in a worker), and
 * the vault opens with the new name and passphrase; a reset passphrase
 * opens it too, the old one no longer; a mismatch is shown inline. A new
 * recovery key, after a confirmation, is shown once and opens the vault;
 * the old key no longer does; only a coordinator is offered one. The
 * general settings (auto-lock, language, steunpunt) are saved, named for a
 * screen reader and reachable with Tab. */
#include "config.h"

#define G_LOG_DOMAIN "test-preferences"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "koers-backup-group.h"
#include "koers-orgs-page.h"
#include "koers-preferences-window.h"
#include "koers-recovery-page.h"
#include "koers-settings.h"
#include "koers-test-util.h"
#include "vault/koers-vault.h"

#define NEW_NAME  "Nieuwe Vrijwilliger"
#define NEW_PASS  "de kat krabt de krullen van de trap"
#define NEXT_PASS "een nieuwe zin van zeven lange woorden"

typedef struct
{
  char       *tmp;
  char         *dir;
  KoersSession *session;
  KoersVault   *vault;         /* the session's, unlocked */
  char         *recovery_key;  /* the vault's first, from koers_vault_create() */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->tmp = g_dir_make_tmp ("koers-prefs-XXXXXX", NULL);
  f->dir = g_build_filename (f->tmp, "vault", NULL);
  f->session = koers_test_new_session (f->dir, "Coördinator", "eerste lange wachtzin", FALSE, &f->recovery_key);
  f->vault = koers_session_get_vault (f->session);
}

/* The session's store, opened on first use. */
static KoersStore *
fixture_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  if (!koers_session_is_open (f->session))
    g_assert_true (koers_session_open_store (f->session, &error));
  g_assert_no_error (error);
  return koers_session_get_store (f->session);
}

/* Preferences over the session with its store open. */
static KoersPreferencesWindow *
prefs_with_store (Fixture  *f,
                  gboolean  coordinator)
{
  fixture_store (f);
  return koers_preferences_window_new (NULL, f->session, coordinator);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  koers_session_lock (f->session);
  g_clear_object (&f->session);
  koers_test_rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->dir);
  koers_vault_free_secret (f->recovery_key);
}

static gboolean
not_busy (gpointer data)
{
  return !koers_preferences_window_is_busy (KOERS_PREFERENCES_WINDOW (data));
}

static GtkWidget *
child (KoersPreferencesWindow *window,
       const char             *name)
{
  return koers_test_child (window, KOERS_TYPE_PREFERENCES_WINDOW, name);
}

static void
fill (KoersPreferencesWindow *window,
      const char             *name,
      const char             *value)
{
  koers_test_set_text (koers_test_child (window, KOERS_TYPE_PREFERENCES_WINDOW, name), value);
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
  KoersPreferencesWindow *window = koers_preferences_window_new (NULL, f->session, TRUE);
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

  g_assert_true (koers_test_add_person (window, NEW_NAME, KOERS_ROLE_VOLUNTEER, NEW_PASS));
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
  g_assert_true (koers_test_add_person (window, NULL, KOERS_ROLE_VOLUNTEER, NEXT_PASS));
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

/* Whether @key opens the vault in @dir, through a handle of its own. */
static gboolean
recovery_key_opens (const char *dir,
                    const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) vault = koers_vault_open (dir, &error);
  gboolean ok;

  g_assert_no_error (error);
  ok = koers_vault_unlock_with_recovery_key (vault, key, &error);
  if (!ok)
    g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE);
  koers_vault_lock (vault);
  return ok;
}

static AdwMessageDialog *
confirmation (KoersPreferencesWindow *window)
{
  GtkWidget *dialog;

  gtk_widget_activate_action (GTK_WIDGET (window), "prefs.new-recovery-key", NULL);
  koers_test_settle ();
  dialog = koers_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  return ADW_MESSAGE_DIALOG (dialog);
}

static gboolean
key_page_gone (gpointer window)
{
  return koers_test_find_descendant (GTK_WIDGET (window), KOERS_TYPE_RECOVERY_PAGE) == NULL;
}

static void
test_new_recovery_key (Fixture       *f,
                       gconstpointer  data)
{
  KoersPreferencesWindow *window = prefs_with_store (f, TRUE);
  g_autoptr(KoersRecoveryPage) page = NULL;
  g_autofree char *new_key = NULL;
  GtkWidget *stored_check;

  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();
  g_assert_true (gtk_widget_is_visible (child (window, "recovery_group")));
  g_assert_true (recovery_key_opens (f->dir, f->recovery_key));

  /* Cancelled: nothing changes, no key is shown. */
  adw_message_dialog_response (confirmation (window), "cancel");
  koers_test_settle ();
  g_assert_false (koers_preferences_window_is_busy (window));
  g_assert_true (key_page_gone (window));
  g_assert_true (recovery_key_opens (f->dir, f->recovery_key));

  adw_message_dialog_response (confirmation (window), "new-key");
  g_assert_true (koers_preferences_window_is_busy (window));
  koers_test_wait_until (not_busy, window, 60);
  page = g_object_ref (KOERS_RECOVERY_PAGE (koers_test_find_descendant (GTK_WIDGET (window), KOERS_TYPE_RECOVERY_PAGE)));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (page)));
  new_key = g_strdup (gtk_label_get_text (GTK_LABEL (koers_test_child (page, KOERS_TYPE_RECOVERY_PAGE, "key_label"))));

  /* The key as shown (in lines) opens the vault; the old one no longer. */
  g_assert_cmpstr (new_key, !=, "");
  g_assert_false (recovery_key_opens (f->dir, f->recovery_key));
  g_assert_true (recovery_key_opens (f->dir, new_key));
  /* This window's vault stays open. */
  g_assert_true (koers_vault_is_unlocked (f->vault));

  g_assert_false (adw_preferences_window_get_can_navigate_back (ADW_PREFERENCES_WINDOW (window)));

  /* Closing the window before the key is stored asks first; "Keep
   * Showing" keeps the window and the key. */
  gtk_window_close (GTK_WINDOW (window));
  koers_test_settle ();
  {
    GtkWidget *ask = koers_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);

    g_assert_nonnull (ask);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (ask), "keep");
    koers_test_settle ();
  }
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (koers_test_child (page, KOERS_TYPE_RECOVERY_PAGE, "key_label"))), ==, new_key);

  /* Stored: the key is cleared from the page and the page goes. */
  stored_check = koers_test_child (page, KOERS_TYPE_RECOVERY_PAGE, "stored_check");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (stored_check), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (page), "recovery.continue", NULL);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (koers_test_child (page, KOERS_TYPE_RECOVERY_PAGE, "key_label"))), ==, "");
  koers_test_wait_until (key_page_gone, window, 10);

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

/* The drop-down in @window's people list for the person named @name. */
static GtkDropDown *
role_dropdown_of (KoersPreferencesWindow *window,
                  const char             *name)
{
  GtkWidget *list = koers_test_child (window, KOERS_TYPE_PREFERENCES_WINDOW, "people_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), name) == 0)
      return GTK_DROP_DOWN (koers_test_find_descendant (row, GTK_TYPE_DROP_DOWN));
  return NULL;
}

static KoersRole
stored_role (KoersStore *store,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) people = koers_store_list_people (store, -1, FALSE, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < people->len; i++)
    if (g_strcmp0 (((KoersWorker *) people->pdata[i])->name, name) == 0)
      return ((KoersWorker *) people->pdata[i])->role;
  return (KoersRole) -1;
}

/* The vault's first person, stored (and so a coordinator), is the one
 * working. */
static void
become_coordinator (KoersStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersWorker) me = koers_worker_new ();

  me->name = g_strdup ("Coördinator");
  me->active = TRUE;
  g_assert_true (koers_store_save_person (store, me, &error));
  g_assert_no_error (error);
  g_assert_true (koers_store_adopt_worker (store, "Coördinator", NULL, &error));
  g_assert_no_error (error);
}

static GtkWidget *
named (GtkWidget  *root,
       const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = named (c, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
list_has (GtkWidget  *list,
          const char *title,
          const char *subtitle)
{
  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), title) == 0 &&
        g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) != NULL
                   ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : "", subtitle) == 0)
      return TRUE;
  return FALSE;
}

/* A coordinator keeps the organisations: a fresh vault has none; a
 * referral organisation is added with its kind, a partner abroad with its
 * country chosen by name; nameless is refused with a word. */
static void
test_organisations (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) partners = NULL;
  KoersStore *store = fixture_store (f);
  KoersPreferencesWindow *window;
  GtkWidget *page, *referrals, *abroad, *name, *kind, *country, *add = NULL;
  GListModel *countries;
  guint georgia = G_MAXUINT;

  become_coordinator (store);
  window = prefs_with_store (f, TRUE);
  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();
  page = koers_test_find_descendant (GTK_WIDGET (window), KOERS_TYPE_ORGS_PAGE);
  g_assert_nonnull (page);
  referrals = named (page, "referral-orgs");
  abroad = named (page, "partner-orgs");
  name = koers_test_nth_descendant (page, ADW_TYPE_ENTRY_ROW, 0);
  kind = koers_test_nth_descendant (page, ADW_TYPE_COMBO_ROW, 0);
  country = koers_test_nth_descendant (page, ADW_TYPE_COMBO_ROW, 1);
  for (guint i = 0; (add = koers_test_nth_descendant (page, GTK_TYPE_BUTTON, i)) != NULL; i++)
    if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (add)), "_Add Organisation") == 0)
      break;
  g_assert_nonnull (add);
  g_assert_true (list_has (referrals, "None yet", ""));
  g_assert_true (list_has (abroad, "None yet", ""));

  /* No name: a word under the form, nothing stored. */
  g_signal_emit_by_name (add, "clicked");
  {
    GtkWidget *label = NULL;

    for (guint i = 0; (label = koers_test_nth_descendant (page, GTK_TYPE_LABEL, i)) != NULL; i++)
      if (gtk_widget_has_css_class (label, "error"))
        break;
    g_assert_nonnull (label);
    g_assert_true (gtk_widget_get_visible (label));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "Type the organisation’s name.");
  }
  g_assert_true (list_has (referrals, "None yet", ""));

  gtk_editable_set_text (GTK_EDITABLE (name), "Stichting Rechtshulp");
  adw_combo_row_set_selected (ADW_COMBO_ROW (kind), KOERS_ORG_KIND_LEGAL_AID);
  g_assert_false (gtk_widget_get_visible (country));
  g_signal_emit_by_name (add, "clicked");
  g_assert_true (list_has (referrals, "Stichting Rechtshulp", "Legal aid"));

  /* A partner abroad: the country by its name. */
  adw_combo_row_set_selected (ADW_COMBO_ROW (kind), KOERS_ORG_KIND_OTHER + 1);
  g_assert_true (gtk_widget_get_visible (country));
  countries = adw_combo_row_get_model (ADW_COMBO_ROW (country));
  for (guint i = 0; i < g_list_model_get_n_items (countries); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (countries), i), "Georgia") == 0)
      georgia = i;
  g_assert_cmpuint (georgia, !=, G_MAXUINT);
  adw_combo_row_set_selected (ADW_COMBO_ROW (country), georgia);
  gtk_editable_set_text (GTK_EDITABLE (name), "Partner Tbilisi");
  g_signal_emit_by_name (add, "clicked");
  g_assert_true (list_has (abroad, "Partner Tbilisi", "Georgia"));
  partners = koers_store_list_partners (store, "GE", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (partners->len, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

/* A coordinator adds a counsellor: the role is stored before they first
 * open Koers, and is theirs when they do; the list shows and changes it. */
static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSession) counsellor = NULL;
  KoersStore *store = fixture_store (f);
  KoersPreferencesWindow *window;
  GtkWidget *error_label;
  GtkDropDown *dropdown;

  become_coordinator (store);

  window = prefs_with_store (f, TRUE);
  error_label = child (window, "error_label");
  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();
  g_assert_true (gtk_widget_get_visible (child (window, "role_row")));
  dropdown = role_dropdown_of (window, "Coördinator");
  g_assert_nonnull (dropdown);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, KOERS_ROLE_COORDINATOR);

  g_assert_true (koers_test_add_person (window, "Hulpverlener Sara", KOERS_ROLE_COUNSELLOR, NEW_PASS));
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_cmpint (stored_role (store, "Hulpverlener Sara"), ==, KOERS_ROLE_COUNSELLOR);
  dropdown = role_dropdown_of (window, "Hulpverlener Sara");
  g_assert_nonnull (dropdown);
  g_assert_cmpuint (gtk_drop_down_get_selected (dropdown), ==, KOERS_ROLE_COUNSELLOR);

  /* Adding the same name again changes nobody's role. */
  g_assert_false (koers_test_add_person (window, "Hulpverlener Sara", KOERS_ROLE_VOLUNTEER, NEW_PASS));
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpint (stored_role (store, "Hulpverlener Sara"), ==, KOERS_ROLE_COUNSELLOR);

  /* The list changes a role; the last coordinator stays one. */
  gtk_drop_down_set_selected (dropdown, KOERS_ROLE_CONSULTANT);
  g_assert_cmpint (stored_role (store, "Hulpverlener Sara"), ==, KOERS_ROLE_CONSULTANT);
  gtk_drop_down_set_selected (role_dropdown_of (window, "Coördinator"), KOERS_ROLE_VOLUNTEER);
  koers_test_settle ();
  g_assert_cmpint (stored_role (store, "Coördinator"), ==, KOERS_ROLE_COORDINATOR);
  g_assert_cmpuint (gtk_drop_down_get_selected (role_dropdown_of (window, "Coördinator")), ==, KOERS_ROLE_COORDINATOR);
  gtk_drop_down_set_selected (role_dropdown_of (window, "Hulpverlener Sara"), KOERS_ROLE_COUNSELLOR);
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
  koers_session_lock (f->session);

  /* Sara opens Koers as the app does: she is the counsellor. */
  counsellor = koers_session_new (f->dir, KOERS_SESSION_ADOPT_WORKER);
  g_assert_true (koers_session_open_vault (counsellor, &error));
  g_assert_true (koers_session_unlock (counsellor, "Hulpverlener Sara", NEW_PASS, &error));
  g_assert_true (koers_session_open_store (counsellor, &error));
  g_assert_no_error (error);
  {
    KoersStore *theirs = koers_session_get_store (counsellor);
    g_autoptr(KoersWorker) worker = koers_store_get_worker (theirs, koers_store_get_current_worker (theirs), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (worker->name, ==, "Hulpverlener Sara");
    g_assert_cmpint (worker->role, ==, KOERS_ROLE_COUNSELLOR);
    g_assert_false (koers_store_is_coordinator (theirs, worker->id));
  }
  koers_session_lock (counsellor);
}

static void
test_not_coordinator (Fixture       *f,
                      gconstpointer  data)
{
  KoersPreferencesWindow *window = koers_preferences_window_new (NULL, f->session, FALSE);

  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();
  g_assert_false (gtk_widget_get_visible (koers_test_child (window, KOERS_TYPE_PREFERENCES_WINDOW, "people_page")));
  g_assert_false (gtk_widget_is_visible (koers_test_child (window, KOERS_TYPE_PREFERENCES_WINDOW, "recovery_group")));
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

/* Whether pressing Tab (moving focus forward, wrapping) reaches @target. */
static gboolean
tab_reaches (KoersPreferencesWindow *window,
             GtkWidget              *target)
{
  for (guint i = 0; i < 50; i++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      if (focus != NULL && (focus == target || gtk_widget_is_ancestor (focus, target)))
        return TRUE;
    }
  return FALSE;
}

static char *
stored_steunpunt (KoersStore *store)
{
  g_autoptr(GPtrArray) all = koers_store_list (store, KOERS_ENTITY_STEUNPUNT, NULL, NULL);
  KoersSteunpunt *steunpunt;

  if (all == NULL || all->len != 1)
    return NULL;
  steunpunt = g_ptr_array_index (all, 0);
  return g_strdup (steunpunt->name);
}

static void
test_general (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GSettings) settings = koers_settings_new ();
  g_autofree char *saved = NULL;
  KoersPreferencesWindow *window = prefs_with_store (f, FALSE);
  GtkWidget *spin = child (window, "auto_lock_spin");
  AdwComboRow *language = ADW_COMBO_ROW (child (window, "language_row"));
  GtkWidget *steunpunt = child (window, "steunpunt_row");
  GtkWidget *steunpunt_text = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (steunpunt)));

  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();

  /* Auto-lock minutes go to the settings. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 12);
  g_assert_cmpuint (koers_settings_get_auto_lock_minutes (settings), ==, 12);

  /* The language starts at the computer's; a choice is stored and waits
   * for a restart, which the row says; going back takes the note away. */
  g_assert_cmpuint (adw_combo_row_get_selected (language), ==, 0);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (language)), ==, "");
  adw_combo_row_set_selected (language, 1);
  saved = g_settings_get_string (settings, "language");
  g_assert_cmpstr (saved, ==, "nl");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (language)), ==,
                   "Koers will use this language the next time it starts.");
  adw_combo_row_set_selected (language, 0);
  g_clear_pointer (&saved, g_free);
  saved = g_settings_get_string (settings, "language");
  g_assert_cmpstr (saved, ==, "");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (language)), ==, "");

  /* The steunpunt's name is saved in the store on Apply. */
  g_assert_true (gtk_widget_get_visible (child (window, "steunpunt_group")));
  gtk_editable_set_text (GTK_EDITABLE (steunpunt), "Steunpunt Noord");
  g_signal_emit_by_name (steunpunt, "apply");
  g_clear_pointer (&saved, g_free);
  saved = stored_steunpunt (fixture_store (f));
  g_assert_cmpstr (saved, ==, "Steunpunt Noord");

  /* Named for a screen reader, and reachable with Tab. */
  /* Once: by its row's title (the row makes it labelled-by that); a label
   * of its own would be read before it ("… without use Lock after …"). */
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL));
  g_assert_true (gtk_test_accessible_has_relation (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_RELATION_LABELLED_BY));
  gtk_test_accessible_assert_property (steunpunt_text, GTK_ACCESSIBLE_PROPERTY_LABEL, "Name of the steunpunt");
  g_assert_true (tab_reaches (window, spin));
  g_assert_true (tab_reaches (window, GTK_WIDGET (language)));
  g_assert_true (tab_reaches (window, steunpunt_text));

  /* Nothing forces a light style: dark follows the system's preference. */
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_DEFAULT);

  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();

  /* Opened again, the window shows what was saved. */
  window = prefs_with_store (f, FALSE);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (child (window, "steunpunt_row"))), ==, "Steunpunt Noord");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (child (window, "auto_lock_spin"))), ==, 12);
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
  g_settings_reset (settings, "auto-lock-minutes");
}

/* A stored choice shows when the window opens, with the restart note
 * (this process started in the computer's language). */
static void
test_language_stored (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GSettings) settings = koers_settings_new ();
  KoersPreferencesWindow *window;
  AdwComboRow *language;

  g_settings_set_string (settings, "language", "en");
  window = koers_preferences_window_new (NULL, NULL, FALSE);
  language = ADW_COMBO_ROW (child (window, "language_row"));
  g_assert_cmpuint (adw_combo_row_get_selected (language), ==, 2);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (language)), !=, "");
  g_assert_false (gtk_widget_get_visible (child (window, "steunpunt_group")));
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
  g_settings_reset (settings, "language");
}

/* --- backup (issue 14, item 12) -------------------------------------- */

static gboolean
backup_done (gpointer group)
{
  return !koers_backup_group_is_busy (KOERS_BACKUP_GROUP (group));
}

/* A coordinator makes a backup from Preferences into a folder (a USB
 * stick): a new folder appears there, with a progress bar meanwhile, and
 * it opens with the same name and passphrase and holds the same clients.
 * A folder that cannot be written to gives a message and no folder. */
static void
test_backup (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stick = g_build_filename (f->tmp, "usb-stick", NULL);
  g_autofree char *locked = g_build_filename (f->tmp, "not-a-folder", NULL);
  g_autofree char *client = koers_test_add_client (fixture_store (f), "Hiwet Tesfamariam", KOERS_PHASE_INTAKE);
  KoersPreferencesWindow *window = koers_preferences_window_new (NULL, f->session, TRUE);
  GtkWidget *group, *progress;
  g_autoptr(KoersVault) copy = NULL;
  g_autoptr(KoersStore) copy_store = NULL;
  g_autoptr(GPtrArray) hits = NULL;

  g_assert_cmpint (g_mkdir (stick, 0700), ==, 0);
  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();
  group = koers_test_find_descendant (GTK_WIDGET (window), KOERS_TYPE_BACKUP_GROUP);
  g_assert_nonnull (group);
  progress = koers_test_find_descendant (group, GTK_TYPE_PROGRESS_BAR);
  g_assert_false (gtk_widget_get_visible (progress));

  koers_backup_group_back_up_to (KOERS_BACKUP_GROUP (group), stick);
  g_assert_true (koers_backup_group_is_busy (KOERS_BACKUP_GROUP (group)));
  g_assert_true (gtk_widget_get_visible (progress));
  koers_test_wait_until (backup_done, group, 60);
  g_assert_false (gtk_widget_get_visible (progress));
  g_assert_nonnull (koers_backup_group_get_last (KOERS_BACKUP_GROUP (group)));
  g_assert_true (g_str_has_prefix (koers_backup_group_get_last (KOERS_BACKUP_GROUP (group)), stick));

  copy = koers_vault_open (koers_backup_group_get_last (KOERS_BACKUP_GROUP (group)), &error);
  g_assert_no_error (error);
  g_assert_true (koers_vault_unlock (copy, "Coördinator", "eerste lange wachtzin", &error));
  g_assert_no_error (error);
  g_assert_true (koers_vault_verify (copy, &error));
  g_assert_no_error (error);
  copy_store = koers_store_new (koers_vault_get_db (copy), &error);
  g_assert_no_error (error);
  hits = koers_store_search (copy_store, "Hiwet", KOERS_SEARCH_NAMES, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_object (&copy_store);
  koers_vault_lock (copy);

  /* A second backup of the same minute gets its own folder. */
  koers_backup_group_back_up_to (KOERS_BACKUP_GROUP (group), stick);
  koers_test_wait_until (backup_done, group, 60);
  {
    g_autoptr(GDir) dir = g_dir_open (stick, 0, NULL);
    guint n = 0;

    while (g_dir_read_name (dir))
      n++;
    g_assert_cmpuint (n, ==, 2);
  }

  /* Nowhere to write (a file where the folder should be; root ignores
   * permissions): a message, the last backup unchanged, nothing made. */
  {
    g_autofree char *before = g_strdup (koers_backup_group_get_last (KOERS_BACKUP_GROUP (group)));

    g_assert_true (g_file_set_contents (locked, "not a folder", -1, NULL));
    koers_backup_group_back_up_to (KOERS_BACKUP_GROUP (group), locked);
    koers_test_wait_until (backup_done, group, 60);
    g_assert_cmpstr (koers_backup_group_get_last (KOERS_BACKUP_GROUP (group)), ==, before);
    g_assert_true (g_file_test (locked, G_FILE_TEST_IS_REGULAR));
  }
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
  g_test_add ("/ui/preferences/new-recovery-key", Fixture, NULL, fixture_set_up, test_new_recovery_key, fixture_tear_down);
  g_test_add ("/ui/preferences/roles", Fixture, NULL, fixture_set_up, test_roles, fixture_tear_down);
  g_test_add ("/ui/preferences/organisations", Fixture, NULL, fixture_set_up, test_organisations, fixture_tear_down);
  g_test_add ("/ui/preferences/not-coordinator", Fixture, NULL, fixture_set_up, test_not_coordinator, fixture_tear_down);
  g_test_add ("/ui/preferences/general", Fixture, NULL, fixture_set_up, test_general, fixture_tear_down);
  g_test_add ("/ui/preferences/language-stored", Fixture, NULL, fixture_set_up, test_language_stored, fixture_tear_down);
  g_test_add ("/ui/preferences/backup", Fixture, NULL, fixture_set_up, test_backup, fixture_tear_down);
  return g_test_run ();
}
