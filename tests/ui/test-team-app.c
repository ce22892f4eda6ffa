/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Team sync in the app (issue 12) against a real nginx drop on 127.0.0.1
 * (tests/sync/dav-server.c) and a real office vault that enrolls two
 * laptops of one steunpunt: laptop A is the app (a session with its sync
 * engine, the real main view), laptop B a vault driven through the
 * library. The same fields edited on A and B become conflicts: the file
 * on A shows "Changed on two laptops", the dialog shows both values as a
 * person reads them, a choice per field resolves them and the banner is
 * gone; B's next round takes the choice. What B recorded arrives on A as
 * a toast ("3 new conversations from …") and a mark on the Clients list
 * row until the file is opened. */
#include "config.h"

#define G_LOG_DOMAIN "test-team-app"

#include <adwaita.h>
#include <string.h>

#include "dav-server.h"
#include "koers-arrivals.h"
#include "koers-client-item.h"
#include "koers-client-page.h"
#include "koers-clients-page.h"
#include "koers-conflict-banner.h"
#include "koers-conflict-dialog.h"
#include "koers-labels.h"
#include "koers-main-view.h"
#include "koers-office.h"
#include "koers-sync-round.h"
#include "koers-sync-status.h"
#include "koers-test-util.h"
#include "store-fixture.h"

#define USER     "steunpunt"
#define PASSWORD "drop-password"
#define A_NAME   "Amina"
#define A_PASS   "correct horse battery"
#define CLIENT   "Mariam مريم"

static KoersTestPki       *pki;
static KoersTestDavServer *nginx;

typedef struct
{
  char            *tmp;
  /* the office */
  KoersVault      *office_vault;
  KoersStore      *office_store;
  KoersOffice     *office;
  KoersDavClient  *drop;
  char            *steunpunt;
  /* laptop A: the app */
  KoersSession    *session;
  KoersStore      *a;          /* the session's */
  KoersTestRounds  a_rounds;    /* of the session's engine */
  GtkWidget       *window;
  KoersMainView   *view;
  /* laptop B: the library */
  StoreFixture     b;
  KoersDavClient  *b_client;
} Fixture;

/* Enrolls @store at the office as the laptop @name; returns the file. */
static void
enroll (Fixture    *f,
        KoersStore *store,
        const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = koers_test_dav_server_url (nginx, 0, "drop/");
  KoersOfficeEnrollRequest request = { f->steunpunt, name, url, USER, PASSWORD, pki->ca_pem, NULL };
  g_autoptr(GBytes) file = koers_office_enroll (f->office, &request, &error);
  g_autofree char *device_id = NULL;
  g_autofree char *public_key = NULL;

  g_assert_no_error (error);
  g_assert_true (koers_sync_enroll (store, file, &device_id, &public_key, &error));
  g_assert_no_error (error);
  g_assert_true (koers_office_register_device (f->office, f->steunpunt, device_id, public_key, name, &error));
  g_assert_no_error (error);
}

static void
office_set_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (f->tmp, "office", NULL);
  g_autofree char *url = koers_test_dav_server_url (nginx, 0, "drop/");
  KoersKdfParams params = koers_kdf_params_minimum ();
  char *recovery = NULL;

  f->drop = koers_dav_client_new (url, USER, PASSWORD, pki->ca_pem, NULL, &error);
  g_assert_no_error (error);
  f->office_vault = koers_vault_create (dir, "office", "office-pass", &params, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
  f->office_store = koers_store_new (koers_vault_get_db (f->office_vault), &error);
  g_assert_no_error (error);
  f->office = koers_office_new (f->office_store, &error);
  g_assert_no_error (error);
  g_assert_true (koers_office_init_keys (f->office, &error));
  f->steunpunt = koers_office_add_steunpunt (f->office, "Steunpunt Utrecht", &error);
  g_assert_no_error (error);
}

/* Laptop A as the app opens it: a session that adopts its worker and
 * runs the sync engine; the main view in a window with a toast overlay. */
