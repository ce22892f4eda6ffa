/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli-demo.c: `koers-cli demo --clients N [--seed S]` makes fictional
 * client files through the store's API, the same way the app would: names
 * in Latin, Arabic, Ge'ez, Persian and Cyrillic script, conversations with
 * long Dutch notes, referrals, return plans with steps and check-ins.
 *
 * The same seed (on the same day: dates are relative to today) gives the
 * same content; ids are made by the store. Clients are written in batches,
 * one transaction each. */
#include "config.h"

#define G_LOG_DOMAIN "koers-cli"

#include "koers-cli.h"
#include "koers-cli-demo.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#define DEMO_BATCH 250

typedef struct
{
  KoersStore *store;
  GRand      *rand;
  GDate       today;
  GPtrArray  *steunpunten;     /* KoersSteunpunt * */
  GPtrArray  *volunteers;      /* KoersWorker * */
  GPtrArray  *counsellors;
  GPtrArray  *consultants;
  GPtrArray  *referral_orgs;   /* KoersReferralOrg * */
  GHashTable *partners;        /* country code -> partner id */
  char       *recorder_id;     /* who records consent */
  char       *previous_id;     /* the last client made, for family links */
  guint       counts[KOERS_N_ENTITIES];
} Demo;

typedef struct
{
  const KoersDemoOrigin  *origin;
  const KoersDemoCountry *country;
  const KoersSteunpunt   *steunpunt;
  KoersGender             gender;
  char                   *given, *given_latin, *family, *family_latin;
  gboolean                consent;
  GDate                   first, last;   /* the conversations' span */
  GDate                   departure;     /* invalid: no departure */
  KoersClient            *client;
} DemoFile;

/* Random choices -------------------------------------------------------------- */

static guint
demo_int (Demo *d, guint lo, guint hi)
{
  return (guint) g_rand_int_range (d->rand, (gint32) lo, (gint32) hi + 1);
}

static gboolean
demo_chance (Demo *d, guint percent)
{
  return demo_int (d, 1, 100) <= percent;
}

static const char *
demo_pick (Demo *d, const char *const *list)
{
  return list[demo_int (d, 0, g_strv_length ((char **) list) - 1)];
}

static gpointer
demo_pick_from (Demo *d, GPtrArray *array)
{
  return array->len ? array->pdata[demo_int (d, 0, array->len - 1)] : NULL;
}

static const char *
demo_pick_id (Demo *d, GPtrArray *records)
{
  gconstpointer record = demo_pick_from (d, records);

  return record ? koers_record_get_id (record) : NULL;
}

/* @k distinct indices below @n, as bits. */
static guint32
demo_pick_mask (Demo *d, guint n, guint k)
{
  guint32 mask = 0;

  k = MIN (k, n);
  while ((guint) __builtin_popcount (mask) < k)
    mask |= 1u << demo_int (d, 0, n - 1);
  return mask;
}

static char **
mask_to_strv (const char *const *vocabulary, guint32 mask)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **strv;

  for (guint i = 0; vocabulary[i]; i++)
    if (mask & (1u << i))
      g_strv_builder_add (builder, vocabulary[i]);
  strv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return strv;
}

static void
date_offset (GDate *date, const GDate *base, int offset_days)
{
  *date = *base;
  if (offset_days >= 0)
    g_date_add_days (date, (guint) offset_days);
  else
    g_date_subtract_days (date, (guint) -offset_days);
}

static char *
demo_date (const GDate *base, int offset_days)
{
  GDate date;

  date_offset (&date, base, offset_days);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date), g_date_get_month (&date),
                          g_date_get_day (&date));
}

/* "YYYY-MM-DD", as the store writes it. */
static void
parse_date (GDate *date, const char *text)
{
  unsigned y = 2000, m = 1, dd = 1;

  g_date_clear (date, 1);
  if (sscanf (text, "%4u-%2u-%2u", &y, &m, &dd) == 3 && g_date_valid_dmy ((GDateDay) dd, (GDateMonth) m, (GDateYear) y))
    g_date_set_dmy (date, (GDateDay) dd, (GDateMonth) m, (GDateYear) y);
}

/* A date between @from and @to; with @past, not after today. */
static char *
date_between (Demo *d, const GDate *from, const GDate *to, gboolean past)
{
  int span = MAX (0, g_date_days_between (from, to));
  GDate date;

  date_offset (&date, from, (int) demo_int (d, 0, (guint) span));
  if (past && g_date_compare (&date, &d->today) > 0)
    date = d->today;
  return demo_date (&date, 0);
}

/* Text ------------------------------------------------------------------------ */

