/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-office-report.c: the figures of a period, from the case records.
 *
 * Reads every record kind it needs once through the store's list API (no
 * SQL here) and counts in memory; each figure keeps the set of clients
 * behind it for explain. Only clients whose latest reporting consent
 * grants it are counted; the others a figure would have counted are one
 * number, "left_out.no_consent", without their case ids. Definitions:
 * docs/office.md, "Reports".
 */
#include "config.h"

#define G_LOG_DOMAIN "koers-office"

#include <glib/gi18n-lib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "koers-country.h"
#include "koers-office-export.h"
#include "koers-office-report.h"

G_DEFINE_QUARK (koers-office-report-error-quark, koers_office_report_error)

#define TARGET_SOCIAL    0.75
#define TARGET_ECONOMIC  0.50

static const char *const format_names[] = { "csv", "json", "xlsx", "pdf", NULL };

gboolean
koers_report_format_from_name (const char        *name,
                               KoersReportFormat *format)
{
  for (guint i = 0; name != NULL && format_names[i] != NULL; i++)
    if (g_ascii_strcasecmp (name, format_names[i]) == 0)
      {
        *format = (KoersReportFormat) i;
        return TRUE;
      }
  return FALSE;
}

/* Periods ------------------------------------------------------------------ */

void
koers_report_period_clear (KoersReportPeriod *period)
{
  g_clear_pointer (&period->from, g_free);
  g_clear_pointer (&period->to, g_free);
  g_clear_pointer (&period->label, g_free);
}

static char *
month_start (int year, int month)
{
  return g_strdup_printf ("%04d-%02d-01", year, month);
}

static char *
month_end (int year, int month)
{
  return g_strdup_printf ("%04d-%02d-%02d", year, month,
                          g_date_get_days_in_month ((GDateMonth) month, (GDateYear) year));
}

/* "2026-03" into year and month. */
static gboolean
read_month (const char *text, int *year, int *month)
{
  char tail;

  return sscanf (text, "%4d-%2d%c", year, month, &tail) == 2 && strlen (text) == 7 &&
         *year >= 1900 && *year <= 2200 && *month >= 1 && *month <= 12;
}

static gboolean
read_year (const char *text, int *year)
{
  return strlen (text) == 4 && g_ascii_isdigit (text[0]) && g_ascii_isdigit (text[1]) &&
         g_ascii_isdigit (text[2]) && g_ascii_isdigit (text[3]) &&
         (*year = atoi (text)) >= 1900 && *year <= 2200;
}

static gboolean
parse_range (const char        *text,
             KoersReportPeriod *period)
{
  g_auto(GStrv) ends = NULL;
  int y1, m1, y2, m2, year;

  if (strstr (text, "..") != NULL)
    {
      ends = g_strsplit (text, "..", 2);
      if (!read_month (ends[0], &y1, &m1) || !read_month (ends[1], &y2, &m2) ||
          y1 * 12 + m1 > y2 * 12 + m2)
        return FALSE;
      period->from = month_start (y1, m1);
      period->to = month_end (y2, m2);
      return TRUE;
    }
  if (strlen (text) == 6 && (text[4] == 'Q' || text[4] == 'q') && text[5] >= '1' && text[5] <= '4')
    {
      g_autofree char *y = g_strndup (text, 4);
      int q = text[5] - '0';

      if (!read_year (y, &year))
        return FALSE;
      period->from = month_start (year, q * 3 - 2);
      period->to = month_end (year, q * 3);
      return TRUE;
    }
  if (read_year (text, &year))
    {
      period->from = month_start (year, 1);
      period->to = month_end (year, 12);
      return TRUE;
    }
  if (read_month (text, &y1, &m1))
    {
      period->from = month_start (y1, m1);
      period->to = month_end (y1, m1);
      return TRUE;
    }
  return FALSE;
}

