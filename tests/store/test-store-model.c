/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Create/read/update/delete of every entity, validation, consent and the
 * append-only notes, on a real vault. */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include "koers-store-private.h"
#include "store-fixture.h"

/* A complete file: one record of every kind, ids in @ids[kind]. */
typedef struct
{
  StoreFixture *f;
  char         *ids[KOERS_N_ENTITIES];
  char         *relative_id;
} File;

static void
file_clear (File *file)
{
  for (guint i = 0; i < KOERS_N_ENTITIES; i++)
    g_free (file->ids[i]);
  g_free (file->relative_id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (File, file_clear)

static char *
record_json (KoersEntity kind, gconstpointer record)
{
  GString *out = g_string_new (NULL);

  koers_json_record_fields (out, kind, record, TRUE);
  return g_string_free (out, FALSE);
}

static gpointer
build (File *file, KoersEntity kind)
{
  StoreFixture *f = file->f;
  char **ids = file->ids;

  switch (kind)
    {
    case KOERS_ENTITY_STEUNPUNT:
      {
        KoersSteunpunt *s = koers_steunpunt_new ();
        s->name = g_strdup ("Steunpunt Nijmegen");
        return s;
      }
    case KOERS_ENTITY_WORKER:
      {
        KoersWorker *w = koers_worker_new ();
        w->name = g_strdup ("Fatima Zahra");
        w->role = KOERS_ROLE_CONSULTANT;
        w->steunpunt_id = g_strdup (f->steunpunt_id);
        return w;
      }
    case KOERS_ENTITY_PARTNER_ORG:
      {
        KoersPartnerOrg *p = koers_partner_org_new ();
        p->name = g_strdup ("Partner Asmara");
        p->country = g_strdup ("er");   /* normalised to ER */
        return p;
      }
    case KOERS_ENTITY_REFERRAL_ORG:
      {
        KoersReferralOrg *o = koers_referral_org_new ();
        o->name = g_strdup ("GGZ Centrum");
        o->kind = KOERS_ORG_KIND_MENTAL_HEALTH;
        return o;
      }
    case KOERS_ENTITY_CLIENT:
      {
        KoersClient *c = koers_client_new ();
        c->name = g_strdup ("ሰላም ተስፋይ");
        c->birth_year = 1990;
        c->birth_date = g_strdup ("1990-04-02");
        c->gender = KOERS_GENDER_FEMALE;
        c->country_of_origin = g_strdup ("ER");
        c->nationality = g_strdup ("ER");
        c->languages = g_strsplit ("Tigrinya,Arabic", ",", -1);
        c->needs_interpreter = TRUE;
        c->v_number = g_strdup ("1234567890");
        c->phone = g_strdup ("+31 6 1234 5678");
        c->procedure_status = KOERS_PROCEDURE_EXHAUSTED;
        c->arrival_year = 2016;
        c->intake_channel = KOERS_INTAKE_REFERRAL;
        c->referred_by_id = g_strdup (ids[KOERS_ENTITY_REFERRAL_ORG]);
        c->steunpunt_id = g_strdup (f->steunpunt_id);
        c->phase = KOERS_PHASE_ORIENTATION;
        return c;
      }
    case KOERS_ENTITY_ALIAS:
      {
        KoersAlias *a = koers_alias_new ();
        a->client_id = g_strdup (ids[KOERS_ENTITY_CLIENT]);
        a->name = g_strdup ("Selam Tesfay");
        return a;
      }
    case KOERS_ENTITY_FAMILY_LINK:
      {
        KoersFamilyLink *l = koers_family_link_new ();
        l->client_id = g_strdup (ids[KOERS_ENTITY_CLIENT]);
        l->relative_id = g_strdup (file->relative_id);
        l->relation = KOERS_RELATION_SIBLING;
        return l;
      }
    case KOERS_ENTITY_CONSENT:
      {
        KoersConsent *c = koers_consent_new ();
        c->client_id = g_strdup (ids[KOERS_ENTITY_CLIENT]);
        c->kind = KOERS_CONSENT_SHARE_PARTNER;
        c->granted = TRUE;
        c->recorded_on = g_strdup ("2025-06-02");
        c->recorded_by_id = g_strdup (f->volunteer_id);
        return c;
      }
    case KOERS_ENTITY_CONVERSATION:
      {
        KoersConversation *c = koers_conversation_new ();
        c->client_id = g_strdup (ids[KOERS_ENTITY_CLIENT]);
        c->held_on = g_strdup ("2025-06-02");
        c->duration_minutes = 45;
        c->steunpunt_id = g_strdup (f->steunpunt_id);
        c->worker_ids = g_strsplit (f->volunteer_id, ",", -1);
        c->interpreter_present = TRUE;
        c->topics = g_strsplit ("voluntary_return,irregular_stay", ",", -1);
        c->barriers = g_strsplit ("shame_family,no_documents", ",", -1);
        c->psychosocial_signal = TRUE;
        c->notes = g_strdup ("Eerste gesprek.\nZe wil terug naar haar moeder in Keren.");
        return c;
      }
    case KOERS_ENTITY_NOTE_ADDENDUM:
      {
        KoersNoteAddendum *a = koers_note_addendum_new ();
        a->conversation_id = g_strdup (ids[KOERS_ENTITY_CONVERSATION]);
        a->written_on = g_strdup ("2025-06-03");
        a->author_id = g_strdup (f->volunteer_id);
        a->text = g_strdup ("Correctie: haar tante, niet haar moeder.");
        return a;
      }
    case KOERS_ENTITY_NEXT_STEP:
      {
        KoersNextStep *s = koers_next_step_new ();
        s->conversation_id = g_strdup (ids[KOERS_ENTITY_CONVERSATION]);
        s->description = g_strdup ("Paspoort aanvragen bij de ambassade");
        s->owner_id = g_strdup (f->volunteer_id);
        s->due_on = g_strdup ("2025-07-01");
        return s;
      }
    case KOERS_ENTITY_REFERRAL:
      {
        KoersReferral *r = koers_referral_new ();
        r->client_id = g_strdup (ids[KOERS_ENTITY_CLIENT]);
        r->counsellor_id = g_strdup (f->counsellor_id);
        r->reason = g_strdup ("Slaapt slecht, piekert");
        r->referred_on = g_strdup ("2025-06-03");
        r->status = KOERS_REFERRAL_MADE;
        r->status_on = g_strdup ("2025-06-03");
        return r;
      }
    case KOERS_ENTITY_RETURN_PLAN:
      {
        KoersReturnPlan *p = koers_return_plan_new ();
        p->client_id = g_strdup (ids[KOERS_ENTITY_CLIENT]);
        p->country = g_strdup ("ER");
        p->region = g_strdup ("Anseba");
        p->partner_id = g_strdup (ids[KOERS_ENTITY_PARTNER_ORG]);
        p->consultant_id = g_strdup (ids[KOERS_ENTITY_WORKER]);
        p->planned_departure = g_strdup ("2025-09-01");
        p->document_status = KOERS_DOCUMENTS_REQUESTED;
        p->status = KOERS_PLAN_AGREED;
        return p;
      }
    case KOERS_ENTITY_RETURN_STEP:
      {
        KoersReturnStep *s = koers_return_step_new ();
        s->plan_id = g_strdup (ids[KOERS_ENTITY_RETURN_PLAN]);
        s->description = g_strdup ("Vliegticket boeken");
        s->owner = KOERS_OWNER_STEUNPUNT;
        s->due_on = g_strdup ("2025-08-01");
        return s;
      }
    case KOERS_ENTITY_SUPPORT_ITEM:
      {
        KoersSupportItem *s = koers_support_item_new ();
        s->plan_id = g_strdup (ids[KOERS_ENTITY_RETURN_PLAN]);
        s->kind = KOERS_SUPPORT_BUSINESS;
        s->description = g_strdup ("Naaiatelier");
        s->status = KOERS_SUPPORT_PLANNED;
        return s;
      }
    case KOERS_ENTITY_CHECKIN:
      {
        KoersCheckin *c = koers_checkin_new ();
        c->plan_id = g_strdup (ids[KOERS_ENTITY_RETURN_PLAN]);
        c->month = 1;
        c->due_on = g_strdup ("2025-10-01");
        return c;
      }
    case KOERS_N_ENTITIES:
    default:
      g_assert_not_reached ();
    }
}

/* Changes one field of @record; returns that field's name. */
static const char *
mutate (KoersEntity kind, gpointer record)
{
  switch (kind)
    {
    case KOERS_ENTITY_STEUNPUNT: g_free (((KoersSteunpunt *) record)->name);
      ((KoersSteunpunt *) record)->name = g_strdup ("Steunpunt Arnhem"); return "name";
    case KOERS_ENTITY_WORKER: ((KoersWorker *) record)->active = FALSE; return "active";
    case KOERS_ENTITY_PARTNER_ORG: g_free (((KoersPartnerOrg *) record)->name);
      ((KoersPartnerOrg *) record)->name = g_strdup ("Partner Keren"); return "name";
    case KOERS_ENTITY_REFERRAL_ORG: ((KoersReferralOrg *) record)->kind = KOERS_ORG_KIND_MEDICAL;
      return "kind";
    case KOERS_ENTITY_CLIENT: ((KoersClient *) record)->phase = KOERS_PHASE_RETURN_SUPPORT;
      return "phase";
    case KOERS_ENTITY_ALIAS: g_free (((KoersAlias *) record)->name);
      ((KoersAlias *) record)->name = g_strdup ("Salam"); return "name";
    case KOERS_ENTITY_FAMILY_LINK: ((KoersFamilyLink *) record)->relation = KOERS_RELATION_PARTNER;
      return "relation";
    case KOERS_ENTITY_CONSENT: ((KoersConsent *) record)->granted = FALSE; return "granted";
    case KOERS_ENTITY_CONVERSATION: ((KoersConversation *) record)->duration_minutes = 60;
      return "duration_minutes";
    case KOERS_ENTITY_NEXT_STEP: ((KoersNextStep *) record)->done = TRUE; return "done";
    case KOERS_ENTITY_REFERRAL: g_free (((KoersReferral *) record)->reason);
      ((KoersReferral *) record)->reason = g_strdup ("Slaapt weer slecht"); return "reason";
    case KOERS_ENTITY_RETURN_PLAN: g_free (((KoersReturnPlan *) record)->departed_on);
      ((KoersReturnPlan *) record)->departed_on = g_strdup ("2025-06-10"); return "departed_on";
    case KOERS_ENTITY_RETURN_STEP: ((KoersReturnStep *) record)->done = TRUE; return "done";
    case KOERS_ENTITY_SUPPORT_ITEM: ((KoersSupportItem *) record)->status = KOERS_SUPPORT_APPROVED;
      return "status";
    case KOERS_ENTITY_CHECKIN: ((KoersCheckin *) record)->social_contacts = KOERS_ANSWER_YES;
      return "social_contacts";
    case KOERS_ENTITY_NOTE_ADDENDUM:
    case KOERS_N_ENTITIES:
    default:
      return NULL;
    }
}

static void
build_file (File *file, StoreFixture *f)
{
  g_autoptr (GError) error = NULL;

  file->f = f;
  file->relative_id = store_fixture_add_client (f, "Yonas Tesfay", FALSE);
  for (KoersEntity k = KOERS_ENTITY_STEUNPUNT; k < KOERS_N_ENTITIES; k++)
    {
      gpointer record = build (file, k);

      /* the client's own fields need consent: record it in the same transaction */
      g_assert_true (koers_store_begin (f->store, &error));
      g_assert_true (koers_store_insert (f->store, k, record, &error));
      g_assert_no_error (error);
      file->ids[k] = g_strdup (koers_record_get_id (record));
      if (k == KOERS_ENTITY_CLIENT)
        {
          g_autoptr (KoersConsent) consent = koers_consent_new ();
          consent->client_id = g_strdup (file->ids[k]);
          consent->recorded_on = g_strdup ("2025-06-01");
          consent->granted = TRUE;
          g_assert_true (koers_store_add_consent (f->store, consent, &error));
          g_assert_no_error (error);
        }
      g_assert_true (koers_store_commit (f->store, &error));
      g_assert_no_error (error);
      koers_record_free (k, record);
    }
}

static gint64
log_rows (StoreFixture *f, const char *op, const char *id)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT count(*) FROM change_log WHERE op = '%s' AND entity_id = '%s'", op, id);
  return store_fixture_count (f, sql);
}

static void
test_crud_every_entity (StoreFixture *f, gconstpointer data)
{
  g_auto (File) file = { 0 };

  build_file (&file, f);
  for (KoersEntity k = KOERS_ENTITY_CHECKIN;; k--)
    {
      g_autoptr (GError) error = NULL;
      gpointer built = build (&file, k);
      gpointer stored = koers_store_get (f->store, k, file.ids[k], &error);
      const char *changed;
      g_autofree char *expected = NULL;
      g_autofree char *actual = NULL;

      g_test_message ("entity %s", koers_entity_name (k));
      g_assert_no_error (error);
      g_assert_nonnull (stored);
      /* what was read back is what was written (country upper-cased) */
      *(char **) built = g_strdup (file.ids[k]);
      if (k == KOERS_ENTITY_PARTNER_ORG)
        ((KoersPartnerOrg *) built)->country[0] = 'E', ((KoersPartnerOrg *) built)->country[1] = 'R';
      expected = record_json (k, built);
      actual = record_json (k, stored);
      g_assert_cmpstr (actual, ==, expected);
      g_assert_cmpint (log_rows (f, "insert", file.ids[k]), ==, 1);

      if ((changed = mutate (k, stored)) != NULL)
        {
          gpointer again;
          g_autofree char *like = g_strdup_printf (
            "SELECT count(*) FROM change_log WHERE op = 'update' AND entity_id = '%s'"
            " AND json_extract (fields, '$.%s') IS NOT NULL"
            " AND (SELECT count(*) FROM json_each (fields)) = 1", file.ids[k], changed);
          g_assert_true (koers_store_update (f->store, k, stored, &error));
          g_assert_no_error (error);
          again = koers_store_get (f->store, k, file.ids[k], &error);
          g_free (actual);
          g_free (expected);
          actual = record_json (k, again);
          expected = record_json (k, stored);
          g_assert_cmpstr (actual, ==, expected);
          g_assert_cmpint (store_fixture_count (f, like), ==, 1);
          /* saving it unchanged logs nothing */
          g_assert_true (koers_store_update (f->store, k, again, &error));
          g_assert_cmpint (log_rows (f, "update", file.ids[k]), ==, 1);
          koers_record_free (k, again);
        }
      koers_record_free (k, built);
      koers_record_free (k, stored);
      if (k == KOERS_ENTITY_STEUNPUNT)
        break;
    }

  /* Deleting the client takes the whole file, a tombstone for each. */
  {
    g_autoptr (GError) error = NULL;
    g_assert_true (koers_store_delete_client (f->store, file.ids[KOERS_ENTITY_CLIENT], &error));
    g_assert_no_error (error);
    for (KoersEntity k = KOERS_ENTITY_CLIENT; k < KOERS_N_ENTITIES; k++)
      {
        gpointer gone = koers_store_get (f->store, k, file.ids[k], &error);
        g_assert_null (gone);
        g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NOT_FOUND);
        g_clear_error (&error);
        g_assert_cmpint (log_rows (f, "delete", file.ids[k]), ==, 1);
      }
    g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM search WHERE search MATCH 'Selam'"),
                     ==, 0);
  }
}

