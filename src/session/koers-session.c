/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-session"

#include "koers-session.h"
#include "koers-client-file.h"
#include "sync/koers-sync-engine.h"
#include "sync/koers-sync-round.h"

/* On lock and quit the engine gets one short round, never holding the
 * lock (or the quit) longer than this. */
#define SYNC_SHUTDOWN_MS 2000

struct _KoersSession
{
  GObject           parent_instance;

  char             *vault_dir;
  KoersSessionFlags flags;
  KoersVault       *vault;
  KoersStore       *store;    /* NULL unless open */
  KoersStoreReader *reader;   /* NULL unless open */
  KoersSyncEngine  *sync;     /* NULL unless open and enrolled */

  /* From the first-run form, until the store has made the first worker. */
  char             *new_steunpunt;
  KoersRole         new_role;

  guint             n_pending;       /* vault calls running in a worker */
  gboolean          lock_when_done;  /* locked while one ran */
  gboolean          checkpointing;   /* a checkpoint job is queued or runs */
  gboolean          checkpoint_again; /* a commit came in meanwhile */
};

G_DEFINE_FINAL_TYPE (KoersSession, koers_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_VAULT,
  PROP_OPEN,
  PROP_WORKER_ID,
  PROP_SYNC_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  LOCKING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

KoersKdfParams
koers_session_kdf_params (void)
{
  if (g_strcmp0 (g_getenv ("KOERS_KDF"), "minimum") == 0)
    return koers_kdf_params_minimum ();
  return koers_kdf_params_default ();
}

/* --- the current worker ----------------------------------------------- */

/* The worker named like the slot that unlocked the vault (none for the
 * recovery key). The app makes one when there is none, with the role and
 * steunpunt of the first-run form (or a volunteer); koers-cli names nobody
 * then. */
static gboolean
set_current_worker (KoersSession  *self,
                    GError       **error)
{
  gboolean adopt = (self->flags & KOERS_SESSION_ADOPT_WORKER) != 0;
  KoersNewWorker if_new = { self->new_steunpunt != NULL ? self->new_role : KOERS_ROLE_VOLUNTEER,
                            self->new_steunpunt };

  if (!koers_store_adopt_worker (self->store, koers_vault_get_unlocked_by (self->vault),
                                 adopt ? &if_new : NULL, error))
    return FALSE;
  g_clear_pointer (&self->new_steunpunt, g_free);
  return TRUE;
}

/* --- checkpoints off the main thread ----------------------------------- */

static gpointer
checkpoint_job (KoersStore    *store,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  if (!koers_store_checkpoint (store, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void queue_checkpoint (KoersSession *self);

static void
on_checkpointed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KoersSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (koers_store_reader_run_finish (KOERS_STORE_READER (source), result, &error) == NULL
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    /* Nothing is lost: the changes stay in the WAL, where every read
     * finds them, and the next checkpoint tries again. A damaged page is
     * reported by the reads that meet it. */
    g_debug ("A checkpoint failed: %s", error->message);
  self->checkpointing = FALSE;
  if (self->checkpoint_again && (KoersStoreReader *) source == self->reader)
    queue_checkpoint (self);
}

/* One job at a time: commits while it runs ask for one more after it. */
static void
queue_checkpoint (KoersSession *self)
{
  /* A few hundred frames at a time: one database sync for many saves. */
  if (self->reader == NULL || !koers_store_checkpoint_due (self->store))
    return;
  if (self->checkpointing)
    {
      self->checkpoint_again = TRUE;
      return;
    }
  self->checkpointing = TRUE;
  self->checkpoint_again = FALSE;
  koers_store_reader_run_async (self->reader, checkpoint_job, NULL, NULL, NULL, NULL,
                                on_checkpointed, g_object_ref (self));
}

static gboolean
start_background_checkpoints (KoersSession  *self,
                              GError       **error)
{
  if ((self->flags & KOERS_SESSION_BACKGROUND_CHECKPOINT) == 0)
    return TRUE;
  if (!koers_store_set_auto_checkpoint (self->store, FALSE, error))
    return FALSE;
  g_signal_connect_object (self->store, "changed", G_CALLBACK (queue_checkpoint), self, G_CONNECT_SWAPPED);
  return TRUE;
}

/* --- the sync engine -------------------------------------------------- */

/* A round writes on the engine's own connection: the main store's
 * "changed" does not fire, so the delivery shown on the file and the
 * client rows would stay as they were until the next save. */
static void
on_round_finished (KoersSession *self,
                   gboolean      ok)
{
  if (ok && self->store != NULL)
    g_signal_emit_by_name (self->store, "changed");
}

gboolean
koers_session_start_sync (KoersSession *self)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), FALSE);

  if (self->store == NULL || !koers_sync_is_enrolled (self->store))
    return FALSE;
  if (self->sync == NULL)
    {
      self->sync = koers_sync_engine_new (self->vault);
      g_signal_connect_object (self->sync, "round-finished", G_CALLBACK (on_round_finished), self,
                               G_CONNECT_SWAPPED);
      koers_sync_engine_start (self->sync);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_ENGINE]);
    }
  else
    /* A new enrollment counts from the next round: run it now. */
    koers_sync_engine_sync_now (self->sync);
  return TRUE;
}

