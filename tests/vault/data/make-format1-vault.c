/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Makes a format-1 vault with main's (8c60b01) vault code: a table, then
 * three one-page transactions left in a hot WAL. */
#include "config.h"
#include "koers-vault.h"
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

static void exec (KoersVault *v, const char *sql)
{
  char *msg = NULL;
  if (sqlite3_exec (koers_vault_get_db (v), sql, NULL, NULL, &msg) != SQLITE_OK)
    { fprintf (stderr, "%s: %s\n", sql, msg); exit (1); }
}

int main (int argc, char **argv)
{
  GError *error = NULL;
  char *recovery = NULL;
  KoersKdfParams kdf = koers_kdf_params_minimum ();
  KoersVault *v;

  if (sodium_init () < 0) return 1;
  v = koers_vault_create (argv[1], "Amira", "correct horse battery staple", &kdf, &recovery, &error);
  if (!v) { fprintf (stderr, "%s\n", error->message); return 1; }
  exec (v, "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER NOT NULL, v TEXT);"
           "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200)"
           "  INSERT INTO t SELECT i, 0, printf('row %d of the vault made by the format-1 code', i) FROM c;"
           "PRAGMA wal_checkpoint(TRUNCATE);");
  sqlite3_db_config (koers_vault_get_db (v), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
  exec (v, "UPDATE t SET n = n + 1 WHERE id = 1;");
  exec (v, "UPDATE t SET n = n + 2 WHERE id = 200;");
  exec (v, "UPDATE t SET n = n + 3 WHERE id = 100;");
  g_object_unref (v);
  return 0;
}
