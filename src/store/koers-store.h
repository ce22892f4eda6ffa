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
  KOERS_STORE_ERROR_NOT_ALLOWED,  /* this person's role may not do it */
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

/* Checkpoints (koers-store-checkpoint.c). With @on FALSE the connection no
 * longer checkpoints the WAL inside a commit (on the thread that saves);
 * its owner calls koers_store_checkpoint() on another connection instead,
 * e.g. on a worker thread after each commit. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_set_auto_checkpoint (KoersStore  *self,
                                              gboolean     on,
                                              GError     **error);
/* With the automatic checkpoint off: TRUE once the WAL holds
 * KOERS_STORE_CHECKPOINT_FRAMES frames or more (counted after each commit
 * on this connection), i.e. when koers_store_checkpoint() is worth its
 * syncs. Always TRUE with the automatic checkpoint on. */
#define KOERS_STORE_CHECKPOINT_FRAMES 256
gboolean     koers_store_checkpoint_due     (KoersStore  *self);
/* A passive checkpoint: copies into the database what of the WAL no
 * reader still needs, without waiting for or blocking anyone. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_checkpoint         (KoersStore  *self,
                                             GError     **error);

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
  KoersEntity kind;       /* NEXT_STEP, RETURN_STEP, CHECKIN or REFERRAL */
  char       *id;
  char       *client_id;
  char       *due_on;
  char       *description; /* the step's text; a referral's reason, else to whom; NULL for a check-in */
} KoersDueItem;

void koers_due_item_free (KoersDueItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersDueItem, koers_due_item_free)

/* Open next steps, return-plan steps, check-ins and referrals (due a week
 * after their last change) due from @from to @to (inclusive,
 * "YYYY-MM-DD"), by date: the "today" list. */
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

/* A consultation hour (issue 9; koers-store-hour.c) ------------------------------- */

/* People. Adds @person (id NULL; the new id is set on it) or saves every
 * field over the stored one. The first person in a vault becomes its
 * coordinator; after that only an active coordinator (the current worker)
 * adds or changes people. A person works at a steunpunt once the vault
 * has one. The last active coordinator cannot be demoted, deactivated or
 * removed (this holds for every write, not only this call). */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_save_person        (KoersStore   *self,
                                             KoersWorker  *person,
                                             GError      **error);
/* People with @role (-1: any), only the active ones if @active_only,
 * by name. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_list_people        (KoersStore   *self,
                                             int           role,
                                             gboolean      active_only,
                                             GError      **error);
/* TRUE if @worker_id is an active coordinator. */
gboolean     koers_store_is_coordinator     (KoersStore   *self,
                                             const char   *worker_id);

/* Organisations. Referral organisations of @kind (-1: every kind) and the
 * partner organisations abroad in @country (NULL: all), by name. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_list_referral_orgs (KoersStore   *self,
                                             int           kind,
                                             GError      **error);
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_list_partners      (KoersStore   *self,
                                             const char   *country,
                                             GError      **error);

/* Referrals. Proposed, made and accepted are open: they are due on Today
 * a week after their last change, until done or declined. */
static inline gboolean
koers_referral_is_open (KoersReferralStatus status)
{
  return status == KOERS_REFERRAL_PROPOSED || status == KOERS_REFERRAL_MADE ||
         status == KOERS_REFERRAL_ACCEPTED;
}
/* Sets the status and the date of the change (@on NULL: today). */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_set_referral_status (KoersStore          *self,
                                              const char          *referral_id,
                                              KoersReferralStatus  status,
                                              const char          *on,
                                              GError             **error);
/* The psychosocial signal of a conversation leads to a referral in one
 * step: to @counsellor_id or @organisation_id, made today. Returns the
 * referral's id. */
G_GNUC_WARN_UNUSED_RESULT
char        *koers_store_refer_signal       (KoersStore   *self,
                                             const char   *conversation_id,
                                             const char   *counsellor_id,
                                             const char   *organisation_id,
                                             const char   *reason,
                                             GError      **error);