static const char *
placeholder (const DemoFile *f, const char *key)
{
  gboolean she = f->gender == KOERS_GENDER_FEMALE;

  if (g_str_equal (key, "naam")) return f->given_latin;
  if (g_str_equal (key, "hij")) return she ? "zij" : "hij";
  if (g_str_equal (key, "Hij")) return she ? "Zij" : "Hij";
  if (g_str_equal (key, "hem")) return she ? "haar" : "hem";
  if (g_str_equal (key, "zijn")) return she ? "haar" : "zijn";
  if (g_str_equal (key, "Zijn")) return she ? "Haar" : "Zijn";
  if (g_str_equal (key, "land")) return f->country->name_nl;
  if (g_str_equal (key, "stad")) return f->steunpunt->city ? f->steunpunt->city : "";
  return NULL;
}

/* Appends @template with its {placeholders} filled in. */
static void
append_filled (GString *out, const char *template, const DemoFile *f)
{
  const char *p = template;
  const char *open;

  while ((open = strchr (p, '{')) != NULL)
    {
      const char *close = strchr (open, '}');
      g_autofree char *key = close ? g_strndup (open + 1, (gsize) (close - open - 1)) : NULL;
      const char *value = key ? placeholder (f, key) : NULL;

      g_string_append_len (out, p, open - p);
      g_string_append (out, value ? value : "{");
      p = value ? close + 1 : open + 1;
    }
  g_string_append (out, p);
}

static char *
fill (const char *template, const DemoFile *f)
{
  GString *out = g_string_new (NULL);

  append_filled (out, template, f);
  return g_string_free (out, FALSE);
}

static void
append_paragraph (GString *out, const char *template, const DemoFile *f)
{
  if (out->len > 0)
    g_string_append (out, "\n\n");
  append_filled (out, template, f);
}

/* Opening, the options discussed, the barriers, a signal, the closing. */
static char *
compose_notes (Demo *d, const DemoFile *f, guint32 topics, guint32 barriers, gboolean signal)
{
  GString *out = g_string_new (NULL);

  append_paragraph (out, demo_pick (d, koers_demo_openings), f);
  for (guint i = 0; i < G_N_ELEMENTS (koers_demo_topic_notes); i++)
    if (topics & (1u << i))
      append_paragraph (out, koers_demo_topic_notes[i], f);
  for (guint i = 0; i < G_N_ELEMENTS (koers_demo_barrier_notes); i++)
    if (barriers & (1u << i))
      append_paragraph (out, koers_demo_barrier_notes[i], f);
  if (signal)
    append_paragraph (out, demo_pick (d, koers_demo_signal_notes), f);
  append_paragraph (out, demo_pick (d, koers_demo_closings), f);
  return g_string_free (out, FALSE);
}

/* Saving ---------------------------------------------------------------------- */

static gboolean
demo_add (Demo *d, KoersEntity kind, gpointer record, GError **error)
{
  if (!koers_store_insert (d->store, kind, record, error))
    return FALSE;
  d->counts[kind]++;
  return TRUE;
}

/* Reference data ---------------------------------------------------------------- */

static gboolean
add_worker (Demo *d, const char *name, KoersRole role, GError **error)
{
  g_autoptr(KoersWorker) worker = koers_worker_new ();

  worker->name = g_strdup (name);
  worker->role = role;
  worker->active = TRUE;
  worker->steunpunt_id = g_strdup (demo_pick_id (d, d->steunpunten));
  return demo_add (d, KOERS_ENTITY_WORKER, worker, error);
}

static gboolean
add_workers (Demo *d, const char *const *names, KoersRole role, GError **error)
{
  for (guint i = 0; names[i]; i++)
    if (!add_worker (d, names[i], role, error))
      return FALSE;
  return TRUE;
}

