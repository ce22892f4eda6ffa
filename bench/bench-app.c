/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-app: the desktop app on a vault filled by `koers-cli demo`, driven
 * through the real window under X (Xvfb in CI). Reports:
 *   open    unlock pressed → the Clients list has drawn its first rows,
 *           with the Argon2id derivation measured apart and taken out;
 *   search  for each keystroke of a few names typed letter by letter: the
 *           time until the hits are drawn, and the longest the main thread
 *           was busy meanwhile (what a typing volunteer feels as stutter);
 *   scroll  the whole list dragged top to bottom in 200 steps: time per
 *           drawn frame and the longest main-thread stall;
 *   saving  a client's file saved (client, consent and a conversation with a
 *           page of notes, one transaction, a write job on the store
 *           reader's thread as the app saves) a few hundred times with the
 *           list open: the save from the press until it is written, and the
 *           longest main-thread stall until the list has followed;
 *   memory  resident set after opening, after searching, after scrolling,
 *           and the peak.
 * A main-thread stall is a main-loop step without the time it slept in
 * poll() waiting for work (earlier versions counted that too: a step that
 * waited 0.5 s for a read on the reader's thread was a 0.5 s "stall").
 * Each part names its longest stall and the one with the most CPU time:
 * the sample and when it began (CLOCK_MONOTONIC), to find it in a profile.
 *
 *   bench-app [--clients N] [--vault DIR --name NAME] [--part search|scroll|save|open]
 * --part runs only that part after opening (e.g. under perf); "open" locks
 * and unlocks the vault again a few times instead (Unlock → Today drawn,
 * its stalls as samples).
 * Without --vault it makes a temporary vault with N demo clients (default
 * 10000) with koers-cli from the same build, and removes it afterwards.
 * The passphrase comes from KOERS_PASSPHRASE (a made-up one for the
 * temporary vault). */
#include "config.h"

#define G_LOG_DOMAIN "koers-bench"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "koers-client-list.h"
#include "koers-clients-page.h"
#include "koers-main-view.h"
#include "koers-test-util.h"
#include "koers-today-page.h"
#include "koers-unlock-page.h"
#include "koers-window.h"

#define SCROLL_STEPS 200
#define SAVES        300
#define WAIT_SECONDS 120
#define REOPENS      5

typedef struct
{
  GArray *ms;          /* doubles */
  GArray *stalls;      /* doubles: each sample's longest main-thread stall */
  GArray *cpu_stalls;  /* doubles: the CPU time the main thread used in it */
  double  max_stall_ms;
  double  max_stall_cpu_ms;
  gint64  max_stall_at;     /* when the longest stall began (CLOCK_MONOTONIC, µs) */
  guint   max_stall_sample; /* in which sample */
  double  max_cpu_ms;       /* the stall that used the most CPU time */
  double  max_cpu_stall_ms;
  gint64  max_cpu_at;
  guint   max_cpu_sample;
} Samples;

#define DOUBLES() g_array_new (FALSE, FALSE, sizeof (double))
#define SAMPLES_INIT { DOUBLES (), DOUBLES (), DOUBLES (), 0, 0, 0, 0, 0, 0, 0, 0 }

/* The main loop, timed: every iteration's length is a main-thread stall
 * as long as it. Its CPU time apart: on a machine shared with other work
 * the wall time includes waiting for a CPU. */
static double current_max_stall_ms;
static double current_max_cpu_ms;
static gint64 current_max_at;       /* when the longest began */
static double current_max_at_cpu_ms; /* the CPU time of the longest */
static gint64 current_max_cpu_at;   /* when the one with the most CPU time began */
static double current_max_cpu_wall_ms; /* and how long it was */

/* One sample of @ms, during which the main thread's longest stall was
 * current_max_stall_ms, and its most CPU time in one stall
 * current_max_cpu_ms (the rest of a stall it waited: for the disk, or for
 * a CPU that other processes had). */
static void
add_sample (Samples *samples,
            double   ms)
{
  if (current_max_stall_ms > samples->max_stall_ms)
    {
      samples->max_stall_ms = current_max_stall_ms;
      samples->max_stall_cpu_ms = current_max_at_cpu_ms;
      samples->max_stall_at = current_max_at;
      samples->max_stall_sample = samples->ms->len;
    }
  if (current_max_cpu_ms > samples->max_cpu_ms)
    {
      samples->max_cpu_ms = current_max_cpu_ms;
      samples->max_cpu_stall_ms = current_max_cpu_wall_ms;
      samples->max_cpu_at = current_max_cpu_at;
      samples->max_cpu_sample = samples->ms->len;
    }
  g_array_append_val (samples->ms, ms);
  g_array_append_val (samples->stalls, current_max_stall_ms);
  g_array_append_val (samples->cpu_stalls, current_max_cpu_ms);
}

static void
samples_clear (Samples *samples)
{
  g_array_unref (samples->ms);
  g_array_unref (samples->stalls);
  g_array_unref (samples->cpu_stalls);
}

static double
thread_cpu_ms (void)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec * 1e3 + now.tv_nsec / 1e6;
}