/* The return plan. The status moves forward any number of steps and back
 * one step with a @reason (required then); departed and monitoring need
 * the date of departure. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_set_plan_status    (KoersStore      *self,
                                             const char      *plan_id,
                                             KoersPlanStatus  status,
                                             const char      *reason,
                                             GError         **error);
/* The client left on @departed_on: the plan is departed (if it was not
 * further), check-ins not yet held are dated from this departure and the
 * standard ones (1, 3, 6, 12 months) are planned. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_record_departure   (KoersStore   *self,
                                             const char   *plan_id,
                                             const char   *departed_on,
                                             GError      **error);
/* The steps of a plan by date, undated last. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_list_plan_steps    (KoersStore   *self,
                                             const char   *plan_id,
                                             GError      **error);
/* Marks a next step or a return-plan step (@kind) done, or not done. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_set_step_done      (KoersStore   *self,
                                             KoersEntity   kind,
                                             const char   *step_id,
                                             gboolean      done,
                                             GError      **error);
/* The country of return to suggest for the client: the country of origin,
 * else the nationality; NULL if neither is known. */
char        *koers_store_suggest_return_country (KoersStore *self,
                                                 const char *client_id);

/* Monitoring. Records that a check-in took place on @held_on (NULL:
 * today) with both indicators answered (yes, no or not known; "not
 * recorded" is refused) and, if given, the notes. The first check-in held
 * moves a departed plan to monitoring. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_record_checkin     (KoersStore   *self,
                                             const char   *checkin_id,
                                             const char   *held_on,
                                             KoersAnswer   social_contacts,
                                             KoersAnswer   economic_activity,
                                             const char   *notes,
                                             GError      **error);
/* The check-in held most recently and the 12-month check-in if it was
 * held (each NULL if none), for the indicators on the file. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_plan_indicators    (KoersStore    *self,
                                             const char    *plan_id,
                                             KoersCheckin **latest,
                                             KoersCheckin **at_twelve_months,
                                             GError       **error);

/* Consent. The clients whose latest consent of @kind grants it, as a set
 * of ids (one query, for a sync batch of many clients). */
G_GNUC_WARN_UNUSED_RESULT
GHashTable  *koers_store_clients_with_consent (KoersStore       *self,
                                               KoersConsentKind  kind,
                                               GError          **error);

/* Duplicate check at intake. */
typedef struct
{
  char *client_id;
  char *name;
  int   birth_year;          /* 0: not known */
  char *country_of_origin;   /* code, or NULL */
  KoersPhase phase;
  int   score;               /* higher: more alike */
} KoersPossibleDuplicate;

void koers_possible_duplicate_free (KoersPossibleDuplicate *dup);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersPossibleDuplicate, koers_possible_duplicate_free)

/* Clients who may be the person typed as @name (any script: the search's
 * folding), born in @birth_year (0: not known), best first, at most
 * @limit. A client with another known year of birth (more than a year
 * apart) is left out. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_find_possible_duplicates (KoersStore   *self,
                                                   const char   *name,
                                                   int           birth_year,
                                                   guint         limit,
                                                   GError      **error);

/* Today, in three separate sections by the store's clock. */
typedef enum
{
  KOERS_TODAY_OVERDUE,     /* due before today, oldest first */
  KOERS_TODAY_TODAY,       /* due today */
  KOERS_TODAY_THIS_WEEK,   /* due in the six days after today */
} KoersTodaySection;

G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_list_today         (KoersStore        *self,
                                             KoersTodaySection  section,
                                             GError           **error);

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
/* The same document written to a file (a PDF, "Print to File"): an export
 * on disk in clear, with the entity "file_<what>". */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_audit_print_to_file (KoersStore  *self,
                                              const char  *client_id,
                                              KoersEntity  what,
                                              GError     **error);
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
  char         *client_id; /* the file; NULL for reference data */
  char         *bases;     /* JSON object field -> stamp replaced; NULL for an insert */
} KoersChange;

void koers_change_free (KoersChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersChange, koers_change_free)

/* How many changes the log holds after @after_seq (0: all of them); -1
 * with @error set when the database fails. What the office has not yet
 * acknowledged is koers_store_sync_get_counts()'s unacknowledged. */
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

