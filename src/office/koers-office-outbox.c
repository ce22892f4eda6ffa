/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-outbox.c: from the office to the laptops, and what the
 * laptops have read (koers-office.h; docs/sync-format.md "Office batch",
 * "Read note"; docs/office.md "The drop").
 *
 * Per steunpunt the office keeps one chain of batches in
 * <steunpunt>/office/, signed with its key and sealed to the team key:
 * reference data from elsewhere, its resolutions of that steunpunt's
 * conflicts, and every erasure. A batch is sealed and recorded, with the
 * folder's new sequence and marks, in one transaction before it leaves;
 * the upload is write-once. A kill before the commit cuts the same
 * changes again next time; after it, the stored bytes go up again (the
 * same name and bytes: harmless). Nothing is lost or sent twice.
 *
 * Tables (made by koers_office_new()):
 *   office_out       (steunpunt_id PK, epoch, last_seq, last_hash, change_mark
 *                     (change_log.seq relayed up to), erasure_mark
 *                     (sync_erased.id sent up to))
 *   office_out_batch (steunpunt_id, name, first_seq, last_seq, hash, file
 *                     (NULL once uploaded), made_ms, uploaded_ms,
 *                     deleted_ms; PK (steunpunt_id, name))
 *   office_read      (reader_id, device_id, epoch, last_seq, hash, made_ms;
 *                     PK (reader_id, device_id)): the latest read note of
 *                     each laptop; device_id KOERS_SYNC_OFFICE_UUID is the
 *                     office folder. */
#include "config.h"

#define G_LOG_DOMAIN "koers-office"

#include <glib/gi18n.h>
#include <string.h>

#include "koers-envelope.h"
#include "koers-office-private.h"
#include "koers-read-note.h"
#include "koers-store-private.h"
#include "koers-sync-batch-files.h"

/* Where a batch's header has its epoch and last sequence, and its fixed
 * part's length (docs/sync-format.md, "Batch"). */
#define BATCH_EPOCH_OFFSET 44
#define BATCH_LAST_OFFSET 56
#define BATCH_FIXED_HEADER 152

/* The lines of one office batch (a batch's plain cap is 64 MiB). */
#define OUT_MAX_BYTES (4 * 1024 * 1024)

static const char outbox_schema[] =
  "CREATE TABLE IF NOT EXISTS office_out ("
  " steunpunt_id TEXT PRIMARY KEY, epoch INTEGER NOT NULL DEFAULT 1,"
  " last_seq INTEGER NOT NULL DEFAULT 0, last_hash BLOB,"
  " change_mark INTEGER NOT NULL DEFAULT 0, erasure_mark INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS office_out_batch ("
  " steunpunt_id TEXT NOT NULL, name TEXT NOT NULL, first_seq INTEGER NOT NULL,"
  " last_seq INTEGER NOT NULL, hash BLOB NOT NULL, file BLOB, made_ms INTEGER NOT NULL,"
  " uploaded_ms INTEGER NOT NULL DEFAULT 0, deleted_ms INTEGER NOT NULL DEFAULT 0,"
  " PRIMARY KEY (steunpunt_id, name));"
  "CREATE TABLE IF NOT EXISTS office_read ("
  " reader_id TEXT NOT NULL, device_id TEXT NOT NULL, epoch INTEGER NOT NULL,"
  " last_seq INTEGER NOT NULL, hash BLOB NOT NULL, made_ms INTEGER NOT NULL,"
  " PRIMARY KEY (reader_id, device_id));";

gboolean
koers_office_outbox_init (KoersOffice  *self,
                          GError      **error)
{
  return koers_store_exec (self->store, outbox_schema, error);
}

/* The office folder's chain and marks ---------------------------------------------- */

typedef struct
{
  gint64 epoch;
  gint64 last_seq;
  guint8 hash[KOERS_SYNC_HASH_BYTES];
  gint64 change_mark;
  gint64 erasure_mark;
} OutState;

