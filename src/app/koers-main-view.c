/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#define G_LOG_DOMAIN "koers-main-view"

#include <glib/gi18n.h>

#include "koers-a11y.h"
#include "koers-client-page.h"
#include "koers-clients-page.h"
#include "koers-conversation-editor.h"
#include "koers-main-view.h"
#include "koers-plan-page.h"
#include "koers-sync-status.h"
#include "koers-today-page.h"

struct _KoersMainView
{
  GtkWidget             parent_instance;

  AdwLeaflet           *leaflet;
  GtkWidget            *home;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewStack         *view_stack;
  AdwBin               *today_bin;
  GtkWidget            *today_placeholder;
  KoersClientsPage     *clients_page;
  KoersSyncStatus      *sync_status;
  GtkWidget            *lock_button;
  GtkWidget            *new_client_button;

  GtkWidget            *placeholder;  /* a reference to today_placeholder */
  KoersStore           *store;
  KoersStoreReader     *reader;
  GPtrArray            *pages;   /* GtkWidget wrappers pushed on the leaflet */
  gboolean              pushing;
};

G_DEFINE_FINAL_TYPE (KoersMainView, koers_main_view, GTK_TYPE_WIDGET)

static void
remove_pages_above (KoersMainView *self,
                    GtkWidget     *top)
{
  while (self->pages->len > 0)
    {
      GtkWidget *page = g_ptr_array_index (self->pages, self->pages->len - 1);

      g_autoptr(GtkWidget) content = NULL;

      if (page == top)
        break;
      content = g_object_ref (g_object_get_data (G_OBJECT (page), "koers-page"));
      gtk_box_remove (GTK_BOX (page), content);
      adw_leaflet_remove (self->leaflet, page);
      g_ptr_array_remove_index (self->pages, self->pages->len - 1);
      /* Whatever still holds the page (a pending transition, an
       * accessible), it lets go of the store and the client's data now. */
      g_object_run_dispose (G_OBJECT (content));
    }
}

/* Swiping back or Alt+Left moves the leaflet itself: drop what is left
 * above once it rests. */
static void
on_transition_running (KoersMainView *self)
{
  if (self->pushing || adw_leaflet_get_child_transition_running (self->leaflet))
    return;
  remove_pages_above (self, adw_leaflet_get_visible_child (self->leaflet));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  koers_main_view_pop_page (KOERS_MAIN_VIEW (widget));
}

static void
new_client_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  koers_main_view_new_client (KOERS_MAIN_VIEW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  koers_main_view_focus_search (KOERS_MAIN_VIEW (widget));
}

static GtkWidget *
wrap_page (GtkWidget  *page,
           const char *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *back = gtk_button_new_from_icon_name ("go-previous-symbolic");
  GtkWidget *lock = gtk_button_new_from_icon_name ("system-lock-screen-symbolic");
  GtkWidget *window_title = adw_window_title_new (title, NULL);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (back), "view.back");
  gtk_widget_set_tooltip_text (back, _("Back (Alt+←)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (back), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Back"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (lock), "win.lock");
  gtk_widget_set_tooltip_text (lock, _("Lock (Ctrl+L)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (lock), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Lock"), -1);

  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), window_title);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), back);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), lock);
  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), page);
  g_object_set_data (G_OBJECT (box), "koers-page", page);
  g_object_set_data (G_OBJECT (box), "koers-back", back);
  g_object_set_data (G_OBJECT (box), "koers-title", window_title);
  koers_a11y_hide_icons (header);
  return box;
}

/* A new client, once saved, has a file: the title says so. */
static void
on_client_saved (KoersClientPage *page,
                 const char      *client_id,
                 KoersMainView   *self)
{
  GtkWidget *wrapper = gtk_widget_get_parent (GTK_WIDGET (page));
  AdwWindowTitle *title = wrapper != NULL ? g_object_get_data (G_OBJECT (wrapper), "koers-title") : NULL;

  if (title != NULL)
    adw_window_title_set_title (title, _("Client File"));
  koers_clients_page_refresh (self->clients_page);
}

static void
push_client_page (KoersMainView *self,
                  const char    *client_id)
{
  KoersClientPage *page;

  if (self->store == NULL)
    return;
  page = koers_client_page_new (self->store, self->reader, client_id);
  g_signal_connect_object (page, "saved", G_CALLBACK (on_client_saved), self, 0);
  koers_main_view_push_page (self, GTK_WIDGET (page),
                             client_id != NULL ? _("Client File") : _("New Client"));
  /* A new client starts at consent; an open file on its name (a heading
   * a screen reader speaks; a stray key there changes nothing) once it
   * is read, on Back until then. */
  gtk_widget_grab_focus (g_object_get_data (G_OBJECT (g_ptr_array_index (self->pages, self->pages->len - 1)),
                                            "koers-back"));
  koers_client_page_focus (page);
}

