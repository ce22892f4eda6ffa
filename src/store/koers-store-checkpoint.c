/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Checkpoints off the thread that saves. SQLite's automatic checkpoint
 * runs inside the commit that takes the WAL past 1000 frames: it copies
 * (decrypts and re-encrypts) every page in the WAL into the database and
 * syncs both, on the thread that saves — the app's main thread. The app's
 * session turns it off on its main connection and runs a passive
 * checkpoint on the reader's connection after commits instead. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>

#include "koers-store-private.h"

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
  return TRUE;
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
