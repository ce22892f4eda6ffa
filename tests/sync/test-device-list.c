/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-device-list.c: the office's signed device list (docs/sync-format.md,
 * "Device list"): made and read back, every check of the reader in its
 * order, the team key opening for a listed device only, revocation. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync-test"

#include <string.h>

#include "koers-device-list.h"

typedef struct
{
  KoersSyncKey *office;
  KoersSyncKey *team;
  KoersSyncKey *devices[3];   /* 0, 1 active; 2 revoked */
  guint8        ids[3][KOERS_SYNC_ID_BYTES];
  guint8        steunpunt[KOERS_SYNC_ID_BYTES];
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->office = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  f->team = koers_sync_key_generate (KOERS_SYNC_KEY_SEAL);
  memset (f->steunpunt, 0x51, sizeof f->steunpunt);
  for (guint i = 0; i < G_N_ELEMENTS (f->devices); i++)
    {
      f->devices[i] = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
      /* added in another order than the ids sort */
      memset (f->ids[i], 0xc0 - 0x10 * i, KOERS_SYNC_ID_BYTES);
    }
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  koers_sync_key_free (f->office);
  koers_sync_key_free (f->team);
  for (guint i = 0; i < G_N_ELEMENTS (f->devices); i++)
    koers_sync_key_free (f->devices[i]);
}

static GBytes *
make_file (Fixture *f, guint64 serial)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDeviceList) list = koers_device_list_new (f->steunpunt, serial, 1765000000000, 1,
                                                           koers_sync_key_get_public (f->team));
  GBytes *file;

  for (guint i = 0; i < G_N_ELEMENTS (f->devices); i++)
    koers_device_list_add (list, f->ids[i], koers_sync_key_get_public (f->devices[i]), i == 2, 3, 40);
  file = koers_device_list_write (list, f->team, f->office, &error);
  g_assert_no_error (error);
  return file;
}

static KoersDeviceList *
read_file (Fixture *f, GBytes *file, guint64 min_serial, GError **error)
{
  return koers_device_list_read (file, koers_sync_key_get_public (f->office), f->steunpunt,
                                 min_serial, error);
}

static void
test_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) file = make_file (f, 7);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDeviceList) list = read_file (f, file, 7, &error);
  g_autoptr(KoersSyncKey) team = NULL;
  g_autoptr(KoersKnownDevices) known = NULL;
  const guint8 *steunpunt = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (file), ==, 80 + 3 * 141 + 64);
  g_assert_cmpuint (list->serial, ==, 7);
  g_assert_cmpint (list->issued_at_ms, ==, 1765000000000);
  g_assert_cmpuint (list->devices->len, ==, 3);
  /* sorted by id in the file */
  g_assert_cmpmem (g_array_index (list->devices, KoersDeviceEntry, 0).device_id, 16, f->ids[2], 16);
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&team, koers_sync_key_free);
      team = koers_device_list_open_team_key (list, f->ids[i], f->devices[i], &error);
      g_assert_no_error (error);
      g_assert_cmpmem (koers_sync_key_get_secret (team), 32, koers_sync_key_get_secret (f->team), 32);
      g_assert_false (koers_device_list_refuses (list, f->ids[i], 99, 99999));
    }
  /* another device's key does not open device 0's team key */
  g_assert_null (koers_device_list_open_team_key (list, f->ids[0], f->devices[1], &error));
  g_assert_error (error, KOERS_DEVICE_LIST_ERROR, KOERS_DEVICE_LIST_ERROR_NOT_LISTED);
  g_clear_error (&error);
  /* the revoked device gets no team key; its batches up to (3, 40) count */
  g_assert_null (koers_device_list_open_team_key (list, f->ids[2], f->devices[2], &error));
  g_assert_error (error, KOERS_DEVICE_LIST_ERROR, KOERS_DEVICE_LIST_ERROR_NOT_LISTED);
  g_clear_error (&error);
  g_assert_false (koers_device_list_refuses (list, f->ids[2], 3, 40));
  g_assert_false (koers_device_list_refuses (list, f->ids[2], 2, 900));
  g_assert_true (koers_device_list_refuses (list, f->ids[2], 3, 41));
  g_assert_true (koers_device_list_refuses (list, f->ids[2], 4, 1));
  /* an unlisted device is refused */
  {
    guint8 stranger[KOERS_SYNC_ID_BYTES];

    memset (stranger, 0x77, sizeof stranger);
    g_assert_true (koers_device_list_refuses (list, stranger, 1, 1));
  }
  known = koers_device_list_known (list);
  g_assert_nonnull (koers_known_devices_lookup (known, f->ids[2], &steunpunt));
  g_assert_cmpmem (steunpunt, 16, f->steunpunt, 16);
}

