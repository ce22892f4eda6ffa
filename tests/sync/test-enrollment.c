/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The enrollment file: made by the office, parsed whole or refused with a
 * one-line reason and no partial result. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include <string.h>

#include "koers-enrollment.h"
#include "sync-fixture.h"

static const char ca_pem[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBszCCAVmgAwIBAgIUBe3Koers0Test0Only0Not0A0Real0CertMAoGCCqGSM49\n"
  "-----END CERTIFICATE-----\n";

static KoersEnrollment *
sample (SyncFixture *f)
{
  KoersEnrollment *e = koers_enrollment_new ();

  memcpy (e->steunpunt_id, f->steunpunt, 16);
  memcpy (e->office_seal_public, koers_sync_key_get_public (f->office_seal), 32);
  memcpy (e->office_sign_public, koers_sync_key_get_public (f->office_sign), 32);
  memcpy (e->team_seal_public, koers_sync_key_get_public (f->team_seal), 32);
  e->team_key_generation = 1;
  e->issued_at_ms = 1765000000000;
  e->has_pin = TRUE;
  memset (e->pin_sha256, 0xab, 32);
  e->drop_url = g_strdup ("https://drop.example.nl/remote.php/dav/files/koers/");
  e->drop_user = g_strdup ("steunpunt-utrecht");
  e->drop_password = g_strdup ("Xk7pQ-2mWz9-aa1Lb-Rt5Vc");
  e->device_name = g_strdup ("Laptop spreekuur \u0645\u062d\u0645\u062f");
  e->ca_pem = g_strdup (ca_pem);
  return e;
}

static GBytes *
make (SyncFixture *f, const KoersEnrollment *e)
{
  g_autoptr (GError) error = NULL;
  GBytes *file = koers_enrollment_make (e, f->office_sign, &error);

  g_assert_no_error (error);
  return file;
}

static void
assert_refused (GBytes *file, const guint8 *expected, KoersEnrollmentError code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersEnrollment) e = koers_enrollment_parse (file, expected, &error);

  g_assert_null (e);
  g_assert_error (error, KOERS_ENROLLMENT_ERROR, (gint) code);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_null (strchr (error->message, '\n'));
  /* The password never shows in a message. */
  g_assert_null (strstr (error->message, "Xk7pQ"));
}

static void
test_round_trip (SyncFixture *f, gconstpointer data)
{
  g_autoptr (KoersEnrollment) e = sample (f);
  g_autoptr (GBytes) file = make (f, e);
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersEnrollment) back = koers_enrollment_parse (file, NULL, &error);
  g_autoptr (KoersEnrollment) again = NULL;

  g_assert_no_error (error);
  g_assert_cmpmem (back->steunpunt_id, 16, e->steunpunt_id, 16);
  g_assert_cmpmem (back->office_seal_public, 32, e->office_seal_public, 32);
  g_assert_cmpmem (back->office_sign_public, 32, e->office_sign_public, 32);
  g_assert_cmpmem (back->team_seal_public, 32, e->team_seal_public, 32);
  g_assert_cmpuint (back->team_key_generation, ==, 1);
  g_assert_cmpint (back->issued_at_ms, ==, e->issued_at_ms);
  g_assert_true (back->has_pin);
  g_assert_cmpmem (back->pin_sha256, 32, e->pin_sha256, 32);
  g_assert_cmpstr (back->drop_url, ==, e->drop_url);
  g_assert_cmpstr (back->drop_user, ==, e->drop_user);
  g_assert_cmpstr (back->drop_password, ==, e->drop_password);
  g_assert_cmpstr (back->device_name, ==, e->device_name);
  g_assert_cmpstr (back->ca_pem, ==, ca_pem);
  /* with the office key the laptop already knows */
  again = koers_enrollment_parse (file, koers_sync_key_get_public (f->office_sign), &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
}

/* A pin without a CA, a CA without a pin. */
static void
test_pin_or_ca (SyncFixture *f, gconstpointer data)
{
  g_autoptr (KoersEnrollment) e = sample (f);
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (GBytes) file = NULL;
      g_autoptr (KoersEnrollment) back = NULL;

      e->has_pin = i != 1;
      g_clear_pointer (&e->ca_pem, g_free);
      e->ca_pem = i != 0 ? g_strdup (ca_pem) : NULL;
      file = make (f, e);
      back = koers_enrollment_parse (file, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (back->has_pin, ==, e->has_pin);
      g_assert_cmpstr (back->ca_pem, ==, e->ca_pem);
    }
  e->has_pin = FALSE;
  g_clear_pointer (&e->ca_pem, g_free);
  g_assert_null (koers_enrollment_make (e, f->office_sign, &error));
  g_assert_error (error, KOERS_ENROLLMENT_ERROR, KOERS_ENROLLMENT_ERROR_INVALID);
}

static void
assert_make_refuses (SyncFixture *f, const KoersEnrollment *e)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (koers_enrollment_make (e, f->office_sign, &error));
  g_assert_error (error, KOERS_ENROLLMENT_ERROR, KOERS_ENROLLMENT_ERROR_INVALID);
}

