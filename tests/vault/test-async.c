/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The vault's _async/_finish pairs: each does what its blocking call does,
 * on a worker thread, and reports the same errors. */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include "vault-fixture.h"

#include <gio/gio.h>

#define OTHER_NAME       "Tesfay ተስፋይ"
#define OTHER_PASSPHRASE "a river crossed at dawn"

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Iterates the main context until the task's callback ran. */
static GAsyncResult *
await (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static KoersKdfParams minimum;

static void
test_create_and_unlock (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *dir = g_build_filename (fx->dir, "second", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) key = NULL;
  g_autoptr(KoersVault) vault = NULL;
  g_autoptr(KoersVault) again = NULL;

  koers_vault_create_async (dir, OTHER_NAME, OTHER_PASSPHRASE, &minimum, NULL, store_result, &result);
  vault = koers_vault_create_finish (await (&result), &key, &error);
  g_assert_no_error (error);
  g_assert_true (koers_vault_is_unlocked (vault));
  g_assert_nonnull (key);
  koers_vault_lock (vault);
  g_clear_object (&result);

  /* A second create in the same folder fails as the blocking call does. */
  koers_vault_create_async (dir, OTHER_NAME, OTHER_PASSPHRASE, &minimum, NULL, store_result, &result);
  again = koers_vault_create_finish (await (&result), &key, &error);
  g_assert_null (again);
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_object (&result);

  koers_vault_unlock_async (vault, OTHER_NAME, "not it", NULL, store_result, &result);
  g_assert_false (koers_vault_unlock_finish (vault, await (&result), &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE);
  g_assert_false (koers_vault_is_unlocked (vault));
  g_clear_error (&error);
  g_clear_object (&result);

  koers_vault_unlock_with_recovery_key_async (vault, key, NULL, store_result, &result);
  g_assert_true (koers_vault_unlock_with_recovery_key_finish (vault, await (&result), &error));
  g_assert_no_error (error);
  g_assert_true (koers_vault_is_unlocked (vault));
  g_assert_null (koers_vault_get_unlocked_by (vault));
}

/* Add, rename, set and change a passphrase, remove: the slots follow. */
static void
test_slots (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  koers_vault_add_slot_async (fx->vault, "Sara", "first passphrase", &minimum, NULL, store_result, &result);
  g_assert_true (koers_vault_add_slot_finish (fx->vault, await (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  koers_vault_add_slot_async (fx->vault, "Sara", "again", &minimum, NULL, store_result, &result);
  g_assert_false (koers_vault_add_slot_finish (fx->vault, await (&result), &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_SLOT_EXISTS);
  g_clear_error (&error);
  g_clear_object (&result);

  koers_vault_rename_slot_async (fx->vault, "Sara", OTHER_NAME, NULL, store_result, &result);
  g_assert_true (koers_vault_rename_slot_finish (fx->vault, await (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  koers_vault_set_passphrase_async (fx->vault, OTHER_NAME, "second passphrase", &minimum, NULL,
                                    store_result, &result);
  g_assert_true (koers_vault_set_passphrase_finish (fx->vault, await (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  koers_vault_change_passphrase_async (fx->vault, OTHER_NAME, "wrong old one", OTHER_PASSPHRASE, &minimum,
                                       NULL, store_result, &result);
  g_assert_false (koers_vault_change_passphrase_finish (fx->vault, await (&result), &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  g_clear_object (&result);

  koers_vault_change_passphrase_async (fx->vault, OTHER_NAME, "second passphrase", OTHER_PASSPHRASE, &minimum,
                                       NULL, store_result, &result);
  g_assert_true (koers_vault_change_passphrase_finish (fx->vault, await (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  koers_vault_lock (fx->vault);
  koers_vault_unlock_async (fx->vault, OTHER_NAME, OTHER_PASSPHRASE, NULL, store_result, &result);
  g_assert_true (koers_vault_unlock_finish (fx->vault, await (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (koers_vault_get_unlocked_by (fx->vault), ==, OTHER_NAME);
  g_clear_object (&result);

  koers_vault_remove_slot_async (fx->vault, FIXTURE_NAME, NULL, store_result, &result);
  g_assert_true (koers_vault_remove_slot_finish (fx->vault, await (&result), &error));
  g_assert_no_error (error);
  names = koers_vault_list_slots (fx->vault);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (names[0], ==, OTHER_NAME);
}

/* A new recovery key opens the vault; the old one no longer does. */
static void
test_reset_recovery_key (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) key = NULL;

  koers_vault_reset_recovery_key_async (fx->vault, NULL, store_result, &result);
  g_assert_true (koers_vault_reset_recovery_key_finish (fx->vault, await (&result), &key, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (key, !=, fx->recovery_key);
  g_clear_object (&result);

  koers_vault_lock (fx->vault);
  g_assert_false (koers_vault_unlock_with_recovery_key (fx->vault, fx->recovery_key, &error));
  g_assert_error (error, KOERS_VAULT_ERROR, KOERS_VAULT_ERROR_WRONG_PASSPHRASE);
  g_clear_error (&error);
  g_assert_true (koers_vault_unlock_with_recovery_key (fx->vault, key, &error));
  g_assert_no_error (error);
}

/* A rekey keeps the data and the unlocking slot, drops the others. */
static void
test_rekey (VaultFixture *fx, gconstpointer data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) key = NULL;
  g_auto(GStrv) dropped = NULL;

  vault_fixture_exec (fx->vault, "CREATE TABLE t (x TEXT); INSERT INTO t VALUES ('kept');");
  g_assert_true (koers_vault_add_slot (fx->vault, "Sara", "first passphrase", &minimum, &error));
  g_assert_no_error (error);

  koers_vault_rekey_async (fx->vault, NULL, store_result, &result);
  g_assert_true (koers_vault_rekey_finish (fx->vault, await (&result), &key, &dropped, &error));
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_cmpuint (g_strv_length (dropped), ==, 1);
  g_assert_cmpstr (dropped[0], ==, "Sara");

  vault_fixture_reopen (fx);
  g_assert_cmpint (vault_fixture_query_int (fx->vault, "SELECT count(*) FROM t WHERE x = 'kept'"), ==, 1);
}

/* Cancelled before it ran: _finish says so, and a created vault is not
 * handed over (it was locked and freed). */
static void
test_cancelled (VaultFixture *fx, gconstpointer data)
{
  g_autofree char *dir = g_build_filename (fx->dir, "cancelled", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersVaultSecret) key = NULL;
  g_autoptr(KoersVault) vault = NULL;

  koers_vault_create_async (dir, OTHER_NAME, OTHER_PASSPHRASE, &minimum, cancellable, store_result, &result);
  g_cancellable_cancel (cancellable);
  vault = koers_vault_create_finish (await (&result), &key, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (vault);
  g_assert_null (key);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  minimum = koers_kdf_params_minimum ();

  g_test_add ("/vault/async/create-and-unlock", VaultFixture, NULL, vault_fixture_set_up,
              test_create_and_unlock, vault_fixture_tear_down);
  g_test_add ("/vault/async/slots", VaultFixture, NULL, vault_fixture_set_up, test_slots,
              vault_fixture_tear_down);
  g_test_add ("/vault/async/reset-recovery-key", VaultFixture, NULL, vault_fixture_set_up,
              test_reset_recovery_key, vault_fixture_tear_down);
  g_test_add ("/vault/async/rekey", VaultFixture, NULL, vault_fixture_set_up, test_rekey,
              vault_fixture_tear_down);
  g_test_add ("/vault/async/cancelled", VaultFixture, NULL, vault_fixture_set_up, test_cancelled,
              vault_fixture_tear_down);
  return g_test_run ();
}
