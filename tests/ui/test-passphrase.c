/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The passphrase strength hint. */
#include "config.h"

#define G_LOG_DOMAIN "test-passphrase"

#include <string.h>

#include "koers-passphrase.h"

static void
test_strength (void)
{
  static const struct
  {
    const char              *passphrase;
    KoersPassphraseStrength  expected;
  } cases[] = {
    { "", KOERS_PASSPHRASE_EMPTY },
    { NULL, KOERS_PASSPHRASE_EMPTY },
    { "kort", KOERS_PASSPHRASE_TOO_SHORT },
    { "123456789", KOERS_PASSPHRASE_TOO_SHORT },
    /* ten characters, but only a few different ones */
    { "aaaaaaaaaaaa", KOERS_PASSPHRASE_WEAK },
    { "abababababababab", KOERS_PASSPHRASE_WEAK },
    { "wachtwoord", KOERS_PASSPHRASE_WEAK },
    { "Welkom2024!", KOERS_PASSPHRASE_FAIR },
    { "koffie met melk", KOERS_PASSPHRASE_FAIR },
    { "rustig water heeft diepe gronden", KOERS_PASSPHRASE_STRONG },
    { "Fietsen-naar-Utrecht-42", KOERS_PASSPHRASE_STRONG },
    /* letters of any script count, by characters not bytes */
    { "سلام دوست من", KOERS_PASSPHRASE_FAIR },
    { "ሰላም", KOERS_PASSPHRASE_TOO_SHORT },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_cmpint (koers_passphrase_strength (cases[i].passphrase), ==, cases[i].expected);
    }
}

static void
test_acceptable (void)
{
  g_assert_false (koers_passphrase_is_acceptable (KOERS_PASSPHRASE_EMPTY));
  g_assert_false (koers_passphrase_is_acceptable (KOERS_PASSPHRASE_TOO_SHORT));
  g_assert_false (koers_passphrase_is_acceptable (KOERS_PASSPHRASE_WEAK));
  g_assert_true (koers_passphrase_is_acceptable (KOERS_PASSPHRASE_FAIR));
  g_assert_true (koers_passphrase_is_acceptable (KOERS_PASSPHRASE_STRONG));
}

static void
test_hints (void)
{
  for (int s = KOERS_PASSPHRASE_EMPTY; s <= KOERS_PASSPHRASE_STRONG; s++)
    {
      const char *hint = koers_passphrase_hint (s);

      g_assert_nonnull (hint);
      g_assert_cmpuint (strlen (hint), >, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui/passphrase/strength", test_strength);
  g_test_add_func ("/ui/passphrase/acceptable", test_acceptable);
  g_test_add_func ("/ui/passphrase/hints", test_hints);

  return g_test_run ();
}
