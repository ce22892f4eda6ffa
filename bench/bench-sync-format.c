/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-sync-format: the batch envelope on `koers-cli demo` data. The
 * change log of a demo vault, as JSON Lines, cut into batches of 1, 10,
 * 100 changes and of at most 256 KiB compressed (as the outbox cuts them);
 * for each: bytes on the wire per change against the same changes as
 * plain JSON Lines (the target: ≤ 0.5×, padding included), seal
 * and open time per batch. Then deflate levels against zstd (the `zstd`
 * program, when installed) on the 256 KiB batches.
 *
 *   bench-sync-format [--clients N] [--changes M] [--vault DIR]
 *
 * Without --vault it makes a temporary vault with N demo clients (default
 * 1500) with koers-cli from the same build, and removes it afterwards. */
#include "config.h"

#define G_LOG_DOMAIN "koers-bench"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "koers-envelope-private.h"
#include "koers-store.h"
#include "koers-vault.h"
#include "bench-cli.h"

#define NAME       "Bench"
#define PASSPHRASE "bench-sync-format demo passphrase"
#define CAP        (256 * 1024)

/* --- the demo vault's change log --------------------------------------------- */

static void
json_string (GString *out, const char *s)
{
  g_string_append_c (out, '"');
  for (; *s != '\0'; s++)
    {
      if (*s == '"' || *s == '\\')
        g_string_append_c (out, '\\');
      if ((guchar) *s < 0x20)
        g_string_append_printf (out, "\\u%04x", *s);
      else
        g_string_append_c (out, *s);
    }
  g_string_append_c (out, '"');
}

/* The change log's rows as JSON Lines, one string a change. */
static GPtrArray *
read_changes (const char *dir, guint max)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersVault) vault = koers_vault_open (dir, &error);
  g_autoptr (KoersStore) store = NULL;
  g_autoptr (GPtrArray) changes = NULL;
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  if (vault == NULL || !koers_vault_unlock (vault, NAME, PASSPHRASE, &error)
      || (store = koers_store_new (koers_vault_get_db (vault), &error)) == NULL
      || (changes = koers_store_list_changes (store, 0, max, &error)) == NULL)
    g_error ("the demo vault: %s", error->message);
  for (guint i = 0; i < changes->len; i++)
    {
      KoersChange *c = changes->pdata[i];
      GString *line = g_string_new (NULL);
      const char *strings[] = { "device_id", c->device_id, "worker_id", c->worker_id, "entity", c->entity,
                                "entity_id", c->entity_id, "op", c->op };

      g_string_append_printf (line, "{\"seq\":%u,\"hlc\":%" G_GUINT64_FORMAT, i + 1, (guint64) c->hlc);
      for (guint k = 0; k < G_N_ELEMENTS (strings); k += 2)
        if (strings[k + 1] != NULL)
          {
            g_string_append_printf (line, ",\"%s\":", strings[k]);
            json_string (line, strings[k + 1]);
          }
      g_string_append_printf (line, ",\"fields\":%s}\n", c->fields != NULL ? c->fields : "null");
      g_ptr_array_add (lines, g_string_free (line, FALSE));
    }
  g_clear_object (&store);
  koers_vault_lock (vault);
  return lines;
}

/* --- batches -------------------------------------------------------------------- */

typedef struct
{
  guint first;   /* index of the first change */
  guint n;
} Cut;

static GBytes *
join (GPtrArray *lines, Cut cut)
{
  GString *out = g_string_new (NULL);

  for (guint i = cut.first; i < cut.first + cut.n; i++)
    g_string_append (out, lines->pdata[i]);
  return g_string_free_to_bytes (out);
}

/* Fixed counts, or (per == 0) as many as fit in CAP compressed. */
static GArray *
cut_batches (GPtrArray *lines, guint per)
{
  GArray *cuts = g_array_new (FALSE, FALSE, sizeof (Cut));
  guint at = 0;

  while (at < lines->len)
    {
      Cut cut = { at, MIN (per ? per : 4096, lines->len - at) };

      /* the outbox's rule, approximated: halve until it fits */
      while (per == 0 && cut.n > 1)
        {
          g_autoptr (GBytes) jsonl = join (lines, cut);
          g_autoptr (GBytes) z = koers_envelope_deflate (g_bytes_get_data (jsonl, NULL), g_bytes_get_size (jsonl));

          if (g_bytes_get_size (z) <= CAP)
            break;
          cut.n /= 2;
        }
      g_array_append_val (cuts, cut);
      at += cut.n;
    }
  return cuts;
}

