/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli: the vault and the case model without a window, for
 * coordinators, scripts, benchmarks and tests. */
#include "config.h"

#define G_LOG_DOMAIN "koers-cli"

#include "koers-cli.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* One line, whatever the message holds. */
static void
print_error_line (const char *message)
{
  g_autofree char *line = g_strdup (message);

  g_strdelimit (line, "\r\n", ' ');
  g_printerr ("koers-cli: %s\n", g_strchomp (line));
}

static int
io_exit_code (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return EX_NOINPUT;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    return EX_NOPERM;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    return EX_DATAERR;
  return EX_IOERR;
}

int
koers_cli_fail (const GError *error)
{
  print_error_line (error->message);
  if (error->domain == KOERS_STORE_ERROR)
    return koers_cli_store_exit_code (error);
  if (error->domain == G_IO_ERROR)
    return io_exit_code (error);
  if (error->domain == G_FILE_ERROR)
    return error->code == G_FILE_ERROR_ACCES ? EX_NOPERM : EX_NOINPUT;
  if (error->domain != KOERS_VAULT_ERROR)
    return error->domain == G_OPTION_ERROR ? EX_USAGE : EX_DATAERR;
  switch ((KoersVaultError) error->code)
    {
    case KOERS_VAULT_ERROR_NOT_FOUND: return EX_NOINPUT;
    case KOERS_VAULT_ERROR_EXISTS: return EX_CANTCREAT;
    case KOERS_VAULT_ERROR_WRONG_PASSPHRASE: return EX_NOPERM;
    case KOERS_VAULT_ERROR_NO_SUCH_SLOT: return EX_NOUSER;
    case KOERS_VAULT_ERROR_SLOT_EXISTS: return EX_CANTCREAT;
    case KOERS_VAULT_ERROR_TAMPERED:
    case KOERS_VAULT_ERROR_CORRUPT: return EX_DATAERR;
    case KOERS_VAULT_ERROR_FORMAT: return EX_CONFIG;
    case KOERS_VAULT_ERROR_IO:
    case KOERS_VAULT_ERROR_DISK_FULL: return EX_IOERR;
    case KOERS_VAULT_ERROR_LOCKED:
    case KOERS_VAULT_ERROR_BUSY: return EX_TEMPFAIL;
    case KOERS_VAULT_ERROR_INVALID: return EX_DATAERR;
    default: return EX_SOFTWARE;
    }
}

int
koers_cli_usage_error (const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  print_error_line (message);
  return EX_USAGE;
}

static char *
read_line_secret (FILE *in)
{
  char buf[1024];
  size_t len;

  if (fgets (buf, sizeof buf, in) == NULL)
    return NULL;
  len = strcspn (buf, "\r\n");
  buf[len] = '\0';
  {
    char *secret = g_strndup (buf, len);
    explicit_bzero (buf, sizeof buf);
    return secret;
  }
}

static char *
prompt_without_echo (const char *prompt)
{
  FILE *tty = fopen ("/dev/tty", "r+");
  struct termios old, quiet;
  char *secret;

  if (tty == NULL)
    return NULL;
  fprintf (tty, "%s", prompt);
  fflush (tty);
  if (tcgetattr (fileno (tty), &old) == 0)
    {
      quiet = old;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (fileno (tty), TCSAFLUSH, &quiet);
    }
  secret = read_line_secret (tty);
  tcsetattr (fileno (tty), TCSAFLUSH, &old);
  fprintf (tty, "\n");
  fclose (tty);
  return secret;
}

/* The first line of @path; a missing file is EX_NOINPUT, one we may not
 * read EX_NOPERM (G_FILE_ERROR codes). */
