/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include <glib/gstdio.h>

#include "store-fixture.h"

static gint64
fixture_clock (gpointer data)
{
  return ((StoreFixture *) data)->now_ms;
}

static void
open_store (StoreFixture *f)
{
  g_autoptr (GError) error = NULL;

  f->store = koers_store_new (koers_vault_get_db (f->vault), &error);
  g_assert_no_error (error);
  koers_store_set_clock (f->store, fixture_clock, f);
}

static char *
add_reference (StoreFixture *f,
               KoersRole     role,
               const char   *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersWorker) worker = koers_worker_new ();

  worker->name = g_strdup (name);
  worker->role = role;
  worker->steunpunt_id = g_strdup (f->steunpunt_id);
  {
    gboolean ok = koers_store_add_worker (f->store, worker, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
  return g_strdup (worker->id);
}

void
store_fixture_setup (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersSteunpunt) steunpunt = koers_steunpunt_new ();
  KoersKdfParams params = koers_kdf_params_minimum ();
  char *recovery = NULL;

  f->now_ms = FIXTURE_START_MS;
  f->dir = g_dir_make_tmp ("koers-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->vault = koers_vault_create (f->dir, "Tester", "pass", &params, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
  open_store (f);

  steunpunt->name = g_strdup ("Steunpunt Utrecht");
  steunpunt->city = g_strdup ("Utrecht");
  {
    gboolean ok = koers_store_add_steunpunt (f->store, steunpunt, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
  f->steunpunt_id = g_strdup (steunpunt->id);
  f->volunteer_id = add_reference (f, KOERS_ROLE_VOLUNTEER, "Anna de Vries");
  f->counsellor_id = add_reference (f, KOERS_ROLE_COUNSELLOR, "Youssef Amrani");
  koers_store_set_current_worker (f->store, f->volunteer_id);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

void
store_fixture_teardown (StoreFixture  *f,
                        gconstpointer  data)
{
  g_clear_object (&f->store);
  koers_vault_lock (f->vault);
  g_clear_object (&f->vault);
  remove_tree (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->steunpunt_id, g_free);
  g_clear_pointer (&f->volunteer_id, g_free);
  g_clear_pointer (&f->counsellor_id, g_free);
}

void
store_fixture_reopen (StoreFixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *worker = g_strdup (koers_store_get_current_worker (f->store));

  g_clear_object (&f->store);
  koers_vault_lock (f->vault);
  g_assert_true (koers_vault_unlock (f->vault, "Tester", "pass", &error));
  g_assert_no_error (error);
  open_store (f);
  koers_store_set_current_worker (f->store, worker);
}

char *
store_fixture_add_client (StoreFixture *f,
                          const char   *name,
                          gboolean      consent)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersClient) client = koers_client_new ();

  client->name = g_strdup (name);
  client->steunpunt_id = g_strdup (f->steunpunt_id);
  {
    gboolean ok = koers_store_add_client (f->store, client, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
  if (consent)
    {
      g_autoptr (KoersConsent) c = koers_consent_new ();
      c->client_id = g_strdup (client->id);
      c->kind = KOERS_CONSENT_STORE_FILE;
      c->granted = TRUE;
      c->recorded_on = g_strdup ("2025-06-01");
      c->recorded_by_id = g_strdup (f->volunteer_id);
      {
    gboolean ok = koers_store_add_consent (f->store, c, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
    }
  return g_strdup (client->id);
}

char *
store_fixture_add_conversation (StoreFixture *f,
                                const char   *client_id,
                                const char   *notes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersConversation) c = koers_conversation_new ();

  c->client_id = g_strdup (client_id);
  c->held_on = g_strdup ("2025-06-01");
  c->notes = g_strdup (notes);
  {
    gboolean ok = koers_store_add_conversation (f->store, c, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
  return g_strdup (c->id);
}

gint64
store_fixture_count (StoreFixture *f,
                     const char   *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (koers_store_get_db (f->store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}
