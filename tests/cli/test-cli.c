/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli end to end: the real program on a real vault. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>

typedef struct
{
  char *dir;
  char *vault;
} CliFixture;

static char *
cli_path (void)
{
  const char *path = g_getenv ("KOERS_CLI");

  g_assert_nonnull (path);
  return g_strdup (path);
}

/* Runs koers-cli with @passphrase in the environment (NULL: none) and
 * returns its exit status; stdout and stderr go to @out and @err. */
static int
run_cli (CliFixture *fx, const char *passphrase, char **out, char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, cli_path ());
  g_ptr_array_add (argv, g_strdup_printf ("--vault=%s", fx->vault));
  va_start (args, err);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  envp = g_environ_setenv (envp, "KOERS_KDF", "minimum", TRUE);
  envp = passphrase ? g_environ_setenv (envp, "KOERS_PASSPHRASE", passphrase, TRUE)
                    : g_environ_unsetenv (envp, "KOERS_PASSPHRASE");
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_STDIN_FROM_DEV_NULL,
                               NULL, NULL, out, err, &status, &error));
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
fixture_set_up (CliFixture *fx, gconstpointer data)
{
  fx->dir = g_dir_make_tmp ("koers-cli-XXXXXX", NULL);
  fx->vault = g_build_filename (fx->dir, "vault", NULL);
}

static void
fixture_tear_down (CliFixture *fx, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", fx->dir);

  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (fx->dir);
  g_free (fx->vault);
}

static void
init_vault (CliFixture *fx)
{
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_cli (fx, "geheim wachtwoord", &out, &err, "--name=Samira", "init", NULL), ==, EX_OK);
  g_assert_nonnull (strstr (out, "Recovery key"));
}

static void
test_init_verify (CliFixture *fx, gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL;

  init_vault (fx);
  g_assert_cmpint (run_cli (fx, "geheim wachtwoord", &out, &err, "verify", NULL), ==, EX_OK);
  g_assert_cmpstr (err, ==, "");
}

static void
test_wrong_passphrase_exit_code (CliFixture *fx, gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL;

  init_vault (fx);
  g_assert_cmpint (run_cli (fx, "fout", &out, &err, "verify", NULL), ==, EX_NOPERM);
  /* One clear line on stderr, nothing on stdout. */
  g_assert_cmpstr (out, ==, "");
  g_assert_true (g_str_has_prefix (err, "koers-cli: "));
  g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
}

static void
test_missing_vault_and_usage (CliFixture *fx, gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *out2 = NULL, *err2 = NULL;

  g_assert_cmpint (run_cli (fx, "x", &out, &err, "verify", NULL), ==, EX_NOINPUT);
  g_assert_cmpint (run_cli (fx, "x", &out2, &err2, "no-such-command", NULL), ==, EX_USAGE);
}

static void
test_passphrase_file_and_backup (CliFixture *fx, gconstpointer data)
{
  g_autofree char *file = g_build_filename (fx->dir, "pass", NULL);
  g_autofree char *copy = g_build_filename (fx->dir, "copy", NULL);
  g_autofree char *opt = g_strdup_printf ("--passphrase-file=%s", file);
  g_autofree char *out = NULL, *err = NULL;

  init_vault (fx);
  g_assert_true (g_file_set_contents (file, "geheim wachtwoord\n", -1, NULL));
  g_assert_cmpint (run_cli (fx, NULL, &out, &err, opt, "backup", copy, NULL), ==, EX_OK);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* Without any passphrase source and no terminal: a clear refusal. */
  g_assert_cmpint (run_cli (fx, NULL, &out, &err, "verify", NULL), !=, EX_OK);
  g_assert_nonnull (strstr (err, "KOERS_PASSPHRASE"));
}

static void
test_slots_list (CliFixture *fx, gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL;

  init_vault (fx);
  g_assert_cmpint (run_cli (fx, NULL, &out, &err, "slots", NULL), ==, EX_OK);
  g_assert_cmpstr (out, ==, "Samira\n");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/cli/" path, CliFixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("init-verify", test_init_verify);
  ADD ("wrong-passphrase", test_wrong_passphrase_exit_code);
  ADD ("missing-vault-and-usage", test_missing_vault_and_usage);
  ADD ("passphrase-file-and-backup", test_passphrase_file_and_backup);
  ADD ("slots", test_slots_list);
  return g_test_run ();
}
