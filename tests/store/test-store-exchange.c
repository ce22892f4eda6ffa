/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Export and import: JSON Lines round trip byte for byte, refused input,
 * the subject-access export as JSON and as a document, and printouts
 * in the audit. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include "store-fixture.h"

#define TRICKY_NOTES \
  "Eerste gesprek — ze spreekt Tigrinya.\n\"Ik wil terug\", zei ze.\tTab, backslash \\ en " \
  "emoji 🙂.\nArabisch: أريد العودة. Ge'ez: መመለስ እፈልጋለሁ."

static void
fill (StoreFixture *f)
{
  g_autofree char *a = store_fixture_add_full_file (f, "ሰላም ተስፋይ", TRICKY_NOTES, NULL);
  g_autofree char *b = store_fixture_add_full_file (f, "محمد عبد الله", "Kort.", a);
  g_autofree char *c = store_fixture_add_client (f, "Ольга Шевченко", FALSE);
  g_autofree char *d = store_fixture_add_full_file (f, "Zoë Ağaoğlu", "Notitie", NULL);
  g_autoptr (KoersClient) closed = koers_store_get_client (f->store, d, NULL);
  g_autoptr (GError) error = NULL;

  closed->phase = KOERS_PHASE_CLOSED;
  closed->outcome = KOERS_OUTCOME_RETURNED;
  g_assert_true (koers_store_update_client (f->store, closed, &error));
  g_assert_no_error (error);
}

static GBytes *
export_all (KoersStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_assert_true (koers_store_export_jsonl (store, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static gboolean
import_text (KoersStore *store, const char *text, GError **error)
{
  g_autoptr (GInputStream) in = g_memory_input_stream_new_from_data (g_strdup (text), -1, g_free);

  return koers_store_import_jsonl (store, in, NULL, error);
}

static void
test_jsonl_round_trip (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) first = NULL;
  g_autoptr (GBytes) second = NULL;
  StoreFixture other = { 0 };
  g_autoptr (GInputStream) in = NULL;
  g_auto (GStrv) lines = NULL;

  fill (f);
  first = export_all (f->store);
  lines = g_strsplit (g_bytes_get_data (first, NULL), "\n", -1);
  g_assert_cmpstr (lines[0], ==, "{\"format\":\"koers-jsonl\",\"version\":1}");
  g_assert_true (g_str_has_prefix (lines[1], "{\"type\":\"steunpunt\",\"id\":\""));
  g_assert_cmpuint (g_strv_length (lines), >, 40);

  store_fixture_setup (&other, STORE_FIXTURE_EMPTY);
  in = g_memory_input_stream_new_from_bytes (first);
  g_assert_true (koers_store_import_jsonl (other.store, in, NULL, &error));
  g_assert_no_error (error);
  second = export_all (other.store);
  g_assert_cmpuint (g_bytes_get_size (second), ==, g_bytes_get_size (first));
  g_assert_true (g_bytes_equal (first, second));

  /* the import went through the API: logged, searchable */
  g_assert_cmpint (store_fixture_count (&other, "SELECT count(*) FROM change_log WHERE op = 'insert'"),
                   ==, (gint64) g_strv_length (lines) - 2);
  {
    g_autoptr (GPtrArray) hits = koers_store_search (other.store, "ተስፋይ", KOERS_SEARCH_ALL, 5, NULL);
    g_assert_cmpuint (hits->len, ==, 1);
  }

  /* importing the same file again changes nothing: the ids exist */
  g_clear_object (&in);
  in = g_memory_input_stream_new_from_bytes (first);
  g_assert_false (koers_store_import_jsonl (other.store, in, NULL, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "Line 2: "));
  g_clear_error (&error);
  g_clear_pointer (&second, g_bytes_unref);
  second = export_all (other.store);
  g_assert_true (g_bytes_equal (first, second));
  store_fixture_teardown (&other, NULL);
}

static void
test_import_refused (StoreFixture *f, gconstpointer data)
{
  static const struct { const char *text; int code; const char *words; } cases[] = {
    { "", KOERS_STORE_ERROR_FORMAT, "empty" },
    { "{\"format\":\"csv\"}\n", KOERS_STORE_ERROR_FORMAT, "Line 1: " },
    { "{\"format\":\"koers-jsonl\",\"version\":1}\nnot json\n", KOERS_STORE_ERROR_FORMAT, "Line 2: " },
    { "{\"format\":\"koers-jsonl\",\"version\":1}\n[1,2]\n", KOERS_STORE_ERROR_FORMAT, "JSON object" },
    { "{\"format\":\"koers-jsonl\",\"version\":1}\n{\"type\":\"pizza\"}\n", KOERS_STORE_ERROR_FORMAT,
      "kind of record" },
    { "{\"format\":\"koers-jsonl\",\"version\":1}\n{\"type\":\"steunpunt\",\"name\":3}\n",
      KOERS_STORE_ERROR_FORMAT, "wrong kind" },
    { "{\"format\":\"koers-jsonl\",\"version\":1}\n{\"type\":\"steunpunt\",\"name\":\"A\",\"x\":1}\n",
      KOERS_STORE_ERROR_FORMAT, "unknown field" },
    { "{\"format\":\"koers-jsonl\",\"version\":1}\n"
      "{\"type\":\"steunpunt\",\"id\":\"01890000-0000-7000-8000-0000000000c2\",\"name\":\"A\"}\n"
      "{\"type\":\"client\",\"id\":\"01890000-0000-7000-8000-0000000000c3\",\"name\":\"B\","
      "\"phase\":\"intake\",\"birth_date\":\"2090-01-01\"}\n",
      KOERS_STORE_ERROR_INVALID, "Line 3: " },
    { "{\"format\":\"koers-jsonl\",\"version\":1}\n"
      "{\"type\":\"client\",\"id\":\"01890000-0000-7000-8000-0000000000c1\",\"name\":\"B\","
      "\"phase\":\"intake\",\"phone\":\"0612\"}\n",
      KOERS_STORE_ERROR_NO_CONSENT, "agreed" },
  };
  gint64 before = store_fixture_count (f, "SELECT count(*) FROM change_log");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (import_text (f->store, cases[i].text, &error));
      g_test_message ("%s", error->message);
      g_assert_error (error, KOERS_STORE_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].words));
    }
  /* all or nothing */
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM change_log"), ==, before);
}