static void
assert_refused (Fixture *f, GBytes *file, guint64 min_serial, gint code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDeviceList) list = read_file (f, file, min_serial, &error);

  g_assert_null (list);
  g_assert_error (error, KOERS_DEVICE_LIST_ERROR, code);
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) file = make_file (f, 7);
  gsize len = g_bytes_get_size (file);
  const guint8 *d = g_bytes_get_data (file, NULL);
  g_autoptr(GError) error = NULL;

  /* every byte changed, one at a time: never accepted */
  for (gsize i = 0; i < len; i++)
    {
      g_autofree guint8 *copy = g_memdup2 (d, len);
      g_autoptr(GBytes) bad = NULL;
      g_autoptr(KoersDeviceList) list = NULL;

      copy[i] ^= 0x01;
      bad = g_bytes_new (copy, len);
      list = read_file (f, bad, 0, &error);
      g_assert_null (list);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  /* cut short, and with a byte appended: the size */
  for (gsize cut = 0; cut < len; cut += 37)
    {
      g_autoptr(GBytes) shorter = g_bytes_new_from_bytes (file, 0, cut);

      assert_refused (f, shorter, 0, KOERS_DEVICE_LIST_ERROR_SIZE);
    }
  {
    g_autofree guint8 *longer = g_malloc0 (len + 1);
    g_autoptr(GBytes) bytes = NULL;

    memcpy (longer, d, len);
    bytes = g_bytes_new (longer, len + 1);
    assert_refused (f, bytes, 0, KOERS_DEVICE_LIST_ERROR_SIZE);
  }
  /* signed by another key */
  {
    g_autoptr(KoersSyncKey) other = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
    g_autoptr(KoersDeviceList) list = koers_device_list_read (file, koers_sync_key_get_public (other),
                                                              NULL, 0, &error);

    g_assert_null (list);
    g_assert_error (error, KOERS_DEVICE_LIST_ERROR, KOERS_DEVICE_LIST_ERROR_SIGNATURE);
    g_clear_error (&error);
  }
  /* another steunpunt's list */
  {
    guint8 other[KOERS_SYNC_ID_BYTES];
    g_autoptr(KoersDeviceList) list = NULL;

    memset (other, 0x52, sizeof other);
    list = koers_device_list_read (file, koers_sync_key_get_public (f->office), other, 0, &error);
    g_assert_null (list);
    g_assert_error (error, KOERS_DEVICE_LIST_ERROR, KOERS_DEVICE_LIST_ERROR_STEUNPUNT);
    g_clear_error (&error);
  }
  /* older than the one already read */
  assert_refused (f, file, 8, KOERS_DEVICE_LIST_ERROR_STALE);
}

static void
test_make_refuses (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSyncKey) other_team = koers_sync_key_generate (KOERS_SYNC_KEY_SEAL);
  g_autoptr(KoersDeviceList) list = koers_device_list_new (f->steunpunt, 1, 1, 1,
                                                           koers_sync_key_get_public (f->team));
  g_autoptr(GBytes) file = NULL;

  /* a team key that is not the list's */
  file = koers_device_list_write (list, other_team, f->office, &error);
  g_assert_null (file);
  g_assert_error (error, KOERS_DEVICE_LIST_ERROR, KOERS_DEVICE_LIST_ERROR_FORMAT);
  g_clear_error (&error);
  /* a device listed twice */
  koers_device_list_add (list, f->ids[0], koers_sync_key_get_public (f->devices[0]), FALSE, 0, 0);
  koers_device_list_add (list, f->ids[0], koers_sync_key_get_public (f->devices[1]), FALSE, 0, 0);
  file = koers_device_list_write (list, f->team, f->office, &error);
  g_assert_null (file);
  g_assert_error (error, KOERS_DEVICE_LIST_ERROR, KOERS_DEVICE_LIST_ERROR_FORMAT);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/device-list/round-trip", Fixture, NULL, fixture_setup, test_round_trip, fixture_teardown);
  g_test_add ("/device-list/refused", Fixture, NULL, fixture_setup, test_refused, fixture_teardown);
  g_test_add ("/device-list/make-refuses", Fixture, NULL, fixture_setup, test_make_refuses,
              fixture_teardown);
  return g_test_run ();
}
