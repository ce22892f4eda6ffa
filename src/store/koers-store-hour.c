/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-store-hour.c: what a whole consultation hour needs underneath
 * (issue 9): people and their roles, organisations, referrals with a
 * status, the return plan's status and steps, monitoring indicators,
 * consent per client, the duplicate check at intake and Today. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "koers-date.h"
#include "koers-store-hour-private.h"

#define INVALID(error, ...) \
  (g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID, __VA_ARGS__), FALSE)

/* Runs @ok (a write's result) to its commit or rollback. */
static gboolean
finish (KoersStore  *self,
        gboolean     ok,
        GError     **error)
{
  if (!ok)
    {
      koers_store_rollback (self);
      return FALSE;
    }
  return koers_store_commit (self, error);
}

/* The count @sql gives, its ?1 (if any) bound to @text; -1 on failure. */
static gint64
count_rows (KoersStore *self,
            const char *sql,
            const char *text)
{
  sqlite3_stmt *stmt = koers_store_prepare (self, sql, NULL);
  gint64 n = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_bind_parameter_count (stmt) > 0)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* Sorting by name ------------------------------------------------------------------ */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  /* Every record here has its name right after its id. */
  const char *na = ((char *const *) *(gconstpointer const *) a)[1];
  const char *nb = ((char *const *) *(gconstpointer const *) b)[1];

  return g_utf8_collate (na, nb);
}

/* People ----------------------------------------------------------------------------- */

static gint64
other_active_coordinators (KoersStore *self,
                           const char *worker_id)
{
  return count_rows (self,
    "SELECT count (*) FROM worker WHERE role = 'coordinator' AND active AND id IS NOT ?1",
    worker_id);
}

static gboolean
is_active_coordinator (const KoersWorker *worker)
{
  return worker != NULL && worker->role == KOERS_ROLE_COORDINATOR && worker->active;
}

gboolean
koers_store_is_coordinator (KoersStore *self,
                            const char *worker_id)
{
  g_autoptr (KoersWorker) worker = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  if (worker_id == NULL)
    return FALSE;
  worker = koers_store_get (self, KOERS_ENTITY_WORKER, worker_id, NULL);
  return is_active_coordinator (worker);
}

static gboolean
last_coordinator_error (GError **error)
{
  return INVALID (error, _("Koers needs at least one active coordinator. Make someone else "
                           "coordinator first."));
}

gboolean
koers_store_check_worker (KoersStore  *self,
                          gpointer     record,
                          GError     **error)
{
  KoersWorker *worker = record;
  g_autoptr (KoersWorker) old = koers_store_get (self, KOERS_ENTITY_WORKER, worker->id, NULL);

  if (is_active_coordinator (old) && !is_active_coordinator (worker) &&
      other_active_coordinators (self, worker->id) < 1)
    return last_coordinator_error (error);
  return TRUE;
}

gboolean
koers_store_check_worker_delete (KoersStore  *self,
                                 const char  *worker_id,
                                 GError     **error)
{
  g_autoptr (KoersWorker) old = koers_store_get (self, KOERS_ENTITY_WORKER, worker_id, NULL);

  if (is_active_coordinator (old) && other_active_coordinators (self, worker_id) < 1)
    return last_coordinator_error (error);
  return TRUE;
}

static gboolean
may_manage_people (KoersStore  *self,
                   GError     **error)
{
  if (other_active_coordinators (self, NULL) == 0 ||
      koers_store_is_coordinator (self, koers_store_get_current_worker (self)))
    return TRUE;
  g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_ALLOWED,
               _("Only a coordinator can add people or change their role."));
  return FALSE;
}

static gboolean
save_person (KoersStore   *self,
             KoersWorker  *person,
             GError      **error)
{
  if (!may_manage_people (self, error))
    return FALSE;
  if (count_rows (self, "SELECT count (*) FROM worker", NULL) == 0)
    {
      /* Someone must be able to add colleagues and issue a recovery key. */
      person->role = KOERS_ROLE_COORDINATOR;
      person->active = TRUE;
    }
  if (person->steunpunt_id == NULL &&
      count_rows (self, "SELECT count (*) FROM steunpunt", NULL) > 0)
    return INVALID (error, _("Choose the steunpunt this person works at."));
  if (person->id == NULL)
    return koers_store_add_worker (self, person, error);
  return koers_store_update_worker (self, person, error);
}

