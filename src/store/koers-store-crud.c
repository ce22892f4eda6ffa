/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-crud.c: one generic create/read/update/delete for every
 * entity, driven by the descriptors in koers-record.c: validation, consent,
 * the change log and the audit happen here and only here. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "koers-country.h"
#include "koers-store-hour-private.h"
#include "koers-uuid.h"

#define INVALID(error, ...) \
  (g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID, __VA_ARGS__), FALSE)

/* SQL ---------------------------------------------------------------------------- */

char *
koers_store_columns (KoersEntity  kind,
                     const char  *alias)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  g_autofree char *prefix = alias ? g_strconcat (alias, ".", NULL) : g_strdup ("");
  GString *sql = g_string_new (NULL);

  g_string_append_printf (sql, "%sid", prefix);
  for (guint i = 0; i < info->n_fields; i++)
    g_string_append_printf (sql, ", %s%s", prefix, info->fields[i].name);
  return g_string_free (sql, FALSE);
}

static char *
select_sql (KoersEntity  kind,
            const char  *where)
{
  g_autofree char *columns = koers_store_columns (kind, NULL);

  return g_strdup_printf ("SELECT %s FROM %s %s ORDER BY id", columns,
                          koers_entity_name (kind), where);
}

static char *
list_to_json (char **items)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      koers_json_string (json, items[i]);
    }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static void
bind_field (sqlite3_stmt     *stmt,
            int               index,
            const KoersField *field,
            gconstpointer     record)
{
  gconstpointer p = KOERS_FIELD_PTR (field, record);

  if (!koers_field_is_set (field, record))
    sqlite3_bind_null (stmt, index);
  else if (field->type == KOERS_FIELD_LIST)
    sqlite3_bind_text (stmt, index, list_to_json (*(char **const *) p), -1, g_free);
  else if (field->type == KOERS_FIELD_ENUM)
    sqlite3_bind_text (stmt, index, koers_field_enum_name (field, *(const int *) p), -1,
                       SQLITE_STATIC);
  else if (field->type == KOERS_FIELD_INT || field->type == KOERS_FIELD_BOOL)
    sqlite3_bind_int (stmt, index, field->type == KOERS_FIELD_BOOL ? !!*(const int *) p
                                                                   : *(const int *) p);
  else
    sqlite3_bind_text (stmt, index, *(char *const *) p, -1, SQLITE_STATIC);
}

static void
read_field (KoersStore       *self,
            sqlite3_stmt     *stmt,
            int               col,
            const KoersField *field,
            gpointer          record)
{
  gpointer p = KOERS_FIELD_PTR (field, record);
  const char *text = (const char *) sqlite3_column_text (stmt, col);

  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return;
  if (field->type == KOERS_FIELD_LIST)
    *(char ***) p = koers_store_parse_list (self, text);
  else if (field->type == KOERS_FIELD_ENUM)
    *(int *) p = MAX (koers_field_enum_value (field, text), 0);
  else if (field->type == KOERS_FIELD_INT || field->type == KOERS_FIELD_BOOL)
    *(int *) p = sqlite3_column_int (stmt, col);
  else
    *(char **) p = g_strdup (text);
}

gpointer
koers_store_read_record (KoersStore   *self,
                         KoersEntity   kind,
                         sqlite3_stmt *stmt,
                         int           first)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  gpointer record = g_malloc0 (info->size);

  *(char **) record = g_strdup ((const char *) sqlite3_column_text (stmt, first));
  for (guint i = 0; i < info->n_fields; i++)
    read_field (self, stmt, first + 1 + i, &info->fields[i], record);
  return record;
}

/* Validation ------------------------------------------------------------------------ */

/* Messages name the field, never the value: a date of birth, a name or a
 * line of an import file must not end up on stderr or in a toast. */

