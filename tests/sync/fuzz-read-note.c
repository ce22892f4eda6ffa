/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fuzz target for the read note reader, koers_read_note_read(): what the
 * office reads from each laptop's folder (docs/sync-format.md, "Read
 * note"). First byte: bit 0 = sign the rest again with the fuzz device's
 * key first (so that mutations reach the fields), bit 1 = check the
 * steunpunt and the device. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-fuzz"

#include <string.h>

#include "fuzz-common.h"
#include "koers-read-note.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const FuzzKeys *k = fuzz_keys ();
  g_autoptr (GBytes) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersReadNote) note = NULL;
  gboolean checked;

  if (size == 0)
    return 0;
  checked = (data[0] & 2) != 0;
  file = data[0] & 1 ? fuzz_resign (data + 1, size - 1, k->device) : g_bytes_new (data + 1, size - 1);
  note = koers_read_note_read (file, koers_sync_key_get_public (k->device),
                               checked ? k->steunpunt : NULL, checked ? k->device_id : NULL, &error);
  if (note == NULL)
    {
      fuzz_assert_refusal (error, KOERS_READ_NOTE_ERROR);
      return 0;
    }
  fuzz_accepted++;
  g_assert_cmpuint (note->entries->len, <=, KOERS_READ_NOTE_MAX_ENTRIES);
  g_assert_cmpint (note->made_ms, >, 0);
  for (guint i = 0; i < note->entries->len; i++)
    {
      const KoersReadEntry *entry = &g_array_index (note->entries, KoersReadEntry, i);

      g_assert_cmpuint (entry->read.epoch, >=, 1);
      g_assert_cmpuint (entry->read.last_seq, >=, 1);
      g_assert_true (i == 0 || memcmp ((entry - 1)->device_id, entry->device_id, KOERS_SYNC_ID_BYTES) < 0);
    }
  return 0;
}

void
fuzz_make_corpus (const char *dir)
{
  const FuzzKeys *k = fuzz_keys ();
  g_autoptr (KoersReadNote) note = koers_read_note_new (k->steunpunt, k->device_id, 1765000000000);
  g_autoptr (GBytes) file = NULL;
  guint8 office[KOERS_SYNC_ID_BYTES] = { 0 };
  guint8 other[KOERS_SYNC_ID_BYTES];
  KoersChainState read = { 1, 42, { 0 } };

  memset (other, 0xee, sizeof other);
  memset (read.hash, 0x5c, sizeof read.hash);
  koers_read_note_add (note, other, &read);
  read.last_seq = 7;
  koers_read_note_add (note, office, &read);
  file = koers_read_note_write (note, k->device, NULL);
  g_assert_nonnull (file);
  for (guint8 mode = 0; mode < 4; mode++)
    {
      g_autofree char *name = g_strdup_printf ("read-note-%u", mode);
      fuzz_write_seed (dir, name, mode, g_bytes_get_data (file, NULL), g_bytes_get_size (file));
    }
}
