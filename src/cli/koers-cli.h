/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli.h: the headless program's shared parts (commands, context). */
#pragma once

#include <glib.h>
#include <sysexits.h>
#include "koers-session.h"
#include "koers-client-file.h"
#include "koers-store.h"
#include "koers-vault.h"

G_BEGIN_DECLS

typedef struct
{
  char       *vault_dir;
  char       *name;             /* whose slot unlocks */
  char       *passphrase_file;
  char       *recovery_key_file;  /* --recovery-key-file */
  gboolean    recovery_key;       /* --recovery-key: prompt for it */
  KoersSession *session;        /* set by koers_cli_unlock() */
  KoersVault *vault;            /* set by koers_cli_unlock() (the session's) */
  KoersStore *store;            /* set by koers_cli_open_store() (the session's) */
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

/* Unlocks the vault, opens the case model on it (the session's order) and
 * records changes for the active worker named like the slot, if there is
 * one; returns 0 or an exit code. */
int          koers_cli_open_store      (KoersCliContext *ctx);
/* Closes the store, then locks the vault (no statement left open): the
 * session's lock. */
void         koers_cli_close           (KoersCliContext *ctx);
/* The sysexits code for an error of the case model. */
int          koers_cli_store_exit_code (const GError    *error);
/* Parses a command's own options; leaves its arguments in @argv. Returns
 * 0 or EX_USAGE. */
int          koers_cli_parse_options   (int             *argc,
                                        char          ***argv,
                                        const GOptionEntry *entries,
                                        const char      *usage);

/* Commands provided by the store part (koers-cli-store.c). */
extern const KoersCliCommand koers_cli_store_commands[];
/* enroll, sync (koers-cli-sync.c). */
extern const KoersCliCommand koers_cli_sync_commands[];
/* demo --clients N [--seed S] (koers-cli-demo.c). */
int          koers_cli_demo            (KoersCliContext *ctx,
                                        int              argc,
                                        char           **argv);

G_END_DECLS
