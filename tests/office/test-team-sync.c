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

#include "koers-ack.h"
#include "koers-device-list.h"
#include "koers-enrollment.h"
#include "koers-envelope-private.h"
#include "koers-office.h"
#include "koers-read-note.h"
#include "koers-sync-pull.h"
#include "koers-sync-round.h"
#include "koers-team-keys.h"
#include "koers-uuid.h"
#include "office-fixture.h"
#include "store-fixture.h"

#define USER "steunpunt"
#define PASSWORD "drop-password"
#define PASS OFFICE_FIXTURE_PASS

typedef struct
{
  StoreFixture    base;
  KoersDavClient *client;
  char           *steunpunt;
} Laptop;

typedef struct
{
  OfficeFixture base;
  Laptop        laptops[3];   /* A and B at steunpunt A, C at steunpunt B */
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
  g_autofree char *url = koers_test_dav_server_url (f->base.server, 0, "drop/");
  KoersOfficeEnrollRequest request = { steunpunt, name, url, USER, PASSWORD, f->base.pki->ca_pem, NULL };
  g_autoptr(GBytes) file = koers_office_enroll (f->base.office, &request, &error);
  g_autofree char *device_id = NULL;
  g_autofree char *public_key = NULL;

  g_assert_no_error (error);
  store_fixture_setup (&l->base, NULL);
  l->steunpunt = g_strdup (steunpunt);
  /* as a coordinator does it: enroll on the laptop, register at the office */
  g_assert_true (koers_sync_enroll (l->base.store, file, &device_id, &public_key, &error));
  g_assert_no_error (error);
  g_assert_true (koers_office_register_device (f->base.office, steunpunt, device_id, public_key, name,
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

  office_fixture_setup (&f->base, "koers-team-XXXXXX", USER, PASSWORD);
  laptop_setup (f, &f->laptops[0], f->base.steunpunt_a, "Laptop spreekuur");
  laptop_setup (f, &f->laptops[1], f->base.steunpunt_a, "Laptop consulent");
  laptop_setup (f, &f->laptops[2], data != NULL ? f->base.steunpunt_a : f->base.steunpunt_b, "ላፕቶፕ ሰለስተ");
  g_assert_true (koers_office_publish_devices (f->base.office, f->base.drop, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (f->laptops); i++)
    laptop_teardown (&f->laptops[i]);
  office_fixture_teardown (&f->base);
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
  gboolean ok = koers_office_pull (f->base.office, f->base.drop, NULL, NULL, &r, NULL, &error);

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
  store_fixture_add_clients (&l->base, n, "Cliënt", tag, " ሰላም");
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
    g_autoptr(KoersConversation) at_office = get_conversation (f->base.store, conv);
    g_autoptr(KoersReferral) ref_at_office = koers_store_get_referral (f->base.store, referral, &error);

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
  before = file_size (f->base.server->access_log);
  r = round_on (c);
  g_assert_cmpuint (r.n_uploaded, ==, 1);
  g_assert_cmpuint (r.n_read, ==, 0);
  g_assert_false (r.team_waiting);
  round_on (c);
  g_assert_true (g_file_get_contents (f->base.server->access_log, &log, &len, &error));
  g_assert_cmpuint (len, >, before);
  tail = g_strndup (log + before, len - before);
  /* C did talk to the drop, in its own folder, and read its device list */
  g_assert_nonnull (strstr (tail, f->base.steunpunt_b));
  g_assert_nonnull (strstr (tail, "/devices"));
  g_assert_null (strstr (tail, f->base.steunpunt_a));
  g_assert_false (has_client (c, client));
}

/* @sealed uploaded once to @folder on the drop, under the file name of
 * @info, as the engine names its batches. */
static void
put_sealed (Fixture              *f,
            const char           *folder,
            const KoersBatchInfo *info,
            GBytes               *sealed)
{
  g_autofree char *name = koers_envelope_file_name (info);

  office_fixture_put (&f->base, folder, name, sealed);
}

/* A file on the drop in steunpunt A's folder, as a device would upload it. */
static void
put_batch (Fixture            *f,
           const char         *device,
           const KoersSyncKey *key,
           gboolean            bad_signature)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSyncKey) office = koers_office_get_key (f->base.office, KOERS_SYNC_KEY_SEAL, &error);
  g_autoptr(KoersSyncKey) team = NULL;
  g_autoptr(KoersSyncKey) office_public = koers_sync_key_copy_public (office);
  g_autoptr(KoersDeviceList) list = NULL;
  g_autoptr(GBytes) jsonl = g_bytes_new_static ("{\"seq\":1}\n", 10);
  g_autoptr(GBytes) sealed = NULL;
  g_autofree char *folder = g_strdup_printf ("%s/%s", f->base.steunpunt_a, device);
  KoersBatchInfo info = { 0 };
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
  koers_sync_id_from_uuid (f->base.steunpunt_a, info.steunpunt_id);
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
  put_sealed (f, folder, &info, sealed);
}

/* The first of the refused batches in @list from @device (NULL: any)
 * refused for @reason_code (NULL: any); NULL if there is none. */
static const KoersPeerQuarantined *
find_refused (GPtrArray  *list,
              const char *device,
              const char *reason_code)
{
  for (guint i = 0; i < list->len; i++)
    {
      const KoersPeerQuarantined *q = list->pdata[i];

      if ((device == NULL || g_str_equal (q->device_id, device))
          && (reason_code == NULL || g_str_equal (q->reason_code, reason_code)))
        return q;
    }
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
  entry = find_refused (refused, b_id, NULL);
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->reason_code, ==, "signature");
  entry = find_refused (refused, stranger, NULL);
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
    g_assert_cmpint (store_fixture_run_cli (&a->base, KOERS_CLI, &out, sync), ==, 0);
    g_assert_nonnull (strstr (out, "Read 0 batches of other laptops (0 new changes); 0 wait"));
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (store_fixture_run_cli (&a->base, KOERS_CLI, &out, status), ==, 0);
    g_assert_nonnull (strstr (out, read_b));
    g_assert_nonnull (strstr (out, "Open conflicts: 1\n"));
    g_assert_null (strstr (out, "0612345678"));
    g_assert_null (strstr (out, "laptop " KOERS_SYNC_OFFICE_UUID));
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
  g_autofree char *path = g_strdup_printf ("%s/devices", f->base.steunpunt_a);
  g_autoptr(GError) error = NULL;
  g_autofree char *client = store_fixture_add_client (&a->base, "Dawit ዳዊት", TRUE);
  KoersSyncRoundResult r;

  g_assert_true (koers_dav_client_delete (f->base.drop, path, NULL, &error));
  round_on (a);
  r = round_on (b);
  g_assert_true (r.team_waiting);
  g_assert_cmpuint (r.n_read, ==, 0);
  g_assert_true (koers_office_publish_devices (f->base.office, f->base.drop, "Steunpunt Utrecht", NULL, &error));
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
  g_autofree char *path = g_strdup_printf ("%s/devices", f->base.steunpunt_a);
  g_autofree char *a_id = g_strdup (koers_store_get_device_id (a->base.store));
  g_autofree char *first = store_fixture_add_client (&a->base, "Hamid حمید", TRUE);
  g_autofree char *later = NULL;
  g_autoptr(GBytes) old_list = NULL;
  g_autoptr(GBytes) altered = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  KoersSyncRoundResult r;

  old_list = koers_dav_client_get (f->base.drop, path, KOERS_DEVICE_LIST_MAX_FILE, NULL, &error);
  g_assert_no_error (error);
  round_on (a);
  office_pull (f);   /* imports A's batch, publishes a newer list */

  /* one byte of the list changed on the drop */
  {
    g_autoptr(GBytes) current = koers_dav_client_get (f->base.drop, path, KOERS_DEVICE_LIST_MAX_FILE, NULL, &error);
    gsize len;
    guint8 *copy = g_memdup2 (g_bytes_get_data (current, &len), g_bytes_get_size (current));

    copy[90] ^= 0x01;
    altered = g_bytes_new_take (copy, len);
  }
  r = round_on (b);   /* B keeps the office's newer list */
  g_assert_cmpuint (r.n_read, ==, 1);
  g_assert_true (koers_dav_client_put (f->base.drop, path, altered, NULL, &error));
  g_test_expect_message ("koers-sync", G_LOG_LEVEL_WARNING, "Ignored the device list on the drop: *not signed*");
  r = round_on (b);
  g_test_assert_expected_messages ();
  g_assert_true (r.bogus_device_list);
  g_assert_false (r.team_waiting);
  /* the older list, properly signed, does not replace the newer one */
  g_assert_true (koers_dav_client_put (f->base.drop, path, old_list, NULL, &error));
  g_test_expect_message ("koers-sync", G_LOG_LEVEL_WARNING, "Ignored the device list on the drop: *older*");
  r = round_on (b);
  g_test_assert_expected_messages ();
  g_assert_true (r.bogus_device_list);

  /* A is revoked (lost): what the office had from it stays, a later batch
   * is refused on B, and A cannot open the team key any more */
  g_assert_true (koers_office_revoke_device (f->base.office, a_id, &error));
  g_assert_true (koers_office_publish_devices (f->base.office, f->base.drop, NULL, NULL, &error));
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

/* From the office to the laptops ------------------------------------------------ */

#define GONE_NAME  "Xanthippe Quorvalis"
#define GONE_NOTES "Kumquatgeheim bij de grensovergang"
#define KEPT_NAME  "Theodora Blijftbewaard"

/* No decrypted page of @store (free pages included) holds the erased
 * file; the kept file is there (the scan finds what is there). */
static void
assert_erased_from (KoersStore *store,
                    gboolean    kept_there)
{
  g_autoptr(GBytes) image = store_fixture_plain_image (store);
  static const char *const gone[] = { GONE_NAME, "Quorvalis", "quorvalis", "Kumquatgeheim",
                                      "kumquatgeheim", NULL };

  if (kept_there)
    g_assert_true (store_fixture_image_contains (image, KEPT_NAME));
  for (guint i = 0; gone[i] != NULL; i++)
    {
      g_test_message ("%s: %s", gone[i], store_fixture_image_contains (image, gone[i]) ? "found" : "absent");
      g_assert_false (store_fixture_image_contains (image, gone[i]));
    }
}

/* person erase at the office reaches A and B: the file is gone for good
 * from both vaults, free pages included; A's change to it made before the
 * erasure (uploaded in the same round) and B's unsent one never bring it
 * back, at the office or on the other laptop; the deletions are the
 * office's, never sent as a laptop's own changes. */
static void
test_erasure_reaches_laptops (Fixture       *f,
                              gconstpointer  data)
{
  Laptop *a = &f->laptops[0], *b = &f->laptops[1];
  g_autofree char *gone = store_fixture_add_full_file (&a->base, GONE_NAME, GONE_NOTES, NULL);
  g_autofree char *kept = store_fixture_add_client (&a->base, KEPT_NAME, TRUE);
  g_autofree char *own_changes = g_strdup_printf ("SELECT count(*) FROM change_log WHERE"
                                                  " device_seq IS NOT NULL AND origin = '%s'",
                                                  KOERS_SYNC_OFFICE_UUID);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) quarantined = NULL;
  KoersOfficePullResult pr;
  KoersSyncRoundResult r;

  round_on (a);
  round_on (b);
  g_assert_true (has_client (b, gone));
  {
    /* the scan finds the file where it is */
    g_autoptr(GBytes) image = store_fixture_plain_image (b->base.store);

    g_assert_true (store_fixture_image_contains (image, GONE_NAME));
    g_assert_true (store_fixture_image_contains (image, "Kumquatgeheim"));
  }
  office_pull (f);
  /* offline edits on both laptops, not yet sent */
  store_fixture_set_phone (&a->base, gone, "0611111111");
  store_fixture_set_phone (&b->base, gone, "0622222222");

  {
    const char *ids[] = { gone, NULL };

    g_assert_true (koers_office_erase (f->base.office, ids, &error));
    g_assert_no_error (error);
  }
  pr = office_pull (f);
  g_assert_cmpuint (pr.sent, >=, 1);

  r = round_on (a);          /* uploads its edit, then applies the erasure */
  g_assert_cmpuint (r.n_office_read, >=, 1);
  g_assert_cmpuint (r.n_erased, ==, 1);
  g_assert_cmpuint (r.n_peer_quarantined, ==, 0);
  r = round_on (b);          /* reads A's edit (left out), applies the erasure */
  g_assert_cmpuint (r.n_erased, ==, 1);
  g_assert_cmpuint (r.n_peer_quarantined, ==, 0);
  round_on (b);
  round_on (a);
  for (guint i = 0; i < 2; i++)
    {
      Laptop *l = &f->laptops[i];

      g_assert_false (has_client (l, gone));
      g_assert_true (has_client (l, kept));
      g_assert_cmpint (store_fixture_count (&l->base, own_changes), ==, 0);
      g_assert_cmpint (store_fixture_count (&l->base, "SELECT count(*) FROM sync_erased"), ==, 1);
      assert_erased_from (l->base.store, TRUE);
    }
  /* the laptops' wiped edits reach the office and change nothing there */
  pr = office_pull (f);
  g_assert_cmpuint (pr.quarantined, ==, 0);
  quarantined = koers_office_list_quarantine (f->base.office, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (quarantined->len, ==, 0);
  g_assert_null (koers_store_get_client (f->base.store, gone, NULL));
  assert_erased_from (f->base.store, FALSE);
  /* and a later round erases nothing twice */
  r = round_on (a);
  g_assert_cmpuint (r.n_erased, ==, 0);
}

static char *
add_partner (Laptop     *l,
             const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersPartnerOrg) org = koers_partner_org_new ();

  org->name = g_strdup (name);
  org->country = g_strdup ("IQ");
  g_assert_true (koers_store_add_partner_org (l->base.store, org, &error));
  g_assert_no_error (error);
  return g_strdup (org->id);
}

