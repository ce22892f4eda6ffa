/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-sync.c: the store's side of sync. Field stamps and the bases
 * each change replaced; the outbox: the change log cut into sealed
 * batches, kept until the office acknowledges them; the epoch, which a
 * restored vault moves on instead of forking its chain; the settings and
 * secrets of sync; each client's delivery state. See docs/case-model.md. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "koers-store-private.h"

#define INVALID(error, ...) \
  (g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID, __VA_ARGS__), FALSE)

static const char *const batch_states[] = { "sealed", "uploaded", "acknowledged", "quarantined" };

/* Stamps ------------------------------------------------------------------------------- */

char *
koers_store_stamp_text (KoersHlcStamp  hlc,
                        const char    *device_id)
{
  return g_strdup_printf ("%016" G_GINT64_MODIFIER "x:%s", hlc, device_id);
}

static void
bind_record_key (sqlite3_stmt *stmt,
                 int           first,
                 KoersEntity   kind,
                 const char   *id)
{
  sqlite3_bind_text (stmt, first, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, first + 1, koers_entity_name (kind), -1, SQLITE_STATIC);
}

/* Steps the bound @stmt to its first row. TRUE with *@found: the caller
 * reads the row and resets @stmt; TRUE without: no row; FALSE: an error
 * (@stmt reset either way). */
static gboolean
first_row (KoersStore    *self,
           sqlite3_stmt  *stmt,
           gboolean      *found,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  *found = rc == SQLITE_ROW;
  if (*found)
    return TRUE;
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  koers_store_set_sqlite_error (self, error, sqlite3_extended_errcode (self->db), _("reading"));
  return FALSE;
}

static GBytes *
column_bytes (sqlite3_stmt *stmt,
              int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return NULL;
  return g_bytes_new (sqlite3_column_blob (stmt, col), sqlite3_column_bytes (stmt, col));
}

/* The first column of the first row @stmt gives, into *@text or *@bytes
 * (the one not NULL); NULL when there is no row. */
static gboolean
read_first (KoersStore    *self,
            sqlite3_stmt  *stmt,
            char         **text,
            GBytes       **bytes,
            GError       **error)
{
  gboolean found;

  if (!first_row (self, stmt, &found, error))
    return FALSE;
  if (found && text != NULL)
    *text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (found)
    *bytes = column_bytes (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* A record's stamps: its record_stamp row once a field was updated, else
 * (its latest change is its insert) every field has the stamp of that
 * change-log row. So an insert, the bulk of all writes, writes no stamp of
 * its own. NULL: no such record (deleted, or never logged). */
#define RECORD_STAMPS_SQL \
  "coalesce ((SELECT stamps FROM record_stamp WHERE entity_id = ?1 AND entity = ?2)," \
  " (SELECT CASE op WHEN 'insert' THEN json_object ('*', printf ('%016x:%s', hlc, device_id)) END" \
  "  FROM change_log WHERE entity_id = ?1 AND entity = ?2 ORDER BY seq DESC LIMIT 1))"

static gboolean
read_stamps (KoersStore   *self,
             KoersEntity   kind,
             const char   *id,
             char        **stamps,
             GError      **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self, "SELECT " RECORD_STAMPS_SQL, error);

  *stamps = NULL;
  if (stmt == NULL)
    return FALSE;
  bind_record_key (stmt, 1, kind, id);
  return read_first (self, stmt, stamps, NULL, error);
}

char *
koers_store_get_stamps (KoersStore   *self,
                        KoersEntity   kind,
                        const char   *id,
                        GError      **error)
{
  char *stamps = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (kind < KOERS_N_ENTITIES && id != NULL, NULL);

  if (read_stamps (self, kind, id, &stamps, error) && stamps == NULL)
    g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND,
                 _("This %s does not exist (any more)."), _(koers_entity_info (kind)->label));
  return stamps;
}

/* Each changed field's base is its own stamp, else the record's "*"; the
 * changed fields get @stamp. */
