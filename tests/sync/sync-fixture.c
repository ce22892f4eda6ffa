/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include <sodium.h>
#include <string.h>

#include "sync-fixture.h"

static void
fake_id (guint8 *id, guint8 first)
{
  for (guint i = 0; i < KOERS_SYNC_ID_BYTES; i++)
    id[i] = (guint8) (first + i);
}

void
sync_fixture_set_up (SyncFixture *f, gconstpointer data)
{
  g_assert_cmpint (sodium_init (), >=, 0);
  f->office_seal = koers_sync_key_generate (KOERS_SYNC_KEY_SEAL);
  f->office_sign = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  f->team_seal = koers_sync_key_generate (KOERS_SYNC_KEY_SEAL);
  f->device = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  f->other_device = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  fake_id (f->steunpunt, 0x10);
  fake_id (f->other_steunpunt, 0x20);
  fake_id (f->device_id, 0x30);
  fake_id (f->other_device_id, 0x40);
  f->devices = koers_known_devices_new ();
  koers_known_devices_add (f->devices, f->device_id, f->steunpunt, koers_sync_key_get_public (f->device));
  koers_known_devices_add (f->devices, f->other_device_id, f->other_steunpunt,
                           koers_sync_key_get_public (f->other_device));
}

void
sync_fixture_tear_down (SyncFixture *f, gconstpointer data)
{
  g_clear_pointer (&f->office_seal, koers_sync_key_free);
  g_clear_pointer (&f->office_sign, koers_sync_key_free);
  g_clear_pointer (&f->team_seal, koers_sync_key_free);
  g_clear_pointer (&f->device, koers_sync_key_free);
  g_clear_pointer (&f->other_device, koers_sync_key_free);
  g_clear_pointer (&f->devices, koers_known_devices_free);
}

GBytes *
sync_fixture_jsonl (guint64 first,
                    guint   n)
{
  static const char *const notes[] = {
    "Afspraak bij de IND verzet",
    "\u0645\u062d\u0645\u062f \u0627\u062d\u0645\u062f\u06cc",          /* Farsi */
    "\u1218\u1235\u1348\u1295 \u1270\u12ce\u120d\u12f0",                /* Tigrinya */
    "\u0639\u0628\u062f \u0627\u0644\u0644\u0647 \\\"quoted\\\"",       /* Arabic */
  };
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out,
                            "{\"seq\":%" G_GUINT64_FORMAT ",\"hlc\":%" G_GUINT64_FORMAT ","
                            "\"device_id\":\"0198e1b2-0000-7000-8000-000000000001\","
                            "\"worker_id\":\"0198e1b2-0000-7000-8000-0000000000aa\","
                            "\"entity\":\"conversation\",\"entity_id\":\"0198e1b2-%04x-7000-8000-000000000002\","
                            "\"op\":\"update\",\"fields\":{\"notes\":\"%s %u\",\"duration_min\":%u,"
                            "\"topics\":[\"housing\",\"work\"]}}\n",
                            first + i, ((guint64) 1765000000000 + i) << 16, i & 0xffff,
                            notes[i % G_N_ELEMENTS (notes)], i, 15 + i % 45);
  return g_string_free_to_bytes (out);
}

KoersBatchInfo
sync_fixture_info (SyncFixture  *f,
                   guint32       epoch,
                   guint64       first,
                   guint         n,
                   const guint8 *prev)
{
  KoersBatchInfo info = { .epoch = epoch, .first_seq = first, .last_seq = first + n - 1 };

  memcpy (info.steunpunt_id, f->steunpunt, sizeof info.steunpunt_id);
  memcpy (info.device_id, f->device_id, sizeof info.device_id);
  if (prev != NULL)
    memcpy (info.prev_hash, prev, sizeof info.prev_hash);
  return info;
}

GBytes *
sync_fixture_seal (SyncFixture          *f,
                   const KoersBatchInfo *info)
{
  g_autoptr (GBytes) jsonl = sync_fixture_jsonl (info->first_seq, (guint) (info->last_seq - info->first_seq + 1));
  const KoersSyncKey *recipients[] = { f->office_seal, f->team_seal };
  g_autoptr (GError) error = NULL;
  GBytes *file = koers_envelope_seal (info, jsonl, f->device, recipients, 2, &error);

  g_assert_no_error (error);
  return file;
}

KoersEnvelopeOpenOptions
sync_fixture_office (SyncFixture *f)
{
  return (KoersEnvelopeOpenOptions) { .recipient = f->office_seal, .devices = f->devices };
}
