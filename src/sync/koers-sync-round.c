/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-round.c: enrollment on the laptop and one sync round: the
 * outbox (store), the envelope, the acknowledgement and the drop (WebDAV)
 * put together. See koers-sync-round.h and docs/case-model.md, "Sync". */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include "koers-sync-round.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "koers-enrollment.h"
#include "koers-envelope.h"
#include "koers-sync-pull.h"
#include "koers-team-keys.h"

G_DEFINE_QUARK (koers-sync-error-quark, koers_sync_error)

/* The first cut reads this many bytes of JSON Lines: the envelope
 * compresses them about tenfold, so the sealed batch lands under the cap;
 * when one does not, the cut is made again smaller. */
#define FIRST_CUT_BYTES (8 * KOERS_SYNC_BATCH_CAP)
#define ACK_NAME "ack"
#define SETTING_DROP_CHECKED "drop-checked"

void
koers_sync_crash_point (void)
{
#ifdef KOERS_SYNC_TEST_HOOKS
  static gint64 left = -1;
  const char *at = g_getenv ("KOERS_SYNC_CRASH_AT");

  if (at == NULL)
    return;
  if (left < 0)
    left = g_ascii_strtoll (at, NULL, 10);
  if (--left == 0)
    raise (SIGKILL);
#endif
}

/* Settings ---------------------------------------------------------------- */

typedef struct
{
  KoersEnrollment *enrollment;
  KoersSyncKey    *device_key;
  guint8           device_id[KOERS_SYNC_ID_BYTES];
  char            *folder;   /* <steunpunt>/<device> on the drop */
  guint8           team_public[KOERS_SYNC_PUBLIC_BYTES]; /* the newest generation's */
} SyncConfig;

static void
sync_config_free (SyncConfig *config)
{
  g_clear_pointer (&config->enrollment, koers_enrollment_free);
  g_clear_pointer (&config->device_key, koers_sync_key_free);
  g_free (config->folder);
  g_free (config);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncConfig, sync_config_free)

static KoersSyncKey *
load_device_key (KoersStore *store, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) seed = koers_store_sync_get_setting (store, KOERS_SYNC_SETTING_DEVICE_KEY, &local);

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (seed == NULL)
    return NULL;
  if (g_bytes_get_size (seed) != KOERS_SYNC_SEED_BYTES)
    {
      g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_SETTINGS,
                           _("This laptop's sync key is damaged: enroll it again"));
      return NULL;
    }
  return koers_sync_key_new_from_seed (KOERS_SYNC_KEY_SIGN, g_bytes_get_data (seed, NULL));
}

/* The device's key, made in the vault the first time. */
static KoersSyncKey *
ensure_device_key (KoersStore *store, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(KoersSyncKey) key = load_device_key (store, &local);
  g_autoptr(GBytes) seed = NULL;

  if (key != NULL || local != NULL)
    {
      if (local != NULL)
        g_propagate_error (error, g_steal_pointer (&local));
      return g_steal_pointer (&key);
    }
  key = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  seed = g_bytes_new (koers_sync_key_get_seed (key), KOERS_SYNC_SEED_BYTES);
  if (!koers_store_sync_set_setting (store, KOERS_SYNC_SETTING_DEVICE_KEY, seed, error))
    return NULL;
  return g_steal_pointer (&key);
}

static KoersEnrollment *
load_enrollment (KoersStore *store, GError **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) file = koers_store_sync_get_setting (store, KOERS_SYNC_SETTING_ENROLLMENT, &local);
  KoersEnrollment *enrollment;

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (file == NULL)
    {
      g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NOT_ENROLLED,
                           _("This laptop is not enrolled for sync yet: import the office's enrollment file"));
      return NULL;
    }
  enrollment = koers_enrollment_parse (file, NULL, &local);
  if (enrollment == NULL)
    g_set_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_SETTINGS,
                 _("The stored enrollment is damaged (%s): enroll this laptop again"), local->message);
  return enrollment;
}

gboolean
koers_sync_is_enrolled (KoersStore *store)
{
  g_autoptr(GBytes) file = koers_store_sync_get_setting (store, KOERS_SYNC_SETTING_ENROLLMENT, NULL);

  return file != NULL;
}

