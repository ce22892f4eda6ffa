/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-team-sync.c: laptops of one steunpunt read each other's batches
 * (issue 12) against a real nginx drop on 127.0.0.1, with real laptop
 * vaults enrolled by a real office vault: the office publishes the signed
 * device list, each laptop's round uploads, then reads and merges its
 * colleagues' batches with the team key; a laptop of another steunpunt
 * never asks for the first one's folder; bad batches are quarantined and
 * the rest merges; one field edited on two laptops is a conflict on both;
 * all four programs killed with SIGKILL mid-round, then run until quiet,
 * hold the same records. */
#include "config.h"

#define G_LOG_DOMAIN "koers-team-test"

#include <glib/gstdio.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>

#include "dav-server.h"
#include "koers-ack.h"
#include "koers-device-list.h"
#include "koers-enrollment.h"
#include "koers-envelope.h"
#include "koers-office.h"
#include "koers-sync-round.h"
#include "koers-uuid.h"
#include "store-fixture.h"

#define USER "steunpunt"
#define PASSWORD "drop-password"
#define PASS "office-pass"

typedef struct
{
  StoreFixture    base;
  KoersDavClient *client;
  char           *steunpunt;
} Laptop;

typedef struct
{
  KoersTestPki       *pki;
  KoersTestDavServer *server;
  KoersDavClient     *drop;
  char               *dir;
  KoersVault         *vault;
  KoersStore         *store;
  KoersOffice        *office;
  char               *steunpunt_a;
  char               *steunpunt_b;
  Laptop              laptops[3];   /* A and B at steunpunt A, C at steunpunt B */
} Fixture;

/* Fixture data: C at steunpunt A too, a colleague of A and B. */
#define ONE_STEUNPUNT "one-steunpunt"

static void
laptop_setup (Fixture    *f,
              Laptop     *l,
              const char *steunpunt,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = koers_test_dav_server_url (f->server, 0, "drop/");
  KoersOfficeEnrollRequest request = { steunpunt, name, url, USER, PASSWORD, f->pki->ca_pem, NULL };
  g_autoptr(GBytes) file = koers_office_enroll (f->office, &request, &error);
  g_autofree char *device_id = NULL;
  g_autofree char *public_key = NULL;

  g_assert_no_error (error);
  store_fixture_setup (&l->base, NULL);
  l->steunpunt = g_strdup (steunpunt);
  /* as a coordinator does it: enroll on the laptop, register at the office */
  g_assert_true (koers_sync_enroll (l->base.store, file, &device_id, &public_key, &error));
  g_assert_no_error (error);
  g_assert_true (koers_office_register_device (f->office, steunpunt, device_id, public_key, name,
                                               &error));
  g_assert_no_error (error);
  l->client = koers_sync_make_client (l->base.store, &error);
  g_assert_no_error (error);
}

