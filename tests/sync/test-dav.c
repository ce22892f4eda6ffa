/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The WebDAV transport against real servers on 127.0.0.1: nginx with its
 * dav modules and Apache's mod_dav_fs, both in their stock DAV settings,
 * with TLS from a CA made here, and faults of the link from a proxy of our
 * own in front of them (dav-server.h, fault-proxy.h). */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-test"

#include <glib/gstdio.h>
#include <string.h>

#include "dav-server.h"
#include "fault-proxy.h"
#include "koers-dav-client.h"

#define USER     "steunpunt-7"
#define PASSWORD "app-pass-Zq9+/x"

typedef struct
{
  KoersTestDavServer *server;
  KoersTestPki       *pki;
} ServerData;

typedef struct
{
  KoersTestDavServer *server;
  KoersTestPki       *pki;
  KoersDavClient     *client;
  char               *folder;   /* a fresh device folder per test */
} Fixture;

static KoersTestPki *other_pki;

/* Short limits: a stall is noticed in 2 s, a dead port at once. */
static KoersDavClient *
client_for (Fixture    *f,
            guint16     port,
            const char *path,
            const char *password,
            GBytes     *ca_pem,
            const char *pin)
{
  g_autofree char *url = koers_test_dav_server_url (f->server, port, path);
  g_autoptr(GError) error = NULL;
  KoersDavClient *client = koers_dav_client_new (url, USER, password, ca_pem, pin, &error);

  g_assert_no_error (error);
  g_assert_nonnull (client);
  koers_dav_client_set_timeouts (client, 3, 2);
  return client;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const ServerData *server_data = data;
  static guint counter;

  f->server = server_data->server;
  f->pki = server_data->pki;
  f->client = client_for (f, 0, "drop/", PASSWORD, f->pki->ca_pem, NULL);
  counter++;
  f->folder = g_strdup_printf ("st-%u/device-%u/", counter, counter);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->client);
  g_free (f->folder);
}

static char *
drop_path (Fixture    *f,
           const char *relative)
{
  return g_build_filename (f->server->drop_dir, f->folder, relative, NULL);
}

static GBytes *
pseudo_random_bytes (gsize   size,
                     guint32 seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint8 *data = g_malloc (size);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int (rand);
  return g_bytes_new_take (data, size);
}

static void
assert_file_holds (const char *path,
                   GBytes     *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));
}

static guint
count_temporary_files (Fixture *f)
{
  g_autofree char *dir_path = drop_path (f, "");
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, KOERS_DAV_TEMP_PREFIX))
      n++;
  return n;
}

/* A message for a volunteer: no address, no user, no password. */
static void
assert_plain_message (const GError *error)
{
  g_assert_null (strstr (error->message, "https://"));
  g_assert_null (strstr (error->message, "127.0.0.1"));
  g_assert_null (strstr (error->message, USER));
  g_assert_null (strstr (error->message, PASSWORD));
}

typedef struct
{
  guint64 done;
  guint64 total;
  guint   calls;
  GThread *thread;
} Progress;

static void
record_progress (guint64  done,
                 guint64  total,
                 gpointer data)
{
  Progress *progress = data;

  g_assert_true (progress->thread == g_thread_self ());
  g_assert_cmpuint (done, >=, progress->done);
  progress->done = done;
  progress->total = total;
  progress->calls++;
}

