/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-vault: what does the vault cost? The same SQLite workload on plain
 * SQLite (default VFS), on the vault and, when Debian's SQLCipher is
 * installed, on SQLCipher; one run prints seconds and the ratio to plain
 * SQLite for each part. See docs/benchmarks.md.
 *
 * This file is built twice. bench-vault links libsqlite3 and the vault.
 * With -DBENCH_SQLCIPHER it becomes bench-vault-sqlcipher, linked only
 * against libsqlcipher (which exports the same symbols as libsqlite3, so
 * the two cannot share a process); bench-vault runs it as a subprocess on
 * the same workload and reads its figures from its output. */
#include "config.h"

#define G_LOG_DOMAIN "koers-bench"

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench-cli.h"
#ifndef BENCH_SQLCIPHER
#include <sodium.h>
#include "koers-cipher.h"
#include "koers-vault.h"
#include "bench-clients.h"
#endif

#define INSERT_TXN  100
#define UPDATE_TXN  50
#define NOTE_BYTES  200

/* The page cache of every connection, in KiB: small, so that the database
 * (~45 MB at 100k rows) is far larger than it. */
static gint64 cache_kib = 2000;

/* Called after each part of the workload (--counts): what SQLite and the
 * VFS did in it. NULL: nothing. */
static void (*part_done) (sqlite3 *db, const char *part);

typedef struct
{
  double insert, read, fts, mix;                  /* wall-clock seconds */
  double cpu_insert, cpu_read, cpu_fts, cpu_mix;  /* CPU seconds of the process */
  gint64 read_check, fts_check, mix_check;
  gint64 db_bytes;
  gboolean have;
} Figures;

/* --- deterministic data: every engine gets exactly the same rows -------- */

typedef struct
{
  guint64 s;
} Rng;

static guint64
rng_next (Rng *r)
{
  guint64 z = (r->s += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static guint32
rng_below (Rng *r, guint32 n)
{
  return (guint32) (rng_next (r) % n);
}

static const char *const syllables[32] = {
  "ka", "ri", "mo", "tes", "fa", "am", "zu", "lin", "be", "or", "sa", "den",
  "jo", "ha", "nu", "el", "vi", "ta", "go", "mer", "pi", "an", "ku", "sel",
  "da", "ro", "mi", "wen", "ba", "lu", "ne", "ya",
};

static void
append_word (GString *s, guint64 h, int nsyl)
{
  for (int i = 0; i < nsyl; i++)
    g_string_append (s, syllables[(h >> (5 * i)) & 31]);
}

/* "Given Surname", a function of the row id alone. */
static void
make_name (gint64 id, GString *out)
{
  Rng r = { (guint64) id * 7919 };
  guint64 h = rng_next (&r);

  g_string_truncate (out, 0);
  append_word (out, h, 2);
  g_string_append_c (out, ' ');
  append_word (out, h >> 10, 3);
}

/* About NOTE_BYTES of words from a vocabulary of 4096. */
static void
make_note (Rng *r, GString *out)
{
  g_string_truncate (out, 0);
  while (out->len < NOTE_BYTES)
    {
      Rng w = { rng_below (r, 4096) + 1 };

      if (out->len > 0)
        g_string_append_c (out, ' ');
      append_word (out, rng_next (&w), 2 + (int) (w.s % 2));
    }
}

/* --- the workload ------------------------------------------------------ */

static void
check (sqlite3 *db, int rc, int want, const char *what)
{
  if (rc != want)
    g_error ("%s: %s (%d)", what, sqlite3_errmsg (db), rc);
}

static void
exec (sqlite3 *db, const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

static sqlite3_stmt *
prepare (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  check (db, sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), SQLITE_OK, sql);
  return stmt;
}

static char *
query_text (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = prepare (db, sql);
  char *out = NULL;

  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return out;
}

/* CPU time (user + system) of this process: unlike the wall clock, barely
 * moved by other programs on a busy machine, but blind to time spent
 * waiting for the disk (fsync). */
static double
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

/* The vault's own connection settings (src/vault/koers-vault.c), the page
 * cache pinned small so that the database is many times larger than it. */
static void
apply_pragmas (sqlite3 *db, const char *synchronous)
{
  g_autofree char *sync = g_strconcat ("PRAGMA synchronous=", synchronous, ";", NULL);
  g_autofree char *cache = g_strdup_printf ("PRAGMA cache_size=-%" G_GINT64_FORMAT ";", cache_kib);
  g_autofree char *mode = NULL;

  exec (db,
        "PRAGMA temp_store=MEMORY;"
        "PRAGMA mmap_size=0;"
        "PRAGMA secure_delete=ON;"
        "PRAGMA cell_size_check=ON;"
        "PRAGMA foreign_keys=ON;"
        "PRAGMA journal_mode=WAL;");
  exec (db, cache);
  exec (db, sync);
  mode = query_text (db, "PRAGMA journal_mode;");
  if (g_strcmp0 (mode, "wal") != 0)
    g_error ("journal_mode is %s, not wal", mode);
}

static void
create_schema (sqlite3 *db)
{
  exec (db,
        "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        "                     grp INTEGER NOT NULL, note TEXT NOT NULL);"
        "CREATE INDEX person_grp ON person (grp);"
#ifdef BENCH_SQLCIPHER
        /* Debian's SQLCipher 3.4.1 (SQLite 3.15.2) has FTS3/4 but no FTS5. */
        "CREATE VIRTUAL TABLE person_fts USING fts4 (content='person', name, note);"
#else
        "CREATE VIRTUAL TABLE person_fts USING fts5 (name, note, content='person', content_rowid='id');"
#endif
        );
}

static void
checkpoint (sqlite3 *db)
{
  exec (db, "PRAGMA wal_checkpoint(TRUNCATE);");
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}

/* @rows inserts in transactions of INSERT_TXN, each row also indexed by
 * FTS; ends with a checkpoint into the database file. */
static double
run_inserts (sqlite3 *db, gint64 rows)
{
  sqlite3_stmt *ins = prepare (db, "INSERT INTO person (id, name, grp, note) VALUES (?, ?, ?, ?)");
  sqlite3_stmt *fts = prepare (db, "INSERT INTO person_fts (rowid, name, note) VALUES (?, ?, ?)");
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) note = g_string_new (NULL);
  Rng r = { 1 };
  gint64 start = g_get_monotonic_time ();

  for (gint64 id = 1; id <= rows; id++)
    {
      if ((id - 1) % INSERT_TXN == 0)
        exec (db, "BEGIN;");
      make_name (id, name);
      make_note (&r, note);
      sqlite3_bind_int64 (ins, 1, id);
      sqlite3_bind_text (ins, 2, name->str, (int) name->len, SQLITE_STATIC);
      sqlite3_bind_int (ins, 3, (int) rng_below (&r, 1000));
      sqlite3_bind_text (ins, 4, note->str, (int) note->len, SQLITE_STATIC);
      check (db, sqlite3_step (ins), SQLITE_DONE, "insert");
      sqlite3_reset (ins);
      sqlite3_bind_int64 (fts, 1, id);
      sqlite3_bind_text (fts, 2, name->str, (int) name->len, SQLITE_STATIC);
      sqlite3_bind_text (fts, 3, note->str, (int) note->len, SQLITE_STATIC);
      check (db, sqlite3_step (fts), SQLITE_DONE, "fts insert");
      sqlite3_reset (fts);
      if (id % INSERT_TXN == 0 || id == rows)
        exec (db, "COMMIT;");
    }
  checkpoint (db);
  sqlite3_finalize (ins);
  sqlite3_finalize (fts);
  return seconds_since (start);
}

