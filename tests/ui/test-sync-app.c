/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sync in the app against a real nginx WebDAV server over TLS on
 * 127.0.0.1 (tests/sync/dav-server.c): the Preferences' enrollment with a
 * good and a bad file, the session's engine, and the header bar's sync
 * status through offline (server down), pending, sending, synced, a
 * problem (wrong password) and "Sync Now". */
#include "config.h"

#define G_LOG_DOMAIN "test-sync-app"

#include <adwaita.h>
#include <string.h>

#include "dav-server.h"
#include "koers-enrollment.h"
#include "koers-sync-group.h"
#include "koers-sync-round.h"
#include "koers-sync-status.h"
#include "koers-test-util.h"
#include "sync-fixture.h"

#define USER     "steunpunt-utrecht"
#define PASSWORD "app-pass-K7+/q"

static KoersTestPki       *pki;
static KoersTestDavServer *nginx;

typedef struct
{
  char           *tmp;
  KoersSession   *session;
  SyncFixture     keys;
  KoersSyncGroup *group;
  GtkWidget      *window;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  f->tmp = g_dir_make_tmp ("koers-sync-app-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (f->tmp, "vault", NULL);
  f->session = koers_test_new_session (dir, "Amina", "correct horse battery", TRUE, NULL);
  sync_fixture_set_up (&f->keys, NULL);
  f->group = koers_sync_group_new (f->session);
  f->window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->group));
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  koers_session_lock (f->session);
  g_clear_object (&f->session);
  sync_fixture_tear_down (&f->keys, NULL);
  koers_test_rm_rf (f->tmp);
  g_free (f->tmp);
}

/* An enrollment file as the office makes it, for the drop at @port (0:
 * the server's) with @password, written to a file in the test folder. */
static GFile *
enrollment_file (Fixture *f, const char *name, guint16 port, const char *password, gboolean damage)
{
  g_autoptr(KoersEnrollment) e = koers_enrollment_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = g_build_filename (f->tmp, name, NULL);
  g_autofree guint8 *data = NULL;
  gsize len;

  memcpy (e->steunpunt_id, f->keys.steunpunt, KOERS_SYNC_ID_BYTES);
  memcpy (e->office_seal_public, koers_sync_key_get_public (f->keys.office_seal), KOERS_SYNC_PUBLIC_BYTES);
  memcpy (e->office_sign_public, koers_sync_key_get_public (f->keys.office_sign), KOERS_SYNC_PUBLIC_BYTES);
  memcpy (e->team_seal_public, koers_sync_key_get_public (f->keys.team_seal), KOERS_SYNC_PUBLIC_BYTES);
  e->team_key_generation = 1;
  e->issued_at_ms = g_get_real_time () / 1000;
  e->drop_url = koers_test_dav_server_url (nginx, port, "drop/");
  e->drop_user = g_strdup (USER);
  e->drop_password = g_strdup (password);
  e->device_name = g_strdup ("Laptop 3");
  e->ca_pem = g_strndup (g_bytes_get_data (pki->ca_pem, NULL), g_bytes_get_size (pki->ca_pem));
  bytes = koers_enrollment_make (e, f->keys.office_sign, &error);
  g_assert_no_error (error);
  data = g_bytes_unref_to_data (g_steal_pointer (&bytes), &len);
  if (damage)
    data[len / 2] ^= 0x01;
  g_assert_true (g_file_set_contents (path, (const char *) data, len, &error));
  return g_file_new_for_path (path);
}

static gboolean
group_idle (gpointer data)
{
  return !koers_sync_group_is_busy (data);
}

static void
import (Fixture *f, GFile *file)
{
  koers_sync_group_import (f->group, file);
  g_assert_true (koers_sync_group_is_busy (f->group));
  koers_test_wait_until (group_idle, f->group, 30);
}

static void
count_changed (guint *changes)
{
  (*changes)++;
}