static SyncConfig *
load_config (KoersStore *store, GError **error)
{
  g_autoptr(SyncConfig) config = g_new0 (SyncConfig, 1);
  g_autofree char *steunpunt = NULL;
  const char *device = koers_store_get_device_id (store);

  config->enrollment = load_enrollment (store, error);
  if (config->enrollment == NULL)
    return NULL;
  config->device_key = load_device_key (store, error);
  if (config->device_key == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_SETTINGS,
                             _("This laptop's sync key is missing: enroll it again"));
      return NULL;
    }
  if (!koers_sync_id_from_uuid (device, config->device_id))
    {
      g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_SETTINGS,
                           _("This laptop's device id cannot be used for sync"));
      return NULL;
    }
  memcpy (config->team_public, config->enrollment->team_seal_public, KOERS_SYNC_PUBLIC_BYTES);
  steunpunt = koers_sync_id_to_uuid (config->enrollment->steunpunt_id);
  config->folder = g_strdup_printf ("%s/%s", steunpunt, device);
  return g_steal_pointer (&config);
}

gboolean
koers_sync_enroll (KoersStore  *store,
                   GBytes      *file,
                   char       **device_id,
                   char       **public_key,
                   GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) old = koers_store_sync_get_setting (store, KOERS_SYNC_SETTING_ENROLLMENT, &local);
  g_autoptr(KoersEnrollment) known = NULL;
  g_autoptr(KoersEnrollment) enrollment = NULL;
  g_autoptr(KoersSyncKey) key = NULL;
  guint8 id[KOERS_SYNC_ID_BYTES];

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (old != NULL)
    known = koers_enrollment_parse (old, NULL, NULL);
  enrollment = koers_enrollment_parse (file, known ? known->office_sign_public : NULL, error);
  if (enrollment == NULL)
    return FALSE;
  if (!koers_sync_id_from_uuid (koers_store_get_device_id (store), id))
    {
      g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_SETTINGS,
                           _("This laptop's device id cannot be used for sync"));
      return FALSE;
    }
  /* The key first: a failure between the two leaves a key and no
   * enrollment, which is harmless. */
  key = ensure_device_key (store, error);
  if (key == NULL)
    return FALSE;
  if (!koers_store_sync_set_setting (store, KOERS_SYNC_SETTING_ENROLLMENT, file, error))
    return FALSE;
  if (device_id != NULL)
    *device_id = g_strdup (koers_store_get_device_id (store));
  if (public_key != NULL)
    *public_key = g_base64_encode (koers_sync_key_get_public (key), KOERS_SYNC_PUBLIC_BYTES);
  return TRUE;
}

KoersDavClient *
koers_sync_make_client (KoersStore *store, GError **error)
{
  g_autoptr(KoersEnrollment) e = load_enrollment (store, error);
  g_autoptr(GBytes) ca = NULL;
  g_autofree char *pin = NULL;

  if (e == NULL)
    return NULL;
  if (e->ca_pem != NULL)
    ca = g_bytes_new (e->ca_pem, strlen (e->ca_pem));
  if (e->has_pin)
    pin = g_base64_encode (e->pin_sha256, sizeof e->pin_sha256);
  return koers_dav_client_new (e->drop_url, e->drop_user, e->drop_password, ca, pin, error);
}

/* Cutting ----------------------------------------------------------------- */

static void
fill_info (KoersBatchInfo *info,
           SyncConfig     *config,
           gint64          epoch,
           gint64          first_seq,
           gint64          last_seq,
           GBytes         *prev_hash)
{
  memset (info, 0, sizeof *info);
  memcpy (info->steunpunt_id, config->enrollment->steunpunt_id, KOERS_SYNC_ID_BYTES);
  memcpy (info->device_id, config->device_id, KOERS_SYNC_ID_BYTES);
  info->epoch = (guint32) epoch;
  info->first_seq = (guint64) first_seq;
  info->last_seq = (guint64) last_seq;
  if (prev_hash != NULL && g_bytes_get_size (prev_hash) == KOERS_SYNC_HASH_BYTES)
    memcpy (info->prev_hash, g_bytes_get_data (prev_hash, NULL), KOERS_SYNC_HASH_BYTES);
}

