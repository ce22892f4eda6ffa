/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Round trip, wrong passphrase, and no plaintext on disk in any state. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include "vault-fixture.h"
#include "koers-vfs.h"

#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#define MARKER "Zq7MarkerTesfamariam"
#define ROWS 10000

static void
fill_rows (KoersVault *vault)
{
  g_autofree char *sql = g_strdup_printf (
    "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT, note TEXT);"
    "CREATE INDEX person_name ON person (name);"
    "CREATE VIRTUAL TABLE person_fts USING fts5 (name, note, tokenize='unicode61 remove_diacritics 2', prefix='2 3');"
    "BEGIN;"
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)"
    "  INSERT INTO person SELECT i, '%s' || i, 'note ' || hex(randomblob(40)) FROM n;"
    "INSERT INTO person_fts (rowid, name, note) SELECT id, name, note FROM person;"
    "COMMIT;", ROWS, MARKER);

  vault_fixture_exec (vault, sql);
}

static void
test_round_trip (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *like = g_strdup_printf ("SELECT count(*) FROM person WHERE name = '%s4242'", MARKER);
  g_autofree char *match = g_strdup_printf ("SELECT count(*) FROM person_fts WHERE person_fts MATCH '%s4242*'", MARKER);

  fill_rows (fx->vault);
  vault_fixture_reopen (fx);
  g_assert_cmpint (vault_fixture_query_int (fx->vault, "SELECT count(*) FROM person"), ==, ROWS);
  g_assert_cmpint (vault_fixture_query_int (fx->vault, like), ==, 1);
  g_assert_cmpint (vault_fixture_query_int (fx->vault, match), ==, 1);
  g_assert_cmpstr (koers_vault_get_unlocked_by (fx->vault), ==, FIXTURE_NAME);
}

static void
test_wrong_passphrase (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) other = NULL;

  fill_rows (fx->vault);
  g_clear_object (&fx->vault);
  other = koers_vault_open (fx->dir, &error);
  g_assert_no_error (error);
  g_assert_false (koers_vault_unlock (other, FIXTURE_NAME, "Correct horse battery staple", &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE);
  g_assert_false (koers_vault_is_unlocked (other));
  g_assert_null (koers_vault_get_db (other));
  g_clear_error (&error);
  g_assert_false (koers_vault_unlock (other, "Nobody", FIXTURE_PASSPHRASE, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE);
}

/* The stock shell, and the library without our VFS, see no database. */
static void
test_stock_sqlite_cannot_read (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *db_path = vault_fixture_path (fx, "koers.db");
  g_autofree char *shell = g_find_program_in_path ("sqlite3");
  g_autofree char *out = NULL, *err = NULL;
  sqlite3 *db = NULL;
  int status = 0;

  fill_rows (fx->vault);
  g_clear_object (&fx->vault);
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL), ==, SQLITE_NOTADB);
  sqlite3_close (db);
  if (shell == NULL)
    {
      g_test_skip ("the sqlite3 shell is not installed");
      return;
    }
  {
    const char *argv[] = { shell, "-readonly", db_path, "SELECT count(*) FROM person;", NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, NULL));
  }
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "not a database"));
}

static void
test_no_plaintext_after_checkpoint (VaultFixture *fx, gconstpointer data)
{
  fill_rows (fx->vault);
  vault_fixture_exec (fx->vault, "PRAGMA wal_checkpoint(TRUNCATE);");
  g_assert_false (dir_contains_bytes (fx->dir, MARKER));
  g_clear_object (&fx->vault);
  g_assert_false (dir_contains_bytes (fx->dir, MARKER));
  g_assert_false (dir_contains_bytes (fx->dir, "SQLite format 3"));
}