/* @n point reads by primary key in random order, each its own statement
 * (autocommit), as the app reads a case. */
static double
run_reads (sqlite3 *db, gint64 rows, gint64 n, gint64 *check_out)
{
  sqlite3_stmt *sel = prepare (db, "SELECT name, grp, note FROM person WHERE id = ?");
  Rng r = { 2 };
  gint64 sum = 0;
  gint64 start = g_get_monotonic_time ();

  for (gint64 i = 0; i < n; i++)
    {
      sqlite3_bind_int64 (sel, 1, 1 + (gint64) rng_below (&r, (guint32) rows));
      check (db, sqlite3_step (sel), SQLITE_ROW, "point read");
      sum += sqlite3_column_int (sel, 1) + sqlite3_column_bytes (sel, 2) +
             sqlite3_column_bytes (sel, 0);
      sqlite3_reset (sel);
    }
  sqlite3_finalize (sel);
  *check_out = sum;
  return seconds_since (start);
}

/* @n FTS prefix queries on the name column ("name:kar*": the first three
 * letters of some person's surname), every match joined to its row. */
static double
run_fts (sqlite3 *db, gint64 rows, gint64 n, gint64 *check_out)
{
  sqlite3_stmt *q = prepare (db,
    "SELECT p.id, p.grp FROM person_fts JOIN person p ON p.id = person_fts.rowid"
    " WHERE person_fts MATCH ?");
  g_autoptr(GString) name = g_string_new (NULL);
  Rng r = { 3 };
  gint64 matches = 0;
  gint64 start = g_get_monotonic_time ();

  for (gint64 i = 0; i < n; i++)
    {
      const char *surname;
      char expr[32];
      int rc;

      make_name (1 + (gint64) rng_below (&r, (guint32) rows), name);
      surname = strchr (name->str, ' ') + 1;
      g_snprintf (expr, sizeof expr, "name:%.3s*", surname);
      sqlite3_bind_text (q, 1, expr, -1, SQLITE_TRANSIENT);
      while ((rc = sqlite3_step (q)) == SQLITE_ROW)
        matches++;
      check (db, rc, SQLITE_DONE, "fts query");
      sqlite3_reset (q);
    }
  sqlite3_finalize (q);
  *check_out = matches;
  return seconds_since (start);
}

/* @n updates in transactions of UPDATE_TXN: each reads a random row, takes
 * it out of the FTS index, gives it a new group and note, puts it back in
 * the index; and reads one more random row. Ends with a checkpoint. */
static double
run_mix (sqlite3 *db, gint64 rows, gint64 n, gint64 *check_out)
{
  sqlite3_stmt *sel = prepare (db, "SELECT name, grp, note FROM person WHERE id = ?");
#ifdef BENCH_SQLCIPHER
  sqlite3_stmt *del = prepare (db, "DELETE FROM person_fts WHERE docid = ?");
#else
  sqlite3_stmt *del = prepare (db, "INSERT INTO person_fts (person_fts, rowid, name, note) VALUES ('delete', ?, ?, ?)");
#endif
  sqlite3_stmt *upd = prepare (db, "UPDATE person SET grp = ?, note = ? WHERE id = ?");
  sqlite3_stmt *fts = prepare (db, "INSERT INTO person_fts (rowid, name, note) VALUES (?, ?, ?)");
  g_autoptr(GString) note = g_string_new (NULL);
  Rng r = { 4 };
  gint64 sum = 0;
  gint64 start = g_get_monotonic_time ();

  for (gint64 i = 0; i < n; i++)
    {
      gint64 id = 1 + (gint64) rng_below (&r, (guint32) rows);
      g_autofree char *old_name = NULL;
      g_autofree char *old_note = NULL;

      if (i % UPDATE_TXN == 0)
        exec (db, "BEGIN;");
      sqlite3_bind_int64 (sel, 1, id);
      check (db, sqlite3_step (sel), SQLITE_ROW, "mix read");
      old_name = g_strdup ((const char *) sqlite3_column_text (sel, 0));
      old_note = g_strdup ((const char *) sqlite3_column_text (sel, 2));
      sum += sqlite3_column_int (sel, 1);
      sqlite3_reset (sel);

      sqlite3_bind_int64 (del, 1, id);
#ifndef BENCH_SQLCIPHER
      sqlite3_bind_text (del, 2, old_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (del, 3, old_note, -1, SQLITE_STATIC);
#endif
      check (db, sqlite3_step (del), SQLITE_DONE, "fts delete");
      sqlite3_reset (del);

      make_note (&r, note);
      sqlite3_bind_int (upd, 1, (int) rng_below (&r, 1000));
      sqlite3_bind_text (upd, 2, note->str, (int) note->len, SQLITE_STATIC);
      sqlite3_bind_int64 (upd, 3, id);
      check (db, sqlite3_step (upd), SQLITE_DONE, "update");
      sqlite3_reset (upd);

      sqlite3_bind_int64 (fts, 1, id);
      sqlite3_bind_text (fts, 2, old_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (fts, 3, note->str, (int) note->len, SQLITE_STATIC);
      check (db, sqlite3_step (fts), SQLITE_DONE, "fts reinsert");
      sqlite3_reset (fts);

      sqlite3_bind_int64 (sel, 1, 1 + (gint64) rng_below (&r, (guint32) rows));
      check (db, sqlite3_step (sel), SQLITE_ROW, "mix read");
      sum += sqlite3_column_bytes (sel, 2);
      sqlite3_reset (sel);

      if ((i + 1) % UPDATE_TXN == 0 || i + 1 == n)
        exec (db, "COMMIT;");
    }
  checkpoint (db);
  sqlite3_finalize (sel);
  sqlite3_finalize (del);
  sqlite3_finalize (upd);
  sqlite3_finalize (fts);
  *check_out = sum;
  return seconds_since (start);
}

/* The whole workload on @db, whose file is @db_path. Without @full only
 * the inserts. */
static void
run_workload (sqlite3 *db, const char *db_path, gint64 rows, gboolean full, Figures *f)
{
  double c;

  memset (f, 0, sizeof *f);
  create_schema (db);
  if (part_done)
    part_done (db, NULL);
  c = cpu_now ();
  f->insert = run_inserts (db, rows);
  f->cpu_insert = cpu_now () - c;
  if (part_done)
    part_done (db, "insert");
  f->db_bytes = file_size (db_path);
  if (full)
    {
      c = cpu_now ();
      f->read = run_reads (db, rows, rows, &f->read_check);
      f->cpu_read = cpu_now () - c;
      if (part_done)
        part_done (db, "read");
      c = cpu_now ();
      f->fts = run_fts (db, rows, MAX (rows / 100, 10), &f->fts_check);
      f->cpu_fts = cpu_now () - c;
      if (part_done)
        part_done (db, "fts");
      c = cpu_now ();
      f->mix = run_mix (db, rows, MAX (rows / 2, UPDATE_TXN), &f->mix_check);
      f->cpu_mix = cpu_now () - c;
      if (part_done)
        part_done (db, "mix");
      exec (db, "PRAGMA quick_check;");
    }
  f->have = TRUE;
}

static sqlite3 *
open_plain (const char *path)
{
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);

  check (db, rc, SQLITE_OK, path);
  return db;
}

#ifdef BENCH_SQLCIPHER

/* --- bench-vault-sqlcipher: one worker run, figures on stdout ----------- */

int
main (int argc, char **argv)
{
  gint64 rows = 100000;
  g_autofree char *dir = NULL;
  /* GOption overwrites a string's default without freeing it: none here. */
  g_autofree char *sync = NULL;
  gboolean full = TRUE, inserts_only = FALSE, no_key = FALSE;
  g_autofree char *path = NULL;
  g_autofree char *version = NULL;
  g_autoptr(GError) error = NULL;
  Figures f;
  sqlite3 *db;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT64, &rows, "Rows to insert", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "An empty folder to work in", "DIR" },
    { "sync", 0, 0, G_OPTION_ARG_STRING, &sync, "synchronous=FULL or NORMAL", "MODE" },
    { "inserts-only", 0, 0, G_OPTION_ARG_NONE, &inserts_only, "Only the inserts", NULL },
    { "no-key", 0, 0, G_OPTION_ARG_NONE, &no_key, "No key: SQLCipher's own SQLite, unencrypted", NULL },
    { "cache-kib", 0, 0, G_OPTION_ARG_INT64, &cache_kib, "Page cache in KiB", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- the vault benchmark's workload on SQLCipher");

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || dir == NULL || rows < 100)
    {
      g_printerr ("%s\n", error ? error->message : "--dir is required, --rows at least 100");
      return 2;
    }
  full = !inserts_only;
  if (sync == NULL)
    sync = g_strdup ("FULL");
  path = g_build_filename (dir, "sqlcipher.db", NULL);
  db = open_plain (path);
  /* A raw 256-bit key: no PBKDF2, the same footing as the vault's master
   * key. 4096-byte pages like the others. */
  if (!no_key)
    {
      exec (db, "PRAGMA key = \"x'4b6f6572732062656e63686d61726b206b6579206f662033322062797465732e'\";");
      exec (db, "PRAGMA cipher_page_size = 4096;");
    }
  version = query_text (db, "PRAGMA cipher_version;");
  if (version == NULL)
    g_error ("this is not SQLCipher: PRAGMA cipher_version says nothing");
  apply_pragmas (db, sync);
  run_workload (db, path, rows, full, &f);
  sqlite3_close (db);
  printf ("version %s/%s\n", version, sqlite3_libversion ());
  printf ("insert %.6f\nread %.6f\nfts %.6f\nmix %.6f\n", f.insert, f.read, f.fts, f.mix);
  printf ("cpu_insert %.6f\ncpu_read %.6f\ncpu_fts %.6f\ncpu_mix %.6f\n",
          f.cpu_insert, f.cpu_read, f.cpu_fts, f.cpu_mix);
  printf ("read_check %" G_GINT64_FORMAT "\nfts_check %" G_GINT64_FORMAT "\nmix_check %" G_GINT64_FORMAT "\n",
          f.read_check, f.fts_check, f.mix_check);
  printf ("db_bytes %" G_GINT64_FORMAT "\n", f.db_bytes);
  return 0;
}