static void
push_editor (KoersMainView *self,
             const char    *client_id,
             const char    *conversation_id)
{
  GtkWidget *editor;

  if (self->store == NULL)
    return;
  editor = koers_conversation_editor_new (self->store, self->reader, client_id, conversation_id);
  koers_main_view_push_page (self, editor, conversation_id != NULL ? _("Conversation") : _("New Conversation"));
  koers_conversation_editor_focus (KOERS_CONVERSATION_EDITOR (editor));
}

/* Navigation: the pages activate these with a target; only the view
 * pushes. */

/* view.open-client (s: client id) */
static void
open_client_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  push_client_page (KOERS_MAIN_VIEW (widget), g_variant_get_string (parameter, NULL));
}

/* view.new-conversation (s: client id) */
static void
new_conversation_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  push_editor (KOERS_MAIN_VIEW (widget), g_variant_get_string (parameter, NULL), NULL);
}

/* view.new-conversation-here (Ctrl+Shift+N): a new conversation for the
 * client whose file is on top; nothing elsewhere. */
static void
new_conversation_here_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  KoersMainView *self = KOERS_MAIN_VIEW (widget);
  GtkWidget *top = koers_main_view_get_visible_page (self);
  const char *client_id;

  if (!KOERS_IS_CLIENT_PAGE (top))
    return;
  client_id = koers_client_page_get_client_id (KOERS_CLIENT_PAGE (top));
  if (client_id != NULL)
    push_editor (self, client_id, NULL);
}

/* view.show-tab (s: "today" or "clients"; Alt+1, Alt+2) */
static void
show_tab_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  koers_main_view_set_tab (KOERS_MAIN_VIEW (widget), g_variant_get_string (parameter, NULL));
}

/* view.open-conversation ((ss): client id, conversation id) */
static void
open_conversation_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  const char *client_id, *conversation_id;

  g_variant_get (parameter, "(&s&s)", &client_id, &conversation_id);
  push_editor (KOERS_MAIN_VIEW (widget), client_id, conversation_id);
}

/* view.show-plan (s: client id); Ctrl+P there prints it. */
static void
show_plan_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KoersMainView *self = KOERS_MAIN_VIEW (widget);
  GtkWidget *page;

  if (self->store == NULL)
    return;
  page = koers_plan_page_new (self->store, g_variant_get_string (parameter, NULL));
  koers_main_view_push_page (self, page, koers_plan_page_get_title (KOERS_PLAN_PAGE (page)));
  koers_plan_page_focus (KOERS_PLAN_PAGE (page));
  /* The title follows the plan (its country). */
  g_object_bind_property (page, "title", g_object_get_data (G_OBJECT (gtk_widget_get_parent (page)), "koers-title"),
                          "title", G_BINDING_DEFAULT);
}

static void
koers_main_view_dispose (GObject *object)
{
  KoersMainView *self = KOERS_MAIN_VIEW (object);

  if (self->clients_page != NULL)
    koers_main_view_close (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), KOERS_TYPE_MAIN_VIEW);
  g_clear_object (&self->placeholder);
  g_clear_object (&self->store);
  g_clear_object (&self->reader);

  G_OBJECT_CLASS (koers_main_view_parent_class)->dispose (object);
}

static void
koers_main_view_finalize (GObject *object)
{
  KoersMainView *self = KOERS_MAIN_VIEW (object);

  g_clear_pointer (&self->pages, g_ptr_array_unref);

  G_OBJECT_CLASS (koers_main_view_parent_class)->finalize (object);
}