gboolean
koers_report_period_parse (const char        *text,
                           KoersReportPeriod *period,
                           GError           **error)
{
  memset (period, 0, sizeof *period);
  if (text == NULL || !parse_range (text, period))
    {
      koers_report_period_clear (period);
      g_set_error (error, KOERS_OFFICE_REPORT_ERROR, KOERS_OFFICE_REPORT_ERROR_PERIOD,
                   _("The period is not one Koers can read: write a quarter (2026Q3), "
                   "a year (2026), a month (2026-03) or months (2026-01..2026-06)."));
      return FALSE;
    }
  period->label = g_strdup (text);
  return TRUE;
}

/* Labels --------------------------------------------------------------------- */

typedef struct
{
  const char *key;
  const char *nl;
  const char *en;
} Label;

static const Label labels[] = {
  { "section.reach", "Bereik", "Reach" },
  { "section.psychosocial", "Psychosociaal", "Psychosocial" },
  { "section.referrals", "Doorverwijzingen", "Referrals" },
  { "section.outcomes", "Keuzes en uitkomsten", "Choices and outcomes" },
  { "section.returns", "Terugkeer", "Returns" },
  { "section.monitoring", "Monitoring na 12 maanden", "Monitoring at 12 months" },
  { "left_out.no_consent", "Niet meegeteld: geen toestemming", "Left out: no consent to reporting" },
  { "reached", "Mensen bereikt", "People reached" },
  { "reached.new", "Nieuw bereikt", "Reached for the first time" },
  { "reached.continuing", "Doorlopend", "Continuing" },
  { "conversations", "Oriëntatiegesprekken", "Orientation conversations" },
  { "signals", "Mensen met een psychosociaal signaal", "People with a psychosocial signal" },
  { "signals.referred", "Signaal doorverwezen", "Signal referred on" },
  { "referrals.counsellor", "Doorverwijzingen naar een counsellor", "Referrals to a counsellor" },
  { "referrals", "Doorverwijzingen", "Referrals" },
  { "kind.counsellor", "Counsellor van het steunpunt", "Counsellor of the steunpunt" },
  { "kind.return", "Maatwerk bij Terugkeer", "Maatwerk bij Terugkeer" },
  { "kind.legal_aid", "Rechtshulp (advocaten)", "Legal aid (lawyers)" },
  { "kind.medical", "Medisch", "Medical" },
  { "kind.mental_health", "GGZ", "Mental-health care" },
  { "kind.shelter", "Opvang", "Shelter" },
  { "kind.other", "Andere partners", "Other partners" },
  { "closed", "Dossiers afgesloten", "Files closed" },
  { "outcome.unknown", "Uitkomst niet vastgelegd", "Outcome not recorded" },
  { "outcome.returned", "Teruggekeerd", "Returned" },
  { "outcome.new_procedure", "Nieuwe procedure", "New procedure" },
  { "outcome.permit", "Verblijfsvergunning", "Residence permit" },
  { "outcome.stays_without_papers", "Blijft zonder papieren", "Stays without papers" },
  { "outcome.moved_on", "Doorgereisd", "Moved on" },
  { "outcome.lost_contact", "Contact verloren", "Lost contact" },
  { "outcome.other", "Anders", "Other" },
  { "choice.return", "Kiest voor terugkeer", "Chooses return" },
  { "returns", "Vertrokken", "Departed" },
  { "partner.none", "Geen partnerorganisatie", "No partner organisation" },
  { "monitoring.due", "Check-ins na 12 maanden", "12-month check-ins due" },
  { "monitoring.held", "Gehouden", "Held" },
  { "monitoring.missing", "Nog niet gehouden", "Still missing" },
  { "monitoring.social", "Met sociale contacten", "With social contacts" },
  { "monitoring.economic", "Met een economische activiteit", "With an economic activity" },
};

static gboolean
is_english (const char *lang)
{
  return lang != NULL && g_ascii_strncasecmp (lang, "en", 2) == 0;
}