static double
cpu_s (void)
{
  return (double) clock () / CLOCKS_PER_SEC;
}

typedef struct
{
  KoersSyncKey      *device, *office, *team;
  KoersKnownDevices *devices;
  KoersBatchInfo     info;
} Parties;

static void
measure (const char *label, GPtrArray *lines, guint per, Parties *p)
{
  g_autoptr (GArray) cuts = cut_batches (lines, per);
  const KoersSyncKey *to[] = { p->office, p->team };
  KoersEnvelopeOpenOptions opts = { .recipient = p->office, .devices = p->devices };
  gsize plain = 0, wire = 0, compressed = 0;
  double seal_s = 0, open_s = 0;
  guint changes = 0;

  for (guint b = 0; b < cuts->len; b++)
    {
      Cut cut = g_array_index (cuts, Cut, b);
      g_autoptr (GBytes) jsonl = join (lines, cut);
      g_autoptr (GBytes) z = koers_envelope_deflate (g_bytes_get_data (jsonl, NULL), g_bytes_get_size (jsonl));
      g_autoptr (GBytes) file = NULL;
      g_autoptr (KoersBatch) batch = NULL;
      g_autoptr (GError) error = NULL;
      double t0;

      p->info.first_seq = cut.first + 1;
      p->info.last_seq = cut.first + cut.n;
      t0 = cpu_s ();
      file = koers_envelope_seal (&p->info, jsonl, p->device, to, 2, &error);
      seal_s += cpu_s () - t0;
      g_assert_no_error (error);
      t0 = cpu_s ();
      batch = koers_envelope_open (file, &opts, &error);
      open_s += cpu_s () - t0;
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (batch->jsonl, jsonl));
      plain += g_bytes_get_size (jsonl);
      compressed += g_bytes_get_size (z);
      wire += g_bytes_get_size (file);
      changes += cut.n;
    }
  printf ("%-22s %6u %9.0f %9.0f %9.0f %7.2f× %9.3f %9.3f\n", label, cuts->len,
          (double) plain / changes, (double) compressed / changes, (double) wire / changes,
          (double) wire / (double) plain, 1000 * seal_s / cuts->len, 1000 * open_s / cuts->len);
}

/* --- compressors ------------------------------------------------------------------- */

static gsize
deflate_size (GBytes *data, int level, double *seconds)
{
  g_autoptr (GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_RAW, level);
  gsize len = g_bytes_get_size (data), cap = len + len / 64 + 1024, read, written;
  g_autofree guint8 *out = g_malloc (cap);
  double t0 = cpu_s ();

  if (g_converter_convert (G_CONVERTER (z), g_bytes_get_data (data, NULL), len, out, cap,
                           G_CONVERTER_INPUT_AT_END, &read, &written, NULL) != G_CONVERTER_FINISHED)
    g_error ("deflate did not finish in one call");
  *seconds += cpu_s () - t0;
  return written;
}

/* The zstd program's output size, or 0 when there is no zstd. */
static gsize
zstd_size (GBytes *data, int level)
{
  g_autofree char *arg = g_strdup_printf ("-%d", level);
  g_autoptr (GSubprocess) zstd = NULL;
  g_autoptr (GBytes) out = NULL;

  zstd = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                           | G_SUBPROCESS_FLAGS_STDERR_SILENCE, NULL, "zstd", arg, "-c", "-q", NULL);
  if (zstd == NULL || !g_subprocess_communicate (zstd, data, NULL, &out, NULL, NULL))
    return 0;
  return g_bytes_get_size (out) - 13;   /* less zstd's frame header and checksum */
}

