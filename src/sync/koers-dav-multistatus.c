/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-sync"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "koers-dav-error.h"
#include "koers-dav-multistatus.h"

/* Caps: a drop folder holds batches of one device, not millions. */
#define MAX_DEPTH   32
#define MAX_ENTRIES 100000
#define MAX_TEXT    8192

typedef struct
{
  char *prefix;  /* "" for the default namespace */
  char *uri;
  guint depth;
} Binding;

typedef struct
{
  const char *folder;    /* decoded, no trailing '/' */
  GPtrArray  *bindings;  /* of Binding */
  GPtrArray  *names;     /* DAV: local name per open element, "" if foreign */
  GString    *text;
  char       *href;
  gint64      size;
  gboolean    is_folder;
  GPtrArray  *entries;
} Reader;

void
koers_dav_entry_free (KoersDavEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry);
}

static void
binding_free (gpointer data)
{
  Binding *binding = data;

  g_free (binding->prefix);
  g_free (binding->uri);
  g_free (binding);
}

static void
bind_namespaces (Reader      *reader,
                 const char **attribute_names,
                 const char **attribute_values)
{
  for (guint i = 0; attribute_names[i] != NULL; i++)
    {
      const char *prefix = NULL;
      Binding *binding;

      if (strcmp (attribute_names[i], "xmlns") == 0)
        prefix = "";
      else if (g_str_has_prefix (attribute_names[i], "xmlns:"))
        prefix = attribute_names[i] + strlen ("xmlns:");
      else
        continue;
      binding = g_new0 (Binding, 1);
      binding->prefix = g_strdup (prefix);
      binding->uri = g_strdup (attribute_values[i]);
      binding->depth = reader->names->len;
      g_ptr_array_add (reader->bindings, binding);
    }
}

static const char *
namespace_of (Reader     *reader,
              const char *prefix)
{
  for (guint i = reader->bindings->len; i > 0; i--)
    {
      Binding *binding = g_ptr_array_index (reader->bindings, i - 1);

      if (strcmp (binding->prefix, prefix) == 0)
        return binding->uri;
    }
  return NULL;
}

/* The local name of a DAV: element, or "" for any other namespace. */
static char *
dav_local_name (Reader     *reader,
                const char *element_name)
{
  const char *colon = strchr (element_name, ':');
  g_autofree char *prefix = colon ? g_strndup (element_name, colon - element_name) : g_strdup ("");
  const char *local = colon ? colon + 1 : element_name;

  if (g_strcmp0 (namespace_of (reader, prefix), "DAV:") != 0)
    return g_strdup ("");
  return g_strdup (local);
}

static const char *
open_name (Reader *reader,
           guint   from_top)
{
  if (reader->names->len <= from_top)
    return "";
  return g_ptr_array_index (reader->names, reader->names->len - 1 - from_top);
}

static void
start_element (GMarkupParseContext  *context,
               const char           *element_name,
               const char          **attribute_names,
               const char          **attribute_values,
               gpointer              user_data,
               GError              **error)
{
  Reader *reader = user_data;
  char *name;

  if (reader->names->len >= MAX_DEPTH)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "nested too deeply");
      return;
    }
  bind_namespaces (reader, attribute_names, attribute_values);
  name = dav_local_name (reader, element_name);
  if (reader->names->len == 0 && strcmp (name, "multistatus") != 0)
    {
      g_free (name);
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "not a multistatus");
      return;
    }
  g_ptr_array_add (reader->names, name);
  g_string_truncate (reader->text, 0);
  if (strcmp (name, "response") == 0)
    {
      g_clear_pointer (&reader->href, g_free);
      reader->size = -1;
      reader->is_folder = FALSE;
    }
  else if (strcmp (name, "collection") == 0 && strcmp (open_name (reader, 1), "resourcetype") == 0)
    reader->is_folder = TRUE;
}

static void
text (GMarkupParseContext  *context,
      const char           *text_value,
      gsize                 text_len,
      gpointer              user_data,
      GError              **error)
{
  Reader *reader = user_data;
  const char *name = open_name (reader, 0);

  if (strcmp (name, "href") != 0 && strcmp (name, "getcontentlength") != 0)
    return;
  if (reader->text->len + text_len > MAX_TEXT)
    {
      g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "text too long");
      return;
    }
  g_string_append_len (reader->text, text_value, text_len);
}

