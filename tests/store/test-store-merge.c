/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The merge on real vaults: stores exchange what
 * koers_store_sync_read_changes() gives and merge it; concurrent edits
 * become one conflict with both values, resolved in one store and closed in
 * the other; addenda never conflict; tombstones; idempotence; every arrival
 * order of a set of batches gives the same store; bad lines refused. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include <string.h>

#include "store-fixture.h"

/* Three devices: A has the reference data and a client file; B and C
 * start empty and take A's changes. */
typedef struct
{
  StoreFixture a, b, c;
  char *client_id;
  char *conversation_id;
} Team;

static GBytes *
changes_of (StoreFixture *f,
            gint64        after)
{
  g_autoptr (GError) error = NULL;
  gint64 last = 0;
  GBytes *lines = koers_store_sync_read_changes (f->store, after, G_MAXSIZE, &last, NULL, &error);

  g_assert_no_error (error);
  return lines;
}

static gint64
last_seq (StoreFixture *f)
{
  return store_fixture_count (f, "SELECT coalesce (max (seq), 0) FROM change_log WHERE origin IS NULL");
}

static KoersMergeStats
merge (StoreFixture *to,
       StoreFixture *from,
       GBytes       *lines)
{
  g_autoptr (GError) error = NULL;
  KoersMergeStats stats = { 0 };
  gboolean ok = koers_store_merge_changes (to->store, lines,
                                           koers_store_get_device_id (from->store), &stats, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  return stats;
}

/* Everything @from made itself goes to @to. */
static KoersMergeStats
exchange (StoreFixture *from,
          StoreFixture *to)
{
  g_autoptr (GBytes) lines = changes_of (from, 0);

  return merge (to, from, lines);
}

static char *
export_of (StoreFixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_assert_true (koers_store_export_jsonl (f->store, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
}

/* The open conflicts as text: entity, id, field, every stamp and value,
 * which is shown. */
static char *
conflicts_of (StoreFixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) conflicts = koers_store_list_conflicts (f->store, NULL, &error);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < conflicts->len; i++)
    {
      KoersConflict *c = conflicts->pdata[i];
      GString *line = g_string_new (NULL);

      g_string_append_printf (line, "%s %s %s:", koers_entity_name (c->kind), c->entity_id,
                              c->field);
      for (guint v = 0; v < c->values->len; v++)
        {
          KoersConflictValue *value = c->values->pdata[v];
          g_string_append_printf (line, " %s=%s%s", value->stamp,
                                  value->value ? value->value : "(deleted)",
                                  value->shown ? "*" : "");
        }
      g_ptr_array_add (lines, g_string_free (line, FALSE));
    }
  g_ptr_array_sort (lines, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) lines->pdata[i]);
  return g_string_free (out, FALSE);
}

static guint
n_conflicts (StoreFixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) conflicts = koers_store_list_conflicts (f->store, NULL, &error);

  g_assert_no_error (error);
  return conflicts->len;
}

static void
team_setup (Team          *t,
            gconstpointer  data)
{
  store_fixture_setup (&t->a, NULL);
  store_fixture_setup (&t->b, STORE_FIXTURE_EMPTY);
  store_fixture_setup (&t->c, STORE_FIXTURE_EMPTY);
  t->client_id = store_fixture_add_client (&t->a, "Tesfay Haile", TRUE);
  t->conversation_id = store_fixture_add_conversation (&t->a, t->client_id, "Eerste gesprek");
  exchange (&t->a, &t->b);
  exchange (&t->a, &t->c);
  /* the others' clocks run a little later, each its own */
  t->b.now_ms = t->a.now_ms + 1000;
  t->c.now_ms = t->a.now_ms + 2000;
}

static void
team_teardown (Team          *t,
               gconstpointer  data)
{
  store_fixture_teardown (&t->a, NULL);
  store_fixture_teardown (&t->b, NULL);
  store_fixture_teardown (&t->c, NULL);
  g_free (t->client_id);
  g_free (t->conversation_id);
}

static char *
phone_of (StoreFixture *f,
          const char   *client_id)
{
  g_autoptr (KoersClient) client = koers_store_get_client (f->store, client_id, NULL);

  g_assert_nonnull (client);
  return g_strdup (client->phone);
}

