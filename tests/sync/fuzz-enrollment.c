/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target for the enrollment parser, koers_enrollment_parse(). First
 * byte: bit 0 = put the fuzz office key in and sign again (so that
 * mutations reach the texts), bit 1 = expect that office. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-fuzz"

#include <string.h>

#include "fuzz-common.h"
#include "koers-enrollment.h"

#define OFF_OFFICE_SIGN 58

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const FuzzKeys *k = fuzz_keys ();
  const guint8 *office = koers_sync_key_get_public (k->office_sign);
  g_autoptr (GBytes) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersEnrollment) e = NULL;

  if (size == 0)
    return 0;
  if ((data[0] & 1) && size - 1 >= OFF_OFFICE_SIGN + KOERS_SYNC_PUBLIC_BYTES)
    {
      g_autofree guint8 *copy = g_memdup2 (data + 1, size - 1);

      memcpy (copy + OFF_OFFICE_SIGN, office, KOERS_SYNC_PUBLIC_BYTES);
      file = fuzz_resign (copy, size - 1, k->office_sign);
    }
  else
    file = g_bytes_new (data + 1, size - 1);
  e = koers_enrollment_parse (file, data[0] & 2 ? office : NULL, &error);
  if (e == NULL)
    fuzz_assert_refusal (error, KOERS_ENROLLMENT_ERROR);
  else
    g_assert_true (++fuzz_accepted && g_str_has_prefix (e->drop_url, "https://") && e->device_name[0] != '\0');
  return 0;
}

void
fuzz_make_corpus (const char *dir)
{
  const FuzzKeys *k = fuzz_keys ();
  g_autoptr (KoersEnrollment) e = koers_enrollment_new ();
  g_autoptr (GBytes) file = NULL;

  memcpy (e->steunpunt_id, k->steunpunt, KOERS_SYNC_ID_BYTES);
  memcpy (e->office_seal_public, koers_sync_key_get_public (k->office_seal), KOERS_SYNC_PUBLIC_BYTES);
  memcpy (e->office_sign_public, koers_sync_key_get_public (k->office_sign), KOERS_SYNC_PUBLIC_BYTES);
  memcpy (e->team_seal_public, koers_sync_key_get_public (k->team_seal), KOERS_SYNC_PUBLIC_BYTES);
  e->team_key_generation = 1;
  e->issued_at_ms = 1765000000000;
  e->drop_url = g_strdup ("https://drop.example.nl/dav/");
  e->drop_user = g_strdup ("steunpunt");
  e->drop_password = g_strdup ("app-password");
  e->device_name = g_strdup ("Laptop \u1218\u1235\u1348\u1295");
  e->ca_pem = g_strdup ("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
  file = koers_enrollment_make (e, k->office_sign, NULL);
  g_assert_nonnull (file);
  for (guint8 mode = 0; mode < 4; mode++)
    {
      g_autofree char *name = g_strdup_printf ("enrollment-%u", mode);
      fuzz_write_seed (dir, name, mode, g_bytes_get_data (file, NULL), g_bytes_get_size (file));
    }
}
