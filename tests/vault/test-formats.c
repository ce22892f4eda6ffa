/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Vault formats (docs/vault-format.md, "Versioning"): format 1 masks the
 * WAL frame checksums with BLAKE2b rounds, formats 2 and 3 with SipHash
 * rounds; formats 1 and 2 seal pages with XChaCha20-Poly1305, format 3
 * with AES-256-GCM. New vaults are format 3 where the processor has AES-NI,
 * else format 2; a format-3 vault is refused, with a reason and nothing
 * lost, where it has none. A format-1 vault (made here through the
 * library's test switch, whose mask test-cipher pins to the bytes format 1
 * always wrote) opens, writes, recovers a torn WAL and is refused when
 * tampered while its WAL holds frames, and becomes format 2 only when it is
 * unlocked with no frame in its WAL (a clean close, a rekey). A key file
 * that names the wrong format is refused, never read past. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include "vault-fixture.h"
#include "koers-cipher.h"
#include "koers-vault-private.h"
#include "koers-vfs.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define PS        4096
#define WAL_HDR   32
#define FRAME_HDR 24
#define FRAME     (FRAME_HDR + PS)
#define ROWS      200

/* Made in @format (data), then the switch is off: what a vault of that
 * format is when a program that knows both formats opens it. Filled with
 * ROWS rows and checkpointed, so the WAL is empty. */
static void
format_set_up (VaultFixture *fx, gconstpointer data)
{
  koers_vault_set_format_for_testing (GPOINTER_TO_UINT (data));
  vault_fixture_set_up (fx, data);
  koers_vault_set_format_for_testing (0);
  vault_fixture_exec (fx->vault,
                      "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, v BLOB);"
                      "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < "
                      G_STRINGIFY (ROWS) ")"
                      "  INSERT INTO t SELECT i, 0, randomblob(300) FROM c;"
                      "PRAGMA wal_checkpoint(TRUNCATE);");
}

static int
keys_format (VaultFixture *fx)
{
  g_autofree char *path = vault_fixture_path (fx, "koers.keys");
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_COMMENTS, &error));
  return g_key_file_get_integer (kf, "vault", "format", NULL);
}

/* What someone (or a bit flip) does to the unauthenticated format line. */
static void
set_keys_format (VaultFixture *fx, int format)
{
  g_autofree char *path = vault_fixture_path (fx, "koers.keys");
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_COMMENTS, &error));
  g_key_file_set_integer (kf, "vault", "format", format);
  g_assert_true (g_key_file_save_to_file (kf, path, &error));
}

static gint64
frames_in_wal (VaultFixture *fx)
{
  g_autofree char *wal = vault_fixture_path (fx, "koers.db-wal");
  GStatBuf st;

  if (g_stat (wal, &st) != 0)
    return 0;
  return st.st_size <= WAL_HDR ? 0 : (st.st_size - WAL_HDR) / FRAME;
}

/* Three one-page transactions (n = 1, 2, 3 on three rows far apart, so
 * sum(n) tells which reached the reader: 0, 1, 3 or 6), then the vault is
 * closed without the checkpoint, as a crash would leave it: three more
 * frames in a hot WAL. */
static void
close_with_hot_wal (VaultFixture *fx)
{
  gint64 before = frames_in_wal (fx);

  sqlite3_db_config (koers_vault_get_db (fx->vault), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  vault_fixture_exec (fx->vault, "UPDATE t SET n = n + 1 WHERE id = 1;");
  vault_fixture_exec (fx->vault, "UPDATE t SET n = n + 2 WHERE id = " G_STRINGIFY (ROWS) ";");
  vault_fixture_exec (fx->vault, "UPDATE t SET n = n + 3 WHERE id = 100;");
  g_clear_object (&fx->vault);
  g_assert_cmpint (frames_in_wal (fx), ==, before + 3);
}

static gint64
sum_n (VaultFixture *fx)
{
  return vault_fixture_query_int (fx->vault, "SELECT sum(n) FROM t");
}

static void
expect_unlock_refused (VaultFixture *fx, gint code)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fx->vault);
  fx->vault = koers_vault_open (fx->dir, &error);
  g_assert_no_error (error);
  g_assert_false (koers_vault_unlock (fx->vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_false (koers_vault_is_unlocked (fx->vault));
}

static void
expect_verified (VaultFixture *fx)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_vault_verify (fx->vault, &error));
  g_assert_no_error (error);
}

