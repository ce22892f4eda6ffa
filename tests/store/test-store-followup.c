/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Follow-up: what is due in a date range, unreferred psychosocial
 * signals, and the monitoring schedule. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include "store-fixture.h"

static GPtrArray *
due (StoreFixture *f, const char *from, const char *to)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *items = koers_store_list_due (f->store, from, to, &error);

  g_assert_no_error (error);
  return items;
}

#define ITEM(items, i) ((KoersDueItem *) (items)->pdata[i])

static void
test_due (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = store_fixture_add_full_file (f, "Dawit Mehari", "Notities", NULL);
  g_autoptr (GPtrArray) week = due (f, "2025-06-15", "2025-06-30");
  g_autoptr (GPtrArray) summer = due (f, "2025-06-01", "2025-08-31");
  g_autoptr (GPtrArray) after = NULL;
  g_autoptr (GPtrArray) plans = koers_store_list (f->store, KOERS_ENTITY_RETURN_PLAN, id, &error);
  g_autoptr (GPtrArray) checkins = NULL;
  g_autoptr (GPtrArray) convs = koers_store_list (f->store, KOERS_ENTITY_CONVERSATION, id, &error);
  g_autoptr (GPtrArray) steps = NULL;

  g_assert_cmpuint (week->len, ==, 2);
  g_assert_cmpint (ITEM (week, 0)->kind, ==, KOERS_ENTITY_NEXT_STEP);
  g_assert_cmpstr (ITEM (week, 0)->due_on, ==, "2025-06-18");
  g_assert_cmpstr (ITEM (week, 0)->client_id, ==, id);
  g_assert_cmpstr (ITEM (week, 0)->description, ==, "Bellen met de advocaat");
  g_assert_cmpint (ITEM (week, 1)->kind, ==, KOERS_ENTITY_RETURN_STEP);
  /* the open referral of 3 June is followed up a week later */
  g_assert_cmpuint (summer->len, ==, 4);
  g_assert_cmpint (ITEM (summer, 0)->kind, ==, KOERS_ENTITY_REFERRAL);
  g_assert_cmpstr (ITEM (summer, 0)->due_on, ==, "2025-06-10");
  g_assert_cmpstr (ITEM (summer, 0)->description, ==, "Slaapproblemen");
  g_assert_cmpint (ITEM (summer, 3)->kind, ==, KOERS_ENTITY_CHECKIN);
  g_assert_cmpstr (ITEM (summer, 3)->due_on, ==, "2025-08-01");

  /* done steps and held check-ins drop off the list */
  steps = koers_store_list (f->store, KOERS_ENTITY_NEXT_STEP, ((KoersConversation *) convs->pdata[0])->id,
                            &error);
  ((KoersNextStep *) steps->pdata[0])->done = TRUE;
  g_assert_true (koers_store_update_next_step (f->store, steps->pdata[0], &error));
  checkins = koers_store_list (f->store, KOERS_ENTITY_CHECKIN, ((KoersReturnPlan *) plans->pdata[0])->id,
                               &error);
  g_assert_cmpuint (checkins->len, ==, 4);
  {
    KoersReturnPlan *plan = plans->pdata[0];
    KoersCheckin *first = checkins->pdata[0];
    plan->departed_on = g_strdup ("2025-06-10");
    g_assert_true (koers_store_update_return_plan (f->store, plan, &error));
    first->held_on = g_strdup ("2025-06-14");
    first->social_contacts = KOERS_ANSWER_YES;
    first->economic_activity = KOERS_ANSWER_NO;
    g_assert_true (koers_store_update_checkin (f->store, first, &error));
    g_assert_no_error (error);
  }
  after = due (f, "2025-06-01", "2025-08-31");
  g_assert_cmpuint (after->len, ==, 2);
  g_assert_cmpint (ITEM (after, 0)->kind, ==, KOERS_ENTITY_REFERRAL);
  g_assert_cmpint (ITEM (after, 1)->kind, ==, KOERS_ENTITY_RETURN_STEP);
}

