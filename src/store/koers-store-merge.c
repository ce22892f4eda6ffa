/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-merge.c: merging changes from other devices (the office's
 * import, the laptops' team sync) and the conflicts a person resolves.
 *
 * A merged change is logged as it came (its stamp, device and worker, the
 * device whose batch brought it in `origin`); then every record it touched
 * is brought up to date from its whole change log. Per field, the changes
 * form a graph by their bases: the current values (heads) are those no
 * known change names as its base. One head: that value. Several with
 * different values: a conflict, the highest stamp shown. So the state is a
 * function of the set of changes known, whatever order they came in. See
 * docs/case-model.md "Merge". */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "koers-store-private.h"
#include "koers-uuid.h"

#define FORMAT_ERROR(error, ...) \
  (g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FORMAT, __VA_ARGS__), FALSE)

/* JSON helpers ------------------------------------------------------------------------- */

/* A value from json_each/json_extract (its type and SQL value) as JSON. */
static char *
json_text (const char *type,
           const char *value)
{
  GString *out;

  if (type == NULL || g_str_equal (type, "null"))
    return g_strdup ("null");
  if (g_str_equal (type, "true") || g_str_equal (type, "false"))
    return g_strdup (type);
  if (!g_str_equal (type, "text"))
    return g_strdup (value);
  out = g_string_new (NULL);
  koers_json_string (out, value);
  return g_string_free (out, FALSE);
}

typedef void (*RowFunc) (sqlite3_stmt *stmt, gpointer data);

/* Steps the bound @stmt through its rows, handing each to @func, and
 * resets it; FALSE (with @error) when SQLite fails. */
static gboolean
for_each_row (KoersStore    *self,
              sqlite3_stmt  *stmt,
              RowFunc        func,
              gpointer       data,
              GError       **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (stmt, data);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  koers_store_set_sqlite_error (self, error, rc, _("reading"));
  return FALSE;
}

static void
add_pair (sqlite3_stmt *stmt,
          gpointer      pairs)
{
  g_ptr_array_add (pairs, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  g_ptr_array_add (pairs, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
}

/* The bases of a change: field -> stamps (a string, or an array of them
 * for a resolution), as (field, stamp) pairs. */
static gboolean
each_base (KoersStore  *self,
           const char  *json,
           GPtrArray  **pairs,
           GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT j.key, b.value FROM json_each (?1) j,"
    " json_each (CASE j.type WHEN 'array' THEN j.value ELSE json_array (j.value) END) b"
    " WHERE json_type (?1) = 'object' AND b.type = 'text'", error);

  *pairs = g_ptr_array_new_with_free_func (g_free);
  if (stmt == NULL)
    return FALSE;
  if (json == NULL)
    return TRUE;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  return for_each_row (self, stmt, add_pair, *pairs, error);
}

static void
append_stamp_array (GString *out,
                    GPtrArray *stamps)
{
  g_string_append_c (out, '[');
  for (guint i = 0; i < stamps->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      koers_json_string (out, stamps->pdata[i]);
    }
  g_string_append_c (out, ']');
}

/* A change ------------------------------------------------------------------------------ */

typedef struct
{
  char          *stamp;
  KoersHlcStamp  hlc;
  char          *device_id;
  char          *worker_id;
  KoersEntity    kind;
  char          *entity_id;
  char          *client_id;
  char          *op;
  char          *fields;    /* JSON object; NULL: a tombstone (or wiped by a purge) */
  char          *bases;     /* JSON object; NULL: an insert */
  char          *seq;       /* of a received line: its "seq" as SQL text (NULL: none) */
  GHashTable    *values;    /* field -> FieldValue (read from fields when needed) */
} Change;

static void
change_free (gpointer data)
{
  Change *c = data;

  g_free (c->stamp);
  g_free (c->device_id);
  g_free (c->worker_id);
  g_free (c->entity_id);
  g_free (c->client_id);
  g_free (c->op);
  g_free (c->fields);
  g_free (c->bases);
  g_free (c->seq);
  g_clear_pointer (&c->values, g_hash_table_unref);
  g_free (c);
}

/* "0001976f07e6a9fc:<uuid>": the HLC and the device. */
static gboolean
parse_stamp (const char     *stamp,
             KoersHlcStamp  *hlc,
             char          **device_id)
{
  if (stamp == NULL || strlen (stamp) < 18 || stamp[16] != ':' ||
      !koers_uuid_is_valid (stamp + 17))
    return FALSE;
  for (int i = 0; i < 16; i++)
    if (!g_ascii_isxdigit (stamp[i]) || g_ascii_isupper (stamp[i]))
      return FALSE;
  *hlc = g_ascii_strtoull (stamp, NULL, 16);
  *device_id = g_strdup (stamp + 17);
  return TRUE;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}

/* The members of one line, if it is a JSON object; the types of fields and
 * base are checked by the caller. One statement: SQLite parses the line
 * once for all of them (a line that is not JSON fails the step). */
static gboolean
read_line_members (KoersStore    *self,
                   const char    *line,
                   Change        *c,
                   char         **entity,
                   GError       **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT json_type (?1) = 'object',"
    " json_extract (?1, '$.stamp'), json_extract (?1, '$.worker_id'),"
    " json_extract (?1, '$.entity'), json_extract (?1, '$.entity_id'),"
    " json_extract (?1, '$.client_id'), json_extract (?1, '$.op'),"
    " CASE json_type (?1, '$.fields') WHEN 'object' THEN json_extract (?1, '$.fields') END,"
    " CASE json_type (?1, '$.base') WHEN 'object' THEN json_extract (?1, '$.base') END,"
    " coalesce (json_type (?1, '$.fields') NOT IN ('object', 'null'), 0)"
    "  OR coalesce (json_type (?1, '$.base') NOT IN ('object', 'null'), 0),"
    " json_extract (?1, '$.seq')", error);
  gboolean valid;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, line, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW || !sqlite3_column_int (stmt, 0))
    {
      sqlite3_reset (stmt);
      return FORMAT_ERROR (error, _("it is not a JSON object"));
    }
  c->stamp = column_dup (stmt, 1);
  c->worker_id = column_dup (stmt, 2);
  *entity = column_dup (stmt, 3);
  c->entity_id = column_dup (stmt, 4);
  c->client_id = column_dup (stmt, 5);
  c->op = column_dup (stmt, 6);
  c->fields = column_dup (stmt, 7);
  c->bases = column_dup (stmt, 8);
  valid = !sqlite3_column_int (stmt, 9);
  c->seq = column_dup (stmt, 10);
  sqlite3_reset (stmt);
  if (!valid)
    return FORMAT_ERROR (error, _("its fields or base are not a JSON object"));
  return TRUE;
}