static char *
read_secret_file (const char *path, const char *what, GError **error)
{
  FILE *f = fopen (path, "r");
  int saved = errno;
  char *secret = NULL;

  if (f != NULL)
    {
      secret = read_line_secret (f);
      fclose (f);
      saved = 0;
    }
  if (secret == NULL)
    g_set_error (error, G_FILE_ERROR, saved ? g_file_error_from_errno (saved) : G_FILE_ERROR_NOENT,
                 /* TRANSLATORS: %s is "a passphrase" or "a recovery key", then a file name */
                 _("Could not read %s from %s"), what, path);
  return secret;
}

char *
koers_cli_read_passphrase (KoersCliContext *ctx,
                           const char      *prompt,
                           GError         **error)
{
  const char *env = g_getenv ("KOERS_PASSPHRASE");
  char *secret = NULL;

  if (ctx->passphrase_file)
    return read_secret_file (ctx->passphrase_file, _("a passphrase"), error);
  if (env != NULL)
    return g_strdup (env);
  secret = prompt_without_echo (prompt);
  if (secret == NULL)
    g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                 _("No passphrase: set KOERS_PASSPHRASE, use --passphrase-file, or run in a terminal"));
  return secret;
}

static char *
default_vault_dir (void)
{
  const char *env = g_getenv ("KOERS_VAULT_DIR");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "koers", "vault", NULL);
}

/* Without --name, a vault that only one person opens needs no name. */
static char *
pick_name (KoersCliContext *ctx)
{
  g_auto(GStrv) names = NULL;

  if (ctx->name)
    return g_strdup (ctx->name);
  if (g_getenv ("KOERS_USER"))
    return g_strdup (g_getenv ("KOERS_USER"));
  names = koers_vault_list_slots (ctx->vault);
  return g_strv_length (names) == 1 ? g_strdup (names[0]) : NULL;
}

/* A coordinator whose people lost their passphrases: the recovery key
 * from a file or a prompt without echo, never from the command line. */
static int
unlock_with_recovery_key (KoersCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) key = NULL;

  if (ctx->recovery_key_file)
    key = read_secret_file (ctx->recovery_key_file, _("a recovery key"), &error);
  else if ((key = prompt_without_echo (_("Recovery key: "))) == NULL)
    g_set_error (&error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                 _("No recovery key: use --recovery-key-file, or --recovery-key in a terminal"));
  if (key == NULL)
    return koers_cli_fail (error);
  if (!koers_vault_unlock_with_recovery_key (ctx->vault, key, &error))
    return koers_cli_fail (error);
  return 0;
}

/* An unknown name is EX_NOUSER, told apart before any passphrase is read. */
static gboolean
check_slot_exists (KoersCliContext *ctx, const char *name, GError **error)
{
  g_auto(GStrv) names = koers_vault_list_slots (ctx->vault);

  if (g_strv_contains ((const char * const *) names, name))
    return TRUE;
  g_set_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_NO_SUCH_SLOT,
               _("No one called “%s” can open this vault; see “koers-cli slots”"), name);
  return FALSE;
}

int
koers_cli_unlock (KoersCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) passphrase = NULL;
  g_autofree char *name = NULL;

  ctx->session = koers_session_new (ctx->vault_dir, KOERS_SESSION_NONE);
  if (!koers_session_open_vault (ctx->session, &error))
    return koers_cli_fail (error);
  ctx->vault = g_object_ref (koers_session_get_vault (ctx->session));
  if (ctx->recovery_key || ctx->recovery_key_file)
    return unlock_with_recovery_key (ctx);
  name = pick_name (ctx);
  if (name != NULL && !check_slot_exists (ctx, name, &error))
    return koers_cli_fail (error);
  if (name == NULL)
    return koers_cli_usage_error (_("Several people can open this vault: say who you are with --name"));
  passphrase = koers_cli_read_passphrase (ctx, _("Passphrase: "), &error);
  if (passphrase == NULL)
    return koers_cli_fail (error);
  if (!koers_session_unlock (ctx->session, name, passphrase, &error))
    return koers_cli_fail (error);
  return 0;
}

