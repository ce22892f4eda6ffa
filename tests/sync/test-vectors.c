/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Known-answer vectors of docs/sync-format.md, read from the document
 * itself (its ```vectors blocks), so the document and the code cannot
 * drift apart. For each format:
 *  - the implementation, given the document's inputs (and, for a batch, a
 *    randombytes that returns the document's bytes in order), makes the
 *    document's bytes;
 *  - the same bytes are rebuilt with libsodium (and zlib for the payload)
 *    alone, step by step as the document describes;
 *  - the implementation opens them.
 * KOERS_PRINT_VECTORS=1 prints the block from the implementation instead:
 * how the document's values were made. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include <gio/gio.h>
#include <sodium.h>
#include <string.h>

#include "koers-ack.h"
#include "koers-enrollment.h"
#include "koers-envelope-private.h"

static GHashTable *vectors;   /* name → value, from the document */
static gboolean printing;

/* --- a randombytes that hands out the document's bytes --------------------- */

static guint8 next_byte;

static void
fixed_buf (void *const buf, const size_t size)
{
  for (size_t i = 0; i < size; i++)
    ((guint8 *) buf)[i] = next_byte++;
}

static uint32_t
fixed_random (void)
{
  uint32_t v;

  fixed_buf (&v, sizeof v);
  return v;
}

static const char *
fixed_name (void)
{
  return "koers-test-vectors";
}

static randombytes_implementation fixed_rng = {
  .implementation_name = fixed_name,
  .random = fixed_random,
  .buf = fixed_buf,
};

/* --- the document ---------------------------------------------------------- */

static void
load_vectors (void)
{
  const char *path = SYNC_FORMAT_DOC;
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  gboolean inside = FALSE;

  vectors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("cannot read %s", path);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *eq;

      if (g_str_has_prefix (lines[i], "```"))
        {
          inside = strcmp (lines[i], "```vectors") == 0;
          continue;
        }
      if (!inside || lines[i][0] == '#' || (eq = strstr (lines[i], " = ")) == NULL)
        continue;
      g_hash_table_replace (vectors, g_strstrip (g_strndup (lines[i], (gsize) (eq - lines[i]))),
                            g_strdup (eq + 3));
    }
}

static const char *
text (const char *name)
{
  const char *value = g_hash_table_lookup (vectors, name);

  if (value == NULL)
    g_error ("docs/sync-format.md has no vector %s", name);
  return value;
}

static guint64
number (const char *name)
{
  return g_ascii_strtoull (text (name), NULL, 10);
}

/* The named hex value, which must be @len bytes (0: any length). */
static GBytes *
hex (const char *name, gsize len)
{
  const char *h = text (name);
  gsize n = strlen (h) / 2, got = 0;
  guint8 *out = g_malloc (n + 1);

  if (len != 0 && n != len)
    g_error ("vector %s: %" G_GSIZE_FORMAT " bytes, expected %" G_GSIZE_FORMAT, name, n, len);
  g_assert_cmpint (sodium_hex2bin (out, n, h, strlen (h), NULL, &got, NULL), ==, 0);
  g_assert_cmpuint (got, ==, n);
  return g_bytes_new_take (out, n);
}


static const guint8 *
raw (GBytes *bytes)
{
  return g_bytes_get_data (bytes, NULL);
}

/* Prints (in print mode) or checks @data against vector @name. */
static void
answer (const char *name, const guint8 *data, gsize len)
{
  g_autofree char *h = g_malloc (len * 2 + 1);

  sodium_bin2hex (h, len * 2 + 1, data, len);
  if (printing)
    {
      g_print ("%s = %s\n", name, h);
      return;
    }
  if (strcmp (h, text (name)) != 0)
    g_error ("vector %s differs:\n  made     %s\n  document %s", name, h, text (name));
}