static const char *
label (const char *key, const char *lang)
{
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (strcmp (labels[i].key, key) == 0)
      return is_english (lang) ? labels[i].en : labels[i].nl;
  return key;
}

const char *
koers_report_section_title (const char *section,
                            const char *lang)
{
  g_autofree char *key = g_strconcat ("section.", section, NULL);
  const char *title = label (key, lang);

  return title == key ? section : title;
}

/* The figures -------------------------------------------------------------------- */

static void
figure_free (KoersReportFigure *figure)
{
  g_free (figure->id);
  g_free (figure->label);
  g_hash_table_unref (figure->clients);
  g_free (figure);
}

void
koers_report_free (KoersReport *report)
{
  koers_report_period_clear (&report->period);
  g_free (report->steunpunt_name);
  g_free (report->language);
  g_free (report->made_on);
  g_ptr_array_unref (report->figures);
  g_free (report);
}

const KoersReportFigure *
koers_report_find (const KoersReport *report,
                   const char        *figure_id)
{
  for (guint i = 0; i < report->figures->len; i++)
    {
      const KoersReportFigure *figure = g_ptr_array_index (report->figures, i);

      if (strcmp (figure->id, figure_id) == 0)
        return figure;
    }
  return NULL;
}

/* Everything the figures are counted from, indexed. */
typedef struct
{
  const KoersReportPeriod *period;
  const char *steunpunt_id;  /* NULL: all */
  const char *lang;
  char       *today;
  GPtrArray  *lists[KOERS_N_ENTITIES];
  GHashTable *by_id[KOERS_N_ENTITIES];  /* id -> record, for the kinds looked up */
  GHashTable *first_seen;               /* client id -> date of the first conversation */
  GHashTable *reporting;                /* client ids whose latest reporting consent grants it */
  GHashTable *left_out;                 /* client ids a figure would have counted without it */
  KoersReport *report;
} Counter;

static void
counter_clear (Counter *c)
{
  for (guint k = 0; k < KOERS_N_ENTITIES; k++)
    {
      g_clear_pointer (&c->by_id[k], g_hash_table_unref);
      g_clear_pointer (&c->lists[k], g_ptr_array_unref);
    }
  g_clear_pointer (&c->first_seen, g_hash_table_unref);
  g_clear_pointer (&c->reporting, g_hash_table_unref);
  g_clear_pointer (&c->left_out, g_hash_table_unref);
  g_clear_pointer (&c->today, g_free);
}

static const KoersEntity loaded_kinds[] = {
  KOERS_ENTITY_STEUNPUNT, KOERS_ENTITY_WORKER, KOERS_ENTITY_PARTNER_ORG,
  KOERS_ENTITY_REFERRAL_ORG, KOERS_ENTITY_CLIENT, KOERS_ENTITY_CONVERSATION,
  KOERS_ENTITY_REFERRAL, KOERS_ENTITY_RETURN_PLAN, KOERS_ENTITY_CHECKIN,
};

static gboolean
counter_load (Counter     *c,
              KoersStore  *store,
              GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (loaded_kinds); i++)
    {
      KoersEntity kind = loaded_kinds[i];

      c->lists[kind] = koers_store_list (store, kind, NULL, error);
      if (c->lists[kind] == NULL)
        return FALSE;
      c->by_id[kind] = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint j = 0; j < c->lists[kind]->len; j++)
        {
          gpointer record = g_ptr_array_index (c->lists[kind], j);

          g_hash_table_insert (c->by_id[kind], (gpointer) koers_record_get_id (record), record);
        }
    }
  /* Reporting consent: a client without a record of it is left out. */
  c->reporting = koers_store_clients_with_consent (store, KOERS_CONSENT_PSEUDONYMOUS_REPORTING, error);
  c->left_out = g_hash_table_new (g_str_hash, g_str_equal);
  return c->reporting != NULL;
}