#else /* !BENCH_SQLCIPHER */

/* --- bench-vault -------------------------------------------------------- */

#include "koers-vfs.h"
#include "koers-vault-private.h"

/* --counts: per part, SQLite's page-cache misses and writes (the reads
 * plain SQLite makes through its VFS) and what the vault's VFS did for
 * them: the reads of the file below, the pages it opened and sealed, the
 * WAL frames it tag-checked for a checkpoint. */
static void
print_part_counts (sqlite3 *db, const char *part)
{
  static KoersVfsCounts last;
  KoersVfsCounts now;
  int miss = 0, write = 0, spill = 0, hi = 0;
  enum { D = KOERS_VFS_FILE_DB, W = KOERS_VFS_FILE_WAL, J = KOERS_VFS_FILE_JOURNAL };

  sqlite3_db_status (db, SQLITE_DBSTATUS_CACHE_MISS, &miss, &hi, 1);
  sqlite3_db_status (db, SQLITE_DBSTATUS_CACHE_WRITE, &write, &hi, 1);
  sqlite3_db_status (db, SQLITE_DBSTATUS_CACHE_SPILL, &spill, &hi, 1);
  koers_vfs_get_counts (&now);
  if (part != NULL)
    {
#define DELTA(f) (now.f - last.f)
      printf ("  %-6s SQLite: %d cache misses, %d pages written, %d spilled\n", part, miss, write, spill);
      printf ("  %-6s xRead db %" G_GUINT64_FORMAT ", wal %" G_GUINT64_FORMAT ", journal %" G_GUINT64_FORMAT
              " (less than a page: db %" G_GUINT64_FORMAT ", wal %" G_GUINT64_FORMAT ")"
              "; reads below db %" G_GUINT64_FORMAT " (%" G_GUINT64_FORMAT " B), wal %" G_GUINT64_FORMAT
              " (%" G_GUINT64_FORMAT " B); writes below db %" G_GUINT64_FORMAT ", wal %" G_GUINT64_FORMAT "\n",
              "", DELTA (reads[D]), DELTA (reads[W]), DELTA (reads[J]),
              DELTA (partial_reads[D]), DELTA (partial_reads[W]),
              DELTA (below_reads[D]), DELTA (below_read_bytes[D]),
              DELTA (below_reads[W]), DELTA (below_read_bytes[W]),
              DELTA (below_writes[D]), DELTA (below_writes[W]));
      printf ("  %-6s opened db %" G_GUINT64_FORMAT ", wal %" G_GUINT64_FORMAT ", journal %" G_GUINT64_FORMAT
              "; sealed db %" G_GUINT64_FORMAT ", wal %" G_GUINT64_FORMAT ", journal %" G_GUINT64_FORMAT
              "; checkpoint tag checks %" G_GUINT64_FORMAT "; WAL checksum masks %" G_GUINT64_FORMAT
              "; frames re-read from the clear ring %" G_GUINT64_FORMAT "\n",
              "", DELTA (opened[D]), DELTA (opened[W]), DELTA (opened[J]),
              DELTA (sealed[D]), DELTA (sealed[W]), DELTA (sealed[J]),
              DELTA (verified), DELTA (checksum_masks), DELTA (plain_reused));
#undef DELTA
    }
  last = now;
}

/* Pages the vault opened in each part of its last full run. 0: SQLite's
 * page cache held every page the part read, and the part measured no
 * cipher at all, only SQLite (and the machine's noise). */
static const char *const part_names[] = { "insert", "read", "fts", "mix" };
static guint64 vault_opens[G_N_ELEMENTS (part_names)];

static guint64
total_opens (const KoersVfsCounts *c)
{
  return c->opened[KOERS_VFS_FILE_DB] + c->opened[KOERS_VFS_FILE_WAL] + c->opened[KOERS_VFS_FILE_JOURNAL];
}

static void
record_part_opens (sqlite3 *db, const char *part)
{
  static KoersVfsCounts last;
  KoersVfsCounts now;

  koers_vfs_get_counts (&now);
  for (guint i = 0; part != NULL && i < G_N_ELEMENTS (part_names); i++)
    if (g_str_equal (part, part_names[i]))
      vault_opens[i] = total_opens (&now) - total_opens (&last);
  last = now;
}

#define PASSPHRASE "correct horse battery staple"

