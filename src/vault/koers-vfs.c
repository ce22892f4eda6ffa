/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A pure VFS over Debian's libsqlite3, modelled on SQLite's cksumvfs: the
 * file below is allocated right behind ours, and every method not about
 * page contents passes straight through. See docs/vault-format.md. */
#include "config.h"

#define G_LOG_DOMAIN "koers-vault"

#include "koers-vfs.h"
#include "koers-vfs-testing.h"

#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#define WAL_HEADER_BYTES   32
#define WAL_FRAME_HEADER   24
#define SQLITE_HEADER_BYTES 100
#define MAX_PAGE_SIZE      65536
#define PLAIN_RING_PAGES   1024

/* WAL: pages this file wrote, in clear, for SQLite's rewrite of checksums
 * at a commit (wal_read_frame). Frame i of the log goes to slot i mod
 * PLAIN_RING_PAGES, so the last PLAIN_RING_PAGES frames all have theirs.
 * Process memory only, bounded, wiped when the file closes. */
typedef struct
{
  sqlite3_int64 page_off;                  /* where the page is in the WAL; -1: empty */
  guint32       pgno;
  guint8        seal[KOERS_PAGE_RESERVE];  /* the nonce and tag it was written with */
} PlainSlot;

typedef struct
{
  guint32   page_size;
  PlainSlot slots[PLAIN_RING_PAGES];
  guint8    pages[];  /* PLAIN_RING_PAGES × page_size */
} PlainRing;

typedef struct
{
  sqlite3_file     base;
  sqlite3_file    *real;       /* the file below, right after this struct */
  KoersCipher     *cipher;
  KoersVfsFileKind kind;
  guint32          page_size;  /* 0 until learnt from a header or a write */
  guint8          *scratch;    /* one frame: holds plaintext, wiped on close */
  gint64           last_pgno_offset;  /* where the last 4-byte page number was written */
  guint32          last_pgno;
  gint64           last_frame_offset; /* WAL: where this file last wrote a frame header */
  gboolean         last_frame_blank;  /* and whether it was blank (wal_header_is_blank) */
  guint32          last_frame_pgno;   /* and the page number in it */
  guint8          *last_plain;        /* WAL: the page of the frame written last, in clear */
  guint32          last_plain_pgno;   /* its page number; 0: none */
  guint8           split_hdr[WAL_FRAME_HEADER]; /* the first part of a split frame header */
  sqlite3_int64    split_off;         /* where the second part of a split write must start; -1: none */
  gboolean         passthrough_ready; /* DB: scratch holds a sealed frame to pass through */
  guint32          passthrough_pgno;
  PlainRing       *ring;              /* WAL: NULL until the first page is written */
} KoersFile;

/* One koers VFS over one VFS below. Release builds have one layer, over
 * the default VFS; SQLite's own tests add others (koers-vfs-testing.h). */
typedef struct
{
  sqlite3_vfs  vfs;
  const char  *below_name;  /* NULL: the default VFS at registration */
  sqlite3_vfs *below;       /* resolved at first use */
  KoersCipher *fixed;       /* tests only: the cipher of files without a binding */
} KoersVfsLayer;

static KoersVfsLayer koers_layer;
static GMutex bindings_lock;
static GHashTable *bindings;  /* full db path -> KoersCipher */

static _Thread_local gboolean auth_failed;
static _Thread_local KoersVfsFileKind auth_failed_kind;
static _Thread_local guint32 auth_failed_pgno;

/* The database file whose checkpoint runs on this thread, if any. */
static _Thread_local KoersFile *checkpointing_db;
static gint passthrough_pages;
static KoersVfsCounts counts;

/* For bench-vault, never for a decision: relaxed loads and stores, no
 * locked add on the read and write paths (two threads counting at once
 * may lose a count). */
#define COUNT(field, n) \
  __atomic_store_n (&counts.field, __atomic_load_n (&counts.field, __ATOMIC_RELAXED) + (n), __ATOMIC_RELAXED)

static guint32
load_be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static guint32
page_size_from_header (const guint8 *p)
{
  guint32 v = (guint32) p[0] << 8 | p[1];

  return v == 1 ? 65536 : v;
}

static gboolean
page_size_is_valid (guint32 size)
{
  return size >= 1024 && size <= MAX_PAGE_SIZE && (size & (size - 1)) == 0;
}

static int
report_auth_failure (KoersFile *file, guint32 pgno)
{
  auth_failed = TRUE;
  auth_failed_kind = file->kind;
  auth_failed_pgno = pgno;
  /* Never data: the error surfaces as a tamper error in the vault. */
  return SQLITE_IOERR_DATA;
}

gboolean
koers_vfs_take_auth_failure (KoersVfsFileKind *kind,
                             guint32          *pgno)
{
  gboolean failed = auth_failed;

  if (failed)
    {
      *kind = auth_failed_kind;
      *pgno = auth_failed_pgno;
    }
  auth_failed = FALSE;
  return failed;
}

/* SQLite must see the reserve area of a page exactly as it was before the
 * page was sealed: SQLite's WAL frame checksum covers the whole page,
 * reserve bytes included, as SQLite holds it in memory. If a read handed
 * back the nonce and tag, SQLite would checksum a frame over the nonce it
 * read, while the frame on disk carries a fresh one, and WAL recovery would
 * stop at the first such frame, dropping committed transactions. So every
 * opened page is handed over with its reserve area zeroed, as SQLite gives
 * a page it makes itself. */
static void
clear_reserve (guint8 *page, guint32 page_size)
{
  memset (page + page_size - KOERS_PAGE_RESERVE, 0, KOERS_PAGE_RESERVE);
}

static gboolean
open_page (KoersFile *file, guint8 *page, guint32 page_size, guint32 pgno)
{
  COUNT (opened[file->kind], 1);
  return koers_cipher_open_page (file->cipher, page, page_size, pgno);
}

/* Seals @plain into the scratch buffer, out of place: no copy first. */
static void
seal_page (KoersFile *file, const guint8 *plain, guint32 page_size, guint32 pgno)
{
  COUNT (sealed[file->kind], 1);
  koers_cipher_seal_page_from (file->cipher, plain, file->scratch, page_size, pgno);
}

/* --- reads of the file below ------------------------------------------ */

static int
real_read (KoersFile *file, void *buf, int amt, sqlite3_int64 off)
{
  COUNT (below_reads[file->kind], 1);
  COUNT (below_read_bytes[file->kind], (guint64) amt);
  return file->real->pMethods->xRead (file->real, buf, amt, off);
}

static int
real_write (KoersFile *file, const void *buf, int amt, sqlite3_int64 off)
{
  COUNT (below_writes[file->kind], 1);
  return file->real->pMethods->xWrite (file->real, buf, amt, off);
}

static int
ensure_scratch (KoersFile *file)
{
  if (file->scratch == NULL)
    file->scratch = sqlite3_malloc (MAX_PAGE_SIZE + WAL_FRAME_HEADER);
  return file->scratch ? SQLITE_OK : SQLITE_NOMEM;
}