static gpointer
lookup (Counter *c, KoersEntity kind, const char *id)
{
  return id == NULL ? NULL : g_hash_table_lookup (c->by_id[kind], id);
}

static gboolean
in_period (Counter *c, const char *date)
{
  return date != NULL && strcmp (date, c->period->from) >= 0 && strcmp (date, c->period->to) <= 0;
}

static KoersClient *
client_at_steunpunt (Counter *c, const char *client_id)
{
  KoersClient *client = lookup (c, KOERS_ENTITY_CLIENT, client_id);

  if (client == NULL)
    return NULL;
  if (c->steunpunt_id != NULL && g_strcmp0 (client->steunpunt_id, c->steunpunt_id) != 0)
    return NULL;
  return client;
}

/* A conversation counts for the steunpunt where it was held (else the
 * client's). */
static gboolean
conversation_at_steunpunt (Counter *c, const KoersConversation *conv)
{
  const char *where = conv->steunpunt_id;

  if (where == NULL)
    {
      KoersClient *client = lookup (c, KOERS_ENTITY_CLIENT, conv->client_id);

      where = client != NULL ? client->steunpunt_id : NULL;
    }
  return c->steunpunt_id == NULL || g_strcmp0 (where, c->steunpunt_id) == 0;
}

/* The figure @id, made on first use, with @label_text (NULL: from the
 * table). */
static KoersReportFigure *
figure (Counter    *c,
        const char *section,
        const char *id,
        const char *label_text)
{
  KoersReportFigure *fig = (KoersReportFigure *) koers_report_find (c->report, id);

  if (fig != NULL)
    return fig;
  fig = g_new0 (KoersReportFigure, 1);
  fig->id = g_strdup (id);
  fig->section = section;
  fig->label = g_strdup (label_text != NULL ? label_text : label (id, c->lang));
  fig->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_ptr_array_add (c->report->figures, fig);
  return fig;
}

/* Whether @client_id may be counted; if not, notes the file as left out. */
static gboolean
may_count (Counter *c, const char *client_id)
{
  if (g_hash_table_contains (c->reporting, client_id))
    return TRUE;
  g_hash_table_add (c->left_out, (gpointer) client_id);
  return FALSE;
}

static void
count (Counter *c, KoersReportFigure *fig, const char *client_id)
{
  if (!may_count (c, client_id))
    return;
  fig->value++;
  g_hash_table_add (fig->clients, g_strdup (client_id));
}

/* Counts @client_id once per figure (a figure of people). */
static void
count_person (Counter *c, KoersReportFigure *fig, const char *client_id)
{
  if (!g_hash_table_contains (fig->clients, client_id))
    count (c, fig, client_id);
}

static void
set_share (KoersReportFigure *fig, gint64 total, double target)
{
  fig->total = total;
  fig->target = target;
}

static void
note_first_seen (Counter *c)
{
  GPtrArray *convs = c->lists[KOERS_ENTITY_CONVERSATION];

  c->first_seen = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < convs->len; i++)
    {
      KoersConversation *conv = g_ptr_array_index (convs, i);
      const char *seen = g_hash_table_lookup (c->first_seen, conv->client_id);

      if (seen == NULL || strcmp (conv->held_on, seen) < 0)
        g_hash_table_insert (c->first_seen, conv->client_id, conv->held_on);
    }
}

static void
count_reach (Counter *c)
{
  GPtrArray *convs = c->lists[KOERS_ENTITY_CONVERSATION];
  KoersReportFigure *reached = figure (c, "reach", "reached", NULL);
  KoersReportFigure *fresh = figure (c, "reach", "reached.new", NULL);
  KoersReportFigure *continuing = figure (c, "reach", "reached.continuing", NULL);
  KoersReportFigure *conversations = figure (c, "reach", "conversations", NULL);

  note_first_seen (c);
  for (guint i = 0; i < convs->len; i++)
    {
      KoersConversation *conv = g_ptr_array_index (convs, i);

      if (!in_period (c, conv->held_on) || !conversation_at_steunpunt (c, conv))
        continue;
      count (c, conversations, conv->client_id);
      count_person (c, reached, conv->client_id);
      if (in_period (c, g_hash_table_lookup (c->first_seen, conv->client_id)))
        count_person (c, fresh, conv->client_id);
    }
  /* Continuing: reached, first seen before the period. */
  GHashTableIter iter;
  gpointer id;

  g_hash_table_iter_init (&iter, reached->clients);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    if (!g_hash_table_contains (fresh->clients, id))
      count (c, continuing, id);
}