/* Every field known to the entity, every value of the right kind: the
 * same reading as an import (koers_json_parse_record()). */
static gboolean
check_fields (KoersStore  *self,
              Change      *c,
              GError     **error)
{
  g_autoptr (GString) json = g_string_new ("{\"type\":");
  gpointer record = NULL;
  KoersEntity kind;

  koers_json_string (json, koers_entity_name (c->kind));
  g_string_append (json, ",\"id\":");
  koers_json_string (json, c->entity_id);
  if (c->fields != NULL && strlen (c->fields) > 2)
    {
      g_string_append_c (json, ',');
      g_string_append (json, c->fields + 1);
    }
  else
    g_string_append_c (json, '}');
  if (!koers_json_parse_record (self, json->str, &kind, &record, error))
    return FALSE;
  koers_record_free (kind, record);
  return TRUE;
}

static gboolean
check_bases (KoersStore  *self,
             Change      *c,
             GError     **error)
{
  g_autoptr (GPtrArray) pairs = NULL;
  KoersHlcStamp hlc;

  if (!each_base (self, c->bases, &pairs, error))
    return FALSE;
  for (guint i = 1; i < pairs->len; i += 2)
    {
      g_autofree char *device = NULL;
      if (!parse_stamp (pairs->pdata[i], &hlc, &device))
        return FORMAT_ERROR (error, _("a base is not a stamp"));
    }
  return TRUE;
}

static gboolean
is_id_or_null (const char *id)
{
  return id == NULL || koers_uuid_is_valid (id);
}

static Change *
parse_line (KoersStore  *self,
            const char  *line,
            GError     **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *entity = NULL;
  Change *c = g_new0 (Change, 1);
  gboolean ok;

  ok = read_line_members (self, line, c, &entity, &local);
  if (ok && !parse_stamp (c->stamp, &c->hlc, &c->device_id))
    ok = FORMAT_ERROR (&local, _("its stamp is not a stamp"));
  else if (ok && (entity == NULL || !koers_entity_from_name (entity, &c->kind)))
    ok = FORMAT_ERROR (&local, _("its entity is not a kind of record Koers knows"));
  else if (ok && (c->entity_id == NULL || !koers_uuid_is_valid (c->entity_id) ||
                  !is_id_or_null (c->client_id) || !is_id_or_null (c->worker_id)))
    ok = FORMAT_ERROR (&local, _("an id is not a record id"));
  else if (ok && !g_strv_contains ((const char *const[]) { "insert", "update", "delete", NULL },
                                   c->op ? c->op : ""))
    ok = FORMAT_ERROR (&local, _("its op is not insert, update or delete"));
  else if (ok && !g_str_equal (c->op, "delete") && c->fields == NULL)
    ok = FORMAT_ERROR (&local, _("it has no fields"));
  if (ok)
    ok = check_fields (self, c, &local) && check_bases (self, c, &local);
  if (ok)
    return c;
  change_free (c);
  g_propagate_error (error, g_steal_pointer (&local));
  return NULL;
}

/* The log ----------------------------------------------------------------------------------- */

