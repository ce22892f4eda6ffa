/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store.c: the store object: connection set-up, migrations, the
 * statement cache, transactions and the write guard. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "koers-store-private.h"
#include "koers-store-resources.h"
#include "koers-uuid.h"
#include "koers-vault.h"

#define MIGRATIONS_PATH "/nl/koers/store/migrations"

G_DEFINE_FINAL_TYPE (KoersStore, koers_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (koers-store-error-quark, koers_store_error)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Migrations ---------------------------------------------------------------- */

/* qsort() passes pointers to the elements. */
static int
compare_names (const void *a,
               const void *b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

/* The migration files in version order: "0001.sql" is version 1. */
static char **
list_migrations (void)
{
  g_auto (GStrv) names = NULL;

  g_resources_register (koers_store_get_resource ());
  names = g_resources_enumerate_children (MIGRATIONS_PATH, 0, NULL);
  if (names == NULL)
    return g_new0 (char *, 1);
  qsort (names, g_strv_length (names), sizeof (char *), compare_names);
  return g_steal_pointer (&names);
}

guint
koers_store_schema_version (void)
{
  g_auto (GStrv) names = list_migrations ();

  return g_strv_length (names);
}

static gboolean
db_exec (sqlite3     *db,
         const char  *sql,
         GError     **error)
{
  g_autofree char *message = NULL;
  char *errmsg = NULL;
  int rc = sqlite3_exec (db, sql, NULL, NULL, &errmsg);

  if (rc == SQLITE_OK)
    return TRUE;
  message = g_strdup (errmsg ? errmsg : sqlite3_errstr (rc));
  sqlite3_free (errmsg);
  g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FAILED,
               _("The case database could not be updated: %s"), message);
  return FALSE;
}

static int
db_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
apply_migration (sqlite3     *db,
                 const char  *name,
                 guint        version,
                 GError     **error)
{
  g_autofree char *path = g_build_path ("/", MIGRATIONS_PATH, name, NULL);
  g_autoptr (GBytes) sql = g_resources_lookup_data (path, 0, error);
  g_autofree char *text = NULL;
  g_autofree char *pragma = NULL;

  if (sql == NULL)
    return FALSE;
  text = g_strndup (g_bytes_get_data (sql, NULL), g_bytes_get_size (sql));
  pragma = g_strdup_printf ("PRAGMA user_version = %u", version);
  g_debug ("Applying schema migration %u", version);
  return db_exec (db, text, error) && db_exec (db, pragma, error);
}

gboolean
koers_store_migrate_db (sqlite3  *db,
                        guint     target,
                        GError  **error)
{
  g_auto (GStrv) names = list_migrations ();
  guint latest = g_strv_length (names);
  int current = db_user_version (db);

  if (target == 0 || target > latest)
    target = latest;
  if (current < 0)
    return db_exec (db, "PRAGMA user_version", error);
  if ((guint) current > latest)
    {
      g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_TOO_NEW,
                   _("This case file was made by a newer version of Koers. "
                     "Update Koers to open it."));
      return FALSE;
    }
  if ((guint) current >= target)
    return TRUE;
  if (!db_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  for (guint v = current + 1; v <= target; v++)
    if (!apply_migration (db, names[v - 1], v, error))
      {
        db_exec (db, "ROLLBACK", NULL);
        return FALSE;
      }
  return db_exec (db, "COMMIT", error);
}

/* The write guard ------------------------------------------------------------ */

static gboolean
is_store_table (const char *table)
{
  KoersEntity kind;

  if (table == NULL)
    return FALSE;
  return koers_entity_from_name (table, &kind) || g_str_has_prefix (table, "search") ||
         g_str_equal (table, "change_log") || g_str_equal (table, "audit") ||
         g_str_equal (table, "store_meta") || g_str_equal (table, "draft") ||
         g_str_equal (table, "record_stamp") || g_str_has_prefix (table, "sync_");
}

/* Only the store writes its tables: anything else trying to is refused
 * when its statement is prepared. */
static int
authorize (void       *data,
           int         action,
           const char *arg1,
           const char *arg2,
           const char *db_name,
           const char *trigger)
{
  KoersStore *self = data;
  const char *table = NULL;

  /* VACUUM (and the vault's VACUUM INTO for a rekey) copy into another
   * schema: that writes no table of ours. */
  if (self->writing > 0 || (db_name != NULL && !g_str_equal (db_name, "main")))
    return SQLITE_OK;
  switch (action)
    {
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_VTABLE:
      table = arg1;
      break;
    case SQLITE_DROP_TRIGGER:
    case SQLITE_DROP_INDEX:
    case SQLITE_CREATE_TRIGGER:
    case SQLITE_ALTER_TABLE:
      table = arg2;
      break;
    default:
      return SQLITE_OK;
    }
  return is_store_table (table) ? SQLITE_DENY : SQLITE_OK;
}

/* Statements ------------------------------------------------------------------- */

void
koers_store_set_sqlite_error (KoersStore  *self,
                              GError     **error,
                              int          rc,
                              const char  *what)
{
  const char *detail = sqlite3_errmsg (self->db);

  if (strstr (detail, "append-only") != NULL)
    g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_APPEND_ONLY,
                 _("Saved notes cannot be changed. Add an addendum instead."));
  else if ((rc & 0xff) == SQLITE_AUTH)
    g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FAILED,
                 _("Only Koers may change the case records (%s)."), what);
  else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_IN_USE,
                 _("Other records still refer to this one (%s)."), what);
  else if ((rc & 0xff) != SQLITE_ERROR && (rc & 0xff) != SQLITE_CONSTRAINT)
    /* tampering, a full disk, I/O, a busy vault: the vault says it best */
    koers_vault_set_sqlite_error (error, self->db, rc, what);
  else
    g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FAILED,
                 _("The case database reported a problem while %s: %s"), what, detail);
}

