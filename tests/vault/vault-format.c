/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Linked into the test-*-format1 and test-*-format2 programs, built with
 * KOERS_TEST_VAULT_FORMAT: every vault they make is made in that format and
 * kept at it, through the library's test switch. Format 1 is the BLAKE2b
 * checksum mask of vaults made before format 2; format 2 the XChaCha20
 * pages of vaults made where the processor has no AES-NI (the plain
 * programs make format 3 where it has). So the round-trip, crash, fault and
 * tamper suites prove, unchanged, that such vaults keep working. It runs
 * before main(), so children the crash tests fork inherit it. */
#include "config.h"

#include "koers-cipher.h"
#include "koers-vault-private.h"

__attribute__((constructor)) static void
make_vaults_of_the_test_format (void)
{
  koers_vault_set_format_for_testing (KOERS_TEST_VAULT_FORMAT);
}
