/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A consultation hour underneath (issue 9), on a real vault: people and
 * roles, organisations, referrals with a status, the return plan's status
 * and steps, monitoring indicators, consent by scope, the duplicate check
 * at intake and Today's three sections. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include "koers-date.h"
#include "koers-store-private.h"
#include "store-fixture.h"

#define OK(call)                    \
  G_STMT_START {                    \
    gboolean ok_;                   \
    g_clear_error (&error);         \
    ok_ = (call);                   \
    g_assert_no_error (error);      \
    g_assert_true (ok_);            \
  } G_STMT_END

#define REFUSED(call, code)                                  \
  G_STMT_START {                                             \
    g_clear_error (&error);                                  \
    g_assert_false (call);                                   \
    g_assert_error (error, KOERS_STORE_ERROR, code);         \
    g_assert_null (strstr (error->message, "Marieke"));      \
    g_assert_null (strstr (error->message, "Zonder"));       \
    g_clear_error (&error);                                  \
  } G_STMT_END

static KoersWorker *
person (const char *name,
        KoersRole   role,
        const char *steunpunt_id)
{
  KoersWorker *w = koers_worker_new ();

  w->name = g_strdup (name);
  w->role = role;
  w->steunpunt_id = g_strdup (steunpunt_id);
  return w;
}

static KoersWorker *
stored_worker (StoreFixture *f,
               const char   *id)
{
  g_autoptr (GError) error = NULL;
  KoersWorker *w = koers_store_get_worker (f->store, id, &error);

  g_assert_no_error (error);
  return w;
}

/* 1. People and roles -------------------------------------------------------------------- */

static void
test_people (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersWorker) first = person ("Marieke Jansen", KOERS_ROLE_VOLUNTEER, NULL);
  g_autoptr (KoersWorker) counsellor = person ("Youssef Amrani", KOERS_ROLE_COUNSELLOR, NULL);
  g_autoptr (KoersWorker) volunteer = person ("Anna de Vries", KOERS_ROLE_VOLUNTEER, NULL);
  g_autoptr (KoersWorker) stranger = person ("Zonder Steunpunt", KOERS_ROLE_VOLUNTEER, NULL);
  g_autoptr (KoersWorker) again = NULL;
  g_autoptr (KoersSteunpunt) steunpunt = koers_steunpunt_new ();
  g_autoptr (GPtrArray) counsellors = NULL;

  /* the first person in a vault is its coordinator, whatever was asked */
  OK (koers_store_save_person (f->store, first, &error));
  again = stored_worker (f, first->id);
  g_assert_cmpint (again->role, ==, KOERS_ROLE_COORDINATOR);
  g_assert_true (again->active);
  g_assert_true (koers_store_is_coordinator (f->store, first->id));

  /* from then on only a coordinator adds people */
  REFUSED (koers_store_save_person (f->store, counsellor, &error), KOERS_STORE_ERROR_NOT_ALLOWED);
  koers_store_set_current_worker (f->store, first->id);
  OK (koers_store_save_person (f->store, counsellor, &error));
  OK (koers_store_save_person (f->store, volunteer, &error));
  g_assert_cmpint (store_fixture_count (f, "SELECT count (*) FROM worker"), ==, 3);
  koers_store_set_current_worker (f->store, volunteer->id);
  volunteer->role = KOERS_ROLE_COORDINATOR;
  REFUSED (koers_store_save_person (f->store, volunteer, &error), KOERS_STORE_ERROR_NOT_ALLOWED);
  g_clear_pointer (&again, koers_worker_free);
  again = stored_worker (f, volunteer->id);
  g_assert_cmpint (again->role, ==, KOERS_ROLE_VOLUNTEER);
  koers_store_set_current_worker (f->store, first->id);
  volunteer->role = KOERS_ROLE_VOLUNTEER;

  /* once the vault has a steunpunt, a person works at one */
  steunpunt->name = g_strdup ("Steunpunt Utrecht");
  OK (koers_store_add_steunpunt (f->store, steunpunt, &error));
  REFUSED (koers_store_save_person (f->store, stranger, &error), KOERS_STORE_ERROR_INVALID);
  g_assert_null (stranger->id);
  stranger->steunpunt_id = g_strdup (steunpunt->id);
  OK (koers_store_save_person (f->store, stranger, &error));
  /* a role Koers does not know */
  stranger->role = 9;
  REFUSED (koers_store_save_person (f->store, stranger, &error), KOERS_STORE_ERROR_INVALID);
  stranger->role = KOERS_ROLE_VOLUNTEER;

  /* the last active coordinator cannot be demoted, deactivated or removed,
   * by this call or any other write */
  first->role = KOERS_ROLE_VOLUNTEER;
  first->steunpunt_id = g_strdup (steunpunt->id);
  REFUSED (koers_store_save_person (f->store, first, &error), KOERS_STORE_ERROR_INVALID);
  first->role = KOERS_ROLE_COORDINATOR;
  first->active = FALSE;
  REFUSED (koers_store_update_worker (f->store, first, &error), KOERS_STORE_ERROR_INVALID);
  REFUSED (koers_store_delete_worker (f->store, first->id, &error), KOERS_STORE_ERROR_INVALID);
  g_assert_true (koers_store_is_coordinator (f->store, first->id));
  /* with a second coordinator, the first may step down */
  counsellor->role = KOERS_ROLE_COORDINATOR;
  counsellor->steunpunt_id = g_strdup (steunpunt->id);
  OK (koers_store_save_person (f->store, counsellor, &error));
  first->role = KOERS_ROLE_VOLUNTEER;
  first->active = TRUE;
  OK (koers_store_save_person (f->store, first, &error));
  g_assert_false (koers_store_is_coordinator (f->store, first->id));

  /* the counsellors for a referral: active ones, by name */
  counsellor->role = KOERS_ROLE_COUNSELLOR;
  koers_store_set_current_worker (f->store, counsellor->id);
  REFUSED (koers_store_save_person (f->store, counsellor, &error), KOERS_STORE_ERROR_INVALID);
  {
    g_autoptr (KoersWorker) second = person ("Bram Counsellor", KOERS_ROLE_COUNSELLOR,
                                             steunpunt->id);
    g_autoptr (KoersWorker) gone = person ("Aart Vertrokken", KOERS_ROLE_COUNSELLOR,
                                           steunpunt->id);
    gone->active = FALSE;
    OK (koers_store_save_person (f->store, second, &error));
    OK (koers_store_save_person (f->store, gone, &error));
  }
  counsellors = koers_store_list_people (f->store, KOERS_ROLE_COUNSELLOR, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counsellors->len, ==, 1);
  g_assert_cmpstr (((KoersWorker *) counsellors->pdata[0])->name, ==, "Bram Counsellor");
  g_clear_pointer (&counsellors, g_ptr_array_unref);
  counsellors = koers_store_list_people (f->store, KOERS_ROLE_COUNSELLOR, FALSE, &error);
  g_assert_cmpuint (counsellors->len, ==, 2);
  g_assert_cmpstr (((KoersWorker *) counsellors->pdata[0])->name, ==, "Aart Vertrokken");
}

