/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The flow through the real window: create a vault, add a client with an
 * Arabic-script name through the form (consent first), a conversation,
 * find the client by search as a volunteer types, lock (no trace of the
 * name anywhere in the widget tree), unlock and find it again. Also
 * inline validation, 10k clients in a list that reads a few pages, and the
 * due filter. */
#include "config.h"

#define G_LOG_DOMAIN "test-clients"

#include <adwaita.h>
#include <string.h>

#include "koers-client-item.h"
#include "koers-client-page.h"
#include "koers-clients-page.h"
#include "koers-conversation-editor.h"
#include "koers-main-view.h"
#include "koers-recovery-page.h"
#include "koers-setup-page.h"
#include "koers-test-util.h"
#include "koers-unlock-page.h"
#include "koers-window.h"
#include "vault/koers-vault.h"

#define STEUNPUNT   "Steunpunt Zuid"
#define WORKER      "Amina"
#define PASSPHRASE  "rustig water heeft diepe gronden"
#define CLIENT      "محمد عبد الله"
#define CLIENT_WORD "محمد"

typedef KoersWindowFixture Fixture;

static GtkWidget *
page_child (Fixture    *fixture,
            const char *page,
            GType       type,
            const char *name)
{
  return koers_test_child (koers_test_child (fixture->window, KOERS_TYPE_WINDOW, page), type, name);
}

static void
set_text (GtkWidget  *editable,
          const char *text)
{
  koers_test_set_text (editable, text);
}

static KoersClientList *clients_list (KoersMainView *view);

static KoersMainView *
create_vault (Fixture *fixture)
{
  const GType s = KOERS_TYPE_SETUP_PAGE;
  const GType r = KOERS_TYPE_RECOVERY_PAGE;

  set_text (page_child (fixture, "setup_page", s, "steunpunt_row"), STEUNPUNT);
  set_text (page_child (fixture, "setup_page", s, "name_row"), WORKER);
  set_text (page_child (fixture, "setup_page", s, "passphrase_row"), PASSPHRASE);
  set_text (page_child (fixture, "setup_page", s, "repeat_row"), PASSPHRASE);
  g_signal_emit_by_name (page_child (fixture, "setup_page", s, "create_button"), "clicked");
  koers_test_wait_for_page (fixture->window, "recovery");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (page_child (fixture, "recovery_page", r, "stored_check")), TRUE);
  g_signal_emit_by_name (page_child (fixture, "recovery_page", r, "continue_button"), "clicked");
  koers_test_wait_for_page (fixture->window, "main");
  g_assert_nonnull (koers_window_get_main_view (fixture->window));
  koers_test_wait_for_list (clients_list (koers_window_get_main_view (fixture->window)));
  koers_test_settle ();
  return koers_window_get_main_view (fixture->window);
}

static GtkWidget *
view_child (KoersMainView *view,
            const char    *name)
{
  return koers_test_child (view, KOERS_TYPE_MAIN_VIEW, name);
}

static GtkWidget *
clients_child (KoersMainView *view,
               const char    *name)
{
  return koers_test_child (view_child (view, "clients_page"), KOERS_TYPE_CLIENTS_PAGE, name);
}

static KoersClientList *
clients_list (KoersMainView *view)
{
  return koers_clients_page_get_list (KOERS_CLIENTS_PAGE (view_child (view, "clients_page")));
}

static GtkWidget *
form_child (KoersClientPage *page,
            const char      *name)
{
  return koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, name);
}

static gboolean
focus_is_within (GtkWindow *window,
                 GtkWidget *ancestor)
{
  GtkWidget *focus = gtk_window_get_focus (window);

  return focus != NULL && (focus == ancestor || gtk_widget_is_ancestor (focus, ancestor));
}