gboolean
koers_store_save_person (KoersStore   *self,
                         KoersWorker  *person,
                         GError      **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (person != NULL, FALSE);

  if (!koers_store_begin (self, error))
    return FALSE;
  return finish (self, save_person (self, person, error), error);
}

GPtrArray *
koers_store_list_people (KoersStore  *self,
                         int          role,
                         gboolean     active_only,
                         GError     **error)
{
  GPtrArray *people;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  if ((people = koers_store_list (self, KOERS_ENTITY_WORKER, NULL, error)) == NULL)
    return NULL;
  for (guint i = people->len; i-- > 0;)
    {
      KoersWorker *w = people->pdata[i];
      if ((role >= 0 && (int) w->role != role) || (active_only && !w->active))
        g_ptr_array_remove_index (people, i);
    }
  g_ptr_array_sort (people, compare_names);
  return people;
}

/* Organisations ---------------------------------------------------------------------- */

GPtrArray *
koers_store_list_referral_orgs (KoersStore  *self,
                                int          kind,
                                GError     **error)
{
  GPtrArray *orgs;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  if ((orgs = koers_store_list (self, KOERS_ENTITY_REFERRAL_ORG, NULL, error)) == NULL)
    return NULL;
  for (guint i = orgs->len; i-- > 0;)
    if (kind >= 0 && (int) ((KoersReferralOrg *) orgs->pdata[i])->kind != kind)
      g_ptr_array_remove_index (orgs, i);
  g_ptr_array_sort (orgs, compare_names);
  return orgs;
}

GPtrArray *
koers_store_list_partners (KoersStore  *self,
                           const char  *country,
                           GError     **error)
{
  g_autofree char *code = country ? g_ascii_strup (country, -1) : NULL;
  GPtrArray *partners;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  partners = koers_store_list_by (self, KOERS_ENTITY_PARTNER_ORG, code ? "country" : NULL, code,
                                  error);
  if (partners != NULL)
    g_ptr_array_sort (partners, compare_names);
  return partners;
}

/* Referrals -------------------------------------------------------------------------- */

gboolean
koers_store_check_referral_status (KoersStore     *self,
                                   KoersReferral  *referral,
                                   GError        **error)
{
  g_autoptr (KoersReferral) old = koers_store_get (self, KOERS_ENTITY_REFERRAL, referral->id,
                                                   NULL);

  if (old != NULL && old->status != referral->status &&
      g_strcmp0 (old->status_on, referral->status_on) == 0)
    g_clear_pointer (&referral->status_on, g_free);   /* changed now, unless dated */
  if (referral->status_on == NULL)
    referral->status_on = old == NULL ? g_strdup (referral->referred_on)
                        : old->status == referral->status ? g_strdup (old->status_on)
                        : koers_store_today (self);
  if (referral->status_on == NULL || referral->referred_on == NULL ||
      strcmp (referral->status_on, referral->referred_on) < 0)
    return INVALID (error, _("The date of the status lies before the date of the referral."));
  return TRUE;
}

gboolean
koers_store_set_referral_status (KoersStore           *self,
                                 const char           *referral_id,
                                 KoersReferralStatus   status,
                                 const char           *on,
                                 GError              **error)
{
  g_autoptr (KoersReferral) referral = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (referral_id != NULL, FALSE);

  if ((referral = koers_store_get_referral (self, referral_id, error)) == NULL)
    return FALSE;
  referral->status = status;
  g_free (referral->status_on);
  referral->status_on = g_strdup (on);
  return koers_store_update_referral (self, referral, error);
}

char *
koers_store_refer_signal (KoersStore  *self,
                          const char  *conversation_id,
                          const char  *counsellor_id,
                          const char  *organisation_id,
                          const char  *reason,
                          GError     **error)
{
  g_autoptr (KoersConversation) conversation = NULL;
  g_autoptr (KoersReferral) referral = koers_referral_new ();

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (conversation_id != NULL, NULL);

  conversation = koers_store_get_conversation (self, conversation_id, error);
  if (conversation == NULL)
    return NULL;
  if (!conversation->psychosocial_signal)
    {
      g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID,
                   _("This conversation noted no psychosocial signal."));
      return NULL;
    }
  referral->client_id = g_strdup (conversation->client_id);
  referral->counsellor_id = g_strdup (counsellor_id);
  referral->organisation_id = g_strdup (organisation_id);
  referral->reason = g_strdup (reason);
  referral->referred_on = koers_store_today (self);
  referral->status = KOERS_REFERRAL_MADE;
  if (!koers_store_add_referral (self, referral, error))
    return NULL;
  return g_strdup (referral->id);
}

