/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-cli.c: the commands of `koers-office` over KoersOffice.
 * Vault: --vault DIR, else $KOERS_OFFICE_VAULT, else
 * ~/.local/share/koers/office. Passphrase as koers-cli: KOERS_PASSPHRASE,
 * --passphrase-file, or a prompt without echo. */
#include "config.h"

#define G_LOG_DOMAIN "koers-office"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "koers-envelope.h"
#include "koers-office-cli.h"
#include "koers-office-export.h"
#include "koers-office-report.h"
#include "koers-office.h"
#include "koers-vault.h"

#define DROP_URL_KEY      "office.drop.url"
#define DROP_USER_KEY     "office.drop.user"
#define DROP_PASSWORD_KEY "office.drop.password"
#define DROP_CA_KEY       "office.drop.ca"
#define DROP_PIN_KEY      "office.drop.pin"
#define SECRET_KEY        "office.pseudonym.secret"

typedef struct
{
  char        *vault_dir;
  char        *name;
  char        *passphrase_file;
  /* command options */
  char        *steunpunt;
  char        *device_name;
  char        *drop_url;
  char        *user;
  char        *password_file;
  char        *ca_file;
  char        *pin;
  char        *out;
  gint         older_than;
  gint         grace_days;
  char        *period;
  char        *format;
  char        *lang;
  char        *explain;
  gboolean     pseudonymised;
  gboolean     with_names;
  char        *take;
  gboolean     keep;
  gboolean     keep_team_key;
  KoersVault  *vault;
  KoersStore  *store;
  KoersOffice *office;
} Cli;

static int
fail (const GError *error)
{
  g_printerr ("koers-office: %s\n", error->message);
  if (error->domain == KOERS_VAULT_ERROR && error->code == KOERS_VAULT_ERROR_WRONG_PASSPHRASE)
    return EX_NOPERM;
  if (error->domain == KOERS_OFFICE_ERROR)
    return error->code == KOERS_OFFICE_ERROR_NOT_FOUND ? EX_NOINPUT : EX_DATAERR;
  if (error->domain == KOERS_DAV_ERROR || error->domain == G_IO_ERROR)
    return EX_TEMPFAIL;
  return EX_DATAERR;
}

static int
usage (const char *message)
{
  g_printerr ("koers-office: %s\n", message);
  return EX_USAGE;
}

static char *
read_secret_line (FILE *in)
{
  char buf[1024];
  char *line = NULL;

  if (fgets (buf, sizeof buf, in) != NULL)
    line = g_strndup (buf, strcspn (buf, "\r\n"));
  explicit_bzero (buf, sizeof buf);
  return line;
}

static char *
read_secret_file (const char *path,
                  GError    **error)
{
  FILE *f = fopen (path, "r");
  char *secret = f ? read_secret_line (f) : NULL;

  if (f != NULL)
    fclose (f);
  if (secret == NULL)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, _("Could not read a secret from %s"), path);
  return secret;
}

static char *
read_passphrase (Cli        *cli,
                 const char *prompt,
                 GError    **error)
{
  FILE *tty;
  struct termios old, quiet;
  char *secret;

  if (cli->passphrase_file != NULL)
    return read_secret_file (cli->passphrase_file, error);
  if (g_getenv ("KOERS_PASSPHRASE") != NULL)
    return g_strdup (g_getenv ("KOERS_PASSPHRASE"));
  tty = fopen ("/dev/tty", "r+");
  if (tty == NULL)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("No passphrase: set KOERS_PASSPHRASE, use --passphrase-file, or run in a terminal"));
      return NULL;
    }
  fprintf (tty, "%s", prompt);
  fflush (tty);
  tcgetattr (fileno (tty), &old);
  quiet = old;
  quiet.c_lflag &= ~(tcflag_t) ECHO;
  tcsetattr (fileno (tty), TCSAFLUSH, &quiet);
  secret = read_secret_line (tty);
  tcsetattr (fileno (tty), TCSAFLUSH, &old);
  fprintf (tty, "\n");
  fclose (tty);
  return secret;
}

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

