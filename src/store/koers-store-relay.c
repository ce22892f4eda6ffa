/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-relay.c: the office's decisions on their way to the
 * laptops (koers-store.h, "The office's decisions"; docs/sync-format.md
 * "Office batch"): erasures that hold against any later batch, the
 * office's changes relayed to one steunpunt's laptops, and an office
 * batch applied on a laptop. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "koers-store-private.h"
#include "koers-uuid.h"

void
koers_erasure_free (KoersErasure *erasure)
{
  if (erasure == NULL)
    return;
  g_free (erasure->client_id);
  g_free (erasure->why);
  g_free (erasure);
}

static gboolean
is_why (const char *why)
{
  return g_strcmp0 (why, "erase") == 0 || g_strcmp0 (why, "retention") == 0;
}

/* Erasures ---------------------------------------------------------------------------- */

gboolean
koers_store_record_erasures (KoersStore         *self,
                             const char *const  *client_ids,
                             const char         *why,
                             GError            **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (self) && client_ids != NULL, FALSE);
  g_return_val_if_fail (is_why (why), FALSE);
  if (!koers_store_write_begin (self, error))
    return FALSE;
  stmt = koers_store_prepare (self,
    "INSERT OR IGNORE INTO sync_erased (client_id, why, at_ms) VALUES (?, ?, ?)", error);
  ok = stmt != NULL;
  for (guint i = 0; ok && client_ids[i] != NULL; i++)
    {
      if (!koers_uuid_is_valid (client_ids[i]))
        {
          g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID,
                       _("“%s” is not a client's id."), client_ids[i]);
          ok = FALSE;
          break;
        }
      sqlite3_bind_text (stmt, 1, client_ids[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, why, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, koers_store_now_ms (self));
      ok = koers_store_step_done (self, stmt, error);
    }
  return koers_store_write_end (self, ok, error);
}

/* TRUE when the one-column, one-row query @sql (bound to @text, when
 * given) answers non-zero. */
static gboolean
ask (KoersStore  *self,
     const char  *sql,
     const char  *text)
{
  sqlite3_stmt *stmt = koers_store_prepare (self, sql, NULL);
  gboolean yes;

  if (stmt == NULL)
    return FALSE;
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  yes = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return yes;
}

/* A line whose change belongs to an erased client (its client_id, or the
 * client itself). A line that is not JSON is left for the merge to refuse. */
static gboolean
is_erased_line (KoersStore *self,
                const char *line)
{
  return ask (self,
    "SELECT CASE WHEN json_valid (?1) AND json_type (?1) = 'object' THEN"
    " coalesce (json_extract (?1, '$.client_id'),"
    "  CASE json_extract (?1, '$.entity') WHEN 'client' THEN json_extract (?1, '$.entity_id') END)"
    " IN (SELECT client_id FROM sync_erased) ELSE 0 END", line);
}

GBytes *
koers_store_filter_erased (KoersStore *self,
                           GBytes     *lines,
                           guint      *n_left_out)
{
  gsize size;
  const char *data;
  g_autofree char *text = NULL;
  g_auto (GStrv) split = NULL;
  GString *kept;
  guint left_out = 0;

  g_return_val_if_fail (KOERS_IS_STORE (self) && lines != NULL, NULL);
  if (n_left_out != NULL)
    *n_left_out = 0;
  /* the usual case: nothing was ever erased here, one seek */
  if (!ask (self, "SELECT EXISTS (SELECT 1 FROM sync_erased)", NULL))
    return g_bytes_ref (lines);
  data = g_bytes_get_data (lines, &size);
  text = g_strndup (data ? data : "", size);
  if (strlen (text) != size)
    return g_bytes_ref (lines);   /* a zero byte: the merge refuses it */
  split = g_strsplit (text, "\n", -1);
  kept = g_string_sized_new (size);
  for (guint i = 0; split[i] != NULL; i++)
    {
      if (split[i][0] == '\0')
        continue;
      if (is_erased_line (self, split[i]))
        {
          left_out++;
          continue;
        }
      g_string_append (kept, split[i]);
      g_string_append_c (kept, '\n');
    }
  if (n_left_out != NULL)
    *n_left_out = left_out;
  return g_string_free_to_bytes (kept);
}