static void
test_no_plaintext_hot_wal (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *wal = vault_fixture_path (fx, "koers.db-wal");

  sqlite3_db_config (koers_vault_get_db (fx->vault), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  fill_rows (fx->vault);
  g_clear_object (&fx->vault);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (dir_contains_bytes (fx->dir, MARKER));
  vault_fixture_reopen (fx);
  g_assert_cmpint (vault_fixture_query_int (fx->vault, "SELECT count(*) FROM person"), ==, ROWS);
}

/* A writer in rollback mode is killed mid-transaction: the hot journal
 * holds the old pages, sealed like every other page. */
static void
test_no_plaintext_hot_journal (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *journal = vault_fixture_path (fx, "koers.db-journal");
  g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) FROM person WHERE name LIKE '%s%%'", MARKER);
  int status;
  pid_t pid;

  vault_fixture_exec (fx->vault, "PRAGMA journal_mode=DELETE;");
  fill_rows (fx->vault);
  g_clear_object (&fx->vault);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autoptr(KoersVault) writer = koers_vault_open (fx->dir, NULL);

      if (!koers_vault_unlock (writer, FIXTURE_NAME, FIXTURE_PASSPHRASE, NULL))
        _exit (3);
      sqlite3_exec (koers_vault_get_db (writer),
                    "PRAGMA journal_mode=DELETE; PRAGMA cache_size=10;"
                    "BEGIN; UPDATE person SET name = 'changed', note = 'x';", NULL, NULL, NULL);
      raise (SIGKILL);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status));
  g_assert_true (g_file_test (journal, G_FILE_TEST_EXISTS));
  g_assert_false (dir_contains_bytes (fx->dir, MARKER));
  vault_fixture_reopen (fx);
  g_assert_cmpint (vault_fixture_query_int (fx->vault, count_sql), ==, ROWS);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

/* --- the rollback journal under a VFS above the vault ------------------ */

#define JOURNAL_PS 4096

static const guint8 test_key[KOERS_KEY_BYTES] = { 7, 7, 7 };
static const guint8 test_id[KOERS_DB_ID_BYTES] = { 9, 9, 9 };

/* A database path bound to a test cipher, for tests of the VFS alone. */
static char *
bind_test_db (const char *dir, KoersCipher **cipher)
{
  g_autofree char *db = g_build_filename (dir, "t.db", NULL);
  char *full = koers_vfs_full_path (db);

  *cipher = koers_cipher_new (test_key, test_id, koers_cipher_format_for_new_vault ());
  koers_vfs_bind (full, *cipher);
  return full;
}

static GBytes *
read_range (const char *path, goffset off, gsize len)
{
  g_autoptr(GBytes) all = read_file_bytes (path);

  g_assert_cmpuint (g_bytes_get_size (all), >=, off + len);
  return g_bytes_new_from_bytes (all, off, len);
}

/* Page images in a journal start 4 bytes into a record, at offsets 4 more
 * than a multiple of 8, after a header of at least 32 bytes: a page-sized
 * read or write anywhere else is an error, never a read at a negative
 * offset, and never plaintext on disk. A header of one page (a VFS above
 * that reports a large sector size writes it so) goes through in clear. */