static void
laptop_teardown (Laptop *l)
{
  g_clear_object (&l->client);
  store_fixture_teardown (&l->base, NULL);
  g_free (l->steunpunt);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  KoersKdfParams params = koers_kdf_params_minimum ();
  char *recovery = NULL;

  f->pki = koers_test_pki_new ();
  f->server = koers_test_dav_server_start (KOERS_TEST_DAV_NGINX, f->pki, USER, PASSWORD);
  url = koers_test_dav_server_url (f->server, 0, "drop/");
  f->drop = koers_dav_client_new (url, USER, PASSWORD, f->pki->ca_pem, NULL, &error);
  g_assert_no_error (error);
  f->dir = g_dir_make_tmp ("koers-team-XXXXXX", &error);
  g_assert_no_error (error);
  f->vault = koers_vault_create (f->dir, "office", PASS, &params, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
  f->store = koers_store_new (koers_vault_get_db (f->vault), &error);
  g_assert_no_error (error);
  f->office = koers_office_new (f->store, &error);
  g_assert_no_error (error);
  g_assert_true (koers_office_init_keys (f->office, &error));
  f->steunpunt_a = koers_office_add_steunpunt (f->office, "Steunpunt Utrecht", &error);
  f->steunpunt_b = koers_office_add_steunpunt (f->office, "ستونپونت زوله", &error);
  g_assert_no_error (error);
  laptop_setup (f, &f->laptops[0], f->steunpunt_a, "Laptop spreekuur");
  laptop_setup (f, &f->laptops[1], f->steunpunt_a, "Laptop consulent");
  laptop_setup (f, &f->laptops[2], data != NULL ? f->steunpunt_a : f->steunpunt_b, "ላፕቶፕ ሰለስተ");
  g_assert_true (koers_office_publish_devices (f->office, f->drop, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (f->laptops); i++)
    laptop_teardown (&f->laptops[i]);
  g_clear_object (&f->office);
  g_clear_object (&f->store);
  koers_vault_lock (f->vault);
  g_clear_object (&f->vault);
  g_clear_object (&f->drop);
  koers_test_dav_server_stop (f->server);
  koers_test_pki_free (f->pki);
  g_free (f->steunpunt_a);
  g_free (f->steunpunt_b);
  g_free (f->dir);
}

static KoersSyncRoundResult
round_on (Laptop *l)
{
  g_autoptr(GError) error = NULL;
  KoersSyncRoundResult result;
  gboolean ok = koers_sync_run_round (l->base.store, l->client, NULL, NULL, &result, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  return result;
}

static KoersOfficePullResult
office_pull (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  KoersOfficePullResult r;
  gboolean ok = koers_office_pull (f->office, f->drop, NULL, NULL, &r, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  return r;
}

static KoersConversation *
get_conversation (KoersStore *store,
                  const char *id)
{
  g_autoptr(GError) error = NULL;
  KoersConversation *c = koers_store_get_conversation (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

static gboolean
has_client (Laptop     *l,
            const char *id)
{
  g_autoptr(KoersClient) client = koers_store_get_client (l->base.store, id, NULL);

  return client != NULL;
}

static char *
add_referral (Laptop     *l,
              const char *client_id,
              const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersReferral) r = koers_referral_new ();

  r->client_id = g_strdup (client_id);
  r->counsellor_id = g_strdup (l->base.counsellor_id);
  r->reason = g_strdup (reason);
  r->referred_on = g_strdup ("2025-06-02");
  g_assert_true (koers_store_add_referral (l->base.store, r, &error));
  g_assert_no_error (error);
  return g_strdup (r->id);
}

/* @n clients with a conversation each. */
static void
laptop_make_clients (Laptop *l,
                     guint   n,
                     guint   tag)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Cliënt %u-%u ሰላም", tag, i);
      g_autofree char *id = store_fixture_add_client (&l->base, name, TRUE);
      g_autofree char *conv = store_fixture_add_conversation (&l->base, id, "Gesprek: عودة طوعية");
    }
}

/* A laptop's own batches reached the office, a colleague's reached it;
 * what each holds, read through the store. */
static void
test_colleagues_read (Fixture       *f,
                      gconstpointer  data)
{
  Laptop *a = &f->laptops[0], *b = &f->laptops[1];
  g_autofree char *client = store_fixture_add_client (&a->base, "Tsehay ፀሐይ Gebremedhin", TRUE);
  g_autofree char *conv = store_fixture_add_conversation (&a->base, client,
                                                          "Wil terug naar Eritrea; عودة طوعية");
  g_autoptr(KoersConversation) on_a = get_conversation (a->base.store, conv);
  g_autoptr(KoersConversation) on_b = NULL;
  g_autoptr(KoersReferral) ref_on_a = NULL;
  g_autoptr(KoersClient) client_on_b = NULL;
  g_autoptr(KoersPeerState) peer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *referral = NULL;
  g_autofree char *a_id = g_strdup (koers_store_get_device_id (a->base.store));
  KoersSyncRoundResult r;

  r = round_on (a);
  g_assert_cmpuint (r.n_uploaded, ==, 1);
  g_assert_cmpuint (r.n_read, ==, 0);
  g_assert_false (r.team_waiting);
  g_assert_null (koers_store_get_conversation (b->base.store, conv, NULL));

  r = round_on (b);
  g_assert_cmpuint (r.n_read, ==, 1);
  g_assert_cmpuint (r.n_peer_quarantined, ==, 0);
  on_b = get_conversation (b->base.store, conv);
  g_assert_cmpstr (on_b->notes, ==, on_a->notes);
  g_assert_cmpstr (on_b->held_on, ==, on_a->held_on);
  g_assert_cmpstr (on_b->client_id, ==, client);
  client_on_b = koers_store_get_client (b->base.store, client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (client_on_b->name, ==, "Tsehay ፀሐይ Gebremedhin");
  peer = koers_store_peer_get (b->base.store, a_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (peer->epoch, ==, 1);
  g_assert_cmpint (peer->batches, ==, 1);
  g_assert_cmpint (peer->last_seq, ==, store_fixture_count (&a->base,
                   "SELECT max(device_seq) FROM change_log"));

  /* a second round reads nothing again */
  r = round_on (b);
  g_assert_cmpuint (r.n_read, ==, 0);

  /* B refers; A sees it after its next round */
  referral = add_referral (b, client, "Psychosociale hulp: slaapt slecht");
  r = round_on (b);
  g_assert_cmpuint (r.n_uploaded, ==, 1);
  r = round_on (a);
  /* B's first batch (its fixture's steunpunt and workers) and the referral */
  g_assert_cmpuint (r.n_read, ==, 2);
  ref_on_a = koers_store_get_referral (a->base.store, referral, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ref_on_a->reason, ==, "Psychosociale hulp: slaapt slecht");
  g_assert_cmpstr (ref_on_a->client_id, ==, client);

  /* B never sends A's changes as its own: the office takes each from its
   * maker, and has both */
  g_assert_cmpint (store_fixture_count (&b->base,
                   "SELECT count(*) FROM change_log WHERE origin IS NOT NULL AND device_seq IS NOT NULL"),
                   ==, 0);
  office_pull (f);
  {
    g_autoptr(KoersConversation) at_office = get_conversation (f->store, conv);
    g_autoptr(KoersReferral) ref_at_office = koers_store_get_referral (f->store, referral, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (at_office->notes, ==, on_a->notes);
    g_assert_cmpstr (ref_at_office->reason, ==, "Psychosociale hulp: slaapt slecht");
  }
  /* after the office's acks, both outboxes are empty and nothing is read twice */
  round_on (a);
  round_on (b);
  {
    g_auto(KoersSyncCounts) counts = { 0 };

    g_assert_true (koers_store_sync_get_counts (a->base.store, &counts, &error));
    g_assert_cmpint (counts.unacknowledged_changes, ==, 0);
  }
  g_assert_cmpint (store_fixture_count (&a->base,
                   "SELECT count(*) FROM referral"), ==, 1);
}

static gsize
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gsize) st.st_size : 0;
}

/* C, at the other steunpunt, never asks for steunpunt A's folder. */
static void
test_other_steunpunt_not_requested (Fixture       *f,
                                    gconstpointer  data)
{
  Laptop *a = &f->laptops[0], *c = &f->laptops[2];
  g_autofree char *client = store_fixture_add_client (&a->base, "Farzaneh فرزانه", TRUE);
  g_autofree char *log = NULL;
  g_autofree char *tail = NULL;
  g_autoptr(GError) error = NULL;
  gsize before, len = 0;
  KoersSyncRoundResult r;

  round_on (a);
  office_pull (f);
  g_free (store_fixture_add_client (&c->base, "Yonas ዮናስ", TRUE));
  before = file_size (f->server->access_log);
  r = round_on (c);
  g_assert_cmpuint (r.n_uploaded, ==, 1);
  g_assert_cmpuint (r.n_read, ==, 0);
  g_assert_false (r.team_waiting);
  round_on (c);
  g_assert_true (g_file_get_contents (f->server->access_log, &log, &len, &error));
  g_assert_cmpuint (len, >, before);
  tail = g_strndup (log + before, len - before);
  /* C did talk to the drop, in its own folder, and read its device list */
  g_assert_nonnull (strstr (tail, f->steunpunt_b));
  g_assert_nonnull (strstr (tail, "/devices"));
  g_assert_null (strstr (tail, f->steunpunt_a));
  g_assert_false (has_client (c, client));
}

/* A file on the drop in steunpunt A's folder, as a device would upload it. */
static void
put_batch (Fixture            *f,
           const char         *device,
           const KoersSyncKey *key,
           gboolean            bad_signature)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSyncKey) office = koers_office_get_key (f->office, KOERS_SYNC_KEY_SEAL, &error);
  g_autoptr(KoersSyncKey) team = NULL;
  g_autoptr(KoersSyncKey) office_public = koers_sync_key_copy_public (office);
  g_autoptr(KoersDeviceList) list = NULL;
  g_autoptr(GBytes) jsonl = g_bytes_new_static ("{\"seq\":1}\n", 10);
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *folder = g_strdup_printf ("%s/%s", f->steunpunt_a, device);
  g_autofree char *name = NULL;
  KoersBatchInfo info = { 0 };
  gboolean already = FALSE;
  guint8 team_public[KOERS_SYNC_PUBLIC_BYTES];

  /* the team's public key, as the laptops have it from their enrollment */
  {
    g_autoptr(KoersEnrollment) e = NULL;
    g_autoptr(GBytes) enrollment = koers_store_sync_get_setting (f->laptops[0].base.store,
                                                                 KOERS_SYNC_SETTING_ENROLLMENT, &error);

    e = koers_enrollment_parse (enrollment, NULL, &error);
    g_assert_no_error (error);
    memcpy (team_public, e->team_seal_public, sizeof team_public);
  }
  team = koers_sync_key_new_public (KOERS_SYNC_KEY_SEAL, team_public);
  koers_sync_id_from_uuid (f->steunpunt_a, info.steunpunt_id);
  koers_sync_id_from_uuid (device, info.device_id);
  info.epoch = 1;
  info.first_seq = info.last_seq = 1;
  {
    const KoersSyncKey *recipients[] = { office_public, team };

    sealed = koers_envelope_seal (&info, jsonl, key, recipients, 2, &error);
    g_assert_no_error (error);
  }
  if (bad_signature)
    {
      gsize len;
      guint8 *copy = g_bytes_unref_to_data (g_steal_pointer (&sealed), &len);

      copy[len - 1] ^= 0x40;
      sealed = g_bytes_new_take (copy, len);
    }
  name = koers_envelope_file_name (&info);
  g_assert_true (koers_dav_put_once (f->drop, folder, name, sealed, &already, NULL, &error));
  g_assert_no_error (error);
}

static const KoersPeerQuarantined *
find_refused (GPtrArray  *list,
              const char *device)
{
  for (guint i = 0; i < list->len; i++)
    if (g_str_equal (((KoersPeerQuarantined *) list->pdata[i])->device_id, device))
      return list->pdata[i];
  return NULL;
}

/* A stranger's batch and a forged one are refused with their reason; the
 * colleague's real batch still merges; the refused ones are not fetched
 * again in the next round. */
static void
test_bad_batches_quarantined (Fixture       *f,
                              gconstpointer  data)
{
  Laptop *a = &f->laptops[0], *b = &f->laptops[1];
  g_autoptr(KoersSyncKey) stranger_key = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  g_autoptr(KoersSyncKey) forger_key = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  g_autofree char *stranger = koers_uuid7_new (g_get_real_time () / 1000);
  g_autofree char *b_id = g_strdup (koers_store_get_device_id (b->base.store));
  g_autofree char *client = store_fixture_add_client (&a->base, "Ahmad احمد", TRUE);
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  const KoersPeerQuarantined *entry;
  KoersSyncRoundResult r;

  put_batch (f, stranger, stranger_key, FALSE);
  /* in B's folder, signed by a key that is not B's */
  put_batch (f, b_id, forger_key, FALSE);

  /* A refuses both: the stranger's, and the forgery in B's folder */
  r = round_on (a);
  g_assert_cmpuint (r.n_peer_quarantined, ==, 2);
  g_assert_cmpuint (r.n_read, ==, 0);
  refused = koers_store_peer_list_quarantine (a->base.store, &error);
  g_assert_no_error (error);
  entry = find_refused (refused, b_id);
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->reason_code, ==, "signature");
  entry = find_refused (refused, stranger);
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->reason_code, ==, "unknown-device");

  /* B refuses the stranger's and still merges A's; its own folder is not
   * read, and the forgery under one of its batch names is not taken for a
   * sign that B's vault was restored (no new epoch) */
  r = round_on (b);
  g_assert_false (r.new_epoch);
  g_assert_cmpint (koers_store_sync_get_epoch (b->base.store), ==, 1);
  g_assert_cmpuint (r.n_read, ==, 1);
  g_assert_cmpuint (r.n_peer_quarantined, ==, 1);
  g_assert_true (has_client (b, client));

  /* B's real first batch, which sorts after the forgery, merges on A; the
   * refused files are not fetched again */
  r = round_on (a);
  g_assert_cmpuint (r.n_peer_quarantined, ==, 0);
  g_assert_cmpuint (r.n_read, ==, 1);
  {
    g_autoptr(KoersWorker) counsellor = koers_store_get_worker (a->base.store, b->base.counsellor_id,
                                                                &error);

    g_assert_no_error (error);
    g_assert_nonnull (counsellor);
  }
}

