/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <sodium.h>

#include "koers-uuid.h"

static GMutex uuid_lock;
static gint64 last_ms = -1;
static guint  last_seq;

/* rand_a: a counter that starts at a random value below 2048 each new
 * millisecond, so there is room to count up within it. If it runs out,
 * borrow the next millisecond: ids stay strictly increasing. */
static guint
next_sequence (gint64 *unix_ms)
{
  guint seq;

  g_mutex_lock (&uuid_lock);
  if (*unix_ms <= last_ms)
    {
      *unix_ms = last_ms;
      if (++last_seq > 0xfff)
        {
          *unix_ms = ++last_ms;
          last_seq = randombytes_uniform (0x800);
        }
    }
  else
    {
      last_ms = *unix_ms;
      last_seq = randombytes_uniform (0x800);
    }
  seq = last_seq;
  g_mutex_unlock (&uuid_lock);
  return seq;
}

char *
koers_uuid7_new (gint64 unix_ms)
{
  guint8 b[16];
  guint seq;

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  seq = next_sequence (&unix_ms);
  randombytes_buf (b + 8, 8);
  for (int i = 0; i < 6; i++)
    b[i] = (guint8) ((guint64) unix_ms >> (40 - 8 * i));
  b[6] = 0x70 | ((seq >> 8) & 0x0f);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8] & 0x3f);

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

gboolean
koers_uuid_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (int i = 0; i < 36; i++)
    {
      gboolean dash = (i == 8 || i == 13 || i == 18 || i == 23);
      if (dash ? text[i] != '-'
               : !(g_ascii_isdigit (text[i]) || (text[i] >= 'a' && text[i] <= 'f')))
        return FALSE;
    }
  return TRUE;
}