/* --- vault commands --------------------------------------------------- */

static int
cmd_init (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) passphrase = NULL;
  g_autoptr(KoersVaultSecret) recovery = NULL;
  KoersKdfParams kdf = koers_session_kdf_params ();

  if (ctx->name == NULL)
    return koers_cli_usage_error (_("init needs --name: the first person who opens the vault"));
  passphrase = koers_cli_read_passphrase (ctx, _("New passphrase: "), &error);
  if (passphrase == NULL)
    return koers_cli_fail (error);
  ctx->vault = koers_vault_create (ctx->vault_dir, ctx->name, passphrase, &kdf, &recovery, &error);
  if (ctx->vault == NULL)
    return koers_cli_fail (error);
  g_print (_("Vault created in %s\n"), ctx->vault_dir);
  g_print (_("Recovery key (shown once; print it and keep it locked away):\n%s\n"), recovery);
  return EX_OK;
}

static int
cmd_verify (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc = koers_cli_unlock (ctx);

  if (rc != 0)
    return rc;
  if (!koers_vault_verify (ctx->vault, &error))
    return koers_cli_fail (error);
  g_print (_("The vault is whole: every page authenticates and the database is consistent.\n"));
  return EX_OK;
}

static int
cmd_backup (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  int rc;

  if (argc != 2)
    return koers_cli_usage_error (_("backup needs one folder to write the copy into"));
  if ((rc = koers_cli_unlock (ctx)) != 0)
    return rc;
  if (!koers_vault_backup (ctx->vault, argv[1], &error))
    return koers_cli_fail (error);
  g_print (_("Encrypted backup written to %s\n"), argv[1]);
  return EX_OK;
}

static int
cmd_slots (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  ctx->vault = koers_vault_open (ctx->vault_dir, &error);
  if (ctx->vault == NULL)
    return koers_cli_fail (error);
  names = koers_vault_list_slots (ctx->vault);
  for (guint i = 0; names[i]; i++)
    g_print ("%s\n", names[i]);
  return EX_OK;
}

/* After opening with the recovery key: a new passphrase for a person whose
 * own is lost, read like any passphrase (never from the command line). */
static int
cmd_set_passphrase (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) passphrase = NULL;
  g_autofree char *prompt = NULL;
  KoersKdfParams kdf = koers_session_kdf_params ();
  int rc;

  if (argc != 2)
    return koers_cli_usage_error (_("set-passphrase needs the name of the person"));
  if (!ctx->recovery_key && !ctx->recovery_key_file)
    return koers_cli_usage_error (_("set-passphrase opens the vault with its recovery key: "
                                    "add --recovery-key or --recovery-key-file"));
  if ((rc = koers_cli_unlock (ctx)) != 0)
    return rc;
  if (!check_slot_exists (ctx, argv[1], &error))
    return koers_cli_fail (error);
  prompt = g_strdup_printf (_("New passphrase for %s: "), argv[1]);
  passphrase = koers_cli_read_passphrase (ctx, prompt, &error);
  if (passphrase == NULL || !koers_vault_set_passphrase (ctx->vault, argv[1], passphrase, &kdf, &error))
    return koers_cli_fail (error);
  g_print (_("%s can open the vault with the new passphrase.\n"), argv[1]);
  return EX_OK;
}

static const KoersCliCommand vault_commands[] = {
  { "init", "", N_("create a vault (with --name)"), cmd_init },
  { "verify", "", N_("authenticate every page and check the database"), cmd_verify },
  { "backup", "FOLDER", N_("write an encrypted, consistent copy"), cmd_backup },
  { "slots", "", N_("list who can open the vault"), cmd_slots },
  { "set-passphrase", "NAME", N_("a new passphrase for NAME (with the recovery key)"), cmd_set_passphrase },
  { NULL },
};

