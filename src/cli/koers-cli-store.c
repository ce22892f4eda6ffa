/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli commands over the case model: import, export, search, show,
 * due, purge, audit (and demo, in koers-cli-demo.c). Only the store's API,
 * no SQL. Error messages never carry a client's data: they come from the
 * store's validation or name a file the user gave. */
#include "config.h"

#define G_LOG_DOMAIN "koers-cli"

#include "koers-cli.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

/* Opening and closing ---------------------------------------------------- */

int
koers_cli_open_store (KoersCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  int rc = koers_cli_unlock (ctx);

  if (rc != 0)
    return rc;
  ctx->store = koers_store_new (koers_vault_get_db (ctx->vault), &error);
  /* Changes are recorded for the worker named like the slot, if any. */
  if (ctx->store == NULL ||
      !koers_store_adopt_worker (ctx->store, koers_vault_get_unlocked_by (ctx->vault), NULL, &error))
    return koers_cli_fail (error);
  return 0;
}

void
koers_cli_close (KoersCliContext *ctx)
{
  g_clear_object (&ctx->store);
  if (ctx->vault != NULL)
    koers_vault_lock (ctx->vault);
}

int
koers_cli_store_exit_code (const GError *error)
{
  switch ((KoersStoreError) error->code)
    {
    case KOERS_STORE_ERROR_INVALID:
    case KOERS_STORE_ERROR_FORMAT:
    case KOERS_STORE_ERROR_APPEND_ONLY:
    case KOERS_STORE_ERROR_IN_USE: return EX_DATAERR;
    case KOERS_STORE_ERROR_NOT_FOUND: return EX_NOINPUT;
    case KOERS_STORE_ERROR_NO_CONSENT: return EX_NOPERM;
    case KOERS_STORE_ERROR_TOO_NEW: return EX_CONFIG;
    case KOERS_STORE_ERROR_FAILED: return EX_IOERR;
    default: return EX_SOFTWARE;
    }
}

int
koers_cli_parse_options (int                 *argc,
                         char              ***argv,
                         const GOptionEntry  *entries,
                         const char          *usage)
{
  g_autoptr(GOptionContext) options = g_option_context_new (usage);
  g_autoptr(GError) error = NULL;

  g_option_context_set_help_enabled (options, FALSE);
  if (entries != NULL)
    g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (options, argc, argv, &error))
    return koers_cli_usage_error ("%s", error->message);
  return 0;
}

/* Parses options, checks the number of arguments, opens the store. */
static int
begin_command (KoersCliContext     *ctx,
               int                 *argc,
               char              ***argv,
               const GOptionEntry  *entries,
               int                  min_args,
               int                  max_args,
               const char          *usage)
{
  int rc = koers_cli_parse_options (argc, argv, entries, usage);

  if (rc != 0)
    return rc;
  if (*argc - 1 < min_args || *argc - 1 > max_args)
    return koers_cli_usage_error (_("Usage: koers-cli %s %s"), (*argv)[0], usage);
  return koers_cli_open_store (ctx);
}

/* One line of a table: tabs and newlines in free text become spaces. */
static char *
one_line (const char *text)
{
  char *line = g_strdup (text ? text : "-");

  return g_strdelimit (line, "\t\r\n", ' ');
}

/* import / export --------------------------------------------------------- */

static int
cmd_import (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  int rc = begin_command (ctx, &argc, &argv, NULL, 1, 1, _("FILE"));

  if (rc != 0)
    return rc;
  file = g_file_new_for_commandline_arg (argv[1]);
  if ((in = g_file_read (file, NULL, &error)) == NULL ||
      !koers_store_import_jsonl (ctx->store, G_INPUT_STREAM (in), NULL, &error))
    return koers_cli_fail (error);
  g_print (_("Imported %s\n"), argv[1]);
  return EX_OK;
}

static int
cmd_export (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileOutputStream) out = NULL;
  int rc = begin_command (ctx, &argc, &argv, NULL, 1, 1, _("FILE"));

  if (rc != 0)
    return rc;
  file = g_file_new_for_commandline_arg (argv[1]);
  /* Only the user may read it: it holds every file in clear. */
  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                        NULL, &error);
  if (out == NULL ||
      !koers_store_export_jsonl (ctx->store, G_OUTPUT_STREAM (out), NULL, &error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error))
    return koers_cli_fail (error);
  g_print (_("Exported to %s (not encrypted: keep it safe and delete it when done)\n"), argv[1]);
  return EX_OK;
}

/* search / show ------------------------------------------------------------ */