/* koers-cli on @l's vault (closed), in English; its exit status. */
static int
run_cli (Laptop            *l,
         char             **out,
         const char *const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GSubprocess) cli = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *vault = g_strdup_printf ("--vault=%s", l->base.dir);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_setenv (launcher, "KOERS_PASSPHRASE", "pass", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  g_ptr_array_add (argv, (char *) KOERS_CLI);
  g_ptr_array_add (argv, vault);
  g_ptr_array_add (argv, (char *) "--name=Tester");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  cli = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (cli, NULL, NULL, out, NULL, &error));
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (cli);
}

static void close_laptop (Laptop *l);
static void reopen_laptop (Laptop *l);

/* @store holds one open conflict on @client_id: its phone, both values. */
static void
assert_phone_conflict (KoersStore *store,
                       const char *client_id,
                       const char *one,
                       const char *other)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) conflicts = koers_store_list_conflicts (store, client_id, &error);
  g_autofree char *one_json = g_strdup_printf ("\"%s\"", one);
  g_autofree char *other_json = g_strdup_printf ("\"%s\"", other);
  KoersConflict *conflict;
  gboolean seen_one = FALSE, seen_other = FALSE;

  g_assert_no_error (error);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = conflicts->pdata[0];
  g_assert_cmpstr (conflict->field, ==, "phone");
  g_assert_cmpuint (conflict->values->len, ==, 2);
  for (guint j = 0; j < conflict->values->len; j++)
    {
      KoersConflictValue *v = conflict->values->pdata[j];

      seen_one |= g_strcmp0 (v->value, one_json) == 0;
      seen_other |= g_strcmp0 (v->value, other_json) == 0;
    }
  g_assert_true (seen_one && seen_other);
}