/* A bad file is refused with one line and changes nothing; a good one
 * shows the device id and key, and the session starts its engine. */
static void
test_enroll (Fixture *f, gconstpointer data)
{
  g_autoptr(GFile) bad = enrollment_file (f, "bad.koers-enrollment", 0, PASSWORD, TRUE);
  g_autoptr(GFile) good = enrollment_file (f, "good.koers-enrollment", 0, PASSWORD, FALSE);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/enrollment");
  const char *id;

  import (f, bad);
  g_assert_nonnull (koers_sync_group_get_error (f->group));
  g_assert_null (strchr (koers_sync_group_get_error (f->group), '\n'));
  g_assert_null (koers_sync_group_get_device_id (f->group));
  g_assert_false (koers_sync_is_enrolled (koers_session_get_store (f->session)));
  g_assert_null (koers_session_get_sync_engine (f->session));

  import (f, missing);
  g_assert_nonnull (koers_sync_group_get_error (f->group));
  g_assert_null (koers_session_get_sync_engine (f->session));

  import (f, good);
  g_assert_null (koers_sync_group_get_error (f->group));
  id = koers_sync_group_get_device_id (f->group);
  g_assert_nonnull (id);
  g_assert_cmpstr (id, ==, koers_store_get_device_id (koers_session_get_store (f->session)));
  g_assert_true (koers_sync_is_enrolled (koers_session_get_store (f->session)));
  g_assert_nonnull (koers_session_get_sync_engine (f->session));
  g_assert_cmpuint (koers_sync_group_get_n_quarantined (f->group), ==, 0);

  /* The next unlock of the enrolled vault starts an engine with the
   * store (the app's KOERS_SESSION_SYNC); locking stops it. */
  {
    g_autofree char *dir = g_strdup (koers_session_get_vault_dir (f->session));
    g_autoptr(KoersSession) again = NULL;
    g_autoptr(GError) error = NULL;

    koers_session_lock (f->session);
    g_assert_null (koers_session_get_sync_engine (f->session));
    again = koers_session_new (dir, KOERS_SESSION_SYNC);
    g_assert_true (koers_session_open_vault (again, &error));
    g_assert_true (koers_session_unlock (again, "Amina", "correct horse battery", &error));
    g_assert_true (koers_session_open_store (again, &error));
    g_assert_no_error (error);
    g_assert_nonnull (koers_session_get_sync_engine (again));
    koers_session_lock (again);
    g_assert_null (koers_session_get_sync_engine (again));
  }
}

typedef struct
{
  KoersTestRounds rounds;
  gboolean        saw_sending;
  gboolean        saw_progress;
} Watch;

static void
on_label (GtkLabel *label, GParamSpec *pspec, Watch *watch)
{
  GtkWidget *status = gtk_widget_get_ancestor (GTK_WIDGET (label), KOERS_TYPE_SYNC_STATUS);
  GtkWidget *progress = koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "progress");

  if (g_strcmp0 (gtk_label_get_label (label), "Sending…") == 0)
    watch->saw_sending = TRUE;
  if (gtk_widget_get_visible (progress))
    watch->saw_progress = TRUE;
}

static void
on_engine (KoersSession *session, GParamSpec *pspec, Watch *watch)
{
  KoersSyncEngine *engine = koers_session_get_sync_engine (session);

  if (engine != NULL)
    koers_test_count_rounds (engine, &watch->rounds);
}

/* Runs @action (an import or Sync Now, which begin a round at once) and
 * waits for that round's end. */
#define WAIT_FOR_ROUND(watch, action) \
  G_STMT_START { \
    guint before_ = (watch)->rounds.count; \
    action; \
    koers_test_wait_for_round (&(watch)->rounds, before_, 60); \
    koers_test_settle (); \
  } G_STMT_END

static void
on_locking (KoersSyncStatus *status)
{
  koers_sync_status_set_engine (status, NULL);
  koers_sync_status_set_store (status, NULL);
}

