/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-records.h: the entities of the case model as plain structs.
 *
 * Every struct starts with its id (a UUIDv7, NULL until the store makes
 * one). Strings are UTF-8 owned by the struct; NULL means "not recorded".
 * Dates are "YYYY-MM-DD". Lists are NULL-terminated string vectors.
 * Enumerations whose first value is *_UNKNOWN store nothing for it.
 * Free any record with koers_record_free() or its g_autoptr type.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* In dependency order: a record only refers to kinds listed before it
 * (the order of the JSON Lines export). */
typedef enum
{
  KOERS_ENTITY_STEUNPUNT,
  KOERS_ENTITY_WORKER,
  KOERS_ENTITY_PARTNER_ORG,
  KOERS_ENTITY_REFERRAL_ORG,
  KOERS_ENTITY_CLIENT,
  KOERS_ENTITY_ALIAS,
  KOERS_ENTITY_FAMILY_LINK,
  KOERS_ENTITY_CONSENT,
  KOERS_ENTITY_CONVERSATION,
  KOERS_ENTITY_NOTE_ADDENDUM,
  KOERS_ENTITY_NEXT_STEP,
  KOERS_ENTITY_REFERRAL,
  KOERS_ENTITY_RETURN_PLAN,
  KOERS_ENTITY_RETURN_STEP,
  KOERS_ENTITY_SUPPORT_ITEM,
  KOERS_ENTITY_CHECKIN,
  KOERS_N_ENTITIES
} KoersEntity;

/* Enumerations (stored as the lower-case names in docs/case-model.md) */

typedef enum { KOERS_ROLE_VOLUNTEER, KOERS_ROLE_COUNSELLOR, KOERS_ROLE_CONSULTANT,
               KOERS_ROLE_COORDINATOR } KoersRole;

/* RETURN: Maatwerk bij Terugkeer; MENTAL_HEALTH: mental-health care
 * (GGZ). Before schema 6: lawyer, psychosocial, social. */
typedef enum { KOERS_ORG_KIND_RETURN, KOERS_ORG_KIND_LEGAL_AID, KOERS_ORG_KIND_MEDICAL,
               KOERS_ORG_KIND_MENTAL_HEALTH, KOERS_ORG_KIND_SHELTER, KOERS_ORG_KIND_OTHER
             } KoersOrgKind;

typedef enum { KOERS_GENDER_UNKNOWN, KOERS_GENDER_FEMALE, KOERS_GENDER_MALE,
               KOERS_GENDER_OTHER } KoersGender;

typedef enum
{
  KOERS_PROCEDURE_UNKNOWN,
  KOERS_PROCEDURE_IN_PROCEDURE,
  KOERS_PROCEDURE_NEARLY_EXHAUSTED,
  KOERS_PROCEDURE_EXHAUSTED,
  KOERS_PROCEDURE_DUBLIN,
  KOERS_PROCEDURE_SUBSEQUENT_APPLICATION,
  KOERS_PROCEDURE_IRREGULAR_STAY,
  KOERS_PROCEDURE_OTHER,
} KoersProcedureStatus;

typedef enum { KOERS_INTAKE_UNKNOWN, KOERS_INTAKE_CONSULTATION_HOUR, KOERS_INTAKE_REFERRAL
             } KoersIntakeChannel;

typedef enum
{
  KOERS_PHASE_INTAKE,
  KOERS_PHASE_ORIENTATION,
  KOERS_PHASE_RETURN_SUPPORT,
  KOERS_PHASE_MONITORING,
  KOERS_PHASE_CLOSED,
} KoersPhase;

typedef enum
{
  KOERS_OUTCOME_UNKNOWN,
  KOERS_OUTCOME_RETURNED,
  KOERS_OUTCOME_NEW_PROCEDURE,
  KOERS_OUTCOME_PERMIT,
  KOERS_OUTCOME_STAYS_WITHOUT_PAPERS,
  KOERS_OUTCOME_MOVED_ON,
  KOERS_OUTCOME_LOST_CONTACT,
  KOERS_OUTCOME_OTHER,
} KoersOutcome;

typedef enum { KOERS_RELATION_PARTNER, KOERS_RELATION_CHILD, KOERS_RELATION_PARENT,
               KOERS_RELATION_SIBLING, KOERS_RELATION_OTHER } KoersRelation;

/* The scope of a consent: storing the file, sharing it with the partner
 * organisation abroad, reporting (pseudonymised) to the national office. */
typedef enum { KOERS_CONSENT_STORE_FILE, KOERS_CONSENT_SHARE_PARTNER,
               KOERS_CONSENT_PSEUDONYMOUS_REPORTING } KoersConsentKind;