static gboolean
is_known (KoersStore  *self,
          Change      *c,
          gboolean    *known,
          GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT 1 FROM change_log WHERE entity_id = ? AND entity = ? AND hlc = ? AND device_id = ?",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, c->entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, koers_entity_name (c->kind), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, (sqlite3_int64) c->hlc);
  sqlite3_bind_text (stmt, 4, c->device_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  *known = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  koers_store_set_sqlite_error (self, error, rc, _("reading"));
  return FALSE;
}

/* Logs @c (@origin NULL: made here) and audits it in its file. */
static gboolean
log_change (KoersStore  *self,
            Change      *c,
            const char  *origin,
            GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "INSERT INTO change_log (hlc, device_id, worker_id, entity, entity_id, client_id, op, fields,"
    " bases, origin, device_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?10,"
    " CASE WHEN ?10 IS NULL THEN " KOERS_NEXT_DEVICE_SEQ_SQL " END)", error);
  const char *action = "change";

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) c->hlc);
  sqlite3_bind_text (stmt, 2, c->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, c->worker_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, koers_entity_name (c->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, c->entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, c->client_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, c->op, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, c->fields, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, c->bases, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, origin, -1, SQLITE_STATIC);
  if (!koers_store_step_done (self, stmt, error))
    return FALSE;
  if (c->client_id == NULL)
    return TRUE;
  if (c->kind == KOERS_ENTITY_CLIENT && !g_str_equal (c->op, "update"))
    action = g_str_equal (c->op, "insert") ? "create" : "delete";
  stmt = koers_store_prepare (self,
    "INSERT INTO audit (at_ms, worker_id, action, client_id, entity, origin)"
    " VALUES (?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, koers_store_now_ms (self));
  sqlite3_bind_text (stmt, 2, c->worker_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, c->client_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, koers_entity_name (c->kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, origin != NULL ? c->stamp : NULL, -1, SQLITE_STATIC);
  return koers_store_step_done (self, stmt, error);
}

/* One row of a record's log (hlc, device_id, worker_id, client_id, op,
 * fields, bases) as a Change, without its kind and id. */
static void
add_logged_change (sqlite3_stmt *stmt,
                   gpointer      rows)
{
  Change *c = g_new0 (Change, 1);

  c->hlc = sqlite3_column_int64 (stmt, 0);
  c->device_id = column_dup (stmt, 1);
  c->stamp = koers_store_stamp_text (c->hlc, c->device_id);
  c->worker_id = column_dup (stmt, 2);
  c->client_id = column_dup (stmt, 3);
  c->op = column_dup (stmt, 4);
  c->fields = column_dup (stmt, 5);
  c->bases = column_dup (stmt, 6);
  g_ptr_array_add (rows, c);
}

/* A record's history, by stamp. */
static GPtrArray *
read_history (KoersStore  *self,
              KoersEntity  kind,
              const char  *id,
              GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT hlc, device_id, worker_id, client_id, op, fields, bases FROM change_log"
    " WHERE entity_id = ? AND entity = ? ORDER BY hlc, device_id", error);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (change_free);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, koers_entity_name (kind), -1, SQLITE_STATIC);
  if (!for_each_row (self, stmt, add_logged_change, rows, error))
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    {
      Change *c = g_ptr_array_index (rows, i);

      c->kind = kind;
      c->entity_id = g_strdup (id);
    }
  return g_steal_pointer (&rows);
}

/* The state of a record from its history -------------------------------------------------- */

typedef struct
{
  GPtrArray *heads;   /* Change *, by stamp (borrowed from rows) */
  Change    *winner;  /* the value shown */
  gboolean   conflict;
} FieldState;

typedef struct
{
  GPtrArray  *rows;       /* the history */
  Change     *genesis;    /* the first insert; NULL: none known */
  FieldState *fields;     /* per field of the entity */
  guint       n_fields;
  Change     *tombstone;  /* the newest tombstone no change undid */
  GPtrArray  *newer;      /* heads newer than it: deleted against edited */
  char       *client_id;
} RecordState;

static void
record_state_free (RecordState *s)
{
  for (guint i = 0; s->fields && i < s->n_fields; i++)
    g_clear_pointer (&s->fields[i].heads, g_ptr_array_unref);
  g_free (s->fields);
  g_clear_pointer (&s->newer, g_ptr_array_unref);
  g_clear_pointer (&s->rows, g_ptr_array_unref);
  g_free (s->client_id);
  g_free (s);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RecordState, record_state_free)

/* A value a change gave a field: as JSON (compared, shown in a conflict)
 * and as json_each read it (to fill the record shown, without writing it
 * out as JSON and reading it again). */
typedef struct
{
  char *json;
  char *type;
  char *value;
} FieldValue;

static void
field_value_free (gpointer data)
{
  FieldValue *v = data;

  g_free (v->json);
  g_free (v->type);
  g_free (v->value);
  g_free (v);
}

static void
add_field_value (sqlite3_stmt *stmt,
                 gpointer      values)
{
  FieldValue *v = g_new0 (FieldValue, 1);

  v->type = column_dup (stmt, 1);
  v->value = column_dup (stmt, 2);
  v->json = json_text (v->type, v->value);
  g_hash_table_insert (values, column_dup (stmt, 0), v);
}

/* The members of @c's fields (key -> FieldValue). */
static gboolean
read_values (KoersStore  *self,
             Change      *c,
             GError     **error)
{
  sqlite3_stmt *stmt;

  if (c->values != NULL)
    return TRUE;
  c->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, field_value_free);
  if (c->fields == NULL)
    return TRUE;
  stmt = koers_store_prepare (self,
    "SELECT key, type, value FROM json_each (?1) WHERE json_type (?1) = 'object'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, c->fields, -1, SQLITE_STATIC);
  return for_each_row (self, stmt, add_field_value, c->values, error);
}

/* The value @c gave @field as JSON; NULL if it did not set it. An insert
 * sets every field (those it left out to null). */
static const char *
value_of (Change     *c,
          const char *field)
{
  const FieldValue *v = g_hash_table_lookup (c->values, field);

  if (v == NULL && g_str_equal (c->op, "insert"))
    return "null";
  return v != NULL ? v->json : NULL;
}

/* Every stamp some change names as a base, per field ("*" included). */
static GHashTable *
superseded_stamps (KoersStore  *self,
                   GPtrArray   *rows,
                   GError     **error)
{
  g_autoptr (GHashTable) set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint r = 0; r < rows->len; r++)
    {
      Change *c = rows->pdata[r];
      g_autoptr (GPtrArray) pairs = NULL;

      if (!each_base (self, c->bases, &pairs, error))
        return NULL;
      for (guint i = 0; i + 1 < pairs->len; i += 2)
        g_hash_table_add (set, g_strdup_printf ("%s\n%s", (char *) pairs->pdata[i],
                                                (char *) pairs->pdata[i + 1]));
    }
  return g_steal_pointer (&set);
}

static gboolean
is_superseded (GHashTable *superseded,
               const char *field,
               const char *stamp)
{
  g_autofree char *key = g_strdup_printf ("%s\n%s", field, stamp);

  return g_hash_table_contains (superseded, key);
}

/* A tombstone is undone by a change that names it as a base (a conflict
 * resolved for the edit). */