static gboolean
add_steunpunten (Demo *d, GError **error)
{
  for (guint i = 0; koers_demo_steunpunten[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (koers_demo_steunpunten[i], "|", 2);
      g_autoptr(KoersSteunpunt) steunpunt = koers_steunpunt_new ();

      steunpunt->name = g_strdup (parts[0]);
      steunpunt->city = g_strdup (parts[1]);
      if (!demo_add (d, KOERS_ENTITY_STEUNPUNT, steunpunt, error))
        return FALSE;
      g_ptr_array_add (d->steunpunten, g_steal_pointer (&steunpunt));
    }
  return TRUE;
}

static gboolean
add_organisations (Demo *d, GError **error)
{
  for (guint i = 0; koers_demo_referral_orgs[i]; i++)
    {
      g_autoptr(KoersReferralOrg) org = koers_referral_org_new ();

      org->kind = (KoersOrgKind) (koers_demo_referral_orgs[i][0] - '0');
      org->name = g_strdup (koers_demo_referral_orgs[i] + 2);
      if (!demo_add (d, KOERS_ENTITY_REFERRAL_ORG, org, error))
        return FALSE;
    }
  for (const KoersDemoCountry *c = koers_demo_countries; c->code; c++)
    {
      g_autoptr(KoersPartnerOrg) partner = koers_partner_org_new ();

      partner->name = g_strdup_printf ("Partnerorganisatie %s", c->city);
      partner->country = g_strdup (c->code);
      if (!demo_add (d, KOERS_ENTITY_PARTNER_ORG, partner, error))
        return FALSE;
    }
  return TRUE;
}

/* The demo's reference data, in a store that has none yet. */
static gboolean
add_reference_data (Demo *d, GError **error)
{
  g_autoptr(GPtrArray) existing = koers_store_list (d->store, KOERS_ENTITY_STEUNPUNT, NULL, error);

  if (existing == NULL)
    return FALSE;
  if (existing->len > 0)
    return TRUE;
  return add_steunpunten (d, error) &&
         add_workers (d, koers_demo_volunteers, KOERS_ROLE_VOLUNTEER, error) &&
         add_workers (d, koers_demo_counsellors, KOERS_ROLE_COUNSELLOR, error) &&
         add_workers (d, koers_demo_consultants, KOERS_ROLE_CONSULTANT, error) &&
         add_organisations (d, error);
}

/* The person who runs the demo becomes a coordinator, so that the change
 * log and the audit name them. */
static gboolean
ensure_current_worker (Demo *d, const char *slot_name, GError **error)
{
  g_autoptr(KoersWorker) worker = NULL;

  if (koers_store_get_current_worker (d->store) != NULL || slot_name == NULL)
    return TRUE;
  worker = koers_worker_new ();
  worker->name = g_strdup (slot_name);
  worker->role = KOERS_ROLE_COORDINATOR;
  worker->active = TRUE;
  if (!demo_add (d, KOERS_ENTITY_WORKER, worker, error))
    return FALSE;
  koers_store_set_current_worker (d->store, worker->id);
  return TRUE;
}

static gboolean
load_reference_data (Demo *d, GError **error)
{
  g_autoptr(GPtrArray) workers = koers_store_list (d->store, KOERS_ENTITY_WORKER, NULL, error);
  g_autoptr(GPtrArray) partners = NULL;

  g_clear_pointer (&d->steunpunten, g_ptr_array_unref);
  if (workers == NULL ||
      !(d->steunpunten = koers_store_list (d->store, KOERS_ENTITY_STEUNPUNT, NULL, error)) ||
      !(d->referral_orgs = koers_store_list (d->store, KOERS_ENTITY_REFERRAL_ORG, NULL, error)) ||
      !(partners = koers_store_list (d->store, KOERS_ENTITY_PARTNER_ORG, NULL, error)))
    return FALSE;
  for (guint i = 0; i < workers->len; i++)
    {
      KoersWorker *w = workers->pdata[i];
      GPtrArray *group = w->role == KOERS_ROLE_COUNSELLOR ? d->counsellors
                       : w->role == KOERS_ROLE_CONSULTANT ? d->consultants
                       : w->role == KOERS_ROLE_VOLUNTEER ? d->volunteers : NULL;

      if (group != NULL && w->active)
        g_ptr_array_add (group, koers_worker_copy (w));
    }
  for (guint i = 0; i < partners->len; i++)
    {
      KoersPartnerOrg *p = partners->pdata[i];

      if (!g_hash_table_contains (d->partners, p->country))
        g_hash_table_insert (d->partners, g_strdup (p->country), g_strdup (p->id));
    }
  d->recorder_id = g_strdup (koers_store_get_current_worker (d->store));
  if (d->recorder_id == NULL && d->volunteers->len > 0)
    d->recorder_id = g_strdup (((KoersWorker *) d->volunteers->pdata[0])->id);
  return TRUE;
}

/* The person -------------------------------------------------------------------- */

static const KoersDemoOrigin *
pick_origin (Demo *d)
{
  guint total = 0, roll;

  for (guint i = 0; i < koers_demo_n_origins; i++)
    total += koers_demo_origins[i].weight;
  roll = demo_int (d, 0, total - 1);
  for (guint i = 0; i < koers_demo_n_origins; i++)
    {
      if (roll < koers_demo_origins[i].weight)
        return &koers_demo_origins[i];
      roll -= koers_demo_origins[i].weight;
    }
  return &koers_demo_origins[0];
}

/* "native|Latin" entries; a Latin-script entry is both. */
static void
split_name (const char *entry, char **native, char **latin)
{
  const char *bar = strchr (entry, '|');

  *native = bar ? g_strndup (entry, (gsize) (bar - entry)) : g_strdup (entry);
  *latin = g_strdup (bar ? bar + 1 : entry);
}

static void
pick_person (Demo *d, DemoFile *f)
{
  f->origin = pick_origin (d);
  f->country = koers_demo_country (demo_pick (d, f->origin->countries));
  f->gender = demo_chance (d, 62) ? KOERS_GENDER_MALE : KOERS_GENDER_FEMALE;
  split_name (demo_pick (d, f->gender == KOERS_GENDER_MALE ? f->origin->male : f->origin->female),
              &f->given, &f->given_latin);
  split_name (demo_pick (d, f->origin->family), &f->family, &f->family_latin);
  f->steunpunt = demo_pick_from (d, d->steunpunten);
  f->consent = demo_chance (d, 92);
}

static void
demo_file_clear (DemoFile *f)
{
  g_free (f->given);
  g_free (f->given_latin);
  g_free (f->family);
  g_free (f->family_latin);
  g_clear_pointer (&f->client, koers_client_free);
}

/* The phase, the outcome and the dates that go with them. */
static void
pick_course (Demo *d, DemoFile *f)
{
  KoersClient *c = f->client;
  static const KoersOutcome outcomes[] = {
    KOERS_OUTCOME_RETURNED, KOERS_OUTCOME_RETURNED, KOERS_OUTCOME_NEW_PROCEDURE,
    KOERS_OUTCOME_PERMIT, KOERS_OUTCOME_STAYS_WITHOUT_PAPERS, KOERS_OUTCOME_MOVED_ON,
    KOERS_OUTCOME_LOST_CONTACT, KOERS_OUTCOME_OTHER,
  };
  guint roll = demo_int (d, 1, 100);
  GDate end = d->today;

  g_date_clear (&f->departure, 1);
  c->phase = !f->consent || roll <= 5 ? KOERS_PHASE_INTAKE
           : roll <= 45 ? KOERS_PHASE_ORIENTATION
           : roll <= 60 ? KOERS_PHASE_RETURN_SUPPORT
           : roll <= 75 ? KOERS_PHASE_MONITORING : KOERS_PHASE_CLOSED;
  if (c->phase == KOERS_PHASE_CLOSED)
    {
      c->outcome = outcomes[demo_int (d, 0, G_N_ELEMENTS (outcomes) - 1)];
      c->closed_on = demo_date (&d->today, -(int) demo_int (d, 20, 1300));
      parse_date (&end, c->closed_on);
    }
  if (c->phase == KOERS_PHASE_MONITORING)
    date_offset (&f->departure, &d->today, -(int) demo_int (d, 20, 330));
  else if (c->outcome == KOERS_OUTCOME_RETURNED)
    date_offset (&f->departure, &end, -(int) demo_int (d, 300, 380));
  if (g_date_valid (&f->departure))
    end = f->departure;
  date_offset (&f->last, &end, -(int) demo_int (d, 0, 21));
  date_offset (&f->first, &f->last, -(int) demo_int (d, 0, 300));
}

static void
fill_consented_fields (Demo *d, DemoFile *f)
{
  KoersClient *c = f->client;
  int year = g_date_get_year (&d->today);

  c->birth_year = year - (int) demo_int (d, 18, 62);
  c->gender = f->gender;
  c->country_of_origin = g_strdup (f->country->code);
  c->nationality = g_strdup (f->country->code);
  if (demo_chance (d, 60))
    c->v_number = g_strdup_printf ("%010u", demo_int (d, 1000000, 999999999));
  if (demo_chance (d, 70))
    c->phone = g_strdup_printf ("+31 6 %08u", demo_int (d, 10000000, 99999999));
  c->procedure_status = (KoersProcedureStatus) demo_int (d, KOERS_PROCEDURE_IN_PROCEDURE,
                                                         KOERS_PROCEDURE_OTHER);
  c->arrival_year = MAX (c->birth_year + 14, g_date_get_year (&f->first) - (int) demo_int (d, 0, 9));
}

/* The client's language, sometimes with English or Dutch. */
static char **
pick_languages (Demo *d, const KoersDemoOrigin *origin)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **languages;

  g_strv_builder_add (builder, demo_pick (d, origin->languages));
  if (demo_chance (d, 30))
    g_strv_builder_add (builder, demo_chance (d, 50) ? "en" : "nl");
  languages = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return languages;
}