KoersSyncEngine *
koers_session_get_sync_engine (KoersSession *self)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), NULL);

  return self->sync;
}

static void
stop_sync (KoersSession *self)
{
  if (self->sync == NULL)
    return;
  if (!koers_sync_engine_shutdown (self->sync, SYNC_SHUTDOWN_MS))
    g_debug ("The last sync round did not complete; the next unlock sends the rest");
  g_clear_object (&self->sync);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_ENGINE]);
}

/* --- opening and locking ---------------------------------------------- */

gboolean
koers_session_open_store (KoersSession  *self,
                          GError       **error)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->store == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->vault == NULL || !koers_vault_is_unlocked (self->vault))
    {
      g_set_error_literal (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_LOCKED, "The vault is locked");
      return FALSE;
    }
  self->store = koers_store_new (koers_vault_get_db (self->vault), error);
  if (self->store != NULL && set_current_worker (self, error)
      && start_background_checkpoints (self, error))
    self->reader = koers_store_reader_new (self->vault, error);
  if (self->reader == NULL)
    {
      g_clear_object (&self->store);
      koers_vault_lock (self->vault);
      return FALSE;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER_ID]);
  if ((self->flags & KOERS_SESSION_SYNC) != 0)
    koers_session_start_sync (self);
  return TRUE;
}

/* The store's statements must be finalized before the vault closes its
 * connection: nobody may hold it past "locking". */
static void
close_store (KoersSession *self)
{
  gpointer store = self->store;

  if (store == NULL)
    return;
  g_object_add_weak_pointer (store, &store);
  g_clear_object (&self->store);
  if (store != NULL)
    {
      g_critical ("The store is still in use while the vault locks");
      g_object_remove_weak_pointer (store, &store);
    }
}

void
koers_session_lock (KoersSession *self)
{
  gboolean was_open;

  g_return_if_fail (KOERS_IS_SESSION (self));

  was_open = self->store != NULL;
  g_object_ref (self);
  g_signal_emit (self, signals[LOCKING], 0);
  /* Its worker stops before the vault closes the database. */
  if (self->reader != NULL)
    koers_store_reader_close (self->reader);
  g_clear_object (&self->reader);
  /* One short round, then its connection closes, before the vault's. */
  stop_sync (self);
  close_store (self);
  /* A vault call still running locks the vault when it ends. */
  if (self->n_pending > 0)
    self->lock_when_done = TRUE;
  else if (self->vault != NULL && koers_vault_is_unlocked (self->vault))
    koers_vault_lock (self->vault);
  g_clear_pointer (&self->new_steunpunt, g_free);
  if (was_open)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER_ID]);
    }
  g_object_unref (self);
}

/* --- vault calls in a worker ------------------------------------------ */

typedef struct
{
  char            *name;
  KoersVaultSecret *passphrase;
  gboolean         new_person;
} TaskData;

static void
task_data_free (TaskData *data)
{
  g_free (data->name);
  koers_vault_free_secret (data->passphrase);
  g_free (data);
}

static GTask *
start_task (KoersSession        *self,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  self->n_pending++;
  self->lock_when_done = FALSE;
  return task;
}

/* A vault call ended: a cancelled one (the window is gone) or one that
 * ended after koers_session_lock() leaves the vault locked. Returns
 * whether the task still has to be returned. */
static gboolean
vault_call_done (GTask  *task,
                 GError *error)
{
  KoersSession *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  self->n_pending--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || g_cancellable_is_cancelled (cancellable) || self->lock_when_done)
    {
      self->lock_when_done = FALSE;
      if (self->vault != NULL && koers_vault_is_unlocked (self->vault))
        koers_vault_lock (self->vault);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The vault was locked");
      return FALSE;
    }
  return TRUE;
}

