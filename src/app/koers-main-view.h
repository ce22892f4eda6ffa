/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-main-view.h: what the window shows while the vault is open: a
 * header bar with the "Today" and "Clients" tabs, the lock button and the
 * sync status, and a stack of pages (a client's file, a conversation...)
 * pushed on top with a back button.
 *
 * The view owns every push. Pages inside it navigate by activating its
 * actions with a target:
 *   view.open-client (s: client id)
 *   view.new-conversation (s: client id)
 *   view.open-conversation ((ss): client id, conversation id)
 *   view.show-plan (s: client id)
 *   view.new-conversation-here (Ctrl+Shift+N on a client's file)
 *   view.show-tab (s: "today" or "clients"; Alt+1, Alt+2)
 *   view.new-client, view.search, view.back
 *
 * The view holds the store and the reader that reads it off the main
 * thread: the window calls koers_main_view_close() and drops the view,
 * then closes the reader, before the vault locks. */
#pragma once

#include <adwaita.h>

#include "koers-store-reader.h"
#include "koers-sync-status.h"
#include "store/koers-store.h"

G_BEGIN_DECLS

#define KOERS_TYPE_MAIN_VIEW (koers_main_view_get_type ())
G_DECLARE_FINAL_TYPE (KoersMainView, koers_main_view, KOERS, MAIN_VIEW, GtkWidget)

KoersMainView *koers_main_view_new            (KoersStore       *store,
                                               KoersStoreReader *reader);
KoersStore    *koers_main_view_get_store      (KoersMainView *self);
/* For pages that read lists off the main thread (NULL once closed). */
KoersStoreReader *koers_main_view_get_reader  (KoersMainView *self);

/* Opens a client's file on top of the tabs. */
void           koers_main_view_show_client    (KoersMainView *self,
                                               const char    *client_id);
/* Opens an empty client form. */
void           koers_main_view_new_client     (KoersMainView *self);
/* Shows @page on top of the current one, with a back button and @title in
 * the header bar. */
void           koers_main_view_push_page      (KoersMainView *self,
                                               GtkWidget     *page,
                                               const char    *title);
/* Back to the page below the top one (FALSE: none). */
gboolean       koers_main_view_pop_page       (KoersMainView *self);
/* The widget on top (the tabs' box when nothing is pushed). */
GtkWidget     *koers_main_view_get_visible_page (KoersMainView *self);
/* Places the Today page in the "Today" tab. */
void           koers_main_view_set_today_page (KoersMainView *self,
                                               GtkWidget     *page);
/* "today" or "clients". */
void           koers_main_view_set_tab        (KoersMainView *self,
                                               const char    *name);
/* Switches to Clients and puts the focus in its search field. */
void           koers_main_view_focus_search   (KoersMainView *self);
/* Where a person starts after unlocking: the Today tab once it has a
 * page, else the search field of Clients. */
void           koers_main_view_focus_start    (KoersMainView *self);
/* The sync place in the header bar (the sync code tells it news). */
KoersSyncStatus *koers_main_view_get_sync_status (KoersMainView *self);
/* Drops every page and the store's rows; the view shows nothing after. */
void           koers_main_view_close          (KoersMainView *self);

G_END_DECLS