/* The same field edited on A and on B: a conflict on both, both values kept. */
static void
test_conflict_on_both (Fixture       *f,
                       gconstpointer  data)
{
  Laptop *a = &f->laptops[0], *b = &f->laptops[1];
  g_autofree char *client = store_fixture_add_client (&a->base, "Mariam مريم", TRUE);

  round_on (a);
  round_on (b);
  store_fixture_set_phone (&a->base, client, "0612345678");
  store_fixture_set_phone (&b->base, client, "0687654321");
  round_on (a);
  round_on (b);
  round_on (a);
  for (guint i = 0; i < 2; i++)
    assert_phone_conflict (f->laptops[i].base.store, client, "0612345678", "0687654321");

  /* koers-cli: a round reads nothing new; the status shows how far A has
   * read B, and the conflict */
  {
    const char *sync[] = { "sync", NULL };
    const char *status[] = { "sync", "--status", NULL };
    g_autofree char *out = NULL;
    g_autofree char *read_b = g_strdup_printf ("Read from laptop %s: up to change 1/%" G_GINT64_FORMAT
                                               " (epoch/change), 2 batches",
                                               koers_store_get_device_id (b->base.store),
                                               store_fixture_count (&b->base,
                                                 "SELECT max(device_seq) FROM change_log"));

    close_laptop (a);
    g_assert_cmpint (run_cli (a, &out, sync), ==, 0);
    g_assert_nonnull (strstr (out, "Read 0 batches of other laptops (0 new changes); 0 wait"));
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (run_cli (a, &out, status), ==, 0);
    g_assert_nonnull (strstr (out, read_b));
    g_assert_nonnull (strstr (out, "Open conflicts: 1\n"));
    g_assert_null (strstr (out, "0612345678"));
    reopen_laptop (a);
  }
}

/* Before the office has listed a laptop, its round uploads and reads
 * nothing, and says why; afterwards it reads. */
static void
test_waits_for_the_list (Fixture       *f,
                         gconstpointer  data)
{
  Laptop *a = &f->laptops[0], *b = &f->laptops[1];
  g_autofree char *path = g_strdup_printf ("%s/devices", f->steunpunt_a);
  g_autoptr(GError) error = NULL;
  g_autofree char *client = store_fixture_add_client (&a->base, "Dawit ዳዊት", TRUE);
  KoersSyncRoundResult r;

  g_assert_true (koers_dav_client_delete (f->drop, path, NULL, &error));
  round_on (a);
  r = round_on (b);
  g_assert_true (r.team_waiting);
  g_assert_cmpuint (r.n_read, ==, 0);
  g_assert_true (koers_office_publish_devices (f->office, f->drop, "Steunpunt Utrecht", NULL, &error));
  g_assert_no_error (error);
  r = round_on (b);
  g_assert_false (r.team_waiting);
  g_assert_cmpuint (r.n_read, ==, 1);
  g_assert_true (has_client (b, client));
}

/* The device list on the drop altered, or replaced by an older one: the
 * laptop warns and goes on with the list it kept. A revoked device: its
 * batches up to the revocation still count, a later one is refused, and
 * it gets no team key any more. */