/* A clean close (checkpointed, no WAL left): the next unlock raises a
 * vault of @format to the newest format with its page AEAD, which it then
 * writes and recovers in. */
static void
check_clean_close_raises_format (VaultFixture *fx, guint format, gint64 sum)
{
  g_clear_object (&fx->vault);
  g_assert_cmpint (frames_in_wal (fx), ==, 0);
  vault_fixture_reopen (fx);
  g_assert_cmpint (keys_format (fx), ==, koers_cipher_format_upgraded (format));
  g_assert_cmpint (sum_n (fx), ==, sum);
  close_with_hot_wal (fx);
  vault_fixture_reopen (fx);
  g_assert_cmpint (sum_n (fx), ==, sum + 6);
  expect_verified (fx);
}

/* The last of the three frames close_with_hot_wal() left, torn by a power
 * cut: its transaction is dropped, the two before it stay, and the vault
 * takes new writes, still in @format. */
static void
check_torn_wal_recovers (VaultFixture *fx, guint format)
{
  g_autofree char *wal = vault_fixture_path (fx, "koers.db-wal");

  g_assert_cmpint (truncate (wal, WAL_HDR + 2 * FRAME + FRAME_HDR + 1000), ==, 0);
  vault_fixture_reopen (fx);
  g_assert_cmpint (keys_format (fx), ==, format);
  g_assert_cmpint (sum_n (fx), ==, 3);
  vault_fixture_exec (fx->vault, "UPDATE t SET n = n + 10 WHERE id = 7;");
  expect_verified (fx);
  close_with_hot_wal (fx);
  vault_fixture_reopen (fx);
  g_assert_cmpint (keys_format (fx), ==, format);
  g_assert_cmpint (sum_n (fx), ==, 19);
}

/* --- tests ------------------------------------------------------------ */

static void
test_new_vault_is_newest (VaultFixture *fx, gconstpointer data)
{
  guint expected = koers_cipher_format_is_usable (KOERS_FORMAT_AES_GCM) ? KOERS_FORMAT_AES_GCM
                                                                         : KOERS_FORMAT_SIPHASH_MASK;

  g_assert_cmpint (keys_format (fx), ==, expected);
  g_assert_cmpint (koers_cipher_format_for_new_vault (), ==, expected);
  close_with_hot_wal (fx);
  vault_fixture_reopen (fx);
  g_assert_cmpint (sum_n (fx), ==, 6);
}

/* On a processor without AES-NI: a new vault is format 2, and a format-3
 * vault (here with a hot WAL) is refused before anything is read, with the
 * reason; back where AES-NI is, every row is there. */
static void
test_no_aes_ni (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) vault = NULL;
  VaultFixture made_here;

  close_with_hot_wal (fx);
  koers_cipher_set_aes_unavailable_for_testing (TRUE);
  vault_fixture_set_up (&made_here, NULL);
  g_assert_cmpint (keys_format (&made_here), ==, KOERS_FORMAT_SIPHASH_MASK);
  vault_fixture_exec (made_here.vault, "CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (7);");
  vault_fixture_reopen (&made_here);
  g_assert_cmpint (vault_fixture_query_int (made_here.vault, "SELECT n FROM t;"), ==, 7);
  vault_fixture_tear_down (&made_here, NULL);
  vault = koers_vault_open (fx->dir, &error);
  g_assert_null (vault);
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "AES-NI"));
  g_assert_cmpint (frames_in_wal (fx), ==, 3);
  koers_cipher_set_aes_unavailable_for_testing (FALSE);
  vault_fixture_reopen (fx);
  g_assert_cmpint (keys_format (fx), ==, KOERS_FORMAT_AES_GCM);
  g_assert_cmpint (sum_n (fx), ==, 6);
  expect_verified (fx);
}

/* A vault with frames in its WAL keeps its format across any number of
 * crashes and writes; a clean close lets the next unlock raise it. */
static void
test_hot_wal_keeps_format (VaultFixture *fx, gconstpointer data)
{
  guint format = GPOINTER_TO_UINT (data);

  g_assert_cmpint (keys_format (fx), ==, format);
  close_with_hot_wal (fx);
  vault_fixture_reopen (fx);
  g_assert_cmpint (keys_format (fx), ==, format);
  g_assert_cmpint (sum_n (fx), ==, 6);
  expect_verified (fx);
  close_with_hot_wal (fx);  /* appended to the recovered log */
  vault_fixture_reopen (fx);
  g_assert_cmpint (keys_format (fx), ==, format);
  g_assert_cmpint (sum_n (fx), ==, 12);
  expect_verified (fx);
  check_clean_close_raises_format (fx, format, 12);
}

