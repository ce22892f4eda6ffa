/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync engine end to end: a real vault with a real change log,
 * enrolled with a file the test makes as the office, rounds against real
 * nginx and Apache WebDAV servers over TLS on 127.0.0.1, and the office's
 * side played with the same library (open the batches with the office key,
 * write acks). */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-test"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "dav-server.h"
#include "fault-proxy.h"
#include "koers-enrollment.h"
#include "koers-envelope.h"
#include "koers-sync-engine.h"
#include "koers-sync-round.h"
#include "store-fixture.h"
#include "sync-fixture.h"
#include "test-vfs.h"

#define USER     "steunpunt-utrecht"
#define PASSWORD "app-pass-K7+/q"

/* Plaintext that must never reach the drop or its log. */
static const char *const markers[] = {
  "محمد الهاشمي", "ሰላም ተስፋይ", "Olga Shevchenko", "فاطمه حسینی", "Zeldzaamwoordgesprek",
};

static KoersTestPki       *pki;
static KoersTestDavServer *nginx;
static KoersTestDavServer *apache;

typedef struct
{
  StoreFixture        store;
  SyncFixture         keys;
  KoersTestDavServer *server;
  char               *public_key;   /* the device's, from enrollment */
} Fixture;

static GBytes *
make_enrollment (Fixture *f, guint16 port, const char *password, const KoersSyncKey *office_sign)
{
  g_autoptr(KoersEnrollment) e = koers_enrollment_new ();
  g_autoptr(GError) error = NULL;
  GBytes *file;

  memcpy (e->steunpunt_id, f->keys.steunpunt, KOERS_SYNC_ID_BYTES);
  memcpy (e->office_seal_public, koers_sync_key_get_public (f->keys.office_seal), KOERS_SYNC_PUBLIC_BYTES);
  memcpy (e->office_sign_public, koers_sync_key_get_public (office_sign), KOERS_SYNC_PUBLIC_BYTES);
  memcpy (e->team_seal_public, koers_sync_key_get_public (f->keys.team_seal), KOERS_SYNC_PUBLIC_BYTES);
  e->team_key_generation = 1;
  e->issued_at_ms = g_get_real_time () / 1000;
  e->drop_url = koers_test_dav_server_url (f->server, port, "drop/");
  e->drop_user = g_strdup (USER);
  e->drop_password = g_strdup (password);
  e->device_name = g_strdup ("Laptop 3");
  e->ca_pem = g_strndup (g_bytes_get_data (pki->ca_pem, NULL), g_bytes_get_size (pki->ca_pem));
  file = koers_enrollment_make (e, office_sign, &error);
  g_assert_no_error (error);
  return file;
}

