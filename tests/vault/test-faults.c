/* SPDX-License-Identifier: GPL-3.0-or-later */
/* I/O faults: the test VFS below the koers VFS fails the Nth read, write or
 * sync, or from the Nth write on reports a full disk (with or without half
 * the bytes written), for N over the whole workload: opening a vault with
 * a hot WAL, reading everything, inserts with FTS5, an update through an
 * index, a transaction that spills the cache, a checkpoint. Each time the
 * error must reach the caller as a KoersVaultError (DISK_FULL for a full
 * disk, IO otherwise) — never be swallowed, never turn into missing rows —
 * and once the faults stop the reopened vault must hold everything
 * committed before the fault, the failed step whole or not at all, and
 * pass integrity_check and koers_vault_verify(). */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include "vault-fixture.h"
#include "test-vfs.h"

#include <string.h>

#define BASE_ROWS   400  /* seq 0, checkpointed into the database file */
#define WAL_ROWS    20   /* seq 100, left in a hot WAL */
#define KOERS_PAGE_SIZE_FOR_TESTS 4096  /* the vault's page size */

typedef struct
{
  const char *name;
  TestVfsOp   op;
  int         rc;
  gboolean    persistent;  /* every such call from the Nth on fails */
  gboolean    short_write; /* half the bytes reach the file first */
  KoersVaultError expect;
} FaultKind;

static const FaultKind fault_kinds[] = {
  { "read",       TEST_VFS_READ,  SQLITE_IOERR_READ,  FALSE, FALSE, KOERS_VAULT_ERROR_IO },
  { "write",      TEST_VFS_WRITE, SQLITE_IOERR_WRITE, FALSE, FALSE, KOERS_VAULT_ERROR_IO },
  { "sync",       TEST_VFS_SYNC,  SQLITE_IOERR_FSYNC, FALSE, FALSE, KOERS_VAULT_ERROR_IO },
  { "disk-full",  TEST_VFS_WRITE, SQLITE_FULL,        TRUE,  FALSE, KOERS_VAULT_ERROR_DISK_FULL },
  { "short-write", TEST_VFS_WRITE, SQLITE_FULL,       TRUE,  TRUE,  KOERS_VAULT_ERROR_DISK_FULL },
};

typedef struct
{
  const FaultKind *kind;
  gboolean armed;
  int      only_file;  /* a TestVfsFile, or -1 for any */
  sqlite3_int64 min_off;
  guint64  nth;
  guint64  calls;
  guint    fired;
} FaultPlan;

static FaultPlan plan;

static int
fault_hook (TestVfsOp op, TestVfsFile file, int amt, sqlite3_int64 off, int *short_amt, gpointer data)
{
  if (!plan.armed || op != plan.kind->op || off < plan.min_off ||
      (plan.only_file >= 0 && file != (TestVfsFile) plan.only_file))
    return SQLITE_OK;
  plan.calls++;
  if (plan.calls < plan.nth || (plan.calls > plan.nth && !plan.kind->persistent))
    return SQLITE_OK;
  plan.fired++;
  if (plan.kind->short_write)
    *short_amt = amt / 2;
  return plan.kind->rc;
}

/* --- the workload ----------------------------------------------------- */

static const char *const step_names[] = {
  "open with a hot WAL", "read everything", "insert with FTS5", "update through an index",
  "insert spilling the cache", "checkpoint", "insert after the checkpoint", "read everything again",
};
enum { STEP_OPEN, STEP_READ, STEP_INSERT, STEP_UPDATE, STEP_SPILL, STEP_CHECKPOINT, STEP_INSERT2, STEP_READ2, N_STEPS };

static char *
insert_sql (int seq, int rows, int len)
{
  return g_strdup_printf (
    "BEGIN;"
    "WITH RECURSIVE n(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM n WHERE j < %d)"
    "  INSERT INTO item (seq, j, payload) SELECT %d, j, printf('%%.%dc', char(97 + j %% 26)) FROM n;"
    "INSERT INTO item_fts (rowid, body) SELECT id, 's%d koers w' || j FROM item WHERE seq = %d;"
    "COMMIT;", rows - 1, seq, len, seq, seq);
}

