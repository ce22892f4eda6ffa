/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-vault"

#include "koers-cipher.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#define AD_MAGIC     "KoersPg1"
#define AD_MAX_BYTES (8 + KOERS_DB_ID_BYTES + 4 + 8)
#define FEISTEL_ROUNDS 4
#define SIP_KEY_BYTES  crypto_shorthash_siphash24_KEYBYTES

struct _KoersCipher
{
  gatomicrefcount refs;
  guint format;
  guint8 db_id[KOERS_DB_ID_BYTES];
  guint8 *page_key;   /* sodium_malloc: wiped and freed with the cipher */
  guint8 *other_key;  /* the other page AEAD's key, only to tell a wrong key
                         file from damage; NULL where that AEAD is not usable */
  guint8 *wal_key;    /* format 1: BLAKE2b key of the checksum mask; else NULL */
  guint8 *sip_key;    /* formats 2 and 3: SipHash key of the checksum mask; else NULL */
};

static guint8 *
derive_subkey (const guint8 *master_key, gsize len, guint64 id, const char *context)
{
  guint8 *key = sodium_malloc (len);

  g_assert (key != NULL);
  crypto_kdf_derive_from_key (key, len, id, context, master_key);
  sodium_mprotect_readonly (key);
  return key;
}

static gboolean aes_unavailable_for_testing;

void
koers_cipher_set_aes_unavailable_for_testing (gboolean unavailable)
{
  aes_unavailable_for_testing = unavailable;
}

gboolean
koers_cipher_format_is_usable (guint format)
{
  if (format < KOERS_FORMAT_OLDEST || format > KOERS_FORMAT_NEWEST)
    return FALSE;
  if (format == KOERS_FORMAT_AES_GCM)
    {
      /* libsodium learns the processor's features in sodium_init(); before
       * it, AES-GCM looks unavailable. It is idempotent and thread-safe. */
      if (sodium_init () < 0)
        return FALSE;
      return !aes_unavailable_for_testing && crypto_aead_aes256gcm_is_available ();
    }
  return TRUE;
}

guint
koers_cipher_format_for_new_vault (void)
{
  return koers_cipher_format_is_usable (KOERS_FORMAT_AES_GCM) ? KOERS_FORMAT_AES_GCM
                                                              : KOERS_FORMAT_SIPHASH_MASK;
}

guint
koers_cipher_format_upgraded (guint format)
{
  return format == KOERS_FORMAT_BLAKE2B_MASK ? KOERS_FORMAT_SIPHASH_MASK : format;
}

KoersCipher *
koers_cipher_new (const guint8 *master_key,
                  const guint8 *db_id,
                  guint         format)
{
  KoersCipher *self;

  g_return_val_if_fail (koers_cipher_format_is_usable (format), NULL);
  self = g_new0 (KoersCipher, 1);
  g_atomic_ref_count_init (&self->refs);
  self->format = format;
  memcpy (self->db_id, db_id, KOERS_DB_ID_BYTES);
  /* Subkeys keep the page cipher and the checksum mask independent, and
   * each page AEAD has a key of its own (id 1 or 4). The format decides
   * the mask's round function, and only its key is made. */
  self->page_key = derive_subkey (master_key, KOERS_KEY_BYTES,
                                  format == KOERS_FORMAT_AES_GCM ? 4 : 1, "koerspag");
  if (format == KOERS_FORMAT_AES_GCM || koers_cipher_format_is_usable (KOERS_FORMAT_AES_GCM))
    self->other_key = derive_subkey (master_key, KOERS_KEY_BYTES,
                                     format == KOERS_FORMAT_AES_GCM ? 1 : 4, "koerspag");
  if (format == KOERS_FORMAT_BLAKE2B_MASK)
    self->wal_key = derive_subkey (master_key, KOERS_KEY_BYTES, 2, "koerswal");
  else
    self->sip_key = derive_subkey (master_key, SIP_KEY_BYTES, 3, "koerswal");
  return self;
}