/* A referral to a counsellor of the steunpunt or to mental-health care. */
static gboolean
is_counselling (Counter *c, const KoersReferral *ref)
{
  KoersReferralOrg *org = lookup (c, KOERS_ENTITY_REFERRAL_ORG, ref->organisation_id);

  return ref->counsellor_id != NULL || (org != NULL && org->kind == KOERS_ORG_KIND_MENTAL_HEALTH);
}

/* Whether @client_id was referred to counselling on or after @since. */
static gboolean
referred_since (Counter *c, const char *client_id, const char *since)
{
  GPtrArray *refs = c->lists[KOERS_ENTITY_REFERRAL];

  for (guint i = 0; i < refs->len; i++)
    {
      KoersReferral *ref = g_ptr_array_index (refs, i);

      if (strcmp (ref->client_id, client_id) == 0 && is_counselling (c, ref) &&
          strcmp (ref->referred_on, since) >= 0 && ref->status != KOERS_REFERRAL_PROPOSED)
        return TRUE;
    }
  return FALSE;
}

static void
count_signals (Counter *c)
{
  GPtrArray *convs = c->lists[KOERS_ENTITY_CONVERSATION];
  KoersReportFigure *signals = figure (c, "psychosocial", "signals", NULL);
  KoersReportFigure *referred = figure (c, "psychosocial", "signals.referred", NULL);
  g_autoptr(GHashTable) first_signal = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < convs->len; i++)
    {
      KoersConversation *conv = g_ptr_array_index (convs, i);
      const char *seen;

      if (!conv->psychosocial_signal || !in_period (c, conv->held_on) ||
          !conversation_at_steunpunt (c, conv))
        continue;
      count_person (c, signals, conv->client_id);
      seen = g_hash_table_lookup (first_signal, conv->client_id);
      if (seen == NULL || strcmp (conv->held_on, seen) < 0)
        g_hash_table_insert (first_signal, conv->client_id, conv->held_on);
    }
  GHashTableIter iter;
  gpointer id, since;

  g_hash_table_iter_init (&iter, first_signal);
  while (g_hash_table_iter_next (&iter, &id, &since))
    if (referred_since (c, id, since))
      count (c, referred, id);
  set_share (referred, signals->value, 0);
}

static const char *const kind_keys[] = {
  "kind.return", "kind.legal_aid", "kind.medical", "kind.mental_health", "kind.shelter", "kind.other",
};

static void
count_referral (Counter *c, const KoersReferral *ref)
{
  KoersReferralOrg *org = lookup (c, KOERS_ENTITY_REFERRAL_ORG, ref->organisation_id);
  const char *kind = ref->counsellor_id != NULL || org == NULL ? "kind.counsellor"
                                                               : kind_keys[org->kind];
  g_autofree char *kind_id = g_strconcat ("referrals.", kind, NULL);

  count (c, figure (c, "referrals", "referrals", NULL), ref->client_id);
  count (c, figure (c, "referrals", kind_id, label (kind, c->lang)), ref->client_id);
  if (ref->counsellor_id != NULL)
    count (c, figure (c, "psychosocial", "referrals.counsellor", NULL), ref->client_id);
  if (org != NULL)
    {
      g_autofree char *org_id = g_strconcat ("referrals.org.", org->id, NULL);

      count (c, figure (c, "referrals", org_id, org->name), ref->client_id);
    }
}

