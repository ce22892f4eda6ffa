/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Authenticates the vault's files page by page, outside SQLite: the part
 * of verify that also sees pages SQLite would never read again. */
#include "config.h"

#define G_LOG_DOMAIN "koers-vault"

#include "koers-vault-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WAL_HEADER_BYTES 32
#define WAL_FRAME_HEADER 24

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static gboolean
read_exact (int fd, guint8 *buf, gsize len, goffset off)
{
  return pread (fd, buf, len, off) == (ssize_t) len;
}

/* @in_wal: pages the WAL holds a committed, authentic copy of. SQLite reads
 * those from the WAL, never from the database file, where a checkpoint cut
 * short (a full disk, a power cut) may have left them torn: that is not
 * damage, the next checkpoint writes them whole again. */
static gboolean
scan_db (int fd, KoersCipher *cipher, guint8 *page, guint32 page_size, GHashTable *in_wal,
         GError **error)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    return FALSE;
  for (guint32 pgno = 1; (goffset) pgno * page_size <= st.st_size; pgno++)
    {
      if (!read_exact (fd, page, page_size, (goffset) (pgno - 1) * page_size) ||
          !koers_cipher_open_page (cipher, page, page_size, pgno))
        {
          if (g_hash_table_contains (in_wal, GUINT_TO_POINTER (pgno)))
            continue;
          g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_TAMPERED,
                       _("The vault is damaged or has been tampered with: page %u of the database "
                         "does not authenticate."), pgno);
          return FALSE;
        }
    }
  return TRUE;
}

/* Without POWERSAFE_OVERWRITE SQLite pads a commit to a sector boundary
 * with copies of its commit frame: same page number, same commit size,
 * same page (sealed again, so other ciphertext). They belong to that
 * transaction and are never a later one. After a torn commit frame only
 * its header can be compared, as in wal_has_later_commit() (koers-vfs.c):
 * with synchronous=FULL no later transaction is written after a commit
 * that was not yet on disk. */
typedef struct
{
  gboolean  valid;      /* the frame before was a commit frame or its copy */
  gboolean  torn;       /* that commit frame did not authenticate */
  guint8    header[8];  /* its page number and commit size */
  guint8   *page;       /* its opened page, when authentic */
  guint32   page_size;
} CommitFrame;

static void
commit_frame_init (CommitFrame *last, guint32 page_size)
{
  *last = (CommitFrame) { .page = g_malloc (page_size), .page_size = page_size };
}

static void
commit_frame_clear (CommitFrame *last)
{
  sodium_memzero (last->page, last->page_size);
  g_clear_pointer (&last->page, g_free);
}

/* Is @frame (opened in place when @authentic) a padding copy of the commit
 * frame before it? Also remembers @frame for the next call. */
static gboolean
commit_frame_copy (CommitFrame *last, const guint8 *frame, gboolean authentic)
{
  const guint8 *page = frame + WAL_FRAME_HEADER;
  gboolean copy = last->valid && authentic && memcmp (frame, last->header, 8) == 0 &&
                  (last->torn || memcmp (page, last->page, last->page_size - KOERS_PAGE_RESERVE) == 0);

  if (copy && !last->torn)
    return TRUE;
  last->valid = be32 (frame + 4) != 0;
  last->torn = last->valid && !authentic;
  memcpy (last->header, frame, 8);
  if (last->valid && authentic)
    memcpy (last->page, page, last->page_size);
  return copy;
}

/* Frames of the current generation carry the WAL header's salts. A frame
 * that fails is damage if an authentic commit frame follows it; otherwise
 * it is the unfinished tail a crash leaves, which SQLite ignores too. */