static GBytes *
seal_changes (SyncConfig *config, const KoersBatchInfo *info, GBytes *jsonl, GError **error)
{
  g_autoptr(KoersSyncKey) office = koers_sync_key_new_public (KOERS_SYNC_KEY_SEAL, config->enrollment->office_seal_public);
  g_autoptr(KoersSyncKey) team = koers_sync_key_new_public (KOERS_SYNC_KEY_SEAL, config->team_public);
  const KoersSyncKey *recipients[] = { office, team };

  return koers_envelope_seal (info, jsonl, config->device_key, recipients, G_N_ELEMENTS (recipients), error);
}

static GBytes *
hash_bytes (GBytes *file)
{
  guint8 hash[KOERS_SYNC_HASH_BYTES];

  koers_sync_hash (g_bytes_get_data (file, NULL), g_bytes_get_size (file), hash);
  return g_bytes_new (hash, sizeof hash);
}

/* Cuts one batch; *cut is FALSE when nothing is left to cut. */
static gboolean
cut_one (KoersStore   *store,
         SyncConfig   *config,
         gsize        *max_bytes,
         gboolean     *cut,
         GError      **error)
{
  gint64 epoch, first_seq, last_seq;
  g_autoptr(GBytes) prev = NULL;
  g_autoptr(GBytes) jsonl = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) hash = NULL;
  KoersBatchInfo info;
  guint n_changes = 0;

  *cut = FALSE;
  if (!koers_store_sync_next_cut (store, &epoch, &first_seq, &prev, error))
    return FALSE;
  for (;;)
    {
      g_clear_pointer (&jsonl, g_bytes_unref);
      g_clear_pointer (&sealed, g_bytes_unref);
      jsonl = koers_store_sync_read_changes (store, first_seq - 1, *max_bytes, &last_seq, &n_changes, error);
      if (jsonl == NULL)
        return FALSE;
      if (n_changes == 0)
        return TRUE;
      fill_info (&info, config, epoch, first_seq, last_seq, prev);
      sealed = seal_changes (config, &info, jsonl, error);
      if (sealed == NULL)
        return FALSE;
      if (g_bytes_get_size (sealed) <= KOERS_SYNC_BATCH_CAP || n_changes == 1)
        break;
      /* Compressed worse than expected: cut smaller. */
      *max_bytes = MAX (g_bytes_get_size (jsonl) / 2, 1);
    }
  hash = hash_bytes (sealed);
  koers_sync_crash_point ();
  if (!koers_store_sync_store_batch (store, epoch, first_seq, last_seq, sealed, hash, error))
    return FALSE;
  koers_sync_crash_point ();
  *cut = TRUE;
  return TRUE;
}

static gboolean
cut_batches (KoersStore *store, SyncConfig *config, KoersSyncRoundResult *result,
             GCancellable *cancellable, GError **error)
{
  gsize max_bytes = FIRST_CUT_BYTES;
  gboolean cut = TRUE;

#ifdef KOERS_SYNC_TEST_HOOKS
  if (g_getenv ("KOERS_SYNC_CUT_BYTES") != NULL)
    max_bytes = (gsize) g_ascii_strtoull (g_getenv ("KOERS_SYNC_CUT_BYTES"), NULL, 10);
#endif

  while (cut)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      if (!cut_one (store, config, &max_bytes, &cut, error))
        return FALSE;
      result->n_cut += cut;
    }
  return TRUE;
}

/* Restore detection -------------------------------------------------------- */

static gboolean
is_store_error (const GError *error, KoersStoreError code)
{
  return error != NULL && g_error_matches (error, KOERS_STORE_ERROR, (gint) code);
}

static char *
batch_name (gint64 epoch, gint64 first_seq, gint64 last_seq)
{
  KoersBatchInfo info = { .epoch = (guint32) epoch, .first_seq = (guint64) first_seq, .last_seq = (guint64) last_seq };

  return koers_envelope_file_name (&info);
}

static gboolean
signed_by (GBytes             *file,
           const KoersSyncKey *key)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (file, &len);

  return len > KOERS_SYNC_SIGNATURE_BYTES
         && koers_sync_verify (koers_sync_key_get_public (key), d, len - KOERS_SYNC_SIGNATURE_BYTES,
                               d + len - KOERS_SYNC_SIGNATURE_BYTES);
}

