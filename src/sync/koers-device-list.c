/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-device-list.c: fixed header, fixed-size entries sorted by device
 * id, the office's signature (docs/sync-format.md, "Device list"). */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "koers-device-list.h"

G_DEFINE_QUARK (koers-device-list-error-quark, koers_device_list_error)

#define MAGIC   "KOERSDEV"
#define VERSION 1
#define FLAG_REVOKED 0x01

enum
{
  OFF_VERSION = 8,
  OFF_STEUNPUNT = 10,
  OFF_SERIAL = 26,
  OFF_ISSUED = 34,
  OFF_GENERATION = 42,
  OFF_TEAM = 46,
  OFF_COUNT = 78,
  HEADER = 80,
  /* an entry */
  E_ID = 0,
  E_PUBLIC = 16,
  E_FLAGS = 48,
  E_EPOCH = 49,
  E_SEQ = 53,
  E_SEALED = 61,
  ENTRY = 141,
};

G_STATIC_ASSERT (E_SEALED + KOERS_DEVICE_LIST_SEALED_BYTES == ENTRY);
G_STATIC_ASSERT (crypto_box_SEALBYTES + 32 == KOERS_DEVICE_LIST_SEALED_BYTES);

#define FAIL(error, code, ...) \
  (g_set_error (error, KOERS_DEVICE_LIST_ERROR, KOERS_DEVICE_LIST_ERROR_##code, __VA_ARGS__), NULL)

KoersDeviceList *
koers_device_list_new (const guint8 *steunpunt_id,
                       guint64       serial,
                       gint64        issued_at_ms,
                       guint32       team_generation,
                       const guint8 *team_public)
{
  KoersDeviceList *list = g_new0 (KoersDeviceList, 1);

  memcpy (list->steunpunt_id, steunpunt_id, KOERS_SYNC_ID_BYTES);
  list->serial = serial;
  list->issued_at_ms = issued_at_ms;
  list->team_generation = team_generation;
  memcpy (list->team_public, team_public, KOERS_SYNC_PUBLIC_BYTES);
  list->devices = g_array_new (FALSE, TRUE, sizeof (KoersDeviceEntry));
  return list;
}

void
koers_device_list_free (KoersDeviceList *list)
{
  if (list == NULL)
    return;
  g_array_unref (list->devices);
  g_free (list);
}

void
koers_device_list_add (KoersDeviceList *list,
                       const guint8    *device_id,
                       const guint8    *sign_public,
                       gboolean         revoked,
                       guint32          revoked_epoch,
                       guint64          revoked_after_seq)
{
  KoersDeviceEntry entry = { 0 };

  memcpy (entry.device_id, device_id, KOERS_SYNC_ID_BYTES);
  memcpy (entry.sign_public, sign_public, KOERS_SYNC_PUBLIC_BYTES);
  entry.revoked = revoked;
  entry.revoked_epoch = revoked ? revoked_epoch : 0;
  entry.revoked_after_seq = revoked ? revoked_after_seq : 0;
  g_array_append_val (list->devices, entry);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return memcmp (((const KoersDeviceEntry *) a)->device_id,
                 ((const KoersDeviceEntry *) b)->device_id, KOERS_SYNC_ID_BYTES);
}

/* crypto_box_seal of the team secret to the device's X25519 form of its
 * Ed25519 key: no second key to register. */
static gboolean
seal_team_key (KoersDeviceEntry   *entry,
               const KoersSyncKey *team_key)
{
  guint8 curve_public[crypto_box_PUBLICKEYBYTES];

  if (crypto_sign_ed25519_pk_to_curve25519 (curve_public, entry->sign_public) != 0)
    return FALSE;
  return crypto_box_seal (entry->sealed_team, koers_sync_key_get_secret (team_key), 32,
                          curve_public) == 0;
}

GBytes *
koers_device_list_write (KoersDeviceList    *list,
                         const KoersSyncKey *team_key,
                         const KoersSyncKey *office_key,
                         GError            **error)
{
  gsize len = HEADER + list->devices->len * ENTRY + KOERS_SYNC_SIGNATURE_BYTES;
  g_autofree guint8 *out = NULL;

  g_return_val_if_fail (koers_sync_key_has_secret (office_key), NULL);
  g_return_val_if_fail (koers_sync_key_has_secret (team_key), NULL);
  if (list->devices->len > KOERS_DEVICE_LIST_MAX_DEVICES || list->serial == 0
      || memcmp (koers_sync_key_get_public (team_key), list->team_public, KOERS_SYNC_PUBLIC_BYTES) != 0)
    return FAIL (error, FORMAT, _("The device list cannot be made: too many devices, no serial, or another team key"));
  g_array_sort (list->devices, compare_entries);
  out = g_malloc0 (len);
  memcpy (out, MAGIC, 8);
  koers_sync_put_be (out + OFF_VERSION, VERSION, 2);
  memcpy (out + OFF_STEUNPUNT, list->steunpunt_id, KOERS_SYNC_ID_BYTES);
  koers_sync_put_be (out + OFF_SERIAL, list->serial, 8);
  koers_sync_put_be (out + OFF_ISSUED, (guint64) list->issued_at_ms, 8);
  koers_sync_put_be (out + OFF_GENERATION, list->team_generation, 4);
  memcpy (out + OFF_TEAM, list->team_public, KOERS_SYNC_PUBLIC_BYTES);
  koers_sync_put_be (out + OFF_COUNT, list->devices->len, 2);
  for (guint i = 0; i < list->devices->len; i++)
    {
      KoersDeviceEntry *entry = &g_array_index (list->devices, KoersDeviceEntry, i);
      guint8 *e = out + HEADER + i * ENTRY;

      if (i > 0 && compare_entries (entry - 1, entry) == 0)
        return FAIL (error, FORMAT, _("The device list cannot be made: a device is listed twice"));
      memset (entry->sealed_team, 0, sizeof entry->sealed_team);
      if (!entry->revoked && !seal_team_key (entry, team_key))
        return FAIL (error, FORMAT, _("The device list cannot be made: a device's key is not usable"));
      memcpy (e + E_ID, entry->device_id, KOERS_SYNC_ID_BYTES);
      memcpy (e + E_PUBLIC, entry->sign_public, KOERS_SYNC_PUBLIC_BYTES);
      e[E_FLAGS] = entry->revoked ? FLAG_REVOKED : 0;
      koers_sync_put_be (e + E_EPOCH, entry->revoked_epoch, 4);
      koers_sync_put_be (e + E_SEQ, entry->revoked_after_seq, 8);
      memcpy (e + E_SEALED, entry->sealed_team, KOERS_DEVICE_LIST_SEALED_BYTES);
    }
  koers_sync_sign (office_key, out, len - KOERS_SYNC_SIGNATURE_BYTES,
                   out + len - KOERS_SYNC_SIGNATURE_BYTES);
  return g_bytes_new_take (g_steal_pointer (&out), len);
}

static gboolean
is_zero (const guint8 *d,
         gsize         len)
{
  guint8 acc = 0;

  for (gsize i = 0; i < len; i++)
    acc |= d[i];
  return acc == 0;
}

/* One entry, read into @entry; FALSE when its fields break the rules. */
static gboolean
read_entry (const guint8     *e,
            KoersDeviceEntry *entry)
{
  guint8 flags = e[E_FLAGS];

  memcpy (entry->device_id, e + E_ID, KOERS_SYNC_ID_BYTES);
  memcpy (entry->sign_public, e + E_PUBLIC, KOERS_SYNC_PUBLIC_BYTES);
  entry->revoked = (flags & FLAG_REVOKED) != 0;
  entry->revoked_epoch = (guint32) koers_sync_get_be (e + E_EPOCH, 4);
  entry->revoked_after_seq = koers_sync_get_be (e + E_SEQ, 8);
  memcpy (entry->sealed_team, e + E_SEALED, KOERS_DEVICE_LIST_SEALED_BYTES);
  if ((flags & ~FLAG_REVOKED) != 0)
    return FALSE;
  if (entry->revoked)
    return is_zero (entry->sealed_team, KOERS_DEVICE_LIST_SEALED_BYTES);
  return entry->revoked_epoch == 0 && entry->revoked_after_seq == 0
         && !is_zero (entry->sealed_team, KOERS_DEVICE_LIST_SEALED_BYTES);
}

KoersDeviceList *
koers_device_list_read (GBytes        *file,
                        const guint8  *office_sign_public,
                        const guint8  *steunpunt_id,
                        guint64        min_serial,
                        GError       **error)
{
  g_autoptr(KoersDeviceList) list = NULL;
  gsize len, count;
  const guint8 *d;

  g_return_val_if_fail (file != NULL && office_sign_public != NULL, NULL);
  d = g_bytes_get_data (file, &len);
  if (len < HEADER + KOERS_SYNC_SIGNATURE_BYTES || len > KOERS_DEVICE_LIST_MAX_FILE)
    return FAIL (error, SIZE, _("The office's device list has an impossible size"));
  count = koers_sync_get_be (d + OFF_COUNT, 2);
  if (len != HEADER + count * ENTRY + KOERS_SYNC_SIGNATURE_BYTES)
    return FAIL (error, SIZE, _("The office's device list is cut short or too long"));
  if (memcmp (d, MAGIC, 8) != 0 || koers_sync_get_be (d + OFF_VERSION, 2) != VERSION)
    return FAIL (error, FORMAT, _("This is not a device list this program can read"));
  if (!koers_sync_verify (office_sign_public, d, len - KOERS_SYNC_SIGNATURE_BYTES,
                          d + len - KOERS_SYNC_SIGNATURE_BYTES))
    return FAIL (error, SIGNATURE, _("The device list is not signed by the office: it is ignored"));
  if (steunpunt_id != NULL && memcmp (d + OFF_STEUNPUNT, steunpunt_id, KOERS_SYNC_ID_BYTES) != 0)
    return FAIL (error, STEUNPUNT, _("The device list is another steunpunt's: it is ignored"));
  if (koers_sync_get_be (d + OFF_SERIAL, 8) < MAX (min_serial, 1))
    return FAIL (error, STALE, _("The device list is older than one already read: it is ignored"));
  list = koers_device_list_new (d + OFF_STEUNPUNT, koers_sync_get_be (d + OFF_SERIAL, 8),
                                (gint64) koers_sync_get_be (d + OFF_ISSUED, 8),
                                (guint32) koers_sync_get_be (d + OFF_GENERATION, 4), d + OFF_TEAM);
  if (count > KOERS_DEVICE_LIST_MAX_DEVICES || list->issued_at_ms <= 0)
    return FAIL (error, FORMAT, _("The device list has a field this program cannot use"));
  for (gsize i = 0; i < count; i++)
    {
      KoersDeviceEntry entry;

      if (!read_entry (d + HEADER + i * ENTRY, &entry)
          || (i > 0 && memcmp (d + HEADER + (i - 1) * ENTRY, entry.device_id, KOERS_SYNC_ID_BYTES) >= 0))
        return FAIL (error, FORMAT, _("Device %u in the device list cannot be used"), (guint) i + 1);
      g_array_append_val (list->devices, entry);
    }
  return g_steal_pointer (&list);
}

const KoersDeviceEntry *
koers_device_list_lookup (const KoersDeviceList *list,
                          const guint8          *device_id)
{
  KoersDeviceEntry key;
  guint index;

  memcpy (key.device_id, device_id, KOERS_SYNC_ID_BYTES);
  if (!g_array_binary_search (list->devices, &key, compare_entries, &index))
    return NULL;
  return &g_array_index (list->devices, KoersDeviceEntry, index);
}

gboolean
koers_device_list_refuses (const KoersDeviceList *list,
                           const guint8          *device_id,
                           guint32                epoch,
                           guint64                last_seq)
{
  const KoersDeviceEntry *entry = koers_device_list_lookup (list, device_id);

  if (entry == NULL)
    return TRUE;
  if (!entry->revoked)
    return FALSE;
  return epoch > entry->revoked_epoch
         || (epoch == entry->revoked_epoch && last_seq > entry->revoked_after_seq);
}

KoersSyncKey *
koers_device_list_open_team_key (const KoersDeviceList *list,
                                 const guint8          *device_id,
                                 const KoersSyncKey    *device_key,
                                 GError               **error)
{
  const KoersDeviceEntry *entry = koers_device_list_lookup (list, device_id);
  guint8 curve_public[crypto_box_PUBLICKEYBYTES];
  guint8 curve_secret[crypto_box_SECRETKEYBYTES];
  guint8 team_secret[32];
  KoersSyncKey *team = NULL;
  gboolean opened;

  g_return_val_if_fail (koers_sync_key_has_secret (device_key), NULL);
  if (entry == NULL || entry->revoked
      || memcmp (entry->sign_public, koers_sync_key_get_public (device_key), KOERS_SYNC_PUBLIC_BYTES) != 0)
    return FAIL (error, NOT_LISTED,
                 _("This laptop is not (or no longer) registered at the office for its steunpunt"));
  opened = crypto_sign_ed25519_pk_to_curve25519 (curve_public, entry->sign_public) == 0
           && crypto_sign_ed25519_sk_to_curve25519 (curve_secret, koers_sync_key_get_secret (device_key)) == 0
           && crypto_box_seal_open (team_secret, entry->sealed_team, KOERS_DEVICE_LIST_SEALED_BYTES,
                                    curve_public, curve_secret) == 0;
  if (opened)
    team = koers_sync_key_new_from_seed (KOERS_SYNC_KEY_SEAL, team_secret);
  sodium_memzero (curve_secret, sizeof curve_secret);
  sodium_memzero (team_secret, sizeof team_secret);
  if (team == NULL || memcmp (koers_sync_key_get_public (team), list->team_public, KOERS_SYNC_PUBLIC_BYTES) != 0)
    {
      g_clear_pointer (&team, koers_sync_key_free);
      return FAIL (error, TEAM_KEY, _("The team key in the office's device list does not open for this laptop"));
    }
  return team;
}

KoersKnownDevices *
koers_device_list_known (const KoersDeviceList *list)
{
  KoersKnownDevices *known = koers_known_devices_new ();

  for (guint i = 0; i < list->devices->len; i++)
    {
      const KoersDeviceEntry *entry = &g_array_index (list->devices, KoersDeviceEntry, i);

      koers_known_devices_add (known, entry->device_id, list->steunpunt_id, entry->sign_public);
    }
  return known;
}
