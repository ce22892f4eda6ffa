/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's side of sync on a real vault: field stamps and bases, the
 * outbox (cutting, caps, acknowledgements, quarantine), restore and
 * epochs, counts, per-client delivery, settings and secrets. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include <glib/gstdio.h>
#include <string.h>

#include "koers-store-private.h"
#include "store-fixture.h"

#define CAP (256 * 1024)

/* JSON is read with SQLite's own JSON functions, on a connection of the
 * test's own. */
static char *
json_get (const char *json,
          const char *path)
{
  static sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  if (db == NULL)
    g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT json_extract (?, ?)", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static KoersChange *
last_change (StoreFixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) log = koers_store_list_changes (f->store, 0, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (log->len, >, 0);
  return g_ptr_array_steal_index (log, log->len - 1);
}

static char *
stamp_of (KoersChange *change)
{
  return koers_store_stamp_text (change->hlc, change->device_id);
}


static void
set_phase (StoreFixture *f,
           const char   *client_id,
           KoersPhase    phase)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersClient) client = koers_store_get_client (f->store, client_id, &error);

  g_assert_no_error (error);
  client->phase = phase;
  g_assert_true (koers_store_update_client (f->store, client, &error));
  g_assert_no_error (error);
}

/* An insert sets every field's stamp; an update's base is the stamp each
 * changed field had; a tombstone's base is all of them. */
static void
test_stamps_and_bases (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = store_fixture_add_client (f, "ሰላም ተስፋይ", TRUE);
  g_autoptr (KoersChange) consent = last_change (f);
  g_autoptr (KoersChange) insert = NULL;
  g_autoptr (KoersChange) first = NULL;
  g_autoptr (KoersChange) second = NULL;
  g_autoptr (KoersChange) tomb = NULL;
  g_autoptr (GPtrArray) log = koers_store_list_changes (f->store, consent->seq - 2, 0, &error);
  g_autoptr (KoersClient) client = NULL;
  g_autofree char *s_insert = NULL;
  g_autofree char *s_first = NULL;
  g_autofree char *s_second = NULL;
  g_autofree char *stamps = NULL;
  g_autofree char *value = NULL;
  g_autofree char *expected = NULL;

  insert = g_ptr_array_steal_index (log, 0);
  g_assert_cmpstr (insert->op, ==, "insert");
  g_assert_null (insert->bases);
  s_insert = stamp_of (insert);
  g_assert_true (g_str_has_suffix (s_insert, koers_store_get_device_id (f->store)));
  g_assert_cmpuint (strlen (s_insert), ==, 16 + 1 + strlen (insert->device_id));
  /* an insert writes no stamp row: its change-log row is its stamp */
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM record_stamp"), ==, 0);
  stamps = koers_store_get_stamps (f->store, KOERS_ENTITY_CLIENT, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stamps, ==, expected = g_strdup_printf ("{\"*\":\"%s\"}", s_insert));
  g_clear_pointer (&expected, g_free);

  f->now_ms += 1000;
  set_phase (f, id, KOERS_PHASE_ORIENTATION);
  first = last_change (f);
  s_first = stamp_of (first);
  expected = g_strdup_printf ("{\"phase\":\"%s\"}", s_insert);
  g_assert_cmpstr (first->bases, ==, expected);
  g_clear_pointer (&expected, g_free);
  g_clear_pointer (&stamps, g_free);
  stamps = koers_store_get_stamps (f->store, KOERS_ENTITY_CLIENT, id, &error);
  expected = g_strdup_printf ("{\"*\":\"%s\",\"phase\":\"%s\"}", s_insert, s_first);
  g_assert_cmpstr (stamps, ==, expected);

  /* two fields, one of them changed before */
  f->now_ms += 1000;
  client = koers_store_get_client (f->store, id, &error);
  client->phase = KOERS_PHASE_RETURN_SUPPORT;
  client->phone = g_strdup ("+31 6 1234");
  g_assert_true (koers_store_update_client (f->store, client, &error));
  second = last_change (f);
  s_second = stamp_of (second);
  g_clear_pointer (&value, g_free);
  value = json_get (second->bases, "$.phase");
  g_assert_cmpstr (value, ==, s_first);
  g_clear_pointer (&value, g_free);
  value = json_get (second->bases, "$.phone");
  g_assert_cmpstr (value, ==, s_insert);
  g_assert_cmpstr (s_second, >, s_first);
  g_assert_cmpstr (s_first, >, s_insert);

  /* the tombstone: the record's stamps; the record's row goes */
  g_assert_true (koers_store_delete_client (f->store, id, &error));
  g_assert_no_error (error);
  tomb = last_change (f);
  g_assert_cmpstr (tomb->op, ==, "delete");
  g_assert_cmpstr (tomb->entity_id, ==, id);
  g_clear_pointer (&value, g_free);
  value = json_get (tomb->bases, "$.\"*\"");
  g_assert_cmpstr (value, ==, s_insert);
  g_clear_pointer (&value, g_free);
  value = json_get (tomb->bases, "$.phase");
  g_assert_cmpstr (value, ==, s_second);
  /* its line in the payload: a base, no fields */
  {
    gint64 last;
    g_autoptr (GBytes) line = koers_store_sync_read_changes (f->store, tomb->seq - 1, CAP, &last,
                                                             NULL, &error);
    g_autofree char *text = g_strndup (g_bytes_get_data (line, NULL), g_bytes_get_size (line));
    g_autofree char *op = json_get (text, "$.op");
    g_autofree char *fields = json_get (text, "$.fields");
    g_autofree char *star = json_get (text, "$.base.\"*\"");

    g_assert_cmpint (last, ==, tomb->seq);
    g_assert_cmpstr (op, ==, "delete");
    g_assert_null (fields);
    g_assert_cmpstr (star, ==, s_insert);
  }
  g_clear_pointer (&stamps, g_free);
  stamps = koers_store_get_stamps (f->store, KOERS_ENTITY_CLIENT, id, &error);
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND);
  g_assert_null (stamps);
  g_clear_error (&error);
  /* the consent deleted with the file carries its insert stamp */
  g_assert_cmpint (store_fixture_count (f,
    "SELECT count(*) FROM change_log WHERE op = 'delete' AND json_extract (bases, '$.\"*\"') IS NULL"),
    ==, 0);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM record_stamp WHERE entity_id NOT IN"
    " (SELECT id FROM steunpunt UNION ALL SELECT id FROM worker)"), ==, 0);
}

