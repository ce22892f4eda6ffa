/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-peer.c: team sync's record of how far this laptop has read
 * each colleague's batches, and the batches it refused (koers-store.h,
 * "Team sync"; docs/case-model.md). */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "koers-store-private.h"

void
koers_peer_state_free (KoersPeerState *state)
{
  if (state == NULL)
    return;
  g_free (state->device_id);
  g_clear_pointer (&state->hash, g_bytes_unref);
  g_free (state);
}

void
koers_peer_quarantined_free (KoersPeerQuarantined *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->device_id);
  g_free (entry->name);
  g_free (entry->reason_code);
  g_free (entry->reason);
  g_free (entry);
}

/* Devices read from, and those only refused so far (nothing read). */
#define PEER_SELECT \
  "SELECT d.device_id, coalesce (p.epoch, 0), coalesce (p.last_seq, 0), p.hash," \
  " coalesce (p.batches, 0), coalesce (p.changes, 0), coalesce (p.last_read_ms, 0)," \
  " (SELECT count(*) FROM sync_peer_quarantine q WHERE q.device_id = d.device_id)" \
  " FROM (SELECT device_id FROM sync_peer UNION SELECT device_id FROM sync_peer_quarantine) d" \
  " LEFT JOIN sync_peer p ON p.device_id = d.device_id"

static gpointer
peer_from_row (sqlite3_stmt *stmt)
{
  KoersPeerState *state = g_new0 (KoersPeerState, 1);

  state->device_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  state->epoch = sqlite3_column_int64 (stmt, 1);
  state->last_seq = sqlite3_column_int64 (stmt, 2);
  if (sqlite3_column_type (stmt, 3) == SQLITE_BLOB)
    state->hash = g_bytes_new (sqlite3_column_blob (stmt, 3), sqlite3_column_bytes (stmt, 3));
  state->batches = sqlite3_column_int64 (stmt, 4);
  state->changes = sqlite3_column_int64 (stmt, 5);
  state->last_read_ms = sqlite3_column_int64 (stmt, 6);
  state->quarantined = (guint) sqlite3_column_int64 (stmt, 7);
  return state;
}