static int
open_office (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  char *passphrase;
  gboolean ok;

  cli->vault = koers_vault_open (cli->vault_dir, &error);
  if (cli->vault == NULL)
    return fail (error);
  passphrase = read_passphrase (cli, _("Passphrase: "), &error);
  if (passphrase == NULL)
    return fail (error);
  ok = koers_vault_unlock (cli->vault, cli->name ? cli->name : "office", passphrase, &error);
  wipe_free (passphrase);
  if (!ok)
    return fail (error);
  cli->store = koers_store_new (koers_vault_get_db (cli->vault), &error);
  if (cli->store == NULL)
    return fail (error);
  cli->office = koers_office_new (cli->store, &error);
  return cli->office == NULL ? fail (error) : 0;
}

static void
print_fingerprints (Cli *cli)
{
  for (int kind = KOERS_SYNC_KEY_SIGN; kind <= KOERS_SYNC_KEY_SEAL; kind++)
    {
      g_autoptr(KoersSyncKey) key = koers_office_get_key (cli->office, kind, NULL);
      g_autofree char *print = key ? koers_sync_key_fingerprint (key) : NULL;

      if (print != NULL)
        g_print (kind == KOERS_SYNC_KEY_SIGN ? _("Signing key:  %s\n") : _("Sealing key:  %s\n"),
                 print);
    }
}

static int
cmd_init (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  KoersKdfParams kdf = g_strcmp0 (g_getenv ("KOERS_KDF"), "minimum") == 0
                       ? koers_kdf_params_minimum () : koers_kdf_params_default ();
  char *passphrase = read_passphrase (cli, _("New passphrase: "), &error);
  char *recovery = NULL;

  if (passphrase == NULL)
    return fail (error);
  cli->vault = koers_vault_create (cli->vault_dir, cli->name ? cli->name : "office",
                                   passphrase, &kdf, &recovery, &error);
  wipe_free (passphrase);
  if (cli->vault == NULL)
    return fail (error);
  cli->store = koers_store_new (koers_vault_get_db (cli->vault), &error);
  cli->office = cli->store ? koers_office_new (cli->store, &error) : NULL;
  if (cli->office == NULL || !koers_office_init_keys (cli->office, &error))
    {
      koers_vault_free_secret (recovery);
      return fail (error);
    }
  g_print (_("Office vault created in %s\n"), cli->vault_dir);
  print_fingerprints (cli);
  g_print (_("Recovery key (shown once; print it and keep it locked away):\n%s\n"), recovery);
  koers_vault_free_secret (recovery);
  return EX_OK;
}

static void publish_devices (Cli *cli);

/* A new team key generation for @steunpunt, then the device list that
 * hands it to the active devices. */
static int
rotate_key (Cli        *cli,
            const char *steunpunt)
{
  g_autoptr(GError) error = NULL;
  guint32 generation;

  if (!koers_office_rotate_team_key (cli->office, steunpunt, &generation, &error))
    return fail (error);
  g_print (_("New team key (generation %u): a revoked laptop cannot read what is made from now on;"
             " the other laptops receive the key with the device list\n"), generation);
  publish_devices (cli);
  return EX_OK;
}

static int
cmd_steunpunt (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  if (argc == 3 && strcmp (argv[1], "rotate-key") == 0)
    return rotate_key (cli, argv[2]);
  if (argc != 3 || strcmp (argv[1], "add") != 0)
    return usage (_("Use: koers-office steunpunt add NAME | steunpunt rotate-key NAME"));
  id = koers_office_add_steunpunt (cli->office, argv[2], &error);
  if (id == NULL)
    return fail (error);
  g_print ("%s\n", id);
  return EX_OK;
}

static GBytes *
read_optional_file (const char *path,
                    GError    **error)
{
  char *data = NULL;
  gsize len = 0;

  if (path == NULL)
    return g_bytes_new (NULL, 0);
  if (!g_file_get_contents (path, &data, &len, error))
    return NULL;
  return g_bytes_new_take (data, len);
}

