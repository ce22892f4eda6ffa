/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-report: a full-year office report over 20 steunpunten and 10k
 * clients, per format (CSV, JSON, XLSX, PDF), plus explain and the
 * pseudonymised export. Target: <= 5 s per format (issue 11).
 *
 *   bench-report [--clients N] [--vault DIR] [--period 2026] [--save-pdf FILE]
 *
 * Without --vault it makes a vault with `koers-cli demo --clients N`
 * (dates relative to today); the demo's clients are then spread over 20
 * steunpunten. The period defaults to the last 12 months. See
 * docs/benchmarks.md.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>

#include "koers-office-export.h"
#include "koers-office-report.h"
#include "koers-vault.h"
#include "bench-cli.h"

#define NAME         "Bench"
#define PASSPHRASE   "bench-report demo passphrase"
#define N_STEUNPUNTEN 20

/* Up to 20 steunpunten, the clients spread over them round robin. */
static void
spread_clients (KoersStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) steunpunten = koers_store_list (store, KOERS_ENTITY_STEUNPUNT, NULL, &error);
  g_autoptr (GPtrArray) clients = NULL;

  g_assert_no_error (error);
  if (steunpunten->len >= N_STEUNPUNTEN)
    return;
  g_assert_true (koers_store_begin (store, &error));
  for (guint i = steunpunten->len; i < N_STEUNPUNTEN; i++)
    {
      KoersSteunpunt *sp = koers_steunpunt_new ();

      sp->name = g_strdup_printf ("Steunpunt %02u", i + 1);
      g_assert_true (koers_store_add_steunpunt (store, sp, &error));
      g_ptr_array_add (steunpunten, sp);
    }
  clients = koers_store_list (store, KOERS_ENTITY_CLIENT, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < clients->len; i++)
    {
      KoersClient *client = g_ptr_array_index (clients, i);
      KoersSteunpunt *sp = g_ptr_array_index (steunpunten, i % N_STEUNPUNTEN);

      g_free (client->steunpunt_id);
      client->steunpunt_id = g_strdup (sp->id);
      g_assert_true (koers_store_update_client (store, client, &error));
    }
  g_assert_true (koers_store_commit (store, &error));
}

static const char *save_pdf;

static double
run_format (KoersStore *store, const char *period, KoersReportFormat format, gsize *size)
{
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  if (!koers_office_report_run (store, period, NULL, format, "nl", out, &error))
    g_error ("report: %s", error->message);
  *size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  if (format == KOERS_REPORT_FORMAT_PDF && save_pdf != NULL &&
      !g_file_set_contents (save_pdf, g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                            (gssize) *size, &error))
    g_error ("%s", error->message);
  return (g_get_monotonic_time () - start) / 1e6;
}

static char *
last_twelve_months (KoersStore *store)
{
  g_autofree char *today = koers_store_today (store);
  int y = atoi (today), m = atoi (today + 5);
  int fy = m == 12 ? y : y - 1, fm = m == 12 ? 1 : m + 1;

  return g_strdup_printf ("%04d-%02d..%04d-%02d", fy, fm, y, m);
}

int
main (int argc, char **argv)
{
  g_autofree char *vault_dir = NULL;
  g_autofree char *period = NULL;
  g_autofree char *tmp = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersVault) vault = NULL;
  g_autoptr (KoersStore) store = NULL;
  g_autoptr (GPtrArray) clients = NULL;
  int n_clients = 10000;
  const char *names[] = { "csv", "json", "xlsx", "pdf" };
  GOptionEntry entries[] = {
    { "clients", 0, 0, G_OPTION_ARG_INT, &n_clients, "demo clients in a new vault", "N" },
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &vault_dir, "a demo vault (name " NAME ")", "DIR" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &period, "the period (default: the last 12 months)", "P" },
    { "save-pdf", 0, 0, G_OPTION_ARG_FILENAME, &save_pdf, "keep the PDF (to look at)", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- the office's reports on demo data");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_setenv ("KOERS_PASSPHRASE", PASSPHRASE, TRUE);
  g_setenv ("KOERS_KDF", "minimum", TRUE);
  if (vault_dir == NULL)
    {
      g_autofree char *n = g_strdup_printf ("%d", n_clients);
      const char *init[] = { "init", NULL }, *demo[] = { "demo", "--clients", n, "--seed", "1", NULL };

      tmp = g_dir_make_tmp ("koers-bench-report-XXXXXX", &error);
      g_assert_no_error (error);
      vault_dir = g_build_filename (tmp, "vault", NULL);
      bench_run_cli (vault_dir, NAME, init);
      bench_run_cli (vault_dir, NAME, demo);
    }
  vault = koers_vault_open (vault_dir, &error);
  if (vault == NULL || !koers_vault_unlock (vault, NAME, PASSPHRASE, &error) ||
      (store = koers_store_new (koers_vault_get_db (vault), &error)) == NULL)
    g_error ("the demo vault: %s", error->message);
  spread_clients (store);
  if (period == NULL)
    period = last_twelve_months (store);
  clients = koers_store_list (store, KOERS_ENTITY_CLIENT, NULL, &error);
  printf ("report %s over %u clients at %d steunpunten\n\n", period, clients->len, N_STEUNPUNTEN);
  printf ("%-8s %10s %12s\n", "format", "seconds", "bytes");
  for (guint f = 0; f < G_N_ELEMENTS (names); f++)
    {
      gsize size;
      double s = run_format (store, period, (KoersReportFormat) f, &size);

      printf ("%-8s %10.3f %12zu\n", names[f], s, size);
    }
  {
    guchar key[32] = { 1 };
    g_autoptr (GBytes) secret = g_bytes_new (key, sizeof key);
    g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
    gint64 start = g_get_monotonic_time ();
    g_auto (GStrv) ids = koers_office_report_explain (store, period, NULL, "reached", secret, &error);

    g_assert_no_error (error);
    printf ("%-8s %10.3f %12u ids\n", "explain", (g_get_monotonic_time () - start) / 1e6, g_strv_length (ids));
    start = g_get_monotonic_time ();
    if (!koers_office_export_pseudonymised (store, secret, KOERS_EXPORT_FORMAT_CSV, FALSE, out, &error))
      g_error ("export: %s", error->message);
    printf ("%-8s %10.3f %12zu\n", "export", (g_get_monotonic_time () - start) / 1e6,
            g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
  }
  g_clear_object (&store);
  koers_vault_lock (vault);
  if (tmp != NULL)
    bench_remove_tree (tmp);
  return 0;
}
