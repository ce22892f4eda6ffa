/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-store-test"

#include <glib/gstdio.h>
#include <string.h>

#include "store-fixture.h"

static gint64
fixture_clock (gpointer data)
{
  return ((StoreFixture *) data)->now_ms;
}

static void
open_store (StoreFixture *f)
{
  g_autoptr (GError) error = NULL;

  f->store = koers_store_new (koers_vault_get_db (f->vault), &error);
  g_assert_no_error (error);
  koers_store_set_clock (f->store, fixture_clock, f);
}

static char *
add_reference (StoreFixture *f,
               KoersRole     role,
               const char   *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersWorker) worker = koers_worker_new ();

  worker->name = g_strdup (name);
  worker->role = role;
  worker->steunpunt_id = g_strdup (f->steunpunt_id);
  {
    gboolean ok = koers_store_add_worker (f->store, worker, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
  return g_strdup (worker->id);
}

void
store_fixture_setup (StoreFixture  *f,
                     gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersSteunpunt) steunpunt = koers_steunpunt_new ();
  KoersKdfParams params = koers_kdf_params_minimum ();
  char *recovery = NULL;

  f->now_ms = FIXTURE_START_MS;
  f->dir = g_dir_make_tmp ("koers-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->vault = koers_vault_create (f->dir, "Tester", "pass", &params, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
  open_store (f);
  if (data != NULL && g_str_equal (data, STORE_FIXTURE_EMPTY))
    return;

  steunpunt->name = g_strdup ("Steunpunt Utrecht");
  steunpunt->city = g_strdup ("Utrecht");
  {
    gboolean ok = koers_store_add_steunpunt (f->store, steunpunt, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
  f->steunpunt_id = g_strdup (steunpunt->id);
  f->volunteer_id = add_reference (f, KOERS_ROLE_VOLUNTEER, "Anna de Vries");
  f->counsellor_id = add_reference (f, KOERS_ROLE_COUNSELLOR, "Youssef Amrani");
  koers_store_set_current_worker (f->store, f->volunteer_id);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

void
store_fixture_teardown (StoreFixture  *f,
                        gconstpointer  data)
{
  g_clear_object (&f->store);
  koers_vault_lock (f->vault);
  g_clear_object (&f->vault);
  remove_tree (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->steunpunt_id, g_free);
  g_clear_pointer (&f->volunteer_id, g_free);
  g_clear_pointer (&f->counsellor_id, g_free);
}

void
store_fixture_reopen (StoreFixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *worker = g_strdup (koers_store_get_current_worker (f->store));

  g_clear_object (&f->store);
  koers_vault_lock (f->vault);
  g_assert_true (koers_vault_unlock (f->vault, "Tester", "pass", &error));
  g_assert_no_error (error);
  open_store (f);
  koers_store_set_current_worker (f->store, worker);
}

void
store_fixture_add_clients (StoreFixture *f,
                           guint         n,
                           const char   *prefix,
                           guint         tag,
                           const char   *suffix)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %u-%u%s", prefix, tag, i, suffix);
      g_autofree char *id = store_fixture_add_client (f, name, TRUE);

      g_free (store_fixture_add_conversation (f, id, "Gesprek: عودة طوعية"));
    }
}

int
store_fixture_run_cli (StoreFixture       *f,
                       const char         *cli,
                       char              **out,
                       const char *const  *args)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                        | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *vault = g_strdup_printf ("--vault=%s", f->dir);
  g_autoptr (GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "KOERS_PASSPHRASE", "pass", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_ptr_array_add (argv, (char *) cli);
  g_ptr_array_add (argv, vault);
  g_ptr_array_add (argv, (char *) "--name=Tester");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, NULL, &error));
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

char *
store_fixture_add_client (StoreFixture *f,
                          const char   *name,
                          gboolean      consent)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersClient) client = koers_client_new ();

  client->name = g_strdup (name);
  client->steunpunt_id = g_strdup (f->steunpunt_id);
  {
    gboolean ok = koers_store_add_client (f->store, client, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
  if (consent)
    {
      g_autoptr (KoersConsent) c = koers_consent_new ();
      c->client_id = g_strdup (client->id);
      c->kind = KOERS_CONSENT_STORE_FILE;
      c->granted = TRUE;
      c->recorded_on = g_strdup ("2025-06-01");
      c->recorded_by_id = g_strdup (f->volunteer_id);
      {
    gboolean ok = koers_store_add_consent (f->store, c, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
    }
  return g_strdup (client->id);
}

char *
store_fixture_add_conversation (StoreFixture *f,
                                const char   *client_id,
                                const char   *notes)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersConversation) c = koers_conversation_new ();

  c->client_id = g_strdup (client_id);
  c->held_on = g_strdup ("2025-06-01");
  c->notes = g_strdup (notes);
  {
    gboolean ok = koers_store_add_conversation (f->store, c, &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
  return g_strdup (c->id);
}

gint64
store_fixture_count (StoreFixture *f,
                     const char   *sql)
{
  return store_fixture_count_in (f->store, sql);
}

gint64
store_fixture_count_in (KoersStore *store,
                        const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (koers_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

GBytes *
store_fixture_plain_image (KoersStore *store)
{
  sqlite3 *copy = NULL;
  sqlite3_backup *backup;
  sqlite3_int64 size = 0;
  unsigned char *data;

  g_assert_cmpint (sqlite3_open (":memory:", &copy), ==, SQLITE_OK);
  backup = sqlite3_backup_init (copy, "main", koers_store_get_db (store), "main");
  g_assert_nonnull (backup);
  g_assert_cmpint (sqlite3_backup_step (backup, -1), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_backup_finish (backup), ==, SQLITE_OK);
  data = sqlite3_serialize (copy, "main", &size, 0);
  g_assert_nonnull (data);
  sqlite3_close (copy);
  return g_bytes_new_with_free_func (data, size, sqlite3_free, data);
}

gboolean
store_fixture_image_contains (GBytes     *image,
                              const char *marker)
{
  gsize size;
  const char *data = g_bytes_get_data (image, &size);

  return memmem (data, size, marker, strlen (marker)) != NULL;
}

void
store_fixture_set_phone (StoreFixture *f,
                         const char   *client_id,
                         const char   *phone)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersClient) client = koers_store_get_client (f->store, client_id, &error);

  g_assert_no_error (error);
  g_free (client->phone);
  client->phone = g_strdup (phone);
  g_assert_true (koers_store_update_client (f->store, client, &error));
  g_assert_no_error (error);
}

char *
store_fixture_rows (KoersStore *store,
                    const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (koers_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s\n", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return g_string_free (out, FALSE);
}

char *
store_fixture_export_jsonl (KoersStore *store)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();

  g_assert_true (koers_store_export_jsonl (store, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

#define ADD_OK(call)                \
  G_STMT_START {                    \
    gboolean ok_ = (call);          \
    g_assert_no_error (error);      \
    g_assert_true (ok_);            \
  } G_STMT_END

static void
add_consent (StoreFixture     *f,
             const char       *client_id,
             KoersConsentKind  kind)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersConsent) c = koers_consent_new ();

  c->client_id = g_strdup (client_id);
  c->kind = kind;
  c->granted = TRUE;
  c->recorded_on = g_strdup ("2025-05-01");
  c->recorded_by_id = g_strdup (f->volunteer_id);
  ADD_OK (koers_store_add_consent (f->store, c, &error));
}

static char *
add_plan (StoreFixture *f,
          const char   *client_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersPartnerOrg) partner = koers_partner_org_new ();
  g_autoptr (KoersReturnPlan) plan = koers_return_plan_new ();
  g_autoptr (KoersReturnStep) step = koers_return_step_new ();
  g_autoptr (KoersSupportItem) item = koers_support_item_new ();

  partner->name = g_strdup ("Partner in Eritrea");
  partner->country = g_strdup ("ER");
  ADD_OK (koers_store_add_partner_org (f->store, partner, &error));
  plan->client_id = g_strdup (client_id);
  plan->country = g_strdup ("ER");
  plan->region = g_strdup ("Maekel");
  plan->partner_id = g_strdup (partner->id);
  plan->consultant_id = g_strdup (f->volunteer_id);
  plan->planned_departure = g_strdup ("2025-07-01");
  plan->status = KOERS_PLAN_AGREED;
  ADD_OK (koers_store_add_return_plan (f->store, plan, &error));
  step->plan_id = g_strdup (plan->id);
  step->description = g_strdup ("Laissez-passer aanvragen");
  step->due_on = g_strdup ("2025-06-20");
  ADD_OK (koers_store_add_return_step (f->store, step, &error));
  item->plan_id = g_strdup (plan->id);
  item->kind = KOERS_SUPPORT_HOUSING;
  item->description = g_strdup ("Drie maanden huur");
  ADD_OK (koers_store_add_support_item (f->store, item, &error));
  ADD_OK (koers_store_schedule_checkins (f->store, plan->id, NULL, 0, &error));
  return g_strdup (plan->id);
}

static void
add_conversation_extras (StoreFixture *f,
                         const char   *client_id,
                         const char   *conv_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersNoteAddendum) addendum = koers_note_addendum_new ();
  g_autoptr (KoersNextStep) step = koers_next_step_new ();
  g_autoptr (KoersReferral) referral = koers_referral_new ();

  addendum->conversation_id = g_strdup (conv_id);
  addendum->written_on = g_strdup ("2025-06-02");
  addendum->author_id = g_strdup (f->volunteer_id);
  addendum->text = g_strdup ("Aanvulling met \"aanhalingstekens\", een tab\t en een \\.");
  ADD_OK (koers_store_add_note_addendum (f->store, addendum, &error));
  step->conversation_id = g_strdup (conv_id);
  step->description = g_strdup ("Bellen met de advocaat");
  step->owner_id = g_strdup (f->volunteer_id);
  step->due_on = g_strdup ("2025-06-18");
  ADD_OK (koers_store_add_next_step (f->store, step, &error));
  referral->client_id = g_strdup (client_id);
  referral->counsellor_id = g_strdup (f->counsellor_id);
  referral->reason = g_strdup ("Slaapproblemen");
  referral->referred_on = g_strdup ("2025-06-03");
  ADD_OK (koers_store_add_referral (f->store, referral, &error));
}

char *
store_fixture_add_full_file (StoreFixture *f,
                             const char   *name,
                             const char   *notes,
                             const char   *relative_id)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = store_fixture_add_client (f, name, TRUE);
  g_autoptr (KoersClient) client = koers_store_get_client (f->store, id, NULL);
  g_autoptr (KoersAlias) alias = koers_alias_new ();
  g_autoptr (KoersConversation) conv = koers_conversation_new ();
  g_autofree char *plan = NULL;

  add_consent (f, id, KOERS_CONSENT_SHARE_PARTNER);
  client->birth_year = 1988;
  client->country_of_origin = g_strdup ("ER");
  client->nationality = g_strdup ("ER");
  client->languages = g_strsplit ("Tigrinya;Arabic", ";", -1);
  client->phone = g_strdup ("+31 6 0000 0000");
  client->v_number = g_strdup ("2000000001");
  client->procedure_status = KOERS_PROCEDURE_EXHAUSTED;
  client->phase = KOERS_PHASE_RETURN_SUPPORT;
  ADD_OK (koers_store_update_client (f->store, client, &error));
  alias->client_id = g_strdup (id);
  alias->name = g_strdup_printf ("%s (alias)", name);
  ADD_OK (koers_store_add_alias (f->store, alias, &error));
  if (relative_id != NULL)
    {
      g_autoptr (KoersFamilyLink) link = koers_family_link_new ();
      link->client_id = g_strdup (id);
      link->relative_id = g_strdup (relative_id);
      link->relation = KOERS_RELATION_SIBLING;
      ADD_OK (koers_store_add_family_link (f->store, link, &error));
    }
  conv->client_id = g_strdup (id);
  conv->held_on = g_strdup ("2025-06-01");
  conv->duration_minutes = 50;
  conv->worker_ids = g_strsplit (f->volunteer_id, ";", -1);
  conv->topics = g_strsplit ("voluntary_return", ";", -1);
  conv->barriers = g_strsplit ("fear;no_network", ";", -1);
  conv->psychosocial_signal = TRUE;
  conv->notes = g_strdup (notes);
  ADD_OK (koers_store_add_conversation (f->store, conv, &error));
  add_conversation_extras (f, id, conv->id);
  plan = add_plan (f, id);
  return g_steal_pointer (&id);
}
