/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Crash safety: a forked writer is killed with SIGKILL at exact, repeatable
 * points — the Nth write, sync or truncate it makes to the vault's files,
 * counted by the test VFS below the koers VFS — in WAL mode (with small
 * autocheckpoints and explicit checkpoints) and in rollback mode. After
 * each kill a copy of the folder is opened as a person would: every
 * transaction that reported its commit is there, none is half there,
 * integrity_check and koers_vault_verify() pass. The next writer then
 * carries on from the crashed files themselves, so recovery (WAL recovery,
 * hot-journal rollback) is itself killed now and then. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include "vault-fixture.h"
#include "test-vfs.h"
#include "koers-vfs.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define KILLS_PER_MODE 110   /* two modes: at least 200 in all */
#define TXNS_PER_WRITER 16
#define PRUNE_AFTER 30       /* transaction k deletes the rows of k - PRUNE_AFTER */

typedef enum
{
  PHASE_OPEN,
  PHASE_TXN,
  PHASE_CHECKPOINT,
  PHASE_CLOSE,
  N_PHASES
} Phase;

static const char *const phase_names[] = { "open/recovery", "transaction", "explicit checkpoint", "close" };

/* Shared between the parent and its forked writer. */
typedef struct
{
  guint64     kill_at;  /* 0: never */
  guint64     events;
  Phase       phase;
  TestVfsOp   op;
  TestVfsFile file;
  guint       passed_before;   /* koers_vfs_passthrough_pages () before the checkpoint */
  guint       passed_through;  /* and how many more at the kill */
} KillState;

static KillState *shared;

static int
kill_hook (TestVfsOp op, TestVfsFile file, int amt, sqlite3_int64 off, int *short_amt, gpointer data)
{
  if (op == TEST_VFS_READ)
    return SQLITE_OK;
  shared->events++;
  if (shared->events == shared->kill_at)
    {
      shared->op = op;
      shared->file = file;
      raise (SIGKILL);
    }
  return SQLITE_OK;
}

/* --- the deterministic workload ---------------------------------------- */

static int
txn_rows (gint64 k)
{
  if (k % 13 == 0)
    return 260;  /* ~100 KiB: spills a 12-page cache mid-transaction */
  if (k % 5 == 0)
    return 30;
  return 1 + (int) (k % 4);
}

static int
row_len (gint64 k, int j)
{
  return 20 + (int) ((k * 31 + j * 7) % 380);
}

static gboolean
txn_has_fts (gint64 k)
{
  return k % 3 != 1;
}

static gint64
txn_sum_len (gint64 k)
{
  gint64 sum = 0;

  for (int j = 0; j < txn_rows (k); j++)
    sum += row_len (k, j);
  return sum;
}

static const char schema[] =
  "CREATE TABLE meta (id INTEGER PRIMARY KEY, last INTEGER NOT NULL, total INTEGER NOT NULL);"
  "INSERT INTO meta VALUES (1, 0, 0);"
  "CREATE TABLE txn (seq INTEGER PRIMARY KEY, nrows INTEGER, sumlen INTEGER, fts INTEGER, pruned INTEGER);"
  "CREATE TABLE item (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, j INTEGER NOT NULL, payload TEXT);"
  "CREATE INDEX item_seq ON item (seq, j);"
  "CREATE VIRTUAL TABLE item_fts USING fts5 (body);";

#define CHILD_FAIL(code) _exit (code)

static void
child_exec (sqlite3 *db, const char *sql, int code)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    CHILD_FAIL (code);
}

