/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KoersSession without GTK: a real vault in a temporary folder, unlocked
 * and locked in order; a reader job running while it locks; wrong
 * passphrases; the recovery key and a take over; the current worker. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include "koers-session.h"
#include "vault-fixture.h"

#include <glib/gstdio.h>

#define NAME       "Amira أميرة"
#define PASSPHRASE "correct horse battery staple"
#define STEUNPUNT  "Steunpunt Utrecht"

typedef struct
{
  char         *dir;
  KoersSession *session;
  char         *recovery_key;
} Fixture;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
await (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

/* A new vault made by a session, as the first-run form does, then locked. */
static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KoersSession) session = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("koers-session-XXXXXX", &error);

  g_assert_no_error (error);
  f->dir = g_build_filename (tmp, "vault", NULL);
  session = koers_session_new (f->dir, KOERS_SESSION_ADOPT_WORKER);
  g_assert_false (koers_session_vault_exists (session));
  koers_session_create_async (session, NAME, PASSPHRASE, STEUNPUNT, KOERS_ROLE_COORDINATOR, NULL,
                              store_result, &result);
  g_assert_true (koers_session_create_finish (session, await (&result), &f->recovery_key, &error));
  g_assert_no_error (error);
  g_assert_true (koers_session_is_unlocked (session));
  g_assert_false (koers_session_is_open (session));
  g_assert_true (koers_session_open_store (session, &error));
  g_assert_no_error (error);
  koers_session_lock (session);

  f->session = koers_session_new (f->dir, KOERS_SESSION_ADOPT_WORKER);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *tmp = g_path_get_dirname (f->dir);

  g_clear_object (&f->session);
  koers_vault_free_secret (f->recovery_key);
  remove_tree (tmp);
  g_free (f->dir);
}

static gboolean
unlock (KoersSession *session,
        const char   *name,
        const char   *passphrase,
        GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (koers_session_get_vault (session) == NULL && !koers_session_open_vault (session, error))
    return FALSE;
  koers_session_unlock_async (session, name, passphrase, NULL, store_result, &result);
  return koers_session_unlock_finish (session, await (&result), error);
}

static void
open_session (KoersSession *session)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (unlock (session, NAME, PASSPHRASE, &error));
  g_assert_no_error (error);
  g_assert_true (koers_session_open_store (session, &error));
  g_assert_no_error (error);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* The first worker was made from the first-run form; unlocking again
 * adopts it instead of making another. */
static void
test_unlock_opens_in_order (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) workers = NULL;
  g_autoptr(GPtrArray) steunpunten = NULL;
  g_autoptr(GError) error = NULL;
  guint opened = 0, worker_changed = 0;
  KoersWorker *worker;

  g_signal_connect (f->session, "notify::open", G_CALLBACK (count_notify), &opened);
  g_signal_connect (f->session, "notify::worker-id", G_CALLBACK (count_notify), &worker_changed);
  g_assert_true (koers_session_vault_exists (f->session));
  g_assert_false (koers_session_is_open (f->session));
  g_assert_null (koers_session_get_store (f->session));

  open_session (f->session);
  g_assert_cmpuint (opened, ==, 1);
  g_assert_cmpuint (worker_changed, ==, 1);
  g_assert_true (koers_session_is_open (f->session));
  g_assert_nonnull (koers_session_get_store (f->session));
  g_assert_nonnull (koers_session_get_reader (f->session));
  g_assert_true (koers_session_is_coordinator (f->session));

  workers = koers_store_list (koers_session_get_store (f->session), KOERS_ENTITY_WORKER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (workers->len, ==, 1);
  worker = g_ptr_array_index (workers, 0);
  g_assert_cmpstr (worker->name, ==, NAME);
  g_assert_cmpint (worker->role, ==, KOERS_ROLE_COORDINATOR);
  g_assert_cmpstr (koers_session_get_worker_id (f->session), ==, worker->id);
  steunpunten = koers_store_list (koers_session_get_store (f->session), KOERS_ENTITY_STEUNPUNT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steunpunten->len, ==, 1);
  g_signal_handlers_disconnect_by_data (f->session, &opened);
  g_signal_handlers_disconnect_by_data (f->session, &worker_changed);
}

typedef struct
{
  KoersSession *session;
  gboolean      store_was_open;
  gboolean      vault_was_unlocked;
  guint         n_locking;
} LockingSeen;

