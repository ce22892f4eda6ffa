/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-office-feed.c: the office's batches to this steunpunt's
 * laptops, and this laptop's read note (see koers-sync-office-feed.h).
 * What makes a kill harmless: an office batch's erasures, its changes and
 * the move of the office folder's read state commit together
 * (koers_store_peer_apply_office_batch()); a batch at or before that state
 * is never fetched again; an erasure whose compaction a kill cut off is
 * compacted at the start of the next round. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <glib/gi18n.h>
#include <string.h>

#include "koers-read-note.h"
#include "koers-sync-batch-files.h"
#include "koers-sync-office-feed.h"

typedef struct
{
  KoersStore            *store;
  KoersDavClient        *client;
  const KoersEnrollment *enrollment;
  const KoersTeamKeys   *keys;     /* every generation this laptop holds */
  const KoersSyncKey    *team;
  KoersKnownDevices     *office;    /* the office's id → its signing key */
  char                  *folder;    /* <steunpunt>/office */
  KoersChainState        chain;
  KoersSyncRoundResult  *result;
  GCancellable          *cancellable;
} Feed;

static gboolean
quarantine (Feed         *feed,
            const char   *name,
            GBytes       *file,
            const guint8 *hash,
            const char   *code,
            const char   *reason,
            GError      **error)
{
  g_autoptr(GBytes) hash_bytes = g_bytes_new (hash, KOERS_SYNC_HASH_BYTES);

  g_message ("Quarantined the office's batch %s: %s", name, code);
  feed->result->n_peer_quarantined++;
  return koers_store_peer_quarantine (feed->store, KOERS_SYNC_OFFICE_UUID, name,
                                      (gint64) g_bytes_get_size (file), hash_bytes, code, reason,
                                      error);
}

static gboolean
apply_batch (Feed        *feed,
             const char  *name,
             GBytes      *file,
             KoersBatch  *batch,
             GError     **error)
{
  g_autoptr(GBytes) hash = g_bytes_new (batch->hash, KOERS_SYNC_HASH_BYTES);
  g_autoptr(GError) local = NULL;
  KoersMergeStats stats = { 0 };
  guint erased = 0;

  koers_sync_crash_point ();
  if (koers_store_peer_apply_office_batch (feed->store, KOERS_SYNC_OFFICE_UUID, batch->info.epoch,
                                           (gint64) batch->info.last_seq, hash, batch->jsonl,
                                           &stats, &erased, &local))
    {
      koers_sync_crash_point ();
      feed->result->n_office_read++;
      feed->result->n_erased += erased;
      feed->result->n_read_changes += stats.applied;
      koers_chain_advance (&feed->chain, &batch->info, batch->hash);
      return TRUE;
    }
  /* refused (nothing of it applied): quarantine; the database failing
   * stops the round */
  if (local->domain != KOERS_STORE_ERROR || local->code == KOERS_STORE_ERROR_FAILED)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return quarantine (feed, name, file, batch->hash, "merge", local->message, error);
}

typedef enum { FEED_NEXT, FEED_HOLD, FEED_FAILED } FeedOutcome;

static FeedOutcome
read_batch (Feed        *feed,
            const char  *name,
            GBytes      *file,
            GError     **error)
{
  guint8 hash[KOERS_SYNC_HASH_BYTES];
  g_autoptr(GError) local = NULL;
  g_autoptr(KoersBatch) batch = NULL;
  KoersEnvelopeOpenOptions opts = { 0 };

  koers_sync_hash (g_bytes_get_data (file, NULL), g_bytes_get_size (file), hash);
  opts.recipient = koers_team_keys_recipient (feed->keys, file, feed->team);
  opts.devices = feed->office;
  opts.steunpunt_id = feed->enrollment->steunpunt_id;
  opts.name = name;
  opts.chain = &feed->chain;
  batch = koers_envelope_open (file, &opts, &local);
  if (batch != NULL)
    return apply_batch (feed, name, file, batch, error) ? FEED_NEXT : FEED_FAILED;
  if (g_error_matches (local, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_CHAIN_GAP))
    return FEED_HOLD;
  if (g_error_matches (local, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_CHAIN_DUPLICATE)
      || g_error_matches (local, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_CHAIN_STALE))
    return FEED_NEXT;
  return quarantine (feed, name, file, hash, koers_envelope_error_code (local), local->message,
                     error) ? FEED_NEXT : FEED_FAILED;
}

static gboolean
load_chain (Feed    *feed,
            GError **error)
{
  g_autoptr(KoersPeerState) peer = koers_store_peer_get (feed->store, KOERS_SYNC_OFFICE_UUID, error);

  if (peer == NULL)
    return FALSE;
  koers_sync_chain_of_peer (peer, &feed->chain);
  return TRUE;
}

static gboolean
read_feed (Feed     *feed,
           GError  **error)
{
  g_autofree char *folder = g_strconcat (feed->folder, "/", NULL);
  g_autoptr(GPtrArray) batches = koers_sync_list_batch_files (feed->client, folder, TRUE,
                                                               feed->cancellable, error);

  if (batches == NULL || !load_chain (feed, error))
    return FALSE;
  for (guint i = 0; i < batches->len; i++)
    {
      KoersDavEntry *entry = batches->pdata[i];
      g_autofree char *path = g_strdup_printf ("%s/%s", feed->folder, entry->name);
      g_autoptr(GBytes) file = NULL;
      guint32 epoch;
      guint64 first, last;
      FeedOutcome outcome;

      koers_envelope_parse_file_name (entry->name, &epoch, &first, &last);
      if (koers_sync_chain_has_read (&feed->chain, epoch, last)
          || koers_store_peer_is_quarantined (feed->store, KOERS_SYNC_OFFICE_UUID, entry->name,
                                              entry->size))
        continue;
      if (g_cancellable_set_error_if_cancelled (feed->cancellable, error))
        return FALSE;
      file = koers_dav_client_get (feed->client, path, KOERS_ENVELOPE_MAX_FILE, feed->cancellable,
                                   error);
      if (file == NULL)
        return FALSE;
      outcome = read_batch (feed, entry->name, file, error);
      if (outcome == FEED_FAILED)
        return FALSE;
      if (outcome == FEED_HOLD)
        {
          feed->result->n_held += batches->len - i;
          break;
        }
    }
  return TRUE;
}

