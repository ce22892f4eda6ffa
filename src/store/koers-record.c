/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>
#include <stddef.h>
#include <string.h>

#include "koers-record-private.h"
#include "koers-store-hour-private.h"

#define NAME_BYTES   400
#define SHORT_BYTES  2000
#define NOTES_BYTES  (1024 * 1024)

/* Field descriptors, one macro per storage type. */
#define F(T, f, label, type, flags, ref, values, max, lo, hi) \
  { #f, label, type, offsetof (T, f), flags, ref, values, max, lo, hi }
#define TEXT(T, f, label, flags, max) F (T, f, label, KOERS_FIELD_TEXT, flags, 0, NULL, max, 1, 0)
#define DATE(T, f, label, flags)      F (T, f, label, KOERS_FIELD_DATE, flags, 0, NULL, 10, 1, 0)
#define INT(T, f, label, flags, lo, hi) \
  F (T, f, label, KOERS_FIELD_INT, (flags) | KOERS_FIELD_ZERO_IS_NULL, 0, NULL, 0, lo, hi)
#define BOOL(T, f, label, flags)      F (T, f, label, KOERS_FIELD_BOOL, flags, 0, NULL, 0, 1, 0)
#define ENUM(T, f, label, flags, values) \
  F (T, f, label, KOERS_FIELD_ENUM, flags, 0, values, 0, 1, 0)
#define COUNTRY(T, f, label, flags)   F (T, f, label, KOERS_FIELD_COUNTRY, flags, 0, NULL, 2, 1, 0)
#define REF(T, f, label, flags, kind) F (T, f, label, KOERS_FIELD_REF, flags, kind, NULL, 36, 1, 0)
#define LIST(T, f, label, flags, kind, values) \
  F (T, f, label, KOERS_FIELD_LIST, flags, kind, values, NAME_BYTES, 1, 0)

#define CONSENT KOERS_FIELD_CONSENT
#define REQUIRED KOERS_FIELD_REQUIRED
#define OPTIONAL KOERS_FIELD_ZERO_IS_NULL
#define PARENT (KOERS_FIELD_PARENT | KOERS_FIELD_REQUIRED)
#define NOTES (KOERS_FIELD_MULTILINE)

static const char *const role_names[] = { "volunteer", "counsellor", "consultant", "coordinator", NULL };
static const char *const org_kind_names[] = { "return", "legal_aid", "medical", "mental_health",
                                              "shelter", "other", NULL };
static const char *const gender_names[] = { "unknown", "female", "male", "other", NULL };
static const char *const procedure_names[] = { "unknown", "in_procedure", "nearly_exhausted",
                                               "exhausted", "dublin", "subsequent_application",
                                               "irregular_stay", "other", NULL };
static const char *const intake_names[] = { "unknown", "consultation_hour", "referral", NULL };
/* Shared with the list queries and consent checks (koers-record-private.h). */
const char *const koers_phase_names[] = { "intake", "orientation", "return_support",
                                          "monitoring", "closed", NULL };
const char *const koers_outcome_names[] = { "unknown", "returned", "new_procedure", "permit",
                                            "stays_without_papers", "moved_on", "lost_contact",
                                            "other", NULL };
static const char *const relation_names[] = { "partner", "child", "parent", "sibling", "other", NULL };
const char *const koers_consent_names[] = { "store_file", "share_partner",
                                            "pseudonymous_reporting", NULL };
static const char *const consent_how_names[] = { "unknown", "spoken", "written", NULL };
static const char *const referral_status_names[] = { "proposed", "made", "accepted", "done",
                                                     "declined", NULL };
static const char *const document_names[] = { "unknown", "none", "requested", "in_progress",
                                              "ready", NULL };
static const char *const plan_status_names[] = { "draft", "agreed", "departed", "monitoring",
                                                 "closed", NULL };
static const char *const owner_names[] = { "client", "steunpunt", "partner", NULL };
static const char *const support_kind_names[] = { "housing", "business", "education", "medical",
                                                  "travel", "documents", "money",
                                                  "family_tracing", NULL };
static const char *const support_status_names[] = { "planned", "approved", "delivered",
                                                    "cancelled", NULL };
static const char *const answer_names[] = { "unknown", "yes", "no", "not_known", NULL };
static const char *const housing_names[] = { "unknown", "stable", "temporary", "none", NULL };

const char *const koers_topic_names[] = {
  "new_procedure", "irregular_stay", "voluntary_return", "other", NULL
};
const char *const koers_barrier_names[] = {
  "shame_family", "fear", "lost_years", "no_documents", "political_situation",
  "economic_situation", "no_work", "no_network", "other", NULL
};

static const KoersField steunpunt_fields[] = {
  TEXT (KoersSteunpunt, name, N_("name"), REQUIRED, NAME_BYTES),
  TEXT (KoersSteunpunt, city, N_("city"), 0, NAME_BYTES),
};

static const KoersField worker_fields[] = {
  TEXT (KoersWorker, name, N_("name"), REQUIRED, NAME_BYTES),
  ENUM (KoersWorker, role, N_("role"), 0, role_names),
  REF (KoersWorker, steunpunt_id, N_("steunpunt"), 0, KOERS_ENTITY_STEUNPUNT),
  BOOL (KoersWorker, active, N_("active"), 0),
};

static const KoersField partner_org_fields[] = {
  TEXT (KoersPartnerOrg, name, N_("name"), REQUIRED, NAME_BYTES),
  COUNTRY (KoersPartnerOrg, country, N_("country"), REQUIRED),
};

static const KoersField referral_org_fields[] = {
  TEXT (KoersReferralOrg, name, N_("name"), REQUIRED, NAME_BYTES),
  ENUM (KoersReferralOrg, kind, N_("kind of organisation"), 0, org_kind_names),
};

/* Without consent only the intake minimum: name, languages, interpreter,
 * how they came in, steunpunt, phase. */
static const KoersField client_fields[] = {
  TEXT (KoersClient, name, N_("name"), REQUIRED, NAME_BYTES),
  INT (KoersClient, birth_year, N_("year of birth"), CONSENT, 1900, 2100),
  DATE (KoersClient, birth_date, N_("date of birth"), CONSENT | KOERS_FIELD_PAST),
  ENUM (KoersClient, gender, N_("gender"), CONSENT | OPTIONAL, gender_names),
  COUNTRY (KoersClient, country_of_origin, N_("country of origin"), CONSENT),
  COUNTRY (KoersClient, nationality, N_("nationality"), CONSENT),
  LIST (KoersClient, languages, N_("languages"), 0, 0, NULL),
  BOOL (KoersClient, needs_interpreter, N_("interpreter needed"), 0),
  TEXT (KoersClient, v_number, N_("V-number"), CONSENT, 40),
  TEXT (KoersClient, phone, N_("phone number"), CONSENT, 40),
  ENUM (KoersClient, procedure_status, N_("procedure status"), CONSENT | OPTIONAL, procedure_names),
  INT (KoersClient, arrival_year, N_("year of arrival"), CONSENT, 1950, 2100),
  ENUM (KoersClient, intake_channel, N_("how they came in"), OPTIONAL, intake_names),
  REF (KoersClient, referred_by_id, N_("referring organisation"), 0, KOERS_ENTITY_REFERRAL_ORG),
  REF (KoersClient, steunpunt_id, N_("steunpunt"), 0, KOERS_ENTITY_STEUNPUNT),
  ENUM (KoersClient, phase, N_("phase"), 0, koers_phase_names),
  ENUM (KoersClient, outcome, N_("outcome"), CONSENT | OPTIONAL, koers_outcome_names),
  DATE (KoersClient, closed_on, N_("date closed"), KOERS_FIELD_PAST),
};

static const KoersField alias_fields[] = {
  REF (KoersAlias, client_id, N_("client"), PARENT, KOERS_ENTITY_CLIENT),
  TEXT (KoersAlias, name, N_("name"), REQUIRED, NAME_BYTES),
};

static const KoersField family_link_fields[] = {
  REF (KoersFamilyLink, client_id, N_("client"), PARENT, KOERS_ENTITY_CLIENT),
  REF (KoersFamilyLink, relative_id, N_("family member"), REQUIRED, KOERS_ENTITY_CLIENT),
  ENUM (KoersFamilyLink, relation, N_("relation"), 0, relation_names),
};

static const KoersField consent_fields[] = {
  REF (KoersConsent, client_id, N_("client"), PARENT, KOERS_ENTITY_CLIENT),
  ENUM (KoersConsent, kind, N_("kind of consent"), 0, koers_consent_names),
  BOOL (KoersConsent, granted, N_("consent given"), 0),
  DATE (KoersConsent, recorded_on, N_("date of consent"), REQUIRED | KOERS_FIELD_PAST),
  REF (KoersConsent, recorded_by_id, N_("recorded by"), 0, KOERS_ENTITY_WORKER),
  ENUM (KoersConsent, given_how, N_("how consent was given"), OPTIONAL, consent_how_names),
};

static const KoersField conversation_fields[] = {
  REF (KoersConversation, client_id, N_("client"), PARENT, KOERS_ENTITY_CLIENT),
  DATE (KoersConversation, held_on, N_("date of the conversation"), REQUIRED | KOERS_FIELD_PAST),
  INT (KoersConversation, duration_minutes, N_("duration"), 0, 1, 24 * 60),
  REF (KoersConversation, steunpunt_id, N_("steunpunt"), 0, KOERS_ENTITY_STEUNPUNT),
  LIST (KoersConversation, worker_ids, N_("workers"), 0, KOERS_ENTITY_WORKER, NULL),
  BOOL (KoersConversation, interpreter_present, N_("interpreter present"), 0),
  LIST (KoersConversation, topics, N_("topics"), 0, 0, koers_topic_names),
  LIST (KoersConversation, barriers, N_("barriers"), 0, 0, koers_barrier_names),
  BOOL (KoersConversation, psychosocial_signal, N_("psychosocial signal"), 0),
  TEXT (KoersConversation, notes, N_("notes"), NOTES | KOERS_FIELD_APPEND_ONLY, NOTES_BYTES),
};

static const KoersField note_addendum_fields[] = {
  REF (KoersNoteAddendum, conversation_id, N_("conversation"), PARENT, KOERS_ENTITY_CONVERSATION),
  DATE (KoersNoteAddendum, written_on, N_("date of the addendum"), REQUIRED | KOERS_FIELD_PAST),
  REF (KoersNoteAddendum, author_id, N_("author"), 0, KOERS_ENTITY_WORKER),
  TEXT (KoersNoteAddendum, text, N_("addendum"), REQUIRED | NOTES, NOTES_BYTES),
};

static const KoersField next_step_fields[] = {
  REF (KoersNextStep, conversation_id, N_("conversation"), PARENT, KOERS_ENTITY_CONVERSATION),
  TEXT (KoersNextStep, description, N_("next step"), REQUIRED | NOTES, SHORT_BYTES),
  REF (KoersNextStep, owner_id, N_("owner"), 0, KOERS_ENTITY_WORKER),
  DATE (KoersNextStep, due_on, N_("due date"), 0),
  BOOL (KoersNextStep, done, N_("done"), 0),
};

static const KoersField referral_fields[] = {
  REF (KoersReferral, client_id, N_("client"), PARENT, KOERS_ENTITY_CLIENT),
  REF (KoersReferral, organisation_id, N_("organisation"), 0, KOERS_ENTITY_REFERRAL_ORG),
  REF (KoersReferral, counsellor_id, N_("counsellor"), 0, KOERS_ENTITY_WORKER),
  TEXT (KoersReferral, reason, N_("reason"), NOTES, SHORT_BYTES),
  DATE (KoersReferral, referred_on, N_("date of referral"), REQUIRED | KOERS_FIELD_PAST),
  ENUM (KoersReferral, status, N_("status of the referral"), 0, referral_status_names),
  DATE (KoersReferral, status_on, N_("date of the status"), KOERS_FIELD_PAST),
};

static const KoersField return_plan_fields[] = {
  REF (KoersReturnPlan, client_id, N_("client"), PARENT, KOERS_ENTITY_CLIENT),
  COUNTRY (KoersReturnPlan, country, N_("country of return"), REQUIRED),
  TEXT (KoersReturnPlan, region, N_("region"), 0, NAME_BYTES),
  REF (KoersReturnPlan, partner_id, N_("partner organisation"), KOERS_FIELD_PARTNER,
       KOERS_ENTITY_PARTNER_ORG),
  REF (KoersReturnPlan, consultant_id, N_("consultant"), 0, KOERS_ENTITY_WORKER),
  DATE (KoersReturnPlan, planned_departure, N_("planned departure"), 0),
  DATE (KoersReturnPlan, departed_on, N_("date of departure"), KOERS_FIELD_PAST),
  ENUM (KoersReturnPlan, document_status, N_("document status"), OPTIONAL, document_names),
  ENUM (KoersReturnPlan, status, N_("status"), 0, plan_status_names),
  TEXT (KoersReturnPlan, status_reason, N_("reason for the status"), NOTES, SHORT_BYTES),
};

static const KoersField return_step_fields[] = {
  REF (KoersReturnStep, plan_id, N_("return plan"), PARENT, KOERS_ENTITY_RETURN_PLAN),
  TEXT (KoersReturnStep, description, N_("step"), REQUIRED | NOTES, SHORT_BYTES),
  ENUM (KoersReturnStep, owner, N_("owner"), 0, owner_names),
  DATE (KoersReturnStep, due_on, N_("due date"), 0),
  BOOL (KoersReturnStep, done, N_("done"), 0),
};

static const KoersField support_item_fields[] = {
  REF (KoersSupportItem, plan_id, N_("return plan"), PARENT, KOERS_ENTITY_RETURN_PLAN),
  ENUM (KoersSupportItem, kind, N_("kind of support"), 0, support_kind_names),
  TEXT (KoersSupportItem, description, N_("description"), NOTES, SHORT_BYTES),
  ENUM (KoersSupportItem, status, N_("status"), 0, support_status_names),
};

static const KoersField checkin_fields[] = {
  REF (KoersCheckin, plan_id, N_("return plan"), PARENT, KOERS_ENTITY_RETURN_PLAN),
  INT (KoersCheckin, month, N_("month after departure"), REQUIRED, 1, 24),
  DATE (KoersCheckin, due_on, N_("date of the check-in"), REQUIRED),
  DATE (KoersCheckin, held_on, N_("date it took place"), KOERS_FIELD_PAST),
  ENUM (KoersCheckin, social_contacts, N_("social contacts"), OPTIONAL, answer_names),
  ENUM (KoersCheckin, economic_activity, N_("economic activity"), OPTIONAL, answer_names),
  ENUM (KoersCheckin, housing, N_("housing"), OPTIONAL, housing_names),
  ENUM (KoersCheckin, safety_concerns, N_("safety concerns"), OPTIONAL, answer_names),
  TEXT (KoersCheckin, notes, N_("notes"), NOTES, NOTES_BYTES),
};

#define ENTITY(KIND, name, label, Type, fields, parent, flags, check) \
  [KIND] = { KIND, name, label, sizeof (Type), fields, G_N_ELEMENTS (fields), parent, flags, check }
#define REFERENCE KOERS_ENTITY_REFERENCE
#define CONSENTED KOERS_ENTITY_CONSENTED

static const KoersEntityInfo entities[KOERS_N_ENTITIES] = {
  ENTITY (KOERS_ENTITY_STEUNPUNT, "steunpunt", N_("steunpunt"), KoersSteunpunt,
          steunpunt_fields, -1, REFERENCE, NULL),
  ENTITY (KOERS_ENTITY_WORKER, "worker", N_("worker"), KoersWorker, worker_fields, -1, REFERENCE,
          koers_store_check_worker),
  ENTITY (KOERS_ENTITY_PARTNER_ORG, "partner_org", N_("partner organisation"), KoersPartnerOrg,
          partner_org_fields, -1, REFERENCE, NULL),
  ENTITY (KOERS_ENTITY_REFERRAL_ORG, "referral_org", N_("referral organisation"),
          KoersReferralOrg, referral_org_fields, -1, REFERENCE, NULL),
  ENTITY (KOERS_ENTITY_CLIENT, "client", N_("client"), KoersClient, client_fields, -1, 0,
          koers_store_check_client),
  ENTITY (KOERS_ENTITY_ALIAS, "alias", N_("alias"), KoersAlias, alias_fields, 0, CONSENTED, NULL),
  ENTITY (KOERS_ENTITY_FAMILY_LINK, "family_link", N_("family link"), KoersFamilyLink,
          family_link_fields, 0, CONSENTED, koers_store_check_family_link),
  ENTITY (KOERS_ENTITY_CONSENT, "consent", N_("consent"), KoersConsent, consent_fields, 0, 0,
          NULL),
  ENTITY (KOERS_ENTITY_CONVERSATION, "conversation", N_("conversation"), KoersConversation,
          conversation_fields, 0, CONSENTED, NULL),
  ENTITY (KOERS_ENTITY_NOTE_ADDENDUM, "note_addendum", N_("addendum"), KoersNoteAddendum,
          note_addendum_fields, 0, CONSENTED | KOERS_ENTITY_APPEND_ONLY, NULL),
  ENTITY (KOERS_ENTITY_NEXT_STEP, "next_step", N_("next step"), KoersNextStep, next_step_fields, 0,
          CONSENTED, NULL),
  ENTITY (KOERS_ENTITY_REFERRAL, "referral", N_("referral"), KoersReferral, referral_fields, 0,
          CONSENTED, koers_store_check_referral),
  ENTITY (KOERS_ENTITY_RETURN_PLAN, "return_plan", N_("return plan"), KoersReturnPlan,
          return_plan_fields, 0, CONSENTED, koers_store_check_return_plan),
  ENTITY (KOERS_ENTITY_RETURN_STEP, "return_step", N_("step of the return plan"),
          KoersReturnStep, return_step_fields, 0, CONSENTED, NULL),
  ENTITY (KOERS_ENTITY_SUPPORT_ITEM, "support_item", N_("support item"), KoersSupportItem,
          support_item_fields, 0, CONSENTED, NULL),
  ENTITY (KOERS_ENTITY_CHECKIN, "checkin", N_("check-in"), KoersCheckin, checkin_fields, 0,
          CONSENTED, koers_store_check_checkin),
};

const KoersEntityInfo *
koers_entity_info (KoersEntity kind)
{
  g_return_val_if_fail (kind < KOERS_N_ENTITIES, NULL);
  return &entities[kind];
}

const char *
koers_entity_name (KoersEntity kind)
{
  return koers_entity_info (kind)->name;
}

gboolean
koers_entity_from_name (const char  *name,
                        KoersEntity *kind)
{
  for (guint i = 0; i < KOERS_N_ENTITIES; i++)
    if (g_strcmp0 (entities[i].name, name) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
koers_record_get_id (gconstpointer record)
{
  return *(char *const *) record;
}

/* Fields ------------------------------------------------------------------ */

static gboolean
field_is_pointer (const KoersField *field)
{
  return field->type != KOERS_FIELD_INT && field->type != KOERS_FIELD_BOOL &&
         field->type != KOERS_FIELD_ENUM;
}

gboolean
koers_field_is_set (const KoersField *field,
                    gconstpointer     record)
{
  gconstpointer p = KOERS_FIELD_PTR (field, record);

  if (field->type == KOERS_FIELD_LIST)
    return *(char *const *const *) p != NULL && **(char *const *const *) p != NULL;
  if (field_is_pointer (field))
    return *(char *const *) p != NULL;
  if (field->type == KOERS_FIELD_BOOL)
    return TRUE;
  return *(const int *) p != 0 || !(field->flags & KOERS_FIELD_ZERO_IS_NULL);
}

gboolean
koers_field_equal (const KoersField *field,
                   gconstpointer     a,
                   gconstpointer     b)
{
  gconstpointer pa = KOERS_FIELD_PTR (field, a);
  gconstpointer pb = KOERS_FIELD_PTR (field, b);

  if (field->type == KOERS_FIELD_LIST)
    {
      const char *const *la = *(const char *const *const *) pa;
      const char *const *lb = *(const char *const *const *) pb;
      if (!koers_field_is_set (field, a) || !koers_field_is_set (field, b))
        return koers_field_is_set (field, a) == koers_field_is_set (field, b);
      return g_strv_equal (la, lb);
    }
  if (field_is_pointer (field))
    return g_strcmp0 (*(char *const *) pa, *(char *const *) pb) == 0;
  if (field->type == KOERS_FIELD_BOOL)
    return !*(const int *) pa == !*(const int *) pb;
  return *(const int *) pa == *(const int *) pb;
}

void
koers_field_clear (const KoersField *field,
                   gpointer          record)
{
  gpointer p = KOERS_FIELD_PTR (field, record);

  if (field->type == KOERS_FIELD_LIST)
    g_clear_pointer ((char ***) p, g_strfreev);
  else if (field_is_pointer (field))
    g_clear_pointer ((char **) p, g_free);
  else
    *(int *) p = 0;
}

void
koers_field_copy (const KoersField *field,
                  gpointer          dest,
                  gconstpointer     src)
{
  gpointer d = KOERS_FIELD_PTR (field, dest);
  gconstpointer s = KOERS_FIELD_PTR (field, src);

  koers_field_clear (field, dest);
  if (field->type == KOERS_FIELD_LIST)
    *(char ***) d = g_strdupv (*(char **const *) s);
  else if (field_is_pointer (field))
    *(char **) d = g_strdup (*(char *const *) s);
  else
    *(int *) d = *(const int *) s;
}

const char *
koers_field_enum_name (const KoersField *field,
                       int               value)
{
  if (value < 0)
    return NULL;
  for (int i = 0; field->values[i] != NULL; i++)
    if (i == value)
      return field->values[i];
  return NULL;
}

/* Values renamed by schema 6, as an import or a sync batch from an older
 * Koers may still write them: read by their new names. */
static const struct
{
  const char *const *values;
  const char        *old;
  const char        *now;
} legacy_names[] = {
  { org_kind_names, "lawyer", "legal_aid" },
  { org_kind_names, "psychosocial", "mental_health" },
  { org_kind_names, "social", "shelter" },
  { referral_status_names, "unknown", "made" },
  { referral_status_names, "pending", "made" },
  { referral_status_names, "completed", "done" },
  { referral_status_names, "no_show", "declined" },
  { plan_status_names, "active", "agreed" },
  { plan_status_names, "completed", "closed" },
  { plan_status_names, "cancelled", "closed" },
};

static const char *
current_name (const KoersField *field,
              const char       *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (legacy_names); i++)
    if (legacy_names[i].values == field->values && g_strcmp0 (legacy_names[i].old, name) == 0)
      return legacy_names[i].now;
  return name;
}

int
koers_field_enum_value (const KoersField *field,
                        const char       *name)
{
  name = current_name (field, name);
  for (int i = 0; field->values[i] != NULL; i++)
    if (g_strcmp0 (field->values[i], name) == 0)
      return i;
  return -1;
}

/* Records ------------------------------------------------------------------ */

gpointer
koers_record_new (KoersEntity kind)
{
  gpointer record = g_malloc0 (koers_entity_info (kind)->size);

  if (kind == KOERS_ENTITY_WORKER)
    ((KoersWorker *) record)->active = TRUE;
  return record;
}

void
koers_record_free (KoersEntity kind,
                   gpointer    record)
{
  const KoersEntityInfo *info = koers_entity_info (kind);

  if (record == NULL)
    return;
  g_free (*(char **) record);
  for (guint i = 0; i < info->n_fields; i++)
    koers_field_clear (&info->fields[i], record);
  g_free (record);
}

gpointer
koers_record_copy (KoersEntity   kind,
                   gconstpointer record)
{
  const KoersEntityInfo *info = koers_entity_info (kind);
  gpointer copy = g_malloc0 (info->size);

  *(char **) copy = g_strdup (koers_record_get_id (record));
  for (guint i = 0; i < info->n_fields; i++)
    koers_field_copy (&info->fields[i], copy, record);
  return copy;
}

#define KOERS_DEFINE_RECORD(Type, type, KIND)                             \
  Type *koers_##type##_new (void) { return koers_record_new (KIND); }     \
  void koers_##type##_free (Type *r) { koers_record_free (KIND, r); }     \
  Type *koers_##type##_copy (const Type *r) { return koers_record_copy (KIND, r); } \
  G_DEFINE_BOXED_TYPE (Type, koers_##type, koers_##type##_copy, koers_##type##_free)

KOERS_DEFINE_RECORD (KoersSteunpunt, steunpunt, KOERS_ENTITY_STEUNPUNT)
KOERS_DEFINE_RECORD (KoersWorker, worker, KOERS_ENTITY_WORKER)
KOERS_DEFINE_RECORD (KoersPartnerOrg, partner_org, KOERS_ENTITY_PARTNER_ORG)
KOERS_DEFINE_RECORD (KoersReferralOrg, referral_org, KOERS_ENTITY_REFERRAL_ORG)
KOERS_DEFINE_RECORD (KoersClient, client, KOERS_ENTITY_CLIENT)
KOERS_DEFINE_RECORD (KoersAlias, alias, KOERS_ENTITY_ALIAS)
KOERS_DEFINE_RECORD (KoersFamilyLink, family_link, KOERS_ENTITY_FAMILY_LINK)
KOERS_DEFINE_RECORD (KoersConsent, consent, KOERS_ENTITY_CONSENT)
KOERS_DEFINE_RECORD (KoersConversation, conversation, KOERS_ENTITY_CONVERSATION)
KOERS_DEFINE_RECORD (KoersNoteAddendum, note_addendum, KOERS_ENTITY_NOTE_ADDENDUM)
KOERS_DEFINE_RECORD (KoersNextStep, next_step, KOERS_ENTITY_NEXT_STEP)
KOERS_DEFINE_RECORD (KoersReferral, referral, KOERS_ENTITY_REFERRAL)
KOERS_DEFINE_RECORD (KoersReturnPlan, return_plan, KOERS_ENTITY_RETURN_PLAN)
KOERS_DEFINE_RECORD (KoersReturnStep, return_step, KOERS_ENTITY_RETURN_STEP)
KOERS_DEFINE_RECORD (KoersSupportItem, support_item, KOERS_ENTITY_SUPPORT_ITEM)
KOERS_DEFINE_RECORD (KoersCheckin, checkin, KOERS_ENTITY_CHECKIN)

GDestroyNotify
koers_record_free_func (KoersEntity kind)
{
  static const GDestroyNotify funcs[KOERS_N_ENTITIES] = {
    (GDestroyNotify) koers_steunpunt_free, (GDestroyNotify) koers_worker_free,
    (GDestroyNotify) koers_partner_org_free, (GDestroyNotify) koers_referral_org_free,
    (GDestroyNotify) koers_client_free, (GDestroyNotify) koers_alias_free,
    (GDestroyNotify) koers_family_link_free, (GDestroyNotify) koers_consent_free,
    (GDestroyNotify) koers_conversation_free, (GDestroyNotify) koers_note_addendum_free,
    (GDestroyNotify) koers_next_step_free, (GDestroyNotify) koers_referral_free,
    (GDestroyNotify) koers_return_plan_free, (GDestroyNotify) koers_return_step_free,
    (GDestroyNotify) koers_support_item_free, (GDestroyNotify) koers_checkin_free,
  };

  g_return_val_if_fail (kind < KOERS_N_ENTITIES, NULL);
  return funcs[kind];
}