static void
on_locking (KoersSession *session,
            LockingSeen  *seen)
{
  seen->n_locking++;
  seen->store_was_open = koers_session_get_store (session) != NULL && koers_session_get_reader (session) != NULL;
  seen->vault_was_unlocked = koers_session_is_unlocked (session);
}

/* "locking" comes first, while everything is still open; after the lock
 * the store and the reader are gone (finalized, not just dropped), and the
 * vault is locked. */
static void
test_lock_order (Fixture *f, gconstpointer data)
{
  LockingSeen seen = { 0 };
  gpointer store, reader;
  guint closed = 0;

  open_session (f->session);
  store = koers_session_get_store (f->session);
  reader = koers_session_get_reader (f->session);
  g_object_add_weak_pointer (store, &store);
  g_object_add_weak_pointer (reader, &reader);
  g_signal_connect (f->session, "locking", G_CALLBACK (on_locking), &seen);
  g_signal_connect (f->session, "notify::open", G_CALLBACK (count_notify), &closed);

  koers_session_lock (f->session);
  g_assert_cmpuint (seen.n_locking, ==, 1);
  g_assert_true (seen.store_was_open);
  g_assert_true (seen.vault_was_unlocked);
  g_assert_null (store);
  g_assert_null (reader);
  g_assert_null (koers_session_get_store (f->session));
  g_assert_null (koers_session_get_reader (f->session));
  g_assert_null (koers_session_get_worker_id (f->session));
  g_assert_false (koers_session_is_unlocked (f->session));
  g_assert_false (koers_vault_is_unlocked (koers_session_get_vault (f->session)));
  g_assert_false (koers_session_is_coordinator (f->session));
  g_assert_cmpuint (closed, ==, 1);

  /* Twice is harmless, and it opens again. */
  koers_session_lock (f->session);
  g_assert_cmpuint (closed, ==, 1);
  open_session (f->session);
  g_assert_true (koers_session_is_open (f->session));
  g_signal_handlers_disconnect_by_data (f->session, &seen);
  g_signal_handlers_disconnect_by_data (f->session, &closed);
}

/* A reader job that runs until it is cancelled. */
typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean started;
} JobState;

static gpointer
endless_job (KoersStore   *store,
             gpointer      data,
             GCancellable *cancellable,
             GError      **error)
{
  JobState *state = data;

  g_mutex_lock (&state->mutex);
  state->started = TRUE;
  g_cond_signal (&state->cond);
  g_mutex_unlock (&state->mutex);
  while (!g_cancellable_is_cancelled (cancellable))
    g_usleep (1000);
  return NULL;
}

/* Locking while a job runs on the reader's thread: the lock waits for the
 * job to stop (it is cancelled), the job reports the cancel, and the vault
 * is locked when koers_session_lock() returns. */
