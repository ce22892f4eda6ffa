/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-office-test"

#include <string.h>

#include "test-report-data.h"

#define ADD_OK(call)                \
  G_STMT_START {                    \
    g_autoptr(GError) error_ = NULL; \
    gboolean ok_ = (call);          \
    g_assert_no_error (error_);     \
    g_assert_true (ok_);            \
  } G_STMT_END

/* Arabic, Ge'ez (Tigrinya), Persian, Latin. */
const char *const report_names[] = { "سارة الحسيني", "ለምለም ተስፋይ", "فرشته رضایی", "Amadou Diallo", NULL };
const char *const report_aliases[] = { "أم يوسف", "ሳባ ገብረ", "ستاره", "Papa Dou", NULL };
const char *const report_notes[] = {
  "تحدثنا عن الخوف من العودة", "ስለ ምልሶት ተዛሪብና", "درباره بازگشت صحبت کردیم", "Worried about debts at home", NULL,
};
static const char *const countries[] = { "AF", "ER", "IR", "GN" };
static const KoersOrgKind org_kinds[] = {
  KOERS_ORG_KIND_RETURN, KOERS_ORG_KIND_LEGAL_AID, KOERS_ORG_KIND_MENTAL_HEALTH,
};
static const char *const org_kind_keys[] = { "return", "legal_aid", "mental_health" };
static const char *const outcome_keys[] = {
  "unknown", "returned", "new_procedure", "permit", "stays_without_papers", "moved_on",
  "lost_contact", "other",
};

#define TODAY_MS G_GINT64_CONSTANT (1796126400000) /* 2026-12-01 12:00 UTC */

