/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-cli.h: what several benchmarks share: running the built koers-cli
 * (to make demo vaults) and removing their temporary folders. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs build/src/cli/koers-cli --vault=DIR --name=NAME ARGS…, next to this
 * program's build folder; aborts the benchmark when it fails. */
void bench_run_cli (const char        *dir,
                    const char        *name,
                    const char *const *args);

/* Removes the temporary folder @dir that the benchmark made, and
 * everything in it (folders too; a symbolic link is removed, not
 * followed). */
void bench_remove_tree (const char *dir);

/* A new private temporary folder (g_dir_make_tmp); aborts when it
 * cannot be made. */
char *bench_tmp_dir (const char *pattern);

/* build/src/FOLDER/NAME, beside this program's build folder. */
char *bench_sibling_program (const char *folder,
                             const char *name);

typedef struct
{
  double wall_s;
  double cpu_s;
  long   max_rss_kb;
} BenchUsage;

/* Runs @argv (argv[0] the program) with @env_name=@env_value in its
 * environment (the passphrase; never on a command line) and its standard
 * output to @out_fd (-1: /dev/null), waits for it and returns its own
 * rusage; aborts the benchmark when it fails. */
BenchUsage bench_run_measured (const char *const *argv,
                               const char        *env_name,
                               const char        *env_value,
                               int                out_fd);

G_END_DECLS
