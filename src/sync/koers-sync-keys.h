/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-keys.h: keys, ids and hashes shared by the sync formats
 * (docs/sync-format.md).
 *
 * API overview
 *   KoersSyncKey      one key of a kind: an Ed25519 signing key (devices,
 *                     the office) or an X25519 sealing key (the office, a
 *                     steunpunt's team). Public only, or with its secret;
 *                     the secret (a 32-byte seed) lives in sodium_malloc
 *                     memory and is wiped when the key is freed. A device
 *                     stores the seed in its vault and rebuilds the key
 *                     with koers_sync_key_new_from_seed().
 *   KoersKnownDevices the devices a reader trusts: device id → its
 *                     steunpunt and its Ed25519 public key.
 *   ids               steunpunt and device ids are UUIDs in text and 16
 *                     bytes in the formats (koers_sync_id_from_uuid()).
 *   hashes            BLAKE2b-256 of a whole file (koers_sync_hash()): what
 *                     a chain, an acknowledgement and a re-upload compare.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KOERS_SYNC_ID_BYTES        16
#define KOERS_SYNC_HASH_BYTES      32
#define KOERS_SYNC_PUBLIC_BYTES    32
#define KOERS_SYNC_SEED_BYTES      32
#define KOERS_SYNC_SIGNATURE_BYTES 64

typedef enum
{
  KOERS_SYNC_KEY_SIGN,   /* Ed25519: signs batches (device), acks and enrollments (office) */
  KOERS_SYNC_KEY_SEAL,   /* X25519: batches are sealed to it (office, team) */
} KoersSyncKeyKind;

typedef struct _KoersSyncKey KoersSyncKey;

/* A new random key with its secret. */
KoersSyncKey    *koers_sync_key_generate         (KoersSyncKeyKind kind);
/* The key whose secret is @seed (KOERS_SYNC_SEED_BYTES): for Ed25519 the
 * seed of crypto_sign_seed_keypair(), for X25519 the secret scalar itself. */
KoersSyncKey    *koers_sync_key_new_from_seed    (KoersSyncKeyKind kind,
                                                  const guint8    *seed);
/* A public key alone (KOERS_SYNC_PUBLIC_BYTES). */
KoersSyncKey    *koers_sync_key_new_public       (KoersSyncKeyKind kind,
                                                  const guint8    *public_key);
KoersSyncKey    *koers_sync_key_copy_public      (const KoersSyncKey *key);
void             koers_sync_key_free             (KoersSyncKey *key);

KoersSyncKeyKind koers_sync_key_get_kind         (const KoersSyncKey *key);
const guint8    *koers_sync_key_get_public       (const KoersSyncKey *key);
gboolean         koers_sync_key_has_secret       (const KoersSyncKey *key);
/* The seed to keep in the vault; NULL for a public key. Never log it. */
const guint8    *koers_sync_key_get_seed         (const KoersSyncKey *key);
/* The 64-byte libsodium secret key (Ed25519) or the 32-byte scalar
 * (X25519); NULL for a public key. */
const guint8    *koers_sync_key_get_secret       (const KoersSyncKey *key);
/* A short form for people to compare by phone: the first 16 bytes of
 * BLAKE2b-256 of the public key in hex, in groups of four. */
char            *koers_sync_key_fingerprint      (const KoersSyncKey *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersSyncKey, koers_sync_key_free)

/* Ed25519 detached signature of @data by @key (a signing key with its
 * secret) into @signature (KOERS_SYNC_SIGNATURE_BYTES). */
void             koers_sync_sign                 (const KoersSyncKey *key,
                                                  const guint8       *data,
                                                  gsize               len,
                                                  guint8             *signature);
gboolean         koers_sync_verify               (const guint8       *public_key,
                                                  const guint8       *data,
                                                  gsize               len,
                                                  const guint8       *signature);

/* ids ---------------------------------------------------------------------- */

/* TRUE if @uuid is a canonical lower-case UUID; its 16 bytes into @id. */
gboolean         koers_sync_id_from_uuid         (const char   *uuid,
                                                  guint8       *id);
char            *koers_sync_id_to_uuid           (const guint8 *id);

/* BLAKE2b-256 of @len bytes at @data into @hash. */
void             koers_sync_hash                 (const guint8 *data,
                                                  gsize         len,
                                                  guint8       *hash);
char            *koers_sync_hash_to_hex          (const guint8 *hash);

/* known devices ------------------------------------------------------------ */

typedef struct _KoersKnownDevices KoersKnownDevices;

KoersKnownDevices *koers_known_devices_new       (void);
void               koers_known_devices_free      (KoersKnownDevices *devices);
/* Registers (or replaces) a device: its id, its steunpunt, its Ed25519
 * public key (KOERS_SYNC_PUBLIC_BYTES). */
void               koers_known_devices_add       (KoersKnownDevices *devices,
                                                  const guint8      *device_id,
                                                  const guint8      *steunpunt_id,
                                                  const guint8      *sign_public);
/* The device's public key and steunpunt, or NULL when it is unknown. */
const guint8      *koers_known_devices_lookup    (const KoersKnownDevices *devices,
                                                  const guint8            *device_id,
                                                  const guint8           **steunpunt_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersKnownDevices, koers_known_devices_free)

/* big-endian byte helpers used by the three formats ------------------------ */

void     koers_sync_put_be  (guint8 *out, guint64 value, guint bytes);
guint64  koers_sync_get_be  (const guint8 *in, guint bytes);

G_END_DECLS