static char *
date (int y, int m, int d)
{
  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

/* The known history of case @i. */
static void
describe_case (ReportCase *c, guint i)
{
  guint j = i / 6;   /* the returnee's number, for i % 6 == 0 */

  c->steunpunt = i % REPORT_N_STEUNPUNTEN;
  c->conversations[0] = date (i % 4 == 0 ? 2025 : 2026, (int) (i % 11) + 1, 10);
  if (i % 3 == 0)
    c->conversations[1] = date (2026, (int) (i % 6) + 1, 20);
  c->signal = i % 5 == 0;
  if (i % 10 == 0)
    c->counsellor_on = g_strdup (c->conversations[0]);
  if (i % 4 == 1)
    {
      c->org = i % 3;
      c->org_on = date (2026, 3, 15);
    }
  if (i % 7 == 3)
    c->proposed_on = date (2026, 4, 1);
  c->outcome = (KoersOutcome[]) { KOERS_OUTCOME_RETURNED, KOERS_OUTCOME_NEW_PROCEDURE,
                                  KOERS_OUTCOME_PERMIT, KOERS_OUTCOME_STAYS_WITHOUT_PAPERS,
                                  KOERS_OUTCOME_LOST_CONTACT, KOERS_OUTCOME_UNKNOWN }[i % 6];
  if (c->outcome != KOERS_OUTCOME_UNKNOWN)
    c->closed_on = i % 8 == 7 ? date (2025, 11, 25) : date (2026, (int) (i % 11) + 1, 25);
  c->plan_agreed = i % 6 == 5 && i % 4 == 1;
  c->partner = -1;
  if (i % 6 == 0)
    {
      c->departed_on = date (j % 2 == 0 ? 2025 : 2026, (int) (j % 6) + 1, 5);
      c->country = countries[j % 4];
      c->partner = j % 4 < 2 && j % 3 != 2 ? (int) (j % 4) : -1;  /* partners work in AF, ER */
      c->checkin_due = date (j % 2 == 0 ? 2026 : 2027, (int) (j % 6) + 1, 5);
      if (j % 2 == 0 && j % 3 != 2)
        {
          c->checkin_held = date (2026, (int) (j % 6) + 1, 8);
          c->social = (j / 2) % 4 != 3 ? KOERS_ANSWER_YES : KOERS_ANSWER_NOT_KNOWN;
          c->economic = (j / 2) % 2 == 0 ? KOERS_ANSWER_YES : KOERS_ANSWER_NO;
        }
    }
  else if (c->plan_agreed)
    c->country = "ER";
  c->reporting = (ReportConsent[]) { REPORT_CONSENT_GRANTED, REPORT_CONSENT_GRANTED_LATER,
                                     REPORT_CONSENT_NONE, REPORT_CONSENT_WITHDRAWN }[i % 16 < 4 ? i % 4 : 0];
}

gboolean
report_case_consents (const ReportCase *c)
{
  return c->reporting == REPORT_CONSENT_GRANTED || c->reporting == REPORT_CONSENT_GRANTED_LATER;
}

static void
add_reporting_consent (ReportData *d, ReportCase *c, gboolean granted, const char *on)
{
  g_autoptr(KoersConsent) consent = koers_consent_new ();

  consent->client_id = g_strdup (c->client_id);
  consent->kind = KOERS_CONSENT_PSEUDONYMOUS_REPORTING;
  consent->granted = granted;
  consent->given_how = KOERS_CONSENT_WRITTEN;
  consent->recorded_on = g_strdup (on);
  ADD_OK (koers_store_add_consent (d->f.store, consent, &error_));
}

static void
add_reporting_consents (ReportData *d, ReportCase *c)
{
  switch (c->reporting)
    {
    case REPORT_CONSENT_GRANTED:
      add_reporting_consent (d, c, TRUE, "2025-01-02");
      break;
    case REPORT_CONSENT_WITHDRAWN:
      add_reporting_consent (d, c, TRUE, "2025-01-02");
      add_reporting_consent (d, c, FALSE, "2025-03-04");
      break;
    case REPORT_CONSENT_GRANTED_LATER:
      add_reporting_consent (d, c, FALSE, "2025-01-02");
      add_reporting_consent (d, c, TRUE, "2025-03-04");
      break;
    case REPORT_CONSENT_NONE:
    default:
      break;
    }
}

static void
case_clear (ReportCase *c)
{
  g_free (c->client_id);
  g_free (c->conversations[0]);
  g_free (c->conversations[1]);
  g_free (c->counsellor_on);
  g_free (c->org_on);
  g_free (c->proposed_on);
  g_free (c->closed_on);
  g_free (c->departed_on);
  g_free (c->checkin_due);
  g_free (c->checkin_held);
}

static char *
add_reference_data (ReportData *d, KoersEntity kind, gpointer record)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = koers_store_insert (d->f.store, kind, record, &error);
  char *id;

  g_assert_no_error (error);
  g_assert_true (ok);
  id = g_strdup (koers_record_get_id (record));
  koers_record_free (kind, record);
  return id;
}

static void
add_reference (ReportData *d)
{
  for (guint i = 0; i < REPORT_N_STEUNPUNTEN; i++)
    {
      KoersSteunpunt *sp = koers_steunpunt_new ();

      d->steunpunt_names[i] = g_strdup_printf ("Steunpunt %c", 'A' + i);
      sp->name = g_strdup (d->steunpunt_names[i]);
      d->steunpunt_ids[i] = add_reference_data (d, KOERS_ENTITY_STEUNPUNT, sp);
    }
  for (guint i = 0; i < 3; i++)
    {
      KoersReferralOrg *org = koers_referral_org_new ();

      org->name = g_strdup_printf ("Organisatie %u", i);
      org->kind = org_kinds[i];
      d->org_ids[i] = add_reference_data (d, KOERS_ENTITY_REFERRAL_ORG, org);
    }
  for (guint i = 0; i < 2; i++)
    {
      KoersPartnerOrg *p = koers_partner_org_new ();

      p->name = g_strdup_printf ("Partner %u", i);
      p->country = g_strdup (countries[i]);
      d->partner_ids[i] = add_reference_data (d, KOERS_ENTITY_PARTNER_ORG, p);
    }
}