static KoersClientPage *
open_new_client_form (Fixture       *fixture,
                      KoersMainView *view)
{
  GtkWidget *page;

  /* Ctrl+N */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-client", NULL));
  koers_test_settle ();
  page = koers_main_view_get_visible_page (view);
  g_assert_true (KOERS_IS_CLIENT_PAGE (page));
  g_assert_null (koers_client_page_get_client_id (KOERS_CLIENT_PAGE (page)));
  /* Consent comes first: the focus starts there. */
  g_assert_true (focus_is_within (GTK_WINDOW (fixture->window), form_child (KOERS_CLIENT_PAGE (page), "consent_switch")));
  return KOERS_CLIENT_PAGE (page);
}

static guint
n_toplevels (void)
{
  return g_list_model_get_n_items (gtk_window_get_toplevels ());
}

/* Search --------------------------------------------------------------- */

typedef struct
{
  KoersClientList *list;
  const char      *typed;
} SearchWait;

/* The search field passed it on (after its short delay) and the hits are in. */
static gboolean
search_applied (gpointer data)
{
  SearchWait *wait = data;

  return g_strcmp0 (koers_client_list_get_search (wait->list), wait->typed) == 0
         && !koers_client_list_is_loading (wait->list);
}

/* Types into the search field and waits for the list to follow. */
static guint
search_for (KoersMainView *view,
            const char    *typed)
{
  KoersClientList *list = clients_list (view);
  SearchWait wait = { list, typed };

  set_text (clients_child (view, "search_entry"), typed);
  koers_test_wait_until (search_applied, &wait, 10);
  koers_test_settle ();
  return g_list_model_get_n_items (G_LIST_MODEL (list));
}

static void
assert_first_hit (KoersMainView *view,
                  const char    *typed)
{
  KoersClientList *list = clients_list (view);
  g_autoptr(KoersClientItem) item = NULL;

  g_test_message ("search: %s", typed);
  g_assert_cmpuint (search_for (view, typed), >=, 1);
  item = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (koers_client_item_get_name (item), ==, CLIENT);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (clients_child (view, "content_stack"))), ==, "list");
}

/* No trace -------------------------------------------------------------- */

static void
assert_no_name (const char *text,
                const char *where)
{
  if (text == NULL)
    return;
  if (strstr (text, CLIENT_WORD) != NULL || strstr (text, "عبد الله") != NULL)
    g_error ("The client's name is still in a %s", where);
}

static guint
assert_no_trace (GtkWidget *widget)
{
  guint n = 1;

  assert_no_name (gtk_widget_get_tooltip_text (widget), "tooltip");
  if (GTK_IS_LABEL (widget))
    assert_no_name (gtk_label_get_label (GTK_LABEL (widget)), "label");
  if (GTK_IS_EDITABLE (widget))
    assert_no_name (gtk_editable_get_text (GTK_EDITABLE (widget)), "text field");
  if (GTK_IS_WINDOW (widget))
    assert_no_name (gtk_window_get_title (GTK_WINDOW (widget)), "window title");
  if (ADW_IS_PREFERENCES_ROW (widget))
    assert_no_name (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), "row title");
  if (ADW_IS_ACTION_ROW (widget))
    assert_no_name (adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)), "row subtitle");
  if (ADW_IS_WINDOW_TITLE (widget))
    {
      assert_no_name (adw_window_title_get_title (ADW_WINDOW_TITLE (widget)), "header title");
      assert_no_name (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (widget)), "header subtitle");
    }
  if (ADW_IS_AVATAR (widget))
    assert_no_name (adw_avatar_get_text (ADW_AVATAR (widget)), "avatar");

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += assert_no_trace (child);
  return n;
}

static void
assert_no_trace_anywhere (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      n += assert_no_trace (window);
    }
  g_test_message ("%u widgets checked", n);
  g_assert_cmpuint (n, >, 50);
}

/* Tests ------------------------------------------------------------------- */