static void
laptop_a_set_up (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) vault = NULL;
  g_autofree char *dir = g_build_filename (f->tmp, "laptop-a", NULL);
  KoersKdfParams params = koers_kdf_params_minimum ();
  GtkWidget *overlay = adw_toast_overlay_new ();
  KoersSyncEngine *engine;
  char *recovery = NULL;

  vault = koers_vault_create (dir, A_NAME, A_PASS, &params, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
  koers_vault_lock (vault);
  f->session = koers_session_new (dir, KOERS_SESSION_ADOPT_WORKER | KOERS_SESSION_SYNC);
  g_assert_true (koers_session_open_vault (f->session, &error));
  g_assert_true (koers_session_unlock (f->session, A_NAME, A_PASS, &error));
  g_assert_true (koers_session_open_store (f->session, &error));
  g_assert_no_error (error);
  f->a = koers_session_get_store (f->session);
  enroll (f, f->a, "Laptop spreekuur");
  g_assert_true (koers_session_start_sync (f->session));
  engine = koers_session_get_sync_engine (f->session);
  koers_test_count_rounds (engine, &f->a_rounds);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 760);
  f->view = koers_main_view_new (f->a, koers_session_get_reader (f->session));
  koers_sync_status_set_engine (koers_main_view_get_sync_status (f->view), engine);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (f->view));
  gtk_window_set_child (GTK_WINDOW (f->window), overlay);
  gtk_window_present (GTK_WINDOW (f->window));
}

static gboolean
first_round_over (gpointer data)
{
  Fixture *f = data;

  return f->a_rounds.count > 0 && !koers_sync_engine_get_busy (koers_session_get_sync_engine (f->session));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmp = g_dir_make_tmp ("koers-team-app-XXXXXX", &error);
  g_assert_no_error (error);
  office_set_up (f);
  store_fixture_setup (&f->b, NULL);
  enroll (f, f->b.store, "Laptop consulent");
  f->b_client = koers_sync_make_client (f->b.store, &error);
  g_assert_no_error (error);
  laptop_a_set_up (f);
  g_assert_true (koers_office_publish_devices (f->office, f->drop, NULL, NULL, &error));
  g_assert_no_error (error);
  /* the engine's first round (started with it) is over before a test
   * counts its own */
  koers_test_wait_until (first_round_over, f, 90);
  koers_test_settle ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  koers_main_view_close (f->view);
  gtk_window_destroy (GTK_WINDOW (f->window));
  koers_test_settle ();
  koers_session_lock (f->session);
  g_clear_object (&f->session);
  g_clear_object (&f->b_client);
  store_fixture_teardown (&f->b, NULL);
  g_clear_object (&f->office);
  g_clear_object (&f->office_store);
  koers_vault_lock (f->office_vault);
  g_clear_object (&f->office_vault);
  g_clear_object (&f->drop);
  g_free (f->steunpunt);
  koers_test_rm_rf (f->tmp);
  g_free (f->tmp);
}

/* A round of A's engine ("Sync Now"), as the app runs it. */
static void
round_on_a (Fixture *f)
{
  guint before = f->a_rounds.count;

  koers_sync_engine_sync_now (koers_session_get_sync_engine (f->session));
  koers_test_wait_for_round (&f->a_rounds, before, 90);
  g_assert_true (f->a_rounds.last_ok);
  koers_test_settle ();
}

static KoersSyncRoundResult
round_on_b (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  KoersSyncRoundResult result;
  gboolean ok = koers_sync_run_round (f->b.store, f->b_client, NULL, NULL, &result, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  return result;
}

static gboolean
page_read (gpointer page)
{
  return !koers_client_page_is_loading (page);
}

static KoersClientPage *
open_client (Fixture    *f,
             const char *client_id)
{
  GtkWidget *page;

  koers_main_view_show_client (f->view, client_id);
  page = koers_main_view_get_visible_page (f->view);
  g_assert_true (KOERS_IS_CLIENT_PAGE (page));
  koers_test_wait_until (page_read, page, 20);
  koers_test_settle ();
  return KOERS_CLIENT_PAGE (page);
}

/* The first label under @root whose text holds @text (NULL: none). */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_label (GTK_LABEL (root)), text) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The "Keep This" button in the card that shows @value. */
static GtkWidget *
keep_button_for (GtkWidget  *dialog,
                 const char *value)
{
  GtkWidget *label = find_label (dialog, value);
  GtkWidget *card;

  g_assert_nonnull (label);
  card = gtk_widget_get_parent (label);
  g_assert_true (gtk_widget_has_css_class (card, "card"));
  for (GtkWidget *child = gtk_widget_get_first_child (card); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      return child;
  g_assert_not_reached ();
}

static void
edit_client (KoersStore *store,
             const char *client_id,
             const char *phone,
             KoersPhase  phase)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersClient) client = koers_store_get_client (store, client_id, &error);

  g_assert_no_error (error);
  g_free (client->phone);
  client->phone = g_strdup (phone);
  client->phase = phase;
  g_assert_true (koers_store_update_client (store, client, &error));
  g_assert_no_error (error);
}