/* Sync ------------------------------------------------------------------------------
 * The store's side of sync (koers-store-sync.c, docs/case-model.md "Sync"):
 * field stamps, the outbox of sealed batches, the epoch, and the sync
 * settings and secrets, all in the vault. A stamp is text: the HLC as 16
 * hex digits, ':', the device id; stamps compare as strings.
 *
 * Every seq below (cuts, batches, acknowledgements, counts) is the
 * device's own sequence: its own changes numbered 1, 2, 3… without gaps
 * (change_log.device_seq), never counting the changes it merged from
 * other devices (docs/sync-format.md "The payload"). */

/* A stamp's text form, e.g. "0001976f07e6a9fc:019771c3-8a3f-70aa-...". */
char        *koers_store_stamp_text         (KoersHlcStamp hlc,
                                             const char   *device_id);
/* The stamps of a record's current values: a JSON object field -> stamp,
 * "*" for every field not named. */
G_GNUC_WARN_UNUSED_RESULT
char        *koers_store_get_stamps         (KoersStore   *self,
                                             KoersEntity   kind,
                                             const char   *id,
                                             GError      **error);

/* This device's own changes after @after_seq as JSON Lines (one change a
 * line, see docs/case-model.md; "seq" is the device's own sequence, so a
 * batch's lines are numbered without gaps even when merged changes came
 * in between), as many as fit in @max_bytes; a change larger than
 * @max_bytes comes alone (a change is never split). @last_seq: the seq of
 * the last change included (@after_seq when there are none); @n_changes:
 * how many. */
G_GNUC_WARN_UNUSED_RESULT
GBytes      *koers_store_sync_read_changes  (KoersStore   *self,
                                             gint64        after_seq,
                                             gsize         max_bytes,
                                             gint64       *last_seq,
                                             guint        *n_changes,
                                             GError      **error);

/* Where the next batch starts: the current epoch, its first seq (the
 * changes after the last cut) and the hash of the previous batch of this
 * device's chain (NULL: none yet). */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_sync_next_cut      (KoersStore   *self,
                                             gint64       *epoch,
                                             gint64       *first_seq,
                                             GBytes      **prev_hash,
                                             GError      **error);

/* Stores a sealed batch of the changes @first_seq..@last_seq and marks
 * them as cut, in one transaction: they go in no other batch. @first_seq
 * must be where koers_store_sync_next_cut() says and @epoch the current
 * one; anything else is refused (KOERS_STORE_ERROR_INVALID) and changes
 * nothing. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_sync_store_batch   (KoersStore   *self,
                                             gint64        epoch,
                                             gint64        first_seq,
                                             gint64        last_seq,
                                             GBytes       *sealed,
                                             GBytes       *hash,
                                             GError      **error);

typedef enum
{
  KOERS_BATCH_SEALED,        /* waiting to be uploaded */
  KOERS_BATCH_UPLOADED,      /* on the drop, not yet acknowledged */
  KOERS_BATCH_ACKNOWLEDGED,  /* imported by the office; bytes forgotten */
  KOERS_BATCH_QUARANTINED,   /* held back for a person, with a reason */
} KoersBatchState;

typedef struct
{
  char           *device_id;
  gint64          epoch;
  gint64          first_seq;
  gint64          last_seq;
  GBytes         *sealed;     /* the stored bytes; NULL once acknowledged */
  GBytes         *hash;
  KoersBatchState state;
  char           *reason;     /* quarantined: why, in words */
  gint64          sealed_ms;
  gint64          uploaded_ms; /* 0: not (yet) */
  gint64          acked_ms;
} KoersOutboxBatch;

void koers_outbox_batch_free (KoersOutboxBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersOutboxBatch, koers_outbox_batch_free)

