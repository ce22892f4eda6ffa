/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli-sync.c: `koers-cli enroll FILE`, `koers-cli sync [--status]`
 * (docs/cli.md, "Sync"). */
#include "config.h"

#define G_LOG_DOMAIN "koers-cli"

#include "koers-cli.h"

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "koers-enrollment.h"
#include "koers-read-note.h"
#include "koers-sync-round.h"

static int
cmd_enroll (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *public_key = NULL;
  int rc;

  if (argc != 2)
    return koers_cli_usage_error (_("enroll needs the enrollment file the office gave you"));
  file = g_file_new_for_commandline_arg (argv[1]);
  bytes = g_file_load_bytes (file, NULL, NULL, &error);
  if (bytes == NULL)
    return koers_cli_fail (error);
  if ((rc = koers_cli_open_store (ctx)) != 0)
    return rc;
  if (!koers_sync_enroll (ctx->store, bytes, &device_id, &public_key, &error))
    return koers_cli_fail (error);
  g_print (_("Enrolled. Give the office these two lines to register this laptop:\n"));
  g_print ("device-id: %s\n", device_id);
  g_print ("device-key: %s\n", public_key);
  return EX_OK;
}

/* The sysexits code of a round's failure: 75 for "try again later". */
static int
round_exit_code (const GError *error)
{
  if (error->domain == KOERS_DAV_ERROR)
    {
      if (koers_dav_error_is_retryable (error))
        return EX_TEMPFAIL;
      switch ((KoersDavError) error->code)
        {
        case KOERS_DAV_ERROR_UNAUTHORIZED:
        case KOERS_DAV_ERROR_FORBIDDEN: return EX_NOPERM;
        case KOERS_DAV_ERROR_CERTIFICATE:
        case KOERS_DAV_ERROR_PIN_MISMATCH:
        case KOERS_DAV_ERROR_INSECURE:
        case KOERS_DAV_ERROR_PROTOCOL:
        case KOERS_DAV_ERROR_RESPONSE_TOO_LARGE: return EX_PROTOCOL;
        case KOERS_DAV_ERROR_STORAGE_FULL:
        case KOERS_DAV_ERROR_NOT_FOUND:
        case KOERS_DAV_ERROR_NOT_ALLOWED: return EX_UNAVAILABLE;
        default: return EX_SOFTWARE;
        }
    }
  if (error->domain == KOERS_SYNC_ERROR)
    return EX_CONFIG;
  return -1;
}

static char *
format_time (gint64 ms)
{
  g_autoptr(GDateTime) time = NULL;

  if (ms <= 0)
    return g_strdup (_("never"));
  time = g_date_time_new_from_unix_local (ms / 1000);
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

/* "label: value": gint64's format cannot be in a translated string. */
static void
print_count (const char *label, gint64 value)
{
  g_print ("%s: %" G_GINT64_FORMAT "\n", label, value);
}

/* Team sync: how far this laptop has read each colleague's batches, and
 * the conflicts the merge left for a person. */
static int
print_team_status (KoersCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) peers = koers_store_peer_list (ctx->store, &error);
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) refused = NULL;

  if (peers != NULL)
    conflicts = koers_store_list_conflicts (ctx->store, NULL, &error);
  if (conflicts != NULL)
    refused = koers_store_peer_list_quarantine (ctx->store, &error);
  if (refused == NULL)
    return koers_cli_fail (error);
  for (guint i = 0; i < peers->len; i++)
    {
      KoersPeerState *peer = g_ptr_array_index (peers, i);
      g_autofree char *when = format_time (peer->last_read_ms);
      g_autofree char *upto = g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                                               peer->epoch, peer->last_seq);
      g_autofree char *batches = g_strdup_printf ("%" G_GINT64_FORMAT, peer->batches);

      if (g_str_equal (peer->device_id, KOERS_SYNC_OFFICE_UUID))
        g_print (_("Read from the office: up to change %s (epoch/change), %s batches, last %s, %u refused\n"),
                 upto, batches, when, peer->quarantined);
      else
        g_print (_("Read from laptop %s: up to change %s (epoch/change), %s batches, last %s, %u refused\n"),
                 peer->device_id, upto, batches, when, peer->quarantined);
    }
  for (guint i = 0; i < refused->len; i++)
    {
      KoersPeerQuarantined *entry = g_ptr_array_index (refused, i);

      g_print (_("Refused from laptop %s: %s: %s (%s)\n"), entry->device_id, entry->name,
               entry->reason, entry->reason_code);
    }
  g_print (_("Open conflicts: %u\n"), conflicts->len);
  return EX_OK;
}

