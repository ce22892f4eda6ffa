/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Schema migrations: from every earlier version to the latest, and a
 * newer schema refused. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include <glib/gstdio.h>

#include "koers-store-private.h"
#include "store-fixture.h"

typedef struct
{
  char       *dir;
  KoersVault *vault;
} Bare;

static void
bare_open (Bare *b)
{
  g_autoptr (GError) error = NULL;
  KoersKdfParams params = koers_kdf_params_minimum ();
  char *recovery = NULL;

  b->dir = g_dir_make_tmp ("koers-migrate-XXXXXX", &error);
  g_assert_no_error (error);
  b->vault = koers_vault_create (b->dir, "Tester", "pass", &params, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
}

static void
bare_close (Bare *b)
{
  g_autoptr (GDir) d = NULL;
  const char *name;

  koers_vault_lock (b->vault);
  g_clear_object (&b->vault);
  d = g_dir_open (b->dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (b->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (b->dir);
  g_free (b->dir);
}

/* The schema as text: every object's SQL, sorted, and the version. */
static char *
schema_of (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "SELECT type, name, coalesce (sql, '') FROM sqlite_schema ORDER BY type, name", -1, &stmt,
    NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s %s %s\n", sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_string_append_printf (out, "user_version %d\n", sqlite3_column_int (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

static char *
latest_schema (void)
{
  g_autoptr (GError) error = NULL;
  Bare b;
  g_autoptr (KoersStore) store = NULL;
  char *schema;

  bare_open (&b);
  store = koers_store_new (koers_vault_get_db (b.vault), &error);
  g_assert_no_error (error);
  schema = schema_of (koers_vault_get_db (b.vault));
  g_clear_object (&store);
  bare_close (&b);
  return schema;
}

static void
test_from_every_version (void)
{
  g_autofree char *expected = latest_schema ();
  guint latest = koers_store_schema_version ();

  g_assert_cmpuint (latest, >=, 1);
  g_assert_nonnull (strstr (expected, "CREATE TABLE client"));
  for (guint from = 0; from < latest; from++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KoersStore) store = NULL;
      g_autofree char *schema = NULL;
      Bare b;

      g_test_message ("migrating from version %u to %u", from, latest);
      bare_open (&b);
      if (from > 0)
        {
          g_assert_true (koers_store_migrate_db (koers_vault_get_db (b.vault), from, &error));
          g_assert_cmpint (sqlite3_exec (koers_vault_get_db (b.vault),
            "INSERT INTO store_meta (key, value) VALUES ('probe', 'kept');"
            "INSERT INTO audit (seq, at_ms, action, client_id, entity)"
            " VALUES (41, 7, 'open', 'probe', 'client')", NULL, NULL, NULL),
            ==, SQLITE_OK);
        }
      store = koers_store_new (koers_vault_get_db (b.vault), &error);
      g_assert_no_error (error);
      schema = schema_of (koers_vault_get_db (b.vault));
      g_assert_cmpstr (schema, ==, expected);
      if (from > 0)
        {
          sqlite3_stmt *stmt = koers_store_prepare (store,
            "SELECT value FROM store_meta WHERE key = 'probe'", NULL);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "kept");
          sqlite3_reset (stmt);
          /* the audit keeps its rows, and its seq goes on above them */
          stmt = koers_store_prepare (store,
            "SELECT at_ms, (SELECT seq FROM sqlite_sequence WHERE name = 'audit')"
            " FROM audit WHERE seq = 41 AND client_id = 'probe'", NULL);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 7);
          g_assert_cmpint (sqlite3_column_int (stmt, 1), >=, 41);
          sqlite3_reset (stmt);
        }
      /* opening again changes nothing */
      g_clear_object (&store);
      store = koers_store_new (koers_vault_get_db (b.vault), &error);
      g_assert_no_error (error);
      g_clear_object (&store);
      bare_close (&b);
    }
}

static char *
text_of (KoersStore *store,
         const char *sql)
{
  sqlite3_stmt *stmt = koers_store_prepare (store, sql, NULL);
  char *text = NULL;

  g_assert_nonnull (stmt);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}

#define C1 "01990000-0000-7000-8000-0000000000c1"
#define DEV "01990000-0000-7000-8000-00000000d0d0"

/* Version 5 gives every record the stamps of its fields and every logged
 * change its bases, from the change log of any earlier version: a value's
 * stamp is the row that last set it. Changes made after the migration
 * continue from them. */
static void
test_stamps_backfilled (void)
{
  for (guint from = 1; from < 5; from++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KoersStore) store = NULL;
      g_autoptr (KoersClient) client = NULL;
      g_autofree char *stamps = NULL;
      g_autofree char *bases = NULL;
      g_autofree char *tomb = NULL;
      g_autofree char *after = NULL;
      Bare b;

      g_test_message ("stamps from version %u", from);
      bare_open (&b);
      g_assert_true (koers_store_migrate_db (koers_vault_get_db (b.vault), from, &error));
      g_assert_cmpint (sqlite3_exec (koers_vault_get_db (b.vault),
        "INSERT INTO client (id, name, phase) VALUES ('" C1 "', 'Dawit Mehari', 'orientation');"
        "INSERT INTO change_log (hlc, device_id, entity, entity_id, client_id, op, fields) VALUES"
        " (256, '" DEV "', 'client', '" C1 "', '" C1 "', 'insert', '{\"name\":\"Dawit\",\"phase\":\"intake\"}'),"
        " (512, '" DEV "', 'client', '" C1 "', '" C1 "', 'update', '{\"phase\":\"orientation\"}'),"
        " (768, '" DEV "', 'client', 'c2', 'c2', 'insert', '{\"name\":\"Weg\"}'),"
        " (1024, '" DEV "', 'client', '" C1 "', '" C1 "', 'update', '{\"name\":\"Dawit Mehari\"}'),"
        " (1280, '" DEV "', 'client', 'c2', 'c2', 'update', '{\"phone\":\"06\"}'),"
        " (1536, '" DEV "', 'client', 'c2', 'c2', 'delete', NULL)",
        NULL, NULL, NULL), ==, SQLITE_OK);
      store = koers_store_new (koers_vault_get_db (b.vault), &error);
      g_assert_no_error (error);

      stamps = text_of (store, "SELECT stamps FROM record_stamp WHERE entity_id = '" C1 "'");
      g_assert_cmpstr (stamps, ==, "{\"*\":\"0000000000000100:" DEV "\","
                                   "\"name\":\"0000000000000400:" DEV "\","
                                   "\"phase\":\"0000000000000200:" DEV "\"}");
      bases = text_of (store, "SELECT group_concat (coalesce (bases, '-'), ' ') FROM"
                              " (SELECT bases FROM change_log ORDER BY seq)");
      g_assert_cmpstr (bases, ==, "- {\"phase\":\"0000000000000100:" DEV "\"} -"
                                  " {\"name\":\"0000000000000100:" DEV "\"}"
                                  " {\"phone\":\"0000000000000300:" DEV "\"}"
                                  " {\"*\":\"0000000000000300:" DEV "\","
                                  "\"phone\":\"0000000000000500:" DEV "\"}");
      tomb = text_of (store, "SELECT count(*) FROM record_stamp WHERE entity_id = 'c2'");
      g_assert_cmpstr (tomb, ==, "0");

      /* the next change's base is the backfilled stamp */
      client = koers_store_get_client (store, C1, &error);
      client->phase = KOERS_PHASE_RETURN_SUPPORT;
      g_assert_true (koers_store_update_client (store, client, &error));
      g_assert_no_error (error);
      after = text_of (store, "SELECT bases FROM change_log ORDER BY seq DESC LIMIT 1");
      g_assert_cmpstr (after, ==, "{\"phase\":\"0000000000000200:" DEV "\"}");
      g_clear_object (&store);
      bare_close (&b);
    }
}