static void
assert_partner (Laptop     *l,
                const char *id,
                const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersPartnerOrg) org = koers_store_get_partner_org (l->base.store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (org);
  g_assert_cmpstr (org->name, ==, name);
}

/* A partner organisation added on a laptop of Utrecht reaches the laptop
 * of the other steunpunt through the office; not back to Utrecht's
 * laptops (they have it), and the receiver never sends it as its own. */
static void
test_reference_data_across_steunpunten (Fixture       *f,
                                        gconstpointer  data)
{
  Laptop *a = &f->laptops[0], *c = &f->laptops[2];
  g_autofree char *org = add_partner (a, "Terugkeer Erbil شريك");
  g_autofree char *from_office = g_strdup_printf ("SELECT count(*) FROM change_log WHERE origin = '%s'"
                                                  " AND entity_id = '%s'", KOERS_SYNC_OFFICE_UUID, org);
  g_autofree char *own = g_strdup_printf ("SELECT count(*) FROM change_log WHERE device_seq IS NOT NULL"
                                          " AND entity_id = '%s'", org);
  KoersSyncRoundResult r;

  round_on (a);
  office_pull (f);
  r = round_on (c);
  g_assert_cmpuint (r.n_office_read, ==, 1);
  g_assert_cmpuint (r.n_peer_quarantined, ==, 0);
  assert_partner (c, org, "Terugkeer Erbil شريك");
  g_assert_cmpint (store_fixture_count (&c->base, own), ==, 0);
  g_assert_cmpint (store_fixture_count (&c->base, from_office), ==, 1);
  /* A gets nothing of its own back; C's workers reach A */
  r = round_on (a);
  g_assert_cmpint (store_fixture_count (&a->base, from_office), ==, 0);
  office_pull (f);
  r = round_on (a);
  g_assert_cmpuint (r.n_office_read, ==, 1);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KoersWorker) worker = koers_store_get_worker (a->base.store, c->base.counsellor_id, &error);

    g_assert_no_error (error);
    g_assert_nonnull (worker);
  }
}