/* A's file arrives whole in B: records, search, log marked as merged. */
static void
test_in_order (Team *t, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *export_a = export_of (&t->a);
  g_autofree char *export_b = export_of (&t->b);
  g_autoptr (GPtrArray) hits = koers_store_search (t->b.store, "tesfay", KOERS_SEARCH_ALL, 0, &error);
  g_autofree char *phone = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (export_a, ==, export_b);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (store_fixture_count (&t->b, "SELECT count (*) FROM change_log WHERE origin IS NULL"), ==, 0);
  g_assert_cmpint (store_fixture_count (&t->b, "SELECT count (*) FROM audit WHERE origin IS NOT NULL"), >, 0);
  /* a later edit of A applies in B: its base is B's current stamp */
  store_fixture_set_phone (&t->a, t->client_id, "0612345678");
  exchange (&t->a, &t->b);
  phone = phone_of (&t->b, t->client_id);
  g_assert_cmpstr (phone, ==, "0612345678");
  g_assert_cmpuint (n_conflicts (&t->b), ==, 0);
  /* and B's own outbox sends none of it back */
  {
    g_autoptr (GBytes) own = changes_of (&t->b, 0);
    g_assert_cmpuint (g_bytes_get_size (own), ==, 0);
  }
}

/* Two devices change one field from the same base: one conflict with both
 * values in each; resolved in B, the resolution closes it in A. */
static void
test_concurrent (Team *t, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) conflicts = NULL;
  g_autofree char *in_a = NULL;
  g_autofree char *in_b = NULL;
  g_autofree char *phone_a = NULL;
  g_autofree char *phone_b = NULL;
  KoersConflict *conflict;
  const char *take = NULL;

  store_fixture_set_phone (&t->a, t->client_id, "0611111111");
  store_fixture_set_phone (&t->b, t->client_id, "0622222222");
  exchange (&t->a, &t->b);
  exchange (&t->b, &t->a);
  in_a = conflicts_of (&t->a);
  in_b = conflicts_of (&t->b);
  g_assert_cmpstr (in_a, ==, in_b);
  conflicts = koers_store_list_conflicts (t->b.store, t->client_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = conflicts->pdata[0];
  g_assert_cmpstr (conflict->field, ==, "phone");
  g_assert_cmpuint (conflict->values->len, ==, 2);
  g_assert_cmpstr (((KoersConflictValue *) conflict->values->pdata[0])->value, ==, "\"0611111111\"");
  g_assert_cmpstr (((KoersConflictValue *) conflict->values->pdata[1])->value, ==, "\"0622222222\"");
  /* the higher stamp (B's later clock) is shown in both */
  g_assert_true (((KoersConflictValue *) conflict->values->pdata[1])->shown);
  phone_a = phone_of (&t->a, t->client_id);
  g_assert_cmpstr (phone_a, ==, "0622222222");
  for (guint i = 0; i < conflict->values->len; i++)
    if (!((KoersConflictValue *) conflict->values->pdata[i])->shown)
      take = ((KoersConflictValue *) conflict->values->pdata[i])->stamp;
  g_assert_true (koers_store_resolve_conflict (t->b.store, conflict->id, take, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_conflicts (&t->b), ==, 0);
  phone_b = phone_of (&t->b, t->client_id);
  g_assert_cmpstr (phone_b, ==, "0611111111");
  g_assert_cmpint (store_fixture_count (&t->b, "SELECT count (*) FROM audit WHERE entity = 'resolved_client'"), ==, 1);
  /* the resolution flows to A and closes the conflict there */
  exchange (&t->b, &t->a);
  g_assert_cmpuint (n_conflicts (&t->a), ==, 0);
  g_clear_pointer (&phone_a, g_free);
  phone_a = phone_of (&t->a, t->client_id);
  g_assert_cmpstr (phone_a, ==, "0611111111");
  /* a second resolution of the same conflict is refused */
  g_assert_false (koers_store_resolve_conflict (t->b.store, conflict->id, NULL, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND);
}

static void
add_addendum (StoreFixture *f,
              const char   *conversation_id,
              const char   *text)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersNoteAddendum) addendum = koers_note_addendum_new ();

  addendum->conversation_id = g_strdup (conversation_id);
  addendum->written_on = g_strdup ("2025-06-10");
  addendum->text = g_strdup (text);
  g_assert_true (koers_store_add_note_addendum (f->store, addendum, &error));
  g_assert_no_error (error);
}

