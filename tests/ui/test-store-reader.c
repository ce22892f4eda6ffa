/* SPDX-License-Identifier: GPL-3.0-or-later */
/* KoersStoreReader on a real vault: a job's result comes back on the main
 * thread; cancelling interrupts a query that is running; closing cancels
 * the running and the queued jobs, frees their data and results, and
 * refuses new ones. A write job is written for the main store's worker,
 * in order with the reads, makes the main store say "changed", and is
 * never cancelled: closing waits for it. */
#include "config.h"

#define G_LOG_DOMAIN "test-store-reader"

#include <gtk/gtk.h>

#include "koers-store-reader.h"
#include "store/koers-store-private.h"
#include "koers-test-util.h"

typedef KoersStoreFixture Fixture;

typedef struct
{
  guint    n_done;
  guint    n_cancelled;
  gpointer result;
  GError  *error;
  GThread *thread;  /* where the callback ran */
} Outcome;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Outcome *outcome = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_error (&outcome->error);
  outcome->result = koers_store_reader_run_finish (KOERS_STORE_READER (source), result, &error);
  outcome->thread = g_thread_self ();
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    outcome->n_cancelled++;
  outcome->error = g_steal_pointer (&error);
  outcome->n_done++;
}

static gboolean
all_done (gpointer data)
{
  Outcome *outcome = data;

  return outcome->n_done > 0;
}

/* The number of clients, read on the worker. */
static gpointer
count_clients (KoersStore    *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  guint *n = g_new0 (guint, 1);

  g_assert_false (g_thread_self () == data);
  if (!koers_store_count_clients (store, NULL, n, error))
    g_clear_pointer (&n, g_free);
  return n;
}

static void
test_result (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KoersClient) client = koers_client_new ();
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0 };

  client->name = g_strdup ("Hawa Yusuf");
  g_assert_true (koers_store_add_client (f->store, client, &error));
  koers_store_reader_run_async (f->reader, count_clients, g_thread_self (), NULL, g_free, NULL, on_done,
                                &outcome);
  koers_test_wait_until (all_done, &outcome, 10);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.thread == g_thread_self ());
  g_assert_cmpuint (*(guint *) outcome.result, ==, 1);
  g_free (outcome.result);
}

/* A query that runs for minutes unless interrupted. */
static gpointer
count_forever (KoersStore    *store,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  sqlite3 *db = koers_store_get_db (store);
  int rc;

  g_atomic_int_set ((int *) data, TRUE);
  g_main_context_wakeup (NULL);  /* the test waits for this flag */
  rc = sqlite3_exec (db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000000)"
                         " SELECT count(*) FROM n", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite %d", rc);
  return NULL;
}

static gboolean
is_set (gpointer flag)
{
  return g_atomic_int_get ((int *) flag);
}