/* 2. Organisations -------------------------------------------------------------------------- */

static void
add_org (StoreFixture *f, const char *name, KoersOrgKind kind)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersReferralOrg) org = koers_referral_org_new ();

  org->name = g_strdup (name);
  org->kind = kind;
  OK (koers_store_add_referral_org (f->store, org, &error));
}

static char *
add_partner (StoreFixture *f, const char *name, const char *country)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersPartnerOrg) partner = koers_partner_org_new ();

  partner->name = g_strdup (name);
  partner->country = g_strdup (country);
  OK (koers_store_add_partner_org (f->store, partner, &error));
  return g_strdup (partner->id);
}

static void
test_organisations (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) orgs = koers_store_list_referral_orgs (f->store, -1, &error);
  g_autoptr (GPtrArray) partners = koers_store_list_partners (f->store, NULL, &error);
  g_autoptr (KoersReferralOrg) odd = koers_referral_org_new ();
  g_autofree char *zeta = NULL;
  g_autofree char *alfa = NULL;
  g_autofree char *addis = NULL;

  /* a fresh vault invents no names */
  g_assert_no_error (error);
  g_assert_cmpuint (orgs->len, ==, 0);
  g_assert_cmpuint (partners->len, ==, 0);
  g_clear_pointer (&orgs, g_ptr_array_unref);
  g_clear_pointer (&partners, g_ptr_array_unref);

  add_org (f, "Maatwerk bij Terugkeer", KOERS_ORG_KIND_RETURN);
  add_org (f, "Het Juridisch Loket", KOERS_ORG_KIND_LEGAL_AID);
  add_org (f, "Advocatenkantoor Noord", KOERS_ORG_KIND_LEGAL_AID);
  add_org (f, "GGZ Centraal", KOERS_ORG_KIND_MENTAL_HEALTH);
  add_org (f, "Nachtopvang De Haven", KOERS_ORG_KIND_SHELTER);
  add_org (f, "Dokters van de Wereld", KOERS_ORG_KIND_MEDICAL);
  odd->name = g_strdup ("Onbekend");
  odd->kind = 6;
  REFUSED (koers_store_add_referral_org (f->store, odd, &error), KOERS_STORE_ERROR_INVALID);

  orgs = koers_store_list_referral_orgs (f->store, KOERS_ORG_KIND_LEGAL_AID, &error);
  g_assert_cmpuint (orgs->len, ==, 2);
  g_assert_cmpstr (((KoersReferralOrg *) orgs->pdata[0])->name, ==, "Advocatenkantoor Noord");
  g_assert_cmpstr (((KoersReferralOrg *) orgs->pdata[1])->name, ==, "Het Juridisch Loket");
  g_clear_pointer (&orgs, g_ptr_array_unref);
  orgs = koers_store_list_referral_orgs (f->store, -1, &error);
  g_assert_cmpuint (orgs->len, ==, 6);

  zeta = add_partner (f, "Zeta Reintegration", "ER");
  alfa = add_partner (f, "Alfa Support", "er");
  addis = add_partner (f, "Addis Partner", "ET");
  partners = koers_store_list_partners (f->store, "er", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (partners->len, ==, 2);
  g_assert_cmpstr (((KoersPartnerOrg *) partners->pdata[0])->id, ==, alfa);
  g_assert_cmpstr (((KoersPartnerOrg *) partners->pdata[1])->id, ==, zeta);
  g_clear_pointer (&partners, g_ptr_array_unref);
  partners = koers_store_list_partners (f->store, "IQ", &error);
  g_assert_cmpuint (partners->len, ==, 0);
  g_clear_pointer (&partners, g_ptr_array_unref);
  partners = koers_store_list_partners (f->store, NULL, &error);
  g_assert_cmpuint (partners->len, ==, 3);
}

