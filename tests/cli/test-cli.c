/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli end to end: the real program on a real vault. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
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

/* In the build tree when meson runs the test: a shared /tmp is cleaned by
 * others' scripts now and then. */
static char *
make_test_dir (void)
{
  const char *base = g_getenv ("G_TEST_BUILDDIR");
  char *dir = g_build_filename (base ? base : g_get_tmp_dir (), "cli-XXXXXX", NULL);

  g_assert_nonnull (g_mkdtemp (dir));
  return dir;
}

static void
fixture_set_up (CliFixture *fx, gconstpointer data)
{
  fx->dir = make_test_dir ();
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

/* --- the case model ----------------------------------------------------- */

#define PASS "geheim wachtwoord"
#define UUID_RE "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"

/* Exactly one line, starting with the program's name. */
static void
assert_one_error_line (const char *err)
{
  g_assert_true (g_str_has_prefix (err, "koers-cli: "));
  g_assert_nonnull (strchr (err, '\n'));
  g_assert_cmpint (strchr (err, '\n') - err, ==, (int) strlen (err) - 1);
}

/* Runs a command that must succeed; returns its stdout. */
#define RUN_OK(fx, ...) run_ok (fx, __VA_ARGS__, NULL)
static char *
run_ok (CliFixture *fx, const char *first, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autofree char *err = NULL;
  char *out = NULL;
  const char *arg;
  va_list ap;
  int rc;

  va_start (ap, first);
  for (arg = first; arg; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  while (args->len < 6)
    g_ptr_array_add (args, NULL);
  rc = run_cli (fx, PASS, &out, &err, args->pdata[0], args->pdata[1], args->pdata[2],
                args->pdata[3], args->pdata[4], args->pdata[5], NULL);
  if (rc != EX_OK)
    g_test_message ("%s failed (%d): %s", first, rc, err);
  g_assert_cmpint (rc, ==, EX_OK);
  return out;
}

/* Runs a command that must fail with @code and one line on stderr. */
static void
run_fails (CliFixture *fx, int code, const char *a, const char *b, const char *c)
{
  g_autofree char *out = NULL, *err = NULL;
  int rc = run_cli (fx, PASS, &out, &err, a, b, c, NULL);

  g_test_message ("%s → %d: %s", a, rc, err);
  g_assert_cmpint (rc, ==, code);
  assert_one_error_line (err);
}

static void
demo_vault (CliFixture *fx)
{
  g_autofree char *out = NULL;

  init_vault (fx);
  out = RUN_OK (fx, "demo", "--clients", "50", "--seed", "42");
  g_assert_nonnull (strstr (out, "Made 50 fictional clients"));
}

static char *
write_temp (CliFixture *fx, const char *name, const char *contents, gssize len)
{
  char *path = g_build_filename (fx->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, len, NULL));
  return path;
}

static char *
export_to (CliFixture *fx, const char *name)
{
  g_autofree char *path = g_build_filename (fx->dir, name, NULL);
  g_autofree char *out = RUN_OK (fx, "export", path);
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

/* The names of the clients in an export. */
static GPtrArray *
client_names (const char *jsonl)
{
  g_autoptr(GRegex) re = g_regex_new ("^\\{\"type\":\"client\",\"id\":\"[^\"]+\",\"name\":\"([^\"]+)\"",
                                      G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (g_regex_match (re, jsonl, 0, &match); g_match_info_matches (match);
       g_match_info_next (match, NULL))
    g_ptr_array_add (names, g_match_info_fetch (match, 1));
  return names;
}

static gboolean
has_latin_diacritics (const char *name)
{
  for (const char *p = name; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (c >= 0xC0 && c <= 0x24F)
        return TRUE;
    }
  return FALSE;
}

static void
test_demo_search (CliFixture *fx, gconstpointer data)
{
  g_autofree char *jsonl = NULL, *arabic = NULL, *latin = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *accented = NULL;
  g_autofree char *typed = NULL;

  demo_vault (fx);
  jsonl = export_to (fx, "all.jsonl");
  names = client_names (jsonl);
  g_assert_cmpuint (names->len, ==, 50);
  /* Typed in Latin letters, found in Arabic script. */
  arabic = RUN_OK (fx, "search", "mohammed");
  g_assert_nonnull (strstr (arabic, "محمد"));
  g_assert_true (g_regex_match_simple ("^" UUID_RE "\t[^\t]+\t-?[0-9.]+$", arabic,
                                       G_REGEX_MULTILINE, 0));
  /* A name with diacritics, typed without them. */
  for (guint i = 0; i < names->len && !accented; i++)
    if (has_latin_diacritics (names->pdata[i]))
      accented = names->pdata[i];
  g_assert_nonnull (accented);
  typed = g_str_to_ascii (accented, "C");
  g_test_message ("typed “%s” for “%s”", typed, accented);
  latin = RUN_OK (fx, "search", typed);
  g_assert_nonnull (strstr (latin, accented));
}

static char *
first_client_id (const char *jsonl)
{
  g_autoptr(GRegex) re = g_regex_new ("\"type\":\"client\",\"id\":\"(" UUID_RE ")\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_assert_true (g_regex_match (re, jsonl, 0, &match));
  return g_match_info_fetch (match, 1);
}

static void
test_show (CliFixture *fx, gconstpointer data)
{
  g_autofree char *jsonl = NULL, *id = NULL, *text = NULL, *json = NULL;

  demo_vault (fx);
  jsonl = export_to (fx, "all.jsonl");
  id = first_client_id (jsonl);
  text = RUN_OK (fx, "show", id);
  g_assert_true (g_str_has_prefix (text, "# "));
  g_assert_nonnull (strstr (text, "## "));
  json = RUN_OK (fx, "show", "--json", id);
  g_assert_true (g_str_has_prefix (json, "{"));
  g_assert_nonnull (strstr (json, id));
  run_fails (fx, EX_NOINPUT, "show", "01890000-0000-7000-8000-000000000000", NULL);
  run_fails (fx, EX_USAGE, "show", NULL, NULL);
}

static void
use_vault (CliFixture *fx, const char *name)
{
  g_free (fx->vault);
  fx->vault = g_build_filename (fx->dir, name, NULL);
}

static void
test_export_import_roundtrip (CliFixture *fx, gconstpointer data)
{
  g_autofree char *first = NULL, *second = NULL, *out = NULL;
  g_autofree char *path = g_build_filename (fx->dir, "first.jsonl", NULL);

  demo_vault (fx);
  first = export_to (fx, "first.jsonl");
  use_vault (fx, "fresh");
  init_vault (fx);
  out = RUN_OK (fx, "import", path);
  second = export_to (fx, "second.jsonl");
  g_assert_cmpuint (strlen (first), >, 10000);
  g_assert_true (g_str_equal (first, second));
}

/* The same seed makes the same files; only the ids differ. */
static void
test_demo_deterministic (CliFixture *fx, gconstpointer data)
{
  g_autoptr(GRegex) ids = g_regex_new (UUID_RE, 0, 0, NULL);
  g_autofree char *a = NULL, *b = NULL, *a_plain = NULL, *b_plain = NULL;

  demo_vault (fx);
  a = export_to (fx, "a.jsonl");
  use_vault (fx, "again");
  demo_vault (fx);
  b = export_to (fx, "b.jsonl");
  a_plain = g_regex_replace_literal (ids, a, -1, 0, "ID", 0, NULL);
  b_plain = g_regex_replace_literal (ids, b, -1, 0, "ID", 0, NULL);
  g_assert_true (g_str_equal (a_plain, b_plain));
}

static char *
date_from_today (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return g_date_time_format (then, "%Y-%m-%d");
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; (p = strchr (p, '\n')); p++)
    n++;
  return n;
}

static void
test_due (CliFixture *fx, gconstpointer data)
{
  g_autofree char *from = date_from_today (-400), *to = date_from_today (400);
  g_autofree char *week = NULL, *wide = NULL;

  demo_vault (fx);
  week = RUN_OK (fx, "due");
  wide = RUN_OK (fx, "due", "--from", from, "--to", to);
  g_assert_cmpuint (count_lines (wide), >, count_lines (week));
  g_assert_true (g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}\tnext step\t" UUID_RE "\t", wide,
                                       G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("\tcheck-in\t", wide, 0, 0));
  run_fails (fx, EX_USAGE, "due", "--from", "31-12-2024");
}

static void
test_purge (CliFixture *fx, gconstpointer data)
{
  g_autofree char *listed = NULL, *purged = NULL, *again = NULL, *id = NULL;
  g_autofree char *count = NULL;
  guint n;

  demo_vault (fx);
  listed = RUN_OK (fx, "purge", "--older-than", "0");
  n = count_lines (listed) - 1;
  g_assert_cmpuint (n, >, 0);
  count = g_strdup_printf ("%u closed files can be purged", n);
  g_assert_nonnull (strstr (listed, count));
  id = g_strndup (listed, 36);
  g_free (RUN_OK (fx, "show", id));    /* still there after a listing */
  purged = RUN_OK (fx, "purge", "--older-than", "0", "--yes");
  g_clear_pointer (&count, g_free);
  count = g_strdup_printf ("Purged %u files.", n);
  g_assert_nonnull (strstr (purged, count));
  run_fails (fx, EX_NOINPUT, "show", id, NULL);
  again = RUN_OK (fx, "purge", "--older-than", "0");
  g_assert_true (g_str_has_prefix (again, "0 closed files"));
}

#define NOTE_MARKER "ZEBRAPAD-7731"
#define MARKER_CLIENT "01890000-0000-7000-8000-00000000c11e"

static const char marker_file[] =
  "{\"format\":\"koers-jsonl\",\"version\":1}\n"
  "{\"type\":\"client\",\"id\":\"" MARKER_CLIENT "\",\"name\":\"Markus Zebrapad\",\"phase\":\"orientation\"}\n"
  "{\"type\":\"consent\",\"id\":\"01890000-0000-7000-8000-0000000000c1\",\"client_id\":\"" MARKER_CLIENT "\","
  "\"kind\":\"store_file\",\"granted\":true,\"recorded_on\":\"2024-01-02\"}\n"
  "{\"type\":\"conversation\",\"id\":\"01890000-0000-7000-8000-0000000000c2\",\"client_id\":\"" MARKER_CLIENT "\","
  "\"held_on\":\"2024-01-02\",\"notes\":\"Eerste gesprek. " NOTE_MARKER " staat in de notitie.\"}\n";

static void
test_audit_without_content (CliFixture *fx, gconstpointer data)
{
  g_autofree char *path = write_temp (fx, "marker.jsonl", marker_file, -1);
  g_autofree char *all = NULL, *one = NULL, *found = NULL;

  demo_vault (fx);
  g_free (RUN_OK (fx, "import", path));
  found = RUN_OK (fx, "search", "--notes", "zebrapad");
  g_assert_nonnull (strstr (found, MARKER_CLIENT));
  g_free (RUN_OK (fx, "show", MARKER_CLIENT));
  g_free (export_to (fx, "all.jsonl"));
  all = RUN_OK (fx, "audit");
  one = RUN_OK (fx, "audit", MARKER_CLIENT);
  g_assert_cmpuint (count_lines (all), >, count_lines (one));
  g_assert_true (g_regex_match_simple ("\texport\tclient\t" MARKER_CLIENT "$", one, G_REGEX_MULTILINE, 0));
  /* The whole-store import and export: who, when, how many files. */
  g_assert_true (g_regex_match_simple ("\timport\tstore\t1 file$", all, G_REGEX_MULTILINE, 0));
  g_assert_true (g_regex_match_simple ("\texport\tstore\t[1-9][0-9]* files$", all, G_REGEX_MULTILINE, 0));
  /* Who did what to which file, never what it says. */
  for (const char *text = all; text; text = text == all ? one : NULL)
    {
      g_assert_null (strstr (text, NOTE_MARKER));
      g_assert_null (strstr (text, "Zebrapad"));
      g_assert_null (strstr (text, "spreekuur"));
      g_assert_false (g_regex_match_simple ("[\\x{0600}-\\x{06FF}\\x{1200}-\\x{137F}]", text, 0, 0));
    }
}

static void
test_bad_input (CliFixture *fx, gconstpointer data)
{
  static const char bad_country[] =
    "{\"format\":\"koers-jsonl\",\"version\":1}\n"
    "{\"type\":\"client\",\"id\":\"01890000-0000-7000-8000-0000000000a1\",\"name\":\"Geheime Naam\"}\n"
    "{\"type\":\"partner_org\",\"id\":\"01890000-0000-7000-8000-0000000000a2\",\"name\":\"P\",\"country\":\"XQ\"}\n";
  static const char not_json[] = "{\"format\":\"koers-jsonl\",\"version\":1}\n{\"type\":\"client\",\n";
  g_autofree char *country = write_temp (fx, "country.jsonl", bad_country, -1);
  g_autofree char *broken = write_temp (fx, "broken.jsonl", not_json, -1);
  g_autofree char *text = write_temp (fx, "text.jsonl", "name,phone\nA,1\n", -1);
  g_autofree char *empty = write_temp (fx, "empty.jsonl", "", 0);
  g_autofree char *binary = write_temp (fx, "binary.jsonl", "\xff\xfe\x00\x01\x80garbage", 13);
  g_autofree char *missing = g_build_filename (fx->dir, "missing.jsonl", NULL);
  g_autofree char *out = NULL, *err = NULL;

  init_vault (fx);
  run_fails (fx, EX_DATAERR, "import", country, NULL);
  run_fails (fx, EX_DATAERR, "import", broken, NULL);
  run_fails (fx, EX_DATAERR, "import", text, NULL);
  run_fails (fx, EX_DATAERR, "import", empty, NULL);
  run_fails (fx, EX_DATAERR, "import", binary, NULL);
  run_fails (fx, EX_NOINPUT, "import", missing, NULL);
  /* All or nothing, and no personal data in the message. */
  g_assert_cmpint (run_cli (fx, PASS, &out, &err, "import", country, NULL), ==, EX_DATAERR);
  g_assert_null (strstr (err, "Geheime"));
  g_clear_pointer (&out, g_free);
  out = RUN_OK (fx, "search", "geheime");
  g_assert_cmpstr (out, ==, "");
}

static void
test_store_usage (CliFixture *fx, gconstpointer data)
{
  init_vault (fx);
  run_fails (fx, EX_USAGE, "demo", NULL, NULL);
  run_fails (fx, EX_USAGE, "demo", "--clients", "0");
  run_fails (fx, EX_USAGE, "search", NULL, NULL);
  run_fails (fx, EX_USAGE, "import", NULL, NULL);
  run_fails (fx, EX_USAGE, "purge", "--older-than", "soon");
  run_fails (fx, EX_USAGE, "audit", "a", "b");
}

/* --- issue 14: exit codes, the recovery key ------------------------------ */

/* As docs/cli.md says: an unknown --name is EX_NOUSER, a missing
 * --passphrase-file EX_NOINPUT. */
static void
test_documented_exit_codes (CliFixture *fx, gconstpointer data)
{
  g_autofree char *missing = g_build_filename (fx->dir, "no-such-file", NULL);
  g_autofree char *opt = g_strdup_printf ("--passphrase-file=%s", missing);
  g_autofree char *out = NULL, *err = NULL;

  init_vault (fx);
  g_assert_cmpint (run_cli (fx, PASS, &out, &err, "--name=Nobody", "verify", NULL), ==, EX_NOUSER);
  assert_one_error_line (err);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (fx, NULL, &out, &err, opt, "verify", NULL), ==, EX_NOINPUT);
  assert_one_error_line (err);
}

static char *
init_vault_recovery_key (CliFixture *fx)
{
  g_autofree char *out = NULL, *err = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (run_cli (fx, PASS, &out, &err, "--name=Samira", "init", NULL), ==, EX_OK);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 2);
  g_assert_cmpuint (strlen (lines[g_strv_length (lines) - 1]), ==, 47);
  return g_strdup (lines[g_strv_length (lines) - 1]);
}

