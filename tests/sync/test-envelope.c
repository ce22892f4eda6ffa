/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The batch envelope: round trips, every rejection of issue 10's security
 * list with its reason, the chain rules, the caps. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include <gio/gio.h>
#include <sodium.h>
#include <string.h>
#include <sys/resource.h>

#include "koers-envelope-private.h"
#include "sync-fixture.h"

#define ABYTES crypto_secretstream_xchacha20poly1305_ABYTES

/* --- helpers -------------------------------------------------------------- */

static gsize
header_len (GBytes *file)
{
  const guint8 *d = g_bytes_get_data (file, NULL);

  return KOERS_ENVELOPE_FIXED_HEADER + (gsize) d[KOERS_ENVELOPE_OFF_NRECIP] * KOERS_ENVELOPE_STANZA;
}

/* @file's signed part (less its signature) with @extra appended, signed
 * again by @key: what a device (or a thief of its key) can make. */
static GBytes *
resign (GBytes *file, gsize keep, const guint8 *extra, gsize extra_len, const KoersSyncKey *key)
{
  const guint8 *d = g_bytes_get_data (file, NULL);
  GByteArray *out = g_byte_array_new ();
  guint8 sig[KOERS_SYNC_SIGNATURE_BYTES];

  g_byte_array_append (out, d, keep);
  if (extra_len > 0)
    g_byte_array_append (out, extra, extra_len);
  koers_sync_sign (key, out->data, out->len, sig);
  g_byte_array_append (out, sig, sizeof sig);
  return g_byte_array_free_to_bytes (out);
}

/* @file with its signed part edited by @edit, re-signed by @key. */
static GBytes *
edit_and_resign (GBytes *file, gsize at, const guint8 *bytes, gsize n, const KoersSyncKey *key)
{
  gsize len = g_bytes_get_size (file);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (file, NULL), len);
  g_autoptr (GBytes) edited = NULL;

  memcpy (copy + at, bytes, n);
  edited = g_bytes_new (copy, len);
  return resign (edited, len - KOERS_SYNC_SIGNATURE_BYTES, NULL, 0, key);
}

static void
assert_rejected (GBytes *file, const KoersEnvelopeOpenOptions *opts, KoersEnvelopeError code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersBatch) batch = koers_envelope_open (file, opts, &error);

  g_assert_null (batch);
  g_assert_error (error, KOERS_ENVELOPE_ERROR, (gint) code);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_null (strchr (error->message, '\n'));
}

static KoersBatch *
open_ok (GBytes *file, const KoersEnvelopeOpenOptions *opts)
{
  g_autoptr (GError) error = NULL;
  KoersBatch *batch = koers_envelope_open (file, opts, &error);

  g_assert_no_error (error);
  g_assert_nonnull (batch);
  return batch;
}

/* The file key, found as a recipient would (docs/sync-format.md). */
static void
unseal_file_key (SyncFixture *f, GBytes *file, guint8 *file_key)
{
  const guint8 *d = g_bytes_get_data (file, NULL);
  const guint8 *stanza = d + KOERS_ENVELOPE_FIXED_HEADER;

  g_assert_cmpmem (stanza + 1, 32, koers_sync_key_get_public (f->office_seal), 32);
  g_assert_cmpint (crypto_box_seal_open (file_key, stanza + 33, 80, koers_sync_key_get_public (f->office_seal),
                                         koers_sync_key_get_secret (f->office_seal)), ==, 0);
}

/* --- round trips ------------------------------------------------------------ */

static void
test_round_trip (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 20, NULL);
  g_autoptr (GBytes) jsonl = sync_fixture_jsonl (1, 20);
  g_autoptr (GBytes) file = sync_fixture_seal (f, &info);
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  guint8 hash[KOERS_SYNC_HASH_BYTES];
  gsize len;
  const guint8 *d = g_bytes_get_data (file, &len);

  koers_sync_hash (d, len, hash);
  for (guint who = 0; who < 2; who++)
    {
      g_autoptr (KoersBatch) batch = NULL;

      opts.recipient = who == 0 ? f->office_seal : f->team_seal;
      batch = open_ok (file, &opts);
      g_assert_true (g_bytes_equal (batch->jsonl, jsonl));
      g_assert_cmpuint (batch->n_changes, ==, 20);
      g_assert_cmpmem (&batch->info, sizeof info, &info, sizeof info);
      g_assert_cmpmem (batch->hash, sizeof hash, hash, sizeof hash);
    }
  /* No plaintext in the file: not a name, not a seq, not a field name. */
  g_assert_null (memmem (d, len, "IND", 3));
  g_assert_null (memmem (d, len, "\u0645\u062d\u0645\u062f", strlen ("\u0645\u062d\u0645\u062f")));
  g_assert_null (memmem (d, len, "conversation", 12));
}