static int
cmd_enroll (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ca = NULL;
  g_autoptr(GBytes) file = NULL;
  char *password = NULL;
  KoersOfficeEnrollRequest request = { 0 };

  if (!cli->steunpunt || !cli->device_name || !cli->drop_url || !cli->user
      || !cli->password_file || !cli->out)
    return usage (_("Use: koers-office enroll --steunpunt X --device-name N --drop URL --user U"
                    " --password-file F [--ca FILE] [--pin sha256//…] --out FILE"));
  ca = read_optional_file (cli->ca_file, &error);
  password = ca ? read_secret_file (cli->password_file, &error) : NULL;
  if (password == NULL)
    return fail (error);
  request.steunpunt = cli->steunpunt;
  request.device_name = cli->device_name;
  request.drop_url = cli->drop_url;
  request.drop_user = cli->user;
  request.drop_password = password;
  request.ca_pem = cli->ca_file ? ca : NULL;
  request.pin = cli->pin;
  file = koers_office_enroll (cli->office, &request, &error);
  wipe_free (password);
  if (file == NULL
      || !g_file_set_contents_full (cli->out, g_bytes_get_data (file, NULL),
                                    (gssize) g_bytes_get_size (file),
                                    G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    return fail (error);
  g_print (_("Enrollment file written to %s: hand it over like a password\n"), cli->out);
  return EX_OK;
}

static void
print_devices (GPtrArray *devices)
{
  for (guint i = 0; i < devices->len; i++)
    {
      KoersOfficeDevice *d = devices->pdata[i];
      g_autoptr(GDateTime) seen = d->last_seen_ms
        ? g_date_time_new_from_unix_local (d->last_seen_ms / 1000) : NULL;
      g_autofree char *when = seen ? g_date_time_format (seen, "%Y-%m-%d %H:%M") : g_strdup ("-");

      g_print ("%s\t%s\t%s%s\t%s\t%s\t%" G_GINT64_FORMAT "\n", d->id, d->steunpunt_name, d->name,
               d->revoked ? _(" (revoked)") : "", d->last_batch ? d->last_batch : "-", when,
               d->pending);
    }
}

static KoersDavClient *open_drop (Cli *cli, GError **error);

/* After a change of the devices: the laptops learn it from the device
 * list on the drop. Not fatal: the next pull publishes it too. */
static void
publish_devices (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDavClient) drop = open_drop (cli, &error);

  if (drop == NULL
      || !koers_office_publish_devices (cli->office, drop, NULL, NULL, &error))
    g_printerr (_("The device list is not on the drop yet (%s); the next pull publishes it.\n"),
                error->message);
}

/* The steunpunt (id) of the device @device_id. */
static char *
device_steunpunt (Cli        *cli,
                  const char *device_id,
                  GError    **error)
{
  g_autoptr(GPtrArray) devices = koers_office_list_devices (cli->office, error);

  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      KoersOfficeDevice *d = devices->pdata[i];

      if (g_strcmp0 (d->id, device_id) == 0)
        return g_strdup (d->steunpunt_id);
    }
  if (devices != NULL)
    g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_NOT_FOUND,
                 _("There is no device %s (see “koers-office devices”)"), device_id);
  return NULL;
}

/* A revoked laptop is mostly a lost one: unless --keep-team-key, its
 * steunpunt's team key is replaced at once (docs/office.md). */
static gboolean
revoke_device (Cli        *cli,
               const char *device_id,
               GError    **error)
{
  g_autofree char *steunpunt = NULL;
  guint32 generation;

  if (!koers_office_revoke_device (cli->office, device_id, error))
    return FALSE;
  g_print (_("Device %s revoked: what it sends from now on is quarantined\n"), device_id);
  if (cli->keep_team_key)
    return TRUE;
  steunpunt = device_steunpunt (cli, device_id, error);
  if (steunpunt == NULL
      || !koers_office_rotate_team_key (cli->office, steunpunt, &generation, error))
    return FALSE;
  g_print (_("New team key (generation %u): the revoked laptop cannot read what is made from now on\n"),
           generation);
  return TRUE;
}

static int
cmd_devices (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  gboolean ok;

  if (argc == 1 || (argc == 2 && strcmp (argv[1], "list") == 0))
    {
      devices = koers_office_list_devices (cli->office, &error);
      if (devices == NULL)
        return fail (error);
      print_devices (devices);
      return EX_OK;
    }
  if (argc >= 5 && argc <= 6 && strcmp (argv[1], "register") == 0)
    ok = koers_office_register_device (cli->office, argv[2], argv[3], argv[4],
                                       argc == 6 ? argv[5] : cli->device_name, &error);
  else if (argc == 4 && strcmp (argv[1], "rename") == 0)
    ok = koers_office_rename_device (cli->office, argv[2], argv[3], &error);
  else if (argc == 3 && strcmp (argv[1], "revoke") == 0)
    ok = revoke_device (cli, argv[2], &error);
  else
    return usage (_("Use: koers-office devices [list | register STEUNPUNT DEVICE-ID PUBLIC-KEY [NAME]"
                    " | rename DEVICE-ID NAME | revoke DEVICE-ID [--keep-team-key]]"));
  if (!ok)
    return fail (error);
  if (strcmp (argv[1], "rename") != 0)
    publish_devices (cli);
  return EX_OK;
}