static void
test_status (Fixture *f, gconstpointer data)
{
  g_autoptr(GFile) down = enrollment_file (f, "down.koers-enrollment", koers_test_free_port (), PASSWORD, FALSE);
  g_autoptr(GFile) good = enrollment_file (f, "good.koers-enrollment", 0, PASSWORD, FALSE);
  g_autoptr(GFile) wrong = enrollment_file (f, "wrong.koers-enrollment", 0, "not-the-password", FALSE);
  KoersStore *store = koers_session_get_store (f->session);
  KoersSyncStatus *status = koers_sync_status_new (store, NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  KoersSyncEngine *engine;
  GtkWidget *error_label = koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "error_label");
  GtkWidget *sync_now = koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "sync_now_button");
  Watch watch = { 0 };
  guint changes = 0;

  g_object_ref (f->group);
  gtk_window_set_child (GTK_WINDOW (f->window), NULL);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (status));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->group));
  g_object_unref (f->group);
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  g_signal_connect (koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "label"), "notify::label",
                    G_CALLBACK (on_label), &watch);
  g_free (koers_test_add_client (store, "Fatima Hosseini", KOERS_PHASE_INTAKE));
  koers_test_settle ();
  /* The popover open, as a person watching a sync: its rows follow. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "button")));
  koers_test_settle ();
  /* Not set up: no Sync Now. */
  g_assert_false (gtk_widget_get_visible (sync_now));

  /* The server down: offline, said as normal. */
  g_signal_connect (f->session, "notify::sync-engine", G_CALLBACK (on_engine), &watch);
  WAIT_FOR_ROUND (&watch, import (f, down));
  engine = koers_session_get_sync_engine (f->session);
  g_assert_nonnull (engine);
  koers_sync_status_set_engine (status, engine);
  koers_test_settle ();
  g_assert_cmpint (koers_sync_engine_get_state (engine), ==, KOERS_SYNC_STATE_OFFLINE);
  g_assert_cmpstr (koers_sync_status_get_text (status), ==, "Offline");
  g_assert_true (gtk_widget_get_visible (sync_now));

  /* The server up: sending with a progress bar, then synced. */
  WAIT_FOR_ROUND (&watch, import (f, good));
  g_assert_true (watch.rounds.last_ok);
  g_assert_true (watch.saw_sending);
  g_assert_true (watch.saw_progress);
  g_assert_cmpint (koers_sync_engine_get_state (engine), ==, KOERS_SYNC_STATE_SYNCED);
  g_assert_true (g_str_has_prefix (koers_sync_status_get_text (status), "Synced "));
  g_assert_false (gtk_widget_get_visible (error_label));

  /* A new change: pending. */
  g_free (koers_test_add_client (store, "Olga Shevchenko", KOERS_PHASE_INTAKE));
  koers_test_settle ();
  g_assert_cmpint (koers_sync_status_get_pending (status), >, 0);
  g_assert_true (g_str_has_suffix (koers_sync_status_get_text (status), "not sent"));

  /* Sync Now sends it; the main store says it changed (the round wrote
   * on its own connection), so pages showing delivery read it again. */
  g_assert_true (gtk_widget_get_sensitive (sync_now));
  g_signal_connect_swapped (store, "changed", G_CALLBACK (count_changed), &changes);
  WAIT_FOR_ROUND (&watch, g_signal_emit_by_name (sync_now, "clicked"));
  g_assert_true (watch.rounds.last_ok);
  g_assert_cmpuint (changes, >, 0);
  g_signal_handlers_disconnect_by_data (store, &changes);
  g_assert_cmpint (koers_sync_status_get_pending (status), ==, 0);
  g_assert_true (g_str_has_prefix (koers_sync_status_get_text (status), "Synced "));

  /* A wrong password: a problem in words, with what to do. */
  WAIT_FOR_ROUND (&watch, import (f, wrong));
  g_assert_false (watch.rounds.last_ok);
  g_assert_cmpint (koers_sync_engine_get_state (engine), ==, KOERS_SYNC_STATE_ERROR);
  g_assert_cmpstr (koers_sync_status_get_text (status), ==, "Sync problem");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), ==,
                   koers_sync_engine_get_error_message (engine));

  /* Locking stops the engine, bounded; the status lets go of the store
   * first, as the main view does. */
  g_signal_connect_swapped (f->session, "locking", G_CALLBACK (on_locking), status);
  {
    gint64 start = g_get_monotonic_time ();

    koers_session_lock (f->session);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
    g_assert_null (koers_session_get_sync_engine (f->session));
  }
  g_signal_handlers_disconnect_by_data (f->session, &watch);
  g_signal_handlers_disconnect_by_data (f->session, status);
}

