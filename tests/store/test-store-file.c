/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A client's file in one read (KoersClientFile) and the use cases that
 * save a file, a conversation and adopt a worker, on a real vault. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include "koers-client-file.h"
#include "koers-drafts.h"
#include "store-fixture.h"

static guint
count_audit (StoreFixture *f,
             const char   *client_id,
             const char   *action)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) audit = koers_store_list_audit (f->store, client_id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < audit->len; i++)
    if (g_str_equal (((KoersAuditEntry *) audit->pdata[i])->action, action))
      n++;
  return n;
}

/* @records are the same records, in the same order, as the store lists
 * under @parent_id. */
static void
assert_same_records (StoreFixture *f,
                     KoersEntity   kind,
                     const char   *parent_id,
                     GPtrArray    *records)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) listed = koers_store_list (f->store, kind, parent_id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, listed->len);
  for (guint i = 0; i < listed->len; i++)
    g_assert_cmpstr (koers_record_get_id (records->pdata[i]), ==,
                     koers_record_get_id (listed->pdata[i]));
}

static void
test_read_whole_file (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *other = store_fixture_add_full_file (f, "Other Person", "other notes", NULL);
  g_autofree char *id = store_fixture_add_full_file (f, "ሰላም ተስፋይ", "notes", other);
  g_autofree char *second = store_fixture_add_conversation (f, id, "a second talk");
  g_autoptr (KoersClientFile) file = NULL;
  KoersFilePlan *plan;

  file = koers_store_read_file (f->store, id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);
  g_assert_cmpstr (file->client->name, ==, "ሰላም ተስፋይ");
  g_assert_true (file->store_file_consent);
  assert_same_records (f, KOERS_ENTITY_ALIAS, id, file->aliases);
  assert_same_records (f, KOERS_ENTITY_FAMILY_LINK, id, file->family_links);
  assert_same_records (f, KOERS_ENTITY_CONSENT, id, file->consents);
  assert_same_records (f, KOERS_ENTITY_REFERRAL, id, file->referrals);
  g_assert_cmpuint (file->family_links->len, ==, 1);
  g_assert_cmpuint (file->conversations->len, ==, 2);
  for (guint i = 0; i < file->conversations->len; i++)
    {
      KoersFileConversation *node = file->conversations->pdata[i];
      g_autoptr (GPtrArray) conversations = koers_store_list (f->store, KOERS_ENTITY_CONVERSATION, id, NULL);

      g_assert_cmpstr (node->conversation->id, ==,
                       ((KoersConversation *) conversations->pdata[i])->id);
      assert_same_records (f, KOERS_ENTITY_NOTE_ADDENDUM, node->conversation->id, node->addenda);
      assert_same_records (f, KOERS_ENTITY_NEXT_STEP, node->conversation->id, node->next_steps);
    }
  g_assert_cmpuint (((KoersFileConversation *) file->conversations->pdata[0])->next_steps->len, >, 0);
  g_assert_cmpuint (((KoersFileConversation *) file->conversations->pdata[0])->addenda->len, >, 0);
  g_assert_cmpstr (((KoersFileConversation *) file->conversations->pdata[1])->conversation->id, ==, second);

  plan = koers_client_file_get_plan (file);
  g_assert_nonnull (plan);
  g_assert_cmpuint (file->plans->len, ==, 1);
  assert_same_records (f, KOERS_ENTITY_RETURN_STEP, plan->plan->id, plan->steps);
  assert_same_records (f, KOERS_ENTITY_SUPPORT_ITEM, plan->plan->id, plan->support_items);
  assert_same_records (f, KOERS_ENTITY_CHECKIN, plan->plan->id, plan->checkins);
  g_assert_cmpuint (plan->checkins->len, ==, 4);

  /* Only reading: no audit entry. Opening: one, in the same read. */
  g_assert_cmpuint (count_audit (f, id, "open"), ==, 0);
  g_clear_pointer (&file, koers_client_file_free);
  file = koers_store_read_file (f->store, id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_audit (f, id, "open"), ==, 1);
}

static void
test_read_missing_file (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersClientFile) file = koers_store_read_file (f->store, "01890000-0000-7000-8000-000000000000",
                                                            TRUE, &error);

  g_assert_null (file);
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM audit WHERE action = 'open'"), ==, 0);
}