/* Each seal draws a fresh file key: the same changes twice are two files. */
static void
test_seal_is_random (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 3, NULL);
  g_autoptr (GBytes) a = sync_fixture_seal (f, &info);
  g_autoptr (GBytes) b = sync_fixture_seal (f, &info);
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  g_autoptr (KoersBatch) ba = open_ok (a, &opts);
  g_autoptr (KoersBatch) bb = open_ok (b, &opts);

  g_assert_cmpuint (g_bytes_get_size (a), ==, g_bytes_get_size (b));
  g_assert_false (g_bytes_equal (a, b));
  g_assert_true (g_bytes_equal (ba->jsonl, bb->jsonl));
}

/* Several chunks: a batch of changes that compress poorly. */
static void
test_many_chunks (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 6000, NULL);
  GString *lines = g_string_new (NULL);
  g_autoptr (GBytes) jsonl = NULL;
  g_autoptr (GBytes) file = NULL;
  g_autoptr (KoersBatch) batch = NULL;
  g_autoptr (GError) error = NULL;
  const KoersSyncKey *to[] = { f->office_seal };
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);

  for (guint i = 0; i < 6000; i++)
    {
      guint8 noise[24];
      char hex[49];

      randombytes_buf (noise, sizeof noise);
      sodium_bin2hex (hex, sizeof hex, noise, sizeof noise);
      g_string_append_printf (lines, "{\"seq\":%u,\"fields\":{\"x\":\"%s\"}}\n", i + 1, hex);
    }
  jsonl = g_string_free_to_bytes (lines);
  file = koers_envelope_seal (&info, jsonl, f->device, to, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (file), >, 2 * KOERS_ENVELOPE_CHUNK);
  batch = open_ok (file, &opts);
  g_assert_true (g_bytes_equal (batch->jsonl, jsonl));
  g_assert_cmpuint (batch->n_changes, ==, 6000);
}

/* --- the security list ---------------------------------------------------------- */

/* One byte altered anywhere: always rejected, and before decryption. */
static void
test_every_byte (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 3, NULL);
  g_autoptr (GBytes) file = sync_fixture_seal (f, &info);
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  gsize len, hlen = header_len (file);
  const guint8 *d = g_bytes_get_data (file, &len);
  g_autofree guint8 *copy = g_memdup2 (d, len);

  for (gsize i = 0; i < len; i++)
    {
      g_autoptr (GBytes) altered = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (KoersBatch) batch = NULL;
      gboolean stanza_type = i >= KOERS_ENVELOPE_FIXED_HEADER && i < hlen
                             && (i - KOERS_ENVELOPE_FIXED_HEADER) % KOERS_ENVELOPE_STANZA == 0;

      copy[i] ^= 0x01;
      altered = g_bytes_new (copy, len);
      copy[i] ^= 0x01;
      batch = koers_envelope_open (altered, &opts, &error);
      if (batch != NULL)
        g_error ("byte %" G_GSIZE_FORMAT " altered and the batch opened", i);
      g_assert_true (error->domain == KOERS_ENVELOPE_ERROR);
      if (i < 11)
        g_assert_cmpint (error->code, ==, KOERS_ENVELOPE_ERROR_FORMAT);
      else if (i == KOERS_ENVELOPE_OFF_NRECIP)
        g_assert_true (error->code == KOERS_ENVELOPE_ERROR_SIZE || error->code == KOERS_ENVELOPE_ERROR_FORMAT);
      else if (stanza_type)
        g_assert_cmpint (error->code, ==, KOERS_ENVELOPE_ERROR_FORMAT);
      else if (i >= 44 && i < 64)
        g_assert_true (error->code == KOERS_ENVELOPE_ERROR_SIGNATURE || error->code == KOERS_ENVELOPE_ERROR_FORMAT);
      else
        g_assert_cmpint (error->code, ==, KOERS_ENVELOPE_ERROR_SIGNATURE);
    }
}

static void
test_truncated (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 3, NULL);
  g_autoptr (GBytes) file = sync_fixture_seal (f, &info);
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  gsize len = g_bytes_get_size (file);
  gsize cuts[] = { 0, 1, 8, 100, header_len (file), header_len (file) + 80, len - 65, len - 64, len - 1 };

  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_autoptr (GBytes) cut = g_bytes_new_from_bytes (file, 0, cuts[i]);
      g_autoptr (GError) error = NULL;
      g_autoptr (KoersBatch) batch = koers_envelope_open (cut, &opts, &error);

      g_assert_null (batch);
      g_assert_true (g_error_matches (error, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_SIZE)
                     || g_error_matches (error, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_SIGNATURE));
    }
}

