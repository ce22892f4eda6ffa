/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The keys, ids and registry the sync formats share. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include <sodium.h>
#include <string.h>

#include "koers-sync-keys.h"
#include "koers-team-keys.h"

static void
test_seeded_keys (void)
{
  guint8 seed[32];
  g_autoptr (KoersSyncKey) a = NULL;
  g_autoptr (KoersSyncKey) b = NULL;
  g_autoptr (KoersSyncKey) seal = NULL;
  g_autoptr (KoersSyncKey) pub = NULL;
  guint8 pk[32], sk[64], x[32], sig[64];

  for (guint i = 0; i < 32; i++)
    seed[i] = (guint8) (i * 7);
  a = koers_sync_key_new_from_seed (KOERS_SYNC_KEY_SIGN, seed);
  b = koers_sync_key_new_from_seed (KOERS_SYNC_KEY_SIGN, seed);
  seal = koers_sync_key_new_from_seed (KOERS_SYNC_KEY_SEAL, seed);
  /* as libsodium makes them from the same seed */
  crypto_sign_seed_keypair (pk, sk, seed);
  crypto_scalarmult_base (x, seed);
  g_assert_cmpmem (koers_sync_key_get_public (a), 32, pk, 32);
  g_assert_cmpmem (koers_sync_key_get_public (b), 32, pk, 32);
  g_assert_cmpmem (koers_sync_key_get_secret (a), 64, sk, 64);
  g_assert_cmpmem (koers_sync_key_get_seed (a), 32, seed, 32);
  g_assert_cmpmem (koers_sync_key_get_public (seal), 32, x, 32);
  g_assert_cmpint (koers_sync_key_get_kind (seal), ==, KOERS_SYNC_KEY_SEAL);

  koers_sync_sign (a, (const guint8 *) "hallo", 5, sig);
  g_assert_true (koers_sync_verify (pk, (const guint8 *) "hallo", 5, sig));
  g_assert_false (koers_sync_verify (pk, (const guint8 *) "hallO", 5, sig));
  g_assert_false (koers_sync_verify (koers_sync_key_get_public (seal), (const guint8 *) "hallo", 5, sig));

  pub = koers_sync_key_copy_public (a);
  g_assert_false (koers_sync_key_has_secret (pub));
  g_assert_null (koers_sync_key_get_seed (pub));
  g_assert_null (koers_sync_key_get_secret (pub));
  g_assert_true (koers_sync_key_has_secret (a));
  sodium_memzero (sk, sizeof sk);
}

static void
test_generated_differ (void)
{
  g_autoptr (KoersSyncKey) a = koers_sync_key_generate (KOERS_SYNC_KEY_SEAL);
  g_autoptr (KoersSyncKey) b = koers_sync_key_generate (KOERS_SYNC_KEY_SEAL);

  g_assert_false (memcmp (koers_sync_key_get_public (a), koers_sync_key_get_public (b), 32) == 0);
}

static void
test_fingerprint (void)
{
  guint8 seed[32] = { 0 };
  g_autoptr (KoersSyncKey) key = koers_sync_key_new_from_seed (KOERS_SYNC_KEY_SIGN, seed);
  g_autofree char *fp = koers_sync_key_fingerprint (key);
  g_auto (GStrv) groups = g_strsplit (fp, " ", -1);
  guint8 hash[32];
  char first[5];

  g_assert_cmpuint (g_strv_length (groups), ==, 8);
  for (guint i = 0; i < 8; i++)
    g_assert_cmpuint (strlen (groups[i]), ==, 4);
  koers_sync_hash (koers_sync_key_get_public (key), 32, hash);
  g_snprintf (first, sizeof first, "%02x%02x", hash[0], hash[1]);
  g_assert_cmpstr (groups[0], ==, first);
}

static void
test_uuid_ids (void)
{
  static const char uuid[] = "0198e1b2-4c3d-7e5f-8a9b-0c1d2e3f4a5b";
  static const char *const bad[] = {
    "0198e1b2-4c3d-7e5f-8a9b-0c1d2e3f4a5", "0198E1B2-4c3d-7e5f-8a9b-0c1d2e3f4a5b",
    "0198e1b2x4c3d-7e5f-8a9b-0c1d2e3f4a5b", "0198e1b2-4c3d-7e5f-8a9b-0c1d2e3f4a5g", "", NULL,
  };
  guint8 id[16];
  g_autofree char *back = NULL;

  g_assert_true (koers_sync_id_from_uuid (uuid, id));
  g_assert_cmpuint (id[0], ==, 0x01);
  g_assert_cmpuint (id[15], ==, 0x5b);
  back = koers_sync_id_to_uuid (id);
  g_assert_cmpstr (back, ==, uuid);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (koers_sync_id_from_uuid (bad[i], id));
}

