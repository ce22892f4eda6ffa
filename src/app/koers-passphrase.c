/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-passphrase"

#include <glib/gi18n.h>

#include "koers-passphrase.h"

enum
{
  CLASS_LOWER = 1 << 0,
  CLASS_UPPER = 1 << 1,
  CLASS_DIGIT = 1 << 2,
  CLASS_SPACE = 1 << 3,
  CLASS_OTHER = 1 << 4,
};

static guint
char_class (gunichar c)
{
  if (g_unichar_islower (c))
    return CLASS_LOWER;
  if (g_unichar_isupper (c))
    return CLASS_UPPER;
  if (g_unichar_isdigit (c))
    return CLASS_DIGIT;
  if (g_unichar_isspace (c))
    return CLASS_SPACE;
  return CLASS_OTHER;
}

static guint
count_distinct (const char *passphrase)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (const char *p = passphrase; *p; p = g_utf8_next_char (p))
    g_hash_table_add (seen, GUINT_TO_POINTER (g_utf8_get_char (p)));

  return g_hash_table_size (seen);
}

KoersPassphraseStrength
koers_passphrase_strength (const char *passphrase)
{
  guint classes = 0;
  guint n_classes = 0;
  glong length;
  glong points;

  if (passphrase == NULL || *passphrase == '\0')
    return KOERS_PASSPHRASE_EMPTY;

  length = g_utf8_strlen (passphrase, -1);
  if (length < KOERS_PASSPHRASE_MIN_LENGTH)
    return KOERS_PASSPHRASE_TOO_SHORT;

  /* "aaaaaaaaaaaa" or "abababababab" are long but guessable. */
  if (count_distinct (passphrase) < 5)
    return KOERS_PASSPHRASE_WEAK;

  for (const char *p = passphrase; *p; p = g_utf8_next_char (p))
    classes |= char_class (g_utf8_get_char (p));
  for (guint bits = classes; bits; bits &= bits - 1)
    n_classes++;

  points = length + 2 * (glong) (n_classes - 1);
  if (points < 14)
    return KOERS_PASSPHRASE_WEAK;
  if (points < 20)
    return KOERS_PASSPHRASE_FAIR;
  return KOERS_PASSPHRASE_STRONG;
}

gboolean
koers_passphrase_is_acceptable (KoersPassphraseStrength strength)
{
  return strength >= KOERS_PASSPHRASE_FAIR;
}

const char *
koers_passphrase_hint (KoersPassphraseStrength strength)
{
  switch (strength)
    {
    case KOERS_PASSPHRASE_EMPTY:
      return _("Use at least 10 characters. A few words with spaces between them are easy to remember.");
    case KOERS_PASSPHRASE_TOO_SHORT:
      return _("Too short: use at least 10 characters.");
    case KOERS_PASSPHRASE_WEAK:
      return _("Weak: make it longer, or add a word, a number or a sign.");
    case KOERS_PASSPHRASE_FAIR:
      return _("Fair. One more word would make it strong.");
    case KOERS_PASSPHRASE_STRONG:
      return _("Strong.");
    default:
      g_return_val_if_reached (NULL);
    }
}
