/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Navigation in the real main view: the Today tab holds the Today page,
 * and the view's actions with a target push the client's file, the
 * conversation editor (new or saved) and the return plan. */
#include "config.h"

#define G_LOG_DOMAIN "test-pages"

#include <adwaita.h>
#include <string.h>

#include "koers-client-page.h"
#include "koers-conversation-editor.h"
#include "koers-main-view.h"
#include "koers-plan-page.h"
#include "koers-test-util.h"
#include "koers-today-page.h"
#include "store/koers-drafts.h"
#include "store/koers-store.h"
#include "vault/koers-vault.h"

static GtkWidget *
find_child (GtkWidget *root,
            GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_child (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_navigation (KoersStoreFixture *f,
             gconstpointer      data)
{
  g_autoptr(GError) error = NULL;
  KoersStore *store = f->store;
  g_autofree char *client_id = koers_test_add_client (store, "Hawa Yusuf", KOERS_PHASE_INTAKE);
  g_autoptr(KoersConversation) conversation = koers_conversation_new ();
  GtkWidget *window;
  KoersMainView *view;
  GtkWidget *top;

  conversation->client_id = g_strdup (client_id);
  conversation->held_on = koers_store_today (store);
  conversation->notes = g_strdup ("Opgeslagen notities");
  g_assert_true (koers_store_add_conversation (store, conversation, &error));
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  view = koers_main_view_new (store, f->reader);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  koers_test_settle ();
  g_assert_nonnull (find_child (GTK_WIDGET (view), KOERS_TYPE_TODAY_PAGE));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.open-client", "s", client_id));
  koers_test_settle ();
  top = koers_main_view_get_visible_page (view);
  g_assert_true (KOERS_IS_CLIENT_PAGE (top));
  g_assert_cmpstr (koers_client_page_get_client_id (KOERS_CLIENT_PAGE (top)), ==, client_id);
  /* The file's own button goes through the view as well. */
  g_assert_true (gtk_widget_activate_action (top, "client.new-conversation", NULL));
  koers_test_settle ();
  top = koers_main_view_get_visible_page (view);
  g_assert_true (KOERS_IS_CONVERSATION_EDITOR (top));
  g_assert_true (koers_main_view_pop_page (view));
  g_assert_true (koers_main_view_pop_page (view));
  koers_test_settle ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.new-conversation", "s", client_id));
  koers_test_settle ();
  top = koers_main_view_get_visible_page (view);
  g_assert_true (KOERS_IS_CONVERSATION_EDITOR (top));
  g_assert_null (koers_conversation_editor_get_conversation_id (KOERS_CONVERSATION_EDITOR (top)));
  /* Typed, then Back before any autosave: the draft is kept anyway. */
  {
    GtkWidget *notes = koers_test_child (top, KOERS_TYPE_CONVERSATION_EDITOR, "notes_view");
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes));
    g_autofree char *draft = NULL;

    gtk_text_buffer_set_text (buffer, "Net getypt", -1);
    g_assert_true (koers_main_view_pop_page (view));
    koers_test_settle ();
    draft = koers_store_load_draft (store, client_id, NULL, NULL, NULL);
    g_assert_nonnull (draft);
    g_assert_nonnull (strstr (draft, "Net getypt"));
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.open-conversation", "(ss)",
                                             client_id, conversation->id));
  koers_test_settle ();
  top = koers_main_view_get_visible_page (view);
  g_assert_true (KOERS_IS_CONVERSATION_EDITOR (top));
  g_assert_cmpstr (koers_conversation_editor_get_conversation_id (KOERS_CONVERSATION_EDITOR (top)), ==,
                   conversation->id);
  g_assert_true (koers_main_view_pop_page (view));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.show-plan", "s", client_id));
  koers_test_settle ();
  g_assert_true (KOERS_IS_PLAN_PAGE (koers_main_view_get_visible_page (view)));
  g_assert_true (koers_main_view_pop_page (view));
  /* Let the leaflet finish its transition before the view goes. */
  koers_test_settle ();
  koers_test_settle ();

  koers_main_view_close (view);
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_settle ();
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/ui/pages/navigation", KoersStoreFixture, NULL, koers_store_fixture_set_up, test_navigation,
              koers_store_fixture_tear_down);
  return g_test_run ();
}