static gboolean
record_exists (KoersStore  *self,
               KoersEntity  kind,
               const char  *id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM %s WHERE id = ?", koers_entity_name (kind));
  sqlite3_stmt *stmt = koers_store_prepare (self, sql, NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

static gboolean
parse_date (const char *text,
            GDate      *date)
{
  int y, m, d;
  char tail;

  if (text == NULL || strlen (text) != 10 ||
      sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      text[4] != '-' || text[7] != '-' || y < 1900 || y > 2200 ||
      !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static gboolean
check_date (KoersStore        *self,
            const KoersField  *field,
            const char        *text,
            GError           **error)
{
  g_autofree char *today = NULL;

  if (!parse_date (text, &(GDate) { 0 }))
    return INVALID (error, _("The %s is not a date. Use the form 2024-03-31."),
                    _(field->label));
  if (!(field->flags & KOERS_FIELD_PAST))
    return TRUE;
  today = koers_store_today (self);
  if (strcmp (text, today) > 0)
    return INVALID (error, _("The %s lies in the future."), _(field->label));
  return TRUE;
}

/* Trims, normalises to NFC and refuses what no person typed: invalid
 * UTF-8, control characters, text beyond the field's size. */
static gboolean
clean_text (const KoersField  *field,
            char             **text,
            GError           **error)
{
  g_autofree char *nfc = NULL;

  if (strlen (*text) > field->max_bytes)
    {
      g_autofree char *size = g_format_size (field->max_bytes);
      return INVALID (error, _("The %s is too long: at most %s can be saved."),
                      _(field->label), size);
    }
  if (!g_utf8_validate (*text, -1, NULL))
    return INVALID (error, _("The %s contains characters that cannot be read."), _(field->label));
  for (const char *p = *text; *p; p++)
    if ((guchar) *p < 0x20 && !((field->flags & KOERS_FIELD_MULTILINE) && (*p == '\n' || *p == '\t')))
      return INVALID (error, _("The %s contains control characters."), _(field->label));
  nfc = g_utf8_normalize (g_strstrip (*text), -1, G_NORMALIZE_NFC);
  g_free (*text);
  *text = *nfc != '\0' ? g_steal_pointer (&nfc) : NULL;
  return TRUE;
}

static gboolean
check_ref (KoersStore        *self,
           const KoersField  *field,
           KoersEntity        kind,
           const char        *id,
           GError           **error)
{
  if (!koers_uuid_is_valid (id) || !record_exists (self, kind, id))
    {
      g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND,
                   _("The %s given (%s) does not exist (any more)."), _(field->label),
                   _(koers_entity_info (kind)->label));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_list (KoersStore        *self,
            const KoersField  *field,
            char             **items,
            GError           **error)
{
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    {
      g_autofree char *item = g_strdup (items[i]);

      if (field->ref != 0 && !check_ref (self, field, field->ref, item, error))
        return FALSE;
      if (field->values != NULL && !g_strv_contains (field->values, item))
        return INVALID (error, _("The %s contain a value Koers does not know."),
                        _(field->label));
      if (!clean_text (field, &item, error))
        return FALSE;
      if (item == NULL)
        return INVALID (error, _("The %s contain an empty entry."), _(field->label));
      g_free (items[i]);
      items[i] = g_steal_pointer (&item);
    }
  return TRUE;
}

static gboolean
check_value (KoersStore        *self,
             const KoersField  *field,
             gpointer           record,
             GError           **error)
{
  gpointer p = KOERS_FIELD_PTR (field, record);
  int value = *(int *) p;

  switch (field->type)
    {
    case KOERS_FIELD_TEXT:
      return clean_text (field, (char **) p, error);
    case KOERS_FIELD_DATE:
      return check_date (self, field, *(char **) p, error);
    case KOERS_FIELD_COUNTRY:
      if (!koers_country_is_valid (*(char **) p))
        return INVALID (error, _("The %s is not a known country code (ISO 3166, e.g. ER, AF, IQ)."),
                        _(field->label));
      return TRUE;
    case KOERS_FIELD_REF:
      return check_ref (self, field, field->ref, *(char **) p, error);
    case KOERS_FIELD_LIST:
      return check_list (self, field, *(char ***) p, error);
    case KOERS_FIELD_ENUM:
      if (koers_field_enum_name (field, value) == NULL)
        return INVALID (error, _("The %s has a value Koers does not know."), _(field->label));
      return TRUE;
    case KOERS_FIELD_INT:
      if (field->min <= field->max && (value < field->min || value > field->max))
        return INVALID (error, _("The %s must lie between %d and %d."), _(field->label),
                        field->min, field->max);
      return TRUE;
    case KOERS_FIELD_BOOL:
    default:
      return TRUE;
    }
}

static void
normalise_country (const KoersField *field,
                   gpointer          record)
{
  char *code;

  /* Only a country field holds a pointer here: read it after the check. */
  if (field->type != KOERS_FIELD_COUNTRY)
    return;
  code = *(char **) KOERS_FIELD_PTR (field, record);
  if (code == NULL)
    return;
  for (char *c = code; *c; c++)
    *c = g_ascii_toupper (*c);
}

static gboolean
validate (KoersStore  *self,
          KoersEntity  kind,
          gpointer     record,
          GError     **error)
{
  const KoersEntityInfo *info = koers_entity_info (kind);

  for (guint i = 0; i < info->n_fields; i++)
    {
      const KoersField *field = &info->fields[i];

      normalise_country (field, record);
      if (koers_field_is_set (field, record) && !check_value (self, field, record, error))
        return FALSE;
      if ((field->flags & KOERS_FIELD_REQUIRED) && !koers_field_is_set (field, record))
        return INVALID (error, _("Fill in the %s."), _(field->label));
    }
  return info->check == NULL || info->check (self, record, error);
}

/* Cross-field rules ------------------------------------------------------------------ */

static gboolean
all_digits (const char *text,
            const char *also)
{
  for (const char *p = text; p && *p; p++)
    if (!g_ascii_isdigit (*p) && strchr (also, *p) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
koers_store_check_client (KoersStore  *self,
                          gpointer     record,
                          GError     **error)
{
  KoersClient *c = record;
  g_autofree char *today = koers_store_today (self);

  if (c->birth_date && c->birth_year && atoi (c->birth_date) != c->birth_year)
    return INVALID (error, _("The year of birth does not match the date of birth."));
  if (c->birth_year > atoi (today) || c->arrival_year > atoi (today))
    return INVALID (error, _("A year of birth or arrival cannot lie in the future."));
  if (c->arrival_year && c->birth_year && c->arrival_year < c->birth_year)
    return INVALID (error, _("The year of arrival lies before the year of birth."));
  if (!all_digits (c->v_number, ""))
    return INVALID (error, _("A V-number has digits only."));
  if (!all_digits (c->phone, "+ -()"))
    return INVALID (error, _("A phone number has digits, spaces and + - ( ) only."));
  if (c->phase == KOERS_PHASE_CLOSED && c->closed_on == NULL)
    c->closed_on = g_steal_pointer (&today);
  else if (c->phase != KOERS_PHASE_CLOSED)
    g_clear_pointer (&c->closed_on, g_free);
  return TRUE;
}

gboolean
koers_store_check_family_link (KoersStore  *self,
                               gpointer     record,
                               GError     **error)
{
  KoersFamilyLink *link = record;

  if (g_strcmp0 (link->client_id, link->relative_id) == 0)
    return INVALID (error, _("A client cannot be their own family member."));
  return TRUE;
}

gboolean
koers_store_check_referral (KoersStore  *self,
                            gpointer     record,
                            GError     **error)
{
  KoersReferral *referral = record;
  g_autoptr (KoersWorker) counsellor = NULL;

  if (referral->organisation_id == NULL && referral->counsellor_id == NULL)
    return INVALID (error, _("Choose the organisation or the counsellor the client is referred to."));
  if (referral->counsellor_id != NULL)
    {
      counsellor = koers_store_get (self, KOERS_ENTITY_WORKER, referral->counsellor_id, NULL);
      if (counsellor == NULL || counsellor->role != KOERS_ROLE_COUNSELLOR)
        return INVALID (error, _("A referral to a person must be to a counsellor."));
    }
  return koers_store_check_referral_status (self, referral, error);
}

gboolean
koers_store_check_return_plan (KoersStore  *self,
                               gpointer     record,
                               GError     **error)
{
  KoersReturnPlan *plan = record;
  g_autoptr (KoersPartnerOrg) partner = NULL;

  if (plan->partner_id != NULL)
    partner = koers_store_get (self, KOERS_ENTITY_PARTNER_ORG, plan->partner_id, NULL);
  if (partner != NULL && g_strcmp0 (partner->country, plan->country) != 0)
    return INVALID (error, _("The partner organisation works in another country than the "
                             "country of return."));
  return koers_store_check_plan_status (self, plan, error);
}

char *
koers_store_plan_departure (KoersStore *self,
                            const char *plan_id)
{
  g_autoptr (KoersReturnPlan) plan = koers_store_get (self, KOERS_ENTITY_RETURN_PLAN, plan_id,
                                                      NULL);

  if (plan == NULL)
    return NULL;
  return g_strdup (plan->departed_on ? plan->departed_on : plan->planned_departure);
}

gboolean
koers_store_check_checkin (KoersStore  *self,
                           gpointer     record,
                           GError     **error)
{
  KoersCheckin *checkin = record;
  g_autofree char *departure = koers_store_plan_departure (self, checkin->plan_id);

  if (departure == NULL)
    return INVALID (error, _("Set the departure date of the return plan before planning "
                             "check-ins."));
  if (strcmp (checkin->due_on, departure) < 0 ||
      (checkin->held_on && strcmp (checkin->held_on, departure) < 0))
    return INVALID (error, _("A check-in cannot be before the departure."));
  return TRUE;
}

/* Consent ---------------------------------------------------------------------------- */

gboolean
koers_store_has_consent (KoersStore       *self,
                         const char       *client_id,
                         KoersConsentKind  kind)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "SELECT granted FROM consent WHERE client_id = ? AND kind = ? "
    "ORDER BY recorded_on DESC, id DESC LIMIT 1", NULL);
  gboolean granted = FALSE;

  g_return_val_if_fail (kind <= KOERS_CONSENT_PSEUDONYMOUS_REPORTING, FALSE);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, client_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, koers_consent_names[kind], -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    granted = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return granted;
}

static void
require_consent (KoersStore       *self,
                 const char       *client_id,
                 KoersConsentKind  kind)
{
  if (client_id != NULL)
    g_hash_table_add (self->pending_consent, g_strdup_printf ("%s\n%d", client_id, kind));
}

/* Notes which consents a write needs; they are checked at commit. @old is
 * NULL for an insert. */
static void
note_consent (KoersStore    *self,
              KoersEntity    kind,
              gconstpointer  record,
              gconstpointer  old)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  g_autofree char *client_id = NULL;

  if (info->flags & KOERS_ENTITY_REFERENCE)
    return;
  client_id = koers_store_client_of (self, kind, record);
  if (info->flags & KOERS_ENTITY_CONSENTED)
    require_consent (self, client_id, KOERS_CONSENT_STORE_FILE);
  for (guint i = 0; i < info->n_fields; i++)
    {
      const KoersField *field = &info->fields[i];
      gboolean gated = (field->flags & (KOERS_FIELD_CONSENT | KOERS_FIELD_PARTNER)) != 0;

      if (!gated || !koers_field_is_set (field, record) ||
          (old != NULL && koers_field_equal (field, record, old)))
        continue;
      require_consent (self, client_id, KOERS_CONSENT_STORE_FILE);
      if (field->flags & KOERS_FIELD_PARTNER)
        require_consent (self, client_id, KOERS_CONSENT_SHARE_PARTNER);
    }
}

/* Change log and audit ------------------------------------------------------------------- */

gboolean
koers_store_log_change (KoersStore  *self,
                        KoersEntity  kind,
                        const char  *id,
                        const char  *client_id,
                        const char  *op,
                        const char  *fields_json,
                        GError     **error)
{
  KoersHlcStamp hlc = koers_hlc_tick (&self->hlc, koers_store_now_ms (self));
  g_autofree char *stamp = koers_store_stamp_text (hlc, self->device_id);
  g_autofree char *bases = NULL;
  sqlite3_stmt *stmt;

  /* The stamps first: their statements reuse no binding of this one. */
  if (!koers_store_stamp_change (self, kind, id, op, fields_json, stamp, &bases, error))
    return FALSE;
  stmt = koers_store_prepare (self,
    "INSERT INTO change_log (hlc, device_id, worker_id, entity, entity_id, client_id, op, fields,"
    " bases, device_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, " KOERS_NEXT_DEVICE_SEQ_SQL ")", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, (sqlite3_int64) hlc);
  sqlite3_bind_text (stmt, 2, self->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, self->worker_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, koers_entity_name (kind), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, client_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, op, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, fields_json, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, bases, -1, SQLITE_STATIC);
  return koers_store_step_done (self, stmt, error);
}

gboolean
koers_store_audit (KoersStore  *self,
                   const char  *action,
                   const char  *client_id,
                   const char  *entity,
                   GError     **error)
{
  sqlite3_stmt *stmt = koers_store_prepare (self,
    "INSERT INTO audit (at_ms, worker_id, action, client_id, entity) VALUES (?, ?, ?, ?, ?)",
    error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, koers_store_now_ms (self));
  sqlite3_bind_text (stmt, 2, self->worker_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, client_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entity, -1, SQLITE_STATIC);
  return koers_store_step_done (self, stmt, error);
}

/* The client of the record @id of @kind, reading only the parent links. */
static char *
client_of_id (KoersStore  *self,
              KoersEntity  kind,
              const char  *id)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  const KoersField *parent;
  g_autofree char *sql = NULL;
  g_autofree char *parent_id = NULL;
  sqlite3_stmt *stmt;

  if (kind == KOERS_ENTITY_CLIENT || id == NULL)
    return g_strdup (id);
  if (info->parent < 0)
    return NULL;
  parent = &info->fields[info->parent];
  sql = g_strdup_printf ("SELECT %s FROM %s WHERE id = ?", parent->name, info->name);
  if ((stmt = koers_store_prepare (self, sql, NULL)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    parent_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return client_of_id (self, parent->ref, parent_id);
}

char *
koers_store_client_of (KoersStore    *self,
                       KoersEntity    kind,
                       gconstpointer  record)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  const KoersField *parent;

  if (kind == KOERS_ENTITY_CLIENT)
    return g_strdup (koers_record_get_id (record));
  if (info->parent < 0)
    return NULL;
  parent = &info->fields[info->parent];
  return client_of_id (self, parent->ref, *(char *const *) KOERS_FIELD_PTR (parent, record));
}

/* Logs the change and audits it in the client's file. @old is NULL for an
 * insert; @json NULL for a delete. */
static gboolean
record_history (KoersStore     *self,
                KoersEntity     kind,
                gconstpointer   record,
                const char     *op,
                const char     *json,
                GError        **error)
{
  g_autofree char *client_id = koers_store_client_of (self, kind, record);
  const char *action = "change";

  if (self->deleted_ids != NULL && g_str_equal (op, "delete"))
    g_ptr_array_add (self->deleted_ids, g_strdup (koers_record_get_id (record)));
  if (!koers_store_log_change (self, kind, koers_record_get_id (record), client_id, op, json,
                               error))
    return FALSE;
  if (client_id == NULL)
    return TRUE;
  if (kind == KOERS_ENTITY_CLIENT && g_str_equal (op, "insert"))
    action = "create";
  else if (kind == KOERS_ENTITY_CLIENT && g_str_equal (op, "delete"))
    action = "delete";
  return koers_store_audit (self, action, client_id, koers_entity_name (kind), error);
}

/* The changed fields as a JSON object; NULL if nothing changed. */
static char *
changes_json (KoersEntity    kind,
              gconstpointer  record,
              gconstpointer  old)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  GString *json = g_string_new ("{");

  for (guint i = 0; i < info->n_fields; i++)
    {
      const KoersField *field = &info->fields[i];

      if (old != NULL ? koers_field_equal (field, record, old)
                      : !koers_field_is_set (field, record))
        continue;
      if (json->len > 1)
        g_string_append_c (json, ',');
      koers_json_string (json, field->name);
      g_string_append_c (json, ':');
      koers_json_field_value (json, field, record);
    }
  g_string_append_c (json, '}');
  if (json->len == 2 && old != NULL)
    return (g_string_free (json, TRUE), NULL);
  return g_string_free (json, FALSE);
}

/* Insert --------------------------------------------------------------------------------- */

static gboolean
assign_id (KoersStore  *self,
           KoersEntity  kind,
           gpointer     record,
           GError     **error)
{
  char **id = record;

  if (*id == NULL)
    {
      *id = koers_uuid7_new (koers_store_now_ms (self));
      return TRUE;
    }
  if (!koers_uuid_is_valid (*id))
    return INVALID (error, _("The id of this %s is not a valid record id."),
                    _(koers_entity_info (kind)->label));
  if (record_exists (self, kind, *id))
    return INVALID (error, _("A %s with this id already exists."), _(koers_entity_info (kind)->label));
  return TRUE;
}

static gboolean
write_row (KoersStore    *self,
           const char    *sql,
           KoersEntity    kind,
           gconstpointer  record,
           gboolean       id_last,
           GError       **error)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  sqlite3_stmt *stmt = koers_store_prepare (self, sql, error);
  int first = id_last ? 1 : 2;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, id_last ? info->n_fields + 1 : 1, koers_record_get_id (record), -1,
                     SQLITE_STATIC);
  for (guint i = 0; i < info->n_fields; i++)
    bind_field (stmt, first + i, &info->fields[i], record);
  return koers_store_step_done (self, stmt, error);
}

static char *
insert_sql (KoersEntity kind)
{
  g_autofree char *columns = koers_store_columns (kind, NULL);
  GString *sql = g_string_new (NULL);

  g_string_printf (sql, "INSERT INTO %s (%s) VALUES (?", koers_entity_name (kind), columns);
  for (guint i = 0; i < koers_entity_info (kind)->n_fields; i++)
    g_string_append (sql, ", ?");
  g_string_append_c (sql, ')');
  return g_string_free (sql, FALSE);
}

static gboolean
insert_record (KoersStore  *self,
               KoersEntity  kind,
               gpointer     work,
               GError     **error)
{
  g_autofree char *sql = insert_sql (kind);
  g_autofree char *json = NULL;

  if (!assign_id (self, kind, work, error) || !validate (self, kind, work, error))
    return FALSE;
  note_consent (self, kind, work, NULL);
  json = changes_json (kind, work, NULL);
  return write_row (self, sql, kind, work, FALSE, error) &&
         koers_store_update_index (self, kind, koers_record_get_id (work), work, error) &&
         record_history (self, kind, work, "insert", json, error);
}

gboolean
koers_store_insert (KoersStore  *self,
                    KoersEntity  kind,
                    gpointer     record,
                    GError     **error)
{
  gpointer work;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind < KOERS_N_ENTITIES && record != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!koers_store_write_begin (self, error))
    return FALSE;
  work = koers_record_copy (kind, record);
  ok = koers_store_write_end (self, insert_record (self, kind, work, error), error);
  if (ok && koers_record_get_id (record) == NULL)
    *(char **) record = g_strdup (koers_record_get_id (work));
  koers_record_free (kind, work);
  return ok;
}