static gboolean
is_undone (GHashTable *superseded,
           Change     *tombstone)
{
  return is_superseded (superseded, "*", tombstone->stamp);
}

static void
field_state (const KoersField *field,
             RecordState      *s,
             GHashTable       *superseded,
             FieldState       *fs)
{
  fs->heads = g_ptr_array_new ();
  for (guint r = 0; r < s->rows->len; r++)
    {
      Change *c = s->rows->pdata[r];

      if (g_str_equal (c->op, "delete") || (g_str_equal (c->op, "insert") && c != s->genesis))
        continue;
      if (value_of (c, field->name) == NULL || is_superseded (superseded, field->name, c->stamp))
        continue;
      g_ptr_array_add (fs->heads, c);
    }
  if (fs->heads->len == 0)
    g_ptr_array_add (fs->heads, s->genesis);
  /* the highest stamp is shown; notes, once stored, keep the first */
  fs->winner = (field->flags & KOERS_FIELD_APPEND_ONLY) ? fs->heads->pdata[0]
                                                        : g_ptr_array_index (fs->heads, fs->heads->len - 1);
  for (guint i = 1; i < fs->heads->len; i++)
    if (!g_str_equal (value_of (fs->heads->pdata[i], field->name),
                      value_of (fs->heads->pdata[0], field->name)))
      fs->conflict = TRUE;
}

static RecordState *
compute_state (KoersStore  *self,
               KoersEntity  kind,
               const char  *id,
               GError     **error)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  g_autoptr (RecordState) s = g_new0 (RecordState, 1);
  g_autoptr (GHashTable) superseded = NULL;

  if ((s->rows = read_history (self, kind, id, error)) == NULL ||
      (superseded = superseded_stamps (self, s->rows, error)) == NULL)
    return NULL;
  for (guint r = 0; r < s->rows->len; r++)
    {
      Change *c = s->rows->pdata[r];

      if (!read_values (self, c, error))
        return NULL;
      if (c->client_id != NULL && s->client_id == NULL)
        s->client_id = g_strdup (c->client_id);
      if (g_str_equal (c->op, "insert") && s->genesis == NULL)
        s->genesis = c;
      if (g_str_equal (c->op, "delete") && !is_undone (superseded, c))
        s->tombstone = c;
    }
  if (s->genesis == NULL)
    return g_steal_pointer (&s);
  s->n_fields = info->n_fields;
  s->fields = g_new0 (FieldState, info->n_fields);
  s->newer = g_ptr_array_new ();
  for (guint i = 0; i < info->n_fields; i++)
    {
      field_state (&info->fields[i], s, superseded, &s->fields[i]);
      for (guint h = 0; s->tombstone != NULL && h < s->fields[i].heads->len; h++)
        {
          Change *head = s->fields[i].heads->pdata[h];
          if (strcmp (head->stamp, s->tombstone->stamp) > 0 &&
              !g_ptr_array_find (s->newer, head, NULL))
            g_ptr_array_add (s->newer, head);
        }
    }
  return g_steal_pointer (&s);
}

/* Bringing the tables up to date ----------------------------------------------------------- */

typedef struct
{
  GPtrArray  *queue;   /* "kind:id" to bring up to date, in order */
  GHashTable *queued;
  guint       conflicts;
} Dirty;

static void
mark_dirty (Dirty       *dirty,
            KoersEntity  kind,
            const char  *id)
{
  char *key = g_strdup_printf ("%u:%s", kind, id);

  if (g_hash_table_contains (dirty->queued, key))
    {
      g_free (key);
      return;
    }
  g_hash_table_add (dirty->queued, key);
  g_ptr_array_add (dirty->queue, g_strdup (key));
}

static gboolean
set_orphan (KoersStore  *self,
            KoersEntity  kind,
            const char  *id,
            const char  *waiting_for,
            GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self, waiting_for != NULL
    ? "INSERT OR REPLACE INTO sync_orphan (entity_id, entity, waiting_for) VALUES (?, ?, ?)"
    : "DELETE FROM sync_orphan WHERE entity_id = ? AND entity = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, koers_entity_name (kind), -1, SQLITE_STATIC);
  if (waiting_for != NULL)
    sqlite3_bind_text (stmt, 3, waiting_for, -1, SQLITE_STATIC);
  return koers_store_step_done (self, stmt, error);
}

/* An orphan (entity, entity_id) whose parent came: merged again. */
static void
wake_orphan (sqlite3_stmt *stmt,
             gpointer      data)
{
  Dirty *dirty = data;
  KoersEntity kind;
  g_autofree char *key = NULL;

  if (!koers_entity_from_name ((const char *) sqlite3_column_text (stmt, 0), &kind))
    return;
  key = g_strdup_printf ("%u:%s", kind, sqlite3_column_text (stmt, 1));
  g_hash_table_remove (dirty->queued, key);  /* may come again */
  mark_dirty (dirty, kind, (const char *) sqlite3_column_text (stmt, 1));
}

/* Records that waited for @id come next. */
static gboolean
wake_orphans (KoersStore  *self,
              const char  *id,
              Dirty       *dirty,
              GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT entity, entity_id FROM sync_orphan WHERE waiting_for = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  return for_each_row (self, stmt, wake_orphan, dirty, error);
}

static gboolean
write_stamps (KoersStore   *self,
              KoersEntity   kind,
              const char   *id,
              RecordState  *s,
              GError      **error)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  g_autoptr (GString) stamps = g_string_new ("{");
  sqlite3_stmt *stmt;

  for (guint i = 0; i < info->n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (stamps, ',');
      koers_json_string (stamps, info->fields[i].name);
      g_string_append_c (stamps, ':');
      koers_json_string (stamps, s->fields[i].winner->stamp);
    }
  g_string_append_c (stamps, '}');
  stmt = koers_store_prepare (self,
    "INSERT OR REPLACE INTO record_stamp (entity_id, entity, stamps) VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, koers_entity_name (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, stamps->str, -1, SQLITE_STATIC);
  return koers_store_step_done (self, stmt, error);
}

