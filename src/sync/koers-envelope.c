/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-envelope.c: sealing and opening batches (docs/sync-format.md).
 * The reader checks in one fixed order and stops at the first failure;
 * nothing it allocates depends on a number in the file, only on the file's
 * own length and the caps. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "koers-envelope-private.h"
#include "koers-sync-json.h"

G_DEFINE_QUARK (koers-envelope-error-quark, koers_envelope_error)

/* The quarantine reason codes, by KoersEnvelopeError. */
static const char *const error_codes[] = {
  "size", "format", "signature", "steunpunt", "recipient", "key-commitment",
  "name", "chain-gap", "duplicate", "stale", "fork", "decrypt", "decompress",
  "json", "invalid",
};

G_STATIC_ASSERT (G_N_ELEMENTS (error_codes) == KOERS_ENVELOPE_ERROR_INVALID + 1);

const char *
koers_envelope_error_code (const GError *error)
{
  if (error != NULL && error->domain == KOERS_ENVELOPE_ERROR && error->code >= 0
      && (gsize) error->code < G_N_ELEMENTS (error_codes))
    return error_codes[error->code];
  return "unreadable";
}

#define SEALED_KEY_BYTES (crypto_secretstream_xchacha20poly1305_KEYBYTES + crypto_box_SEALBYTES)
#define ABYTES           crypto_secretstream_xchacha20poly1305_ABYTES
#define KDF_CONTEXT      "KoersBat"
#define KDF_PAYLOAD      1
#define KDF_COMMITMENT   2
#define MIN_FILE         (KOERS_ENVELOPE_FIXED_HEADER + KOERS_ENVELOPE_STANZA + ABYTES \
                          + KOERS_SYNC_SIGNATURE_BYTES)

G_STATIC_ASSERT (1 + KOERS_SYNC_PUBLIC_BYTES + SEALED_KEY_BYTES == KOERS_ENVELOPE_STANZA);
G_STATIC_ASSERT (crypto_secretstream_xchacha20poly1305_HEADERBYTES == 24);

