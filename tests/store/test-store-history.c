/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The change log (every change, HLC order), the audit, the write guard,
 * ids, and that no personal data reaches the log output. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include "koers-hlc.h"
#include "koers-uuid.h"
#include "store-fixture.h"

static GString *log_output;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      g_string_append_printf (log_output, "%s\n", (const char *) fields[i].value);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_default (level, fields, n_fields, data);
  return G_LOG_WRITER_HANDLED;
}

static gint64
changes (StoreFixture *f)
{
  return store_fixture_count (f, "SELECT count(*) FROM change_log");
}

static void
test_every_change_logged (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) log = NULL;
  g_autofree char *client_id = NULL;
  g_autofree char *conv_id = NULL;
  g_autoptr (KoersClient) client = NULL;
  gint64 before = changes (f);
  KoersChange *last;

  client_id = store_fixture_add_client (f, "Amina Yusuf", TRUE);   /* client + consent */
  g_assert_cmpint (changes (f), ==, before + 2);
  conv_id = store_fixture_add_conversation (f, client_id, "Gesprek over terugkeer");
  g_assert_cmpint (changes (f), ==, before + 3);

  client = koers_store_get_client (f->store, client_id, NULL);
  client->phone = g_strdup ("0611111111");
  g_assert_true (koers_store_update_client (f->store, client, &error));
  g_assert_cmpint (changes (f), ==, before + 4);
  log = koers_store_list_changes (f->store, before + 3, 0, &error);
  g_assert_cmpuint (log->len, ==, 1);
  last = log->pdata[0];
  g_assert_cmpstr (last->op, ==, "update");
  g_assert_cmpstr (last->entity, ==, "client");
  g_assert_cmpstr (last->entity_id, ==, client_id);
  g_assert_cmpstr (last->fields, ==, "{\"phone\":\"0611111111\"}");
  g_assert_cmpstr (last->device_id, ==, koers_store_get_device_id (f->store));
  g_assert_cmpstr (last->worker_id, ==, f->volunteer_id);

  /* a failed write leaves no trace */
  client->birth_date = g_strdup ("2099-01-01");
  g_assert_false (koers_store_update_client (f->store, client, &error));
  g_clear_error (&error);
  g_assert_cmpint (changes (f), ==, before + 4);

  /* a rolled-back transaction neither */
  g_assert_true (koers_store_begin (f->store, &error));
  g_free (store_fixture_add_conversation (f, client_id, "wordt teruggedraaid"));
  koers_store_rollback (f->store);
  g_assert_cmpint (changes (f), ==, before + 4);

  /* deleting the file: a tombstone for the conversation, the consent and
   * the client, without values */
  g_assert_true (koers_store_delete_client (f->store, client_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (changes (f), ==, before + 7);
  g_clear_pointer (&log, g_ptr_array_unref);
  log = koers_store_list_changes (f->store, before + 4, 0, &error);
  for (guint i = 0; i < log->len; i++)
    {
      KoersChange *c = log->pdata[i];
      g_assert_cmpstr (c->op, ==, "delete");
      g_assert_null (c->fields);
    }
  g_assert_cmpstr (((KoersChange *) log->pdata[2])->entity_id, ==, client_id);

  /* Every row of every entity table has an insert in the log. */
  g_assert_cmpint (store_fixture_count (f,
    "SELECT count(*) FROM (SELECT id FROM steunpunt UNION ALL SELECT id FROM worker"
    " UNION ALL SELECT id FROM client UNION ALL SELECT id FROM conversation)"
    " WHERE id NOT IN (SELECT entity_id FROM change_log WHERE op = 'insert')"), ==, 0);
}

static void
count_signal (guint *n)
{
  (*n)++;
}

/* The count the sync status shows, and the signal that tells it to
 * count again: once per outermost commit, never for a rollback. */
static void
test_count_changes (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *client_id = NULL;
  gint64 before = changes (f);
  guint n_changed = 0;

  g_assert_cmpint (koers_store_count_changes (f->store, 0, &error), ==, before);
  g_assert_no_error (error);
  g_signal_connect_swapped (f->store, "changed", G_CALLBACK (count_signal), &n_changed);

  client_id = store_fixture_add_client (f, "Amina Yusuf", TRUE);   /* client + consent */
  g_assert_cmpint (koers_store_count_changes (f->store, 0, &error), ==, before + 2);
  g_assert_cmpint (koers_store_count_changes (f->store, before + 1, &error), ==, 1);
  g_assert_cmpint (koers_store_count_changes (f->store, before + 2, &error), ==, 0);
  g_assert_cmpuint (n_changed, >=, 1);

  /* A nested transaction tells once, at the outermost commit. */
  n_changed = 0;
  g_assert_true (koers_store_begin (f->store, &error));
  g_free (store_fixture_add_conversation (f, client_id, "eerste"));
  g_free (store_fixture_add_conversation (f, client_id, "tweede"));
  g_assert_cmpuint (n_changed, ==, 0);
  g_assert_true (koers_store_commit (f->store, &error));
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_cmpint (koers_store_count_changes (f->store, 0, &error), ==, before + 4);

  n_changed = 0;
  g_assert_true (koers_store_begin (f->store, &error));
  g_free (store_fixture_add_conversation (f, client_id, "wordt teruggedraaid"));
  koers_store_rollback (f->store);
  g_assert_cmpuint (n_changed, ==, 0);
  g_assert_cmpint (koers_store_count_changes (f->store, 0, &error), ==, before + 4);
  g_assert_no_error (error);

  /* The rolled-back sequence number is given out again: no gap, so the
   * count (max seq minus the sent one) stays the number of rows. */
  g_free (store_fixture_add_conversation (f, client_id, "na het terugdraaien"));
  g_assert_cmpint (koers_store_count_changes (f->store, 0, &error), ==, before + 5);
  g_assert_cmpint (changes (f), ==, before + 5);
}

static void
test_write_guard (StoreFixture *f, gconstpointer data)
{
  static const char *const attempts[] = {
    "INSERT INTO client (id, name, phase) VALUES ('x', 'y', 'intake')",
    "UPDATE worker SET name = 'z'",
    "DELETE FROM change_log",
    "UPDATE audit SET action = 'open'",
    "DELETE FROM search",
    "DROP TRIGGER conversation_notes_append_only",
    "DROP TABLE change_log",
    NULL,
  };
  sqlite3 *db = koers_store_get_db (f->store);
  gint64 before = changes (f);

  for (guint i = 0; attempts[i] != NULL; i++)
    {
      g_test_message ("%s", attempts[i]);
      g_assert_cmpint (sqlite3_exec (db, attempts[i], NULL, NULL, NULL), ==, SQLITE_AUTH);
    }
  g_assert_cmpint (changes (f), ==, before);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM worker WHERE name = 'z'"), ==, 0);
}

/* The vault's own work on the connection is not stopped by the store's
 * guard: verify and backup with the store open, a VACUUM (which copies
 * through another schema), and a rekey, which closes the connection, so
 * the store is dropped first and made again on the new one. */
static void
test_vault_operations (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = store_fixture_add_client (f, "Rekey Proef", TRUE);
  g_autofree char *backup = g_build_filename (f->dir, "backup", NULL);
  char *recovery = NULL;
  char **dropped = NULL;
  gboolean ok;

  ok = koers_vault_verify (f->vault, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  ok = koers_vault_backup (f->vault, backup, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (sqlite3_exec (koers_store_get_db (f->store), "VACUUM", NULL, NULL, NULL), ==,
                   SQLITE_OK);

  g_clear_object (&f->store);
  ok = koers_vault_rekey (f->vault, &recovery, &dropped, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  koers_vault_free_secret (recovery);
  g_strfreev (dropped);
  f->store = koers_store_new (koers_vault_get_db (f->vault), &error);
  g_assert_no_error (error);
  {
    g_autoptr (KoersClient) client = koers_store_get_client (f->store, id, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (client->name, ==, "Rekey Proef");
  }
  g_assert_true (koers_store_delete_client (f->store, id, &error));
  g_assert_no_error (error);
}

static gint64
clock_at (StoreFixture *f, gint64 ms)
{
  f->now_ms = ms;
  return ms;
}

static void
test_hlc_order (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) log = NULL;
  KoersHlcStamp previous = 0;

  /* the wall clock jumps back an hour, stands still, then jumps ahead */
  clock_at (f, FIXTURE_START_MS + 1000);
  g_free (store_fixture_add_client (f, "Een", FALSE));
  clock_at (f, FIXTURE_START_MS - 3600 * 1000);
  g_free (store_fixture_add_client (f, "Twee", FALSE));
  g_free (store_fixture_add_client (f, "Drie", FALSE));
  store_fixture_reopen (f);            /* the clock survives a restart */
  g_free (store_fixture_add_client (f, "Vier", FALSE));
  clock_at (f, FIXTURE_START_MS + 5000);
  g_free (store_fixture_add_client (f, "Vijf", FALSE));

  log = koers_store_list_changes (f->store, 0, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, >=, 8);
  for (guint i = 0; i < log->len; i++)
    {
      KoersChange *c = log->pdata[i];
      g_assert_cmpuint (c->hlc, >, previous);
      previous = c->hlc;
    }
  /* while the wall clock was behind, the counter carried the order */
  g_assert_cmpint (KOERS_HLC_WALL_MS (((KoersChange *) log->pdata[log->len - 2])->hlc), ==,
                   FIXTURE_START_MS + 1000);
  g_assert_cmpuint (KOERS_HLC_COUNTER (((KoersChange *) log->pdata[log->len - 2])->hlc), ==, 3);
  g_assert_cmpint (KOERS_HLC_WALL_MS (previous), ==, FIXTURE_START_MS + 5000);
  g_assert_cmpuint (KOERS_HLC_COUNTER (previous), ==, 0);

  /* a stamp from a device ahead of us moves our clock past it */
  g_assert_true (koers_store_receive_hlc (f->store, koers_hlc_pack (FIXTURE_START_MS + 60000, 7),
                                          &error));
  g_free (store_fixture_add_client (f, "Zes", FALSE));
  g_assert_cmpuint (koers_store_get_hlc (f->store), ==, koers_hlc_pack (FIXTURE_START_MS + 60000, 9));
}

static void
test_hlc_unit (void)
{
  KoersHlc hlc = { 0 };

  g_assert_cmpuint (koers_hlc_tick (&hlc, 100), ==, koers_hlc_pack (100, 0));
  g_assert_cmpuint (koers_hlc_tick (&hlc, 100), ==, koers_hlc_pack (100, 1));
  g_assert_cmpuint (koers_hlc_tick (&hlc, 50), ==, koers_hlc_pack (100, 2));
  g_assert_cmpuint (koers_hlc_tick (&hlc, 101), ==, koers_hlc_pack (101, 0));
  g_assert_cmpuint (koers_hlc_receive (&hlc, koers_hlc_pack (500, 4), 200), ==,
                    koers_hlc_pack (500, 5));
  g_assert_cmpuint (koers_hlc_receive (&hlc, koers_hlc_pack (10, 4), 600), ==,
                    koers_hlc_pack (600, 0));
  /* a full counter rolls into the next millisecond, never backwards */
  hlc.last = koers_hlc_pack (700, 0xffff);
  g_assert_cmpuint (koers_hlc_tick (&hlc, 700), ==, koers_hlc_pack (701, 0));
}

static void
test_uuid7 (void)
{
  g_autofree char *previous = NULL;

  for (guint i = 0; i < 20000; i++)
    {
      char *id = koers_uuid7_new (FIXTURE_START_MS + i / 1000);
      g_assert_true (koers_uuid_is_valid (id));
      g_assert_cmpint (id[14], ==, '7');
      g_assert_true (strchr ("89ab", id[19]) != NULL);
      if (previous != NULL)
        g_assert_cmpstr (previous, <, id);
      g_free (previous);
      previous = id;
    }
  g_assert_false (koers_uuid_is_valid ("0190A8C2-0000-7000-8000-000000000000"));
  g_assert_false (koers_uuid_is_valid ("not an id"));
}

static void
test_audit (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = store_fixture_add_client (f, "Samira Haddad", TRUE);
  g_autoptr (KoersClient) client = koers_store_open_file (f->store, id, &error);
  g_autofree char *json = NULL;
  g_autoptr (GPtrArray) audit = NULL;
  static const char *const expected[] = { "create", "change", "open", "change", "export", "delete" };

  g_assert_nonnull (client);
  koers_store_set_current_worker (f->store, f->counsellor_id);
  client->phase = KOERS_PHASE_ORIENTATION;
  g_assert_true (koers_store_update_client (f->store, client, &error));
  json = koers_store_export_client_json (f->store, id, &error);
  g_assert_nonnull (json);
  g_assert_true (koers_store_delete_client (f->store, id, &error));   /* tombstones: consent, client */

  audit = koers_store_list_audit (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (audit->len, ==, G_N_ELEMENTS (expected) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      KoersAuditEntry *e = audit->pdata[i == 5 ? 6 : i];
      g_assert_cmpstr (e->action, ==, expected[i]);
      g_assert_cmpstr (e->worker_id, ==, i < 3 ? f->volunteer_id : f->counsellor_id);
      g_assert_cmpint (e->at_ms, ==, FIXTURE_START_MS);
    }
  /* never content */
  g_assert_cmpint (store_fixture_count (f,
    "SELECT count(*) FROM audit WHERE coalesce (worker_id, '') || action || coalesce (client_id, '')"
    " || coalesce (entity, '') LIKE '%Samira%'"), ==, 0);

  /* recently opened */
  {
    g_autofree char *a = store_fixture_add_client (f, "A", FALSE);
    g_autofree char *b = store_fixture_add_client (f, "B", FALSE);
    g_auto (GStrv) recent = NULL;
    koers_client_free (koers_store_open_file (f->store, a, NULL));
    koers_client_free (koers_store_open_file (f->store, b, NULL));
    koers_client_free (koers_store_open_file (f->store, a, NULL));
    recent = koers_store_list_recently_opened (f->store, 10, &error);
    g_assert_cmpuint (g_strv_length (recent), ==, 2);
    g_assert_cmpstr (recent[0], ==, a);
    g_assert_cmpstr (recent[1], ==, b);
  }
}

static void
test_no_personal_data_in_logs (StoreFixture *f, gconstpointer data)
{
  g_autofree char *id = store_fixture_add_client (f, "Geheime Naam", TRUE);
  g_autofree char *conv = store_fixture_add_conversation (f, id, "vertrouwelijke notitie");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) hits = koers_store_search (f->store, "Geheime", KOERS_SEARCH_ALL, 10, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_true (koers_store_delete_client (f->store, id, NULL));
  g_assert_null (strstr (log_output->str, "Geheime"));
  g_assert_null (strstr (log_output->str, "vertrouwelijke"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  log_output = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/store/history/every-change-logged", test_every_change_logged);
  ADD ("/store/history/count-changes", test_count_changes);
  ADD ("/store/history/write-guard", test_write_guard);
  ADD ("/store/history/hlc-order", test_hlc_order);
  ADD ("/store/history/vault-operations", test_vault_operations);
  g_test_add_func ("/store/history/hlc-unit", test_hlc_unit);
  g_test_add_func ("/store/history/uuid7", test_uuid7);
  ADD ("/store/history/audit", test_audit);
  ADD ("/store/history/no-personal-data-in-logs", test_no_personal_data_in_logs);
  return g_test_run ();
}
