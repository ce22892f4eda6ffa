/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-sync-engine.c: sync rounds on a worker thread, state on the main
 * context. See koers-sync-engine.h. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include "koers-sync-engine.h"

#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "koers-store.h"
#include "koers-sync-round.h"

#define DEFAULT_TIMER_MS        (5 * 60 * 1000)
#define DEFAULT_BACKOFF_BASE_MS 5000
#define BACKOFF_CAP_MS          (15 * 60 * 1000)
/* How long shutdown waits for a cancelled round to end. */
#define CANCEL_GRACE_MS         2000
#define WORKER_NICE             10

G_DEFINE_ENUM_TYPE (KoersSyncState, koers_sync_state,
  G_DEFINE_ENUM_VALUE (KOERS_SYNC_STATE_NOT_ENROLLED, "not-enrolled"),
  G_DEFINE_ENUM_VALUE (KOERS_SYNC_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (KOERS_SYNC_STATE_OFFLINE, "offline"),
  G_DEFINE_ENUM_VALUE (KOERS_SYNC_STATE_UPLOADING, "uploading"),
  G_DEFINE_ENUM_VALUE (KOERS_SYNC_STATE_SYNCED, "synced"),
  G_DEFINE_ENUM_VALUE (KOERS_SYNC_STATE_ERROR, "error"))

struct _KoersSyncEngine
{
  GObject parent_instance;

  KoersVault      *vault;
  GMainContext    *context;
  GNetworkMonitor *monitor;
  gulong           monitor_handler;
  guint            timer_id;
  guint            retry_id;
  guint            timer_ms;
  guint            backoff_base_ms;
  guint            attempt;
  gboolean         started;
  gboolean         stopped;
  gboolean         again;       /* sync_now while a round ran */
  GCancellable    *cancellable; /* of the running round; NULL: none */

  /* The worker's: touched only by the running round. */
  sqlite3         *db;
  KoersStore      *store;

  /* Properties (main context). */
  KoersSyncState   state;
  double           fraction;
  gint64           last_success;
  char            *error_message;
  gint64           unsent_changes;
  gint64           unacknowledged_changes;
  guint            uploaded_batches;
  guint            quarantined_batches;
  guint            n_arrivals;  /* of the last round, when it went well */
  KoersSyncArrival arrivals[KOERS_SYNC_MAX_ARRIVALS];
};

G_DEFINE_FINAL_TYPE (KoersSyncEngine, koers_sync_engine, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_FRACTION,
  PROP_BUSY,
  PROP_LAST_SUCCESS,
  PROP_ERROR_MESSAGE,
  PROP_UNSENT_CHANGES,
  PROP_UNACKNOWLEDGED_CHANGES,
  PROP_UPLOADED_BATCHES,
  PROP_QUARANTINED_BATCHES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  ROUND_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_round (KoersSyncEngine *self);

/* Property setters (main context) ------------------------------------------ */

static void
set_state (KoersSyncEngine *self, KoersSyncState state, double fraction)
{
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (self->fraction != fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
}

static void
set_error_message (KoersSyncEngine *self, const char *message)
{
  if (g_strcmp0 (self->error_message, message) == 0)
    return;
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

#define SET_COUNT(self, field, value, prop) \
  G_STMT_START { \
    if ((self)->field != (value)) \
      { \
        (self)->field = (value); \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
      } \
  } G_STMT_END

static void
set_counts (KoersSyncEngine *self, const KoersSyncCounts *counts)
{
  SET_COUNT (self, unsent_changes, counts->unsealed_changes, PROP_UNSENT_CHANGES);
  SET_COUNT (self, unacknowledged_changes, counts->unacknowledged_changes, PROP_UNACKNOWLEDGED_CHANGES);
  SET_COUNT (self, uploaded_batches, counts->uploaded_batches, PROP_UPLOADED_BATCHES);
  SET_COUNT (self, quarantined_batches, counts->quarantined_batches, PROP_QUARANTINED_BATCHES);
  SET_COUNT (self, last_success, counts->last_success_ms, PROP_LAST_SUCCESS);
}

/* From the worker to the main context --------------------------------------- */

typedef struct
{
  KoersSyncEngine *engine;
  gboolean         has_counts;
  KoersSyncCounts  counts;
  double           fraction;
} Update;

static gboolean
apply_update (gpointer data)
{
  Update *update = data;
  KoersSyncEngine *self = update->engine;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->cancellable != NULL)
    set_state (self, KOERS_SYNC_STATE_UPLOADING, update->fraction);
  if (update->has_counts)
    set_counts (self, &update->counts);
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

static void
update_free (gpointer data)
{
  Update *update = data;

  koers_sync_counts_clear (&update->counts);
  g_object_unref (update->engine);
  g_free (update);
}

static void
post_update (KoersSyncEngine *self, double fraction, gboolean with_counts)
{
  Update *update = g_new0 (Update, 1);

  update->engine = g_object_ref (self);
  update->fraction = fraction;
  if (with_counts && self->store != NULL)
    update->has_counts = koers_store_sync_get_counts (self->store, &update->counts, NULL);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, apply_update, update, update_free);
}

static void
on_progress (guint    done,
             guint    total,
             guint64  bytes_done,
             guint64  bytes_total,
             gpointer user_data)
{
  double part = bytes_total > 0 ? (double) bytes_done / (double) bytes_total : 0.0;
  double fraction = total > 0 ? MIN (1.0, (done + (done < total ? part : 0.0)) / total) : 0.0;

  post_update (user_data, fraction, FALSE);
}

/* The worker ------------------------------------------------------------------ */

static gboolean
ensure_worker_store (KoersSyncEngine *self, GError **error)
{
  if (self->store != NULL)
    return TRUE;
  self->db = koers_vault_open_connection (self->vault, error);
  if (self->db == NULL)
    return FALSE;
  self->store = koers_store_new (self->db, error);
  if (self->store == NULL)
    {
      sqlite3_close (self->db);
      self->db = NULL;
      return FALSE;
    }
  return TRUE;
}

static void
close_worker_store (KoersSyncEngine *self)
{
  g_clear_object (&self->store);
  if (self->db != NULL)
    sqlite3_close (self->db);
  self->db = NULL;
}

typedef struct
{
  guint retry_after_s;
  KoersSyncRoundResult result;  /* what the round did (what came in) */
} RoundOutcome;

/* Below the UI thread: on a busy laptop sealing must not take the main
 * thread's turns (Linux: the nice value of this pool thread alone, once). */
static void
lower_thread_priority (void)
{
  static _Thread_local gboolean lowered;
  id_t tid = (id_t) syscall (SYS_gettid);

  if (lowered)
    return;
  lowered = TRUE;
  if (setpriority (PRIO_PROCESS, tid, MIN (getpriority (PRIO_PROCESS, tid) + WORKER_NICE, 19)) != 0)
    g_debug ("Could not lower the sync thread's priority");
}

static void
run_round_in_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  KoersSyncEngine *self = source_object;
  RoundOutcome *outcome = task_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  lower_thread_priority ();
  ok = ensure_worker_store (self, &error);
  /* A client per round: the enrollment may have changed since the last
   * one (a new password, another drop); rounds are minutes apart. */
  if (ok)
    {
      g_autoptr(KoersDavClient) client = koers_sync_make_client (self->store, &error);

      ok = client != NULL;
      if (ok)
        {
          post_update (self, 0.0, TRUE);
          ok = koers_sync_run_round (self->store, client, on_progress, self, &outcome->result, cancellable,
                                     &error);
          outcome->retry_after_s = koers_dav_client_get_retry_after (client);
        }
    }
  if (self->store != NULL)
    post_update (self, 0.0, TRUE);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* Scheduling (main context) --------------------------------------------------- */

static gboolean
on_retry (gpointer user_data)
{
  KoersSyncEngine *self = user_data;

  self->retry_id = 0;
  start_round (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (KoersSyncEngine *self, guint retry_after_s)
{
  guint64 delay = koers_dav_backoff_ms (self->attempt++, self->backoff_base_ms, BACKOFF_CAP_MS, retry_after_s);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (delay, G_MAXUINT), on_retry, self, NULL);
}

static gboolean
is_offline_error (const GError *error)
{
  return g_error_matches (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_OFFLINE)
         || g_error_matches (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_TIMEOUT)
         || g_error_matches (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_CONNECTION_LOST);
}

static void
round_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  KoersSyncEngine *self = KOERS_SYNC_ENGINE (source);
  RoundOutcome *outcome = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  g_clear_object (&self->cancellable);
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  /* What came in: kept until the next round ends, for "round-finished". */
  self->n_arrivals = ok ? outcome->result.n_arrivals : 0;
  memcpy (self->arrivals, outcome->result.arrivals, sizeof self->arrivals);
  if (ok)
    {
      self->attempt = 0;
      set_error_message (self, NULL);
      set_state (self, KOERS_SYNC_STATE_SYNCED, 0.0);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, self->last_success ? KOERS_SYNC_STATE_SYNCED : KOERS_SYNC_STATE_IDLE, 0.0);
  else if (g_error_matches (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NOT_ENROLLED))
    set_state (self, KOERS_SYNC_STATE_NOT_ENROLLED, 0.0);
  else
    {
      gboolean retry = error->domain == KOERS_DAV_ERROR && koers_dav_error_is_retryable (error);

      set_error_message (self, error->message);
      set_state (self, is_offline_error (error) ? KOERS_SYNC_STATE_OFFLINE : KOERS_SYNC_STATE_ERROR, 0.0);
      if (retry && !self->stopped)
        schedule_retry (self, outcome->retry_after_s);
    }
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[ROUND_FINISHED], 0, ok);
  if (self->again && !self->stopped)
    {
      self->again = FALSE;
      start_round (self);
    }
}

static void
start_round (KoersSyncEngine *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->stopped)
    return;
  if (self->cancellable != NULL)
    {
      self->again = TRUE;
      return;
    }
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, round_done, NULL);
  g_task_set_source_tag (task, start_round);
  g_task_set_task_data (task, g_new0 (RoundOutcome, 1), g_free);
  set_state (self, KOERS_SYNC_STATE_UPLOADING, 0.0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_task_run_in_thread (task, run_round_in_thread);
}

static gboolean
on_timer (gpointer user_data)
{
  KoersSyncEngine *self = user_data;

  /* While a retry waits, its backoff decides. */
  if (g_network_monitor_get_network_available (self->monitor) && self->retry_id == 0
      && self->state != KOERS_SYNC_STATE_ERROR)
    start_round (self);
  return G_SOURCE_CONTINUE;
}

static void
on_network_changed (GNetworkMonitor *monitor, GParamSpec *pspec, gpointer user_data)
{
  KoersSyncEngine *self = user_data;

  if (!g_network_monitor_get_network_available (monitor))
    {
      if (self->cancellable == NULL && self->state != KOERS_SYNC_STATE_NOT_ENROLLED)
        set_state (self, KOERS_SYNC_STATE_OFFLINE, 0.0);
      return;
    }
  self->attempt = 0;
  start_round (self);
}

static void
restart_timer (KoersSyncEngine *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->started && !self->stopped)
    self->timer_id = g_timeout_add (self->timer_ms, on_timer, self);
}

