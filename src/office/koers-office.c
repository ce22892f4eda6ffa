/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office.c: the office's keys, steunpunten, devices and quarantine
 * in its own vault (see koers-office.h for the layout). */
#include "config.h"

#include <stdarg.h>

#define G_LOG_DOMAIN "koers-office"

#include <glib/gi18n.h>
#include <sodium.h>

#include "koers-enrollment.h"
#include "koers-office-private.h"
#include "koers-store-private.h"
#include "koers-uuid.h"

G_DEFINE_QUARK (koers-office-error-quark, koers_office_error)
G_DEFINE_FINAL_TYPE (KoersOffice, koers_office, G_TYPE_OBJECT)

#define SEAL_SEED_KEY "office.seal-seed"
#define SIGN_SEED_KEY "office.sign-seed"
#define TEAM_SEED_PREFIX "office.team-seed."

static const char office_schema[] =
  "CREATE TABLE IF NOT EXISTS office_steunpunt ("
  " id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, team_public BLOB NOT NULL,"
  " team_generation INTEGER NOT NULL DEFAULT 1, created_ms INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS office_device ("
  " id TEXT PRIMARY KEY, steunpunt_id TEXT NOT NULL REFERENCES office_steunpunt (id),"
  " name TEXT NOT NULL, sign_public BLOB NOT NULL, registered_ms INTEGER NOT NULL,"
  " revoked_ms INTEGER NOT NULL DEFAULT 0, revoked_epoch INTEGER NOT NULL DEFAULT 0,"
  " revoked_after_seq INTEGER NOT NULL DEFAULT 0,"
  " chain_epoch INTEGER NOT NULL DEFAULT 0, chain_last_seq INTEGER NOT NULL DEFAULT 0,"
  " chain_hash BLOB, acked_epoch INTEGER NOT NULL DEFAULT 0,"
  " acked_seq INTEGER NOT NULL DEFAULT 0, last_batch TEXT,"
  " last_seen_ms INTEGER NOT NULL DEFAULT 0, pending INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS office_batch ("
  " device_id TEXT NOT NULL, name TEXT NOT NULL, steunpunt_id TEXT NOT NULL,"
  " epoch INTEGER NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,"
  " hash BLOB NOT NULL, n_changes INTEGER NOT NULL, imported_ms INTEGER NOT NULL,"
  " deleted_ms INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (device_id, name));"
  "CREATE TABLE IF NOT EXISTS office_change ("
  " device_id TEXT NOT NULL, epoch INTEGER NOT NULL, seq INTEGER NOT NULL,"
  " change TEXT NOT NULL, PRIMARY KEY (device_id, epoch, seq));"
  "CREATE TABLE IF NOT EXISTS office_quarantine ("
  " id INTEGER PRIMARY KEY, steunpunt TEXT NOT NULL, device TEXT NOT NULL,"
  " name TEXT NOT NULL, reason_code TEXT NOT NULL, reason TEXT NOT NULL,"
  " file BLOB NOT NULL, hash BLOB NOT NULL, at_ms INTEGER NOT NULL,"
  " dropped INTEGER NOT NULL DEFAULT 0,"
  " UNIQUE (steunpunt, device, name, hash));";

static void
koers_office_finalize (GObject *object)
{
  KoersOffice *self = KOERS_OFFICE (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (koers_office_parent_class)->finalize (object);
}

static void
koers_office_class_init (KoersOfficeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = koers_office_finalize;
}

static void
koers_office_init (KoersOffice *self)
{
}

KoersOffice *
koers_office_new (KoersStore  *store,
                  GError     **error)
{
  g_autoptr(KoersOffice) self = g_object_new (KOERS_TYPE_OFFICE, NULL);
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  self->store = g_object_ref (store);
  if (!koers_store_write_begin (store, error))
    return NULL;
  ok = koers_store_exec (store, office_schema, error) && koers_office_outbox_init (self, error);
  if (!koers_store_write_end (store, ok, error))
    return NULL;
  return g_steal_pointer (&self);
}

KoersStore *
koers_office_get_store (KoersOffice *self)
{
  return self->store;
}

/* Keys --------------------------------------------------------------------- */

static KoersSyncKey *
key_from_setting (KoersOffice      *self,
                  const char       *setting,
                  KoersSyncKeyKind  kind,
                  GError          **error)
{
  GError *local = NULL;
  g_autoptr(GBytes) seed = koers_store_sync_get_setting (self->store, setting, &local);

  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (seed == NULL || g_bytes_get_size (seed) != KOERS_SYNC_SEED_BYTES)
    {
      g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_NOT_INITIALISED,
                   _("This vault has no office keys: run “koers-office init” first"));
      return NULL;
    }
  return koers_sync_key_new_from_seed (kind, g_bytes_get_data (seed, NULL));
}