/* The whole-store export and import each leave one audit row for the
 * store: who, when, how many files; an export that breaks off too. */
static GPtrArray *
store_rows (KoersStore *store, const char *action)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) all = koers_store_list_audit (store, NULL, &error);
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_audit_entry_free);

  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    {
      KoersAuditEntry *e = all->pdata[i];

      if (g_str_equal (e->action, action) && g_strcmp0 (e->entity, "store") == 0)
        {
          g_assert_null (e->client_id);
          g_ptr_array_add (rows, g_steal_pointer (&all->pdata[i]));
        }
      else
        g_assert_cmpint (e->files, ==, 0);
    }
  return rows;
}

static void
test_jsonl_audited (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) exported = NULL;
  g_autoptr (GInputStream) in = NULL;
  g_autoptr (GOutputStream) small = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  KoersAuditEntry *row;
  StoreFixture other = { 0 };
  char buffer[100];
  gint64 clients, before;

  fill (f);
  clients = store_fixture_count (f, "SELECT count(*) FROM client");
  g_assert_cmpint (clients, >=, 4);
  rows = store_rows (f->store, "export");
  g_assert_cmpuint (rows->len, ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);

  exported = export_all (f->store);
  rows = store_rows (f->store, "export");
  g_assert_cmpuint (rows->len, ==, 1);
  row = rows->pdata[0];
  g_assert_cmpint (row->files, ==, clients);
  g_assert_cmpstr (row->worker_id, ==, f->volunteer_id);
  g_assert_cmpint (row->at_ms, ==, koers_store_now_ms (f->store));
  g_clear_pointer (&rows, g_ptr_array_unref);
  /* the audit holds no content: its columns are who, when, what kind, and
   * (schema 7) a merged change's stamp: its HLC and device */
  g_assert_cmpint (store_fixture_count (f,
    "SELECT count(*) FROM pragma_table_info ('audit')"), ==, 8);

  /* broken off after 100 bytes: nothing exported in full, still recorded */
  small = g_memory_output_stream_new (buffer, sizeof buffer, NULL, NULL);
  g_assert_false (koers_store_export_jsonl (f->store, small, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_clear_error (&error);
  rows = store_rows (f->store, "export");
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpint (((KoersAuditEntry *) rows->pdata[1])->files, ==, clients);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* an import: one row with the number of files it brought */
  store_fixture_setup (&other, STORE_FIXTURE_EMPTY);
  koers_store_set_current_worker (other.store, NULL);
  in = g_memory_input_stream_new_from_bytes (exported);
  g_assert_true (koers_store_import_jsonl (other.store, in, NULL, &error));
  g_assert_no_error (error);
  rows = store_rows (other.store, "import");
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpint (((KoersAuditEntry *) rows->pdata[0])->files, ==, clients);
  g_assert_null (((KoersAuditEntry *) rows->pdata[0])->worker_id);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* a refused import leaves nothing, its audit row neither */
  before = store_fixture_count (&other, "SELECT count(*) FROM audit");
  g_clear_object (&in);
  in = g_memory_input_stream_new_from_bytes (exported);
  g_assert_false (koers_store_import_jsonl (other.store, in, NULL, &error));
  g_clear_error (&error);
  g_assert_cmpint (store_fixture_count (&other, "SELECT count(*) FROM audit"), ==, before);
  store_fixture_teardown (&other, NULL);
}

/* A refused line is named by its number and the field, never by what it
 * holds: the message goes to stderr or a toast. */
static void
test_import_errors_quote_nothing (StoreFixture *f, gconstpointer data)
{
#define HEADER "{\"format\":\"koers-jsonl\",\"version\":1}\n"
#define STEUNPUNT "{\"type\":\"steunpunt\",\"id\":\"01890000-0000-7000-8000-0000000000b1\",\"name\":\"S\"}\n"
#define CLIENT "{\"type\":\"client\",\"id\":\"01890000-0000-7000-8000-0000000000b2\",\"name\":\"Geheim\",\"phase\":\"intake\""
#define PLAN "{\"type\":\"return_plan\",\"id\":\"01890000-0000-7000-8000-0000000000b3\"," \
  "\"client_id\":\"01890000-0000-7000-8000-0000000000b2\",\"country\":\"AF\",\"status\":\"active\"," \
  "\"planned_departure\":\"2025-07-19\"}\n"
  static const struct { const char *text; const char *words; const char *secret; } cases[] = {
    { HEADER "{\"type\":\"Zebrapad 17\"}\n", "Line 2: ", "Zebrapad" },
    { HEADER STEUNPUNT "{\"type\":\"steunpunt\",\"name\":\"A\",\"Zebrapad 17\":1}\n", "Line 3: ", "Zebrapad" },
    { HEADER CLIENT ",\"gender\":\"Zebrapad 17\"}\n", "gender", "Zebrapad" },
    { HEADER CLIENT ",\"birth_date\":\"Zebrapad 17\"}\n", "date of birth", "Zebrapad" },
    { HEADER CLIENT ",\"birth_date\":\"2090-03-17\"}\n", "date of birth", "2090" },
    { HEADER CLIENT ",\"country_of_origin\":\"Zebrapad 17\"}\n", "country of origin", "Zebrapad" },
    { HEADER CLIENT ",\"steunpunt_id\":\"Zebrapad 17\"}\n", "steunpunt", "Zebrapad" },
    { HEADER CLIENT ",\"phone\":\"Zebrapad 17\"}\n", "phone", "Zebrapad" },
    { HEADER "{\"type\":\"client\",\"id\":\"Zebrapad 17\",\"name\":\"B\"}\n", "Line 2: ", "Zebrapad" },
    { HEADER CLIENT "}\n{\"type\":\"conversation\",\"id\":\"01890000-0000-7000-8000-0000000000b5\",\"client_id\":\"01890000-0000-7000-8000-0000000000b2\","
      "\"held_on\":\"2025-06-01\",\"topics\":[\"voluntary_return\",\"Zebrapad 17\"]}\n", "topics", "Zebrapad" },
    { HEADER "{\"type\":\"partner_org\",\"id\":\"01890000-0000-7000-8000-0000000000b4\",\"name\":\"P\","
      "\"country\":\"IQ\"}\n" CLIENT "}\n"
      "{\"type\":\"return_plan\",\"id\":\"01890000-0000-7000-8000-0000000000b6\",\"client_id\":\"01890000-0000-7000-8000-0000000000b2\",\"country\":\"AF\","
      "\"partner_id\":\"01890000-0000-7000-8000-0000000000b4\",\"status\":\"active\"}\n", "Line 4: ", "AF" },
    { HEADER CLIENT "}\n" PLAN "{\"type\":\"checkin\",\"id\":\"01890000-0000-7000-8000-0000000000b7\",\"plan_id\":\"01890000-0000-7000-8000-0000000000b3\","
      "\"month\":1,\"due_on\":\"2025-07-01\"}\n", "Line 4: ", "2025-07-19" },
  };
#undef HEADER
#undef STEUNPUNT
#undef CLIENT
#undef PLAN

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (import_text (f->store, cases[i].text, &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].words));
      g_assert_null (strstr (error->message, cases[i].secret));
      g_assert_null (strstr (error->message, "Geheim"));
      g_assert_null (strstr (error->message, "17"));
    }
}

