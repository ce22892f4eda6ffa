/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-pull: `koers-office pull` of many laptops' batches from a local
 * nginx WebDAV drop over TLS (the sync tests' server): wall time, CPU and
 * peak RSS of the pull (getrusage of the child), changes merged per
 * second, and how the time grows from 10 to 100 to 1000 batches.
 *
 * Each laptop is a real vault with its own device key and clients (client,
 * consent, conversation: bench_clients_import), its own changes cut into
 * batches of --batch changes, sealed to the office and chained as the
 * engine does, and put in its folder on the drop (written into nginx's
 * drop folder: the pull is what is measured). The office is a real office
 * vault with every device registered; each size is pulled by the built
 * koers-office program into a fresh copy of it, from a folder of the drop
 * holding only that size's laptops.
 *
 * Targets (issue 11): ≥ 5k changes merged per second, peak RSS ≤ 300 MB,
 * time linear in the number of changes. Figures: docs/benchmarks.md.
 *
 *   bench-pull [--laptops 100] [--changes 1000] [--batch 100]
 */
#include "config.h"

#define G_LOG_DOMAIN "bench-pull"

#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "bench-clients.h"
#include "dav-server.h"
#include "koers-envelope.h"
#include "koers-office.h"
#include "koers-store.h"
#include "koers-vault.h"
#include "bench-cli.h"

#define PASS       "bench-pull office passphrase"
#define USER       "bench"
#define PASSWORD   "bench-app-password"
#define STEUNPUNTEN 20

typedef struct
{
  KoersTestPki       *pki;
  KoersTestDavServer *server;
  char               *office_dir;     /* the office before any pull */
  char              **steunpunten;    /* ids */
  KoersSyncKey       *office_seal;    /* public */
  guint               laptops;
  guint               changes;
  guint               batch;
  guint               sizes[3];       /* laptops per run */
  gint64              changes_in[3];  /* changes on the drop per run */
  guint               batches_in[3];
} Bench;

static void
copy_dir (const char *from,
          const char *to)
{
  g_autoptr(GDir) d = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GFile) src = g_file_new_build_filename (from, name, NULL);
      g_autoptr(GFile) dst = g_file_new_build_filename (to, name, NULL);

      BENCH_CHECK (g_file_copy (src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
    }
}

/* The office: keys, steunpunten; devices are registered as laptops come. */
static KoersOffice *
office_open (const char  *dir,
             KoersVault **vault,
             KoersStore **store)
{
  g_autoptr(GError) error = NULL;
  KoersOffice *office;

  *vault = koers_vault_open (dir, &error);
  BENCH_CHECK (*vault != NULL);
  BENCH_CHECK (koers_vault_unlock (*vault, "office", PASS, &error));
  *store = koers_store_new (koers_vault_get_db (*vault), &error);
  BENCH_CHECK (*store != NULL);
  office = koers_office_new (*store, &error);
  BENCH_CHECK (office != NULL);
  return office;
}

static void
office_close (KoersOffice *office,
              KoersVault  *vault,
              KoersStore  *store)
{
  g_object_unref (office);
  g_object_unref (store);
  koers_vault_lock (vault);
  g_object_unref (vault);
}

static void
office_make (Bench *b)
{
  g_autoptr(GError) error = NULL;
  KoersKdfParams params = koers_kdf_params_minimum ();
  g_autoptr(KoersVault) vault = NULL;
  g_autoptr(KoersSyncKey) seal = NULL;
  KoersStore *store;
  KoersOffice *office;
  char *recovery = NULL;

  b->office_dir = bench_tmp_dir ("koers-bench-office-XXXXXX");
  vault = koers_vault_create (b->office_dir, "office", PASS, &params, &recovery, &error);
  BENCH_CHECK (vault != NULL);
  koers_vault_free_secret (recovery);
  koers_vault_lock (vault);
  g_clear_object (&vault);
  office = office_open (b->office_dir, &vault, &store);
  BENCH_CHECK (koers_office_init_keys (office, &error));
  b->steunpunten = g_new0 (char *, STEUNPUNTEN + 1);
  for (guint i = 0; i < STEUNPUNTEN; i++)
    {
      g_autofree char *name = g_strdup_printf ("Steunpunt %u", i + 1);

      b->steunpunten[i] = koers_office_add_steunpunt (office, name, &error);
      BENCH_CHECK (b->steunpunten[i] != NULL);
    }
  seal = koers_office_get_key (office, KOERS_SYNC_KEY_SEAL, &error);
  BENCH_CHECK (seal != NULL);
  b->office_seal = koers_sync_key_copy_public (seal);
  office_close (office, g_steal_pointer (&vault), store);
}

static void
office_register (Bench       *b,
                 const char  *steunpunt,
                 const char  *device_id,
                 KoersSyncKey *key,
                 guint        index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) vault = NULL;
  g_autofree char *name = g_strdup_printf ("Laptop %u", index + 1);
  char hex[KOERS_SYNC_PUBLIC_BYTES * 2 + 1];
  KoersStore *store;
  KoersOffice *office = office_open (b->office_dir, &vault, &store);

  sodium_bin2hex (hex, sizeof hex, koers_sync_key_get_public (key), KOERS_SYNC_PUBLIC_BYTES);
  BENCH_CHECK (koers_office_register_device (office, steunpunt, device_id, hex, name, &error));
  office_close (office, g_steal_pointer (&vault), store);
}