static int
cmd_search (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autofree char *typed = NULL;
  gboolean notes = FALSE;
  int limit = 20;
  const GOptionEntry entries[] = {
    { "notes", 0, 0, G_OPTION_ARG_NONE, &notes, N_("Search conversation notes too"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Show at most N clients (20; 0: all)"), N_("N") },
    { NULL },
  };
  int rc = begin_command (ctx, &argc, &argv, entries, 1, G_MAXINT, _("[--notes] [--limit N] TEXT…"));

  if (rc != 0)
    return rc;
  if (limit < 0)
    return koers_cli_usage_error ("%s", _("--limit needs a number, zero or more"));
  typed = g_strjoinv (" ", argv + 1);
  hits = koers_store_search (ctx->store, typed, notes ? KOERS_SEARCH_ALL : KOERS_SEARCH_NAMES,
                             (guint) limit, &error);
  if (hits == NULL)
    return koers_cli_fail (error);
  for (guint i = 0; i < hits->len; i++)
    {
      const KoersSearchHit *hit = hits->pdata[i];
      g_autofree char *name = one_line (hit->name);

      g_print ("%s\t%s\t%.3f\n", hit->client_id, name, hit->rank);
    }
  return EX_OK;
}

static int
cmd_show (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("The file as JSON"), NULL },
    { NULL },
  };
  int rc = begin_command (ctx, &argc, &argv, entries, 1, 1, _("[--json] CLIENT-ID"));

  if (rc != 0)
    return rc;
  text = json ? koers_store_export_client_json (ctx->store, argv[1], &error)
              : koers_store_export_client_text (ctx->store, argv[1], &error);
  if (text == NULL)
    return koers_cli_fail (error);
  g_print ("%s%s", text, g_str_has_suffix (text, "\n") ? "" : "\n");
  return EX_OK;
}

/* due ---------------------------------------------------------------------- */

static gboolean
parse_date (const char *text, GDate *date)
{
  int y, m, d;
  char end;

  g_date_clear (date, 1);
  if (text == NULL || strlen (text) != 10 || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 ||
      !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static char *
format_date (const GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

/* Fills in a missing end of the range with this week (Monday to Sunday). */
static void
default_week (KoersStore *store, char **from, char **to)
{
  g_autofree char *today = koers_store_today (store);
  GDate monday;

  parse_date (today, &monday);
  g_date_subtract_days (&monday, g_date_get_weekday (&monday) - G_DATE_MONDAY);
  if (*from == NULL)
    *from = format_date (&monday);
  if (*to == NULL)
    {
      g_date_add_days (&monday, 6);
      *to = format_date (&monday);
    }
}

static const char *
due_kind_label (KoersEntity kind)
{
  switch (kind)
    {
    case KOERS_ENTITY_NEXT_STEP: return _("next step");
    case KOERS_ENTITY_RETURN_STEP: return _("return step");
    case KOERS_ENTITY_CHECKIN: return _("check-in");
    default: return koers_entity_name (kind);
    }
}

static void
print_due_item (KoersStore *store, const KoersDueItem *item)
{
  g_autoptr(KoersClient) client = koers_store_get_client (store, item->client_id, NULL);
  g_autofree char *name = one_line (client ? client->name : NULL);
  g_autofree char *what = one_line (item->description);

  g_print ("%s\t%s\t%s\t%s\t%s\n", item->due_on, due_kind_label (item->kind), item->client_id,
           name, what);
}

static int
cmd_due (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *from = NULL, *to = NULL;
  GDate check;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("First day (YYYY-MM-DD; default: this Monday)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Last day (YYYY-MM-DD; default: this Sunday)"), N_("DATE") },
    { NULL },
  };
  int rc = begin_command (ctx, &argc, &argv, entries, 0, 0, _("[--from DATE] [--to DATE]"));

  if (rc != 0)
    return rc;
  if ((from && !parse_date (from, &check)) || (to && !parse_date (to, &check)))
    return koers_cli_usage_error ("%s", _("Give dates as YYYY-MM-DD, e.g. 2024-03-31"));
  default_week (ctx->store, &from, &to);
  if ((items = koers_store_list_due (ctx->store, from, to, &error)) == NULL)
    return koers_cli_fail (error);
  for (guint i = 0; i < items->len; i++)
    print_due_item (ctx->store, items->pdata[i]);
  return EX_OK;
}

/* purge -------------------------------------------------------------------- */

static void
print_expired (KoersStore *store, const char *const *ids)
{
  for (guint i = 0; ids[i]; i++)
    {
      g_autoptr(KoersClient) client = koers_store_get_client (store, ids[i], NULL);
      g_autofree char *name = one_line (client ? client->name : NULL);

      g_print ("%s\t%s\t%s\n", ids[i], client && client->closed_on ? client->closed_on : "-", name);
    }
}

static int
cmd_purge (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  gboolean yes = FALSE;
  int days = KOERS_RETENTION_DEFAULT_DAYS;
  const GOptionEntry entries[] = {
    { "older-than", 0, 0, G_OPTION_ARG_INT, &days, N_("Files closed at least DAYS ago (730)"), N_("DAYS") },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes, N_("Really delete them, for good"), NULL },
    { NULL },
  };
  int rc = begin_command (ctx, &argc, &argv, entries, 0, 0, _("[--older-than DAYS] [--yes]"));

  if (rc != 0)
    return rc;
  if (days < 0)
    return koers_cli_usage_error ("%s", _("--older-than needs a number of days, zero or more"));
  if ((ids = koers_store_list_expired (ctx->store, (guint) days, &error)) == NULL)
    return koers_cli_fail (error);
  print_expired (ctx->store, (const char *const *) ids);
  if (!yes)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u closed file can be purged; run again with --yes to delete it.\n",
                            "%u closed files can be purged; run again with --yes to delete them.\n",
                            g_strv_length (ids)), g_strv_length (ids));
      return EX_OK;
    }
  if (ids[0] != NULL && !koers_store_purge (ctx->store, (const char *const *) ids, &error))
    return koers_cli_fail (error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "Purged %u file.\n", "Purged %u files.\n",
                        g_strv_length (ids)), g_strv_length (ids));
  return EX_OK;
}

