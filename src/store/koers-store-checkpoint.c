/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checkpoints off the thread that saves. SQLite's automatic checkpoint
 * runs inside the commit that takes the WAL past 1000 frames: it copies
 * (decrypts and re-encrypts) every page in the WAL into the database and
 * syncs both, on the thread that saves — the app's main thread. The app's
 * session turns it off on its main connection and runs a passive
 * checkpoint on the reader's connection instead, once the WAL holds a few
 * hundred frames (koers_store_checkpoint_due()): a checkpoint after every
 * commit synced the database file each time and slowed the next saves,
 * which compete with it for the disk. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>

#include "koers-store-private.h"

/* The frames in the WAL after the last commit, kept as the store's object
 * data (one int) while the automatic checkpoint is off. */
#define WAL_FRAMES_KEY "koers-wal-frames"

/* SQLite's WAL hook, after each commit on the connection (its thread). */
static int
count_wal_frames (void       *data,
                  sqlite3    *db,
                  const char *schema,
                  int         n_frames)
{
  *(int *) data = n_frames;
  return SQLITE_OK;
}

gboolean
koers_store_set_auto_checkpoint (KoersStore  *self,
                                 gboolean     on,
                                 GError     **error)
{
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* 1000 frames is SQLite's default. */
  rc = sqlite3_wal_autocheckpoint (self->db, on ? 1000 : 0);
  if (rc != SQLITE_OK)
    {
      koers_store_set_sqlite_error (self, error, rc, _("setting up the write-ahead log"));
      return FALSE;
    }
  if (on)
    {
      g_object_set_data (G_OBJECT (self), WAL_FRAMES_KEY, NULL);
      return TRUE;
    }
  /* The automatic checkpoint is a WAL hook too: ours takes its place. */
  {
    int *frames = g_new0 (int, 1);

    g_object_set_data_full (G_OBJECT (self), WAL_FRAMES_KEY, frames, g_free);
    sqlite3_wal_hook (self->db, count_wal_frames, frames);
  }
  return TRUE;
}

gboolean
koers_store_checkpoint_due (KoersStore *self)
{
  int *frames;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);

  frames = g_object_get_data (G_OBJECT (self), WAL_FRAMES_KEY);
  /* Not counted (the automatic checkpoint is on): always. A passive
   * checkpoint that copied everything lets the next commit start the WAL
   * again from its beginning, so the count falls back. */
  return frames == NULL || *frames >= KOERS_STORE_CHECKPOINT_FRAMES;
}

gboolean
koers_store_checkpoint (KoersStore  *self,
                        GError     **error)
{
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Passive: copies what no reader still needs, waits for nobody and
   * blocks nobody; a writer on the main connection carries on. */
  rc = sqlite3_wal_checkpoint_v2 (self->db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      koers_store_set_sqlite_error (self, error, rc, _("copying saved changes into the vault"));
      return FALSE;
    }
  return TRUE;
}
