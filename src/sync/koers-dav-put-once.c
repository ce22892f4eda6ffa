/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Write-once upload on any standard WebDAV server: a PUT cannot be made
 * conditional everywhere (nginx ignores If-None-Match), but a MOVE with
 * Overwrite: F is refused with 412 by nginx, Apache and SabreDAV alike. */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "koers-dav-client-private.h"

static char *
join (const char *folder,
      const char *name)
{
  gsize len = strlen (folder);

  if (len == 0)
    return g_strdup (name);
  return g_strconcat (folder, folder[len - 1] == '/' ? "" : "/", name, NULL);
}

static char *
temporary_name (void)
{
  guint8 random[12];
  GString *name = g_string_new (KOERS_DAV_TEMP_PREFIX);

  for (guint i = 0; i < G_N_ELEMENTS (random); i++)
    random[i] = (guint8) g_random_int_range (0, 256);
  for (guint i = 0; i < G_N_ELEMENTS (random); i++)
    g_string_append_printf (name, "%02x", random[i]);
  return g_string_free (name, FALSE);
}

/* How servers answer a PUT into a folder that is not there: 409 (RFC 4918,
 * Apache), 404, or 500 (nginx fails to rename its body file into place). */
static gboolean
may_be_missing_folder (KoersDavClient *client,
                       const GError   *error)
{
  return g_error_matches (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_CONFLICT)
         || g_error_matches (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_FOUND)
         || (g_error_matches (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_SERVER_BUSY)
             && koers_dav_client_get_last_status (client) == 500);
}

/* PUT; a folder that vanished since it was made (the office emptied the
 * drop) is made again and the PUT tried once more. */
static gboolean
put_in_folder (KoersDavClient *client,
               const char     *folder,
               const char     *path,
               GBytes         *body,
               GCancellable   *cancellable,
               GError        **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!koers_dav_client_make_folder (client, folder, cancellable, error))
    return FALSE;
  if (koers_dav_client_put (client, path, body, cancellable, &local_error))
    return TRUE;
  if (!may_be_missing_folder (client, local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  koers_dav_client_forget_folders (client);
  return koers_dav_client_make_folder (client, folder, cancellable, error)
         && koers_dav_client_put (client, path, body, cancellable, error);
}

/* 412: the name is taken. By our own earlier try (equal bytes) or not. */
static gboolean
compare_existing (KoersDavClient *client,
                  const char     *path,
                  GBytes         *body,
                  gboolean       *already_there,
                  GCancellable   *cancellable,
                  GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) existing = koers_dav_client_get (client, path, g_bytes_get_size (body),
                                                     cancellable, &local_error);

  if (existing == NULL && !g_error_matches (local_error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_RESPONSE_TOO_LARGE))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing != NULL && g_bytes_equal (existing, body))
    {
      *already_there = TRUE;
      return TRUE;
    }
  g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NAME_TAKEN,
                       _("Another file already has this batch’s name on the office’s server. The batch is kept aside and the next ones go on; tell the office."));
  return FALSE;
}

gboolean
koers_dav_put_once (KoersDavClient *client,
                    const char     *folder,
                    const char     *name,
                    GBytes         *body,
                    gboolean       *already_there,
                    GCancellable   *cancellable,
                    GError        **error)
{
  g_autofree char *temporary_leaf = temporary_name ();
  g_autofree char *temporary = NULL;
  g_autofree char *final_path = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean unused = FALSE;

  g_return_val_if_fail (KOERS_IS_DAV_CLIENT (client), FALSE);
  g_return_val_if_fail (folder != NULL && name != NULL && body != NULL, FALSE);
  g_return_val_if_fail (name[0] != '\0' && strchr (name, '/') == NULL, FALSE);
  g_return_val_if_fail (!g_str_has_prefix (name, KOERS_DAV_TEMP_PREFIX), FALSE);

  if (already_there == NULL)
    already_there = &unused;
  *already_there = FALSE;
  temporary = join (folder, temporary_leaf);
  final_path = join (folder, name);
  if (!put_in_folder (client, folder, temporary, body, cancellable, error))
    return FALSE;
  if (koers_dav_client_move (client, temporary, final_path, cancellable, &local_error))
    return TRUE;
  /* Any other failure leaves the temporary file to remove_leftovers next
   * round: no second request now on a failing link, and never a second
   * 401 (Nextcloud throttles failed logins). */
  if (!g_error_matches (local_error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!koers_dav_client_delete (client, temporary, cancellable, NULL))
    g_debug ("a temporary upload is left for the next round");
  return compare_existing (client, final_path, body, already_there, cancellable, error);
}

gboolean
koers_dav_remove_leftovers (KoersDavClient *client,
                            const char     *folder,
                            guint          *n_removed,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) local_error = NULL;
  guint removed = 0;

  g_return_val_if_fail (KOERS_IS_DAV_CLIENT (client), FALSE);
  g_return_val_if_fail (folder != NULL, FALSE);

  if (n_removed != NULL)
    *n_removed = 0;
  entries = koers_dav_client_list (client, folder, cancellable, &local_error);
  if (entries == NULL)
    {
      if (g_error_matches (local_error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      KoersDavEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *path = NULL;

      if (entry->is_folder || !g_str_has_prefix (entry->name, KOERS_DAV_TEMP_PREFIX))
        continue;
      path = join (folder, entry->name);
      if (!koers_dav_client_delete (client, path, cancellable, error))
        return FALSE;
      removed++;
    }
  if (n_removed != NULL)
    *n_removed = removed;
  return TRUE;
}
