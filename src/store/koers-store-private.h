/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-private.h: what the parts of KoersStore share (internal). */
#pragma once

#include <sqlite3.h>

#include "koers-record-private.h"
#include "koers-store.h"
#include "koers-store-page.h"

G_BEGIN_DECLS

struct _KoersStore
{
  GObject        parent_instance;

  sqlite3       *db;
  GHashTable    *statements;    /* SQL text -> sqlite3_stmt * */
  char          *device_id;
  char          *worker_id;
  KoersHlc       hlc;
  KoersClockFunc clock;
  gpointer       clock_data;

  guint          depth;         /* open transactions */
  guint          writing;       /* > 0: the guard lets writes through */
  GHashTable    *pending_consent; /* "client-id\nkind" needing consent at commit */
  GPtrArray     *deleted_ids;   /* while purging: ids of the records deleted */
};

/* What is still to be done by a date, one row an item (kind, id,
 * client_id, due_on, description): next steps and return-plan steps not
 * done, check-ins not held, open referrals a week after their last change
 * (described by the reason, else to whom). The due list and the client list's due filter
 * both select from it; SQLite pushes a due_on condition into each arm, so
 * the partial *_due indexes serve it. */
#define KOERS_OPEN_ITEMS_SQL \
  "SELECT 'next_step' AS kind, n.id AS id, c.client_id AS client_id," \
  " n.due_on AS due_on, n.description AS description FROM next_step n" \
  " JOIN conversation c ON c.id = n.conversation_id WHERE NOT n.done" \
  " UNION ALL " \
  "SELECT 'return_step', s.id, p.client_id, s.due_on, s.description FROM return_step s" \
  " JOIN return_plan p ON p.id = s.plan_id WHERE NOT s.done" \
  " UNION ALL " \
  "SELECT 'checkin', k.id, p.client_id, k.due_on, NULL FROM checkin k" \
  " JOIN return_plan p ON p.id = k.plan_id WHERE k.held_on IS NULL" \
  " UNION ALL " \
  "SELECT 'referral', r.id, r.client_id, date (r.status_on, '+7 days')," \
  " coalesce (r.reason, o.name, w.name) FROM referral r" \
  " LEFT JOIN referral_org o ON o.id = r.organisation_id" \
  " LEFT JOIN worker w ON w.id = r.counsellor_id" \
  " WHERE r.status IN ('proposed', 'made', 'accepted')"

/* The connection the store runs on (the store's code and tests only). */
sqlite3      *koers_store_get_db         (KoersStore    *self);

/* The clients a KoersClientFilter lets through: a WHERE clause over the
 * client table with the named parameters :phase, :outcome, :steunpunt and
 * :due (koers_store_bind_filter() binds them). @open_items narrows the
 * open items further: for one client, by its id, so they are found
 * through that client's records, not by date among everyone's. */
#define KOERS_CLIENT_FILTER_WHERE(open_items) \
  " WHERE (:phase IS NULL OR phase = :phase)" \
  " AND (:outcome IS NULL OR IFNULL (outcome, '') = :outcome)" \
  " AND (:steunpunt IS NULL OR steunpunt_id = :steunpunt)" \
  " AND (:due IS NULL OR id IN (SELECT client_id FROM (" KOERS_OPEN_ITEMS_SQL ")" \
  "  WHERE due_on < :due" open_items "))"

/* Binds @filter (NULL: any) to the named parameters of
 * KOERS_CLIENT_FILTER_WHERE in @stmt (koers-store-page.c). */
void          koers_store_bind_filter    (KoersStore              *self,
                                          sqlite3_stmt            *stmt,
                                          const KoersClientFilter *filter);
gboolean      koers_client_filter_is_any (const KoersClientFilter *filter);

/* A cached prepared statement, reset and unbound (borrowed). */
sqlite3_stmt *koers_store_prepare        (KoersStore    *self,
                                          const char    *sql,
                                          GError       **error);
gboolean      koers_store_exec           (KoersStore    *self,
                                          const char    *sql,
                                          GError       **error);
