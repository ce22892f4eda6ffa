/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Retention: listing closed files past their time, and a purge that leaves
 * nothing recoverable: checked in SQL over every table and the FTS shadow
 * tables, and by scanning every byte of the decrypted database (a page-by-
 * page copy made with the backup API, free pages included). */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include <glib/gstdio.h>
#include <string.h>

#include "store-fixture.h"

#define DAY_MS G_GINT64_CONSTANT (86400000)

/* Markers only the purged file contains (and one the kept file has). */
#define GONE_NAME  "Xanthippe Quorvalis"
#define GONE_NOTES "Kumquatgeheim bij de grensovergang"
#define KEPT_NAME  "Theodora Blijftbewaard"

static void
close_file (StoreFixture *f, const char *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersClient) client = koers_store_get_client (f->store, id, NULL);

  client->phase = KOERS_PHASE_CLOSED;
  client->outcome = KOERS_OUTCOME_RETURNED;
  g_assert_true (koers_store_update_client (f->store, client, &error));
  g_assert_no_error (error);
}

static GBytes *
plain_image (StoreFixture *f)
{
  return store_fixture_plain_image (f->store);
}

static gboolean
image_contains (GBytes *image, const char *marker)
{
  return store_fixture_image_contains (image, marker);
}

static void
assert_image (StoreFixture *f, gboolean gone_present)
{
  g_autoptr (GBytes) image = plain_image (f);
  static const char *const gone[] = { GONE_NAME, "Quorvalis", "quorvalis", "Kumquatgeheim",
                                      "kumquatgeheim", NULL };

  g_test_message ("decrypted image: %" G_GSIZE_FORMAT " bytes", g_bytes_get_size (image));
  /* the scan finds what is there */
  g_assert_true (image_contains (image, KEPT_NAME));
  g_assert_true (image_contains (image, "blijftbewaard"));
  for (guint i = 0; gone[i] != NULL; i++)
    {
      g_test_message ("%s: %s", gone[i], image_contains (image, gone[i]) ? "found" : "absent");
      g_assert_true (image_contains (image, gone[i]) == gone_present);
    }
}

/* 0 for a missing file */
static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

static void
test_list_expired (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *old = store_fixture_add_client (f, "Oud dossier", TRUE);
  g_autofree char *recent = store_fixture_add_client (f, "Recent dossier", TRUE);
  g_autofree char *open = store_fixture_add_client (f, "Open dossier", TRUE);
  g_auto (GStrv) expired = NULL;
  g_auto (GStrv) all_closed = NULL;

  f->now_ms = FIXTURE_START_MS - 800 * DAY_MS;
  close_file (f, old);
  f->now_ms = FIXTURE_START_MS - 10 * DAY_MS;
  close_file (f, recent);
  f->now_ms = FIXTURE_START_MS;

  expired = koers_store_list_expired (f->store, KOERS_RETENTION_DEFAULT_DAYS, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (expired), ==, 1);
  g_assert_cmpstr (expired[0], ==, old);
  all_closed = koers_store_list_expired (f->store, 0, &error);
  g_assert_cmpuint (g_strv_length (all_closed), ==, 2);
  g_assert_cmpstr (all_closed[0], ==, old);
  g_assert_cmpstr (all_closed[1], ==, recent);
}

static void
test_purge_leaves_nothing (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *kept = store_fixture_add_full_file (f, KEPT_NAME, "Blijft bewaard.", NULL);
  g_autofree char *gone = NULL;
  g_auto (GStrv) expired = NULL;
  g_autofree char *wal = g_build_filename (f->dir, "koers.db-wal", NULL);
  g_autoptr (GPtrArray) audit = NULL;
  g_autoptr (GPtrArray) hits = NULL;
  gint64 tombstones;

  gone = store_fixture_add_full_file (f, GONE_NAME, GONE_NOTES, kept);
  koers_client_free (koers_store_open_file (f->store, gone, NULL));
  f->now_ms = FIXTURE_START_MS - 900 * DAY_MS;
  close_file (f, gone);
  f->now_ms = FIXTURE_START_MS;
  store_fixture_reopen (f);      /* the file has been through the WAL and a checkpoint */
  assert_image (f, TRUE);

  expired = koers_store_list_expired (f->store, KOERS_RETENTION_DEFAULT_DAYS, &error);
  g_assert_cmpuint (g_strv_length (expired), ==, 1);
  g_assert_cmpstr (expired[0], ==, gone);
  {
    gboolean ok = koers_store_purge (f->store, (const char *const *) expired, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }

  /* SQL: no row, no index entry, no logged value, no audit trail of it */
  g_assert_null (koers_store_get (f->store, KOERS_ENTITY_CLIENT, gone, NULL));
  hits = koers_store_search (f->store, "quorvalis", KOERS_SEARCH_ALL, 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = koers_store_search (f->store, "kumquatgeheim", KOERS_SEARCH_ALL, 10, &error);
  g_assert_cmpuint (hits->len, ==, 0);
  g_assert_cmpint (store_fixture_count (f,
    "SELECT count(*) FROM change_log WHERE fields LIKE '%Quorvalis%' OR fields LIKE '%Kumquat%'"),
    ==, 0);
  tombstones = store_fixture_count (f, "SELECT count(*) FROM change_log WHERE fields IS NULL");
  g_assert_cmpint (tombstones, >, 10);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM search_content"
                                           " WHERE c0 LIKE '%quorvalis%' OR c1 LIKE '%kumquat%'"),
                   ==, 0);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM search_data"
                                           " WHERE instr (block, 'quorvalis') OR instr (block, 'kumquat')"),
                   ==, 0);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM family_link"), ==, 0);
  g_assert_cmpint (store_fixture_count (f, "PRAGMA freelist_count"), ==, 0);
  audit = koers_store_list_audit (f->store, gone, &error);
  g_assert_cmpuint (audit->len, ==, 0);
  g_assert_cmpint (store_fixture_count (f,
    "SELECT count(*) FROM audit WHERE action = 'purge' AND client_id IS NULL"), ==, 1);

  /* bytes: nothing of it in any page, used or free; the WAL is empty */
  assert_image (f, FALSE);
  g_assert_cmpint (file_size (wal), ==, 0);

  /* the other file is whole */
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = koers_store_search (f->store, "Theodora", KOERS_SEARCH_ALL, 10, &error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM checkin"), ==, 4);
  store_fixture_reopen (f);
  assert_image (f, FALSE);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/store/retention/list-expired", test_list_expired);
  ADD ("/store/retention/purge-leaves-nothing", test_purge_leaves_nothing);
  return g_test_run ();
}
