/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Search: any script, diacritics, prefixes, ranking, aliases, notes,
 * hostile input, and the index following every change. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include "koers-store-private.h"
#include "store-fixture.h"

static GPtrArray *
search (StoreFixture *f, const char *typed, KoersSearchScope scope)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *hits = koers_store_search (f->store, typed, scope, 20, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  return hits;
}

/* The name of the first hit for @typed, or NULL. */
static char *
first (StoreFixture *f, const char *typed)
{
  g_autoptr (GPtrArray) hits = search (f, typed, KOERS_SEARCH_ALL);

  return hits->len ? g_strdup (((KoersSearchHit *) hits->pdata[0])->name) : NULL;
}

static guint
count (StoreFixture *f, const char *typed, KoersSearchScope scope)
{
  g_autoptr (GPtrArray) hits = search (f, typed, scope);

  return hits->len;
}

static void
add_named (StoreFixture *f, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    g_free (store_fixture_add_client (f, names[i], TRUE));
}

static const char *const people[] = {
  "Mohammed Al-Hashimi", "محمد عبد الله", "ሰላም ተስፋይ", "فاطمه رضایی", "Ольга Шевченко",
  "Zoë Ağaoğlu", "Ahmad Karimi", "Ahmad Rahimi", "Nguyễn Thị Hương", NULL,
};

static void
assert_first (StoreFixture *f, const char *typed, const char *expected)
{
  g_autofree char *name = first (f, typed);

  g_test_message ("%s -> %s", typed, name ? name : "(nothing)");
  g_assert_cmpstr (name, ==, expected);
}

static void
test_scripts (StoreFixture *f, gconstpointer data)
{
  add_named (f, people);

  assert_first (f, "Mohammed", "Mohammed Al-Hashimi");
  assert_first (f, "moh", "Mohammed Al-Hashimi");          /* prefix, any case */
  assert_first (f, "hashimi", "Mohammed Al-Hashimi");
  assert_first (f, "محمد", "محمد عبد الله");
  assert_first (f, "عبد الله", "محمد عبد الله");
  assert_first (f, "ሰላም", "ሰላም ተስፋይ");
  assert_first (f, "ተስፋ", "ሰላም ተስፋይ");                   /* Ge'ez prefix */
  assert_first (f, "فاطمه", "فاطمه رضایی");
  assert_first (f, "ольга", "Ольга Шевченко");
  assert_first (f, "Zoe agaoglu", "Zoë Ağaoğlu");         /* typed without diacritics */
  assert_first (f, "huong", "Nguyễn Thị Hương");
  g_assert_cmpuint (count (f, "Ahmad", KOERS_SEARCH_ALL), ==, 2);
  assert_first (f, "ahmad kar", "Ahmad Karimi");           /* every word must match */
  g_assert_cmpuint (count (f, "ahmad kar", KOERS_SEARCH_ALL), ==, 1);
  g_assert_cmpuint (count (f, "Wilhelmina", KOERS_SEARCH_ALL), ==, 0);
}

/* With the folding of koers-fold.c, the spellings of a name meet. */
static void
test_transliteration (StoreFixture *f, gconstpointer data)
{
  if (g_str_equal (koers_store_fold_version (), "plain"))
    {
      g_test_skip ("built without koers-fold.c");
      return;
    }
  add_named (f, people);
  assert_first (f, "Muhammad", "Mohammed Al-Hashimi");
  {
    g_autoptr (GPtrArray) hits = search (f, "mohamed", KOERS_SEARCH_ALL);
    gboolean arabic = FALSE;
    for (guint i = 0; i < hits->len; i++)
      arabic |= g_str_equal (((KoersSearchHit *) hits->pdata[i])->name, "محمد عبد الله");
    g_assert_true (arabic);
  }
  assert_first (f, "Olga", "Ольга Шевченко");
  assert_first (f, "Selam", "ሰላም ተስፋይ");
}