/* Passphrases lost: the recovery key from a file opens the vault, and
 * set-passphrase gives a person a new one. Never as an argument. */
static void
test_recovery_key (CliFixture *fx, gconstpointer data)
{
  g_autofree char *key = init_vault_recovery_key (fx);
  g_autofree char *lower = g_ascii_strdown (key, -1);
  g_autofree char *key_file = write_temp (fx, "recovery", lower, -1);
  g_autofree char *wrong_file = write_temp (fx, "wrong", "7K3QD-7K3QD-7K3QD-7K3QD-7K3QD-7K3QD-7K3QD-7K3QD\n", -1);
  g_autofree char *missing = g_build_filename (fx->dir, "missing", NULL);
  g_autofree char *opt = g_strdup_printf ("--recovery-key-file=%s", key_file);
  g_autofree char *wrong = g_strdup_printf ("--recovery-key-file=%s", wrong_file);
  g_autofree char *none = g_strdup_printf ("--recovery-key-file=%s", missing);
  g_autofree char *as_argument = g_strdup_printf ("--recovery-key=%s", key);
  g_autofree char *out = NULL, *err = NULL;

#define RUN(pass, code, ...) \
  G_STMT_START { \
    g_clear_pointer (&out, g_free); \
    g_clear_pointer (&err, g_free); \
    g_assert_cmpint (run_cli (fx, pass, &out, &err, __VA_ARGS__, NULL), ==, code); \
  } G_STMT_END
  RUN ("not the passphrase", EX_OK, opt, "verify");
  RUN (NULL, EX_NOPERM, wrong, "verify");
  assert_one_error_line (err);
  RUN (NULL, EX_NOINPUT, none, "verify");
  assert_one_error_line (err);
  RUN (NULL, EX_USAGE, as_argument, "verify");
  /* Without a terminal, --recovery-key (the prompt) says what to do. */
  RUN (NULL, EX_NOINPUT, "--recovery-key", "verify");
  g_assert_nonnull (strstr (err, "--recovery-key-file"));
  /* The store opens too (an export for the coordinator). */
  RUN (NULL, EX_OK, opt, "search", "x");
  RUN ("nieuw wachtwoord", EX_USAGE, "set-passphrase", "Samira");
  RUN ("nieuw wachtwoord", EX_NOUSER, opt, "set-passphrase", "Nobody");
  RUN ("nieuw wachtwoord", EX_OK, opt, "set-passphrase", "Samira");
  RUN ("nieuw wachtwoord", EX_OK, "--name=Samira", "verify");
  RUN (PASS, EX_NOPERM, "--name=Samira", "verify");
#undef RUN
}