static void
test_put_once (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) batch = pseudo_random_bytes (200 * 1024, 1);
  g_autofree char *final_path = drop_path (f, "batch-000001-000250");
  gboolean already = TRUE;
  Progress progress = { 0, 0, 0, g_thread_self () };

  koers_dav_client_set_progress (f->client, record_progress, &progress);
  g_assert_true (koers_dav_put_once (f->client, f->folder, "batch-000001-000250", batch, &already, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (already);
  g_assert_cmpuint (progress.calls, >, 0);
  g_assert_cmpuint (progress.total, ==, 200 * 1024);
  g_assert_cmpuint (progress.done, ==, 200 * 1024);
  koers_dav_client_set_progress (f->client, NULL, NULL);
  assert_file_holds (final_path, batch);
  g_assert_cmpuint (count_temporary_files (f), ==, 0);

  /* A repeat after a lost answer: the same bytes are already there. */
  g_assert_true (koers_dav_put_once (f->client, f->folder, "batch-000001-000250", batch, &already, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (already);
  assert_file_holds (final_path, batch);
  g_assert_cmpuint (count_temporary_files (f), ==, 0);
}

static void
test_put_once_name_taken (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = pseudo_random_bytes (4096, 2);
  g_autoptr(GBytes) other = pseudo_random_bytes (4096, 3);
  g_autoptr(GBytes) longer = pseudo_random_bytes (9000, 2);
  g_autofree char *final_path = drop_path (f, "batch-7");
  gboolean already = TRUE;

  g_assert_true (koers_dav_put_once (f->client, f->folder, "batch-7", first, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Same size, other bytes; then a longer file: never overwritten. */
  g_assert_false (koers_dav_put_once (f->client, f->folder, "batch-7", other, &already, NULL, &error));
  g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NAME_TAKEN);
  g_assert_false (koers_dav_error_is_retryable (error));
  g_assert_false (already);
  g_clear_error (&error);
  g_assert_false (koers_dav_put_once (f->client, f->folder, "batch-7", longer, &already, NULL, &error));
  g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NAME_TAKEN);
  assert_file_holds (final_path, first);
  g_assert_cmpuint (count_temporary_files (f), ==, 0);
}

static void
test_make_folder (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *deep = g_strconcat (f->folder, "a/b/c", NULL);
  g_autofree char *deep_path = drop_path (f, "a/b/c");

  g_assert_true (koers_dav_client_make_folder (f->client, deep, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (deep_path, G_FILE_TEST_IS_DIR));

  /* Already there, also for a client that does not know it yet. */
  g_clear_object (&f->client);
  f->client = client_for (f, 0, "drop/", PASSWORD, f->pki->ca_pem, NULL);
  g_assert_true (koers_dav_client_make_folder (f->client, deep, NULL, &error));
  g_assert_no_error (error);
}

/* The office emptied the drop: a client that made the folder before makes
 * it again when its PUT finds it gone. */
static void
test_folder_removed (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = pseudo_random_bytes (1000, 14);
  g_autoptr(GBytes) second = pseudo_random_bytes (1000, 15);
  g_autofree char *device_folder = drop_path (f, "");
  g_auto(GStrv) segments = g_strsplit (f->folder, "/", 2);
  g_autofree char *steunpunt_folder = g_build_filename (f->server->drop_dir, segments[0], NULL);
  g_autofree char *second_path = drop_path (f, "batch-2");
  const char *argv[] = { "rm", "-rf", steunpunt_folder, NULL };
  gboolean ok;

  g_assert_true (koers_dav_put_once (f->client, f->folder, "batch-1", first, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (steunpunt_folder, f->server->drop_dir));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, &error));
  g_assert_false (g_file_test (steunpunt_folder, G_FILE_TEST_EXISTS));

  ok = koers_dav_put_once (f->client, f->folder, "batch-2", second, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  assert_file_holds (second_path, second);
}

static KoersDavEntry *
find_entry (GPtrArray  *entries,
            const char *name)
{
  for (guint i = 0; i < entries->len; i++)
    {
      KoersDavEntry *entry = g_ptr_array_index (entries, i);

      if (strcmp (entry->name, name) == 0)
        return entry;
    }
  return NULL;
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  /* Names in Arabic, Tigrinya (Ge'ez) and Farsi script, and a space. */
  const char *names[] = { "ack", "batch 1", "ملف-١", "ፋይል-፪", "پرونده", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *sub = g_strconcat (f->folder, "sub", NULL);

  g_assert_true (koers_dav_client_make_folder (f->client, sub, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autoptr(GBytes) body = pseudo_random_bytes (100 + i * 1000, i);
      g_autofree char *path = g_strconcat (f->folder, names[i], NULL);

      g_assert_true (koers_dav_client_put (f->client, path, body, NULL, &error));
      g_assert_no_error (error);
    }
  entries = koers_dav_client_list (f->client, f->folder, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, G_N_ELEMENTS (names) - 1 + 1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      KoersDavEntry *entry = find_entry (entries, names[i]);

      g_assert_nonnull (entry);
      g_assert_false (entry->is_folder);
      g_assert_cmpint (entry->size, ==, 100 + i * 1000);
    }
  g_assert_true (find_entry (entries, "sub")->is_folder);
}

static void
test_get_cap (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = pseudo_random_bytes (50000, 4);
  g_autoptr(GBytes) fetched = NULL;
  g_autofree char *path = g_strconcat (f->folder, "ack", NULL);
  g_autofree char *missing = g_strconcat (f->folder, "no-such-file", NULL);

  g_assert_true (koers_dav_put_once (f->client, f->folder, "ack", body, NULL, NULL, &error));
  g_assert_no_error (error);
  fetched = koers_dav_client_get (f->client, path, 50000, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (fetched, body));
  g_clear_pointer (&fetched, g_bytes_unref);

  fetched = koers_dav_client_get (f->client, path, 49999, NULL, &error);
  g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_RESPONSE_TOO_LARGE);
  g_assert_null (fetched);
  g_clear_error (&error);

  fetched = koers_dav_client_get (f->client, missing, 1000, NULL, &error);
  g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_FOUND);
  g_assert_false (koers_dav_error_is_retryable (error));
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = pseudo_random_bytes (10, 5);
  g_autofree char *path = g_strconcat (f->folder, "batch-1", NULL);
  g_autofree char *file = drop_path (f, "batch-1");

  g_assert_true (koers_dav_put_once (f->client, f->folder, "batch-1", body, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
  g_assert_true (koers_dav_client_delete (f->client, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  /* Gone already: fine. */
  g_assert_true (koers_dav_client_delete (f->client, path, NULL, &error));
  g_assert_no_error (error);
}

static void
test_leftovers (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = pseudo_random_bytes (300, 6);
  g_autofree char *kept = drop_path (f, "batch-1");
  guint removed = 0;

  g_assert_true (koers_dav_client_make_folder (f->client, f->folder, NULL, &error));
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s" KOERS_DAV_TEMP_PREFIX "%u", f->folder, i);

      g_assert_true (koers_dav_client_put (f->client, path, body, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (koers_dav_put_once (f->client, f->folder, "batch-1", body, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_temporary_files (f), ==, 3);

  g_assert_true (koers_dav_remove_leftovers (f->client, f->folder, &removed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 3);
  g_assert_cmpuint (count_temporary_files (f), ==, 0);
  assert_file_holds (kept, body);

  /* A folder that does not exist (yet) has nothing left over. */
  g_assert_true (koers_dav_remove_leftovers (f->client, "never-made/", &removed, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (removed, ==, 0);
}

static void
assert_put_fails (KoersDavClient *client,
                  const char     *folder,
                  KoersDavError   code,
                  gboolean        retryable)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = pseudo_random_bytes (1000, 7);

  g_assert_false (koers_dav_put_once (client, folder, "batch-1", body, NULL, NULL, &error));
  g_assert_error (error, KOERS_DAV_ERROR, (int) code);
  g_assert_cmpint (koers_dav_error_is_retryable (error), ==, retryable);
  assert_plain_message (error);
}

static void
test_server_errors (Fixture       *f,
                    gconstpointer  data)
{
  struct { const char *path; KoersDavError code; gboolean retryable; guint status; } cases[] = {
    { "fault/500/", KOERS_DAV_ERROR_SERVER_BUSY, TRUE, 500 },
    { "fault/503/", KOERS_DAV_ERROR_SERVER_BUSY, TRUE, 503 },
    { "fault/429/", KOERS_DAV_ERROR_SERVER_BUSY, TRUE, 429 },
    { "fault/507/", KOERS_DAV_ERROR_STORAGE_FULL, FALSE, 507 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KoersDavClient) client = client_for (f, 0, cases[i].path, PASSWORD, f->pki->ca_pem, NULL);

      assert_put_fails (client, f->folder, cases[i].code, cases[i].retryable);
      g_assert_cmpuint (koers_dav_client_get_last_status (client), ==, cases[i].status);
      g_assert_cmpuint (koers_dav_client_get_retry_after (client), ==, cases[i].status == 429 ? 7 : 0);
    }
}

static guint
count_in_log (const char *path,
              const char *needle)
{
  g_autofree char *log = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &log, NULL, NULL));
  for (const char *p = log; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* A server logs a request after it has answered: give it a moment, and a
 * little more to show that no other request follows. */
static guint
await_count_in_log (const char *path,
                    const char *needle,
                    guint       expected)
{
  gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  while (count_in_log (path, needle) < expected && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
  g_usleep (200 * 1000);
  return count_in_log (path, needle);
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(KoersDavClient) client = client_for (f, 0, "drop/", "wrong-password", f->pki->ca_pem, NULL);
  guint before = count_in_log (f->server->access_log, "\" 401 ");

  assert_put_fails (client, f->folder, KOERS_DAV_ERROR_UNAUTHORIZED, FALSE);
  /* Stopped at once: one refused request, no second try. */
  g_assert_cmpuint (await_count_in_log (f->server->access_log, "\" 401 ", before + 1), ==, before + 1);
}

static void
test_server_down (void)
{
  /* Nothing listens on the port; the name is in a domain that never
   * resolves (RFC 6761): both are "offline", to try later. */
  g_autofree char *refused = g_strdup_printf ("https://127.0.0.1:%u/drop/", koers_test_free_port ());
  const char *urls[] = { refused, "https://koers-drop.invalid/drop/" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KoersDavClient) client = koers_dav_client_new (urls[i], USER, PASSWORD, NULL, NULL, &error);

      g_assert_no_error (error);
      assert_put_fails (client, "st/dev/", KOERS_DAV_ERROR_OFFLINE, TRUE);
    }
}

/* A proxy from the environment (https_proxy), as libcurl reads it when
 * GIO's resolver says "direct": the upload goes through its tunnel. */
static void
test_environment_proxy (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(KoersFaultProxy) proxy = koers_fault_proxy_new_http_connect ();
  g_autofree char *proxy_url = g_strdup_printf ("http://127.0.0.1:%u", koers_fault_proxy_get_port (proxy));
  g_autoptr(KoersDavClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) batch = pseudo_random_bytes (5000, 12);
  g_autofree char *final_path = drop_path (f, "batch-1");
  gboolean ok;

  g_setenv ("https_proxy", proxy_url, TRUE);
  client = client_for (f, 0, "drop/", PASSWORD, f->pki->ca_pem, NULL);
  ok = koers_dav_put_once (client, f->folder, "batch-1", batch, NULL, NULL, &error);
  g_unsetenv ("https_proxy");
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (koers_fault_proxy_get_count (proxy), >=, 1);
  assert_file_holds (final_path, batch);
}

/* Through the proxy: a cut or a stall mid-body is a retry, and nothing is
 * half-written under the final name; once the link is good it goes. */
static void
assert_fault_then_recovery (Fixture      *f,
                            KoersFault    fault,
                            KoersDavError code)
{
  g_autoptr(KoersFaultProxy) proxy = koers_fault_proxy_new (f->server->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) batch = pseudo_random_bytes (256 * 1024, 8);
  g_autofree char *final_path = drop_path (f, "batch-9");
  g_autoptr(KoersDavClient) client = NULL;
  gint64 start;

  g_assert_true (koers_dav_client_make_folder (f->client, f->folder, NULL, &error));
  g_assert_no_error (error);
  koers_fault_proxy_set_fault (proxy, fault, 96 * 1024);
  client = client_for (f, koers_fault_proxy_get_port (proxy), "drop/", PASSWORD, f->pki->ca_pem, NULL);
  start = g_get_monotonic_time ();
  g_assert_false (koers_dav_put_once (client, f->folder, "batch-9", batch, NULL, NULL, &error));
  g_assert_error (error, KOERS_DAV_ERROR, (int) code);
  g_assert_true (koers_dav_error_is_retryable (error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_false (g_file_test (final_path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* The fault is gone: the next round cleans up and uploads. */
  koers_fault_proxy_set_fault (proxy, KOERS_FAULT_NONE, 0);
  g_clear_object (&client);
  client = client_for (f, koers_fault_proxy_get_port (proxy), "drop/", PASSWORD, f->pki->ca_pem, NULL);
  g_assert_true (koers_dav_remove_leftovers (client, f->folder, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (koers_dav_put_once (client, f->folder, "batch-9", batch, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_file_holds (final_path, batch);
  g_assert_cmpuint (count_temporary_files (f), ==, 0);
}

static void
test_cut_mid_body (Fixture       *f,
                   gconstpointer  data)
{
  assert_fault_then_recovery (f, KOERS_FAULT_CUT, KOERS_DAV_ERROR_CONNECTION_LOST);
}

static void
test_stall (Fixture       *f,
            gconstpointer  data)
{
  assert_fault_then_recovery (f, KOERS_FAULT_STALL, KOERS_DAV_ERROR_TIMEOUT);
}

/* The office's GET (or put_once's comparison) cut off mid-answer: a retry,
 * never a short file taken for the whole. */
static void
test_cut_reply (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KoersFaultProxy) proxy = koers_fault_proxy_new (f->server->port);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) batch = pseudo_random_bytes (256 * 1024, 16);
  g_autoptr(GBytes) fetched = NULL;
  g_autoptr(KoersDavClient) client = NULL;
  g_autofree char *path = g_strconcat (f->folder, "batch-1", NULL);

  g_assert_true (koers_dav_put_once (f->client, f->folder, "batch-1", batch, NULL, NULL, &error));
  g_assert_no_error (error);
  koers_fault_proxy_set_fault (proxy, KOERS_FAULT_CUT_REPLY, 128 * 1024);
  client = client_for (f, koers_fault_proxy_get_port (proxy), "drop/", PASSWORD, f->pki->ca_pem, NULL);
  fetched = koers_dav_client_get (client, path, 1024 * 1024, NULL, &error);
  g_assert_null (fetched);
  g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_CONNECTION_LOST);
  g_assert_true (koers_dav_error_is_retryable (error));
}

static void
test_refused_by_proxy (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KoersFaultProxy) proxy = koers_fault_proxy_new (f->server->port);
  g_autoptr(KoersDavClient) client = NULL;

  koers_fault_proxy_set_fault (proxy, KOERS_FAULT_REFUSE, 0);
  client = client_for (f, koers_fault_proxy_get_port (proxy), "drop/", PASSWORD, f->pki->ca_pem, NULL);
  assert_put_fails (client, f->folder, KOERS_DAV_ERROR_CONNECTION_LOST, TRUE);
}

static void
test_other_ca (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDavClient) client = client_for (f, 0, "drop/", PASSWORD, other_pki->ca_pem, NULL);
  g_autoptr(KoersDavClient) system_cas = client_for (f, 0, "drop/", PASSWORD, NULL, NULL);
  g_autoptr(GPtrArray) entries = NULL;

  entries = koers_dav_client_list (client, "", NULL, &error);
  g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_CERTIFICATE);
  g_assert_false (koers_dav_error_is_retryable (error));
  g_assert_nonnull (strstr (error->message, "login in a browser"));
  g_clear_error (&error);
  /* The system's CAs do not know the test CA either. */
  entries = koers_dav_client_list (system_cas, "", NULL, &error);
  g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_CERTIFICATE);
}

static void
test_pin (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDavClient) right = client_for (f, 0, "drop/", PASSWORD, f->pki->ca_pem, f->pki->pin);
  g_autoptr(KoersDavClient) wrong = client_for (f, 0, "drop/", PASSWORD, f->pki->ca_pem, other_pki->pin);
  g_autoptr(GBytes) body = pseudo_random_bytes (100, 9);

  g_assert_true (koers_dav_put_once (right, f->folder, "batch-1", body, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (koers_dav_put_once (wrong, f->folder, "batch-2", body, NULL, NULL, &error));
  g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_PIN_MISMATCH);
  g_assert_false (koers_dav_error_is_retryable (error));
  g_assert_nonnull (strstr (error->message, "possible interception"));
  g_clear_error (&error);
}

/* A key being rotated: the old and the new pin, either may answer. */
static void
test_pin_list (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pins = g_strdup_printf ("sha256//%s; %s", other_pki->pin, f->pki->pin);
  g_autoptr(KoersDavClient) client = client_for (f, 0, "drop/", PASSWORD, f->pki->ca_pem, pins);
  g_autoptr(GBytes) body = pseudo_random_bytes (100, 13);
  const char *malformed[] = { "not base64!", "AAAA", "sha256//", ";" };

  g_assert_true (koers_dav_put_once (client, f->folder, "batch-1", body, NULL, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      g_autofree char *url = koers_test_dav_server_url (f->server, 0, "drop/");
      g_autoptr(KoersDavClient) refused = koers_dav_client_new (url, USER, PASSWORD, f->pki->ca_pem,
                                                                malformed[i], &error);

      g_assert_null (refused);
      g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_PROTOCOL);
      g_clear_error (&error);
    }
}

static void
test_insecure_urls (void)
{
  const char *urls[] = { "http://127.0.0.1:1/drop/", "ftp://127.0.0.1/drop/",
                         "HTTP://127.0.0.1:1/drop/",
                         "https://" USER ":secret@127.0.0.1:1/drop/" };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KoersDavClient) client = koers_dav_client_new (urls[i], USER, PASSWORD, NULL, NULL, &error);

      g_assert_null (client);
      g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_INSECURE);
      assert_plain_message (error);
      g_assert_null (strstr (error->message, "secret"));
    }
}

static void
test_redirect_to_http (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KoersDavClient) client = client_for (f, 0, "redirect-http/", PASSWORD, f->pki->ca_pem, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) fetched = NULL;

  fetched = koers_dav_client_get (client, "ack", 1000, NULL, &error);
  g_assert_null (fetched);
  g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_INSECURE);
  g_assert_cmpuint (await_count_in_log (f->server->access_log, "GET /redirect-http/ack", 1), ==, 1);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static gpointer
cancel_thread (gpointer data)
{
  g_usleep (300 * 1000);
  cancel_later (data);
  return NULL;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KoersFaultProxy) proxy = koers_fault_proxy_new (f->server->port);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) batch = pseudo_random_bytes (256 * 1024, 10);
  g_autoptr(KoersDavClient) client = NULL;
  g_autofree char *final_path = drop_path (f, "batch-1");
  GThread *canceller;
  gint64 start;

  g_assert_true (koers_dav_client_make_folder (f->client, f->folder, NULL, &error));
  koers_fault_proxy_set_fault (proxy, KOERS_FAULT_STALL, 64 * 1024);
  client = client_for (f, koers_fault_proxy_get_port (proxy), "drop/", PASSWORD, f->pki->ca_pem, NULL);
  koers_dav_client_set_timeouts (client, 3, 60);   /* only the cancel ends it */
  canceller = g_thread_new ("cancel", cancel_thread, cancellable);
  start = g_get_monotonic_time ();
  g_assert_false (koers_dav_put_once (client, f->folder, "batch-1", batch, NULL, cancellable, &error));
  g_thread_join (canceller);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (koers_dav_error_is_retryable (error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_false (g_file_test (final_path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* Cancelled before it starts: nothing is sent. */
  g_assert_false (koers_dav_client_delete (f->client, "anything", cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_too_large (Fixture       *f,
                gconstpointer  data)
{
  /* nginx's stock client_max_body_size is 1 MiB. */
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) big = pseudo_random_bytes (2 * 1024 * 1024, 11);

  g_assert_false (koers_dav_put_once (f->client, f->folder, "batch-1", big, NULL, NULL, &error));
  g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_TOO_LARGE);
  g_assert_false (koers_dav_error_is_retryable (error));
}

static void
add_server_tests (ServerData *data)
{
  struct { const char *name; void (*test) (Fixture *, gconstpointer); } tests[] = {
    { "put-once", test_put_once },
    { "put-once-name-taken", test_put_once_name_taken },
    { "make-folder", test_make_folder },
    { "folder-removed", test_folder_removed },
    { "list", test_list },
    { "get-cap", test_get_cap },
    { "delete", test_delete },
    { "leftovers", test_leftovers },
    { "server-errors", test_server_errors },
    { "unauthorized", test_unauthorized },
    { "cut-mid-body", test_cut_mid_body },
    { "stall", test_stall },
    { "cut-reply", test_cut_reply },
    { "refused", test_refused_by_proxy },
    { "other-ca", test_other_ca },
    { "pin", test_pin },
    { "pin-list", test_pin_list },
    { "redirect-to-http", test_redirect_to_http },
    { "cancel", test_cancel },
    { "environment-proxy", test_environment_proxy },
  };
  const char *kind = koers_test_dav_kind_name (data->server->kind);

  for (guint i = 0; i < G_N_ELEMENTS (tests); i++)
    {
      g_autofree char *path = g_strdup_printf ("/dav/%s/%s", kind, tests[i].name);

      g_test_add (path, Fixture, data, fixture_set_up, tests[i].test, fixture_tear_down);
    }
  if (data->server->kind == KOERS_TEST_DAV_NGINX)
    g_test_add ("/dav/nginx/too-large", Fixture, data, fixture_set_up, test_too_large, fixture_tear_down);
}

static const char *proxy_variables[] = { "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY" };

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KoersTestPki) pki = NULL;
  ServerData servers[2] = { 0 };
  int status;

  g_test_init (&argc, &argv, NULL);
  /* The servers are on 127.0.0.1: no proxy of the machine's in between. */
  for (guint i = 0; i < G_N_ELEMENTS (proxy_variables); i++)
    g_unsetenv (proxy_variables[i]);
  pki = koers_test_pki_new ();
  other_pki = koers_test_pki_new ();
  g_test_add_func ("/dav/server-down", test_server_down);
  g_test_add_func ("/dav/insecure-urls", test_insecure_urls);
  for (KoersTestDavKind kind = KOERS_TEST_DAV_NGINX; kind <= KOERS_TEST_DAV_APACHE; kind++)
    {
      if (!koers_test_dav_kind_available (kind))
        g_error ("%s with WebDAV is not installed (build-aux/debian-packages.txt)", koers_test_dav_kind_name (kind));
      servers[kind].pki = pki;
      servers[kind].server = koers_test_dav_server_start (kind, pki, USER, PASSWORD);
      add_server_tests (&servers[kind]);
    }
  status = g_test_run ();
  for (guint i = 0; i < G_N_ELEMENTS (servers); i++)
    koers_test_dav_server_stop (servers[i].server);
  koers_test_pki_free (g_steal_pointer (&other_pki));
  return status;
}