static GBytes *
setting (Cli *cli, const char *key)
{
  return koers_store_sync_get_setting (cli->store, key, NULL);
}

static char *
setting_text (Cli *cli, const char *key)
{
  g_autoptr(GBytes) value = setting (cli, key);

  return value ? g_strndup (g_bytes_get_data (value, NULL), g_bytes_get_size (value)) : NULL;
}

static gboolean
set_text (Cli *cli, const char *key, const char *text, GError **error)
{
  g_autoptr(GBytes) value = text ? g_bytes_new (text, strlen (text)) : NULL;

  return koers_store_sync_set_setting (cli->store, key, value, error);
}

static KoersDavClient *
open_drop (Cli *cli, GError **error)
{
  g_autofree char *url = setting_text (cli, DROP_URL_KEY);
  g_autofree char *user = setting_text (cli, DROP_USER_KEY);
  g_autofree char *pin = setting_text (cli, DROP_PIN_KEY);
  g_autoptr(GBytes) ca = setting (cli, DROP_CA_KEY);
  char *password = setting_text (cli, DROP_PASSWORD_KEY);
  KoersDavClient *client;

  if (url == NULL || user == NULL || password == NULL)
    {
      wipe_free (password);
      g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_NOT_INITIALISED,
                   _("No drop set: run “koers-office drop set URL --user U --password-file F”"));
      return NULL;
    }
  client = koers_dav_client_new (url, user, password, ca, pin, error);
  wipe_free (password);
  return client;
}

static int
cmd_drop_set (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) ca = read_optional_file (cli->ca_file, &error);
  char *password = NULL;
  gboolean ok;

  if (argc != 3 || cli->user == NULL || cli->password_file == NULL)
    return usage (_("Use: koers-office drop set URL --user U --password-file F [--ca FILE] [--pin P]"));
  password = ca ? read_secret_file (cli->password_file, &error) : NULL;
  if (password == NULL)
    return fail (error);
  ok = set_text (cli, DROP_URL_KEY, argv[2], &error)
       && set_text (cli, DROP_USER_KEY, cli->user, &error)
       && set_text (cli, DROP_PASSWORD_KEY, password, &error)
       && set_text (cli, DROP_PIN_KEY, cli->pin, &error)
       && koers_store_sync_set_setting (cli->store, DROP_CA_KEY,
                                        cli->ca_file ? ca : NULL, &error);
  wipe_free (password);
  return ok ? EX_OK : fail (error);
}

/* Who must still read what before drop clean may delete it. */
static int
print_drop_waiting (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waits = koers_office_drop_waiting (cli->office, &error);

  if (waits == NULL)
    return fail (error);
  for (guint i = 0; i < waits->len; i++)
    {
      KoersOfficeDropWait *w = waits->pdata[i];

      if (w->writer_name != NULL)
        g_print (_("%s\t%s has not read %u batches of %s\n"), w->steunpunt_id, w->reader_name,
                 w->batches, w->writer_name);
      else
        g_print (_("%s\t%s has not read %u batches of the office\n"), w->steunpunt_id,
                 w->reader_name, w->batches);
    }
  return EX_OK;
}

static int
print_drop_status (Cli            *cli,
                   KoersDavClient *drop)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = koers_office_drop_status (cli->office, drop, NULL, &error);

  if (list == NULL)
    return fail (error);
  for (guint i = 0; i < list->len; i++)
    {
      KoersOfficeDropUsage *u = list->pdata[i];
      g_autofree char *size = g_format_size (u->bytes);

      g_print (_("%s\t%s\t%u batches, %u waiting\n"), u->steunpunt_id, size, u->batches, u->waiting);
    }
  return print_drop_waiting (cli);
}

