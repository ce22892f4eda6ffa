/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-vault.h: the encrypted store every other layer stands on.
 *
 * A vault is a folder holding `koers.db` (SQLite, every page encrypted by
 * the koers VFS) and `koers.keys` (key slots that wrap the master key).
 * Callers above this layer see a plain `sqlite3 *` once it is unlocked.
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define KOERS_VAULT_ERROR (koers_vault_error_quark ())

typedef enum
{
  KOERS_VAULT_ERROR_NOT_FOUND,        /* no vault in that folder */
  KOERS_VAULT_ERROR_EXISTS,           /* a vault is already there */
  KOERS_VAULT_ERROR_WRONG_PASSPHRASE, /* name/passphrase or recovery key does not open it */
  KOERS_VAULT_ERROR_NO_SUCH_SLOT,
  KOERS_VAULT_ERROR_SLOT_EXISTS,
  KOERS_VAULT_ERROR_TAMPERED,         /* a page failed authentication */
  KOERS_VAULT_ERROR_CORRUPT,          /* structure damaged (integrity_check, key file) */
  KOERS_VAULT_ERROR_FORMAT,           /* made by an unknown, newer format */
  KOERS_VAULT_ERROR_IO,               /* the disk reported an error */
  KOERS_VAULT_ERROR_DISK_FULL,
  KOERS_VAULT_ERROR_LOCKED,           /* needs an unlocked vault */
  KOERS_VAULT_ERROR_BUSY,             /* another program holds the vault */
  KOERS_VAULT_ERROR_INVALID,          /* an argument a person must correct */
} KoersVaultError;

/* Argon2id cost of one key slot. */
typedef struct
{
  guint64 opslimit;
  gsize   memlimit;
} KoersKdfParams;

#define KOERS_TYPE_VAULT (koers_vault_get_type ())
G_DECLARE_FINAL_TYPE (KoersVault, koers_vault, KOERS, VAULT, GObject)

GQuark          koers_vault_error_quark            (void);

KoersKdfParams  koers_kdf_params_default           (void);
KoersKdfParams  koers_kdf_params_minimum           (void);

/* Creates a new vault in @dir (created if missing, must not hold one) with
 * one person slot and a recovery slot. The recovery key is returned once in
 * @recovery_key (free with koers_vault_free_secret()). The new vault is
 * unlocked. @params NULL means koers_kdf_params_default(). */
G_GNUC_WARN_UNUSED_RESULT
KoersVault     *koers_vault_create                 (const char            *dir,
                                                    const char            *name,
                                                    const char            *passphrase,
                                                    const KoersKdfParams  *params,
                                                    char                 **recovery_key,
                                                    GError               **error);

/* Opens the vault in @dir locked: reads the key slots, not the database. */
G_GNUC_WARN_UNUSED_RESULT
KoersVault     *koers_vault_open                   (const char            *dir,
                                                    GError               **error);

gboolean        koers_vault_exists                 (const char            *dir);

const char     *koers_vault_get_dir                (KoersVault            *self);
const char     *koers_vault_get_db_path            (KoersVault            *self);

/* Names of the person slots, in creation order (NULL-terminated, free with
 * g_strfreev()). Available while locked: the unlock screen offers them. */
char          **koers_vault_list_slots             (KoersVault            *self);

