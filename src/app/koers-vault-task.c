/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-vault-task"

#include <string.h>

#include "koers-vault-task.h"

KoersAppSecret *
koers_app_secret_dup (const char *secret)
{
  return g_strdup (secret);
}

void
koers_app_secret_free (KoersAppSecret *secret)
{
  if (secret == NULL)
    return;
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

KoersKdfParams
koers_app_kdf_params (void)
{
  if (g_strcmp0 (g_getenv ("KOERS_KDF"), "minimum") == 0)
    return koers_kdf_params_minimum ();
  return koers_kdf_params_default ();
}

/* What a worker needs; the secrets are private copies, wiped on free. */
typedef struct
{
  char           *dir;
  char           *name;
  KoersAppSecret *passphrase;  /* or the recovery key */
  KoersKdfParams  params;
  gboolean        new_person;
} TaskData;

/* @secret: a passphrase or the recovery key, copied. */
static TaskData *
task_data_new (const char *name,
               const char *secret)
{
  TaskData *data = g_new0 (TaskData, 1);

  data->name = g_strdup (name);
  data->passphrase = koers_app_secret_dup (secret);
  data->params = koers_app_kdf_params ();
  return data;
}

static void
task_data_free (TaskData *data)
{
  g_free (data->dir);
  g_free (data->name);
  koers_app_secret_free (data->passphrase);
  g_free (data);
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
finish_boolean (KoersVault   *vault,
                GAsyncResult *result,
                GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, vault), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The result of a create: the unlocked vault and its recovery key. */
typedef struct
{
  KoersVault     *vault;
  KoersAppSecret *recovery_key;
} CreateResult;

static void
create_result_free (CreateResult *result)
{
  g_clear_object (&result->vault);
  koers_app_secret_free (result->recovery_key);
  g_free (result);
}

static void
create_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) key = NULL;
  CreateResult *result;
  KoersVault *vault;

  vault = koers_vault_create (data->dir, data->name, data->passphrase, &data->params, &key, &error);
  if (vault == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = g_new0 (CreateResult, 1);
  result->vault = vault;
  result->recovery_key = koers_app_secret_dup (key);
  g_task_return_pointer (task, result, (GDestroyNotify) create_result_free);
}

void
koers_vault_task_create_async (const char          *dir,
                               const char          *name,
                               const char          *passphrase,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  TaskData *data;

  g_return_if_fail (dir != NULL);
  g_return_if_fail (name != NULL);
  g_return_if_fail (passphrase != NULL);

  data = task_data_new (name, passphrase);
  data->dir = g_strdup (dir);

  run_task (NULL, data, koers_vault_task_create_async, create_thread, cancellable, callback, user_data);
}

KoersVault *
koers_vault_task_create_finish (GAsyncResult    *result,
                                KoersAppSecret **recovery_key,
                                GError         **error)
{
  CreateResult *created;
  KoersVault *vault;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (recovery_key != NULL, NULL);

  created = g_task_propagate_pointer (G_TASK (result), error);
  if (created == NULL)
    return NULL;

  vault = g_steal_pointer (&created->vault);
  *recovery_key = g_steal_pointer (&created->recovery_key);
  create_result_free (created);
  return vault;
}

static void
unlock_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  gboolean ok = koers_vault_unlock (KOERS_VAULT (source_object), data->name, data->passphrase, &error);

  return_boolean (task, ok, error);
}

void
koers_vault_task_unlock_async (KoersVault          *vault,
                               const char          *name,
                               const char          *passphrase,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  TaskData *data;

  g_return_if_fail (KOERS_IS_VAULT (vault));
  g_return_if_fail (name != NULL);
  g_return_if_fail (passphrase != NULL);

  data = task_data_new (name, passphrase);
  run_task (vault, data, koers_vault_task_unlock_async, unlock_thread, cancellable, callback, user_data);
}

gboolean
koers_vault_task_unlock_finish (KoersVault   *vault,
                                GAsyncResult *result,
                                GError      **error)
{
  return finish_boolean (vault, result, error);
}

static void
unlock_with_key_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  TaskData *data = task_data;
  GError *error = NULL;
  gboolean ok = koers_vault_unlock_with_recovery_key (KOERS_VAULT (source_object), data->passphrase, &error);

  return_boolean (task, ok, error);
}

void
koers_vault_task_unlock_with_key_async (KoersVault          *vault,
                                        const char          *recovery_key,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  TaskData *data;

  g_return_if_fail (KOERS_IS_VAULT (vault));
  g_return_if_fail (recovery_key != NULL);

  data = task_data_new (NULL, recovery_key);
  run_task (vault, data, koers_vault_task_unlock_with_key_async, unlock_with_key_thread,
            cancellable, callback, user_data);
}

gboolean
koers_vault_task_unlock_with_key_finish (KoersVault   *vault,
                                         GAsyncResult *result,
                                         GError      **error)
{
  return finish_boolean (vault, result, error);
}

/* Unlocking again with the new passphrase costs one more KDF run, but
 * leaves the vault exactly as a normal unlock by @name would: it reports
 * who opened it, and the new passphrase is proven to work. */
static void
take_over_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  KoersVault *vault = KOERS_VAULT (source_object);
  TaskData *data = task_data;
  GError *error = NULL;
  gboolean ok;

  if (data->new_person)
    ok = koers_vault_add_slot (vault, data->name, data->passphrase, &data->params, &error);
  else
    ok = koers_vault_set_passphrase (vault, data->name, data->passphrase, &data->params, &error);
  if (ok)
    ok = koers_vault_unlock (vault, data->name, data->passphrase, &error);

  return_boolean (task, ok, error);
}

void
koers_vault_task_take_over_async (KoersVault          *vault,
                                  const char          *name,
                                  const char          *passphrase,
                                  gboolean             new_person,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  TaskData *data;

  g_return_if_fail (KOERS_IS_VAULT (vault));
  g_return_if_fail (name != NULL);
  g_return_if_fail (passphrase != NULL);

  data = task_data_new (name, passphrase);
  data->new_person = !!new_person;

  run_task (vault, data, koers_vault_task_take_over_async, take_over_thread, cancellable, callback, user_data);
}

gboolean
koers_vault_task_take_over_finish (KoersVault   *vault,
                                   GAsyncResult *result,
                                   GError      **error)
{
  return finish_boolean (vault, result, error);
}
