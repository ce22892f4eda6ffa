/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-pull.c: fetch, verify, merge, acknowledge (koers-office.h).
 *
 * The order that makes a kill at any point harmless: a batch is recorded
 * as imported in the same transaction as its merge, the device's chain
 * state moves with it, and the ack is made from that committed state only,
 * after the commit. A rerun skips what is recorded and writes the ack that
 * a kill left unwritten. koers_sync_crash_point() marks where the tests
 * kill a pull (a no-op outside their build, tests/office/meson.build). */
#include "config.h"

#define G_LOG_DOMAIN "koers-office"

#include <glib/gi18n.h>

#include "koers-ack.h"
#include "koers-envelope.h"
#include "koers-office-prefetch.h"
#include "koers-office-private.h"
#include "koers-store-private.h"
#include "koers-sync-round.h"

typedef struct
{
  char      *steunpunt;   /* uuid of the folder */
  char      *device;      /* uuid of the folder */
  GPtrArray *names;       /* batch names, in chain order */
  guint64    bytes;       /* of every file in the folder */
} DeviceFolder;

static void
device_folder_free (DeviceFolder *folder)
{
  g_free (folder->steunpunt);
  g_free (folder->device);
  g_ptr_array_unref (folder->names);
  g_free (folder);
}

/* What the office knows of a device. */
typedef struct
{
  gboolean        known;
  char           *steunpunt;
  gboolean        revoked;
  gint64          revoked_epoch;
  gint64          revoked_after_seq;
  KoersChainState chain;
  gint64          acked_epoch;
  gint64          acked_seq;
} DeviceState;

typedef struct
{
  KoersOffice           *self;
  KoersDavClient        *drop;
  KoersSyncKey          *seal;
  KoersSyncKey          *sign;
  KoersKnownDevices     *known;
  KoersOfficePullResult *result;
  KoersOfficeProgress    progress;
  gpointer               progress_data;
  guint                  done;
  guint                  total;
  GCancellable          *cancellable;
  KoersOfficePrefetch   *ahead;   /* NULL: each file is fetched when its turn comes */
} Pull;

static void
step_progress (Pull *pull)
{
  pull->done++;
  if (pull->progress != NULL)
    pull->progress (pull->done, pull->total, pull->progress_data);
}

static KoersKnownDevices *
load_known_devices (KoersOffice *self,
                    GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT id, steunpunt_id, sign_public FROM office_device", error);
  g_autoptr(KoersKnownDevices) known = koers_known_devices_new ();
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint8 id[KOERS_SYNC_ID_BYTES], steunpunt[KOERS_SYNC_ID_BYTES];

      if (koers_sync_id_from_uuid ((const char *) sqlite3_column_text (stmt, 0), id)
          && koers_sync_id_from_uuid ((const char *) sqlite3_column_text (stmt, 1), steunpunt)
          && sqlite3_column_bytes (stmt, 2) == KOERS_SYNC_PUBLIC_BYTES)
        koers_known_devices_add (known, id, steunpunt, sqlite3_column_blob (stmt, 2));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self->store, error, rc, "office devices");
      return NULL;
    }
  return g_steal_pointer (&known);
}

static void
load_device_state (KoersOffice *self,
                   const char  *device,
                   DeviceState *state)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT steunpunt_id, revoked_ms, revoked_epoch, revoked_after_seq, chain_epoch,"
    " chain_last_seq, chain_hash, acked_epoch, acked_seq FROM office_device WHERE id = ?", NULL);

  memset (state, 0, sizeof *state);
  if (stmt == NULL)
    return;
  sqlite3_bind_text (stmt, 1, device, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      state->known = TRUE;
      state->steunpunt = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      state->revoked = sqlite3_column_int64 (stmt, 1) != 0;
      state->revoked_epoch = sqlite3_column_int64 (stmt, 2);
      state->revoked_after_seq = sqlite3_column_int64 (stmt, 3);
      state->chain.epoch = (guint32) sqlite3_column_int64 (stmt, 4);
      state->chain.last_seq = (guint64) sqlite3_column_int64 (stmt, 5);
      if (sqlite3_column_bytes (stmt, 6) == KOERS_SYNC_HASH_BYTES)
        memcpy (state->chain.hash, sqlite3_column_blob (stmt, 6), KOERS_SYNC_HASH_BYTES);
      state->acked_epoch = sqlite3_column_int64 (stmt, 7);
      state->acked_seq = sqlite3_column_int64 (stmt, 8);
    }
  sqlite3_reset (stmt);
}