static void
test_save_client_file (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersClient) client = koers_client_new ();
  g_autoptr (KoersClientFile) file = NULL;
  const char *first[] = { "Amanuel", "ኣማኑኤል", "Amanuel", NULL };
  const char *then[] = { "ኣማኑኤል", "Emanuel", NULL };
  gboolean ok;

  client->name = g_strdup ("Amanuel Tesfay");
  client->birth_year = 1990;
  ok = koers_store_save_client_file (f->store, client, TRUE, first, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (client->id);

  file = koers_store_read_file (f->store, client->id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (file->client->steunpunt_id, ==, f->steunpunt_id);
  g_assert_true (file->store_file_consent);
  g_assert_cmpuint (file->consents->len, ==, 1);
  g_assert_cmpuint (file->aliases->len, ==, 2);
  g_assert_cmpuint (count_audit (f, client->id, "open"), ==, 0);
  g_assert_cmpuint (count_audit (f, client->id, "create"), >, 0);

  /* The aliases become what was typed; the same consent adds no record. */
  client->birth_year = 1991;
  ok = koers_store_save_client_file (f->store, client, TRUE, then, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_clear_pointer (&file, koers_client_file_free);
  file = koers_store_read_file (f->store, client->id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (file->client->birth_year, ==, 1991);
  g_assert_cmpuint (file->consents->len, ==, 1);
  g_assert_cmpuint (file->aliases->len, ==, 2);
  g_assert_cmpstr (((KoersAlias *) file->aliases->pdata[0])->name, ==, "ኣማኑኤል");
  g_assert_cmpstr (((KoersAlias *) file->aliases->pdata[1])->name, ==, "Emanuel");
  g_assert_cmpuint (count_audit (f, client->id, "open"), ==, 0);
}

static void
test_save_client_file_all_or_nothing (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersClient) client = koers_client_new ();
  const char *aliases[] = { "Dawit", NULL };
  gint64 changes = store_fixture_count (f, "SELECT count(*) FROM change_log");

  /* A year of birth needs consent: nothing of it may stay. */
  client->name = g_strdup ("Dawit Haile");
  client->birth_year = 1985;
  g_assert_false (koers_store_save_client_file (f->store, client, FALSE, aliases, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NO_CONSENT);
  g_assert_null (client->id);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM client"), ==, 0);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM alias"), ==, 0);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM change_log"), ==, changes);

  /* Corrected, the same record saves. */
  g_clear_error (&error);
  g_assert_true (koers_store_save_client_file (f->store, client, TRUE, aliases, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM alias"), ==, 1);
}

static KoersConsent *
consent_of (KoersConsentKind  kind,
            gboolean          granted,
            const char       *on)
{
  KoersConsent *consent = koers_consent_new ();

  consent->kind = kind;
  consent->granted = granted;
  consent->recorded_on = g_strdup (on);
  consent->given_how = KOERS_CONSENT_SPOKEN;
  return consent;
}

/* A new client with consent per scope, in one use case: the records get
 * the new client's id; a later save withdraws one scope. Storage consent
 * still gates the whole: without it nothing stays, consents included. */
static void
test_save_client_consents (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersClient) client = koers_client_new ();
  g_autoptr (KoersClient) refused = koers_client_new ();
  g_autoptr (GPtrArray) consents = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_consent_free);
  g_autoptr (GPtrArray) withdrawal = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_consent_free);
  g_autoptr (GPtrArray) sharing_only = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_consent_free);
  g_autoptr (KoersClientFile) file = NULL;
  g_autofree char *today = koers_store_today (f->store);
  gint64 changes;
  gboolean ok;

  client->name = g_strdup ("محمد الأحمد");
  client->birth_year = 1988;
  g_ptr_array_add (consents, consent_of (KOERS_CONSENT_STORE_FILE, TRUE, today));
  g_ptr_array_add (consents, consent_of (KOERS_CONSENT_SHARE_PARTNER, TRUE, today));
  ok = koers_store_save_client_consents (f->store, client, FALSE, NULL, consents, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (client->id);
  g_assert_cmpstr (((KoersConsent *) consents->pdata[1])->client_id, ==, client->id);
  g_assert_nonnull (((KoersConsent *) consents->pdata[1])->id);
  g_assert_true (koers_store_has_consent (f->store, client->id, KOERS_CONSENT_STORE_FILE));
  g_assert_true (koers_store_has_consent (f->store, client->id, KOERS_CONSENT_SHARE_PARTNER));
  g_assert_false (koers_store_has_consent (f->store, client->id, KOERS_CONSENT_PSEUDONYMOUS_REPORTING));
  file = koers_store_read_file (f->store, client->id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (file->consents->len, ==, 2);
  g_assert_cmpint (((KoersConsent *) file->consents->pdata[1])->given_how, ==, KOERS_CONSENT_SPOKEN);

  /* Withdrawn later: a record of its own, the first stays. */
  g_ptr_array_add (withdrawal, consent_of (KOERS_CONSENT_SHARE_PARTNER, FALSE, today));
  g_assert_true (koers_store_save_client_consents (f->store, client, TRUE, NULL, withdrawal, &error));
  g_assert_no_error (error);
  g_assert_false (koers_store_has_consent (f->store, client->id, KOERS_CONSENT_SHARE_PARTNER));
  g_clear_pointer (&file, koers_client_file_free);
  file = koers_store_read_file (f->store, client->id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (file->consents->len, ==, 3);

  /* Sharing without storing: refused, and nothing of it stays. */
  changes = store_fixture_count (f, "SELECT count(*) FROM change_log");
  refused->name = g_strdup ("Dawit Haile");
  refused->birth_year = 1985;
  g_ptr_array_add (sharing_only, consent_of (KOERS_CONSENT_SHARE_PARTNER, TRUE, today));
  g_assert_false (koers_store_save_client_consents (f->store, refused, FALSE, NULL, sharing_only, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NO_CONSENT);
  g_assert_null (refused->id);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM client"), ==, 1);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM change_log"), ==, changes);
}

static void
test_save_conversation (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = store_fixture_add_client (f, "Hamid Karimi", TRUE);
  g_autoptr (KoersConversation) talk = koers_conversation_new ();
  g_autoptr (GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_next_step_free);
  g_autoptr (KoersClientFile) file = NULL;
  g_autofree char *draft = NULL;
  KoersFileConversation *node;
  KoersNextStep *step;

  g_assert_true (koers_store_save_draft (f->store, id, NULL, "typed so far", &error));
  for (guint i = 0; i < 2; i++)
    {
      step = koers_next_step_new ();
      step->description = g_strdup_printf ("step %u", i);
      step->due_on = g_strdup ("2025-07-01");
      g_ptr_array_add (steps, step);
    }
  talk->client_id = g_strdup (id);
  talk->held_on = g_strdup ("2025-06-10");
  talk->notes = g_strdup ("گفتگو درباره بازگشت");
  g_assert_true (koers_store_save_conversation (f->store, talk, steps, &error));
  g_assert_no_error (error);
  g_assert_nonnull (talk->id);

  file = koers_store_read_file (f->store, id, FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (file->conversations->len, ==, 1);
  node = file->conversations->pdata[0];
  g_assert_cmpstr (node->conversation->steunpunt_id, ==, f->steunpunt_id);
  g_assert_cmpstrv (node->conversation->worker_ids, ((const char *[]) { f->volunteer_id, NULL }));
  g_assert_cmpuint (node->next_steps->len, ==, 2);
  step = node->next_steps->pdata[0];
  g_assert_cmpstr (step->owner_id, ==, f->volunteer_id);
  draft = koers_store_load_draft (f->store, id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (draft);
}

static void
test_save_conversation_all_or_nothing (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = store_fixture_add_client (f, "Hamid Karimi", TRUE);
  g_autoptr (KoersConversation) talk = koers_conversation_new ();
  g_autoptr (GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_next_step_free);
  g_autofree char *draft = NULL;
  KoersNextStep *step = koers_next_step_new ();

  g_assert_true (koers_store_save_draft (f->store, id, NULL, "typed so far", &error));
  step->description = g_strdup ("no date");
  step->due_on = g_strdup ("2025-13-45");
  g_ptr_array_add (steps, step);
  talk->client_id = g_strdup (id);
  talk->held_on = g_strdup ("2025-06-10");
  g_assert_false (koers_store_save_conversation (f->store, talk, steps, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_INVALID);
  g_assert_null (talk->id);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM conversation"), ==, 0);
  g_clear_error (&error);
  draft = koers_store_load_draft (f->store, id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (draft, ==, "typed so far");
}

static void
test_adopt_worker (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  KoersNewWorker if_new = { KOERS_ROLE_COORDINATOR, "Steunpunt Zwolle" };
  g_autofree char *made = NULL;
  g_autoptr (KoersWorker) worker = NULL;
  g_autoptr (KoersSteunpunt) steunpunt = NULL;

  g_assert_true (koers_store_adopt_worker (f->store, "Youssef Amrani", &if_new, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (koers_store_get_current_worker (f->store), ==, f->counsellor_id);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM worker"), ==, 2);

  /* Not known: without if_new nobody, with it a new worker and steunpunt. */
  g_assert_true (koers_store_adopt_worker (f->store, "Marieke", NULL, &error));
  g_assert_null (koers_store_get_current_worker (f->store));
  g_assert_true (koers_store_adopt_worker (f->store, "Marieke", &if_new, &error));
  g_assert_no_error (error);
  made = g_strdup (koers_store_get_current_worker (f->store));
  g_assert_nonnull (made);
  worker = koers_store_get_worker (f->store, made, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (worker->name, ==, "Marieke");
  g_assert_cmpint (worker->role, ==, KOERS_ROLE_COORDINATOR);
  steunpunt = koers_store_get_steunpunt (f->store, worker->steunpunt_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (steunpunt->name, ==, "Steunpunt Zwolle");

  /* The second time she is found, not made again. */
  g_assert_true (koers_store_adopt_worker (f->store, "Marieke", &if_new, &error));
  g_assert_cmpstr (koers_store_get_current_worker (f->store), ==, made);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM worker"), ==, 3);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM steunpunt"), ==, 2);

  g_assert_true (koers_store_adopt_worker (f->store, NULL, &if_new, &error));
  g_assert_null (koers_store_get_current_worker (f->store));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/store/file/read-whole-file", test_read_whole_file);
  ADD ("/store/file/read-missing-file", test_read_missing_file);
  ADD ("/store/file/save-client-file", test_save_client_file);
  ADD ("/store/file/save-client-file-all-or-nothing", test_save_client_file_all_or_nothing);
  ADD ("/store/file/save-client-consents", test_save_client_consents);
  ADD ("/store/file/save-conversation", test_save_conversation);
  ADD ("/store/file/save-conversation-all-or-nothing", test_save_conversation_all_or_nothing);
  ADD ("/store/file/adopt-worker", test_adopt_worker);
#undef ADD
  return g_test_run ();
}