static void
count_referrals (Counter *c)
{
  GPtrArray *refs = c->lists[KOERS_ENTITY_REFERRAL];

  figure (c, "psychosocial", "referrals.counsellor", NULL);
  figure (c, "referrals", "referrals", NULL);
  for (guint i = 0; i < refs->len; i++)
    {
      KoersReferral *ref = g_ptr_array_index (refs, i);

      if (ref->status != KOERS_REFERRAL_PROPOSED && in_period (c, ref->referred_on) &&
          client_at_steunpunt (c, ref->client_id) != NULL)
        count_referral (c, ref);
    }
}

static const char *const outcome_keys[] = {
  "outcome.unknown", "outcome.returned", "outcome.new_procedure", "outcome.permit",
  "outcome.stays_without_papers", "outcome.moved_on", "outcome.lost_contact", "outcome.other",
};

/* A plan the client agreed to and did not cancel: agreed or further, or
 * closed after departure. */
static gboolean
plan_chosen (const KoersReturnPlan *plan)
{
  if (plan->status == KOERS_PLAN_CLOSED)
    return plan->departed_on != NULL;
  return plan->status >= KOERS_PLAN_AGREED;
}

static void
count_outcomes (Counter *c)
{
  GPtrArray *clients = c->lists[KOERS_ENTITY_CLIENT];
  GPtrArray *plans = c->lists[KOERS_ENTITY_RETURN_PLAN];
  KoersReportFigure *closed = figure (c, "outcomes", "closed", NULL);
  KoersReportFigure *reached = (KoersReportFigure *) koers_report_find (c->report, "reached");
  KoersReportFigure *choice;

  for (guint i = 0; i < G_N_ELEMENTS (outcome_keys); i++)
    figure (c, "outcomes", outcome_keys[i], NULL);
  for (guint i = 0; i < clients->len; i++)
    {
      KoersClient *client = g_ptr_array_index (clients, i);

      if (!in_period (c, client->closed_on) || client_at_steunpunt (c, client->id) == NULL)
        continue;
      count (c, closed, client->id);
      count (c, figure (c, "outcomes", outcome_keys[client->outcome], NULL), client->id);
    }
  choice = figure (c, "outcomes", "choice.return", NULL);
  for (guint i = 0; i < plans->len; i++)
    {
      KoersReturnPlan *plan = g_ptr_array_index (plans, i);

      if (plan_chosen (plan) && g_hash_table_contains (reached->clients, plan->client_id))
        count_person (c, choice, plan->client_id);
    }
  set_share (choice, reached->value, 0);
  for (guint i = 0; i < G_N_ELEMENTS (outcome_keys); i++)
    set_share (figure (c, "outcomes", outcome_keys[i], NULL), closed->value, 0);
}

static void
count_returns (Counter *c)
{
  GPtrArray *plans = c->lists[KOERS_ENTITY_RETURN_PLAN];
  KoersReportFigure *returns = figure (c, "returns", "returns", NULL);

  for (guint i = 0; i < plans->len; i++)
    {
      KoersReturnPlan *plan = g_ptr_array_index (plans, i);
      KoersPartnerOrg *partner = lookup (c, KOERS_ENTITY_PARTNER_ORG, plan->partner_id);
      g_autofree char *country_id = NULL;
      g_autofree char *partner_id = NULL;
      const char *country_name;

      if (!in_period (c, plan->departed_on) || client_at_steunpunt (c, plan->client_id) == NULL)
        continue;
      count (c, returns, plan->client_id);
      country_id = g_strconcat ("returns.country.", plan->country, NULL);
      country_name = koers_country_name (plan->country, is_english (c->lang) ? "en" : "nl");
      count (c, figure (c, "returns", country_id, country_name ? country_name : plan->country),
             plan->client_id);
      partner_id = g_strconcat ("returns.partner.", partner ? partner->id : "none", NULL);
      count (c, figure (c, "returns", partner_id,
                     partner ? partner->name : label ("partner.none", c->lang)),
             plan->client_id);
    }
}

