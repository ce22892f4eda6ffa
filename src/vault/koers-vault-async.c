/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The vault's slow calls (Argon2id takes about a second, a rekey rewrites
 * every page) as _async/_finish pairs: each runs the blocking call in a
 * GTask thread. Passphrases and keys are copied into sodium memory for the
 * worker and wiped when the task is freed. */
#include "config.h"

#define G_LOG_DOMAIN "koers-vault"

#include "koers-vault.h"

#include <sodium.h>
#include <string.h>

/* A copy of a passphrase or recovery key in guarded memory (NULL stays
 * NULL); sodium_free() wipes it. */
static char *
secret_dup (const char *secret)
{
  gsize len;
  char *copy;

  if (secret == NULL)
    return NULL;
  /* Before the first vault call may have run it. */
  if (sodium_init () < 0)
    g_error ("libsodium could not start");
  len = strlen (secret) + 1;
  copy = sodium_malloc (len);
  g_assert (copy != NULL);
  memcpy (copy, secret, len);
  return copy;
}

/* What a worker needs; every field is a private copy. */
typedef struct
{
  char           *dir;
  char           *name;
  char           *new_name;
  char           *secret;      /* a passphrase or the recovery key */
  char           *new_secret;  /* the new passphrase of a change */
  KoersKdfParams  params;
  gboolean        has_params;
} TaskData;

static TaskData *
task_data_new (const char           *name,
               const char           *secret,
               const KoersKdfParams *params)
{
  TaskData *data = g_new0 (TaskData, 1);

  data->name = g_strdup (name);
  data->secret = secret_dup (secret);
  if (params != NULL)
    data->params = *params;
  data->has_params = params != NULL;
  return data;
}

static void
task_data_free (TaskData *data)
{
  g_free (data->dir);
  g_free (data->name);
  g_free (data->new_name);
  sodium_free (data->secret);
  sodium_free (data->new_secret);
  g_free (data);
}

static const KoersKdfParams *
task_params (TaskData *data)
{
  return data->has_params ? &data->params : NULL;
}

/* Runs @func in a worker with @data (freed with the task). */
static void
run_task (gpointer             source,
          TaskData            *data,
          gpointer             source_tag,
          GTaskThreadFunc      func,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  /* The call runs to the end once started: a slot half written is worse
   * than a result nobody reads. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, func);
}

static void
return_boolean (GTask    *task,
                gboolean  ok,
                GError   *error)
{
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
finish_boolean (KoersVault   *self,
                GAsyncResult *result,
                gpointer      source_tag,
                GError      **error)
{
  g_return_val_if_fail (KOERS_IS_VAULT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* A new recovery key (create, reset, rekey) and the vault a create made. */
typedef struct
{
  KoersVault *vault;
  char       *recovery_key;
  char      **dropped;
} KeyResult;

static void
key_result_free (KeyResult *result)
{
  g_clear_object (&result->vault);
  koers_vault_free_secret (result->recovery_key);
  g_strfreev (result->dropped);
  g_free (result);
}

static void
return_key (GTask      *task,
            KoersVault *vault,
            char       *recovery_key,
            char      **dropped)
{
  KeyResult *result = g_new0 (KeyResult, 1);

  result->vault = vault;
  result->recovery_key = recovery_key;
  result->dropped = dropped;
  g_task_return_pointer (task, result, (GDestroyNotify) key_result_free);
}

/* Hands the key (and what else the caller asked for) over; FALSE with
 * @error set when the call failed. */
static gboolean
finish_key (GAsyncResult  *result,
            KoersVault   **vault,
            char         **recovery_key,
            char        ***dropped,
            GError       **error)
{
  KeyResult *keys = g_task_propagate_pointer (G_TASK (result), error);

  if (keys == NULL)
    return FALSE;
  if (vault != NULL)
    *vault = g_steal_pointer (&keys->vault);
  if (recovery_key != NULL)
    *recovery_key = g_steal_pointer (&keys->recovery_key);
  if (dropped != NULL)
    *dropped = g_steal_pointer (&keys->dropped);
  key_result_free (keys);
  return TRUE;
}

/* --- create ----------------------------------------------------------- */

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  char *key = NULL;
  KoersVault *vault;

  vault = koers_vault_create (data->dir, data->name, data->secret, task_params (data), &key, &error);
  if (vault == NULL)
    g_task_return_error (task, error);
  else
    return_key (task, vault, key, NULL);
}