/* TRUE when the office has imported @name of @device, or, with @hash,
 * any batch of the device with that hash. */
static gboolean
already_imported (KoersOffice  *self,
                  const char   *device,
                  const char   *name,
                  const guint8 *hash)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store, hash == NULL
    ? "SELECT 1 FROM office_batch WHERE device_id = ?1 AND name = ?2"
    : "SELECT 1 FROM office_batch WHERE device_id = ?1 AND hash = ?2", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device, -1, SQLITE_STATIC);
  if (hash == NULL)
    sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  else
    sqlite3_bind_blob (stmt, 2, hash, KOERS_SYNC_HASH_BYTES, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static gboolean
in_quarantine (KoersOffice        *self,
               const DeviceFolder *folder,
               const char         *name,
               const guint8       *hash)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT 1 FROM office_quarantine WHERE steunpunt = ? AND device = ? AND name = ?"
    " AND hash = ?", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, folder->steunpunt, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, folder->device, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 4, hash, KOERS_SYNC_HASH_BYTES, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static gboolean
quarantine (Pull               *pull,
            const DeviceFolder *folder,
            const char         *name,
            GBytes             *file,
            const guint8       *hash,
            const char         *code,
            const char         *reason,
            GError            **error)
{
  KoersStore *store = pull->self->store;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_message ("quarantined %s/%s/%s: %s", folder->steunpunt, folder->device, name, code);
  if (!koers_store_write_begin (store, error))
    return FALSE;
  stmt = koers_store_prepare (store,
    "INSERT OR IGNORE INTO office_quarantine (steunpunt, device, name, reason_code, reason,"
    " file, hash, at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, folder->steunpunt, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, folder->device, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, code, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, reason, -1, SQLITE_STATIC);
      sqlite3_bind_blob64 (stmt, 6, g_bytes_get_data (file, NULL), g_bytes_get_size (file),
                           SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 7, hash, KOERS_SYNC_HASH_BYTES, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 8, koers_store_now_ms (store));
      ok = koers_store_step_done (store, stmt, error);
    }
  if (ok && sqlite3_changes (koers_store_get_db (store)) > 0)
    pull->result->quarantined++;
  return koers_store_write_end (store, ok, error);
}

typedef struct
{
  KoersOffice *self;
  const char  *device_id;
  guint32      epoch;
} Received;

/* The changes as received, beside the merged records: person export and
 * erase at the office work on them. A line without a "seq" is not kept
 * (the column may not be empty: OR IGNORE). Called by the merge for each
 * line it has read: the line is not read twice. */
static gboolean
keep_as_received (const char  *line,
                  const char  *seq,
                  gpointer     data,
                  GError     **error)
{
  Received *received = data;
  sqlite3_stmt *stmt = koers_store_prepare (received->self->store,
    "INSERT OR IGNORE INTO office_change (device_id, epoch, seq, change) VALUES (?, ?, ?, ?)",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, received->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, received->epoch);
  sqlite3_bind_text (stmt, 3, seq, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, line, -1, SQLITE_STATIC);
  return koers_store_step_done (received->self->store, stmt, error);
}

gboolean
koers_office_merge_batch (KoersOffice  *self,
                          const char   *device_id,
                          guint32       epoch,
                          GBytes       *jsonl,
                          GError      **error)
{
  KoersMergeStats stats = { 0 };
  Received received = { self, device_id, epoch };
  /* an erased client's changes are neither merged nor kept */
  g_autoptr(GBytes) kept = koers_store_filter_erased (self->store, jsonl, NULL);

  /* A savepoint inside the pull's transaction: a batch the merge refuses
   * leaves nothing behind (the caller quarantines it as "merge"). */
  return koers_store_merge_changes_full (self->store, kept, device_id, keep_as_received,
                                         &received, &stats, error);
}

static gboolean
record_import (KoersOffice        *self,
               const DeviceFolder *folder,
               const char         *name,
               const KoersBatch   *batch,
               GError            **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "INSERT INTO office_batch (device_id, name, steunpunt_id, epoch, first_seq, last_seq,"
    " hash, n_changes, imported_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error);
  gint64 now = koers_store_now_ms (self->store);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, folder->device, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, folder->steunpunt, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, batch->info.epoch);
  sqlite3_bind_int64 (stmt, 5, (gint64) batch->info.first_seq);
  sqlite3_bind_int64 (stmt, 6, (gint64) batch->info.last_seq);
  sqlite3_bind_blob (stmt, 7, batch->hash, KOERS_SYNC_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, batch->n_changes);
  sqlite3_bind_int64 (stmt, 9, now);
  if (!koers_store_step_done (self->store, stmt, error))
    return FALSE;
  stmt = koers_store_prepare (self->store,
    "UPDATE office_device SET chain_epoch = ?, chain_last_seq = ?, chain_hash = ?,"
    " last_batch = ?, last_seen_ms = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, batch->info.epoch);
  sqlite3_bind_int64 (stmt, 2, (gint64) batch->info.last_seq);
  sqlite3_bind_blob (stmt, 3, batch->hash, KOERS_SYNC_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, now);
  sqlite3_bind_text (stmt, 6, folder->device, -1, SQLITE_STATIC);
  return koers_store_step_done (self->store, stmt, error);
}

/* Merge and record in one transaction: all or nothing. */
static gboolean
import_batch (Pull               *pull,
              const DeviceFolder *folder,
              const char         *name,
              const KoersBatch   *batch,
              GError            **error)
{
  KoersStore *store = pull->self->store;
  gboolean ok;

  if (!koers_store_write_begin (store, error))
    return FALSE;
  koers_sync_crash_point ();
  ok = koers_office_merge_batch (pull->self, folder->device, batch->info.epoch, batch->jsonl, error)
       && record_import (pull->self, folder, name, batch, error);
  if (!koers_store_write_end (store, ok, error))
    return FALSE;
  koers_sync_crash_point ();   /* merged, not committed yet */
  pull->result->imported++;
  pull->result->changes += batch->n_changes;
  return TRUE;
}

static gboolean
is_revoked_for (const DeviceState *state,
                const char        *name)
{
  guint32 epoch;
  guint64 first, last;

  if (!state->revoked)
    return FALSE;
  if (!koers_envelope_parse_file_name (name, &epoch, &first, &last))
    return TRUE;
  return epoch > state->revoked_epoch
         || (epoch == state->revoked_epoch && last > (guint64) state->revoked_after_seq);
}

typedef enum { BATCH_DONE, BATCH_HOLD, BATCH_FAILED } BatchOutcome;

/* Verifies and imports one fetched batch, or quarantines it. */
static BatchOutcome
handle_file (Pull               *pull,
             const DeviceFolder *folder,
             DeviceState        *state,
             const char         *name,
             GBytes             *file,
             GError            **error)
{
  guint8 hash[KOERS_SYNC_HASH_BYTES];
  guint8 steunpunt_id[KOERS_SYNC_ID_BYTES], device_id[KOERS_SYNC_ID_BYTES];
  g_autoptr(GError) local = NULL;
  g_autoptr(KoersBatch) batch = NULL;
  KoersEnvelopeOpenOptions opts = { 0 };
  const char *code;

  koers_sync_hash (g_bytes_get_data (file, NULL), g_bytes_get_size (file), hash);
  if (in_quarantine (pull->self, folder, name, hash))
    return BATCH_DONE;
  if (!state->known || g_strcmp0 (state->steunpunt, folder->steunpunt) != 0)
    return quarantine (pull, folder, name, file, hash, "unknown-device",
                       _("The device is not registered at this office for this steunpunt"), error)
           ? BATCH_DONE : BATCH_FAILED;
  if (is_revoked_for (state, name))
    return quarantine (pull, folder, name, file, hash, "revoked",
                       _("The device was revoked before it sent this batch"), error)
           ? BATCH_DONE : BATCH_FAILED;

  koers_sync_id_from_uuid (folder->steunpunt, steunpunt_id);
  koers_sync_id_from_uuid (folder->device, device_id);
  opts.recipient = pull->seal;
  opts.devices = pull->known;
  opts.steunpunt_id = steunpunt_id;
  opts.name = name;
  opts.chain = &state->chain;
  batch = koers_envelope_open (file, &opts, &local);
  if (batch != NULL && memcmp (batch->info.device_id, device_id, sizeof device_id) != 0)
    {
      return quarantine (pull, folder, name, file, hash, "device-folder",
                         _("The batch was signed by another device than the folder it is in"),
                         error) ? BATCH_DONE : BATCH_FAILED;
    }
  if (batch != NULL)
    {
      if (!import_batch (pull, folder, name, batch, &local))
        {
          /* the merge refused the batch (nothing of it applied): a person
           * looks; the database failing stops the pull */
          if (local->domain != KOERS_STORE_ERROR || local->code == KOERS_STORE_ERROR_FAILED)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              return BATCH_FAILED;
            }
          return quarantine (pull, folder, name, file, hash, "merge", local->message, error)
                 ? BATCH_DONE : BATCH_FAILED;
        }
      koers_chain_advance (&state->chain, &batch->info, batch->hash);
      return BATCH_DONE;
    }
  if (g_error_matches (local, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_CHAIN_GAP))
    return BATCH_HOLD;
  if (g_error_matches (local, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_CHAIN_DUPLICATE)
      || (g_error_matches (local, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_CHAIN_STALE)
          && already_imported (pull->self, folder->device, NULL, hash)))
    {
      pull->result->skipped++;
      return BATCH_DONE;
    }
  code = koers_envelope_error_code (local);
  return quarantine (pull, folder, name, file, hash, code, local->message, error)
         ? BATCH_DONE : BATCH_FAILED;
}