static int
cmd_drop (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDavClient) drop = NULL;
  guint deleted = 0;

  if (argc >= 2 && strcmp (argv[1], "set") == 0)
    return cmd_drop_set (cli, argc, argv);
  if (argc != 2 || (strcmp (argv[1], "clean") != 0 && strcmp (argv[1], "status") != 0))
    return usage (_("Use: koers-office drop set URL … | drop status | drop clean [--grace-days N]"));
  drop = open_drop (cli, &error);
  if (drop != NULL && strcmp (argv[1], "status") == 0)
    return print_drop_status (cli, drop);
  if (drop == NULL
      || !koers_office_clean_drop (cli->office, drop, (guint) MAX (cli->grace_days, 0),
                                   &deleted, NULL, &error))
    return fail (error);
  g_print (_("%u acknowledged batches deleted from the drop\n"), deleted);
  return EX_OK;
}

static void
show_progress (guint done, guint total, gpointer user_data)
{
  int width = 40;
  int filled = total ? (int) ((guint64) done * width / total) : width;

  g_printerr ("\r[%.*s%*s] %u/%u", filled, "########################################",
              width - filled, "", done, total);
  if (done == total)
    g_printerr ("\n");
}

static int
cmd_pull (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDavClient) drop = open_drop (cli, &error);
  KoersOfficePullResult r;

  if (drop == NULL)
    return fail (error);
  if (!koers_office_pull (cli->office, drop, isatty (STDERR_FILENO) ? show_progress : NULL, NULL,
                          &r, NULL, &error))
    return fail (error);
  g_print (_("imported %u batches (%u changes), %u already there, %u held back,"
             " %u quarantined, %u acknowledgements written\n"),
           r.imported, r.changes, r.skipped, r.held, r.quarantined, r.acks);
  return EX_OK;
}

/* The registered device @id (NULL: not registered). */
static KoersOfficeDevice *
find_device (GPtrArray  *devices,
             const char *id)
{
  for (guint i = 0; i < devices->len; i++)
    if (g_strcmp0 (((KoersOfficeDevice *) devices->pdata[i])->id, id) == 0)
      return g_ptr_array_steal_index (devices, i);
  return NULL;
}

static char *
describe_range (const char *name)
{
  guint32 epoch;
  guint64 first, last;

  if (!koers_envelope_parse_file_name (name, &epoch, &first, &last))
    return g_strdup (_("unknown: the file's name is not a batch name"));
  return g_strdup_printf (_("changes %llu–%llu of epoch %u (%llu changes)"),
                          (unsigned long long) first, (unsigned long long) last, epoch,
                          (unsigned long long) (last - first + 1));
}

/* `quarantine show ID`: everything a person needs to decide. */
static int
show_quarantined (Cli                    *cli,
                  const KoersQuarantined *q)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = koers_office_list_devices (cli->office, &error);
  g_autoptr(KoersOfficeDevice) device = NULL;
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (q->at_ms / 1000);
  g_autofree char *when = at ? g_date_time_format (at, "%Y-%m-%d %H:%M:%S UTC") : g_strdup ("?");
  g_autofree char *range = describe_range (q->name);
  g_autofree char *steunpunt = NULL;
  g_autofree char *size = g_format_size_full (q->size, G_FORMAT_SIZE_LONG_FORMAT);

  if (devices == NULL)
    return fail (error);
  device = find_device (devices, q->device_id);
  steunpunt = koers_office_find_steunpunt (cli->office, q->steunpunt_id, NULL);
  g_print (_("Quarantined batch %lld\n"), (long long) q->id);
  g_print (_("File:        %s/%s/%s\n"), q->steunpunt_id, q->device_id, q->name);
  g_print (_("Steunpunt:   %s\n"),
           device ? device->steunpunt_name : steunpunt ? _("known to this office")
                                                       : _("unknown to this office"));
  if (device != NULL)
    g_print (_("Device:      %s%s\n"), device->name, device->revoked ? _(" (revoked)") : "");
  else
    g_print (_("Device:      not registered at this office\n"));
  g_print (_("Contents:    %s\n"), range);
  g_print (_("Size:        %s\n"), size);
  g_print (_("Quarantined: %s\n"), when);
  g_print (_("Reason:      %s (%s)\n"), q->reason, q->reason_code);
  g_print (_("What to do:  %s\n"), koers_office_quarantine_advice (q->reason_code));
  g_print (_("Then:        koers-office quarantine retry %lld (look at it again at the next"
             " pull) or quarantine drop %lld (give it up for good)\n"),
           (long long) q->id, (long long) q->id);
  return EX_OK;
}