static void
reset_stalls (void)
{
  current_max_stall_ms = 0;
  current_max_cpu_ms = 0;
  current_max_at = 0;
  current_max_at_cpu_ms = 0;
  current_max_cpu_at = 0;
  current_max_cpu_wall_ms = 0;
}

/* A stall of @ms from @start, @cpu_ms of it on a CPU. */
static void
note_stall (gint64 start,
            double ms,
            double cpu_ms)
{
  if (ms > current_max_stall_ms)
    {
      current_max_stall_ms = ms;
      current_max_at = start;
      current_max_at_cpu_ms = cpu_ms;
    }
  if (cpu_ms > current_max_cpu_ms)
    {
      current_max_cpu_ms = cpu_ms;
      current_max_cpu_at = start;
      current_max_cpu_wall_ms = ms;
    }
}

/* The time the main loop slept in poll() waiting for something to do:
 * not a stall (the app would take input meanwhile), so not counted. A
 * wait inside a step (an X round trip, a lock) is. */
static GPollFunc default_poll;
static gint64    polled_us;

static gint
timed_poll (GPollFD *fds,
            guint    n_fds,
            gint     timeout)
{
  gint64 start = g_get_monotonic_time ();
  gint n = default_poll (fds, n_fds, timeout);

  polled_us += g_get_monotonic_time () - start;
  return n;
}

static void
iterate (void)
{
  gint64 start = g_get_monotonic_time ();
  gint64 polled = polled_us;
  double cpu = thread_cpu_ms ();

  if (default_poll == NULL)
    {
      default_poll = g_main_context_get_poll_func (NULL);
      g_main_context_set_poll_func (NULL, timed_poll);
    }
  g_main_context_iteration (NULL, TRUE);
  note_stall (start, (g_get_monotonic_time () - start - (polled_us - polled)) / 1000.0, thread_cpu_ms () - cpu);
}

typedef gboolean (*Condition) (gpointer data);

static gboolean
on_deadline (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_until (Condition condition,
            gpointer  data)
{
  gboolean expired = FALSE;
  guint deadline = g_timeout_add_seconds (WAIT_SECONDS, on_deadline, &expired);

  while (!condition (data) && !expired)
    iterate ();
  if (expired)
    g_error ("bench-app: timed out after %d s", WAIT_SECONDS);
  g_source_remove (deadline);
}

/* Frames ------------------------------------------------------------------- */

static guint n_painted;

static void
on_after_paint (GdkFrameClock *clock)
{
  n_painted++;
}

static gboolean
painted_since (gpointer data)
{
  return n_painted > GPOINTER_TO_UINT (data);
}

/* Runs the main loop until the window has drawn a frame after now. */
static void
wait_for_frame (GtkWidget *widget)
{
  guint before = n_painted;

  gtk_widget_queue_draw (widget);
  wait_until (painted_since, GUINT_TO_POINTER (before));
}

/* Memory ------------------------------------------------------------------- */

static long
status_kib (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  return line != NULL ? strtol (line + strlen (field) + 1, NULL, 10) : -1;
}

/* Samples ------------------------------------------------------------------ */

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            double  p)
{
  guint index;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  index = (guint) (p * (values->len - 1) + 0.5);
  return g_array_index (values, double, index);
}