/* Removes the row of a record and of those that cannot exist without it
 * (they wait for it: a restored record brings them back). */
static gboolean
remove_row (KoersStore  *self,
            KoersEntity  kind,
            const char  *id,
            const char  *waiting_for,
            GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?", koers_entity_name (kind));
  g_autoptr (GPtrArray) children = NULL;
  sqlite3_stmt *stmt;

  if (!koers_store_record_exists (self, kind, id))
    return TRUE;
  if ((children = koers_store_list_dependants (self, kind, id, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < children->len; i++)
    {
      const char *key = children->pdata[i];
      if (!remove_row (self, (KoersEntity) g_ascii_strtoull (key, NULL, 10),
                       strchr (key, ':') + 1, id, error))
        return FALSE;
    }
  if (!koers_store_update_index (self, kind, id, NULL, error) ||
      (stmt = koers_store_prepare (self, sql, error)) == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  return koers_store_step_done (self, stmt, error) &&
         set_orphan (self, kind, id, waiting_for, error);
}

/* The record the heads show, read as an import reads a line. */
static gpointer
shown_record (KoersStore   *self,
              KoersEntity   kind,
              const char   *id,
              RecordState  *s,
              GError      **error)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  gpointer record = g_malloc0 (info->size);

  *(char **) record = g_strdup (id);
  for (guint i = 0; i < info->n_fields; i++)
    {
      const KoersField *field = &info->fields[i];
      const FieldValue *v = g_hash_table_lookup (s->fields[i].winner->values, field->name);

      /* none: the insert left it out (null) */
      if (v != NULL && !koers_json_set_field (self, field, record, v->type, v->value, v->json, error))
        {
          koers_record_free (kind, record);
          return NULL;
        }
    }
  return record;
}

/* The first record @record refers to that is not here (NULL: none). */
static const char *
missing_reference (KoersStore    *self,
                   KoersEntity    kind,
                   gconstpointer  record)
{
  const KoersEntityInfo *info = koers_entity_info (kind);

  for (guint i = 0; i < info->n_fields; i++)
    {
      const KoersField *field = &info->fields[i];
      const char *ref;

      if (field->type != KOERS_FIELD_REF)
        continue;
      ref = *(char *const *) KOERS_FIELD_PTR (field, record);
      if (ref != NULL && !koers_store_record_exists (self, field->ref, ref))
        return ref;
    }
  return NULL;
}

/* Saved notes never change (the table's trigger): the first stored stays. */
static void
keep_stored_notes (KoersEntity    kind,
                   gpointer       record,
                   gconstpointer  stored)
{
  const KoersEntityInfo *info = koers_entity_info (kind);

  for (guint i = 0; stored != NULL && i < info->n_fields; i++)
    if ((info->fields[i].flags & KOERS_FIELD_APPEND_ONLY) &&
        koers_field_is_set (&info->fields[i], stored))
      koers_field_copy (&info->fields[i], record, stored);
}

static gboolean
write_shown (KoersStore   *self,
             KoersEntity   kind,
             const char   *id,
             RecordState  *s,
             Dirty        *dirty,
             GError      **error)
{
  gpointer record = shown_record (self, kind, id, s, error);
  gpointer stored = NULL;
  const char *missing;
  gboolean ok;

  if (record == NULL)
    return FALSE;
  stored = koers_store_get (self, kind, id, NULL);
  keep_stored_notes (kind, record, stored);
  if ((missing = missing_reference (self, kind, record)) != NULL)
    ok = set_orphan (self, kind, id, missing, error);   /* comes when it does */
  else
    ok = koers_store_write_record (self, kind, record, stored != NULL, error) &&
         koers_store_update_index (self, kind, id, record, error) &&
         write_stamps (self, kind, id, s, error) &&
         set_orphan (self, kind, id, NULL, error) &&
         (stored != NULL || wake_orphans (self, id, dirty, error));
  koers_record_free (kind, record);
  koers_record_free (kind, stored);
  return ok;
}

/* Conflicts ------------------------------------------------------------------------------------- */

static gboolean
put_conflict (KoersStore  *self,
              KoersEntity  kind,
              const char  *id,
              const char  *client_id,
              const char  *field,
              GPtrArray   *heads,
              const char  *shown,
              GError     **error)
{
  g_autoptr (GString) json = g_string_new (NULL);
  g_autoptr (GPtrArray) stamps = g_ptr_array_new ();
  sqlite3_stmt *stmt;

  for (guint i = 0; i < heads->len; i++)
    g_ptr_array_add (stamps, ((Change *) heads->pdata[i])->stamp);
  append_stamp_array (json, stamps);
  stmt = koers_store_prepare (self,
    "INSERT INTO sync_conflict (entity, entity_id, client_id, field, heads, shown)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (entity_id, entity, field) DO UPDATE"
    " SET client_id = ?3, heads = ?5, shown = ?6", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, koers_entity_name (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, client_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, field, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, json->str, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, shown, -1, SQLITE_STATIC);
  return koers_store_step_done (self, stmt, error);
}

/* Replaces the record's conflicts by those of @s. */
static gboolean
write_conflicts (KoersStore   *self,
                 KoersEntity   kind,
                 const char   *id,
                 RecordState  *s,
                 guint        *n_open,
                 GError      **error)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  g_autoptr (GPtrArray) open = g_ptr_array_new ();
  g_autoptr (GString) fields = g_string_new (NULL);
  sqlite3_stmt *stmt;

  if (s->tombstone != NULL && s->newer != NULL && s->newer->len > 0)
    {
      g_autoptr (GPtrArray) heads = g_ptr_array_copy (s->newer, NULL, NULL);
      g_ptr_array_insert (heads, 0, s->tombstone);
      if (!put_conflict (self, kind, id, s->client_id, "*", heads, s->tombstone->stamp, error))
        return FALSE;
      g_ptr_array_add (open, (gpointer) "*");
    }
  for (guint i = 0; s->tombstone == NULL && s->fields != NULL && i < info->n_fields; i++)
    {
      if (!s->fields[i].conflict)
        continue;
      if (!put_conflict (self, kind, id, s->client_id, info->fields[i].name, s->fields[i].heads,
                         s->fields[i].winner->stamp, error))
        return FALSE;
      g_ptr_array_add (open, (gpointer) info->fields[i].name);
    }
  append_stamp_array (fields, open);
  *n_open += open->len;
  stmt = koers_store_prepare (self,
    "DELETE FROM sync_conflict WHERE entity_id = ? AND entity = ?"
    " AND field NOT IN (SELECT value FROM json_each (?))", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, koers_entity_name (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, fields->str, -1, SQLITE_STATIC);
  return koers_store_step_done (self, stmt, error);
}

/* Brings one record's row, stamps, index entry and conflicts up to date
 * with its change log. */
static gboolean
bring_up_to_date (KoersStore  *self,
                  KoersEntity  kind,
                  const char  *id,
                  Dirty       *dirty,
                  GError     **error)
{
  g_autoptr (RecordState) s = compute_state (self, kind, id, error);

  if (s == NULL)
    return FALSE;
  if (s->genesis == NULL)
    return TRUE;  /* its insert has not arrived: it comes with it */
  if (!write_conflicts (self, kind, id, s, &dirty->conflicts, error))
    return FALSE;
  if (s->tombstone != NULL)
    return remove_row (self, kind, id, NULL, error) && set_orphan (self, kind, id, NULL, error);
  return write_shown (self, kind, id, s, dirty, error);
}

static gboolean
drain (KoersStore  *self,
       Dirty       *dirty,
       GError     **error)
{
  for (guint i = 0; i < dirty->queue->len; i++)
    {
      const char *key = dirty->queue->pdata[i];
      KoersEntity kind = (KoersEntity) g_ascii_strtoull (key, NULL, 10);

      if (!bring_up_to_date (self, kind, strchr (key, ':') + 1, dirty, error))
        return FALSE;
    }
  return TRUE;
}

static void
dirty_clear (Dirty *dirty)
{
  g_clear_pointer (&dirty->queue, g_ptr_array_unref);
  g_clear_pointer (&dirty->queued, g_hash_table_unref);
}

static void
dirty_init (Dirty *dirty)
{
  dirty->queue = g_ptr_array_new_with_free_func (g_free);
  dirty->queued = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  dirty->conflicts = 0;
}

/* Merging a batch ------------------------------------------------------------------------------- */

typedef struct
{
  const char         *origin;
  KoersMergeLineFunc  each_line;
  gpointer            each_line_data;
  Dirty               dirty;
  KoersMergeStats    *stats;
  KoersHlcStamp       newest;
} Merge;

static gboolean
merge_line (KoersStore  *self,
            const char  *line,
            guint        number,
            Merge       *m,
            GError     **error)
{
  g_autoptr (GError) local = NULL;
  Change *c = parse_line (self, line, &local);
  gboolean known = FALSE;
  gboolean ok;

  if (c == NULL)
    {
      g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FORMAT,
                   _("Line %u of the batch cannot be merged: %s."), number, local->message);
      return FALSE;
    }
  m->stats->changes++;
  m->newest = MAX (m->newest, c->hlc);
  ok = is_known (self, c, &known, error);
  if (ok && known)
    m->stats->known++;
  else if (ok)
    {
      ok = log_change (self, c, m->origin, error);
      mark_dirty (&m->dirty, c->kind, c->entity_id);
      m->stats->applied++;
      if (g_str_equal (c->op, "insert"))
        m->stats->inserted[c->kind]++;
      g_strlcpy (m->stats->last_worker_id, c->worker_id != NULL ? c->worker_id : "",
                 sizeof m->stats->last_worker_id);
    }
  ok = ok && (m->each_line == NULL || m->each_line (line, c->seq, m->each_line_data, error));
  change_free (c);
  return ok;
}

static gboolean
merge_lines (KoersStore  *self,
             GBytes      *lines,
             Merge       *m,
             GError     **error)
{
  gsize size;
  const char *data = g_bytes_get_data (lines, &size);
  g_autofree char *text = g_strndup (data ? data : "", size);
  g_auto (GStrv) split = NULL;
  gboolean ok = TRUE;

  if (strlen (text) != size)
    return FORMAT_ERROR (error, _("The batch holds a zero byte: it cannot be merged."));
  split = g_strsplit (text, "\n", -1);
  dirty_init (&m->dirty);
  for (guint i = 0; ok && split[i] != NULL; i++)
    if (split[i][0] != '\0')
      ok = merge_line (self, split[i], i + 1, m, error);
  ok = ok && drain (self, &m->dirty, error);
  m->stats->conflicts = m->dirty.conflicts;
  dirty_clear (&m->dirty);
  return ok && (m->newest == 0 || koers_store_receive_hlc (self, m->newest, error));
}

gboolean
koers_store_merge_changes_full (KoersStore          *self,
                                GBytes              *lines,
                                const char          *origin_device,
                                KoersMergeLineFunc   each_line,
                                gpointer             user_data,
                                KoersMergeStats     *stats,
                                GError             **error)
{
  KoersMergeStats local = { 0 };
  Merge m = { .origin = origin_device, .each_line = each_line, .each_line_data = user_data,
              .stats = &local };

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (lines != NULL && origin_device != NULL, FALSE);

  if (!koers_store_write_begin (self, error))
    return FALSE;
  if (!koers_store_write_end (self, merge_lines (self, lines, &m, error), error))
    return FALSE;
  if (stats != NULL)
    *stats = local;
  return TRUE;
}

gboolean
koers_store_merge_changes (KoersStore       *self,
                           GBytes           *lines,
                           const char       *origin_device,
                           KoersMergeStats  *stats,
                           GError          **error)
{
  return koers_store_merge_changes_full (self, lines, origin_device, NULL, NULL, stats, error);
}

/* Listing conflicts ---------------------------------------------------------------------------- */

void
koers_conflict_free (KoersConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->entity_id);
  g_free (conflict->client_id);
  g_free (conflict->field);
  g_clear_pointer (&conflict->values, g_ptr_array_unref);
  g_free (conflict);
}

static void
conflict_value_free (gpointer data)
{
  KoersConflictValue *v = data;

  g_free (v->stamp);
  g_free (v->value);
  g_free (v->worker_id);
  g_free (v->device_id);
  g_free (v);
}

/* One value of a conflict: the change with @stamp in @s's history. */
static KoersConflictValue *
conflict_value (RecordState *s,
                const char  *field,
                const char  *stamp,
                const char  *shown)
{
  for (guint r = 0; r < s->rows->len; r++)
    {
      Change *c = s->rows->pdata[r];
      KoersConflictValue *v;

      if (!g_str_equal (c->stamp, stamp))
        continue;
      v = g_new0 (KoersConflictValue, 1);
      v->stamp = g_strdup (stamp);
      v->value = g_str_equal (field, "*") && g_str_equal (c->op, "delete")
                   ? NULL : g_strdup (g_str_equal (field, "*") ? c->fields : value_of (c, field));
      v->worker_id = g_strdup (c->worker_id);
      v->device_id = g_strdup (c->device_id);
      v->at_ms = KOERS_HLC_WALL_MS (c->hlc);
      v->shown = g_str_equal (stamp, shown);
      return v;
    }
  return NULL;
}

static KoersConflict *
read_conflict (KoersStore    *self,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  g_autoptr (KoersConflict) conflict = g_new0 (KoersConflict, 1);
  g_autoptr (RecordState) s = NULL;
  g_autofree char *heads = column_dup (stmt, 5);
  g_autofree char *shown = column_dup (stmt, 6);
  g_autoptr (GPtrArray) pairs = NULL;
  g_autofree char *wrapped = NULL;

  conflict->id = sqlite3_column_int64 (stmt, 0);
  if (!koers_entity_from_name ((const char *) sqlite3_column_text (stmt, 1), &conflict->kind))
    {
      g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FORMAT,
                   _("A conflict names a kind of record Koers does not know."));
      return NULL;
    }
  conflict->entity_id = column_dup (stmt, 2);
  conflict->client_id = column_dup (stmt, 3);
  conflict->field = column_dup (stmt, 4);
  conflict->values = g_ptr_array_new_with_free_func (conflict_value_free);
  wrapped = g_strdup_printf ("{\"h\":%s}", heads);
  sqlite3_reset (stmt);
  if ((s = compute_state (self, conflict->kind, conflict->entity_id, error)) == NULL ||
      !each_base (self, wrapped, &pairs, error))
    return NULL;
  for (guint i = 1; i < pairs->len; i += 2)
    {
      KoersConflictValue *v = conflict_value (s, conflict->field, pairs->pdata[i], shown);
      if (v != NULL)
        g_ptr_array_add (conflict->values, v);
    }
  return g_steal_pointer (&conflict);
}