static void
test_torn_wal_recovers (VaultFixture *fx, gconstpointer data)
{
  close_with_hot_wal (fx);
  check_torn_wal_recovers (fx, GPOINTER_TO_UINT (data));
}

/* The first of three frames altered, in its sealed page or in its masked
 * checksum: later commits follow, so unlock refuses as tampering. */
static void
check_tamper_refused (VaultFixture *fx, guint in_frame)
{
  g_autofree char *wal = vault_fixture_path (fx, "koers.db-wal");

  close_with_hot_wal (fx);
  flip_byte (wal, WAL_HDR + in_frame);
  expect_unlock_refused (fx, KOERS_VAULT_ERROR_TAMPERED);
  flip_byte (wal, WAL_HDR + in_frame);
  vault_fixture_reopen (fx);
  g_assert_cmpint (sum_n (fx), ==, 6);
}

static void
test_tampered_page_refused (VaultFixture *fx, gconstpointer data)
{
  check_tamper_refused (fx, FRAME_HDR + 2000);
}

static void
test_tampered_checksum_refused (VaultFixture *fx, gconstpointer data)
{
  check_tamper_refused (fx, 16 + 5);
}

static void check_open_refused (VaultFixture *fx, int format, gint code);

/* Both lines that name the format: the format and the page AEAD's name. */
static void
set_keys_format_and_cipher (VaultFixture *fx, int format, const char *cipher)
{
  g_autofree char *path = vault_fixture_path (fx, "koers.keys");
  g_autoptr(GKeyFile) kf = g_key_file_new ();

  g_assert_true (g_key_file_load_from_file (kf, path, G_KEY_FILE_KEEP_COMMENTS, NULL));
  g_key_file_set_integer (kf, "vault", "format", format);
  g_key_file_set_string (kf, "vault", "cipher", cipher);
  g_assert_true (g_key_file_save_to_file (kf, path, NULL));
}

/* koers.keys names another format (one bit flip turns '2' into '3') while
 * the WAL holds frames. With the same page AEAD the checksums do not unmask
 * to SQLite's, and unlock refuses rather than let SQLite drop the committed
 * work. With another page AEAD the format line disagrees with the cipher
 * line, and the vault does not open; with both lines changed (a key file of
 * another vault's format), unlock sees the frames open in the other AEAD
 * and refuses. Put right, everything is there. */
static void
test_wrong_format_refused (VaultFixture *fx, gconstpointer data)
{
  guint format = GPOINTER_TO_UINT (data);
  g_autofree char *path = vault_fixture_path (fx, "koers.keys");
  g_autofree char *right = NULL;

  close_with_hot_wal (fx);
  g_assert_true (g_file_get_contents (path, &right, NULL, NULL));
  for (guint other = KOERS_FORMAT_OLDEST; other <= KOERS_FORMAT_NEWEST; other++)
    {
      gboolean same_aead = (other == KOERS_FORMAT_AES_GCM) == (format == KOERS_FORMAT_AES_GCM);

      if (other == format || !koers_cipher_format_is_usable (other))
        continue;
      set_keys_format (fx, (int) other);
      if (same_aead)
        expect_unlock_refused (fx, KOERS_VAULT_ERROR_TAMPERED);
      else
        {
          check_open_refused (fx, (int) other, KOERS_VAULT_ERROR_CORRUPT);
          set_keys_format_and_cipher (fx, (int) other, other == KOERS_FORMAT_AES_GCM
                                                         ? "aes256gcm-hchacha20"
                                                         : "xchacha20poly1305-ietf");
          expect_unlock_refused (fx, KOERS_VAULT_ERROR_CORRUPT);
        }
      g_assert_cmpint (frames_in_wal (fx), ==, 3);
      g_assert_true (g_file_set_contents (path, right, -1, NULL));
    }
  vault_fixture_reopen (fx);
  g_assert_cmpint (keys_format (fx), ==, format);
  g_assert_cmpint (sum_n (fx), ==, 6);
}

/* A rekey writes every page again and leaves no frame: the vault comes
 * out in the newest format with its page AEAD. */