/* The database's page size, from the clear bytes 16..17 of page 1. */
static int
learn_db_page_size (KoersFile *file)
{
  guint8 hdr[KOERS_CLEAR_HDR_END];
  int rc;

  if (file->page_size != 0)
    return SQLITE_OK;
  rc = real_read (file, hdr, sizeof hdr, 0);
  if (rc != SQLITE_OK)
    return rc;  /* a new, empty database: SQLite sees a short read */
  if (!page_size_is_valid (page_size_from_header (hdr + 16)) || hdr[20] != KOERS_PAGE_RESERVE)
    return SQLITE_NOTADB;
  file->page_size = page_size_from_header (hdr + 16);
  return SQLITE_OK;
}

/* The WAL's page size, from its clear header. */
static int
learn_wal_page_size (KoersFile *file)
{
  guint8 hdr[WAL_HEADER_BYTES];
  int rc;

  if (file->page_size != 0)
    return SQLITE_OK;
  rc = real_read (file, hdr, sizeof hdr, 0);
  if (rc != SQLITE_OK)
    return rc;
  if (!page_size_is_valid (load_be32 (hdr + 8)))
    return SQLITE_IOERR_DATA;
  file->page_size = load_be32 (hdr + 8);
  return SQLITE_OK;
}

/* --- main database ---------------------------------------------------- */

static gboolean
is_all_zero (const guint8 *p, guint32 len)
{
  return sodium_is_zero (p, len) == 1;
}

/* SQLite reads the first 100 bytes of the database file before it takes
 * any lock or looks at the WAL or a hot journal (sqlite3BtreeOpen), and
 * uses only the page size, reserve size and vacuum flags from them as
 * hints; it reads page 1 in full, from the WAL or the file, before it
 * trusts anything. If a checkpoint or a write in rollback mode was cut off
 * half way through page 1, the WAL or the hot journal holds page 1 whole
 * and SQLite puts it right once it gets that far — if this first read does
 * not fail. So a header-only read of a page 1 that does not authenticate
 * gets the bytes that are kept in clear and zeros for the rest; the full
 * read of page 1 still fails as tampered. */
static int
db_read_torn_header (KoersFile *file, guint8 *out, int amt, sqlite3_int64 off)
{
  guint8 clear[KOERS_CLEAR_HDR_END];
  int rc = real_read (file, clear, sizeof clear, 0);

  if (rc != SQLITE_OK)
    return rc;
  memset (out, 0, amt);
  for (sqlite3_int64 i = MAX (off, KOERS_CLEAR_HDR_START); i < MIN (off + amt, KOERS_CLEAR_HDR_END); i++)
    out[i - off] = clear[i];
  return SQLITE_OK;
}

static int
db_read (KoersFile *file, guint8 *out, int amt, sqlite3_int64 off)
{
  int rc = learn_db_page_size (file);
  guint32 ps;

  if (rc == SQLITE_IOERR_SHORT_READ)
    return real_read (file, out, amt, off);  /* empty: zero-filled */
  if (rc == SQLITE_NOTADB)
    {
      /* The clear header of page 1 is torn: a crash cut off a checkpoint's
       * write of page 1 on a device without POWERSAFE_OVERWRITE. The WAL
       * holds page 1 whole and SQLite reads it from there; SQLite's header
       * read gets zeros (it then takes its default page size until it has
       * page 1), and other pages, read whole, are found by the read's size.
       * Every page still has to authenticate where it lies. */
      if (off + amt <= SQLITE_HEADER_BYTES)
        {
          memset (out, 0, amt);
          return SQLITE_OK;
        }
      if (!page_size_is_valid ((guint32) amt) || off % amt != 0 || off == 0)
        return SQLITE_NOTADB;
      file->page_size = (guint32) amt;
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_OK)
    return rc;
  ps = file->page_size;
  while (amt > 0)
    {
      sqlite3_int64 page_off = off - off % ps;
      guint32 pgno = (guint32) (off / ps) + 1;
      int skip = (int) (off - page_off);
      int n = MIN (amt, (int) ps - skip);
      /* A whole page (what SQLite reads but for headers) is opened right
       * in SQLite's buffer: no copy through the scratch page. */
      guint8 *page = n == (int) ps ? out : file->scratch;

      rc = real_read (file, page, (int) ps, page_off);
      if (rc == SQLITE_IOERR_SHORT_READ && is_all_zero (page, ps))
        {
          memset (out, 0, amt);
          return rc;  /* past the end, as SQLite expects */
        }
      if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ)
        return rc;
      if (!open_page (file, page, ps, pgno))
        {
          if (page == out)
            memset (out, 0, ps);  /* page 1 is opened out of place: no ciphertext left to SQLite */
          if (pgno == 1 && off + amt <= SQLITE_HEADER_BYTES)
            return db_read_torn_header (file, out, amt, off);
          return report_auth_failure (file, pgno);
        }
      clear_reserve (page, ps);
      if (page != out)
        memcpy (out, page + skip, n);
      out += n;
      off += n;
      amt -= n;
    }
  return SQLITE_OK;
}

/* A checkpoint writes to the database only the pages it has just read
 * from the WAL, and those reads handed SQLite the frame's sealed page after
 * checking its tag (wal_read_for_checkpoint). So inside a checkpoint a
 * write must be exactly that sealed page, for the page number it was sealed
 * for; it goes to the file as it is. Anything else is refused: sealing it
 * would turn ciphertext into an authentic page of garbage. */
static int
db_write_checkpointed (KoersFile *file, const guint8 *in, int amt, sqlite3_int64 off, guint32 pgno)
{
  gboolean ready = file->passthrough_ready;
  int rc;

  file->passthrough_ready = FALSE;
  if (!ready || memcmp (in, file->scratch, amt) != 0)
    return SQLITE_IOERR_WRITE;
  if (pgno != file->passthrough_pgno)
    {
      /* The WAL index (the -shm file) maps that frame to another page. */
      auth_failed = TRUE;
      auth_failed_kind = KOERS_VFS_FILE_WAL;
      auth_failed_pgno = file->passthrough_pgno;
      return SQLITE_IOERR_DATA;
    }
  rc = real_write (file, in, amt, off);
  if (rc == SQLITE_OK)
    g_atomic_int_inc (&passthrough_pages);
  return rc;
}

static int
db_write (KoersFile *file, const guint8 *in, int amt, sqlite3_int64 off)
{
  guint32 pgno;

  if (off == 0 && amt >= SQLITE_HEADER_BYTES)
    {
      /* Never write a page without room for the nonce and tag. */
      if (in[20] != KOERS_PAGE_RESERVE || page_size_from_header (in + 16) != (guint32) amt)
        return SQLITE_IOERR_WRITE;
      file->page_size = (guint32) amt;
    }
  else if (file->page_size == 0 && learn_db_page_size (file) == SQLITE_IOERR_SHORT_READ &&
           page_size_is_valid ((guint32) amt) && off % amt == 0)
    /* A new file whose first transaction outgrew the page cache (VACUUM
     * INTO a large vault, or any first transaction larger than the cache):
     * SQLite spills page N before page 1, one whole page per write. The
     * size of that write is taken as the page size; the commit writes page
     * 1, and a page 1 of another layout fails that commit above. */
    file->page_size = (guint32) amt;
  if (file->page_size == 0 || (guint32) amt != file->page_size || off % amt != 0)
    return SQLITE_IOERR_WRITE;  /* SQLite writes whole pages to a database */
  pgno = (guint32) (off / amt) + 1;
  if (checkpointing_db == file)
    return db_write_checkpointed (file, in, amt, off, pgno);
  seal_page (file, in, (guint32) amt, pgno);
  return real_write (file, file->scratch, amt, off);
}

