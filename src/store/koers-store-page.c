/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n.h>
#include <stdio.h>

#include "koers-store-page.h"
#include "koers-store-private.h"


#define FILTER_WHERE KOERS_CLIENT_FILTER_WHERE
#define WHERE FILTER_WHERE ("")

void
koers_client_row_free (KoersClientRow *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  g_free (row->name);
  g_free (row->country_of_origin);
  g_free (row);
}

/* The vault's words for a tampered or unreadable page; the store's for
 * the rest. */
static gboolean
fail (KoersStore  *self,
      int          rc,
      GError     **error)
{
  koers_store_set_sqlite_error (self, error, rc, _("reading the client list"));
  return FALSE;
}

/* The value of a stored enum name; 0 (the first, or *_UNKNOWN) for NULL. */
static int
enum_value (const char        *name,
            const char *const *names)
{
  for (int i = 0; name != NULL && names[i] != NULL; i++)
    if (g_str_equal (name, names[i]))
      return i;
  return 0;
}

/* The date the open items of @due fall before ("YYYY-MM-DD"), or NULL
 * for any. A week is today and the six days after: the consultation
 * hours of the coming week, with what was missed still to be done. */
static char *
due_before (KoersStore     *self,
            KoersDueFilter  due)
{
  g_autofree char *today = koers_store_today (self);
  GDate date;
  char text[16];
  int y, m, d;

  if (due == KOERS_DUE_OVERDUE)
    return g_steal_pointer (&today);
  if (due != KOERS_DUE_THIS_WEEK)
    return NULL;
  if (sscanf (today, "%d-%d-%d", &y, &m, &d) != 3 || !g_date_valid_dmy (d, m, y))
    g_return_val_if_reached (NULL);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  g_date_add_days (&date, 7);
  g_date_strftime (text, sizeof text, "%Y-%m-%d", &date);
  return g_strdup (text);
}

static void
bind_named (sqlite3_stmt *stmt,
            const char   *name,
            char         *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  if (index > 0)
    sqlite3_bind_text (stmt, index, value, -1, g_free);
  else
    g_free (value);
}

void
koers_store_bind_filter (KoersStore              *self,
                         sqlite3_stmt            *stmt,
                         const KoersClientFilter *filter)
{
  KoersClientFilter any = KOERS_CLIENT_FILTER_ANY;

  if (filter == NULL)
    filter = &any;
  if (filter->phase >= 0 && filter->phase <= KOERS_PHASE_CLOSED)
    bind_named (stmt, ":phase", g_strdup (koers_phase_names[filter->phase]));
  /* An unknown outcome is stored as NULL: the query compares IFNULL (outcome, ''). */
  if (filter->outcome >= 0 && filter->outcome <= KOERS_OUTCOME_OTHER)
    bind_named (stmt, ":outcome", g_strdup (filter->outcome == KOERS_OUTCOME_UNKNOWN
                                            ? "" : koers_outcome_names[filter->outcome]));
  if (filter->steunpunt_id != NULL)
    bind_named (stmt, ":steunpunt", g_strdup (filter->steunpunt_id));
  if (filter->due != KOERS_DUE_ANY)
    bind_named (stmt, ":due", due_before (self, filter->due));
}

gboolean
koers_client_filter_is_any (const KoersClientFilter *filter)
{
  return filter == NULL || (filter->phase < 0 && filter->outcome < 0 && filter->steunpunt_id == NULL &&
                            filter->due == KOERS_DUE_ANY);
}

static sqlite3_stmt *
prepare (KoersStore              *self,
         const char              *sql,
         const KoersClientFilter *filter,
         GError                 **error)
{
  sqlite3 *db = koers_store_get_db (self);
  sqlite3_stmt *stmt = NULL;

  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      fail (self, sqlite3_extended_errcode (db), error);
      return NULL;
    }
  koers_store_bind_filter (self, stmt, filter);
  return stmt;
}