/* The conflicts the statement selects (id, entity, entity_id, client_id,
 * field, heads, shown), each with its values. Rows are read one at a time:
 * reading a conflict's history uses the store. */
static GPtrArray *
read_conflicts (KoersStore  *self,
                const char  *sql,
                const char  *arg,
                gint64       after,
                guint        max,
                GError     **error)
{
  g_autoptr (GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_conflict_free);

  while (conflicts->len < max)
    {
      sqlite3_stmt *stmt = koers_store_prepare (self, sql, error);
      KoersConflict *conflict;
      int rc;

      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, after);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          return g_steal_pointer (&conflicts);
        }
      if (rc != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          koers_store_set_sqlite_error (self, error, rc, _("reading"));
          return NULL;
        }
      after = sqlite3_column_int64 (stmt, 0);
      if ((conflict = read_conflict (self, stmt, error)) == NULL)
        return NULL;
      g_ptr_array_add (conflicts, conflict);
    }
  return g_steal_pointer (&conflicts);
}

#define CONFLICT_COLUMNS "SELECT id, entity, entity_id, client_id, field, heads, shown FROM sync_conflict"

GPtrArray *
koers_store_list_conflicts (KoersStore  *self,
                            const char  *client_id,
                            GError     **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  return read_conflicts (self, CONFLICT_COLUMNS
                         " WHERE (?1 IS NULL OR client_id = ?1) AND id > ?2 ORDER BY id LIMIT 1",
                         client_id, 0, G_MAXUINT, error);
}