/* Re-signed by the device itself, a file missing its last chunk. */
static void
test_truncated_resigned (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 1, NULL);
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  g_autofree guint8 *noise = g_malloc (3 * KOERS_ENVELOPE_CHUNK);
  g_autofree char *b64 = NULL;
  g_autofree char *line = NULL;
  g_autoptr (GBytes) jsonl = NULL;
  g_autoptr (GBytes) file = NULL;
  g_autoptr (GBytes) cut = NULL;
  const KoersSyncKey *to[] = { f->office_seal };
  gsize len;

  randombytes_buf (noise, 3 * KOERS_ENVELOPE_CHUNK);
  b64 = g_base64_encode (noise, 3 * KOERS_ENVELOPE_CHUNK / 2);
  line = g_strdup_printf ("{\"seq\":1,\"x\":\"%s\"}\n", b64);
  jsonl = g_bytes_new (line, strlen (line));
  file = koers_envelope_seal (&info, jsonl, f->device, to, 1, NULL);
  g_assert_nonnull (file);
  len = g_bytes_get_size (file);
  /* the last chunk is shorter than a full one: cut back to the full ones */
  g_assert_cmpuint (len, >, header_len (file) + KOERS_ENVELOPE_CHUNK + ABYTES + 64);
  cut = resign (file, header_len (file) + KOERS_ENVELOPE_CHUNK + ABYTES, NULL, 0, f->device);
  g_assert_cmpuint (g_bytes_get_size (cut), <, len);
  assert_rejected (cut, &opts, KOERS_ENVELOPE_ERROR_DECRYPT);
}

static void
test_appended (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 3, NULL);
  g_autoptr (GBytes) file = sync_fixture_seal (f, &info);
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  gsize lens[] = { 1, 17, 64, 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      g_autoptr (GByteArray) longer = g_byte_array_new ();
      g_autoptr (GBytes) bytes = NULL;
      gsize len;
      const guint8 *d = g_bytes_get_data (file, &len);

      g_byte_array_append (longer, d, len);
      for (gsize k = 0; k < lens[i]; k++)
        g_byte_array_append (longer, (const guint8 *) "\0", 1);
      bytes = g_bytes_new (longer->data, longer->len);
      assert_rejected (bytes, &opts, KOERS_ENVELOPE_ERROR_SIGNATURE);
    }
}

/* A chunk after the FINAL one, made with the file's own key and signed by
 * its device: the signature holds, the stream does not. */
static void
test_bytes_after_final (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 3, NULL);
  g_autoptr (GBytes) file = sync_fixture_seal (f, &info);
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  crypto_secretstream_xchacha20poly1305_state st;
  guint8 file_key[32], payload_key[32], header_hash[32];
  guint8 extra[16 + ABYTES], msg[16] = "more, after all";
  gsize len, hlen = header_len (file);
  const guint8 *d = g_bytes_get_data (file, &len);
  g_autofree guint8 *plain = g_malloc (len);
  unsigned long long got;
  guint8 tag;
  g_autoptr (GBytes) longer = NULL;

  unseal_file_key (f, file, file_key);
  crypto_kdf_derive_from_key (payload_key, 32, 1, "KoersBat", file_key);
  koers_sync_hash (d, hlen, header_hash);
  crypto_secretstream_xchacha20poly1305_init_pull (&st, d + KOERS_ENVELOPE_OFF_STREAM, payload_key);
  g_assert_cmpint (crypto_secretstream_xchacha20poly1305_pull (&st, plain, &got, &tag, d + hlen,
                                                               len - hlen - 64, header_hash, 32), ==, 0);
  g_assert_cmpint (tag, ==, crypto_secretstream_xchacha20poly1305_TAG_FINAL);
  crypto_secretstream_xchacha20poly1305_push (&st, extra, NULL, msg, sizeof msg, NULL, 0,
                                              crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
  longer = resign (file, len - 64, extra, sizeof extra, f->device);
  assert_rejected (longer, &opts, KOERS_ENVELOPE_ERROR_DECRYPT);
}

/* The team's stanza taken from another batch: a thief cannot sign it; a
 * device that does would show the team other contents than the office —
 * which the key commitment catches; and the office, whose own stanza is
 * intact, finds the header no longer the one the payload was sealed under. */