static void
test_ranking_and_sources (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *named = store_fixture_add_client (f, "Yonas Tesfay", TRUE);
  g_autofree char *mentioned = store_fixture_add_client (f, "Abrehet Kidane", TRUE);
  g_autofree char *aliased = store_fixture_add_client (f, "Semhar Haile", TRUE);
  g_autofree char *conv = store_fixture_add_conversation (f, mentioned,
    "Ze vertelde over haar broer Tesfay in Keren en over de schulden van het gezin.");
  g_autoptr (KoersAlias) alias = koers_alias_new ();
  g_autoptr (KoersNoteAddendum) addendum = koers_note_addendum_new ();
  g_autoptr (GPtrArray) hits = NULL;

  hits = search (f, "tesfay", KOERS_SEARCH_ALL);
  g_assert_cmpuint (hits->len, ==, 2);
  /* a name outranks a mention in the notes */
  g_assert_cmpstr (((KoersSearchHit *) hits->pdata[0])->client_id, ==, named);
  g_assert_cmpstr (((KoersSearchHit *) hits->pdata[1])->client_id, ==, mentioned);
  g_assert_cmpfloat (((KoersSearchHit *) hits->pdata[0])->rank, <,
                     ((KoersSearchHit *) hits->pdata[1])->rank);
  g_assert_cmpuint (count (f, "tesfay", KOERS_SEARCH_NAMES), ==, 1);
  g_assert_cmpuint (count (f, "schulden", KOERS_SEARCH_NOTES), ==, 1);
  g_assert_cmpuint (count (f, "schulden", KOERS_SEARCH_NAMES), ==, 0);

  alias->client_id = g_strdup (aliased);
  alias->name = g_strdup ("Simret");
  g_assert_true (koers_store_add_alias (f->store, alias, &error));
  assert_first (f, "simr", "Semhar Haile");

  addendum->conversation_id = g_strdup (conv);
  addendum->written_on = g_strdup ("2025-06-05");
  addendum->text = g_strdup ("Aanvulling: contact met IOM Asmara gelegd.");
  g_assert_true (koers_store_add_note_addendum (f->store, addendum, &error));
  assert_first (f, "asmara", "Abrehet Kidane");

  /* the index follows updates and deletes */
  g_free (alias->name);
  alias->name = g_strdup ("Mimi");
  g_assert_true (koers_store_update_alias (f->store, alias, &error));
  g_assert_cmpuint (count (f, "simret", KOERS_SEARCH_ALL), ==, 0);
  assert_first (f, "mimi", "Semhar Haile");
  {
    g_autoptr (KoersClient) c = koers_store_get_client (f->store, named, NULL);
    g_free (c->name);
    c->name = g_strdup ("Yonas Gebre");
    g_assert_true (koers_store_update_client (f->store, c, &error));
  }
  g_assert_cmpuint (count (f, "tesfay", KOERS_SEARCH_NAMES), ==, 0);
  g_assert_true (koers_store_delete_client (f->store, mentioned, &error));
  g_assert_cmpuint (count (f, "asmara", KOERS_SEARCH_ALL), ==, 0);
  g_assert_cmpuint (count (f, "tesfay", KOERS_SEARCH_ALL), ==, 0);
  g_assert_no_error (error);

  /* a rebuilt index finds the same */
  g_assert_true (koers_store_reindex (f->store, &error));
  g_assert_no_error (error);
  assert_first (f, "mimi", "Semhar Haile");
  assert_first (f, "gebre", "Yonas Gebre");
}

static void
test_hostile_input (StoreFixture *f, gconstpointer data)
{
  static const char *const inputs[] = {
    "", " ", "\"", "*", "AND", "OR NOT (", "name:", "{name}: x", "NEAR(a b)", "^moh",
    "moh\"*", "a\xff\xfe", "'; DROP TABLE client; --", "-", "+", "\u200f\u200e", NULL,
  };

  add_named (f, people);
  for (guint i = 0; inputs[i] != NULL; i++)
    {
      g_autoptr (GPtrArray) hits = search (f, inputs[i], KOERS_SEARCH_ALL);
      g_test_message ("%u hits", hits->len);
    }
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM client"), ==, 9);
}

/* --limit 0 means all: more matching names than the RANKED_NAMES cut. */
static void
test_limit_zero_is_all (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) text = g_string_new ("{\"format\":\"koers-jsonl\",\"version\":1}\n");
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GPtrArray) all = NULL;
  g_autoptr (GPtrArray) some = NULL;

  for (guint i = 0; i < 1100; i++)
    g_string_append_printf (text, "{\"type\":\"client\",\"id\":\"01890000-0000-7000-8000-%012x\","
                                  "\"name\":\"Zerolimit %u\",\"phase\":\"intake\"}\n", 0xe000 + i, i);
  in = g_memory_input_stream_new_from_data (g_strdup (text->str), text->len, g_free);
  g_assert_true (koers_store_import_jsonl (f->store, in, NULL, &error));
  g_assert_no_error (error);
  all = koers_store_search (f->store, "zerolimit", KOERS_SEARCH_NAMES, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1100);
  some = koers_store_search (f->store, "zerolimit", KOERS_SEARCH_NAMES, 30, &error);
  g_assert_cmpuint (some->len, ==, 30);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/store/search/scripts", test_scripts);
  ADD ("/store/search/transliteration", test_transliteration);
  ADD ("/store/search/ranking-and-sources", test_ranking_and_sources);
  ADD ("/store/search/hostile-input", test_hostile_input);
  ADD ("/store/search/limit-zero-is-all", test_limit_zero_is_all);
  return g_test_run ();
}