/* Writes @file as @name into the laptop's folder of every run's root that
 * holds laptop @index. */
static void
drop_put (Bench      *b,
          guint       index,
          const char *folder,
          const char *name,
          GBytes     *file)
{
  for (guint run = 0; run < G_N_ELEMENTS (b->sizes); run++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *root = g_strdup_printf ("run%u", run);
      g_autofree char *dir = g_build_filename (b->server->drop_dir, root, folder, NULL);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (index >= b->sizes[run])
        continue;
      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      BENCH_CHECK (g_file_set_contents (path, g_bytes_get_data (file, NULL),
                                        (gssize) g_bytes_get_size (file), &error));
    }
}

/* One laptop: a vault with about b->changes changes of its own, cut into
 * sealed, chained batches of b->batch changes on the drop. */
static void
laptop_make (Bench *b,
             guint  index)
{
  g_autoptr(GError) error = NULL;
  KoersKdfParams params = koers_kdf_params_minimum ();
  g_autofree char *dir = bench_tmp_dir ("koers-bench-laptop-XXXXXX");
  char *recovery = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(KoersVault) vault = koers_vault_create (dir, "Laptop", "laptop", &params, &recovery,
                                                    &error);
  g_autoptr(KoersStore) store = NULL;
  g_autoptr(KoersSyncKey) key = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  g_autoptr(GBytes) all = NULL;
  g_auto(GStrv) lines = NULL;
  const char *steunpunt = b->steunpunten[index % STEUNPUNTEN];
  const KoersSyncKey *recipients[] = { b->office_seal };
  guint8 prev[KOERS_SYNC_HASH_BYTES] = { 0 };
  gint64 last = 0;
  guint n_lines;

  BENCH_CHECK (vault != NULL);
  koers_vault_free_secret (recovery);
  store = koers_store_new (koers_vault_get_db (vault), &error);
  BENCH_CHECK (store != NULL);
  bench_clients_import (store, (b->changes - 2) / 3, 1, NULL, NULL);
  all = koers_store_sync_read_changes (store, 0, G_MAXSIZE, &last, NULL, &error);
  BENCH_CHECK (all != NULL);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (all, NULL), g_bytes_get_size (all));
    lines = g_strsplit (text, "\n", -1);
  }
  n_lines = g_strv_length (lines) - 1;  /* the text ends in a newline */
  folder = g_strdup_printf ("%s/%s", steunpunt, koers_store_get_device_id (store));
  for (guint first = 0; first < n_lines; first += b->batch)
    {
      guint end = MIN (first + b->batch, n_lines);
      g_autoptr(GString) jsonl = g_string_new (NULL);
      g_autoptr(GBytes) payload = NULL;
      g_autoptr(GBytes) sealed = NULL;
      g_autofree char *name = NULL;
      KoersBatchInfo info = { 0 };

      for (guint i = first; i < end; i++)
        g_string_append_printf (jsonl, "%s\n", lines[i]);
      payload = g_string_free_to_bytes (g_steal_pointer (&jsonl));
      koers_sync_id_from_uuid (steunpunt, info.steunpunt_id);
      koers_sync_id_from_uuid (koers_store_get_device_id (store), info.device_id);
      info.epoch = 1;
      info.first_seq = first + 1;  /* the device's own seq: 1, 2, 3… */
      info.last_seq = end;
      memcpy (info.prev_hash, prev, sizeof prev);
      sealed = koers_envelope_seal (&info, payload, key, recipients, 1, &error);
      BENCH_CHECK (sealed != NULL);
      koers_sync_hash (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed), prev);
      name = koers_envelope_file_name (&info);
      drop_put (b, index, folder, name, sealed);
      for (guint run = 0; run < G_N_ELEMENTS (b->sizes); run++)
        if (index < b->sizes[run])
          {
            b->changes_in[run] += end - first;
            b->batches_in[run]++;
          }
    }
  office_register (b, steunpunt, koers_store_get_device_id (store), key, index);
  g_clear_object (&store);
  koers_vault_lock (vault);
  g_clear_object (&vault);
  bench_remove_tree (dir);
}

/* Runs koers-office with @args on the vault @dir and waits for it, with
 * its own rusage; aborts when it fails. */
static BenchUsage
run_office (const char        *dir,
            const char *const *args)
{
  g_autofree char *program = bench_sibling_program ("office", "koers-office");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, program);
  g_ptr_array_add (argv, (char *) "--vault");
  g_ptr_array_add (argv, (char *) dir);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  return bench_run_measured ((const char *const *) argv->pdata, "KOERS_PASSPHRASE", PASS, -1);
}

static gint64
office_changes (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) vault = NULL;
  KoersStore *store;
  KoersOffice *office = office_open (dir, &vault, &store);
  gint64 n = koers_store_count_changes (store, 0, &error);

  BENCH_CHECK (n >= 0);
  office_close (office, g_steal_pointer (&vault), store);
  return n;
}