static void
test_journal_offsets (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("koers-journal-XXXXXX", &error);
  g_autoptr(KoersCipher) cipher = NULL;
  g_autofree char *db = bind_test_db (dir, &cipher);
  g_autofree char *journal_path = g_strconcat (db, "-journal", NULL);
  sqlite3_filename names = sqlite3_create_filename (db, journal_path, "", 0, NULL);
  sqlite3_vfs *vfs = sqlite3_vfs_find (KOERS_VFS_NAME);
  sqlite3_file *f = g_malloc0 (vfs->szOsFile);
  static const guint8 magic[8] = { 0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7 };
  guint8 header[JOURNAL_PS] = { 0 }, page[JOURNAL_PS], back[JOURNAL_PS];
  guint8 pgno[4] = { 0, 0, 0, 3 };
  int out = 0;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (db, "", 0, NULL));  /* the journal takes its mode */
  g_assert_cmpint (vfs->xOpen (vfs, sqlite3_filename_journal (names), f,
                               SQLITE_OPEN_MAIN_JOURNAL | SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE, &out), ==, SQLITE_OK);
  memcpy (header, magic, 8);
  header[24 + 2] = JOURNAL_PS >> 8;  /* page size, big-endian, at 24 */
  for (int i = 0; i < JOURNAL_PS; i++)
    page[i] = (guint8) (i * 13 + 5);
  memset (page + JOURNAL_PS - KOERS_PAGE_RESERVE, 0, KOERS_PAGE_RESERVE);

  /* A one-page header: in clear, as written. */
  g_assert_cmpint (f->pMethods->xWrite (f, header, JOURNAL_PS, 0), ==, SQLITE_OK);
  /* Page-sized, at a header's offset, but not a header: refused. */
  g_assert_cmpint (f->pMethods->xWrite (f, page, JOURNAL_PS, 0), ==, SQLITE_IOERR_WRITE);
  g_assert_cmpint (f->pMethods->xWrite (f, page, JOURNAL_PS, 8), ==, SQLITE_IOERR_WRITE);
  g_assert_cmpint (f->pMethods->xWrite (f, page, JOURNAL_PS, 516 + 2), ==, SQLITE_IOERR_WRITE);
  {
    g_autoptr(GBytes) on_disk = read_range (journal_path, 0, JOURNAL_PS);
    g_assert_cmpmem (g_bytes_get_data (on_disk, NULL), JOURNAL_PS, header, JOURNAL_PS);
  }
  /* A page-sized read of the header: an error, not a crash. */
  g_assert_cmpint (f->pMethods->xRead (f, back, JOURNAL_PS, 0), !=, SQLITE_OK);

  /* A record after the header: page number, then the sealed page. */
  g_assert_cmpint (f->pMethods->xWrite (f, pgno, 4, JOURNAL_PS), ==, SQLITE_OK);
  g_assert_cmpint (f->pMethods->xWrite (f, page, JOURNAL_PS, JOURNAL_PS + 4), ==, SQLITE_OK);
  {
    g_autoptr(GBytes) on_disk = read_range (journal_path, JOURNAL_PS + 4, JOURNAL_PS);
    g_assert_true (memcmp (g_bytes_get_data (on_disk, NULL), page, 64) != 0);
  }
  g_assert_cmpint (f->pMethods->xRead (f, back, JOURNAL_PS, JOURNAL_PS + 4), ==, SQLITE_OK);
  g_assert_cmpmem (back, JOURNAL_PS, page, JOURNAL_PS);
  /* Misaligned by one record field: an error. */
  g_assert_cmpint (f->pMethods->xRead (f, back, JOURNAL_PS, JOURNAL_PS + 8), !=, SQLITE_OK);
  g_assert_cmpint (f->pMethods->xRead (f, back, JOURNAL_PS, JOURNAL_PS), !=, SQLITE_OK);

  g_assert_cmpint (f->pMethods->xClose (f), ==, SQLITE_OK);
  g_free (f);
  sqlite3_free_filename (names);
  koers_vfs_unbind (db);
  remove_tree (dir);
}

/* A VFS above the vault that reports a 64 KiB sector and no
 * POWERSAFE_OVERWRITE (SQLite's crash VFS in its tests does): SQLite then
 * writes journal headers of a whole page. Rollback mode must work. */
typedef struct
{
  sqlite3_file  base;
  sqlite3_file *below;
} AboveFile;

#define BELOW(f) (((AboveFile *) (f))->below)
static int above_close (sqlite3_file *f) { return BELOW (f)->pMethods->xClose (BELOW (f)); }
static int above_read (sqlite3_file *f, void *b, int n, sqlite3_int64 o) { return BELOW (f)->pMethods->xRead (BELOW (f), b, n, o); }
static int above_write (sqlite3_file *f, const void *b, int n, sqlite3_int64 o) { return BELOW (f)->pMethods->xWrite (BELOW (f), b, n, o); }
static int above_truncate (sqlite3_file *f, sqlite3_int64 s) { return BELOW (f)->pMethods->xTruncate (BELOW (f), s); }
static int above_sync (sqlite3_file *f, int fl) { return BELOW (f)->pMethods->xSync (BELOW (f), fl); }
static int above_size (sqlite3_file *f, sqlite3_int64 *s) { return BELOW (f)->pMethods->xFileSize (BELOW (f), s); }
static int above_lock (sqlite3_file *f, int l) { return BELOW (f)->pMethods->xLock (BELOW (f), l); }
static int above_unlock (sqlite3_file *f, int l) { return BELOW (f)->pMethods->xUnlock (BELOW (f), l); }
static int above_reserved (sqlite3_file *f, int *r) { return BELOW (f)->pMethods->xCheckReservedLock (BELOW (f), r); }
static int above_fcntl (sqlite3_file *f, int op, void *a) { return BELOW (f)->pMethods->xFileControl (BELOW (f), op, a); }
static int above_sector_size = 65536;
static int above_sector (sqlite3_file *f) { return above_sector_size; }
static int above_chars (sqlite3_file *f) { return 0; }
#undef BELOW

