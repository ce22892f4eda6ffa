/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-search.c: FTS5 search over names, aliases and notes. The
 * generic writes in koers-store-crud.c keep the index in the same
 * transaction as the records, the text folded by koers-fold.c. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>

#include "koers-store-private.h"
#include "koers-fold.h"

/* Folding --------------------------------------------------------------------- */

char *
koers_store_fold_text (const char *text)
{
  return koers_fold_text (text);
}

char *
koers_store_fold_note (const char *text)
{
  return koers_fold_note (text);
}

char *
koers_store_fold_query (const char *typed)
{
  return koers_fold_query (typed);
}

const char *
koers_store_fold_version (void)
{
  return koers_fold_version ();
}

/* The records that feed the index: which text, under which column, folded
 * how, and the slot that makes rowid = rid * 4 + slot unique. */
typedef struct
{
  KoersEntity kind;
  const char *column;
  gsize       offset;
  char     *(*fold) (const char *text);
  guint       slot;
} SearchSource;

static const SearchSource sources[] = {
  { KOERS_ENTITY_CLIENT, "name", G_STRUCT_OFFSET (KoersClient, name), koers_store_fold_text, 0 },
  { KOERS_ENTITY_ALIAS, "name", G_STRUCT_OFFSET (KoersAlias, name), koers_store_fold_text, 1 },
  { KOERS_ENTITY_CONVERSATION, "notes", G_STRUCT_OFFSET (KoersConversation, notes),
    koers_store_fold_note, 2 },
  { KOERS_ENTITY_NOTE_ADDENDUM, "notes", G_STRUCT_OFFSET (KoersNoteAddendum, text),
    koers_store_fold_note, 3 },
};

/* Index upkeep --------------------------------------------------------------------- */

static gboolean
set_fold_version (KoersStore  *self,
                  GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('search_fold', ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, koers_store_fold_version (), -1, SQLITE_STATIC);
  return koers_store_step_done (self, stmt, error);
}

static gboolean
reindex_sources (KoersStore  *self,
                 GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autoptr (GPtrArray) records = koers_store_list_by (self, sources[i].kind, NULL, NULL, error);

      if (records == NULL)
        return FALSE;
      for (guint r = 0; r < records->len; r++)
        if (!koers_store_update_index (self, sources[i].kind,
                                       koers_record_get_id (records->pdata[r]), records->pdata[r],
                                       error))
          return FALSE;
    }
  return TRUE;
}

gboolean
koers_store_reindex (KoersStore  *self,
                     GError     **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);

  if (!koers_store_write_begin (self, error))
    return FALSE;
  return koers_store_write_end (self,
                                koers_store_exec (self, "DELETE FROM search", error) &&
                                reindex_sources (self, error) &&
                                koers_store_exec (self,
                                  "INSERT INTO search (search) VALUES ('optimize')", error) &&
                                set_fold_version (self, error),
                                error);
}

/* Rebuilds the index when it was made with other folding rules. */
gboolean
koers_store_ensure_index (KoersStore  *self,
                          GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT value = ? FROM store_meta WHERE key = 'search_fold'", error);
  gboolean current = FALSE;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, koers_store_fold_version (), -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    current = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  return current || koers_store_reindex (self, error);
}

/* The records that feed the index: which text, under which column, and the
 * slot that makes rowid = rid * 4 + slot unique. */

static gint64
search_rowid (KoersStore        *self,
              const SearchSource *source,
              const char         *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT rid * 4 + %u FROM %s WHERE id = ?", source->slot,
                                          koers_entity_name (source->kind));
  sqlite3_stmt *stmt = koers_store_prepare (self, sql, NULL);
  gint64 rowid = -1;

  if (stmt == NULL)
    return -1;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rowid;
}

static gboolean
add_entry (KoersStore         *self,
           const SearchSource *source,
           gint64              rowid,
           gconstpointer       record,
           const char         *text,
           GError            **error)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO search (rowid, %s, client_id) VALUES (?, ?, ?)",
                                          source->column);
  g_autofree char *client_id = koers_store_client_of (self, source->kind, record);
  sqlite3_stmt *stmt = koers_store_prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  sqlite3_bind_text (stmt, 2, source->fold (text), -1, g_free);
  sqlite3_bind_text (stmt, 3, client_id, -1, SQLITE_STATIC);
  return koers_store_step_done (self, stmt, error);
}

gboolean
koers_store_update_index (KoersStore     *self,
                          KoersEntity     kind,
                          const char     *id,
                          gconstpointer   record,
                          GError        **error)
{
  const SearchSource *source = NULL;
  sqlite3_stmt *stmt;
  const char *text;
  gint64 rowid;

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    if (sources[i].kind == kind)
      source = &sources[i];
  if (source == NULL)
    return TRUE;
  if ((rowid = search_rowid (self, source, id)) < 0)
    return TRUE;
  stmt = koers_store_prepare (self, "DELETE FROM search WHERE rowid = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, rowid);
  if (!koers_store_step_done (self, stmt, error))
    return FALSE;
  text = record ? *(const char *const *) ((const guint8 *) record + source->offset) : NULL;
  return text == NULL || add_entry (self, source, rowid, record, text, error);
}

/* Queries --------------------------------------------------------------------------- */

void
koers_search_hit_free (KoersSearchHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->client_id);
  g_free (hit->name);
  g_free (hit);
}

