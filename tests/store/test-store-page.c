/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The client list's due filter: which clients have something open (a next
 * step, a return-plan step, a check-in) due before today or within the
 * week, by the store's clock (2025-06-15 in the fixture). */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include "koers-store-page.h"
#include "store-fixture.h"

#define ADD_OK(call)                \
  G_STMT_START {                    \
    gboolean ok_ = (call);          \
    g_assert_no_error (error);      \
    g_assert_true (ok_);            \
  } G_STMT_END

static void
add_next_step (StoreFixture *f,
               const char   *client_id,
               const char   *due_on,
               gboolean      done)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *conversation_id = store_fixture_add_conversation (f, client_id, "Gesprek");
  g_autoptr (KoersNextStep) step = koers_next_step_new ();

  step->conversation_id = g_strdup (conversation_id);
  step->description = g_strdup ("Bellen met de advocaat");
  step->due_on = g_strdup (due_on);
  step->done = done;
  ADD_OK (koers_store_add_next_step (f->store, step, &error));
}

/* A return plan departing on 2025-06-01. */
static char *
add_plan (StoreFixture *f,
          const char   *client_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersReturnPlan) plan = koers_return_plan_new ();

  plan->client_id = g_strdup (client_id);
  plan->country = g_strdup ("ER");
  plan->planned_departure = g_strdup ("2025-06-01");
  ADD_OK (koers_store_add_return_plan (f->store, plan, &error));
  return g_strdup (plan->id);
}

static void
add_return_step (StoreFixture *f,
                 const char   *plan_id,
                 const char   *due_on,
                 gboolean      done)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersReturnStep) step = koers_return_step_new ();

  step->plan_id = g_strdup (plan_id);
  step->description = g_strdup ("Laissez-passer aanvragen");
  step->due_on = g_strdup (due_on);
  step->done = done;
  ADD_OK (koers_store_add_return_step (f->store, step, &error));
}

static void
add_checkin (StoreFixture *f,
             const char   *plan_id,
             const char   *due_on,
             const char   *held_on)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersCheckin) checkin = koers_checkin_new ();

  checkin->plan_id = g_strdup (plan_id);
  checkin->month = 1;
  checkin->due_on = g_strdup (due_on);
  checkin->held_on = g_strdup (held_on);
  ADD_OK (koers_store_add_checkin (f->store, checkin, &error));
}

/* The names of the clients the list shows for @filter, joined by ", ";
 * the count must agree. */
static char *
names (StoreFixture            *f,
       const KoersClientFilter *filter)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) keys = koers_store_list_client_keys (f->store, filter, &error);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  guint n = 0;

  g_assert_no_error (error);
  rows = koers_store_get_client_rows (f->store, (gint64 *) keys->data, keys->len, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? ", " : "",
                            ((KoersClientRow *) rows->pdata[i])->name);
  g_assert_true (koers_store_count_clients (f->store, filter, &n, &error));
  g_assert_cmpuint (n, ==, rows->len);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
names_due (StoreFixture   *f,
           KoersDueFilter  due)
{
  KoersClientFilter filter = KOERS_CLIENT_FILTER_ANY;

  filter.due = due;
  return names (f, &filter);
}

/* Around today (2025-06-15) and the week's last day (2025-06-21). */
static void
add_clients (StoreFixture *f)
{
  g_autofree char *amina = store_fixture_add_client (f, "Amina", TRUE);
  g_autofree char *bashir = store_fixture_add_client (f, "Bashir", TRUE);
  g_autofree char *chen = store_fixture_add_client (f, "Chen", TRUE);
  g_autofree char *dawit = store_fixture_add_client (f, "Dawit", TRUE);
  g_autofree char *eli = store_fixture_add_client (f, "Eli", TRUE);
  g_autofree char *farah = store_fixture_add_client (f, "Farah", TRUE);
  g_autofree char *chen_plan = add_plan (f, chen);
  g_autofree char *dawit_plan = add_plan (f, dawit);
  g_autofree char *farah_plan = add_plan (f, farah);

  add_next_step (f, amina, "2025-06-14", FALSE);          /* overdue */
  add_next_step (f, bashir, "2025-06-01", TRUE);          /* done */
  add_return_step (f, farah_plan, "2025-06-15", FALSE);   /* today */
  add_checkin (f, chen_plan, "2025-06-21", NULL);         /* the week's last day */
  add_checkin (f, dawit_plan, "2025-06-10", "2025-06-10"); /* held */
  add_return_step (f, dawit_plan, "2025-06-22", FALSE);   /* next week */
  add_return_step (f, dawit_plan, "2025-06-02", TRUE);    /* done */
  (void) eli;                                              /* nothing open */
}

static void
test_due_filter (StoreFixture *f, gconstpointer data)
{
  g_autofree char *any = NULL;
  g_autofree char *overdue = NULL;
  g_autofree char *week = NULL;

  add_clients (f);
  any = names_due (f, KOERS_DUE_ANY);
  overdue = names_due (f, KOERS_DUE_OVERDUE);
  week = names_due (f, KOERS_DUE_THIS_WEEK);

  g_assert_cmpstr (any, ==, "Amina, Bashir, Chen, Dawit, Eli, Farah");
  g_assert_cmpstr (overdue, ==, "Amina");
  g_assert_cmpstr (week, ==, "Amina, Chen, Farah");
}

/* A day later the week reaches Dawit's step, and today's becomes overdue. */
static void
test_due_follows_clock (StoreFixture *f, gconstpointer data)
{
  g_autofree char *overdue = NULL;
  g_autofree char *week = NULL;

  add_clients (f);
  f->now_ms += 24 * 60 * 60 * 1000;
  overdue = names_due (f, KOERS_DUE_OVERDUE);
  week = names_due (f, KOERS_DUE_THIS_WEEK);

  g_assert_cmpstr (overdue, ==, "Amina, Farah");
  g_assert_cmpstr (week, ==, "Amina, Chen, Dawit, Farah");
}