/* 3. Referrals -------------------------------------------------------------------------------- */

static KoersReferral *
first_referral (StoreFixture *f, const char *client_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) referrals = koers_store_list (f->store, KOERS_ENTITY_REFERRAL, client_id,
                                                      &error);

  g_assert_no_error (error);
  g_assert_cmpuint (referrals->len, >=, 1);
  return koers_referral_copy (referrals->pdata[0]);
}

static guint
count_due (StoreFixture *f, KoersEntity kind)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = koers_store_list_due (f->store, "0000-01-01", "2999-12-31", &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    n += ((KoersDueItem *) items->pdata[i])->kind == kind;
  return n;
}

static gboolean
strv_has (char **strv, const char *id)
{
  return strv != NULL && g_strv_contains ((const char *const *) strv, id);
}

static void
test_referrals (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *client = store_fixture_add_full_file (f, "Dawit Mehari", "Notities", NULL);
  g_autofree char *signal_client = store_fixture_add_client (f, "Salam Tesfay", TRUE);
  g_autofree char *conv_id = store_fixture_add_conversation (f, signal_client, "Slaapt slecht");
  g_autofree char *calm_conv = store_fixture_add_conversation (f, client, "Rustig");
  g_autofree char *referral_id = NULL;
  g_autoptr (KoersReferral) referral = first_referral (f, client);
  g_autoptr (KoersReferral) stored = NULL;
  g_autoptr (KoersConversation) conv = NULL;
  g_auto (GStrv) unreferred = NULL;

  /* a new referral is dated by its referral date, and open: on Today */
  g_assert_cmpint (referral->status, ==, KOERS_REFERRAL_PROPOSED);
  g_assert_cmpstr (referral->status_on, ==, "2025-06-03");
  g_assert_true (koers_referral_is_open (referral->status));
  g_assert_cmpuint (count_due (f, KOERS_ENTITY_REFERRAL), ==, 1);

  /* a change of status is dated today unless a date is given */
  OK (koers_store_set_referral_status (f->store, referral->id, KOERS_REFERRAL_ACCEPTED, NULL,
                                       &error));
  stored = first_referral (f, client);
  g_assert_cmpint (stored->status, ==, KOERS_REFERRAL_ACCEPTED);
  g_assert_cmpstr (stored->status_on, ==, "2025-06-15");
  g_clear_pointer (&stored, koers_referral_free);
  OK (koers_store_set_referral_status (f->store, referral->id, KOERS_REFERRAL_MADE, "2025-06-05",
                                       &error));
  stored = first_referral (f, client);
  g_assert_cmpstr (stored->status_on, ==, "2025-06-05");
  g_assert_cmpuint (count_due (f, KOERS_ENTITY_REFERRAL), ==, 1);
  REFUSED (koers_store_set_referral_status (f->store, referral->id, KOERS_REFERRAL_DONE,
                                            "2025-06-01", &error), KOERS_STORE_ERROR_INVALID);
  REFUSED (koers_store_set_referral_status (f->store, referral->id, KOERS_REFERRAL_DONE,
                                            "2031-06-01", &error), KOERS_STORE_ERROR_INVALID);
  REFUSED (koers_store_set_referral_status (f->store, referral->id, 7, NULL, &error),
           KOERS_STORE_ERROR_INVALID);
  /* done and declined referrals leave Today */
  OK (koers_store_set_referral_status (f->store, referral->id, KOERS_REFERRAL_DONE, NULL, &error));
  g_assert_cmpuint (count_due (f, KOERS_ENTITY_REFERRAL), ==, 0);
  OK (koers_store_set_referral_status (f->store, referral->id, KOERS_REFERRAL_DECLINED, NULL, &error));
  g_assert_cmpuint (count_due (f, KOERS_ENTITY_REFERRAL), ==, 0);

  /* a psychosocial signal leads to a referral in one step */
  conv = koers_store_get_conversation (f->store, conv_id, &error);
  conv->psychosocial_signal = TRUE;
  OK (koers_store_update_conversation (f->store, conv, &error));
  unreferred = koers_store_list_unreferred_signals (f->store, &error);
  g_assert_true (strv_has (unreferred, signal_client));
  g_clear_pointer (&unreferred, g_strfreev);
  g_clear_error (&error);
  g_assert_null (koers_store_refer_signal (f->store, calm_conv, f->counsellor_id, NULL, NULL,
                                           &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (koers_store_refer_signal (f->store, conv_id, f->volunteer_id, NULL, NULL,
                                           &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID);
  g_clear_error (&error);
  referral_id = koers_store_refer_signal (f->store, conv_id, f->counsellor_id, NULL,
                                          "Slaapt slecht", &error);
  g_assert_no_error (error);
  g_assert_nonnull (referral_id);
  g_clear_pointer (&stored, koers_referral_free);
  stored = koers_store_get_referral (f->store, referral_id, &error);
  g_assert_cmpstr (stored->client_id, ==, signal_client);
  g_assert_cmpint (stored->status, ==, KOERS_REFERRAL_MADE);
  g_assert_cmpstr (stored->referred_on, ==, "2025-06-15");
  unreferred = koers_store_list_unreferred_signals (f->store, &error);
  g_assert_false (strv_has (unreferred, signal_client));
  g_clear_pointer (&unreferred, g_strfreev);
  /* a declined referral leaves the signal without help: it shows again */
  OK (koers_store_set_referral_status (f->store, referral_id, KOERS_REFERRAL_DECLINED, NULL, &error));
  unreferred = koers_store_list_unreferred_signals (f->store, &error);
  g_assert_true (strv_has (unreferred, signal_client));
}

/* 4. The return plan ------------------------------------------------------------------------- */

static KoersReturnPlan *
plan_of (StoreFixture *f, const char *client_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) plans = koers_store_list (f->store, KOERS_ENTITY_RETURN_PLAN, client_id,
                                                  &error);

  g_assert_no_error (error);
  g_assert_cmpuint (plans->len, ==, 1);
  return koers_return_plan_copy (plans->pdata[0]);
}

static void
add_step (StoreFixture *f, const char *plan_id, const char *text, const char *due_on)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersReturnStep) step = koers_return_step_new ();

  step->plan_id = g_strdup (plan_id);
  step->description = g_strdup (text);
  step->due_on = g_strdup (due_on);
  OK (koers_store_add_return_step (f->store, step, &error));
}