static void
test_rekey_raises_format (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  char *recovery = NULL;
  g_auto(GStrv) dropped = NULL;

  vault_fixture_exec (fx->vault, "UPDATE t SET n = 5 WHERE id = 3;");
  g_assert_true (koers_vault_rekey (fx->vault, &recovery, &dropped, &error));
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
  g_assert_cmpint (keys_format (fx), ==, koers_cipher_format_upgraded (GPOINTER_TO_UINT (data)));
  g_assert_cmpint (sum_n (fx), ==, 5);
  close_with_hot_wal (fx);
  vault_fixture_reopen (fx);
  g_assert_cmpint (sum_n (fx), ==, 11);
  expect_verified (fx);
}

/* A format the program does not know is refused at open, and so is 0. */
static void
check_open_refused (VaultFixture *fx, int format, gint code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) vault = NULL;

  set_keys_format (fx, format);
  vault = koers_vault_open (fx->dir, &error);
  g_assert_null (vault);
  g_assert_error (error, KOERS_VAULT_ERROR, code);
}

static void
test_unknown_format_refused (VaultFixture *fx, gconstpointer data)
{
  g_clear_object (&fx->vault);
  check_open_refused (fx, KOERS_FORMAT_NEWEST + 1, KOERS_VAULT_ERROR_FORMAT);
  check_open_refused (fx, 0, KOERS_VAULT_ERROR_CORRUPT);
}

/* One transaction bigger than a 5-page cache, which changes every leaf
 * twice: SQLite spills pages into the WAL, overwrites them in place, and
 * at the commit re-reads the frames from the first overwritten one to
 * rewrite their checksums (walRewriteChecksums). The VFS hands it pages it
 * kept in clear instead of opening them again. The checksums must come out
 * right: the log, left hot, is recovered with every row. */
static guint64
rewrite_checksums_in_one_transaction (VaultFixture *fx)
{
  KoersVfsCounts before, after;

  koers_vfs_get_counts (&before);
  vault_fixture_exec (fx->vault,
                      "PRAGMA cache_size = 5;"
                      "BEGIN;"
                      "UPDATE t SET n = n + 1;"
                      "UPDATE t SET n = n + 1, v = randomblob(300);"
                      "COMMIT;");
  koers_vfs_get_counts (&after);
  return after.plain_reused - before.plain_reused;
}

static void
test_rewritten_checksums_recover (VaultFixture *fx, gconstpointer data)
{
  guint64 reused = rewrite_checksums_in_one_transaction (fx);

  g_test_message ("%" G_GUINT64_FORMAT " frames re-read from the pages kept in clear", reused);
  g_assert_cmpuint (reused, >, 0);
  close_with_hot_wal (fx);
  vault_fixture_reopen (fx);
  g_assert_cmpint (keys_format (fx), ==, GPOINTER_TO_UINT (data));
  g_assert_cmpint (sum_n (fx), ==, 2 * ROWS + 6);
  expect_verified (fx);
}

/* The first frame of that transaction (its checksum rewritten from a page
 * kept in clear) altered on disk afterwards: refused at unlock as
 * tampering, like any frame that later commits follow. */
static void
test_rewritten_checksums_tampered (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *wal = vault_fixture_path (fx, "koers.db-wal");

  g_assert_cmpuint (rewrite_checksums_in_one_transaction (fx), >, 0);
  close_with_hot_wal (fx);
  flip_byte (wal, WAL_HDR + FRAME_HDR + 1000);
  expect_unlock_refused (fx, KOERS_VAULT_ERROR_TAMPERED);
}

/* --- a vault made by the format-1 code itself -------------------------- */

/* tests/vault/data/format1 (see its README): made by the code of before
 * format 2, with a hot WAL of three one-page transactions. Copied, so that
 * every test starts from it. */
static void
old_code_set_up (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fx->dir = g_dir_make_tmp ("koers-vault-XXXXXX", &error);
  g_assert_no_error (error);
  vault_fixture_copy (g_test_get_filename (G_TEST_DIST, "vault", "data", "format1", NULL), fx->dir);
  g_assert_cmpint (keys_format (fx), ==, KOERS_FORMAT_BLAKE2B_MASK);
  g_assert_cmpint (frames_in_wal (fx), ==, 3);
}

static gint64
rows (VaultFixture *fx)
{
  return vault_fixture_query_int (fx->vault, "SELECT count(*) FROM t WHERE v LIKE 'row % of the vault%'");
}