sqlite3_stmt *
koers_store_prepare (KoersStore  *self,
                     const char  *sql,
                     GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);
  int rc;

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      koers_store_set_sqlite_error (self, error, rc, _("preparing a query"));
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  return stmt;
}

gboolean
koers_store_step_done (KoersStore    *self,
                       sqlite3_stmt  *stmt,
                       GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  koers_store_set_sqlite_error (self, error, sqlite3_extended_errcode (self->db),
                                _("saving"));
  return FALSE;
}

char **
koers_store_collect_ids (KoersStore    *self,
                         sqlite3_stmt  *stmt,
                         GError       **error)
{
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self, error, rc, _("reading"));
      return NULL;
    }
  g_ptr_array_add (ids, NULL);
  g_ptr_array_set_free_func (ids, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}

gboolean
koers_store_exec (KoersStore  *self,
                  const char  *sql,
                  GError     **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc == SQLITE_OK)
    return TRUE;
  koers_store_set_sqlite_error (self, error, sqlite3_extended_errcode (self->db), _("saving"));
  return FALSE;
}

/* Transactions ------------------------------------------------------------------- */

/* The app, its reader's write jobs and the sync engine each write on
 * their own connection with their own clock: under the write lock, each
 * starts past the newest stamp any of them logged, so stamps only grow
 * (one index seek). */
static gboolean
catch_up_clock (KoersStore  *self,
                GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self, "SELECT max (hlc) FROM change_log", error);

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    self->hlc.last = MAX (self->hlc.last, (KoersHlcStamp) sqlite3_column_int64 (stmt, 0));
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
koers_store_begin (KoersStore  *self,
                   GError     **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);

  if (!koers_store_exec (self, self->depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT koers", error))
    return FALSE;
  if (self->depth == 0 && !catch_up_clock (self, error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  self->depth++;
  return TRUE;
}

/* Consent checks wait for the outermost commit, so an import may add a
 * client's consent after the client. */
static gboolean
check_pending_consent (KoersStore  *self,
                       GError     **error)
{
  GHashTableIter iter;
  const char *key;

  g_hash_table_iter_init (&iter, self->pending_consent);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    {
      g_auto (GStrv) parts = g_strsplit (key, "\n", 2);
      KoersConsentKind kind = atoi (parts[1]);

      if (koers_store_has_consent (self, parts[0], kind))
        continue;
      g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NO_CONSENT,
                   kind == KOERS_CONSENT_SHARE_PARTNER
                     ? _("The client has not agreed to share the file with the partner "
                         "organisation abroad. Record that consent first.")
                     : _("The client has not agreed to storing their file. Only the intake "
                         "minimum (name, language, steunpunt) can be saved until that consent "
                         "is recorded."));
      return FALSE;
    }
  return TRUE;
}

gboolean
koers_store_commit (KoersStore  *self,
                    GError     **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth > 1)
    {
      self->depth--;
      return koers_store_exec (self, "RELEASE koers", error);
    }
  if (!check_pending_consent (self, error))
    {
      koers_store_rollback (self);
      return FALSE;
    }
  if (!koers_store_exec (self, "COMMIT", error))
    {
      koers_store_rollback (self);
      return FALSE;
    }
  self->depth = 0;
  g_hash_table_remove_all (self->pending_consent);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

void
koers_store_rollback (KoersStore *self)
{
  g_return_if_fail (KOERS_IS_STORE (self));
  g_return_if_fail (self->depth > 0);

  self->depth--;
  if (self->depth > 0)
    {
      sqlite3_exec (self->db, "ROLLBACK TO koers; RELEASE koers", NULL, NULL, NULL);
      return;
    }
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_hash_table_remove_all (self->pending_consent);
  /* The clock may have ticked for rolled-back changes: harmless, stamps
   * only need to grow. */
}

gboolean
koers_store_write_begin (KoersStore  *self,
                         GError     **error)
{
  if (!koers_store_begin (self, error))
    return FALSE;
  self->writing++;
  return TRUE;
}

gboolean
koers_store_write_end (KoersStore  *self,
                       gboolean     ok,
                       GError     **error)
{
  if (ok)
    ok = koers_store_commit (self, error);
  else
    koers_store_rollback (self);
  self->writing--;
  return ok;
}

/* Meta data ---------------------------------------------------------------------- */

static char *
meta_get (KoersStore *self,
          const char *key)
{
  sqlite3_stmt *stmt = koers_store_prepare (self, "SELECT value FROM store_meta WHERE key = ?",
                                            NULL);
  char *value = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static gboolean
meta_set (KoersStore  *self,
          const char  *key,
          const char  *value,
          GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!koers_store_write_begin (self, error))
    return FALSE;
  stmt = koers_store_prepare (self, "INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?)",
                              error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      ok = koers_store_step_done (self, stmt, error);
    }
  return koers_store_write_end (self, ok, error);
}

static gboolean
load_identity (KoersStore  *self,
               GError     **error)
{
  g_autofree char *hlc = meta_get (self, "hlc");

  self->device_id = meta_get (self, "device_id");
  if (self->device_id == NULL)
    {
      self->device_id = koers_uuid7_new (koers_store_now_ms (self));
      if (!meta_set (self, "device_id", self->device_id, error))
        return FALSE;
    }
  self->hlc.last = hlc ? g_ascii_strtoull (hlc, NULL, 10) : 0;
  return catch_up_clock (self, error);
}

/* Object ------------------------------------------------------------------------- */

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
koers_store_finalize (GObject *object)
{
  KoersStore *self = KOERS_STORE (object);

  if (self->db != NULL)
    sqlite3_set_authorizer (self->db, NULL, NULL);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->pending_consent, g_hash_table_unref);
  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->worker_id, g_free);
  G_OBJECT_CLASS (koers_store_parent_class)->finalize (object);
}