static void
test_subject_access (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = store_fixture_add_full_file (f, "ሰላም ተስፋይ", TRICKY_NOTES, NULL);
  g_autofree char *json = koers_store_export_client_json (f->store, id, &error);
  g_autofree char *again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *prefix = g_strdup_printf (
    "{\"format\":\"koers-subject-access\",\"version\":1,\"file\":{\"type\":\"client\",\"id\":\"%s\","
    "\"name\":\"ሰላም ተስፋይ\",\"birth_year\":1988,", id);
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (json, prefix));
  /* valid JSON, with every part of the file */
  g_assert_cmpint (sqlite3_prepare_v2 (koers_store_get_db (f->store),
    "SELECT json_valid (?1), json_array_length (?1, '$.file.conversation'),"
    " json_array_length (?1, '$.file.conversation[0].note_addendum'),"
    " json_array_length (?1, '$.file.return_plan[0].checkin'),"
    " json_extract (?1, '$.file.conversation[0].notes')", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 2), ==, 1);
  g_assert_cmpint (sqlite3_column_int (stmt, 3), ==, 4);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 4), ==, TRICKY_NOTES);
  sqlite3_finalize (stmt);
  /* stable: the same file gives the same bytes */
  again = koers_store_export_client_json (f->store, id, &error);
  g_assert_cmpstr (again, ==, json);

  text = koers_store_export_client_text (f->store, id, &error);
  g_assert_no_error (error);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "# The file of ሰላም ተስፋይ\n"));
  g_assert_nonnull (strstr (text, "## Client\n"));
  g_assert_nonnull (strstr (text, "- country of origin: ER\n"));
  g_assert_nonnull (strstr (text, "- workers: Anna de Vries\n"));        /* names, not ids */
  g_assert_nonnull (strstr (text, "  > \"Ik wil terug\", zei ze."));      /* notes quoted */
  g_assert_nonnull (strstr (text, "#### Check-in\n"));
  g_assert_null (strstr (text, f->volunteer_id));
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM audit WHERE action = 'export'"),
                   ==, 3);
}

