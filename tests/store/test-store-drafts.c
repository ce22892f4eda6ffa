/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drafts: saved, replaced, loaded and discarded per client and
 * conversation; never in the change log or the audit; only the store
 * writes them; they go with the client's file. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include "koers-drafts.h"
#include "store-fixture.h"

static void
test_round_trip (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *client = store_fixture_add_client (f, "Concept Klant", TRUE);
  g_autofree char *conversation = store_fixture_add_conversation (f, client, "Opgeslagen");
  gint64 changes = store_fixture_count (f, "SELECT count(*) FROM change_log");
  gint64 audit = store_fixture_count (f, "SELECT count(*) FROM audit");
  gint64 saved_ms = 0;
  char *text;

  g_assert_null (koers_store_load_draft (f->store, client, NULL, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (koers_store_save_draft (f->store, client, NULL, "eerste", &error));
  g_assert_no_error (error);
  g_assert_true (koers_store_save_draft (f->store, client, NULL, "tweede", &error));
  g_assert_true (koers_store_save_draft (f->store, client, conversation, "addendum", &error));
  g_assert_no_error (error);

  text = koers_store_load_draft (f->store, client, "", &saved_ms, &error);
  g_assert_cmpstr (text, ==, "tweede");
  g_assert_cmpint (saved_ms, ==, f->now_ms);
  g_free (text);
  text = koers_store_load_draft (f->store, client, conversation, NULL, &error);
  g_assert_cmpstr (text, ==, "addendum");
  g_free (text);

  /* Local to this device: nothing to sync, nothing in the file's audit. */
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM change_log"), ==, changes);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM audit"), ==, audit);

  /* Survives locking and unlocking. */
  store_fixture_reopen (f);
  text = koers_store_load_draft (f->store, client, NULL, NULL, &error);
  g_assert_cmpstr (text, ==, "tweede");
  g_free (text);

  g_assert_true (koers_store_discard_draft (f->store, client, NULL, &error));
  g_assert_true (koers_store_discard_draft (f->store, client, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (koers_store_load_draft (f->store, client, NULL, NULL, &error));
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM draft"), ==, 1);
}

static void
test_guarded (StoreFixture *f, gconstpointer data)
{
  g_autofree char *client = store_fixture_add_client (f, "Bewaakt", TRUE);
  g_autofree char *sql = g_strdup_printf ("INSERT INTO draft (client_id, saved_ms, content) "
                                          "VALUES ('%s', 0, 'x')", client);

  g_assert_cmpint (sqlite3_exec (koers_store_get_db (f->store), sql, NULL, NULL, NULL), ==,
                   SQLITE_AUTH);
}

static void
test_deleted_with_client (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *client = store_fixture_add_client (f, "Weg", TRUE);

  g_assert_true (koers_store_save_draft (f->store, client, NULL, "tekst", &error));
  g_assert_true (koers_store_delete_client (f->store, client, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM draft"), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/drafts/round-trip", StoreFixture, NULL, store_fixture_setup,
              test_round_trip, store_fixture_teardown);
  g_test_add ("/store/drafts/guarded", StoreFixture, NULL, store_fixture_setup, test_guarded,
              store_fixture_teardown);
  g_test_add ("/store/drafts/deleted-with-client", StoreFixture, NULL, store_fixture_setup,
              test_deleted_with_client, store_fixture_teardown);
  return g_test_run ();
}