static gboolean
add_client (Demo *d, DemoFile *f, GError **error)
{
  KoersClient *c = f->client = koers_client_new ();
  const KoersReferralOrg *referrer = demo_chance (d, 30) ? demo_pick_from (d, d->referral_orgs) : NULL;

  c->name = g_strdup_printf ("%s %s", f->given, f->family);
  c->languages = pick_languages (d, f->origin);
  c->needs_interpreter = f->origin->interpreter ? demo_chance (d, 80) : demo_chance (d, 20);
  c->intake_channel = referrer ? KOERS_INTAKE_REFERRAL : KOERS_INTAKE_CONSULTATION_HOUR;
  c->referred_by_id = g_strdup (referrer ? referrer->id : NULL);
  c->steunpunt_id = g_strdup (f->steunpunt->id);
  pick_course (d, f);
  if (f->consent)
    fill_consented_fields (d, f);
  return demo_add (d, KOERS_ENTITY_CLIENT, c, error);
}

static gboolean
add_consent (Demo *d, const DemoFile *f, KoersConsentKind kind, GError **error)
{
  g_autoptr(KoersConsent) consent = koers_consent_new ();

  consent->client_id = g_strdup (f->client->id);
  consent->kind = kind;
  consent->granted = TRUE;
  consent->recorded_on = demo_date (&f->first, 0);
  consent->recorded_by_id = g_strdup (d->recorder_id);
  return demo_add (d, KOERS_ENTITY_CONSENT, consent, error);
}