static void
koers_main_view_class_init (KoersMainViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = koers_main_view_dispose;
  object_class->finalize = koers_main_view_finalize;

  g_type_ensure (KOERS_TYPE_CLIENTS_PAGE);
  g_type_ensure (KOERS_TYPE_SYNC_STATUS);

  gtk_widget_class_set_template_from_resource (widget_class, "/nl/koers/Koers/ui/koers-main-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, KoersMainView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, KoersMainView, home);
  gtk_widget_class_bind_template_child (widget_class, KoersMainView, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, KoersMainView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, KoersMainView, today_bin);
  gtk_widget_class_bind_template_child (widget_class, KoersMainView, today_placeholder);
  gtk_widget_class_bind_template_child (widget_class, KoersMainView, clients_page);
  gtk_widget_class_bind_template_child (widget_class, KoersMainView, sync_status);
  gtk_widget_class_bind_template_child (widget_class, KoersMainView, lock_button);
  gtk_widget_class_bind_template_child (widget_class, KoersMainView, new_client_button);

  gtk_widget_class_install_action (widget_class, "view.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "view.new-client", NULL, new_client_action);
  gtk_widget_class_install_action (widget_class, "view.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "view.open-client", "s", open_client_action);
  gtk_widget_class_install_action (widget_class, "view.new-conversation", "s", new_conversation_action);
  gtk_widget_class_install_action (widget_class, "view.open-conversation", "(ss)", open_conversation_action);
  gtk_widget_class_install_action (widget_class, "view.show-plan", "s", show_plan_action);
  gtk_widget_class_install_action (widget_class, "view.new-conversation-here", NULL, new_conversation_here_action);
  gtk_widget_class_install_action (widget_class, "view.show-tab", "s", show_tab_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "view.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "view.new-client", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "view.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_N, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "view.new-conversation-here", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "view.show-tab", "s", "today");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "view.show-tab", "s", "clients");
}

/* GTK 4.8 exposes every page of the leaflet and the tabs as shown: a
 * screen reader reviewing a client's file wandered into the Clients list
 * behind it. */
static void
hide_other_views (KoersMainView *self)
{
  koers_a11y_hide_others (GTK_WIDGET (self->leaflet), adw_leaflet_get_visible_child (self->leaflet));
  koers_a11y_hide_others (GTK_WIDGET (self->view_stack), adw_view_stack_get_visible_child (self->view_stack));
}

/* The tab bar at the bottom, while a wide window does not show it. */
static void
hide_switcher_bar (KoersMainView *self)
{
  GtkWidget *bar = gtk_widget_get_last_child (self->home);

  gtk_accessible_update_state (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_STATE_HIDDEN,
                               !adw_view_switcher_bar_get_reveal (ADW_VIEW_SWITCHER_BAR (bar)), -1);
}

static void
koers_main_view_init (KoersMainView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->pages = g_ptr_array_new ();
  /* Kept while another Today page takes its place. */
  self->placeholder = g_object_ref (self->today_placeholder);

  g_signal_connect_swapped (self->leaflet, "notify::child-transition-running",
                            G_CALLBACK (on_transition_running), self);
  g_signal_connect_swapped (self->leaflet, "notify::visible-child", G_CALLBACK (hide_other_views), self);
  g_signal_connect_swapped (self->view_stack, "notify::visible-child", G_CALLBACK (hide_other_views), self);
  hide_other_views (self);
  koers_a11y_name_status_pages (GTK_WIDGET (self));
  koers_a11y_hide_icons (GTK_WIDGET (self));
  g_signal_connect_swapped (gtk_widget_get_last_child (self->home), "notify::reveal", G_CALLBACK (hide_switcher_bar),
                            self);
  hide_switcher_bar (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.back", FALSE);
}

KoersMainView *
koers_main_view_new (KoersStore       *store,
                     KoersStoreReader *reader)
{
  KoersMainView *self;

  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);
  g_return_val_if_fail (KOERS_IS_STORE_READER (reader), NULL);

  self = g_object_new (KOERS_TYPE_MAIN_VIEW, NULL);
  self->store = g_object_ref (store);
  self->reader = g_object_ref (reader);
  koers_clients_page_set_store (self->clients_page, store, reader);
  koers_sync_status_set_store (self->sync_status, store);
  koers_main_view_set_today_page (self, koers_today_page_new (store, reader));
  return self;
}

KoersStore *
koers_main_view_get_store (KoersMainView *self)
{
  g_return_val_if_fail (KOERS_IS_MAIN_VIEW (self), NULL);
  return self->store;
}

KoersStoreReader *
koers_main_view_get_reader (KoersMainView *self)
{
  g_return_val_if_fail (KOERS_IS_MAIN_VIEW (self), NULL);
  return self->reader;
}

void
koers_main_view_show_client (KoersMainView *self,
                             const char    *client_id)
{
  g_return_if_fail (KOERS_IS_MAIN_VIEW (self));
  g_return_if_fail (client_id != NULL);

  push_client_page (self, client_id);
}

void
koers_main_view_new_client (KoersMainView *self)
{
  g_return_if_fail (KOERS_IS_MAIN_VIEW (self));

  push_client_page (self, NULL);
}

void
koers_main_view_push_page (KoersMainView *self,
                           GtkWidget     *page,
                           const char    *title)
{
  GtkWidget *wrapper;

  g_return_if_fail (KOERS_IS_MAIN_VIEW (self));
  g_return_if_fail (GTK_IS_WIDGET (page));

  /* Whatever was above the visible page (a swipe back) goes first. */
  remove_pages_above (self, adw_leaflet_get_visible_child (self->leaflet));
  wrapper = wrap_page (page, title != NULL ? title : "");
  /* Until it is the visible child, a transition ending must not take it
   * for a page left behind. */
  self->pushing = TRUE;
  adw_leaflet_append (self->leaflet, wrapper);
  g_ptr_array_add (self->pages, wrapper);
  adw_leaflet_set_visible_child (self->leaflet, wrapper);
  self->pushing = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.back", TRUE);
}

gboolean
koers_main_view_pop_page (KoersMainView *self)
{
  GtkWidget *below;

  g_return_val_if_fail (KOERS_IS_MAIN_VIEW (self), FALSE);

  if (self->pages->len == 0)
    return FALSE;
  below = self->pages->len > 1 ? g_ptr_array_index (self->pages, self->pages->len - 2) : self->home;
  adw_leaflet_set_visible_child (self->leaflet, below);
  remove_pages_above (self, below);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.back", self->pages->len > 0);
  if (self->pages->len == 0)
    koers_clients_page_refresh (self->clients_page);
  return TRUE;
}

GtkWidget *
koers_main_view_get_visible_page (KoersMainView *self)
{
  GtkWidget *top;

  g_return_val_if_fail (KOERS_IS_MAIN_VIEW (self), NULL);

  top = adw_leaflet_get_visible_child (self->leaflet);
  if (top == NULL || top == self->home)
    return self->home;
  return g_object_get_data (G_OBJECT (top), "koers-page");
}

void
koers_main_view_set_today_page (KoersMainView *self,
                                GtkWidget     *page)
{
  g_return_if_fail (KOERS_IS_MAIN_VIEW (self));
  g_return_if_fail (page == NULL || GTK_IS_WIDGET (page));

  adw_bin_set_child (self->today_bin, page != NULL ? page : self->placeholder);
  if (page != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, "today");
}

void
koers_main_view_set_tab (KoersMainView *self,
                         const char    *name)
{
  g_return_if_fail (KOERS_IS_MAIN_VIEW (self));

  while (koers_main_view_pop_page (self))
    ;
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

void
koers_main_view_focus_search (KoersMainView *self)
{
  g_return_if_fail (KOERS_IS_MAIN_VIEW (self));

  koers_main_view_set_tab (self, "clients");
  koers_clients_page_focus_search (self->clients_page);
}

void
koers_main_view_focus_start (KoersMainView *self)
{
  GtkWidget *today;

  g_return_if_fail (KOERS_IS_MAIN_VIEW (self));

  today = adw_bin_get_child (self->today_bin);
  if (today != NULL && today != self->placeholder)
    {
      koers_main_view_set_tab (self, "today");
      gtk_widget_child_focus (today, GTK_DIR_TAB_FORWARD);
    }
  else
    koers_main_view_focus_search (self);
}

KoersSyncStatus *
koers_main_view_get_sync_status (KoersMainView *self)
{
  g_return_val_if_fail (KOERS_IS_MAIN_VIEW (self), NULL);

  return self->sync_status;
}
/* Like a pushed page, the Today page lets go of the store now, whatever
 * still holds it (the focus, an accessible). */
static void
drop_today_page (KoersMainView *self)
{
  GtkWidget *today = adw_bin_get_child (self->today_bin);

  if (today == NULL || today == self->placeholder)
    {
      adw_bin_set_child (self->today_bin, NULL);
      return;
    }
  g_object_ref (today);
  adw_bin_set_child (self->today_bin, NULL);
  g_object_run_dispose (G_OBJECT (today));
  g_object_unref (today);
}

void
koers_main_view_close (KoersMainView *self)
{
  g_return_if_fail (KOERS_IS_MAIN_VIEW (self));

  adw_leaflet_set_visible_child (self->leaflet, self->home);
  remove_pages_above (self, self->home);
  drop_today_page (self);
  koers_clients_page_set_store (self->clients_page, NULL, NULL);
  koers_sync_status_set_engine (self->sync_status, NULL);
  koers_sync_status_set_store (self->sync_status, NULL);
  g_clear_object (&self->store);
  g_clear_object (&self->reader);
}