static int
print_status (KoersCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_auto(KoersSyncCounts) counts = { 0 };
  g_autoptr(GPtrArray) held = NULL;
  g_autofree char *success = NULL;

  if (!koers_store_sync_get_counts (ctx->store, &counts, &error))
    return koers_cli_fail (error);
  held = koers_store_sync_list_batches (ctx->store, KOERS_BATCH_QUARANTINED, &error);
  if (held == NULL)
    return koers_cli_fail (error);
  success = format_time (counts.last_success_ms);
  g_print (_("Enrolled: %s\n"), koers_sync_is_enrolled (ctx->store) ? _("yes") : _("no"));
  g_print (_("Batches to upload: %u\n"), counts.sealed_batches);
  g_print (_("Batches uploaded, not acknowledged: %u\n"), counts.uploaded_batches);
  g_print (_("Batches held back: %u\n"), counts.quarantined_batches);
  print_count (_("Changes not in a batch yet"), counts.unsealed_changes);
  print_count (_("Changes not acknowledged by the office"), counts.unacknowledged_changes);
  g_print (_("Last success: %s\n"), success);
  g_print (_("Last error: %s\n"), counts.last_error ? counts.last_error : _("none"));
  for (guint i = 0; i < held->len; i++)
    {
      KoersOutboxBatch *batch = g_ptr_array_index (held, i);

      g_autofree char *range = g_strdup_printf ("%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT,
                                                batch->first_seq, batch->last_seq);

      g_print (_("Held back: changes %s: %s\n"), range, batch->reason ? batch->reason : "");
    }
  return print_team_status (ctx);
}

static int
run_round (KoersCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  KoersSyncRoundResult result;
  int rc;

  if (!koers_sync_run_round (ctx->store, NULL, NULL, NULL, &result, NULL, &error))
    {
      rc = round_exit_code (error);
      return rc < 0 ? koers_cli_fail (error) : (koers_cli_usage_error ("%s", error->message), rc);
    }
  g_print (_("Uploaded %u batches; the office acknowledged %u.\n"), result.n_uploaded, result.n_acknowledged);
  g_print (_("Read %u batches of other laptops (%u new changes); %u wait for an earlier one.\n"),
           result.n_read, result.n_read_changes, result.n_held);
  if (result.team_waiting)
    g_print (_("The office has not yet listed this laptop for its steunpunt: other laptops' work comes once it has.\n"));
  if (result.n_peer_quarantined > 0)
    koers_cli_usage_error (g_dngettext (GETTEXT_PACKAGE, "%u batch of another laptop was refused: see koers-cli sync --status",
                                        "%u batches of other laptops were refused: see koers-cli sync --status",
                                        result.n_peer_quarantined), result.n_peer_quarantined);
  if (result.n_quarantined > 0)
    {
      koers_cli_usage_error (g_dngettext (GETTEXT_PACKAGE, "%u batch is held back: see koers-cli sync --status",
                                          "%u batches are held back: see koers-cli sync --status",
                                          result.n_quarantined), result.n_quarantined);
      return EX_DATAERR;
    }
  return EX_OK;
}

static int
cmd_sync (KoersCliContext *ctx, int argc, char **argv)
{
  gboolean status = FALSE;
  const GOptionEntry entries[] = {
    { "status", 0, 0, G_OPTION_ARG_NONE, &status, N_("show the outbox instead of syncing"), NULL },
    { NULL },
  };
  int rc = koers_cli_parse_options (&argc, &argv, entries, "[--status]");

  if (rc != 0)
    return rc;
  if (argc != 1)
    return koers_cli_usage_error (_("Usage: koers-cli sync [--status]"));
  if ((rc = koers_cli_open_store (ctx)) != 0)
    return rc;
  return status ? print_status (ctx) : run_round (ctx);
}

const KoersCliCommand koers_cli_sync_commands[] = {
  { "enroll", "FILE", N_("import the office's enrollment file; prints this laptop's id and key"), cmd_enroll },
  { "sync", "[--status]", N_("send every change to the office once (or show the outbox)"), cmd_sync },
  { NULL },
};