static void
test_reference_in_use (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersSteunpunt) kept = NULL;

  g_assert_false (koers_store_delete_steunpunt (f->store, f->steunpunt_id, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_IN_USE);
  kept = koers_store_get_steunpunt (f->store, f->steunpunt_id, NULL);
  g_assert_nonnull (kept);
}

/* Validation --------------------------------------------------------------------------- */

static void
expect_invalid (StoreFixture *f, KoersEntity kind, gpointer record, int code, const char *words)
{
  g_autoptr (GError) error = NULL;
  gint64 before = store_fixture_count (f, "SELECT count(*) FROM change_log");
  g_autofree char *id = g_strdup (koers_record_get_id (record));

  g_assert_false (koers_store_insert (f->store, kind, record, &error));
  g_assert_error (error, KOERS_STORE_ERROR, code);
  g_test_message ("refused: %s", error->message);
  if (words != NULL)
    g_assert_nonnull (strstr (error->message, words));
  g_assert_cmpstr (koers_record_get_id (record), ==, id);
  g_assert_cmpint (store_fixture_count (f, "SELECT count(*) FROM change_log"), ==, before);
  koers_record_free (kind, record);
}

static KoersClient *
consented_client (StoreFixture *f)
{
  g_autofree char *id = store_fixture_add_client (f, "Ahmad Karimi", TRUE);
  return koers_store_get_client (f->store, id, NULL);
}