static void
test_addenda (Team *t, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) in_a = NULL;
  g_autoptr (GPtrArray) hits = NULL;

  add_addendum (&t->a, t->conversation_id, "Aanvulling van Anna");
  add_addendum (&t->b, t->conversation_id, "ملاحظة من يوسف");
  exchange (&t->a, &t->b);
  exchange (&t->b, &t->a);
  g_assert_cmpuint (n_conflicts (&t->a), ==, 0);
  g_assert_cmpuint (n_conflicts (&t->b), ==, 0);
  in_a = koers_store_list (t->a.store, KOERS_ENTITY_NOTE_ADDENDUM, t->conversation_id, &error);
  g_assert_cmpuint (in_a->len, ==, 2);
  /* the merged addendum is in A's search index */
  hits = koers_store_search (t->a.store, "يوسف", KOERS_SEARCH_NOTES, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
}

static char *
add_step (StoreFixture *f,
          const char   *conversation_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersNextStep) step = koers_next_step_new ();

  step->conversation_id = g_strdup (conversation_id);
  step->description = g_strdup ("Bellen");
  g_assert_true (koers_store_add_next_step (f->store, step, &error));
  g_assert_no_error (error);
  return g_strdup (step->id);
}

static void
set_step (StoreFixture *f,
          const char   *id,
          const char   *description)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersNextStep) step = koers_store_get_next_step (f->store, id, &error);

  g_assert_no_error (error);
  g_free (step->description);
  step->description = g_strdup (description);
  g_assert_true (koers_store_update_next_step (f->store, step, &error));
  g_assert_no_error (error);
}

static void
delete_step (StoreFixture *f,
             const char   *id)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (koers_store_delete_next_step (f->store, id, &error));
  g_assert_no_error (error);
}

/* A tombstone beats an edit older than it; an edit newer than it is a
 * conflict (the record stays deleted until a person chooses). */
