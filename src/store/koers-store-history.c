/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-history.c: reading the change log and the audit, and
 * retention: listing and purging closed files. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>

#include "koers-store-private.h"

#define COL_TEXT(stmt, i) g_strdup ((const char *) sqlite3_column_text ((stmt), (i)))

void
koers_change_free (KoersChange *change)
{
  if (change == NULL)
    return;
  g_free (change->device_id);
  g_free (change->worker_id);
  g_free (change->entity);
  g_free (change->entity_id);
  g_free (change->op);
  g_free (change->fields);
  g_free (change->client_id);
  g_free (change->bases);
  g_free (change);
}

void
koers_audit_entry_free (KoersAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->worker_id);
  g_free (entry->action);
  g_free (entry->client_id);
  g_free (entry->entity);
  g_free (entry);
}

static gpointer
read_change (sqlite3_stmt *stmt)
{
  KoersChange *c = g_new0 (KoersChange, 1);

  c->seq = sqlite3_column_int64 (stmt, 0);
  c->hlc = (KoersHlcStamp) sqlite3_column_int64 (stmt, 1);
  c->device_id = COL_TEXT (stmt, 2);
  c->worker_id = COL_TEXT (stmt, 3);
  c->entity = COL_TEXT (stmt, 4);
  c->entity_id = COL_TEXT (stmt, 5);
  c->op = COL_TEXT (stmt, 6);
  c->fields = COL_TEXT (stmt, 7);
  c->client_id = COL_TEXT (stmt, 8);
  c->bases = COL_TEXT (stmt, 9);
  return c;
}

static gpointer
read_audit (sqlite3_stmt *stmt)
{
  KoersAuditEntry *e = g_new0 (KoersAuditEntry, 1);

  e->seq = sqlite3_column_int64 (stmt, 0);
  e->at_ms = sqlite3_column_int64 (stmt, 1);
  e->worker_id = COL_TEXT (stmt, 2);
  e->action = COL_TEXT (stmt, 3);
  e->client_id = COL_TEXT (stmt, 4);
  e->entity = COL_TEXT (stmt, 5);
  e->files = sqlite3_column_int64 (stmt, 6);
  return e;
}

/* Runs a prepared @stmt (already bound) and reads every row with @read. */
static GPtrArray *
collect_rows (KoersStore     *self,
              sqlite3_stmt   *stmt,
              gpointer      (*read) (sqlite3_stmt *),
              GDestroyNotify  free_func,
              GError        **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self, error, rc, _("reading"));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/* seq is the rowid: the count walks only the range after @after_seq. */
gint64
koers_store_count_changes (KoersStore  *self,
                           gint64       after_seq,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 count;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), -1);

  /* The log only grows (no statement of the store deletes from it; a purge
   * blanks values) and seq is AUTOINCREMENT, rolled back with its
   * transaction: the rows after @after_seq number max (seq) minus it. One
   * seek, where counting them reads every page of the log (0.4 s at 10k
   * demo clients, on the main thread at each unlock). */
  stmt = koers_store_prepare (self, "SELECT coalesce (max (seq), 0) FROM change_log", error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  count = rc == SQLITE_ROW ? MAX (sqlite3_column_int64 (stmt, 0) - after_seq, 0) : -1;
  sqlite3_reset (stmt);
  if (count < 0)
    koers_store_set_sqlite_error (self, error, rc, _("reading"));
  return count;
}

