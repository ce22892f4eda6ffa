/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-keys.c: keys in sodium_malloc memory, ids, hashes. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <sodium.h>
#include <string.h>

#include "koers-sync-keys.h"

struct _KoersSyncKey
{
  KoersSyncKeyKind kind;
  guint8           public_key[KOERS_SYNC_PUBLIC_BYTES];
  /* sodium_malloc: the seed, then the libsodium secret key (64 bytes for
   * Ed25519, 32 for X25519); NULL for a public key. */
  guint8          *secret;
};

#define SECRET_BYTES (KOERS_SYNC_SEED_BYTES + crypto_sign_SECRETKEYBYTES)

G_STATIC_ASSERT (crypto_sign_PUBLICKEYBYTES == KOERS_SYNC_PUBLIC_BYTES);
G_STATIC_ASSERT (crypto_box_PUBLICKEYBYTES == KOERS_SYNC_PUBLIC_BYTES);
G_STATIC_ASSERT (crypto_sign_SEEDBYTES == KOERS_SYNC_SEED_BYTES);
G_STATIC_ASSERT (crypto_scalarmult_SCALARBYTES == KOERS_SYNC_SEED_BYTES);
G_STATIC_ASSERT (crypto_sign_BYTES == KOERS_SYNC_SIGNATURE_BYTES);

static void
ensure_sodium (void)
{
  if (sodium_init () < 0)
    g_error ("libsodium cannot start");
}

KoersSyncKey *
koers_sync_key_new_from_seed (KoersSyncKeyKind kind,
                              const guint8    *seed)
{
  KoersSyncKey *key;
  guint8 *sk;

  g_return_val_if_fail (seed != NULL, NULL);
  ensure_sodium ();
  key = g_new0 (KoersSyncKey, 1);
  key->kind = kind;
  key->secret = sodium_malloc (SECRET_BYTES);
  if (key->secret == NULL)
    g_error ("out of locked memory for a key");
  memcpy (key->secret, seed, KOERS_SYNC_SEED_BYTES);
  sk = key->secret + KOERS_SYNC_SEED_BYTES;
  if (kind == KOERS_SYNC_KEY_SIGN)
    crypto_sign_seed_keypair (key->public_key, sk, seed);
  else
    {
      memcpy (sk, seed, crypto_scalarmult_SCALARBYTES);
      crypto_scalarmult_base (key->public_key, sk);
    }
  sodium_mprotect_readonly (key->secret);
  return key;
}

KoersSyncKey *
koers_sync_key_generate (KoersSyncKeyKind kind)
{
  guint8 seed[KOERS_SYNC_SEED_BYTES];
  KoersSyncKey *key;

  ensure_sodium ();
  randombytes_buf (seed, sizeof seed);
  key = koers_sync_key_new_from_seed (kind, seed);
  sodium_memzero (seed, sizeof seed);
  return key;
}

KoersSyncKey *
koers_sync_key_new_public (KoersSyncKeyKind kind,
                           const guint8    *public_key)
{
  KoersSyncKey *key;

  g_return_val_if_fail (public_key != NULL, NULL);
  key = g_new0 (KoersSyncKey, 1);
  key->kind = kind;
  memcpy (key->public_key, public_key, KOERS_SYNC_PUBLIC_BYTES);
  return key;
}

KoersSyncKey *
koers_sync_key_copy_public (const KoersSyncKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return koers_sync_key_new_public (key->kind, key->public_key);
}

void
koers_sync_key_free (KoersSyncKey *key)
{
  if (key == NULL)
    return;
  if (key->secret != NULL)
    sodium_free (key->secret);   /* wipes it */
  g_free (key);
}

KoersSyncKeyKind
koers_sync_key_get_kind (const KoersSyncKey *key)
{
  return key->kind;
}

const guint8 *
koers_sync_key_get_public (const KoersSyncKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return key->public_key;
}

gboolean
koers_sync_key_has_secret (const KoersSyncKey *key)
{
  return key != NULL && key->secret != NULL;
}

const guint8 *
koers_sync_key_get_seed (const KoersSyncKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return key->secret;
}

const guint8 *
koers_sync_key_get_secret (const KoersSyncKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  return key->secret != NULL ? key->secret + KOERS_SYNC_SEED_BYTES : NULL;
}

char *
koers_sync_key_fingerprint (const KoersSyncKey *key)
{
  guint8 hash[KOERS_SYNC_HASH_BYTES];
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (key != NULL, NULL);
  koers_sync_hash (key->public_key, KOERS_SYNC_PUBLIC_BYTES, hash);
  for (guint i = 0; i < 16; i += 2)
    g_string_append_printf (out, "%s%02x%02x", i ? " " : "", hash[i], hash[i + 1]);
  return g_string_free (out, FALSE);
}

