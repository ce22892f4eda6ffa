/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Linked into the test-*-format1 programs: every vault they make is made in
 * format 1 (the BLAKE2b checksum mask of vaults made before format 2) and
 * kept at it, through the library's test switch. So the round-trip, crash,
 * fault and tamper suites prove, unchanged, that such vaults keep working.
 * It runs before main(), so children the crash tests fork inherit it. */
#include "config.h"

#include "koers-cipher.h"
#include "koers-vault-private.h"

__attribute__((constructor)) static void
make_format1_vaults (void)
{
  koers_vault_set_format_for_testing (KOERS_FORMAT_BLAKE2B_MASK);
}