static gboolean
load_out_state (KoersOffice *self,
                const char  *steunpunt,
                OutState    *state,
                GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT last_seq, last_hash, change_mark, erasure_mark, epoch FROM office_out"
    " WHERE steunpunt_id = ?", error);

  memset (state, 0, sizeof *state);
  state->epoch = 1;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, steunpunt, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      state->last_seq = sqlite3_column_int64 (stmt, 0);
      if (sqlite3_column_bytes (stmt, 1) == KOERS_SYNC_HASH_BYTES)
        memcpy (state->hash, sqlite3_column_blob (stmt, 1), KOERS_SYNC_HASH_BYTES);
      state->change_mark = sqlite3_column_int64 (stmt, 2);
      state->erasure_mark = sqlite3_column_int64 (stmt, 3);
      state->epoch = sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* One text of the one-row query @sql bound to @arg. */
static char *
query_text (KoersOffice *self,
            const char  *sql,
            const char  *arg)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store, sql, NULL);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}

/* The next lines for @steunpunt's laptops after @state: the relayed
 * changes, then the erasures; the marks they move to. */
static GBytes *
next_lines (KoersOffice    *self,
            const char     *steunpunt,
            const OutState *state,
            OutState       *next,
            guint          *n_lines,
            GError        **error)
{
  g_autofree char *devices = query_text (self,
    "SELECT json_group_array (id) FROM office_device WHERE steunpunt_id = ?", steunpunt);
  g_autoptr(GBytes) changes = NULL;
  g_autoptr(GPtrArray) erasures = NULL;
  GString *out;
  guint n = 0;

  *next = *state;
  changes = koers_store_relay_changes (self->store, state->change_mark, state->last_seq + 1,
                                       devices ? devices : "[]", OUT_MAX_BYTES, &next->change_mark,
                                       &n, error);
  if (changes == NULL)
    return NULL;
  erasures = koers_store_list_erasures (self->store, state->erasure_mark, error);
  if (erasures == NULL)
    return NULL;
  out = g_string_new_len (g_bytes_get_data (changes, NULL), g_bytes_get_size (changes));
  for (guint i = 0; i < erasures->len; i++)
    {
      KoersErasure *e = erasures->pdata[i];

      /* ids and the two reasons are plain ASCII: no escaping needed */
      g_string_append_printf (out, "{\"seq\":%" G_GINT64_FORMAT ",\"erase\":\"%s\",\"why\":\"%s\"}\n",
                              state->last_seq + 1 + n, e->client_id, e->why);
      next->erasure_mark = e->id;
      n++;
    }
  next->last_seq = state->last_seq + n;
  *n_lines = n;
  return g_string_free_to_bytes (out);
}

static gboolean
save_out_state (KoersOffice    *self,
                const char     *steunpunt,
                const OutState *state,
                GError        **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "INSERT OR REPLACE INTO office_out (steunpunt_id, epoch, last_seq, last_hash, change_mark,"
    " erasure_mark) VALUES (?, ?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, steunpunt, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, state->epoch);
  sqlite3_bind_int64 (stmt, 3, state->last_seq);
  sqlite3_bind_blob (stmt, 4, state->hash, KOERS_SYNC_HASH_BYTES, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, state->change_mark);
  sqlite3_bind_int64 (stmt, 6, state->erasure_mark);
  return koers_store_step_done (self->store, stmt, error);
}

static gboolean
record_batch (KoersOffice          *self,
              const char           *steunpunt,
              const KoersBatchInfo *info,
              GBytes               *file,
              const OutState       *next,
              GError              **error)
{
  g_autofree char *name = koers_envelope_file_name (info);
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!koers_store_write_begin (self->store, error))
    return FALSE;
  stmt = koers_store_prepare (self->store,
    "INSERT INTO office_out_batch (steunpunt_id, name, first_seq, last_seq, hash, file, made_ms)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, steunpunt, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, (gint64) info->first_seq);
      sqlite3_bind_int64 (stmt, 4, (gint64) info->last_seq);
      sqlite3_bind_blob (stmt, 5, next->hash, KOERS_SYNC_HASH_BYTES, SQLITE_STATIC);
      sqlite3_bind_blob64 (stmt, 6, g_bytes_get_data (file, NULL), g_bytes_get_size (file),
                           SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 7, koers_store_now_ms (self->store));
      ok = koers_store_step_done (self->store, stmt, error);
    }
  ok = ok && save_out_state (self, steunpunt, next, error);
  return koers_store_write_end (self->store, ok, error);
}