static gboolean
scan_wal (int fd, KoersCipher *cipher, guint8 *frame, guint32 page_size, GHashTable *in_wal,
          GError **error)
{
  guint8 hdr[WAL_HEADER_BYTES];
  gsize frame_size = WAL_FRAME_HEADER + page_size;
  guint32 first_bad = 0;
  gboolean bad_transaction_ended = FALSE;
  g_autoptr(GArray) uncommitted = g_array_new (FALSE, FALSE, sizeof (guint32));
  CommitFrame last;
  gboolean ok = TRUE;

  if (!read_exact (fd, hdr, sizeof hdr, 0))
    return TRUE;  /* empty WAL */
  commit_frame_init (&last, page_size);
  for (goffset off = WAL_HEADER_BYTES; ok && read_exact (fd, frame, frame_size, off); off += frame_size)
    {
      gboolean authentic;

      if (memcmp (frame + 8, hdr + 16, 8) != 0)
        break;
      authentic = koers_cipher_open_page (cipher, frame + WAL_FRAME_HEADER, page_size, be32 (frame));
      if (commit_frame_copy (&last, frame, authentic))
        continue;
      if (!authentic && first_bad == 0)
        {
          first_bad = be32 (frame) ? be32 (frame) : G_MAXUINT32;
          bad_transaction_ended = be32 (frame + 4) != 0;
          continue;
        }
      /* Damage only if a later transaction than the failing frame's own
       * committed after it: a power cut can leave the last transaction's
       * commit frame on disk without an earlier frame of it (see
       * wal_has_later_commit() in koers-vfs.c). */
      if (first_bad != 0 && be32 (frame + 4) != 0)
        {
          if (authentic && bad_transaction_ended)
            {
              g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_TAMPERED,
                           _("The vault is damaged or has been tampered with: page %u in the "
                             "write-ahead log does not authenticate."), first_bad);
              ok = FALSE;
              break;
            }
          bad_transaction_ended = TRUE;
        }
      if (authentic && first_bad == 0)
        {
          guint32 pgno = be32 (frame);

          g_array_append_val (uncommitted, pgno);
          if (be32 (frame + 4) != 0)
            {
              for (guint i = 0; i < uncommitted->len; i++)
                g_hash_table_add (in_wal, GUINT_TO_POINTER (g_array_index (uncommitted, guint32, i)));
              g_array_set_size (uncommitted, 0);
            }
        }
    }
  commit_frame_clear (&last);
  return ok;
}

/* --- what SQLite's WAL recovery would drop ------------------------------ */

#define WAL_MAGIC_LE  0x377f0682
#define WAL_MAGIC_BE  0x377f0683
#define WAL_VERSION   3007000

static guint32
wal_word (const guint8 *p, gboolean big_endian)
{
  return big_endian ? be32 (p) : (guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0];
}

/* SQLite's WAL checksum (walChecksumBytes), continued from @sum. */
static void
wal_checksum (const guint8 *p, gsize len, gboolean big_endian, guint32 sum[2])
{
  for (gsize i = 0; i + 8 <= len; i += 8)
    {
      sum[0] += wal_word (p + i, big_endian) + sum[1];
      sum[1] += wal_word (p + i + 4, big_endian) + sum[0];
    }
}

static gboolean
wal_header_valid (const guint8 *hdr, guint32 sum[2])
{
  guint32 magic = be32 (hdr);

  if ((magic != WAL_MAGIC_LE && magic != WAL_MAGIC_BE) || be32 (hdr + 4) != WAL_VERSION ||
      be32 (hdr + 8) != KOERS_PAGE_SIZE)
    return FALSE;
  sum[0] = sum[1] = 0;
  wal_checksum (hdr, 24, magic & 1, sum);
  return sum[0] == be32 (hdr + 24) && sum[1] == be32 (hdr + 28);
}

/* Does SQLite's recovery accept this frame (walDecodeFrame)? @frame holds
 * the header and, if @authentic, the opened page with its reserve zeroed,
 * as SQLite checksummed it. Advances @sum on success. */
