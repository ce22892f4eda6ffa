/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-arrivals.c: what the app needs to show what came from
 * colleagues' laptops (koers-store.h, "Showing what came from
 * colleagues"): a field's label and kind for a conflict's values, the
 * count of open conflicts, and the files changed elsewhere since a person
 * last opened them. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>

#include "koers-record-private.h"
#include "koers-store-private.h"

static const KoersField *
find_field (KoersEntity  kind,
            const char  *name)
{
  const KoersEntityInfo *info;

  if (kind >= KOERS_N_ENTITIES || name == NULL)
    return NULL;
  info = koers_entity_info (kind);
  for (guint i = 0; i < info->n_fields; i++)
    if (g_str_equal (info->fields[i].name, name))
      return &info->fields[i];
  return NULL;
}

static KoersValueKind
value_kind (const KoersField *field)
{
  switch (field->type)
    {
    case KOERS_FIELD_DATE:
      return KOERS_VALUE_DATE;
    case KOERS_FIELD_INT:
      return KOERS_VALUE_NUMBER;
    case KOERS_FIELD_BOOL:
      return KOERS_VALUE_YES_NO;
    case KOERS_FIELD_ENUM:
      return KOERS_VALUE_CHOICE;
    case KOERS_FIELD_COUNTRY:
      return KOERS_VALUE_COUNTRY;
    case KOERS_FIELD_REF:
      return KOERS_VALUE_RECORD;
    case KOERS_FIELD_LIST:
      return KOERS_VALUE_LIST;
    case KOERS_FIELD_TEXT:
    default:
      return KOERS_VALUE_TEXT;
    }
}

gboolean
koers_entity_describe_field (KoersEntity            kind,
                             const char            *field,
                             KoersFieldDescription *description)
{
  const KoersField *f = find_field (kind, field);

  g_return_val_if_fail (description != NULL, FALSE);

  if (f == NULL)
    return FALSE;
  description->label = _(f->label);
  description->kind = value_kind (f);
  /* A list of free texts or of a vocabulary refers to no record. */
  description->ref = f->type == KOERS_FIELD_REF || (f->type == KOERS_FIELD_LIST && f->values == NULL
                                                    && f->ref != 0)
                     ? (int) f->ref : -1;
  return TRUE;
}

int
koers_entity_read_choice (KoersEntity  kind,
                          const char  *field,
                          const char  *name)
{
  const KoersField *f = find_field (kind, field);

  if (f == NULL || f->type != KOERS_FIELD_ENUM || name == NULL)
    return -1;
  return koers_field_enum_value (f, name);
}

char **
koers_store_read_value (KoersStore *self,
                        const char *json)
{
  g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  /* json_each of a scalar gives that one value; of an array its items.
   * Text that is not JSON reads as nothing. */
  stmt = json != NULL ? koers_store_prepare (self,
    "SELECT type, value FROM json_each (CASE WHEN json_valid (?1) THEN ?1 ELSE 'null' END)",
    NULL) : NULL;
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *type = (const char *) sqlite3_column_text (stmt, 0);

          if (g_strcmp0 (type, "null") == 0 || g_strcmp0 (type, "object") == 0
              || g_strcmp0 (type, "array") == 0)
            continue;
          /* true and false have no value text of their own */
          g_strv_builder_add (parts, g_strcmp0 (type, "true") == 0 ? "true"
                                     : g_strcmp0 (type, "false") == 0 ? "false"
                                     : (const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
    }
  return g_strv_builder_end (parts);
}

gint64
koers_store_count_file_conflicts (KoersStore  *self,
                                  char       **first_client_id,
                                  GError     **error)
{
  sqlite3_stmt *stmt;
  gint64 count;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), -1);

  if (first_client_id != NULL)
    *first_client_id = NULL;
  stmt = koers_store_prepare (self,
    "SELECT count (*), (SELECT client_id FROM sync_conflict WHERE client_id IS NOT NULL"
    "                   ORDER BY id LIMIT 1)"
    " FROM sync_conflict WHERE client_id IS NOT NULL", error);
  if (stmt == NULL)
    return -1;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      koers_store_set_sqlite_error (self, error, rc, _("reading"));
      return -1;
    }
  count = sqlite3_column_int64 (stmt, 0);
  if (first_client_id != NULL && sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    *first_client_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);
  return count;
}

/* A merged change is audited with its origin (its stamp) when it arrives;
 * an opening has none. Both are seeks on audit_client (client_id, …). */
#define CHANGED_ELSEWHERE_SQL \
  "SELECT EXISTS (SELECT 1 FROM audit m WHERE m.client_id = ids.value AND m.origin IS NOT NULL" \
  "  AND m.seq > coalesce ((SELECT max (o.seq) FROM audit o WHERE o.client_id = ids.value" \
  "                          AND o.action = 'open' AND o.worker_id IS ?2), 0))" \
  " FROM json_each (?1) ids ORDER BY ids.key"

gboolean
koers_store_files_changed_elsewhere (KoersStore         *self,
                                     const char         *worker_id,
                                     const char *const  *client_ids,
                                     gboolean           *marks,
                                     GError            **error)
{
  g_autoptr(GString) ids = g_string_new ("[");
  sqlite3_stmt *stmt;
  guint n = 0;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (client_ids != NULL && marks != NULL, FALSE);

  for (guint i = 0; client_ids[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (ids, ',');
      koers_json_string (ids, client_ids[i]);
    }
  g_string_append_c (ids, ']');
  if ((stmt = koers_store_prepare (self, CHANGED_ELSEWHERE_SQL, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ids->str, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, worker_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    marks[n++] = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  koers_store_set_sqlite_error (self, error, rc, _("reading"));
  return FALSE;
}