static void
enroll (Fixture *f, guint16 port, const char *password)
{
  g_autoptr(GBytes) file = make_enrollment (f, port, password, f->keys.office_sign);
  g_autoptr(GError) error = NULL;
  g_autofree char *device_id = NULL;
  guint8 id[KOERS_SYNC_ID_BYTES];
  gsize len = 0;
  g_autofree guint8 *key = NULL;

  g_clear_pointer (&f->public_key, g_free);
  g_assert_true (koers_sync_enroll (f->store.store, file, &device_id, &f->public_key, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (device_id, ==, koers_store_get_device_id (f->store.store));
  g_assert_true (koers_sync_id_from_uuid (device_id, id));
  key = g_base64_decode (f->public_key, &len);
  g_assert_cmpuint (len, ==, KOERS_SYNC_PUBLIC_BYTES);
  koers_known_devices_add (f->keys.devices, id, f->keys.steunpunt, key);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  store_fixture_setup (&f->store, NULL);
  sync_fixture_set_up (&f->keys, NULL);
  f->server = data != NULL ? (KoersTestDavServer *) data : nginx;
  enroll (f, 0, PASSWORD);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_free (f->public_key);
  sync_fixture_tear_down (&f->keys, NULL);
  store_fixture_teardown (&f->store, NULL);
}

/* Clients (names in four scripts) and notes until the log holds @n changes. */
static void
make_changes (Fixture *f, gint64 n)
{
  gint64 last = 0;

  for (guint i = 0; last < n; i++)
    {
      g_autofree char *id = store_fixture_add_client (&f->store, markers[i % 4], i % 3 == 0);
      g_autoptr(GBytes) all = NULL;
      guint count = 0;

      if (i % 3 == 0)
        g_free (store_fixture_add_conversation (&f->store, id, "Een Zeldzaamwoordgesprek over huisvesting."));
      all = koers_store_sync_read_changes (f->store.store, last, G_MAXSIZE, &last, &count, NULL);
      g_assert_nonnull (all);
    }
}

static char *
device_dir (Fixture *f)
{
  g_autofree char *steunpunt = koers_sync_id_to_uuid (f->keys.steunpunt);

  return g_build_filename (f->server->drop_dir, steunpunt, koers_store_get_device_id (f->store.store), NULL);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static GPtrArray *
drop_batches (Fixture *f)
{
  g_autofree char *dir_path = device_dir (f);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".batch"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  return names;
}

/* As the office: opens every batch of @epoch on the drop in order with the
 * chain checked from @chain; returns their changes joined. */
static GString *
office_read (Fixture *f, guint32 epoch, KoersChainState *chain)
{
  g_autoptr(GPtrArray) names = drop_batches (f);
  g_autofree char *dir = device_dir (f);
  GString *all = g_string_new (NULL);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, &error);
      g_autoptr(GBytes) file = NULL;
      g_autoptr(KoersBatch) batch = NULL;
      KoersEnvelopeOpenOptions options = sync_fixture_office (&f->keys);
      guint32 file_epoch;
      guint64 first, last;

      g_assert_no_error (error);
      g_assert_true (koers_envelope_parse_file_name (name, &file_epoch, &first, &last));
      if (file_epoch != epoch)
        continue;
      file = g_mapped_file_get_bytes (mapped);
      g_assert_cmpuint (g_bytes_get_size (file), <=, KOERS_SYNC_BATCH_CAP);
      options.name = name;
      options.steunpunt_id = f->keys.steunpunt;
      options.chain = chain;
      batch = koers_envelope_open (file, &options, &error);
      g_assert_no_error (error);
      koers_chain_advance (chain, &batch->info, batch->hash);
      g_string_append_len (all, g_bytes_get_data (batch->jsonl, NULL), (gssize) g_bytes_get_size (batch->jsonl));
    }
  return all;
}

static GBytes *
all_changes (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  gint64 last = 0;
  guint n = 0;
  GBytes *all = koers_store_sync_read_changes (f->store.store, 0, G_MAXSIZE, &last, &n, &error);

  g_assert_no_error (error);
  return all;
}

/* The drop holds every change exactly once, in order, chained. */
static void
assert_drop_holds_log (Fixture *f)
{
  KoersChainState chain = { 0 };
  g_autoptr(GString) read = office_read (f, 1, &chain);
  g_autoptr(GBytes) expected = all_changes (f);

  g_assert_cmpmem (read->str, read->len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static gboolean
round_with (Fixture *f, KoersDavClient *client, KoersSyncRoundResult *result, GError **error)
{
  return koers_sync_run_round (f->store.store, client, NULL, NULL, result, NULL, error);
}

static void
assert_round (Fixture *f, KoersSyncRoundResult *result)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (round_with (f, NULL, result, &error));
  g_assert_no_error (error);
}

static void
counts (Fixture *f, KoersSyncCounts *c)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_store_sync_get_counts (f->store.store, c, &error));
  g_assert_no_error (error);
}

static KoersDavClient *
client_at (Fixture *f, guint16 port, const char *path, const char *password)
{
  g_autofree char *url = koers_test_dav_server_url (f->server, port, path);
  g_autoptr(GError) error = NULL;
  KoersDavClient *client = koers_dav_client_new (url, USER, password, pki->ca_pem, NULL, &error);

  g_assert_no_error (error);
  koers_dav_client_set_timeouts (client, 3, 2);
  return client;
}

static void
assert_file_free_of_markers (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    g_assert_null (memmem (contents, length, markers[i], strlen (markers[i])));
}

static void
assert_drop_free_of_markers (Fixture *f)
{
  g_autoptr(GPtrArray) names = drop_batches (f);
  g_autofree char *dir = device_dir (f);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      assert_file_free_of_markers (path);
    }
  assert_file_free_of_markers (f->server->access_log);
}

/* The office acknowledges the last batch it read. */
static void
office_ack (Fixture *f, const KoersChainState *chain, const KoersSyncKey *key)
{
  g_autoptr(KoersDavClient) client = client_at (f, 0, "drop/", PASSWORD);
  g_autoptr(GError) error = NULL;
  KoersAck ack = { .acked = *chain, .at_ms = g_get_real_time () / 1000 };

  memcpy (ack.steunpunt_id, f->keys.steunpunt, KOERS_SYNC_ID_BYTES);
  g_assert_true (koers_sync_id_from_uuid (koers_store_get_device_id (f->store.store), ack.device_id));
  g_assert_true (koers_sync_write_ack (client, &ack, key, NULL, &error));
  g_assert_no_error (error);
}