static void
run_plain (const char *dir, gint64 rows, const char *sync, gboolean full, Figures *f)
{
  g_autofree char *path = g_build_filename (dir, "plain.db", NULL);
  sqlite3 *db = open_plain (path);

  exec (db, "PRAGMA page_size=4096;");
  apply_pragmas (db, sync);
  run_workload (db, path, rows, full, f);
  sqlite3_close (db);
}

static KoersVault *
create_vault (const char *dir, const KoersKdfParams *params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) recovery = NULL;
  KoersVault *vault = koers_vault_create (dir, "Bench", PASSPHRASE, params, &recovery, &error);

  if (vault == NULL)
    g_error ("creating a vault in %s: %s", dir, error->message);
  return vault;
}

static void
run_vault (const char *dir, gint64 rows, const char *sync, gboolean full, Figures *f)
{
  KoersKdfParams params = koers_kdf_params_minimum ();
  g_autoptr(KoersVault) vault = create_vault (dir, &params);
  sqlite3 *db = koers_vault_get_db (vault);

  apply_pragmas (db, sync);
  run_workload (db, koers_vault_get_db_path (vault), rows, full, f);
  koers_vault_lock (vault);
}

/* --- SQLCipher, through bench-vault-sqlcipher --------------------------- */

static char *
find_sqlcipher_worker (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *here = self ? g_path_get_dirname (self) : NULL;
  g_autofree char *path = here ? g_build_filename (here, "bench-vault-sqlcipher", NULL) : NULL;

  if (path && g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&path);
  return NULL;
}

static gboolean
run_sqlcipher (const char *worker, const char *dir, gint64 rows, const char *sync,
               gboolean full, gboolean keyed, Figures *f, char **version)
{
  g_autofree char *rows_arg = g_strdup_printf ("%" G_GINT64_FORMAT, rows);
  g_autofree char *cache_arg = g_strdup_printf ("%" G_GINT64_FORMAT, cache_kib);
  const char *argv[12] = { worker, "--rows", rows_arg, "--dir", dir, "--sync", sync,
                           "--cache-kib", cache_arg };
  guint argc = 9;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int status = 0;

  memset (f, 0, sizeof *f);
  if (!keyed)
    argv[argc++] = "--no-key";
  if (!full)
    argv[argc++] = "--inserts-only";
  argv[argc] = NULL;
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                     &out, NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("bench-vault-sqlcipher failed: %s\n", error->message);
      return FALSE;
    }
  lines = g_strsplit (out, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      g_auto(GStrv) kv = g_strsplit (*l, " ", 2);

      if (g_strv_length (kv) != 2)
        continue;
      if (g_str_equal (kv[0], "insert")) f->insert = g_ascii_strtod (kv[1], NULL);
      else if (g_str_equal (kv[0], "read")) f->read = g_ascii_strtod (kv[1], NULL);
      else if (g_str_equal (kv[0], "fts")) f->fts = g_ascii_strtod (kv[1], NULL);
      else if (g_str_equal (kv[0], "mix")) f->mix = g_ascii_strtod (kv[1], NULL);
      else if (g_str_equal (kv[0], "cpu_insert")) f->cpu_insert = g_ascii_strtod (kv[1], NULL);
      else if (g_str_equal (kv[0], "cpu_read")) f->cpu_read = g_ascii_strtod (kv[1], NULL);
      else if (g_str_equal (kv[0], "cpu_fts")) f->cpu_fts = g_ascii_strtod (kv[1], NULL);
      else if (g_str_equal (kv[0], "cpu_mix")) f->cpu_mix = g_ascii_strtod (kv[1], NULL);
      else if (g_str_equal (kv[0], "read_check")) f->read_check = g_ascii_strtoll (kv[1], NULL, 10);
      else if (g_str_equal (kv[0], "fts_check")) f->fts_check = g_ascii_strtoll (kv[1], NULL, 10);
      else if (g_str_equal (kv[0], "mix_check")) f->mix_check = g_ascii_strtoll (kv[1], NULL, 10);
      else if (g_str_equal (kv[0], "db_bytes")) f->db_bytes = g_ascii_strtoll (kv[1], NULL, 10);
      else if (g_str_equal (kv[0], "version") && version) *version = g_strdup (kv[1]);
    }
  f->have = f->insert > 0;
  return f->have;
}

typedef enum
{
  ENGINE_PLAIN,
  ENGINE_VAULT,
  ENGINE_SQLCIPHER,
  ENGINE_SQLCIPHER_NO_KEY,  /* SQLCipher's own SQLite, unencrypted */
} Engine;

/* One run of one engine in a fresh folder under @tmp, removed afterwards. */
static gboolean
run_engine (Engine e, const char *tmp, const char *worker, gint64 rows, const char *sync,
            gboolean full, Figures *f, char **version)
{
  static int serial;
  g_autofree char *name = g_strdup_printf ("run-%d", serial++);
  g_autofree char *dir = g_build_filename (tmp, name, NULL);
  gboolean ok = TRUE;

  if (e != ENGINE_VAULT)
    g_mkdir (dir, 0700);  /* the vault makes its own */
  switch (e)
    {
    case ENGINE_PLAIN: run_plain (dir, rows, sync, full, f); break;
    case ENGINE_VAULT: run_vault (dir, rows, sync, full, f); break;
    case ENGINE_SQLCIPHER: ok = run_sqlcipher (worker, dir, rows, sync, full, TRUE, f, version); break;
    case ENGINE_SQLCIPHER_NO_KEY: ok = run_sqlcipher (worker, dir, rows, sync, full, FALSE, f, NULL); break;
    default: g_assert_not_reached ();
    }
  bench_remove_tree (dir);
  return ok;
}

/* The best (least) time of each part over the repetitions. */
static void
keep_best (Figures *best, const Figures *f)
{
  if (!f->have)
    return;
  if (!best->have)
    {
      *best = *f;
      return;
    }
  best->insert = MIN (best->insert, f->insert);
  best->read = MIN (best->read, f->read);
  best->fts = MIN (best->fts, f->fts);
  best->mix = MIN (best->mix, f->mix);
  best->cpu_insert = MIN (best->cpu_insert, f->cpu_insert);
  best->cpu_read = MIN (best->cpu_read, f->cpu_read);
  best->cpu_fts = MIN (best->cpu_fts, f->cpu_fts);
  best->cpu_mix = MIN (best->cpu_mix, f->cpu_mix);
}

/* --- the app's write path: the store on the vault and on plain SQLite --- */

#define APP_CONVERSATIONS 10
#define APP_SAVES 200

typedef struct
{
  gboolean have;
  double   import_s;
  double   save_p50_ms, save_p95_ms;      /* begin … commit of one client's file */
  double   commit_p50_ms, commit_p95_ms;  /* the commit alone */
} AppFigures;

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile_ms (double *values, guint n, double p)
{
  qsort (values, n, sizeof (double), compare_double);
  return values[MIN ((guint) (n * p), n - 1)];
}

/* What the app does with the store: an import of @clients clients (as
 * bench-store's), then APP_SAVES saves of one client's file as the client
 * page makes them (begin, update the client, commit), each timed. */
