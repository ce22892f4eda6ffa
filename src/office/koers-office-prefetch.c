/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-prefetch.c: batch files fetched ahead of the merge
 * (koers-office-prefetch.h).
 *
 * Shared between the two threads, under @lock: the queue of fetched files,
 * its size, the skipped groups and the stop and done flags. The plan is
 * written before the thread starts and only read after; the thread's
 * client and cursor are its own; the pull's cursor and the index of paths
 * are the pull's own. */
#include "config.h"

#define G_LOG_DOMAIN "koers-office"

#include "koers-envelope.h"
#include "koers-office-prefetch.h"

/* How far ahead: enough to cover a GET while a batch merges, little
 * enough that files waiting stay well inside the pull's memory budget
 * (docs/benchmarks.md, "Pull"). A single file may be larger than the
 * byte bound: the thread then waits until the queue is empty. */
#define AHEAD_FILES 8
#define AHEAD_BYTES (24 * 1024 * 1024)

typedef struct
{
  char          *path;
  gconstpointer  group;
} Job;

typedef struct
{
  guint   index;  /* of its job */
  GBytes *file;   /* NULL: see error; both NULL: not fetched (group skipped) */
  GError *error;
} Fetched;

struct _KoersOfficePrefetch
{
  KoersDavClient *drop;          /* the pull's: files it fetches itself */
  KoersDavClient *client;        /* the thread's own */
  GCancellable   *outer;         /* the caller's, may be NULL */
  GCancellable   *cancellable;   /* the thread's: cancelled by the outer one and on free */
  gulong          outer_handler;
  GPtrArray      *jobs;          /* Job *, in the order the pull asks */
  GHashTable     *index_of;      /* path -> index + 1 (the pull's) */
  guint           consumed;      /* jobs the pull has taken or passed (the pull's) */
  GThread        *thread;

  GMutex          lock;
  GCond           changed;
  GQueue          ready;         /* Fetched *, by index */
  gsize           ready_bytes;
  GHashTable     *skipped;       /* groups whose later files are not needed */
  gboolean        stop;
  gboolean        done;          /* the thread has queued its last */
};

static void
job_free (gpointer data)
{
  Job *job = data;

  g_free (job->path);
  g_free (job);
}

static void
fetched_free (gpointer data)
{
  Fetched *fetched = data;

  g_clear_pointer (&fetched->file, g_bytes_unref);
  g_clear_error (&fetched->error);
  g_free (fetched);
}

static gsize
fetched_size (const Fetched *fetched)
{
  return fetched->file != NULL ? g_bytes_get_size (fetched->file) : 0;
}

static void
cancel_inner (GCancellable *outer,
              gpointer      inner)
{
  g_cancellable_cancel (inner);
}

KoersOfficePrefetch *
koers_office_prefetch_new (KoersDavClient  *drop,
                           GCancellable    *cancellable,
                           GError         **error)
{
  KoersDavClient *client = koers_dav_client_copy (drop, error);
  KoersOfficePrefetch *self;

  if (client == NULL)
    return NULL;
  self = g_new0 (KoersOfficePrefetch, 1);
  self->drop = g_object_ref (drop);
  self->client = client;
  self->cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      self->outer = g_object_ref (cancellable);
      /* runs at once when it is cancelled already */
      self->outer_handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_inner),
                                                   self->cancellable, NULL);
    }
  self->jobs = g_ptr_array_new_with_free_func (job_free);
  self->index_of = g_hash_table_new (g_str_hash, g_str_equal);
  self->skipped = g_hash_table_new (NULL, NULL);
  g_mutex_init (&self->lock);
  g_cond_init (&self->changed);
  g_queue_init (&self->ready);
  return self;
}

void
koers_office_prefetch_plan (KoersOfficePrefetch *self,
                            const char          *path,
                            gconstpointer        group)
{
  Job *job;

  g_return_if_fail (self->thread == NULL);
  if (g_hash_table_contains (self->index_of, path))
    return;
  job = g_new0 (Job, 1);
  job->path = g_strdup (path);
  job->group = group;
  g_ptr_array_add (self->jobs, job);
  g_hash_table_insert (self->index_of, job->path, GUINT_TO_POINTER (self->jobs->len));
}

/* The thread --------------------------------------------------------------------------- */

static gboolean
has_room (KoersOfficePrefetch *self)
{
  return self->ready.length == 0
         || (self->ready.length < AHEAD_FILES && self->ready_bytes < AHEAD_BYTES);
}

