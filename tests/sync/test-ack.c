/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The office's acknowledgement: written as the office will, read and
 * verified as the laptop will. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include <string.h>

#include "koers-ack.h"
#include "sync-fixture.h"

static KoersAck
sample (SyncFixture *f)
{
  KoersAck ack = { .acked = { .epoch = 2, .last_seq = 4242 }, .at_ms = 1765000123456 };

  memcpy (ack.steunpunt_id, f->steunpunt, 16);
  memcpy (ack.device_id, f->device_id, 16);
  memset (ack.acked.hash, 0x5a, 32);
  return ack;
}

static void
assert_ignored (GBytes *file, const guint8 *office, const guint8 *steunpunt, const guint8 *device,
                KoersAckError code)
{
  g_autoptr (GError) error = NULL;
  KoersAck out;

  memset (&out, 0x77, sizeof out);
  g_assert_false (koers_ack_read (file, office, steunpunt, device, &out, &error));
  g_assert_error (error, KOERS_ACK_ERROR, (gint) code);
  g_assert_null (strchr (error->message, '\n'));
  for (gsize i = 0; i < sizeof out; i++)   /* nothing filled in */
    g_assert_cmpuint (((guint8 *) &out)[i], ==, 0x77);
}

static void
test_round_trip (SyncFixture *f, gconstpointer data)
{
  KoersAck ack = sample (f), back;
  g_autoptr (GBytes) file = koers_ack_write (&ack, f->office_sign);
  g_autoptr (GError) error = NULL;

  g_assert_cmpuint (g_bytes_get_size (file), ==, KOERS_ACK_BYTES);
  g_assert_true (koers_ack_read (file, koers_sync_key_get_public (f->office_sign), f->steunpunt,
                                 f->device_id, &back, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (back.steunpunt_id, 16, ack.steunpunt_id, 16);
  g_assert_cmpmem (back.device_id, 16, ack.device_id, 16);
  g_assert_cmpuint (back.acked.epoch, ==, 2);
  g_assert_cmpuint (back.acked.last_seq, ==, 4242);
  g_assert_cmpmem (back.acked.hash, 32, ack.acked.hash, 32);
  g_assert_cmpint (back.at_ms, ==, ack.at_ms);
  /* Ed25519 is deterministic: the same ack is the same bytes. */
  {
    g_autoptr (GBytes) again = koers_ack_write (&ack, f->office_sign);
    g_assert_true (g_bytes_equal (file, again));
  }
}

/* An ack for a batch the office opened is the chain state it reached. */
static void
test_acks_a_batch (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 5, NULL);
  g_autoptr (GBytes) batch_file = sync_fixture_seal (f, &info);
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  KoersChainState chain = { 0 };
  g_autoptr (KoersBatch) batch = NULL;
  g_autoptr (GBytes) file = NULL;
  KoersAck ack = { .at_ms = 1 }, back;
  guint8 laptop_hash[32];

  opts.chain = &chain;
  batch = koers_envelope_open (batch_file, &opts, NULL);
  g_assert_nonnull (batch);
  koers_chain_advance (&chain, &batch->info, batch->hash);
  memcpy (ack.steunpunt_id, batch->info.steunpunt_id, 16);
  memcpy (ack.device_id, batch->info.device_id, 16);
  ack.acked = chain;
  file = koers_ack_write (&ack, f->office_sign);
  g_assert_true (koers_ack_read (file, koers_sync_key_get_public (f->office_sign), f->steunpunt,
                                 f->device_id, &back, NULL));
  /* the laptop compares with the hash of the bytes it sent */
  koers_sync_hash (g_bytes_get_data (batch_file, NULL), g_bytes_get_size (batch_file), laptop_hash);
  g_assert_cmpmem (back.acked.hash, 32, laptop_hash, 32);
  g_assert_cmpuint (back.acked.last_seq, ==, 5);
  g_assert_true (koers_ack_names_batch (&back, &info, laptop_hash));
  /* what the laptop never sent: another hash, range, epoch or device */
  laptop_hash[0] ^= 1;
  g_assert_false (koers_ack_names_batch (&back, &info, laptop_hash));
  laptop_hash[0] ^= 1;
  info.last_seq = 4;
  g_assert_false (koers_ack_names_batch (&back, &info, laptop_hash));
  info.last_seq = 5;
  info.epoch = 2;
  g_assert_false (koers_ack_names_batch (&back, &info, laptop_hash));
  info.epoch = 1;
  info.device_id[0] ^= 1;
  g_assert_false (koers_ack_names_batch (&back, &info, laptop_hash));
}

static void
test_every_byte (SyncFixture *f, gconstpointer data)
{
  KoersAck ack = sample (f);
  g_autoptr (GBytes) file = koers_ack_write (&ack, f->office_sign);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (file, NULL), KOERS_ACK_BYTES);

  for (gsize i = 0; i < KOERS_ACK_BYTES; i++)
    {
      g_autoptr (GBytes) altered = NULL;

      copy[i] ^= 0x04;
      altered = g_bytes_new (copy, KOERS_ACK_BYTES);
      copy[i] ^= 0x04;
      assert_ignored (altered, koers_sync_key_get_public (f->office_sign), NULL, NULL,
                      i < 10 ? KOERS_ACK_ERROR_FORMAT : KOERS_ACK_ERROR_SIGNATURE);
    }
}

static void
test_wrong_signer_and_size (SyncFixture *f, gconstpointer data)
{
  KoersAck ack = sample (f);
  g_autoptr (GBytes) file = koers_ack_write (&ack, f->office_sign);
  g_autoptr (GBytes) by_device = koers_ack_write (&ack, f->device);
  g_autoptr (GBytes) short_file = g_bytes_new_from_bytes (file, 0, KOERS_ACK_BYTES - 1);
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  const guint8 *office = koers_sync_key_get_public (f->office_sign);

  assert_ignored (by_device, office, NULL, NULL, KOERS_ACK_ERROR_SIGNATURE);
  assert_ignored (short_file, office, NULL, NULL, KOERS_ACK_ERROR_SIZE);
  assert_ignored (empty, office, NULL, NULL, KOERS_ACK_ERROR_SIZE);
}

/* An ack for another device or steunpunt is not this laptop's. */
static void
test_other_device (SyncFixture *f, gconstpointer data)
{
  KoersAck ack = sample (f);
  g_autoptr (GBytes) file = koers_ack_write (&ack, f->office_sign);
  const guint8 *office = koers_sync_key_get_public (f->office_sign);

  assert_ignored (file, office, f->steunpunt, f->other_device_id, KOERS_ACK_ERROR_DEVICE);
  assert_ignored (file, office, f->other_steunpunt, f->device_id, KOERS_ACK_ERROR_DEVICE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/sync/ack/" path, SyncFixture, NULL, \
                                  sync_fixture_set_up, fn, sync_fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("acks-a-batch", test_acks_a_batch);
  ADD ("every-byte", test_every_byte);
  ADD ("wrong-signer-and-size", test_wrong_signer_and_size);
  ADD ("other-device", test_other_device);
  return g_test_run ();
}