static gboolean
stamp_update (KoersStore   *self,
              KoersEntity   kind,
              const char   *id,
              const char   *fields_json,
              const char   *stamp,
              char        **bases,
              GError      **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "WITH cur (s) AS (SELECT " RECORD_STAMPS_SQL ")"
    " SELECT (SELECT json_group_object (key, coalesce (json_extract (s, '$.\"' || key || '\"'),"
    "          json_extract (s, '$.\"*\"'))) FROM json_each (?3)),"
    "  json_patch (coalesce (s, '{}'), (SELECT json_group_object (key, ?4) FROM json_each (?3)))"
    " FROM cur", error);
  g_autofree char *stamps = NULL;
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  bind_record_key (stmt, 1, kind, id);
  sqlite3_bind_text (stmt, 3, fields_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, stamp, -1, SQLITE_STATIC);
  if (!first_row (self, stmt, &found, error))
    return FALSE;
  *bases = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  stamps = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);
  stmt = koers_store_prepare (self,
    "INSERT OR REPLACE INTO record_stamp (entity_id, entity, stamps) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    return FALSE;
  bind_record_key (stmt, 1, kind, id);
  sqlite3_bind_text (stmt, 3, stamps, -1, SQLITE_STATIC);
  return koers_store_step_done (self, stmt, error);
}

/* A tombstone's base is the record's stamps; its row goes. */
static gboolean
stamp_delete (KoersStore   *self,
              KoersEntity   kind,
              const char   *id,
              char        **bases,
              GError      **error)
{
  sqlite3_stmt *stmt;

  if (!read_stamps (self, kind, id, bases, error))
    return FALSE;
  stmt = koers_store_prepare (self,
    "DELETE FROM record_stamp WHERE entity_id = ?1 AND entity = ?2", error);
  if (stmt == NULL)
    return FALSE;
  bind_record_key (stmt, 1, kind, id);
  return koers_store_step_done (self, stmt, error);
}

gboolean
koers_store_stamp_change (KoersStore   *self,
                          KoersEntity   kind,
                          const char   *id,
                          const char   *op,
                          const char   *fields_json,
                          const char   *stamp,
                          char        **bases,
                          GError      **error)
{
  *bases = NULL;
  if (g_str_equal (op, "insert"))
    return TRUE;  /* its change-log row is its stamp */
  if (g_str_equal (op, "update"))
    return stamp_update (self, kind, id, fields_json, stamp, bases, error);
  return stamp_delete (self, kind, id, bases, error);
}

/* Changes as JSON Lines ------------------------------------------------------------ */

static void
append_key (GString    *line,
            const char *key)
{
  g_string_append_printf (line, ",\"%s\":", key);
}

static void
append_text (GString    *line,
             const char *key,
             const char *text)
{
  if (text == NULL)
    return;
  append_key (line, key);
  koers_json_string (line, text);
}

/* One change as a line: seq (its device_seq), stamp, worker_id, entity, entity_id,
 * client_id, op, fields, base (null members left out). fields and bases
 * are stored as JSON the store wrote. */
void
koers_store_append_change_line (GString      *out,
                                gint64        seq,
                                sqlite3_stmt *stmt)
{
  g_autofree char *stamp = koers_store_stamp_text (sqlite3_column_int64 (stmt, 1),
                                                   (const char *) sqlite3_column_text (stmt, 2));
  const char *fields = (const char *) sqlite3_column_text (stmt, 8);
  const char *bases = (const char *) sqlite3_column_text (stmt, 9);

  g_string_append_printf (out, "{\"seq\":%" G_GINT64_FORMAT, seq);
  append_text (out, "stamp", stamp);
  append_text (out, "worker_id", (const char *) sqlite3_column_text (stmt, 3));
  append_text (out, "entity", (const char *) sqlite3_column_text (stmt, 4));
  append_text (out, "entity_id", (const char *) sqlite3_column_text (stmt, 5));
  append_text (out, "client_id", (const char *) sqlite3_column_text (stmt, 6));
  append_text (out, "op", (const char *) sqlite3_column_text (stmt, 7));
  if (fields != NULL)
    {
      append_key (out, "fields");
      g_string_append (out, fields);
    }
  if (bases != NULL)
    {
      append_key (out, "base");
      g_string_append (out, bases);
    }
  g_string_append (out, "}\n");
}