/* --- write-ahead log -------------------------------------------------- */

static sqlite3_int64
wal_frame_start (KoersFile *file, sqlite3_int64 off)
{
  sqlite3_int64 frame = WAL_FRAME_HEADER + (sqlite3_int64) file->page_size;

  return WAL_HEADER_BYTES + ((off - WAL_HEADER_BYTES) / frame) * frame;
}

/* Is there, after the frame at @frame_off, a frame of the same WAL
 * generation that authenticates and commits a *later* transaction than the
 * failing frame's own? Then the failing frame is not the torn tail of a
 * crash but damage in the middle of committed work. The failing frame's own
 * transaction does not count: with synchronous=FULL only the last
 * transaction can be incomplete, and a power cut can leave its frames on
 * disk in any order, its commit frame written and an earlier one not.
 * The end of the file ends the search; any other read error is returned,
 * never taken for "no later commit": that would end the log at the failing
 * frame and silently drop the committed transactions after it. */
static int
wal_has_later_commit (KoersFile *file, sqlite3_int64 frame_off, const guint8 *salts,
                      gboolean failing_frame_commits, gboolean *found_out)
{
  guint32 ps = file->page_size;
  sqlite3_int64 frame = WAL_FRAME_HEADER + (sqlite3_int64) ps;
  g_autofree guint8 *buf = g_malloc (frame);
  g_autofree guint8 *commit = g_malloc (frame);  /* the commit frame that ended the failing frame's transaction */
  gboolean own_transaction_ended = failing_frame_commits;
  const guint8 *failing = file->scratch;  /* the failing frame, as read */
  gboolean in_padding = FALSE;
  /* Right after a commit frame of the failing frame's own transaction that
   * is torn (the failing frame itself, or a later one): its intact padding
   * copies may follow, with the same page number and commit size. */
  gboolean after_torn_commit = failing_frame_commits;
  guint8 torn_commit[8];
  gboolean found = FALSE;
  int rc = SQLITE_OK;

  memcpy (torn_commit, failing, sizeof torn_commit);
  for (sqlite3_int64 o = frame_off + frame; !found; o += frame)
    {
      gboolean authentic;

      rc = real_read (file, buf, (int) frame, o);
      if (rc == SQLITE_IOERR_SHORT_READ)
        {
          rc = SQLITE_OK;  /* the end of the log */
          break;
        }
      if (rc != SQLITE_OK)
        break;
      if (memcmp (buf + 8, salts, 8) != 0)
        break;
      if (load_be32 (buf + 4) == 0)
        {
          in_padding = after_torn_commit = FALSE;
          continue;
        }
      authentic = open_page (file, buf + WAL_FRAME_HEADER, ps, load_be32 (buf));
      /* Without POWERSAFE_OVERWRITE SQLite pads a commit with copies of its
       * commit frame (same page number, same size, same page): they are
       * part of that transaction, not a later one. */
      if (authentic && in_padding && memcmp (buf, commit, 8) == 0 &&
          memcmp (buf + WAL_FRAME_HEADER, commit + WAL_FRAME_HEADER, ps - KOERS_PAGE_RESERVE) == 0)
        continue;
      /* A torn commit frame's first intact copy right after it. */
      if (authentic && after_torn_commit && memcmp (buf, torn_commit, 8) == 0)
        {
          after_torn_commit = FALSE;
          in_padding = TRUE;
          memcpy (commit, buf, frame);
          continue;
        }
      found = own_transaction_ended && authentic;
      /* The own transaction's commit frame, torn too (walcrash-2.60). */
      after_torn_commit = !own_transaction_ended && !authentic;
      if (after_torn_commit)
        memcpy (torn_commit, buf, sizeof torn_commit);
      own_transaction_ended = TRUE;
      in_padding = authentic;
      if (authentic)
        memcpy (commit, buf, frame);
    }
  sodium_memzero (buf, frame);
  sodium_memzero (commit, frame);
  *found_out = found;
  return rc;
}

/* A frame that fails authentication while SQLite recovers the WAL. */
static int
wal_frame_unauthentic (KoersFile *file, sqlite3_int64 frame_off)
{
  guint8 *frame = file->scratch;
  guint8 wal_hdr[WAL_HEADER_BYTES];
  gboolean later_commit = FALSE;
  int rc = real_read (file, wal_hdr, sizeof wal_hdr, 0);

  if (rc == SQLITE_OK && memcmp (frame + 8, wal_hdr + 16, 8) == 0)
    rc = wal_has_later_commit (file, frame_off, wal_hdr + 16, load_be32 (frame + 4) != 0,
                               &later_commit);
  if (rc != SQLITE_OK)
    return rc;
  if (later_commit)
    return report_auth_failure (file, load_be32 (frame));
  /* Left over from an older WAL generation or torn by a crash: hand SQLite
   * a frame it rejects by its salt, so the log ends here as it should. */
  frame[8] ^= 0xff;
  memset (frame + WAL_FRAME_HEADER, 0, file->page_size);
  return SQLITE_OK;
}

/* While a transaction owes SQLite a rewrite of its frames' checksums (it
 * overwrote a frame it had spilled earlier), SQLite writes each new frame
 * header with salts and checksum zero (walEncodeFrame), and at the commit
 * rewrites every header from the first overwritten frame on. Such a header
 * says nothing that needs hiding, and SQLite's recovery rejects it by its
 * salts whatever its checksum: it goes to disk as it is, and is read back
 * as it is, without the four BLAKE2b calls of the checksum mask. */
static gboolean
wal_header_is_blank (const guint8 *hdr)
{
  return is_all_zero (hdr + 8, WAL_FRAME_HEADER - 8);
}

static void
wal_mask_checksum (KoersFile *file, guint8 *hdr, sqlite3_int64 frame_off)
{
  if (wal_header_is_blank (hdr))
    return;
  COUNT (checksum_masks, 1);
  koers_cipher_mask_wal_checksum (file->cipher, hdr, frame_off);
}

static void
wal_unmask_checksum (KoersFile *file, guint8 *hdr, sqlite3_int64 frame_off)
{
  if (wal_header_is_blank (hdr))
    return;
  COUNT (checksum_masks, 1);
  koers_cipher_unmask_wal_checksum (file->cipher, hdr, frame_off);
}

static void
plain_ring_forget (KoersFile *file)
{
  if (file->ring == NULL)
    return;
  for (guint i = 0; i < PLAIN_RING_PAGES; i++)
    file->ring->slots[i].page_off = -1;
}

static void
plain_ring_free (KoersFile *file)
{
  if (file->ring == NULL)
    return;
  sodium_memzero (file->ring->pages, (gsize) PLAIN_RING_PAGES * file->ring->page_size);  /* plaintext */
  sqlite3_free (file->ring);
  file->ring = NULL;
}