static gpointer
fetch_ahead (gpointer data)
{
  KoersOfficePrefetch *self = data;
  gboolean failed = FALSE;

  for (guint i = 0; i < self->jobs->len && !failed; i++)
    {
      const Job *job = self->jobs->pdata[i];
      Fetched *fetched = g_new0 (Fetched, 1);
      gboolean skip, stopped;

      g_mutex_lock (&self->lock);
      while (!self->stop && !has_room (self))
        g_cond_wait (&self->changed, &self->lock);
      stopped = self->stop;
      skip = g_hash_table_contains (self->skipped, job->group);
      g_mutex_unlock (&self->lock);
      if (stopped)
        {
          g_free (fetched);
          break;
        }
      fetched->index = i;
      if (!skip)
        fetched->file = koers_dav_client_get (self->client, job->path, KOERS_ENVELOPE_MAX_FILE + 1,
                                              self->cancellable, &fetched->error);
      /* the pull stops at a failed GET: nothing after it is needed */
      failed = fetched->error != NULL;
      g_mutex_lock (&self->lock);
      g_queue_push_tail (&self->ready, fetched);
      self->ready_bytes += fetched_size (fetched);
      g_cond_broadcast (&self->changed);
      g_mutex_unlock (&self->lock);
    }
  g_mutex_lock (&self->lock);
  self->done = TRUE;
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);
  return NULL;
}

void
koers_office_prefetch_start (KoersOfficePrefetch *self)
{
  g_return_if_fail (self->thread == NULL);
  self->thread = g_thread_new ("koers-prefetch", fetch_ahead, self);
}

/* The pull's side ----------------------------------------------------------------------- */

/* The fetched file of job @index, dropping the ones before it (planned,
 * but the pull did not ask for them); NULL when the thread stopped first. */
static Fetched *
take (KoersOfficePrefetch *self,
      guint                index)
{
  Fetched *fetched = NULL;

  g_mutex_lock (&self->lock);
  for (;;)
    {
      while (self->ready.length == 0 && !self->done)
        g_cond_wait (&self->changed, &self->lock);
      fetched = g_queue_pop_head (&self->ready);
      if (fetched == NULL)
        break;
      self->ready_bytes -= fetched_size (fetched);
      g_cond_broadcast (&self->changed);
      if (fetched->index == index)
        break;
      g_mutex_unlock (&self->lock);
      fetched_free (fetched);
      fetched = NULL;
      g_mutex_lock (&self->lock);
    }
  g_mutex_unlock (&self->lock);
  return fetched;
}

GBytes *
koers_office_prefetch_get (KoersOfficePrefetch *self,
                           const char          *path,
                           GError             **error)
{
  guint planned = GPOINTER_TO_UINT (g_hash_table_lookup (self->index_of, path));
  Fetched *fetched = NULL;
  GBytes *file = NULL;

  /* a pull cancelled stops at once, as its own GET would: files fetched
   * ahead are not handed out after it */
  if (g_cancellable_set_error_if_cancelled (self->outer, error))
    return NULL;
  if (self->thread != NULL && planned > self->consumed)
    {
      self->consumed = planned;
      fetched = take (self, planned - 1);
    }
  if (fetched == NULL || (fetched->file == NULL && fetched->error == NULL))
    file = koers_dav_client_get (self->drop, path, KOERS_ENVELOPE_MAX_FILE + 1, self->outer, error);
  else if (fetched->error != NULL)
    g_propagate_error (error, g_steal_pointer (&fetched->error));
  else
    file = g_steal_pointer (&fetched->file);
  g_clear_pointer (&fetched, fetched_free);
  return file;
}

void
koers_office_prefetch_skip_group (KoersOfficePrefetch *self,
                                  gconstpointer        group)
{
  g_mutex_lock (&self->lock);
  g_hash_table_add (self->skipped, (gpointer) group);
  g_mutex_unlock (&self->lock);
}

void
koers_office_prefetch_free (KoersOfficePrefetch *self)
{
  if (self == NULL)
    return;
  if (self->thread != NULL)
    {
      g_mutex_lock (&self->lock);
      self->stop = TRUE;
      g_cond_broadcast (&self->changed);
      g_mutex_unlock (&self->lock);
      g_cancellable_cancel (self->cancellable);
      g_thread_join (self->thread);
    }
  if (self->outer != NULL)
    g_cancellable_disconnect (self->outer, self->outer_handler);
  g_queue_clear_full (&self->ready, fetched_free);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->changed);
  g_hash_table_unref (self->skipped);
  g_hash_table_unref (self->index_of);
  g_ptr_array_unref (self->jobs);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->outer);
  g_object_unref (self->client);
  g_object_unref (self->drop);
  g_free (self);
}