/* Seals the next batch for @steunpunt and records it; *cut FALSE when
 * there was nothing to send. */
static gboolean
cut_batch (KoersOffice        *self,
           const char         *steunpunt,
           const KoersSyncKey *team,
           const KoersSyncKey *sign,
           gboolean           *cut,
           GError            **error)
{
  const KoersSyncKey *recipients[] = { team };
  g_autoptr(GBytes) lines = NULL;
  g_autoptr(GBytes) file = NULL;
  KoersBatchInfo info = { 0 };
  OutState state, next;
  guint n = 0;

  *cut = FALSE;
  if (!load_out_state (self, steunpunt, &state, error))
    return FALSE;
  lines = next_lines (self, steunpunt, &state, &next, &n, error);
  if (lines == NULL)
    return FALSE;
  if (n == 0)
    return TRUE;
  koers_sync_id_from_uuid (steunpunt, info.steunpunt_id);
  koers_sync_id_from_uuid (KOERS_SYNC_OFFICE_UUID, info.device_id);
  info.epoch = (guint32) state.epoch;
  info.first_seq = (guint64) state.last_seq + 1;
  info.last_seq = (guint64) next.last_seq;
  memcpy (info.prev_hash, state.hash, KOERS_SYNC_HASH_BYTES);
  file = koers_envelope_seal (&info, lines, sign, recipients, 1, error);
  if (file == NULL)
    return FALSE;
  koers_sync_hash (g_bytes_get_data (file, NULL), g_bytes_get_size (file), next.hash);
  *cut = TRUE;
  return record_batch (self, steunpunt, &info, file, &next, error);
}

/* Uploads @steunpunt's sealed batches not yet on the drop, in order;
 * stops with *taken TRUE when another file holds one's name. */
static gboolean
upload_pending (KoersOffice    *self,
                KoersDavClient *drop,
                const char     *steunpunt,
                guint          *sent,
                gboolean       *taken,
                GCancellable   *cancellable,
                GError        **error)
{
  g_autofree char *folder = g_strdup_printf ("%s/" KOERS_SYNC_OFFICE_FOLDER, steunpunt);

  for (;;)
    {
      sqlite3_stmt *stmt = koers_store_prepare (self->store,
        "SELECT name, file FROM office_out_batch WHERE steunpunt_id = ? AND uploaded_ms = 0"
        " ORDER BY last_seq LIMIT 1", error);
      g_autofree char *name = NULL;
      g_autoptr(GBytes) file = NULL;
      g_autoptr(GError) local = NULL;
      gboolean already = FALSE;

      *taken = FALSE;
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, steunpunt, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          name = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          file = g_bytes_new (sqlite3_column_blob (stmt, 1), (gsize) sqlite3_column_bytes (stmt, 1));
        }
      sqlite3_reset (stmt);
      if (name == NULL)
        return TRUE;
      if (!koers_dav_put_once (drop, folder, name, file, &already, cancellable, &local))
        {
          *taken = g_error_matches (local, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NAME_TAKEN);
          if (!*taken)
            g_propagate_error (error, g_steal_pointer (&local));
          return *taken;
        }
      if (!koers_office_write_row (self, error,
                                      "UPDATE office_out_batch SET uploaded_ms = ?, file = NULL"
                                      " WHERE steunpunt_id = ? AND name = ?",
                                      "itt", koers_store_now_ms (self->store), steunpunt, name))
        return FALSE;
      (*sent)++;
    }
}

/* The last batch in @folder after @state (by its name: epoch, last
 * sequence) that this office signed, highest first: its epoch, last
 * sequence and hash into @found; *ahead FALSE when there is none (files
 * under later names that this office did not sign do not count). */