static guint
plain_ring_slot (sqlite3_int64 page_off, guint32 ps)
{
  return (guint) (((page_off - WAL_HEADER_BYTES - WAL_FRAME_HEADER) / (WAL_FRAME_HEADER + ps)) %
                  PLAIN_RING_PAGES);
}

/* Keeps @plain, the page just sealed (in @sealed) for @page_off, in the
 * ring. FALSE when out of memory. */
static gboolean
plain_ring_keep (KoersFile *file, sqlite3_int64 page_off, guint32 pgno,
                 const guint8 *plain, const guint8 *sealed, guint32 ps)
{
  PlainRing *ring = file->ring;
  guint slot = plain_ring_slot (page_off, ps);

  if (ring != NULL && ring->page_size != ps)
    plain_ring_free (file), ring = NULL;
  if (ring == NULL)
    {
      ring = sqlite3_malloc64 (sizeof *ring + (sqlite3_uint64) PLAIN_RING_PAGES * ps);
      if (ring == NULL)
        return FALSE;
      ring->page_size = ps;
      file->ring = ring;
      plain_ring_forget (file);
    }
  memcpy (ring->pages + (gsize) slot * ps, plain, ps);
  ring->slots[slot].page_off = page_off;
  ring->slots[slot].pgno = pgno;
  memcpy (ring->slots[slot].seal, sealed + ps - KOERS_PAGE_RESERVE, KOERS_PAGE_RESERVE);
  return TRUE;
}

/* The clear page this file sealed into the frame @frame now holds at
 * @page_off, or NULL. The frame's nonce and tag must be the ones that page
 * was sealed with: a nonce is random and used once, so they are only there
 * if this seal of it is the last write at that place. (Another
 * connection's frame, or a frame of an older generation, has another.) */
static const guint8 *
plain_ring_find (KoersFile *file, sqlite3_int64 page_off, const guint8 *frame, guint32 ps)
{
  PlainRing *ring = file->ring;
  const PlainSlot *kept;
  guint slot;

  if (ring == NULL || ring->page_size != ps)
    return NULL;
  slot = plain_ring_slot (page_off, ps);
  kept = &ring->slots[slot];
  if (kept->page_off != page_off || kept->pgno != load_be32 (frame) ||
      memcmp (kept->seal, frame + WAL_FRAME_HEADER + ps - KOERS_PAGE_RESERVE, KOERS_PAGE_RESERVE) != 0)
    return NULL;
  return ring->pages + (gsize) slot * ps;
}

/* Reads the frame at @frame_off into the scratch buffer and opens its page.
 * The frame header's checksum is unmasked only when SQLite reads the header
 * (@wants_header: recovery, and the rewrite of checksums at a commit); a
 * read of the page alone does not need it. */
static int
wal_read_frame (KoersFile *file, sqlite3_int64 frame_off, gboolean wants_header)
{
  guint8 *frame = file->scratch;
  guint32 ps = file->page_size;
  int rc = real_read (file, frame, (int) (WAL_FRAME_HEADER + ps), frame_off);

  if (rc != SQLITE_OK)
    return rc;
  /* SQLite re-reads whole frames to rewrite their checksums at a commit
   * (walRewriteChecksums, after it overwrote a spilled frame in place):
   * frames it wrote moments ago. Their page needs no opening when this file
   * still holds what it sealed there; SQLite gets the same bytes. The
   * frame's tag is checked when its page is read, checkpointed or
   * recovered, as every frame's is. */
  if (wants_header)
    {
      const guint8 *plain = plain_ring_find (file, frame_off + WAL_FRAME_HEADER, frame, ps);

      if (plain != NULL)
        {
          COUNT (plain_reused, 1);
          memcpy (frame + WAL_FRAME_HEADER, plain, ps);
          clear_reserve (frame + WAL_FRAME_HEADER, ps);
          wal_unmask_checksum (file, frame, frame_off);
          return SQLITE_OK;
        }
    }
  if (open_page (file, frame + WAL_FRAME_HEADER, ps, load_be32 (frame)))
    {
      clear_reserve (frame + WAL_FRAME_HEADER, ps);
      if (wants_header)
        wal_unmask_checksum (file, frame, frame_off);
      return SQLITE_OK;
    }
  /* Only recovery reads whole frames; a read of a page that SQLite already
   * knows to be committed must authenticate. */
  if (!wants_header)
    return report_auth_failure (file, load_be32 (frame));
  return wal_frame_unauthentic (file, frame_off);
}

/* SQLite's checkpoint (walCheckpoint) reads the page of each committed
 * frame and writes it to the database, between SQLITE_FCNTL_CKPT_START and
 * _DONE on the database file. A frame's sealed page is already a valid
 * database page — same key, same associated data (vault id and page
 * number, and on page 1 its clear header bytes) — so it is not opened and
 * sealed again: its tag is checked, and the sealed bytes go to SQLite and
 * from SQLite unchanged to the database (db_write_checkpointed). A frame
 * that does not authenticate stops the checkpoint as tampering before
 * anything of it reaches the database. See docs/vault-format.md. */
static int
wal_read_for_checkpoint (KoersFile *file, KoersFile *db, guint8 *out, sqlite3_int64 frame_off)
{
  guint8 *frame = file->scratch;
  guint32 ps = file->page_size;
  guint32 pgno;
  int rc = real_read (file, frame, (int) (WAL_FRAME_HEADER + ps), frame_off);

  if (rc != SQLITE_OK)
    return rc;
  pgno = load_be32 (frame);
  COUNT (verified, 1);
  if (!koers_cipher_verify_page (file->cipher, frame + WAL_FRAME_HEADER, ps, pgno))
    return report_auth_failure (file, pgno);
  memcpy (out, frame + WAL_FRAME_HEADER, ps);
  memcpy (db->scratch, out, ps);
  db->passthrough_pgno = pgno;
  db->passthrough_ready = TRUE;
  return SQLITE_OK;
}

static int
wal_read (KoersFile *file, guint8 *out, int amt, sqlite3_int64 off)
{
  int rc;

  if (off < WAL_HEADER_BYTES)
    {
      int n = (int) MIN ((sqlite3_int64) amt, WAL_HEADER_BYTES - off);

      rc = real_read (file, out, n, off);
      if (rc != SQLITE_OK || n == amt)
        return rc;
      out += n, off += n, amt -= n;
    }
  rc = learn_wal_page_size (file);
  if (rc != SQLITE_OK)
    return rc;
  if (checkpointing_db != NULL && checkpointing_db->cipher == file->cipher &&
      (guint32) amt == file->page_size && off == wal_frame_start (file, off) + WAL_FRAME_HEADER)
    return wal_read_for_checkpoint (file, checkpointing_db, out, off - WAL_FRAME_HEADER);
  while (amt > 0)
    {
      sqlite3_int64 frame_off = wal_frame_start (file, off);
      int skip = (int) (off - frame_off);
      int n = MIN (amt, (int) (WAL_FRAME_HEADER + file->page_size) - skip);

      rc = wal_read_frame (file, frame_off, skip < WAL_FRAME_HEADER);
      if (rc != SQLITE_OK)
        {
          if (rc == SQLITE_IOERR_SHORT_READ)
            memset (out, 0, amt);
          return rc;
        }
      memcpy (out, file->scratch + skip, n);
      out += n, off += n, amt -= n;
    }
  return SQLITE_OK;
}