guint
koers_cipher_get_format (KoersCipher *self)
{
  return self->format;
}

KoersCipher *
koers_cipher_ref (KoersCipher *self)
{
  g_atomic_ref_count_inc (&self->refs);
  return self;
}

void
koers_cipher_unref (KoersCipher *self)
{
  if (!g_atomic_ref_count_dec (&self->refs))
    return;
  sodium_free (self->page_key);  /* sodium_free wipes before freeing */
  sodium_free (self->other_key);
  sodium_free (self->wal_key);   /* sodium_free (NULL) does nothing */
  sodium_free (self->sip_key);
  g_free (self);
}

const guint8 *
koers_cipher_get_db_id (KoersCipher *self)
{
  return self->db_id;
}

static gsize
build_ad (KoersCipher  *self,
          const guint8 *page,
          guint32       pgno,
          guint8       *ad)
{
  gsize len = 0;

  memcpy (ad, AD_MAGIC, 8);
  len += 8;
  memcpy (ad + len, self->db_id, KOERS_DB_ID_BYTES);
  len += KOERS_DB_ID_BYTES;
  ad[len++] = (pgno >> 24) & 0xff;
  ad[len++] = (pgno >> 16) & 0xff;
  ad[len++] = (pgno >> 8) & 0xff;
  ad[len++] = pgno & 0xff;
  if (pgno == 1)
    {
      memcpy (ad + len, page + KOERS_CLEAR_HDR_START,
              KOERS_CLEAR_HDR_END - KOERS_CLEAR_HDR_START);
      len += KOERS_CLEAR_HDR_END - KOERS_CLEAR_HDR_START;
    }
  return len;
}

/* Page 1 keeps bytes 16..23 in clear, so its secret part is two runs; they
 * are gathered into @scratch to run the AEAD over one contiguous buffer. */
static void
gather_page1 (const guint8 *page, guint32 usable, guint8 *scratch)
{
  memcpy (scratch, page, KOERS_CLEAR_HDR_START);
  memcpy (scratch + KOERS_CLEAR_HDR_START, page + KOERS_CLEAR_HDR_END,
          usable - KOERS_CLEAR_HDR_END);
}

static void
scatter_page1 (const guint8 *scratch, guint32 usable, guint8 *page)
{
  memcpy (page, scratch, KOERS_CLEAR_HDR_START);
  memcpy (page + KOERS_CLEAR_HDR_END, scratch + KOERS_CLEAR_HDR_START,
          usable - KOERS_CLEAR_HDR_END);
}

/* Nonces are drawn from the kernel's CSPRNG (randombytes_buf, getrandom()
 * in libsodium 1.0.18) in batches of NONCE_BATCH: one system call for that
 * many page writes instead of one per page, which cost about a fifth of a
 * page's sealing (docs/benchmarks.md). Each nonce is still fresh, random,
 * used once and wiped from the batch when taken. The batch is per thread;
 * a child made by fork() drops the copy it inherited (pthread_atfork), so
 * parent and child never seal with the same nonce. */
#define NONCE_BATCH 64

typedef struct
{
  guint8  bytes[NONCE_BATCH * KOERS_NONCE_BYTES];
  guint   left;
  guint   generation;
} NonceBatch;

static _Thread_local NonceBatch nonce_batch;
static volatile guint fork_generation;

static void
nonce_batch_forget_after_fork (void)
{
  fork_generation++;
}

static gpointer
nonce_batch_init_once (gpointer data)
{
  if (pthread_atfork (NULL, NULL, nonce_batch_forget_after_fork) != 0)
    g_error ("pthread_atfork failed");
  return NULL;
}