KoersSyncKey *
koers_office_team_key (KoersOffice  *self,
                       const char   *steunpunt_id,
                       GError      **error)
{
  g_autofree char *setting = g_strconcat (TEAM_SEED_PREFIX, steunpunt_id, NULL);

  return key_from_setting (self, setting, KOERS_SYNC_KEY_SEAL, error);
}

static gboolean
save_seed (KoersOffice        *self,
           const char         *setting,
           const KoersSyncKey *key,
           GError            **error)
{
  g_autoptr(GBytes) seed = g_bytes_new (koers_sync_key_get_seed (key), KOERS_SYNC_SEED_BYTES);

  return koers_store_sync_set_setting (self->store, setting, seed, error);
}

KoersSyncKey *
koers_office_get_key (KoersOffice      *self,
                      KoersSyncKeyKind  kind,
                      GError          **error)
{
  return key_from_setting (self, kind == KOERS_SYNC_KEY_SEAL ? SEAL_SEED_KEY : SIGN_SEED_KEY,
                           kind, error);
}

gboolean
koers_office_init_keys (KoersOffice  *self,
                        GError      **error)
{
  g_autoptr(KoersSyncKey) seal = koers_sync_key_generate (KOERS_SYNC_KEY_SEAL);
  g_autoptr(KoersSyncKey) sign = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  g_autoptr(GBytes) existing = NULL;
  GError *local = NULL;
  gboolean ok;

  existing = koers_store_sync_get_setting (self->store, SIGN_SEED_KEY, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (existing != NULL)
    {
      g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_EXISTS,
                   _("This vault already has office keys; replacing them is described in docs/office.md"));
      return FALSE;
    }
  if (!koers_store_write_begin (self->store, error))
    return FALSE;
  ok = save_seed (self, SEAL_SEED_KEY, seal, error) && save_seed (self, SIGN_SEED_KEY, sign, error);
  return koers_store_write_end (self->store, ok, error);
}

/* Steunpunten -------------------------------------------------------------- */

char *
koers_office_find_steunpunt (KoersOffice  *self,
                             const char   *name_or_id,
                             GError      **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT id FROM office_steunpunt WHERE id = ?1 OR name = ?1", error);
  char *id = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name_or_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (id == NULL)
    g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_NOT_FOUND,
                 _("There is no steunpunt “%s”"), name_or_id);
  return id;
}

static gboolean
insert_steunpunt (KoersOffice        *self,
                  const char         *id,
                  const char         *name,
                  const KoersSyncKey *team,
                  GError            **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "INSERT INTO office_steunpunt (id, name, team_public, created_ms) VALUES (?, ?, ?, ?)",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 3, koers_sync_key_get_public (team), KOERS_SYNC_PUBLIC_BYTES,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, koers_store_now_ms (self->store));
  return koers_store_step_done (self->store, stmt, error);
}

char *
koers_office_add_steunpunt (KoersOffice  *self,
                            const char   *name,
                            GError      **error)
{
  g_autoptr(KoersSyncKey) team = NULL;
  g_autofree char *id = koers_uuid7_new (koers_store_now_ms (self->store));
  g_autofree char *existing = NULL;
  g_autofree char *setting = NULL;
  gboolean ok;

  g_return_val_if_fail (name != NULL, NULL);
  if (*name == '\0' || !g_utf8_validate (name, -1, NULL) || strlen (name) > 200)
    {
      g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_INVALID,
                   _("A steunpunt needs a name of at most 200 bytes"));
      return NULL;
    }
  existing = koers_office_find_steunpunt (self, name, NULL);
  if (existing != NULL)
    {
      g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_EXISTS,
                   _("There is already a steunpunt “%s”"), name);
      return NULL;
    }
  setting = g_strconcat (TEAM_SEED_PREFIX, id, NULL);
  if (!koers_store_write_begin (self->store, error))
    return NULL;
  /* generation 1 of a chain, so that a newer key opens the older ones */
  team = koers_office_new_team_chain (self, id, error);
  ok = team != NULL
       && insert_steunpunt (self, id, name, team, error)
       && save_seed (self, setting, team, error);
  if (!koers_store_write_end (self->store, ok, error))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