/* Tests ------------------------------------------------------------------- */

static void
test_enroll (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) good = make_enrollment (f, 0, "another-pass", f->keys.office_sign);
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GBytes) key_before = koers_store_sync_get_setting (f->store.store, KOERS_SYNC_SETTING_DEVICE_KEY, NULL);
  g_autoptr(KoersSyncKey) other_office = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  g_autoptr(GBytes) foreign = make_enrollment (f, 0, PASSWORD, other_office);
  g_autoptr(GError) error = NULL;
  g_autofree char *old_key = g_strdup (f->public_key);
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  gsize size = g_bytes_get_size (good);
  guint8 *altered = g_memdup2 (g_bytes_get_data (good, NULL), size);
  g_autoptr(GBytes) bad = NULL;
  g_autoptr(GBytes) before = koers_store_sync_get_setting (f->store.store, KOERS_SYNC_SETTING_ENROLLMENT, NULL);

  g_assert_true (koers_sync_is_enrolled (f->store.store));
  g_assert_nonnull (key_before);
  /* One byte altered: refused, nothing changes. */
  altered[size / 2] ^= 0x01;
  bad = g_bytes_new_take (altered, size);
  g_assert_false (koers_sync_enroll (f->store.store, bad, &id, &key, &error));
  g_assert_nonnull (error);
  g_assert_null (strchr (error->message, '\n'));
  g_clear_error (&error);
  /* Another office's file: foreign. */
  g_assert_false (koers_sync_enroll (f->store.store, foreign, &id, &key, &error));
  g_assert_error (error, KOERS_ENROLLMENT_ERROR, KOERS_ENROLLMENT_ERROR_FOREIGN);
  g_clear_error (&error);
  stored = koers_store_sync_get_setting (f->store.store, KOERS_SYNC_SETTING_ENROLLMENT, NULL);
  g_assert_true (g_bytes_equal (stored, before));
  g_clear_pointer (&stored, g_bytes_unref);
  /* Re-enrolling replaces the settings, keeps the key. */
  g_assert_true (koers_sync_enroll (f->store.store, good, &id, &key, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, old_key);
  stored = koers_store_sync_get_setting (f->store.store, KOERS_SYNC_SETTING_ENROLLMENT, NULL);
  g_assert_true (g_bytes_equal (stored, good));
}

static void
test_not_enrolled (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_store_sync_set_setting (f->store.store, KOERS_SYNC_SETTING_ENROLLMENT, NULL, &error));
  g_assert_false (round_with (f, NULL, NULL, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NOT_ENROLLED);
}

static void
test_happy_path (Fixture *f, gconstpointer data)
{
  KoersSyncRoundResult result;
  g_auto(KoersSyncCounts) c = { 0 };

  make_changes (f, 1000);
  assert_round (f, &result);
  g_assert_cmpuint (result.n_uploaded, ==, result.n_cut);
  g_assert_cmpuint (result.n_uploaded, >=, 1);
  assert_drop_holds_log (f);
  assert_drop_free_of_markers (f);
  counts (f, &c);
  g_assert_cmpint (c.unsealed_changes, ==, 0);
  g_assert_cmpuint (c.sealed_batches, ==, 0);
  g_assert_cmpuint (c.uploaded_batches, ==, result.n_uploaded);
  g_assert_cmpint (c.last_success_ms, >, 0);
  g_assert_null (c.last_error);
  /* A second round with nothing new uploads nothing. */
  assert_round (f, &result);
  g_assert_cmpuint (result.n_uploaded, ==, 0);
  /* Later changes go into the next batch, chained. */
  make_changes (f, 1100);
  assert_round (f, &result);
  g_assert_cmpuint (result.n_uploaded, ==, 1);
  assert_drop_holds_log (f);
}

/* Batches over the cap are cut again smaller. */
static void
test_cap (Fixture *f, gconstpointer data)
{
  g_autofree char *id = store_fixture_add_client (&f->store, "Olga Shevchenko", TRUE);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  KoersSyncRoundResult result;

  /* Notes that do not compress: ~1.2 MB of JSON, ~600 KB sealed. */
  for (guint i = 0; i < 12; i++)
    {
      GString *note = g_string_new (NULL);

      for (guint k = 0; k < 50000; k++)
        g_string_append_c (note, (char) ('a' + g_rand_int_range (rand, 0, 26)));
      g_free (store_fixture_add_conversation (&f->store, id, note->str));
      g_string_free (note, TRUE);
    }
  assert_round (f, &result);
  g_assert_cmpuint (result.n_cut, >=, 3);
  assert_drop_holds_log (f);
}