#define FAIL(error, code, ...) \
  (g_set_error (error, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_##code, __VA_ARGS__), FALSE)
#define FAIL_NULL(error, code, ...) \
  (g_set_error (error, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_##code, __VA_ARGS__), NULL)

/* Offsets in the fixed header. */
enum
{
  OFF_VERSION = 8,
  OFF_COMPRESSION = 10,
  OFF_STEUNPUNT = 12,
  OFF_DEVICE = 28,
  OFF_EPOCH = 44,
  OFF_FIRST = 48,
  OFF_LAST = 56,
  OFF_PREV = 64,
};

void
koers_batch_free (KoersBatch *batch)
{
  if (batch == NULL)
    return;
  g_clear_pointer (&batch->jsonl, g_bytes_unref);
  g_free (batch);
}

/* The payload key and the key commitment, both from the file key. */
static void
derive (const guint8 *file_key,
        guint8       *payload_key,
        guint8       *commitment)
{
  if (payload_key != NULL)
    crypto_kdf_derive_from_key (payload_key, crypto_secretstream_xchacha20poly1305_KEYBYTES,
                                KDF_PAYLOAD, KDF_CONTEXT, file_key);
  if (commitment != NULL)
    crypto_kdf_derive_from_key (commitment, KOERS_SYNC_HASH_BYTES,
                                KDF_COMMITMENT, KDF_CONTEXT, file_key);
}

/* Padmé (Nikitin et al. 2019): at most 12% more, and the size keeps only
 * O(log log n) bits; never below KOERS_ENVELOPE_MIN_PADDED, so every small
 * batch looks alike. */
gsize
koers_envelope_padded_size (gsize len)
{
  guint e, s;
  gsize mask;

  len += 1;   /* sodium_pad's 0x80 marker */
  if (len <= KOERS_ENVELOPE_MIN_PADDED)
    return KOERS_ENVELOPE_MIN_PADDED;
  e = g_bit_storage (len) - 1;
  s = g_bit_storage (e);
  mask = ((gsize) 1 << (e - s)) - 1;
  return (len + mask) & ~mask;
}

/* Compression --------------------------------------------------------------- */

/* Runs @converter over @in into a buffer that grows to at most @cap
 * bytes (never more, whatever the input says). */
static GBytes *
convert (GConverter   *converter,
         const guint8 *in,
         gsize         in_len,
         gsize         cap,
         gboolean     *over_cap,
         GError      **error)
{
  g_autofree guint8 *out = NULL;
  gsize len = 0, size = 0;
  GConverterResult result;

  *over_cap = FALSE;
  do
    {
      gsize read = 0, written = 0;

      if (len == size)
        {
          if (size == cap)
            {
              *over_cap = TRUE;
              return NULL;
            }
          size = MIN (MAX (size * 2, (gsize) 65536), cap);
          out = g_realloc (out, size);
        }
      result = g_converter_convert (converter, in, in_len, out + len, size - len,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        {
          /* no room for even one more piece of output */
          if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) || size == cap)
            {
              *over_cap = g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
              return NULL;
            }
          g_clear_error (error);
          size = MIN (size * 2, cap);
          out = g_realloc (out, size);
          continue;
        }
      len += written, in += read, in_len -= read;
    }
  while (result != G_CONVERTER_FINISHED);
  if (in_len != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "bytes after the end");
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&out), len);
}

GBytes *
koers_envelope_deflate (const guint8 *data,
                        gsize         len)
{
  g_autoptr (GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW,
                                                         KOERS_ENVELOPE_ZLIB_LEVEL);
  g_autoptr (GError) error = NULL;
  GBytes *out;
  gboolean over;

  /* Deflate never grows data by more than 0.1% + 12 bytes per block. */
  out = convert (G_CONVERTER (z), data, len, len + len / 64 + 1024, &over, &error);
  if (out == NULL)
    g_error ("deflate failed: %s", error ? error->message : "no room");
  return out;
}

/* Sealing ----------------------------------------------------------------- */

static gboolean
check_info (const KoersBatchInfo *info,
            GError              **error)
{
  if (info->epoch == 0 || info->first_seq == 0 || info->first_seq > info->last_seq)
    return FAIL (error, INVALID, "A batch needs an epoch and a sequence range (from %" G_GUINT64_FORMAT
                 " to %" G_GUINT64_FORMAT ", epoch %u).", info->first_seq, info->last_seq, info->epoch);
  return TRUE;
}

/* A change larger than any batch may be (a note of tens of megabytes). */
static GBytes *
too_large (gsize len, GError **error)
{
  g_autofree char *size = g_format_size (len);

  return FAIL_NULL (error, INVALID, _("These changes are too large to send in one batch (%s)."), size);
}

static void
write_fixed_header (guint8               *h,
                    const KoersBatchInfo *info,
                    guint                 n_recipients)
{
  memcpy (h, KOERS_ENVELOPE_MAGIC, 8);
  koers_sync_put_be (h + OFF_VERSION, KOERS_ENVELOPE_VERSION, 2);
  h[OFF_COMPRESSION] = KOERS_ENVELOPE_DEFLATE;
  h[KOERS_ENVELOPE_OFF_NRECIP] = (guint8) n_recipients;
  memcpy (h + OFF_STEUNPUNT, info->steunpunt_id, KOERS_SYNC_ID_BYTES);
  memcpy (h + OFF_DEVICE, info->device_id, KOERS_SYNC_ID_BYTES);
  koers_sync_put_be (h + OFF_EPOCH, info->epoch, 4);
  koers_sync_put_be (h + OFF_FIRST, info->first_seq, 8);
  koers_sync_put_be (h + OFF_LAST, info->last_seq, 8);
  memcpy (h + OFF_PREV, info->prev_hash, KOERS_SYNC_HASH_BYTES);
}

/* Encrypts @plain (padded) in chunks after the header at @out; returns the
 * number of bytes written. */
static gsize
encrypt_chunks (crypto_secretstream_xchacha20poly1305_state *st,
                const guint8                                *header_hash,
                const guint8                                *plain,
                gsize                                        len,
                guint8                                      *out)
{
  gsize done = 0, written = 0;

  while (done < len)
    {
      gsize n = MIN ((gsize) KOERS_ENVELOPE_CHUNK, len - done);
      gboolean last = done + n == len;
      guint8 tag = last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
                        : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;

      crypto_secretstream_xchacha20poly1305_push (st, out + written, NULL, plain + done, n,
                                                  done == 0 ? header_hash : NULL,
                                                  done == 0 ? KOERS_SYNC_HASH_BYTES : 0, tag);
      done += n;
      written += n + ABYTES;
    }
  return written;
}

/* The file key, the stream header, the commitment and the stanzas into
 * the header at @out; @st ready to push. Random draws in this order (the
 * test vectors depend on it): the file key, the stream header, then each
 * stanza's ephemeral key. */
static void
seal_file_key (guint8                                      *out,
               const KoersSyncKey *const                   *recipients,
               guint                                        n_recipients,
               crypto_secretstream_xchacha20poly1305_state *st)
{
  guint8 *file_key = sodium_malloc (2 * crypto_secretstream_xchacha20poly1305_KEYBYTES);
  guint8 *payload_key;

  if (file_key == NULL)
    g_error ("out of locked memory for a key");
  payload_key = file_key + crypto_secretstream_xchacha20poly1305_KEYBYTES;
  crypto_secretstream_xchacha20poly1305_keygen (file_key);
  derive (file_key, payload_key, out + KOERS_ENVELOPE_OFF_COMMIT);
  crypto_secretstream_xchacha20poly1305_init_push (st, out + KOERS_ENVELOPE_OFF_STREAM, payload_key);
  for (guint i = 0; i < n_recipients; i++)
    {
      guint8 *stanza = out + KOERS_ENVELOPE_FIXED_HEADER + (gsize) i * KOERS_ENVELOPE_STANZA;

      stanza[0] = 1;
      memcpy (stanza + 1, koers_sync_key_get_public (recipients[i]), KOERS_SYNC_PUBLIC_BYTES);
      crypto_box_seal (stanza + 1 + KOERS_SYNC_PUBLIC_BYTES, file_key,
                       crypto_secretstream_xchacha20poly1305_KEYBYTES, stanza + 1);
    }
  sodium_free (file_key);
}

static gboolean
check_recipients (const KoersSyncKey *const *recipients,
                  guint                      n_recipients,
                  GError                   **error)
{
  if (n_recipients == 0 || n_recipients > KOERS_ENVELOPE_MAX_RECIPIENTS)
    return FAIL (error, INVALID, "A batch is sealed to 1 to %d recipients, not %u.",
                 KOERS_ENVELOPE_MAX_RECIPIENTS, n_recipients);
  for (guint i = 0; i < n_recipients; i++)
    if (recipients[i] == NULL || koers_sync_key_get_kind (recipients[i]) != KOERS_SYNC_KEY_SEAL)
      return FAIL (error, INVALID, "Recipient %u of a batch is not an X25519 key.", i);
  return TRUE;
}

GBytes *
koers_envelope_seal_compressed (const KoersBatchInfo      *info,
                                GBytes                    *compressed,
                                const KoersSyncKey        *device_key,
                                const KoersSyncKey *const *recipients,
                                guint                      n_recipients,
                                GError                   **error)
{
  crypto_secretstream_xchacha20poly1305_state st;
  guint8 header_hash[KOERS_SYNC_HASH_BYTES];
  gsize clen, padded, hlen, n_chunks, total, body;
  const guint8 *cdata;
  g_autofree guint8 *plain = NULL;
  guint8 *out;

  g_return_val_if_fail (info != NULL && compressed != NULL, NULL);
  g_return_val_if_fail (koers_sync_key_has_secret (device_key)
                        && koers_sync_key_get_kind (device_key) == KOERS_SYNC_KEY_SIGN, NULL);
  if (!check_info (info, error) || !check_recipients (recipients, n_recipients, error))
    return NULL;
  cdata = g_bytes_get_data (compressed, &clen);
  padded = koers_envelope_padded_size (clen);
  hlen = KOERS_ENVELOPE_FIXED_HEADER + (gsize) n_recipients * KOERS_ENVELOPE_STANZA;
  n_chunks = (padded + KOERS_ENVELOPE_CHUNK - 1) / KOERS_ENVELOPE_CHUNK;
  total = hlen + padded + n_chunks * ABYTES + KOERS_SYNC_SIGNATURE_BYTES;
  if (total > KOERS_ENVELOPE_MAX_FILE)
    return too_large (clen, error);

  out = g_malloc (total);
  write_fixed_header (out, info, n_recipients);
  seal_file_key (out, recipients, n_recipients, &st);
  koers_sync_hash (out, hlen, header_hash);

  plain = g_malloc (padded);
  if (clen > 0)
    memcpy (plain, cdata, clen);
  if (sodium_pad (NULL, plain, clen, padded, padded) != 0)
    g_error ("padding failed");
  body = encrypt_chunks (&st, header_hash, plain, padded, out + hlen);
  sodium_memzero (&st, sizeof st);
  sodium_memzero (plain, padded);
  g_assert (hlen + body + KOERS_SYNC_SIGNATURE_BYTES == total);
  koers_sync_sign (device_key, out, hlen + body, out + hlen + body);
  return g_bytes_new_take (out, total);
}

GBytes *
koers_envelope_seal (const KoersBatchInfo      *info,
                     GBytes                    *jsonl,
                     const KoersSyncKey        *device_key,
                     const KoersSyncKey *const *recipients,
                     guint                      n_recipients,
                     GError                   **error)
{
  g_autoptr (GBytes) compressed = NULL;
  const char *data, *why = NULL;
  guint n_lines, line;
  gsize len;

  g_return_val_if_fail (info != NULL && jsonl != NULL, NULL);
  if (!check_info (info, error))
    return NULL;
  data = g_bytes_get_data (jsonl, &len);
  if (len > KOERS_ENVELOPE_MAX_PLAIN)
    return too_large (len, error);
  if (!koers_sync_jsonl_check (data, len, info->first_seq, info->last_seq, &n_lines, &line, &why))
    return FAIL_NULL (error, INVALID, "Change %u of the batch cannot be sent: %s.", line, why);
  compressed = koers_envelope_deflate ((const guint8 *) data, len);
  return koers_envelope_seal_compressed (info, compressed, device_key, recipients, n_recipients, error);
}

/* Opening ------------------------------------------------------------------- */

/* What the reader learns as it goes. */
typedef struct
{
  const guint8                   *data;
  gsize                           len;
  const KoersEnvelopeOpenOptions *opts;
  gsize                           hlen;     /* header length */
  gsize                           body;     /* ciphertext length */
  guint                           n_recipients;
  KoersBatchInfo                  info;
  guint8                          hash[KOERS_SYNC_HASH_BYTES];
  guint8                         *file_key; /* sodium_malloc */
} Reader;

static gsize
cap (gsize wanted, gsize hard)
{
  return wanted == 0 || wanted > hard ? hard : wanted;
}

static gboolean
check_size (Reader *r, GError **error)
{
  gsize max = cap (r->opts->max_file, KOERS_ENVELOPE_MAX_FILE);
  g_autofree char *size = g_format_size_full (r->len, G_FORMAT_SIZE_LONG_FORMAT);

  if (r->len > max)
    {
      g_autofree char *limit = g_format_size (max);
      return FAIL (error, SIZE, _("The batch is too large (%s; at most %s)."), size, limit);
    }
  if (r->len < MIN_FILE)
    return FAIL (error, SIZE, _("The batch is too short to be one (%s)."), size);
  r->n_recipients = r->data[KOERS_ENVELOPE_OFF_NRECIP];
  if (r->n_recipients == 0 || r->n_recipients > KOERS_ENVELOPE_MAX_RECIPIENTS)
    return FAIL (error, SIZE, _("The batch names %u recipients (1 to %d are allowed)."),
                 r->n_recipients, KOERS_ENVELOPE_MAX_RECIPIENTS);
  r->hlen = KOERS_ENVELOPE_FIXED_HEADER + (gsize) r->n_recipients * KOERS_ENVELOPE_STANZA;
  if (r->len < r->hlen + ABYTES + KOERS_SYNC_SIGNATURE_BYTES)
    return FAIL (error, SIZE, _("The batch is too short for its header (%s)."), size);
  r->body = r->len - r->hlen - KOERS_SYNC_SIGNATURE_BYTES;
  return TRUE;
}

static gboolean
check_format (Reader *r, GError **error)
{
  const guint8 *h = r->data;
  KoersBatchInfo *info = &r->info;

  if (memcmp (h, KOERS_ENVELOPE_MAGIC, 8) != 0)
    return FAIL (error, FORMAT, _("This is not a Koers batch."));
  if (koers_sync_get_be (h + OFF_VERSION, 2) != KOERS_ENVELOPE_VERSION)
    return FAIL (error, FORMAT, _("The batch has format version %u; this program reads version %d."),
                 (guint) koers_sync_get_be (h + OFF_VERSION, 2), KOERS_ENVELOPE_VERSION);
  if (h[OFF_COMPRESSION] != KOERS_ENVELOPE_DEFLATE)
    return FAIL (error, FORMAT, _("The batch is compressed in an unknown way (%u)."), h[OFF_COMPRESSION]);
  memcpy (info->steunpunt_id, h + OFF_STEUNPUNT, KOERS_SYNC_ID_BYTES);
  memcpy (info->device_id, h + OFF_DEVICE, KOERS_SYNC_ID_BYTES);
  info->epoch = (guint32) koers_sync_get_be (h + OFF_EPOCH, 4);
  info->first_seq = koers_sync_get_be (h + OFF_FIRST, 8);
  info->last_seq = koers_sync_get_be (h + OFF_LAST, 8);
  memcpy (info->prev_hash, h + OFF_PREV, KOERS_SYNC_HASH_BYTES);
  if (info->epoch == 0 || info->first_seq == 0 || info->first_seq > info->last_seq)
    return FAIL (error, FORMAT, _("The batch's sequence numbers make no sense."));
  for (guint i = 0; i < r->n_recipients; i++)
    if (h[KOERS_ENVELOPE_FIXED_HEADER + (gsize) i * KOERS_ENVELOPE_STANZA] != 1)
      return FAIL (error, FORMAT, _("The batch has a recipient of an unknown kind."));
  return TRUE;
}

static gboolean
check_signature (Reader *r, GError **error)
{
  const guint8 *steunpunt = NULL;
  const guint8 *pk = koers_known_devices_lookup (r->opts->devices, r->info.device_id, &steunpunt);
  gsize signed_len = r->hlen + r->body;

  if (pk == NULL)
    {
      g_autofree char *id = koers_sync_id_to_uuid (r->info.device_id);
      return FAIL (error, SIGNATURE, _("The batch comes from an unknown device (%s)."), id);
    }
  if (!koers_sync_verify (pk, r->data, signed_len, r->data + signed_len))
    return FAIL (error, SIGNATURE, _("The batch's signature does not verify: it was changed or not made by its device."));
  if (memcmp (steunpunt, r->info.steunpunt_id, KOERS_SYNC_ID_BYTES) != 0
      || (r->opts->steunpunt_id != NULL
          && memcmp (r->opts->steunpunt_id, r->info.steunpunt_id, KOERS_SYNC_ID_BYTES) != 0))
    return FAIL (error, STEUNPUNT, _("The batch belongs to another steunpunt than its device or its folder."));
  return TRUE;
}

static gboolean
check_key (Reader *r, GError **error)
{
  const KoersSyncKey *me = r->opts->recipient;
  const guint8 *stanza = NULL;
  guint8 commitment[KOERS_SYNC_HASH_BYTES];

  for (guint i = 0; i < r->n_recipients && stanza == NULL; i++)
    {
      const guint8 *s = r->data + KOERS_ENVELOPE_FIXED_HEADER + (gsize) i * KOERS_ENVELOPE_STANZA;

      if (sodium_memcmp (s + 1, koers_sync_key_get_public (me), KOERS_SYNC_PUBLIC_BYTES) == 0)
        stanza = s;
    }
  if (stanza == NULL)
    return FAIL (error, RECIPIENT, _("The batch is not sealed to this key."));
  r->file_key = sodium_malloc (crypto_secretstream_xchacha20poly1305_KEYBYTES);
  if (r->file_key == NULL)
    g_error ("out of locked memory for a key");
  if (crypto_box_seal_open (r->file_key, stanza + 1 + KOERS_SYNC_PUBLIC_BYTES, SEALED_KEY_BYTES,
                            koers_sync_key_get_public (me), koers_sync_key_get_secret (me)) != 0)
    return FAIL (error, RECIPIENT, _("The batch's key cannot be unsealed with this key."));
  derive (r->file_key, NULL, commitment);
  if (sodium_memcmp (commitment, r->data + KOERS_ENVELOPE_OFF_COMMIT, sizeof commitment) != 0)
    return FAIL (error, KEY_COMMITMENT, _("The batch's key does not match its commitment: its recipients would read different contents."));
  return TRUE;
}

static gboolean
check_chain (Reader *r, GError **error)
{
  const char *name = r->opts->name;

  if (name != NULL)
    {
      g_autofree char *expected = koers_envelope_file_name (&r->info);

      if (strcmp (name, expected) != 0)
        return FAIL (error, NAME, _("The batch is stored as %s but holds %s."), name, expected);
    }
  if (r->opts->chain == NULL)
    return TRUE;
  switch (koers_chain_check (r->opts->chain, &r->info, r->hash))
    {
    case KOERS_CHAIN_NEXT:
      return TRUE;
    case KOERS_CHAIN_GAP:
      return FAIL (error, CHAIN_GAP, _("Earlier batches of this device are still missing."));
    case KOERS_CHAIN_DUPLICATE:
      return FAIL (error, CHAIN_DUPLICATE, _("This batch was already imported."));
    case KOERS_CHAIN_STALE:
      return FAIL (error, CHAIN_STALE, _("This batch is older than the last one imported from its device."));
    case KOERS_CHAIN_FORK:
    default:
      return FAIL (error, CHAIN_FORK, _("This batch holds other changes under sequence numbers already imported from its device: a person must look at it."));
    }
}

/* Decrypts the chunks into the padded payload, then unpads it. */
static GBytes *
decrypt (Reader *r, GError **error)
{
  crypto_secretstream_xchacha20poly1305_state st;
  guint8 payload_key[crypto_secretstream_xchacha20poly1305_KEYBYTES];
  guint8 header_hash[KOERS_SYNC_HASH_BYTES];
  const guint8 *in = r->data + r->hlen;
  gsize left = r->body, plain_len = 0, unpadded = 0;
  g_autofree guint8 *plain = g_malloc (r->body);   /* the plaintext is shorter */
  gboolean final = FALSE;
  gsize chunk = 0;

  derive (r->file_key, payload_key, NULL);
  koers_sync_hash (r->data, r->hlen, header_hash);
  crypto_secretstream_xchacha20poly1305_init_pull (&st, r->data + KOERS_ENVELOPE_OFF_STREAM, payload_key);
  sodium_memzero (payload_key, sizeof payload_key);
  while (left > 0)
    {
      gsize n = MIN ((gsize) KOERS_ENVELOPE_CHUNK + ABYTES, left);
      unsigned long long got = 0;
      guint8 tag = 0;

      if (final)
        return FAIL_NULL (error, DECRYPT, _("The batch has bytes after its end."));
      if (n < ABYTES
          || crypto_secretstream_xchacha20poly1305_pull (&st, plain + plain_len, &got, &tag, in, n,
                                                         chunk == 0 ? header_hash : NULL,
                                                         chunk == 0 ? sizeof header_hash : 0) != 0)
        return FAIL_NULL (error, DECRYPT, _("The batch's contents do not decrypt: a part was changed, moved or lost."));
      final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
      plain_len += got, in += n, left -= n, chunk++;
    }
  sodium_memzero (&st, sizeof st);
  if (!final)
    return FAIL_NULL (error, DECRYPT, _("The batch is cut short: its last part is missing."));
  if (sodium_unpad (&unpadded, plain, plain_len, plain_len) != 0
      || koers_envelope_padded_size (unpadded) != plain_len)
    return FAIL_NULL (error, DECRYPT, _("The batch's padding is wrong."));
  return g_bytes_new_take (g_steal_pointer (&plain), unpadded);
}

static GBytes *
decompress (Reader *r, GBytes *compressed, GError **error)
{
  g_autoptr (GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW);
  gsize max = cap (r->opts->max_plain, KOERS_ENVELOPE_MAX_PLAIN), len;
  const guint8 *data = g_bytes_get_data (compressed, &len);
  g_autoptr (GError) local = NULL;
  gboolean over = FALSE;
  GBytes *out = convert (G_CONVERTER (z), data, len, max, &over, &local);

  if (out == NULL && over)
    {
      g_autofree char *limit = g_format_size (max);
      return FAIL_NULL (error, DECOMPRESS, _("The batch's changes are larger than %s when unpacked."), limit);
    }
  if (out == NULL)
    return FAIL_NULL (error, DECOMPRESS, _("The batch's changes cannot be unpacked (%s)."), local->message);
  return out;
}

static gboolean
check_json (GBytes *jsonl, const KoersBatchInfo *info, guint *n_changes, GError **error)
{
  gsize len;
  const char *data = g_bytes_get_data (jsonl, &len);
  const char *why = NULL;
  guint line = 0;

  if (!koers_sync_jsonl_check (data, len, info->first_seq, info->last_seq, n_changes, &line, &why))
    return FAIL (error, JSON, _("Change %u of the batch is not a valid change (%s)."), line, why);
  return TRUE;
}

static KoersBatch *
open_checked (Reader *r, GError **error)
{
  g_autoptr (GBytes) compressed = NULL;
  g_autoptr (GBytes) jsonl = NULL;
  KoersBatch *batch;
  guint n_changes = 0;

  if (!check_size (r, error) || !check_format (r, error) || !check_signature (r, error)
      || !check_key (r, error))
    return NULL;
  koers_sync_hash (r->data, r->len, r->hash);
  if (!check_chain (r, error))
    return NULL;
  if ((compressed = decrypt (r, error)) == NULL
      || (jsonl = decompress (r, compressed, error)) == NULL
      || !check_json (jsonl, &r->info, &n_changes, error))
    return NULL;
  batch = g_new0 (KoersBatch, 1);
  batch->info = r->info;
  memcpy (batch->hash, r->hash, sizeof batch->hash);
  batch->jsonl = g_steal_pointer (&jsonl);
  batch->n_changes = n_changes;
  return batch;
}

KoersBatch *
koers_envelope_open (GBytes                         *file,
                     const KoersEnvelopeOpenOptions *options,
                     GError                        **error)
{
  Reader r = { 0 };
  KoersBatch *batch;

  g_return_val_if_fail (file != NULL && options != NULL, NULL);
  g_return_val_if_fail (options->devices != NULL, NULL);
  g_return_val_if_fail (koers_sync_key_has_secret (options->recipient)
                        && koers_sync_key_get_kind (options->recipient) == KOERS_SYNC_KEY_SEAL, NULL);
  r.data = g_bytes_get_data (file, &r.len);
  r.opts = options;
  batch = open_checked (&r, error);
  if (r.file_key != NULL)
    sodium_free (r.file_key);
  return batch;
}

/* Chain rules ------------------------------------------------------------- */

KoersChainVerdict
koers_chain_check (const KoersChainState *accepted,
                   const KoersBatchInfo  *info,
                   const guint8          *hash)
{
  gboolean chained = sodium_memcmp (info->prev_hash, accepted->hash, KOERS_SYNC_HASH_BYTES) == 0;

  if (info->epoch < accepted->epoch)
    return KOERS_CHAIN_STALE;
  if (info->epoch > accepted->epoch)
    /* A new epoch (or the device's first batch) starts from the last batch
     * accepted; anything else may follow batches of the old epoch still
     * on their way. */
    return chained ? KOERS_CHAIN_NEXT : KOERS_CHAIN_GAP;
  if (info->last_seq == accepted->last_seq)
    return sodium_memcmp (hash, accepted->hash, KOERS_SYNC_HASH_BYTES) == 0
           ? KOERS_CHAIN_DUPLICATE : KOERS_CHAIN_FORK;
  if (info->first_seq == accepted->last_seq + 1)
    return chained ? KOERS_CHAIN_NEXT : KOERS_CHAIN_FORK;
  if (info->first_seq > accepted->last_seq + 1)
    return KOERS_CHAIN_GAP;
  if (info->last_seq < accepted->last_seq)
    return KOERS_CHAIN_STALE;
  return KOERS_CHAIN_FORK;   /* overlaps the accepted range differently */
}

void
koers_chain_advance (KoersChainState      *accepted,
                     const KoersBatchInfo *info,
                     const guint8         *hash)
{
  accepted->epoch = info->epoch;
  accepted->last_seq = info->last_seq;
  memcpy (accepted->hash, hash, KOERS_SYNC_HASH_BYTES);
}

/* Names ---------------------------------------------------------------------- */

char *
koers_envelope_file_name (const KoersBatchInfo *info)
{
  return g_strdup_printf ("%08x-%016" G_GINT64_MODIFIER "x-%016" G_GINT64_MODIFIER "x.batch",
                          info->epoch, info->first_seq, info->last_seq);
}

gboolean
koers_envelope_parse_file_name (const char *name,
                                guint32    *epoch,
                                guint64    *first_seq,
                                guint64    *last_seq)
{
  static const guint widths[3] = { 8, 16, 16 };
  static const char seps[3] = { '-', '-', '.' };
  guint64 values[3];
  const char *p = name;

  if (name == NULL || strlen (name) != 8 + 1 + 16 + 1 + 16 + 6 || strcmp (name + 42, ".batch") != 0)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    {
      values[i] = 0;
      for (guint k = 0; k < widths[i]; k++, p++)
        {
          if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
            return FALSE;
          values[i] = values[i] << 4 | (guint64) g_ascii_xdigit_value (*p);
        }
      if (*p++ != seps[i])
        return FALSE;
    }
  *epoch = (guint32) values[0];
  *first_seq = values[1];
  *last_seq = values[2];
  return values[0] != 0 && values[1] != 0 && values[1] <= values[2];
}
