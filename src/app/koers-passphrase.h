/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-passphrase.h: a strength hint for a new passphrase.
 *
 * A hint, not a promise: it rewards length first, then variety, and turns
 * away the short and the repetitive. It never sees a passphrase that is
 * already in use.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KOERS_PASSPHRASE_MIN_LENGTH 10

typedef enum
{
  KOERS_PASSPHRASE_EMPTY,
  KOERS_PASSPHRASE_TOO_SHORT,
  KOERS_PASSPHRASE_WEAK,
  KOERS_PASSPHRASE_FAIR,
  KOERS_PASSPHRASE_STRONG,
} KoersPassphraseStrength;

KoersPassphraseStrength koers_passphrase_strength      (const char              *passphrase);
gboolean                koers_passphrase_is_acceptable (KoersPassphraseStrength  strength);
const char             *koers_passphrase_hint          (KoersPassphraseStrength  strength);

G_END_DECLS