static void
return_result (GTask  *task,
               GError *error)
{
  if (!vault_call_done (task, error))
    g_clear_error (&error);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
finish_boolean (KoersSession *self,
                GAsyncResult *result,
                gpointer      source_tag,
                GError      **error)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_created (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KoersSession *self = g_task_get_source_object (task);
  g_autoptr(KoersVault) vault = NULL;
  char *key = NULL;
  GError *error = NULL;

  vault = koers_vault_create_finish (result, &key, &error);
  if (vault != NULL && g_set_object (&self->vault, vault))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VAULT]);
  if (!vault_call_done (task, error))
    {
      g_clear_error (&error);
      koers_vault_free_secret (key);
    }
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, key, (GDestroyNotify) koers_vault_free_secret);
}

void
koers_session_create_async (KoersSession        *self,
                            const char          *name,
                            const char          *passphrase,
                            const char          *steunpunt,
                            KoersRole            role,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  KoersKdfParams params = koers_session_kdf_params ();
  GTask *task;

  g_return_if_fail (KOERS_IS_SESSION (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (passphrase != NULL);

  task = start_task (self, koers_session_create_async, cancellable, callback, user_data);
  /* The store keeps them once it opens (set_current_worker). */
  g_free (self->new_steunpunt);
  self->new_steunpunt = g_strdup (steunpunt);
  self->new_role = role;
  koers_vault_create_async (self->vault_dir, name, passphrase, &params, cancellable, on_created, task);
}

gboolean
koers_session_create_finish (KoersSession  *self,
                             GAsyncResult  *result,
                             char         **recovery_key,
                             GError       **error)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (recovery_key != NULL, FALSE);

  *recovery_key = g_task_propagate_pointer (G_TASK (result), error);
  return *recovery_key != NULL;
}

typedef gboolean (*VaultFinish) (KoersVault    *vault,
                                 GAsyncResult  *result,
                                 GError       **error);

/* Ends @task (owned) with the outcome of an unlock. */
static void
unlock_done (GTask        *task,
             GObject      *vault,
             GAsyncResult *result,
             VaultFinish   finish)
{
  GError *error = NULL;

  if (!finish (KOERS_VAULT (vault), result, &error))
    g_assert (error != NULL);
  return_result (task, error);
  g_object_unref (task);
}

static void
on_unlocked (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  unlock_done (user_data, source, result, koers_vault_unlock_finish);
}

void
koers_session_unlock_async (KoersSession        *self,
                            const char          *name,
                            const char          *passphrase,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KOERS_IS_SESSION (self));
  g_return_if_fail (KOERS_IS_VAULT (self->vault));
  g_return_if_fail (name != NULL);
  g_return_if_fail (passphrase != NULL);

  task = start_task (self, koers_session_unlock_async, cancellable, callback, user_data);
  koers_vault_unlock_async (self->vault, name, passphrase, cancellable, on_unlocked, task);
}

gboolean
koers_session_unlock_finish (KoersSession *self,
                             GAsyncResult *result,
                             GError      **error)
{
  return finish_boolean (self, result, koers_session_unlock_async, error);
}

gboolean
koers_session_unlock (KoersSession *self,
                      const char   *name,
                      const char   *passphrase,
                      GError      **error)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (KOERS_IS_VAULT (self->vault), FALSE);

  return koers_vault_unlock (self->vault, name, passphrase, error);
}

static void
on_key_unlocked (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  unlock_done (user_data, source, result, koers_vault_unlock_with_recovery_key_finish);
}

void
koers_session_unlock_with_key_async (KoersSession        *self,
                                     const char          *recovery_key,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KOERS_IS_SESSION (self));
  g_return_if_fail (KOERS_IS_VAULT (self->vault));
  g_return_if_fail (recovery_key != NULL);

  task = start_task (self, koers_session_unlock_with_key_async, cancellable, callback, user_data);
  koers_vault_unlock_with_recovery_key_async (self->vault, recovery_key, cancellable, on_key_unlocked, task);
}

gboolean
koers_session_unlock_with_key_finish (KoersSession *self,
                                      GAsyncResult *result,
                                      GError      **error)
{
  return finish_boolean (self, result, koers_session_unlock_with_key_async, error);
}

/* Step two of a take over: unlocking again with the new passphrase costs
 * one more KDF run, but leaves the vault exactly as a normal unlock by
 * @name would: it reports who opened it, and the passphrase is proven. */