static gboolean
signed_batch_after (KoersDavClient     *drop,
                    const char         *folder,
                    const KoersSyncKey *sign,
                    const OutState     *state,
                    OutState           *found,
                    gboolean           *ahead,
                    GCancellable       *cancellable,
                    GError            **error)
{
  g_autofree char *path = g_strconcat (folder, "/", NULL);
  g_autoptr(GPtrArray) batches = koers_sync_list_batch_files (drop, path, TRUE, cancellable, error);

  *ahead = FALSE;
  if (batches == NULL)
    return FALSE;
  for (guint i = batches->len; i-- > 0;)
    {
      KoersDavEntry *entry = batches->pdata[i];
      g_autofree char *file_path = g_strconcat (path, entry->name, NULL);
      g_autoptr(GBytes) file = NULL;
      guint32 epoch;
      guint64 first, last;
      gsize len;
      const guint8 *data;

      koers_envelope_parse_file_name (entry->name, &epoch, &first, &last);
      if (epoch < state->epoch || (epoch == state->epoch && (gint64) last <= state->last_seq))
        return TRUE;   /* names sort in chain order: nothing later */
      file = koers_dav_client_get (drop, file_path, KOERS_ENVELOPE_MAX_FILE, cancellable, error);
      if (file == NULL)
        return FALSE;
      data = g_bytes_get_data (file, &len);
      if (len < BATCH_FIXED_HEADER + KOERS_SYNC_SIGNATURE_BYTES
          || !koers_sync_verify (koers_sync_key_get_public (sign), data, len - KOERS_SYNC_SIGNATURE_BYTES,
                                 data + len - KOERS_SYNC_SIGNATURE_BYTES))
        continue;
      found->epoch = (gint64) koers_sync_get_be (data + BATCH_EPOCH_OFFSET, 4);
      found->last_seq = (gint64) koers_sync_get_be (data + BATCH_LAST_OFFSET, 8);
      koers_sync_hash (data, len, found->hash);
      *ahead = found->epoch > state->epoch
               || (found->epoch == state->epoch && found->last_seq > state->last_seq);
      return TRUE;
    }
  return TRUE;
}

/* When the office folder on the drop is ahead of this vault (restored
 * from a backup, or a copy of it pulled too), the folder goes on in a new
 * epoch after the last batch there that this office signed, with
 * everything sent again from the start (a laptop merges no change twice,
 * and an erased file stays erased). The batches sealed for the old chain
 * and not uploaded are dropped. */
static gboolean
catch_up_with_drop (KoersOffice        *self,
                    KoersDavClient     *drop,
                    const char         *steunpunt,
                    const KoersSyncKey *sign,
                    gboolean           *restarted,
                    GCancellable       *cancellable,
                    GError            **error)
{
  g_autofree char *folder = g_strdup_printf ("%s/" KOERS_SYNC_OFFICE_FOLDER, steunpunt);
  OutState state, last = { 0 };
  gboolean ok;

  *restarted = FALSE;
  if (!load_out_state (self, steunpunt, &state, error)
      || !signed_batch_after (drop, folder, sign, &state, &last, restarted, cancellable, error))
    return FALSE;
  if (!*restarted)
    return TRUE;
  g_message ("The office folder of %s is ahead of this vault: it goes on in a new epoch", steunpunt);
  last.epoch++;
  last.last_seq = 0;
  if (!koers_store_write_begin (self->store, error))
    return FALSE;
  ok = koers_office_write_row (self, error,
                               "DELETE FROM office_out_batch WHERE steunpunt_id = ? AND uploaded_ms = 0",
                               "t", steunpunt)
       && save_out_state (self, steunpunt, &last, error);
  return koers_store_write_end (self->store, ok, error);
}