static int
cmd_quarantine (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  gint64 id = argc == 3 ? g_ascii_strtoll (argv[2], NULL, 10) : 0;

  if (argc == 1 || (argc == 2 && strcmp (argv[1], "list") == 0)
      || (argc == 3 && strcmp (argv[1], "show") == 0))
    {
      list = koers_office_list_quarantine (cli->office, &error);
      if (list == NULL)
        return fail (error);
      for (guint i = 0; i < list->len; i++)
        {
          KoersQuarantined *q = list->pdata[i];

          if (argc == 3 && q->id == id)
            return show_quarantined (cli, q);
          if (argc < 3)
            g_print ("%" G_GINT64_FORMAT "\t%s/%s/%s\t%s\t%s\n", q->id, q->steunpunt_id,
                     q->device_id, q->name, q->reason_code, q->reason);
        }
      if (argc < 3)
        return EX_OK;
      g_set_error (&error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_NOT_FOUND,
                   _("There is no quarantined batch %s (see koers-office quarantine list)"),
                   argv[2]);
      return fail (error);
    }
  if (argc == 3 && strcmp (argv[1], "retry") == 0)
    return koers_office_retry_quarantined (cli->office, id, &error) ? EX_OK : fail (error);
  if (argc == 3 && strcmp (argv[1], "drop") == 0)
    return koers_office_drop_quarantined (cli->office, id, &error) ? EX_OK : fail (error);
  return usage (_("Use: koers-office quarantine [list | show ID | retry ID | drop ID]"));
}

static int
cmd_person (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  if (argc == 3 && strcmp (argv[1], "export") == 0)
    {
      g_autofree char *text = koers_store_export_client_text (cli->store, argv[2], &error);
      g_autofree char *json = text ? koers_store_export_client_json (cli->store, argv[2], &error) : NULL;

      if (json == NULL)
        return fail (error);
      g_print ("%s\n%s\n", text, json);
      return EX_OK;
    }
  if (argc == 3 && strcmp (argv[1], "erase") == 0)
    {
      /* the next pull sends the erasure to the laptops */
      const char *ids[] = { argv[2], NULL };

      return koers_office_erase (cli->office, ids, &error) ? EX_OK : fail (error);
    }
  return usage (_("Use: koers-office person export ID | person erase ID"));
}

static int
cmd_purge (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (cli->older_than <= 0)
    return usage (_("Use: koers-office purge --older-than DAYS"));
  if (!koers_office_purge (cli->office, (guint) cli->older_than, &n, &error))
    return fail (error);
  g_print (_("%u closed files removed\n"), n);
  return EX_OK;
}

/* Reports, exports, conflicts -------------------------------------------- */

/* The office secret that keys the pseudonyms: made on first use and kept
 * in the office vault only, never printed. */
static GBytes *
office_secret (Cli *cli, GError **error)
{
  g_autoptr(GBytes) secret = setting (cli, SECRET_KEY);
  guint8 fresh[32];

  if (secret != NULL)
    return g_steal_pointer (&secret);
  randombytes_buf (fresh, sizeof fresh);
  secret = g_bytes_new (fresh, sizeof fresh);
  sodium_memzero (fresh, sizeof fresh);
  if (!koers_store_sync_set_setting (cli->store, SECRET_KEY, secret, error))
    return NULL;
  return g_steal_pointer (&secret);
}

/* Writes what @out holds to --out FILE, else to standard output. */
static int
emit (Cli *cli, GOutputStream *out)
{
  g_autoptr(GError) error = NULL;
  gconstpointer data;
  gsize size;

  if (!g_output_stream_close (out, NULL, &error))
    return fail (error);
  data = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
  size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out));
  if (cli->out != NULL)
    return g_file_set_contents (cli->out, data, (gssize) size, &error) ? EX_OK : fail (error);
  if (fwrite (data, 1, size, stdout) != size || fflush (stdout) != 0)
    {
      g_printerr (_("Could not write the output\n"));
      return EX_IOERR;
    }
  return EX_OK;
}

static int
print_explain (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) secret = office_secret (cli, &error);
  g_auto(GStrv) ids = secret ? koers_office_report_explain (cli->store, cli->period, cli->steunpunt,
                                                            cli->explain, secret, &error) : NULL;

  if (ids == NULL)
    return fail (error);
  for (guint i = 0; ids[i] != NULL; i++)
    g_print ("%s\n", ids[i]);
  return EX_OK;
}

