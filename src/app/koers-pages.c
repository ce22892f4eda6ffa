/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-pages"

#include <glib/gi18n.h>

#include "koers-conversation-editor.h"
#include "koers-pages.h"
#include "koers-plan-page.h"
#include "koers-today-page.h"

static void
on_open_client (KoersTodayPage *page,
                const char     *client_id,
                KoersMainView  *view)
{
  koers_main_view_show_client (view, client_id);
}

static void
push_editor (KoersMainView *view,
             const char    *client_id,
             const char    *conversation_id)
{
  KoersStore *store = koers_main_view_get_store (view);
  GtkWidget *editor;

  if (store == NULL || client_id == NULL)
    return;
  editor = koers_conversation_editor_new (store, client_id, conversation_id);
  koers_main_view_push_page (view, editor,
                             conversation_id != NULL ? _("Conversation") : _("New Conversation"));
}

static void
on_new_conversation (KoersMainView *view,
                     const char    *client_id)
{
  push_editor (view, client_id, NULL);
}

static void
on_open_conversation (KoersMainView *view,
                      const char    *client_id,
                      const char    *conversation_id)
{
  push_editor (view, client_id, conversation_id);
}

void
koers_pages_attach (KoersMainView *view)
{
  KoersStore *store;
  GtkWidget *today;

  g_return_if_fail (KOERS_IS_MAIN_VIEW (view));

  if (g_object_get_data (G_OBJECT (view), "koers-pages-attached") != NULL)
    return;
  store = koers_main_view_get_store (view);
  if (store == NULL)
    return;
  g_object_set_data (G_OBJECT (view), "koers-pages-attached", GINT_TO_POINTER (TRUE));

  today = koers_today_page_new (store, koers_main_view_get_reader (view));
  g_signal_connect_object (today, "open-client", G_CALLBACK (on_open_client), view, 0);
  koers_main_view_set_today_page (view, today);
  g_signal_connect (view, "new-conversation", G_CALLBACK (on_new_conversation), NULL);
  g_signal_connect (view, "open-conversation", G_CALLBACK (on_open_conversation), NULL);
}

void
koers_pages_show_plan (KoersMainView *view,
                       const char    *client_id)
{
  KoersStore *store;

  g_return_if_fail (KOERS_IS_MAIN_VIEW (view));
  g_return_if_fail (client_id != NULL);

  store = koers_main_view_get_store (view);
  if (store == NULL)
    return;
  koers_main_view_push_page (view, koers_plan_page_new (store, client_id), _("Return Plan"));
}
