/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the app shows of colleagues' changes, on real vaults that exchange
 * koers_store_sync_read_changes() and merge it: the merge's counts of new
 * records by kind and who made the last change; the files changed on
 * another laptop since a person last opened them (per person: another
 * worker's opening does not count); the count of open conflicts in files
 * and the file of the oldest; a field's label and kind, and a value's
 * parts. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include <string.h>

#include "store-fixture.h"

typedef struct
{
  StoreFixture a, b;
} Pair;

static void
pair_setup (Pair *p, gconstpointer data)
{
  store_fixture_setup (&p->a, NULL);
  store_fixture_setup (&p->b, STORE_FIXTURE_EMPTY);
}

static void
pair_teardown (Pair *p, gconstpointer data)
{
  store_fixture_teardown (&p->a, NULL);
  store_fixture_teardown (&p->b, NULL);
}

static gint64
own_last (StoreFixture *f)
{
  return store_fixture_count (f, "SELECT coalesce (max (seq), 0) FROM change_log WHERE origin IS NULL");
}

/* What @from made itself after its change @after goes to @to. */
static KoersMergeStats
send (StoreFixture *from,
      StoreFixture *to,
      gint64        after)
{
  g_autoptr (GError) error = NULL;
  gint64 last = 0;
  g_autoptr (GBytes) lines = koers_store_sync_read_changes (from->store, after, G_MAXSIZE, &last, NULL,
                                                             &error);
  KoersMergeStats stats = { 0 };

  g_assert_no_error (error);
  g_assert_true (koers_store_merge_changes (to->store, lines, koers_store_get_device_id (from->store),
                                            &stats, &error));
  g_assert_no_error (error);
  return stats;
}

static gboolean
changed_elsewhere (StoreFixture *f,
                   const char   *worker_id,
                   const char   *client_id)
{
  g_autoptr (GError) error = NULL;
  const char *ids[] = { client_id, NULL };
  gboolean marks[1] = { FALSE };

  g_assert_true (koers_store_files_changed_elsewhere (f->store, worker_id, ids, marks, &error));
  g_assert_no_error (error);
  return marks[0];
}

static void
open_as (StoreFixture *f,
         const char   *worker_id,
         const char   *client_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersClient) opened = NULL;

  koers_store_set_current_worker (f->store, worker_id);
  opened = koers_store_open_file (f->store, client_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opened);
}

/* The counts by kind and the last worker; a batch merged again counts
 * nothing. */
static void
test_stats (Pair *p, gconstpointer data)
{
  g_autofree char *client = store_fixture_add_client (&p->a, "Tsehay ፀሐይ", TRUE);
  KoersMergeStats stats;

  for (guint i = 0; i < 3; i++)
    g_free (store_fixture_add_conversation (&p->a, client, "Gesprek"));
  stats = send (&p->a, &p->b, 0);
  g_assert_cmpuint (stats.inserted[KOERS_ENTITY_CLIENT], ==, 1);
  g_assert_cmpuint (stats.inserted[KOERS_ENTITY_CONVERSATION], ==, 3);
  g_assert_cmpuint (stats.inserted[KOERS_ENTITY_CONSENT], ==, 1);
  g_assert_cmpuint (stats.inserted[KOERS_ENTITY_WORKER], ==, 2);
  g_assert_cmpstr (stats.last_worker_id, ==, p->a.volunteer_id);
  stats = send (&p->a, &p->b, 0);
  g_assert_cmpuint (stats.applied, ==, 0);
  g_assert_cmpuint (stats.inserted[KOERS_ENTITY_CONVERSATION], ==, 0);
  g_assert_cmpstr (stats.last_worker_id, ==, "");
}

/* Per person: a file from elsewhere is marked until that person opens
 * it; a later change from elsewhere marks it again; this laptop's own
 * changes never do. */
static void
test_changed_elsewhere (Pair *p, gconstpointer data)
{
  g_autofree char *client = store_fixture_add_client (&p->a, "Dawit ዳዊት", TRUE);
  g_autofree char *reader_a = NULL;
  g_autofree char *reader_b = NULL;
  g_autoptr (KoersClient) on_b = NULL;
  g_autoptr (GError) error = NULL;
  gint64 sent;

  send (&p->a, &p->b, 0);
  sent = own_last (&p->a);
  reader_a = g_strdup (p->a.volunteer_id);
  reader_b = g_strdup (p->a.counsellor_id);
  /* on A, its own file: no mark */
  g_assert_false (changed_elsewhere (&p->a, reader_a, client));
  /* on B, never opened there: marked for anyone */
  g_assert_true (changed_elsewhere (&p->b, reader_a, client));
  g_assert_true (changed_elsewhere (&p->b, NULL, client));
  open_as (&p->b, reader_a, client);
  g_assert_false (changed_elsewhere (&p->b, reader_a, client));
  g_assert_true (changed_elsewhere (&p->b, reader_b, client));
  /* B's own change does not mark it */
  on_b = koers_store_get_client (p->b.store, client, &error);
  g_assert_no_error (error);
  g_free (on_b->phone);
  on_b->phone = g_strdup ("0611111111");
  g_assert_true (koers_store_update_client (p->b.store, on_b, &error));
  g_assert_no_error (error);
  g_assert_false (changed_elsewhere (&p->b, reader_a, client));
  /* a later change from A does */
  {
    g_autoptr (KoersClient) on_a = koers_store_get_client (p->a.store, client, &error);

    on_a->birth_year = 1990;
    g_assert_true (koers_store_update_client (p->a.store, on_a, &error));
    g_assert_no_error (error);
  }
  send (&p->a, &p->b, sent);
  g_assert_true (changed_elsewhere (&p->b, reader_a, client));
}