typedef enum { KOERS_CONSENT_HOW_UNKNOWN, KOERS_CONSENT_SPOKEN, KOERS_CONSENT_WRITTEN
             } KoersConsentHow;

/* Open: proposed, made, accepted; closed: done, declined. */
typedef enum { KOERS_REFERRAL_PROPOSED, KOERS_REFERRAL_MADE, KOERS_REFERRAL_ACCEPTED,
               KOERS_REFERRAL_DONE, KOERS_REFERRAL_DECLINED } KoersReferralStatus;

typedef enum { KOERS_DOCUMENTS_UNKNOWN, KOERS_DOCUMENTS_NONE, KOERS_DOCUMENTS_REQUESTED,
               KOERS_DOCUMENTS_IN_PROGRESS, KOERS_DOCUMENTS_READY } KoersDocumentStatus;

/* In this order; forward any number of steps, back one step with a
 * reason (docs/case-model.md). */
typedef enum { KOERS_PLAN_DRAFT, KOERS_PLAN_AGREED, KOERS_PLAN_DEPARTED,
               KOERS_PLAN_MONITORING, KOERS_PLAN_CLOSED } KoersPlanStatus;

typedef enum { KOERS_OWNER_CLIENT, KOERS_OWNER_STEUNPUNT, KOERS_OWNER_PARTNER } KoersOwner;

/* The help Maatwerk bij Terugkeer gives; BUSINESS: starting a business. */
typedef enum { KOERS_SUPPORT_HOUSING, KOERS_SUPPORT_BUSINESS, KOERS_SUPPORT_EDUCATION,
               KOERS_SUPPORT_MEDICAL, KOERS_SUPPORT_TRAVEL, KOERS_SUPPORT_DOCUMENTS,
               KOERS_SUPPORT_MONEY, KOERS_SUPPORT_FAMILY_TRACING } KoersSupportKind;

typedef enum { KOERS_SUPPORT_PLANNED, KOERS_SUPPORT_APPROVED, KOERS_SUPPORT_DELIVERED,
               KOERS_SUPPORT_CANCELLED } KoersSupportStatus;

/* UNKNOWN: not recorded; NOT_KNOWN: asked, and the answer is not known. */
typedef enum { KOERS_ANSWER_UNKNOWN, KOERS_ANSWER_YES, KOERS_ANSWER_NO,
               KOERS_ANSWER_NOT_KNOWN } KoersAnswer;

typedef enum { KOERS_HOUSING_UNKNOWN, KOERS_HOUSING_STABLE, KOERS_HOUSING_TEMPORARY,
               KOERS_HOUSING_NONE } KoersHousing;

/* Vocabularies of the list fields (NULL-terminated). */
extern const char *const koers_topic_names[];   /* conversation topics */
extern const char *const koers_barrier_names[]; /* barriers noted */

/* Reference data */

typedef struct
{
  char *id;
  char *name;
  char *city;
} KoersSteunpunt;

typedef struct
{
  char     *id;
  char     *name;
  KoersRole role;
  char     *steunpunt_id;
  gboolean  active;
} KoersWorker;

typedef struct
{
  char *id;
  char *name;
  char *country;          /* ISO 3166 alpha-2 */
} KoersPartnerOrg;

typedef struct
{
  char        *id;
  char        *name;
  KoersOrgKind kind;
} KoersReferralOrg;

/* The client's file */

typedef struct
{
  char                *id;
  char                *name;               /* as the client gives it, any script */
  int                  birth_year;         /* 0: not given */
  char                *birth_date;
  KoersGender          gender;
  char                *country_of_origin;  /* ISO 3166 alpha-2 */
  char                *nationality;        /* ISO 3166 alpha-2 */
  char               **languages;
  gboolean             needs_interpreter;
  char                *v_number;
  char                *phone;
  KoersProcedureStatus procedure_status;
  int                  arrival_year;       /* 0: not given */
  KoersIntakeChannel   intake_channel;
  char                *referred_by_id;     /* referral organisation */
  char                *steunpunt_id;
  KoersPhase           phase;
  KoersOutcome         outcome;
  char                *closed_on;          /* set by the store when closed */
} KoersClient;

typedef struct
{
  char *id;
  char *client_id;
  char *name;
} KoersAlias;

typedef struct
{
  char         *id;
  char         *client_id;
  char         *relative_id;   /* another client */
  KoersRelation relation;
} KoersFamilyLink;

typedef struct
{
  char            *id;
  char            *client_id;
  KoersConsentKind kind;
  gboolean         granted;       /* FALSE records a refusal or withdrawal */
  char            *recorded_on;
  char            *recorded_by_id;
  KoersConsentHow  given_how;     /* spoken, written */
} KoersConsent;

