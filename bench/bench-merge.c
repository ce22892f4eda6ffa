/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-merge: changes merged per second into a vault (issue 11: ≥ 5k/s).
 * A laptop's vault makes N client files (client, consent, conversation,
 * an update each); their changes are merged into a fresh vault. Prints
 * the rate; `bench-merge [N]` (default 2000 files). */
#include "config.h"

#define G_LOG_DOMAIN "koers-bench"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <time.h>

#include "koers-store.h"
#include "koers-vault.h"
#include "bench-cli.h"

#define OK(call) G_STMT_START { if (!(call)) g_error ("%s", error->message); } G_STMT_END

static KoersVault *
new_vault (char **dir)
{
  g_autoptr (GError) error = NULL;
  KoersKdfParams params = koers_kdf_params_minimum ();
  char *recovery = NULL;
  KoersVault *vault;

  *dir = g_dir_make_tmp ("koers-bench-merge-XXXXXX", &error);
  OK (*dir != NULL);
  vault = koers_vault_create (*dir, "Bench", "bench", &params, &recovery, &error);
  OK (vault != NULL);
  koers_vault_free_secret (recovery);
  return vault;
}

static void
make_files (KoersStore *store,
            guint       n)
{
  g_autoptr (GError) error = NULL;

  OK (koers_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (KoersClient) client = koers_client_new ();
      g_autoptr (KoersConsent) consent = koers_consent_new ();
      g_autoptr (KoersConversation) conv = koers_conversation_new ();

      client->name = g_strdup_printf ("Client %u", i);
      OK (koers_store_add_client (store, client, &error));
      consent->client_id = g_strdup (client->id);
      consent->kind = KOERS_CONSENT_STORE_FILE;
      consent->granted = TRUE;
      consent->recorded_on = g_strdup ("2025-01-01");
      OK (koers_store_add_consent (store, consent, &error));
      conv->client_id = g_strdup (client->id);
      conv->held_on = g_strdup ("2025-01-02");
      conv->notes = g_strdup ("Gesprek over terugkeer en de situatie thuis.");
      OK (koers_store_add_conversation (store, conv, &error));
      client->phase = KOERS_PHASE_ORIENTATION;
      OK (koers_store_update_client (store, client, &error));
    }
  OK (koers_store_commit (store, &error));
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 2000;
  g_autofree char *dir_a = NULL;
  g_autofree char *dir_b = NULL;
  g_autoptr (KoersVault) a = new_vault (&dir_a);
  g_autoptr (KoersVault) b = new_vault (&dir_b);
  g_autoptr (KoersStore) sa = koers_store_new (koers_vault_get_db (a), &error);
  g_autoptr (KoersStore) sb = koers_store_new (koers_vault_get_db (b), &error);
  g_autoptr (GBytes) lines = NULL;
  KoersMergeStats stats = { 0 };
  gint64 last = 0, start, cpu_start;
  guint changes = 0;
  double wall, cpu;
  double load[3] = { 0 };

  make_files (sa, n);
  lines = koers_store_sync_read_changes (sa, 0, G_MAXSIZE, &last, &changes, &error);
  OK (lines != NULL);
  start = g_get_monotonic_time ();
  cpu_start = clock ();
  OK (koers_store_merge_changes (sb, lines, koers_store_get_device_id (sa), &stats, &error));
  wall = (g_get_monotonic_time () - start) / 1e6;
  cpu = (double) (clock () - cpu_start) / CLOCKS_PER_SEC;
  getloadavg (load, 3);
  g_print ("merged %u changes (%u files) in %.2f s wall, %.2f s CPU: %.0f changes/s wall, "
           "%.0f/s CPU (target 5000/s); load average %.2f\n",
           stats.applied, n, wall, cpu, stats.applied / wall, stats.applied / cpu, load[0]);
  g_clear_object (&sa);
  g_clear_object (&sb);
  koers_vault_lock (a);
  koers_vault_lock (b);
  bench_remove_tree (dir_a);
  bench_remove_tree (dir_b);
  return stats.applied == changes ? 0 : 1;
}