GBytes *
koers_store_sync_read_changes (KoersStore  *self,
                               gint64       after_seq,
                               gsize        max_bytes,
                               gint64      *last_seq,
                               guint       *n_changes,
                               GError     **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GString) line = g_string_new (NULL);
  sqlite3_stmt *stmt;
  guint n = 0;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (last_seq != NULL, NULL);

  *last_seq = after_seq;
  stmt = koers_store_prepare (self,
    "SELECT device_seq, hlc, device_id, worker_id, entity, entity_id, client_id, op, fields, bases"
    " FROM change_log WHERE device_seq > ? ORDER BY device_seq", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_string_truncate (line, 0);
      koers_store_append_change_line (line, sqlite3_column_int64 (stmt, 0), stmt);
      if (n > 0 && out->len + line->len > max_bytes)
        break;
      g_string_append_len (out, line->str, line->len);
      *last_seq = sqlite3_column_int64 (stmt, 0);
      n++;
      if (out->len >= max_bytes)
        break;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self, error, rc, _("reading"));
      return NULL;
    }
  if (n_changes != NULL)
    *n_changes = n;
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

/* State ------------------------------------------------------------------------------- */

typedef struct
{
  gint64 epoch;
  gint64 cut_seq;
  gint64 acked_seq;
} SyncState;

static gboolean
read_state (KoersStore  *self,
            SyncState   *state,
            GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT epoch, cut_seq, acked_seq FROM sync_state WHERE id = 1", error);
  gboolean found;

  /* the row is made by the migration and never deleted */
  if (stmt == NULL || !first_row (self, stmt, &found, error))
    return FALSE;
  g_return_val_if_fail (found, FALSE);
  state->epoch = sqlite3_column_int64 (stmt, 0);
  state->cut_seq = sqlite3_column_int64 (stmt, 1);
  state->acked_seq = sqlite3_column_int64 (stmt, 2);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
write_state (KoersStore       *self,
             const SyncState  *state,
             GError          **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "UPDATE sync_state SET epoch = ?, cut_seq = ?, acked_seq = ? WHERE id = 1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, state->epoch);
  sqlite3_bind_int64 (stmt, 2, state->cut_seq);
  sqlite3_bind_int64 (stmt, 3, state->acked_seq);
  return koers_store_step_done (self, stmt, error);
}

/* The device_seq of this device's latest change (0: none yet). */
static gint64
max_seq (KoersStore  *self,
         GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT coalesce (max (device_seq), 0) FROM change_log WHERE device_seq IS NOT NULL", error);
  gboolean found;
  gint64 seq;

  if (stmt == NULL || !first_row (self, stmt, &found, error))
    return -1;
  seq = found ? sqlite3_column_int64 (stmt, 0) : 0;
  sqlite3_reset (stmt);
  return seq;
}

gint64
koers_store_sync_get_epoch (KoersStore *self)
{
  SyncState state = { 0 };

  g_return_val_if_fail (KOERS_IS_STORE (self), 0);
  return read_state (self, &state, NULL) ? state.epoch : 0;
}

/* The hash of the last batch of the chain: the latest sealed in this
 * vault, of any epoch (a new epoch links to the old one's last batch). */
static gboolean
last_hash (KoersStore  *self,
           GBytes     **hash,
           GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT hash FROM sync_batch ORDER BY epoch DESC, last_seq DESC LIMIT 1", error);

  *hash = NULL;
  return stmt != NULL && read_first (self, stmt, NULL, hash, error);
}

gboolean
koers_store_sync_next_cut (KoersStore  *self,
                           gint64      *epoch,
                           gint64      *first_seq,
                           GBytes     **prev_hash,
                           GError     **error)
{
  SyncState state;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);

  if (!read_state (self, &state, error) || !last_hash (self, prev_hash, error))
    return FALSE;
  *epoch = state.epoch;
  *first_seq = state.cut_seq + 1;
  return TRUE;
}

