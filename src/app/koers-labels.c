/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-labels"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "koers-labels.h"
#include "store/koers-country.h"
#include "store/koers-date.h"

typedef struct
{
  const char *name;
  const char *label;
} Label;

static const Label topics[] = {
  { "new_procedure", N_("New procedure") },
  { "irregular_stay", N_("Staying without papers") },
  { "voluntary_return", N_("Voluntary return") },
  { "other", N_("Other") },
};

static const Label barriers[] = {
  { "shame_family", N_("Shame towards family") },
  { "fear", N_("Fear") },
  { "lost_years", N_("Lost years") },
  { "no_documents", N_("No documents") },
  { "political_situation", N_("Political situation") },
  { "economic_situation", N_("Economic situation") },
  { "no_work", N_("No work") },
  { "no_network", N_("No network") },
  { "other", N_("Other") },
};

static const char *
lookup (const Label *labels,
        gsize        n,
        const char  *name)
{
  for (gsize i = 0; i < n; i++)
    if (g_strcmp0 (labels[i].name, name) == 0)
      return _(labels[i].label);
  return name;
}

const char *
koers_label_topic (const char *name)
{
  return lookup (topics, G_N_ELEMENTS (topics), name);
}

const char *
koers_label_barrier (const char *name)
{
  return lookup (barriers, G_N_ELEMENTS (barriers), name);
}

const char *
koers_label_owner (KoersOwner owner)
{
  switch (owner)
    {
    case KOERS_OWNER_CLIENT:
      return _("Client");
    case KOERS_OWNER_STEUNPUNT:
      return _("Steunpunt");
    case KOERS_OWNER_PARTNER:
      return _("Partner abroad");
    default:
      return "";
    }
}

const char *
koers_phase_label (KoersPhase phase)
{
  switch (phase)
    {
    case KOERS_PHASE_INTAKE:         return _("Intake");
    case KOERS_PHASE_ORIENTATION:    return _("Orientation");
    case KOERS_PHASE_RETURN_SUPPORT: return _("Return support");
    case KOERS_PHASE_MONITORING:     return _("Monitoring");
    case KOERS_PHASE_CLOSED:         return _("Closed");
    default:                         return "";
    }
}

const char *
koers_outcome_label (KoersOutcome outcome)
{
  switch (outcome)
    {
    case KOERS_OUTCOME_UNKNOWN:              return _("Not known yet");
    case KOERS_OUTCOME_RETURNED:             return _("Returned");
    case KOERS_OUTCOME_NEW_PROCEDURE:        return _("New procedure");
    case KOERS_OUTCOME_PERMIT:               return _("Residence permit");
    case KOERS_OUTCOME_STAYS_WITHOUT_PAPERS: return _("Stays without papers");
    case KOERS_OUTCOME_MOVED_ON:             return _("Moved on");
    case KOERS_OUTCOME_LOST_CONTACT:         return _("Lost contact");
    case KOERS_OUTCOME_OTHER:                return _("Other");
    default:                                 return "";
    }
}

const char *
koers_label_plan_status (KoersPlanStatus status)
{
  switch (status)
    {
    case KOERS_PLAN_DRAFT:
      return _("Draft");
    case KOERS_PLAN_AGREED:
      return _("Agreed");
    case KOERS_PLAN_DEPARTED:
      return _("Departed");
    case KOERS_PLAN_MONITORING:
      return _("Monitoring");
    case KOERS_PLAN_CLOSED:
      return _("Closed");
    default:
      return "";
    }
}

const char *
koers_label_role (KoersRole role)
{
  switch (role)
    {
    case KOERS_ROLE_VOLUNTEER:
      return C_("role", "Volunteer");
    case KOERS_ROLE_COUNSELLOR:
      return C_("role", "Counsellor");
    case KOERS_ROLE_CONSULTANT:
      return C_("role", "Consultant");
    case KOERS_ROLE_COORDINATOR:
      return C_("role", "Coordinator");
    default:
      return "";
    }
}

/* The language the UI speaks ("nl", "en", ...), for names the store
 * keeps in more than one language. */
const char *
koers_ui_language (void)
{
  return g_get_language_names ()[0];
}

/* A country's name in the UI language; the code only if Koers does not
 * know it. */
const char *
koers_label_country (const char *code)
{
  const char *name;

  if (code == NULL)
    return "";
  name = koers_country_name (code, koers_ui_language ());
  return name != NULL ? name : code;
}

const char *
koers_label_referral_status (KoersReferralStatus status)
{
  switch (status)
    {
    case KOERS_REFERRAL_PROPOSED:
      return C_("referral", "Proposed");
    case KOERS_REFERRAL_MADE:
      return C_("referral", "Made");
    case KOERS_REFERRAL_ACCEPTED:
      return C_("referral", "Accepted");
    case KOERS_REFERRAL_DONE:
      return C_("referral", "Done");
    case KOERS_REFERRAL_DECLINED:
      return C_("referral", "Declined");
    default:
      return "";
    }
}

