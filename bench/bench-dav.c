/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-dav: what write-once costs. Uploads N batches of a given size to
 * a real local server over TLS (nginx and Apache, as the sync tests start
 * them) with koers_dav_put_once (PUT to a temporary name + MOVE with
 * Overwrite: F), and, as the comparison, the same batches with one plain
 * PUT each. Prints per-batch wall time (p50, p95), batches per second and
 * the ratio put_once / PUT. One client per run: one TLS connection.
 *
 *   bench-dav [--batches N] [--size BYTES]     (defaults: 200, 262144)
 */
#include "config.h"

#define G_LOG_DOMAIN "koers-bench"

#include <stdio.h>
#include <stdlib.h>

#include "dav-server.h"
#include "koers-dav-client.h"

#define USER     "bench"
#define PASSWORD "bench-password"

typedef struct
{
  double p50_ms, p95_ms, total_s;
} Timing;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static Timing
summarise (GArray *ms)
{
  Timing timing = { 0 };

  g_array_sort (ms, compare_doubles);
  for (guint i = 0; i < ms->len; i++)
    timing.total_s += g_array_index (ms, double, i) / 1000.0;
  timing.p50_ms = g_array_index (ms, double, ms->len / 2);
  timing.p95_ms = g_array_index (ms, double, MIN (ms->len - 1, ms->len * 95 / 100));
  return timing;
}

static Timing
run (KoersDavClient *client,
     const char     *folder,
     guint           batches,
     gsize           size,
     gboolean        write_once)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  guint8 *data = g_malloc (size);
  g_autoptr(GBytes) body = NULL;

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_random_int ();
  body = g_bytes_new_take (data, size);
  if (!koers_dav_client_make_folder (client, folder, NULL, &error))
    g_error ("%s", error->message);
  for (guint i = 0; i < batches; i++)
    {
      g_autofree char *name = g_strdup_printf ("batch-%06u", i);
      g_autofree char *path = g_strconcat (folder, name, NULL);
      gint64 start = g_get_monotonic_time ();
      gboolean ok = write_once ? koers_dav_put_once (client, folder, name, body, NULL, NULL, &error)
                               : koers_dav_client_put (client, path, body, NULL, &error);
      double elapsed = (g_get_monotonic_time () - start) / 1000.0;

      if (!ok)
        g_error ("%s", error->message);
      g_array_append_val (ms, elapsed);
    }
  return summarise (ms);
}

static void
bench_server (KoersTestDavKind kind,
              KoersTestPki    *pki,
              guint            batches,
              gsize            size)
{
  KoersTestDavServer *server = koers_test_dav_server_start (kind, pki, USER, PASSWORD);
  g_autofree char *url = koers_test_dav_server_url (server, 0, "drop/");
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDavClient) client = koers_dav_client_new (url, USER, PASSWORD, pki->ca_pem, pki->pin, &error);
  Timing plain, once;

  if (client == NULL)
    g_error ("%s", error->message);
  /* Warm up the connection, then measure. */
  run (client, "warm/", 5, size, TRUE);
  plain = run (client, "plain/", batches, size, FALSE);
  once = run (client, "once/", batches, size, TRUE);
  printf ("%-7s %6u x %7zu B   PUT p50 %6.2f ms p95 %6.2f ms (%6.1f/s)   "
          "put_once p50 %6.2f ms p95 %6.2f ms (%6.1f/s)   put_once/PUT %.2fx\n",
          koers_test_dav_kind_name (kind), batches, size,
          plain.p50_ms, plain.p95_ms, batches / plain.total_s,
          once.p50_ms, once.p95_ms, batches / once.total_s,
          once.total_s / plain.total_s);
  g_clear_object (&client);
  koers_test_dav_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  int batches = 200;
  gint64 size = 256 * 1024;
  GOptionEntry entries[] = {
    { "batches", 0, 0, G_OPTION_ARG_INT, &batches, "Batches per run", "N" },
    { "size", 0, 0, G_OPTION_ARG_INT64, &size, "Bytes per batch", "BYTES" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- write-once upload cost");
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersTestPki) pki = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || batches < 1 || size < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--batches and --size must be positive");
      return 2;
    }
  pki = koers_test_pki_new ();
  for (KoersTestDavKind kind = KOERS_TEST_DAV_NGINX; kind <= KOERS_TEST_DAV_APACHE; kind++)
    if (koers_test_dav_kind_available (kind))
      bench_server (kind, pki, (guint) batches, (gsize) size);
  return 0;
}
