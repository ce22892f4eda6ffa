/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-catchup: a laptop catching up after two weeks offline (issue 12).
 * Its steunpunt's 5 other laptops each made about 500 changes in that
 * time, syncing now and then (a round every consultation hour: --rounds
 * batches each), and the laptops of another steunpunt worked too. Then
 * the laptop's `koers-cli sync` runs as its own process: wall time, CPU,
 * peak RSS (getrusage of the child), and, from the drop's access log,
 * every request it made: how many, of what, how many bytes came back, and
 * whether anything but its own steunpunt's new batches was fetched.
 *
 * Everything is real: laptop vaults enrolled by a real office vault, real
 * sync rounds (upload, device list, pull, merge), the office's pull and
 * acks in between, nginx over TLS on 127.0.0.1 (the sync tests' server).
 * Target: ≤ 10 s, nothing fetched but this steunpunt's new batches.
 * Figures: docs/benchmarks.md, "Team sync: catching up".
 *
 *   bench-catchup [--colleagues 5] [--changes 500] [--rounds 20] [--others 2]
 */
#include "config.h"

#define G_LOG_DOMAIN "bench-catchup"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "bench-cli.h"
#include "bench-clients.h"
#include "dav-server.h"
#include "koers-office.h"
#include "koers-store-private.h"
#include "koers-store.h"
#include "koers-sync-round.h"
#include "koers-vault.h"

#define PASS      "bench-catchup passphrase"
#define SLOT      "Bench"
#define USER      "bench"
#define PASSWORD  "bench-app-password"

typedef struct
{
  char           *dir;
  KoersVault     *vault;
  KoersStore     *store;
  KoersDavClient *client;
} Laptop;

typedef struct
{
  KoersTestPki       *pki;
  KoersTestDavServer *server;
  KoersDavClient     *drop;
  char               *office_dir;
  KoersVault         *office_vault;
  KoersStore         *office_store;
  KoersOffice        *office;
  char               *steunpunt;      /* the laptop's */
  char               *other;          /* another steunpunt */
} Bench;

static void
office_make (Bench *b)
{
  g_autoptr(GError) error = NULL;
  KoersKdfParams params = koers_kdf_params_minimum ();
  g_autofree char *url = koers_test_dav_server_url (b->server, 0, "drop/");
  char *recovery = NULL;

  b->drop = koers_dav_client_new (url, USER, PASSWORD, b->pki->ca_pem, NULL, &error);
  BENCH_CHECK (b->drop != NULL);
  b->office_dir = bench_tmp_dir ("koers-bench-office-XXXXXX");
  b->office_vault = koers_vault_create (b->office_dir, "office", PASS, &params, &recovery, &error);
  BENCH_CHECK (b->office_vault != NULL);
  koers_vault_free_secret (recovery);
  b->office_store = koers_store_new (koers_vault_get_db (b->office_vault), &error);
  BENCH_CHECK (b->office_store != NULL);
  b->office = koers_office_new (b->office_store, &error);
  BENCH_CHECK (b->office != NULL);
  BENCH_CHECK (koers_office_init_keys (b->office, &error));
  b->steunpunt = koers_office_add_steunpunt (b->office, "Steunpunt Utrecht", &error);
  BENCH_CHECK (b->steunpunt != NULL);
  b->other = koers_office_add_steunpunt (b->office, "Steunpunt Zwolle", &error);
  BENCH_CHECK (b->other != NULL);
}

/* A laptop enrolled at @steunpunt and registered, as a coordinator does. */
static void
laptop_make (Bench      *b,
             Laptop     *l,
             const char *steunpunt,
             guint       index)
{
  g_autoptr(GError) error = NULL;
  KoersKdfParams params = koers_kdf_params_minimum ();
  g_autofree char *url = koers_test_dav_server_url (b->server, 0, "drop/");
  g_autofree char *name = g_strdup_printf ("Laptop %u", index + 1);
  KoersOfficeEnrollRequest request = { steunpunt, name, url, USER, PASSWORD, b->pki->ca_pem, NULL };
  g_autoptr(GBytes) file = koers_office_enroll (b->office, &request, &error);
  g_autofree char *device_id = NULL;
  g_autofree char *public_key = NULL;
  char *recovery = NULL;

  BENCH_CHECK (file != NULL);
  l->dir = bench_tmp_dir ("koers-bench-laptop-XXXXXX");
  l->vault = koers_vault_create (l->dir, SLOT, PASS, &params, &recovery, &error);
  BENCH_CHECK (l->vault != NULL);
  koers_vault_free_secret (recovery);
  l->store = koers_store_new (koers_vault_get_db (l->vault), &error);
  BENCH_CHECK (l->store != NULL);
  BENCH_CHECK (koers_sync_enroll (l->store, file, &device_id, &public_key, &error));
  BENCH_CHECK (koers_office_register_device (b->office, steunpunt, device_id, public_key, name,
                                             &error));
  l->client = koers_sync_make_client (l->store, &error);
  BENCH_CHECK (l->client != NULL);
}

static void
laptop_free (Laptop *l)
{
  g_clear_object (&l->client);
  g_clear_object (&l->store);
  if (l->vault != NULL && koers_vault_is_unlocked (l->vault))
    koers_vault_lock (l->vault);
  g_clear_object (&l->vault);
  bench_remove_tree (l->dir);
  g_free (l->dir);
}

static KoersSyncRoundResult
laptop_round (Laptop *l)
{
  g_autoptr(GError) error = NULL;
  KoersSyncRoundResult r;

  BENCH_CHECK (koers_sync_run_round (l->store, l->client, NULL, NULL, &r, NULL, &error));
  return r;
}

static void
office_pull (Bench *b)
{
  g_autoptr(GError) error = NULL;
  KoersOfficePullResult r;

  BENCH_CHECK (koers_office_pull (b->office, b->drop, NULL, NULL, &r, NULL, &error));
}

static gint64
count_changes (Laptop *l)
{
  g_autoptr(GError) error = NULL;
  gint64 n = koers_store_count_changes (l->store, 0, &error);

  BENCH_CHECK (n >= 0);
  return n;
}

/* The changes in @l's log that laptop @from made (merged with their
 * origin), apart from what the office relays from other steunpunten. */
static gint64
count_changes_from (Laptop *l,
                    Laptop *from)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = koers_store_prepare (l->store, "SELECT count(*) FROM change_log WHERE origin = ?",
                                            &error);
  gint64 n;

  BENCH_CHECK (stmt != NULL);
  sqlite3_bind_text (stmt, 1, koers_store_get_device_id (from->store), -1, SQLITE_TRANSIENT);
  BENCH_CHECK (sqlite3_step (stmt) == SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

static gint64
count_team_changes (Laptop *l,
                    Laptop *team,
                    int     colleagues)
{
  gint64 n = 0;

  for (int i = 0; i < colleagues; i++)
    n += count_changes_from (l, &team[i]);
  return n;
}

/* About @changes new changes on @l: clients with consent and a
 * conversation (3 changes each, plus a worker and a steunpunt). */
static gint64
laptop_work (Laptop *l,
             guint   changes)
{
  gint64 before = count_changes (l);

  bench_clients_import (l->store, MAX ((changes - 1) / 3, 1), 1, NULL, NULL);
  return count_changes (l) - before;
}

/* What the drop's access log says about the requests after @offset. */
typedef struct
{
  guint   requests;
  guint   gets;
  guint   propfinds;
  guint   puts;
  guint   batch_gets;     /* the colleagues' batches */
  guint   office_gets;    /* the office's batches to the steunpunt */
  guint64 bytes;          /* response bodies */
  guint64 batch_bytes;
  guint   foreign;        /* requests outside the laptop's steunpunt folder */
  guint   repeated;       /* a batch fetched twice */
} Requests;

/* nginx's "combined" format: … "METHOD PATH HTTP/1.1" STATUS BYTES … */
static void
count_request (Requests   *q,
               GHashTable *fetched,
               const char *line,
               const char *own_prefix)
{
  const char *request = strchr (line, '"');
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) tail = NULL;
  const char *end;
  guint64 bytes;

  if (request == NULL || (end = strchr (request + 1, '"')) == NULL)
    return;
  {
    g_autofree char *text = g_strndup (request + 1, end - request - 1);
    words = g_strsplit (text, " ", 3);
  }
  tail = g_strsplit (g_strchug ((char *) end + 1), " ", 3);
  if (g_strv_length (words) < 2 || g_strv_length (tail) < 2)
    return;
  bytes = g_ascii_strtoull (tail[1], NULL, 10);
  q->requests++;
  q->bytes += bytes;
  q->gets += g_str_equal (words[0], "GET");
  q->propfinds += g_str_equal (words[0], "PROPFIND");
  q->puts += g_str_equal (words[0], "PUT");
  if (!g_str_has_prefix (words[1], own_prefix))
    q->foreign++;
  if (g_str_equal (words[0], "GET") && g_str_has_suffix (words[1], ".batch"))
    {
      if (g_str_has_prefix (words[1], own_prefix)
          && g_str_has_prefix (words[1] + strlen (own_prefix), "office/"))
        q->office_gets++;
      else
        q->batch_gets++;
      q->batch_bytes += bytes;
      if (!g_hash_table_add (fetched, g_strdup (words[1])))
        q->repeated++;
    }
}

static Requests
read_access_log (Bench      *b,
                 gsize       offset)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *log = NULL;
  g_autofree char *own_prefix = g_strdup_printf ("/drop/%s/", b->steunpunt);
  g_autoptr(GHashTable) fetched = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;
  Requests q = { 0 };
  gsize len;

  BENCH_CHECK (g_file_get_contents (b->server->access_log, &log, &len, &error));
  g_assert_cmpuint (len, >=, offset);
  lines = g_strsplit (log + offset, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      count_request (&q, fetched, lines[i], own_prefix);
  return q;
}

static gsize
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gsize) st.st_size : 0;
}

