/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target for the device list reader, koers_device_list_read() (and,
 * for a list it accepts, opening the team key and refusing batches).
 * First byte: bit 0 = sign the rest again with the office key first (so
 * that mutations reach the fields), bit 1 = check the steunpunt and a
 * minimum serial of 2. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-fuzz"

#include <string.h>

#include "fuzz-common.h"
#include "koers-device-list.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const FuzzKeys *k = fuzz_keys ();
  g_autoptr (GBytes) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersDeviceList) list = NULL;
  g_autoptr (KoersSyncKey) team = NULL;
  gboolean checked;

  if (size == 0)
    return 0;
  checked = (data[0] & 2) != 0;
  file = data[0] & 1 ? fuzz_resign (data + 1, size - 1, k->office_sign) : g_bytes_new (data + 1, size - 1);
  list = koers_device_list_read (file, koers_sync_key_get_public (k->office_sign),
                                 checked ? k->steunpunt : NULL, checked ? 2 : 0, &error);
  if (list == NULL)
    {
      fuzz_assert_refusal (error, KOERS_DEVICE_LIST_ERROR);
      return 0;
    }
  fuzz_accepted++;
  g_assert_cmpuint (list->devices->len, <=, KOERS_DEVICE_LIST_MAX_DEVICES);
  team = koers_device_list_open_team_key (list, k->device_id, k->device, &error);
  if (team == NULL)
    fuzz_assert_refusal (error, KOERS_DEVICE_LIST_ERROR);
  (void) koers_device_list_refuses (list, k->device_id, 1, 1);
  return 0;
}

void
fuzz_make_corpus (const char *dir)
{
  const FuzzKeys *k = fuzz_keys ();
  g_autoptr (KoersDeviceList) list = koers_device_list_new (k->steunpunt, 2, 1765000000000, 1,
                                                            koers_sync_key_get_public (k->team_seal));
  g_autoptr (KoersSyncKey) other = koers_sync_key_new_from_seed (KOERS_SYNC_KEY_SIGN, k->device_id);
  g_autoptr (GBytes) file = NULL;
  guint8 other_id[KOERS_SYNC_ID_BYTES];

  memset (other_id, 0xee, sizeof other_id);
  koers_device_list_add (list, k->device_id, koers_sync_key_get_public (k->device), FALSE, 0, 0);
  koers_device_list_add (list, other_id, koers_sync_key_get_public (other), TRUE, 1, 9);
  file = koers_device_list_write (list, k->team_seal, k->office_sign, NULL);
  g_assert_nonnull (file);
  for (guint8 mode = 0; mode < 4; mode++)
    {
      g_autofree char *name = g_strdup_printf ("device-list-%u", mode);
      fuzz_write_seed (dir, name, mode, g_bytes_get_data (file, NULL), g_bytes_get_size (file));
    }
}