static int
cmd_report (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;
  KoersReportFormat format;

  if (argc != 1 || cli->period == NULL)
    return usage (_("Use: koers-office report --period P [--steunpunt X]"
                    " --format csv|json|xlsx|pdf [--lang en] [--out FILE]"
                    " | report --period P --explain FIGURE"));
  if (cli->explain != NULL)
    return print_explain (cli);
  if (!koers_report_format_from_name (cli->format ? cli->format : "csv", &format))
    return usage (_("The format is one of csv, json, xlsx, pdf"));
  out = g_memory_output_stream_new_resizable ();
  if (!koers_office_report_run (cli->store, cli->period, cli->steunpunt, format, cli->lang, out, &error))
    return fail (error);
  return emit (cli, out);
}

static int
cmd_export (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GBytes) secret = NULL;
  KoersExportFormat format = KOERS_EXPORT_FORMAT_CSV;

  if (argc != 1 || !cli->pseudonymised)
    return usage (_("Use: koers-office export --pseudonymised [--format csv|json] [--with-names] [--out FILE]"));
  if (cli->format != NULL && strcmp (cli->format, "json") == 0)
    format = KOERS_EXPORT_FORMAT_JSON;
  else if (cli->format != NULL && strcmp (cli->format, "csv") != 0)
    return usage (_("The export's format is csv or json"));
  secret = office_secret (cli, &error);
  out = g_memory_output_stream_new_resizable ();
  if (secret == NULL
      || !koers_office_export_pseudonymised (cli->store, secret, format, cli->with_names, out, &error))
    return fail (error);
  return emit (cli, out);
}

static void
print_conflict (const KoersConflict *c)
{
  g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\n", c->id, koers_entity_name (c->kind),
           c->entity_id, c->field);
  for (guint i = 0; i < c->values->len; i++)
    {
      const KoersConflictValue *v = c->values->pdata[i];
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (v->at_ms / 1000);
      g_autofree char *when = at ? g_date_time_format_iso8601 (at) : g_strdup ("?");

      g_print ("\t%s%s\t%s\tdevice %s\tworker %s\t%s\n", v->stamp, v->shown ? " *" : "",
               v->value ? v->value : _("(deleted)"), v->device_id ? v->device_id : "-",
               v->worker_id ? v->worker_id : "-", when);
    }
}

static int
cmd_conflicts (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  if (argc != 1)
    return usage (_("Use: koers-office conflicts"));
  list = koers_store_list_conflicts (cli->store, NULL, &error);
  if (list == NULL)
    return fail (error);
  for (guint i = 0; i < list->len; i++)
    print_conflict (list->pdata[i]);
  return EX_OK;
}

static int
cmd_resolve (Cli *cli, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  char *end = NULL;
  gint64 id = argc == 2 ? g_ascii_strtoll (argv[1], &end, 10) : 0;

  if (argc != 2 || end == argv[1] || *end != '\0' || (cli->take != NULL) == cli->keep)
    return usage (_("Use: koers-office resolve ID --take STAMP | resolve ID --keep"));
  return koers_store_resolve_conflict (cli->store, id, cli->take, &error) ? EX_OK : fail (error);
}

typedef struct
{
  const char *name;
  int       (*run) (Cli *cli, int argc, char **argv);
  gboolean    needs_office;
} Command;

static const Command commands[] = {
  { "init", cmd_init, FALSE },
  { "steunpunt", cmd_steunpunt, TRUE },
  { "enroll", cmd_enroll, TRUE },
  { "devices", cmd_devices, TRUE },
  { "drop", cmd_drop, TRUE },
  { "pull", cmd_pull, TRUE },
  { "quarantine", cmd_quarantine, TRUE },
  { "person", cmd_person, TRUE },
  { "purge", cmd_purge, TRUE },
  { "report", cmd_report, TRUE },
  { "export", cmd_export, TRUE },
  { "conflicts", cmd_conflicts, TRUE },
  { "resolve", cmd_resolve, TRUE },
};

static void
cli_clear (Cli *cli)
{
  g_clear_object (&cli->office);
  g_clear_object (&cli->store);
  if (cli->vault != NULL && koers_vault_is_unlocked (cli->vault))
    koers_vault_lock (cli->vault);
  g_clear_object (&cli->vault);
  g_free (cli->vault_dir);
  g_free (cli->name);
  g_free (cli->passphrase_file);
  g_free (cli->steunpunt);
  g_free (cli->device_name);
  g_free (cli->drop_url);
  g_free (cli->user);
  g_free (cli->password_file);
  g_free (cli->ca_file);
  g_free (cli->pin);
  g_free (cli->out);
  g_free (cli->period);
  g_free (cli->format);
  g_free (cli->lang);
  g_free (cli->explain);
  g_free (cli->take);
}