/* Fetches @name from the device's folder and asks the store whether it is
 * more than this vault ever sealed (a restore). */
static gboolean
check_drop_file (KoersStore     *store,
                 KoersDavClient *client,
                 SyncConfig     *config,
                 const char     *name,
                 gboolean       *new_epoch,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autofree char *path = g_strdup_printf ("%s/%s", config->folder, name);
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GBytes) hash = NULL;
  guint32 epoch;
  guint64 first_seq, last_seq;

  *new_epoch = FALSE;
  if (!koers_envelope_parse_file_name (name, &epoch, &first_seq, &last_seq))
    return TRUE;
  file = koers_dav_client_get (client, path, KOERS_ENVELOPE_MAX_FILE, cancellable, error);
  if (file == NULL)
    return FALSE;
  /* Only a batch this device signed tells of a restore: anyone who can
   * write to the drop could put a file under a batch's name here, and
   * must not push the vault into a new epoch with it. */
  if (!signed_by (file, config->device_key))
    {
      g_message ("A file on the drop under this laptop's batch name %s was not made by it", name);
      return TRUE;
    }
  hash = hash_bytes (file);
  return koers_store_sync_check_restore (store, epoch, (gint64) last_seq, hash, new_epoch, error);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* The latest batch of this device on the drop, checked once per name: a
 * restored vault's cut would otherwise fork the chain. */
static gboolean
check_drop (KoersStore           *store,
            KoersDavClient       *client,
            SyncConfig           *config,
            KoersSyncRoundResult *result,
            GCancellable         *cancellable,
            GError              **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) entries = koers_dav_client_list (client, config->folder, cancellable, &local);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GBytes) checked = NULL;
  g_autoptr(GBytes) latest_bytes = NULL;
  const char *latest;
  gboolean new_epoch = FALSE;

  if (entries == NULL)
    {
      if (g_error_matches (local, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_FOUND))
        return TRUE;  /* no folder yet: nothing uploaded */
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      KoersDavEntry *entry = g_ptr_array_index (entries, i);
      guint32 epoch;
      guint64 first_seq, last_seq;

      if (koers_envelope_parse_file_name (entry->name, &epoch, &first_seq, &last_seq))
        g_ptr_array_add (names, entry->name);
    }
  if (names->len == 0)
    return TRUE;
  g_ptr_array_sort (names, compare_names);
  latest = g_ptr_array_index (names, names->len - 1);
  checked = koers_store_sync_get_setting (store, SETTING_DROP_CHECKED, error);
  if (checked == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (checked != NULL && g_bytes_get_size (checked) == strlen (latest)
      && memcmp (g_bytes_get_data (checked, NULL), latest, strlen (latest)) == 0)
    return TRUE;
  if (!check_drop_file (store, client, config, latest, &new_epoch, cancellable, error))
    return FALSE;
  result->new_epoch |= new_epoch;
  latest_bytes = g_bytes_new (latest, strlen (latest));
  return koers_store_sync_set_setting (store, SETTING_DROP_CHECKED, latest_bytes, error);
}

/* Uploading ---------------------------------------------------------------- */

typedef struct
{
  KoersSyncProgressFunc func;
  gpointer              user_data;
  guint                 done;
  guint                 total;
} ProgressRelay;

static void
relay_progress (guint64 done, guint64 total, gpointer user_data)
{
  ProgressRelay *relay = user_data;

  if (relay->func != NULL)
    relay->func (relay->done, relay->total, done, total, relay->user_data);
}

static gboolean
remember_uploaded (KoersStore *store, const char *name, GError **error)
{
  g_autoptr(GBytes) value = g_bytes_new (name, strlen (name));

  return koers_store_sync_set_setting (store, SETTING_DROP_CHECKED, value, error);
}

/* Another file holds the batch's name: a restored vault (new epoch, cut
 * again: *restart) or a file a person must look at (quarantine). */
