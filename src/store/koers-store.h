/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store.h: the case model over the vault's connection.
 *
 * KoersStore owns no file: it is given the unlocked vault's sqlite3 * and
 * becomes the only writer on it. Every insert, update and delete goes
 * through this API, is validated, is written to the change log (with a
 * hybrid logical clock stamp, the device and the worker) in the same
 * transaction, and leaves an audit entry for the client's file. Nothing
 * above src/store/ writes SQL. See docs/case-model.md.
 *
 * Not thread-safe: use one store per connection.
 */
#pragma once

#include <gio/gio.h>

#include "koers-hlc.h"
#include "koers-records.h"

G_BEGIN_DECLS

/* The vault's connection, opaque here: only src/store/ runs SQL on it. */
typedef struct sqlite3 sqlite3;

#define KOERS_STORE_ERROR (koers_store_error_quark ())

typedef enum
{
  KOERS_STORE_ERROR_INVALID,      /* a value a person must correct */
  KOERS_STORE_ERROR_NOT_FOUND,    /* no such record (any more) */
  KOERS_STORE_ERROR_NO_CONSENT,   /* the client has not agreed to this */
  KOERS_STORE_ERROR_APPEND_ONLY,  /* saved notes cannot be changed */
  KOERS_STORE_ERROR_IN_USE,       /* other records still refer to it */
  KOERS_STORE_ERROR_TOO_NEW,      /* made by a newer version of Koers */
  KOERS_STORE_ERROR_FORMAT,       /* an import file that cannot be read */
  KOERS_STORE_ERROR_FAILED,       /* the database reported an error */
} KoersStoreError;

#define KOERS_TYPE_STORE (koers_store_get_type ())
G_DECLARE_FINAL_TYPE (KoersStore, koers_store, KOERS, STORE, GObject)

GQuark       koers_store_error_quark        (void);

/* The schema version this build writes. */
guint        koers_store_schema_version     (void);

/* Takes @db (borrowed: it must outlive the store), brings its schema up to
 * date and installs the guard that makes the store its only writer. Drop
 * the store before anything closes @db (koers_vault_lock(),
 * koers_vault_rekey()) and make a new one on the new connection. */
G_GNUC_WARN_UNUSED_RESULT
KoersStore  *koers_store_new                (sqlite3      *db,
                                             GError      **error);

/* This device's id, made once per store. */
const char  *koers_store_get_device_id      (KoersStore   *self);

/* The worker changes are recorded for (NULL: nobody, e.g. first setup). */
void         koers_store_set_current_worker         (KoersStore   *self,
                                             const char   *worker_id);
const char  *koers_store_get_current_worker         (KoersStore   *self);

/* Wall-clock time in Unix milliseconds; tests move it. NULL: real time. */
typedef gint64 (*KoersClockFunc) (gpointer user_data);
void         koers_store_set_clock          (KoersStore    *self,
                                             KoersClockFunc func,
                                             gpointer       user_data);
gint64       koers_store_now_ms             (KoersStore   *self);
/* Today's local date, "YYYY-MM-DD", by the store's clock. */
char        *koers_store_today              (KoersStore   *self);

/* The last stamp given out, and taking in a remote stamp (sync). */
KoersHlcStamp koers_store_get_hlc           (KoersStore   *self);
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_receive_hlc        (KoersStore   *self,
                                             KoersHlcStamp remote,
                                             GError      **error);