/* Resolving ---------------------------------------------------------------------------------------- */

static KoersConflict *
get_conflict (KoersStore  *self,
              gint64       id,
              GError     **error)
{
  g_autoptr (GPtrArray) found = read_conflicts (self, CONFLICT_COLUMNS
                                                " WHERE ?1 IS NULL AND id = ?2", NULL, id, 1, error);

  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND,
                   _("This conflict does not exist (any more): it may have been resolved."));
      return NULL;
    }
  return g_ptr_array_steal_index (found, 0);
}

static KoersConflictValue *
chosen_value (KoersConflict  *conflict,
              const char     *take_stamp,
              GError        **error)
{
  for (guint i = 0; i < conflict->values->len; i++)
    {
      KoersConflictValue *v = conflict->values->pdata[i];
      if (take_stamp != NULL ? g_str_equal (v->stamp, take_stamp) : v->shown)
        return v;
    }
  g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID,
               _("Choose one of the values of this conflict."));
  return NULL;
}

/* For "deleted against edited", taking the edit: every field's shown
 * value again, based on all its heads and on the tombstone. */
static void
restore_change (KoersStore    *self,
                RecordState   *s,
                KoersConflict *conflict,
                GString       *fields,
                GString       *bases)
{
  const KoersEntityInfo *info = koers_entity_info (conflict->kind);
  g_autoptr (GPtrArray) stamps = g_ptr_array_new ();

  g_string_append_c (fields, '{');
  g_string_append (bases, "{\"*\":");
  for (guint i = 0; i < conflict->values->len; i++)
    g_ptr_array_add (stamps, ((KoersConflictValue *) conflict->values->pdata[i])->stamp);
  append_stamp_array (bases, stamps);
  for (guint i = 0; i < info->n_fields; i++)
    {
      FieldState *fs = &s->fields[i];

      if (i > 0)
        g_string_append_c (fields, ',');
      koers_json_string (fields, info->fields[i].name);
      g_string_append_c (fields, ':');
      g_string_append (fields, value_of (fs->winner, info->fields[i].name));
      g_string_append_c (bases, ',');
      koers_json_string (bases, info->fields[i].name);
      g_string_append_c (bases, ':');
      g_ptr_array_set_size (stamps, 0);
      for (guint h = 0; h < fs->heads->len; h++)
        g_ptr_array_add (stamps, ((Change *) fs->heads->pdata[h])->stamp);
      append_stamp_array (bases, stamps);
    }
  g_string_append_c (fields, '}');
  g_string_append_c (bases, '}');
}

