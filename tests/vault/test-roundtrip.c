/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Round trip, wrong passphrase, and no plaintext on disk in any state. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include "vault-fixture.h"

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
  return g_test_run ();
}