/* The first column of every row of the bound @stmt as a NULL-terminated
 * array (free with g_strfreev()); resets @stmt. */
char        **koers_store_collect_ids    (KoersStore    *self,
                                          sqlite3_stmt  *stmt,
                                          GError       **error);
/* Steps @stmt to the end (a write), then resets it. */
gboolean      koers_store_step_done      (KoersStore    *self,
                                          sqlite3_stmt  *stmt,
                                          GError       **error);
void          koers_store_set_sqlite_error (KoersStore  *self,
                                            GError     **error,
                                            int          rc,
                                            const char  *what);

/* Writes: begin opens a transaction (or savepoint) and lifts the guard;
 * end commits or rolls back on failure, returning @ok. */
gboolean      koers_store_write_begin    (KoersStore    *self,
                                          GError       **error);
gboolean      koers_store_write_end      (KoersStore    *self,
                                          gboolean       ok,
                                          GError       **error);

/* Migrations (koers-store.c); @target 0 means the latest. */
gboolean      koers_store_migrate_db     (sqlite3       *db,
                                          guint          target,
                                          GError       **error);

/* The device_seq of a change made on this device, in an INSERT INTO
 * change_log: one more than the last (schema version 8; one seek in
 * change_log_device_seq). Merged changes have none. */
#define KOERS_NEXT_DEVICE_SEQ_SQL \
  "(SELECT coalesce (max (device_seq), 0) + 1 FROM change_log WHERE device_seq IS NOT NULL)"

/* Change log and audit rows for the current write (koers-store-crud.c). */
gboolean      koers_store_log_change     (KoersStore    *self,
                                          KoersEntity    kind,
                                          const char    *id,
                                          const char    *client_id,
                                          const char    *op,
                                          const char    *fields_json,
                                          GError       **error);
/* The field stamps of a change being logged (koers-store-sync.c): sets
 * @stamp on the fields @fields_json changes and returns in @bases the
 * stamps they replaced (NULL for an insert; a delete: all of them). */
gboolean      koers_store_stamp_change   (KoersStore    *self,
                                          KoersEntity    kind,
                                          const char    *id,
                                          const char    *op,
                                          const char    *fields_json,
                                          const char    *stamp,
                                          char         **bases,
                                          GError       **error);
gboolean      koers_store_audit          (KoersStore    *self,
                                          const char    *action,
                                          const char    *client_id,
                                          const char    *entity,
                                          GError       **error);
/* The id of the client file a record belongs to (NULL for reference
 * data). */
char         *koers_store_client_of      (KoersStore       *self,
                                          KoersEntity       kind,
                                          gconstpointer     record);
/* Reads the record of @kind from the current row of @stmt, columns from
 * @first on in descriptor order (id first). */
gpointer      koers_store_read_record    (KoersStore    *self,
                                          KoersEntity    kind,
                                          sqlite3_stmt  *stmt,
                                          int            first);
/* The records of @kind in every row of the bound @stmt (columns in
 * descriptor order); resets @stmt. */
GPtrArray    *koers_store_collect_records (KoersStore   *self,
                                           KoersEntity   kind,
                                           sqlite3_stmt *stmt,
                                           GError      **error);
/* Records of @kind whose @column is @value (NULL @column: all). */
GPtrArray    *koers_store_list_by        (KoersStore    *self,
                                          KoersEntity    kind,
                                          const char    *column,
                                          const char    *value,
                                          GError       **error);
/* "id, field, field, ..." of @kind, prefixed by @alias + "." if given. */
char         *koers_store_columns        (KoersEntity    kind,
                                          const char    *alias);

/* JSON (koers-store-json.c) */
void          koers_json_string          (GString       *out,
                                          const char    *text);
/* Appends "key":value for every field of @record that is set. */
void          koers_json_record_fields   (GString       *out,
                                          KoersEntity    kind,
                                          gconstpointer  record,
                                          gboolean       with_type);
/* Appends one field's value as JSON. */
void          koers_json_field_value     (GString          *out,
                                          const KoersField *field,
                                          gconstpointer     record);