static const sqlite3_io_methods above_methods = {
  .iVersion = 1,  /* no shared memory: rollback mode only */
  .xClose = above_close, .xRead = above_read, .xWrite = above_write,
  .xTruncate = above_truncate, .xSync = above_sync, .xFileSize = above_size,
  .xLock = above_lock, .xUnlock = above_unlock, .xCheckReservedLock = above_reserved,
  .xFileControl = above_fcntl, .xSectorSize = above_sector,
  .xDeviceCharacteristics = above_chars,
};

static int
above_open (sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *out)
{
  sqlite3_vfs *koers = vfs->pAppData;
  AboveFile *file = (AboveFile *) f;
  int rc;

  file->below = (sqlite3_file *) &file[1];
  file->base.pMethods = NULL;
  rc = koers->xOpen (koers, name, file->below, flags, out);
  if (rc == SQLITE_OK)
    file->base.pMethods = &above_methods;
  return rc;
}

static int above_delete (sqlite3_vfs *v, const char *n, int s) { sqlite3_vfs *k = v->pAppData; return k->xDelete (k, n, s); }
static int above_access (sqlite3_vfs *v, const char *n, int fl, int *o) { sqlite3_vfs *k = v->pAppData; return k->xAccess (k, n, fl, o); }
static int above_full (sqlite3_vfs *v, const char *n, int l, char *o) { sqlite3_vfs *k = v->pAppData; return k->xFullPathname (k, n, l, o); }
static int above_random (sqlite3_vfs *v, int n, char *o) { sqlite3_vfs *k = v->pAppData; return k->xRandomness (k, n, o); }
static int above_sleep (sqlite3_vfs *v, int us) { sqlite3_vfs *k = v->pAppData; return k->xSleep (k, us); }
static int above_time (sqlite3_vfs *v, double *t) { sqlite3_vfs *k = v->pAppData; return k->xCurrentTime (k, t); }

static sqlite3_vfs above_vfs;

static const char *
register_above_vfs (void)
{
  sqlite3_vfs *koers = sqlite3_vfs_find (KOERS_VFS_NAME);

  above_vfs = (sqlite3_vfs) {
    .iVersion = 1, .szOsFile = (int) sizeof (AboveFile) + koers->szOsFile,
    .mxPathname = koers->mxPathname, .zName = "koers-test-above", .pAppData = koers,
    .xOpen = above_open, .xDelete = above_delete, .xAccess = above_access,
    .xFullPathname = above_full, .xRandomness = above_random, .xSleep = above_sleep,
    .xCurrentTime = above_time,
  };
  g_assert_cmpint (sqlite3_vfs_register (&above_vfs, 0), ==, SQLITE_OK);
  return above_vfs.zName;
}

static sqlite3 *
open_above (const char *path)
{
  int reserve = KOERS_PAGE_RESERVE;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, above_vfs.zName), ==, SQLITE_OK);
  sqlite3_file_control (db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
  return db;
}

/* t's rows changed since "sum" was taken, in length, and integrity_check. */
static void
assert_sum (sqlite3 *db, int grown, int rows)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT (SELECT sum(length(v)) FROM t) - s, (SELECT count(*) FROM t) - c,"
                                           " (SELECT * FROM pragma_integrity_check) FROM sum", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, grown);
  g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, rows);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "ok");
  sqlite3_finalize (stmt);
}