static void
answer_bytes (const char *name, GBytes *bytes)
{
  answer (name, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Ed25519 by hand: the key from the named seed signs @len bytes. */
static void
sign_by_hand (const char *seed_name, const guint8 *data, gsize len, guint8 *signature)
{
  g_autoptr (GBytes) seed = hex (seed_name, 32);
  guint8 pk[32], sk[64];

  crypto_sign_seed_keypair (pk, sk, raw (seed));
  crypto_sign_detached (signature, NULL, data, len, sk);
  sodium_memzero (sk, sizeof sk);
}

/* --- the parties ------------------------------------------------------------- */

typedef struct
{
  KoersSyncKey *device, *office_seal, *office_sign, *team_seal;
  KoersBatchInfo info;
  GBytes *jsonl;
} Parties;

static KoersSyncKey *
key (KoersSyncKeyKind kind, const char *name)
{
  g_autoptr (GBytes) seed = hex (name, 32);

  return koers_sync_key_new_from_seed (kind, raw (seed));
}

static void
parties_init (Parties *p)
{
  g_autoptr (GBytes) steunpunt = hex ("steunpunt_id", 16);
  g_autoptr (GBytes) device = hex ("device_id", 16);
  g_autoptr (GBytes) prev = hex ("envelope.prev_hash", 32);
  GString *lines = g_string_new (NULL);

  p->device = key (KOERS_SYNC_KEY_SIGN, "device_seed");
  p->office_seal = key (KOERS_SYNC_KEY_SEAL, "office_seal_secret");
  p->office_sign = key (KOERS_SYNC_KEY_SIGN, "office_sign_seed");
  p->team_seal = key (KOERS_SYNC_KEY_SEAL, "team_seal_secret");
  memcpy (p->info.steunpunt_id, raw (steunpunt), 16);
  memcpy (p->info.device_id, raw (device), 16);
  memcpy (p->info.prev_hash, raw (prev), 32);
  p->info.epoch = (guint32) number ("envelope.epoch");
  p->info.first_seq = number ("envelope.first_seq");
  p->info.last_seq = number ("envelope.last_seq");
  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("envelope.jsonl.%u", i);
      g_string_append_printf (lines, "%s\n", text (name));
    }
  p->jsonl = g_string_free_to_bytes (lines);
}

static void
parties_clear (Parties *p)
{
  koers_sync_key_free (p->device);
  koers_sync_key_free (p->office_seal);
  koers_sync_key_free (p->office_sign);
  koers_sync_key_free (p->team_seal);
  g_bytes_unref (p->jsonl);
}

/* --- the envelope --------------------------------------------------------------- */

static GBytes *
seal_with_fixed_random (Parties *p)
{
  const KoersSyncKey *to[] = { p->office_seal, p->team_seal };
  g_autoptr (GError) error = NULL;
  GBytes *file;

  next_byte = 0;
  file = koers_envelope_seal (&p->info, p->jsonl, p->device, to, 2, &error);
  g_assert_no_error (error);
  return file;
}

static void
test_envelope_made (void)
{
  Parties p = { 0 };
  g_autoptr (GBytes) file = NULL;
  guint8 hash[32];
  gsize len;
  const guint8 *d;

  parties_init (&p);
  file = seal_with_fixed_random (&p);
  d = g_bytes_get_data (file, &len);
  koers_sync_hash (d, len, hash);
  answer ("envelope.header", d, KOERS_ENVELOPE_FIXED_HEADER + 2 * KOERS_ENVELOPE_STANZA);
  answer ("envelope.ciphertext_first_64", d + 378, 64);
  answer ("envelope.ciphertext_last_17", d + len - 64 - 17, 17);
  answer ("envelope.signature", d + len - 64, 64);
  answer ("envelope.file_blake2b", hash, 32);
  if (printing)
    g_print ("envelope.file_length = %" G_GSIZE_FORMAT "\n", len);
  else
    g_assert_cmpuint (len, ==, number ("envelope.file_length"));
  parties_clear (&p);
}

/* The envelope by the document, with libsodium alone. */
static void
test_envelope_rebuilt (void)
{
  Parties p = { 0 };
  g_autoptr (GBytes) file_key = hex ("envelope.file_key", 32);
  g_autoptr (GBytes) stream_header = hex ("envelope.stream_header", 24);
  g_autoptr (GBytes) compressed = hex ("envelope.compressed", 0);
  g_autoptr (GBytes) made = NULL;
  const char *esk_names[2] = { "envelope.office_ephemeral_secret", "envelope.team_ephemeral_secret" };
  const guint8 *rpk[2];
  guint8 payload_key[32], commitment[32], header[378], header_hash[32];
  guint8 padded[4096], body[4096 + 17], signature[64], hash[32];
  g_autoptr (GByteArray) file = g_byte_array_new ();
  crypto_secretstream_xchacha20poly1305_state st;
  gsize clen = g_bytes_get_size (compressed);

  parties_init (&p);
  rpk[0] = koers_sync_key_get_public (p.office_seal);
  rpk[1] = koers_sync_key_get_public (p.team_seal);
  answer ("office_seal_public", rpk[0], 32);
  answer ("team_seal_public", rpk[1], 32);
  answer ("device_public", koers_sync_key_get_public (p.device), 32);

  /* keys from the file key */
  crypto_kdf_derive_from_key (payload_key, 32, 1, "KoersBat", raw (file_key));
  crypto_kdf_derive_from_key (commitment, 32, 2, "KoersBat", raw (file_key));
  answer ("envelope.payload_key", payload_key, 32);
  answer ("envelope.commitment", commitment, 32);

  /* the header */
  memset (header, 0, sizeof header);
  memcpy (header, "KOERSBAT", 8);
  header[9] = 1;    /* version 1, big-endian */
  header[10] = 1;   /* raw deflate */
  header[11] = 2;   /* recipients */
  memcpy (header + 12, p.info.steunpunt_id, 16);
  memcpy (header + 28, p.info.device_id, 16);
  koers_sync_put_be (header + 44, p.info.epoch, 4);
  koers_sync_put_be (header + 48, p.info.first_seq, 8);
  koers_sync_put_be (header + 56, p.info.last_seq, 8);
  memcpy (header + 64, p.info.prev_hash, 32);
  memcpy (header + 96, raw (stream_header), 24);
  memcpy (header + 120, commitment, 32);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (GBytes) esk = hex (esk_names[i], 32);
      guint8 *stanza = header + 152 + i * 113, epk[32], nonce[24], both[64];

      crypto_scalarmult_base (epk, raw (esk));
      memcpy (both, epk, 32);
      memcpy (both + 32, rpk[i], 32);
      crypto_generichash (nonce, 24, both, 64, NULL, 0);
      stanza[0] = 1;
      memcpy (stanza + 1, rpk[i], 32);
      memcpy (stanza + 33, epk, 32);
      g_assert_cmpint (crypto_box_easy (stanza + 65, raw (file_key), 32, nonce, rpk[i], raw (esk)), ==, 0);
    }
  answer ("envelope.header", header, sizeof header);
  crypto_generichash (header_hash, 32, header, sizeof header, NULL, 0);
  answer ("envelope.header_blake2b", header_hash, 32);

  /* the payload: deflate (checked below), padded to its bucket, one chunk */
  g_assert_cmpuint (clen + 1, <=, sizeof padded);
  memset (padded, 0, sizeof padded);
  memcpy (padded, raw (compressed), clen);
  padded[clen] = 0x80;
  crypto_secretstream_xchacha20poly1305_init_pull (&st, raw (stream_header), payload_key);
  crypto_secretstream_xchacha20poly1305_push (&st, body, NULL, padded, sizeof padded, header_hash, 32,
                                              crypto_secretstream_xchacha20poly1305_TAG_FINAL);
  g_byte_array_append (file, header, sizeof header);
  g_byte_array_append (file, body, sizeof body);
  sign_by_hand ("device_seed", file->data, file->len, signature);
  g_byte_array_append (file, signature, sizeof signature);
  answer ("envelope.signature", signature, 64);
  crypto_generichash (hash, 32, file->data, file->len, NULL, 0);
  answer ("envelope.file_blake2b", hash, 32);
  if (!printing)
    g_assert_cmpuint (file->len, ==, number ("envelope.file_length"));

  /* and the implementation with the same random bytes makes exactly it */
  made = seal_with_fixed_random (&p);
  g_assert_cmpmem (g_bytes_get_data (made, NULL), g_bytes_get_size (made), file->data, file->len);
  parties_clear (&p);
}

