/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-export.c: a client's whole file for subject access (JSON and
 * Markdown), and the whole store as JSON Lines (docs/jsonl-format.md). */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "koers-client-file.h"
#include "koers-store-private.h"

#define JSONL_HEADER "{\"format\":\"koers-jsonl\",\"version\":1}"
/* docs/jsonl-format.md: a 10 MB note escaped stays well below it. */
#define KOERS_JSONL_MAX_LINE (64u << 20)
#define FORMAT_ERROR_NULL(error, ...) \
  (g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FORMAT, __VA_ARGS__), NULL)

/* The kinds whose parent is a record of @kind. */
static GArray *
child_kinds (KoersEntity kind)
{
  GArray *kinds = g_array_new (FALSE, FALSE, sizeof (KoersEntity));

  for (KoersEntity k = 0; k < KOERS_N_ENTITIES; k++)
    {
      const KoersEntityInfo *info = koers_entity_info (k);
      if (info->parent >= 0 && info->fields[info->parent].ref == kind)
        g_array_append_val (kinds, k);
    }
  return kinds;
}

/* The records of @child kind under the record @parent_id in @file
 * (borrowed), in the file's order. */
static GPtrArray *
file_children (const KoersClientFile *file,
               KoersEntity            child,
               const char            *parent_id)
{
  GPtrArray *records = g_ptr_array_new ();

  for (guint i = 0; i < file->conversations->len; i++)
    {
      KoersFileConversation *node = file->conversations->pdata[i];
      gboolean here = g_str_equal (node->conversation->id, parent_id);

      if (child == KOERS_ENTITY_CONVERSATION)
        g_ptr_array_add (records, node->conversation);
      else if (here && child == KOERS_ENTITY_NOTE_ADDENDUM)
        g_ptr_array_extend (records, node->addenda, NULL, NULL);
      else if (here && child == KOERS_ENTITY_NEXT_STEP)
        g_ptr_array_extend (records, node->next_steps, NULL, NULL);
    }
  for (guint i = 0; i < file->plans->len; i++)
    {
      KoersFilePlan *node = file->plans->pdata[i];
      gboolean here = g_str_equal (node->plan->id, parent_id);

      if (child == KOERS_ENTITY_RETURN_PLAN)
        g_ptr_array_add (records, node->plan);
      else if (here && child == KOERS_ENTITY_RETURN_STEP)
        g_ptr_array_extend (records, node->steps, NULL, NULL);
      else if (here && child == KOERS_ENTITY_SUPPORT_ITEM)
        g_ptr_array_extend (records, node->support_items, NULL, NULL);
      else if (here && child == KOERS_ENTITY_CHECKIN)
        g_ptr_array_extend (records, node->checkins, NULL, NULL);
    }
  if (child == KOERS_ENTITY_ALIAS)
    g_ptr_array_extend (records, file->aliases, NULL, NULL);
  else if (child == KOERS_ENTITY_FAMILY_LINK)
    g_ptr_array_extend (records, file->family_links, NULL, NULL);
  else if (child == KOERS_ENTITY_CONSENT)
    g_ptr_array_extend (records, file->consents, NULL, NULL);
  else if (child == KOERS_ENTITY_REFERRAL)
    g_ptr_array_extend (records, file->referrals, NULL, NULL);
  return records;
}

/* Subject access: JSON ---------------------------------------------------------- */

static void
file_json (const KoersClientFile *file,
           GString               *out,
           KoersEntity            kind,
           gconstpointer          record)
{
  g_autoptr (GArray) kinds = child_kinds (kind);

  g_string_append_c (out, '{');
  koers_json_record_fields (out, kind, record, TRUE);
  for (guint k = 0; k < kinds->len; k++)
    {
      KoersEntity child = g_array_index (kinds, KoersEntity, k);
      g_autoptr (GPtrArray) records = file_children (file, child, koers_record_get_id (record));

      g_string_append_printf (out, ",\"%s\":[", koers_entity_name (child));
      for (guint i = 0; i < records->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          file_json (file, out, child, records->pdata[i]);
        }
      g_string_append_c (out, ']');
    }
  g_string_append_c (out, '}');
}

static gboolean
audit_export (KoersStore  *self,
              const char  *client_id,
              GError     **error)
{
  if (!koers_store_write_begin (self, error))
    return FALSE;
  return koers_store_write_end (self, koers_store_audit (self, "export", client_id, "client", error),
                                error);
}