static void
add_identity (ReportData *d, ReportCase *c, guint i)
{
  g_autoptr(KoersClient) client = koers_store_get_client (d->f.store, c->client_id, NULL);
  g_autoptr(KoersAlias) alias = koers_alias_new ();

  g_free (client->steunpunt_id);
  client->steunpunt_id = g_strdup (d->steunpunt_ids[c->steunpunt]);
  client->v_number = g_strdup_printf ("%08u", 91000000 + i);
  client->phone = g_strdup_printf ("+31 6 5550 %04u", 7000 + i);
  client->birth_date = g_strdup_printf ("1987-03-%02u", (i % 28) + 1);
  client->birth_year = 1987;
  client->country_of_origin = g_strdup (countries[i % 4]);
  client->outcome = c->outcome;
  if (c->closed_on != NULL)
    {
      client->phase = KOERS_PHASE_CLOSED;
      client->closed_on = g_strdup (c->closed_on);
    }
  ADD_OK (koers_store_update_client (d->f.store, client, &error_));
  alias->client_id = g_strdup (c->client_id);
  alias->name = g_strdup_printf ("%s %u", report_aliases[i % 4], i);
  ADD_OK (koers_store_add_alias (d->f.store, alias, &error_));
}

static void
add_conversations (ReportData *d, ReportCase *c, guint i)
{
  for (guint k = 0; k < 2 && c->conversations[k] != NULL; k++)
    {
      g_autoptr(KoersConversation) conv = koers_conversation_new ();

      conv->client_id = g_strdup (c->client_id);
      conv->held_on = g_strdup (c->conversations[k]);
      conv->steunpunt_id = g_strdup (d->steunpunt_ids[c->steunpunt]);
      conv->psychosocial_signal = k == 0 && c->signal;
      conv->notes = g_strdup (report_notes[i % 4]);
      ADD_OK (koers_store_add_conversation (d->f.store, conv, &error_));
    }
}

static void
add_referral (ReportData *d, ReportCase *c, const char *on, const char *org_id,
              KoersReferralStatus status)
{
  g_autoptr(KoersReferral) ref = koers_referral_new ();

  ref->client_id = g_strdup (c->client_id);
  ref->referred_on = g_strdup (on);
  ref->status = status;
  ref->status_on = g_strdup (on);
  ref->reason = g_strdup ("Slaapt slecht");
  if (org_id != NULL)
    ref->organisation_id = g_strdup (org_id);
  else
    ref->counsellor_id = g_strdup (d->f.counsellor_id);
  ADD_OK (koers_store_add_referral (d->f.store, ref, &error_));
}

static void
add_plan (ReportData *d, ReportCase *c)
{
  g_autoptr(KoersReturnPlan) plan = koers_return_plan_new ();
  g_autoptr(GPtrArray) checkins = NULL;

  plan->client_id = g_strdup (c->client_id);
  plan->country = g_strdup (c->country);
  plan->status = KOERS_PLAN_AGREED;
  if (c->partner >= 0)
    {
      g_autoptr(KoersConsent) consent = koers_consent_new ();

      consent->client_id = g_strdup (c->client_id);
      consent->kind = KOERS_CONSENT_SHARE_PARTNER;
      consent->granted = TRUE;
      consent->recorded_on = g_strdup ("2025-01-02");
      ADD_OK (koers_store_add_consent (d->f.store, consent, &error_));
    }
  if (c->partner >= 0)
    plan->partner_id = g_strdup (d->partner_ids[c->partner]);
  ADD_OK (koers_store_add_return_plan (d->f.store, plan, &error_));
  if (c->departed_on == NULL)
    return;
  ADD_OK (koers_store_record_departure (d->f.store, plan->id, c->departed_on, &error_));
  checkins = koers_store_list (d->f.store, KOERS_ENTITY_CHECKIN, plan->id, NULL);
  for (guint k = 0; k < checkins->len; k++)
    {
      KoersCheckin *checkin = g_ptr_array_index (checkins, k);

      if (checkin->month != 12)
        continue;
      g_assert_cmpstr (checkin->due_on, ==, c->checkin_due);
      if (c->checkin_held != NULL)
        ADD_OK (koers_store_record_checkin (d->f.store, checkin->id, c->checkin_held,
                                            c->social, c->economic, "Werkt in de winkel van zijn oom",
                                            &error_));
    }
}