team_public (KoersOffice *self,
             const char  *steunpunt_id,
             guint8      *public_key,
             guint32     *generation,
             GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT team_public, team_generation FROM office_steunpunt WHERE id = ?", error);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, steunpunt_id, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW
          && sqlite3_column_bytes (stmt, 0) == KOERS_SYNC_PUBLIC_BYTES;
  if (found)
    {
      memcpy (public_key, sqlite3_column_blob (stmt, 0), KOERS_SYNC_PUBLIC_BYTES);
      *generation = (guint32) sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  if (!found)
    g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_NOT_FOUND,
                 _("The steunpunt's team key is missing"));
  return found;
}

static gboolean
parse_pin (const char *pin,
           guint8     *sha256,
           GError    **error)
{
  gsize len = 0;
  g_autofree guchar *raw = NULL;

  if (g_str_has_prefix (pin, "sha256//"))
    pin += strlen ("sha256//");
  raw = g_base64_decode (pin, &len);
  if (len != 32)
    {
      g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_INVALID,
                   _("A pin is “sha256//” and the base64 SHA-256 of the drop's public key"));
      return FALSE;
    }
  memcpy (sha256, raw, 32);
  return TRUE;
}

GBytes *
koers_office_enroll (KoersOffice                    *self,
                     const KoersOfficeEnrollRequest *request,
                     GError                        **error)
{
  g_autoptr(KoersEnrollment) e = koers_enrollment_new ();
  g_autoptr(KoersSyncKey) seal = NULL;
  g_autoptr(KoersSyncKey) sign = NULL;
  g_autofree char *steunpunt = NULL;

  seal = koers_office_get_key (self, KOERS_SYNC_KEY_SEAL, error);
  if (seal == NULL)
    return NULL;
  sign = koers_office_get_key (self, KOERS_SYNC_KEY_SIGN, error);
  steunpunt = koers_office_find_steunpunt (self, request->steunpunt, error);
  if (sign == NULL || steunpunt == NULL)
    return NULL;
  if (!koers_sync_id_from_uuid (steunpunt, e->steunpunt_id)
      || !team_public (self, steunpunt, e->team_seal_public, &e->team_key_generation, error))
    return NULL;
  if (request->pin != NULL && !parse_pin (request->pin, e->pin_sha256, error))
    return NULL;
  e->has_pin = request->pin != NULL;
  memcpy (e->office_seal_public, koers_sync_key_get_public (seal), KOERS_SYNC_PUBLIC_BYTES);
  memcpy (e->office_sign_public, koers_sync_key_get_public (sign), KOERS_SYNC_PUBLIC_BYTES);
  e->issued_at_ms = koers_store_now_ms (self->store);
  e->drop_url = g_strdup (request->drop_url);
  e->drop_user = g_strdup (request->drop_user);
  e->drop_password = g_strdup (request->drop_password);
  e->device_name = g_strdup (request->device_name);
  if (request->ca_pem != NULL)
    e->ca_pem = g_strndup (g_bytes_get_data (request->ca_pem, NULL),
                           g_bytes_get_size (request->ca_pem));
  return koers_enrollment_make (e, sign, error);
}

/* Devices ------------------------------------------------------------------- */

static gboolean
device_exists (KoersOffice *self,
               const char  *device_id,
               GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT 1 FROM office_device WHERE id = ?", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  if (!found)
    g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_NOT_FOUND,
                 _("There is no device %s (see “koers-office devices”)"), device_id);
  return found;
}

/* A device's public key as `koers-cli enroll` prints it (base64), or in
 * hex. */