/* The resolution as a change of this device: the chosen value, based on
 * every value of the conflict. */
static gboolean
resolution_change (KoersStore          *self,
                   KoersConflict       *conflict,
                   KoersConflictValue  *chosen,
                   Change              *c,
                   GError             **error)
{
  g_autoptr (GString) fields = g_string_new (NULL);
  g_autoptr (GString) bases = g_string_new (NULL);
  g_autoptr (GPtrArray) stamps = g_ptr_array_new ();
  g_autoptr (RecordState) s = NULL;

  c->op = g_strdup (chosen->value == NULL ? "delete" : "update");
  for (guint i = 0; i < conflict->values->len; i++)
    g_ptr_array_add (stamps, ((KoersConflictValue *) conflict->values->pdata[i])->stamp);
  if (g_str_equal (conflict->field, "*") && chosen->value != NULL)
    {
      if ((s = compute_state (self, conflict->kind, conflict->entity_id, error)) == NULL)
        return FALSE;
      restore_change (self, s, conflict, fields, bases);
    }
  else
    {
      g_string_append_c (bases, '{');
      koers_json_string (bases, conflict->field);
      g_string_append_c (bases, ':');
      append_stamp_array (bases, stamps);
      g_string_append_c (bases, '}');
      if (chosen->value != NULL)
        {
          g_string_append_c (fields, '{');
          koers_json_string (fields, conflict->field);
          g_string_append_printf (fields, ":%s}", chosen->value);
        }
    }
  c->fields = fields->len > 0 ? g_strdup (fields->str) : NULL;
  c->bases = g_strdup (bases->str);
  return TRUE;
}

static gboolean
resolve (KoersStore  *self,
         gint64       id,
         const char  *take_stamp,
         GError     **error)
{
  g_autoptr (KoersConflict) conflict = get_conflict (self, id, error);
  g_autofree char *audit_entity = NULL;
  KoersConflictValue *chosen;
  Change c = { 0 };
  Dirty dirty;
  gboolean ok;

  if (conflict == NULL || (chosen = chosen_value (conflict, take_stamp, error)) == NULL)
    return FALSE;
  c.kind = conflict->kind;
  c.entity_id = conflict->entity_id;
  c.client_id = conflict->client_id;
  c.worker_id = (char *) koers_store_get_current_worker (self);
  c.device_id = (char *) koers_store_get_device_id (self);
  c.hlc = koers_hlc_tick (&self->hlc, koers_store_now_ms (self));
  ok = resolution_change (self, conflict, chosen, &c, error) &&
       log_change (self, &c, NULL, error);
  g_free (c.op);
  g_free (c.fields);
  g_free (c.bases);
  if (!ok)
    return FALSE;
  dirty_init (&dirty);
  mark_dirty (&dirty, conflict->kind, conflict->entity_id);
  ok = drain (self, &dirty, error);
  dirty_clear (&dirty);
  audit_entity = g_strdup_printf ("resolved_%s", koers_entity_name (conflict->kind));
  return ok && (conflict->client_id == NULL ||
                koers_store_audit (self, "change", conflict->client_id, audit_entity, error));
}

gboolean
koers_store_resolve_conflict (KoersStore  *self,
                              gint64       id,
                              const char  *take_stamp,
                              GError     **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);

  if (!koers_store_write_begin (self, error))
    return FALSE;
  return koers_store_write_end (self, resolve (self, id, take_stamp, error), error);
}