void
report_data_setup (ReportData *d, gconstpointer unused)
{
  store_fixture_setup (&d->f, NULL);
  d->f.now_ms = TODAY_MS;
  add_reference (d);
  for (guint i = 0; i < REPORT_N_CASES; i++)
    {
      ReportCase *c = &d->cases[i];
      g_autofree char *name = g_strdup_printf ("%s %u", report_names[i % 4], i);

      describe_case (c, i);
      c->client_id = store_fixture_add_client (&d->f, name, TRUE);
      add_identity (d, c, i);
      add_reporting_consents (d, c);
      add_conversations (d, c, i);
      if (c->counsellor_on != NULL)
        add_referral (d, c, c->counsellor_on, NULL, KOERS_REFERRAL_MADE);
      if (c->org_on != NULL)
        add_referral (d, c, c->org_on, d->org_ids[c->org], KOERS_REFERRAL_ACCEPTED);
      if (c->proposed_on != NULL)
        add_referral (d, c, c->proposed_on, NULL, KOERS_REFERRAL_PROPOSED);
      if (c->country != NULL)
        add_plan (d, c);
    }
}

void
report_data_teardown (ReportData *d, gconstpointer unused)
{
  for (guint i = 0; i < REPORT_N_CASES; i++)
    case_clear (&d->cases[i]);
  for (guint i = 0; i < REPORT_N_STEUNPUNTEN; i++)
    {
      g_free (d->steunpunt_ids[i]);
      g_free (d->steunpunt_names[i]);
    }
  for (guint i = 0; i < 3; i++)
    g_free (d->org_ids[i]);
  for (guint i = 0; i < 2; i++)
    g_free (d->partner_ids[i]);
  store_fixture_teardown (&d->f, NULL);
}

/* Expected figures ------------------------------------------------------------ */

static void
expected_free (ExpectedFigure *e)
{
  g_hash_table_unref (e->clients);
  g_free (e);
}

static ExpectedFigure *
expected (GHashTable *all, const char *id)
{
  ExpectedFigure *e = g_hash_table_lookup (all, id);

  if (e == NULL)
    {
      e = g_new0 (ExpectedFigure, 1);
      e->clients = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (all, g_strdup (id), e);
    }
  return e;
}

/* A record behind @id (counts every time). */
static void
add_record (GHashTable *all, const char *id, const char *client_id)
{
  ExpectedFigure *e = expected (all, id);

  e->value++;
  g_hash_table_add (e->clients, (gpointer) client_id);
}

/* A person behind @id (counts once). */
static void
add_person (GHashTable *all, const char *id, const char *client_id)
{
  ExpectedFigure *e = expected (all, id);

  if (g_hash_table_add (e->clients, (gpointer) client_id))
    e->value++;
}

static gboolean
within (const char *date_text, const char *from, const char *to)
{
  return date_text != NULL && strcmp (date_text, from) >= 0 && strcmp (date_text, to) <= 0;
}

static void
expect_referral (GHashTable *all, ReportData *d, ReportCase *c, const char *on, int org,
                 const char *from, const char *to)
{
  g_autofree char *kind = NULL;
  g_autofree char *org_id = NULL;

  if (!within (on, from, to))
    return;
  add_record (all, "referrals", c->client_id);
  kind = g_strconcat ("referrals.kind.", org < 0 ? "counsellor" : org_kind_keys[org], NULL);
  add_record (all, kind, c->client_id);
  if (org < 0)
    add_record (all, "referrals.counsellor", c->client_id);
  else
    {
      org_id = g_strconcat ("referrals.org.", d->org_ids[org], NULL);
      add_record (all, org_id, c->client_id);
    }
}

