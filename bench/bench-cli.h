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

G_END_DECLS