/* Records as schema versions 1-5 stored them, for version 6 to migrate. */
static const char old_records_sql[] =
  "INSERT INTO steunpunt (id, name) VALUES ('00000000-0000-7000-8000-000000000001', 'Utrecht');"
  "INSERT INTO worker (id, name, role) VALUES ('00000000-0000-7000-8000-000000000002', 'Youssef',"
  " 'counsellor');"
  "INSERT INTO referral_org (id, name, kind) VALUES"
  " ('00000000-0000-7000-8000-000000000010', 'Advocaat', 'lawyer'),"
  " ('00000000-0000-7000-8000-000000000011', 'GGZ', 'psychosocial'),"
  " ('00000000-0000-7000-8000-000000000012', 'Nachtopvang', 'social'),"
  " ('00000000-0000-7000-8000-000000000013', 'Huisarts', 'medical');"
  "INSERT INTO client (id, name, phase) VALUES ('00000000-0000-7000-8000-000000000020', 'Dawit',"
  " 'return_support');"
  "INSERT INTO consent (id, client_id, kind, granted, recorded_on) VALUES"
  " ('00000000-0000-7000-8000-000000000021', '00000000-0000-7000-8000-000000000020', 'store_file',"
  " 1, '2025-01-01');"
  "INSERT INTO referral (id, client_id, organisation_id, counsellor_id, referred_on, outcome)"
  " VALUES ('00000000-0000-7000-8000-000000000030', '00000000-0000-7000-8000-000000000020', NULL,"
  "  '00000000-0000-7000-8000-000000000002', '2025-02-01', NULL),"
  " ('00000000-0000-7000-8000-000000000031', '00000000-0000-7000-8000-000000000020',"
  "  '00000000-0000-7000-8000-000000000010', NULL, '2025-02-02', 'pending'),"
  " ('00000000-0000-7000-8000-000000000032', '00000000-0000-7000-8000-000000000020',"
  "  '00000000-0000-7000-8000-000000000011', NULL, '2025-02-03', 'no_show'),"
  " ('00000000-0000-7000-8000-000000000033', '00000000-0000-7000-8000-000000000020',"
  "  '00000000-0000-7000-8000-000000000012', NULL, '2025-02-04', 'completed');"
  "INSERT INTO return_plan (id, client_id, country, departed_on, status) VALUES"
  " ('00000000-0000-7000-8000-000000000040', '00000000-0000-7000-8000-000000000020', 'ER', NULL,"
  "  'active'),"
  " ('00000000-0000-7000-8000-000000000041', '00000000-0000-7000-8000-000000000020', 'ER',"
  "  '2025-03-01', 'departed'),"
  " ('00000000-0000-7000-8000-000000000042', '00000000-0000-7000-8000-000000000020', 'ER', NULL,"
  "  'cancelled'),"
  " ('00000000-0000-7000-8000-000000000043', '00000000-0000-7000-8000-000000000020', 'ER',"
  "  '2024-01-01', 'completed');"
  "INSERT INTO checkin (id, plan_id, month, due_on, held_on, social_contacts) VALUES"
  " ('00000000-0000-7000-8000-000000000050', '00000000-0000-7000-8000-000000000041', 1,"
  "  '2025-04-01', '2025-04-02', 'yes'),"
  " ('00000000-0000-7000-8000-000000000051', '00000000-0000-7000-8000-000000000041', 3,"
  "  '2025-06-01', NULL, NULL);";