/* It opens with its three transactions, is written in format 1 while its
 * WAL holds frames, and becomes format 2 after a clean close. */
static void
test_old_code_opens_and_writes (VaultFixture *fx, gconstpointer data)
{
  vault_fixture_reopen (fx);
  g_assert_cmpint (keys_format (fx), ==, KOERS_FORMAT_BLAKE2B_MASK);
  g_assert_cmpint (rows (fx), ==, ROWS);
  g_assert_cmpint (sum_n (fx), ==, 6);
  expect_verified (fx);
  close_with_hot_wal (fx);
  vault_fixture_reopen (fx);
  g_assert_cmpint (keys_format (fx), ==, KOERS_FORMAT_BLAKE2B_MASK);
  g_assert_cmpint (sum_n (fx), ==, 12);
  expect_verified (fx);
  check_clean_close_raises_format (fx, KOERS_FORMAT_BLAKE2B_MASK, 12);
  g_assert_cmpint (rows (fx), ==, ROWS);
}

/* Its last frame torn: the last transaction is dropped, the others stay. */
static void
test_old_code_torn_wal (VaultFixture *fx, gconstpointer data)
{
  check_torn_wal_recovers (fx, KOERS_FORMAT_BLAKE2B_MASK);
}

/* Its first frame altered, in the sealed page or in the masked checksum,
 * and unlock refuses; put back, it opens whole. */
static void
test_old_code_tampered (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *wal = vault_fixture_path (fx, "koers.db-wal");
  const guint in_frame[] = { FRAME_HDR + 2000, 16 + 5 };

  for (guint i = 0; i < G_N_ELEMENTS (in_frame); i++)
    {
      flip_byte (wal, WAL_HDR + in_frame[i]);
      expect_unlock_refused (fx, KOERS_VAULT_ERROR_TAMPERED);
      flip_byte (wal, WAL_HDR + in_frame[i]);
    }
  set_keys_format (fx, KOERS_FORMAT_SIPHASH_MASK);
  expect_unlock_refused (fx, KOERS_VAULT_ERROR_TAMPERED);
  set_keys_format (fx, KOERS_FORMAT_BLAKE2B_MASK);
  vault_fixture_reopen (fx);
  g_assert_cmpint (sum_n (fx), ==, 6);
}

static void
add_old_code (const char *path, void (*func) (VaultFixture *, gconstpointer))
{
  g_autofree char *name = g_strdup_printf ("/vault/format/1/made-by-old-code/%s", path);

  g_test_add (name, VaultFixture, NULL, old_code_set_up, func, vault_fixture_tear_down);
}

static void
add (const char *path, guint format, void (*func) (VaultFixture *, gconstpointer))
{
  g_autofree char *name = g_strdup_printf ("/vault/format/%u/%s", format, path);

  g_test_add (name, VaultFixture, GUINT_TO_POINTER (format), format_set_up, func,
              vault_fixture_tear_down);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  add ("new-vault-is-newest", 0, test_new_vault_is_newest);
  if (koers_cipher_format_is_usable (KOERS_FORMAT_AES_GCM))
    add ("no-aes-ni", KOERS_FORMAT_AES_GCM, test_no_aes_ni);
  add ("unknown-format-refused", KOERS_FORMAT_NEWEST, test_unknown_format_refused);
  add_old_code ("opens-and-writes", test_old_code_opens_and_writes);
  add_old_code ("torn-wal", test_old_code_torn_wal);
  add_old_code ("tampered", test_old_code_tampered);
  for (guint format = KOERS_FORMAT_OLDEST; format <= KOERS_FORMAT_NEWEST; format++)
    {
      if (!koers_cipher_format_is_usable (format))
        continue;
      add ("hot-wal-keeps-format", format, test_hot_wal_keeps_format);
      add ("torn-wal-recovers", format, test_torn_wal_recovers);
      add ("tampered-page-refused", format, test_tampered_page_refused);
      add ("tampered-checksum-refused", format, test_tampered_checksum_refused);
      add ("wrong-format-refused", format, test_wrong_format_refused);
      add ("rekey-raises-format", format, test_rekey_raises_format);
      add ("rewritten-checksums-recover", format, test_rewritten_checksums_recover);
      add ("rewritten-checksums-tampered", format, test_rewritten_checksums_tampered);
    }
  return g_test_run ();
}