static void
test_plan_status (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *client = store_fixture_add_full_file (f, "Dawit Mehari", "Notities", NULL);
  g_autoptr (KoersReturnPlan) plan = plan_of (f, client);
  g_autoptr (KoersReturnPlan) stored = NULL;
  g_autoptr (GPtrArray) checkins = NULL;

  g_assert_cmpint (plan->status, ==, KOERS_PLAN_AGREED);
  /* departed needs the date of departure */
  REFUSED (koers_store_set_plan_status (f->store, plan->id, KOERS_PLAN_DEPARTED, NULL, &error),
           KOERS_STORE_ERROR_INVALID);
  /* the departure starts the schedule from the real date */
  REFUSED (koers_store_record_departure (f->store, plan->id, "2031-01-01", &error),
           KOERS_STORE_ERROR_INVALID);
  OK (koers_store_record_departure (f->store, plan->id, "2025-06-10", &error));
  stored = plan_of (f, client);
  g_assert_cmpint (stored->status, ==, KOERS_PLAN_DEPARTED);
  g_assert_cmpstr (stored->departed_on, ==, "2025-06-10");
  checkins = koers_store_list (f->store, KOERS_ENTITY_CHECKIN, plan->id, &error);
  g_assert_cmpuint (checkins->len, ==, 4);
  for (guint i = 0; i < checkins->len; i++)
    {
      KoersCheckin *c = checkins->pdata[i];
      g_autofree char *due = koers_date_add_months ("2025-06-10", c->month);
      g_assert_cmpstr (c->due_on, ==, due);
    }

  /* back one step only, and only with a reason */
  REFUSED (koers_store_set_plan_status (f->store, plan->id, KOERS_PLAN_AGREED, NULL, &error),
           KOERS_STORE_ERROR_INVALID);
  REFUSED (koers_store_set_plan_status (f->store, plan->id, KOERS_PLAN_DRAFT, "Toch niet", &error),
           KOERS_STORE_ERROR_INVALID);
  OK (koers_store_set_plan_status (f->store, plan->id, KOERS_PLAN_AGREED,
                                   "Vlucht verzet: paspoort niet op tijd", &error));
  g_clear_pointer (&stored, koers_return_plan_free);
  stored = plan_of (f, client);
  g_assert_cmpint (stored->status, ==, KOERS_PLAN_AGREED);
  g_assert_cmpstr (stored->status_reason, ==, "Vlucht verzet: paspoort niet op tijd");
  /* the same reason again does not take it back another step */
  stored->status = KOERS_PLAN_DRAFT;
  REFUSED (koers_store_update_return_plan (f->store, stored, &error), KOERS_STORE_ERROR_INVALID);
  /* forward any number of steps */
  OK (koers_store_set_plan_status (f->store, plan->id, KOERS_PLAN_CLOSED, NULL, &error));
  g_clear_pointer (&stored, koers_return_plan_free);
  stored = plan_of (f, client);
  g_assert_cmpint (stored->status, ==, KOERS_PLAN_CLOSED);
  g_assert_null (stored->status_reason);
  OK (koers_store_set_plan_status (f->store, plan->id, KOERS_PLAN_MONITORING, "Opnieuw contact",
                                   &error));
}