/* Batches --------------------------------------------------------------------------------- */

static gboolean
insert_batch (KoersStore  *self,
              gint64       epoch,
              gint64       first_seq,
              gint64       last_seq,
              GBytes      *sealed,
              GBytes      *hash,
              GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "INSERT INTO sync_batch (device_id, epoch, first_seq, last_seq, sealed, hash, state, sealed_ms)"
    " VALUES (?, ?, ?, ?, ?, ?, 'sealed', ?)", error);
  gsize size, hash_size;
  gconstpointer data = g_bytes_get_data (sealed, &size);
  gconstpointer hash_data = g_bytes_get_data (hash, &hash_size);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, self->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, epoch);
  sqlite3_bind_int64 (stmt, 3, first_seq);
  sqlite3_bind_int64 (stmt, 4, last_seq);
  /* A zero-length blob, not NULL: NULL is an acknowledged batch. */
  sqlite3_bind_blob64 (stmt, 5, data ? data : "", size, SQLITE_STATIC);
  sqlite3_bind_blob64 (stmt, 6, hash_data ? hash_data : "", hash_size, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 7, koers_store_now_ms (self));
  return koers_store_step_done (self, stmt, error);
}

static gboolean
store_batch (KoersStore  *self,
             gint64       epoch,
             gint64       first_seq,
             gint64       last_seq,
             GBytes      *sealed,
             GBytes      *hash,
             GError     **error)
{
  SyncState state;
  gint64 newest;

  if (!read_state (self, &state, error) || (newest = max_seq (self, error)) < 0)
    return FALSE;
  if (epoch != state.epoch)
    return INVALID (error, _("This batch was made for another sync epoch. Make it again."));
  if (first_seq != state.cut_seq + 1 || last_seq < first_seq || last_seq > newest)
    return INVALID (error, _("This batch does not continue where the last one ended. "
                             "Make it again."));
  state.cut_seq = last_seq;
  return insert_batch (self, epoch, first_seq, last_seq, sealed, hash, error) &&
         write_state (self, &state, error);
}

gboolean
koers_store_sync_store_batch (KoersStore  *self,
                              gint64       epoch,
                              gint64       first_seq,
                              gint64       last_seq,
                              GBytes      *sealed,
                              GBytes      *hash,
                              GError     **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (sealed != NULL && hash != NULL, FALSE);

  if (!koers_store_write_begin (self, error))
    return FALSE;
  return koers_store_write_end (self, store_batch (self, epoch, first_seq, last_seq, sealed, hash,
                                                   error), error);
}

void
koers_outbox_batch_free (KoersOutboxBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->device_id);
  g_clear_pointer (&batch->sealed, g_bytes_unref);
  g_clear_pointer (&batch->hash, g_bytes_unref);
  g_free (batch->reason);
  g_free (batch);
}

static KoersBatchState
state_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (batch_states); i++)
    if (g_strcmp0 (name, batch_states[i]) == 0)
      return i;
  return KOERS_BATCH_QUARANTINED;
}

static KoersOutboxBatch *
read_batch (sqlite3_stmt *stmt)
{
  KoersOutboxBatch *b = g_new0 (KoersOutboxBatch, 1);

  b->device_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  b->epoch = sqlite3_column_int64 (stmt, 1);
  b->first_seq = sqlite3_column_int64 (stmt, 2);
  b->last_seq = sqlite3_column_int64 (stmt, 3);
  b->sealed = column_bytes (stmt, 4);
  b->hash = column_bytes (stmt, 5);
  b->state = state_from_name ((const char *) sqlite3_column_text (stmt, 6));
  b->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
  b->sealed_ms = sqlite3_column_int64 (stmt, 8);
  b->uploaded_ms = sqlite3_column_int64 (stmt, 9);
  b->acked_ms = sqlite3_column_int64 (stmt, 10);
  return b;
}

