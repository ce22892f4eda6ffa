/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-team-keys.c: the team key's generations, the reversed hash chain
 * and the laptop's ring of them in its vault (see koers-team-keys.h). */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <sodium.h>
#include <string.h>

#include "koers-device-list.h"
#include "koers-envelope-private.h"
#include "koers-sync-pull.h"
#include "koers-team-keys.h"

#define CHAIN_LABEL "KoersTeamKey"
#define RECORD (4 + KOERS_SYNC_SEED_BYTES)
#define MAX_RECORDS 1024

void
koers_team_key_older (const guint8 *secret,
                      guint32       generation,
                      guint8       *older)
{
  guint8 message[sizeof CHAIN_LABEL - 1 + 4];
  guint8 out[KOERS_SYNC_SEED_BYTES];

  g_return_if_fail (generation >= 2);
  memcpy (message, CHAIN_LABEL, sizeof CHAIN_LABEL - 1);
  koers_sync_put_be (message + sizeof CHAIN_LABEL - 1, generation - 1, 4);
  /* through a buffer of its own: @older may be @secret */
  crypto_generichash (out, sizeof out, message, sizeof message, secret, KOERS_SYNC_SEED_BYTES);
  memcpy (older, out, sizeof out);
  sodium_memzero (out, sizeof out);
}

KoersSyncKey *
koers_team_key_from_chain (const guint8 *seed,
                           guint32       generation)
{
  guint8 *secret = sodium_malloc (KOERS_SYNC_SEED_BYTES);
  KoersSyncKey *key;

  g_return_val_if_fail (generation >= 1 && generation <= KOERS_TEAM_KEY_LAST_GENERATION, NULL);
  if (secret == NULL)
    g_error ("out of locked memory for a key");
  memcpy (secret, seed, KOERS_SYNC_SEED_BYTES);
  for (guint32 g = KOERS_TEAM_KEY_LAST_GENERATION; g > generation; g--)
    koers_team_key_older (secret, g, secret);
  key = koers_sync_key_new_from_seed (KOERS_SYNC_KEY_SEAL, secret);
  sodium_free (secret);
  return key;
}

/* The ring ------------------------------------------------------------------ */

struct _KoersTeamKeys
{
  GPtrArray *keys;         /* KoersSyncKey, newest generation first */
  GArray    *generations;  /* guint32, in step with keys */
  guint32    newest;       /* newest received */
};

static KoersTeamKeys *
team_keys_new (void)
{
  KoersTeamKeys *keys = g_new0 (KoersTeamKeys, 1);

  keys->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_sync_key_free);
  keys->generations = g_array_new (FALSE, FALSE, sizeof (guint32));
  return keys;
}

void
koers_team_keys_free (KoersTeamKeys *keys)
{
  if (keys == NULL)
    return;
  g_ptr_array_unref (keys->keys);
  g_array_unref (keys->generations);
  g_free (keys);
}

static void
team_keys_add (KoersTeamKeys *keys,
               guint32        generation,
               const guint8  *secret)
{
  g_ptr_array_add (keys->keys, koers_sync_key_new_from_seed (KOERS_SYNC_KEY_SEAL, secret));
  g_array_append_val (keys->generations, generation);
}

/* The kept records, checked: whole records, generations ascending. */
static GBytes *
kept_records (KoersStore  *store,
              GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) kept = koers_store_sync_get_setting (store, KOERS_SYNC_SETTING_TEAM_KEYS, &local);
  gsize len = kept ? g_bytes_get_size (kept) : 0;
  const guint8 *d = kept ? g_bytes_get_data (kept, NULL) : NULL;

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (kept == NULL)
    return g_bytes_new (NULL, 0);
  if (len % RECORD != 0 || len / RECORD > MAX_RECORDS)
    len = 0;
  for (gsize off = RECORD; off < len; off += RECORD)
    if (koers_sync_get_be (d + off, 4) <= koers_sync_get_be (d + off - RECORD, 4))
      len = 0;
  if (len == 0)
    {
      /* damaged: start again from the next device list */
      g_warning ("The team keys kept in this vault are damaged; the next device list brings the current one");
      return g_bytes_new (NULL, 0);
    }
  return g_steal_pointer (&kept);
}

KoersTeamKeys *
koers_team_keys_load (KoersStore  *store,
                      GError     **error)
{
  g_autoptr(GBytes) kept = kept_records (store, error);
  KoersTeamKeys *keys;
  const guint8 *d;
  gsize n;
  guint8 *secret;

  if (kept == NULL)
    return NULL;
  keys = team_keys_new ();
  d = g_bytes_get_data (kept, &n);
  n /= RECORD;
  if (n == 0)
    return keys;
  secret = sodium_malloc (KOERS_SYNC_SEED_BYTES);
  if (secret == NULL)
    g_error ("out of locked memory for a key");
  keys->newest = (guint32) koers_sync_get_be (d + (n - 1) * RECORD, 4);
  /* newest first; below each received key, the generations down to the
   * next received one are derived from it */
  for (gsize i = n; i-- > 0;)
    {
      guint32 generation = (guint32) koers_sync_get_be (d + i * RECORD, 4);
      guint32 below = i > 0 ? (guint32) koers_sync_get_be (d + (i - 1) * RECORD, 4) : 0;
      guint32 floor = MAX (below, generation > KOERS_TEAM_KEY_MAX_DERIVED
                                  ? generation - KOERS_TEAM_KEY_MAX_DERIVED : 0);

      memcpy (secret, d + i * RECORD + 4, KOERS_SYNC_SEED_BYTES);
      team_keys_add (keys, generation, secret);
      for (guint32 g = generation; g > floor + 1; g--)
        {
          koers_team_key_older (secret, g, secret);
          team_keys_add (keys, g - 1, secret);
        }
    }
  sodium_free (secret);
  return keys;
}