/* With KOERS_SYNC_APP_SHOTS=DIR (and LANGUAGE=nl): the popover in the
 * problem state and the Preferences' Sync group after an import, as PNGs
 * to look at. Not part of the suite. */
static void
test_screenshots (Fixture *f, gconstpointer data)
{
  const char *dir = g_getenv ("KOERS_SYNC_APP_SHOTS");
  g_autoptr(GFile) wrong = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status_png = NULL;
  g_autofree char *group_png = NULL;
  KoersSyncStatus *status;
  GtkWidget *box;
  GtkWidget *popover;
  Watch watch = { 0 };

  if (dir == NULL)
    {
      g_test_skip ("KOERS_SYNC_APP_SHOTS is not set");
      return;
    }
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  wrong = enrollment_file (f, "wrong.koers-enrollment", 0, "not-the-password", FALSE);
  status = koers_sync_status_new (koers_session_get_store (f->session), NULL);
  g_object_ref (f->group);
  gtk_window_set_child (GTK_WINDOW (f->window), NULL);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (status));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->group));
  g_object_unref (f->group);
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 700);
  g_signal_connect (f->session, "notify::sync-engine", G_CALLBACK (on_engine), &watch);
  g_signal_connect_swapped (f->session, "locking", G_CALLBACK (on_locking), status);
  WAIT_FOR_ROUND (&watch, import (f, wrong));
  koers_sync_status_set_engine (status, koers_session_get_sync_engine (f->session));
  popover = (GtkWidget *) gtk_menu_button_get_popover (GTK_MENU_BUTTON (koers_test_child (status, KOERS_TYPE_SYNC_STATUS, "button")));
  gtk_popover_popup (GTK_POPOVER (popover));
  koers_test_settle ();
  status_png = g_build_filename (dir, "sync-status-popover.png", NULL);
  group_png = g_build_filename (dir, "sync-preferences.png", NULL);
  g_assert_true (koers_test_save_png (popover, status_png, &error));
  g_assert_no_error (error);
  g_assert_true (koers_test_save_png (GTK_WIDGET (f->group), group_png, &error));
  g_assert_no_error (error);
  gtk_popover_popdown (GTK_POPOVER (popover));
  koers_session_lock (f->session);
  g_signal_handlers_disconnect_by_data (f->session, &watch);
  g_signal_handlers_disconnect_by_data (f->session, status);
}

int
main (int argc, char **argv)
{
  int status;

  koers_test_init_translated (&argc, &argv);
  pki = koers_test_pki_new ();
  nginx = koers_test_dav_server_start (KOERS_TEST_DAV_NGINX, pki, USER, PASSWORD);
  g_test_add ("/sync-app/enroll", Fixture, NULL, fixture_set_up, test_enroll, fixture_tear_down);
  g_test_add ("/sync-app/status", Fixture, NULL, fixture_set_up, test_status, fixture_tear_down);
  g_test_add ("/sync-app/screenshots", Fixture, NULL, fixture_set_up, test_screenshots, fixture_tear_down);
  status = g_test_run ();
  koers_test_dav_server_stop (nginx);
  koers_test_pki_free (pki);
  return status;
}