static gboolean
handle_name_taken (KoersStore           *store,
                   KoersDavClient       *client,
                   SyncConfig           *config,
                   KoersOutboxBatch     *batch,
                   const char           *name,
                   KoersSyncRoundResult *result,
                   gboolean             *restart,
                   GCancellable         *cancellable,
                   GError              **error)
{
  gboolean new_epoch = FALSE;

  if (!check_drop_file (store, client, config, name, &new_epoch, cancellable, error))
    return FALSE;
  if (new_epoch)
    {
      result->new_epoch = TRUE;
      *restart = TRUE;
      return TRUE;
    }
  g_warning ("Batch %s quarantined: another file has its name on the drop", name);
  result->n_quarantined++;
  return koers_store_sync_quarantine (store, batch->epoch, batch->first_seq,
                                      _("Another file already has this batch's name on the drop. "
                                        "Ask the office to compare the two before anything is removed."),
                                      error);
}

static gboolean
upload_batches (KoersStore           *store,
                KoersDavClient       *client,
                SyncConfig           *config,
                ProgressRelay        *relay,
                KoersSyncRoundResult *result,
                gboolean             *restart,
                GCancellable         *cancellable,
                GError              **error)
{
  g_autoptr(GPtrArray) batches = koers_store_sync_list_batches (store, KOERS_BATCH_SEALED, error);

  *restart = FALSE;
  if (batches == NULL)
    return FALSE;
  relay->done = 0;
  relay->total = batches->len;
  for (guint i = 0; i < batches->len && !*restart; i++)
    {
      KoersOutboxBatch *batch = g_ptr_array_index (batches, i);
      g_autofree char *name = batch_name (batch->epoch, batch->first_seq, batch->last_seq);
      g_autoptr(GError) local = NULL;
      gboolean already = FALSE;

      koers_sync_crash_point ();
      if (!koers_dav_put_once (client, config->folder, name, batch->sealed, &already, cancellable, &local))
        {
          if (!g_error_matches (local, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NAME_TAKEN))
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return FALSE;
            }
          if (!handle_name_taken (store, client, config, batch, name, result, restart, cancellable, error))
            return FALSE;
          continue;
        }
      koers_sync_crash_point ();
      if (!koers_store_sync_mark_uploaded (store, batch->epoch, batch->first_seq, error)
          || !remember_uploaded (store, name, error))
        return FALSE;
      result->n_uploaded++;
      relay->done++;
      relay_progress (0, 0, relay);
    }
  return TRUE;
}

/* The acknowledgement ------------------------------------------------------ */

static gboolean
apply_ack (KoersStore           *store,
           const KoersAck       *ack,
           KoersSyncRoundResult *result,
           GError              **error)
{
  g_autoptr(GBytes) hash = g_bytes_new (ack->acked.hash, KOERS_SYNC_HASH_BYTES);
  g_autoptr(GError) local = NULL;
  gboolean new_epoch = FALSE;
  guint n_acknowledged = 0;

  koers_sync_crash_point ();
  if (koers_store_sync_apply_ack (store, ack->acked.epoch, (gint64) ack->acked.last_seq, hash,
                                  &n_acknowledged, &local))
    {
      result->n_acknowledged += n_acknowledged;
      koers_sync_crash_point ();
      return TRUE;
    }
  if (!is_store_error (local, KOERS_STORE_ERROR_INVALID))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* Signed by the office but never sealed here: a restored vault. */
  if (!koers_store_sync_check_restore (store, ack->acked.epoch, (gint64) ack->acked.last_seq, hash,
                                       &new_epoch, error))
    return FALSE;
  if (!new_epoch)
    g_warning ("Ignored an acknowledgement of a batch this laptop did not send (%s)", local->message);
  result->new_epoch |= new_epoch;
  return TRUE;
}

static gboolean
read_ack (KoersStore           *store,
          KoersDavClient       *client,
          SyncConfig           *config,
          KoersSyncRoundResult *result,
          GCancellable         *cancellable,
          GError              **error)
{
  g_autofree char *path = g_strdup_printf ("%s/" ACK_NAME, config->folder);
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) file = koers_dav_client_get (client, path, 4 * KOERS_ACK_BYTES, cancellable, &local);
  KoersAck ack;

  if (file == NULL)
    {
      if (g_error_matches (local, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_FOUND))
        return TRUE;  /* the office has imported nothing yet */
      if (g_error_matches (local, KOERS_DAV_ERROR, KOERS_DAV_ERROR_RESPONSE_TOO_LARGE))
        {
          g_warning ("Ignored an acknowledgement that is too large");
          result->bogus_ack = TRUE;
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!koers_ack_read (file, config->enrollment->office_sign_public, config->enrollment->steunpunt_id,
                       config->device_id, &ack, &local))
    {
      g_warning ("Ignored an acknowledgement that does not verify: %s", local->message);
      result->bogus_ack = TRUE;
      return TRUE;
    }
  return apply_ack (store, &ack, result, error);
}