static void
koers_store_class_init (KoersStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = koers_store_finalize;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
koers_store_init (KoersStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);
  self->pending_consent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* secure_delete and foreign_keys are the vault's too; the store relies on
 * them, so it makes sure. The page cache is the vault's decision (64 MB a
 * connection, docs/vault-format.md "Page cache"): the store keeps it. */
static gboolean
setup_connection (KoersStore  *self,
                  GError     **error)
{
  return db_exec (self->db, "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;", error) &&
         koers_store_migrate_db (self->db, 0, error);
}

KoersStore *
koers_store_new (sqlite3  *db,
                 GError  **error)
{
  g_autoptr (KoersStore) self = NULL;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (KOERS_TYPE_STORE, NULL);
  self->db = db;
  if (!setup_connection (self, error))
    return NULL;
  sqlite3_set_authorizer (db, authorize, self);
  if (!load_identity (self, error) || !koers_store_ensure_index (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

sqlite3 *
koers_store_get_db (KoersStore *self)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  return self->db;
}

const char *
koers_store_get_device_id (KoersStore *self)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  return self->device_id;
}

void
koers_store_set_current_worker (KoersStore *self,
                        const char *worker_id)
{
  g_return_if_fail (KOERS_IS_STORE (self));
  g_free (self->worker_id);
  self->worker_id = g_strdup (worker_id);
}

const char *
koers_store_get_current_worker (KoersStore *self)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  return self->worker_id;
}

void
koers_store_set_clock (KoersStore    *self,
                       KoersClockFunc func,
                       gpointer       user_data)
{
  g_return_if_fail (KOERS_IS_STORE (self));
  self->clock = func;
  self->clock_data = user_data;
}

gint64
koers_store_now_ms (KoersStore *self)
{
  if (self->clock != NULL)
    return self->clock (self->clock_data);
  return g_get_real_time () / 1000;
}

char *
koers_store_today (KoersStore *self)
{
  g_autoptr (GDateTime) now = g_date_time_new_from_unix_local (koers_store_now_ms (self) / 1000);

  return g_date_time_format (now, "%Y-%m-%d");
}

KoersHlcStamp
koers_store_get_hlc (KoersStore *self)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), 0);
  return self->hlc.last;
}

gboolean
koers_store_receive_hlc (KoersStore    *self,
                         KoersHlcStamp  remote,
                         GError       **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  koers_hlc_receive (&self->hlc, remote, koers_store_now_ms (self));
  text = g_strdup_printf ("%" G_GUINT64_FORMAT, self->hlc.last);
  return meta_set (self, "hlc", text, error);
}
