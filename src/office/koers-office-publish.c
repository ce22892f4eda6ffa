/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-publish.c: the device list of each steunpunt onto the drop
 * (koers_office_publish_devices(), docs/sync-format.md "Device list"). */
#include "config.h"

#define G_LOG_DOMAIN "koers-office"

#include <glib/gi18n.h>
#include <string.h>

#include "koers-device-list.h"
#include "koers-office-private.h"
#include "koers-store-private.h"

#define SERIAL_PREFIX "office.devices-serial."
#define DEVICE_LIST_NAME "devices"

/* The next serial of @steunpunt's list, committed before the list leaves:
 * a kill between the two skips a number, never reuses one. */
static gboolean
next_serial (KoersOffice *self,
             const char  *steunpunt,
             guint64     *serial,
             GError     **error)
{
  g_autofree char *key = g_strconcat (SERIAL_PREFIX, steunpunt, NULL);
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) old = koers_store_sync_get_setting (self->store, key, &local);
  g_autoptr(GBytes) value = NULL;
  guint8 be[8];

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  *serial = 1;
  if (old != NULL && g_bytes_get_size (old) == sizeof be)
    *serial = koers_sync_get_be (g_bytes_get_data (old, NULL), sizeof be) + 1;
  koers_sync_put_be (be, *serial, sizeof be);
  value = g_bytes_new (be, sizeof be);
  return koers_store_sync_set_setting (self->store, key, value, error);
}

static gboolean
add_devices (KoersOffice     *self,
             KoersDeviceList *list,
             const char      *steunpunt,
             GError         **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT id, sign_public, revoked_ms, revoked_epoch, revoked_after_seq FROM office_device"
    " WHERE steunpunt_id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, steunpunt, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint8 id[KOERS_SYNC_ID_BYTES];

      if (koers_sync_id_from_uuid ((const char *) sqlite3_column_text (stmt, 0), id)
          && sqlite3_column_bytes (stmt, 1) == KOERS_SYNC_PUBLIC_BYTES)
        koers_device_list_add (list, id, sqlite3_column_blob (stmt, 1),
                               sqlite3_column_int64 (stmt, 2) != 0,
                               (guint32) sqlite3_column_int64 (stmt, 3),
                               (guint64) sqlite3_column_int64 (stmt, 4));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self->store, error, rc, "office devices");
      return FALSE;
    }
  return TRUE;
}

/* The signed list of @steunpunt (an id), with a new serial. */
static GBytes *
make_list (KoersOffice        *self,
           const char         *steunpunt,
           guint32             generation,
           const KoersSyncKey *sign,
           GError            **error)
{
  g_autoptr(KoersSyncKey) team = koers_office_team_key (self, steunpunt, error);
  g_autoptr(KoersDeviceList) list = NULL;
  guint8 id[KOERS_SYNC_ID_BYTES];
  guint64 serial;

  if (team == NULL || !koers_sync_id_from_uuid (steunpunt, id))
    return NULL;
  if (!next_serial (self, steunpunt, &serial, error))
    return NULL;
  list = koers_device_list_new (id, serial, koers_store_now_ms (self->store), generation,
                                koers_sync_key_get_public (team));
  if (!add_devices (self, list, steunpunt, error))
    return NULL;
  return koers_device_list_write (list, team, sign, error);
}

static gboolean
publish_one (KoersOffice        *self,
             KoersDavClient     *drop,
             const char         *steunpunt,
             guint32             generation,
             const KoersSyncKey *sign,
             GCancellable       *cancellable,
             GError            **error)
{
  g_autoptr(GBytes) file = make_list (self, steunpunt, generation, sign, error);
  g_autofree char *path = g_strdup_printf ("%s/" DEVICE_LIST_NAME, steunpunt);

  if (file == NULL)
    return FALSE;
  /* a plain PUT replaces it whole: nginx and Apache write a PUT body to a
   * temporary file and rename it into place (as for acks) */
  return koers_dav_client_make_folder (drop, steunpunt, cancellable, error)
         && koers_dav_client_put (drop, path, file, cancellable, error);
}

gboolean
koers_office_publish_devices (KoersOffice    *self,
                              KoersDavClient *drop,
                              const char     *steunpunt,
                              GCancellable   *cancellable,
                              GError        **error)
{
  g_autoptr(KoersSyncKey) sign = koers_office_get_key (self, KOERS_SYNC_KEY_SIGN, error);
  g_autofree char *only = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) generations = g_array_new (FALSE, FALSE, sizeof (guint32));
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_OFFICE (self), FALSE);
  if (sign == NULL)
    return FALSE;
  if (steunpunt != NULL && (only = koers_office_find_steunpunt (self, steunpunt, error)) == NULL)
    return FALSE;
  stmt = koers_store_prepare (self->store,
    "SELECT id, team_generation FROM office_steunpunt WHERE ?1 IS NULL OR id = ?1 ORDER BY id", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, only, -1, SQLITE_TRANSIENT);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      guint32 generation = (guint32) sqlite3_column_int64 (stmt, 1);

      g_ptr_array_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_array_append_val (generations, generation);
    }
  sqlite3_reset (stmt);
  for (guint i = 0; i < ids->len; i++)
    if (!publish_one (self, drop, ids->pdata[i], g_array_index (generations, guint32, i), sign,
                      cancellable, error))
      return FALSE;
  return TRUE;
}