GPtrArray *
koers_store_sync_list_batches (KoersStore       *self,
                               KoersBatchState   state,
                               GError          **error)
{
  g_autoptr (GPtrArray) batches = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_outbox_batch_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (state < G_N_ELEMENTS (batch_states), NULL);

  stmt = koers_store_prepare (self,
    "SELECT device_id, epoch, first_seq, last_seq, sealed, hash, state, reason, sealed_ms,"
    " uploaded_ms, acked_ms FROM sync_batch WHERE state = ? ORDER BY epoch, first_seq", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, batch_states[state], -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (batches, read_batch (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self, error, rc, _("reading"));
      return NULL;
    }
  return g_steal_pointer (&batches);
}

/* Moves the batch (@epoch, @first_seq) from one of @from (one or two
 * state names, NULL-ended) to @to; an upload is timed. */
static gboolean
move_batch (KoersStore         *self,
            gint64              epoch,
            gint64              first_seq,
            const char *const  *from,
            KoersBatchState     to,
            const char         *reason,
            GError            **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!koers_store_write_begin (self, error))
    return FALSE;
  stmt = koers_store_prepare (self,
    "UPDATE sync_batch SET state = ?3, reason = coalesce (?4, reason),"
    " uploaded_ms = CASE WHEN ?3 = 'uploaded' THEN ?5 ELSE uploaded_ms END"
    " WHERE epoch = ?1 AND first_seq = ?2 AND state IN (?6, ?7)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, epoch);
      sqlite3_bind_int64 (stmt, 2, first_seq);
      sqlite3_bind_text (stmt, 3, batch_states[to], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, reason, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, koers_store_now_ms (self));
      sqlite3_bind_text (stmt, 6, from[0], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, from[1] ? from[1] : from[0], -1, SQLITE_STATIC);
      ok = koers_store_step_done (self, stmt, error);
    }
  if (ok && sqlite3_changes (self->db) == 0)
    ok = INVALID (error, _("There is no such batch waiting in the outbox."));
  return koers_store_write_end (self, ok, error);
}

gboolean
koers_store_sync_mark_uploaded (KoersStore  *self,
                                gint64       epoch,
                                gint64       first_seq,
                                GError     **error)
{
  static const char *const from[] = { "sealed", NULL };

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  return move_batch (self, epoch, first_seq, from, KOERS_BATCH_UPLOADED, NULL, error);
}

gboolean
koers_store_sync_quarantine (KoersStore  *self,
                             gint64       epoch,
                             gint64       first_seq,
                             const char  *reason,
                             GError     **error)
{
  static const char *const from[] = { "sealed", "uploaded", NULL };

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);
  return move_batch (self, epoch, first_seq, from, KOERS_BATCH_QUARANTINED, reason, error);
}

/* Acknowledgements ------------------------------------------------------------------------- */

/* The batch of @epoch ending at @seq: its hash and state, if this vault
 * ever sealed it. */
static gboolean
find_batch_end (KoersStore  *self,
                gint64       epoch,
                gint64       seq,
                GBytes     **hash,
                GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT hash FROM sync_batch WHERE epoch = ? AND last_seq = ?", error);

  *hash = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, epoch);
  sqlite3_bind_int64 (stmt, 2, seq);
  return read_first (self, stmt, NULL, hash, error);
}

static gboolean
acknowledge_up_to (KoersStore  *self,
                   gint64       epoch,
                   gint64       seq,
                   guint       *n_acknowledged,
                   GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "UPDATE sync_batch SET state = 'acknowledged', sealed = NULL, acked_ms = ?3"
    " WHERE epoch = ?1 AND last_seq <= ?2 AND state != 'acknowledged'", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, epoch);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_int64 (stmt, 3, koers_store_now_ms (self));
  if (!koers_store_step_done (self, stmt, error))
    return FALSE;
  *n_acknowledged = sqlite3_changes (self->db);
  return TRUE;
}

