/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-store: the case model at scale. Imports N fictional clients (names
 * in Latin, Arabic, Ge'ez and Persian script, each with consent and M
 * conversations with notes) through the store API, then times searches as
 * a volunteer types them, the duplicate check at intake (a whole name, per
 * new client) and the consent check of a sync batch (one set query against
 * a seek per client), and reports peak memory. Each figure is given
 * for the vault and, as the comparison, for the same store on plain
 * SQLite.
 *
 *   bench-store                      10k clients x 10 and 100k x 1, both backends
 *   bench-store --clients N [--conversations M] [--plain] [--queries Q]
 *   bench-store --precision VAULT    matches per query in an existing vault
 *                                    (koers-cli demo --clients 10000), the
 *                                    names left in the search field as typed
 *                                    (no space after them); passphrase from
 *                                    KOERS_PASSPHRASE, the only slot
 */
#include "config.h"

#define G_LOG_DOMAIN "koers-bench"

#include <glib/gstdio.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include "bench-clients.h"
#include "koers-store.h"
#include "koers-vault.h"
#include "bench-cli.h"

typedef struct
{
  double import_s;
  guint  records;
  double p50_ms, p95_ms;         /* names and notes, wall clock */
  double cpu_p95_ms;             /* the same, CPU time of the thread */
  double names_p95_ms;           /* names only */
  double hits;                   /* mean hits per query */
  double dup_p95_ms;             /* duplicate check of a whole name */
  double dup_cpu_p95_ms;         /* the same, CPU time of the thread */
  double consent_set_ms;         /* clients_with_consent, all clients */
  double consent_each_ms;        /* has_consent, client by client */
  long   rss_kb;
} Result;

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* CPU time of this thread: unlike wall time, not inflated when other
 * programs compete for the processor. */
static double
cpu_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
percentile (double *values, guint n, double p)
{
  qsort (values, n, sizeof (double), compare_double);
  return values[MIN ((guint) (n * p), n - 1)];
}

static long
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmHWM:")) == NULL)
    return -1;
  return atol (line + 6);
}

#define CHECK BENCH_CHECK

static void
import (KoersStore *store, guint clients, guint conversations, GPtrArray *names, Result *r)
{
  double start = now_s ();

  bench_clients_import (store, clients, conversations, names, NULL);
  r->import_s = now_s () - start;
  r->records = clients * (2 + conversations);
}

/* What a volunteer types: the start (3 to 6 letters) of one word of a
 * name, sometimes two words. */
static char *
typed_query (GRand *rand, GPtrArray *names)
{
  const char *name = names->pdata[g_rand_int_range (rand, 0, names->len)];
  g_auto (GStrv) words = g_strsplit (name, " ", -1);
  const char *word = words[g_rand_int_range (rand, 0, g_strv_length (words))];
  /* MIN() evaluates its arguments twice: draw the length once. */
  glong wanted = g_rand_int_range (rand, 3, 7);
  glong len = MIN (g_utf8_strlen (word, -1), wanted);
  g_autofree char *prefix = g_utf8_substring (word, 0, len);

  if (g_strv_length (words) > 1 && g_rand_int_range (rand, 0, 4) == 0)
    return g_strdup_printf ("%s %s", words[0], prefix);
  return g_steal_pointer (&prefix);
}

static void
time_searches (KoersStore *store, GPtrArray *names, guint queries, KoersSearchScope scope,
               double *p50, double *p95, double *cpu_p95, double *hits)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autofree double *ms = g_new (double, queries);
  g_autofree double *cpu_ms = g_new (double, queries);
  guint total = 0;

  for (guint i = 0; i < queries; i++)
    {
      g_autofree char *typed = typed_query (rand, names);
      g_autoptr (GError) error = NULL;
      double start = now_s (), cpu_start = cpu_s ();
      g_autoptr (GPtrArray) found = koers_store_search (store, typed, scope, 20, &error);

      ms[i] = (now_s () - start) * 1000;
      cpu_ms[i] = (cpu_s () - cpu_start) * 1000;
      if (found == NULL)
        g_error ("search: %s", error->message);
      total += found->len;
    }
  *p50 = percentile (ms, queries, 0.5);
  *p95 = percentile (ms, queries, 0.95);
  *cpu_p95 = percentile (cpu_ms, queries, 0.95);
  *hits = (double) total / queries;
}