static void
expect_case (GHashTable *all, ReportData *d, ReportCase *c, const char *from, const char *to,
             const char *today)
{
  const char *first = c->conversations[0];
  gboolean reached = FALSE;

  if (c->conversations[1] != NULL && strcmp (c->conversations[1], first) < 0)
    first = c->conversations[1];
  for (guint k = 0; k < 2; k++)
    if (within (c->conversations[k], from, to))
      {
        add_record (all, "conversations", c->client_id);
        add_person (all, "reached", c->client_id);
        reached = TRUE;
      }
  if (reached)
    add_person (all, within (first, from, to) ? "reached.new" : "reached.continuing", c->client_id);
  if (c->signal && within (c->conversations[0], from, to))
    {
      add_person (all, "signals", c->client_id);
      /* Referred on or after the signal: to the counsellor the same day,
       * or to mental-health care later. */
      if (c->counsellor_on != NULL ||
          (c->org_on != NULL && c->org == 2 && strcmp (c->org_on, c->conversations[0]) >= 0))
        add_person (all, "signals.referred", c->client_id);
    }
  expect_referral (all, d, c, c->counsellor_on, -1, from, to);
  expect_referral (all, d, c, c->org_on, (int) c->org, from, to);
  if (within (c->closed_on, from, to))
    {
      g_autofree char *id = g_strconcat ("outcome.", outcome_keys[c->outcome], NULL);

      add_person (all, "closed", c->client_id);
      add_person (all, id, c->client_id);
    }
  if (reached && (c->plan_agreed || c->departed_on != NULL))
    add_person (all, "choice.return", c->client_id);
  if (within (c->departed_on, from, to))
    {
      g_autofree char *country = g_strconcat ("returns.country.", c->country, NULL);
      g_autofree char *partner = g_strconcat ("returns.partner.",
                                              c->partner < 0 ? "none" : d->partner_ids[c->partner], NULL);

      add_person (all, "returns", c->client_id);
      add_person (all, country, c->client_id);
      add_person (all, partner, c->client_id);
    }
  if (within (c->checkin_due, from, to))
    {
      add_person (all, "monitoring.due", c->client_id);
      if (c->checkin_held != NULL)
        add_person (all, "monitoring.held", c->client_id);
      else if (strcmp (c->checkin_due, today) <= 0 && strcmp (c->checkin_due, to) <= 0)
        add_person (all, "monitoring.missing", c->client_id);
      if (c->social == KOERS_ANSWER_YES)
        add_person (all, "monitoring.social", c->client_id);
      if (c->economic == KOERS_ANSWER_YES)
        add_person (all, "monitoring.economic", c->client_id);
    }
}

GHashTable *
report_expect (ReportData *d, const char *from, const char *to, const char *today, int steunpunt)
{
  GHashTable *all = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) expected_free);

  ExpectedFigure *left_out = expected (all, "left_out.no_consent");

  for (guint i = 0; i < REPORT_N_CASES; i++)
    {
      ReportCase *c = &d->cases[i];
      g_autoptr(GHashTable) unreported = NULL;

      if (steunpunt >= 0 && c->steunpunt != (guint) steunpunt)
        continue;
      if (report_case_consents (c))
        {
          expect_case (all, d, c, from, to, today);
          continue;
        }
      unreported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) expected_free);
      expect_case (unreported, d, c, from, to, today);
      if (g_hash_table_size (unreported) > 0)
        left_out->value++;
    }
  return all;
}

gint64
report_expected_value (GHashTable *all, const char *figure_id)
{
  ExpectedFigure *e = g_hash_table_lookup (all, figure_id);

  return e != NULL ? e->value : 0;
}
