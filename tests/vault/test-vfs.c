/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include "test-vfs.h"

#include <string.h>

typedef struct
{
  sqlite3_file  base;
  sqlite3_file *real;  /* right after this struct */
  TestVfsFile   kind;
} TestFile;

static sqlite3_vfs test_vfs;
static sqlite3_vfs *below;
static TestVfsHook hook;
static gpointer hook_data;
static gboolean skip_sync;  /* also skips the folder sync after a delete */

void
test_vfs_set_skip_sync (gboolean skip)
{
  skip_sync = skip;
}

void
test_vfs_set_hook (TestVfsHook h, gpointer data)
{
  hook = h;
  hook_data = data;
}

const char *
test_vfs_op_name (TestVfsOp op)
{
  static const char *const names[] = { "read", "write", "sync", "truncate" };
  return names[op];
}

const char *
test_vfs_file_name (TestVfsFile file)
{
  static const char *const names[] = { "db", "wal", "journal", "other" };
  return names[file];
}

static int
ask (TestFile *f, TestVfsOp op, int amt, sqlite3_int64 off, int *short_amt)
{
  *short_amt = -1;
  return hook ? hook (op, f->kind, amt, off, short_amt, hook_data) : SQLITE_OK;
}

static int
t_close (sqlite3_file *file)
{
  TestFile *f = (TestFile *) file;
  return f->real->pMethods->xClose (f->real);
}

static int
t_read (sqlite3_file *file, void *buf, int amt, sqlite3_int64 off)
{
  TestFile *f = (TestFile *) file;
  int short_amt;
  int rc = ask (f, TEST_VFS_READ, amt, off, &short_amt);

  if (rc != SQLITE_OK)
    return rc;
  return f->real->pMethods->xRead (f->real, buf, amt, off);
}

static int
t_write (sqlite3_file *file, const void *buf, int amt, sqlite3_int64 off)
{
  TestFile *f = (TestFile *) file;
  int short_amt;
  int rc = ask (f, TEST_VFS_WRITE, amt, off, &short_amt);

  if (rc == SQLITE_OK)
    return f->real->pMethods->xWrite (f->real, buf, amt, off);
  if (short_amt > 0 && short_amt < amt)
    f->real->pMethods->xWrite (f->real, buf, short_amt, off);
  return rc;
}

static int
t_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  TestFile *f = (TestFile *) file;
  int short_amt;
  int rc = ask (f, TEST_VFS_TRUNCATE, 0, size, &short_amt);

  return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate (f->real, size);
}

static int
t_sync (sqlite3_file *file, int flags)
{
  TestFile *f = (TestFile *) file;
  int short_amt;
  int rc = ask (f, TEST_VFS_SYNC, 0, 0, &short_amt);

  if (rc != SQLITE_OK || skip_sync)
    return rc;
  return f->real->pMethods->xSync (f->real, flags);
}

#define PASS(name, args, call) \
  static int name args { TestFile *f = (TestFile *) file; return f->real->pMethods->call; }

PASS (t_file_size, (sqlite3_file *file, sqlite3_int64 *size), xFileSize (f->real, size))
PASS (t_lock, (sqlite3_file *file, int level), xLock (f->real, level))
PASS (t_unlock, (sqlite3_file *file, int level), xUnlock (f->real, level))
PASS (t_check_reserved, (sqlite3_file *file, int *out), xCheckReservedLock (f->real, out))
PASS (t_file_control, (sqlite3_file *file, int op, void *arg), xFileControl (f->real, op, arg))
PASS (t_sector_size, (sqlite3_file *file), xSectorSize (f->real))
PASS (t_device_chars, (sqlite3_file *file), xDeviceCharacteristics (f->real))
PASS (t_shm_map, (sqlite3_file *file, int pg, int sz, int extend, void volatile **pp),
      xShmMap (f->real, pg, sz, extend, pp))
PASS (t_shm_lock, (sqlite3_file *file, int offset, int n, int flags), xShmLock (f->real, offset, n, flags))
PASS (t_shm_unmap, (sqlite3_file *file, int del), xShmUnmap (f->real, del))