static void
save_shot (GtkWidget  *widget,
           const char *name)
{
  const char *dir = g_getenv ("KOERS_TEAM_APP_SHOTS");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  g_assert_true (koers_test_save_png (widget, path, &error));
}

static gint64
count_conflicts (KoersStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 n = koers_store_count_file_conflicts (store, NULL, &error);

  g_assert_no_error (error);
  return n;
}

/* The same two fields edited on A and on B: the file on A shows the
 * banner, the sync status counts them, the dialog shows both values as
 * a person reads them; choosing B's phone and A's phase resolves both,
 * the banner goes, and B's next round takes the choice. */
static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *client = koers_test_add_client (f->a, CLIENT, KOERS_PHASE_INTAKE);
  KoersSyncStatus *status = koers_main_view_get_sync_status (f->view);
  KoersClientPage *page;
  GtkWidget *banner;
  GtkWidget *dialog;
  g_autoptr(KoersClient) on_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = koers_label_day (now);
  g_autofree char *today = g_strconcat (day, ", ", NULL);

  round_on_a (f);
  round_on_b (f);
  edit_client (f->a, client, "0612345678", KOERS_PHASE_ORIENTATION);
  edit_client (f->b.store, client, "0687654321", KOERS_PHASE_RETURN_SUPPORT);
  round_on_a (f);   /* A's edit up */
  round_on_b (f);   /* B's up, A's in: a conflict on B */
  round_on_a (f);   /* B's in: the conflicts on A */
  g_assert_cmpint (count_conflicts (f->b.store), ==, 2);
  g_assert_cmpint (count_conflicts (f->a), ==, 2);

  /* the sync status counts them */
  koers_sync_status_refresh (status);
  g_assert_cmpint (koers_sync_status_get_conflicts (status), ==, 2);
  g_assert_cmpstr (koers_sync_status_get_text (status), ==, "2 conflicts to resolve");

  page = open_client (f, client);
  banner = koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, "conflict_banner");
  g_assert_true (gtk_widget_get_visible (banner));
  g_assert_nonnull (find_label (banner, "Changed on two laptops"));
  g_assert_nonnull (find_label (banner, "2 fields have two values"));
  save_shot (f->window, "conflict-banner.png");

  dialog = koers_conflict_banner_open_dialog (KOERS_CONFLICT_BANNER (banner));
  g_assert_nonnull (dialog);
  koers_test_settle ();
  g_assert_true (dialog == koers_test_find_toplevel (KOERS_TYPE_CONFLICT_DIALOG));
  /* both values of each field, by name, with who and where */
  g_assert_nonnull (find_label (dialog, "Phone number"));
  g_assert_nonnull (find_label (dialog, "0612345678"));
  g_assert_nonnull (find_label (dialog, "0687654321"));
  g_assert_nonnull (find_label (dialog, "Phase"));
  g_assert_nonnull (find_label (dialog, "Orientation"));
  g_assert_nonnull (find_label (dialog, "Return support"));
  g_assert_null (find_label (dialog, "return_support"));
  g_assert_nonnull (find_label (dialog, A_NAME " · this laptop"));
  g_assert_nonnull (find_label (dialog, "Anna de Vries · another laptop"));
  /* when, as people read it: B's clock took A's later stamps (HLC) */
  g_assert_nonnull (find_label (dialog, today));
  g_assert_null (find_label (dialog, CLIENT));               /* names no client */
  save_shot (dialog, "conflict-dialog.png");

  gtk_widget_activate (keep_button_for (dialog, "0687654321"));
  koers_test_settle ();
  g_assert_cmpuint (koers_conflict_dialog_get_n_open (KOERS_CONFLICT_DIALOG (dialog)), ==, 1);
  /* until the last is chosen the file still shows a conflict */
  koers_test_wait_until (page_read, page, 20);
  g_assert_true (gtk_widget_get_visible (banner));
  g_assert_nonnull (find_label (banner, "1 field has two values"));
  gtk_widget_activate (keep_button_for (dialog, "Orientation"));
  koers_test_settle ();
  g_assert_null (koers_test_find_toplevel (KOERS_TYPE_CONFLICT_DIALOG));
  koers_test_wait_until (page_read, page, 20);
  koers_test_settle ();
  g_assert_false (gtk_widget_get_visible (banner));
  g_assert_cmpint (count_conflicts (f->a), ==, 0);
  g_assert_cmpint (koers_sync_status_get_conflicts (status), ==, 0);

  /* the choice syncs like any change: after A's round and B's, B has no
   * conflict and the values chosen */
  round_on_a (f);
  round_on_b (f);
  g_assert_cmpint (count_conflicts (f->b.store), ==, 0);
  on_b = koers_store_get_client (f->b.store, client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (on_b->phone, ==, "0687654321");
  g_assert_cmpint (on_b->phase, ==, KOERS_PHASE_ORIENTATION);
}