static void
compare_compressors (GPtrArray *lines)
{
  g_autoptr (GArray) cuts = cut_batches (lines, 0);
  static const int levels[] = { 1, 6, 9 };
  gsize plain = 0, zlib[3] = { 0 }, zstd[2] = { 0 };
  double secs[3] = { 0 };

  for (guint b = 0; b < cuts->len; b++)
    {
      g_autoptr (GBytes) jsonl = join (lines, g_array_index (cuts, Cut, b));

      plain += g_bytes_get_size (jsonl);
      for (guint l = 0; l < 3; l++)
        zlib[l] += deflate_size (jsonl, levels[l], &secs[l]);
      zstd[0] += zstd_size (jsonl, 3);
      zstd[1] += zstd_size (jsonl, 19);
    }
  printf ("\ncompression of the same %u batches (%.1f MB of JSON Lines):\n", cuts->len, plain / 1e6);
  for (guint l = 0; l < 3; l++)
    printf ("  deflate level %d   %5.3f×  %6.1f MB/s CPU\n", levels[l], (double) zlib[l] / plain,
            plain / 1e6 / MAX (secs[l], 1e-6));
  if (zstd[0] > 0)
    printf ("  zstd -3           %5.3f×\n  zstd -19          %5.3f×\n",
            (double) zstd[0] / plain, (double) zstd[1] / plain);
  else
    printf ("  (no zstd program: no zstd column)\n");
}

int
main (int argc, char **argv)
{
  g_autofree char *vault_dir = NULL;
  g_autofree char *tmp = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  g_autoptr (GError) error = NULL;
  Parties p = { 0 };
  int clients = 1500, changes = 10000;
  GOptionEntry entries[] = {
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, "demo clients in a new vault", "N" },
    { "changes", 0, 0, G_OPTION_ARG_INT, &changes, "changes to batch (the first M)", "M" },
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &vault_dir, "a demo vault (name " NAME ")", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("- the batch envelope on demo data");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  g_assert_cmpint (sodium_init (), >=, 0);
  g_setenv ("KOERS_PASSPHRASE", PASSPHRASE, TRUE);
  g_setenv ("KOERS_KDF", "minimum", TRUE);
  if (vault_dir == NULL)
    {
      g_autofree char *n = g_strdup_printf ("%d", clients);
      const char *init[] = { "init", NULL }, *demo[] = { "demo", "--clients", n, "--seed", "1", NULL };

      tmp = g_dir_make_tmp ("koers-bench-sync-XXXXXX", &error);
      g_assert_no_error (error);
      vault_dir = g_strdup (tmp);
      bench_run_cli (vault_dir, NAME, init);
      bench_run_cli (vault_dir, NAME, demo);
    }
  lines = read_changes (vault_dir, (guint) changes);
  printf ("%u changes from a demo vault of %d clients\n\n", lines->len, clients);

  p.device = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  p.office = koers_sync_key_generate (KOERS_SYNC_KEY_SEAL);
  p.team = koers_sync_key_generate (KOERS_SYNC_KEY_SEAL);
  p.devices = koers_known_devices_new ();
  p.info.epoch = 1;
  randombytes_buf (p.info.device_id, 16);
  randombytes_buf (p.info.steunpunt_id, 16);
  koers_known_devices_add (p.devices, p.info.device_id, p.info.steunpunt_id, koers_sync_key_get_public (p.device));

  printf ("%-22s %6s %9s %9s %9s %8s %9s %9s\n", "batches of", "count", "JSON B/ch", "zlib B/ch",
          "wire B/ch", "wire/JSON", "seal ms", "open ms");
  measure ("1 change", lines, 1, &p);
  measure ("10 changes", lines, 10, &p);
  measure ("100 changes", lines, 100, &p);
  measure ("≤ 256 KiB compressed", lines, 0, &p);
  printf ("(wire = the sealed file for the office and the team key: header, padding, tags, signature;\n"
          " seal and open: CPU time per batch, one thread)\n");
  compare_compressors (lines);

  koers_sync_key_free (p.device);
  koers_sync_key_free (p.office);
  koers_sync_key_free (p.team);
  koers_known_devices_free (p.devices);
  if (tmp != NULL)
    {
      /* the vault folder holds files only */
      g_autoptr (GDir) dir = g_dir_open (tmp, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (tmp, name, NULL);
          g_remove (path);
        }
      if (g_rmdir (tmp) != 0)
        g_warning ("could not remove %s", tmp);
    }
  return 0;
}
