/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-reader"

#include "koers-store-reader.h"
#include "koers-store-private.h"

struct _KoersStoreReader
{
  GObject       parent_instance;

  sqlite3      *db;
  KoersStore   *store;    /* over db; made and used on the worker thread */
  GThreadPool  *pool;     /* one thread; NULL once closed */
  GCancellable *closing;  /* cancelled by koers_store_reader_close() */
  gpointer      running;  /* the Job on the worker, or NULL (worker only) */
  guint         writes;   /* write jobs queued or running (main thread) */
};

G_DEFINE_FINAL_TYPE (KoersStoreReader, koers_store_reader, G_TYPE_OBJECT)

typedef struct
{
  KoersStoreReader  *reader;  /* alive while the job is queued or runs */
  KoersStoreReadFunc func;
  gpointer           data;
  GDestroyNotify     data_free;
  GDestroyNotify     result_free;
  GCancellable      *cancellable;  /* the job's own */
  GCancellable      *caller;       /* the caller's, or NULL */
  gulong             caller_handler;
  gulong             closing_handler;
  /* A write job: whom and by which clock the main store records changes
   * for, taken when the job is queued. */
  gboolean           writes;
  char              *worker_id;
  KoersClockFunc     clock;
  gpointer           clock_data;
} Job;

/* On the worker once the job is done: nothing reaches the reader after. */
static void
disconnect_job (Job *job)
{
  g_cancellable_disconnect (job->caller, job->caller_handler);
  g_cancellable_disconnect (job->reader->closing, job->closing_handler);
  job->caller_handler = job->closing_handler = 0;
}