static void
test_flow (Fixture       *fixture,
           gconstpointer  data)
{
  KoersMainView *view = create_vault (fixture);
  KoersClientPage *page;
  KoersStore *store = koers_main_view_get_store (view);
  g_autoptr(KoersConversation) conversation = koers_conversation_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = NULL;
  GtkWidget *consent_error;
  GtkWidget *timeline;
  GtkWidget *row;

  /* The worker for this slot was made with the steunpunt, and as the
   * first person, a coordinator. */
  {
    g_autoptr(KoersWorker) worker = koers_store_get_worker (store, koers_store_get_current_worker (store), &error);
    g_autoptr(KoersSteunpunt) steunpunt = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (worker->name, ==, WORKER);
    g_assert_cmpint (worker->role, ==, KOERS_ROLE_COORDINATOR);
    steunpunt = koers_store_get_steunpunt (store, worker->steunpunt_id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (steunpunt->name, ==, STEUNPUNT);
  }

  /* An empty vault says how to start. */
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (clients_child (view, "content_stack"))), ==, "empty");

  page = open_new_client_form (fixture, view);
  set_text (form_child (page, "name_row"), CLIENT);
  set_text (form_child (page, "birth_year_row"), "1987");
  set_text (form_child (page, "languages_row"), "Arabisch, Engels");

  /* Without consent the store keeps only the intake: its message shows
   * next to the consent switch, no dialog, nothing saved. */
  koers_test_save (GTK_WIDGET (page), "client.save", koers_main_view_get_reader (view));
  consent_error = form_child (page, "consent_error");
  g_assert_true (gtk_widget_get_visible (consent_error));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (consent_error)), !=, "");
  g_assert_null (koers_client_page_get_client_id (page));
  g_assert_cmpuint (n_toplevels (), ==, 1);

  /* Consent first, then the file. */
  gtk_switch_set_active (GTK_SWITCH (form_child (page, "consent_switch")), TRUE);
  koers_test_save (GTK_WIDGET (page), "client.save", koers_main_view_get_reader (view));
  g_assert_false (gtk_widget_get_visible (consent_error));
  g_assert_false (gtk_widget_get_visible (form_child (page, "form_error")));
  client_id = g_strdup (koers_client_page_get_client_id (page));
  g_assert_nonnull (client_id);
  g_assert_true (koers_store_has_consent (store, client_id, KOERS_CONSENT_STORE_FILE));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (form_child (page, "header_name"))), ==, CLIENT);

  /* The conversation editor is another page: the store makes one here. */
  conversation->client_id = g_strdup (client_id);
  conversation->held_on = koers_store_today (store);
  conversation->notes = g_strdup ("Wil terug naar familie; zoekt werk.");
  g_assert_true (koers_store_add_conversation (store, conversation, &error));
  g_assert_no_error (error);
  koers_client_page_reload (page);
  koers_test_settle ();

  timeline = form_child (page, "timeline_list");
  row = gtk_widget_get_first_child (timeline);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_signal_emit_by_name (timeline, "row-activated", row);
  /* The row activated view.open-conversation: the view pushed that
   * conversation's editor on top. */
  koers_test_settle ();
  g_assert_true (KOERS_IS_CONVERSATION_EDITOR (koers_main_view_get_visible_page (view)));
  g_assert_cmpstr (koers_conversation_editor_get_conversation_id (
                     KOERS_CONVERSATION_EDITOR (koers_main_view_get_visible_page (view))), ==, conversation->id);

  /* Back to the list: the client is in it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.back", NULL));
  koers_test_wait_for_list (clients_list (view));
  koers_test_settle ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.back", NULL));
  koers_test_settle ();
  g_assert_true (koers_main_view_get_visible_page (view) == view_child (view, "home"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (clients_list (view))), ==, 1);

  /* Ctrl+F puts the focus in the search field. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL));
  koers_test_settle ();
  g_assert_true (focus_is_within (GTK_WINDOW (fixture->window), clients_child (view, "search_entry")));

  /* Search as a volunteer types it: heard, with and without vowel marks. */
  assert_first_hit (view, "mohammed");
  assert_first_hit (view, "Mohamed Abdallah");
  assert_first_hit (view, CLIENT_WORD);
  assert_first_hit (view, "مُحَمَّد");
  assert_first_hit (view, "zoekt werk");
  g_assert_cmpuint (search_for (view, "zzyzx"), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (clients_child (view, "content_stack"))), ==, "empty");

  /* Open the file from the list, then lock: no trace of the name. */
  assert_first_hit (view, "mohammed");
  g_signal_emit_by_name (clients_child (view, "list_view"), "activate", 0);
  koers_test_settle ();
  g_assert_true (KOERS_IS_CLIENT_PAGE (koers_main_view_get_visible_page (view)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL));
  koers_test_wait_for_page (fixture->window, "unlock");
  g_assert_null (koers_window_get_main_view (fixture->window));
  g_assert_false (koers_vault_is_unlocked (koers_window_get_vault (fixture->window)));
  assert_no_trace_anywhere ();

  /* Unlock: it is all there again. */
  set_text (page_child (fixture, "unlock_page", KOERS_TYPE_UNLOCK_PAGE, "passphrase_row"), PASSPHRASE);
  g_signal_emit_by_name (page_child (fixture, "unlock_page", KOERS_TYPE_UNLOCK_PAGE, "unlock_button"), "clicked");
  koers_test_wait_for_page (fixture->window, "main");
  view = koers_window_get_main_view (fixture->window);
  assert_first_hit (view, "mohammed");
  koers_main_view_show_client (view, client_id);
  koers_test_settle ();
  page = KOERS_CLIENT_PAGE (koers_main_view_get_visible_page (view));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (form_child (page, "header_name"))), ==, CLIENT);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (form_child (page, "birth_year_row"))), ==, "1987");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (form_child (page, "consent_switch"))));
  g_assert_nonnull (gtk_widget_get_first_child (form_child (page, "timeline_list")));
}