static void
on_slot_set (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  TaskData *data = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean ok;

  if (data->new_person)
    ok = koers_vault_add_slot_finish (KOERS_VAULT (source), result, &error);
  else
    ok = koers_vault_set_passphrase_finish (KOERS_VAULT (source), result, &error);
  if (!ok)
    {
      return_result (task, error);
      g_object_unref (task);
      return;
    }
  koers_vault_unlock_async (KOERS_VAULT (source), data->name, data->passphrase,
                            g_task_get_cancellable (task), on_unlocked, task);
}

void
koers_session_take_over_async (KoersSession        *self,
                               const char          *name,
                               const char          *passphrase,
                               gboolean             new_person,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  KoersKdfParams params = koers_session_kdf_params ();
  TaskData *data;
  GTask *task;

  g_return_if_fail (KOERS_IS_SESSION (self));
  g_return_if_fail (KOERS_IS_VAULT (self->vault));
  g_return_if_fail (name != NULL);
  g_return_if_fail (passphrase != NULL);

  task = start_task (self, koers_session_take_over_async, cancellable, callback, user_data);
  data = g_new0 (TaskData, 1);
  data->name = g_strdup (name);
  data->passphrase = g_strdup (passphrase);
  data->new_person = !!new_person;
  g_task_set_task_data (task, data, (GDestroyNotify) task_data_free);
  if (new_person)
    koers_vault_add_slot_async (self->vault, name, passphrase, &params, cancellable, on_slot_set, task);
  else
    koers_vault_set_passphrase_async (self->vault, name, passphrase, &params, cancellable, on_slot_set, task);
}

gboolean
koers_session_take_over_finish (KoersSession *self,
                                GAsyncResult *result,
                                GError      **error)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  /* Its last step is an unlock. */
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- the object ------------------------------------------------------- */

/* --- enrollment -------------------------------------------------------- */

/* Enrollment, on a worker thread with its own connection (the main
 * store is not thread-safe; the reader only reads). */
typedef struct
{
  KoersVault *vault;
  GBytes     *file;
  char       *device_id;
  char       *public_key;
} EnrollData;

static void
enroll_data_free (EnrollData *data)
{
  g_object_unref (data->vault);
  g_bytes_unref (data->file);
  g_free (data->device_id);
  g_free (data->public_key);
  g_free (data);
}

