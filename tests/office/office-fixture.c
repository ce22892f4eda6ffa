/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-office-test"

#include "office-fixture.h"

void
office_fixture_open (OfficeFixture *o)
{
  g_autoptr(GError) error = NULL;

  if (o->vault == NULL)
    {
      o->vault = koers_vault_open (o->dir, &error);
      g_assert_no_error (error);
    }
  g_assert_true (koers_vault_unlock (o->vault, "office", OFFICE_FIXTURE_PASS, &error));
  o->store = koers_store_new (koers_vault_get_db (o->vault), &error);
  g_assert_no_error (error);
  o->office = koers_office_new (o->store, &error);
  g_assert_no_error (error);
}

void
office_fixture_close (OfficeFixture *o)
{
  g_clear_object (&o->office);
  g_clear_object (&o->store);
  koers_vault_lock (o->vault);
}

void
office_fixture_setup (OfficeFixture *o,
                      const char    *dir_template,
                      const char    *user,
                      const char    *password)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  KoersKdfParams params = koers_kdf_params_minimum ();
  char *recovery = NULL;

  o->pki = koers_test_pki_new ();
  o->server = koers_test_dav_server_start (KOERS_TEST_DAV_NGINX, o->pki, user, password);
  url = koers_test_dav_server_url (o->server, 0, "drop/");
  o->drop = koers_dav_client_new (url, user, password, o->pki->ca_pem, NULL, &error);
  g_assert_no_error (error);
  o->dir = g_dir_make_tmp (dir_template, &error);
  g_assert_no_error (error);
  o->vault = koers_vault_create (o->dir, "office", OFFICE_FIXTURE_PASS, &params, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
  koers_vault_lock (o->vault);
  office_fixture_open (o);
  g_assert_true (koers_office_init_keys (o->office, &error));
  o->steunpunt_a = koers_office_add_steunpunt (o->office, "Steunpunt Utrecht", &error);
  o->steunpunt_b = koers_office_add_steunpunt (o->office, "ستونپونت زوله", &error);
  g_assert_no_error (error);
}

void
office_fixture_teardown (OfficeFixture *o)
{
  g_clear_object (&o->office);
  g_clear_object (&o->store);
  if (o->vault != NULL && koers_vault_is_unlocked (o->vault))
    koers_vault_lock (o->vault);
  g_clear_object (&o->vault);
  g_clear_object (&o->drop);
  koers_test_dav_server_stop (o->server);
  koers_test_pki_free (o->pki);
  g_free (o->steunpunt_a);
  g_free (o->steunpunt_b);
  g_free (o->dir);
}

void
office_fixture_put (OfficeFixture *o,
                    const char    *folder,
                    const char    *name,
                    GBytes        *file)
{
  g_autoptr(GError) error = NULL;
  gboolean already = FALSE;

  g_assert_true (koers_dav_put_once (o->drop, folder, name, file, &already, NULL, &error));
  g_assert_no_error (error);
}