void
koers_sync_sign (const KoersSyncKey *key,
                 const guint8       *data,
                 gsize               len,
                 guint8             *signature)
{
  g_return_if_fail (key != NULL && key->kind == KOERS_SYNC_KEY_SIGN && key->secret != NULL);
  crypto_sign_detached (signature, NULL, data, len, koers_sync_key_get_secret (key));
}

gboolean
koers_sync_verify (const guint8 *public_key,
                   const guint8 *data,
                   gsize         len,
                   const guint8 *signature)
{
  ensure_sodium ();
  return crypto_sign_verify_detached (signature, data, len, public_key) == 0;
}

/* ids and hashes ------------------------------------------------------------ */

gboolean
koers_sync_id_from_uuid (const char *uuid,
                         guint8     *id)
{
  guint n = 0;

  if (uuid == NULL || strlen (uuid) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    {
      char c = uuid[i];
      int v;

      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (c != '-')
            return FALSE;
          continue;
        }
      if (c >= '0' && c <= '9')
        v = c - '0';
      else if (c >= 'a' && c <= 'f')
        v = c - 'a' + 10;
      else
        return FALSE;
      if (n % 2 == 0)
        id[n / 2] = (guint8) (v << 4);
      else
        id[n / 2] |= (guint8) v;
      n++;
    }
  return TRUE;
}

char *
koers_sync_id_to_uuid (const guint8 *id)
{
  GString *out = g_string_sized_new (36);

  for (guint i = 0; i < KOERS_SYNC_ID_BYTES; i++)
    g_string_append_printf (out, "%s%02x", (i == 4 || i == 6 || i == 8 || i == 10) ? "-" : "", id[i]);
  return g_string_free (out, FALSE);
}

void
koers_sync_hash (const guint8 *data,
                 gsize         len,
                 guint8       *hash)
{
  crypto_generichash (hash, KOERS_SYNC_HASH_BYTES, data, len, NULL, 0);
}

char *
koers_sync_hash_to_hex (const guint8 *hash)
{
  char *hex = g_malloc (KOERS_SYNC_HASH_BYTES * 2 + 1);

  sodium_bin2hex (hex, KOERS_SYNC_HASH_BYTES * 2 + 1, hash, KOERS_SYNC_HASH_BYTES);
  return hex;
}

/* known devices ------------------------------------------------------------- */

struct _KoersKnownDevices
{
  GHashTable *by_id;   /* GBytes device id → guint8[16 + 32]: steunpunt, key */
};

KoersKnownDevices *
koers_known_devices_new (void)
{
  KoersKnownDevices *devices = g_new0 (KoersKnownDevices, 1);

  devices->by_id = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                          (GDestroyNotify) g_bytes_unref, g_free);
  return devices;
}

void
koers_known_devices_free (KoersKnownDevices *devices)
{
  if (devices == NULL)
    return;
  g_hash_table_unref (devices->by_id);
  g_free (devices);
}

void
koers_known_devices_add (KoersKnownDevices *devices,
                         const guint8      *device_id,
                         const guint8      *steunpunt_id,
                         const guint8      *sign_public)
{
  guint8 *entry = g_malloc (KOERS_SYNC_ID_BYTES + KOERS_SYNC_PUBLIC_BYTES);

  memcpy (entry, steunpunt_id, KOERS_SYNC_ID_BYTES);
  memcpy (entry + KOERS_SYNC_ID_BYTES, sign_public, KOERS_SYNC_PUBLIC_BYTES);
  g_hash_table_replace (devices->by_id, g_bytes_new (device_id, KOERS_SYNC_ID_BYTES), entry);
}

const guint8 *
koers_known_devices_lookup (const KoersKnownDevices *devices,
                            const guint8            *device_id,
                            const guint8           **steunpunt_id)
{
  g_autoptr (GBytes) key = g_bytes_new_static (device_id, KOERS_SYNC_ID_BYTES);
  const guint8 *entry = g_hash_table_lookup (devices->by_id, key);

  if (entry == NULL)
    return NULL;
  if (steunpunt_id != NULL)
    *steunpunt_id = entry;
  return entry + KOERS_SYNC_ID_BYTES;
}

/* big-endian helpers ---------------------------------------------------------- */

void
koers_sync_put_be (guint8 *out, guint64 value, guint bytes)
{
  for (guint i = 0; i < bytes; i++)
    out[i] = (guint8) (value >> (8 * (bytes - 1 - i)));
}

guint64
koers_sync_get_be (const guint8 *in, guint bytes)
{
  guint64 value = 0;

  for (guint i = 0; i < bytes; i++)
    value = value << 8 | in[i];
  return value;
}