static gboolean
add_alias (Demo *d, DemoFile *f, GError **error)
{
  g_autoptr(KoersAlias) alias = koers_alias_new ();

  alias->client_id = g_strdup (f->client->id);
  /* Another script: the Latin spelling; Latin: as on papers, family first. */
  alias->name = g_strcmp0 (f->given, f->given_latin) != 0
    ? g_strdup_printf ("%s %s", f->given_latin, f->family_latin)
    : g_strdup_printf ("%s %s", f->family, f->given);
  return demo_add (d, KOERS_ENTITY_ALIAS, alias, error);
}

static gboolean
add_family_link (Demo *d, DemoFile *f, GError **error)
{
  g_autoptr(KoersFamilyLink) link = koers_family_link_new ();

  link->client_id = g_strdup (f->client->id);
  link->relative_id = g_strdup (d->previous_id);
  link->relation = demo_chance (d, 50) ? KOERS_RELATION_PARTNER : KOERS_RELATION_SIBLING;
  return demo_add (d, KOERS_ENTITY_FAMILY_LINK, link, error);
}

/* Conversations ------------------------------------------------------------------ */

static char **
pick_workers (Demo *d)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  const char *first = demo_pick_id (d, d->volunteers);
  const char *second = demo_chance (d, 30) ? demo_pick_id (d, d->volunteers) : NULL;
  char **ids;

  if (first)
    g_strv_builder_add (builder, first);
  if (second && g_strcmp0 (first, second) != 0)
    g_strv_builder_add (builder, second);
  ids = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return ids;
}

static gboolean
add_next_step (Demo *d, const KoersConversation *talk, GError **error)
{
  g_autoptr(KoersNextStep) step = koers_next_step_new ();
  g_autofree char *today = demo_date (&d->today, 0);
  GDate held;

  parse_date (&held, talk->held_on);
  step->conversation_id = g_strdup (talk->id);
  step->description = g_strdup (demo_pick (d, koers_demo_next_steps));
  step->owner_id = g_strdup (talk->worker_ids && talk->worker_ids[0] ? talk->worker_ids[0] : NULL);
  step->due_on = demo_date (&held, (int) demo_int (d, 3, 21));
  step->done = strcmp (step->due_on, today) < 0 && demo_chance (d, 80);
  return demo_add (d, KOERS_ENTITY_NEXT_STEP, step, error);
}

static gboolean
add_addendum (Demo *d, const DemoFile *f, const KoersConversation *talk, GError **error)
{
  g_autoptr(KoersNoteAddendum) addendum = koers_note_addendum_new ();
  GDate held, until;

  parse_date (&held, talk->held_on);
  date_offset (&until, &held, 3);
  addendum->conversation_id = g_strdup (talk->id);
  addendum->written_on = date_between (d, &held, &until, TRUE);
  addendum->author_id = g_strdup (talk->worker_ids && talk->worker_ids[0] ? talk->worker_ids[0] : NULL);
  addendum->text = fill (demo_pick (d, koers_demo_addenda), f);
  return demo_add (d, KOERS_ENTITY_NOTE_ADDENDUM, addendum, error);
}

static gboolean
add_counsellor_referral (Demo *d, const DemoFile *f, const char *date, GError **error)
{
  g_autoptr(KoersReferral) referral = koers_referral_new ();

  referral->client_id = g_strdup (f->client->id);
  referral->counsellor_id = g_strdup (demo_pick_id (d, d->counsellors));
  referral->reason = g_strdup (koers_demo_referral_reasons[KOERS_ORG_KIND_MENTAL_HEALTH]);
  referral->referred_on = g_strdup (date);
  referral->status = (KoersReferralStatus) demo_int (d, KOERS_REFERRAL_MADE, KOERS_REFERRAL_DONE);
  return demo_add (d, KOERS_ENTITY_REFERRAL, referral, error);
}