static void
child_txn (sqlite3 *db, gint64 k)
{
  sqlite3_stmt *ins = NULL;
  g_autofree char *sql = NULL;
  int n = txn_rows (k);

  child_exec (db, "BEGIN IMMEDIATE;", 20);
  if (sqlite3_prepare_v2 (db, "INSERT INTO item (seq, j, payload) VALUES (?1, ?2, ?3)", -1, &ins, NULL) != SQLITE_OK)
    CHILD_FAIL (21);
  for (int j = 0; j < n; j++)
    {
      int len = row_len (k, j);
      char *payload = g_malloc (len + 1);

      memset (payload, 'a' + (k + j) % 26, len);
      payload[len] = '\0';
      sqlite3_bind_int64 (ins, 1, k);
      sqlite3_bind_int (ins, 2, j);
      sqlite3_bind_text (ins, 3, payload, len, g_free);
      if (sqlite3_step (ins) != SQLITE_DONE)
        CHILD_FAIL (22);
      sqlite3_reset (ins);
    }
  sqlite3_finalize (ins);
  if (txn_has_fts (k))
    {
      sql = g_strdup_printf ("INSERT INTO item_fts (rowid, body) SELECT id, 's%" G_GINT64_FORMAT
                             " w' || (j %% 7) || ' koers' FROM item WHERE seq = %" G_GINT64_FORMAT ";", k, k);
      child_exec (db, sql, 23);
      g_clear_pointer (&sql, g_free);
    }
  if (k > PRUNE_AFTER)
    {
      gint64 old = k - PRUNE_AFTER;

      sql = g_strdup_printf ("DELETE FROM item_fts WHERE rowid IN (SELECT id FROM item WHERE seq = %" G_GINT64_FORMAT ");"
                             "DELETE FROM item WHERE seq = %" G_GINT64_FORMAT ";"
                             "UPDATE txn SET pruned = 1 WHERE seq = %" G_GINT64_FORMAT ";", old, old, old);
      child_exec (db, sql, 24);
      g_clear_pointer (&sql, g_free);
    }
  sql = g_strdup_printf ("INSERT INTO txn VALUES (%" G_GINT64_FORMAT ", %d, %" G_GINT64_FORMAT ", %d, 0);"
                         "UPDATE meta SET last = %" G_GINT64_FORMAT ", total = total + %d;",
                         k, n, txn_sum_len (k), txn_has_fts (k) ? n : 0, k, n);
  child_exec (db, sql, 25);
  child_exec (db, "COMMIT;", 26);
}

/* The forked writer. Reports each commit on @report_fd once COMMIT has
 * returned; never returns. */