static gboolean
wal_frame_accepted (KoersCipher *cipher, guint8 *frame, goffset off, const guint8 *hdr,
                    gboolean authentic, guint32 sum[2])
{
  guint8 fh[WAL_FRAME_HEADER];
  guint32 next[2] = { sum[0], sum[1] };
  gboolean big_endian = be32 (hdr) & 1;

  if (!authentic || memcmp (frame + 8, hdr + 16, 8) != 0 || be32 (frame) == 0)
    return FALSE;
  memcpy (fh, frame, sizeof fh);
  koers_cipher_unmask_wal_checksum (cipher, fh, off);
  wal_checksum (frame, 8, big_endian, next);
  wal_checksum (frame + WAL_FRAME_HEADER, KOERS_PAGE_SIZE, big_endian, next);
  if (next[0] != be32 (fh + 16) || next[1] != be32 (fh + 20))
    return FALSE;
  sum[0] = next[0];
  sum[1] = next[1];
  return TRUE;
}

static gboolean
open_frame (KoersCipher *cipher, guint8 *frame)
{
  guint8 *page = frame + WAL_FRAME_HEADER;

  if (!koers_cipher_open_page (cipher, page, KOERS_PAGE_SIZE, be32 (frame)))
    return FALSE;
  memset (page + KOERS_PAGE_SIZE - KOERS_PAGE_RESERVE, 0, KOERS_PAGE_RESERVE);
  return TRUE;
}

/* A frame of this log (at @off, which @frame held before it failed to
 * open) that the other page AEAD opens: koers.keys names another format
 * than the vault was made in (a key file from another vault's folder, or
 * edited). Read in the wrong AEAD every frame would fail, look like a
 * crash's torn tail and be dropped; refused instead, before SQLite reads
 * or writes anything. */
static gboolean
sealed_in_other_format (int fd, KoersCipher *cipher, guint8 *frame, goffset off, GError **error)
{
  gsize frame_size = WAL_FRAME_HEADER + KOERS_PAGE_SIZE;
  guint32 pgno = be32 (frame);

  if (pgno == 0 || pread (fd, frame, frame_size, off) != (ssize_t) frame_size ||
      !koers_cipher_sealed_by_other_aead (cipher, frame + WAL_FRAME_HEADER, KOERS_PAGE_SIZE, pgno))
    return FALSE;
  g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_CORRUPT,
               _("The vault’s key file does not belong with its data: it names another "
                 "cipher than the one the vault is encrypted with. Nothing was read or "
                 "changed. Put back the key file (koers.keys) that came with this vault."));
  return TRUE;
}

static void
set_dropped_work_error (GError **error, gboolean header_valid, guint32 pgno)
{
  if (!header_valid)
    g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_TAMPERED,
                 _("The vault is damaged or has been tampered with: the header of the "
                   "write-ahead log is damaged, and saved work after it (page %u of the "
                   "write-ahead log) would be lost. Do not open the vault with any other "
                   "program; keep a copy of the whole folder and ask for help."), pgno);
  else
    g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_TAMPERED,
                 _("The vault is damaged or has been tampered with: the frame of page %u "
                   "in the write-ahead log is damaged, and saved work after it would be "
                   "lost. Do not open the vault with any other program; keep a copy of the "
                   "whole folder and ask for help."), pgno);
}

/* SQLite's recovery reads the log up to the first frame it rejects and
 * drops the rest, as it would a crash's torn tail. The tail of a crash
 * holds at most one transaction; an authentic commit frame of a later
 * transaction (with this generation's salts) after the rejected frame —
 * or anywhere, when the header itself is rejected — is saved work that
 * damage would silently drop. */