/* The batches in @state, oldest first (epoch, then seq): with
 * KOERS_BATCH_SEALED, those to upload in order. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_sync_list_batches  (KoersStore      *self,
                                             KoersBatchState  state,
                                             GError         **error);
/* The batch is on the drop. Only a sealed batch can be. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_sync_mark_uploaded (KoersStore   *self,
                                             gint64        epoch,
                                             gint64        first_seq,
                                             GError      **error);
/* Holds a sealed or uploaded batch back for a person; later ones go on. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_sync_quarantine    (KoersStore   *self,
                                             gint64        epoch,
                                             gint64        first_seq,
                                             const char   *reason,
                                             GError      **error);
/* The office acknowledges every change up to @seq, the last of the batch
 * with @hash (of @epoch): those batches are acknowledged and their bytes
 * forgotten. An ack for a batch this vault never sealed, or with another
 * hash, is refused (KOERS_STORE_ERROR_INVALID) and changes nothing; an ack
 * of an earlier epoch or of what is already acknowledged changes nothing.
 * @n_acknowledged (may be NULL): how many batches it acknowledged now. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_sync_apply_ack     (KoersStore   *self,
                                             gint64        epoch,
                                             gint64        seq,
                                             GBytes       *hash,
                                             guint        *n_acknowledged,
                                             GError      **error);

/* Restore detection. The engine reports the latest batch of this device
 * that the drop or the office's ack knows (@epoch, its last @seq and its
 * @hash). If that is more than this vault ever sealed (a later epoch, a
 * higher seq, a batch it never cut, or the same seq with another hash),
 * the vault was restored from an older backup: a new epoch starts from
 * the first change not acknowledged, and every unacknowledged batch is cut
 * again in it, so the chain never forks. @new_epoch: whether one started. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_sync_check_restore (KoersStore   *self,
                                             gint64        epoch,
                                             gint64        seq,
                                             GBytes       *hash,
                                             gboolean     *new_epoch,
                                             GError      **error);
gint64       koers_store_sync_get_epoch     (KoersStore   *self);

typedef struct
{
  gint64 unsealed_changes;       /* changes not yet in a batch */
  gint64 unacknowledged_changes; /* changes the office has not acknowledged */
  guint  sealed_batches;         /* sealed, not uploaded */
  guint  uploaded_batches;       /* uploaded, not acknowledged */
  guint  quarantined_batches;
  gint64 last_success_ms;        /* 0: never */
  gint64 last_error_ms;          /* 0: no error since the last success */
  char  *last_error;             /* in words; NULL: none */
} KoersSyncCounts;

void koers_sync_counts_clear (KoersSyncCounts *counts);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KoersSyncCounts, koers_sync_counts_clear)

G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_sync_get_counts    (KoersStore      *self,
                                             KoersSyncCounts *counts,
                                             GError         **error);
/* The end of a round: NULL @error_text is a success (clears the last
 * error), else the reason in words (never a name or a value). */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_sync_record_round  (KoersStore   *self,
                                             const char   *error_text,
                                             GError      **error);

/* Sync settings and secrets (the enrollment, the device's secret key):
 * kept in the vault only. Get returns NULL without an error when unset;
 * the returned bytes are wiped when freed. Set with NULL removes. */