static gboolean
write_ack (Pull               *pull,
           const DeviceFolder *folder,
           DeviceState        *state,
           GError            **error)
{
  KoersAck ack = { 0 };
  g_autoptr(GBytes) file = NULL;
  g_autofree char *path = NULL;

  if (state->chain.last_seq == 0
      || ((gint64) state->chain.epoch == state->acked_epoch
          && (gint64) state->chain.last_seq == state->acked_seq))
    return TRUE;
  koers_sync_id_from_uuid (folder->steunpunt, ack.steunpunt_id);
  koers_sync_id_from_uuid (folder->device, ack.device_id);
  ack.acked = state->chain;
  ack.at_ms = koers_store_now_ms (pull->self->store);
  file = koers_ack_write (&ack, pull->sign);
  path = g_strdup_printf ("%s/%s/ack", folder->steunpunt, folder->device);
  koers_sync_crash_point ();   /* committed, not acknowledged yet */
  if (!koers_dav_client_put (pull->drop, path, file, pull->cancellable, error))
    return FALSE;
  koers_sync_crash_point ();   /* acknowledged, not recorded yet */
  pull->result->acks++;
  if (!koers_office_write_row (pull->self, error,
                               "UPDATE office_device SET acked_epoch = ?, acked_seq = ? WHERE id = ?",
                               "iit", (gint64) state->chain.epoch, (gint64) state->chain.last_seq,
                               folder->device))
    return FALSE;
  state->acked_epoch = state->chain.epoch;
  state->acked_seq = (gint64) state->chain.last_seq;
  return TRUE;
}