/* Public ------------------------------------------------------------------------ */

void
koers_sync_engine_start (KoersSyncEngine *self)
{
  g_return_if_fail (KOERS_IS_SYNC_ENGINE (self));

  if (self->started || self->stopped)
    return;
  self->started = TRUE;
  self->monitor_handler = g_signal_connect (self->monitor, "notify::network-available",
                                            G_CALLBACK (on_network_changed), self);
  restart_timer (self);
  start_round (self);
}

void
koers_sync_engine_sync_now (KoersSyncEngine *self)
{
  g_return_if_fail (KOERS_IS_SYNC_ENGINE (self));

  self->attempt = 0;
  start_round (self);
}

void
koers_sync_engine_set_intervals (KoersSyncEngine *self,
                                 guint            timer_ms,
                                 guint            backoff_base_ms)
{
  g_return_if_fail (KOERS_IS_SYNC_ENGINE (self));

  self->timer_ms = MAX (timer_ms, 1);
  self->backoff_base_ms = backoff_base_ms;
  restart_timer (self);
}

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *passed = user_data;

  *passed = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until no round runs or @timeout_ms passed. */
static void
wait_for_round (KoersSyncEngine *self, guint timeout_ms)
{
  gboolean passed = FALSE;
  GSource *deadline = g_timeout_source_new (timeout_ms);

  g_source_set_callback (deadline, on_deadline, &passed, NULL);
  g_source_attach (deadline, self->context);
  while (self->cancellable != NULL && !passed)
    g_main_context_iteration (self->context, TRUE);
  g_source_destroy (deadline);
  g_source_unref (deadline);
}