G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_unlock                 (KoersVault            *self,
                                                    const char            *name,
                                                    const char            *passphrase,
                                                    GError               **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_unlock_with_recovery_key (KoersVault          *self,
                                                    const char            *recovery_key,
                                                    GError               **error);

/* Closes every connection and wipes the master key. */
void            koers_vault_lock                   (KoersVault            *self);
gboolean        koers_vault_is_unlocked            (KoersVault            *self);

/* The slot name that unlocked it (NULL for the recovery key or locked). */
const char     *koers_vault_get_unlocked_by        (KoersVault            *self);

/* The vault's connection (borrowed, NULL while locked). */
sqlite3        *koers_vault_get_db                 (KoersVault            *self);

/* A further connection for a worker thread; close it with sqlite3_close()
 * before koers_vault_lock(). */
G_GNUC_WARN_UNUSED_RESULT
sqlite3        *koers_vault_open_connection        (KoersVault            *self,
                                                    GError               **error);

/* Slots. Adding, removing, renaming and setting a passphrase need the vault
 * unlocked; they rewrite koers.keys only, never the database. */
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_add_slot               (KoersVault            *self,
                                                    const char            *name,
                                                    const char            *passphrase,
                                                    const KoersKdfParams  *params,
                                                    GError               **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_remove_slot            (KoersVault            *self,
                                                    const char            *name,
                                                    GError               **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_rename_slot            (KoersVault            *self,
                                                    const char            *old_name,
                                                    const char            *new_name,
                                                    GError               **error);
/* Sets a new passphrase on a slot (a coordinator's reset, or after
 * unlocking with the recovery key). */
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_set_passphrase         (KoersVault            *self,
                                                    const char            *name,
                                                    const char            *passphrase,
                                                    const KoersKdfParams  *params,
                                                    GError               **error);
/* A person changes their own passphrase; works locked or unlocked. */
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_change_passphrase      (KoersVault            *self,
                                                    const char            *name,
                                                    const char            *old_passphrase,
                                                    const char            *new_passphrase,
                                                    const KoersKdfParams  *params,
                                                    GError               **error);
/* Replaces the recovery slot; the new key is returned once. */
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_reset_recovery_key     (KoersVault            *self,
                                                    char                 **recovery_key,
                                                    GError               **error);

/* A new master key: every page re-encrypted, crash-safely. The slot that
 * unlocked the vault is kept, a new recovery key is returned once, every
 * other person slot is dropped (their names in @dropped) and must be added
 * again: an old copy of koers.keys plus an old passphrase opens nothing. */
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_rekey                  (KoersVault            *self,
                                                    char                 **recovery_key,
                                                    char                ***dropped,
                                                    GError               **error);

/* The slow calls above as _async/_finish pairs (koers-vault-async.c): each
 * runs in a GTask thread, with private copies of the secrets in sodium
 * memory, wiped when the task is done. A call that started runs to its
 * end; cancelling only makes _finish report G_IO_ERROR_CANCELLED (a create
 * then frees, and so locks, the new vault). Recovery keys are returned
 * once; free them with koers_vault_free_secret(). */
void            koers_vault_create_async           (const char            *dir,
                                                    const char            *name,
                                                    const char            *passphrase,
                                                    const KoersKdfParams  *params,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
G_GNUC_WARN_UNUSED_RESULT
KoersVault     *koers_vault_create_finish          (GAsyncResult          *result,
                                                    char                 **recovery_key,
                                                    GError               **error);
void            koers_vault_unlock_async           (KoersVault            *self,
                                                    const char            *name,
                                                    const char            *passphrase,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_unlock_finish          (KoersVault            *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
void            koers_vault_unlock_with_recovery_key_async  (KoersVault          *self,
                                                             const char          *recovery_key,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_unlock_with_recovery_key_finish (KoersVault          *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
void            koers_vault_add_slot_async         (KoersVault            *self,
                                                    const char            *name,
                                                    const char            *passphrase,
                                                    const KoersKdfParams  *params,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_add_slot_finish        (KoersVault            *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
void            koers_vault_remove_slot_async      (KoersVault            *self,
                                                    const char            *name,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_remove_slot_finish     (KoersVault            *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
void            koers_vault_rename_slot_async      (KoersVault            *self,
                                                    const char            *old_name,
                                                    const char            *new_name,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_rename_slot_finish     (KoersVault            *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
void            koers_vault_set_passphrase_async   (KoersVault            *self,
                                                    const char            *name,
                                                    const char            *passphrase,
                                                    const KoersKdfParams  *params,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_set_passphrase_finish  (KoersVault            *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
void            koers_vault_change_passphrase_async  (KoersVault            *self,
                                                      const char            *name,
                                                      const char            *old_passphrase,
                                                      const char            *new_passphrase,
                                                      const KoersKdfParams  *params,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_change_passphrase_finish (KoersVault            *self,
                                                      GAsyncResult          *result,
                                                      GError               **error);
void            koers_vault_reset_recovery_key_async  (KoersVault          *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_reset_recovery_key_finish (KoersVault          *self,
                                                       GAsyncResult        *result,
                                                       char               **recovery_key,
                                                       GError             **error);
void            koers_vault_rekey_async            (KoersVault            *self,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_rekey_finish           (KoersVault            *self,
                                                    GAsyncResult          *result,
                                                    char                 **recovery_key,
                                                    char                ***dropped,
                                                    GError               **error);

/* Authenticates every page of the database and the WAL, then runs
 * PRAGMA integrity_check. A failure names the page. */
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_verify                 (KoersVault            *self,
                                                    GError               **error);

/* A consistent, encrypted copy into @dest_dir (a new vault folder that opens
 * with the same slots; @dest_dir must not exist or be empty). Built in a
 * hidden folder beside it and renamed into place when whole. */
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_backup                 (KoersVault            *self,
                                                    const char            *dest_dir,
                                                    GError               **error);

/* Called by koers_vault_backup_with_progress() in the calling thread,
 * after each batch of pages: @done of @total pages copied. */
typedef void (*KoersVaultProgressFunc) (guint    done,
                                        guint    total,
                                        gpointer user_data);

/* koers_vault_backup() in batches, reporting progress (for the app). */
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_backup_with_progress   (KoersVault            *self,
                                                    const char            *dest_dir,
                                                    KoersVaultProgressFunc progress,
                                                    gpointer               user_data,
                                                    GError               **error);

/* Turns a SQLite result code on the vault's connection into a GError a
 * person can act on (tamper, disk full, I/O). Layers above use it. */
void            koers_vault_set_sqlite_error       (GError               **error,
                                                    sqlite3               *db,
                                                    int                    rc,
                                                    const char            *what);

/* Wipes and frees a secret string returned by this API. */
void            koers_vault_free_secret            (char                  *secret);

typedef char KoersVaultSecret;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersVaultSecret, koers_vault_free_secret)

G_END_DECLS