/* The return plan ----------------------------------------------------------------------- */

gboolean
koers_store_check_plan_status (KoersStore       *self,
                               KoersReturnPlan  *plan,
                               GError          **error)
{
  g_autoptr (KoersReturnPlan) old = koers_store_get (self, KOERS_ENTITY_RETURN_PLAN, plan->id,
                                                     NULL);

  if (old == NULL || old->status == plan->status)
    return TRUE;
  if (plan->status + 1 < old->status)
    return INVALID (error, _("A return plan goes back one step at a time."));
  if (plan->status < old->status &&
      (plan->status_reason == NULL || g_strcmp0 (plan->status_reason, old->status_reason) == 0))
    return INVALID (error, _("Say why the return plan goes back a step."));
  if ((plan->status == KOERS_PLAN_DEPARTED || plan->status == KOERS_PLAN_MONITORING) &&
      plan->departed_on == NULL)
    return INVALID (error, _("Fill in the date of departure first."));
  return TRUE;
}

gboolean
koers_store_set_plan_status (KoersStore       *self,
                             const char       *plan_id,
                             KoersPlanStatus   status,
                             const char       *reason,
                             GError          **error)
{
  g_autoptr (KoersReturnPlan) plan = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (plan_id != NULL, FALSE);

  if ((plan = koers_store_get_return_plan (self, plan_id, error)) == NULL)
    return FALSE;
  if (plan->status == status)
    return TRUE;
  plan->status = status;
  g_free (plan->status_reason);
  plan->status_reason = g_strdup (reason);
  return koers_store_update_return_plan (self, plan, error);
}