static void
enroll_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  EnrollData *data = task_data;
  g_autoptr(KoersStore) store = NULL;
  GError *error = NULL;
  sqlite3 *db = koers_vault_open_connection (data->vault, &error);

  if (db != NULL)
    {
      store = koers_store_new (db, &error);
      /* A bad file leaves @error set and changes nothing. */
      if (store != NULL && !koers_sync_enroll (store, data->file, &data->device_id, &data->public_key, &error))
        g_debug ("Enrollment refused");
      g_clear_object (&store);
      sqlite3_close (db);
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_enrolled (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KoersSession *self = KOERS_SESSION (source);
  GError *error = NULL;

  /* Not vault_call_done(): a window that goes away leaves the vault as
   * it is; only a lock asked for meanwhile happens now. */
  self->n_pending--;
  if (self->lock_when_done && self->n_pending == 0)
    {
      self->lock_when_done = FALSE;
      koers_vault_lock (self->vault);
    }
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The engine reads the new enrollment from the vault. */
  if (self->store != NULL)
    koers_session_start_sync (self);
  g_task_return_boolean (task, TRUE);
}

void
koers_session_enroll_async (KoersSession        *self,
                            GBytes              *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  g_autoptr(GTask) worker = NULL;
  EnrollData *data;

  g_return_if_fail (KOERS_IS_SESSION (self));
  g_return_if_fail (file != NULL);

  task = start_task (self, koers_session_enroll_async, cancellable, callback, user_data);
  if (self->store == NULL)
    {
      self->n_pending--;
      g_task_return_new_error (task, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_LOCKED, "The vault is locked");
      g_object_unref (task);
      return;
    }
  data = g_new0 (EnrollData, 1);
  data->vault = g_object_ref (self->vault);
  data->file = g_bytes_ref (file);
  g_task_set_task_data (task, data, (GDestroyNotify) enroll_data_free);
  worker = g_task_new (self, cancellable, on_enrolled, task);
  g_task_set_task_data (worker, data, NULL);
  g_task_run_in_thread (worker, enroll_thread);
}

gboolean
koers_session_enroll_finish (KoersSession  *self,
                             GAsyncResult  *result,
                             char         **device_id,
                             char         **public_key,
                             GError       **error)
{
  EnrollData *data;

  if (!finish_boolean (self, result, koers_session_enroll_async, error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (device_id != NULL)
    *device_id = g_strdup (data->device_id);
  if (public_key != NULL)
    *public_key = g_strdup (data->public_key);
  return TRUE;
}

static void
koers_session_dispose (GObject *object)
{
  KoersSession *self = KOERS_SESSION (object);

  koers_session_lock (self);
  g_clear_object (&self->vault);

  G_OBJECT_CLASS (koers_session_parent_class)->dispose (object);
}

static void
koers_session_finalize (GObject *object)
{
  KoersSession *self = KOERS_SESSION (object);

  g_free (self->vault_dir);
  g_free (self->new_steunpunt);

  G_OBJECT_CLASS (koers_session_parent_class)->finalize (object);
}

static void
koers_session_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  KoersSession *self = KOERS_SESSION (object);

  switch (prop_id)
    {
    case PROP_VAULT:
      g_value_set_object (value, self->vault);
      break;
    case PROP_OPEN:
      g_value_set_boolean (value, koers_session_is_open (self));
      break;
    case PROP_WORKER_ID:
      g_value_set_string (value, koers_session_get_worker_id (self));
      break;
    case PROP_SYNC_ENGINE:
      g_value_set_object (value, self->sync);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_session_class_init (KoersSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = koers_session_dispose;
  object_class->finalize = koers_session_finalize;
  object_class->get_property = koers_session_get_property;

  properties[PROP_VAULT] =
    g_param_spec_object ("vault", NULL, NULL, KOERS_TYPE_VAULT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* TRUE while the store is open (locked or unlocked for the window). */
  properties[PROP_OPEN] =
    g_param_spec_boolean ("open", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WORKER_ID] =
    g_param_spec_string ("worker-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The sync engine while open and enrolled (KOERS_SESSION_SYNC), else NULL. */
  properties[PROP_SYNC_ENGINE] =
    g_param_spec_object ("sync-engine", NULL, NULL, KOERS_TYPE_SYNC_ENGINE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Before the reader, the store and the vault close: whoever holds the
   * store or the reader lets go of them here. */
  signals[LOCKING] = g_signal_new ("locking", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
koers_session_init (KoersSession *self)
{
}

KoersSession *
koers_session_new (const char        *vault_dir,
                   KoersSessionFlags  flags)
{
  KoersSession *self;

  g_return_val_if_fail (vault_dir != NULL, NULL);

  self = g_object_new (KOERS_TYPE_SESSION, NULL);
  self->vault_dir = g_strdup (vault_dir);
  self->flags = flags;
  return self;
}

const char *
koers_session_get_vault_dir (KoersSession *self)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), NULL);

  return self->vault_dir;
}

gboolean
koers_session_vault_exists (KoersSession *self)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), FALSE);

  return koers_vault_exists (self->vault_dir);
}

gboolean
koers_session_open_vault (KoersSession  *self,
                          GError       **error)
{
  g_autoptr(KoersVault) vault = NULL;

  g_return_val_if_fail (KOERS_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->vault == NULL || !koers_vault_is_unlocked (self->vault), FALSE);

  vault = koers_vault_open (self->vault_dir, error);
  if (vault == NULL)
    return FALSE;
  g_set_object (&self->vault, vault);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VAULT]);
  return TRUE;
}

KoersVault *
koers_session_get_vault (KoersSession *self)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), NULL);

  return self->vault;
}

KoersStore *
koers_session_get_store (KoersSession *self)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), NULL);

  return self->store;
}

KoersStoreReader *
koers_session_get_reader (KoersSession *self)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), NULL);

  return self->reader;
}

gboolean
koers_session_is_open (KoersSession *self)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), FALSE);

  return self->store != NULL;
}

gboolean
koers_session_is_unlocked (KoersSession *self)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), FALSE);

  return self->vault != NULL && koers_vault_is_unlocked (self->vault);
}

const char *
koers_session_get_worker_id (KoersSession *self)
{
  g_return_val_if_fail (KOERS_IS_SESSION (self), NULL);

  return self->store != NULL ? koers_store_get_current_worker (self->store) : NULL;
}

gboolean
koers_session_is_coordinator (KoersSession *self)
{
  const char *worker_id;
  g_autoptr(KoersWorker) worker = NULL;

  g_return_val_if_fail (KOERS_IS_SESSION (self), FALSE);

  if (!koers_session_is_unlocked (self))
    return FALSE;
  worker_id = koers_session_get_worker_id (self);
  if (worker_id == NULL)
    return TRUE;
  worker = koers_store_get_worker (self->store, worker_id, NULL);
  return worker != NULL && worker->role == KOERS_ROLE_COORDINATOR;
}