static void
test_inline_validation (Fixture       *fixture,
                        gconstpointer  data)
{
  KoersMainView *view = create_vault (fixture);
  KoersClientPage *page = open_new_client_form (fixture, view);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *next_year = g_strdup_printf ("%d", g_date_time_get_year (now) + 1);
  GtkWidget *message = form_child (page, "birth_year_error");
  GtkWidget *message_row = form_child (page, "birth_year_error_row");
  GtkWidget *year_row = form_child (page, "birth_year_row");

  gtk_switch_set_active (GTK_SWITCH (form_child (page, "consent_switch")), TRUE);
  set_text (form_child (page, "name_row"), "Tesfay Haile");
  g_assert_true (gtk_widget_is_sensitive (form_child (page, "save_button")));

  /* As it is typed: the message right under the field, no dialog. */
  set_text (year_row, next_year);
  koers_test_settle ();
  g_assert_true (gtk_widget_get_visible (message_row));
  g_assert_true (gtk_widget_has_css_class (year_row, "error"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (message)), !=, "");
  g_assert_false (gtk_widget_is_sensitive (form_child (page, "save_button")));
  g_assert_cmpuint (n_toplevels (), ==, 1);

  set_text (year_row, "19x0");
  g_assert_true (gtk_widget_get_visible (message_row));

  set_text (year_row, "1990");
  g_assert_false (gtk_widget_get_visible (message_row));
  g_assert_false (gtk_widget_has_css_class (year_row, "error"));
  g_assert_true (gtk_widget_is_sensitive (form_child (page, "save_button")));

  /* A blank name cannot be saved. */
  set_text (form_child (page, "name_row"), "  ");
  g_assert_false (gtk_widget_is_sensitive (form_child (page, "save_button")));
}

#define N_CLIENTS 10000