static gboolean
record_pending (KoersOffice *self,
                const char  *device,
                guint        pending,
                GError     **error)
{
  return koers_office_write_row (self, error, "UPDATE office_device SET pending = ? WHERE id = ?",
                                 "it", (gint64) pending, device);
}

/* A device's batches are merged in transactions of up to this many: each
 * commit syncs the WAL and writes again every page the batch touched (the
 * indexes of the change log, the search index, the office's tables), most
 * of them the same pages as the batch before; one commit per batch cost
 * about a quarter of the pull's wall time, though little CPU
 * (docs/benchmarks.md, "Pull"). Each batch is still a
 * savepoint of its own (import_batch()): one the merge refuses leaves
 * nothing behind. Acks are written only after the last commit. */
#define BATCHES_PER_COMMIT 16

/* Commits the batches merged so far; the transaction is closed either
 * way. With @ok FALSE (the caller has its error) what was merged stays
 * and a failed commit only warns. */
static gboolean
commit_device (KoersStore  *store,
               gboolean     ok,
               GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (koers_store_write_end (store, TRUE, &local))
    return TRUE;
  if (ok)
    g_propagate_error (error, g_steal_pointer (&local));
  else
    g_warning ("Could not commit the batches merged before the error: %s", local->message);
  return FALSE;
}