static gboolean
apply_ack (KoersStore  *self,
           gint64       epoch,
           gint64       seq,
           GBytes      *hash,
           guint       *n_acknowledged,
           GError     **error)
{
  g_autoptr (GBytes) ours = NULL;
  SyncState state;

  if (!read_state (self, &state, error))
    return FALSE;
  if (epoch < state.epoch)
    return TRUE;  /* the timeline before a restore: nothing of it is waiting */
  if (epoch == state.epoch && !find_batch_end (self, epoch, seq, &ours, error))
    return FALSE;
  if (ours == NULL)
    return INVALID (error, _("The office acknowledged changes this laptop never sent."));
  if (!g_bytes_equal (ours, hash))
    return INVALID (error, _("The office acknowledged a batch that differs from the one this "
                             "laptop sent."));
  if (!acknowledge_up_to (self, epoch, seq, n_acknowledged, error))
    return FALSE;
  if (seq <= state.acked_seq)
    return TRUE;
  state.acked_seq = seq;
  return write_state (self, &state, error);
}

/* What the engine learned about a batch of this device (an ack, or what
 * the drop holds), applied in one transaction; @result is 0 on failure. */
typedef gboolean (*LearnFunc) (KoersStore *self, gint64 epoch, gint64 seq, GBytes *hash,
                               guint *result, GError **error);

static gboolean
learn (KoersStore  *self,
       LearnFunc    func,
       gint64       epoch,
       gint64       seq,
       GBytes      *hash,
       guint       *result,
       GError     **error)
{
  guint n = 0;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (hash != NULL, FALSE);

  if (!koers_store_write_begin (self, error))
    return FALSE;
  ok = koers_store_write_end (self, func (self, epoch, seq, hash, &n, error), error);
  if (result != NULL)
    *result = ok ? n : 0;
  return ok;
}

gboolean
koers_store_sync_apply_ack (KoersStore  *self,
                            gint64       epoch,
                            gint64       seq,
                            GBytes      *hash,
                            guint       *n_acknowledged,
                            GError     **error)
{
  return learn (self, apply_ack, epoch, seq, hash, n_acknowledged, error);
}

/* Restore and epochs ---------------------------------------------------------------------- */

/* Whether what the drop or the ack knows (@epoch, @seq, @hash) is more than
 * this vault sealed: then it was restored from an older backup. */
static gboolean
knows_more (KoersStore       *self,
            const SyncState  *state,
            gint64            epoch,
            gint64            seq,
            GBytes           *hash,
            gboolean         *more,
            GError          **error)
{
  g_autoptr (GBytes) ours = NULL;

  *more = FALSE;
  if (epoch < state->epoch)
    return TRUE;
  if (epoch > state->epoch || seq > state->cut_seq)
    {
      *more = TRUE;
      return TRUE;
    }
  if (!find_batch_end (self, epoch, seq, &ours, error))
    return FALSE;
  *more = ours == NULL || !g_bytes_equal (ours, hash);
  return TRUE;
}

/* Drops every batch not acknowledged (their changes are cut again in the
 * new epoch: the office takes a change twice without harm, by its stamp)
 * and starts @epoch after the last acknowledged change. */
static gboolean
start_epoch (KoersStore  *self,
             SyncState   *state,
             gint64       epoch,
             GError     **error)
{
  sqlite3_stmt *stmt;

  if (!koers_store_exec (self, "DELETE FROM sync_batch WHERE state != 'acknowledged'", error))
    return FALSE;
  state->epoch = epoch;
  state->cut_seq = state->acked_seq;
  stmt = koers_store_prepare (self,
    "INSERT INTO sync_epoch (epoch, first_seq, started_ms, reason) VALUES (?, ?, ?, 'restored')",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, epoch);
  sqlite3_bind_int64 (stmt, 2, state->cut_seq + 1);
  sqlite3_bind_int64 (stmt, 3, koers_store_now_ms (self));
  return koers_store_step_done (self, stmt, error) && write_state (self, state, error);
}

