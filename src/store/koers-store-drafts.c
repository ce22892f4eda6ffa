/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-drafts.c: the conversation editor's autosave, in the vault.
 *
 * Drafts are local to this device: these writes lift the store's guard the
 * way every store write does (koers_store_write_begin/_end), but they log
 * no change (nothing to sync) and no audit entry (not part of the file). */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include "koers-drafts.h"
#include "koers-store-private.h"

static const char *
conversation_key (const char *conversation_id)
{
  return conversation_id != NULL ? conversation_id : "";
}

gboolean
koers_store_save_draft (KoersStore  *self,
                        const char  *client_id,
                        const char  *conversation_id,
                        const char  *content,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (client_id != NULL, FALSE);
  g_return_val_if_fail (content != NULL, FALSE);

  if (!koers_store_write_begin (self, error))
    return FALSE;
  stmt = koers_store_prepare (self,
                              "INSERT OR REPLACE INTO draft (client_id, conversation_id, saved_ms, content) "
                              "VALUES (?, ?, ?, ?)",
                              error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, conversation_key (conversation_id), -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, koers_store_now_ms (self));
      sqlite3_bind_text (stmt, 4, content, -1, SQLITE_STATIC);
      ok = koers_store_step_done (self, stmt, error);
    }
  return koers_store_write_end (self, ok, error);
}

char *
koers_store_load_draft (KoersStore  *self,
                        const char  *client_id,
                        const char  *conversation_id,
                        gint64      *saved_ms,
                        GError     **error)
{
  sqlite3_stmt *stmt;
  char *content = NULL;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (client_id != NULL, NULL);

  stmt = koers_store_prepare (self,
                              "SELECT content, saved_ms FROM draft "
                              "WHERE client_id = ? AND conversation_id = ?",
                              error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, conversation_key (conversation_id), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      content = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (saved_ms != NULL)
        *saved_ms = sqlite3_column_int64 (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    koers_store_set_sqlite_error (self, error, rc, "draft");
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return content;
}

gboolean
koers_store_discard_draft (KoersStore  *self,
                           const char  *client_id,
                           const char  *conversation_id,
                           GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (client_id != NULL, FALSE);

  if (!koers_store_write_begin (self, error))
    return FALSE;
  stmt = koers_store_prepare (self, "DELETE FROM draft WHERE client_id = ? AND conversation_id = ?",
                              error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, conversation_key (conversation_id), -1, SQLITE_STATIC);
      ok = koers_store_step_done (self, stmt, error);
    }
  return koers_store_write_end (self, ok, error);
}