static void
test_cancel_interrupts (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Outcome outcome = { 0 };
  int started = FALSE;
  gint64 start;

  koers_store_reader_run_async (f->reader, count_forever, &started, NULL, NULL, cancellable, on_done, &outcome);
  koers_test_wait_until (is_set, &started, 10);
  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  koers_test_wait_until (all_done, &outcome, 10);
  g_test_message ("interrupted after %.1f ms", (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (outcome.n_cancelled, ==, 1);
  g_assert_null (outcome.result);

  /* The connection works for the next job. */
  outcome.n_done = 0;
  koers_store_reader_run_async (f->reader, count_clients, g_thread_self (), NULL, g_free, NULL, on_done,
                                &outcome);
  koers_test_wait_until (all_done, &outcome, 10);
  g_assert_no_error (outcome.error);
  g_assert_cmpuint (*(guint *) outcome.result, ==, 0);
  g_free (outcome.result);
}

static void
count_free (gpointer data)
{
  g_atomic_int_inc ((int *) data);
}

static void
test_close (Fixture       *f,
            gconstpointer  data)
{
  Outcome outcome = { 0 };
  int started = FALSE;
  int n_freed = 0;

  /* One running, three queued behind it. */
  koers_store_reader_run_async (f->reader, count_forever, &started, NULL, NULL, NULL, on_done, &outcome);
  for (guint i = 0; i < 3; i++)
    koers_store_reader_run_async (f->reader, count_clients, &n_freed, count_free, g_free, NULL, on_done,
                                  &outcome);
  koers_test_wait_until (is_set, &started, 10);

  koers_store_reader_close (f->reader);
  koers_test_settle ();
  g_assert_cmpuint (outcome.n_done, ==, 4);
  g_assert_cmpuint (outcome.n_cancelled, ==, 4);
  g_assert_cmpint (n_freed, ==, 3);  /* the data of the queued jobs */

  /* Closed: a new job fails at once (on the main loop), closing again is fine. */
  outcome.n_done = 0;
  koers_store_reader_run_async (f->reader, count_clients, &n_freed, count_free, g_free, NULL, on_done, &outcome);
  koers_test_wait_until (all_done, &outcome, 10);
  g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpint (n_freed, ==, 4);
  koers_store_reader_close (f->reader);
  g_clear_error (&outcome.error);
}

static void
on_file_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Outcome *outcome = user_data;

  g_clear_error (&outcome->error);
  outcome->result = koers_store_reader_read_file_finish (KOERS_STORE_READER (source), result,
                                                         &outcome->error);
  outcome->n_done++;
}

/* A client's file comes back whole, with its records; reading it is not
 * opening it (no audit entry); a file that is gone is an error. */
static void
test_read_file (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = koers_test_add_client_with_step (f->store, "Hawa Yusuf", "Bel IOM", 3, FALSE, FALSE);
  g_autoptr(KoersClientFile) file = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0 };

  koers_store_reader_read_file_async (f->reader, id, NULL, on_file_read, &outcome);
  koers_test_wait_until (all_done, &outcome, 10);
  g_assert_no_error (outcome.error);
  file = outcome.result;
  g_assert_cmpstr (file->client->name, ==, "Hawa Yusuf");
  g_assert_cmpuint (file->conversations->len, ==, 1);
  g_assert_cmpuint (((KoersFileConversation *) file->conversations->pdata[0])->next_steps->len, ==, 1);
  audit = koers_store_list_audit (f->store, id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    g_assert_cmpstr (((KoersAuditEntry *) audit->pdata[i])->action, !=, "open");

  outcome.n_done = 0;
  koers_store_reader_read_file_async (f->reader, "01890000-0000-7000-8000-000000000000", NULL,
                                      on_file_read, &outcome);
  koers_test_wait_until (all_done, &outcome, 10);
  g_assert_null (outcome.result);
  g_assert_error (outcome.error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&outcome.error);
}

/* Writes ------------------------------------------------------------------- */

typedef struct
{
  Outcome  outcome;
  guint    n_changed;
  guint    changed_before_callback;
  KoersStoreReader *reader;
  guint    writes_in_callback;
} WriteOutcome;

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  WriteOutcome *w = user_data;
  g_autoptr(GError) error = NULL;

  w->changed_before_callback = w->n_changed;
  w->writes_in_callback = koers_store_reader_get_n_writes (w->reader);
  w->outcome.result = koers_store_reader_write_finish (KOERS_STORE_READER (source), result, &error);
  w->outcome.thread = g_thread_self ();
  w->outcome.error = g_steal_pointer (&error);
  w->outcome.n_done++;
}

static void
count_changed (KoersStore *store,
               guint      *n)
{
  (*n)++;
}

/* Adds a client named @data; the result is its id. */
static gpointer
add_client (KoersStore    *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(KoersClient) client = koers_client_new ();

  client->name = g_strdup (data);
  if (!koers_store_add_client (store, client, error))
    return NULL;
  return g_strdup (client->id);
}

static gpointer
refuse (KoersStore    *store,
        gpointer       data,
        GCancellable  *cancellable,
        GError       **error)
{
  g_set_error_literal (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID, "refused");
  return NULL;
}

static char *
logged_worker (KoersStore *store,
               const char *client_id,
               KoersHlcStamp *hlc)
{
  sqlite3_stmt *stmt = koers_store_prepare (store, "SELECT worker_id, hlc FROM change_log"
                                            " WHERE entity_id = ? AND entity = 'client'", NULL);
  char *worker = NULL;

  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  worker = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *hlc = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return worker;
}

/* A clock that stands still: stamps then differ only by their counter, so
 * two connections that did not catch up would log the same stamp. */
static gint64
frozen_clock (gpointer data)
{
  return 1796000000000;
}

static void
test_write (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(KoersWorker) worker = koers_worker_new ();
  g_autoptr(KoersClient) later = koers_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *logged = NULL;
  KoersHlcStamp written_hlc, later_hlc;
  WriteOutcome w = { .reader = f->reader };
  Outcome read = { 0 };

  koers_store_set_clock (f->store, frozen_clock, NULL);
  worker->name = g_strdup ("Anna de Vries");
  g_assert_true (koers_store_add_worker (f->store, worker, &error));
  koers_store_set_current_worker (f->store, worker->id);
  g_signal_connect (f->store, "changed", G_CALLBACK (count_changed), &w.n_changed);

  koers_store_reader_write_async (f->reader, f->store, add_client, (gpointer) "Hawa Yusuf", NULL, g_free,
                                  on_written, &w);
  g_assert_cmpuint (koers_store_reader_get_n_writes (f->reader), ==, 1);
  /* Queued behind the write: it reads what was written. */
  koers_store_reader_run_async (f->reader, count_clients, g_thread_self (), NULL, g_free, NULL, on_done,
                                &read);
  koers_test_wait_until (all_done, &w.outcome, 10);
  koers_test_wait_until (all_done, &read, 10);
  g_assert_no_error (w.outcome.error);
  g_assert_true (w.outcome.thread == g_thread_self ());
  g_assert_cmpuint (w.changed_before_callback, ==, 1);
  g_assert_cmpuint (w.writes_in_callback, ==, 0);
  g_assert_cmpuint (koers_store_reader_get_n_writes (f->reader), ==, 0);
  g_assert_no_error (read.error);
  g_assert_cmpuint (*(guint *) read.result, ==, 1);
  g_free (read.result);

  /* Recorded for the main store's worker; the main store's next change
   * is stamped after it although its own clock never saw it. */
  logged = logged_worker (f->store, w.outcome.result, &written_hlc);
  g_assert_cmpstr (logged, ==, worker->id);
  later->name = g_strdup ("Selam Tesfamariam");
  g_assert_true (koers_store_add_client (f->store, later, &error));
  g_free (logged);
  logged = logged_worker (f->store, later->id, &later_hlc);
  g_assert_cmpuint (later_hlc, >, written_hlc);
  g_free (w.outcome.result);
  g_signal_handlers_disconnect_by_func (f->store, count_changed, &w.n_changed);
}