static void
test_ten_thousand (Fixture       *fixture,
                   gconstpointer  data)
{
  KoersMainView *view = create_vault (fixture);
  KoersStore *store = koers_main_view_get_store (view);
  KoersClientsPage *clients = KOERS_CLIENTS_PAGE (view_child (view, "clients_page"));
  static const char *const given[] = { "Amina", "Tesfay", "Ali", "Mariam", "Yonas", "Fatima",
                                       "Hassan", "Senait", "Omid", "Leila" };
  static const char *const family[] = { "Haile", "Ahmadi", "Yusuf", "Bekele", "Karimi",
                                        "Osman", "Tekle", "Rahimi", "Idris", "Noori" };
  g_autoptr(GError) error = NULL;
  KoersClientList *list;
  GtkAdjustment *adjustment;
  guint pages;
  gint64 start;
  gint64 slowest = 0;

  g_assert_true (koers_store_begin (store, &error));
  for (guint i = 0; i < N_CLIENTS; i++)
    {
      g_autoptr(KoersClient) client = koers_client_new ();

      client->name = g_strdup_printf ("%s %s %u", given[i % 10], family[(i / 10) % 10], i);
      client->phase = i % 5;
      g_assert_true (koers_store_add_client (store, client, &error));
    }
  g_assert_true (koers_store_commit (store, &error));
  g_assert_no_error (error);

  /* The 10k row keys in name order are read off the main thread. */
  list = koers_clients_page_get_list (clients);
  start = g_get_monotonic_time ();
  koers_clients_page_refresh (clients);
  g_test_message ("main thread asking for the row keys of %u clients: %.1f ms", N_CLIENTS,
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_true (koers_client_list_is_loading (list));
  koers_test_wait_for_list (list);
  g_test_message ("row keys in after: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  koers_test_settle ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_CLIENTS);
  pages = koers_client_list_get_n_fetched_pages (list);
  g_test_message ("pages read for the first screen: %u", pages);
  g_assert_cmpuint (pages, >=, 1);
  g_assert_cmpuint (pages, <=, 8);

  /* Scroll in steps to the end: each step reads the few pages in sight. */
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (clients_child (view, "scroller")));
  for (guint step = 1; step <= 10; step++)
    {
      double upper = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);

      gtk_adjustment_set_value (adjustment, upper * step / 10.0);
      koers_test_settle ();
    }
  pages = koers_client_list_get_n_fetched_pages (list);
  g_test_message ("pages read after scrolling: %u of %u", pages, N_CLIENTS / KOERS_CLIENT_LIST_PAGE_SIZE);
  g_assert_cmpuint (pages, <=, 11 * 8);

  /* What a frame waits for when a row of an unread page scrolls into
   * sight: one page read on the main thread. */
  for (guint position = 600; position < N_CLIENTS; position += 1000)
    {
      g_autoptr(KoersClientItem) item = NULL;
      gint64 t = g_get_monotonic_time ();

      item = g_list_model_get_item (G_LIST_MODEL (list), position);
      slowest = MAX (slowest, g_get_monotonic_time () - t);
      g_assert_cmpstr (koers_client_item_get_name (item), !=, "");
    }
  g_test_message ("slowest page read: %.1f ms", slowest / 1000.0);
  g_assert_cmpint (slowest, <, 100 * 1000);

  /* Filters work on the whole list. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (clients_child (view, "phase_dropdown")), 1 + KOERS_PHASE_CLOSED);
  koers_test_wait_for_list (list);
  koers_test_settle ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_CLIENTS / 5);
  start = g_get_monotonic_time ();
  koers_client_list_set_search (list, "yonas haile 4");
  g_test_message ("main thread asking for a search with a filter at 10k: %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  koers_test_wait_for_list (list);
  g_test_message ("hits in after: %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (search_for (view, "yonas haile 4"), >=, 1);
}

/* Typing fast, a search ---------------------------------------------------- */

static void
add_clients (KoersStore *store,
             guint       n)
{
  static const char *const given[] = { "Amina", "Tesfay", "Ali", "Mariam", "Yonas", "Fatima",
                                       "Hassan", "Senait", "Omid", "Leila" };
  static const char *const family[] = { "Haile", "Ahmadi", "Yusuf", "Bekele", "Karimi",
                                        "Osman", "Tekle", "Rahimi", "Idris", "Noori" };
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KoersClient) client = koers_client_new ();

      client->name = g_strdup_printf ("%s %s %u", given[i % 10], family[(i / 10) % 10], i);
      client->phase = i % 5;
      g_assert_true (koers_store_add_client (store, client, &error));
    }
  g_assert_true (koers_store_commit (store, &error));
  g_assert_no_error (error);
}

