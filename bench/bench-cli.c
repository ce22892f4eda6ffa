/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

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
