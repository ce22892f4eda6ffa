/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-sync: the whole sync engine on `koers-cli demo` data, to a local
 * nginx WebDAV drop over TLS (the sync tests' server): wall time of the
 * round, bytes on the wire per change against the same changes as plain
 * JSON Lines, CPU per batch, and the main thread's longest stall while the
 * engine runs (a 4 ms GMainLoop timer measuring its own lateness).
 * Targets (issue 10): ≤ 0.5× the JSON bytes, ≤ 10 s for 10k changes,
 * ≤ 16 ms stall. Figures: docs/benchmarks.md. */
#include "config.h"

#define G_LOG_DOMAIN "bench-sync"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "dav-server.h"
#include "koers-enrollment.h"
#include "koers-store.h"
#include "koers-sync-engine.h"
#include "koers-sync-round.h"
#include "koers-vault.h"
#include "bench-cli.h"

#define NAME       "Bench"
#define PASSPHRASE "bench-sync demo passphrase"
#define USER       "bench"
#define PASSWORD   "bench-app-password"
#define TICK_MS    4

static void
enroll (KoersStore *store, KoersTestDavServer *server, KoersTestPki *pki)
{
  g_autoptr(KoersSyncKey) sign = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  g_autoptr(KoersSyncKey) seal = koers_sync_key_generate (KOERS_SYNC_KEY_SEAL);
  g_autoptr(KoersSyncKey) team = koers_sync_key_generate (KOERS_SYNC_KEY_SEAL);
  g_autoptr(KoersEnrollment) e = koers_enrollment_new ();
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_sync_id_from_uuid ("01937a3e-0000-7000-8000-000000000001", e->steunpunt_id));
  memcpy (e->office_seal_public, koers_sync_key_get_public (seal), KOERS_SYNC_PUBLIC_BYTES);
  memcpy (e->office_sign_public, koers_sync_key_get_public (sign), KOERS_SYNC_PUBLIC_BYTES);
  memcpy (e->team_seal_public, koers_sync_key_get_public (team), KOERS_SYNC_PUBLIC_BYTES);
  e->team_key_generation = 1;
  e->issued_at_ms = g_get_real_time () / 1000;
  e->drop_url = koers_test_dav_server_url (server, 0, "drop/");
  e->drop_user = g_strdup (USER);
  e->drop_password = g_strdup (PASSWORD);
  e->device_name = g_strdup ("bench");
  e->ca_pem = g_strndup (g_bytes_get_data (pki->ca_pem, NULL), g_bytes_get_size (pki->ca_pem));
  file = koers_enrollment_make (e, sign, &error);
  g_assert_no_error (error);
  if (!koers_sync_enroll (store, file, NULL, NULL, &error))
    g_error ("enroll: %s", error->message);
}

typedef struct
{
  GMainLoop *loop;
  gint64     last_tick;
  double     max_stall_ms;
  gboolean   ok;
} Watch;

static gboolean
on_tick (gpointer user_data)
{
  Watch *watch = user_data;
  gint64 now = g_get_monotonic_time ();

  if (watch->last_tick != 0)
    watch->max_stall_ms = MAX (watch->max_stall_ms, (now - watch->last_tick) / 1000.0 - TICK_MS);
  watch->last_tick = now;
  return G_SOURCE_CONTINUE;
}