static gboolean
publish_one (KoersOffice        *self,
             KoersDavClient     *drop,
             const char         *steunpunt,
             const KoersSyncKey *sign,
             guint              *sent,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autoptr(KoersSyncKey) team = koers_office_team_key (self, steunpunt, error);
  gboolean cut = TRUE, taken = FALSE, restarted = FALSE;
  guint restarts = 0;

  if (team == NULL || !catch_up_with_drop (self, drop, steunpunt, sign, &restarted, cancellable, error))
    return FALSE;
  /* what a kill left sealed but not uploaded goes first, in its order */
  if (!upload_pending (self, drop, steunpunt, sent, &taken, cancellable, error))
    return FALSE;
  while (cut || taken)
    {
      /* a name taken by a batch this office signed: the drop got ahead
       * meanwhile; by anything else: a person must look */
      if (taken && (++restarts > 2
                    || !catch_up_with_drop (self, drop, steunpunt, sign, &restarted, cancellable, error)
                    || !restarted))
        {
          if ((restarts > 2 || !restarted) && error != NULL && *error == NULL)
            g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_INVALID,
                         _("The office's folder of steunpunt %s on the drop holds a file this office did not sign under the name of its next batch; remove it from the drop"),
                         steunpunt);
          return FALSE;
        }
      taken = FALSE;
      if (!cut_batch (self, steunpunt, team, sign, &cut, error)
          || (cut && !upload_pending (self, drop, steunpunt, sent, &taken, cancellable, error)))
        return FALSE;
    }
  return TRUE;
}

gboolean
koers_office_publish_outbox (KoersOffice    *self,
                             KoersDavClient *drop,
                             guint          *sent,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(KoersSyncKey) sign = koers_office_get_key (self, KOERS_SYNC_KEY_SIGN, error);
  sqlite3_stmt *stmt;
  g_auto(GStrv) ids = NULL;
  guint local = 0;

  g_return_val_if_fail (KOERS_IS_OFFICE (self), FALSE);
  if (sent == NULL)
    sent = &local;
  if (sign == NULL)
    return FALSE;
  stmt = koers_store_prepare (self->store, "SELECT id FROM office_steunpunt ORDER BY id", error);
  if (stmt == NULL || (ids = koers_store_collect_ids (self->store, stmt, error)) == NULL)
    return FALSE;
  for (guint i = 0; ids[i] != NULL; i++)
    if (!publish_one (self, drop, ids[i], sign, sent, cancellable, error))
      return FALSE;
  return TRUE;
}

/* Read notes --------------------------------------------------------------------- */

static gboolean
keep_note (KoersOffice   *self,
           const char    *reader,
           KoersReadNote *note,
           GError       **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!koers_store_write_begin (self->store, error))
    return FALSE;
  stmt = koers_store_prepare (self->store, "DELETE FROM office_read WHERE reader_id = ?", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, reader, -1, SQLITE_STATIC);
      ok = koers_store_step_done (self->store, stmt, error);
    }
  stmt = ok ? koers_store_prepare (self->store,
    "INSERT INTO office_read (reader_id, device_id, epoch, last_seq, hash, made_ms)"
    " VALUES (?, ?, ?, ?, ?, ?)", error) : NULL;
  ok = ok && stmt != NULL;
  for (guint i = 0; ok && i < note->entries->len; i++)
    {
      const KoersReadEntry *entry = &g_array_index (note->entries, KoersReadEntry, i);
      g_autofree char *device = koers_sync_id_to_uuid (entry->device_id);

      sqlite3_bind_text (stmt, 1, reader, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, device, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, entry->read.epoch);
      sqlite3_bind_int64 (stmt, 4, (gint64) entry->read.last_seq);
      sqlite3_bind_blob (stmt, 5, entry->read.hash, KOERS_SYNC_HASH_BYTES, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 6, note->made_ms);
      ok = koers_store_step_done (self->store, stmt, error);
    }
  return koers_store_write_end (self->store, ok, error);
}

/* The note of @reader (a device of @steunpunt with @sign_public) on the
 * drop, kept when it verifies and is not older than the one kept. A note
 * that does not verify is ignored (it counts as nothing read). */