static void
test_ack (Fixture *f, gconstpointer data)
{
  KoersSyncRoundResult result;
  KoersChainState chain = { 0 };
  g_autoptr(GString) read = NULL;
  g_autoptr(KoersSyncKey) forger = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  g_auto(KoersSyncCounts) before = { 0 };
  g_auto(KoersSyncCounts) after = { 0 };

  make_changes (f, 300);
  assert_round (f, &result);
  read = office_read (f, 1, &chain);
  /* A forged ack: a warning, nothing changes. */
  office_ack (f, &chain, forger);
  counts (f, &before);
  /* Read at the start and at the end of the round. */
  for (guint i = 0; i < 2; i++)
    g_test_expect_message ("koers-sync", G_LOG_LEVEL_WARNING, "Ignored an acknowledgement that does not verify*");
  assert_round (f, &result);
  g_test_assert_expected_messages ();
  g_assert_true (result.bogus_ack);
  g_assert_cmpuint (result.n_acknowledged, ==, 0);
  counts (f, &after);
  g_assert_cmpuint (after.uploaded_batches, ==, before.uploaded_batches);
  g_assert_cmpint (after.unacknowledged_changes, ==, before.unacknowledged_changes);
  /* The office's ack: the outbox is empty. */
  office_ack (f, &chain, f->keys.office_sign);
  assert_round (f, &result);
  g_assert_cmpuint (result.n_acknowledged, >=, 1);
  koers_sync_counts_clear (&after);
  counts (f, &after);
  g_assert_cmpuint (after.uploaded_batches, ==, 0);
  g_assert_cmpuint (after.sealed_batches, ==, 0);
  g_assert_cmpint (after.unacknowledged_changes, ==, 0);
}

typedef struct
{
  const char  *path;
  const char  *password;
  gboolean     retryable;
  gint         code;
} Fault;

/* After each fault, once it is gone, every change is on the drop once. */
static void
test_faults (Fixture *f, gconstpointer data)
{
  static const Fault faults[] = {
    { "fault/500/", PASSWORD, TRUE, KOERS_DAV_ERROR_SERVER_BUSY },
    { "fault/503/", PASSWORD, TRUE, KOERS_DAV_ERROR_SERVER_BUSY },
    { "fault/429/", PASSWORD, TRUE, KOERS_DAV_ERROR_SERVER_BUSY },
    { "fault/507/", PASSWORD, FALSE, KOERS_DAV_ERROR_STORAGE_FULL },
    { "drop/", "wrong-password", FALSE, KOERS_DAV_ERROR_UNAUTHORIZED },
  };
  KoersSyncRoundResult result;

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(KoersDavClient) client = client_at (f, 0, faults[i].path, faults[i].password);
      g_autoptr(GError) error = NULL;
      g_auto(KoersSyncCounts) c = { 0 };

      make_changes (f, 100 * (i + 1));
      g_assert_false (round_with (f, client, &result, &error));
      g_assert_error (error, KOERS_DAV_ERROR, faults[i].code);
      g_assert_cmpint (koers_dav_error_is_retryable (error), ==, faults[i].retryable);
      if (g_str_equal (faults[i].path, "fault/429/"))
        g_assert_cmpuint (koers_dav_client_get_retry_after (client), ==, 7);
      counts (f, &c);
      g_assert_cmpstr (c.last_error, ==, error->message);
      assert_round (f, &result);
      assert_drop_holds_log (f);
    }
}