/* Read --------------------------------------------------------------------------------------- */

gpointer
koers_store_get (KoersStore  *self,
                 KoersEntity  kind,
                 const char  *id,
                 GError     **error)
{
  g_autofree char *sql = select_sql (kind, "WHERE id = ?");
  sqlite3_stmt *stmt;
  gpointer record = NULL;
  int rc;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (kind < KOERS_N_ENTITIES, NULL);

  if ((stmt = koers_store_prepare (self, sql, error)) == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    record = koers_store_read_record (self, kind, stmt, 0);
  sqlite3_reset (stmt);
  /* A vault that cannot be read is not a record that is gone. */
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    koers_store_set_sqlite_error (self, error, rc, _("reading"));
  else if (record == NULL)
    g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND,
                 _("This %s does not exist (any more)."), _(koers_entity_info (kind)->label));
  return record;
}

GPtrArray *
koers_store_list_by (KoersStore  *self,
                     KoersEntity  kind,
                     const char  *column,
                     const char  *value,
                     GError     **error)
{
  g_autofree char *where = column ? g_strdup_printf ("WHERE %s = ?", column) : NULL;
  g_autofree char *sql = select_sql (kind, where ? where : "");
  sqlite3_stmt *stmt = koers_store_prepare (self, sql, error);

  if (stmt == NULL)
    return NULL;
  if (column != NULL)
    sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  return koers_store_collect_records (self, kind, stmt, error);
}