static const char fill_sql[] =
  "PRAGMA temp_store=MEMORY; PRAGMA page_size=4096; PRAGMA cache_size=5;"
  "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
  "  INSERT INTO t SELECT i, hex(randomblob(50)) FROM n;"
  "CREATE TABLE sum AS SELECT sum(length(v)) AS s, count(*) AS c FROM t;";

static void
journal_sector_above (int sector_size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("koers-journal-XXXXXX", &error);
  g_autoptr(KoersCipher) cipher = NULL;
  g_autofree char *db_path = bind_test_db (dir, &cipher);
  sqlite3 *db;

  g_assert_no_error (error);
  above_sector_size = sector_size;
  register_above_vfs ();
  db = open_above (db_path);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode=DELETE;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, fill_sql, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
    "BEGIN; UPDATE t SET v = 'gone'; ROLLBACK;"
    "BEGIN; UPDATE t SET v = v || 'x' WHERE id % 2 = 0; COMMIT;", NULL, NULL, NULL), ==, SQLITE_OK);
  assert_sum (db, 1000, 0);
  sqlite3_close (db);
  sqlite3_vfs_unregister (&above_vfs);
  above_sector_size = 65536;
  koers_vfs_unbind (db_path);
  remove_tree (dir);
}

static void
test_journal_large_sector_above (void)
{
  journal_sector_above (65536);
}

/* The same VFS reporting SQLite's smallest sector, 32 bytes: journal
 * headers of 32 bytes, the first page image at byte 36 (SQLite's
 * pager1-10.32 to .256 got "disk I/O error"). */
static void
test_journal_small_sector_above (void)
{
  journal_sector_above (32);
}

/* The same VFS above, in WAL mode (exclusive: it has no shared memory)
 * with synchronous=FULL: SQLite pads each commit to the 64 KiB sector with
 * copies of the commit frame and splits the copy that crosses the sector
 * boundary into two writes. The vault gathers the parts and writes the
 * frame sealed; the log recovers after a reopen. */
static void
test_wal_split_frames_above (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("koers-wal-XXXXXX", &error);
  g_autoptr(KoersCipher) cipher = NULL;
  g_autofree char *db_path = bind_test_db (dir, &cipher);
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);
  sqlite3 *db;

  g_assert_no_error (error);
  register_above_vfs ();
  db = open_above (db_path);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL;"
                                     "PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=0;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, fill_sql, NULL, NULL, NULL), ==, SQLITE_OK);
  for (int i = 0; i < 5; i++)
    g_assert_cmpint (sqlite3_exec (db, "UPDATE t SET v = v || 'x' WHERE id % 10 = 0;", NULL, NULL, NULL), ==, SQLITE_OK);
  assert_sum (db, 1000, 0);
  /* Padded to the sector: the log is a whole number of 64 KiB sectors. */
  {
    g_autoptr(GBytes) wal = read_file_bytes (wal_path);
    g_assert_cmpuint (g_bytes_get_size (wal) % 65536, <, 32 + 4120);
  }
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  sqlite3_close (db);
  db = open_above (db_path);  /* recovery reads every frame */
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA locking_mode=EXCLUSIVE;", NULL, NULL, NULL), ==, SQLITE_OK);
  assert_sum (db, 1000, 0);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL), ==, SQLITE_OK);
  assert_sum (db, 1000, 0);
  sqlite3_close (db);
  sqlite3_vfs_unregister (&above_vfs);
  koers_vfs_unbind (db_path);
  remove_tree (dir);
}

/* --- WAL frames whose checksums SQLite rewrites at the commit ------------ */

#define WAL_PAGE_SIZE 4096

/* How many frames of the WAL at @path have a blank header (salts and
 * checksum zero, as SQLite writes them while a transaction owes a rewrite
 * of checksums), and how many have the WAL header's salts. */