const char *
koers_label_org_kind (KoersOrgKind kind)
{
  switch (kind)
    {
    case KOERS_ORG_KIND_RETURN:
      return _("Maatwerk bij Terugkeer");
    case KOERS_ORG_KIND_LEGAL_AID:
      return _("Legal aid");
    case KOERS_ORG_KIND_MEDICAL:
      return _("Medical care");
    case KOERS_ORG_KIND_MENTAL_HEALTH:
      return _("Mental-health care");
    case KOERS_ORG_KIND_SHELTER:
      return _("Shelter");
    case KOERS_ORG_KIND_OTHER:
      return _("Other");
    default:
      return "";
    }
}

const char *
koers_label_support_kind (KoersSupportKind kind)
{
  switch (kind)
    {
    case KOERS_SUPPORT_HOUSING:        return _("Housing");
    case KOERS_SUPPORT_BUSINESS:       return _("Starting a business");
    case KOERS_SUPPORT_EDUCATION:      return _("Education");
    case KOERS_SUPPORT_MEDICAL:        return _("Medical care");
    case KOERS_SUPPORT_TRAVEL:         return _("Travel");
    case KOERS_SUPPORT_DOCUMENTS:      return _("Documents");
    case KOERS_SUPPORT_MONEY:          return _("Money");
    case KOERS_SUPPORT_FAMILY_TRACING: return _("Family tracing");
    default:                           return "";
    }
}

const char *
koers_label_support_status (KoersSupportStatus status)
{
  switch (status)
    {
    case KOERS_SUPPORT_PLANNED:   return C_("support", "Planned");
    case KOERS_SUPPORT_APPROVED:  return C_("support", "Approved");
    case KOERS_SUPPORT_DELIVERED: return C_("support", "Delivered");
    case KOERS_SUPPORT_CANCELLED: return C_("support", "Cancelled");
    default:                      return "";
    }
}

/* "Not recorded" (nothing stored) differs from "not known" (asked). */
const char *
koers_label_answer (KoersAnswer answer)
{
  switch (answer)
    {
    case KOERS_ANSWER_YES:       return C_("answer", "Yes");
    case KOERS_ANSWER_NO:        return C_("answer", "No");
    case KOERS_ANSWER_NOT_KNOWN: return C_("answer", "Not known");
    default:                     return C_("answer", "Not recorded");
    }
}

char *
koers_label_checkin (int months)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Check-in after %d month", "Check-in after %d months",
                                       months),
                          months);
}

static GDateTime *
parse_date (const char *text)
{
  int y, m, d;
  char end;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 || strlen (text) != 10)
    return NULL;
  if (!g_date_valid_dmy (d, m, y))
    return NULL;
  return g_date_time_new_local (y, m, d, 12, 0, 0);
}

char *
koers_label_date (const char *iso)
{
  g_autoptr(GDateTime) date = NULL;

  if (iso == NULL)
    return NULL;
  date = parse_date (iso);
  if (date == NULL)
    return g_strdup (iso);
  return koers_date_format (iso, koers_ui_language ());
}

/* Month names come from our own translation, not from LC_TIME, so a date
 * reads in the language of the UI even under a C or foreign locale. */
static const char *const months[] = {
  NC_("month", "January"), NC_("month", "February"), NC_("month", "March"),
  NC_("month", "April"), NC_("month", "May"), NC_("month", "June"),
  NC_("month", "July"), NC_("month", "August"), NC_("month", "September"),
  NC_("month", "October"), NC_("month", "November"), NC_("month", "December"),
};

static const char *
month_name (GDateTime *date)
{
  return g_dpgettext2 (GETTEXT_PACKAGE, "month", months[g_date_time_get_month (date) - 1]);
}

char *
koers_label_day (GDateTime *date)
{
  g_return_val_if_fail (date != NULL, NULL);

  /* Translators: a date as in "23 November 2026": day, month name, year.
   * Reorder with %1$d, %2$s and %3$d if your language needs another order. */
  return g_strdup_printf (_("%1$d %2$s %3$d"),
                          g_date_time_get_day_of_month (date), month_name (date),
                          g_date_time_get_year (date));
}

char *
koers_label_day_time (GDateTime *date)
{
  g_return_val_if_fail (date != NULL, NULL);

  /* Translators: a day and time as in "23 November, 14:05": day, month
   * name, hour, minutes. */
  return g_strdup_printf (_("%1$d %2$s, %3$02d:%4$02d"),
                          g_date_time_get_day_of_month (date), month_name (date),
                          g_date_time_get_hour (date), g_date_time_get_minute (date));
}