static guint
count_over (GArray *values,
            double  limit)
{
  guint n = 0;

  for (guint i = 0; i < values->len; i++)
    n += g_array_index (values, double, i) > limit;
  return n;
}

/* The longest stall's place: its sample, and when it began on
 * CLOCK_MONOTONIC (`perf record -k CLOCK_MONOTONIC`, then `perf report
 * --time START,END` shows what the main thread did in it). */
static void
print_samples (const char *what,
               Samples    *samples)
{
  printf ("%-28s n=%-4u p50 %7.1f ms   p95 %7.1f ms   max %7.1f ms\n"
          "%-28s main-thread stall p99 %6.1f ms, max %6.1f ms (%u over 50 ms); its CPU time p99 %6.1f ms, max %6.1f ms\n"
          "%-28s the longest: sample %u, %.1f ms of CPU, from %.6f s (CLOCK_MONOTONIC);"
          " the most CPU: sample %u, %.1f ms in a stall of %.1f ms, from %.6f s\n",
          what, samples->ms->len, percentile (samples->ms, 0.5), percentile (samples->ms, 0.95),
          percentile (samples->ms, 1.0), "", percentile (samples->stalls, 0.99), samples->max_stall_ms,
          count_over (samples->stalls, 50.0), percentile (samples->cpu_stalls, 0.99),
          percentile (samples->cpu_stalls, 1.0), "", samples->max_stall_sample, samples->max_stall_cpu_ms,
          samples->max_stall_at / 1e6, samples->max_cpu_sample, samples->max_cpu_ms, samples->max_cpu_stall_ms,
          samples->max_cpu_at / 1e6);
}

/* The window ---------------------------------------------------------------- */

typedef struct
{
  KoersWindow      *window;
  KoersMainView    *view;
  KoersClientsPage *clients;
  KoersClientList  *list;
} App;

static gboolean
on_page (gpointer data)
{
  App *app = data;
  const char *page = koers_window_get_page_name (app->window);

  return g_strcmp0 (page, "unlock") == 0 || g_strcmp0 (page, "main") == 0 || g_strcmp0 (page, "error") == 0;
}

static gboolean
on_main_or_error (gpointer data)
{
  App *app = data;
  const char *page = koers_window_get_page_name (app->window);

  return g_strcmp0 (page, "main") == 0 || g_strcmp0 (page, "error") == 0;
}

static gboolean
list_ready (gpointer data)
{
  App *app = data;

  return !koers_client_list_is_loading (app->list)
         && g_list_model_get_n_items (G_LIST_MODEL (app->list)) > 0;
}

static gboolean
today_ready (gpointer data)
{
  return !koers_today_page_is_loading (KOERS_TODAY_PAGE (data));
}

static gboolean
search_shown (gpointer data)
{
  App *app = data;
  const char *typed = g_object_get_data (G_OBJECT (app->list), "bench-typed");
  g_autofree char *stripped = g_strstrip (g_strdup (typed));

  return g_strcmp0 (koers_client_list_get_search (app->list), *stripped ? stripped : NULL) == 0
         && !koers_client_list_is_loading (app->list);
}

static GtkWidget *
child (gpointer widget, GType type, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  if (object == NULL)
    g_error ("bench-app: no %s in %s", name, g_type_name (type));
  return GTK_WIDGET (object);
}

/* The Argon2id derivation alone, on a second handle of the same vault. */
static double
kdf_seconds (const char *dir,
             const char *name,
             const char *passphrase)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVault) vault = koers_vault_open (dir, &error);
  gint64 start;
  double seconds;

  if (vault == NULL)
    g_error ("bench-app: %s", error->message);
  start = g_get_monotonic_time ();
  if (!koers_vault_unlock (vault, name, passphrase, &error))
    g_error ("bench-app: %s", error->message);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  koers_vault_lock (vault);
  return seconds;
}