/* Server down, another CA, a connection cut mid-body, a stall. */
static void
test_link_faults (Fixture *f, gconstpointer data)
{
  g_autoptr(KoersFaultProxy) proxy = koers_fault_proxy_new (f->server->port);
  g_autoptr(KoersTestPki) other = koers_test_pki_new ();
  KoersSyncRoundResult result;
  g_autoptr(GError) error = NULL;

  /* Down: nothing listens. */
  {
    g_autoptr(KoersDavClient) down = client_at (f, koers_test_free_port (), "drop/", PASSWORD);

    make_changes (f, 200);
    g_assert_false (round_with (f, down, &result, &error));
    g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_OFFLINE);
    g_clear_error (&error);
  }
  /* Another CA: refused with a clear message. */
  {
    g_autofree char *url = koers_test_dav_server_url (f->server, 0, "drop/");
    g_autoptr(KoersDavClient) foreign = koers_dav_client_new (url, USER, PASSWORD, other->ca_pem, NULL, &error);

    g_assert_no_error (error);
    g_assert_false (round_with (f, foreign, &result, &error));
    g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_CERTIFICATE);
    g_clear_error (&error);
  }
  /* A wrong pin. */
  {
    g_autofree char *url = koers_test_dav_server_url (f->server, 0, "drop/");
    g_autoptr(KoersDavClient) pinned = koers_dav_client_new (url, USER, PASSWORD, pki->ca_pem, other->pin, &error);

    g_assert_no_error (error);
    g_assert_false (round_with (f, pinned, &result, &error));
    g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_PIN_MISMATCH);
    g_clear_error (&error);
  }
  /* Cut mid-body, then a stall, through the proxy. */
  {
    g_autoptr(KoersDavClient) via = client_at (f, koers_fault_proxy_get_port (proxy), "drop/", PASSWORD);

    make_changes (f, 600);
    koers_fault_proxy_set_fault (proxy, KOERS_FAULT_CUT, 4000);
    g_assert_false (round_with (f, via, &result, &error));
    g_assert_true (koers_dav_error_is_retryable (error));
    g_clear_error (&error);
    koers_fault_proxy_set_fault (proxy, KOERS_FAULT_STALL, 4000);
    g_assert_false (round_with (f, via, &result, &error));
    g_assert_true (koers_dav_error_is_retryable (error));
    g_clear_error (&error);
    koers_fault_proxy_set_fault (proxy, KOERS_FAULT_NONE, 0);
    g_assert_true (round_with (f, via, &result, &error));
    g_assert_no_error (error);
  }
  assert_drop_holds_log (f);
}