/* A second laptop with a copy of the file: an edit on each from the same
 * base is concurrent (equal bases, different stamps); a later edit's base
 * is the stamp it follows. */
static void
test_two_stores (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = store_fixture_add_client (f, "محمد الهاشمي", FALSE);
  g_autofree char *copy = g_build_filename (f->dir, "other-laptop", NULL);
  g_autoptr (KoersVault) vault = NULL;
  g_autoptr (KoersStore) other = NULL;
  g_autoptr (KoersChange) ins = last_change (f);
  g_autofree char *s_insert = stamp_of (ins);
  g_autoptr (GBytes) lines_a = NULL;
  g_autoptr (GBytes) lines_b = NULL;
  g_autoptr (GPtrArray) log_b = NULL;
  g_autofree char *base_a = NULL;
  g_autofree char *base_b = NULL;
  g_autofree char *stamp_a = NULL;
  g_autofree char *stamp_b = NULL;
  g_autofree char *base_later = NULL;
  gint64 last;

  g_assert_true (koers_vault_backup (f->vault, copy, &error));
  g_assert_no_error (error);
  vault = koers_vault_open (copy, &error);
  g_assert_true (koers_vault_unlock (vault, "Tester", "pass", &error));
  /* the other laptop: its own device id (set before its store guards) */
  g_assert_cmpint (sqlite3_exec (koers_vault_get_db (vault),
    "UPDATE store_meta SET value = '01990000-0000-7000-8000-000000000002' WHERE key = 'device_id'",
    NULL, NULL, NULL), ==, SQLITE_OK);
  other = koers_store_new (koers_vault_get_db (vault), &error);
  g_assert_no_error (error);

  f->now_ms += 1000;
  set_phase (f, id, KOERS_PHASE_ORIENTATION);
  {
    g_autoptr (KoersClient) client = koers_store_get_client (other, id, &error);
    client->phase = KOERS_PHASE_MONITORING;
    g_assert_true (koers_store_update_client (other, client, &error));
    g_assert_no_error (error);
  }
  f->now_ms += 1000;
  set_phase (f, id, KOERS_PHASE_RETURN_SUPPORT);

  /* what each would send: the JSON Lines of the sync payload */
  lines_a = koers_store_sync_read_changes (f->store, ins->seq, CAP, &last, NULL, &error);
  g_assert_no_error (error);
  log_b = koers_store_list_changes (other, ins->seq, 0, &error);
  g_assert_cmpuint (log_b->len, ==, 1);
  lines_b = koers_store_sync_read_changes (other, ins->seq, CAP, &last, NULL, &error);
  {
    g_auto (GStrv) a = g_strsplit (g_bytes_get_data (lines_a, NULL), "\n", -1);
    g_autofree char *b = g_strndup (g_bytes_get_data (lines_b, NULL), g_bytes_get_size (lines_b));

    g_assert_cmpuint (g_strv_length (a), ==, 3);  /* two lines and the empty rest */
    base_a = json_get (a[0], "$.base.phase");
    stamp_a = json_get (a[0], "$.stamp");
    base_b = json_get (b, "$.base.phase");
    stamp_b = json_get (b, "$.stamp");
    base_later = json_get (a[1], "$.base.phase");
  }
  g_assert_cmpstr (base_a, ==, s_insert);
  g_assert_cmpstr (base_b, ==, s_insert);           /* the same base: concurrent */
  g_assert_cmpstr (stamp_a, !=, stamp_b);
  g_assert_true (g_str_has_suffix (stamp_b, "01990000-0000-7000-8000-000000000002"));
  g_assert_cmpstr (base_later, ==, stamp_a);        /* follows A's edit: later */

  g_clear_object (&other);
  koers_vault_lock (vault);
}

/* Cuts every change into sealed batches of at most @cap bytes of JSON
 * Lines (a larger change alone); the "sealed" bytes are the lines
 * themselves here, so the test can read them back. Returns the batches. */