static void
t_shm_barrier (sqlite3_file *file)
{
  TestFile *f = (TestFile *) file;
  f->real->pMethods->xShmBarrier (f->real);
}

static const sqlite3_io_methods test_io_methods = {
  .iVersion = 2,
  .xClose = t_close,
  .xRead = t_read,
  .xWrite = t_write,
  .xTruncate = t_truncate,
  .xSync = t_sync,
  .xFileSize = t_file_size,
  .xLock = t_lock,
  .xUnlock = t_unlock,
  .xCheckReservedLock = t_check_reserved,
  .xFileControl = t_file_control,
  .xSectorSize = t_sector_size,
  .xDeviceCharacteristics = t_device_chars,
  .xShmMap = t_shm_map,
  .xShmLock = t_shm_lock,
  .xShmBarrier = t_shm_barrier,
  .xShmUnmap = t_shm_unmap,
};

static int
t_open (sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *out_flags)
{
  TestFile *f = (TestFile *) file;
  int rc;

  memset (f, 0, sizeof *f);
  f->real = (sqlite3_file *) &f[1];
  f->kind = (flags & SQLITE_OPEN_MAIN_DB) ? TEST_VFS_FILE_DB :
            (flags & SQLITE_OPEN_WAL) ? TEST_VFS_FILE_WAL :
            (flags & SQLITE_OPEN_MAIN_JOURNAL) ? TEST_VFS_FILE_JOURNAL : TEST_VFS_FILE_OTHER;
  rc = below->xOpen (below, name, f->real, flags, out_flags);
  if (f->real->pMethods != NULL)
    f->base.pMethods = &test_io_methods;
  return rc;
}

static int t_delete (sqlite3_vfs *v, const char *n, int s) { return below->xDelete (below, n, skip_sync ? 0 : s); }
static int t_access (sqlite3_vfs *v, const char *n, int fl, int *o) { return below->xAccess (below, n, fl, o); }
static int t_full_pathname (sqlite3_vfs *v, const char *n, int nn, char *o) { return below->xFullPathname (below, n, nn, o); }
static void *t_dl_open (sqlite3_vfs *v, const char *p) { return below->xDlOpen (below, p); }
static void t_dl_error (sqlite3_vfs *v, int n, char *m) { below->xDlError (below, n, m); }
static void (*t_dl_sym (sqlite3_vfs *v, void *h, const char *s)) (void) { return below->xDlSym (below, h, s); }
static void t_dl_close (sqlite3_vfs *v, void *h) { below->xDlClose (below, h); }
static int t_randomness (sqlite3_vfs *v, int n, char *o) { return below->xRandomness (below, n, o); }
static int t_sleep (sqlite3_vfs *v, int us) { return below->xSleep (below, us); }
static int t_current_time (sqlite3_vfs *v, double *o) { return below->xCurrentTime (below, o); }
static int t_get_last_error (sqlite3_vfs *v, int n, char *o) { return below->xGetLastError (below, n, o); }
static int t_current_time_int64 (sqlite3_vfs *v, sqlite3_int64 *o) { return below->xCurrentTimeInt64 (below, o); }

void
test_vfs_install_default (void)
{
  g_assert_null (below);
  below = sqlite3_vfs_find (NULL);
  g_assert_nonnull (below);
  g_assert_cmpint (below->iVersion, >=, 2);
  test_vfs = (sqlite3_vfs) {
    .iVersion = 2,
    .szOsFile = (int) sizeof (TestFile) + below->szOsFile,
    .mxPathname = below->mxPathname,
    .zName = "koers-test",
    .xOpen = t_open,
    .xDelete = t_delete,
    .xAccess = t_access,
    .xFullPathname = t_full_pathname,
    .xDlOpen = t_dl_open,
    .xDlError = t_dl_error,
    .xDlSym = t_dl_sym,
    .xDlClose = t_dl_close,
    .xRandomness = t_randomness,
    .xSleep = t_sleep,
    .xCurrentTime = t_current_time,
    .xGetLastError = t_get_last_error,
    .xCurrentTimeInt64 = t_current_time_int64,
  };
  g_assert_cmpint (sqlite3_vfs_register (&test_vfs, 1), ==, SQLITE_OK);
}