/* A fresh copy of the office pulls run @run's folder of the drop. */
static BenchUsage
pull_run (Bench *b,
          guint  run)
{
  g_autofree char *dir = bench_tmp_dir ("koers-bench-pull-XXXXXX");
  g_autofree char *root = g_strdup_printf ("drop/run%u/", run);
  g_autofree char *url = koers_test_dav_server_url (b->server, 0, root);
  g_autofree char *pw_file = g_strconcat (dir, "-pw", NULL);
  g_autofree char *ca_file = g_strconcat (dir, "-ca.pem", NULL);
  const char *set[] = { "drop", "set", url, "--user", USER, "--password-file", pw_file,
                        "--ca", ca_file, NULL };
  const char *pull[] = { "pull", NULL };
  gint64 before, after;
  BenchUsage usage;

  copy_dir (b->office_dir, dir);
  g_assert_true (g_file_set_contents (pw_file, PASSWORD, -1, NULL));
  g_assert_true (g_file_set_contents (ca_file, g_bytes_get_data (b->pki->ca_pem, NULL),
                                      (gssize) g_bytes_get_size (b->pki->ca_pem), NULL));
  run_office (dir, set);
  g_unlink (pw_file);
  g_unlink (ca_file);
  before = office_changes (dir);
  usage = run_office (dir, pull);
  after = office_changes (dir);
  if (after - before != b->changes_in[run])
    g_error ("the office merged %" G_GINT64_FORMAT " changes of %" G_GINT64_FORMAT,
             after - before, b->changes_in[run]);
  bench_remove_tree (dir);
  return usage;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— koers-office pull of many laptops");
  g_autoptr(GError) error = NULL;
  int laptops = 100, changes = 1000, batch = 100;
  GOptionEntry entries[] = {
    { "laptops", 0, 0, G_OPTION_ARG_INT, &laptops, "Laptops in the largest run (100)", "N" },
    { "changes", 0, 0, G_OPTION_ARG_INT, &changes, "Changes per laptop (about; 1000)", "N" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Changes per batch (100)", "N" },
    { NULL }
  };
  Bench b = { 0 };
  BenchUsage usage[3];
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (laptops < 1 || changes < 5 || batch < 1)
    g_error ("--laptops ≥ 1, --changes ≥ 5, --batch ≥ 1");
  if (sodium_init () < 0)
    g_error ("libsodium");
  g_setenv ("KOERS_KDF", "minimum", TRUE);
  b.laptops = laptops;
  b.changes = changes;
  b.batch = batch;
  b.sizes[0] = MAX (laptops / 100, 1);
  b.sizes[1] = MAX (laptops / 10, 1);
  b.sizes[2] = laptops;

  b.pki = koers_test_pki_new ();
  b.server = koers_test_dav_server_start (KOERS_TEST_DAV_NGINX, b.pki, USER, PASSWORD);
  office_make (&b);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < b.laptops; i++)
    laptop_make (&b, i);
  printf ("%u laptops, %" G_GINT64_FORMAT " changes in %u batches on the drop (made in %.1f s)\n",
          b.laptops, b.changes_in[2], b.batches_in[2], (g_get_monotonic_time () - start) / 1e6);
  printf ("| laptops | batches | changes | wall s | CPU s | changes/s (wall) | peak RSS MB | s per 1k changes |\n");
  printf ("|---|---|---|---|---|---|---|---|\n");
  for (guint run = 0; run < G_N_ELEMENTS (b.sizes); run++)
    {
      usage[run] = pull_run (&b, run);
      printf ("| %u | %u | %" G_GINT64_FORMAT " | %.2f | %.2f | %.0f | %.1f | %.3f |\n",
              b.sizes[run], b.batches_in[run], b.changes_in[run], usage[run].wall_s,
              usage[run].cpu_s, b.changes_in[run] / usage[run].wall_s,
              usage[run].max_rss_kb / 1024.0, usage[run].wall_s * 1000 / b.changes_in[run]);
      fflush (stdout);
    }
  printf ("growth: ×%.1f changes → ×%.1f time (%u → %u batches), ×%.1f changes → ×%.1f time"
          " (%u → %u)\n",
          (double) b.changes_in[1] / b.changes_in[0], usage[1].wall_s / usage[0].wall_s,
          b.batches_in[0], b.batches_in[1],
          (double) b.changes_in[2] / b.changes_in[1], usage[2].wall_s / usage[1].wall_s,
          b.batches_in[1], b.batches_in[2]);
  printf ("targets: ≥ 5000 changes/s: %s; peak RSS ≤ 300 MB: %s\n",
          b.changes_in[2] / usage[2].wall_s >= 5000 ? "met" : "MISSED",
          usage[2].max_rss_kb <= 300 * 1024 ? "met" : "MISSED");

  koers_sync_key_free (b.office_seal);
  bench_remove_tree (b.office_dir);
  g_free (b.office_dir);
  g_strfreev (b.steunpunten);
  koers_test_dav_server_stop (b.server);
  koers_test_pki_free (b.pki);
  return 0;
}
