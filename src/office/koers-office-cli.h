/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-cli.h: the commands of `koers-office`. */
#pragma once

/* Runs the command line; returns a sysexits code. */
int koers_office_cli_run (int    argc,
                          char **argv);
