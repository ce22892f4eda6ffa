/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-pull.c: reading the steunpunt's other devices' batches (see
 * koers-sync-pull.h). What makes a kill harmless: a batch's merge and the
 * move of its device's read state are one transaction
 * (koers_store_peer_merge_batch()); a batch at or before that state is
 * never fetched again, and merging a change twice changes nothing. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <glib/gi18n.h>
#include <string.h>

#include "koers-device-list.h"
#include "koers-envelope.h"
#include "koers-sync-batch-files.h"
#include "koers-sync-office-feed.h"
#include "koers-sync-pull.h"
#include "koers-team-keys.h"

#define DEVICE_LIST_NAME "devices"

typedef struct
{
  KoersStore            *store;
  KoersDavClient        *client;
  const KoersEnrollment *enrollment;
  const guint8          *device_id;
  char                  *steunpunt;   /* uuid: the only folder this pull lists */
  KoersDeviceList       *list;
  KoersKnownDevices     *known;
  KoersSyncKey          *team;
  KoersSyncRoundResult  *result;
  GCancellable          *cancellable;
  KoersTeamKeys         *keys;        /* every generation this laptop can open */
} TeamPull;

static void
team_pull_clear (TeamPull *pull)
{
  g_free (pull->steunpunt);
  g_clear_pointer (&pull->list, koers_device_list_free);
  g_clear_pointer (&pull->known, koers_known_devices_free);
  g_clear_pointer (&pull->team, koers_sync_key_free);
  g_clear_pointer (&pull->keys, koers_team_keys_free);
}

/* The device list ---------------------------------------------------------- */

static KoersDeviceList *
kept_device_list (TeamPull *pull)
{
  g_autoptr(GBytes) kept = koers_store_sync_get_setting (pull->store, KOERS_SYNC_SETTING_DEVICE_LIST,
                                                         NULL);

  if (kept == NULL)
    return NULL;
  return koers_device_list_read (kept, pull->enrollment->office_sign_public,
                                 pull->enrollment->steunpunt_id, 0, NULL);
}

/* The newest list: the drop's when it verifies and is not older than the
 * one kept (then it is kept), else the kept one; NULL when neither. */
static gboolean
load_device_list (TeamPull  *pull,
                  GError   **error)
{
  g_autofree char *path = g_strdup_printf ("%s/" DEVICE_LIST_NAME, pull->steunpunt);
  g_autoptr(KoersDeviceList) kept = kept_device_list (pull);
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) file = koers_dav_client_get (pull->client, path, KOERS_DEVICE_LIST_MAX_FILE,
                                                 pull->cancellable, &local);
  KoersDeviceList *fresh = NULL;

  if (file == NULL && !g_error_matches (local, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_FOUND)
      && !g_error_matches (local, KOERS_DAV_ERROR, KOERS_DAV_ERROR_RESPONSE_TOO_LARGE))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (file != NULL)
    fresh = koers_device_list_read (file, pull->enrollment->office_sign_public,
                                    pull->enrollment->steunpunt_id, kept ? kept->serial : 0, &local);
  if (fresh == NULL && local != NULL
      && !g_error_matches (local, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_FOUND))
    {
      g_warning ("Ignored the device list on the drop: %s", local->message);
      pull->result->bogus_device_list = TRUE;
    }
  if (fresh != NULL && (kept == NULL || fresh->serial > kept->serial)
      && !koers_store_sync_set_setting (pull->store, KOERS_SYNC_SETTING_DEVICE_LIST, file, error))
    {
      koers_device_list_free (fresh);
      return FALSE;
    }
  pull->list = fresh != NULL ? fresh : g_steal_pointer (&kept);
  return TRUE;
}

/* Quarantine ----------------------------------------------------------------- */

static gboolean
quarantine (TeamPull     *pull,
            const char   *device,
            const char   *name,
            GBytes       *file,
            const guint8 *hash,
            const char   *code,
            const char   *reason,
            GError      **error)
{
  g_autoptr(GBytes) hash_bytes = g_bytes_new (hash, KOERS_SYNC_HASH_BYTES);

  g_message ("Quarantined a colleague's batch %s/%s: %s", device, name, code);
  pull->result->n_peer_quarantined++;
  return koers_store_peer_quarantine (pull->store, device, name, (gint64) g_bytes_get_size (file),
                                      hash_bytes, code, reason, error);
}

/* One device ----------------------------------------------------------------- */

typedef enum { READ_NEXT, READ_HOLD, READ_FAILED } ReadOutcome;

