/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-json.c: records to JSON with a fixed key order (the
 * descriptor order), and back, parsed by SQLite's JSON functions. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "koers-store-private.h"

#define FORMAT_ERROR(error, ...) \
  (g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FORMAT, __VA_ARGS__), FALSE)

void
koers_json_string (GString    *out,
                   const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      const guchar *run = p;

      /* long notes are mostly text that needs no escape: copy it whole */
      while (*p >= 0x20 && *p != '"' && *p != '\\')
        p++;
      if (p > run)
        g_string_append_len (out, (const char *) run, p - run);
      if (*p == '\0')
        break;
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\r': g_string_append (out, "\\r"); break;
        default:  /* another control character */
          g_string_append_printf (out, "\\u%04x", *p);
        }
    }
  g_string_append_c (out, '"');
}

void
koers_json_field_value (GString          *out,
                        const KoersField *field,
                        gconstpointer     record)
{
  gconstpointer p = KOERS_FIELD_PTR (field, record);

  if (!koers_field_is_set (field, record))
    g_string_append (out, "null");
  else if (field->type == KOERS_FIELD_LIST)
    {
      char *const *items = *(char *const *const *) p;
      g_string_append_c (out, '[');
      for (guint i = 0; items[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          koers_json_string (out, items[i]);
        }
      g_string_append_c (out, ']');
    }
  else if (field->type == KOERS_FIELD_BOOL)
    g_string_append (out, *(const int *) p ? "true" : "false");
  else if (field->type == KOERS_FIELD_INT)
    g_string_append_printf (out, "%d", *(const int *) p);
  else if (field->type == KOERS_FIELD_ENUM)
    koers_json_string (out, koers_field_enum_name (field, *(const int *) p));
  else
    koers_json_string (out, *(char *const *) p);
}

void
koers_json_record_fields (GString       *out,
                          KoersEntity    kind,
                          gconstpointer  record,
                          gboolean       with_type)
{
  const KoersEntityInfo *info = koers_entity_info (kind);

  if (with_type)
    {
      g_string_append (out, "\"type\":");
      koers_json_string (out, info->name);
      g_string_append_c (out, ',');
    }
  g_string_append (out, "\"id\":");
  koers_json_string (out, koers_record_get_id (record));
  for (guint i = 0; i < info->n_fields; i++)
    {
      if (!koers_field_is_set (&info->fields[i], record))
        continue;
      g_string_append_c (out, ',');
      koers_json_string (out, info->fields[i].name);
      g_string_append_c (out, ':');
      koers_json_field_value (out, &info->fields[i], record);
    }
}

/* Parsing ------------------------------------------------------------------------ */

/* An error names the line's kind of record and the field (from Koers's own
 * list, not from the file), never a value or a key from the file. */

char **
koers_store_parse_list (KoersStore *self,
                        const char *json)
{
  sqlite3_stmt *stmt = koers_store_prepare (self, "SELECT type, value FROM json_each (?)", NULL);
  GPtrArray *items = g_ptr_array_new ();

  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "text") == 0)
          g_ptr_array_add (items, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
      sqlite3_reset (stmt);
    }
  g_ptr_array_add (items, NULL);
  return (char **) g_ptr_array_free (items, FALSE);
}

typedef struct
{
  char *key;
  char *type;   /* json_each type: null, true, false, integer, real, text, array, object */
  char *value;
  gboolean has_nul;  /* a \u0000 in the text (or in a text of the list) */
} Member;

static void
member_free (gpointer data)
{
  Member *m = data;

  g_free (m->key);
  g_free (m->type);
  g_free (m->value);
  g_free (m);
}

/* Does raw JSON text (a string or an array of strings) hold \u0000?
 * Escapes are read in order, so "\\u0000" (a backslash, then u0000) is
 * not one. */
static gboolean
json_escapes_nul (const char *raw)
{
  for (const char *p = raw; p && *p; p++)
    if (*p == '\\')
      {
        if (g_str_has_prefix (p + 1, "u0000"))
          return TRUE;
        if (*++p == '\0')
          break;
      }
  return FALSE;
}

static GPtrArray *
read_members (KoersStore  *self,
              const char  *json,
              GError     **error)
{
  /* The value as written in the file, too: SQLite's JSON functions end
   * a string at \u0000, which would cut a name or a note short without a
   * word. Only text that holds "\u0000" somewhere can have one: other
   * text (nearly all) skips rendering every value a second time. */
  sqlite3_stmt *stmt = koers_store_prepare (self, json == NULL || strstr (json, "\\u0000") != NULL
    ? "SELECT key, type, value, CASE WHEN type IN ('text', 'array') THEN ?1 -> fullkey END"
      " FROM json_each (?1) WHERE json_type (?1) = 'object'"
    : "SELECT key, type, value, NULL FROM json_each (?1) WHERE json_type (?1) = 'object'",
    error);
  g_autoptr (GPtrArray) members = g_ptr_array_new_with_free_func (member_free);
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Member *m = g_new0 (Member, 1);
      m->key = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      m->type = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      m->value = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      m->has_nul = json_escapes_nul ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (members, m);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE || members->len == 0)
    {
      g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FORMAT,
                   _("A line is not a JSON object."));
      return NULL;
    }
  return g_steal_pointer (&members);
}