static void
run_app_write_path (sqlite3 *db, guint clients, AppFigures *out)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersStore) store = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  double save_ms[APP_SAVES], commit_ms[APP_SAVES];
  gint64 start;

  apply_pragmas (db, "FULL");
  store = koers_store_new (db, &error);
  BENCH_CHECK (store != NULL);
  start = g_get_monotonic_time ();
  bench_clients_import (store, clients, APP_CONVERSATIONS, NULL, ids);
  out->import_s = seconds_since (start);
  for (guint i = 0; i < APP_SAVES; i++)
    {
      const char *id = ids->pdata[g_rand_int_range (rand, 0, ids->len)];
      g_autoptr (KoersClient) client = koers_store_get_client (store, id, &error);
      gint64 t0, t1;

      BENCH_CHECK (client != NULL);
      g_free (client->phone);
      client->phone = g_strdup_printf ("06-%08u", g_rand_int_range (rand, 0, 99999999));
      client->arrival_year = 2010 + (int) (i % 15);
      t0 = g_get_monotonic_time ();
      BENCH_CHECK (koers_store_begin (store, &error));
      BENCH_CHECK (koers_store_update_client (store, client, &error));
      t1 = g_get_monotonic_time ();
      BENCH_CHECK (koers_store_commit (store, &error));
      commit_ms[i] = (g_get_monotonic_time () - t1) / 1000.0;
      save_ms[i] = (g_get_monotonic_time () - t0) / 1000.0;
    }
  out->save_p50_ms = percentile_ms (save_ms, APP_SAVES, 0.5);
  out->save_p95_ms = percentile_ms (save_ms, APP_SAVES, 0.95);
  out->commit_p50_ms = percentile_ms (commit_ms, APP_SAVES, 0.5);
  out->commit_p95_ms = percentile_ms (commit_ms, APP_SAVES, 0.95);
  out->have = TRUE;
}

static void
run_app_engine (Engine e, const char *tmp, guint clients, AppFigures *f)
{
  static int serial;
  g_autofree char *name = g_strdup_printf ("app-%d", serial++);
  g_autofree char *dir = g_build_filename (tmp, name, NULL);

  if (e == ENGINE_PLAIN)
    {
      g_autofree char *path = g_build_filename (dir, "plain.db", NULL);
      sqlite3 *db;

      g_mkdir (dir, 0700);
      db = open_plain (path);
      exec (db, "PRAGMA page_size=4096;");
      run_app_write_path (db, clients, f);
      sqlite3_close (db);
    }
  else
    {
      KoersKdfParams params = koers_kdf_params_minimum ();
      g_autoptr (KoersVault) vault = create_vault (dir, &params);

      run_app_write_path (koers_vault_get_db (vault), clients, f);
      koers_vault_lock (vault);
    }
  bench_remove_tree (dir);
}

static void
keep_best_app (AppFigures *best, const AppFigures *f)
{
  if (!best->have)
    {
      *best = *f;
      return;
    }
  best->import_s = MIN (best->import_s, f->import_s);
  best->save_p50_ms = MIN (best->save_p50_ms, f->save_p50_ms);
  best->save_p95_ms = MIN (best->save_p95_ms, f->save_p95_ms);
  best->commit_p50_ms = MIN (best->commit_p50_ms, f->commit_p50_ms);
  best->commit_p95_ms = MIN (best->commit_p95_ms, f->commit_p95_ms);
}

/* --- the page cipher alone ---------------------------------------------- */

typedef struct
{
  double seal_us, open_us;
  double verify_us;  /* the tag only (koers_cipher_verify_page); 0: not measured */
} CipherCost;

static CipherCost
bench_xchacha (guint8 *page, const guint8 *key, int pages)
{
  guint32 usable = KOERS_PAGE_SIZE - KOERS_PAGE_RESERVE;
  guint8 *nonce = page + usable, *tag = nonce + KOERS_NONCE_BYTES;
  guint8 ad[36] = { 0 }, out[KOERS_PAGE_SIZE];
  CipherCost c = { 0 };
  gint64 t = g_get_monotonic_time ();

  for (int i = 0; i < pages; i++)
    {
      randombytes_buf (nonce, KOERS_NONCE_BYTES);
      crypto_aead_xchacha20poly1305_ietf_encrypt_detached (page, tag, NULL, page, usable, ad, 28,
                                                           NULL, nonce, key);
    }
  c.seal_us = (double) (g_get_monotonic_time () - t) / pages;
  /* Decrypt the same sealed page again and again, out of place. */
  t = g_get_monotonic_time ();
  for (int i = 0; i < pages; i++)
    if (crypto_aead_xchacha20poly1305_ietf_decrypt_detached (out, NULL, page, usable, tag, ad, 28,
                                                             nonce, key) != 0)
      g_error ("xchacha20poly1305 open failed");
  c.open_us = (double) (g_get_monotonic_time () - t) / pages;
  return c;
}

static CipherCost
bench_aesgcm (guint8 *page, const guint8 *key, int pages)
{
  guint32 usable = KOERS_PAGE_SIZE - 28;
  guint8 *nonce = page + usable, *tag = nonce + crypto_aead_aes256gcm_NPUBBYTES;
  guint8 ad[36] = { 0 }, out[KOERS_PAGE_SIZE];
  crypto_aead_aes256gcm_state *st = sodium_malloc (sizeof *st);
  CipherCost c = { 0 };
  gint64 t;

  crypto_aead_aes256gcm_beforenm (st, key);
  t = g_get_monotonic_time ();
  for (int i = 0; i < pages; i++)
    {
      randombytes_buf (nonce, crypto_aead_aes256gcm_NPUBBYTES);
      crypto_aead_aes256gcm_encrypt_detached_afternm (page, tag, NULL, page, usable, ad, 28,
                                                      NULL, nonce, st);
    }
  c.seal_us = (double) (g_get_monotonic_time () - t) / pages;
  t = g_get_monotonic_time ();
  for (int i = 0; i < pages; i++)
    if (crypto_aead_aes256gcm_decrypt_detached_afternm (out, NULL, page, usable, tag, ad, 28,
                                                        nonce, st) != 0)
      g_error ("aes256gcm open failed");
  c.open_us = (double) (g_get_monotonic_time () - t) / pages;
  sodium_free (st);
  return c;
}

/* The WAL checksum mask of each format, per frame header (µs). */
static void
print_mask_costs (const guint8 *key, int frames)
{
  guint8 db_id[KOERS_DB_ID_BYTES] = { 0 };
  guint8 hdr[24] = { 0, 0, 0, 3, 0, 0, 0, 0x12, 1, 2, 3, 4, 5, 6, 7, 8 };

  printf ("\nWAL frame checksum mask (%d headers, µs/header, one core):\n", frames);
  /* Format 3 has format 2's mask. */
  for (guint format = KOERS_FORMAT_BLAKE2B_MASK; format <= KOERS_FORMAT_SIPHASH_MASK; format++)
    {
      g_autoptr(KoersCipher) cipher = koers_cipher_new (key, db_id, format);
      gint64 t = g_get_monotonic_time ();

      for (int i = 0; i < frames; i++)
        koers_cipher_mask_wal_checksum (cipher, hdr, 32 + (gint64) i * (24 + KOERS_PAGE_SIZE));
      double us = (double) (g_get_monotonic_time () - t) / frames;
      g_autofree char *what = g_strdup_printf ("format %u: 4 Feistel rounds of %s", format,
                                               format == KOERS_FORMAT_BLAKE2B_MASK ? "keyed BLAKE2b"
                                                                                   : "SipHash-2-4");

      printf ("  %-44s %8.3f\n", what, us);
    }
}

/* What format 3 adds to AES-256-GCM for each page: the write key
 * (HChaCha20 of the page key over 16 nonce bytes) and its key schedule, then
 * wiping both (µs). */