gboolean
koers_sync_engine_shutdown (KoersSyncEngine *self, guint timeout_ms)
{
  gboolean completed = FALSE;

  g_return_val_if_fail (KOERS_IS_SYNC_ENGINE (self), FALSE);

  if (self->stopped)
    return FALSE;
  g_object_ref (self);
  if (self->cancellable == NULL && self->state != KOERS_SYNC_STATE_NOT_ENROLLED
      && g_network_monitor_get_network_available (self->monitor))
    start_round (self);
  self->stopped = TRUE;
  self->again = FALSE;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_signal_handler (&self->monitor_handler, self->monitor);
  if (self->cancellable != NULL)
    {
      wait_for_round (self, timeout_ms);
      completed = self->cancellable == NULL && self->state == KOERS_SYNC_STATE_SYNCED;
      if (self->cancellable != NULL)
        {
          g_cancellable_cancel (self->cancellable);
          wait_for_round (self, CANCEL_GRACE_MS);
        }
    }
  if (self->cancellable == NULL)
    close_worker_store (self);
  else
    g_warning ("A sync round did not stop in time; its vault connection stays open");
  g_object_unref (self);
  return completed;
}

KoersSyncState
koers_sync_engine_get_state (KoersSyncEngine *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_ENGINE (self), KOERS_SYNC_STATE_IDLE);
  return self->state;
}