#define OLD_ID(n) "00000000-0000-7000-8000-0000000000" #n

/* Version 8 numbers this device's own changes apart (device_seq): from
 * every earlier version, its changes (origin NULL) are 1, 2, 3… in log
 * order and merged ones have none; the outbox of a laptop (that never
 * merged) stays as it was, and the next change continues the count. */
static void
test_device_seq (void)
{
  for (guint from = 1; from < 8; from++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KoersStore) store = NULL;
      g_autofree char *numbers = NULL;
      g_autofree char *state = NULL;
      Bare b;

      g_test_message ("device_seq from version %u", from);
      bare_open (&b);
      g_assert_true (koers_store_migrate_db (koers_vault_get_db (b.vault), from, &error));
      g_assert_cmpint (sqlite3_exec (koers_vault_get_db (b.vault),
        "INSERT INTO change_log (hlc, device_id, entity, entity_id, client_id, op, fields) VALUES"
        " (256, '" DEV "', 'client', '" C1 "', '" C1 "', 'insert', '{\"name\":\"Dawit\"}'),"
        " (512, '" DEV "', 'client', '" C1 "', '" C1 "', 'update', '{\"phase\":\"orientation\"}')",
        NULL, NULL, NULL), ==, SQLITE_OK);
      if (from >= 5)
        g_assert_cmpint (sqlite3_exec (koers_vault_get_db (b.vault),
          "UPDATE sync_state SET cut_seq = 2, acked_seq = 1", NULL, NULL, NULL), ==, SQLITE_OK);
      if (from >= 7)  /* the office's vault: changes merged after its own */
        g_assert_cmpint (sqlite3_exec (koers_vault_get_db (b.vault),
          "INSERT INTO change_log (hlc, device_id, entity, entity_id, client_id, op, fields, origin)"
          " VALUES (600, 'other', 'client', 'c9', 'c9', 'insert', '{\"name\":\"X\"}', 'other')",
          NULL, NULL, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_exec (koers_vault_get_db (b.vault),
        "INSERT INTO change_log (hlc, device_id, entity, entity_id, client_id, op, fields) VALUES"
        " (700, '" DEV "', 'client', '" C1 "', '" C1 "', 'update', '{\"phase\":\"intake\"}')",
        NULL, NULL, NULL), ==, SQLITE_OK);
      store = koers_store_new (koers_vault_get_db (b.vault), &error);
      g_assert_no_error (error);

      numbers = text_of (store, "SELECT group_concat (coalesce (device_seq, '-'), ' ') FROM"
                                " (SELECT device_seq FROM change_log ORDER BY seq)");
      g_assert_cmpstr (numbers, ==, from >= 7 ? "1 2 - 3" : "1 2 3");
      state = text_of (store, "SELECT epoch || ' ' || cut_seq || ' ' || acked_seq FROM sync_state");
      g_assert_cmpstr (state, ==, from >= 5 ? "1 2 1" : "1 0 0");
      g_clear_object (&store);
      bare_close (&b);
    }
}