void
koers_vault_create_async (const char           *dir,
                          const char           *name,
                          const char           *passphrase,
                          const KoersKdfParams *params,
                          GCancellable         *cancellable,
                          GAsyncReadyCallback   callback,
                          gpointer              user_data)
{
  TaskData *data;

  g_return_if_fail (dir != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (passphrase != NULL);

  data = task_data_new (name, passphrase, params);
  data->dir = g_strdup (dir);
  run_task (NULL, data, koers_vault_create_async, create_thread, cancellable, callback, user_data);
}

KoersVault *
koers_vault_create_finish (GAsyncResult  *result,
                           char         **recovery_key,
                           GError       **error)
{
  KoersVault *vault = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == koers_vault_create_async, NULL);
  g_return_val_if_fail (recovery_key != NULL, NULL);

  if (!finish_key (result, &vault, recovery_key, NULL, error))
    return NULL;
  return vault;
}

/* --- unlock ----------------------------------------------------------- */

static void
unlock_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  gboolean ok = koers_vault_unlock (source_object, data->name, data->secret, &error);

  return_boolean (task, ok, error);
}

void
koers_vault_unlock_async (KoersVault          *self,
                          const char          *name,
                          const char          *passphrase,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (KOERS_IS_VAULT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (passphrase != NULL);

  run_task (self, task_data_new (name, passphrase, NULL), koers_vault_unlock_async, unlock_thread,
            cancellable, callback, user_data);
}

gboolean
koers_vault_unlock_finish (KoersVault   *self,
                           GAsyncResult *result,
                           GError      **error)
{
  return finish_boolean (self, result, koers_vault_unlock_async, error);
}

static void
unlock_with_key_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  gboolean ok = koers_vault_unlock_with_recovery_key (source_object, data->secret, &error);

  return_boolean (task, ok, error);
}

void
koers_vault_unlock_with_recovery_key_async (KoersVault          *self,
                                            const char          *recovery_key,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_return_if_fail (KOERS_IS_VAULT (self));
  g_return_if_fail (recovery_key != NULL);

  run_task (self, task_data_new (NULL, recovery_key, NULL), koers_vault_unlock_with_recovery_key_async,
            unlock_with_key_thread, cancellable, callback, user_data);
}

gboolean
koers_vault_unlock_with_recovery_key_finish (KoersVault   *self,
                                             GAsyncResult *result,
                                             GError      **error)
{
  return finish_boolean (self, result, koers_vault_unlock_with_recovery_key_async, error);
}

/* --- slots ------------------------------------------------------------ */

static void
add_slot_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  gboolean ok = koers_vault_add_slot (source_object, data->name, data->secret, task_params (data), &error);

  return_boolean (task, ok, error);
}

void
koers_vault_add_slot_async (KoersVault           *self,
                            const char           *name,
                            const char           *passphrase,
                            const KoersKdfParams *params,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_return_if_fail (KOERS_IS_VAULT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (passphrase != NULL);

  run_task (self, task_data_new (name, passphrase, params), koers_vault_add_slot_async, add_slot_thread,
            cancellable, callback, user_data);
}

gboolean
koers_vault_add_slot_finish (KoersVault   *self,
                             GAsyncResult *result,
                             GError      **error)
{
  return finish_boolean (self, result, koers_vault_add_slot_async, error);
}

static void
remove_slot_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  gboolean ok = koers_vault_remove_slot (source_object, data->name, &error);

  return_boolean (task, ok, error);
}

void
koers_vault_remove_slot_async (KoersVault          *self,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (KOERS_IS_VAULT (self));
  g_return_if_fail (name != NULL);

  run_task (self, task_data_new (name, NULL, NULL), koers_vault_remove_slot_async, remove_slot_thread,
            cancellable, callback, user_data);
}

gboolean
koers_vault_remove_slot_finish (KoersVault   *self,
                                GAsyncResult *result,
                                GError      **error)
{
  return finish_boolean (self, result, koers_vault_remove_slot_async, error);
}

static void
rename_slot_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  gboolean ok = koers_vault_rename_slot (source_object, data->name, data->new_name, &error);

  return_boolean (task, ok, error);
}