static void
count_wal_frames (const char *path, guint *blank, guint *current)
{
  g_autoptr(GBytes) bytes = read_file_bytes (path);
  gsize len = 0;
  const guint8 *p = g_bytes_get_data (bytes, &len);
  static const guint8 zeros[16];

  *blank = *current = 0;
  g_assert_cmpuint (len, >=, 32);
  for (gsize off = 32; off + 24 + WAL_PAGE_SIZE <= len; off += 24 + WAL_PAGE_SIZE)
    {
      if (memcmp (p + off + 8, zeros, 16) == 0)
        (*blank)++;
      else if (memcmp (p + off + 8, p + 16, 8) == 0)
        (*current)++;
    }
}

static KoersVault *
unlock_copy (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) vault = koers_vault_open (dir, &error);

  g_assert_no_error (error);
  g_assert_true (koers_vault_unlock (vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&vault);
}

/* A transaction larger than the page cache spills pages into the WAL and
 * then changes some of them again: SQLite overwrites their frames in place,
 * writes every later frame header blank and rewrites all their checksums
 * at the commit. The vault writes blank headers as they are (nothing in
 * them needs hiding) and masks the rewritten ones: a crash before the
 * commit loses only the transaction, and after it recovery keeps it all. */
static void
test_wal_rewritten_checksums (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *wal = vault_fixture_path (fx, "koers.db-wal");
  g_autofree char *before = g_build_filename (fx->dir, "copy-before-commit", NULL);
  g_autofree char *after = g_build_filename (fx->dir, "copy-after-commit", NULL);
  g_autoptr(KoersVault) copy = NULL;
  gint64 notes;
  guint blank, current;

  sqlite3_db_config (koers_vault_get_db (fx->vault), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  vault_fixture_exec (fx->vault, "PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=20;");
  fill_rows (fx->vault);
  notes = vault_fixture_query_int (fx->vault, "SELECT sum(length(note)) FROM person");
  vault_fixture_exec (fx->vault,
                      "BEGIN;"
                      "UPDATE person SET note = note || 'a';"
                      "UPDATE person SET note = note || 'b';");
  count_wal_frames (wal, &blank, &current);
  g_assert_cmpuint (blank, >, 0);
  g_assert_false (dir_contains_bytes (fx->dir, MARKER));
  vault_fixture_copy (fx->dir, before);
  vault_fixture_exec (fx->vault, "COMMIT;");
  count_wal_frames (wal, &blank, &current);
  g_assert_cmpuint (blank, ==, 0);
  vault_fixture_copy (fx->dir, after);

  copy = unlock_copy (before);
  g_assert_cmpint (vault_fixture_query_int (copy, "SELECT sum(length(note)) FROM person"), ==, notes);
  g_clear_object (&copy);
  copy = unlock_copy (after);
  g_assert_cmpint (vault_fixture_query_int (copy, "SELECT sum(length(note)) FROM person"), ==, notes + 2 * ROWS);
  g_assert_cmpint (vault_fixture_query_int (copy, "SELECT count(*) FROM person WHERE note LIKE '%ab'"), ==, ROWS);
  g_clear_object (&copy);
  g_assert_false (dir_contains_bytes (fx->dir, MARKER));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/vault/" path, VaultFixture, NULL, vault_fixture_set_up, fn, vault_fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("wrong-passphrase", test_wrong_passphrase);
  ADD ("stock-sqlite-cannot-read", test_stock_sqlite_cannot_read);
  ADD ("no-plaintext/checkpointed", test_no_plaintext_after_checkpoint);
  ADD ("no-plaintext/hot-wal", test_no_plaintext_hot_wal);
  ADD ("no-plaintext/hot-journal", test_no_plaintext_hot_journal);
  ADD ("wal/rewritten-checksums", test_wal_rewritten_checksums);
  g_test_add_func ("/vault/journal/offsets", test_journal_offsets);
  g_test_add_func ("/vault/journal/large-sector-above", test_journal_large_sector_above);
  g_test_add_func ("/vault/journal/small-sector-above", test_journal_small_sector_above);
  g_test_add_func ("/vault/wal/split-frames-above", test_wal_split_frames_above);
  return g_test_run ();
}