static gboolean
merge_batch (TeamPull     *pull,
             const char   *device,
             const char   *name,
             GBytes       *file,
             KoersBatch   *batch,
             GError      **error)
{
  g_autoptr(GBytes) hash = g_bytes_new (batch->hash, KOERS_SYNC_HASH_BYTES);
  g_autoptr(GError) local = NULL;
  KoersMergeStats stats = { 0 };

  koers_sync_crash_point ();
  if (koers_store_peer_merge_batch (pull->store, device, batch->info.epoch,
                                    (gint64) batch->info.last_seq, hash, batch->jsonl, &stats, &local))
    {
      koers_sync_crash_point ();
      pull->result->n_read++;
      pull->result->n_read_changes += stats.applied;
      koers_sync_arrivals_add (pull->result->arrivals, &pull->result->n_arrivals, device, &stats);
      return TRUE;
    }
  /* the merge refused the batch (nothing of it applied): quarantine; the
   * database failing stops the round */
  if (local->domain != KOERS_STORE_ERROR || local->code == KOERS_STORE_ERROR_FAILED)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return quarantine (pull, device, name, file, batch->hash, "merge", local->message, error);
}

/* Verifies @file (batch @name of @device) and merges it, or quarantines it. */
static ReadOutcome
read_batch (TeamPull        *pull,
            const char      *device,
            const guint8    *device_id,
            KoersChainState *chain,
            const char      *name,
            GBytes          *file,
            GError         **error)
{
  guint8 hash[KOERS_SYNC_HASH_BYTES];
  g_autoptr(GError) local = NULL;
  g_autoptr(KoersBatch) batch = NULL;
  KoersEnvelopeOpenOptions opts = { 0 };
  guint32 epoch;
  guint64 first, last;

  koers_sync_hash (g_bytes_get_data (file, NULL), g_bytes_get_size (file), hash);
  koers_envelope_parse_file_name (name, &epoch, &first, &last);
  if (koers_device_list_lookup (pull->list, device_id) == NULL)
    return quarantine (pull, device, name, file, hash, "unknown-device",
                       _("The device is not in the office's list of this steunpunt's devices"), error)
           ? READ_NEXT : READ_FAILED;
  if (koers_device_list_refuses (pull->list, device_id, epoch, last))
    return quarantine (pull, device, name, file, hash, "revoked",
                       _("The device was revoked before it sent this batch"), error)
           ? READ_NEXT : READ_FAILED;
  /* the generation the batch names; none known: the reader says so */
  opts.recipient = koers_team_keys_recipient (pull->keys, file, pull->team);
  opts.devices = pull->known;
  opts.steunpunt_id = pull->enrollment->steunpunt_id;
  opts.name = name;
  opts.chain = chain;
  batch = koers_envelope_open (file, &opts, &local);
  if (batch != NULL && memcmp (batch->info.device_id, device_id, KOERS_SYNC_ID_BYTES) != 0)
    return quarantine (pull, device, name, file, hash, "device-folder",
                       _("The batch was signed by another device than the folder it is in"), error)
           ? READ_NEXT : READ_FAILED;
  if (batch != NULL)
    {
      if (!merge_batch (pull, device, name, file, batch, error))
        return READ_FAILED;
      koers_chain_advance (chain, &batch->info, batch->hash);
      return READ_NEXT;
    }
  if (g_error_matches (local, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_CHAIN_GAP))
    return READ_HOLD;
  if (g_error_matches (local, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_CHAIN_DUPLICATE)
      || g_error_matches (local, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_CHAIN_STALE))
    return READ_NEXT;
  return quarantine (pull, device, name, file, hash, koers_envelope_error_code (local),
                     local->message, error)
         ? READ_NEXT : READ_FAILED;
}

static gboolean
pull_device (TeamPull    *pull,
             const char  *device,
             GError     **error)
{
  g_autofree char *folder = g_strdup_printf ("%s/%s/", pull->steunpunt, device);
  g_autoptr(GPtrArray) batches = koers_sync_list_batch_files (pull->client, folder, FALSE,
                                                               pull->cancellable, error);
  g_autoptr(KoersPeerState) peer = NULL;
  guint8 device_id[KOERS_SYNC_ID_BYTES];
  KoersChainState chain;

  if (batches == NULL)
    return FALSE;
  peer = koers_store_peer_get (pull->store, device, error);
  if (peer == NULL)
    return FALSE;
  koers_sync_chain_of_peer (peer, &chain);
  koers_sync_id_from_uuid (device, device_id);
  for (guint i = 0; i < batches->len; i++)
    {
      KoersDavEntry *entry = batches->pdata[i];
      g_autofree char *path = g_strdup_printf ("%s/%s/%s", pull->steunpunt, device, entry->name);
      g_autoptr(GBytes) file = NULL;
      guint32 epoch;
      guint64 first, last;
      ReadOutcome outcome;

      koers_envelope_parse_file_name (entry->name, &epoch, &first, &last);
      if (koers_sync_chain_has_read (&chain, epoch, last)
          || koers_store_peer_is_quarantined (pull->store, device, entry->name, entry->size))
        continue;
      if (g_cancellable_set_error_if_cancelled (pull->cancellable, error))
        return FALSE;
      file = koers_dav_client_get (pull->client, path, KOERS_ENVELOPE_MAX_FILE, pull->cancellable,
                                   error);
      if (file == NULL)
        return FALSE;
      outcome = read_batch (pull, device, device_id, &chain, entry->name, file, error);
      if (outcome == READ_FAILED)
        return FALSE;
      if (outcome == READ_HOLD)
        {
          pull->result->n_held += batches->len - i;
          break;
        }
    }
  return TRUE;
}