typedef struct
{
  gint64 rows[4];   /* per seq 0..3 */
  gint64 wal_rows;  /* seq 100 */
  gint64 updated;   /* seq 0 rows with j >= 1000 */
  gint64 fts;
  gint64 bytes;
} State;

static const int step_seq_rows[] = { [STEP_INSERT] = 60, [STEP_SPILL] = 300, [STEP_INSERT2] = 10 };

static int
query_state (sqlite3 *db, State *st)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  memset (st, 0, sizeof *st);
  rc = sqlite3_prepare_v2 (db,
    "SELECT seq, count(*), sum(j >= 1000), sum(length(payload)) FROM item GROUP BY seq", -1, &stmt, NULL);
  while (rc == SQLITE_OK || rc == SQLITE_ROW)
    {
      gint64 seq;

      if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
        break;
      seq = sqlite3_column_int64 (stmt, 0);

      if (seq == 100)
        st->wal_rows = sqlite3_column_int64 (stmt, 1);
      else if (seq >= 0 && seq < (gint64) G_N_ELEMENTS (st->rows))
        st->rows[seq] = sqlite3_column_int64 (stmt, 1);
      else
        g_error ("rows of an unknown step %" G_GINT64_FORMAT, seq);
      if (seq == 0)
        st->updated = sqlite3_column_int64 (stmt, 2);
      st->bytes += sqlite3_column_int64 (stmt, 3);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return rc;
  rc = sqlite3_prepare_v2 (db, "SELECT count(*) FROM item_fts WHERE item_fts MATCH 'koers'", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      st->fts = sqlite3_column_int64 (stmt, 0);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Which steps' effects does @st show? Aborts on anything half there. */
static void
assert_state (const State *st, int done_before, int failed_step, const char *context)
{
  gboolean has[N_STEPS] = { FALSE };
  gint64 fts = BASE_ROWS + WAL_ROWS;

  g_assert_cmpint (st->rows[0], ==, BASE_ROWS);
  g_assert_cmpint (st->wal_rows, ==, WAL_ROWS);
  has[STEP_INSERT] = st->rows[1] != 0;
  has[STEP_SPILL] = st->rows[2] != 0;
  has[STEP_INSERT2] = st->rows[3] != 0;
  has[STEP_UPDATE] = st->updated != 0;
  if (has[STEP_INSERT])
    g_assert_cmpint (st->rows[1], ==, step_seq_rows[STEP_INSERT]);
  if (has[STEP_SPILL])
    g_assert_cmpint (st->rows[2], ==, step_seq_rows[STEP_SPILL]);
  if (has[STEP_INSERT2])
    g_assert_cmpint (st->rows[3], ==, step_seq_rows[STEP_INSERT2]);
  if (has[STEP_UPDATE])
    g_assert_cmpint (st->updated, ==, BASE_ROWS);
  for (int s = 1; s < 4; s++)
    fts += st->rows[s];
  g_assert_cmpint (st->fts, ==, fts);

  for (int s = STEP_INSERT; s <= STEP_INSERT2; s++)
    {
      if (s == STEP_CHECKPOINT)
        continue;
      if (s < done_before)
        {
          if (!has[s])
            g_error ("%s: step \"%s\" was committed before the fault but is lost", context, step_names[s]);
        }
      else if (s != failed_step && has[s])
        g_error ("%s: step \"%s\" never ran but is there", context, step_names[s]);
    }
}

static int
run_step (KoersVault *vault, int step, const State *expected)
{
  sqlite3 *db = koers_vault_get_db (vault);
  g_autofree char *sql = NULL;
  State st;
  int rc;

  switch (step)
    {
    case STEP_READ:
    case STEP_READ2:
      rc = query_state (db, &st);
      /* A read that fails must fail the query, not shorten its answer. */
      if (rc == SQLITE_OK)
        g_assert_cmpmem (&st, sizeof st, expected, sizeof *expected);
      return rc;
    case STEP_INSERT:
      sql = insert_sql (1, step_seq_rows[STEP_INSERT], 120);
      break;
    case STEP_UPDATE:
      sql = g_strdup ("UPDATE item SET j = j + 1000 WHERE seq = 0 AND j < 1000;");
      break;
    case STEP_SPILL:
      sql = insert_sql (2, step_seq_rows[STEP_SPILL], 300);
      break;
    case STEP_CHECKPOINT:
      sql = g_strdup ("PRAGMA wal_checkpoint(TRUNCATE);");
      break;
    case STEP_INSERT2:
      sql = insert_sql (3, step_seq_rows[STEP_INSERT2], 40);
      break;
    default:
      g_assert_not_reached ();
    }
  rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  if (rc == SQLITE_OK && step == STEP_CHECKPOINT)
    {
      /* wal_checkpoint reports a failure as its result code too. */
      rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
  return rc;
}

static void
expected_after (State *st, int step, gboolean wal)
{
  switch (step)
    {
    case STEP_INSERT:
    case STEP_SPILL:
    case STEP_INSERT2:
      {
        int seq = step == STEP_INSERT ? 1 : step == STEP_SPILL ? 2 : 3;
        int len = step == STEP_INSERT ? 120 : step == STEP_SPILL ? 300 : 40;

        st->rows[seq] = step_seq_rows[step];
        st->fts += step_seq_rows[step];
        st->bytes += (gint64) step_seq_rows[step] * len;
      }
      break;
    case STEP_UPDATE:
      st->updated = BASE_ROWS;
      break;
    default:
      break;
    }
}

/* --- the driver ------------------------------------------------------- */

/* A vault with BASE_ROWS in the database file and WAL_ROWS in a hot WAL. */
static char *
make_base (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("koers-faults-XXXXXX", &error);
  g_autofree char *base_sql = insert_sql (0, BASE_ROWS, 200);
  g_autofree char *wal_sql = insert_sql (100, WAL_ROWS, 50);
  g_autofree char *wal = NULL;
  KoersKdfParams kdf = koers_kdf_params_minimum ();
  char *recovery = NULL;
  KoersVault *vault;

  g_assert_no_error (error);
  vault = koers_vault_create (dir, FIXTURE_NAME, FIXTURE_PASSPHRASE, &kdf, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
  vault_fixture_exec (vault,
    "CREATE TABLE item (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, j INTEGER NOT NULL, payload TEXT);"
    "CREATE INDEX item_seq ON item (seq, j);"
    "CREATE VIRTUAL TABLE item_fts USING fts5 (body);");
  vault_fixture_exec (vault, base_sql);
  vault_fixture_exec (vault, "PRAGMA wal_checkpoint(TRUNCATE);");
  sqlite3_db_config (koers_vault_get_db (vault), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  vault_fixture_exec (vault, wal_sql);
  g_object_unref (vault);
  wal = g_build_filename (dir, "koers.db-wal", NULL);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  return g_steal_pointer (&dir);
}

static void
assert_vault_error (const GError *error, const FaultKind *kind, const char *context)
{
  if (error == NULL || error->domain != KOERS_VAULT_ERROR || (KoersVaultError) error->code != kind->expect)
    g_error ("%s: expected a %s error, got %s", context,
             kind->expect == KOERS_VAULT_ERROR_DISK_FULL ? "disk-full" : "I/O",
             error ? error->message : "no error");
  if (kind->expect == KOERS_VAULT_ERROR_DISK_FULL)
    g_assert_nonnull (strstr (error->message, "disk is full"));
  else
    g_assert_nonnull (strstr (error->message, "disk reported an error"));
}

static void
assert_integrity_ok (KoersVault *vault)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (koers_vault_get_db (vault), "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
}

/* One run with the fault at the Nth call. FALSE when the workload never
 * reached the Nth call (no fault fired). */
static gboolean
run_once (const char *base, const FaultKind *kind, guint64 nth, gboolean wal, guint *failed_steps)
{
  g_autofree char *dir = g_strdup_printf ("%s-run", base);
  g_autofree char *context = g_strdup_printf ("%s mode, %s fault at call %" G_GUINT64_FORMAT,
                                              wal ? "WAL" : "rollback", kind->name, nth);
  g_autoptr(GError) error = NULL;
  KoersVault *vault;
  State expected = { .rows = { BASE_ROWS }, .wal_rows = WAL_ROWS, .fts = BASE_ROWS + WAL_ROWS,
                     .bytes = BASE_ROWS * 200 + WAL_ROWS * 50 };
  State st;
  int failed = -1;
  int step;
  sqlite3 *db = NULL;

  remove_tree (dir);
  vault_fixture_copy (base, dir);
  plan = (FaultPlan) { .kind = kind, .armed = TRUE, .nth = nth, .only_file = -1 };

  vault = koers_vault_open (dir, &error);
  g_assert_no_error (error);  /* reads only the key file */
  if (!koers_vault_unlock (vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error))
    {
      assert_vault_error (error, kind, context);
      failed = STEP_OPEN;
    }
  else
    {
      db = koers_vault_get_db (vault);
      /* Small cache: reads reach the files, big transactions spill. No
       * autocheckpoint: SQLite itself ignores its errors (the commit
       * before it stands); the explicit checkpoint step reports them. */
      step = sqlite3_exec (db, wal ? "PRAGMA cache_size=8; PRAGMA wal_autocheckpoint=0;"
                                   : "PRAGMA cache_size=8; PRAGMA journal_mode=DELETE;", NULL, NULL, NULL);
      if (step != SQLITE_OK)
        {
          koers_vault_set_sqlite_error (&error, db, step, "opening the vault");
          assert_vault_error (error, kind, context);
          failed = STEP_OPEN;
        }
    }
  for (step = STEP_READ; failed < 0 && step < N_STEPS; step++)
    {
      int rc = run_step (vault, step, &expected);

      if (rc == SQLITE_OK)
        {
          expected_after (&expected, step, wal);
          continue;
        }
      koers_vault_set_sqlite_error (&error, db, rc, "saving");
      assert_vault_error (error, kind, context);
      failed = step;
      sqlite3_exec (db, "ROLLBACK;", NULL, NULL, NULL);  /* if the failure left one open */
    }
  /* Every fault that fired reached the caller. */
  if (plan.fired > 0 && failed < 0)
    g_error ("%s: the fault fired but every step succeeded: the error was swallowed", context);
  if (plan.fired == 0)
    g_assert_cmpint (failed, <, 0);
  plan.armed = FALSE;
  g_clear_error (&error);
  g_object_unref (vault);

  /* The disk works again: everything committed is there and sound. */
  vault = koers_vault_open (dir, &error);
  g_assert_no_error (error);
  if (!koers_vault_unlock (vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error))
    g_error ("%s: the vault does not open after the fault: %s", context, error->message);
  g_assert_cmpint (query_state (koers_vault_get_db (vault), &st), ==, SQLITE_OK);
  assert_state (&st, failed < 0 ? N_STEPS : failed, failed, context);
  vault_fixture_exec (vault, "INSERT INTO item_fts (item_fts) VALUES ('integrity-check');");
  assert_integrity_ok (vault);
  if (!koers_vault_verify (vault, &error))
    g_error ("%s: verify fails after the fault: %s", context, error->message);
  g_object_unref (vault);
  remove_tree (dir);
  if (failed >= 0)
    failed_steps[failed]++;
  return plan.fired > 0;
}

static void
run_kind (gconstpointer data)
{
  const FaultKind *kind = data;
  guint failed_steps[N_STEPS] = { 0 };

  for (int mode = 0; mode < 2; mode++)
    {
      gboolean wal = mode == 0;
      g_autofree char *base = make_base ();
      guint runs = 0;
      guint64 nth = 1;

      /* Every N at first, then spread, until the workload runs clean. */
      while (run_once (base, kind, nth, wal, failed_steps))
        {
          runs++;
          nth += nth < 24 ? 1 : nth / 5;
        }
      g_test_message ("%s faults, %s mode: %u runs; the workload needs %" G_GUINT64_FORMAT " calls",
                      kind->name, wal ? "WAL" : "rollback", runs, plan.calls);
      g_assert_cmpuint (runs, >, 0);
      remove_tree (base);
    }
  for (int s = 0; s < N_STEPS; s++)
    if (failed_steps[s])
      g_test_message ("  failed in step \"%s\": %u", step_names[s], failed_steps[s]);
}

/* WAL recovery meets a frame that does not authenticate; whether that is
 * damage or the torn tail of a crash depends on the frames after it. If
 * reading those fails, the error must reach the caller: taking the frame
 * for a torn tail would end the log there and silently drop every later
 * committed transaction. */
static void
test_read_fault_in_wal_recovery (void)
{
  static const FaultKind wal_read = { "wal-read", TEST_VFS_READ, SQLITE_IOERR_READ, TRUE, FALSE,
                                      KOERS_VAULT_ERROR_IO };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("koers-faults-XXXXXX", &error);
  g_autofree char *wal = g_build_filename (dir, "koers.db-wal", NULL);
  KoersKdfParams kdf = koers_kdf_params_minimum ();
  char *recovery = NULL;
  KoersVault *vault;

  g_assert_no_error (error);
  vault = koers_vault_create (dir, FIXTURE_NAME, FIXTURE_PASSPHRASE, &kdf, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
  vault_fixture_exec (vault, "PRAGMA wal_checkpoint(TRUNCATE);");
  sqlite3_db_config (koers_vault_get_db (vault), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  vault_fixture_exec (vault, "CREATE TABLE t (x);");
  vault_fixture_exec (vault, "INSERT INTO t VALUES (1);");
  vault_fixture_exec (vault, "INSERT INTO t VALUES (2);");
  g_object_unref (vault);
  flip_byte (wal, 32 + 24 + 200);  /* the page of the first frame */

  /* No fault: the damage is reported as such. */
  vault = koers_vault_open (dir, &error);
  g_assert_no_error (error);
  g_assert_false (koers_vault_unlock (vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_TAMPERED);
  g_clear_error (&error);
  g_object_unref (vault);

  /* Every read of the WAL past its first frame fails. */
  plan = (FaultPlan) { .kind = &wal_read, .armed = TRUE, .nth = 1, .only_file = TEST_VFS_FILE_WAL,
                       .min_off = 32 + 24 + KOERS_PAGE_SIZE_FOR_TESTS };
  vault = koers_vault_open (dir, &error);
  g_assert_no_error (error);
  if (koers_vault_unlock (vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error))
    g_error ("the vault opened while the WAL could not be read: its committed transactions are gone");
  plan.armed = FALSE;
  g_assert_cmpuint (plan.fired, >, 0);
  assert_vault_error (error, &wal_read, "a read fault in WAL recovery");
  g_object_unref (vault);
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Below the koers VFS, before its first use. */
  test_vfs_install_default ();
  test_vfs_set_hook (fault_hook, NULL);
  /* Nothing here loses power: syncs reach the hook (and fail when told
   * to) but not the disk, which only saves time. */
  test_vfs_set_skip_sync (TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (fault_kinds); i++)
    {
      g_autofree char *path = g_strdup_printf ("/vault/faults/%s", fault_kinds[i].name);
      g_test_add_data_func (path, &fault_kinds[i], run_kind);
    }
  g_test_add_func ("/vault/faults/read-in-wal-recovery", test_read_fault_in_wal_recovery);
  return g_test_run ();
}