typedef struct
{
  double to_main, to_list, to_today;  /* ms from pressing Unlock */
} Opened;

/* Presses Unlock and waits until the client list is read and Today is
 * drawn; the stalls meanwhile are the current ones. */
static Opened
unlock (App        *app,
        const char *passphrase)
{
  GtkWidget *unlock_page = child (app->window, KOERS_TYPE_WINDOW, "unlock_page");
  GtkWidget *today;
  gint64 start;
  Opened opened;

  koers_test_set_text (child (unlock_page, KOERS_TYPE_UNLOCK_PAGE, "passphrase_row"), passphrase);
  wait_for_frame (GTK_WIDGET (app->window));

  reset_stalls ();
  start = g_get_monotonic_time ();
  g_signal_emit_by_name (child (unlock_page, KOERS_TYPE_UNLOCK_PAGE, "unlock_button"), "clicked");
  wait_until (on_main_or_error, app);
  if (!g_str_equal (koers_window_get_page_name (app->window), "main"))
    g_error ("bench-app: the vault did not open");
  opened.to_main = (g_get_monotonic_time () - start) / 1000.0;

  app->view = koers_window_get_main_view (app->window);
  app->clients = KOERS_CLIENTS_PAGE (child (app->view, KOERS_TYPE_MAIN_VIEW, "clients_page"));
  app->list = koers_clients_page_get_list (app->clients);
  /* Both read on the reader's thread from the moment the view exists:
   * the client list, and Today (where a person lands). */
  wait_until (list_ready, app);
  opened.to_list = (g_get_monotonic_time () - start) / 1000.0;
  today = adw_bin_get_child (ADW_BIN (child (app->view, KOERS_TYPE_MAIN_VIEW, "today_bin")));
  if (!KOERS_IS_TODAY_PAGE (today))
    g_error ("bench-app: no Today page");
  wait_until (today_ready, today);
  wait_for_frame (today);
  opened.to_today = (g_get_monotonic_time () - start) / 1000.0;
  return opened;
}

static void
open_window (App        *app,
             const char *dir,
             const char *passphrase)
{
  GtkWidget *list_view;
  Opened opened;

  app->window = koers_window_new (NULL, dir);
  gtk_window_set_default_size (GTK_WINDOW (app->window), 1280, 800);
  gtk_window_present (GTK_WINDOW (app->window));
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (app->window)), "after-paint",
                    G_CALLBACK (on_after_paint), NULL);
  wait_until (on_page, app);
  if (!g_str_equal (koers_window_get_page_name (app->window), "unlock"))
    g_error ("bench-app: the window shows \"%s\", not the unlock page", koers_window_get_page_name (app->window));

  opened = unlock (app, passphrase);
  koers_main_view_set_tab (app->view, "clients");
  list_view = child (app->clients, KOERS_TYPE_CLIENTS_PAGE, "list_view");
  wait_for_frame (list_view);

  printf ("%-28s %.0f ms to the main view, %.0f ms to the client list read, %.0f ms to Today drawn"
          " (%u clients, %u page(s) of rows read); longest main-thread stall %.1f ms (CPU %.1f ms)\n",
          "open (unlock pressed)", opened.to_main, opened.to_list, opened.to_today,
          g_list_model_get_n_items (G_LIST_MODEL (app->list)),
          koers_client_list_get_n_fetched_pages (app->list), current_max_stall_ms, current_max_at_cpu_ms);
}

static gboolean
on_unlock_page (gpointer data)
{
  App *app = data;

  return g_strcmp0 (koers_window_get_page_name (app->window), "unlock") == 0;
}

/* Locks and opens the vault again, as a person does after a break: from
 * pressing Unlock until Today is drawn (the key derivation included). */