static void
set (char **field, const char *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/* The office cannot make a file a laptop would refuse. */
static void
test_make_refuses (SyncFixture *f, gconstpointer data)
{
  static const char *const urls[] = { "http://drop.example.nl/", "https://", "ftp://x", "https://a b/", "" };
  g_autoptr (KoersEnrollment) e = sample (f);
  g_autofree char *long_name = g_strnfill (KOERS_ENROLLMENT_MAX_TEXT + 1, 'a');

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      set (&e->drop_url, urls[i]);
      assert_make_refuses (f, e);
    }
  set (&e->drop_url, "https://drop.example.nl/");
  set (&e->device_name, long_name);
  assert_make_refuses (f, e);
  set (&e->device_name, "line\nbreak");
  assert_make_refuses (f, e);
  set (&e->device_name, "laptop");
  set (&e->ca_pem, "not a certificate");
  assert_make_refuses (f, e);
  set (&e->ca_pem, ca_pem);
  set (&e->drop_password, NULL);
  assert_make_refuses (f, e);
}

/* One byte altered anywhere: refused, every time, with no result. */
static void
test_every_byte (SyncFixture *f, gconstpointer data)
{
  g_autoptr (KoersEnrollment) e = sample (f);
  g_autoptr (GBytes) file = make (f, e);
  gsize len = g_bytes_get_size (file);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (file, NULL), len);

  for (gsize i = 0; i < len; i++)
    {
      g_autoptr (GBytes) altered = NULL;
      g_autoptr (GError) error = NULL;
      g_autoptr (KoersEnrollment) back = NULL;

      copy[i] ^= 0x20;
      altered = g_bytes_new (copy, len);
      copy[i] ^= 0x20;
      back = koers_enrollment_parse (altered, NULL, &error);
      if (back != NULL)
        g_error ("byte %" G_GSIZE_FORMAT " altered and the file parsed", i);
      g_assert_true (error->domain == KOERS_ENROLLMENT_ERROR);
      g_assert_cmpint (error->code, ==, i < 10 ? KOERS_ENROLLMENT_ERROR_FORMAT : KOERS_ENROLLMENT_ERROR_SIGNATURE);
    }
}

static void
test_truncated_and_appended (SyncFixture *f, gconstpointer data)
{
  g_autoptr (KoersEnrollment) e = sample (f);
  g_autoptr (GBytes) file = make (f, e);
  gsize len = g_bytes_get_size (file);
  g_autoptr (GByteArray) longer = g_byte_array_new ();
  g_autoptr (GBytes) longer_bytes = NULL;

  for (gsize cut = 0; cut < len; cut += 1 + cut / 3)
    {
      g_autoptr (GBytes) part = g_bytes_new_from_bytes (file, 0, cut);
      g_autoptr (GError) error = NULL;

      g_assert_null (koers_enrollment_parse (part, NULL, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == KOERS_ENROLLMENT_ERROR);
    }
  g_byte_array_append (longer, g_bytes_get_data (file, NULL), len);
  g_byte_array_append (longer, (const guint8 *) "\n", 1);
  longer_bytes = g_bytes_new (longer->data, longer->len);
  assert_refused (longer_bytes, NULL, KOERS_ENROLLMENT_ERROR_SIGNATURE);
}

/* No signature at all: the texts followed by zeros. */
static void
test_unsigned (SyncFixture *f, gconstpointer data)
{
  g_autoptr (KoersEnrollment) e = sample (f);
  g_autoptr (GBytes) file = make (f, e);
  gsize len = g_bytes_get_size (file);
  g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (file, NULL), len);
  g_autoptr (GBytes) bare = NULL;

  memset (copy + len - 64, 0, 64);
  bare = g_bytes_new (copy, len);
  assert_refused (bare, NULL, KOERS_ENROLLMENT_ERROR_SIGNATURE);
}

/* Signed by another office: fine on its own, foreign to a laptop that
 * knows its office; and an altered file signed again by a stranger who put
 * its own key in. */
static void
test_foreign (SyncFixture *f, gconstpointer data)
{
  g_autoptr (KoersEnrollment) e = sample (f);
  g_autoptr (KoersSyncKey) other_office = koers_sync_key_generate (KOERS_SYNC_KEY_SIGN);
  g_autoptr (GBytes) file = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (KoersEnrollment) back = NULL;

  memcpy (e->office_sign_public, koers_sync_key_get_public (other_office), 32);
  file = koers_enrollment_make (e, other_office, &error);
  g_assert_no_error (error);
  back = koers_enrollment_parse (file, NULL, &error);
  g_assert_no_error (error);
  assert_refused (file, koers_sync_key_get_public (f->office_sign), KOERS_ENROLLMENT_ERROR_FOREIGN);
}

static void
test_not_enrollment (SyncFixture *f, gconstpointer data)
{
  static const char *const texts[] = { "", "KOERS", "hello, world", "KOERSBAT and more bytes than that" };
  g_autofree guint8 *big = g_malloc0 (KOERS_ENROLLMENT_MAX_FILE + 1);
  g_autoptr (GBytes) huge = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr (GBytes) bytes = g_bytes_new_static (texts[i], strlen (texts[i]));

      assert_refused (bytes, NULL, KOERS_ENROLLMENT_ERROR_FORMAT);
    }
  memcpy (big, "KOERSENR", 8);
  huge = g_bytes_new_take (g_steal_pointer (&big), KOERS_ENROLLMENT_MAX_FILE + 1);
  assert_refused (huge, NULL, KOERS_ENROLLMENT_ERROR_SIZE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/sync/enrollment/" path, SyncFixture, NULL, \
                                  sync_fixture_set_up, fn, sync_fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("pin-or-ca", test_pin_or_ca);
  ADD ("make-refuses", test_make_refuses);
  ADD ("every-byte", test_every_byte);
  ADD ("truncated-and-appended", test_truncated_and_appended);
  ADD ("unsigned", test_unsigned);
  ADD ("foreign", test_foreign);
  ADD ("not-enrollment", test_not_enrollment);
  return g_test_run ();
}
