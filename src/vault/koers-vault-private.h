/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal helpers of src/vault/ shared between its files and tests. */
#pragma once

#include "koers-vault.h"
#include "koers-cipher.h"

G_BEGIN_DECLS

sqlite3  *koers_vault_open_db          (const char  *path,
                                        gboolean     create,
                                        GError     **error);
gboolean  koers_vault_db_file_matches  (const char  *path,
                                        KoersCipher *cipher);
/* Authenticates every page of the database file and every frame of the
 * current WAL generation, outside SQLite. */
gboolean  koers_vault_scan_files       (const char  *db_path,
                                        KoersCipher *cipher,
                                        GError     **error);
/* Would SQLite's WAL recovery drop authentic committed work (a damaged WAL
 * header or frame header before later commits)? Then a tamper error, before
 * SQLite gets to reset the log. */
gboolean  koers_vault_check_wal        (const char  *db_path,
                                        KoersCipher *cipher,
                                        GError     **error);

/* Test hook only: called inside koers_vault_rekey() at "pending-saved"
 * (koers.keys holds the pending keyring), "copy-written" (koers.db.rekey
 * is complete, before the rename) and "renamed" (koers.db is the new one,
 * before the final key-file save). NULL turns it off. */
typedef void (*KoersVaultRekeyHook) (KoersVault *vault,
                                     const char *point,
                                     gpointer    data);
void      koers_vault_set_rekey_hook_for_testing (KoersVaultRekeyHook hook,
                                                  gpointer            data);

/* Test hook only: called inside koers_vault_backup() at "written" (the
 * copy whole in its hidden folder, before the rename into place). */
void      koers_vault_set_backup_hook_for_testing (KoersVaultRekeyHook hook,
                                                   gpointer            data);

/* Test switch only: @format (KOERS_FORMAT_OLDEST..NEWEST) for every vault
 * koers_vault_create() makes from now on, and no vault is raised to the
 * newest format at unlock. 0 turns it off. */
void      koers_vault_set_format_for_testing (guint format);

G_END_DECLS