static void
reopen (App        *app,
        const char *passphrase,
        Samples    *samples)
{
  Opened opened;

  for (guint i = 0; i < REOPENS; i++)
    {
      app->view = NULL;
      app->clients = NULL;
      app->list = NULL;
      if (!gtk_widget_activate_action (GTK_WIDGET (app->window), "win.lock", NULL))
        g_error ("bench-app: no win.lock");
      wait_until (on_unlock_page, app);
      opened = unlock (app, passphrase);
      add_sample (samples, opened.to_today);
    }
}

/* Types @text into the search field one character at a time, as a person
 * does (each keystroke inserts at the end; setting the whole text would
 * empty the field first, which GtkSearchEntry reports at once), waiting
 * for each keystroke's hits to be drawn. */
static void
type_search (App        *app,
             const char *text,
             Samples    *samples)
{
  GtkWidget *entry = child (app->clients, KOERS_TYPE_CLIENTS_PAGE, "search_entry");
  GtkWidget *list_view = child (app->clients, KOERS_TYPE_CLIENTS_PAGE, "list_view");

  for (const char *key = text; *key != '\0'; key = g_utf8_next_char (key))
    {
      const char *next = g_utf8_next_char (key);
      g_autofree char *typed = g_strndup (text, next - text);
      int position;
      gint64 start;

      g_object_set_data_full (G_OBJECT (app->list), "bench-typed", g_strdup (typed), g_free);
      reset_stalls ();
      start = g_get_monotonic_time ();
      position = (int) g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (entry)), -1);
      gtk_editable_insert_text (GTK_EDITABLE (entry), key, next - key, &position);
      wait_until (search_shown, app);
      wait_for_frame (list_view);
      add_sample (samples, (g_get_monotonic_time () - start) / 1000.0);
    }
}

/* Empties the search field (back to every client), timed into @samples
 * when given. */
static void
clear_search (App     *app,
              Samples *samples)
{
  GtkWidget *list_view = child (app->clients, KOERS_TYPE_CLIENTS_PAGE, "list_view");
  gint64 start;

  g_object_set_data_full (G_OBJECT (app->list), "bench-typed", g_strdup (""), g_free);
  reset_stalls ();
  start = g_get_monotonic_time ();
  gtk_editable_set_text (GTK_EDITABLE (child (app->clients, KOERS_TYPE_CLIENTS_PAGE, "search_entry")), "");
  wait_until (search_shown, app);
  wait_until (list_ready, app);
  wait_for_frame (list_view);
  if (samples == NULL)
    return;
  add_sample (samples, (g_get_monotonic_time () - start) / 1000.0);
}

static void
scroll_list (App     *app,
             Samples *samples)
{
  GtkWidget *scroller = child (app->clients, KOERS_TYPE_CLIENTS_PAGE, "scroller");
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));

  for (guint step = 1; step <= SCROLL_STEPS; step++)
    {
      double top = (gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment))
                   * step / SCROLL_STEPS;
      gint64 start;

      reset_stalls ();
      start = g_get_monotonic_time ();
      gtk_adjustment_set_value (adjustment, top);
      wait_for_frame (scroller);
      add_sample (samples, (g_get_monotonic_time () - start) / 1000.0);
    }
}

/* One client's file in one transaction, as the client page and the
 * conversation editor write it: the client, their consent and a
 * conversation with about 2 kB of notes, as a write job on the store
 * reader's thread (koers-client-page.c, koers-conversation-editor.c). */
