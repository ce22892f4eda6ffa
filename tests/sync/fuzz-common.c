/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-fuzz"

#include <sodium.h>
#include <string.h>

#include "fuzz-common.h"

guint fuzz_accepted;

static KoersSyncKey *
seeded (KoersSyncKeyKind kind, guint8 first)
{
  guint8 seed[KOERS_SYNC_SEED_BYTES];

  for (guint i = 0; i < sizeof seed; i++)
    seed[i] = (guint8) (first + i);
  return koers_sync_key_new_from_seed (kind, seed);
}

const FuzzKeys *
fuzz_keys (void)
{
  static FuzzKeys keys;

  if (keys.device == NULL)
    {
      if (sodium_init () < 0)
        g_error ("libsodium cannot start");
      keys.device = seeded (KOERS_SYNC_KEY_SIGN, 0xa0);
      keys.office_seal = seeded (KOERS_SYNC_KEY_SEAL, 0xc0);
      keys.office_sign = seeded (KOERS_SYNC_KEY_SIGN, 0xe0);
      keys.team_seal = seeded (KOERS_SYNC_KEY_SEAL, 0x40);
      for (guint i = 0; i < KOERS_SYNC_ID_BYTES; i++)
        {
          keys.steunpunt[i] = (guint8) (0x10 + i);
          keys.device_id[i] = (guint8) (0x30 + i);
        }
      keys.devices = koers_known_devices_new ();
      koers_known_devices_add (keys.devices, keys.device_id, keys.steunpunt,
                               koers_sync_key_get_public (keys.device));
    }
  return &keys;
}

GBytes *
fuzz_resign (const guint8       *data,
             gsize               len,
             const KoersSyncKey *key)
{
  guint8 *copy = g_memdup2 (data, len);

  if (len >= KOERS_SYNC_SIGNATURE_BYTES)
    koers_sync_sign (key, copy, len - KOERS_SYNC_SIGNATURE_BYTES, copy + len - KOERS_SYNC_SIGNATURE_BYTES);
  return g_bytes_new_take (copy, len);
}

void
fuzz_assert_refusal (const GError *error,
                     GQuark        domain)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == domain);
  g_assert_true (error->message[0] != '\0' && strchr (error->message, '\n') == NULL);
}

void
fuzz_write_seed (const char   *dir,
                 const char   *name,
                 guint8        mode,
                 const guint8 *data,
                 gsize         len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree guint8 *bytes = g_malloc (len + 1);
  g_autoptr (GError) error = NULL;

  bytes[0] = mode;
  memcpy (bytes + 1, data, len);
  if (!g_file_set_contents (path, (const char *) bytes, (gssize) len + 1, &error))
    g_error ("%s", error->message);
}

#ifndef KOERS_LIBFUZZER
/* Without libFuzzer: replay the files or folders given, as one TAP test;
 * `--make-corpus DIR` writes the seed corpus. */
static guint
replay (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;
  guint n = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          n += replay (child);
        }
      return n;
    }
  if (!g_file_get_contents (path, &contents, &length, NULL))
    g_error ("cannot read %s", path);
  LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
  /* and every input cut short, as a fuzzer would */
  for (gsize cut = 0; cut < length; cut += 1 + cut / 2)
    LLVMFuzzerTestOneInput ((const uint8_t *) contents, cut);
  return 1;
}

int
main (int argc, char *argv[])
{
  guint n = 0;

  if (argc == 3 && strcmp (argv[1], "--make-corpus") == 0)
    {
      g_mkdir_with_parents (argv[2], 0755);
      fuzz_make_corpus (argv[2]);
      return 0;
    }
  for (int i = 1; i < argc; i++)
    n += replay (argv[i]);
  /* the corpus's whole files must still be accepted, or it went stale */
  g_print ("1..1\n%s 1 - %u inputs replayed, %u accepted\n",
           n > 0 && fuzz_accepted > 0 ? "ok" : "not ok", n, fuzz_accepted);
  return 0;
}
#endif