static void
take_nonce (guint8 *nonce)
{
  static GOnce once = G_ONCE_INIT;
  NonceBatch *b = &nonce_batch;

  g_once (&once, nonce_batch_init_once, NULL);
  if (b->left == 0 || b->generation != fork_generation)
    {
      randombytes_buf (b->bytes, sizeof b->bytes);
      b->left = NONCE_BATCH;
      b->generation = fork_generation;
    }
  b->left--;
  memcpy (nonce, b->bytes + b->left * KOERS_NONCE_BYTES, KOERS_NONCE_BYTES);
  sodium_memzero (b->bytes + b->left * KOERS_NONCE_BYTES, KOERS_NONCE_BYTES);
}

static gboolean
is_aes (KoersCipher *self)
{
  return self->format == KOERS_FORMAT_AES_GCM;
}

/* Format 3: XChaCha20's construction with AES-256-GCM in place of
 * ChaCha20-Poly1305. HChaCha20 of the page key over the nonce's first 16
 * bytes gives a key for this one write; AES-256-GCM runs under it with 4
 * zero bytes and the nonce's last 8 bytes as its 96-bit nonce. A key per
 * write, so GCM's nonce can never repeat under a key, which random 96-bit
 * nonces under one key could (docs/vault-format.md, "The page AEAD"). */
static void
aes_gcm_begin (const guint8                *page_key,
               const guint8                *nonce,
               crypto_aead_aes256gcm_state *state,
               guint8                      *gcm_nonce)
{
  guint8 write_key[crypto_core_hchacha20_OUTPUTBYTES];

  crypto_core_hchacha20 (write_key, nonce, page_key, NULL);
  crypto_aead_aes256gcm_beforenm (state, write_key);
  sodium_memzero (write_key, sizeof write_key);
  memset (gcm_nonce, 0, 4);
  memcpy (gcm_nonce + 4, nonce + 16, 8);
}

/* The page AEAD of the cipher's format, detached, @c may be @m. */
static void
aead_seal (KoersCipher  *self,
           guint8       *c,
           guint8       *tag,
           const guint8 *m,
           gsize         len,
           const guint8 *ad,
           gsize         ad_len,
           const guint8 *nonce)
{
  crypto_aead_aes256gcm_state state;
  guint8 gcm_nonce[crypto_aead_aes256gcm_NPUBBYTES];

  if (!is_aes (self))
    {
      crypto_aead_xchacha20poly1305_ietf_encrypt_detached (c, tag, NULL, m, len, ad, ad_len,
                                                           NULL, nonce, self->page_key);
      return;
    }
  aes_gcm_begin (self->page_key, nonce, &state, gcm_nonce);
  crypto_aead_aes256gcm_encrypt_detached_afternm (c, tag, NULL, m, len, ad, ad_len,
                                                  NULL, gcm_nonce, &state);
  sodium_memzero (&state, sizeof state);
}

/* FALSE when the tag does not match; then @m (if any) is zeroed, never
 * plaintext: libsodium 1.0.18 checks the tag before it decrypts and zeroes
 * @m itself, but later versions decrypt AES-GCM first, so it is zeroed
 * here too. With @m NULL only the tag is checked: nothing is decrypted. */
static gboolean
aead_open (gboolean      aes,
           const guint8 *key,
           guint8       *m,
           const guint8 *c,
           gsize         len,
           const guint8 *tag,
           const guint8 *ad,
           gsize         ad_len,
           const guint8 *nonce)
{
  crypto_aead_aes256gcm_state state;
  guint8 gcm_nonce[crypto_aead_aes256gcm_NPUBBYTES];
  gboolean ok;

  if (!aes)
    return crypto_aead_xchacha20poly1305_ietf_decrypt_detached (m, NULL, c, len, tag, ad, ad_len,
                                                                nonce, key) == 0;
  aes_gcm_begin (key, nonce, &state, gcm_nonce);
  ok = crypto_aead_aes256gcm_decrypt_detached_afternm (m, NULL, c, len, tag, ad, ad_len,
                                                       gcm_nonce, &state) == 0;
  sodium_memzero (&state, sizeof state);
  if (!ok && m != NULL)
    sodium_memzero (m, len);
  return ok;
}