static char *
batch_path (const DeviceFolder *folder,
            const char         *name)
{
  return g_strdup_printf ("%s/%s/%s", folder->steunpunt, folder->device, name);
}

static GBytes *
fetch_file (Pull               *pull,
            const DeviceFolder *folder,
            const char         *name,
            GError            **error)
{
  g_autofree char *path = batch_path (folder, name);

  if (pull->ahead != NULL)
    return koers_office_prefetch_get (pull->ahead, path, error);
  return koers_dav_client_get (pull->drop, path, KOERS_ENVELOPE_MAX_FILE + 1,
                               pull->cancellable, error);
}

static gboolean
pull_device (Pull               *pull,
             const DeviceFolder *folder,
             GError            **error)
{
  KoersStore *store = pull->self->store;
  DeviceState state;
  guint pending = 0, merged = 0;
  gboolean ok = TRUE, open;

  load_device_state (pull->self, folder->device, &state);
  open = koers_store_write_begin (store, error);
  if (!open)
    {
      g_free (state.steunpunt);
      return FALSE;
    }
  for (guint i = 0; ok && i < folder->names->len; i++)
    {
      const char *name = folder->names->pdata[i];
      g_autoptr(GBytes) file = NULL;
      BatchOutcome outcome;

      if (already_imported (pull->self, folder->device, name, NULL))
        {
          step_progress (pull);
          continue;
        }
      if (pending > 0)
        {
          pending++;
          pull->result->held++;
          step_progress (pull);
          continue;
        }
      file = fetch_file (pull, folder, name, error);
      ok = file != NULL;
      if (!ok)
        break;
      outcome = handle_file (pull, folder, &state, name, file, error);
      ok = outcome != BATCH_FAILED;
      if (outcome == BATCH_HOLD)
        {
          pending++;
          pull->result->held++;
          if (pull->ahead != NULL)
            koers_office_prefetch_skip_group (pull->ahead, folder);
        }
      if (ok && ++merged % BATCHES_PER_COMMIT == 0)
        {
          open = FALSE;
          ok = commit_device (store, ok, error) && (open = koers_store_write_begin (store, error));
        }
      step_progress (pull);
    }
  if (open && !commit_device (store, ok, error))
    ok = FALSE;
  /* The ack names only what the committed state holds. */
  ok = ok && (!state.known || write_ack (pull, folder, &state, error));
  ok = ok && (!state.known || record_pending (pull->self, folder->device, pending, error));
  g_free (state.steunpunt);
  return ok;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The sub-folders of @path whose names are UUIDs. */
static GPtrArray *
list_uuid_folders (Pull       *pull,
                   const char *path,
                   GError    **error)
{
  g_autoptr(GPtrArray) entries = koers_dav_client_list (pull->drop, path, pull->cancellable, error);
  GPtrArray *names;

  if (entries == NULL)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < entries->len; i++)
    {
      KoersDavEntry *entry = entries->pdata[i];
      guint8 id[KOERS_SYNC_ID_BYTES];

      if (entry->is_folder && koers_sync_id_from_uuid (entry->name, id))
        g_ptr_array_add (names, g_strdup (entry->name));
    }
  g_ptr_array_sort (names, compare_names);
  return names;
}

static DeviceFolder *
list_device_folder (Pull       *pull,
                    const char *steunpunt,
                    const char *device,
                    GError    **error)
{
  g_autofree char *path = g_strdup_printf ("%s/%s/", steunpunt, device);
  g_autoptr(GPtrArray) entries = koers_dav_client_list (pull->drop, path, pull->cancellable, error);
  DeviceFolder *folder;

  if (entries == NULL)
    return NULL;
  folder = g_new0 (DeviceFolder, 1);
  folder->steunpunt = g_strdup (steunpunt);
  folder->device = g_strdup (device);
  folder->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < entries->len; i++)
    {
      KoersDavEntry *entry = entries->pdata[i];
      guint32 epoch;
      guint64 first, last;

      if (!entry->is_folder && entry->size > 0)
        folder->bytes += (guint64) entry->size;
      if (!entry->is_folder
          && koers_envelope_parse_file_name (entry->name, &epoch, &first, &last))
        g_ptr_array_add (folder->names, g_strdup (entry->name));
    }
  g_ptr_array_sort (folder->names, compare_names);
  return folder;
}