/* The duplicate check as an intake form runs it: the whole name of an
 * existing client, typed again, year of birth not known. */
static void
time_duplicates (KoersStore *store, GPtrArray *names, guint queries, Result *r)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  g_autofree double *ms = g_new (double, queries);
  g_autofree double *cpu_ms = g_new (double, queries);

  for (guint i = 0; i < queries; i++)
    {
      const char *name = names->pdata[g_rand_int_range (rand, 0, names->len)];
      g_autoptr (GError) error = NULL;
      double start = now_s (), cpu_start = cpu_s ();
      g_autoptr (GPtrArray) found = koers_store_find_possible_duplicates (store, name, 0, 5, &error);

      ms[i] = (now_s () - start) * 1000;
      cpu_ms[i] = (cpu_s () - cpu_start) * 1000;
      if (found == NULL || found->len == 0)
        g_error ("duplicates: %s", error ? error->message : "the client itself was not found");
    }
  r->dup_p95_ms = percentile (ms, queries, 0.95);
  r->dup_cpu_p95_ms = percentile (cpu_ms, queries, 0.95);
}

/* A sync batch asks which clients agreed to reporting: one query for
 * all, against koers_store_has_consent() for each. */
static void
time_consent (KoersStore *store, Result *r)
{
  g_autoptr (GError) error = NULL;
  double start = now_s ();
  g_autoptr (GHashTable) set = koers_store_clients_with_consent (store, KOERS_CONSENT_STORE_FILE,
                                                                 &error);
  GHashTableIter iter;
  gpointer id;
  guint granted = 0;

  CHECK (set != NULL);
  r->consent_set_ms = (now_s () - start) * 1000;
  start = now_s ();
  g_hash_table_iter_init (&iter, set);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    granted += koers_store_has_consent (store, id, KOERS_CONSENT_STORE_FILE);
  r->consent_each_ms = (now_s () - start) * 1000;
  if (granted != g_hash_table_size (set))
    g_error ("consent: the set and the per-client check disagree");
}

static sqlite3 *
open_plain (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "plain.db", NULL);
  sqlite3 *db = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK ||
      sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                        "PRAGMA temp_store=MEMORY; PRAGMA secure_delete=ON", NULL, NULL, NULL) != SQLITE_OK)
    g_error ("cannot open %s", path);
  return db;
}

static gboolean keep;

static void
run_one (guint clients, guint conversations, gboolean plain, guint queries, Result *r)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("koers-bench-XXXXXX", &error);
  g_autoptr (KoersVault) vault = NULL;
  g_autoptr (KoersStore) store = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db;
  double p50_names, cpu_names;

  if (plain)
    db = open_plain (dir);
  else
    {
      KoersKdfParams params = koers_kdf_params_minimum ();
      char *recovery = NULL;
      vault = koers_vault_create (dir, "Bench", "bench", &params, &recovery, &error);
      CHECK (vault != NULL);
      koers_vault_free_secret (recovery);
      db = koers_vault_get_db (vault);
    }
  store = koers_store_new (db, &error);
  CHECK (store != NULL);
  import (store, clients, conversations, names, r);
  time_searches (store, names, queries, KOERS_SEARCH_ALL, &r->p50_ms, &r->p95_ms, &r->cpu_p95_ms,
                 &r->hits);
  time_searches (store, names, queries, KOERS_SEARCH_NAMES, &p50_names, &r->names_p95_ms,
                 &cpu_names, &(double) { 0 });
  time_duplicates (store, names, MAX (queries / 5, 20), r);
  time_consent (store, r);
  r->rss_kb = peak_rss_kb ();
  g_clear_object (&store);
  if (plain)
    sqlite3_close (db);
  else
    koers_vault_lock (vault);
  if (keep)
    printf ("kept %s\n", dir);
  else
    bench_remove_tree (dir);
}