/* Check-ins not yet held follow the actual departure. */
static gboolean
redate_checkins (KoersStore  *self,
                 const char  *plan_id,
                 const char  *departed_on,
                 GError     **error)
{
  g_autoptr (GPtrArray) checkins = koers_store_list (self, KOERS_ENTITY_CHECKIN, plan_id, error);

  if (checkins == NULL)
    return FALSE;
  for (guint i = 0; i < checkins->len; i++)
    {
      KoersCheckin *checkin = checkins->pdata[i];

      if (checkin->held_on != NULL)
        continue;
      g_free (checkin->due_on);
      checkin->due_on = koers_date_add_months (departed_on, checkin->month);
      if (!koers_store_update_checkin (self, checkin, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
record_departure (KoersStore  *self,
                  const char  *plan_id,
                  const char  *departed_on,
                  GError     **error)
{
  g_autoptr (KoersReturnPlan) plan = koers_store_get_return_plan (self, plan_id, error);

  if (plan == NULL)
    return FALSE;
  g_free (plan->departed_on);
  plan->departed_on = g_strdup (departed_on);
  if (plan->status < KOERS_PLAN_DEPARTED)
    {
      plan->status = KOERS_PLAN_DEPARTED;
      g_clear_pointer (&plan->status_reason, g_free);
    }
  return koers_store_update_return_plan (self, plan, error) &&
         redate_checkins (self, plan_id, departed_on, error) &&
         koers_store_schedule_checkins (self, plan_id, NULL, 0, error);
}

gboolean
koers_store_record_departure (KoersStore  *self,
                              const char  *plan_id,
                              const char  *departed_on,
                              GError     **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (plan_id != NULL, FALSE);

  if (departed_on == NULL)
    return INVALID (error, _("Fill in the date of departure first."));
  if (!koers_store_begin (self, error))
    return FALSE;
  return finish (self, record_departure (self, plan_id, departed_on, error), error);
}

/* By date, undated last; then in the order they were made. */
static int
compare_steps (gconstpointer a,
               gconstpointer b)
{
  const KoersReturnStep *sa = *(KoersReturnStep *const *) a;
  const KoersReturnStep *sb = *(KoersReturnStep *const *) b;

  if ((sa->due_on == NULL) != (sb->due_on == NULL))
    return sa->due_on == NULL ? 1 : -1;
  if (sa->due_on != NULL && strcmp (sa->due_on, sb->due_on) != 0)
    return strcmp (sa->due_on, sb->due_on);
  return strcmp (sa->id, sb->id);
}

GPtrArray *
koers_store_list_plan_steps (KoersStore  *self,
                             const char  *plan_id,
                             GError     **error)
{
  GPtrArray *steps;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (plan_id != NULL, NULL);

  steps = koers_store_list (self, KOERS_ENTITY_RETURN_STEP, plan_id, error);
  if (steps != NULL)
    g_ptr_array_sort (steps, compare_steps);
  return steps;
}

gboolean
koers_store_set_step_done (KoersStore  *self,
                           KoersEntity  kind,
                           const char  *step_id,
                           gboolean     done,
                           GError     **error)
{
  gpointer step;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (kind == KOERS_ENTITY_NEXT_STEP || kind == KOERS_ENTITY_RETURN_STEP, FALSE);

  if ((step = koers_store_get (self, kind, step_id, error)) == NULL)
    return FALSE;
  if (kind == KOERS_ENTITY_NEXT_STEP)
    ((KoersNextStep *) step)->done = done;
  else
    ((KoersReturnStep *) step)->done = done;
  ok = koers_store_update (self, kind, step, error);
  koers_record_free (kind, step);
  return ok;
}

char *
koers_store_suggest_return_country (KoersStore *self,
                                    const char *client_id)
{
  g_autoptr (KoersClient) client = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  if ((client = koers_store_get_client (self, client_id, NULL)) == NULL)
    return NULL;
  return g_strdup (client->country_of_origin ? client->country_of_origin : client->nationality);
}

/* Monitoring ------------------------------------------------------------------------------ */

static gboolean
is_answer (KoersAnswer answer)
{
  return answer == KOERS_ANSWER_YES || answer == KOERS_ANSWER_NO ||
         answer == KOERS_ANSWER_NOT_KNOWN;
}

static gboolean
record_checkin (KoersStore   *self,
                KoersCheckin *checkin,
                GError      **error)
{
  g_autoptr (KoersReturnPlan) plan = koers_store_get_return_plan (self, checkin->plan_id, error);

  if (plan == NULL || !koers_store_update_checkin (self, checkin, error))
    return FALSE;
  if (plan->status != KOERS_PLAN_DEPARTED)
    return TRUE;
  plan->status = KOERS_PLAN_MONITORING;
  return koers_store_update_return_plan (self, plan, error);
}

gboolean
koers_store_record_checkin (KoersStore   *self,
                            const char   *checkin_id,
                            const char   *held_on,
                            KoersAnswer   social_contacts,
                            KoersAnswer   economic_activity,
                            const char   *notes,
                            GError      **error)
{
  g_autoptr (KoersCheckin) checkin = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (checkin_id != NULL, FALSE);

  if (!is_answer (social_contacts))
    return INVALID (error, _("Record whether the client has social contacts: yes, no or not known."));
  if (!is_answer (economic_activity))
    return INVALID (error, _("Record whether the client has an income or work: yes, no or not "
                             "known."));
  if ((checkin = koers_store_get_checkin (self, checkin_id, error)) == NULL)
    return FALSE;
  g_free (checkin->held_on);
  checkin->held_on = held_on ? g_strdup (held_on) : koers_store_today (self);
  checkin->social_contacts = social_contacts;
  checkin->economic_activity = economic_activity;
  if (notes != NULL)
    {
      g_free (checkin->notes);
      checkin->notes = g_strdup (notes);
    }
  if (!koers_store_begin (self, error))
    return FALSE;
  return finish (self, record_checkin (self, checkin, error), error);
}

gboolean
koers_store_plan_indicators (KoersStore    *self,
                             const char    *plan_id,
                             KoersCheckin **latest,
                             KoersCheckin **at_twelve_months,
                             GError       **error)
{
  g_autoptr (GPtrArray) checkins = NULL;
  KoersCheckin *last = NULL, *twelve = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (latest != NULL && at_twelve_months != NULL, FALSE);

  *latest = *at_twelve_months = NULL;
  if ((checkins = koers_store_list (self, KOERS_ENTITY_CHECKIN, plan_id, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < checkins->len; i++)
    {
      KoersCheckin *c = checkins->pdata[i];

      if (c->held_on == NULL)
        continue;
      if (last == NULL || strcmp (c->held_on, last->held_on) > 0 ||
          (strcmp (c->held_on, last->held_on) == 0 && c->month > last->month))
        last = c;
      if (c->month == 12)
        twelve = c;
    }
  *latest = last ? koers_checkin_copy (last) : NULL;
  *at_twelve_months = twelve ? koers_checkin_copy (twelve) : NULL;
  return TRUE;
}

/* Consent ----------------------------------------------------------------------------------- */

GHashTable *
koers_store_clients_with_consent (KoersStore        *self,
                                  KoersConsentKind   kind,
                                  GError           **error)
{
  static const char *const kinds[] = { "store_file", "share_partner", "pseudonymous_reporting" };
  GHashTable *clients;
  sqlite3_stmt *stmt;
  char **ids;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (kind < G_N_ELEMENTS (kinds), NULL);

  /* The latest record of the kind per client, as koers_store_has_consent()
   * reads it for one. */
  stmt = koers_store_prepare (self,
    "SELECT client_id FROM (SELECT client_id, granted, row_number () OVER"
    " (PARTITION BY client_id ORDER BY recorded_on DESC, id DESC) AS n"
    " FROM consent WHERE kind = ?1) WHERE n = 1 AND granted", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, kinds[kind], -1, SQLITE_STATIC);
  if ((ids = koers_store_collect_ids (self, stmt, error)) == NULL)
    return NULL;
  clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (clients, ids[i]);
  g_free (ids);   /* the strings are the set's now */
  return clients;
}

/* Duplicate check at intake ---------------------------------------------------------------- */

void
koers_possible_duplicate_free (KoersPossibleDuplicate *dup)
{
  if (dup == NULL)
    return;
  g_free (dup->client_id);
  g_free (dup->name);
  g_free (dup->country_of_origin);
  g_free (dup);
}

/* Adds @weight points to each client the search finds for @typed. */
static gboolean
count_hits (KoersStore  *self,
            const char  *typed,
            int          weight,
            GHashTable  *points,
            GError     **error)
{
  g_autoptr (GPtrArray) hits = koers_store_search (self, typed, KOERS_SEARCH_NAMES, 500, error);

  if (hits == NULL)
    return FALSE;
  for (guint i = 0; i < hits->len; i++)
    {
      const char *id = ((KoersSearchHit *) hits->pdata[i])->client_id;
      g_hash_table_insert (points, g_strdup (id),
                           GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (points, id)) + weight));
    }
  return TRUE;
}

#define DUPLICATE_NAME_BYTES 400   /* as a client's name */
#define DUPLICATE_WORDS      8     /* words searched one by one */

/* A point for each word of the name found (as a whole word, not a
 * prefix), and three for the whole name. */
static GHashTable *
name_points (KoersStore  *self,
             const char  *name,
             GError     **error)
{
  g_autoptr (GHashTable) points = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) words = g_strsplit_set (name, " \t-", -1);
  g_autofree char *whole = g_strconcat (name, " ", NULL);

  for (guint i = 0; words[i] != NULL && i < DUPLICATE_WORDS; i++)
    {
      g_autofree char *word = g_strconcat (words[i], " ", NULL);
      if (*words[i] != '\0' && !count_hits (self, word, 1, points, error))
        return NULL;
    }
  if (!count_hits (self, whole, 3, points, error))
    return NULL;
  return g_steal_pointer (&points);
}

typedef struct
{
  const char *client_id;
  int         points;       /* from the name */
  int         score;        /* with the year of birth; < 0: left out */
} Candidate;

static int
compare_points (gconstpointer a,
                gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->points != cb->points)
    return cb->points - ca->points;
  return strcmp (ca->client_id, cb->client_id);
}

static int
compare_scores (gconstpointer a,
                gconstpointer b)
{
  const Candidate *ca = a, *cb = b;

  if (ca->score != cb->score)
    return cb->score - ca->score;
  return strcmp (ca->client_id, cb->client_id);
}

/* A point from the name is worth more than the year of birth can add (at
 * most 3), so the name's points order the candidates first. */
static int
score_of (int points,
          int their_year,
          int typed_year)
{
  if (typed_year == 0 || their_year == 0)
    return points * 4;
  if (ABS (their_year - typed_year) > 1)
    return -1;                 /* someone else with the same name */
  return points * 4 + (their_year == typed_year ? 3 : 1);
}

static int
birth_year_of (KoersStore *self,
               const char *client_id)
{
  return (int) count_rows (self, "SELECT ifnull (max (birth_year), 0) FROM client WHERE id = ?1",
                           client_id);
}

/* Scores the candidates (sorted by points) group by group of equal
 * points, reading only their year of birth, until @limit are kept: a
 * later group cannot outrank them. Returns how many were scored. */
static guint
score_candidates (KoersStore *self,
                  GArray     *candidates,
                  int         birth_year,
                  guint       limit)
{
  guint kept = 0, i = 0;

  while (i < candidates->len && (limit == 0 || kept < limit))
    {
      int points = g_array_index (candidates, Candidate, i).points;

      for (; i < candidates->len && g_array_index (candidates, Candidate, i).points == points; i++)
        {
          Candidate *c = &g_array_index (candidates, Candidate, i);
          int year = birth_year != 0 ? birth_year_of (self, c->client_id) : 0;

          c->score = score_of (c->points, year, birth_year);
          kept += c->score >= 0;
        }
    }
  return i;
}

static KoersPossibleDuplicate *
possible_duplicate (KoersStore       *self,
                    const Candidate  *candidate,
                    GError          **error)
{
  g_autoptr (KoersClient) client = koers_store_get_client (self, candidate->client_id, error);
  KoersPossibleDuplicate *dup;

  if (client == NULL)
    return NULL;
  dup = g_new0 (KoersPossibleDuplicate, 1);
  dup->client_id = g_steal_pointer (&client->id);
  dup->name = g_steal_pointer (&client->name);
  dup->birth_year = client->birth_year;
  dup->country_of_origin = g_steal_pointer (&client->country_of_origin);
  dup->phase = client->phase;
  dup->score = candidate->score;
  return dup;
}

GPtrArray *
koers_store_find_possible_duplicates (KoersStore  *self,
                                      const char  *name,
                                      int          birth_year,
                                      guint        limit,
                                      GError     **error)
{
  g_autoptr (GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_possible_duplicate_free);
  g_autoptr (GArray) candidates = g_array_new (FALSE, FALSE, sizeof (Candidate));
  g_autoptr (GHashTable) points = NULL;
  GHashTableIter iter;
  gpointer id, n;
  guint scored;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  if (name != NULL && strlen (name) > DUPLICATE_NAME_BYTES)
    {
      g_autofree char *size = g_format_size (DUPLICATE_NAME_BYTES);
      g_set_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID,
                   _("The %s is too long: at most %s can be saved."), _("name"), size);
      return NULL;
    }
  if (name == NULL || (points = name_points (self, name, error)) == NULL)
    return name == NULL ? g_steal_pointer (&found) : NULL;
  g_hash_table_iter_init (&iter, points);
  while (g_hash_table_iter_next (&iter, &id, &n))
    g_array_append_val (candidates, ((Candidate) { id, GPOINTER_TO_INT (n), 0 }));
  g_array_sort (candidates, compare_points);
  scored = score_candidates (self, candidates, birth_year, limit);
  g_array_set_size (candidates, scored);
  g_array_sort (candidates, compare_scores);
  for (guint i = 0; i < candidates->len && (limit == 0 || found->len < limit); i++)
    {
      const Candidate *c = &g_array_index (candidates, Candidate, i);
      KoersPossibleDuplicate *dup;

      if (c->score < 0)
        break;
      if ((dup = possible_duplicate (self, c, error)) == NULL)
        return NULL;
      g_ptr_array_add (found, dup);
    }
  return g_steal_pointer (&found);
}

/* Today ------------------------------------------------------------------------------------ */

GPtrArray *
koers_store_list_today (KoersStore         *self,
                        KoersTodaySection   section,
                        GError            **error)
{
  g_autofree char *today = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  today = koers_store_today (self);
  switch (section)
    {
    case KOERS_TODAY_OVERDUE:
      from = g_strdup ("0000-01-01");
      to = koers_date_add_days (today, -1);
      break;
    case KOERS_TODAY_TODAY:
      from = g_strdup (today);
      to = g_strdup (today);
      break;
    case KOERS_TODAY_THIS_WEEK:
    default:
      from = koers_date_add_days (today, 1);
      to = koers_date_add_days (today, 6);
      break;
    }
  return koers_store_list_due (self, from, to, error);
}
