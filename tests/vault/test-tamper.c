/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tampering with the vault's files: every altered, swapped or spliced page
 * is a tamper error on the read that touches it, and verify names the page.
 * Crash leftovers (a torn last frame) are not tampering. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include "vault-fixture.h"
#include "koers-vfs.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define PS          4096
#define RESERVE     40
#define NONCE_AT    (PS - RESERVE)
#define TAG_AT      (PS - 16)
#define WAL_HDR     32
#define FRAME_HDR   24
#define FRAME       (FRAME_HDR + PS)
#define ROWS        200

/* --- helpers ---------------------------------------------------------- */

/* A table of ROWS rows of 300 random bytes: root page 2, leaves 3.. (it is
 * the only table, created in an empty database). Column n counts which of
 * the later test transactions reached the file. Checkpointed. */
static void
fill (KoersVault *vault)
{
  vault_fixture_exec (vault,
                      "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, v BLOB);"
                      "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < "
                      G_STRINGIFY (ROWS) ")"
                      "  INSERT INTO t SELECT i, 0, randomblob(300) FROM c;"
                      "PRAGMA wal_checkpoint(TRUNCATE);");
}

static void
tamper_set_up (VaultFixture *fx, gconstpointer data)
{
  vault_fixture_set_up (fx, data);
  fill (fx->vault);
  g_assert_cmpint (vault_fixture_query_int (fx->vault, "PRAGMA page_count"), >, 12);
}

static char *
db_path (VaultFixture *fx)
{
  return vault_fixture_path (fx, "koers.db");
}

static char *
wal_path (VaultFixture *fx)
{
  return vault_fixture_path (fx, "koers.db-wal");
}

static goffset
page_offset (guint32 pgno)
{
  return (goffset) (pgno - 1) * PS;
}

static goffset
frame_offset (guint index)
{
  return WAL_HDR + (goffset) index * FRAME;
}

/* Reads every row of t on @db. FALSE with the vault's error on failure;
 * on success @sum_n (if not NULL) is sum(n). */
static gboolean
read_all (sqlite3 *db, gint64 *sum_n, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, "SELECT count(*), sum(length(v)), sum(n) FROM t", -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, ROWS);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, ROWS * 300);
      if (sum_n)
        *sum_n = sqlite3_column_int64 (stmt, 2);
    }
  else
    koers_vault_set_sqlite_error (error, db, rc, "reading the table");
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW;
}

static void
assert_names_page (const GError *error, guint32 pgno, const char *file)
{
  g_autofree char *needle = g_strdup_printf ("page %u ", pgno);

  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_TAMPERED);
  g_test_message ("%s", error->message);
  if (strstr (error->message, needle) == NULL)
    g_error ("“%s” does not name page %u", error->message, pgno);
  if (file && strstr (error->message, file) == NULL)
    g_error ("“%s” does not name %s", error->message, file);
}

static KoersVault *
open_vault (VaultFixture *fx)
{
  g_autoptr(GError) error = NULL;
  KoersVault *vault = koers_vault_open (fx->dir, &error);

  g_assert_no_error (error);
  return vault;
}

/* The vault was closed and one page of koers.db altered: unlock works (page
 * 1 is fine), the read of t fails naming @pgno, and so does verify. */