static guint
cut_all (StoreFixture *f,
         gsize         cap,
         GString      *all)
{
  g_autoptr (GError) error = NULL;
  guint batches = 0;

  for (;;)
    {
      g_autoptr (GBytes) prev = NULL;
      g_autoptr (GBytes) lines = NULL;
      g_autoptr (GBytes) hash = NULL;
      gint64 epoch, first, last;
      guint n;

      g_assert_true (koers_store_sync_next_cut (f->store, &epoch, &first, &prev, &error));
      lines = koers_store_sync_read_changes (f->store, first - 1, cap, &last, &n, &error);
      g_assert_no_error (error);
      if (n == 0)
        return batches;
      g_assert_cmpint (last, >=, first);
      if (n > 1)
        g_assert_cmpuint (g_bytes_get_size (lines), <=, cap);
      hash = g_bytes_new_take (g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, lines), 64);
      g_assert_true (koers_store_sync_store_batch (f->store, epoch, first, last, lines, hash,
                                                   &error));
      g_assert_no_error (error);
      g_string_append_len (all, g_bytes_get_data (lines, NULL), g_bytes_get_size (lines));
      batches++;
    }
}

static GBytes *
batch_hash (KoersOutboxBatch *b)
{
  return g_bytes_ref (b->hash);
}

/* Caps: no change in two batches, none missing, a big one alone; the
 * stored bytes are what is sent again. */