static void
test_known_devices (void)
{
  g_autoptr (KoersKnownDevices) devices = koers_known_devices_new ();
  guint8 device[16] = { 1 }, other[16] = { 2 }, sp1[16] = { 9 }, sp2[16] = { 8 }, k1[32] = { 3 }, k2[32] = { 4 };
  const guint8 *sp = NULL;

  g_assert_null (koers_known_devices_lookup (devices, device, &sp));
  koers_known_devices_add (devices, device, sp1, k1);
  g_assert_cmpmem (koers_known_devices_lookup (devices, device, &sp), 32, k1, 32);
  g_assert_cmpmem (sp, 16, sp1, 16);
  g_assert_null (koers_known_devices_lookup (devices, other, NULL));
  /* a device moved to another steunpunt with a new key */
  koers_known_devices_add (devices, device, sp2, k2);
  g_assert_cmpmem (koers_known_devices_lookup (devices, device, &sp), 32, k2, 32);
  g_assert_cmpmem (sp, 16, sp2, 16);
}

static void
test_big_endian (void)
{
  guint8 b[8];

  koers_sync_put_be (b, G_GUINT64_CONSTANT (0x0102030405060708), 8);
  g_assert_cmpuint (b[0], ==, 1);
  g_assert_cmpuint (b[7], ==, 8);
  g_assert_cmpuint (koers_sync_get_be (b, 8), ==, G_GUINT64_CONSTANT (0x0102030405060708));
  koers_sync_put_be (b, 0xabcd, 2);
  g_assert_cmpuint (b[0], ==, 0xab);
  g_assert_cmpuint (koers_sync_get_be (b, 2), ==, 0xabcd);
}

/* The team key chain (docs/sync-format.md, "Team key generations"): each
 * generation's secret hashes to the one before it as documented, the far
 * end is the seed, and nothing leads from an older secret to a newer. */
static void
test_team_key_chain (void)
{
  guint8 seed[32], older[32], expected[32];
  guint8 message[16] = "KoersTeamKey";
  g_autoptr (KoersSyncKey) g3 = NULL;
  g_autoptr (KoersSyncKey) g2 = NULL;
  g_autoptr (KoersSyncKey) last = NULL;

  for (guint i = 0; i < 32; i++)
    seed[i] = (guint8) (0x40 + i);
  g3 = koers_team_key_from_chain (seed, 3);
  g2 = koers_team_key_from_chain (seed, 2);
  last = koers_team_key_from_chain (seed, KOERS_TEAM_KEY_LAST_GENERATION);
  g_assert_cmpmem (koers_sync_key_get_seed (last), 32, seed, 32);
  g_assert_cmpint (koers_sync_key_get_kind (g3), ==, KOERS_SYNC_KEY_SEAL);
  /* by hand: BLAKE2b-256 keyed with generation 3's secret of
   * "KoersTeamKey" ‖ be32 (2) */
  message[15] = 2;
  crypto_generichash (expected, 32, message, sizeof message, koers_sync_key_get_seed (g3), 32);
  koers_team_key_older (koers_sync_key_get_seed (g3), 3, older);
  g_assert_cmpmem (older, 32, expected, 32);
  g_assert_cmpmem (older, 32, koers_sync_key_get_seed (g2), 32);
  /* in place, as the ring derives */
  memcpy (older, koers_sync_key_get_seed (g3), 32);
  koers_team_key_older (older, 3, older);
  g_assert_cmpmem (older, 32, koers_sync_key_get_seed (g2), 32);
  /* generation 2's secret with the rule for 3 does not give 3 */
  koers_team_key_older (koers_sync_key_get_seed (g2), 3, older);
  g_assert_false (memcmp (older, koers_sync_key_get_seed (g3), 32) == 0);
  g_assert_false (memcmp (koers_sync_key_get_public (g2), koers_sync_key_get_public (g3), 32) == 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_test_add_func ("/sync/keys/seeded", test_seeded_keys);
  g_test_add_func ("/sync/keys/generated-differ", test_generated_differ);
  g_test_add_func ("/sync/keys/fingerprint", test_fingerprint);
  g_test_add_func ("/sync/keys/uuid-ids", test_uuid_ids);
  g_test_add_func ("/sync/keys/known-devices", test_known_devices);
  g_test_add_func ("/sync/keys/big-endian", test_big_endian);
  g_test_add_func ("/sync/keys/team-key-chain", test_team_key_chain);
  return g_test_run ();
}
