/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A vault damaged while it is in use: a byte flipped in every page of the
 * database after the first, the main connection's cache dropped. The
 * Clients list, a client's file and Today each show an error page that
 * says what happened (the vault's words) and what to do; none shows "No
 * Clients Yet" or an empty form, as if the files were gone. */
#include "config.h"

#define G_LOG_DOMAIN "test-read-errors"

#include <adwaita.h>
#include <sqlite3.h>
#include <string.h>

#include "koers-client-list.h"
#include "koers-client-page.h"
#include "koers-clients-page.h"
#include "koers-main-view.h"
#include "koers-test-util.h"
#include "koers-today-page.h"

typedef struct
{
  KoersStoreFixture  base;
  char              *client_id;
  GtkWidget         *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  koers_store_fixture_set_up (&f->base, data);
  f->client_id = koers_test_add_client_with_step (f->base.store, "Selam Tesfamariam", "Bel de IOM", 1,
                                                  FALSE, TRUE);
  g_free (koers_test_add_client_with_step (f->base.store, "Reza Ahmadi", "Papieren ophalen", -2,
                                           FALSE, FALSE));
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 700);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  koers_test_settle ();
  koers_store_fixture_tear_down (&f->base, data);
  g_free (f->client_id);
}

/* Everything in the database file, then a byte flipped in the body of
 * every page but the first; the main connection forgets what it cached
 * (the reader has read nothing yet). */
static void
damage_vault_file (Fixture  *f,
                   gboolean  forget)
{
  sqlite3 *db = koers_vault_get_db (f->base.vault);
  g_autofree char *path = g_build_filename (f->base.tmp, "vault", "koers.db", NULL);
  g_autoptr(GMappedFile) mapped = NULL;
  sqlite3_stmt *stmt = NULL;
  gsize size;
  int page_size;
  FILE *file;

  g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_size", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page_size = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  mapped = g_mapped_file_new (path, FALSE, NULL);
  g_assert_nonnull (mapped);
  size = g_mapped_file_get_length (mapped);
  g_clear_pointer (&mapped, g_mapped_file_unref);
  g_assert_cmpuint (size / page_size, >, 4);

  file = fopen (path, "r+b");
  g_assert_nonnull (file);
  for (gsize offset = page_size + 200; offset < size; offset += page_size)
    {
      int c;

      g_assert_cmpint (fseeko (file, offset, SEEK_SET), ==, 0);
      c = fgetc (file);
      g_assert_cmpint (fseeko (file, offset, SEEK_SET), ==, 0);
      fputc (c ^ 0x01, file);
    }
  fclose (file);
  if (forget)
    sqlite3_db_release_memory (db);
}

static void
damage_vault (Fixture *f)
{
  damage_vault_file (f, TRUE);
}

/* @page shows the error: a title that says what failed, and the vault's
 * own words for a damaged page. */
static void
assert_error_page (GtkWidget  *page,
                   const char *title)
{
  const char *description;

  g_assert_true (ADW_IS_STATUS_PAGE (page));
  g_assert_true (gtk_widget_get_visible (page));
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (page)), ==, title);
  description = adw_status_page_get_description (ADW_STATUS_PAGE (page));
  g_assert_nonnull (description);
  g_assert_nonnull (strstr (description, "tampered with"));
  g_assert_nonnull (strstr (description, "coordinator"));
  g_assert_null (strstr (description, "Selam"));
}

static void
test_clients_list (Fixture       *f,
                   gconstpointer  data)
{
  KoersMainView *view;
  GtkWidget *clients;

  damage_vault (f);
  view = koers_main_view_new (f->base.store, f->base.reader);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (f->window));
  clients = koers_test_child (view, KOERS_TYPE_MAIN_VIEW, "clients_page");
  koers_test_wait_for_list (koers_clients_page_get_list (KOERS_CLIENTS_PAGE (clients)));
  koers_test_settle ();

  g_assert_nonnull (koers_client_list_get_error (koers_clients_page_get_list (KOERS_CLIENTS_PAGE (clients))));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (koers_test_child (clients, KOERS_TYPE_CLIENTS_PAGE,
                                                                                   "content_stack"))), ==, "empty");
  assert_error_page (koers_test_child (clients, KOERS_TYPE_CLIENTS_PAGE, "empty_page"),
                     "Could Not Read the Client List");
  koers_main_view_close (view);
}

static void
test_client_file (Fixture       *f,
                  gconstpointer  data)
{
  KoersClientPage *page;

  damage_vault (f);
  page = koers_client_page_new (f->base.store, f->base.reader, f->client_id);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (f->window));
  koers_test_settle ();

  assert_error_page (koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, "error_page"), "Could Not Read This File");
  /* Not an empty form that would add the client again. */
  g_assert_false (gtk_widget_get_visible (koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, "scroller")));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (page), "client.save", NULL) &&
                  koers_client_page_get_client_id (page) != NULL);
}

static gboolean
page_read (gpointer page)
{
  return !koers_client_page_is_loading (page);
}

/* The main connection still has the file in its cache (opening it is
 * recorded), the reader's thread reads the damaged pages: the same error
 * page, from the reader. */
static void
test_client_file_reader (Fixture       *f,
                         gconstpointer  data)
{
  KoersClientPage *page;

  damage_vault_file (f, FALSE);
  page = koers_client_page_new (f->base.store, f->base.reader, f->client_id);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (f->window));
  if (!koers_client_page_is_loading (page))
    {
      g_test_skip ("The main connection could not record the opening from its cache");
      return;
    }
  koers_test_wait_until (page_read, page, 20);
  koers_test_settle ();

  assert_error_page (koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, "error_page"), "Could Not Read This File");
  g_assert_false (gtk_widget_get_visible (koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, "scroller")));
  g_assert_false (gtk_widget_get_visible (koers_test_child (page, KOERS_TYPE_CLIENT_PAGE, "loading_spinner")));
}

static void
test_today (Fixture       *f,
            gconstpointer  data)
{
  GtkWidget *page;

  damage_vault (f);
  page = koers_today_page_new (f->base.store, f->base.reader);
  gtk_window_set_child (GTK_WINDOW (f->window), page);
  gtk_window_present (GTK_WINDOW (f->window));
  koers_test_wait_for_today (KOERS_TODAY_PAGE (page));
  koers_test_settle ();

  assert_error_page (koers_test_child (page, KOERS_TYPE_TODAY_PAGE, "error_page"), "Could Not Read Today’s Lists");
  g_assert_false (gtk_widget_get_visible (koers_test_child (page, KOERS_TYPE_TODAY_PAGE, "scroller")));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/ui/read-errors/clients-list", test_clients_list);
  ADD ("/ui/read-errors/client-file", test_client_file);
  ADD ("/ui/read-errors/client-file-reader", test_client_file_reader);
  ADD ("/ui/read-errors/today", test_today);
#undef ADD
  return g_test_run ();
}