static gboolean
check_wal_recovery (int fd, KoersCipher *cipher, guint8 *frame, GError **error)
{
  gsize frame_size = WAL_FRAME_HEADER + KOERS_PAGE_SIZE;
  guint8 hdr[WAL_HEADER_BYTES];
  guint32 sum[2];
  gboolean header_valid, own_transaction_ended = FALSE;
  guint32 stop_pgno = 0;
  gboolean stopped;
  goffset off = WAL_HEADER_BYTES;
  CommitFrame last;
  gboolean ok = TRUE;

  if (!read_exact (fd, hdr, sizeof hdr, 0))
    return TRUE;  /* no log, or only part of a header: nothing was committed to it */
  header_valid = wal_header_valid (hdr, sum);
  stopped = !header_valid;
  commit_frame_init (&last, KOERS_PAGE_SIZE);
  for (;; off += frame_size)
    {
      ssize_t got = pread (fd, frame, frame_size, off);
      gboolean authentic, current, commits;

      if (got < 0)
        {
          g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_IO,
                       _("Could not read the vault: %s"), g_strerror (errno));
          ok = FALSE;  /* never taken for the end of the log */
          break;
        }
      if ((gsize) got < frame_size)
        break;
      current = memcmp (frame + 8, hdr + 16, 8) == 0;
      authentic = open_frame (cipher, frame);
      if (!authentic && current && header_valid &&
          sealed_in_other_format (fd, cipher, frame, off, error))
        {
          ok = FALSE;
          break;
        }
      commits = be32 (frame + 4) != 0;

      if (!stopped)
        {
          if (wal_frame_accepted (cipher, frame, off, hdr, authentic, sum))
            {
              commit_frame_copy (&last, frame, authentic);
              continue;
            }
          if (!authentic)
            break;  /* the page itself fails: the VFS's recovery rule decides */
          commit_frame_copy (&last, frame, authentic);
          stopped = TRUE;
          stop_pgno = be32 (frame);
          own_transaction_ended = commits;
          continue;
        }
      if (header_valid && !current)
        continue;  /* an older generation: checkpointed before the log restarted */
      if (commit_frame_copy (&last, frame, authentic) || !commits)
        continue;
      if (authentic && (own_transaction_ended || !header_valid))
        {
          set_dropped_work_error (error, header_valid, header_valid ? stop_pgno : be32 (frame));
          ok = FALSE;
          break;
        }
      own_transaction_ended = TRUE;
    }
  commit_frame_clear (&last);
  return ok;
}

gboolean
koers_vault_check_wal (const char  *db_path,
                       KoersCipher *cipher,
                       GError     **error)
{
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);
  g_autofree guint8 *buf = g_malloc (KOERS_PAGE_SIZE + WAL_FRAME_HEADER);
  int fd = g_open (wal_path, O_RDONLY | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return TRUE;
  /* Another program with the vault open may restart the log while it is
   * read (a new header, new frames over old ones): a failure counts only
   * if the header stayed the same during the whole read. */
  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GError) local = NULL;
      guint8 before[WAL_HEADER_BYTES] = { 0 }, after[WAL_HEADER_BYTES] = { 0 };

      read_exact (fd, before, sizeof before, 0);
      ok = check_wal_recovery (fd, cipher, buf, &local);
      read_exact (fd, after, sizeof after, 0);
      if (ok || attempt == 2 || memcmp (before, after, sizeof before) == 0)
        {
          if (!ok)
            g_propagate_error (error, g_steal_pointer (&local));
          break;
        }
    }
  sodium_memzero (buf, KOERS_PAGE_SIZE + WAL_FRAME_HEADER);
  close (fd);
  return ok;
}

gboolean
koers_vault_scan_files (const char  *db_path,
                        KoersCipher *cipher,
                        GError     **error)
{
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);
  g_autofree guint8 *buf = g_malloc (KOERS_PAGE_SIZE + WAL_FRAME_HEADER);
  int db_fd = g_open (db_path, O_RDONLY | O_CLOEXEC, 0);
  int wal_fd = g_open (wal_path, O_RDONLY | O_CLOEXEC, 0);
  gboolean ok = db_fd >= 0;
  g_autoptr(GHashTable) in_wal = g_hash_table_new (NULL, NULL);

  if (!ok)
    g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_IO,
                 _("Could not read the vault: %s"), g_strerror (errno));
  ok = ok && (wal_fd < 0 || check_wal_recovery (wal_fd, cipher, buf, error));
  ok = ok && (wal_fd < 0 || scan_wal (wal_fd, cipher, buf, KOERS_PAGE_SIZE, in_wal, error));
  ok = ok && scan_db (db_fd, cipher, buf, KOERS_PAGE_SIZE, in_wal, error);
  sodium_memzero (buf, KOERS_PAGE_SIZE + WAL_FRAME_HEADER);
  if (db_fd >= 0)
    close (db_fd);
  if (wal_fd >= 0)
    close (wal_fd);
  return ok;
}