/* Due combines with the other criteria, and the search path (one client's
 * row with a filter) honours it. */
static void
test_due_with_other_filters (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersClient) chen = NULL;
  g_autoptr (KoersClientRow) row = NULL;
  g_autoptr (KoersClientRow) gone = NULL;
  KoersClientFilter filter = KOERS_CLIENT_FILTER_ANY;
  g_autofree char *chen_id = NULL;
  g_autofree char *amina_id = NULL;
  g_autofree char *week_orientation = NULL;

  add_clients (f);
  {
    g_autoptr (GPtrArray) clients = koers_store_list (f->store, KOERS_ENTITY_CLIENT, NULL, &error);

    for (guint i = 0; i < clients->len; i++)
      {
        KoersClient *client = clients->pdata[i];

        if (g_str_equal (client->name, "Chen"))
          chen_id = g_strdup (client->id);
        if (g_str_equal (client->name, "Amina"))
          amina_id = g_strdup (client->id);
      }
  }
  chen = koers_store_get_client (f->store, chen_id, &error);
  g_assert_no_error (error);
  chen->phase = KOERS_PHASE_ORIENTATION;
  ADD_OK (koers_store_update_client (f->store, chen, &error));

  filter.due = KOERS_DUE_THIS_WEEK;
  filter.phase = KOERS_PHASE_ORIENTATION;
  week_orientation = names (f, &filter);
  g_assert_cmpstr (week_orientation, ==, "Chen");

  filter = KOERS_CLIENT_FILTER_ANY;
  filter.due = KOERS_DUE_OVERDUE;
  row = koers_store_get_client_row (f->store, amina_id, &filter, &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);
  g_assert_cmpstr (row->name, ==, "Amina");
  gone = koers_store_get_client_row (f->store, chen_id, &filter, &error);
  g_assert_no_error (error);
  g_assert_null (gone);
}

/* Search with the list's filters: the filter applies before the cap, so
 * among 300 clients whose names match a prefix, the one in the chosen
 * phase is found even where a capped search alone would not reach it. */
static void
test_search_filtered_before_cap (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) capped = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (KoersClient) chosen = NULL;
  KoersClientFilter filter = KOERS_CLIENT_FILTER_ANY;
  g_autofree char *chosen_id = NULL;
  gboolean in_capped = FALSE;

  ADD_OK (koers_store_begin (f->store, &error));
  for (guint i = 1; i <= 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("Ahmadi %03u", i);

      g_free (store_fixture_add_client (f, name, FALSE));
    }
  ADD_OK (koers_store_commit (f->store, &error));
  /* The last by name: a capped search of 200 ranks it out. */
  rows = koers_store_search_clients (f->store, "ahma", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 300);
  chosen_id = g_strdup (((KoersClientRow *) rows->pdata[299])->id);
  g_clear_pointer (&rows, g_ptr_array_unref);
  chosen = koers_store_get_client (f->store, chosen_id, &error);
  g_assert_no_error (error);
  chosen->phase = KOERS_PHASE_MONITORING;
  ADD_OK (koers_store_update_client (f->store, chosen, &error));

  capped = koers_store_search (f->store, "ahma", KOERS_SEARCH_ALL, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (capped->len, ==, 200);
  for (guint i = 0; i < capped->len; i++)
    in_capped |= g_str_equal (((KoersSearchHit *) capped->pdata[i])->client_id, chosen_id);
  g_assert_false (in_capped);

  filter.phase = KOERS_PHASE_MONITORING;
  rows = koers_store_search_clients (f->store, "ahma", &filter, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((KoersClientRow *) rows->pdata[0])->id, ==, chosen_id);
  g_assert_cmpint (((KoersClientRow *) rows->pdata[0])->phase, ==, KOERS_PHASE_MONITORING);
  g_clear_pointer (&rows, g_ptr_array_unref);

  /* Without a filter the cap holds; with one nobody passes, nothing. */
  rows = koers_store_search_clients (f->store, "ahma", NULL, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 200);
  g_clear_pointer (&rows, g_ptr_array_unref);
  filter.phase = KOERS_PHASE_CLOSED;
  rows = koers_store_search_clients (f->store, "ahma", &filter, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 0);
}

/* A match in the notes only passes the same filters. */
static void
test_search_notes_filtered (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *here = store_fixture_add_client (f, "Sara Mohammadi", TRUE);
  g_autofree char *there = store_fixture_add_client (f, "Lina Haddad", TRUE);
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (KoersClient) client = koers_store_get_client (f->store, there, NULL);
  KoersClientFilter filter = KOERS_CLIENT_FILTER_ANY;

  g_free (store_fixture_add_conversation (f, here, "wil terug naar Kabul"));
  g_free (store_fixture_add_conversation (f, there, "denkt aan Kabul"));
  client->phase = KOERS_PHASE_ORIENTATION;
  ADD_OK (koers_store_update_client (f->store, client, &error));
  filter.phase = KOERS_PHASE_ORIENTATION;
  rows = koers_store_search_clients (f->store, "kabul", &filter, 200, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (((KoersClientRow *) rows->pdata[0])->id, ==, there);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/store/page/due", test_due_filter);
  ADD ("/store/page/due-follows-clock", test_due_follows_clock);
  ADD ("/store/page/due-with-other-filters", test_due_with_other_filters);
  ADD ("/store/page/search-filtered-before-cap", test_search_filtered_before_cap);
  ADD ("/store/page/search-notes-filtered", test_search_notes_filtered);
  return g_test_run ();
}
