/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-team-keys.h: a steunpunt's team keys by generation
 * (docs/sync-format.md, "Team key generations").
 *
 * The office replaces a steunpunt's team key (X25519) after a laptop is
 * lost: generation g + 1, sealed in the device list to every device still
 * active. The secrets form a reversed hash chain: generation g − 1's
 * secret is koers_team_key_older() of generation g's. The office draws a
 * chain seed (its vault only) and takes generation g as the seed hashed
 * down from KOERS_TEAM_KEY_LAST_GENERATION. Whoever holds generation g so
 * computes every older one — a laptop that was offline across two
 * rotations, or enrolled after one, still opens its colleagues' older
 * batches — and none newer: the revoked laptop's key tells nothing about
 * the next one.
 *
 * API overview
 *   Office:  key = koers_team_key_from_chain (seed, generation);
 *   Laptop:  its key ring, in its vault only (setting "team.keys": every
 *            generation it received from a device list):
 *     koers_team_keys_remember (store, generation, key, &error);
 *     keys = koers_team_keys_load (store, &error);   received + derived
 *     key = koers_team_keys_for_batch (keys, file, &generation);
 *     koers_team_keys_seal_public (store, enrollment, public);  newest
 */
#pragma once

#include "koers-enrollment.h"
#include "koers-store.h"
#include "koers-sync-keys.h"

G_BEGIN_DECLS

/* The vault setting of the laptop's ring: n × (4-byte generation, 32-byte
 * secret), ascending generations. */
#define KOERS_SYNC_SETTING_TEAM_KEYS "team.keys"

/* The chain's far end: generation 1 is the seed hashed this many − 1 times. */
#define KOERS_TEAM_KEY_LAST_GENERATION 65535
/* How many generations a laptop derives below one it received. */
#define KOERS_TEAM_KEY_MAX_DERIVED     1024

/* @older = the secret of generation @generation − 1, from @secret (32
 * bytes) of @generation (≥ 2): BLAKE2b-256 keyed with @secret of
 * "KoersTeamKey" ‖ be32 (@generation − 1). */
void          koers_team_key_older       (const guint8 *secret,
                                          guint32       generation,
                                          guint8       *older);

/* Generation @generation (1 … KOERS_TEAM_KEY_LAST_GENERATION) of the chain
 * that ends in @seed (32 bytes): an X25519 key with its secret. */
KoersSyncKey *koers_team_key_from_chain  (const guint8 *seed,
                                          guint32       generation);

typedef struct _KoersTeamKeys KoersTeamKeys;

/* The ring kept in @store's vault, each received key with the older
 * generations derived from it (a received key wins over a derived one).
 * Empty when none was received; NULL only when the vault fails. */
G_GNUC_WARN_UNUSED_RESULT
KoersTeamKeys      *koers_team_keys_load       (KoersStore         *store,
                                                GError            **error);
void                koers_team_keys_free       (KoersTeamKeys      *keys);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersTeamKeys, koers_team_keys_free)

/* Keeps @key (X25519 with its secret) as generation @generation in the
 * vault's ring; nothing is written when it is there already. */
G_GNUC_WARN_UNUSED_RESULT
gboolean            koers_team_keys_remember   (KoersStore         *store,
                                                guint32             generation,
                                                const KoersSyncKey *key,
                                                GError            **error);

/* The key of @generation, received or derived; NULL when unknown. */
const KoersSyncKey *koers_team_keys_get        (const KoersTeamKeys *keys,
                                                guint32              generation);
/* The newest generation received (0: none). */
guint32             koers_team_keys_newest     (const KoersTeamKeys *keys);

/* The key that a recipient stanza of the batch @file names (read from its
 * clear header; nothing is verified here, koers_envelope_open() does
 * that), and its generation; NULL when the batch names none of them. */
const KoersSyncKey *koers_team_keys_for_batch  (const KoersTeamKeys *keys,
                                                GBytes              *file,
                                                guint32             *generation);

/* The key to open @file with: the generation it names, else @fallback
 * (the reader then says which recipient is missing). */
const KoersSyncKey *koers_team_keys_recipient  (const KoersTeamKeys *keys,
                                                GBytes              *file,
                                                const KoersSyncKey  *fallback);

/* The team's public key that new batches are sealed to: the kept device
 * list's when its generation is not older than the enrollment's, else the
 * enrollment's. */
void                koers_team_keys_seal_public (KoersStore            *store,
                                                 const KoersEnrollment *enrollment,
                                                 guint8                *team_public);

G_END_DECLS