static gpointer
write_file (KoersStore    *store,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(KoersClient) client = koers_client_new ();
  g_autoptr(KoersConsent) consent = koers_consent_new ();
  g_autoptr(KoersConversation) conversation = koers_conversation_new ();
  g_autoptr(GString) notes = g_string_new (NULL);

  while (notes->len < 2000)
    g_string_append (notes, "Gesprek over de terugkeer, de papieren en de volgende stap. ");
  client->name = g_strdup_printf ("Bench Opslaan %u", GPOINTER_TO_UINT (data));
  client->phase = KOERS_PHASE_INTAKE;
  if (!koers_store_begin (store, error))
    return NULL;
  if (!koers_store_add_client (store, client, error))
    {
      koers_store_rollback (store);
      return NULL;
    }
  consent->client_id = g_strdup (client->id);
  consent->kind = KOERS_CONSENT_STORE_FILE;
  consent->granted = TRUE;
  consent->recorded_on = koers_store_today (store);
  conversation->client_id = g_strdup (client->id);
  conversation->held_on = koers_store_today (store);
  conversation->notes = g_strdup (notes->str);
  if (!koers_store_add_consent (store, consent, error) || !koers_store_add_conversation (store, conversation, error))
    {
      koers_store_rollback (store);
      return NULL;
    }
  return koers_store_commit (store, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

static void
on_file_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  gint64 *written_at = user_data;
  g_autoptr(GError) error = NULL;

  if (koers_store_reader_write_finish (KOERS_STORE_READER (source), result, &error) == NULL)
    g_error ("bench-app: %s", error->message);
  *written_at = g_get_monotonic_time ();
}

static gboolean
file_written (gpointer data)
{
  return *(gint64 *) data != 0;
}

/* The save (from the press to "Saved": the job written and its callback
 * run), and every main-loop step meanwhile and until the list followed. */
static void
save_files (App     *app,
            Samples *samples)
{
  KoersSession *session = koers_window_get_session (app->window);
  KoersStore *store = koers_session_get_store (session);
  KoersStoreReader *reader = koers_session_get_reader (session);
  GtkWidget *list_view = child (app->clients, KOERS_TYPE_CLIENTS_PAGE, "list_view");

  for (guint i = 0; i < SAVES; i++)
    {
      gint64 start, written_at = 0;
      double cpu;

      reset_stalls ();
      start = g_get_monotonic_time ();
      cpu = thread_cpu_ms ();
      koers_store_reader_write_async (reader, store, write_file, GUINT_TO_POINTER (i), NULL, NULL,
                                      on_file_written, &written_at);
      /* Queuing it is a main-loop step as the app saves. */
      note_stall (start, (g_get_monotonic_time () - start) / 1000.0, thread_cpu_ms () - cpu);
      wait_until (file_written, &written_at);
      /* The list reads the change on the reader's thread and redraws. */
      while (g_main_context_pending (NULL))
        iterate ();
      wait_until (list_ready, app);
      wait_for_frame (list_view);
      add_sample (samples, (written_at - start) / 1000.0);
    }
}

/* Demo data ---------------------------------------------------------------- */

static char *
cli_path (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_path_get_dirname (self);

  return g_build_filename (dir, "..", "src", "cli", "koers-cli", NULL);
}

static void
run_cli (const char *dir,
         const char *name,
         const char *const *args)
{
  g_autofree char *cli = cli_path ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *vault_arg = g_strdup_printf ("--vault=%s", dir);
  g_autofree char *name_arg = g_strdup_printf ("--name=%s", name);
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, vault_arg);
  g_ptr_array_add (argv, name_arg);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("bench-app: koers-cli %s: %s", args[0], error->message);
}

static void
make_demo_vault (const char *dir,
                 const char *name,
                 guint       clients)
{
  g_autofree char *n = g_strdup_printf ("%u", clients);
  const char *init[] = { "init", NULL };
  const char *demo[] = { "demo", "--clients", n, NULL };
  gint64 start = g_get_monotonic_time ();

  /* The cheapest Argon2id for the bench's own vault: the derivation is
   * measured apart (bench-vault has the default cost's figure). */
  g_setenv ("KOERS_KDF", "minimum", TRUE);
  run_cli (dir, name, init);
  run_cli (dir, name, demo);
  printf ("%-28s %u clients in %.0f s (koers-cli demo; not part of the figures)\n", "demo vault",
          clients, (g_get_monotonic_time () - start) / 1e6);
}

/* Main ---------------------------------------------------------------------- */