static gpointer
erasure_from_row (sqlite3_stmt *stmt)
{
  KoersErasure *erasure = g_new0 (KoersErasure, 1);

  erasure->id = sqlite3_column_int64 (stmt, 0);
  erasure->client_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  erasure->why = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  return erasure;
}

GPtrArray *
koers_store_list_erasures (KoersStore  *self,
                           gint64       after_id,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_erasure_free);
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  stmt = koers_store_prepare (self,
    "SELECT id, client_id, why FROM sync_erased WHERE id > ? ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (list, erasure_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self, error, rc, _("reading"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

gboolean
koers_store_compact_erased (KoersStore  *self,
                            GError     **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth == 0, FALSE);

  if (!ask (self, "SELECT EXISTS (SELECT 1 FROM sync_erased WHERE compacted = 0)", NULL))
    return TRUE;
  return koers_store_compact (self, error);
}

/* The office's changes for one steunpunt ------------------------------------------------- */

/* Reference data (whoever made it), except what this steunpunt's own
 * devices brought: their laptops have it. The office's own changes to a
 * client's records (its resolutions of conflicts) go only where the
 * changes they resolve came from: a base names a stamp of one of this
 * steunpunt's devices (a stamp is "<16 hex>:<device>"). Erased files'
 * rows have no client_id left: they never leave. */
#define RELAY_SQL \
  "SELECT seq, hlc, device_id, worker_id, entity, entity_id, client_id, op, fields, bases" \
  " FROM change_log WHERE seq > ?1 AND (" \
  "  (entity IN ('steunpunt', 'worker', 'partner_org', 'referral_org')" \
  "   AND (origin IS NULL OR origin NOT IN (SELECT value FROM json_each (?2))))" \
  "  OR (origin IS NULL AND client_id IS NOT NULL AND json_valid (bases) AND EXISTS (" \
  "   SELECT 1 FROM json_each (bases) j," \
  "    json_each (CASE j.type WHEN 'array' THEN j.value ELSE json_array (j.value) END) b" \
  "   WHERE substr (b.value, 18) IN (SELECT value FROM json_each (?2)))))" \
  " ORDER BY seq"

GBytes *
koers_store_relay_changes (KoersStore  *self,
                           gint64       after_change,
                           gint64       first_seq,
                           const char  *local_devices,
                           gsize        max_bytes,
                           gint64      *last_change,
                           guint       *n_lines,
                           GError     **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  sqlite3_stmt *stmt;
  guint n = 0;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (KOERS_IS_STORE (self) && local_devices != NULL, NULL);
  g_return_val_if_fail (last_change != NULL && n_lines != NULL, NULL);

  *last_change = after_change;
  stmt = koers_store_prepare (self, RELAY_SQL, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_change);
  sqlite3_bind_text (stmt, 2, local_devices, -1, SQLITE_STATIC);
  while (out->len < max_bytes && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      koers_store_append_change_line (out, first_seq + n, stmt);
      *last_change = sqlite3_column_int64 (stmt, 0);
      n++;
    }
  if (out->len >= max_bytes)
    rc = SQLITE_DONE;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self, error, rc, _("reading"));
      return NULL;
    }
  *n_lines = n;
  return g_string_free_to_bytes (g_steal_pointer (&out));
}

/* An office batch on a laptop ------------------------------------------------------------ */