static void
test_list_tampered_and_revoked (Fixture       *f,
                                gconstpointer  data)
{
  Laptop *a = &f->laptops[0], *b = &f->laptops[1];
  g_autofree char *path = g_strdup_printf ("%s/devices", f->steunpunt_a);
  g_autofree char *a_id = g_strdup (koers_store_get_device_id (a->base.store));
  g_autofree char *first = store_fixture_add_client (&a->base, "Hamid حمید", TRUE);
  g_autofree char *later = NULL;
  g_autoptr(GBytes) old_list = NULL;
  g_autoptr(GBytes) altered = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  KoersSyncRoundResult r;

  old_list = koers_dav_client_get (f->drop, path, KOERS_DEVICE_LIST_MAX_FILE, NULL, &error);
  g_assert_no_error (error);
  round_on (a);
  office_pull (f);   /* imports A's batch, publishes a newer list */

  /* one byte of the list changed on the drop */
  {
    g_autoptr(GBytes) current = koers_dav_client_get (f->drop, path, KOERS_DEVICE_LIST_MAX_FILE, NULL, &error);
    gsize len;
    guint8 *copy = g_memdup2 (g_bytes_get_data (current, &len), g_bytes_get_size (current));

    copy[90] ^= 0x01;
    altered = g_bytes_new_take (copy, len);
  }
  r = round_on (b);   /* B keeps the office's newer list */
  g_assert_cmpuint (r.n_read, ==, 1);
  g_assert_true (koers_dav_client_put (f->drop, path, altered, NULL, &error));
  g_test_expect_message ("koers-sync", G_LOG_LEVEL_WARNING, "Ignored the device list on the drop: *not signed*");
  r = round_on (b);
  g_test_assert_expected_messages ();
  g_assert_true (r.bogus_device_list);
  g_assert_false (r.team_waiting);
  /* the older list, properly signed, does not replace the newer one */
  g_assert_true (koers_dav_client_put (f->drop, path, old_list, NULL, &error));
  g_test_expect_message ("koers-sync", G_LOG_LEVEL_WARNING, "Ignored the device list on the drop: *older*");
  r = round_on (b);
  g_test_assert_expected_messages ();
  g_assert_true (r.bogus_device_list);

  /* A is revoked (lost): what the office had from it stays, a later batch
   * is refused on B, and A cannot open the team key any more */
  g_assert_true (koers_office_revoke_device (f->office, a_id, &error));
  g_assert_true (koers_office_publish_devices (f->office, f->drop, NULL, NULL, &error));
  g_assert_no_error (error);
  later = store_fixture_add_client (&a->base, "Na de diefstal", TRUE);
  r = round_on (a);
  g_assert_cmpuint (r.n_uploaded, ==, 1);
  g_assert_true (r.team_waiting);
  r = round_on (b);
  g_assert_cmpuint (r.n_peer_quarantined, ==, 1);
  g_assert_cmpuint (r.n_read, ==, 0);
  g_assert_true (has_client (b, first));
  g_assert_false (has_client (b, later));
  refused = koers_store_peer_list_quarantine (b->base.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refused->len, ==, 1);
  g_assert_cmpstr (((KoersPeerQuarantined *) refused->pdata[0])->reason_code, ==, "revoked");
}

/* @argv, a program built with the sync test hooks, killed with SIGKILL at
 * its @crash_at-th crash point (0: never): -1 when killed, else its exit
 * status. Its vault must be closed here. */
static int
run_killable (const char *const *argv,
              guint              crash_at)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *at = g_strdup_printf ("%u", crash_at);

  if (crash_at > 0)
    g_subprocess_launcher_setenv (launcher, "KOERS_SYNC_CRASH_AT", at, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_setenv (launcher, "KOERS_PASSPHRASE", PASS, TRUE);   /* the office's */
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (process, NULL, &error));
  if (g_subprocess_get_if_signaled (process))
    {
      g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
      return -1;
    }
  return g_subprocess_get_exit_status (process);
}

/* One round of @l in the test-hook build of the sync code. */
static int
driver_round (Laptop *l,
              guint   crash_at)
{
  const char *argv[] = { SYNC_CRASH_DRIVER, l->base.dir, NULL };

  return run_killable (argv, crash_at);
}

static void
close_laptop (Laptop *l)
{
  g_clear_object (&l->client);
  g_clear_object (&l->base.store);
  koers_vault_lock (l->base.vault);
}

static void
reopen_laptop (Laptop *l)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_vault_unlock (l->base.vault, "Tester", "pass", &error));
  l->base.store = koers_store_new (koers_vault_get_db (l->base.vault), &error);
  g_assert_no_error (error);
  koers_store_set_current_worker (l->base.store, l->base.volunteer_id);
  l->client = koers_sync_make_client (l->base.store, &error);
  g_assert_no_error (error);
}

/* B's round killed at every crash point in turn (cutting, uploading,
 * reading the ack, before and after each merge of A's batches), then run
 * until it finishes: B holds each of A's changes exactly once, and every
 * record of A as A has it. */
static void
test_killed_pull (Fixture       *f,
                  gconstpointer  data)
{
  Laptop *a = &f->laptops[0], *b = &f->laptops[1];
  g_autofree char *a_id = g_strdup (koers_store_get_device_id (a->base.store));
  g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) FROM change_log WHERE origin = '%s'", a_id);
  guint kills = 0, crash_at = 1;
  gint64 a_changes;
  int status;

  /* A's work in six batches (the first with its fixture's records) */
  for (guint i = 0; i < 6; i++)
    {
      laptop_make_clients (a, 4, i);
      round_on (a);
    }
  a_changes = store_fixture_count (&a->base, "SELECT count(*) FROM change_log WHERE origin IS NULL");
  g_free (store_fixture_add_client (&b->base, "Selam ሰላም", TRUE));
  close_laptop (b);
  /* kill points 1..4 in turn: each run dies soon, at most one merge
   * further than the last (its points are counted from its own start:
   * after leftovers, before and after cutting, uploading, each merge) */
  while ((status = driver_round (b, crash_at)) == -1)
    {
      kills++;
      crash_at = crash_at % 4 + 1;
      g_assert_cmpuint (kills, <, 200);
    }
  g_assert_cmpint (status, ==, 0);
  g_test_message ("%u kills", kills);
  /* killed before and after each of A's six batches at least */
  g_assert_cmpuint (kills, >=, 12);
  reopen_laptop (b);
  g_assert_cmpint (store_fixture_count (&b->base, count_sql), ==, a_changes);
  g_assert_cmpint (store_fixture_count (&b->base, "SELECT count(*) FROM conversation"), ==,
                   store_fixture_count (&a->base, "SELECT count(*) FROM conversation"));
  g_assert_cmpint (store_fixture_count (&b->base, "SELECT count(*) FROM client"), ==,
                   store_fixture_count (&a->base, "SELECT count(*) FROM client") + 1);
  g_assert_cmpint (store_fixture_count (&b->base,
                   "SELECT count(DISTINCT hlc || device_id) - count(*) FROM change_log"), ==, 0);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KoersPeerState) peer = koers_store_peer_get (b->base.store, a_id, &error);

    g_assert_cmpint (peer->batches, ==, 6);
    g_assert_cmpint (peer->last_seq, ==, a_changes);
  }
  /* B's own work went up whole: the office takes it, and A reads it */
  office_pull (f);
  {
    KoersSyncRoundResult r = round_on (a);

    g_assert_cmpuint (r.n_read, >=, 1);
    g_assert_cmpuint (r.n_peer_quarantined, ==, 0);
  }
  g_assert_cmpint (store_fixture_count (&a->base, "SELECT count(*) FROM client"), ==,
                   store_fixture_count (&b->base, "SELECT count(*) FROM client"));
}