gboolean
koers_sync_pull_office_feed (KoersStore            *store,
                             KoersDavClient        *client,
                             const KoersEnrollment *enrollment,
                             const KoersTeamKeys   *keys,
                             const KoersSyncKey    *team,
                             KoersSyncRoundResult  *result,
                             GCancellable          *cancellable,
                             GError               **error)
{
  static const guint8 office_id[KOERS_SYNC_ID_BYTES] = { 0 };
  g_autofree char *steunpunt = koers_sync_id_to_uuid (enrollment->steunpunt_id);
  Feed feed = { store, client, enrollment, keys, team, NULL, NULL, { 0 }, result, cancellable };
  gboolean ok;

  /* an erasure a kill cut off before its compaction: finish it first */
  if (!koers_store_compact_erased (store, error))
    return FALSE;
  feed.office = koers_known_devices_new ();
  koers_known_devices_add (feed.office, office_id, enrollment->steunpunt_id,
                           enrollment->office_sign_public);
  feed.folder = g_strdup_printf ("%s/" KOERS_SYNC_OFFICE_FOLDER, steunpunt);
  ok = read_feed (&feed, error);
  koers_known_devices_free (feed.office);
  g_free (feed.folder);
  return ok;
}

/* The read note ------------------------------------------------------------------ */

static KoersReadNote *
make_note (KoersStore            *store,
           const KoersEnrollment *enrollment,
           const guint8          *device_id,
           GError               **error)
{
  g_autoptr(GPtrArray) peers = koers_store_peer_list (store, error);
  g_autoptr(KoersReadNote) note = NULL;

  if (peers == NULL)
    return NULL;
  note = koers_read_note_new (enrollment->steunpunt_id, device_id, koers_store_now_ms (store));
  for (guint i = 0; i < peers->len; i++)
    {
      KoersPeerState *peer = peers->pdata[i];
      guint8 id[KOERS_SYNC_ID_BYTES];
      KoersChainState read = { 0 };

      if (peer->epoch <= 0 || peer->last_seq <= 0 || peer->hash == NULL
          || g_bytes_get_size (peer->hash) != KOERS_SYNC_HASH_BYTES
          || !koers_sync_id_from_uuid (peer->device_id, id)
          || memcmp (id, device_id, KOERS_SYNC_ID_BYTES) == 0)
        continue;
      read.epoch = (guint32) peer->epoch;
      read.last_seq = (guint64) peer->last_seq;
      memcpy (read.hash, g_bytes_get_data (peer->hash, NULL), KOERS_SYNC_HASH_BYTES);
      koers_read_note_add (note, id, &read);
    }
  return g_steal_pointer (&note);
}

/* BLAKE2b of the note's entries as written (the time changes every
 * round: it is not part of what was read). */
static GBytes *
entries_digest (GBytes *file)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (file, &len);
  guint8 hash[KOERS_SYNC_HASH_BYTES];

  koers_sync_hash (data + KOERS_READ_NOTE_HEADER,
                   len - KOERS_READ_NOTE_HEADER - KOERS_SYNC_SIGNATURE_BYTES, hash);
  return g_bytes_new (hash, sizeof hash);
}

gboolean
koers_sync_publish_read_note (KoersStore            *store,
                              KoersDavClient        *client,
                              const KoersEnrollment *enrollment,
                              const KoersSyncKey    *device_key,
                              const guint8          *device_id,
                              GCancellable          *cancellable,
                              GError               **error)
{
  g_autoptr(KoersReadNote) note = make_note (store, enrollment, device_id, error);
  g_autoptr(GBytes) digest = NULL;
  g_autoptr(GBytes) published = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autofree char *steunpunt = koers_sync_id_to_uuid (enrollment->steunpunt_id);
  g_autofree char *device = koers_sync_id_to_uuid (device_id);
  g_autofree char *folder = g_strdup_printf ("%s/%s", steunpunt, device);
  g_autofree char *path = g_strdup_printf ("%s/" KOERS_READ_NOTE_NAME, folder);

  if (note == NULL)
    return FALSE;
  if (note->entries->len == 0)
    return TRUE;   /* nothing read yet: nothing to tell */
  file = koers_read_note_write (note, device_key, error);
  if (file == NULL)
    return FALSE;
  digest = entries_digest (file);
  published = koers_store_sync_get_setting (store, KOERS_SYNC_SETTING_READ_NOTE, NULL);
  if (published != NULL && g_bytes_equal (published, digest))
    return TRUE;
  /* a plain PUT replaces it whole (as the office's acks); the setting
   * follows, so a kill in between only writes the same note again */
  return koers_dav_client_make_folder (client, folder, cancellable, error)
         && koers_dav_client_put (client, path, file, cancellable, error)
         && koers_store_sync_set_setting (store, KOERS_SYNC_SETTING_READ_NOTE, digest, error);
}