static void
test_stanza_swapped (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 3, NULL);
  g_autoptr (GBytes) file = sync_fixture_seal (f, &info);
  g_autoptr (GBytes) other = sync_fixture_seal (f, &info);
  const guint8 *team_stanza = (const guint8 *) g_bytes_get_data (other, NULL)
                              + KOERS_ENVELOPE_FIXED_HEADER + KOERS_ENVELOPE_STANZA;
  gsize at = KOERS_ENVELOPE_FIXED_HEADER + KOERS_ENVELOPE_STANZA;
  g_autoptr (GBytes) swapped = edit_and_resign (file, at, team_stanza, KOERS_ENVELOPE_STANZA, f->device);
  g_autoptr (GByteArray) unsigned_swap = g_byte_array_new ();
  g_autoptr (GBytes) thief = NULL;
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  gsize len;
  const guint8 *d = g_bytes_get_data (file, &len);

  g_byte_array_append (unsigned_swap, d, len);
  memcpy (unsigned_swap->data + at, team_stanza, KOERS_ENVELOPE_STANZA);
  thief = g_bytes_new (unsigned_swap->data, unsigned_swap->len);
  assert_rejected (thief, &opts, KOERS_ENVELOPE_ERROR_SIGNATURE);

  assert_rejected (swapped, &opts, KOERS_ENVELOPE_ERROR_DECRYPT);
  opts.recipient = f->team_seal;
  assert_rejected (swapped, &opts, KOERS_ENVELOPE_ERROR_KEY_COMMITMENT);
}

static void
test_wrong_commitment (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 3, NULL);
  g_autoptr (GBytes) file = sync_fixture_seal (f, &info);
  guint8 commitment[32];
  g_autoptr (GBytes) wrong = NULL;
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);

  memcpy (commitment, (const guint8 *) g_bytes_get_data (file, NULL) + KOERS_ENVELOPE_OFF_COMMIT, 32);
  commitment[5] ^= 0x40;
  wrong = edit_and_resign (file, KOERS_ENVELOPE_OFF_COMMIT, commitment, 32, f->device);
  assert_rejected (wrong, &opts, KOERS_ENVELOPE_ERROR_KEY_COMMITMENT);
  opts.recipient = f->team_seal;
  assert_rejected (wrong, &opts, KOERS_ENVELOPE_ERROR_KEY_COMMITMENT);
}

static void
test_unknown_signer (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 3, NULL);
  g_autoptr (GBytes) file = sync_fixture_seal (f, &info);
  g_autoptr (KoersSyncKey) stranger = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  g_autoptr (GBytes) resigned = resign (file, g_bytes_get_size (file) - 64, NULL, 0, stranger);
  guint8 stranger_id[16] = { 0x99 };
  g_autoptr (GBytes) renamed = edit_and_resign (file, 28, stranger_id, 16, stranger);
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  g_autoptr (GError) error = NULL;

  assert_rejected (resigned, &opts, KOERS_ENVELOPE_ERROR_SIGNATURE);
  g_assert_null (koers_envelope_open (renamed, &opts, &error));
  g_assert_error (error, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_SIGNATURE);
  g_assert_nonnull (strstr (error->message, "99000000-0000"));
}

/* A batch under another name than its contents; the same batch again. */
static void
test_replayed (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo first = sync_fixture_info (f, 1, 1, 3, NULL);
  g_autoptr (GBytes) a = sync_fixture_seal (f, &first);
  KoersChainState chain = { 0 };
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  KoersBatchInfo later = sync_fixture_info (f, 1, 4, 3, NULL);
  g_autofree char *a_name = koers_envelope_file_name (&first);
  g_autofree char *later_name = koers_envelope_file_name (&later);
  g_autoptr (KoersBatch) batch = NULL;

  opts.chain = &chain;
  opts.name = later_name;
  assert_rejected (a, &opts, KOERS_ENVELOPE_ERROR_NAME);
  opts.name = a_name;
  batch = open_ok (a, &opts);
  koers_chain_advance (&chain, &batch->info, batch->hash);
  assert_rejected (a, &opts, KOERS_ENVELOPE_ERROR_CHAIN_DUPLICATE);
  opts.name = later_name;
  assert_rejected (a, &opts, KOERS_ENVELOPE_ERROR_NAME);
}

static void
test_forked (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 3, NULL);
  g_autoptr (GBytes) a = sync_fixture_seal (f, &info);
  g_autoptr (GBytes) b = sync_fixture_seal (f, &info);   /* same range, other bytes */
  KoersChainState chain = { 0 };
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  g_autoptr (KoersBatch) batch = NULL;
  guint8 bogus[32] = { 1 };
  KoersBatchInfo next = sync_fixture_info (f, 1, 4, 2, bogus);
  g_autoptr (GBytes) off_chain = sync_fixture_seal (f, &next);

  opts.chain = &chain;
  batch = open_ok (a, &opts);
  koers_chain_advance (&chain, &batch->info, batch->hash);
  assert_rejected (b, &opts, KOERS_ENVELOPE_ERROR_CHAIN_FORK);
  assert_rejected (off_chain, &opts, KOERS_ENVELOPE_ERROR_CHAIN_FORK);
}