/* The decoded path of an href: a path, or an absolute URL on any host. */
static char *
href_path (const char *href)
{
  const char *path = href;
  const char *scheme_end = strstr (href, "://");

  if (scheme_end != NULL && (g_str_has_prefix (href, "https://") || g_str_has_prefix (href, "http://")))
    {
      path = strchr (scheme_end + 3, '/');
      if (path == NULL)
        return NULL;
    }
  if (path[0] != '/')
    return NULL;
  return g_uri_unescape_string (path, "/");
}

static char *
strip_slashes (char *path)
{
  gsize len = strlen (path);

  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';
  return path;
}

static void
finish_response (Reader *reader)
{
  g_autofree char *path = NULL;
  const char *slash;
  KoersDavEntry *entry;

  if (reader->href == NULL || (path = href_path (reader->href)) == NULL)
    return;
  strip_slashes (path);
  slash = strrchr (path, '/');
  if (slash == NULL || !g_utf8_validate (path, -1, NULL))
    return;
  /* Only children of the folder asked for; not the folder itself. */
  if ((gsize) (slash - path) != strlen (reader->folder) || strncmp (path, reader->folder, slash - path) != 0)
    return;
  if (slash[1] == '\0' || strcmp (slash + 1, ".") == 0 || strcmp (slash + 1, "..") == 0)
    return;
  entry = g_new0 (KoersDavEntry, 1);
  entry->name = g_strdup (slash + 1);
  entry->size = reader->size;
  entry->is_folder = reader->is_folder;
  g_ptr_array_add (reader->entries, entry);
}

static void
end_element (GMarkupParseContext  *context,
             const char           *element_name,
             gpointer              user_data,
             GError              **error)
{
  Reader *reader = user_data;
  const char *name = open_name (reader, 0);
  guint depth = reader->names->len;

  if (strcmp (name, "href") == 0 && strcmp (open_name (reader, 1), "response") == 0)
    {
      g_free (reader->href);
      reader->href = g_strstrip (g_strdup (reader->text->str));
    }
  else if (strcmp (name, "getcontentlength") == 0)
    {
      guint64 size;

      if (g_ascii_string_to_unsigned (g_strstrip (reader->text->str), 10, 0, G_MAXINT64, &size, NULL))
        reader->size = (gint64) size;
    }
  else if (strcmp (name, "response") == 0)
    {
      if (reader->entries->len >= MAX_ENTRIES)
        {
          g_set_error_literal (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "too many entries");
          return;
        }
      finish_response (reader);
    }
  while (reader->bindings->len > 0
         && ((Binding *) g_ptr_array_index (reader->bindings, reader->bindings->len - 1))->depth == depth - 1)
    g_ptr_array_remove_index (reader->bindings, reader->bindings->len - 1);
  g_ptr_array_remove_index (reader->names, depth - 1);
  g_string_truncate (reader->text, 0);
}

GPtrArray *
koers_dav_multistatus_parse (const char  *body,
                             gsize        length,
                             const char  *folder_path,
                             GError     **error)
{
  static const GMarkupParser parser = { start_element, end_element, text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_dav_entry_free);
  g_autoptr(GPtrArray) bindings = g_ptr_array_new_with_free_func (binding_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text_buffer = g_string_new (NULL);
  g_autofree char *folder = strip_slashes (g_strdup (folder_path));
  Reader reader = { folder, bindings, names, text_buffer, NULL, -1, FALSE, entries };
  gboolean ok;

  g_return_val_if_fail (body != NULL || length == 0, NULL);
  g_return_val_if_fail (folder_path != NULL, NULL);

  context = g_markup_parse_context_new (&parser, G_MARKUP_PREFIX_ERROR_POSITION, &reader, NULL);
  ok = g_markup_parse_context_parse (context, body, length, &local_error)
       && g_markup_parse_context_end_parse (context, &local_error);
  g_free (reader.href);
  if (!ok)
    {
      g_debug ("unreadable folder listing: %s", local_error->message);
      g_set_error_literal (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_PROTOCOL,
                           _("The office’s server sent a folder listing Koers cannot read. Ask the office to check the server."));
      return NULL;
    }
  return g_steal_pointer (&entries);
}
