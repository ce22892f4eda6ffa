/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared helpers of the vault tests: real vaults in temporary folders. */
#pragma once

#include <glib.h>
#include "koers-vault.h"

G_BEGIN_DECLS

#define FIXTURE_NAME       "Amira"
#define FIXTURE_PASSPHRASE "correct horse battery staple"

typedef struct
{
  char       *dir;
  KoersVault *vault;
  char       *recovery_key;
} VaultFixture;

void      vault_fixture_set_up      (VaultFixture *fx, gconstpointer data);
void      vault_fixture_tear_down   (VaultFixture *fx, gconstpointer data);
char     *vault_fixture_path        (VaultFixture *fx, const char *file);
/* Locks, reopens and unlocks the fixture's vault as FIXTURE_NAME. */
void      vault_fixture_reopen      (VaultFixture *fx);
void      vault_fixture_exec        (KoersVault *vault, const char *sql);
gint64    vault_fixture_query_int   (KoersVault *vault, const char *sql);
/* Does @needle occur in any file of @dir? */
gboolean  dir_contains_bytes        (const char *dir, const char *needle);
void      remove_tree               (const char *dir);
GBytes   *read_file_bytes           (const char *path);
void      write_file_bytes          (const char *path, GBytes *bytes);
void      flip_byte                 (const char *path, goffset offset);
/* Copies every file of the vault in @from (keys, database, WAL, journal;
 * not the -shm, which is SQLite's shared memory) into @to, made if need
 * be: what a crash or a backup would leave. */
void      vault_fixture_copy        (const char *from, const char *to);

G_END_DECLS