void
koers_cipher_seal_page_from (KoersCipher  *self,
                             const guint8 *plain,
                             guint8       *sealed,
                             guint32       page_size,
                             guint32       pgno)
{
  guint32 usable = page_size - KOERS_PAGE_RESERVE;
  guint8 *nonce = sealed + usable;
  guint8 *tag = nonce + KOERS_NONCE_BYTES;
  guint8 ad[AD_MAX_BYTES];
  gsize ad_len = build_ad (self, plain, pgno, ad);

  /* A fresh random nonce on every write: a counter would repeat when a
   * rollback restores an older page. */
  take_nonce (nonce);
  if (pgno == 1)
    {
      guint8 scratch[65536];
      guint32 len = usable - (KOERS_CLEAR_HDR_END - KOERS_CLEAR_HDR_START);

      gather_page1 (plain, usable, scratch);
      aead_seal (self, scratch, tag, scratch, len, ad, ad_len, nonce);
      if (sealed != plain)
        memcpy (sealed + KOERS_CLEAR_HDR_START, plain + KOERS_CLEAR_HDR_START,
                KOERS_CLEAR_HDR_END - KOERS_CLEAR_HDR_START);
      scatter_page1 (scratch, usable, sealed);
      sodium_memzero (scratch, len);
      return;
    }
  /* Out of place when @sealed is not @plain: no copy of the page first. */
  aead_seal (self, sealed, tag, plain, usable, ad, ad_len, nonce);
}

void
koers_cipher_seal_page (KoersCipher *self,
                        guint8      *page,
                        guint32      page_size,
                        guint32      pgno)
{
  koers_cipher_seal_page_from (self, page, page, page_size, pgno);
}

gboolean
koers_cipher_open_page (KoersCipher *self,
                        guint8      *page,
                        guint32      page_size,
                        guint32      pgno)
{
  guint32 usable = page_size - KOERS_PAGE_RESERVE;
  const guint8 *nonce = page + usable;
  const guint8 *tag = nonce + KOERS_NONCE_BYTES;
  guint8 ad[AD_MAX_BYTES];
  gsize ad_len = build_ad (self, page, pgno, ad);

  if (pgno == 1)
    {
      guint8 scratch[65536];
      guint32 len = usable - (KOERS_CLEAR_HDR_END - KOERS_CLEAR_HDR_START);
      gboolean ok;

      gather_page1 (page, usable, scratch);
      ok = aead_open (is_aes (self), self->page_key, scratch, scratch, len, tag, ad, ad_len, nonce);
      if (ok)
        scatter_page1 (scratch, usable, page);
      sodium_memzero (scratch, len);
      return ok;
    }
  /* libsodium verifies the tag before it writes any plaintext (on a bad
   * tag it zeroes the output, here the page itself). */
  return aead_open (is_aes (self), self->page_key, page, page, usable, tag, ad, ad_len, nonce);
}

/* Checks the tag only (a third of the cost of opening an XChaCha20 page):
 * with no output buffer libsodium returns before it decrypts anything. */
static gboolean
verify_with (KoersCipher  *self,
             gboolean      aes,
             const guint8 *key,
             const guint8 *page,
             guint32       page_size,
             guint32       pgno)
{
  guint32 usable = page_size - KOERS_PAGE_RESERVE;
  const guint8 *nonce = page + usable;
  const guint8 *tag = nonce + KOERS_NONCE_BYTES;
  guint8 ad[AD_MAX_BYTES];
  gsize ad_len = build_ad (self, page, pgno, ad);

  if (pgno == 1)
    {
      guint8 scratch[65536];
      guint32 len = usable - (KOERS_CLEAR_HDR_END - KOERS_CLEAR_HDR_START);

      gather_page1 (page, usable, scratch);
      return aead_open (aes, key, NULL, scratch, len, tag, ad, ad_len, nonce);
    }
  return aead_open (aes, key, NULL, page, usable, tag, ad, ad_len, nonce);
}