static void
print_result (guint clients, guint conversations, gboolean plain, const Result *r)
{
  printf ("RESULT %s clients=%u conversations=%u import_s=%.1f records_per_s=%.0f "
          "search_p50_ms=%.2f search_p95_ms=%.2f names_p95_ms=%.2f hits=%.1f rss_mb=%.0f "
          "search_cpu_p95_ms=%.2f duplicates_p95_ms=%.2f duplicates_cpu_p95_ms=%.2f consent_set_ms=%.1f "
          "consent_each_ms=%.1f\n",
          plain ? "plain" : "vault", clients, clients * conversations, r->import_s,
          r->records / r->import_s, r->p50_ms, r->p95_ms, r->names_p95_ms, r->hits,
          r->rss_kb / 1024.0, r->cpu_p95_ms, r->dup_p95_ms, r->dup_cpu_p95_ms, r->consent_set_ms, r->consent_each_ms);
}

/* Runs one configuration in a child process, so peak memory is its own. */
static gboolean
run_child (const char *self, guint clients, guint conversations, gboolean plain, guint queries,
           Result *r)
{
  g_autofree char *n = g_strdup_printf ("%u", clients);
  g_autofree char *m = g_strdup_printf ("%u", conversations);
  g_autofree char *q = g_strdup_printf ("%u", queries);
  const char *argv[] = { self, "--clients", n, "--conversations", m, "--queries", q,
                         plain ? "--plain" : NULL, NULL };
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  const char *line;
  int status;
  double ignored;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                     &error) || !g_spawn_check_wait_status (status, &error) ||
      (line = strstr (out, "RESULT ")) == NULL)
    {
      fprintf (stderr, "bench-store: %s\n", error ? error->message : "no result");
      return FALSE;
    }
  fputs (line, stdout);
  sscanf (strstr (line, "import_s="), "import_s=%lf records_per_s=%lf search_p50_ms=%lf "
          "search_p95_ms=%lf names_p95_ms=%lf hits=%lf rss_mb=%lf", &r->import_s, &ignored,
          &r->p50_ms, &r->p95_ms, &r->names_p95_ms, &r->hits, &ignored);
  r->records = clients * (2 + conversations);
  r->rss_kb = (long) (atof (strstr (line, "rss_mb=") + 7) * 1024);
  r->cpu_p95_ms = atof (strstr (line, "search_cpu_p95_ms=") + 18);
  r->dup_p95_ms = atof (strstr (line, "duplicates_p95_ms=") + 18);
  r->dup_cpu_p95_ms = atof (strstr (line, "duplicates_cpu_p95_ms=") + 22);
  r->consent_set_ms = atof (strstr (line, "consent_set_ms=") + 15);
  r->consent_each_ms = atof (strstr (line, "consent_each_ms=") + 16);
  return TRUE;
}

static int
run_table (const char *self, guint queries)
{
  /* 10k clients with 10 conversations each, and 100k clients with one:
   * both 100k conversations, the size the search target is set for. */
  static const guint sizes[] = { 10000, 100000 };
  static const guint per_client[] = { 10, 1 };

  printf ("%-8s %-13s %-14s %-12s %-12s %-12s %-10s %-8s\n", "clients", "conversations",
          "import rec/s", "search p95", "(CPU p95)", "names p95", "peak RSS", "backend");
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      Result vault = { 0 }, plain = { 0 };

      guint convs = sizes[i] * per_client[i];

      if (!run_child (self, sizes[i], per_client[i], TRUE, queries, &plain) ||
          !run_child (self, sizes[i], per_client[i], FALSE, queries, &vault))
        return 1;
      printf ("%-8u %-13u %-14.0f %-12.2f %-12.2f %-12.2f %-10.0f plain SQLite\n", sizes[i], convs,
              plain.records / plain.import_s, plain.p95_ms, plain.cpu_p95_ms, plain.names_p95_ms,
              plain.rss_kb / 1024.0);
      printf ("%-8u %-13u %-14.0f %-12.2f %-12.2f %-12.2f %-10.0f vault (x%.2f import time, "
              "x%.2f CPU p95)\n", sizes[i], convs, vault.records / vault.import_s, vault.p95_ms,
              vault.cpu_p95_ms, vault.names_p95_ms, vault.rss_kb / 1024.0,
              vault.import_s / plain.import_s, vault.cpu_p95_ms / plain.cpu_p95_ms);
      printf ("%-8u duplicate check p95 %.2f ms, CPU %.2f (plain %.2f, CPU %.2f); consent of "
              "every client: one query %.1f ms (plain %.1f), client by client %.1f ms (plain "
              "%.1f)\n", sizes[i], vault.dup_p95_ms, vault.dup_cpu_p95_ms, plain.dup_p95_ms,
              plain.dup_cpu_p95_ms, vault.consent_set_ms, plain.consent_set_ms,
              vault.consent_each_ms, plain.consent_each_ms);
      fflush (stdout);
    }
  return 0;
}