static void
test_validation (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  KoersClient *c;
  KoersWorker *w;
  KoersConversation *conv;
  g_autofree char *client_id = store_fixture_add_client (f, "Ahmad", TRUE);

  c = consented_client (f); g_clear_pointer (&c->id, g_free);
  c->birth_date = g_strdup ("2031-01-01");
  expect_invalid (f, KOERS_ENTITY_CLIENT, c, KOERS_STORE_ERROR_INVALID, "future");

  c = consented_client (f); g_clear_pointer (&c->id, g_free);
  c->country_of_origin = g_strdup ("XX");
  expect_invalid (f, KOERS_ENTITY_CLIENT, c, KOERS_STORE_ERROR_INVALID, "country code");

  c = consented_client (f); g_clear_pointer (&c->id, g_free);
  c->birth_date = g_strdup ("1990-02-30");
  expect_invalid (f, KOERS_ENTITY_CLIENT, c, KOERS_STORE_ERROR_INVALID, "not a date");

  c = consented_client (f); g_clear_pointer (&c->id, g_free);
  c->birth_year = 1800;
  expect_invalid (f, KOERS_ENTITY_CLIENT, c, KOERS_STORE_ERROR_INVALID, "between");

  c = consented_client (f); g_clear_pointer (&c->id, g_free);
  g_free (c->name);
  c->name = g_strdup ("   ");
  expect_invalid (f, KOERS_ENTITY_CLIENT, c, KOERS_STORE_ERROR_INVALID, "Fill in the name");

  c = consented_client (f); g_clear_pointer (&c->id, g_free);
  g_free (c->name);
  c->name = g_strdup ("Ahmad\xff\xfe");
  expect_invalid (f, KOERS_ENTITY_CLIENT, c, KOERS_STORE_ERROR_INVALID, "cannot be read");

  c = consented_client (f); g_clear_pointer (&c->id, g_free);
  g_free (c->name);
  c->name = g_strdup ("Ahmad\x1b[31m");
  expect_invalid (f, KOERS_ENTITY_CLIENT, c, KOERS_STORE_ERROR_INVALID, "control");

  c = consented_client (f); g_clear_pointer (&c->id, g_free);
  c->phone = g_strdup ("call me maybe");
  expect_invalid (f, KOERS_ENTITY_CLIENT, c, KOERS_STORE_ERROR_INVALID, "phone");

  c = consented_client (f); g_clear_pointer (&c->id, g_free);
  c->phase = 42;
  expect_invalid (f, KOERS_ENTITY_CLIENT, c, KOERS_STORE_ERROR_INVALID, "phase");

  c = consented_client (f); g_clear_pointer (&c->id, g_free);
  g_free (c->steunpunt_id);
  c->steunpunt_id = g_strdup ("0190a8c2-0000-7000-8000-000000000000");
  expect_invalid (f, KOERS_ENTITY_CLIENT, c, KOERS_STORE_ERROR_NOT_FOUND, "steunpunt");

  c = consented_client (f);
  g_free (c->id);
  c->id = g_strdup ("robert'); DROP TABLE client;--");
  expect_invalid (f, KOERS_ENTITY_CLIENT, c, KOERS_STORE_ERROR_INVALID, "not a valid");

  w = koers_worker_new ();
  w->name = g_strdup ("Piet");
  w->role = KOERS_ROLE_COORDINATOR + 1;
  expect_invalid (f, KOERS_ENTITY_WORKER, w, KOERS_STORE_ERROR_INVALID, "role");

  conv = koers_conversation_new ();
  conv->client_id = g_strdup (client_id);
  conv->held_on = g_strdup ("2025-06-01");
  conv->topics = g_strsplit ("voluntary_return,karaoke", ",", -1);
  expect_invalid (f, KOERS_ENTITY_CONVERSATION, conv, KOERS_STORE_ERROR_INVALID, "topics");

  conv = koers_conversation_new ();
  conv->client_id = g_strdup (client_id);
  conv->held_on = g_strdup ("2025-06-01");
  conv->notes = g_malloc (10 * 1024 * 1024 + 1);
  memset (conv->notes, 'a', 10 * 1024 * 1024);
  conv->notes[10 * 1024 * 1024] = '\0';
  expect_invalid (f, KOERS_ENTITY_CONVERSATION, conv, KOERS_STORE_ERROR_INVALID, "too long");

  /* a long note that a person may write is fine */
  conv = koers_conversation_new ();
  conv->client_id = g_strdup (client_id);
  conv->held_on = g_strdup ("2025-06-01");
  conv->notes = g_strnfill (900 * 1024, 'b');
  g_assert_true (koers_store_add_conversation (f->store, conv, &error));
  g_assert_no_error (error);
  koers_conversation_free (conv);
}