/* The laptop's catch-up: `koers-cli sync` on its closed vault. */
static BenchUsage
catch_up (Laptop *l)
{
  g_autofree char *program = bench_sibling_program ("cli", "koers-cli");
  g_autofree char *vault_arg = g_strdup_printf ("--vault=%s", l->dir);
  const char *argv[] = { program, vault_arg, "--name=" SLOT, "sync", NULL };
  BenchUsage usage;

  g_clear_object (&l->client);
  g_clear_object (&l->store);
  koers_vault_lock (l->vault);
  usage = bench_run_measured (argv, "KOERS_PASSPHRASE", PASS, -1);
  {
    g_autoptr(GError) error = NULL;

    BENCH_CHECK (koers_vault_unlock (l->vault, SLOT, PASS, &error));
    l->store = koers_store_new (koers_vault_get_db (l->vault), &error);
    BENCH_CHECK (l->store != NULL);
  }
  return usage;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— a laptop catching up after two weeks offline");
  g_autoptr(GError) error = NULL;
  int colleagues = 5, changes = 500, rounds = 20, others = 2;
  GOptionEntry entries[] = {
    { "colleagues", 0, 0, G_OPTION_ARG_INT, &colleagues, "Other laptops of the steunpunt (5)", "N" },
    { "changes", 0, 0, G_OPTION_ARG_INT, &changes, "Changes each made while it was away (about; 500)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Sync rounds (batches) each made meanwhile (20)", "N" },
    { "others", 0, 0, G_OPTION_ARG_INT, &others, "Laptops of another steunpunt (2)", "N" },
    { NULL }
  };
  Bench b = { 0 };
  Laptop me = { 0 };
  g_autofree Laptop *team = NULL;
  g_autofree Laptop *away = NULL;
  gint64 made = 0, before, team_before, merged, from_team;
  guint batches = 0;
  gsize log_offset;
  BenchUsage usage;
  Requests q;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (colleagues < 1 || changes < 5 || rounds < 1 || others < 0 || changes / rounds < 5)
    g_error ("--colleagues ≥ 1, --rounds ≥ 1, --changes ≥ 5 per round, --others ≥ 0");
  g_setenv ("KOERS_KDF", "minimum", TRUE);
  team = g_new0 (Laptop, colleagues);
  away = g_new0 (Laptop, MAX (others, 1));
  b.pki = koers_test_pki_new ();
  b.server = koers_test_dav_server_start (KOERS_TEST_DAV_NGINX, b.pki, USER, PASSWORD);
  office_make (&b);
  laptop_make (&b, &me, b.steunpunt, 0);
  for (int i = 0; i < colleagues; i++)
    laptop_make (&b, &team[i], b.steunpunt, i + 1);
  for (int i = 0; i < others; i++)
    laptop_make (&b, &away[i], b.other, colleagues + i + 1);
  BENCH_CHECK (koers_office_publish_devices (b.office, b.drop, NULL, NULL, &error));

  /* before: everyone synced once, the laptop has read everything */
  for (int i = 0; i < colleagues; i++)
    {
      laptop_work (&team[i], 20);
      laptop_round (&team[i]);
    }
  office_pull (&b);
  laptop_round (&me);
  laptop_round (&me);

  /* two weeks: a round every consultation hour on every other laptop,
   * the office pulling in between; the laptop stays offline */
  for (int round = 0; round < rounds; round++)
    {
      for (int i = 0; i < colleagues; i++)
        {
          made += laptop_work (&team[i], changes / rounds);
          batches += laptop_round (&team[i]).n_uploaded;
        }
      for (int i = 0; i < others; i++)
        {
          laptop_work (&away[i], changes / rounds);
          laptop_round (&away[i]);
        }
      if (round % 4 == 3)
        office_pull (&b);
    }
  office_pull (&b);
  printf ("%d other laptops of the steunpunt made %" G_GINT64_FORMAT " changes in %u batches"
          " (%d rounds each); %d laptops of another steunpunt worked too\n",
          colleagues, made, batches, rounds, others);

  before = count_changes (&me);
  team_before = count_team_changes (&me, team, colleagues);
  log_offset = file_size (b.server->access_log);
  usage = catch_up (&me);
  merged = count_changes (&me) - before;
  from_team = count_team_changes (&me, team, colleagues) - team_before;
  q = read_access_log (&b, log_offset);
  /* the rest is reference data the office relays (workers, steunpunten
   * of the other steunpunt's laptops) */
  if (from_team != made)
    g_error ("the laptop merged %" G_GINT64_FORMAT " of its colleagues' changes of %" G_GINT64_FORMAT,
             from_team, made);

  printf ("| wall s | CPU s | peak RSS MB | changes merged | batches fetched | batch KB | all KB fetched | requests (GET/PROPFIND/PUT) | outside its steunpunt | fetched twice |\n");
  printf ("|---|---|---|---|---|---|---|---|---|---|\n");
  printf ("| %.2f | %.2f | %.1f | %" G_GINT64_FORMAT " | %u (+%u of the office) | %.0f | %.0f | %u (%u/%u/%u) | %u | %u |\n",
          usage.wall_s, usage.cpu_s, usage.max_rss_kb / 1024.0, merged, q.batch_gets, q.office_gets,
          q.batch_bytes / 1024.0, q.bytes / 1024.0, q.requests, q.gets, q.propfinds, q.puts,
          q.foreign, q.repeated);
  printf ("targets: ≤ 10 s: %s; only this steunpunt's new batches fetched: %s\n",
          usage.wall_s <= 10 ? "met" : "MISSED",
          q.foreign == 0 && q.repeated == 0 && q.batch_gets == batches ? "met" : "MISSED");

  laptop_free (&me);
  for (int i = 0; i < colleagues; i++)
    laptop_free (&team[i]);
  for (int i = 0; i < others; i++)
    laptop_free (&away[i]);
  g_clear_object (&b.office);
  g_clear_object (&b.office_store);
  koers_vault_lock (b.office_vault);
  g_clear_object (&b.office_vault);
  bench_remove_tree (b.office_dir);
  g_free (b.office_dir);
  g_free (b.steunpunt);
  g_free (b.other);
  g_clear_object (&b.drop);
  koers_test_dav_server_stop (b.server);
  koers_test_pki_free (b.pki);
  return 0;
}