static void
test_other_steunpunt (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 3, NULL);
  g_autoptr (GBytes) file = sync_fixture_seal (f, &info);
  g_autoptr (GBytes) claims_other = NULL;
  g_autoptr (GBytes) other_device = NULL;
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  const KoersSyncKey *to[] = { f->office_seal };
  g_autoptr (GBytes) jsonl = sync_fixture_jsonl (1, 3);

  /* in the other steunpunt's folder */
  opts.steunpunt_id = f->other_steunpunt;
  assert_rejected (file, &opts, KOERS_ENVELOPE_ERROR_STEUNPUNT);
  /* signed by the device, claiming the other steunpunt */
  memcpy (info.steunpunt_id, f->other_steunpunt, 16);
  claims_other = koers_envelope_seal (&info, jsonl, f->device, to, 1, NULL);
  assert_rejected (claims_other, &opts, KOERS_ENVELOPE_ERROR_STEUNPUNT);
  /* a device of the other steunpunt, in this one's folder */
  memcpy (info.device_id, f->other_device_id, 16);
  other_device = koers_envelope_seal (&info, jsonl, f->other_device, to, 1, NULL);
  opts.steunpunt_id = f->steunpunt;
  assert_rejected (other_device, &opts, KOERS_ENVELOPE_ERROR_STEUNPUNT);
  opts.steunpunt_id = f->other_steunpunt;
  g_clear_pointer (&jsonl, g_bytes_unref);
  koers_batch_free (open_ok (other_device, &opts));
}

static void
test_not_for_us (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 3, NULL);
  g_autoptr (GBytes) file = sync_fixture_seal (f, &info);
  g_autoptr (KoersSyncKey) stranger = koers_sync_key_generate (KOERS_SYNC_KEY_SEAL);
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);

  opts.recipient = stranger;
  assert_rejected (file, &opts, KOERS_ENVELOPE_ERROR_RECIPIENT);
}

/* Payloads the sealer refuses, sealed anyway by a faulty device. */
static void
test_bad_json (SyncFixture *f, gconstpointer data)
{
  static const char *const bad[] = {
    "{\"seq\":1}",                      /* no newline */
    "{\"seq\":1}\n\n",                  /* empty line */
    "[1,2]\n",                          /* not an object */
    "{\"seq\":1,}\n",                   /* trailing comma */
    "{\"seq\":2}\n",                    /* does not start at first */
    "{\"seq\":1}\n{\"seq\":1}\n",       /* not ascending */
    "{\"seq\":1}\n{\"seq\":7}\n",       /* past the last */
    "{\"seq\":1}\n{\"seq\":2}\n",       /* ends before the last */
    "{\"seq\":-1}\n",
    "{\"seq\":1.5}\n",
    "{\"seq\":\"1\"}\n",
    "{\"seq\":1,\"seq\":1}\n",
    "{\"seq\":1,\"x\":\"\xff\"}\n",     /* not UTF-8 */
    "{\"seq\":1,\"x\":\"a\tb\"}\n",     /* control character in a string */
    "{\"seq\":1} x\n",
  };
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 3, NULL);
  const KoersSyncKey *to[] = { f->office_seal };
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  GString *deep = g_string_new ("{\"seq\":1,\"x\":");

  for (guint i = 0; i < G_N_ELEMENTS (bad) + 1; i++)
    {
      const char *text = i < G_N_ELEMENTS (bad) ? bad[i] : NULL;
      g_autoptr (GBytes) compressed = NULL;
      g_autoptr (GBytes) jsonl = NULL;
      g_autoptr (GBytes) file = NULL;
      g_autoptr (GError) error = NULL;

      if (text == NULL)
        {
          for (guint k = 0; k < 100; k++)
            g_string_append_c (deep, '[');
          for (guint k = 0; k < 100; k++)
            g_string_append_c (deep, ']');
          g_string_append (deep, "}\n");
          text = deep->str;
        }
      jsonl = g_bytes_new (text, strlen (text));
      g_assert_null (koers_envelope_seal (&info, jsonl, f->device, to, 1, &error));
      g_assert_error (error, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_INVALID);
      compressed = koers_envelope_deflate ((const guint8 *) text, strlen (text));
      file = koers_envelope_seal_compressed (&info, compressed, f->device, to, 1, NULL);
      assert_rejected (file, &opts, KOERS_ENVELOPE_ERROR_JSON);
    }
  g_string_free (deep, TRUE);
}