/* The compressed payload inflates to the JSON Lines; zlib's deflate at level
 * 6 makes exactly it (Debian 12's zlib 1.2.13). */
static void
test_envelope_payload (void)
{
  Parties p = { 0 };
  g_autoptr (GBytes) deflated = NULL;
  g_autoptr (GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
  guint8 out[4096];
  gsize read = 0, written = 0;

  parties_init (&p);
  deflated = koers_envelope_deflate (g_bytes_get_data (p.jsonl, NULL), g_bytes_get_size (p.jsonl));
  answer_bytes ("envelope.compressed", deflated);
  if (!printing)
    {
      g_autoptr (GBytes) compressed = hex ("envelope.compressed", 0);

      g_assert_cmpint (g_converter_convert (G_CONVERTER (z), raw (compressed), g_bytes_get_size (compressed),
                                            out, sizeof out, G_CONVERTER_INPUT_AT_END, &read, &written, NULL),
                       ==, G_CONVERTER_FINISHED);
      g_assert_cmpmem (out, written, g_bytes_get_data (p.jsonl, NULL), g_bytes_get_size (p.jsonl));
    }
  parties_clear (&p);
}

static void
test_envelope_opens (void)
{
  Parties p = { 0 };
  g_autoptr (GBytes) file = NULL;
  g_autoptr (KoersKnownDevices) devices = koers_known_devices_new ();

  if (printing)
    return;
  parties_init (&p);
  file = seal_with_fixed_random (&p);
  koers_known_devices_add (devices, p.info.device_id, p.info.steunpunt_id, koers_sync_key_get_public (p.device));
  for (guint who = 0; who < 2; who++)
    {
      KoersEnvelopeOpenOptions opts = { .recipient = who ? p.team_seal : p.office_seal, .devices = devices };
      g_autoptr (GError) error = NULL;
      g_autoptr (KoersBatch) batch = koers_envelope_open (file, &opts, &error);

      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (batch->jsonl, p.jsonl));
      answer ("envelope.file_blake2b", batch->hash, 32);
    }
  parties_clear (&p);
}