static double
write_key_cost (const guint8 *key, int pages)
{
  guint8 nonce[16] = { 0 }, write_key[32];
  crypto_aead_aes256gcm_state state;
  gint64 t = g_get_monotonic_time ();

  for (int i = 0; i < pages; i++)
    {
      nonce[i % 16] ^= (guint8) i;
      crypto_core_hchacha20 (write_key, nonce, key, NULL);
      crypto_aead_aes256gcm_beforenm (&state, write_key);
      sodium_memzero (write_key, sizeof write_key);
      sodium_memzero (&state, sizeof state);
    }
  return (double) (g_get_monotonic_time () - t) / pages;
}

/* The vault's own sealing and opening of a page, in @format's page AEAD. */
static CipherCost
bench_koers_cipher (const guint8 *key, guint format, int pages)
{
  guint8 page[KOERS_PAGE_SIZE], work[KOERS_PAGE_SIZE], db_id[KOERS_DB_ID_BYTES] = { 0 };
  g_autoptr(KoersCipher) cipher = koers_cipher_new (key, db_id, format);
  CipherCost c = { 0 };
  gint64 t;

  randombytes_buf (page, sizeof page);
  t = g_get_monotonic_time ();
  for (int i = 0; i < pages; i++)
    koers_cipher_seal_page (cipher, page, KOERS_PAGE_SIZE, 2 + (guint32) (i % 1000));
  c.seal_us = (double) (g_get_monotonic_time () - t) / pages;
  koers_cipher_seal_page (cipher, page, KOERS_PAGE_SIZE, 7);
  t = g_get_monotonic_time ();
  for (int i = 0; i < pages; i++)
    {
      memcpy (work, page, sizeof page);
      if (!koers_cipher_open_page (cipher, work, KOERS_PAGE_SIZE, 7))
        g_error ("koers_cipher_open_page failed");
    }
  c.open_us = (double) (g_get_monotonic_time () - t) / pages;
  t = g_get_monotonic_time ();
  for (int i = 0; i < pages; i++)
    if (!koers_cipher_verify_page (cipher, page, KOERS_PAGE_SIZE, 7))
      g_error ("koers_cipher_verify_page failed");
  c.verify_us = (double) (g_get_monotonic_time () - t) / pages;
  return c;
}

static void
print_cipher_costs (int pages)
{
  guint8 *key = sodium_malloc (32);
  guint8 page[KOERS_PAGE_SIZE];
  CipherCost x, a;
  gint64 t;
  double rnd, copy;

  randombytes_buf (key, 32);
  randombytes_buf (page, sizeof page);
  /* warm up */
  bench_xchacha (page, key, pages / 10 + 1);
  x = bench_xchacha (page, key, pages);

  t = g_get_monotonic_time ();
  for (int i = 0; i < pages; i++)
    randombytes_buf (page + KOERS_PAGE_SIZE - 40, 24);
  rnd = (double) (g_get_monotonic_time () - t) / pages;
  {
    static guint8 other[KOERS_PAGE_SIZE];

    t = g_get_monotonic_time ();
    for (int i = 0; i < pages; i++)
      {
        memcpy (other, page, sizeof page);
        page[i % 64] ^= other[64 + i % 64];  /* keep the copy alive */
      }
    copy = (double) (g_get_monotonic_time () - t) / pages;
  }

  printf ("\nPage cipher, 4096-byte pages (%d pages, µs/page, one core):\n", pages);
  printf ("  %-44s %8s %8s %9s %8s\n", "", "seal", "open", "MB/s seal", "tag only");
  printf ("  %-44s %8.2f %8.2f %9.0f\n", "XChaCha20-Poly1305-IETF (libsodium)", x.seal_us, x.open_us,
          KOERS_PAGE_SIZE / x.seal_us);
  for (guint format = KOERS_FORMAT_SIPHASH_MASK; format <= KOERS_FORMAT_AES_GCM; format++)
    if (koers_cipher_format_is_usable (format))
      {
        CipherCost k = bench_koers_cipher (key, format, pages);
        g_autofree char *what = g_strdup_printf ("koers_cipher_seal/open_page, format %u", format);

        printf ("  %-44s %8.2f %8.2f %9.0f %8.2f\n", what, k.seal_us, k.open_us, KOERS_PAGE_SIZE / k.seal_us,
                k.verify_us);
      }
  if (crypto_aead_aes256gcm_is_available ())
    {
      bench_aesgcm (page, key, pages / 10 + 1);
      a = bench_aesgcm (page, key, pages);
      printf ("  %-44s %8.2f %8.2f %9.0f\n", "AES-256-GCM (libsodium, AES-NI)", a.seal_us, a.open_us,
              KOERS_PAGE_SIZE / a.seal_us);
    }
  else
    printf ("  %-44s %s\n", "AES-256-GCM", "not available on this CPU (libsodium needs AES-NI + CLMUL)");
  if (crypto_aead_aes256gcm_is_available ())
    printf ("  %-44s %8.2f\n", "format 3: write key (HChaCha20+schedule)", write_key_cost (key, pages));
  printf ("  %-44s %8.2f\n", "of which randombytes_buf (24-byte nonce)", rnd);
  printf ("  %-44s %8.2f\n", "memcpy of one page", copy);
  print_mask_costs (key, pages);
  sodium_free (key);
}

/* --- Argon2id ----------------------------------------------------------- */

static double
time_unlock (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) vault = koers_vault_open (dir, &error);
  gint64 t;

  if (vault == NULL)
    g_error ("%s", error->message);
  t = g_get_monotonic_time ();
  if (!koers_vault_unlock (vault, "Bench", PASSPHRASE, &error))
    g_error ("%s", error->message);
  return seconds_since (t);
}

static void
print_kdf_costs (const char *tmp)
{
  KoersKdfParams def = koers_kdf_params_default (), min = koers_kdf_params_minimum ();
  g_autofree char *dir_def = g_build_filename (tmp, "kdf-default", NULL);
  g_autofree char *dir_min = g_build_filename (tmp, "kdf-minimum", NULL);
  guint8 out[32], salt[crypto_pwhash_SALTBYTES] = { 0 };
  double create_def, create_min, unlock_def, unlock_min, direct;
  gint64 t;

  t = g_get_monotonic_time ();
  g_object_unref (create_vault (dir_def, &def));
  create_def = seconds_since (t);
  t = g_get_monotonic_time ();
  g_object_unref (create_vault (dir_min, &min));
  create_min = seconds_since (t);
  unlock_def = time_unlock (dir_def);
  unlock_min = time_unlock (dir_min);
  t = g_get_monotonic_time ();
  if (crypto_pwhash (out, sizeof out, PASSPHRASE, strlen (PASSPHRASE), salt, def.opslimit, def.memlimit,
                     crypto_pwhash_ALG_ARGON2ID13) != 0)
    g_error ("crypto_pwhash: out of memory");
  direct = seconds_since (t);

  printf ("\nArgon2id, koers_kdf_params_default() = opslimit %" G_GUINT64_FORMAT ", memlimit %" G_GSIZE_FORMAT " MiB:\n",
          def.opslimit, def.memlimit >> 20);
  printf ("  one derivation (crypto_pwhash)                %7.3f s\n", direct);
  printf ("  unlock, default params − unlock, minimum      %7.3f s   (%.3f − %.3f)\n",
          unlock_def - unlock_min, unlock_def, unlock_min);
  printf ("  create, default params − create, minimum      %7.3f s   (%.3f − %.3f; the recovery slot\n"
          "                                                            adds an INTERACTIVE derivation)\n",
          create_def - create_min, create_def, create_min);
}

