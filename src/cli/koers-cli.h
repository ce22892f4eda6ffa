/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli.h: the headless program's shared parts (commands, context). */
#pragma once

#include <glib.h>
#include <sysexits.h>
#include "koers-vault.h"

G_BEGIN_DECLS

typedef struct
{
  char       *vault_dir;
  char       *name;             /* whose slot unlocks */
  char       *passphrase_file;
  KoersVault *vault;            /* set by koers_cli_unlock() */
} KoersCliContext;

typedef int (*KoersCliRun) (KoersCliContext *ctx, int argc, char **argv);

typedef struct
{
  const char  *name;
  const char  *args;       /* usage after the command name */
  const char  *summary;
  KoersCliRun  run;
} KoersCliCommand;

/* Prints "koers-cli: <message>" on stderr and returns the sysexits code
 * that fits @error. */
int          koers_cli_fail            (const GError *error);
int          koers_cli_usage_error     (const char   *format,
                                        ...) G_GNUC_PRINTF (1, 2);
/* The passphrase from KOERS_PASSPHRASE, --passphrase-file or a prompt
 * without echo; never from the command line. */
char        *koers_cli_read_passphrase (KoersCliContext *ctx,
                                        const char      *prompt,
                                        GError         **error);
/* Opens and unlocks the context's vault; returns 0 or an exit code. */
int          koers_cli_unlock          (KoersCliContext *ctx);

/* Commands provided by the store part (koers-cli-store.c). */
extern const KoersCliCommand koers_cli_store_commands[];

G_END_DECLS