static gboolean
parse_public_key (const char *text,
                  guint8     *key)
{
  size_t len = 0;
  gsize b64_len = 0;
  g_autofree guchar *raw = NULL;

  if (sodium_hex2bin (key, KOERS_SYNC_PUBLIC_BYTES, text, strlen (text), " :", &len, NULL) == 0
      && len == KOERS_SYNC_PUBLIC_BYTES)
    return TRUE;
  if (strlen (text) != 44 || strspn (text, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != 44)
    return FALSE;
  raw = g_base64_decode (text, &b64_len);
  if (b64_len != KOERS_SYNC_PUBLIC_BYTES)
    return FALSE;
  memcpy (key, raw, KOERS_SYNC_PUBLIC_BYTES);
  return TRUE;
}

gboolean
koers_office_register_device (KoersOffice  *self,
                              const char   *steunpunt,
                              const char   *device_id,
                              const char   *sign_public_hex,
                              const char   *name,
                              GError      **error)
{
  g_autofree char *steunpunt_id = koers_office_find_steunpunt (self, steunpunt, error);
  guint8 id[KOERS_SYNC_ID_BYTES];
  guint8 key[KOERS_SYNC_PUBLIC_BYTES];
  sqlite3_stmt *stmt;
  gboolean ok;

  if (steunpunt_id == NULL)
    return FALSE;
  if (!koers_sync_id_from_uuid (device_id, id)
      || !parse_public_key (sign_public_hex, key))
    {
      g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_INVALID,
                   _("Give the device id and public key exactly as “koers-cli enroll” printed them"));
      return FALSE;
    }
  if (device_exists (self, device_id, NULL))
    {
      g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_EXISTS,
                   _("Device %s is already registered"), device_id);
      return FALSE;
    }
  if (!koers_store_write_begin (self->store, error))
    return FALSE;
  stmt = koers_store_prepare (self->store,
    "INSERT INTO office_device (id, steunpunt_id, name, sign_public, registered_ms)"
    " VALUES (?, ?, ?, ?, ?)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, steunpunt_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, name ? name : device_id, -1, SQLITE_STATIC);
      sqlite3_bind_blob (stmt, 4, key, sizeof key, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 5, koers_store_now_ms (self->store));
      ok = koers_store_step_done (self->store, stmt, error);
    }
  return koers_store_write_end (self->store, ok, error);
}

/* One UPDATE of a device by id (the id bound last). */
gboolean
koers_office_write_row (KoersOffice  *self,
                        GError      **error,
                        const char   *sql,
                        const char   *types,
                        ...)
{
  sqlite3_stmt *stmt;
  gboolean ok;
  va_list args;

  if (!koers_store_write_begin (self->store, error))
    return FALSE;
  stmt = koers_store_prepare (self->store, sql, error);
  ok = stmt != NULL;
  if (ok)
    {
      va_start (args, types);
      for (int i = 0; types[i] != '\0'; i++)
        if (types[i] == 'i')
          sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
        else
          sqlite3_bind_text (stmt, i + 1, va_arg (args, const char *), -1, SQLITE_TRANSIENT);
      va_end (args);
      ok = koers_store_step_done (self->store, stmt, error);
    }
  return koers_store_write_end (self->store, ok, error);
}

static gboolean
update_device (KoersOffice *self,
               const char  *sql,
               const char  *text,
               const char  *device_id,
               GError     **error)
{
  return device_exists (self, device_id, error) &&
         koers_office_write_row (self, error, sql, "itt", koers_store_now_ms (self->store), text,
                                 device_id);
}

gboolean
koers_office_rename_device (KoersOffice  *self,
                            const char   *device_id,
                            const char   *name,
                            GError      **error)
{
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_INVALID,
                   _("A device needs a name"));
      return FALSE;
    }
  return update_device (self, "UPDATE office_device SET name = ?2 WHERE ?1 AND id = ?3",
                        name, device_id, error);
}

gboolean
koers_office_revoke_device (KoersOffice  *self,
                            const char   *device_id,
                            GError      **error)
{
  /* What is imported stays; anything after the chain's end is refused. */
  return update_device (self,
    "UPDATE office_device SET revoked_ms = ?1, revoked_epoch = chain_epoch,"
    " revoked_after_seq = chain_last_seq WHERE revoked_ms = 0 AND ?2 IS NULL AND id = ?3",
    NULL, device_id, error);
}

