/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include "vault-fixture.h"

#include <glib/gstdio.h>
#include <string.h>

void
vault_fixture_set_up (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  KoersKdfParams kdf = koers_kdf_params_minimum ();

  fx->dir = g_dir_make_tmp ("koers-vault-XXXXXX", &error);
  g_assert_no_error (error);
  fx->vault = koers_vault_create (fx->dir, FIXTURE_NAME, FIXTURE_PASSPHRASE, &kdf,
                                  &fx->recovery_key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fx->vault);
}

void
vault_fixture_tear_down (VaultFixture *fx, gconstpointer data)
{
  g_clear_object (&fx->vault);
  remove_tree (fx->dir);
  g_free (fx->dir);
  koers_vault_free_secret (fx->recovery_key);
}

char *
vault_fixture_path (VaultFixture *fx, const char *file)
{
  return g_build_filename (fx->dir, file, NULL);
}

void
vault_fixture_reopen (VaultFixture *fx)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fx->vault);
  fx->vault = koers_vault_open (fx->dir, &error);
  g_assert_no_error (error);
  g_assert_true (koers_vault_unlock (fx->vault, FIXTURE_NAME, FIXTURE_PASSPHRASE, &error));
  g_assert_no_error (error);
}

void
vault_fixture_exec (KoersVault *vault, const char *sql)
{
  char *msg = NULL;
  int rc = sqlite3_exec (koers_vault_get_db (vault), sql, NULL, NULL, &msg);

  if (rc != SQLITE_OK)
    g_error ("SQL failed (%d): %s: %s", rc, msg, sql);
}

gint64
vault_fixture_query_int (KoersVault *vault, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (koers_vault_get_db (vault), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

gboolean
dir_contains_bytes (const char *dir, const char *needle)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *data = NULL;
      gsize len = 0;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          if (dir_contains_bytes (path, needle))
            return TRUE;
          continue;
        }
      g_assert_true (g_file_get_contents (path, &data, &len, NULL));
      if (memmem (data, len, needle, strlen (needle)) != NULL)
        return TRUE;
    }
  return FALSE;
}

void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

GBytes *
read_file_bytes (const char *path)
{
  char *data = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  return g_bytes_new_take (data, len);
}

void
write_file_bytes (const char *path, GBytes *bytes)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_true (g_file_set_contents (path, data, len, NULL));
}

void
flip_byte (const char *path, goffset offset)
{
  FILE *f = fopen (path, "r+b");
  int c;

  g_assert_nonnull (f);
  g_assert_cmpint (fseeko (f, offset, SEEK_SET), ==, 0);
  c = fgetc (f);
  g_assert_cmpint (c, !=, EOF);
  g_assert_cmpint (fseeko (f, offset, SEEK_SET), ==, 0);
  fputc (c ^ 0x01, f);
  fclose (f);
}

void
vault_fixture_copy (const char *from, const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (from, 0, &error);
  const char *name;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *src = g_build_filename (from, name, NULL);
      g_autofree char *dst = g_build_filename (to, name, NULL);
      g_autoptr(GBytes) bytes = NULL;

      if (g_str_has_suffix (name, "-shm") || !g_file_test (src, G_FILE_TEST_IS_REGULAR))
        continue;
      bytes = read_file_bytes (src);
      write_file_bytes (dst, bytes);
    }
}