/* --- the acknowledgement ---------------------------------------------------------- */

static KoersAck
vector_ack (void)
{
  g_autoptr (GBytes) steunpunt = hex ("steunpunt_id", 16);
  g_autoptr (GBytes) device = hex ("device_id", 16);
  g_autoptr (GBytes) hash = hex ("envelope.file_blake2b", 32);
  KoersAck ack = { .at_ms = (gint64) number ("ack.at_ms") };

  memcpy (ack.steunpunt_id, raw (steunpunt), 16);
  memcpy (ack.device_id, raw (device), 16);
  ack.acked.epoch = (guint32) number ("envelope.epoch");
  ack.acked.last_seq = number ("envelope.last_seq");
  memcpy (ack.acked.hash, raw (hash), 32);
  return ack;
}

static void
test_ack (void)
{
  g_autoptr (KoersSyncKey) office = key (KOERS_SYNC_KEY_SIGN, "office_sign_seed");
  KoersAck ack = vector_ack (), back;
  g_autoptr (GBytes) file = koers_ack_write (&ack, office);
  guint8 by_hand[158];

  answer ("office_sign_public", koers_sync_key_get_public (office), 32);
  answer_bytes ("ack.file", file);
  if (printing)
    return;
  memcpy (by_hand, "KOERSACK", 8);
  by_hand[8] = 0, by_hand[9] = 1;
  memcpy (by_hand + 10, ack.steunpunt_id, 16);
  memcpy (by_hand + 26, ack.device_id, 16);
  koers_sync_put_be (by_hand + 42, ack.acked.epoch, 4);
  koers_sync_put_be (by_hand + 46, ack.acked.last_seq, 8);
  memcpy (by_hand + 54, ack.acked.hash, 32);
  koers_sync_put_be (by_hand + 86, (guint64) ack.at_ms, 8);
  sign_by_hand ("office_sign_seed", by_hand, 94, by_hand + 94);
  answer ("ack.file", by_hand, sizeof by_hand);
  g_assert_true (koers_ack_read (file, koers_sync_key_get_public (office), NULL, NULL, &back, NULL));
}

/* --- the enrollment file ------------------------------------------------------------ */