/* Without POWERSAFE_OVERWRITE SQLite pads a commit to a sector boundary
 * with copies of the commit frame, and splits the one write that crosses
 * the boundary in two, with an fsync between (walWriteToLog): everything
 * before the boundary must be on disk before that fsync, or a crash may
 * tear the sector it shares with the commit frame. So the first part is
 * written at once:
 *  - of a page: the frame is a copy of the frame written last (the commit
 *    frame), so when the part matches that page's start, that whole page is
 *    sealed and written; the second part must then match its end;
 *  - of a frame header: the split falls at byte 8 or 16 (sector boundaries
 *    are multiples of 512, frames start at 32 + k × (24 + page size)), in
 *    the clear bytes, which are written as they are; the second part
 *    completes the header, whose checksum is masked then.
 * A part is never written unsealed. TRUE if the write was such a part
 * (and *rc says how it went). */
static gboolean
wal_write_part (KoersFile *file, const guint8 *in, int amt, sqlite3_int64 off, int *rc)
{
  sqlite3_int64 frame_off = wal_frame_start (file, off);
  sqlite3_int64 page_off = frame_off + WAL_FRAME_HEADER;
  guint32 ps = file->page_size;
  gboolean second = off == file->split_off && off != frame_off && off != page_off;

  file->split_off = -1;
  if (second && off < page_off)
    {
      /* The rest of a frame header. */
      guint8 hdr[WAL_FRAME_HEADER];
      int done = (int) (off - frame_off);

      if (off + amt != page_off)
        return FALSE;
      memcpy (hdr, file->split_hdr, done);
      memcpy (hdr + done, in, amt);
      COUNT (checksum_masks, 1);
      koers_cipher_mask_wal_checksum (file->cipher, hdr, frame_off);
      *rc = real_write (file, hdr + done, amt, off);
      if (*rc == SQLITE_OK)
        {
          file->last_frame_offset = frame_off;
          file->last_frame_pgno = load_be32 (hdr);
          file->last_frame_blank = FALSE;  /* a padding copy of the commit frame */
        }
      return TRUE;
    }
  if (second)
    {
      /* The rest of a page written whole with its first part. */
      if (off + amt != page_off + ps)
        return FALSE;
      *rc = memcmp (in, file->last_plain + (off - page_off), amt) == 0 ? SQLITE_OK : SQLITE_IOERR_WRITE;
      return TRUE;
    }
  if (off == frame_off && amt < WAL_FRAME_HEADER && amt <= 16)
    {
      memcpy (file->split_hdr, in, amt);
      file->last_frame_offset = -1;
      *rc = real_write (file, in, amt, off);
      if (*rc == SQLITE_OK)
        file->split_off = off + amt;
      return TRUE;
    }
  if (off == page_off && amt < (int) ps)
    {
      if (file->last_plain_pgno == 0 || file->last_frame_offset != frame_off ||
          file->last_frame_pgno != file->last_plain_pgno || memcmp (in, file->last_plain, amt) != 0)
        {
          *rc = SQLITE_IOERR_WRITE;
          return TRUE;
        }
      seal_page (file, file->last_plain, ps, file->last_plain_pgno);
      *rc = real_write (file, file->scratch, (int) ps, off);
      if (*rc == SQLITE_OK)
        file->split_off = off + amt;
      return TRUE;
    }
  return FALSE;
}

static int
wal_write (KoersFile *file, const guint8 *in, int amt, sqlite3_int64 off)
{
  sqlite3_int64 frame_off;
  guint8 hdr[WAL_FRAME_HEADER];
  gboolean in_place;
  guint32 pgno;
  int rc;

  if (off == 0 && amt == WAL_HEADER_BYTES)
    {
      if (!page_size_is_valid (load_be32 (in + 8)))
        return SQLITE_IOERR_WRITE;
      file->page_size = load_be32 (in + 8);
      file->last_frame_offset = -1;
      plain_ring_forget (file);  /* a new generation of the log */
      return real_write (file, in, amt, off);
    }
  rc = learn_wal_page_size (file);
  if (rc != SQLITE_OK)
    return rc == SQLITE_IOERR_SHORT_READ ? SQLITE_IOERR_WRITE : rc;
  if (off >= WAL_HEADER_BYTES && wal_write_part (file, in, amt, off, &rc))
    return rc;
  frame_off = wal_frame_start (file, off);
  if (off == frame_off && amt == WAL_FRAME_HEADER)
    {
      memcpy (hdr, in, WAL_FRAME_HEADER);
      wal_mask_checksum (file, hdr, frame_off);
      file->last_frame_offset = -1;
      rc = real_write (file, hdr, amt, off);
      if (rc == SQLITE_OK)
        {
          file->last_frame_offset = frame_off;
          file->last_frame_pgno = load_be32 (in);
          file->last_frame_blank = wal_header_is_blank (in);
        }
      return rc;
    }
  /* SQLite writes a frame's header and then its page; reporting
   * POWERSAFE_OVERWRITE keeps it from splitting a page across writes. */
  if (off != frame_off + WAL_FRAME_HEADER || (guint32) amt != file->page_size)
    return SQLITE_IOERR_WRITE;
  /* The page number is in the frame header. SQLite appends a frame as its
   * header and then its page, so that header is the one this file wrote
   * last: no need to read it back. Only a page rewritten in place (an
   * earlier frame of the same transaction) needs the read. */
  in_place = file->last_frame_offset != frame_off;
  if (!in_place)
    pgno = file->last_frame_pgno;
  else
    {
      rc = real_read (file, hdr, WAL_FRAME_HEADER, frame_off);
      if (rc != SQLITE_OK)
        return rc == SQLITE_IOERR_SHORT_READ ? SQLITE_IOERR_WRITE : rc;
      pgno = load_be32 (hdr);
    }
  /* Kept for a padding copy that SQLite may split (wal_write_part). */
  if (file->last_plain == NULL && (file->last_plain = sqlite3_malloc (MAX_PAGE_SIZE)) == NULL)
    return SQLITE_NOMEM;
  memcpy (file->last_plain, in, amt);
  file->last_plain_pgno = pgno;
  seal_page (file, in, (guint32) amt, pgno);
  /* A page rewritten in place, or the page of a blank frame header: SQLite
   * owes this transaction a rewrite of checksums, and will read the frame
   * back at the commit (plain_ring_find). */
  if ((in_place || file->last_frame_blank) &&
      !plain_ring_keep (file, off, pgno, in, file->scratch, (guint32) amt))
    return SQLITE_NOMEM;
  return real_write (file, file->scratch, amt, off);
}

/* --- rollback journal ------------------------------------------------- */