/* Rows of @stmt through @make into a new array; NULL with @error. */
static GPtrArray *
collect_rows (KoersStore     *self,
              sqlite3_stmt   *stmt,
              gpointer      (*make) (sqlite3_stmt *),
              GDestroyNotify  free_func,
              GError        **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, make (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self, error, rc, _("reading"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

KoersPeerState *
koers_store_peer_get (KoersStore  *self,
                      const char  *device_id,
                      GError     **error)
{
  sqlite3_stmt *stmt;
  g_autoptr(GPtrArray) rows = NULL;
  KoersPeerState *state;

  g_return_val_if_fail (KOERS_IS_STORE (self) && device_id != NULL, NULL);
  stmt = koers_store_prepare (self, PEER_SELECT " WHERE d.device_id = ?",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_TRANSIENT);
  rows = collect_rows (self, stmt, peer_from_row, (GDestroyNotify) koers_peer_state_free,
                       error);
  if (rows == NULL)
    return NULL;
  if (rows->len > 0)
    return g_ptr_array_steal_index (rows, 0);
  state = g_new0 (KoersPeerState, 1);
  state->device_id = g_strdup (device_id);
  return state;
}

GPtrArray *
koers_store_peer_list (KoersStore  *self,
                       GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  stmt = koers_store_prepare (self, PEER_SELECT " ORDER BY d.device_id", error);
  if (stmt == NULL)
    return NULL;
  return collect_rows (self, stmt, peer_from_row, (GDestroyNotify) koers_peer_state_free,
                       error);
}

static gboolean
advance_peer (KoersStore  *self,
              const char  *device_id,
              gint64       epoch,
              gint64       last_seq,
              GBytes      *hash,
              guint        n_changes,
              GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "INSERT INTO sync_peer (device_id, epoch, last_seq, hash, batches, changes, last_read_ms)"
    " VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6) ON CONFLICT (device_id) DO UPDATE SET"
    " epoch = ?2, last_seq = ?3, hash = ?4, batches = batches + 1, changes = changes + ?5,"
    " last_read_ms = ?6", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, epoch);
  sqlite3_bind_int64 (stmt, 3, last_seq);
  sqlite3_bind_blob (stmt, 4, g_bytes_get_data (hash, NULL), (int) g_bytes_get_size (hash),
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, n_changes);
  sqlite3_bind_int64 (stmt, 6, koers_store_now_ms (self));
  return koers_store_step_done (self, stmt, error);
}

gboolean
koers_store_peer_merge_batch (KoersStore       *self,
                              const char       *device_id,
                              gint64            epoch,
                              gint64            last_seq,
                              GBytes           *hash,
                              GBytes           *lines,
                              KoersMergeStats  *stats,
                              GError          **error)
{
  KoersMergeStats local = { 0 };
  g_autoptr(GBytes) kept = NULL;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (self) && device_id != NULL, FALSE);
  g_return_val_if_fail (hash != NULL && lines != NULL, FALSE);
  if (stats == NULL)
    stats = &local;
  if (!koers_store_write_begin (self, error))
    return FALSE;
  kept = koers_store_filter_erased (self, lines, NULL);
  ok = koers_store_merge_changes (self, kept, device_id, stats, error)
       && advance_peer (self, device_id, epoch, last_seq, hash, stats->changes, error);
  return koers_store_write_end (self, ok, error);
}

gboolean
koers_store_peer_apply_office_batch (KoersStore       *self,
                                     const char       *origin,
                                     gint64            epoch,
                                     gint64            last_seq,
                                     GBytes           *hash,
                                     GBytes           *lines,
                                     KoersMergeStats  *stats,
                                     guint            *n_erased,
                                     GError          **error)
{
  KoersMergeStats local = { 0 };
  guint erased = 0;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (self) && origin != NULL, FALSE);
  g_return_val_if_fail (hash != NULL && lines != NULL && n_erased != NULL, FALSE);
  if (stats == NULL)
    stats = &local;
  if (!koers_store_write_begin (self, error))
    return FALSE;
  ok = koers_store_apply_office_lines (self, origin, lines, stats, &erased, error)
       && advance_peer (self, origin, epoch, last_seq, hash, stats->changes + erased, error);
  if (!koers_store_write_end (self, ok, error))
    return FALSE;
  *n_erased = erased;
  /* nothing of the files in free pages or the WAL; a kill before this
   * is caught up by the next round (koers_store_compact_erased()) */
  return erased == 0 || koers_store_compact_erased (self, error);
}

gboolean
koers_store_peer_quarantine (KoersStore   *self,
                             const char   *device_id,
                             const char   *name,
                             gint64        size,
                             GBytes       *hash,
                             const char   *reason_code,
                             const char   *reason,
                             GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (device_id != NULL && name != NULL && hash != NULL, FALSE);
  if (!koers_store_write_begin (self, error))
    return FALSE;
  stmt = koers_store_prepare (self,
    "INSERT OR IGNORE INTO sync_peer_quarantine (device_id, name, size, hash, reason_code, reason,"
    " at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, size);
      sqlite3_bind_blob (stmt, 4, g_bytes_get_data (hash, NULL), (int) g_bytes_get_size (hash),
                         SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, reason_code, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, reason, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, koers_store_now_ms (self));
      ok = koers_store_step_done (self, stmt, error);
    }
  return koers_store_write_end (self, ok, error);
}

gboolean
koers_store_peer_is_quarantined (KoersStore *self,
                                 const char *device_id,
                                 const char *name,
                                 gint64      size)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT 1 FROM sync_peer_quarantine WHERE device_id = ? AND name = ? AND size = ?", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, size);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static gpointer
quarantined_from_row (sqlite3_stmt *stmt)
{
  KoersPeerQuarantined *entry = g_new0 (KoersPeerQuarantined, 1);

  entry->device_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  entry->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  entry->reason_code = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  entry->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
  entry->at_ms = sqlite3_column_int64 (stmt, 4);
  return entry;
}

GPtrArray *
koers_store_peer_list_quarantine (KoersStore  *self,
                                  GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  stmt = koers_store_prepare (self,
    "SELECT device_id, name, reason_code, reason, at_ms FROM sync_peer_quarantine"
    " ORDER BY device_id, name", error);
  if (stmt == NULL)
    return NULL;
  return collect_rows (self, stmt, quarantined_from_row,
                       (GDestroyNotify) koers_peer_quarantined_free, error);
}