gboolean
koers_cipher_verify_page (KoersCipher  *self,
                          const guint8 *page,
                          guint32       page_size,
                          guint32       pgno)
{
  return verify_with (self, is_aes (self), self->page_key, page, page_size, pgno);
}

gboolean
koers_cipher_sealed_by_other_aead (KoersCipher  *self,
                                   const guint8 *page,
                                   guint32       page_size,
                                   guint32       pgno)
{
  return self->other_key != NULL &&
         verify_with (self, !is_aes (self), self->other_key, page, page_size, pgno);
}

/* One round function of the Feistel permutation over the 8 checksum bytes:
 * a keyed PRF over (offset, salts, round, half), of which the first 4 bytes
 * are taken. Format 1: BLAKE2b with a 16-byte output; formats 2 and 3: SipHash-2-4
 * (a PRF made for short inputs, about a tenth of the cost: one frame header
 * costs 4 rounds, docs/vault-format.md "The checksum mask"). */
static guint32
feistel_round (KoersCipher  *self,
               const guint8 *tweak,
               guint8        round,
               guint32       half)
{
  guint8 msg[16 + 1 + 4];
  guint8 out[16];

  guint32 half_le = GUINT32_TO_LE (half);

  memcpy (msg, tweak, 16);
  msg[16] = round;
  memcpy (msg + 17, &half_le, 4);
  if (self->sip_key != NULL)
    crypto_shorthash_siphash24 (out, msg, sizeof msg, self->sip_key);
  else
    crypto_generichash (out, 16, msg, sizeof msg, self->wal_key, KOERS_KEY_BYTES);
  return (guint32) out[0] | (guint32) out[1] << 8 | (guint32) out[2] << 16 | (guint32) out[3] << 24;
}

static guint32
load_le32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static void
checksum_tweak (const guint8 *frame_header, gint64 frame_offset, guint8 *tweak)
{
  guint64 off = GUINT64_TO_LE ((guint64) frame_offset);

  memcpy (tweak, &off, 8);
  memcpy (tweak + 8, frame_header + 8, 8);   /* salt-1, salt-2 */
}

void
koers_cipher_mask_wal_checksum (KoersCipher *self,
                                guint8      *frame_header,
                                gint64       frame_offset)
{
  guint8 tweak[16];
  guint32 l, r;

  checksum_tweak (frame_header, frame_offset, tweak);
  l = load_le32 (frame_header + 16);
  r = load_le32 (frame_header + 20);
  for (guint8 i = 0; i < FEISTEL_ROUNDS; i++)
    {
      guint32 t = l ^ feistel_round (self, tweak, i, r);
      l = r;
      r = t;
    }
  l = GUINT32_TO_LE (l);
  r = GUINT32_TO_LE (r);
  memcpy (frame_header + 16, &l, 4);
  memcpy (frame_header + 20, &r, 4);
}

void
koers_cipher_unmask_wal_checksum (KoersCipher *self,
                                  guint8      *frame_header,
                                  gint64       frame_offset)
{
  guint8 tweak[16];
  guint32 l, r;

  checksum_tweak (frame_header, frame_offset, tweak);
  l = load_le32 (frame_header + 16);
  r = load_le32 (frame_header + 20);
  for (int i = FEISTEL_ROUNDS - 1; i >= 0; i--)
    {
      guint32 t = r ^ feistel_round (self, tweak, (guint8) i, l);
      r = l;
      l = t;
    }
  l = GUINT32_TO_LE (l);
  r = GUINT32_TO_LE (r);
  memcpy (frame_header + 16, &l, 4);
  memcpy (frame_header + 20, &r, 4);
}