static void
test_lock_while_reading (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersStoreReader) reader = NULL;
  JobState state = { 0 };
  gpointer value;

  g_mutex_init (&state.mutex);
  g_cond_init (&state.cond);
  open_session (f->session);
  reader = g_object_ref (koers_session_get_reader (f->session));
  koers_store_reader_run_async (reader, endless_job, &state, NULL, NULL, NULL, store_result, &result);
  g_mutex_lock (&state.mutex);
  while (!state.started)
    g_cond_wait (&state.cond, &state.mutex);
  g_mutex_unlock (&state.mutex);

  koers_session_lock (f->session);
  g_assert_false (koers_vault_is_unlocked (koers_session_get_vault (f->session)));
  value = koers_store_reader_run_finish (reader, await (&result), &error);
  g_assert_null (value);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&result);

  /* A job after the lock is refused, not run on a closed connection. */
  koers_store_reader_run_async (reader, endless_job, &state, NULL, NULL, NULL, store_result, &result);
  g_assert_null (koers_store_reader_run_finish (reader, await (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);

  g_mutex_clear (&state.mutex);
  g_cond_clear (&state.cond);
}

/* A wrong passphrase opens nothing, and the store cannot open. */
static void
test_wrong_passphrase (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (unlock (f->session, NAME, "correct horse battery stable", &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  g_assert_false (koers_session_is_unlocked (f->session));

  g_assert_false (unlock (f->session, "Nobody", PASSPHRASE, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_false (koers_session_open_store (f->session, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_LOCKED);
  g_assert_false (koers_session_is_open (f->session));
  g_assert_null (koers_session_get_reader (f->session));
}

/* An unlock cancelled while the KDF runs (the window closed) leaves the
 * vault locked. */
static void
test_cancelled_unlock (Fixture *f, gconstpointer data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_session_open_vault (f->session, &error));
  koers_session_unlock_async (f->session, NAME, PASSPHRASE, cancellable, store_result, &result);
  g_cancellable_cancel (cancellable);
  g_assert_false (koers_session_unlock_finish (f->session, await (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (koers_session_is_unlocked (f->session));
}

/* A lock while the KDF runs: the vault is locked when the unlock ends. */
static void
test_lock_while_unlocking (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_session_open_vault (f->session, &error));
  koers_session_unlock_async (f->session, NAME, PASSPHRASE, NULL, store_result, &result);
  koers_session_lock (f->session);
  g_assert_false (koers_session_unlock_finish (f->session, await (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (koers_session_is_unlocked (f->session));
}

/* The recovery key unlocks with nobody named; a take over names a new
 * person, who gets a volunteer's worker record when the store opens. */
static void
test_recovery_key_take_over (Fixture *f, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersWorker) worker = NULL;
  g_autofree char *typed = g_ascii_strdown (f->recovery_key, -1);

  g_assert_true (koers_session_open_vault (f->session, &error));
  koers_session_unlock_with_key_async (f->session, typed, NULL, store_result, &result);
  g_assert_true (koers_session_unlock_with_key_finish (f->session, await (&result), &error));
  g_assert_no_error (error);
  g_assert_true (koers_session_is_unlocked (f->session));
  g_assert_false (koers_session_is_open (f->session));
  g_assert_null (koers_vault_get_unlocked_by (koers_session_get_vault (f->session)));
  g_clear_object (&result);

  koers_session_take_over_async (f->session, "Sara", "a new passphrase", TRUE, NULL, store_result, &result);
  g_assert_true (koers_session_take_over_finish (f->session, await (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (koers_vault_get_unlocked_by (koers_session_get_vault (f->session)), ==, "Sara");

  g_assert_true (koers_session_open_store (f->session, &error));
  g_assert_no_error (error);
  worker = koers_store_get_worker (koers_session_get_store (f->session),
                                   koers_session_get_worker_id (f->session), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (worker->name, ==, "Sara");
  g_assert_cmpint (worker->role, ==, KOERS_ROLE_VOLUNTEER);
  g_assert_false (koers_session_is_coordinator (f->session));

  /* The new passphrase opens the vault from now on. */
  koers_session_lock (f->session);
  g_assert_true (unlock (f->session, "Sara", "a new passphrase", &error));
  g_assert_no_error (error);
}

/* Without KOERS_SESSION_ADOPT_WORKER (koers-cli) a slot without a worker
 * record gets none: nothing is written by opening. */
static void
test_no_adopt (Fixture *f, gconstpointer data)
{
  g_autoptr(KoersSession) cli = koers_session_new (f->dir, KOERS_SESSION_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) workers = NULL;
  KoersKdfParams params = koers_session_kdf_params ();

  open_session (f->session);
  g_assert_true (koers_vault_add_slot (koers_session_get_vault (f->session), "Sara", "her passphrase",
                                      &params, &error));
  g_assert_no_error (error);
  koers_session_lock (f->session);

  g_assert_true (koers_session_open_vault (cli, &error));
  g_assert_true (koers_session_unlock (cli, "Sara", "her passphrase", &error));
  g_assert_no_error (error);
  g_assert_true (koers_session_open_store (cli, &error));
  g_assert_no_error (error);
  g_assert_null (koers_session_get_worker_id (cli));
  workers = koers_store_list (koers_session_get_store (cli), KOERS_ENTITY_WORKER, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (workers->len, ==, 1);
}

static gpointer
nothing_job (KoersStore    *store,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  return GINT_TO_POINTER (TRUE);
}

/* Jobs run one at a time in order: when this one is back, every job queued
 * before it (the checkpoints) has run. */
static void
wait_for_reader (KoersSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KoersStoreReader *reader = koers_session_get_reader (session);

  koers_store_reader_run_async (reader, nothing_job, NULL, NULL, NULL, NULL, store_result, &result);
  g_assert_nonnull (koers_store_reader_run_finish (reader, await (&result), &error));
  g_assert_no_error (error);
}

static gint64
wal_bytes (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "koers.db-wal", NULL);
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

/* KOERS_SESSION_BACKGROUND_CHECKPOINT: the main connection never
 * checkpoints inside a commit, the reader's thread does after commits, so
 * the WAL stays a few transactions long instead of growing to SQLite's
 * 1000-frame mark (or without end). What was saved is all there after. */
static void
test_background_checkpoint (Fixture *f, gconstpointer data)
{
  g_autoptr(KoersSession) app = koers_session_new (f->dir, KOERS_SESSION_ADOPT_WORKER
                                                           | KOERS_SESSION_BACKGROUND_CHECKPOINT);
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autoptr(GPtrArray) clients = NULL;
  g_autoptr(GError) error = NULL;
  KoersStore *store;
  gint64 page_size, max_wal = 0;
  guint saves = 150;

  while (notes->len < 3000)
    g_string_append (notes, "Gesprek over de terugkeer en de volgende stap. ");
  open_session (app);
  store = koers_session_get_store (app);
  g_assert_cmpint (vault_fixture_query_int (koers_session_get_vault (app), "PRAGMA wal_autocheckpoint"), ==, 0);
  page_size = vault_fixture_query_int (koers_session_get_vault (app), "PRAGMA page_size");

  for (guint i = 0; i < saves; i++)
    {
      g_autoptr(KoersClient) client = koers_client_new ();
      g_autoptr(KoersConversation) conversation = koers_conversation_new ();
      g_autoptr(KoersConsent) consent = koers_consent_new ();

      client->name = g_strdup_printf ("Cliënt %u", i);
      consent->kind = KOERS_CONSENT_STORE_FILE;
      consent->granted = TRUE;
      consent->recorded_on = g_strdup ("2025-06-01");
      conversation->held_on = g_strdup ("2025-06-01");
      conversation->notes = g_strdup (notes->str);
      g_assert_true (koers_store_begin (store, &error));
      g_assert_true (koers_store_add_client (store, client, &error));
      consent->client_id = g_strdup (client->id);
      g_assert_true (koers_store_add_consent (store, consent, &error));
      conversation->client_id = g_strdup (client->id);
      g_assert_true (koers_store_add_conversation (store, conversation, &error));
      g_assert_true (koers_store_commit (store, &error));
      g_assert_no_error (error);
      wait_for_reader (app);
      max_wal = MAX (max_wal, wal_bytes (f->dir));
    }
  g_test_message ("largest WAL: %" G_GINT64_FORMAT " bytes (%" G_GINT64_FORMAT "-byte pages)", max_wal, page_size);
  /* 150 saves of a 3 kB note write well over 1000 frames in all; with
   * SQLite's own checkpoint the WAL reaches about 1040 frames here, with
   * none it grows on; checkpointed in the background once it holds 256
   * frames (KOERS_STORE_CHECKPOINT_FRAMES) it stays under 400. */
  g_assert_cmpint (max_wal, >, 0);
  g_assert_cmpint (max_wal, <, 400 * (page_size + 24));

  koers_session_lock (app);
  open_session (app);
  clients = koers_store_list (koers_session_get_store (app), KOERS_ENTITY_CLIENT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (clients->len, ==, saves);
}

/* Without the flag (koers-cli) SQLite checkpoints as it always did. */
static void
test_auto_checkpoint_kept (Fixture *f, gconstpointer data)
{
  open_session (f->session);
  g_assert_cmpint (vault_fixture_query_int (koers_session_get_vault (f->session), "PRAGMA wal_autocheckpoint"),
                   ==, 1000);
}

/* The last reference to an open session locks the vault. */
static void
test_dispose_locks (Fixture *f, gconstpointer data)
{
  g_autoptr(KoersVault) vault = NULL;

  open_session (f->session);
  vault = g_object_ref (koers_session_get_vault (f->session));
  g_assert_true (koers_vault_is_unlocked (vault));
  g_clear_object (&f->session);
  g_assert_false (koers_vault_is_unlocked (vault));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("KOERS_KDF", "minimum", TRUE);

#define ADD(path, func) \
  g_test_add ("/session/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("unlock-opens-in-order", test_unlock_opens_in_order);
  ADD ("lock-order", test_lock_order);
  ADD ("lock-while-reading", test_lock_while_reading);
  ADD ("wrong-passphrase", test_wrong_passphrase);
  ADD ("cancelled-unlock", test_cancelled_unlock);
  ADD ("lock-while-unlocking", test_lock_while_unlocking);
  ADD ("recovery-key-take-over", test_recovery_key_take_over);
  ADD ("no-adopt", test_no_adopt);
  ADD ("dispose-locks", test_dispose_locks);
  ADD ("background-checkpoint", test_background_checkpoint);
  ADD ("auto-checkpoint-kept", test_auto_checkpoint_kept);
#undef ADD
  return g_test_run ();
}