G_GNUC_WARN_UNUSED_RESULT
GBytes      *koers_store_sync_get_setting   (KoersStore   *self,
                                             const char   *key,
                                             GError      **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_sync_set_setting   (KoersStore   *self,
                                             const char   *key,
                                             GBytes       *value,
                                             GError      **error);

/* Whether a client's changes have reached the office. */
typedef enum
{
  KOERS_DELIVERY_ACKNOWLEDGED, /* every change imported by the office */
  KOERS_DELIVERY_UPLOADED,     /* all on the drop, some not yet acknowledged */
  KOERS_DELIVERY_NOT_SENT,     /* some not yet uploaded (or held back) */
} KoersDelivery;

/* One query for a list (the Clients list): @states gets one entry per id. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_sync_client_states (KoersStore        *self,
                                             const char *const *client_ids,
                                             KoersDelivery     *states,
                                             GError           **error);
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_sync_client_state  (KoersStore    *self,
                                             const char    *client_id,
                                             KoersDelivery *state,
                                             GError       **error);

/* Report (koers-store-report.c) ---------------------------------------------------
 * The office's reports read the records through koers_store_list(); a
 * plain, named export of every client is recorded here first: an export
 * of the whole store with the entity "named_export:<files>". */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_audit_named_export (KoersStore   *self,
                                             guint         n_files,
                                             GError      **error);

/* Merge ------------------------------------------------------------------------------
 * koers-store-merge.c, docs/case-model.md "Merge": one implementation for
 * the office's import and the laptops' team sync.
 *
 *   KoersMergeStats stats;
 *   if (!koers_store_merge_changes (store, lines, device_id, &stats, &error))
 *     ... nothing of the batch was applied; quarantine it with error->message
 *   conflicts = koers_store_list_conflicts (store, NULL, &error);
 *   koers_store_resolve_conflict (store, conflict->id, stamp_or_NULL, &error);
 *
 * @lines are JSON Lines as koers_store_sync_read_changes() writes them
 * (one batch of one device). Per field, a change whose base is the current
 * stamp applies; a change already known (same stamp) changes nothing; a
 * change superseded by a later one it is the base of is kept in the log
 * but not shown; two changes of one field from the same base are a
 * conflict that keeps every value (provisionally shown: the higher stamp).
 * Inserts (a new note, an addendum) never conflict. A tombstone beats
 * edits older than it; an edit newer than a tombstone is a conflict (the
 * record provisionally stays deleted). The result depends only on the set
 * of changes merged, never on the order batches arrive in. Merged changes
 * keep their stamp, device and worker in this store's change log (marked
 * as merged: the outbox never sends them as this device's own) and in the
 * audit. Rules meant for a person's edit (the last coordinator, plan
 * status moves, referral dating, dates in the future) are not applied to
 * a merged change: the device that made it applied them. */

typedef struct
{
  guint changes;    /* lines read */
  guint applied;    /* new to this store (logged, records brought up to date) */
  guint known;      /* already in this store: the same change again */
  guint conflicts;  /* conflicts open after the merge among the records touched */
  /* what came in, for "3 new conversations" (additive, issue 12) */
  guint inserted[KOERS_N_ENTITIES];  /* of applied: records new to this store, by kind */
  char  last_worker_id[40];          /* who made the last change applied ("": nobody) */
} KoersMergeStats;

/* Merges one batch of changes from @origin_device in one transaction: all
 * or nothing. A line that cannot be read, of an unknown entity, op or
 * field, with a malformed stamp or base, is refused
 * (KOERS_STORE_ERROR_FORMAT) with its line number, and nothing is
 * applied. Takes the batch's newest stamp into the clock. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_merge_changes      (KoersStore       *self,
                                             GBytes           *lines,
                                             const char       *origin_device,
                                             KoersMergeStats  *stats,
                                             GError          **error);

/* Called for each line of the batch, in order, once it is merged (new or
 * already known): the line as received and its "seq" member as SQL text
 * (NULL when it has none). FALSE (with @error) refuses the batch. */
typedef gboolean (*KoersMergeLineFunc) (const char  *line,
                                        const char  *seq,
                                        gpointer     user_data,
                                        GError     **error);

/* koers_store_merge_changes(), handing each line to @each_line inside the
 * same transaction: a caller that keeps the lines need not read them
 * again (the office keeps them as received). */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_merge_changes_full (KoersStore          *self,
                                             GBytes              *lines,
                                             const char          *origin_device,
                                             KoersMergeLineFunc   each_line,
                                             gpointer             user_data,
                                             KoersMergeStats     *stats,
                                             GError             **error);

typedef struct
{
  char    *stamp;      /* the change that set it */
  char    *value;      /* the value as JSON ("null": empty); a deletion: NULL */
  char    *worker_id;  /* who (NULL: nobody) */
  char    *device_id;
  gint64   at_ms;      /* when (the stamp's wall clock) */
  gboolean shown;      /* the provisional winner, in the record now */
} KoersConflictValue;

typedef struct
{
  gint64       id;         /* stable while the conflict is open */
  KoersEntity  kind;
  char        *entity_id;
  char        *client_id;  /* the file; NULL for reference data */
  char        *field;      /* the field; "*" for deleted against edited */
  GPtrArray   *values;     /* KoersConflictValue, by stamp; two or more */
} KoersConflict;

void koers_conflict_free (KoersConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersConflict, koers_conflict_free)

/* Open conflicts, of one file (@client_id) or all (NULL), oldest first. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_list_conflicts     (KoersStore   *self,
                                             const char   *client_id,
                                             GError      **error);
/* Resolves conflict @id: @take_stamp names the value to keep (one of the
 * conflict's stamps); NULL keeps the one shown. The resolution is a new
 * local change whose bases are all the conflict's stamps, so it flows on
 * and closes the conflict in every store that merges it. Recorded in the
 * audit. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_resolve_conflict   (KoersStore   *self,
                                             gint64        id,
                                             const char   *take_stamp,
                                             GError      **error);

/* Showing what came from colleagues (koers-store-arrivals.c) -------------------------
 * For the app: the parts it needs to show a conflict's values as a person
 * reads them, the count of conflicts for the sync status, and which files
 * changed on another laptop since this person last opened them. */

typedef enum
{
  KOERS_VALUE_TEXT,
  KOERS_VALUE_DATE,     /* YYYY-MM-DD */
  KOERS_VALUE_NUMBER,
  KOERS_VALUE_YES_NO,
  KOERS_VALUE_CHOICE,   /* one of a vocabulary, stored by its name */
  KOERS_VALUE_COUNTRY,  /* ISO 3166 alpha-2 */
  KOERS_VALUE_RECORD,   /* the id of a record of @ref */
  KOERS_VALUE_LIST,     /* texts, or ids of records of @ref */
} KoersValueKind;

typedef struct
{
  const char     *label;  /* translated, lower case, as in messages ("year of birth") */
  KoersValueKind  kind;
  int             ref;    /* RECORD, LIST: the KoersEntity its ids name; -1: none */
} KoersFieldDescription;

/* The field @field of @kind; FALSE when there is no such field. */
gboolean     koers_entity_describe_field    (KoersEntity            kind,
                                             const char            *field,
                                             KoersFieldDescription *description);
/* A CHOICE value's position in its vocabulary (the enum's value: a
 * KoersPhase for a client's "phase"), older names included; -1: unknown. */
int          koers_entity_read_choice       (KoersEntity   kind,
                                             const char   *field,
                                             const char   *name);
/* The parts of a value given as JSON (a conflict's): a string, a number or
 * true/false as text, or each item of an array; none for null. */
char       **koers_store_read_value         (KoersStore   *self,
                                             const char   *json);
/* The open conflicts in clients' files (reference data is the office's
 * to resolve) and, in @first_client_id when not NULL, the file of the
 * oldest (NULL: none). -1 on failure. */
gint64       koers_store_count_file_conflicts (KoersStore  *self,
                                               char       **first_client_id,
                                               GError     **error);
/* For each of @client_ids, whether changes merged from another laptop
 * arrived after @worker_id last opened that file (or the worker never
 * opened it): arrival order is the audit's, where a merged change is
 * recorded when it arrives and an opening when it happens. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_files_changed_elsewhere (KoersStore         *self,
                                                  const char         *worker_id,
                                                  const char *const  *client_ids,
                                                  gboolean           *marks,
                                                  GError            **error);

/* Team sync: reading colleagues' batches (koers-store-peer.c) -------------------------
 * docs/case-model.md "Team sync". Per device of this steunpunt: the last
 * batch of it merged here (its chain state) and the batches refused. The
 * sync layer verifies a batch (the envelope reader) and hands it here;
 * the merge and the move of the device's chain state are one transaction,
 * so a kill loses nothing and merges nothing twice. */

typedef struct
{
  char   *device_id;
  gint64  epoch;          /* of the last batch merged; 0: none yet */
  gint64  last_seq;       /* its last sequence: how far this laptop has read */
  GBytes *hash;           /* its hash (the next batch's "previous"); NULL: none */
  gint64  batches;        /* batches merged */
  gint64  changes;        /* their changes */
  gint64  last_read_ms;   /* when the last one was merged; 0: never */
  guint   quarantined;    /* batches refused */
} KoersPeerState;

void koers_peer_state_free (KoersPeerState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersPeerState, koers_peer_state_free)

/* The state of @device_id (all zeros, no hash, when nothing was read). */
G_GNUC_WARN_UNUSED_RESULT
KoersPeerState *koers_store_peer_get        (KoersStore   *self,
                                             const char   *device_id,
                                             GError      **error);
/* Every device read from or refused, by id. */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_peer_list          (KoersStore   *self,
                                             GError      **error);
/* Merges a verified batch of @device_id (koers_store_merge_changes()) and
 * makes it the device's last read batch, in one transaction. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_peer_merge_batch   (KoersStore       *self,
                                             const char       *device_id,
                                             gint64            epoch,
                                             gint64            last_seq,
                                             GBytes           *hash,
                                             GBytes           *lines,
                                             KoersMergeStats  *stats,
                                             GError          **error);

typedef struct
{
  char   *device_id;
  char   *name;
  char   *reason_code;   /* "unknown-device", "revoked", "signature", ... */
  char   *reason;        /* in words */
  gint64  at_ms;
} KoersPeerQuarantined;