/* A refused write reaches the caller; nothing changed, so no "changed". */
static void
test_write_refused (Fixture       *f,
                    gconstpointer  data)
{
  WriteOutcome w = { .reader = f->reader };

  g_signal_connect (f->store, "changed", G_CALLBACK (count_changed), &w.n_changed);
  koers_store_reader_write_async (f->reader, f->store, refuse, NULL, NULL, NULL, on_written, &w);
  koers_test_wait_until (all_done, &w.outcome, 10);
  g_assert_error (w.outcome.error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID);
  g_assert_cmpuint (w.n_changed, ==, 0);
  g_assert_cmpuint (koers_store_reader_get_n_writes (f->reader), ==, 0);
  g_clear_error (&w.outcome.error);
  g_signal_handlers_disconnect_by_func (f->store, count_changed, &w.n_changed);
}

/* Locking while a save waits behind a long read: the read is cancelled,
 * the save is written; the pages are going, so no "changed". */
static void
test_close_writes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersClient) client = NULL;
  WriteOutcome w = { .reader = f->reader };
  Outcome read = { 0 };
  int started = FALSE;

  g_signal_connect (f->store, "changed", G_CALLBACK (count_changed), &w.n_changed);
  koers_store_reader_run_async (f->reader, count_forever, &started, NULL, NULL, NULL, on_done, &read);
  koers_store_reader_write_async (f->reader, f->store, add_client, (gpointer) "Dawit Bekele", NULL, g_free,
                                  on_written, &w);
  koers_test_wait_until (is_set, &started, 10);
  koers_store_reader_close (f->reader);
  koers_test_wait_until (all_done, &w.outcome, 10);
  g_assert_cmpuint (read.n_cancelled, ==, 1);
  g_clear_error (&read.error);
  g_assert_no_error (w.outcome.error);
  g_assert_cmpuint (w.n_changed, ==, 0);
  client = koers_store_get_client (f->store, w.outcome.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (client->name, ==, "Dawit Bekele");

  /* Closed: a write is refused at once, and nothing is written. */
  g_free (g_steal_pointer (&w.outcome.result));
  w.outcome.n_done = 0;
  koers_store_reader_write_async (f->reader, f->store, add_client, (gpointer) "Never", NULL, g_free,
                                  on_written, &w);
  koers_test_wait_until (all_done, &w.outcome, 10);
  g_assert_error (w.outcome.error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_assert_cmpuint (koers_store_reader_get_n_writes (f->reader), ==, 0);
  g_clear_error (&w.outcome.error);
  g_signal_handlers_disconnect_by_func (f->store, count_changed, &w.n_changed);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/ui/store-reader/result", Fixture, NULL, koers_store_fixture_set_up, test_result,
              koers_store_fixture_tear_down);
  g_test_add ("/ui/store-reader/cancel-interrupts", Fixture, NULL, koers_store_fixture_set_up,
              test_cancel_interrupts, koers_store_fixture_tear_down);
  g_test_add ("/ui/store-reader/read-file", Fixture, NULL, koers_store_fixture_set_up, test_read_file,
              koers_store_fixture_tear_down);
  g_test_add ("/ui/store-reader/close", Fixture, NULL, koers_store_fixture_set_up, test_close,
              koers_store_fixture_tear_down);
  g_test_add ("/ui/store-reader/write", Fixture, NULL, koers_store_fixture_set_up, test_write,
              koers_store_fixture_tear_down);
  g_test_add ("/ui/store-reader/write-refused", Fixture, NULL, koers_store_fixture_set_up, test_write_refused,
              koers_store_fixture_tear_down);
  g_test_add ("/ui/store-reader/close-writes", Fixture, NULL, koers_store_fixture_set_up, test_close_writes,
              koers_store_fixture_tear_down);
  return g_test_run ();
}