static const KoersCliCommand *
find_command (const char *name)
{
  const KoersCliCommand *tables[] = { vault_commands, koers_cli_store_commands, koers_cli_sync_commands };

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (const KoersCliCommand *c = tables[t]; c->name; c++)
      if (g_strcmp0 (c->name, name) == 0)
        return c;
  return NULL;
}

static char *
commands_help (void)
{
  const KoersCliCommand *tables[] = { vault_commands, koers_cli_store_commands, koers_cli_sync_commands };
  GString *out = g_string_new (_("Commands:\n"));

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (const KoersCliCommand *c = tables[t]; c->name; c++)
      g_string_append_printf (out, "  %-7s %-28s %s\n", c->name, c->args, _(c->summary));
  g_string_append (out, _("\nThe passphrase comes from KOERS_PASSPHRASE, --passphrase-file, or a prompt."));
  return g_string_free (out, FALSE);
}

static void
context_clear (KoersCliContext *ctx)
{
  koers_cli_close (ctx);
  g_clear_object (&ctx->vault);
  g_clear_object (&ctx->session);
  g_clear_pointer (&ctx->vault_dir, g_free);
  g_clear_pointer (&ctx->name, g_free);
  g_clear_pointer (&ctx->passphrase_file, g_free);
  g_clear_pointer (&ctx->recovery_key_file, g_free);
}

static int
run_command (KoersCliContext *ctx, int argc, char **argv)
{
  const KoersCliCommand *command;

  if (argc < 2)
    return koers_cli_usage_error ("%s", _("Which command? Try --help"));
  if (!(command = find_command (argv[1])))
    return koers_cli_usage_error (_("Unknown command “%s”; try --help"), argv[1]);
  if (ctx->vault_dir == NULL)
    ctx->vault_dir = default_vault_dir ();
  return command->run (ctx, argc - 1, argv + 1);
}

/* GOption would take “--recovery-key=KEY” for the bare flag. */
static gboolean
secret_in_arguments (int argc, char **argv)
{
  for (int i = 1; i < argc && g_strcmp0 (argv[i], "--") != 0; i++)
    if (g_str_has_prefix (argv[i], "--recovery-key="))
      return TRUE;
  return FALSE;
}

int
main (int argc, char **argv)
{
  KoersCliContext ctx = { 0 };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *help = NULL;
  GOptionEntry entries[] = {
    { "vault", 0, 0, G_OPTION_ARG_FILENAME, &ctx.vault_dir, N_("The vault’s folder"), N_("FOLDER") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &ctx.name, N_("Whose key slot opens the vault"), N_("NAME") },
    { "passphrase-file", 0, 0, G_OPTION_ARG_FILENAME, &ctx.passphrase_file,
      N_("Read the passphrase from the first line of FILE"), N_("FILE") },
    { "recovery-key", 0, 0, G_OPTION_ARG_NONE, &ctx.recovery_key,
      N_("Open the vault with its recovery key, asked for without echo"), NULL },
    { "recovery-key-file", 0, 0, G_OPTION_ARG_FILENAME, &ctx.recovery_key_file,
      N_("Open the vault with the recovery key on the first line of FILE"), N_("FILE") },
    { NULL },
  };
  int rc;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  options = g_option_context_new (_("COMMAND [ARGUMENTS…]"));
  g_option_context_set_strict_posix (options, TRUE);  /* options after the command are its own */
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  help = commands_help ();
  g_option_context_set_description (options, help);
  if (secret_in_arguments (argc, argv))
    rc = koers_cli_usage_error ("%s", _("The recovery key is never given on the command line "
                                        "(it would show in “ps” and the shell’s history): use "
                                        "--recovery-key-file=FILE or --recovery-key for a prompt"));
  else if (!g_option_context_parse (options, &argc, &argv, &error))
    rc = koers_cli_usage_error ("%s", error->message);
  else
    rc = run_command (&ctx, argc, argv);
  context_clear (&ctx);
  return rc;
}