GPtrArray *
koers_store_collect_records (KoersStore    *self,
                             KoersEntity    kind,
                             sqlite3_stmt  *stmt,
                             GError       **error)
{
  g_autoptr (GPtrArray) records = g_ptr_array_new_with_free_func (koers_record_free_func (kind));
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (records, koers_store_read_record (self, kind, stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      koers_store_set_sqlite_error (self, error, rc, _("reading"));
      return NULL;
    }
  return g_steal_pointer (&records);
}

GPtrArray *
koers_store_list (KoersStore  *self,
                  KoersEntity  kind,
                  const char  *parent_id,
                  GError     **error)
{
  const KoersEntityInfo *info;
  const char *column = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (kind < KOERS_N_ENTITIES, NULL);

  info = koers_entity_info (kind);
  if (parent_id != NULL)
    {
      g_return_val_if_fail (info->parent >= 0, NULL);
      column = info->fields[info->parent].name;
    }
  return koers_store_list_by (self, kind, column, parent_id, error);
}

KoersClient *
koers_store_open_file (KoersStore  *self,
                       const char  *client_id,
                       GError     **error)
{
  g_autoptr (KoersClient) client = koers_store_get (self, KOERS_ENTITY_CLIENT, client_id, error);
  gboolean ok;

  if (client == NULL || !koers_store_write_begin (self, error))
    return NULL;
  ok = koers_store_audit (self, "open", client_id, "client", error);
  if (!koers_store_write_end (self, ok, error))
    return NULL;
  return g_steal_pointer (&client);
}

/* Update ---------------------------------------------------------------------------------------- */

static char *
update_sql (KoersEntity kind)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  GString *sql = g_string_new (NULL);

  g_string_printf (sql, "UPDATE %s SET ", info->name);
  for (guint i = 0; i < info->n_fields; i++)
    g_string_append_printf (sql, "%s%s = ?", i ? ", " : "", info->fields[i].name);
  g_string_append (sql, " WHERE id = ?");
  return g_string_free (sql, FALSE);
}