static void
test_tombstone (Team *t, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *older = add_step (&t->a, t->conversation_id);
  g_autofree char *newer = add_step (&t->a, t->conversation_id);
  g_autoptr (GPtrArray) conflicts = NULL;
  KoersNextStep *step;

  exchange (&t->a, &t->b);
  /* B edits `older` before A deletes it, `newer` after */
  set_step (&t->b, older, "Eerst bellen");
  t->a.now_ms = t->b.now_ms + 1000;
  delete_step (&t->a, older);
  delete_step (&t->a, newer);
  t->b.now_ms = t->a.now_ms + 1000;
  set_step (&t->b, newer, "Toch bellen");
  exchange (&t->a, &t->b);
  exchange (&t->b, &t->a);
  for (StoreFixture *f = &t->a; f != NULL; f = f == &t->a ? &t->b : NULL)
    {
      g_assert_null (koers_store_get_next_step (f->store, older, NULL));
      g_assert_null (koers_store_get_next_step (f->store, newer, NULL));
      conflicts = koers_store_list_conflicts (f->store, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (conflicts->len, ==, 1);
      g_assert_cmpstr (((KoersConflict *) conflicts->pdata[0])->entity_id, ==, newer);
      g_assert_cmpstr (((KoersConflict *) conflicts->pdata[0])->field, ==, "*");
      g_clear_pointer (&conflicts, g_ptr_array_unref);
    }
  /* A takes the edit: the step is back, in B too once it merges */
  conflicts = koers_store_list_conflicts (t->a.store, NULL, &error);
  {
    KoersConflict *c = conflicts->pdata[0];
    const char *edit = NULL;
    for (guint i = 0; i < c->values->len; i++)
      if (((KoersConflictValue *) c->values->pdata[i])->value != NULL)
        edit = ((KoersConflictValue *) c->values->pdata[i])->stamp;
    g_assert_true (koers_store_resolve_conflict (t->a.store, c->id, edit, &error));
    g_assert_no_error (error);
  }
  exchange (&t->a, &t->b);
  step = koers_store_get_next_step (t->b.store, newer, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (step->description, ==, "Toch bellen");
  koers_next_step_free (step);
  g_assert_cmpuint (n_conflicts (&t->a), ==, 0);
  g_assert_cmpuint (n_conflicts (&t->b), ==, 0);
}

static void
test_idempotent (Team *t, gconstpointer data)
{
  g_autoptr (GBytes) lines = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  KoersMergeStats stats;
  gint64 logged;

  store_fixture_set_phone (&t->a, t->client_id, "0633333333");
  lines = changes_of (&t->a, 0);
  merge (&t->b, &t->a, lines);
  before = export_of (&t->b);
  logged = store_fixture_count (&t->b, "SELECT count (*) FROM change_log");
  stats = merge (&t->b, &t->a, lines);
  after = export_of (&t->b);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (stats.applied, ==, 0);
  g_assert_cmpuint (stats.known, ==, stats.changes);
  g_assert_cmpint (store_fixture_count (&t->b, "SELECT count (*) FROM change_log"), ==, logged);
}

/* A line that cannot be merged: the error names the line, nothing of the
 * batch is applied. */
static void
test_refused (Team *t, gconstpointer data)
{
  static const char *const bad[] = {
    "not json",
    "{\"seq\":1,\"stamp\":\"STAMP\",\"entity\":\"spaceship\",\"entity_id\":\"ID\",\"op\":\"insert\",\"fields\":{}}",
    "{\"seq\":1,\"stamp\":\"STAMP\",\"entity\":\"client\",\"entity_id\":\"ID\",\"op\":\"update\",\"fields\":{\"wingspan\":3},\"base\":{}}",
    "{\"seq\":1,\"stamp\":\"STAMP\",\"entity\":\"client\",\"entity_id\":\"ID\",\"op\":\"update\",\"fields\":{\"phone\":12},\"base\":{}}",
    "{\"seq\":1,\"stamp\":\"nonsense\",\"entity\":\"client\",\"entity_id\":\"ID\",\"op\":\"update\",\"fields\":{}}",
    "{\"seq\":1,\"stamp\":\"STAMP\",\"entity\":\"client\",\"entity_id\":\"ID\",\"op\":\"rename\",\"fields\":{}}",
  };
  gint64 logged = store_fixture_count (&t->b, "SELECT count (*) FROM change_log");
  g_autofree char *before = export_of (&t->b);

  store_fixture_set_phone (&t->a, t->client_id, "0644444444");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GBytes) good = changes_of (&t->a, 0);
      g_autofree char *stamp = koers_store_stamp_text (koers_store_get_hlc (t->a.store) + 5,
                                                       koers_store_get_device_id (t->a.store));
      g_autoptr (GString) line_text = g_string_new (bad[i]);
      const char *line = (g_string_replace (line_text, "STAMP", stamp, 0),
                          g_string_replace (line_text, "ID", t->client_id, 0), line_text->str);
      g_autofree char *batch = g_strdup_printf ("%.*s%s\n", (int) g_bytes_get_size (good),
                                                (const char *) g_bytes_get_data (good, NULL), line);
      g_autoptr (GBytes) bytes = g_bytes_new (batch, strlen (batch));
      guint n = 0;
      g_autofree char *expected = NULL;
      g_autofree char *after = NULL;

      for (const char *p = batch; *p; p++)
        n += *p == '\n';
      expected = g_strdup_printf ("Line %u ", n);
      g_assert_false (koers_store_merge_changes (t->b.store, bytes, "x", NULL, &error));
      g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FORMAT);
      g_assert_true (g_str_has_prefix (error->message, expected));
      g_assert_null (strstr (error->message, "Tesfay"));
      g_assert_cmpint (store_fixture_count (&t->b, "SELECT count (*) FROM change_log"), ==, logged);
      after = export_of (&t->b);
      g_assert_cmpstr (before, ==, after);
    }
}

/* Permutations ------------------------------------------------------------------------------------ */

typedef struct
{
  GBytes     *lines;
  const char *device;
  int         device_index;   /* batches of one device keep their order */
} Batch;

/* Batches of three devices with concurrent edits, merged in every order
 * that keeps each device's own order into a fresh store: the same store,
 * the same conflicts. */