/* Two conflicts in a file are counted, the oldest's file given; a field
 * described; values read into their parts. */
static void
test_count_and_describe (Pair *p, gconstpointer data)
{
  g_autofree char *client = store_fixture_add_client (&p->a, "Mariam مريم", TRUE);
  g_autofree char *first = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) parts = NULL;
  KoersFieldDescription field;
  gint64 sent_a, sent_b;

  g_assert_cmpint (koers_store_count_file_conflicts (p->b.store, &first, &error), ==, 0);
  g_assert_null (first);
  send (&p->a, &p->b, 0);
  sent_a = own_last (&p->a);
  sent_b = own_last (&p->b);
  {
    g_autoptr (KoersClient) on_a = koers_store_get_client (p->a.store, client, &error);
    g_autoptr (KoersClient) on_b = koers_store_get_client (p->b.store, client, &error);

    g_assert_no_error (error);
    on_a->phone = g_strdup ("0612345678");
    on_a->phase = KOERS_PHASE_ORIENTATION;
    on_b->phone = g_strdup ("0687654321");
    on_b->phase = KOERS_PHASE_RETURN_SUPPORT;
    g_assert_true (koers_store_update_client (p->a.store, on_a, &error));
    g_assert_true (koers_store_update_client (p->b.store, on_b, &error));
    g_assert_no_error (error);
  }
  send (&p->b, &p->a, sent_b);
  send (&p->a, &p->b, sent_a);
  g_assert_cmpint (koers_store_count_file_conflicts (p->b.store, &first, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, client);

  g_assert_true (koers_entity_describe_field (KOERS_ENTITY_CLIENT, "phone", &field));
  g_assert_cmpstr (field.label, ==, "phone number");
  g_assert_cmpint (field.kind, ==, KOERS_VALUE_TEXT);
  g_assert_true (koers_entity_describe_field (KOERS_ENTITY_CLIENT, "phase", &field));
  g_assert_cmpint (field.kind, ==, KOERS_VALUE_CHOICE);
  g_assert_cmpint (koers_entity_read_choice (KOERS_ENTITY_CLIENT, "phase", "return_support"), ==,
                   KOERS_PHASE_RETURN_SUPPORT);
  g_assert_cmpint (koers_entity_read_choice (KOERS_ENTITY_CLIENT, "phase", "nonsense"), ==, -1);
  g_assert_true (koers_entity_describe_field (KOERS_ENTITY_CONVERSATION, "worker_ids", &field));
  g_assert_cmpint (field.kind, ==, KOERS_VALUE_LIST);
  g_assert_cmpint (field.ref, ==, KOERS_ENTITY_WORKER);
  g_assert_true (koers_entity_describe_field (KOERS_ENTITY_CONVERSATION, "topics", &field));
  g_assert_cmpint (field.ref, ==, -1);
  g_assert_true (koers_entity_describe_field (KOERS_ENTITY_REFERRAL, "counsellor_id", &field));
  g_assert_cmpint (field.kind, ==, KOERS_VALUE_RECORD);
  g_assert_false (koers_entity_describe_field (KOERS_ENTITY_CLIENT, "no_such_field", &field));

  parts = koers_store_read_value (p->b.store, "\"0612 \\\"x\\\" ሰላም\"");
  g_assert_cmpuint (g_strv_length (parts), ==, 1);
  g_assert_cmpstr (parts[0], ==, "0612 \"x\" ሰላም");
  g_clear_pointer (&parts, g_strfreev);
  parts = koers_store_read_value (p->b.store, "[\"a\",\"b\"]");
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  g_clear_pointer (&parts, g_strfreev);
  parts = koers_store_read_value (p->b.store, "true");
  g_assert_cmpstr (parts[0], ==, "true");
  g_clear_pointer (&parts, g_strfreev);
  parts = koers_store_read_value (p->b.store, "1988");
  g_assert_cmpstr (parts[0], ==, "1988");
  g_clear_pointer (&parts, g_strfreev);
  parts = koers_store_read_value (p->b.store, "null");
  g_assert_cmpuint (g_strv_length (parts), ==, 0);
  g_clear_pointer (&parts, g_strfreev);
  parts = koers_store_read_value (p->b.store, "{not json");
  g_assert_cmpuint (g_strv_length (parts), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store/arrivals/stats", Pair, NULL, pair_setup, test_stats, pair_teardown);
  g_test_add ("/store/arrivals/changed-elsewhere", Pair, NULL, pair_setup, test_changed_elsewhere,
              pair_teardown);
  g_test_add ("/store/arrivals/count-and-describe", Pair, NULL, pair_setup, test_count_and_describe,
              pair_teardown);
  return g_test_run ();
}