static void
count_call (guint *count)
{
  (*count)++;
}

/* Hits that are shown already keep their item, so the list view keeps
 * their row widgets; a client whose row changed gets a new item. */
static void
test_items_kept (Fixture       *fixture,
                 gconstpointer  data)
{
  KoersMainView *view = create_vault (fixture);
  KoersStore *store = koers_main_view_get_store (view);
  KoersClientList *list = clients_list (view);
  g_autoptr(KoersClientItem) first = NULL;
  g_autoptr(KoersClientItem) second = NULL;
  g_autoptr(KoersClientItem) again = NULL;
  g_autoptr(KoersClientItem) renamed = NULL;
  g_autoptr(KoersClient) client = NULL;

  add_clients (store, 40);
  koers_client_list_set_search (list, "yonas");
  koers_test_wait_for_list (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >=, 2);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  second = g_list_model_get_item (G_LIST_MODEL (list), 1);

  koers_client_list_refresh (list);
  koers_test_wait_for_list (list);
  again = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_true (again == first);

  client = koers_store_get_client (store, koers_client_item_get_id (second), NULL);
  g_free (client->name);
  client->name = g_strdup ("Yonas Haile Renamed");
  g_assert_true (koers_store_update_client (store, client, NULL));
  koers_client_list_refresh (list);
  koers_test_wait_for_list (list);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(KoersClientItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (g_str_equal (koers_client_item_get_id (item), koers_client_item_get_id (second)))
        renamed = g_steal_pointer (&item);
    }
  g_assert_nonnull (renamed);
  g_assert_true (renamed != second);
  g_assert_cmpstr (koers_client_item_get_name (renamed), ==, "Yonas Haile Renamed");
}

static void
test_typing_fast (Fixture       *fixture,
                  gconstpointer  data)
{
  KoersMainView *view = create_vault (fixture);
  KoersClientList *list = clients_list (view);
  static const char *const typed[] = { "h", "ha", "hai", "yonas", "yonas haile" };
  guint n_changes = 0;
  guint n_loading = 0;
  guint n;

  add_clients (koers_main_view_get_store (view), 2000);
  koers_client_list_refresh (list);
  koers_test_wait_for_list (list);
  g_signal_connect_swapped (list, "items-changed", G_CALLBACK (count_call), &n_changes);
  g_signal_connect_swapped (list, "notify::loading", G_CALLBACK (count_call), &n_loading);

  /* Keystrokes faster than the hits: the worker finishes older searches,
   * their results wait for the main loop, a newer search drops them. */
  for (guint i = 0; i < G_N_ELEMENTS (typed); i++)
    {
      koers_client_list_set_search (list, typed[i]);
      g_assert_true (koers_client_list_is_loading (list));
      g_usleep (30 * 1000);
    }
  /* Meanwhile the rows of before are still shown. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2000);
  koers_test_wait_for_list (list);
  koers_test_settle ();

  /* One change, to the last search's hits: "Yonas Haile" is 4, 104, ... */
  g_assert_cmpuint (n_changes, ==, 1);
  g_assert_cmpuint (n_loading, ==, 2);
  g_assert_null (koers_client_list_get_error (list));
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, ==, 20);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KoersClientItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_true (g_str_has_prefix (koers_client_item_get_name (item), "Yonas Haile "));
    }
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (clients_child (view, "count_label"))), ==, "20 clients");
  g_signal_handlers_disconnect_by_data (list, &n_changes);
  g_signal_handlers_disconnect_by_data (list, &n_loading);
}