/* A journal record is a 4-byte page number, the page, a 4-byte checksum.
 * Journal headers start at multiples of the sector size and records are
 * page size + 8 bytes long, so a record's page image always starts at an
 * offset that is 4 more than a multiple of 8, never before byte 36.
 * With POWERSAFE_OVERWRITE (which the vault reports) the journal header is
 * 512 bytes; a VFS stacked above the vault may report another sector size
 * without it, and then a header is that long: from 32 bytes (SQLite's
 * smallest sector; pager1-10.32 to .256) up to one page, written at once. */
#define JOURNAL_HEADER_BYTES 512
#define JOURNAL_MIN_HEADER_BYTES 32
#define JOURNAL_PAGE_SIZE_OFFSET 24

static int
learn_journal_page_size (KoersFile *file)
{
  guint8 be[4];
  int rc;

  if (file->page_size != 0)
    return SQLITE_OK;
  rc = real_read (file, be, 4, JOURNAL_PAGE_SIZE_OFFSET);
  if (rc != SQLITE_OK)
    return rc;
  if (!page_size_is_valid (load_be32 (be)))
    return SQLITE_IOERR_DATA;
  file->page_size = load_be32 (be);
  return SQLITE_OK;
}

static gboolean
journal_is_page_offset (sqlite3_int64 off)
{
  return off >= JOURNAL_MIN_HEADER_BYTES + 4 && off % 8 == 4;
}

/* A header write larger than 512 bytes: the journal magic (or zeros, when
 * SQLite clears a header) and 20 bytes of fields, then zero padding. */
static gboolean
journal_is_header_write (const guint8 *in, int amt, sqlite3_int64 off)
{
  return off % 8 == 0 && amt > 28 && is_all_zero (in + 28, (guint32) amt - 28);
}

static int
journal_page_number (KoersFile *file, sqlite3_int64 off, guint32 *pgno)
{
  guint8 be[4];
  int rc;

  if (!journal_is_page_offset (off))
    return SQLITE_IOERR;  /* never a record's page image: an error, not a read at -4 */
  if (file->last_pgno_offset == off - 4)
    {
      *pgno = file->last_pgno;
      return SQLITE_OK;
    }
  rc = real_read (file, be, 4, off - 4);
  *pgno = load_be32 (be);
  return rc;
}

static int
journal_read (KoersFile *file, guint8 *out, int amt, sqlite3_int64 off)
{
  guint32 pgno;
  int rc;

  if (amt <= JOURNAL_HEADER_BYTES)
    return real_read (file, out, amt, off);
  rc = learn_journal_page_size (file);
  if (rc == SQLITE_OK && ((guint32) amt != file->page_size || !journal_is_page_offset (off)))
    rc = SQLITE_IOERR_READ;
  if (rc == SQLITE_OK)
    rc = journal_page_number (file, off, &pgno);
  if (rc == SQLITE_OK)
    rc = real_read (file, file->scratch, amt, off);
  if (rc != SQLITE_OK)
    return rc;
  if (!open_page (file, file->scratch, (guint32) amt, pgno))
    return report_auth_failure (file, pgno);
  clear_reserve (file->scratch, (guint32) amt);
  memcpy (out, file->scratch, amt);
  return SQLITE_OK;
}

static int
journal_write (KoersFile *file, const guint8 *in, int amt, sqlite3_int64 off)
{
  guint32 pgno;
  int rc;

  if (off == 0 && amt >= JOURNAL_PAGE_SIZE_OFFSET + 4 &&
      page_size_is_valid (load_be32 (in + JOURNAL_PAGE_SIZE_OFFSET)))
    file->page_size = load_be32 (in + JOURNAL_PAGE_SIZE_OFFSET);
  if (amt == 4)
    {
      file->last_pgno_offset = off;
      file->last_pgno = load_be32 (in);
    }
  if (amt <= JOURNAL_HEADER_BYTES || journal_is_header_write (in, amt, off))
    return real_write (file, in, amt, off);
  /* Anything else is a page image: never write it unless it is sealed. */
  rc = learn_journal_page_size (file);
  if (rc != SQLITE_OK || (guint32) amt != file->page_size || !journal_is_page_offset (off))
    return SQLITE_IOERR_WRITE;
  rc = journal_page_number (file, off, &pgno);
  if (rc != SQLITE_OK)
    return rc;
  seal_page (file, in, (guint32) amt, pgno);
  return real_write (file, file->scratch, amt, off);
}

/* --- io methods ------------------------------------------------------- */

static int
koers_io_read (sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
  KoersFile *file = (KoersFile *) f;

  COUNT (reads[file->kind], 1);
  if (file->page_size == 0 || (guint32) amt < file->page_size)
    COUNT (partial_reads[file->kind], 1);
  switch (file->kind)
    {
    case KOERS_VFS_FILE_DB: return db_read (file, buf, amt, off);
    case KOERS_VFS_FILE_WAL: return wal_read (file, buf, amt, off);
    case KOERS_VFS_FILE_JOURNAL: return journal_read (file, buf, amt, off);
    default: g_assert_not_reached ();
    }
}

static int
koers_io_write (sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
  KoersFile *file = (KoersFile *) f;

  switch (file->kind)
    {
    case KOERS_VFS_FILE_DB: return db_write (file, buf, amt, off);
    case KOERS_VFS_FILE_WAL: return wal_write (file, buf, amt, off);
    case KOERS_VFS_FILE_JOURNAL: return journal_write (file, buf, amt, off);
    default: g_assert_not_reached ();
    }
}

static int
koers_io_close (sqlite3_file *f)
{
  KoersFile *file = (KoersFile *) f;
  int rc = file->real->pMethods ? file->real->pMethods->xClose (file->real) : SQLITE_OK;

  if (checkpointing_db == file)
    checkpointing_db = NULL;

  if (file->scratch)
    {
      sodium_memzero (file->scratch, MAX_PAGE_SIZE + WAL_FRAME_HEADER);
      sqlite3_free (file->scratch);
      file->scratch = NULL;
    }
  if (file->last_plain)
    {
      sodium_memzero (file->last_plain, MAX_PAGE_SIZE);  /* plaintext */
      sqlite3_free (file->last_plain);
      file->last_plain = NULL;
    }
  plain_ring_free (file);
  g_clear_pointer (&file->cipher, koers_cipher_unref);
  return rc;
}

static int
koers_io_truncate (sqlite3_file *f, sqlite3_int64 size)
{
  KoersFile *file = (KoersFile *) f;

  if (size == 0 && file->kind == KOERS_VFS_FILE_WAL)
    file->page_size = 0;  /* the next WAL header may say otherwise */
  file->last_frame_offset = -1;
  plain_ring_forget (file);
  file->last_plain_pgno = 0;
  file->split_off = -1;
  return file->real->pMethods->xTruncate (file->real, size);
}

static int
koers_io_sync (sqlite3_file *f, int flags)
{
  KoersFile *file = (KoersFile *) f;
  return file->real->pMethods->xSync (file->real, flags);
}

static int
koers_io_file_size (sqlite3_file *f, sqlite3_int64 *size)
{
  KoersFile *file = (KoersFile *) f;
  return file->real->pMethods->xFileSize (file->real, size);
}

static int
koers_io_lock (sqlite3_file *f, int level)
{
  KoersFile *file = (KoersFile *) f;
  return file->real->pMethods->xLock (file->real, level);
}