static gboolean
check_restore (KoersStore  *self,
               gint64       epoch,
               gint64       seq,
               GBytes      *hash,
               guint       *started,
               GError     **error)
{
  SyncState state;
  gboolean more;

  if (!read_state (self, &state, error) ||
      !knows_more (self, &state, epoch, seq, hash, &more, error))
    return FALSE;
  if (!more)
    return TRUE;
  g_message ("The outbox was restored from an older copy: sync goes on in epoch %"
             G_GINT64_FORMAT, MAX (epoch, state.epoch) + 1);
  *started = TRUE;
  return start_epoch (self, &state, MAX (epoch, state.epoch) + 1, error);
}

gboolean
koers_store_sync_check_restore (KoersStore  *self,
                                gint64       epoch,
                                gint64       seq,
                                GBytes      *hash,
                                gboolean    *new_epoch,
                                GError     **error)
{
  guint started = 0;
  gboolean ok = learn (self, check_restore, epoch, seq, hash, &started, error);

  if (new_epoch != NULL)
    *new_epoch = started != 0;
  return ok;
}

/* Counts ------------------------------------------------------------------------------------- */

void
koers_sync_counts_clear (KoersSyncCounts *counts)
{
  g_clear_pointer (&counts->last_error, g_free);
  memset (counts, 0, sizeof *counts);
}

static gboolean
count_batches (KoersStore       *self,
               KoersSyncCounts  *counts,
               GError          **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT state, count(*) FROM sync_batch WHERE state != 'acknowledged' GROUP BY state", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint n = sqlite3_column_int (stmt, 1);

      switch (state_from_name ((const char *) sqlite3_column_text (stmt, 0)))
        {
        case KOERS_BATCH_SEALED: counts->sealed_batches = n; break;
        case KOERS_BATCH_UPLOADED: counts->uploaded_batches = n; break;
        case KOERS_BATCH_QUARANTINED: counts->quarantined_batches = n; break;
        case KOERS_BATCH_ACKNOWLEDGED: default: break;
        }
    }
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  koers_store_set_sqlite_error (self, error, rc, _("reading"));
  return FALSE;
}

static gboolean
read_round (KoersStore       *self,
            KoersSyncCounts  *counts,
            GError          **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT last_success_ms, last_error_ms, last_error FROM sync_state WHERE id = 1", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      counts->last_success_ms = sqlite3_column_int64 (stmt, 0);
      counts->last_error_ms = sqlite3_column_int64 (stmt, 1);
      counts->last_error = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* device_seq has no gaps (each is the last + 1 in the change's own
 * transaction, and no row is ever deleted), so counts are differences of
 * seqs: one seek, where counting rows reads the whole log (0.4 s at 10k
 * clients). Merged changes have no device_seq and are not counted: they
 * are not this device's to send. */
gboolean
koers_store_sync_get_counts (KoersStore       *self,
                             KoersSyncCounts  *counts,
                             GError          **error)
{
  SyncState state;
  gint64 newest;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  memset (counts, 0, sizeof *counts);
  if (!read_state (self, &state, error) || (newest = max_seq (self, error)) < 0)
    return FALSE;
  counts->unsealed_changes = MAX (newest - state.cut_seq, 0);
  counts->unacknowledged_changes = MAX (newest - state.acked_seq, 0);
  return count_batches (self, counts, error) && read_round (self, counts, error);
}

gboolean
koers_store_sync_record_round (KoersStore  *self,
                               const char  *error_text,
                               GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);

  if (!koers_store_write_begin (self, error))
    return FALSE;
  stmt = koers_store_prepare (self,
    "UPDATE sync_state SET"
    " last_success_ms = CASE WHEN ?1 IS NULL THEN ?2 ELSE last_success_ms END,"
    " last_error = ?1, last_error_ms = CASE WHEN ?1 IS NULL THEN NULL ELSE ?2 END WHERE id = 1",
    error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, error_text, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, koers_store_now_ms (self));
      ok = koers_store_step_done (self, stmt, error);
    }
  return koers_store_write_end (self, ok, error);
}

/* Settings and secrets --------------------------------------------------------------------- */

static void
wipe_and_free (gpointer data)
{
  gsize *block = (gsize *) data - 1;

  explicit_bzero (data, *block);
  g_free (block);
}