static gboolean
check_update_allowed (KoersEntity    kind,
                      gconstpointer  work,
                      gconstpointer  old,
                      GError       **error)
{
  const KoersEntityInfo *info = koers_entity_info (kind);

  if (info->flags & KOERS_ENTITY_APPEND_ONLY)
    {
      g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_APPEND_ONLY,
                   _("A saved %s cannot be changed. Add a new one instead."), _(info->label));
      return FALSE;
    }
  for (guint i = 0; i < info->n_fields; i++)
    {
      const KoersField *field = &info->fields[i];

      if (koers_field_equal (field, work, old))
        continue;
      if (field->flags & KOERS_FIELD_PARENT)
        return INVALID (error, _("A %s cannot be moved to another file."), _(info->label));
      if ((field->flags & KOERS_FIELD_APPEND_ONLY) && koers_field_is_set (field, old))
        {
          g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_APPEND_ONLY,
                       _("Saved notes cannot be changed. Add an addendum instead."));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
update_record (KoersStore  *self,
               KoersEntity  kind,
               gpointer     work,
               GError     **error)
{
  gpointer old = koers_store_get (self, kind, koers_record_get_id (work), error);
  g_autofree char *json = NULL;
  g_autofree char *sql = NULL;
  gboolean ok;

  if (old == NULL)
    return FALSE;
  ok = validate (self, kind, work, error) && check_update_allowed (kind, work, old, error);
  if (ok)
    {
      note_consent (self, kind, work, old);
      json = changes_json (kind, work, old);
    }
  koers_record_free (kind, old);
  if (!ok || json == NULL)
    return ok;
  sql = update_sql (kind);
  return write_row (self, sql, kind, work, TRUE, error) &&
         koers_store_update_index (self, kind, koers_record_get_id (work), work, error) &&
         record_history (self, kind, work, "update", json, error);
}

gboolean
koers_store_update (KoersStore    *self,
                    KoersEntity    kind,
                    gconstpointer  record,
                    GError       **error)
{
  gpointer work;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind < KOERS_N_ENTITIES && record != NULL, FALSE);
  g_return_val_if_fail (koers_record_get_id (record) != NULL, FALSE);

  if (!koers_store_write_begin (self, error))
    return FALSE;
  work = koers_record_copy (kind, record);
  ok = koers_store_write_end (self, update_record (self, kind, work, error), error);
  koers_record_free (kind, work);
  return ok;
}

