/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Linked into SQLite's testfixture by build-aux/sqlite-tests and called at
 * the end of sqlite3_initialize() (-DSQLITE_EXTRA_INIT): the vault's VFS
 * becomes the default, over "unix", with a fixed test key (every new
 * database gets the vault's 40 reserve bytes from a patch to SQLite's
 * btree.c, in build-aux/sqlite-tests). In a crash test's child
 * (KOERS_VAULT_BELOW_CRASH set by the patched crashsql) "unix" stays the
 * default, so SQLite's crash VFS sits right on it, and the vault is the
 * VFS "koers-crash" over the crash VFS. Never part of the app. */
#include "config.h"

#include <sqlite3.h>
#include <stdlib.h>

#include "koers-cipher.h"
#include "koers-vfs-testing.h"

static const guint8 test_key[KOERS_KEY_BYTES] = {
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
};
static const guint8 test_id[KOERS_DB_ID_BYTES] = {
  0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
  0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
};

int koers_sqlite_test_init (const char *unused);

int
koers_sqlite_test_init (const char *unused)
{
  int rc;

  if (getenv ("KOERS_VAULT_BELOW_CRASH") != NULL)
    {
      sqlite3_vfs_register (sqlite3_vfs_find ("unix"), 1);
      rc = koers_vfs_register_for_testing ("koers-crash", "crash", test_key, test_id, FALSE);
    }
  else
    rc = koers_vfs_register_for_testing ("koers-test", "unix", test_key, test_id, TRUE);
  return rc;
}