static void
count_monitoring (Counter *c)
{
  GPtrArray *checkins = c->lists[KOERS_ENTITY_CHECKIN];
  KoersReportFigure *due = figure (c, "monitoring", "monitoring.due", NULL);
  KoersReportFigure *held = figure (c, "monitoring", "monitoring.held", NULL);
  KoersReportFigure *missing = figure (c, "monitoring", "monitoring.missing", NULL);
  KoersReportFigure *social = figure (c, "monitoring", "monitoring.social", NULL);
  KoersReportFigure *economic = figure (c, "monitoring", "monitoring.economic", NULL);
  const char *cutoff = strcmp (c->today, c->period->to) < 0 ? c->today : c->period->to;

  for (guint i = 0; i < checkins->len; i++)
    {
      KoersCheckin *checkin = g_ptr_array_index (checkins, i);
      KoersReturnPlan *plan = lookup (c, KOERS_ENTITY_RETURN_PLAN, checkin->plan_id);

      if (checkin->month != 12 || plan == NULL || !in_period (c, checkin->due_on) ||
          client_at_steunpunt (c, plan->client_id) == NULL)
        continue;
      count (c, due, plan->client_id);
      if (checkin->held_on == NULL)
        {
          if (strcmp (checkin->due_on, cutoff) <= 0)
            count (c, missing, plan->client_id);
          continue;
        }
      count (c, held, plan->client_id);
      if (checkin->social_contacts == KOERS_ANSWER_YES)
        count (c, social, plan->client_id);
      if (checkin->economic_activity == KOERS_ANSWER_YES)
        count (c, economic, plan->client_id);
    }
  set_share (social, held->value, TARGET_SOCIAL);
  set_share (economic, held->value, TARGET_ECONOMIC);
}

/* @steunpunt as an id or a name; NULL: all. */
static gboolean
find_steunpunt (Counter     *c,
                const char  *steunpunt,
                GError     **error)
{
  GPtrArray *all = c->lists[KOERS_ENTITY_STEUNPUNT];

  if (steunpunt == NULL)
    return TRUE;
  for (guint i = 0; i < all->len; i++)
    {
      KoersSteunpunt *sp = g_ptr_array_index (all, i);

      if (strcmp (sp->id, steunpunt) == 0 || g_utf8_collate (sp->name, steunpunt) == 0)
        {
          c->steunpunt_id = sp->id;
          c->report->steunpunt_name = g_strdup (sp->name);
          return TRUE;
        }
    }
  g_set_error (error, KOERS_OFFICE_REPORT_ERROR, KOERS_OFFICE_REPORT_ERROR_STEUNPUNT,
               _("There is no steunpunt with that name or id in the office vault."));
  return FALSE;
}

static const char *const section_order[] = {
  "reach", "psychosocial", "referrals", "outcomes", "returns", "monitoring",
};

static guint
section_rank (const char *section)
{
  for (guint i = 0; i < G_N_ELEMENTS (section_order); i++)
    if (strcmp (section_order[i], section) == 0)
      return i;
  return G_N_ELEMENTS (section_order);
}

/* The figures by organisation, country or partner form a group each,
 * largest first. */
static const char *const group_prefixes[] = {
  "referrals.kind.", "referrals.org.", "returns.country.", "returns.partner.",
};

static int
group_rank (const KoersReportFigure *fig)
{
  for (guint i = 0; i < G_N_ELEMENTS (group_prefixes); i++)
    if (g_str_has_prefix (fig->id, group_prefixes[i]))
      return (int) i;
  return -1;
}

/* Sections in order; within one, the fixed figures as made, then each
 * group by value (a stable sort keeps the rest as made). */