/* A printout is audited as an export of what was printed, by whom, when;
 * a client that is gone is refused and leaves no row. */
static void
test_print_audited (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = store_fixture_add_client (f, "ሰላም ተስፋይ", TRUE);
  g_autoptr (GPtrArray) rows = NULL;
  KoersAuditEntry *last;

  koers_store_set_current_worker (f->store, f->volunteer_id);
  g_assert_true (koers_store_audit_print (f->store, id, KOERS_ENTITY_RETURN_PLAN, &error));
  g_assert_no_error (error);
  g_assert_true (koers_store_audit_print (f->store, id, KOERS_ENTITY_CLIENT, &error));
  rows = koers_store_list_audit (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, >=, 2);
  last = rows->pdata[rows->len - 1];
  g_assert_cmpstr (last->action, ==, "export");
  g_assert_cmpstr (last->entity, ==, "printed_client");
  g_assert_cmpstr (last->worker_id, ==, f->volunteer_id);
  g_assert_cmpint (last->at_ms, ==, f->now_ms);
  g_assert_cmpstr (((KoersAuditEntry *) rows->pdata[rows->len - 2])->entity, ==, "printed_return_plan");

  g_assert_false (koers_store_audit_print (f->store, "0190aaaa-0000-7000-8000-000000000000",
                                           KOERS_ENTITY_CLIENT, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM audit WHERE entity LIKE 'printed_%'"),
                   ==, 2);
}

/* --- issue 14: ids, NUL, bytes that are not UTF-8, long lines ----------- */

#define X_HEADER "{\"format\":\"koers-jsonl\",\"version\":1}\n"
#define X_CLIENT(id, name) "{\"type\":\"client\",\"id\":\"01890000-0000-7000-8000-" id "\",\"name\":\"" name "\",\"phase\":\"intake\"}\n"

static void
expect_refused (StoreFixture *f, const char *text, gsize len, const char *line, const char *words)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) in = g_memory_input_stream_new_from_data (g_memdup2 (text, len), len, g_free);
  gint64 before = store_fixture_count (f, "SELECT count(*) FROM client");

  g_assert_false (koers_store_import_jsonl (f->store, in, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, line));
  g_assert_nonnull (strstr (error->message, words));
  g_assert_null (strstr (error->message, "Naam"));
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM client"), ==, before);
}