static void G_GNUC_NORETURN
child_main (const char *dir, gboolean wal, int report_fd)
{
  KoersVault *vault;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  gint64 start;

  test_vfs_set_hook (kill_hook, NULL);
  shared->phase = PHASE_OPEN;
  vault = koers_vault_open (dir, NULL);
  if (vault == NULL || !koers_vault_unlock (vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, NULL))
    CHILD_FAIL (10);
  db = koers_vault_get_db (vault);
  child_exec (db, wal ? "PRAGMA wal_autocheckpoint=16; PRAGMA cache_size=12;"
                      : "PRAGMA journal_mode=DELETE; PRAGMA cache_size=12;", 11);
  if (sqlite3_prepare_v2 (db, "SELECT last FROM meta", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    CHILD_FAIL (12);
  start = sqlite3_column_int64 (stmt, 0) + 1;
  sqlite3_finalize (stmt);
  for (gint64 k = start; k < start + TXNS_PER_WRITER; k++)
    {
      shared->phase = PHASE_TXN;
      child_txn (db, k);
      if (write (report_fd, &k, sizeof k) != sizeof k)
        CHILD_FAIL (30);
      shared->phase = PHASE_CHECKPOINT;
      if (wal && k % 4 == 0)
        child_exec (db, k % 3 == 0 ? "PRAGMA wal_checkpoint(TRUNCATE);" : "PRAGMA wal_checkpoint(PASSIVE);", 31);
    }
  shared->phase = PHASE_CLOSE;
  g_object_unref (vault);  /* closing checkpoints the WAL */
  _exit (0);
}

/* --- checking what a crash left ---------------------------------------- */

/* Opens a copy of @dir and checks it holds exactly transactions 1..M, each
 * whole. Returns M. */
static gint64
check_vault (const char *dir)
{
  g_autofree char *copy = g_strconcat (dir, "-check", NULL);
  g_autoptr(KoersVault) vault = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  gint64 last, total = 0, fts_rows = 0, seen = 0;

  remove_tree (copy);
  vault_fixture_copy (dir, copy);
  vault = koers_vault_open (copy, &error);
  g_assert_no_error (error);
  if (!koers_vault_unlock (vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error))
    g_error ("the vault does not open after a writer was killed at event %" G_GUINT64_FORMAT
             " (%s of the %s file, during %s): %s", shared->kill_at, test_vfs_op_name (shared->op),
             test_vfs_file_name (shared->file), phase_names[shared->phase], error->message);
  db = koers_vault_get_db (vault);

  last = vault_fixture_query_int (vault, "SELECT last FROM meta");
  g_assert_cmpint (vault_fixture_query_int (vault, "SELECT count(*) FROM txn"), ==, last);
  g_assert_cmpint (vault_fixture_query_int (vault, "SELECT coalesce(max(seq), 0) FROM txn"), ==, last);
  g_assert_cmpint (vault_fixture_query_int (vault, "SELECT count(*) FROM item WHERE seq NOT IN (SELECT seq FROM txn)"), ==, 0);

  /* Every transaction whole: its rows (unless a later one pruned them). */
  g_assert_cmpint (sqlite3_prepare_v2 (db,
    "SELECT t.seq, t.nrows, t.sumlen, t.fts, t.pruned, count(i.id), coalesce(sum(length(i.payload)), 0),"
    "       count(DISTINCT i.j)"
    " FROM txn t LEFT JOIN item i ON i.seq = t.seq GROUP BY t.seq ORDER BY t.seq", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 k = sqlite3_column_int64 (stmt, 0);
      gboolean pruned = k + PRUNE_AFTER <= last;

      seen++;
      g_assert_cmpint (k, ==, seen);
      g_assert_cmpint (sqlite3_column_int (stmt, 1), ==, txn_rows (k));
      g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, txn_sum_len (k));
      g_assert_cmpint (sqlite3_column_int (stmt, 3), ==, txn_has_fts (k) ? txn_rows (k) : 0);
      g_assert_cmpint (sqlite3_column_int (stmt, 4), ==, pruned);
      g_assert_cmpint (sqlite3_column_int (stmt, 5), ==, pruned ? 0 : txn_rows (k));
      g_assert_cmpint (sqlite3_column_int64 (stmt, 6), ==, pruned ? 0 : txn_sum_len (k));
      g_assert_cmpint (sqlite3_column_int (stmt, 7), ==, pruned ? 0 : txn_rows (k));
      total += txn_rows (k);
      if (!pruned && txn_has_fts (k))
        fts_rows += txn_rows (k);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (seen, ==, last);
  g_assert_cmpint (vault_fixture_query_int (vault, "SELECT total FROM meta"), ==, total);

  /* The index and the full-text index agree with the table. */
  g_assert_cmpint (vault_fixture_query_int (vault, "SELECT count(*) FROM item INDEXED BY item_seq WHERE seq > 0"), ==,
                   vault_fixture_query_int (vault, "SELECT count(*) FROM item NOT INDEXED"));
  g_assert_cmpint (vault_fixture_query_int (vault, "SELECT count(*) FROM item_fts"), ==, fts_rows);
  vault_fixture_exec (vault, "INSERT INTO item_fts (item_fts) VALUES ('integrity-check');");
  if (last > 0 && txn_has_fts (last))
    {
      g_autofree char *match = g_strdup_printf ("SELECT count(*) FROM item_fts WHERE item_fts MATCH 's%" G_GINT64_FORMAT "'", last);
      g_assert_cmpint (vault_fixture_query_int (vault, match), ==, txn_rows (last));
    }

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  g_assert_true (koers_vault_verify (vault, &error));
  g_assert_no_error (error);

  g_clear_object (&vault);
  remove_tree (copy);
  return last;
}

/* --- the driver ------------------------------------------------------- */

typedef struct
{
  guint kills;
  guint kills_by_phase[N_PHASES];
  guint kills_by_file_op[4][4];
  guint checkpoint_kills;  /* database file writes in WAL mode */
  guint completed_runs;
} Tally;

static guint total_kill_points;

/* Where the next writer dies: now and then within its first few events
 * (opening, recovery, the mode switch), otherwise anywhere in a run. */
static guint64
choose_kill_at (GRand *rand, guint run, guint64 span)
{
  if (run % 6 == 0)
    return 1 + (run / 6) % 24;
  return (guint64) g_rand_int_range (rand, 1, (gint32) span);
}

static void
run_mode (gboolean wal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (wal ? 0x6b6f6572 : 0x73726f6b);
  g_autofree char *dir = g_dir_make_tmp ("koers-crash-XXXXXX", &error);
  char *recovery = NULL;
  KoersKdfParams kdf = koers_kdf_params_minimum ();
  KoersVault *vault;
  Tally tally = { 0 };
  guint64 span = 2000;  /* refined by the first writer that runs to the end */
  gint64 committed = 0;  /* transactions known to be in the vault */
  gint64 reported = 0;   /* highest commit any writer reported */
  guint run;

  g_assert_no_error (error);
  vault = koers_vault_create (dir, FIXTURE_NAME, FIXTURE_PASSPHRASE, &kdf, &recovery, &error);
  g_assert_no_error (error);
  vault_fixture_exec (vault, schema);
  g_object_unref (vault);

  for (run = 0; tally.kills < KILLS_PER_MODE; run++)
    {
      int fds[2];
      int status;
      pid_t pid;
      gint64 k, m;

      g_assert_cmpuint (run, <, 3 * KILLS_PER_MODE);
      memset (shared, 0, sizeof *shared);
      shared->kill_at = choose_kill_at (rand, run, span);
      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (fds[0]);
          child_main (dir, wal, fds[1]);
        }
      close (fds[1]);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      while (read (fds[0], &k, sizeof k) == sizeof k)
        {
          g_assert_cmpint (k, ==, MAX (reported, committed) + 1);
          reported = k;
        }
      close (fds[0]);
      if (WIFSIGNALED (status))
        {
          g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
          g_assert_cmpuint (shared->events, ==, shared->kill_at);
          tally.kills++;
          tally.kills_by_phase[shared->phase]++;
          tally.kills_by_file_op[shared->file][shared->op]++;
          if (wal && shared->file == TEST_VFS_FILE_DB)
            tally.checkpoint_kills++;
        }
      else
        {
          if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
            g_error ("writer %u failed with status %d", run, status);
          tally.completed_runs++;
          span = MAX (shared->events, 64);
        }
      /* Reported commits are all there; at most the one transaction in
       * flight (killed in the checkpoint that follows COMMIT, before the
       * report) may be there too. */
      m = check_vault (dir);
      g_assert_cmpint (m, >=, reported);
      g_assert_cmpint (m, >=, committed);
      g_assert_cmpint (m, <=, MAX (reported, committed) + 1);
      committed = m;
    }

  g_test_message ("%s mode: %u writers killed, %u ran to the end; %" G_GINT64_FORMAT " transactions committed",
                  wal ? "WAL" : "rollback", tally.kills, tally.completed_runs, committed);
  for (Phase p = 0; p < N_PHASES; p++)
    g_test_message ("  killed during %s: %u", phase_names[p], tally.kills_by_phase[p]);
  for (int f = 0; f < 4; f++)
    for (int o = 0; o < 4; o++)
      if (tally.kills_by_file_op[f][o])
        g_test_message ("  killed before a %s of the %s file: %u", test_vfs_op_name (o),
                        test_vfs_file_name (f), tally.kills_by_file_op[f][o]);
  if (wal)
    {
      g_test_message ("  killed while checkpointing into the database: %u", tally.checkpoint_kills);
      g_assert_cmpuint (tally.checkpoint_kills, >=, 10);
    }
  else
    {
      g_assert_cmpuint (tally.kills_by_file_op[TEST_VFS_FILE_JOURNAL][TEST_VFS_WRITE], >=, 10);
      g_assert_cmpuint (tally.kills_by_file_op[TEST_VFS_FILE_DB][TEST_VFS_WRITE], >=, 10);
    }
  if (!wal)
    g_assert_cmpuint (tally.kills_by_phase[PHASE_OPEN], >=, 5);  /* hot-journal rollback, mode switch */
  total_kill_points += tally.kills;
  koers_vault_free_secret (recovery);
  remove_tree (dir);
}

/* --- kills inside a checkpoint that passes sealed frames through -------- */

#define CKPT_TXNS 14  /* transaction 13 spills: many pages to checkpoint */

static int
checkpoint_kill_hook (TestVfsOp op, TestVfsFile file, int amt, sqlite3_int64 off, int *short_amt, gpointer data)
{
  if (shared->phase != PHASE_CHECKPOINT || op != TEST_VFS_WRITE || file != TEST_VFS_FILE_DB)
    return SQLITE_OK;
  shared->events++;
  if (shared->events == shared->kill_at)
    {
      shared->op = op;
      shared->file = file;
      /* Every earlier write of this checkpoint was a sealed frame as it is. */
      shared->passed_through = koers_vfs_passthrough_pages () - shared->passed_before;
      raise (SIGKILL);
    }
  return SQLITE_OK;
}

static void G_GNUC_NORETURN
checkpoint_child_main (const char *dir)
{
  KoersVault *vault;

  test_vfs_set_hook (checkpoint_kill_hook, NULL);
  shared->phase = PHASE_OPEN;
  vault = koers_vault_open (dir, NULL);
  if (vault == NULL || !koers_vault_unlock (vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, NULL))
    CHILD_FAIL (10);
  shared->passed_before = koers_vfs_passthrough_pages ();
  shared->phase = PHASE_CHECKPOINT;
  child_exec (koers_vault_get_db (vault), "PRAGMA wal_checkpoint(TRUNCATE);", 31);
  shared->passed_through = koers_vfs_passthrough_pages () - shared->passed_before;
  shared->phase = PHASE_CLOSE;
  g_object_unref (vault);
  _exit (0);
}

/* A vault whose WAL holds CKPT_TXNS committed transactions, never
 * checkpointed. */
static char *
make_uncheckpointed_vault (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("koers-ckpt-XXXXXX", &error);
  KoersKdfParams kdf = koers_kdf_params_minimum ();
  g_autofree char *recovery = NULL;
  KoersVault *vault;
  sqlite3 *db;

  g_assert_no_error (error);
  vault = koers_vault_create (dir, FIXTURE_NAME, FIXTURE_PASSPHRASE, &kdf, &recovery, &error);
  g_assert_no_error (error);
  vault_fixture_exec (vault, schema);
  vault_fixture_exec (vault, "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint=0;");
  db = koers_vault_get_db (vault);
  sqlite3_db_config (db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  for (gint64 k = 1; k <= CKPT_TXNS; k++)
    child_txn (db, k);
  g_object_unref (vault);
  return dir;
}

/* The writer is killed before its Nth write to the database file inside a
 * checkpoint, for every N the checkpoint makes: the database then holds
 * some pages passed through from the WAL and the rest as before. The copy
 * must open with every committed transaction whole, pass integrity_check
 * and verify, and a checkpoint that runs to the end must have passed every
 * page through. */
static void
test_crash_checkpoint_passthrough (void)
{
  g_autofree char *template = make_uncheckpointed_vault ();
  g_autofree char *dir = g_strconcat (template, "-run", NULL);
  guint kills = 0;

  for (guint64 n = 1;; n++)
    {
      int status;
      pid_t pid;

      remove_tree (dir);
      vault_fixture_copy (template, dir);
      memset (shared, 0, sizeof *shared);
      shared->kill_at = n;
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        checkpoint_child_main (dir);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (WIFSIGNALED (status))
        {
          g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
          g_assert_cmpuint (shared->passed_through, ==, n - 1);
          kills++;
        }
      else
        {
          g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
          g_assert_cmpuint (shared->passed_through, ==, n - 1);
        }
      g_assert_cmpint (check_vault (dir), ==, CKPT_TXNS);
      if (!WIFSIGNALED (status))
        break;
    }
  g_test_message ("killed inside a pass-through checkpoint at each of its %u database writes", kills);
  g_assert_cmpuint (kills, >=, 20);
  remove_tree (dir);
  remove_tree (template);
}

static void
test_crash_wal (void)
{
  run_mode (TRUE);
}

static void
test_crash_rollback (void)
{
  run_mode (FALSE);
}

static void
test_crash_total (void)
{
  g_test_message ("%u distinct kill points in all", total_kill_points);
  if (total_kill_points == 0)
    {
      g_test_skip ("run with the other crash tests");
      return;
    }
  g_assert_cmpuint (total_kill_points, >=, 200);
}

/* --- a backup killed at every write (issue 14, item 1) ----------------- */

/* The forked backup: unlocks @dir and writes its backup to @dest, dying at
 * shared->kill_at (a write, sync or truncate of a vault file). */
static void G_GNUC_NORETURN
backup_child (const char *dir, const char *dest)
{
  KoersVault *vault = koers_vault_open (dir, NULL);

  if (vault == NULL || !koers_vault_unlock (vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, NULL))
    _exit (10);
  test_vfs_set_hook (kill_hook, NULL);
  if (!koers_vault_backup (vault, dest, NULL))
    _exit (11);
  _exit (0);
}

/* After a kill the backup is whole or absent: the destination either does
 * not exist or opens with every row and passes verify; the next backup to
 * the same place works. Before the fix a killed backup opened as an empty
 * vault that verify called whole, and blocked the next one. */
static void
test_crash_backup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("koers-crash-XXXXXX", &error);
  g_autofree char *dest = g_strconcat (dir, "-backup", NULL);
  KoersKdfParams kdf = koers_kdf_params_minimum ();
  char *recovery = NULL;
  KoersVault *vault;
  guint kills = 0, absent = 0;
  guint64 kill_at;
  gint64 rows;

  g_assert_no_error (error);
  vault = koers_vault_create (dir, FIXTURE_NAME, FIXTURE_PASSPHRASE, &kdf, &recovery, &error);
  g_assert_no_error (error);
  vault_fixture_exec (vault, "CREATE TABLE t (v BLOB);"
                             "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 400)"
                             "  INSERT INTO t SELECT randomblob(900) FROM c;");
  rows = vault_fixture_query_int (vault, "SELECT count(*) FROM t");
  g_object_unref (vault);

  for (kill_at = 1;; kill_at++)
    {
      int status;
      pid_t pid;

      memset (shared, 0, sizeof *shared);
      shared->kill_at = kill_at;
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        backup_child (dir, dest);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (WIFEXITED (status))
        {
          g_assert_cmpint (WEXITSTATUS (status), ==, 0);
          break;  /* ran to the end before its kill point */
        }
      g_assert_cmpint (WTERMSIG (status), ==, SIGKILL);
      kills++;
      if (!g_file_test (dest, G_FILE_TEST_EXISTS))
        absent++;
      else
        {
          g_autoptr(KoersVault) copy = koers_vault_open (dest, &error);

          g_assert_no_error (error);
          g_assert_true (koers_vault_unlock (copy, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
          g_assert_cmpint (vault_fixture_query_int (copy, "SELECT count(*) FROM t"), ==, rows);
          g_assert_true (koers_vault_verify (copy, &error));
          g_assert_no_error (error);
          g_clear_object (&copy);
          remove_tree (dest);
        }
    }
  g_test_message ("backup killed at %u points: %u left nothing, %u a whole backup", kills, absent,
                  kills - absent);
  g_assert_cmpuint (kills, >=, 20);
  /* And a backup that runs to the end opens whole. */
  {
    g_autoptr(KoersVault) copy = koers_vault_open (dest, &error);

    g_assert_no_error (error);
    g_assert_true (koers_vault_unlock (copy, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
    g_assert_cmpint (vault_fixture_query_int (copy, "SELECT count(*) FROM t"), ==, rows);
  }
  koers_vault_free_secret (recovery);
  remove_tree (dest);
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Below the koers VFS, before its first use. */
  test_vfs_install_default ();
  /* SIGKILL leaves the page cache intact: fsync() would only cost time.
   * Syncs are still counted, and still kill points. */
  test_vfs_set_skip_sync (TRUE);
  shared = mmap (NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  g_assert_true (shared != MAP_FAILED);
  g_test_add_func ("/vault/crash/wal", test_crash_wal);
  g_test_add_func ("/vault/crash/rollback", test_crash_rollback);
  g_test_add_func ("/vault/crash/total", test_crash_total);
  g_test_add_func ("/vault/crash/backup", test_crash_backup);
  g_test_add_func ("/vault/crash/checkpoint-passthrough", test_crash_checkpoint_passthrough);
  return g_test_run ();
}