void
koers_office_device_free (KoersOfficeDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->id);
  g_free (device->steunpunt_id);
  g_free (device->steunpunt_name);
  g_free (device->name);
  g_free (device->last_batch);
  g_free (device);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

GPtrArray *
koers_office_list_devices (KoersOffice  *self,
                           GError      **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT d.id, d.steunpunt_id, s.name, d.name, d.revoked_ms, d.last_batch,"
    " d.last_seen_ms, d.pending, d.acked_seq FROM office_device d"
    " JOIN office_steunpunt s ON s.id = d.steunpunt_id ORDER BY s.name, d.name", error);
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_office_device_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KoersOfficeDevice *d = g_new0 (KoersOfficeDevice, 1);

      d->id = column_dup (stmt, 0);
      d->steunpunt_id = column_dup (stmt, 1);
      d->steunpunt_name = column_dup (stmt, 2);
      d->name = column_dup (stmt, 3);
      d->revoked = sqlite3_column_int64 (stmt, 4) != 0;
      d->last_batch = column_dup (stmt, 5);
      d->last_seen_ms = sqlite3_column_int64 (stmt, 6);
      d->pending = sqlite3_column_int64 (stmt, 7);
      d->acked_seq = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (devices, d);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self->store, error, rc, "office devices");
      return NULL;
    }
  return g_steal_pointer (&devices);
}

/* Quarantine ---------------------------------------------------------------- */

void
koers_quarantined_free (KoersQuarantined *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->steunpunt_id);
  g_free (entry->device_id);
  g_free (entry->name);
  g_free (entry->reason_code);
  g_free (entry->reason);
  g_free (entry);
}

GPtrArray *
koers_office_list_quarantine (KoersOffice  *self,
                              GError      **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT id, steunpunt, device, name, reason_code, reason, at_ms, length (file)"
    " FROM office_quarantine WHERE NOT dropped ORDER BY id", error);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_quarantined_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      KoersQuarantined *q = g_new0 (KoersQuarantined, 1);

      q->id = sqlite3_column_int64 (stmt, 0);
      q->steunpunt_id = column_dup (stmt, 1);
      q->device_id = column_dup (stmt, 2);
      q->name = column_dup (stmt, 3);
      q->reason_code = column_dup (stmt, 4);
      q->reason = column_dup (stmt, 5);
      q->at_ms = sqlite3_column_int64 (stmt, 6);
      q->size = (gsize) sqlite3_column_int64 (stmt, 7);
      g_ptr_array_add (list, q);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self->store, error, rc, "office quarantine");
      return NULL;
    }
  return g_steal_pointer (&list);
}

/* Dropped entries stay (without the file) so that the next pull does not
 * take the same batch in again; a retried one is forgotten, so it does. */
static gboolean
change_quarantined (KoersOffice  *self,
                    const char   *sql,
                    gint64        id,
                    GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!koers_store_write_begin (self->store, error))
    return FALSE;
  stmt = koers_store_prepare (self->store, sql, error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      ok = koers_store_step_done (self->store, stmt, error);
    }
  if (ok && sqlite3_changes (koers_store_get_db (self->store)) == 0)
    {
      g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_NOT_FOUND,
                   _("There is no quarantined batch %lld"), (long long) id);
      ok = FALSE;
    }
  return koers_store_write_end (self->store, ok, error);
}

gboolean
koers_office_drop_quarantined (KoersOffice  *self,
                               gint64        id,
                               GError      **error)
{
  return change_quarantined (self,
    "UPDATE office_quarantine SET dropped = 1, file = x'' WHERE id = ? AND NOT dropped",
    id, error);
}

gboolean
koers_office_retry_quarantined (KoersOffice  *self,
                                gint64        id,
                                GError      **error)
{
  return change_quarantined (self,
    "DELETE FROM office_quarantine WHERE id = ? AND NOT dropped", id, error);
}