/* Every record needs its id: without one, importing a file twice would
 * make two clients. */
static void
test_import_needs_ids (StoreFixture *f, gconstpointer data)
{
  static const char text[] = X_HEADER X_CLIENT ("0000000000d1", "A")
    "{\"type\":\"client\",\"name\":\"Naam\",\"phase\":\"intake\"}\n";

  expect_refused (f, text, sizeof text - 1, "Line 3: ", "“id”");
}

/* \u0000 would cut a name or an append-only note short for good. */
static void
test_import_nul_refused (StoreFixture *f, gconstpointer data)
{
  static const char name[] = X_HEADER X_CLIENT ("0000000000d2", "Naam\\u0000Rest");
  static const char id[] = X_HEADER X_CLIENT ("0000000000d3\\u0000", "Naam");
  static const char list[] = X_HEADER
    "{\"type\":\"client\",\"id\":\"01890000-0000-7000-8000-0000000000d4\",\"name\":\"A\",\"phase\":\"intake\","
    "\"languages\":[\"Naam\\u0000Rest\"]}\n";
  static const char raw[] = X_HEADER "{\"type\":\"client\",\"id\":\"01890000-0000-7000-8000-0000000000d5\","
    "\"name\":\"Naam\0Rest\",\"phase\":\"intake\"}\n";

  expect_refused (f, name, sizeof name - 1, "Line 2: ", "“name”");
  expect_refused (f, name, sizeof name - 1, "Line 2: ", "\\u0000");
  expect_refused (f, id, sizeof id - 1, "Line 2: ", "“id”");
  expect_refused (f, list, sizeof list - 1, "Line 2: ", "“languages”");
  expect_refused (f, raw, sizeof raw - 1, "Line 2: ", "NUL");
  {
    static const char backslash[] = X_HEADER X_CLIENT ("0000000000da", "A\\\\u0000");
    g_autoptr (GError) error = NULL;
    g_autoptr (GInputStream) in = g_memory_input_stream_new_from_data (backslash, sizeof backslash - 1, NULL);

    g_assert_true (koers_store_import_jsonl (f->store, in, NULL, &error));
    g_assert_no_error (error);
  }
}

static void
test_import_not_utf8 (StoreFixture *f, gconstpointer data)
{
  static const char text[] = X_HEADER X_CLIENT ("0000000000d6", "A") X_CLIENT ("0000000000d7", "Na\xff\xfe");

  expect_refused (f, text, sizeof text - 1, "Line 3: ", "UTF-8");
}

/* A line over the cap is refused while it is read: the memory it takes
 * stays near the cap, not at the size of the line. */
typedef struct
{
  GInputStream parent;
  guint64      left;
} EndlessLine;