/* Sets the fields of @record from a JSON object (one line of an import). */
gboolean      koers_json_parse_record    (KoersStore    *self,
                                          const char    *json,
                                          KoersEntity   *kind,
                                          gpointer      *record,
                                          GError       **error);
/* Sets @field of @record from one value as SQLite's json_each reads it
 * (its @type and @value; @json, the value as JSON text, tells a \u0000
 * apart), as koers_json_parse_record() sets it. */
gboolean      koers_json_set_field       (KoersStore        *self,
                                          const KoersField  *field,
                                          gpointer           record,
                                          const char        *type,
                                          const char        *value,
                                          const char        *json,
                                          GError           **error);
/* A JSON array of strings as a vector. */
char        **koers_store_parse_list     (KoersStore    *self,
                                          const char    *json);

/* Cross-field rules used by the entity table (koers-store-crud.c). */
gboolean      koers_store_check_client       (KoersStore *self, gpointer record, GError **error);
gboolean      koers_store_check_family_link  (KoersStore *self, gpointer record, GError **error);
gboolean      koers_store_check_referral     (KoersStore *self, gpointer record, GError **error);
gboolean      koers_store_check_return_plan  (KoersStore *self, gpointer record, GError **error);
gboolean      koers_store_check_checkin      (KoersStore *self, gpointer record, GError **error);

/* The departure date of a return plan (actual, else planned), or NULL. */
char         *koers_store_plan_departure     (KoersStore *self, const char *plan_id);

/* Search folding (koers-fold.c). */
char         *koers_store_fold_text      (const char    *text);
char         *koers_store_fold_note      (const char    *text);
char         *koers_store_fold_query     (const char    *typed);
const char   *koers_store_fold_version   (void);
/* Brings the index entry of a record up to date: after an insert or
 * update with @record, before a delete with NULL. */
gboolean      koers_store_update_index   (KoersStore    *self,
                                          KoersEntity    kind,
                                          const char    *id,
                                          gconstpointer  record,
                                          GError       **error);
gboolean      koers_store_ensure_index   (KoersStore    *self,
                                          GError       **error);

/* For the merge (koers-store-crud.c): writes @record's row as it is (an
 * UPDATE if it @exists, else an INSERT), with no rule, log or index; the
 * records that cannot exist without @id ("kind:id" strings); whether a
 * record exists. */
gboolean      koers_store_write_record   (KoersStore    *self,
                                          KoersEntity    kind,
                                          gconstpointer  record,
                                          gboolean       exists,
                                          GError       **error);
GPtrArray    *koers_store_list_dependants (KoersStore   *self,
                                           KoersEntity   kind,
                                           const char   *id,
                                           GError      **error);
gboolean      koers_store_record_exists  (KoersStore    *self,
                                          KoersEntity    kind,
                                          const char    *id);

/* Erasure (koers-store-history.c): the files of @client_ids deleted and
 * their history wiped, in the caller's transaction (a client this store
 * does not have: its history only); then, outside any transaction, the
 * VACUUM and checkpoint that leave nothing in free pages or the WAL. */
gboolean      koers_store_purge_clients  (KoersStore         *self,
                                          const char *const  *client_ids,
                                          GError            **error);
gboolean      koers_store_compact        (KoersStore    *self,
                                          GError       **error);

/* One change-log row as a line of a batch (koers-store-sync.c): @seq,
 * then the columns hlc, device_id, worker_id, entity, entity_id,
 * client_id, op, fields, bases at 1 … 9 of @stmt. */
void          koers_store_append_change_line (GString      *out,
                                              gint64        seq,
                                              sqlite3_stmt *stmt);
/* An office batch's lines applied inside the caller's transaction
 * (koers-store-relay.c): its erasures, then its changes. */
gboolean      koers_store_apply_office_lines (KoersStore       *self,
                                              const char       *origin,
                                              GBytes           *lines,
                                              KoersMergeStats  *stats,
                                              guint            *n_erased,
                                              GError          **error);

G_END_DECLS