/* A vault that had merged between its own changes before its last cut
 * (none in use: only the office merged before version 8): its batches of
 * the epoch name numbers of the old count, so it goes on in a new epoch
 * from its last acknowledged change, translated, and cuts the rest again
 * (the office takes a change twice without harm). */
static void
test_device_seq_renumbered (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersStore) store = NULL;
  g_autofree char *state = NULL;
  g_autofree char *batches = NULL;
  g_autofree char *epoch = NULL;
  Bare b;

  bare_open (&b);
  g_assert_true (koers_store_migrate_db (koers_vault_get_db (b.vault), 7, &error));
  g_assert_cmpint (sqlite3_exec (koers_vault_get_db (b.vault),
    "INSERT INTO change_log (hlc, device_id, entity, entity_id, client_id, op, fields, origin) VALUES"
    " (256, '" DEV "', 'client', '" C1 "', '" C1 "', 'insert', '{\"name\":\"Dawit\"}', NULL),"
    " (300, 'other', 'client', 'c9', 'c9', 'insert', '{\"name\":\"X\"}', 'other'),"
    " (512, '" DEV "', 'client', '" C1 "', '" C1 "', 'update', '{\"phase\":\"intake\"}', NULL),"
    " (600, '" DEV "', 'client', '" C1 "', '" C1 "', 'update', '{\"phase\":\"orientation\"}', NULL);"
    "INSERT INTO sync_batch (device_id, epoch, first_seq, last_seq, sealed, hash, state, sealed_ms,"
    " acked_ms) VALUES ('" DEV "', 1, 1, 1, NULL, x'01', 'acknowledged', 1, 2),"
    " ('" DEV "', 1, 2, 3, x'00', x'02', 'uploaded', 3, NULL);"
    "UPDATE sync_state SET cut_seq = 3, acked_seq = 1",
    NULL, NULL, NULL), ==, SQLITE_OK);
  store = koers_store_new (koers_vault_get_db (b.vault), &error);
  g_assert_no_error (error);

  state = text_of (store, "SELECT epoch || ' ' || cut_seq || ' ' || acked_seq FROM sync_state");
  g_assert_cmpstr (state, ==, "2 1 1");
  batches = text_of (store, "SELECT group_concat (epoch || ':' || first_seq || '-' || last_seq || ':'"
                            " || state, ' ') FROM sync_batch");
  g_assert_cmpstr (batches, ==, "1:1-1:acknowledged");
  epoch = text_of (store, "SELECT first_seq || ' ' || reason FROM sync_epoch WHERE epoch = 2");
  g_assert_cmpstr (epoch, ==, "2 renumbered");
  g_clear_object (&store);
  bare_close (&b);
}