/* Not deflate at all, and deflate with bytes after its end. */
static void
test_bad_compression (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 1, NULL);
  const KoersSyncKey *to[] = { f->office_seal };
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  g_autoptr (GBytes) junk = g_bytes_new_static ("\xff\xff\xff\xff not deflate", 16);
  g_autoptr (GBytes) file = koers_envelope_seal_compressed (&info, junk, f->device, to, 1, NULL);
  g_autoptr (GBytes) good = koers_envelope_deflate ((const guint8 *) "{\"seq\":1}\n", 10);
  g_autoptr (GByteArray) trailing = g_byte_array_new ();
  g_autoptr (GBytes) trailing_bytes = NULL;
  g_autoptr (GBytes) file2 = NULL;

  assert_rejected (file, &opts, KOERS_ENVELOPE_ERROR_DECOMPRESS);
  g_byte_array_append (trailing, g_bytes_get_data (good, NULL), g_bytes_get_size (good));
  g_byte_array_append (trailing, (const guint8 *) "tail", 4);
  trailing_bytes = g_bytes_new (trailing->data, trailing->len);
  file2 = koers_envelope_seal_compressed (&info, trailing_bytes, f->device, to, 1, NULL);
  assert_rejected (file2, &opts, KOERS_ENVELOPE_ERROR_DECOMPRESS);
}

/* --- caps ------------------------------------------------------------------------ */

static glong
max_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/* 256 MiB of newlines deflate to a quarter of a megabyte: the reader stops
 * at its cap and never holds more. */
static void
test_decompression_bomb (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 1, NULL);
  const KoersSyncKey *to[] = { f->office_seal };
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  g_autoptr (GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, 9);
  g_autoptr (GByteArray) bomb = g_byte_array_new ();
  g_autofree guint8 *ones = g_malloc (1 << 20);
  g_autofree guint8 *out = g_malloc (1 << 20);
  g_autoptr (GBytes) compressed = NULL;
  g_autoptr (GBytes) file = NULL;
  glong before;

  memset (ones, '\n', 1 << 20);
  for (guint i = 0; i <= 256; i++)
    {
      gsize read = 0, written = 0;
      GConverterResult r;

      do
        {
          r = g_converter_convert (G_CONVERTER (z), ones, i < 256 ? 1 << 20 : 0, out, 1 << 20,
                                   i < 256 ? G_CONVERTER_NO_FLAGS : G_CONVERTER_INPUT_AT_END,
                                   &read, &written, NULL);
          g_assert_cmpint (r, !=, G_CONVERTER_ERROR);
          g_byte_array_append (bomb, out, written);
        }
      while (i == 256 && r != G_CONVERTER_FINISHED);
      g_assert_cmpuint (read, ==, i < 256 ? 1 << 20 : 0);
    }
  g_assert_cmpuint (bomb->len, <, 1 << 20);
  compressed = g_bytes_new (bomb->data, bomb->len);
  file = koers_envelope_seal_compressed (&info, compressed, f->device, to, 1, NULL);
  g_assert_nonnull (file);

  /* The peak grows by about the cap (its doublings, under ASan also what
   * its quarantine keeps), never by the bomb's 256 MiB. */
  before = max_rss_kib ();
  opts.max_plain = 8 << 20;
  assert_rejected (file, &opts, KOERS_ENVELOPE_ERROR_DECOMPRESS);
  g_assert_cmpint (max_rss_kib () - before, <, 40 * 1024);
  opts.max_plain = 0;   /* the default cap, 64 MiB */
  assert_rejected (file, &opts, KOERS_ENVELOPE_ERROR_DECOMPRESS);
}

static void
test_size_caps (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 1, 1, 3, NULL);
  g_autoptr (GBytes) file = sync_fixture_seal (f, &info);
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  gsize len = g_bytes_get_size (file);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (file, NULL), len);
  g_autoptr (GBytes) many = NULL;
  g_autoptr (GBytes) huge = NULL;
  g_autofree guint8 *big = g_malloc0 (KOERS_ENVELOPE_MAX_FILE + 1);

  copy[KOERS_ENVELOPE_OFF_NRECIP] = 255;
  many = g_bytes_new (copy, len);
  assert_rejected (many, &opts, KOERS_ENVELOPE_ERROR_SIZE);
  copy[KOERS_ENVELOPE_OFF_NRECIP] = 0;
  g_clear_pointer (&many, g_bytes_unref);
  many = g_bytes_new (copy, len);
  assert_rejected (many, &opts, KOERS_ENVELOPE_ERROR_SIZE);

  opts.max_file = len - 1;
  assert_rejected (file, &opts, KOERS_ENVELOPE_ERROR_SIZE);
  opts.max_file = (gsize) 1 << 40;   /* asking for more than the hard cap gets the hard cap */
  memcpy (big, g_bytes_get_data (file, NULL), len);
  huge = g_bytes_new_take (g_steal_pointer (&big), KOERS_ENVELOPE_MAX_FILE + 1);
  assert_rejected (huge, &opts, KOERS_ENVELOPE_ERROR_SIZE);
}