static void
test_plan_steps (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *client = store_fixture_add_full_file (f, "Dawit Mehari", "Notities", NULL);
  g_autofree char *bare = store_fixture_add_client (f, "Zonder land", TRUE);
  g_autoptr (KoersReturnPlan) plan = plan_of (f, client);
  g_autoptr (GPtrArray) steps = NULL;
  g_autoptr (KoersReturnStep) step = NULL;
  g_autoptr (KoersClient) c = NULL;
  g_autofree char *suggested = NULL;
  static const char *const order[] = { "Vroeg", "Laissez-passer aanvragen", "Laat", "Ooit", "Ergens" };
  static const KoersSupportKind kinds[] = { KOERS_SUPPORT_DOCUMENTS, KOERS_SUPPORT_MONEY,
                                            KOERS_SUPPORT_FAMILY_TRACING, KOERS_SUPPORT_BUSINESS };

  add_step (f, plan->id, "Laat", "2025-07-05");
  add_step (f, plan->id, "Ooit", NULL);
  add_step (f, plan->id, "Vroeg", "2025-06-01");
  add_step (f, plan->id, "Ergens", NULL);
  steps = koers_store_list_plan_steps (f->store, plan->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (steps->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < steps->len; i++)
    g_assert_cmpstr (((KoersReturnStep *) steps->pdata[i])->description, ==, order[i]);

  /* done and undone; a done step leaves Today */
  g_assert_cmpuint (count_due (f, KOERS_ENTITY_RETURN_STEP), ==, 3);
  OK (koers_store_set_step_done (f->store, KOERS_ENTITY_RETURN_STEP,
                                 ((KoersReturnStep *) steps->pdata[0])->id, TRUE, &error));
  step = koers_store_get_return_step (f->store, ((KoersReturnStep *) steps->pdata[0])->id, &error);
  g_assert_true (step->done);
  g_assert_cmpuint (count_due (f, KOERS_ENTITY_RETURN_STEP), ==, 2);
  OK (koers_store_set_step_done (f->store, KOERS_ENTITY_RETURN_STEP, step->id, FALSE, &error));
  g_assert_cmpuint (count_due (f, KOERS_ENTITY_RETURN_STEP), ==, 3);
  REFUSED (koers_store_set_step_done (f->store, KOERS_ENTITY_RETURN_STEP,
                                      "01900000-0000-7000-8000-000000000000", TRUE, &error),
           KOERS_STORE_ERROR_NOT_FOUND);

  /* the support Maatwerk bij Terugkeer gives */
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr (KoersSupportItem) item = koers_support_item_new ();
      g_autoptr (KoersSupportItem) back = NULL;

      item->plan_id = g_strdup (plan->id);
      item->kind = kinds[i];
      OK (koers_store_add_support_item (f->store, item, &error));
      back = koers_store_get_support_item (f->store, item->id, &error);
      g_assert_cmpint (back->kind, ==, kinds[i]);
    }

  /* the country of return suggested: origin, else nationality */
  suggested = koers_store_suggest_return_country (f->store, client);
  g_assert_cmpstr (suggested, ==, "ER");
  g_clear_pointer (&suggested, g_free);
  suggested = koers_store_suggest_return_country (f->store, bare);
  g_assert_null (suggested);
  c = koers_store_get_client (f->store, bare, &error);
  c->nationality = g_strdup ("IQ");
  OK (koers_store_update_client (f->store, c, &error));
  suggested = koers_store_suggest_return_country (f->store, bare);
  g_assert_cmpstr (suggested, ==, "IQ");
}

/* 5. Monitoring ------------------------------------------------------------------------------- */

static KoersCheckin *
checkin_of_month (StoreFixture *f, const char *plan_id, int month)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) checkins = koers_store_list (f->store, KOERS_ENTITY_CHECKIN, plan_id, &error);

  for (guint i = 0; i < checkins->len; i++)
    if (((KoersCheckin *) checkins->pdata[i])->month == month)
      return koers_checkin_copy (checkins->pdata[i]);
  g_assert_not_reached ();
}