static void
test_any_script (StoreFixture *f, gconstpointer data)
{
  static const char *const names[] = {
    "محمد عبد الله", "ሰላም ተስፋይ", "فاطمه رضایی", "Ольга Шевченко", "Zoë Ağaoğlu",
    "Nguyễn Thị Hương", "Ḥasan ʿAlī", NULL,
  };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *id = store_fixture_add_client (f, names[i], FALSE);
      g_autoptr (KoersClient) c = koers_store_get_client (f->store, id, NULL);
      g_autofree char *nfc = g_utf8_normalize (names[i], -1, G_NORMALIZE_NFC);
      g_assert_cmpstr (c->name, ==, nfc);
    }
  /* decomposed input is stored composed */
  {
    g_autofree char *id = store_fixture_add_client (f, "Zoe\xcc\x88", FALSE);
    g_autoptr (KoersClient) c = koers_store_get_client (f->store, id, NULL);
    g_assert_cmpstr (c->name, ==, "Zo\xc3\xab");
  }
}

static void
test_cross_field_rules (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *client_id = store_fixture_add_client (f, "Ahmad", TRUE);
  g_autoptr (KoersReturnPlan) plan = koers_return_plan_new ();
  KoersCheckin *checkin;
  KoersReferral *referral;
  KoersFamilyLink *link;

  plan->client_id = g_strdup (client_id);
  plan->country = g_strdup ("AF");
  plan->status = KOERS_PLAN_AGREED;
  g_assert_true (koers_store_add_return_plan (f->store, plan, &error));
  g_assert_no_error (error);

  checkin = koers_checkin_new ();
  checkin->plan_id = g_strdup (plan->id);
  checkin->month = 1;
  checkin->due_on = g_strdup ("2025-07-01");
  expect_invalid (f, KOERS_ENTITY_CHECKIN, checkin, KOERS_STORE_ERROR_INVALID, "departure date");

  plan->planned_departure = g_strdup ("2025-08-01");
  g_assert_true (koers_store_update_return_plan (f->store, plan, &error));
  checkin = koers_checkin_new ();
  checkin->plan_id = g_strdup (plan->id);
  checkin->month = 1;
  checkin->due_on = g_strdup ("2025-07-01");
  expect_invalid (f, KOERS_ENTITY_CHECKIN, checkin, KOERS_STORE_ERROR_INVALID,
                  "before the departure");

  referral = koers_referral_new ();
  referral->client_id = g_strdup (client_id);
  referral->referred_on = g_strdup ("2025-06-01");
  expect_invalid (f, KOERS_ENTITY_REFERRAL, referral, KOERS_STORE_ERROR_INVALID, "Choose");

  referral = koers_referral_new ();
  referral->client_id = g_strdup (client_id);
  referral->referred_on = g_strdup ("2025-06-01");
  referral->counsellor_id = g_strdup (f->volunteer_id);
  expect_invalid (f, KOERS_ENTITY_REFERRAL, referral, KOERS_STORE_ERROR_INVALID, "counsellor");

  link = koers_family_link_new ();
  link->client_id = g_strdup (client_id);
  link->relative_id = g_strdup (client_id);
  expect_invalid (f, KOERS_ENTITY_FAMILY_LINK, link, KOERS_STORE_ERROR_INVALID, "own family");

  /* Closing a file dates it; reopening clears the date. */
  {
    g_autoptr (KoersClient) c = koers_store_get_client (f->store, client_id, NULL);
    g_autoptr (KoersClient) closed = NULL;
    c->phase = KOERS_PHASE_CLOSED;
    c->outcome = KOERS_OUTCOME_LOST_CONTACT;
    g_assert_true (koers_store_update_client (f->store, c, &error));
    closed = koers_store_get_client (f->store, client_id, NULL);
    g_assert_cmpstr (closed->closed_on, ==, "2025-06-15");
    closed->phase = KOERS_PHASE_ORIENTATION;
    g_assert_true (koers_store_update_client (f->store, closed, &error));
    g_clear_pointer (&closed, koers_client_free);
    closed = koers_store_get_client (f->store, client_id, NULL);
    g_assert_null (closed->closed_on);
  }
}