/* Delete ------------------------------------------------------------------------------------------ */

/* Ids of the records that cannot exist without @id of @kind: those it
 * owns and those with a required link to it (a family link to a client). */
static GPtrArray *
dependants (KoersStore  *self,
            KoersEntity  kind,
            const char  *id,
            GError     **error)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  for (KoersEntity k = 0; k < KOERS_N_ENTITIES; k++)
    {
      const KoersEntityInfo *info = koers_entity_info (k);

      for (guint i = 0; i < info->n_fields; i++)
        {
          const KoersField *field = &info->fields[i];
          g_autoptr (GPtrArray) records = NULL;

          if (field->type != KOERS_FIELD_REF || field->ref != kind ||
              !(field->flags & KOERS_FIELD_REQUIRED))
            continue;
          if ((records = koers_store_list_by (self, k, field->name, id, error)) == NULL)
            return NULL;
          for (guint r = 0; r < records->len; r++)
            g_ptr_array_add (found, g_strdup_printf ("%u:%s", k, koers_record_get_id (records->pdata[r])));
        }
    }
  return g_steal_pointer (&found);
}

static gboolean
delete_record (KoersStore  *self,
               KoersEntity  kind,
               const char  *id,
               GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("DELETE FROM %s WHERE id = ?", koers_entity_name (kind));
  g_autoptr (GPtrArray) children = dependants (self, kind, id, error);
  gpointer record;
  sqlite3_stmt *stmt;
  gboolean ok;

  if (children == NULL ||
      (kind == KOERS_ENTITY_WORKER && !koers_store_check_worker_delete (self, id, error)))
    return FALSE;
  for (guint i = 0; i < children->len; i++)
    {
      const char *key = children->pdata[i];
      if (!delete_record (self, (KoersEntity) atoi (key), strchr (key, ':') + 1, error))
        return FALSE;
    }
  if ((record = koers_store_get (self, kind, id, error)) == NULL)
    return FALSE;
  ok = koers_store_update_index (self, kind, id, NULL, error) &&
       (stmt = koers_store_prepare (self, sql, error)) != NULL;
  if (ok)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      ok = koers_store_step_done (self, stmt, error) &&
           record_history (self, kind, record, "delete", NULL, error);
    }
  koers_record_free (kind, record);
  return ok;
}