static KoersConversation *
new_conversation (Demo *d, const DemoFile *f, const char *held_on)
{
  KoersConversation *talk = koers_conversation_new ();
  guint32 topics = demo_pick_mask (d, G_N_ELEMENTS (koers_demo_topic_notes), demo_int (d, 1, 3));
  guint32 barriers = demo_pick_mask (d, G_N_ELEMENTS (koers_demo_barrier_notes), demo_int (d, 1, 4));

  talk->client_id = g_strdup (f->client->id);
  talk->held_on = g_strdup (held_on);
  talk->duration_minutes = 15 * (int) demo_int (d, 2, 8);
  talk->steunpunt_id = g_strdup (f->steunpunt->id);
  talk->worker_ids = pick_workers (d);
  talk->interpreter_present = f->client->needs_interpreter && demo_chance (d, 85);
  talk->topics = mask_to_strv (koers_topic_names, topics);
  talk->barriers = mask_to_strv (koers_barrier_names, barriers);
  talk->psychosocial_signal = demo_chance (d, 12);
  talk->notes = compose_notes (d, f, topics, barriers, talk->psychosocial_signal);
  return talk;
}

static gboolean
add_conversation (Demo *d, const DemoFile *f, const char *held_on, GError **error)
{
  g_autoptr(KoersConversation) talk = new_conversation (d, f, held_on);
  guint steps = demo_int (d, 0, 2);

  if (!demo_add (d, KOERS_ENTITY_CONVERSATION, talk, error))
    return FALSE;
  for (guint i = 0; i < steps; i++)
    if (!add_next_step (d, talk, error))
      return FALSE;
  if (demo_chance (d, 10) && !add_addendum (d, f, talk, error))
    return FALSE;
  if (talk->psychosocial_signal && d->counsellors->len && demo_chance (d, 75))
    return add_counsellor_referral (d, f, held_on, error);
  return TRUE;
}