/* --- all four programs killed ------------------------------------------- */

enum { OFFICE = 3, N_PROGRAMS = 4 };

/* Kills per program before the rounds stop: at least this many each, and
 * KILLS_TOTAL in all. */
#define KILLS_EACH 12
#define KILLS_TOTAL 50
#define CRASH_STRIDE 3

static void
close_office (Fixture *f)
{
  g_clear_object (&f->office);
  g_clear_object (&f->store);
  koers_vault_lock (f->vault);
}

static void
reopen_office (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_vault_unlock (f->vault, "office", PASS, &error));
  f->store = koers_store_new (koers_vault_get_db (f->vault), &error);
  g_assert_no_error (error);
  f->office = koers_office_new (f->store, &error);
  g_assert_no_error (error);
}

/* `koers-office pull` (the build with the test hooks) on the office's
 * vault, closed here. */
static int
office_program_pull (Fixture *f,
                     guint    crash_at)
{
  const char *argv[] = { KOERS_OFFICE_CRASH, "--vault", f->dir, "pull", NULL };

  return run_killable (argv, crash_at);
}

/* The drop in the office's vault, for the program: `koers-office drop set`. */
static void
office_program_set_drop (Fixture *f)
{
  g_autofree char *url = koers_test_dav_server_url (f->server, 0, "drop/");
  g_autofree char *password = g_build_filename (f->pki->dir, "drop-password", NULL);
  g_autofree char *ca = g_build_filename (f->pki->dir, "ca.pem", NULL);
  const char *argv[] = { KOERS_OFFICE_CRASH, "--vault", f->dir, "drop", "set", url, "--user", USER,
                         "--password-file", password, "--ca", ca, NULL };

  g_assert_true (g_file_set_contents (password, PASSWORD, -1, NULL));
  g_assert_cmpint (run_killable (argv, 0), ==, 0);
  g_unlink (password);
}

/* No ack on the drop names a batch the office has not committed. */
static void
assert_acks_committed (Fixture    *f,
                       char      **devices)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSyncKey) sign = koers_office_get_key (f->office, KOERS_SYNC_KEY_SIGN, &error);
  guint8 steunpunt[KOERS_SYNC_ID_BYTES];

  g_assert_no_error (error);
  koers_sync_id_from_uuid (f->steunpunt_a, steunpunt);
  for (guint i = 0; devices[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s/ack", f->steunpunt_a, devices[i]);
      g_autoptr(GBytes) file = koers_dav_client_get (f->drop, path, 4 * KOERS_ACK_BYTES, NULL, &error);
      g_autofree char *hex = NULL;
      g_autofree char *sql = NULL;
      guint8 device[KOERS_SYNC_ID_BYTES];
      KoersAck ack;

      if (g_error_matches (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_FOUND))
        {
          g_clear_error (&error);
          continue;
        }
      g_assert_no_error (error);
      koers_sync_id_from_uuid (devices[i], device);
      g_assert_true (koers_ack_read (file, koers_sync_key_get_public (sign), steunpunt, device, &ack,
                                     &error));
      g_assert_no_error (error);
      hex = koers_sync_hash_to_hex (ack.acked.hash);
      sql = g_strdup_printf ("SELECT count(*) FROM office_batch WHERE device_id = '%s' AND epoch = %u"
                             " AND last_seq = %" G_GUINT64_FORMAT " AND lower (hex (hash)) = '%s'",
                             devices[i], ack.acked.epoch, ack.acked.last_seq, hex);
      g_assert_cmpint (store_fixture_count_in (f->store, sql), ==, 1);
    }
}

/* More work on @l between two rounds (its vault closed before and after):
 * a conversation on the file all three work on, a new phone number in its
 * own file, now and then a referral there. */
static void
laptop_work (Laptop     *l,
             const char *shared,
             const char *own,
             guint       round)
{
  static const char *const notes[] = {
    "ተዛሪብና ብዛዕባ ምምላስ ናብ ኤርትራ", "تحدثنا عن العودة الطوعية", "Gesprek over de terugkeer; tolk aanwezig",
  };

  g_autofree char *phone = g_strdup_printf ("06 %08u", round);

  reopen_laptop (l);
  g_free (store_fixture_add_conversation (&l->base, shared, notes[round % G_N_ELEMENTS (notes)]));
  store_fixture_set_phone (&l->base, own, phone);
  if (round % 4 == 0)
    g_free (add_referral (l, own, "Juridisch advies: ሕጋዊ ምኽሪ"));
  close_laptop (l);
}

/* What must be the same everywhere: the records and the open conflicts. */
static char *
canonical_export (KoersStore *store)
{
  g_autofree char *records = store_fixture_export_jsonl (store);
  g_autofree char *conflicts = store_fixture_rows (store,
    "SELECT entity || ' ' || entity_id || ' ' || field || ' ' || heads || ' ' || shown"
    " FROM sync_conflict ORDER BY 1");

  return g_strconcat (records, conflicts, NULL);
}