void koers_peer_quarantined_free (KoersPeerQuarantined *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersPeerQuarantined, koers_peer_quarantined_free)

G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_peer_quarantine    (KoersStore   *self,
                                             const char   *device_id,
                                             const char   *name,
                                             gint64        size,
                                             GBytes       *hash,
                                             const char   *reason_code,
                                             const char   *reason,
                                             GError      **error);
/* Whether the file @name of @device_id, @size bytes on the drop, was
 * refused already (then it is not fetched again). */
gboolean     koers_store_peer_is_quarantined (KoersStore  *self,
                                              const char  *device_id,
                                              const char  *name,
                                              gint64       size);
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_peer_list_quarantine (KoersStore  *self,
                                               GError     **error);

/* The office's decisions (koers-store-relay.c) ---------------------------------------
 * docs/sync-format.md "Office batch". The office relays to a steunpunt's
 * laptops the reference data that came from elsewhere, its resolutions of
 * their conflicts, and its erasures; a laptop applies them for good. An
 * erased client is remembered by id (sync_erased, schema version 10) in
 * both stores, and the merge of any later batch leaves their changes out. */

typedef struct
{
  gint64  id;          /* ascending: the order they were made in */
  char   *client_id;
  char   *why;         /* "erase" (a person's right) or "retention" */
} KoersErasure;