static int
koers_io_unlock (sqlite3_file *f, int level)
{
  KoersFile *file = (KoersFile *) f;
  return file->real->pMethods->xUnlock (file->real, level);
}

static int
koers_io_check_reserved_lock (sqlite3_file *f, int *out)
{
  KoersFile *file = (KoersFile *) f;
  return file->real->pMethods->xCheckReservedLock (file->real, out);
}

static int
koers_io_file_control (sqlite3_file *f, int op, void *arg)
{
  KoersFile *file = (KoersFile *) f;
  int rc;

  if (op == SQLITE_FCNTL_MMAP_SIZE)
    {
      *(sqlite3_int64 *) arg = 0;  /* pages must pass through xRead */
      return SQLITE_OK;
    }
  if (file->kind == KOERS_VFS_FILE_DB && (op == SQLITE_FCNTL_CKPT_START || op == SQLITE_FCNTL_CKPT_DONE))
    {
      checkpointing_db = op == SQLITE_FCNTL_CKPT_START ? file : NULL;
      file->passthrough_ready = FALSE;
    }
  rc = file->real->pMethods->xFileControl (file->real, op, arg);
  if (op == SQLITE_FCNTL_VFSNAME && rc == SQLITE_OK)
    {
      char *below = *(char **) arg;
      *(char **) arg = sqlite3_mprintf (KOERS_VFS_NAME "/%z", below);
    }
  return rc;
}

static int
koers_io_sector_size (sqlite3_file *f)
{
  KoersFile *file = (KoersFile *) f;
  return file->real->pMethods->xSectorSize (file->real);
}

static int
koers_io_device_characteristics (sqlite3_file *f)
{
  KoersFile *file = (KoersFile *) f;
  int below = file->real->pMethods->xDeviceCharacteristics (file->real);

  /* Batch-atomic writes would skip the journal. POWERSAFE_OVERWRITE is
   * passed on as the file below has it, never claimed: on a device without
   * it a torn write can damage the neighbouring bytes of its sector, and
   * SQLite must pad each commit to a sector boundary so that the tail of a
   * committed frame never shares a sector with the next, unsynced one
   * (SQLite's crash tests lost committed transactions when the vault
   * claimed it). The vault handles the sector-sized journal headers and the
   * split padding frames that come with it (journal_is_header_write,
   * wal_write_part). */
  return below & ~SQLITE_IOCAP_BATCH_ATOMIC;
}

static int
koers_io_shm_map (sqlite3_file *f, int pg, int sz, int extend, void volatile **pp)
{
  KoersFile *file = (KoersFile *) f;
  return file->real->pMethods->xShmMap (file->real, pg, sz, extend, pp);
}

static int
koers_io_shm_lock (sqlite3_file *f, int offset, int n, int flags)
{
  KoersFile *file = (KoersFile *) f;
  return file->real->pMethods->xShmLock (file->real, offset, n, flags);
}

static void
koers_io_shm_barrier (sqlite3_file *f)
{
  KoersFile *file = (KoersFile *) f;
  file->real->pMethods->xShmBarrier (file->real);
}

static int
koers_io_shm_unmap (sqlite3_file *f, int delete_flag)
{
  KoersFile *file = (KoersFile *) f;
  return file->real->pMethods->xShmUnmap (file->real, delete_flag);
}

/* Version 2: no xFetch, so SQLite never maps ciphertext into its cache. */
static const sqlite3_io_methods koers_io_methods = {
  .iVersion = 2,
  .xClose = koers_io_close,
  .xRead = koers_io_read,
  .xWrite = koers_io_write,
  .xTruncate = koers_io_truncate,
  .xSync = koers_io_sync,
  .xFileSize = koers_io_file_size,
  .xLock = koers_io_lock,
  .xUnlock = koers_io_unlock,
  .xCheckReservedLock = koers_io_check_reserved_lock,
  .xFileControl = koers_io_file_control,
  .xSectorSize = koers_io_sector_size,
  .xDeviceCharacteristics = koers_io_device_characteristics,
  .xShmMap = koers_io_shm_map,
  .xShmLock = koers_io_shm_lock,
  .xShmBarrier = koers_io_shm_barrier,
  .xShmUnmap = koers_io_shm_unmap,
};

/* --- the vfs ---------------------------------------------------------- */

static sqlite3_vfs *
below_of (sqlite3_vfs *vfs)
{
  KoersVfsLayer *layer = vfs->pAppData;

  if (layer->below == NULL)
    layer->below = sqlite3_vfs_find (layer->below_name);
  return layer->below;
}

static KoersCipher *
lookup_cipher (KoersVfsLayer *layer,
               const char    *db_path)
{
  KoersCipher *cipher = NULL;

  g_mutex_lock (&bindings_lock);
  if (bindings != NULL && (cipher = g_hash_table_lookup (bindings, db_path)))
    koers_cipher_ref (cipher);
  g_mutex_unlock (&bindings_lock);
  if (cipher == NULL && layer->fixed != NULL)
    cipher = koers_cipher_ref (layer->fixed);
  return cipher;
}

static gboolean
kind_for_flags (int flags, KoersVfsFileKind *kind)
{
  if (flags & SQLITE_OPEN_MAIN_DB)
    *kind = KOERS_VFS_FILE_DB;
  else if (flags & SQLITE_OPEN_WAL)
    *kind = KOERS_VFS_FILE_WAL;
  else if (flags & SQLITE_OPEN_MAIN_JOURNAL)
    *kind = KOERS_VFS_FILE_JOURNAL;
  else
    return FALSE;  /* temp, transient, statement and super journals */
  return TRUE;
}

static int
koers_vfs_open (sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *out_flags)
{
  KoersFile *file = (KoersFile *) f;
  sqlite3_vfs *base_vfs = below_of (vfs);
  KoersVfsFileKind kind;
  KoersCipher *cipher;
  int rc;

  memset (file, 0, sizeof *file);
  file->real = (sqlite3_file *) &file[1];
  /* Anything but the database, its WAL and its journal would be plaintext
   * on disk: refuse. temp_store=MEMORY keeps SQLite from asking. */
  if (name == NULL || !kind_for_flags (flags, &kind))
    return SQLITE_CANTOPEN;
  /* A test layer over a VFS registered late reserved room for it. */
  if (base_vfs == NULL || (int) sizeof (KoersFile) + base_vfs->szOsFile > vfs->szOsFile)
    return SQLITE_CANTOPEN;
  cipher = lookup_cipher (vfs->pAppData, kind == KOERS_VFS_FILE_DB ? name : sqlite3_filename_database (name));
  if (cipher == NULL)
    return SQLITE_CANTOPEN;
  file->kind = kind;
  file->cipher = cipher;
  file->last_pgno_offset = -1;
  file->last_frame_offset = -1;
  file->split_off = -1;
  rc = ensure_scratch (file);
  if (rc == SQLITE_OK)
    rc = base_vfs->xOpen (base_vfs, name, file->real, flags, out_flags);
  if (rc != SQLITE_OK)
    {
      koers_io_close (f);
      return rc;
    }
  file->base.pMethods = &koers_io_methods;
  return SQLITE_OK;
}