static void
job_free (Job *job)
{
  g_clear_object (&job->caller);
  g_clear_object (&job->cancellable);
  g_free (job->worker_id);
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

/* The caller's cancellable or closing the reader cancels the job's. */
static void
cancel_job (GCancellable *source,
            gpointer      job_cancellable)
{
  g_cancellable_cancel (job_cancellable);
}

/* SQLite calls this on the worker every thousand steps of a query: a
 * cancelled job's query stops at once instead of finishing for nobody.
 * (sqlite3_interrupt() from the main thread would be lost when it falls
 * between two statements of a job.) */
static int
abort_if_cancelled (void *data)
{
  KoersStoreReader *self = data;
  Job *job = self->running;

  return job != NULL && g_cancellable_is_cancelled (job->cancellable);
}

/* The worker thread. */
static void
run_job (gpointer task_data,
         gpointer pool_data)
{
  g_autoptr(GTask) task = task_data;
  KoersStoreReader *self = pool_data;
  Job *job = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer result = NULL;

  self->running = job;
  /* The store opens here, not on the main thread: it reads the change
   * log's newest stamp (about 340 ms at 10k clients). After the window's
   * store opened the vault it only reads: the schema is current, the
   * device id and the search index exist. */
  if (self->store == NULL && !g_cancellable_is_cancelled (job->cancellable))
    self->store = koers_store_new (self->db, &error);
  if (self->store != NULL && job->writes)
    {
      koers_store_set_current_worker (self->store, job->worker_id);
      koers_store_set_clock (self->store, job->clock, job->clock_data);
    }
  if (self->store != NULL && !g_cancellable_is_cancelled (job->cancellable))
    result = job->func (self->store, job->data, job->cancellable, &error);
  self->running = NULL;
  disconnect_job (job);

  if (g_cancellable_is_cancelled (job->cancellable))
    {
      /* An interrupted query's error says less than this. */
      if (result != NULL && job->result_free != NULL)
        job->result_free (result);
      g_clear_error (&error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Reading was cancelled");
    }
  else if (error != NULL)
    {
      if (result != NULL && job->result_free != NULL)
        job->result_free (result);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, result, job->result_free);
}

static void
koers_store_reader_dispose (GObject *object)
{
  koers_store_reader_close (KOERS_STORE_READER (object));

  G_OBJECT_CLASS (koers_store_reader_parent_class)->dispose (object);
}

static void
koers_store_reader_finalize (GObject *object)
{
  KoersStoreReader *self = KOERS_STORE_READER (object);

  g_clear_object (&self->closing);

  G_OBJECT_CLASS (koers_store_reader_parent_class)->finalize (object);
}

static void
koers_store_reader_class_init (KoersStoreReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = koers_store_reader_dispose;
  object_class->finalize = koers_store_reader_finalize;
}

static void
koers_store_reader_init (KoersStoreReader *self)
{
  self->closing = g_cancellable_new ();
}

KoersStoreReader *
koers_store_reader_new (KoersVault *vault,
                        GError    **error)
{
  g_autoptr(KoersStoreReader) self = NULL;

  g_return_val_if_fail (KOERS_IS_VAULT (vault), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (KOERS_TYPE_STORE_READER, NULL);
  self->db = koers_vault_open_connection (vault, error);
  if (self->db == NULL)
    return NULL;
  sqlite3_progress_handler (self->db, 1000, abort_if_cancelled, self);
  /* Not exclusive: a shared thread, one job at a time. */
  self->pool = g_thread_pool_new (run_job, self, 1, FALSE, error);
  if (self->pool == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

static Job *
job_new (KoersStoreReader  *self,
         KoersStoreReadFunc func,
         gpointer           data,
         GDestroyNotify     data_free,
         GDestroyNotify     result_free)
{
  Job *job = g_new0 (Job, 1);

  job->reader = self;
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  job->cancellable = g_cancellable_new ();
  return job;
}

void
koers_store_reader_run_async (KoersStoreReader   *self,
                              KoersStoreReadFunc  func,
                              gpointer            data,
                              GDestroyNotify      data_free,
                              GDestroyNotify      result_free,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (KOERS_IS_STORE_READER (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, koers_store_reader_run_async);
  job = job_new (self, func, data, data_free, result_free);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);

  if (self->pool == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The store reader is closed");
      return;
    }
  if (cancellable != NULL)
    {
      job->caller = g_object_ref (cancellable);
      job->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_job),
                                                   g_object_ref (job->cancellable), g_object_unref);
    }
  job->closing_handler = g_cancellable_connect (self->closing, G_CALLBACK (cancel_job),
                                                g_object_ref (job->cancellable), g_object_unref);
  g_thread_pool_push (self->pool, g_steal_pointer (&task), NULL);
}

gpointer
koers_store_reader_run_finish (KoersStoreReader *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (KOERS_IS_STORE_READER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Writes -------------------------------------------------------------------- */

/* On the caller's context once the write job is done: the pages follow
 * the main store's "changed" (unless the reader closed: the session is
 * locking and the pages are going), then the caller hears the result. */
static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  KoersStoreReader *self = KOERS_STORE_READER (source);
  g_autoptr(GTask) outer = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  GDestroyNotify result_free = job->result_free;
  GError *error = NULL;
  gpointer written = g_task_propagate_pointer (G_TASK (result), &error);

  self->writes--;
  if (error != NULL)
    {
      g_task_return_error (outer, error);
      return;
    }
  if (self->pool != NULL)
    g_signal_emit_by_name (g_task_get_task_data (outer), "changed");
  g_task_return_pointer (outer, written, result_free);
}

void
koers_store_reader_write_async (KoersStoreReader   *self,
                                KoersStore         *store,
                                KoersStoreReadFunc  func,
                                gpointer            data,
                                GDestroyNotify      data_free,
                                GDestroyNotify      result_free,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (KOERS_IS_STORE_READER (self));
  g_return_if_fail (KOERS_IS_STORE (store));
  g_return_if_fail (func != NULL);

  outer = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (outer, koers_store_reader_write_async);
  g_task_set_task_data (outer, g_object_ref (store), g_object_unref);
  job = job_new (self, func, data, data_free, result_free);
  job->writes = TRUE;
  job->worker_id = g_strdup (store->worker_id);
  job->clock = store->clock;
  job->clock_data = store->clock_data;
  if (self->pool == NULL)
    {
      job_free (job);
      g_task_return_new_error (outer, G_IO_ERROR, G_IO_ERROR_CLOSED, "The store reader is closed");
      return;
    }
  /* Neither the caller nor closing cancels it: what a person saved is
   * written, and koers_store_reader_close() waits for it. */
  task = g_task_new (self, NULL, on_written, g_steal_pointer (&outer));
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  self->writes++;
  g_thread_pool_push (self->pool, g_steal_pointer (&task), NULL);
}

gpointer
koers_store_reader_write_finish (KoersStoreReader *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (KOERS_IS_STORE_READER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
koers_store_reader_is_open (KoersStoreReader *self)
{
  g_return_val_if_fail (KOERS_IS_STORE_READER (self), FALSE);

  return self->pool != NULL;
}

guint
koers_store_reader_get_n_writes (KoersStoreReader *self)
{
  g_return_val_if_fail (KOERS_IS_STORE_READER (self), 0);

  return self->writes;
}

void
koers_store_reader_close (KoersStoreReader *self)
{
  g_return_if_fail (KOERS_IS_STORE_READER (self));

  if (self->pool != NULL)
    {
      g_cancellable_cancel (self->closing);
      /* Not immediate: every queued job still returns (cancelled), so its
       * task and data are freed; the wait is short. */
      g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
    }
  /* The store's statements go before their connection. */
  g_clear_object (&self->store);
  if (self->db != NULL && sqlite3_close (self->db) != SQLITE_OK)
    {
      g_warning ("The store reader closed while statements were still open");
      sqlite3_close_v2 (self->db);
    }
  self->db = NULL;
}

/* Jobs every view needs ---------------------------------------------------- */

static gpointer
read_file (KoersStore    *store,
           gpointer       client_id,
           GCancellable  *cancellable,
           GError       **error)
{
  return koers_store_read_file (store, client_id, FALSE, error);
}

void
koers_store_reader_read_file_async (KoersStoreReader   *self,
                                    const char         *client_id,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  g_return_if_fail (client_id != NULL);

  koers_store_reader_run_async (self, read_file, g_strdup (client_id), g_free,
                                (GDestroyNotify) koers_client_file_free, cancellable, callback,
                                user_data);
}

KoersClientFile *
koers_store_reader_read_file_finish (KoersStoreReader *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  return koers_store_reader_run_finish (self, result, error);
}
