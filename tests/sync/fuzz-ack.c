/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target for the acknowledgement reader, koers_ack_read(). First
 * byte: bit 0 = sign the rest again with the office key first (so that
 * mutations reach the fields), bit 1 = check the laptop's own ids. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-fuzz"

#include <string.h>

#include "fuzz-common.h"
#include "koers-ack.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const FuzzKeys *k = fuzz_keys ();
  g_autoptr (GBytes) file = NULL;
  g_autoptr (GError) error = NULL;
  gboolean own_ids;
  KoersAck ack;

  if (size == 0)
    return 0;
  own_ids = (data[0] & 2) != 0;
  file = data[0] & 1 ? fuzz_resign (data + 1, size - 1, k->office_sign) : g_bytes_new (data + 1, size - 1);
  if (koers_ack_read (file, koers_sync_key_get_public (k->office_sign), own_ids ? k->steunpunt : NULL,
                      own_ids ? k->device_id : NULL, &ack, &error))
    g_assert_true (++fuzz_accepted && (!own_ids || memcmp (ack.device_id, k->device_id, KOERS_SYNC_ID_BYTES) == 0));
  else
    fuzz_assert_refusal (error, KOERS_ACK_ERROR);
  return 0;
}

void
fuzz_make_corpus (const char *dir)
{
  const FuzzKeys *k = fuzz_keys ();
  KoersAck ack = { .acked = { .epoch = 1, .last_seq = 3 }, .at_ms = 1765000000000 };
  g_autoptr (GBytes) file = NULL;

  memcpy (ack.steunpunt_id, k->steunpunt, KOERS_SYNC_ID_BYTES);
  memcpy (ack.device_id, k->device_id, KOERS_SYNC_ID_BYTES);
  memset (ack.acked.hash, 0x54, sizeof ack.acked.hash);
  file = koers_ack_write (&ack, k->office_sign);
  for (guint8 mode = 0; mode < 4; mode++)
    {
      g_autofree char *name = g_strdup_printf ("ack-%u", mode);
      fuzz_write_seed (dir, name, mode, g_bytes_get_data (file, NULL), g_bytes_get_size (file));
    }
}