typedef struct
{
  KoersClientList *list;
  const char      *client_id;
  gboolean         expected;
} MarkWait;

static gboolean
mark_is (gpointer data)
{
  MarkWait *wait = data;

  if (koers_client_list_is_loading (wait->list))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (wait->list)); i++)
    {
      g_autoptr(KoersClientItem) item = g_list_model_get_item (G_LIST_MODEL (wait->list), i);

      if (g_str_equal (koers_client_item_get_id (item), wait->client_id))
        return koers_client_item_get_delivery (item) != KOERS_CLIENT_ITEM_DELIVERY_NONE
               && koers_client_item_get_changed_elsewhere (item) == wait->expected;
    }
  return FALSE;
}

/* On the Clients tab, the list read again: the row of @client_id comes to
 * show the mark (@expected) or not, read on the reader's thread with the
 * delivery; fails after 20 s. */
static void
wait_for_mark (Fixture    *f,
               const char *client_id,
               gboolean    expected)
{
  KoersClientsPage *clients = KOERS_CLIENTS_PAGE (koers_test_find_descendant (GTK_WIDGET (f->view),
                                                                             KOERS_TYPE_CLIENTS_PAGE));
  MarkWait wait = { koers_clients_page_get_list (clients), client_id, expected };

  koers_main_view_set_tab (f->view, "clients");
  koers_clients_page_refresh (clients);
  koers_test_wait_until (mark_is, &wait, 20);
  koers_test_settle ();
}

static gboolean
shows_mark (GtkWidget *root)
{
  const char *tooltip;

  if (GTK_IS_IMAGE (root) && gtk_widget_get_visible (root) && (tooltip = gtk_widget_get_tooltip_text (root)) != NULL
      && g_str_equal (tooltip, "Changed on another laptop since you last opened it"))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_mark (child))
      return TRUE;
  return FALSE;
}

/* What B recorded arrives on A: a toast says what, by whom, and the
 * Clients list marks the file until A's person opens it. */
static void
test_arrivals (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *own = koers_test_add_client (f->a, "Tsehay ፀሐይ", KOERS_PHASE_INTAKE);
  g_autofree char *theirs = store_fixture_add_client (&f->b, "Dawit ዳዊት", TRUE);
  KoersClientPage *page;
  const KoersSyncArrival *arrivals;
  guint n = 0;
  GtkWidget *toast;

  for (guint i = 0; i < 3; i++)
    g_free (store_fixture_add_conversation (&f->b, theirs, "Gesprek: عودة طوعية"));
  page = open_client (f, own);   /* opened on A: no mark from its own changes */
  koers_main_view_pop_page (f->view);
  round_on_b (f);
  round_on_a (f);

  /* the round's summary: one laptop, one file and three conversations */
  arrivals = koers_sync_engine_get_arrivals (koers_session_get_sync_engine (f->session), &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (arrivals[0].inserted[KOERS_ENTITY_CLIENT], ==, 1);
  g_assert_cmpuint (arrivals[0].inserted[KOERS_ENTITY_CONVERSATION], ==, 3);
  g_assert_cmpstr (arrivals[0].device_id, ==, koers_store_get_device_id (f->b.store));
  /* the toast in the window says it in words */
  toast = find_label (f->window, "3 new conversations");
  g_assert_nonnull (toast);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (toast)), "1 new file, 3 new conversations, "));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (toast)), " from Anna de Vries"));
  g_assert_null (strstr (gtk_label_get_label (GTK_LABEL (toast)), "Dawit"));

  /* the list marks B's file, not A's own */
  wait_for_mark (f, own, FALSE);
  wait_for_mark (f, theirs, TRUE);
  g_assert_true (shows_mark (GTK_WIDGET (f->view)));
  save_shot (f->window, "clients-changed-elsewhere.png");
  /* opened here: the mark is gone */
  page = open_client (f, theirs);
  g_assert_nonnull (page);
  koers_main_view_pop_page (f->view);
  wait_for_mark (f, theirs, FALSE);
  g_assert_false (shows_mark (GTK_WIDGET (f->view)));
}

