/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-batch-files.c: listing a folder of batches and the read
 * state of its writer (see koers-sync-batch-files.h). */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <string.h>

#include "koers-sync-batch-files.h"

static int
compare_entry_names (gconstpointer a,
                     gconstpointer b)
{
  return strcmp ((*(KoersDavEntry *const *) a)->name, (*(KoersDavEntry *const *) b)->name);
}

GPtrArray *
koers_sync_list_batch_files (KoersDavClient *client,
                             const char     *folder,
                             gboolean        missing_ok,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) entries = koers_dav_client_list (client, folder, cancellable, &local);
  GPtrArray *batches;

  if (entries == NULL
      && !(missing_ok && g_error_matches (local, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_FOUND)))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  batches = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_dav_entry_free);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      KoersDavEntry *entry = entries->pdata[i];
      guint32 epoch;
      guint64 first, last;

      if (!entry->is_folder && koers_envelope_parse_file_name (entry->name, &epoch, &first, &last))
        g_ptr_array_add (batches, g_ptr_array_steal_index_fast (entries, i--));
    }
  g_ptr_array_sort (batches, compare_entry_names);
  return batches;
}

void
koers_sync_chain_of_peer (const KoersPeerState *peer,
                          KoersChainState      *chain)
{
  memset (chain, 0, sizeof *chain);
  chain->epoch = (guint32) peer->epoch;
  chain->last_seq = (guint64) peer->last_seq;
  if (peer->hash != NULL && g_bytes_get_size (peer->hash) == KOERS_SYNC_HASH_BYTES)
    memcpy (chain->hash, g_bytes_get_data (peer->hash, NULL), KOERS_SYNC_HASH_BYTES);
}

gboolean
koers_sync_chain_has_read (const KoersChainState *chain,
                           guint32                epoch,
                           guint64                last)
{
  return epoch < chain->epoch || (epoch == chain->epoch && last <= chain->last_seq);
}