const KoersSyncKey *
koers_team_keys_get (const KoersTeamKeys *keys,
                     guint32              generation)
{
  for (guint i = 0; i < keys->generations->len; i++)
    if (g_array_index (keys->generations, guint32, i) == generation)
      return keys->keys->pdata[i];
  return NULL;
}

const KoersSyncKey *
koers_team_keys_recipient (const KoersTeamKeys *keys,
                           GBytes              *file,
                           const KoersSyncKey  *fallback)
{
  const KoersSyncKey *key = koers_team_keys_for_batch (keys, file, NULL);

  return key != NULL ? key : fallback;
}

guint32
koers_team_keys_newest (const KoersTeamKeys *keys)
{
  return keys->newest;
}

gboolean
koers_team_keys_remember (KoersStore         *store,
                          guint32             generation,
                          const KoersSyncKey *key,
                          GError            **error)
{
  g_autoptr(GBytes) kept = kept_records (store, error);
  g_autoptr(GByteArray) records = NULL;
  const guint8 *d;
  gsize len, at;
  guint8 head[4];

  g_return_val_if_fail (generation >= 1 && koers_sync_key_has_secret (key), FALSE);
  if (kept == NULL)
    return FALSE;
  d = g_bytes_get_data (kept, &len);
  if (d == NULL)
    d = (const guint8 *) "";   /* none kept yet */
  for (at = 0; at < len && koers_sync_get_be (d + at, 4) < generation; at += RECORD)
    ;
  if (at < len && koers_sync_get_be (d + at, 4) == generation
      && sodium_memcmp (d + at + 4, koers_sync_key_get_seed (key), KOERS_SYNC_SEED_BYTES) == 0)
    return TRUE;
  if (len / RECORD >= MAX_RECORDS)
    {
      /* the oldest goes (the newer ones derive it when chained); a key
       * older than all kept is not worth it */
      if (at == 0)
        return TRUE;
      d += RECORD;
      len -= RECORD;
      at -= RECORD;
    }
  records = g_byte_array_sized_new ((guint) (len + RECORD));
  koers_sync_put_be (head, generation, 4);
  g_byte_array_append (records, d, (guint) at);
  g_byte_array_append (records, head, 4);
  g_byte_array_append (records, koers_sync_key_get_seed (key), KOERS_SYNC_SEED_BYTES);
  /* the same generation with another secret (a list the office made again
   * after a restore): the newer list's key replaces it */
  if (at < len && koers_sync_get_be (d + at, 4) == generation)
    at += RECORD;
  g_byte_array_append (records, d + at, (guint) (len - at));
  {
    g_autoptr(GBytes) value = g_bytes_new (records->data, records->len);

    sodium_memzero (records->data, records->len);
    return koers_store_sync_set_setting (store, KOERS_SYNC_SETTING_TEAM_KEYS, value, error);
  }
}

const KoersSyncKey *
koers_team_keys_for_batch (const KoersTeamKeys *keys,
                           GBytes              *file,
                           guint32             *generation)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (file, &len);
  guint n;

  if (len <= KOERS_ENVELOPE_OFF_NRECIP)
    return NULL;
  n = d[KOERS_ENVELOPE_OFF_NRECIP];
  for (guint s = 0; s < n && KOERS_ENVELOPE_FIXED_HEADER + (gsize) (s + 1) * KOERS_ENVELOPE_STANZA <= len; s++)
    {
      const guint8 *recipient = d + KOERS_ENVELOPE_FIXED_HEADER + (gsize) s * KOERS_ENVELOPE_STANZA + 1;

      for (guint i = 0; i < keys->keys->len; i++)
        if (memcmp (recipient, koers_sync_key_get_public (keys->keys->pdata[i]),
                    KOERS_SYNC_PUBLIC_BYTES) == 0)
          {
            if (generation != NULL)
              *generation = g_array_index (keys->generations, guint32, i);
            return keys->keys->pdata[i];
          }
    }
  return NULL;
}

void
koers_team_keys_seal_public (KoersStore            *store,
                             const KoersEnrollment *enrollment,
                             guint8                *team_public)
{
  g_autoptr(GBytes) kept = koers_store_sync_get_setting (store, KOERS_SYNC_SETTING_DEVICE_LIST, NULL);
  g_autoptr(KoersDeviceList) list = NULL;

  memcpy (team_public, enrollment->team_seal_public, KOERS_SYNC_PUBLIC_BYTES);
  if (kept != NULL)
    list = koers_device_list_read (kept, enrollment->office_sign_public, enrollment->steunpunt_id,
                                   0, NULL);
  if (list != NULL && list->team_generation >= enrollment->team_key_generation)
    memcpy (team_public, list->team_public, KOERS_SYNC_PUBLIC_BYTES);
}