/* The erase lines of @lines into @ids and @whys; the change lines back. */
static GBytes *
split_office_lines (KoersStore  *self,
                    GBytes      *lines,
                    GPtrArray   *ids,
                    GPtrArray   *whys,
                    GError     **error)
{
  gsize size;
  const char *data = g_bytes_get_data (lines, &size);
  g_autofree char *text = g_strndup (data ? data : "", size);
  g_auto (GStrv) split = g_strsplit (text, "\n", -1);
  g_autoptr (GString) changes = g_string_sized_new (size);
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT json_extract (?1, '$.erase'), json_extract (?1, '$.why')"
    " WHERE json_valid (?1) AND json_type (?1, '$.erase') IS NOT NULL", error);

  if (stmt == NULL)
    return NULL;
  for (guint i = 0; split[i] != NULL; i++)
    {
      g_autofree char *id = NULL;
      g_autofree char *why = NULL;
      gboolean erase;

      if (split[i][0] == '\0')
        continue;
      sqlite3_bind_text (stmt, 1, split[i], -1, SQLITE_STATIC);
      erase = sqlite3_step (stmt) == SQLITE_ROW;
      if (erase)
        {
          id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          why = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
      if (!erase)
        {
          g_string_append (changes, split[i]);
          g_string_append_c (changes, '\n');
          continue;
        }
      if (id == NULL || !koers_uuid_is_valid (id) || !is_why (why))
        {
          g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FORMAT,
                       _("Line %u of the office's batch is not an erasure Koers can apply."), i + 1);
          return NULL;
        }
      g_ptr_array_add (ids, g_steal_pointer (&id));
      g_ptr_array_add (whys, g_steal_pointer (&why));
    }
  return g_string_free_to_bytes (g_steal_pointer (&changes));
}

static gint64
last_own_seq (KoersStore *self)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT coalesce (max (device_seq), 0) FROM change_log WHERE device_seq IS NOT NULL", NULL);
  gint64 seq = 0;

  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return seq;
}

/* The office's erasure of @ids: recorded (so nothing brings the files
 * back), the files purged; the deletions the purge logged are the
 * office's decision, not this device's changes: they take @origin and
 * leave the device's own sequence, so the outbox never sends them. */
static gboolean
apply_erasures (KoersStore  *self,
                const char  *origin,
                GPtrArray   *ids,
                GPtrArray   *whys,
                GError     **error)
{
  gint64 own = last_own_seq (self);
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < ids->len; i++)
    {
      const char *one[] = { ids->pdata[i], NULL };

      ok = koers_store_record_erasures (self, one, whys->pdata[i], error);
    }
  g_ptr_array_add (ids, NULL);
  ok = ok && koers_store_purge_clients (self, (const char *const *) ids->pdata, error);
  g_ptr_array_remove_index (ids, ids->len - 1);
  if (!ok)
    return FALSE;
  stmt = koers_store_prepare (self,
    "UPDATE change_log SET origin = ?, device_seq = NULL WHERE device_seq > ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, origin, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, own);
  if (!koers_store_step_done (self, stmt, error))
    return FALSE;
  stmt = koers_store_prepare (self, "DELETE FROM sync_conflict WHERE client_id = ?", error);
  for (guint i = 0; ok && stmt != NULL && i < ids->len; i++)
    {
      sqlite3_bind_text (stmt, 1, ids->pdata[i], -1, SQLITE_STATIC);
      ok = koers_store_step_done (self, stmt, error);
    }
  return ok && stmt != NULL;
}

gboolean
koers_store_apply_office_lines (KoersStore       *self,
                                const char       *origin,
                                GBytes           *lines,
                                KoersMergeStats  *stats,
                                guint            *n_erased,
                                GError          **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) whys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GBytes) changes = split_office_lines (self, lines, ids, whys, error);
  g_autoptr (GBytes) kept = NULL;

  *n_erased = 0;
  if (changes == NULL)
    return FALSE;
  /* erasures first: a change of the same batch for an erased file is left out */
  if (ids->len > 0 && !apply_erasures (self, origin, ids, whys, error))
    return FALSE;
  *n_erased = ids->len;
  kept = koers_store_filter_erased (self, changes, NULL);
  return g_bytes_get_size (kept) == 0
         || koers_store_merge_changes (self, kept, origin, stats, error);
}