static KoersEnrollment *
vector_enrollment (void)
{
  KoersEnrollment *e = koers_enrollment_new ();
  g_autoptr (GBytes) steunpunt = hex ("steunpunt_id", 16);
  g_autoptr (KoersSyncKey) office_seal = key (KOERS_SYNC_KEY_SEAL, "office_seal_secret");
  g_autoptr (KoersSyncKey) office_sign = key (KOERS_SYNC_KEY_SIGN, "office_sign_seed");
  g_autoptr (KoersSyncKey) team = key (KOERS_SYNC_KEY_SEAL, "team_seal_secret");
  g_autoptr (GBytes) pin = hex ("enrollment.pin_sha256", 32);

  memcpy (e->steunpunt_id, raw (steunpunt), 16);
  memcpy (e->office_seal_public, koers_sync_key_get_public (office_seal), 32);
  memcpy (e->office_sign_public, koers_sync_key_get_public (office_sign), 32);
  memcpy (e->team_seal_public, koers_sync_key_get_public (team), 32);
  e->team_key_generation = (guint32) number ("enrollment.team_key_generation");
  e->issued_at_ms = (gint64) number ("enrollment.issued_at_ms");
  e->has_pin = TRUE;
  memcpy (e->pin_sha256, raw (pin), 32);
  e->drop_url = g_strdup (text ("enrollment.drop_url"));
  e->drop_user = g_strdup (text ("enrollment.drop_user"));
  e->drop_password = g_strdup (text ("enrollment.drop_password"));
  e->device_name = g_strdup (text ("enrollment.device_name"));
  return e;
}

static void
put_text (GByteArray *out, const char *s, guint prefix)
{
  guint8 len[4];

  koers_sync_put_be (len, strlen (s), prefix);
  g_byte_array_append (out, len, prefix);
  g_byte_array_append (out, (const guint8 *) s, strlen (s));
}

static void
test_enrollment (void)
{
  g_autoptr (KoersEnrollment) e = vector_enrollment ();
  g_autoptr (KoersSyncKey) office = key (KOERS_SYNC_KEY_SIGN, "office_sign_seed");
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) file = koers_enrollment_make (e, office, &error);
  g_autoptr (GByteArray) by_hand = g_byte_array_new ();
  g_autoptr (KoersEnrollment) back = NULL;
  guint8 fixed[167] = { 0 }, sig[64];

  g_assert_no_error (error);
  answer_bytes ("enrollment.file", file);
  if (printing)
    return;
  memcpy (fixed, "KOERSENR", 8);
  fixed[9] = 1;
  memcpy (fixed + 10, e->steunpunt_id, 16);
  memcpy (fixed + 26, e->office_seal_public, 32);
  memcpy (fixed + 58, e->office_sign_public, 32);
  memcpy (fixed + 90, e->team_seal_public, 32);
  koers_sync_put_be (fixed + 122, e->team_key_generation, 4);
  koers_sync_put_be (fixed + 126, (guint64) e->issued_at_ms, 8);
  fixed[134] = 1;
  memcpy (fixed + 135, e->pin_sha256, 32);
  g_byte_array_append (by_hand, fixed, sizeof fixed);
  put_text (by_hand, e->drop_url, 2);
  put_text (by_hand, e->drop_user, 2);
  put_text (by_hand, e->drop_password, 2);
  put_text (by_hand, e->device_name, 2);
  put_text (by_hand, "", 4);
  sign_by_hand ("office_sign_seed", by_hand->data, by_hand->len, sig);
  g_byte_array_append (by_hand, sig, sizeof sig);
  answer ("enrollment.file", by_hand->data, by_hand->len);
  back = koers_enrollment_parse (file, e->office_sign_public, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->device_name, ==, e->device_name);
}

int
main (int argc, char **argv)
{
  /* before sodium_init(): every random byte is the document's */
  randombytes_set_implementation (&fixed_rng);
  g_assert_cmpint (sodium_init (), >=, 0);
  printing = g_getenv ("KOERS_PRINT_VECTORS") != NULL;
  g_test_init (&argc, &argv, NULL);
  load_vectors ();
  g_test_add_func ("/sync/vectors/envelope-payload", test_envelope_payload);
  g_test_add_func ("/sync/vectors/envelope-made", test_envelope_made);
  g_test_add_func ("/sync/vectors/envelope-rebuilt", test_envelope_rebuilt);
  g_test_add_func ("/sync/vectors/envelope-opens", test_envelope_opens);
  g_test_add_func ("/sync/vectors/ack", test_ack);
  g_test_add_func ("/sync/vectors/enrollment", test_enrollment);
  return g_test_run ();
}