/* The same field edited on A and B, resolved at the office: the
 * resolution reaches both, the conflict is gone there with the chosen
 * value everywhere. */
static void
test_resolution_reaches_laptops (Fixture       *f,
                                 gconstpointer  data)
{
  Laptop *a = &f->laptops[0], *b = &f->laptops[1];
  g_autofree char *client = store_fixture_add_client (&a->base, "Mariam مريم", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) at_office = NULL;
  KoersConflict *conflict;
  const char *take = NULL;

  round_on (a);
  round_on (b);
  store_fixture_set_phone (&a->base, client, "0612345678");
  store_fixture_set_phone (&b->base, client, "0687654321");
  round_on (a);
  round_on (b);
  round_on (a);
  office_pull (f);
  at_office = koers_store_list_conflicts (f->base.store, client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (at_office->len, ==, 1);
  conflict = at_office->pdata[0];
  for (guint j = 0; j < conflict->values->len; j++)
    {
      KoersConflictValue *v = conflict->values->pdata[j];

      if (g_strcmp0 (v->value, "\"0687654321\"") == 0)
        take = v->stamp;
    }
  g_assert_nonnull (take);
  g_assert_true (koers_store_resolve_conflict (f->base.store, conflict->id, take, &error));
  g_assert_no_error (error);
  office_pull (f);
  for (guint i = 0; i < 2; i++)
    {
      Laptop *l = &f->laptops[i];
      KoersSyncRoundResult r = round_on (l);
      g_autoptr(GPtrArray) conflicts = NULL;
      g_autoptr(KoersClient) c = NULL;

      g_assert_cmpuint (r.n_office_read, ==, 1);
      conflicts = koers_store_list_conflicts (l->base.store, client, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (conflicts->len, ==, 0);
      c = koers_store_get_client (l->base.store, client, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (c->phone, ==, "0687654321");
    }
  {
    g_autoptr(KoersClient) c = koers_store_get_client (f->base.store, client, &error);
    g_autoptr(GPtrArray) left = koers_store_list_conflicts (f->base.store, client, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (c->phone, ==, "0687654321");
    g_assert_cmpuint (left->len, ==, 0);
  }
  /* the other steunpunt's laptop is sent nothing of it */
  g_assert_cmpint (store_fixture_count (&f->laptops[2].base, "SELECT count(*) FROM client"), ==, 0);
  round_on (&f->laptops[2]);
  g_assert_cmpint (store_fixture_count (&f->laptops[2].base, "SELECT count(*) FROM client"), ==, 0);
}

/* A file in steunpunt A's office folder, as the drop would hold it. */
static void
put_office_file (Fixture    *f,
                 guint64     seq,
                 GBytes     *file)
{
  g_autofree char *folder = g_strdup_printf ("%s/" KOERS_SYNC_OFFICE_FOLDER, f->base.steunpunt_a);
  KoersBatchInfo info = { .epoch = 1, .first_seq = seq, .last_seq = seq };

  put_sealed (f, folder, &info, file);
}

/* The office's batch replayed under a later name, and one changed on the
 * drop: both quarantined with their reason; a colleague's batch still
 * merges in the same round; the office's next real batch is applied. */
static void
test_office_batch_tampered_replayed (Fixture       *f,
                                     gconstpointer  data)
{
  Laptop *a = &f->laptops[0], *b = &f->laptops[1], *c = &f->laptops[2];
  g_autofree char *first = add_partner (c, "Partner een");
  g_autofree char *second = NULL;
  g_autofree char *client = NULL;
  g_autofree char *folder = g_strdup_printf ("%s/" KOERS_SYNC_OFFICE_FOLDER "/", f->base.steunpunt_a);
  g_autoptr(GPtrArray) listing = NULL;
  g_autoptr(GBytes) real = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  KoersSyncRoundResult r;
  guint32 epoch;
  guint64 first_seq, last_seq;

  round_on (c);
  office_pull (f);
  r = round_on (a);
  g_assert_cmpuint (r.n_office_read, ==, 1);
  assert_partner (a, first, "Partner een");

  listing = koers_dav_client_list (f->base.drop, folder, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listing->len, ==, 1);
  {
    KoersDavEntry *entry = listing->pdata[0];
    g_autofree char *path = g_strconcat (folder, entry->name, NULL);

    g_assert_true (koers_envelope_parse_file_name (entry->name, &epoch, &first_seq, &last_seq));
    real = koers_dav_client_get (f->base.drop, path, KOERS_ENVELOPE_MAX_FILE, NULL, &error);
    g_assert_no_error (error);
  }
  /* replayed under a name past the office's next ones, and a copy with one
   * byte of its payload changed */
  put_office_file (f, last_seq + 5, real);
  {
    gsize len;
    guint8 *copy = g_memdup2 (g_bytes_get_data (real, &len), g_bytes_get_size (real));
    g_autoptr(GBytes) changed = NULL;

    copy[len / 2] ^= 0x10;
    changed = g_bytes_new_take (copy, len);
    put_office_file (f, last_seq + 6, changed);
  }
  client = store_fixture_add_client (&b->base, "Selam ሰላም", TRUE);
  round_on (b);
  r = round_on (a);
  g_assert_cmpuint (r.n_peer_quarantined, ==, 2);
  g_assert_cmpuint (r.n_read, ==, 1);
  g_assert_true (has_client (a, client));
  refused = koers_store_peer_list_quarantine (a->base.store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_refused (refused, NULL, "name"));
  g_assert_nonnull (find_refused (refused, NULL, "signature"));
  g_assert_cmpstr (find_refused (refused, NULL, "name")->device_id, ==, KOERS_SYNC_OFFICE_UUID);

  /* the office's next batch comes under its own name and is applied; the
   * refused files are not fetched again */
  second = add_partner (c, "Partner twee");
  round_on (c);
  office_pull (f);
  r = round_on (a);
  g_assert_cmpuint (r.n_office_read, ==, 1);
  g_assert_cmpuint (r.n_peer_quarantined, ==, 0);
  assert_partner (a, second, "Partner twee");
}

static gboolean
on_drop (Fixture    *f,
         const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) file = koers_dav_client_get (f->base.drop, path, KOERS_ENVELOPE_MAX_FILE, NULL, &error);

  if (file == NULL)
    g_assert_error (error, KOERS_DAV_ERROR, KOERS_DAV_ERROR_NOT_FOUND);
  return file != NULL;
}

static guint
clean (Fixture *f,
       guint    grace_days)
{
  g_autoptr(GError) error = NULL;
  guint deleted = 0;

  g_assert_true (koers_office_clean_drop (f->base.office, f->base.drop, grace_days, &deleted, NULL, &error));
  g_assert_no_error (error);
  return deleted;
}

/* drop clean keeps A's batch while B has not read it (drop status says
 * so), and deletes it once B's read note says B has, past the grace
 * period; B's own batch, which A has not read, stays. */
static void
test_drop_clean_waits_for_readers (Fixture       *f,
                                   gconstpointer  data)
{
  Laptop *a = &f->laptops[0], *b = &f->laptops[1];
  g_autofree char *a_id = g_strdup (koers_store_get_device_id (a->base.store));
  g_autofree char *b_id = g_strdup (koers_store_get_device_id (b->base.store));
  g_autofree char *a_batch = NULL;
  g_autofree char *b_folder = g_strdup_printf ("%s/%s/", f->base.steunpunt_a, b_id);
  g_autofree char *b_note = g_strdup_printf ("%s/%s/" KOERS_READ_NOTE_NAME, f->base.steunpunt_a, b_id);
  g_autoptr(GPtrArray) waits = NULL;
  g_autoptr(GPtrArray) b_files = NULL;
  g_autoptr(GError) error = NULL;
  gboolean waits_on_b = FALSE;

  g_free (store_fixture_add_client (&a->base, "Dawit ዳዊት", TRUE));
  round_on (a);
  office_pull (f);
  {
    g_autofree char *folder = g_strdup_printf ("%s/%s/", f->base.steunpunt_a, a_id);
    g_autoptr(GPtrArray) listing = koers_dav_client_list (f->base.drop, folder, NULL, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < listing->len; i++)
      if (g_str_has_suffix (((KoersDavEntry *) listing->pdata[i])->name, ".batch"))
        a_batch = g_strconcat (folder, ((KoersDavEntry *) listing->pdata[i])->name, NULL);
    g_assert_nonnull (a_batch);
  }
  /* acknowledged and past the grace, but B has not read it */
  g_assert_cmpuint (clean (f, 0), ==, 0);
  g_assert_true (on_drop (f, a_batch));
  waits = koers_office_drop_waiting (f->base.office, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < waits->len; i++)
    {
      KoersOfficeDropWait *w = waits->pdata[i];

      waits_on_b |= g_str_equal (w->reader_id, b_id) && g_str_equal (w->writer_id, a_id)
                    && w->batches == 1;
    }
  g_assert_true (waits_on_b);

  /* B reads it (and says so); the office reads B's note */
  round_on (b);
  g_assert_true (on_drop (f, b_note));
  office_pull (f);
  /* not yet past a grace of 30 days */
  g_assert_cmpuint (clean (f, 30), ==, 0);
  g_assert_true (on_drop (f, a_batch));
  g_assert_cmpuint (clean (f, 0), ==, 1);
  g_assert_false (on_drop (f, a_batch));
  /* B's first batch is still there: A has not read it */
  b_files = koers_dav_client_list (f->base.drop, b_folder, NULL, &error);
  g_assert_no_error (error);
  {
    guint batches = 0;

    for (guint i = 0; i < b_files->len; i++)
      batches += g_str_has_suffix (((KoersDavEntry *) b_files->pdata[i])->name, ".batch");
    g_assert_cmpuint (batches, ==, 1);
  }
}

/* An office vault behind the drop (here: its record of the office folder
 * lost, as in a vault restored from a backup made before the folder's
 * first batch): its next batch's name is taken, so the folder goes on in
 * a new epoch after the last batch there; the laptop takes it without a
 * quarantine, and what comes later reaches it. */
static void
test_office_folder_after_restore (Fixture       *f,
                                  gconstpointer  data)
{
  Laptop *a = &f->laptops[0], *c = &f->laptops[2];
  g_autofree char *first = add_partner (c, "Partner een");
  g_autofree char *second = NULL;
  g_autofree char *folder = g_strdup_printf ("%s/" KOERS_SYNC_OFFICE_FOLDER "/", f->base.steunpunt_a);
  g_autoptr(GPtrArray) listing = NULL;
  g_autoptr(GError) error = NULL;
  KoersSyncRoundResult r;
  gboolean new_epoch = FALSE;

  round_on (c);
  office_pull (f);
  r = round_on (a);
  g_assert_cmpuint (r.n_office_read, ==, 1);

  g_assert_cmpint (sqlite3_exec (koers_store_get_db (f->base.store),
                                 "DELETE FROM office_out; DELETE FROM office_out_batch", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  second = add_partner (c, "Partner twee");
  round_on (c);
  g_test_expect_message ("koers-office", G_LOG_LEVEL_MESSAGE, "The office folder of * is ahead*");
  office_pull (f);
  g_test_assert_expected_messages ();
  listing = koers_dav_client_list (f->base.drop, folder, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < listing->len; i++)
    new_epoch |= g_str_has_prefix (((KoersDavEntry *) listing->pdata[i])->name, "00000002-");
  g_assert_true (new_epoch);
  r = round_on (a);
  g_assert_cmpuint (r.n_office_read, ==, 1);
  g_assert_cmpuint (r.n_peer_quarantined, ==, 0);
  assert_partner (a, first, "Partner een");
  assert_partner (a, second, "Partner twee");
}

/* Lost laptop (issue 12): a fourth laptop at steunpunt A, so that two
 * remain after one is revoked. */
typedef struct
{
  Fixture base;
  Laptop  d;
} RotateFixture;

static void
rotate_setup (RotateFixture *rf,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_setup (&rf->base, data);
  laptop_setup (&rf->base, &rf->d, rf->base.base.steunpunt_a, "Laptop reserve");
  g_assert_true (koers_office_publish_devices (rf->base.base.office, rf->base.base.drop, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
rotate_teardown (RotateFixture *rf,
                 gconstpointer  data)
{
  laptop_teardown (&rf->d);
  fixture_teardown (&rf->base, data);
}

/* The public key the team's stanza (the second: the office, then the
 * team) of the batch @file is sealed to, read from its clear header. */
static const guint8 *
team_recipient (GBytes *file)
{
  gsize len;
  const guint8 *d = g_bytes_get_data (file, &len);

  g_assert_cmpuint (d[KOERS_ENVELOPE_OFF_NRECIP], ==, 2);
  g_assert_cmpuint (len, >, KOERS_ENVELOPE_FIXED_HEADER + 2 * KOERS_ENVELOPE_STANZA);
  return d + KOERS_ENVELOPE_FIXED_HEADER + KOERS_ENVELOPE_STANZA + 1;
}

/* The newest batch of @l on the drop. */
static GBytes *
newest_batch (Fixture *f,
              Laptop  *l)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_strdup_printf ("%s/%s/", l->steunpunt, koers_store_get_device_id (l->base.store));
  g_autoptr(GPtrArray) entries = koers_dav_client_list (f->base.drop, folder, NULL, &error);
  const char *newest = NULL;
  g_autofree char *path = NULL;
  GBytes *file;

  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      const char *name = ((KoersDavEntry *) entries->pdata[i])->name;

      if (g_str_has_suffix (name, ".batch") && g_strcmp0 (name, newest) > 0)
        newest = name;
    }
  g_assert_nonnull (newest);
  path = g_strconcat (folder, newest, NULL);
  file = koers_dav_client_get (f->base.drop, path, KOERS_ENVELOPE_MAX_FILE, NULL, &error);
  g_assert_no_error (error);
  return file;
}

static guint
sealed_waiting (Laptop *l)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batches = koers_store_sync_list_batches (l->base.store, KOERS_BATCH_SEALED, &error);

  g_assert_no_error (error);
  return batches->len;
}

/* @l's round killed at its first, second … crash point until it has
 * sealed a batch and not uploaded it (a batch "in flight"); its bytes. */
static GBytes *
cut_without_upload (Laptop *l)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) batches = NULL;

  for (guint crash_at = 1; ; crash_at++)
    {
      g_assert_cmpuint (crash_at, <, 30);
      close_laptop (l);
      g_assert_cmpint (driver_round (l, crash_at), ==, -1);
      reopen_laptop (l);
      if (sealed_waiting (l) > 0)
        break;
    }
  batches = koers_store_sync_list_batches (l->base.store, KOERS_BATCH_SEALED, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batches->len, ==, 1);
  return g_bytes_ref (((KoersOutboxBatch *) batches->pdata[0])->sealed);
}

static gboolean
refused_as (Laptop     *l,
            const char *device,
            const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) refused = koers_store_peer_list_quarantine (l->base.store, &error);
  const KoersPeerQuarantined *q;

  g_assert_no_error (error);
  q = find_refused (refused, device, NULL);
  return q != NULL && g_str_equal (q->reason_code, code);
}

static gboolean
office_refused_as (Fixture    *f,
                   const char *device,
                   const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = koers_office_list_quarantine (f->base.office, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      KoersQuarantined *q = list->pdata[i];

      if (g_str_equal (q->device_id, device) && g_str_equal (q->reason_code, code))
        return TRUE;
    }
  return FALSE;
}

/* A is lost: the office revokes it and rotates the team key. What A
 * makes afterwards is quarantined at the office and on B and D; B's new
 * batch is sealed to the new generation, which A cannot open with any
 * key it holds; D's batch sealed to the old generation before the
 * rotation, uploaded after it, still merges on B and at the office; a
 * laptop enrolled after the rotation opens the older batches too (the
 * chain). */
static void
test_lost_laptop (RotateFixture *rf,
                  gconstpointer  data)
{
  Fixture *f = &rf->base;
  Laptop *a = &f->laptops[0], *b = &f->laptops[1], *d = &rf->d;
  Laptop e = { 0 };
  g_autofree char *a_id = g_strdup (koers_store_get_device_id (a->base.store));
  g_autofree char *from_a = store_fixture_add_client (&a->base, "Hamid حمید", TRUE);
  g_autofree char *in_flight = NULL;
  g_autofree char *after_a = NULL;
  g_autofree char *after_b = NULL;
  g_autoptr(KoersSyncKey) gen1 = NULL;
  g_autoptr(KoersSyncKey) gen2 = NULL;
  g_autoptr(GBytes) flight = NULL;
  g_autoptr(GBytes) b_new = NULL;
  g_autoptr(KoersTeamKeys) ring = NULL;
  g_autoptr(GError) error = NULL;
  KoersSyncRoundResult r;
  guint32 generation = 0;

  /* everyone works under generation 1 and has read everyone */
  round_on (a);
  round_on (b);
  round_on (d);
  office_pull (f);
  round_on (a);
  round_on (b);
  g_assert_true (has_client (b, from_a));
  gen1 = koers_office_get_team_key (f->base.office, "Steunpunt Utrecht", 0, &error);
  g_assert_no_error (error);

  /* D seals a batch before the rotation; it goes up only after it */
  in_flight = store_fixture_add_client (&d->base, "Saba ሳባ", TRUE);
  flight = cut_without_upload (d);
  g_assert_cmpmem (team_recipient (flight), KOERS_SYNC_PUBLIC_BYTES,
                   koers_sync_key_get_public (gen1), KOERS_SYNC_PUBLIC_BYTES);

  /* A is lost: revoked, and the team key replaced (`devices revoke`) */
  g_assert_true (koers_office_revoke_device (f->base.office, a_id, &error));
  g_assert_true (koers_office_rotate_team_key (f->base.office, f->base.steunpunt_a, &generation, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (generation, ==, 2);
  g_assert_cmpuint (koers_office_team_generation (f->base.office, f->base.steunpunt_a, &error), ==, 2);
  g_assert_true (koers_office_publish_devices (f->base.office, f->base.drop, NULL, NULL, &error));
  g_assert_no_error (error);
  gen2 = koers_office_get_team_key (f->base.office, f->base.steunpunt_a, 2, &error);
  g_assert_no_error (error);
  {
    g_autoptr(KoersSyncKey) current = koers_office_get_team_key (f->base.office, f->base.steunpunt_a, 0, &error);

    g_assert_cmpmem (koers_sync_key_get_public (gen2), KOERS_SYNC_PUBLIC_BYTES,
                     koers_sync_key_get_public (current), KOERS_SYNC_PUBLIC_BYTES);
    g_assert_false (memcmp (koers_sync_key_get_public (gen1), koers_sync_key_get_public (gen2),
                            KOERS_SYNC_PUBLIC_BYTES) == 0);
  }
  /* the office keeps generation 1 */
  {
    g_autoptr(KoersSyncKey) kept = koers_office_get_team_key (f->base.office, f->base.steunpunt_a, 1, &error);

    g_assert_no_error (error);
    g_assert_cmpmem (koers_sync_key_get_seed (kept), KOERS_SYNC_SEED_BYTES,
                     koers_sync_key_get_seed (gen1), KOERS_SYNC_SEED_BYTES);
    g_assert_null (koers_office_get_team_key (f->base.office, f->base.steunpunt_a, 3, NULL));
  }

  /* the lost laptop still works (until the drop password is changed):
   * its upload goes up, it gets no new key */
  after_a = store_fixture_add_client (&a->base, "Na de diefstal", TRUE);
  r = round_on (a);
  g_assert_cmpuint (r.n_uploaded, ==, 1);
  g_assert_true (r.team_waiting);

  /* B's new work is sealed to generation 2; B refuses A's */
  after_b = store_fixture_add_client (&b->base, "Na de rotatie ርሑስ", TRUE);
  r = round_on (b);
  g_assert_cmpuint (r.n_uploaded, ==, 1);
  g_assert_true (refused_as (b, a_id, "revoked"));
  g_assert_false (has_client (b, after_a));
  b_new = newest_batch (f, b);
  g_assert_cmpmem (team_recipient (b_new), KOERS_SYNC_PUBLIC_BYTES,
                   koers_sync_key_get_public (gen2), KOERS_SYNC_PUBLIC_BYTES);

  /* (a) A cannot open it with anything it holds: its ring has
   * generation 1 only, and its device key opens no newer one */
  ring = koers_team_keys_load (a->base.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (koers_team_keys_newest (ring), ==, 1);
  g_assert_null (koers_team_keys_get (ring, 2));
  g_assert_null (koers_team_keys_for_batch (ring, b_new, NULL));
  {
    g_autoptr(KoersDeviceList) list = NULL;
    g_autoptr(KoersSyncKey) office_sign = koers_office_get_key (f->base.office, KOERS_SYNC_KEY_SIGN, &error);
    guint8 a_bytes[KOERS_SYNC_ID_BYTES];
    g_autoptr(GBytes) kept = koers_store_sync_get_setting (a->base.store, KOERS_SYNC_SETTING_DEVICE_LIST, &error);
    g_autoptr(KoersSyncKey) device_key = NULL;
    g_autoptr(GBytes) seed = koers_store_sync_get_setting (a->base.store, KOERS_SYNC_SETTING_DEVICE_KEY, &error);
    g_autoptr(KoersKnownDevices) known = NULL;
    KoersEnvelopeOpenOptions opts = { 0 };
    g_autoptr(KoersBatch) opened = NULL;

    list = koers_device_list_read (kept, koers_sync_key_get_public (office_sign), NULL, 0, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (list->team_generation, ==, 2);   /* A did see the new list */
    device_key = koers_sync_key_new_from_seed (KOERS_SYNC_KEY_SIGN, g_bytes_get_data (seed, NULL));
    g_assert_true (koers_sync_id_from_uuid (a_id, a_bytes));
    g_assert_null (koers_device_list_open_team_key (list, a_bytes, device_key, NULL));
    known = koers_device_list_known (list);
    opts.recipient = koers_team_keys_get (ring, 1);
    opts.devices = known;
    opened = koers_envelope_open (b_new, &opts, &error);
    g_assert_error (error, KOERS_ENVELOPE_ERROR, KOERS_ENVELOPE_ERROR_RECIPIENT);
    g_assert_null (opened);
    g_clear_error (&error);
  }

  /* (c) D: its old-generation batch goes up, it reads B's new one and
   * refuses A's */
  r = round_on (d);
  g_assert_cmpuint (r.n_uploaded, ==, 1);
  g_assert_true (has_client (d, after_b));
  g_assert_true (refused_as (d, a_id, "revoked"));
  g_assert_false (has_client (d, after_a));
  /* B merges D's old-generation batch: it kept generation 1 */
  r = round_on (b);
  g_assert_cmpuint (r.n_peer_quarantined, ==, 0);
  g_assert_true (has_client (b, in_flight));
  {
    g_autoptr(KoersTeamKeys) b_ring = koers_team_keys_load (b->base.store, &error);
    guint32 named = 0;

    g_assert_no_error (error);
    g_assert_cmpuint (koers_team_keys_newest (b_ring), ==, 2);
    g_assert_nonnull (koers_team_keys_for_batch (b_ring, flight, &named));
    g_assert_cmpuint (named, ==, 1);
  }
  /* D's next batch is sealed to generation 2 */
  g_free (store_fixture_add_client (&d->base, "Daarna", TRUE));
  round_on (d);
  {
    g_autoptr(GBytes) d_new = newest_batch (f, d);

    g_assert_cmpmem (team_recipient (d_new), KOERS_SYNC_PUBLIC_BYTES,
                     koers_sync_key_get_public (gen2), KOERS_SYNC_PUBLIC_BYTES);
  }

  /* (b) the office: A's later batch quarantined as revoked, the others in */
  office_pull (f);
  g_assert_true (office_refused_as (f, a_id, "revoked"));
  {
    g_autoptr(KoersClient) at_office = koers_store_get_client (f->base.store, in_flight, &error);
    g_autoptr(KoersClient) not_at_office = koers_store_get_client (f->base.store, after_a, NULL);

    g_assert_no_error (error);
    g_assert_nonnull (at_office);
    g_assert_null (not_at_office);
  }

  /* a laptop enrolled after the rotation (generation 2) opens the older
   * batches of its colleagues: generation 1 follows from 2 */
  laptop_setup (f, &e, f->base.steunpunt_a, "Laptop vervanging");
  g_assert_true (koers_office_publish_devices (f->base.office, f->base.drop, NULL, NULL, &error));
  g_assert_no_error (error);
  r = round_on (&e);
  g_assert_true (has_client (&e, from_a));
  g_assert_true (has_client (&e, in_flight));
  g_assert_true (has_client (&e, after_b));
  g_assert_false (has_client (&e, after_a));
  g_assert_true (refused_as (&e, a_id, "revoked"));
  {
    g_autoptr(KoersTeamKeys) e_ring = koers_team_keys_load (e.base.store, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (koers_team_keys_newest (e_ring), ==, 2);
    g_assert_cmpmem (koers_sync_key_get_public (koers_team_keys_get (e_ring, 1)), KOERS_SYNC_PUBLIC_BYTES,
                     koers_sync_key_get_public (gen1), KOERS_SYNC_PUBLIC_BYTES);
  }
  laptop_teardown (&e);
}

/* --- all four programs killed ------------------------------------------- */

enum { OFFICE = 3, N_PROGRAMS = 4 };

/* Kills per program before the rounds stop: at least this many each, and
 * KILLS_TOTAL in all. */
#define KILLS_EACH 12
#define KILLS_TOTAL 50
#define CRASH_STRIDE 3

/* `koers-office pull` (the build with the test hooks) on the office's
 * vault, closed here. */
static int
office_program_pull (Fixture *f,
                     guint    crash_at)
{
  const char *argv[] = { KOERS_OFFICE_CRASH, "--vault", f->base.dir, "pull", NULL };

  return run_killable (argv, crash_at);
}

/* The drop in the office's vault, for the program: `koers-office drop set`. */
static void
office_program_set_drop (Fixture *f)
{
  g_autofree char *url = koers_test_dav_server_url (f->base.server, 0, "drop/");
  g_autofree char *password = g_build_filename (f->base.pki->dir, "drop-password", NULL);
  g_autofree char *ca = g_build_filename (f->base.pki->dir, "ca.pem", NULL);
  const char *argv[] = { KOERS_OFFICE_CRASH, "--vault", f->base.dir, "drop", "set", url, "--user", USER,
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
  g_autoptr(KoersSyncKey) sign = koers_office_get_key (f->base.office, KOERS_SYNC_KEY_SIGN, &error);
  guint8 steunpunt[KOERS_SYNC_ID_BYTES];

  g_assert_no_error (error);
  koers_sync_id_from_uuid (f->base.steunpunt_a, steunpunt);
  for (guint i = 0; devices[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s/ack", f->base.steunpunt_a, devices[i]);
      g_autoptr(GBytes) file = koers_dav_client_get (f->base.drop, path, 4 * KOERS_ACK_BYTES, NULL, &error);
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
      g_assert_cmpint (store_fixture_count_in (f->base.store, sql), ==, 1);
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
      office_fixture_open (&f->base);
      assert_acks_committed (f, devices);
      office_fixture_close (&f->base);
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
      g_assert_cmpint (store_fixture_count_in (f->base.store, sql), ==,
                       store_fixture_count (&l->base, "SELECT count(*) FROM change_log WHERE origin IS NULL"));
      g_assert_true (koers_store_sync_get_counts (l->base.store, &counts, &error));
      g_assert_no_error (error);
      g_assert_cmpint (counts.unacknowledged_changes, ==, 0);
      g_assert_cmpint (store_fixture_count (&l->base, "SELECT count(*) FROM sync_peer_quarantine"), ==, 0);
    }
  g_assert_cmpint (store_fixture_count_in (f->base.store, "SELECT count(*) FROM office_quarantine"), ==, 0);
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
                                     f->laptops[2].base.store, f->base.store };
  g_autofree char *reference = canonical_export (f->base.store);

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
  office_fixture_close (&f->base);
  office_program_set_drop (f);
  for (guint i = 0; i < G_N_ELEMENTS (f->laptops); i++)
    close_laptop (&f->laptops[i]);
  rounds_with_kills (f, shared, own, devices, kills);
  g_assert_true (enough_kills (kills));

  for (guint i = 0; i < G_N_ELEMENTS (f->laptops); i++)
    reopen_laptop (&f->laptops[i]);
  office_fixture_open (&f->base);
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
  g_test_add ("/team-sync/office/erasure-reaches-laptops", Fixture, NULL, fixture_setup,
              test_erasure_reaches_laptops, fixture_teardown);
  g_test_add ("/team-sync/office/reference-data-across-steunpunten", Fixture, NULL, fixture_setup,
              test_reference_data_across_steunpunten, fixture_teardown);
  g_test_add ("/team-sync/office/resolution-reaches-laptops", Fixture, NULL, fixture_setup,
              test_resolution_reaches_laptops, fixture_teardown);
  g_test_add ("/team-sync/office/batch-tampered-replayed", Fixture, NULL, fixture_setup,
              test_office_batch_tampered_replayed, fixture_teardown);
  g_test_add ("/team-sync/office/drop-clean-waits-for-readers", Fixture, NULL, fixture_setup,
              test_drop_clean_waits_for_readers, fixture_teardown);
  g_test_add ("/team-sync/office/folder-after-restore", Fixture, NULL, fixture_setup,
              test_office_folder_after_restore, fixture_teardown);
  g_test_add ("/team-sync/lost-laptop", RotateFixture, NULL, rotate_setup, test_lost_laptop,
              rotate_teardown);
  g_test_add ("/team-sync/all-four-killed", Fixture, ONE_STEUNPUNT, fixture_setup,
              test_all_four_killed, fixture_teardown);
  return g_test_run ();
}