static void
expect_db_tamper (VaultFixture *fx, guint32 pgno)
{
  g_autoptr(GError) error = NULL;

  fx->vault = open_vault (fx);
  g_assert_true (koers_vault_unlock (fx->vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_false (read_all (koers_vault_get_db (fx->vault), NULL, &error));
  assert_names_page (error, pgno, "database");
  g_clear_error (&error);
  g_assert_false (koers_vault_verify (fx->vault, &error));
  assert_names_page (error, pgno, "database");
}

/* Page 1 altered: unlock itself fails, naming page 1. */
static void
expect_unlock_tamper (VaultFixture *fx, guint32 pgno, const char *file)
{
  g_autoptr(GError) error = NULL;

  fx->vault = open_vault (fx);
  g_assert_false (koers_vault_unlock (fx->vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
  assert_names_page (error, pgno, file);
  g_assert_false (koers_vault_is_unlocked (fx->vault));
}

static void
flip_page_byte (VaultFixture *fx, guint32 pgno, guint offset_in_page)
{
  g_autofree char *path = db_path (fx);

  g_clear_object (&fx->vault);
  flip_byte (path, page_offset (pgno) + offset_in_page);
}

/* --- the database file ------------------------------------------------ */

static void
test_db_body (VaultFixture *fx, gconstpointer data)
{
  flip_page_byte (fx, 5, 1234);
  expect_db_tamper (fx, 5);
}

static void
test_db_nonce (VaultFixture *fx, gconstpointer data)
{
  flip_page_byte (fx, 4, NONCE_AT + 7);
  expect_db_tamper (fx, 4);
}

static void
test_db_tag (VaultFixture *fx, gconstpointer data)
{
  flip_page_byte (fx, 3, TAG_AT + 15);
  expect_db_tamper (fx, 3);
}

static void
test_db_first_byte_of_leaf (VaultFixture *fx, gconstpointer data)
{
  flip_page_byte (fx, 2, 0);  /* the root of t: its page type byte */
  expect_db_tamper (fx, 2);
}

static void
test_db_last_page (VaultFixture *fx, gconstpointer data)
{
  guint32 last = (guint32) vault_fixture_query_int (fx->vault, "PRAGMA page_count");

  flip_page_byte (fx, last, 4000);
  expect_db_tamper (fx, last);
}

static void
test_page1_body (VaultFixture *fx, gconstpointer data)
{
  flip_page_byte (fx, 1, 200);  /* sqlite_schema */
  expect_unlock_tamper (fx, 1, "database");
}

static void
test_page1_secret_header (VaultFixture *fx, gconstpointer data)
{
  flip_page_byte (fx, 1, 40);  /* schema cookie etc.: sealed, not clear */
  expect_unlock_tamper (fx, 1, "database");
}

static void
test_page1_nonce (VaultFixture *fx, gconstpointer data)
{
  flip_page_byte (fx, 1, NONCE_AT);
  expect_unlock_tamper (fx, 1, "database");
}

static void
test_page1_tag (VaultFixture *fx, gconstpointer data)
{
  flip_page_byte (fx, 1, TAG_AT);
  expect_unlock_tamper (fx, 1, "database");
}

/* Bytes 16..23 of page 1 are in clear and bound as associated data. Those
 * SQLite reads for versions and payload fractions (18, 19, 21, 22, 23):
 * a flip fails page 1's authentication. */
static void
test_page1_clear_header_bound (VaultFixture *fx, gconstpointer data)
{
  static const guint bytes[] = { 18, 19, 21, 22, 23 };

  for (guint i = 0; i < G_N_ELEMENTS (bytes); i++)
    {
      g_autofree char *path = db_path (fx);
      g_autoptr(GBytes) before = NULL;

      g_clear_object (&fx->vault);
      before = read_file_bytes (path);
      flip_byte (path, bytes[i]);
      expect_unlock_tamper (fx, 1, "database");
      g_clear_object (&fx->vault);
      write_file_bytes (path, before);
    }
  /* Put back, it opens again: nothing else was harmed. */
  vault_fixture_reopen (fx);
  g_assert_true (read_all (koers_vault_get_db (fx->vault), NULL, NULL));
}

/* A page size changed to another valid one (4096 -> 8192): the VFS seals
 * and opens 8192-byte pages, page 1 does not authenticate. */
static void
test_page1_clear_page_size_valid (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *path = db_path (fx);
  FILE *f;

  g_clear_object (&fx->vault);
  f = fopen (path, "r+b");
  g_assert_nonnull (f);
  g_assert_cmpint (fseeko (f, 16, SEEK_SET), ==, 0);
  fputc (0x20, f);
  fputc (0x00, f);
  fclose (f);
  expect_unlock_tamper (fx, 1, "database");
}

/* What actually happens when a flip makes the page size (bytes 16, 17)
 * impossible or the reserve size (byte 20) not 40: the VFS cannot even
 * find the nonce and tag, so it answers SQLITE_NOTADB before any page is
 * authenticated, and the vault says “not a Koers vault, or damaged”
 * (KOERS_VAULT_ERROR_CORRUPT), not TAMPERED. Either way nothing is read
 * and the person is told to restore a backup; verify is unreachable
 * because unlock fails. */
static void
test_page1_clear_layout_bytes (VaultFixture *fx, gconstpointer data)
{
  static const guint bytes[] = { 16, 17, 20 };

  for (guint i = 0; i < G_N_ELEMENTS (bytes); i++)
    {
      g_autofree char *path = db_path (fx);
      g_autoptr(GBytes) before = NULL;
      g_autoptr(GError) error = NULL;

      g_clear_object (&fx->vault);
      before = read_file_bytes (path);
      flip_byte (path, bytes[i]);
      fx->vault = open_vault (fx);
      g_assert_false (koers_vault_unlock (fx->vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
      g_test_message ("byte %u: %s", bytes[i], error->message);
      g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_CORRUPT);
      g_clear_object (&fx->vault);
      write_file_bytes (path, before);
    }
}

static void
copy_page (const char *from, guint32 from_pgno, const char *to, guint32 to_pgno)
{
  g_autoptr(GBytes) src = read_file_bytes (from);
  g_autoptr(GBytes) dst = read_file_bytes (to);
  gsize dst_len;
  guint8 *out = g_bytes_unref_to_data (g_steal_pointer (&dst), &dst_len);
  g_autoptr(GBytes) result = NULL;

  g_assert_cmpuint (g_bytes_get_size (src), >=, (gsize) from_pgno * PS);
  g_assert_cmpuint (dst_len, >=, (gsize) to_pgno * PS);
  memcpy (out + page_offset (to_pgno), (const guint8 *) g_bytes_get_data (src, NULL) + page_offset (from_pgno), PS);
  result = g_bytes_new_take (out, dst_len);
  write_file_bytes (to, result);
}

static void
test_swap_pages (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *path = db_path (fx);
  g_autofree char *copy = g_strconcat (path, ".orig", NULL);
  g_autoptr(GError) error = NULL;

  g_clear_object (&fx->vault);
  {
    g_autoptr(GBytes) orig = read_file_bytes (path);
    write_file_bytes (copy, orig);
  }
  copy_page (copy, 3, path, 6);
  copy_page (copy, 6, path, 3);
  g_unlink (copy);
  fx->vault = open_vault (fx);
  g_assert_true (koers_vault_unlock (fx->vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
  g_assert_false (read_all (koers_vault_get_db (fx->vault), NULL, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_TAMPERED);
  g_test_message ("%s", error->message);
  g_assert_true (strstr (error->message, "page 3 ") || strstr (error->message, "page 6 "));
  g_clear_error (&error);
  g_assert_false (koers_vault_verify (fx->vault, &error));
  assert_names_page (error, 3, "database");  /* the scan goes in page order */
}

/* A page moved within the vault, to a place of the right kind (another
 * leaf of the same table). */
static void
test_move_page (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *path = db_path (fx);

  g_clear_object (&fx->vault);
  copy_page (path, 4, path, 7);
  expect_db_tamper (fx, 7);
}

/* Another vault with the same schema and the same passphrase: its pages
 * carry another id (and key) in their associated data. */
static void
test_splice_from_other_vault (VaultFixture *fx, gconstpointer data)
{
  VaultFixture other = { 0 };
  g_autofree char *path = db_path (fx);
  g_autofree char *other_path = NULL;

  tamper_set_up (&other, NULL);
  other_path = db_path (&other);
  g_clear_object (&other.vault);
  g_clear_object (&fx->vault);
  copy_page (other_path, 4, path, 4);
  expect_db_tamper (fx, 4);
  g_clear_object (&fx->vault);
  copy_page (other_path, 1, path, 1);
  expect_unlock_tamper (fx, 1, "database");
  vault_fixture_tear_down (&other, NULL);
}

/* An older authentic copy of a page put back. Page-level AEAD cannot see
 * it (the page authenticates at its number under this vault's id), and
 * docs/vault-format.md (Threat model) accepts it. What actually happens
 * here, asserted: the read returns the old row, and verify passes, because
 * a leaf whose cells only changed in content still fits the b-tree, so
 * PRAGMA integrity_check is content too. */
static void
test_older_copy_of_page (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *path = db_path (fx);
  g_autofree char *old = g_strconcat (path, ".old", NULL);
  g_autoptr(GError) error = NULL;

  g_clear_object (&fx->vault);
  {
    g_autoptr(GBytes) orig = read_file_bytes (path);
    write_file_bytes (old, orig);
  }
  vault_fixture_reopen (fx);
  vault_fixture_exec (fx->vault, "UPDATE t SET n = 7 WHERE id = 1; PRAGMA wal_checkpoint(TRUNCATE);");
  g_assert_cmpint (vault_fixture_query_int (fx->vault, "SELECT n FROM t WHERE id = 1"), ==, 7);
  g_clear_object (&fx->vault);
  copy_page (old, 3, path, 3);  /* row 1 lives in the first leaf, page 3 */
  g_unlink (old);
  vault_fixture_reopen (fx);
  /* Not detected: the row is back at its old value ... */
  g_assert_cmpint (vault_fixture_query_int (fx->vault, "SELECT n FROM t WHERE id = 1"), ==, 0);
  /* ... and verify (every page authenticates, integrity_check is ok). */
  g_assert_true (koers_vault_verify (fx->vault, &error));
  g_assert_no_error (error);
}

/* --- the write-ahead log ---------------------------------------------- */

typedef struct
{
  guint32 pgno;
  guint32 commit;
} Frame;

static GArray *
wal_frames (const char *path)
{
  g_autoptr(GBytes) wal = read_file_bytes (path);
  const guint8 *p = g_bytes_get_data (wal, NULL);
  gsize len = g_bytes_get_size (wal);
  GArray *frames = g_array_new (FALSE, FALSE, sizeof (Frame));

  for (gsize off = WAL_HDR; off + FRAME <= len; off += FRAME)
    {
      Frame f = {
        (guint32) p[off] << 24 | p[off + 1] << 16 | p[off + 2] << 8 | p[off + 3],
        (guint32) p[off + 4] << 24 | p[off + 5] << 16 | p[off + 6] << 8 | p[off + 7],
      };
      g_array_append_val (frames, f);
    }
  return frames;
}

/* Three transactions, each one leaf, committed into a WAL that stays: n
 * becomes 1 on row 1, 2 on the last row, 3 on a middle row, so sum(n) says
 * which reached the reader (0, 1, 3 or 6). The checkpoint on close is off,
 * so closing leaves the WAL hot. */
static void
write_three_transactions (VaultFixture *fx)
{
  sqlite3_db_config (koers_vault_get_db (fx->vault), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  vault_fixture_exec (fx->vault, "UPDATE t SET n = 1 WHERE id = 1;");
  vault_fixture_exec (fx->vault, "UPDATE t SET n = 2 WHERE id = " G_STRINGIFY (ROWS) ";");
  vault_fixture_exec (fx->vault, "UPDATE t SET n = 3 WHERE id = 100;");
}

/* The first frame (page @pgno) is the newest copy of its page and has two
 * later commits after it. */
static guint32
check_wal_shape (VaultFixture *fx)
{
  g_autofree char *wal = wal_path (fx);
  g_autoptr(GArray) frames = wal_frames (wal);
  Frame *f = (Frame *) frames->data;

  g_assert_cmpuint (frames->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpuint (f[i].pgno, >=, 3);
      g_assert_cmpuint (f[i].commit, !=, 0);
    }
  g_assert_cmpuint (f[0].pgno, !=, f[1].pgno);
  g_assert_cmpuint (f[0].pgno, !=, f[2].pgno);
  return f[0].pgno;
}

/* A multi-page transaction after the three (n = 100 on three rows). */
#define FOURTH_TRANSACTION "UPDATE t SET n = 100 WHERE id IN (2, 50, 150);"

/* The three transactions (with @fourth, FOURTH_TRANSACTION after them) in
 * a WAL that the vault, now closed, left hot. Returns its frames. */
static GArray *
hot_wal (VaultFixture *fx,
         gboolean      fourth)
{
  g_autofree char *wal = wal_path (fx);

  write_three_transactions (fx);
  if (fourth)
    vault_fixture_exec (fx->vault, FOURTH_TRANSACTION);
  else
    check_wal_shape (fx);
  g_clear_object (&fx->vault);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  return wal_frames (wal);
}

/* Overwrites @n bytes of @path at @offset with zeros: sectors a power cut
 * left unwritten. */
static void
zero_bytes (const char *path,
            goffset     offset,
            guint       n)
{
  FILE *f = fopen (path, "r+b");

  g_assert_nonnull (f);
  g_assert_cmpint (fseeko (f, offset, SEEK_SET), ==, 0);
  for (guint i = 0; i < n; i++)
    fputc (0, f);
  fclose (f);
}

/* The WAL is altered under an open vault (no recovery): a fresh
 * connection reads the page from the WAL and must get the tamper error;
 * verify names the page in the WAL. */
static void
wal_live_tamper (VaultFixture *fx, guint in_frame)
{
  g_autofree char *wal = wal_path (fx);
  g_autoptr(GError) error = NULL;
  guint32 pgno;
  sqlite3 *conn;

  write_three_transactions (fx);
  pgno = check_wal_shape (fx);
  flip_byte (wal, frame_offset (0) + in_frame);
  conn = koers_vault_open_connection (fx->vault, &error);
  g_assert_no_error (error);
  g_assert_false (read_all (conn, NULL, &error));
  assert_names_page (error, pgno, "write-ahead log");
  sqlite3_close (conn);
  g_clear_error (&error);
  g_assert_false (koers_vault_verify (fx->vault, &error));
  assert_names_page (error, pgno, "write-ahead log");
}

static void
test_wal_live_body (VaultFixture *fx, gconstpointer data)
{
  wal_live_tamper (fx, FRAME_HDR + 2000);
}

static void
test_wal_live_nonce (VaultFixture *fx, gconstpointer data)
{
  wal_live_tamper (fx, FRAME_HDR + NONCE_AT + 23);
}

static void
test_wal_live_tag (VaultFixture *fx, gconstpointer data)
{
  wal_live_tamper (fx, FRAME_HDR + TAG_AT + 1);
}

/* A hot WAL (left by a closed vault) altered in a frame that later commits
 * follow: SQLite's recovery at unlock reads it, and unlock fails naming the
 * page. */
static void
wal_hot_tamper (VaultFixture *fx, guint frame, guint in_frame)
{
  g_autofree char *wal = wal_path (fx);
  g_autoptr(GArray) frames = hot_wal (fx, FALSE);
  guint32 pgno = g_array_index (frames, Frame, 0).pgno;

  flip_byte (wal, frame_offset (frame) + in_frame);
  expect_unlock_tamper (fx, pgno, "write-ahead log");
}

static void
test_wal_hot_body (VaultFixture *fx, gconstpointer data)
{
  wal_hot_tamper (fx, 0, FRAME_HDR + 100);
}

static void
test_wal_hot_nonce (VaultFixture *fx, gconstpointer data)
{
  wal_hot_tamper (fx, 0, FRAME_HDR + NONCE_AT);
}

static void
test_wal_hot_tag (VaultFixture *fx, gconstpointer data)
{
  wal_hot_tamper (fx, 0, FRAME_HDR + TAG_AT + 8);
}

/* Opens the fixture's vault, which must work without any error, and
 * returns sum(n): which of the three transactions it holds. */
static gint64
reopen_sum_n (VaultFixture *fx)
{
  g_autoptr(GError) error = NULL;
  gint64 sum = -1;

  g_clear_object (&fx->vault);
  fx->vault = open_vault (fx);
  g_assert_true (koers_vault_unlock (fx->vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_true (read_all (koers_vault_get_db (fx->vault), &sum, &error));
  g_assert_no_error (error);
  g_assert_true (koers_vault_verify (fx->vault, &error));
  g_assert_no_error (error);
  return sum;
}

static void
test_wal_hot_intact (VaultFixture *fx, gconstpointer data)
{
  write_three_transactions (fx);
  check_wal_shape (fx);
  g_assert_cmpint (reopen_sum_n (fx), ==, 6);
}

/* A crash in the middle of a fourth, multi-page transaction: its frames
 * are in the WAL up to a commit frame cut short. Not tampering: the vault
 * opens with the three committed transactions. */
static void
test_wal_torn_last_frame (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *wal = wal_path (fx);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GArray) frames = hot_wal (fx, TRUE);
  gsize len;

  g_assert_cmpuint (frames->len, >, 4);
  g_assert_cmpuint (g_array_index (frames, Frame, frames->len - 1).commit, !=, 0);
  bytes = read_file_bytes (wal);
  len = g_bytes_get_size (bytes);
  g_assert_cmpuint (len, ==, WAL_HDR + frames->len * FRAME);
  {
    g_autoptr(GBytes) torn = g_bytes_new_from_bytes (bytes, 0, len - FRAME / 2);
    write_file_bytes (wal, torn);
  }
  g_assert_cmpint (reopen_sum_n (fx), ==, 6);
}

/* The same crash, but the last frame has its full length with the second
 * half of its page never written (old bytes there: zeros here). */
static void
test_wal_torn_last_frame_garbage (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *wal = wal_path (fx);
  g_autoptr(GArray) frames = hot_wal (fx, TRUE);

  zero_bytes (wal, frame_offset (frames->len - 1) + FRAME_HDR + PS / 2, PS / 2);
  g_assert_cmpint (reopen_sum_n (fx), ==, 6);
}

/* A flip in the last commit frame has no later commit to prove it is not
 * a crash's torn tail: the last transaction is dropped silently, as if the
 * machine had crashed before it committed. This is the rollback attack the
 * threat model accepts (an attacker can always cut the WAL short). */
static void
test_wal_last_commit_frame_flipped (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *wal = wal_path (fx);
  g_autoptr(GArray) frames = hot_wal (fx, FALSE);

  flip_byte (wal, frame_offset (2) + FRAME_HDR + 10);
  g_assert_cmpint (reopen_sum_n (fx), ==, 3);
}

/* Truncating the WAL in the middle of committed frames (inside the second
 * transaction's frame) is indistinguishable from a crash: nothing after
 * the cut exists to prove otherwise. The vault opens with the first
 * transaction only, and verify passes. Accepted, as above. */
static void
test_wal_truncated_mid_commits (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *wal = wal_path (fx);
  g_autoptr(GArray) frames = hot_wal (fx, FALSE);

  g_assert_cmpint (truncate (wal, frame_offset (1) + FRAME / 3), ==, 0);
  g_assert_cmpint (reopen_sum_n (fx), ==, 1);
}

/* A power cut during the commit of a fourth, multi-page transaction, with
 * the disk having written its commit frame but not (all of) an earlier
 * frame of it: with synchronous=FULL only the last transaction can be
 * incomplete, and it never reported success. Correct outcome: the vault
 * opens with the three committed transactions, as SQLite alone would. */
static void
test_wal_power_cut_out_of_order (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *wal = wal_path (fx);
  g_autoptr(GArray) frames = hot_wal (fx, TRUE);

  g_assert_cmpuint (frames->len, >=, 5);
  g_assert_cmpuint (g_array_index (frames, Frame, 3).commit, ==, 0);
  zero_bytes (wal, frame_offset (3) + FRAME_HDR + 1000, 512);
  g_assert_cmpint (reopen_sum_n (fx), ==, 6);
}

/* The same power cut on a device without POWERSAFE_OVERWRITE, where SQLite
 * pads the commit with copies of its commit frame: an earlier frame and
 * the commit frame itself torn, two intact copies of the commit frame after
 * them. The copy belongs to the torn transaction, not to a later one: the
 * vault opens with the three committed transactions (SQLite's
 * walcrash-2.60 called this tampering). */
static void
power_cut_padded_commit (VaultFixture *fx, gboolean commit_torn)
{
  g_autofree char *wal = wal_path (fx);
  g_autoptr(GArray) frames = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GByteArray) padded = g_byte_array_new ();
  g_autoptr(GBytes) with_copy = NULL;
  goffset commit_off;
  FILE *f;

  write_three_transactions (fx);
  vault_fixture_exec (fx->vault, "UPDATE t SET n = 100 WHERE id IN (2, 50, 150);");
  g_clear_object (&fx->vault);
  frames = wal_frames (wal);
  g_assert_cmpuint (frames->len, >=, 5);
  g_assert_cmpuint (g_array_index (frames, Frame, 3).commit, ==, 0);
  g_assert_cmpuint (g_array_index (frames, Frame, frames->len - 1).commit, !=, 0);
  commit_off = frame_offset (frames->len - 1);
  bytes = read_file_bytes (wal);
  g_assert_cmpuint (g_bytes_get_size (bytes), ==, (gsize) commit_off + FRAME);
  g_byte_array_append (padded, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  for (guint i = 0; i < 2; i++)
    g_byte_array_append (padded, (const guint8 *) g_bytes_get_data (bytes, NULL) + commit_off, FRAME);
  with_copy = g_byte_array_free_to_bytes (g_steal_pointer (&padded));
  write_file_bytes (wal, with_copy);
  f = fopen (wal, "r+b");
  g_assert_nonnull (f);
  g_assert_cmpint (fseeko (f, frame_offset (3) + FRAME_HDR + 1000, SEEK_SET), ==, 0);
  for (guint i = 0; i < 512; i++)
    fputc (0, f);
  if (commit_torn)
    {
      g_assert_cmpint (fseeko (f, commit_off + FRAME_HDR, SEEK_SET), ==, 0);
      for (guint i = 0; i < PS; i++)
        fputc (0, f);
    }
  fclose (f);
  g_assert_cmpint (reopen_sum_n (fx), ==, 6);
}

static void
test_wal_power_cut_torn_commit_and_copy (VaultFixture *fx, gconstpointer data)
{
  power_cut_padded_commit (fx, TRUE);
}

/* The same with the commit frame intact and its two copies after it: the
 * copies are no later transaction either, for unlock and for verify. */
static void
test_wal_power_cut_padded_commit (VaultFixture *fx, gconstpointer data)
{
  power_cut_padded_commit (fx, FALSE);
}

/* The same damage in a multi-frame transaction that a later transaction
 * follows is tampering: unlock fails naming the page. */
static void
test_wal_hot_multi_frame_transaction (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *wal = wal_path (fx);
  g_autoptr(GArray) frames = NULL;
  guint32 pgno;

  write_three_transactions (fx);
  vault_fixture_exec (fx->vault, FOURTH_TRANSACTION);
  vault_fixture_exec (fx->vault, "UPDATE t SET n = 1000 WHERE id = 120;");
  g_clear_object (&fx->vault);
  frames = wal_frames (wal);
  g_assert_cmpuint (g_array_index (frames, Frame, 3).commit, ==, 0);
  g_assert_cmpuint (g_array_index (frames, Frame, frames->len - 1).commit, !=, 0);
  pgno = g_array_index (frames, Frame, 3).pgno;
  flip_byte (wal, frame_offset (3) + FRAME_HDR + 1000);
  expect_unlock_tamper (fx, pgno, "write-ahead log");
}

/* --- damaged WAL and frame headers (issue 14, item 3) ------------------ */

/* One byte of a hot WAL's header or a frame header flipped, where SQLite's
 * recovery would drop authentic committed frames after it without a word:
 * unlock refuses with the tamper error naming the write-ahead log, leaves
 * the WAL as it was (SQLite never got to reset it), and once the byte is
 * put back the vault opens with all three transactions: the work can be
 * rescued. */
static void
expect_dropped_work_refused (VaultFixture *fx, goffset offset)
{
  g_autofree char *wal = wal_path (fx);
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;

  write_three_transactions (fx);
  check_wal_shape (fx);
  g_clear_object (&fx->vault);
  flip_byte (wal, offset);
  damaged = read_file_bytes (wal);
  fx->vault = open_vault (fx);
  g_assert_false (koers_vault_unlock (fx->vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_TAMPERED);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "write-ahead log"));
  g_assert_false (koers_vault_is_unlocked (fx->vault));
  after = read_file_bytes (wal);
  g_assert_true (g_bytes_equal (damaged, after));
  g_clear_object (&fx->vault);
  flip_byte (wal, offset);
  g_assert_cmpint (reopen_sum_n (fx), ==, 6);
}

static void
test_wal_header_magic_flipped (VaultFixture *fx, gconstpointer data)
{
  expect_dropped_work_refused (fx, 3);
}

static void
test_wal_header_salt_refused (VaultFixture *fx, gconstpointer data)
{
  expect_dropped_work_refused (fx, 17);
}

static void
test_wal_header_checksum_refused (VaultFixture *fx, gconstpointer data)
{
  expect_dropped_work_refused (fx, 29);
}

static void
test_wal_first_frame_salt (VaultFixture *fx, gconstpointer data)
{
  expect_dropped_work_refused (fx, frame_offset (0) + 8);
}

static void
test_wal_first_frame_checksum (VaultFixture *fx, gconstpointer data)
{
  expect_dropped_work_refused (fx, frame_offset (0) + 18);
}

static void
test_wal_first_frame_db_size (VaultFixture *fx, gconstpointer data)
{
  expect_dropped_work_refused (fx, frame_offset (0) + 7);
}

/* B's frame header: SQLite would keep A and drop B and C. */
static void
test_wal_second_frame_salt (VaultFixture *fx, gconstpointer data)
{
  expect_dropped_work_refused (fx, frame_offset (1) + 12);
}

/* The last transaction's frame header: no later commit tells it from a
 * crash's torn tail, so the vault opens without it (the rollback the
 * threat model accepts), as for its page. */
static void
test_wal_last_frame_header_flipped (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *wal = wal_path (fx);

  write_three_transactions (fx);
  check_wal_shape (fx);
  g_clear_object (&fx->vault);
  flip_byte (wal, frame_offset (2) + 20);
  g_assert_cmpint (reopen_sum_n (fx), ==, 3);
}

/* The same damage in the WAL of an open vault: verify reports it. */
static void
test_wal_live_frame_header_verify (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *wal = wal_path (fx);
  g_autoptr(GError) error = NULL;

  write_three_transactions (fx);
  check_wal_shape (fx);
  flip_byte (wal, frame_offset (0) + 9);
  g_assert_false (koers_vault_verify (fx->vault, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_TAMPERED);
  g_assert_nonnull (strstr (error->message, "write-ahead log"));
  flip_byte (wal, frame_offset (0) + 9);
}

/* --- checkpoints ------------------------------------------------------- */

static GBytes *
file_range (const char *path, goffset off, gsize len)
{
  g_autoptr(GBytes) all = read_file_bytes (path);

  g_assert_cmpuint (g_bytes_get_size (all), >=, off + len);
  return g_bytes_new_from_bytes (all, off, len);
}

static int
checkpoint (VaultFixture *fx, GError **error)
{
  sqlite3 *db = koers_vault_get_db (fx->vault);
  int rc = sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    koers_vault_set_sqlite_error (error, db, rc, "checkpointing");
  return rc;
}

/* A checkpoint moves each frame's sealed page into the database as it is,
 * byte for byte, without opening and sealing it again; the database then
 * reads and verifies as before. */
static void
test_checkpoint_passes_sealed_frames (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *wal = wal_path (fx);
  g_autofree char *db = db_path (fx);
  g_autoptr(GArray) frames = NULL;
  g_autoptr(GPtrArray) sealed = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) error = NULL;
  guint before = koers_vfs_passthrough_pages ();
  gint64 sum_n = 0;

  write_three_transactions (fx);
  check_wal_shape (fx);
  frames = wal_frames (wal);
  for (guint i = 0; i < frames->len; i++)
    g_ptr_array_add (sealed, file_range (wal, frame_offset (i) + FRAME_HDR, PS));
  g_assert_cmpint (checkpoint (fx, &error), ==, SQLITE_OK);
  g_assert_no_error (error);
  g_assert_cmpuint (koers_vfs_passthrough_pages () - before, ==, frames->len);
  for (guint i = 0; i < frames->len; i++)
    {
      g_autoptr(GBytes) page = file_range (db, page_offset (g_array_index (frames, Frame, i).pgno), PS);
      g_assert_true (g_bytes_equal (page, g_ptr_array_index (sealed, i)));
    }
  vault_fixture_reopen (fx);
  g_assert_true (read_all (koers_vault_get_db (fx->vault), &sum_n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sum_n, ==, 6);
  g_assert_true (koers_vault_verify (fx->vault, &error));
  g_assert_no_error (error);
}

/* A frame altered after its commit and before the checkpoint that would
 * move it: the checkpoint fails naming the page in the WAL, nothing of the
 * frame reaches the database (its page there is as before), the WAL keeps
 * its frames, and verify still names the page. */
static void
checkpoint_tamper (VaultFixture *fx, guint in_frame)
{
  g_autofree char *wal = wal_path (fx);
  g_autofree char *db = db_path (fx);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) db_page_before = NULL;
  g_autoptr(GBytes) db_page_after = NULL;
  g_autoptr(GArray) frames = NULL;
  guint32 pgno;

  write_three_transactions (fx);
  pgno = check_wal_shape (fx);
  db_page_before = file_range (db, page_offset (pgno), PS);
  flip_byte (wal, frame_offset (0) + in_frame);
  g_assert_cmpint (checkpoint (fx, &error), !=, SQLITE_OK);
  assert_names_page (error, pgno, "write-ahead log");
  db_page_after = file_range (db, page_offset (pgno), PS);
  g_assert_true (g_bytes_equal (db_page_before, db_page_after));
  frames = wal_frames (wal);
  g_assert_cmpuint (frames->len, ==, 3);
  g_clear_error (&error);
  g_assert_false (koers_vault_verify (fx->vault, &error));
  assert_names_page (error, pgno, "write-ahead log");
}

static void
test_checkpoint_tampered_body (VaultFixture *fx, gconstpointer data)
{
  checkpoint_tamper (fx, FRAME_HDR + 1000);
}

static void
test_checkpoint_tampered_nonce (VaultFixture *fx, gconstpointer data)
{
  checkpoint_tamper (fx, FRAME_HDR + NONCE_AT + 3);
}

static void
test_checkpoint_tampered_tag (VaultFixture *fx, gconstpointer data)
{
  checkpoint_tamper (fx, FRAME_HDR + TAG_AT + 15);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/vault/tamper/" path, VaultFixture, NULL, tamper_set_up, fn, vault_fixture_tear_down)
  ADD ("db/body", test_db_body);
  ADD ("db/nonce", test_db_nonce);
  ADD ("db/tag", test_db_tag);
  ADD ("db/root-page-type", test_db_first_byte_of_leaf);
  ADD ("db/last-page", test_db_last_page);
  ADD ("db/page1-body", test_page1_body);
  ADD ("db/page1-sealed-header", test_page1_secret_header);
  ADD ("db/page1-nonce", test_page1_nonce);
  ADD ("db/page1-tag", test_page1_tag);
  ADD ("db/page1-clear-header-bound", test_page1_clear_header_bound);
  ADD ("db/page1-clear-page-size-valid", test_page1_clear_page_size_valid);
  ADD ("db/page1-clear-layout-bytes", test_page1_clear_layout_bytes);
  ADD ("db/swap-pages", test_swap_pages);
  ADD ("db/move-page", test_move_page);
  ADD ("db/splice-other-vault", test_splice_from_other_vault);
  ADD ("db/older-copy-of-page", test_older_copy_of_page);
  ADD ("wal/live/body", test_wal_live_body);
  ADD ("wal/live/nonce", test_wal_live_nonce);
  ADD ("wal/live/tag", test_wal_live_tag);
  ADD ("wal/hot/intact", test_wal_hot_intact);
  ADD ("wal/hot/body", test_wal_hot_body);
  ADD ("wal/hot/nonce", test_wal_hot_nonce);
  ADD ("wal/hot/tag", test_wal_hot_tag);
  ADD ("wal/hot/multi-frame-transaction", test_wal_hot_multi_frame_transaction);
  ADD ("wal/torn-last-frame", test_wal_torn_last_frame);
  ADD ("wal/torn-last-frame-garbage", test_wal_torn_last_frame_garbage);
  ADD ("wal/power-cut-torn-commit-and-copy", test_wal_power_cut_torn_commit_and_copy);
  ADD ("wal/power-cut-padded-commit", test_wal_power_cut_padded_commit);
  ADD ("wal/last-commit-frame-flipped", test_wal_last_commit_frame_flipped);
  ADD ("wal/truncated-mid-commits", test_wal_truncated_mid_commits);
  ADD ("wal/power-cut-out-of-order", test_wal_power_cut_out_of_order);
  ADD ("wal/dropped-work/header-magic", test_wal_header_magic_flipped);
  ADD ("wal/dropped-work/header-salt", test_wal_header_salt_refused);
  ADD ("wal/dropped-work/header-checksum", test_wal_header_checksum_refused);
  ADD ("wal/dropped-work/first-frame-salt", test_wal_first_frame_salt);
  ADD ("wal/dropped-work/first-frame-checksum", test_wal_first_frame_checksum);
  ADD ("wal/dropped-work/first-frame-db-size", test_wal_first_frame_db_size);
  ADD ("wal/dropped-work/second-frame-salt", test_wal_second_frame_salt);
  ADD ("wal/dropped-work/last-frame-header", test_wal_last_frame_header_flipped);
  ADD ("wal/dropped-work/live-verify", test_wal_live_frame_header_verify);
  ADD ("wal/checkpoint/passes-sealed-frames", test_checkpoint_passes_sealed_frames);
  ADD ("wal/checkpoint/tampered-body", test_checkpoint_tampered_body);
  ADD ("wal/checkpoint/tampered-nonce", test_checkpoint_tampered_nonce);
  ADD ("wal/checkpoint/tampered-tag", test_checkpoint_tampered_tag);
  return g_test_run ();
}
