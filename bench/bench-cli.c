/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench-cli.h"

void
bench_run_cli (const char        *dir,
               const char        *name,
               const char *const *args)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bindir = g_path_get_dirname (self);
  g_autofree char *cli = g_build_filename (bindir, "..", "src", "cli", "koers-cli", NULL);
  g_autofree char *vault_arg = g_strdup_printf ("--vault=%s", dir);
  g_autofree char *name_arg = g_strdup_printf ("--name=%s", name);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status;

  g_ptr_array_add (argv, cli);
  g_ptr_array_add (argv, vault_arg);
  g_ptr_array_add (argv, name_arg);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("koers-cli %s: %s", args[0], error->message);
}

void
bench_remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        bench_remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

char *
bench_sibling_program (const char *folder,
                       const char *name)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bindir = g_path_get_dirname (self);

  return g_build_filename (bindir, "..", "src", folder, name, NULL);
}

BenchUsage
bench_run_measured (const char *const *argv,
                    const char        *env_name,
                    const char        *env_value,
                    int                out_fd)
{
  struct rusage ru;
  gint64 start = g_get_monotonic_time ();
  BenchUsage usage;
  int status;
  pid_t pid;

  fflush (stdout);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int out = out_fd >= 0 ? out_fd : open ("/dev/null", O_WRONLY);

      dup2 (out, STDOUT_FILENO);
      setenv (env_name, env_value, 1);
      execv (argv[0], (char **) argv);
      _exit (127);
    }
  g_assert_cmpint (wait4 (pid, &status, 0, &ru), ==, pid);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s %s failed (status %d)", argv[0], argv[1], status);
  usage.wall_s = (g_get_monotonic_time () - start) / 1e6;
  usage.cpu_s = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6
                + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
  usage.max_rss_kb = ru.ru_maxrss;
  return usage;
}

char *
bench_tmp_dir (const char *pattern)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (pattern, &error);

  if (dir == NULL)
    g_error ("%s", error->message);
  return dir;
}
