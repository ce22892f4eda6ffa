/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli: the vault and the case model without a window, for
 * coordinators, scripts, benchmarks and tests. */
#include "config.h"

#define G_LOG_DOMAIN "koers-cli"

#include "koers-cli.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
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

char *
koers_cli_read_passphrase (KoersCliContext *ctx,
                           const char      *prompt,
                           GError         **error)
{
  const char *env = g_getenv ("KOERS_PASSPHRASE");
  char *secret = NULL;

  if (ctx->passphrase_file)
    {
      FILE *f = fopen (ctx->passphrase_file, "r");

      if (f != NULL)
        {
          secret = read_line_secret (f);
          fclose (f);
        }
      if (secret == NULL)
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                     _("Could not read a passphrase from %s"), ctx->passphrase_file);
      return secret;
    }
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

int
koers_cli_unlock (KoersCliContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) passphrase = NULL;
  g_autofree char *name = NULL;

  ctx->vault = koers_vault_open (ctx->vault_dir, &error);
  if (ctx->vault == NULL)
    return koers_cli_fail (error);
  name = pick_name (ctx);
  if (name == NULL)
    return koers_cli_usage_error (_("Several people can open this vault: say who you are with --name"));
  passphrase = koers_cli_read_passphrase (ctx, _("Passphrase: "), &error);
  if (passphrase == NULL)
    return koers_cli_fail (error);
  if (!koers_vault_unlock (ctx->vault, name, passphrase, &error))
    return koers_cli_fail (error);
  return 0;
}

/* --- vault commands --------------------------------------------------- */

static KoersKdfParams
kdf_from_env (void)
{
  /* Tests and demos only: the default cost stays strong. */
  if (g_strcmp0 (g_getenv ("KOERS_KDF"), "minimum") == 0)
    return koers_kdf_params_minimum ();
  return koers_kdf_params_default ();
}

static int
cmd_init (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) passphrase = NULL;
  g_autoptr(KoersVaultSecret) recovery = NULL;
  KoersKdfParams kdf = kdf_from_env ();

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

static const KoersCliCommand vault_commands[] = {
  { "init", "", N_("create a vault (with --name)"), cmd_init },
  { "verify", "", N_("authenticate every page and check the database"), cmd_verify },
  { "backup", "FOLDER", N_("write an encrypted, consistent copy"), cmd_backup },
  { "slots", "", N_("list who can open the vault"), cmd_slots },
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
  g_clear_pointer (&ctx->vault_dir, g_free);
  g_clear_pointer (&ctx->name, g_free);
  g_clear_pointer (&ctx->passphrase_file, g_free);
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
  if (!g_option_context_parse (options, &argc, &argv, &error))
    rc = koers_cli_usage_error ("%s", error->message);
  else
    rc = run_command (&ctx, argc, argv);
  context_clear (&ctx);
  return rc;
}