/* Transactions nest; each API call is atomic on its own. The store emits
 * "changed" after each outermost commit (a save, an audit entry). */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_begin              (KoersStore   *self,
                                             GError      **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_commit             (KoersStore   *self,
                                             GError      **error);
void         koers_store_rollback           (KoersStore   *self);

/* Generic create/read/update/delete over every entity. */

/* Saves a new record. If its id is NULL a UUIDv7 is made and set on it. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_insert             (KoersStore   *self,
                                             KoersEntity   kind,
                                             gpointer      record,
                                             GError      **error);
/* A copy of the record (free with koers_record_free()), or NULL. */
G_GNUC_WARN_UNUSED_RESULT
gpointer     koers_store_get                (KoersStore   *self,
                                             KoersEntity   kind,
                                             const char   *id,
                                             GError      **error);
/* Saves every field of @record over the stored one; logs what changed. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_update             (KoersStore   *self,
                                             KoersEntity   kind,
                                             gconstpointer record,
                                             GError      **error);
/* Deletes the record and what belongs to it (a client: the whole file),
 * writing a tombstone for each. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_delete             (KoersStore   *self,
                                             KoersEntity   kind,
                                             const char   *id,
                                             GError      **error);
/* Records of @kind belonging to @parent_id (NULL: all), oldest first. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_list               (KoersStore   *self,
                                             KoersEntity   kind,
                                             const char   *parent_id,
                                             GError      **error);

/* Typed wrappers: koers_store_add_client(), koers_store_get_client(),
 * koers_store_update_client(), koers_store_delete_client(), ... */
#define KOERS_STORE_TYPED(Type, type, KIND)                                            \
  static inline gboolean koers_store_add_##type (KoersStore *s, Type *r, GError **e)   \
  { return koers_store_insert (s, KIND, r, e); }                                       \
  static inline Type *koers_store_get_##type (KoersStore *s, const char *id, GError **e) \
  { return (Type *) koers_store_get (s, KIND, id, e); }                                \
  static inline gboolean koers_store_update_##type (KoersStore *s, const Type *r, GError **e) \
  { return koers_store_update (s, KIND, r, e); }                                       \
  static inline gboolean koers_store_delete_##type (KoersStore *s, const char *id, GError **e) \
  { return koers_store_delete (s, KIND, id, e); }

KOERS_STORE_TYPED (KoersSteunpunt, steunpunt, KOERS_ENTITY_STEUNPUNT)
KOERS_STORE_TYPED (KoersWorker, worker, KOERS_ENTITY_WORKER)
KOERS_STORE_TYPED (KoersPartnerOrg, partner_org, KOERS_ENTITY_PARTNER_ORG)
KOERS_STORE_TYPED (KoersReferralOrg, referral_org, KOERS_ENTITY_REFERRAL_ORG)
KOERS_STORE_TYPED (KoersClient, client, KOERS_ENTITY_CLIENT)
KOERS_STORE_TYPED (KoersAlias, alias, KOERS_ENTITY_ALIAS)
KOERS_STORE_TYPED (KoersFamilyLink, family_link, KOERS_ENTITY_FAMILY_LINK)
KOERS_STORE_TYPED (KoersConsent, consent, KOERS_ENTITY_CONSENT)
KOERS_STORE_TYPED (KoersConversation, conversation, KOERS_ENTITY_CONVERSATION)
KOERS_STORE_TYPED (KoersNoteAddendum, note_addendum, KOERS_ENTITY_NOTE_ADDENDUM)
KOERS_STORE_TYPED (KoersNextStep, next_step, KOERS_ENTITY_NEXT_STEP)
KOERS_STORE_TYPED (KoersReferral, referral, KOERS_ENTITY_REFERRAL)
KOERS_STORE_TYPED (KoersReturnPlan, return_plan, KOERS_ENTITY_RETURN_PLAN)
KOERS_STORE_TYPED (KoersReturnStep, return_step, KOERS_ENTITY_RETURN_STEP)
KOERS_STORE_TYPED (KoersSupportItem, support_item, KOERS_ENTITY_SUPPORT_ITEM)
KOERS_STORE_TYPED (KoersCheckin, checkin, KOERS_ENTITY_CHECKIN)

/* A person opens a file: returns the client and records it in the audit. */
G_GNUC_WARN_UNUSED_RESULT
KoersClient *koers_store_open_file          (KoersStore   *self,
                                             const char   *client_id,
                                             GError      **error);
/* Whether the client's latest consent record of @kind grants it. */
gboolean     koers_store_has_consent        (KoersStore       *self,
                                             const char       *client_id,
                                             KoersConsentKind  kind);

/* Search ------------------------------------------------------------------ */

typedef struct
{
  char  *client_id;
  char  *name;       /* the client's name as stored */
  double rank;       /* bm25 of the name: lower is better; 0 for a match in the notes only */
} KoersSearchHit;

void koers_search_hit_free (KoersSearchHit *hit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersSearchHit, koers_search_hit_free)

typedef enum
{
  KOERS_SEARCH_NAMES = 1 << 0,  /* names and aliases */
  KOERS_SEARCH_NOTES = 1 << 1,  /* conversation notes and addenda */
  KOERS_SEARCH_ALL   = KOERS_SEARCH_NAMES | KOERS_SEARCH_NOTES,
} KoersSearchScope;

/* Clients matching what a person typed (any script, diacritics ignored,
 * the last word as a prefix), one hit per client: matches in names and
 * aliases first, ranked by bm25; then matches in the notes only, newest
 * conversation first. @limit 0: all. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_search             (KoersStore       *self,
                                             const char       *typed,
                                             KoersSearchScope  scope,
                                             guint             limit,
                                             GError          **error);
/* Rebuilds the search index from the records (after the folding rules
 * change). */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_reindex            (KoersStore   *self,
                                             GError      **error);

/* Follow-up ----------------------------------------------------------------- */

typedef struct
{
  KoersEntity kind;       /* NEXT_STEP, RETURN_STEP or CHECKIN */
  char       *id;
  char       *client_id;
  char       *due_on;
  char       *description; /* the step's text; NULL for a check-in */
} KoersDueItem;

void koers_due_item_free (KoersDueItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersDueItem, koers_due_item_free)

/* Open next steps, return-plan steps and check-ins due from @from to @to
 * (inclusive, "YYYY-MM-DD"), by date: the "today" list. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_list_due           (KoersStore   *self,
                                             const char   *from,
                                             const char   *to,
                                             GError      **error);
/* Clients with a psychosocial signal and no referral to a counsellor or a
 * psychosocial organisation since it was noted. */
G_GNUC_WARN_UNUSED_RESULT
char       **koers_store_list_unreferred_signals (KoersStore   *self,
                                                  GError      **error);
/* The files most recently opened (newest first). */
G_GNUC_WARN_UNUSED_RESULT
char       **koers_store_list_recently_opened (KoersStore   *self,
                                               guint         limit,
                                               GError      **error);
/* Makes the monitoring check-ins of a return plan: @months after the date
 * of departure (or the planned one). NULL @months: 1, 3, 6 and 12.
 * Months that already have a check-in are left alone. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_schedule_checkins  (KoersStore   *self,
                                             const char   *plan_id,
                                             const int    *months,
                                             guint         n_months,
                                             GError      **error);

/* Retention ----------------------------------------------------------------- */

#define KOERS_RETENTION_DEFAULT_DAYS 730

/* Closed files whose closing date is at least @days ago. */
G_GNUC_WARN_UNUSED_RESULT
char       **koers_store_list_expired       (KoersStore   *self,
                                             guint         days,
                                             GError      **error);
/* Removes the files for good: records, search entries, the values in the
 * change log; the audit keeps one entry without the client's id. Then
 * compacts the database so nothing stays in free pages or the WAL. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_purge              (KoersStore        *self,
                                             const char *const *client_ids,
                                             GError           **error);

/* Export and import ------------------------------------------------------- */

/* One client's whole file (subject access), as JSON with a fixed key order
 * and as a readable Markdown document. Both are recorded in the audit. */
G_GNUC_WARN_UNUSED_RESULT
char        *koers_store_export_client_json (KoersStore   *self,
                                             const char   *client_id,
                                             GError      **error);
G_GNUC_WARN_UNUSED_RESULT
char        *koers_store_export_client_text (KoersStore   *self,
                                             const char   *client_id,
                                             GError      **error);
/* Records in the audit that @what of the client's file was printed
 * (KOERS_ENTITY_CLIENT: the summary; KOERS_ENTITY_RETURN_PLAN: the plan):
 * who and when, as an export with the entity "printed_<what>"; never the
 * content. The client must exist. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_audit_print        (KoersStore   *self,
                                             const char   *client_id,
                                             KoersEntity   what,
                                             GError      **error);
/* The whole store as JSON Lines (docs/jsonl-format.md). Recorded in the
 * audit (who, when, how many files), even when it breaks off. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_export_jsonl       (KoersStore    *self,
                                             GOutputStream *out,
                                             GCancellable  *cancellable,
                                             GError       **error);
/* Adds every record of a JSON Lines file, all or nothing; recorded in the
 * audit with the number of client files. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_import_jsonl       (KoersStore    *self,
                                             GInputStream  *in,
                                             GCancellable  *cancellable,
                                             GError       **error);

/* Change log and audit ---------------------------------------------------- */

typedef struct
{
  gint64        seq;
  KoersHlcStamp hlc;
  char         *device_id;
  char         *worker_id;
  char         *entity;
  char         *entity_id;
  char         *op;        /* "insert", "update" or "delete" */
  char         *fields;    /* JSON object; NULL for a tombstone */
} KoersChange;

void koers_change_free (KoersChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersChange, koers_change_free)

/* How many changes the log holds after @after_seq (0: all of them); -1
 * with @error set when the database fails. */
G_GNUC_WARN_UNUSED_RESULT
gint64       koers_store_count_changes      (KoersStore   *self,
                                             gint64        after_seq,
                                             GError      **error);
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_list_changes       (KoersStore   *self,
                                             gint64        after_seq,
                                             guint         limit,
                                             GError      **error);

typedef struct
{
  gint64  seq;
  gint64  at_ms;
  char   *worker_id;
  char   *action;     /* open, create, change, export, import, delete, purge */
  char   *client_id;  /* NULL once purged, and for the whole store */
  char   *entity;     /* what kind of record in the file; "store" for the whole store */
  gint64  files;      /* a whole-store export or import: how many client files; else 0 */
} KoersAuditEntry;

void koers_audit_entry_free (KoersAuditEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersAuditEntry, koers_audit_entry_free)

/* The audit of one file (NULL: everything), oldest first. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_list_audit         (KoersStore   *self,
                                             const char   *client_id,
                                             GError      **error);

G_END_DECLS