static int
run_command (Cli *cli, int argc, char **argv)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      int rc;

      if (strcmp (argv[0], commands[i].name) != 0)
        continue;
      if (commands[i].needs_office && (rc = open_office (cli)) != 0)
        return rc;
      return commands[i].run (cli, argc, argv);
    }
  return usage (_("Unknown command; see “koers-office --help”"));
}

int
koers_office_cli_run (int    argc,
                      char **argv)
{
  Cli cli = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &cli.vault_dir, N_("The office vault's folder"), N_("DIR") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &cli.name, N_("Whose passphrase slot (default: office)"), N_("NAME") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &cli.passphrase_file, N_("Read the passphrase from FILE"), N_("FILE") },
    { "steunpunt", 0, 0, G_OPTION_ARG_STRING, &cli.steunpunt, N_("enroll: the steunpunt"), N_("NAME") },
    { "device-name", 0, 0, G_OPTION_ARG_STRING, &cli.device_name, N_("enroll: the laptop's name"), N_("NAME") },
    { "drop", 0, 0, G_OPTION_ARG_STRING, &cli.drop_url, N_("enroll: the drop's URL"), N_("URL") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &cli.user, N_("The drop's user"), N_("USER") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &cli.password_file, N_("The drop's app password, from FILE"), N_("FILE") },
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &cli.ca_file, N_("The drop's CA certificate"), N_("FILE") },
    { "pin", 0, 0, G_OPTION_ARG_STRING, &cli.pin, N_("The drop's key pin"), N_("sha256//…") },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &cli.out, N_("enroll, report, export: where to write the file"), N_("FILE") },
    { "older-than", 0, 0, G_OPTION_ARG_INT, &cli.older_than, N_("purge: days since closing"), N_("DAYS") },
    { "grace-days", 0, 0, G_OPTION_ARG_INT, &cli.grace_days, N_("drop clean: days to wait after the ack"), N_("DAYS") },
    { "period", 0, 0, G_OPTION_ARG_STRING, &cli.period, N_("report: 2026Q3, 2026, 2026-03 or 2026-01..2026-06"), N_("PERIOD") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &cli.format, N_("report: csv, json, xlsx or pdf; export: csv or json"), N_("FORMAT") },
    { "lang", 0, 0, G_OPTION_ARG_STRING, &cli.lang, N_("report: nl (default) or en"), N_("LANG") },
    { "explain", 0, 0, G_OPTION_ARG_STRING, &cli.explain, N_("report: the case ids behind one figure"), N_("FIGURE") },
    { "pseudonymised", 0, 0, G_OPTION_ARG_NONE, &cli.pseudonymised, N_("export: without names, with pseudonyms"), NULL },
    { "with-names", 0, 0, G_OPTION_ARG_NONE, &cli.with_names, N_("export: add the names (recorded in the audit)"), NULL },
    { "take", 0, 0, G_OPTION_ARG_STRING, &cli.take, N_("resolve: the stamp of the value to keep"), N_("STAMP") },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &cli.keep, N_("resolve: keep the value shown"), NULL },
    { "keep-team-key", 0, 0, G_OPTION_ARG_NONE, &cli.keep_team_key, N_("devices revoke: do not replace the steunpunt's team key"), NULL },
    { NULL }
  };
  int rc;

  cli.grace_days = 30;
  context = g_option_context_new (_("COMMAND — init, steunpunt add|rotate-key, enroll, devices, drop, pull,"
                                    " quarantine, person, purge, report, export, conflicts, resolve"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (error->message);
  if (argc < 2)
    return usage (_("Say what to do; see “koers-office --help”"));
  if (cli.vault_dir == NULL)
    cli.vault_dir = g_strdup (g_getenv ("KOERS_OFFICE_VAULT"));
  if (cli.vault_dir == NULL)
    cli.vault_dir = g_build_filename (g_get_user_data_dir (), "koers", "office", NULL);
  rc = run_command (&cli, argc - 1, argv + 1);
  cli_clear (&cli);
  return rc;
}