static void
on_round_finished (KoersSyncEngine *engine, gboolean ok, Watch *watch)
{
  watch->ok = ok;
  g_main_loop_quit (watch->loop);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* The batch files on the drop: their count and bytes. */
static guint64
drop_bytes (const char *dir, guint *n_files)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint64 total = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        total += drop_bytes (path, n_files);
      else if (g_str_has_suffix (name, ".batch") && g_stat (path, &st) == 0)
        {
          total += (guint64) st.st_size;
          (*n_files)++;
        }
    }
  return total;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int clients = 1000;
  GOptionEntry entries[] = {
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "demo clients in a new vault", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the sync engine on demo data");
  g_autofree char *dir = NULL;
  g_autofree char *n = NULL;
  g_autofree char *loadavg = NULL;
  g_autoptr(KoersTestPki) pki = NULL;
  KoersTestDavServer *server;
  g_autoptr(KoersVault) vault = NULL;
  g_autoptr(KoersStore) store = NULL;
  g_autoptr(KoersSyncEngine) engine = NULL;
  g_autoptr(GBytes) jsonl = NULL;
  Watch watch = { 0 };
  gint64 last_seq = 0, start;
  guint n_changes = 0, n_batches = 0;
  guint64 wire;
  double wall, cpu, baseline_ms;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  g_setenv ("KOERS_PASSPHRASE", PASSPHRASE, TRUE);
  g_setenv ("KOERS_KDF", "minimum", TRUE);
  dir = g_dir_make_tmp ("koers-bench-sync-XXXXXX", &error);
  g_assert_no_error (error);
  n = g_strdup_printf ("%d", clients);
  {
    const char *init[] = { "init", NULL }, *demo[] = { "demo", "--clients", n, "--seed", "1", NULL };

    bench_run_cli (dir, NAME, init);
    bench_run_cli (dir, NAME, demo);
  }
  pki = koers_test_pki_new ();
  server = koers_test_dav_server_start (KOERS_TEST_DAV_NGINX, pki, USER, PASSWORD);

  vault = koers_vault_open (dir, &error);
  if (vault == NULL || !koers_vault_unlock (vault, NAME, PASSPHRASE, &error)
      || (store = koers_store_new (koers_vault_get_db (vault), &error)) == NULL)
    g_error ("the demo vault: %s", error->message);
  enroll (store, server, pki);
  jsonl = koers_store_sync_read_changes (store, 0, G_MAXSIZE, &last_seq, &n_changes, &error);
  g_assert_no_error (error);

  engine = koers_sync_engine_new (vault);
  watch.loop = g_main_loop_new (NULL, FALSE);
  g_signal_connect (engine, "round-finished", G_CALLBACK (on_round_finished), &watch);
  g_timeout_add (TICK_MS, on_tick, &watch);
  /* The machine's own lateness first, with no engine running: on a
   * loaded machine the timer is late without any help from sync. */
  g_timeout_add_once (1000, (GSourceOnceFunc) g_main_loop_quit, watch.loop);
  g_main_loop_run (watch.loop);
  baseline_ms = watch.max_stall_ms;
  watch.max_stall_ms = 0;
  cpu = cpu_seconds ();
  start = g_get_monotonic_time ();
  koers_sync_engine_start (engine);
  g_main_loop_run (watch.loop);
  wall = (g_get_monotonic_time () - start) / 1e6;
  cpu = cpu_seconds () - cpu;
  if (!watch.ok)
    g_error ("the round failed: %s", koers_sync_engine_get_error_message (engine));
  koers_sync_engine_shutdown (engine, 1000);
  wire = drop_bytes (server->drop_dir, &n_batches);

  g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL);
  printf ("%u changes (%d demo clients), %u batches, to local nginx over TLS\n", n_changes, clients, n_batches);
  printf ("wall time              %8.2f s\n", wall);
  printf ("JSON Lines             %8.1f B/change\n", (double) g_bytes_get_size (jsonl) / n_changes);
  printf ("on the wire (bodies)   %8.1f B/change  = %.3f× the JSON Lines\n",
          (double) wire / n_changes, (double) wire / g_bytes_get_size (jsonl));
  printf ("CPU (all threads)      %8.1f ms/batch\n", cpu * 1000 / MAX (n_batches, 1));
  printf ("longest main-thread stall %5.1f ms (a %d ms timer's lateness; %.1f ms in 1 s without sync)\n",
          watch.max_stall_ms, TICK_MS, baseline_ms);
  printf ("load average           %s", loadavg ? loadavg : "?\n");

  g_main_loop_unref (watch.loop);
  g_clear_object (&engine);
  g_clear_object (&store);
  koers_vault_lock (vault);
  koers_test_dav_server_stop (server);
  bench_remove_tree (dir);
  return 0;
}