/* The round's pull ------------------------------------------------------------ */

/* The device folders in this steunpunt's folder, this device's left out. */
static GPtrArray *
list_devices (TeamPull  *pull,
              GError   **error)
{
  g_autofree char *folder = g_strconcat (pull->steunpunt, "/", NULL);
  g_autofree char *own = koers_sync_id_to_uuid (pull->device_id);
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) entries = koers_dav_client_list (pull->client, folder, pull->cancellable, &local);
  GPtrArray *devices = g_ptr_array_new_with_free_func (g_free);

  if (entries == NULL)
    {
      if (g_error_matches (local, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_FOUND))
        return devices;
      g_ptr_array_unref (devices);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      KoersDavEntry *entry = entries->pdata[i];
      guint8 id[KOERS_SYNC_ID_BYTES];

      if (entry->is_folder && koers_sync_id_from_uuid (entry->name, id) && strcmp (entry->name, own) != 0)
        g_ptr_array_add (devices, g_strdup (entry->name));
    }
  g_ptr_array_sort (devices, (GCompareFunc) g_ascii_strcasecmp);
  return devices;
}

static gboolean
open_team_key (TeamPull           *pull,
               const KoersSyncKey *device_key)
{
  g_autoptr(GError) local = NULL;

  pull->team = koers_device_list_open_team_key (pull->list, pull->device_id, device_key, &local);
  if (pull->team != NULL)
    {
      pull->known = koers_device_list_known (pull->list);
      return TRUE;
    }
  g_message ("Team sync waits: %s", local->message);
  pull->result->team_waiting = TRUE;
  return FALSE;
}

gboolean
koers_sync_pull_team (KoersStore            *store,
                      KoersDavClient        *client,
                      const KoersEnrollment *enrollment,
                      const KoersSyncKey    *device_key,
                      const guint8          *device_id,
                      KoersSyncRoundResult  *result,
                      GCancellable          *cancellable,
                      GError               **error)
{
  TeamPull pull = { store, client, enrollment, device_id, NULL, NULL, NULL, NULL, result, cancellable, NULL };
  g_autoptr(GPtrArray) devices = NULL;
  gboolean ok = TRUE;

  pull.steunpunt = koers_sync_id_to_uuid (enrollment->steunpunt_id);
  /* the round fetched the list before its cut (koers_sync_refresh_team) */
  pull.list = kept_device_list (&pull);
  if (pull.list == NULL)
    {
      /* the office has published no list yet: nothing can be verified */
      result->team_waiting = TRUE;
      team_pull_clear (&pull);
      return TRUE;
    }
  if (!open_team_key (&pull, device_key))
    {
      team_pull_clear (&pull);
      return TRUE;
    }
  pull.keys = koers_team_keys_load (store, error);
  if (pull.keys == NULL)
    {
      team_pull_clear (&pull);
      return FALSE;
    }
  devices = list_devices (&pull, error);
  ok = devices != NULL;
  for (guint i = 0; ok && i < devices->len; i++)
    ok = pull_device (&pull, devices->pdata[i], error);
  /* the office's decisions after the colleagues' batches (a resolution's
   * bases are then known here), then how far this laptop has read */
  ok = ok && koers_sync_pull_office_feed (store, client, enrollment, pull.keys, pull.team, result,
                                          cancellable, error)
       && koers_sync_publish_read_note (store, client, enrollment, device_key, device_id, cancellable,
                                        error);
  team_pull_clear (&pull);
  return ok;
}

/* The team key the list seals to this device, kept in the vault's ring
 * with its generation (nothing when the list does not open for it). */
static gboolean
remember_team_key (TeamPull           *pull,
                   const KoersSyncKey *device_key,
                   GError            **error)
{
  g_autoptr(KoersSyncKey) team = koers_device_list_open_team_key (pull->list, pull->device_id,
                                                                  device_key, NULL);

  return team == NULL
         || koers_team_keys_remember (pull->store, pull->list->team_generation, team, error);
}

gboolean
koers_sync_refresh_team (KoersStore            *store,
                         KoersDavClient        *client,
                         const KoersEnrollment *enrollment,
                         const KoersSyncKey    *device_key,
                         const guint8          *device_id,
                         KoersSyncRoundResult  *result,
                         GCancellable          *cancellable,
                         GError               **error)
{
  TeamPull pull = { store, client, enrollment, device_id, NULL, NULL, NULL, NULL, result, cancellable, NULL };
  gboolean ok;

  pull.steunpunt = koers_sync_id_to_uuid (enrollment->steunpunt_id);
  ok = load_device_list (&pull, error)
       && (pull.list == NULL || remember_team_key (&pull, device_key, error));
  team_pull_clear (&pull);
  return ok;
}