static void
test_monitoring (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *client = store_fixture_add_full_file (f, "Dawit Mehari", "Notities", NULL);
  g_autoptr (KoersReturnPlan) plan = plan_of (f, client);
  g_autoptr (KoersReturnPlan) stored = NULL;
  g_autoptr (KoersCheckin) first = NULL;
  g_autoptr (KoersCheckin) twelve = NULL;
  g_autoptr (KoersCheckin) latest = NULL;
  g_autoptr (KoersCheckin) at_twelve = NULL;

  OK (koers_store_record_departure (f->store, plan->id, "2025-05-01", &error));
  first = checkin_of_month (f, plan->id, 1);
  OK (koers_store_plan_indicators (f->store, plan->id, &latest, &at_twelve, &error));
  g_assert_null (latest);
  g_assert_null (at_twelve);

  /* both indicators explicitly: yes, no or not known */
  REFUSED (koers_store_record_checkin (f->store, first->id, "2025-06-02", KOERS_ANSWER_UNKNOWN,
                                       KOERS_ANSWER_YES, NULL, &error), KOERS_STORE_ERROR_INVALID);
  REFUSED (koers_store_record_checkin (f->store, first->id, "2025-06-02", KOERS_ANSWER_YES, 5,
                                       NULL, &error), KOERS_STORE_ERROR_INVALID);
  REFUSED (koers_store_record_checkin (f->store, first->id, "2025-04-02", KOERS_ANSWER_YES,
                                       KOERS_ANSWER_NO, NULL, &error), KOERS_STORE_ERROR_INVALID);
  OK (koers_store_record_checkin (f->store, first->id, "2025-06-02", KOERS_ANSWER_YES,
                                  KOERS_ANSWER_NOT_KNOWN, "Woont bij zijn broer", &error));
  /* the first check-in held: the plan is in monitoring */
  stored = plan_of (f, client);
  g_assert_cmpint (stored->status, ==, KOERS_PLAN_MONITORING);
  OK (koers_store_plan_indicators (f->store, plan->id, &latest, &at_twelve, &error));
  g_assert_cmpstr (latest->id, ==, first->id);
  g_assert_cmpint (latest->social_contacts, ==, KOERS_ANSWER_YES);
  g_assert_cmpint (latest->economic_activity, ==, KOERS_ANSWER_NOT_KNOWN);
  g_assert_cmpstr (latest->notes, ==, "Woont bij zijn broer");
  g_assert_null (at_twelve);
  g_clear_pointer (&latest, koers_checkin_free);

  /* a year later: the 12-month check-in */
  f->now_ms += G_GINT64_CONSTANT (400) * 24 * 3600 * 1000;
  twelve = checkin_of_month (f, plan->id, 12);
  OK (koers_store_record_checkin (f->store, twelve->id, NULL, KOERS_ANSWER_NO, KOERS_ANSWER_YES,
                                  NULL, &error));
  OK (koers_store_plan_indicators (f->store, plan->id, &latest, &at_twelve, &error));
  g_assert_cmpstr (latest->id, ==, twelve->id);
  g_assert_cmpstr (at_twelve->id, ==, twelve->id);
  g_assert_cmpint (at_twelve->social_contacts, ==, KOERS_ANSWER_NO);
  g_assert_cmpint (at_twelve->economic_activity, ==, KOERS_ANSWER_YES);
  g_assert_cmpstr (at_twelve->held_on, ==, "2026-07-20");
}

/* 9. Consent ----------------------------------------------------------------------------------- */

static void
record_consent (StoreFixture *f, const char *client_id, KoersConsentKind kind, gboolean granted,
                const char *on)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersConsent) c = koers_consent_new ();

  c->client_id = g_strdup (client_id);
  c->kind = kind;
  c->granted = granted;
  c->recorded_on = g_strdup (on);
  c->given_how = KOERS_CONSENT_SPOKEN;
  OK (koers_store_add_consent (f->store, c, &error));
}

static void
test_consent (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *granted = store_fixture_add_client (f, "Meldt wel", TRUE);
  g_autofree char *withdrawn = store_fixture_add_client (f, "Trok in", TRUE);
  g_autofree char *never = store_fixture_add_client (f, "Nooit", TRUE);
  g_autoptr (KoersConsent) written = koers_consent_new ();
  g_autoptr (KoersConsent) back = NULL;
  g_autoptr (GHashTable) reporting = NULL;
  g_autoptr (KoersReturnPlan) plan = koers_return_plan_new ();
  g_autofree char *partner = add_partner (f, "Partner Asmara", "ER");
  const char *const clients[] = { granted, withdrawn, never };
  sqlite3_stmt *explain = NULL;

  /* how it was given is kept */
  written->client_id = g_strdup (never);
  written->kind = KOERS_CONSENT_SHARE_PARTNER;
  written->granted = FALSE;
  written->recorded_on = g_strdup ("2025-06-01");
  written->given_how = KOERS_CONSENT_WRITTEN;
  OK (koers_store_add_consent (f->store, written, &error));
  back = koers_store_get_consent (f->store, written->id, &error);
  g_assert_cmpint (back->given_how, ==, KOERS_CONSENT_WRITTEN);

  /* reporting to the office: one query for many clients, as has_consent */
  record_consent (f, granted, KOERS_CONSENT_PSEUDONYMOUS_REPORTING, TRUE, "2025-05-01");
  record_consent (f, withdrawn, KOERS_CONSENT_PSEUDONYMOUS_REPORTING, TRUE, "2025-05-01");
  record_consent (f, withdrawn, KOERS_CONSENT_PSEUDONYMOUS_REPORTING, FALSE, "2025-06-01");
  reporting = koers_store_clients_with_consent (f->store, KOERS_CONSENT_PSEUDONYMOUS_REPORTING,
                                                &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (reporting), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    g_assert_cmpint (g_hash_table_contains (reporting, clients[i]), ==,
                     koers_store_has_consent (f->store, clients[i],
                                              KOERS_CONSENT_PSEUDONYMOUS_REPORTING));
  g_assert_true (g_hash_table_contains (reporting, granted));
  /* the per-client check is one index seek, no sort */
  g_assert_cmpint (sqlite3_prepare_v2 (koers_store_get_db (f->store),
    "EXPLAIN QUERY PLAN SELECT granted FROM consent WHERE client_id = ? AND kind = ?"
    " ORDER BY recorded_on DESC, id DESC LIMIT 1", -1, &explain, NULL), ==, SQLITE_OK);
  while (sqlite3_step (explain) == SQLITE_ROW)
    {
      const char *detail = (const char *) sqlite3_column_text (explain, 3);
      g_assert_null (strstr (detail, "TEMP B-TREE"));
      g_assert_nonnull (strstr (detail, "consent_latest"));
    }
  sqlite3_finalize (explain);

  /* a partner on the plan needs the consent to share with the partner */
  plan->client_id = g_strdup (never);
  plan->country = g_strdup ("ER");
  plan->partner_id = g_strdup (partner);
  REFUSED (koers_store_add_return_plan (f->store, plan, &error), KOERS_STORE_ERROR_NO_CONSENT);
  record_consent (f, never, KOERS_CONSENT_SHARE_PARTNER, TRUE, "2025-06-10");
  g_clear_pointer (&plan->id, g_free);
  OK (koers_store_add_return_plan (f->store, plan, &error));
}

/* 8. Duplicate check at intake ------------------------------------------------------------------ */

static char *
add_known_client (StoreFixture *f, const char *name, int birth_year, const char *country)
{
  g_autoptr (GError) error = NULL;
  char *id = store_fixture_add_client (f, name, TRUE);
  g_autoptr (KoersClient) c = koers_store_get_client (f->store, id, &error);

  c->birth_year = birth_year;
  c->country_of_origin = g_strdup (country);
  OK (koers_store_update_client (f->store, c, &error));
  return id;
}

#define DUP(list, i) ((KoersPossibleDuplicate *) (list)->pdata[i])

static gboolean
dup_has (GPtrArray *list, const char *id)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (DUP (list, i)->client_id, id))
      return TRUE;
  return FALSE;
}

