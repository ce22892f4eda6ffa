/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sync-crash-driver VAULT-DIR: one sync round on a vault (slot "Tester",
 * passphrase "pass"), built with the test hooks: KOERS_SYNC_CRASH_AT=N
 * kills it with SIGKILL at the N-th crash point, KOERS_SYNC_CUT_BYTES cuts
 * small batches. Exit 0: the round succeeded; 75: try later; 1: failed. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-test"

#include <sysexits.h>

#include "koers-store.h"
#include "koers-sync-round.h"
#include "koers-vault.h"

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) vault = NULL;
  g_autoptr(KoersStore) store = NULL;
  g_autoptr(KoersDavClient) client = NULL;
  gboolean ok;

  if (argc != 2)
    return EX_USAGE;
  vault = koers_vault_open (argv[1], &error);
  if (vault == NULL || !koers_vault_unlock (vault, "Tester", "pass", &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  store = koers_store_new (koers_vault_get_db (vault), &error);
  client = store ? koers_sync_make_client (store, &error) : NULL;
  if (client != NULL)
    koers_dav_client_set_timeouts (client, 3, 2);
  ok = client != NULL && koers_sync_run_round (store, client, NULL, NULL, NULL, NULL, &error);
  g_clear_object (&store);
  koers_vault_lock (vault);
  if (ok)
    return 0;
  g_printerr ("%s\n", error->message);
  return error->domain == KOERS_DAV_ERROR && koers_dav_error_is_retryable (error) ? EX_TEMPFAIL : 1;
}