static void
test_schedule (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = store_fixture_add_full_file (f, "Dawit Mehari", "Notities", NULL);
  g_autoptr (GPtrArray) plans = koers_store_list (f->store, KOERS_ENTITY_RETURN_PLAN, id, &error);
  const char *plan_id = ((KoersReturnPlan *) plans->pdata[0])->id;
  static const int extra[] = { 2, 12, 24 };
  static const char *const expected[] = { "2025-08-01", "2025-10-01", "2026-01-01", "2026-07-01",
                                          "2025-09-01", "2027-07-01" };
  g_autoptr (GPtrArray) checkins = NULL;
  KoersCheckin *adjusted;

  /* 1, 3, 6, 12 exist; adding 2, 12 and 24 adds only 2 and 24 */
  g_assert_true (koers_store_schedule_checkins (f->store, plan_id, extra, G_N_ELEMENTS (extra), &error));
  g_assert_no_error (error);
  checkins = koers_store_list (f->store, KOERS_ENTITY_CHECKIN, plan_id, &error);
  g_assert_cmpuint (checkins->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < checkins->len; i++)
    g_assert_cmpstr (((KoersCheckin *) checkins->pdata[i])->due_on, ==, expected[i]);

  /* a check-in can be moved, but not before the departure */
  adjusted = checkins->pdata[0];
  g_free (adjusted->due_on);
  adjusted->due_on = g_strdup ("2025-08-15");
  g_assert_true (koers_store_update_checkin (f->store, adjusted, &error));
  g_free (adjusted->due_on);
  adjusted->due_on = g_strdup ("2025-06-30");
  g_assert_false (koers_store_update_checkin (f->store, adjusted, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID);
}

static void
test_unreferred_signals (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *referred = store_fixture_add_full_file (f, "Doorverwezen", "x", NULL);
  g_autofree char *waiting = store_fixture_add_client (f, "Wacht op verwijzing", TRUE);
  g_autofree char *calm = store_fixture_add_client (f, "Geen signaal", TRUE);
  g_autofree char *conv = NULL;
  g_autoptr (KoersConversation) c = NULL;
  g_autoptr (KoersReferralOrg) ggz = koers_referral_org_new ();
  g_autoptr (KoersReferral) early = koers_referral_new ();
  g_autoptr (KoersReferral) late = koers_referral_new ();
  g_auto (GStrv) open = NULL;
  g_auto (GStrv) none = NULL;

  conv = store_fixture_add_conversation (f, waiting, "Slaapt niet, nachtmerries");
  c = koers_store_get_conversation (f->store, conv, NULL);
  c->psychosocial_signal = TRUE;
  g_assert_true (koers_store_update_conversation (f->store, c, &error));
  g_free (store_fixture_add_conversation (f, calm, "Rustig gesprek"));

  /* a referral from before the signal does not count */
  ggz->name = g_strdup ("GGZ Utrecht");
  ggz->kind = KOERS_ORG_KIND_MENTAL_HEALTH;
  g_assert_true (koers_store_add_referral_org (f->store, ggz, &error));
  early->client_id = g_strdup (waiting);
  early->organisation_id = g_strdup (ggz->id);
  early->referred_on = g_strdup ("2025-05-01");
  g_assert_true (koers_store_add_referral (f->store, early, &error));
  g_assert_no_error (error);

  open = koers_store_list_unreferred_signals (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (open), ==, 1);
  g_assert_cmpstr (open[0], ==, waiting);

  late->client_id = g_strdup (waiting);
  late->organisation_id = g_strdup (ggz->id);
  late->referred_on = g_strdup ("2025-06-05");
  g_assert_true (koers_store_add_referral (f->store, late, &error));
  none = koers_store_list_unreferred_signals (f->store, &error);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/store/followup/due", test_due);
  ADD ("/store/followup/schedule", test_schedule);
  ADD ("/store/followup/unreferred-signals", test_unreferred_signals);
  return g_test_run ();
}