static void
test_permutations (Team *t, gconstpointer data)
{
  g_autofree char *step = add_step (&t->a, t->conversation_id);
  Batch batches[5];
  g_autofree char *reference = NULL;
  g_autofree char *reference_conflicts = NULL;
  guint orders = 0;
  gint64 a_first = last_seq (&t->a);

  exchange (&t->a, &t->b);
  exchange (&t->a, &t->c);
  batches[0] = (Batch) { changes_of (&t->a, 0), koers_store_get_device_id (t->a.store), 0 };
  /* A: phone and step; B: phone (concurrent), an addendum; C: deletes the
   * step, phone too, later than both */
  store_fixture_set_phone (&t->a, t->client_id, "0655555555");
  set_step (&t->a, step, "Bellen met advocaat");
  batches[1] = (Batch) { changes_of (&t->a, a_first), koers_store_get_device_id (t->a.store), 0 };
  store_fixture_set_phone (&t->b, t->client_id, "0666666666");
  add_addendum (&t->b, t->conversation_id, "Aanvulling B");
  batches[2] = (Batch) { changes_of (&t->b, 0), koers_store_get_device_id (t->b.store), 1 };
  t->c.now_ms += 5000;
  delete_step (&t->c, step);
  batches[3] = (Batch) { changes_of (&t->c, 0), koers_store_get_device_id (t->c.store), 2 };
  store_fixture_set_phone (&t->c, t->client_id, "0677777777");
  batches[4] = (Batch) { changes_of (&t->c, last_seq (&t->c) - 1), koers_store_get_device_id (t->c.store), 2 };

  /* every permutation of the five (Heap's algorithm, iteratively) */
  {
    int idx[5] = { 0, 1, 2, 3, 4 };
    int cnt[5] = { 0 };
    int i = 0;
    gboolean first = TRUE;

    while (first || i < 5)
      {
        gboolean keeps_order = TRUE;

        if (!first)
          {
            if (cnt[i] < i)
              {
                int j = (i % 2 == 0) ? 0 : cnt[i];
                int tmp = idx[j];
                idx[j] = idx[i];
                idx[i] = tmp;
                cnt[i]++;
                i = 0;
              }
            else
              {
                cnt[i] = 0;
                i++;
                continue;
              }
          }
        first = FALSE;
        for (int p = 0; p < 5; p++)
          for (int q = p + 1; q < 5; q++)
            if (batches[idx[p]].device_index == batches[idx[q]].device_index && idx[p] > idx[q])
              keeps_order = FALSE;
        if (!keeps_order)
          continue;
        {
          StoreFixture office = { 0 };
          g_autofree char *dump = NULL;
          g_autofree char *conflicts = NULL;

          store_fixture_setup (&office, STORE_FIXTURE_EMPTY);
          office.now_ms += 60000;
          for (int p = 0; p < 5; p++)
            {
              g_autoptr (GError) error = NULL;
              gboolean ok = koers_store_merge_changes (office.store, batches[idx[p]].lines,
                                                       batches[idx[p]].device, NULL, &error);
              g_assert_no_error (error);
              g_assert_true (ok);
            }
          dump = export_of (&office);
          conflicts = conflicts_of (&office);
          if (reference == NULL)
            {
              reference = g_steal_pointer (&dump);
              reference_conflicts = g_steal_pointer (&conflicts);
              g_assert_nonnull (strstr (reference, "Aanvulling B"));
              g_assert_nonnull (strstr (reference_conflicts, "phone"));
              g_assert_null (strstr (reference, "Bellen met advocaat"));
            }
          else
            {
              g_assert_cmpstr (dump, ==, reference);
              g_assert_cmpstr (conflicts, ==, reference_conflicts);
            }
          store_fixture_teardown (&office, NULL);
          orders++;
        }
      }
  }
  /* 5! / (2! * 1 * 2!) orders keep each device's own */
  g_assert_cmpuint (orders, ==, 30);
  for (guint b = 0; b < G_N_ELEMENTS (batches); b++)
    g_bytes_unref (batches[b].lines);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define TEAM_TEST(path, func) \
  g_test_add (path, Team, NULL, team_setup, func, team_teardown)

  TEAM_TEST ("/store/merge/in-order", test_in_order);
  TEAM_TEST ("/store/merge/concurrent", test_concurrent);
  TEAM_TEST ("/store/merge/addenda", test_addenda);
  TEAM_TEST ("/store/merge/tombstone", test_tombstone);
  TEAM_TEST ("/store/merge/idempotent", test_idempotent);
  TEAM_TEST ("/store/merge/refused", test_refused);
  TEAM_TEST ("/store/merge/permutations", test_permutations);
  return g_test_run ();
}