static void
use_build_settings (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_path_get_dirname (self);
  g_autofree char *schemas = g_build_filename (dir, "..", "data", NULL);

  /* Nothing of the bench's run reaches the person's real settings. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", schemas, FALSE);
  /* Steady frames, no transitions: the figures are the app's own work. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
}

int
main (int argc, char **argv)
{
  static const char *const queries[] = { "mohammed", "محمد", "ሰላም", "fatima haile", NULL };
  guint clients = 10000;
  g_autofree char *vault_dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *part = NULL;
  GOptionEntry entries[] = {
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "Demo clients in the temporary vault (10000)", "N" },
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &vault_dir, "An existing vault instead", "DIR" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "The slot that opens --vault", "NAME" },
    { "part", 0, 0, G_OPTION_ARG_STRING, &part, "Only this part after opening: search, scroll or save; or open (lock and unlock again)", "PART" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- the app at scale");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  const char *passphrase;
  App app = { 0 };
  Samples typing = SAMPLES_INIT;
  Samples clearing = SAMPLES_INIT;
  Samples scrolling = SAMPLES_INIT;
  Samples saving = SAMPLES_INIT;
  Samples reopening = SAMPLES_INIT;
  long rss_open, rss_search, rss_scroll;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bench-app: %s\n", error->message);
      return EXIT_FAILURE;
    }
  use_build_settings ();
  if (vault_dir == NULL)
    {
      g_setenv ("KOERS_PASSPHRASE", "bench-app demo passphrase", FALSE);
      tmp = g_dir_make_tmp ("koers-bench-app-XXXXXX", &error);
      if (tmp == NULL)
        g_error ("bench-app: %s", error->message);
      vault_dir = g_build_filename (tmp, "vault", NULL);
      g_free (name);
      name = g_strdup ("Bench");
    }
  passphrase = g_getenv ("KOERS_PASSPHRASE");
  if (passphrase == NULL || name == NULL)
    {
      fprintf (stderr, "bench-app: --vault needs --name and KOERS_PASSPHRASE\n");
      return EXIT_FAILURE;
    }
  if (tmp != NULL)
    make_demo_vault (vault_dir, name, clients);

  adw_init ();
  printf ("%-28s %.3f s (%s)\n", "Argon2id, this vault's slot", kdf_seconds (vault_dir, name, passphrase),
          tmp != NULL ? "minimum cost: taken out of the figures below" : "the slot's own cost");

  open_window (&app, vault_dir, passphrase);
  rss_open = status_kib ("VmRSS:");
  if (part != NULL && g_str_equal (part, "open"))
    {
      reopen (&app, passphrase, &reopening);
      print_samples ("open again (unlock → Today)", &reopening);
    }
  if (part == NULL || g_str_equal (part, "search"))
    {
      for (guint i = 0; queries[i] != NULL; i++)
        {
          type_search (&app, queries[i], &typing);
          clear_search (&app, &clearing);
        }
      print_samples ("search, per keystroke", &typing);
      print_samples ("search cleared (all again)", &clearing);
    }
  rss_search = status_kib ("VmRSS:");
  if (part == NULL || g_str_equal (part, "scroll"))
    {
      scroll_list (&app, &scrolling);
      print_samples ("scroll, per step (1/200)", &scrolling);
    }
  rss_scroll = status_kib ("VmRSS:");
  if (part == NULL || g_str_equal (part, "save"))
    {
      save_files (&app, &saving);
      print_samples ("saving a file (save itself)", &saving);
    }
  printf ("%-28s %ld MB after opening, %ld MB after searching, %ld MB after scrolling all; peak %ld MB\n",
          "memory (RSS)", rss_open / 1024, rss_search / 1024, rss_scroll / 1024, status_kib ("VmHWM:") / 1024);

  gtk_window_destroy (GTK_WINDOW (app.window));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  samples_clear (&typing);
  samples_clear (&clearing);
  samples_clear (&scrolling);
  samples_clear (&saving);
  samples_clear (&reopening);
  if (tmp != NULL)
    koers_test_rm_rf (tmp);
  return EXIT_SUCCESS;
}
