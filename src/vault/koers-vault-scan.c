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

  if (!read_exact (fd, hdr, sizeof hdr, 0))
    return TRUE;  /* empty WAL */
  for (goffset off = WAL_HEADER_BYTES; read_exact (fd, frame, frame_size, off); off += frame_size)
    {
      gboolean authentic;

      if (memcmp (frame + 8, hdr + 16, 8) != 0)
        break;
      authentic = koers_cipher_open_page (cipher, frame + WAL_FRAME_HEADER, page_size, be32 (frame));
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
              return FALSE;
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
  return TRUE;
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
  ok = ok && (wal_fd < 0 || scan_wal (wal_fd, cipher, buf, KOERS_PAGE_SIZE, in_wal, error));
  ok = ok && scan_db (db_fd, cipher, buf, KOERS_PAGE_SIZE, in_wal, error);
  sodium_memzero (buf, KOERS_PAGE_SIZE + WAL_FRAME_HEADER);
  if (db_fd >= 0)
    close (db_fd);
  if (wal_fd >= 0)
    close (wal_fd);
  return ok;
}