/* The batch files the pull will fetch (those not imported yet), in its
 * order, fetched from now on by a thread of their own while the pull
 * merges. NULL (with @error) when the thread's connection cannot be made. */
static KoersOfficePrefetch *
fetch_ahead (Pull      *pull,
             GPtrArray *folders,
             GError   **error)
{
  g_autoptr(KoersOfficePrefetch) ahead = koers_office_prefetch_new (pull->drop, pull->cancellable,
                                                                    error);

  if (ahead == NULL)
    return NULL;
  for (guint i = 0; i < folders->len; i++)
    {
      const DeviceFolder *folder = folders->pdata[i];

      for (guint j = 0; j < folder->names->len; j++)
        {
          const char *name = folder->names->pdata[j];
          g_autofree char *path = NULL;

          if (already_imported (pull->self, folder->device, name, NULL))
            continue;
          path = batch_path (folder, name);
          koers_office_prefetch_plan (ahead, path, folder);
        }
    }
  koers_office_prefetch_start (ahead);
  return g_steal_pointer (&ahead);
}

/* Every device folder of the drop with its batch names. */
static GPtrArray *
list_drop (Pull    *pull,
           GError **error)
{
  g_autoptr(GPtrArray) steunpunten = list_uuid_folders (pull, "", error);
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func ((GDestroyNotify) device_folder_free);

  if (steunpunten == NULL)
    return NULL;
  for (guint i = 0; i < steunpunten->len; i++)
    {
      g_autofree char *path = g_strconcat (steunpunten->pdata[i], "/", NULL);
      g_autoptr(GPtrArray) devices = list_uuid_folders (pull, path, error);

      if (devices == NULL)
        return NULL;
      for (guint j = 0; j < devices->len; j++)
        {
          DeviceFolder *folder = list_device_folder (pull, steunpunten->pdata[i],
                                                     devices->pdata[j], error);
          if (folder == NULL)
            return NULL;
          pull->total += folder->names->len;
          g_ptr_array_add (folders, folder);
        }
    }
  return g_steal_pointer (&folders);
}

gboolean
koers_office_pull (KoersOffice           *self,
                   KoersDavClient        *drop,
                   KoersOfficeProgress    progress,
                   gpointer               progress_data,
                   KoersOfficePullResult *result,
                   GCancellable          *cancellable,
                   GError               **error)
{
  g_autoptr(KoersSyncKey) seal = NULL;
  g_autoptr(KoersSyncKey) sign = NULL;
  g_autoptr(KoersKnownDevices) known = NULL;
  g_autoptr(GPtrArray) folders = NULL;
  g_autoptr(KoersOfficePrefetch) ahead = NULL;
  Pull pull = { .self = self, .drop = drop, .result = result, .progress = progress,
                .progress_data = progress_data, .cancellable = cancellable };

  g_return_val_if_fail (KOERS_IS_OFFICE (self), FALSE);
  memset (result, 0, sizeof *result);
  seal = koers_office_get_key (self, KOERS_SYNC_KEY_SEAL, error);
  if (seal == NULL)
    return FALSE;
  sign = koers_office_get_key (self, KOERS_SYNC_KEY_SIGN, error);
  known = sign ? load_known_devices (self, error) : NULL;
  if (known == NULL)
    return FALSE;
  pull.seal = seal;
  pull.sign = sign;
  pull.known = known;
  folders = list_drop (&pull, error);
  if (folders == NULL || (ahead = fetch_ahead (&pull, folders, error)) == NULL)
    return FALSE;
  pull.ahead = ahead;
  for (guint i = 0; i < folders->len; i++)
    if (!pull_device (&pull, folders->pdata[i], error))
      return FALSE;
  /* the laptops verify their colleagues' batches against it (team sync) */
  koers_sync_crash_point ();
  return koers_office_publish_devices (self, drop, NULL, cancellable, error)
         /* how far each laptop has read (drop clean), then the office's
          * own batches to them */
         && koers_office_read_notes (self, drop, cancellable, error)
         && koers_office_publish_outbox (self, drop, &result->sent, cancellable, error);
}