static gboolean
add_conversations (Demo *d, const DemoFile *f, GError **error)
{
  guint n = f->client->phase == KOERS_PHASE_INTAKE ? 1 : demo_int (d, 1, 4);
  int span = g_date_days_between (&f->first, &f->last);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *held_on = demo_date (&f->first, n > 1 ? span * (int) i / (int) (n - 1) : span);

      if (!add_conversation (d, f, held_on, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_referral (Demo *d, const DemoFile *f, GError **error)
{
  g_autoptr(KoersReferral) referral = koers_referral_new ();
  const KoersReferralOrg *org = demo_pick_from (d, d->referral_orgs);

  if (org == NULL)
    return TRUE;
  referral->client_id = g_strdup (f->client->id);
  referral->organisation_id = g_strdup (org->id);
  referral->reason = g_strdup (koers_demo_referral_reasons[MIN (org->kind, KOERS_ORG_KIND_OTHER)]);
  referral->referred_on = date_between (d, &f->first, &f->last, TRUE);
  referral->status = (KoersReferralStatus) demo_int (d, KOERS_REFERRAL_MADE,
                                                     KOERS_REFERRAL_DECLINED);
  return demo_add (d, KOERS_ENTITY_REFERRAL, referral, error);
}

/* Return plans --------------------------------------------------------------------- */

static gboolean
add_return_steps (Demo *d, const KoersReturnPlan *plan, const GDate *from, const GDate *to,
                  GError **error)
{
  guint32 mask = demo_pick_mask (d, g_strv_length ((char **) koers_demo_return_steps), demo_int (d, 2, 5));

  for (guint i = 0; koers_demo_return_steps[i]; i++)
    {
      g_autoptr(KoersReturnStep) step = koers_return_step_new ();

      if (!(mask & (1u << i)))
        continue;
      step->plan_id = g_strdup (plan->id);
      step->owner = (KoersOwner) (koers_demo_return_steps[i][0] - '0');
      step->description = g_strdup (koers_demo_return_steps[i] + 2);
      step->due_on = date_between (d, from, to, FALSE);
      step->done = plan->departed_on != NULL || (strcmp (step->due_on, plan->planned_departure) < 0 &&
                                                 demo_chance (d, 30));
      if (!demo_add (d, KOERS_ENTITY_RETURN_STEP, step, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
add_support_items (Demo *d, const KoersReturnPlan *plan, GError **error)
{
  guint32 mask = demo_pick_mask (d, G_N_ELEMENTS (koers_demo_support_items), demo_int (d, 1, 3));

  for (guint i = 0; i < G_N_ELEMENTS (koers_demo_support_items); i++)
    {
      g_autoptr(KoersSupportItem) item = koers_support_item_new ();

      if (!(mask & (1u << i)))
        continue;
      item->plan_id = g_strdup (plan->id);
      item->kind = (KoersSupportKind) i;
      item->description = g_strdup (koers_demo_support_items[i]);
      item->status = plan->departed_on ? KOERS_SUPPORT_DELIVERED
                                       : (KoersSupportStatus) demo_int (d, KOERS_SUPPORT_PLANNED,
                                                                        KOERS_SUPPORT_APPROVED);
      if (!demo_add (d, KOERS_ENTITY_SUPPORT_ITEM, item, error))
        return FALSE;
    }
  return TRUE;
}

static KoersAnswer
demo_answer (Demo *d, guint yes_percent)
{
  return demo_chance (d, yes_percent) ? KOERS_ANSWER_YES : KOERS_ANSWER_NO;
}

/* The check-ins the store scheduled; those already due took place. */
static gboolean
hold_checkins (Demo *d, const DemoFile *f, const KoersReturnPlan *plan, GError **error)
{
  g_autoptr(GPtrArray) checkins = koers_store_list (d->store, KOERS_ENTITY_CHECKIN, plan->id, error);
  g_autofree char *today = demo_date (&d->today, 0);

  if (checkins == NULL)
    return FALSE;
  for (guint i = 0; i < checkins->len; i++)
    {
      KoersCheckin *checkin = checkins->pdata[i];

      if (strcmp (checkin->due_on, today) > 0 || demo_chance (d, 10))
        continue;
      checkin->held_on = g_strdup (checkin->due_on);
      checkin->social_contacts = demo_answer (d, 40 + 3 * (guint) checkin->month);
      checkin->economic_activity = demo_answer (d, 15 + 3 * (guint) checkin->month);
      checkin->housing = (KoersHousing) demo_int (d, KOERS_HOUSING_STABLE, KOERS_HOUSING_NONE);
      checkin->safety_concerns = demo_answer (d, 10);
      checkin->notes = fill (demo_pick (d, koers_demo_checkin_notes), f);
      if (!koers_store_update (d->store, KOERS_ENTITY_CHECKIN, checkin, error))
        return FALSE;
    }
  d->counts[KOERS_ENTITY_CHECKIN] += checkins->len;
  return TRUE;
}

static KoersReturnPlan *
new_return_plan (Demo *d, const DemoFile *f)
{
  KoersReturnPlan *plan = koers_return_plan_new ();
  const char *partner = g_hash_table_lookup (d->partners, f->country->code);
  gboolean departed = g_date_valid (&f->departure);

  plan->client_id = g_strdup (f->client->id);
  plan->country = g_strdup (f->country->code);
  plan->region = g_strdup (f->country->city);
  plan->partner_id = g_strdup (partner);
  plan->consultant_id = g_strdup (demo_pick_id (d, d->consultants));
  plan->planned_departure = departed ? demo_date (&f->departure, 0)
                                     : demo_date (&d->today, (int) demo_int (d, 10, 90));
  plan->departed_on = departed ? g_strdup (plan->planned_departure) : NULL;
  plan->document_status = departed ? KOERS_DOCUMENTS_READY
                                   : (KoersDocumentStatus) demo_int (d, KOERS_DOCUMENTS_NONE,
                                                                     KOERS_DOCUMENTS_READY);
  plan->status = f->client->phase == KOERS_PHASE_CLOSED ? KOERS_PLAN_CLOSED
               : departed ? KOERS_PLAN_DEPARTED : KOERS_PLAN_AGREED;
  return plan;
}

static gboolean
add_return_plan (Demo *d, const DemoFile *f, GError **error)
{
  g_autoptr(KoersReturnPlan) plan = new_return_plan (d, f);
  GDate departure, from;

  parse_date (&departure, plan->planned_departure);
  date_offset (&from, plan->departed_on ? &f->last : &d->today, plan->departed_on ? 0 : -7);
  if ((plan->partner_id && !add_consent (d, f, KOERS_CONSENT_SHARE_PARTNER, error)) ||
      !demo_add (d, KOERS_ENTITY_RETURN_PLAN, plan, error) ||
      !add_return_steps (d, plan, &from, &departure, error) ||
      !add_support_items (d, plan, error))
    return FALSE;
  if (plan->departed_on == NULL)
    return TRUE;
  return koers_store_schedule_checkins (d->store, plan->id, NULL, 0, error) &&
         hold_checkins (d, f, plan, error);
}

/* A whole file ------------------------------------------------------------------------ */

static gboolean
wants_return_plan (const DemoFile *f)
{
  return f->client->phase == KOERS_PHASE_RETURN_SUPPORT || g_date_valid (&f->departure);
}

static gboolean
add_file_contents (Demo *d, DemoFile *f, GError **error)
{
  if (!add_consent (d, f, KOERS_CONSENT_STORE_FILE, error) ||
      (demo_chance (d, 70) && !add_consent (d, f, KOERS_CONSENT_PSEUDONYMOUS_REPORTING, error)) ||
      (demo_chance (d, 40) && !add_alias (d, f, error)) ||
      (d->previous_id && demo_chance (d, 6) && !add_family_link (d, f, error)) ||
      !add_conversations (d, f, error) ||
      (demo_chance (d, 35) && !add_referral (d, f, error)))
    return FALSE;
  return !wants_return_plan (f) || add_return_plan (d, f, error);
}

static gboolean
make_file (Demo *d, GError **error)
{
  DemoFile f = { 0 };
  gboolean ok;

  pick_person (d, &f);
  ok = add_client (d, &f, error) && (!f.consent || add_file_contents (d, &f, error));
  if (ok && f.consent)
    {
      g_free (d->previous_id);
      d->previous_id = g_strdup (f.client->id);
    }
  demo_file_clear (&f);
  return ok;
}

static gboolean
make_batch (Demo *d, guint n, GError **error)
{
  if (!koers_store_begin (d->store, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!make_file (d, error))
      {
        koers_store_rollback (d->store);
        return FALSE;
      }
  return koers_store_commit (d->store, error);
}

/* The command ------------------------------------------------------------------------- */

static Demo *
demo_new (KoersStore *store, guint32 seed)
{
  Demo *d = g_new0 (Demo, 1);
  g_autofree char *today = koers_store_today (store);

  d->store = store;
  d->rand = g_rand_new_with_seed (seed);
  parse_date (&d->today, today);
  d->steunpunten = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_steunpunt_free);
  d->volunteers = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_worker_free);
  d->counsellors = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_worker_free);
  d->consultants = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_worker_free);
  d->partners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return d;
}

static void
demo_free (Demo *d)
{
  g_rand_free (d->rand);
  g_clear_pointer (&d->steunpunten, g_ptr_array_unref);
  g_clear_pointer (&d->referral_orgs, g_ptr_array_unref);
  g_ptr_array_unref (d->volunteers);
  g_ptr_array_unref (d->counsellors);
  g_ptr_array_unref (d->consultants);
  g_hash_table_unref (d->partners);
  g_free (d->recorder_id);
  g_free (d->previous_id);
  g_free (d);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Demo, demo_free)

static gboolean
demo_prepare (Demo *d, const char *slot_name, GError **error)
{
  if (!koers_store_begin (d->store, error))
    return FALSE;
  if (!ensure_current_worker (d, slot_name, error) || !add_reference_data (d, error) ||
      !load_reference_data (d, error))
    {
      koers_store_rollback (d->store);
      return FALSE;
    }
  return koers_store_commit (d->store, error);
}

static gboolean
demo_run (Demo *d, guint clients, GError **error)
{
  for (guint done = 0; done < clients; done += DEMO_BATCH)
    if (!make_batch (d, MIN (DEMO_BATCH, clients - done), error))
      return FALSE;
  return TRUE;
}

static void
print_summary (const Demo *d, guint clients, gint64 seed, double seconds)
{
  g_print (_("Made %u fictional clients (seed %lld) in %.1f s: "
             "%u conversations, %u referrals, %u return plans, %u check-ins.\n"),
           clients, (long long) seed, seconds, d->counts[KOERS_ENTITY_CONVERSATION],
           d->counts[KOERS_ENTITY_REFERRAL], d->counts[KOERS_ENTITY_RETURN_PLAN],
           d->counts[KOERS_ENTITY_CHECKIN]);
}

int
koers_cli_demo (KoersCliContext *ctx, int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(Demo) d = NULL;
  g_autoptr(GTimer) timer = NULL;
  int clients = 0;
  gint64 seed = 1;
  const GOptionEntry entries[] = {
    { "clients", 0, 0, G_OPTION_ARG_INT, &clients, N_("How many clients to make"), N_("N") },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("The same seed makes the same files (1)"), N_("S") },
    { NULL },
  };
  int rc = koers_cli_parse_options (&argc, &argv, entries, _("--clients N [--seed S]"));

  if (rc != 0)
    return rc;
  if (argc != 1 || clients <= 0)
    return koers_cli_usage_error ("%s", _("demo needs --clients N, a number above zero"));
  if ((rc = koers_cli_open_store (ctx)) != 0)
    return rc;
  timer = g_timer_new ();
  d = demo_new (ctx->store, (guint32) seed);
  if (!demo_prepare (d, koers_vault_get_unlocked_by (ctx->vault), &error) ||
      !demo_run (d, (guint) clients, &error))
    return koers_cli_fail (error);
  print_summary (d, (guint) clients, seed, g_timer_elapsed (timer, NULL));
  return EX_OK;
}