/* Every change @device made, as each store holds it. */
static char *
changes_of_device (KoersStore *store,
                   const char *device)
{
  g_autofree char *sql = g_strdup_printf ("SELECT hlc || ' ' || entity || ' ' || entity_id || ' ' || op"
                                          " || ' ' || coalesce (fields, '') FROM change_log"
                                          " WHERE device_id = '%s' ORDER BY hlc, seq", device);

  return store_fixture_rows (store, sql);
}

/* One round of each laptop, then a pull, in this process: what moved. */
static guint
round_of_four (Fixture *f)
{
  KoersOfficePullResult pulled;
  guint moved = 0;

  for (guint i = 0; i < G_N_ELEMENTS (f->laptops); i++)
    {
      KoersSyncRoundResult r = round_on (&f->laptops[i]);

      moved += r.n_uploaded + r.n_acknowledged + r.n_read + r.n_held + r.n_peer_quarantined;
    }
  pulled = office_pull (f);
  return moved + pulled.imported + pulled.held + pulled.quarantined + pulled.acks;
}

/* Counted everywhere: as many as the laptops made. */
static const char *const record_kinds[] = { "client", "conversation", "referral", "return_plan" };

/* The records of @kind the laptops made (inserts in their own logs). */
static gint64
records_made (Fixture    *f,
              const char *kind)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM change_log WHERE origin IS NULL"
                                          " AND entity = '%s' AND op = 'insert'", kind);
  gint64 n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (f->laptops); i++)
    n += store_fixture_count (&f->laptops[i].base, sql);
  return n;
}

static gint64
count_records (KoersStore *store,
               const char *kind)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", kind);

  return store_fixture_count_in (store, sql);
}

static gboolean
enough_kills (const guint *kills)
{
  guint total = 0;

  for (guint p = 0; p < N_PROGRAMS; p++)
    {
      if (kills[p] < KILLS_EACH)
        return FALSE;
      total += kills[p];
    }
  return total >= KILLS_TOTAL;
}

/* The rounds with kills: in each, all three laptops work, then laptop A,
 * B, C and the office run one after the other, two of them killed at
 * their next crash point (A and C in one round, B and the office in the
 * next). The laptops cut one change a batch, so a round has several
 * batches to cut, upload, merge and acknowledge, and a kill can fall
 * between two of them; a program's next point is CRASH_STRIDE further
 * on, and once a run of it got through them all, it starts again one
 * point later than the last time. */
static void
rounds_with_kills (Fixture    *f,
                   const char *shared,
                   char      **own,
                   char      **devices,
                   guint      *kills)
{
  guint crash_at[N_PROGRAMS] = { 1, 1, 1, 1 };
  guint phase[N_PROGRAMS] = { 0 };
  guint deepest[N_PROGRAMS] = { 0 };
  guint round;

  g_setenv ("KOERS_SYNC_CUT_BYTES", "1", TRUE);
  for (round = 0; !enough_kills (kills) && round < 4 * KILLS_EACH; round++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (f->laptops); i++)
        laptop_work (&f->laptops[i], shared, own[i], round);
      for (guint p = 0; p < N_PROGRAMS; p++)
        {
          gboolean victim = (p + round) % 2 == 0;
          guint at = victim ? crash_at[p] : 0;
          int status = p == OFFICE ? office_program_pull (f, at) : driver_round (&f->laptops[p], at);

          if (status == -1)
            {
              kills[p]++;
              deepest[p] = MAX (deepest[p], at);
            }
          else
            g_assert_cmpint (status, ==, 0);
          if (victim && status == -1)
            crash_at[p] += CRASH_STRIDE;
          else if (victim)
            crash_at[p] = ++phase[p] % CRASH_STRIDE + 1;
        }
      reopen_office (f);
      assert_acks_committed (f, devices);
      close_office (f);
    }
  g_unsetenv ("KOERS_SYNC_CUT_BYTES");
  g_test_message ("%u rounds; killed laptop A %u, B %u, C %u times, the office %u times;"
                  " at points up to %u, %u, %u, %u of a run", round, kills[0], kills[1], kills[2],
                  kills[OFFICE], deepest[0], deepest[1], deepest[2], deepest[OFFICE]);
  /* the kills reached past the uploads and the ack into the merges of
   * the colleagues' batches (a laptop's 14th point on: leftovers, ack, two
   * batches cut and uploaded, ack come first), and the office's past its
   * first device's ack (its 7th on: two merges, then the ack) */
  for (guint i = 0; i < G_N_ELEMENTS (f->laptops); i++)
    g_assert_cmpuint (deepest[i], >=, 14);
  g_assert_cmpuint (deepest[OFFICE], >=, 7);
}

/* Before the kills: each laptop's own work (a whole file: conversation,
 * referral, return plan…; two more clients), a file all three hold, whose
 * phone number A and B then both change. */
static void
work_before_kills (Fixture    *f,
                   const char *shared,
                   char      **own,
                   char      **devices)
{
  static const char *const names[] = { "Tsega ፀጋ Haile", "Noor نور Haddad", "Selamawit ሰላማዊት Tesfay" };

  for (guint i = 0; i < G_N_ELEMENTS (f->laptops); i++)
    {
      Laptop *l = &f->laptops[i];

      own[i] = store_fixture_add_full_file (&l->base, names[i], "Eerste gesprek; ሓገዝ ንምምላስ; مساعدة", NULL);
      laptop_make_clients (l, 2, i);
      devices[i] = g_strdup (koers_store_get_device_id (l->base.store));
    }
  for (guint i = 0; i < G_N_ELEMENTS (f->laptops); i++)
    round_on (&f->laptops[i]);
  store_fixture_set_phone (&f->laptops[0].base, shared, "0612345678");
  store_fixture_set_phone (&f->laptops[1].base, shared, "0687654321");
}

/* Each laptop's changes, each once, in all four stores; at the office as
 * received too; none waits for an ack; nothing was refused anywhere. */