/* --- chain rules ---------------------------------------------------------------- */

static void
test_chain_rules (SyncFixture *f, gconstpointer data)
{
  guint8 h1[32], h2[32], zero[32] = { 0 };
  KoersChainState none = { 0 };
  KoersChainState at10 = { .epoch = 1, .last_seq = 10 };
  struct
  {
    const KoersChainState *state;
    guint32 epoch;
    guint64 first, last;
    const guint8 *prev, *hash;
    KoersChainVerdict verdict;
  } cases[] = {
    { &none, 1, 1, 10, zero, h1, KOERS_CHAIN_NEXT },        /* the first batch */
    { &none, 1, 5, 10, zero, h1, KOERS_CHAIN_NEXT },        /* first after enrollment need not be seq 1 */
    { &none, 1, 1, 10, h2, h1, KOERS_CHAIN_GAP },           /* something came before it */
    { &at10, 1, 11, 20, h1, h2, KOERS_CHAIN_NEXT },
    { &at10, 1, 12, 20, h1, h2, KOERS_CHAIN_GAP },
    { &at10, 1, 21, 30, h2, h2, KOERS_CHAIN_GAP },
    { &at10, 1, 1, 10, zero, h1, KOERS_CHAIN_DUPLICATE },
    { &at10, 1, 1, 10, zero, h2, KOERS_CHAIN_FORK },
    { &at10, 1, 5, 10, zero, h2, KOERS_CHAIN_FORK },        /* same last, other range */
    { &at10, 1, 11, 20, h2, h2, KOERS_CHAIN_FORK },         /* next range, other history */
    { &at10, 1, 1, 5, zero, h2, KOERS_CHAIN_STALE },
    { &at10, 1, 8, 15, h2, h2, KOERS_CHAIN_FORK },          /* overlaps */
    { &at10, 2, 1, 4, h1, h2, KOERS_CHAIN_NEXT },           /* a new epoch after a restore */
    { &at10, 2, 11, 14, h1, h2, KOERS_CHAIN_NEXT },
    { &at10, 2, 11, 14, h2, h2, KOERS_CHAIN_GAP },          /* the old epoch may not be done */
    { &at10, 0, 1, 4, zero, h2, KOERS_CHAIN_STALE },
  };

  memset (h1, 0x11, 32);
  memset (h2, 0x22, 32);
  memcpy (at10.hash, h1, 32);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KoersBatchInfo info = sync_fixture_info (f, cases[i].epoch, cases[i].first,
                                               (guint) (cases[i].last - cases[i].first + 1), cases[i].prev);

      if (koers_chain_check (cases[i].state, &info, cases[i].hash) != cases[i].verdict)
        g_error ("chain case %u: got %d, expected %d", i,
                 koers_chain_check (cases[i].state, &info, cases[i].hash), cases[i].verdict);
    }
}

/* A device's batches arriving out of order are held, then all go in. */
static void
test_chain_walk (SyncFixture *f, gconstpointer data)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  guint8 prev[32] = { 0 };
  KoersChainState chain = { 0 };
  KoersEnvelopeOpenOptions opts = sync_fixture_office (f);
  guint order[] = { 2, 0, 3, 1, 4 };
  gboolean done[5] = { FALSE };
  guint imported = 0;

  for (guint i = 0; i < 5; i++)
    {
      KoersBatchInfo info = sync_fixture_info (f, 1, 1 + 4 * i, 4, i ? prev : NULL);
      GBytes *file = sync_fixture_seal (f, &info);

      koers_sync_hash (g_bytes_get_data (file, NULL), g_bytes_get_size (file), prev);
      g_ptr_array_add (files, file);
    }
  opts.chain = &chain;
  /* rounds over what is on the drop, as the office would */
  for (guint round = 0; round < 5 && imported < 5; round++)
    for (guint k = 0; k < 5; k++)
      {
        guint i = order[k];
        g_autoptr (GError) error = NULL;
        g_autoptr (KoersBatch) batch = NULL;

        if (done[i])
          continue;
        batch = koers_envelope_open (files->pdata[i], &opts, &error);
        if (batch == NULL)
          {
            g_assert_error (error, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_CHAIN_GAP);
            continue;
          }
        g_assert_cmpuint (batch->info.first_seq, ==, chain.last_seq + 1);
        koers_chain_advance (&chain, &batch->info, batch->hash);
        done[i] = TRUE;
        imported++;
      }
  g_assert_cmpuint (imported, ==, 5);
  g_assert_cmpuint (chain.last_seq, ==, 20);
  g_assert_cmpmem (chain.hash, 32, prev, 32);
}

/* --- sizes and names ---------------------------------------------------------- */