void
koers_vault_rename_slot_async (KoersVault          *self,
                               const char          *old_name,
                               const char          *new_name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  TaskData *data;

  g_return_if_fail (KOERS_IS_VAULT (self));
  g_return_if_fail (old_name != NULL);
  g_return_if_fail (new_name != NULL);

  data = task_data_new (old_name, NULL, NULL);
  data->new_name = g_strdup (new_name);
  run_task (self, data, koers_vault_rename_slot_async, rename_slot_thread, cancellable, callback, user_data);
}

gboolean
koers_vault_rename_slot_finish (KoersVault   *self,
                                GAsyncResult *result,
                                GError      **error)
{
  return finish_boolean (self, result, koers_vault_rename_slot_async, error);
}

static void
set_passphrase_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  gboolean ok = koers_vault_set_passphrase (source_object, data->name, data->secret, task_params (data), &error);

  return_boolean (task, ok, error);
}

void
koers_vault_set_passphrase_async (KoersVault           *self,
                                  const char           *name,
                                  const char           *passphrase,
                                  const KoersKdfParams *params,
                                  GCancellable         *cancellable,
                                  GAsyncReadyCallback   callback,
                                  gpointer              user_data)
{
  g_return_if_fail (KOERS_IS_VAULT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (passphrase != NULL);

  run_task (self, task_data_new (name, passphrase, params), koers_vault_set_passphrase_async,
            set_passphrase_thread, cancellable, callback, user_data);
}

gboolean
koers_vault_set_passphrase_finish (KoersVault   *self,
                                   GAsyncResult *result,
                                   GError      **error)
{
  return finish_boolean (self, result, koers_vault_set_passphrase_async, error);
}

static void
change_passphrase_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  gboolean ok = koers_vault_change_passphrase (source_object, data->name, data->secret, data->new_secret,
                                               task_params (data), &error);

  return_boolean (task, ok, error);
}

void
koers_vault_change_passphrase_async (KoersVault           *self,
                                     const char           *name,
                                     const char           *old_passphrase,
                                     const char           *new_passphrase,
                                     const KoersKdfParams *params,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  TaskData *data;

  g_return_if_fail (KOERS_IS_VAULT (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (old_passphrase != NULL);
  g_return_if_fail (new_passphrase != NULL);

  data = task_data_new (name, old_passphrase, params);
  data->new_secret = secret_dup (new_passphrase);
  run_task (self, data, koers_vault_change_passphrase_async, change_passphrase_thread,
            cancellable, callback, user_data);
}

gboolean
koers_vault_change_passphrase_finish (KoersVault   *self,
                                      GAsyncResult *result,
                                      GError      **error)
{
  return finish_boolean (self, result, koers_vault_change_passphrase_async, error);
}

/* --- new keys --------------------------------------------------------- */

static void
reset_recovery_key_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  GError *error = NULL;
  char *key = NULL;

  if (koers_vault_reset_recovery_key (source_object, &key, &error))
    return_key (task, NULL, key, NULL);
  else
    g_task_return_error (task, error);
}

void
koers_vault_reset_recovery_key_async (KoersVault          *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (KOERS_IS_VAULT (self));

  run_task (self, task_data_new (NULL, NULL, NULL), koers_vault_reset_recovery_key_async,
            reset_recovery_key_thread, cancellable, callback, user_data);
}

gboolean
koers_vault_reset_recovery_key_finish (KoersVault   *self,
                                       GAsyncResult *result,
                                       char        **recovery_key,
                                       GError      **error)
{
  g_return_val_if_fail (KOERS_IS_VAULT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (recovery_key != NULL, FALSE);

  return finish_key (result, NULL, recovery_key, NULL, error);
}

static void
rekey_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  char *key = NULL;
  char **dropped = NULL;

  if (koers_vault_rekey (source_object, &key, &dropped, &error))
    return_key (task, NULL, key, dropped);
  else
    g_task_return_error (task, error);
}

void
koers_vault_rekey_async (KoersVault          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (KOERS_IS_VAULT (self));

  run_task (self, task_data_new (NULL, NULL, NULL), koers_vault_rekey_async, rekey_thread,
            cancellable, callback, user_data);
}

gboolean
koers_vault_rekey_finish (KoersVault    *self,
                          GAsyncResult  *result,
                          char         **recovery_key,
                          char        ***dropped,
                          GError       **error)
{
  g_return_val_if_fail (KOERS_IS_VAULT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (recovery_key != NULL, FALSE);

  return finish_key (result, NULL, recovery_key, dropped, error);
}