static gboolean
audit_document (KoersStore  *self,
                const char  *client_id,
                KoersEntity  what,
                const char  *medium,
                GError     **error)
{
  g_autoptr (KoersClient) client = NULL;
  g_autofree char *entity = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (client_id != NULL, FALSE);
  g_return_val_if_fail (what < KOERS_N_ENTITIES, FALSE);

  if ((client = koers_store_get_client (self, client_id, error)) == NULL)
    return FALSE;
  /* Schema 3 allows no 'print' action: a printout is an export on paper. */
  entity = g_strconcat (medium, "_", koers_entity_name (what), NULL);
  if (!koers_store_write_begin (self, error))
    return FALSE;
  return koers_store_write_end (self, koers_store_audit (self, "export", client_id, entity, error),
                                error);
}

gboolean
koers_store_audit_print (KoersStore  *self,
                         const char  *client_id,
                         KoersEntity  what,
                         GError     **error)
{
  return audit_document (self, client_id, what, "printed", error);
}

gboolean
koers_store_audit_print_to_file (KoersStore  *self,
                                 const char  *client_id,
                                 KoersEntity  what,
                                 GError     **error)
{
  return audit_document (self, client_id, what, "file", error);
}

char *
koers_store_export_client_json (KoersStore  *self,
                                const char  *client_id,
                                GError     **error)
{
  g_autoptr (KoersClientFile) file = NULL;
  g_autoptr (GString) out = g_string_new (NULL);

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  if ((file = koers_store_read_file (self, client_id, FALSE, error)) == NULL)
    return NULL;
  g_string_append (out, "{\"format\":\"koers-subject-access\",\"version\":1,\"file\":");
  file_json (file, out, KOERS_ENTITY_CLIENT, file->client);
  g_string_append (out, "}\n");
  if (!audit_export (self, client_id, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Subject access: a readable document ------------------------------------------------ */

/* The name of a referenced record (workers, organisations, clients all
 * have "name" as their first field). */
static char *
ref_name (KoersStore  *self,
          KoersEntity  kind,
          const char  *id)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  gpointer record = koers_store_get (self, kind, id, NULL);
  char *name = NULL;

  if (record == NULL)
    return g_strdup (_("(removed)"));
  if (g_str_equal (info->fields[0].name, "name"))
    name = g_strdup (*(char **) KOERS_FIELD_PTR (&info->fields[0], record));
  koers_record_free (kind, record);
  return name ? name : g_strdup (id);
}

static char *
field_text (KoersStore       *self,
            const KoersField *field,
            gconstpointer     record)
{
  gconstpointer p = KOERS_FIELD_PTR (field, record);

  switch (field->type)
    {
    case KOERS_FIELD_BOOL:
      return g_strdup (*(const int *) p ? _("yes") : _("no"));
    case KOERS_FIELD_INT:
      return g_strdup_printf ("%d", *(const int *) p);
    case KOERS_FIELD_ENUM:
      return g_strdelimit (g_strdup (koers_field_enum_name (field, *(const int *) p)), "_", ' ');
    case KOERS_FIELD_REF:
      return ref_name (self, field->ref, *(char *const *) p);
    case KOERS_FIELD_LIST:
      {
        char *const *items = *(char *const *const *) p;
        g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
        for (guint i = 0; items[i] != NULL; i++)
          g_ptr_array_add (names, field->ref ? ref_name (self, field->ref, items[i])
                                             : g_strdelimit (g_strdup (items[i]), "_", ' '));
        g_ptr_array_add (names, NULL);
        return g_strjoinv (", ", (char **) names->pdata);
      }
    default:
      return g_strdup (*(char *const *) p);
    }
}

static void
append_field (GString          *out,
              KoersStore       *self,
              const KoersField *field,
              gconstpointer     record)
{
  g_autofree char *text = field_text (self, field, record);

  if ((field->flags & KOERS_FIELD_MULTILINE) && strchr (text, '\n') != NULL)
    {
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
      g_string_append_printf (out, "- %s:\n\n", _(field->label));
      for (guint i = 0; lines[i] != NULL; i++)
        g_string_append_printf (out, "  > %s\n", lines[i]);
      g_string_append_c (out, '\n');
    }
  else
    g_string_append_printf (out, "- %s: %s\n", _(field->label), text);
}

static void
file_text (KoersStore            *self,
           const KoersClientFile *file,
           GString               *out,
           KoersEntity            kind,
           gconstpointer          record,
           guint                  level)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  g_autoptr (GArray) kinds = child_kinds (kind);
  g_autofree char *hashes = g_strnfill (MIN (level, 6), '#');
  g_autofree char *title = g_utf8_strup (_(info->label), 1);

  g_string_append_printf (out, "%s %s%s\n\n", hashes, title, g_utf8_next_char (_(info->label)));
  for (guint i = 0; i < info->n_fields; i++)
    if (!(info->fields[i].flags & KOERS_FIELD_PARENT) &&
        koers_field_is_set (&info->fields[i], record))
      append_field (out, self, &info->fields[i], record);
  g_string_append_c (out, '\n');
  for (guint k = 0; k < kinds->len; k++)
    {
      KoersEntity child = g_array_index (kinds, KoersEntity, k);
      g_autoptr (GPtrArray) records = file_children (file, child, koers_record_get_id (record));

      for (guint i = 0; i < records->len; i++)
        file_text (self, file, out, child, records->pdata[i], level + 1);
    }
}

char *
koers_store_export_client_text (KoersStore  *self,
                                const char  *client_id,
                                GError     **error)
{
  g_autoptr (KoersClientFile) file = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *today = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  if ((file = koers_store_read_file (self, client_id, FALSE, error)) == NULL)
    return NULL;
  today = koers_store_today (self);
  g_string_append_printf (out, _("# The file of %s\n\nEverything Koers holds about %s, as of %s.\n\n"),
                          file->client->name, file->client->name, today);
  file_text (self, file, out, KOERS_ENTITY_CLIENT, file->client, 2);
  if (!audit_export (self, client_id, error))
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* JSON Lines ---------------------------------------------------------------------------- */

static gboolean
write_line (GOutputStream  *out,
            GString        *line,
            GCancellable   *cancellable,
            GError        **error)
{
  g_string_append_c (line, '\n');
  return g_output_stream_write_all (out, line->str, line->len, NULL, cancellable, error);
}

static gboolean
export_kind (KoersStore     *self,
             KoersEntity     kind,
             GOutputStream  *out,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autofree char *columns = koers_store_columns (kind, NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s ORDER BY id", columns,
                                          koers_entity_name (kind));
  g_autoptr (GString) line = g_string_new (NULL);
  sqlite3_stmt *stmt = koers_store_prepare (self, sql, error);
  gboolean ok = stmt != NULL;
  int rc = SQLITE_DONE;

  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gpointer record = koers_store_read_record (self, kind, stmt, 0);
      g_string_assign (line, "{");
      koers_json_record_fields (line, kind, record, TRUE);
      g_string_append_c (line, '}');
      koers_record_free (kind, record);
      ok = write_line (out, line, cancellable, error);
    }
  if (stmt != NULL)
    sqlite3_reset (stmt);
  if (ok && rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self, error, rc, _("exporting"));
      return FALSE;
    }
  return ok;
}

