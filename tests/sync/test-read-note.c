/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-read-note.c: a laptop's signed read note (docs/sync-format.md,
 * "Read note"): made and read back, every check of the reader in its
 * order, and the writer refusing what the reader would refuse. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-test"

#include <string.h>

#include "koers-read-note.h"

typedef struct
{
  KoersSyncKey *device;
  KoersSyncKey *stranger;
  guint8        device_id[KOERS_SYNC_ID_BYTES];
  guint8        steunpunt[KOERS_SYNC_ID_BYTES];
  guint8        colleague[KOERS_SYNC_ID_BYTES];
  guint8        office[KOERS_SYNC_ID_BYTES];
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->device = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  f->stranger = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  memset (f->device_id, 0x31, sizeof f->device_id);
  memset (f->steunpunt, 0x51, sizeof f->steunpunt);
  memset (f->colleague, 0xc0, sizeof f->colleague);
  g_assert_true (koers_sync_id_from_uuid (KOERS_SYNC_OFFICE_UUID, f->office));
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  koers_sync_key_free (f->device);
  koers_sync_key_free (f->stranger);
}

static KoersChainState
state (guint32 epoch, guint64 last_seq, guint8 fill)
{
  KoersChainState s = { epoch, last_seq, { 0 } };

  memset (s.hash, fill, sizeof s.hash);
  return s;
}

/* The colleague (read up to 2/40) and the office folder (1/7), added in
 * another order than their ids sort. */
static GBytes *
make_note (Fixture *f, const KoersSyncKey *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersReadNote) note = koers_read_note_new (f->steunpunt, f->device_id, 1765000000000);
  KoersChainState colleague = state (2, 40, 0xaa), office = state (1, 7, 0xbb);
  GBytes *file;

  koers_read_note_add (note, f->colleague, &colleague);
  koers_read_note_add (note, f->office, &office);
  file = koers_read_note_write (note, key, &error);
  g_assert_no_error (error);
  return file;
}

static KoersReadNote *
read_note (Fixture *f, GBytes *file, GError **error)
{
  return koers_read_note_read (file, koers_sync_key_get_public (f->device), f->steunpunt,
                               f->device_id, error);
}

/* A copy of @file with byte @at xor @mask, signed again by the device
 * when @resign (so the fields' checks are reached). */
static GBytes *
altered (Fixture *f, GBytes *file, gsize at, guint8 mask, gboolean resign)
{
  gsize len;
  guint8 *copy = g_bytes_unref_to_data (g_bytes_ref (file), &len);

  copy[at] ^= mask;
  if (resign)
    koers_sync_sign (f->device, copy, len - KOERS_SYNC_SIGNATURE_BYTES,
                     copy + len - KOERS_SYNC_SIGNATURE_BYTES);
  return g_bytes_new_take (copy, len);
}

static void
test_roundtrip (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) file = make_note (f, f->device);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersReadNote) note = read_note (f, file, &error);
  const KoersReadEntry *first, *second;

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (file), ==, KOERS_READ_NOTE_HEADER + 2 * 60 + 64);
  g_assert_cmpint (note->made_ms, ==, 1765000000000);
  g_assert_cmpuint (note->entries->len, ==, 2);
  /* by id: the office's zeros first */
  first = &g_array_index (note->entries, KoersReadEntry, 0);
  second = &g_array_index (note->entries, KoersReadEntry, 1);
  g_assert_cmpmem (first->device_id, KOERS_SYNC_ID_BYTES, f->office, KOERS_SYNC_ID_BYTES);
  g_assert_cmpuint (first->read.last_seq, ==, 7);
  g_assert_cmpmem (second->device_id, KOERS_SYNC_ID_BYTES, f->colleague, KOERS_SYNC_ID_BYTES);
  g_assert_cmpuint (second->read.epoch, ==, 2);
  g_assert_cmpuint (second->read.last_seq, ==, 40);
  g_assert_cmpuint (second->read.hash[31], ==, 0xaa);
}

static void
test_checks_in_order (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) file = make_note (f, f->device);
  gsize len = g_bytes_get_size (file);
  struct { GBytes *file; int code; } cases[] = {
    /* size: cut short, a byte appended */
    { g_bytes_new_from_bytes (file, 0, len - 1), KOERS_READ_NOTE_ERROR_SIZE },
    { g_bytes_new_from_bytes (file, 0, 40), KOERS_READ_NOTE_ERROR_SIZE },
    /* the count says three entries */
    { altered (f, file, 51, 0x01, TRUE), KOERS_READ_NOTE_ERROR_SIZE },
    /* magic, version */
    { altered (f, file, 0, 0x20, TRUE), KOERS_READ_NOTE_ERROR_FORMAT },
    { altered (f, file, 9, 0x02, TRUE), KOERS_READ_NOTE_ERROR_FORMAT },
    /* any byte changed without the device's key */
    { altered (f, file, KOERS_READ_NOTE_HEADER + 60 + 27, 0x01, FALSE), KOERS_READ_NOTE_ERROR_SIGNATURE },
    { make_note (f, f->stranger), KOERS_READ_NOTE_ERROR_SIGNATURE },
    /* another steunpunt's, another device's */
    { altered (f, file, 10, 0x01, TRUE), KOERS_READ_NOTE_ERROR_DEVICE },
    { altered (f, file, 26, 0x01, TRUE), KOERS_READ_NOTE_ERROR_DEVICE },
    /* an entry's epoch 0; entries out of order (the office's id made
     * larger than the colleague's) */
    { altered (f, file, KOERS_READ_NOTE_HEADER + 16 + 3, 0x01, TRUE), KOERS_READ_NOTE_ERROR_FORMAT },
    { altered (f, file, KOERS_READ_NOTE_HEADER, 0xff, TRUE), KOERS_READ_NOTE_ERROR_FORMAT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KoersReadNote) note = read_note (f, cases[i].file, &error);

      g_test_message ("case %u", i);
      g_assert_error (error, KOERS_READ_NOTE_ERROR, cases[i].code);
      g_assert_null (note);
      g_assert_null (strchr (error->message, '\n'));
      g_bytes_unref (cases[i].file);
    }
}

/* The writer makes nothing the reader refuses: its own entry, an entry
 * that read nothing, a device twice. */
static void
test_writer_refuses (Fixture *f, gconstpointer data)
{
  KoersChainState read = state (1, 3, 0x11), none = state (0, 0, 0);
  const guint8 *ids[] = { f->device_id, f->colleague, f->colleague };
  const KoersChainState *states[] = { &read, &none, &read };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KoersReadNote) note = koers_read_note_new (f->steunpunt, f->device_id, 1);
      g_autoptr(GBytes) file = NULL;

      koers_read_note_add (note, ids[i], states[i]);
      if (i == 2)
        koers_read_note_add (note, f->colleague, &read);
      file = koers_read_note_write (note, f->device, &error);
      g_assert_error (error, KOERS_READ_NOTE_ERROR, KOERS_READ_NOTE_ERROR_FORMAT);
      g_assert_null (file);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/read-note/roundtrip", Fixture, NULL, fixture_setup, test_roundtrip, fixture_teardown);
  g_test_add ("/read-note/checks-in-order", Fixture, NULL, fixture_setup, test_checks_in_order,
              fixture_teardown);
  g_test_add ("/read-note/writer-refuses", Fixture, NULL, fixture_setup, test_writer_refuses,
              fixture_teardown);
  return g_test_run ();
}