static void
test_cut_with_caps (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = store_fixture_add_client (f, "فاطمه حسینی", TRUE);
  g_autofree char *big = g_strnfill (1000 * 1000, 'x');  /* notes hold 1 MiB at most */
  g_autofree char *huge = g_strnfill (10 * 1000 * 1000, 'y');
  g_autoptr (GString) all = g_string_new (NULL);
  g_autoptr (GBytes) everything = NULL;
  g_autoptr (GPtrArray) sealed = NULL;
  g_autoptr (KoersConversation) conv = koers_conversation_new ();
  gint64 last;
  guint batches;

  for (int i = 0; i < 200; i++)
    g_free (store_fixture_add_conversation (f, id, "Gesprek over terugkeer en documenten."));
  g_free (store_fixture_add_conversation (f, id, big));
  g_free (store_fixture_add_conversation (f, id, "Daarna nog een gesprek."));
  /* a 10 MB note is refused by the store, not cut */
  conv->client_id = g_strdup (id);
  conv->held_on = g_strdup ("2025-06-01");
  conv->notes = g_strdup (huge);
  g_assert_false (koers_store_add_conversation (f->store, conv, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID);
  g_clear_error (&error);

  batches = cut_all (f, 8 * 1024, all);
  everything = koers_store_sync_read_changes (f->store, 0, G_MAXSIZE, &last, NULL, &error);
  g_assert_cmpuint (batches, >, 3);
  g_assert_cmpuint (all->len, ==, g_bytes_get_size (everything));
  g_assert_true (memcmp (all->str, g_bytes_get_data (everything, NULL), all->len) == 0);

  sealed = koers_store_sync_list_batches (f->store, KOERS_BATCH_SEALED, &error);
  g_assert_cmpuint (sealed->len, ==, batches);
  for (guint i = 0; i < sealed->len; i++)
    {
      KoersOutboxBatch *b = sealed->pdata[i];
      gsize size = g_bytes_get_size (b->sealed);

      g_assert_cmpint (b->first_seq, ==, i == 0 ? 1 : ((KoersOutboxBatch *) sealed->pdata[i - 1])->last_seq + 1);
      g_assert_cmpstr (b->device_id, ==, koers_store_get_device_id (f->store));
      if (size > 8 * 1024)
        {
          /* the big note, alone */
          g_assert_cmpint (b->first_seq, ==, b->last_seq);
          g_assert_cmpuint (size, >, 1000 * 1000);
        }
    }
  g_assert_cmpint (((KoersOutboxBatch *) sealed->pdata[sealed->len - 1])->last_seq, ==, last);
  /* nothing is left to cut, and cutting again finds nothing */
  g_assert_cmpuint (cut_all (f, 8 * 1024, all), ==, 0);
}

/* The range is marked as cut with the batch: a change made while a batch
 * is sealed and uploaded goes into the next one; a batch that does not
 * continue the last one is refused. */
static void
test_change_during_upload (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) prev = NULL;
  g_autoptr (GBytes) lines = NULL;
  g_autoptr (GBytes) hash = g_bytes_new_static ("h1", 2);
  g_autoptr (GBytes) next = NULL;
  g_autofree char *id = store_fixture_add_client (f, "Yonas Haile", FALSE);
  g_autofree char *late_id = NULL;
  gint64 epoch, first, last, first2, epoch2, last2;
  guint n;

  g_assert_true (koers_store_sync_next_cut (f->store, &epoch, &first, &prev, &error));
  g_assert_null (prev);
  g_assert_cmpint (epoch, ==, 1);
  g_assert_cmpint (first, ==, 1);
  lines = koers_store_sync_read_changes (f->store, first - 1, CAP, &last, &n, &error);
  /* ... sealing and uploading: meanwhile a volunteer saves */
  late_id = store_fixture_add_client (f, "Selam Kidane", FALSE);
  g_assert_true (koers_store_sync_store_batch (f->store, epoch, first, last, lines, hash, &error));
  g_assert_no_error (error);

  g_clear_pointer (&prev, g_bytes_unref);
  g_assert_true (koers_store_sync_next_cut (f->store, &epoch2, &first2, &prev, &error));
  g_assert_cmpint (first2, ==, last + 1);
  g_assert_true (g_bytes_equal (prev, hash));   /* the chain */
  next = koers_store_sync_read_changes (f->store, first2 - 1, CAP, &last2, &n, &error);
  g_assert_cmpuint (n, ==, 1);
  g_assert_nonnull (strstr (g_bytes_get_data (next, NULL), late_id));

  /* the same range again, an overlap, a gap, another epoch, beyond the log */
  g_assert_false (koers_store_sync_store_batch (f->store, epoch, first, last, lines, hash, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (koers_store_sync_store_batch (f->store, epoch, last, last2, next, hash, &error));
  g_clear_error (&error);
  g_assert_false (koers_store_sync_store_batch (f->store, epoch, first2 + 1, last2, next, hash,
                                                &error));
  g_clear_error (&error);
  g_assert_false (koers_store_sync_store_batch (f->store, epoch + 1, first2, last2, next, hash,
                                                &error));
  g_clear_error (&error);
  g_assert_false (koers_store_sync_store_batch (f->store, epoch, first2, last2 + 1, next, hash,
                                                &error));
  g_clear_error (&error);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM sync_batch"), ==, 1);
  g_assert_true (koers_store_sync_store_batch (f->store, epoch, first2, last2, next, hash, &error));
  g_assert_no_error (error);
}

static void
upload_all (StoreFixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) sealed = koers_store_sync_list_batches (f->store, KOERS_BATCH_SEALED,
                                                                &error);

  for (guint i = 0; i < sealed->len; i++)
    {
      KoersOutboxBatch *b = sealed->pdata[i];
      g_assert_true (koers_store_sync_mark_uploaded (f->store, b->epoch, b->first_seq, &error));
      g_assert_no_error (error);
    }
}

static void
assert_counts (StoreFixture *f,
               gint64        unsealed,
               gint64        unacked,
               guint         sealed,
               guint         uploaded,
               guint         quarantined)
{
  g_autoptr (GError) error = NULL;
  g_auto (KoersSyncCounts) counts = { 0 };

  g_assert_true (koers_store_sync_get_counts (f->store, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts.unsealed_changes, ==, unsealed);
  g_assert_cmpint (counts.unacknowledged_changes, ==, unacked);
  g_assert_cmpuint (counts.sealed_batches, ==, sealed);
  g_assert_cmpuint (counts.uploaded_batches, ==, uploaded);
  g_assert_cmpuint (counts.quarantined_batches, ==, quarantined);
}

/* Acknowledgements: up to a batch with its hash; a bogus one changes
 * nothing; re-sending sends the stored bytes. */
static void
test_acknowledge (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) all = g_string_new (NULL);
  g_autoptr (GPtrArray) batches = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (GBytes) wrong = g_bytes_new_static ("not the hash", 12);
  g_autoptr (GBytes) hash = NULL;
  gint64 total;
  KoersOutboxBatch *second;
  guint n = 99;

  for (int i = 0; i < 40; i++)
    g_free (store_fixture_add_client (f, "Abrehet Tekle", FALSE));
  total = koers_store_count_changes (f->store, 0, &error);
  assert_counts (f, total, total, 0, 0, 0);
  g_assert_cmpuint (cut_all (f, 4096, all), >=, 3);
  batches = koers_store_sync_list_batches (f->store, KOERS_BATCH_SEALED, &error);
  assert_counts (f, 0, total, batches->len, 0, 0);
  upload_all (f);
  assert_counts (f, 0, total, 0, batches->len, 0);
  /* uploading twice is refused: it is on the drop already */
  g_assert_false (koers_store_sync_mark_uploaded (f->store, 1, 1, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* re-sending: the identical bytes */
  again = koers_store_sync_list_batches (f->store, KOERS_BATCH_UPLOADED, &error);
  for (guint i = 0; i < again->len; i++)
    g_assert_true (g_bytes_equal (((KoersOutboxBatch *) again->pdata[i])->sealed,
                                  ((KoersOutboxBatch *) batches->pdata[i])->sealed));

  second = batches->pdata[1];
  hash = batch_hash (second);
  /* bogus: a seq that ends no batch, a wrong hash, an epoch never begun */
  g_assert_false (koers_store_sync_apply_ack (f->store, 1, second->last_seq - 1, hash, &n, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID);
  g_assert_cmpuint (n, ==, 0);
  g_clear_error (&error);
  g_assert_false (koers_store_sync_apply_ack (f->store, 1, second->last_seq, wrong, NULL, &error));
  g_clear_error (&error);
  g_assert_false (koers_store_sync_apply_ack (f->store, 2, second->last_seq, hash, NULL, &error));
  g_clear_error (&error);
  g_assert_false (koers_store_sync_apply_ack (f->store, 1, total + 50, hash, NULL, &error));
  g_clear_error (&error);
  assert_counts (f, 0, total, 0, batches->len, 0);

  g_assert_true (koers_store_sync_apply_ack (f->store, 1, second->last_seq, hash, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  assert_counts (f, 0, total - second->last_seq, 0, batches->len - 2, 0);
  g_assert_cmpint (store_fixture_count (f,
    "SELECT count(*) FROM sync_batch WHERE state = 'acknowledged' AND sealed IS NULL"), ==, 2);
  /* the same ack again: harmless */
  g_assert_true (koers_store_sync_apply_ack (f->store, 1, second->last_seq, hash, &n, &error));
  g_assert_cmpuint (n, ==, 0);

  /* a round's result */
  g_assert_true (koers_store_sync_record_round (f->store, "The server is not reachable.", &error));
  {
    g_auto (KoersSyncCounts) counts = { 0 };
    g_assert_true (koers_store_sync_get_counts (f->store, &counts, &error));
    g_assert_cmpstr (counts.last_error, ==, "The server is not reachable.");
    g_assert_cmpint (counts.last_error_ms, ==, f->now_ms);
    g_assert_cmpint (counts.last_success_ms, ==, 0);
  }
  f->now_ms += 60000;
  g_assert_true (koers_store_sync_record_round (f->store, NULL, &error));
  {
    g_auto (KoersSyncCounts) counts = { 0 };
    g_assert_true (koers_store_sync_get_counts (f->store, &counts, &error));
    g_assert_null (counts.last_error);
    g_assert_cmpint (counts.last_success_ms, ==, f->now_ms);
  }
}

/* A quarantined batch is held with its reason; later ones still go. */
static void
test_quarantine (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) all = g_string_new (NULL);
  g_autoptr (GPtrArray) batches = NULL;
  g_autoptr (GPtrArray) held = NULL;
  g_autoptr (GPtrArray) waiting = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  KoersDelivery states[2];
  KoersOutboxBatch *first;

  for (int i = 0; i < 30; i++)
    g_ptr_array_add (ids, store_fixture_add_client (f, "Hamid Karimi", FALSE));
  cut_all (f, 4096, all);
  batches = koers_store_sync_list_batches (f->store, KOERS_BATCH_SEALED, &error);
  first = batches->pdata[0];
  g_assert_true (koers_store_sync_quarantine (f->store, first->epoch, first->first_seq,
                                              "Another file with this name is on the server.",
                                              &error));
  g_assert_no_error (error);
  held = koers_store_sync_list_batches (f->store, KOERS_BATCH_QUARANTINED, &error);
  g_assert_cmpuint (held->len, ==, 1);
  g_assert_cmpstr (((KoersOutboxBatch *) held->pdata[0])->reason, ==,
                   "Another file with this name is on the server.");
  g_assert_true (g_bytes_equal (((KoersOutboxBatch *) held->pdata[0])->sealed, first->sealed));
  waiting = koers_store_sync_list_batches (f->store, KOERS_BATCH_SEALED, &error);
  g_assert_cmpuint (waiting->len, ==, batches->len - 1);
  g_assert_false (koers_store_sync_mark_uploaded (f->store, first->epoch, first->first_seq, &error));
  g_clear_error (&error);
  upload_all (f);
  assert_counts (f, 0, koers_store_count_changes (f->store, 0, NULL), 0, batches->len - 1, 1);
  /* the first file's insert is held back; the last one's is on the drop */
  {
    const char *two[] = { ids->pdata[0], ids->pdata[ids->len - 1], NULL };
    g_assert_true (koers_store_sync_client_states (f->store, two, states, &error));
    g_assert_cmpint (states[0], ==, KOERS_DELIVERY_NOT_SENT);
    g_assert_cmpint (states[1], ==, KOERS_DELIVERY_UPLOADED);
  }
  g_assert_false (koers_store_sync_quarantine (f->store, 7, 1, "x", &error));
  g_clear_error (&error);
}

/* Each client's delivery, in one query for a list. */
static void
test_client_delivery (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) all = g_string_new (NULL);
  g_autoptr (GPtrArray) uploaded = NULL;
  g_autofree char *a = store_fixture_add_client (f, "ኣብርሀት ሕወት", TRUE);
  g_autofree char *b = store_fixture_add_client (f, "Olga Shevchenko", FALSE);
  g_autofree char *c = NULL;
  const char *ids[4] = { a, b, "01990000-0000-7000-8000-00000000dead", NULL };
  KoersDelivery states[3];
  KoersDelivery one;
  KoersOutboxBatch *last;

  g_assert_true (koers_store_sync_client_states (f->store, ids, states, &error));
  g_assert_cmpint (states[0], ==, KOERS_DELIVERY_NOT_SENT);
  g_assert_cmpint (states[1], ==, KOERS_DELIVERY_NOT_SENT);
  g_assert_cmpint (states[2], ==, KOERS_DELIVERY_ACKNOWLEDGED);  /* nothing of it waits */

  cut_all (f, CAP, all);
  g_assert_true (koers_store_sync_client_state (f->store, a, &one, &error));
  g_assert_cmpint (one, ==, KOERS_DELIVERY_NOT_SENT);           /* sealed, not on the drop */
  upload_all (f);
  g_assert_true (koers_store_sync_client_states (f->store, ids, states, &error));
  g_assert_cmpint (states[0], ==, KOERS_DELIVERY_UPLOADED);
  g_assert_cmpint (states[1], ==, KOERS_DELIVERY_UPLOADED);

  uploaded = koers_store_sync_list_batches (f->store, KOERS_BATCH_UPLOADED, &error);
  last = uploaded->pdata[uploaded->len - 1];
  g_assert_true (koers_store_sync_apply_ack (f->store, last->epoch, last->last_seq, last->hash,
                                             NULL, &error));
  g_assert_true (koers_store_sync_client_states (f->store, ids, states, &error));
  g_assert_cmpint (states[0], ==, KOERS_DELIVERY_ACKNOWLEDGED);
  g_assert_cmpint (states[1], ==, KOERS_DELIVERY_ACKNOWLEDGED);

  /* a new change to one file; another file made meanwhile */
  set_phase (f, b, KOERS_PHASE_ORIENTATION);
  c = store_fixture_add_client (f, "Reza Rahimi", FALSE);
  g_assert_true (koers_store_sync_client_states (f->store, ids, states, &error));
  g_assert_cmpint (states[0], ==, KOERS_DELIVERY_ACKNOWLEDGED);
  g_assert_cmpint (states[1], ==, KOERS_DELIVERY_NOT_SENT);
  g_assert_true (koers_store_sync_client_state (f->store, c, &one, &error));
  g_assert_cmpint (one, ==, KOERS_DELIVERY_NOT_SENT);
  assert_counts (f, 2, 2, 0, 0, 0);
}

/* The "seq" of every line of @jsonl, in order, checked to run from @first
 * without a gap; returns the last. */
static gint64
assert_lines_numbered (const char *jsonl,
                       gint64      first)
{
  g_auto (GStrv) lines = g_strsplit (jsonl, "\n", -1);
  gint64 expected = first;

  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_autofree char *seq = json_get (lines[i], "$.seq");

      g_assert_cmpint (g_ascii_strtoll (seq, NULL, 10), ==, expected);
      expected++;
    }
  return expected - 1;
}

/* Issue 12: a laptop merges another device's changes between two of its
 * own edits. Its batches number only its own changes, 1, 2, 3… without a
 * gap (the envelope, the chain and the acks count them so); the merged
 * ones are in none of them, count nowhere as waiting, and a file that
 * only came in by the merge has nothing to deliver. */
static void
test_cut_after_merge (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  StoreFixture other;
  g_autofree char *own = store_fixture_add_client (f, "Tesfay Gebremedhin", TRUE);
  g_autofree char *theirs = NULL;
  g_autofree char *own_later = NULL;
  g_autofree char *device = NULL;
  g_autoptr (GBytes) lines = NULL;
  g_autoptr (GPtrArray) sealed = NULL;
  g_autoptr (GString) all = g_string_new (NULL);
  KoersMergeStats stats = { 0 };
  gint64 own_before, own_total, last, next = 1;
  const char *ids[3] = { NULL, NULL, NULL };
  KoersDelivery states[2];

  store_fixture_setup (&other, NULL);
  device = g_strdup (koers_store_get_device_id (other.store));
  g_assert_cmpstr (device, !=, koers_store_get_device_id (f->store));
  theirs = store_fixture_add_client (&other, "Marzieh Karimi", TRUE);
  g_free (store_fixture_add_conversation (&other, theirs, "Gesprek op het andere spreekuur"));
  lines = koers_store_sync_read_changes (other.store, 0, G_MAXSIZE, &last, NULL, &error);
  g_assert_no_error (error);

  own_before = store_fixture_count (f, "SELECT count(*) FROM change_log");
  g_assert_true (koers_store_merge_changes (f->store, lines, device, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM change_log"), >, own_before);
  set_phase (f, own, KOERS_PHASE_ORIENTATION);
  own_later = store_fixture_add_client (f, "Nadia Haidari", FALSE);
  own_total = store_fixture_count (f, "SELECT count(*) FROM change_log WHERE origin IS NULL");
  /* the merged changes took seqs between the laptop's own */
  g_assert_cmpint (store_fixture_count (f, "SELECT max (seq) FROM change_log"), >, own_total);
  assert_counts (f, own_total, own_total, 0, 0, 0);

  /* small batches, so that several follow each other across the merge */
  while (TRUE)
    {
      g_autoptr (GBytes) prev = NULL;
      g_autoptr (GBytes) batch = NULL;
      g_autoptr (GBytes) hash = NULL;
      g_autofree char *text = NULL;
      gint64 epoch, first;
      guint n;

      g_assert_true (koers_store_sync_next_cut (f->store, &epoch, &first, &prev, &error));
      g_assert_cmpint (first, ==, next);
      batch = koers_store_sync_read_changes (f->store, first - 1, 600, &last, &n, &error);
      g_assert_no_error (error);
      if (n == 0)
        break;
      text = g_strndup (g_bytes_get_data (batch, NULL), g_bytes_get_size (batch));
      g_assert_cmpint (assert_lines_numbered (text, first), ==, last);
      g_assert_null (strstr (text, device));  /* nothing merged goes out again */
      g_assert_null (strstr (text, "Marzieh"));
      hash = g_bytes_new_take (g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, batch), 64);
      g_assert_true (koers_store_sync_store_batch (f->store, epoch, first, last, batch, hash,
                                                   &error));
      g_assert_no_error (error);
      g_string_append (all, text);
      next = last + 1;
    }
  g_assert_cmpint (next - 1, ==, own_total);
  g_assert_cmpint (assert_lines_numbered (all->str, 1), ==, own_total);
  assert_counts (f, 0, own_total, (guint) store_fixture_count (f, "SELECT count(*) FROM sync_batch"),
                 0, 0);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM sync_batch"), >=, 3);

  /* delivery: the merged file has nothing of this laptop's to deliver */
  ids[0] = theirs;
  ids[1] = own;
  upload_all (f);
  g_assert_true (koers_store_sync_client_states (f->store, ids, states, &error));
  g_assert_no_error (error);
  g_assert_cmpint (states[0], ==, KOERS_DELIVERY_ACKNOWLEDGED);
  g_assert_cmpint (states[1], ==, KOERS_DELIVERY_UPLOADED);
  sealed = koers_store_sync_list_batches (f->store, KOERS_BATCH_UPLOADED, &error);
  {
    KoersOutboxBatch *b = sealed->pdata[sealed->len - 1];
    guint n_acked = 0;

    g_assert_cmpint (b->last_seq, ==, own_total);
    g_assert_true (koers_store_sync_apply_ack (f->store, b->epoch, b->last_seq, b->hash, &n_acked,
                                               &error));
    g_assert_no_error (error);
    g_assert_cmpuint (n_acked, ==, sealed->len);
  }
  assert_counts (f, 0, 0, 0, 0, 0);
  g_assert_true (koers_store_sync_client_states (f->store, ids, states, &error));
  g_assert_cmpint (states[1], ==, KOERS_DELIVERY_ACKNOWLEDGED);

  /* another merge changes none of the counts; the next own change is next */
  g_assert_true (koers_store_merge_changes (f->store, lines, device, &stats, &error));
  set_phase (f, own_later, KOERS_PHASE_ORIENTATION);
  assert_counts (f, 1, 1, 0, 0, 0);
  g_assert_cmpint (store_fixture_count (f, "SELECT max (device_seq) FROM change_log"), ==,
                   own_total + 1);
  store_fixture_teardown (&other, NULL);
}

/* A vault restored from an older backup: what the drop or the ack knows
 * is more than it sealed, so it starts a new epoch and cuts again from the
 * first change not acknowledged: no fork. */
static void
test_restore_epoch (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) all = g_string_new (NULL);
  g_autofree char *backup = g_build_filename (f->dir, "backup", NULL);
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GPtrArray) acked = NULL;
  g_autoptr (GBytes) other = g_bytes_new_static ("another hash", 12);
  g_autoptr (GBytes) prev = NULL;
  KoersOutboxBatch *b1, *b_last;

  gboolean started = TRUE;
  gint64 epoch, first;

  for (int i = 0; i < 10; i++)
    g_free (store_fixture_add_client (f, "Zahra Mohammadi", FALSE));
  cut_all (f, 2048, all);
  upload_all (f);
  before = koers_store_sync_list_batches (f->store, KOERS_BATCH_UPLOADED, &error);
  b1 = before->pdata[0];
  g_assert_true (koers_store_sync_apply_ack (f->store, 1, b1->last_seq, b1->hash, NULL, &error));
  g_assert_true (koers_vault_backup (f->vault, backup, &error));
  g_assert_no_error (error);

  /* the laptop goes on after the backup: more batches, acknowledged */
  for (int i = 0; i < 10; i++)
    g_free (store_fixture_add_client (f, "Khalid Osman", FALSE));
  cut_all (f, 2048, all);
  upload_all (f);
  after = koers_store_sync_list_batches (f->store, KOERS_BATCH_UPLOADED, &error);
  b_last = after->pdata[after->len - 1];
  g_assert_true (koers_store_sync_apply_ack (f->store, 1, b_last->last_seq, b_last->hash, NULL,
                                             &error));
  /* what it knows itself is no restore */
  g_assert_true (koers_store_sync_check_restore (f->store, 1, b_last->last_seq, b_last->hash,
                                                 &started, &error));
  g_assert_false (started);

  /* the disk dies; the backup comes back */
  g_clear_object (&f->store);
  koers_vault_lock (f->vault);
  g_clear_object (&f->vault);
  f->vault = koers_vault_open (backup, &error);
  g_assert_true (koers_vault_unlock (f->vault, "Tester", "pass", &error));
  f->store = koers_store_new (koers_vault_get_db (f->vault), &error);
  g_assert_no_error (error);
  g_assert_cmpint (koers_store_sync_get_epoch (f->store), ==, 1);

  /* what it sealed itself, known by the drop: still no restore */
  g_assert_true (koers_store_sync_check_restore (f->store, 1, b1->last_seq, b1->hash, &started,
                                                 &error));
  g_assert_false (started);
  /* an earlier epoch tells nothing */
  g_assert_true (koers_store_sync_check_restore (f->store, 0, 999, other, &started, &error));
  g_assert_false (started);
  /* the ack of the lost batches is refused by the ack rule ... */
  g_assert_false (koers_store_sync_apply_ack (f->store, 1, b_last->last_seq, b_last->hash, NULL,
                                              &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID);
  g_clear_error (&error);
  /* ... and tells the restore rule that the office knows more */
  g_assert_true (koers_store_sync_check_restore (f->store, 1, b_last->last_seq, b_last->hash,
                                                 &started, &error));
  g_assert_no_error (error);
  g_assert_true (started);
  g_assert_cmpint (koers_store_sync_get_epoch (f->store), ==, 2);
  g_assert_cmpint (store_fixture_count (f,
    "SELECT count(*) FROM sync_epoch WHERE epoch = 2 AND reason = 'restored'"), ==, 1);

  /* the new epoch starts after the acknowledged batch, chained to it;
   * the unacknowledged batches of the old one are cut again */
  g_assert_true (koers_store_sync_next_cut (f->store, &epoch, &first, &prev, &error));
  g_assert_cmpint (epoch, ==, 2);
  g_assert_cmpint (first, ==, b1->last_seq + 1);
  g_assert_true (g_bytes_equal (prev, b1->hash));
  g_assert_cmpint (store_fixture_count (f,
    "SELECT count(*) FROM sync_batch WHERE state != 'acknowledged'"), ==, 0);
  g_free (store_fixture_add_client (f, "Ali Bashir", FALSE));
  g_string_truncate (all, 0);
  cut_all (f, 2048, all);
  acked = koers_store_sync_list_batches (f->store, KOERS_BATCH_SEALED, &error);
  for (guint i = 0; i < acked->len; i++)
    g_assert_cmpint (((KoersOutboxBatch *) acked->pdata[i])->epoch, ==, 2);
  assert_counts (f, 0, koers_store_count_changes (f->store, b1->last_seq, NULL), acked->len, 0, 0);
  /* an ack of the old epoch now changes nothing */
  g_assert_true (koers_store_sync_apply_ack (f->store, 1, b_last->last_seq, b_last->hash, NULL,
                                             &error));
  g_assert_no_error (error);

  /* the same seq with another hash in this epoch: restored again */
  {
    KoersOutboxBatch *mine = acked->pdata[0];
    g_assert_true (koers_store_sync_check_restore (f->store, 2, mine->last_seq, other, &started,
                                                   &error));
    g_assert_true (started);
    g_assert_cmpint (koers_store_sync_get_epoch (f->store), ==, 3);
  }
  /* a later epoch on the drop: the next one after it */
  g_assert_true (koers_store_sync_check_restore (f->store, 7, 1, other, &started, &error));
  g_assert_true (started);
  g_assert_cmpint (koers_store_sync_get_epoch (f->store), ==, 8);

  store_fixture_reopen (f);
  g_assert_cmpint (koers_store_sync_get_epoch (f->store), ==, 8);
}

/* Settings and secrets: bytes in, bytes out, only through the store. */
static void
test_settings (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  static const guint8 secret[] = { 0x00, 0xff, 0x10, 0x00, 0x7f, 0x80 };
  g_autoptr (GBytes) key = g_bytes_new_static (secret, sizeof secret);
  g_autoptr (GBytes) url = g_bytes_new_static ("https://drop.example/dav/", 25);
  g_autoptr (GBytes) got = NULL;
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);

  got = koers_store_sync_get_setting (f->store, "device-secret-key", &error);
  g_assert_no_error (error);
  g_assert_null (got);
  g_assert_true (koers_store_sync_set_setting (f->store, "device-secret-key", key, &error));
  g_assert_true (koers_store_sync_set_setting (f->store, "drop-url", url, &error));
  g_assert_true (koers_store_sync_set_setting (f->store, "empty", empty, &error));
  store_fixture_reopen (f);
  got = koers_store_sync_get_setting (f->store, "device-secret-key", &error);
  g_assert_true (g_bytes_equal (got, key));
  g_clear_pointer (&got, g_bytes_unref);
  got = koers_store_sync_get_setting (f->store, "empty", &error);
  g_assert_nonnull (got);
  g_assert_cmpuint (g_bytes_get_size (got), ==, 0);
  g_clear_pointer (&got, g_bytes_unref);
  g_assert_true (koers_store_sync_set_setting (f->store, "device-secret-key", NULL, &error));
  got = koers_store_sync_get_setting (f->store, "device-secret-key", &error);
  g_assert_null (got);
  g_assert_no_error (error);
  /* nobody else writes them: the store's guard */
  g_assert_cmpint (sqlite3_exec (koers_store_get_db (f->store),
                                 "UPDATE sync_setting SET value = x'00'", NULL, NULL, NULL), ==,
                   SQLITE_AUTH);
  g_assert_cmpint (sqlite3_exec (koers_store_get_db (f->store),
                                 "DELETE FROM sync_batch", NULL, NULL, NULL), ==, SQLITE_AUTH);
  g_assert_cmpint (sqlite3_exec (koers_store_get_db (f->store),
                                 "DELETE FROM record_stamp", NULL, NULL, NULL), ==, SQLITE_AUTH);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/store/sync/stamps-and-bases", test_stamps_and_bases);
  ADD ("/store/sync/two-stores", test_two_stores);
  ADD ("/store/sync/cut-with-caps", test_cut_with_caps);
  ADD ("/store/sync/change-during-upload", test_change_during_upload);
  ADD ("/store/sync/acknowledge", test_acknowledge);
  ADD ("/store/sync/quarantine", test_quarantine);
  ADD ("/store/sync/client-delivery", test_client_delivery);
  ADD ("/store/sync/restore-epoch", test_restore_epoch);
  ADD ("/store/sync/cut-after-merge", test_cut_after_merge);
  ADD ("/store/sync/settings", test_settings);
  return g_test_run ();
}
