/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-cli.h: running the built koers-cli from a benchmark (to make
 * demo vaults). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs build/src/cli/koers-cli --vault=DIR --name=NAME ARGS…, next to this
 * program's build folder; aborts the benchmark when it fails. */
void bench_run_cli (const char        *dir,
                    const char        *name,
                    const char *const *args);

G_END_DECLS