/* --- the table ---------------------------------------------------------- */

static void
print_row (const char *what, double plain, double vault, double sqlc, gboolean have_sqlc, const char *target)
{
  if (have_sqlc)
    printf ("  %-34s %9.3f %9.3f %7.2f× %9.3f %7.2f×  %s\n", what, plain, vault, vault / plain,
            sqlc, sqlc / plain, target);
  else
    printf ("  %-34s %9.3f %9.3f %7.2f× %9s %8s  %s\n", what, plain, vault, vault / plain,
            "–", "–", target);
}

/* SQLCipher 3.4.1 is SQLite 3.15.2 inside, the vault runs on 3.40.1: the
 * ratios above also hold the difference between those two SQLites (and
 * FTS4 against FTS5). Here each encrypted engine is set against its own
 * SQLite without encryption (SQLCipher's run without a key): what the
 * encryption costs, and nothing else. */
static void
print_own_sqlite_ratios (const Figures *plain, const Figures *vault,
                         const Figures *sqlc_plain, const Figures *sqlc)
{
  static const char *const what[] = {
    "insert, txn of 100 (+FTS)", "point read by key, random",
    "FTS prefix query (+join)", "update mix, txn of 50 (+reads)",
  };
  const double p[] = { plain->insert, plain->read, plain->fts, plain->mix };
  const double v[] = { vault->insert, vault->read, vault->fts, vault->mix };
  const double o[] = { sqlc_plain->insert, sqlc_plain->read, sqlc_plain->fts, sqlc_plain->mix };
  const double c[] = { sqlc->insert, sqlc->read, sqlc->fts, sqlc->mix };

  printf ("\n  %-34s %9s %9s %8s %9s %9s %8s\n", "against its own SQLite (wall clock)", "3.40.1", "vault",
          "ratio", "3.15.2", "sqlcipher", "ratio");
  for (guint i = 0; i < G_N_ELEMENTS (what); i++)
    printf ("  %-34s %9.3f %9.3f %7.2f× %9.3f %9.3f %7.2f×\n", what[i], p[i], v[i], v[i] / p[i],
            o[i], c[i], c[i] / o[i]);
}