/* Consent ----------------------------------------------------------------------------- */

static void
test_consent (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = store_fixture_add_client (f, "Hamid", FALSE);
  g_autoptr (KoersClient) c = koers_store_get_client (f->store, id, NULL);
  g_autoptr (KoersConsent) consent = koers_consent_new ();
  g_autoptr (KoersConsent) withdrawal = koers_consent_new ();
  g_autoptr (KoersConversation) conv = koers_conversation_new ();
  g_autoptr (KoersPartnerOrg) partner = koers_partner_org_new ();
  g_autoptr (KoersReturnPlan) plan = koers_return_plan_new ();
  KoersConversation *refused;

  /* the intake minimum needs no consent */
  c->languages = g_strsplit ("Dari", ",", -1);
  c->needs_interpreter = TRUE;
  g_assert_true (koers_store_update_client (f->store, c, &error));
  g_assert_no_error (error);

  /* anything beyond it does, and nothing is kept */
  c->phone = g_strdup ("0612345678");
  g_assert_false (koers_store_update_client (f->store, c, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NO_CONSENT);
  g_clear_error (&error);
  g_clear_pointer (&c->phone, g_free);
  {
    g_autoptr (KoersClient) stored = koers_store_get_client (f->store, id, NULL);
    g_assert_null (stored->phone);
  }
  conv->client_id = g_strdup (id);
  conv->held_on = g_strdup ("2025-06-01");
  refused = koers_conversation_copy (conv);
  expect_invalid (f, KOERS_ENTITY_CONVERSATION, refused, KOERS_STORE_ERROR_NO_CONSENT, "agreed");

  consent->client_id = g_strdup (id);
  consent->kind = KOERS_CONSENT_STORE_FILE;
  consent->granted = TRUE;
  consent->recorded_on = g_strdup ("2025-06-02");
  consent->recorded_by_id = g_strdup (f->volunteer_id);
  g_assert_true (koers_store_add_consent (f->store, consent, &error));
  g_assert_true (koers_store_has_consent (f->store, id, KOERS_CONSENT_STORE_FILE));
  g_assert_true (koers_store_add_conversation (f->store, conv, &error));
  g_assert_no_error (error);

  /* sharing with the partner abroad is a consent of its own */
  partner->name = g_strdup ("IOM Kabul");
  partner->country = g_strdup ("AF");
  g_assert_true (koers_store_add_partner_org (f->store, partner, &error));
  plan->client_id = g_strdup (id);
  plan->country = g_strdup ("AF");
  plan->partner_id = g_strdup (partner->id);
  g_assert_false (koers_store_add_return_plan (f->store, plan, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_NO_CONSENT);
  g_assert_nonnull (strstr (error->message, "partner"));
  g_clear_error (&error);
  g_clear_pointer (&plan->id, g_free);

  /* a withdrawal (a later record) stops new data */
  withdrawal->client_id = g_strdup (id);
  withdrawal->kind = KOERS_CONSENT_STORE_FILE;
  withdrawal->granted = FALSE;
  withdrawal->recorded_on = g_strdup ("2025-06-10");
  g_assert_true (koers_store_add_consent (f->store, withdrawal, &error));
  g_assert_false (koers_store_has_consent (f->store, id, KOERS_CONSENT_STORE_FILE));
  refused = koers_conversation_copy (conv);
  g_clear_pointer (&refused->id, g_free);
  expect_invalid (f, KOERS_ENTITY_CONVERSATION, refused, KOERS_STORE_ERROR_NO_CONSENT, NULL);

  /* in one transaction, the consent may follow the data (as in an import) */
  g_assert_true (koers_store_begin (f->store, &error));
  g_clear_pointer (&conv->id, g_free);
  g_assert_true (koers_store_add_conversation (f->store, conv, &error));
  g_clear_pointer (&consent->id, g_free);
  g_free (consent->recorded_on);
  consent->recorded_on = g_strdup ("2025-06-11");
  g_assert_true (koers_store_add_consent (f->store, consent, &error));
  g_assert_true (koers_store_commit (f->store, &error));
  g_assert_no_error (error);
}

/* Notes ---------------------------------------------------------------------------------- */

static void
test_notes_append_only (StoreFixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *client_id = store_fixture_add_client (f, "Mariam", TRUE);
  g_autofree char *conv_id = store_fixture_add_conversation (f, client_id, "Eerste versie");
  g_autoptr (KoersConversation) conv = koers_store_get_conversation (f->store, conv_id, NULL);
  g_autoptr (KoersNoteAddendum) addendum = koers_note_addendum_new ();
  g_autoptr (KoersConversation) empty = koers_conversation_new ();
  sqlite3 *other;
  char *errmsg = NULL;

  g_free (conv->notes);
  conv->notes = g_strdup ("Herschreven");
  g_assert_false (koers_store_update_conversation (f->store, conv, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_APPEND_ONLY);
  g_clear_error (&error);

  addendum->conversation_id = g_strdup (conv_id);
  addendum->written_on = g_strdup ("2025-06-02");
  addendum->text = g_strdup ("Aanvulling");
  g_assert_true (koers_store_add_note_addendum (f->store, addendum, &error));
  g_free (addendum->text);
  addendum->text = g_strdup ("Stiekem anders");
  g_assert_false (koers_store_update_note_addendum (f->store, addendum, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_APPEND_ONLY);
  g_clear_error (&error);
  g_assert_false (koers_store_delete_note_addendum (f->store, addendum->id, &error));
  g_assert_error (error, KOERS_STORE_ERROR, KOERS_STORE_ERROR_APPEND_ONLY);
  g_clear_error (&error);

  /* notes left empty at first may be written once */
  empty->client_id = g_strdup (client_id);
  empty->held_on = g_strdup ("2025-06-03");
  g_assert_true (koers_store_add_conversation (f->store, empty, &error));
  empty->notes = g_strdup ("Later geschreven");
  g_assert_true (koers_store_update_conversation (f->store, empty, &error));
  g_assert_no_error (error);

  /* The schema refuses it too, for a connection that is not the store. */
  other = koers_vault_open_connection (f->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (other, "UPDATE conversation SET notes = 'x'", NULL, NULL, &errmsg),
                   !=, SQLITE_OK);
  g_assert_nonnull (strstr (errmsg, "append-only"));
  sqlite3_free (errmsg);
  sqlite3_close (other);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, StoreFixture, NULL, store_fixture_setup, func, store_fixture_teardown)
  ADD ("/store/model/crud-every-entity", test_crud_every_entity);
  ADD ("/store/model/reference-in-use", test_reference_in_use);
  ADD ("/store/model/validation", test_validation);
  ADD ("/store/model/any-script", test_any_script);
  ADD ("/store/model/cross-field-rules", test_cross_field_rules);
  ADD ("/store/model/consent", test_consent);
  ADD ("/store/model/notes-append-only", test_notes_append_only);
  return g_test_run ();
}