static char *
scoped_query (const char *typed,
              const char *column)
{
  g_autofree char *query = koers_store_fold_query (typed);

  if (query == NULL)
    return NULL;
  return g_strdup_printf ("%s : (%s)", column, query);
}

/* Names and aliases, ranked by bm25, one hit per client. bm25 costs a
 * lookup per matching row, so a short prefix that matches thousands of
 * names ranks only the newest RANKED_NAMES of them (rowid >= the rowid of
 * the RANKED_NAMES-th newest match): typing one more letter narrows it.
 * Without a limit (:rows < 0: "all", koers-cli search --limit 0) every
 * match is ranked. */
#define RANKED_NAMES 1000
#define NAMES_SQL(in) \
  "SELECT h.client_id, h.r, c.name FROM" \
  " (SELECT client_id, min (rank) AS r FROM search" \
  "  WHERE search MATCH :query" in " AND (:rows < 0 OR rowid >= coalesce ((SELECT rowid FROM search WHERE search MATCH :query" in \
  "   ORDER BY rowid DESC LIMIT 1 OFFSET " G_STRINGIFY (RANKED_NAMES) " - 1), 0))" \
  "  GROUP BY client_id ORDER BY r LIMIT :rows) h" \
  " JOIN client c ON c.id = h.client_id ORDER BY h.r, c.name"

/* Notes, newest first and not ranked: ranking every mention of a common
 * word would cost more than the 10 ms a keystroke may take, so at most
 * :rows entries are read. */
#define NOTES_SQL(in) \
  "SELECT h.client_id, 0.0, c.name FROM" \
  " (SELECT client_id, rowid AS r FROM search WHERE search MATCH :query" in \
  "  ORDER BY rowid DESC LIMIT :rows) h" \
  " JOIN client c ON c.id = h.client_id ORDER BY h.r DESC"

/* The list's filters, applied to the entries before the limits above, so
 * a filtered search finds what a capped one would have cut off. */
#define IN_FILTER " AND client_id IN (SELECT id FROM client" KOERS_CLIENT_FILTER_WHERE ("") ")"

/* Adds the hits of @sql for clients not in @seen, up to @limit in all. */
static gboolean
collect_hits (KoersStore              *self,
              const char              *sql,
              const KoersClientFilter *filter,
              const char              *query,
              int                      rows,
              guint                    limit,
              GHashTable              *seen,
              GPtrArray               *hits,
              GError                 **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (filter != NULL)
    koers_store_bind_filter (self, stmt, filter);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":query"), query, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, sqlite3_bind_parameter_index (stmt, ":rows"), rows);
  while ((limit == 0 || hits->len < limit) && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *) sqlite3_column_text (stmt, 0);
      KoersSearchHit *hit;

      if (g_hash_table_contains (seen, id))
        continue;
      hit = g_new0 (KoersSearchHit, 1);
      hit->client_id = g_strdup (id);
      hit->rank = sqlite3_column_double (stmt, 1);
      hit->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_hash_table_add (seen, hit->client_id);
      g_ptr_array_add (hits, hit);
    }
  if (limit != 0 && hits->len >= limit)
    rc = SQLITE_DONE;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self, error, rc, _("searching"));
      return FALSE;
    }
  return TRUE;
}

/* Hits of clients that pass @filter (NULL: all). */
static GPtrArray *
search_hits (KoersStore              *self,
             const char              *typed,
             KoersSearchScope         scope,
             const KoersClientFilter *filter,
             guint                    limit,
             GError                 **error)
{
  g_autoptr (GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_search_hit_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *names = scoped_query (typed, "name");
  g_autofree char *notes = scoped_query (typed, "notes");
  int rows = limit ? (int) MIN (limit, G_MAXINT / 10) : -1;

  if (koers_client_filter_is_any (filter))
    filter = NULL;
  if (names == NULL)
    return g_steal_pointer (&hits);
  if ((scope & KOERS_SEARCH_NAMES) &&
      !collect_hits (self, filter ? NAMES_SQL (IN_FILTER) : NAMES_SQL (""), filter, names, rows, limit,
                     seen, hits, error))
    return NULL;
  if ((scope & KOERS_SEARCH_NOTES) &&
      !collect_hits (self, filter ? NOTES_SQL (IN_FILTER) : NOTES_SQL (""), filter, notes,
                     rows < 0 ? -1 : rows * 10, limit, seen, hits, error))
    return NULL;
  return g_steal_pointer (&hits);
}

GPtrArray *
koers_store_search (KoersStore        *self,
                    const char        *typed,
                    KoersSearchScope   scope,
                    guint              limit,
                    GError           **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  return search_hits (self, typed, scope, NULL, limit, error);
}

GPtrArray *
koers_store_search_clients (KoersStore              *self,
                            const char              *typed,
                            const KoersClientFilter *filter,
                            guint                    limit,
                            GError                 **error)
{
  g_autoptr (GPtrArray) hits = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_client_row_free);

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (typed != NULL, NULL);

  if ((hits = search_hits (self, typed, KOERS_SEARCH_ALL, filter, limit, error)) == NULL)
    return NULL;
  for (guint i = 0; i < hits->len; i++)
    {
      KoersSearchHit *hit = g_ptr_array_index (hits, i);
      g_autoptr (GError) local = NULL;
      KoersClientRow *row = koers_store_get_client_row (self, hit->client_id, NULL, &local);

      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
      if (row != NULL)
        g_ptr_array_add (rows, row);
    }
  return g_steal_pointer (&rows);
}