static void
test_duplicates (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *arabic = add_known_client (f, "مُحَمَّد الأحمد", 1988, "SY");
  g_autofree char *older = add_known_client (f, "Mohammed Alahmad", 1960, "SY");
  g_autofree char *namesake = add_known_client (f, "Mohamed Saleh", 1988, "IQ");
  g_autofree char *unknown_year = add_known_client (f, "Fatima Alahmad", 0, NULL);
  g_autofree char *other = add_known_client (f, "Piet de Vries", 1988, "NL");
  g_autoptr (GPtrArray) found = NULL;

  found = koers_store_find_possible_duplicates (f->store, "Mohammed Alahmad", 1988, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >=, 1);
  /* the same person in Arabic script comes first, with what tells people apart */
  g_assert_cmpstr (DUP (found, 0)->client_id, ==, arabic);
  g_assert_cmpstr (DUP (found, 0)->name, ==, "مُحَمَّد الأحمد");
  g_assert_cmpint (DUP (found, 0)->birth_year, ==, 1988);
  g_assert_cmpstr (DUP (found, 0)->country_of_origin, ==, "SY");
  g_assert_cmpint (DUP (found, 0)->phase, ==, KOERS_PHASE_INTAKE);
  /* a namesake born 28 years earlier is someone else; a stranger is not offered */
  g_assert_false (dup_has (found, older));
  g_assert_false (dup_has (found, other));
  g_assert_true (dup_has (found, namesake));
  g_assert_true (dup_has (found, unknown_year));
  for (guint i = 1; i < found->len; i++)
    g_assert_cmpint (DUP (found, i - 1)->score, >=, DUP (found, i)->score);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* without a year of birth the older namesake is offered too; capped */
  found = koers_store_find_possible_duplicates (f->store, "Mohammed Alahmad", 0, 10, &error);
  g_assert_true (dup_has (found, older));
  g_assert_true (dup_has (found, arabic));
  g_clear_pointer (&found, g_ptr_array_unref);
  found = koers_store_find_possible_duplicates (f->store, "Mohammed Alahmad", 0, 1, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* typed the other way round, in Arabic */
  found = koers_store_find_possible_duplicates (f->store, "محمد الاحمد", 1988, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, >=, 1);
  g_assert_cmpstr (DUP (found, 0)->client_id, ==, arabic);
  g_clear_pointer (&found, g_ptr_array_unref);

  /* a paste of 10 MB is refused, not searched word by word */
  {
    g_autofree char *huge = g_strnfill (10 * 1024 * 1024, 'a');
    g_assert_null (koers_store_find_possible_duplicates (f->store, huge, 0, 10, &error));
    g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID);
    g_clear_error (&error);
    huge[300] = '\0';
    memset (huge, ' ', 300);
    for (guint i = 0; i < 300; i += 3)
      huge[i] = 'x';
    found = koers_store_find_possible_duplicates (f->store, huge, 0, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 0);
    g_clear_pointer (&found, g_ptr_array_unref);
  }
  /* nothing to go on */
  found = koers_store_find_possible_duplicates (f->store, "  ", 1988, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
}

/* 10. Today ------------------------------------------------------------------------------------- */

static GPtrArray *
section (StoreFixture *f, KoersTodaySection which)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *items = koers_store_list_today (f->store, which, &error);

  g_assert_no_error (error);
  return items;
}