GPtrArray *
koers_store_list_changes (KoersStore  *self,
                          gint64       after_seq,
                          guint        limit,
                          GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  stmt = koers_store_prepare (self,
    "SELECT seq, hlc, device_id, worker_id, entity, entity_id, op, fields, client_id, bases"
    " FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, limit ? (sqlite3_int64) limit : -1);
  return collect_rows (self, stmt, read_change, (GDestroyNotify) koers_change_free, error);
}

GPtrArray *
koers_store_list_audit (KoersStore  *self,
                        const char  *client_id,
                        GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  stmt = koers_store_prepare (self,
    "SELECT seq, at_ms, worker_id, action, client_id, entity, files FROM audit"
    " WHERE ?1 IS NULL OR client_id = ?1 ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
  return collect_rows (self, stmt, read_audit, (GDestroyNotify) koers_audit_entry_free, error);
}

/* Retention ---------------------------------------------------------------------------- */

char **
koers_store_list_expired (KoersStore  *self,
                          guint        days,
                          GError     **error)
{
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GDateTime) cutoff = NULL;
  g_autofree char *date = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  now = g_date_time_new_from_unix_local (koers_store_now_ms (self) / 1000);
  cutoff = g_date_time_add_days (now, -(int) MIN (days, 365 * 200));
  date = g_date_time_format (cutoff, "%Y-%m-%d");
  stmt = koers_store_prepare (self,
    "SELECT id FROM client WHERE phase = 'closed' AND closed_on <= ? ORDER BY closed_on, id",
    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, date, -1, SQLITE_STATIC);
  return koers_store_collect_ids (self, stmt, error);
}

static gboolean
run_with_text (KoersStore  *self,
               const char  *sql,
               const char  *text,
               GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  return koers_store_step_done (self, stmt, error);
}

/* A wiped change of this device's own may still be on its way to the
 * office: without its values it could not be merged there (the whole
 * batch would be refused), so it goes as what it now says: the record is
 * gone. */
#define WIPED_OP "op = CASE WHEN device_seq IS NULL THEN op ELSE 'delete' END"

/* Wipes the values of the change-log rows of the file and of every record
 * deleted with it; the rows stay as tombstones for sync. */
static gboolean
wipe_history (KoersStore  *self,
              const char  *client_id,
              GError     **error)
{
  for (guint i = 0; i < self->deleted_ids->len; i++)
    if (!run_with_text (self, "UPDATE change_log SET fields = NULL, " WIPED_OP " WHERE entity_id = ?",
                        self->deleted_ids->pdata[i], error))
      return FALSE;
  return run_with_text (self,
                        "UPDATE change_log SET fields = NULL, client_id = NULL, " WIPED_OP
                        " WHERE client_id = ?",
                        client_id, error) &&
         run_with_text (self, "DELETE FROM audit WHERE client_id = ?", client_id, error);
}

static gboolean
purge_one (KoersStore  *self,
           const char  *client_id,
           GError     **error)
{
  gboolean ok;

  self->deleted_ids = g_ptr_array_new_with_free_func (g_free);
  /* a file this store never had whole (only some of its changes, or none)
   * still has its history wiped */
  ok = (!koers_store_record_exists (self, KOERS_ENTITY_CLIENT, client_id) ||
        koers_store_delete (self, KOERS_ENTITY_CLIENT, client_id, error)) &&
       wipe_history (self, client_id, error) &&
       koers_store_audit (self, "purge", NULL, "client", error);
  g_clear_pointer (&self->deleted_ids, g_ptr_array_unref);
  return ok;
}

gboolean
koers_store_purge_clients (KoersStore         *self,
                           const char *const  *client_ids,
                           GError            **error)
{
  for (guint i = 0; client_ids[i] != NULL; i++)
    if (!purge_one (self, client_ids[i], error))
      return FALSE;
  return koers_store_exec (self, "INSERT INTO search (search) VALUES ('optimize')", error);
}

/* VACUUM cannot run in a transaction; it copies every table, so the guard
 * must let it write. */
gboolean
koers_store_compact (KoersStore  *self,
                     GError     **error)
{
  gboolean ok;

  self->writing++;
  ok = koers_store_exec (self, "VACUUM", error) &&
       koers_store_exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", error) &&
       /* erasures are final now (an interrupted one is compacted again) */
       koers_store_exec (self, "UPDATE sync_erased SET compacted = 1 WHERE compacted = 0", error);
  self->writing--;
  return ok;
}

gboolean
koers_store_purge (KoersStore         *self,
                   const char *const  *client_ids,
                   GError            **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (client_ids != NULL, FALSE);
  g_return_val_if_fail (self->depth == 0, FALSE);

  if (!koers_store_write_begin (self, error) ||
      !koers_store_write_end (self, koers_store_purge_clients (self, client_ids, error), error))
    return FALSE;
  /* secure_delete zeroed what was freed; VACUUM leaves no free pages and
   * the checkpoint empties the WAL that held the old page images. */
  return koers_store_compact (self, error);
}