static void
assert_org_kind (KoersStore *store, const char *id, KoersOrgKind kind)
{
  g_autoptr (KoersReferralOrg) org = koers_store_get_referral_org (store, id, NULL);
  g_assert_nonnull (org);
  g_assert_cmpint (org->kind, ==, kind);
}

static void
assert_referral (KoersStore *store, const char *id, KoersReferralStatus status, const char *on)
{
  g_autoptr (KoersReferral) referral = koers_store_get_referral (store, id, NULL);
  g_assert_nonnull (referral);
  g_assert_cmpint (referral->status, ==, status);
  g_assert_cmpstr (referral->status_on, ==, on);
}

static void
assert_plan_status (KoersStore *store, const char *id, KoersPlanStatus status)
{
  g_autoptr (KoersReturnPlan) plan = koers_store_get_return_plan (store, id, NULL);
  g_assert_nonnull (plan);
  g_assert_cmpint (plan->status, ==, status);
}

/* Version 6 renames stored values: organisation kinds, referral outcomes
 * (now statuses, dated), plan statuses; a held check-in without
 * indicators says "not known". From every earlier version, with data. */
static void
test_version_6_values (void)
{
  for (guint from = 1; from < 6; from++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (KoersStore) store = NULL;
      g_autoptr (KoersCheckin) held = NULL;
      g_autoptr (KoersCheckin) planned = NULL;
      g_autoptr (GHashTable) consented = NULL;
      Bare b;

      g_test_message ("values from version %u", from);
      bare_open (&b);
      g_assert_true (koers_store_migrate_db (koers_vault_get_db (b.vault), from, &error));
      g_assert_cmpint (sqlite3_exec (koers_vault_get_db (b.vault), old_records_sql, NULL, NULL,
                                     NULL), ==, SQLITE_OK);
      store = koers_store_new (koers_vault_get_db (b.vault), &error);
      g_assert_no_error (error);

      assert_org_kind (store, OLD_ID (10), KOERS_ORG_KIND_LEGAL_AID);
      assert_org_kind (store, OLD_ID (11), KOERS_ORG_KIND_MENTAL_HEALTH);
      assert_org_kind (store, OLD_ID (12), KOERS_ORG_KIND_SHELTER);
      assert_org_kind (store, OLD_ID (13), KOERS_ORG_KIND_MEDICAL);
      assert_referral (store, OLD_ID (30), KOERS_REFERRAL_MADE, "2025-02-01");
      assert_referral (store, OLD_ID (31), KOERS_REFERRAL_MADE, "2025-02-02");
      assert_referral (store, OLD_ID (32), KOERS_REFERRAL_DECLINED, "2025-02-03");
      assert_referral (store, OLD_ID (33), KOERS_REFERRAL_DONE, "2025-02-04");
      assert_plan_status (store, OLD_ID (40), KOERS_PLAN_AGREED);
      assert_plan_status (store, OLD_ID (41), KOERS_PLAN_DEPARTED);
      assert_plan_status (store, OLD_ID (42), KOERS_PLAN_CLOSED);
      assert_plan_status (store, OLD_ID (43), KOERS_PLAN_CLOSED);
      held = koers_store_get_checkin (store, OLD_ID (50), NULL);
      g_assert_cmpint (held->social_contacts, ==, KOERS_ANSWER_YES);
      g_assert_cmpint (held->economic_activity, ==, KOERS_ANSWER_NOT_KNOWN);
      planned = koers_store_get_checkin (store, OLD_ID (51), NULL);
      g_assert_cmpint (planned->social_contacts, ==, KOERS_ANSWER_UNKNOWN);
      g_assert_cmpint (planned->economic_activity, ==, KOERS_ANSWER_UNKNOWN);
      consented = koers_store_clients_with_consent (store, KOERS_CONSENT_STORE_FILE, &error);
      g_assert_true (g_hash_table_contains (consented, OLD_ID (20)));
      /* the migrated file is still whole: its export reads every record */
      {
        g_autofree char *json = koers_store_export_client_json (store, OLD_ID (20), &error);
        g_assert_no_error (error);
        g_assert_nonnull (strstr (json, "\"status\":\"declined\""));
        g_assert_null (strstr (json, "no_show"));
      }
      /* the value changes write no change log: every copy migrates itself */
      g_assert_cmpint (koers_store_count_changes (store, 0, &error), ==, 0);
      g_clear_object (&store);
      bare_close (&b);
    }
}

