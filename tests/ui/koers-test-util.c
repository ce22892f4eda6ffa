/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-test"

#include <glib/gstdio.h>

#include "koers-test-util.h"

static gboolean
on_deadline (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

void
koers_test_wait_until (KoersTestCondition condition,
                       gpointer           data,
                       guint              timeout_seconds)
{
  gboolean expired = FALSE;
  guint deadline = g_timeout_add_seconds (timeout_seconds, on_deadline, &expired);

  while (!condition (data) && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (expired)
    g_error ("Timed out after %u s waiting for a condition", timeout_seconds);
  g_source_remove (deadline);
}

static gboolean
list_loaded (gpointer list)
{
  return !koers_client_list_is_loading (list);
}

void
koers_test_wait_for_list (KoersClientList *list)
{
  koers_test_wait_until (list_loaded, list, 10);
}

static gboolean
today_loaded (gpointer page)
{
  return !koers_today_page_is_loading (page);
}

void
koers_test_wait_for_today (KoersTodayPage *page)
{
  koers_test_wait_until (today_loaded, page, 10);
}

static gboolean
on_settled (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

void
koers_test_settle (void)
{
  gboolean done = FALSE;

  g_timeout_add (300, on_settled, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

GtkWidget *
koers_test_child (gpointer    widget,
                  GType       type,
                  const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (child);
  g_assert_true (GTK_IS_WIDGET (child));
  return GTK_WIDGET (child);
}

void
koers_test_rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            koers_test_rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

gboolean
koers_test_save_png (GtkWidget   *widget,
                     const char  *path,
                     GError     **error)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t viewport = GRAPHENE_RECT_INIT (0, 0, width, height);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Nothing to render");
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node, &viewport);
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not write %s", path);
      return FALSE;
    }
  return TRUE;
}

void
koers_window_fixture_set_up (KoersWindowFixture *fixture,
                             gconstpointer       data)
{
  fixture->tmp = g_dir_make_tmp ("koers-ui-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmp);
  fixture->vault_dir = g_build_filename (fixture->tmp, "vault", NULL);
  fixture->window = koers_window_new (NULL, fixture->vault_dir);
  gtk_window_present (GTK_WINDOW (fixture->window));
  koers_test_settle ();
}

void
koers_window_fixture_tear_down (KoersWindowFixture *fixture,
                                gconstpointer       data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  koers_test_settle ();
  koers_test_rm_rf (fixture->tmp);
  g_free (fixture->vault_dir);
  g_free (fixture->tmp);
}

void
koers_store_fixture_set_up (KoersStoreFixture *fixture,
                            gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  KoersKdfParams params = koers_kdf_params_minimum ();
  g_autofree char *dir = NULL;
  char *recovery = NULL;

  fixture->tmp = g_dir_make_tmp ("koers-ui-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmp);
  dir = g_build_filename (fixture->tmp, "vault", NULL);
  fixture->vault = koers_vault_create (dir, "Tester", "geheim", &params, &recovery, &error);
  g_assert_no_error (error);
  koers_vault_free_secret (recovery);
  fixture->store = koers_store_new (koers_vault_get_db (fixture->vault), &error);
  g_assert_no_error (error);
  fixture->reader = koers_store_reader_new (fixture->vault, &error);
  g_assert_no_error (error);
}

void
koers_store_fixture_tear_down (KoersStoreFixture *fixture,
                               gconstpointer      data)
{
  koers_store_reader_close (fixture->reader);
  g_clear_object (&fixture->reader);
  g_clear_object (&fixture->store);
  koers_vault_lock (fixture->vault);
  g_clear_object (&fixture->vault);
  koers_test_rm_rf (fixture->tmp);
  g_free (fixture->tmp);
}