static void
test_lock_while_searching (Fixture       *fixture,
                           gconstpointer  data)
{
  KoersMainView *view = create_vault (fixture);
  KoersClientList *list = clients_list (view);

  add_clients (koers_main_view_get_store (view), 2000);
  koers_client_list_refresh (list);
  koers_test_wait_for_list (list);
  g_assert_cmpuint (search_for (view, CLIENT_WORD), ==, 0);

  /* A search that reads 200 rows, and the lock while it runs. */
  g_object_add_weak_pointer (G_OBJECT (list), (gpointer *) &list);
  koers_client_list_set_search (list, "a");
  g_assert_true (koers_client_list_is_loading (list));
  g_usleep (2 * 1000);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.lock", NULL));
  g_assert_false (koers_vault_is_unlocked (koers_window_get_vault (fixture->window)));
  koers_test_wait_for_page (fixture->window, "unlock");
  koers_test_settle ();

  /* The list and its rows are gone; the dropped hits touched nothing. */
  g_assert_null (list);
  g_assert_null (koers_window_get_main_view (fixture->window));
  assert_no_trace_anywhere ();
}

/* A read that fails ------------------------------------------------------- */

static void
test_reader_error (KoersStoreFixture *f,
                   gconstpointer      data)
{
  g_autoptr(KoersClient) client = koers_client_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (KOERS_TYPE_CLIENTS_PAGE, NULL);
  KoersClientList *list;
  sqlite3 *other;
  SearchWait wait = { NULL, "hawa" };

  client->name = g_strdup ("Hawa Yusuf");
  g_assert_true (koers_store_add_client (f->store, client, &error));
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  koers_clients_page_set_store (KOERS_CLIENTS_PAGE (page), f->store, f->reader);
  list = wait.list = koers_clients_page_get_list (KOERS_CLIENTS_PAGE (page));
  koers_test_wait_for_list (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  /* The search index goes (through a connection of its own), so the
   * reader's search fails: the list says so, without a warning. */
  other = koers_vault_open_connection (f->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (other, "DROP TABLE search", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (other);
  gtk_editable_set_text (GTK_EDITABLE (koers_test_child (page, KOERS_TYPE_CLIENTS_PAGE, "search_entry")), "hawa");
  koers_test_wait_until (search_applied, &wait, 10);
  koers_test_settle ();

  g_assert_nonnull (koers_client_list_get_error (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (koers_test_child (page, KOERS_TYPE_CLIENTS_PAGE,
                                                                                   "content_stack"))), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (koers_test_child (page, KOERS_TYPE_CLIENTS_PAGE,
                                                                                  "empty_page"))), ==,
                   "Could Not Read the Client List");

  koers_clients_page_set_store (KOERS_CLIENTS_PAGE (page), NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

/* The due filter ------------------------------------------------------------ */

/* A client with a next step due @due_in_days from today, done or open. */
static void
add_client_with_step (KoersStore *store,
                      const char *name,
                      int         due_in_days,
                      gboolean    done)
{
  g_free (koers_test_add_client_with_step (store, name, "Bellen met de advocaat", due_in_days, done, FALSE));
}

/* The names the list shows, joined by ", ". */
static char *
list_names (KoersClientList *list)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(KoersClientItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", koers_client_item_get_name (item));
    }
  return g_string_free (names, FALSE);
}

static char *
choose_due (GtkWidget      *page,
            KoersDueFilter  due)
{
  KoersClientList *list = koers_clients_page_get_list (KOERS_CLIENTS_PAGE (page));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (koers_test_child (page, KOERS_TYPE_CLIENTS_PAGE, "due_dropdown")),
                              due);
  koers_test_wait_for_list (list);
  koers_test_settle ();
  return list_names (list);
}

static void
test_due_filter (KoersStoreFixture *f,
                 gconstpointer      data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = g_object_new (KOERS_TYPE_CLIENTS_PAGE, NULL);
  GtkWidget *dropdown = koers_test_child (page, KOERS_TYPE_CLIENTS_PAGE, "due_dropdown");
  KoersClientList *list;
  SearchWait wait = { NULL, "tesfay" };
  g_autofree char *overdue = NULL;
  g_autofree char *week = NULL;
  g_autofree char *any = NULL;

  add_client_with_step (f->store, "Hawa Yusuf", -3, FALSE);
  add_client_with_step (f->store, "Leila Noori", -3, TRUE);
  add_client_with_step (f->store, "Omid Karimi", 7, FALSE);
  add_client_with_step (f->store, "Tesfay Tekle", 6, FALSE);
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  koers_clients_page_set_store (KOERS_CLIENTS_PAGE (page), f->store, f->reader);
  list = wait.list = koers_clients_page_get_list (KOERS_CLIENTS_PAGE (page));
  koers_test_wait_for_list (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  g_assert_true (gtk_widget_get_visible (dropdown));

  overdue = choose_due (page, KOERS_DUE_OVERDUE);
  g_assert_cmpstr (overdue, ==, "Hawa Yusuf");
  week = choose_due (page, KOERS_DUE_THIS_WEEK);
  g_assert_cmpstr (week, ==, "Hawa Yusuf, Tesfay Tekle");

  /* A search keeps the filter: Tesfay's step is not overdue. */
  gtk_editable_set_text (GTK_EDITABLE (koers_test_child (page, KOERS_TYPE_CLIENTS_PAGE, "search_entry")), "tesfay");
  koers_test_wait_until (search_applied, &wait, 10);
  koers_test_settle ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_clear_pointer (&overdue, g_free);
  overdue = choose_due (page, KOERS_DUE_OVERDUE);
  g_assert_cmpstr (overdue, ==, "");
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (koers_test_child (page, KOERS_TYPE_CLIENTS_PAGE,
                                                                                  "empty_page"))), ==,
                   "No Clients Found");

  gtk_editable_set_text (GTK_EDITABLE (koers_test_child (page, KOERS_TYPE_CLIENTS_PAGE, "search_entry")), "");
  wait.typed = NULL;
  koers_test_wait_until (search_applied, &wait, 10);
  any = choose_due (page, KOERS_DUE_ANY);
  g_assert_cmpstr (any, ==, "Hawa Yusuf, Leila Noori, Omid Karimi, Tesfay Tekle");

  koers_clients_page_set_store (KOERS_CLIENTS_PAGE (page), NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/clients/flow", Fixture, NULL, koers_window_fixture_set_up, test_flow, koers_window_fixture_tear_down);
  g_test_add ("/ui/clients/inline-validation", Fixture, NULL, koers_window_fixture_set_up, test_inline_validation,
              koers_window_fixture_tear_down);
  g_test_add ("/ui/clients/ten-thousand", Fixture, NULL, koers_window_fixture_set_up, test_ten_thousand,
              koers_window_fixture_tear_down);
  g_test_add ("/ui/clients/items-kept", Fixture, NULL, koers_window_fixture_set_up, test_items_kept,
              koers_window_fixture_tear_down);
  g_test_add ("/ui/clients/typing-fast", Fixture, NULL, koers_window_fixture_set_up, test_typing_fast,
              koers_window_fixture_tear_down);
  g_test_add ("/ui/clients/lock-while-searching", Fixture, NULL, koers_window_fixture_set_up,
              test_lock_while_searching, koers_window_fixture_tear_down);
  g_test_add ("/ui/clients/due-filter", KoersStoreFixture, NULL, koers_store_fixture_set_up, test_due_filter,
              koers_store_fixture_tear_down);
  g_test_add ("/ui/clients/reader-error", KoersStoreFixture, NULL, koers_store_fixture_set_up, test_reader_error,
              koers_store_fixture_tear_down);

  return g_test_run ();
}