int
main (int argc, char **argv)
{
  gint64 rows = 100000, repeat = 1;
  gboolean quick = FALSE, counts = FALSE;
  gint64 vault_format = 0;
  g_autofree char *only = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *worker = NULL;
  g_autofree char *sqlc_version = NULL;
  Figures plain, vault, sqlc, plain_n, vault_n, sqlc_n, sqlc_plain;
  AppFigures app_plain = { 0 }, app_vault = { 0 };
  guint app_clients;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT64, &rows, "Rows to insert (default 100000)", "N" },
    { "cache-kib", 0, 0, G_OPTION_ARG_INT64, &cache_kib, "Page cache of each connection in KiB (default 2000)", "N" },
    { "repeat", 0, 0, G_OPTION_ARG_INT64, &repeat, "Run everything N times, keep each part's best time (default 1)", "N" },
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick, "A tiny smoke run (2000 rows, no Argon2id at full cost)", NULL },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "Run the workload on one engine only, for a profiler: plain or vault", "ENGINE" },
    { "counts", 0, 0, G_OPTION_ARG_NONE, &counts, "With --only: per part, SQLite's cache misses and the vault's reads, opens and seals", NULL },
    { "vault-format", 0, 0, G_OPTION_ARG_INT64, &vault_format, "Make the vault in format N (1: the BLAKE2b WAL checksum mask of vaults made before format 2; 2: XChaCha20-Poly1305 pages; 3: AES-256-GCM pages; default: what a new vault gets here)", "N" },
    { NULL },
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new ("- what the vault costs, against plain SQLite and SQLCipher");
  gboolean have_sqlc, have_sqlc_n;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (quick)
    rows = 2000;
  if (repeat < 1 || repeat > 100)
    {
      g_printerr ("--repeat must be between 1 and 100\n");
      return 2;
    }
  if (cache_kib < 100)
    {
      g_printerr ("--cache-kib must be at least 100\n");
      return 2;
    }
  if (rows < 100 || rows > G_MAXINT32)
    {
      g_printerr ("--rows must be between 100 and %d\n", G_MAXINT32);
      return 2;
    }
  if (vault_format != 0 && (vault_format < KOERS_FORMAT_OLDEST || vault_format > KOERS_FORMAT_NEWEST ||
                            !koers_cipher_format_is_usable ((guint) vault_format)))
    {
      g_printerr ("--vault-format must be between %d and %d, and usable here (3 needs AES-NI)\n",
                  KOERS_FORMAT_OLDEST, KOERS_FORMAT_NEWEST);
      return 2;
    }
  /* The test switch: an A/B of the two checksum masks in one run. */
  koers_vault_set_format_for_testing ((guint) vault_format);
  if (sodium_init () < 0)
    g_error ("libsodium could not start");
  setvbuf (stdout, NULL, _IOLBF, 0);

  tmp = g_dir_make_tmp ("bench-vault-XXXXXX", &error);
  if (tmp == NULL)
    g_error ("%s", error->message);
  worker = find_sqlcipher_worker ();

  printf ("koers bench-vault: %" G_GINT64_FORMAT " rows, SQLite %s, libsodium %s, work in %s\n",
          rows, sqlite3_libversion (), sodium_version_string (), tmp);
  printf ("Pragmas on every engine: page_size 4096, journal_mode WAL, secure_delete ON, temp_store MEMORY,\n"
          "  mmap_size 0, cell_size_check ON, cache_size -%" G_GINT64_FORMAT " (KiB); synchronous FULL unless noted.\n",
          cache_kib);

  if (only != NULL)
    {
      gint64 t = g_get_monotonic_time ();

      if (counts)
        part_done = print_part_counts;
      if (g_str_equal (only, "plain"))
        run_engine (ENGINE_PLAIN, tmp, NULL, rows, "FULL", TRUE, &plain, NULL);
      else if (g_str_equal (only, "vault"))
        run_engine (ENGINE_VAULT, tmp, NULL, rows, "FULL", TRUE, &vault, NULL);
      else
        g_error ("--only takes plain or vault");
      {
        const Figures *f = g_str_equal (only, "plain") ? &plain : &vault;

        printf ("%s: insert %.3f s, read %.3f s, fts %.3f s, mix %.3f s; %.3f s in all\n",
                only, f->insert, f->read, f->fts, f->mix, seconds_since (t));
        printf ("%s CPU: insert %.3f s, read %.3f s, fts %.3f s, mix %.3f s\n",
                only, f->cpu_insert, f->cpu_read, f->cpu_fts, f->cpu_mix);
      }
      bench_remove_tree (tmp);
      return 0;
    }

  memset (&plain, 0, sizeof plain);
  vault = sqlc = plain_n = vault_n = sqlc_n = sqlc_plain = plain;
  app_clients = quick ? 200 : (guint) MAX (rows / 50, 200);
  /* The engines take turns, so that whatever else the machine does falls
   * on all of them alike. */
  for (gint64 r = 0; r < repeat; r++)
    {
      Figures f;

      if (repeat > 1)
        printf ("  run %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT "\n", r + 1, repeat);
      run_engine (ENGINE_PLAIN, tmp, NULL, rows, "FULL", TRUE, &f, NULL);
      keep_best (&plain, &f);
      part_done = record_part_opens;
      run_engine (ENGINE_VAULT, tmp, NULL, rows, "FULL", TRUE, &f, NULL);
      part_done = NULL;
      keep_best (&vault, &f);
      if (worker && run_engine (ENGINE_SQLCIPHER, tmp, worker, rows, "FULL", TRUE, &f,
                                sqlc_version ? NULL : &sqlc_version))
        keep_best (&sqlc, &f);
      if (worker && run_engine (ENGINE_SQLCIPHER_NO_KEY, tmp, worker, rows, "FULL", TRUE, &f, NULL))
        keep_best (&sqlc_plain, &f);
      run_engine (ENGINE_PLAIN, tmp, NULL, rows, "NORMAL", FALSE, &f, NULL);
      keep_best (&plain_n, &f);
      run_engine (ENGINE_VAULT, tmp, NULL, rows, "NORMAL", FALSE, &f, NULL);
      keep_best (&vault_n, &f);
      {
        AppFigures a = { 0 };

        run_app_engine (ENGINE_PLAIN, tmp, app_clients, &a);
        keep_best_app (&app_plain, &a);
        run_app_engine (ENGINE_VAULT, tmp, app_clients, &a);
        keep_best_app (&app_vault, &a);
      }
      if (worker && run_engine (ENGINE_SQLCIPHER, tmp, worker, rows, "NORMAL", FALSE, &f, NULL))
        keep_best (&sqlc_n, &f);
    }
  have_sqlc = sqlc.have;
  have_sqlc_n = sqlc_n.have;

  printf ("Database after the inserts: plain %.1f MB, vault %.1f MB", plain.db_bytes / 1e6, vault.db_bytes / 1e6);
  if (have_sqlc)
    printf (", SQLCipher %.1f MB", sqlc.db_bytes / 1e6);
  printf (" (page cache %.1f MB)\n", cache_kib * 1024 / 1e6);
  if (have_sqlc)
    printf ("SQLCipher: %s (cipher/SQLite); it has no FTS5, so its FTS table is FTS4.\n", sqlc_version);
  else
    printf ("SQLCipher: %s\n", worker ? "its run failed (see above)"
                                      : "not built (install libsqlcipher-dev and reconfigure)");

  printf ("\n  %-34s %9s %9s %8s %9s %8s  %s\n", "wall-clock seconds", "plain", "vault", "ratio",
          "sqlcipher", "ratio", "target");
  print_row ("insert, txn of 100 (+FTS)", plain.insert, vault.insert, sqlc.insert, have_sqlc, "≤ 1.30×");
  print_row ("point read by key, random", plain.read, vault.read, sqlc.read, have_sqlc, "≤ 1.10×");
  print_row ("FTS prefix query (+join)", plain.fts, vault.fts, sqlc.fts, have_sqlc, "≤ 1.10×");
  print_row ("update mix, txn of 50 (+reads)", plain.mix, vault.mix, sqlc.mix, have_sqlc, "≤ 1.30×");
  print_row ("insert, synchronous=NORMAL", plain_n.insert, vault_n.insert, sqlc_n.insert, have_sqlc_n, "");
  printf ("  pages the vault opened: insert %" G_GUINT64_FORMAT ", read %" G_GUINT64_FORMAT ", fts %"
          G_GUINT64_FORMAT ", mix %" G_GUINT64_FORMAT " (0: the part ran from SQLite's page cache, no cipher in it)\n",
          vault_opens[0], vault_opens[1], vault_opens[2], vault_opens[3]);
  printf ("\n  %-34s %9s %9s %8s %9s %8s  %s\n", "CPU seconds (user+sys)", "plain", "vault", "ratio",
          "sqlcipher", "ratio", "target");
  print_row ("insert, txn of 100 (+FTS)", plain.cpu_insert, vault.cpu_insert, sqlc.cpu_insert, have_sqlc, "≤ 1.30×");
  print_row ("point read by key, random", plain.cpu_read, vault.cpu_read, sqlc.cpu_read, have_sqlc, "≤ 1.10×");
  print_row ("FTS prefix query (+join)", plain.cpu_fts, vault.cpu_fts, sqlc.cpu_fts, have_sqlc, "≤ 1.10×");
  print_row ("update mix, txn of 50 (+reads)", plain.cpu_mix, vault.cpu_mix, sqlc.cpu_mix, have_sqlc, "≤ 1.30×");
  print_row ("insert, synchronous=NORMAL", plain_n.cpu_insert, vault_n.cpu_insert, sqlc_n.cpu_insert, have_sqlc_n, "");
  if (have_sqlc && sqlc_plain.have)
    print_own_sqlite_ratios (&plain, &vault, &sqlc_plain, &sqlc);
  printf ("\n  %-34s %9s %9s %8s %9s %8s  %s\n", "the app's write path (koers-store)", "plain", "vault", "ratio",
          "", "", "");
  {
    g_autofree char *what = g_strdup_printf ("import, %u clients × %d (s)", app_clients, APP_CONVERSATIONS);

    print_row (what, app_plain.import_s, app_vault.import_s, 0, FALSE, "");
  }
  print_row ("save a client's file, p50 (ms)", app_plain.save_p50_ms, app_vault.save_p50_ms, 0, FALSE, "");
  print_row ("save a client's file, p95 (ms)", app_plain.save_p95_ms, app_vault.save_p95_ms, 0, FALSE, "");
  print_row ("  its commit (sync FULL), p50 (ms)", app_plain.commit_p50_ms, app_vault.commit_p50_ms, 0, FALSE, "");
  print_row ("  its commit (sync FULL), p95 (ms)", app_plain.commit_p95_ms, app_vault.commit_p95_ms, 0, FALSE, "");
  printf ("\n  vault insert, synchronous FULL / NORMAL: %.3f s / %.3f s = %.2f×  (plain: %.2f×)\n",
          vault.insert, vault_n.insert, vault.insert / vault_n.insert, plain.insert / plain_n.insert);
  if (repeat > 1)
    printf ("  each figure the best of %" G_GINT64_FORMAT " runs\n", repeat);
  printf ("  per workload: %" G_GINT64_FORMAT " inserts, %" G_GINT64_FORMAT " point reads, %" G_GINT64_FORMAT
          " FTS queries, %" G_GINT64_FORMAT " updates\n",
          rows, rows, MAX (rows / 100, 10), MAX (rows / 2, UPDATE_TXN));

  if (plain.read_check != vault.read_check || plain.fts_check != vault.fts_check ||
      plain.mix_check != vault.mix_check)
    g_error ("plain SQLite and the vault did different work: checks differ");
  if (have_sqlc && (plain.read_check != sqlc.read_check || plain.fts_check != sqlc.fts_check ||
                    plain.mix_check != sqlc.mix_check))
    printf ("  note: SQLCipher's results differ from plain SQLite's (FTS4 vs FTS5)\n");
  printf ("  same results on every engine: %" G_GINT64_FORMAT " FTS matches in all\n", plain.fts_check);

  print_cipher_costs (quick ? 2000 : 200000);
  if (!quick)
    print_kdf_costs (tmp);
  else
    printf ("\nArgon2id at default cost: skipped in --quick\n");

  bench_remove_tree (tmp);
  return 0;
}

#endif /* BENCH_SQLCIPHER */