static int
compare_figures (gconstpointer a, gconstpointer b)
{
  const KoersReportFigure *x = *(KoersReportFigure *const *) a;
  const KoersReportFigure *y = *(KoersReportFigure *const *) b;
  int gx = group_rank (x), gy = group_rank (y);

  if (section_rank (x->section) != section_rank (y->section))
    return section_rank (x->section) < section_rank (y->section) ? -1 : 1;
  if (gx != gy)
    return gx < gy ? -1 : 1;
  if (gx >= 0 && x->value != y->value)
    return x->value > y->value ? -1 : 1;
  return 0;
}

KoersReport *
koers_office_report_compute (KoersStore  *store,
                             const char  *period,
                             const char  *steunpunt,
                             const char  *lang,
                             GError     **error)
{
  g_autoptr(KoersReport) report = g_new0 (KoersReport, 1);
  Counter c = { 0 };
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  report->figures = g_ptr_array_new_with_free_func ((GDestroyNotify) figure_free);
  report->language = g_strdup (is_english (lang) ? "en" : "nl");
  if (!koers_report_period_parse (period, &report->period, error))
    return NULL;
  c.period = &report->period;
  c.lang = report->language;
  c.report = report;
  c.today = koers_store_today (store);
  report->made_on = g_strdup (c.today);
  ok = counter_load (&c, store, error) && find_steunpunt (&c, steunpunt, error);
  if (ok)
    {
      KoersReportFigure *left_out = figure (&c, "reach", "left_out.no_consent", NULL);

      count_reach (&c);
      count_signals (&c);
      count_referrals (&c);
      count_outcomes (&c);
      count_returns (&c);
      count_monitoring (&c);
      /* A count only: no case ids of those who did not consent. */
      left_out->value = g_hash_table_size (c.left_out);
      g_ptr_array_sort (report->figures, compare_figures);
    }
  counter_clear (&c);
  return ok ? g_steal_pointer (&report) : NULL;
}

gboolean
koers_office_report_run (KoersStore        *store,
                         const char        *period,
                         const char        *steunpunt,
                         KoersReportFormat  format,
                         const char        *lang,
                         GOutputStream     *out,
                         GError           **error)
{
  g_autoptr(KoersReport) report = koers_office_report_compute (store, period, steunpunt, lang, error);

  if (report == NULL)
    return FALSE;
  switch (format)
    {
    case KOERS_REPORT_FORMAT_CSV:
      return koers_report_write_csv (report, out, error);
    case KOERS_REPORT_FORMAT_JSON:
      return koers_report_write_json (report, out, error);
    case KOERS_REPORT_FORMAT_XLSX:
      return koers_report_write_xlsx (report, out, error);
    case KOERS_REPORT_FORMAT_PDF:
      return koers_report_write_pdf (report, out, error);
    default:
      break;
    }
  g_set_error (error, KOERS_OFFICE_REPORT_ERROR, KOERS_OFFICE_REPORT_ERROR_FORMAT,
               _("Reports are written as csv, json, xlsx or pdf."));
  return FALSE;
}

static int
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

char **
koers_office_report_explain (KoersStore  *store,
                             const char  *period,
                             const char  *steunpunt,
                             const char  *figure_id,
                             GBytes      *secret,
                             GError     **error)
{
  g_autoptr(KoersReport) report = koers_office_report_compute (store, period, steunpunt, "nl", error);
  const KoersReportFigure *fig;
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer id;

  if (report == NULL)
    return NULL;
  if ((fig = koers_report_find (report, figure_id)) == NULL)
    {
      g_set_error (error, KOERS_OFFICE_REPORT_ERROR, KOERS_OFFICE_REPORT_ERROR_FIGURE,
                   _("The report has no figure with that id for this period; "
                   "the ids are in the report's \"figure\" column."));
      return NULL;
    }
  g_hash_table_iter_init (&iter, fig->clients);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    g_ptr_array_add (ids, koers_office_pseudonym (secret, id));
  g_ptr_array_sort (ids, compare_strings);
  g_ptr_array_add (ids, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
}