typedef struct
{
  char     *id;
  char     *client_id;
  char     *held_on;
  int       duration_minutes;     /* 0: not recorded */
  char     *steunpunt_id;
  char    **worker_ids;
  gboolean  interpreter_present;
  char    **topics;               /* koers_topic_names */
  char    **barriers;             /* koers_barrier_names */
  gboolean  psychosocial_signal;
  char     *notes;                /* append-only once saved */
} KoersConversation;

typedef struct
{
  char *id;
  char *conversation_id;
  char *written_on;
  char *author_id;
  char *text;
} KoersNoteAddendum;

typedef struct
{
  char    *id;
  char    *conversation_id;
  char    *description;
  char    *owner_id;
  char    *due_on;
  gboolean done;
} KoersNextStep;

typedef struct
{
  char                *id;
  char                *client_id;
  char                *organisation_id;  /* a referral organisation, or */
  char                *counsellor_id;    /* a counsellor of the steunpunt */
  char                *reason;
  char                *referred_on;
  KoersReferralStatus  status;
  char                *status_on;        /* date of the last change of status */
} KoersReferral;

typedef struct
{
  char               *id;
  char               *client_id;
  char               *country;
  char               *region;
  char               *partner_id;
  char               *consultant_id;
  char               *planned_departure;
  char               *departed_on;
  KoersDocumentStatus document_status;
  KoersPlanStatus     status;
  char               *status_reason;  /* why it went back a step */
} KoersReturnPlan;

typedef struct
{
  char      *id;
  char      *plan_id;
  char      *description;
  KoersOwner owner;
  char      *due_on;
  gboolean   done;
} KoersReturnStep;

typedef struct
{
  char              *id;
  char              *plan_id;
  KoersSupportKind   kind;
  char              *description;
  KoersSupportStatus status;
} KoersSupportItem;

typedef struct
{
  char        *id;
  char        *plan_id;
  int          month;              /* months after departure */
  char        *due_on;
  char        *held_on;
  KoersAnswer  social_contacts;
  KoersAnswer  economic_activity;
  KoersHousing housing;
  KoersAnswer  safety_concerns;
  char        *notes;
} KoersCheckin;

/* Generic access */

/* A new zeroed record of @kind (defaults: a worker is active). */
gpointer     koers_record_new          (KoersEntity   kind);
void         koers_record_free         (KoersEntity   kind,
                                        gpointer      record);
gpointer     koers_record_copy         (KoersEntity   kind,
                                        gconstpointer record);
/* koers_client_free() and its like, for @kind (for GPtrArrays). */
GDestroyNotify koers_record_free_func  (KoersEntity   kind);
/* The table name and JSON "type" of @kind ("client"). */
const char  *koers_entity_name         (KoersEntity   kind);
gboolean     koers_entity_from_name    (const char   *name,
                                        KoersEntity  *kind);
/* The record's id (NULL before it is saved). */
const char  *koers_record_get_id       (gconstpointer record);

/* Boxed types and g_autoptr cleanup for each struct. */
#define KOERS_DECLARE_RECORD(Type, type)                                 \
  GType koers_##type##_get_type (void) G_GNUC_CONST;                     \
  Type *koers_##type##_new (void);                                      \
  Type *koers_##type##_copy (const Type *record);                        \
  void  koers_##type##_free (Type *record);                              \
  G_DEFINE_AUTOPTR_CLEANUP_FUNC (Type, koers_##type##_free)

KOERS_DECLARE_RECORD (KoersSteunpunt, steunpunt)
KOERS_DECLARE_RECORD (KoersWorker, worker)
KOERS_DECLARE_RECORD (KoersPartnerOrg, partner_org)
KOERS_DECLARE_RECORD (KoersReferralOrg, referral_org)
KOERS_DECLARE_RECORD (KoersClient, client)
KOERS_DECLARE_RECORD (KoersAlias, alias)
KOERS_DECLARE_RECORD (KoersFamilyLink, family_link)
KOERS_DECLARE_RECORD (KoersConsent, consent)
KOERS_DECLARE_RECORD (KoersConversation, conversation)
KOERS_DECLARE_RECORD (KoersNoteAddendum, note_addendum)
KOERS_DECLARE_RECORD (KoersNextStep, next_step)
KOERS_DECLARE_RECORD (KoersReferral, referral)
KOERS_DECLARE_RECORD (KoersReturnPlan, return_plan)
KOERS_DECLARE_RECORD (KoersReturnStep, return_step)
KOERS_DECLARE_RECORD (KoersSupportItem, support_item)
KOERS_DECLARE_RECORD (KoersCheckin, checkin)

G_END_DECLS