static char *
add_next_step (StoreFixture *f, const char *conv_id, const char *text, const char *due_on)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersNextStep) step = koers_next_step_new ();

  step->conversation_id = g_strdup (conv_id);
  step->description = g_strdup (text);
  step->due_on = g_strdup (due_on);
  OK (koers_store_add_next_step (f->store, step, &error));
  return g_strdup (step->id);
}

#define DUE(list, i) ((KoersDueItem *) (list)->pdata[i])

static void
test_today (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *client = store_fixture_add_full_file (f, "Dawit Mehari", "Notities", NULL);
  g_autofree char *conv = store_fixture_add_conversation (f, client, "Vandaag");
  g_autofree char *old_step = add_next_step (f, conv, "Al lang blijven liggen", "2022-01-10");
  g_autofree char *today_step = add_next_step (f, conv, "Vandaag bellen", "2025-06-15");
  g_autofree char *next_week = add_next_step (f, conv, "Volgende week", "2025-06-22");
  g_autoptr (GPtrArray) overdue = section (f, KOERS_TODAY_OVERDUE);
  g_autoptr (GPtrArray) today = section (f, KOERS_TODAY_TODAY);
  g_autoptr (GPtrArray) week = section (f, KOERS_TODAY_THIS_WEEK);

  /* 2025-06-15: overdue are the 2022 step and the referral of 3 June
   * (followed up on the 10th), oldest first; nothing overdue in the week */
  g_assert_cmpuint (overdue->len, ==, 2);
  g_assert_cmpstr (DUE (overdue, 0)->id, ==, old_step);
  g_assert_cmpint (DUE (overdue, 1)->kind, ==, KOERS_ENTITY_REFERRAL);
  g_assert_cmpuint (today->len, ==, 1);
  g_assert_cmpstr (DUE (today, 0)->id, ==, today_step);
  g_assert_cmpuint (week->len, ==, 2);
  g_assert_cmpstr (DUE (week, 0)->due_on, ==, "2025-06-18");
  g_assert_cmpstr (DUE (week, 1)->due_on, ==, "2025-06-20");
  for (guint i = 0; i < week->len; i++)
    g_assert_cmpstr (DUE (week, i)->due_on, >, "2025-06-15");
  g_clear_pointer (&week, g_ptr_array_unref);

  /* acting on a row: the step is done, and gone */
  OK (koers_store_set_step_done (f->store, KOERS_ENTITY_NEXT_STEP, old_step, TRUE, &error));
  g_clear_pointer (&overdue, g_ptr_array_unref);
  overdue = section (f, KOERS_TODAY_OVERDUE);
  g_assert_cmpuint (overdue->len, ==, 1);
  g_assert_cmpint (DUE (overdue, 0)->kind, ==, KOERS_ENTITY_REFERRAL);

  /* a day later, today's step is overdue and the 22nd comes into the week */
  f->now_ms += 24 * 3600 * 1000;
  g_clear_pointer (&overdue, g_ptr_array_unref);
  overdue = section (f, KOERS_TODAY_OVERDUE);
  g_assert_cmpuint (overdue->len, ==, 2);
  g_assert_cmpstr (DUE (overdue, 1)->id, ==, today_step);
  week = section (f, KOERS_TODAY_THIS_WEEK);
  g_assert_cmpuint (week->len, ==, 3);
  g_assert_cmpstr (DUE (week, 2)->id, ==, next_week);

  /* open referrals are read through their partial index, not a scan */
  {
    sqlite3_stmt *explain = NULL;
    g_autoptr (GString) plan = g_string_new (NULL);

    g_assert_cmpint (sqlite3_prepare_v2 (koers_store_get_db (f->store),
      "EXPLAIN QUERY PLAN SELECT id FROM (" KOERS_OPEN_ITEMS_SQL ") WHERE due_on < ?",
      -1, &explain, NULL), ==, SQLITE_OK);
    while (sqlite3_step (explain) == SQLITE_ROW)
      g_string_append_printf (plan, "%s\n", sqlite3_column_text (explain, 3));
    sqlite3_finalize (explain);
    g_assert_nonnull (strstr (plan->str, "referral_due"));
    g_assert_null (strstr (plan->str, "SCAN r"));
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func, data) \
  g_test_add ("/store/hour/" path, StoreFixture, data, store_fixture_setup, func, store_fixture_teardown)
  ADD ("people", test_people, STORE_FIXTURE_EMPTY);
  ADD ("organisations", test_organisations, NULL);
  ADD ("referrals", test_referrals, NULL);
  ADD ("plan-status", test_plan_status, NULL);
  ADD ("plan-steps", test_plan_steps, NULL);
  ADD ("monitoring", test_monitoring, NULL);
  ADD ("consent", test_consent, NULL);
  ADD ("duplicates", test_duplicates, NULL);
  ADD ("today", test_today, NULL);
  return g_test_run ();
}
