/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-rotate.c: a steunpunt's team key generations at the office
 * (koers_office_rotate_team_key(); docs/office.md "A lost or stolen
 * laptop", docs/sync-format.md "Team key generations"). */
#include "config.h"

#define G_LOG_DOMAIN "koers-office"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "koers-office-private.h"
#include "koers-store-private.h"
#include "koers-team-keys.h"

#define CHAIN_PREFIX "office.team-chain."

static gboolean
save_secret (KoersOffice  *self,
             const char   *setting,
             const guint8 *secret,
             GError      **error)
{
  g_autoptr(GBytes) value = g_bytes_new (secret, KOERS_SYNC_SEED_BYTES);

  return koers_store_sync_set_setting (self->store, setting, value, error);
}

KoersSyncKey *
koers_office_new_team_chain (KoersOffice  *self,
                             const char   *steunpunt_id,
                             GError      **error)
{
  g_autofree char *setting = g_strconcat (CHAIN_PREFIX, steunpunt_id, NULL);
  guint8 seed[KOERS_SYNC_SEED_BYTES];
  KoersSyncKey *first = NULL;

  randombytes_buf (seed, sizeof seed);
  if (save_secret (self, setting, seed, error))
    first = koers_team_key_from_chain (seed, 1);
  sodium_memzero (seed, sizeof seed);
  return first;
}

static guint32
generation_of (KoersOffice *self,
               const char  *steunpunt_id)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "SELECT team_generation FROM office_steunpunt WHERE id = ?", NULL);
  guint32 generation = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, steunpunt_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    generation = (guint32) sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return generation;
}

guint32
koers_office_team_generation (KoersOffice  *self,
                              const char   *steunpunt,
                              GError      **error)
{
  g_autofree char *id = koers_office_find_steunpunt (self, steunpunt, error);

  return id != NULL ? generation_of (self, id) : 0;
}

static char *
older_setting (const char *steunpunt_id,
               guint32     generation)
{
  return g_strdup_printf (KOERS_OFFICE_TEAM_SEED_PREFIX "%s.%u", steunpunt_id, generation);
}

KoersSyncKey *
koers_office_get_team_key (KoersOffice  *self,
                           const char   *steunpunt,
                           guint32       generation,
                           GError      **error)
{
  g_autofree char *id = koers_office_find_steunpunt (self, steunpunt, error);
  g_autofree char *setting = NULL;
  g_autoptr(GBytes) seed = NULL;
  g_autoptr(GError) local = NULL;

  if (id == NULL)
    return NULL;
  if (generation == 0 || generation == generation_of (self, id))
    return koers_office_team_key (self, id, error);
  setting = older_setting (id, generation);
  seed = koers_store_sync_get_setting (self->store, setting, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (seed == NULL || g_bytes_get_size (seed) != KOERS_SYNC_SEED_BYTES)
    {
      g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_NOT_FOUND,
                   _("This office vault has no team key of generation %u for this steunpunt"),
                   generation);
      return NULL;
    }
  return koers_sync_key_new_from_seed (KOERS_SYNC_KEY_SEAL, g_bytes_get_data (seed, NULL));
}

/* The steunpunt's chain seed; a steunpunt made before there were chains
 * gets one now (its older generations then stay apart from the chain). */
static GBytes *
chain_seed (KoersOffice  *self,
            const char   *steunpunt_id,
            GError      **error)
{
  g_autofree char *setting = g_strconcat (CHAIN_PREFIX, steunpunt_id, NULL);
  g_autoptr(GError) local = NULL;
  GBytes *seed = koers_store_sync_get_setting (self->store, setting, &local);
  g_autoptr(KoersSyncKey) unused = NULL;

  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (seed != NULL && g_bytes_get_size (seed) == KOERS_SYNC_SEED_BYTES)
    return seed;
  g_clear_pointer (&seed, g_bytes_unref);
  unused = koers_office_new_team_chain (self, steunpunt_id, error);
  if (unused == NULL)
    return NULL;
  return koers_store_sync_get_setting (self->store, setting, error);
}

static gboolean
update_public (KoersOffice        *self,
               const char         *id,
               const KoersSyncKey *team,
               guint32             generation,
               GError            **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self->store,
    "UPDATE office_steunpunt SET team_public = ?, team_generation = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_blob (stmt, 1, koers_sync_key_get_public (team), KOERS_SYNC_PUBLIC_BYTES,
                     SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, generation);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  return koers_store_step_done (self->store, stmt, error);
}

/* In the caller's transaction: the current secret kept as generation
 * @current, the chain's next one made current. */
static gboolean
replace_team_key (KoersOffice *self,
                  const char  *id,
                  guint32      current,
                  GError     **error)
{
  g_autoptr(KoersSyncKey) old = koers_office_team_key (self, id, error);
  g_autoptr(GBytes) seed = old != NULL ? chain_seed (self, id, error) : NULL;
  g_autoptr(KoersSyncKey) next = NULL;
  g_autofree char *kept = older_setting (id, current);
  g_autofree char *setting = g_strconcat (KOERS_OFFICE_TEAM_SEED_PREFIX, id, NULL);

  if (seed == NULL)
    return FALSE;
  next = koers_team_key_from_chain (g_bytes_get_data (seed, NULL), current + 1);
  return save_secret (self, kept, koers_sync_key_get_seed (old), error)
         && save_secret (self, setting, koers_sync_key_get_seed (next), error)
         && update_public (self, id, next, current + 1, error);
}

gboolean
koers_office_rotate_team_key (KoersOffice  *self,
                              const char   *steunpunt,
                              guint32      *generation,
                              GError      **error)
{
  g_autofree char *id = NULL;
  guint32 current;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_OFFICE (self), FALSE);
  id = koers_office_find_steunpunt (self, steunpunt, error);
  if (id == NULL)
    return FALSE;
  current = generation_of (self, id);
  if (current == 0 || current >= KOERS_TEAM_KEY_LAST_GENERATION)
    {
      g_set_error (error, KOERS_OFFICE_ERROR, KOERS_OFFICE_ERROR_INVALID,
                   _("The steunpunt's team key cannot be replaced any more (generation %u)"), current);
      return FALSE;
    }
  if (!koers_store_write_begin (self->store, error))
    return FALSE;
  ok = replace_team_key (self, id, current, error);
  if (!koers_store_write_end (self->store, ok, error))
    return FALSE;
  if (generation != NULL)
    *generation = current + 1;
  return TRUE;
}