typedef GInputStreamClass EndlessLineClass;
GType endless_line_get_type (void);
G_DEFINE_TYPE (EndlessLine, endless_line, G_TYPE_INPUT_STREAM)

static gssize
endless_line_read (GInputStream *stream, void *buffer, gsize count, GCancellable *c, GError **error)
{
  EndlessLine *self = (EndlessLine *) stream;
  gsize n = MIN (count, self->left);

  memset (buffer, 'a', n);
  if (n > 0 && self->left == G_MAXUINT64)
    memcpy (buffer, X_HEADER, MIN (n, sizeof X_HEADER - 1)), n = MIN (n, sizeof X_HEADER - 1);
  self->left = self->left == G_MAXUINT64 ? (G_GUINT64_CONSTANT (1) << 32) : self->left - n;
  return (gssize) n;
}

static void
endless_line_class_init (EndlessLineClass *klass)
{
  klass->read_fn = endless_line_read;
}

static void
endless_line_init (EndlessLine *self)
{
  self->left = G_MAXUINT64;  /* first the header, then 4 GiB without a line end */
}

static void
test_import_line_cap (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GInputStream) in = g_object_new (endless_line_get_type (), NULL);

  g_assert_false (koers_store_import_jsonl (f->store, in, NULL, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FORMAT);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, "Line 2: "));
  g_assert_nonnull (strstr (error->message, "MiB"));
  /* It stopped at the cap, not at the end of 4 GiB. */
  g_assert_cmpuint (((EndlessLine *) in)->left, >, G_GUINT64_CONSTANT (3) << 30);
}

/* A note of the largest size the store keeps (1 MB) imports: the cap is
 * far above any line an export writes. */
static void
test_import_long_line_below_cap (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *client = store_fixture_add_client (f, "A", TRUE);
  g_autoptr (GString) text = g_string_new (X_HEADER);
  g_autoptr (GInputStream) in = NULL;

  g_string_append_printf (text, "{\"type\":\"conversation\",\"id\":\"01890000-0000-7000-8000-0000000000d9\","
                                "\"client_id\":\"%s\",\"held_on\":\"2025-06-01\",\"notes\":\"", client);
  for (guint i = 0; i < 1000 * 1000 / 16; i++)
    g_string_append (text, "vijftien tekens ");
  g_string_append (text, "\"}\n");
  in = g_memory_input_stream_new_from_data (g_strdup (text->str), text->len, g_free);
  g_assert_true (koers_store_import_jsonl (f->store, in, NULL, &error));
  g_assert_no_error (error);
}

/* A document written to a file is an export on disk in clear, told apart
 * from paper in the audit (issue 14). */
static void
test_print_to_file_audited (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *client = store_fixture_add_client (f, "A", TRUE);

  g_assert_true (koers_store_audit_print_to_file (f->store, client, KOERS_ENTITY_CLIENT, &error));
  g_assert_no_error (error);
  g_assert_true (koers_store_audit_print (f->store, client, KOERS_ENTITY_RETURN_PLAN, &error));
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM audit WHERE action = 'export' AND entity = 'file_client'"),
                   ==, 1);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM audit WHERE action = 'export' AND entity = 'printed_return_plan'"),
                   ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/store/exchange/jsonl-round-trip", test_jsonl_round_trip);
  ADD ("/store/exchange/import-refused", test_import_refused);
  ADD ("/store/exchange/jsonl-audited", test_jsonl_audited);
  ADD ("/store/exchange/import-errors-quote-nothing", test_import_errors_quote_nothing);
  ADD ("/store/exchange/subject-access", test_subject_access);
  ADD ("/store/exchange/print-audited", test_print_audited);
  ADD ("/store/exchange/import-needs-ids", test_import_needs_ids);
  ADD ("/store/exchange/import-nul-refused", test_import_nul_refused);
  ADD ("/store/exchange/import-not-utf8", test_import_not_utf8);
  ADD ("/store/exchange/import-line-cap", test_import_line_cap);
  ADD ("/store/exchange/import-long-line-below-cap", test_import_long_line_below_cap);
  ADD ("/store/exchange/print-to-file-audited", test_print_to_file_audited);
  return g_test_run ();
}