/* An export killed part-way (here by the file-size limit: SIGXFSZ, as
 * abrupt as SIGKILL) leaves no partial plaintext file, under its name or
 * any other. */
static void
limit_file_size (gpointer data)
{
  struct rlimit limit = { 48 * 1024, 48 * 1024 };

  setrlimit (RLIMIT_FSIZE, &limit);
}

static char **
dir_entries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  const char *name;

  while ((name = g_dir_read_name (d)))
    g_strv_builder_add (names, name);
  return g_strv_builder_end (names);
}

static void
test_export_killed_leaves_nothing (CliFixture *fx, gconstpointer data)
{
  g_autofree char *target = g_build_filename (fx->dir, "export.jsonl", NULL);
  g_autofree char *vault_opt = g_strdup_printf ("--vault=%s", fx->vault);
  g_autofree char *cli = cli_path ();
  g_auto(GStrv) envp = g_get_environ ();
  g_auto(GStrv) before = NULL;
  g_auto(GStrv) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *whole = NULL;
  const char *argv[] = { cli, vault_opt, "export", target, NULL };
  int status = 0;

  demo_vault (fx);
  whole = export_to (fx, "whole.jsonl");
  g_assert_cmpuint (strlen (whole), >, 4 * 48 * 1024);
  before = dir_entries (fx->dir);
  envp = g_environ_setenv (envp, "KOERS_PASSPHRASE", PASS, TRUE);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_STDIN_FROM_DEV_NULL |
                               G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               limit_file_size, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_false (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  after = dir_entries (fx->dir);
  g_assert_cmpuint (g_strv_length (after), ==, g_strv_length (before));
  /* And the next export, whole, lands under its name. */
  g_clear_pointer (&whole, g_free);
  whole = export_to (fx, "export.jsonl");
  g_assert_true (g_str_has_prefix (whole, "{\"format\":\"koers-jsonl\""));
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
  ADD ("demo-search", test_demo_search);
  ADD ("show", test_show);
  ADD ("export-import-roundtrip", test_export_import_roundtrip);
  ADD ("demo-deterministic", test_demo_deterministic);
  ADD ("due", test_due);
  ADD ("purge", test_purge);
  ADD ("audit-without-content", test_audit_without_content);
  ADD ("bad-input", test_bad_input);
  ADD ("store-usage", test_store_usage);
  ADD ("documented-exit-codes", test_documented_exit_codes);
  ADD ("recovery-key", test_recovery_key);
  ADD ("export-killed-leaves-nothing", test_export_killed_leaves_nothing);
  return g_test_run ();
}
