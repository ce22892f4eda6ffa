/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-keyfile.h: the key slots in `koers.keys` (internal to src/vault/).
 *
 * Each slot wraps the vault's master key under a key that Argon2id derives
 * from a passphrase (or the recovery key) with the slot's own salt and
 * cost. The file is replaced atomically; it never holds client data.
 */
#pragma once

#include <glib.h>
#include "koers-cipher.h"

G_BEGIN_DECLS

#define KOERS_SALT_BYTES     16

typedef enum
{
  KOERS_SLOT_PERSON,
  KOERS_SLOT_RECOVERY,
} KoersSlotKind;

typedef struct
{
  KoersSlotKind kind;
  char   *name;        /* NULL for the recovery slot */
  guint64 opslimit;
  gsize   memlimit;
  guint8  salt[KOERS_SALT_BYTES];
  guint8  nonce[KOERS_NONCE_BYTES];
  guint8  wrapped[KOERS_KEY_BYTES + KOERS_TAG_BYTES];
} KoersSlot;

/* One generation: a database id and the slots that open its master key. */
typedef struct
{
  guint8     db_id[KOERS_DB_ID_BYTES];
  GPtrArray *slots;   /* of KoersSlot */
} KoersKeyring;

typedef struct
{
  guint         format;   /* KOERS_FORMAT_OLDEST..KOERS_FORMAT_NEWEST */
  KoersKeyring *current;
  KoersKeyring *pending;  /* a rekey in progress, or NULL */
} KoersKeyfile;

KoersKeyring *koers_keyring_new        (const guint8 *db_id);
void          koers_keyring_free       (KoersKeyring *ring);
KoersSlot    *koers_keyring_find       (KoersKeyring *ring,
                                        KoersSlotKind kind,
                                        const char   *name);

void          koers_slot_free          (KoersSlot *slot);

/* Derives the slot key from @secret with the slot's salt and cost into
 * @slot_key (KOERS_KEY_BYTES of sodium_malloc memory). */
gboolean      koers_slot_derive_key    (const KoersSlot *slot,
                                        const char      *secret,
                                        guint8          *slot_key);
/* A new slot: fresh salt; wraps @master_key under the key derived from
 * @secret. Fills @slot_key if not NULL. */
KoersSlot    *koers_slot_new           (KoersSlotKind    kind,
                                        const char      *name,
                                        const char      *secret,
                                        guint64          opslimit,
                                        gsize            memlimit,
                                        const guint8    *db_id,
                                        const guint8    *master_key,
                                        guint8          *slot_key);
void          koers_slot_wrap          (KoersSlot       *slot,
                                        const guint8    *db_id,
                                        const guint8    *slot_key,
                                        const guint8    *master_key);
gboolean      koers_slot_unwrap        (const KoersSlot *slot,
                                        const guint8    *db_id,
                                        const guint8    *slot_key,
                                        guint8          *master_key);

KoersKeyfile *koers_keyfile_load       (const char   *path,
                                        GError      **error);
gboolean      koers_keyfile_save       (KoersKeyfile *keyfile,
                                        const char   *path,
                                        GError      **error);
void          koers_keyfile_free       (KoersKeyfile *keyfile);

/* The printable recovery key: 40 Crockford base32 characters (200 bits) in
 * groups of five. Parsing forgives case, spaces, dashes, O/0 and I/L/1. */
char         *koers_recovery_key_generate (void);
char         *koers_recovery_key_normalize (const char *typed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersKeyfile, koers_keyfile_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersKeyring, koers_keyring_free)

G_END_DECLS