/* Bytes that are wiped when the last reference goes: a setting may be the
 * device's secret key. */
static GBytes *
secret_bytes (gconstpointer data,
              gsize         size)
{
  gsize *block = g_malloc (sizeof (gsize) + MAX (size, 1));

  block[0] = size;
  if (size > 0)
    memcpy (block + 1, data, size);
  return g_bytes_new_with_free_func (block + 1, size, wipe_and_free, block + 1);
}

GBytes *
koers_store_sync_get_setting (KoersStore  *self,
                              const char  *key,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  GBytes *value = NULL;
  gboolean found;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = koers_store_prepare (self, "SELECT value FROM sync_setting WHERE key = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (!first_row (self, stmt, &found, error) || !found)
    return NULL;
  /* not column_bytes(): a secret must not linger in an ordinary block */
  value = secret_bytes (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
koers_store_sync_set_setting (KoersStore  *self,
                              const char  *key,
                              GBytes      *value,
                              GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;
  gsize size = 0;
  gconstpointer data = value ? g_bytes_get_data (value, &size) : NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!koers_store_write_begin (self, error))
    return FALSE;
  stmt = koers_store_prepare (self, value != NULL
    ? "INSERT OR REPLACE INTO sync_setting (key, value) VALUES (?, ?)"
    : "DELETE FROM sync_setting WHERE key = ?", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (value != NULL)
        sqlite3_bind_blob64 (stmt, 2, data ? data : "", size, SQLITE_STATIC);
      ok = koers_store_step_done (self, stmt, error);
    }
  return koers_store_write_end (self, ok, error);
}

/* Delivery per client -------------------------------------------------------------------- */

/* Per id of the JSON array ?1: 0 acknowledged (no change of this device
 * after the acknowledged device_seq ?2), 2 not sent (such a change in no
 * uploaded batch of the epoch ?3), else 1 uploaded. Changes merged from
 * other devices are not this device's to deliver. change_log_client_own
 * is (client_id, device_seq): each client is a seek, and only its
 * unacknowledged changes are looked at. */
#define DELIVERY_SQL \
  "SELECT CASE" \
  " WHEN NOT EXISTS (SELECT 1 FROM change_log c WHERE c.client_id = ids.value" \
  "  AND c.device_seq > ?2) THEN 0" \
  " WHEN EXISTS (SELECT 1 FROM change_log c WHERE c.client_id = ids.value AND c.device_seq > ?2" \
  "  AND NOT EXISTS (SELECT 1 FROM sync_batch b WHERE b.epoch = ?3 AND b.last_seq >= c.device_seq" \
  "   AND b.first_seq <= c.device_seq AND b.state IN ('uploaded', 'acknowledged')))" \
  "  THEN 2" \
  " ELSE 1 END FROM json_each (?1) ids ORDER BY ids.key"

gboolean
koers_store_sync_client_states (KoersStore         *self,
                                const char *const  *client_ids,
                                KoersDelivery      *states,
                                GError            **error)
{
  g_autoptr (GString) ids = g_string_new ("[");
  sqlite3_stmt *stmt;
  SyncState state;
  guint n = 0;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (client_ids != NULL && states != NULL, FALSE);

  for (guint i = 0; client_ids[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (ids, ',');
      koers_json_string (ids, client_ids[i]);
    }
  g_string_append_c (ids, ']');
  if (!read_state (self, &state, error) ||
      (stmt = koers_store_prepare (self, DELIVERY_SQL, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ids->str, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, state.acked_seq);
  sqlite3_bind_int64 (stmt, 3, state.epoch);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    states[n++] = (KoersDelivery) sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  koers_store_set_sqlite_error (self, error, rc, _("reading"));
  return FALSE;
}

gboolean
koers_store_sync_client_state (KoersStore     *self,
                               const char     *client_id,
                               KoersDelivery  *state,
                               GError        **error)
{
  const char *const ids[] = { client_id, NULL };

  g_return_val_if_fail (client_id != NULL, FALSE);
  return koers_store_sync_client_states (self, ids, state, error);
}