double
koers_sync_engine_get_fraction (KoersSyncEngine *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_ENGINE (self), 0.0);
  return self->fraction;
}

gboolean
koers_sync_engine_get_busy (KoersSyncEngine *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_ENGINE (self), FALSE);
  return self->cancellable != NULL;
}

gint64
koers_sync_engine_get_last_success (KoersSyncEngine *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_ENGINE (self), 0);
  return self->last_success;
}

const char *
koers_sync_engine_get_error_message (KoersSyncEngine *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_ENGINE (self), NULL);
  return self->error_message;
}

const KoersSyncArrival *
koers_sync_engine_get_arrivals (KoersSyncEngine *self,
                                guint           *n_arrivals)
{
  g_return_val_if_fail (KOERS_IS_SYNC_ENGINE (self), NULL);
  g_return_val_if_fail (n_arrivals != NULL, NULL);

  *n_arrivals = self->n_arrivals;
  return self->arrivals;
}

/* GObject ------------------------------------------------------------------------- */

KoersSyncEngine *
koers_sync_engine_new (KoersVault *vault)
{
  KoersSyncEngine *self;

  g_return_val_if_fail (KOERS_IS_VAULT (vault), NULL);

  self = g_object_new (KOERS_TYPE_SYNC_ENGINE, NULL);
  self->vault = g_object_ref (vault);
  return self;
}

static void
koers_sync_engine_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  KoersSyncEngine *self = KOERS_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_FRACTION: g_value_set_double (value, self->fraction); break;
    case PROP_BUSY: g_value_set_boolean (value, self->cancellable != NULL); break;
    case PROP_LAST_SUCCESS: g_value_set_int64 (value, self->last_success); break;
    case PROP_ERROR_MESSAGE: g_value_set_string (value, self->error_message); break;
    case PROP_UNSENT_CHANGES: g_value_set_int64 (value, self->unsent_changes); break;
    case PROP_UNACKNOWLEDGED_CHANGES: g_value_set_int64 (value, self->unacknowledged_changes); break;
    case PROP_UPLOADED_BATCHES: g_value_set_uint (value, self->uploaded_batches); break;
    case PROP_QUARANTINED_BATCHES: g_value_set_uint (value, self->quarantined_batches); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_sync_engine_dispose (GObject *object)
{
  KoersSyncEngine *self = KOERS_SYNC_ENGINE (object);

  /* A running round's task holds a reference: none runs here. */
  self->stopped = TRUE;
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_signal_handler (&self->monitor_handler, self->monitor);
  close_worker_store (self);
  G_OBJECT_CLASS (koers_sync_engine_parent_class)->dispose (object);
}

static void
koers_sync_engine_finalize (GObject *object)
{
  KoersSyncEngine *self = KOERS_SYNC_ENGINE (object);

  g_clear_object (&self->vault);
  g_clear_object (&self->monitor);
  g_main_context_unref (self->context);
  g_free (self->error_message);
  G_OBJECT_CLASS (koers_sync_engine_parent_class)->finalize (object);
}

static void
koers_sync_engine_class_init (KoersSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = koers_sync_engine_get_property;
  object_class->dispose = koers_sync_engine_dispose;
  object_class->finalize = koers_sync_engine_finalize;

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, KOERS_TYPE_SYNC_STATE,
                                              KOERS_SYNC_STATE_IDLE, flags);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, flags);
  properties[PROP_LAST_SUCCESS] = g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  properties[PROP_UNSENT_CHANGES] = g_param_spec_int64 ("unsent-changes", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_UNACKNOWLEDGED_CHANGES] = g_param_spec_int64 ("unacknowledged-changes", NULL, NULL,
                                                                0, G_MAXINT64, 0, flags);
  properties[PROP_UPLOADED_BATCHES] = g_param_spec_uint ("uploaded-batches", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_QUARANTINED_BATCHES] = g_param_spec_uint ("quarantined-batches", NULL, NULL,
                                                            0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ROUND_FINISHED] = g_signal_new ("round-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
koers_sync_engine_init (KoersSyncEngine *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->timer_ms = DEFAULT_TIMER_MS;
  self->backoff_base_ms = DEFAULT_BACKOFF_BASE_MS;
  self->state = KOERS_SYNC_STATE_IDLE;
}