/* A vault restored from an older backup syncs on in a new epoch. */
static void
test_restore (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backup = g_build_filename (f->store.dir, "backup", NULL);
  KoersSyncRoundResult result;
  KoersChainState chain = { 0 };
  g_autoptr(GString) first = NULL;
  g_autoptr(GString) second = NULL;
  g_autoptr(GBytes) expected = NULL;

  make_changes (f, 200);
  assert_round (f, &result);
  g_assert_true (koers_vault_backup (f->store.vault, backup, &error));
  g_assert_no_error (error);
  make_changes (f, 400);
  assert_round (f, &result);
  first = office_read (f, 1, &chain);

  /* The laptop is restored: its vault forgets the second round. */
  g_clear_object (&f->store.store);
  koers_vault_lock (f->store.vault);
  g_clear_object (&f->store.vault);
  f->store.vault = koers_vault_open (backup, &error);
  g_assert_no_error (error);
  g_assert_true (koers_vault_unlock (f->store.vault, "Tester", "pass", &error));
  f->store.store = koers_store_new (koers_vault_get_db (f->store.vault), &error);
  g_assert_no_error (error);
  koers_store_set_current_worker (f->store.store, f->store.volunteer_id);
  make_changes (f, 300);

  assert_round (f, &result);
  g_assert_true (result.new_epoch);
  g_assert_cmpuint (result.n_quarantined, ==, 0);
  g_assert_cmpint (koers_store_sync_get_epoch (f->store.store), ==, 2);
  /* The new epoch's chain verifies and carries every change not acknowledged. */
  memset (&chain, 0, sizeof chain);
  second = office_read (f, 2, &chain);
  expected = all_changes (f);
  g_assert_cmpmem (second->str, second->len, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

/* The engine on its worker thread, its properties on the main loop. */
typedef struct
{
  GMainLoop *loop;
  guint      rounds;
  gboolean   last_ok;
  gboolean   saw_uploading;
} EngineWatch;

static void
on_round_finished (KoersSyncEngine *engine, gboolean ok, EngineWatch *watch)
{
  watch->rounds++;
  watch->last_ok = ok;
  g_main_loop_quit (watch->loop);
}

static void
on_state (KoersSyncEngine *engine, GParamSpec *pspec, EngineWatch *watch)
{
  if (koers_sync_engine_get_state (engine) == KOERS_SYNC_STATE_UPLOADING)
    watch->saw_uploading = TRUE;
}

static void
test_engine (Fixture *f, gconstpointer data)
{
  g_autoptr(KoersSyncEngine) engine = koers_sync_engine_new (f->store.vault);
  EngineWatch watch = { g_main_loop_new (NULL, FALSE) };
  gint64 unacked = 0;

  make_changes (f, 500);
  g_signal_connect (engine, "round-finished", G_CALLBACK (on_round_finished), &watch);
  g_signal_connect (engine, "notify::state", G_CALLBACK (on_state), &watch);
  koers_sync_engine_start (engine);
  g_assert_true (koers_sync_engine_get_busy (engine));
  g_main_loop_run (watch.loop);
  g_assert_true (watch.last_ok);
  g_assert_true (watch.saw_uploading);
  g_assert_cmpint (koers_sync_engine_get_state (engine), ==, KOERS_SYNC_STATE_SYNCED);
  g_assert_cmpint (koers_sync_engine_get_last_success (engine), >, 0);
  g_assert_null (koers_sync_engine_get_error_message (engine));
  g_object_get (engine, "unacknowledged-changes", &unacked, NULL);
  g_assert_cmpint (unacked, >=, 500);
  assert_drop_holds_log (f);

  /* Sync Now after more changes. */
  make_changes (f, 600);
  koers_sync_engine_sync_now (engine);
  g_main_loop_run (watch.loop);
  g_assert_true (watch.last_ok);
  g_assert_cmpuint (watch.rounds, ==, 2);
  assert_drop_holds_log (f);

  /* Quit: a short round, bounded. */
  make_changes (f, 650);
  {
    gint64 start = g_get_monotonic_time ();

    g_assert_true (koers_sync_engine_shutdown (engine, 3000));
    g_assert_cmpint (g_get_monotonic_time () - start, <, 6 * G_USEC_PER_SEC);
  }
  assert_drop_holds_log (f);
  g_main_loop_unref (watch.loop);
}

/* The server unreachable: offline, retried after a short backoff, and a
 * quit that is not held up. */
static void
test_engine_offline (Fixture *f, gconstpointer data)
{
  g_autoptr(KoersSyncEngine) engine = NULL;
  EngineWatch watch = { g_main_loop_new (NULL, FALSE) };
  gint64 start;

  enroll (f, koers_test_free_port (), PASSWORD);
  engine = koers_sync_engine_new (f->store.vault);
  koers_sync_engine_set_intervals (engine, 60000, 50);
  make_changes (f, 50);
  g_signal_connect (engine, "round-finished", G_CALLBACK (on_round_finished), &watch);
  koers_sync_engine_start (engine);
  g_main_loop_run (watch.loop);
  g_assert_false (watch.last_ok);
  g_assert_cmpint (koers_sync_engine_get_state (engine), ==, KOERS_SYNC_STATE_OFFLINE);
  g_assert_nonnull (koers_sync_engine_get_error_message (engine));
  /* The retry comes by itself. */
  g_main_loop_run (watch.loop);
  g_assert_cmpuint (watch.rounds, ==, 2);
  start = g_get_monotonic_time ();
  g_assert_false (koers_sync_engine_shutdown (engine, 2000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_main_loop_unref (watch.loop);
}

/* Crash: the round's process killed with SIGKILL at every crash point in
 * turn (cutting, uploading, reading the ack, pruning), restarted until a
 * round completes, over several rounds with new changes and acks between. */
static int
run_driver (Fixture *f, guint crash_at)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) driver = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *at = g_strdup_printf ("%u", crash_at);

  g_subprocess_launcher_setenv (launcher, "KOERS_SYNC_CRASH_AT", at, TRUE);
  g_subprocess_launcher_setenv (launcher, "KOERS_SYNC_CUT_BYTES", "2000", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  driver = g_subprocess_launcher_spawn (launcher, &error, SYNC_CRASH_DRIVER, f->store.dir, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (driver, NULL, &error));
  if (g_subprocess_get_if_signaled (driver))
    {
      g_assert_cmpint (g_subprocess_get_term_sig (driver), ==, SIGKILL);
      return -1;
    }
  return g_subprocess_get_exit_status (driver);
}

static void
close_vault (Fixture *f)
{
  g_clear_object (&f->store.store);
  koers_vault_lock (f->store.vault);
}

static void
reopen_vault (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_vault_unlock (f->store.vault, "Tester", "pass", &error));
  f->store.store = koers_store_new (koers_vault_get_db (f->store.vault), &error);
  g_assert_no_error (error);
  koers_store_set_current_worker (f->store.store, f->store.volunteer_id);
}

static void
test_crash (Fixture *f, gconstpointer data)
{
  guint kills = 0;
  KoersChainState chain = { 0 };
  g_auto(KoersSyncCounts) c = { 0 };

  for (guint round = 0; round < 7; round++)
    {
      make_changes (f, 100 * (round + 1));
      if (round > 0)
        {
          g_autoptr(GString) read = NULL;

          memset (&chain, 0, sizeof chain);
          read = office_read (f, 1, &chain);
          office_ack (f, &chain, f->keys.office_sign);
        }
      close_vault (f);
      for (guint at = 1;; at++)
        {
          int rc = run_driver (f, at);

          if (rc == 0)
            break;
          g_assert_cmpint (rc, ==, -1);
          kills++;
          g_assert_cmpuint (at, <, 500);
        }
      reopen_vault (f);
      assert_drop_holds_log (f);
    }
  g_test_message ("%u kills", kills);
  g_assert_cmpuint (kills, >=, 100);
  /* The office acknowledges everything: the outbox is empty. */
  memset (&chain, 0, sizeof chain);
  g_string_free (office_read (f, 1, &chain), TRUE);
  office_ack (f, &chain, f->keys.office_sign);
  close_vault (f);
  g_assert_cmpint (run_driver (f, 0), ==, 0);
  reopen_vault (f);
  counts (f, &c);
  g_assert_cmpint (c.unacknowledged_changes, ==, 0);
  g_assert_cmpuint (c.uploaded_batches + c.sealed_batches + c.quarantined_batches, ==, 0);
}

static void
test_cli (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) down = NULL;
  g_autoptr(GBytes) good = NULL;
  g_autofree char *down_path = g_build_filename (f->store.dir, "down.enroll", NULL);
  g_autofree char *good_path = g_build_filename (f->store.dir, "good.enroll", NULL);
  g_autofree char *bad_path = g_build_filename (f->store.dir, "bad.enroll", NULL);
  g_autofree char *out = NULL;
  g_autofree char *expected_id = NULL;
  const char *enroll_down[] = { "enroll", down_path, NULL };
  const char *enroll_good[] = { "enroll", good_path, NULL };
  const char *enroll_bad[] = { "enroll", bad_path, NULL };
  const char *sync[] = { "sync", NULL };
  const char *status[] = { "sync", "--status", NULL };

  make_changes (f, 200);
  down = make_enrollment (f, koers_test_free_port (), PASSWORD, f->keys.office_sign);
  good = make_enrollment (f, 0, PASSWORD, f->keys.office_sign);
  g_assert_true (g_file_set_contents (down_path, g_bytes_get_data (down, NULL), (gssize) g_bytes_get_size (down), NULL));
  g_assert_true (g_file_set_contents (good_path, g_bytes_get_data (good, NULL), (gssize) g_bytes_get_size (good), NULL));
  g_assert_true (g_file_set_contents (bad_path, "KOERS-ENROLL but not really", -1, NULL));
  expected_id = g_strdup_printf ("device-id: %s\n", koers_store_get_device_id (f->store.store));
  close_vault (f);

  g_assert_cmpint (store_fixture_run_cli (&f->store, KOERS_CLI, &out, enroll_bad), ==, 65);
  g_assert_cmpuint (strlen (out), >, 0);
  g_assert_true (strchr (out, '\n') == out + strlen (out) - 1);  /* one line */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (store_fixture_run_cli (&f->store, KOERS_CLI, &out, enroll_down), ==, 0);
  g_assert_nonnull (strstr (out, expected_id));
  g_assert_nonnull (strstr (out, f->public_key));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (store_fixture_run_cli (&f->store, KOERS_CLI, &out, sync), ==, 75);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (store_fixture_run_cli (&f->store, KOERS_CLI, &out, enroll_good), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (store_fixture_run_cli (&f->store, KOERS_CLI, &out, sync), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (store_fixture_run_cli (&f->store, KOERS_CLI, &out, status), ==, 0);
  g_assert_nonnull (strstr (out, "Batches uploaded, not acknowledged: 1\n"));
  g_assert_nonnull (strstr (out, "Changes not in a batch yet: 0\n"));
  g_assert_nonnull (strstr (out, "Last error: none\n"));
  reopen_vault (f);
  assert_drop_holds_log (f);
}

/* The disk under the laptop's vault: the test VFS below the vault's fails
 * the Nth write of a round with SQLITE_FULL, as ENOSPC does on a real
 * file (tests/vault/test-faults.c); the others go through. */
static struct
{
  gboolean armed;
  guint    nth;
  guint    calls;
  guint    fired;
} disk;

static int
disk_full_hook (TestVfsOp     op,
                TestVfsFile   file,
                int           amt,
                sqlite3_int64 off,
                int          *short_amt,
                gpointer      data)
{
  if (!disk.armed || op != TEST_VFS_WRITE || ++disk.calls != disk.nth)
    return SQLITE_OK;
  disk.fired++;
  *short_amt = amt / 2;  /* half a page reaches the file first */
  return SQLITE_FULL;
}

/* Issue 10's faults: the laptop's disk fills while a batch is cut. For
 * every write of a round in turn, that write finds the disk full: the
 * round fails with the vault's "disk full" in words, or goes on where the
 * failed step is harmless; nothing half-made is sent. Once there is room
 * again, the next round delivers: the drop holds every change exactly
 * once, in chained batches. */
static void
test_disk_full (Fixture *f, gconstpointer data)
{
  KoersSyncRoundResult result;
  gint64 n_changes = 0;
  guint failed_cuts = 0;

  test_vfs_set_hook (disk_full_hook, NULL);
  for (guint nth = 1; nth < 200; nth++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(KoersSyncCounts) before = { 0 };
      g_auto(KoersSyncCounts) failed = { 0 };
      g_auto(KoersSyncCounts) after = { 0 };
      gboolean ok;

      n_changes += 40;
      make_changes (f, n_changes);
      counts (f, &before);
      g_assert_cmpint (before.unsealed_changes, >, 0);
      disk.nth = nth;
      disk.calls = disk.fired = 0;
      disk.armed = TRUE;
      ok = round_with (f, NULL, &result, &error);
      disk.armed = FALSE;
      if (disk.fired == 0)
        {
          /* the round wrote fewer than @nth times: every write was tried */
          g_assert_true (ok);
          g_assert_cmpuint (nth, >, 3);
          break;
        }
      if (!ok)
        {
          g_test_message ("write %u: %s", nth, error->message);
          g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_DISK_FULL);
          counts (f, &failed);
          g_assert_cmpstr (failed.last_error, ==, error->message);
          if (failed.unsealed_changes == before.unsealed_changes)
            failed_cuts++;  /* the cut itself failed: nothing was sealed */
        }
      /* room again: the next round delivers everything, once */
      assert_round (f, &result);
      counts (f, &after);
      g_assert_cmpint (after.unsealed_changes, ==, 0);
      g_assert_cmpuint (after.sealed_batches, ==, 0);
      g_assert_null (after.last_error);
      assert_drop_holds_log (f);
    }
  test_vfs_set_hook (NULL, NULL);
  g_assert_cmpuint (failed_cuts, >=, 1);
}

int
main (int argc, char **argv)
{
  int rc;

  g_test_init (&argc, &argv, NULL);
  test_vfs_install_default ();  /* before the first vault: it stacks on it */
  pki = koers_test_pki_new ();
  nginx = koers_test_dav_server_start (KOERS_TEST_DAV_NGINX, pki, USER, PASSWORD);
  if (koers_test_dav_kind_available (KOERS_TEST_DAV_APACHE))
    apache = koers_test_dav_server_start (KOERS_TEST_DAV_APACHE, pki, USER, PASSWORD);

  g_test_add ("/sync-engine/enroll", Fixture, NULL, fixture_set_up, test_enroll, fixture_tear_down);
  g_test_add ("/sync-engine/not-enrolled", Fixture, NULL, fixture_set_up, test_not_enrolled, fixture_tear_down);
  g_test_add ("/sync-engine/nginx/happy-path", Fixture, NULL, fixture_set_up, test_happy_path, fixture_tear_down);
  if (apache != NULL)
    g_test_add ("/sync-engine/apache/happy-path", Fixture, apache, fixture_set_up, test_happy_path, fixture_tear_down);
  g_test_add ("/sync-engine/cap", Fixture, NULL, fixture_set_up, test_cap, fixture_tear_down);
  g_test_add ("/sync-engine/ack", Fixture, NULL, fixture_set_up, test_ack, fixture_tear_down);
  g_test_add ("/sync-engine/faults", Fixture, NULL, fixture_set_up, test_faults, fixture_tear_down);
  g_test_add ("/sync-engine/disk-full", Fixture, NULL, fixture_set_up, test_disk_full, fixture_tear_down);
  g_test_add ("/sync-engine/link-faults", Fixture, NULL, fixture_set_up, test_link_faults, fixture_tear_down);
  g_test_add ("/sync-engine/restore", Fixture, NULL, fixture_set_up, test_restore, fixture_tear_down);
  g_test_add ("/sync-engine/engine", Fixture, NULL, fixture_set_up, test_engine, fixture_tear_down);
  g_test_add ("/sync-engine/engine-offline", Fixture, NULL, fixture_set_up, test_engine_offline, fixture_tear_down);
  g_test_add ("/sync-engine/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);
  g_test_add ("/sync-engine/crash", Fixture, NULL, fixture_set_up, test_crash, fixture_tear_down);
  rc = g_test_run ();
  g_clear_pointer (&apache, koers_test_dav_server_stop);
  koers_test_dav_server_stop (nginx);
  koers_test_pki_free (pki);
  return rc;
}