static gboolean
read_note (KoersOffice    *self,
           KoersDavClient *drop,
           const char     *steunpunt,
           const char     *reader,
           const guint8   *sign_public,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autofree char *path = g_strdup_printf ("%s/%s/" KOERS_READ_NOTE_NAME, steunpunt, reader);
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) file = koers_dav_client_get (drop, path, KOERS_READ_NOTE_MAX_FILE, cancellable,
                                                 &local);
  g_autoptr(KoersReadNote) note = NULL;
  g_autofree char *kept = NULL;
  guint8 steunpunt_id[KOERS_SYNC_ID_BYTES], reader_id[KOERS_SYNC_ID_BYTES];

  if (file == NULL && !g_error_matches (local, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_FOUND)
      && !g_error_matches (local, KOERS_DAV_ERROR, KOERS_DAV_ERROR_RESPONSE_TOO_LARGE))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (file == NULL || !koers_sync_id_from_uuid (steunpunt, steunpunt_id)
      || !koers_sync_id_from_uuid (reader, reader_id))
    return TRUE;
  note = koers_read_note_read (file, sign_public, steunpunt_id, reader_id, &local);
  if (note == NULL)
    {
      g_message ("Ignored the read note of device %s: %s", reader, local->message);
      return TRUE;
    }
  kept = query_text (self, "SELECT max (made_ms) FROM office_read WHERE reader_id = ?", reader);
  if (kept != NULL && g_ascii_strtoll (kept, NULL, 10) > note->made_ms)
    {
      g_message ("Ignored an older read note of device %s", reader);
      return TRUE;
    }
  return keep_note (self, reader, note, error);
}

gboolean
koers_office_read_notes (KoersOffice    *self,
                         KoersDavClient *drop,
                         GCancellable   *cancellable,
                         GError        **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT id, steunpunt_id, sign_public FROM office_device WHERE revoked_ms = 0 ORDER BY id", error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  g_return_val_if_fail (KOERS_IS_OFFICE (self), FALSE);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, 3);

      if (sqlite3_column_bytes (stmt, 2) != KOERS_SYNC_PUBLIC_BYTES)
        {
          g_free (row);
          continue;
        }
      row[0] = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row[1] = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (rows, row);
      g_ptr_array_add (keys, g_bytes_new (sqlite3_column_blob (stmt, 2), KOERS_SYNC_PUBLIC_BYTES));
    }
  sqlite3_reset (stmt);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = rows->pdata[i];

      if (!read_note (self, drop, row[1], row[0], g_bytes_get_data (keys->pdata[i], NULL),
                      cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* The drop stays small ------------------------------------------------------------ */

/* Every active device of @steunpunt but @device itself has read @device's
 * batch ending at (@epoch, @last_seq). */
static gboolean
read_by_all (KoersOffice *self,
             const char  *steunpunt,
             const char  *device,
             gint64       epoch,
             gint64       last_seq)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT NOT EXISTS (SELECT 1 FROM office_device d WHERE d.steunpunt_id = ?1"
    " AND d.revoked_ms = 0 AND d.id != ?2 AND NOT EXISTS (SELECT 1 FROM office_read r"
    "  WHERE r.reader_id = d.id AND r.device_id = ?2"
    "  AND (r.epoch > ?3 OR (r.epoch = ?3 AND r.last_seq >= ?4))))", NULL);
  gboolean all;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, steunpunt, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, device, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, epoch);
  sqlite3_bind_int64 (stmt, 4, last_seq);
  all = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return all;
}

gboolean
koers_office_batch_read_by_all (KoersOffice *self,
                                const char  *steunpunt,
                                const char  *device,
                                const char  *name)
{
  guint32 epoch;
  guint64 first, last;

  return koers_envelope_parse_file_name (name, &epoch, &first, &last)
         && read_by_all (self, steunpunt, device, epoch, (gint64) last);
}