static gboolean
json_type_fits (const KoersField *field,
                const char       *type)
{
  switch (field->type)
    {
    case KOERS_FIELD_INT:
      return g_str_equal (type, "integer");
    case KOERS_FIELD_BOOL:
      return g_str_equal (type, "true") || g_str_equal (type, "false");
    case KOERS_FIELD_LIST:
      return g_str_equal (type, "array");
    default:
      return g_str_equal (type, "text");
    }
}

static gboolean
set_field (KoersStore        *self,
           const KoersField  *field,
           gpointer           record,
           const Member      *m,
           GError           **error)
{
  gpointer p = KOERS_FIELD_PTR (field, record);

  if (g_str_equal (m->type, "null"))
    return TRUE;
  if (m->has_nul)
    return FORMAT_ERROR (error, _("The field “%s” holds a NUL character (\\u0000)."), field->name);
  if (!json_type_fits (field, m->type))
    return FORMAT_ERROR (error, _("The field “%s” has the wrong kind of value."), field->name);
  koers_field_clear (field, record);
  if (field->type == KOERS_FIELD_LIST)
    *(char ***) p = koers_store_parse_list (self, m->value);
  else if (field->type == KOERS_FIELD_BOOL)
    *(int *) p = g_str_equal (m->type, "true");
  else if (field->type == KOERS_FIELD_INT)
    *(int *) p = (int) g_ascii_strtoll (m->value, NULL, 10);
  else if (field->type == KOERS_FIELD_ENUM)
    {
      if ((*(int *) p = koers_field_enum_value (field, m->value)) < 0)
        return FORMAT_ERROR (error, _("The field “%s” has a value Koers does not know."),
                             field->name);
    }
  else
    *(char **) p = g_strdup (m->value);
  return TRUE;
}

gboolean
koers_json_set_field (KoersStore        *self,
                      const KoersField  *field,
                      gpointer           record,
                      const char        *type,
                      const char        *value,
                      const char        *json,
                      GError           **error)
{
  Member m = { NULL, (char *) type, (char *) value, json_escapes_nul (json) };

  return set_field (self, field, record, &m, error);
}

static const KoersField *
find_field (const KoersEntityInfo *info,
            const char            *name)
{
  for (guint i = 0; i < info->n_fields; i++)
    if (g_str_equal (info->fields[i].name, name))
      return &info->fields[i];
  return NULL;
}

static gboolean
find_kind (GPtrArray   *members,
           KoersEntity *kind,
           GError     **error)
{
  for (guint i = 0; i < members->len; i++)
    {
      Member *m = members->pdata[i];
      if (!g_str_equal (m->key, "type"))
        continue;
      if (g_str_equal (m->type, "text") && koers_entity_from_name (m->value, kind))
        return TRUE;
      return FORMAT_ERROR (error, _("The “type” is not a kind of record Koers knows."));
    }
  return FORMAT_ERROR (error, _("A record has no “type”."));
}

static gboolean
fill_record (KoersStore   *self,
             KoersEntity   kind,
             GPtrArray    *members,
             gpointer      record,
             GError      **error)
{
  const KoersEntityInfo *info = koers_entity_info (kind);

  for (guint i = 0; i < members->len; i++)
    {
      Member *m = members->pdata[i];
      const KoersField *field;

      if (g_str_equal (m->key, "type"))
        continue;
      if (g_str_equal (m->key, "id") && m->has_nul)
        return FORMAT_ERROR (error, _("The field “%s” holds a NUL character (\\u0000)."), "id");
      if (g_str_equal (m->key, "id") && g_str_equal (m->type, "text"))
        {
          g_free (*(char **) record);
          *(char **) record = g_strdup (m->value);
          continue;
        }
      /* A referral's "outcome" became its "status" in schema 6. */
      if ((field = find_field (info, m->key)) == NULL && info->kind == KOERS_ENTITY_REFERRAL &&
          g_str_equal (m->key, "outcome"))
        field = find_field (info, "status");
      if (field == NULL)
        return FORMAT_ERROR (error, _("A %s has an unknown field."), info->name);
      if (!set_field (self, field, record, m, error))
        return FALSE;
    }
  /* An export holds whole stores: without its id, importing the file
   * twice would make every record twice. */
  if (koers_record_get_id (record) == NULL)
    return FORMAT_ERROR (error, _("A %s has no “id”: every record in the file needs its id."),
                         info->name);
  return TRUE;
}

gboolean
koers_json_parse_record (KoersStore   *self,
                         const char   *json,
                         KoersEntity  *kind,
                         gpointer     *record,
                         GError      **error)
{
  g_autoptr (GPtrArray) members = read_members (self, json, error);
  gpointer result;

  if (members == NULL || !find_kind (members, kind, error))
    return FALSE;
  result = g_malloc0 (koers_entity_info (*kind)->size);
  if (!fill_record (self, *kind, members, result, error))
    {
      koers_record_free (*kind, result);
      return FALSE;
    }
  *record = result;
  return TRUE;
}