static void
test_padding (SyncFixture *f, gconstpointer data)
{
  gsize prev = 0;

  for (gsize len = 0; len < 4 << 20; len += 1 + len / 7)
    {
      gsize padded = koers_envelope_padded_size (len);

      g_assert_cmpuint (padded, >, len);
      g_assert_cmpuint (padded, >=, KOERS_ENVELOPE_MIN_PADDED);
      g_assert_cmpuint (padded, >=, prev);
      if (len > KOERS_ENVELOPE_MIN_PADDED)
        g_assert_cmpfloat ((double) padded / (double) (len + 1), <=, 1.12);
      prev = padded;
    }
  /* One note and a new client's whole file make batches of one size. */
  {
    KoersBatchInfo one = sync_fixture_info (f, 1, 1, 1, NULL);
    KoersBatchInfo many = sync_fixture_info (f, 1, 1, 25, NULL);
    g_autoptr (GBytes) a = sync_fixture_seal (f, &one);
    g_autoptr (GBytes) b = sync_fixture_seal (f, &many);

    g_assert_cmpuint (g_bytes_get_size (a), ==, g_bytes_get_size (b));
  }
}

static void
test_file_names (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 3, 0x1234, 16, NULL);
  g_autofree char *name = koers_envelope_file_name (&info);
  guint32 epoch;
  guint64 first, last;

  g_assert_cmpstr (name, ==, "00000003-0000000000001234-0000000000001243.batch");
  g_assert_true (koers_envelope_parse_file_name (name, &epoch, &first, &last));
  g_assert_cmpuint (epoch, ==, 3);
  g_assert_cmpuint (first, ==, 0x1234);
  g_assert_cmpuint (last, ==, 0x1243);
  g_assert_false (koers_envelope_parse_file_name ("00000003-0000000000001234-0000000000001243.batc", &epoch, &first, &last));
  g_assert_false (koers_envelope_parse_file_name ("00000003-0000000000001234-0000000000001243.tmp", &epoch, &first, &last));
  g_assert_false (koers_envelope_parse_file_name ("00000003-0000000000001244-0000000000001243.batch", &epoch, &first, &last));
  g_assert_false (koers_envelope_parse_file_name ("00000003-000000000000123G-0000000000001243.batch", &epoch, &first, &last));
  g_assert_false (koers_envelope_parse_file_name ("00000003-000000000000123A-0000000000001243.batch", &epoch, &first, &last));
  g_assert_false (koers_envelope_parse_file_name ("00000000-0000000000001234-0000000000001243.batch", &epoch, &first, &last));
  g_assert_false (koers_envelope_parse_file_name ("../../etc/passwd", &epoch, &first, &last));
}

static void
test_sealer_refuses (SyncFixture *f, gconstpointer data)
{
  KoersBatchInfo info = sync_fixture_info (f, 0, 1, 1, NULL);
  g_autoptr (GBytes) jsonl = sync_fixture_jsonl (1, 1);
  const KoersSyncKey *to[] = { f->office_seal };
  g_autoptr (GError) error = NULL;

  g_assert_null (koers_envelope_seal (&info, jsonl, f->device, to, 1, &error));
  g_assert_error (error, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_INVALID);
  g_clear_error (&error);
  info.epoch = 1;
  g_assert_null (koers_envelope_seal (&info, jsonl, f->device, to, 0, &error));
  g_assert_error (error, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/sync/envelope/" path, SyncFixture, NULL, \
                                  sync_fixture_set_up, fn, sync_fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("seal-is-random", test_seal_is_random);
  ADD ("many-chunks", test_many_chunks);
  ADD ("every-byte", test_every_byte);
  ADD ("truncated", test_truncated);
  ADD ("truncated-resigned", test_truncated_resigned);
  ADD ("appended", test_appended);
  ADD ("bytes-after-final", test_bytes_after_final);
  ADD ("stanza-swapped", test_stanza_swapped);
  ADD ("wrong-commitment", test_wrong_commitment);
  ADD ("unknown-signer", test_unknown_signer);
  ADD ("replayed", test_replayed);
  ADD ("forked", test_forked);
  ADD ("other-steunpunt", test_other_steunpunt);
  ADD ("not-for-us", test_not_for_us);
  ADD ("bad-json", test_bad_json);
  ADD ("bad-compression", test_bad_compression);
  ADD ("decompression-bomb", test_decompression_bomb);
  ADD ("size-caps", test_size_caps);
  ADD ("chain-rules", test_chain_rules);
  ADD ("chain-walk", test_chain_walk);
  ADD ("padding", test_padding);
  ADD ("file-names", test_file_names);
  ADD ("sealer-refuses", test_sealer_refuses);
  return g_test_run ();
}