gboolean
koers_office_clean_outbox (KoersOffice    *self,
                           KoersDavClient *drop,
                           guint           grace_days,
                           guint          *n_deleted,
                           GCancellable   *cancellable,
                           GError        **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT steunpunt_id, name, last_seq FROM office_out_batch WHERE deleted_ms = 0"
    " AND uploaded_ms > 0 AND uploaded_ms <= ? ORDER BY steunpunt_id, last_seq", error);
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, koers_store_now_ms (self->store) - (gint64) grace_days * 86400000);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char **row = g_new0 (char *, 3);
      gint64 seq = sqlite3_column_int64 (stmt, 2);

      row[0] = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row[1] = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      g_ptr_array_add (rows, row);
      g_array_append_val (seqs, seq);
    }
  sqlite3_reset (stmt);
  for (guint i = 0; i < rows->len; i++)
    {
      char **row = rows->pdata[i];
      g_autofree char *path = g_strdup_printf ("%s/" KOERS_SYNC_OFFICE_FOLDER "/%s", row[0], row[1]);

      if (!read_by_all (self, row[0], KOERS_SYNC_OFFICE_UUID, 1, g_array_index (seqs, gint64, i)))
        continue;
      if (!koers_dav_client_delete (drop, path, cancellable, error)
          || !koers_office_write_row (self, error,
                                      "UPDATE office_out_batch SET deleted_ms = ?"
                                      " WHERE steunpunt_id = ? AND name = ?",
                                      "itt", koers_store_now_ms (self->store), row[0], row[1]))
        return FALSE;
      (*n_deleted)++;
    }
  return TRUE;
}

void
koers_office_drop_wait_free (KoersOfficeDropWait *wait)
{
  if (wait == NULL)
    return;
  g_free (wait->steunpunt_id);
  g_free (wait->reader_id);
  g_free (wait->reader_name);
  g_free (wait->writer_id);
  g_free (wait->writer_name);
  g_free (wait);
}

/* Batches still on the drop, the office folder's with them, against the
 * active devices that must read each. */
#define WAITING_SQL \
  "SELECT w.steunpunt_id, d.id, d.name, w.device_id, wd.name, count(*) FROM (" \
  " SELECT steunpunt_id, device_id, epoch, last_seq FROM office_batch WHERE deleted_ms = 0" \
  " UNION ALL SELECT steunpunt_id, '" KOERS_SYNC_OFFICE_UUID "', 1, last_seq FROM office_out_batch" \
  "  WHERE deleted_ms = 0 AND uploaded_ms > 0) w" \
  " JOIN office_device d ON d.steunpunt_id = w.steunpunt_id AND d.revoked_ms = 0" \
  "  AND d.id != w.device_id" \
  " LEFT JOIN office_device wd ON wd.id = w.device_id" \
  " WHERE NOT EXISTS (SELECT 1 FROM office_read r WHERE r.reader_id = d.id" \
  "  AND r.device_id = w.device_id" \
  "  AND (r.epoch > w.epoch OR (r.epoch = w.epoch AND r.last_seq >= w.last_seq)))" \
  " GROUP BY w.steunpunt_id, d.id, w.device_id ORDER BY w.steunpunt_id, d.name, w.device_id"

GPtrArray *
koers_office_drop_waiting (KoersOffice  *self,
                           GError      **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store, WAITING_SQL, error);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_office_drop_wait_free);
  int rc;

  g_return_val_if_fail (KOERS_IS_OFFICE (self), NULL);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KoersOfficeDropWait *wait = g_new0 (KoersOfficeDropWait, 1);

      wait->steunpunt_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      wait->reader_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      wait->reader_name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      wait->writer_id = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      wait->writer_name = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      wait->batches = (guint) sqlite3_column_int64 (stmt, 5);
      g_ptr_array_add (list, wait);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self->store, error, rc, "office drop");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* Retention ------------------------------------------------------------------------ */

gboolean
koers_office_purge (KoersOffice  *self,
                    guint         days,
                    guint        *n_purged,
                    GError      **error)
{
  g_auto(GStrv) ids = koers_store_list_expired (self->store, days, error);

  g_return_val_if_fail (KOERS_IS_OFFICE (self), FALSE);
  if (ids == NULL)
    return FALSE;
  if (n_purged != NULL)
    *n_purged = g_strv_length (ids);
  /* recorded as retention first: the erasure's own record keeps it */
  return ids[0] == NULL
         || (koers_store_record_erasures (self->store, (const char *const *) ids, "retention", error)
             && koers_office_erase (self, (const char *const *) ids, error));
}