/* An audit row for the whole store: who, when, how many client files;
 * never what they hold. */
static gboolean
audit_whole_store (KoersStore  *self,
                   const char  *action,
                   gint64       files,
                   GError     **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  if (!koers_store_write_begin (self, error))
    return FALSE;
  stmt = koers_store_prepare (self,
    "INSERT INTO audit (at_ms, worker_id, action, client_id, entity, files)"
    " VALUES (?, ?, ?, NULL, 'store', ?)", error);
  ok = stmt != NULL;
  if (ok)
    {
      sqlite3_bind_int64 (stmt, 1, koers_store_now_ms (self));
      sqlite3_bind_text (stmt, 2, koers_store_get_current_worker (self), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, action, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, files);
      ok = koers_store_step_done (self, stmt, error);
    }
  return koers_store_write_end (self, ok, error);
}

static gboolean
count_files (KoersStore  *self,
             gint64      *files,
             GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self, "SELECT count(*) FROM client", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    *files = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      koers_store_set_sqlite_error (self, error, rc, _("exporting"));
      return FALSE;
    }
  return TRUE;
}

gboolean
koers_store_export_jsonl (KoersStore     *self,
                          GOutputStream  *out,
                          GCancellable   *cancellable,
                          GError        **error)
{
  g_autoptr (GString) header = g_string_new (JSONL_HEADER);
  gint64 files = -1;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);

  /* One transaction: a consistent snapshot, and its audit row. */
  if (!koers_store_begin (self, error))
    return FALSE;
  ok = count_files (self, &files, error) && write_line (out, header, cancellable, error);
  for (KoersEntity k = 0; ok && k < KOERS_N_ENTITIES; k++)
    ok = export_kind (self, k, out, cancellable, error);
  if (ok)
    ok = audit_whole_store (self, "export", files, error);
  if (ok)
    {
      if (koers_store_commit (self, error))
        return TRUE;
    }
  else
    koers_store_rollback (self);
  /* It broke off, but part of it may be out there: record it all the same. */
  if (files >= 0 && !audit_whole_store (self, "export", files, NULL))
    g_warning ("An export that broke off could not be recorded in the audit");
  return FALSE;
}