void koers_erasure_free (KoersErasure *erasure);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersErasure, koers_erasure_free)

/* Records that @client_ids are erased, @why "erase" or "retention" (an id
 * recorded before stays as it was). It does not remove the files:
 * koers_store_purge() does. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_record_erasures    (KoersStore         *self,
                                             const char *const  *client_ids,
                                             const char         *why,
                                             GError            **error);
/* The erasures recorded after @after_id, in order (KoersErasure). */
G_GNUC_WARN_UNUSED_RESULT
GPtrArray   *koers_store_list_erasures      (KoersStore   *self,
                                             gint64        after_id,
                                             GError      **error);
/* @lines (JSON Lines of changes) without the changes of erased clients
 * (@n_left_out of them); @lines itself when nothing was ever erased. */
GBytes      *koers_store_filter_erased      (KoersStore   *self,
                                             GBytes       *lines,
                                             guint        *n_left_out);
/* Compacts the database when an erasure may still be in free pages or in
 * the WAL (a kill between its commit and the compaction). Outside any
 * transaction. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_compact_erased     (KoersStore   *self,
                                             GError      **error);
/* The office: its change-log rows after @after_change to relay to one
 * steunpunt's laptops, as batch lines numbered from @first_seq, up to
 * about @max_bytes: reference data not brought by @local_devices (a JSON
 * array of that steunpunt's device ids), and the office's own changes
 * whose bases name a stamp of one of them (its resolutions of their
 * conflicts). @last_change: the last row taken. */
G_GNUC_WARN_UNUSED_RESULT
GBytes      *koers_store_relay_changes      (KoersStore   *self,
                                             gint64        after_change,
                                             gint64        first_seq,
                                             const char   *local_devices,
                                             gsize         max_bytes,
                                             gint64       *last_change,
                                             guint        *n_lines,
                                             GError      **error);
/* A laptop: applies a verified office batch of @origin (the office's id
 * in the formats) and makes it the office's last read batch, in one
 * transaction: its erasures ({"erase": client id, "why": …} lines: the
 * files purged, not as this device's own changes) and its changes
 * (merged). Then, when it erased, compacts the database. A line that is
 * neither is refused (KOERS_STORE_ERROR_FORMAT) and nothing is applied. */
G_GNUC_WARN_UNUSED_RESULT
gboolean     koers_store_peer_apply_office_batch (KoersStore      *self,
                                                  const char      *origin,
                                                  gint64           epoch,
                                                  gint64           last_seq,
                                                  GBytes          *hash,
                                                  GBytes          *lines,
                                                  KoersMergeStats *stats,
                                                  guint           *n_erased,
                                                  GError         **error);

G_END_DECLS