/* A round ------------------------------------------------------------------ */

static gboolean
run_steps (KoersStore           *store,
           KoersDavClient       *client,
           SyncConfig           *config,
           ProgressRelay        *relay,
           KoersSyncRoundResult *result,
           GCancellable         *cancellable,
           GError              **error)
{
  gboolean restart = TRUE;

  if (!koers_dav_remove_leftovers (client, config->folder, NULL, cancellable, error))
    return FALSE;
  koers_sync_crash_point ();
  if (!read_ack (store, client, config, result, cancellable, error)
      || !check_drop (store, client, config, result, cancellable, error))
    return FALSE;
  /* the device list first: after a rotation, new batches are sealed to
   * the new team key at once (docs/sync-format.md, "Team key generations") */
  if (!koers_sync_refresh_team (store, client, config->enrollment, config->device_key,
                                config->device_id, result, cancellable, error))
    return FALSE;
  koers_team_keys_seal_public (store, config->enrollment, config->team_public);
  /* A restore found on the way cuts again in the new epoch: at most once
   * more, a new epoch is never found twice for the same file. */
  for (guint pass = 0; restart && pass < 3; pass++)
    {
      if (!cut_batches (store, config, result, cancellable, error)
          || !upload_batches (store, client, config, relay, result, &restart, cancellable, error))
        return FALSE;
    }
  return read_ack (store, client, config, result, cancellable, error)
         && koers_sync_pull_team (store, client, config->enrollment, config->device_key,
                                  config->device_id, result, cancellable, error);
}

gboolean
koers_sync_run_round (KoersStore            *store,
                      KoersDavClient        *client,
                      KoersSyncProgressFunc  progress,
                      gpointer               user_data,
                      KoersSyncRoundResult  *result,
                      GCancellable          *cancellable,
                      GError               **error)
{
  g_autoptr(SyncConfig) config = NULL;
  g_autoptr(KoersDavClient) own = NULL;
  g_autoptr(GError) local = NULL;
  KoersSyncRoundResult ignored;
  ProgressRelay relay = { progress, user_data, 0, 0 };
  gboolean ok;

  if (result == NULL)
    result = &ignored;
  memset (result, 0, sizeof *result);
  config = load_config (store, &local);
  if (config != NULL && client == NULL)
    client = own = koers_sync_make_client (store, &local);
  ok = config != NULL && client != NULL;
  if (ok)
    {
      koers_dav_client_set_progress (client, relay_progress, &relay);
      ok = run_steps (store, client, config, &relay, result, cancellable, &local);
      koers_dav_client_set_progress (client, NULL, NULL);
    }
  if (ok || !g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(GError) record_error = NULL;

      if (!koers_store_sync_record_round (store, ok ? NULL : local->message, &record_error))
        g_warning ("Could not record the sync round: %s", record_error->message);
    }
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local));
  return ok;
}

gboolean
koers_sync_write_ack (KoersDavClient     *client,
                      const KoersAck     *ack,
                      const KoersSyncKey *office_key,
                      GCancellable       *cancellable,
                      GError            **error)
{
  g_autofree char *steunpunt = koers_sync_id_to_uuid (ack->steunpunt_id);
  g_autofree char *device = koers_sync_id_to_uuid (ack->device_id);
  g_autofree char *folder = g_strdup_printf ("%s/%s", steunpunt, device);
  g_autofree char *path = g_strdup_printf ("%s/" ACK_NAME, folder);
  g_autoptr(GBytes) file = koers_ack_write (ack, office_key);

  if (!koers_dav_client_make_folder (client, folder, cancellable, error))
    return FALSE;
  return koers_dav_client_put (client, path, file, cancellable, error);
}
