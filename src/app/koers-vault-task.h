/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-vault-task.h: the vault's slow calls (Argon2id takes about a second)
 * run in a worker thread, so the window never waits on them. */
#pragma once

#include <gio/gio.h>

#include "vault/koers-vault.h"

G_BEGIN_DECLS

/* A copy of a passphrase or key that is wiped before it is freed. */
typedef char KoersAppSecret;

KoersAppSecret *koers_app_secret_dup                 (const char           *secret);
void            koers_app_secret_free                (KoersAppSecret       *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersAppSecret, koers_app_secret_free)

/* Argon2id cost for new slots: the vault's default, or the minimum when the
 * environment has KOERS_KDF=minimum (tests and screenshots only). */
KoersKdfParams  koers_app_kdf_params                 (void);

void            koers_vault_task_create_async        (const char           *dir,
                                                      const char           *name,
                                                      const char           *passphrase,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
G_GNUC_WARN_UNUSED_RESULT
KoersVault     *koers_vault_task_create_finish       (GAsyncResult         *result,
                                                      KoersAppSecret      **recovery_key,
                                                      GError              **error);

void            koers_vault_task_unlock_async        (KoersVault           *vault,
                                                      const char           *name,
                                                      const char           *passphrase,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_task_unlock_finish       (KoersVault           *vault,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Opens the vault with the recovery key (typed as a person types it:
 * spaces, dashes and case do not matter). Nobody is named as its opener. */
void            koers_vault_task_unlock_with_key_async  (KoersVault        *vault,
                                                         const char        *recovery_key,
                                                         GCancellable      *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer           user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_task_unlock_with_key_finish (KoersVault        *vault,
                                                         GAsyncResult      *result,
                                                         GError           **error);

/* After a recovery-key unlock: gives @name (a new slot when @new_person)
 * @passphrase, then unlocks again as @name, so that the vault names its
 * opener as after any unlock. On failure the vault may be locked. */
void            koers_vault_task_take_over_async        (KoersVault        *vault,
                                                         const char        *name,
                                                         const char        *passphrase,
                                                         gboolean           new_person,
                                                         GCancellable      *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer           user_data);
G_GNUC_WARN_UNUSED_RESULT
gboolean        koers_vault_task_take_over_finish       (KoersVault        *vault,
                                                         GAsyncResult      *result,
                                                         GError           **error);

G_END_DECLS
