/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Key slots: people, the recovery key, passphrase changes that leave the
 * database alone, names in any script, a damaged key file, the KDF's cost,
 * rekey (and a rekey cut short at each step), and backups. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include "vault-fixture.h"
#include "koers-vault-private.h"
#include "koers-cipher.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#define MARKER     "Zq7SlotsMarkerHaileselassie"
#define ROWS       500
#define PS         4096

/* --- helpers ---------------------------------------------------------- */

static void
fill (KoersVault *vault)
{
  vault_fixture_exec (vault,
                      "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL);"
                      "CREATE INDEX note_body ON note (body);"
                      "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < "
                      G_STRINGIFY (ROWS) ")"
                      "  INSERT INTO note SELECT i, '" MARKER "' || i || hex(randomblob(50)) FROM c;");
}

static void
slots_set_up (VaultFixture *fx, gconstpointer data)
{
  vault_fixture_set_up (fx, data);
  fill (fx->vault);
}

/* A digest of the rows, to compare two copies of the data. */
static char *
rows_digest (KoersVault *vault)
{
  sqlite3_stmt *stmt = NULL;
  GChecksum *sum = g_checksum_new (G_CHECKSUM_SHA256);
  char *out;

  g_assert_cmpint (sqlite3_prepare_v2 (koers_vault_get_db (vault), "SELECT id, body FROM note ORDER BY id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_checksum_update (sum, sqlite3_column_text (stmt, 1), sqlite3_column_bytes (stmt, 1));
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  sqlite3_finalize (stmt);
  out = g_strdup (g_checksum_get_string (sum));
  g_checksum_free (sum);
  return out;
}

static gint64
row_count (KoersVault *vault)
{
  return vault_fixture_query_int (vault, "SELECT count(*) FROM note");
}

/* Replaces fx->vault by the vault in @dir unlocked as @name (recovery key
 * when @name is NULL). On failure fx->vault is left locked. */
static gboolean
try_unlock (VaultFixture *fx, const char *dir, const char *name, const char *secret, GError **error)
{
  g_autoptr(GError) local = NULL;

  g_clear_object (&fx->vault);
  fx->vault = koers_vault_open (dir, &local);
  g_assert_no_error (local);
  return name ? koers_vault_unlock (fx->vault, name, secret, error)
              : koers_vault_unlock_with_recovery_key (fx->vault, secret, error);
}

static void
assert_unlocks (VaultFixture *fx, const char *dir, const char *name, const char *secret)
{
  g_autoptr(GError) error = NULL;

  if (!try_unlock (fx, dir, name, secret, &error))
    g_error ("“%s” should open the vault: %s", name ? name : "recovery key", error->message);
  g_assert_cmpint (row_count (fx->vault), ==, ROWS);
}

static void
assert_refused (VaultFixture *fx, const char *dir, const char *name, const char *secret)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (try_unlock (fx, dir, name, secret, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE);
  g_assert_false (koers_vault_is_unlocked (fx->vault));
}

static KoersKdfParams
fast (void)
{
  return koers_kdf_params_minimum ();
}

static void
checkpoint (KoersVault *vault)
{
  vault_fixture_exec (vault, "PRAGMA wal_checkpoint(TRUNCATE);");
}

static gboolean
strv_has (char **strv, const char *s)
{
  return strv && g_strv_contains ((const char * const *) strv, s);
}

/* --- people ----------------------------------------------------------- */

static void
test_two_people (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_autofree char *digest = rows_digest (fx->vault);
  g_autofree char *other = NULL;
  KoersKdfParams kdf = fast ();

  g_assert_true (koers_vault_add_slot (fx->vault, "Bereket", "injera at noon", &kdf, &error));
  g_assert_no_error (error);
  g_clear_object (&fx->vault);
  fx->vault = koers_vault_open (fx->dir, &error);
  g_assert_no_error (error);
  names = koers_vault_list_slots (fx->vault);  /* while locked */
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, FIXTURE_NAME);
  g_assert_cmpstr (names[1], ==, "Bereket");
  assert_unlocks (fx, fx->dir, "Bereket", "injera at noon");
  g_assert_cmpstr (koers_vault_get_unlocked_by (fx->vault), ==, "Bereket");
  other = rows_digest (fx->vault);
  g_assert_cmpstr (other, ==, digest);
  /* What Bereket writes, Amira reads. */
  vault_fixture_exec (fx->vault, "UPDATE note SET body = 'by Bereket' WHERE id = 1;");
  assert_unlocks (fx, fx->dir, FIXTURE_NAME, FIXTURE_PASSPHRASE);
  g_assert_cmpint (vault_fixture_query_int (fx->vault, "SELECT count(*) FROM note WHERE body = 'by Bereket'"), ==, 1);
  /* One person's passphrase is not another's. */
  assert_refused (fx, fx->dir, "Bereket", FIXTURE_PASSPHRASE);
  assert_refused (fx, fx->dir, FIXTURE_NAME, "injera at noon");
}

static void
test_removed_slot (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  KoersKdfParams kdf = fast ();

  g_assert_true (koers_vault_add_slot (fx->vault, "Bereket", "injera at noon", &kdf, &error));
  g_assert_true (koers_vault_add_slot (fx->vault, "Chen", "green tea", &kdf, &error));
  g_assert_true (koers_vault_remove_slot (fx->vault, "Bereket", &error));
  g_assert_no_error (error);
  assert_refused (fx, fx->dir, "Bereket", "injera at noon");
  names = koers_vault_list_slots (fx->vault);
  g_assert_false (strv_has (names, "Bereket"));
  g_assert_true (strv_has (names, "Chen"));
  assert_unlocks (fx, fx->dir, "Chen", "green tea");
  g_assert_false (koers_vault_remove_slot (fx->vault, "Bereket", &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_NO_SUCH_SLOT);
}

static void
test_recovery_key (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sloppy = g_ascii_strdown (fx->recovery_key, -1);
  g_autofree char *spaced = NULL;
  g_autofree char *wrong = g_strdup (fx->recovery_key);
  char *dir = fx->dir;

  g_test_message ("recovery key: %zu characters", strlen (fx->recovery_key));
  g_assert_cmpuint (strlen (fx->recovery_key), ==, 47);
  assert_unlocks (fx, dir, NULL, fx->recovery_key);
  g_assert_null (koers_vault_get_unlocked_by (fx->vault));
  /* Typed in lower case, with spaces for dashes, and padded. */
  g_strdelimit (sloppy, "-", ' ');
  spaced = g_strdup_printf ("  %s \n", sloppy);
  assert_unlocks (fx, dir, NULL, spaced);
  /* Without any separators. */
  {
    g_autoptr(GString) bare = g_string_new (NULL);
    for (const char *p = fx->recovery_key; *p; p++)
      if (*p != '-')
        g_string_append_c (bare, *p);
    assert_unlocks (fx, dir, NULL, bare->str);
  }
  /* One character off: a well-formed key that opens nothing. */
  wrong[0] = wrong[0] == 'A' ? 'B' : 'A';
  assert_refused (fx, dir, NULL, wrong);
  /* Not a recovery key at all. */
  g_assert_false (try_unlock (fx, dir, NULL, "hello", &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  /* A reset makes the old key useless and the new one work. */
  assert_unlocks (fx, dir, FIXTURE_NAME, FIXTURE_PASSPHRASE);
  {
    g_autoptr(KoersVaultSecret) fresh = NULL;

    g_assert_true (koers_vault_reset_recovery_key (fx->vault, &fresh, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (fresh, !=, fx->recovery_key);
    assert_refused (fx, dir, NULL, fx->recovery_key);
    assert_unlocks (fx, dir, NULL, fresh);
  }
}

/* --- passphrases ------------------------------------------------------ */

static void
test_change_passphrase_locked (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = vault_fixture_path (fx, "koers.db");
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  KoersKdfParams kdf = fast ();

  g_clear_object (&fx->vault);  /* checkpoints and closes */
  before = read_file_bytes (db);
  fx->vault = koers_vault_open (fx->dir, &error);
  g_assert_no_error (error);
  g_assert_false (koers_vault_change_passphrase (fx->vault, FIXTURE_NAME, "not it", "new one", &kdf, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  g_assert_true (koers_vault_change_passphrase (fx->vault, FIXTURE_NAME, FIXTURE_PASSPHRASE,
                                                "a new and long passphrase", &kdf, &error));
  g_assert_no_error (error);
  g_assert_false (koers_vault_is_unlocked (fx->vault));
  after = read_file_bytes (db);
  g_assert_true (g_bytes_equal (before, after));
  assert_refused (fx, fx->dir, FIXTURE_NAME, FIXTURE_PASSPHRASE);
  assert_unlocks (fx, fx->dir, FIXTURE_NAME, "a new and long passphrase");
}

static void
test_change_passphrase_unlocked (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = vault_fixture_path (fx, "koers.db");
  g_autofree char *wal = vault_fixture_path (fx, "koers.db-wal");
  g_autoptr(GBytes) before = NULL, wal_before = NULL;
  g_autoptr(GBytes) after = NULL, wal_after = NULL;
  KoersKdfParams kdf = fast ();

  checkpoint (fx->vault);
  before = read_file_bytes (db);
  wal_before = read_file_bytes (wal);
  g_assert_true (koers_vault_change_passphrase (fx->vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, "second", &kdf, &error));
  g_assert_no_error (error);
  g_assert_true (koers_vault_is_unlocked (fx->vault));
  after = read_file_bytes (db);
  wal_after = read_file_bytes (wal);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_true (g_bytes_equal (wal_before, wal_after));
  assert_refused (fx, fx->dir, FIXTURE_NAME, FIXTURE_PASSPHRASE);
  assert_unlocks (fx, fx->dir, FIXTURE_NAME, "second");
}

/* A coordinator's reset (or after unlocking with the recovery key). */
static void
test_set_passphrase (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = vault_fixture_path (fx, "koers.db");
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  KoersKdfParams kdf = fast ();

  g_assert_true (koers_vault_add_slot (fx->vault, "Bereket", "injera at noon", &kdf, &error));
  checkpoint (fx->vault);
  before = read_file_bytes (db);
  g_assert_true (koers_vault_set_passphrase (fx->vault, "Bereket", "reset by Amira", &kdf, &error));
  g_assert_no_error (error);
  after = read_file_bytes (db);
  g_assert_true (g_bytes_equal (before, after));
  assert_refused (fx, fx->dir, "Bereket", "injera at noon");
  assert_unlocks (fx, fx->dir, "Bereket", "reset by Amira");
  /* After the recovery key, Amira's forgotten passphrase is set anew. */
  assert_unlocks (fx, fx->dir, NULL, fx->recovery_key);
  g_assert_true (koers_vault_set_passphrase (fx->vault, FIXTURE_NAME, "remembered now", &kdf, &error));
  g_assert_no_error (error);
  assert_refused (fx, fx->dir, FIXTURE_NAME, FIXTURE_PASSPHRASE);
  assert_unlocks (fx, fx->dir, FIXTURE_NAME, "remembered now");
  /* Locked, nobody can set one. */
  g_clear_object (&fx->vault);
  fx->vault = koers_vault_open (fx->dir, &error);
  g_assert_false (koers_vault_set_passphrase (fx->vault, FIXTURE_NAME, "sneaky", &kdf, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_LOCKED);
}

static void
test_rename (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  g_assert_true (koers_vault_rename_slot (fx->vault, FIXTURE_NAME, "Amira T.", &error));
  g_assert_no_error (error);
  names = koers_vault_list_slots (fx->vault);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, "Amira T.");
  assert_refused (fx, fx->dir, FIXTURE_NAME, FIXTURE_PASSPHRASE);
  assert_unlocks (fx, fx->dir, "Amira T.", FIXTURE_PASSPHRASE);
  g_assert_false (koers_vault_rename_slot (fx->vault, "Nobody", "Somebody", &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_NO_SUCH_SLOT);
}

static void
test_refusals (VaultFixture *fx, gconstpointer data)
{
  static const char *const bad_names[] = { "", "Amira\nBereket", "line\r", "tab\tname", " leading", "bell\a" };
  g_autoptr(GError) error = NULL;
  KoersKdfParams kdf = fast ();

  g_assert_false (koers_vault_add_slot (fx->vault, FIXTURE_NAME, "another", &kdf, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_SLOT_EXISTS);
  g_clear_error (&error);
  g_assert_false (koers_vault_remove_slot (fx->vault, FIXTURE_NAME, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID);
  g_test_message ("last person: %s", error->message);
  g_clear_error (&error);
  g_assert_false (koers_vault_add_slot (fx->vault, "Bereket", "", &kdf, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (koers_vault_set_passphrase (fx->vault, FIXTURE_NAME, "", &kdf, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (koers_vault_change_passphrase (fx->vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, "", &kdf, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID);
  g_clear_error (&error);
  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_assert_false (koers_vault_add_slot (fx->vault, bad_names[i], "a passphrase", &kdf, &error));
      g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_false (koers_vault_rename_slot (fx->vault, FIXTURE_NAME, bad_names[i], &error));
      g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_true (koers_vault_add_slot (fx->vault, "Bereket", "injera at noon", &kdf, &error));
  g_assert_false (koers_vault_rename_slot (fx->vault, "Bereket", FIXTURE_NAME, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_SLOT_EXISTS);
  g_clear_error (&error);
  /* Creating a vault refuses the same. */
  {
    g_autofree char *dir = g_build_filename (fx->dir, "second", NULL);
    g_autofree char *rk = NULL;
    KoersVault *v = koers_vault_create (dir, "Chen", "", &kdf, &rk, &error);

    g_assert_null (v);
    g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID);
    g_clear_error (&error);
    v = koers_vault_create (dir, "Chen\n", "green tea", &kdf, &rk, &error);
    g_assert_null (v);
    g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID);
    g_clear_error (&error);
    v = koers_vault_create (fx->dir, "Chen", "green tea", &kdf, &rk, &error);
    g_assert_null (v);
    g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_EXISTS);
    g_clear_error (&error);
  }
  /* Nothing above changed who can open it. */
  {
    g_auto(GStrv) names = koers_vault_list_slots (fx->vault);
    g_assert_cmpuint (g_strv_length (names), ==, 2);
  }
  g_clear_object (&fx->vault);
  fx->vault = koers_vault_open (fx->dir, &error);
  g_assert_false (koers_vault_add_slot (fx->vault, "Dawit", "locked", &kdf, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_LOCKED);
}

/* Names and passphrases in Arabic, Tigrinya (Ge'ez script) and Farsi. */
static void
test_scripts (VaultFixture *fx, gconstpointer data)
{
  static const char *const people[][2] = {
    { "أمينة الحسيني", "كلمة السر طويلة جدا" },
    { "ሚካኤል ተስፋጽዮን", "ሓደ ክልተ ሰለስተ ኣርባዕተ" },
    { "پریسا رضایی", "گذرواژه من چهار کلمه است" },
  };
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  KoersKdfParams kdf = fast ();

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_assert_true (koers_vault_add_slot (fx->vault, people[i][0], people[i][1], &kdf, &error));
      g_assert_no_error (error);
    }
  g_assert_false (koers_vault_add_slot (fx->vault, people[1][0], "x", &kdf, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_SLOT_EXISTS);
  g_clear_error (&error);
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      assert_unlocks (fx, fx->dir, people[i][0], people[i][1]);
      g_assert_cmpstr (koers_vault_get_unlocked_by (fx->vault), ==, people[i][0]);
    }
  names = koers_vault_list_slots (fx->vault);
  g_assert_cmpuint (g_strv_length (names), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    g_assert_cmpstr (names[i + 1], ==, people[i][0]);
  /* Renamed from one script to another. */
  g_assert_true (koers_vault_rename_slot (fx->vault, people[0][0], "آمنه", &error));
  g_assert_no_error (error);
  assert_unlocks (fx, fx->dir, "آمنه", people[0][1]);
  assert_refused (fx, fx->dir, people[0][0], people[0][1]);
}

/* --- the key file ----------------------------------------------------- */

/* Changes one hex character of @key in [current slot @slot] of koers.keys. */
static void
flip_hex_in_keyfile (VaultFixture *fx, guint slot, const char *key)
{
  g_autofree char *path = vault_fixture_path (fx, "koers.keys");
  g_autofree char *group = g_strdup_printf ("[current slot %u]", slot);
  g_autofree char *needle = g_strdup_printf ("\n%s=", key);
  g_autofree char *text = NULL;
  char *at;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  at = strstr (text, group);
  g_assert_nonnull (at);
  at = strstr (at, needle);
  g_assert_nonnull (at);
  at += strlen (needle) + 5;
  *at = *at == '0' ? '1' : '0';
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

static void
test_keyfile_flipped_hex (VaultFixture *fx, gconstpointer data)
{
  static const char *const keys[] = { "wrapped", "nonce", "salt" };
  g_autofree char *path = vault_fixture_path (fx, "koers.keys");
  g_autoptr(GBytes) good = read_file_bytes (path);

  g_clear_object (&fx->vault);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      flip_hex_in_keyfile (fx, 1, keys[i]);
      assert_refused (fx, fx->dir, FIXTURE_NAME, FIXTURE_PASSPHRASE);
      write_file_bytes (path, good);
    }
  /* The recovery slot is slot 2. */
  flip_hex_in_keyfile (fx, 2, "wrapped");
  assert_refused (fx, fx->dir, NULL, fx->recovery_key);
  assert_unlocks (fx, fx->dir, FIXTURE_NAME, FIXTURE_PASSPHRASE);
}

static void
expect_open_error (VaultFixture *fx, const char *contents, gint code)
{
  g_autofree char *path = vault_fixture_path (fx, "koers.keys");
  g_autoptr(GError) error = NULL;
  KoersVault *vault;

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  vault = koers_vault_open (fx->dir, &error);
  g_assert_null (vault);
  g_assert_error (error, KOERS_VAULT_ERROR, code);
  g_test_message ("%s", error->message);
}

static void
test_keyfile_damaged (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *path = vault_fixture_path (fx, "koers.keys");
  g_autofree char *text = NULL;
  g_autofree char *future = NULL;
  g_autofree char *no_slots = NULL;
  guint8 junk[700];

  g_clear_object (&fx->vault);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  randombytes_buf (junk, sizeof junk);
  junk[sizeof junk - 1] = 0;
  expect_open_error (fx, (const char *) junk, KOERS_VAULT_ERROR_CORRUPT);
  expect_open_error (fx, "", KOERS_VAULT_ERROR_CORRUPT);
  expect_open_error (fx, "[vault]\nformat=1\npage-reserve=40\n", KOERS_VAULT_ERROR_CORRUPT);
  /* Cut in half. */
  {
    g_autofree char *half = g_strndup (text, strlen (text) / 2);
    g_autofree char *cut = g_strndup (half, strrchr (half, '\n') - half);
    expect_open_error (fx, cut, KOERS_VAULT_ERROR_CORRUPT);
  }
  {
    g_autofree char *now = g_strdup_printf ("format=%u\n", koers_cipher_format_for_new_vault ());
    g_autofree char *next = g_strdup_printf ("format=%d\n", KOERS_FORMAT_NEWEST + 1);
    g_auto(GStrv) parts = NULL;

    g_assert_nonnull (strstr (text, now));
    parts = g_strsplit (text, now, 2);
    future = g_strjoinv (next, parts);
  }
  expect_open_error (fx, future, KOERS_VAULT_ERROR_FORMAT);
  g_unlink (path);
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (koers_vault_open (fx->dir, &error));
    g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_NOT_FOUND);
  }
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  assert_unlocks (fx, fx->dir, FIXTURE_NAME, FIXTURE_PASSPHRASE);
}

/* --- the cost of the KDF ---------------------------------------------- */

/* One Argon2id derivation with the default parameters, measured once.
 * The bounds apply to the CPU time of this thread, which other tests
 * running beside it (meson runs them in parallel) do not inflate; the
 * wall-clock time is printed too. */
static double
thread_cpu_seconds (void)
{
  struct timespec ts;

  g_assert_cmpint (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts), ==, 0);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
test_kdf_default_cost (void)
{
  KoersKdfParams kdf = koers_kdf_params_default ();
  guint8 salt[crypto_pwhash_SALTBYTES] = { 0 };
  guint8 key[32];
  gint64 start;
  double cpu_start, wall, cpu;

  g_assert_cmpint (sodium_init (), >=, 0);
  start = g_get_monotonic_time ();
  cpu_start = thread_cpu_seconds ();
  g_assert_cmpint (crypto_pwhash (key, sizeof key, FIXTURE_PASSPHRASE, strlen (FIXTURE_PASSPHRASE), salt,
                                  kdf.opslimit, kdf.memlimit, crypto_pwhash_ALG_ARGON2ID13), ==, 0);
  cpu = thread_cpu_seconds () - cpu_start;
  wall = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("one Argon2id derivation, default parameters (opslimit %" G_GUINT64_FORMAT
                  ", memlimit %zu MiB): %.3f s (%.3f s of CPU)", kdf.opslimit, kdf.memlimit >> 20,
                  wall, cpu);
  g_assert_cmpfloat (wall, >=, 0.3);
  g_assert_cmpfloat (cpu, >=, 0.3);
  g_assert_cmpfloat (cpu, <=, 2.0);
}

/* --- rekey ------------------------------------------------------------ */

static GHashTable *
page_set (GBytes *file)
{
  GHashTable *set = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, NULL);
  gsize len = g_bytes_get_size (file);

  for (gsize off = 0; off + PS <= len; off += PS)
    g_hash_table_add (set, g_bytes_new_from_bytes (file, off, PS));
  return set;
}

static void
test_rekey (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db = vault_fixture_path (fx, "koers.db");
  g_autofree char *keys = vault_fixture_path (fx, "koers.keys");
  g_autofree char *digest = rows_digest (fx->vault);
  g_autofree char *after_digest = NULL;
  g_autoptr(KoersVaultSecret) fresh = NULL;
  g_autoptr(GHashTable) old_pages = NULL;
  g_autoptr(GBytes) old_keys = NULL;
  g_autoptr(GBytes) new_db = NULL;
  g_auto(GStrv) dropped = NULL;
  g_auto(GStrv) names = NULL;
  KoersKdfParams kdf = fast ();
  guint equal = 0;

  g_assert_true (koers_vault_add_slot (fx->vault, "Bereket", "injera at noon", &kdf, &error));
  g_assert_true (koers_vault_add_slot (fx->vault, "Chen", "green tea", &kdf, &error));
  checkpoint (fx->vault);
  {
    g_autoptr(GBytes) old_db = read_file_bytes (db);
    old_pages = page_set (old_db);
  }
  old_keys = read_file_bytes (keys);
  g_assert_true (koers_vault_rekey (fx->vault, &fresh, &dropped, &error));
  g_assert_no_error (error);
  g_assert_nonnull (fresh);
  g_assert_cmpstr (fresh, !=, fx->recovery_key);
  g_assert_true (koers_vault_is_unlocked (fx->vault));
  g_assert_cmpstr (koers_vault_get_unlocked_by (fx->vault), ==, FIXTURE_NAME);
  g_assert_cmpuint (g_strv_length (dropped), ==, 2);
  g_assert_true (strv_has (dropped, "Bereket"));
  g_assert_true (strv_has (dropped, "Chen"));
  names = koers_vault_list_slots (fx->vault);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, FIXTURE_NAME);
  after_digest = rows_digest (fx->vault);
  g_assert_cmpstr (after_digest, ==, digest);
  g_assert_true (koers_vault_verify (fx->vault, &error));
  g_assert_no_error (error);

  /* Every page is new ciphertext. */
  checkpoint (fx->vault);
  new_db = read_file_bytes (db);
  for (gsize off = 0; off + PS <= g_bytes_get_size (new_db); off += PS)
    {
      g_autoptr(GBytes) page = g_bytes_new_from_bytes (new_db, off, PS);
      equal += g_hash_table_contains (old_pages, page);
    }
  g_assert_cmpuint (equal, ==, 0);
  {
    g_autofree char *leftover = vault_fixture_path (fx, "koers.db.rekey");
    g_assert_false (g_file_test (leftover, G_FILE_TEST_EXISTS));
  }

  assert_unlocks (fx, fx->dir, FIXTURE_NAME, FIXTURE_PASSPHRASE);
  assert_unlocks (fx, fx->dir, NULL, fresh);
  assert_refused (fx, fx->dir, NULL, fx->recovery_key);
  assert_refused (fx, fx->dir, "Bereket", "injera at noon");
  assert_refused (fx, fx->dir, "Chen", "green tea");

  /* An old copy of koers.keys with an old passphrase opens nothing. */
  g_clear_object (&fx->vault);
  write_file_bytes (keys, old_keys);
  {
    static const char *const who[][2] = { { "Bereket", "injera at noon" }, { FIXTURE_NAME, FIXTURE_PASSPHRASE } };

    for (guint i = 0; i < G_N_ELEMENTS (who); i++)
      {
        g_assert_false (try_unlock (fx, fx->dir, who[i][0], who[i][1], &error));
        g_test_message ("old key file, %s: %s", who[i][0], error->message);
        g_clear_error (&error);
      }
    g_assert_false (try_unlock (fx, fx->dir, NULL, fx->recovery_key, &error));
    g_clear_error (&error);
  }
}

static void
test_rekey_needs_a_person (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rk = NULL;

  assert_unlocks (fx, fx->dir, NULL, fx->recovery_key);
  g_assert_false (koers_vault_rekey (fx->vault, &rk, NULL, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_INVALID);
  g_assert_null (rk);
  assert_unlocks (fx, fx->dir, FIXTURE_NAME, FIXTURE_PASSPHRASE);
}

/* A copy of the vault in @dir, in a new temporary folder. */
static char *
copy_vault_dir (const char *dir)
{
  g_autoptr(GError) error = NULL;
  char *copy = g_dir_make_tmp ("koers-rekey-XXXXXX", &error);

  g_assert_no_error (error);
  vault_fixture_copy (dir, copy);
  return copy;
}

static void
copy_at_rekey_point (KoersVault *vault, const char *point, gpointer data)
{
  GHashTable *copies = data;

  g_test_message ("rekey reached %s", point);
  g_hash_table_insert (copies, g_strdup (point), copy_vault_dir (koers_vault_get_dir (vault)));
}

/* A rekey cut short at each step (the folder copied there, as a crash
 * would leave it) opens to whole data with the right generation's keys. */
static void
test_rekey_interrupted (VaultFixture *fx, gconstpointer data)
{
  static const struct { const char *point; gboolean new_generation; } steps[] = {
    { "pending-saved", FALSE },
    { "copy-written", FALSE },
    { "renamed", TRUE },
  };
  g_autoptr(GHashTable) copies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) fresh = NULL;
  g_autofree char *digest = rows_digest (fx->vault);
  g_auto(GStrv) dropped = NULL;

  koers_vault_set_rekey_hook_for_testing (copy_at_rekey_point, copies);
  g_assert_true (koers_vault_rekey (fx->vault, &fresh, &dropped, &error));
  koers_vault_set_rekey_hook_for_testing (NULL, NULL);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      const char *copy = g_hash_table_lookup (copies, steps[i].point);
      const char *right = steps[i].new_generation ? fresh : fx->recovery_key;
      const char *wrong = steps[i].new_generation ? fx->recovery_key : fresh;
      g_autofree char *leftover = NULL;
      g_autofree char *got = NULL;

      g_test_message ("interrupted at %s", steps[i].point);
      g_assert_nonnull (copy);
      /* The recovery key of the other generation does not open it (and
       * does not settle it either way). */
      g_assert_false (try_unlock (fx, copy, NULL, wrong, &error));
      g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE);
      g_clear_error (&error);
      /* The person who started it opens it; this settles the rekey. */
      assert_unlocks (fx, copy, FIXTURE_NAME, FIXTURE_PASSPHRASE);
      got = rows_digest (fx->vault);
      g_assert_cmpstr (got, ==, digest);
      g_assert_true (koers_vault_verify (fx->vault, &error));
      g_assert_no_error (error);
      leftover = g_build_filename (copy, "koers.db.rekey", NULL);
      g_assert_false (g_file_test (leftover, G_FILE_TEST_EXISTS));
      /* Settled: the right recovery key works, the other does not. */
      assert_unlocks (fx, copy, NULL, right);
      assert_refused (fx, copy, NULL, wrong);
      g_clear_object (&fx->vault);
      {
        g_autoptr(KoersVault) v = koers_vault_open (copy, &error);
        g_auto(GStrv) names = koers_vault_list_slots (v);
        g_assert_cmpuint (g_strv_length (names), ==, 1);
      }
      remove_tree (copy);
    }
}

/* --- backup ----------------------------------------------------------- */

static char *
backup_dest (VaultFixture *fx)
{
  return g_strconcat (fx->dir, "-backup", NULL);
}

static void
test_backup (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = backup_dest (fx);
  g_autofree char *digest = rows_digest (fx->vault);
  g_autofree char *got = NULL;
  VaultFixture other = { 0 };

  g_assert_true (koers_vault_backup (fx->vault, dest, &error));
  g_assert_no_error (error);
  g_assert_false (dir_contains_bytes (dest, MARKER));
  g_assert_false (dir_contains_bytes (dest, "SQLite format 3"));
  assert_unlocks (&other, dest, FIXTURE_NAME, FIXTURE_PASSPHRASE);
  got = rows_digest (other.vault);
  g_assert_cmpstr (got, ==, digest);
  g_assert_true (koers_vault_verify (other.vault, &error));
  g_assert_no_error (error);
  assert_unlocks (&other, dest, NULL, fx->recovery_key);
  g_clear_object (&other.vault);
  g_assert_false (dir_contains_bytes (dest, MARKER));
  /* Not over an existing vault. */
  g_assert_false (koers_vault_backup (fx->vault, dest, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_EXISTS);
  remove_tree (dest);
}

typedef struct
{
  sqlite3 *db;
  gint     stop;
  gint     commits;
} Writer;

#define BATCH 10

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;

  while (!g_atomic_int_get (&w->stop))
    {
      int rc = sqlite3_exec (w->db,
                             "BEGIN IMMEDIATE;"
                             "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < "
                             G_STRINGIFY (BATCH) ")"
                             "  INSERT INTO note (body) SELECT '" MARKER "w' || hex(randomblob(200)) FROM c;"
                             "COMMIT;", NULL, NULL, NULL);
      if (rc == SQLITE_OK)
        g_atomic_int_inc (&w->commits);
      else
        sqlite3_exec (w->db, "ROLLBACK;", NULL, NULL, NULL);
    }
  return NULL;
}

/* Backups taken while another connection commits batches of BATCH rows:
 * each holds whole batches only and passes verify. */
static void
test_backup_with_writer (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  Writer w = { 0 };
  GThread *thread;
  gint64 last = ROWS;

  w.db = koers_vault_open_connection (fx->vault, &error);
  g_assert_no_error (error);
  thread = g_thread_new ("writer", writer_thread, &w);
  while (g_atomic_int_get (&w.commits) < 3)
    g_usleep (1000);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *dest = g_strdup_printf ("%s-backup-%u", fx->dir, i);
      VaultFixture other = { 0 };
      gint64 count;

      g_assert_true (koers_vault_backup (fx->vault, dest, &error));
      g_assert_no_error (error);
      g_assert_true (try_unlock (&other, dest, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
      g_assert_no_error (error);
      count = row_count (other.vault);
      g_test_message ("backup %u: %" G_GINT64_FORMAT " rows, %d commits so far", i, count,
                      g_atomic_int_get (&w.commits));
      g_assert_cmpint ((count - ROWS) % BATCH, ==, 0);
      g_assert_cmpint (count, >=, last);
      last = count;
      g_assert_true (koers_vault_verify (other.vault, &error));
      g_assert_no_error (error);
      g_clear_object (&other.vault);
      g_assert_false (dir_contains_bytes (dest, MARKER));
      remove_tree (dest);
    }
  g_atomic_int_set (&w.stop, 1);
  g_thread_join (thread);
  g_assert_cmpint (last, >, ROWS);
  sqlite3_close (w.db);
}

/* Every single-byte flip in a slot's group header is an error, never a
 * slot (and the slots after it) that quietly disappears. */
static void
test_keyfile_slot_header_flipped (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = vault_fixture_path (fx, "koers.keys");
  g_autofree char *text = NULL;
  KoersKdfParams kdf = fast ();
  guint flips = 0;

  g_assert_true (koers_vault_add_slot (fx->vault, "Bereket", "injera at noon", &kdf, &error));
  g_assert_no_error (error);
  g_clear_object (&fx->vault);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (const char *line = strstr (text, "[current slot "); line; line = strstr (line + 1, "[current slot "))
    for (const char *p = line; *p != '\n'; p++)
      {
        g_autofree char *flipped = g_strdup (text);

        flipped[p - text] ^= 0x01;
        expect_open_error (fx, flipped, KOERS_VAULT_ERROR_CORRUPT);
        flips++;
      }
  g_assert_cmpuint (flips, >, 40);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  assert_unlocks (fx, fx->dir, "Bereket", "injera at noon");
}

/* --- rekey and backup: defects of issue 14 --------------------------- */

/* A rekey of a vault larger than the page cache: VACUUM INTO spills page N
 * of the new file before page 1 (a 117 MiB vault under the 64 MiB cache;
 * here 1 MiB of rows under a 256 KiB cache). */
static void
test_rekey_larger_than_cache (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) fresh = NULL;
  g_autofree char *digest = NULL;
  g_autofree char *after = NULL;
  g_autofree char *journal = vault_fixture_path (fx, "koers.db.rekey-journal");
  g_auto(GStrv) dropped = NULL;

  vault_fixture_exec (fx->vault,
                      "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000)"
                      "  INSERT INTO note (body) SELECT '" MARKER "big' || hex(randomblob(250)) FROM c;");
  vault_fixture_exec (fx->vault, "PRAGMA cache_size=-256;");
  g_assert_cmpint (vault_fixture_query_int (fx->vault, "PRAGMA page_count") * PS, >, 4 * 256 * 1024);
  digest = rows_digest (fx->vault);
  g_assert_true (koers_vault_rekey (fx->vault, &fresh, &dropped, &error));
  g_assert_no_error (error);
  after = rows_digest (fx->vault);
  g_assert_cmpstr (after, ==, digest);
  g_assert_true (koers_vault_verify (fx->vault, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
  g_clear_object (&fx->vault);
  fx->vault = koers_vault_open (fx->dir, &error);
  g_assert_no_error (error);
  g_assert_true (koers_vault_unlock_with_recovery_key (fx->vault, fresh, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, g_free);
  after = rows_digest (fx->vault);
  g_assert_cmpstr (after, ==, digest);
}

/* A rekey that failed (and rolled back its key file) left its copy and a
 * journal; the next unlock removes them. */
static void
test_rekey_leftovers_removed (VaultFixture *fx, gconstpointer data)
{
  static const char *const names[] = { "koers.db.rekey", "koers.db.rekey-journal" };

  g_clear_object (&fx->vault);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = vault_fixture_path (fx, names[i]);
      g_autoptr(GBytes) junk = g_bytes_new_static ("half a rekey", 12);
      write_file_bytes (path, junk);
    }
  assert_unlocks (fx, fx->dir, FIXTURE_NAME, FIXTURE_PASSPHRASE);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = vault_fixture_path (fx, names[i]);
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
    }
}

static void
copy_partial_backup (KoersVault *vault, const char *point, gpointer data)
{
  const char *dest = data;
  g_autofree char *parent = g_path_get_dirname (dest);
  g_autofree char *base = g_path_get_basename (dest);
  g_autofree char *partial_name = g_strdup_printf (".%s.koers-partial", base);
  g_autofree char *partial = g_build_filename (parent, partial_name, NULL);
  g_autofree char *saved = g_strconcat (dest, "-cut-off", NULL);
  g_autofree char *copy = copy_vault_dir (partial);

  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rename (copy, saved), ==, 0);
}

/* A backup is whole or absent: while it is written the destination does
 * not exist; what a crash leaves (a hidden folder without its key file)
 * neither opens nor blocks the next backup, which removes it. */
static void
test_backup_interrupted (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = backup_dest (fx);
  g_autofree char *saved = g_strconcat (dest, "-cut-off", NULL);
  g_autofree char *saved_keys = g_build_filename (saved, "koers.keys", NULL);
  g_autofree char *parent = g_path_get_dirname (dest);
  g_autofree char *base = g_path_get_basename (dest);
  g_autofree char *partial_name = g_strdup_printf (".%s.koers-partial", base);
  g_autofree char *partial = g_build_filename (parent, partial_name, NULL);
  g_autoptr(KoersVault) cut = NULL;
  VaultFixture other = { 0 };

  koers_vault_set_backup_hook_for_testing (copy_partial_backup, dest);
  g_assert_true (koers_vault_backup (fx->vault, dest, &error));
  koers_vault_set_backup_hook_for_testing (NULL, NULL);
  g_assert_no_error (error);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  assert_unlocks (&other, dest, FIXTURE_NAME, FIXTURE_PASSPHRASE);
  g_clear_object (&other.vault);
  remove_tree (dest);

  /* A crash before the key file was written: no vault, and it says so. */
  g_assert_cmpint (g_unlink (saved_keys), ==, 0);
  cut = koers_vault_open (saved, &error);
  g_assert_null (cut);
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "unfinished"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* The next backup clears the leftover hidden folder. */
  g_assert_cmpint (g_rename (saved, partial), ==, 0);
  g_assert_true (koers_vault_backup (fx->vault, dest, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  assert_unlocks (&other, dest, FIXTURE_NAME, FIXTURE_PASSPHRASE);
  g_clear_object (&other.vault);
  remove_tree (dest);
}

typedef struct
{
  guint calls;
  guint done;
  guint total;
} Seen;

static void
note_progress (guint done, guint total, gpointer data)
{
  Seen *seen = data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, seen->done);
  seen->calls++;
  seen->done = done;
  seen->total = total;
}

/* The app's backup reports progress in batches and ends at the total. */
static void
test_backup_progress (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dest = backup_dest (fx);
  g_autofree char *digest = NULL;
  g_autofree char *got = NULL;
  VaultFixture other = { 0 };
  Seen seen = { 0 };

  vault_fixture_exec (fx->vault,
                      "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000)"
                      "  INSERT INTO note (body) SELECT '" MARKER "p' || hex(randomblob(300)) FROM c;");
  digest = rows_digest (fx->vault);
  g_assert_true (koers_vault_backup_with_progress (fx->vault, dest, note_progress, &seen, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen.calls, >=, 2);
  g_assert_cmpuint (seen.done, ==, seen.total);
  g_assert_cmpint (seen.total, ==, vault_fixture_query_int (fx->vault, "PRAGMA page_count"));
  g_assert_true (try_unlock (&other, dest, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
  got = rows_digest (other.vault);
  g_assert_cmpstr (got, ==, digest);
  g_clear_object (&other.vault);
  remove_tree (dest);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/vault/slots/" path, VaultFixture, NULL, slots_set_up, fn, vault_fixture_tear_down)
  ADD ("two-people", test_two_people);
  ADD ("removed", test_removed_slot);
  ADD ("recovery-key", test_recovery_key);
  ADD ("change-passphrase/locked", test_change_passphrase_locked);
  ADD ("change-passphrase/unlocked", test_change_passphrase_unlocked);
  ADD ("set-passphrase", test_set_passphrase);
  ADD ("rename", test_rename);
  ADD ("refusals", test_refusals);
  ADD ("scripts", test_scripts);
  ADD ("keyfile/flipped-hex", test_keyfile_flipped_hex);
  ADD ("keyfile/damaged", test_keyfile_damaged);
  g_test_add_func ("/vault/slots/kdf-default-cost", test_kdf_default_cost);
  ADD ("rekey/basic", test_rekey);
  ADD ("rekey/needs-a-person", test_rekey_needs_a_person);
  ADD ("rekey/interrupted", test_rekey_interrupted);
  ADD ("backup/basic", test_backup);
  ADD ("backup/with-writer", test_backup_with_writer);
  ADD ("rekey/larger-than-cache", test_rekey_larger_than_cache);
  ADD ("rekey/leftovers-removed", test_rekey_leftovers_removed);
  ADD ("backup/interrupted", test_backup_interrupted);
  ADD ("keyfile/slot-header-flipped", test_keyfile_slot_header_flipped);
  ADD ("backup/progress", test_backup_progress);
  return g_test_run ();
}
