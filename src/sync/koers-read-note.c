/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-read-note.c: fixed header, fixed-size entries sorted by device
 * id, the reading device's signature (docs/sync-format.md, "Read note").
 * Nothing is allocated from a number in the file but the count, ≤ 1025. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "koers-read-note.h"

G_DEFINE_QUARK (koers-read-note-error-quark, koers_read_note_error)

#define MAGIC   "KOERSRED"
#define VERSION 1

enum
{
  OFF_VERSION = 8,
  OFF_STEUNPUNT = 10,
  OFF_DEVICE = 26,
  OFF_MADE = 42,
  OFF_COUNT = 50,
  HEADER = KOERS_READ_NOTE_HEADER,
  /* an entry */
  E_ID = 0,
  E_EPOCH = 16,
  E_SEQ = 20,
  E_HASH = 28,
  ENTRY = 60,
};

G_STATIC_ASSERT (E_HASH + KOERS_SYNC_HASH_BYTES == ENTRY);
G_STATIC_ASSERT (HEADER + KOERS_READ_NOTE_MAX_ENTRIES * ENTRY + KOERS_SYNC_SIGNATURE_BYTES
                 == KOERS_READ_NOTE_MAX_FILE);

#define FAIL(error, code, ...) \
  (g_set_error (error, KOERS_READ_NOTE_ERROR, KOERS_READ_NOTE_ERROR_##code, __VA_ARGS__), NULL)

KoersReadNote *
koers_read_note_new (const guint8 *steunpunt_id,
                     const guint8 *device_id,
                     gint64        made_ms)
{
  KoersReadNote *note = g_new0 (KoersReadNote, 1);

  memcpy (note->steunpunt_id, steunpunt_id, KOERS_SYNC_ID_BYTES);
  memcpy (note->device_id, device_id, KOERS_SYNC_ID_BYTES);
  note->made_ms = made_ms;
  note->entries = g_array_new (FALSE, TRUE, sizeof (KoersReadEntry));
  return note;
}

void
koers_read_note_free (KoersReadNote *note)
{
  if (note == NULL)
    return;
  g_array_unref (note->entries);
  g_free (note);
}

void
koers_read_note_add (KoersReadNote         *note,
                     const guint8          *device_id,
                     const KoersChainState *read)
{
  KoersReadEntry entry = { 0 };

  memcpy (entry.device_id, device_id, KOERS_SYNC_ID_BYTES);
  entry.read = *read;
  g_array_append_val (note->entries, entry);
}

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return memcmp (((const KoersReadEntry *) a)->device_id,
                 ((const KoersReadEntry *) b)->device_id, KOERS_SYNC_ID_BYTES);
}

/* The rules an entry keeps, for the writer and the reader alike: after
 * the one before it, not the writer itself, a batch that exists. */
static gboolean
entry_is_valid (const KoersReadNote  *note,
                const KoersReadEntry *entry,
                const KoersReadEntry *before)
{
  return (before == NULL || compare_entries (before, entry) < 0)
         && memcmp (entry->device_id, note->device_id, KOERS_SYNC_ID_BYTES) != 0
         && entry->read.epoch >= 1 && entry->read.last_seq >= 1
         && entry->read.last_seq <= G_MAXINT64 && entry->read.epoch <= G_MAXINT32;
}

GBytes *
koers_read_note_write (KoersReadNote      *note,
                       const KoersSyncKey *device_key,
                       GError            **error)
{
  gsize len = HEADER + note->entries->len * ENTRY + KOERS_SYNC_SIGNATURE_BYTES;
  g_autofree guint8 *out = NULL;

  g_return_val_if_fail (koers_sync_key_has_secret (device_key), NULL);
  g_array_sort (note->entries, compare_entries);
  if (note->entries->len > KOERS_READ_NOTE_MAX_ENTRIES || note->made_ms <= 0)
    return FAIL (error, FORMAT, _("The read note cannot be made: too many devices, or no time"));
  out = g_malloc0 (len);
  memcpy (out, MAGIC, 8);
  koers_sync_put_be (out + OFF_VERSION, VERSION, 2);
  memcpy (out + OFF_STEUNPUNT, note->steunpunt_id, KOERS_SYNC_ID_BYTES);
  memcpy (out + OFF_DEVICE, note->device_id, KOERS_SYNC_ID_BYTES);
  koers_sync_put_be (out + OFF_MADE, (guint64) note->made_ms, 8);
  koers_sync_put_be (out + OFF_COUNT, note->entries->len, 2);
  for (guint i = 0; i < note->entries->len; i++)
    {
      const KoersReadEntry *entry = &g_array_index (note->entries, KoersReadEntry, i);
      guint8 *e = out + HEADER + i * ENTRY;

      if (!entry_is_valid (note, entry, i > 0 ? entry - 1 : NULL))
        return FAIL (error, FORMAT, _("The read note cannot be made: a device is listed twice or without a batch"));
      memcpy (e + E_ID, entry->device_id, KOERS_SYNC_ID_BYTES);
      koers_sync_put_be (e + E_EPOCH, entry->read.epoch, 4);
      koers_sync_put_be (e + E_SEQ, entry->read.last_seq, 8);
      memcpy (e + E_HASH, entry->read.hash, KOERS_SYNC_HASH_BYTES);
    }
  koers_sync_sign (device_key, out, len - KOERS_SYNC_SIGNATURE_BYTES,
                   out + len - KOERS_SYNC_SIGNATURE_BYTES);
  return g_bytes_new_take (g_steal_pointer (&out), len);
}

KoersReadNote *
koers_read_note_read (GBytes        *file,
                      const guint8  *sign_public,
                      const guint8  *steunpunt_id,
                      const guint8  *device_id,
                      GError       **error)
{
  g_autoptr(KoersReadNote) note = NULL;
  gsize len, count;
  const guint8 *d;

  g_return_val_if_fail (file != NULL && sign_public != NULL, NULL);
  d = g_bytes_get_data (file, &len);
  if (len < HEADER + KOERS_SYNC_SIGNATURE_BYTES || len > KOERS_READ_NOTE_MAX_FILE)
    return FAIL (error, SIZE, _("A laptop's read note has an impossible size"));
  count = koers_sync_get_be (d + OFF_COUNT, 2);
  if (len != HEADER + count * ENTRY + KOERS_SYNC_SIGNATURE_BYTES)
    return FAIL (error, SIZE, _("A laptop's read note is cut short or too long"));
  if (memcmp (d, MAGIC, 8) != 0 || koers_sync_get_be (d + OFF_VERSION, 2) != VERSION)
    return FAIL (error, FORMAT, _("This is not a read note this program can read"));
  if (!koers_sync_verify (sign_public, d, len - KOERS_SYNC_SIGNATURE_BYTES,
                          d + len - KOERS_SYNC_SIGNATURE_BYTES))
    return FAIL (error, SIGNATURE, _("A read note is not signed by its laptop: it is ignored"));
  if ((steunpunt_id != NULL && memcmp (d + OFF_STEUNPUNT, steunpunt_id, KOERS_SYNC_ID_BYTES) != 0)
      || (device_id != NULL && memcmp (d + OFF_DEVICE, device_id, KOERS_SYNC_ID_BYTES) != 0))
    return FAIL (error, DEVICE, _("A read note is another laptop's or steunpunt's: it is ignored"));
  note = koers_read_note_new (d + OFF_STEUNPUNT, d + OFF_DEVICE,
                              (gint64) MIN (koers_sync_get_be (d + OFF_MADE, 8), (guint64) G_MAXINT64));
  if (count > KOERS_READ_NOTE_MAX_ENTRIES || note->made_ms <= 0)
    return FAIL (error, FORMAT, _("A read note has a field this program cannot use"));
  for (gsize i = 0; i < count; i++)
    {
      const guint8 *e = d + HEADER + i * ENTRY;
      KoersReadEntry entry = { 0 };

      memcpy (entry.device_id, e + E_ID, KOERS_SYNC_ID_BYTES);
      entry.read.epoch = (guint32) koers_sync_get_be (e + E_EPOCH, 4);
      entry.read.last_seq = koers_sync_get_be (e + E_SEQ, 8);
      memcpy (entry.read.hash, e + E_HASH, KOERS_SYNC_HASH_BYTES);
      if (!entry_is_valid (note, &entry, i > 0 ? &g_array_index (note->entries, KoersReadEntry, i - 1) : NULL))
        return FAIL (error, FORMAT, _("Entry %u of a read note cannot be used"), (guint) i + 1);
      g_array_append_val (note->entries, entry);
    }
  return g_steal_pointer (&note);
}