static KoersClientRow *
read_row (sqlite3_stmt *stmt)
{
  KoersClientRow *row = g_new0 (KoersClientRow, 1);

  row->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  row->name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  row->phase = enum_value ((const char *) sqlite3_column_text (stmt, 2), koers_phase_names);
  row->outcome = enum_value ((const char *) sqlite3_column_text (stmt, 3), koers_outcome_names);
  row->country_of_origin = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
  row->birth_year = sqlite3_column_int (stmt, 5);
  return row;
}

gboolean
koers_store_count_clients (KoersStore              *self,
                           const KoersClientFilter *filter,
                           guint                   *n_clients,
                           GError                 **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_clients != NULL, FALSE);

  stmt = prepare (self, "SELECT count(*) FROM client" WHERE, filter, error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      fail (self, rc, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *n_clients = (guint) sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return TRUE;
}

#define ROW_COLUMNS "SELECT id, name, phase, outcome, country_of_origin, birth_year"
#define COLUMNS ROW_COLUMNS " FROM client"

GPtrArray *
koers_store_list_client_rows (KoersStore              *self,
                              const KoersClientFilter *filter,
                              guint                    offset,
                              guint                    limit,
                              GError                 **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  stmt = prepare (self, COLUMNS WHERE " ORDER BY name COLLATE NOCASE, rid LIMIT ?5 OFFSET ?6",
                  filter, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 5, limit > 0 ? (sqlite3_int64) limit : -1);
  sqlite3_bind_int64 (stmt, 6, offset);

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_client_row_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, read_row (stmt));
  if (rc != SQLITE_DONE)
    {
      fail (self, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&rows);
}

KoersClientRow *
koers_store_get_client_row (KoersStore              *self,
                            const char              *client_id,
                            const KoersClientFilter *filter,
                            GError                 **error)
{
  KoersClientRow *row = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  stmt = prepare (self, COLUMNS FILTER_WHERE (" AND client_id = ?5") " AND id = ?5", filter, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 5, client_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    row = read_row (stmt);
  else if (rc != SQLITE_DONE)
    fail (self, rc, error);
  sqlite3_finalize (stmt);
  return row;
}

GArray *
koers_store_list_client_keys (KoersStore              *self,
                              const KoersClientFilter *filter,
                              GError                 **error)
{
  g_autoptr(GArray) keys = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  stmt = prepare (self, "SELECT rid FROM client" WHERE " ORDER BY name COLLATE NOCASE, rid",
                  filter, error);
  if (stmt == NULL)
    return NULL;
  keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (keys, rid);
    }
  if (rc != SQLITE_DONE)
    {
      fail (self, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&keys);
}

/* One statement for all @keys: each sqlite3_step() of a statement on its
 * own is a read transaction (WAL read lock, file locks, fstat); a page of
 * 50 rows read one by one cost the main thread tens of ms at 10k
 * clients, read in one statement about a millisecond. */
GPtrArray *
koers_store_get_client_rows (KoersStore    *self,
                             const gint64  *keys,
                             guint          n_keys,
                             GError       **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GHashTable) positions = NULL;  /* rid → position + 1 */
  g_autoptr(GString) json = g_string_new ("[");
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (keys != NULL || n_keys == 0, NULL);

  positions = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < n_keys; i++)
    {
      g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", keys[i]);
      g_hash_table_insert (positions, (gpointer) &keys[i], GUINT_TO_POINTER (i + 1));
    }
  g_string_append_c (json, ']');
  stmt = prepare (self, ROW_COLUMNS ", rid FROM client WHERE rid IN (SELECT value FROM json_each (?5))", NULL, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 5, json->str, (int) json->len, SQLITE_STATIC);
  rows = g_ptr_array_new_full (n_keys, (GDestroyNotify) koers_client_row_free);
  g_ptr_array_set_size (rows, n_keys);  /* a key whose client is gone stays NULL */
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rid = sqlite3_column_int64 (stmt, 6);
      guint position = GPOINTER_TO_UINT (g_hash_table_lookup (positions, &rid));

      if (position > 0 && g_ptr_array_index (rows, position - 1) == NULL)
        g_ptr_array_index (rows, position - 1) = read_row (stmt);
    }
  if (rc != SQLITE_DONE)
    {
      fail (self, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  sqlite3_finalize (stmt);
  return g_steal_pointer (&rows);
}
