/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-vfs.h: the SQLite VFS shim that encrypts every page (internal). */
#pragma once

#include <glib.h>
#include "koers-cipher.h"

G_BEGIN_DECLS

#define KOERS_VFS_NAME "koers"

typedef enum
{
  KOERS_VFS_FILE_DB,
  KOERS_VFS_FILE_WAL,
  KOERS_VFS_FILE_JOURNAL,
} KoersVfsFileKind;

/* Registers the VFS once, over the default VFS at that moment (tests put a
 * fault-injecting VFS there first). */
void      koers_vfs_ensure_registered  (void);

/* The path SQLite will use for @path: ask the VFS below. */
char     *koers_vfs_full_path          (const char   *path);

/* Files of the database at @db_path (and its WAL and journal) are opened
 * with @cipher from now until koers_vfs_unbind(). Without a binding the
 * VFS refuses to open the file. */
void      koers_vfs_bind               (const char   *db_path,
                                        KoersCipher  *cipher);
void      koers_vfs_unbind             (const char   *db_path);

/* The last page that failed authentication on this thread, cleared by the
 * call. FALSE if none since the last call. */
gboolean  koers_vfs_take_auth_failure  (KoersVfsFileKind *kind,
                                        guint32          *pgno);

/* Pages a checkpoint has moved from the WAL into the database without
 * opening and sealing them again (for the tests and bench-vault). */
guint     koers_vfs_passthrough_pages  (void);

/* What the VFS did since the process started, for bench-vault: where the
 * vault's CPU goes at a small page cache. Indexed by KoersVfsFileKind. */
typedef struct
{
  guint64 reads[3];            /* xRead calls from SQLite */
  guint64 partial_reads[3];    /* of them, reads of less than a page */
  guint64 below_reads[3];      /* reads of the file below */
  guint64 below_read_bytes[3];
  guint64 below_writes[3];     /* writes to the file below */
  guint64 opened[3];           /* pages decrypted */
  guint64 sealed[3];           /* pages encrypted */
  guint64 verified;            /* WAL frames tag-checked for a checkpoint */
  guint64 checksum_masks;      /* WAL frame checksums masked or unmasked */
  guint64 plain_reused;        /* WAL frames re-read for their checksums, not opened: kept in clear */
} KoersVfsCounts;

void      koers_vfs_get_counts         (KoersVfsCounts *out);

G_END_DECLS
