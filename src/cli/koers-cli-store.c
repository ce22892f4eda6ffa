/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli commands over the case model. */
#include "config.h"

#define G_LOG_DOMAIN "koers-cli"

#include "koers-cli.h"

const KoersCliCommand koers_cli_store_commands[] = {
  { NULL },
};