static void
test_newer_refused (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *pragma = g_strdup_printf ("PRAGMA user_version = %u",
                                             koers_store_schema_version () + 1);
  KoersStore *store;
  Bare b;

  bare_open (&b);
  g_assert_cmpint (sqlite3_exec (koers_vault_get_db (b.vault), pragma, NULL, NULL, NULL), ==,
                   SQLITE_OK);
  store = koers_store_new (koers_vault_get_db (b.vault), &error);
  g_assert_null (store);
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));
  bare_close (&b);
}

/* The store's data survives closing and reopening the vault. */
static void
test_persists (StoreFixture *f, gconstpointer data)
{
  g_autofree char *id = store_fixture_add_client (f, "Blijft bewaard", FALSE);
  g_autofree char *device = g_strdup (koers_store_get_device_id (f->store));
  g_autoptr (KoersClient) client = NULL;

  store_fixture_reopen (f);
  client = koers_store_get_client (f->store, id, NULL);
  g_assert_cmpstr (client->name, ==, "Blijft bewaard");
  g_assert_cmpstr (koers_store_get_device_id (f->store), ==, device);
}

/* Opening reads the clock's last stamp with one index seek, not a scan of
 * every change ever logged (version 4), and the stamp survives reopening:
 * a change made after it gets a later one. */
static void
test_clock_read_by_index (StoreFixture *f, gconstpointer data)
{
  sqlite3_stmt *plan = NULL;
  g_autofree char *first = store_fixture_add_client (f, "Eerste", FALSE);
  KoersHlcStamp before;
  g_autofree char *second = NULL;
  g_autofree char *detail = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (koers_store_get_db (f->store),
                                       "EXPLAIN QUERY PLAN SELECT max (hlc) FROM change_log", -1, &plan, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (plan), ==, SQLITE_ROW);
  detail = g_strdup ((const char *) sqlite3_column_text (plan, 3));
  sqlite3_finalize (plan);
  g_assert_nonnull (strstr (detail, "change_log_hlc"));
  g_assert_null (strstr (detail, "SCAN"));

  before = koers_store_get_hlc (f->store);
  store_fixture_reopen (f);
  g_assert_cmpuint (koers_store_get_hlc (f->store), ==, before);
  second = store_fixture_add_client (f, "Tweede", FALSE);
  g_assert_cmpuint (koers_store_get_hlc (f->store), >, before);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/migrations/from-every-version", test_from_every_version);
  g_test_add_func ("/store/migrations/newer-refused", test_newer_refused);
  g_test_add_func ("/store/migrations/stamps-backfilled", test_stamps_backfilled);
  g_test_add_func ("/store/migrations/version-6-values", test_version_6_values);
  g_test_add_func ("/store/migrations/device-seq", test_device_seq);
  g_test_add_func ("/store/migrations/device-seq-renumbered", test_device_seq_renumbered);
  g_test_add ("/store/migrations/persists", StoreFixture, NULL, store_fixture_setup, test_persists,
              store_fixture_teardown);
  g_test_add ("/store/migrations/clock-read-by-index", StoreFixture, NULL, store_fixture_setup,
              test_clock_read_by_index, store_fixture_teardown);
  return g_test_run ();
}