/* Search precision (docs/search.md): how many clients a name typed in full,
 * without a space after it, lists in a demo vault. Among them the ones from
 * issue 14: "Ali" listed a quarter of all clients. */
static const char *const precision_queries[] = {
  "Ali", "alia", "Alexei", "Mohammed", "Ahmad", "Ahmadzai", "al ahmad", "Hassan", "Hussein",
  "Fatima", "Yusuf", "Khalid", "Omar", "Tesfay", "Natalia", "Abdi", "Maryam", "Sara", "Ibrahim",
  "Zainab", NULL,
};

/* The benchmark's own look at the table, for the percentage only. */
static gint64
count_clients (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM client", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static int
run_precision (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersVault) vault = koers_vault_open (dir, &error);
  g_autoptr (KoersStore) store = NULL;
  g_auto (GStrv) slots = NULL;
  const char *passphrase = g_getenv ("KOERS_PASSPHRASE");
  gint64 clients;
  guint total = 0, n = 0;

  CHECK (vault != NULL);
  slots = koers_vault_list_slots (vault);
  CHECK (passphrase != NULL && slots[0] != NULL);
  CHECK (koers_vault_unlock (vault, slots[0], passphrase, &error));
  store = koers_store_new (koers_vault_get_db (vault), &error);
  CHECK (store != NULL);
  for (n = 0; precision_queries[n] != NULL; n++)
    {
      g_autoptr (GPtrArray) hits = koers_store_search (store, precision_queries[n], KOERS_SEARCH_NAMES, 0,
                                                       &error);
      CHECK (hits != NULL);
      printf ("%-10s %6u\n", precision_queries[n], hits->len);
      total += hits->len;
    }
  clients = count_clients (koers_vault_get_db (vault));
  printf ("precision: %u queries, on average %.0f matches per query (%.1f%% of %" G_GINT64_FORMAT
          " clients)\n", n, (double) total / n, 100.0 * total / n / MAX (clients, 1), clients);
  return 0;
}

int
main (int argc, char *argv[])
{
  int clients = 0, conversations = 10, queries = 1000;
  g_autofree char *precision = NULL;
  gboolean plain = FALSE;
  GOptionEntry entries[] = {
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "Clients to import (none: the full table)", "N" },
    { "conversations", 0, 0, G_OPTION_ARG_INT, &conversations, "Conversations per client", "M" },
    { "queries", 0, 0, G_OPTION_ARG_INT, &queries, "Searches to time", "Q" },
    { "plain", 0, 0, G_OPTION_ARG_NONE, &plain, "Plain SQLite instead of the vault", NULL },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the database folder", NULL },
    { "precision", 0, 0, G_OPTION_ARG_FILENAME, &precision, "Matches per query in an existing vault", "VAULT" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- benchmark the case store");
  g_autoptr (GError) error = NULL;
  Result r = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || conversations < 0 || queries < 20)
    {
      fprintf (stderr, "bench-store: %s\n", error ? error->message : "invalid arguments");
      return 2;
    }
  if (precision != NULL)
    return run_precision (precision);
  if (clients <= 0)
    return run_table (argv[0], queries);
  run_one (clients, conversations, plain, queries, &r);
  print_result (clients, conversations, plain, &r);
  return 0;
}
