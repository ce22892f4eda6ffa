/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A pass-through VFS the vault tests install as SQLite's default before the
 * vault's first use, so the koers VFS stacks on it: a hook sees every read,
 * write, sync and truncate of the real files and may fail it, cut a write
 * short, or kill the process right there. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef enum
{
  TEST_VFS_READ,
  TEST_VFS_WRITE,
  TEST_VFS_SYNC,
  TEST_VFS_TRUNCATE,
} TestVfsOp;

typedef enum
{
  TEST_VFS_FILE_DB,
  TEST_VFS_FILE_WAL,
  TEST_VFS_FILE_JOURNAL,
  TEST_VFS_FILE_OTHER,
} TestVfsFile;

/* Called before each operation on a real file. Return SQLITE_OK to let it
 * through, or the code the call fails with. For a failing write, setting
 * *short_amt to 0 < n < amt first writes only the first n bytes. */
typedef int (*TestVfsHook) (TestVfsOp    op,
                            TestVfsFile  file,
                            int          amt,
                            sqlite3_int64 off,
                            int         *short_amt,
                            gpointer     data);

/* Registers the VFS as the default. Must run before the vault's first use. */
void         test_vfs_install_default  (void);
void         test_vfs_set_hook         (TestVfsHook hook,
                                        gpointer    data);
/* With @skip, xSync still reaches the hook but not the disk: for tests
 * whose crashes are process kills, which the page cache survives, so
 * fsync() changes nothing they can observe but their run time. A delete
 * skips its folder sync too. */
void         test_vfs_set_skip_sync    (gboolean    skip);
const char  *test_vfs_op_name          (TestVfsOp   op);
const char  *test_vfs_file_name        (TestVfsFile file);

G_END_DECLS