static void
assert_changes_everywhere (Fixture     *f,
                           KoersStore **stores,
                           char       **devices)
{
  for (guint i = 0; i < G_N_ELEMENTS (f->laptops); i++)
    {
      Laptop *l = &f->laptops[i];
      g_autofree char *made = changes_of_device (l->base.store, devices[i]);
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM office_change WHERE device_id = '%s'",
                                              devices[i]);
      g_auto(KoersSyncCounts) counts = { 0 };
      g_autoptr(GError) error = NULL;

      for (guint p = 0; p < N_PROGRAMS; p++)
        {
          g_autofree char *there = changes_of_device (stores[p], devices[i]);

          g_assert_cmpstr (there, ==, made);
        }
      g_assert_cmpint (store_fixture_count_in (f->store, sql), ==,
                       store_fixture_count (&l->base, "SELECT count(*) FROM change_log WHERE origin IS NULL"));
      g_assert_true (koers_store_sync_get_counts (l->base.store, &counts, &error));
      g_assert_no_error (error);
      g_assert_cmpint (counts.unacknowledged_changes, ==, 0);
      g_assert_cmpint (store_fixture_count (&l->base, "SELECT count(*) FROM sync_peer_quarantine"), ==, 0);
    }
  g_assert_cmpint (store_fixture_count_in (f->store, "SELECT count(*) FROM office_quarantine"), ==, 0);
}

/* A, B, C and the office hold the same records and open conflicts (the
 * phone number's among them), no stamp twice, as many records of each
 * kind as the laptops made, every change everywhere. */
static void
assert_same_everywhere (Fixture    *f,
                        const char *shared,
                        char      **devices)
{
  KoersStore *stores[N_PROGRAMS] = { f->laptops[0].base.store, f->laptops[1].base.store,
                                     f->laptops[2].base.store, f->store };
  g_autofree char *reference = canonical_export (f->store);

  for (guint p = 0; p < N_PROGRAMS; p++)
    {
      g_autofree char *mine = canonical_export (stores[p]);

      g_assert_cmpstr (mine, ==, reference);
      assert_phone_conflict (stores[p], shared, "0612345678", "0687654321");
      g_assert_cmpint (store_fixture_count_in (stores[p],
                       "SELECT count(*) FROM (SELECT 1 FROM change_log GROUP BY hlc, device_id"
                       " HAVING count(*) > 1)"), ==, 0);
      for (guint k = 0; k < G_N_ELEMENTS (record_kinds); k++)
        g_assert_cmpint (count_records (stores[p], record_kinds[k]), ==, records_made (f, record_kinds[k]));
    }
  assert_changes_everywhere (f, stores, devices);
}

/* Laptops A, B and C of one steunpunt and the office: each program in turn
 * killed with SIGKILL at one of its crash points (a laptop's: before and
 * after cutting, uploading, applying the ack, each merge of a colleague's
 * batch; the office's: before and after each merge, before and after each
 * ack, before the device list), round after round while the three keep
 * working, then rounds without kills until nothing moves. All four hold
 * the same records and open conflicts, each change of each laptop exactly
 * once, and no ack on the drop ever named a batch the office had not
 * committed. */
static void
test_all_four_killed (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *shared = store_fixture_add_client (&f->laptops[0].base, "Abrehet ኣብርሀት Kidane", TRUE);
  g_auto(GStrv) own = g_new0 (char *, G_N_ELEMENTS (f->laptops) + 1);
  g_auto(GStrv) devices = g_new0 (char *, G_N_ELEMENTS (f->laptops) + 1);
  guint kills[N_PROGRAMS] = { 0 };
  guint rounds = 0;
  gint64 start = g_get_monotonic_time ();

  work_before_kills (f, shared, own, devices);
  close_office (f);
  office_program_set_drop (f);
  for (guint i = 0; i < G_N_ELEMENTS (f->laptops); i++)
    close_laptop (&f->laptops[i]);
  rounds_with_kills (f, shared, own, devices, kills);
  g_assert_true (enough_kills (kills));

  for (guint i = 0; i < G_N_ELEMENTS (f->laptops); i++)
    reopen_laptop (&f->laptops[i]);
  reopen_office (f);
  while (round_of_four (f) > 0)
    g_assert_cmpuint (++rounds, <, 5);
  g_test_message ("quiet after %u more rounds; %" G_GINT64_FORMAT " ms in all", rounds + 1,
                  (g_get_monotonic_time () - start) / 1000);
  assert_acks_committed (f, devices);
  assert_same_everywhere (f, shared, devices);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (sodium_init () < 0)
    return 1;
  if (!koers_test_dav_kind_available (KOERS_TEST_DAV_NGINX))
    {
      g_test_skip ("nginx with the dav modules is not installed");
      return g_test_run ();
    }
  g_test_add ("/team-sync/colleagues-read", Fixture, NULL, fixture_setup, test_colleagues_read,
              fixture_teardown);
  g_test_add ("/team-sync/other-steunpunt-not-requested", Fixture, NULL, fixture_setup,
              test_other_steunpunt_not_requested, fixture_teardown);
  g_test_add ("/team-sync/bad-batches-quarantined", Fixture, NULL, fixture_setup,
              test_bad_batches_quarantined, fixture_teardown);
  g_test_add ("/team-sync/conflict-on-both", Fixture, NULL, fixture_setup, test_conflict_on_both,
              fixture_teardown);
  g_test_add ("/team-sync/waits-for-the-list", Fixture, NULL, fixture_setup, test_waits_for_the_list,
              fixture_teardown);
  g_test_add ("/team-sync/list-tampered-and-revoked", Fixture, NULL, fixture_setup,
              test_list_tampered_and_revoked, fixture_teardown);
  g_test_add ("/team-sync/killed-pull", Fixture, NULL, fixture_setup, test_killed_pull,
              fixture_teardown);
  g_test_add ("/team-sync/all-four-killed", Fixture, ONE_STEUNPUNT, fixture_setup,
              test_all_four_killed, fixture_teardown);
  return g_test_run ();
}