/* audit -------------------------------------------------------------------- */

/* A worker's name by id, looked up once. */
static const char *
worker_name (KoersStore *store, GHashTable *names, const char *id)
{
  KoersWorker *worker;

  if (id == NULL)
    return "-";
  if (!g_hash_table_contains (names, id))
    {
      worker = koers_store_get_worker (store, id, NULL);
      g_hash_table_insert (names, g_strdup (id), worker ? one_line (worker->name) : g_strdup (id));
      g_clear_pointer (&worker, koers_worker_free);
    }
  return g_hash_table_lookup (names, id);
}

static void
print_audit_entry (KoersStore *store, GHashTable *names, const KoersAuditEntry *entry)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (entry->at_ms / 1000);
  g_autofree char *when = g_date_time_format (at, "%Y-%m-%d %H:%M:%S");
  g_autofree char *which = NULL;

  /* Which file; for the whole store (export, import), how many. */
  if (entry->client_id != NULL)
    which = g_strdup (entry->client_id);
  else if (g_strcmp0 (entry->entity, "store") == 0)
    which = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file", "%u files",
                                          (gulong) entry->files),
                             (guint) entry->files);
  else
    which = g_strdup ("-");
  g_print ("%s\t%s\t%s\t%s\t%s\n", when, worker_name (store, names, entry->worker_id),
           entry->action, entry->entity ? entry->entity : "-", which);
}

static int
cmd_audit (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GHashTable) names = NULL;
  int rc = begin_command (ctx, &argc, &argv, NULL, 0, 1, _("[CLIENT-ID]"));

  if (rc != 0)
    return rc;
  if ((entries = koers_store_list_audit (ctx->store, argc > 1 ? argv[1] : NULL, &error)) == NULL)
    return koers_cli_fail (error);
  names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < entries->len; i++)
    print_audit_entry (ctx->store, names, entries->pdata[i]);
  return EX_OK;
}

const KoersCliCommand koers_cli_store_commands[] = {
  { "import", "FILE", N_("add every record of a JSON Lines file"), cmd_import },
  { "export", "FILE", N_("write the whole store as JSON Lines (not encrypted)"), cmd_export },
  { "search", "[--notes] TEXT", N_("find clients by name (and notes)"), cmd_search },
  { "show", "[--json] CLIENT-ID", N_("a client’s whole file (subject access)"), cmd_show },
  { "due", "[--from D] [--to D]", N_("steps and check-ins due (default: this week)"), cmd_due },
  { "purge", "[--older-than DAYS] [--yes]", N_("list closed files past retention; delete with --yes"), cmd_purge },
  { "audit", "[CLIENT-ID]", N_("who opened, changed or exported which file"), cmd_audit },
  { "demo", "--clients N [--seed S]", N_("fill the vault with fictional clients"), koers_cli_demo },
  { NULL },
};