/* What the drop holds ------------------------------------------------------- */

void
koers_office_drop_usage_free (KoersOfficeDropUsage *usage)
{
  if (usage == NULL)
    return;
  g_free (usage->steunpunt_id);
  g_free (usage);
}

static KoersOfficeDropUsage *
usage_for (GPtrArray  *list,
           const char *steunpunt)
{
  KoersOfficeDropUsage *usage;

  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (((KoersOfficeDropUsage *) list->pdata[i])->steunpunt_id, steunpunt))
      return list->pdata[i];
  usage = g_new0 (KoersOfficeDropUsage, 1);
  usage->steunpunt_id = g_strdup (steunpunt);
  g_ptr_array_add (list, usage);
  return usage;
}

GPtrArray *
koers_office_drop_status (KoersOffice    *self,
                          KoersDavClient *drop,
                          GCancellable   *cancellable,
                          GError        **error)
{
  KoersOfficePullResult unused;
  Pull pull = { .self = self, .drop = drop, .result = &unused, .cancellable = cancellable };
  g_autoptr(GPtrArray) folders = list_drop (&pull, error);
  g_autoptr(GPtrArray) list = NULL;

  if (folders == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_office_drop_usage_free);
  for (guint i = 0; i < folders->len; i++)
    {
      DeviceFolder *folder = folders->pdata[i];
      KoersOfficeDropUsage *usage = usage_for (list, folder->steunpunt);

      usage->bytes += folder->bytes;
      usage->batches += folder->names->len;
      for (guint j = 0; j < folder->names->len; j++)
        if (!already_imported (self, folder->device, folder->names->pdata[j], NULL))
          usage->waiting++;
    }
  return g_steal_pointer (&list);
}

/* Cleaning the drop ---------------------------------------------------------- */

/* Whether an imported, acknowledged batch may leave the drop: every
 * active device of its steunpunt has read it (team sync, their read
 * notes). */
static gboolean
koers_office_batch_may_go (KoersOffice *self,
                           const char  *steunpunt,
                           const char  *device,
                           const char  *name)
{
  return koers_office_batch_read_by_all (self, steunpunt, device, name);
}

static gboolean
mark_deleted (KoersOffice *self,
              const char  *device,
              const char  *name,
              GError     **error)
{
  return koers_office_write_row (self, error,
                                 "UPDATE office_batch SET deleted_ms = ? WHERE device_id = ? AND name = ?",
                                 "itt", koers_store_now_ms (self->store), device, name);
}

gboolean
koers_office_clean_drop (KoersOffice    *self,
                         KoersDavClient *drop,
                         guint           grace_days,
                         guint          *n_deleted,
                         GCancellable   *cancellable,
                         GError        **error)
{
  /* acknowledged: the device's ack is at or past the batch */
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT b.steunpunt_id, b.device_id, b.name FROM office_batch b"
    " JOIN office_device d ON d.id = b.device_id"
    " WHERE b.deleted_ms = 0 AND b.imported_ms <= ?"
    " AND (d.acked_epoch > b.epoch OR (d.acked_epoch = b.epoch AND d.acked_seq >= b.last_seq))"
    " ORDER BY b.device_id, b.name", error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  guint deleted = 0;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, koers_store_now_ms (self->store) - (gint64) grace_days * 86400000);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, 4);

      for (int c = 0; c < 3; c++)
        row[c] = g_strdup ((const char *) sqlite3_column_text (stmt, c));
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = rows->pdata[i];
      g_autofree char *path = g_strdup_printf ("%s/%s/%s", row[0], row[1], row[2]);

      if (!koers_office_batch_may_go (self, row[0], row[1], row[2]))
        continue;
      if (!koers_dav_client_delete (drop, path, cancellable, error)
          || !mark_deleted (self, row[1], row[2], error))
        return FALSE;
      deleted++;
    }
  if (!koers_office_clean_outbox (self, drop, grace_days, &deleted, cancellable, error))
    return FALSE;
  if (n_deleted != NULL)
    *n_deleted = deleted;
  return TRUE;
}
