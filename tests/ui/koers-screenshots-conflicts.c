/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A file changed on two laptops before they synced: a second vault takes
 * this one's changes through the store's merge (what team sync does after
 * the drop), both change the same fields, and this vault merges the
 * other's. Then the file with its banner, and the dialog to choose. */
#include "config.h"

#define G_LOG_DOMAIN "koers-screenshots"

#include <adwaita.h>

#include "koers-client-page.h"
#include "koers-conflict-banner.h"
#include "koers-screenshots-conflicts.h"
#include "koers-test-util.h"

static void
check (gboolean      ok,
       const GError *error)
{
  if (!ok)
    g_error ("Conflict demo: %s", error != NULL ? error->message : "?");
}

/* Everything @from made itself, merged into @to. */
static void
send (KoersStore *from,
      KoersStore *to)
{
  g_autoptr(GError) error = NULL;
  gint64 last = 0;
  g_autoptr(GBytes) lines = koers_store_sync_read_changes (from, 0, G_MAXSIZE, &last, NULL, &error);

  check (lines != NULL, error);
  check (koers_store_merge_changes (to, lines, koers_store_get_device_id (from), NULL, &error), error);
}

static void
change (KoersStore *store,
        const char *client_id,
        const char *phone,
        KoersPhase  phase)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersClient) client = koers_store_get_client (store, client_id, &error);

  check (client != NULL, error);
  g_free (client->phone);
  client->phone = g_strdup (phone);
  client->phase = phase;
  check (koers_store_update_client (store, client, &error), error);
}

static gboolean
file_read (gpointer page)
{
  return !koers_client_page_is_loading (page);
}

void
koers_screenshots_conflicts (KoersWindow   *window,
                             KoersShotFunc  save)
{
  KoersMainView *view = koers_window_get_main_view (window);
  KoersStore *here = koers_main_view_get_store (view);
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("koers-shots-laptop-XXXXXX", &error);
  g_autofree char *dir = g_build_filename (tmp, "vault", NULL);
  KoersKdfParams params = koers_kdf_params_minimum ();
  g_autoptr(KoersVault) vault = NULL;
  g_autoptr(KoersStore) other = NULL;
  g_autoptr(KoersWorker) colleague = koers_worker_new ();
  g_autofree char *client_id = koers_test_add_client (here, "Amina Yusuf", KOERS_PHASE_INTAKE);
  GtkWidget *page, *banner, *dialog;
  char *recovery = NULL;

  check (tmp != NULL, error);
  vault = koers_vault_create (dir, "Youssef", "laptop two", &params, &recovery, &error);
  check (vault != NULL, error);
  koers_vault_free_secret (recovery);
  other = koers_store_new (koers_vault_get_db (vault), &error);
  check (other != NULL, error);
  send (here, other);
  colleague->name = g_strdup ("Youssef Amrani");
  colleague->role = KOERS_ROLE_COUNSELLOR;
  check (koers_store_add_worker (other, colleague, &error), error);
  koers_store_set_current_worker (other, colleague->id);
  change (here, client_id, "06 1234 5678", KOERS_PHASE_ORIENTATION);
  change (other, client_id, "06 8765 4321", KOERS_PHASE_RETURN_SUPPORT);
  send (other, here);

  koers_main_view_show_client (view, client_id);
  page = koers_main_view_get_visible_page (view);
  koers_test_wait_until (file_read, page, 20);
  koers_test_settle ();
  save (GTK_WIDGET (window), "client-conflict");
  banner = koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, "conflict_banner");
  dialog = koers_conflict_banner_open_dialog (KOERS_CONFLICT_BANNER (banner));
  g_assert (dialog != NULL);
  koers_test_settle ();
  save (dialog, "client-conflict-dialog");
  gtk_window_destroy (GTK_WINDOW (dialog));
  koers_main_view_pop_page (view);
  koers_test_settle ();

  g_clear_object (&other);
  koers_vault_lock (vault);
  g_clear_object (&vault);
  koers_test_rm_rf (tmp);
}