/* docs/office.md "Quarantine": each reason with its remedy. */
static const struct
{
  const char *code;
  const char *advice;
} quarantine_advice[] = {
  { "unknown-device", N_("The device is not registered at this office. Check its id and public "
                         "key with the laptop by phone, register it (koers-office devices "
                         "register), then retry.") },
  { "revoked", N_("The device was revoked, so nothing it sent afterwards is taken in. If it was "
                  "revoked by mistake, enroll it again; otherwise drop the batch.") },
  { "device-folder", N_("The batch is signed by another device than the folder it lies in: "
                        "someone moved or copied files on the drop. Ask the steunpunt; drop the "
                        "batch once its own copy has arrived.") },
  { "merge", N_("The batch is whole and signed, but its changes could not be merged; nothing "
                "of it was applied. Keep it and report it to the developers with the reason "
                "above, then retry with a fixed version.") },
  { "fork", N_("The device sent two different batches for the same changes (a restored or "
               "copied vault). Ask the steunpunt which laptop is in use; drop the batch that "
               "is not.") },
  { "recipient", N_("The batch was sealed for another office: the laptop is enrolled with "
                    "another office's key. Enroll it again with a file of this office.") },
  { "steunpunt", N_("The batch names another steunpunt than the device is registered with. "
                    "Check the registration; enroll the laptop again if it moved.") },
  { "name", N_("The file's name does not match its contents: it was renamed or replayed on "
               "the drop. Drop it; the real batch comes under its own name.") },
};

const char *
koers_office_quarantine_advice (const char *reason_code)
{
  for (guint i = 0; i < G_N_ELEMENTS (quarantine_advice); i++)
    if (g_strcmp0 (reason_code, quarantine_advice[i].code) == 0)
      return _(quarantine_advice[i].advice);
  /* size, format, signature, key-commitment, decrypt, decompress, json:
   * the bytes on the drop are damaged or not the laptop's */
  return _("The file on the drop is damaged or was not made by the laptop. The laptop keeps "
           "every batch until it is acknowledged: ask the steunpunt to sync again, so that it "
           "sends the batch again, then retry; drop this copy once the batch has arrived.");
}

GBytes *
koers_office_get_quarantined_file (KoersOffice  *self,
                                   gint64        id,
                                   GError      **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT file FROM office_quarantine WHERE id = ? AND NOT dropped", error);
  GBytes *file = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    file = g_bytes_new (sqlite3_column_blob (stmt, 0), (gsize) sqlite3_column_bytes (stmt, 0));
  sqlite3_reset (stmt);
  if (file == NULL)
    g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_NOT_FOUND,
                 _("There is no quarantined batch %lld"), (long long) id);
  return file;
}

/* A person's rights --------------------------------------------------------- */

static gboolean
delete_received_changes (KoersOffice       *self,
                         const char *const *client_ids,
                         GError           **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!koers_store_write_begin (self->store, error))
    return FALSE;
  stmt = koers_store_prepare (self->store,
    "DELETE FROM office_change WHERE json_extract (change, '$.client_id') = ?", error);
  ok = stmt != NULL;
  for (guint i = 0; ok && client_ids[i] != NULL; i++)
    {
      sqlite3_bind_text (stmt, 1, client_ids[i], -1, SQLITE_STATIC);
      ok = koers_store_step_done (self->store, stmt, error);
    }
  return koers_store_write_end (self->store, ok, error);
}

gboolean
koers_office_erase (KoersOffice       *self,
                    const char *const *client_ids,
                    GError           **error)
{
  /* the changes as received first; the store's purge then compacts the
   * database, so neither stays in free pages */
  g_autoptr(GPtrArray) merged = g_ptr_array_new ();

  /* recorded first: no batch that arrives later brings the file back, and
   * the next pull sends the erasure to the laptops (koers-office-outbox.c) */
  if (!koers_store_record_erasures (self->store, client_ids, "erase", error)
      || !delete_received_changes (self, client_ids, error))
    return FALSE;
  /* until the merge is wired, a client may be only in the changes */
  for (guint i = 0; client_ids[i] != NULL; i++)
    {
      g_autoptr(KoersClient) client = koers_store_get_client (self->store, client_ids[i], NULL);

      if (client != NULL)
        g_ptr_array_add (merged, (gpointer) client_ids[i]);
    }
  g_ptr_array_add (merged, NULL);
  return koers_store_purge (self->store, (const char *const *) merged->pdata, error);
}