static int
koers_vfs_delete (sqlite3_vfs *vfs, const char *name, int sync_dir)
{
  sqlite3_vfs *base_vfs = below_of (vfs);

  return base_vfs->xDelete (base_vfs, name, sync_dir);
}

static int
koers_vfs_access (sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
  sqlite3_vfs *base_vfs = below_of (vfs);

  return base_vfs->xAccess (base_vfs, name, flags, out);
}

static int
koers_vfs_full_pathname (sqlite3_vfs *vfs, const char *name, int n, char *out)
{
  sqlite3_vfs *base_vfs = below_of (vfs);

  return base_vfs->xFullPathname (base_vfs, name, n, out);
}

static void *
koers_vfs_dl_open (sqlite3_vfs *vfs, const char *path)
{
  return NULL;  /* no loadable extensions in the vault */
}

static void
koers_vfs_dl_error (sqlite3_vfs *vfs, int n, char *msg)
{
  sqlite3_snprintf (n, msg, "extensions are disabled in the vault");
}

static void (*koers_vfs_dl_sym (sqlite3_vfs *vfs, void *h, const char *sym)) (void)
{
  return NULL;
}

static void
koers_vfs_dl_close (sqlite3_vfs *vfs, void *h)
{
}

static int
koers_vfs_randomness (sqlite3_vfs *vfs, int n, char *out)
{
  randombytes_buf (out, n);
  return n;
}

static int
koers_vfs_sleep (sqlite3_vfs *vfs, int us)
{
  sqlite3_vfs *base_vfs = below_of (vfs);

  return base_vfs->xSleep (base_vfs, us);
}

static int
koers_vfs_current_time (sqlite3_vfs *vfs, double *out)
{
  sqlite3_vfs *base_vfs = below_of (vfs);

  return base_vfs->xCurrentTime (base_vfs, out);
}

static int
koers_vfs_get_last_error (sqlite3_vfs *vfs, int n, char *out)
{
  sqlite3_vfs *base_vfs = below_of (vfs);

  return base_vfs->xGetLastError ? base_vfs->xGetLastError (base_vfs, n, out) : 0;
}

static int
koers_vfs_current_time_int64 (sqlite3_vfs *vfs, sqlite3_int64 *out)
{
  sqlite3_vfs *base_vfs = below_of (vfs);

  return base_vfs->xCurrentTimeInt64 (base_vfs, out);
}

static void
layer_init (KoersVfsLayer *layer,
            const char    *name,
            sqlite3_vfs   *below,
            int            below_room)
{
  layer->vfs = (sqlite3_vfs) {
    .iVersion = 2,
    .szOsFile = (int) sizeof (KoersFile) + below_room,
    .mxPathname = below ? below->mxPathname : 512,
    .zName = name,
    .pAppData = layer,
    .xOpen = koers_vfs_open,
    .xDelete = koers_vfs_delete,
    .xAccess = koers_vfs_access,
    .xFullPathname = koers_vfs_full_pathname,
    .xDlOpen = koers_vfs_dl_open,
    .xDlError = koers_vfs_dl_error,
    .xDlSym = koers_vfs_dl_sym,
    .xDlClose = koers_vfs_dl_close,
    .xRandomness = koers_vfs_randomness,
    .xSleep = koers_vfs_sleep,
    .xCurrentTime = koers_vfs_current_time,
    .xGetLastError = koers_vfs_get_last_error,
    .xCurrentTimeInt64 = koers_vfs_current_time_int64,
  };
  layer->below = below;
}

static gpointer
register_once (gpointer data)
{
  sqlite3_vfs *below;

  if (sodium_init () < 0)
    g_error ("libsodium could not start");
  below = sqlite3_vfs_find (NULL);
  g_assert (below != NULL && below->iVersion >= 2);
  layer_init (&koers_layer, KOERS_VFS_NAME, below, below->szOsFile);
  bindings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                    (GDestroyNotify) koers_cipher_unref);
  if (sqlite3_vfs_register (&koers_layer.vfs, 0) != SQLITE_OK)
    g_error ("the vault's VFS could not be registered");
  return NULL;
}

void
koers_vfs_ensure_registered (void)
{
  static GOnce once = G_ONCE_INIT;

  g_once (&once, register_once, NULL);
}

char *
koers_vfs_full_path (const char *path)
{
  sqlite3_vfs *base_vfs;
  g_autofree char *out = NULL;

  koers_vfs_ensure_registered ();
  base_vfs = koers_layer.below;
  out = g_malloc0 (base_vfs->mxPathname + 1);
  if (base_vfs->xFullPathname (base_vfs, path, base_vfs->mxPathname + 1, out) != SQLITE_OK)
    return g_strdup (path);
  return g_steal_pointer (&out);
}

void
koers_vfs_bind (const char  *db_path,
                KoersCipher *cipher)
{
  koers_vfs_ensure_registered ();
  g_mutex_lock (&bindings_lock);
  g_hash_table_replace (bindings, g_strdup (db_path), koers_cipher_ref (cipher));
  g_mutex_unlock (&bindings_lock);
}

void
koers_vfs_unbind (const char *db_path)
{
  koers_vfs_ensure_registered ();
  g_mutex_lock (&bindings_lock);
  g_hash_table_remove (bindings, db_path);
  g_mutex_unlock (&bindings_lock);
}

guint
koers_vfs_passthrough_pages (void)
{
  return (guint) g_atomic_int_get (&passthrough_pages);
}

void
koers_vfs_get_counts (KoersVfsCounts *out)
{
  guint64 *to = (guint64 *) out;
  guint64 *from = (guint64 *) &counts;

  for (gsize i = 0; i < sizeof counts / sizeof (guint64); i++)
    to[i] = __atomic_load_n (&from[i], __ATOMIC_RELAXED);
}

/* --- SQLite's own tests (koers-vfs-testing.h) -------------------------- */

#define TEST_LAYERS 4
#define TEST_BELOW_ROOM 8192  /* for a VFS below that is registered later */

int
koers_vfs_register_for_testing (const char   *name,
                                const char   *below_name,
                                const guint8 *master_key,
                                const guint8 *db_id,
                                gboolean      make_default)
{
  static KoersVfsLayer layers[TEST_LAYERS];
  KoersVfsLayer *layer = NULL;
  sqlite3_vfs *below = sqlite3_vfs_find (below_name);

  koers_vfs_ensure_registered ();
  for (guint i = 0; i < TEST_LAYERS && layer == NULL; i++)
    if (layers[i].vfs.zName == NULL || g_strcmp0 (layers[i].vfs.zName, name) == 0)
      layer = &layers[i];
  if (layer == NULL)
    return SQLITE_FULL;
  if (layer->vfs.zName == NULL)
    {
      layer_init (layer, g_strdup (name), below, MAX (below ? below->szOsFile : 0, TEST_BELOW_ROOM));
      layer->below_name = g_strdup (below_name);
      layer->fixed = koers_cipher_new (master_key, db_id, koers_cipher_format_for_new_vault ());
    }
  return sqlite3_vfs_register (&layer->vfs, make_default);
}