/* The toast's words for more laptops than it names, and for a laptop whose
 * person this vault does not know. */
static void
test_arrivals_text (Fixture       *f,
                    gconstpointer  data)
{
  KoersSyncArrival arrivals[KOERS_SYNC_MAX_ARRIVALS] = { 0 };
  KoersMergeStats stats = { 0 };
  guint n = 0;
  g_autofree char *text = NULL;

  g_assert_null (koers_arrivals_describe (f->a, arrivals, 0));
  stats.applied = 4;
  stats.inserted[KOERS_ENTITY_REFERRAL] = 1;
  g_strlcpy (stats.last_worker_id, "01900000-0000-7000-8000-000000000000", sizeof stats.last_worker_id);
  koers_sync_arrivals_add (arrivals, &n, "01900000-0000-7000-8000-00000000000a", &stats);
  text = koers_arrivals_describe (f->a, arrivals, n);
  g_assert_cmpstr (text, ==, "1 new referral, 3 other changes from another laptop");
  g_clear_pointer (&text, g_free);
  /* a batch that brought nothing new is no arrival */
  stats.applied = 0;
  koers_sync_arrivals_add (arrivals, &n, "01900000-0000-7000-8000-00000000000b", &stats);
  g_assert_cmpuint (n, ==, 1);
  /* past the last slot, the last one stands for "other laptops" */
  stats.applied = 1;
  stats.inserted[KOERS_ENTITY_REFERRAL] = 0;
  for (guint i = 0; i < KOERS_SYNC_MAX_ARRIVALS + 2; i++)
    {
      g_autofree char *device = g_strdup_printf ("01900000-0000-7000-8000-0000000001%02u", i);

      koers_sync_arrivals_add (arrivals, &n, device, &stats);
    }
  g_assert_cmpuint (n, ==, KOERS_SYNC_MAX_ARRIVALS);
  g_assert_cmpstr (arrivals[KOERS_SYNC_MAX_ARRIVALS - 1].device_id, ==, "");
  /* the device that had the last slot, and the three after it */
  g_assert_cmpuint (arrivals[KOERS_SYNC_MAX_ARRIVALS - 1].changes, ==, 4);
  text = koers_arrivals_describe (f->a, &arrivals[KOERS_SYNC_MAX_ARRIVALS - 1], 1);
  g_assert_cmpstr (text, ==, "4 changes from other laptops");
  g_clear_pointer (&text, g_free);
  text = koers_arrivals_describe (f->a, arrivals, n);
  g_assert_true (g_str_has_suffix (text, "; …"));
}

int
main (int argc, char *argv[])
{
  int status;

  koers_test_init_translated (&argc, &argv);
  pki = koers_test_pki_new ();
  nginx = koers_test_dav_server_start (KOERS_TEST_DAV_NGINX, pki, USER, PASSWORD);

  g_test_add ("/team-app/conflict", Fixture, NULL, fixture_set_up, test_conflict, fixture_tear_down);
  g_test_add ("/team-app/arrivals", Fixture, NULL, fixture_set_up, test_arrivals, fixture_tear_down);
  g_test_add ("/team-app/arrivals-text", Fixture, NULL, fixture_set_up, test_arrivals_text, fixture_tear_down);
  status = g_test_run ();

  koers_test_dav_server_stop (nginx);
  koers_test_pki_free (pki);
  return status;
}