static gboolean
import_line (KoersStore  *self,
             const char  *line,
             gint64      *files,
             GError     **error)
{
  KoersEntity kind;
  gpointer record = NULL;
  gboolean ok;

  if (!koers_json_parse_record (self, line, &kind, &record, error))
    return FALSE;
  ok = koers_store_insert (self, kind, record, error);
  koers_record_free (kind, record);
  if (ok && kind == KOERS_ENTITY_CLIENT)
    (*files)++;
  return ok;
}

/* The next line (without its LF), NULL at the end. A line longer than
 * KOERS_JSONL_MAX_LINE is refused while it is read, before it takes more
 * memory than that; bytes that are not UTF-8 (or a raw NUL) are refused
 * too. Errors do not name the line: the caller does. */
static char *
read_line (GBufferedInputStream  *in,
           GCancellable          *cancellable,
           GError               **error)
{
  gsize searched = 0;

  for (;;)
    {
      gsize avail;
      const char *buf = g_buffered_input_stream_peek_buffer (in, &avail);
      const char *nl = memchr (buf + searched, '\n', avail - searched);
      gsize len = nl ? (gsize) (nl - buf) : avail;
      gssize got;

      if (len > KOERS_JSONL_MAX_LINE)
        return FORMAT_ERROR_NULL (error, _("The line is longer than %u MiB."),
                                  KOERS_JSONL_MAX_LINE >> 20);
      if (nl == NULL)
        {
          searched = avail;
          if (avail == g_buffered_input_stream_get_buffer_size (in))
            g_buffered_input_stream_set_buffer_size (in, MIN (avail * 2, KOERS_JSONL_MAX_LINE + 1));
          if ((got = g_buffered_input_stream_fill (in, -1, cancellable, error)) < 0)
            return NULL;
          if (got > 0)
            continue;
          if (avail == 0)
            return NULL;  /* the end */
        }
      if (!g_utf8_validate_len (buf, len, NULL))
        return FORMAT_ERROR_NULL (error, _("The line is not UTF-8 text (or holds a NUL byte)."));
      {
        char *line = g_strndup (buf, len);

        if (!g_input_stream_skip (G_INPUT_STREAM (in), len + (nl != NULL), cancellable, error))
          g_clear_pointer (&line, g_free);
        return line;
      }
    }
}

static gboolean
import_lines (KoersStore            *self,
              GBufferedInputStream  *data,
              GCancellable          *cancellable,
              gint64                *files,
              GError               **error)
{
  guint number = 0;

  for (;;)
    {
      g_autoptr (GError) local = NULL;
      g_autofree char *line = read_line (data, cancellable, &local);

      if (local != NULL)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local), _("Line %u: "), number + 1);
          return FALSE;
        }
      if (line == NULL)
        return number > 0 ||
               (g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FORMAT,
                             _("The file is empty.")), FALSE);
      number++;
      if (number == 1 ? !g_str_equal (line, JSONL_HEADER)
                      : (*line != '\0' && !import_line (self, line, files, &local)))
        {
          if (local == NULL)
            g_set_error (&local, KOERS_STORE_ERROR, KOERS_STORE_ERROR_FORMAT,
                         _("This is not a Koers export (version 1)."));
          g_propagate_prefixed_error (error, g_steal_pointer (&local), _("Line %u: "), number);
          return FALSE;
        }
    }
}

gboolean
koers_store_import_jsonl (KoersStore     *self,
                          GInputStream   *in,
                          GCancellable   *cancellable,
                          GError        **error)
{
  g_autoptr (GBufferedInputStream) data = NULL;
  gint64 files = 0;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (in), FALSE);

  data = G_BUFFERED_INPUT_STREAM (g_buffered_input_stream_new_sized (in, 64 * 1024));
  if (!koers_store_begin (self, error))
    return FALSE;
  /* All or nothing, its audit row too. */
  if (!import_lines (self, data, cancellable, &files, error) ||
      !audit_whole_store (self, "import", files, error))
    {
      koers_store_rollback (self);
      return FALSE;
    }
  return koers_store_commit (self, error);
}