gboolean
koers_store_delete (KoersStore  *self,
                    KoersEntity  kind,
                    const char  *id,
                    GError     **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind < KOERS_N_ENTITIES && id != NULL, FALSE);

  if (koers_entity_info (kind)->flags & KOERS_ENTITY_APPEND_ONLY)
    {
      g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_APPEND_ONLY,
                   _("A saved %s cannot be removed on its own."),
                   _(koers_entity_info (kind)->label));
      return FALSE;
    }
  if (!koers_store_write_begin (self, error))
    return FALSE;
  return koers_store_write_end (self, delete_record (self, kind, id, error), error);
}

/* For the merge ------------------------------------------------------------------------------ */

gboolean
koers_store_write_record (KoersStore    *self,
                          KoersEntity    kind,
                          gconstpointer  record,
                          gboolean       exists,
                          GError       **error)
{
  g_autofree char *sql = exists ? update_sql (kind) : insert_sql (kind);

  return write_row (self, sql, kind, record, exists, error);
}

GPtrArray *
koers_store_list_dependants (KoersStore  *self,
                             KoersEntity  kind,
                             const char  *id,
                             GError     **error)
{
  return dependants (self, kind, id, error);
}

gboolean
koers_store_record_exists (KoersStore  *self,
                           KoersEntity  kind,
                           const char  *id)
{
  return record_exists (self, kind, id);
}
