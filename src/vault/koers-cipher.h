/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cipher.h: page encryption of the vault (internal to src/vault/).
 *
 * Each page keeps its last KOERS_PAGE_RESERVE bytes for a fresh random
 * 24-byte nonce and the 16-byte tag of the page AEAD: XChaCha20-Poly1305
 * (formats 1 and 2) or AES-256-GCM under a key of its own for each write
 * (format 3, where the processor has AES-NI). The associated
 * data binds "KoersPg1", the database id and the page number; on page 1 it
 * also binds header bytes 16..23, which stay in clear so that SQLite and
 * the VFS can learn the page size before anything is decrypted.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KOERS_KEY_BYTES       32
#define KOERS_DB_ID_BYTES     16
#define KOERS_NONCE_BYTES     24
#define KOERS_TAG_BYTES       16
#define KOERS_PAGE_RESERVE    (KOERS_NONCE_BYTES + KOERS_TAG_BYTES)
#define KOERS_PAGE_SIZE       4096
/* Page 1 bytes kept in clear: page size, format versions, reserve size,
 * payload fractions. */
#define KOERS_CLEAR_HDR_START 16
#define KOERS_CLEAR_HDR_END   24

/* Vault formats (`[vault] format` in koers.keys, docs/vault-format.md
 * "Versioning"): the round function of the WAL checksum mask and the page
 * AEAD. 1: BLAKE2b mask, XChaCha20-Poly1305 pages; 2: SipHash mask,
 * XChaCha20-Poly1305 pages; 3: SipHash mask, AES-256-GCM pages. */
#define KOERS_FORMAT_BLAKE2B_MASK 1
#define KOERS_FORMAT_SIPHASH_MASK 2
#define KOERS_FORMAT_AES_GCM      3
#define KOERS_FORMAT_OLDEST       KOERS_FORMAT_BLAKE2B_MASK
#define KOERS_FORMAT_NEWEST       KOERS_FORMAT_AES_GCM

/* Can this process seal and open pages of @format? Format 3 needs a
 * processor with AES-NI and CLMUL (libsodium 1.0.18 has AES-GCM nowhere
 * else). */
gboolean     koers_cipher_format_is_usable (guint         format);
/* The format a new vault is made in: 3 where it is usable, else 2. */
guint        koers_cipher_format_for_new_vault (void);
/* The format a vault of @format takes once its WAL holds no frame: the
 * newest one with the same page AEAD (1 becomes 2; pages are not re-sealed). */
guint        koers_cipher_format_upgraded  (guint         format);
/* Test switch only: pretend the processor has no AES-NI. */
void         koers_cipher_set_aes_unavailable_for_testing (gboolean unavailable);

typedef struct _KoersCipher KoersCipher;

/* A cipher for a vault of @format (KOERS_FORMAT_OLDEST..._NEWEST), which
 * must be usable here (koers_cipher_format_is_usable()). */
KoersCipher *koers_cipher_new              (const guint8 *master_key,
                                            const guint8 *db_id,
                                            guint         format);
guint        koers_cipher_get_format       (KoersCipher  *self);
KoersCipher *koers_cipher_ref              (KoersCipher  *self);
void         koers_cipher_unref            (KoersCipher  *self);
const guint8 *koers_cipher_get_db_id       (KoersCipher  *self);

/* In place. @page holds @page_size bytes whose reserve area is free. */
void         koers_cipher_seal_page        (KoersCipher  *self,
                                            guint8       *page,
                                            guint32       page_size,
                                            guint32       pgno);
/* The same, from @plain into @sealed (both @page_size bytes; they may be
 * the same buffer). @plain's reserve area is not read. */
void         koers_cipher_seal_page_from   (KoersCipher  *self,
                                            const guint8 *plain,
                                            guint8       *sealed,
                                            guint32       page_size,
                                            guint32       pgno);
/* In place; FALSE when the page does not authenticate. Then no plaintext
 * is written, but the payload is not kept either: libsodium zeroes its
 * output on a bad tag, so a page other than page 1 (opened in place) comes
 * back zeroed; callers must treat it as gone. */
gboolean     koers_cipher_open_page        (KoersCipher  *self,
                                            guint8       *page,
                                            guint32       page_size,
                                            guint32       pgno);

/* Does the sealed @page authenticate as page @pgno? Checks the tag only
 * (Poly1305 over the ciphertext): nothing is decrypted, @page is unchanged. */
gboolean     koers_cipher_verify_page      (KoersCipher  *self,
                                            const guint8 *page,
                                            guint32       page_size,
                                            guint32       pgno);

/* Does the sealed @page authenticate as page @pgno under the *other* page
 * AEAD (XChaCha20-Poly1305 for a format-3 cipher, AES-256-GCM for the
 * others), with the same master key? Then the vault was sealed in another
 * format than the key file names: a wrong key file, not damage. FALSE where
 * the other AEAD is not usable. */
gboolean     koers_cipher_sealed_by_other_aead (KoersCipher  *self,
                                                const guint8 *page,
                                                guint32       page_size,
                                                guint32       pgno);

/* Hides (or reveals) SQLite's WAL frame checksum, bytes 16..23 of a frame
 * header, with a tweakable permutation keyed by the vault and tweaked by
 * the frame's offset and salts: 4 Feistel rounds of SipHash-2-4 (formats 2, 3)
 * or of keyed BLAKE2b (format 1), as the cipher's format says. Deterministic, so SQLite's own rewrites of
 * a header stay consistent; it leaks only whether the same checksum was
 * written twice at the same place in the same WAL generation. */
void         koers_cipher_mask_wal_checksum   (KoersCipher *self,
                                               guint8      *frame_header,
                                               gint64       frame_offset);
void         koers_cipher_unmask_wal_checksum (KoersCipher *self,
                                               guint8      *frame_header,
                                               gint64       frame_offset);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersCipher, koers_cipher_unref)

G_END_DECLS
